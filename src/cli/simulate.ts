/**
 * `liqopt simulate --config scenario.json`: a venue scenario (a book of positions, the venue's tiers,
 * fund, fee, liquidator capacity, impact and ADL policy, and a mark path) run by the venue simulator:
 * Monte Carlo on the worker pool, or the replay of a bundled crash. Prints the headline metrics (with
 * their confidence intervals) and the seed, `--json` the workflow's result (`simulateScenario`), and
 * `--report` an HTML report with the charts.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { fileErrorReason, InputError } from "../errors.js";
import { escapeXml } from "../report/index.js";
import { writeOutputFile } from "../report/output-file.js";
import {
  adlOvershootChart,
  badDebtChart,
  insuranceFundChart,
  isReplay,
  liquidatedNotionalChart,
  replayPriceChart,
} from "../report/venue-charts.js";
import {
  type LendingScenario,
  type LendingScenarioReport,
  simulateLendingScenario,
} from "../sim/venue/lending-scenario.js";
import { type AnyScenario, readScenarioOfKind } from "../sim/venue/scenario-kind.js";
import {
  type AdlPolicyOutcome,
  adlPolicyComparison,
  type HeadlineMetric,
  type ScenarioReport,
  type SimulateScenarioOptions,
  simulateScenario,
} from "../sim/venue/scenario-report.js";
import { formatNumber, formatPercent, parseJson, readInput, renderTable, toJson, writeOut } from "./io.js";
import { readIntegerOption } from "./market-options.js";
import { terminalProgress } from "./progress.js";

/** Reads the scenario of `--config`, its file references relative to its own folder. */
async function loadScenario(path: string): Promise<AnyScenario> {
  const raw = parseJson(await readInput(path, "--config"), "--config");
  const folder = dirname(resolve(path));
  return readScenarioOfKind(raw, (file, field) => {
    try {
      return readFileSync(resolve(folder, file), "utf8");
    } catch (err) {
      throw new InputError(
        field,
        file,
        `cannot be read (${fileErrorReason(err)})`,
        "Give a path relative to the scenario file.",
      );
    }
  });
}

/** A metric's value in its unit. */
function formatMetric(unit: HeadlineMetric["unit"], x: number | null): string {
  if (x === null) return "—";
  if (unit === "probability") return formatPercent(x, 2);
  return formatNumber(x + 0, unit === "USD" ? 0 : 1); // + 0: a −0 total prints as 0
}

/** The headline table: metric, value, and the interval in Monte Carlo. */
export function renderSimulate(r: ScenarioReport): string {
  const mc = r.mode === "monte-carlo";
  const rows = r.headline.map((h) => [
    h.label,
    formatMetric(h.unit, h.value),
    ...(mc
      ? [h.lower === null ? "—" : `[${formatMetric(h.unit, h.lower)}, ${formatMetric(h.unit, h.upper)}]`]
      : []),
  ]);
  const path =
    r.path.kind === "replay"
      ? `replay of ${r.path.dataset} ${r.path.from.slice(0, 16)} → ${r.path.to.slice(0, 16)} UTC`
      : `${r.paths} Monte Carlo paths, seed ${r.seed}, ${r.workers} worker(s)`;
  return [
    `book: ${r.book.positions} positions (${r.book.longs} long), open interest ${formatNumber(r.book.openInterestLongUsd, 0)} long / ${formatNumber(r.book.openInterestShortUsd, 0)} short USD, ${r.book.source}, tiers ${r.book.tiers}`,
    `venue: fund ${formatNumber(r.venue.insuranceFundUsd, 0)} USD, fee ${formatPercent(r.venue.liquidationFeeRate, 2)}, ADL ${r.venue.adlPolicy}; ${r.steps} steps of ${r.stepMinutes} min; ${path}`,
    renderTable(mc ? ["metric", "mean", "95 % interval"] : ["metric", "value"], rows, {
      rightAlign: mc ? [1, 2] : [1],
    }),
    ...(r.reconciliation.reconciled ? [] : [`warning: ${r.reconciliation.note}`]),
  ].join("\n");
}

/** The lending report as text: what ran, the totals, and a warning line for what the model flags. */
export function renderLendingSimulate(r: LendingScenarioReport): string {
  const t = r.totals;
  const usd = (x: number) => formatNumber(x + 0, 0);
  const rows: [string, string][] = [
    ["liquidation calls", formatNumber(t.calls, 0)],
    ["debt repaid (USD)", usd(t.repaidUsd)],
    ["collateral seized (USD)", usd(t.seizedUsd)],
    ["liquidation bonus (USD)", usd(t.bonusUsd)],
    ["  of it to the treasury (USD)", usd(t.protocolFeeUsd)],
    ["deficit written off (USD)", usd(t.deficitUsd)],
    ["  of it, accounts with lagging-oracle collateral (USD)", usd(r.laggingDeficitUsd)],
    ["accounts written off", formatNumber(t.deficitAccounts, 0)],
    ["bad debt left on the book (USD)", usd(r.underwaterUsd)],
    ["account-steps no liquidator would take", formatNumber(t.unprofitable, 0)],
    ["toxic calls (lowered HF)", formatNumber(t.toxicCalls, 0)],
    ["liquidators' result after gas (USD)", usd(t.liquidatorPnlUsd)],
  ];
  const warnings = [
    ...(r.toxicAssets.length > 0
      ? [
          `warning: LT·(1 + bonus) ≥ 1 for ${r.toxicAssets.join(", ")}: each liquidation of it lowers the health factor`,
        ]
      : []),
    ...(t.unprofitable > 0
      ? [
          `warning: ${formatNumber(t.unprofitable, 0)} account-steps were liquidatable but unprofitable at the market`,
        ]
      : []),
    ...(r.reconciliation.reconciled ? [] : [`warning: ${r.reconciliation.note}`]),
  ];
  return [
    `lending market: ${r.accounts} accounts, seed ${r.seed}; replay of ${r.dataset} ${r.from.slice(0, 16)} → ${r.to.slice(0, 16)} UTC, ${r.steps} steps`,
    renderTable(["metric", "value"], rows, { rightAlign: [1] }),
    `reconciliation: ${r.reconciliation.note}`,
    ...warnings,
  ].join("\n");
}

/** Runs a lending scenario: a replay only (no paths, workers or HTML report). */
function runLending(
  scenario: LendingScenario,
  opts: { paths?: string; workers?: string; report?: string; seed?: string; json?: true },
): void {
  for (const [flag, value] of [
    ["--paths", opts.paths],
    ["--workers", opts.workers],
    ["--report", opts.report],
  ] as const) {
    if (value !== undefined)
      throw new InputError(
        flag,
        value,
        "does not apply to a lending scenario",
        "Leave it out: a lending scenario replays a crash once.",
      );
  }
  const report = simulateLendingScenario(
    scenario,
    opts.seed === undefined ? {} : { seed: readIntegerOption(opts.seed, "--seed", 0) },
  );
  writeOut(opts.json === true ? toJson(report) : renderLendingSimulate(report));
}

/** The HTML report: the table, the charts of the run, and the ADL comparison by policy. */
function renderSimulateHtml(r: ScenarioReport, policies: readonly AdlPolicyOutcome[]): string {
  const charts = isReplay(r)
    ? [replayPriceChart(r), liquidatedNotionalChart(r), insuranceFundChart(r)]
    : [badDebtChart(r)];
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>liqopt simulate</title>',
    "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{font-size:12px;overflow-x:auto}</style></head><body>",
    `<h1>Venue scenario: ${r.mode === "replay" ? "replay" : "Monte Carlo"}</h1>`,
    `<pre>${escapeXml(renderSimulate(r))}</pre>`,
    ...charts,
    adlOvershootChart(policies, r.mode === "replay" ? "the replay" : `mean over ${r.paths} paths`),
    "</body></html>",
  ].join("\n");
}

/** Registers `liqopt simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description(
      "venue simulator: a book of positions under a venue's liquidation engine, insurance fund and ADL, on Monte Carlo paths or a replayed crash",
    )
    .requiredOption(
      "--config <file>",
      'scenario JSON (docs/reference/simulate.md; examples/venue/); "kind": "lending" replays a lending market',
    )
    .option("--paths <n>", "Monte Carlo paths (default: the scenario's)")
    .option("--seed <n>", "seed of the paths (default: the scenario's)")
    .option("--workers <n>", "worker threads (default: one per core); the result depends on it")
    .option("--json", "print the result as JSON")
    .option("--report <file>", "write an HTML report with the charts (runs the scenario once per ADL policy)")
    .action(async (opts) => {
      const loaded = await loadScenario(opts.config);
      if (loaded.kind === "lending") return runLending(loaded, opts);
      const scenario = loaded.scenario;
      if (scenario.path.kind === "replay" && opts.paths !== undefined) {
        throw new InputError(
          "--paths",
          opts.paths,
          "does not apply to a replay",
          "Leave it out: a replay runs once.",
        );
      }
      const options: SimulateScenarioOptions = {
        ...(opts.paths === undefined ? {} : { paths: readIntegerOption(opts.paths, "--paths", 1) }),
        ...(opts.seed === undefined ? {} : { seed: readIntegerOption(opts.seed, "--seed", 0) }),
        ...(opts.workers === undefined ? {} : { workers: readIntegerOption(opts.workers, "--workers", 1) }),
      };
      const report = await simulateScenario(scenario, { ...options, ...terminalProgress() });
      if (opts.report !== undefined) {
        const policies = await adlPolicyComparison(scenario, options);
        writeOutputFile(opts.report, renderSimulateHtml(report, policies), "--report");
      }
      writeOut(opts.json === true ? toJson(report) : renderSimulate(report));
    });
}

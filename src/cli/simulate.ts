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
import { writeOutputFile } from "../report/output-file.js";
import {
  adlOvershootChart,
  badDebtHistogramChart,
  cascadeDepthChart,
  fundBandsChart,
  insuranceFundChart,
  isMonteCarlo,
  isReplay,
  liquidatedNotionalChart,
  meanCascadeDepthChart,
  meanLiquidatedChart,
  replayPriceChart,
  samplePathsChart,
} from "../report/venue-charts.js";
import {
  type LendingScenario,
  simulateLendingMonteCarlo,
  simulateLendingScenario,
} from "../sim/venue/lending-scenario.js";
import type { MakerScenario } from "../sim/venue/maker-scenario.js";
import { simulateMakerScenario } from "../sim/venue/maker-scenario-report.js";
import type { ScenarioFileReader } from "../sim/venue/scenario.js";
import { readScenarioOfKind } from "../sim/venue/scenario-kind.js";
import {
  type AdlPolicyOutcome,
  adlPolicyComparison,
  type ScenarioReport,
  type SimulateScenarioOptions,
  simulateScenario,
} from "../sim/venue/scenario-report.js";
import { sweepScenario } from "../sim/venue/sweep.js";
import { EXIT_INTERNAL } from "./errors.js";
import { renderHeadlineTable } from "./headline-table.js";
import { collect, formatNumber, formatPercent, parseJson, readInput, toJson, writeOut } from "./io.js";
import { readIntegerOption } from "./market-options.js";
import { terminalProgress } from "./progress.js";
import {
  lendingFailureWarning,
  renderLendingMonteCarlo,
  renderLendingMonteCarloHtml,
  renderLendingSimulate,
} from "./simulate-lending.js";
import { renderMakerSimulate, renderMakerSimulateHtml } from "./simulate-maker.js";
import { renderSimulatePage } from "./simulate-page.js";
import { renderSweep, renderSweepHtml, reportSweepFailures, sweepPoints } from "./simulate-sweep.js";

/** The parsed scenario document of `--config` and the reader of the files it names (relative to its folder). */
async function loadScenarioDocument(path: string): Promise<{ raw: unknown; readFile: ScenarioFileReader }> {
  const raw = parseJson(await readInput(path, "--config"), "--config");
  const folder = dirname(resolve(path));
  const readFile: ScenarioFileReader = (file, field) => {
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
  };
  return { raw, readFile };
}

/** The headline table: metric, value, and the interval in Monte Carlo. */
export function renderSimulate(r: ScenarioReport): string {
  const mc = r.mode === "monte-carlo";
  const path =
    r.path.kind === "replay"
      ? `replay of ${r.path.dataset} ${r.path.from.slice(0, 16)} → ${r.path.to.slice(0, 16)} UTC`
      : `${r.paths} Monte Carlo paths, seed ${r.seed}, ${r.workers} worker(s)`;
  return [
    `book: ${r.book.positions} positions (${r.book.longs} long), open interest ${formatNumber(r.book.openInterestLongUsd, 0)} long / ${formatNumber(r.book.openInterestShortUsd, 0)} short USD, ${r.book.source}, tiers ${r.book.tiers}`,
    `venue: fund ${formatNumber(r.venue.insuranceFundUsd, 0)} USD, fee ${formatPercent(r.venue.liquidationFeeRate, 2)}, ADL ${r.venue.procedure?.kind === "dydx-v4" ? "dYdX deleveraging (random start)" : r.venue.adlPolicy}; ${r.steps} steps of ${r.stepMinutes} min; ${path}`,
    renderHeadlineTable(r.headline, mc),
    ...failureWarning(r),
    ...leftQueuedWarning(r),
    r.reconciliation.reconciled
      ? `reconciled: ${r.reconciliation.note}`
      : `warning: ${r.reconciliation.note}`,
  ].join("\n");
}

/** A warning when a batch of the Monte Carlo run failed: the figures cover the completed paths only. */
function failureWarning(r: ScenarioReport): string[] {
  if (r.failure === undefined) return [];
  const f = r.failure;
  return [
    `warning: the run failed in round ${f.round} on worker ${f.stream} (${f.message}); the figures are a partial result over the ${r.paths} paths completed`,
  ];
}

/** A warning when liquidator agents left positions queued (their bad debt valued at the last mark). */
function leftQueuedWarning(r: ScenarioReport): string[] {
  const left = r.headline.find((h) => h.key === "leftQueued")?.value ?? 0;
  if (!(left > 0)) return [];
  const per = r.mode === "monte-carlo" ? " per path (mean)" : "";
  return [
    `warning: ${formatNumber(left, 1)} position(s)${per} were left queued for lack of a willing liquidator: no agent's premium paid for its costs, or none had capital`,
  ];
}

/** Refuses the options given that do not apply to `what` (an {@link InputError} naming the first). */
function refuseOptions(
  what: string,
  fix: string,
  given: readonly (readonly [string, string | undefined])[],
): void {
  for (const [flag, value] of given)
    if (value !== undefined) throw new InputError(flag, value, `does not apply to ${what}`, fix);
}

/**
 * Runs a lending scenario: a replay (once; no paths, workers or HTML report; `--seed` redraws the
 * book), or Monte Carlo on the worker pool (`--paths`, `--seed` of the paths, `--workers`, and
 * `--report` with the bad-debt distribution).
 */
async function runLending(
  scenario: LendingScenario,
  opts: { paths?: string; workers?: string; report?: string; seed?: string; json?: true },
): Promise<void> {
  const seed = opts.seed === undefined ? {} : { seed: readIntegerOption(opts.seed, "--seed", 0) };
  if (scenario.mode === "monte-carlo") {
    const report = await simulateLendingMonteCarlo(scenario, {
      ...seed,
      ...(opts.paths === undefined ? {} : { paths: readIntegerOption(opts.paths, "--paths", 1) }),
      ...(opts.workers === undefined ? {} : { workers: readIntegerOption(opts.workers, "--workers", 1) }),
      ...terminalProgress(),
    });
    if (opts.report !== undefined)
      writeOutputFile(opts.report, renderLendingMonteCarloHtml(report), "--report");
    writeOut(opts.json === true ? toJson(report) : renderLendingMonteCarlo(report));
    if (report.failure !== undefined) {
      if (opts.json === true) process.stderr.write(`${lendingFailureWarning(report).join("\n")}\n`);
      process.exitCode = EXIT_INTERNAL;
    }
    return;
  }
  refuseOptions(
    "a lending replay",
    'Leave it out: a lending replay runs the day once (give "path": { "model": … } for Monte Carlo).',
    [
      ["--paths", opts.paths],
      ["--workers", opts.workers],
      ["--report", opts.report],
    ],
  );
  const report = simulateLendingScenario(scenario, seed);
  writeOut(opts.json === true ? toJson(report) : renderLendingSimulate(report));
}

/** The HTML report: the table, the charts of the run, and the ADL comparison by policy. */
function renderSimulateHtml(r: ScenarioReport, policies: readonly AdlPolicyOutcome[]): string {
  const charts = isReplay(r)
    ? [replayPriceChart(r), liquidatedNotionalChart(r), cascadeDepthChart(r), insuranceFundChart(r)]
    : isMonteCarlo(r)
      ? [
          samplePathsChart(r),
          fundBandsChart(r),
          meanLiquidatedChart(r),
          meanCascadeDepthChart(r),
          badDebtHistogramChart(r, r.monteCarlo.badDebt),
        ]
      : [];
  return renderSimulatePage(
    "",
    `Venue scenario: ${r.mode === "replay" ? "replay" : "Monte Carlo"}`,
    renderSimulate(r),
    [
      ...charts,
      ...(policies.length === 0
        ? []
        : [adlOvershootChart(policies, r.mode === "replay" ? "the replay" : `mean over ${r.paths} paths`)]),
    ],
  );
}

/** A Maker replay: one run, no paths or workers; `--seed` replaces the scenario's. */
function runMaker(
  scenario: MakerScenario,
  opts: { paths?: string; workers?: string; seed?: string; json?: true; report?: string },
): void {
  refuseOptions("a Maker replay", "Leave it out: the day runs once.", [
    ["--paths", opts.paths],
    ["--workers", opts.workers],
  ]);
  const report = simulateMakerScenario(
    scenario,
    opts.seed === undefined ? {} : { seed: readIntegerOption(opts.seed, "--seed", 0) },
  );
  if (opts.report !== undefined) writeOutputFile(opts.report, renderMakerSimulateHtml(report), "--report");
  writeOut(opts.json === true ? toJson(report) : renderMakerSimulate(report));
}

/** Sample paths a Monte Carlo report draws (the run's first paths, replayed). */
const REPORT_SAMPLE_PATHS = 3;

/** Registers `liqopt simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description(
      "venue simulator: a book of positions under a venue's liquidation engine, insurance fund and ADL, on Monte Carlo paths or a replayed crash",
    )
    .requiredOption(
      "--config <file>",
      'scenario JSON (docs/reference/simulate.md; examples/venue/): a perp book, "kind": "lending" for a lending market (a replay, or Monte Carlo of correlated assets with path.model), or "kind": "maker" for the 2020-03-12 Maker replay (flip or clip)',
    )
    .option("--paths <n>", "Monte Carlo paths (default: the scenario's)")
    .option("--seed <n>", "seed of the paths (default: the scenario's)")
    .option("--workers <n>", "worker threads (default: one per core); the result depends on it")
    .option("--json", "print the result as JSON")
    .option(
      "--report <file>",
      "write an HTML report with the charts (runs the scenario once per ADL policy; for a sweep, the metrics against the points)",
    )
    .option(
      "--sweep <path=values>",
      "sweep a field of the scenario over comma-separated values, e.g. venue.insuranceFundUsd=0,1e6,1e7 (repeat for a grid of the cross product); every point on the same seed and paths",
      collect,
      [] as string[],
    )
    .option(
      "--sweep-list <file>",
      'sweep a list of points: a JSON array of {"dotted.path": value, …} objects (instead of --sweep)',
    )
    .action(async (opts) => {
      const { raw, readFile } = await loadScenarioDocument(opts.config);
      const any = readScenarioOfKind(raw, readFile);
      if (any.kind !== "perp") {
        if (opts.sweep.length > 0 || opts.sweepList !== undefined) {
          throw new InputError(
            opts.sweepList === undefined ? "--sweep" : "--sweep-list",
            opts.sweepList ?? opts.sweep.join(" "),
            `does not apply to a ${any.kind} scenario`,
            "Sweep a perp scenario, or change the scenario's fields and run it again.",
          );
        }
        if (any.kind === "maker") runMaker(any, opts);
        else await runLending(any, opts);
        return;
      }
      const scenario = any.scenario;
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
      if (opts.sweep.length > 0 || opts.sweepList !== undefined) {
        const list =
          opts.sweepList === undefined
            ? undefined
            : parseJson(await readInput(opts.sweepList, "--sweep-list"), "--sweep-list");
        const sweep = await sweepScenario(raw, sweepPoints(opts.sweep, list), readFile, {
          ...options,
          ...terminalProgress(),
        });
        if (opts.report !== undefined) writeOutputFile(opts.report, renderSweepHtml(sweep), "--report");
        writeOut(opts.json === true ? toJson(sweep) : renderSweep(sweep));
        process.exitCode = reportSweepFailures(sweep, process.stderr);
        return;
      }
      const report = await simulateScenario(scenario, {
        ...options,
        ...(opts.report === undefined ? {} : { samplePaths: REPORT_SAMPLE_PATHS }),
        ...terminalProgress(),
      });
      if (opts.report !== undefined) {
        const policies = await adlPolicyComparison(scenario, options);
        writeOutputFile(opts.report, renderSimulateHtml(report, policies), "--report");
      }
      writeOut(opts.json === true ? toJson(report) : renderSimulate(report));
      if (report.failure !== undefined) {
        if (opts.json === true) process.stderr.write(`${failureWarning(report).join("\n")}\n`);
        process.exitCode = EXIT_INTERNAL;
      }
    });
}

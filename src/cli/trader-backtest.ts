/**
 * `liqopt trader backtest`: the out-of-sample replay of the trader's policies (static leverage, the
 * α-constrained leverage, the optimized stop/top-up) on the user's own hourly candles and funding,
 * as tables, JSON ({@link traderBacktestReport}) or an HTML report with each policy's equity curve.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import {
  type BacktestPolicy,
  equityCurve,
  type PolicySummary,
  type TradeRecord,
} from "../optimize/trader-backtest.js";
import { type TraderBacktestReport, traderBacktestReport } from "../optimize/trader-backtest-report.js";
import { escapeXml } from "../report/index.js";
import { writeOutputFile } from "../report/output-file.js";
import { policyEquityChart } from "../report/trader-charts.js";
import { loadFunding } from "./funding.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";
import {
  bundledNames,
  loadCandlesOption,
  readChoiceList,
  readFractionOption,
  readFundingReadOptions,
  readIntegerOption,
  withCandleRange,
  withFundingFile,
} from "./market-options.js";
import { type NumberOptionRow, readNumberOptions } from "./number-options.js";
import { readCostOptions, readDegenerateOption, readDurationHours, withCostOptions } from "./trader.js";

/** The `--policy` names: the library's `thresholds` is the stop/top-up policy. */
const POLICY_NAMES = ["static", "alpha", "stop-topup"] as const;
const POLICY_OF: Record<(typeof POLICY_NAMES)[number], BacktestPolicy> = {
  static: "static",
  alpha: "alpha",
  "stop-topup": "thresholds",
};
const NAME_OF: Record<BacktestPolicy, string> = {
  static: "static",
  alpha: "alpha",
  thresholds: "stop-topup",
};

/** The numeric options of `trader backtest` read from their table (the cost options: {@link readCostOptions}). */
const BACKTEST_NUMBER_OPTIONS = [
  {
    flag: "--notional",
    field: "notional",
    min: 0,
    exclusiveMin: true,
    max: 1e12,
    fix: "Pass a positive amount, e.g. 100000.",
  },
  {
    flag: "--leverage",
    field: "staticLeverage",
    min: 1,
    max: 1000,
    fix: "Pass a leverage of at least 1, e.g. 20.",
  },
  {
    flag: "--top-up",
    field: "topUpFraction",
    min: 0,
    max: 10,
    fix: "Pass a fraction of the initial collateral, e.g. 0.5.",
  },
] as const satisfies readonly NumberOptionRow<string>[];

/** One row of policy totals. */
function summaryRow(s: PolicySummary): string[] {
  return [
    NAME_OF[s.policy],
    String(s.trades),
    formatNumber(s.meanLeverage, 2),
    `${s.liquidations} (${formatPercent(s.trades === 0 ? 0 : s.liquidations / s.trades)})`,
    `${s.stops} (${s.prematureStops})`,
    String(s.topUps),
    formatNumber(s.pnl, 0),
    formatNumber(s.totalCost, 0),
    `${formatNumber(s.meanCommitted, 0)} / ${formatNumber(s.maxCommitted, 0)}`,
  ];
}

const SUMMARY_HEAD = [
  "Policy",
  "Trades",
  "Mean lev.",
  "Liquidations",
  "Stops (premature)",
  "Top-ups",
  "P&L",
  "Total cost",
  "Capital mean / max",
];

/** The fallback IGARCHs' ᾱ over the degenerate refits: `ᾱ 0.1234`, or `ᾱ 0.0812–0.2316` when they differ. */
function alphaRange(r: TraderBacktestReport): string {
  const alphas = r.refits.flatMap((x) =>
    x.degenerate?.igarch === undefined ? [] : [x.degenerate.igarch.alpha],
  );
  const lo = formatNumber(Math.min(...alphas), 4);
  const hi = formatNumber(Math.max(...alphas), 4);
  return lo === hi ? `ᾱ ${lo}` : `ᾱ ${lo}–${hi}`;
}

/** The `warning:` lines of the refits: degenerate GARCH-t fits (and the fallback used), ν at its floor. */
function fitWarnings(r: TraderBacktestReport): string[] {
  const out: string[] = [];
  const d = r.degenerateFits;
  const days = (at: readonly string[]) => at.map((t) => t.slice(0, 10)).join(", ");
  if (d.count > 0)
    out.push(
      `warning: ${d.count} of ${d.refits} refits had a degenerate GARCH(1,1)-t fit (${d.reasons.join("; ")}) on ${days(d.at)}: ` +
        (d.fallback === null
          ? "kept as asked (--degenerate keep)"
          : `those refits fell back to the IGARCH(1,1) with drift of each fit (its ω, ᾱ = α/(α + β): ${alphaRange(r)}) as filter and in the banks, with its Student-t shocks`),
    );
  const nu = r.nuAtFloorFits;
  if (nu.count > 0)
    out.push(
      `warning: ${nu.count} of ${d.refits} refits ended with ν at its floor 2 on ${days(nu.at)}: the tails are too heavy for a unit-variance Student-t, and the banks' t shocks sit at that limit`,
    );
  return out;
}

/** The readable form of a {@link TraderBacktestReport}. */
function renderTraderBacktest(r: TraderBacktestReport): string {
  const s = r.settings;
  const out = [
    `${r.symbol} on ${r.venue}: out-of-sample policy backtest, ${r.candles.bars} hourly bars ${r.candles.from.slice(0, 16)} → ${r.candles.to.slice(0, 16)} UTC`,
    `A long and a short of ${formatNumber(s.notional, 0)} each opened every UTC midnight, held ${formatNumber(s.horizonHours, 0)} h; static leverage ${formatNumber(s.staticLeverage, 2)}×, α = ${s.alpha}; GARCH(1,1)-t refitted every ${formatNumber(s.refitHours / 24, 1)} d on up to ${formatNumber(s.fitHours / 24, 1)} d.`,
    r.funding === null
      ? "Funding: none given (--funding): positions pay no funding."
      : `Funding: ${r.funding.symbol}, ${r.funding.settlements} settlements ${r.funding.from.slice(0, 10)} → ${r.funding.to.slice(0, 10)}${r.funding.symbol !== r.symbol ? ` (a proxy: not ${r.symbol})` : ""}.`,
    ...fitWarnings(r),
    "",
  ];
  if (r.firstTrade === null) {
    out.push("No trade: the sample ends before the first fit and one horizon.");
    return out.join("\n");
  }
  out.push(
    `Trades ${r.firstTrade.slice(0, 10)} → ${r.lastTrade?.slice(0, 10) ?? ""}; amounts in the margin asset:`,
    renderTable(SUMMARY_HEAD, r.summary.map(summaryRow), { rightAlign: [1, 2, 3, 4, 5, 6, 7, 8] }),
  );
  if (r.alphaCalibration.length > 0)
    out.push(
      "",
      `Calibration of the α policy (target P(liquidation within ${formatNumber(s.horizonHours, 0)} h) ≤ ${s.alpha}; p: P(at least that many liquidations | α)):`,
      renderTable(
        ["Side", "Trades", "Liquidations", "Frequency", "p-value"],
        r.alphaCalibration.map((c) => [
          c.side,
          String(c.trades),
          String(c.liquidations),
          c.frequency === null ? "—" : formatPercent(c.frequency),
          c.pValue === null ? "—" : c.pValue.toExponential(2),
        ]),
        { rightAlign: [1, 2, 3, 4] },
      ),
    );
  for (const w of r.crashWindows)
    out.push(
      "",
      `Crash window ${w.label}:`,
      renderTable(SUMMARY_HEAD, w.summary.map(summaryRow), { rightAlign: [1, 2, 3, 4, 5, 6, 7, 8] }),
    );
  return out.join("\n");
}

/** The HTML report: the tables as text and each reported policy's equity curve. */
function renderTraderBacktestHtml(r: TraderBacktestReport): string {
  const curves = r.settings.policies.map((policy) => ({
    policy,
    curve: equityCurve(r.trades as TradeRecord[], policy, r.settings.notional),
  }));
  const chart =
    r.trades.length === 0
      ? ""
      : policyEquityChart({
          title: `${r.symbol}: equity per policy (a long and a short of ${formatNumber(r.settings.notional, 0)} a day, out of sample)`,
          curves,
          fromMs: Date.parse(r.firstTrade ?? r.candles.from),
          toMs: Date.parse(r.lastTrade ?? r.candles.to),
          yTitle: "equity",
          name: (policy) => NAME_OF[policy],
        });
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>liqopt trader backtest</title>',
    "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{font-size:12px;overflow-x:auto}</style></head><body>",
    `<h1>${escapeXml(r.symbol)}: trader policies out of sample</h1>`,
    `<pre>${escapeXml(renderTraderBacktest(r))}</pre>`,
    chart,
    "</body></html>",
  ].join("\n");
}

/** Writes the share of the sample replayed on stderr (a terminal). */
function progress(done: number): void {
  const share = Math.min(1, done);
  const bar = "#".repeat(Math.round(share * 30)).padEnd(30, " ");
  process.stderr.write(`\r[${bar}] ${Math.round(share * 100)} % of the sample replayed`);
}

/** Registers `liqopt trader backtest` under the `trader` command. */
export function registerTraderBacktest(trader: Command): void {
  const command = trader
    .command("backtest")
    .description(
      "out-of-sample replay of the static, α and stop/top-up policies on your own hourly candles (and funding)",
    )
    .requiredOption(
      "--candles <file>",
      `hourly candles (CSV or JSON, see docs/reference/data-formats.md) or a bundled set: ${bundledNames("candles")}`,
    );
  withCostOptions(
    withCandleRange(
      withFundingFile(command, "funding rates paid by open positions"),
      "the venue's symbol of the candles (default: the file's or the bundled set's)",
    ),
    {
      slippageBps: "slippage of the decision tables, basis points of notional",
      impactY:
        "Y of the square-root law for every realized close (σ_D and 30-day volume from the candles); 0: --slippage-bps instead",
    },
  )
    .option(
      "--venue <id>",
      "venue whose tiers, liquidation fee and rules apply (liqopt venues)",
      "binance-usdm",
    )
    .option("--alpha <probability>", "target P(liquidation within the horizon) of the alpha policy", "0.01")
    .option("--horizon <duration>", "holding period of each trade, e.g. 24h", "24h")
    .option("--policy <list>", `policies reported: all, or a comma list of ${POLICY_NAMES.join(", ")}`, "all")
    .option("--notional <amount>", "notional of each trade, in the margin asset", "100000")
    .option("--leverage <x>", "leverage of the static and stop-topup policies", "20")
    .option(
      "--top-up <fraction>",
      "top-up of the stop-topup policy, a fraction of the initial collateral",
      "0.5",
    )
    .option("--fit <duration>", "longest fitting window (rolling once reached)", "180d")
    .option("--min-fit <duration>", "the first fit's window (it expands to --fit)", "60d")
    .option("--refit <duration>", "time between refits", "30d")
    .option("--recovery <duration>", "recovery window W of the premature-close test", "24h")
    .option("--paths <n>", "Monte Carlo paths per decision table", "1000")
    .option("--knots <n>", "conditional-variance knots of each decision table", "6")
    .option(
      "--degenerate <policy>",
      "when a refit's GARCH-t fit is degenerate (persistence at the stationarity bound): fallback (to the fit's IGARCH(1,1) with drift and its t shocks), refuse or keep",
      "fallback",
    )
    .option("--seed <n>", "seed of the random streams", "1")
    .option("--json", "print one JSON object instead of tables")
    .option("--report <file>", "write an HTML report with the tables and the equity curves")
    .action((opts) => {
      const horizonHours = readDurationHours(opts.horizon, "--horizon");
      if (horizonHours < 1 || !Number.isInteger(horizonHours))
        throw new InputError(
          "--horizon",
          opts.horizon,
          "must be a whole number of hours",
          "Pass e.g. 24h or 3d.",
        );
      const minFitHours = readWholeHours(opts.minFit, "--min-fit", 24 * 7);
      const fitHours = readWholeHours(opts.fit, "--fit", 24 * 7);
      if (fitHours < minFitHours)
        throw new InputError("--fit", opts.fit, "is shorter than --min-fit", "Pass --fit ≥ --min-fit.");
      const selection = loadCandlesOption(opts.candles, opts, 2);
      const funding =
        opts.funding === undefined
          ? undefined
          : loadFunding(opts.funding, readFundingReadOptions(opts)).series;
      const { impactY, ...costs } = readCostOptions(opts);
      const report = traderBacktestReport(selection.series, funding, {
        venue: opts.venue,
        symbol: opts.symbol ?? selection.series.symbol,
        alpha: readFractionOption(opts.alpha, "--alpha", "0.01"),
        horizonHours,
        policies: readChoiceList(opts.policy, "--policy", POLICY_NAMES).map((p) => POLICY_OF[p]),
        ...readNumberOptions(opts, BACKTEST_NUMBER_OPTIONS),
        recoveryHours: readWholeHours(opts.recovery, "--recovery", 1),
        fitHours,
        minFitHours,
        refitHours: readWholeHours(opts.refit, "--refit", 24),
        paths: readIntegerOption(opts.paths, "--paths", 100),
        knots: readIntegerOption(opts.knots, "--knots", 2),
        seed: readIntegerOption(opts.seed, "--seed", 0),
        onDegenerate: readDegenerateOption(opts.degenerate),
        ...costs,
        ...(impactY > 0 ? { impactY } : {}),
        ...(process.stderr.isTTY === true ? { onProgress: progress } : {}),
      });
      if (process.stderr.isTTY === true) process.stderr.write("\n");
      if (opts.report !== undefined)
        writeOutputFile(opts.report, renderTraderBacktestHtml(report), "--report");
      writeOut(opts.json === true ? toJson(report) : renderTraderBacktest(report));
    });
}

/** A duration option in whole hours, at least `minHours`. */
function readWholeHours(raw: string, option: string, minHours: number): number {
  const hours = readDurationHours(raw, option);
  if (!Number.isInteger(hours) || hours < minHours)
    throw new InputError(
      option,
      raw,
      `must be a whole number of hours, at least ${minHours} h`,
      `Pass e.g. ${minHours % 24 === 0 ? `${minHours / 24}d` : `${minHours}h`} or more.`,
    );
  return hours;
}

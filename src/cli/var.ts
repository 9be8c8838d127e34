/**
 * `liqopt var` (VaR and ES of one asset or of a portfolio of positions, by every model) and
 * `liqopt backtest-var` (the rolling backtest of those models on history, with its coverage tests
 * and a chart of the exceptions on the loss series).
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { CRASH_DAYS } from "../market/bundled.js";
import type { CandleSelection } from "../market/candles.js";
import { DEFAULT_MAX_GAP_BARS, type GapReport, gapWarning, withoutLargeGaps } from "../market/gaps.js";
import { lineChart, writeChart } from "../report/index.js";
import { type BacktestVarReport, backtestVar, backtestVarReport } from "../risk/backtest-report.js";
import { ROLLING_MODELS, type RollingBacktestReport, type RollingModel } from "../risk/rolling-backtest.js";
import { logLossToValueLoss } from "../risk/var.js";
import { historicalVar } from "../risk/var-historical.js";
import { cornishFisherVar, normalVar, studentTVar } from "../risk/var-parametric.js";
import {
  type AssetVarOptions,
  type AssetVarReport,
  assetVarReport,
  type PortfolioVarReport,
  portfolioVarReport,
  VAR_METHODS,
} from "../risk/var-report.js";
import { logReturns } from "../vol/realized.js";
import {
  collect,
  formatNumber,
  formatPercent,
  readNumberOption,
  renderTable,
  toJson,
  writeOut,
} from "./io.js";
import {
  bundledNames,
  loadCandlesOption,
  readChoiceList,
  readChoiceOption,
  readFractionOption,
  readIntegerOption,
  withCandleRange,
} from "./market-options.js";

/** A `--position <candles>=<quantity>` option. */
export interface PositionOption {
  candles: string;
  quantity: number;
}

/** Parses `btc-1h=0.5` (or `file.csv=-10`). */
export function readPositionOption(raw: string): PositionOption {
  const at = raw.lastIndexOf("=");
  const quantity = at < 0 ? Number.NaN : Number(raw.slice(at + 1));
  if (at <= 0 || !Number.isFinite(quantity) || quantity === 0)
    throw new InputError(
      "--position",
      raw,
      "must be <candles>=<quantity>",
      "Pass e.g. --position btc-1h=0.5 --position eth-1h=-10 (negative: short).",
    );
  return { candles: raw.slice(0, at), quantity };
}

/** Confidence levels of the VaR-against-confidence chart. */
const CHART_LEVELS = [0.9, 0.925, 0.95, 0.965, 0.975, 0.985, 0.99, 0.9925, 0.995, 0.9975, 0.999];

/**
 * Chart of `liqopt var --chart`: VaR (as a loss of position value) against the confidence level for
 * the closed-form and historical models, which shows how fast each tail grows.
 */
export function varChart(selection: CandleSelection, o: AssetVarOptions): string {
  const all = logReturns(
    withoutLargeGaps(selection.series, o.maxGapBars ?? DEFAULT_MAX_GAP_BARS).series.close,
  );
  const r = all.subarray(all.length - o.window);
  const models: [string, (q: number) => number][] = [
    ["historical", (q) => historicalVar(r, { confidence: q, horizon: o.horizon }).var],
    ["normal", (q) => normalVar(r, { confidence: q, horizon: o.horizon }).var],
    ["Student-t", (q) => studentTVar(r, { confidence: q, horizon: o.horizon }).var],
    ["Cornish–Fisher", (q) => cornishFisherVar(r, { confidence: q, horizon: o.horizon }).var],
  ];
  const x = Float64Array.from(CHART_LEVELS, (q) => -Math.log10(1 - q));
  return lineChart({
    title: `${selection.series.symbol}: VaR over ${o.horizon} bar(s) against confidence (${o.window} returns)`,
    x: { title: "confidence: −log10(1 − q)  (1 = 90 %, 2 = 99 %, 3 = 99.9 %)" },
    y: { title: "VaR, loss of position value (fraction)", min: 0 },
    series: models.map(([name, f]) => ({
      name,
      x,
      y: Float64Array.from(CHART_LEVELS, (q) => logLossToValueLoss(f(q))),
    })),
  });
}

function renderAsset(r: AssetVarReport): string {
  const amounts = r.notional !== null;
  return [
    `${r.symbol}: ${r.returns} returns of ${r.intervalMs / 3_600_000} h (${r.firstBar} → ${r.lastBar}); VaR/ES at ${formatPercent(r.confidence, 1)} over ${r.horizonBars} bar${r.horizonBars === 1 ? "" : "s"}, as a loss of position value` +
      (amounts ? ` and on ${formatNumber(r.notional)}` : ""),
    renderTable(
      ["Method", "VaR", "ES", ...(amounts ? ["VaR amount", "ES amount"] : []), "Std. error", "Note"],
      r.lines.map((l) => [
        l.method,
        formatPercent(l.varFraction, 3),
        formatPercent(l.esFraction, 3),
        ...(amounts ? [formatNumber(l.varAmount), formatNumber(l.esAmount)] : []),
        l.standardError === null ? "" : formatPercent(l.standardError, 3),
        l.note,
      ]),
      { rightAlign: amounts ? [1, 2, 3, 4, 5] : [1, 2, 3] },
    ),
    ...warningLines([r.gaps], r.lines),
  ].join("\n");
}

/** The `warning:` lines of a VaR report: the gaps in the bars, then each method's warnings. */
function warningLines(
  gaps: readonly GapReport[],
  lines: readonly { method: string; warnings: readonly string[] }[],
): string[] {
  return [
    ...gaps.flatMap((g) => {
      const w = gapWarning(g);
      return w === null ? [] : [`warning: ${w}`];
    }),
    ...lines.flatMap((l) => l.warnings.map((w) => `warning: ${l.method}: ${w}`)),
  ];
}

function renderPortfolio(r: PortfolioVarReport): string {
  return [
    `Portfolio on ${r.scenarios} common bars (${r.firstBar} → ${r.lastBar}), VaR/ES at ${formatPercent(r.confidence, 1)} over ${r.horizonBars} bar(s), in quote currency:`,
    renderTable(
      ["Asset", "Quantity", "Price", "Value", "Component VaR (normal)"],
      r.positions.map((p) => [
        p.asset,
        formatNumber(p.quantity),
        formatNumber(p.price),
        formatNumber(p.value),
        formatNumber(p.componentVar),
      ]),
      { rightAlign: [1, 2, 3, 4] },
    ),
    renderTable(
      ["Method", "VaR", "ES", "Std. error"],
      r.lines.map((l) => [
        l.method,
        formatNumber(l.var),
        formatNumber(l.es),
        l.standardError === null ? "" : formatNumber(l.standardError),
      ]),
      { rightAlign: [1, 2, 3] },
    ),
    ...warningLines(r.gaps, r.lines),
  ].join("\n");
}

/** Help of `--max-gap` (var, backtest-var, trader). */
export const MAX_GAP_HELP =
  "a gap of more missing bars splits the series: use the longest stretch without one (stated)";

/** Registers `liqopt var`. */
export function registerVar(program: Command): void {
  const command = program
    .command("var")
    .description(
      "Value-at-Risk and Expected Shortfall of one asset (every model) or of a portfolio of positions",
    )
    .option("--candles <file>", `candle CSV, or a bundled set: ${bundledNames("candles")}`, "btc-1d")
    .option(
      "--position <candles=quantity>",
      "portfolio mode: a position (repeat), e.g. btc-1h=0.5 eth-1h=-10",
      collect,
      [] as string[],
    );
  withCandleRange(command)
    .option("--window <bars>", "most recent returns the models are estimated on", "1000")
    .option("--confidence <q>", "confidence level, a fraction", "0.99")
    .option("--horizon <bars>", "horizon in bars", "1")
    .option("--method <list>", `all, or a comma list of: ${VAR_METHODS.join(", ")}`, "all")
    .option("--max-gap <bars>", MAX_GAP_HELP, String(DEFAULT_MAX_GAP_BARS))
    .option("--notional <amount>", "position value in quote currency, to print amounts")
    .option("--paths <n>", "Monte Carlo and bootstrap paths", "100000")
    .option("--seed <n>", "seed of the random streams", "1")
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write VaR against the confidence level (.svg or .png; single asset)")
    .action((opts) => {
      const o: AssetVarOptions = {
        confidence: readFractionOption(opts.confidence, "--confidence", "0.99"),
        horizon: readIntegerOption(opts.horizon, "--horizon", 1),
        window: readIntegerOption(opts.window, "--window", 50),
        methods: readChoiceList(opts.method, "--method", VAR_METHODS),
        seed: readIntegerOption(opts.seed, "--seed", 0),
        paths: readIntegerOption(opts.paths, "--paths", 1000),
        maxGapBars: readIntegerOption(opts.maxGap, "--max-gap", 0),
        notional:
          opts.notional === undefined
            ? null
            : readNumberOption(opts.notional, "--notional", {
                min: 0,
                exclusiveMin: true,
                fix: "Pass a positive amount.",
              }),
      };
      if (opts.position.length > 0) {
        if (opts.chart !== undefined)
          throw new InputError(
            "--chart",
            opts.chart,
            "is for a single asset",
            "Drop --chart with --position.",
          );
        const positions = opts.position.map(readPositionOption);
        const selections = positions.map((p) => loadCandlesOption(p.candles, opts, o.window + 1));
        const report = portfolioVarReport(
          selections,
          positions.map((p) => p.quantity),
          o,
        );
        writeOut(opts.json === true ? toJson(report) : renderPortfolio(report));
        return;
      }
      const selection = loadCandlesOption(opts.candles, opts, o.window + 1);
      const report = assetVarReport(selection, o);
      if (opts.chart !== undefined) writeChart(opts.chart, varChart(selection, o));
      writeOut(opts.json === true ? toJson(report) : renderAsset(report));
    });
}

/** Chart: realized losses, each model's VaR line and the chosen model's exceptions. */
export function backtestVarChart(symbol: string, r: RollingBacktestReport, highlight: RollingModel): string {
  const t = r.timeMs ?? new Float64Array(0);
  const m = r.models.find((x) => x.model === highlight) ?? r.models[0];
  const points: { x: number; y: number }[] = [];
  if (m !== undefined)
    m.exceptions.forEach((e, i) => {
      if (e === 1) points.push({ x: t[i] as number, y: r.losses[i] as number });
    });
  return lineChart({
    title: `${symbol}: losses and ${formatPercent(r.confidence, 1)} VaR (rolling ${r.window} bars)`,
    x: { scale: "time", title: "UTC" },
    y: { title: "loss (−log return)" },
    series: [
      { name: "loss", x: t, y: r.losses, color: "#9e9e9e", widthPx: 0.8 },
      ...r.models.map((x) => ({ name: `VaR ${x.model}`, x: t, y: x.var, widthPx: 1.2 })),
    ],
    markers:
      m === undefined
        ? []
        : [
            {
              name: `exceptions (${m.model}): ${points.length}`,
              points,
              shape: "triangle-down",
              color: "#d62728",
            },
          ],
    bands: CRASH_DAYS.filter((d) => d.toMs > (t[0] as number) && d.fromMs < (t[t.length - 1] as number)).map(
      (d) => ({
        from: d.fromMs,
        to: d.toMs,
        label: d.label,
      }),
    ),
  });
}

function renderBacktest(r: BacktestVarReport): string {
  return [
    `${r.symbol}: ${r.observations} tested bars (${r.firstTested} → ${r.lastTested}), ${formatPercent(r.confidence, 1)} VaR, window ${r.window}, refit every ${r.refitEvery}; expected exceptions ${formatNumber(r.models[0]?.expected ?? 0, 1)}`,
    `${r.side} position, losses ${r.intrabar ? `to the bar's ${r.side === "long" ? "low" : "high"} (intrabar)` : "close to close"}; EWMA λ ${formatNumber(r.ewmaLambdaPerBar, 6)} per bar (0.94 per day)`,
    renderTable(
      [
        "Model",
        "Exceptions",
        "Kupiec LR",
        "p",
        "Indep. p",
        "Cond. cov. p",
        "Zone",
        "AS Z2",
        "Mean VaR",
        "Mean ES",
      ],
      r.models.map((m) => [
        m.model,
        String(m.exceptions),
        formatNumber(m.kupiecLr, 3),
        formatNumber(m.kupiecP, 3),
        formatNumber(m.independenceP, 3),
        formatNumber(m.conditionalCoverageP, 3),
        m.zone,
        formatNumber(m.z2, 3),
        formatPercent(m.meanVar, 2),
        formatPercent(m.meanEs, 2),
      ]),
      { rightAlign: [1, 2, 3, 4, 5, 7, 8, 9] },
    ),
    "p < 0.05 rejects the model (Kupiec: exception count; independence: clustering). Z2 well below 0 (−0.70 at 5 % for 250 bars at 97.5 %) means ES too small.",
    ...warningLines([r.gaps], []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join("\n");
}

/** Registers `liqopt backtest-var`. */
export function registerBacktestVar(program: Command): void {
  const command = program
    .command("backtest-var")
    .description(
      "walk-forward VaR/ES backtest of every model: Kupiec, Christoffersen, Basel traffic light, Acerbi–Székely Z2",
    )
    .option("--candles <file>", `candle CSV, or a bundled set: ${bundledNames("candles")}`, "btc-1d");
  withCandleRange(command)
    .option("--window <bars>", "estimation window in bars", "500")
    .option("--refit <bars>", "re-estimate every this many bars", "20")
    .option("--confidence <q>", "confidence level, a fraction", "0.99")
    .option("--models <list>", `all, or a comma list of: ${ROLLING_MODELS.join(", ")}`, "all")
    .option(
      "--side <side>",
      "position whose losses are tested: long (price falls) or short (price rises)",
      "long",
    )
    .option(
      "--intrabar",
      "test the loss to the bar's low (long) or high (short) instead of its close: a liquidation happens on the wick",
    )
    .option("--max-gap <bars>", MAX_GAP_HELP, String(DEFAULT_MAX_GAP_BARS))
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write losses, VaR lines and exceptions (.svg or .png)")
    .option("--chart-model <model>", "model whose exceptions the chart marks", "historical")
    .action((opts) => {
      const window = readIntegerOption(opts.window, "--window", 30);
      const selection = loadCandlesOption(opts.candles, opts, window + 3);
      const models = readChoiceList(opts.models, "--models", ROLLING_MODELS);
      const options = {
        confidence: readFractionOption(opts.confidence, "--confidence", "0.99"),
        window,
        refitEvery: readIntegerOption(opts.refit, "--refit", 1),
        models,
        side: readChoiceOption(opts.side, "--side", ["long", "short"] as const),
        intrabar: opts.intrabar === true,
        maxGapBars: readIntegerOption(opts.maxGap, "--max-gap", 0),
      };
      const run = backtestVar(selection, options);
      if (opts.chart !== undefined) {
        const highlight = readChoiceOption(opts.chartModel, "--chart-model", ROLLING_MODELS);
        if (!models.includes(highlight))
          throw new InputError(
            "--chart-model",
            opts.chartModel,
            "is not among --models",
            "Pick one of the models backtested.",
          );
        writeChart(opts.chart, backtestVarChart(selection.series.symbol, run, highlight));
      }
      const report = backtestVarReport(selection, options, run);
      writeOut(opts.json === true ? toJson(report) : renderBacktest(report));
    });
}

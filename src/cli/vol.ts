/**
 * `liqopt vol`: realized volatility by every estimator, EWMA and a fitted GARCH model on a candle
 * series, as a table, JSON, or a chart of volatility over time.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { CRASH_DAYS } from "../market/bundled.js";
import { lineChart, writeChart } from "../report/index.js";
import { ewmaVariance } from "../vol/ewma.js";
import {
  conditionalVariance,
  fit,
  forecast,
  type GarchDist,
  type GarchFit,
  type GarchModel,
  percentReturns,
} from "../vol/garch.js";
import {
  barsPerYear,
  logReturns,
  realizedVolatility,
  rollingVolatility,
  VOL_ESTIMATORS,
  type VolEstimator,
} from "../vol/realized.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";
import {
  bundledNames,
  type CandleSelection,
  loadCandlesOption,
  readChoiceOption,
  readFractionOption,
  readIntegerOption,
} from "./market-options.js";

/** One estimator's line. */
export interface RealizedLine {
  estimator: VolEstimator;
  perBarVol: number;
  annualVol: number;
}

/** What `liqopt vol --json` prints. */
export interface VolReport {
  source: {
    file: string;
    symbol: string;
    intervalMs: number;
    firstBar: string;
    lastBar: string;
    bars: number;
    anomalies: number;
  };
  /** The window of the realized estimators: the last `bars` bars. */
  window: { bars: number; firstBar: string; lastBar: string };
  realized: RealizedLine[];
  ewma: { lambda: number; perBarVol: number; annualVol: number };
  garch: {
    model: GarchModel;
    dist: GarchDist;
    returns: number;
    params: GarchFit["params"];
    standardErrors: GarchFit["standardErrors"];
    loglikelihood: number;
    aic: number;
    bic: number;
    persistence: number;
    converged: boolean;
    /** Bars for a variance shock to halve, ln ½ / ln φ (∞ when φ ≥ 1). */
    halfLifeBars: number;
    /** Annualized volatility of the next bar and the long-run level (NaN when the half-life exceeds the sample). */
    nextAnnualVol: number;
    longRunAnnualVol: number;
    /** Annualized volatility of the return over the next `horizonBars` bars. */
    horizonBars: number;
    horizonAnnualVol: number;
  };
}

/** Options of {@link volReport}. */
export interface VolOptions {
  window: number;
  lambda: number;
  model: GarchModel;
  dist: GarchDist;
  garchBars: number;
  horizonBars: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The report of `liqopt vol` for the selected candles. */
export function volReport(selection: CandleSelection, o: VolOptions): VolReport {
  const s = selection.series;
  const n = s.close.length;
  if (o.window + 1 > n)
    throw new InputError(
      "--window",
      o.window,
      `is longer than the series (${n} bars)`,
      "Pass a shorter window.",
    );
  const perYear = barsPerYear(s.intervalMs);
  const annual = (perBarVol: number) => perBarVol * Math.sqrt(perYear);
  const start = n - o.window;
  const realized = VOL_ESTIMATORS.map((estimator) => {
    const r = realizedVolatility(s, estimator, { start, end: n });
    return { estimator, perBarVol: r.perBarVol, annualVol: r.annualVol };
  });
  const returns = logReturns(s.close);
  const ewma = ewmaVariance(returns, { lambda: o.lambda, seed: { kind: "backcast" } });
  const ewmaVol = Math.sqrt(ewma[ewma.length - 1] as number);
  const garchReturns = percentReturns(returns.subarray(Math.max(0, returns.length - o.garchBars)));
  const g = fit(garchReturns, { model: o.model, dist: o.dist });
  const f = forecast(g, o.horizonBars);
  const pctToAnnual = (variancePct2: number) => annual(Math.sqrt(variancePct2) / 100);
  const halfLifeBars = g.persistence < 1 ? Math.log(0.5) / Math.log(g.persistence) : Number.POSITIVE_INFINITY;
  return {
    source: {
      file: selection.path,
      symbol: s.symbol,
      intervalMs: s.intervalMs,
      firstBar: iso(s.time[0] as number),
      lastBar: iso(s.time[n - 1] as number),
      bars: n,
      anomalies: selection.loaded.report.anomalies.length,
    },
    window: { bars: o.window, firstBar: iso(s.time[start] as number), lastBar: iso(s.time[n - 1] as number) },
    realized,
    ewma: { lambda: o.lambda, perBarVol: ewmaVol, annualVol: annual(ewmaVol) },
    garch: {
      model: o.model,
      dist: o.dist,
      returns: garchReturns.length,
      params: g.params,
      standardErrors: g.standardErrors,
      loglikelihood: g.loglikelihood,
      aic: g.aic,
      bic: g.bic,
      persistence: g.persistence,
      converged: g.converged,
      nextAnnualVol: pctToAnnual(g.nextVariance),
      halfLifeBars,
      // A shock half-life longer than the sample: the data do not pin down a long-run level.
      longRunAnnualVol:
        halfLifeBars < garchReturns.length ? pctToAnnual(g.unconditionalVariance) : Number.NaN,
      horizonBars: o.horizonBars,
      horizonAnnualVol: pctToAnnual((f.cumulativeVariance[o.horizonBars - 1] as number) / o.horizonBars),
    },
  };
}

/** Volatility over time for the chart: rolling close-to-close, EWMA and GARCH conditional, annualized. */
export interface VolHistory {
  time: Float64Array;
  rolling: Float64Array;
  ewma: Float64Array;
  garch: Float64Array;
}

/** The three annualized volatility paths of the chart, on the bars' times (NaN where undefined). */
export function volHistory(selection: CandleSelection, o: VolOptions, g: VolReport["garch"]): VolHistory {
  const s = selection.series;
  const n = s.close.length;
  const scale = Math.sqrt(barsPerYear(s.intervalMs));
  const rolling = rollingVolatility(s, "close-to-close", o.window, { annualize: true });
  const returns = logReturns(s.close);
  const ewmaVar = ewmaVariance(returns, { lambda: o.lambda, seed: { kind: "backcast" } });
  const ewma = new Float64Array(n).fill(Number.NaN);
  // ewmaVar[t] forecasts return t + 1, which ends at bar t + 1.
  for (let t = 1; t < n; t++) ewma[t] = Math.sqrt(ewmaVar[t - 1] as number) * scale;
  const garch = new Float64Array(n).fill(Number.NaN);
  const first = returns.length - g.returns;
  const h = conditionalVariance(g.params, percentReturns(returns.subarray(first)), { dist: g.dist });
  for (let i = 0; i < h.length; i++) garch[first + i + 1] = (Math.sqrt(h[i] as number) / 100) * scale;
  return { time: s.time, rolling, ewma, garch };
}

/** The chart of `liqopt vol --chart`: the three volatility paths over time, crash days shaded. */
export function volChart(selection: CandleSelection, o: VolOptions, r: VolReport): string {
  const h = volHistory(selection, o, r.garch);
  const first = h.time[0] as number;
  const last = h.time[h.time.length - 1] as number;
  const garchName = `${r.garch.model === "gjr" ? "GJR" : "GARCH"}-${r.garch.dist} conditional`;
  return lineChart({
    title: `${r.source.symbol} annualized volatility`,
    x: { scale: "time", title: "UTC" },
    y: { title: "annualized volatility (fraction)", min: 0 },
    series: [
      { name: `close-to-close, ${o.window} bars`, x: h.time, y: h.rolling },
      { name: `EWMA λ ${o.lambda}`, x: h.time, y: h.ewma },
      { name: garchName, x: h.time, y: h.garch, dashed: true },
    ],
    bands: CRASH_DAYS.filter((d) => d.toMs > first && d.fromMs < last).map((d) => ({
      from: d.fromMs,
      to: d.toMs,
      label: d.label,
      color: "#d62728",
    })),
  });
}

function renderVol(r: VolReport): string {
  const g = r.garch;
  const p = g.params;
  const se = g.standardErrors;
  const param = (name: keyof typeof p) =>
    p[name] === undefined ? [] : [[name, formatNumber(p[name] as number, 6), formatNumber(se[name], 6)]];
  return [
    `${r.source.symbol}: ${r.source.bars} bars of ${r.source.intervalMs / 3_600_000} h, ${r.source.firstBar} → ${r.source.lastBar}` +
      (r.source.anomalies > 0
        ? ` (${r.source.anomalies} anomalies in the file: see liqopt data inspect)`
        : ""),
    `Realized volatility over the last ${r.window.bars} bars (${r.window.firstBar} → ${r.window.lastBar}):`,
    renderTable(
      ["Estimator", "Per bar", "Annualized"],
      r.realized.map((l) => [l.estimator, formatPercent(l.perBarVol, 3), formatPercent(l.annualVol, 1)]),
      { rightAlign: [1, 2] },
    ),
    `EWMA (λ ${r.ewma.lambda}): ${formatPercent(r.ewma.perBarVol, 3)} per bar, ${formatPercent(r.ewma.annualVol, 1)} annualized`,
    `${g.model === "gjr" ? "GJR-GARCH(1,1)" : "GARCH(1,1)"} with ${g.dist === "t" ? "Student-t" : "normal"} innovations on the last ${g.returns} returns (%):` +
      (g.converged ? "" : " (optimizer did not converge: treat with care)"),
    renderTable(
      ["Parameter", "Estimate", "Std. error"],
      [
        ...param("mu"),
        ...param("omega"),
        ...param("alpha"),
        ...param("gamma"),
        ...param("beta"),
        ...param("nu"),
      ],
      { rightAlign: [1, 2] },
    ),
    `log-likelihood ${formatNumber(g.loglikelihood, 3)}, AIC ${formatNumber(g.aic, 2)}, BIC ${formatNumber(g.bic, 2)}, persistence ${formatNumber(g.persistence, 4)}`,
    `next bar ${formatPercent(g.nextAnnualVol, 1)} annualized; next ${g.horizonBars} bars ${formatPercent(g.horizonAnnualVol, 1)}; long run ${Number.isNaN(g.longRunAnnualVol) ? "not identified (shocks outlive the sample)" : formatPercent(g.longRunAnnualVol, 1)}; shock half-life ${formatNumber(g.halfLifeBars, 1)} bars`,
  ].join("\n");
}

/** Registers `liqopt vol`. */
export function registerVol(program: Command): void {
  program
    .command("vol")
    .description("realized volatility (six estimators), EWMA and a fitted GARCH model on candles")
    .option("--candles <file>", `candle CSV, or a bundled set: ${bundledNames("candles")}`, "btc-1d")
    .option("--symbol <symbol>", "symbol of a candle file that has no Symbol column")
    .option("--from <date>", "first bar (UTC date)")
    .option("--to <date>", "end (exclusive, UTC date)")
    .option("--window <bars>", "bars of the realized estimators and of the rolling chart line", "30")
    .option("--lambda <decay>", "EWMA decay λ", "0.94")
    .option("--model <model>", "garch or gjr", "garch")
    .option("--dist <dist>", "normal or t", "t")
    .option("--garch-bars <bars>", "returns the GARCH model is fitted on (the most recent)", "2000")
    .option("--horizon <bars>", "forecast horizon in bars", "7")
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write a chart of volatility over time (.svg or .png)")
    .action(async (opts) => {
      const o: VolOptions = {
        window: readIntegerOption(opts.window, "--window", 2),
        lambda: readFractionOption(opts.lambda, "--lambda", "0.94"),
        model: readChoiceOption(opts.model, "--model", ["garch", "gjr"] as const),
        dist: readChoiceOption(opts.dist, "--dist", ["normal", "t"] as const),
        garchBars: readIntegerOption(opts.garchBars, "--garch-bars", 50),
        horizonBars: readIntegerOption(opts.horizon, "--horizon", 1),
      };
      const selection = loadCandlesOption(opts.candles, opts, Math.max(o.window + 1, 51));
      const report = volReport(selection, o);
      if (opts.chart !== undefined) writeChart(opts.chart, volChart(selection, o, report));
      writeOut(opts.json === true ? toJson(report) : renderVol(report));
    });
}

/**
 * `liqopt vol`: realized volatility by every estimator, EWMA and a fitted GARCH model on a candle
 * series, as a table, JSON, or a chart of volatility over time.
 */
import type { Command } from "@commander-js/extra-typings";
import { CRASH_DAYS } from "../market/bundled.js";
import type { CandleSelection } from "../market/candles.js";
import { lineChart, writeChart } from "../report/index.js";
import {
  MAX_VOL_HORIZON_BARS,
  type VolOptions,
  type VolReport,
  volHistory,
  volReport,
} from "../vol/vol-report.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";
import {
  bundledNames,
  loadCandlesOption,
  readChoiceOption,
  readFractionOption,
  readIntegerOption,
  withCandleRange,
} from "./market-options.js";

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
    p[name] === undefined
      ? []
      : [
          [
            name,
            formatNumber(p[name] as number, 6),
            Number.isNaN(se[name]) ? "—" : formatNumber(se[name], 6),
          ],
        ];
  const longRun = Number.isNaN(g.longRunAnnualVol)
    ? g.persistence >= 1
      ? "none (not stationary)"
      : "not identified (shocks outlive the sample)"
    : formatPercent(g.longRunAnnualVol, 1);
  const halfLife = Number.isNaN(g.halfLifeBars)
    ? g.persistence >= 1
      ? "none (not stationary: shocks never decay)"
      : "not identified (persistence at the stationarity bound)"
    : `${formatNumber(g.halfLifeBars, 1)} bars`;
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
    `${g.model === "gjr" ? "GJR-GARCH(1,1)" : "GARCH(1,1)"} with ${g.dist === "t" ? "Student-t" : "normal"} innovations on the last ${g.returns} returns (%)${g.stationary ? "" : ", stationarity not imposed"}:` +
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
    `next bar ${formatPercent(g.nextAnnualVol, 1)} annualized; next ${g.horizonBars} bars ${formatPercent(g.horizonAnnualVol, 1)}; long run ${longRun}; shock half-life ${halfLife}`,
    ...g.warnings.map((w) => `warning: GARCH fit: ${w}`),
  ].join("\n");
}

/** Registers `liqopt vol`. */
export function registerVol(program: Command): void {
  const command = program
    .command("vol")
    .description("realized volatility (six estimators), EWMA and a fitted GARCH model on candles")
    .option("--candles <file>", `candle CSV, or a bundled set: ${bundledNames("candles")}`, "btc-1d");
  withCandleRange(command)
    .option("--window <bars>", "bars of the realized estimators and of the rolling chart line", "30")
    .option("--lambda <decay>", "EWMA decay λ", "0.94")
    .option("--model <model>", "garch or gjr", "garch")
    .option("--dist <dist>", "normal or t", "t")
    .option("--garch-bars <bars>", "returns the GARCH model is fitted on (the most recent)", "2000")
    .option("--horizon <bars>", "forecast horizon in bars", "7")
    .option(
      "--unconstrained",
      "fit GARCH without the stationarity constraint α + β (+ γ/2) < 1, as R's fGarch does (the optimum may be non-stationary)",
    )
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write a chart of volatility over time (.svg or .png)")
    .action(async (opts) => {
      const o: VolOptions = {
        window: readIntegerOption(opts.window, "--window", 2),
        lambda: readFractionOption(opts.lambda, "--lambda", "0.94"),
        model: readChoiceOption(opts.model, "--model", ["garch", "gjr"] as const),
        dist: readChoiceOption(opts.dist, "--dist", ["normal", "t"] as const),
        garchBars: readIntegerOption(opts.garchBars, "--garch-bars", 50),
        horizonBars: readIntegerOption(opts.horizon, "--horizon", 1, MAX_VOL_HORIZON_BARS),
        unconstrained: opts.unconstrained === true,
      };
      const selection = loadCandlesOption(opts.candles, opts, Math.max(o.window + 1, 51));
      const report = volReport(selection, o);
      if (opts.chart !== undefined) writeChart(opts.chart, volChart(selection, o, report));
      writeOut(opts.json === true ? toJson(report) : renderVol(report));
    });
}

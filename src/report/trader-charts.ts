/**
 * The trader's charts: the stop/top-up cost curve of one analysis ({@link costChart}, drawn by
 * `liqopt trader --report`) and the policies' equity curves of a backtest ({@link policyEquityChart},
 * drawn by `liqopt trader backtest --report`); both also draw docs/figures/trader-*.svg
 * (scripts/trader-backtest.ts).
 */
import { formatNumber } from "../format.js";
import { CRASH_DAYS } from "../market/bundled.js";
import type { TraderAnalysis } from "../optimize/trader-analysis.js";
import type { BacktestPolicy, equityCurve } from "../optimize/trader-backtest.js";
import { lineChart } from "./line.js";

/** The P(liquidation)-against-leverage chart of an analysis. */
export function leverageChart(a: TraderAnalysis): string {
  return lineChart({
    title: `${a.position.symbol} ${a.position.side}: P(liquidation within ${formatNumber(a.horizonHours, 1)} h), ${a.model.kind}`,
    series: [
      {
        name: "P(liquidation)",
        x: a.leverageCurve.map((p) => p.leverage),
        y: a.leverageCurve.map((p) => p.probability),
      },
    ],
    x: { title: "leverage (notional / collateral)" },
    y: { title: "probability", min: 0 },
    referenceLines: [{ y: a.alpha, label: `α = ${a.alpha}` }],
  });
}

/** The expected-cost-against-stop-distance chart (no top-up) of an analysis; null without thresholds. */
export function costChart(a: TraderAnalysis): string | null {
  if (a.thresholds === null) return null;
  const points = a.thresholds.curve.filter(
    (c) => c.topUpFractionOfLiquidation === null && c.thresholds.stopDistance !== null,
  );
  const x = points.map((c) => c.thresholds.stopDistance as number);
  const line = (name: string, color: string, f: (c: (typeof points)[number]) => number, dashed = false) => ({
    name,
    x,
    y: points.map(f),
    color,
    dashed,
  });
  return lineChart({
    title: `${a.position.symbol}: expected cost over ${formatNumber(a.horizonHours, 1)} h against stop distance (no top-up)`,
    series: [
      line("total", "#000000", (c) => c.totalCost.mean),
      line("total − 2 s.e.", "#777777", (c) => c.totalCost.mean - 2 * c.totalCost.standardError, true),
      line("total + 2 s.e.", "#777777", (c) => c.totalCost.mean + 2 * c.totalCost.standardError, true),
      line("forced liquidation", "#D55E00", (c) => c.liquidationCost.mean),
      line("foregone recovery", "#0072B2", (c) => c.foregoneRecovery.mean),
      line("exit execution", "#009E73", (c) => c.exitCost.mean),
      line("idle collateral", "#CC79A7", (c) => c.idleCost.mean),
    ],
    x: { title: "stop distance from the mark (fraction of price)" },
    y: { title: "expected cost (margin asset)" },
  });
}

/** Colours of the policies' equity curves (Okabe–Ito). */
const POLICY_COLORS: Record<BacktestPolicy, string> = {
  static: "#D55E00",
  alpha: "#0072B2",
  thresholds: "#009E73",
};

/**
 * The SVG chart of each policy's equity curve over `[fromMs, toMs]`, its liquidations marked and the
 * crash days within the span shaded (`CRASH_DAYS`). `name` labels a policy in the legend.
 */
export function policyEquityChart(o: {
  title: string;
  curves: readonly { policy: BacktestPolicy; curve: ReturnType<typeof equityCurve> }[];
  fromMs: number;
  toMs: number;
  yTitle: string;
  name: (policy: BacktestPolicy) => string;
}): string {
  return lineChart({
    title: o.title,
    series: o.curves.map(({ policy, curve }) => ({
      name: o.name(policy),
      x: curve.time,
      y: curve.equity,
      color: POLICY_COLORS[policy],
    })),
    markers: o.curves.map(({ policy, curve }) => ({
      name: `${o.name(policy)}: liquidation`,
      points: curve.liquidations.map((p) => ({ x: p.time, y: p.equity })),
      shape: "cross" as const,
      color: POLICY_COLORS[policy],
      sizePx: 4,
    })),
    bands: CRASH_DAYS.filter((d) => d.toMs > o.fromMs && d.fromMs < o.toMs).map((d) => ({
      from: d.fromMs,
      to: d.toMs,
      label: d.label,
    })),
    x: { title: "time (UTC)", scale: "time" },
    y: { title: o.yTitle },
    width: 1000,
    height: 480,
  });
}

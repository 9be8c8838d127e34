/**
 * The charts of a venue scenario's report (`liqopt simulate --report`): for a replay the price with
 * the liquidations marked, the liquidated notional, the cascade's depth and the insurance fund per
 * step; for Monte Carlo sample paths with their liquidations, the fund's bands over time, the mean
 * liquidated notional and the mean cascade depth per step and the bad-debt distribution; for both the ADL of each bad-debt policy against the
 * deficit it had to cover; for a sweep, headline metrics against the swept parameters.
 */
import { formatNumber } from "../format.js";
import type { TailBin } from "../sim/tail-histogram.js";
import type { AdlPolicyOutcome, HeadlineMetric, ScenarioReport } from "../sim/venue/scenario-report.js";
import type { SweepParameters, SweepReport } from "../sim/venue/sweep.js";
import { barChart } from "./bar.js";
import { areaChart, lineChart } from "./line.js";
import type { MarkerPoint } from "./types.js";

type Replayed = ScenarioReport & { readonly replay: NonNullable<ScenarioReport["replay"]> };
type Simulated = ScenarioReport & { readonly monteCarlo: NonNullable<ScenarioReport["monteCarlo"]> };

/** Whether a report is a replay (it carries per-step series). */
export function isReplay(r: ScenarioReport): r is Replayed {
  return r.replay !== null;
}

/**
 * The exogenous (replayed) mark and the venue's mark after the impact of the liquidation flow, with
 * a marker at each step where positions were taken over (labelled with their count).
 */
export function replayPriceChart(r: Replayed): string {
  const s = r.replay;
  const points = s.takenOver.flatMap((n, k) =>
    n > 0 ? [{ x: s.timeMs[k] as number, y: s.mark[k] as number, label: `${n}` }] : [],
  );
  return lineChart({
    title: "Mark price and liquidations",
    x: { scale: "time", title: "UTC" },
    y: { title: "price (USD)" },
    series: [
      { name: "replayed mark", x: s.timeMs, y: s.exogenousMark, color: "#999999" },
      { name: "venue mark (with impact)", x: s.timeMs, y: s.mark },
    ],
    markers: [{ name: "positions taken over", points, shape: "triangle-down", color: "#D55E00", sizePx: 5 }],
  });
}

/** Notional liquidated at each step (USD), as a step area over time. */
export function liquidatedNotionalChart(r: Replayed): string {
  const s = r.replay;
  return areaChart({
    title: `Liquidated notional per ${r.stepMinutes}-minute step`,
    x: { scale: "time", title: "UTC" },
    y: { title: "notional closed (USD)" },
    series: [{ name: "liquidated notional", x: s.timeMs, y: s.liquidatedNotionalUsd, step: true }],
  });
}

/**
 * The cascade's depth at each step — the rounds in which the mark crossed a position, the second and
 * later crossed by the impact of the closes before them — on the time axis of
 * {@link liquidatedNotionalChart} (drawn under it), each step with a liquidation marked with its
 * notional.
 */
export function cascadeDepthChart(r: Replayed): string {
  const s = r.replay;
  const points = s.liquidatedNotionalUsd.flatMap((usd, k) =>
    usd > 0
      ? [{ x: s.timeMs[k] as number, y: s.cascadeDepth[k] as number, label: formatNumber(usd, 0) }]
      : [],
  );
  return lineChart({
    title: `Cascade depth per ${r.stepMinutes}-minute step (rounds that crossed a position)`,
    x: { scale: "time", title: "UTC" },
    y: { title: "rounds", min: 0 },
    series: [{ name: "cascade depth", x: s.timeMs, y: s.cascadeDepth, step: true }],
    markers: [{ name: "liquidated notional (USD)", points, shape: "circle", color: "#D55E00", sizePx: 4 }],
  });
}

/** The insurance fund's balance after each step, with its starting level. */
export function insuranceFundChart(r: Replayed): string {
  const s = r.replay;
  return lineChart({
    title: "Insurance fund",
    x: { scale: "time", title: "UTC" },
    y: { title: "balance (USD)" },
    series: [{ name: "insurance fund", x: s.timeMs, y: s.fundUsd, step: true }],
    referenceLines: [
      { y: r.venue.insuranceFundUsd, label: "start" },
      { y: 0, label: "empty" },
    ],
  });
}

/**
 * ADL per policy (bars): needed (the deficit), executed, the overshoot and the uncovered loss — a
 * replay's totals or Monte Carlo's means per path.
 */
export function adlOvershootChart(rows: readonly AdlPolicyOutcome[], per: string): string {
  const column = (f: (r: AdlPolicyOutcome) => number) => rows.map(f);
  return barChart({
    title: `ADL by policy (${per})`,
    categories: rows.map((r) => r.policy),
    series: [
      { name: "needed (deficit)", values: column((r) => r.neededUsd), color: "#999999" },
      { name: "executed", values: column((r) => r.executedUsd), color: "#0072B2" },
      { name: "overshoot", values: column((r) => r.overshootUsd), color: "#D55E00" },
      { name: "uncovered", values: column((r) => r.uncoveredUsd), color: "#CC79A7" },
    ],
    y: { title: "USD" },
  });
}

/** Whether a report is a Monte Carlo run (it carries per-step bands). */
export function isMonteCarlo(r: ScenarioReport): r is Simulated {
  return r.monteCarlo !== null;
}

/** The run's first paths (exogenous mark), a marker at each step with take-overs (labelled with their count). */
export function samplePathsChart(r: Simulated): string {
  const { minutes, samplePaths } = r.monteCarlo;
  const points: MarkerPoint[] = samplePaths.flatMap((p) =>
    p.takenOver.flatMap((n, k) =>
      n > 0 ? [{ x: minutes[k] as number, y: p.mark[k] as number, label: `${n}` }] : [],
    ),
  );
  return lineChart({
    title: `The first ${samplePaths.length} paths (seed ${r.seed}) and their liquidations`,
    x: { title: "minutes" },
    y: { title: "mark (USD)" },
    series: samplePaths.map((p, i) => ({ name: `path ${i + 1} (venue mark)`, x: minutes, y: p.mark })),
    markers: [{ name: "positions taken over", points, shape: "triangle-down", color: "#D55E00", sizePx: 5 }],
  });
}

/** The insurance fund after each step across paths: mean, median and the 5 %–95 % band. */
export function fundBandsChart(r: Simulated): string {
  const { minutes, fundUsd } = r.monteCarlo;
  return lineChart({
    title: `Insurance fund over time (${r.paths} paths)`,
    x: { title: "minutes" },
    y: { title: "balance (USD)" },
    series: [
      { name: "95 %", x: minutes, y: fundUsd.p95, color: "#999999", dashed: true },
      { name: "median", x: minutes, y: fundUsd.p50, color: "#0072B2" },
      { name: "mean", x: minutes, y: fundUsd.mean, color: "#009E73" },
      { name: "5 %", x: minutes, y: fundUsd.p05, color: "#D55E00", dashed: true },
    ],
    referenceLines: [
      { y: r.venue.insuranceFundUsd, label: "start" },
      { y: 0, label: "empty" },
    ],
  });
}

/** Mean notional liquidated at each step across paths (USD), as a step area. */
export function meanLiquidatedChart(r: Simulated): string {
  const { minutes, liquidatedNotionalUsd } = r.monteCarlo;
  return areaChart({
    title: `Mean liquidated notional per ${r.stepMinutes}-minute step (${r.paths} paths)`,
    x: { title: "minutes" },
    y: { title: "notional closed (USD)" },
    series: [{ name: "mean liquidated notional", x: minutes, y: liquidatedNotionalUsd, step: true }],
  });
}

/** Mean cascade depth at each step across paths (rounds that crossed a position), as a step line. */
export function meanCascadeDepthChart(r: Simulated): string {
  const { minutes, cascadeDepth } = r.monteCarlo;
  return lineChart({
    title: `Mean cascade depth per ${r.stepMinutes}-minute step (${r.paths} paths)`,
    x: { title: "minutes" },
    y: { title: "rounds that crossed a position", min: 0 },
    series: [{ name: "mean cascade depth", x: minutes, y: cascadeDepth, step: true }],
  });
}

/**
 * The distribution of the bad debt per path: paths per logarithmic bin (x in log10 USD, the bins of
 * src/sim/tail-histogram.ts) drawn as a histogram outline, with the mean and the ES 99 % marked; the
 * paths with no bad debt are counted in the title (a perp venue's or a lending market's run: the
 * headline keys `badDebtUsd` and `badDebtEs99Usd`).
 */
export function badDebtHistogramChart(
  r: { readonly paths: number; readonly headline: readonly HeadlineMetric[] },
  distribution: { readonly zeros: number; readonly bins: readonly TailBin[] },
): string {
  const { bins, zeros } = distribution;
  const metric = (key: string) => r.headline.find((h) => h.key === key)?.value ?? Number.NaN;
  const title = `Bad debt per path (${r.paths} paths; ${zeros} with none)`;
  if (bins.length === 0) return `<p>${title}: no path left bad debt.</p>`;
  let edge = (bins[0] as (typeof bins)[number]).lower;
  const x = [Math.log10(edge)];
  const y = [0];
  for (const b of bins) {
    if (b.lower !== edge) {
      x.push(Math.log10(edge), Math.log10(b.lower));
      y.push(0, 0);
    }
    x.push(Math.log10(b.lower), Math.log10(b.upper));
    y.push(b.count, b.count);
    edge = b.upper;
  }
  x.push(Math.log10(edge));
  y.push(0);
  const mark = (label: string, usd: number): MarkerPoint[] =>
    usd > 0 ? [{ x: Math.log10(usd), y: 0, label: `${label} ${formatNumber(usd, 0)}` }] : [];
  return lineChart({
    title,
    x: {
      title: "bad debt, log10 USD (6 = 1 M USD)",
      max: Math.ceil(Math.log10(Math.max(edge, metric("badDebtEs99Usd"))) + 0.5),
    },
    y: { title: "paths" },
    series: [{ name: "paths per bin", x, y }],
    markers: [
      { name: "mean", points: mark("mean", metric("badDebtUsd")), shape: "diamond", color: "#009E73" },
      {
        name: "ES 99 %",
        points: mark("ES 99 %", metric("badDebtEs99Usd")),
        shape: "triangle-up",
        color: "#D55E00",
      },
    ],
  });
}

/** A sweep point's label: `path=value, …`. */
export function sweepPointLabel(parameters: SweepParameters): string {
  return Object.entries(parameters)
    .map(([path, v]) => `${path}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

/**
 * Headline metrics (`keys` of the reports' headline, in one unit) against the points of a sweep: a
 * line over the swept value when every point sets the same single numeric field, bars per point
 * otherwise (labelled by their values when every point sets the same fields, named on the axis);
 * a failed point, or a metric its report lacks, is a gap.
 */
export function sweepChart(
  sweep: SweepReport,
  keys: readonly { readonly key: string; readonly label: string }[],
  title: string,
  yTitle: string,
): string {
  const value = (i: number, key: string): number => {
    const p = sweep.points[i];
    if (p === undefined || !("report" in p)) return Number.NaN;
    return p.report.headline.find((h) => h.key === key)?.value ?? Number.NaN;
  };
  const fields = sweep.points.map((p) => Object.keys(p.parameters));
  const field = fields[0]?.[0];
  const numeric =
    field !== undefined &&
    fields.every((f) => f.length === 1 && f[0] === field) &&
    sweep.points.every((p) => typeof p.parameters[field] === "number");
  if (numeric) {
    const order = sweep.points
      .map((_, i) => i)
      .sort(
        (a, b) =>
          (sweep.points[a]?.parameters[field] as number) - (sweep.points[b]?.parameters[field] as number),
      );
    const x = order.map((i) => sweep.points[i]?.parameters[field] as number);
    return lineChart({
      title,
      x: { title: field },
      y: { title: yTitle },
      series: keys.map((k) => ({ name: k.label, x, y: order.map((i) => value(i, k.key)) })),
    });
  }
  const paths = fields[0]?.join(", ") ?? "";
  const samePaths = fields.every((f) => f.join(", ") === paths);
  return barChart({
    title,
    ...(samePaths ? { x: { title: paths } } : {}),
    categories: sweep.points.map((p) =>
      samePaths ? Object.values(p.parameters).map(String).join(", ") : sweepPointLabel(p.parameters),
    ),
    series: keys.map((k) => ({ name: k.label, values: sweep.points.map((_, i) => value(i, k.key)) })),
    y: { title: yTitle },
  });
}

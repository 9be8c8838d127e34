/**
 * The charts of a venue scenario's report (`liqopt simulate --report`): the replayed price with the
 * liquidations marked, the liquidated notional and the insurance fund per step, and the ADL of each
 * bad-debt policy against the deficit it had to cover.
 */
import type { AdlPolicyOutcome, ScenarioReport } from "../sim/venue/scenario-report.js";
import { barChart } from "./bar.js";
import { areaChart, lineChart } from "./line.js";

type Replayed = ScenarioReport & { readonly replay: NonNullable<ScenarioReport["replay"]> };

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
 * ADL per policy (bars): needed (the deficit), executed and the overshoot for a replay; the mean
 * overshoot and uncovered loss per path for Monte Carlo.
 */
export function adlOvershootChart(rows: readonly AdlPolicyOutcome[], per: string): string {
  const replay = rows.every((r) => r.neededUsd !== null && r.executedUsd !== null);
  const column = (f: (r: AdlPolicyOutcome) => number | null) => rows.map((r) => f(r) ?? Number.NaN);
  return barChart({
    title: `ADL by policy (${per})`,
    categories: rows.map((r) => r.policy),
    series: [
      ...(replay
        ? [
            { name: "needed (deficit)", values: column((r) => r.neededUsd), color: "#999999" },
            { name: "executed", values: column((r) => r.executedUsd), color: "#0072B2" },
          ]
        : []),
      { name: "overshoot", values: column((r) => r.overshootUsd), color: "#D55E00" },
      ...(replay ? [] : [{ name: "uncovered", values: column((r) => r.uncoveredUsd), color: "#CC79A7" }]),
    ],
    y: { title: "USD" },
  });
}

/**
 * The bad debt per path of a Monte Carlo run (bars): its mean with the 95 % interval's ends, and its
 * expected shortfall at 99 %.
 */
export function badDebtChart(r: ScenarioReport): string {
  const metric = (key: string) => r.headline.find((h) => h.key === key);
  const mean = metric("badDebtUsd");
  const es = metric("badDebtEs99Usd");
  return barChart({
    title: `Bad debt per path (${r.paths} paths, seed ${r.seed})`,
    categories: ["mean (lower 95 %)", "mean", "mean (upper 95 %)", "ES 99 %"],
    series: [
      {
        name: "bad debt before socialization",
        values: [
          mean?.lower ?? Number.NaN,
          mean?.value ?? Number.NaN,
          mean?.upper ?? Number.NaN,
          es?.value ?? Number.NaN,
        ],
        color: "#D55E00",
      },
    ],
    y: { title: "USD" },
  });
}

/**
 * The workflow of `liqopt simulate`: one call runs a checked {@link Scenario} — the Monte Carlo
 * simulation `"venue"` on the worker pool, or {@link replayVenue} on a replayed crash — and returns a
 * plain, JSON-serialisable report: the headline metrics (with their confidence intervals in Monte
 * Carlo), what the scenario was, and the per-step series: for a replay its path, for Monte Carlo the
 * insurance fund's bands and the mean liquidated notional per step, the bad-debt distribution and a
 * few sample paths.
 */

import { InputError } from "../../errors.js";
import { normalQuantile } from "../../math/distributions.js";
import { readNumber } from "../../validate.js";
import { simulateParallel } from "../pool.js";
import type { RunFailure } from "../run.js";
import type { ProportionEstimate } from "../stats.js";
import { VENUE_ADL_POLICIES, type VenueAdlPolicyName } from "./adl-policy.js";
import { cascadeReconciliation } from "./cascade-calibration.js";
import { type PerpVenueParams, replayVenue, type VenueReplay, type VenueTotals } from "./engine.js";
import type { GmxPoolTotals } from "./procedure-gmx.js";
import type { ReplayDepthSource, ReplayMarkSource } from "./replay-market.js";
import type { Scenario, ScenarioPath } from "./scenario.js";
import {
  type MeanEstimate,
  type StepBands,
  sampleVenuePaths,
  type VenueEstimate,
  type VenueSimulationSpec,
} from "./simulation.js";

/** Options of {@link simulateScenario}; paths and seed default to the scenario's. */
export interface SimulateScenarioOptions {
  readonly paths?: number;
  readonly seed?: number;
  /** Worker threads of the pool (Monte Carlo); default os.availableParallelism(). */
  readonly workers?: number;
  /** Replaces the scenario's ADL policy (the policy comparison). */
  readonly adlPolicy?: VenueAdlPolicyName;
  /** Monte Carlo: how many of the run's first paths to replay into {@link MonteCarloSeries.samplePaths} (default 0). */
  readonly samplePaths?: number;
  /** Paths done of the total, after each round (Monte Carlo). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One headline metric: its value and, in Monte Carlo, its confidence interval (null otherwise). */
export interface HeadlineMetric {
  readonly key: string;
  readonly label: string;
  readonly unit: "USD" | "positions" | "count" | "probability";
  readonly value: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** The per-step series of a replay (plain arrays). */
export interface ReplaySeries {
  /** Bar open times (epoch ms UTC). */
  readonly timeMs: readonly number[];
  readonly exogenousMark: readonly number[];
  readonly mark: readonly number[];
  readonly fundUsd: readonly number[];
  readonly liquidatedNotionalUsd: readonly number[];
  readonly takenOver: readonly number[];
  readonly impactInduced: readonly number[];
  readonly badDebtUsd: readonly number[];
  readonly adlNeededUsd: readonly number[];
  readonly adlExecutedUsd: readonly number[];
  /** The cascade's depth per step: rounds in which the mark crossed a position (`VenueStepRecord.cascadeDepth`). */
  readonly cascadeDepth: readonly number[];
  readonly totals: VenueTotals;
  /** End balances: collateral + fund (+ vault) + market + uncovered = start total. */
  readonly ledger: VenueReplay["ledger"];
  /** The procedure's counts: Hyperliquid's actions, or Drift's transfers, fees and socialized loss. */
  readonly procedure?: VenueReplay["procedure"];
  /** The dYdX v4 procedure's fills, refusals and deleveraging (that procedure only). */
  readonly dydx?: VenueReplay["dydx"];
  /** Loss socialized through funding per step (Drift's procedure only, USD). */
  readonly socializedThroughFundingUsd?: readonly number[];
  /** GMX v2's pool (that procedure only): its value and the ADL notional per step, and its totals. */
  readonly pool?: {
    readonly poolUsd: readonly number[];
    readonly adlNotionalUsd: readonly number[];
    readonly totals: GmxPoolTotals;
  };
}

/** The per-step series and distributions of a Monte Carlo run (plain arrays). */
export interface MonteCarloSeries {
  /** Minutes from the start at the end of each step. */
  readonly minutes: readonly number[];
  /** The insurance fund after each step across paths: mean, 5 %, 50 % and 95 % (USD). */
  readonly fundUsd: StepBands;
  /** Mean notional liquidated at each step (USD). */
  readonly liquidatedNotionalUsd: readonly number[];
  /** Mean cascade depth at each step (rounds that crossed a position). */
  readonly cascadeDepth: readonly number[];
  /** Bad debt per path: paths with none and the non-empty log bins (src/sim/tail-histogram.ts). */
  readonly badDebt: VenueEstimate["badDebtDistribution"];
  /** The run's first paths (worker 0's, reproducible from the seed): marks and take-overs per step. */
  readonly samplePaths: readonly {
    readonly exogenousMark: readonly number[];
    readonly mark: readonly number[];
    readonly takenOver: readonly number[];
  }[];
}

/** What `liqopt simulate` reports. */
export interface ScenarioReport {
  readonly mode: "monte-carlo" | "replay";
  readonly book: {
    readonly source: string;
    readonly positions: number;
    readonly longs: number;
    readonly openInterestLongUsd: number;
    readonly openInterestShortUsd: number;
    readonly markPrice: number;
    readonly tiers: string;
  };
  readonly venue: Scenario["venue"];
  readonly path:
    | { readonly kind: "model"; readonly model: Extract<ScenarioPath, { kind: "model" }>["model"] }
    | {
        readonly kind: "replay";
        readonly dataset: string;
        readonly from: string;
        readonly to: string;
        /** What the take-overs trigger on, and the depth scale of the impact (`path.mark`, `path.depth`). */
        readonly mark: ReplayMarkSource;
        readonly depth: ReplayDepthSource;
      };
  readonly steps: number;
  readonly stepMinutes: number;
  readonly paths: number;
  readonly seed: number;
  /** Worker threads of a Monte Carlo run (part of what fixes its result); null for a replay. */
  readonly workers: number | null;
  /**
   * A Monte Carlo run stopped by a failed batch (src/sim/pool.ts): the report covers the `paths`
   * of the completed batches only. Absent when the run finished.
   */
  readonly failure?: RunFailure;
  readonly headline: readonly HeadlineMetric[];
  readonly replay: ReplaySeries | null;
  readonly monteCarlo: MonteCarloSeries | null;
  /**
   * Whether this venue model has been reconciled with a real event (shared/docs/design.md: "reconcile
   * first, then counterfactual"): true only for the calibrated configuration of the 2025-10-10
   * cascade (`cascadeReconciliation`, docs/cascade-reconciliation.md); any other scenario's answers
   * are unvalidated and the CLI says so.
   */
  readonly reconciliation: { readonly reconciled: boolean; readonly note: string };
}

/**
 * Runs `scenario` (with `options` overriding its paths, seed and ADL policy) and reports it. A
 * replay steps {@link replayVenue} through the replayed marks once; a model runs the registered
 * simulation `"venue"` on the pool.
 */
export async function simulateScenario(
  scenario: Scenario,
  options: SimulateScenarioOptions = {},
): Promise<ScenarioReport> {
  const venue =
    options.adlPolicy === undefined ? scenario.venue : { ...scenario.venue, adlPolicy: options.adlPolicy };
  const base = describe(scenario, venue);
  if (scenario.path.kind === "replay") {
    const { marks, trades, depthScale } = scenario.path;
    const r = replayVenue(scenario.population, depthScale ? { ...venue, depthScale } : venue, marks, trades);
    const replay: ReplaySeries = {
      timeMs: [...scenario.path.timesMs],
      exogenousMark: [...scenario.path.marks],
      mark: [...r.mark],
      fundUsd: [...r.fundUsd],
      liquidatedNotionalUsd: [...r.liquidatedNotionalUsd],
      takenOver: [...r.takenOver],
      impactInduced: [...r.impactInduced],
      badDebtUsd: [...r.badDebtUsd],
      adlNeededUsd: [...r.adlNeededUsd],
      adlExecutedUsd: [...r.adlExecutedUsd],
      cascadeDepth: [...r.cascadeDepth],
      totals: r.totals,
      ledger: r.ledger,
      ...(r.procedure === undefined ? {} : { procedure: r.procedure }),
      ...(r.dydx === undefined ? {} : { dydx: r.dydx }),
      ...(r.socializedThroughFundingUsd === undefined
        ? {}
        : { socializedThroughFundingUsd: [...r.socializedThroughFundingUsd] }),
      ...(r.pool === undefined
        ? {}
        : {
            pool: {
              poolUsd: [...r.pool.poolUsd],
              adlNotionalUsd: [...r.pool.adlNotionalUsd],
              totals: r.pool.totals,
            },
          }),
    };
    return {
      ...base,
      mode: "replay",
      paths: 1,
      seed: scenario.seed,
      workers: null,
      headline:
        r.pool === undefined
          ? replayHeadline(r.totals, r.leftQueued, liquidatedLabel(venue), r.procedure)
          : [
              ...withoutFund(replayHeadline(r.totals, r.leftQueued, liquidatedLabel(venue), r.procedure)),
              ...poolHeadline(r.pool.totals, r.totals.feesUsd),
            ],
      replay,
      monteCarlo: null,
    };
  }
  const paths = options.paths ?? scenario.paths;
  const seed = options.seed ?? scenario.seed;
  const src = scenario.populationSource;
  const onProgress = options.onProgress;
  const spec: VenueSimulationSpec = {
    book:
      src.kind === "drawn"
        ? { spec: src.spec, seed: src.seed, tiers: scenario.tiers }
        : { columns: scenario.population },
    venue,
    model: scenario.path.model,
    grid: {
      horizonYears: (scenario.steps * scenario.stepMinutes) / MINUTES_PER_YEAR,
      steps: scenario.steps,
    },
  };
  const estimate = await simulateParallel("venue", spec, {
    seed,
    paths,
    batchPaths: BATCH_PATHS,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(onProgress === undefined ? {} : { onProgress: (p: { paths: number }) => onProgress(p.paths, paths) }),
  });
  return {
    ...base,
    mode: "monte-carlo",
    paths: estimate.paths,
    seed: estimate.seed,
    workers: estimate.workers,
    ...(estimate.failure === undefined ? {} : { failure: estimate.failure }),
    headline:
      estimate.pool === undefined
        ? monteCarloHeadline(estimate, liquidatedLabel(venue))
        : withoutFund(monteCarloHeadline(estimate, liquidatedLabel(venue))),
    replay: null,
    monteCarlo: {
      minutes: Array.from({ length: scenario.steps }, (_, k) => (k + 1) * scenario.stepMinutes),
      fundUsd: estimate.fundByStep,
      liquidatedNotionalUsd: estimate.liquidatedNotionalByStep,
      cascadeDepth: estimate.cascadeDepthByStep,
      badDebt: estimate.badDebtDistribution,
      samplePaths: sampleVenuePaths(spec, seed, Math.min(readSampleCount(options.samplePaths), paths)).map(
        (p) => ({
          exogenousMark: [...p.exogenousMark],
          mark: [...p.replay.mark],
          takenOver: [...p.replay.takenOver],
        }),
      ),
    },
  };
}

/** The number of sample paths asked for (default 0). */
function readSampleCount(count: number | undefined): number {
  const n = readNumber(count ?? 0, "samplePaths", {
    min: 0,
    fix: "Pass a whole number of paths ≥ 0, e.g. 3.",
  });
  if (!Number.isInteger(n)) throw new InputError("samplePaths", count, "must be a whole number", "Round it.");
  return n;
}

/** Paths per worker per round: progress every {@link BATCH_PATHS} × workers paths (part of what fixes a result). */
const BATCH_PATHS = 50;
const MINUTES_PER_YEAR = 365 * 24 * 60;

/** z = Φ⁻¹(1 − (1 − confidence)/2) of a two-sided normal interval (1.96 at 95 %). */
export function intervalZ(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** A headline mean per path with its normal interval `mean ± z·se`. */
export function meanMetric(
  key: string,
  label: string,
  unit: HeadlineMetric["unit"],
  m: MeanEstimate,
  z: number,
): HeadlineMetric {
  return {
    key,
    label,
    unit,
    value: m.mean,
    lower: m.mean - z * m.standardError,
    upper: m.mean + z * m.standardError,
  };
}

/** A headline value without an interval (a histogram estimate such as an ES, or a replay's total). */
export function valueMetric(
  key: string,
  label: string,
  unit: HeadlineMetric["unit"],
  value: number,
): HeadlineMetric {
  return { key, label, unit, value, lower: null, upper: null };
}

/** A headline probability with its Wilson interval. */
export function probabilityMetric(key: string, label: string, p: ProportionEstimate): HeadlineMetric {
  return { key, label, unit: "probability", value: p.probability, lower: p.lower, upper: p.upper };
}

/**
 * The headline of a Monte Carlo run: means per path with the normal interval `mean ± z·se`
 * (z = Φ⁻¹(0.975)), probabilities with their Wilson intervals, and the bad debt's ES 99 % (no
 * interval: a histogram estimate, src/sim/tail-histogram.ts).
 */
function monteCarloHeadline(e: VenueEstimate, liquidated: string): HeadlineMetric[] {
  const z = intervalZ(e.fundExhausted.confidence);
  const mean = (key: string, label: string, unit: HeadlineMetric["unit"], m: MeanEstimate) =>
    meanMetric(key, label, unit, m, z);
  return [
    mean("liquidatedNotionalUsd", "liquidated notional", "USD", e.liquidatedNotional),
    mean("takenOver", liquidated, "positions", e.liquidations),
    mean("impactInduced", "of which impact-induced", "positions", e.impactInducedLiquidations),
    mean("badDebtUsd", "bad debt (before socialization)", "USD", e.badDebt),
    valueMetric("badDebtEs99Usd", "bad debt ES 99 %", "USD", e.badDebtEs99),
    probabilityMetric("fundExhausted", "P(fund exhausted)", e.fundExhausted),
    probabilityMetric("adl", "P(ADL)", e.adl),
    mean("adlNeededUsd", "ADL needed (deficit)", "USD", e.adlNeeded),
    mean("adlExecutedUsd", "ADL executed", "USD", e.adlExecuted),
    mean("adlOvershootUsd", "ADL overshoot", "USD", e.adlOvershoot),
    mean("uncoveredUsd", "uncovered loss", "USD", e.uncovered),
    ...(e.leftQueued === undefined ? [] : [mean("leftQueued", LEFT_QUEUED, "positions", e.leftQueued)]),
    ...(e.socializedThroughFunding === undefined
      ? []
      : [mean(SOCIALIZED.key, SOCIALIZED.label, "USD", e.socializedThroughFunding)]),
    ...(e.pool === undefined
      ? []
      : [
          mean("poolAdlNotionalUsd", POOL_ADL, "USD", e.pool.adlNotional),
          probabilityMetric("poolAdl", "P(pool ADL)", e.pool.adl),
          mean("poolEndUsd", "GM pool at the end", "USD", e.pool.endUsd),
        ]),
  ];
}

/**
 * The label of `takenOver`: positions the fund took over (Binance-like), or, under a procedure,
 * positions liquidated for the first time (Hyperliquid: a market order, the backstop vault or a
 * bankrupt close, docs/assumptions.md item 71; dYdX v4: a position's first liquidation order).
 */
function liquidatedLabel(venue: PerpVenueParams): string {
  if (venue.procedure?.kind === "gmx-v2") return "positions liquidated by keepers";
  return venue.procedure === undefined ? "positions taken over" : "positions liquidated (first time)";
}

/** The headline line of Drift's procedure (src/sim/venue/procedure-drift.ts), only under it. */
const SOCIALIZED = { key: "socializedThroughFundingUsd", label: "socialized through funding" } as const;
/**
 * The headline under GMX v2's procedure: no insurance fund, no impact feedback and no deficit ADL, so
 * their lines go; the bad debt is the LPs' loss, the shortfalls the pool bore (same key, its label).
 */
function withoutFund(headline: HeadlineMetric[]): HeadlineMetric[] {
  return headline
    .filter((h) => !FUND_KEYS.includes(h.key))
    .map((h) =>
      h.key === "badDebtUsd"
        ? { ...h, label: LP_LOSS }
        : h.key === "badDebtEs99Usd"
          ? { ...h, label: "LP loss ES 99 %" }
          : h,
    );
}

const FUND_KEYS = [
  "impactInduced",
  "feesUsd",
  "minFundUsd",
  "fundExhausted",
  "adl",
  "adlNeededUsd",
  "adlExecutedUsd",
  "adlOvershootUsd",
  "uncoveredUsd",
];

/** A headline row of one path (no interval). */
const m = valueMetric;

/** The lines of GMX v2's pool in a replay's headline: pool ADL and the pool's value. */
function poolHeadline(t: GmxPoolTotals, feesUsd: number): HeadlineMetric[] {
  return [
    m("poolFeesUsd", "position and liquidation fees to the pool", "USD", feesUsd),
    m("poolImpactUsd", "price impact liquidations paid the pool", "USD", t.impactUsd),
    m("poolAdlNotionalUsd", POOL_ADL, "USD", t.adlNotionalUsd),
    m("poolAdlOrders", "pool ADL orders", "positions", t.adlOrders),
    m("poolAdlPnlPaidUsd", "profit pool ADL paid out", "USD", t.adlPnlPaidUsd),
    m("poolEndUsd", "GM pool at the end", "USD", t.poolUsd),
    m("minPoolUsd", "lowest GM pool", "USD", t.minPoolUsd),
  ];
}

const LP_LOSS = "LP loss (shortfalls the pool bore)";
const POOL_ADL = "pool ADL notional";

/** The headline line of the liquidator agents (src/sim/venue/liquidators.ts), only with agents. */
const LEFT_QUEUED = "left queued for lack of a willing liquidator";

/** The headline of one path: its totals (and, with liquidator agents, the positions they left), no interval. */
function replayHeadline(
  t: VenueTotals,
  leftQueued: number | undefined,
  liquidated: string,
  procedure: VenueReplay["procedure"],
): HeadlineMetric[] {
  return [
    m("liquidatedNotionalUsd", "liquidated notional", "USD", t.liquidatedNotionalUsd),
    m("takenOver", liquidated, "positions", t.takenOver),
    m("impactInduced", "of which impact-induced", "positions", t.impactInduced),
    m("badDebtUsd", "bad debt (before socialization)", "USD", t.badDebtUsd),
    m("feesUsd", "clearance fees to the fund", "USD", t.feesUsd),
    m("minFundUsd", "lowest insurance fund", "USD", t.minFundUsd),
    m("adlNeededUsd", "ADL needed (deficit)", "USD", t.adlNeededUsd),
    m("adlExecutedUsd", "ADL executed", "USD", t.adlExecutedUsd),
    m("adlOvershootUsd", "ADL overshoot", "USD", t.adlOvershootUsd),
    m("uncoveredUsd", "uncovered loss", "USD", t.uncoveredUsd),
    ...(leftQueued === undefined ? [] : [m("leftQueued", LEFT_QUEUED, "positions", leftQueued)]),
    ...(procedure === undefined || !("socializedThroughFundingUsd" in procedure)
      ? []
      : [m(SOCIALIZED.key, SOCIALIZED.label, "USD", procedure.socializedThroughFundingUsd)]),
  ];
}

/** What the scenario is, for the report. */
function describe(
  s: Scenario,
  venue: Scenario["venue"],
): Omit<ScenarioReport, "mode" | "paths" | "seed" | "workers" | "headline" | "replay" | "monteCarlo"> {
  const p = s.population;
  let longs = 0;
  let oiLong = 0;
  let oiShort = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p.size[i] as number;
    const notional = Math.abs(q) * (p.markPrice[i] as number);
    if (q > 0) {
      longs++;
      oiLong += notional;
    } else oiShort += notional;
  }
  const src = s.populationSource;
  return {
    reconciliation: cascadeReconciliation({ ...s, venue }),
    book: {
      source: src.kind === "drawn" ? `drawn (seed ${src.seed})` : src.file,
      positions: p.length,
      longs,
      openInterestLongUsd: oiLong,
      openInterestShortUsd: oiShort,
      markPrice: p.markPrice[0] as number,
      tiers: s.tiersSource,
    },
    venue,
    path:
      s.path.kind === "model"
        ? { kind: "model", model: s.path.model }
        : {
            kind: "replay",
            dataset: s.path.dataset,
            from: new Date(s.path.timesMs[0] as number).toISOString(),
            to: new Date(s.path.timesMs[s.path.timesMs.length - 1] as number).toISOString(),
            mark: s.path.mark,
            depth: s.path.depth,
          },
    steps: s.steps,
    stepMinutes: s.stepMinutes,
  };
}

/**
 * One ADL policy's outcome on a scenario: the ADL needed (the deficit), executed, the overshoot and
 * the uncovered loss (USD) — a replay's totals, or Monte Carlo's means per path.
 */
export interface AdlPolicyOutcome {
  readonly policy: VenueAdlPolicyName;
  readonly neededUsd: number;
  readonly executedUsd: number;
  readonly overshootUsd: number;
  readonly uncoveredUsd: number;
}

/**
 * Runs `scenario` once per ADL policy (VENUE_ADL_POLICIES, the contract-space queues included; capped pro-rata only when the scenario gives
 * `capOfEquity`) on the same paths and seed, and returns each one's {@link AdlPolicyOutcome}: the
 * comparison of the report's "ADL overshoot by policy". None under dYdX v4's procedure, whose
 * deleveraging is the chain's (the engine's ADL policy is never called there).
 */
export async function adlPolicyComparison(
  scenario: Scenario,
  options: Omit<SimulateScenarioOptions, "adlPolicy"> = {},
): Promise<AdlPolicyOutcome[]> {
  const rows: AdlPolicyOutcome[] = [];
  if (scenario.venue.procedure?.kind === "dydx-v4") return rows;
  for (const policy of VENUE_ADL_POLICIES) {
    if (policy === "capped-pro-rata" && scenario.venue.capOfEquity === undefined) continue;
    const r = await simulateScenario(scenario, { ...options, adlPolicy: policy });
    const value = (key: string) => r.headline.find((h) => h.key === key)?.value ?? Number.NaN;
    rows.push({
      policy,
      neededUsd: value("adlNeededUsd"),
      executedUsd: value("adlExecutedUsd"),
      overshootUsd: value("adlOvershootUsd"),
      uncoveredUsd: value("uncoveredUsd"),
    });
  }
  return rows;
}

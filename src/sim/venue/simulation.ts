/**
 * Monte Carlo of a perp venue ({@link PerpVenue}) over price paths: the registered simulation
 * `"venue"` of src/sim/evaluators.ts. The book is fixed across paths — drawn once per evaluator
 * from the population spec's own seed ({@link drawPopulation}), or given as columns — so that the
 * paths are the only randomness and every worker holds the same book (docs/assumptions.md item 47).
 * Per path: `reset()`, a path of log returns from {@link createPathGenerator} with the runner's
 * stream, the exogenous mark `X_k = S₀·exp(Σ_{j≤k} r_j)` (S₀ the population's mark) stepped
 * through the venue. The tally is streaming and mergeable (no per-path arrays): bad debt (closed
 * plus still queued at the last mark) with its mean, expected shortfall and distribution from a
 * {@link TailHistogram}, P(fund exhausted), P(ADL), ADL needed, executed and overshoot, liquidated
 * notional and count, impact-induced liquidations, and per step the insurance fund's distribution
 * (a {@link StepHistogram}: mean and 5 / 50 / 95 % bands) and the mean liquidated notional. The run
 * watches P(fund exhausted) (stop-at-tolerance).
 */
import { InputError } from "../../errors.js";
import type { TierTable } from "../../margin/tiers.js";
import { Xoshiro128 } from "../../math/random.js";
import { createPathGenerator, type ModelSpec, type PathGenerator, type TimeGrid } from "../models.js";
import { type PathEvaluator, type RunFacts, runFacts, type Simulation } from "../run.js";
import {
  type ProportionEstimate,
  proportionEstimate,
  type Welford,
  welfordAdd,
  welfordSd,
  welfords,
  welfordsMerge,
} from "../stats.js";
import {
  addInto,
  type StepHistogram,
  stepHistogram,
  stepHistogramAdd,
  stepHistogramEndPath,
  stepHistogramMerge,
  stepHistogramSize,
  stepMeans,
  stepQuantiles,
} from "../step-histogram.js";
import {
  type TailBin,
  type TailHistogram,
  tailAdd,
  tailBins,
  tailExpectedShortfall,
  tailHistogram,
  tailMerge,
} from "../tail-histogram.js";
import type { TallyKind } from "../tally.js";
import { PerpVenue, type PerpVenueParams, replayVenue, type VenueReplay } from "./engine.js";
import { drawPopulation, type PerpPopulation } from "./population.js";
import type { PopulationSpec } from "./population-spec.js";

/** Where the book comes from: drawn from a spec and its own seed with a tier table, or columns. */
export type VenueBook =
  | { readonly spec: PopulationSpec; readonly seed: number; readonly tiers: TierTable }
  | { readonly columns: PerpPopulation };

/** What to simulate (plain data: it crosses worker threads by structured clone). */
export interface VenueSimulationSpec {
  readonly book: VenueBook;
  readonly venue: PerpVenueParams;
  readonly model: ModelSpec;
  readonly grid: TimeGrid;
}

/**
 * The tally's {@link Welford} fields, said once: each one's name and the value a path adds to it,
 * read off the venue after the path's last step (`undefined`: the path adds nothing, as a
 * procedure's own field under another procedure). Creation, add and merge of {@link VenueTally}
 * all walk this table.
 */
const PER_PATH = {
  /** Bad debt: closed positions plus those still queued at the last mark (USD). */
  badDebt: (v: PerpVenue) => v.totals.badDebtUsd + v.totals.pendingBadDebtUsd,
  adlNeeded: (v: PerpVenue) => v.totals.adlNeededUsd,
  adlExecuted: (v: PerpVenue) => v.totals.adlExecutedUsd,
  overshoot: (v: PerpVenue) => v.totals.adlOvershootUsd,
  uncovered: (v: PerpVenue) => v.totals.uncoveredUsd,
  liquidatedNotional: (v: PerpVenue) => v.totals.liquidatedNotionalUsd,
  liquidations: (v: PerpVenue) => v.totals.takenOver,
  impactInduced: (v: PerpVenue) => v.totals.impactInduced,
  /** Positions no liquidator agent was willing and able to take (0 without agents). */
  leftQueued: (v: PerpVenue) => v.liquidators?.leftQueued ?? 0,
  /** Loss socialized through funding (Drift's procedure; 0 otherwise). */
  socialized: (v: PerpVenue) => v.drift?.counts.socializedThroughFundingUsd ?? 0,
  /** GMX v2's pool (only under that procedure): ADL notional and end value. */
  poolAdlNotional: (v: PerpVenue) => v.gmx?.totals.adlNotionalUsd,
  poolEnd: (v: PerpVenue) => v.gmx?.totals.poolUsd,
} as const satisfies Record<string, (venue: PerpVenue) => number | undefined>;

type PerPathField = keyof typeof PER_PATH;
const PER_PATH_FIELDS = Object.keys(PER_PATH) as PerPathField[];

/** Mergeable per-batch reducers: counts, histograms and a {@link Welford} per {@link PER_PATH} field. */
export type VenueTally = Record<PerPathField, Welford> & {
  paths: number;
  /** Paths whose fund ran out, and paths with ADL executed. */
  fundExhausted: number;
  adl: number;
  /** Paths that ended with taken-over positions still queued (the liquidator had not caught up). */
  queuedAtEnd: number;
  /** Paths with GMX v2 pool ADL (0 under other procedures). */
  poolAdl: number;
  badDebtTail: TailHistogram;
  /** The fund after each step (sized by the first path). */
  fund: StepHistogram;
  /** Σ over paths of the notional liquidated at each step (sized by the first path). */
  liquidatedByStep: Float64Array;
  /** Σ over paths of the cascade's depth at each step (sized by the first path). */
  cascadeDepthByStep: Float64Array;
};

/** The per-step sums of a {@link VenueTally}, summed over paths and divided by them in the estimate. */
const STEP_SUMS = ["liquidatedByStep", "cascadeDepthByStep"] as const;

const venueTally: TallyKind<VenueTally> = {
  empty: () => ({
    ...welfords(PER_PATH_FIELDS),
    paths: 0,
    fundExhausted: 0,
    adl: 0,
    queuedAtEnd: 0,
    poolAdl: 0,
    badDebtTail: tailHistogram(),
    fund: stepHistogram(),
    liquidatedByStep: new Float64Array(0),
    cascadeDepthByStep: new Float64Array(0),
  }),
  merge: (a, b) => {
    for (const key of STEP_SUMS) {
      if (b.paths > 0 && a.paths === 0) a[key] = new Float64Array(b[key].length);
      if (b.paths > 0) addInto(a[key], b[key]);
    }
    a.paths += b.paths;
    a.fundExhausted += b.fundExhausted;
    a.adl += b.adl;
    a.queuedAtEnd += b.queuedAtEnd;
    a.poolAdl += b.poolAdl;
    welfordsMerge(a, b, PER_PATH_FIELDS);
    tailMerge(a.badDebtTail, b.badDebtTail);
    stepHistogramMerge(a.fund, b.fund);
  },
  paths: (t) => t.paths,
  watched: (t, confidence) => proportionEstimate(t.fundExhausted, t.paths, confidence),
  informative: (t) => t.fundExhausted > 0 && t.fundExhausted < t.paths,
};

/** A mean with its standard error `sd/√n`. */
export interface MeanEstimate {
  readonly mean: number;
  readonly standardError: number;
}

/** The result of a venue run. */
export interface VenueEstimate extends RunFacts {
  /** Bad debt per path (USD): closed positions plus those still queued at the last mark. */
  readonly badDebt: MeanEstimate;
  /** Expected shortfall at 99 % of the bad debt (USD; histogram, see src/sim/tail-histogram.ts). */
  readonly badDebtEs99: number;
  /** P(the fund ran out at some step) — the watched estimate. */
  readonly fundExhausted: ProportionEstimate;
  /** P(ADL took something from the winners). */
  readonly adl: ProportionEstimate;
  /**
   * P(the path ended with taken-over positions still queued): a warning that the horizon is short
   * for the liquidator's capacity (their bad debt is valued at the last mark).
   */
  readonly queuedAtEnd: ProportionEstimate;
  /** Mean ADL needed per path: the deficits the fund could not cover (USD). */
  readonly adlNeeded: MeanEstimate;
  /** Mean ADL executed per path: what the policy took from the winners (USD). */
  readonly adlExecuted: MeanEstimate;
  /** Mean ADL overshoot per path, Σ max(0, executed − needed) (USD). */
  readonly adlOvershoot: MeanEstimate;
  /** Mean bad debt neither the fund nor ADL covered (USD). */
  readonly uncovered: MeanEstimate;
  readonly liquidatedNotional: MeanEstimate;
  /** Mean positions taken over per path, and of them the impact-induced. */
  readonly liquidations: MeanEstimate;
  readonly impactInducedLiquidations: MeanEstimate;
  /** The distribution of the bad debt per path: paths with none, and the non-empty log bins (USD). */
  readonly badDebtDistribution: { readonly zeros: number; readonly bins: readonly TailBin[] };
  /** The insurance fund after each step across paths (USD): mean and quantile bands. */
  readonly fundByStep: StepBands;
  /** Mean notional liquidated at each step (USD). */
  readonly liquidatedNotionalByStep: readonly number[];
  /** Mean cascade depth at each step: rounds that crossed a position (`VenueStepRecord.cascadeDepth`, src/sim/venue/engine.ts). */
  readonly cascadeDepthByStep: readonly number[];
  /** Positions in the book. */
  readonly positions: number;
  /**
   * With liquidator agents only: mean positions per path left queued for lack of a willing
   * liquidator (turned down by every agent that could reach them, src/sim/venue/liquidators.ts).
   */
  readonly leftQueued?: MeanEstimate;
  /** With Drift's procedure only: mean loss per path socialized through the cumulative funding rate (USD). */
  readonly socializedThroughFunding?: MeanEstimate;
  /**
   * With GMX v2's procedure only: the mean pool ADL notional and GM pool at the end per path, and
   * P(pool ADL); the bad debt is then the LPs' loss (the shortfalls the pool bore).
   */
  readonly pool?: {
    readonly adlNotional: MeanEstimate;
    readonly endUsd: MeanEstimate;
    readonly adl: ProportionEstimate;
  };
}

/**
 * A quantity at each step across paths: its mean and its 5 %, 50 % and 95 % quantiles, from a
 * per-step log histogram (src/sim/step-histogram.ts: quantiles within ≈ 12 % of the value).
 */
export interface StepBands {
  readonly mean: readonly number[];
  readonly p05: readonly number[];
  readonly p50: readonly number[];
  readonly p95: readonly number[];
}

/** Simulates paths of one {@link VenueSimulationSpec}; the book and all scratch are built once. */
export class VenueEvaluator implements PathEvaluator<VenueTally> {
  readonly steps: number;
  readonly dtYears: number;
  readonly venue: PerpVenue;
  private readonly generator: PathGenerator;
  private readonly start: number;
  private readonly logReturns: Float64Array;
  private readonly stepVariance: Float64Array;

  /** @throws InputError naming the field of a bad spec (`book`, `venue.*`, `model.*`, `grid.*`). */
  constructor(spec: VenueSimulationSpec) {
    this.generator = createPathGenerator(spec.model, spec.grid);
    this.steps = this.generator.steps;
    this.dtYears = this.generator.dtYears;
    const population = bookOf(spec.book);
    this.start = population.markPrice[0] as number;
    this.venue = new PerpVenue(population, spec.venue);
    this.logReturns = new Float64Array(this.steps);
    this.stepVariance = new Float64Array(this.steps);
  }

  /** Simulates `paths` paths from `rng` into `tally`. */
  run(rng: Xoshiro128, paths: number, tally: VenueTally): void {
    const venue = this.venue;
    const totals = venue.totals;
    const record = venue.record;
    const steps = this.steps;
    if (tally.paths === 0) {
      stepHistogramSize(tally.fund, steps);
      for (const key of STEP_SUMS) if (tally[key].length !== steps) tally[key] = new Float64Array(steps);
    }
    const { liquidatedByStep, cascadeDepthByStep } = tally;
    for (let p = 0; p < paths; p++) {
      this.generator.next(rng, this.logReturns, this.stepVariance);
      venue.reset();
      // the agents' failures and tie-breaks: a stream of the path's own, drawn only when there are agents
      venue.liquidators?.reset(rng.nextUint32());
      // dYdX's deleveraging starts: the path's own stream, drawn only under that procedure
      venue.dydx?.reset(rng.nextUint32());
      let x = 0;
      for (let k = 0; k < steps; k++) {
        x += this.logReturns[k] as number;
        venue.step(this.start * Math.exp(x));
        stepHistogramAdd(tally.fund, k, record.fundUsd);
        liquidatedByStep[k] = (liquidatedByStep[k] as number) + record.liquidatedNotionalUsd;
        cascadeDepthByStep[k] = (cascadeDepthByStep[k] as number) + record.cascadeDepth;
      }
      stepHistogramEndPath(tally.fund);
      tally.paths++;
      if (totals.fundExhausted) tally.fundExhausted++;
      if (totals.adlExecutedUsd > 0) tally.adl++;
      if (venue.record.queued > 0) tally.queuedAtEnd++;
      if ((venue.gmx?.totals.adlOrders ?? 0) > 0) tally.poolAdl++;
      for (const f of PER_PATH_FIELDS) {
        const x = PER_PATH[f](venue);
        if (x !== undefined) welfordAdd(tally[f], x);
      }
      tailAdd(tally.badDebtTail, PER_PATH.badDebt(venue));
    }
  }
}

/** One sampled path: its exogenous marks and the venue's replay of them. */
export interface VenueSamplePath {
  readonly exogenousMark: Float64Array;
  readonly replay: VenueReplay;
}

/**
 * The first `count` paths of a run of `spec` with `seed`, replayed step by step ({@link replayVenue}):
 * the paths worker 0 runs first (the seed's own stream, stream index 0; src/sim/pool.ts), so a
 * chart of them shows paths of the run itself, reproducible from the seed alone.
 *
 * @throws InputError as {@link VenueEvaluator}.
 */
export function sampleVenuePaths(spec: VenueSimulationSpec, seed: number, count: number): VenueSamplePath[] {
  const generator = createPathGenerator(spec.model, spec.grid);
  const population = bookOf(spec.book);
  const start = population.markPrice[0] as number;
  const rng = new Xoshiro128(seed);
  const logReturns = new Float64Array(generator.steps);
  const variance = new Float64Array(generator.steps);
  return Array.from({ length: count }, () => {
    generator.next(rng, logReturns, variance);
    const marks = new Float64Array(generator.steps);
    let x = 0;
    for (let k = 0; k < marks.length; k++) {
      x += logReturns[k] as number;
      marks[k] = start * Math.exp(x);
    }
    return { exogenousMark: marks, replay: replayVenue(population, spec.venue, marks) };
  });
}

/** The book of a spec: drawn from its own seed, or the given columns. */
function bookOf(book: VenueBook): PerpPopulation {
  if ("columns" in book) {
    if (!(book.columns.length > 0 && (book.columns.markPrice[0] as number) > 0)) {
      throw new InputError(
        "book.columns",
        book.columns.length,
        "hold no marked position",
        "Load a population first.",
      );
    }
    return book.columns;
  }
  if (!Number.isInteger(book.seed)) {
    throw new InputError("book.seed", book.seed, "must be an integer", "Pass the population's own seed.");
  }
  return drawPopulation(book.spec, book.tiers, new Xoshiro128(book.seed)).population;
}

/** The mean of a Welford state with its standard error `sd/√n` (NaN mean without observations). */
export function meanOf(w: Welford): MeanEstimate {
  return { mean: w.count > 0 ? w.mean : Number.NaN, standardError: welfordSd(w) / Math.sqrt(w.count) };
}

/** The venue over price paths: the registry entry of the pool. */
export const venueSimulation: Simulation<VenueSimulationSpec, VenueEvaluator, VenueTally, VenueEstimate> = {
  create: (spec) => new VenueEvaluator(spec),
  tally: venueTally,
  estimate: (outcome, evaluator) => {
    const { tally, plan } = outcome;
    return {
      badDebt: meanOf(tally.badDebt),
      badDebtEs99: tailExpectedShortfall(tally.badDebtTail, 0.99),
      fundExhausted: proportionEstimate(tally.fundExhausted, tally.paths, plan.confidence),
      adl: proportionEstimate(tally.adl, tally.paths, plan.confidence),
      queuedAtEnd: proportionEstimate(tally.queuedAtEnd, tally.paths, plan.confidence),
      adlNeeded: meanOf(tally.adlNeeded),
      adlExecuted: meanOf(tally.adlExecuted),
      adlOvershoot: meanOf(tally.overshoot),
      uncovered: meanOf(tally.uncovered),
      liquidatedNotional: meanOf(tally.liquidatedNotional),
      liquidations: meanOf(tally.liquidations),
      impactInducedLiquidations: meanOf(tally.impactInduced),
      badDebtDistribution: { zeros: tally.badDebtTail.zeros, bins: tailBins(tally.badDebtTail) },
      fundByStep: {
        mean: stepMeans(tally.fund),
        p05: stepQuantiles(tally.fund, 0.05),
        p50: stepQuantiles(tally.fund, 0.5),
        p95: stepQuantiles(tally.fund, 0.95),
      },
      liquidatedNotionalByStep: Array.from(tally.liquidatedByStep, (s) => s / tally.paths),
      cascadeDepthByStep: Array.from(tally.cascadeDepthByStep, (s) => s / tally.paths),
      positions: evaluator.venue.size.length,
      ...(evaluator.venue.liquidators === undefined ? {} : { leftQueued: meanOf(tally.leftQueued) }),
      ...(evaluator.venue.drift === undefined ? {} : { socializedThroughFunding: meanOf(tally.socialized) }),
      ...(evaluator.venue.gmx === undefined
        ? {}
        : {
            pool: {
              adlNotional: meanOf(tally.poolAdlNotional),
              endUsd: meanOf(tally.poolEnd),
              adl: proportionEstimate(tally.poolAdl, tally.paths, plan.confidence),
            },
          }),
      ...runFacts(outcome, evaluator, tally.paths),
    };
  },
};

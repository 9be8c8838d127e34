/**
 * Monte Carlo of one linear position under a venue's liquidation procedure, partial liquidation
 * included (Hyperliquid docs "Liquidations": above 100k USDC notional only 20 % of the position
 * goes to the book, and within the 30 s cooldown that follows any liquidation is of the whole
 * position; below 2/3 of maintenance margin the backstop vault takes the position and its margin).
 *
 * Generator → per-path evaluator → streaming statistics, as src/sim/liquidation.ts: the paths
 * come from {@link createPathGenerator} with the same seed, grid and draws as
 * `simulateLiquidation` without the bridge, so the first breach of a path is the same event.
 * At each grid point t_k (price S_k, no bridge test between points):
 * - the wallet pays funding `q·S_k·f·Δ` (f per year; a long pays when f > 0);
 * - equity `E = W + q(S_k − entry)`, maintenance `MM = N·mmr_τ(N) − cum_τ(N) + closeFeeRate·N`,
 *   N = |q|S_k (src/margin/tiers.ts, src/margin/group.ts `maintenanceAt`), compared by the venue's
 *   `liquidateAtEquality`;
 * - while the position is liquidatable the venue's own `liquidationSteps` (src/venues) decides:
 *   a market order of fraction φ closes `φq` at S_k, the wallet takes the realized PnL
 *   `φq(S_k − entry)` less the liquidation fee `feeRate·|φq|S_k`, and the rest stays open with
 *   that wallet; a takeover (close at bankruptcy, backstop) closes everything and the trader keeps
 *   nothing. After a partial close the state is checked again at once (0 s later, inside the
 *   cooldown); at the next grid point the seconds since the last partial are `(t − t_last)·365·86400`.
 *
 * Per path it records whether any liquidation happened, whether the position was closed in full,
 * the fraction of the starting size liquidated, and the margin lost to liquidation,
 * `Σ (W before − W after)` over the liquidation fills (realized loss plus fee; a full close by
 * market order floors W at 0, a takeover sets it to 0; funding is not counted).
 */
import { InputError } from "../errors.js";
import { type FlatTiers, flatTierIndex, flattenTiers } from "../margin/batch.js";
import type { TierTable } from "../margin/tiers.js";
import type { Xoshiro128 } from "../math/random.js";
import { readNumber } from "../validate.js";
import { getVenue, type LiquidationState, type Venue } from "../venues/index.js";
import { createPathGenerator, type ModelSpec, type PathGenerator, type TimeGrid } from "./models.js";
import {
  type PathEvaluator,
  type RunControl,
  type RunFacts,
  runFacts,
  runSimulation,
  type Simulation,
} from "./run.js";
import {
  type ProportionEstimate,
  proportionEstimate,
  type Welford,
  welford,
  welfordAdd,
  welfordMerge,
} from "./stats.js";
import {
  emptyFirstPassage,
  type FirstPassageTally,
  firstPassageFrequency,
  firstPassageInformative,
  meanOrNaN,
  mergeFirstPassage,
  type TallyKind,
} from "./tally.js";

/** Seconds in a year of the grids (365 days, as `horizonYears: 7 / 365`). */
const SECONDS_PER_YEAR = 365 * 86_400;

/** Bound on liquidation rounds at one grid point (each round closes part or all of the position). */
const MAX_ROUNDS = 1_000;

/** What to simulate: one linear position on a venue. */
export interface PartialLiquidationSpec {
  readonly model: ModelSpec;
  readonly grid: TimeGrid;
  /** Venue id (`getVenue`), e.g. `"hyperliquid"`; its margin rules and `liquidationSteps` apply. */
  readonly venue: string;
  /** Venue symbol, for the bundled tier table and the venue's liquidation fee. */
  readonly symbol?: string;
  /** Tier table to use instead of the symbol's bundled one (notional in quote). */
  readonly tiers?: TierTable;
  /** Signed size in base units (> 0 long, < 0 short). */
  readonly quantity: number;
  readonly entryPrice: number;
  /** Mark price at the start of the horizon. */
  readonly spotPrice: number;
  /** Margin backing the position (isolated margin, or a cross wallet holding only this position). */
  readonly collateral: number;
  /** Fee on the notional closed by a liquidation order, a fraction; default the venue's for the symbol (0 without a symbol). */
  readonly liquidationFeeRate?: number;
  /** Funding rate per year, a fraction of notional, paid by a long when positive (default 0). */
  readonly fundingRatePerYear?: number;
  /**
   * Close everything at any breach after a first partial liquidation, whatever time has passed
   * (a conservative reading of the cooldown for coarse grids). Default false: the venue's rule
   * with the real elapsed time.
   */
  readonly fullAfterFirstPartial?: boolean;
}

/** What happened on one path. */
export interface PartialPathOutcome {
  /** Grid point (1…steps) of the first liquidation, 0 if none. */
  firstLiquidationStep: number;
  /** Whether the position was closed in full by the venue. */
  full: boolean;
  /** Fraction of the starting size liquidated, in [0, 1]. */
  fractionLiquidated: number;
  /** Margin lost to liquidation fills (quote): realized losses plus fees, or the wallet taken over. */
  marginLoss: number;
}

/** Mergeable per-batch reducers. */
export interface PartialLiquidationTally {
  /** Paths with any liquidation, and the time of the first. */
  any: FirstPassageTally;
  /** Paths on which the position was closed in full. */
  full: number;
  fraction: Welford;
  marginLoss: Welford;
}

/** The {@link TallyKind} of {@link PartialLiquidationTally}; the run watches P(any liquidation). */
const partialLiquidationTally: TallyKind<PartialLiquidationTally> = {
  empty: () => ({ any: emptyFirstPassage(), full: 0, fraction: welford(), marginLoss: welford() }),
  merge: (a, b) => {
    mergeFirstPassage(a.any, b.any);
    a.full += b.full;
    welfordMerge(a.fraction, b.fraction);
    welfordMerge(a.marginLoss, b.marginLoss);
  },
  paths: (t) => t.any.paths,
  watched: (t, confidence) => firstPassageFrequency(t.any, confidence),
  informative: (t) => firstPassageInformative(t.any),
};

/** A Monte Carlo estimate with what reproduces it (stop-at-tolerance is on the standard error of P(any liquidation)). */
export interface PartialLiquidationEstimate extends RunFacts {
  /** P(at least one liquidation within the horizon). */
  readonly anyLiquidation: ProportionEstimate;
  /** P(the position is closed in full by the venue within the horizon). */
  readonly fullLiquidation: ProportionEstimate;
  /** E[fraction of the starting size liquidated] and its standard error. */
  readonly expectedFractionLiquidated: number;
  readonly fractionStandardError: number;
  /** E[margin lost to liquidation] (quote) over all paths, and its standard error. */
  readonly expectedMarginLoss: number;
  readonly marginLossStandardError: number;
  /** Mean time to the first liquidation (years) over paths with one. */
  readonly meanTimeToLiquidationYears: number;
  readonly liquidated: number;
  readonly fullyLiquidated: number;
}

/** Simulates paths of one {@link PartialLiquidationSpec}; scratch memory is allocated once. */
export class PartialLiquidationEvaluator implements PathEvaluator<PartialLiquidationTally> {
  readonly generator: PathGenerator;
  readonly steps: number;
  readonly dtYears: number;
  private readonly venue: Venue;
  private readonly tierTable: TierTable;
  private readonly tiers: FlatTiers;
  private readonly quantity: number;
  private readonly entry: number;
  private readonly spot: number;
  private readonly collateral: number;
  private readonly feeRate: number;
  private readonly funding: number;
  private readonly fullAfterFirstPartial: boolean;
  private readonly logReturns: Float64Array;
  private readonly stepVariance: Float64Array;
  /** The outcome of the last {@link evaluatePath} (overwritten by each call). */
  readonly outcome: PartialPathOutcome = {
    firstLiquidationStep: 0,
    full: false,
    fractionLiquidated: 0,
    marginLoss: 0,
  };

  constructor(spec: PartialLiquidationSpec) {
    this.generator = createPathGenerator(spec.model, spec.grid);
    this.steps = this.generator.steps;
    this.dtYears = this.generator.dtYears;
    this.venue = getVenue(spec.venue);
    if (this.venue.contractKind !== "linear" || this.venue.rules.maintenanceBasis !== "mark") {
      throw new InputError(
        "venue",
        spec.venue,
        "is not a linear venue margined at the mark",
        "Use a linear venue such as hyperliquid or binance-usdm.",
      );
    }
    if (spec.tiers === undefined && spec.symbol === undefined) {
      throw new InputError(
        "symbol",
        spec.symbol,
        "is missing",
        "Pass the venue symbol or a tier table `tiers`.",
      );
    }
    this.tierTable = spec.tiers ?? this.venue.tierTable(spec.symbol as string).tiers;
    this.tiers = flattenTiers(this.tierTable);
    this.quantity = readNumber(spec.quantity, "quantity", {
      nonZero: true,
      fix: "Pass the signed size in base units.",
    });
    this.entry = readNumber(spec.entryPrice, "entryPrice", { min: 0, exclusiveMin: true });
    this.spot = readNumber(spec.spotPrice, "spotPrice", { min: 0, exclusiveMin: true });
    this.collateral = readNumber(spec.collateral, "collateral", {
      fix: "Pass the margin backing the position.",
    });
    const defaultFee = spec.symbol === undefined ? 0 : this.venue.liquidationFeeRate(spec.symbol);
    this.feeRate = readNumber(spec.liquidationFeeRate ?? defaultFee, "liquidationFeeRate", {
      min: 0,
      max: 1,
      fix: "Pass a fraction of the notional closed, e.g. 0.005.",
    });
    this.funding = readNumber(spec.fundingRatePerYear ?? 0, "fundingRatePerYear", {
      fix: "Pass the funding rate per year as a fraction of notional.",
    });
    this.fullAfterFirstPartial = spec.fullAfterFirstPartial ?? false;
    if (this.isLiquidatable(this.collateral, this.quantity, this.spot)) {
      throw new InputError(
        "collateral",
        spec.collateral,
        "leaves the position liquidatable at the spot price",
        "Add collateral.",
      );
    }
    this.logReturns = new Float64Array(this.generator.steps);
    this.stepVariance = new Float64Array(this.generator.steps);
  }

  /** Simulates `paths` paths from `rng` and adds them to `tally`. */
  run(rng: Xoshiro128, paths: number, tally: PartialLiquidationTally): void {
    const o = this.outcome;
    for (let p = 0; p < paths; p++) {
      this.generator.next(rng, this.logReturns, this.stepVariance);
      this.evaluatePath(this.logReturns);
      if (o.firstLiquidationStep > 0) {
        tally.any.liquidated += 1;
        welfordAdd(tally.any.time, o.firstLiquidationStep * this.generator.dtYears);
      }
      if (o.full) tally.full += 1;
      welfordAdd(tally.fraction, o.fractionLiquidated);
      welfordAdd(tally.marginLoss, o.marginLoss);
    }
    tally.any.paths += paths;
  }

  /**
   * Runs the venue's procedure along one path of log returns `ln(S_k/S_{k−1})` (k = 1…length,
   * grid step Δ of the spec) and writes the result into {@link outcome}, which it returns.
   */
  evaluatePath(logReturns: Float64Array): PartialPathOutcome {
    const o = this.outcome;
    o.firstLiquidationStep = 0;
    o.full = false;
    o.fractionLiquidated = 0;
    o.marginLoss = 0;
    const dt = this.generator.dtYears;
    const entry = this.entry;
    const startSize = Math.abs(this.quantity);
    let q = this.quantity;
    let wallet = this.collateral;
    let x = 0;
    let lastPartial = Number.NaN;
    for (let k = 0; k < logReturns.length && q !== 0; k++) {
      x += logReturns[k] as number;
      const s = this.spot * Math.exp(x);
      const t = (k + 1) * dt;
      wallet -= q * s * this.funding * dt;
      for (let round = 0; round < MAX_ROUNDS && q !== 0; round++) {
        if (!this.isLiquidatable(wallet, q, s)) break;
        if (o.firstLiquidationStep === 0) o.firstLiquidationStep = k + 1;
        const notional = Math.abs(q) * s;
        const state: LiquidationState = {
          notional,
          equity: wallet + q * (s - entry),
          maintenanceMargin: this.maintenance(notional),
          tiers: this.tierTable,
        };
        if (!Number.isNaN(lastPartial)) {
          state.secondsSinceLastPartial = this.fullAfterFirstPartial
            ? 0
            : (t - lastPartial) * SECONDS_PER_YEAR;
        }
        let acted = false;
        for (const step of this.venue.liquidationSteps(state)) {
          if (step.action === "none" || q === 0) break;
          if (step.action === "cancel-open-orders") continue;
          acted = true;
          const before = wallet;
          if (step.action === "close-at-bankruptcy" || step.action === "backstop-takeover") {
            wallet = 0;
            o.fractionLiquidated += Math.abs(q) / startSize;
            q = 0;
          } else {
            const closed = step.fraction >= 1 ? q : q * step.fraction;
            wallet += closed * (s - entry) - this.feeRate * Math.abs(closed) * s;
            o.fractionLiquidated += Math.abs(closed) / startSize;
            q -= closed;
            if (step.fraction >= 1) q = 0;
            if (q === 0) wallet = Math.max(0, wallet);
            else lastPartial = t;
          }
          o.marginLoss += before - wallet;
          if (q === 0 || !this.isLiquidatable(wallet, q, s)) break;
        }
        if (!acted) break;
      }
    }
    o.full = q === 0;
    return o;
  }

  /** Maintenance margin plus the venue's fee to close at notional N: `N·mmr_τ − cum_τ + closeFeeRate·N`. */
  private maintenance(notional: number): number {
    const k = flatTierIndex(this.tiers, 0, notional);
    return (
      notional * (this.tiers.mmr[k] as number) -
      (this.tiers.cum[k] as number) +
      this.venue.rules.closeFeeRate * notional
    );
  }

  private isLiquidatable(wallet: number, q: number, s: number): boolean {
    const equity = wallet + q * (s - this.entry);
    const mm = this.maintenance(Math.abs(q) * s);
    return this.venue.rules.liquidateAtEquality ? equity <= mm : equity < mm;
  }
}

/** A position under its venue's liquidation procedure: the registry entry of the pool. */
export const partialLiquidationSimulation: Simulation<
  PartialLiquidationSpec,
  PartialLiquidationEvaluator,
  PartialLiquidationTally,
  PartialLiquidationEstimate
> = {
  create: (spec) => new PartialLiquidationEvaluator(spec),
  tally: partialLiquidationTally,
  estimate: (outcome, evaluator) => {
    const { tally, plan } = outcome;
    const n = tally.any.paths;
    return {
      anyLiquidation: proportionEstimate(tally.any.liquidated, n, plan.confidence),
      fullLiquidation: proportionEstimate(tally.full, n, plan.confidence),
      expectedFractionLiquidated: tally.fraction.mean,
      fractionStandardError: standardError(tally.fraction),
      expectedMarginLoss: tally.marginLoss.mean,
      marginLossStandardError: standardError(tally.marginLoss),
      meanTimeToLiquidationYears: meanOrNaN(tally.any.time),
      liquidated: tally.any.liquidated,
      fullyLiquidated: tally.full,
      ...runFacts(outcome, evaluator, n),
    };
  },
};

/**
 * Single-threaded Monte Carlo of a position under its venue's liquidation procedure (partial
 * liquidation included): P(any liquidation), P(full liquidation), the expected fraction
 * liquidated and the expected margin lost, with standard errors `sd/√n` and the seed.
 * `targetStandardError` applies to P(any liquidation).
 *
 * @example simulatePartialLiquidation({ model: { volatility: { kind: "constant", annualVol: 0.6 }, innovations: { kind: "normal" } }, grid: { horizonYears: 7 / 365, steps: 168 }, venue: "hyperliquid", symbol: "BTC", quantity: 2, entryPrice: 100_000, spotPrice: 100_000, collateral: 15_000 }, { seed: 1, paths: 100_000 })
 */
export function simulatePartialLiquidation(
  spec: PartialLiquidationSpec,
  control: RunControl,
): PartialLiquidationEstimate {
  return runSimulation(partialLiquidationSimulation, spec, control);
}

/** Standard error of a mean, `√(M2/(n−1)) / √n` (NaN below two observations). */
function standardError(w: Welford): number {
  return w.count > 1 ? Math.sqrt(w.m2 / (w.count - 1) / w.count) : Number.NaN;
}

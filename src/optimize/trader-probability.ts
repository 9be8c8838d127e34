/**
 * The trader's probability of liquidation and the solvers built on it: for one position of an
 * account (isolated, or cross with the account's other positions held at their marks) on a
 * venue's exact margin rules (`src/margin/`: tiers, maintenance basis, fees), the probability that
 * the mark touches the liquidation price within a horizon, with the liquidation price moving as
 * funding is paid out of the margin; and the largest leverage (smallest collateral), the
 * collateral to add or the size to cut that bring it under a target α or give a target distance
 * to the liquidation price.
 *
 * Two probability engines share one interface ({@link ProbabilityModel}):
 * - closed form (GBM, quant.md §3.7): with ln H(t) = b + c·t (c from funding), the touch event
 *   `X_t ≤ b + c t` is `X_t − c t ≤ b`, and X − c·t is again a Brownian motion with drift ν − c,
 *   so the reflection formula applies exactly with the drift shifted (`touchProbability` of
 *   `src/risk/first-passage.ts`);
 * - Monte Carlo on a {@link PathBank} (Student-t, GARCH-t, jumps, bootstrap — the generators of
 *   `src/sim/models.ts`), bars with bridge-sampled extremes; one seeded bank serves every
 *   candidate collateral, so P(liquidation) is exactly monotone along the solvers' search.
 */
import { InputError } from "../errors.js";
import { notionalAt, sideOf, unrealizedPnlAt } from "../margin/position.js";
import { type PositionSolver, positionSolver } from "../margin/position-solver.js";
import { tierFor } from "../margin/tiers.js";
import type { Account, Direction, MarginRules, Position } from "../margin/types.js";
import { touchProbability } from "../risk/first-passage.js";
import type { ModelSpec } from "../sim/models.js";
import { readNumber } from "../validate.js";
import { smallestSatisfying } from "./monotone.js";
import { adverseExcursions, excursionProbability, type PathBank, simulatePathBank } from "./path-bank.js";

/** Hours per year used to convert horizons (crypto trades 24/7: 365 × 24). */
export const HOURS_PER_YEAR = 8760;

/** One position of a margin account, on its venue's rules: what the optimizer acts on. */
export interface TraderScenario {
  readonly account: Account;
  readonly rules: MarginRules;
  /** Index of the position in `account.positions`. */
  readonly positionIndex: number;
}

/** A constant funding rate assumed over the horizon. */
export interface FundingAssumption {
  /** Rate per funding interval, a fraction (0.0001 = 0.01 % per 8 h); a long pays when positive. */
  readonly ratePerInterval: number;
  /** Hours per funding interval (8 on Binance). */
  readonly intervalHours: number;
}

/** Builds a scenario, checking the position index. */
export function traderScenario(
  resolved: { account: Account; rules: MarginRules },
  positionIndex = 0,
): TraderScenario {
  const n = resolved.account.positions.length;
  if (!Number.isInteger(positionIndex) || positionIndex < 0 || positionIndex >= n) {
    throw new InputError(
      "position",
      positionIndex,
      `is not a position of the account (it has ${n})`,
      n === 0 ? "Add a position to the account." : `Pass an index from 0 to ${n - 1}.`,
    );
  }
  return { account: resolved.account, rules: resolved.rules, positionIndex };
}

/** The scenario's position. */
export function scenarioPosition(s: TraderScenario): Position {
  return s.account.positions[s.positionIndex] as Position;
}

/**
 * The collateral behind the position: its isolated margin in isolated mode, the wallet balance in
 * cross mode (margin asset units).
 */
export function scenarioCollateral(s: TraderScenario): number {
  return s.account.marginMode === "isolated"
    ? (scenarioPosition(s).isolatedMargin ?? 0)
    : s.account.walletBalance;
}

/** Notional of the position at its mark (margin asset units). */
export function scenarioNotional(s: TraderScenario): number {
  const p = scenarioPosition(s);
  return notionalAt(p, p.markPrice);
}

/**
 * The equity backing the position: its isolated equity (isolated margin + uPnL + funding) in
 * isolated mode, the account equity (wallet + every uPnL + funding) in cross mode. For a fresh
 * position (entry = mark, no funding yet) it is the collateral; it is affine in the collateral
 * with slope 1.
 */
export function scenarioEquity(s: TraderScenario): number {
  const m = solverOf(s).solve(s.account);
  return s.account.marginMode === "isolated" ? (m.isolatedEquity ?? 0) : m.equity;
}

/**
 * The engine's solver of each scenario's position, by the account's positions array: built once
 * for a scenario (linear in the account's positions) and shared by the scenarios derived from it
 * ({@link scenarioWithCollateral} keeps the array, {@link replacePosition} passes it on), so a
 * solver's bisection step re-solves the position's own group, not the whole account.
 */
const SOLVERS = new WeakMap<readonly Position[], PositionSolver>();

function solverOf(s: TraderScenario): PositionSolver {
  const found = SOLVERS.get(s.account.positions);
  if (found !== undefined && found.index === s.positionIndex && found.rules === s.rules) return found;
  const solver = positionSolver(s.account, s.rules, s.positionIndex);
  SOLVERS.set(s.account.positions, solver);
  return solver;
}

/**
 * Effective leverage: `notional at mark / equity backing it` ({@link scenarioEquity}; ∞ when the
 * equity is not positive). For a fresh position this is notional / collateral.
 */
export function scenarioLeverage(s: TraderScenario): number {
  const e = scenarioEquity(s);
  return e > 0 ? scenarioNotional(s) / e : Number.POSITIVE_INFINITY;
}

/** The venue's largest leverage for the position's notional (its tier's `maxLeverage`). */
export function venueMaxLeverage(s: TraderScenario): number {
  return tierFor(scenarioPosition(s).tiers, scenarioNotional(s)).maxLeverage;
}

/** The same scenario with the position's collateral set to `collateral`. */
export function scenarioWithCollateral(s: TraderScenario, collateral: number): TraderScenario {
  if (s.account.marginMode === "cross") return { ...s, account: { ...s.account, walletBalance: collateral } };
  return replacePosition(s, { ...scenarioPosition(s), isolatedMargin: collateral });
}

/**
 * The same scenario with the position's size scaled by `factor` ∈ [0, 1] at the mark: the PnL of
 * the part closed, `(1 − factor)·uPnL`, is realized into the collateral (as venues do on a reduce).
 */
export function scenarioWithSizeFactor(s: TraderScenario, factor: number): TraderScenario {
  const p = scenarioPosition(s);
  const realized = (1 - factor) * unrealizedPnlAt(p, p.markPrice);
  const cut = replacePosition(s, { ...p, size: p.size * factor });
  return scenarioWithCollateral(cut, scenarioCollateral(s) + realized);
}

/**
 * The same scenario after `hours` of funding at a constant rate: the position pays (or receives)
 * `side·notional·rate·hours/interval` out of its margin (`accruedFunding` is "positive =
 * received"), which moves its liquidation price.
 */
export function scenarioWithFundingPaid(
  s: TraderScenario,
  funding: FundingAssumption,
  hours: number,
): TraderScenario {
  const p = scenarioPosition(s);
  const paid =
    sideOf(p) * notionalAt(p, p.markPrice) * funding.ratePerInterval * (hours / funding.intervalHours);
  return replacePosition(s, { ...p, accruedFunding: p.accruedFunding - paid });
}

function replacePosition(s: TraderScenario, position: Position): TraderScenario {
  const positions = s.account.positions.map((p, i) => (i === s.positionIndex ? position : p));
  SOLVERS.set(positions, solverOf(s));
  return { ...s, account: { ...s.account, positions } };
}

/** Where the position stands now. */
export interface ScenarioLiquidation {
  /** `"safe"`: a liquidation price on either side of the mark; `"liquidatable"`: already below maintenance; `"no-price"`: no positive price liquidates. */
  readonly status: "safe" | "liquidatable" | "no-price";
  /** The position's own side. */
  readonly side: Direction;
  /**
   * Which way the mark must move to reach `liquidationPrice`, written as the side that loses on it
   * (`"long"`: a fall). The position's side for a position alone on its mark; for a hedge-mode leg
   * it is the side of the group's net exposure, which may be the other leg's.
   */
  readonly adverse: Direction;
  readonly spotPrice: number;
  /** The nearer end of the interval where equity covers maintenance margin (the barrier); the mark when liquidatable. */
  readonly liquidationPrice: number | null;
  /** The end below the mark (null: none), as the margin engine gives it. */
  readonly lowerLiquidationPrice: number | null;
  /** The end above the mark (null: none; a hedged group may have both ends). */
  readonly upperLiquidationPrice: number | null;
}

/**
 * The position's liquidation prices from the margin engine (tiers re-solved, fees counted): the
 * ends of the price interval where its group's equity covers maintenance margin, and the nearer
 * one in log distance as the barrier. A single long has only a lower end, a single short only an
 * upper one; the legs of a hedged group share both ends, whichever leg is asked about.
 */
export function scenarioLiquidation(s: TraderScenario): ScenarioLiquidation {
  const p = scenarioPosition(s);
  const side: Direction = sideOf(p) > 0 ? "long" : "short";
  const spotPrice = p.markPrice;
  const solved = solverOf(s).solve(s.account);
  const liq = solved.liquidation;
  const positive = (x: number | null | undefined) => (x !== null && x !== undefined && x > 0 ? x : null);
  const lower = positive(liq.lowerLiquidationPrice);
  const upper = positive(liq.upperLiquidationPrice);
  const base = { side, spotPrice, lowerLiquidationPrice: lower, upperLiquidationPrice: upper };
  const liquidatable = solved.liquidatable;
  const belowFrom = lower !== null && lower >= spotPrice;
  const aboveFrom = upper !== null && upper <= spotPrice;
  if (liquidatable || belowFrom || aboveFrom) {
    const adverse: Direction = belowFrom ? "long" : aboveFrom ? "short" : side;
    return { ...base, status: "liquidatable", adverse, liquidationPrice: spotPrice };
  }
  if (lower === null && upper === null)
    return { ...base, status: "no-price", adverse: side, liquidationPrice: null };
  const nearerIsLower =
    upper === null || (lower !== null && Math.log(spotPrice / lower) <= Math.log(upper / spotPrice));
  return nearerIsLower
    ? { ...base, status: "safe", adverse: "long", liquidationPrice: lower }
    : { ...base, status: "safe", adverse: "short", liquidationPrice: upper };
}

/** The end of a {@link ScenarioLiquidation}'s interval on the losing side of `direction` (below the mark for `"long"`). */
export function liquidationPriceOn(l: ScenarioLiquidation, direction: Direction): number | null {
  return direction === "long" ? l.lowerLiquidationPrice : l.upperLiquidationPrice;
}

/** A barrier on one side of the mark over the horizon: where it starts and how it moves with funding. */
export interface BarrierEnd {
  readonly side: Direction;
  readonly liquidationPrice: number;
  /** c in ln H(t) = ln H(0) + c·t, per year (0 without funding). */
  readonly logDriftPerYear: number;
  /** |ln(H(0)/S₀)|. */
  readonly logDistance: number;
}

/** The liquidation barrier over a horizon: where it starts and how it moves with funding. */
export interface ScenarioBarrier extends ScenarioLiquidation {
  /** Liquidation price after the horizon's funding has been paid (null: none). */
  readonly liquidationPriceAtHorizon: number | null;
  /** c in ln H(t) = ln H(0) + c·t, per year (0 without funding or without a price). */
  readonly logDriftPerYear: number;
  /** |ln(H(0)/S₀)| (Infinity with no price, 0 when liquidatable). */
  readonly logDistance: number;
  /** The other end of a hedged group's interval, on the far side of the mark (null: none). */
  readonly farEnd: BarrierEnd | null;
}

/**
 * The barrier of {@link scenarioLiquidation} and its drift from funding: the engine's liquidation
 * price now and after `horizonHours` of funding at the assumed rate, joined log-linearly
 * (`c = ln(H(T)/H(0))/T`), for the nearer end and, in a hedged group, for the far end too. The true
 * path of H is linear in the funding paid (the engine's equation is affine in accrued funding within
 * a tier), so log-linear interpolation differs from it by O((ΔH/H)²) — negligible over a horizon of
 * days. With no price at the horizon (funding received pushed it away) the barrier is kept fixed
 * (conservative).
 */
export function scenarioBarrier(
  s: TraderScenario,
  horizonHours: number,
  funding?: FundingAssumption,
): ScenarioBarrier {
  const now = scenarioLiquidation(s);
  const distance =
    now.status === "safe"
      ? Math.abs(Math.log((now.liquidationPrice as number) / now.spotPrice))
      : now.status === "liquidatable"
        ? 0
        : Number.POSITIVE_INFINITY;
  const farSide: Direction = now.adverse === "long" ? "short" : "long";
  const farPrice = now.status === "safe" ? liquidationPriceOn(now, farSide) : null;
  const T = horizonHours / HOURS_PER_YEAR;
  if (funding === undefined || now.status !== "safe" || funding.ratePerInterval === 0) {
    const farEnd = farPrice === null ? null : barrierEnd(now, farSide, farPrice, farPrice, T);
    return {
      ...now,
      liquidationPriceAtHorizon: now.liquidationPrice,
      logDriftPerYear: 0,
      logDistance: distance,
      farEnd,
    };
  }
  const later = scenarioLiquidation(scenarioWithFundingPaid(s, funding, horizonHours));
  const endLater = (side: Direction) =>
    later.status === "safe"
      ? liquidationPriceOn(later, side)
      : later.status === "liquidatable"
        ? now.spotPrice
        : null;
  const near = barrierEnd(now, now.adverse, now.liquidationPrice as number, endLater(now.adverse), T);
  return {
    ...now,
    liquidationPriceAtHorizon: endLater(now.adverse),
    logDriftPerYear: near.logDriftPerYear,
    logDistance: distance,
    farEnd: farPrice === null ? null : barrierEnd(now, farSide, farPrice, endLater(farSide), T),
  };
}

/** One end of the barrier from its price now and at the horizon (kept fixed when there is none then). */
function barrierEnd(
  now: ScenarioLiquidation,
  side: Direction,
  price: number,
  atHorizon: number | null,
  horizonYears: number,
): BarrierEnd {
  return {
    side,
    liquidationPrice: price,
    logDriftPerYear: atHorizon === null ? 0 : Math.log(atHorizon / price) / horizonYears,
    logDistance: Math.abs(Math.log(price / now.spotPrice)),
  };
}

/** A probability of touching a barrier, with its Monte Carlo standard error (0 in closed form). */
export interface TouchEstimate {
  readonly probability: number;
  readonly standardError: number;
  /**
   * 95 % upper confidence bound: Monte Carlo, the Wilson upper end, or 3/paths (rule of three)
   * when no path touched, so never 0 for a simulated estimate; closed form, the probability itself.
   */
  readonly upperBound: number;
  /** Paths the estimate rests on (null in closed form and for the certain cases). */
  readonly paths: number | null;
}

/** An exact probability (closed form, or a certain outcome): no standard error, no paths. */
function exact(probability: number): TouchEstimate {
  return { probability, standardError: 0, upperBound: probability, paths: null };
}

/** Maps a barrier to P(touch within the horizon); built once per model and horizon. */
export interface ProbabilityModel {
  readonly method: "closed-form" | "monte-carlo";
  /** P(touch) of a barrier at log distance `logDistance` ≥ 0 on the losing side, drifting at `logDriftPerYear`. */
  touch(side: Direction, logDistance: number, logDriftPerYear: number): TouchEstimate;
  /** What the model is, for reports. */
  readonly description: Readonly<Record<string, number | string>>;
}

/**
 * Closed-form engine: GBM with annual volatility σ and drift μ over `horizonHours`,
 * `P = Φ((b − ν'T)/(σ√T)) + e^{2ν'b/σ²} Φ((b + ν'T)/(σ√T))`, ν' = μ − σ²/2 − c (quant.md §3.7
 * with the moving-barrier shift explained in the module header); worked example R12: S₀ 100,
 * H 90, σ 0.8, T 7/365 → 0.35976.
 */
export function closedFormModel(annualVol: number, horizonHours: number, annualDrift = 0): ProbabilityModel {
  const sigma = readNumber(annualVol, "annualVol", {
    min: 0,
    fix: "Pass an annualized volatility, e.g. 0.6.",
  });
  const T = readHorizon(horizonHours) / HOURS_PER_YEAR;
  const nu = annualDrift - 0.5 * sigma * sigma;
  return {
    method: "closed-form",
    description: { model: "gbm", annualVol: sigma, annualDrift, horizonHours },
    touch(side, logDistance, logDriftPerYear) {
      if (!(logDistance < Number.POSITIVE_INFINITY)) return exact(0);
      const b = side === "long" ? -logDistance : logDistance;
      return exact(touchProbability(b, nu - logDriftPerYear, sigma, T, side));
    },
  };
}

/** An explicit scenario: the price moves by `move` (a signed fraction) with probability `probability`. */
export interface StressScenario {
  /** Signed move of the price, a fraction: −0.3 is a 30 % fall. */
  readonly move: number;
  /** Probability that the move happens within the horizon. */
  readonly probability: number;
}

/**
 * A model with a stress scenario mixed in: with probability q the price moves by m at the start
 * of the horizon (the earliest time, so the scenario's own P is an upper bound over its timing),
 * else the model runs as it is, `P = (1 − q)·P₀(d) + q·P_s`, where for a long the barrier's log
 * distance becomes `d' = d + ln(1 + m)` (a short: `d − ln(1 + m)`) and `P_s = 1` when d' ≤ 0 (the
 * move alone reaches the liquidation price), else `P₀(d')`. Standard error and 95 % bound combine
 * linearly, `(1 − q)·e₀ + q·e_s` (conservative: the two estimates share one bank). Non-increasing in
 * d like the model, so the solvers keep their monotone search.
 */
export function withStress(model: ProbabilityModel, stress: StressScenario): ProbabilityModel {
  const move = readNumber(stress.move, "stress.move", {
    min: -1,
    exclusiveMin: true,
    max: 100,
    fix: "Pass a signed move as a fraction, e.g. -0.3 for a 30 % fall.",
  });
  const q = readNumber(stress.probability, "stress.probability", {
    min: 0,
    max: 1,
    fix: "Pass a probability such as 0.01.",
  });
  const shift = Math.log1p(move);
  return {
    method: model.method,
    description: { ...model.description, stressMove: move, stressProbability: q },
    touch(side, logDistance, logDriftPerYear) {
      const base = model.touch(side, logDistance, logDriftPerYear);
      const moved = side === "long" ? logDistance + shift : logDistance - shift;
      const hit = moved <= 0 ? exact(1) : model.touch(side, moved, logDriftPerYear);
      const mix = (a: number, b: number) => (1 - q) * a + q * b;
      return {
        probability: mix(base.probability, hit.probability),
        standardError: mix(base.standardError, hit.standardError),
        upperBound: Math.min(1, mix(base.upperBound, hit.upperBound)),
        paths: base.paths,
      };
    },
  };
}

/** Options of {@link monteCarloModel}. */
export interface MonteCarloModelOptions {
  readonly model: ModelSpec;
  /** Bar length of the simulation in hours (the bar a GARCH model was fitted on). */
  readonly barHours: number;
  readonly horizonHours: number;
  readonly paths: number;
  readonly seed: number;
  /** Bridge variance ÷ step variance for intrabar lows and highs (default 1; see path-bank.ts). */
  readonly intrabarVarianceRatio?: number;
  /** Extra bars simulated beyond the horizon (for premature-close windows); default 0. */
  readonly extraBars?: number;
}

/** A Monte Carlo {@link ProbabilityModel} that also exposes its bank. */
export interface MonteCarloProbabilityModel extends ProbabilityModel {
  readonly bank: PathBank;
  readonly horizonBars: number;
}

/**
 * Monte Carlo engine on a seeded {@link PathBank} of ⌈horizon/bar⌉ bars: P(touch) is the share of
 * paths whose adverse excursion reaches the barrier (standard error √(p(1−p)/n)). Excursions are
 * sorted once per (side, barrier drift) and cached.
 */
export function monteCarloModel(o: MonteCarloModelOptions): MonteCarloProbabilityModel {
  const barHours = readNumber(o.barHours, "barHours", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the bar length in hours, e.g. 1.",
  });
  const horizonBars = Math.max(1, Math.round(readHorizon(o.horizonHours) / barHours));
  const bank = simulatePathBank({
    model: o.model,
    barYears: barHours / HOURS_PER_YEAR,
    bars: horizonBars + (o.extraBars ?? 0),
    paths: o.paths,
    seed: o.seed,
    ...(o.intrabarVarianceRatio === undefined ? {} : { intrabarVarianceRatio: o.intrabarVarianceRatio }),
  });
  const cache = new Map<string, Float64Array>();
  return {
    method: "monte-carlo",
    bank,
    horizonBars,
    description: { model: describeModel(o.model), barHours, horizonBars, paths: o.paths, seed: o.seed },
    touch(side, logDistance, logDriftPerYear) {
      if (!(logDistance < Number.POSITIVE_INFINITY)) return exact(0);
      const key = `${side}:${logDriftPerYear}`;
      let sorted = cache.get(key);
      if (sorted === undefined) {
        if (cache.size > 256) cache.clear();
        sorted = adverseExcursions(bank, side, logDriftPerYear, horizonBars);
        cache.set(key, sorted);
      }
      return excursionProbability(sorted, logDistance);
    },
  };
}

function describeModel(m: ModelSpec): string {
  const vol = m.volatility.kind === "garch" ? "garch" : m.volatility.kind;
  const innov = m.innovations.kind === "student-t" ? `t(${m.innovations.nu.toFixed(2)})` : m.innovations.kind;
  return `${vol}-${innov}${m.jumps === undefined ? "" : "+jumps"}`;
}

/** P(liquidation) of a scenario with where it comes from. */
export interface LiquidationProbability extends TouchEstimate {
  readonly method: ProbabilityModel["method"];
  readonly status: ScenarioLiquidation["status"];
  readonly side: Direction;
  readonly spotPrice: number;
  /** The nearer liquidation price (the mark when liquidatable). */
  readonly liquidationPrice: number | null;
  readonly liquidationPriceAtHorizon: number | null;
  /** The other end of a hedged group's interval, on the far side of the mark (null: none). */
  readonly farLiquidationPrice: number | null;
  /** |H − S₀|/S₀ of the nearer price, a fraction (null without a price). */
  readonly liquidationDistance: number | null;
  readonly collateral: number;
  readonly leverage: number;
}

/**
 * P(the position is liquidated within `horizonHours`): 1 if liquidatable now, 0 if no positive
 * price liquidates it, else the model's touch probability of the engine's barrier with funding.
 * A hedged group liquidated by a move either way adds the far end's touch probability: P(A ∪ B) ≤
 * P(A) + P(B) (Boole's inequality), larger than the truth by P(both ends touched within the
 * horizon), at most the smaller of the two; capped at 1, standard errors added in quadrature.
 */
export function liquidationProbability(
  s: TraderScenario,
  model: ProbabilityModel,
  horizonHours: number,
  funding?: FundingAssumption,
): LiquidationProbability {
  const b = scenarioBarrier(s, horizonHours, funding);
  let est: TouchEstimate;
  if (b.status === "liquidatable") est = exact(1);
  else if (b.status === "no-price") est = exact(0);
  else {
    const near = model.touch(b.adverse, b.logDistance, b.logDriftPerYear);
    const far =
      b.farEnd === null
        ? exact(0)
        : model.touch(b.farEnd.side, b.farEnd.logDistance, b.farEnd.logDriftPerYear);
    // A hedged leg's two ends: P(either) ≤ the sum (the union bound), and so is its upper bound.
    est = {
      probability: Math.min(1, near.probability + far.probability),
      standardError: Math.hypot(near.standardError, far.standardError),
      upperBound: Math.min(1, near.upperBound + far.upperBound),
      paths: near.paths,
    };
  }
  return {
    ...est,
    method: model.method,
    status: b.status,
    side: b.side,
    spotPrice: b.spotPrice,
    liquidationPrice: b.liquidationPrice,
    liquidationPriceAtHorizon: b.liquidationPriceAtHorizon,
    farLiquidationPrice: b.farEnd?.liquidationPrice ?? null,
    liquidationDistance:
      b.liquidationPrice === null ? null : Math.abs(b.liquidationPrice - b.spotPrice) / b.spotPrice,
    collateral: scenarioCollateral(s),
    leverage: scenarioLeverage(s),
  };
}

/** What a solver aims at. */
export type RiskTarget =
  /** P(liquidation within the horizon) ≤ alpha. */
  | { readonly kind: "probability"; readonly alpha: number }
  /** |H − S₀|/S₀ ≥ distance (or no liquidation price). */
  | { readonly kind: "distance"; readonly distance: number };

/** Options of the solvers. */
export interface SolverOptions {
  readonly horizonHours: number;
  readonly funding?: FundingAssumption;
  /** Relative tolerance of the bisection on collateral or size (default 1e-6). */
  readonly relativeTolerance?: number;
}

/** Result of {@link minimumCollateral}. */
export interface CollateralSolution {
  /** Smallest collateral meeting the target (within the tolerance), or null when none up to 1024× notional does. */
  readonly collateral: number | null;
  /** Effective leverage at that collateral ({@link scenarioLeverage}: notional / equity). */
  readonly leverage: number | null;
  /** The venue's maximum leverage for the notional; the answer is capped to it in `allowedLeverage`. */
  readonly venueMaxLeverage: number;
  /** min(leverage, venue maximum). */
  readonly allowedLeverage: number | null;
  /** Which constraint binds. */
  readonly binding: "target" | "venue-max-leverage" | "unreachable";
  /** The scenario's P(liquidation) at the answer (at the allowed leverage). */
  readonly atSolution: LiquidationProbability | null;
  /** Width of the final bisection bracket on collateral. */
  readonly bracketWidth: number;
  readonly iterations: number;
}

function meets(s: TraderScenario, model: ProbabilityModel, target: RiskTarget, o: SolverOptions): boolean {
  const p = liquidationProbability(s, model, o.horizonHours, o.funding);
  if (target.kind === "probability") return p.probability <= target.alpha;
  return (
    p.status === "no-price" ||
    (p.liquidationDistance !== null && p.status === "safe" && p.liquidationDistance >= target.distance)
  );
}

function readTarget(target: RiskTarget): RiskTarget {
  if (target.kind === "probability") {
    readNumber(target.alpha, "alpha", { min: 0, max: 1, fix: "Pass a probability such as 0.01." });
  } else {
    readNumber(target.distance, "distance", {
      min: 0,
      fix: "Pass a distance as a fraction of the price, e.g. 0.1.",
    });
  }
  return target;
}

/**
 * The smallest collateral (largest leverage) whose P(liquidation within the horizon) ≤ α — or
 * whose liquidation price is at least a given distance away — by bisection on the collateral
 * ({@link smallestSatisfying}; P is non-increasing in collateral: more margin moves the engine's
 * liquidation price away). Bracket: (10⁻⁶·notional, notional], doubled up to 1024× notional.
 * The answer meets the target; collateral − bracketWidth does not.
 */
export function minimumCollateral(
  s: TraderScenario,
  model: ProbabilityModel,
  target: RiskTarget,
  o: SolverOptions,
): CollateralSolution {
  readTarget(target);
  const tol = o.relativeTolerance ?? 1e-6;
  const notional = scenarioNotional(s);
  const maxLev = venueMaxLeverage(s);
  const ok = (c: number) => meets(scenarioWithCollateral(s, c), model, target, o);
  let hi = notional;
  while (!ok(hi) && hi < 1024 * notional) hi *= 2;
  const sol = smallestSatisfying(ok, notional * 1e-6, hi, tol);
  if (sol.value === null) {
    return {
      collateral: null,
      leverage: null,
      venueMaxLeverage: maxLev,
      allowedLeverage: null,
      binding: "unreachable",
      atSolution: null,
      bracketWidth: sol.width,
      iterations: sol.iterations,
    };
  }
  const leverage = scenarioLeverage(scenarioWithCollateral(s, sol.value));
  const capped = leverage > maxLev;
  // Equity moves one for one with collateral: the capped collateral gives equity = notional / maxLev.
  const c = capped
    ? sol.value + notional / maxLev - scenarioEquity(scenarioWithCollateral(s, sol.value))
    : sol.value;
  return {
    collateral: sol.value,
    leverage,
    venueMaxLeverage: maxLev,
    allowedLeverage: Math.min(leverage, maxLev),
    binding: capped ? "venue-max-leverage" : "target",
    atSolution: liquidationProbability(scenarioWithCollateral(s, c), model, o.horizonHours, o.funding),
    bracketWidth: sol.width,
    iterations: sol.iterations,
  };
}

/** Collateral to add to reach a target (0 when it is already met). */
export interface CollateralToAdd {
  readonly current: number;
  readonly required: number | null;
  /** max(0, required − current); null when unreachable. */
  readonly add: number | null;
  readonly solution: CollateralSolution;
}

/** The collateral to add to the position to meet `target` ({@link minimumCollateral} − current). */
export function collateralToAdd(
  s: TraderScenario,
  model: ProbabilityModel,
  target: RiskTarget,
  o: SolverOptions,
): CollateralToAdd {
  const solution = minimumCollateral(s, model, target, o);
  const current = scenarioCollateral(s);
  return {
    current,
    required: solution.collateral,
    add: solution.collateral === null ? null : Math.max(0, solution.collateral - current),
    solution,
  };
}

/** Result of {@link sizeCut}. */
export interface SizeCut {
  /**
   * Largest fraction of the size to keep that meets the target (1: no cut needed; 0: close it all);
   * null when not even closing the position meets it (a hedge-mode leg whose other leg carries the risk).
   */
  readonly keepFraction: number | null;
  /** Size to close, in contracts (|size|·(1 − keepFraction)); null with `keepFraction`. */
  readonly cutSize: number | null;
  readonly atSolution: LiquidationProbability | null;
  readonly bracketWidth: number;
  readonly iterations: number;
}

/**
 * The smallest cut of the position's size (at the mark, realized PnL kept in the collateral) that
 * meets `target`: bisection on the fraction kept, f ∈ [0, 1], for a constraint that holds at
 * small sizes and fails beyond some size (P(liquidation) grows with size at fixed collateral).
 * Closing everything (f = 0) meets it for a position alone on its mark; a hedge-mode leg whose
 * other leg carries the risk may meet it at no size (null).
 */
export function sizeCut(
  s: TraderScenario,
  model: ProbabilityModel,
  target: RiskTarget,
  o: SolverOptions,
): SizeCut {
  readTarget(target);
  const tol = o.relativeTolerance ?? 1e-6;
  const size = Math.abs(scenarioPosition(s).size);
  // Search on the cut g = 1 − f: the constraint holds for g above some g*.
  const ok = (g: number) => meets(scenarioWithSizeFactor(s, 1 - g), model, target, o);
  if (ok(0)) {
    return {
      keepFraction: 1,
      cutSize: 0,
      atSolution: liquidationProbability(s, model, o.horizonHours, o.funding),
      bracketWidth: 0,
      iterations: 0,
    };
  }
  const sol = smallestSatisfying(ok, 0, 1, tol);
  if (sol.value === null)
    return { keepFraction: null, cutSize: null, atSolution: null, bracketWidth: sol.width, iterations: 0 };
  const keep = 1 - sol.value;
  return {
    keepFraction: keep,
    cutSize: size * sol.value,
    atSolution:
      keep > 0
        ? liquidationProbability(scenarioWithSizeFactor(s, keep), model, o.horizonHours, o.funding)
        : null,
    bracketWidth: sol.width,
    iterations: sol.iterations,
  };
}

function readHorizon(hours: number): number {
  return readNumber(hours, "horizonHours", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the horizon in hours, e.g. 24.",
  });
}

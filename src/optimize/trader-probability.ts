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
import { accountMargin } from "../margin/account.js";
import { liquidationPrices } from "../margin/liquidation.js";
import { notionalAt, sideOf, unrealizedPnlAt } from "../margin/position.js";
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
  const m = accountMargin(s.account, s.rules);
  return s.account.marginMode === "isolated" ? (m.positions[s.positionIndex]?.isolatedEquity ?? 0) : m.equity;
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
  return { ...s, account: { ...s.account, positions } };
}

/** Where the position stands now. */
export interface ScenarioLiquidation {
  /** `"safe"`: a liquidation price on the losing side; `"liquidatable"`: already below maintenance; `"no-price"`: no positive price liquidates. */
  readonly status: "safe" | "liquidatable" | "no-price";
  readonly side: Direction;
  readonly spotPrice: number;
  readonly liquidationPrice: number | null;
}

/** The position's liquidation price from the margin engine (tiers re-solved, fees counted). */
export function scenarioLiquidation(s: TraderScenario): ScenarioLiquidation {
  const p = scenarioPosition(s);
  const side: Direction = sideOf(p) > 0 ? "long" : "short";
  const spotPrice = p.markPrice;
  const margin = accountMargin(s.account, s.rules);
  const liquidatable = margin.positions[s.positionIndex]?.liquidatable === true;
  if (liquidatable) return { status: "liquidatable", side, spotPrice, liquidationPrice: spotPrice };
  const price = liquidationPrices(s.account, s.rules)[s.positionIndex]?.liquidationPrice ?? null;
  if (price === null || !(price > 0)) return { status: "no-price", side, spotPrice, liquidationPrice: null };
  const wrongSide = side === "long" ? price >= spotPrice : price <= spotPrice;
  if (wrongSide) return { status: "liquidatable", side, spotPrice, liquidationPrice: spotPrice };
  return { status: "safe", side, spotPrice, liquidationPrice: price };
}

/** The liquidation barrier over a horizon: where it starts and how it moves with funding. */
export interface ScenarioBarrier extends ScenarioLiquidation {
  /** Liquidation price after the horizon's funding has been paid (null: none). */
  readonly liquidationPriceAtHorizon: number | null;
  /** c in ln H(t) = ln H(0) + c·t, per year (0 without funding or without a price). */
  readonly logDriftPerYear: number;
  /** |ln(H(0)/S₀)| (Infinity with no price, 0 when liquidatable). */
  readonly logDistance: number;
}

/**
 * The barrier of {@link scenarioLiquidation} and its drift from funding: the engine's liquidation
 * price now and after `horizonHours` of funding at the assumed rate, joined log-linearly
 * (`c = ln(H(T)/H(0))/T`). The true path of H is linear in the funding paid (the engine's equation
 * is affine in accrued funding within a tier), so log-linear interpolation differs from it by
 * O((ΔH/H)²) — negligible over a horizon of days.
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
  if (funding === undefined || now.status !== "safe" || funding.ratePerInterval === 0) {
    return {
      ...now,
      liquidationPriceAtHorizon: now.liquidationPrice,
      logDriftPerYear: 0,
      logDistance: distance,
    };
  }
  const later = scenarioLiquidation(scenarioWithFundingPaid(s, funding, horizonHours));
  const at =
    later.status === "safe"
      ? (later.liquidationPrice as number)
      : later.status === "liquidatable"
        ? now.spotPrice
        : null;
  // With no price at the horizon (funding received pushed it away), keep the barrier fixed (conservative).
  const drift =
    at === null ? 0 : Math.log(at / (now.liquidationPrice as number)) / (horizonHours / HOURS_PER_YEAR);
  return { ...now, liquidationPriceAtHorizon: at, logDriftPerYear: drift, logDistance: distance };
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
  readonly liquidationPrice: number | null;
  readonly liquidationPriceAtHorizon: number | null;
  /** |H − S₀|/S₀, a fraction (null without a price). */
  readonly liquidationDistance: number | null;
  readonly collateral: number;
  readonly leverage: number;
}

/**
 * P(the position is liquidated within `horizonHours`): 1 if liquidatable now, 0 if no positive
 * price liquidates it, else the model's touch probability of the engine's barrier with funding.
 */
export function liquidationProbability(
  s: TraderScenario,
  model: ProbabilityModel,
  horizonHours: number,
  funding?: FundingAssumption,
): LiquidationProbability {
  const b = scenarioBarrier(s, horizonHours, funding);
  const est =
    b.status === "liquidatable"
      ? exact(1)
      : b.status === "no-price"
        ? exact(0)
        : model.touch(b.side, b.logDistance, b.logDriftPerYear);
  return {
    ...est,
    method: model.method,
    status: b.status,
    side: b.side,
    spotPrice: b.spotPrice,
    liquidationPrice: b.liquidationPrice,
    liquidationPriceAtHorizon: b.liquidationPriceAtHorizon,
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
  /** Largest fraction of the size to keep that meets the target (1: no cut needed; 0: close it all). */
  readonly keepFraction: number;
  /** Size to close, in contracts (|size|·(1 − keepFraction)). */
  readonly cutSize: number;
  readonly atSolution: LiquidationProbability | null;
  readonly bracketWidth: number;
  readonly iterations: number;
}

/**
 * The smallest cut of the position's size (at the mark, realized PnL kept in the collateral) that
 * meets `target`: bisection on the fraction kept, f ∈ [0, 1], for a constraint that holds at
 * small sizes and fails beyond some size (P(liquidation) grows with size at fixed collateral).
 * Closing everything (f = 0) always meets it.
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
  const g = sol.value ?? 1;
  const keep = 1 - g;
  return {
    keepFraction: keep,
    cutSize: size * g,
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

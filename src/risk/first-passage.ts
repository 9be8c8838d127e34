/**
 * Probability that a position is liquidated within a horizon when the mark price follows a
 * geometric Brownian motion: the closed-form first-passage (touch) probability for a barrier
 * below (long) or above (short) the spot, the Broadie–Glasserman–Kou shift for discrete
 * monitoring, and the Brownian-bridge probability of crossing within one step (used by the
 * Monte Carlo evaluator of `src/sim/`). Formulas: shared/research/quant.md §3.7.
 *
 * Model: `dS/S = μ dt + σ dW`, so `X_t = ln(S_t/S_0)` is a Brownian motion with drift
 * ν = μ − σ²/2 and volatility σ (per year). A long is liquidated when the price first falls to
 * its liquidation price H < S₀ (b = ln(H/S₀) < 0); a short when it first rises to H > S₀.
 */
import { InputError } from "../errors.js";
import { DIRECTIONS, type Direction } from "../margin/types.js";
import { normalCdf } from "../math/distributions.js";
import { readChoice, readNumber } from "../validate.js";

/**
 * β = −ζ(½)/√(2π) = 0.5825971579…, the Broadie–Glasserman–Kou discrete-monitoring constant
 * (M. Broadie, P. Glasserman & S. Kou, "A continuity correction for discrete barrier options",
 * *Mathematical Finance* 7(4), 1997; quant.md §3.7), with ζ(½) = −1.4603545088095868.
 */
export const BGK_BETA = 1.4603545088095868 / Math.sqrt(2 * Math.PI);

/** Inputs of {@link firstPassageProbability}. */
export interface FirstPassageInput {
  /** Current mark price S₀ (> 0). */
  readonly spotPrice: number;
  /** Liquidation price H (> 0): below the spot for a long, above it for a short. */
  readonly barrierPrice: number;
  /** Annualised volatility σ of log returns (a fraction per √year, e.g. 0.8). */
  readonly annualVol: number;
  /** Annualised drift μ of the price (dS/S = μ dt + σ dW); default 0. */
  readonly annualDrift?: number;
  /** Horizon T in years (e.g. 7/365). */
  readonly horizonYears: number;
  readonly side: Direction;
}

/**
 * Probability that GBM touches the liquidation price within the horizon (continuous
 * monitoring), by the reflection principle for Brownian motion with drift (e.g. Shreve,
 * *Stochastic Calculus for Finance II*, §7.2.2; quant.md §3.7). With b = ln(H/S₀),
 * ν = μ − σ²/2, for a long (b < 0):
 *
 * `P(min_{t≤T} S_t ≤ H) = Φ((b − νT)/(σ√T)) + e^{2νb/σ²} Φ((b + νT)/(σ√T))`;
 *
 * a short is the mirror image (b → −b, ν → −ν). A barrier already reached gives 1; σ = 0 gives
 * the deterministic answer. Worked example (quant.md §5 R12): S₀ 100, H 90, σ 0.8, T 7/365,
 * μ 0, long → 0.35976.
 *
 * @example firstPassageProbability({ spotPrice: 100, barrierPrice: 90, annualVol: 0.8, horizonYears: 7 / 365, side: "long" })
 */
export function firstPassageProbability(input: FirstPassageInput): number {
  const p = readInput(input);
  return touchProbability(
    Math.log(p.barrierPrice / p.spotPrice),
    p.logDrift,
    p.annualVol,
    p.horizonYears,
    p.side,
  );
}

/**
 * The same probability from log-space inputs, without validation (for hot loops):
 * `logBarrier` b = ln(H/S₀), `logDrift` ν = μ − σ²/2 per year, `annualVol` σ, `horizonYears` T.
 */
export function touchProbability(
  logBarrier: number,
  logDrift: number,
  annualVol: number,
  horizonYears: number,
  side: Direction,
): number {
  // Mirror a short onto a long: Y = −X has drift −ν and barrier −b.
  const b = side === "long" ? logBarrier : -logBarrier;
  const nu = side === "long" ? logDrift : -logDrift;
  if (b >= 0) return 1;
  if (horizonYears === 0) return 0;
  if (annualVol === 0) return nu * horizonYears <= b ? 1 : 0;
  const sd = annualVol * Math.sqrt(horizonYears);
  const first = normalCdf((b - nu * horizonYears) / sd);
  const exponent = (2 * nu * b) / (annualVol * annualVol);
  const c = (b + nu * horizonYears) / sd;
  const second =
    exponent > 700 ? Math.exp(exponent + logNormalCdfLowerTail(c)) : Math.exp(exponent) * normalCdf(c);
  return Math.min(1, first + second);
}

/**
 * Barrier shifted for discrete monitoring (Broadie, Glasserman & Kou 1997): a barrier checked
 * every Δt is, to o(1/√m), the continuous barrier moved away from the spot by `e^{β σ √Δt}`:
 * `H·e^{−βσ√Δt}` for a long (barrier below), `H·e^{+βσ√Δt}` for a short, β = {@link BGK_BETA}.
 */
export function discreteMonitoringBarrier(
  barrierPrice: number,
  annualVol: number,
  monitoringIntervalYears: number,
  side: Direction,
): number {
  const shift = BGK_BETA * annualVol * Math.sqrt(monitoringIntervalYears);
  return barrierPrice * Math.exp(side === "long" ? -shift : shift);
}

/**
 * Probability of liquidation when the price is only checked every `monitoringIntervalYears`
 * (e.g. a venue's mark-price update, or the grid of a simulation without bridge correction):
 * {@link firstPassageProbability} at the {@link discreteMonitoringBarrier}. An approximation
 * (error o(1/√m) for m checks); it is good when the barrier is more than a few σ√Δt away.
 */
export function discreteFirstPassageProbability(
  input: FirstPassageInput & { readonly monitoringIntervalYears: number },
): number {
  const p = readInput(input);
  const dt = readNumber(input.monitoringIntervalYears, "monitoringIntervalYears", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the time between price checks in years, e.g. 1/8760 for hourly.",
  });
  const h = discreteMonitoringBarrier(p.barrierPrice, p.annualVol, dt, p.side);
  return touchProbability(Math.log(h / p.spotPrice), p.logDrift, p.annualVol, p.horizonYears, p.side);
}

/**
 * Probability that a Brownian path going from x₀ to x₁ over one step (a Brownian bridge with
 * variance `stepVariance` = σ²Δt) crosses a barrier that moves linearly from b₀ to b₁ during
 * the step (all in log price): `exp(−2 (x₀ − b₀)(x₁ − b₁) / (σ²Δt))` when both ends are on the
 * safe side, else 1 (quant.md §3.7; P. Glasserman, *Monte Carlo Methods in Financial
 * Engineering*, 2004, §6.4). The formula is exact for a linear barrier because a bridge minus a
 * linear function is again a bridge. For a short the distances are mirrored.
 */
export function bridgeCrossingProbability(
  logStart: number,
  logEnd: number,
  logBarrierStart: number,
  logBarrierEnd: number,
  stepVariance: number,
  side: Direction,
): number {
  const s = side === "long" ? 1 : -1;
  const d0 = s * (logStart - logBarrierStart);
  const d1 = s * (logEnd - logBarrierEnd);
  if (d0 <= 0 || d1 <= 0) return 1;
  if (stepVariance === 0) return 0;
  return Math.exp((-2 * d0 * d1) / stepVariance);
}

/**
 * ln Φ(c) for c < −37 (where e^{700}·Φ(c) is needed), from the asymptotic series
 * Φ(c) = φ(c)/(−c)·(1 − 1/c² + 3/c⁴ − 15/c⁶ + 105/c⁸ − …) (Abramowitz & Stegun 26.2.12);
 * the truncation error is below 1e-12 relative there.
 */
function logNormalCdfLowerTail(c: number): number {
  if (c > -37) return Math.log(normalCdf(c));
  const q = 1 / (c * c);
  const series = 1 - q * (1 - q * (3 - q * (15 - 105 * q)));
  return -0.5 * c * c - Math.log(-c) - 0.5 * Math.log(2 * Math.PI) + Math.log(series);
}

function readInput(input: FirstPassageInput): {
  spotPrice: number;
  barrierPrice: number;
  annualVol: number;
  horizonYears: number;
  logDrift: number;
  side: Direction;
} {
  const spotPrice = readNumber(input.spotPrice, "spotPrice", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the current mark price (> 0).",
  });
  const barrierPrice = readNumber(input.barrierPrice, "barrierPrice", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the liquidation price (> 0).",
  });
  const annualVol = readNumber(input.annualVol, "annualVol", {
    min: 0,
    fix: "Pass an annualised volatility as a fraction, e.g. 0.8 for 80 %.",
  });
  const horizonYears = readNumber(input.horizonYears, "horizonYears", {
    min: 0,
    fix: "Pass the horizon in years, e.g. 7/365 for a week.",
  });
  const drift = readNumber(input.annualDrift ?? 0, "annualDrift", {
    fix: "Pass the annualised price drift as a fraction (0 for none).",
  });
  const side = readChoice(input.side, "side", DIRECTIONS);
  return {
    spotPrice,
    barrierPrice,
    annualVol,
    horizonYears,
    logDrift: drift - 0.5 * annualVol * annualVol,
    side,
  };
}

/** Throws an {@link InputError} (naming `field`) unless the barrier is on the losing side of the spot. */
export function assertBarrierSide(
  spotPrice: number,
  barrierPrice: number,
  side: Direction,
  field = "barrierPrice",
): void {
  if (side === "long" ? barrierPrice >= spotPrice : barrierPrice <= spotPrice) {
    throw new InputError(
      field,
      barrierPrice,
      `is not ${side === "long" ? "below" : "above"} the spot price ${spotPrice} for a ${side}`,
      "Pass the liquidation price of the position (below the mark for a long, above it for a short).",
    );
  }
}

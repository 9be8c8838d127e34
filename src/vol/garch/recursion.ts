/**
 * The GJR-GARCH(1,1) variance recursion, written once: the fit's likelihood kernels
 * (src/vol/garch/likelihood.ts), the filter ({@link import("./likelihood.js").conditionalVariance}),
 * the simulators (src/vol/garch/simulate.ts, src/sim/models.ts) and the trader's policy filter
 * (src/optimize/policy.ts) all call {@link gjrVariance}.
 *
 * `σ²_{t+1} = ω + (α + γ·1[ε_t < 0]) ε²_t + β σ²_t` (Bollerslev 1986; Glosten, Jagannathan &
 * Runkle 1993; quant.md §3.4); plain GARCH(1,1) is γ = 0.
 */
import type { GarchParams } from "./types.js";

/**
 * One variance update `ω + (α + γ·1[ε<0])·ε² + β·σ²` with the parameters as plain numbers (so the
 * likelihood loops stay allocation-free; V8 inlines it). ε² is formed once as `ε·ε`.
 *
 * @example gjrVariance(2e-6, 0.06, 0, 0.92, 1e-4, 20 / 1040) // 1.16189e-4 (Hull: σ 1.0779 %)
 */
export function gjrVariance(
  omega: number,
  alpha: number,
  gamma: number,
  beta: number,
  previousVariance: number,
  residual: number,
): number {
  return omega + (residual < 0 ? alpha + gamma : alpha) * (residual * residual) + beta * previousVariance;
}

/**
 * One variance update `σ²_n = ω + (α + γ·1[ε<0]) ε² + β σ²_{n−1}`.
 *
 * Worked example (Hull, *Options, Futures and Other Derivatives*, volatility chapter; quant.md
 * R15): ω 2e-6, α 0.06, β 0.92, σ_{n−1} 1 %, index 1040 → 1060 (u = 20/1040) → σ_n = 1.0779 %.
 *
 * @example Math.sqrt(garchStep(1e-4, 20 / 1040, { mu: 0, omega: 2e-6, alpha: 0.06, beta: 0.92 })) // 0.010779
 */
export function garchStep(previousVariance: number, residual: number, params: GarchParams): number {
  return gjrVariance(params.omega, params.alpha, params.gamma ?? 0, params.beta, previousVariance, residual);
}

/** Persistence φ = α + β + γ/2 (the decay per step of a variance shock). */
export function persistence(params: GarchParams): number {
  return params.alpha + params.beta + 0.5 * (params.gamma ?? 0);
}

/** The return scale GARCH is fitted in: percent returns, `100·r`, as in R's fGarch and Python's arch. */
export const PERCENT = 100;

/**
 * Percent returns `100·r` — the units in which GARCH is fitted here, as in fGarch.
 *
 * @example percentReturns(logReturns(series.close))
 */
export function percentReturns(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length);
  for (let i = 0; i < out.length; i++) out[i] = PERCENT * (returns[i] as number);
  return out;
}

/** A return or volatility of percent returns in return units: `x / 100`. */
export function fromPercent(x: number): number {
  return x / PERCENT;
}

/** A variance of percent returns in return units (fraction²): `v / 100²`. */
export function fromPercentVariance(v: number): number {
  return v / (PERCENT * PERCENT);
}

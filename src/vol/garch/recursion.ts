/**
 * The GJR-GARCH(1,1) variance recursion, written once: the fit's likelihood kernels
 * (src/vol/garch/likelihood.ts), the filter ({@link import("./likelihood.js").conditionalVariance}),
 * the simulators (src/vol/garch/simulate.ts, src/sim/models.ts) and the trader's policy filter
 * (src/optimize/policy.ts) all call {@link gjrVariance}.
 *
 * `σ²_{t+1} = ω + (α + γ·1[ε_t < 0]) ε²_t + β σ²_t` (Bollerslev 1986; Glosten, Jagannathan &
 * Runkle 1993; quant.md §3.4); plain GARCH(1,1) is γ = 0.
 */

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

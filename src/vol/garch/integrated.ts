/**
 * IGARCH(1,1) with drift: the integrated GARCH of Engle & Bollerslev ("Modelling the persistence
 * of conditional variances", *Econometric Reviews* 5(1), 1986) and Nelson ("Stationarity and
 * persistence in the GARCH(1,1) model", *Econometric Theory* 6(3), 1990),
 * `σ²_t = ω + ᾱ ε²_{t−1} + (1 − ᾱ) σ²_{t−1}`, ω > 0: a GARCH(1,1) on the line α + β = 1. A shock
 * to the variance never decays, there is no long-run variance, and the forecast rises by the drift
 * ω every step: `E[σ²_{T+h}] = σ²_{T+1} + (h − 1)ω` (Engle & Bollerslev 1986 §3: with α + β = 1
 * the recursion `E[σ²_{T+h+1}] = ω + (α + β) E[σ²_{T+h}]` adds ω a step; Nelson 1990 shows the
 * process is still strictly stationary for ω > 0). This is the model a GARCH fit asks for when it
 * ends on the stationarity bound φ → 1 (src/vol/garch/bounds.ts), written without the 1/(1 − φ)
 * of the stationary closed form, which at φ = 1 − 1e-10 cancels catastrophically.
 */
import { persistence } from "./recursion.js";
import type { GarchParams } from "./types.js";

/**
 * The IGARCH(1,1) with drift of a GARCH/GJR fit `p`: ω and μ kept, ν kept (the fit's shocks),
 * `ᾱ = (α + γ/2)/φ`, `β̄ = 1 − ᾱ` with φ = α + β + γ/2 (γ dropped: a symmetric recursion
 * with the fit's mean weight on the last squared shock). The projection onto α + β = 1 scales α
 * and β by the same 1/φ, which keeps their ratio (how the fit splits a shock's weight between
 * the news ᾱ and the memory β̄) and gives 0 ≤ ᾱ ≤ 1 for every fit, also one with φ ≥ 1 (fitted
 * without the stationarity constraint) where ᾱ = 1 − β̂ would be negative for β̂ ≥ 1; at the
 * bound (φ ≥ 1 − 1e-6) it moves α and β by less than 1e-6 relative, so α̂/φ̂, 1 − β̂ and α̂ agree
 * there to 1e-6.
 *
 * @example integratedParams({ mu: 0, omega: 0.002, alpha: 0.1, beta: 0.9 - 1e-10 }) // ᾱ ≈ 0.1, β̄ ≈ 0.9
 */
export function integratedParams(p: GarchParams): GarchParams {
  const phi = persistence(p);
  const alpha = (p.alpha + 0.5 * (p.gamma ?? 0)) / phi;
  return {
    mu: p.mu,
    omega: p.omega,
    alpha,
    beta: 1 - alpha,
    ...(p.nu === undefined ? {} : { nu: p.nu }),
  };
}

/**
 * Variance of the sum of the next `horizon` returns under an IGARCH(1,1) with drift ω (module
 * comment): `V_H = Σ_{h=1..H} (σ²_{T+1} + (h − 1)ω) = H·σ²_{T+1} + ω·H(H − 1)/2`, the returns
 * being uncorrelated martingale differences (Engle & Bollerslev 1986 §3).
 *
 * @example integratedHorizonVariance(0.5, 0.002, 24) // 12.552 (%² when σ² and ω are in %²)
 */
export function integratedHorizonVariance(nextVariance: number, omega: number, horizon: number): number {
  return horizon * nextVariance + (omega * horizon * (horizon - 1)) / 2;
}

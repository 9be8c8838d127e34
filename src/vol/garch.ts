/**
 * GARCH(1,1) and GJR-GARCH(1,1) with a constant mean and normal or standardised Student-t
 * innovations: `loglikelihood`, `fit`, `forecast`, `simulate` (the shared vocabulary of
 * `shared/docs/design.md`; formulas from `shared/research/quant.md` §3.4), and the analytic
 * score `loglikelihoodGradient` that the fit climbs (G. Fiorentini, G. Calzolari & L. Panattoni,
 * "Analytic derivatives and the computation of GARCH estimates", *J. Applied Econometrics* 11(4),
 * 1996: the derivatives of σ²_t follow a recursion of the same form as σ²_t itself).
 *
 * Model (Bollerslev 1986; Glosten, Jagannathan & Runkle 1993):
 * `r_t = μ + ε_t`, `ε_t = σ_t z_t`,
 * `σ²_t = ω + (α + γ·1[ε_{t−1} < 0]) ε²_{t−1} + β σ²_{t−1}` (γ = 0 for plain GARCH),
 * z_t i.i.d. N(0, 1) or standardised Student-t with ν > 2 degrees of freedom (unit variance).
 *
 * Units: pass **percent** returns (100·r, {@link percentReturns}) as R's fGarch and Python's `arch`
 * do in their examples; ω and the variances are then in %², μ in %.
 *
 * Log-likelihood (what fGarch's `garchFit` reports as `LLH`, with the sign flipped):
 * normal `ℓ = −½ Σ [ln 2π + ln σ²_t + ε²_t/σ²_t]`; Student-t
 * `ℓ_t = lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ ln(π(ν−2)) − ½ ln σ²_t − ((ν+1)/2) ln(1 + ε²_t/((ν−2)σ²_t))`.
 *
 * Initialisation σ²_1 ({@link GarchInit}), parity-critical: fGarch's default `init.rec = "mci"`
 * is `σ²_1 = ω + φ·(1/n)Σ ε²_t` with persistence φ = α + β + γ/2 (quant.md §3.4, R1/R4).
 */

export { boundWarnings, forecastDegeneracy, type GarchBound } from "./garch/bounds.js";
export { fit } from "./garch/fit.js";
export { forecast } from "./garch/forecast.js";
export { integratedHorizonVariance, integratedParams } from "./garch/integrated.js";
export { conditionalVariance, loglikelihood, loglikelihoodGradient } from "./garch/likelihood.js";
export { fromPercent, fromPercentVariance, garchStep, percentReturns } from "./garch/recursion.js";
export { gjrPath, simulate } from "./garch/simulate.js";
export type {
  GarchDist,
  GarchFit,
  GarchFitOptions,
  GarchForecast,
  GarchInit,
  GarchModel,
  GarchParams,
  GarchPath,
} from "./garch/types.js";

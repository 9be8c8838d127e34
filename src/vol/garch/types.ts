/**
 * The vocabulary of the GARCH(1,1) / GJR-GARCH(1,1) modules (src/vol/garch/): model, innovation
 * law, initialisation, parameters, and the result objects of the fit, the forecast and the
 * simulator. Formulas in src/vol/garch.ts.
 */

import type { GarchBound } from "./bounds.js";

/** Variance equation: plain GARCH(1,1) or GJR-GARCH(1,1) (asymmetric, γ on negative shocks). */
export type GarchModel = "garch" | "gjr";
/** Innovation distribution: standard normal or unit-variance Student-t. */
export type GarchDist = "normal" | "t";

/**
 * How σ²_1 is set:
 * - `mci` (fGarch default): `ω + φ·mean(ε²)`, φ = α + β + γ/2;
 * - `mean-square`: `mean(ε²)` (ε = r − μ);
 * - `sample-variance`: the sample variance (n − 1) of the returns;
 * - `unconditional`: `ω / (1 − φ)` (requires φ < 1);
 * - `{ variance }`: a given value.
 */
export type GarchInit =
  | "mci"
  | "mean-square"
  | "sample-variance"
  | "unconditional"
  | { readonly variance: number };

/** Parameters; `gamma` is 0 for GARCH, `nu` is absent for normal innovations. */
export interface GarchParams {
  readonly mu: number;
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma?: number;
  readonly nu?: number;
}

/** Options of `loglikelihood` and `conditionalVariance`. */
export interface GarchLikelihoodOptions {
  /** Default `"normal"`; `"t"` needs `params.nu`. */
  readonly dist?: GarchDist;
  /** Default `"mci"` (fGarch). */
  readonly init?: GarchInit;
}

/** Options of `fit`. */
export interface GarchFitOptions {
  readonly model: GarchModel;
  readonly dist: GarchDist;
  /** Default `"mci"`. */
  readonly init?: GarchInit;
  /**
   * Impose covariance stationarity φ = α + β + γ/2 < 1 (default true). fGarch does not impose it
   * (quant.md R2: DEM/GBP-t gives α + β = 1.009); pass `false` to search α, β, γ ∈ (0, 1) only.
   */
  readonly stationary?: boolean;
  /**
   * Optimizer tolerances; defaults 1e-4 and 1e-6 (fminsearch's). The quasi-Newton search stops
   * when its predicted gain in ℓ (the Newton decrement) is below `1e-4 · fTolerance`; the
   * Nelder–Mead fallback uses both as in `nelderMead` and restarts from its optimum until ℓ
   * improves by less than `fTolerance`.
   */
  readonly xTolerance?: number;
  readonly fTolerance?: number;
}

/** A fitted model. */
export interface GarchFit {
  readonly model: GarchModel;
  readonly dist: GarchDist;
  readonly init: GarchInit;
  readonly params: GarchParams;
  /**
   * Standard errors from the inverse numerical Hessian of −ℓ: NaN if it is not positive definite,
   * and NaN for every parameter when a constraint binds (`atBound`), where that Hessian does not give them.
   */
  readonly standardErrors: Readonly<Record<keyof GarchParams, number>>;
  /** Parameter names in the order of the Hessian / covariance. */
  readonly names: readonly (keyof GarchParams)[];
  readonly loglikelihood: number;
  /** `−2ℓ + 2k` (fGarch prints this divided by n). */
  readonly aic: number;
  /** `−2ℓ + k ln n` (fGarch prints this divided by n). */
  readonly bic: number;
  readonly nObs: number;
  /** True when the kept search met its stopping rule (see `fit`). */
  readonly converged: boolean;
  /** Whether the fit imposed covariance stationarity φ < 1 (the `stationary` option). */
  readonly stationary: boolean;
  /**
   * The constraints that bind at the optimum (`boundsAt` of src/vol/garch/bounds.ts): `persistence`
   * when φ is at the stationarity bound, a parameter name when it is at its floor, `<name>-upper`
   * at its ceiling. Empty for an interior optimum.
   */
  readonly atBound: readonly GarchBound[];
  /** What a caller must know before using the fit: one sentence per binding constraint, φ ≥ 1, withheld errors. */
  readonly warnings: readonly string[];
  /** Optimizer iterations, all searches together. */
  readonly iterations: number;
  /** Likelihood(-and-gradient) evaluations of the searches and the start grid (not the Hessian's). */
  readonly evaluations: number;
  /** Persistence φ = α + β + γ/2. */
  readonly persistence: number;
  /** σ̄² = ω / (1 − φ) (Infinity when φ ≥ 1). */
  readonly unconditionalVariance: number;
  /** σ²_{T+1}: the variance of the next, unseen return. */
  readonly nextVariance: number;
}

/** ℓ with its gradient, from `loglikelihoodGradient`. */
export interface GarchLikelihoodGradient {
  readonly loglikelihood: number;
  /** ∂ℓ/∂θ for every parameter (γ and ν included even when the model has none: 0 for ν then). */
  readonly gradient: Readonly<Record<keyof GarchParams, number>>;
}

/** A variance forecast: per-step variances and the variance of the summed returns. */
export interface GarchForecast {
  /** `variance[h−1] = E[σ²_{T+h}]`, h = 1 … horizon. */
  readonly variance: Float64Array;
  /** `cumulativeVariance[h−1]` = variance of r_{T+1} + … + r_{T+h} (V_h). */
  readonly cumulativeVariance: Float64Array;
}

/** A simulated path. */
export interface GarchPath {
  /** Simulated returns r_1 … r_n (in the units of the fit: % for percent returns). */
  readonly returns: Float64Array;
  /** σ²_t of each simulated return. */
  readonly variance: Float64Array;
}

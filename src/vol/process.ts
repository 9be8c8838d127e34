/**
 * The vocabulary every volatility process speaks, in the manner of Python's `arch` package
 * (bashtage/arch, `arch/univariate/volatility.py`, `VolatilityProcess`): parameter names, bounds,
 * starting values, the one-step variance update, the conditional-variance path, the
 * log-likelihood under an innovation law, forecasts and simulation. As in `arch`, the process
 * only models σ²_t; the innovation law (normal or unit-variance Student-t, `arch`'s
 * `Distribution`) is passed to the methods that need it, and the mean is the process's `mu`
 * parameter when it has one (GARCH's constant mean), else zero.
 *
 * Units: a process states its parameters and variances in its own return units, `returnsScale`
 * per unit of log return (GARCH: 100, percent returns as in fGarch and `arch`; EWMA: 1). The
 * conversions live here ({@link toModelReturns}, {@link toReturnVariance}, {@link updateVariance}),
 * so callers pass log returns and read variances of log returns (fraction²).
 * Implementations: src/vol/garch/process.ts (GARCH, GJR), src/vol/ewma-process.ts (EWMA);
 * the registry: src/vol/registry.ts.
 */
import { lnGamma } from "../math/distributions.js";
import type { GarchDist, GarchPath } from "./garch/types.js";

/** The innovation law z_t of `ε_t = σ_t z_t`: standard normal or unit-variance Student-t. */
export type Innovations = GarchDist;

/** A volatility process with parameters `P` (plain data, JSON-serialisable). */
export interface VolatilityProcess<P> {
  /** The registry key (src/vol/registry.ts). */
  readonly name: string;
  /** Parameter names, in the order of {@link VolatilityProcess.bounds}. */
  readonly parameterNames: readonly string[];
  /** Model returns per unit of log return (100: percent returns; 1: log returns as they are). */
  readonly returnsScale: number;
  /** Closed box of the parameters (`arch`: `bounds`), in `parameterNames` order. */
  bounds(): { readonly lower: readonly number[]; readonly upper: readonly number[] };
  /**
   * The process's own maximum-likelihood fit, when it has a faster one than the generic
   * `fitProcess` of src/vol/process-fit.ts (GARCH, GJR: the gradient fit of src/vol/garch/fit.ts).
   */
  fit?(
    modelReturns: ArrayLike<number>,
    law: Innovations,
  ): {
    readonly params: P;
    readonly nu?: number;
    readonly loglikelihood: number;
    readonly nextVariance: number;
    /** The constraints binding at the optimum (GARCH: `GarchFit.atBound`). */
    readonly atBound?: readonly string[];
  };
  /** Starting values of a fit for these model returns (`arch`: `starting_values`). */
  startingValues(modelReturns: ArrayLike<number>): P;
  /** The mean of the model returns under `params` (0 for zero-mean processes). */
  mean(params: P): number;
  /** One-step update: σ² of the next model return after residual ε = r − mean, from σ² of this one. */
  step(params: P, previousVariance: number, residual: number): number;
  /**
   * The conditional-variance path of model returns (`arch`: `compute_variance`): entry t is
   * σ² of return t, entry n the variance of the next, unseen return.
   */
  variance(params: P, modelReturns: ArrayLike<number>): Float64Array;
  /** Log-likelihood of model returns with innovations `law` (ν from `nu` for Student-t). */
  loglikelihood(params: P, modelReturns: ArrayLike<number>, law: Innovations, nu?: number): number;
  /** `E[σ²_{T+h}]`, h = 1 … horizon, from σ²_{T+1} = `nextVariance` (model units). */
  forecast(params: P, nextVariance: number, horizon: number): Float64Array;
  /** n model returns and their variances from σ²_1 = `startVariance`, on the seeded stream. */
  simulate(
    params: P,
    n: number,
    seed: number,
    options: { readonly law: Innovations; readonly nu?: number; readonly startVariance: number },
  ): GarchPath;
}

/** Log returns in the process's units: `returnsScale · r`. */
export function toModelReturns(
  process: VolatilityProcess<unknown>,
  logReturns: ArrayLike<number>,
): Float64Array {
  const scale = process.returnsScale;
  const out = new Float64Array(logReturns.length);
  for (let i = 0; i < out.length; i++) out[i] = scale * (logReturns[i] as number);
  return out;
}

/** A variance of model returns as a variance of log returns: `v / returnsScale²`. */
export function toReturnVariance(process: VolatilityProcess<unknown>, modelVariance: number): number {
  return modelVariance / (process.returnsScale * process.returnsScale);
}

/** A variance of log returns (fraction²) in the process's units: `v · returnsScale²`. */
export function toModelVariance(process: VolatilityProcess<unknown>, returnVariance: number): number {
  return returnVariance * (process.returnsScale * process.returnsScale);
}

/**
 * The filter's update in log-return units: σ² (fraction²) of the next log return after
 * observing `logReturn`, from σ² of this one — {@link VolatilityProcess.step} on
 * `ε = scale·r − mean`, `h = scale²·σ²`, divided back by scale².
 */
export function updateVariance<P>(
  process: VolatilityProcess<P>,
  params: P,
  variance: number,
  logReturn: number,
): number {
  const scale = process.returnsScale;
  const scale2 = scale * scale;
  const e = scale * logReturn - process.mean(params);
  return process.step(params, scale2 * variance, e) / scale2;
}

/**
 * Σ_t ln f(ε_t; σ²_t) over a variance path: normal `−½(ln 2π + ln σ² + ε²/σ²)`; unit-variance
 * Student-t `lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ln(π(ν−2)) − ½ln σ² − ((ν+1)/2) ln(1 + ε²/((ν−2)σ²))`
 * (the densities of src/vol/garch.ts); −∞ when a variance is not positive or ν ≤ 2.
 */
export function pathLoglikelihood(
  residuals: ArrayLike<number>,
  variance: ArrayLike<number>,
  law: Innovations,
  nu = Number.NaN,
): number {
  const n = residuals.length;
  const isT = law === "t";
  if (isT && !(nu > 2)) return Number.NEGATIVE_INFINITY;
  const k = isT
    ? lnGamma((nu + 1) / 2) - lnGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2))
    : -0.5 * Math.log(2 * Math.PI);
  let sum = n * k;
  for (let t = 0; t < n; t++) {
    const h = variance[t] as number;
    if (!(h > 0)) return Number.NEGATIVE_INFINITY;
    const e = residuals[t] as number;
    const z2 = (e * e) / h;
    sum -= 0.5 * Math.log(h) + (isT ? 0.5 * (nu + 1) * Math.log1p(z2 / (nu - 2)) : 0.5 * z2);
  }
  return sum;
}

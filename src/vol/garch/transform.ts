/**
 * The search space of the GARCH/GJR fit: the box in which the minimizers move, the start values
 * of fGarch, and the map from a search vector to the six natural parameters (μ, ω, α, β, γ, ν)
 * of the likelihood kernels, with its Jacobian for the chain rule.
 *
 * Search variables (stationary): μ free, ω ≥ 0, φ ∈ [0, 1], then shares s ∈ [0, 1]:
 * GARCH `α = φs, β = φ(1−s)`; GJR `α = φs₁, γ/2 = φ(1−s₁)s₂, β = φ(1−s₁)(1−s₂)`; ν ≥ 2.
 * Without stationarity: α, β, γ ∈ [0, 1] directly.
 */
import type { GarchDist, GarchModel, GarchParams } from "./types.js";

/** A search space (see the module comment). */
export interface SearchSpace {
  /** Free parameters in Hessian order. */
  readonly names: readonly (keyof GarchParams)[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** fGarch's start: μ = mean, α 0.1 (GJR: α 0.05, γ 0.1), β 0.8, ω = var·(1 − φ), ν 4. */
  readonly start: readonly number[];
  readonly stationary: boolean;
  readonly gjr: boolean;
  readonly isT: boolean;
  /** Start values of α, γ and their persistence φ₀ = α₀ + β₀ + γ₀/2. */
  readonly alpha0: number;
  readonly gamma0: number;
  readonly phi0: number;
  /** Search vector → (μ, ω, α, β, γ, ν) into `theta` (ν NaN for normal innovations). */
  toTheta(v: ArrayLike<number>, theta: Float64Array): Float64Array;
  /** ∂ℓ/∂(search vector) = Jᵀ ∂ℓ/∂θ, by the chain rule through {@link SearchSpace.toTheta}. */
  toSearchGradient(v: ArrayLike<number>, gTheta: Float64Array, out: Float64Array): void;
}

/** Names of the free parameters of a model, in Hessian order. */
function parameterNames(model: GarchModel, dist: GarchDist): (keyof GarchParams)[] {
  const names: (keyof GarchParams)[] = ["mu", "omega", "alpha", "beta"];
  if (model === "gjr") names.push("gamma");
  if (dist === "t") names.push("nu");
  return names;
}

/** The parameters named `names` with the values of `v`. */
export function fromVector(names: readonly (keyof GarchParams)[], v: ArrayLike<number>): GarchParams {
  const p: Record<string, number> = {};
  names.forEach((name, i) => {
    p[name] = v[i] as number;
  });
  return p as unknown as GarchParams;
}

/** The search space of a model for returns of sample `mean` and `variance` (n − 1). */
export function searchSpace(
  model: GarchModel,
  dist: GarchDist,
  stationary: boolean,
  mean: number,
  variance: number,
): SearchSpace {
  const gjr = model === "gjr";
  const isT = dist === "t";
  // Search vector layout: [μ, ω, a, b, (c), (ν)] with meaning set by `stationary`.
  const lower: number[] = [Number.NEGATIVE_INFINITY, 0, 0, 0];
  const upper: number[] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1, 1];
  if (gjr) {
    lower.push(0);
    upper.push(1);
  }
  if (isT) {
    lower.push(2);
    upper.push(Number.POSITIVE_INFINITY);
  }
  const alpha0 = gjr ? 0.05 : 0.1;
  const gamma0 = gjr ? 0.1 : 0;
  const beta0 = 0.8;
  const phi0 = alpha0 + beta0 + gamma0 / 2;
  const start: number[] = [mean, variance * (1 - phi0)];
  if (stationary) {
    start.push(phi0);
    if (gjr) start.push(alpha0 / phi0, gamma0 / 2 / (phi0 - alpha0));
    else start.push(alpha0 / phi0);
  } else {
    start.push(alpha0, beta0);
    if (gjr) start.push(gamma0);
  }
  if (isT) start.push(4);
  const names = parameterNames(model, dist);
  const k = names.length;
  return {
    names,
    lower,
    upper,
    start,
    stationary,
    gjr,
    isT,
    alpha0,
    gamma0,
    phi0,
    toTheta(v, theta) {
      theta[0] = v[0] as number;
      theta[1] = v[1] as number;
      theta[4] = 0;
      theta[5] = isT ? (v[k - 1] as number) : Number.NaN;
      const a = v[2] as number;
      const b = v[3] as number;
      if (!stationary) {
        theta[2] = a;
        theta[3] = b;
        if (gjr) theta[4] = v[4] as number;
      } else if (gjr) {
        const s2 = v[4] as number;
        theta[2] = a * b;
        theta[3] = a * (1 - b) * (1 - s2);
        theta[4] = 2 * a * (1 - b) * s2;
      } else {
        theta[2] = a * b;
        theta[3] = a * (1 - b);
      }
      return theta;
    },
    toSearchGradient(v, gTheta, out) {
      out[0] = gTheta[0] as number;
      out[1] = gTheta[1] as number;
      if (isT) out[k - 1] = gTheta[5] as number;
      const ga = gTheta[2] as number;
      const gb = gTheta[3] as number;
      const gg = gTheta[4] as number;
      if (!stationary) {
        out[2] = ga;
        out[3] = gb;
        if (gjr) out[4] = gg;
        return;
      }
      const phi = v[2] as number;
      const s1 = v[3] as number;
      if (gjr) {
        const s2 = v[4] as number;
        out[2] = ga * s1 + gb * (1 - s1) * (1 - s2) + 2 * gg * (1 - s1) * s2;
        out[3] = phi * (ga - gb * (1 - s2) - 2 * gg * s2);
        out[4] = phi * (1 - s1) * (2 * gg - gb);
      } else {
        out[2] = ga * s1 + gb * (1 - s1);
        out[3] = phi * (ga - gb);
      }
    },
  };
}

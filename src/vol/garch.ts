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
import { InputError } from "../errors.js";
import { digamma, lnGamma } from "../math/distributions.js";
import { invertSpd } from "../math/linalg.js";
import { gradientHessian, nelderMead, projectedQuasiNewton } from "../math/minimize.js";
import { Xoshiro128 } from "../math/random.js";
import { gjrVariance } from "./garch/recursion.js";

export { gjrVariance } from "./garch/recursion.js";

import { readChoice, readNumber } from "../validate.js";

/** ln Γ(x), re-exported from src/math/distributions.ts (the Lanczos approximation this module used to carry). */

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

/** Options of {@link loglikelihood} and {@link conditionalVariance}. */
export interface GarchLikelihoodOptions {
  /** Default `"normal"`; `"t"` needs `params.nu`. */
  readonly dist?: GarchDist;
  /** Default `"mci"` (fGarch). */
  readonly init?: GarchInit;
}

/** Options of {@link fit}. */
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
   * Nelder–Mead fallback uses both as in {@link nelderMead} and restarts from its optimum until ℓ
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
  /** Standard errors from the inverse numerical Hessian of −ℓ (NaN if it is not positive definite). */
  readonly standardErrors: Readonly<Record<keyof GarchParams, number>>;
  /** Parameter names in the order of the Hessian / covariance. */
  readonly names: readonly (keyof GarchParams)[];
  readonly loglikelihood: number;
  /** `−2ℓ + 2k` (fGarch prints this divided by n). */
  readonly aic: number;
  /** `−2ℓ + k ln n` (fGarch prints this divided by n). */
  readonly bic: number;
  readonly nObs: number;
  /** True when the kept search met its stopping rule (see {@link fit}). */
  readonly converged: boolean;
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

const LN_2PI = Math.log(2 * Math.PI);

/**
 * Percent returns `100·r` — the units in which GARCH is fitted here, as in fGarch.
 *
 * @example percentReturns(logReturns(series.close))
 */
export function percentReturns(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length);
  for (let i = 0; i < out.length; i++) out[i] = 100 * (returns[i] as number);
  return out;
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

function initialVariance(
  init: GarchInit,
  p: GarchParams,
  returns: ArrayLike<number>,
  meanSquare: number,
): number {
  if (typeof init === "object") return init.variance;
  switch (init) {
    case "mci":
      return p.omega + persistence(p) * meanSquare;
    case "mean-square":
      return meanSquare;
    case "sample-variance": {
      const n = returns.length;
      let m = 0;
      for (let i = 0; i < n; i++) m += returns[i] as number;
      m /= n;
      let s = 0;
      for (let i = 0; i < n; i++) s += ((returns[i] as number) - m) ** 2;
      return s / (n - 1);
    }
    case "unconditional":
      return p.omega / (1 - persistence(p));
    default:
      throw new InputError(
        "init",
        init,
        "is not a known initialisation",
        'Use "mci", "mean-square", "sample-variance", "unconditional" or { variance }.',
      );
  }
}

/**
 * The log-likelihood ℓ of `returns` under `params` (formulas in the module comment); −Infinity
 * when a variance is not positive or ν ≤ 2. One pass for mean(ε²), one for the recursion; no
 * allocation.
 *
 * Parity (quant.md R1): DEM/GBP % returns, μ −0.00619041, ω 0.01076139, α 0.15313391,
 * β 0.80597378, normal, mci → ℓ = −1106.608 (fGarch `LLH`).
 *
 * @example loglikelihood({ mu: 0.2136, omega: 0.8998, alpha: 0.0770, beta: 0.8038 }, pct) // ≈ −885.02
 */
export function loglikelihood(
  params: GarchParams,
  returns: ArrayLike<number>,
  options: GarchLikelihoodOptions = {},
): number {
  const n = returns.length;
  let meanSquare = 0;
  for (let t = 0; t < n; t++) {
    const e = (returns[t] as number) - params.mu;
    meanSquare += e * e;
  }
  return likelihoodGiven(params, returns, options, meanSquare / n);
}

/** {@link loglikelihood} with mean(ε²) given (the fit computes it from the raw moments in O(1)). */
function likelihoodGiven(
  params: GarchParams,
  returns: ArrayLike<number>,
  options: GarchLikelihoodOptions,
  meanSquare: number,
): number {
  const n = returns.length;
  const { mu, omega, alpha, beta } = params;
  const gamma = params.gamma ?? 0;
  const dist = options.dist ?? "normal";
  const h1 = initialVariance(options.init ?? "mci", params, returns, meanSquare);
  if (dist === "t") {
    const nu = params.nu ?? Number.NaN;
    if (!(nu > 2)) return Number.NEGATIVE_INFINITY;
    const k = lnGamma((nu + 1) / 2) - lnGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
    const sums = studentSums(returns, mu, omega, alpha, beta, gamma, h1, 1 / (nu - 2));
    return n * k - 0.5 * sums.sumLogH - 0.5 * (nu + 1) * sums.sumLogTail;
  }
  const sums = normalSums(returns, mu, omega, alpha, beta, gamma, h1);
  return -0.5 * (n * LN_2PI + sums.sumLogH + sums.sumLogTail);
}

/**
 * Scratch result of the likelihood kernels: Σ ln σ²_t and the tail sum (normal: Σ ε²_t/σ²_t;
 * Student-t: Σ ln(1 + c ε²_t/σ²_t)); both +∞ when a variance is not positive. Reused, never
 * allocated per call.
 */
const SUMS = { sumLogH: 0, sumLogTail: 0 };
/** Products of this many factors are taken before one logarithm (8 variances stay within ±1e±300 for σ² in 1e±37). */
const CHUNK = 8;

/**
 * Σ ln σ²_t and Σ ε²_t/σ²_t. The logarithm is taken of products of `chunk` variances (one
 * `Math.log` per {@link CHUNK} steps); a product leaving 1e±290 reruns the sum with `chunk = 1`
 * (one logarithm per step), so the result never overflows.
 */
function normalSums(
  r: ArrayLike<number>,
  mu: number,
  omega: number,
  alpha: number,
  beta: number,
  gamma: number,
  h1: number,
  chunk = CHUNK,
): typeof SUMS {
  const last = chunk - 1;
  let h = h1;
  let sumLogH = 0;
  let tail = 0;
  let prod = 1;
  for (let t = 0; t < r.length; t++) {
    if (!(h > 0)) return bad();
    const e = (r[t] as number) - mu;
    const e2 = e * e;
    prod *= h;
    if ((t & last) === last) {
      if (chunk > 1 && !(prod > 1e-290 && prod < 1e290))
        return normalSums(r, mu, omega, alpha, beta, gamma, h1, 1);
      sumLogH += Math.log(prod);
      prod = 1;
    }
    tail += e2 / h;
    h = gjrVariance(omega, alpha, gamma, beta, h, e);
  }
  if (chunk > 1 && !(prod > 1e-290 && prod < 1e290))
    return normalSums(r, mu, omega, alpha, beta, gamma, h1, 1);
  SUMS.sumLogH = sumLogH + Math.log(prod);
  SUMS.sumLogTail = tail;
  return SUMS;
}

/**
 * Σ ln σ²_t and Σ ln(1 + c ε²_t/σ²_t), with the logarithms taken of products of `chunk` factors
 * as in {@link normalSums}, and the same per-step rerun when a product leaves 1e±290.
 */
function studentSums(
  r: ArrayLike<number>,
  mu: number,
  omega: number,
  alpha: number,
  beta: number,
  gamma: number,
  h1: number,
  c: number,
  chunk = CHUNK,
): typeof SUMS {
  const last = chunk - 1;
  let h = h1;
  let sumLogH = 0;
  let sumLogTail = 0;
  let prodH = 1;
  let prodTail = 1;
  const overflow = () => chunk > 1 && !(prodH > 1e-290 && prodH < 1e290 && prodTail < 1e290);
  for (let t = 0; t < r.length; t++) {
    if (!(h > 0)) return bad();
    const e = (r[t] as number) - mu;
    const e2 = e * e;
    prodH *= h;
    prodTail *= 1 + (e2 * c) / h;
    if ((t & last) === last) {
      if (overflow()) return studentSums(r, mu, omega, alpha, beta, gamma, h1, c, 1);
      sumLogH += Math.log(prodH);
      sumLogTail += Math.log(prodTail);
      prodH = 1;
      prodTail = 1;
    }
    h = gjrVariance(omega, alpha, gamma, beta, h, e);
  }
  if (overflow()) return studentSums(r, mu, omega, alpha, beta, gamma, h1, c, 1);
  SUMS.sumLogH = sumLogH + Math.log(prodH);
  SUMS.sumLogTail = sumLogTail + Math.log(prodTail);
  return SUMS;
}

function bad(): typeof SUMS {
  SUMS.sumLogH = Number.POSITIVE_INFINITY;
  SUMS.sumLogTail = Number.POSITIVE_INFINITY;
  return SUMS;
}

/** Gradient layout of the kernels: ∂ℓ/∂(μ, ω, α, β, γ, ν). */
const NATURAL = ["mu", "omega", "alpha", "beta", "gamma", "nu"] as const;

/**
 * ∂σ²_1/∂(μ, ω, α, β, γ) of each initialisation (written into `out`), with `meanReturn` r̄ and
 * `meanSquare` m = mean((r − μ)²), ∂m/∂μ = 2(μ − r̄): mci `ω + φm` → (2φ(μ − r̄), 1, m, m, m/2);
 * mean-square → (2(μ − r̄), 0, 0, 0, 0); unconditional `ω/(1 − φ)` → (0, 1/(1 − φ), u, u, u/2),
 * u = ω/(1 − φ)²; fixed values → 0.
 */
function initialVarianceGradient(
  init: GarchInit,
  p: GarchParams,
  meanReturn: number,
  meanSquare: number,
  out: Float64Array,
): void {
  out.fill(0);
  if (typeof init === "object" || init === "sample-variance") return;
  const dm = 2 * (p.mu - meanReturn);
  const phi = persistence(p);
  if (init === "mci") {
    out[0] = phi * dm;
    out[1] = 1;
    out[2] = meanSquare;
    out[3] = meanSquare;
    out[4] = 0.5 * meanSquare;
  } else if (init === "mean-square") out[0] = dm;
  else if (init === "unconditional") {
    const u = p.omega / (1 - phi) ** 2;
    out[1] = 1 / (1 - phi);
    out[2] = u;
    out[3] = u;
    out[4] = 0.5 * u;
  }
}

/**
 * ℓ and its gradient ∂ℓ/∂(μ, ω, α, β, γ, ν) (into `grad`) in one pass, by differentiating the
 * variance recursion (the "∂h_t/∂θ recursion" of Bollerslev 1986 §4 and Fiorentini, Calzolari &
 * Panattoni 1996): with a_t = α + γ·1[ε_t < 0] and ε_t = r_t − μ,
 * `∂σ²_{t+1}/∂θ = ∂(ω + a_t ε²_t)/∂θ + σ²_t·1[θ = β] + β ∂σ²_t/∂θ`, i.e.
 * μ: `−2a_t ε_t`, ω: `1`, α: `ε²_t`, β: `σ²_t`, γ: `1[ε_t < 0] ε²_t` plus `β ∂σ²_t/∂θ`,
 * started from ∂σ²_1/∂θ ({@link initialVarianceGradient}; the indicator's jump is ignored, as
 * it has measure zero). Per observation:
 * normal `∂ℓ_t/∂σ²_t = (z_t − 1)/(2σ²_t)`, z_t = ε²_t/σ²_t, and `∂ℓ_t/∂μ|_σ² = ε_t/σ²_t`;
 * Student-t with c = 1/(ν − 2), q_t = c ε²_t/σ²_t:
 * `∂ℓ_t/∂σ²_t = ((ν + 1) q_t/(1 + q_t) − 1)/(2σ²_t)`, `∂ℓ_t/∂μ|_σ² = (ν + 1) c ε_t/(σ²_t (1 + q_t))`,
 * `∂ℓ/∂ν = n K'(ν) − ½ Σ ln(1 + q_t) + ((ν + 1)/2) c Σ q_t/(1 + q_t)`,
 * `K'(ν) = ½ψ((ν + 1)/2) − ½ψ(ν/2) − c/2` (ψ = {@link digamma}).
 * Logarithms of products of {@link CHUNK} factors as in {@link normalSums}; returns −∞ when a
 * variance is not positive.
 */
function likelihoodAndGradient(
  r: ArrayLike<number>,
  theta: ArrayLike<number>,
  isT: boolean,
  h1: number,
  dh1: ArrayLike<number>,
  grad: Float64Array,
  chunk = CHUNK,
): number {
  const mu = theta[0] as number;
  const omega = theta[1] as number;
  const alpha = theta[2] as number;
  const beta = theta[3] as number;
  const gamma = theta[4] as number;
  const nu = theta[5] as number;
  const n = r.length;
  const c = isT ? 1 / (nu - 2) : 0;
  const nu1 = nu + 1;
  const last = chunk - 1;
  let h = h1;
  let hm = dh1[0] as number;
  let hw = dh1[1] as number;
  let ha = dh1[2] as number;
  let hb = dh1[3] as number;
  let hg = dh1[4] as number;
  let gm = 0;
  let gw = 0;
  let ga = 0;
  let gb = 0;
  let gg = 0;
  let sumLogH = 0;
  let sumLogTail = 0;
  let tail = 0;
  let sumShare = 0;
  let prodH = 1;
  let prodTail = 1;
  const overflow = () => chunk > 1 && !(prodH > 1e-290 && prodH < 1e290 && prodTail < 1e290);
  for (let t = 0; t < n; t++) {
    if (!(h > 0)) return Number.NEGATIVE_INFINITY;
    const e = (r[t] as number) - mu;
    const e2 = e * e;
    const inv = 1 / h;
    let w: number;
    let direct: number;
    prodH *= h;
    if (isT) {
      const q = c * e2 * inv;
      const opq = 1 + q;
      const invOpq = 1 / opq;
      const share = q * invOpq;
      prodTail *= opq;
      sumShare += share;
      w = 0.5 * inv * (nu1 * share - 1);
      direct = nu1 * c * e * inv * invOpq;
    } else {
      const z = e2 * inv;
      tail += z;
      w = 0.5 * inv * (z - 1);
      direct = e * inv;
    }
    if ((t & last) === last) {
      if (overflow()) return likelihoodAndGradient(r, theta, isT, h1, dh1, grad, 1);
      sumLogH += Math.log(prodH);
      sumLogTail += Math.log(prodTail);
      prodH = 1;
      prodTail = 1;
    }
    gm += w * hm + direct;
    gw += w * hw;
    ga += w * ha;
    gb += w * hb;
    gg += w * hg;
    const neg = e < 0;
    const a = neg ? alpha + gamma : alpha;
    hm = -2 * a * e + beta * hm;
    hw = 1 + beta * hw;
    ha = e2 + beta * ha;
    hb = h + beta * hb;
    hg = (neg ? e2 : 0) + beta * hg;
    h = gjrVariance(omega, alpha, gamma, beta, h, e);
  }
  if (overflow()) return likelihoodAndGradient(r, theta, isT, h1, dh1, grad, 1);
  sumLogH += Math.log(prodH);
  sumLogTail += Math.log(prodTail);
  grad[0] = gm;
  grad[1] = gw;
  grad[2] = ga;
  grad[3] = gb;
  grad[4] = gg;
  if (!isT) {
    grad[5] = 0;
    return -0.5 * (n * LN_2PI + sumLogH + tail);
  }
  const k = lnGamma(nu1 / 2) - lnGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  const dk = 0.5 * (digamma(nu1 / 2) - digamma(nu / 2) - c);
  grad[5] = n * dk - 0.5 * sumLogTail + 0.5 * nu1 * c * sumShare;
  return n * k - 0.5 * sumLogH - 0.5 * nu1 * sumLogTail;
}

/** ℓ with its gradient, from {@link loglikelihoodGradient}. */
export interface GarchLikelihoodGradient {
  readonly loglikelihood: number;
  /** ∂ℓ/∂θ for every parameter (γ and ν included even when the model has none: 0 for ν then). */
  readonly gradient: Readonly<Record<keyof GarchParams, number>>;
}

/**
 * The log-likelihood of {@link loglikelihood} and its analytic gradient with respect to
 * μ, ω, α, β, γ and ν, through the derivative of the variance recursion (formulas at
 * `likelihoodAndGradient` in this file). ∂ℓ/∂γ is reported for plain GARCH too (the slope
 * in the direction of a GJR term); ∂ℓ/∂ν is 0 for normal innovations. Gradient NaN when ℓ = −∞.
 *
 * @example loglikelihoodGradient({ mu: 0.2, omega: 0.9, alpha: 0.08, beta: 0.8 }, pct).gradient.beta
 */
export function loglikelihoodGradient(
  params: GarchParams,
  returns: ArrayLike<number>,
  options: GarchLikelihoodOptions = {},
): GarchLikelihoodGradient {
  const n = returns.length;
  let mean = 0;
  let meanSquare = 0;
  for (let t = 0; t < n; t++) {
    const e = (returns[t] as number) - params.mu;
    mean += (returns[t] as number) / n;
    meanSquare += (e * e) / n;
  }
  const dist = options.dist ?? "normal";
  const init = options.init ?? "mci";
  const nu = params.nu ?? Number.NaN;
  const theta = [params.mu, params.omega, params.alpha, params.beta, params.gamma ?? 0, nu];
  const dh1 = new Float64Array(5);
  initialVarianceGradient(init, params, mean, meanSquare, dh1);
  const grad = new Float64Array(6);
  const isT = dist === "t";
  const ll =
    isT && !(nu > 2)
      ? Number.NEGATIVE_INFINITY
      : likelihoodAndGradient(
          returns,
          theta,
          isT,
          initialVariance(init, params, returns, meanSquare),
          dh1,
          grad,
        );
  const gradient: Record<string, number> = {};
  NATURAL.forEach((name, i) => {
    gradient[name] = ll === Number.NEGATIVE_INFINITY ? Number.NaN : (grad[i] as number);
  });
  return { loglikelihood: ll, gradient: gradient as Record<keyof GarchParams, number> };
}

/**
 * The conditional variance path: entry t (0 ≤ t < n) is σ²_{t+1} for return t, entry n is
 * σ²_{T+1}, the forecast for the next, unseen return.
 */
export function conditionalVariance(
  params: GarchParams,
  returns: ArrayLike<number>,
  options: GarchLikelihoodOptions = {},
): Float64Array {
  const n = returns.length;
  let meanSquare = 0;
  for (let t = 0; t < n; t++) meanSquare += ((returns[t] as number) - params.mu) ** 2;
  meanSquare /= n;
  const out = new Float64Array(n + 1);
  out[0] = initialVariance(options.init ?? "mci", params, returns, meanSquare);
  for (let t = 0; t < n; t++)
    out[t + 1] = garchStep(out[t] as number, (returns[t] as number) - params.mu, params);
  return out;
}

/** Names of the free parameters of a model, in Hessian order. */
function parameterNames(model: GarchModel, dist: GarchDist): (keyof GarchParams)[] {
  const names: (keyof GarchParams)[] = ["mu", "omega", "alpha", "beta"];
  if (model === "gjr") names.push("gamma");
  if (dist === "t") names.push("nu");
  return names;
}

function fromVector(names: readonly (keyof GarchParams)[], v: ArrayLike<number>): GarchParams {
  const p: Record<string, number> = {};
  names.forEach((name, i) => {
    p[name] = v[i] as number;
  });
  return p as unknown as GarchParams;
}

/**
 * Maximum-likelihood fit with the analytic gradient ({@link loglikelihoodGradient}) by the
 * projected quasi-Newton method {@link projectedQuasiNewton} (BFGS, Armijo search along the
 * projection arc) in a closed box. The likelihood can have more than one local maximum (a
 * persistent and a short-memory one), so the search runs twice, from fGarch's start values
 * (μ = mean, α 0.1 (GJR: α 0.05, γ 0.1), β 0.8, ω = var·(1 − φ), ν 4) and from the best of a 4 × 3
 * grid of persistence φ ∈ {0.3, 0.6, 0.9, 0.97} × α-share {0.1, 0.3, 0.6} (ω by variance
 * targeting), and the higher maximum is kept. It stops when the Newton decrement ½gᵀB⁻¹g is below
 * `1e-4 · fTolerance`. If neither search converges, bounded Nelder–Mead ({@link nelderMead},
 * restarted from its own optimum until ℓ improves by less than `fTolerance`, at most 4 runs)
 * runs from fGarch's start and is kept if it does better. Standard errors: the inverse of the
 * Hessian of −ℓ from central differences of the analytic gradient ({@link gradientHessian}).
 *
 * Search variables (stationary): μ free, ω ≥ 1e-10·var, φ ∈ [0, 1 − 1e-10], then shares s ∈ [0, 1]:
 * GARCH `α = φs, β = φ(1−s)`; GJR `α = φs₁, γ/2 = φ(1−s₁)s₂, β = φ(1−s₁)(1−s₂)`; ν ≥ 2 + 1e-4.
 * Without stationarity: α, β, γ ∈ [0, 1] directly. (Nelder–Mead keeps the open box of these.)
 *
 * Parity (quant.md R14, fGarch on Binance BTCUSDT 2024 daily % log returns): normal μ 0.213636,
 * ω 0.899756, α 0.077018, β 0.803843, ℓ −885.0227; t: ν 4.19916, ℓ −873.4945.
 *
 * @example fit(percentReturns(logReturns(close)), { model: "garch", dist: "t" }).params
 */
export function fit(returns: ArrayLike<number>, options: GarchFitOptions): GarchFit {
  const model = readChoice(options.model, "model", ["garch", "gjr"] as const);
  const dist = readChoice(options.dist, "dist", ["normal", "t"] as const);
  const init = options.init ?? "mci";
  const stationary = options.stationary ?? true;
  const n = returns.length;
  if (n < 10) throw new InputError("returns", n, "needs at least 10 returns", "Pass a longer series.");
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = readNumber(returns[i], `returns[${i}]`, { fix: "Pass finite returns." });
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] as number;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += ((x[i] as number) - mean) ** 2;
  variance /= n - 1;
  if (x.every((r) => r === x[0])) {
    throw new InputError("returns", x[0], "are all equal (zero variance)", "Pass returns that vary.");
  }
  const sd = Math.sqrt(variance);
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
  /** Search vector → the six natural parameters (μ, ω, α, β, γ, ν) of the kernels. */
  const toTheta = (v: ArrayLike<number>, theta: Float64Array): Float64Array => {
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
  };
  /** ∂ℓ/∂(search vector) = Jᵀ ∂ℓ/∂θ, by the chain rule through {@link toTheta}. */
  const toSearchGradient = (v: ArrayLike<number>, gTheta: Float64Array, out: Float64Array): void => {
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
  };
  const likelihoodOptions: GarchLikelihoodOptions = { dist, init };
  let rawSquare = 0;
  for (let i = 0; i < n; i++) rawSquare += (x[i] as number) ** 2 / n;
  const theta = new Float64Array(6);
  const gTheta = new Float64Array(6);
  const dh1 = new Float64Array(5);
  const thetaParams = (): GarchParams => ({
    mu: theta[0] as number,
    omega: theta[1] as number,
    alpha: theta[2] as number,
    beta: theta[3] as number,
    gamma: theta[4] as number,
  });
  /**
   * −ℓ at θ (already in `theta`), ∂(−ℓ)/∂θ into `gTheta`. mean((r − μ)²) = mean(r²) − 2μ·mean(r)
   * + μ², so each evaluation makes one pass over the returns, not two.
   */
  const negLogLikTheta = (): number => {
    const mu = theta[0] as number;
    if (isT && !((theta[5] as number) > 2)) return Number.POSITIVE_INFINITY;
    const meanSquare = rawSquare - 2 * mu * mean + mu * mu;
    const p = thetaParams();
    initialVarianceGradient(init, p, mean, meanSquare, dh1);
    const h1 = initialVariance(init, p, x, meanSquare);
    const ll = likelihoodAndGradient(x, theta, isT, h1, dh1, gTheta);
    for (let i = 0; i < 6; i++) gTheta[i] = -(gTheta[i] as number);
    return -ll;
  };
  const objective = (v: Float64Array, gradient: Float64Array): number => {
    toTheta(v, theta);
    const f = negLogLikTheta();
    toSearchGradient(v, gTheta, gradient);
    return f;
  };

  // Closed box of the quasi-Newton search: ω ≥ 1e-10·var, φ ≤ 1 − 1e-10 (stationary), ν ≥ 2 + 1e-4.
  const qnLower = lower.map((v, i) => (i === 1 ? 1e-10 * variance : isT && i === k - 1 ? 2 + 1e-4 : v));
  const qnUpper = upper.map((v, i) => (stationary && i === 2 ? 1 - 1e-10 : v));
  const xTolerance = options.xTolerance ?? 1e-4;
  const fTolerance = options.fTolerance ?? 1e-6;
  // GARCH likelihoods can have several local maxima (e.g. a persistent and a short-memory one):
  // search from fGarch's start and from the best point of a coarse grid of persistence × α-share
  // (ω by variance targeting), and keep the better optimum.
  const scratch = new Float64Array(k);
  let gridStart: number[] = start;
  let gridBest = Number.POSITIVE_INFINITY;
  for (const phi of [0.3, 0.6, 0.9, 0.97]) {
    for (const share of [0.1, 0.3, 0.6]) {
      const candidate = [...start];
      candidate[1] = variance * (1 - phi);
      if (stationary) {
        candidate[2] = phi;
        candidate[3] = share;
      } else {
        const s2 = gjr ? gamma0 / 2 / (phi0 - alpha0) : 0;
        candidate[2] = phi * share;
        candidate[3] = phi * (1 - share) * (1 - s2);
        if (gjr) candidate[4] = 2 * phi * (1 - share) * s2;
      }
      const value = objective(Float64Array.from(candidate), scratch);
      if (value < gridBest) {
        gridBest = value;
        gridStart = candidate;
      }
    }
  }
  let point: ArrayLike<number> = start;
  let best = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let evaluations = 12;
  let converged = false;
  for (const from of [start, gridStart]) {
    const qn = projectedQuasiNewton(objective, from, {
      bounds: { lower: qnLower, upper: qnUpper },
      decrementTolerance: 1e-4 * fTolerance,
    });
    iterations += qn.iterations;
    evaluations += qn.evaluations;
    if (qn.f < best || (!converged && qn.converged && qn.f <= best + fTolerance)) {
      point = qn.x;
      best = qn.f;
      converged = qn.converged;
    }
  }
  if (!converged) {
    // Fallback: bounded Nelder–Mead from fGarch's start, restarted from its own optimum until ℓ
    // improves by less than fTolerance (at most 4 runs); kept only if it beats the gradient search.
    const value = (v: Float64Array): number => {
      toTheta(v, theta);
      return negLogLikTheta();
    };
    const steps = start.map((_, i) => (i === 0 ? 0.1 * sd : 0.5));
    let nmPoint: number[] = start;
    let nmBest = Number.POSITIVE_INFINITY;
    let nmConverged = false;
    for (let run = 0; run < 4; run++) {
      const result = nelderMead(value, nmPoint, {
        bounds: { lower, upper },
        xTolerance,
        fTolerance,
        initialStep: steps.map((s) => (run === 0 ? s : s * 0.1)),
      });
      iterations += result.iterations;
      evaluations += result.evaluations;
      nmConverged = result.converged;
      const improvement = nmBest - result.f;
      // Restart strictly inside the box (the logistic map can round onto a bound).
      nmPoint = Array.from(result.x, (v, i) => {
        const lo = lower[i] as number;
        const hi = upper[i] as number;
        const margin = 1e-9 * (Number.isFinite(hi - lo) ? hi - lo : Math.max(1, Math.abs(v)));
        return Math.min(Math.max(v, lo + margin), hi - margin);
      });
      nmBest = Math.min(nmBest, result.f);
      if (run > 0 && improvement <= fTolerance) break;
    }
    if (nmBest < best) {
      point = nmPoint;
      best = nmBest;
    }
    converged = nmConverged;
  }

  const thetaBest = toTheta(point, new Float64Array(6));
  const natural = Float64Array.from(names, (name) => thetaBest[NATURAL.indexOf(name)] as number);
  const params = fromVector(names, natural);
  // Standard errors: inverse of the Hessian of −ℓ, by central differences of the analytic gradient.
  const slots = names.map((name) => NATURAL.indexOf(name));
  const hessian = gradientHessian((v, out) => {
    theta.set(thetaBest);
    slots.forEach((slot, i) => {
      theta[slot] = v[i] as number;
    });
    negLogLikTheta();
    slots.forEach((slot, i) => {
      out[i] = gTheta[slot] as number;
    });
  }, natural);
  const covariance = invertSpd(hessian, k);
  const standardErrors: Record<string, number> = { mu: 0, omega: 0, alpha: 0, beta: 0 };
  names.forEach((name, i) => {
    const v = covariance?.[i * names.length + i];
    standardErrors[name] = v !== undefined && v >= 0 ? Math.sqrt(v) : Number.NaN;
  });
  const ll = loglikelihood(params, x, likelihoodOptions);
  const phi = persistence(params);
  const path = conditionalVariance(params, x, { init });
  return {
    model,
    dist,
    init,
    params,
    standardErrors: standardErrors as Record<keyof GarchParams, number>,
    names,
    loglikelihood: ll,
    aic: -2 * ll + 2 * k,
    bic: -2 * ll + k * Math.log(n),
    nObs: n,
    converged,
    iterations,
    evaluations,
    persistence: phi,
    unconditionalVariance: phi < 1 ? params.omega / (1 - phi) : Number.POSITIVE_INFINITY,
    nextVariance: path[n] as number,
  };
}

/** A variance forecast: per-step variances and the variance of the summed returns. */
export interface GarchForecast {
  /** `variance[h−1] = E[σ²_{T+h}]`, h = 1 … horizon. */
  readonly variance: Float64Array;
  /** `cumulativeVariance[h−1]` = variance of r_{T+1} + … + r_{T+h} (V_h). */
  readonly cumulativeVariance: Float64Array;
}

/**
 * Multi-step variance forecasts in closed form (quant.md §3.4):
 * `E[σ²_{T+h}] = σ̄² + φ^{h−1}(σ²_{T+1} − σ̄²)`, σ̄² = ω/(1 − φ), φ = α + β + γ/2 (the γ/2 term
 * assumes symmetric innovations); their running sum is the variance of the H-step return
 * `V_H = H σ̄² + (σ²_{T+1} − σ̄²)(1 − φ^H)/(1 − φ)`. For φ ≥ 1 the recursion
 * `σ²_{T+h+1} = ω + φ σ²_{T+h}` is used instead.
 *
 * @example forecast(fitted, 7).cumulativeVariance[6] // variance (%²) of the next 7 days' return
 */
export function forecast(
  source: { readonly params: GarchParams; readonly nextVariance: number },
  horizon: number,
): GarchForecast {
  const H = readNumber(horizon, "horizon", { min: 1, fix: "Pass a whole number of steps ≥ 1." });
  if (!Number.isInteger(H))
    throw new InputError("horizon", horizon, "must be a whole number", "Pass an integer ≥ 1.");
  const p = source.params;
  const phi = persistence(p);
  const v1 = source.nextVariance;
  const variance = new Float64Array(H);
  const cumulative = new Float64Array(H);
  if (phi < 1) {
    const bar = p.omega / (1 - phi);
    let decay = 1;
    for (let h = 0; h < H; h++) {
      variance[h] = bar + decay * (v1 - bar);
      decay *= phi;
      cumulative[h] = (h + 1) * bar + ((v1 - bar) * (1 - decay)) / (1 - phi);
    }
  } else {
    let v = v1;
    let s = 0;
    for (let h = 0; h < H; h++) {
      variance[h] = v;
      s += v;
      cumulative[h] = s;
      v = p.omega + phi * v;
    }
  }
  return { variance, cumulativeVariance: cumulative };
}

/** A simulated path. */
export interface GarchPath {
  /** Simulated returns r_1 … r_n (in the units of the fit: % for percent returns). */
  readonly returns: Float64Array;
  /** σ²_t of each simulated return. */
  readonly variance: Float64Array;
}

/**
 * Simulates n returns from a fitted (or given) model with the seeded {@link Xoshiro128} stream.
 * Normal innovations by Box–Muller (both values used); Student-t by Bailey's polar method
 * (R. W. Bailey, "Polar generation of random variates with the t-distribution", *Math. Comp.* 62,
 * 1994): for (u, v) uniform in the unit disc, w = u² + v², `T = u·√(ν(w^{−2/ν} − 1)/w)`, scaled by
 * √((ν − 2)/ν) to unit variance. The path starts from `startVariance` (default the fit's
 * σ²_{T+1}, else σ̄²).
 *
 * @example simulate(fitted, 365, 42).returns
 */
export function simulate(
  source: {
    readonly params: GarchParams;
    readonly dist?: GarchDist;
    readonly nextVariance?: number;
  },
  n: number,
  seed: number,
  options: { readonly startVariance?: number } = {},
): GarchPath {
  const count = readNumber(n, "n", { min: 0, fix: "Pass a whole number of steps." });
  if (!Number.isInteger(count))
    throw new InputError("n", n, "must be a whole number", "Pass an integer ≥ 0.");
  const p = source.params;
  const dist = source.dist ?? (p.nu === undefined ? "normal" : "t");
  const rng = new Xoshiro128(seed);
  const phi = persistence(p);
  let h = options.startVariance ?? source.nextVariance ?? p.omega / (1 - phi);
  if (!(h > 0) || !Number.isFinite(h)) {
    throw new InputError("startVariance", h, "must be a positive finite variance", "Pass startVariance.");
  }
  const returns = new Float64Array(count);
  const variance = new Float64Array(count);
  const nu = p.nu ?? Number.NaN;
  if (dist === "t" && !(nu > 2)) throw new InputError("params.nu", p.nu, "must be above 2", "Pass ν > 2.");
  const tScale = dist === "t" ? Math.sqrt((nu - 2) / nu) : 1;
  let spare = Number.NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    const u1 = 1 - rng.next(); // (0, 1]
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  const student = (): number => {
    for (;;) {
      const u = 2 * rng.next() - 1;
      const v = 2 * rng.next() - 1;
      const w = u * u + v * v;
      if (w > 0 && w < 1) return tScale * u * Math.sqrt((nu * (w ** (-2 / nu) - 1)) / w);
    }
  };
  for (let t = 0; t < count; t++) {
    const z = dist === "t" ? student() : normal();
    const e = Math.sqrt(h) * z;
    variance[t] = h;
    returns[t] = p.mu + e;
    h = garchStep(h, e, p);
  }
  return { returns, variance };
}

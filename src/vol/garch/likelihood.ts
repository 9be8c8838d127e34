/**
 * The GARCH/GJR log-likelihood, its analytic gradient and the conditional-variance filter (the
 * formulas are in the comment of src/vol/garch.ts). The kernels walk the recursion
 * ({@link gjrVariance}) in one loop each, without allocation: the fit evaluates them ~60 times.
 */
import { InputError } from "../../errors.js";
import { digamma, lnGamma } from "../../math/distributions.js";
import { garchStep, gjrVariance, persistence } from "./recursion.js";
import type { GarchInit, GarchLikelihoodGradient, GarchLikelihoodOptions, GarchParams } from "./types.js";

const LN_2PI = Math.log(2 * Math.PI);

/** σ²_1 of an initialisation ({@link GarchInit}), given mean(ε²) of the returns. */
export function initialVariance(
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
    const sums = likelihoodSums(returns, mu, omega, alpha, beta, gamma, h1, true, 1 / (nu - 2));
    return n * k - 0.5 * sums.sumLogH - 0.5 * (nu + 1) * sums.sumLogTail;
  }
  const sums = likelihoodSums(returns, mu, omega, alpha, beta, gamma, h1, false, 0);
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
 * Σ ln σ²_t and the tail sum: Σ ε²_t/σ²_t (normal) or, with `isT`, Σ ln(1 + c ε²_t/σ²_t)
 * (Student-t), in one walk of the recursion for both distributions. The logarithms are taken of
 * products of `chunk` factors (one `Math.log` per {@link CHUNK} steps); a product leaving 1e±290
 * reruns the sums with `chunk = 1` (one logarithm per step), so the result never overflows.
 */
function likelihoodSums(
  r: ArrayLike<number>,
  mu: number,
  omega: number,
  alpha: number,
  beta: number,
  gamma: number,
  h1: number,
  isT: boolean,
  c: number,
  chunk = CHUNK,
): typeof SUMS {
  const last = chunk - 1;
  let h = h1;
  let sumLogH = 0;
  // normal: Σ ε²_t/σ²_t; Student-t: Σ of the logarithms of the finished products of prodTail
  let tail = 0;
  let prodH = 1;
  let prodTail = 1;
  const overflow = () => chunk > 1 && !(prodH > 1e-290 && prodH < 1e290 && prodTail < 1e290);
  for (let t = 0; t < r.length; t++) {
    if (!(h > 0)) return bad();
    const e = (r[t] as number) - mu;
    const e2 = e * e;
    prodH *= h;
    if (isT) prodTail *= 1 + (e2 * c) / h;
    else tail += e2 / h;
    if ((t & last) === last) {
      if (overflow()) return likelihoodSums(r, mu, omega, alpha, beta, gamma, h1, isT, c, 1);
      sumLogH += Math.log(prodH);
      if (isT) tail += Math.log(prodTail);
      prodH = 1;
      prodTail = 1;
    }
    h = gjrVariance(omega, alpha, gamma, beta, h, e);
  }
  if (overflow()) return likelihoodSums(r, mu, omega, alpha, beta, gamma, h1, isT, c, 1);
  SUMS.sumLogH = sumLogH + Math.log(prodH);
  SUMS.sumLogTail = isT ? tail + Math.log(prodTail) : tail;
  return SUMS;
}

function bad(): typeof SUMS {
  SUMS.sumLogH = Number.POSITIVE_INFINITY;
  SUMS.sumLogTail = Number.POSITIVE_INFINITY;
  return SUMS;
}

/** Gradient layout of the kernels: ∂ℓ/∂(μ, ω, α, β, γ, ν). */
export const NATURAL = ["mu", "omega", "alpha", "beta", "gamma", "nu"] as const;

/**
 * ∂σ²_1/∂(μ, ω, α, β, γ) of each initialisation (written into `out`), with `meanReturn` r̄ and
 * `meanSquare` m = mean((r − μ)²), ∂m/∂μ = 2(μ − r̄): mci `ω + φm` → (2φ(μ − r̄), 1, m, m, m/2);
 * mean-square → (2(μ − r̄), 0, 0, 0, 0); unconditional `ω/(1 − φ)` → (0, 1/(1 − φ), u, u, u/2),
 * u = ω/(1 − φ)²; fixed values → 0.
 */
export function initialVarianceGradient(
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
 * Logarithms of products of {@link CHUNK} factors as in {@link likelihoodSums}; returns −∞ when a
 * variance is not positive.
 */
export function likelihoodAndGradient(
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

/**
 * GARCH(1,1) and GJR-GARCH(1,1) with a constant mean and normal or standardised Student-t
 * innovations: `loglikelihood`, `fit`, `forecast`, `simulate` (the shared vocabulary of
 * `shared/docs/design.md`; formulas from `shared/research/quant.md` §3.4).
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
import { invertSpd, nelderMead, numericalHessian } from "../math/optimize.js";
import { Xoshiro128 } from "../math/random.js";
import { readChoice, readNumber } from "../validate.js";

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
   * Optimizer tolerances (see {@link nelderMead}); defaults 1e-4 and 1e-6 (fminsearch's). The
   * search restarts from its optimum until ℓ improves by less than `fTolerance`.
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
  readonly converged: boolean;
  readonly iterations: number;
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
  const a = params.alpha + (residual < 0 ? (params.gamma ?? 0) : 0);
  return params.omega + a * residual * residual + params.beta * previousVariance;
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
    h = omega + (e < 0 ? alpha + gamma : alpha) * e2 + beta * h;
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
    h = omega + (e < 0 ? alpha + gamma : alpha) * e2 + beta * h;
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
 * Maximum-likelihood fit by bounded Nelder–Mead ({@link nelderMead}), restarted from its own
 * optimum until ℓ improves by less than `fTolerance` (at most 4 runs). Start values as fGarch: μ = mean, α 0.1
 * (GJR: α 0.05, γ 0.1), β 0.8, ω = var·(1 − φ), ν 4.
 *
 * Search variables (stationary): μ free, ω ∈ (0, ∞), φ ∈ (0, 1), then shares s ∈ (0, 1):
 * GARCH `α = φs, β = φ(1−s)`; GJR `α = φs₁, γ/2 = φ(1−s₁)s₂, β = φ(1−s₁)(1−s₂)`; ν ∈ (2, ∞).
 * Without stationarity: α, β, γ ∈ (0, 1) directly.
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
  const natural = new Float64Array(names.length);
  const toNatural = (s: ArrayLike<number>, out: Float64Array): Float64Array => {
    out[0] = s[0] as number;
    out[1] = s[1] as number;
    let k = 2;
    if (stationary) {
      const phi = s[2] as number;
      const s1 = s[3] as number;
      if (gjr) {
        const s2 = s[4] as number;
        out[2] = phi * s1;
        out[3] = phi * (1 - s1) * (1 - s2);
        out[4] = 2 * phi * (1 - s1) * s2;
        k = 5;
      } else {
        out[2] = phi * s1;
        out[3] = phi * (1 - s1);
        k = 4;
      }
    } else {
      out[2] = s[2] as number;
      out[3] = s[3] as number;
      k = 4;
      if (gjr) {
        out[4] = s[4] as number;
        k = 5;
      }
    }
    if (isT) out[k] = s[k] as number;
    return out;
  };
  const likelihoodOptions: GarchLikelihoodOptions = { dist, init };
  let rawSquare = 0;
  for (let i = 0; i < n; i++) rawSquare += (x[i] as number) ** 2 / n;
  // mean((r − μ)²) = mean(r²) − 2μ·mean(r) + μ², so each evaluation makes one pass, not two.
  const negLogLik = (v: ArrayLike<number>): number => {
    const mu = v[0] as number;
    return -likelihoodGiven(fromVector(names, v), x, likelihoodOptions, rawSquare - 2 * mu * mean + mu * mu);
  };
  const objective = (s: Float64Array): number => negLogLik(toNatural(s, natural));

  const steps = start.map((_, i) => (i === 0 ? 0.1 * sd : 0.5));
  let point: number[] = start;
  let best = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let evaluations = 0;
  let converged = false;
  const xTolerance = options.xTolerance ?? 1e-4;
  const fTolerance = options.fTolerance ?? 1e-6;
  for (let run = 0; run < 4; run++) {
    const result = nelderMead(objective, point, {
      bounds: { lower, upper },
      xTolerance,
      fTolerance,
      initialStep: steps.map((s) => (run === 0 ? s : s * 0.1)),
    });
    iterations += result.iterations;
    evaluations += result.evaluations;
    converged = result.converged;
    const improvement = best - result.f;
    point = Array.from(result.x);
    best = Math.min(best, result.f);
    if (run > 0 && improvement <= fTolerance) break;
  }

  const theta = toNatural(point, new Float64Array(names.length));
  const params = fromVector(names, theta);
  const hessian = numericalHessian(negLogLik, theta);
  const covariance = invertSpd(hessian, names.length);
  const standardErrors: Record<string, number> = { mu: 0, omega: 0, alpha: 0, beta: 0 };
  names.forEach((name, i) => {
    const v = covariance?.[i * names.length + i];
    standardErrors[name] = v !== undefined && v >= 0 ? Math.sqrt(v) : Number.NaN;
  });
  const ll = loglikelihood(params, x, likelihoodOptions);
  const k = names.length;
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

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

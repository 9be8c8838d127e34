/**
 * Self-exciting jumps in discrete time: the autoregressive jump intensity (ARJI) model of
 * W. H. Chan & J. M. Maheu, "Conditional jump dynamics in stock market returns", *Journal of
 * Business & Economic Statistics* 20(3), 2002, pp. 377–389, with normal (Merton) jump sizes and a
 * constant-σ diffusion (the paper's GARCH diffusion is not implemented). Per bar t, all parameters
 * per bar:
 *
 * - `R_t = μ + σ z_t + Σ_{k=1}^{n_t} Y_{t,k} − θ λ_t`, z_t ~ N(0, 1), Y ~ N(θ, δ²), so that the
 *   jump part has mean 0 given the past (the paper's ε₂,t = J_t − θλ_t);
 * - `n_t | Φ_{t−1} ~ Poisson(λ_t)`, `λ_t = λ₀ + ρ λ_{t−1} + γ ξ_{t−1}`, with the intensity
 *   residual `ξ_{t−1} = E[n_{t−1} | Φ_{t−1}] − λ_{t−1}` (the paper's eq. 6–7; Φ_t: the returns up
 *   to t). λ_t > 0 for every return path when λ₀ > 0 and 0 ≤ γ ≤ ρ (the paper's sufficient
 *   condition); E[λ_t] = λ₀/(1 − ρ) when ρ < 1 (stationarity);
 * - the density of R_t given the past is the Poisson mixture
 *   `f(R_t | Φ_{t−1}) = Σ_{j=0}^{N} P(n_t = j | Φ_{t−1}) φ(R_t; μ − θλ_t + jθ, σ² + jδ²)`,
 *   truncated at N = {@link ARJI_TRUNCATION} jumps in a bar (weights not renormalised), and Bayes'
 *   rule gives the filter exactly: `P(n_t = j | Φ_t) = P(n_t = j | Φ_{t−1}) φ(…)/f(R_t | Φ_{t−1})`,
 *   `E[n_t | Φ_t] = Σ_j j P(n_t = j | Φ_t)` ∈ [0, N] (the paper's eq. 9);
 * - λ₁ starts at the unconditional intensity λ₀/(1 − ρ).
 *
 * A discrete-time Hawkes process: writing β = ρ − γ, the recursion is
 * `λ_t = λ₀ + β λ_{t−1} + γ E[n_{t−1} | Φ_{t−1}] = λ₀/(1 − β) + γ Σ_{i≥0} βⁱ E[n_{t−1−i} | Φ_{t−1−i}]`,
 * a baseline plus an exponentially decaying kernel over past (filtered) jump counts — the
 * self-exciting intensity of A. G. Hawkes, "Spectra of some self-exciting and mutually exciting
 * point processes", *Biometrika* 58(1), 1971, with branching ratio γ/(1 − β) (< 1 exactly when
 * ρ < 1), as in the Hawkes jump-diffusions of Aït-Sahalia, Cacho-Diaz & Laeven (*J. Financial
 * Economics* 117(3), 2015). Here the counts are filtered from returns, so the likelihood is exact.
 */
import { InputError } from "../errors.js";
import { lnGamma } from "../math/distributions.js";
import { invertSpd } from "../math/linalg.js";
import { numericalHessian } from "../math/minimize.js";
import { normalSampler, Xoshiro128 } from "../math/random.js";
import { bestOfStarts, MAX_LAMBDA, robustStart } from "./jumps.js";

/**
 * The largest number of jumps in one bar that the likelihood and the filter count: 20, so that at
 * the intensities hourly crypto fits reach after a crash (λ_t up to 4–5 a bar) the Poisson weight
 * left out, P(n > 20 | λ = 4.5), is below 1e-7 (at 10 it would be 5e-3).
 */
export const ARJI_TRUNCATION = 20;

/** ARJI parameters, per bar (module doc). */
export interface ArjiParams {
  /** μ: mean of one bar's log return. */
  readonly mu: number;
  /** σ: diffusive standard deviation of one bar's log return. */
  readonly sigma: number;
  /** λ₀ > 0: the intensity's constant. */
  readonly lambda0: number;
  /** ρ: persistence of the intensity (stationary when < 1). */
  readonly rho: number;
  /** γ ∈ [0, ρ]: response of the intensity to the last bar's filtered jumps. */
  readonly gamma: number;
  /** θ: mean log jump. */
  readonly jumpMean: number;
  /** δ: standard deviation of the log jump. */
  readonly jumpVol: number;
}

/** The filter of {@link arjiFilter} on a return series. */
export interface ArjiFiltered {
  /** λ_t for t = 1 … n, and at index n the next bar's λ_{n+1}. */
  readonly intensity: Float64Array;
  /** E[n_t | Φ_t], t = 1 … n: the filtered number of jumps in each bar. */
  readonly expectedJumps: Float64Array;
  /** Σ ln f(R_t | Φ_{t−1}); −∞ where a density is 0. */
  readonly loglikelihood: number;
}

/** A fitted ARJI model. */
export interface ArjiFit {
  readonly params: ArjiParams;
  readonly loglikelihood: number;
  readonly returnsUsed: number;
  /** λ_{T+1}: the intensity of the bar after the sample (where a simulation starts). */
  readonly nextIntensity: number;
  /** λ₀/(1 − ρ): the unconditional intensity, per bar. */
  readonly meanIntensity: number;
  /** The largest λ_t over the sample. */
  readonly maxIntensity: number;
  /** Asymptotic standard errors (inverse Hessian of −ln L); null when a parameter is on a bound or the Hessian is not positive definite. */
  readonly standardErrors: Readonly<Record<keyof ArjiParams, number>> | null;
  /**
   * Search parameters within 0.1 % of their box's width from a bound: `meanIntensity` (λ₀/(1 − ρ)
   * at its cap), `rho` (at 0, or at the stationarity bound 0.999), `gammaShare` (γ/ρ at 0: no
   * self-excitation; at 1: γ = ρ), and the others by name.
   */
  readonly atBounds: readonly string[];
  /** Failure flags: `stationarity-bound` (ρ at 0.999: the intensity is as persistent as the box allows), `truncation` (P(n > N | max λ_t) > 1e-6). */
  readonly flags: readonly ("stationarity-bound" | "truncation")[];
}

/**
 * One bar of the filter (module doc) for jumps N(θ, δ²) on a diffusion of variance σ²: for a
 * return `x` whose mean without jumps is `m0` and a Poisson(λ) count truncated at N,
 * {@link JumpCountFilter.update} sets `logDensity` = `ln Σ_{j≤N} e^{−λ}λʲ/j! φ(x; m0 + jθ, σ² + jδ²)`
 * and `expectedJumps` = E[n | x] (log-sum-exp over the terms; the terms' constants are computed
 * once, so a bar costs one logarithm and N + 1 exponentials, with no allocation).
 */
export class JumpCountFilter {
  logDensity = 0;
  expectedJumps = 0;
  private readonly theta: number;
  /** `−ln j! − ½ ln(2π v_j)` and `1/(2v_j)`, v_j = σ² + jδ². */
  private readonly constant = new Float64Array(ARJI_TRUNCATION + 1);
  private readonly halfPrecision = new Float64Array(ARJI_TRUNCATION + 1);
  private readonly terms = new Float64Array(ARJI_TRUNCATION + 1);

  constructor(variance: number, jumpMean: number, jumpVariance: number) {
    this.theta = jumpMean;
    for (let j = 0; j <= ARJI_TRUNCATION; j++) {
      const v = variance + j * jumpVariance;
      this.constant[j] = -lnGamma(j + 1) - 0.5 * Math.log(2 * Math.PI * v);
      this.halfPrecision[j] = 0.5 / v;
    }
  }

  update(x: number, m0: number, lambda: number): void {
    const logLambda = Math.log(lambda);
    const a = this.terms;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j <= ARJI_TRUNCATION; j++) {
      const d = x - m0 - j * this.theta;
      const term = j * logLambda + (this.constant[j] as number) - d * d * (this.halfPrecision[j] as number);
      a[j] = term;
      if (term > max) max = term;
    }
    let sum = 0;
    let weighted = 0;
    for (let j = 0; j <= ARJI_TRUNCATION; j++) {
      const w = Math.exp((a[j] as number) - max);
      sum += w;
      weighted += j * w;
    }
    this.logDensity = max + Math.log(sum) - lambda;
    this.expectedJumps = weighted / sum;
  }
}

/** Throws unless λ₀ > 0, 0 ≤ γ ≤ ρ, σ > 0, δ > 0 (the conditions under which λ_t > 0). */
function checkParams(p: ArjiParams): void {
  const fix = "Pass λ₀ > 0, 0 ≤ γ ≤ ρ, σ > 0 and δ > 0 (Chan & Maheu 2002: then λ_t > 0).";
  if (!(p.lambda0 > 0)) throw new InputError("lambda0", p.lambda0, "must be positive", fix);
  if (!(p.gamma >= 0 && p.gamma <= p.rho)) throw new InputError("gamma", p.gamma, "must lie in [0, ρ]", fix);
  if (!(p.sigma > 0)) throw new InputError("sigma", p.sigma, "must be positive", fix);
  if (!(p.jumpVol > 0)) throw new InputError("jumpVol", p.jumpVol, "must be positive", fix);
  for (const [k, v] of Object.entries(p)) {
    if (!Number.isFinite(v)) throw new InputError(k, v, "must be a finite number", fix);
  }
}

/** The one-bar filter of a parameter set. */
function filterOf(p: ArjiParams): JumpCountFilter {
  return new JumpCountFilter(p.sigma * p.sigma, p.jumpMean, p.jumpVol * p.jumpVol);
}

/** λ₁: the unconditional intensity λ₀/(1 − ρ), or λ₀ when ρ ≥ 1 (no unconditional mean). */
function startIntensity(p: ArjiParams): number {
  return p.rho < 1 ? p.lambda0 / (1 - p.rho) : p.lambda0;
}

/**
 * The ARJI filter and log-likelihood of `returns` (module doc, Chan & Maheu 2002 eq. 6–9): the
 * intensity path λ_t, the filtered jump counts E[n_t | Φ_t] and `Σ_t ln f(R_t | Φ_{t−1})`, the
 * Poisson mixture truncated at {@link ARJI_TRUNCATION} jumps per bar.
 *
 * @example arjiFilter(params, hourlyLogReturns).intensity.at(-1) // λ of the next hour
 */
export function arjiFilter(params: ArjiParams, returns: ArrayLike<number>): ArjiFiltered {
  checkParams(params);
  const n = returns.length;
  const intensity = new Float64Array(n + 1);
  const expectedJumps = new Float64Array(n);
  const post = filterOf(params);
  let lambda = startIntensity(params);
  let ll = 0;
  for (let t = 0; t < n; t++) {
    intensity[t] = lambda;
    post.update(returns[t] as number, params.mu - params.jumpMean * lambda, lambda);
    ll += post.logDensity;
    expectedJumps[t] = post.expectedJumps;
    lambda = params.lambda0 + params.rho * lambda + params.gamma * (post.expectedJumps - lambda);
  }
  intensity[n] = lambda;
  return { intensity, expectedJumps, loglikelihood: Number.isNaN(ll) ? Number.NEGATIVE_INFINITY : ll };
}

/**
 * Draws `n` returns of the ARJI model (module doc) from a seeded stream: per bar n_t ~
 * Poisson(λ_t) by inversion, the jumps' sum N(n_tθ, n_tδ²), and λ_{t+1} from the filter on the
 * drawn return (so the simulated intensity is the model's, driven by filtered counts). For tests
 * and studies; the trader's paths are the price-martingale form of src/sim/models.ts.
 */
export function simulateArji(
  params: ArjiParams,
  n: number,
  seed: number,
): { readonly returns: Float64Array; readonly jumps: Int32Array; readonly intensity: Float64Array } {
  checkParams(params);
  const rng = new Xoshiro128(seed);
  const z = normalSampler();
  const returns = new Float64Array(n);
  const jumps = new Int32Array(n);
  const intensity = new Float64Array(n + 1);
  const post = filterOf(params);
  let lambda = startIntensity(params);
  for (let t = 0; t < n; t++) {
    intensity[t] = lambda;
    const count = poissonDraw(rng, lambda);
    const m0 = params.mu - params.jumpMean * lambda;
    const x =
      m0 +
      params.sigma * z.sample(rng) +
      count * params.jumpMean +
      Math.sqrt(count) * params.jumpVol * z.sample(rng);
    returns[t] = x;
    jumps[t] = count;
    post.update(x, m0, lambda);
    lambda = params.lambda0 + params.rho * lambda + params.gamma * (post.expectedJumps - lambda);
  }
  intensity[n] = lambda;
  return { returns, jumps, intensity };
}

/** A Poisson(λ) count by inversion of its distribution function (at most 1,000). */
export function poissonDraw(rng: Xoshiro128, lambda: number): number {
  let u = rng.next();
  let prob = Math.exp(-lambda);
  let count = 0;
  while (u >= prob && count < 1000) {
    u -= prob;
    count += 1;
    prob *= lambda / count;
  }
  return count;
}

/** Search box of the fit: μ, σ, λ̄ = λ₀/(1 − ρ), ρ, γ/ρ, θ, δ. */
const NAMES = ["mu", "sigma", "meanIntensity", "rho", "gammaShare", "jumpMean", "jumpVol"] as const;
const MAX_RHO = 0.999;
const LOWER = [-0.05, 1e-5, 1e-4, 0, 0, -0.5, 1e-4];
const UPPER = [0.05, 0.5, MAX_LAMBDA, MAX_RHO, 1, 0.5, 0.5];

/** The model parameters of a search point (μ, σ, λ̄, ρ, γ/ρ, θ, δ). */
function paramsOf(x: ArrayLike<number>): ArjiParams {
  const rho = x[3] as number;
  return {
    mu: x[0] as number,
    sigma: x[1] as number,
    lambda0: (x[2] as number) * (1 - rho),
    rho,
    gamma: (x[4] as number) * rho,
    jumpMean: x[5] as number,
    jumpVol: x[6] as number,
  };
}

const PARAM_NAMES = ["mu", "sigma", "lambda0", "rho", "gamma", "jumpMean", "jumpVol"] as const;

/**
 * Fits the ARJI model (module doc) to log returns of one bar each by maximum likelihood: bounded
 * Nelder–Mead (src/math/minimize.ts) over μ ∈ [−0.05, 0.05], σ ∈ [1e-5, 0.5], the unconditional
 * intensity λ̄ = λ₀/(1 − ρ) ∈ [1e-4, 0.05] (the cap of src/vol/jumps.ts' constant intensity, so
 * the two fits differ only by the self-excitation), ρ ∈ [0, 0.999], γ/ρ ∈ [0, 1] (Chan & Maheu's
 * positivity condition γ ≤ ρ as a box), θ ∈ [−0.5, 0.5], δ ∈ [1e-4, 0.5]; from three starts (a
 * Merton-like one with ρ = γ = 0.5, a persistent one with ρ = 0.95, γ = 0.3, and a weakly
 * exciting one), or from `options.start` alone, each run restarted once from its optimum, the best
 * kept. Standard errors from the numerical Hessian of −ln L in (μ, σ, λ₀, ρ, γ, θ, δ); flags
 * as {@link ArjiFit} says (the stationarity bound is ρ < 1).
 *
 * @example fitArji(hourlyLogReturns).nextIntensity // expected jumps in the next hour
 */
export function fitArji(
  returns: ArrayLike<number>,
  options: { readonly start?: ArjiParams; readonly maxEvaluations?: number } = {},
): ArjiFit {
  const { scale, lambda, tailMean, tailAbs } = robustStart(returns, "an ARJI model");
  const objective = (x: Float64Array): number => {
    const ll = arjiFilter(paramsOf(x), returns).loglikelihood;
    return Number.isFinite(ll) ? -ll : Number.POSITIVE_INFINITY;
  };
  const warm = options.start;
  const starts =
    warm === undefined
      ? [
          [0, scale, lambda, 0.5, 1, tailMean, tailAbs],
          [0, scale, lambda, 0.95, 0.3, tailMean, tailAbs],
          [0, scale, lambda / 4, 0.2, 0.1, tailMean, 2 * tailAbs],
        ]
      : [
          [
            warm.mu,
            warm.sigma,
            startIntensity(warm),
            warm.rho,
            warm.rho > 0 ? warm.gamma / warm.rho : 0,
            warm.jumpMean,
            warm.jumpVol,
          ],
        ];
  const best = bestOfStarts(
    objective,
    starts,
    { names: [...NAMES], lower: LOWER, upper: UPPER },
    options.maxEvaluations ?? 2500,
  );
  const atBounds = best.atBounds;
  const params = paramsOf(best.x);
  const filtered = arjiFilter(params, returns);
  let maxIntensity = 0;
  for (const l of filtered.intensity) maxIntensity = Math.max(maxIntensity, l);
  const flags: ("stationarity-bound" | "truncation")[] = [];
  if (params.rho >= MAX_RHO * (1 - 1e-3)) flags.push("stationarity-bound");
  if (poissonTail(maxIntensity, ARJI_TRUNCATION) > 1e-6) flags.push("truncation");
  return {
    params,
    loglikelihood: filtered.loglikelihood,
    returnsUsed: returns.length,
    nextIntensity: filtered.intensity[returns.length] as number,
    meanIntensity: startIntensity(params),
    maxIntensity,
    standardErrors: atBounds.length > 0 ? null : standardErrors(params, returns),
    atBounds,
    flags,
  };
}

/** P(Poisson(λ) > N). */
function poissonTail(lambda: number, n: number): number {
  let term = Math.exp(-lambda);
  let cdf = term;
  for (let j = 1; j <= n; j++) {
    term *= lambda / j;
    cdf += term;
  }
  return Math.max(0, 1 - cdf);
}

/** √diag of the inverse Hessian of −ln L in the model's parameters; null when not positive definite. */
function standardErrors(p: ArjiParams, returns: ArrayLike<number>): Record<keyof ArjiParams, number> | null {
  const x = PARAM_NAMES.map((k) => p[k]);
  const nll = (y: Float64Array): number => {
    const q = Object.fromEntries(PARAM_NAMES.map((k, i) => [k, y[i] as number])) as unknown as ArjiParams;
    if (!(q.gamma >= 0 && q.gamma <= q.rho && q.lambda0 > 0)) return Number.NaN;
    return -arjiFilter(q, returns).loglikelihood;
  };
  const inverse = invertSpd(numericalHessian(nll, x), x.length);
  if (inverse === undefined) return null;
  const se = PARAM_NAMES.map((_, i) => Math.sqrt(inverse[i * x.length + i] as number));
  if (!se.every(Number.isFinite)) return null;
  return Object.fromEntries(PARAM_NAMES.map((k, i) => [k, se[i] as number])) as Record<
    keyof ArjiParams,
    number
  >;
}

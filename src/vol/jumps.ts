/**
 * Jump-diffusions of log returns, fitted by maximum likelihood on close-to-close returns of one
 * bar: Merton (1976) normal jumps and Kou (2002) double-exponential jumps on top of a constant-σ
 * Brownian motion (quant.md §3.6). All parameters are per bar (λ: expected jumps per bar; σ: the
 * diffusive standard deviation of one bar's log return); src/optimize/vol-models.ts annualises them
 * into the simulator's `ModelSpec` (src/sim/models.ts), which compensates the drift so that the
 * price is a martingale.
 *
 * Densities of one bar's log return x:
 * - Merton, a Poisson mixture of normals (Merton 1976, eq. 16; Press 1967):
 *   `f(x) = Σ_{n≥0} e^{−λ} λⁿ/n! · φ(x; μ + n·μ_J, σ² + n·δ²)`, summed until the Poisson weight
 *   is below 1e-30;
 * - Kou, the one-jump-per-bar approximation of Kou (2002, *Management Science* 48(8), §3, the
 *   density of the return over a small Δt): with m = μ, q = 1 − p,
 *   `f(x) = (1 − λ) φ(x; m, σ²) + λ [p η₁ e^{σ²η₁²/2 − η₁(x−m)} Φ((x − m − σ²η₁)/σ)
 *   + q η₂ e^{σ²η₂²/2 + η₂(x−m)} Φ(−(x − m + σ²η₂)/σ)]`, the convolution of N(m, σ²) with the jump
 *   law `p η₁ e^{−η₁y} 1[y ≥ 0] + q η₂ e^{η₂y} 1[y < 0]`. It drops two or more jumps in one bar
 *   (probability ≈ λ²/2: 1e-4 at λ = 0.014 per hour), while the simulator draws them (Poisson), so
 *   the fitted model simulates the process the likelihood approximates.
 *
 * Identification is weak when jumps are frequent and small (a jump component then stands in for
 * volatility clustering: quant.md §3.6), so a fit reports every parameter that ends on its bound
 * (`atBounds`) and the caller says so.
 */
import { InputError } from "../errors.js";
import { normalCdf } from "../math/distributions.js";
import { interiorPoint, nelderMead } from "../math/minimize.js";

/** Merton jump-diffusion, per bar. */
export interface MertonParams {
  /** Mean of the diffusive part of one bar's log return. */
  readonly mu: number;
  /** Diffusive standard deviation of one bar's log return. */
  readonly sigma: number;
  /** Expected jumps per bar. */
  readonly lambda: number;
  /** μ_J: mean log jump. */
  readonly jumpMean: number;
  /** δ: standard deviation of the log jump. */
  readonly jumpVol: number;
}

/** Kou double-exponential jump-diffusion, per bar. */
export interface KouParams {
  readonly mu: number;
  readonly sigma: number;
  readonly lambda: number;
  /** p: probability that a jump is up. */
  readonly upProbability: number;
  /** η₁ > 1: rate of up jumps (mean up log jump 1/η₁). */
  readonly upRate: number;
  /** η₂ > 0: rate of down jumps (mean down log jump 1/η₂ in size). */
  readonly downRate: number;
}

/** A jump model name. */
export type JumpModelKind = "merton" | "kou";

/** A jump-diffusion with its parameters. */
export type JumpModel =
  | { readonly kind: "merton"; readonly params: MertonParams }
  | { readonly kind: "kou"; readonly params: KouParams };

/** A fitted jump-diffusion. */
export type JumpFit = JumpModel & FitInfo;

interface FitInfo {
  readonly loglikelihood: number;
  /** Returns the fit used. */
  readonly returnsUsed: number;
  /** Parameters that ended within 0.1 % (of the box's width) of a bound: the optimum is not interior. */
  readonly atBounds: readonly string[];
}

/** The largest jump intensity a fit may reach, per bar (see {@link fitJumpDiffusion}). */
export const MAX_LAMBDA = 0.05;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function normalDensity(x: number, mean: number, variance: number): number {
  const d = x - mean;
  return Math.exp(-0.5 * ((d * d) / variance) - 0.5 * Math.log(variance) - LOG_SQRT_2PI);
}

/** `e^a Φ(c)`, in log space when e^a alone would overflow. */
function expTimesPhi(a: number, c: number): number {
  return a > 700 ? Math.exp(a + Math.log(normalCdf(c))) : Math.exp(a) * normalCdf(c);
}

/** The Merton density of one bar's log return (module doc). */
export function mertonDensity(x: number, p: MertonParams): number {
  return mertonMixture(p)(x);
}

/** The Kou density of one bar's log return, at most one jump per bar (module doc). */
export function kouDensity(x: number, p: KouParams): number {
  const s = p.sigma;
  const s2 = s * s;
  const e1 = p.upRate;
  const e2 = p.downRate;
  const y = x - p.mu;
  const up = p.upProbability * e1 * expTimesPhi(0.5 * s2 * e1 * e1 - e1 * y, (y - s2 * e1) / s);
  const down = (1 - p.upProbability) * e2 * expTimesPhi(0.5 * s2 * e2 * e2 + e2 * y, -(y + s2 * e2) / s);
  return (1 - p.lambda) * normalDensity(x, p.mu, s2) + p.lambda * (up + down);
}

/**
 * Mean and variance of one bar's log return under Kou's one-jump approximation (a Bernoulli(λ)
 * jump Y with `E[Y] = p/η₁ − q/η₂`, `E[Y²] = 2p/η₁² + 2q/η₂²`; Kou 2002 §3):
 * `E[x] = μ + λE[Y]`, `Var[x] = σ² + λE[Y²] − λ²E[Y]²`.
 */
export function kouMoments(p: KouParams): { readonly mean: number; readonly variance: number } {
  const q = 1 - p.upProbability;
  const ey = p.upProbability / p.upRate - q / p.downRate;
  const ey2 = (2 * p.upProbability) / (p.upRate * p.upRate) + (2 * q) / (p.downRate * p.downRate);
  return { mean: p.mu + p.lambda * ey, variance: p.sigma * p.sigma + p.lambda * ey2 - (p.lambda * ey) ** 2 };
}

/**
 * Σ ln f(r_t) of a jump model; −∞ where a density is not positive. For Merton the mixture's terms
 * (weight/√(2πv_n), mean, 1/(2v_n)) are computed once, not per return.
 */
export function jumpLoglikelihood(fit: JumpModel, returns: ArrayLike<number>): number {
  const density =
    fit.kind === "merton" ? mertonMixture(fit.params) : (x: number) => kouDensity(x, fit.params);
  let sum = 0;
  for (let t = 0; t < returns.length; t++) {
    const f = density(returns[t] as number);
    if (!(f > 0)) return Number.NEGATIVE_INFINITY;
    sum += Math.log(f);
  }
  return sum;
}

/**
 * The Merton mixture with its terms precomputed, x ↦ Σ c_n e^{−(x − m_n)² k_n} (c_n the Poisson
 * weight over √(2πv_n), k_n = 1/(2v_n)), summed until the weight is below 1e-30 past n ≥ λ.
 */
function mertonMixture(p: MertonParams): (x: number) => number {
  const s2 = p.sigma * p.sigma;
  const d2 = p.jumpVol * p.jumpVol;
  const c: number[] = [];
  const m: number[] = [];
  const k: number[] = [];
  let weight = Math.exp(-p.lambda);
  for (let n = 0; n < 400; n++) {
    if (n > 0) weight *= p.lambda / n;
    const v = s2 + n * d2;
    c.push(weight / Math.sqrt(2 * Math.PI * v));
    m.push(p.mu + n * p.jumpMean);
    k.push(0.5 / v);
    // Past n ≥ λ the weights fall geometrically: the rest sums to less than a few times this one.
    if (n >= p.lambda && !(weight > 1e-30)) break;
  }
  const terms = c.length;
  return (x) => {
    let f = 0;
    for (let n = 0; n < terms; n++) {
      const d = x - (m[n] as number);
      f += (c[n] as number) * Math.exp(-d * d * (k[n] as number));
    }
    return f;
  };
}

/**
 * Starting values of a jump fit on returns `r` (checked: at least 50, finite; `model` names the
 * model in the error): the robust scale 1.4826·MAD of the returns, the returns beyond 4 of it
 * taken as the jumps (their share λ, within [0.002, 0.8 × {@link MAX_LAMBDA}], their mean and mean
 * absolute size; 4 × scale when there are none).
 */
export function robustStart(
  r: ArrayLike<number>,
  model: string,
): {
  readonly scale: number;
  readonly lambda: number;
  readonly tailMean: number;
  readonly tailAbs: number;
} {
  if (r.length < 50) {
    throw new InputError("returns", r.length, `are too few to fit ${model}`, "Pass at least 50 returns.");
  }
  if (!Array.from(r).every(Number.isFinite)) {
    throw new InputError("returns", "non-finite", "must be finite numbers", "Remove gaps and zero prices.");
  }
  const sorted = Float64Array.from(r).sort();
  const median = sorted[sorted.length >> 1] as number;
  const dev = Float64Array.from(r, (x) => Math.abs(x - median)).sort();
  const scale = Math.max(1e-6, 1.4826 * (dev[dev.length >> 1] as number));
  const tail = Array.from(r).filter((x) => Math.abs(x - median) > 4 * scale);
  return {
    scale,
    lambda: Math.min(0.8 * MAX_LAMBDA, Math.max(0.002, tail.length / r.length)),
    tailMean: tail.length === 0 ? 0 : tail.reduce((a, b) => a + b, 0) / tail.length,
    tailAbs: tail.length === 0 ? 4 * scale : tail.reduce((a, b) => a + Math.abs(b), 0) / tail.length,
  };
}

/**
 * Merton's parameter box (per bar: μ ∈ [−0.05, 0.05], σ ∈ [1e-5, 0.5], λ ∈ [1e-4, {@link MAX_LAMBDA}],
 * μ_J ∈ [−0.5, 0.5], δ ∈ [1e-4, 0.5]) and the two starts of {@link fitJumpDiffusion} from
 * {@link robustStart} on returns `r`.
 */
export function mertonSearch(
  r: ArrayLike<number>,
  model: string,
): {
  readonly names: (keyof MertonParams)[];
  readonly lower: number[];
  readonly upper: number[];
  readonly starts: number[][];
} {
  const { scale, lambda, tailMean, tailAbs } = robustStart(r, model);
  return {
    names: ["mu", "sigma", "lambda", "jumpMean", "jumpVol"],
    lower: [-0.05, 1e-5, 1e-4, -0.5, 1e-4],
    upper: [0.05, 0.5, MAX_LAMBDA, 0.5, 0.5],
    starts: [
      [0, scale, lambda, tailMean, tailAbs],
      [0, scale, lambda / 4, tailMean, 2 * tailAbs],
    ],
  };
}

/**
 * Fits a jump-diffusion to the log returns of one bar each by maximum likelihood: bounded
 * Nelder–Mead (src/math/minimize.ts) on the density of the module doc, from two starts (the
 * returns beyond 4 robust standard deviations taken as the jumps, and a rarer-jump start), the
 * better optimum kept, each run restarted once from its optimum (at most 1,500 evaluations a run);
 * or from `options.start` alone. Bounds per bar: σ ∈ [1e-5, 0.5], λ ∈ [1e-4, 0.05], μ_J ∈ [−0.5, 0.5],
 * δ ∈ [1e-4, 0.5], p ∈ [0.01, 0.99], η₁ ∈ [2, 2000], η₂ ∈ [1, 2000]. The cap on λ (one jump per 20
 * bars on average) keeps jumps rare events: unbounded, the likelihood of hourly crypto returns
 * prefers λ ≈ 0.3–0.4 per hour, small jumps that stand in for volatility clustering, where Kou's
 * one-jump density no longer holds (P(two jumps in a bar) ≈ λ²/2 ≈ 9 %). At the cap P(≥ 2) < 0.13 %;
 * a fit that ends there says so in `atBounds`.
 *
 * @example fitJumpDiffusion("merton", hourlyLogReturns).params.lambda // jumps per hour
 */
export function fitJumpDiffusion(
  kind: JumpModelKind,
  returns: ArrayLike<number>,
  options: {
    /** Start here only (e.g. the previous window's fit: a warm start), instead of the two starts. */
    readonly start?: JumpModel;
  } = {},
): JumpFit {
  const { scale, lambda: lambda0, tailAbs } = robustStart(returns, "a jump-diffusion");
  const spec =
    kind === "merton"
      ? mertonSearch(returns, "a jump-diffusion")
      : {
          names: ["mu", "sigma", "lambda", "upProbability", "upRate", "downRate"],
          lower: [-0.05, 1e-5, 1e-4, 0.01, 2, 1],
          upper: [0.05, 0.5, MAX_LAMBDA, 0.99, 2000, 2000],
          starts: [
            [0, scale, lambda0, 0.5, 1 / tailAbs, 1 / tailAbs],
            [0, scale, lambda0 / 4, 0.4, 0.5 / tailAbs, 0.5 / tailAbs],
          ],
        };
  const paramsOf = (x: ArrayLike<number>): Record<string, number> =>
    Object.fromEntries(spec.names.map((n, i) => [n, x[i] as number]));
  const objective = (x: Float64Array): number =>
    -jumpLoglikelihood({ kind, params: paramsOf(x) } as unknown as JumpModel, returns);
  const warm = options.start;
  if (warm !== undefined && warm.kind !== kind) {
    throw new InputError("start", warm.kind, `is not a ${kind} model`, `Pass a ${kind} fit as the start.`);
  }
  const starts =
    warm === undefined
      ? spec.starts
      : [spec.names.map((n) => (warm.params as unknown as Record<string, number>)[n] as number)];
  const best = bestOfStarts(objective, starts, spec, 1500);
  const atBounds = best.atBounds;
  const params = paramsOf(best.x);
  const info = { loglikelihood: -best.f, returnsUsed: returns.length, atBounds };
  return kind === "merton"
    ? { kind, params: params as unknown as MertonParams, ...info }
    : { kind, params: params as unknown as KouParams, ...info };
}

/**
 * The best of bounded Nelder–Mead runs (src/math/minimize.ts, at most `maxEvaluations` each) from
 * each start, each run restarted once from its optimum (Nelder–Mead can stall on a degenerate
 * simplex), and the names of the coordinates that end within 0.1 % of the box's width from a bound.
 */
export function bestOfStarts(
  objective: (x: Float64Array) => number,
  starts: readonly ArrayLike<number>[],
  box: { readonly names: readonly string[]; readonly lower: number[]; readonly upper: number[] },
  maxEvaluations: number,
): { readonly x: ArrayLike<number>; readonly f: number; readonly atBounds: string[] } {
  const bounds = { lower: box.lower, upper: box.upper };
  const options = { bounds, maxEvaluations };
  let best = { x: starts[0] as ArrayLike<number>, f: Number.POSITIVE_INFINITY };
  for (const start of starts) {
    let result = nelderMead(objective, interiorPoint(start, bounds, 1e-6), options);
    const again = nelderMead(objective, interiorPoint(result.x, bounds, 1e-6), options);
    if (again.f < result.f) result = again;
    if (result.f < best.f) best = result;
  }
  const atBounds = box.names.filter((_, i) => {
    const lo = box.lower[i] as number;
    const hi = box.upper[i] as number;
    const v = best.x[i] as number;
    return v - lo < 1e-3 * (hi - lo) || hi - v < 1e-3 * (hi - lo);
  });
  return { x: best.x, f: best.f, atBounds };
}

/**
 * Variance of one bar's log return under a fitted model: Merton `σ² + λ(μ_J² + δ²)`; Kou
 * {@link kouMoments}.
 */
export function jumpBarVariance(fit: JumpModel): number {
  if (fit.kind === "kou") return kouMoments(fit.params).variance;
  const p = fit.params;
  return p.sigma * p.sigma + p.lambda * (p.jumpMean * p.jumpMean + p.jumpVol * p.jumpVol);
}

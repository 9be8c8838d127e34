/**
 * Parametric VaR and ES of a single asset (shared/research/quant.md §3.5; McNeil, Frey &
 * Embrechts, *Quantitative Risk Management*, 2005/2015, §2.2): normal, Student-t with unit
 * variance, and the Cornish–Fisher expansion. Each is given as a closed form on a standardised
 * loss (`…Quantile` / `…Shortfall` functions, parity-tested against scipy and quant.md R9) and as
 * a model fitted to a return series (`normalVar`, `studentTVar`, `cornishFisherVar`).
 *
 * Horizon: the models are i.i.d. in time, so the h-bar loss has mean h·μ_L and standard deviation
 * √h·σ (`VaR_h = hμ_L + √h σ z`). This is exact for the normal law and an approximation for t and
 * Cornish–Fisher (a sum of t variables is not t; skewness and kurtosis shrink with h).
 */
import { InputError } from "../errors.js";
import { lnGamma, normalPdf, normalQuantile, studentTPdf, studentTQuantile } from "../math/distributions.js";
import { interiorPoint, nelderMead } from "../math/minimize.js";
import { readNumber } from "../validate.js";
import {
  readConfidence,
  readHorizon,
  readReturns,
  type SampleMoments,
  sampleMoments,
  type VarOptions,
  type VarResult,
} from "./var.js";

/** VaR and ES of a standardised loss (mean 0, variance 1). */
export interface StandardVarEs {
  readonly var: number;
  readonly es: number;
}

/**
 * Standard normal VaR and ES: `z_q = Φ⁻¹(q)`, `ES = φ(z_q)/(1 − q)`.
 * quant.md R9: 99 % → 2.326348 / 2.665214; 97.5 % → 1.959964 / 2.337803.
 *
 * @example standardNormalVarEs(0.975) // { var: 1.959964, es: 2.337803 }
 */
export function standardNormalVarEs(confidence: number): StandardVarEs {
  const q = readConfidence(confidence);
  const z = normalQuantile(q);
  return { var: z, es: normalPdf(z) / (1 - q) };
}

/**
 * VaR and ES of the unit-variance Student-t with ν > 2 (McNeil–Frey–Embrechts, QRM Ex. 2.15):
 * `s = √((ν−2)/ν)`, `t_q = T_ν⁻¹(q)`, `VaR = s t_q`, `ES = s · f_ν(t_q)/(1−q) · (ν + t_q²)/(ν − 1)`.
 * quant.md R9 at 99 %: ν = 4 → 2.649492 / 3.691510; ν = 5 → 2.606464 / 3.448837.
 *
 * @example standardStudentTVarEs(0.99, 4) // { var: 2.649492, es: 3.691510 }
 */
export function standardStudentTVarEs(confidence: number, nu: number): StandardVarEs {
  const q = readConfidence(confidence);
  const v = readNumber(nu, "nu", { min: 2, exclusiveMin: true, fix: "Pass ν > 2 (unit variance needs it)." });
  const s = Math.sqrt((v - 2) / v);
  const t = studentTQuantile(q, v);
  return { var: s * t, es: (s * studentTPdf(t, v) * (v + t * t)) / ((1 - q) * (v - 1)) };
}

/** The Cornish–Fisher quantile with its validity checks. */
export interface CornishFisherQuantile extends StandardVarEs {
  /** z_q of the normal law. */
  readonly z: number;
  /** The expansion is increasing on the whole real line (a proper quantile function). */
  readonly monotone: boolean;
  /** The expansion is increasing on [z_q, ∞) (what VaR and ES at this q rely on). */
  readonly monotoneInTail: boolean;
}

/**
 * Cornish–Fisher quantile of a standardised loss with skewness S and excess kurtosis K (of the
 * LOSS: `S_L = −S_returns`), quant.md §3.5 (Cornish & Fisher 1937; Zangari 1996):
 * `z_cf = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36`, z = Φ⁻¹(q).
 *
 * ES is the tail mean of the transformed variable Y = z_cf(Z), Z ~ N(0, 1), in closed form from
 * `∫_a^∞ zᵏφ(z)dz` (k ≤ 3): `ES = φ(a)/(1 − q) · [1 + aS/6 + (a² − 1)K/24 − (2a² − 1)S²/36]`, a = z_q.
 * This is the exact ES of the Cornish–Fisher distribution when the expansion is monotone; it is
 * not Boudt–Peterson–Croux's (2008) "modified ES", which integrates an Edgeworth density.
 *
 * Monotonicity: `dz_cf/dz = (K/8 − S²/6)z² + (S/3)z + 1 − K/8 + 5S²/36`; the flags say where it is
 * positive. For BTC-like K ≈ 15 the expansion is not monotone (quant.md §3.5).
 *
 * @example cornishFisherQuantile(0.99, 0.5, 3).var
 */
export function cornishFisherQuantile(
  confidence: number,
  skewness: number,
  excessKurtosis: number,
): CornishFisherQuantile {
  const q = readConfidence(confidence);
  const S = readNumber(skewness, "skewness");
  const K = readNumber(excessKurtosis, "excessKurtosis");
  const z = normalQuantile(q);
  const z2 = z * z;
  const zcf = z + ((z2 - 1) * S) / 6 + ((z2 * z - 3 * z) * K) / 24 - ((2 * z2 * z - 5 * z) * S * S) / 36;
  const es = (normalPdf(z) / (1 - q)) * (1 + (z * S) / 6 + ((z2 - 1) * K) / 24 - ((2 * z2 - 1) * S * S) / 36);
  // Derivative a·x² + b·x + c.
  const a = K / 8 - (S * S) / 6;
  const b = S / 3;
  const c = 1 - K / 8 + (5 * S * S) / 36;
  const disc = b * b - 4 * a * c;
  const monotone = a > 0 ? disc < 0 : a === 0 && b === 0 && c > 0;
  let monotoneInTail: boolean;
  const derivativeAtZ = a * z2 + b * z + c;
  if (!(derivativeAtZ > 0)) monotoneInTail = false;
  else if (a < 0)
    monotoneInTail = false; // a downward parabola turns negative for large z
  else if (a === 0) monotoneInTail = b >= 0;
  else {
    // Upward parabola: positive on [z, ∞) unless a root lies beyond z.
    monotoneInTail = disc < 0 || (-b + Math.sqrt(disc)) / (2 * a) <= z;
  }
  return { z, var: zcf, es, monotone, monotoneInTail };
}

/** Diagnostics of the fitted parametric models: the per-bar loss moments used. */
export interface ParametricDiagnostics {
  /** Mean loss per bar μ_L (= −mean return). */
  readonly meanLoss: number;
  /** Standard deviation per bar σ (n − 1 for normal and Cornish–Fisher; the MLE scale for t). */
  readonly sd: number;
  readonly sampleSize: number;
}

/** Options of {@link normalVar}. */
export interface NormalVarOptions extends VarOptions {
  /** Treat the mean as zero (RiskMetrics convention); default false (sample mean). */
  readonly zeroMean?: boolean;
}

/**
 * Normal VaR/ES from the sample mean and sd (n − 1) of the losses:
 * `VaR = hμ_L + √h σ z_q`, `ES = hμ_L + √h σ φ(z_q)/(1 − q)` (quant.md §3.5).
 *
 * @example normalVar(logReturns(close), { confidence: 0.99 }).var
 */
export function normalVar(
  returns: ArrayLike<number>,
  options: NormalVarOptions,
): VarResult<ParametricDiagnostics> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const m = sampleMoments(readReturns(returns, 2));
  const mu = options.zeroMean === true ? 0 : -m.mean;
  const std = standardNormalVarEs(q);
  return scaled("normal", q, h, mu, m.sd, std, { meanLoss: mu, sd: m.sd, sampleSize: m.n });
}

function scaled<D>(
  method: VarResult["method"],
  q: number,
  h: number,
  mu: number,
  sd: number,
  std: StandardVarEs,
  diagnostics: D,
): VarResult<D> {
  const root = Math.sqrt(h);
  return {
    var: h * mu + root * sd * std.var,
    es: h * mu + root * sd * std.es,
    method,
    confidence: q,
    horizon: h,
    diagnostics,
  };
}

/** A unit-variance Student-t fitted to losses: `L = μ + σ Z`, Z ~ t_ν scaled to variance 1. */
export interface StudentTFit {
  readonly mu: number;
  /** Standard deviation of L (scale of the unit-variance t). */
  readonly sigma: number;
  readonly nu: number;
  readonly loglikelihood: number;
  readonly converged: boolean;
}

const NU_MAX = 500;

/**
 * Log-likelihood of losses under `L = μ + σZ`, Z unit-variance t_ν:
 * `ℓ = Σ [lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ ln(π(ν−2)) − ln σ − ((ν+1)/2) ln(1 + (L−μ)²/((ν−2)σ²))]`.
 */
function studentTLoglikelihood(losses: ArrayLike<number>, mu: number, sigma: number, nu: number): number {
  if (!(sigma > 0) || !(nu > 2)) return Number.NEGATIVE_INFINITY;
  const n = losses.length;
  const k = lnGamma((nu + 1) / 2) - lnGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2)) - Math.log(sigma);
  const c = 1 / ((nu - 2) * sigma * sigma);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (losses[i] as number) - mu;
    s += Math.log1p(c * d * d);
  }
  return n * k - 0.5 * (nu + 1) * s;
}

/**
 * Maximum-likelihood fit of (μ, σ, ν) by bounded Nelder–Mead (ν ∈ (2, 500)), started from the
 * sample mean, sd and the moment estimate ν₀ = 4 + 6/K (K = excess kurtosis, ν₀ = 30 if K ≤ 0).
 * The same optimum as scipy.stats.t.fit (which reports the standard-t scale σ·√((ν−2)/ν)).
 */
export function fitStudentT(
  losses: ArrayLike<number>,
  moments: SampleMoments = sampleMoments(losses),
): StudentTFit {
  if (losses.length < 10) {
    throw new InputError(
      "returns",
      losses.length,
      "needs at least 10 values to fit ν",
      "Pass more data or give nu.",
    );
  }
  const nu0 = moments.excessKurtosis > 0 ? Math.min(NU_MAX / 2, 4 + 6 / moments.excessKurtosis) : 30;
  const sd = moments.sd > 0 ? moments.sd : 1e-12;
  // Search in (μ/sd, σ/sd, ν) so that the simplex is well scaled.
  const objective = (x: Float64Array): number =>
    -studentTLoglikelihood(losses, (x[0] as number) * sd, (x[1] as number) * sd, x[2] as number);
  const bounds = { lower: [Number.NEGATIVE_INFINITY, 0, 2], upper: [Number.POSITIVE_INFINITY, 100, NU_MAX] };
  let start: number[] = [moments.mean / sd, 1, nu0];
  let best = Number.POSITIVE_INFINITY;
  let result = nelderMead(objective, start, { bounds, xTolerance: 1e-9, fTolerance: 1e-11 });
  for (let run = 0; run < 4 && best - result.f > 1e-9; run++) {
    best = result.f;
    start = interiorPoint(result.x, bounds);
    result = nelderMead(objective, start, { bounds, xTolerance: 1e-9, fTolerance: 1e-11 });
  }
  return {
    mu: (result.x[0] as number) * sd,
    sigma: (result.x[1] as number) * sd,
    nu: result.x[2] as number,
    loglikelihood: -result.f,
    converged: result.converged,
  };
}

/** Options of {@link studentTVar}. */
export interface StudentTVarOptions extends VarOptions {
  /**
   * Degrees of freedom ν > 2. Given: μ and σ are the sample mean and sd (n − 1) of the losses.
   * Absent: μ, σ and ν are fitted jointly by maximum likelihood ({@link fitStudentT}).
   */
  readonly nu?: number;
}

/** Diagnostics of {@link studentTVar}. */
export interface StudentTDiagnostics extends ParametricDiagnostics {
  readonly nu: number;
  readonly fitted: boolean;
  /** Present when ν was fitted. */
  readonly loglikelihood?: number;
}

/**
 * Student-t VaR/ES with unit-variance scaling (quant.md §3.5):
 * `VaR = hμ + √h σ s t_q`, `ES = hμ + √h σ s f_ν(t_q)/(1−q) (ν + t_q²)/(ν−1)`, s = √((ν−2)/ν).
 *
 * @example studentTVar(logReturns(close), { confidence: 0.99 }).diagnostics.nu
 */
export function studentTVar(
  returns: ArrayLike<number>,
  options: StudentTVarOptions,
): VarResult<StudentTDiagnostics> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const r = readReturns(returns, 2);
  const losses = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) losses[i] = -(r[i] as number);
  const m = sampleMoments(losses);
  if (options.nu !== undefined) {
    const nu = readNumber(options.nu, "nu", { min: 2, exclusiveMin: true, fix: "Pass ν > 2." });
    const std = standardStudentTVarEs(q, nu);
    return scaled("student-t", q, h, m.mean, m.sd, std, {
      meanLoss: m.mean,
      sd: m.sd,
      sampleSize: m.n,
      nu,
      fitted: false,
    });
  }
  const f = fitStudentT(losses, m);
  return scaled("student-t", q, h, f.mu, f.sigma, standardStudentTVarEs(q, f.nu), {
    meanLoss: f.mu,
    sd: f.sigma,
    sampleSize: m.n,
    nu: f.nu,
    fitted: true,
    loglikelihood: f.loglikelihood,
  });
}

/** Diagnostics of {@link cornishFisherVar}. */
export interface CornishFisherDiagnostics extends ParametricDiagnostics {
  /** Skewness of the loss (= −skewness of the returns). */
  readonly skewness: number;
  readonly excessKurtosis: number;
  /** The standardised quantile z_cf and the normal z_q. */
  readonly zCornishFisher: number;
  readonly zNormal: number;
  readonly monotone: boolean;
  readonly monotoneInTail: boolean;
}

/**
 * Cornish–Fisher VaR/ES: μ_L, σ (n − 1), moment skewness and excess kurtosis of the losses
 * ({@link sampleMoments}), then `VaR = hμ_L + √h σ z_cf` and ES from {@link cornishFisherQuantile}.
 * Check `diagnostics.monotoneInTail`: when false the expansion is not a quantile function beyond
 * z_q and the numbers are not a valid VaR/ES (typical for crypto; prefer t or FHS).
 *
 * @example cornishFisherVar(logReturns(close), { confidence: 0.99 }).diagnostics.monotone
 */
export function cornishFisherVar(
  returns: ArrayLike<number>,
  options: VarOptions,
): VarResult<CornishFisherDiagnostics> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const r = readReturns(returns, 4);
  const losses = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) losses[i] = -(r[i] as number);
  const m = sampleMoments(losses);
  const cf = cornishFisherQuantile(q, m.skewness, m.excessKurtosis);
  return scaled("cornish-fisher", q, h, m.mean, m.sd, cf, {
    meanLoss: m.mean,
    sd: m.sd,
    sampleSize: m.n,
    skewness: m.skewness,
    excessKurtosis: m.excessKurtosis,
    zCornishFisher: cf.var,
    zNormal: cf.z,
    monotone: cf.monotone,
    monotoneInTail: cf.monotoneInTail,
  });
}

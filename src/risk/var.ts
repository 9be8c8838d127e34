/**
 * Shared vocabulary of the Value-at-Risk and Expected-Shortfall models (`var-historical.ts`,
 * `var-parametric.ts`, `var-filtered.ts`, `var-monte-carlo.ts`, `var-portfolio.ts`): the result
 * object, input checks, and the sample moments and empirical quantiles they all use.
 *
 * Conventions (shared/research/quant.md §3.1): a loss is positive, `L = −r` for a return r;
 * VaR and ES at confidence q (e.g. 0.99) are positive losses, tail probability α = 1 − q;
 * `VaR_q = inf{ℓ : P(L ≤ ℓ) ≥ q}`, `ES_q = E[L | L ≥ VaR_q]` (for continuous laws
 * `(1/α)∫_q^1 VaR_u du`). Returns may be log or simple; single-asset VaR/ES are in the units of
 * the returns passed (a fraction of the position's value for simple returns; for log returns the
 * fractional value loss is `1 − e^{−VaR}`, see {@link logLossToValueLoss}). The horizon is a whole
 * number of bars; each model says how it reaches it.
 */
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";

/** The VaR/ES methods of this package. */
export type VarMethod =
  | "historical"
  | "normal"
  | "student-t"
  | "cornish-fisher"
  | "filtered-historical"
  | "monte-carlo";

/** How returns compound over several bars: log returns add, simple returns multiply (1 + r). */
export type ReturnKind = "log" | "simple";

/** A VaR/ES estimate: plain data, with the model's own diagnostics. */
export interface VarResult<D = Record<string, unknown>> {
  /** VaR as a positive loss, in the units of the returns (or quote currency for portfolios). */
  readonly var: number;
  /** Expected shortfall (≥ `var`), same units. */
  readonly es: number;
  readonly method: VarMethod;
  /** Confidence q, 0 < q < 1. */
  readonly confidence: number;
  /** Horizon in bars. */
  readonly horizon: number;
  readonly diagnostics: D;
}

/** Options every single-asset model takes. */
export interface VarOptions {
  /** Confidence q in (0, 1), e.g. 0.99 (a fraction, never a percent). */
  readonly confidence: number;
  /** Horizon in bars (whole number ≥ 1); default 1. */
  readonly horizon?: number;
}

/** Reads a confidence level q ∈ (0, 1), or throws an {@link InputError}. */
export function readConfidence(value: unknown, field = "confidence"): number {
  const q = readNumber(value, field, {
    min: 0,
    exclusiveMin: true,
    fix: "Pass a fraction in (0, 1), e.g. 0.99 (not 99).",
  });
  if (!(q < 1))
    throw new InputError(field, value, "must be below 1", "Pass a fraction in (0, 1), e.g. 0.99.");
  return q;
}

/** Reads a horizon in bars (integer ≥ 1; `undefined` → 1), or throws an {@link InputError}. */
export function readHorizon(value: unknown, field = "horizon"): number {
  if (value === undefined) return 1;
  const h = readNumber(value, field, { min: 1, fix: "Pass a whole number of bars ≥ 1." });
  if (!Number.isInteger(h))
    throw new InputError(field, value, "must be a whole number", "Pass an integer ≥ 1.");
  return h;
}

/**
 * Copies `returns` into a Float64Array, checking that every entry is finite and that there are at
 * least `minimum` of them.
 */
export function readReturns(returns: ArrayLike<number>, minimum: number, field = "returns"): Float64Array {
  if (returns === null || typeof returns !== "object" || typeof returns.length !== "number") {
    throw new InputError(field, returns, "must be an array of returns", "Pass an array of numbers.");
  }
  if (returns.length < minimum) {
    throw new InputError(
      field,
      `${returns.length} values`,
      `needs at least ${minimum} returns`,
      "Pass a longer series.",
    );
  }
  const out = new Float64Array(returns.length);
  for (let i = 0; i < out.length; i++) {
    const r = returns[i];
    if (typeof r !== "number" || !Number.isFinite(r)) {
      throw new InputError(
        `${field}[${i}]`,
        r,
        "must be a finite number",
        "Remove or repair the bad return.",
      );
    }
    out[i] = r;
  }
  return out;
}

/**
 * h-bar returns from overlapping windows: `R_t = Σ_{k<h} r_{t+k}` (log) or `∏(1 + r_{t+k}) − 1`
 * (simple), t = 0 … n − h. Overlapping windows are serially dependent: an empirical quantile
 * of them is consistent but has a larger sampling error than n − h + 1 independent draws would.
 */
export function aggregateReturns(
  returns: ArrayLike<number>,
  horizon: number,
  kind: ReturnKind,
): Float64Array {
  const n = returns.length - horizon + 1;
  if (n < 1) {
    throw new InputError("horizon", horizon, "is longer than the return series", "Pass a shorter horizon.");
  }
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    if (kind === "log") {
      let s = 0;
      for (let k = 0; k < horizon; k++) s += returns[t + k] as number;
      out[t] = s;
    } else {
      let g = 1;
      for (let k = 0; k < horizon; k++) g *= 1 + (returns[t + k] as number);
      out[t] = g - 1;
    }
  }
  return out;
}

/** A log-return loss ℓ as a fraction of value lost: `1 − e^{−ℓ}` (a 10 % log loss is 9.52 %). */
export function logLossToValueLoss(logLoss: number): number {
  return -Math.expm1(-logLoss);
}

/** Sample moments used by the parametric models. */
export interface SampleMoments {
  readonly n: number;
  readonly mean: number;
  /** Standard deviation with the n − 1 denominator. */
  readonly sd: number;
  /** Moment skewness g₁ = m₃/m₂^{3/2} (scipy.stats.skew, bias=True). */
  readonly skewness: number;
  /** Moment excess kurtosis g₂ = m₄/m₂² − 3 (scipy.stats.kurtosis, bias=True). */
  readonly excessKurtosis: number;
}

/** Mean, sd (n − 1), moment skewness and excess kurtosis (two passes). */
export function sampleMoments(x: ArrayLike<number>): SampleMoments {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] as number;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sd = Math.sqrt(m2 / (n - 1));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return {
    n,
    mean,
    sd,
    skewness: m2 > 0 ? m3 / m2 ** 1.5 : 0,
    excessKurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : 0,
  };
}

/**
 * The empirical quantile rule of historical simulation, on losses sorted ascending
 * (`x₍₁₎ ≤ … ≤ x₍ₙ₎`):
 * - `type7` (R `quantile(type = 7)`, numpy.quantile's default "linear"): h = (n − 1)q,
 *   `Q = x₍⌊h⌋+1₎ + (h − ⌊h⌋)(x₍⌊h⌋+2₎ − x₍⌊h⌋+1₎)`;
 * - `kth-worst` (R type 1, the inverse empirical CDF): `Q = x₍⌈nq⌉₎`, i.e. the k-th worst loss
 *   with k = n − ⌈nq⌉ + 1 (n = 250, q = 0.99 → 3rd worst; n = 500 → 6th worst).
 * At 99 %/250 the two differ by about one observation (quant.md §3.5).
 */
export type QuantileRule = "type7" | "kth-worst";

/** Guards n·q against round-off (500 × 0.99 = 495.00000000000006 must give ⌈·⌉ = 495). */
const CEIL_SLACK = 1e-9;

/** The empirical q-quantile of an ascending-sorted array under `rule` (see {@link QuantileRule}). */
export function sortedQuantile(sorted: ArrayLike<number>, q: number, rule: QuantileRule): number {
  const n = sorted.length;
  if (rule === "kth-worst") {
    const index = Math.min(n, Math.max(1, Math.ceil(n * q - CEIL_SLACK)));
    return sorted[index - 1] as number;
  }
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/**
 * Tail mean of an ascending-sorted array: the mean of all entries ≥ `threshold` (ties included),
 * and how many there are. With no entry ≥ threshold (cannot happen for a quantile of the same
 * sample) the threshold itself is returned.
 */
export function sortedTailMean(
  sorted: ArrayLike<number>,
  threshold: number,
): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const x = sorted[i] as number;
    if (x < threshold) break;
    sum += x;
    count++;
  }
  return count === 0 ? { mean: threshold, count } : { mean: sum / count, count };
}

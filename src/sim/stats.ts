/**
 * Streaming statistics for Monte Carlo reducers: a Bernoulli frequency with its standard error
 * and Wilson confidence interval, and Welford's running mean and variance, both mergeable
 * exactly across workers (so a pooled run never keeps its paths).
 */
import { normalQuantile } from "../math/distributions.js";

/** Running mean and sum of squared deviations (B. P. Welford, *Technometrics* 4(3), 1962). */
export interface Welford {
  count: number;
  mean: number;
  /** Σ (x − mean)². */
  m2: number;
}

/** An empty {@link Welford} accumulator. */
export function welford(): Welford {
  return { count: 0, mean: 0, m2: 0 };
}

/** Adds one observation: `δ = x − mean; mean += δ/n; M2 += δ (x − mean)`. */
export function welfordAdd(w: Welford, x: number): void {
  w.count += 1;
  const delta = x - w.mean;
  w.mean += delta / w.count;
  w.m2 += delta * (x - w.mean);
}

/**
 * Merges `b` into `a` (Chan, Golub & LeVeque, "Updating formulae and a pairwise algorithm for
 * computing sample variances", 1979): `n = nₐ + n_b`, `mean = meanₐ + δ n_b/n`,
 * `M2 = M2ₐ + M2_b + δ² nₐ n_b / n`, δ = mean_b − meanₐ. Deterministic for a fixed merge order.
 */
export function welfordMerge(a: Welford, b: Welford): void {
  if (b.count === 0) return;
  const n = a.count + b.count;
  const delta = b.mean - a.mean;
  a.mean += (delta * b.count) / n;
  a.m2 += b.m2 + (delta * delta * a.count * b.count) / n;
  a.count = n;
}

/** One empty {@link Welford} per name of `fields`: a tally's per-path means, named once. */
export function welfords<K extends string>(fields: readonly K[]): Record<K, Welford> {
  return Object.fromEntries(fields.map((f) => [f, welford()])) as Record<K, Welford>;
}

/** {@link welfordMerge} of `b[f]` into `a[f]` for every `f` of `fields`. */
export function welfordsMerge<K extends string>(
  a: Record<K, Welford>,
  b: Record<K, Welford>,
  fields: readonly K[],
): void {
  for (const f of fields) welfordMerge(a[f], b[f]);
}

/** Sample standard deviation (n − 1 denominator); NaN below two observations. */
export function welfordSd(w: Welford): number {
  return w.count > 1 ? Math.sqrt(w.m2 / (w.count - 1)) : Number.NaN;
}

/** A Bernoulli frequency estimate. */
export interface ProportionEstimate {
  /** p̂ = successes / trials. */
  readonly probability: number;
  /** √(p̂(1 − p̂)/n). */
  readonly standardError: number;
  /** Wilson score interval at `confidence`. */
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
}

/**
 * p̂ with its standard error and the Wilson score interval (E. B. Wilson, *JASA* 22, 1927):
 * `(p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`, z = Φ⁻¹(1 − (1 − confidence)/2).
 * Unlike p̂ ± z·se it stays inside [0, 1] and keeps its coverage when p̂ is 0 or 1.
 */
export function proportionEstimate(successes: number, trials: number, confidence = 0.95): ProportionEstimate {
  if (trials === 0) {
    return { probability: Number.NaN, standardError: Number.NaN, lower: 0, upper: 1, confidence };
  }
  const p = successes / trials;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return {
    probability: p,
    standardError: Math.sqrt((p * (1 - p)) / trials),
    lower: Math.max(0, centre - half),
    upper: Math.min(1, centre + half),
    confidence,
  };
}

/**
 * A 95 % upper confidence bound on a probability estimated by `successes` of `trials` Monte Carlo
 * paths, which is never 0 when the estimate is 0: the upper end of the Wilson score interval
 * ({@link proportionEstimate}, 95 %) when there is at least one success, and the rule of three
 * `3/n` when there is none (the one-sided 95 % bound `1 − 0.05^{1/n} ≈ −ln 0.05 / n ≈ 3/n`;
 * J. A. Hanley & A. Lippman-Hand, "If nothing goes wrong, is everything all right?", *JAMA*
 * 249(13), 1983). 1 with no trials.
 *
 * @example probabilityUpperBound(0, 20_000) // 0.00015: "< 0.015 % (20,000 paths)"
 */
export function probabilityUpperBound(successes: number, trials: number): number {
  if (trials === 0) return 1;
  if (successes === 0) return Math.min(1, 3 / trials);
  return proportionEstimate(successes, trials, 0.95).upper;
}

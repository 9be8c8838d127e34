/**
 * RiskMetrics exponentially weighted moving-average (EWMA) variance, with the seed stated
 * explicitly, and its memory.
 *
 * Recursion (J.P. Morgan/Reuters, *RiskMetrics — Technical Document*, 4th ed. 1996, ch. 5;
 * `shared/research/quant.md` §3.3): `σ²_t = λ σ²_{t−1} + (1 − λ) r²_{t−1}`, λ = 0.94 for daily and
 * 0.97 for monthly data in RiskMetrics. Returns are taken as zero-mean. The seed σ²_0 matters for
 * the first ~75 observations at λ = 0.94, so it is always chosen by the caller.
 */
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";

/**
 * The starting variance of the recursion:
 * - `first-squared-return`: r₁² (then σ² after r₁ is r₁² too);
 * - `sample-variance`: the sample variance (n − 1, mean removed) of the first `count` returns;
 * - `backcast`: the `arch` package's backcast, Σ wᵢ rᵢ² over the first min(75, n) returns with
 *   wᵢ ∝ 0.94^(i−1) summing to 1 (bashtage/arch `arch/univariate/volatility.py`,
 *   `VolatilityProcess.backcast`);
 * - `variance`: a given value.
 */
export type EwmaSeed =
  | { readonly kind: "first-squared-return" }
  | { readonly kind: "sample-variance"; readonly count: number }
  | { readonly kind: "backcast" }
  | { readonly kind: "variance"; readonly variance: number };

/** Options of {@link ewmaVariance}. */
export interface EwmaOptions {
  /** Decay λ, 0 < λ < 1 (RiskMetrics: 0.94 daily, 0.97 monthly). */
  readonly lambda: number;
  readonly seed: EwmaSeed;
}

/**
 * One EWMA update: `λ σ²_{t−1} + (1 − λ) r²_{t−1}`.
 *
 * Worked example (Hull, *Options, Futures and Other Derivatives*, volatility chapter; quant.md R15):
 * λ = 0.90, σ_{n−1} = 1 %, u = 2 % → σ²_n = 0.9·0.0001 + 0.1·0.0004 = 0.00013, σ_n = 1.1402 %.
 *
 * @example Math.sqrt(ewmaStep(0.01 ** 2, 0.02, 0.9)) // 0.011402
 */
export function ewmaStep(previousVariance: number, lastReturn: number, lambda: number): number {
  return lambda * previousVariance + (1 - lambda) * lastReturn * lastReturn;
}

/**
 * The EWMA variance path: entry 0 is the seed, entry t (1 ≤ t ≤ n) the variance after returns
 * r₁ … r_t, i.e. the one-step-ahead forecast for r_{t+1}; the last entry forecasts the next,
 * unseen return. Multi-step forecasts are flat (σ²_{t+h} = σ²_{t+1}, √h scaling).
 *
 * Worked example (quant.md R14): the 366 daily log returns of Binance BTCUSDT in 2024, λ 0.94,
 * seeded with r₁² → entry 365 = 5.617294e-4 (σ 0.0237008), entry 366 = 5.322723e-4 (σ 0.0230710).
 *
 * @example ewmaVariance(logReturns(series.close), { lambda: 0.94, seed: { kind: "first-squared-return" } })
 */
export function ewmaVariance(returns: ArrayLike<number>, options: EwmaOptions): Float64Array {
  const lambda = readLambda(options.lambda);
  const out = new Float64Array(returns.length + 1);
  out[0] = ewmaSeedVariance(returns, options.seed);
  for (let t = 1; t <= returns.length; t++) {
    const r = readNumber(returns[t - 1], `returns[${t - 1}]`, { fix: "Pass finite returns." });
    out[t] = ewmaStep(out[t - 1] as number, r, lambda);
  }
  return out;
}

/** The seed variance σ²_0 of {@link ewmaVariance} for these returns (see {@link EwmaSeed}). */
export function ewmaSeedVariance(returns: ArrayLike<number>, seed: EwmaSeed): number {
  const r = (i: number) => returns[i] as number;
  switch (seed.kind) {
    case "variance":
      return readNumber(seed.variance, "seed.variance", { min: 0, fix: "Pass a variance ≥ 0." });
    case "first-squared-return":
      requireReturns(returns, 1, "seed");
      return r(0) * r(0);
    case "sample-variance": {
      const count = readNumber(seed.count, "seed.count", { min: 2, max: returns.length, fix: "Pass 2 … n." });
      if (!Number.isInteger(count)) {
        throw new InputError(
          "seed.count",
          count,
          "must be a whole number of returns",
          "Pass an integer 2 … n.",
        );
      }
      let mean = 0;
      for (let i = 0; i < count; i++) mean += r(i) / count;
      let ss = 0;
      for (let i = 0; i < count; i++) ss += (r(i) - mean) ** 2;
      return ss / (count - 1);
    }
    case "backcast": {
      requireReturns(returns, 1, "seed");
      const tau = Math.min(75, returns.length);
      let weighted = 0;
      let total = 0;
      for (let i = 0, w = 1; i < tau; i++, w *= 0.94) {
        weighted += w * r(i) * r(i);
        total += w;
      }
      return weighted / total;
    }
    default:
      throw new InputError(
        "seed.kind",
        (seed as { kind: unknown }).kind,
        "is not a known seed",
        'Use "first-squared-return", "sample-variance", "backcast" or "variance".',
      );
  }
}

/**
 * Half-life of the EWMA weights in observations: `ln ½ / ln λ` (weight λ^k halves every half-life).
 *
 * @example ewmaHalfLife(0.94) // 11.2 days; ewmaHalfLife(0.97) // 22.8 (quant.md R16)
 */
export function ewmaHalfLife(lambda: number): number {
  return Math.log(0.5) / Math.log(readLambda(lambda));
}

/**
 * λ per bar with the memory per unit of time of a daily λ: `λ_bar = λ_daily^(barHours/24)`, so
 * that the weight of an observation decays by the same factor per day whatever the bar (RiskMetrics'
 * 0.94 is a daily value: applied as it is to hourly bars it forgets a day in 24 × fewer days).
 *
 * @example barEwmaLambda(0.94, 1) // 0.997425… (0.94^(1/24)); barEwmaLambda(0.94, 24) // 0.94
 */
export function barEwmaLambda(dailyLambda: number, barHours: number): number {
  return dailyLambda ** (barHours / 24);
}

/**
 * Effective memory: the number of observations K after which the weights left, λ^K, fall to
 * `tolerance`, `K = ln(tolerance) / ln λ`: the solution of `λ^K (1 − λ) Σ_{i≥0} λ^i = tolerance`
 * (RiskMetrics Technical Document, 4th ed. 1996, pp. 93–94, "effective number of days" at a
 * tolerance level).
 *
 * @example ewmaEffectiveMemory(0.94, 0.01) // 74.4 days (0.001 → 111.6); λ 0.97, 1 % → 151.2 (quant.md R16)
 */
export function ewmaEffectiveMemory(lambda: number, tolerance: number): number {
  const tol = readNumber(tolerance, "tolerance", {
    min: 0,
    exclusiveMin: true,
    max: 1,
    fix: "Pass the weight left as a fraction, e.g. 0.01 for 1 %.",
  });
  return Math.log(tol) / Math.log(readLambda(lambda));
}

function readLambda(lambda: number): number {
  const x = readNumber(lambda, "lambda", {
    min: 0,
    exclusiveMin: true,
    max: 1,
    fix: "Pass 0 < λ < 1, e.g. 0.94.",
  });
  if (x === 1) throw new InputError("lambda", lambda, "must be below 1", "Pass 0 < λ < 1, e.g. 0.94.");
  return x;
}

function requireReturns(returns: ArrayLike<number>, count: number, field: string): void {
  if (returns.length < count) {
    throw new InputError(
      field,
      returns.length,
      `needs at least ${count} return`,
      "Pass a longer return series.",
    );
  }
}

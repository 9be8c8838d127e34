/**
 * A bank of simulated price paths written as bars (log close, log low, log high relative to the
 * start price), so that the trader's policies are evaluated on simulated paths exactly as on
 * historical candles: liquidation when a bar's low (long) or high (short) reaches the liquidation
 * price, the trader's own decisions at bar closes. Paths come from the generators of
 * `src/sim/models.ts` (GBM, Student-t, GARCH-t, jumps, bootstrap); one seed fixes the bank, and
 * every threshold is scored on the same paths (common random numbers), so differences between
 * thresholds carry no simulation noise from different draws.
 *
 * The intrabar extremes are drawn from the law of the minimum (maximum) of a Brownian bridge
 * between the two closes with the step's conditional variance v (Glasserman, *Monte Carlo Methods
 * in Financial Engineering*, 2004, §6.4; quant.md §3.7): with `P(min ≤ m) = exp(−2(a − m)(b − m)/v)`
 * for m ≤ min(a, b), inversion gives `min = (a + b − √((b − a)² − 2v ln U))/2`, and symmetrically
 * `max = (a + b + √((b − a)² − 2v ln U′))/2`. Each is exact in law for a Gaussian step (so the
 * probability of touching a barrier is the continuous-time one, not the grid's); low and high are
 * drawn independently, so only their joint law is approximate. For Student-t and GARCH steps the
 * bridge treats the step as Gaussian given its variance, as `src/sim/liquidation.ts` does.
 *
 * Real bars range wider than a Brownian bridge with the close-to-close variance implies (hourly
 * BTC/ETH/SOL perps: Parkinson σ 10–14 % above close-to-close σ on 2020–2024; trade-price wicks,
 * bid–ask bounce): `intrabarVarianceRatio` k scales the bridge variance to k·v so that simulated
 * lows and highs reach as far as observed ones ({@link rangeVarianceRatio} estimates k from candles).
 */
import { InputError } from "../errors.js";
import type { CandleSeries } from "../market/candles.js";
import type { Xoshiro128 } from "../math/random.js";
import { createPathGenerator, type ModelSpec, type PathGenerator } from "../sim/models.js";
import { jumpedStream, type PathEvaluator } from "../sim/run.js";
import { probabilityUpperBound } from "../sim/stats.js";
import { readNumber } from "../validate.js";
import { realizedVolatility } from "../vol/realized.js";

/** What to simulate. */
export interface PathBankSpec {
  readonly model: ModelSpec;
  /** Bar length in years (1/8760 for hourly bars; a GARCH model needs the bar it was fitted on). */
  readonly barYears: number;
  /** Bars per path. */
  readonly bars: number;
  readonly paths: number;
  readonly seed: number;
  /** Bridge variance ÷ step variance for the intrabar extremes (default 1: a Brownian bridge). */
  readonly intrabarVarianceRatio?: number;
}

/** Simulated bars: entry `p·bars + k` is bar k of path p, all in ln(price/start price). */
export interface PathBank {
  readonly paths: number;
  readonly bars: number;
  readonly barYears: number;
  readonly seed: number;
  readonly close: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/** Simulates a {@link PathBank} on the seed's first stream with {@link BarEvaluator}; memory 3·paths·bars doubles. */
export function simulatePathBank(spec: PathBankSpec): PathBank {
  const bars = readWhole(spec.bars, "bars", 1);
  const paths = readWhole(spec.paths, "paths", 1);
  const barYears = readNumber(spec.barYears, "barYears", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the bar length in years, e.g. 1/8760 for hourly bars.",
  });
  const seed = readNumber(spec.seed, "seed", { fix: "Pass an integer seed." });
  if (paths * bars > 50_000_000) {
    throw new InputError(
      "paths",
      paths,
      `× ${bars} bars is too large a bank`,
      "Use at most 50 million bars.",
    );
  }
  const ratio = readNumber(spec.intrabarVarianceRatio ?? 1, "intrabarVarianceRatio", {
    min: 0,
    exclusiveMin: true,
    max: 100,
    fix: "Pass the ratio of range-based to close-to-close variance, e.g. 1.25.",
  });
  const evaluator = new BarEvaluator(spec.model, barYears, bars, ratio);
  const written: BarTally = {
    paths: 0,
    close: new Float64Array(paths * bars),
    low: new Float64Array(paths * bars),
    high: new Float64Array(paths * bars),
  };
  evaluator.run(jumpedStream(seed, 0), paths, written);
  const { close, low, high } = written;
  return { paths, bars, barYears, seed, close, low, high };
}

/** The bars written so far: `paths` paths, entry `p·bars + k` of each array (preallocated for the whole bank). */
export interface BarTally {
  paths: number;
  readonly close: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/**
 * The path bank's evaluator (src/sim/run.ts {@link PathEvaluator}): draws each path's log returns
 * from the model's generator (src/sim/models.ts) and writes them as bars, the intrabar low and high
 * drawn from the Brownian-bridge extremes of the module doc with variance `ratio · v_k`.
 */
class BarEvaluator implements PathEvaluator<BarTally> {
  readonly steps: number;
  readonly dtYears: number;
  private readonly generator: PathGenerator;
  private readonly logReturns: Float64Array;
  private readonly variance: Float64Array;

  constructor(
    model: ModelSpec,
    barYears: number,
    bars: number,
    private readonly ratio: number,
  ) {
    this.generator = createPathGenerator(model, { horizonYears: bars * barYears, steps: bars });
    this.steps = bars;
    this.dtYears = this.generator.dtYears;
    this.logReturns = new Float64Array(bars);
    this.variance = new Float64Array(bars);
    if (this.generator.constantVariance) this.variance.fill(this.generator.fixedStepVariance);
  }

  /** Simulates `paths` paths from `rng` and writes them after the `bank.paths` already written. */
  run(rng: Xoshiro128, paths: number, bank: BarTally): void {
    const { generator, logReturns: dx, variance, ratio, steps: bars } = this;
    const { close, low, high } = bank;
    for (let p = 0; p < paths; p++) {
      generator.next(rng, dx, variance);
      let x = 0;
      const base = (bank.paths + p) * bars;
      for (let k = 0; k < bars; k++) {
        const a = x;
        const b = a + (dx[k] as number);
        const v = ratio * (variance[k] as number);
        const d2 = (b - a) * (b - a);
        // 1 − next() ∈ (0, 1]: ln never sees 0.
        low[base + k] = 0.5 * (a + b - Math.sqrt(d2 - 2 * v * Math.log(1 - rng.next())));
        high[base + k] = 0.5 * (a + b + Math.sqrt(d2 - 2 * v * Math.log(1 - rng.next())));
        close[base + k] = b;
        x = b;
      }
    }
    bank.paths += paths;
  }
}

/**
 * For each path, the largest adverse log excursion against a barrier that drifts at
 * `barrierLogDriftPerYear` (ln H(t) = ln H(0) + c·t), over the first `bars` bars, sorted ascending:
 * long `D = max_k (c·t_{k+1} − low_k)`, short `D = max_k (high_k − c·t_{k+1})`, t_{k+1} the end of
 * bar k. A position whose barrier starts at log distance d = |ln(H(0)/S₀)| is liquidated on the
 * path iff `D ≥ d`. The barrier is compared at the end of each bar (for a barrier moving toward the
 * price — funding paid — this errs on the side of more liquidations, by at most c·Δ per bar).
 */
export function adverseExcursions(
  bank: PathBank,
  side: "long" | "short",
  barrierLogDriftPerYear: number,
  bars: number = bank.bars,
): Float64Array {
  const n = readWhole(bars, "bars", 1);
  if (n > bank.bars)
    throw new InputError("bars", bars, `exceeds the bank's ${bank.bars} bars`, "Simulate longer paths.");
  const out = new Float64Array(bank.paths);
  const c = barrierLogDriftPerYear * bank.barYears;
  for (let p = 0; p < bank.paths; p++) {
    const base = p * bank.bars;
    let worst = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const drift = c * (k + 1);
      const d =
        side === "long" ? drift - (bank.low[base + k] as number) : (bank.high[base + k] as number) - drift;
      if (d > worst) worst = d;
    }
    out[p] = worst;
  }
  return out.sort();
}

/**
 * P(liquidation) from sorted excursions ({@link adverseExcursions}) for a barrier at log distance
 * `distance` ≥ 0: the share of paths with `D ≥ distance`, with the binomial standard error
 * √(p(1 − p)/n), its 95 % upper bound (Wilson, or the rule of three 3/n when no path reaches the
 * barrier: {@link probabilityUpperBound}) and the path count. Non-increasing in `distance` by
 * construction (one bank, one sort).
 */
export function excursionProbability(
  sortedExcursions: Float64Array,
  distance: number,
): { probability: number; standardError: number; upperBound: number; paths: number } {
  const n = sortedExcursions.length;
  // First index with D ≥ distance (binary search on the ascending array).
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sortedExcursions[mid] as number) >= distance) hi = mid;
    else lo = mid + 1;
  }
  const p = (n - lo) / n;
  return {
    probability: p,
    standardError: Math.sqrt((p * (1 - p)) / n),
    upperBound: probabilityUpperBound(n - lo, n),
    paths: n,
  };
}

function readWhole(value: number, field: string, min: number): number {
  const x = readNumber(value, field, { min, fix: `Pass a whole number ≥ ${min}.` });
  if (!Number.isInteger(x))
    throw new InputError(field, value, "must be a whole number", `Pass a whole number ≥ ${min}.`);
  return x;
}

/**
 * The ratio of the Parkinson per-bar variance to the close-to-close one over bars `start … end − 1`
 * (src/vol/realized.ts, TTR definitions): how much wider the bars range than a Brownian motion with
 * the close-to-close variance would make them (1 for Brownian bars; Parkinson 1980 assumes 1).
 *
 * @example rangeVarianceRatio(hourly, hourly.close.length - 4000, hourly.close.length) // ≈ 1.2–1.3 for BTC 2020–2024
 */
export function rangeVarianceRatio(series: CandleSeries, start: number, end: number): number {
  const cc = realizedVolatility(series, "close-to-close", { start: Math.max(1, start), end }).perBarVariance;
  const pk = realizedVolatility(series, "parkinson", { start: Math.max(1, start), end }).perBarVariance;
  if (!(cc > 0))
    throw new InputError(
      "series",
      cc,
      "has no close-to-close variance in the window",
      "Pass a window with price moves.",
    );
  return pk / cc;
}

/**
 * Realized volatility from candles: close-to-close and the range (OHLC) estimators, over one
 * window or rolling, in one pass over the series' typed arrays.
 *
 * Definitions are those of R's TTR `volatility()` (joshuaulrich/TTR `R/volatility.R`), as set out in
 * `shared/research/quant.md` §3.2. With, for bar t,
 * `o = ln(O_t/C_{t−1})` (the opening gap), `u = ln(H/O)`, `d = ln(L/O)`, `c = ln(C/O)`,
 * `r = ln(C_t/C_{t−1})`, and n bars in the window, the per-bar variances are:
 *
 * | estimator | per-bar variance σ² | TTR `calc` |
 * |---|---|---|
 * | `close-to-close` | sample variance (n − 1) of r | `close` (TTR's n = n + 1 closes) |
 * | `parkinson` (1980) | Σ (ln H/L)² / (4 n ln 2) | `parkinson` |
 * | `garman-klass` (1980) | (1/n) Σ [½ (ln H/L)² − (2 ln 2 − 1) c²] | `garman.klass` |
 * | `rogers-satchell` (1991) | (1/n) Σ [u (u − c) + d (d − c)] | `rogers.satchell` |
 * | `garman-klass-yang-zhang` | (1/n) Σ [o² + ½ (ln H/L)² − (2 ln 2 − 1) c²] | `gk.yz` |
 * | `yang-zhang` (2000) | σ_o² + k σ_c² + (1 − k) σ_RS², k = 0.34 / (1.34 + (n+1)/(n−1)) | `yang.zhang` |
 *
 * where σ_o², σ_c² are sample variances (n − 1) of o and c and σ_RS² the Rogers–Satchell variance.
 * The estimators marked with r or o need the close of the bar before the window.
 *
 * Annualisation multiplies σ by √(bars per year); crypto trades 24/7, so a year is 365 days:
 * 365 daily bars, 8760 hourly bars (quant.md §3.1).
 */
import { InputError } from "../errors.js";
import type { CandleSeries } from "../market/candles.js";
import { readChoice, readNumber } from "../validate.js";

/** The realized-volatility estimators (TTR's `calc` values in kebab case). */
export type VolEstimator =
  | "close-to-close"
  | "parkinson"
  | "garman-klass"
  | "rogers-satchell"
  | "garman-klass-yang-zhang"
  | "yang-zhang";

/** All estimators, in the order of the module's table. */
export const VOL_ESTIMATORS: readonly VolEstimator[] = [
  "close-to-close",
  "parkinson",
  "garman-klass",
  "rogers-satchell",
  "garman-klass-yang-zhang",
  "yang-zhang",
];

/** One bar's contribution to a window statistic. */
type Term = (s: CandleSeries, t: number) => number;

interface Definition {
  /** True when a bar's terms use the previous bar's close. */
  readonly previousClose: boolean;
  /** Fewest bars in a window (2 where a sample variance is taken). */
  readonly minBars: number;
  /** Per-bar terms whose window mean and sample variance the estimate combines. */
  readonly terms: readonly Term[];
  /** The per-bar variance from the window statistics of `terms` over `n` bars. */
  readonly variance: (m: readonly WindowMoments[], n: number) => number;
}

const GK_CLOSE_WEIGHT = 2 * Math.LN2 - 1;

const at = (a: Float64Array, t: number) => a[t] as number;
const logReturn: Term = (s, t) => Math.log(at(s.close, t) / at(s.close, t - 1));
const openingGap: Term = (s, t) => Math.log(at(s.open, t) / at(s.close, t - 1));
const openToClose: Term = (s, t) => Math.log(at(s.close, t) / at(s.open, t));
const rangeSquared: Term = (s, t) => Math.log(at(s.high, t) / at(s.low, t)) ** 2;
const garmanKlass: Term = (s, t) => 0.5 * rangeSquared(s, t) - GK_CLOSE_WEIGHT * openToClose(s, t) ** 2;
/** TTR's form of u(u − c) + d(d − c): ln(H/C)·ln(H/O) + ln(L/C)·ln(L/O). */
const rogersSatchell: Term = (s, t) => {
  const h = at(s.high, t);
  const l = at(s.low, t);
  const o = at(s.open, t);
  const c = at(s.close, t);
  return Math.log(h / c) * Math.log(h / o) + Math.log(l / c) * Math.log(l / o);
};

const DEFINITIONS: Record<VolEstimator, Definition> = {
  "close-to-close": {
    previousClose: true,
    minBars: 2,
    terms: [logReturn],
    variance: ([r]) => (r as WindowMoments).sampleVariance(),
  },
  parkinson: {
    previousClose: false,
    minBars: 1,
    terms: [rangeSquared],
    variance: ([x]) => (x as WindowMoments).mean / (4 * Math.LN2),
  },
  "garman-klass": {
    previousClose: false,
    minBars: 1,
    terms: [garmanKlass],
    variance: ([x]) => (x as WindowMoments).mean,
  },
  "rogers-satchell": {
    previousClose: false,
    minBars: 1,
    terms: [rogersSatchell],
    variance: ([x]) => (x as WindowMoments).mean,
  },
  "garman-klass-yang-zhang": {
    previousClose: true,
    minBars: 1,
    terms: [(s, t) => openingGap(s, t) ** 2 + garmanKlass(s, t)],
    variance: ([x]) => (x as WindowMoments).mean,
  },
  "yang-zhang": {
    previousClose: true,
    minBars: 2,
    terms: [openingGap, openToClose, rogersSatchell],
    variance: ([o, c, rs], n) => {
      const k = yangZhangK(n);
      return (
        (o as WindowMoments).sampleVariance() +
        k * (c as WindowMoments).sampleVariance() +
        (1 - k) * (rs as WindowMoments).mean
      );
    },
  },
};

/**
 * Mean and sum of squared deviations of the values in a sliding window (Welford's update, with the
 * replace step `M2 += (x_in − x_out)(x_in − mean′ + x_out − mean)` once the window is full).
 */
class WindowMoments {
  mean = 0;
  private n = 0;
  private m2 = 0;

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }

  replace(out: number, x: number): void {
    const d = x - out;
    const previousMean = this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean + out - previousMean);
  }

  /** Sample variance (n − 1 denominator); rounding-level negatives read as 0. */
  sampleVariance(): number {
    return Math.max(this.m2, 0) / (this.n - 1);
  }
}

/**
 * Yang–Zhang's weight of the open-to-close variance for n bars, with TTR's default α = 1.34:
 * `k = (α − 1) / (α + (n+1)/(n−1)) = 0.34 / (1.34 + (n+1)/(n−1))` (Yang & Zhang 2000, eq. 10).
 *
 * @example yangZhangK(366) // 0.14496… (quant.md R13)
 */
export function yangZhangK(n: number): number {
  return 0.34 / (1.34 + (n + 1) / (n - 1));
}

/**
 * Bars per year for a bar interval, counting a year as 365 days of 24/7 trading:
 * `365 · 86,400,000 / intervalMs` — 365 for daily bars, 8760 for hourly (quant.md §3.1).
 */
export function barsPerYear(intervalMs: number): number {
  return (365 * 86_400_000) / readNumber(intervalMs, "intervalMs", { min: 0, exclusiveMin: true });
}

/**
 * Log returns of a price array: `r_i = ln(P_{i+1} / P_i)`, one fewer than the prices.
 *
 * @example logReturns(series.close) // the input of ewmaVariance
 */
export function logReturns(prices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(prices.length - 1, 0));
  for (let i = 0; i < out.length; i++) out[i] = Math.log((prices[i + 1] as number) / (prices[i] as number));
  return out;
}

/** A realized-volatility estimate over one window of bars. */
export interface RealizedVolatility {
  readonly estimator: VolEstimator;
  /** Bars in the window (returns, for close-to-close). */
  readonly bars: number;
  /** Per-bar variance σ². */
  readonly perBarVariance: number;
  /** Per-bar volatility σ (a fraction, e.g. 0.0276 a day). */
  readonly perBarVol: number;
  /** Bars per year used to annualise ({@link barsPerYear} of the series' interval). */
  readonly barsPerYear: number;
  /** `perBarVol · √barsPerYear`. */
  readonly annualVol: number;
}

/**
 * The estimator's volatility over bars `start … end − 1` of the series (formulas in the module
 * comment). Close-to-close, GK–YZ and Yang–Zhang also read the close of bar `start − 1`, so their
 * `start` is at least 1; by default the window is every usable bar.
 *
 * Parity: TTR `volatility(OHLC[start:end], n = bars, calc, N = 1)` at the window's last bar (for
 * close-to-close, `n = bars + 1` closes). Worked example (quant.md R13): Binance BTCUSDT daily,
 * bars 2024-01-01 … 2024-12-31 (366) → per-day σ CC 0.02757337, Parkinson 0.02899023,
 * GK 0.02950209, RS 0.02962168, GK-YZ 0.02950209, YZ 0.02933364; ×√365: 0.526788 … 0.560418.
 *
 * @example
 * const from = barIndex(series, Date.UTC(2024, 0, 1));
 * const to = barIndex(series, Date.UTC(2025, 0, 1));
 * realizedVolatility(series, "yang-zhang", { start: from, end: to }).perBarVol; // 0.02933364
 */
export function realizedVolatility(
  series: CandleSeries,
  estimator: VolEstimator,
  range: { readonly start?: number; readonly end?: number } = {},
): RealizedVolatility {
  const def = definition(estimator);
  const length = series.close.length;
  const first = def.previousClose ? 1 : 0;
  const start = readNumber(range.start ?? first, "start", {
    min: first,
    max: length,
    fix: def.previousClose
      ? `Start at bar 1 or later: ${estimator} reads the close of the bar before the window.`
      : "Pass a bar index within the series.",
  });
  const end = readNumber(range.end ?? length, "end", {
    min: start,
    max: length,
    fix: "Pass a bar index ≤ the length.",
  });
  const bars = end - start;
  if (!Number.isInteger(start) || !Number.isInteger(end) || bars < def.minBars) {
    throw new InputError(
      "range",
      range,
      `must span at least ${def.minBars} whole bar${def.minBars === 1 ? "" : "s"} (got ${bars})`,
      "Pass integer bar indices with end − start large enough.",
    );
  }
  let perBarVariance = Number.NaN;
  slide(series, def, start, end, bars, (_, v) => {
    perBarVariance = v;
  });
  const perYear = barsPerYear(series.intervalMs);
  const perBarVol = Math.sqrt(perBarVariance);
  return {
    estimator,
    bars,
    perBarVariance,
    perBarVol,
    barsPerYear: perYear,
    annualVol: perBarVol * Math.sqrt(perYear),
  };
}

/**
 * Rolling volatility: entry t is the estimator's σ over bars `t − window + 1 … t` (formulas in the
 * module comment), per bar, or annualised with `{ annualize: true }` (× √{@link barsPerYear}).
 * Entries before the first full window are `NaN`: the first value is at `window − 1`, or at
 * `window` for the estimators that read the previous close. One pass: each bar's terms enter and
 * leave running means and sample variances.
 *
 * Parity: TTR `volatility(OHLC, n = window, calc, N)` (close-to-close: `n = window + 1`).
 *
 * @example rollingVolatility(hourly, "parkinson", 24, { annualize: true }) // 1-day Parkinson, annual
 */
export function rollingVolatility(
  series: CandleSeries,
  estimator: VolEstimator,
  window: number,
  options: { readonly annualize?: boolean } = {},
): Float64Array {
  const def = definition(estimator);
  readNumber(window, "window", { min: def.minBars, fix: `Pass a whole number of bars ≥ ${def.minBars}.` });
  if (!Number.isInteger(window)) {
    throw new InputError(
      "window",
      window,
      "must be a whole number of bars",
      `Pass an integer ≥ ${def.minBars}.`,
    );
  }
  const length = series.close.length;
  const scale = options.annualize === true ? Math.sqrt(barsPerYear(series.intervalMs)) : 1;
  const out = new Float64Array(length).fill(Number.NaN);
  slide(series, def, def.previousClose ? 1 : 0, length, window, (t, v) => {
    out[t] = Math.sqrt(v) * scale;
  });
  return out;
}

function definition(estimator: VolEstimator): Definition {
  return DEFINITIONS[readChoice(estimator, "estimator", VOL_ESTIMATORS)];
}

/**
 * Runs windows of `window` bars over bars `first … end − 1` and hands each full window's per-bar
 * variance (clamped at 0 against rounding) to `emit` with the index of its last bar.
 */
function slide(
  series: CandleSeries,
  def: Definition,
  first: number,
  end: number,
  window: number,
  emit: (t: number, variance: number) => void,
): void {
  const moments = def.terms.map(() => new WindowMoments());
  for (let t = first; t < end; t++) {
    const full = t - first >= window;
    def.terms.forEach((term, k) => {
      const m = moments[k] as WindowMoments;
      if (full) m.replace(term(series, t - window), term(series, t));
      else m.add(term(series, t));
    });
    if (t - first >= window - 1) emit(t, Math.max(def.variance(moments, window), 0));
  }
}

/**
 * Funding-rate statistics, regimes, and what funding costs a position and its margin.
 *
 * Convention (Binance "Introduction to Binance Futures Funding Rates",
 * https://www.binance.com/en/support/faq/360033525031): at each settlement
 * `funding fee = position notional (mark × size) × funding rate`; a long pays it when the rate is
 * positive, a short receives it (and the reverse when negative). Here a payment is signed so that
 * **positive = paid by the position**: `side · rate · notional`, `side` = +1 long, −1 short. A row of
 * a series covers `stepHours / intervalHours` settlements (3 for a daily mean of 8-hourly rates).
 */
import { InputError } from "../errors.js";
import type { Direction } from "../margin/types.js";
import { quantileSorted } from "../market/book-walk.js";
import type { FundingSeries } from "../market/funding.js";
import { readChoice, readNumber } from "../validate.js";

const HOUR_MS = 3_600_000;
/** Hours in a 365-day year, the year Binance's annualised funding (rate × 3 × 365) uses. */
const HOURS_PER_YEAR = 8760;

/** Summary statistics of a funding series. */
export interface FundingStatistics {
  readonly count: number;
  /** Mean rate per interval (fraction). */
  readonly meanRate: number;
  /** Sample standard deviation per interval (n − 1). */
  readonly sdRate: number;
  /** `meanRate · 8760 / intervalHours`: simple (not compounded) annual rate a long pays. */
  readonly annualizedMean: number;
  readonly minRate: number;
  readonly minTimeMs: number;
  readonly maxRate: number;
  readonly maxTimeMs: number;
  /** Share of rows with a negative rate (shorts pay longs). */
  readonly shareNegative: number;
  /** Share of rows with |rate| ≥ `capRate` (when a cap is given; else `NaN`). */
  readonly shareAtCap: number;
  /** Probabilities and quantiles of the rate (linear interpolation, numpy's default). */
  readonly quantileLevels: readonly number[];
  readonly quantiles: readonly number[];
}

/**
 * Statistics of the rates: mean, sample standard deviation, simple annualised mean
 * (`mean · 8760/intervalHours`), extremes with their times, share of negative rows, share at a
 * cap, and quantiles (default 1, 5, 50, 95, 99 %).
 *
 * @param capRate the venue's clamp, e.g. 0.003 for Binance BTCUSDT before 2023 (±0.3 % per 8 h).
 */
export function fundingStatistics(
  series: FundingSeries,
  levels: readonly number[] = [0.01, 0.05, 0.5, 0.95, 0.99],
  capRate?: number,
): FundingStatistics {
  const n = series.rate.length;
  if (n === 0) throw new InputError("series.rate", n, "is empty", "Load a series with at least one row.");
  let sum = 0;
  let negative = 0;
  let atCap = 0;
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const r = series.rate[i] as number;
    sum += r;
    if (r < 0) negative++;
    if (capRate !== undefined && Math.abs(r) >= capRate) atCap++;
    if (r < (series.rate[min] as number)) min = i;
    if (r > (series.rate[max] as number)) max = i;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((series.rate[i] as number) - mean) ** 2;
  const sorted = Float64Array.from(series.rate).sort();
  return {
    count: n,
    meanRate: mean,
    sdRate: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    annualizedMean: (mean * HOURS_PER_YEAR) / series.intervalHours,
    minRate: series.rate[min] as number,
    minTimeMs: series.time[min] as number,
    maxRate: series.rate[max] as number,
    maxTimeMs: series.time[max] as number,
    shareNegative: negative / n,
    shareAtCap: capRate === undefined ? Number.NaN : atCap / n,
    quantileLevels: levels,
    quantiles: levels.map((p) => quantileSorted(sorted, readNumber(p, "levels", { min: 0, max: 1 }))),
  };
}

/** A funding regime by the sign of the rolling mean. */
export type FundingRegime = "positive" | "neutral" | "negative";

/** One run of consecutive rows in the same regime. */
export interface RegimeRun {
  readonly regime: FundingRegime;
  /** First and last row index (inclusive) of the run. */
  readonly start: number;
  readonly end: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Rows in the run. */
  readonly length: number;
}

/** Regimes of a series and their run lengths. */
export interface FundingRegimes {
  readonly windowRows: number;
  readonly thresholdRate: number;
  /** Rolling mean of the last `windowRows` rates (`NaN` for the first `windowRows − 1` rows). */
  readonly rollingMean: Float64Array;
  /** Runs in time order, from the first full window on. */
  readonly runs: readonly RegimeRun[];
  /** Per regime: number of runs, rows, mean and longest run length (rows). */
  readonly summary: Readonly<
    Record<FundingRegime, { runs: number; rows: number; meanRunRows: number; longestRunRows: number }>
  >;
}

/**
 * Regimes by the rolling mean `m_t` of the last `windowRows` rates: `positive` when
 * `m_t > thresholdRate`, `negative` when `m_t < −thresholdRate`, else `neutral`; consecutive rows in
 * one regime form a run. (A descriptive split, e.g. 21 rows = 7 days of 8-hourly rates with the
 * threshold at Binance's default 0.01 % per 8 h interest-rate component.)
 */
export function fundingRegimes(
  series: FundingSeries,
  windowRows: number,
  thresholdRate: number,
): FundingRegimes {
  readNumber(windowRows, "windowRows", { min: 1, fix: "Pass a window of at least one row, e.g. 21." });
  if (!Number.isInteger(windowRows)) {
    throw new InputError("windowRows", windowRows, "must be a whole number", "Pass a row count, e.g. 21.");
  }
  readNumber(thresholdRate, "thresholdRate", {
    min: 0,
    fix: "Pass a non-negative rate per interval, e.g. 0.0001.",
  });
  const n = series.rate.length;
  const rolling = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += series.rate[i] as number;
    if (i >= windowRows) sum -= series.rate[i - windowRows] as number;
    if (i >= windowRows - 1) rolling[i] = sum / windowRows;
  }
  const label = (m: number): FundingRegime =>
    m > thresholdRate ? "positive" : m < -thresholdRate ? "negative" : "neutral";
  const runs: RegimeRun[] = [];
  for (let i = windowRows - 1; i < n; ) {
    const regime = label(rolling[i] as number);
    let j = i + 1;
    while (j < n && label(rolling[j] as number) === regime) j++;
    runs.push({
      regime,
      start: i,
      end: j - 1,
      startMs: series.time[i] as number,
      endMs: series.time[j - 1] as number,
      length: j - i,
    });
    i = j;
  }
  const summary = {} as Record<
    FundingRegime,
    { runs: number; rows: number; meanRunRows: number; longestRunRows: number }
  >;
  for (const regime of ["positive", "neutral", "negative"] as const) {
    const mine = runs.filter((r) => r.regime === regime);
    const rows = mine.reduce((a, r) => a + r.length, 0);
    summary[regime] = {
      runs: mine.length,
      rows,
      meanRunRows: mine.length > 0 ? rows / mine.length : 0,
      longestRunRows: mine.reduce((a, r) => Math.max(a, r.length), 0),
    };
  }
  return { windowRows, thresholdRate, rollingMean: rolling, runs, summary };
}

/** A position held over a horizon. */
export interface FundingHorizon {
  readonly side: Direction;
  /** Start of the holding period (ms UTC); settlements strictly after it count. */
  readonly fromMs: number;
  readonly horizonHours: number;
  /**
   * Notional in quote currency, held constant; or give `sizeBase` to use `sizeBase · markPrice` at
   * each settlement (the series must have mark prices there).
   */
  readonly notionalQuote?: number;
  readonly sizeBase?: number;
}

/** Funding paid over a horizon. */
export interface FundingCost {
  /** Rows (settlements or days) in `(fromMs, fromMs + horizon]`. */
  readonly rows: number;
  readonly timeMs: Float64Array;
  /** Payment of each row, quote currency, positive = paid by the position. */
  readonly payment: Float64Array;
  /** Sum of the payments. */
  readonly totalQuote: number;
  /** `totalQuote` over the (first) notional. */
  readonly totalFraction: number;
}

/**
 * Funding paid by a position over `(fromMs, fromMs + horizonHours]`: each row pays
 * `side · rate · notional · stepHours/intervalHours` (Binance's funding fee, module comment), with
 * `side` +1 long, −1 short and the notional constant or `sizeBase · mark` at the row.
 * Throws an {@link InputError} when the horizon reaches a settlement the series does not hold
 * (at or after the step following the last row, or a step or more before the first row).
 */
export function fundingCost(series: FundingSeries, position: FundingHorizon): FundingCost {
  const side = readChoice(position.side, "side", ["long", "short"] as const) === "long" ? 1 : -1;
  const from = readNumber(position.fromMs, "fromMs", { fix: "Pass the start time in epoch ms." });
  const hours = readNumber(position.horizonHours, "horizonHours", { min: 0 });
  const to = from + hours * HOUR_MS;
  const stepMs = series.stepHours * HOUR_MS;
  const last = series.time[series.time.length - 1] ?? Number.NEGATIVE_INFINITY;
  const first = series.time[0] ?? Number.POSITIVE_INFINITY;
  // A settlement would be missing if the horizon reached the next step after the last row, or
  // started a step or more before the first row.
  if (to >= last + stepMs || from < first - stepMs) {
    throw new InputError(
      "horizonHours",
      hours,
      `runs from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}, outside the series (${new Date(first).toISOString()} to ${new Date(last).toISOString()})`,
      "Choose a period the funding series covers.",
    );
  }
  const notionalOf = notional(series, position);
  const perRow = series.stepHours / series.intervalHours;
  const times: number[] = [];
  const payments: number[] = [];
  let total = 0;
  let firstNotional = Number.NaN;
  for (let i = lowerBound(series.time, from); i < series.time.length; i++) {
    const t = series.time[i] as number;
    if (t <= from) continue;
    if (t > to) break;
    const n = notionalOf(i);
    if (Number.isNaN(firstNotional)) firstNotional = n;
    const p = side * (series.rate[i] as number) * n * perRow;
    times.push(t);
    payments.push(p);
    total += p;
  }
  return {
    rows: times.length,
    timeMs: Float64Array.from(times),
    payment: Float64Array.from(payments),
    totalQuote: total,
    totalFraction: times.length > 0 ? total / firstNotional : 0,
  };
}

/** An isolated linear position whose margin pays funding. */
export interface MarginedPosition extends FundingHorizon {
  /** Entry (and held) price, quote per base. */
  readonly entryPrice: number;
  /** Isolated margin at the start, quote currency. */
  readonly marginQuote: number;
  /** Maintenance margin rate (fraction of notional), e.g. 0.004. */
  readonly maintenanceMarginRate: number;
}

/** The margin and liquidation distance after each funding payment. */
export interface FundingDrag {
  readonly timeMs: Float64Array;
  readonly payment: Float64Array;
  /** Margin after each payment. */
  readonly marginQuote: Float64Array;
  /** Liquidation price after each payment. */
  readonly liquidationPrice: Float64Array;
  /** Adverse move to liquidation, fraction of the entry price: long `(P − P_liq)/P`, short `(P_liq − P)/P`. */
  readonly distance: Float64Array;
  readonly initialDistance: number;
  /** `initialDistance − final distance`: how much of the buffer funding ate (negative when it added). */
  readonly distanceErosion: number;
  /** Index of the first payment after which the margin is at or below maintenance (−1 if none). */
  readonly liquidatedByFundingAt: number;
}

/**
 * Funding drag on an isolated linear position held at its entry price `P` with size `q`: the margin
 * falls by each payment (`m_k = m_{k−1} − payment_k`, {@link fundingCost}) and the liquidation price
 * moves with it. Liquidation price of an isolated one-way USDⓈ-M position with a single
 * maintenance rate `mmr` and no maintenance amount (Binance "How to Calculate Liquidation Price of
 * USDⓈ-M Futures Contracts", https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93,
 * with one position and cum = 0): long `P_liq = (P − m/q)/(1 − mmr)`, short
 * `P_liq = (P + m/q)/(1 + mmr)`. The price is held constant so that only funding moves the distance;
 * fees and tiered rates are left out.
 */
export function fundingDrag(series: FundingSeries, position: MarginedPosition): FundingDrag {
  const price = readNumber(position.entryPrice, "entryPrice", { min: 0, exclusiveMin: true });
  const mmr = readNumber(position.maintenanceMarginRate, "maintenanceMarginRate", {
    min: 0,
    max: 1,
    exclusiveMin: false,
  });
  const margin0 = readNumber(position.marginQuote, "marginQuote", { min: 0, exclusiveMin: true });
  const size =
    position.sizeBase ??
    readNumber(position.notionalQuote, "notionalQuote", { min: 0, exclusiveMin: true }) / price;
  readNumber(size, "sizeBase", { min: 0, exclusiveMin: true });
  const long = position.side === "long";
  const cost = fundingCost(series, {
    side: position.side,
    fromMs: position.fromMs,
    horizonHours: position.horizonHours,
    notionalQuote: size * price,
  });
  const liq = (m: number) => (long ? (price - m / size) / (1 - mmr) : (price + m / size) / (1 + mmr));
  const dist = (pl: number) => (long ? (price - pl) / price : (pl - price) / price);
  const k = cost.rows;
  const margin = new Float64Array(k);
  const liquidationPrice = new Float64Array(k);
  const distance = new Float64Array(k);
  let m = margin0;
  let liquidatedAt = -1;
  for (let i = 0; i < k; i++) {
    m -= cost.payment[i] as number;
    margin[i] = m;
    liquidationPrice[i] = liq(m);
    distance[i] = dist(liquidationPrice[i] as number);
    if (liquidatedAt < 0 && m <= mmr * size * price) liquidatedAt = i;
  }
  const initialDistance = dist(liq(margin0));
  return {
    timeMs: cost.timeMs,
    payment: cost.payment,
    marginQuote: margin,
    liquidationPrice,
    distance,
    initialDistance,
    distanceErosion: initialDistance - (k > 0 ? (distance[k - 1] as number) : initialDistance),
    liquidatedByFundingAt: liquidatedAt,
  };
}

/** A function giving the notional at row i: constant, or `sizeBase · mark`. */
function notional(series: FundingSeries, position: FundingHorizon): (i: number) => number {
  if (position.notionalQuote !== undefined) {
    const n = readNumber(position.notionalQuote, "notionalQuote", { min: 0, exclusiveMin: true });
    return () => n;
  }
  if (position.sizeBase === undefined) {
    throw new InputError(
      "notionalQuote",
      undefined,
      "is missing, and so is sizeBase",
      "Pass notionalQuote or sizeBase.",
    );
  }
  const size = readNumber(position.sizeBase, "sizeBase", { min: 0, exclusiveMin: true });
  return (i) => {
    const mark = series.markPrice[i] as number;
    if (!Number.isFinite(mark)) {
      throw new InputError(
        `markPrice at ${new Date(series.time[i] as number).toISOString()}`,
        mark,
        "is missing, so sizeBase cannot be valued",
        "Pass notionalQuote instead, or a series with mark prices over the horizon.",
      );
    }
    return size * mark;
  };
}

/** First index with `time[i] ≥ t` (binary search). */
function lowerBound(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((time[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

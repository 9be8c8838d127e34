/**
 * Binance's mark price for USDⓈ-M and COIN-M perpetual contracts ("Mark Price in USDⓈ-M futures",
 * https://www.binance.com/en/support/faq/360033525071, and the announcement of 2025-09-16 that
 * shortened the basis average from one minute to 30 seconds from 2025-09-18 08:01 UTC):
 *
 * - Mark Price = Median(Price 1, Price 2, Contract Price);
 * - Price 1 = Price Index × (1 + Last Funding Rate × Time Until Funding / Funding Interval);
 * - Price 2 = Price Index + Moving Average (30-second basis), the average of 30 data points taken
 *   once a second, each `(Bid1 + Ask1)/2 − Price Index`;
 * - Contract Price is the contract's last traded price.
 *
 * The FAQ's COIN-M page writes the interval as 8 (hours) for 8-hour contracts; for contracts that
 * settle funding every N hours the interval is N hours (docs/assumptions.md, "Oracles and mark
 * prices"). Binance publishes no worked numeric example.
 */
import { median3 } from "../math/median.js";
import { checkPathLengths, readNumber, readStepSeconds } from "../validate.js";

/** The inputs of one mark-price evaluation. */
export interface BinanceMarkInputs {
  /** Price Index (volume-weighted spot index), quote per base. */
  readonly indexPrice: number;
  /** Last funding rate per interval, a fraction (0.0001 = 0.01 %). */
  readonly lastFundingRate: number;
  /** Time until the next funding settlement, seconds. */
  readonly secondsToFunding: number;
  /** Funding interval, seconds (8 h = 28,800). */
  readonly fundingIntervalSeconds: number;
  /** Moving average of the basis `(Bid1 + Ask1)/2 − Price Index` over the window, quote per base. */
  readonly basisAverage: number;
  /** Contract Price: the last traded price. */
  readonly lastPrice: number;
}

/**
 * One Binance perpetual mark price: `median(index·(1 + r·τ/T), index + basisAverage, last)` with r
 * the last funding rate, τ the time until funding and T the funding interval (module comment).
 *
 * @example index 100, r = 0.0001, τ = 4 h of T = 8 h, basis average 0.2, last 100.5:
 * Price 1 = 100.005, Price 2 = 100.2, mark = 100.2 (test/parity/mark-price.test.ts).
 */
export function binancePerpMarkPrice(x: BinanceMarkInputs): number {
  return markOf(
    x.indexPrice,
    x.lastFundingRate,
    x.secondsToFunding,
    x.fundingIntervalSeconds,
    x.basisAverage,
    x.lastPrice,
  );
}

/** {@link binancePerpMarkPrice} on positional arguments (the path loop allocates nothing). */
function markOf(
  index: number,
  rate: number,
  secondsToFunding: number,
  interval: number,
  basisAverage: number,
  last: number,
): number {
  return median3(index * (1 + (rate * secondsToFunding) / interval), index + basisAverage, last);
}

/** The clock and windows of a mark-price path. */
export interface BinanceMarkPathOptions {
  /** Time between path steps, seconds. */
  readonly stepSeconds: number;
  /** Funding interval, seconds; 8 h (28,800) by default. */
  readonly fundingIntervalSeconds?: number;
  /**
   * Seconds from the path's first step to its first funding settlement; one full interval by
   * default (the path starts at a settlement).
   */
  readonly firstFundingSeconds?: number;
  /** The basis moving-average window, seconds; 30 by default (since 2025-09-18). */
  readonly basisWindowSeconds?: number;
}

/**
 * Binance perpetual mark prices along a path, written to `out` without allocating: at step i (time
 * `t = i·step`) the basis average is the mean of `mid − index` over the last
 * `m = max(1, round(window/step))` steps (fewer at the start of the path), the time until funding is
 * `((firstFunding − t) mod T)`, a full interval T at a settlement instant, and the mark is
 * {@link binancePerpMarkPrice} of them.
 *
 * @param index the Price Index path
 * @param mid the contract's mid `(Bid1 + Ask1)/2` path
 * @param last the contract's last-price path
 * @param fundingRate the last funding rate, per step or one value for the whole path
 * @param out the mark prices, same length as `index`
 */
export function binancePerpMarkPath(
  index: Float64Array,
  mid: Float64Array,
  last: Float64Array,
  fundingRate: Float64Array | number,
  options: BinanceMarkPathOptions,
  out: Float64Array,
): void {
  const n = index.length;
  checkPathLengths(n, {
    mid,
    last,
    out,
    fundingRate: typeof fundingRate === "number" ? undefined : fundingRate,
  });
  const step = readStepSeconds(options.stepSeconds);
  const interval = readNumber(options.fundingIntervalSeconds ?? 8 * 3600, "fundingIntervalSeconds", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the funding interval in seconds, e.g. 28800 for 8 hours.",
  });
  const first = readNumber(options.firstFundingSeconds ?? interval, "firstFundingSeconds", {
    min: 0,
    fix: "Pass the seconds from the path's start to its first funding settlement.",
  });
  const window = readNumber(options.basisWindowSeconds ?? 30, "basisWindowSeconds", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the basis window in seconds, e.g. 30.",
  });
  const m = Math.max(1, Math.round(window / step));
  let basisSum = 0;
  for (let i = 0; i < n; i++) {
    basisSum += (mid[i] as number) - (index[i] as number);
    if (i >= m) basisSum -= (mid[i - m] as number) - (index[i - m] as number);
    const t = i * step;
    const d = (((first - t) % interval) + interval) % interval;
    out[i] = markOf(
      index[i] as number,
      typeof fundingRate === "number" ? fundingRate : (fundingRate[i] as number),
      d === 0 ? interval : d,
      interval,
      basisSum / Math.min(i + 1, m),
      last[i] as number,
    );
  }
}

/**
 * Hyperliquid's oracle and mark prices (docs "Oracle",
 * https://hyperliquid.gitbook.io/hyperliquid-docs/hypercore/oracle, and "Robust price indices",
 * https://hyperliquid.gitbook.io/hyperliquid-docs/trading/robust-price-indices):
 *
 * - the oracle price is, per validator, the weighted median of Binance, OKX, Bybit, Kraken, Kucoin,
 *   Gate IO, MEXC and Hyperliquid spot mid prices with weights 3, 2, 2, 1, 1, 1, 1, 1 (Hyperliquid's
 *   own spot excluded for assets whose primary spot liquidity is elsewhere, e.g. BTC); the
 *   clearinghouse takes the stake-weighted median of the validators' prices, published about every
 *   3 seconds;
 * - the mark price is the median of (1) the oracle price plus a 150-second EMA of (Hyperliquid mid −
 *   oracle), (2) the median of Hyperliquid's best bid, best ask and last trade, (3) the median of
 *   Binance, OKX and Bybit perpetual mid prices; if exactly two of the three exist, the 30-second EMA
 *   of (2) is added to the median's inputs;
 * - the EMA of a sample arriving t seconds after the last update: `numerator ← numerator·e^{−t/τ} +
 *   sample·t`, `denominator ← denominator·e^{−t/τ} + t`, `ema = numerator/denominator`, τ = 2.5 min.
 *
 * The docs give no worked numeric example.
 */
import { InputError } from "../errors.js";
import { median3, weightedMedian } from "../math/median.js";
import { checkPathLengths, readStepSeconds } from "../validate.js";

/** The oracle's sources and weights, in the docs' order. */
const HYPERLIQUID_ORACLE_WEIGHTS: Readonly<Record<string, number>> = {
  binance: 3,
  okx: 2,
  bybit: 2,
  kraken: 1,
  kucoin: 1,
  gate: 1,
  mexc: 1,
  hyperliquid: 1,
};

/**
 * One validator's oracle price: the weighted median ({@link weightedMedian}) of the spot mid prices
 * given, with {@link HYPERLIQUID_ORACLE_WEIGHTS}; a source left out (or NaN) does not vote, as
 * Hyperliquid's spot for BTC.
 *
 * @example binance 100, okx 101, bybit 99, kraken 103 (W = 8): sorted 99 (2), 100 (3) → cumulative
 * 5 > 4 → 100.
 */
export function hyperliquidOraclePrice(spotMid: Readonly<Record<string, number>>): number {
  const values: number[] = [];
  const weights: number[] = [];
  for (const [source, price] of Object.entries(spotMid)) {
    const w = HYPERLIQUID_ORACLE_WEIGHTS[source];
    if (w === undefined) {
      throw new InputError(
        `spotMid.${source}`,
        price,
        "is not one of Hyperliquid's oracle sources",
        `Use ${Object.keys(HYPERLIQUID_ORACLE_WEIGHTS).join(", ")}.`,
      );
    }
    values.push(price);
    weights.push(w);
  }
  return weightedMedian(values, weights);
}

/** The running sums of Hyperliquid's EMA; both 0 before the first sample. */
export interface HyperliquidEma {
  numerator: number;
  denominator: number;
}

/**
 * Feeds one sample to a Hyperliquid EMA (module comment) arriving `dtSeconds` after the previous
 * one and returns the new average; mutates `ema`. The first sample (both sums 0) is the average.
 *
 * @param timeConstantSeconds τ: 150 for the mark's basis EMA, 30 for the book EMA
 */
export function hyperliquidEmaUpdate(
  ema: HyperliquidEma,
  sample: number,
  dtSeconds: number,
  timeConstantSeconds: number,
): number {
  return emaStep(ema, sample, dtSeconds, Math.exp(-dtSeconds / timeConstantSeconds));
}

/** {@link hyperliquidEmaUpdate} with its decay `e^{−t/τ}` given (a path's steps share one). */
function emaStep(ema: HyperliquidEma, sample: number, dtSeconds: number, decay: number): number {
  ema.numerator = ema.numerator * decay + sample * dtSeconds;
  ema.denominator = ema.denominator * decay + dtSeconds;
  return ema.numerator / ema.denominator;
}

/** The inputs of one Hyperliquid mark price; a missing input is NaN. */
export interface HyperliquidMarkInputs {
  readonly oraclePrice: number;
  /** The 150-second EMA of (Hyperliquid mid − oracle). */
  readonly basisEma: number;
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly lastTrade: number;
  /** Median of the Binance, OKX and Bybit perpetual mid prices (NaN when not available). */
  readonly externalPerpMid: number;
  /** The 30-second EMA of median(best bid, best ask, last trade), used when two inputs exist. */
  readonly bookEma: number;
}

/**
 * One Hyperliquid mark price (module comment): the median of `oracle + basisEma`,
 * `median(bid, ask, last)` and `externalPerpMid`; with exactly two of them, the median of those two
 * and `bookEma` (their midpoint while the book EMA has no sample); with one, that one (the docs do
 * not say; docs/assumptions.md); with none, NaN.
 *
 * @example oracle 100, basis EMA 0.2, book 100.1/100.3 last 100.25, external 100.15: inputs 100.2,
 * 100.25, 100.15 → 100.2. Without the external price, the book EMA 100.22 joins: median(100.2,
 * 100.25, 100.22) = 100.22.
 */
export function hyperliquidMarkPrice(x: HyperliquidMarkInputs): number {
  return markOf(
    x.oraclePrice + x.basisEma,
    median3(x.bestBid, x.bestAsk, x.lastTrade),
    x.externalPerpMid,
    x.bookEma,
  );
}

/** {@link hyperliquidMarkPrice} from its three components and the book EMA (NaN = missing). */
function markOf(fromOracle: number, fromBook: number, external: number, bookEma: number): number {
  const a = !Number.isNaN(fromOracle);
  const b = !Number.isNaN(fromBook);
  const c = !Number.isNaN(external);
  const count = (a ? 1 : 0) + (b ? 1 : 0) + (c ? 1 : 0);
  if (count === 3) return median3(fromOracle, fromBook, external);
  if (count === 2) {
    const x = a ? fromOracle : fromBook;
    const y = c ? external : fromBook;
    return Number.isNaN(bookEma) ? (x + y) / 2 : median3(x, y, bookEma);
  }
  if (count === 1) return a ? fromOracle : b ? fromBook : external;
  return Number.NaN;
}

/** The price paths a Hyperliquid mark is computed from, one value per step (NaN = missing). */
export interface HyperliquidMarkPaths {
  readonly oracle: Float64Array;
  readonly bestBid: Float64Array;
  readonly bestAsk: Float64Array;
  readonly lastTrade: Float64Array;
  /** Median of the external perpetual mids; omit when the asset has none. */
  readonly externalPerpMid?: Float64Array;
}

/**
 * Hyperliquid mark prices along a path of oracle updates `stepSeconds` apart (about 3 s on the
 * venue), written to `out` without allocating: at each step the 150-second EMA of `mid − oracle`
 * (mid = (bid + ask)/2) and the 30-second EMA of `median(bid, ask, last)` take the step's sample
 * (t = `stepSeconds`; the first sample is the average), then {@link hyperliquidMarkPrice}. A NaN
 * sample leaves its EMA unchanged; the basis EMA is 0 until the first mid (the oracle alone).
 */
export function hyperliquidMarkPath(
  paths: HyperliquidMarkPaths,
  stepSeconds: number,
  out: Float64Array,
): void {
  const n = paths.oracle.length;
  checkPathLengths(n, {
    bestBid: paths.bestBid,
    bestAsk: paths.bestAsk,
    lastTrade: paths.lastTrade,
    externalPerpMid: paths.externalPerpMid,
    out,
  });
  readStepSeconds(stepSeconds);
  const basis: HyperliquidEma = { numerator: 0, denominator: 0 };
  const book: HyperliquidEma = { numerator: 0, denominator: 0 };
  let basisEma = 0;
  let bookEma = Number.NaN;
  const basisDecay = Math.exp(-stepSeconds / 150);
  const bookDecay = Math.exp(-stepSeconds / 30);
  for (let i = 0; i < n; i++) {
    const oracle = paths.oracle[i] as number;
    const bid = paths.bestBid[i] as number;
    const ask = paths.bestAsk[i] as number;
    const fromBook = median3(bid, ask, paths.lastTrade[i] as number);
    const gap = (bid + ask) / 2 - oracle;
    if (!Number.isNaN(gap)) basisEma = emaStep(basis, gap, stepSeconds, basisDecay);
    if (!Number.isNaN(fromBook)) bookEma = emaStep(book, fromBook, stepSeconds, bookDecay);
    const external = paths.externalPerpMid === undefined ? Number.NaN : (paths.externalPerpMid[i] as number);
    out[i] = markOf(oracle + basisEma, fromBook, external, bookEma);
  }
}

/**
 * Walking an L2 book: what a market order of a given size would pay, and how much depth rests
 * within a distance of the mid.
 *
 * Book walk (shared/research/quant.md §3.9): a market order of size Q takes the best levels in
 * turn, `min(q_i, remaining)` at each price `p_i`; its volume-weighted average price is
 * `VWAP = Σ p_i·b_i / Σ b_i` with `b_i` the base amount taken at level i (equivalently quote paid /
 * base received, which for an inverse contract is the contract-weighted harmonic mean of the
 * prices, BitMEX's average entry price); its slippage against the mid is `(VWAP − mid)/mid` for a
 * buy and `(mid − VWAP)/mid` for a sell, so that a cost is positive. This is the immediate cost
 * against a static book: no refill, no hidden liquidity, no latency.
 */
import { InputError } from "../errors.js";
import { readChoice, readNumber } from "../validate.js";
import { levelBase, levelQuote, midPrice, type OrderBook } from "./orderbook.js";

/** Order direction: a buy takes the asks, a sell takes the bids. */
export type OrderSide = "buy" | "sell";
/** Unit of an order amount: base asset (BTC), quote currency (USD) or contracts. */
export type AmountUnit = "base" | "quote" | "contracts";

/** The result of a market order walked through a book. */
export interface BookWalk {
  readonly side: OrderSide;
  readonly unit: AmountUnit;
  /** The order amount, in `unit`. */
  readonly requested: number;
  /** Filled amounts. */
  readonly filledBase: number;
  readonly filledQuote: number;
  readonly filledContracts: number;
  /** Amount left unfilled when the side ran out, in `unit` (0 when fully filled). */
  readonly unfilled: number;
  /** True when the order took the whole side and part of it is left unfilled. */
  readonly exhausted: boolean;
  /** Mid price of the book before the order. */
  readonly midPrice: number;
  /** Volume-weighted average fill price, quote / base (`NaN` when nothing filled). */
  readonly vwap: number;
  /** Best price of the side taken. */
  readonly bestPrice: number;
  /** Price of the last level touched. */
  readonly worstPrice: number;
  /** Levels touched, the last one possibly in part. */
  readonly levelsConsumed: number;
  /** Cost against the mid as a fraction (positive = worse than mid): buy `(vwap − mid)/mid`, sell `(mid − vwap)/mid`. */
  readonly slippage: number;
  /** `slippage` in basis points. */
  readonly slippageBps: number;
  /** Cost against the mid in quote currency: `slippage · mid · filledBase` = |quote paid − mid · base|. */
  readonly slippageQuote: number;
}

/**
 * Walks a market order of `amount` (in `unit`) through the book.
 *
 * Formula: quant.md §3.9 (module comment). A level's amount in `unit` is its size in contracts, or
 * its base/quote amount (`levelBase`, `levelQuote`); a level taken in part contributes the same
 * fraction of its contracts, base and quote. If the side runs out, the remainder is reported in
 * `unfilled` and `exhausted` is true; the VWAP and slippage are those of the filled part. A
 * remainder below 10⁻¹² of the order counts as filled (round-off of the running subtraction).
 *
 * @example Hand-checked (test/market/book-walk.test.ts): asks 101 × 1, 102 × 2, 104 × 5, best bid
 * 99 (mid 100); buying 2.5 base takes 1 @ 101 + 1.5 @ 102: VWAP = 254/2.5 = 101.6, slippage 1.6 %
 * = 160 bps, 2 levels, worst price 102.
 */
export function walkBook(
  book: OrderBook,
  side: OrderSide,
  amount: number,
  unit: AmountUnit = "base",
): BookWalk {
  readChoice(side, "side", ["buy", "sell"] as const);
  readChoice(unit, "unit", ["base", "quote", "contracts"] as const);
  readNumber(amount, "amount", { min: 0, fix: "Pass the order size as a non-negative number." });
  const price = side === "buy" ? book.askPrice : book.bidPrice;
  const size = side === "buy" ? book.askSize : book.bidSize;
  const mid = midPrice(book);
  if (!Number.isFinite(mid)) {
    throw new InputError(
      `${book.symbol} book`,
      [book.bidPrice.length, book.askPrice.length],
      "has an empty side, so it has no mid price",
      "Walk a book with levels on both sides.",
    );
  }
  const contract = book.contract;
  // A remainder below 1e-12 of the order is round-off of the subtractions, not an unfilled part.
  const roundOff = amount * 1e-12;
  let remaining = amount;
  let base = 0;
  let quote = 0;
  let contracts = 0;
  let levels = 0;
  let worst = Number.NaN;
  for (let i = 0; i < price.length && remaining > roundOff; i++) {
    const p = price[i] as number;
    const q = size[i] as number;
    const b = levelBase(contract, p, q);
    const v = levelQuote(contract, p, q);
    const available = unit === "base" ? b : unit === "quote" ? v : q;
    levels++;
    worst = p;
    if (available <= remaining) {
      base += b;
      quote += v;
      contracts += q;
      remaining -= available;
    } else {
      const f = remaining / available;
      base += f * b;
      quote += f * v;
      contracts += f * q;
      remaining = 0;
    }
  }
  if (remaining <= roundOff) remaining = 0;
  const vwap = base > 0 ? quote / base : Number.NaN;
  const slippage = base > 0 ? (side === "buy" ? vwap - mid : mid - vwap) / mid : 0;
  return {
    side,
    unit,
    requested: amount,
    filledBase: base,
    filledQuote: quote,
    filledContracts: contracts,
    unfilled: remaining,
    exhausted: remaining > 0,
    midPrice: mid,
    vwap,
    bestPrice: price.length > 0 ? (price[0] as number) : Number.NaN,
    worstPrice: worst,
    levelsConsumed: levels,
    slippage,
    slippageBps: slippage * 1e4,
    slippageQuote: Math.abs(quote - mid * base),
  };
}

/** Cumulative depth within distances of the mid, both sides. */
export interface DepthCurve {
  /** Distances from the mid, basis points (as given, ascending). */
  readonly distanceBps: Float64Array;
  /** Bid size resting at prices ≥ `mid·(1 − d/10⁴)`: base units, quote units, contracts. */
  readonly bidBase: Float64Array;
  readonly bidQuote: Float64Array;
  readonly bidContracts: Float64Array;
  /** Ask size resting at prices ≤ `mid·(1 + d/10⁴)`. */
  readonly askBase: Float64Array;
  readonly askQuote: Float64Array;
  readonly askContracts: Float64Array;
}

/**
 * Cumulative depth curve: for each distance `d` (bps, ascending, ≥ 0) the size resting within `d`
 * of the mid on each side — bids priced at or above `mid·(1 − d/10⁴)`, asks at or below
 * `mid·(1 + d/10⁴)` — in base, quote and contracts.
 */
export function depthCurve(book: OrderBook, distanceBps: ArrayLike<number>): DepthCurve {
  const n = distanceBps.length;
  const d = Float64Array.from(distanceBps);
  for (let k = 0; k < n; k++) {
    const x = d[k] as number;
    if (!(Number.isFinite(x) && x >= 0) || (k > 0 && x < (d[k - 1] as number))) {
      throw new InputError(
        `distanceBps[${k}]`,
        x,
        "must be finite, non-negative and not below the previous distance",
        "Pass distances from the mid in bps, ascending (e.g. [5, 10, 25, 50, 100]).",
      );
    }
  }
  const mid = midPrice(book);
  const out = {
    distanceBps: d,
    bidBase: new Float64Array(n),
    bidQuote: new Float64Array(n),
    bidContracts: new Float64Array(n),
    askBase: new Float64Array(n),
    askQuote: new Float64Array(n),
    askContracts: new Float64Array(n),
  };
  const accumulate = (
    price: Float64Array,
    size: Float64Array,
    within: (p: number, limit: number) => boolean,
    limitOf: (dist: number) => number,
    base: Float64Array,
    quote: Float64Array,
    contracts: Float64Array,
  ) => {
    let i = 0;
    let b = 0;
    let v = 0;
    let c = 0;
    for (let k = 0; k < n; k++) {
      const limit = limitOf(d[k] as number);
      while (i < price.length && within(price[i] as number, limit)) {
        const p = price[i] as number;
        const q = size[i] as number;
        b += levelBase(book.contract, p, q);
        v += levelQuote(book.contract, p, q);
        c += q;
        i++;
      }
      base[k] = b;
      quote[k] = v;
      contracts[k] = c;
    }
  };
  accumulate(
    book.bidPrice,
    book.bidSize,
    (p, limit) => p >= limit,
    (x) => mid * (1 - x / 1e4),
    out.bidBase,
    out.bidQuote,
    out.bidContracts,
  );
  accumulate(
    book.askPrice,
    book.askSize,
    (p, limit) => p <= limit,
    (x) => mid * (1 + x / 1e4),
    out.askBase,
    out.askQuote,
    out.askContracts,
  );
  return out;
}

/** Time-average and stressed depth over several snapshots, per distance and side (quote units). */
export interface DepthStatistics {
  readonly distanceBps: Float64Array;
  readonly snapshots: number;
  /** The lower quantile used for the stressed depth (e.g. 0.1). */
  readonly stressQuantile: number;
  readonly bidQuoteMean: Float64Array;
  readonly bidQuoteStressed: Float64Array;
  readonly askQuoteMean: Float64Array;
  readonly askQuoteStressed: Float64Array;
}

/**
 * Mean and stressed (lower-quantile, default 10th percentile) depth within each distance of the
 * mid across snapshots (quant.md §3.9: "time-average several snapshots; depth thins in crashes, use
 * stressed depth, e.g. 10th percentile"). Each snapshot counts once (an equal-weight average over
 * snapshots, not over time: take snapshots on a regular clock, e.g. `bitmexBookSnapshots` with a
 * step). The quantile is {@link quantileSorted}'s linear interpolation.
 */
export function depthStatistics(
  books: readonly OrderBook[],
  distanceBps: ArrayLike<number>,
  stressQuantile = 0.1,
): DepthStatistics {
  if (books.length === 0) {
    throw new InputError("books", books, "is empty", "Pass at least one book snapshot.");
  }
  readNumber(stressQuantile, "stressQuantile", { min: 0, max: 1, fix: "Pass a probability such as 0.1." });
  const curves = books.map((b) => depthCurve(b, distanceBps));
  const n = distanceBps.length;
  const column = new Float64Array(books.length);
  const reduce = (pick: (c: DepthCurve) => Float64Array) => {
    const mean = new Float64Array(n);
    const stressed = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let sum = 0;
      curves.forEach((c, j) => {
        const x = pick(c)[k] as number;
        column[j] = x;
        sum += x;
      });
      mean[k] = sum / books.length;
      column.sort();
      stressed[k] = quantileSorted(column, stressQuantile);
    }
    return { mean, stressed };
  };
  const bid = reduce((c) => c.bidQuote);
  const ask = reduce((c) => c.askQuote);
  return {
    distanceBps: Float64Array.from(distanceBps),
    snapshots: books.length,
    stressQuantile,
    bidQuoteMean: bid.mean,
    bidQuoteStressed: bid.stressed,
    askQuoteMean: ask.mean,
    askQuoteStressed: ask.stressed,
  };
}

/** Slippage of one order across snapshots. */
export interface SlippageStatistics {
  readonly snapshots: number;
  /** Equal-weight mean slippage (fraction) over the snapshots. */
  readonly mean: number;
  /** The upper quantile used for the stressed slippage (e.g. 0.9). */
  readonly stressQuantile: number;
  /** Slippage at `stressQuantile` across snapshots (fraction). */
  readonly stressed: number;
  readonly max: number;
  /** Snapshots whose side could not fill the order (their slippage is that of the filled part). */
  readonly exhaustedSnapshots: number;
}

/**
 * Mean and stressed (upper-quantile, default 90th percentile) slippage of the same market order
 * walked through each snapshot: the cost-side counterpart of {@link depthStatistics}.
 */
export function slippageStatistics(
  books: readonly OrderBook[],
  side: OrderSide,
  amount: number,
  unit: AmountUnit = "base",
  stressQuantile = 0.9,
): SlippageStatistics {
  if (books.length === 0) {
    throw new InputError("books", books, "is empty", "Pass at least one book snapshot.");
  }
  readNumber(stressQuantile, "stressQuantile", { min: 0, max: 1, fix: "Pass a probability such as 0.9." });
  const slippage = new Float64Array(books.length);
  let sum = 0;
  let exhausted = 0;
  books.forEach((book, i) => {
    const w = walkBook(book, side, amount, unit);
    slippage[i] = w.slippage;
    sum += w.slippage;
    if (w.exhausted) exhausted++;
  });
  slippage.sort();
  return {
    snapshots: books.length,
    mean: sum / books.length,
    stressQuantile,
    stressed: quantileSorted(slippage, stressQuantile),
    max: slippage[slippage.length - 1] as number,
    exhaustedSnapshots: exhausted,
  };
}

/**
 * Quantile of ascending `sorted` values by linear interpolation between order statistics
 * (Hyndman–Fan type 7, numpy's default): position `h = (n − 1)·p`, value
 * `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

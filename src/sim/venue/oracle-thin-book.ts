/**
 * Collateral marked on the venue's own book: the collateral's price is what selling a stated amount
 * into the venue's own L2 bids would fetch ({@link walkBook}). On 2025-10-10 Binance marked
 * collateral on its own spot books and printed USDe at 0.65, wBETH at about 430 against ETH above
 * 3,800 (−88 %) and BNSOL at 34.90 (CoinDesk, via shared research venue-side.md), where the assets'
 * redemption values had not moved: a thin book under a wave of sales, not the assets, set the mark.
 */
import { walkBook } from "../../market/book-walk.js";
import type { OrderBook } from "../../market/orderbook.js";
import { checkPathLengths, readChoice } from "../../validate.js";

/** Which price of the sale marks the collateral. */
export type ThinBookRule = "vwap" | "marginal";

/** A collateral mark from one book. */
export interface ThinBookMark {
  /** The mark: the sale's VWAP (`"vwap"`) or the last bid it reached (`"marginal"`). */
  readonly mark: number;
  /** The book's mid before the sale. */
  readonly midPrice: number;
  /** `1 − mark/mid`: how far below the mid the collateral is marked. */
  readonly discount: number;
  /** True when the bids could not absorb the sale (the mark is that of the part filled). */
  readonly exhausted: boolean;
}

/**
 * Marks collateral by selling `saleBase` base units into `book`'s bids: the mark is the sale's
 * volume-weighted price (`rule = "vwap"`) or the price of the last bid level it reached
 * (`"marginal"`, the last trade the sale prints), with its discount to the mid.
 *
 * @example bids 0.999 × 1,000, 0.99 × 2,000, 0.90 × 5,000, 0.65 × 50,000, ask 1.001 (mid 1.0);
 * selling 10,000: VWAP = (999 + 1,980 + 4,500 + 1,300)/10,000 = 0.8779, marginal 0.65 (the
 * 2025-10-10 USDe print).
 */
export function thinBookMark(book: OrderBook, saleBase: number, rule: ThinBookRule = "vwap"): ThinBookMark {
  readChoice(rule, "rule", ["vwap", "marginal"] as const);
  const walk = walkBook(book, "sell", saleBase, "base");
  const mark = saleBase === 0 ? walk.midPrice : rule === "vwap" ? walk.vwap : walk.worstPrice;
  return { mark, midPrice: walk.midPrice, discount: 1 - mark / walk.midPrice, exhausted: walk.exhausted };
}

/**
 * Thin-book marks along a price path, written to `out` without allocating: the book's shape is
 * taken to move with the price (each level's distance from the mid in proportion, its size in base
 * units unchanged), so the mark at step i is `price_i × mark/mid` of {@link thinBookMark} on the
 * given book. Returns that one-book mark.
 *
 * @param price the collateral's reference price path (its mid, or its redemption value)
 */
export function thinBookMarkPath(
  price: Float64Array,
  book: OrderBook,
  saleBase: number,
  rule: ThinBookRule,
  out: Float64Array,
): ThinBookMark {
  checkPathLengths(price.length, { out });
  const m = thinBookMark(book, saleBase, rule);
  const ratio = m.mark / m.midPrice;
  for (let i = 0; i < price.length; i++) out[i] = (price[i] as number) * ratio;
  return m;
}

/**
 * The cost of closing a position into an order book (what `liqopt book` prints): the walk of a
 * market order both ways, depth around the mid, the liquidation-cost curve over sizes and, over a
 * recording's snapshots, the mean and stressed slippage.
 */
import {
  type AmountUnit,
  type BookWalk,
  depthCurve,
  slippageStatistics,
  walkBook,
} from "../market/book-walk.js";
import { midPrice, type OrderBook, spreadBps } from "../market/orderbook.js";
import { type LiquidationCost, liquidationCostCurve } from "./liquidation-cost.js";

/** Order books to report on: one ccxt OrderBook, or every snapshot of a BitMEX recording's symbol. */
export interface LoadedBooks {
  /** The file (or name) the books were read from. */
  source: string;
  kind: "ccxt" | "bitmex-recording";
  /** Snapshots in time order; the last one is the book the walk uses. */
  books: OrderBook[];
}

/** Options of {@link bookReport}. */
export interface BookReportOptions {
  /** Order (position) size, in `unit`. */
  size: number;
  unit: AmountUnit;
  /** Liquidation or taker fee, a fraction of the notional. */
  feeRate: number;
  /** Multiples of `size` for the cost curve. */
  curveMultiples: readonly number[];
  /** Distances from the mid, in bps, of the depth lines. */
  depthBps: readonly number[];
}

/** The cost of closing a position into a book (`liqopt book --json`). */
export interface BookReport {
  source: string;
  symbol: string;
  snapshotTime: string | null;
  snapshots: number;
  mid: number;
  spreadBps: number;
  /** Depth within each distance of the mid, in quote currency. */
  depth: { distanceBps: number; bidQuote: number; askQuote: number }[];
  /** The order walked both ways (a long is closed by a sell, a short by a buy). */
  sell: BookWalk;
  buy: BookWalk;
  /** Cost of closing a long (sell) and a short (buy) of each size. */
  curve: { size: number; long: LiquidationCost; short: LiquidationCost }[];
  /** Over the recording's snapshots: mean and 90th-percentile slippage of the order. */
  overSnapshots: { sellMean: number; sellStressed: number; buyMean: number; buyStressed: number } | null;
}

/**
 * The report on the last book of `loaded`: mid and spread, the quote depth within each of
 * `depthBps` of the mid (`market/book-walk.ts` depthCurve), a market order of `size` walked as a
 * sell and as a buy (VWAP, slippage against the mid, levels consumed; `walkBook`), the cost of
 * closing a long and a short of each multiple of `size` at once, fee plus slippage
 * (`risk/liquidation-cost.ts`), and for more than one snapshot the mean and 90th-percentile
 * slippage of the order over them (`slippageStatistics`).
 */
export function bookReport(loaded: LoadedBooks, o: BookReportOptions): BookReport {
  const book = loaded.books[loaded.books.length - 1] as OrderBook;
  const d = depthCurve(book, o.depthBps);
  const sizes = o.curveMultiples.map((m) => m * o.size);
  const longs = liquidationCostCurve(book, sizes, { positionSide: "long", unit: o.unit, feeRate: o.feeRate });
  const shorts = liquidationCostCurve(book, sizes, {
    positionSide: "short",
    unit: o.unit,
    feeRate: o.feeRate,
  });
  const sell = slippageStatistics(loaded.books, "sell", o.size, o.unit);
  const buy = slippageStatistics(loaded.books, "buy", o.size, o.unit);
  return {
    source: loaded.source,
    symbol: book.symbol,
    snapshotTime: Number.isNaN(book.timeMs) ? null : new Date(book.timeMs).toISOString(),
    snapshots: loaded.books.length,
    mid: midPrice(book),
    spreadBps: spreadBps(book),
    depth: o.depthBps.map((distanceBps, k) => ({
      distanceBps,
      bidQuote: d.bidQuote[k] as number,
      askQuote: d.askQuote[k] as number,
    })),
    sell: walkBook(book, "sell", o.size, o.unit),
    buy: walkBook(book, "buy", o.size, o.unit),
    curve: sizes.map((size, i) => ({
      size,
      long: longs[i] as LiquidationCost,
      short: shorts[i] as LiquidationCost,
    })),
    overSnapshots:
      loaded.books.length > 1
        ? { sellMean: sell.mean, sellStressed: sell.stressed, buyMean: buy.mean, buyStressed: buy.stressed }
        : null,
  };
}

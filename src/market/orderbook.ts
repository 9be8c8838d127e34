/**
 * Level-2 order books.
 *
 * A book holds each side as parallel `Float64Array`s of price and size, best level first: bids in
 * strictly descending price, asks in strictly ascending price, every size positive. Sizes are in
 * contracts of the instrument's {@link ContractSpec}: for a linear contract one contract is
 * `contractSize` units of the base asset (Binance BTCUSDT: 1 BTC); for an inverse contract one
 * contract is `contractSize` units of the quote currency (BitMEX XBTUSD: 1 USD, settled in BTC).
 * {@link levelBase} and {@link levelQuote} convert a level to base (BTC) and quote (USD) amounts.
 *
 * Books come from ccxt's unified `OrderBook` shape ({@link orderBookFromCcxt},
 * https://docs.ccxt.com/#/?id=order-book-structure) or from a rebuilt venue feed
 * (`bitmex-recording.ts`); both are checked, and a bad book is refused or repaired by an explicit
 * policy, each repair reported with its side and level.
 */
import { InputError } from "../errors.js";
import { readArray, readChoice, readNumber, readRecord, readString } from "../validate.js";

/** How a contract's size relates to the base and quote assets. */
export interface ContractSpec {
  /** `linear`: one contract = `contractSize` base units; `inverse`: one contract = `contractSize` quote units. */
  readonly kind: "linear" | "inverse";
  /** Base units (linear) or quote units (inverse) per contract; 1 for spot and for BitMEX XBTUSD. */
  readonly contractSize: number;
}

/** Spot or a linear contract of one base unit: sizes are base-asset amounts. */
export const LINEAR_UNIT: ContractSpec = { kind: "linear", contractSize: 1 };
/** BitMEX XBTUSD: inverse, 1 contract = 1 USD (https://www.bitmex.com/app/contract/XBTUSD). */
export const XBTUSD_CONTRACT: ContractSpec = { kind: "inverse", contractSize: 1 };

/** An L2 book: best level first on each side. */
export interface OrderBook {
  readonly symbol: string;
  /** Snapshot time, ms since the Unix epoch (UTC); `NaN` when the source gives none. */
  readonly timeMs: number;
  readonly contract: ContractSpec;
  /** Bid prices, strictly descending. */
  readonly bidPrice: Float64Array;
  /** Bid sizes in contracts, positive. */
  readonly bidSize: Float64Array;
  /** Ask prices, strictly ascending. */
  readonly askPrice: Float64Array;
  /** Ask sizes in contracts, positive. */
  readonly askSize: Float64Array;
}

/** What can be wrong with a book. */
export type BookAnomalyKind =
  | "non-positive-size"
  | "non-positive-price"
  | "unsorted"
  | "duplicate-price"
  | "crossed"
  | "empty-side";

/** One problem found in a book. */
export interface BookAnomaly {
  readonly kind: BookAnomalyKind;
  readonly side: "bid" | "ask" | "book";
  /** 0-based index of the level in the source list (−1 for whole-book problems). */
  readonly level: number;
  readonly message: string;
  /** What was done: level dropped, levels sorted, duplicate levels merged, or only reported. */
  readonly action: "dropped" | "sorted" | "merged" | "reported";
}

/**
 * `"error"` (default): the first problem throws an {@link InputError}.
 * `"repair-and-report"`: levels with a non-positive or non-finite size or price are dropped, each
 * side is sorted, levels at the same price are merged (sizes added); a crossed book (best bid ≥
 * best ask) and an empty side are only reported. Every action is listed in the result.
 */
export type BookPolicy = "error" | "repair-and-report";

/** A book with the problems found in it. */
export interface CheckedBook {
  readonly book: OrderBook;
  readonly anomalies: readonly BookAnomaly[];
}

/** Options of {@link orderBookFromCcxt} and {@link orderBookFromLevels}. */
export interface BookOptions {
  /** Contract units of the sizes; default {@link LINEAR_UNIT} (sizes in base units). */
  readonly contract?: ContractSpec;
  /** Default `"error"`. */
  readonly policy?: BookPolicy;
  /** The name used in errors (default `"orderBook"`). */
  readonly source?: string;
}

/**
 * Builds a book from ccxt's unified `OrderBook` (`{ symbol, bids: [[price, amount], …], asks,
 * timestamp, datetime, nonce }`, https://docs.ccxt.com/#/?id=order-book-structure). ccxt gives bids
 * best (highest) first and asks best (lowest) first; amounts are in contracts for derivatives, so
 * pass the instrument's `contract`. Extra elements of a level (ccxt's optional order count) are
 * ignored. `timestamp` may be missing or `null` (then `timeMs` is `NaN`).
 *
 * @example
 * const { book } = orderBookFromCcxt({ symbol: "BTC/USDT", timestamp: 0,
 *   bids: [[99, 1]], asks: [[101, 2]] });
 * midPrice(book); // 100
 */
export function orderBookFromCcxt(orderBook: unknown, options: BookOptions = {}): CheckedBook {
  const source = options.source ?? "orderBook";
  const record = readRecord(orderBook, source, "Pass ccxt's OrderBook: { symbol, bids, asks, timestamp }.");
  const symbol = readString(record.symbol, `${source}.symbol`);
  const ts = record.timestamp;
  const timeMs =
    ts === undefined || ts === null ? Number.NaN : readNumber(ts, `${source}.timestamp`, { min: 0 });
  const side = (name: "bids" | "asks") => {
    const rows = readArray(record[name], `${source}.${name}`, "Pass a list of [price, amount] levels.");
    const price = new Float64Array(rows.length);
    const size = new Float64Array(rows.length);
    rows.forEach((row, i) => {
      const field = `${source}.${name}[${i}]`;
      const level = readArray(row, field, "Each level is [price, amount].");
      if (level.length < 2) {
        throw new InputError(field, row, "has fewer than two elements", "Each level is [price, amount].");
      }
      price[i] = readNumber(level[0], `${field}[0]`, { allowString: true });
      size[i] = readNumber(level[1], `${field}[1]`, { allowString: true });
    });
    return { price, size };
  };
  const bids = side("bids");
  const asks = side("asks");
  return orderBookFromLevels(
    { symbol, timeMs, bidPrice: bids.price, bidSize: bids.size, askPrice: asks.price, askSize: asks.size },
    options,
  );
}

/** Raw levels of a book, in source order, before checks. */
export interface RawLevels {
  readonly symbol: string;
  readonly timeMs: number;
  readonly bidPrice: ArrayLike<number>;
  readonly bidSize: ArrayLike<number>;
  readonly askPrice: ArrayLike<number>;
  readonly askSize: ArrayLike<number>;
}

/**
 * Checks raw levels and builds a book: prices and sizes finite and positive, bids strictly
 * descending, asks strictly ascending, best bid below best ask, both sides non-empty. What happens to
 * a violation is set by `options.policy` ({@link BookPolicy}).
 */
export function orderBookFromLevels(levels: RawLevels, options: BookOptions = {}): CheckedBook {
  const source = options.source ?? "orderBook";
  const policy = readChoice(options.policy ?? "error", "policy", ["error", "repair-and-report"] as const);
  const contract = checkContract(options.contract ?? LINEAR_UNIT);
  const anomalies: BookAnomaly[] = [];
  const flag = (a: BookAnomaly, value: unknown) => {
    if (policy === "error") {
      const where = a.level >= 0 ? `${source}.${a.side === "bid" ? "bids" : "asks"}[${a.level}]` : source;
      throw new InputError(
        where,
        value,
        a.message,
        'Pass a valid book, or policy: "repair-and-report" to repair it and list each repair.',
      );
    }
    anomalies.push(a);
  };
  const side = (which: "bid" | "ask", price: ArrayLike<number>, size: ArrayLike<number>) => {
    if (price.length !== size.length) {
      throw new InputError(
        `${source}.${which}Size`,
        size.length,
        `has ${size.length} entries but ${which}Price has ${price.length}`,
        "Give one size per price.",
      );
    }
    const sign = which === "bid" ? -1 : 1;
    const kept: { p: number; q: number; i: number }[] = [];
    for (let i = 0; i < price.length; i++) {
      const p = price[i] as number;
      const q = size[i] as number;
      if (!(Number.isFinite(p) && p > 0)) {
        flag(
          {
            kind: "non-positive-price",
            side: which,
            level: i,
            message: `price ${p} is not positive`,
            action: "dropped",
          },
          p,
        );
        continue;
      }
      if (!(Number.isFinite(q) && q > 0)) {
        flag(
          {
            kind: "non-positive-size",
            side: which,
            level: i,
            message: `size ${q} is not positive`,
            action: "dropped",
          },
          q,
        );
        continue;
      }
      const last = kept[kept.length - 1];
      if (last !== undefined && sign * (p - last.p) <= 0) {
        const message =
          p === last.p
            ? `price ${p} repeats level ${last.i}`
            : `price ${p} is out of ${which === "bid" ? "descending" : "ascending"} order after ${last.p}`;
        flag(
          {
            kind: p === last.p ? "duplicate-price" : "unsorted",
            side: which,
            level: i,
            message,
            action: p === last.p ? "merged" : "sorted",
          },
          p,
        );
      }
      kept.push({ p, q, i });
    }
    kept.sort((a, b) => sign * (a.p - b.p) || a.i - b.i);
    const outPrice: number[] = [];
    const outSize: number[] = [];
    for (const { p, q } of kept) {
      const n = outPrice.length;
      if (n > 0 && outPrice[n - 1] === p) outSize[n - 1] = (outSize[n - 1] as number) + q;
      else {
        outPrice.push(p);
        outSize.push(q);
      }
    }
    if (outPrice.length === 0) {
      flag(
        {
          kind: "empty-side",
          side: which,
          level: -1,
          message: `the ${which} side is empty`,
          action: "reported",
        },
        [],
      );
    }
    return { price: Float64Array.from(outPrice), size: Float64Array.from(outSize) };
  };
  const bids = side("bid", levels.bidPrice, levels.bidSize);
  const asks = side("ask", levels.askPrice, levels.askSize);
  const book: OrderBook = {
    symbol: levels.symbol,
    timeMs: levels.timeMs,
    contract,
    bidPrice: bids.price,
    bidSize: bids.size,
    askPrice: asks.price,
    askSize: asks.size,
  };
  const bid = bestBid(book);
  const ask = bestAsk(book);
  if (bid >= ask) {
    flag(
      {
        kind: "crossed",
        side: "book",
        level: -1,
        message: `best bid ${bid} is at or above best ask ${ask}`,
        action: "reported",
      },
      [bid, ask],
    );
  }
  return { book, anomalies };
}

/** Best (highest) bid price; `NaN` when there are no bids. */
export function bestBid(book: OrderBook): number {
  return book.bidPrice.length > 0 ? (book.bidPrice[0] as number) : Number.NaN;
}

/** Best (lowest) ask price; `NaN` when there are no asks. */
export function bestAsk(book: OrderBook): number {
  return book.askPrice.length > 0 ? (book.askPrice[0] as number) : Number.NaN;
}

/** Mid price `(best bid + best ask) / 2`; `NaN` when a side is empty. */
export function midPrice(book: OrderBook): number {
  return (bestBid(book) + bestAsk(book)) / 2;
}

/** Quoted spread `best ask − best bid`, in price units. */
export function spread(book: OrderBook): number {
  return bestAsk(book) - bestBid(book);
}

/** Relative quoted spread in basis points: `10⁴ · (ask − bid) / mid`. */
export function spreadBps(book: OrderBook): number {
  return (1e4 * spread(book)) / midPrice(book);
}

/**
 * Base-asset amount of `contracts` at `price`: linear `contracts · contractSize`; inverse
 * `contracts · contractSize / price` (XBTUSD: 32,180 contracts at 32,180 USD = 1 BTC).
 */
export function levelBase(contract: ContractSpec, price: number, contracts: number): number {
  return contract.kind === "linear"
    ? contracts * contract.contractSize
    : (contracts * contract.contractSize) / price;
}

/** Quote amount of `contracts` at `price`: linear `contracts · contractSize · price`; inverse `contracts · contractSize`. */
export function levelQuote(contract: ContractSpec, price: number, contracts: number): number {
  return contract.kind === "linear"
    ? contracts * contract.contractSize * price
    : contracts * contract.contractSize;
}

/** Total resting size of one side, in contracts, base units and quote units. */
export interface SideDepth {
  readonly levels: number;
  readonly contracts: number;
  readonly base: number;
  readonly quote: number;
}

/** Totals of a side (`"bid"` or `"ask"`) in contracts, base (BTC) and quote (USD). */
export function sideDepth(book: OrderBook, side: "bid" | "ask"): SideDepth {
  const price = side === "bid" ? book.bidPrice : book.askPrice;
  const size = side === "bid" ? book.bidSize : book.askSize;
  let contracts = 0;
  let base = 0;
  let quote = 0;
  for (let i = 0; i < price.length; i++) {
    const p = price[i] as number;
    const q = size[i] as number;
    contracts += q;
    base += levelBase(book.contract, p, q);
    quote += levelQuote(book.contract, p, q);
  }
  return { levels: price.length, contracts, base, quote };
}

function checkContract(contract: ContractSpec): ContractSpec {
  readChoice(contract.kind, "contract.kind", ["linear", "inverse"] as const);
  readNumber(contract.contractSize, "contract.contractSize", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the contract size (1 for spot and for BitMEX XBTUSD).",
  });
  return contract;
}

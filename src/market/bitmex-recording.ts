/**
 * Rebuilding L2 books from a recording of BitMEX's websocket `orderBookL2` channel.
 *
 * Protocol (BitMEX "Websocket API", https://www.bitmex.com/app/wsAPI, "Subscriptions" and
 * "Response Format"): per symbol, a `partial` message carries the full book (rows keyed by
 * `symbol`, `id`, `side`); then `insert` adds rows with a price and size, `update` changes the size of
 * a row — and carries no price: the price is the one stored under the row's `id` — and `delete`
 * removes rows. Messages for a symbol received before its `partial` are to be ignored.
 *
 * The recording format is the one of cryptofeed's sample data (bmoscon/cryptofeed
 * `sample_data/BITMEX.ws.1.0`): one message per line, `"<epoch_s>: <json>"` (the time the message
 * was received), preceded by connection markers `wss://… <-> <epoch_s>` and `wss://… <- <epoch_s>:
 * <sent json>`. Rows carry no exchange timestamp, so a book's time is its message's receive time.
 *
 * Anomalies are listed with their 1-based line number and handled by an explicit policy
 * ({@link RecordingPolicy}); nothing is skipped silently.
 */
import { InputError } from "../errors.js";
import { readChoice } from "../validate.js";
import { readDataFile } from "./data-file.js";
import { type ContractSpec, LINEAR_UNIT, type OrderBook, XBTUSD_CONTRACT } from "./orderbook.js";
import { implausibleTimeProblem } from "./row-order.js";

/** The four `orderBookL2` actions. */
export type L2Action = "partial" | "insert" | "update" | "delete";
const ACTIONS: readonly L2Action[] = ["partial", "insert", "update", "delete"];

/** What can go wrong while replaying. */
export type RecordingAnomalyKind =
  | "unparseable-line"
  | "implausible-time"
  | "before-partial"
  | "update-unknown-id"
  | "delete-unknown-id"
  | "insert-existing-id"
  | "invalid-row"
  | "crossed-book";

/** One anomaly, with where it is and what was done. */
export interface RecordingAnomaly {
  readonly kind: RecordingAnomalyKind;
  /** 1-based line number in the recording. */
  readonly line: number;
  readonly symbol: string;
  /** The row id at fault, where one is. */
  readonly id?: number;
  readonly message: string;
  /** `skipped`: the row or message was not applied; `replaced`: the new row replaced the stored one; `reported`: applied, only listed. */
  readonly action: "skipped" | "replaced" | "reported";
}

/**
 * `"report"` (default): an `update` or `delete` of an unknown id and any row before the symbol's
 * first `partial` are skipped; an `insert` of an id already in the book replaces the stored row; a
 * row with a missing or non-positive size or price is skipped; an unparseable line is skipped; a book
 * crossed after a message (best bid ≥ best ask) is kept as it is. Each case is listed.
 * `"error"`: the first anomaly throws an {@link InputError} naming the line.
 */
export type RecordingPolicy = "report" | "error";

/** One applied `orderBookL2` message, as seen by a replay callback. */
export interface BookEvent {
  /** 1-based line number. */
  readonly line: number;
  /** Receive time of the message, ms since the Unix epoch (UTC). */
  readonly receivedMs: number;
  readonly symbol: string;
  readonly action: L2Action;
  /** Rows of the message for this symbol. */
  readonly rows: number;
  /** The symbol's book after the message. */
  readonly book: BitmexL2Book;
}

/** Options of {@link replayBitmexRecording}. */
export interface ReplayOptions {
  /** The name used in anomalies and errors (default `"recording"`). */
  readonly source?: string;
  /** Only these symbols are rebuilt (default: all); other symbols' messages are counted but not applied. */
  readonly symbols?: readonly string[];
  /** Default `"report"`. */
  readonly policy?: RecordingPolicy;
}

/** What a replay read and did. */
export interface RecordingSummary {
  readonly source: string;
  /** Lines in the recording (a final empty line excluded). */
  readonly lines: number;
  /** `wss://…` connection and subscription lines. */
  readonly connectionMarkers: number;
  /** Received JSON messages, by `table` (`"(none)"` for replies without one: welcome, subscribe acks). */
  readonly messagesByTable: Readonly<Record<string, number>>;
  /** `orderBookL2` messages by action, all symbols. */
  readonly l2Messages: Readonly<Record<L2Action, number>>;
  /** `orderBookL2` messages that touch each symbol. */
  readonly l2MessagesBySymbol: Readonly<Record<string, number>>;
  /** `orderBookL2` rows by symbol and action. */
  readonly l2RowsBySymbol: Readonly<Record<string, Readonly<Record<L2Action, number>>>>;
  /** Receive time of the first and the last received message (ms UTC). */
  readonly firstMs: number;
  readonly lastMs: number;
  readonly anomalies: readonly RecordingAnomaly[];
}

const SIDE_BUY = 0;
const SIDE_SELL = 1;

/**
 * The rows of one symbol's book, keyed by BitMEX row id, with the size resting at each price kept
 * per side in sorted typed arrays (so the best prices are read in O(1) and a snapshot is a copy).
 */
class BitmexL2Book {
  readonly symbol: string;
  readonly contract: ContractSpec;
  /** Whether a `partial` has been applied. */
  ready = false;
  private readonly side = new Map<number, number>();
  private readonly price = new Map<number, number>();
  private readonly size = new Map<number, number>();
  /** Size at each price: bids keyed by −price, asks by price, both ascending (best first). */
  private readonly bids = new SortedLevels();
  private readonly asks = new SortedLevels();

  constructor(symbol: string, contract: ContractSpec) {
    this.symbol = symbol;
    this.contract = contract;
  }

  /** Number of resting rows. */
  get levels(): number {
    return this.size.size;
  }

  has(id: number): boolean {
    return this.size.has(id);
  }

  /** The stored price of row `id` (`undefined` when unknown). */
  priceOf(id: number): number | undefined {
    return this.price.get(id);
  }

  clear(): void {
    this.side.clear();
    this.price.clear();
    this.size.clear();
    this.bids.clear();
    this.asks.clear();
  }

  /** Stores row `id` (replacing any row under that id). */
  set(id: number, side: number, price: number, size: number): void {
    if (this.size.has(id)) this.remove(id);
    this.side.set(id, side);
    this.price.set(id, price);
    this.size.set(id, size);
    this.addDepth(side, price, size);
  }

  /** Sets the size of a known row `id`. */
  resize(id: number, size: number): void {
    const old = this.size.get(id);
    if (old === undefined) return;
    this.size.set(id, size);
    this.addDepth(this.side.get(id) as number, this.price.get(id) as number, size - old);
  }

  /** Removes row `id`, if present. */
  remove(id: number): void {
    const old = this.size.get(id);
    if (old === undefined) return;
    this.addDepth(this.side.get(id) as number, this.price.get(id) as number, -old);
    this.side.delete(id);
    this.price.delete(id);
    this.size.delete(id);
  }

  private addDepth(side: number, price: number, delta: number): void {
    if (side === SIDE_BUY) this.bids.add(-price, delta);
    else this.asks.add(price, delta);
  }

  /** Best bid and best ask (`NaN` for an empty side). */
  best(): { bid: number; ask: number } {
    return {
      bid: this.bids.length > 0 ? -(this.bids.key[0] as number) : Number.NaN,
      ask: this.asks.length > 0 ? (this.asks.key[0] as number) : Number.NaN,
    };
  }

  /**
   * The book as an {@link OrderBook} at `timeMs` (copies): bids descending, asks ascending, one
   * level per price (BitMEX keeps one row per price; were there several, their sizes are added).
   */
  toOrderBook(timeMs: number): OrderBook {
    const bidPrice = this.bids.key.slice(0, this.bids.length);
    for (let i = 0; i < bidPrice.length; i++) bidPrice[i] = -(bidPrice[i] as number);
    return {
      symbol: this.symbol,
      timeMs,
      contract: this.contract,
      bidPrice,
      bidSize: this.bids.size.slice(0, this.bids.length),
      askPrice: this.asks.key.slice(0, this.asks.length),
      askSize: this.asks.size.slice(0, this.asks.length),
    };
  }
}

/** Price levels sorted by an ascending key, in growable typed arrays (insert/remove by binary search). */
class SortedLevels {
  key = new Float64Array(64);
  size = new Float64Array(64);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  /** Adds `delta` to the size at `key`, inserting the level or removing it when its size falls to ≤ 0. */
  add(key: number, delta: number): void {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.key[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.length && this.key[lo] === key) {
      const total = (this.size[lo] as number) + delta;
      if (total > 0) this.size[lo] = total;
      else {
        this.key.copyWithin(lo, lo + 1, this.length);
        this.size.copyWithin(lo, lo + 1, this.length);
        this.length--;
      }
      return;
    }
    if (delta <= 0) return;
    if (this.length === this.key.length) {
      const key2 = new Float64Array(this.key.length * 2);
      const size2 = new Float64Array(this.key.length * 2);
      key2.set(this.key);
      size2.set(this.size);
      this.key = key2;
      this.size = size2;
    }
    this.key.copyWithin(lo + 1, lo, this.length);
    this.size.copyWithin(lo + 1, lo, this.length);
    this.key[lo] = key;
    this.size[lo] = delta;
    this.length++;
  }
}

/**
 * Contract units of a BitMEX symbol: XBTUSD is inverse with 1 USD per contract
 * ({@link XBTUSD_CONTRACT}); every other symbol is given {@link LINEAR_UNIT}, i.e. its sizes stay in
 * raw contracts, whose base value this module does not know (BitMEX quanto and USDT contracts have
 * their own multipliers: check https://www.bitmex.com/app/contract/<symbol> before reading base
 * amounts for them).
 */
function bitmexContract(symbol: string): ContractSpec {
  return symbol === "XBTUSD" ? XBTUSD_CONTRACT : LINEAR_UNIT;
}

/** Reads a recording file (UTF-8), or throws an {@link InputError} naming the path. */
export function readBitmexRecording(path: string): string {
  return readDataFile(path, { field: path, fix: "Pass the path of a readable recording." });
}

const MESSAGE_LINE = /^(\d+(?:\.\d+)?): (\{.*\})\s*$/;

/**
 * Replays a recording line by line, rebuilding one book per symbol, and calls `onEvent` after every
 * `orderBookL2` message applied to a rebuilt symbol (one call per symbol the message touches), with
 * the symbol's book after the message. Returns message counts, the time span and the anomalies.
 *
 * @example
 * const text = readBitmexRecording("data/orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt");
 * const books: OrderBook[] = [];
 * replayBitmexRecording(text, { symbols: ["XBTUSD"] }, (e) => books.push(e.book.toOrderBook(e.receivedMs)));
 */
export function replayBitmexRecording(
  text: string,
  options: ReplayOptions = {},
  onEvent?: (event: BookEvent) => void,
): RecordingSummary {
  const source = options.source ?? "recording";
  const policy = readChoice(options.policy ?? "report", "policy", ["report", "error"] as const);
  const wanted = options.symbols === undefined ? undefined : new Set(options.symbols);
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

  const anomalies: RecordingAnomaly[] = [];
  const flag = (a: RecordingAnomaly) => {
    if (policy === "error") {
      throw new InputError(
        `${source} line ${a.line}`,
        a.id ?? a.symbol,
        a.message,
        'Fix the recording, or pass policy: "report" to handle each anomaly as documented and list it.',
      );
    }
    anomalies.push(a);
  };
  const books = new Map<string, BitmexL2Book>();
  const byTable: Record<string, number> = {};
  const l2: Record<L2Action, number> = { partial: 0, insert: 0, update: 0, delete: 0 };
  const bySymbol: Record<string, number> = {};
  const rowsBySymbol: Record<string, Record<L2Action, number>> = {};
  let markers = 0;
  let firstMs = Number.NaN;
  let lastMs = Number.NaN;

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const line = i + 1;
    if (text.startsWith("wss://")) {
      markers++;
      continue;
    }
    const m = MESSAGE_LINE.exec(text);
    let message: Record<string, unknown> | undefined;
    if (m !== null) {
      try {
        const parsed: unknown = JSON.parse(m[2] as string);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
          message = parsed as Record<string, unknown>;
        }
      } catch {
        message = undefined;
      }
    }
    if (m === null || message === undefined) {
      flag({
        kind: "unparseable-line",
        line,
        symbol: "",
        message: `is neither a connection marker nor "<epoch_s>: <json object>"`,
        action: "skipped",
      });
      continue;
    }
    const receivedMs = Number(m[1]) * 1000;
    const timeProblem = implausibleTimeProblem(receivedMs);
    if (timeProblem !== undefined) {
      flag({
        kind: "implausible-time",
        line,
        symbol: "",
        message: `receive time ${m[1]} s is ${receivedMs} ms: ${timeProblem}`,
        action: "skipped",
      });
      continue;
    }
    if (Number.isNaN(firstMs)) firstMs = receivedMs;
    lastMs = receivedMs;
    const table = typeof message.table === "string" ? message.table : "(none)";
    byTable[table] = (byTable[table] ?? 0) + 1;
    if (table !== "orderBookL2") continue;
    const action = message.action as L2Action;
    if (!ACTIONS.includes(action) || !Array.isArray(message.data)) {
      flag({
        kind: "unparseable-line",
        line,
        symbol: "",
        message: `orderBookL2 message with action ${JSON.stringify(message.action)} and no data array`,
        action: "skipped",
      });
      continue;
    }
    l2[action]++;
    // Group the rows by symbol, keeping their order.
    const groups = new Map<string, Record<string, unknown>[]>();
    for (const row of message.data as unknown[]) {
      const r = (typeof row === "object" && row !== null ? row : {}) as Record<string, unknown>;
      const symbol = typeof r.symbol === "string" ? r.symbol : "";
      const group = groups.get(symbol);
      if (group === undefined) groups.set(symbol, [r]);
      else group.push(r);
    }
    for (const [symbol, rows] of groups) {
      bySymbol[symbol] = (bySymbol[symbol] ?? 0) + 1;
      const counts = rowsBySymbol[symbol] ?? { partial: 0, insert: 0, update: 0, delete: 0 };
      rowsBySymbol[symbol] = counts;
      counts[action] += rows.length;
      if (wanted !== undefined && !wanted.has(symbol)) continue;
      let book = books.get(symbol);
      if (book === undefined) {
        book = new BitmexL2Book(symbol, bitmexContract(symbol));
        books.set(symbol, book);
      }
      if (action !== "partial" && !book.ready) {
        flag({
          kind: "before-partial",
          line,
          symbol,
          message: `${action} of ${rows.length} row(s) before the symbol's first partial`,
          action: "skipped",
        });
        continue;
      }
      applyRows(book, action, rows, line, flag);
      const { bid, ask } = book.best();
      if (bid >= ask) {
        flag({
          kind: "crossed-book",
          line,
          symbol,
          message: `best bid ${bid} is at or above best ask ${ask} after the ${action}`,
          action: "reported",
        });
      }
      onEvent?.({ line, receivedMs, symbol, action, rows: rows.length, book });
    }
  }
  return {
    source,
    lines: lines.length,
    connectionMarkers: markers,
    messagesByTable: byTable,
    l2Messages: l2,
    l2MessagesBySymbol: bySymbol,
    l2RowsBySymbol: rowsBySymbol,
    firstMs,
    lastMs,
    anomalies,
  };
}

/** Applies one message's rows for one symbol, per {@link RecordingPolicy}. */
function applyRows(
  book: BitmexL2Book,
  action: L2Action,
  rows: readonly Record<string, unknown>[],
  line: number,
  flag: (a: RecordingAnomaly) => void,
): void {
  const symbol = book.symbol;
  if (action === "partial") {
    book.clear();
    book.ready = true;
  }
  for (const r of rows) {
    const id = r.id;
    if (typeof id !== "number" || !Number.isFinite(id)) {
      flag({ kind: "invalid-row", line, symbol, message: `row without a numeric id`, action: "skipped" });
      continue;
    }
    if (action === "delete") {
      if (!book.has(id)) {
        flag({
          kind: "delete-unknown-id",
          line,
          symbol,
          id,
          message: `delete of unknown id ${id}`,
          action: "skipped",
        });
        continue;
      }
      book.remove(id);
      continue;
    }
    const size = r.size;
    if (typeof size !== "number" || !(size > 0) || !Number.isFinite(size)) {
      flag({
        kind: "invalid-row",
        line,
        symbol,
        id,
        message: `${action} of id ${id} with size ${JSON.stringify(size)}, not a positive number`,
        action: "skipped",
      });
      continue;
    }
    if (action === "update") {
      if (!book.has(id)) {
        flag({
          kind: "update-unknown-id",
          line,
          symbol,
          id,
          message: `update of unknown id ${id}`,
          action: "skipped",
        });
        continue;
      }
      // Updates carry no price in this protocol version; if one is sent, it is taken.
      const price = r.price;
      if (typeof price === "number" && price > 0 && price !== book.priceOf(id)) {
        book.set(id, r.side === "Buy" ? SIDE_BUY : SIDE_SELL, price, size);
      } else book.resize(id, size);
      continue;
    }
    const price = r.price;
    if (
      typeof price !== "number" ||
      !(price > 0) ||
      !Number.isFinite(price) ||
      (r.side !== "Buy" && r.side !== "Sell")
    ) {
      flag({
        kind: "invalid-row",
        line,
        symbol,
        id,
        message: `${action} of id ${id} without a positive price and a side Buy/Sell`,
        action: "skipped",
      });
      continue;
    }
    if (action === "insert" && book.has(id)) {
      flag({
        kind: "insert-existing-id",
        line,
        symbol,
        id,
        message: `insert of id ${id}, already in the book at ${book.priceOf(id)}`,
        action: "replaced",
      });
    }
    book.set(id, r.side === "Buy" ? SIDE_BUY : SIDE_SELL, price, size);
  }
}

/**
 * Snapshots of one symbol's rebuilt book, from its first partial on: with `stepMs` 0, the book after
 * every message; with `stepMs` > 0, the book after the first message received in each `stepMs` slot
 * of receive time (slots aligned to the epoch), so at most one snapshot per slot. Used to
 * time-average depth (`book-walk.ts`).
 */
export function bitmexBookSnapshots(
  text: string,
  symbol: string,
  stepMs = 0,
  options: Omit<ReplayOptions, "symbols"> = {},
): OrderBook[] {
  const out: OrderBook[] = [];
  let slot = Number.NaN;
  replayBitmexRecording(text, { ...options, symbols: [symbol] }, (e) => {
    if (stepMs > 0) {
      const s = Math.floor(e.receivedMs / stepMs);
      if (s === slot) return;
      slot = s;
    }
    out.push(e.book.toOrderBook(e.receivedMs));
  });
  return out;
}

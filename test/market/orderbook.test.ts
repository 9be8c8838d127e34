/**
 * L2 books (src/market/orderbook.ts) and the BitMEX orderBookL2 rebuild
 * (src/market/bitmex-recording.ts).
 *
 * Sources: ccxt's OrderBook structure (https://docs.ccxt.com/#/?id=order-book-structure); BitMEX's
 * websocket protocol (https://www.bitmex.com/app/wsAPI); the message counts and time span of the
 * bundled recording from shared/data/README.md (copied in data/orderbook/PROVENANCE.md); and an
 * independent Python rebuild, `python3 scripts/reference/liquidity_bitmex_book.py`, which wrote
 * test/fixtures/liquidity-bitmex-book.json (best bid/ask, level counts and totals after each of the
 * 1300 XBTUSD messages).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type BookEvent,
  bitmexBookSnapshots,
  readBitmexRecording,
  replayBitmexRecording,
} from "../../src/market/bitmex-recording.js";
import {
  bestAsk,
  bestBid,
  levelBase,
  levelQuote,
  midPrice,
  type OrderBook,
  orderBookFromCcxt,
  orderBookFromLevels,
  sideDepth,
  spread,
  spreadBps,
  XBTUSD_CONTRACT,
} from "../../src/market/orderbook.js";
import { assertRel } from "../helpers/close.js";
import { rejection } from "../helpers/rejection.js";

const RECORDING = new URL(
  "../../data/orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt",
  import.meta.url,
).pathname;
const FIXTURE = JSON.parse(
  readFileSync(new URL("../fixtures/liquidity-bitmex-book.json", import.meta.url), "utf8"),
) as {
  events: {
    line: number;
    action: string;
    bestBid: number;
    bestAsk: number;
    bidLevels: number;
    askLevels: number;
    bidContracts: number;
    askContracts: number;
    bidBtc: number;
    askBtc: number;
  }[];
};

/** Asserts the book invariants: sides non-empty, strictly sorted, sizes positive, not crossed. */
function assertValidBook(book: OrderBook, where: string): void {
  assert.ok(book.bidPrice.length > 0 && book.askPrice.length > 0, `${where}: empty side`);
  const firstBad = (price: Float64Array, size: Float64Array, sign: number) => {
    for (let i = 0; i < price.length; i++) {
      if (!((size[i] as number) > 0)) return i;
      if (i > 0 && !(sign * ((price[i] as number) - (price[i - 1] as number)) > 0)) return i;
    }
    return -1;
  };
  assert.equal(
    firstBad(book.bidPrice, book.bidSize, -1),
    -1,
    `${where}: bid level out of order or not positive`,
  );
  assert.equal(
    firstBad(book.askPrice, book.askSize, 1),
    -1,
    `${where}: ask level out of order or not positive`,
  );
  assert.ok(bestBid(book) < bestAsk(book), `${where}: crossed ${bestBid(book)} ≥ ${bestAsk(book)}`);
}

describe("orderBookFromCcxt", () => {
  const ccxtBook = {
    symbol: "BTC/USDT",
    timestamp: 1_700_000_000_000,
    datetime: "2023-11-14T22:13:20.000Z",
    nonce: undefined,
    bids: [
      [99, 1],
      [98.5, 2, 3],
    ],
    asks: [
      ["101", "0.5"],
      [102, 4],
    ],
  };

  it("reads ccxt's shape: best first, strings accepted, mid / spread / bps", () => {
    const { book, anomalies } = orderBookFromCcxt(ccxtBook);
    assert.deepEqual(anomalies, []);
    assert.equal(book.symbol, "BTC/USDT");
    assert.equal(book.timeMs, 1_700_000_000_000);
    assert.deepEqual([...book.bidPrice], [99, 98.5]);
    assert.deepEqual([...book.askSize], [0.5, 4]);
    assert.equal(midPrice(book), 100);
    assert.equal(spread(book), 2);
    assert.equal(spreadBps(book), 200);
    // Linear, 1 base unit per contract: bids 3 BTC worth 99 + 197 = 296 USDT.
    assert.deepEqual(sideDepth(book, "bid"), { levels: 2, contracts: 3, base: 3, quote: 296 });
  });

  it("a missing or null timestamp gives NaN", () => {
    assert.ok(Number.isNaN(orderBookFromCcxt({ ...ccxtBook, timestamp: null }).book.timeMs));
  });

  it("policy error (default): each problem throws naming the level", () => {
    const bad = (bids: unknown[], asks: unknown[]) => () => orderBookFromCcxt({ ...ccxtBook, bids, asks });
    assert.match(rejection(bad([[99, 0]], [[101, 1]])).field, /bids\[0\]/);
    assert.match(rejection(bad([[99, 1]], [[101, -2]])).message, /size -2 is not positive/);
    assert.match(
      rejection(
        bad(
          [
            [98, 1],
            [99, 1],
          ],
          [[101, 1]],
        ),
      ).message,
      /out of descending order/,
    );
    assert.match(
      rejection(
        bad(
          [[99, 1]],
          [
            [101, 1],
            [101, 1],
          ],
        ),
      ).message,
      /repeats level 0/,
    );
    assert.match(rejection(bad([[102, 1]], [[101, 1]])).message, /best bid 102 is at or above best ask 101/);
    assert.match(rejection(bad([], [[101, 1]])).message, /bid side is empty/);
    assert.equal(
      rejection(() => orderBookFromCcxt({ ...ccxtBook, bids: [[99]] })).field,
      "orderBook.bids[0]",
    );
    assert.equal(rejection(() => orderBookFromCcxt({ bids: [], asks: [] })).field, "orderBook.symbol");
  });

  it("policy repair-and-report: drops, sorts, merges, and only reports a crossed book", () => {
    const { book, anomalies } = orderBookFromCcxt(
      {
        symbol: "X",
        bids: [
          [98, 1],
          [99, 2],
          [97, 0],
          [99, 1],
        ],
        asks: [
          [98.5, 1],
          [100, 1],
        ],
      },
      { policy: "repair-and-report" },
    );
    assert.deepEqual(
      anomalies.map((a) => [a.kind, a.side, a.level, a.action]),
      [
        ["unsorted", "bid", 1, "sorted"],
        ["non-positive-size", "bid", 2, "dropped"],
        ["duplicate-price", "bid", 3, "merged"],
        ["crossed", "book", -1, "reported"],
      ],
    );
    assert.deepEqual([...book.bidPrice], [99, 98]);
    assert.deepEqual([...book.bidSize], [3, 1]);
  });

  it("repair keeps every valid level, in order, whatever the input order (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 30 }),
        fc.uniqueArray(fc.integer({ min: 1001, max: 2000 }), { minLength: 1, maxLength: 30 }),
        (bidTicks, askTicks) => {
          const { book, anomalies } = orderBookFromCcxt(
            { symbol: "P", bids: bidTicks.map((t) => [t, (t % 7) + 1]), asks: askTicks.map((t) => [t, 1]) },
            { policy: "repair-and-report" },
          );
          assertValidBook(book, "repaired");
          assert.equal(book.bidPrice.length, bidTicks.length);
          assert.equal(book.askPrice.length, askTicks.length);
          assert.ok(anomalies.every((a) => a.kind === "unsorted"));
        },
      ),
    );
  });
});

describe("contract units", () => {
  it("XBTUSD (inverse, 1 USD per contract): 32,180 contracts at 32,180 = 1 BTC = 32,180 USD", () => {
    assert.equal(levelBase(XBTUSD_CONTRACT, 32_180, 32_180), 1);
    assert.equal(levelQuote(XBTUSD_CONTRACT, 32_180, 32_180), 32_180);
  });
  it("linear contract of 0.001 BTC: 2,000 contracts at 30,000 = 2 BTC = 60,000 USDT", () => {
    const c = { kind: "linear", contractSize: 0.001 } as const;
    assert.equal(levelBase(c, 30_000, 2_000), 2);
    assert.equal(levelQuote(c, 30_000, 2_000), 60_000);
  });
  it("rejects a non-positive contract size", () => {
    const e = rejection(() =>
      orderBookFromLevels(
        { symbol: "X", timeMs: 0, bidPrice: [1], bidSize: [1], askPrice: [2], askSize: [1] },
        { contract: { kind: "linear", contractSize: 0 } },
      ),
    );
    assert.equal(e.field, "contract.contractSize");
  });
});

describe("BitMEX orderBookL2 recording (bundled file)", () => {
  const text = readBitmexRecording(RECORDING);

  it("message counts and time span match shared/data/README.md", () => {
    const s = replayBitmexRecording(text);
    // README: 2120 JSON messages; all orderBookL2 messages: 10 partials, 445 inserts, 1090 updates, 434 deletes;
    // 1300 of them touch XBTUSD; 2021-07-22 22:36:07.875 → 22:36:38.468.
    assert.equal(s.lines, 2124);
    assert.equal(s.connectionMarkers, 4);
    assert.equal(
      Object.values(s.messagesByTable).reduce((a, b) => a + b, 0),
      2120,
    );
    assert.deepEqual(s.l2Messages, { partial: 10, insert: 445, update: 1090, delete: 434 });
    assert.equal(s.l2MessagesBySymbol.XBTUSD, 1300);
    assert.equal(Object.keys(s.l2MessagesBySymbol).length, 10);
    assert.equal(new Date(s.firstMs).toISOString(), "2021-07-22T22:36:07.875Z");
    assert.equal(new Date(s.lastMs).toISOString(), "2021-07-22T22:36:38.468Z");
    // Every update and delete hits a known id, no insert repeats one, no book is ever crossed.
    assert.deepEqual(s.anomalies, []);
    // XBTUSD rows: the partial holds 9,346 levels.
    assert.equal(s.l2RowsBySymbol.XBTUSD?.partial, 9346);
  });

  it("XBTUSD after every message: valid book, equal to the independent Python rebuild", () => {
    const events: { line: number; action: string; book: OrderBook }[] = [];
    replayBitmexRecording(text, { symbols: ["XBTUSD"] }, (e: BookEvent) =>
      events.push({ line: e.line, action: e.action, book: e.book.toOrderBook(e.receivedMs) }),
    );
    assert.equal(events.length, FIXTURE.events.length);
    events.forEach(({ line, action, book }, k) => {
      const ref = FIXTURE.events[k];
      assert.ok(ref !== undefined);
      assertValidBook(book, `line ${line}`);
      assert.equal(line, ref.line);
      assert.equal(action, ref.action);
      assert.equal(bestBid(book), ref.bestBid, `line ${line} best bid`);
      assert.equal(bestAsk(book), ref.bestAsk, `line ${line} best ask`);
      assert.equal(book.bidPrice.length, ref.bidLevels, `line ${line} bid levels`);
      assert.equal(book.askPrice.length, ref.askLevels, `line ${line} ask levels`);
      const bid = sideDepth(book, "bid");
      const ask = sideDepth(book, "ask");
      assert.equal(bid.contracts, ref.bidContracts);
      assert.equal(ask.contracts, ref.askContracts);
      assert.equal(bid.quote, ref.bidContracts, "inverse: contracts = USD");
      assertRel(bid.base, ref.bidBtc, 1e-12, `line ${line} bid BTC`);
      assertRel(ask.base, ref.askBtc, 1e-12, `line ${line} ask BTC`);
    });
  });

  it("the first XBTUSD book agrees with the quote channel's first XBTUSD quote (32180 / 32180.5)", () => {
    const [first] = bitmexBookSnapshots(text, "XBTUSD");
    assert.ok(first !== undefined);
    assert.equal(bestBid(first), 32_180);
    assert.equal(bestAsk(first), 32_180.5);
    assert.equal(first.bidSize[0], 1_046_200); // quote partial: bidSize 1046200
  });

  it("snapshots on a 5 s clock: one per slot with a message", () => {
    const books = bitmexBookSnapshots(text, "XBTUSD", 5000);
    const slots = books.map((b) => Math.floor(b.timeMs / 5000));
    assert.equal(new Set(slots).size, books.length);
    assert.ok(books.length >= 6 && books.length <= 8, `${books.length} snapshots over 30.6 s`);
  });
});

describe("BitMEX recording anomalies (synthetic)", () => {
  // Receive times t seconds after 2021-07-22 22:36:06 UTC (the recording's day).
  const msg = (t: number, action: string, data: object[]) =>
    `${1_626_993_366 + t}: ${JSON.stringify({ table: "orderBookL2", action, data })}`;
  const row = (id: number, side: string, size?: number, price?: number) => ({
    symbol: "XBTUSD",
    id,
    side,
    size,
    price,
  });
  const lines = [
    "wss://www.bitmex.com/realtime <-> 1626993367.388005",
    msg(1.0, "update", [row(1, "Buy", 5)]), // line 2: before the partial
    msg(1.1, "partial", [row(1, "Buy", 10, 100), row(2, "Sell", 10, 101)]),
    msg(1.2, "update", [row(3, "Buy", 5)]), // line 4: unknown id
    msg(1.3, "delete", [row(4, "Sell")]), // line 5: unknown id
    msg(1.4, "insert", [row(1, "Buy", 7, 100.5)]), // line 6: existing id → replaced
    msg(1.5, "insert", [row(5, "Buy", 1, 102)]), // line 7: crossed
    "garbage", // line 8
    msg(1.6, "update", [row(2, "Sell", 0)]), // line 9: non-positive size
  ].join("\n");

  it("policy report: each anomaly listed with its line and action", () => {
    const books: OrderBook[] = [];
    const s = replayBitmexRecording(lines, {}, (e) => books.push(e.book.toOrderBook(e.receivedMs)));
    assert.deepEqual(
      s.anomalies.map((a) => [a.kind, a.line, a.action]),
      [
        ["before-partial", 2, "skipped"],
        ["update-unknown-id", 4, "skipped"],
        ["delete-unknown-id", 5, "skipped"],
        ["insert-existing-id", 6, "replaced"],
        ["crossed-book", 7, "reported"],
        ["unparseable-line", 8, "skipped"],
        ["invalid-row", 9, "skipped"],
        ["crossed-book", 9, "reported"], // still crossed: the bid at 102 stays
      ],
    );
    const afterInsert = books[3];
    assert.ok(afterInsert !== undefined);
    assert.deepEqual([...afterInsert.bidPrice], [100.5]);
    assert.deepEqual([...afterInsert.bidSize], [7]);
  });

  it("policy error: the first anomaly throws naming its line", () => {
    const e = rejection(() => replayBitmexRecording(lines, { policy: "error", source: "rec" }));
    assert.equal(e.field, "rec line 2");
  });
});

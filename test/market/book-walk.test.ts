/**
 * Book walk, depth curves and depth statistics (src/market/book-walk.ts).
 *
 * Sources: quant.md §3.9 (VWAP = Σ p_i min(q_i, rem)/Q, slippage = (VWAP − mid)/mid); hand-checked
 * examples worked in the comments; BitMEX's inverse average price (contracts / Σ contracts_i/p_i,
 * https://www.bitmex.com/app/contract/XBTUSD); and the independent Python walk of the final rebuilt
 * XBTUSD book, `python3 scripts/reference/liquidity_bitmex_book.py` →
 * test/fixtures/liquidity-bitmex-book.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { bitmexBookSnapshots, readBitmexRecording } from "../../src/market/bitmex-recording.js";
import {
  type AmountUnit,
  depthCurve,
  depthStatistics,
  type OrderSide,
  quantileSorted,
  slippageStatistics,
  walkBook,
} from "../../src/market/book-walk.js";
import {
  type ContractSpec,
  LINEAR_UNIT,
  midPrice,
  type OrderBook,
  orderBookFromLevels,
  sideDepth,
  XBTUSD_CONTRACT,
} from "../../src/market/orderbook.js";
import { assertNear, assertRel } from "../helpers/close.js";

const RECORDING = new URL(
  "../../data/orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt",
  import.meta.url,
).pathname;
const FIXTURE = JSON.parse(
  readFileSync(new URL("../fixtures/liquidity-bitmex-book.json", import.meta.url), "utf8"),
) as {
  finalBook: { mid: number };
  walks: {
    side: OrderSide;
    unit: AmountUnit;
    amount: number;
    filledQuote: number;
    filledBase: number;
    vwap: number;
    slippage: number;
    levelsConsumed: number;
    worstPrice: number;
    unfilled: number;
  }[];
};

function book(
  bids: [number, number][],
  asks: [number, number][],
  contract: ContractSpec = LINEAR_UNIT,
): OrderBook {
  return orderBookFromLevels(
    {
      symbol: "TEST",
      timeMs: 0,
      bidPrice: bids.map((l) => l[0]),
      bidSize: bids.map((l) => l[1]),
      askPrice: asks.map((l) => l[0]),
      askSize: asks.map((l) => l[1]),
    },
    { contract },
  ).book;
}

// Linear book, mid 100: bids 99 × 1, 98 × 3; asks 101 × 1, 102 × 2, 104 × 5.
const HAND = book(
  [
    [99, 1],
    [98, 3],
  ],
  [
    [101, 1],
    [102, 2],
    [104, 5],
  ],
);

describe("walkBook: hand-checked examples", () => {
  it("buy 2.5 base: 1 @ 101 + 1.5 @ 102 = 254 → VWAP 101.6, 160 bps, 2 levels, worst 102", () => {
    const w = walkBook(HAND, "buy", 2.5);
    assertNear(w.vwap, 101.6, 1e-12, "vwap");
    assertNear(w.slippage, 0.016, 1e-15, "slippage");
    assertNear(w.slippageBps, 160, 1e-11, "bps");
    assertNear(w.slippageQuote, 4, 1e-12, "quote cost 254 − 250");
    assert.equal(w.levelsConsumed, 2);
    assert.equal(w.worstPrice, 102);
    assert.equal(w.bestPrice, 101);
    assert.equal(w.unfilled, 0);
    assert.equal(w.exhausted, false);
  });

  it("sell 3 base: 1 @ 99 + 2 @ 98 = 295 → VWAP 98.333…, slippage 1/60", () => {
    const w = walkBook(HAND, "sell", 3);
    assertNear(w.vwap, 295 / 3, 1e-12, "vwap");
    assertNear(w.slippage, 1 / 60, 1e-15, "slippage");
    assert.equal(w.levelsConsumed, 2);
  });

  it("buy 355 quote: 101 + 204 + 50 @ 104 → base 3 + 50/104, VWAP 355 / 3.480769…", () => {
    const w = walkBook(HAND, "buy", 355, "quote");
    assertNear(w.filledBase, 3 + 50 / 104, 1e-12, "base");
    assertNear(w.vwap, 355 / (3 + 50 / 104), 1e-10, "vwap");
    assert.equal(w.levelsConsumed, 3);
  });

  it("buy 10 base exhausts the 8 on offer: 825 / 8 = 103.125, 2 unfilled", () => {
    const w = walkBook(HAND, "buy", 10);
    assert.equal(w.exhausted, true);
    assert.equal(w.unfilled, 2);
    assert.equal(w.filledBase, 8);
    assertNear(w.vwap, 103.125, 1e-12, "vwap");
    assert.equal(w.worstPrice, 104);
  });

  it("inverse (1 USD contracts): 2,000 contracts = 1,100 @ 110 + 900 @ 120 → 17.5 BTC, VWAP 2000/17.5", () => {
    const inv = book(
      [[90, 900]],
      [
        [110, 1100],
        [120, 1200],
      ],
      XBTUSD_CONTRACT,
    );
    const w = walkBook(inv, "buy", 2000, "contracts");
    assertNear(w.filledBase, 17.5, 1e-12, "BTC");
    assert.equal(w.filledQuote, 2000);
    assertNear(w.vwap, 2000 / 17.5, 1e-12, "harmonic VWAP");
    // The same order in BTC: 10 BTC at 110, then 5 BTC = 600 contracts at 120.
    const b = walkBook(inv, "buy", 15, "base");
    assertNear(b.filledContracts, 1700, 1e-9, "contracts");
    assertNear(b.vwap, 1700 / 15, 1e-12, "vwap");
  });

  it("zero size fills nothing; bad input throws", () => {
    const w = walkBook(HAND, "buy", 0);
    assert.equal(w.levelsConsumed, 0);
    assert.equal(w.slippage, 0);
    assert.throws(() => walkBook(HAND, "buy", -1), InputError);
    assert.throws(() => walkBook(HAND, "hold" as OrderSide, 1), InputError);
  });
});

describe("walkBook: parity with the independent Python walk (final XBTUSD book)", () => {
  const books = bitmexBookSnapshots(readBitmexRecording(RECORDING), "XBTUSD");
  const last = books[books.length - 1];
  assert.ok(last !== undefined);
  it(`mid ${FIXTURE.finalBook.mid}`, () => assert.equal(midPrice(last), FIXTURE.finalBook.mid));
  for (const ref of FIXTURE.walks) {
    it(`${ref.side} ${ref.amount} ${ref.unit}: ${(ref.slippage * 1e4).toFixed(3)} bps over ${ref.levelsConsumed} levels`, () => {
      const w = walkBook(last, ref.side, ref.amount, ref.unit);
      assertRel(w.vwap, ref.vwap, 1e-12, "vwap");
      assertNear(w.slippage, ref.slippage, 1e-12, "slippage");
      assertRel(w.filledBase, ref.filledBase, 1e-12, "base");
      assertRel(w.filledQuote, ref.filledQuote, 1e-12, "quote");
      assert.equal(w.levelsConsumed, ref.levelsConsumed);
      assert.equal(w.worstPrice, ref.worstPrice);
      assertNear(w.unfilled, ref.unfilled, 1e-6, "unfilled");
    });
  }
});

/** A random valid book: levels on a tick grid around 1000, sizes 0.1–50. */
const arbBook = (contract: ContractSpec) =>
  fc
    .record({
      bidGaps: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 40 }),
      askGaps: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 40 }),
      bidSizes: fc.array(fc.double({ min: 0.1, max: 50, noNaN: true }), { minLength: 40, maxLength: 40 }),
      askSizes: fc.array(fc.double({ min: 0.1, max: 50, noNaN: true }), { minLength: 40, maxLength: 40 }),
    })
    .map(({ bidGaps, askGaps, bidSizes, askSizes }) => {
      const ladder = (gaps: number[], sizes: number[], sign: number) => {
        let p = 1000;
        return gaps.map((g, i): [number, number] => {
          p += sign * g * 0.5;
          return [p, (sizes[i] as number) * 1000];
        });
      };
      const bids = ladder(bidGaps, bidSizes, -1);
      const asks = ladder(askGaps, askSizes, 1);
      return book(bids, asks, contract);
    });

describe("walkBook: properties", () => {
  for (const [name, contract] of [
    ["linear", LINEAR_UNIT],
    ["inverse", XBTUSD_CONTRACT],
  ] as const) {
    it(`${name}: slippage non-decreasing in size; VWAP between best and worst; fills add up`, () => {
      fc.assert(
        fc.property(
          arbBook(contract),
          fc.constantFrom<OrderSide>("buy", "sell"),
          fc.constantFrom<AmountUnit>("base", "quote", "contracts"),
          fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1.2, noNaN: true })), {
            minLength: 2,
            maxLength: 8,
          }),
          (b, side, unit, fractions) => {
            const total = sideDepth(b, side === "buy" ? "ask" : "bid");
            const full = unit === "base" ? total.base : unit === "quote" ? total.quote : total.contracts;
            const sizes = fractions.map((f) => f * full).sort((x, y) => x - y);
            let previous = Number.NEGATIVE_INFINITY;
            for (const q of sizes) {
              const w = walkBook(b, side, q, unit);
              const filled =
                unit === "base" ? w.filledBase : unit === "quote" ? w.filledQuote : w.filledContracts;
              assertNear(filled + w.unfilled, q, 1e-9 * Math.max(1, q), "filled + unfilled");
              if (q === 0) continue;
              assert.ok(w.slippage >= previous - 1e-12, `slippage fell: ${w.slippage} < ${previous}`);
              previous = w.slippage;
              const lo = Math.min(w.bestPrice, w.worstPrice);
              const hi = Math.max(w.bestPrice, w.worstPrice);
              assert.ok(
                w.vwap >= lo * (1 - 1e-12) && w.vwap <= hi * (1 + 1e-12),
                `vwap ${w.vwap} ∉ [${lo}, ${hi}]`,
              );
              assert.ok(w.slippage > 0, "crossing the spread always costs");
              assert.equal(w.exhausted, w.unfilled > 0);
            }
          },
        ),
      );
    });
  }

  it("buy/sell symmetry on a book mirrored about its mid (linear)", () => {
    fc.assert(
      fc.property(arbBook(LINEAR_UNIT), fc.double({ min: 1e-3, max: 2000, noNaN: true }), (b, q) => {
        const mid = midPrice(b);
        const mirrored = book(
          Array.from(b.askPrice, (p, i): [number, number] => [2 * mid - p, b.askSize[i] as number]),
          Array.from(b.bidPrice, (p, i): [number, number] => [2 * mid - p, b.bidSize[i] as number]),
        );
        const buy = walkBook(b, "buy", q);
        const sell = walkBook(mirrored, "sell", q);
        assertNear(sell.slippage, buy.slippage, 1e-12, "slippage");
        assert.equal(sell.levelsConsumed, buy.levelsConsumed);
        assertNear(sell.vwap, 2 * mid - buy.vwap, 1e-9, "mirrored vwap");
      }),
    );
  });
});

describe("depthCurve and depthStatistics", () => {
  it("hand example: within 1.5 % of mid 100 — bids ≥ 98.5 hold 1 (99), asks ≤ 101.5 hold 1 (101)", () => {
    const c = depthCurve(HAND, [0, 150, 250, 1000]);
    assert.deepEqual([...c.bidBase], [0, 1, 4, 4]);
    assert.deepEqual([...c.askBase], [0, 1, 3, 8]);
    assert.deepEqual([...c.askQuote], [0, 101, 305, 825]);
    assert.deepEqual([...c.bidQuote], [0, 99, 393, 393]);
    assert.throws(() => depthCurve(HAND, [10, 5]), InputError);
  });

  it("property: the walk of the depth within d never goes past mid·(1 ± d)", () => {
    fc.assert(
      fc.property(arbBook(XBTUSD_CONTRACT), fc.double({ min: 1, max: 500, noNaN: true }), (b, d) => {
        const c = depthCurve(b, [d]);
        const mid = midPrice(b);
        const askBase = c.askBase[0] as number;
        if (askBase > 0) {
          const w = walkBook(b, "buy", askBase, "base");
          assert.ok(w.worstPrice <= mid * (1 + d / 1e4), "ask walk beyond d");
        }
        const bidContracts = c.bidContracts[0] as number;
        if (bidContracts > 0) {
          const w = walkBook(b, "sell", bidContracts, "contracts");
          assert.ok(w.worstPrice >= mid * (1 - d / 1e4), "bid walk beyond d");
        }
      }),
    );
  });

  it("mean and 10th percentile over three books (depth 1, 2, 3): 2 and 1.2 (type 7)", () => {
    const mk = (s: number) => book([[99, s]], [[101, s]]);
    const stats = depthStatistics([mk(3), mk(1), mk(2)], [200]);
    assert.equal(stats.snapshots, 3);
    assertNear(stats.bidQuoteMean[0], 2 * 99, 1e-12, "mean");
    assertNear(stats.bidQuoteStressed[0], 1.2 * 99, 1e-12, "p10");
    assertNear(stats.askQuoteStressed[0], 1.2 * 101, 1e-12, "p10");
  });

  it("slippageStatistics: three books with asks at 101, 102, 104, bids mirrored (mid 100) → 1, 2, 4 %", () => {
    const mk = (ask: number) => book([[200 - ask, 10]], [[ask, 10]]);
    const s = slippageStatistics([mk(104), mk(101), mk(102)], "buy", 1, "base", 0.9);
    assertNear(s.mean, (0.01 + 0.02 + 0.04) / 3, 1e-15, "mean");
    // sorted 1, 2, 4 %: h = 2 · 0.9 = 1.8 → 2 + 0.8 · 2 = 3.6 %
    assertNear(s.stressed, 0.036, 1e-15, "p90");
    assertNear(s.max, 0.04, 1e-15, "max");
    assert.equal(s.exhaustedSnapshots, 0);
    assert.equal(slippageStatistics([mk(101)], "buy", 20).exhaustedSnapshots, 1);
  });

  it("quantileSorted is numpy's linear (type 7) quantile", () => {
    // numpy.quantile([1, 2, 4, 8], [0, 0.1, 0.5, 0.9, 1]) = [1, 1.3, 3, 6.8, 8]
    const x = [1, 2, 4, 8];
    assert.deepEqual(
      [0, 0.1, 0.5, 0.9, 1].map((p) => Number(quantileSorted(x, p).toFixed(12))),
      [1, 1.3, 3, 6.8, 8],
    );
  });

  it("XBTUSD snapshots on a 1 s clock: stressed depth ≤ mean at every distance", () => {
    const books = bitmexBookSnapshots(readBitmexRecording(RECORDING), "XBTUSD", 1000);
    const s = depthStatistics(books, [5, 10, 25, 50, 100]);
    assert.ok(s.snapshots >= 25);
    const sell = slippageStatistics(books, "sell", 1e7, "quote");
    assert.ok(sell.stressed >= sell.mean && sell.max >= sell.stressed);
    for (let k = 0; k < 5; k++) {
      assert.ok((s.bidQuoteStressed[k] as number) <= (s.bidQuoteMean[k] as number));
      assert.ok((s.askQuoteStressed[k] as number) <= (s.askQuoteMean[k] as number));
    }
  });
});

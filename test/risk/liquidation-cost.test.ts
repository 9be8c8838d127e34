/**
 * Liquidation cost = fee + slippage (src/risk/liquidation-cost.ts; quant.md §3.9).
 *
 * Hand-worked examples on small books; on the rebuilt XBTUSD book, the slippage part equals the
 * independent Python walk (`python3 scripts/reference/liquidity_bitmex_book.py` →
 * test/fixtures/liquidity-bitmex-book.json).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { bitmexBookSnapshots, readBitmexRecording } from "../../src/market/bitmex-recording.js";
import {
  LINEAR_UNIT,
  type OrderBook,
  orderBookFromLevels,
  XBTUSD_CONTRACT,
} from "../../src/market/orderbook.js";
import {
  liquidationCost,
  liquidationCostCurve,
  liquidationCostFromImpact,
} from "../../src/risk/liquidation-cost.js";
import { assertNear } from "../helpers/close.js";

const WALKS = (
  JSON.parse(readFileSync(new URL("../fixtures/liquidity-bitmex-book.json", import.meta.url), "utf8")) as {
    walks: {
      side: string;
      unit: string;
      amount: number;
      slippage: number;
      filledBase: number;
      filledQuote: number;
    }[];
  }
).walks;

const mk = (bids: number[][], asks: number[][], contract = LINEAR_UNIT): OrderBook =>
  orderBookFromLevels(
    {
      symbol: "T",
      timeMs: 0,
      bidPrice: bids.map((l) => l[0] as number),
      bidSize: bids.map((l) => l[1] as number),
      askPrice: asks.map((l) => l[0] as number),
      askSize: asks.map((l) => l[1] as number),
    },
    { contract },
  ).book;

describe("liquidationCost: hand examples", () => {
  it("linear long of 3 sold into bids 99 × 1, 98 × 3 (mid 100), fee 5 bps: 5 + 0.1475 = 5.1475", () => {
    const book = mk(
      [
        [99, 1],
        [98, 3],
      ],
      [[101, 1]],
    );
    const c = liquidationCost(book, { positionSide: "long", size: 3, feeRate: 0.0005 });
    assertNear(c.notionalAtMidQuote, 300, 1e-12, "notional");
    assertNear(c.slippageQuote, 5, 1e-12, "300 − 295");
    assertNear(c.feeQuote, 0.1475, 1e-15, "0.0005 × 295");
    assertNear(c.totalQuote, 5.1475, 1e-12, "total");
    assertNear(c.totalFraction, 5.1475 / 300, 1e-15, "fraction");
  });

  it("inverse long of 900 USD contracts sold at 90 (mid 100), fee 7.5 bps on 10 BTC: 100 + 0.75 USD", () => {
    const book = mk([[90, 900]], [[110, 1100]], XBTUSD_CONTRACT);
    const c = liquidationCost(book, { positionSide: "long", size: 900, unit: "contracts", feeRate: 0.00075 });
    assertNear(c.filledBase, 10, 1e-12, "BTC");
    assertNear(c.slippageQuote, 100, 1e-9, "1000 − 900");
    assertNear(c.feeQuote, 0.75, 1e-12, "0.00075 × 10 BTC × 100");
  });

  it("a short is bought back from the asks; exhaustion is reported", () => {
    const book = mk(
      [[99, 1]],
      [
        [101, 1],
        [102, 1],
      ],
    );
    const c = liquidationCost(book, { positionSide: "short", size: 3, feeRate: 0 });
    assert.equal(c.exhausted, true);
    assert.equal(c.unfilled, 1);
    assertNear(c.slippageQuote, 203 - 200, 1e-12, "filled part");
  });

  it("model version: fee + half-spread + Y σ √(Q/V)", () => {
    const m = { y: 1, dailyVol: 0.02, dailyVolume: 1e9, exponent: 0.5 };
    assertNear(liquidationCostFromImpact(1e7, 0.0005, 0.0001, m), 0.0005 + 0.0001 + 0.002, 1e-15, "cost");
    assert.throws(() => liquidationCostFromImpact(1e7, 5, 0, m), InputError);
  });
});

describe("liquidationCost on the rebuilt XBTUSD book", () => {
  const books = bitmexBookSnapshots(
    readBitmexRecording(
      new URL(
        "../../data/orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt",
        import.meta.url,
      ).pathname,
    ),
    "XBTUSD",
  );
  const last = books[books.length - 1] as OrderBook;

  it("curve over $10k–$50M longs: slippage = the Python walk's, fee = 7.5 bps of the BTC sold", () => {
    const refs = WALKS.filter((w) => w.side === "sell" && w.unit === "quote");
    const curve = liquidationCostCurve(
      last,
      refs.map((w) => w.amount),
      {
        positionSide: "long",
        unit: "quote",
        feeRate: 0.00075,
      },
    );
    curve.forEach((c, i) => {
      const ref = refs[i];
      assert.ok(ref !== undefined);
      assertNear(c.slippage, ref.slippage, 1e-12, `slippage ${ref.amount}`);
      const mid = c.notionalAtMidQuote / c.filledBase;
      assertNear(c.feeQuote, 0.00075 * ref.filledBase * mid, 1e-9, "fee");
      if (i > 0) assert.ok(c.totalFraction >= (curve[i - 1]?.totalFraction ?? 0) - 1e-15, "non-decreasing");
    });
  });
});

describe("property", () => {
  it("the cost fraction is non-decreasing in size, for longs and shorts, linear and inverse", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.1, max: 10, noNaN: true })), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.constantFrom("long", "short" as const),
        fc.constantFrom(LINEAR_UNIT, XBTUSD_CONTRACT),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        (levels, positionSide, contract, feeRate) => {
          const bids: number[][] = [];
          const asks: number[][] = [];
          let offset = 0;
          for (const [g, q] of levels) {
            offset += g;
            bids.push([1000 - offset, q * 100]);
            asks.push([1001 + offset, q * 100]);
          }
          const book = mk(bids, asks, contract);
          let previous = -1;
          for (const size of [1, 10, 50, 100, 300, 1000]) {
            const c = liquidationCost(book, { positionSide, size, unit: "contracts", feeRate });
            assert.ok(c.totalFraction >= previous - 1e-12, `${c.totalFraction} < ${previous}`);
            previous = c.totalFraction;
          }
        },
      ),
    );
  });
});

/**
 * Inspection of market-data files (src/market/inspect.ts): kind recognition, order, gaps and
 * anomalies of the bundled candle, funding, order-book, option-chain and DVOL files.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspectFile } from "../../src/market/inspect.js";

describe("inspectFile", () => {
  test("inspect reports the bundled daily file's newest-first order and its four 2026 gaps", () => {
    const r = inspectFile("btc-1d");
    assert.equal(r.kind, "candles");
    assert.equal(r.order, "descending");
    assert.equal(r.records, 3142);
    assert.equal(r.gaps.count, 4);
    assert.equal(r.firstTime, "2017-08-17T00:00:00.000Z");
  });

  test("data inspect recognises funding, order-book, option-chain and DVOL files", () => {
    assert.equal(inspectFile("btc-funding-8h").anomalies[0]?.count, 5);
    const book = inspectFile("bitmex-xbtusd");
    assert.deepEqual(book.details.orderBookL2ByAction, {
      partial: 10,
      insert: 445,
      update: 1090,
      delete: 434,
    });
    const btc = inspectFile("deribit-btc");
    assert.equal(btc.records, 676);
    // The BTC layout has mark_iv only; 147 missing bids (test/market/options.test.ts).
    assert.deepEqual(btc.details.quotesWith, { markIv: 676, bidIv: 0, askIv: 0, greeks: 0 });
    assert.equal((btc.details.markBand as Record<string, number>)["no-bid"], 147);
    // The ticker fixture with bid_iv, ask_iv and greeks: 128 rows, 24 without a bid, 4 marks outside.
    const ticker = inspectFile("test/fixtures/market/deribit-ticker-iv-greeks_btc_chain.csv");
    assert.deepEqual(ticker.details.markBand, { inside: 100, outside: 4, "no-bid": 24 });
    assert.equal((ticker.details.quotesWith as { greeks: number }).greeks, 128);
    assert.equal(inspectFile("btc-dvol").records, 1102);
  });

  test("bare JSON pairs need their kind; with it they are inspected", () => {
    const path = "data/funding/binance_btcusdt_funding-8h-percent_2022-11_2025-11.json";
    assert.throws(() => inspectFile(path), /--kind: is needed/);
    const r = inspectFile(path, { kind: "funding", funding: { rateUnit: "percent" } });
    assert.equal(r.kind, "funding");
    assert.equal(r.format, "json-pairs");
  });
});

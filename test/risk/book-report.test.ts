/**
 * The cost of closing a position into an order book (src/risk/book-report.ts), on the bundled
 * BitMEX recording.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bitmexBookSnapshots, readBitmexRecording } from "../../src/market/bitmex-recording.js";
import { walkBook } from "../../src/market/book-walk.js";
import { resolveDataArgument } from "../../src/market/bundled.js";
import { bookReport } from "../../src/risk/book-report.js";

describe("bookReport", () => {
  const bookOptions = {
    size: 2_000_000,
    unit: "quote",
    feeRate: 0.0005,
    curveMultiples: [0.5, 1, 4],
    depthBps: [5, 50],
  } as const;

  test("the walk is the library's on the recording's last snapshot; costs grow with size", () => {
    const source = resolveDataArgument("bitmex-xbtusd", "orderbook").path;
    const books = bitmexBookSnapshots(readBitmexRecording(source), "XBTUSD", 1000);
    const loaded = { source, kind: "bitmex-recording", books } as const;
    // 30 s of updates sampled once a second (the shared README: 2021-07-22 22:36:07 → 22:36:38).
    assert.ok(loaded.books.length >= 25 && loaded.books.length <= 32);
    const r = bookReport(loaded, bookOptions);
    const last = loaded.books[loaded.books.length - 1];
    assert.ok(last !== undefined);
    assert.deepEqual(r.sell, walkBook(last, "sell", 2_000_000, "quote"));
    const costs = r.curve.map((c) => c.long.totalFraction);
    assert.ok(costs[0] !== undefined && costs[2] !== undefined && costs[0] <= costs[2]);
    assert.ok((r.curve[0]?.long.totalFraction ?? 0) >= 0.0005);
    assert.ok(
      r.depth[0] !== undefined && r.depth[1] !== undefined && r.depth[0].bidQuote <= r.depth[1].bidQuote,
    );
    assert.ok(r.overSnapshots !== null && r.overSnapshots.sellStressed >= r.overSnapshots.sellMean);
  });
});

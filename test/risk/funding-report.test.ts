/**
 * The funding report of a funding history (src/risk/funding-report.ts), on the bundled Binance
 * BTCUSDT 8-hour series.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveDataArgument } from "../../src/market/bundled.js";
import { readFundingFile } from "../../src/market/funding.js";
import { fundingCost } from "../../src/risk/funding.js";
import { fundingReport } from "../../src/risk/funding-report.js";

describe("fundingReport", () => {
  test("the position's payment is the library's; regime rows add up to the series", () => {
    const loaded = readFundingFile(resolveDataArgument("btc-funding-8h", "funding").path, {
      onBadRow: "drop-and-report",
    });
    const position = {
      side: "long",
      notionalQuote: 1_000_000,
      fromMs: Date.UTC(2021, 1, 1),
      horizonHours: 720,
      leverage: 10,
      maintenanceMarginRate: 0.004,
    } as const;
    const r = fundingReport(loaded, { regimeWindow: 21, regimeThreshold: 0.0001, position });
    const lib = fundingCost(loaded.series, position);
    assert.equal(r.position?.totalQuote, lib.totalQuote);
    const rows = Object.values(r.regimes.summary).reduce((s, x) => s + x.rows, 0);
    assert.equal(rows, loaded.series.time.length - 20);
    // Paying funding on a long erodes the distance to liquidation when the rate is positive.
    assert.ok((r.position?.drag.finalDistance ?? 1) < (r.position?.drag.initialDistance ?? 0));
  });

  test("without a position the report has none", () => {
    const loaded = readFundingFile(resolveDataArgument("btc-funding-8h", "funding").path, {
      onBadRow: "drop-and-report",
    });
    const r = fundingReport(loaded, { regimeWindow: 21, regimeThreshold: 0.0001, position: null });
    assert.equal(r.position, null);
    assert.equal(r.rows, loaded.series.time.length);
  });
});

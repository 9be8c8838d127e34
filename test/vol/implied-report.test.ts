/**
 * The implied-volatility report of an option chain (src/vol/implied-report.ts), on the bundled
 * Deribit BTC snapshot and DVOL closes.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { readDeribitChainFile, readDvolFile } from "../../src/market/options.js";
import { impliedReport, impliedSmiles } from "../../src/vol/implied-report.js";

describe("impliedReport", () => {
  test("BTC chain: every expiry fitted, the index from the two expiries around 30 days, DVOL dated honestly", () => {
    const source = bundledPath("options/deribit_btc_option-chain_2025-12-05.csv");
    const { chain } = readDeribitChainFile(source);
    const dvol = readDvolFile(bundledPath("options/deribit_btc_dvol-daily-close_2022-11_2025-11.json"));
    const report = impliedReport({ source, chain, dvol }, { weighting: "vega" });
    const slices = impliedSmiles(chain, "vega");
    assert.equal(report.expiries.length, slices.length);
    for (const e of report.expiries)
      assert.ok(e.fit.weightedRmseVol < 0.02, `${e.expiry}: ${e.fit.weightedRmseVol}`);
    const days = (iso: string) => (Date.parse(iso) - Date.parse(report.snapshot)) / 86_400_000;
    assert.ok(
      report.index !== null && days(report.index.nearExpiry) <= 30 && days(report.index.nextExpiry) > 30,
    );
    // The last DVOL close precedes the snapshot (the file ends 2025-11-12).
    assert.equal(report.dvol?.date, "2025-11-12");
    assert.ok((report.dvol?.daysBeforeSnapshot ?? 0) > 20);
  });
});

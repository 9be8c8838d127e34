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
    assert.deepEqual(report.unfitted, []);
    // The near term's strip ends at two zero bids on both sides; the next term's chain stops at
    // K 55,000 and 160,000 with bids left (−2.72σ and +2.80σ): truncated, and said.
    const wings = report.index?.wings;
    assert.deepEqual([wings?.near.put.truncated, wings?.near.call.truncated], [false, false]);
    assert.deepEqual([wings?.next.put.strike, wings?.next.call.strike], [55_000, 160_000]);
    assert.deepEqual([wings?.next.put.truncated, wings?.next.call.truncated], [true, true]);
    assert.ok(Math.abs((wings?.next.put.sigmas ?? 0) + 2.72) < 0.01);
    assert.equal(report.index?.warnings.length, 2);
    assert.match(
      report.index?.warnings[0] ?? "",
      /^2026-01-30 put wing truncated: the strip ends at the chain's last listed strike \(K 55000/,
    );
    assert.ok(
      Math.abs((report.index?.overAtm30d ?? 0) - (report.index?.annualVol ?? 0) + (report.atm30d ?? 0)) <
        1e-15,
    );
    // The last DVOL close precedes the snapshot (the file ends 2025-11-12).
    assert.equal(report.dvol?.date, "2025-11-12");
    assert.ok((report.dvol?.daysBeforeSnapshot ?? 0) > 20);
  });

  test("a chain of deep puts only (K < 0.85 F): thin expiries are listed unfitted, one-wing fits are flagged", () => {
    const source = bundledPath("options/deribit_btc_option-chain_2025-12-05.csv");
    const { chain } = readDeribitChainFile(source);
    const puts = {
      ...chain,
      quotes: chain.quotes.filter((q) => q.kind === "put" && q.strike < 0.85 * q.forwardUsd),
    };
    const report = impliedReport({ source, chain: puts, dvol: null }, { weighting: "vega" });
    assert.ok(report.unfitted.length > 0);
    for (const u of report.unfitted) {
      assert.ok(u.points < 5);
      assert.equal(u.reason, `${u.points} usable quotes for SVI's 5 parameters`);
    }
    const flagged = report.expiries.filter((e) => e.fit.atBound.includes("rho"));
    assert.ok(flagged.length > 0, "some put-wing fits end at ρ = −1");
    for (const e of flagged) assert.ok(e.fit.params.rho < -0.999999 && e.fit.warnings.length > 0);
  });
});

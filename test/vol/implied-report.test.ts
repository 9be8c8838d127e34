/**
 * The implied-volatility report of an option chain (src/vol/implied-report.ts), on the bundled
 * Deribit BTC snapshot and DVOL closes.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { markBand, readDeribitChainFile, readDvolFile } from "../../src/market/options.js";
import { impliedReport, impliedSmiles } from "../../src/vol/implied-report.js";
import { smileSlicesFromChain } from "../../src/vol/svi.js";

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

  test("BTC chain: marks without a bid or outside their bid-ask band are left out and counted per expiry", () => {
    const source = bundledPath("options/deribit_btc_option-chain_2025-12-05.csv");
    const { chain } = readDeribitChainFile(source);
    const report = impliedReport({ source, chain, dvol: null }, { weighting: "vega" });
    assert.equal(report.bandFilter, true);
    // Counted independently over the source CSV with python's csv module (out-of-the-money rows:
    // puts K < S0, calls K ≥ S0; no bid = empty or 0 bid_btc; outside = mark < bid or mark > ask).
    const python: Record<string, [number, number]> = {
      "2025-12-06": [3, 1],
      "2025-12-07": [1, 1],
      "2025-12-08": [0, 1],
      "2025-12-12": [2, 0],
      "2025-12-19": [0, 3],
      "2025-12-26": [19, 1],
      "2026-01-30": [0, 0],
      "2026-02-27": [0, 2],
      "2026-03-27": [1, 2],
      "2026-06-26": [0, 0],
      "2026-09-25": [0, 0],
    };
    for (const e of report.expiries) {
      const band = e.band;
      assert.ok(band !== null);
      assert.deepEqual([band.noBid, band.markOutsideBand], python[e.expiry.slice(0, 10)], e.expiry);
      assert.equal(e.points, band.quotes - band.noBid - band.markOutsideBand, e.expiry);
      assert.ok(band.fitInsideBand <= band.twoSided && band.twoSided <= e.points, e.expiry);
    }
    for (const slice of impliedSmiles(chain, "vega"))
      for (const q of slice.quotes) assert.equal(markBand(q), "inside", q.instrument);
    // 2025-12-26: 66 out-of-the-money quotes, 19 far strikes without a bid.
    const dec26 = report.expiries.find((e) => e.expiry.startsWith("2025-12-26"));
    assert.equal(dec26?.band?.quotes, 66);
  });

  test("the band check is the same from the file's bid_iv/ask_iv and from the inverted bid and ask premia", () => {
    const path = new URL("../fixtures/market/deribit-ticker-iv-greeks_btc_chain.csv", import.meta.url)
      .pathname;
    const { chain } = readDeribitChainFile(path);
    assert.ok(chain.quotes.some((q) => q.bidIv !== undefined));
    const withIv = impliedReport({ source: path, chain, dvol: null }, { weighting: "vega" });
    const bare = {
      ...chain,
      quotes: chain.quotes.map((q) => ({ ...q, bidIv: undefined, askIv: undefined })),
    };
    const without = impliedReport({ source: path, chain: bare, dvol: null }, { weighting: "vega" });
    assert.equal(withIv.expiries.length, 3);
    assert.deepEqual(
      withIv.expiries.map((e) => e.band),
      without.expiries.map((e) => e.band),
    );
    assert.ok(withIv.expiries.every((e) => (e.band?.twoSided ?? 0) > 0));
  });

  test("a chain without bids is fitted whole and says so; an expiry left with no quote in band is listed unfitted", () => {
    const source = bundledPath("options/deribit_btc_option-chain_2025-12-05.csv");
    const { chain } = readDeribitChainFile(source);
    const noBids = {
      ...chain,
      quotes: chain.quotes.map((q) => ({ ...q, bidPremium: undefined, askPremium: undefined })),
    };
    const whole = impliedReport({ source, chain: noBids, dvol: null }, { weighting: "vega" });
    assert.equal(whole.bandFilter, false);
    assert.ok(whole.expiries.every((e) => e.band === null));
    assert.deepEqual(
      whole.expiries.map((e) => e.points),
      smileSlicesFromChain(chain, "vega").map((s) => s.quotes.length),
    );
    // The nearest expiry's bids removed, the rest kept: it has nothing left to fit.
    const near = Math.min(...chain.quotes.map((q) => q.expiryMs));
    const bare = {
      ...chain,
      quotes: chain.quotes.map((q) => (q.expiryMs === near ? { ...q, bidPremium: undefined } : q)),
    };
    const report = impliedReport({ source, chain: bare, dvol: null }, { weighting: "vega" });
    assert.deepEqual(report.unfitted, [
      {
        expiry: new Date(near).toISOString(),
        points: 0,
        leftOut: 20,
        reason: "0 usable quotes for SVI's 5 parameters",
      },
    ]);
  });
});

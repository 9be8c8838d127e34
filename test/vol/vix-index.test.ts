/**
 * VIX-style index: the selection rules of the Cboe methodology on small boards (the published
 * worked example is in test/parity/cboe-vix.test.ts), the model-free variance of a flat Black-76
 * smile (Demeterfi, Derman, Kamal & Zou 1999: the strip replicates σ² up to strike
 * discretisation), and the bundled Deribit chains against DVOL and the ATM level.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { readDeribitChainFile, readDvolFile } from "../../src/market/options.js";
import { black76Price } from "../../src/vol/black76.js";
import { fitSvi, smileSlicesFromChain, sviTotalVariance } from "../../src/vol/svi.js";
import {
  type VixStrikeQuotes,
  vixBlend,
  vixIndexFromChain,
  vixTermVariance,
} from "../../src/vol/vix-index.js";
import { assertNear, assertRel } from "../helpers/close.js";

const row = (strike: number, cb?: number, ca?: number, pb?: number, pa?: number): VixStrikeQuotes => ({
  strike,
  callBid: cb,
  callAsk: ca,
  putBid: pb,
  putAsk: pa,
});

describe("selection rules", () => {
  // F from parity at 100: C − P = 6.4 − 2.6 = 3.8 → F = 103.8 (R = 0); K0 = 100.
  const board = [
    row(60, 41, 42, 0.05, 0.25),
    row(65, 36, 37, 0, 0.3), // zero put bid
    row(80, 23, 24, 0, 0.3), // zero put bid: second in a row → walk stops, 60 not used
    row(90, 13.9, 14.5, 0.6, 1.0),
    row(95, 9.6, 10.1, 0, 0.2), // lone zero bid: skipped, walk goes on
    row(98, 7, 7.4, 1.8, 2.2),
    row(100, 6.2, 6.6, 2.4, 2.8),
    row(110, 1.9, 2.3, 7.6, 8.0),
    row(130, 0.1, 0.3, 24.7, 25.1),
  ];
  const got = vixTermVariance({ strikes: board, years: 0.25, rate: 0 });
  it("forward from the strike with the smallest |C − P|, K0 below it", () => {
    assert.equal(got.parityStrike, 100);
    assertNear(got.forward, 103.8, 1e-12);
    assert.equal(got.k0, 100);
  });
  it("a lone zero bid is skipped; two in a row stop the walk; ΔK over the kept strikes", () => {
    assert.deepEqual(
      got.contributions.map((c) => [c.strike, c.type, c.deltaK]),
      [
        [90, "put", 8], // endpoint: 98 − 90
        [98, "put", 5], // (100 − 90)/2, 95 skipped
        [100, "put/call average", 6], // (110 − 98)/2
        [110, "call", 15],
        [130, "call", 20],
      ],
    );
    assertNear(got.contributions[2]?.mid, (2.6 + 6.4) / 2, 1e-15);
    assert.deepEqual(
      got.skipped.map((s) => [s.strike, s.side, s.why]),
      [
        [95, "put", "zero-bid"],
        [80, "put", "zero-bid"],
        [65, "put", "zero-bid"],
        [60, "put", "beyond-two-zero-bids"],
      ],
    );
  });
  it("wings: the put walk ended at two zero bids (complete), the call walk ran out of strikes at 130 (truncated)", () => {
    const sd = Math.sqrt(got.variance * 0.25);
    assert.deepEqual(
      [got.wings.put.strike, got.wings.put.truncated, got.wings.call.strike, got.wings.call.truncated],
      [90, false, 130, true],
    );
    assertRel(got.wings.put.logMoneyness, Math.log(90 / 103.8), 1e-14);
    assertRel(got.wings.call.sigmas, Math.log(130 / 103.8) / sd, 1e-14);
    assertNear(got.wings.call.mid, 0.2, 1e-15);
  });
  it("σ² = (2/T)Σ ΔK/K² e^{RT} Q − (1/T)(F/K0 − 1)², by hand", () => {
    const sum =
      (8 * 0.8) / 8100 + (5 * 2) / 9604 + (6 * 4.5) / 10000 + (15 * 2.1) / 12100 + (20 * 0.2) / 16900;
    assertRel(got.stripSum, sum, 1e-14);
    assertRel(got.variance, 8 * sum - 4 * 0.038 ** 2, 1e-12);
  });
  it("rejects boards without a parity strike, duplicate strikes and bad T", () => {
    assert.throws(() => vixTermVariance({ strikes: [row(100, 1, 2)], years: 0.1, rate: 0 }), InputError);
    assert.throws(
      () => vixTermVariance({ strikes: [row(100, 1, 2, 1, 2), row(100)], years: 0.1, rate: 0 }),
      InputError,
    );
    assert.throws(() => vixTermVariance({ strikes: board, years: 0, rate: 0 }), InputError);
    assert.throws(() => vixBlend({ variance: 0.1, minutes: 50 }, { variance: 0.1, minutes: 40 }), InputError);
  });
});

describe("flat smile (fast-check): the strip replicates σ² (Demeterfi et al. 1999)", () => {
  it("dense strikes 1 % apart from 0.1F to 10F reproduce σ² within 1 %", () => {
    fc.assert(
      fc.property(
        // σ√T ≥ 0.059, so the 1 % strike spacing is at most a sixth of the smile's width.
        fc.double({ min: 0.3, max: 1.5, noNaN: true }),
        fc.double({ min: 14 / 365, max: 60 / 365, noNaN: true }),
        (vol, years) => {
          const forward = 1000;
          const strikes: VixStrikeQuotes[] = [];
          for (let k = 100; k <= 10_000; k *= 1.01) {
            const strike = Math.round(k * 100) / 100;
            const base = { forward, strike, timeToExpiryYears: years };
            const c = black76Price({ ...base, kind: "call" }, vol);
            const p = black76Price({ ...base, kind: "put" }, vol);
            strikes.push(row(strike, c, c, p, p));
          }
          const got = vixTermVariance({ strikes, years, rate: 0 });
          assertRel(got.forward, forward, 1e-9, "F");
          assertRel(Math.sqrt(got.variance), vol, 0.01, `σ at vol ${vol}, T ${years}`);
        },
      ),
      { numRuns: 40 },
    );
  });
  it("blending equal variances returns that volatility", () => {
    assertNear(
      vixBlend({ variance: 0.25, minutes: 20_000 }, { variance: 0.25, minutes: 60_000 }),
      0.5,
      1e-15,
    );
  });
});

describe("bundled Deribit chains (coin premia × F, zero rates)", () => {
  const data = (name: string) => new URL(`../../data/options/${name}`, import.meta.url).pathname;
  it("BTC 2025-12-05: 26DEC25 and 30JAN26 bracket 30 days; index 0.5011 vs ATM SVI 0.4548 and last DVOL (2025-11-12) 0.4487", () => {
    const { chain } = readDeribitChainFile(data("deribit_btc_option-chain_2025-12-05.csv"));
    const index = vixIndexFromChain(chain);
    assert.equal(index.near.expiryMs, Date.UTC(2025, 11, 26, 8));
    assert.equal(index.next.expiryMs, Date.UTC(2026, 0, 30, 8));
    assert.ok(index.near.minutes < 43_200 && index.next.minutes > 43_200);
    // Measured 0.50114 (near σ 0.5083, next σ 0.4929). The DVOL file ends 2025-11-12, 23 days
    // before the snapshot, so it is no same-day check: its last close is 44.87.
    assertNear(index.annualVol, 0.5011, 5e-4, "BTC index");
    const dvol = readDvolFile(data("deribit_btc_dvol-daily-close_2022-11_2025-11.json"));
    const lastDvol = dvol.annualVol[dvol.annualVol.length - 1] as number;
    assert.equal(lastDvol, 0.4487);
    // ATM level at 30 days from the SVI fits of the same two expiries (total variance linear in T):
    // measured 0.4548. A variance-swap-style index exceeds the ATM vol when the smile is convex
    // (Demeterfi et al. 1999 §4: the strip weights the wings by 1/K²), here by 4.6 vol points.
    const slices = smileSlicesFromChain(chain);
    const atm = [index.near, index.next].map((term) => {
      const slice = slices.find((s) => s.expiryMs === term.expiryMs);
      assert.ok(slice);
      return { years: slice.years, w: sviTotalVariance(fitSvi(slice).params, 0) };
    }) as [{ years: number; w: number }, { years: number; w: number }];
    const t30 = 30 / 365;
    const w30 = atm[0].w + ((atm[1].w - atm[0].w) * (t30 - atm[0].years)) / (atm[1].years - atm[0].years);
    const atmVol = Math.sqrt(w30 / t30);
    assertNear(atmVol, 0.4548, 2e-3, "ATM SVI 30 d");
    assert.ok(
      index.annualVol > atmVol && index.annualVol - atmVol < 0.08,
      `index ${index.annualVol}, ATM ${atmVol}`,
    );
    // The parity forward agrees with Deribit's own forward for the expiry to 0.02 %.
    assertRel(index.near.forward, 92_726.41, 2e-4, "near F");
    assertRel(index.next.forward, 93_126.49, 2e-4, "next F");
  });
  it("ETH 2024-01-08: 26JAN24 and 23FEB24; index 0.7580", () => {
    const { chain } = readDeribitChainFile(data("deribit_eth_option-chain_2024-01-08.csv"));
    const index = vixIndexFromChain(chain);
    assert.equal(index.near.expiryMs, Date.UTC(2024, 0, 26, 8));
    assert.equal(index.next.expiryMs, Date.UTC(2024, 1, 23, 8));
    assertNear(index.annualVol, 0.758, 5e-4, "ETH index");
  });
});

/**
 * Raw SVI: shared/research/quant.md §5 R10 — Axel Vogt's butterfly-arbitrage example
 * (Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces", Quant. Finance 2014,
 * Ex. 3.1 and Ex. 5.1): raw (a, b, m, ρ, σ) = (−0.0410, 0.1331, 0.3586, 0.3060, 0.4153), t = 1,
 * min g = −0.0328636 at k = 0.879263, g < 0 on k ≈ (0.642, 1.257), min w 0.0116249, SVI-JW
 * (v, ψ, p, c, ṽ) = (0.0174263, −0.1752111, 0.6997381, 1.3167982, 0.0116249).
 * Then: derivatives against finite differences, the calendar check, exact recovery of a known
 * smile by the quasi-explicit fit, and fits of every expiry of the bundled Deribit chains.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readDeribitChainFile } from "../../src/market/options.js";
import {
  fitSvi,
  type SviRaw,
  smileSlicesFromChain,
  sviButterflyCheck,
  sviCalendarCheck,
  sviDensity,
  sviDerivatives,
  sviFromJw,
  sviToJw,
  sviTotalVariance,
} from "../../src/vol/svi.js";
import { assertNear, assertRel } from "../helpers/close.js";

const VOGT: SviRaw = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };

describe("R10: Axel Vogt's example (Gatheral–Jacquier 2014 Ex. 3.1, 5.1)", () => {
  const check = sviButterflyCheck(VOGT);
  it("min g = −0.0328636 at k = 0.879263", () => {
    assertNear(check.minDensity, -0.0328636, 5e-8, "min g");
    assertNear(check.argminK, 0.879263, 5e-7, "argmin k");
    assertNear(sviDensity(VOGT, 0.879263), -0.0328636, 5e-8, "g(0.879263)");
  });
  it("g < 0 exactly on k ≈ (0.642, 1.257); min w 0.0116249; Lee bound b(1+ρ) = 0.174", () => {
    assert.equal(check.negativeIntervals.length, 1);
    const [lo, hi] = check.negativeIntervals[0] as readonly [number, number];
    assertNear(lo, 0.642, 5e-4, "left root");
    assertNear(hi, 1.257, 5e-4, "right root");
    assert.ok(sviDensity(VOGT, lo - 1e-6) > 0 && sviDensity(VOGT, lo + 1e-6) < 0);
    assert.equal(check.arbitrageFree, false);
    // min w = a + bσ√(1−ρ²) at k = m − ρσ/√(1−ρ²), inside the grid.
    assertNear(check.minTotalVariance, 0.0116249, 5e-7, "min w");
    assertNear(VOGT.b * (1 + VOGT.rho), 0.174, 5e-4, "b(1+ρ)");
  });
  it("SVI-JW (v, ψ, p, c, ṽ) = (0.0174263, −0.1752111, 0.6997381, 1.3167982, 0.0116249), and back", () => {
    const jw = sviToJw(VOGT, 1);
    assertNear(jw.v, 0.0174263, 5e-8, "v");
    assertNear(jw.psi, -0.1752111, 5e-8, "ψ");
    assertNear(jw.p, 0.6997381, 5e-8, "p");
    assertNear(jw.c, 1.3167982, 5e-8, "c");
    assertNear(jw.vMin, 0.0116249, 5e-8, "ṽ");
    const back = sviFromJw(jw, 1);
    for (const key of ["a", "b", "rho", "m", "sigma"] as const) assertNear(back[key], VOGT[key], 1e-12, key);
  });
  it("GJ's repair (c′ = p + 2ψ, ṽ′ = 4vpc′/(p + c′)²) = (0.3493158, 0.0154818) removes the arbitrage", () => {
    const jw = sviToJw(VOGT, 1);
    const c = jw.p + 2 * jw.psi;
    const vMin = (4 * jw.v * jw.p * c) / (jw.p + c) ** 2;
    assertNear(c, 0.3493158, 5e-7, "c′");
    assertNear(vMin, 0.0154818, 5e-7, "ṽ′");
    const repaired = sviButterflyCheck(sviFromJw({ ...jw, c, vMin }, 1));
    assert.equal(repaired.arbitrageFree, true);
  });
});

const sviArb = fc.record({
  a: fc.double({ min: -0.05, max: 0.1, noNaN: true }),
  b: fc.double({ min: 0.01, max: 1, noNaN: true }),
  rho: fc.double({ min: -0.95, max: 0.95, noNaN: true }),
  m: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
  sigma: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

describe("derivatives and checks", () => {
  it("w′ and w″ match central differences (fast-check)", () => {
    fc.assert(
      fc.property(sviArb, fc.double({ min: -2, max: 2, noNaN: true }), (p, k) => {
        const h = 1e-5;
        const d = sviDerivatives(p, k);
        assertRel(d.w, sviTotalVariance(p, k), 1e-15);
        const w1 = (sviTotalVariance(p, k + h) - sviTotalVariance(p, k - h)) / (2 * h);
        const w2 =
          (sviTotalVariance(p, k + h) - 2 * sviTotalVariance(p, k) + sviTotalVariance(p, k - h)) / (h * h);
        assertNear(d.w1, w1, 1e-8, "w′");
        assertNear(d.w2, w2, 1e-4 * Math.max(1, Math.abs(d.w2)), "w″");
      }),
    );
  });
  it("calendar check: a slice is calendar-free against itself shifted up, not down", () => {
    const later = { ...VOGT, a: VOGT.a + 0.01 };
    assert.equal(sviCalendarCheck(VOGT, later).arbitrageFree, true);
    const crossed = sviCalendarCheck(later, VOGT);
    assert.equal(crossed.arbitrageFree, false);
    assertNear(crossed.minGap, -0.01, 1e-15);
  });
});

describe("quasi-explicit fit (Zeliade 2009)", () => {
  it("recovers a known smile exactly from noise-free quotes", () => {
    const truth: SviRaw = { a: 0.01, b: 0.2, rho: -0.3, m: 0.05, sigma: 0.2 };
    const years = 0.25;
    const k = Float64Array.from({ length: 33 }, (_, i) => -0.8 + i * 0.05);
    const impliedVol = k.map((x) => Math.sqrt(sviTotalVariance(truth, x) / years));
    const fit = fitSvi({ years, logMoneyness: k, impliedVol, weights: new Float64Array(33).fill(1) });
    assert.ok(fit.rmseVol < 1e-6, `rmse ${fit.rmseVol}`);
    for (const key of ["a", "b", "rho", "m", "sigma"] as const)
      assertNear(fit.params[key], truth[key], 1e-4, key);
  });
  for (const [name, file] of [
    ["BTC 2025-12-05", "deribit_btc_option-chain_2025-12-05.csv"],
    ["ETH 2024-01-08", "deribit_eth_option-chain_2024-01-08.csv"],
  ] as const) {
    it(`${name}: every expiry fits within 1.1 vol points (vega-weighted RMSE); arbitrage-free on the quoted range`, () => {
      const { chain } = readDeribitChainFile(new URL(`../../data/options/${file}`, import.meta.url).pathname);
      const slices = smileSlicesFromChain(chain, "vega");
      assert.equal(slices.length, 11);
      let previous: { params: SviRaw; kMin: number; kMax: number } | undefined;
      for (const slice of slices) {
        const fit = fitSvi(slice);
        const label = new Date(slice.expiryMs).toISOString().slice(0, 10);
        // Measured (docs/explanation/implied-volatility.md): BTC 0.05–0.62, ETH 0.18–1.08 vol points.
        assert.ok(fit.weightedRmseVol < 0.011, `${label}: weighted RMSE ${fit.weightedRmseVol}`);
        const ks = slice.logMoneyness;
        const kMin = ks[0] as number;
        const kMax = ks[ks.length - 1] as number;
        assert.ok(
          sviButterflyCheck(fit.params, { kMin, kMax }).arbitrageFree,
          `${label}: butterfly on quotes`,
        );
        if (previous !== undefined) {
          const range = { kMin: Math.max(kMin, previous.kMin), kMax: Math.min(kMax, previous.kMax) };
          assert.ok(sviCalendarCheck(previous.params, fit.params, range).arbitrageFree, `${label}: calendar`);
        }
        previous = { params: fit.params, kMin, kMax };
      }
    });
  }
});

describe("a degenerate SVI fit is flagged (atBound, warnings), not reported as a sound smile", () => {
  const { chain } = readDeribitChainFile(
    new URL("../../data/options/deribit_btc_option-chain_2025-12-05.csv", import.meta.url).pathname,
  );
  const slice = smileSlicesFromChain(chain, "vega").find(
    (s) => new Date(s.expiryMs).toISOString().slice(0, 10) === "2026-02-27",
  );
  if (slice === undefined) throw new Error("the bundled chain has the 2026-02-27 expiry");
  const cut = (lo: number, hi: number) => ({
    years: slice.years,
    logMoneyness: slice.logMoneyness.slice(lo, hi),
    impliedVol: slice.impliedVol.slice(lo, hi),
    weights: slice.weights.slice(lo, hi),
  });

  it("the whole BTC 2026-02-27 smile (24 quotes) is an interior fit with no warning", () => {
    const fit = fitSvi(slice);
    assert.deepEqual(fit.atBound, []);
    assert.deepEqual(fit.warnings, []);
    assert.equal(fit.points, 24);
  });
  it("its put wing only (the 6 lowest strikes, k −0.63 … −0.16): ρ = −1 at its bound, flagged", () => {
    const fit = fitSvi(cut(0, 6));
    assertNear(fit.params.rho, -1, 1e-9, "ρ");
    assert.ok(fit.atBound.includes("rho"));
    assert.match(
      fit.warnings.join("\n"),
      /ρ = -1\.0000 is at its bound ±1: the smile is a straight line on one side/,
    );
    // The optimizer converged and the slice is butterfly-free on its quotes: neither makes it a smile.
    assert.ok(fit.converged);
  });
  it("5 quotes for 5 parameters: the fit interpolates and says so; 4 are refused naming the count", () => {
    const fit = fitSvi(cut(10, 15));
    assert.equal(fit.points, 5);
    assert.match(fit.warnings.join("\n"), /5 points for SVI's 5 parameters: the fit interpolates/);
    assert.throws(
      () => fitSvi(cut(10, 14)),
      /^InputError: slice: has fewer weighted points than SVI's 5 parameters/,
    );
  });
  it("property: a slice of 6 or more points cut from a real smile has a warning whenever a bound binds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 18 }), fc.integer({ min: 6, max: 24 }), (lo, len) => {
        const hi = Math.min(24, lo + len);
        if (hi - lo < 6) return true;
        const fit = fitSvi(cut(lo, hi));
        return (fit.atBound.length === 0) === (fit.warnings.length === 0);
      }),
      { numRuns: 30 },
    );
  });
});

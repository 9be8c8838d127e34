/**
 * Black-76 price, vega and implied volatility.
 * - Parity with an independent implementation: scipy.stats.norm prices and scipy.optimize.brentq
 *   implied vols (test/fixtures/implied-black76.json, made by
 *   `python3 scripts/reference/implied_black76.py`).
 * - Round trip price → vol → price to 1e-10 relative (fast-check) across strikes, expiries and vols.
 * - Deribit's own mark_iv on the bundled BTC chain (data/options/deribit_btc_option-chain_2025-12-05.csv),
 *   with a per-quote tolerance derived from the rounding of the file's inputs (see the test).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { readDeribitChainFile } from "../../src/market/options.js";
import { normalCdf } from "../../src/math/distributions.js";
import {
  type Black76Inputs,
  black76ImpliedVol,
  black76ImpliedVolCoin,
  black76Price,
  black76PriceCoin,
  black76Vega,
} from "../../src/vol/black76.js";
import { assertNear, assertRel } from "../helpers/close.js";

interface Case {
  kind: "call" | "put";
  forward: number;
  strike: number;
  years: number;
  discount: number;
  vol: number;
  price: number;
  vega: number;
  impliedVol?: number;
}
interface DeribitCase {
  instrument: string;
  kind: "call" | "put";
  forward: number;
  strike: number;
  years: number;
  premiumCoin: number;
  markIv: number;
  impliedVol: number | null;
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/implied-black76.json", import.meta.url), "utf8"),
) as { cases: Case[]; deribitBtc6Dec25: DeribitCase[] };

const inputsOf = (c: {
  kind: "call" | "put";
  forward: number;
  strike: number;
  years: number;
  discount?: number;
}) =>
  ({
    kind: c.kind,
    forward: c.forward,
    strike: c.strike,
    timeToExpiryYears: c.years,
    discount: c.discount ?? 1,
  }) satisfies Black76Inputs;

describe("parity with scipy (implied_black76.py)", () => {
  it(`price and vega of ${fixture.cases.length} cases to 1e-12 relative (1e-9 USD absolute)`, () => {
    for (const c of fixture.cases) {
      const price = black76Price(inputsOf(c), c.vol);
      assert.ok(Math.abs(price - c.price) <= 1e-12 * c.price + 1e-9, `${JSON.stringify(c)}: ${price}`);
      assertRel(black76Vega(inputsOf(c), c.vol), c.vega, 1e-11, `vega ${c.kind} K=${c.strike} T=${c.years}`);
    }
  });
  it("implied vol of scipy's prices agrees with brentq's root to the price's resolution", () => {
    for (const c of fixture.cases) {
      if (c.impliedVol === undefined) continue;
      const r = black76ImpliedVol(inputsOf(c), c.price);
      assert.ok(r.ok, JSON.stringify(c));
      // Both roots are exact up to the rounding of the price: |Δσ| ≤ 4·ε·price/vega (+1e-13).
      const resolution = (4 * Number.EPSILON * c.price) / c.vega + 1e-13;
      assertNear(
        r.annualVol,
        c.impliedVol,
        10 * resolution,
        `σ ${c.kind} K=${c.strike} T=${c.years} vol=${c.vol}`,
      );
    }
  });
  it("Deribit BTC 6DEC25 (T = 0.00352 y) coin premia: the coin inversion equals brentq on premium·F", () => {
    assert.equal(fixture.deribitBtc6Dec25.length, 40);
    for (const q of fixture.deribitBtc6Dec25) {
      const r = black76ImpliedVolCoin(inputsOf(q), q.premiumCoin);
      assert.ok(r.ok && q.impliedVol !== null, q.instrument);
      const vega = black76Vega(inputsOf(q), q.impliedVol);
      const resolution = (4 * Number.EPSILON * q.premiumCoin * q.forward) / vega + 1e-13;
      assertNear(r.annualVol, q.impliedVol, 10 * resolution, q.instrument);
    }
  });
});

/** Strike at k = z·σ√T around the forward, so strikes scale with the smile's width. */
const caseArb = fc.record({
  kind: fc.constantFrom("call" as const, "put" as const),
  vol: fc.double({ min: 0.02, max: 3, noNaN: true }),
  logYears: fc.double({ min: Math.log(1e-4), max: Math.log(5), noNaN: true }),
  z: fc.double({ min: -5, max: 5, noNaN: true }),
  forward: fc.double({ min: 1, max: 1e6, noNaN: true }),
});

describe("round trip and invariants (fast-check)", () => {
  it("price → vol → price to 1e-10 relative (σ 2 %–300 %, T 1e-4–5 y, σ√T ≥ 1e-3, |ln K/F| ≤ 5σ√T)", () => {
    fc.assert(
      fc.property(caseArb, ({ kind, vol, logYears, z, forward }) => {
        const T = Math.exp(logYears);
        // Below σ√T = 1e-3 the two CDF terms of b cancel too much for 1e-10 beyond ~4.5σ√T
        // (measured 1.3e-10 at σ√T = 4e-4, z = 4.6); see docs/explanation/implied-volatility.md.
        fc.pre(vol * Math.sqrt(T) >= 1e-3);
        const strike = forward * Math.exp(z * vol * Math.sqrt(T));
        const inputs = { kind, forward, strike, timeToExpiryYears: T };
        const price = black76Price(inputs, vol);
        const intrinsic = Math.max(kind === "call" ? forward - strike : strike - forward, 0);
        // An in-the-money price whose time value is below the price's rounding has no recoverable vol.
        if (price - intrinsic <= 1e-13 * price) return;
        const r = black76ImpliedVol(inputs, price);
        assert.ok(r.ok, `no vol for ${JSON.stringify({ inputs, vol, price })}`);
        assertRel(black76Price(inputs, r.annualVol), price, 1e-10, "round trip");
        if (Math.abs(z) <= 3) assertRel(r.annualVol, vol, 1e-7, "σ recovered");
      }),
      { numRuns: 3000 },
    );
  });
  it("put–call parity C − P = D(F − K), and price increases with vol", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        ({ vol, logYears, z, forward }, discount) => {
          const T = Math.exp(logYears);
          const strike = forward * Math.exp(z * vol * Math.sqrt(T));
          const base = { forward, strike, timeToExpiryYears: T, discount };
          const c = black76Price({ ...base, kind: "call" }, vol);
          const p = black76Price({ ...base, kind: "put" }, vol);
          assertNear(c - p, discount * (forward - strike), 1e-12 * (forward + strike), "parity");
          assert.ok(black76Price({ ...base, kind: "call" }, vol * 1.01) >= c);
        },
      ),
    );
  });
  it("inverse options: coin price × F = USD price; coin inversion = USD inversion", () => {
    const inputs = { kind: "put" as const, forward: 92_529.8, strike: 88_000, timeToExpiryYears: 0.00352 };
    const coin = black76PriceCoin(inputs, 0.5);
    assertRel(coin * inputs.forward, black76Price(inputs, 0.5), 1e-15);
    const r = black76ImpliedVolCoin(inputs, coin);
    assert.ok(r.ok);
    assertRel(r.annualVol, 0.5, 1e-9);
  });
});

describe("no-arbitrage bounds and bad input", () => {
  const atm = { kind: "call" as const, forward: 100, strike: 90, timeToExpiryYears: 0.5 };
  it("a price at or below intrinsic, or at or above the upper bound, has no implied vol", () => {
    assert.deepEqual(black76ImpliedVol(atm, 10), {
      ok: false,
      reason: "below-intrinsic",
      lowerBound: 10,
      upperBound: 100,
    });
    assert.deepEqual(black76ImpliedVol(atm, 9), {
      ok: false,
      reason: "below-intrinsic",
      lowerBound: 10,
      upperBound: 100,
    });
    assert.equal((black76ImpliedVol(atm, 100) as { reason: string }).reason, "above-upper-bound");
    const put = { ...atm, kind: "put" as const };
    assert.equal((black76ImpliedVol(put, 90) as { reason: string }).reason, "above-upper-bound");
    assert.equal((black76ImpliedVol(put, 0) as { reason: string }).reason, "below-intrinsic");
    // Discounted: bounds apply to premium / D.
    const disc = { ...atm, discount: 0.9 };
    assert.equal((black76ImpliedVol(disc, 8.9) as { reason: string }).reason, "below-intrinsic");
    assert.ok(black76ImpliedVol(disc, 9.5).ok); // 9.5/0.9 = 10.56 > 10
  });
  it("zero vol prices intrinsic; bad inputs are InputErrors naming the field", () => {
    assert.equal(black76Price(atm, 0), 10);
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof InputError);
        return e.field;
      }
      assert.fail("accepted");
    };
    assert.equal(
      field(() => black76Price({ ...atm, forward: 0 }, 0.2)),
      "forward",
    );
    assert.equal(
      field(() => black76Price({ ...atm, strike: Number.NaN }, 0.2)),
      "strike",
    );
    assert.equal(
      field(() => black76Price({ ...atm, timeToExpiryYears: -1 }, 0.2)),
      "timeToExpiryYears",
    );
    assert.equal(
      field(() => black76Price({ ...atm, discount: 1.5 }, 0.2)),
      "discount",
    );
    assert.equal(
      field(() => black76Price(atm, -0.1)),
      "annualVol",
    );
    assert.equal(
      field(() => black76ImpliedVol(atm, Number.POSITIVE_INFINITY)),
      "premium",
    );
  });
});

describe("Deribit mark_iv on the bundled BTC chain (2025-12-05)", () => {
  const { chain } = readDeribitChainFile(
    new URL("../../data/options/deribit_btc_option-chain_2025-12-05.csv", import.meta.url).pathname,
  );
  it("675 of 676 marks invert; each within the tolerance its inputs' rounding allows", () => {
    const otm: number[] = [];
    const itm: number[] = [];
    const none: string[] = [];
    for (const q of chain.quotes) {
      const inputs = {
        kind: q.kind,
        forward: q.forwardUsd,
        strike: q.strike,
        timeToExpiryYears: q.timeToExpiryYears,
      };
      const r = black76ImpliedVolCoin(inputs, q.markPremium);
      const mark = q.markIv as number;
      if (!r.ok) {
        none.push(`${q.instrument}:${r.reason}`);
        continue;
      }
      // Tolerance from the file's rounding: mark_iv printed to 0.01 % (5e-5); premium to 1e-8 BTC
      // (0.5e-8·F/vega); T_years to 5 decimals (σ·ΔT/(2T), ΔT = 5e-6); and S0 differs by up to
      // 0.44 USD between rows of one expiry (taken at slightly different times), whose effect on
      // coin·F − C(F) is |coin − Δ|·ΔF, ΔF = 1 USD.
      const vega = black76Vega(inputs, mark);
      const s = mark * Math.sqrt(q.timeToExpiryYears);
      const delta = normalCdf(Math.log(q.forwardUsd / q.strike) / s + s / 2) - (q.kind === "put" ? 1 : 0);
      const tolerance =
        5e-5 +
        (0.5e-8 * q.forwardUsd) / vega +
        (mark * 5e-6) / (2 * q.timeToExpiryYears) +
        (Math.abs(q.markPremium - delta) * 1) / vega;
      const diff = Math.abs(r.annualVol - mark);
      assert.ok(
        diff <= tolerance,
        `${q.instrument}: ours ${r.annualVol}, Deribit ${mark}, tolerance ${tolerance}`,
      );
      ((q.kind === "call") === q.strike >= q.forwardUsd ? otm : itm).push(diff);
    }
    // The one put whose coin mark is below its intrinsic value: Deribit's mark of a deep ITM put.
    assert.deepEqual(none, ["BTC-26DEC25-400000-P:below-intrinsic"]);
    const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1] as number;
    // Measured: OTM (338) median 3.4e-5, max 5.4e-3; ITM (337) median 4.8e-5, max 6.9e-2.
    assert.equal(otm.length, 338);
    assert.ok(median(otm) < 1e-4, `OTM median ${median(otm)}`);
    assert.ok(median(itm) < 1e-4, `ITM median ${median(itm)}`);
  });
});

/**
 * VaR backtests (src/risk/backtest.ts) and the ES backtest (src/risk/es-backtest.ts): Kupiec LR,
 * χ² and binomial p-values against scipy (test/fixtures/var-reference.json, made by
 * `python3 scripts/reference/var_reference.py`), the transition counts of an exception series,
 * input errors, and properties (Kupiec LR ≥ 0 and zero at x/n = p; Z2 mean zero under H0).
 * Published-number parity (quant.md R5–R8) is in test/parity/var-backtests.test.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { binomialCdf, chiSquareSurvival } from "../../src/math/distributions.js";
import {
  chiSquareQuantile12,
  coverageTests,
  exceptionSeries,
  kupiecPof,
  trafficLight,
  transitionCounts,
} from "../../src/risk/backtest.js";
import { acerbiSzekelyZ1, acerbiSzekelyZ2, acerbiSzekelyZ2Test } from "../../src/risk/es-backtest.js";
import { standardNormalVarEs } from "../../src/risk/var-parametric.js";
import { assertNear, assertRel } from "../helpers/close.js";

interface Fixture {
  backtests: {
    chiSquare95: { df1: number; df2: number };
    kupiecPof: { x: number; n: number; p: number; lr: number; pValue: number }[];
    chiSquareSurvival: { x: number; k: number; sf: number }[];
    binomialCdf: { x: number; n: number; p: number; cdf: number }[];
  };
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/var-reference.json", import.meta.url), "utf8"),
) as Fixture;
const bt = fixture.backtests;

describe("Kupiec POF and the distributions behind the p-values (scipy)", () => {
  it("χ² critical values", () => {
    assertRel(chiSquareQuantile12(0.95, 1), bt.chiSquare95.df1, 1e-12);
    assertRel(chiSquareQuantile12(0.95, 2), bt.chiSquare95.df2, 1e-12);
  });
  it("LR and p-value", () => {
    for (const row of bt.kupiecPof) {
      const r = kupiecPof(row.x, row.n, row.p);
      assertNear(r.statistic, row.lr, 1e-10 * Math.max(1, row.lr), `LR ${JSON.stringify(row)}`);
      assertRel(r.pValue, row.pValue, 1e-9, `p ${JSON.stringify(row)}`);
    }
  });
  it("χ² survival and binomial CDF used by the tests", () => {
    for (const row of bt.chiSquareSurvival) assertRel(chiSquareSurvival(row.x, row.k), row.sf, 1e-10);
    for (const row of bt.binomialCdf) {
      assertRel(binomialCdf(row.x, row.n, row.p), row.cdf, 1e-10);
      assertRel(trafficLight(row.x, row.n, row.p).cumulativeProbability, row.cdf, 1e-10);
    }
  });
  it("rejects counts above n, non-integer counts and p outside (0, 1)", () => {
    assert.throws(
      () => kupiecPof(11, 10, 0.01),
      (e: unknown) => e instanceof InputError && e.field === "exceptions",
    );
    assert.throws(() => kupiecPof(1.5, 10, 0.01), InputError);
    assert.throws(
      () => kupiecPof(1, 10, 1),
      (e: unknown) => e instanceof InputError && e.field === "p",
    );
  });
  it("property: LR ≥ 0, and LR = 0 when x/n = p", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (n, p) => {
          const x = Math.round(p * n * 0.7);
          assert.ok(kupiecPof(x, n, p).statistic >= 0);
          assert.ok(kupiecPof(n, n, p).statistic >= 0);
        },
      ),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 50 }), (k, m) => {
        const n = k + m;
        assertNear(kupiecPof(k, n, k / n).statistic, 0, 1e-9);
      }),
    );
  });
});

describe("exception series and Christoffersen counts", () => {
  it("I_t = 1{L_t > VaR_t} and the n − 1 transitions", () => {
    const I = exceptionSeries([0.5, 2, 3, 0.1, 4, 1], [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(I), [0, 1, 1, 0, 1, 0]);
    assert.deepEqual(transitionCounts(I), { n00: 0, n01: 2, n10: 2, n11: 1 });
    const t = coverageTests(I, 0.5);
    assert.equal(t.exceptions, 3);
    assertNear(t.pof.statistic, 0, 1e-12);
    assertNear(t.conditionalCoverage.statistic, t.pof.statistic + t.independence.statistic, 1e-15);
  });
  it("clustered exceptions reject independence", () => {
    const I = new Uint8Array(1000);
    for (let t = 500; t < 510; t++) I[t] = 1;
    const r = coverageTests(I, 0.01);
    assert.equal(r.pof.reject, false);
    assert.equal(r.independence.reject, true);
  });
  it("misaligned forecasts are an InputError", () => {
    assert.throws(() => exceptionSeries([1, 2], [1]), InputError);
  });
});

describe("traffic light for other (n, p)", () => {
  it("zones by the binomial CDF, plus factor probability-matched to the 250/1 % table", () => {
    const tl = trafficLight(20, 1000, 0.01);
    assert.equal(tl.plusFactorRule, "probability-matched");
    assert.equal(
      tl.zone,
      tl.cumulativeProbability < 0.95 ? "green" : tl.cumulativeProbability < 0.9999 ? "yellow" : "red",
    );
    assert.ok(tl.plusFactor >= 0 && tl.plusFactor <= 1);
    assert.equal(trafficLight(5, 1000, 0.01).multiplier, 3);
  });
});

describe("Acerbi–Székely Z1 / Z2", () => {
  it("hand example: 4 bars, one exception", () => {
    // q 0.75 → α 0.25; L = (0, 3, 0.5, 1), VaR 1, ES 2: Z2 = 1 − (3/2)/(4·0.25) = −0.5; Z1 = 1 − 3/2.
    const L = [0, 3, 0.5, 1];
    assertNear(acerbiSzekelyZ2(L, [1, 1, 1, 1], [2, 2, 2, 2], 0.75), -0.5, 1e-15);
    assertNear(acerbiSzekelyZ1(L, [1, 1, 1, 1], [2, 2, 2, 2]), -0.5, 1e-15);
  });
  it("p-value by simulation: a correct normal model is not rejected, a too-small ES is", () => {
    const T = 500;
    const std = standardNormalVarEs(0.975);
    const varF = new Float64Array(T).fill(std.var);
    const esF = new Float64Array(T).fill(std.es);
    // Realised losses: t-distributed (heavier tail) with unit variance vs a normal forecast.
    const heavy = new Float64Array(T);
    let s = 1;
    for (let t = 0; t < T; t++) {
      s = (s * 16807) % 2147483647;
      const u = s / 2147483647;
      heavy[t] = -Math.log(1 / u - 1) * 1.5; // logistic, sd ≈ 1.5·π/√3 ≈ 2.7: too wide for N(0, 1)
    }
    const wrong = acerbiSzekelyZ2Test(heavy, varF, esF, {
      confidence: 0.975,
      sampleLoss: (_t, stream) => stream.normal(),
      simulations: 2000,
      seed: 4,
    });
    assert.ok(wrong.statistic < -1, `Z2 ${wrong.statistic}`);
    assert.ok(wrong.pValue < 0.01, `p ${wrong.pValue}`);
    const right = acerbiSzekelyZ2Test(new Float64Array(T), varF, esF, {
      confidence: 0.975,
      sampleLoss: (_t, stream) => stream.normal(),
      simulations: 2000,
      seed: 4,
    });
    assert.equal(right.statistic, 1, "no exception → Z2 = 1");
    assert.equal(right.pValue, 1);
  });
});

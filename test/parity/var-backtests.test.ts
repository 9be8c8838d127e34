/**
 * VaR/ES backtests against published numbers (shared/research/quant.md §5):
 * R5 MathWorks `varbacktest` documentation example (EquityIndex / Normal95 counts: `pof`, `cci`,
 * `cc`, `tl`); R6 BCBS (1996) traffic-light table and multipliers; R7 Kupiec (1995) non-rejection
 * regions as tabulated in Jorion, recomputed independently by scipy
 * (test/fixtures/var-reference.json, `python3 scripts/reference/var_reference.py`); R8
 * Acerbi–Székely (2014) Z2 critical values, reproduced by our own seeded simulation with a
 * tolerance taken from the simulation's order statistics.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  christoffersenIndependence,
  conditionalCoverage,
  kupiecPof,
  kupiecRegion,
  trafficLight,
} from "../../src/risk/backtest.js";
import { z2Distribution } from "../../src/risk/es-backtest.js";
import { assertNear } from "../helpers/close.js";

interface Fixture {
  backtests: { kupiecRegions: { p: number; n: number; lowest: number; highest: number }[] };
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/var-reference.json", import.meta.url), "utf8"),
) as Fixture;

describe("R5: MathWorks varbacktest example (n 1043, x 57, p 5 %)", () => {
  const pof = kupiecPof(57, 1043, 0.05);
  const cci = christoffersenIndependence({ n00: 932, n01: 53, n10: 53, n11: 4 });
  const cc = conditionalCoverage(pof, cci);
  it("pof: LR 0.46147, p 0.49694, accept", () => {
    assertNear(pof.statistic, 0.46147, 5e-6);
    assertNear(pof.pValue, 0.49694, 5e-6);
    assert.equal(pof.reject, false);
  });
  it("cci: LR 0.25866, p 0.61104", () => {
    assertNear(cci.statistic, 0.25866, 5e-6);
    assertNear(cci.pValue, 0.61104, 5e-6);
  });
  it("cc: LR 0.72013, p 0.69763", () => {
    assertNear(cc.statistic, 0.72013, 5e-6);
    assertNear(cc.pValue, 0.69763, 5e-6);
    assert.equal(cc.degreesOfFreedom, 2);
  });
  it("tl: green, P(X ≤ 57) 0.77913, type I 0.26396", () => {
    const tl = trafficLight(57, 1043, 0.05);
    assert.equal(tl.zone, "green");
    assertNear(tl.cumulativeProbability, 0.77913, 5e-6);
    assertNear(tl.typeIError, 0.26396, 5e-6);
  });
});

describe("R6: Basel traffic light, 250 days at 99 %", () => {
  const cdfPercent = [8.11, 28.58, 54.32, 75.81, 89.22, 95.88, 98.63, 99.6, 99.89, 99.97, 99.99];
  const zones = [
    "green",
    "green",
    "green",
    "green",
    "green",
    "yellow",
    "yellow",
    "yellow",
    "yellow",
    "yellow",
    "red",
  ];
  const multipliers = [3, 3, 3, 3, 3, 3.4, 3.5, 3.65, 3.75, 3.85, 4];
  for (let x = 0; x <= 10; x++) {
    it(`${x} exceptions`, () => {
      const tl = trafficLight(x, 250, 0.01);
      assertNear(100 * tl.cumulativeProbability, cdfPercent[x] as number, 0.005 + 1e-9, "cumulative %");
      assert.equal(tl.zone, zones[x]);
      assertNear(tl.multiplier, multipliers[x] as number, 1e-12);
      assert.equal(tl.plusFactorRule, "bcbs-table");
    });
  }
  it("more than 10 exceptions stay red with multiplier 4", () => {
    assert.equal(trafficLight(17, 250, 0.01).multiplier, 4);
  });
});

describe("R7: Kupiec non-rejection regions (LR ≤ 3.8415)", () => {
  const published: Record<string, [number, number][]> = {
    "0.01": [
      [1, 6],
      [2, 10],
      [5, 16],
    ],
    "0.025": [
      [3, 11],
      [7, 20],
      [16, 35],
    ],
    "0.05": [
      [7, 20],
      [17, 35],
      [38, 64],
    ],
    "0.075": [
      [12, 27],
      [28, 50],
      [60, 91],
    ],
    "0.1": [
      [17, 35],
      [39, 64],
      [82, 119],
    ],
  };
  const ns = [255, 510, 1000];
  for (const [p, regions] of Object.entries(published)) {
    regions.forEach(([lo, hi], i) => {
      const n = ns[i] as number;
      it(`p ${p}, T ${n}: ${lo}–${hi}`, () => {
        const r = kupiecRegion(n, Number(p));
        assert.deepEqual(r, { lowest: lo, highest: hi });
        const ref = fixture.backtests.kupiecRegions.find((x) => x.p === Number(p) && x.n === n);
        assert.deepEqual(r, { lowest: ref?.lowest, highest: ref?.highest }, "scipy recomputation");
      });
    });
  }
  it("the printed 'N < 7' for p 1 %, T 255 would include 0, but LR(0) = 5.13 rejects", () => {
    assertNear(kupiecPof(0, 255, 0.01).statistic, 5.13, 0.005);
    assert.equal(kupiecPof(0, 255, 0.01).reject, true);
  });
});

describe("R8: Acerbi–Székely Z2 critical values (T 250, α 2.5 %)", () => {
  /**
   * Asserts `reference` lies between order statistics k ± c of our simulated Z2, k = level·M,
   * c = 3√2·√(M·level(1−level)): 3 binomial standard deviations of the order-statistic index for
   * our simulation, widened by √2 because the reference is itself a 200,000-draw simulation.
   */
  function assertWithinMcError(sorted: Float64Array, level: number, reference: number, what: string) {
    const M = sorted.length;
    const k = level * M;
    const c = 3 * Math.SQRT2 * Math.sqrt(M * level * (1 - level));
    const lo = sorted[Math.max(0, Math.floor(k - c))] as number;
    const hi = sorted[Math.min(M - 1, Math.ceil(k + c))] as number;
    assert.ok(lo <= reference && reference <= hi, `${what}: reference ${reference} outside [${lo}, ${hi}]`);
  }
  it("normal: 5 % −0.704, 0.01 % −1.812 (200,000 simulations)", () => {
    const d = z2Distribution(250, 0.975, { kind: "normal" }, 200_000, 12345);
    assertWithinMcError(d.sorted, 0.05, -0.704, "5 %");
    assertWithinMcError(d.sorted, 0.0001, -1.812, "0.01 %");
    assertNear(d.quantile(0.05), -0.704, 0.02, "5 % point estimate");
  });
  it("Student-t ν 5: 5 % −0.739 (50,000 simulations)", () => {
    const d = z2Distribution(250, 0.975, { kind: "student-t", nu: 5 }, 50_000, 777);
    assertWithinMcError(d.sorted, 0.05, -0.739, "t5 5 %");
  });
});

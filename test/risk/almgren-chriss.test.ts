/**
 * Almgren–Chriss (2000) discrete optimal liquidation (src/risk/almgren-chriss.ts).
 *
 * Published inputs: Almgren & Chriss (2000), "Optimal execution of portfolio transactions",
 * J. Risk 3(2), §3 example; the worked values are shared/research/quant.md §5 R11 (E = $662,500 and
 * sd $1,040,673 for λ → 0; λ = 1e-6: κ = 0.6071/day, E $911,227, sd $603,431, holdings 1,000,000 /
 * 541,956 / 289,854 / 147,897 / 62,142 / 0; sell-all-at-once E $2,562,500). Full-precision values
 * from an independent implementation (scipy brentq for κ, the paper's closed forms for E and V):
 * `python3 scripts/reference/liquidity_almgren_chriss.py` → test/fixtures/liquidity-almgren-chriss.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { type AlmgrenChrissParams, almgrenChriss, executionCost } from "../../src/risk/almgren-chriss.js";
import { assertNear, assertRel } from "../helpers/close.js";

const REF = JSON.parse(
  readFileSync(new URL("../fixtures/liquidity-almgren-chriss.json", import.meta.url), "utf8"),
) as {
  linear: { holdings: number[]; expectedCost: number; variance: number; sd: number };
  sellAllAtOnce: { expectedCost: number; variance: number };
  optimal: {
    lambda: number;
    kappa: number;
    holdings: number[];
    expectedCost: number;
    variance: number;
    sd: number;
  }[];
};

const AC: AlmgrenChrissParams = {
  shares: 1e6,
  horizon: 5,
  periods: 5,
  sigma: 0.95,
  epsilon: 0.0625,
  eta: 2.5e-6,
  gamma: 2.5e-7,
  lambda: 0,
};

describe("Almgren–Chriss 2000 §3 example (quant.md R11)", () => {
  it("λ → 0: straight line, E = $662,500, sd $1,040,673 (V = 1.083e12)", () => {
    const s = almgrenChriss(AC);
    assert.deepEqual(
      [...s.holdings].map((x) => Math.round(x)),
      [1e6, 8e5, 6e5, 4e5, 2e5, 0],
    );
    assertNear(s.expectedCost, 662_500, 1e-6, "E");
    assertNear(s.sd, 1_040_673, 0.5, "sd");
    assertRel(s.variance, REF.linear.variance, 1e-12, "V");
    assert.equal(s.kappa, 0);
  });

  it("λ = 1e-6: κ = 0.6071/day, E $911,227, sd $603,431, holdings 541,956 / 289,854 / 147,897 / 62,142", () => {
    const s = almgrenChriss({ ...AC, lambda: 1e-6 });
    assertNear(s.kappa, 0.6071, 5e-5, "κ");
    assertNear(s.halfLife, 1.647, 5e-4, "half-life 1/κ");
    assertNear(s.expectedCost, 911_227, 0.5, "E");
    assertNear(s.sd, 603_431, 0.5, "sd");
    assert.deepEqual(
      [...s.holdings].map((x) => Math.round(x)),
      [1_000_000, 541_956, 289_854, 147_897, 62_142, 0],
    );
  });

  it("κ for λ = 1e-7 and 2e-6: 0.1946 and 0.8463", () => {
    assertNear(almgrenChriss({ ...AC, lambda: 1e-7 }).kappa, 0.1946, 5e-5, "κ(1e-7)");
    assertNear(almgrenChriss({ ...AC, lambda: 2e-6 }).kappa, 0.8463, 5e-5, "κ(2e-6)");
  });

  it("sell all at once: E = $2,562,500, V = 0", () => {
    const c = executionCost(AC, [1e6, 0, 0, 0, 0, 0]);
    assertNear(c.expectedCost, 2_562_500, 1e-6, "E");
    assert.equal(c.variance, 0);
    assertNear(c.expectedCost, REF.sellAllAtOnce.expectedCost, 1e-6, "numpy");
  });

  for (const ref of REF.optimal) {
    it(`λ = ${ref.lambda}: full precision against scipy + closed forms`, () => {
      const s = almgrenChriss({ ...AC, lambda: ref.lambda });
      assertRel(s.kappa, ref.kappa, 1e-12, "κ");
      assertRel(s.expectedCost, ref.expectedCost, 1e-11, "E");
      assertRel(s.variance, ref.variance, 1e-11, "V");
      s.holdings.forEach((x, j) => {
        assertNear(x, ref.holdings[j] as number, 1e-6, `x_${j}`);
      });
    });
  }
});

describe("properties", () => {
  it("the optimum minimises E + λV among perturbed trajectories; more risk aversion sells faster", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 1e-5, noNaN: true }),
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (lambda, bumps) => {
          const s = almgrenChriss({ ...AC, lambda });
          const objective = (h: ArrayLike<number>) => {
            const c = executionCost(AC, h);
            return c.expectedCost + lambda * c.variance;
          };
          const perturbed = Float64Array.from(s.holdings);
          bumps.forEach((b, k) => {
            perturbed[k + 1] = (perturbed[k + 1] as number) * (1 + b);
          });
          // Monotone trajectories only (the ε|n| term is linear there).
          for (let j = 1; j < perturbed.length; j++) {
            if ((perturbed[j] as number) > (perturbed[j - 1] as number)) return;
          }
          assert.ok(objective(perturbed) >= objective(s.holdings) * (1 - 1e-12));
          const faster = almgrenChriss({ ...AC, lambda: lambda * 2 });
          for (let j = 1; j < 5; j++) assert.ok((faster.holdings[j] as number) < (s.holdings[j] as number));
        },
      ),
    );
  });

  it("refuses η̃ ≤ 0 and a fractional number of periods", () => {
    assert.throws(() => almgrenChriss({ ...AC, eta: 1e-7 }), InputError);
    assert.throws(() => almgrenChriss({ ...AC, periods: 2.5 }), InputError);
    assert.throws(() => executionCost(AC, [1, 0]), InputError);
  });
});

/**
 * Cross-account liquidation with correlated assets: with one position it is exactly the
 * single-position simulation without the bridge test (same seed, same draws); correlation moves
 * the probability the way the economics says (hedges help more as ρ → 1, same-direction books
 * suffer); the Cholesky factor reproduces its matrix; Student-t shocks via the Marsaglia–Tsang
 * gamma variate (checked against the regularized incomplete gamma function).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { regularizedGammaP } from "../../src/math/distributions.js";
import { gammaVariate, Xoshiro128 } from "../../src/math/random.js";
import {
  type CrossAccountSpec,
  correlationFactor,
  simulateCrossAccount,
} from "../../src/sim/cross-account.js";
import { simulateLiquidation } from "../../src/sim/liquidation.js";
import { assertNear } from "../helpers/close.js";

const grid = { horizonYears: 7 / 365, steps: 56 };

const pair = (rho: number, secondQuantity: number): CrossAccountSpec => ({
  assets: [
    { spotPrice: 100, annualVol: 0.8 },
    { spotPrice: 50, annualVol: 0.8 },
  ],
  correlation: [
    [1, rho],
    [rho, 1],
  ],
  innovations: { kind: "normal" },
  grid,
  collateral: 12,
  positions: [
    { asset: 0, quantity: 1, entryPrice: 100, mmr: 0.01 },
    { asset: 1, quantity: secondQuantity, entryPrice: 50, mmr: 0.01 },
  ],
});

describe("simulateCrossAccount", () => {
  it("one long position = the single-position simulation without bridge (identical draws)", () => {
    // C + q(S − E) ≤ mmr·q·S  ⇔  S ≤ (qE − C)/(q(1 − mmr)).
    const collateral = 10;
    const mmr = 0.005;
    const liq = (100 - collateral) / (1 - mmr);
    const cross = simulateCrossAccount(
      {
        assets: [{ spotPrice: 100, annualVol: 0.8 }],
        correlation: [[1]],
        innovations: { kind: "normal" },
        grid,
        collateral,
        positions: [{ asset: 0, quantity: 1, entryPrice: 100, mmr }],
      },
      { seed: 41, paths: 20_000 },
    );
    const single = simulateLiquidation(
      {
        model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } },
        grid,
        barrier: { side: "long", spotPrice: 100, liquidationPrice: liq },
        bridge: false,
      },
      { seed: 41, paths: 20_000 },
    );
    assert.equal(cross.liquidated, single.liquidated);
    assertNear(cross.meanTimeToLiquidationYears, single.meanTimeToLiquidationYears, 1e-15);
  });

  it("a long/short hedge gets safer as correlation rises; two longs get riskier", () => {
    const run = (spec: CrossAccountSpec) => simulateCrossAccount(spec, { seed: 42, paths: 20_000 });
    const hedge0 = run(pair(0, -2));
    const hedge9 = run(pair(0.9, -2));
    assert.ok(hedge9.upper < hedge0.lower, `hedge: ρ 0.9 ${hedge9.probability} vs ρ 0 ${hedge0.probability}`);
    const same0 = run({ ...pair(0, 2), collateral: 20 });
    const same9 = run({ ...pair(0.9, 2), collateral: 20 });
    assert.ok(same9.lower > same0.upper, `same side: ρ 0.9 ${same9.probability} vs ρ 0 ${same0.probability}`);
  });

  it("Student-t shocks with ν = 3 raise the one-week risk of a far barrier over normal shocks (daily steps)", () => {
    // Two longs, ρ 0.5: weekly sd of the book ≈ 14.6; collateral 45 puts liquidation ≈ 3 sd away.
    const far = { ...pair(0.5, 1), collateral: 45, grid: { horizonYears: 7 / 365, steps: 7 } };
    const normal = simulateCrossAccount(far, { seed: 43, paths: 20_000 });
    const t = simulateCrossAccount(
      { ...far, innovations: { kind: "student-t", nu: 3 } },
      { seed: 43, paths: 20_000 },
    );
    assert.ok(t.lower > normal.upper, `t ${t.probability} vs normal ${normal.probability}`);
  });

  it("rejects a matrix that is not a correlation matrix, and an account already liquidatable", () => {
    assert.throws(() => simulateCrossAccount({ ...pair(1.2, 1) }, { seed: 1 }), /positive definite/);
    assert.throws(() => simulateCrossAccount({ ...pair(0, 1), collateral: 0 }, { seed: 1 }), InputError);
  });
});

describe("correlationFactor", () => {
  it("L Lᵀ reproduces the matrix", () => {
    const a = [
      [1, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 1],
    ];
    const l = correlationFactor(a);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += (l[i * 3 + k] as number) * (l[j * 3 + k] as number);
        assertNear(s, a[i]?.[j] as number, 1e-15);
      }
    }
  });
});

describe("gammaVariate (Marsaglia–Tsang 2000)", () => {
  for (const shape of [0.4, 1.5, 2]) {
    it(`shape ${shape}: KS distance to P(a, x) below the 0.1 % critical value`, () => {
      const rng = new Xoshiro128(44);
      const n = 50_000;
      const xs = Float64Array.from({ length: n }, () => gammaVariate(rng, shape)).sort();
      let d = 0;
      for (let i = 0; i < n; i++) {
        const c = regularizedGammaP(shape, xs[i] as number);
        d = Math.max(d, Math.abs(c - i / n), Math.abs(c - (i + 1) / n));
      }
      assert.ok(d < 1.9495 / Math.sqrt(n), `KS ${d}`);
    });
  }
});

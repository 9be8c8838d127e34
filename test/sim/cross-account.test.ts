/**
 * Cross-account liquidation with correlated assets: with one position it is exactly the
 * single-position simulation without the bridge test (same seed, same draws); correlation moves
 * the probability the way the economics says (hedges help more as ρ → 1, same-direction books
 * suffer); the Cholesky factor reproduces its matrix; one Student-t asset is the single-position
 * t simulation within its confidence interval; the Marsaglia–Tsang gamma variate (used by the
 * Monte Carlo VaR) is checked against the regularized incomplete gamma function. Grid points that
 * the safe band skips never change a path's outcome (against the check at every grid point).
 * Tiers, fees and funding: a one-tier table is the single-position barrier again; a tiered
 * account's first liquidation, replayed through the margin engine (src/margin accountMargin and
 * liquidationPrices, written independently of the simulation), happens at the first grid point
 * where the engine says the account is liquidatable; fees and funding can only bring it forward.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { accountMargin } from "../../src/margin/account.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import type { MarginRules } from "../../src/margin/types.js";
import { regularizedGammaP } from "../../src/math/distributions.js";
import { gammaVariate, Xoshiro128 } from "../../src/math/random.js";
import { correlationFactor } from "../../src/sim/correlated-paths.js";
import {
  CrossAccountEvaluator,
  type CrossAccountSpec,
  simulateCrossAccount,
} from "../../src/sim/cross-account.js";
import { simulateLiquidation } from "../../src/sim/liquidation.js";
import { getVenue } from "../../src/venues/index.js";
import { assertNear } from "../helpers/close.js";
import { account, flatTiers, position } from "../helpers/positions.js";

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

  it("one Student-t asset (ν 4) = the single-position t simulation without bridge, within the CI", () => {
    // Old evaluator (χ² mixing by a gamma variate per step) on the same case, 200,000 paths of
    // seed 11, 168 steps: 0.27606 ± 0.00100; this evaluator: 0.27592 (commit message).
    const collateral = 12;
    const mmr = 0.01;
    const spec: CrossAccountSpec = {
      assets: [{ spotPrice: 100, annualVol: 0.8 }],
      correlation: [[1]],
      innovations: { kind: "student-t", nu: 4 },
      grid,
      collateral,
      positions: [{ asset: 0, quantity: 1, entryPrice: 100, mmr }],
    };
    const cross = simulateCrossAccount(spec, { seed: 52, paths: 40_000 });
    const single = simulateLiquidation(
      {
        model: {
          volatility: { kind: "constant", annualVol: 0.8 },
          innovations: { kind: "student-t", nu: 4 },
        },
        grid,
        barrier: { side: "long", spotPrice: 100, liquidationPrice: (100 - collateral) / (1 - mmr) },
        bridge: false,
      },
      { seed: 53, paths: 40_000 },
    );
    const z =
      Math.abs(cross.probability - single.probability) /
      Math.hypot(cross.standardError, single.standardError);
    assert.ok(z < 3.3, `cross ${cross.probability} vs single ${single.probability} (z ${z})`);
  });

  it("skipping the grid points inside the safe band never changes a path (tiers, hedges, fees, t or normal)", () => {
    const btc = getVenue("binance-usdm").tierTable("BTCUSDT").tiers;
    // A table whose cum is rounded (6 − 7e-6 instead of 6): maintenance jumps by 7e-6 at 150,
    // within the tolerance of validateTierTable; the band must leave room for it.
    const jumpy = [
      { notionalFloor: 0, notionalCap: 150, mmr: 0.01, cum: 0, maxLeverage: 50 },
      {
        notionalFloor: 150,
        notionalCap: Number.POSITIVE_INFINITY,
        mmr: 0.05,
        cum: 6 - 7e-6,
        maxLeverage: 10,
      },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc
            .tuple(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.boolean())
            .map(([x, short]) => (short ? -x : x)),
          { minLength: 3, maxLength: 3 },
        ),
        fc.constantFrom("flat", "btc", "jumpy"),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.002, noNaN: true })),
        fc.boolean(),
        fc.boolean(),
        fc.double({ min: 0.03, max: 0.3, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: -1, max: 2 }),
        (n, sizes, table, fee, atEquality, studentT, cushion, seed, unheld) => {
          const spots = [60_000, 3_000, 100];
          const scale = [1 / 600, 1 / 30, 1];
          // With several assets, one of them may hold no position (it moves, but only the others count).
          const positions = Array.from({ length: n }, (_, i) => {
            const quantity = (sizes[i] as number) * (scale[i] as number);
            const tiers = table === "btc" && i === 0 ? btc : table === "jumpy" ? jumpy : flatTiers(0.01);
            return { asset: i, quantity, entryPrice: spots[i] as number, tiers };
          }).filter((p) => n === 1 || p.asset !== unheld);
          const gross = positions.reduce((sum, p) => sum + Math.abs(p.quantity) * p.entryPrice, 0);
          const spec: CrossAccountSpec = {
            assets: spots.slice(0, n).map((spotPrice) => ({ spotPrice, annualVol: 1.2 })),
            correlation: Array.from({ length: n }, (_, i) =>
              Array.from({ length: n }, (_, j) => (i === j ? 1 : 0.4)),
            ),
            innovations: studentT ? { kind: "student-t", nu: 3 } : { kind: "normal" },
            grid: { horizonYears: 7 / 365, steps: 60 },
            collateral: gross * (0.06 + cushion),
            closeFeeRate: fee,
            liquidateAtEquality: atEquality,
            positions,
          };
          const evaluator = new CrossAccountEvaluator(spec);
          const prices = new Float64Array(evaluator.steps * n);
          const rng = new Xoshiro128(seed);
          for (let p = 0; p < 50; p++) {
            const state = rng.getState();
            const banded = evaluator.simulatePath(rng);
            const shortfall = evaluator.lastShortfall;
            const everyPoint = evaluator.simulatePath(Xoshiro128.fromState(state), prices);
            assert.equal(banded, everyPoint, `path ${p}`);
            if (banded > 0) assert.ok(Object.is(shortfall, evaluator.lastShortfall));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rejects a matrix that is not a correlation matrix, and an account already liquidatable", () => {
    assert.throws(() => simulateCrossAccount({ ...pair(1.2, 1) }, { seed: 1 }), /positive definite/);
    assert.throws(() => simulateCrossAccount({ ...pair(0, 1), collateral: 0 }, { seed: 1 }), InputError);
  });
});

describe("simulateCrossAccount with tiers, fees and funding", () => {
  const btcTiers = getVenue("binance-usdm").tierTable("BTCUSDT").tiers;

  it("one position with a one-tier table, strict trigger: the single-position barrier within the CI", () => {
    // Bridge off in both, same grid and seed. Long 2 at 100, C = 25, mmr 0.0125:
    // C + q(S − E) < mmr·q·S  ⇔  S < (qE − C)/(q(1 − mmr)).
    const liq = (200 - 25) / (2 * (1 - 0.0125));
    const cross = simulateCrossAccount(
      {
        assets: [{ spotPrice: 100, annualVol: 0.8 }],
        correlation: [[1]],
        innovations: { kind: "normal" },
        grid,
        collateral: 25,
        positions: [{ asset: 0, quantity: 2, entryPrice: 100, tiers: flatTiers(0.0125) }],
        liquidateAtEquality: false,
      },
      { seed: 45, paths: 20_000 },
    );
    const single = simulateLiquidation(
      {
        model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } },
        grid,
        barrier: { side: "long", spotPrice: 100, liquidationPrice: liq },
        bridge: false,
      },
      { seed: 46, paths: 20_000 },
    );
    const z =
      Math.abs(cross.probability - single.probability) /
      Math.hypot(cross.standardError, single.standardError);
    assert.ok(z < 3.3, `cross ${cross.probability} vs single ${single.probability} (z ${z})`);
    assert.ok(cross.probability > 0.05 && cross.probability < 0.95);
  });

  it("Binance BTCUSDT tiers: first liquidation below the margin engine's liquidation price, the step before above it", () => {
    // Long 1 BTC at 60,000 (tier 2: 0.5 %, cum 50); C = 12,000 puts liquidation near 48,193, in tier 1.
    const spec: CrossAccountSpec = {
      assets: [{ spotPrice: 60_000, annualVol: 0.9 }],
      correlation: [[1]],
      innovations: { kind: "student-t", nu: 4 },
      grid: { horizonYears: 30 / 365, steps: 720 },
      collateral: 12_000,
      positions: [{ asset: 0, quantity: 1, entryPrice: 60_000, tiers: btcTiers }],
    };
    const rules: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: true };
    const [engine] = liquidationPrices(
      account("cross", 12_000, [position(btcTiers, { size: 1, entryPrice: 60_000, symbol: "BTCUSDT" })]),
      rules,
    );
    const liq = engine?.liquidationPrice as number;
    assertNear(liq, 48_000 / 0.996, 1e-6, "tier-1 liquidation price (C + S − 60,000 = 0.004·S)");
    const evaluator = new CrossAccountEvaluator(spec);
    const prices = new Float64Array(evaluator.steps);
    let seen = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = new Xoshiro128(seed);
        let k = 0;
        for (let tries = 0; tries < 200 && k === 0; tries++) k = evaluator.simulatePath(rng, prices);
        if (k === 0) return true;
        seen += 1;
        assert.ok((prices[k - 1] as number) <= liq, `at k ${prices[k - 1]} vs ${liq}`);
        if (k > 1) assert.ok((prices[k - 2] as number) > liq, `before k ${prices[k - 2]} vs ${liq}`);
        return true;
      }),
      { numRuns: 20, seed: 47 },
    );
    assert.ok(seen >= 15, `only ${seen} liquidated paths replayed`);
  });

  it("two assets with tiers, close fee and funding: replayed through accountMargin, liquidatable first at the recorded step", () => {
    const ethTiers = flatTiers(0.01);
    const funding = [0.5, 0.2];
    const fee = 0.0005;
    const spec: CrossAccountSpec = {
      assets: [
        { spotPrice: 60_000, annualVol: 0.9 },
        { spotPrice: 3_000, annualVol: 1.1 },
      ],
      correlation: [
        [1, 0.3],
        [0.3, 1],
      ],
      innovations: { kind: "normal" },
      grid: { horizonYears: 30 / 365, steps: 720 },
      collateral: 14_000,
      closeFeeRate: fee,
      positions: [
        {
          asset: 0,
          quantity: 1,
          entryPrice: 60_000,
          tiers: btcTiers,
          fundingRatePerYear: funding[0] as number,
        },
        {
          asset: 1,
          quantity: -10,
          entryPrice: 3_000,
          tiers: ethTiers,
          fundingRatePerYear: funding[1] as number,
        },
      ],
    };
    const rules: MarginRules = { maintenanceBasis: "mark", closeFeeRate: fee, liquidateAtEquality: true };
    const evaluator = new CrossAccountEvaluator(spec);
    const dt = evaluator.dtYears;
    const prices = new Float64Array(evaluator.steps * 2);
    const sizes = [1, -10];
    // Equity and maintenance by the margin engine at grid point k (1-based), funding summed from the prices.
    const engineAt = (k: number) => {
      const paid = [0, 0];
      for (let j = 0; j < k; j++) {
        for (let i = 0; i < 2; i++) {
          paid[i] =
            (paid[i] as number) +
            (sizes[i] as number) * (prices[2 * j + i] as number) * (funding[i] as number) * dt;
        }
      }
      const acct = account("cross", 14_000, [
        position(btcTiers, {
          size: 1,
          entryPrice: 60_000,
          markPrice: prices[2 * (k - 1)] as number,
          symbol: "BTCUSDT",
          accruedFunding: -(paid[0] as number),
        }),
        position(ethTiers, {
          size: -10,
          entryPrice: 3_000,
          markPrice: prices[2 * (k - 1) + 1] as number,
          symbol: "ETHUSDT",
          accruedFunding: -(paid[1] as number),
        }),
      ]);
      return accountMargin(acct, rules);
    };
    let seen = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const rng = new Xoshiro128(seed);
        let k = 0;
        for (let tries = 0; tries < 200 && k === 0; tries++) k = evaluator.simulatePath(rng, prices);
        if (k === 0) return true;
        seen += 1;
        const at = engineAt(k);
        assert.ok(at.equity <= at.maintenanceMargin, `at k ${at.equity} vs ${at.maintenanceMargin}`);
        assertNear(evaluator.lastShortfall, at.maintenanceMargin - at.equity, 1e-6, "shortfall");
        if (k > 1) {
          const before = engineAt(k - 1);
          assert.ok(
            before.equity > before.maintenanceMargin,
            `before k ${before.equity} vs ${before.maintenanceMargin}`,
          );
        }
        return true;
      }),
      { numRuns: 15, seed: 48 },
    );
    assert.ok(seen >= 10, `only ${seen} liquidated paths replayed`);
  });

  it("a close fee and funding paid by a long only bring liquidation forward (same draws: counts can only rise)", () => {
    const base: CrossAccountSpec = {
      assets: [{ spotPrice: 100, annualVol: 0.8 }],
      correlation: [[1]],
      innovations: { kind: "normal" },
      grid,
      collateral: 15,
      positions: [{ asset: 0, quantity: 1, entryPrice: 100, mmr: 0.005 }],
    };
    const run = (spec: CrossAccountSpec) => simulateCrossAccount(spec, { seed: 49, paths: 20_000 });
    const plain = run(base);
    const fee = run({ ...base, closeFeeRate: 0.01 });
    const funded = run({
      ...base,
      positions: [{ asset: 0, quantity: 1, entryPrice: 100, mmr: 0.005, fundingRatePerYear: 2 }],
    });
    const shortFunded = run({
      ...base,
      positions: [{ asset: 0, quantity: -1, entryPrice: 100, mmr: 0.005, fundingRatePerYear: 2 }],
    });
    const shortPlain = run({ ...base, positions: [{ asset: 0, quantity: -1, entryPrice: 100, mmr: 0.005 }] });
    assert.ok(fee.liquidated > plain.liquidated, `fee ${fee.liquidated} vs ${plain.liquidated}`);
    assert.ok(funded.liquidated > plain.liquidated, `funding ${funded.liquidated} vs ${plain.liquidated}`);
    // A short receives positive funding: later liquidation.
    assert.ok(
      shortFunded.liquidated < shortPlain.liquidated,
      `short ${shortFunded.liquidated} vs ${shortPlain.liquidated}`,
    );
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (f, r) => {
          const more = simulateCrossAccount(
            {
              ...base,
              closeFeeRate: f,
              positions: [{ asset: 0, quantity: 1, entryPrice: 100, mmr: 0.005, fundingRatePerYear: r }],
            },
            { seed: 50, paths: 500 },
          );
          const less = simulateCrossAccount(base, { seed: 50, paths: 500 });
          return more.liquidated >= less.liquidated;
        },
      ),
      { numRuns: 20, seed: 51 },
    );
  });

  it("needs exactly one of mmr and tiers per position", () => {
    const one = (p: CrossAccountSpec["positions"][number]): CrossAccountSpec => ({
      assets: [{ spotPrice: 100, annualVol: 0.8 }],
      correlation: [[1]],
      innovations: { kind: "normal" },
      grid,
      collateral: 15,
      positions: [p],
    });
    assert.throws(
      () => simulateCrossAccount(one({ asset: 0, quantity: 1, entryPrice: 100 }), { seed: 1 }),
      /exactly one of mmr and tiers/,
    );
    assert.throws(
      () =>
        simulateCrossAccount(
          one({ asset: 0, quantity: 1, entryPrice: 100, mmr: 0.01, tiers: flatTiers(0.01) }),
          { seed: 1 },
        ),
      InputError,
    );
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

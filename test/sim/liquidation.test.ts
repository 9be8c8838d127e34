/**
 * Monte Carlo probability of liquidation against the closed form of src/risk/first-passage.ts
 * (itself checked against scipy and quant.md §5 R12): under GBM the simulation with the
 * Brownian-bridge test agrees with the continuous-time touch probability within its confidence
 * interval on a coarse grid, and without it is biased low, by about the Broadie–Glasserman–Kou
 * shift (quant.md §3.7). Also: the path generators' moments against their model formulas
 * (quant.md §3.4 GARCH variance of a sum, §3.6 Merton), and monotonicity properties.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { Xoshiro128 } from "../../src/math/random.js";
import { discreteMonitoringBarrier, touchProbability } from "../../src/risk/first-passage.js";
import { type LiquidationSpec, simulateLiquidation } from "../../src/sim/liquidation.js";
import { createPathGenerator, type ModelSpec } from "../../src/sim/models.js";

const gbm = (annualVol: number, annualDrift = 0): ModelSpec => ({
  volatility: { kind: "constant", annualVol },
  innovations: { kind: "normal" },
  annualDrift,
});

/** R12 of quant.md §5 on a coarse grid (24 steps of 7 hours). */
const r12: LiquidationSpec = {
  model: gbm(0.8),
  grid: { horizonYears: 7 / 365, steps: 24 },
  barrier: { side: "long", spotPrice: 100, liquidationPrice: 90 },
};
const r12Closed = touchProbability(Math.log(0.9), -0.32, 0.8, 7 / 365, "long");

describe("simulated P(liquidation) vs the closed form (GBM)", () => {
  it("with the bridge test: the 99 % Wilson interval contains the closed form (long, R12)", () => {
    const e = simulateLiquidation(r12, { seed: 1, paths: 200_000, confidence: 0.99 });
    assert.ok(e.lower <= r12Closed && r12Closed <= e.upper, `${r12Closed} ∉ [${e.lower}, ${e.upper}]`);
    assert.equal(e.paths, 200_000);
    assert.equal(e.seed, 1);
    assert.equal(e.steps, 24);
    assert.equal(e.bridge, true);
    assert.equal(e.stoppedBy, "paths");
    assert.ok(e.meanTimeToLiquidationYears > 0 && e.meanTimeToLiquidationYears <= 7 / 365);
  });

  it("with the bridge test: a short with drift and a moving liquidation price (closed form with ν − g)", () => {
    // Short liquidated when X_t ≥ b₀ + g·t ⇔ X_t − g·t ≥ b₀: a touch with log drift ν − g.
    const g = -0.6;
    const spec: LiquidationSpec = {
      model: gbm(0.6, 0.2),
      grid: { horizonYears: 30 / 365, steps: 30 },
      barrier: { side: "short", spotPrice: 100, liquidationPrice: 115, liquidationPriceLogDriftPerYear: g },
    };
    const closed = touchProbability(Math.log(1.15), 0.2 - 0.18 - g, 0.6, 30 / 365, "short");
    const e = simulateLiquidation(spec, { seed: 2, paths: 200_000, confidence: 0.99 });
    assert.ok(e.lower <= closed && closed <= e.upper, `${closed} ∉ [${e.lower}, ${e.upper}]`);
  });

  it("without the bridge test: biased low, and close to the BGK discrete-monitoring value", () => {
    const e = simulateLiquidation({ ...r12, bridge: false }, { seed: 1, paths: 200_000, confidence: 0.99 });
    assert.ok(e.upper < r12Closed, `not biased low: [${e.lower}, ${e.upper}] vs ${r12Closed}`);
    const dt = 7 / 365 / 24;
    const bgk = touchProbability(
      Math.log(discreteMonitoringBarrier(90, 0.8, dt, "long") / 100),
      -0.32,
      0.8,
      7 / 365,
      "long",
    );
    // BGK is itself an approximation (error o(1/√m), m = 24): allow 3 standard errors + 0.005.
    assert.ok(Math.abs(e.probability - bgk) < 3 * e.standardError + 0.005, `${e.probability} vs BGK ${bgk}`);
    assert.ok(r12Closed - e.probability > 0.01, "the bias is material on this grid");
  });

  it("stops at tolerance, reports progress each round, and is reproducible", () => {
    const seen: number[] = [];
    const control = {
      seed: 9,
      paths: 1_000_000,
      batchPaths: 5_000,
      targetStandardError: 0.004,
      onProgress: (p: { paths: number }) => seen.push(p.paths),
    };
    const e = simulateLiquidation(r12, control);
    assert.equal(e.stoppedBy, "tolerance");
    assert.ok(e.standardError < 0.004);
    assert.deepEqual(
      seen,
      Array.from({ length: seen.length }, (_, i) => 5_000 * (i + 1)),
    );
    assert.equal(e.paths, seen[seen.length - 1]);
    const again = simulateLiquidation(r12, { ...control, onProgress: () => {} });
    assert.deepEqual(again, e);
    const capped = simulateLiquidation(r12, {
      seed: 9,
      paths: 10_000,
      batchPaths: 5_000,
      targetStandardError: 1e-6,
    });
    assert.equal(capped.stoppedBy, "cap");
    assert.equal(capped.paths, 10_000);
  });
});

describe("properties of the simulated probability", () => {
  it("rises with leverage (a closer liquidation price): path by path with common random numbers", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2, max: 20, noNaN: true }),
        fc.double({ min: 1.05, max: 2, noNaN: true }),
        (lev, k) => {
          // Isolated linear long, maintenance rate 0.5 %, no fees: H = S₀(1 − 1/L)/(1 − mmr).
          const liq = (leverage: number) => (100 * (1 - 1 / leverage)) / (1 - 0.005);
          const run = (leverage: number) =>
            simulateLiquidation(
              {
                ...r12,
                bridge: false,
                barrier: { side: "long", spotPrice: 100, liquidationPrice: liq(leverage) },
              },
              { seed: 3, paths: 2_000 },
            ).liquidated;
          assert.ok(run(lev * k) >= run(lev));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("falls with collateral (a liquidation price further away) for shorts too", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.01, max: 1.5, noNaN: true }),
        fc.double({ min: 0.01, max: 0.3, noNaN: true }),
        (h, extra) => {
          const run = (ratio: number) =>
            simulateLiquidation(
              {
                ...r12,
                bridge: false,
                barrier: { side: "short", spotPrice: 100, liquidationPrice: 100 * ratio },
              },
              { seed: 4, paths: 2_000 },
            ).liquidated;
          assert.ok(run(h + extra) <= run(h));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("rises with volatility and with the horizon (Student-t ν = 4, bridge on)", () => {
    const t = (annualVol: number): ModelSpec => ({
      volatility: { kind: "constant", annualVol },
      innovations: { kind: "student-t", nu: 4 },
    });
    const p = (model: ModelSpec, days: number) =>
      simulateLiquidation(
        { ...r12, model, grid: { horizonYears: days / 365, steps: days * 4 } },
        { seed: 5, paths: 40_000 },
      );
    const base = p(t(0.6), 7);
    const volatile = p(t(0.9), 7);
    const longer = p(t(0.6), 14);
    assert.ok(volatile.lower > base.upper, `vol: ${volatile.probability} vs ${base.probability}`);
    assert.ok(longer.lower > base.upper, `horizon: ${longer.probability} vs ${base.probability}`);
  });
});

describe("path generators", () => {
  const terminalMoments = (
    model: ModelSpec,
    steps: number,
    horizonYears: number,
    paths: number,
    seed: number,
  ) => {
    const g = createPathGenerator(model, { horizonYears, steps });
    const rng = new Xoshiro128(seed);
    const dx = new Float64Array(steps);
    const v = new Float64Array(steps).fill(g.fixedStepVariance);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < paths; i++) {
      g.next(rng, dx, v);
      let x = 0;
      for (const d of dx) x += d;
      sum += x;
      sq += x * x;
    }
    const mean = sum / paths;
    return { mean, variance: sq / paths - mean * mean, v };
  };

  it("Student-t (unit variance): X_T has mean (μ − σ²/2)T and variance σ²T", () => {
    const m = terminalMoments(
      {
        volatility: { kind: "constant", annualVol: 0.8 },
        innovations: { kind: "student-t", nu: 5 },
        annualDrift: 0.1,
      },
      20,
      0.25,
      100_000,
      21,
    );
    const variance = 0.64 * 0.25;
    assert.ok(Math.abs(m.mean - (0.1 - 0.32) * 0.25) < 5 * Math.sqrt(variance / 100_000), `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance / variance - 1) < 0.03, `variance ${m.variance} vs ${variance}`);
  });

  it("GARCH(1,1)-t: variance of the H-step sum = Hσ̄² + (h₁ − σ̄²)(1 − φ^H)/(1 − φ) (quant.md §3.4)", () => {
    const params = { mu: 0, omega: 0.05, alpha: 0.08, beta: 0.9, nu: 5 };
    const h1 = 4;
    const steps = 30;
    const m = terminalMoments(
      {
        volatility: { kind: "garch", params, startVariance: h1 },
        innovations: { kind: "student-t", nu: 5 },
      },
      steps,
      steps / 365,
      200_000,
      22,
    );
    const phi = 0.98;
    const longRun = 0.05 / (1 - phi);
    const expected = (steps * longRun + ((h1 - longRun) * (1 - phi ** steps)) / (1 - phi)) / 1e4;
    assert.ok(Math.abs(m.variance / expected - 1) < 0.04, `variance ${m.variance} vs ${expected}`);
    assert.ok(m.v[0] === h1 / 1e4, "step variance of the bridge in fractional units");
  });

  it("Merton jumps: mean (μ − σ²/2 − λκ)T + λTμ_J and variance σ²T + λT(μ_J² + δ²) (quant.md §3.6)", () => {
    const jumps = { intensityPerYear: 20, meanLogJump: -0.05, logJumpVol: 0.08 };
    const T = 0.25;
    const m = terminalMoments({ ...gbm(0.5, 0.1), jumps }, 50, T, 200_000, 23);
    const kappa = Math.exp(-0.05 + 0.0032) - 1;
    const mean = (0.1 - 0.125 - 20 * kappa) * T + 20 * T * -0.05;
    const variance = 0.25 * T + 20 * T * (0.0025 + 0.0064);
    assert.ok(Math.abs(m.mean - mean) < 5 * Math.sqrt(variance / 200_000), `mean ${m.mean} vs ${mean}`);
    assert.ok(Math.abs(m.variance / variance - 1) < 0.03, `variance ${m.variance} vs ${variance}`);
  });

  it("block bootstrap: blocks are consecutive (circular) runs of the samples", () => {
    const samples = Array.from({ length: 50 }, (_, i) => i);
    const g = createPathGenerator(
      { volatility: { kind: "historical" }, innovations: { kind: "bootstrap", samples, blockLength: 5 } },
      { horizonYears: 1, steps: 23 },
    );
    const dx = new Float64Array(23);
    g.next(new Xoshiro128(24), dx, new Float64Array(23));
    for (let k = 0; k < 23; k++) {
      assert.ok(Number.isInteger(dx[k]));
      if (k % 5 !== 0) assert.equal(dx[k], ((dx[k - 1] as number) + 1) % 50, `step ${k}`);
    }
    assertVarianceOfSamples(g.fixedStepVariance, samples);
  });

  it("rejects bad specs with InputError naming the field", () => {
    const grid = { horizonYears: 1, steps: 10 };
    assert.throws(
      () => createPathGenerator({ ...gbm(0.5), innovations: { kind: "student-t", nu: 2 } }, grid),
      /innovations\.nu/,
    );
    assert.throws(
      () =>
        createPathGenerator({ volatility: { kind: "historical" }, innovations: { kind: "normal" } }, grid),
      InputError,
    );
    assert.throws(() => createPathGenerator(gbm(0.5), { horizonYears: 1, steps: 2.5 }), /grid\.steps/);
    assert.throws(
      () =>
        simulateLiquidation(
          { ...r12, barrier: { side: "long", spotPrice: 100, liquidationPrice: 110 } },
          { seed: 1 },
        ),
      /barrier\.liquidationPrice/,
    );
  });
});

function assertVarianceOfSamples(actual: number, samples: number[]): void {
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (samples.length - 1);
  assert.ok(Math.abs(actual - variance) < 1e-9 * variance);
}

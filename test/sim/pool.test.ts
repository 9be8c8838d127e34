/**
 * The worker-thread pool: reproducible (same seed and worker count → identical result), equal to
 * the single-threaded run with one worker, independent streams per worker (jump-ahead), stop at
 * tolerance with progress, and agreement with the closed form (src/risk/first-passage.ts, quant.md
 * §5 R12). Runs two workers at most (the test machine has two cores).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { touchProbability } from "../../src/risk/first-passage.js";
import { type CrossAccountSpec, simulateCrossAccount } from "../../src/sim/cross-account.js";
import { SIMULATIONS, simulationOf } from "../../src/sim/evaluators.js";
import { type LiquidationSpec, simulateLiquidation } from "../../src/sim/liquidation.js";
import {
  type PartialLiquidationSpec,
  simulatePartialLiquidation,
} from "../../src/sim/partial-liquidation.js";
import { SimulationPool, simulateParallel } from "../../src/sim/pool.js";

const spec: LiquidationSpec = {
  model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } },
  grid: { horizonYears: 7 / 365, steps: 24 },
  barrier: { side: "long", spotPrice: 100, liquidationPrice: 90 },
};
const closed = touchProbability(Math.log(0.9), -0.32, 0.8, 7 / 365, "long");

describe("simulateParallel", () => {
  it("same seed and workers → identical result; one worker = the single-threaded run", async () => {
    const a = await simulateParallel("liquidation", spec, {
      seed: 7,
      paths: 60_000,
      batchPaths: 10_000,
      workers: 2,
    });
    const b = await simulateParallel("liquidation", spec, {
      seed: 7,
      paths: 60_000,
      batchPaths: 10_000,
      workers: 2,
    });
    assert.deepEqual(a, b);
    assert.equal(a.workers, 2);
    assert.equal(a.paths, 60_000);
    const one = await simulateParallel("liquidation", spec, {
      seed: 7,
      paths: 30_000,
      batchPaths: 10_000,
      workers: 1,
    });
    const single = simulateLiquidation(spec, { seed: 7, paths: 30_000, batchPaths: 10_000 });
    assert.deepEqual({ ...one, workers: 1 }, single);
    // Worker 1 runs on the jumped stream, so two workers do not repeat worker 0's paths.
    assert.notEqual(a.liquidated, 2 * one.liquidated);
  });

  it("agrees with the closed form within the 99 % interval and stops at tolerance with progress", async () => {
    const rounds: number[] = [];
    const e = await simulateParallel("liquidation", spec, {
      seed: 8,
      paths: 2_000_000,
      batchPaths: 20_000,
      targetStandardError: 0.0015,
      confidence: 0.99,
      workers: 2,
      onProgress: (p) => rounds.push(p.paths),
    });
    assert.equal(e.stoppedBy, "tolerance");
    assert.ok(e.standardError < 0.0015);
    assert.deepEqual(
      rounds,
      Array.from({ length: rounds.length }, (_, i) => 40_000 * (i + 1)),
    );
    assert.ok(e.lower <= closed && closed <= e.upper, `${closed} ∉ [${e.lower}, ${e.upper}]`);
  });

  it("runs cross accounts too: one worker = the single-threaded simulateCrossAccount", async () => {
    const cross: CrossAccountSpec = {
      assets: [
        { spotPrice: 100, annualVol: 0.8 },
        { spotPrice: 50, annualVol: 0.6 },
      ],
      correlation: [
        [1, 0.7],
        [0.7, 1],
      ],
      innovations: { kind: "student-t", nu: 4 },
      grid: { horizonYears: 7 / 365, steps: 28 },
      collateral: 15,
      positions: [
        { asset: 0, quantity: 1, entryPrice: 100, mmr: 0.01 },
        { asset: 1, quantity: -1, entryPrice: 50, mmr: 0.01 },
      ],
    };
    const pooled = await simulateParallel("cross-account", cross, {
      seed: 12,
      paths: 8_000,
      batchPaths: 4_000,
      workers: 1,
    });
    const single = simulateCrossAccount(cross, { seed: 12, paths: 8_000, batchPaths: 4_000 });
    assert.deepEqual(pooled, single);
  });

  it("reports a bad spec before starting threads", async () => {
    await assert.rejects(
      simulateParallel(
        "liquidation",
        { ...spec, grid: { horizonYears: -1, steps: 2 } },
        { seed: 1, workers: 2 },
      ),
      /grid\.horizonYears/,
    );
  });

  it("runs partial liquidation too: one worker = the single-threaded simulatePartialLiquidation", async () => {
    const partial: PartialLiquidationSpec = {
      model: { volatility: { kind: "constant", annualVol: 0.6 }, innovations: { kind: "normal" } },
      grid: { horizonYears: 7 / 365, steps: 24 },
      venue: "hyperliquid",
      symbol: "BTC",
      quantity: 2,
      entryPrice: 100_000,
      spotPrice: 100_000,
      collateral: 15_000,
    };
    const control = { seed: 5, paths: 6_000, batchPaths: 2_000 };
    const pooled = await simulateParallel("partial-liquidation", partial, { ...control, workers: 1 });
    assert.deepEqual(pooled, simulatePartialLiquidation(partial, control));
  });
});

describe("SimulationPool.runAccounts", () => {
  const accounts: LiquidationSpec[] = [0.9, 0.85, 0.95, 0.8, 0.92].map((f) => ({
    ...spec,
    barrier: { side: "long", spotPrice: 100, liquidationPrice: 100 * f },
  }));
  const control = { seed: 3, paths: 3_000, batchPaths: 1_000 };

  it("account i = its single-threaded run on stream i, whatever the workers and the job size", async () => {
    const two = new SimulationPool(2);
    const one = new SimulationPool(1);
    try {
      const progress: number[] = [];
      const a = await two.runAccounts("liquidation", accounts, {
        ...control,
        accountsPerJob: 2,
        onProgress: (p) => progress.push(p.accounts),
      });
      const b = await one.runAccounts("liquidation", accounts, control);
      assert.deepEqual(a, b);
      accounts.forEach((account, i) => {
        assert.deepEqual(a[i], simulateLiquidation(account, { ...control, stream: i }));
      });
      assert.equal(progress.at(-1), accounts.length);
      // Different streams: the first two accounts differ only in their barrier, not their draws.
      assert.notDeepEqual(
        a[0],
        simulateLiquidation(accounts[0] as LiquidationSpec, { ...control, stream: 1 }),
      );
      await assert.rejects(
        two.runAccounts("liquidation", [spec, { ...spec, grid: { horizonYears: -1, steps: 2 } }], control),
        /accounts\[1\].*grid\.horizonYears/,
      );
    } finally {
      await Promise.all([two.close(), one.close()]);
    }
  });
});

describe("the simulation registry", () => {
  it("names every simulation the pool runs, and an unknown name is an input error", () => {
    assert.deepEqual(Object.keys(SIMULATIONS), [
      "liquidation",
      "cross-account",
      "partial-liquidation",
      "venue",
      "lending",
    ]);
    assert.equal(simulationOf("cross-account"), SIMULATIONS["cross-account"]);
    assert.throws(
      () => simulationOf("toString"),
      (e: unknown) => e instanceof InputError && e.field === "kind",
    );
  });
});

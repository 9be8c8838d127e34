/**
 * Partial results when a batch fails (issue 11): the pool returns the estimate of the completed
 * batches with `stoppedBy: "failed"` and the failed batch named, reproducibly; when nothing
 * completed it throws. The fault is injected by a wrapped worker (test/sim/fault/worker.ts) whose
 * liquidation evaluator throws on one (round, stream).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type LiquidationSpec, simulateLiquidation } from "../../src/sim/liquidation.js";
import { SimulationPool } from "../../src/sim/pool.js";

const spec: LiquidationSpec = {
  model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } },
  grid: { horizonYears: 7 / 365, steps: 24 },
  barrier: { side: "long", spotPrice: 100, liquidationPrice: 90 },
};
const control = { seed: 11, paths: 60_000, batchPaths: 10_000 };

/** Runs the pool of `workers` threads whose batch (round, stream) throws. */
async function runFaulty(workers: number, round: number, stream: number) {
  const module = new URL(`./fault/worker.ts?stream=${stream}&round=${round}`, import.meta.url);
  const pool = new SimulationPool(workers, module);
  try {
    return await pool.run("liquidation", spec, control);
  } finally {
    await pool.close();
  }
}

describe("SimulationPool.run with a failing batch", () => {
  it("one worker: the rounds before the failure, equal to the single-threaded run of those paths", async () => {
    const partial = await runFaulty(1, 2, 0);
    assert.equal(partial.stoppedBy, "failed");
    assert.deepEqual(partial.failure, {
      round: 2,
      stream: 0,
      message: "simulation worker: injected fault in round 2 of stream 0",
    });
    assert.equal(partial.paths, 20_000);
    const serial = simulateLiquidation(spec, { ...control, paths: 20_000 });
    const { failure: _, ...rest } = partial;
    assert.deepEqual({ ...rest, stoppedBy: "paths", workers: 1 }, serial);
  });

  it("two workers: the failed round's other stream is counted, and the same fault gives the same result", async () => {
    const a = await runFaulty(2, 1, 1);
    assert.equal(a.stoppedBy, "failed");
    assert.equal(a.paths, 30_000); // round 0 on both streams, round 1 on stream 0
    assert.equal(a.failure?.stream, 1);
    assert.equal(a.failure?.round, 1);
    assert.deepEqual(await runFaulty(2, 1, 1), a);
    // Stream 0 alone in the first round: 10,000 paths, not worker 1's.
    const first = await runFaulty(2, 0, 1);
    assert.equal(first.paths, 10_000);
    assert.ok(first.liquidated < a.liquidated);
  });

  it("throws as before when no batch completed", async () => {
    await assert.rejects(runFaulty(1, 0, 0), /injected fault in round 0 of stream 0/);
  });
});

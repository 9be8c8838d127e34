/**
 * Monte Carlo of the lending market (src/sim/venue/lending-simulation.ts): each path's totals equal
 * the replay (lending-replay.ts `replayLending`, with `oraclePaths`) of the same correlated paths;
 * the ledger balances on every path (conservation, 1e-9 relative); determinism (same seed → same
 * result with two workers; one worker = the single-threaded run); two halves merge into the whole;
 * stop-at-tolerance on the bad debt's standard error; partial results when a batch fails (the fault
 * injector of test/sim/fault/); more volatility liquidates more; a toxic collateral is counted;
 * bad specs are refused naming the field.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import { CorrelatedPathGenerator } from "../../../src/sim/correlated-paths.js";
import { SimulationPool, simulateParallel } from "../../../src/sim/pool.js";
import { readRunControl, runSerial, runSimulation } from "../../../src/sim/run.js";
import {
  buildLendingMarket,
  type LendingMarketAsset,
} from "../../../src/sim/venue/lending-reconciliation.js";
import { oraclePaths, replayLending } from "../../../src/sim/venue/lending-replay.js";
import {
  LendingEvaluator,
  type LendingSimulationSpec,
  lendingSimulation,
} from "../../../src/sim/venue/lending-simulation.js";
import { assertRel } from "../../helpers/close.js";

const asset = (
  over: Partial<LendingMarketAsset> & Pick<LendingMarketAsset, "symbol" | "price">,
): LendingMarketAsset => ({
  liquidationThreshold: 0.8,
  liquidationBonus: 0.05,
  protocolFeeShare: 0.1,
  oracle: { kind: "fresh" },
  lagging: false,
  collateralWeight: 0,
  debtWeight: 0,
  ...over,
});

/**
 * WETH and a thin, volatile alt as collateral (the alt behind a stale push feed that moves only on
 * 25 % deviations or daily, with a high LT, so a fall it does not see leaves a deficit), USDC debt.
 */
const spec = (over: { vols?: number[]; toxic?: boolean } = {}): LendingSimulationSpec => ({
  market: {
    assets: [
      asset({
        symbol: "WETH",
        price: 4_000,
        collateralWeight: 0.7,
        liquidationThreshold: over.toxic === true ? 0.97 : 0.83,
        impact: { y: 0.7, dailyVol: 0.04, dailyVolumeUsd: 1e9, halfLifeSteps: 6 },
        oracle: { kind: "push", deviation: 0.005, heartbeatSeconds: 3_600 },
      }),
      asset({
        symbol: "ALT",
        price: 1,
        collateralWeight: 0.3,
        liquidationThreshold: 0.85,
        liquidationBonus: 0.08,
        impact: { y: 0.7, dailyVol: 0.08, dailyVolumeUsd: 5e7, halfLifeSteps: 6 },
        oracle: { kind: "push", deviation: 0.25, heartbeatSeconds: 86_400, latencySeconds: 1_800 },
        lagging: true,
      }),
      asset({ symbol: "USDC", price: 1, debtWeight: 1 }),
    ],
    population: {
      count: 300,
      totalDebtUsd: 5e7,
      size: { tailIndex: 1.1, minUsd: 1_000, maxUsd: 1e7 },
      healthFactor: { min: 1.01, median: 1.15, sigma: 1 },
      secondCollateralShare: 0.3,
    },
    gasUsdPerCall: 20,
    callsPerStep: 2,
    seed: 7,
  },
  model: {
    annualVol: over.vols ?? [1.5, 4, 0],
    correlation: [
      [1, 0.7, 0],
      [0.7, 1, 0],
      [0, 0, 1],
    ],
    innovations: { kind: "student-t", nu: 3.5 },
  },
  steps: 96,
  stepMinutes: 60,
});
const control = { seed: 3, paths: 120, batchPaths: 20 };

/** The field of the InputError `f()` throws. */
function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.field;
    throw e;
  }
  assert.fail("expected an InputError");
}

describe("lending Monte Carlo", () => {
  it("each path's totals equal the replay of the same correlated paths (replayLending, oraclePaths)", () => {
    const s = spec();
    const evaluator = new LendingEvaluator(s);
    const tally = lendingSimulation.tally.empty();
    evaluator.run(new Xoshiro128(5), 1, tally);
    // The same path, built independently: cumulative log returns, oracles by oraclePaths.
    const g = new CorrelatedPathGenerator(s.model, {
      horizonYears: (s.steps * s.stepMinutes) / (365 * 24 * 60),
      steps: s.steps,
    });
    const r = new Float64Array(s.steps * 3);
    g.next(new Xoshiro128(5), r);
    const market = s.market.assets.map((a, i) => {
      const path = new Float64Array(s.steps + 1);
      path[0] = a.price;
      for (let t = 1; t <= s.steps; t++)
        path[t] = (path[t - 1] as number) * Math.exp(r[(t - 1) * 3 + i] as number);
      return path;
    });
    const oracle = oraclePaths(
      market,
      s.stepMinutes * 60,
      s.market.assets.map((a) => a.oracle),
    );
    const { engine } = buildLendingMarket(s.market);
    const replay = replayLending(
      engine,
      market.map((m) => m.subarray(1)),
      oracle.map((o) => o.subarray(1)),
    );
    assert.ok(replay.totals.calls > 0, "the path liquidates");
    assertRel(tally.liquidatedUsd.mean, replay.totals.repaidUsd, 1e-9, "liquidated");
    assertRel(tally.bonusUsd.mean, replay.totals.bonusUsd, 1e-9, "bonus");
    assert.equal(tally.calls.mean, replay.totals.calls);
    assert.equal(tally.deficitUsd.mean, replay.totals.deficitUsd);
    assertRel(tally.badDebtUsd.mean, replay.totals.deficitUsd + replay.underwaterUsd, 1e-9, "bad debt");
  });

  it("the ledger balances on every path (collateral, debt and cash, 1e-9 relative) and the estimates hang together", () => {
    const e = runSimulation(lendingSimulation, spec(), control);
    assert.equal(e.paths, 120);
    assert.ok(e.ledgerImbalance <= 1e-9, `imbalance ${e.ledgerImbalance}`);
    assert.ok(e.liquidatedUsd.mean > 0 && e.calls.mean > 0);
    assert.ok(e.deficit.probability > 0, "the lagging alt leaves a deficit on some paths");
    assert.ok(e.badDebtUsd.mean >= e.deficitUsd.mean);
    assert.ok(e.badDebtEs99 >= e.badDebtUsd.mean);
    const counted = e.badDebtDistribution.zeros + e.badDebtDistribution.bins.reduce((s, b) => s + b.count, 0);
    assert.equal(counted, e.paths);
    // bonus = seized − repaid ≤ max bonus rate × repaid (8 %)
    assert.ok(e.bonusUsd.mean > 0 && e.bonusUsd.mean <= 0.08 * e.liquidatedUsd.mean * (1 + 1e-12));
    assert.equal(e.toxicCalls.mean, 0);
  });

  it("same seed → same result with two workers; one worker = the single-threaded run", async () => {
    const a = await simulateParallel("lending", spec(), { ...control, workers: 2 });
    const b = await simulateParallel("lending", spec(), { ...control, workers: 2 });
    assert.deepEqual(a, b);
    assert.equal(a.workers, 2);
    const one = await simulateParallel("lending", spec(), { ...control, workers: 1 });
    assert.deepEqual(one, runSimulation(lendingSimulation, spec(), control));
  });

  it("two tallies of consecutive halves merge into the tally of all the paths", () => {
    const evaluator = new LendingEvaluator(spec());
    const kind = lendingSimulation.tally;
    const whole = kind.empty();
    evaluator.run(new Xoshiro128(9), 40, whole);
    const rng = new Xoshiro128(9);
    const first = kind.empty();
    const second = kind.empty();
    evaluator.run(rng, 20, first);
    evaluator.run(rng, 20, second);
    kind.merge(first, second);
    assert.equal(first.paths, whole.paths);
    assert.deepEqual(first.badDebtTail, whole.badDebtTail);
    assertRel(first.badDebtUsd.mean, whole.badDebtUsd.mean, 1e-12, "bad debt mean");
    assertRel(first.liquidatedUsd.mean, whole.liquidatedUsd.mean, 1e-12, "liquidated mean");
    assert.equal(first.deficitPaths, whole.deficitPaths);
  });

  it("stop-at-tolerance: stops once the bad debt's standard error is below the target", () => {
    const evaluator = new LendingEvaluator(spec());
    const full = runSerial(evaluator, lendingSimulation.tally, { ...control, paths: 200 });
    const se = lendingSimulation.tally.watched(full.tally, 0.95).standardError;
    const target = se * 1.5; // met after roughly (1/1.5)² of the paths
    const run = runSerial(evaluator, lendingSimulation.tally, {
      ...control,
      paths: 200,
      targetStandardError: target,
    });
    assert.equal(run.stoppedBy, "tolerance");
    assert.ok(run.tally.paths < 200);
    assert.ok(lendingSimulation.tally.watched(run.tally, 0.95).standardError < target);
    assert.equal(readRunControl(control).target, undefined);
  });

  it("a failed batch gives the partial result of the completed ones, reproducibly", async () => {
    const module = new URL("../fault/worker.ts?stream=1&round=1", import.meta.url);
    const run = async () => {
      const pool = new SimulationPool(2, module);
      try {
        return await pool.run("lending", spec(), { ...control, paths: 100 });
      } finally {
        await pool.close();
      }
    };
    const a = await run();
    assert.equal(a.stoppedBy, "failed");
    assert.equal(a.paths, 60); // round 0 on both streams, round 1 on stream 0
    assert.deepEqual(a.failure, {
      round: 1,
      stream: 1,
      message: "simulation worker: injected fault in round 1 of stream 1",
    });
    assert.deepEqual(await run(), a);
  });

  it("more volatility liquidates more; a toxic collateral (LT·(1 + bonus) ≥ 1) is counted", () => {
    const calm = runSimulation(lendingSimulation, spec({ vols: [0.3, 0.6, 0] }), control);
    const wild = runSimulation(lendingSimulation, spec(), control);
    assert.ok(wild.liquidatedUsd.mean > calm.liquidatedUsd.mean);
    const toxic = runSimulation(lendingSimulation, spec({ toxic: true }), control);
    assert.ok(toxic.toxicCalls.mean > 0);
  });

  it("refuses a bad spec naming the field", () => {
    const s = spec();
    assert.equal(
      fieldOf(() => new LendingEvaluator({ ...s, model: { ...s.model, annualVol: [1, 1] } })),
      "model.annualVol",
    );
    assert.equal(
      fieldOf(
        () =>
          new LendingEvaluator({
            ...s,
            model: {
              ...s.model,
              correlation: [
                [1, 0.99, 0],
                [0.99, 1, 0.9],
                [0, 0.9, 1],
              ],
            },
          }),
      ),
      "model.correlation",
    );
    assert.equal(
      fieldOf(() => new LendingEvaluator({ ...s, steps: 0 })),
      "steps",
    );
  });
});

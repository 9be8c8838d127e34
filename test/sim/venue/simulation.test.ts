/**
 * The venue simulation (src/sim/venue/simulation.ts) on the one runner and the worker pool:
 * determinism (same seed → same result with one and two workers; one worker = the single-threaded
 * run, as test/sim/pool.test.ts checks for the other simulations), and the tally against an
 * independent count: with no impact, no capacity limit and a fund no deficit can exhaust, the
 * positions liquidated on a path are those whose liquidation price the path's running min (longs) /
 * max (shorts) reached, so the mean count and the mean liquidated notional (|q|·X at the first
 * crossing) follow from the same paths regenerated here from the seed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import { createPathGenerator } from "../../../src/sim/models.js";
import { simulateParallel } from "../../../src/sim/pool.js";
import { runSimulation } from "../../../src/sim/run.js";
import { drawPopulation } from "../../../src/sim/venue/population.js";
import {
  sampleVenuePaths,
  type VenueSimulationSpec,
  venueSimulation,
} from "../../../src/sim/venue/simulation.js";
import { assertNear } from "../../helpers/close.js";
import { populationSpec as bookSpec, tiers } from "./book.js";

const populationSpec = bookSpec(200);
const model = {
  volatility: { kind: "constant", annualVol: 1.2 },
  innovations: { kind: "student-t", nu: 3 },
} as const;
const grid = { horizonYears: 1 / 365, steps: 48 };
const spec: VenueSimulationSpec = {
  book: { spec: populationSpec, seed: 11, tiers },
  venue: {
    insuranceFundUsd: 2e5,
    liquidationFeeRate: 0.003,
    liquidatorCapacityUsdPerStep: 3e6,
    adlPolicy: "queue",
    impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 2e9, halfLifeSteps: 4 },
  },
  model,
  grid,
};

describe("venue simulation", () => {
  it("same seed → same result with two workers; one worker = the single-threaded run", async () => {
    const control = { seed: 5, paths: 60, batchPaths: 15 };
    const a = await simulateParallel("venue", spec, { ...control, workers: 2 });
    const b = await simulateParallel("venue", spec, { ...control, workers: 2 });
    assert.deepEqual(a, b);
    assert.equal(a.paths, 60);
    assert.ok(a.liquidations.mean > 0, "the paths liquidate");
    const one = await simulateParallel("venue", spec, { ...control, workers: 1 });
    const single = runSimulation(venueSimulation, spec, control);
    assert.deepEqual({ ...one, workers: 1 }, single);
  });

  it("the mean liquidation count and notional equal an independent running-min/max count on the same paths", () => {
    const independent = {
      ...spec,
      venue: {
        ...spec.venue,
        insuranceFundUsd: 1e15,
        liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
      },
    };
    const { impact: _, ...noImpact } = independent.venue;
    const paths = 200;
    const e = runSimulation(
      venueSimulation,
      { ...independent, venue: noImpact },
      { seed: 3, paths, batchPaths: paths },
    );
    const p = drawPopulation(populationSpec, tiers, new Xoshiro128(11)).population;
    const generator = createPathGenerator(model, grid);
    const rng = new Xoshiro128(3);
    const lr = new Float64Array(grid.steps);
    const variance = new Float64Array(grid.steps);
    let count = 0;
    let notional = 0;
    for (let path = 0; path < paths; path++) {
      generator.next(rng, lr, variance);
      const done = new Uint8Array(p.length);
      let x = 0;
      for (let k = 0; k < grid.steps; k++) {
        x += lr[k] as number;
        const mark = populationSpec.markPrice * Math.exp(x);
        for (let i = 0; i < p.length; i++) {
          const q = p.size[i] as number;
          const lp = p.liquidationPrice[i] as number;
          if (done[i] === 1 || Number.isNaN(lp) || !(q > 0 ? mark <= lp : mark >= lp)) continue;
          done[i] = 1;
          count++;
          notional += Math.abs(q) * mark;
        }
      }
    }
    assert.ok(count > 0);
    assertNear(e.liquidations.mean, count / paths, 1e-9 * (count / paths), "mean liquidations");
    assertNear(e.liquidatedNotional.mean, notional / paths, 1e-9 * (notional / paths), "mean notional");
    assert.equal(e.fundExhausted.probability, 0);
    assert.equal(e.impactInducedLiquidations.mean, 0);
    assert.equal(e.queuedAtEnd.probability, 0);
  });

  it("a thin fund and a slow liquidator exhaust the fund on some paths; ES99 ≥ the mean bad debt", () => {
    const e = runSimulation(
      venueSimulation,
      { ...spec, venue: { ...spec.venue, insuranceFundUsd: 0, liquidatorCapacityUsdPerStep: 5e5 } },
      { seed: 9, paths: 80, batchPaths: 40 },
    );
    assert.ok(e.fundExhausted.probability > 0);
    assert.ok(e.badDebtEs99 >= e.badDebt.mean);
    assert.ok(e.adl.probability <= e.fundExhausted.probability);
    // 0.5 M USD a step cannot keep up with the crash paths: some end with positions still queued.
    assert.ok(e.queuedAtEnd.probability > 0);
  });

  it("liquidator agents: gas above the premium leaves positions queued and raises bad debt; same seed, same result on the pool", async () => {
    const agentsAt = (gasUsd: number): VenueSimulationSpec => ({
      ...spec,
      venue: {
        ...spec.venue,
        insuranceFundUsd: 1e9,
        liquidators: {
          agents: [
            { capitalUsd: 1e8, latencySteps: 0, feeUsd: 0, gasUsd, margin: 0, riskAversion: 0, count: 2 },
          ],
          premiumRate: 0.005,
          holdingSteps: 2,
          stepVol: 0.005,
          txFailure: 0.1,
        },
      },
    });
    const control = { seed: 4, paths: 60, batchPaths: 15 };
    const cheap = runSimulation(venueSimulation, agentsAt(1), control);
    // 5,000 USD of gas is above the 0.5 % premium of every position under 1 M USD of notional
    const dear = runSimulation(venueSimulation, agentsAt(5_000), control);
    assert.ok(cheap.liquidations.mean > 0);
    assert.equal(cheap.leftQueued?.mean, 0);
    assert.ok((dear.leftQueued?.mean ?? 0) > 0, `left queued: ${dear.leftQueued?.mean}`);
    assert.ok(dear.badDebt.mean > cheap.badDebt.mean, `${dear.badDebt.mean} > ${cheap.badDebt.mean}`);
    assert.equal(runSimulation(venueSimulation, spec, control).leftQueued, undefined, "no agents, no field");
    const a = await simulateParallel("venue", agentsAt(5_000), { ...control, workers: 2 });
    assert.deepEqual(await simulateParallel("venue", agentsAt(5_000), { ...control, workers: 2 }), a);
    const one = await simulateParallel("venue", agentsAt(5_000), { ...control, workers: 1 });
    assert.deepEqual({ ...one, workers: 1 }, dear);
  });

  it("two tallies of consecutive halves merge into the tally of all the paths (the per-step reducers too)", () => {
    const evaluator = venueSimulation.create(spec);
    const kind = venueSimulation.tally;
    const whole = kind.empty();
    evaluator.run(new Xoshiro128(4), 40, whole);
    const rng = new Xoshiro128(4);
    const [first, second] = [kind.empty(), kind.empty()];
    evaluator.run(rng, 25, first);
    evaluator.run(rng, 15, second);
    const merged = kind.empty();
    kind.merge(merged, first);
    kind.merge(merged, second);
    const plan = { seed: 4, stream: 0, paths: 40, batchPaths: 40, target: undefined, confidence: 0.95 };
    const estimate = (tally: typeof whole) =>
      venueSimulation.estimate({ tally, plan, workers: 1, stoppedBy: "paths" }, evaluator);
    const [a, b] = [estimate(whole), estimate(merged)];
    // Counts (the histograms, the bands, the frequencies) are exact; the means within rounding.
    assert.deepEqual(merged.fund.counts, whole.fund.counts);
    assert.deepEqual(b.cascadeDepthByStep, a.cascadeDepthByStep);
    assert.deepEqual(merged.badDebtTail.counts, whole.badDebtTail.counts);
    assert.deepEqual(b.fundByStep.p05, a.fundByStep.p05);
    assert.deepEqual(b.fundByStep.p95, a.fundByStep.p95);
    assert.deepEqual(b.fundExhausted, a.fundExhausted);
    assert.deepEqual(
      b.badDebtDistribution.bins.map((x) => x.count),
      a.badDebtDistribution.bins.map((x) => x.count),
    );
    for (let k = 0; k < grid.steps; k++) {
      const x = a.liquidatedNotionalByStep[k] as number;
      assertNear(b.liquidatedNotionalByStep[k], x, 1e-9 * Math.max(1, x), `liquidated at step ${k}`);
      const f = a.fundByStep.mean[k] as number;
      assertNear(b.fundByStep.mean[k], f, 1e-9 * f, `fund at step ${k}`);
    }
    assertNear(
      b.adlExecuted.mean,
      a.adlExecuted.mean,
      1e-9 * Math.max(1, a.adlExecuted.mean),
      "ADL executed",
    );
  });

  it("per-step reducers: fund bands ordered, the notional per step adds up to the path total, ADL needed/executed/overshoot consistent", () => {
    const e = runSimulation(
      venueSimulation,
      { ...spec, venue: { ...spec.venue, insuranceFundUsd: 5e4, liquidatorCapacityUsdPerStep: 1e6 } },
      { seed: 9, paths: 80, batchPaths: 30 },
    );
    const f = e.fundByStep;
    assert.equal(f.mean.length, grid.steps);
    for (let k = 0; k < grid.steps; k++) {
      assert.ok((f.p05[k] as number) <= (f.p50[k] as number) && (f.p50[k] as number) <= (f.p95[k] as number));
    }
    const perStep = e.liquidatedNotionalByStep.reduce((a, b) => a + b, 0);
    assertNear(perStep, e.liquidatedNotional.mean, 1e-9 * e.liquidatedNotional.mean, "Σ per step = total");
    assert.ok(e.adl.probability > 0, "this book needs ADL on some paths");
    // overshoot = Σ max(0, executed − needed) per event ≥ executed − needed, and ADL never executes without need.
    assert.ok(e.adlOvershoot.mean >= e.adlExecuted.mean - e.adlNeeded.mean - 1e-6);
    assert.ok(e.adlNeeded.mean > 0 && e.adlExecuted.mean > 0);
    const d = e.badDebtDistribution;
    assert.equal(d.zeros + d.bins.reduce((n, b) => n + b.count, 0), e.paths);
    const mean = d.bins.reduce((s, b) => s + b.sum, 0) / e.paths;
    assertNear(mean, e.badDebt.mean, 1e-9 * e.badDebt.mean, "the bins hold the bad debt");
  });

  it("the mean cascade depth per step is the mean of the replays of the run's own paths; the impact deepens it", () => {
    const thin = {
      ...spec,
      venue: { ...spec.venue, impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 2e7, halfLifeSteps: 4 } },
    };
    const e = runSimulation(venueSimulation, thin, { seed: 3, paths: 30, batchPaths: 30 });
    const replays = sampleVenuePaths(thin, 3, 30).map((p) => p.replay.cascadeDepth);
    assert.equal(e.cascadeDepthByStep.length, grid.steps);
    for (let k = 0; k < grid.steps; k++) {
      const mean = replays.reduce((s, depth) => s + (depth[k] as number), 0) / replays.length;
      assertNear(e.cascadeDepthByStep[k], mean, 1e-12, `depth at step ${k}`);
    }
    assert.ok(
      e.cascadeDepthByStep.some((d) => d > 1),
      "a thin book's impact crosses further positions in later rounds",
    );
  });

  it("refuses a book seed that is not an integer, naming it", () => {
    assert.throws(
      () => venueSimulation.create({ ...spec, book: { spec: populationSpec, seed: 1.5, tiers } }),
      (err: unknown) => err instanceof InputError && err.field === "book.seed",
    );
  });
});

/**
 * The one Monte Carlo runner (src/sim/run.ts): round shares add up and differ by at most one path;
 * a seeded run does not depend on how its paths are cut into batches (one stream, continued); a
 * tally of any kind plugs in (here a toy mean estimate), with progress after every batch and
 * stop-at-tolerance on its own standard error.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Xoshiro128 } from "../../src/math/random.js";
import { type LiquidationSpec, simulateLiquidation } from "../../src/sim/liquidation.js";
import { type PathEvaluator, roundShares, runSerial } from "../../src/sim/run.js";
import { type Welford, welford, welfordAdd, welfordMerge, welfordSd } from "../../src/sim/stats.js";
import type { TallyKind } from "../../src/sim/tally.js";

describe("roundShares", () => {
  it("hands out min(remaining, workers·batch) paths, lower streams first, shares within one path", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 50_000 }),
        (remaining, workers, batch) => {
          const shares = roundShares(remaining, workers, batch);
          assert.equal(shares.length, workers);
          assert.equal(
            shares.reduce((a, b) => a + b, 0),
            Math.min(remaining, workers * batch),
          );
          for (let w = 1; w < workers; w++) {
            const d = (shares[w - 1] as number) - (shares[w] as number);
            assert.ok(d === 0 || d === 1);
          }
        },
      ),
    );
  });
});

describe("runSerial", () => {
  const spec: LiquidationSpec = {
    model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } },
    grid: { horizonYears: 7 / 365, steps: 12 },
    barrier: { side: "long", spotPrice: 100, liquidationPrice: 92 },
  };

  it("the same seed gives the same liquidations whatever the batch size", () => {
    const reference = simulateLiquidation(spec, { seed: 4, paths: 900, batchPaths: 900 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 900 }), (batchPaths) => {
        const e = simulateLiquidation(spec, { seed: 4, paths: 900, batchPaths });
        assert.equal(e.liquidated, reference.liquidated);
        assert.equal(e.paths, 900);
      }),
      { numRuns: 20 },
    );
  });

  it("runs any tally kind: a toy mean of uniforms, progress per batch, stop at its standard error", () => {
    interface MeanTally {
      values: Welford;
    }
    const kind: TallyKind<MeanTally, { mean: number; standardError: number }> = {
      empty: () => ({ values: welford() }),
      merge: (a, b) => welfordMerge(a.values, b.values),
      paths: (t) => t.values.count,
      watched: (t) => ({
        mean: t.values.mean,
        standardError: welfordSd(t.values) / Math.sqrt(t.values.count),
      }),
      informative: (t) => t.values.count > 1,
    };
    const uniforms: PathEvaluator<MeanTally> = {
      steps: 1,
      dtYears: 1,
      run: (rng: Xoshiro128, paths: number, t: MeanTally) => {
        for (let p = 0; p < paths; p++) welfordAdd(t.values, rng.next());
      },
    };
    const seen: { paths: number; standardError: number }[] = [];
    const outcome = runSerial(uniforms, kind, {
      seed: 9,
      paths: 1_000_000,
      batchPaths: 1_000,
      targetStandardError: 0.002,
      onProgress: (p) => seen.push({ paths: p.paths, standardError: p.estimate.standardError }),
    });
    assert.equal(outcome.stoppedBy, "tolerance");
    // se ≈ √(1/12)/√n crosses 0.002 near n = 20,833: the run stops at the first round below it.
    const n = outcome.tally.values.count;
    assert.ok(n >= 20_000 && n <= 22_000, `${n}`);
    assert.deepEqual(
      seen.map((p) => p.paths),
      Array.from({ length: n / 1_000 }, (_, i) => 1_000 * (i + 1)),
    );
    assert.ok((seen.at(-1)?.standardError as number) < 0.002);
    assert.ok((seen.at(-2)?.standardError as number) >= 0.002);
    assert.ok(Math.abs(outcome.tally.values.mean - 0.5) < 4 * 0.002);
  });
});

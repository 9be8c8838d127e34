/**
 * The per-step histogram (src/sim/step-histogram.ts): its quantiles against the exact order
 * statistics of the same values (within one bin's relative width, 10^(1/20) − 1), bands ordered in
 * q (property), and merging two halves equal to one histogram over both (exact counts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type StepHistogram,
  stepHistogram,
  stepHistogramAdd,
  stepHistogramEndPath,
  stepHistogramMerge,
  stepMeans,
  stepQuantiles,
} from "../../src/sim/step-histogram.js";

const BIN_WIDTH = 10 ** (1 / 20) - 1;

/** A histogram of `paths[p][k]` (path-major). */
function fill(paths: readonly (readonly number[])[], steps: number, h: StepHistogram = stepHistogram(steps)) {
  for (const path of paths) {
    path.forEach((x, k) => {
      stepHistogramAdd(h, k, x);
    });
    stepHistogramEndPath(h);
  }
  return h;
}

const value = fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1e9, noNaN: true }));
const pathsOf = (steps: number) =>
  fc.array(fc.array(value, { minLength: steps, maxLength: steps }), { minLength: 1, maxLength: 40 });

describe("step histogram", () => {
  it("quantiles: within a bin's width of the exact order statistic of rank ⌈q·n⌉; the mean exact", () => {
    fc.assert(
      fc.property(pathsOf(3), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (paths, q) => {
        const h = fill(paths, 3);
        const quantiles = stepQuantiles(h, q);
        const means = stepMeans(h);
        for (let k = 0; k < 3; k++) {
          const sorted = paths.map((p) => p[k] as number).sort((a, b) => a - b);
          const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
          const got = quantiles[k] as number;
          if (exact === 0) assert.equal(got, 0);
          else assert.ok(Math.abs(got / exact - 1) <= BIN_WIDTH * 1.0001, `step ${k}: ${got} vs ${exact}`);
          const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
          assert.ok(Math.abs((means[k] as number) - mean) <= 1e-9 * Math.max(1, mean));
        }
      }),
    );
  });

  it("bands are ordered: p05 ≤ p50 ≤ p95 at every step", () => {
    fc.assert(
      fc.property(pathsOf(4), (paths) => {
        const h = fill(paths, 4);
        const [p05, p50, p95] = [0.05, 0.5, 0.95].map((q) => stepQuantiles(h, q)) as [
          number[],
          number[],
          number[],
        ];
        for (let k = 0; k < 4; k++) {
          assert.ok((p05[k] as number) <= (p50[k] as number) && (p50[k] as number) <= (p95[k] as number));
        }
      }),
    );
  });

  it("merging two halves equals one histogram over both (an empty one takes the other's size)", () => {
    fc.assert(
      fc.property(pathsOf(5), pathsOf(5), (a, b) => {
        const whole = fill([...a, ...b], 5);
        const merged = stepHistogram();
        stepHistogramMerge(merged, fill(a, 5));
        stepHistogramMerge(merged, fill(b, 5));
        assert.equal(merged.paths, whole.paths);
        assert.deepEqual(merged.counts, whole.counts);
        assert.deepEqual(merged.zeros, whole.zeros);
        assert.deepEqual([merged.mins, merged.maxs], [whole.mins, whole.maxs]);
        for (const q of [0.05, 0.5, 0.95])
          assert.deepEqual(stepQuantiles(merged, q), stepQuantiles(whole, q));
      }),
    );
  });

  it("a value that does not move has it as every quantile (the bin is narrowed to the extremes)", () => {
    const h = fill(
      Array.from({ length: 50 }, (_, i) => [1e6, 1e6 + i]),
      2,
    );
    for (const q of [0.05, 0.5, 0.95]) assert.equal(stepQuantiles(h, q)[0], 1e6);
    const spread = stepQuantiles(h, 0.95)[1] as number;
    assert.ok(spread >= 1e6 && spread <= 1e6 + 49, `${spread} inside the values' range`);
  });

  it("has no quantile or mean without paths", () => {
    const h = stepHistogram(2);
    assert.ok(stepQuantiles(h, 0.5).every(Number.isNaN));
    assert.ok(stepMeans(h).every(Number.isNaN));
  });
});

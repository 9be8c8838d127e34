/**
 * The streaming tail histogram (src/sim/tail-histogram.ts): its expected shortfall against the
 * exact order-statistics ES `(1/k)·(Σ_{i<⌊k⌋} x_(i) + (k − ⌊k⌋)·x_(⌊k⌋))` of the same losses
 * (descending, k = (1 − level)·n; Acerbi & Tasche 2002), within the boundary bin's relative
 * width (12 %), and its merge against one histogram of all the losses.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  tailAdd,
  tailBins,
  tailExpectedShortfall,
  tailHistogram,
  tailMerge,
} from "../../src/sim/tail-histogram.js";

function exactEs(xs: readonly number[], level: number): number {
  const sorted = [...xs].sort((a, b) => b - a);
  const k = (1 - level) * xs.length;
  const whole = Math.floor(k);
  let s = 0;
  for (let i = 0; i < whole; i++) s += sorted[i] as number;
  if (k > whole) s += (k - whole) * (sorted[whole] ?? 0);
  return s / k;
}

const lossesArb = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1e12, noNaN: true })), {
  minLength: 1,
  maxLength: 400,
});

describe("tail histogram", () => {
  it("ES within 12 % of the exact ES, exact when the tail is whole bins or zeros (property)", () => {
    fc.assert(
      fc.property(lossesArb, fc.constantFrom(0.9, 0.95, 0.99), (xs, level) => {
        const h = tailHistogram();
        for (const x of xs) tailAdd(h, x);
        const es = tailExpectedShortfall(h, level);
        const exact = exactEs(xs, level);
        assert.ok(Math.abs(es - exact) <= 0.125 * exact + 1e-9, `${es} vs ${exact}`);
      }),
    );
  });

  it("one loss in the tail: the ES of 100 paths at 99 % is that loss", () => {
    const h = tailHistogram();
    for (let i = 0; i < 99; i++) tailAdd(h, 0);
    tailAdd(h, 1_234_567);
    // k = (1 − 0.99)·100 is 1 up to rounding.
    assert.ok(Math.abs(tailExpectedShortfall(h, 0.99) - 1_234_567) <= 1e-9 * 1_234_567);
    assert.ok(Number.isNaN(tailExpectedShortfall(tailHistogram(), 0.99)));
  });

  it("merging two halves gives the histogram of all the losses", () => {
    fc.assert(
      fc.property(lossesArb, lossesArb, (a, b) => {
        const ha = tailHistogram();
        const hb = tailHistogram();
        const all = tailHistogram();
        for (const x of a) tailAdd(ha, x);
        for (const x of b) tailAdd(hb, x);
        for (const x of [...a, ...b]) tailAdd(all, x);
        tailMerge(ha, hb);
        assert.equal(ha.count, all.count);
        assert.equal(ha.zeros, all.zeros);
        assert.deepEqual(ha.counts, all.counts);
        ha.sums.forEach((s, i) => {
          assert.ok(Math.abs(s - (all.sums[i] as number)) <= 1e-9 * s);
        });
      }),
    );
  });
});

describe("tailBins", () => {
  it("lists the non-empty bins in order, holding every positive loss once inside its edges", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1e12, noNaN: true }))),
        (xs) => {
          const h = tailHistogram();
          for (const x of xs) tailAdd(h, x);
          const bins = tailBins(h);
          assert.equal(
            bins.reduce((n, b) => n + b.count, 0),
            xs.length - h.zeros,
          );
          for (let i = 0; i < bins.length; i++) {
            const b = bins[i] as (typeof bins)[number];
            assert.ok(b.count > 0 && b.lower < b.upper);
            assert.ok(b.sum / b.count >= b.lower * (1 - 1e-12) && b.sum / b.count <= b.upper * (1 + 1e-12));
            if (i > 0) assert.ok((bins[i - 1] as (typeof bins)[number]).upper <= b.lower * (1 + 1e-12));
          }
        },
      ),
    );
  });
});

/**
 * SortedWindow (src/math/sorted-window.ts): after any sequence of replacements its array is bit for
 * bit the typed-array sort of the window's current values (ECMA-262 `CompareTypedArrayElements`,
 * −0 before +0), with duplicates and signed zeros included.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SortedWindow } from "../../src/math/sorted-window.js";

/** Values with many ties and both zeros, so equal keys and the −0/+0 order are exercised. */
const valueArb = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, Number.MIN_VALUE, -Number.MIN_VALUE),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -5, max: 5 }),
);

function assertSameBits(got: Float64Array, want: Float64Array): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++)
    assert.ok(Object.is(got[i], want[i]), `index ${i}: ${got[i]} vs ${want[i]}`);
}

describe("SortedWindow", () => {
  it("equals the sort of the window after every slide", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(valueArb, { minLength: 1, maxLength: 200 }),
        (width, stream) => {
          const n = Math.min(width, stream.length);
          const w = new SortedWindow(stream.slice(0, n));
          for (let t = n; t < stream.length; t++) {
            w.replace(stream[t - n] as number, stream[t] as number);
            assertSameBits(w.sorted, Float64Array.from(stream.slice(t - n + 1, t + 1)).sort());
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps −0 before +0 when one replaces the other", () => {
    const w = new SortedWindow([0, -0, 1, -0]);
    assertSameBits(w.sorted, Float64Array.of(-0, -0, 0, 1));
    w.replace(-0, 0);
    assertSameBits(w.sorted, Float64Array.of(-0, 0, 0, 1));
    w.replace(0, -0);
    w.replace(0, -0);
    assertSameBits(w.sorted, Float64Array.of(-0, -0, -0, 1));
  });

  it("refuses to remove a value that is not in the window", () => {
    const w = new SortedWindow([1, 2, 3]);
    assert.throws(() => w.replace(4, 0), RangeError);
    assert.throws(() => w.replace(0, 0), RangeError);
    assert.throws(() => new SortedWindow([0, 1]).replace(-0, 5), RangeError);
  });
});

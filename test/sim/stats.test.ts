/**
 * Streaming statistics: the Wilson interval against the published worked examples of
 * R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven
 * methods", *Statistics in Medicine* 17 (1998), Table I (method 3, score interval without
 * continuity correction), and Welford/Chan merging against two-pass sums.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  probabilityUpperBound,
  proportionEstimate,
  welford,
  welfordAdd,
  welfordMerge,
  welfordSd,
  welfords,
  welfordsMerge,
} from "../../src/sim/stats.js";
import { assertNear } from "../helpers/close.js";

describe("proportionEstimate (Wilson score interval)", () => {
  it("reproduces Newcombe (1998) Table I, 95 %", () => {
    for (const [x, n, lo, hi] of [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ] as const) {
      const e = proportionEstimate(x, n);
      assertNear(e.lower, lo, 5e-5, `${x}/${n} lower`);
      assertNear(e.upper, hi, 5e-5, `${x}/${n} upper`);
      assertNear(e.standardError, Math.sqrt(((x / n) * (1 - x / n)) / n), 1e-15);
    }
  });

  it("contains p̂, stays in [0, 1] and narrows with n", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, f) => {
          const x = Math.round(f * n);
          const e = proportionEstimate(x, n);
          assert.ok(e.lower <= e.probability + 1e-15 && e.probability <= e.upper + 1e-15);
          assert.ok(e.lower >= 0 && e.upper <= 1);
          const wider = proportionEstimate(x * 4, n * 4);
          assert.ok(wider.upper - wider.lower <= e.upper - e.lower + 1e-15);
        },
      ),
    );
  });
});

describe("probabilityUpperBound (never 0 for a simulated 0)", () => {
  it("is the rule of three 3/n with no hit (Hanley & Lippman-Hand 1983) and Wilson's upper end otherwise", () => {
    // Hanley & Lippman-Hand, JAMA 249 (1983): 0 events in n trials, 95 % upper bound ≈ 3/n
    // (exactly 1 − 0.05^{1/n}; 3/n is within 1 % of it for n ≥ 150 and above it for every n).
    for (const n of [20, 300, 20_000]) {
      assert.equal(probabilityUpperBound(0, n), 3 / n);
      assert.ok(3 / n >= 1 - 0.05 ** (1 / n));
    }
    assert.ok(Math.abs(3 / 300 - (1 - 0.05 ** (1 / 300))) / (3 / 300) < 0.01);
    // Newcombe (1998) Table I, score method: 1/29 → upper 0.1718; 81/263 → 0.3662.
    assertNear(probabilityUpperBound(1, 29), 0.1718, 5e-5);
    assertNear(probabilityUpperBound(81, 263), 0.3662, 5e-5);
    assert.equal(probabilityUpperBound(0, 0), 1);
  });

  it("is positive, at least p̂, and falls with more paths at the same frequency", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, f) => {
          const x = Math.round(f * n);
          const u = probabilityUpperBound(x, n);
          assert.ok(u > 0 && u <= 1 && u >= x / n - 1e-12);
          assert.ok(probabilityUpperBound(4 * x, 4 * n) <= u + 1e-12);
        },
      ),
    );
  });
});

describe("Welford accumulators", () => {
  it("merging in any split equals the two-pass mean and variance", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.nat(),
        (xs, cut) => {
          const k = cut % xs.length;
          const a = welford();
          const b = welford();
          xs.forEach((x, i) => {
            welfordAdd(i < k ? a : b, x);
          });
          welfordMerge(a, b);
          const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
          const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
          assert.equal(a.count, xs.length);
          assertNear(a.mean, mean, 1e-9 * (1 + Math.abs(mean)));
          assertNear(welfordSd(a) ** 2, variance, 1e-7 * (1 + variance));
        },
      ),
    );
  });
});

describe("welfords / welfordsMerge (a tally's named accumulators)", () => {
  it("creates one empty accumulator per name and merges field by field, as welfordMerge does (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 20 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 20 }),
        (xs, ys) => {
          const fields = ["a", "b"] as const;
          const left = welfords(fields);
          const right = welfords(fields);
          assert.deepEqual(Object.keys(left), ["a", "b"]);
          assert.deepEqual(left.a, welford());
          for (const x of xs) welfordAdd(left.a, x);
          for (const y of ys) welfordAdd(right.a, y);
          for (const y of ys) welfordAdd(right.b, 2 * y);
          const expectedA = { ...left.a };
          welfordMerge(expectedA, right.a);
          const expectedB = welford();
          welfordMerge(expectedB, right.b);
          welfordsMerge(left, right, fields);
          assert.deepEqual(left.a, expectedA);
          assert.deepEqual(left.b, expectedB);
          assert.notEqual(left.b, right.b, "merged into, not aliased");
        },
      ),
    );
  });
});

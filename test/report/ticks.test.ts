/**
 * Nice ticks: parity with the worked examples published in the d3-array documentation
 * (https://d3js.org/d3-array/ticks: ticks(1, 9, 5) = [2, 4, 6, 8]; ticks(1, 9, 20) = 1 … 9 by 0.5;
 * tickIncrement(1, 9, 5) = 2; tickIncrement(1, 9, 20) = −2; tickStep(1, 9, 5) = 2), and the
 * properties that define nice ticks: inside the range, covering the (nice) domain, equally spaced
 * by 1, 2 or 5 × 10^k, strictly increasing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import {
  formatLinearTicks,
  formatNumber,
  logTickValues,
  niceTicks,
  tickIncrement,
  tickStep,
  tickValues,
} from "../../src/report/ticks.js";

/** True when step = m·10^k with m ∈ {1, 2, 5} (to 1e-9 relative). */
function isOneTwoFive(step: number): boolean {
  const k = Math.floor(Math.log10(step) + 1e-12);
  const m = step / 10 ** k;
  return [1, 2, 5, 10].some((c) => Math.abs(m - c) < 1e-9 * c);
}

const range = fc
  .tuple(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: 1e-6, max: 1e9, noNaN: true }))
  .map(([a, w]) => [a, a + w] as const)
  .filter(([a, b]) => b > a && (b - a) / Math.max(Math.abs(a), Math.abs(b)) > 1e-9);
const count = fc.integer({ min: 1, max: 20 });

describe("tickIncrement / ticks: d3-array documented examples", () => {
  it("reproduces d3.ticks(1, 9, 5) and d3.ticks(1, 9, 20)", () => {
    assert.deepEqual(tickValues(1, 9, 5), [2, 4, 6, 8]);
    assert.deepEqual(
      tickValues(1, 9, 20),
      [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9],
    );
  });
  it("reproduces tickIncrement(1, 9, 5) = 2, tickIncrement(1, 9, 20) = −2 and tickStep(1, 9, 5) = 2", () => {
    assert.equal(tickIncrement(1, 9, 5), 2);
    assert.equal(tickIncrement(1, 9, 20), -2);
    assert.equal(tickStep(1, 9, 5), 2);
    assert.equal(tickStep(1, 9, 20), 0.5);
  });
  it("gives exact decimals for fractional steps (0.1 steps print as 0.1, 0.2, 0.3 …)", () => {
    assert.deepEqual(tickValues(0, 1, 10), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    assert.deepEqual(niceTicks(0.013, 0.987, 10).domain, [0, 1]);
    assert.deepEqual(niceTicks(3, 97, 5).ticks, [0, 20, 40, 60, 80, 100]);
  });
  it("rejects a reversed range with an InputError", () => {
    assert.throws(() => tickValues(2, 1, 5), InputError);
  });
});

describe("tick properties", () => {
  it("ticks lie in [start, stop], increase strictly and are equally spaced by a 1-2-5 step", () => {
    fc.assert(
      fc.property(range, count, ([a, b], n) => {
        const ticks = tickValues(a, b, n);
        const step = tickStep(a, b, n);
        assert.ok(isOneTwoFive(step), `step ${step}`);
        for (const t of ticks) assert.ok(t >= a && t <= b, `${t} outside [${a}, ${b}]`);
        for (let i = 1; i < ticks.length; i++) {
          const d = (ticks[i] as number) - (ticks[i - 1] as number);
          assert.ok(d > 0);
          assert.ok(
            Math.abs(d - step) <= 1e-9 * Math.max(step, Math.abs(ticks[i] as number)),
            `spacing ${d} vs ${step}`,
          );
        }
        // Every tick is an integer multiple of the step.
        for (const t of ticks) {
          const q = t / step;
          assert.ok(Math.abs(q - Math.round(q)) < 1e-6, `${t} is not a multiple of ${step}`);
        }
      }),
    );
  });
  it("the nice domain covers the range and its ticks start and end on it, about `count` intervals", () => {
    fc.assert(
      fc.property(range, count, ([a, b], n) => {
        const { domain, ticks, step } = niceTicks(a, b, n);
        const [lo, hi] = domain;
        assert.ok(lo <= a && hi >= b, `[${lo}, ${hi}] does not cover [${a}, ${b}]`);
        assert.ok(ticks.length >= 2);
        const first = ticks[0] as number;
        const last = ticks[ticks.length - 1] as number;
        assert.ok(
          Math.abs(first - lo) <= 1e-9 * Math.max(step, Math.abs(lo)),
          `first tick ${first} vs ${lo}`,
        );
        assert.ok(Math.abs(last - hi) <= 1e-9 * Math.max(step, Math.abs(hi)), `last tick ${last} vs ${hi}`);
        for (let i = 1; i < ticks.length; i++) assert.ok((ticks[i] as number) > (ticks[i - 1] as number));
        assert.ok(isOneTwoFive(step));
        // With thresholds at √2, √10, √50 the interval count stays within a factor ~2.3 of the target.
        const intervals = ticks.length - 1;
        assert.ok(
          intervals <= Math.ceil(2.3 * n) + 2 && intervals >= Math.floor(n / 2.3) - 1,
          `${intervals} vs ${n}`,
        );
      }),
    );
  });
  it("log ticks are inside the range, increasing, and 1-2-5 multiples of powers of ten", () => {
    const logRange = fc
      .tuple(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 0.05, max: 12, noNaN: true }))
      .map(([e, w]) => [10 ** e, 10 ** (e + w)] as const);
    fc.assert(
      fc.property(logRange, count, ([a, b], n) => {
        const ticks = logTickValues(a, b, n);
        assert.ok(ticks.length >= 1);
        for (let i = 0; i < ticks.length; i++) {
          const t = ticks[i] as number;
          assert.ok(t >= a * (1 - 1e-9) && t <= b * (1 + 1e-9));
          if (i > 0) assert.ok(t > (ticks[i - 1] as number));
        }
      }),
    );
    assert.deepEqual(logTickValues(0.05, 300, 5), [0.1, 1, 10, 100]);
    assert.deepEqual(logTickValues(1.5, 30, 5), [2, 5, 10, 20]);
    assert.throws(() => logTickValues(0, 10, 5), InputError);
  });
});

describe("tick labels", () => {
  it("uses the decimals of the step and k/M/B suffixes from a million", () => {
    assert.deepEqual(formatLinearTicks([0, 0.05, 0.1, 0.15]), ["0.00", "0.05", "0.10", "0.15"]);
    assert.deepEqual(formatLinearTicks([-1, -0.5, 0, 0.5]), ["-1.0", "-0.5", "0.0", "0.5"]);
    assert.deepEqual(formatLinearTicks([0, 2_000_000, 4_000_000]), ["0", "2M", "4M"]);
    assert.deepEqual(formatLinearTicks([0, 500_000, 1_000_000, 1_500_000]), ["0.0", "0.5M", "1.0M", "1.5M"]);
    assert.deepEqual(formatLinearTicks([60_000, 65_000, 70_000]), ["60000", "65000", "70000"]);
  });
  it("formats single numbers compactly", () => {
    assert.equal(formatNumber(0.00002), "2e-5");
    assert.equal(formatNumber(1_250_000_000), "1.25B");
    assert.equal(formatNumber(0.1 + 0.2), "0.3");
    assert.equal(formatNumber(0), "0");
  });
});

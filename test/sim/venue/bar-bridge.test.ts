/**
 * The bar bridge (src/sim/venue/bar-bridge.ts): every bar's sub-path starts at its open, ends at its
 * close, touches its high and low exactly (high first on a falling bar) and never leaves [low, high];
 * the same seed gives the same path.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Xoshiro128 } from "../../../src/math/random.js";
import { bridgeBars, type OhlcBars } from "../../../src/sim/venue/bar-bridge.js";

/** Bars from (open, a, b, close) draws: high and low enclose open and close, each bar opens at the last close. */
const barsArb = fc
  .array(
    fc.tuple(
      fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      fc.double({ min: 0, max: 0.03, noNaN: true }),
      fc.double({ min: 0, max: 0.03, noNaN: true }),
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((rows): OhlcBars => {
    const n = rows.length;
    const bars = {
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
    };
    let p = 100;
    rows.forEach(([r, up, down], i) => {
      const c = p * (1 + r);
      bars.open[i] = p;
      bars.close[i] = c;
      bars.high[i] = Math.max(p, c) * (1 + up);
      bars.low[i] = Math.min(p, c) * (1 - down);
      p = c;
    });
    return bars;
  });

describe("bridgeBars", () => {
  it("starts at the open, ends each bar at its close, hits its high and low exactly, stays inside them", () => {
    fc.assert(
      fc.property(barsArb, fc.integer({ min: 3, max: 24 }), fc.integer(), (bars, k, seed) => {
        const path = bridgeBars(bars, k, new Xoshiro128(seed));
        assert.equal(path.length, bars.close.length * k + 1);
        assert.equal(path[0], bars.open[0]);
        for (let i = 0; i < bars.close.length; i++) {
          const leg = path.subarray(i * k + 1, (i + 1) * k + 1);
          assert.equal(leg[k - 1], bars.close[i]);
          const hi = bars.high[i] as number;
          const lo = bars.low[i] as number;
          assert.equal(Math.max(...leg), hi);
          assert.equal(Math.min(...leg), lo);
          const first = (bars.close[i] as number) < (bars.open[i] as number) ? hi : lo;
          const second = first === hi ? lo : hi;
          assert.ok(leg.indexOf(first) < leg.lastIndexOf(second), `bar ${i}: order of the extremes`);
        }
      }),
    );
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const bars: OhlcBars = {
      open: Float64Array.of(100, 99),
      high: Float64Array.of(101, 100),
      low: Float64Array.of(98, 95),
      close: Float64Array.of(99, 96),
    };
    assert.deepEqual(bridgeBars(bars, 12, new Xoshiro128(7)), bridgeBars(bars, 12, new Xoshiro128(7)));
    assert.notDeepEqual(bridgeBars(bars, 12, new Xoshiro128(7)), bridgeBars(bars, 12, new Xoshiro128(8)));
  });

  it("refuses fewer than 3 sub-steps (the two extremes need interior times)", () => {
    const bars: OhlcBars = {
      open: Float64Array.of(1),
      high: Float64Array.of(2),
      low: Float64Array.of(0.5),
      close: Float64Array.of(1),
    };
    assert.throws(() => bridgeBars(bars, 2, new Xoshiro128(1)), /integer ≥ 3/);
  });
});

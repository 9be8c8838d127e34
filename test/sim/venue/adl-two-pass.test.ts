/**
 * The two-pass production haircut on a simulated path (src/sim/venue/adl-two-pass.ts), after
 * pluriholonomic/autodeleveraging-analysis `methodology.md` §3.4–3.5: `H_t = Σ_i (e_noADL − e_ADL)₊` at
 * the wave's end plus a horizon, overshoot `H_t − B_t`. Hand-computed cases.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AdlEventFills, twoPassHaircuts } from "../../../src/sim/venue/adl-two-pass.js";

const event = (
  step: number,
  mark: number,
  needed: number,
  rows: [number, number, number][],
): AdlEventFills => ({
  step,
  mark,
  needed,
  slot: Int32Array.from(rows, (r) => r[0]),
  closed: Float64Array.from(rows, (r) => r[1]),
  paid: Float64Array.from(rows, (r) => r[2]),
});

// Marks after each step: the price falls 100 a step, then rebounds.
const marks = Float64Array.of(1_000, 900, 800, 700, 900);

describe("twoPassHaircuts", () => {
  // Step 1: short 0 gave up 2 contracts and paid 50; short 1 gave up 1 and paid 30 (need 80).
  const a = event(1, 900, 80, [
    [0, -2, 50],
    [1, -1, 30],
  ]);
  // Step 2: short 0 gave up 1 more and paid 20 (need 20).
  const b = event(2, 800, 20, [[0, -1, 20]]);

  it("at the wave's end with no horizon and one event a wave, executed is the haircuts", () => {
    const r = twoPassHaircuts([a, b], marks, 0, 0);
    assert.equal(r.waves, 2);
    // Wave 1 at 900: 50 + 30; wave 2 at 800: 20.
    assert.equal(r.executed, 100);
    assert.equal(r.needed, 100);
    assert.equal(r.overshoot, 0);
  });

  it("events within the gap share a wave evaluated at its last event: the closed contracts miss the further fall", () => {
    const r = twoPassHaircuts([a, b], marks, 1, 0);
    assert.equal(r.waves, 1);
    // At 800: short 0 lost 50 + 2·100 + 20 = 270, short 1 lost 30 + 100 = 130.
    assert.equal(r.executed, 400);
    assert.equal(r.overshoot, 300);
    assert.equal(r.maxHaircut, 270);
  });

  it("a horizon reads a later mark; a rebound makes a winner's difference negative, which counts as 0", () => {
    const r = twoPassHaircuts([a], marks, 0, 3);
    // At 900 (step 4): 50 + 2·0 and 30 + 0.
    assert.equal(r.executed, 80);
    const late = twoPassHaircuts([event(3, 700, 80, [[0, -1, 50]])], marks, 0, 1);
    // At 900: 50 − 200 < 0 → 0; the overshoot is −80.
    assert.equal(late.executed, 0);
    assert.equal(late.overshoot, -80);
  });

  it("a horizon past the path's end reads the last mark", () => {
    const r = twoPassHaircuts([b], marks, 0, 10);
    // At 900 (the last mark) against 800: 20 − 100 < 0 → 0; at a horizon of 1 (700): 20 + 100.
    assert.equal(r.executed, 0);
    assert.equal(r.overshoot, -20);
    assert.equal(twoPassHaircuts([b], marks, 0, 1).executed, 120);
  });
});

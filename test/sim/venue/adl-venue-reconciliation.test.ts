/**
 * Reconciliation 1 on a simulated Hyperliquid-like venue (src/sim/venue/adl-venue-reconciliation.ts):
 * the published targets are pluriholonomic/autodeleveraging-analysis's per-wave files bundled under
 * data/adl/ (15.08 M USD needed, 60.11 M USD taken by production, winners' equity/PnL median 4.41,
 * p10 2.28, p90 14.96). Stated tolerances: the fitted need within 1 % of the published one; the
 * winners' equity/PnL quantiles within 15 %; pro-rata and water-filling execute each event's need with
 * no overshoot (1e-9 of the need); the queue's check flag is the stated factor band on the contract-space
 * queue's two-pass overshoot 5 s after the waves' ends against production's at the same horizon (49.27 M
 * USD, the published horizon sweep).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reconcileAdlOnVenue, venueAdlInputs } from "../../../src/sim/venue/adl-venue-reconciliation.js";

const { marks, targets } = venueAdlInputs();
const r = reconcileAdlOnVenue(marks, targets);

describe("reconcileAdlOnVenue (2025-10-10, Hyperliquid-like venue)", () => {
  it("reads the published targets: 16 waves, 15.08 M USD needed, 60.11 M USD executed", () => {
    assert.equal(targets.waves, 16);
    assert.equal((targets.needed / 1e6).toFixed(2), "15.08");
    assert.equal((targets.executed / 1e6).toFixed(2), "60.11");
    assert.equal((targets.overshootAtHorizon / 1e6).toFixed(2), "49.27");
    assert.equal(marks.length, 40);
  });

  it("fits the book: the need within 1 % of 15.08 M USD, the winners' equity/PnL within 15 % of the published quantiles", () => {
    const need = r.policies["pro-rata"].needed;
    assert.ok(Math.abs(need / targets.needed - 1) <= 0.01, `need ${need}`);
    for (const k of ["p10", "median", "p90"] as const) {
      const ratio = r.fit.equityToPnl[k] / targets.equityToPnl[k];
      assert.ok(Math.abs(ratio - 1) <= 0.15, `${k}: ${r.fit.equityToPnl[k]} vs ${targets.equityToPnl[k]}`);
    }
  });

  it("pro-rata and water-filling meet the need with no overshoot; the queues overshoot", () => {
    assert.equal(r.checks.proRataMeetsNeed, true);
    assert.equal(r.checks.waterFillingMeetsNeed, true);
    for (const p of ["queue", "queue-hyperliquid"] as const) {
      assert.ok(r.policies[p].overshoot > 0, p);
      assert.ok(r.policies[p].events >= 1, p);
    }
  });

  it("the contract-space queues take exactly the bankrupt contracts' gap at the events: the need, with no fund", () => {
    for (const p of ["queue-contracts", "queue-hyperliquid-contracts"] as const) {
      const t = r.policies[p];
      assert.ok(t.events >= 1, p);
      assert.ok(Math.abs(t.executed - t.needed) <= 1e-9 * t.needed, `${p}: ${t.executed} vs ${t.needed}`);
    }
  });

  it("on 1-minute closes every wave is one step: the two-pass haircut at the wave's end is the events' haircuts", () => {
    assert.equal(Math.floor(r.options.horizonSeconds / 60), 0);
    for (const [p, t] of Object.entries(r.policies)) {
      assert.equal(t.twoPass.waves, t.events, p);
      assert.ok(Math.abs(t.twoPass.executed - t.executed) <= 1e-6 * t.executed, p);
      assert.deepEqual(t.twoPassAtHorizon, t.twoPass, p);
    }
  });

  it("flags the contract-space queue's two-pass overshoot against the stated factor band around production's", () => {
    const f = r.options.queueToleranceFactor;
    const ratio =
      r.policies["queue-hyperliquid-contracts"].twoPassAtHorizon.overshoot / targets.overshootAtHorizon;
    assert.equal(r.checks.contractQueueOvershootRatio, ratio);
    assert.equal(r.checks.queueWithinTolerance, ratio >= 1 / f && ratio <= f);
    assert.equal(
      r.checks.queueOvershootRatio,
      r.policies["queue-hyperliquid"].overshoot / (targets.executed - targets.needed),
    );
  });

  it("is deterministic: the same seed gives the same table", () => {
    assert.deepEqual(reconcileAdlOnVenue(marks, targets).policies, r.policies);
  });

  it("on the 5-second bar bridge: 481 marks reaching the window's lowest low, the need still fitted, the queue flag from the same band", () => {
    const o = { ...r.options, subStepsPerMinute: 12 };
    const bridged = venueAdlInputs(o);
    assert.equal(bridged.marks.length, 40 * 12 + 1);
    const lowestClose = Math.min(...marks);
    assert.ok(
      Math.min(...bridged.marks) < lowestClose,
      "the bridge visits the bars' lows, below every close",
    );
    const b = reconcileAdlOnVenue(bridged.marks, bridged.targets, o);
    assert.ok(Math.abs(b.policies["pro-rata"].needed / targets.needed - 1) <= 0.01);
    assert.equal(b.checks.proRataMeetsNeed, true);
    assert.equal(b.checks.waterFillingMeetsNeed, true);
    const contracts = b.policies["queue-hyperliquid-contracts"].twoPassAtHorizon.overshoot;
    const ratio = contracts / targets.overshootAtHorizon;
    assert.equal(b.checks.queueWithinTolerance, ratio >= 1 / 10 && ratio <= 10);
    // Measured: 27.34 M USD against production's 49.27 M at 5 s (ratio 0.55), where the wealth-space
    // queue overshoots 4.30 M: closing the bankrupt contracts gives up far more exposure than closing
    // positions worth the need.
    assert.equal(b.checks.queueWithinTolerance, true);
    assert.ok(contracts > 5 * b.policies["queue-hyperliquid"].twoPassAtHorizon.overshoot);
    assert.deepEqual(venueAdlInputs(o).marks, bridged.marks);
  });

  it("refuses a path with no ADL need (a flat path) instead of scaling the book to infinity", () => {
    const flat = new Float64Array(40).fill(marks[0] as number);
    assert.throws(() => reconcileAdlOnVenue(flat, targets), /no ADL need on this path/);
  });
});

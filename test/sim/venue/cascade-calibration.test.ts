/**
 * Reconciliation 2 of issue 11 (src/sim/venue/cascade-calibration.ts, docs/cascade-reconciliation.md):
 * the calibrated Binance-like BTCUSDT book replayed through 2025-10-10 still meets the fitted targets
 * and every stated check (a test that fails if the engine, the population draw, the mark or the depth
 * drifts); the fit stops at once from the calibrated point; only the calibrated configuration is
 * reported as reconciled.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import {
  CALIBRATED_CASCADE,
  CASCADE_TARGETS,
  CASCADE_TOLERANCE,
  cascadeReconciliation,
  cascadeScenario,
  cascadeScenarioDocument,
  cascadeTargetUsd,
  checkCascade,
  fitCascade,
  runCascade,
} from "../../../src/sim/venue/cascade-calibration.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../../src/sim/venue/scenario-report.js";

const EXAMPLE = "examples/venue/binance-2025-10-10-calibrated.json";
const readFile = (path: string) => readFileSync(path, "utf8");
const run = runCascade(cascadeScenario(CALIBRATED_CASCADE));

describe("the 2025-10-10 cascade on the calibrated book", () => {
  it("derives the target from the published bounds: 172 M (CryptoQuant) … 4 bn (open interest fall)", () => {
    const { lower, upper, target } = cascadeTargetUsd();
    assert.ok(Math.abs(lower - 335e6 * (1183.6 / 2308.3)) < 1);
    assert.equal(upper, 4e9);
    assert.ok(Math.abs(target - 828.9e6) < 0.1e6);
  });

  it("meets the fitted level and low within the fit's tolerance, and every stated check", () => {
    const { target } = cascadeTargetUsd();
    const t = run.replay.totals;
    assert.ok(
      Math.abs(t.liquidatedNotionalUsd / target - 1) <= CASCADE_TOLERANCE.fitTolerance,
      `liquidated ${t.liquidatedNotionalUsd}`,
    );
    const lowest = Math.min(...run.replay.mark);
    assert.ok(
      Math.abs(lowest / CASCADE_TARGETS.tradeLow - 1) <= CASCADE_TOLERANCE.lowTolerance,
      `low ${lowest}`,
    );
    const checks = checkCascade(run);
    assert.equal(checks.length, 8);
    for (const c of checks) assert.ok(c.pass, `${c.name}: ${c.simulated} against ${c.bound}`);
    assert.deepEqual(
      checks.filter((c) => !c.fitted).map((c) => c.name),
      [
        "peak minute − price low (minutes)",
        "share liquidated in 21:00 → 21:30",
        "long share of the liquidated notional",
        "ADL events",
        "largest fund drawdown (USD)",
      ],
    );
    // The ledger balances: collateral + fund + market + uncovered = start total.
    const l = run.replay.ledger;
    assert.ok(
      Math.abs(l.collateralUsd + l.fundUsd + l.marketUsd + l.uncoveredUsd - l.startTotalUsd) <=
        1e-9 * l.startTotalUsd,
    );
  });

  it("fails the checks on a book the day rules out (16 bn a side, Y = 6): the mark far below the low, the peak away from it", () => {
    const off = runCascade(cascadeScenario({ openInterestUsd: 16e9, impactY: 6 }));
    const failed = checkCascade(off)
      .filter((c) => !c.pass)
      .map((c) => c.name);
    assert.deepEqual(failed, ["peak minute − price low (minutes)", "lowest venue mark − trade low (share)"]);
  });

  it("stops the fit at once from the calibrated point", () => {
    const fit = fitCascade(undefined, CALIBRATED_CASCADE);
    assert.equal(fit.steps.length, 1);
    assert.deepEqual(
      { o: fit.openInterestUsd, y: fit.impactY },
      {
        o: CALIBRATED_CASCADE.openInterestUsd,
        y: CALIBRATED_CASCADE.impactY,
      },
    );
  });

  it("refits the open interest from 5 bn a side to both tolerances, and refuses a level no book reaches", () => {
    const { target } = cascadeTargetUsd();
    const fit = fitCascade(target, { ...CALIBRATED_CASCADE, openInterestUsd: 5e9 });
    assert.ok(Math.abs(fit.liquidatedUsd / target - 1) <= CASCADE_TOLERANCE.fitTolerance);
    assert.ok(Math.abs(fit.lowestMark / CASCADE_TARGETS.tradeLow - 1) <= CASCADE_TOLERANCE.lowTolerance);
    assert.equal(new Set(fit.steps.map((s) => `${s.openInterestUsd} ${s.impactY}`)).size, fit.steps.length);
    assert.throws(
      () => fitCascade(1e12, CALIBRATED_CASCADE),
      (e: unknown) => e instanceof InputError && e.field === "openInterestUsd",
    );
  });

  it("bundles the calibrated configuration as the example the report writes", () => {
    assert.deepEqual(JSON.parse(readFile(EXAMPLE)), cascadeScenarioDocument(CALIBRATED_CASCADE));
  });
});

describe("reconciliation flag", () => {
  it("is true for the calibrated example only", async () => {
    const calibrated = readScenario(JSON.parse(readFile(EXAMPLE)), readFile);
    assert.equal(cascadeReconciliation(calibrated).reconciled, true);
    const r = await simulateScenario(calibrated);
    assert.equal(r.reconciliation.reconciled, true);
    assert.match(r.reconciliation.note, /docs\/cascade-reconciliation\.md/);
    assert.deepEqual(r.replay?.totals, run.replay.totals);
    const policy = await simulateScenario(calibrated, { adlPolicy: "pro-rata" });
    assert.equal(policy.reconciliation.reconciled, false);
    const doc = cascadeScenarioDocument({ ...CALIBRATED_CASCADE, openInterestUsd: 5e9 });
    assert.equal(cascadeReconciliation(readScenario(doc, readFile)).reconciled, false);
    const other = readScenario(JSON.parse(readFile("examples/venue/replay-2025-10-10.json")), readFile);
    assert.equal(cascadeReconciliation(other).reconciled, false);
  });
});

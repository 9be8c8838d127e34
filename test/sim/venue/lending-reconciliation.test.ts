/**
 * Reconciliation 4 of issue 11 (src/sim/venue/lending-reconciliation.ts): Aave v3 on 2025-10-10
 * against the Chaos Labs report (governance.aave.com thread 23248: ≈180 M USD liquidated, ≈10 M USD
 * bonus, ≈1 M USD to the DAO, ≈0.4 M USD deficit from CRV/ENS positions under oracle delays). The
 * liquidated volume is fitted (the population's scale); the bonus is a check; the deficit claim is
 * qualitative: it comes only from accounts holding lagging-oracle collateral and vanishes (below
 * 10 % of itself) with fresh oracles.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkLendingDay,
  AAVE_2025_10_10 as D,
  laggingDeficitUsd,
  readBtcCrashCloses,
  runLendingDay,
} from "../../../src/sim/venue/lending-reconciliation.js";
import { assertRel } from "../../helpers/close.js";

const { close } = readBtcCrashCloses();
const day = runLendingDay(D, close);
const fresh = runLendingDay(D, close, "fresh");

describe("Aave v3 on 2025-10-10 (reconciliation 4)", () => {
  it("meets every check of the stated tolerance", () => {
    for (const c of checkLendingDay(D, day, fresh))
      assert.ok(c.pass, `${c.name}: ${c.simulated} vs ${c.published} (${c.rule})`);
  });

  it("the deficit comes only from accounts with lagging-oracle collateral, and not without the lag", () => {
    const t = day.replay.totals;
    assert.ok(t.deficitUsd > 0);
    assertRel(laggingDeficitUsd(D, day), t.deficitUsd, 1e-12, "lagging share");
    assert.ok(
      fresh.replay.totals.deficitUsd <= 0.1 * t.deficitUsd,
      `fresh ${fresh.replay.totals.deficitUsd}`,
    );
    // Without the thin asset's lag (its push feed with no latency) the deficit falls too.
    const prompt = {
      ...D,
      assets: D.assets.map((a) =>
        a.lagging && a.oracle.kind === "push" ? { ...a, oracle: { ...a.oracle, latencySeconds: 0 } } : a,
      ),
    };
    assert.ok(runLendingDay(prompt, close).replay.totals.deficitUsd < 0.1 * t.deficitUsd);
  });

  it("conserves the ledger and is seeded (same options, same result)", () => {
    assert.ok(day.replay.ledgerImbalance <= 1e-9);
    assert.deepEqual(runLendingDay(D, close).replay.totals, day.replay.totals);
  });

  it("the lagging oracle shows a stale price during the thin asset's crash", () => {
    const thin = D.assets.findIndex((a) => a.lagging);
    const m = day.market[thin] as Float64Array;
    const o = day.oracle[thin] as Float64Array;
    const t = 549 + 10; // the end of the thin crash
    assert.ok((o[t] as number) > 1.5 * (m[t] as number), `oracle ${o[t]} vs market ${m[t]}`);
  });
});

/**
 * Stale-oracle bad debt (src/sim/venue/stale-oracle.ts): a hand-computed liquidation, the bad debt an
 * OSM's one-to-two-hour lag accrues on a fast fall against a perfect oracle (the mechanism of Aave's
 * 2025-10-10 deficit on CRV and ENS, priced by lagging feeds), and a fast-check property: on a falling
 * path, an oracle that shows past prices never accrues less bad debt than a fresh one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { delayedOraclePath } from "../../../src/sim/venue/oracle-delayed.js";
import { pushOraclePath } from "../../../src/sim/venue/oracle-push.js";
import { liquidateAt, staleOracleExposure } from "../../../src/sim/venue/stale-oracle.js";
import { assertNear } from "../../helpers/close.js";

// Liquidation price D/(C·LT) = 600/(1,000·0.75) = 0.80; the collateral covers debt + bonus above D(1 + b)/C = 0.63.
const position = { collateral: 1000, debtUsd: 600, liquidationThreshold: 0.75, liquidationBonus: 0.05 };

describe("stale-oracle bad debt", () => {
  it("liquidateAt: repays min(debt, C·P/(1 + b)), and the debt left when the collateral runs out is bad debt", () => {
    const low = liquidateAt(position, 0.4, 0.4);
    assertNear(low.repaidUsd, 400 / 1.05, 1e-9);
    assert.equal(low.seizedCollateral, 1000);
    assertNear(low.badDebtUsd, 600 - 400 / 1.05, 1e-9); // 219.05
    const ok = liquidateAt(position, 0.79, 0.79);
    assert.equal(ok.badDebtUsd, 0);
    assertNear(ok.seizedCollateral, (600 * 1.05) / 0.79, 1e-9);
    assertNear(ok.liquidatorPnlUsd, 30, 1e-9); // the 5 % bonus on 600
    // Priced at a stale 0.80 while the market is at 0.50: the liquidator pays 600 for 787.5 units worth 393.75.
    assertNear(liquidateAt(position, 0.8, 0.5).liquidatorPnlUsd, -206.25, 1e-9);
    // A close factor of 50 %: 300 repaid, no bad debt while the collateral lasts.
    const half = liquidateAt({ ...position, closeFactor: 0.5 }, 0.7, 0.7);
    assert.equal(half.repaidUsd, 300);
    assert.equal(half.badDebtUsd, 0);
  });

  it("an OSM an hour behind liquidates a crashing position two hours late, with 219 USD of bad debt", () => {
    // The market falls 1 % of the start price a minute to 0.40 and stays there for two hours.
    const n = 181;
    const truePrice = Float64Array.from({ length: n }, (_, i) => Math.max(0.4, 1 - 0.01 * i));
    const oracle = new Float64Array(n);
    delayedOraclePath(truePrice, 60, { hopSeconds: 3600 }, oracle);
    const x = staleOracleExposure(position, truePrice, oracle);
    assert.equal(x.fresh.step, 21); // 0.79 < 0.80
    assert.equal(x.fresh.badDebtUsd, 0);
    assert.equal(x.stale.step, 120); // the OSM shows 0.40 (read at 01:00) from 02:00 on
    assertNear(x.stale.badDebtUsd, 600 - 400 / 1.05, 1e-9);
    assertNear(x.extraBadDebtUsd, 219.047619, 1e-6);
    assert.equal(x.liquidatorLoss, false);
    assert.equal(x.neverLiquidated, false);
  });

  it("flags a liquidation a rational liquidator would refuse, and a position the oracle never liquidates", () => {
    const truePrice = Float64Array.from([1, 0.5, 0.5]);
    const x = staleOracleExposure(position, truePrice, Float64Array.from([1, 0.79, 0.5]));
    assert.equal(x.stale.step, 1);
    assert.equal(x.liquidatorLoss, true);
    const never = staleOracleExposure(position, truePrice, Float64Array.from([1, 1, 1]));
    assert.equal(never.neverLiquidated, true);
    assert.equal(never.stale.badDebtUsd, 0);
    assert.throws(
      () => staleOracleExposure({ ...position, liquidationThreshold: 1.2 }, truePrice, truePrice),
      /liquidationThreshold/,
    );
    assert.throws(() => staleOracleExposure(position, truePrice, new Float64Array(2)), /oraclePrice/);
    assert.throws(() => liquidateAt({ ...position, collateral: -1 }, 1, 1), /collateral/);
    assert.throws(() => liquidateAt(position, 0, 1), /price/);
  });

  it("property: on a falling path a lagging push oracle never accrues less bad debt than a fresh one", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 20 }),
        (drops, deviation, beats, lagSteps) => {
          const truePrice = new Float64Array(drops.length);
          let p = 1;
          drops.forEach((d, i) => {
            p *= 1 - d;
            truePrice[i] = p;
          });
          const oracle = new Float64Array(drops.length);
          pushOraclePath(
            truePrice,
            1,
            { deviation, heartbeatSeconds: beats, latencySeconds: lagSteps },
            oracle,
          );
          const x = staleOracleExposure(position, truePrice, oracle);
          assert.ok(x.extraBadDebtUsd >= -1e-9, `extra ${x.extraBadDebtUsd}`);
          if (x.stale.step >= 0) assert.ok(x.stale.step >= x.fresh.step);
        },
      ),
    );
  });
});

/**
 * GMX v2 invariants over random positions and markets (fast-check), from the contracts' rules
 * (gmx-io/gmx-synthetics `contracts/position/PositionUtils.sol` `isPositionLiquidatable`):
 * - the liquidation price liquidates, and a price 1e-9 nearer the index price does not;
 * - more collateral moves a long's liquidation price down and a short's up (never the other way);
 * - each fee due lowers the remaining collateral by exactly its USD amount;
 * - the impact the check charges is never positive and never below −size × the liquidation cap.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type GmxMarket,
  type GmxPosition,
  gmxLiquidationPrice,
  isPositionLiquidatable,
} from "../../src/venues/gmx-v2.js";

const marketArb: fc.Arbitrary<GmxMarket> = fc.record({
  symbol: fc.constant("ETH/USD"),
  minCollateralFactor: fc.constant(0.01),
  minCollateralFactorForLiquidation: fc.double({ min: 0.002, max: 0.01, noNaN: true }),
  minCollateralFactorForOpenInterestMultiplier: fc.constant({ long: 0, short: 0 }),
  minCollateralUsd: fc.double({ min: 0, max: 10, noNaN: true }),
  positionFeeFactor: fc.record({
    positiveImpact: fc.double({ min: 0, max: 0.0006, noNaN: true }),
    negativeImpact: fc.double({ min: 0, max: 0.0008, noNaN: true }),
  }),
  impact: fc.record({
    positiveImpactFactor: fc.double({ min: 0, max: 1e-9, noNaN: true }),
    negativeImpactFactor: fc.double({ min: 0, max: 2e-9, noNaN: true }),
    positiveExponent: fc.constantFrom(1.5, 2),
    negativeExponent: fc.constantFrom(1.5, 2),
  }),
  maxPositiveImpactFactor: fc.constant(0.005),
  maxPositionImpactFactorForLiquidations: fc.double({ min: 0, max: 0.01, noNaN: true }),
  liquidationFeeFactor: fc.constant(0),
  openInterest: fc.record({
    long: fc.double({ min: 1e6, max: 1e8, noNaN: true }),
    short: fc.double({ min: 1e6, max: 1e8, noNaN: true }),
  }),
});

const caseArb = fc
  .record({
    market: marketArb,
    isLong: fc.boolean(),
    leverage: fc.double({ min: 1.5, max: 60, noNaN: true }),
    sizeInUsd: fc.double({ min: 1_000, max: 1_000_000, noNaN: true }),
    entry: fc.double({ min: 100, max: 100_000, noNaN: true }),
    collateralIsIndexToken: fc.boolean(),
    borrowingFeeShare: fc.double({ min: 0, max: 0.002, noNaN: true }),
    pendingShare: fc.double({ min: -0.002, max: 0.002, noNaN: true }),
  })
  .map((c) => {
    const collateralUsd = c.sizeInUsd / c.leverage;
    const position: GmxPosition = {
      isLong: c.isLong,
      sizeInUsd: c.sizeInUsd,
      sizeInTokens: c.sizeInUsd / c.entry,
      collateralAmount: c.collateralIsIndexToken ? collateralUsd / c.entry : collateralUsd,
      collateralIsIndexToken: c.collateralIsIndexToken,
      collateralPrice: 1,
      borrowingFeeUsd: c.sizeInUsd * c.borrowingFeeShare,
      fundingFeeAmount: 0,
      pendingImpactAmount: (c.sizeInUsd * c.pendingShare) / c.entry,
    };
    return { market: c.market, position, index: c.entry };
  });

describe("GMX v2 liquidation check (property)", () => {
  it("the liquidation price liquidates and a price 1e-9 nearer the index does not", () => {
    fc.assert(
      fc.property(caseArb, ({ market, position, index }) => {
        if (isPositionLiquidatable(position, market, index).liquidatable) return;
        const { price } = gmxLiquidationPrice(position, market, index);
        if (price === null) return;
        assert.equal(isPositionLiquidatable(position, market, price).liquidatable, true);
        const nearer = position.isLong ? price * (1 + 1e-9) : price * (1 - 1e-9);
        assert.equal(isPositionLiquidatable(position, market, nearer).liquidatable, false);
      }),
      { seed: 41, numRuns: 300 },
    );
  });

  it("more collateral never moves the liquidation price toward the index", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 1.01, max: 3, noNaN: true }),
        ({ market, position, index }, more) => {
          if (isPositionLiquidatable(position, market, index).liquidatable) return;
          const before = gmxLiquidationPrice(position, market, index).price;
          const after = gmxLiquidationPrice(
            { ...position, collateralAmount: position.collateralAmount * more },
            market,
            index,
          ).price;
          if (before === null) return assert.equal(after, null);
          if (after === null) return;
          assert.ok(position.isLong ? after <= before : after >= before, `${before} → ${after}`);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("a fee due lowers remaining collateral by its amount; the charged impact is in [−cap·size, 0]", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 0, max: 1_000, noNaN: true }),
        ({ market, position, index }, fee) => {
          const a = isPositionLiquidatable(position, market, index);
          const b = isPositionLiquidatable(
            { ...position, borrowingFeeUsd: position.borrowingFeeUsd + fee },
            market,
            index,
          );
          assert.ok(
            Math.abs(a.remainingCollateralUsd - fee - b.remainingCollateralUsd) <= 1e-9 * position.sizeInUsd,
          );
          assert.ok(a.priceImpactUsd <= 0);
          assert.ok(
            a.priceImpactUsd >= -position.sizeInUsd * market.maxPositionImpactFactorForLiquidations - 1e-9,
          );
        },
      ),
      { seed: 43, numRuns: 300 },
    );
  });
});

/**
 * GMX v2 (synthetics) liquidation order and its settlement. Part of the `gmx-v2` namespace
 * (src/venues/gmx-v2.ts).
 */
import { type GmxLiquidationCheck, isPositionLiquidatable } from "./liquidation.js";
import type { GmxMarket, GmxPosition } from "./market.js";

/** The order a liquidation keeper executes and what it leaves, in USD. */
export interface GmxLiquidationOrder {
  /** `Order.OrderType.Liquidation`, a market decrease of the whole position. */
  orderType: "Liquidation";
  /** `position.sizeInUsd()`: the whole size. */
  sizeDeltaUsd: number;
  /** 0 for a long; null (unbounded, `type(uint256).max`) for a short: any price fills. */
  acceptablePrice: number | null;
  /** The keeper's check at the index price (`DecreasePositionUtils` reverts `PositionShouldNotBeLiquidated` without it). */
  check: GmxLiquidationCheck;
  /** `liquidationFeeFactor × sizeInUsd` (`PositionPricingUtils.getLiquidationFees`), charged on this order only. */
  liquidationFeeUsd: number;
  /** What the position leaves after PnL, impact, the fees and the liquidation fee. */
  remainingAfterCostsUsd: number;
  /** Returned to the trader: the remainder when positive, in USD and in collateral tokens. */
  collateralReturnedUsd: number;
  collateralReturnedAmount: number;
  /** Costs the collateral cannot pay (an insolvent close, allowed for a liquidation of the whole size). */
  shortfallUsd: number;
}

/**
 * The liquidation order of `LiquidationUtils.createLiquidationOrder` (gmx-io/gmx-synthetics
 * `contracts/liquidation/LiquidationUtils.sol`): a `Liquidation` order for `sizeInUsd` with acceptable
 * price 0 (long) or the maximum (short), no collateral withdrawn, `SwapPnlTokenToCollateralToken`;
 * executed at the index price it settles as the check computes remaining collateral, less the
 * liquidation fee (`isLiquidation` true in `DecreasePositionCollateralUtils`): what is left goes back
 * to the trader, and a negative remainder is an insolvent close (`isInsolventCloseAllowed` for a
 * liquidation of the whole size) whose shortfall the pool bears. Simplification: the close's impact is
 * the check's (`closeImpactForLiquidation`), not the execution price's.
 *
 * @example testLiquidation.ts: SOL long $450,000 on 1 WETH, liquidated at WETH $2,500 and SOL $14.99 →
 * remainder $2,200 = 0.88 WETH returned
 */
export function liquidationOrder(
  position: GmxPosition,
  market: GmxMarket,
  indexPrice: number,
): GmxLiquidationOrder {
  const check = isPositionLiquidatable(position, market, indexPrice);
  const liquidationFeeUsd = position.sizeInUsd * market.liquidationFeeFactor;
  const remaining = check.remainingCollateralUsd - liquidationFeeUsd;
  const collateralPrice = position.collateralIsIndexToken ? indexPrice : position.collateralPrice;
  const returned = Math.max(0, remaining);
  return {
    orderType: "Liquidation",
    sizeDeltaUsd: position.sizeInUsd,
    acceptablePrice: position.isLong ? 0 : null,
    check,
    liquidationFeeUsd,
    remainingAfterCostsUsd: remaining,
    collateralReturnedUsd: returned,
    collateralReturnedAmount: returned / collateralPrice,
    shortfallUsd: Math.max(0, -remaining),
  };
}

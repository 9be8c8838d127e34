/**
 * GMX v2 (gmx-io/gmx-synthetics, Solidity) isolated positions against pool liquidity: the
 * liquidation check `PositionUtils.isPositionLiquidatable` with the position fee, price impact,
 * borrowing and funding fees in the remaining collateral, the minimum collateral factor (and its
 * open-interest-scaled part for increases), and the index price at which the check turns true. Float
 * USD, one index price; the contract's 1e30 fixed point, min/max prices, the PnL cap for traders, and
 * referral discounts are not modelled. Sources (read at gmx-io/gmx-synthetics a5c0c883):
 * - `contracts/position/PositionUtils.sol` (`isPositionLiquidatable`, `getPositionPnlUsd`,
 *   `willPositionCollateralBeSufficient`);
 * - `contracts/pricing/PositionPricingUtils.sol` (`getPriceImpactUsd`, `getPositionFees`,
 *   `getPositionFeesAfterReferral`, `getLiquidationFees`), `contracts/pricing/PricingUtils.sol`;
 * - `contracts/market/MarketUtils.sol` (`getMinCollateralFactor*`, `capPositiveImpactUsdByMaxPositionImpact`,
 *   `getBorrowingFees`);
 * - `contracts/liquidation/LiquidationUtils.sol` (`createLiquidationOrder`: a `Liquidation` order for
 *   the whole size, acceptable price 0 for a long and max for a short, executed by a keeper through
 *   `DecreasePositionUtils`, which re-runs the check and reverts `PositionShouldNotBeLiquidated`).
 *
 * Files of `src/venues/gmx-v2/`: `market.ts` (parameters), `price-impact.ts`, `liquidation.ts` (the
 * check, the open-interest factor, the liquidation price), `liquidation-order.ts` (the keeper's order
 * and its settlement), `document.ts` (GMX documents, `schemas/gmx-account.schema.json`),
 * `reports.ts` (the `liq-price` and `liquidate` reports) and `text.ts` (their readable forms).
 */

export { GMX_VENUE_ID, type ResolvedGmxDocument, resolveGmxDocument } from "./gmx-v2/document.js";
export {
  closeImpactForLiquidation,
  type GmxLiquidationCheck,
  type GmxLiquidationReason,
  gmxLiquidationPrice,
  isPositionLiquidatable,
  minCollateralFactorForOpenInterest,
} from "./gmx-v2/liquidation.js";
export { type GmxLiquidationOrder, liquidationOrder } from "./gmx-v2/liquidation-order.js";
export type { GmxMarket, GmxPosition } from "./gmx-v2/market.js";
export {
  type OpenInterestUsd,
  type PositionImpactParams,
  positionPriceImpactUsd,
} from "./gmx-v2/price-impact.js";

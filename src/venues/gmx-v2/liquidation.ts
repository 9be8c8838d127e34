/**
 * GMX v2 (synthetics) liquidation check and liquidation price. Part of the `gmx-v2` namespace
 * (src/venues/gmx-v2.ts).
 */
import type { GmxMarket, GmxPosition } from "./market.js";
import { positionPriceImpactUsd } from "./price-impact.js";

/** Why a position is liquidatable, in the contract's words (`isPositionLiquidatable`'s reason). */
export type GmxLiquidationReason = "min collateral" | "< 0" | "min collateral for leverage";

/** The liquidation check's result and its parts (`IsPositionLiquidatableInfo` and the cache), in USD. */
export interface GmxLiquidationCheck {
  liquidatable: boolean;
  reason: GmxLiquidationReason | null;
  collateralUsd: number;
  pnlUsd: number;
  /** Price impact of closing the whole position, with the pending impact, capped as the check caps it (≤ 0). */
  priceImpactUsd: number;
  /** Position fee of closing, at the factor for the balance the close leaves. */
  positionFeeUsd: number;
  borrowingFeeUsd: number;
  fundingFeeUsd: number;
  /** `collateral + PnL + impact − fees`. */
  remainingCollateralUsd: number;
  /** `MIN_COLLATERAL_USD`. */
  minCollateralUsd: number;
  /** `sizeInUsd × minCollateralFactor(ForLiquidation)`. */
  minCollateralUsdForLeverage: number;
}

/** The collateral token's price at index price `indexPrice`. */
function collateralPriceAt(position: GmxPosition, indexPrice: number): number {
  return position.collateralIsIndexToken ? indexPrice : position.collateralPrice;
}

/**
 * The price impact the liquidation check charges for closing the whole position: the impact of
 * removing `sizeInUsd` from its side, a positive part capped at `sizeInUsd × maxPositiveImpactFactor`,
 * plus the pending impact `pendingImpactAmount × indexPrice`; then never positive, and never below
 * `−sizeInUsd × maxPositionImpactFactorForLiquidations`. Also whether the close improves the balance
 * (it picks the position fee factor). Source: `PositionUtils.isPositionLiquidatable`,
 * `MarketUtils.capPositiveImpactUsdByMaxPositionImpact`.
 */
export function closeImpactForLiquidation(
  position: GmxPosition,
  market: GmxMarket,
  indexPrice: number,
): { priceImpactUsd: number; balanceWasImproved: boolean } {
  const close = positionPriceImpactUsd(
    market.openInterest,
    -position.sizeInUsd,
    position.isLong,
    market.impact,
  );
  let impact = Math.min(close.priceImpactUsd, position.sizeInUsd * market.maxPositiveImpactFactor);
  impact += position.pendingImpactAmount * indexPrice;
  impact =
    impact >= 0 ? 0 : Math.max(impact, -position.sizeInUsd * market.maxPositionImpactFactorForLiquidations);
  return { priceImpactUsd: impact, balanceWasImproved: close.balanceWasImproved };
}

/**
 * GMX v2's liquidation check, `PositionUtils.isPositionLiquidatable` (gmx-io/gmx-synthetics
 * `contracts/position/PositionUtils.sol`), in float USD at one index price:
 * ```
 * remaining = collateral·P_c + PnL + impact − (positionFee + borrowingFee + fundingFee·P_c)
 * PnL       = long ? tokens·P − sizeInUsd : sizeInUsd − tokens·P
 * liquidatable: remaining < MIN_COLLATERAL_USD ("min collateral"), remaining ≤ 0 ("< 0"),
 *               remaining < sizeInUsd × minCollateralFactor ("min collateral for leverage")
 * ```
 * with the impact of {@link closeImpactForLiquidation}, the position fee `sizeInUsd × positionFeeFactor`
 * (the factor for a close that improves the balance or not: `PositionPricingUtils.getPositionFeesAfterReferral`),
 * no liquidation fee ("should not account for liquidation fees to determine if position should be
 * liquidated"), and `minCollateralFactorForLiquidation` when `forLiquidation` (the keeper's check,
 * `DecreasePositionUtils`: both flags true), else `minCollateralFactor`. Simplifications: one index
 * price (no min/max spread), no cap of positive PnL by `MAX_PNL_FACTOR_FOR_TRADERS`, no referral or
 * pro discount, no UI fee.
 *
 * @example hardhat ETH/USD market (1 %), 10 WETH collateral, long $200,000 (40 ETH) at $5,000, no fees:
 * at $4,200 remaining $10,000 ≥ $2,000, not liquidatable; at $4,000 remaining $0 → "< 0"
 * (test/exchange/LiquidationOrder.ts "executeLiquidation")
 */
export function isPositionLiquidatable(
  position: GmxPosition,
  market: GmxMarket,
  indexPrice: number,
  options: { forLiquidation?: boolean; validateMinCollateralUsd?: boolean } = {},
): GmxLiquidationCheck {
  const collateralPrice = collateralPriceAt(position, indexPrice);
  const value = position.sizeInTokens * indexPrice;
  const pnlUsd = position.isLong ? value - position.sizeInUsd : position.sizeInUsd - value;
  const collateralUsd = position.collateralAmount * collateralPrice;
  const { priceImpactUsd, balanceWasImproved } = closeImpactForLiquidation(position, market, indexPrice);
  const feeFactor = balanceWasImproved
    ? market.positionFeeFactor.positiveImpact
    : market.positionFeeFactor.negativeImpact;
  const positionFeeUsd = position.sizeInUsd * feeFactor;
  const fundingFeeUsd = position.fundingFeeAmount * collateralPrice;
  const remainingCollateralUsd =
    collateralUsd + pnlUsd + priceImpactUsd - (positionFeeUsd + position.borrowingFeeUsd + fundingFeeUsd);
  const factor =
    (options.forLiquidation ?? true) ? market.minCollateralFactorForLiquidation : market.minCollateralFactor;
  const minCollateralUsdForLeverage = position.sizeInUsd * factor;
  const validateMin = options.validateMinCollateralUsd ?? true;
  const reason: GmxLiquidationReason | null =
    validateMin && remainingCollateralUsd < market.minCollateralUsd
      ? "min collateral"
      : remainingCollateralUsd <= 0
        ? "< 0"
        : remainingCollateralUsd < minCollateralUsdForLeverage
          ? "min collateral for leverage"
          : null;
  return {
    liquidatable: reason !== null,
    reason,
    collateralUsd,
    pnlUsd,
    priceImpactUsd,
    positionFeeUsd,
    borrowingFeeUsd: position.borrowingFeeUsd,
    fundingFeeUsd,
    remainingCollateralUsd,
    minCollateralUsd: validateMin ? market.minCollateralUsd : 0,
    minCollateralUsdForLeverage,
  };
}

/**
 * The open-interest-scaled minimum collateral factor for increasing a position on one side:
 * `max(minCollateralFactor, (OI_side + Δ) × multiplier_side)` (`MarketUtils.getMinCollateralFactorForOpenInterest`,
 * taken against the market's factor in `PositionUtils.willPositionCollateralBeSufficient`).
 *
 * @example multiplier 6e-11 at $83,000,000 of open interest → 0.00498, so the 0.5 % floor applies
 * (config/markets.ts BTC/USD: "minCollateralFactor of 0.005 (0.5%) when open interest is 83,000,000 USD")
 */
export function minCollateralFactorForOpenInterest(
  market: GmxMarket,
  isLong: boolean,
  openInterestDeltaUsd = 0,
): number {
  const oi = (isLong ? market.openInterest.long : market.openInterest.short) + openInterestDeltaUsd;
  const multiplier = isLong
    ? market.minCollateralFactorForOpenInterestMultiplier.long
    : market.minCollateralFactorForOpenInterestMultiplier.short;
  return Math.max(market.minCollateralFactor, Math.max(0, oi) * multiplier);
}

/**
 * The index price at which {@link isPositionLiquidatable} turns true (the keeper's check: both flags
 * true), everything else held (open interest, fees, the collateral token's price unless it is the index
 * token). On the adverse side remaining collateral falls with the price at rate `tokens (+ collateral
 * amount) + pendingImpactAmount` (the impact of closing does not depend on the price, open interest
 * being in USD, and the pending impact is a small share of the size), so the check is monotone there:
 * the price is bracketed by doubling (halving for a long) from the index price, then bisected to
 * 1e-12 relative; the returned price liquidates, and any price 1e-12 nearer the index does not.
 * Null, with the reason, when no positive price liquidates (a long backed in its own token beyond its
 * size); the index price itself when the position is liquidatable there already.
 */
export function gmxLiquidationPrice(
  position: GmxPosition,
  market: GmxMarket,
  indexPrice: number,
): { price: number | null; reason: string | null } {
  const liquidatableAt = (p: number) => isPositionLiquidatable(position, market, p).liquidatable;
  if (liquidatableAt(indexPrice))
    return { price: indexPrice, reason: "already liquidatable at the index price" };
  // The adverse side: down for a long, up for a short. Find a liquidating bracket by doubling.
  const adverse = position.isLong ? 0.5 : 2;
  let safe = indexPrice;
  let hit = indexPrice;
  let found = false;
  for (let k = 0; k < 200; k++) {
    hit *= adverse;
    if (liquidatableAt(hit)) {
      found = true;
      break;
    }
    safe = hit;
  }
  if (!found)
    return {
      price: null,
      reason: position.isLong
        ? "remaining collateral stays above the minimum at every price down to 0"
        : "remaining collateral stays above the minimum at every price upwards",
    };
  // Bisection to the boundary: the last safe price and the first liquidating one differ by < 1e-12.
  for (let k = 0; k < 200 && Math.abs(hit - safe) > 1e-12 * safe; k++) {
    const mid = 0.5 * (safe + hit);
    if (liquidatableAt(mid)) hit = mid;
    else safe = mid;
  }
  return { price: hit, reason: null };
}

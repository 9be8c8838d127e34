/**
 * GMX v2 (synthetics) market and position parameters as a document gives them (the `DataStore` values
 * of one market, and a position's fields), in USD and token units as floats. Part of the `gmx-v2`
 * namespace (src/venues/gmx-v2.ts). Keys: gmx-io/gmx-synthetics `contracts/data/Keys.sol`.
 */
import type { OpenInterestUsd, PositionImpactParams } from "./price-impact.js";

/** One market's risk parameters and state. Factors are fractions (GMX stores them ×1e30). */
export interface GmxMarket {
  readonly symbol: string;
  /** `minCollateralFactorKey`: the least collateral per unit of size to open or change a position. */
  readonly minCollateralFactor: number;
  /** `minCollateralFactorForLiquidationKey`: the liquidation check's factor (≤ `minCollateralFactor`). */
  readonly minCollateralFactorForLiquidation: number;
  /**
   * `minCollateralFactorForOpenInterestMultiplierKey(market, isLong)`: the open-interest-scaled part,
   * `OI × multiplier`, which raises the factor for increases as a side's open interest grows.
   */
  readonly minCollateralFactorForOpenInterestMultiplier: { readonly long: number; readonly short: number };
  /** `MIN_COLLATERAL_USD`: the least remaining collateral in USD (a global value). */
  readonly minCollateralUsd: number;
  /** `positionFeeFactorKey(market, balanceWasImproved)`. */
  readonly positionFeeFactor: { readonly positiveImpact: number; readonly negativeImpact: number };
  readonly impact: PositionImpactParams;
  /** `maxPositionImpactFactorKey(market, true)`: cap of a positive impact, as a fraction of size. */
  readonly maxPositiveImpactFactor: number;
  /** `maxPositionImpactFactorForLiquidationsKey`: cap of a negative impact in the liquidation check. */
  readonly maxPositionImpactFactorForLiquidations: number;
  /** `liquidationFeeFactorKey`: fee on the size of a liquidation order (0 in many markets). */
  readonly liquidationFeeFactor: number;
  /** Open interest in USD on each side, this position included. */
  readonly openInterest: OpenInterestUsd;
}

/** A position (`Position.Props`) with its pending fees. */
export interface GmxPosition {
  readonly isLong: boolean;
  /** `sizeInUsd`: the position's size at its entry prices. */
  readonly sizeInUsd: number;
  /** `sizeInTokens`: its size in index tokens. */
  readonly sizeInTokens: number;
  /** `collateralAmount`, in collateral tokens. */
  readonly collateralAmount: number;
  /** Whether the collateral token is priced at the index price (WETH collateral on ETH/USD), else at `collateralPrice`. */
  readonly collateralIsIndexToken: boolean;
  /** Price of a non-index collateral token in USD (1 for USDC). */
  readonly collateralPrice: number;
  /** Borrowing fee due, `sizeInUsd × (cumulativeBorrowingFactor − borrowingFactor)`, in USD. */
  readonly borrowingFeeUsd: number;
  /** Funding fee due, in collateral tokens (`MarketUtils.getFundingAmount`). */
  readonly fundingFeeAmount: number;
  /** `pendingImpactAmount`: the price impact of increases held back, in index tokens (signed). */
  readonly pendingImpactAmount: number;
}

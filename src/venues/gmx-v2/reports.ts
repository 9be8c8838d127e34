/**
 * GMX v2 `liq-price` and `liquidate` reports of a document. Part of the `gmx-v2` namespace
 * (src/venues/gmx-v2.ts).
 */
import type { ResolvedGmxDocument } from "./document.js";
import {
  type GmxLiquidationCheck,
  gmxLiquidationPrice,
  isPositionLiquidatable,
  minCollateralFactorForOpenInterest,
} from "./liquidation.js";
import { type GmxLiquidationOrder, liquidationOrder } from "./liquidation-order.js";

/** `liqopt liq-price --json` for a GMX v2 document. */
export interface GmxLiqPriceReport {
  venue: "gmx-v2";
  market: string;
  side: "long" | "short";
  indexPrice: number;
  sizeInUsd: number;
  /** Leverage as GMX shows it: `sizeInUsd / collateral USD`. */
  leverage: number;
  /** The keeper's check at the index price, with every part of the remaining collateral. */
  check: GmxLiquidationCheck;
  /** The factor an increase of this side would need now (`minCollateralFactorForOpenInterest`). */
  minCollateralFactorForIncrease: number;
  /** Index price at which the check turns true, or null with the reason. */
  liquidationPrice: number | null;
  liquidationReason: string | null;
  /** `|index − liquidation| / index`, null without a liquidation price. */
  distance: number | null;
}

/**
 * The liquidation check of a GMX v2 position at the document's index price, the index price that
 * liquidates it ({@link gmxLiquidationPrice}), and the minimum collateral factor an increase would need.
 */
export function gmxLiqPriceReport(doc: ResolvedGmxDocument): GmxLiqPriceReport {
  const { market, position, indexPrice } = doc;
  const check = isPositionLiquidatable(position, market, indexPrice);
  const liq = gmxLiquidationPrice(position, market, indexPrice);
  return {
    venue: doc.venue,
    market: market.symbol,
    side: position.isLong ? "long" : "short",
    indexPrice,
    sizeInUsd: position.sizeInUsd,
    leverage: check.collateralUsd > 0 ? position.sizeInUsd / check.collateralUsd : Number.POSITIVE_INFINITY,
    check,
    minCollateralFactorForIncrease: minCollateralFactorForOpenInterest(market, position.isLong),
    liquidationPrice: liq.price,
    liquidationReason: liq.reason,
    distance: liq.price === null ? null : Math.abs(indexPrice - liq.price) / indexPrice,
  };
}

/** `liqopt liquidate --json` for a GMX v2 document: the keeper's order, or why it would revert. */
export interface GmxLiquidateReport {
  venue: "gmx-v2";
  market: string;
  liquidatable: boolean;
  /** `PositionShouldNotBeLiquidated` when the check is false: the keeper's order reverts. */
  revert: "PositionShouldNotBeLiquidated" | null;
  order: GmxLiquidationOrder;
}

/** The liquidation order of the document's position ({@link liquidationOrder}) at its index price. */
export function gmxLiquidateReport(doc: ResolvedGmxDocument): GmxLiquidateReport {
  const order = liquidationOrder(doc.position, doc.market, doc.indexPrice);
  return {
    venue: doc.venue,
    market: doc.market.symbol,
    liquidatable: order.check.liquidatable,
    revert: order.check.liquidatable ? null : "PositionShouldNotBeLiquidated",
    order,
  };
}

/**
 * The readable form of GMX v2's reports (`liq-price`, `liquidate`) as lines and tables
 * ({@link Readable}); a front end draws the tables.
 */
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import type { GmxLiquidationCheck } from "./liquidation.js";
import type { GmxLiqPriceReport, GmxLiquidateReport } from "./reports.js";

/** Why a position is liquidatable, in words, by the reason `isPositionLiquidatable` returns. */
const REASONS: Record<NonNullable<GmxLiquidationCheck["reason"]>, string> = {
  "min collateral": "remaining collateral below MIN_COLLATERAL_USD",
  "< 0": "remaining collateral at or below 0",
  "min collateral for leverage": "remaining collateral below size × min collateral factor",
};

/** The rows of a liquidation check: collateral, PnL, impact, fees, remaining and the minimums. */
function checkRows(c: GmxLiquidationCheck): string[][] {
  return [
    ["Collateral", formatNumber(c.collateralUsd)],
    ["PnL", formatNumber(c.pnlUsd)],
    ["Price impact of closing (capped)", formatNumber(c.priceImpactUsd)],
    ["Position fee", formatNumber(-c.positionFeeUsd)],
    ["Borrowing fee", formatNumber(-c.borrowingFeeUsd)],
    ["Funding fee", formatNumber(-c.fundingFeeUsd)],
    ["Remaining collateral", formatNumber(c.remainingCollateralUsd)],
    ["Min collateral (USD)", formatNumber(c.minCollateralUsd)],
    ["Min collateral for leverage", formatNumber(c.minCollateralUsdForLeverage)],
    ["Liquidatable", c.reason === null ? "no" : `YES: ${REASONS[c.reason]}`],
  ];
}

/** The readable form of a {@link GmxLiqPriceReport}: the position, its liquidation check and price. */
export function gmxLiqPriceText(r: GmxLiqPriceReport): Readable {
  return [
    `GMX v2 (gmx-v2), ${r.market} ${r.side}, isolated, amounts in USD`,
    "",
    textTable(
      [],
      [
        ["Index price", formatNumber(r.indexPrice)],
        ["Size", formatNumber(r.sizeInUsd)],
        ["Leverage", `${formatNumber(r.leverage, 2)}x`],
        ...checkRows(r.check),
        [
          "Liquidation price",
          r.liquidationPrice === null
            ? `none: ${r.liquidationReason ?? ""}`
            : formatNumber(r.liquidationPrice),
        ],
        ["Distance", r.distance === null ? "—" : formatPercent(r.distance, 2)],
        ["Min collateral factor for an increase", formatPercent(r.minCollateralFactorForIncrease, 3)],
      ],
      { rightAlign: [1] },
    ),
  ];
}

/** The readable form of a {@link GmxLiquidateReport}: the keeper's order and its settlement, or its revert. */
export function gmxLiquidateText(r: GmxLiquidateReport): Readable {
  const o = r.order;
  const head = `GMX v2 (gmx-v2), ${r.market}: liquidation order, amounts in USD`;
  if (r.revert !== null)
    return [
      head,
      "",
      `Nothing to liquidate: the keeper's order reverts with ${r.revert}.`,
      "",
      textTable([], checkRows(o.check), { rightAlign: [1] }),
    ];
  return [
    head,
    "",
    `1. ${o.orderType} order: decrease by the whole size ${formatNumber(o.sizeDeltaUsd)}, acceptable price ${o.acceptablePrice === null ? "unbounded" : formatNumber(o.acceptablePrice)}.`,
    "",
    textTable(
      [],
      [
        ...checkRows(o.check),
        ["Liquidation fee", formatNumber(-o.liquidationFeeUsd)],
        ["Left after costs", formatNumber(o.remainingAfterCostsUsd)],
        [
          "Returned to the trader",
          `${formatNumber(o.collateralReturnedUsd)} (${formatNumber(o.collateralReturnedAmount, 8)} tokens)`,
        ],
        ["Shortfall borne by the pool", formatNumber(o.shortfallUsd)],
      ],
      { rightAlign: [1] },
    ),
  ];
}

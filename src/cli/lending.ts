import type { LendingLiqPriceReport } from "../venues/lending/money-market.js";
import { LENDING_VENUES } from "../venues/lending/registry.js";
import { formatNumber, formatPercent, renderTable } from "./io.js";

/** The readable form of a {@link LendingLiqPriceReport}. */
export function renderLendingLiqPrice(r: LendingLiqPriceReport): string {
  const out: string[] = [
    `${LENDING_VENUES[r.venue].name} (${r.venue}), ${r.market}${r.version === null ? "" : `, Pool rules v${r.version}`}; values in USD`,
    "",
  ];
  if (r.collateral.length === 0) out.push("No collateral counted (none held, or LT 0 / disabled).");
  else
    out.push(
      renderTable(
        ["Collateral", "Amount", "Price", "Value", "Liq. threshold", "Liq. price", "Distance"],
        r.collateral.map((c) => [
          c.symbol,
          formatNumber(c.amount, 8),
          formatNumber(c.price),
          formatNumber(c.value),
          formatPercent(c.liquidationThreshold),
          c.liquidationPrice === null ? "none" : formatNumber(c.liquidationPrice),
          formatPercent(c.distance),
        ]),
        { rightAlign: [1, 2, 3, 4, 5, 6] },
      ),
    );
  for (const c of r.collateral)
    if (c.liquidationReason !== null) out.push(`${c.symbol} liquidation price: ${c.liquidationReason}`);
  if (r.debt.length === 0) out.push("", "No debt.");
  else
    out.push(
      "",
      renderTable(
        ["Debt", "Amount", "Price", "Value"],
        r.debt.map((d) => [
          d.symbol,
          formatNumber(d.amount, 8),
          formatNumber(d.price),
          formatNumber(d.value),
        ]),
        { rightAlign: [1, 2, 3] },
      ),
    );
  out.push(
    "",
    "Account",
    renderTable(
      [],
      [
        ["Collateral value", formatNumber(r.totals.collateralValue)],
        ["Liquidation-weighted collateral", formatNumber(r.totals.weightedCollateral)],
        ["Debt value", formatNumber(r.totals.debtValue)],
        ["Health factor (exact)", r.healthFactor.exact],
        ["Health factor (float)", formatNumber(r.healthFactor.float, 6)],
        ["Largest survivable collateral drop", formatPercent(r.maxCollateralDrop)],
        ["Liquidatable", r.liquidatable ? "YES" : "no"],
      ],
      { rightAlign: [1] },
    ),
  );
  const a = r.aaveRules;
  if (a !== null) {
    if (a.eMode !== null)
      out.push(
        `E-mode category ${a.eMode.id}${a.eMode.label === null ? "" : ` (${a.eMode.label})`}: its LTV/LT/bonus replace the reserve's for ${a.eMode.overrides.length === 0 ? "no collateral held" : a.eMode.overrides.join(", ")}${a.eMode.borrowable === null ? "" : `; borrowable: ${a.eMode.borrowable.join(", ")}`}.`,
      );
    if (a.isolation !== null)
      out.push(
        `Isolation mode: the only collateral ${a.isolation.collateral} has a debt ceiling of $${formatNumber(a.isolation.debtCeilingUsd)} (isolated debt now $${formatNumber(a.isolation.isolationModeTotalDebtUsd)}); only assets borrowable in isolation can be borrowed.`,
      );
    if (a.siloedDebts.length > 0)
      out.push(`Siloed borrowing: ${a.siloedDebts.join(", ")} can only be borrowed alone.`);
  }
  return out.join("\n");
}

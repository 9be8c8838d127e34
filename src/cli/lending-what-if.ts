import type {
  LendingLiqPriceReport,
  LendingWhatIfAction,
  LendingWhatIfReport,
} from "../venues/lending/money-market.js";
import { LENDING_VENUES } from "../venues/lending/registry.js";
import { formatNumber, renderTable } from "./io.js";

function describeLendingAction(a: LendingWhatIfAction): string {
  switch (a.kind) {
    case "add-collateral":
      return `supply ${a.amount} ${a.asset} more as collateral`;
    case "remove-collateral":
      return `withdraw ${a.amount} ${a.asset} of collateral`;
    case "repay":
      return `repay ${a.amount} ${a.asset}`;
    case "borrow":
      return `borrow ${a.amount} ${a.asset} more`;
    case "target-hf":
      return `bring the health factor to ${formatNumber(a.healthFactor, 6)} with ${a.asset} collateral`;
  }
}

/** The readable form of a {@link LendingWhatIfReport}. */
export function renderLendingWhatIf(r: LendingWhatIfReport): string {
  const { action: a, before: b, after: f } = r;
  const out = [
    `What if: ${describeLendingAction(a)}, ${LENDING_VENUES[r.venue].name} (${r.venue}), ${b.market}; values in USD`,
  ];
  if (a.collateralToAdd !== undefined) {
    const c = a.collateralToAdd;
    out.push(
      c.startsWith("-")
        ? `Collateral that can be withdrawn: ${c.slice(1)} ${a.asset} (collateral to add: ${c})`
        : `Collateral to add: ${c} ${a.asset}`,
    );
  }
  const num = (x: number | null, digits?: number) => (x === null ? "none" : formatNumber(x, digits));
  const row = (label: string, x: number | null, y: number | null, digits?: number) => [
    label,
    num(x, digits),
    num(y, digits),
    x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)
      ? "—"
      : formatNumber(y - x, digits),
  ];
  const symbols = [...new Set([...b.collateral, ...f.collateral].map((c) => c.symbol))];
  const lp = (rep: LendingLiqPriceReport, s: string) =>
    rep.collateral.find((c) => c.symbol === s)?.liquidationPrice ?? null;
  const amount = (rep: LendingLiqPriceReport, list: "collateral" | "debt", s: string) =>
    (rep[list] as { symbol: string; amount: number }[]).find((c) => c.symbol === s)?.amount ?? 0;
  const rows = [
    row(
      `${a.asset} amount`,
      amount(b, a.kind === "repay" || a.kind === "borrow" ? "debt" : "collateral", a.asset),
      amount(f, a.kind === "repay" || a.kind === "borrow" ? "debt" : "collateral", a.asset),
      8,
    ),
    ["Health factor (exact)", b.healthFactor.exact, f.healthFactor.exact, ""],
    row("Health factor (float)", b.healthFactor.float, f.healthFactor.float, 6),
    row("Collateral value", b.totals.collateralValue, f.totals.collateralValue),
    row("Liquidation-weighted collateral", b.totals.weightedCollateral, f.totals.weightedCollateral),
    row("Debt value", b.totals.debtValue, f.totals.debtValue),
    ...symbols.map((s) => row(`${s} liquidation price`, lp(b, s), lp(f, s))),
    ["Liquidatable", b.liquidatable ? "YES" : "no", f.liquidatable ? "YES" : "no", ""],
  ];
  out.push(renderTable(["", "Before", "After", "Change"], rows, { rightAlign: [1, 2, 3] }));
  if (a.check !== undefined && a.kind === "target-hf") {
    const mark = a.check.matches ? "matches the target" : "DOES NOT match the target";
    out.push(
      `Check: recomputed float health factor after applying it = ${formatNumber(a.check.healthFactor, 12)} (target ${formatNumber(a.healthFactor, 12)}): ${mark}`,
    );
  }
  return out.join("\n");
}

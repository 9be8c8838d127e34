/**
 * The readable form of the money markets' shared reports (`liq-price`, `what-if`) as lines and tables
 * ({@link Readable}), and a token amount as text; a front end draws the tables.
 */
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import type { LendingLiqPriceReport, LendingWhatIfAction, LendingWhatIfReport } from "./money-market.js";
import type { TokenAmount } from "./venue.js";

/** `1.5 WETH ($4,500.00)`: an amount of a token with its USD value. */
export const tokenText = (t: TokenAmount): string => `${t.amount} ${t.symbol} ($${formatNumber(t.usd)})`;

/** The readable form of a {@link LendingLiqPriceReport} of the venue named `venueName`. */
export function moneyMarketLiqPriceText(r: LendingLiqPriceReport, venueName: string): Readable {
  const out: Readable = [
    `${venueName} (${r.venue}), ${r.market}${r.version === null ? "" : `, Pool rules v${r.version}`}; values in USD`,
    "",
  ];
  if (r.collateral.length === 0) out.push("No collateral counted (none held, or LT 0 / disabled).");
  else
    out.push(
      textTable(
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
      textTable(
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
    textTable(
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
  return out;
}

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

/** The readable form of a {@link LendingWhatIfReport} of the venue named `venueName`. */
export function moneyMarketWhatIfText(r: LendingWhatIfReport, venueName: string): Readable {
  const { action: a, before: b, after: f } = r;
  const out: Readable = [
    `What if: ${describeLendingAction(a)}, ${venueName} (${r.venue}), ${b.market}; values in USD`,
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
  out.push(textTable(["", "Before", "After", "Change"], rows, { rightAlign: [1, 2, 3] }));
  if (a.check !== undefined && a.kind === "target-hf") {
    const mark = a.check.matches ? "matches the target" : "DOES NOT match the target";
    out.push(
      `Check: recomputed float health factor after applying it = ${formatNumber(a.check.healthFactor, 12)} (target ${formatNumber(a.healthFactor, 12)}): ${mark}`,
    );
  }
  return out;
}

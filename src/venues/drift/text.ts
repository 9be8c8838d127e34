/**
 * The readable form of Drift v2's reports (`liq-price`, `what-if`, `liquidate`) as lines and tables
 * ({@link Readable}); a front end draws the tables.
 */
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import type { DriftLiquidateReport } from "./liquidate-report.js";
import type { DriftMarginReport } from "./margin-report.js";
import type { DriftWhatIfAction, DriftWhatIfReport } from "./what-if.js";

/** The account table of a Drift margin report (shared by `liq-price`, `what-if` and `liquidate`). */
function driftAccountRows(a: DriftMarginReport["account"]): string[][] {
  return [
    ["USDC deposit", formatNumber(a.quoteBalance)],
    ["Total collateral", formatNumber(a.totalCollateral)],
    ["Maintenance margin (with size premium)", formatNumber(a.maintenanceMargin)],
    [
      `Maintenance + liquidation buffer (${formatPercent(a.liquidationMarginBufferRatio)})`,
      formatNumber(a.maintenanceMarginPlusBuffer),
    ],
    ["Initial margin", formatNumber(a.initialMargin)],
    ["Free collateral (initial)", formatNumber(a.freeCollateral)],
    ["Margin shortage (to MR + buffer)", formatNumber(a.marginShortage)],
    ["Liquidatable (TC < MR)", a.liquidatable ? "YES" : "no"],
    ["Could exit liquidation (TC ≥ MR + buffer)", a.canExitLiquidation ? "yes" : "no"],
  ];
}

/** The readable form of a Drift {@link DriftMarginReport}. */
export function driftMarginText(r: DriftMarginReport): Readable {
  const out: Readable = [
    `Drift v2 (drift-v2), cross margin${r.highLeverageMode ? ", high-leverage mode" : ""}, amounts in USDC`,
    "",
  ];
  if (r.positions.length === 0) out.push("No positions.");
  else
    out.push(
      textTable(
        [
          "Market",
          "Base",
          "Oracle",
          "Notional",
          "uPnL",
          "MMR (size-adj.)",
          "Maint. margin",
          "Liq. price",
          "SDK liq. price",
          "Bankr. price",
        ],
        r.positions.map((p) => [
          p.symbol,
          formatNumber(p.baseAssetAmount, 9),
          formatNumber(p.oraclePrice),
          formatNumber(p.notional),
          formatNumber(p.unrealizedPnl),
          `${formatPercent(p.maintenanceMarginRatio)}${p.maintenanceMarginRatio > p.maintenanceMarginRatioBase ? ` (base ${formatPercent(p.maintenanceMarginRatioBase)})` : ""}`,
          formatNumber(p.maintenanceMargin),
          p.liquidationPrice === null ? "none" : formatNumber(p.liquidationPrice),
          p.sdkLiquidationPrice === null ? "none" : formatNumber(p.sdkLiquidationPrice),
          p.bankruptcyPrice === null ? "none" : formatNumber(p.bankruptcyPrice),
        ]),
        { rightAlign: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
      ),
      "Liq. price: the oracle tick at which TC < MR on the exact calculation, other prices held; SDK liq. price: P − FC/ΔFC in floats.",
      ...r.positions.flatMap((p) => [
        ...(p.liquidationReason === null ? [] : [`${p.symbol} liquidation price: ${p.liquidationReason}`]),
        ...(p.bankruptcyReason === null ? [] : [`${p.symbol} bankruptcy price: ${p.bankruptcyReason}`]),
      ]),
    );
  out.push("", "Account", textTable([], driftAccountRows(r.account), { rightAlign: [1] }));
  return out;
}

function describeDriftAction(a: DriftWhatIfAction): string {
  switch (a.kind) {
    case "add-collateral":
      return `deposit ${a.amount} USDC`;
    case "remove-collateral":
      return `withdraw ${a.amount} USDC`;
    case "size":
      return `set position #${a.position} to ${a.size} base ${a.fillPrice === null ? "at the oracle" : `at ${a.fillPrice}`}`;
    case "target-liq-price":
      return `move position #${a.position}'s liquidation price to ${a.price}`;
  }
}

/** The readable form of a {@link DriftWhatIfReport}. */
export function driftWhatIfText(r: DriftWhatIfReport): Readable {
  const what = describeDriftAction(r.action);
  const out: Readable = [`What if: ${what}, Drift v2 (drift-v2), amounts in USDC`];
  if (r.collateralToAdd !== null)
    out.push(
      r.collateralToAdd.startsWith("-")
        ? `Collateral that can be withdrawn: ${r.collateralToAdd.slice(1)} USDC`
        : `Collateral to add: ${r.collateralToAdd} USDC`,
    );
  const lp = (x: number | null) => (x === null ? "none" : formatNumber(x));
  const rows = r.before.positions.map((p, i) => [
    `${p.symbol} liquidation price`,
    lp(p.liquidationPrice),
    lp(r.after.positions[i]?.liquidationPrice ?? null),
  ]);
  const after = driftAccountRows(r.after.account);
  rows.push(...driftAccountRows(r.before.account).map((row, i) => [...row, after[i]?.[1] ?? ""]));
  out.push(textTable(["", "Before", "After"], rows, { rightAlign: [1, 2] }));
  const v = r.verification;
  if (v !== null)
    out.push(
      `Check: recomputed liquidation price = ${lp(v.liquidationPrice)} (target ${formatNumber(v.targetPrice)}): ${v.matches ? `matches the target (within ${formatNumber(v.tolerance, 6)}, the program's price resolution for the position)` : "DOES NOT match the target"}`,
    );
  return out;
}

const DRIFT_OUTCOMES: Record<DriftLiquidateReport["outcome"], string> = {
  "not-liquidatable": "not liquidatable: total collateral covers the maintenance requirement",
  "exited-liquidation": "the user leaves liquidation (TC ≥ MR + buffer)",
  bankrupt: "every position is gone and the account is negative: bankruptcy resolved",
  "positions-closed": "every position is gone; the account stays solvent",
  stalled: "no liquidator call can take more (speed limit at 100 % and nothing freeable)",
};

/** The readable form of a {@link DriftLiquidateReport}. */
export function driftLiquidateText(r: DriftLiquidateReport): Readable {
  const out: Readable = ["Drift v2 (drift-v2): liquidate_perp sequence, amounts in USDC", ""];
  if (!r.liquidatable) {
    out.push(`Nothing to liquidate: ${DRIFT_OUTCOMES[r.outcome]}.`);
    return out;
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  out.push(
    "",
    textTable(
      [
        "Slot",
        "Market",
        "Shortage",
        "Liq. fee",
        "IF fee",
        "Base to cover",
        "Speed limit",
        "Base taken",
        "At price",
        "Liq. fee paid",
        "IF fee paid",
        "Shortage after",
      ],
      r.calls.map((c) => [
        `+${c.slotsElapsed}`,
        c.symbol,
        formatNumber(c.marginShortageBefore),
        formatPercent(c.liquidatorFee, 4),
        formatPercent(c.ifFee, 4),
        c.baseToCoverMarginShortage === null ? "all" : formatNumber(c.baseToCoverMarginShortage, 9),
        formatPercent(c.maxPctAllowed),
        formatNumber(c.baseTaken, 9),
        formatNumber(c.transferPrice),
        formatNumber(c.liquidatorFeePaid),
        formatNumber(c.ifFeePaid),
        formatNumber(c.marginShortageAfter),
      ]),
      { rightAlign: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    ),
  );
  const b = r.bankruptcy;
  if (b !== null)
    out.push(
      "",
      `Bankruptcy (${b.symbol})`,
      textTable(
        [],
        [
          ["Loss", formatNumber(b.loss)],
          ["Paid by the insurance fund", formatNumber(b.ifPayment)],
          ["Paid by the fee pool", formatNumber(b.feePoolPayment)],
          ["Socialised", formatNumber(b.socializedLoss)],
          ["Cumulative funding shift per base", formatNumber(b.cumulativeFundingRateDelta, 9)],
        ],
        { rightAlign: [1] },
      ),
    );
  out.push(
    "",
    `Outcome: ${DRIFT_OUTCOMES[r.outcome]}.`,
    textTable(
      ["", "Before", "After"],
      driftAccountRows(r.before).map((row, i) => [...row, driftAccountRows(r.after)[i]?.[1] ?? ""]),
      { rightAlign: [1, 2] },
    ),
  );
  return out;
}

/**
 * The text of `liqopt simulate` for a lending scenario (`"kind": "lending"`): what ran, the totals of
 * the lending engine, and a warning line for each thing the model flags.
 */
import type { LendingScenarioReport } from "../sim/venue/lending-scenario.js";
import { formatNumber, renderTable } from "./io.js";

/** The lending report as text: what ran, the totals, and a warning line for what the model flags. */
export function renderLendingSimulate(r: LendingScenarioReport): string {
  const t = r.totals;
  const usd = (x: number) => formatNumber(x + 0, 0);
  const rows: [string, string][] = [
    ["liquidation calls", formatNumber(t.calls, 0)],
    ["debt repaid (USD)", usd(t.repaidUsd)],
    ["collateral seized (USD)", usd(t.seizedUsd)],
    ["liquidation bonus (USD)", usd(t.bonusUsd)],
    ["  of it to the treasury (USD)", usd(t.protocolFeeUsd)],
    ["deficit written off (USD)", usd(t.deficitUsd)],
    ["  of it, accounts with lagging-oracle collateral (USD)", usd(r.laggingDeficitUsd)],
    ["accounts written off", formatNumber(t.deficitAccounts, 0)],
    ["bad debt left on the book (USD)", usd(r.underwaterUsd)],
    ["account-steps no liquidator would take", formatNumber(t.unprofitable, 0)],
    ["toxic calls (lowered HF)", formatNumber(t.toxicCalls, 0)],
    ["liquidators' result after gas (USD)", usd(t.liquidatorPnlUsd)],
  ];
  const warnings = [
    ...(r.toxicAssets.length > 0
      ? [
          `warning: LT·(1 + bonus) ≥ 1 for ${r.toxicAssets.join(", ")}: each liquidation of it lowers the health factor`,
        ]
      : []),
    ...(t.unprofitable > 0
      ? [
          `warning: ${formatNumber(t.unprofitable, 0)} account-steps were liquidatable but unprofitable at the market`,
        ]
      : []),
    ...(r.reconciliation.reconciled ? [] : [`warning: ${r.reconciliation.note}`]),
  ];
  return [
    `lending market: ${r.accounts} accounts, seed ${r.seed}; replay of ${r.dataset} ${r.from.slice(0, 16)} → ${r.to.slice(0, 16)} UTC, ${r.steps} steps`,
    renderTable(["metric", "value"], rows, { rightAlign: [1] }),
    `reconciliation: ${r.reconciliation.note}`,
    ...warnings,
  ].join("\n");
}

/**
 * The text of `liqopt simulate` for a lending scenario (`"kind": "lending"`): what ran, the totals of
 * the lending engine, and a warning line for each thing the model flags.
 */
import type { CompoundScenarioReport, LendingScenarioReport } from "../sim/venue/lending-scenario.js";
import { formatNumber, renderTable } from "./io.js";

/** The lending report as text: what ran, the totals, and a warning line for what the model flags. */
export function renderLendingSimulate(r: LendingScenarioReport): string {
  const t = r.totals;
  const rows: [string, string][] =
    r.compound === undefined ? aaveRows(r) : compoundRows(r.compound, t.liquidatorPnlUsd);
  const c = r.compound?.totals;
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
    ...(c !== undefined && c.storeFrontUnprofitable > 0
      ? [
          `warning: ${formatNumber(c.storeFrontUnprofitable, 0)} asset-steps had collateral for sale on the store front that no buyer would take at the market`,
        ]
      : []),
    ...(r.compound !== undefined && r.compound.reservesMin < 0
      ? [
          `warning: the reserves went negative (lowest ${usd(r.compound.reservesMin)} ${r.compound.baseSymbol}): the protocol's deficit`,
        ]
      : []),
    ...(r.reconciliation.reconciled ? [] : [`warning: ${r.reconciliation.note}`]),
  ];
  const book =
    r.populationFile === undefined
      ? `${r.accounts} accounts, seed ${r.seed}`
      : `${r.accounts} accounts from ${r.populationFile}`;
  const venue =
    r.compound === undefined ? "lending market" : `lending market (Compound III, ${r.compound.market})`;
  return [
    `${venue}: ${book}; replay of ${r.dataset} ${r.from.slice(0, 16)} → ${r.to.slice(0, 16)} UTC, ${r.steps} steps`,
    renderTable(["metric", "value"], rows, { rightAlign: [1] }),
    `reconciliation: ${r.reconciliation.note}`,
    ...warnings,
  ].join("\n");
}

const usd = (x: number) => formatNumber(x + 0, 0);

/** The Compound III rows: absorbs, reserves and the store front. */
function compoundRows(c: CompoundScenarioReport, pnlUsd: number): [string, string][] {
  const t = c.totals;
  const base = c.baseSymbol;
  return [
    ["accounts absorbed", formatNumber(t.absorbs, 0)],
    ["debt absorbed (USD)", usd(t.absorbedDebtUsd)],
    ["collateral seized (USD)", usd(t.seizedUsd)],
    ["  excess credited to accounts (USD)", usd(t.creditUsd)],
    ["  shortfall: debt above the credit (USD)", usd(t.shortfallUsd)],
    [`reserves at the start (${base})`, usd(c.reservesStart)],
    [`reserves at the end (${base})`, usd(c.reservesEnd)],
    [`lowest reserves (${base})`, usd(c.reservesMin)],
    [`target reserves (${base})`, usd(c.targetReserves)],
    ["store-front sales (buyCollateral)", formatNumber(t.storeFrontSales, 0)],
    ["  base paid into reserves (USD)", usd(t.storeFrontBaseUsd)],
    ["  collateral sold (USD at the oracle)", usd(t.storeFrontCollateralUsd)],
    ["collateral left with the protocol (USD)", usd(c.protocolCollateralUsd)],
    ["absorbers' and buyers' result after gas (USD)", usd(pnlUsd)],
  ];
}

/** The Aave v3.3 rows: calls, bonus, deficit. */
function aaveRows(r: LendingScenarioReport): [string, string][] {
  const t = r.totals;
  return [
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
}

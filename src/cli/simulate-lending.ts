/**
 * The text of `liqopt simulate` for a lending scenario (`"kind": "lending"`): what ran, the totals of
 * the lending engine (a replay) or the estimates with their 95 % intervals (Monte Carlo), and a
 * warning line for each thing the model flags; the HTML report of a Monte Carlo run adds the
 * bad-debt distribution.
 */
import { badDebtHistogramChart } from "../report/venue-charts.js";
import type {
  CompoundScenarioReport,
  LendingMonteCarloReport,
  LendingScenarioReport,
} from "../sim/venue/lending-scenario.js";
import { renderHeadlineTable } from "./headline-table.js";
import { formatNumber, formatPercent, renderTable } from "./io.js";
import { renderSimulatePage } from "./simulate-page.js";

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

/** The warning line of a Monte Carlo run stopped by a failed batch (the figures cover the completed paths). */
export function lendingFailureWarning(r: LendingMonteCarloReport): string[] {
  const f = r.failure;
  if (f === undefined) return [];
  return [
    `warning: the run failed in round ${f.round} on worker ${f.stream} (${f.message}); the figures are a partial result over the ${r.paths} paths completed`,
  ];
}

/** A Monte Carlo lending run as text: what ran, the estimates with their intervals, and the warnings. */
export function renderLendingMonteCarlo(r: LendingMonteCarloReport): string {
  const m = r.model;
  const inn =
    m.innovations.kind === "normal" ? "normal shocks" : `Student-t shocks (ν = ${m.innovations.nu})`;
  const vols = r.symbols.map((s, i) => `${s} ${formatPercent(m.annualVol[i] as number, 0)}`).join(", ");
  const value = (key: string) => r.headline.find((h) => h.key === key)?.value ?? 0;
  const stop = r.stoppedBy === "tolerance" ? " (stopped at the bad debt's target standard error)" : "";
  const book =
    r.populationFile === undefined
      ? `${r.accounts} accounts (book seed ${r.bookSeed})`
      : `${r.accounts} accounts from ${r.populationFile}`;
  return [
    `lending market: ${book}; ${r.paths} Monte Carlo paths${stop}, seed ${r.seed}, ${r.workers} worker(s); ${r.steps} steps of ${r.stepMinutes} min`,
    `paths: correlated ${inn}; annual vol ${vols}`,
    renderHeadlineTable(r.headline, true),
    ...lendingFailureWarning(r),
    ...(r.toxicAssets.length > 0
      ? [
          `warning: LT·(1 + bonus) ≥ 1 for ${r.toxicAssets.join(", ")}: each liquidation of it lowers the health factor`,
        ]
      : []),
    ...(value("unprofitable") > 0
      ? [
          `warning: ${formatNumber(value("unprofitable"), 1)} account-steps per path (mean) were liquidatable but unprofitable at the market`,
        ]
      : []),
    ...(r.ledgerImbalance > 1e-9
      ? [`warning: the ledger is off by ${r.ledgerImbalance.toExponential(2)} (relative) on some path`]
      : []),
    `warning: ${r.reconciliation.note}`,
  ].join("\n");
}

/** The HTML report of a Monte Carlo lending run: the text and the bad-debt distribution. */
export function renderLendingMonteCarloHtml(r: LendingMonteCarloReport): string {
  return renderSimulatePage(" (lending)", "Lending market: Monte Carlo", renderLendingMonteCarlo(r), [
    badDebtHistogramChart(r, r.badDebt),
  ]);
}

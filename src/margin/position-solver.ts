import { accountMargin, isBelowMaintenance, maintenanceTerm, marginBalance, pnlTerm } from "./account.js";
import { type MarkGroup, marginSums, markGroups } from "./group.js";
import {
  accountSolveInputs,
  liquidationPrices,
  type PositionLiquidation,
  solveGroupInto,
} from "./liquidation.js";
import type { Account, MarginRules, Position } from "./types.js";

/** What the engine says of one position of an account: its prices and the margin that decides them. */
export interface PositionSolution {
  /** `liquidationPrices(account, rules)[index]`. */
  liquidation: PositionLiquidation;
  /** `accountMargin(account, rules).equity`. */
  equity: number;
  /** The position's `isolatedEquity` in `accountMargin` (null in cross mode). */
  isolatedEquity: number | null;
  /** The position's `liquidatable` in `accountMargin`. */
  liquidatable: boolean;
}

/** {@link positionSolver}: the position it solves, under which rules, and the solve. */
export interface PositionSolver {
  readonly index: number;
  readonly rules: MarginRules;
  solve(account: Account): PositionSolution;
}

/**
 * Position `index` of an account solved again and again as its collateral (the wallet, or its
 * isolated margin) or the position itself (size, entry, funding) changes, every other position held:
 * what a search on collateral or size (the trader's bisections) asks of the engine at each step.
 * Built once from `account` (linear in the number of positions n); `solve(changed)` returns exactly
 * `liquidationPrices(changed, rules)[index]` and what `accountMargin(changed, rules)` says of the
 * position — the same floating-point operations in the same order, so bit for bit — while doing
 * the per-position work (exposures, tiers, groups) for the changed position and its mark group only:
 * the other positions' terms of the account's sums are kept, and the sums are taken again over them
 * in position order (n additions, as floating-point sums depend on their order).
 *
 * `changed` qualifies when it has the same margin mode and number of positions, the position keeps
 * its symbol, and every other position is the same object as in `account`; otherwise, and for rules
 * with a fee to close (every group's fee moves with the wallet through its bankruptcy price), `solve`
 * runs the whole-account `liquidationPrices` and `accountMargin`.
 */
export function positionSolver(account: Account, rules: MarginRules, index: number): PositionSolver {
  const whole = (changed: Account): PositionSolution => {
    const row = accountMargin(changed, rules);
    const own = row.positions[index];
    return {
      liquidation: liquidationPrices(changed, rules)[index] as PositionLiquidation,
      equity: row.equity,
      isolatedEquity: own?.isolatedEquity ?? null,
      liquidatable: own?.liquidatable === true,
    };
  };
  const base = account.positions[index];
  if (rules.closeFeeRate !== 0 || base === undefined) return { index, rules, solve: whole };
  const positions = account.positions.slice();
  const n = positions.length;
  // The terms of liquidationPrices' pass (`each`; fees are 0 without a fee to close) and of accountMargin's.
  const inputs = accountSolveInputs(account, rules);
  const pnl = new Float64Array(n);
  const maintenance = new Float64Array(n);
  const isolatedMargin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = positions[k] as Position;
    pnl[k] = pnlTerm(p);
    maintenance[k] = maintenanceTerm(p, rules, 0);
    isolatedMargin[k] = p.isolatedMargin ?? 0;
  }
  const { positions: members, indices } = markGroups(account).find((g) =>
    g.indices.includes(index),
  ) as MarkGroup;
  const group = members.slice();
  const slot = indices.indexOf(index);
  const own = { equity: new Float64Array(1), maintenance: new Float64Array(1) };
  const out = new Array<PositionLiquidation>(n);
  const qualifies = (changed: Account): boolean => {
    if (changed.marginMode !== account.marginMode || changed.positions.length !== n) return false;
    for (let k = 0; k < n; k++) if (k !== index && changed.positions[k] !== positions[k]) return false;
    return (changed.positions[index] as Position).instrument.symbol === base.instrument.symbol;
  };
  const solve = (changed: Account): PositionSolution => {
    if (!qualifies(changed)) return whole(changed);
    const p = changed.positions[index] as Position;
    marginSums([p], rules, own);
    inputs.each.equity[index] = own.equity[0] as number;
    inputs.each.maintenance[index] = own.maintenance[0] as number;
    pnl[index] = pnlTerm(p);
    maintenance[index] = maintenanceTerm(p, rules, 0);
    isolatedMargin[index] = p.isolatedMargin ?? 0;
    let equitySum = 0;
    let maintenanceSum = 0;
    let pnlSum = 0;
    let mmSum = 0;
    let isolatedSum = 0;
    for (let k = 0; k < n; k++) {
      equitySum += inputs.each.equity[k] as number;
      maintenanceSum += inputs.each.maintenance[k] as number;
      pnlSum += pnl[k] as number;
      mmSum += maintenance[k] as number;
      isolatedSum += isolatedMargin[k] as number;
    }
    group[slot] = p;
    const all = { equity: equitySum, maintenance: maintenanceSum };
    solveGroupInto(changed, rules, { ...inputs, all }, group, indices, out);
    const equity = marginBalance(changed, pnlSum, isolatedSum);
    const isolated = changed.marginMode === "isolated";
    const isolatedEquity = isolated ? (isolatedMargin[index] as number) + (pnl[index] as number) : null;
    return {
      liquidation: out[index] as PositionLiquidation,
      equity,
      isolatedEquity,
      liquidatable:
        isolatedEquity === null
          ? isBelowMaintenance(equity, mmSum, rules)
          : isBelowMaintenance(isolatedEquity, maintenance[index] as number, rules),
    };
  };
  return { index, rules, solve };
}

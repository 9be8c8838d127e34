import { closeFees, marginSums, positionTierMaintenance } from "./group.js";
import { affineExposure, notionalAt, toCoordinate, unrealizedPnlAt } from "./position.js";
import { tierFor, tierIndex } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

/** Margin figures of one position at its mark price, in the margin asset. */
export interface PositionMargin {
  /** Notional at the mark price. */
  notional: number;
  /** Notional on which maintenance margin is computed (mark or entry, per venue). */
  maintenanceNotional: number;
  /** 0-based index of the tier used for maintenance margin. */
  tier: number;
  /** Leverage used for initial margin: the position's own, else the tier's maximum. */
  leverage: number;
  /** `notional / leverage`. */
  initialMargin: number;
  /**
   * `maintenanceNotional·mmr − cum`, plus the estimated fee to close at the bankruptcy price where the
   * venue counts it (see `closeFees`).
   */
  maintenanceMargin: number;
  unrealizedPnl: number;
  /** Margin backing the position alone: isolated margin + uPnL + funding (isolated mode only). */
  isolatedEquity: number | null;
  /** Whether the venue would liquidate this position now. */
  liquidatable: boolean;
}

/** Margin figures of an account at its mark prices. */
export interface AccountMargin {
  /** Margin balance: wallet + unrealised PnL + accrued funding (+ isolated margins in isolated mode). */
  equity: number;
  maintenanceMargin: number;
  initialMargin: number;
  /**
   * Margin ratio as venues display it, `maintenanceMargin / equity`; liquidation at ≥ 1 (100 %).
   * `Infinity` when equity ≤ 0 and maintenance margin is positive.
   */
  marginRatio: number;
  /** The inverse view, `equity / maintenanceMargin`; liquidation below 1. `Infinity` with no margin due. */
  equityToMaintenance: number;
  /** Cross: `equity − initialMargin`; isolated: the wallet balance not assigned to any position. */
  freeCollateral: number;
  /** Cross: the account is liquidatable; isolated: at least one position is. */
  liquidatable: boolean;
  positions: PositionMargin[];
}

/** Whether `equity` against `maintenance` liquidates under `rules`. */
export function isBelowMaintenance(equity: number, maintenance: number, rules: MarginRules): boolean {
  return rules.liquidateAtEquality ? equity <= maintenance : equity < maintenance;
}

/**
 * Margin of every position and of the account at current mark prices.
 * Equity `= W + Σ uPnL_i + Σ funding_i`; maintenance margin `= Σ (N_i·mmr_k − cum_k + fee_i)`, with
 * `fee_i` the fee to close at the bankruptcy price where the venue counts one (`closeFees`)
 * (Binance "Binance Futures Liquidation Protocols": liquidation when margin ratio
 * `MM / margin balance ≥ 100 %`); initial margin `= N_i / leverage_i`.
 */
export function accountMargin(account: Account, rules: MarginRules): AccountMargin {
  const isolated = account.marginMode === "isolated";
  let pnlSum = 0;
  let maintenance = 0;
  let initial = 0;
  let isolatedSum = 0;
  const fees = rules.closeFeeRate === 0 ? undefined : accountCloseFees(account, rules);
  const rows = account.positions.map((p, i) => {
    const e = affineExposure(p, rules.maintenanceBasis);
    const maintenanceNotional = e.n * toCoordinate(p, p.markPrice) + e.m;
    const k = tierIndex(p.tiers, maintenanceNotional);
    const notional = notionalAt(p, p.markPrice);
    const leverage = p.leverage ?? tierFor(p.tiers, notional).maxLeverage;
    const mm = maintenanceTerm(p, rules, fees?.[i] ?? 0);
    const pnl = pnlTerm(p);
    const isolatedEquity = isolated ? (p.isolatedMargin ?? 0) + pnl : null;
    pnlSum += pnl;
    maintenance += mm;
    initial += notional / leverage;
    isolatedSum += p.isolatedMargin ?? 0;
    return {
      notional,
      maintenanceNotional,
      tier: k,
      leverage,
      initialMargin: notional / leverage,
      maintenanceMargin: mm,
      unrealizedPnl: pnl - p.accruedFunding,
      isolatedEquity,
      liquidatable: isolatedEquity !== null && isBelowMaintenance(isolatedEquity, mm, rules),
    };
  });
  const equity = marginBalance(account, pnlSum, isolatedSum);
  const crossLiquidatable = !isolated && rows.length > 0 && isBelowMaintenance(equity, maintenance, rules);
  if (crossLiquidatable) for (const r of rows) r.liquidatable = true;
  return {
    equity,
    maintenanceMargin: maintenance,
    initialMargin: initial,
    marginRatio: ratio(maintenance, equity),
    equityToMaintenance: ratio(equity, maintenance),
    freeCollateral: isolated ? account.walletBalance : equity - initial,
    liquidatable: isolated ? rows.some((r) => r.liquidatable) : crossLiquidatable,
    positions: rows,
  };
}

/** A position's term of {@link accountMargin}'s equity: `uPnL + funding` at its mark. */
export function pnlTerm(p: Position): number {
  return unrealizedPnlAt(p, p.markPrice) + p.accruedFunding;
}

/** A position's term of {@link accountMargin}'s maintenance margin: the tier part at its mark plus `fee`, its fee to close. */
export function maintenanceTerm(p: Position, rules: MarginRules, fee: number): number {
  return positionTierMaintenance(p, rules) + fee;
}

/**
 * {@link AccountMargin.equity} from the sums of {@link pnlTerm} and of the isolated margins, each taken
 * in position order: `W + Σ (uPnL + funding)`, plus `Σ isolated margin` in isolated mode.
 */
export function marginBalance(account: Account, pnlSum: number, isolatedSum: number): number {
  return account.walletBalance + pnlSum + (account.marginMode === "isolated" ? isolatedSum : 0);
}

/** Every position's fee to close at its group's bankruptcy price (`closeFees`). */
function accountCloseFees(account: Account, rules: MarginRules): Float64Array {
  const n = account.positions.length;
  const each = { equity: new Float64Array(n), maintenance: new Float64Array(n) };
  return closeFees(account, rules, each.equity, marginSums(account.positions, rules, each).equity).fee;
}

/** `num / den`, with `Infinity` (or 0 for a zero numerator) when the denominator is not positive. */
function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num > 0 ? Number.POSITIVE_INFINITY : num === 0 ? 0 : Number.POSITIVE_INFINITY;
}

import { type AffineExposure, affineExposure, toCoordinate } from "./position.js";
import { tierFor } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

/**
 * The positions that move with `position`'s mark: itself in isolated mode, every position on its
 * symbol in cross mode (Binance: "long and short of the same symbol share one liquidation price").
 */
export function groupOf(account: Account, position: Position): Position[] {
  return account.marginMode === "isolated"
    ? [position]
    : account.positions.filter((p) => p.instrument.symbol === position.instrument.symbol);
}

/** A group of positions sharing one mark (see {@link groupOf}) and their indices in the account. */
export interface MarkGroup {
  positions: Position[];
  indices: number[];
}

/**
 * Every group of an account in one pass, in the order of their first position: each position alone
 * (isolated), or the positions of each symbol (cross). Linear in the number of positions.
 */
export function markGroups(account: Account): MarkGroup[] {
  if (account.marginMode === "isolated")
    return account.positions.map((p, i) => ({ positions: [p], indices: [i] }));
  const bySymbol = new Map<string, MarkGroup>();
  const groups: MarkGroup[] = [];
  for (let i = 0; i < account.positions.length; i++) {
    const p = account.positions[i] as Position;
    const group = bySymbol.get(p.instrument.symbol);
    if (group === undefined) {
      const created = { positions: [p], indices: [i] };
      bySymbol.set(p.instrument.symbol, created);
      groups.push(created);
    } else {
      group.positions.push(p);
      group.indices.push(i);
    }
  }
  return groups;
}

/**
 * Margin of positions at their marks, each sum taken in position order: `equity = Σ (uPnL_i +
 * funding_i)` and `maintenance = Σ MM_i` (the fee to close included where the venue counts it).
 */
export interface MarginSums {
  equity: number;
  maintenance: number;
}

/**
 * The {@link MarginSums} of `positions` at their marks under `rules`. When `each` is given, the
 * terms of position `i` are also written to `each.equity[i]` and `each.maintenance[i]`, so that the
 * sums of any subset can be taken again in the same order ({@link sumOver}) without recomputing them.
 */
export function marginSums(
  positions: readonly Position[],
  rules: MarginRules,
  each?: { equity: Float64Array; maintenance: Float64Array },
): MarginSums {
  let equity = 0;
  let maintenance = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i] as Position;
    const e = affineExposure(p, "mark");
    const u = toCoordinate(p, p.markPrice);
    const pnl = e.a * u + e.b + p.accruedFunding;
    const mm = maintenanceAt(p, rules, u, e);
    if (each !== undefined) {
      each.equity[i] = pnl;
      each.maintenance[i] = mm;
    }
    equity += pnl;
    maintenance += mm;
  }
  return { equity, maintenance };
}

/** `Σ values[i]` over `indices`, in their order. */
export function sumOver(values: Float64Array, indices: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < indices.length; j++) sum += values[indices[j] as number] as number;
  return sum;
}

/** The margin that stays fixed while a group's mark moves (see {@link groupConstants}). */
export interface GroupConstants {
  /** Without the other positions' maintenance margin (Binance `WB + UPNL1`): the bankruptcy solve's. */
  equity: number;
  /** With it (Binance `WB − TMM1 + UPNL1`): the liquidation solve's. */
  liquidation: number;
}

/**
 * The {@link GroupConstants} of a cross group from the wallet `W`, the account's sums and the group's
 * own: `equity = W + (Σ_all − Σ_group)(uPnL + funding)`, `liquidation = equity − (Σ_all − Σ_group) MM`.
 * The other positions enter as the account's sums less the group's own, so that every group of an
 * account is solved from one pass over it; for an account of one group the difference is exactly 0.
 */
export function crossConstants(walletBalance: number, all: MarginSums, own: MarginSums): GroupConstants {
  const equity = walletBalance + (all.equity - own.equity);
  return { equity, liquidation: equity - (all.maintenance - own.maintenance) };
}

/**
 * The {@link GroupConstants} of `group`: in isolated mode the position's isolated margin for both; in
 * cross mode {@link crossConstants} of the account's and the group's {@link marginSums}.
 */
export function groupConstants(
  account: Account,
  rules: MarginRules,
  group: readonly Position[],
): GroupConstants {
  if (account.marginMode === "isolated") {
    const margin = group[0]?.isolatedMargin ?? 0;
    return { equity: margin, liquidation: margin };
  }
  return crossConstants(
    account.walletBalance,
    marginSums(account.positions, rules),
    marginSums(group, rules),
  );
}

/** Outcome of the bankruptcy solve in the price coordinate. */
export interface CoordinateOrReason {
  u: number | null;
  reason: string | null;
}

/**
 * The bankruptcy coordinate of a group: where equity less the fee to close at that very price is
 * zero, `C + Σ(a_i·u + b_i + funding_i) − fee·Σ units_i·u = 0`, so
 * `u* = −(C + Σ b_i + Σ funding_i) / Σ (a_i − units_i·fee)`.
 * With fee 0 this is Binance's bankruptcy price (the liquidation formula with mmr = cum = 0); with
 * Bybit's taker fee it is the help centre's `BP = (1 + fee)·Q / (Q/Entry + Margin)` for inverse longs.
 * `exposures[i]` is member `i`'s `affineExposure` under the venue's maintenance basis.
 */
export function bankruptcyCoordinate(
  group: readonly Position[],
  exposures: readonly AffineExposure[],
  rules: MarginRules,
  constant: number,
): CoordinateOrReason {
  const first = group[0];
  if (first === undefined) return { u: null, reason: "no position" };
  let c = constant;
  let d = 0;
  for (let i = 0; i < group.length; i++) {
    const e = exposures[i] as AffineExposure;
    c += e.b + (group[i] as Position).accruedFunding;
    d += e.a - e.units * rules.closeFeeRate;
  }
  if (d === 0) {
    return {
      u: null,
      reason: "the positions on this symbol offset each other: equity does not move with price",
    };
  }
  const u = -c / d;
  if (u > 0 && Number.isFinite(u)) return { u, reason: null };
  // No root at a positive price: equity has the sign of `d` at every price.
  if (d < 0)
    return { u: null, reason: "equity is negative at every price: the position is already bankrupt" };
  const linear = first.instrument.kind === "linear";
  return {
    u: null,
    reason: linear
      ? "equity stays positive at every price down to 0"
      : "equity stays positive at every price upwards",
  };
}

/**
 * Maintenance margin a venue requires of a position at price coordinate `u`: the tier part plus the
 * estimated fee to close at that price, `N_basis(u)·mmr_k − cum_k + units·u·closeFeeRate` (Bybit's
 * "fee to close"; zero for venues whose liquidation price counts no fee), where `N_basis` is the
 * maintenance notional (at `u`, or at entry for venues with an entry basis), `k` its tier and `mark`
 * the position's exposure on the mark basis (see `affineExposure`). Charging the fee at the
 * price where the position is closed keeps maintenance margin affine in `u` within a tier, so the
 * liquidation solve stays exact; Bybit's page freezes it at the bankruptcy price instead, which
 * differs by the fee on the gap between the two prices (2e-6 of the price in its inverse example).
 */
function maintenanceAt(position: Position, rules: MarginRules, u: number, mark: AffineExposure): number {
  const e = rules.maintenanceBasis === "mark" ? mark : affineExposure(position, rules.maintenanceBasis);
  const notional = e.n * u + e.m;
  const tier = tierFor(position.tiers, notional);
  return notional * tier.mmr - tier.cum + mark.units * u * rules.closeFeeRate;
}

/** Maintenance margin a venue requires of a position at its mark price (see {@link maintenanceAt}). */
export function positionMaintenanceMargin(position: Position, rules: MarginRules): number {
  return maintenanceAt(
    position,
    rules,
    toCoordinate(position, position.markPrice),
    affineExposure(position, "mark"),
  );
}

import { affineExposure, toCoordinate } from "./position.js";
import { tierFor } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

/**
 * Maintenance margin of a position from its tier alone, at price coordinate `u`
 * (`u = P` linear, `u = 1/P` inverse; see `affineExposure`): `N(u)·mmr_k − cum_k`, where `N` is the
 * maintenance notional (at `u`, or at entry for venues with an entry basis) and `k` its tier.
 */
export function tierMaintenanceAt(position: Position, rules: MarginRules, u: number): number {
  const e = affineExposure(position, rules.maintenanceBasis);
  const notional = e.n * u + e.m;
  const tier = tierFor(position.tiers, notional);
  return notional * tier.mmr - tier.cum;
}

/**
 * The positions that move with `position`'s mark: itself in isolated mode, every position on its
 * symbol in cross mode (Binance: "long and short of the same symbol share one liquidation price").
 */
export function groupOf(account: Account, position: Position): Position[] {
  return account.marginMode === "isolated"
    ? [position]
    : account.positions.filter((p) => p.instrument.symbol === position.instrument.symbol);
}

/**
 * Margin that does not move with the group's mark, without maintenance margin: the isolated margin,
 * or (cross) the wallet plus the PnL and funding of the positions on other symbols at their marks.
 */
export function equityConstant(account: Account, group: readonly Position[]): number {
  if (account.marginMode === "isolated") return group[0]?.isolatedMargin ?? 0;
  let c = account.walletBalance;
  for (const p of account.positions) {
    if (group.includes(p)) continue;
    const e = affineExposure(p, "mark");
    c += e.a * toCoordinate(p, p.markPrice) + e.b + p.accruedFunding;
  }
  return c;
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
 */
export function bankruptcyCoordinate(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
): CoordinateOrReason {
  const first = group[0];
  if (first === undefined) return { u: null, reason: "no position" };
  let c = constant;
  let d = 0;
  for (const p of group) {
    const e = affineExposure(p, rules.maintenanceBasis);
    c += e.b + p.accruedFunding;
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
 * "fee to close"; zero for venues whose liquidation price counts no fee). Charging the fee at the
 * price where the position is closed keeps maintenance margin affine in `u` within a tier, so the
 * liquidation solve stays exact; Bybit's page freezes it at the bankruptcy price instead, which
 * differs by the fee on the gap between the two prices (2e-6 of the price in its inverse example).
 */
export function maintenanceAt(position: Position, rules: MarginRules, u: number): number {
  return (
    tierMaintenanceAt(position, rules, u) + affineExposure(position, "mark").units * u * rules.closeFeeRate
  );
}

/** Maintenance margin a venue requires of a position at its mark price (see {@link maintenanceAt}). */
export function positionMaintenanceMargin(position: Position, rules: MarginRules): number {
  return maintenanceAt(position, rules, toCoordinate(position, position.markPrice));
}

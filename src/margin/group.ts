import { type AffineExposure, affineExposure, toCoordinate } from "./position.js";
import { tierFor } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

/**
 * A group of positions sharing one mark, and their indices in the account: the position alone in
 * isolated mode, every position on its symbol in cross mode (Binance: "long and short of the same
 * symbol share one liquidation price").
 */
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
 * funding_i)` and `maintenance = Σ (N_i·mmr_k − cum_k)`, the tier part (the fee to close, charged at
 * the bankruptcy price, is {@link closeFees}).
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
    const mm = tierMaintenanceAt(p, rules, u, e);
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

/** The margin that stays fixed while a cross group's mark moves (see {@link crossConstants}). */
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

/** Outcome of the bankruptcy solve in the price coordinate. */
export interface CoordinateOrReason {
  u: number | null;
  reason: string | null;
  /** `d = Σ (a_i − units_i·fee)`: equity less the fee to close per unit of `u` (0 without a position). */
  slope: number;
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
  if (first === undefined) return { u: null, reason: "no position", slope: 0 };
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
      slope: d,
    };
  }
  const u = -c / d;
  if (u > 0 && Number.isFinite(u)) return { u, reason: null, slope: d };
  // No root at a positive price: equity has the sign of `d` at every price.
  if (d < 0)
    return {
      u: null,
      reason: "equity is negative at every price: the position is already bankrupt",
      slope: d,
    };
  const linear = first.instrument.kind === "linear";
  return {
    u: null,
    reason: linear
      ? "equity stays positive at every price down to 0"
      : "equity stays positive at every price upwards",
    slope: d,
  };
}

/**
 * The tier part of the maintenance margin a venue requires of a position at price coordinate `u`,
 * `N_basis(u)·mmr_k − cum_k`, where `N_basis` is the maintenance notional (at `u`, or at entry for
 * venues with an entry basis), `k` its tier and `mark` the position's exposure on the mark basis (see
 * `affineExposure`). The fee to close is added by {@link closeFees}.
 */
function tierMaintenanceAt(position: Position, rules: MarginRules, u: number, mark: AffineExposure): number {
  const e = rules.maintenanceBasis === "mark" ? mark : affineExposure(position, rules.maintenanceBasis);
  const notional = e.n * u + e.m;
  const tier = tierFor(position.tiers, notional);
  return notional * tier.mmr - tier.cum;
}

/** The tier part of a position's maintenance margin at its mark price (see {@link tierMaintenanceAt}). */
export function positionTierMaintenance(position: Position, rules: MarginRules): number {
  return tierMaintenanceAt(
    position,
    rules,
    toCoordinate(position, position.markPrice),
    affineExposure(position, "mark"),
  );
}

/**
 * The estimated fee to close of every position of an account, charged at its group's bankruptcy price
 * (Bybit: "Bankruptcy Price is also used to calculate the fee to close position", help centre article
 * 360011431853; the inverse cross equation of article 360039261334 subtracts `Quantity × 0.00075 /
 * Bankruptcy Price`): `fee_i = closeFeeRate · units_i · u_B`, `units_i·u_B` the notional at the
 * bankruptcy price, `u_B = −c/d` the group's bankruptcy coordinate ({@link bankruptcyCoordinate}) with
 * `c` its margin and the other symbols at their marks. Where `−c/d ≤ 0` the group has no bankruptcy
 * price at a positive price: it never goes bankrupt on its losing side (a 1x long, a fully backed
 * inverse short) or is bankrupt at every price; its bankruptcy price is then at the end of the price
 * range (0 or infinity), where the notional, and so the fee, is 0 — the limit of `fee·units·u_B` as
 * `u_B → 0`, so the fee is continuous in the margin. A hedge-mode pair, or legs that offset (`d = 0`),
 * have no price to charge it at: their fee is charged at the mark.
 * `perMargin[i] = ∂fee_i/∂c = −closeFeeRate·units_i/d` is how the fee moves with the margin its group's
 * bankruptcy solve holds fixed (0 for a fee at the mark or none): the liquidation solve and the
 * collateral what-if use it to keep the bankruptcy price, and so the fee, consistent with the price
 * and collateral they move. `equity[i]` is position `i`'s `uPnL + funding` at its mark, as
 * {@link marginSums} writes it, and `totalEquity` their sum.
 */
export function closeFees(
  account: Account,
  rules: MarginRules,
  equity: Float64Array,
  totalEquity: number,
): CloseFees {
  const n = account.positions.length;
  const out: CloseFees = {
    fee: new Float64Array(n),
    perMargin: new Float64Array(n),
    atMark: new Uint8Array(n),
    total: 0,
    totalPerMargin: 0,
  };
  const rate = rules.closeFeeRate;
  if (rate === 0) return out;
  for (const { positions: group, indices } of markGroups(account)) {
    const exposures = group.map((p) => affineExposure(p, rules.maintenanceBasis));
    const margin =
      account.marginMode === "isolated"
        ? (group[0]?.isolatedMargin ?? 0)
        : account.walletBalance + totalEquity - sumOver(equity, indices);
    const bank = bankruptcyCoordinate(group, exposures, rules, margin);
    const hedged = group.some((p) => p.size > 0) && group.some((p) => p.size < 0);
    for (let j = 0; j < group.length; j++) {
      const i = indices[j] as number;
      const p = group[j] as Position;
      const units = (exposures[j] as AffineExposure).units;
      if (hedged || bank.slope === 0) {
        out.fee[i] = rate * units * toCoordinate(p, p.markPrice);
        out.atMark[i] = 1;
      } else if (bank.u !== null) {
        out.fee[i] = rate * units * bank.u;
        out.perMargin[i] = (-rate * units) / bank.slope;
      }
      out.total += out.fee[i] as number;
      out.totalPerMargin += out.perMargin[i] as number;
    }
  }
  return out;
}

/** The fees to close of {@link closeFees}, per position and summed. */
export interface CloseFees {
  fee: Float64Array;
  perMargin: Float64Array;
  /** 1 where the fee is charged at the position's own mark (it moves with that mark), else 0. */
  atMark: Uint8Array;
  total: number;
  totalPerMargin: number;
}

import { maintenanceAt } from "./account.js";
import { affineExposure, fromCoordinate, toCoordinate } from "./position.js";
import { tierFor } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

/** A price that may not exist; when it does not, `reason` says why in words a trader can act on. */
export interface PriceOrReason {
  price: number | null;
  reason: string | null;
}

/** Liquidation and bankruptcy price of one position. */
export interface PositionLiquidation {
  /** Mark price at which equity equals maintenance margin, others held at their marks. */
  liquidationPrice: number | null;
  liquidationReason: string | null;
  /** Mark price at which equity is zero, others held at their marks. */
  bankruptcyPrice: number | null;
  bankruptcyReason: string | null;
}

/** `f(u) = slope·u + intercept` on one piece of the tier schedule. */
interface AffinePiece {
  slope: number;
  intercept: number;
}

/**
 * Equity minus maintenance margin of a group of positions sharing one mark price, as an affine
 * function of the price coordinate `u` (`u = P` linear, `u = 1/P` inverse) with every member's tier
 * fixed at the tier it has at `u`:
 * `f(u) = C + Σ_i [a_i·u + b_i + funding_i − (n_i·u + m_i)·mmr_i + cum_i − units_i·u·fee]`,
 * where `C` is the margin that does not move with this mark (wallet or isolated margin, plus equity
 * minus maintenance margin of the other symbols). Setting `f = 0` on one piece is exactly the Binance
 * FAQ formula `LP = (WB − TMM1 + UPNL1 + cum − side·|q|·EP) / (|q|·MMR − side·|q|)`.
 */
export function affinePiece(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
  u: number,
): AffinePiece {
  let slope = 0;
  let intercept = constant;
  for (const p of group) {
    const e = affineExposure(p, rules.maintenanceBasis);
    const tier = tierFor(p.tiers, e.n * u + e.m);
    slope += e.a - e.n * tier.mmr - e.units * rules.closeFeeRate;
    intercept += e.b + p.accruedFunding - e.m * tier.mmr + tier.cum;
  }
  return { slope, intercept };
}

/** Every `u > 0` at which some member's maintenance notional crosses a tier floor, ascending, unique. */
function breakpoints(group: readonly Position[], rules: MarginRules): number[] {
  const out: number[] = [];
  for (const p of group) {
    const e = affineExposure(p, rules.maintenanceBasis);
    if (e.n === 0) continue;
    for (let k = 1; k < p.tiers.length; k++) {
      const u = ((p.tiers[k]?.notionalFloor ?? 0) - e.m) / e.n;
      if (u > 0 && Number.isFinite(u)) out.push(u);
    }
  }
  return [...new Set(out)].sort((x, y) => x - y);
}

/**
 * The interval `[lo, hi]` of `u ≥ 0` on which equity ≥ maintenance margin (`hi = Infinity` when it
 * never falls below again), or null when equity is below maintenance margin at every price.
 * With continuous tiers, maintenance margin is convex in `u`, so `f` is concave and piecewise affine:
 * its non-negative set is one interval, whose ends are found exactly by solving the affine piece of
 * the segment they fall in (the FAQ's "recalculate with the tier at the liquidation price").
 */
function nonNegativeInterval(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
): [number, number] | null {
  const knots = [0, ...breakpoints(group, rules), Number.POSITIVE_INFINITY];
  let lo = Number.NaN;
  for (let i = 0; i + 1 < knots.length; i++) {
    const x0 = knots[i] as number;
    const x1 = knots[i + 1] as number;
    const inside = Number.isFinite(x1) ? (x0 + x1) / 2 : x0 + Math.max(1, x0);
    const { slope, intercept } = affinePiece(group, rules, constant, inside);
    const root = slope === 0 ? Number.NaN : -intercept / slope;
    if (Number.isNaN(lo)) {
      if (slope * x0 + intercept >= 0) lo = x0;
      else if (slope > 0 && root <= x1) lo = root;
    }
    if (!Number.isNaN(lo) && slope < 0 && root >= Math.max(lo, x0) && root < x1) return [lo, root];
  }
  return Number.isNaN(lo) ? null : [lo, Number.POSITIVE_INFINITY];
}

/** Sum of `a_i`: how the group's equity moves per unit of the price coordinate. */
function coordinateDelta(group: readonly Position[], rules: MarginRules): number {
  let d = 0;
  for (const p of group) d += affineExposure(p, rules.maintenanceBasis).a;
  return d;
}

/**
 * The liquidation price of a group of positions sharing one mark price (one symbol in cross mode,
 * or one isolated position), holding everything else fixed.
 * Solves `equity(P) = maintenance(P)` with the tier re-solve rule of the Binance FAQ ("if the
 * position at the liquidation price falls in another tier, recalculate with that tier's rate and
 * amount"), done exactly by walking the tier breakpoints of the piecewise-affine, concave
 * `equity − maintenance`. The price returned is the boundary on the adverse side of the group's
 * net exposure (below the mark for a net long, above for a net short).
 */
export function groupLiquidationPrice(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
): PriceOrReason {
  const first = group[0];
  if (first === undefined) return { price: null, reason: "no position" };
  const interval = nonNegativeInterval(group, rules, constant);
  if (interval === null) {
    return { price: null, reason: "equity is below maintenance margin at every price: add collateral" };
  }
  const [lo, hi] = interval;
  const delta = coordinateDelta(group, rules);
  const u0 = toCoordinate(first, first.markPrice);
  // In u-space, equity rises with u when delta > 0, so the adverse move is towards lower u.
  const useLow = delta > 0 || (delta === 0 && Math.abs(u0 - lo) <= Math.abs(hi - u0));
  const linear = first.instrument.kind === "linear";
  const fallsToZero = "equity stays above maintenance margin at every price down to 0: no liquidation price";
  const risesForever = "equity stays above maintenance margin at every price upwards: no liquidation price";
  if (useLow) {
    if (lo > 0) return { price: fromCoordinate(first, lo), reason: null };
    return { price: null, reason: linear ? fallsToZero : risesForever };
  }
  if (Number.isFinite(hi)) return { price: fromCoordinate(first, hi), reason: null };
  return { price: null, reason: linear ? risesForever : fallsToZero };
}

/**
 * The bankruptcy price of a group sharing one mark: the price at which equity, less the fee to
 * close where the venue charges one (Bybit), is zero:
 * `u* = −(C + Σ b_i + Σ funding_i) / Σ (a_i − units_i·fee)` (the liquidation solve with mmr = cum = 0).
 * Bybit inverse example: 0.5 BTC, long 10,000 @ 8,000, fee 0.075 % → 1.00075·10,000/(10,000/8,000 + 0.5) = 5,718.57.
 */
export function groupBankruptcyPrice(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
): PriceOrReason {
  const first = group[0];
  if (first === undefined) return { price: null, reason: "no position" };
  let c = constant;
  let d = 0;
  for (const p of group) {
    const e = affineExposure(p, rules.maintenanceBasis);
    c += e.b + p.accruedFunding;
    d += e.a - e.units * rules.closeFeeRate;
  }
  if (d === 0)
    return {
      price: null,
      reason: "the positions on this symbol offset each other: equity does not move with price",
    };
  const u = -c / d;
  if (u > 0 && Number.isFinite(u)) return { price: fromCoordinate(first, u), reason: null };
  // No root at a positive price: equity has the sign of `d` at every price.
  if (d < 0)
    return { price: null, reason: "equity is negative at every price: the position is already bankrupt" };
  const linear = first.instrument.kind === "linear";
  return {
    price: null,
    reason: linear
      ? "equity stays positive at every price down to 0"
      : "equity stays positive at every price upwards",
  };
}

/**
 * Liquidation and bankruptcy prices of every position of an account (same order as
 * `account.positions`). Isolated: each position against its own isolated margin. Cross: the
 * positions of one symbol share one mark and so one liquidation price; the other symbols are held
 * at their marks (Binance: `TMM1`, `UPNL1` of the other contracts).
 */
export function liquidationPrices(account: Account, rules: MarginRules): PositionLiquidation[] {
  return account.positions.map((p) => {
    const { members, constant, equityConstant } = groupMembersAndConstant(account, rules, p);
    const liq = groupLiquidationPrice(members, rules, constant);
    const bank = groupBankruptcyPrice(members, rules, equityConstant);
    return {
      liquidationPrice: liq.price,
      liquidationReason: liq.reason,
      bankruptcyPrice: bank.price,
      bankruptcyReason: bank.reason,
    };
  });
}

/**
 * The positions that move with `position`'s mark (itself in isolated mode, every position on its
 * symbol in cross mode) and the margin that does not: `constant` (wallet − TMM1 + UPNL1, or the
 * isolated margin) for the liquidation solve, `equityConstant` (without TMM1) for the bankruptcy one.
 */
export function groupMembersAndConstant(
  account: Account,
  rules: MarginRules,
  position: Position,
): { members: Position[]; constant: number; equityConstant: number } {
  if (account.marginMode === "isolated") {
    const margin = position.isolatedMargin ?? 0;
    return { members: [position], constant: margin, equityConstant: margin };
  }
  const members = account.positions.filter((p) => p.instrument.symbol === position.instrument.symbol);
  const inGroup = new Set(members);
  return {
    members,
    constant: crossConstant(account, rules, inGroup),
    equityConstant: crossEquityConstant(account, rules, inGroup),
  };
}

/** Wallet plus equity of the other symbols (no maintenance margin): the bankruptcy constant. */
function crossEquityConstant(account: Account, rules: MarginRules, group: ReadonlySet<Position>): number {
  let c = account.walletBalance;
  for (const p of account.positions) {
    if (group.has(p)) continue;
    const e = affineExposure(p, rules.maintenanceBasis);
    c += e.a * toCoordinate(p, p.markPrice) + e.b + p.accruedFunding;
  }
  return c;
}

/** Wallet plus equity minus maintenance margin of the other symbols (Binance `WB − TMM1 + UPNL1`). */
function crossConstant(account: Account, rules: MarginRules, group: ReadonlySet<Position>): number {
  let c = crossEquityConstant(account, rules, group);
  for (const p of account.positions) {
    if (!group.has(p)) c -= maintenanceAt(p, rules, toCoordinate(p, p.markPrice));
  }
  return c;
}

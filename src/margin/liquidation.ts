import {
  bankruptcyCoordinate,
  closeFeeAtBankruptcy,
  equityConstant,
  groupOf,
  positionMaintenanceMargin,
} from "./group.js";
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
  /** Mark price at which equity (less the fee to close, where counted) is zero, others held at their marks. */
  bankruptcyPrice: number | null;
  bankruptcyReason: string | null;
}

/** `f(u) = slope·u + intercept` on one piece of the tier schedule. */
export interface AffinePiece {
  slope: number;
  intercept: number;
}

/**
 * Equity minus maintenance margin of a group of positions sharing one mark price, as an affine
 * function of the price coordinate `u` (`u = P` linear, `u = 1/P` inverse) with every member's tier
 * fixed at the tier it has at `u`:
 * `f(u) = C + Σ_i [a_i·u + b_i + funding_i − (n_i·u + m_i)·mmr_i + cum_i]`,
 * where `C` is the margin that does not move with this mark (wallet or isolated margin, plus equity
 * minus maintenance margin of the other symbols, minus the group's fee to close). Setting `f = 0` on
 * one piece is exactly the Binance FAQ formula
 * `LP = (WB − TMM1 + UPNL1 + cum − side·|q|·EP) / (|q|·MMR − side·|q|)`.
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
    slope += e.a - e.n * tier.mmr;
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

/**
 * The liquidation price of a group of positions sharing one mark price (one symbol in cross mode,
 * or one isolated position), holding everything else fixed in `constant`.
 * Solves `equity(P) = maintenance(P)` with the tier re-solve rule of the Binance FAQ ("if the
 * position at the liquidation price falls in another tier, recalculate with that tier's rate and
 * amount"), done exactly by walking the tier breakpoints of the piecewise-affine, concave
 * `equity − maintenance`. The price returned is the boundary on the adverse side of the group's
 * net exposure (below the mark for a net long, above for a net short); null with the reason when
 * no positive price liquidates, never a negative price.
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
  let delta = 0;
  for (const p of group) delta += affineExposure(p, rules.maintenanceBasis).a;
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
 * The margin that stays fixed while `position`'s mark moves, for the liquidation solve: the isolated
 * margin, or the wallet plus the other symbols' equity minus their maintenance margin (Binance
 * `WB − TMM1 + UPNL1`); less the group's fee to close at its bankruptcy price, where counted.
 */
export function liquidationConstant(
  account: Account,
  rules: MarginRules,
  group: readonly Position[],
): number {
  let c = equityConstant(account, group);
  if (account.marginMode === "cross") {
    for (const p of account.positions)
      if (!group.includes(p)) c -= positionMaintenanceMargin(account, rules, p);
  }
  for (const p of group) c -= closeFeeAtBankruptcy(account, rules, p);
  return c;
}

/**
 * Liquidation and bankruptcy prices of every position of an account (same order as
 * `account.positions`). Isolated: each position against its own isolated margin. Cross: the
 * positions of one symbol share one mark and so one liquidation price; the other symbols are held
 * at their marks (Binance: `TMM1`, `UPNL1` of the other contracts).
 */
export function liquidationPrices(account: Account, rules: MarginRules): PositionLiquidation[] {
  return account.positions.map((p) => {
    const group = groupOf(account, p);
    const liq = groupLiquidationPrice(group, rules, liquidationConstant(account, rules, group));
    const bank = bankruptcyCoordinate(group, rules, equityConstant(account, group));
    return {
      liquidationPrice: liq.price,
      liquidationReason: liq.reason,
      bankruptcyPrice: bank.u === null ? null : fromCoordinate(p, bank.u),
      bankruptcyReason: bank.reason,
    };
  });
}

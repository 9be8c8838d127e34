import { bankruptcyCoordinate, equityConstant, groupOf, positionMaintenanceMargin } from "./group.js";
import { affineExposure, fromCoordinate, toCoordinate } from "./position.js";
import { tierFor } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

/** Liquidation and bankruptcy price of one position. */
export interface PositionLiquidation {
  /** Mark price at which equity equals maintenance margin, others held at their marks. */
  liquidationPrice: number | null;
  liquidationReason: string | null;
  /** Lower end of the price interval where equity covers maintenance margin (hedged legs may have both ends). */
  lowerLiquidationPrice: number | null;
  /** Upper end of that interval, if any. */
  upperLiquidationPrice: number | null;
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
 * `f(u) = C + Σ_i [a_i·u + b_i + funding_i − (n_i·u + m_i)·mmr_i + cum_i − units_i·u·fee]`,
 * where `C` is the margin that does not move with this mark (wallet or isolated margin, plus equity
 * minus maintenance margin of the other symbols). Setting `f = 0` on
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
  const segments = knots.slice(0, -1).map((x0, i) => {
    const x1 = knots[i + 1] as number;
    const inside = Number.isFinite(x1) ? (x0 + x1) / 2 : x0 + Math.max(1, x0);
    const { slope, intercept } = affinePiece(group, rules, constant, inside);
    const atEnd = Number.isFinite(x1)
      ? slope * x1 + intercept
      : slope === 0
        ? intercept
        : slope * Number.POSITIVE_INFINITY;
    // The crossing of this piece, clamped to the segment: at a knot, rounding may put it just outside.
    const root = slope === 0 ? x0 : Math.min(Math.max(-intercept / slope, x0), x1);
    return { x0, startsNonNegative: slope * x0 + intercept >= 0, endsNonNegative: atEnd >= 0, root };
  });
  let i = 0;
  let lo = Number.NaN;
  for (; i < segments.length; i++) {
    const seg = segments[i] as (typeof segments)[number];
    if (i === 0 && seg.startsNonNegative) lo = seg.x0;
    else if (seg.endsNonNegative) lo = seg.root;
    if (!Number.isNaN(lo)) break;
  }
  if (Number.isNaN(lo)) return null;
  for (; i < segments.length; i++) {
    const seg = segments[i] as (typeof segments)[number];
    if (!seg.endsNonNegative) return [lo, Math.max(lo, seg.root)];
  }
  return [lo, Number.POSITIVE_INFINITY];
}

/** The liquidation prices of a group on both sides of its mark, and the one that applies. */
export interface LiquidationBounds {
  /** The price that liquidates first on the adverse side (see {@link groupLiquidationBounds}). */
  price: number | null;
  /** Why there is none, when `price` is null. */
  reason: string | null;
  /** Highest price at or below which the group is liquidated (null: no positive price down there). */
  lower: number | null;
  /** Lowest price at or above which the group is liquidated (null: none, however high). */
  upper: number | null;
}

/**
 * The liquidation prices of a group of positions sharing one mark price (one symbol in cross mode,
 * or one isolated position), holding everything else fixed in `constant`.
 * Solves `equity(P) = maintenance(P)` with the tier re-solve rule of the Binance FAQ ("if the
 * position at the liquidation price falls in another tier, recalculate with that tier's rate and
 * amount"), done exactly by walking the tier breakpoints of the piecewise-affine, concave
 * `equity − maintenance`. Equity covers maintenance margin on one price interval; its ends are
 * `lower` and `upper`. A single long has only a lower end, a single short only an upper end; hedged
 * legs may have both. `price` is the end on the side where `equity − maintenance` falls from the mark
 * (the sign of the FAQ formula's denominator), or the only end that exists. Null with the reason when
 * no positive price liquidates; never a negative price.
 */
export function groupLiquidationBounds(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
): LiquidationBounds {
  const first = group[0];
  if (first === undefined) return { price: null, reason: "no position", lower: null, upper: null };
  const interval = nonNegativeInterval(group, rules, constant);
  if (interval === null) {
    const reason = "equity is below maintenance margin at every price: add collateral";
    return { price: null, reason, lower: null, upper: null };
  }
  const [lo, hi] = interval;
  const loPrice = lo > 0 ? fromCoordinate(first, lo) : null;
  const hiPrice = Number.isFinite(hi) ? fromCoordinate(first, hi) : null;
  const linear = first.instrument.kind === "linear";
  const lower = linear ? loPrice : hiPrice;
  const upper = linear ? hiPrice : loPrice;
  // Where does equity − maintenance fall from the mark? `slope` is per unit of u; u = 1/P flips it.
  const slope = affinePiece(group, rules, constant, toCoordinate(first, first.markPrice)).slope;
  const fallsBelow = linear ? slope > 0 : slope < 0;
  const price = lower !== null && upper !== null ? (fallsBelow ? lower : upper) : (lower ?? upper);
  const reason =
    price === null
      ? "equity stays above maintenance margin at every positive price: no liquidation price"
      : null;
  return { price, reason, lower, upper };
}

/**
 * The margin that stays fixed while `position`'s mark moves, for the liquidation solve: the isolated
 * margin, or the wallet plus the other symbols' equity minus their maintenance margin (Binance
 * `WB − TMM1 + UPNL1`).
 */
export function liquidationConstant(
  account: Account,
  rules: MarginRules,
  group: readonly Position[],
): number {
  let c = equityConstant(account, group);
  if (account.marginMode === "cross") {
    for (const p of account.positions) if (!group.includes(p)) c -= positionMaintenanceMargin(p, rules);
  }
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
    const liq = groupLiquidationBounds(group, rules, liquidationConstant(account, rules, group));
    const bank = bankruptcyCoordinate(group, rules, equityConstant(account, group));
    return {
      liquidationPrice: liq.price,
      liquidationReason: liq.reason,
      lowerLiquidationPrice: liq.lower,
      upperLiquidationPrice: liq.upper,
      bankruptcyPrice: bank.u === null ? null : fromCoordinate(p, bank.u),
      bankruptcyReason: bank.reason,
    };
  });
}

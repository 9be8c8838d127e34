import {
  bankruptcyCoordinate,
  crossConstants,
  type GroupConstants,
  groupConstants,
  marginSums,
  markGroups,
  sumOver,
} from "./group.js";
import { type AffineExposure, affineExposure, fromCoordinate, toCoordinate } from "./position.js";
import type { Tier } from "./tiers.js";
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
  return pieceAt(group, exposuresOf(group, rules), rules, constant, u);
}

/** The {@link AffineExposure} of every member of a group under the venue's maintenance basis. */
function exposuresOf(group: readonly Position[], rules: MarginRules): AffineExposure[] {
  return group.map((p) => affineExposure(p, rules.maintenanceBasis));
}

/**
 * {@link affinePiece} with the members' exposures computed once by the caller. `hints[i]`, when
 * given, is a tier index at or below member `i`'s tier at `u` (its tier at a smaller `u`: maintenance
 * notionals do not fall as `u` rises), from which the tier lookup scans upwards; it is updated to the
 * tier found. The tier is the one `tierFor` gives.
 */
function pieceAt(
  group: readonly Position[],
  exposures: readonly AffineExposure[],
  rules: MarginRules,
  constant: number,
  u: number,
  hints?: number[],
): AffinePiece {
  let slope = 0;
  let intercept = constant;
  for (let i = 0; i < group.length; i++) {
    const tiers = (group[i] as Position).tiers;
    const e = exposures[i] as AffineExposure;
    const notional = e.n * u + e.m;
    let k = hints === undefined ? 0 : (hints[i] as number);
    while (k + 1 < tiers.length && notional >= (tiers[k + 1] as Tier).notionalFloor) k++;
    if (hints !== undefined) hints[i] = k;
    const tier = tiers[k] as Tier;
    slope += e.a - e.n * tier.mmr - e.units * rules.closeFeeRate;
    intercept += e.b + (group[i] as Position).accruedFunding - e.m * tier.mmr + tier.cum;
  }
  return { slope, intercept };
}

/**
 * Every `u > 0` at which some member's maintenance notional crosses a tier floor, ascending, unique,
 * between the knots 0 and `Infinity`. One member's crossings come out ascending already (floors rise and
 * `u = (floor − m) / n` with `n > 0` is monotone), so only a group of several members is sorted.
 */
function knotsOf(group: readonly Position[], exposures: readonly AffineExposure[]): number[] {
  const crossings: number[] = [];
  for (let i = 0; i < group.length; i++) {
    const tiers = (group[i] as Position).tiers;
    const e = exposures[i] as AffineExposure;
    if (e.n === 0) continue;
    for (let k = 1; k < tiers.length; k++) {
      const u = ((tiers[k]?.notionalFloor ?? 0) - e.m) / e.n;
      if (u > 0 && Number.isFinite(u)) crossings.push(u);
    }
  }
  if (group.length > 1) crossings.sort((x, y) => x - y);
  const knots = [0];
  for (const u of crossings) if (u !== knots[knots.length - 1]) knots.push(u);
  knots.push(Number.POSITIVE_INFINITY);
  return knots;
}

/**
 * The interval `[lo, hi]` of `u ≥ 0` on which equity ≥ maintenance margin (`hi = Infinity` when it
 * never falls below again), or null when equity is below maintenance margin at every price.
 * With continuous tiers, maintenance margin is convex in `u`, so `f` is concave and piecewise affine:
 * its non-negative set is one interval, whose ends are found exactly by solving the affine piece of
 * the segment they fall in (the FAQ's "recalculate with the tier at the liquidation price").
 * Segments are taken in ascending order until the upper end is found.
 */
function nonNegativeInterval(
  group: readonly Position[],
  exposures: readonly AffineExposure[],
  rules: MarginRules,
  constant: number,
): [number, number] | null {
  const knots = knotsOf(group, exposures);
  const hints = new Array<number>(group.length).fill(0);
  let lo = Number.NaN;
  for (let i = 0; i + 1 < knots.length; i++) {
    const x0 = knots[i] as number;
    const x1 = knots[i + 1] as number;
    const inside = Number.isFinite(x1) ? (x0 + x1) / 2 : x0 + Math.max(1, x0);
    const { slope, intercept } = pieceAt(group, exposures, rules, constant, inside, hints);
    const atEnd = Number.isFinite(x1)
      ? slope * x1 + intercept
      : slope === 0
        ? intercept
        : slope * Number.POSITIVE_INFINITY;
    const endsNonNegative = atEnd >= 0;
    // The crossing of this piece, clamped to the segment: at a knot, rounding may put it just outside.
    const root = slope === 0 ? x0 : Math.min(Math.max(-intercept / slope, x0), x1);
    if (Number.isNaN(lo)) {
      if (i === 0 && slope * x0 + intercept >= 0) lo = x0;
      else if (endsNonNegative) lo = root;
      if (Number.isNaN(lo)) continue;
    }
    if (!endsNonNegative) return [lo, Math.max(lo, root)];
  }
  return Number.isNaN(lo) ? null : [lo, Number.POSITIVE_INFINITY];
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
function groupLiquidationBounds(
  group: readonly Position[],
  rules: MarginRules,
  constant: number,
): LiquidationBounds {
  const first = group[0];
  if (first === undefined) return { price: null, reason: "no position", lower: null, upper: null };
  const exposures = exposuresOf(group, rules);
  const interval = nonNegativeInterval(group, exposures, rules, constant);
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
  const slope = pieceAt(group, exposures, rules, constant, toCoordinate(first, first.markPrice)).slope;
  const fallsBelow = linear ? slope > 0 : slope < 0;
  const price = lower !== null && upper !== null ? (fallsBelow ? lower : upper) : (lower ?? upper);
  const reason =
    price === null
      ? "equity stays above maintenance margin at every positive price: no liquidation price"
      : null;
  return { price, reason, lower, upper };
}

/**
 * The margin that stays fixed while `group`'s mark moves, for the liquidation solve: the isolated
 * margin, or the wallet plus the other symbols' equity minus their maintenance margin (Binance
 * `WB − TMM1 + UPNL1`; see {@link groupConstants}).
 */
export function liquidationConstant(
  account: Account,
  rules: MarginRules,
  group: readonly Position[],
): number {
  return groupConstants(account, rules, group).liquidation;
}

/**
 * Liquidation and bankruptcy prices of every position of an account (same order as
 * `account.positions`). Isolated: each position against its own isolated margin. Cross: the
 * positions of one symbol share one mark and so one liquidation price; the other symbols are held
 * at their marks (Binance: `TMM1`, `UPNL1` of the other contracts). The account's margin is summed
 * once and each group solved once, so the cost is linear in the number of positions (for groups of
 * bounded size).
 */
export function liquidationPrices(account: Account, rules: MarginRules): PositionLiquidation[] {
  const n = account.positions.length;
  const cross = account.marginMode === "cross";
  const each = { equity: new Float64Array(cross ? n : 0), maintenance: new Float64Array(cross ? n : 0) };
  const all = cross ? marginSums(account.positions, rules, each) : undefined;
  const out = new Array<PositionLiquidation>(n);
  for (const { positions: group, indices } of markGroups(account)) {
    const constants: GroupConstants =
      all === undefined
        ? groupConstants(account, rules, group)
        : crossConstants(account.walletBalance, all, {
            equity: sumOver(each.equity, indices),
            maintenance: sumOver(each.maintenance, indices),
          });
    const liq = groupLiquidationBounds(group, rules, constants.liquidation);
    const bank = bankruptcyCoordinate(group, rules, constants.equity);
    group.forEach((p, j) => {
      out[indices[j] as number] = {
        liquidationPrice: liq.price,
        liquidationReason: liq.reason,
        lowerLiquidationPrice: liq.lower,
        upperLiquidationPrice: liq.upper,
        bankruptcyPrice: bank.u === null ? null : fromCoordinate(p, bank.u),
        bankruptcyReason: bank.reason,
      };
    });
  }
  return out;
}

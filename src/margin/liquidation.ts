import { formatNumber } from "../format.js";
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
  /** Why there is no lower end, when `lowerLiquidationPrice` is null. */
  lowerLiquidationReason: string | null;
  /** Upper end of that interval, if any. */
  upperLiquidationPrice: number | null;
  /** Why there is no upper end, when `upperLiquidationPrice` is null. */
  upperLiquidationReason: string | null;
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
  pieceAt(group, exposuresOf(group, rules), rules, constant, u);
  return { slope: piece.slope, intercept: piece.intercept };
}

/** The {@link AffineExposure} of every member of a group under the venue's maintenance basis. */
function exposuresOf(group: readonly Position[], rules: MarginRules): AffineExposure[] {
  return group.map((p) => affineExposure(p, rules.maintenanceBasis));
}

/** The piece {@link pieceAt} wrote last; reused so that walking the segments allocates nothing. */
const piece: AffinePiece = { slope: 0, intercept: 0 };

/**
 * {@link affinePiece} with the members' exposures computed once by the caller, written to
 * {@link piece}. `hints[i]`, when given, is a tier index at or below member `i`'s tier at `u` (its
 * tier at a smaller `u`: maintenance notionals do not fall as `u` rises), from which the tier lookup
 * scans upwards; it is updated to the tier found. The tier is the one `tierFor` gives.
 */
function pieceAt(
  group: readonly Position[],
  exposures: readonly AffineExposure[],
  rules: MarginRules,
  constant: number,
  u: number,
  hints?: Int32Array,
): void {
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
  piece.slope = slope;
  piece.intercept = intercept;
}

/** Scratch of {@link knotsOf}, grown as needed: a group's crossings before sorting, and its knots. */
let crossings = new Float64Array(64);
let knots = new Float64Array(64);

/**
 * Every `u > 0` at which some member's maintenance notional crosses a tier floor, ascending, unique,
 * between the knots 0 and `Infinity`, written to the start of {@link knots}; returns their number.
 * One member's crossings come out ascending already (floors rise and `u = (floor − m) / n` with
 * `n > 0` is monotone), so they go straight into the knots; only a group of several members is sorted.
 */
function knotsOf(group: readonly Position[], exposures: readonly AffineExposure[]): number {
  let capacity = 2;
  for (let i = 0; i < group.length; i++) capacity += Math.max(0, (group[i] as Position).tiers.length - 1);
  if (knots.length < capacity) {
    crossings = new Float64Array(2 * capacity);
    knots = new Float64Array(2 * capacity);
  }
  const single = group.length === 1;
  let count = 1;
  knots[0] = 0;
  let crossed = 0;
  for (let i = 0; i < group.length; i++) {
    const tiers = (group[i] as Position).tiers;
    const e = exposures[i] as AffineExposure;
    if (e.n === 0) continue;
    for (let k = 1; k < tiers.length; k++) {
      const u = ((tiers[k]?.notionalFloor ?? 0) - e.m) / e.n;
      if (!(u > 0 && Number.isFinite(u))) continue;
      if (!single) crossings[crossed++] = u;
      else if (u !== knots[count - 1]) knots[count++] = u;
    }
  }
  if (!single) {
    for (const u of crossings.subarray(0, crossed).sort()) if (u !== knots[count - 1]) knots[count++] = u;
  }
  knots[count++] = Number.POSITIVE_INFINITY;
  return count;
}

/** Tier scans' starting points of {@link nonNegativeInterval}, one per member (see {@link pieceAt}). */
let hints = new Int32Array(16);

/**
 * The crossing `−intercept / slope` of the last {@link piece}, clamped to the segment `[x0, x1]`: at a
 * knot, rounding may put it just outside (`x0` for a flat piece).
 */
function rootIn(x0: number, x1: number): number {
  return piece.slope === 0 ? x0 : Math.min(Math.max(-piece.intercept / piece.slope, x0), x1);
}

/** The interval {@link nonNegativeInterval} found last. */
const interval = { lo: 0, hi: 0 };

/**
 * The interval `[lo, hi]` of `u ≥ 0` on which equity ≥ maintenance margin (`hi = Infinity` when it
 * never falls below again), written to {@link interval}; false when equity is below maintenance
 * margin at every price.
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
): boolean {
  const count = knotsOf(group, exposures);
  if (hints.length < group.length) hints = new Int32Array(2 * group.length);
  hints.fill(0, 0, group.length);
  let lo = Number.NaN;
  for (let i = 0; i + 1 < count; i++) {
    const x0 = knots[i] as number;
    const x1 = knots[i + 1] as number;
    const inside = Number.isFinite(x1) ? (x0 + x1) / 2 : x0 + Math.max(1, x0);
    pieceAt(group, exposures, rules, constant, inside, hints);
    const { slope, intercept } = piece;
    const atEnd = Number.isFinite(x1)
      ? slope * x1 + intercept
      : slope === 0
        ? intercept
        : slope * Number.POSITIVE_INFINITY;
    const endsNonNegative = atEnd >= 0;
    if (Number.isNaN(lo)) {
      if (i === 0 && slope * x0 + intercept >= 0) lo = x0;
      else if (endsNonNegative) lo = rootIn(x0, x1);
      if (Number.isNaN(lo)) continue;
    }
    if (!endsNonNegative) {
      interval.lo = lo;
      interval.hi = Math.max(lo, rootIn(x0, x1));
      return true;
    }
  }
  if (Number.isNaN(lo)) return false;
  interval.lo = lo;
  interval.hi = Number.POSITIVE_INFINITY;
  return true;
}

/** A liquidation price, or null with the reason why there is none. */
interface PriceOrReason {
  price: number | null;
  reason: string | null;
}

/** The liquidation prices of a group on both sides of its mark, and the one that applies. */
export interface LiquidationBounds {
  /** The price that liquidates first on the adverse side (see {@link groupLiquidationBounds}), or null with the reason. */
  applies: PriceOrReason;
  /** Highest price at or below which the group is liquidated (null: no positive price down there, or beyond the tier table). */
  lower: PriceOrReason;
  /** Lowest price at or above which the group is liquidated (null: none, however high, or beyond the tier table). */
  upper: PriceOrReason;
}

/** How the reason of an end beyond the tier table begins (see {@link intervalEnd}). */
export const BEYOND_TIER_TABLE = "beyond the tier table";
const NO_PRICE_BELOW = "equity covers maintenance margin at every price down to 0";
const NO_PRICE_ABOVE = "equity covers maintenance margin at every higher price";

/**
 * The end of the interval at coordinate `u` (null: that end does not exist, for `none`), or null
 * with the reason when the solve lands beyond the tier table: where some member's maintenance
 * notional reaches its last tier's finite cap the venue publishes no rate, so a price found by
 * extending the last tier (5.6 bn USD for a hedged BTCUSDT pair) is not reported.
 */
function intervalEnd(
  group: readonly Position[],
  exposures: readonly AffineExposure[],
  u: number | null,
  none: string,
): PriceOrReason {
  if (u === null) return { price: null, reason: none };
  const price = fromCoordinate(group[0] as Position, u);
  for (let i = 0; i < group.length; i++) {
    const p = group[i] as Position;
    const e = exposures[i] as AffineExposure;
    const cap = (p.tiers[p.tiers.length - 1] as Tier).notionalCap;
    const notional = e.n * u + e.m;
    if (Number.isFinite(cap) && notional >= cap) {
      const reason =
        `${BEYOND_TIER_TABLE}: the solve lands at ${formatNumber(price)}, where the ${p.instrument.symbol} ` +
        `notional ${formatNumber(notional)} reaches the last tier's cap ${formatNumber(cap)} (the venue publishes no rate there)`;
      return { price: null, reason };
    }
  }
  return { price, reason: null };
}

/**
 * The liquidation prices of a group of positions sharing one mark price (one symbol in cross mode,
 * or one isolated position), holding everything else fixed in `constant`.
 * Solves `equity(P) = maintenance(P)` with the tier re-solve rule of the Binance FAQ ("if the
 * position at the liquidation price falls in another tier, recalculate with that tier's rate and
 * amount"), done exactly by walking the tier breakpoints of the piecewise-affine, concave
 * `equity − maintenance`. Equity covers maintenance margin on one price interval; its ends are
 * `lower` and `upper`. A single long has only a lower end, a single short only an upper end; hedged
 * legs may have both. `applies` is the end on the side where `equity − maintenance` falls from the
 * mark (the sign of the FAQ formula's denominator), or the only end that exists. Every missing price
 * comes with its reason (no positive price on that side, equity below maintenance everywhere, or an
 * end beyond the tier table: {@link intervalEnd}); never a negative price. `exposures` are the
 * members' (see {@link exposuresOf}).
 */
function groupLiquidationBounds(
  group: readonly Position[],
  exposures: readonly AffineExposure[],
  rules: MarginRules,
  constant: number,
): LiquidationBounds {
  const first = group[0];
  if (first === undefined) {
    const none = { price: null, reason: "no position" };
    return { applies: none, lower: none, upper: none };
  }
  if (!nonNegativeInterval(group, exposures, rules, constant)) {
    const none = { price: null, reason: "equity is below maintenance margin at every price: add collateral" };
    return { applies: none, lower: none, upper: none };
  }
  const loU = interval.lo > 0 ? interval.lo : null;
  const hiU = Number.isFinite(interval.hi) ? interval.hi : null;
  const linear = first.instrument.kind === "linear";
  const lowerU = linear ? loU : hiU;
  const upperU = linear ? hiU : loU;
  const lower = intervalEnd(group, exposures, lowerU, NO_PRICE_BELOW);
  const upper = intervalEnd(group, exposures, upperU, NO_PRICE_ABOVE);
  // Where does equity − maintenance fall from the mark? `slope` is per unit of u; u = 1/P flips it.
  pieceAt(group, exposures, rules, constant, toCoordinate(first, first.markPrice));
  const slope = piece.slope;
  const fallsBelow = linear ? slope > 0 : slope < 0;
  const applies =
    lowerU !== null && upperU !== null
      ? fallsBelow
        ? lower
        : upper
      : lowerU !== null
        ? lower
        : upperU !== null
          ? upper
          : {
              price: null,
              reason: "equity stays above maintenance margin at every positive price: no liquidation price",
            };
  return { applies, lower, upper };
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
    const exposures = exposuresOf(group, rules);
    const liq = groupLiquidationBounds(group, exposures, rules, constants.liquidation);
    const bank = bankruptcyCoordinate(group, exposures, rules, constants.equity);
    for (let j = 0; j < group.length; j++) {
      out[indices[j] as number] = {
        liquidationPrice: liq.applies.price,
        liquidationReason: liq.applies.reason,
        lowerLiquidationPrice: liq.lower.price,
        lowerLiquidationReason: liq.lower.reason,
        upperLiquidationPrice: liq.upper.price,
        upperLiquidationReason: liq.upper.reason,
        bankruptcyPrice: bank.u === null ? null : fromCoordinate(group[j] as Position, bank.u),
        bankruptcyReason: bank.reason,
      };
    }
  }
  return out;
}

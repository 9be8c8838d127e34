/**
 * Drift protocol v2 (drift-labs/protocol-v2, Solana program in Rust) perp liquidation rules,
 * re-derived from the program's formulas (no code copied). The program computes in fixed-point
 * integers; the functions below do the same in bigint with the program's precisions and division
 * order, so they reproduce its unit tests exactly:
 *
 * | quantity | precision |
 * |---|---|
 * | margin ratios, asset/liability weights, buffer | `MARGIN_PRECISION` 1e4 (1000 = 10 %) |
 * | liquidator / insurance-fund fees, IMF factor | `LIQUIDATION_FEE_PRECISION` / `SPOT_IMF_PRECISION` 1e6 |
 * | prices | `PRICE_PRECISION` 1e6 |
 * | quote amounts (USDC) | `QUOTE_PRECISION` 1e6 |
 * | base amounts | `BASE_PRECISION` = `AMM_RESERVE_PRECISION` 1e9 |
 * | liquidation percentage | `LIQUIDATION_PCT_PRECISION` 1e4 |
 * | cumulative funding rate | `FUNDING_RATE_PRECISION` 1e9 (quote per base) |
 *
 * Divisions round down (Rust integer division) unless named (`safe_div_ceil`). Conditions the
 * program would reject throw a {@link VenueRevertError}; bad parameters throw an {@link InputError}.
 *
 * Sources (read at the commits named):
 * - drift-labs/protocol-v2 `programs/drift/src/math/liquidation.rs` @ 0fd8f61c97b26acbedf43fd067f60b0cbd286308
 *   (`calculate_base_asset_amount_to_cover_margin_shortage`, `calculate_perp_if_fee`,
 *   `calculate_funding_rate_deltas_to_resolve_bankruptcy`,
 *   `calculate_cumulative_deposit_interest_delta_to_resolve_bankruptcy`);
 * - `programs/drift/src/math/margin.rs` (`calculate_size_premium_liability_weight` with `is_bounded`,
 *   `calc_high_leverage_mode_initial_margin_ratio_from_size`, `calculate_perp_position_value_and_pnl`);
 * - `programs/drift/src/state/perp_market.rs` @ 00139c4ea1073417fdb71388ce2964cdee00eb8c
 *   (`get_margin_ratio`, `get_base_liquidator_fee`, `get_max_liquidation_fee`);
 * - `programs/drift/src/controller/liquidation.rs` (`liquidate_perp`, `resolve_perp_bankruptcy`);
 * - `programs/drift/src/math/constants.rs` (`DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO` = 2 %);
 * - `sdk/src/math/liquidation.ts` @ 026d21c93f6445cae05f82dc0dd043db49ae168c (`calculateMaxPctToLiquidate`);
 * - drift-labs/drift-rs `crates/src/math/mod.rs` (`get_liquidation_fee`, `calculate_perp_if_fee` × 95 %);
 * - research note `/work/shared/research/mechanics.md` §4 and §10.5.
 */
import { InputError } from "../errors.js";
import { buildTierTable } from "../margin/tiers.js";
import type { MarginRules } from "../margin/types.js";
import {
  absBig,
  ceilToMultiple,
  maxBig,
  minBig,
  mulDiv,
  sqrtFloor,
  subSaturating,
} from "../math/fixed-point.js";
import { defineVenue, type ListedInstrument } from "./define.js";
import { noLiquidation } from "./procedures.js";
import { revertsOf } from "./revert.js";
import type { LiquidationState, LiquidationStep, Venue } from "./types.js";

// --- precisions and program constants --------------------------------------------------------------

/** 1e4: margin ratios and weights (`MARGIN_PRECISION`). */
export const MARGIN_PRECISION = 10_000n;
/** 1e6: liquidator and insurance-fund fees (`LIQUIDATION_FEE_PRECISION`). */
export const LIQUIDATION_FEE_PRECISION = 1_000_000n;
/** 1e6: the IMF factor (`SPOT_IMF_PRECISION`). */
export const IMF_PRECISION = 1_000_000n;
/** 1e6: prices (`PRICE_PRECISION`). */
export const PRICE_PRECISION = 1_000_000n;
/** 1e6: USDC amounts (`QUOTE_PRECISION`). */
export const QUOTE_PRECISION = 1_000_000n;
/** 1e9: base amounts (`BASE_PRECISION`, `AMM_RESERVE_PRECISION`). */
export const BASE_PRECISION = 1_000_000_000n;
/** 1e4: liquidation percentage (`LIQUIDATION_PCT_PRECISION`). */
export const LIQUIDATION_PCT_PRECISION = 10_000n;
/** 1e9: cumulative funding rate, quote per base (`FUNDING_RATE_PRECISION`). */
export const FUNDING_RATE_PRECISION = 1_000_000_000n;
/** `DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO = MARGIN_PRECISION / 50` (2 %). Source: `math/constants.rs`. */
export const DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO = 200;
/** Slots of inactivity before the liquidator fee starts to rise (~10 min at 400 ms). Source: research note §4.2; drift-rs `get_liquidation_fee`. */
export const LIQUIDATION_FEE_ADJUST_GRACE_PERIOD_SLOTS = 1_500;
/** Liquidator-fee increase per slot of inactivity, in 1e-6 (0.01 bp per slot). Source: drift-rs `get_liquidation_fee`; TV-DRIFT-3. */
export const LIQUIDATION_FEE_INCREASE_PER_SLOT = 1;
/** The liquidator fee can rise to this multiple of the market's base fee. Source: `perp_market.rs::get_max_liquidation_fee`. */
export const MAX_LIQUIDATION_MULTIPLIER = 3;
/** Below this shortage (and for positions below this value) the whole position may be liquidated at once: $50. Source: `liquidate_perp`, SDK `calculateMaxPctToLiquidate`. */
export const SMALL_LIQUIDATION_QUOTE = 50_000_000n;

const U32_MAX = 4_294_967_295n;

/** The program's error codes the engine reproduces. */
export type RevertReason =
  | "CastingFailure"
  | "MathError"
  | "CantResolvePerpBankruptcy"
  | "InvalidPerpPositionToLiquidate";

/** A call the program would reject: a {@link VenueRevertError} with the program's error code name. */
const driftRevert = revertsOf<RevertReason>("drift-v2");

function u32(field: string, value: unknown, fix: string): bigint {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > Number(U32_MAX))
    throw new InputError(field, value, "must be a non-negative integer (u32)", fix);
  return BigInt(value);
}

function amount(field: string, value: unknown, fix: string): bigint {
  if (typeof value !== "bigint" || value < 0n)
    throw new InputError(field, value, "must be a non-negative bigint", fix);
  return value;
}

// --- market parameters -----------------------------------------------------------------------------

/**
 * The liquidation-relevant fields of a Drift `PerpMarket`, in the program's precisions:
 * margin ratios in 1e4, `imfFactor`, `liquidatorFee`, `ifLiquidationFee` in 1e6.
 */
export interface PerpMarket {
  readonly symbol: string;
  readonly marginRatioInitial: number;
  readonly marginRatioMaintenance: number;
  /** Size premium factor (1e6); 0 disables the premium. */
  readonly imfFactor: number;
  /** Base liquidator fee (1e6), the discount the liquidator takes. */
  readonly liquidatorFee: number;
  /** Maximum insurance-fund fee (1e6). */
  readonly ifLiquidationFee: number;
  /** High-leverage-mode ratios (1e4); both > 0 enables the mode. */
  readonly highLeverageMarginRatioInitial?: number;
  readonly highLeverageMarginRatioMaintenance?: number;
  /** Maintenance asset weight of positive unrealised PnL (1e4); default 10,000. */
  readonly unrealizedPnlMaintenanceAssetWeight?: number;
  /** Base step size (1e9); default 1 (no rounding). */
  readonly orderStepSize?: bigint;
}

/**
 * Checks a market: u32 ratios, `maintenance ≤ initial ≤ 10,000`, high-leverage ratios paired, step > 0.
 * Throws an {@link InputError} naming the field. Source: field types of `state/perp_market.rs::PerpMarket`
 * (our own checks of those fields).
 */
export function validatePerpMarket(market: PerpMarket, field = "market"): PerpMarket {
  const mi = u32(
    `${field}.marginRatioInitial`,
    market.marginRatioInitial,
    "10x is 1000 (MARGIN_PRECISION 1e4).",
  );
  const mm = u32(`${field}.marginRatioMaintenance`, market.marginRatioMaintenance, "5 % is 500.");
  if (mm > mi || mi > MARGIN_PRECISION)
    throw new InputError(
      `${field}.marginRatioMaintenance`,
      market.marginRatioMaintenance,
      `must not exceed marginRatioInitial ${market.marginRatioInitial} (≤ 10000)`,
      "Maintenance margin is below initial margin.",
    );
  u32(`${field}.imfFactor`, market.imfFactor, "0 disables the size premium; 1000 is 0.001.");
  u32(`${field}.liquidatorFee`, market.liquidatorFee, "1 % is 10000 (1e6 precision).");
  u32(`${field}.ifLiquidationFee`, market.ifLiquidationFee, "1 % is 10000 (1e6 precision).");
  const hi = market.highLeverageMarginRatioInitial;
  const hm = market.highLeverageMarginRatioMaintenance;
  if ((hi === undefined) !== (hm === undefined))
    throw new InputError(
      `${field}.highLeverageMarginRatioInitial`,
      hi,
      "and highLeverageMarginRatioMaintenance come together",
      "Give both or neither.",
    );
  if (hi !== undefined) u32(`${field}.highLeverageMarginRatioInitial`, hi, "1e4 precision.");
  if (hm !== undefined) u32(`${field}.highLeverageMarginRatioMaintenance`, hm, "1e4 precision.");
  if (market.unrealizedPnlMaintenanceAssetWeight !== undefined)
    u32(
      `${field}.unrealizedPnlMaintenanceAssetWeight`,
      market.unrealizedPnlMaintenanceAssetWeight,
      "10000 = 100 %.",
    );
  if (
    market.orderStepSize !== undefined &&
    (typeof market.orderStepSize !== "bigint" || market.orderStepSize <= 0n)
  )
    throw new InputError(
      `${field}.orderStepSize`,
      market.orderStepSize,
      "must be a positive bigint",
      "Base precision 1e9.",
    );
  return market;
}

// --- margin ratio with the size premium ---------------------------------------------------------------

/**
 * The size-premium liability weight (also used for perp margin ratios with `precision = 1e4`):
 * ```
 * premium = (w − ⌊w/5⌋) + ⌊√(10·size + 1)⌋ · imf / (1e5 · 1e6 / precision)
 * bounded: max(w, premium)
 * ```
 * `size` in base precision 1e9 (so `√(10·size)` is in 1e5), `imf` in 1e6; `imf = 0` returns `w`.
 * Source: `math/margin.rs::calculate_size_premium_liability_weight`; research note §4.1.
 *
 * @example spot test: size 1,000 USDC (1e12 in 1e9), w 11,000, imf 10,000 → 11,962; imf 100,000 → 40,422
 */
export function sizePremiumLiabilityWeight(
  size: bigint,
  imfFactor: number,
  liabilityWeight: number,
  precision: bigint = MARGIN_PRECISION,
  bounded = true,
): number {
  const w = BigInt(liabilityWeight);
  if (imfFactor === 0) return liabilityWeight;
  const root = sqrtFloor(absBig(size) * 10n + 1n);
  const premium = w - w / 5n + (root * BigInt(imfFactor)) / ((100_000n * IMF_PRECISION) / precision);
  if (premium > U32_MAX) throw driftRevert("CastingFailure", `size premium ${premium} exceeds u32`);
  return Number(bounded ? maxBig(w, premium) : premium);
}

/**
 * High-leverage-mode initial (or fill) margin ratio from the unbounded size-adjusted ratio:
 * below the ordinary ratio the HLM delta shrinks in proportion,
 * `default + ⌊max(pre − default, 1) · (1e6 − ⌊(pre − adj)·1e6 / ⌊pre/5⌋⌋) / 1e6⌋`; equal → `default`;
 * above → `adj`. Source: `math/margin.rs::calc_high_leverage_mode_initial_margin_ratio_from_size`.
 */
export function highLeverageInitialMarginRatioFromSize(
  preSizeAdjMarginRatio: number,
  sizeAdjMarginRatio: number,
  defaultMarginRatio: number,
): number {
  const pre = BigInt(preSizeAdjMarginRatio);
  const adj = BigInt(sizeAdjMarginRatio);
  const def = BigInt(defaultMarginRatio);
  if (adj < pre) {
    const fifth = pre / 5n;
    if (fifth === 0n) throw driftRevert("MathError", "pre-size margin ratio below 5: division by zero");
    const factor = subSaturating(IMF_PRECISION, ((pre - adj) * IMF_PRECISION) / fifth);
    const delta = maxBig(subSaturating(pre, def), 1n);
    return Number((delta * factor) / IMF_PRECISION + def);
  }
  return adj === pre ? defaultMarginRatio : sizeAdjMarginRatio;
}

/** Initial, fill (mid) or maintenance margin requirement. */
export type MarginType = "initial" | "fill" | "maintenance";

/**
 * A perp market's margin ratio (1e4) for a position of `size` base (1e9), with the size premium:
 * `max(base ratio, premium(size, imf_factor, base ratio))`, base ratio = initial, maintenance, or
 * their mean for "fill". In high-leverage mode the HLM ratios apply; HLM initial/fill ratios blend
 * through {@link highLeverageInitialMarginRatioFromSize}.
 * Source: `state/perp_market.rs::get_margin_ratio`; research note §4.1.
 *
 * @example marginRatioMaintenance 500, imf 0 → 500 at any size
 */
export function marginRatio(
  market: PerpMarket,
  size: bigint,
  type: MarginType,
  highLeverageMode = false,
): number {
  const hi = market.highLeverageMarginRatioInitial ?? 0;
  const hm = market.highLeverageMarginRatioMaintenance ?? 0;
  const isHl = highLeverageMode && hi > 0 && hm > 0;
  const [mi, mm] = isHl ? [hi, hm] : [market.marginRatioInitial, market.marginRatioMaintenance];
  const mean = (a: number, b: number) => Math.floor((a + b) / 2);
  const def = type === "initial" ? mi : type === "fill" ? mean(mi, mm) : mm;
  if (isHl && type !== "maintenance") {
    const pre =
      type === "initial"
        ? market.marginRatioInitial
        : mean(market.marginRatioInitial, market.marginRatioMaintenance);
    const adj = sizePremiumLiabilityWeight(size, market.imfFactor, pre, MARGIN_PRECISION, false);
    return highLeverageInitialMarginRatioFromSize(pre, adj, def);
  }
  return Math.max(def, sizePremiumLiabilityWeight(size, market.imfFactor, def, MARGIN_PRECISION, true));
}

// --- fees ------------------------------------------------------------------------------------------------

/**
 * Base liquidator fee (1e6): the market's `liquidatorFee`, or for a high-leverage user
 * `min(liquidatorFee, 0.8 · HLM maintenance ratio)` (`m − ⌊m/5⌋`, `m = ratio·100`).
 * Source: `perp_market.rs::get_base_liquidator_fee`.
 */
export function baseLiquidatorFee(market: PerpMarket, highLeverageMode = false): number {
  const hi = market.highLeverageMarginRatioInitial ?? 0;
  const hm = market.highLeverageMarginRatioMaintenance ?? 0;
  if (!(highLeverageMode && hi > 0 && hm > 0)) return market.liquidatorFee;
  const m = hm * 100;
  return Math.min(market.liquidatorFee, m - Math.floor(m / 5));
}

/**
 * Largest liquidator fee (1e6): `min(3 · liquidatorFee, marginRatioMaintenance · 100)`.
 * Source: `perp_market.rs::get_max_liquidation_fee`; research note §4.2.
 */
export function maxLiquidationFee(market: PerpMarket): number {
  return Math.min(market.liquidatorFee * MAX_LIQUIDATION_MULTIPLIER, market.marginRatioMaintenance * 100);
}

/**
 * The liquidator fee escalating with the user's inactivity: `base` for the first 1,500 slots since
 * `lastActiveSlot`; then `min(base + elapsed · 1, max)` in 1e-6 per slot, counted from the last active
 * slot (not from the end of the grace period). Throws `MathError` if `currentSlot < lastActiveSlot`.
 * Source: drift-rs `crates/src/math/mod.rs::get_liquidation_fee` (mirrors the program);
 * vectors `programs/drift/src/math/liquidation/tests.rs` mod `get_liquidation_fee` (TV-DRIFT-3).
 *
 * @example base 2 %, max 5 %: 10 slots → 2 %; 10,000 slots → 3 %; 100,000 slots → 5 %
 */
export function liquidationFee(
  baseLiquidationFee: number,
  maxLiquidationFee: number,
  lastActiveSlot: number,
  currentSlot: number,
): number {
  for (const [f, v] of [
    ["lastActiveSlot", lastActiveSlot],
    ["currentSlot", currentSlot],
  ] as const)
    if (!Number.isSafeInteger(v) || v < 0)
      throw new InputError(f, v, "must be a non-negative integer slot", "Slots are u64 integers.");
  if (currentSlot < lastActiveSlot)
    throw driftRevert("MathError", "slot < user.last_active_slot", "currentSlot");
  const elapsed = currentSlot - lastActiveSlot;
  if (elapsed < LIQUIDATION_FEE_ADJUST_GRACE_PERIOD_SLOTS) return baseLiquidationFee;
  const raised = Math.min(Number(U32_MAX), baseLiquidationFee + elapsed * LIQUIDATION_FEE_INCREASE_PER_SLOT);
  return Math.min(raised, maxLiquidationFee);
}

/**
 * Base to transfer so that the user's margin shortage is covered, in base precision 1e9:
 * ```
 * base = shortage · 1e9 / ( ⌊⌊P·Pq/1e6⌋ · (mr·100 − fee) / 1e6⌋ − ⌊P · ifFee / 1e6⌋ )
 * ```
 * with `mr` the (buffered) margin ratio in 1e4, fees in 1e6, `P` the oracle and `Pq` the quote
 * oracle price (1e6). Returns null ("all": the program's `u64::MAX`) when `P = 0`, `mr·100 ≤ fee`, or
 * the divisor is not positive. Source: `math/liquidation.rs::calculate_base_asset_amount_to_cover_margin_shortage`;
 * research note §4.2; vectors in `math/liquidation/tests.rs` (TV-DRIFT-1).
 *
 * @example shortage $10, mr 10 %, fee 0, $100 → 1,000,000,000 (1 base); fee 1 % → 1,111,111,111; + IF 1 % → 1,250,000,000
 */
export function baseAssetAmountToCoverMarginShortage(
  marginShortage: bigint,
  marginRatio: number,
  liquidationFee: number,
  ifLiquidationFee: number,
  oraclePrice: bigint,
  quoteOraclePrice: bigint = PRICE_PRECISION,
): bigint | null {
  amount("marginShortage", marginShortage, "Quote precision 1e6.");
  const mr = BigInt(marginRatio) * 100n;
  const fee = BigInt(liquidationFee);
  if (oraclePrice === 0n || mr <= fee) return null;
  const price = (absBig(oraclePrice) * quoteOraclePrice) / PRICE_PRECISION;
  const divisor =
    (price * (mr - fee)) / LIQUIDATION_FEE_PRECISION -
    (absBig(oraclePrice) * BigInt(ifLiquidationFee)) / LIQUIDATION_FEE_PRECISION;
  if (divisor <= 0n) return null;
  return (marginShortage * BASE_PRECISION) / divisor;
}

/**
 * The dynamic insurance-fund fee (1e6): what the buffered margin ratio leaves after the liquidator
 * fee and the shortage per unit of notional, times 95 %, capped by the market's maximum:
 * ```
 * implied = (mr·100 − liquidatorFee − ⌊⌊⌊shortage·1e9/base⌋·1e6⌋ / ⌊P·Pq/1e6⌋⌋)⁺ · 19/20
 * ifFee = min(maxIfFee, implied)
 * ```
 * so the fee shrinks as the account nears bankruptcy. 0 when a price or the base is 0 or
 * `mr·100 ≤ liquidatorFee`. Pass `haircut = false` for the older program version without the 95 %.
 * Source: `math/liquidation.rs::calculate_perp_if_fee`; drift-rs `calculate_perp_if_fee` (19/20);
 * vectors `math/liquidation/tests.rs` mod `calculate_perp_if_fee` (TV-DRIFT-2).
 *
 * @example shortage $20, 10 base @ $100, mr 5 %, liquidator 1 %, max 5 % → 19,000 (2 % × 0.95); $1 → 37,050
 */
export function perpIfFee(
  marginShortage: bigint,
  userBaseAssetAmount: bigint,
  marginRatio: number,
  liquidatorFee: number,
  oraclePrice: bigint,
  quoteOraclePrice: bigint,
  maxIfLiquidationFee: number,
  haircut = true,
): number {
  const mr = BigInt(marginRatio) * 100n;
  const fee = BigInt(liquidatorFee);
  const base = absBig(userBaseAssetAmount);
  if (oraclePrice === 0n || quoteOraclePrice === 0n || base === 0n || mr <= fee) return 0;
  const price = (absBig(oraclePrice) * quoteOraclePrice) / PRICE_PRECISION;
  if (price === 0n) return 0;
  const perNotional = minBig((((marginShortage * BASE_PRECISION) / base) * PRICE_PRECISION) / price, U32_MAX);
  let implied = subSaturating(subSaturating(mr, fee), perNotional);
  if (haircut) implied = (implied * 19n) / 20n;
  return Number(minBig(BigInt(maxIfLiquidationFee), implied));
}

/**
 * The liquidation speed limit: the share (1e4) of the margin shortage a liquidation may free now.
 * `100 %` when the shortage is below $50; otherwise, with `elapsed = slot − lastActiveSlot` counted
 * only once margin has been freed in this liquidation,
 * ```
 * pct = min(1e4, elapsed · 1e4 / duration + initialPct)
 * freeable = (⌊(shortage + freed) · pct / 1e4⌋ − freed)⁺
 * result = ⌊freeable · 1e4 / shortage⌋
 * ```
 * `duration = 0` means no limit. Source: `sdk/src/math/liquidation.ts::calculateMaxPctToLiquidate`
 * (mirrors `math/liquidation.rs::calculate_max_pct_to_liquidate`); vector TV-DRIFT-4.
 *
 * @example shortage $49 → 10,000 (100 %)
 */
export function maxPctToLiquidate(input: {
  lastActiveSlot: bigint;
  liquidationMarginFreed: bigint;
  marginShortage: bigint;
  slot: bigint;
  initialPctToLiquidate: bigint;
  liquidationDuration: bigint;
}): bigint {
  const P = LIQUIDATION_PCT_PRECISION;
  const { marginShortage: shortage, liquidationMarginFreed: freed } = input;
  if (shortage < SMALL_LIQUIDATION_QUOTE) return P;
  const elapsed = freed > 0n ? maxBig(input.slot - input.lastActiveSlot, 0n) : 0n;
  const pct =
    input.liquidationDuration <= 0n
      ? P
      : minBig((elapsed * P) / input.liquidationDuration + input.initialPctToLiquidate, P);
  const freeable = subSaturating(((shortage + freed) * pct) / P, freed);
  return (freeable * P) / shortage;
}

// --- account margin -------------------------------------------------------------------------------------

/** A perp position: signed base (1e9), the position's quote amount (1e6, cost basis incl. settled funding), oracle price (1e6). */
export interface PerpPosition {
  readonly market: PerpMarket;
  readonly baseAssetAmount: bigint;
  /** Drift's `quote_asset_amount`: −entry notional for a long, +entry for a short, plus realised PnL and fees. */
  readonly quoteAssetAmount: bigint;
  readonly oraclePrice: bigint;
}

/** A cross-margin Drift user: USDC deposits (1e6, may be negative = borrow) and perp positions. */
export interface Account {
  readonly quoteBalance: bigint;
  readonly positions: readonly PerpPosition[];
  readonly highLeverageMode?: boolean;
}

/** Total collateral, margin requirement and requirement plus the liquidation buffer (all 1e6). */
export interface MarginCalculation {
  readonly totalCollateral: bigint;
  readonly marginRequirement: bigint;
  readonly marginRequirementPlusBuffer: bigint;
}

/** `|base| · price / 1e9`, rounded down (quote precision). Source: `calculate_base_asset_value_with_oracle_price`. */
export function baseAssetValue(baseAssetAmount: bigint, oraclePrice: bigint): bigint {
  return (absBig(baseAssetAmount) * absBig(oraclePrice)) / BASE_PRECISION;
}

/**
 * Maintenance (or initial) margin of a cross account with the liquidation buffer:
 * `TC = deposits + Σ weighted uPnL` (positive PnL × the market's maintenance asset weight, losses
 * at 1), `MR = Σ ⌊|base|·P · mr(size) / 1e4⌋`, `MR+buffer = MR + Σ ⌊|base|·P · buffer / 1e4⌋`.
 * Simplifications: USDC priced at $1, no open orders, funding already in `quoteAssetAmount`, no spot
 * positions besides USDC. Source: `math/margin.rs::calculate_perp_position_value_and_pnl`,
 * `MarginCalculation` (`margin_requirement_plus_buffer`); research note §4.1.
 */
export function marginCalculation(
  account: Account,
  type: MarginType = "maintenance",
  liquidationMarginBufferRatio = 0,
): MarginCalculation {
  let tc = account.quoteBalance;
  let mr = 0n;
  let buffer = 0n;
  const hl = account.highLeverageMode ?? false;
  for (const p of account.positions) {
    const value = baseAssetValue(p.baseAssetAmount, p.oraclePrice);
    const signed = p.baseAssetAmount < 0n ? -value : value;
    const pnl = signed + p.quoteAssetAmount;
    const weight = BigInt(
      type === "maintenance" ? (p.market.unrealizedPnlMaintenanceAssetWeight ?? 10_000) : 10_000,
    );
    tc += pnl > 0n && weight !== MARGIN_PRECISION ? (pnl * weight) / MARGIN_PRECISION : pnl;
    const ratio = BigInt(marginRatio(p.market, absBig(p.baseAssetAmount), type, hl));
    mr += (value * ratio) / MARGIN_PRECISION;
    buffer += (value * BigInt(liquidationMarginBufferRatio)) / MARGIN_PRECISION;
  }
  return { totalCollateral: tc, marginRequirement: mr, marginRequirementPlusBuffer: mr + buffer };
}

/** Liquidatable: total collateral below the maintenance requirement (`TC < MR`). Source: `MarginCalculation::meets_margin_requirement`. */
export function canBeLiquidated(calc: MarginCalculation): boolean {
  return calc.totalCollateral < calc.marginRequirement;
}

/** A user in liquidation stays in it until `TC ≥ MR + buffer`. Source: `is_user_being_liquidated`, `can_exit_liquidation`. */
export function canExitLiquidation(calc: MarginCalculation): boolean {
  return calc.totalCollateral >= calc.marginRequirementPlusBuffer;
}

/** Margin shortage `(MR + buffer − TC)⁺` (quote 1e6). Source: `MarginCalculation::margin_shortage`. */
export function marginShortage(calc: MarginCalculation): bigint {
  return subSaturating(calc.marginRequirementPlusBuffer, calc.totalCollateral);
}

// --- liquidate_perp -----------------------------------------------------------------------------------------

/** What one `liquidate_perp` call transfers. */
export interface PerpLiquidation {
  /** Liquidator fee used (1e6), after escalation. */
  readonly liquidatorFee: number;
  /** Insurance-fund fee used (1e6). */
  readonly ifFee: number;
  /** Buffered margin ratio (1e4). */
  readonly marginRatioWithBuffer: number;
  /** Base that would cover the shortage, step-rounded up; null = the whole position. */
  readonly baseToCoverMarginShortage: bigint | null;
  /** Speed limit (1e4). */
  readonly maxPctAllowed: bigint;
  /** Base transferred to the liquidator (magnitude, 1e9). */
  readonly baseAssetAmount: bigint;
  /** Its oracle value (1e6). */
  readonly baseAssetValue: bigint;
  /** Quote the user pays the liquidator (1e6). */
  readonly liquidatorFeeQuote: bigint;
  /** Quote the user pays the insurance fund (1e6). */
  readonly ifFeeQuote: bigint;
  /** Whether this transfer covers the whole shortage (the user leaves liquidation). */
  readonly coversShortage: boolean;
}

/**
 * One `liquidate_perp` takeover: the liquidator takes base at the oracle price, the user pays the
 * liquidator fee and the insurance-fund fee on its value. Steps, as in the program:
 * `mr+buffer`; liquidator fee escalated from the base fee ({@link liquidationFee}); IF fee
 * ({@link perpIfFee}); base to cover the shortage ({@link baseAssetAmountToCoverMarginShortage},
 * rounded up to the step); speed limit ({@link maxPctToLiquidate}); positions worth ≤ $50 may be
 * taken whole; `min(|base|, liquidator max, max(allowed, small-position minimum))`, rounded up to the step.
 * Source: `controller/liquidation.rs::liquidate_perp`; research note §4.2.
 */
export function liquidatePerp(input: {
  market: PerpMarket;
  userBaseAssetAmount: bigint;
  oraclePrice: bigint;
  quoteOraclePrice?: bigint;
  marginShortage: bigint;
  liquidatorMaxBaseAssetAmount: bigint;
  slot: number;
  lastActiveSlot: number;
  liquidationMarginFreed?: bigint;
  initialPctToLiquidate?: bigint;
  liquidationDuration?: bigint;
  liquidationMarginBufferRatio?: number;
  highLeverageMode?: boolean;
  /** false = the older program's flat `liquidator_fee` (no escalation). */
  escalateFee?: boolean;
}): PerpLiquidation {
  const { market } = input;
  const step = market.orderStepSize ?? 1n;
  const base = absBig(input.userBaseAssetAmount);
  const quotePrice = input.quoteOraclePrice ?? PRICE_PRECISION;
  const hl = input.highLeverageMode ?? false;
  const mr = marginRatio(market, base, "maintenance", hl);
  const mrBuf = mr + (input.liquidationMarginBufferRatio ?? DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO);
  const liquidatorFee =
    input.escalateFee === false
      ? market.liquidatorFee
      : liquidationFee(
          baseLiquidatorFee(market, hl),
          maxLiquidationFee(market),
          input.lastActiveSlot,
          input.slot,
        );
  const ifFee = perpIfFee(
    input.marginShortage,
    base,
    mrBuf,
    liquidatorFee,
    input.oraclePrice,
    quotePrice,
    market.ifLiquidationFee,
  );
  const raw = baseAssetAmountToCoverMarginShortage(
    input.marginShortage,
    mrBuf,
    liquidatorFee,
    ifFee,
    input.oraclePrice,
    quotePrice,
  );
  const toCover = raw === null ? null : ceilToMultiple(raw, step);
  const maxPct = maxPctToLiquidate({
    lastActiveSlot: BigInt(input.lastActiveSlot),
    liquidationMarginFreed: input.liquidationMarginFreed ?? 0n,
    marginShortage: input.marginShortage,
    slot: BigInt(input.slot),
    initialPctToLiquidate: input.initialPctToLiquidate ?? LIQUIDATION_PCT_PRECISION,
    liquidationDuration: input.liquidationDuration ?? 0n,
  });
  const coverable = toCover ?? base;
  const allowed = (coverable * maxPct) / LIQUIDATION_PCT_PRECISION;
  const minBase = baseAssetValue(base, input.oraclePrice) > SMALL_LIQUIDATION_QUOTE ? 0n : base;
  let taken =
    allowed === 0n ? 0n : minBig(minBig(base, input.liquidatorMaxBaseAssetAmount), maxBig(allowed, minBase));
  if (taken > 0n) taken = minBig(ceilToMultiple(taken, step), base);
  const value = baseAssetValue(taken, input.oraclePrice);
  return {
    liquidatorFee,
    ifFee,
    marginRatioWithBuffer: mrBuf,
    baseToCoverMarginShortage: toCover,
    maxPctAllowed: maxPct,
    baseAssetAmount: taken,
    baseAssetValue: value,
    liquidatorFeeQuote: (value * BigInt(liquidatorFee)) / LIQUIDATION_FEE_PRECISION,
    ifFeeQuote: (value * BigInt(ifFee)) / LIQUIDATION_FEE_PRECISION,
    coversShortage: toCover !== null && taken >= toCover,
  };
}

// --- bankruptcy ----------------------------------------------------------------------------------------------

/**
 * The cumulative-funding shift that socialises a perp loss over open interest:
 * `Δ = ⌈|loss| · 1e9 / (|long| + |short|)⌉ · 1e3` (funding-rate precision; longs' cumulative rate
 * rises and shorts' falls by Δ, so every open position pays its share). Throws
 * `CantResolvePerpBankruptcy` when open interest is 0.
 * Source: `math/liquidation.rs::calculate_funding_rate_deltas_to_resolve_bankruptcy`; test
 * `total_base_asset_amount_not_zero` (loss $100, 7 long + 4 short → 9,090,910,000).
 */
export function fundingRateDeltaToResolveBankruptcy(
  loss: bigint,
  baseAssetAmountLong: bigint,
  baseAssetAmountShort: bigint,
): bigint {
  const total = absBig(baseAssetAmountLong) + absBig(baseAssetAmountShort);
  if (total === 0n)
    throw driftRevert(
      "CantResolvePerpBankruptcy",
      "Cant resolve perp bankruptcy when total base asset amount is 0",
    );
  return mulDiv(absBig(loss), BASE_PRECISION, total, "up") * (FUNDING_RATE_PRECISION / QUOTE_PRECISION);
}

/**
 * What one position pays (quote 1e6, magnitude, rounded down) when the cumulative funding rate moves
 * by `delta` against it: `|base| · Δ / 1e12`. Source: funding settlement precision
 * (`QUOTE_TO_BASE_AMT_FUNDING_PRECISION` = 1e9·1e9/1e6).
 */
export function fundingPayment(delta: bigint, baseAssetAmount: bigint): bigint {
  return (
    (absBig(baseAssetAmount) * absBig(delta)) / (BASE_PRECISION * (FUNDING_RATE_PRECISION / QUOTE_PRECISION))
  );
}

/** Outcome of {@link resolvePerpBankruptcy} (quote 1e6 unless stated). */
export interface PerpBankruptcyResolution {
  /** Paid by the insurance fund. */
  readonly ifPayment: bigint;
  /** Paid by the market's fee pool. */
  readonly feePoolPayment: bigint;
  /** Left to socialise (≤ 0). */
  readonly lossToSocialize: bigint;
  /** Funding-rate shift (1e9) applied to both sides; 0 when nothing is socialised. */
  readonly cumulativeFundingRateDelta: bigint;
}

/**
 * Resolves a bankrupt user's perp loss (`loss` < 0, the position's negative quote amount): the
 * insurance fund pays `min(|loss|, vault − 1, quoteMaxInsurance − quoteSettledInsurance)`, the
 * market's fee pool pays up to its tokens, the rest is socialised through cumulative funding
 * ({@link fundingRateDeltaToResolveBankruptcy}). Throws `InvalidPerpPositionToLiquidate` unless
 * `loss < 0`. Source: `controller/liquidation.rs::resolve_perp_bankruptcy`; research note §4.2.
 */
export function resolvePerpBankruptcy(input: {
  loss: bigint;
  insuranceFundVaultBalance: bigint;
  quoteMaxInsurance: bigint;
  quoteSettledInsurance: bigint;
  feePoolTokens?: bigint;
  baseAssetAmountLong: bigint;
  baseAssetAmountShort: bigint;
}): PerpBankruptcyResolution {
  if (input.loss >= 0n) throw driftRevert("InvalidPerpPositionToLiquidate", "user must have negative pnl");
  const maxWithdraw = subSaturating(input.quoteMaxInsurance, input.quoteSettledInsurance);
  const ifPayment = minBig(
    minBig(absBig(input.loss), subSaturating(input.insuranceFundVaultBalance, 1n)),
    maxWithdraw,
  );
  const remaining = input.loss + ifPayment;
  const feePoolPayment = remaining < 0n ? minBig(absBig(remaining), input.feePoolTokens ?? 0n) : 0n;
  const lossToSocialize = remaining + feePoolPayment;
  const cumulativeFundingRateDelta =
    lossToSocialize < 0n
      ? fundingRateDeltaToResolveBankruptcy(
          lossToSocialize,
          input.baseAssetAmountLong,
          input.baseAssetAmountShort,
        )
      : 0n;
  return { ifPayment, feePoolPayment, lossToSocialize, cumulativeFundingRateDelta };
}

/**
 * Spot-borrow bankruptcy: the depositors' cumulative interest falls by
 * `⌈cumulativeDepositInterest · borrow / totalDeposits⌉` (0 when there are no deposits).
 * Source: `math/liquidation.rs::calculate_cumulative_deposit_interest_delta_to_resolve_bankruptcy`;
 * test `non_zero_total_deposits` (11 USDC over 120 → 916,666,667).
 */
export function cumulativeDepositInterestDelta(
  borrow: bigint,
  cumulativeDepositInterest: bigint,
  totalDeposits: bigint,
): bigint {
  if (totalDeposits <= 0n) return 0n;
  return mulDiv(cumulativeDepositInterest, borrow, totalDeposits, "up");
}

// --- float views --------------------------------------------------------------------------------------------

/**
 * The SDK's liquidation price for one perp position (float): `P − FC / ΔFC` with the maintenance
 * free collateral `FC = TC − MR` and its change per $1 of price `ΔFC = (1 − mr)·base` for a long,
 * `(−1 − mr)·|base|` for a short (`mr` the size-adjusted maintenance ratio as a fraction). Null when
 * there is no positive liquidation price. Source: `sdk/src/user.ts::liquidationPrice`; research note §4.2.
 *
 * @example long 10 @ $100, FC $20, mr 5 % → 100 − 20/9.5 = 97.894…
 */
export function liquidationPrice(input: {
  oraclePrice: number;
  baseAmount: number;
  freeCollateral: number;
  maintenanceMarginRatio: number;
}): number | null {
  const b = input.baseAmount;
  const delta =
    b > 0 ? (1 - input.maintenanceMarginRatio) * b : (-1 - input.maintenanceMarginRatio) * Math.abs(b);
  if (delta === 0) return null;
  const p = input.oraclePrice - input.freeCollateral / delta;
  return Number.isFinite(p) && p > 0 ? p : null;
}

// --- the Venue rulebook -------------------------------------------------------------------------------------

/** Margin on the oracle price, no fee to close, equality is not liquidatable (`TC < MR`). */
const DRIFT_RULES: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: false };

/**
 * Drift's procedure for the engine's float state: nothing while equity ≥ MM; otherwise cancel open
 * orders, then a liquidator takes over the base needed to restore MM + 2 % buffer (at the oracle price
 * minus the liquidator fee; `shortage / (N·(mr + buffer − fee))` of the position), all of it when the
 * equity is negative; a negative remainder is bankruptcy: insurance fund, then socialised loss.
 * Source: `controller/liquidation.rs::liquidate_perp`, `resolve_perp_bankruptcy`; research note §4.2.
 */
export function liquidationSteps(
  state: LiquidationState,
  liquidatorFee = 0,
  bufferRatio = DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO / 10_000,
): LiquidationStep[] {
  const none = noLiquidation(state, DRIFT_RULES);
  if (none !== null) return none;
  const steps: LiquidationStep[] = [
    { action: "cancel-open-orders", fraction: 0, note: "open orders are cancelled first (liquidate_perp)" },
  ];
  const n = state.notional;
  const mr = n > 0 ? state.maintenanceMargin / n : 0;
  const shortage = state.maintenanceMargin + bufferRatio * n - state.equity;
  const per = n * (mr + bufferRatio - liquidatorFee);
  const fraction = state.equity <= 0 || per <= 0 ? 1 : Math.min(1, shortage / per);
  steps.push({
    action: "backstop-takeover",
    fraction,
    note: "a liquidator takes over base at the oracle price less the liquidator fee (escalating with the user's inactivity), plus the dynamic insurance-fund fee, until MM + 2 % buffer is met; the share per call grows with slots",
  });
  if (state.equity < 0) {
    steps.push({
      action: "close-at-bankruptcy",
      fraction: 1,
      note: "bankrupt: the insurance fund pays, then the market's fee pool, then the loss is socialised by shifting cumulative funding on both sides",
    });
  }
  return steps;
}

/**
 * Drift v2 perps as a {@link Venue}, for markets whose on-chain parameters the caller supplies (Drift's
 * per-market values are on-chain state, not bundled): one tier per market (`mmr = marginRatioMaintenance`,
 * max leverage `1/marginRatioInitial`); the size premium is not a tier table and is applied by
 * {@link marginRatio}, not by the engine. Source: `state/perp_market.rs` (parameters),
 * `controller/liquidation.rs` (procedure); research note §4, §12 (mainnet values are on-chain only).
 */
export function venue(
  markets: readonly PerpMarket[],
  asOf = "caller-supplied",
  source = "on-chain PerpMarket accounts",
): Venue {
  const listed = new Map<string, ListedInstrument>();
  markets.forEach((m, i) => {
    validatePerpMarket(m, `markets[${i}]`);
    const tiers = buildTierTable([
      {
        notionalFloor: 0,
        mmr: m.marginRatioMaintenance / 10_000,
        maxLeverage: m.marginRatioInitial > 0 ? 10_000 / m.marginRatioInitial : Number.POSITIVE_INFINITY,
      },
    ]);
    listed.set(m.symbol, {
      instrument: { symbol: m.symbol, kind: "linear", contractSize: 1, marginAsset: "USDC" },
      table: { symbol: m.symbol, asOf, source, tiers },
    });
  });
  const bySymbol = new Map(markets.map((m) => [m.symbol, m]));
  return defineVenue(
    {
      id: "drift-v2",
      name: "Drift v2",
      contractKind: "linear",
      settlementAsset: "USDC",
      rules: DRIFT_RULES,
      sources: [
        `markets: ${source} (${asOf})`,
        "rules: drift-labs/protocol-v2 programs/drift/src/controller/liquidation.rs, math/liquidation.rs, state/perp_market.rs",
      ],
      liquidationSteps: (state) => liquidationSteps(state),
      liquidationFeeRate: (symbol) => {
        const m = bySymbol.get(symbol);
        return m === undefined ? 0 : (m.liquidatorFee + m.ifLiquidationFee) / 1e6;
      },
      adlScore: () => 0,
      describe: () => ({
        liquidation: [
          "Trigger: oracle price; total collateral below the maintenance requirement Σ |base|·P·mr, mr = max(base ratio, 0.8·base + √(10·size)·imf/1e7).",
          "While in liquidation the target is maintenance + 2 % buffer; a liquidator takes over base at the oracle price less the liquidator fee, which rises 0.01 bp per slot after 1,500 slots of user inactivity up to min(3 × fee, maintenance ratio).",
          "Speed limit: the share of the shortage one call may free grows with slots (initial pct + slots/duration); shortages under $50 and positions under $50 go at once.",
        ],
        insurance: [
          "The insurance fund takes a dynamic fee min(max IF fee, 95 % × (mr+buffer − liquidator fee − shortage per notional)), so the fee never makes the user bankrupt.",
          "Bankruptcy: the insurance fund pays first (up to the market's max insurance), then the fee pool.",
        ],
        adl: [
          "No auto-deleveraging of perps: the remaining loss is socialised across open interest by shifting the cumulative funding rate, Δ = ⌈loss/(|long|+|short|)⌉.",
        ],
      }),
    },
    listed,
  );
}

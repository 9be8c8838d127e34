import { InputError } from "../errors.js";

/**
 * One maintenance-margin tier (a Binance "bracket", a Bybit "risk limit", a Hyperliquid "margin tier").
 * Notionals are in the unit the venue uses for the instrument: quote currency for linear contracts,
 * the coin for inverse (coin-margined) contracts.
 */
export interface Tier {
  /** Lowest notional of the tier (inclusive). */
  notionalFloor: number;
  /** Highest notional of the tier (exclusive); `Infinity` for an open last tier. */
  notionalCap: number;
  /** Maintenance margin rate, a fraction (0.004 = 0.4 %). */
  mmr: number;
  /** Maintenance amount ("cum", "maintenance deduction") that keeps MM continuous across tiers. */
  cum: number;
  /** Largest leverage allowed for a position whose notional falls in this tier. */
  maxLeverage: number;
}

/** A tier table, ordered by notional floor, first floor 0. */
export type TierTable = readonly Tier[];

/** Relative tolerance of the continuity check; venues publish `cum` rounded to the cent or finer. */
const CUM_TOLERANCE = 1e-6;

/**
 * Index of the tier holding `notional`: the last tier whose floor is ≤ notional
 * (Binance and freqtrade: `notional >= floor`; a notional equal to a floor belongs to the upper tier).
 * Notionals beyond the last cap stay in the last tier.
 */
export function tierIndex(tiers: TierTable, notional: number): number {
  let k = 0;
  while (k + 1 < tiers.length && notional >= (tiers[k + 1] as Tier).notionalFloor) k++;
  return k;
}

/** The tier holding `notional` (see {@link tierIndex}). */
export function tierFor(tiers: TierTable, notional: number): Tier {
  return tiers[tierIndex(tiers, notional)] as Tier;
}

/**
 * Tiered maintenance margin `MM = N·mmr_k − cum_k` where `k` is the tier of `N`
 * (Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts";
 * Hyperliquid docs "Margin tiers": `notional × mmr − maintenance_deduction`).
 *
 * @example maintenanceMargin(binanceBtc2020, 500_000) // 500,000 × 1 % − 1,300 = 3,700
 */
export function maintenanceMargin(tiers: TierTable, notional: number): number {
  const tier = tierFor(tiers, notional);
  return notional * tier.mmr - tier.cum;
}

/**
 * The maintenance amount that continuity demands for tier `n`:
 * `cum_n = cum_{n−1} + floor_n·(mmr_n − mmr_{n−1})`, `cum_0 = 0`
 * (Binance FAQ, "Maintenance Amount" worked example: 250,000 × (1 % − 0.5 %) + 50 = 1,300).
 */
export function continuousCum(previous: Tier, floor: number, mmr: number): number {
  return previous.cum + floor * (mmr - previous.mmr);
}

/** A tier given without its maintenance amount, e.g. Hyperliquid's (floor, max leverage) table. */
export interface TierSpec {
  notionalFloor: number;
  mmr: number;
  maxLeverage: number;
}

/**
 * Builds a continuous tier table from floors and rates, filling caps from the next floor and `cum`
 * from the continuity recurrence ({@link continuousCum}). Used for venues that publish only the
 * floors and rates (Hyperliquid deductions, Bybit risk limits).
 */
export function buildTierTable(specs: readonly TierSpec[]): Tier[] {
  const out: Tier[] = [];
  specs.forEach((spec, n) => {
    const next = specs[n + 1];
    const previous = out[n - 1];
    out.push({
      notionalFloor: spec.notionalFloor,
      notionalCap: next === undefined ? Number.POSITIVE_INFINITY : next.notionalFloor,
      mmr: spec.mmr,
      cum: previous === undefined ? 0 : continuousCum(previous, spec.notionalFloor, spec.mmr),
      maxLeverage: spec.maxLeverage,
    });
  });
  validateTierTable(out, "tiers");
  return out;
}

/**
 * Checks a tier table: at least one tier, first floor 0, each cap equal to the next floor,
 * rates in [0, 1) and non-decreasing, max leverage > 0, and the continuity rule for `cum`
 * (relative tolerance 1e-6 of the notional-scaled amount). Throws an {@link InputError} naming
 * the first tier and field that break a rule.
 */
export function validateTierTable(tiers: TierTable, field: string): void {
  if (tiers.length === 0) {
    throw new InputError(field, tiers, "has no tiers", "Give at least one tier starting at notionalFloor 0.");
  }
  tiers.forEach((tier, n) => {
    const at = `${field}[${n}]`;
    for (const key of ["notionalFloor", "notionalCap", "mmr", "cum", "maxLeverage"] as const) {
      const v = tier[key];
      const ok = typeof v === "number" && !Number.isNaN(v) && (key === "notionalCap" || Number.isFinite(v));
      if (!ok) throw new InputError(`${at}.${key}`, v, "must be a number", "Fill every tier field.");
    }
    if (tier.mmr < 0 || tier.mmr >= 1) {
      throw new InputError(`${at}.mmr`, tier.mmr, "must be a fraction in [0, 1)", "Write 0.5 % as 0.005.");
    }
    if (tier.maxLeverage <= 0) {
      throw new InputError(
        `${at}.maxLeverage`,
        tier.maxLeverage,
        "must be positive",
        "Use e.g. 125 for 125x.",
      );
    }
    if (tier.notionalCap <= tier.notionalFloor) {
      throw new InputError(
        `${at}.notionalCap`,
        tier.notionalCap,
        "must exceed notionalFloor",
        "Order the bounds.",
      );
    }
    const previous = tiers[n - 1];
    if (previous === undefined) {
      if (tier.notionalFloor !== 0) {
        throw new InputError(
          `${at}.notionalFloor`,
          tier.notionalFloor,
          "must be 0 in the first tier",
          "Start at 0.",
        );
      }
      if (Math.abs(tier.cum) > CUM_TOLERANCE) {
        throw new InputError(`${at}.cum`, tier.cum, "must be 0 in the first tier", "Set cum to 0.");
      }
      return;
    }
    if (tier.notionalFloor !== previous.notionalCap) {
      throw new InputError(
        `${at}.notionalFloor`,
        tier.notionalFloor,
        `must equal the previous tier's notionalCap ${previous.notionalCap}`,
        "Tiers must be contiguous.",
      );
    }
    if (tier.mmr < previous.mmr) {
      throw new InputError(
        `${at}.mmr`,
        tier.mmr,
        `is below the previous tier's ${previous.mmr}`,
        "Rates rise with notional.",
      );
    }
    const expected = continuousCum(previous, tier.notionalFloor, tier.mmr);
    if (Math.abs(tier.cum - expected) > CUM_TOLERANCE * Math.max(1, tier.notionalFloor * tier.mmr)) {
      throw new InputError(
        `${at}.cum`,
        tier.cum,
        `breaks continuity: cum_n = cum_{n-1} + floor_n·(mmr_n − mmr_{n-1}) = ${expected}`,
        `Set cum to ${expected} or correct the floor/mmr.`,
      );
    }
  });
}

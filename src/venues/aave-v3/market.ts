/**
 * Aave v3 version rules (rounding and close-factor form per Pool release), PercentageMath with a
 * named rounding, and the market index: validation against the PoolConfigurator's rules and the
 * lookups of reserves, prices and e-mode categories. Part of the `aave-v3` namespace
 * (src/venues/aave-v3.ts).
 */
import { InputError } from "../../errors.js";
import { mulDiv, PERCENTAGE_FACTOR, percentDiv, percentMul, type Rounding } from "../../math/fixed-point.js";
import {
  type Account,
  type EModeCategory,
  type Market,
  MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
  type ReserveParams,
  type Version,
} from "./types.js";

/** A rounding direction of the Pool's math (PercentageMath, WadRayMath, MathUtils). */
type Dir = Rounding;

interface VersionRules {
  debtValue: "down" | "up";
  hfForm: "weighted-sum" | "average-lt";
  positionCloseFactor: boolean;
  dustAndDeficit: boolean;
  dustCollateralIncludesFee: boolean;
  maxCollateral: Dir;
  debtNeeded: Dir;
  bonusBase: Dir;
  protocolFee: Dir;
  availableBorrows: Dir;
}

const LEGACY: VersionRules = {
  debtValue: "down",
  hfForm: "average-lt",
  positionCloseFactor: false,
  dustAndDeficit: false,
  dustCollateralIncludesFee: false,
  maxCollateral: "halfUp",
  debtNeeded: "halfUp",
  bonusBase: "halfUp",
  protocolFee: "halfUp",
  availableBorrows: "halfUp",
};
const RULES: Record<Version, VersionRules> = {
  "3.2": LEGACY,
  "3.3": { ...LEGACY, positionCloseFactor: true, dustAndDeficit: true },
  "3.5": {
    ...LEGACY,
    positionCloseFactor: true,
    dustAndDeficit: true,
    debtValue: "up",
    hfForm: "weighted-sum",
    dustCollateralIncludesFee: true,
    debtNeeded: "up",
    availableBorrows: "down",
  },
  "3.7": {
    debtValue: "up",
    hfForm: "weighted-sum",
    positionCloseFactor: true,
    dustAndDeficit: true,
    dustCollateralIncludesFee: true,
    maxCollateral: "down",
    debtNeeded: "up",
    bonusBase: "down",
    protocolFee: "up",
    availableBorrows: "down",
  },
};
const VERSIONS: readonly Version[] = ["3.7", "3.5", "3.3", "3.2"];

export function rulesOf(version: Version | undefined): VersionRules {
  const v = version ?? "3.7";
  const r = RULES[v];
  if (r === undefined)
    throw new InputError(
      "version",
      v,
      "is not a known Aave v3 rule set",
      `Use one of: ${VERSIONS.join(", ")}.`,
    );
  return r;
}

/** `value·pct / 1e4` rounded as named (PercentageMath `percentMul`, `percentMulFloor`, `percentMulCeil`). */
export function pctMul(value: bigint, pct: bigint, dir: Dir): bigint {
  return dir === "halfUp" ? percentMul(value, pct) : mulDiv(value, pct, PERCENTAGE_FACTOR, dir);
}

/** `value·1e4 / pct` rounded as named (PercentageMath `percentDiv`, `percentDivFloor`, `percentDivCeil`). */
export function pctDiv(value: bigint, pct: bigint, dir: Dir): bigint {
  return dir === "halfUp" ? percentDiv(value, pct) : mulDiv(value, PERCENTAGE_FACTOR, pct, dir);
}

// ---------------------------------------------------------------------------------------------
// Validation and lookup
// ---------------------------------------------------------------------------------------------

export interface IndexedMarket {
  market: Market;
  rules: VersionRules;
  version: Version;
  reserves: Map<string, ReserveParams>;
  eModes: Map<number, EModeCategory>;
  threshold: bigint;
  leftover: bigint;
}

const INDEX = new WeakMap<Market, IndexedMarket>();

export function intIn(value: unknown, field: string, min: number, max: number, fix: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw new InputError(field, value, `must be an integer from ${min} to ${max}`, fix);
  return value;
}

/**
 * Checks a market against the PoolConfigurator's rules and indexes it: decimals 0–77, LTV ≤ LT ≤
 * 100 %, a bonus above 100 % for any collateral (LT > 0), `percentMul(LT, bonus) ≤ 100 %` (so that a
 * liquidation cannot take more than the collateral backing the debt), fee ≤ 100 %; the same for every
 * e-mode category, whose collateral must be listed reserves. Throws an {@link InputError} naming the
 * field. Source: aave-v3-origin `PoolConfigurator.configureReserveAsCollateral`, `setEModeCategory`.
 */
export function validateMarket(market: Market): void {
  indexMarket(market);
}

function checkRiskParams(
  p: { ltvBps: number; liquidationThresholdBps: number; liquidationBonusBps: number },
  field: string,
): void {
  const bpsFix = "Percentages are basis points: 10,000 = 100 %.";
  intIn(p.ltvBps, `${field}.ltvBps`, 0, 10_000, bpsFix);
  intIn(p.liquidationThresholdBps, `${field}.liquidationThresholdBps`, 0, 10_000, bpsFix);
  intIn(
    p.liquidationBonusBps,
    `${field}.liquidationBonusBps`,
    0,
    65_535,
    "The bonus includes the principal: 10,500 = +5 %.",
  );
  if (p.ltvBps > p.liquidationThresholdBps)
    throw new InputError(
      `${field}.ltvBps`,
      p.ltvBps,
      "must not exceed the liquidation threshold",
      "Set LTV ≤ LT.",
    );
  if (p.liquidationThresholdBps > 0) {
    if (p.liquidationBonusBps <= 10_000)
      throw new InputError(
        `${field}.liquidationBonusBps`,
        p.liquidationBonusBps,
        "must be above 10,000 for a collateral",
        "The bonus includes the principal: 10,500 = +5 %.",
      );
    if (percentMul(BigInt(p.liquidationThresholdBps), BigInt(p.liquidationBonusBps)) > PERCENTAGE_FACTOR)
      throw new InputError(
        `${field}.liquidationBonusBps`,
        p.liquidationBonusBps,
        `times the liquidation threshold (${p.liquidationThresholdBps}) exceeds 100 %`,
        "Aave requires LT × bonus ≤ 100 %; lower one of them.",
      );
  }
}

export function indexMarket(market: Market): IndexedMarket {
  const cached = INDEX.get(market);
  if (cached !== undefined) return cached;
  const rules = rulesOf(market.version);
  const reserves = new Map<string, ReserveParams>();
  market.reserves.forEach((r, i) => {
    const field = `reserves[${i}]`;
    if (typeof r.symbol !== "string" || r.symbol === "")
      throw new InputError(`${field}.symbol`, r.symbol, "must be a non-empty string", "Name the reserve.");
    if (reserves.has(r.symbol))
      throw new InputError(`${field}.symbol`, r.symbol, "is listed twice", "List each reserve once.");
    intIn(r.decimals, `${field}.decimals`, 0, 77, "Use the token's ERC-20 decimals.");
    checkRiskParams(r, field);
    intIn(
      r.liquidationProtocolFeeBps,
      `${field}.liquidationProtocolFeeBps`,
      0,
      10_000,
      "A share of the bonus in bps.",
    );
    reserves.set(r.symbol, r);
  });
  const eModes = new Map<number, EModeCategory>();
  (market.eModeCategories ?? []).forEach((c, i) => {
    const field = `eModeCategories[${i}]`;
    intIn(c.id, `${field}.id`, 1, 255, "Category ids run from 1 to 255 (0 is 'no e-mode').");
    if (eModes.has(c.id))
      throw new InputError(`${field}.id`, c.id, "is used twice", "Give each category its own id.");
    checkRiskParams(c, field);
    for (const list of ["collateralSymbols", "borrowableSymbols"] as const)
      (c[list] ?? []).forEach((s, j) => {
        if (!reserves.has(s))
          throw new InputError(
            `${field}.${list}[${j}]`,
            s,
            "is not a reserve of the market",
            "List reserves only.",
          );
      });
    eModes.set(c.id, c);
  });
  const threshold = market.minBaseMaxCloseFactorThreshold ?? MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD;
  const indexed: IndexedMarket = {
    market,
    rules,
    version: market.version ?? "3.7",
    reserves,
    eModes,
    threshold,
    leftover: market.minLeftoverBase ?? threshold / 2n,
  };
  INDEX.set(market, indexed);
  return indexed;
}

export function reserveOf(m: IndexedMarket, symbol: string, field: string): ReserveParams {
  const r = m.reserves.get(symbol);
  if (r === undefined)
    throw new InputError(
      field,
      symbol,
      `is not a reserve of ${m.market.name}`,
      `Use one of: ${[...m.reserves.keys()].join(", ")}.`,
    );
  return r;
}

export function priceOf(account: Account, symbol: string, field: string): bigint {
  const p = account.prices[symbol];
  if (typeof p !== "bigint" || p <= 0n)
    throw new InputError(
      `${field}`,
      p,
      `must be a positive bigint price for ${symbol}`,
      "Prices are base units with 8 decimals ($1 = 100_000_000n).",
    );
  return p;
}

export function eModeOf(m: IndexedMarket, account: Account): EModeCategory | null {
  const id = account.eModeCategoryId ?? 0;
  if (id === 0) return null;
  const c = m.eModes.get(id);
  if (c === undefined)
    throw new InputError(
      "eModeCategoryId",
      id,
      `is not an e-mode category of ${m.market.name}`,
      "Use 0 or a listed category.",
    );
  return c;
}

/**
 * The LTV, LT and bonus that apply to `symbol` as collateral for a user in e-mode `eModeCategoryId`:
 * the category's values when the reserve is collateral in that category, else the reserve's own.
 * Source: GenericLogic `calculateUserAccountData` (`isInEModeCategory ? eModeLt : lt`) and
 * LiquidationLogic `executeLiquidationCall` (e-mode `liquidationBonus` when the collateral is on the
 * category's collateral bitmap).
 */
export function effectiveCollateralParams(
  market: Market,
  symbol: string,
  eModeCategoryId = 0,
): { ltvBps: number; liquidationThresholdBps: number; liquidationBonusBps: number; inEMode: boolean } {
  const m = indexMarket(market);
  const r = reserveOf(m, symbol, "symbol");
  const c =
    eModeCategoryId === 0 ? null : eModeOf(m, { supplies: [], borrows: [], prices: {}, eModeCategoryId });
  if (c?.collateralSymbols.includes(symbol))
    return {
      ltvBps: c.ltvBps,
      liquidationThresholdBps: c.liquidationThresholdBps,
      liquidationBonusBps: c.liquidationBonusBps,
      inEMode: true,
    };
  return {
    ltvBps: r.ltvBps,
    liquidationThresholdBps: r.liquidationThresholdBps,
    liquidationBonusBps: r.liquidationBonusBps,
    inEMode: false,
  };
}

export function checkAccount(m: IndexedMarket, account: Account): void {
  const seen = new Set<string>();
  account.supplies.forEach((s, i) => {
    reserveOf(m, s.symbol, `supplies[${i}].symbol`);
    if (seen.has(s.symbol))
      throw new InputError(`supplies[${i}].symbol`, s.symbol, "is supplied twice", "Merge the balances.");
    seen.add(s.symbol);
    if (typeof s.balance !== "bigint" || s.balance < 0n)
      throw new InputError(
        `supplies[${i}].balance`,
        s.balance,
        "must be a non-negative bigint",
        "Balances are token units (wei).",
      );
    priceOf(account, s.symbol, `prices.${s.symbol}`);
  });
  seen.clear();
  account.borrows.forEach((b, i) => {
    reserveOf(m, b.symbol, `borrows[${i}].symbol`);
    if (seen.has(b.symbol))
      throw new InputError(`borrows[${i}].symbol`, b.symbol, "is borrowed twice", "Merge the balances.");
    seen.add(b.symbol);
    if (typeof b.balance !== "bigint" || b.balance < 0n)
      throw new InputError(
        `borrows[${i}].balance`,
        b.balance,
        "must be a non-negative bigint",
        "Balances are token units (wei).",
      );
    priceOf(account, b.symbol, `prices.${b.symbol}`);
  });
  eModeOf(m, account);
}

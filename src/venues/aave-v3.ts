/**
 * Aave v3 liquidation rules, computed the way the Pool contracts compute them: bigint token units,
 * prices in the base currency with 8 decimals (USD × 1e8), percentages in basis points, and every
 * rounding named. Next to the exact path sits a float path (the {@link LendingAccount} view of
 * `src/margin/lending.ts`, and a typed-array kernel for many accounts at once).
 *
 * Re-derived from the formulas of the public source, no code copied (aave-v3-origin is BUSL-1.1):
 * - aave-dao/aave-v3-origin `src/contracts/protocol/libraries/logic/GenericLogic.sol`
 *   (`calculateUserAccountData`, read at 00cec228…), `LiquidationLogic.sol` (`executeLiquidationCall`,
 *   `_calculateAvailableCollateralToLiquidate`, `_burnDebtTokens`, `_burnBadDebt`; v3.3 read at
 *   027aaed7…, v3.5/3.6 at e4cc47ee…), `ValidationLogic.sol` (`validateLiquidationCall`);
 * - `docs/3.3/Aave-v3.3-features.md` (position-level close factor, dust rule, deficit),
 *   `docs/3.5/Aave-v3.5-features.md` (debt valued up, collateral down), `docs/3.7/liquidation-rounding.md`
 *   and `docs/3.7/Aave-v3.7-changelog.md` (rounding against the liquidator, sentinel removal);
 * - aave/aave-v3-core `contracts/protocol/libraries/logic/{GenericLogic,LiquidationLogic}.sol` (v3.0.x:
 *   average-LT health factor, per-reserve 50 %/100 % close factor).
 *
 * Model limits: balances are taken as given ({@link aTokenBalance} / {@link variableDebtBalance} turn
 * scaled balances and indexes into them, as the tokens' `balanceOf` does), reserves are active and
 * unpaused, no per-reserve liquidation grace period, no self-liquidation check. Isolation mode and
 * siloed borrowing are borrow-side rules ({@link isolationModeState}, {@link validateBorrow}); they do
 * not change the health factor or `liquidationCall` except for the isolated debt a liquidation repays
 * ({@link isolatedDebtAfterRepay}). Solidity's uint256 overflow reverts are not modelled
 * (bigint does not overflow).
 */
import { InputError } from "../errors.js";
import { type LendingAccount, healthFactor as lendingHealthFactor } from "../margin/lending.js";
import {
  fromFixed,
  mulDiv,
  PERCENTAGE_FACTOR,
  percentDiv,
  percentMul,
  RAY,
  WAD,
  wadDiv,
} from "../math/fixed-point.js";
import { revertsOf, type VenueCallStep, VenueRevertError } from "./revert.js";

// ---------------------------------------------------------------------------------------------
// Constants (LiquidationLogic.sol, ValidationLogic.sol)
// ---------------------------------------------------------------------------------------------

/** `type(uint256).max`: the health factor of an account without debt, and `debtToCover` "all". */
export const MAX_UINT256 = 2n ** 256n - 1n;
/** One unit of the base currency: prices carry 8 decimals (USD markets). */
export const BASE_CURRENCY_UNIT = 10n ** 8n;
/** `HEALTH_FACTOR_LIQUIDATION_THRESHOLD` = 1e18: liquidatable below it. */
export const HEALTH_FACTOR_LIQUIDATION_THRESHOLD = WAD;
/** `MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD` = 0.95e18: the sentinel carve-out (v3.0–v3.6). */
export const MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD = 95n * 10n ** 16n;
/** `CLOSE_FACTOR_HF_THRESHOLD` = 0.95e18: at or below it 100 % of the debt is liquidatable. */
export const CLOSE_FACTOR_HF_THRESHOLD = 95n * 10n ** 16n;
/** `DEFAULT_LIQUIDATION_CLOSE_FACTOR` = 50.00 %. */
export const DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS = 5_000n;
/** `MAX_LIQUIDATION_CLOSE_FACTOR` = 100.00 % (v3.0–v3.2). */
export const MAX_LIQUIDATION_CLOSE_FACTOR_BPS = 10_000n;
/** `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD` = $2,000 (2000e8): smaller reserves are 100 % liquidatable (v3.3+). */
export const MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2_000n * BASE_CURRENCY_UNIT;
/** `MIN_LEFTOVER_BASE` = threshold / 2 = $1,000: a partial liquidation must leave at least this (v3.3+). */
export const MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2n;

// ---------------------------------------------------------------------------------------------
// Plain data: parameters, account, versions
// ---------------------------------------------------------------------------------------------

/**
 * The rule set of a Pool implementation, named by the first release that introduced it:
 * - `"3.7"` (default): the current aave-v3-origin. Rounding in `_calculateAvailableCollateralToLiquidate`
 *   is directed against the liquidator (seized collateral floor, required debt ceil, bonus base floor,
 *   protocol fee ceil); the PriceOracleSentinel is removed.
 * - `"3.5"` (v3.5–v3.6): debt valued **up** and collateral **down** in the base currency; the health
 *   factor is `wadDiv(Σ C_i·LT_i, D) / 1e4`; the collateral computation is half-up except the required
 *   debt (`percentDivCeil`); the dust check counts the protocol fee as consumed collateral.
 * - `"3.3"` (v3.3–v3.4): position-level close factor, dust rule, deficit; base values floor; health
 *   factor `wadDiv(percentMul(ΣC, avgLT), D)` with `avgLT` truncated to whole bps; half-up percent math.
 * - `"3.2"` (v3.0–v3.2): close factor 50 % of **that reserve's** debt when HF > 0.95, else 100 %; no dust
 *   rule, no deficit (bad debt stays on the account); rounding as `"3.3"`.
 */
export type AaveVersion = "3.7" | "3.5" | "3.3" | "3.2";

/** The risk parameters of one reserve (plain data; percentages in bps, 10,000 = 100 %). */
export interface AaveReserveParams {
  symbol: string;
  /** Token decimals (`10^decimals` is the asset unit). */
  decimals: number;
  /** Loan-to-value for new borrows, bps (0: collateral that cannot back new borrows). */
  ltvBps: number;
  /** Liquidation threshold, bps (0: not usable as collateral). */
  liquidationThresholdBps: number;
  /** Liquidation bonus, bps **including** the principal: 10,500 = +5 %. */
  liquidationBonusBps: number;
  /** Share of the bonus that goes to the treasury, bps (1,000 = 10 % of the bonus). */
  liquidationProtocolFeeBps: number;
  /**
   * Isolation-mode debt ceiling in USD with 2 decimals (`DEBT_CEILING_DECIMALS`; 0 or absent: not an
   * isolated asset). Source: `ReserveConfiguration.getDebtCeiling`.
   */
  debtCeiling?: bigint;
  /** `ReserveData.isolationModeTotalDebt`: debt borrowed against this isolated collateral, USD with 2 decimals. */
  isolationModeTotalDebt?: bigint;
  /** Can be borrowed by a user in isolation mode (`getBorrowableInIsolation`). */
  borrowableInIsolation?: boolean;
  /** Siloed: a user borrowing it can borrow nothing else (`getSiloedBorrowing`). */
  siloedBorrowing?: boolean;
}

/** An efficiency-mode category: its own LTV, LT and bonus for the collateral listed in it (v3.2+ bitmap). */
export interface AaveEModeCategory {
  /** Category id (1–255; 0 means "no e-mode"). */
  id: number;
  label?: string;
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  /** Symbols enabled as collateral in this category; other collateral keeps its own parameters. */
  collateralSymbols: readonly string[];
  /** Symbols borrowable in this category (v3.2+ `borrowableBitmap`); absent: not checked. */
  borrowableSymbols?: readonly string[];
}

/** A market (one Pool deployment): its version, reserves and e-mode categories. */
export interface AaveMarket {
  name: string;
  /** Pool rule set; default `"3.7"`. */
  version?: AaveVersion;
  reserves: readonly AaveReserveParams[];
  eModeCategories?: readonly AaveEModeCategory[];
  /**
   * `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD` in base units (default 2000e8). Aave notes it assumes a USD
   * base with 8 decimals and must be adjusted for another base currency.
   */
  minBaseMaxCloseFactorThreshold?: bigint;
  /** `MIN_LEFTOVER_BASE` in base units (default: half the threshold above, as in the contract). */
  minLeftoverBase?: bigint;
  /** Where the parameters come from. */
  source?: string;
}

/** A supplied balance (aToken balance) in token units. */
export interface AaveSupply {
  symbol: string;
  balance: bigint;
  /** The user's "use as collateral" flag (default true). */
  usedAsCollateral?: boolean;
}

/** A variable debt balance in token units. */
export interface AaveBorrow {
  symbol: string;
  balance: bigint;
}

/** An exact account: balances in token units, oracle prices in base units (8 decimals), e-mode. */
export interface AaveAccount {
  supplies: readonly AaveSupply[];
  borrows: readonly AaveBorrow[];
  /** `getAssetPrice(asset)` by symbol, base currency with 8 decimals (e.g. $2,000 = 200_000_000_000n). */
  prices: Readonly<Record<string, bigint>>;
  /** The user's e-mode category (0 or absent: none). */
  eModeCategoryId?: number;
}

// ---------------------------------------------------------------------------------------------
// Version rules
// ---------------------------------------------------------------------------------------------

type Dir = "down" | "up" | "halfUp";

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
const RULES: Record<AaveVersion, VersionRules> = {
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
const VERSIONS: readonly AaveVersion[] = ["3.7", "3.5", "3.3", "3.2"];

function rulesOf(version: AaveVersion | undefined): VersionRules {
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
function pctMul(value: bigint, pct: bigint, dir: Dir): bigint {
  return dir === "halfUp" ? percentMul(value, pct) : mulDiv(value, pct, PERCENTAGE_FACTOR, dir);
}

/** `value·1e4 / pct` rounded as named (PercentageMath `percentDiv`, `percentDivFloor`, `percentDivCeil`). */
function pctDiv(value: bigint, pct: bigint, dir: Dir): bigint {
  return dir === "halfUp" ? percentDiv(value, pct) : mulDiv(value, PERCENTAGE_FACTOR, pct, dir);
}

// ---------------------------------------------------------------------------------------------
// Validation and lookup
// ---------------------------------------------------------------------------------------------

interface IndexedMarket {
  market: AaveMarket;
  rules: VersionRules;
  version: AaveVersion;
  reserves: Map<string, AaveReserveParams>;
  eModes: Map<number, AaveEModeCategory>;
  threshold: bigint;
  leftover: bigint;
}

const INDEX = new WeakMap<AaveMarket, IndexedMarket>();

function intIn(value: unknown, field: string, min: number, max: number, fix: string): number {
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
export function validateAaveMarket(market: AaveMarket): void {
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

function indexMarket(market: AaveMarket): IndexedMarket {
  const cached = INDEX.get(market);
  if (cached !== undefined) return cached;
  const rules = rulesOf(market.version);
  const reserves = new Map<string, AaveReserveParams>();
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
  const eModes = new Map<number, AaveEModeCategory>();
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

function reserveOf(m: IndexedMarket, symbol: string, field: string): AaveReserveParams {
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

function priceOf(account: AaveAccount, symbol: string, field: string): bigint {
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

function eModeOf(m: IndexedMarket, account: AaveAccount): AaveEModeCategory | null {
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
  market: AaveMarket,
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

function checkAccount(m: IndexedMarket, account: AaveAccount): void {
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

// ---------------------------------------------------------------------------------------------
// Account data and health factor (GenericLogic)
// ---------------------------------------------------------------------------------------------

/**
 * Value in the base currency: `amount·price / 10^decimals`, rounded as named. Aave values collateral
 * **down** and (since v3.5) debt **up** (GenericLogic `_getUserBalanceInBaseCurrency`,
 * `_getUserDebtInBaseCurrency` with `MathUtils.mulDivCeil`); before v3.5 both were floor.
 * Example (@aave/math-utils `getMarketReferenceCurrencyAndUsdBalance` test): 10 tokens (1e19, 18
 * decimals) at 1e18 → 1e19.
 */
export function baseValue(amount: bigint, price: bigint, decimals: number, rounding: "down" | "up"): bigint {
  return mulDiv(amount, price, 10n ** BigInt(decimals), rounding);
}

/**
 * Health factor in WAD from totals, for one liquidation threshold `lt` (bps):
 * - v3.5+ (`"3.7"`, `"3.5"`): `HF = floor(wadDiv(C·LT, D) / 1e4)`, `wadDiv(a, b) = ⌊(a·1e18 + ⌊b/2⌋) / b⌋`;
 * - v3.0–v3.4 (`"3.3"`, `"3.2"`): `HF = wadDiv(percentMul(C, LT), D)` (both half-up).
 * `MAX_UINT256` when `D = 0`. Base values `C`, `D` in base units. Source: GenericLogic.sol
 * `calculateUserAccountData`. Example (@aave/math-utils `calculateHealthFactorFromBalances` test):
 * C = 1e17, D = 5e16, LT 5,000 → 1e18 ("1"); D = 3e16 → 1.666…666e18 ("1.66666666666666666667").
 */
export function healthFactorFromTotals(
  collateralBase: bigint,
  debtBase: bigint,
  liquidationThresholdBps: bigint,
  version: AaveVersion = "3.7",
): bigint {
  if (debtBase === 0n) return MAX_UINT256;
  const r = rulesOf(version);
  return r.hfForm === "weighted-sum"
    ? wadDiv(collateralBase * liquidationThresholdBps, debtBase) / PERCENTAGE_FACTOR
    : wadDiv(percentMul(collateralBase, liquidationThresholdBps), debtBase);
}

/** Per-reserve values behind {@link userAccountData}. */
export interface AaveReserveValue {
  symbol: string;
  /** Collateral counted (LT > 0 and used as collateral), base units, rounded down; 0 otherwise. */
  collateralBase: bigint;
  /** Debt in base units (rounded up since v3.5, down before). */
  debtBase: bigint;
  /** LT applied to this collateral (e-mode aware), bps. */
  liquidationThresholdBps: number;
  ltvBps: number;
}

/** What `Pool.getUserAccountData` returns, plus the weighted sum and per-reserve values. */
export interface AaveAccountData {
  totalCollateralBase: bigint;
  totalDebtBase: bigint;
  /** `Σ C_i·LT_i` (base units × bps). */
  weightedLiquidationThreshold: bigint;
  /** `⌊Σ C_i·LTV_i / ΣC⌋` over collateral with LTV > 0, bps. */
  ltvBps: bigint;
  /** `⌊Σ C_i·LT_i / ΣC⌋`, bps (the "current liquidation threshold"). */
  currentLiquidationThresholdBps: bigint;
  healthFactorWad: bigint;
  /** `max(0, percentMul(ΣC, ltv) − D)` (floor since v3.5, half-up before). */
  availableBorrowsBase: bigint;
  /** A collateral with LTV 0 is enabled (ltv0 rules apply). */
  hasZeroLtvCollateral: boolean;
  reserves: AaveReserveValue[];
}

/**
 * `GenericLogic.calculateUserAccountData` over an exact account:
 * `C_i = ⌊b_i·p_i / 10^dec_i⌋` for each collateral with LT > 0 and the collateral flag on (e-mode LT/LTV
 * for the category's collateral), `D_j = b_j·p_j / 10^dec_j` rounded up (v3.5+) or down,
 * `HF = ⌊wadDiv(Σ C_i·LT_i, ΣD) / 1e4⌋` (v3.5+) or `wadDiv(percentMul(ΣC, ⌊Σ C_i·LT_i / ΣC⌋), ΣD)`
 * (v3.0–v3.4), `MAX_UINT256` without debt; average LTV/LT truncated to bps; available borrows
 * `percentMul(ΣC, avgLtv) − ΣD` floored at 0. Source: aave-v3-origin GenericLogic.sol;
 * aave-v3-core GenericLogic.sol (v3.0 form).
 */
export function userAccountData(account: AaveAccount, market: AaveMarket): AaveAccountData {
  const m = indexMarket(market);
  checkAccount(m, account);
  return accountDataUnchecked(m, account);
}

function accountDataUnchecked(m: IndexedMarket, account: AaveAccount): AaveAccountData {
  const eMode = eModeOf(m, account);
  const bySymbol = new Map<string, AaveReserveValue>();
  const entry = (symbol: string): AaveReserveValue => {
    let e = bySymbol.get(symbol);
    if (e === undefined) {
      const r = m.reserves.get(symbol) as AaveReserveParams;
      const inE = eMode?.collateralSymbols.includes(symbol) === true;
      e = {
        symbol,
        collateralBase: 0n,
        debtBase: 0n,
        liquidationThresholdBps:
          r.liquidationThresholdBps !== 0 && inE && eMode !== null
            ? eMode.liquidationThresholdBps
            : r.liquidationThresholdBps,
        ltvBps: r.ltvBps !== 0 && inE && eMode !== null ? eMode.ltvBps : r.ltvBps,
      };
      bySymbol.set(symbol, e);
    }
    return e;
  };
  let totalCollateral = 0n;
  let totalDebt = 0n;
  let weightedLt = 0n;
  let weightedLtv = 0n;
  let hasZeroLtv = false;
  for (const s of account.supplies) {
    const r = m.reserves.get(s.symbol) as AaveReserveParams;
    const e = entry(s.symbol);
    if (r.liquidationThresholdBps === 0 || s.usedAsCollateral === false) continue;
    const value = baseValue(s.balance, account.prices[s.symbol] as bigint, r.decimals, "down");
    e.collateralBase = value;
    totalCollateral += value;
    if (r.ltvBps !== 0) weightedLtv += value * BigInt(e.ltvBps);
    else hasZeroLtv = true;
    weightedLt += value * BigInt(e.liquidationThresholdBps);
  }
  for (const b of account.borrows) {
    const r = m.reserves.get(b.symbol) as AaveReserveParams;
    const e = entry(b.symbol);
    const value = baseValue(b.balance, account.prices[b.symbol] as bigint, r.decimals, m.rules.debtValue);
    e.debtBase = value;
    totalDebt += value;
  }
  const avgLtv = totalCollateral === 0n ? 0n : weightedLtv / totalCollateral;
  const avgLt = totalCollateral === 0n ? 0n : weightedLt / totalCollateral;
  let hf: bigint;
  if (totalDebt === 0n) hf = MAX_UINT256;
  else if (m.rules.hfForm === "weighted-sum") hf = wadDiv(weightedLt, totalDebt) / PERCENTAGE_FACTOR;
  else hf = wadDiv(percentMul(totalCollateral, avgLt), totalDebt);
  const borrowable = pctMul(totalCollateral, avgLtv, m.rules.availableBorrows);
  return {
    totalCollateralBase: totalCollateral,
    totalDebtBase: totalDebt,
    weightedLiquidationThreshold: weightedLt,
    ltvBps: avgLtv,
    currentLiquidationThresholdBps: avgLt,
    healthFactorWad: hf,
    availableBorrowsBase: borrowable > totalDebt ? borrowable - totalDebt : 0n,
    hasZeroLtvCollateral: hasZeroLtv,
    reserves: [...bySymbol.values()],
  };
}

/**
 * Exact health factor in WAD (1e18 = 1.0) as the Pool computes it; `MAX_UINT256` without debt.
 * `HF = ⌊wadDiv(Σ C_i·LT_i, Σ D_j) / 1e4⌋` (v3.5+), see {@link userAccountData} for the rounding of
 * each term and the v3.0–v3.4 form. Source: GenericLogic.sol `calculateUserAccountData`.
 * Example (aave.com/docs/developers/liquidations): $10,000 of ETH at LT 80 % against $6,000 → 1.333….
 */
export function healthFactorWad(account: AaveAccount, market: AaveMarket): bigint {
  return userAccountData(account, market).healthFactorWad;
}

/** Options of the liquidation rules. */
export interface AaveLiquidationOptions {
  /**
   * An L2 PriceOracleSentinel grace period is running (sequencer just came back up): liquidations
   * are then allowed only below HF 0.95. v3.0–v3.6 only; v3.7 removed the sentinel.
   */
  sentinelGracePeriod?: boolean;
}

/**
 * Whether `validateLiquidationCall` lets the account be liquidated on health factor grounds:
 * `HF < 1e18`, and when a sentinel grace period is running also `HF < 0.95e18`
 * (`MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD`). Source: ValidationLogic.sol
 * `validateLiquidationCall` (v3.0–v3.6); `docs/3.7/sentinel-removal.md` (v3.7 drops the sentinel).
 */
export function isLiquidatable(healthFactor: bigint, options: AaveLiquidationOptions = {}): boolean {
  if (healthFactor >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD) return false;
  return options.sentinelGracePeriod === true
    ? healthFactor < MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD
    : true;
}

// ---------------------------------------------------------------------------------------------
// Close factor
// ---------------------------------------------------------------------------------------------

/** How much of one debt reserve a single `liquidationCall` may repay, and why. */
export interface AaveCloseFactor {
  /** The cap on `debtToCover`, in debt-token units. */
  maxLiquidatableDebt: bigint;
  /** What the cap is a share of. */
  basis: "reserve-debt" | "half-position-debt" | "half-reserve-debt";
  /** The rule that applied, in words. */
  reason: string;
  /** The reserve's debt (token units) and its base value; the reserve's collateral base value. */
  reserveDebt: bigint;
  reserveDebtBase: bigint;
  reserveCollateralBase: bigint;
  healthFactorWad: bigint;
}

/**
 * The close factor of one (collateral, debt) pair.
 * - v3.3+: 100 % of the reserve's debt by default. Only if `reserveCollateral_base ≥ T` **and**
 *   `reserveDebt_base ≥ T` (T = $2,000) **and** `HF > 0.95` is it capped at
 *   `percentMul(totalDebt_base, 50 %)` converted to the debt asset `⌊cap·10^dec / price⌋`, and only
 *   if the reserve's debt value exceeds that cap. Reserve debt base is rounded up (v3.5+) or down,
 *   collateral base down. Source: LiquidationLogic.sol `executeLiquidationCall`;
 *   aave-v3-origin PR #87; docs/3.3/Aave-v3.3-features.md §2.1–2.2.
 * - v3.0–v3.2: `percentMul(reserveDebt, HF > 0.95 ? 50 % : 100 %)`. Source: aave-v3-core
 *   LiquidationLogic.sol `_calculateDebt`.
 * Example (docs/3.3 §2.1): $3k GHO + $3k USDC + $3k DAI of debt on $9k of ETH: v3.2 allows $1.5k per
 * call, v3.3 the whole $3k of one reserve.
 */
export function closeFactor(
  account: AaveAccount,
  market: AaveMarket,
  pair: { collateral: string; debt: string },
): AaveCloseFactor {
  const m = indexMarket(market);
  checkAccount(m, account);
  return closeFactorUnchecked(m, account, accountDataUnchecked(m, account), pair);
}

function closeFactorUnchecked(
  m: IndexedMarket,
  account: AaveAccount,
  data: AaveAccountData,
  pair: { collateral: string; debt: string },
): AaveCloseFactor {
  const debtR = reserveOf(m, pair.debt, "debt");
  const collR = reserveOf(m, pair.collateral, "collateral");
  const debtPrice = priceOf(account, pair.debt, `prices.${pair.debt}`);
  const collPrice = priceOf(account, pair.collateral, `prices.${pair.collateral}`);
  const reserveDebt = account.borrows.find((b) => b.symbol === pair.debt)?.balance ?? 0n;
  const collBalance = account.supplies.find((s) => s.symbol === pair.collateral)?.balance ?? 0n;
  const reserveDebtBase = baseValue(reserveDebt, debtPrice, debtR.decimals, m.rules.debtValue);
  const reserveCollateralBase = baseValue(collBalance, collPrice, collR.decimals, "down");
  const hf = data.healthFactorWad;
  const common = { reserveDebt, reserveDebtBase, reserveCollateralBase, healthFactorWad: hf };
  if (!m.rules.positionCloseFactor) {
    const half = hf > CLOSE_FACTOR_HF_THRESHOLD;
    return {
      ...common,
      maxLiquidatableDebt: percentMul(
        reserveDebt,
        half ? DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS : MAX_LIQUIDATION_CLOSE_FACTOR_BPS,
      ),
      basis: half ? "half-reserve-debt" : "reserve-debt",
      reason: half
        ? "v3.0–3.2: HF > 0.95, so 50 % of this reserve's debt"
        : "v3.0–3.2: HF ≤ 0.95, so 100 % of this reserve's debt",
    };
  }
  if (
    reserveCollateralBase >= m.threshold &&
    reserveDebtBase >= m.threshold &&
    hf > CLOSE_FACTOR_HF_THRESHOLD
  ) {
    const cap = percentMul(data.totalDebtBase, DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS);
    if (reserveDebtBase > cap)
      return {
        ...common,
        maxLiquidatableDebt: mulDiv(cap, 10n ** BigInt(debtR.decimals), debtPrice, "down"),
        basis: "half-position-debt",
        reason:
          "v3.3+: collateral and debt reserves ≥ threshold and HF > 0.95, so 50 % of the position's total debt",
      };
    return {
      ...common,
      maxLiquidatableDebt: reserveDebt,
      basis: "reserve-debt",
      reason: "v3.3+: the 50 % cap applies but this reserve's debt is within 50 % of the position's debt",
    };
  }
  const why =
    hf <= CLOSE_FACTOR_HF_THRESHOLD
      ? "HF ≤ 0.95"
      : reserveCollateralBase < m.threshold
        ? "the collateral reserve is below the threshold"
        : "the debt reserve is below the threshold";
  return {
    ...common,
    maxLiquidatableDebt: reserveDebt,
    basis: "reserve-debt",
    reason: `v3.3+: ${why}, so 100 %`,
  };
}

// ---------------------------------------------------------------------------------------------
// _calculateAvailableCollateralToLiquidate
// ---------------------------------------------------------------------------------------------

/** Inputs of {@link calculateAvailableCollateralToLiquidate} (token units, base-unit prices, bps). */
export interface AvailableCollateralInput {
  collateralPrice: bigint;
  collateralDecimals: number;
  debtPrice: bigint;
  debtDecimals: number;
  /** Debt the liquidator covers (already capped by the close factor). */
  debtToCover: bigint;
  /** The borrower's balance of the collateral. */
  collateralBalance: bigint;
  liquidationBonusBps: number;
  liquidationProtocolFeeBps: number;
  version?: AaveVersion;
}

/** What `_calculateAvailableCollateralToLiquidate` returns, with its intermediates. */
export interface AvailableCollateral {
  /** Collateral of equal value to the debt covered, `⌊P_d·debt·10^dc / (P_c·10^dd)⌋`. */
  baseCollateral: bigint;
  /** `baseCollateral × bonus` (floor in v3.7, half-up before). */
  maxCollateralToLiquidate: bigint;
  /** True when the balance was smaller than `maxCollateralToLiquidate` (the debt repaid shrinks). */
  cappedByBalance: boolean;
  /** Collateral taken from the borrower: liquidator's share + protocol fee. */
  collateralSeized: bigint;
  /** Debt the liquidator repays. */
  debtAmountNeeded: bigint;
  /** `seized − seized / bonus` (bonus base floor in v3.7, half-up before); 0 when the fee is 0. */
  bonus: bigint;
  /** `bonus × fee` (ceil in v3.7, half-up before), to the treasury. */
  protocolFee: bigint;
  /** `seized − protocolFee`, to the liquidator. */
  liquidatorAmount: bigint;
  /** `⌊seized·P_c / 10^dc⌋` (used by the v3.3+ deficit check). */
  collateralSeizedBase: bigint;
}

/**
 * `LiquidationLogic._calculateAvailableCollateralToLiquidate`:
 * ```
 * base    = ⌊P_d·debtToCover·10^dc / (P_c·10^dd)⌋
 * max     = base ⊗ LB                           percentMulFloor (3.7) | percentMul half-up
 * if max > balance: seized = balance, debt = ⌊P_c·balance·10^dd / (P_d·10^dc)⌋ ⊘ LB
 *                                               percentDivCeil (3.5+) | percentDiv half-up
 * else:             seized = max, debt = debtToCover
 * bonus   = seized − seized ⊘ LB                percentDivFloor (3.7) | percentDiv half-up   (if fee ≠ 0)
 * fee     = bonus ⊗ feeBps                      percentMulCeil (3.7)  | percentMul half-up
 * liquidator = seized − fee
 * ```
 * Source: aave-v3-origin LiquidationLogic.sol; docs/3.7/liquidation-rounding.md (all three v3.7
 * changes round against the liquidator). Example (docs.aave.com/developers/guides/liquidations):
 * `maxAmountOfCollateralToLiquidate = debtAssetPrice·debtToCover·liquidationBonus / collateralPrice`.
 */
export function calculateAvailableCollateralToLiquidate(
  input: AvailableCollateralInput,
): AvailableCollateral {
  const r = rulesOf(input.version);
  for (const k of ["collateralPrice", "debtPrice"] as const)
    if (typeof input[k] !== "bigint" || input[k] <= 0n)
      throw new InputError(
        k,
        input[k],
        "must be a positive bigint",
        "Prices are base units with 8 decimals.",
      );
  for (const k of ["debtToCover", "collateralBalance"] as const)
    if (typeof input[k] !== "bigint" || input[k] < 0n)
      throw new InputError(k, input[k], "must be a non-negative bigint", "Amounts are token units.");
  intIn(input.collateralDecimals, "collateralDecimals", 0, 77, "Use the token's decimals.");
  intIn(input.debtDecimals, "debtDecimals", 0, 77, "Use the token's decimals.");
  intIn(input.liquidationBonusBps, "liquidationBonusBps", 10_001, 65_535, "10,500 = +5 %.");
  intIn(
    input.liquidationProtocolFeeBps,
    "liquidationProtocolFeeBps",
    0,
    10_000,
    "A share of the bonus in bps.",
  );
  const cu = 10n ** BigInt(input.collateralDecimals);
  const du = 10n ** BigInt(input.debtDecimals);
  const lb = BigInt(input.liquidationBonusBps);
  const base = (input.debtPrice * input.debtToCover * cu) / (input.collateralPrice * du);
  const max = pctMul(base, lb, r.maxCollateral);
  let seized: bigint;
  let debtNeeded: bigint;
  const capped = max > input.collateralBalance;
  if (capped) {
    seized = input.collateralBalance;
    debtNeeded = pctDiv((input.collateralPrice * seized * du) / (input.debtPrice * cu), lb, r.debtNeeded);
  } else {
    seized = max;
    debtNeeded = input.debtToCover;
  }
  const seizedBase = (seized * input.collateralPrice) / cu;
  let bonus = 0n;
  let fee = 0n;
  if (input.liquidationProtocolFeeBps !== 0) {
    bonus = seized - pctDiv(seized, lb, r.bonusBase);
    fee = pctMul(bonus, BigInt(input.liquidationProtocolFeeBps), r.protocolFee);
  }
  return {
    baseCollateral: base,
    maxCollateralToLiquidate: max,
    cappedByBalance: capped,
    collateralSeized: seized,
    debtAmountNeeded: debtNeeded,
    bonus,
    protocolFee: fee,
    liquidatorAmount: seized - fee,
    collateralSeizedBase: seizedBase,
  };
}

// ---------------------------------------------------------------------------------------------
// liquidationCall
// ---------------------------------------------------------------------------------------------

/** The custom error a Pool would revert with (v3.4+ names; older Pools used numeric codes). */
export type AaveRevert =
  | "PriceOracleSentinelCheckFailed"
  | "HealthFactorNotBelowThreshold"
  | "CollateralCannotBeLiquidated"
  | "SpecifiedCurrencyNotBorrowedByUser"
  | "MustNotLeaveDust";

/** One step of a liquidation, for an analyst to follow. */
export type AaveLiquidationStep = VenueCallStep;

/** The outcome of a {@link liquidationCall} that succeeds (a revert throws). */
export interface AaveLiquidationOutcome {
  version: AaveVersion;
  healthFactorBeforeWad: bigint;
  closeFactor: AaveCloseFactor;
  /** `min(debtToCover, maxLiquidatableDebt)` before the collateral cap. */
  debtToCoverCapped: bigint;
  /** The collateral computation. */
  collateral: AvailableCollateral;
  /** Debt the liquidator repays. */
  debtRepaid: bigint;
  /** Collateral taken from the borrower = liquidator amount + protocol fee. */
  collateralSeized: bigint;
  bonus: bigint;
  protocolFee: bigint;
  liquidatorAmount: bigint;
  /** v3.3+: the liquidation consumed all collateral (in base value), so the rest of the debt is deficit. */
  hasNoCollateralLeft: boolean;
  /** Debt written off to `reserve.deficit`, per debt reserve (v3.3+). */
  deficit: { symbol: string; amount: bigint }[];
  /** Leftover debt in the liquidated reserve and collateral in the seized reserve, tokens and base value. */
  leftover: { debt: bigint; debtBase: bigint; collateral: bigint; collateralBase: bigint };
  accountAfter: AaveAccount;
  healthFactorAfterWad: bigint;
  steps: AaveLiquidationStep[];
}

/** `debtToCover` meaning "as much as allowed" (`type(uint256).max`). */
export type DebtToCover = bigint | "max";

/**
 * `Pool.liquidationCall(collateral, debt, user, debtToCover, receiveAToken)` on an exact account,
 * step by step (`LiquidationLogic.executeLiquidationCall`):
 * 1. account data and HF ({@link userAccountData}); 2. validation: sentinel (grace period → HF < 0.95),
 *    `HF < 1`, collateral enabled with LT > 0, debt in the reserve; 3. bonus (e-mode when the
 *    collateral is in the user's category); 4. close factor ({@link closeFactor}) and
 *    `actualDebt = min(debtToCover, max)`; 5. {@link calculateAvailableCollateralToLiquidate};
 *    6. v3.3+ dust rule: unless all the reserve's debt or all the collateral is taken, the debt left
 *    (`⌈…⌉` v3.5+, floor before) and the collateral left (`⌊(balance − seized [− fee since 3.5])·P / 10^d⌋`)
 *    must both be ≥ `MIN_LEFTOVER_BASE` ($1,000), else `MustNotLeaveDust`; 7. v3.3+ deficit: if
 *    `⌊seized·P_c/10^dc⌋ = totalCollateral_base` the rest of this reserve's debt and all other debt
 *    is written off to each reserve's `deficit` (with balances at index 1 the v3.7 scaled-consumption
 *    check gives the same answer); 8. balances and the HF after.
 * A call the Pool would revert throws a {@link VenueRevertError} (venue `"aave-v3"`, reason an
 * {@link AaveRevert}) whose `steps` are the steps up to the revert.
 * Source: aave-v3-origin LiquidationLogic.sol, ValidationLogic.sol; docs/3.3/Aave-v3.3-features.md.
 */
export function liquidationCall(
  account: AaveAccount,
  market: AaveMarket,
  call: { collateral: string; debt: string; debtToCover: DebtToCover },
  options: AaveLiquidationOptions = {},
): AaveLiquidationOutcome {
  const m = indexMarket(market);
  checkAccount(m, account);
  const collR = reserveOf(m, call.collateral, "collateral");
  const debtR = reserveOf(m, call.debt, "debt");
  const requested = call.debtToCover === "max" ? MAX_UINT256 : call.debtToCover;
  if (typeof requested !== "bigint" || requested < 0n)
    throw new InputError(
      "debtToCover",
      call.debtToCover,
      'must be a non-negative bigint or "max"',
      "Debt-token units.",
    );
  const collPrice = priceOf(account, call.collateral, `prices.${call.collateral}`);
  const debtPrice = priceOf(account, call.debt, `prices.${call.debt}`);
  const data = accountDataUnchecked(m, account);
  const hf = data.healthFactorWad;
  const steps: AaveLiquidationStep[] = [
    {
      name: "healthFactor",
      value: hf,
      note: `HF = ${formatWad(hf)} from collateral ${data.totalCollateralBase} and debt ${data.totalDebtBase} (base units)`,
    },
  ];
  const supply = account.supplies.find((s) => s.symbol === call.collateral);
  const collBalance = supply?.balance ?? 0n;
  const reserveDebt = account.borrows.find((b) => b.symbol === call.debt)?.balance ?? 0n;
  const reverted = (revert: AaveRevert, note: string, field: string): VenueRevertError<AaveRevert> => {
    steps.push({ name: "revert", value: revert, note });
    return new VenueRevertError({ venue: "aave-v3", reason: revert, explanation: note, field, steps });
  };
  if (options.sentinelGracePeriod === true && hf >= MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD)
    throw reverted(
      "PriceOracleSentinelCheckFailed",
      "sentinel grace period: liquidation needs HF < 0.95",
      "sentinelGracePeriod",
    );
  if (hf >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD)
    throw reverted("HealthFactorNotBelowThreshold", "liquidation needs HF < 1", "account");
  if (collR.liquidationThresholdBps === 0 || supply === undefined || supply.usedAsCollateral === false)
    throw reverted(
      "CollateralCannotBeLiquidated",
      `${call.collateral} is not enabled as collateral with LT > 0`,
      "collateral",
    );
  if (reserveDebt === 0n)
    throw reverted("SpecifiedCurrencyNotBorrowedByUser", `the user owes no ${call.debt}`, "debt");

  const eff = effectiveCollateralParams(market, call.collateral, account.eModeCategoryId ?? 0);
  steps.push({
    name: "liquidationBonus",
    value: String(eff.liquidationBonusBps),
    note: eff.inEMode
      ? "e-mode category bonus (collateral in the user's category)"
      : "the collateral reserve's bonus",
  });
  const cf = closeFactorUnchecked(m, account, data, call);
  steps.push({ name: "maxLiquidatableDebt", value: cf.maxLiquidatableDebt, note: cf.reason });
  const actual = requested > cf.maxLiquidatableDebt ? cf.maxLiquidatableDebt : requested;
  steps.push({ name: "debtToCover", value: actual, note: "min(debtToCover, maxLiquidatableDebt)" });

  const coll = calculateAvailableCollateralToLiquidate({
    collateralPrice: collPrice,
    collateralDecimals: collR.decimals,
    debtPrice,
    debtDecimals: debtR.decimals,
    debtToCover: actual,
    collateralBalance: collBalance,
    liquidationBonusBps: eff.liquidationBonusBps,
    liquidationProtocolFeeBps: collR.liquidationProtocolFeeBps,
    version: m.version,
  });
  steps.push(
    {
      name: "baseCollateral",
      value: coll.baseCollateral,
      note: "collateral of equal value to the debt covered (floor)",
    },
    {
      name: "maxCollateralToLiquidate",
      value: coll.maxCollateralToLiquidate,
      note: `base × bonus (${m.rules.maxCollateral === "down" ? "floor" : "half-up"})`,
    },
    {
      name: "collateralSeized",
      value: coll.collateralSeized,
      note: coll.cappedByBalance
        ? "capped at the borrower's balance; the debt repaid shrinks"
        : "max collateral",
    },
    {
      name: "debtRepaid",
      value: coll.debtAmountNeeded,
      note: coll.cappedByBalance ? "balance ÷ bonus in debt units" : "debtToCover",
    },
    { name: "bonus", value: coll.bonus, note: "seized − seized ÷ bonus (0 when the protocol fee is 0)" },
    { name: "protocolFee", value: coll.protocolFee, note: "bonus × protocol fee share, to the treasury" },
    { name: "liquidatorAmount", value: coll.liquidatorAmount, note: "seized − protocol fee" },
  );

  const debtLeft = reserveDebt - coll.debtAmountNeeded;
  const collLeft = collBalance - coll.collateralSeized;
  const leftover = {
    debt: debtLeft,
    debtBase: baseValue(debtLeft, debtPrice, debtR.decimals, m.rules.debtValue),
    collateral: collLeft,
    collateralBase: baseValue(collLeft, collPrice, collR.decimals, "down"),
  };
  if (m.rules.dustAndDeficit && coll.debtAmountNeeded < reserveDebt && coll.collateralSeized < collBalance) {
    const collLeftForCheck = m.rules.dustCollateralIncludesFee
      ? collLeft
      : collBalance - coll.liquidatorAmount;
    const collLeftBase = baseValue(collLeftForCheck, collPrice, collR.decimals, "down");
    const ok = leftover.debtBase >= m.leftover && collLeftBase >= m.leftover;
    steps.push({
      name: "dustCheck",
      value: ok,
      note: `debt left ${leftover.debtBase} and collateral left ${collLeftBase} (base) must both be ≥ ${m.leftover}`,
    });
    if (!ok)
      throw reverted(
        "MustNotLeaveDust",
        "a partial liquidation must leave ≥ MIN_LEFTOVER_BASE of debt and collateral",
        "debtToCover",
      );
  }

  const noCollateralLeft = m.rules.dustAndDeficit && coll.collateralSeizedBase === data.totalCollateralBase;
  steps.push({
    name: "hasNoCollateralLeft",
    value: noCollateralLeft,
    note: m.rules.dustAndDeficit
      ? `seized ${coll.collateralSeizedBase} vs total collateral ${data.totalCollateralBase} (base)`
      : "v3.0–3.2: no deficit accounting; bad debt stays on the account",
  });
  const deficit: { symbol: string; amount: bigint }[] = [];
  const borrowsAfter: AaveBorrow[] = account.borrows.map((b) => {
    if (b.symbol === call.debt) {
      const rest = b.balance - coll.debtAmountNeeded;
      if (noCollateralLeft) {
        if (rest > 0n) deficit.push({ symbol: b.symbol, amount: rest });
        return { symbol: b.symbol, balance: 0n };
      }
      return { symbol: b.symbol, balance: rest };
    }
    if (noCollateralLeft) {
      if (b.balance > 0n) deficit.push({ symbol: b.symbol, amount: b.balance });
      return { symbol: b.symbol, balance: 0n };
    }
    return b;
  });
  if (deficit.length > 0)
    steps.push({
      name: "deficit",
      value: deficit.map((d) => `${d.amount} ${d.symbol}`).join(", "),
      note: "remaining debt burned and added to each reserve's deficit (Umbrella covers it later)",
    });
  const suppliesAfter: AaveSupply[] = account.supplies.map((s) => {
    if (s.symbol !== call.collateral) return s;
    const balance = s.balance - coll.collateralSeized;
    return balance === 0n ? { symbol: s.symbol, balance, usedAsCollateral: false } : { ...s, balance };
  });
  const accountAfter: AaveAccount = { ...account, supplies: suppliesAfter, borrows: borrowsAfter };
  const hfAfter = accountDataUnchecked(m, accountAfter).healthFactorWad;
  steps.push({ name: "healthFactorAfter", value: hfAfter, note: `HF after = ${formatWad(hfAfter)}` });
  return {
    version: m.version,
    healthFactorBeforeWad: hf,
    closeFactor: cf,
    debtToCoverCapped: actual,
    collateral: coll,
    debtRepaid: coll.debtAmountNeeded,
    collateralSeized: coll.collateralSeized,
    bonus: coll.bonus,
    protocolFee: coll.protocolFee,
    liquidatorAmount: coll.liquidatorAmount,
    hasNoCollateralLeft: noCollateralLeft,
    deficit,
    leftover,
    accountAfter,
    healthFactorAfterWad: hfAfter,
    steps,
  };
}

/** A WAD health factor as a decimal string (`"max"` for `MAX_UINT256`). */
export function formatWad(value: bigint): string {
  if (value === MAX_UINT256) return "max";
  const whole = value / WAD;
  const frac = (value % WAD).toString().padStart(18, "0").replace(/0+$/, "");
  return frac === "" ? whole.toString() : `${whole}.${frac}`;
}

// ---------------------------------------------------------------------------------------------
// Scaled balances, isolation mode, siloed borrowing, e-mode borrowability
// ---------------------------------------------------------------------------------------------

/**
 * A supply balance from its scaled balance and the reserve's liquidity index (RAY):
 * v3.5+ `⌊scaled·index / 1e27⌋` (`TokenMath.getATokenBalance`, `rayMulFloor`); v3.0–v3.4 `rayMul`
 * half-up (`⌊(scaled·index + 1e27/2) / 1e27⌋`, `ScaledBalanceTokenBase.balanceOf`).
 * Source: aave-v3-origin `docs/3.5/Aave-v3.5-features.md` ("balance = floor(shares × index)"),
 * `src/contracts/protocol/libraries/helpers/TokenMath.sol`; aave-v3-core `WadRayMath.rayMul`.
 *
 * @example scaled 1e18, index 1.05e27 → 1.05e18; scaled 3, index 1.5e27 → 4 (v3.5+, floor of 4.5) or 5 (half-up)
 */
export function aTokenBalance(scaled: bigint, liquidityIndex: bigint, version: AaveVersion = "3.7"): bigint {
  return mulDiv(scaled, liquidityIndex, RAY, rulesOf(version).debtValue === "up" ? "down" : "halfUp");
}

/**
 * A variable-debt balance from its scaled balance and the variable borrow index (RAY):
 * v3.5+ `⌈scaled·index / 1e27⌉` (`TokenMath.getVTokenBalance`, `rayMulCeil`); v3.0–v3.4 `rayMul` half-up.
 * Source: as {@link aTokenBalance} ("debt = ceil(shares × index)").
 *
 * @example scaled 3, index 1.5e27 → 5 (v3.5+ ceil of 4.5, and half-up)
 */
export function variableDebtBalance(
  scaled: bigint,
  variableBorrowIndex: bigint,
  version: AaveVersion = "3.7",
): bigint {
  return mulDiv(scaled, variableBorrowIndex, RAY, rulesOf(version).debtValue === "up" ? "up" : "halfUp");
}

/** `DEBT_CEILING_DECIMALS`: debt ceilings and isolated debt are USD with 2 decimals. Source: `ReserveConfiguration.sol`. */
export const DEBT_CEILING_DECIMALS = 2;

/** A user's isolation-mode state. */
export interface AaveIsolationState {
  /** The user's only collateral is an asset with a debt ceiling. */
  isolated: boolean;
  /** That collateral, when isolated. */
  collateral: string | null;
  /** Its debt ceiling and current isolated total debt (USD with 2 decimals), when isolated. */
  debtCeiling: bigint;
  isolationModeTotalDebt: bigint;
}

/**
 * `UserConfiguration.getIsolationModeState`: a user is in isolation mode when exactly one reserve is
 * enabled as collateral (a positive balance with the collateral flag on) and that reserve has a debt
 * ceiling. Source: aave-v3-origin `libraries/configuration/UserConfiguration.sol`.
 */
export function isolationModeState(account: AaveAccount, market: AaveMarket): AaveIsolationState {
  const m = indexMarket(market);
  const enabled = account.supplies.filter((s) => s.balance > 0n && s.usedAsCollateral !== false);
  const [only] = enabled;
  const r = only === undefined ? undefined : m.reserves.get(only.symbol);
  if (enabled.length !== 1 || r === undefined || (r.debtCeiling ?? 0n) === 0n)
    return { isolated: false, collateral: null, debtCeiling: 0n, isolationModeTotalDebt: 0n };
  return {
    isolated: true,
    collateral: r.symbol,
    debtCeiling: r.debtCeiling ?? 0n,
    isolationModeTotalDebt: r.isolationModeTotalDebt ?? 0n,
  };
}

/** The isolated-debt units (USD, 2 decimals) of `amount` debt tokens: `amount / 10^(decimals − 2)` (floor). */
export function isolatedDebtUnits(amount: bigint, decimals: number): bigint {
  return amount / 10n ** BigInt(Math.max(decimals - DEBT_CEILING_DECIMALS, 0));
}

/**
 * The isolated collateral's total debt after `repaid` tokens (of a reserve with `decimals`) are repaid
 * or liquidated: `total − ⌊repaid / 10^(decimals − 2)⌋`, floored at 0.
 * Source: `IsolationModeLogic.updateIsolatedDebtIfIsolated` (called by `executeLiquidationCall` and `executeRepay`).
 */
export function isolatedDebtAfterRepay(total: bigint, repaid: bigint, decimals: number): bigint {
  const units = isolatedDebtUnits(repaid, decimals);
  return total > units ? total - units : 0n;
}

/** Why the Pool would refuse a borrow (ValidationLogic.validateBorrow's errors). */
export type AaveBorrowRevert =
  | "AssetNotBorrowableInIsolation"
  | "DebtCeilingExceeded"
  | "SiloedBorrowingViolation"
  | "NotBorrowableInEMode";

const BORROW_REVERT_EXPLANATIONS: Record<AaveBorrowRevert, string> = {
  AssetNotBorrowableInIsolation:
    "the account is in isolation mode and this asset is not borrowable in isolation",
  DebtCeilingExceeded: "the isolated collateral's debt ceiling would be exceeded",
  SiloedBorrowingViolation: "a siloed asset can only be borrowed alone",
  NotBorrowableInEMode: "the asset is not borrowable in the account's e-mode category",
};
const borrowRevert = revertsOf<AaveBorrowRevert>("aave-v3", BORROW_REVERT_EXPLANATIONS);

/**
 * The isolation, siloed-borrowing and e-mode checks of `validateBorrow` for borrowing `amount` more of
 * `symbol` (collateral and LTV checks are separate): in isolation mode the asset must be borrowable in
 * isolation and the isolated total plus `⌊amount/10^(dec−2)⌋` must stay within the ceiling; a siloed
 * asset can only be borrowed alone, and nothing else beside a siloed debt; in e-mode with a borrowable
 * list the asset must be in it. Returns when the borrow passes; a borrow the Pool would refuse throws
 * a {@link VenueRevertError} (venue `"aave-v3"`, reason an {@link AaveBorrowRevert}).
 * Source: aave-v3-origin `ValidationLogic.validateBorrow`.
 */
export function validateBorrow(
  account: AaveAccount,
  market: AaveMarket,
  symbol: string,
  amount: bigint,
): void {
  const m = indexMarket(market);
  const r = reserveOf(m, symbol, "symbol");
  const iso = isolationModeState(account, market);
  if (iso.isolated) {
    if (r.borrowableInIsolation !== true)
      throw borrowRevert("AssetNotBorrowableInIsolation", `${symbol} against ${iso.collateral}`, "symbol");
    const after = iso.isolationModeTotalDebt + isolatedDebtUnits(amount, r.decimals);
    if (after > iso.debtCeiling)
      throw borrowRevert(
        "DebtCeilingExceeded",
        `isolated debt ${after} > ceiling ${iso.debtCeiling}`,
        "amount",
      );
  }
  const others = account.borrows.filter((b) => b.balance > 0n && b.symbol !== symbol);
  if (others.length > 0) {
    if (r.siloedBorrowing === true)
      throw borrowRevert("SiloedBorrowingViolation", `${symbol} is siloed and other debt is open`, "symbol");
    const siloed = others.find((b) => m.reserves.get(b.symbol)?.siloedBorrowing === true);
    if (siloed !== undefined)
      throw borrowRevert("SiloedBorrowingViolation", `the open debt ${siloed.symbol} is siloed`, "symbol");
  }
  const e = eModeOf(m, account);
  if (e?.borrowableSymbols !== undefined && !e.borrowableSymbols.includes(symbol))
    throw borrowRevert("NotBorrowableInEMode", `${symbol} in e-mode category ${e.id}`, "symbol");
}

// ---------------------------------------------------------------------------------------------
// Float path
// ---------------------------------------------------------------------------------------------

/**
 * The float {@link LendingAccount} view of an exact account: token amounts `b / 10^dec`, prices
 * `p / 1e8`, the e-mode-aware LT as a fraction (`LT_bps / 1e4`); collateral with LT 0 or the flag off
 * is left out, as GenericLogic leaves it out. Its `healthFactor` (src/margin/lending.ts) agrees with
 * the exact v3.5+ HF to the base-unit rounding of each value (1e-8 of the base currency per
 * position); the v3.0–v3.4 form also truncates the average LT to whole bps.
 */
export function toLendingAccount(account: AaveAccount, market: AaveMarket): LendingAccount {
  const m = indexMarket(market);
  checkAccount(m, account);
  const eMode = eModeOf(m, account);
  const price = (s: string): number => fromFixed(account.prices[s] as bigint, 8);
  return {
    collateral: account.supplies
      .filter(
        (s) =>
          (m.reserves.get(s.symbol) as AaveReserveParams).liquidationThresholdBps !== 0 &&
          s.usedAsCollateral !== false,
      )
      .map((s) => {
        const r = m.reserves.get(s.symbol) as AaveReserveParams;
        const cat = eMode?.collateralSymbols.includes(s.symbol) === true ? eMode : null;
        return {
          symbol: s.symbol,
          amount: fromFixed(s.balance, r.decimals),
          price: price(s.symbol),
          liquidationThreshold: (cat?.liquidationThresholdBps ?? r.liquidationThresholdBps) / 1e4,
          ltv: (cat !== null && r.ltvBps !== 0 ? cat.ltvBps : r.ltvBps) / 1e4,
        };
      }),
    debt: account.borrows.map((b) => ({
      symbol: b.symbol,
      amount: fromFixed(b.balance, (m.reserves.get(b.symbol) as AaveReserveParams).decimals),
      price: price(b.symbol),
    })),
  };
}

/**
 * Float health factor `Σ C_i·LT_i / Σ D_j` of an exact account through its {@link toLendingAccount}
 * view (`Infinity` without debt). Source: GenericLogic.sol `calculateUserAccountData` (unrounded).
 */
export function healthFactorFloat(account: AaveAccount, market: AaveMarket): number {
  return lendingHealthFactor(toLendingAccount(account, market));
}

/**
 * Many accounts as typed arrays (CSR layout) for the float kernel {@link healthFactorsBatch}: account
 * `i` owns collateral entries `collStart[i] … collStart[i+1]−1` and debt entries `debtStart[i] …
 * debtStart[i+1]−1`; each entry names a reserve (index into the price array) and an amount in tokens;
 * collateral entries carry their LT as a fraction (e-mode applied).
 */
export interface AaveFloatBook {
  readonly accounts: number;
  readonly collStart: Uint32Array;
  readonly collReserve: Uint32Array;
  readonly collAmount: Float64Array;
  readonly collLt: Float64Array;
  readonly debtStart: Uint32Array;
  readonly debtReserve: Uint32Array;
  readonly debtAmount: Float64Array;
}

/**
 * Builds an {@link AaveFloatBook} from exact accounts through {@link toLendingAccount} (amounts
 * `b / 10^dec`, e-mode-aware LT). `reserveOrder` fixes the order of the price array that
 * {@link healthFactorsBatch} takes (default: the market's reserves in listing order).
 */
export function createAaveFloatBook(
  accounts: readonly AaveAccount[],
  market: AaveMarket,
  reserveOrder: readonly string[] = market.reserves.map((r) => r.symbol),
): AaveFloatBook {
  const position = new Map(reserveOrder.map((s, i) => [s, i]));
  const views = accounts.map((a) => toLendingAccount(a, market));
  const nColl = views.reduce((s, v) => s + v.collateral.length, 0);
  const nDebt = views.reduce((s, v) => s + v.debt.length, 0);
  const book: AaveFloatBook = {
    accounts: accounts.length,
    collStart: new Uint32Array(accounts.length + 1),
    collReserve: new Uint32Array(nColl),
    collAmount: new Float64Array(nColl),
    collLt: new Float64Array(nColl),
    debtStart: new Uint32Array(accounts.length + 1),
    debtReserve: new Uint32Array(nDebt),
    debtAmount: new Float64Array(nDebt),
  };
  let c = 0;
  let d = 0;
  const indexOf = (s: string, field: string): number => {
    const i = position.get(s);
    if (i === undefined)
      throw new InputError(field, s, "is not in reserveOrder", "List every reserve the accounts use.");
    return i;
  };
  views.forEach((v, i) => {
    book.collStart[i] = c;
    book.debtStart[i] = d;
    for (const x of v.collateral) {
      book.collReserve[c] = indexOf(x.symbol, `accounts[${i}].supplies`);
      book.collAmount[c] = x.amount;
      book.collLt[c] = x.liquidationThreshold;
      c++;
    }
    for (const x of v.debt) {
      book.debtReserve[d] = indexOf(x.symbol, `accounts[${i}].borrows`);
      book.debtAmount[d] = x.amount;
      d++;
    }
  });
  book.collStart[accounts.length] = c;
  book.debtStart[accounts.length] = d;
  return book;
}

/**
 * Float health factors of every account of `book` at `prices` (per reserve, base currency as a
 * float, e.g. USD): `out[i] = Σ a·p·LT / Σ a·p` (`Infinity` without debt). No allocation; one pass
 * over the entries. Same formula as {@link healthFactorFloat}. Returns `out`.
 */
export function healthFactorsBatch(
  book: AaveFloatBook,
  prices: Float64Array,
  out: Float64Array = new Float64Array(book.accounts),
): Float64Array {
  const { collStart, collReserve, collAmount, collLt, debtStart, debtReserve, debtAmount } = book;
  const n = book.accounts;
  let c = collStart[0] as number;
  let d = debtStart[0] as number;
  for (let i = 0; i < n; i++) {
    const cEnd = collStart[i + 1] as number;
    const dEnd = debtStart[i + 1] as number;
    let wc = 0;
    let debt = 0;
    for (; c < cEnd; c++)
      wc += (collAmount[c] as number) * (prices[collReserve[c] as number] as number) * (collLt[c] as number);
    for (; d < dEnd; d++) debt += (debtAmount[d] as number) * (prices[debtReserve[d] as number] as number);
    out[i] = debt === 0 ? Number.POSITIVE_INFINITY : wc / debt;
  }
  return out;
}

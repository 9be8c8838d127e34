/**
 * Aave v3 constants of LiquidationLogic and ValidationLogic, and the plain data the engine reads:
 * rule-set versions, reserve parameters, e-mode categories, the market and an exact account.
 * Part of the `aave-v3` namespace (src/venues/aave-v3.ts, which names the sources).
 */
import { WAD } from "../../math/fixed-point.js";

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
export type Version = "3.7" | "3.5" | "3.3" | "3.2";

/** The risk parameters of one reserve (plain data; percentages in bps, 10,000 = 100 %). */
export interface ReserveParams {
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
export interface EModeCategory {
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
export interface Market {
  name: string;
  /** Pool rule set; default `"3.7"`. */
  version?: Version;
  reserves: readonly ReserveParams[];
  eModeCategories?: readonly EModeCategory[];
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
export interface Supply {
  symbol: string;
  balance: bigint;
  /** The user's "use as collateral" flag (default true). */
  usedAsCollateral?: boolean;
}

/** A variable debt balance in token units. */
export interface Borrow {
  symbol: string;
  balance: bigint;
}

/** An exact account: balances in token units, oracle prices in base units (8 decimals), e-mode. */
export interface Account {
  supplies: readonly Supply[];
  borrows: readonly Borrow[];
  /** `getAssetPrice(asset)` by symbol, base currency with 8 decimals (e.g. $2,000 = 200_000_000_000n). */
  prices: Readonly<Record<string, bigint>>;
  /** The user's e-mode category (0 or absent: none). */
  eModeCategoryId?: number;
}

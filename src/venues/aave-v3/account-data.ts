/**
 * Aave v3 account data and health factor as GenericLogic computes them (exact, bigint), and the
 * liquidatable test of ValidationLogic. Part of the `aave-v3` namespace (src/venues/aave-v3.ts).
 */
import { mulDiv, PERCENTAGE_FACTOR, percentMul, wadDiv } from "../../math/fixed-point.js";
import { checkAccount, eModeOf, type IndexedMarket, indexMarket, pctMul, rulesOf } from "./market.js";
import {
  type Account,
  HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  MAX_UINT256,
  type Market,
  MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  type ReserveParams,
  type Version,
} from "./types.js";

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
  version: Version = "3.7",
): bigint {
  if (debtBase === 0n) return MAX_UINT256;
  const r = rulesOf(version);
  return r.hfForm === "weighted-sum"
    ? wadDiv(collateralBase * liquidationThresholdBps, debtBase) / PERCENTAGE_FACTOR
    : wadDiv(percentMul(collateralBase, liquidationThresholdBps), debtBase);
}

/** Per-reserve values behind {@link userAccountData}. */
export interface ReserveValue {
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
export interface AccountData {
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
  reserves: ReserveValue[];
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
export function userAccountData(account: Account, market: Market): AccountData {
  const m = indexMarket(market);
  checkAccount(m, account);
  return accountDataUnchecked(m, account);
}

export function accountDataUnchecked(m: IndexedMarket, account: Account): AccountData {
  const eMode = eModeOf(m, account);
  const bySymbol = new Map<string, ReserveValue>();
  const entry = (symbol: string): ReserveValue => {
    let e = bySymbol.get(symbol);
    if (e === undefined) {
      const r = m.reserves.get(symbol) as ReserveParams;
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
    const r = m.reserves.get(s.symbol) as ReserveParams;
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
    const r = m.reserves.get(b.symbol) as ReserveParams;
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
export function healthFactorWad(account: Account, market: Market): bigint {
  return userAccountData(account, market).healthFactorWad;
}

/** Options of the liquidation rules. */
export interface LiquidationOptions {
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
export function isLiquidatable(healthFactor: bigint, options: LiquidationOptions = {}): boolean {
  if (healthFactor >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD) return false;
  return options.sentinelGracePeriod === true
    ? healthFactor < MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD
    : true;
}

/**
 * Aave v3 close factor: how much of one debt reserve a single `liquidationCall` may repay (v3.0–v3.2
 * per-reserve 50 %/100 %, v3.3+ position-level rule). Part of the `aave-v3` namespace
 * (src/venues/aave-v3.ts).
 */
import { mulDiv, percentMul } from "../../math/fixed-point.js";
import { type AccountData, accountDataUnchecked, baseValue } from "./account-data.js";
import { checkAccount, type IndexedMarket, indexMarket, priceOf, reserveOf } from "./market.js";
import {
  type Account,
  CLOSE_FACTOR_HF_THRESHOLD,
  DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS,
  MAX_LIQUIDATION_CLOSE_FACTOR_BPS,
  type Market,
} from "./types.js";

/** How much of one debt reserve a single `liquidationCall` may repay, and why. */
export interface CloseFactor {
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
  account: Account,
  market: Market,
  pair: { collateral: string; debt: string },
): CloseFactor {
  const m = indexMarket(market);
  checkAccount(m, account);
  return closeFactorUnchecked(m, account, accountDataUnchecked(m, account), pair);
}

export function closeFactorUnchecked(
  m: IndexedMarket,
  account: Account,
  data: AccountData,
  pair: { collateral: string; debt: string },
): CloseFactor {
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

import { InputError } from "../errors.js";

/** A collateral holding of a lending account (float view: token amounts and USD prices). */
export interface LendingCollateral {
  symbol: string;
  /** Token amount held as collateral. */
  amount: number;
  /** Price in the base currency (USD) per token. */
  price: number;
  /**
   * Fraction of the collateral's value that counts against debt at liquidation: Aave's liquidation
   * threshold, Compound's liquidate collateral factor, 1/mat for Maker.
   */
  liquidationThreshold: number;
  /** Fraction that counts for new borrowing (Aave LTV, Compound borrow collateral factor), if known. */
  ltv?: number;
}

/** A debt of a lending account. */
export interface LendingDebt {
  symbol: string;
  amount: number;
  price: number;
}

/** A lending account: several collaterals, several debts. */
export interface LendingAccount {
  collateral: readonly LendingCollateral[];
  debt: readonly LendingDebt[];
}

/** Total debt value `Σ amount_j·price_j`. */
export function debtValue(account: LendingAccount): number {
  return account.debt.reduce((s, d) => s + d.amount * d.price, 0);
}

/** Liquidation-weighted collateral value `Σ amount_i·price_i·LT_i`. */
export function weightedCollateral(account: LendingAccount): number {
  return account.collateral.reduce((s, c) => s + c.amount * c.price * c.liquidationThreshold, 0);
}

/**
 * Health factor `HF = Σ C_i·LT_i / D` (Aave v3 `GenericLogic.calculateUserAccountData`); liquidation
 * when `HF < 1`. `Infinity` without debt.
 */
export function healthFactor(account: LendingAccount): number {
  const debt = debtValue(account);
  return debt === 0 ? Number.POSITIVE_INFINITY : weightedCollateral(account) / debt;
}

/**
 * The price of collateral `index` at which the health factor is 1, all other prices held:
 * `Σ_{i≠k} C_i·LT_i + a_k·p·LT_k = D(p)`, where the debt also moves with `p` when the same asset is
 * borrowed (`D(p) = D_other + b_k·p`): `p* = (D_other − W_other) / (a_k·LT_k − b_k)`.
 * Null with a reason when no positive price liquidates (or every price does).
 */
export function collateralLiquidationPrice(
  account: LendingAccount,
  index: number,
): { price: number | null; reason: string | null } {
  const c = account.collateral[index];
  if (c === undefined)
    throw new InputError("collateral", index, "is not a collateral index", "Pick an existing collateral.");
  const same = account.debt.filter((d) => d.symbol === c.symbol).reduce((s, d) => s + d.amount, 0);
  const otherWeighted = weightedCollateral(account) - c.amount * c.price * c.liquidationThreshold;
  const otherDebt = debtValue(account) - same * c.price;
  const slope = c.amount * c.liquidationThreshold - same;
  if (slope === 0) return { price: null, reason: "the collateral's price moves collateral and debt alike" };
  const p = (otherDebt - otherWeighted) / slope;
  if (p > 0 && Number.isFinite(p)) return { price: p, reason: null };
  return slope > 0
    ? { price: null, reason: "the account stays healthy at every price of this collateral" }
    : { price: null, reason: "the account is unhealthy at every price of this collateral" };
}

/**
 * The largest fall of all collateral prices together (debt prices held) that the account survives:
 * `HF·(1 − d) = 1`, so `d = 1 − 1/HF` (0 when already unhealthy; 1 when there is no debt).
 */
export function maxCollateralDrop(account: LendingAccount): number {
  const hf = healthFactor(account);
  if (!Number.isFinite(hf)) return 1;
  return Math.max(0, 1 - 1 / hf);
}

/**
 * Aave v3 borrow-side rules: isolation mode (debt ceilings and isolated debt), siloed borrowing,
 * e-mode borrowability, and `validateBorrow`'s checks of them. Part of the `aave-v3` namespace
 * (src/venues/aave-v3.ts).
 */
import { revertsOf } from "../revert.js";
import { eModeOf, indexMarket, reserveOf } from "./market.js";
import type { Account, Market } from "./types.js";

/** `DEBT_CEILING_DECIMALS`: debt ceilings and isolated debt are USD with 2 decimals. Source: `ReserveConfiguration.sol`. */
export const DEBT_CEILING_DECIMALS = 2;

/** A user's isolation-mode state. */
export interface IsolationState {
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
export function isolationModeState(account: Account, market: Market): IsolationState {
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
export type BorrowRevert =
  | "AssetNotBorrowableInIsolation"
  | "DebtCeilingExceeded"
  | "SiloedBorrowingViolation"
  | "NotBorrowableInEMode";

const BORROW_REVERT_EXPLANATIONS: Record<BorrowRevert, string> = {
  AssetNotBorrowableInIsolation:
    "the account is in isolation mode and this asset is not borrowable in isolation",
  DebtCeilingExceeded: "the isolated collateral's debt ceiling would be exceeded",
  SiloedBorrowingViolation: "a siloed asset can only be borrowed alone",
  NotBorrowableInEMode: "the asset is not borrowable in the account's e-mode category",
};
const borrowRevert = revertsOf<BorrowRevert>("aave-v3", BORROW_REVERT_EXPLANATIONS);

/**
 * The isolation, siloed-borrowing and e-mode checks of `validateBorrow` for borrowing `amount` more of
 * `symbol` (collateral and LTV checks are separate): in isolation mode the asset must be borrowable in
 * isolation and the isolated total plus `⌊amount/10^(dec−2)⌋` must stay within the ceiling; a siloed
 * asset can only be borrowed alone, and nothing else beside a siloed debt; in e-mode with a borrowable
 * list the asset must be in it. Returns when the borrow passes; a borrow the Pool would refuse throws
 * a {@link VenueRevertError} (venue `"aave-v3"`, reason an {@link BorrowRevert}).
 * Source: aave-v3-origin `ValidationLogic.validateBorrow`.
 */
export function validateBorrow(account: Account, market: Market, symbol: string, amount: bigint): void {
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

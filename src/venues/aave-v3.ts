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
 *
 * This module is the namespace's entry; each job lives in one file of `src/venues/aave-v3/`:
 * `types.ts` (constants and plain data), `market.ts` (version rules, validation, lookups),
 * `account-data.ts` (GenericLogic, health factor), `close-factor.ts`, `available-collateral.ts`,
 * `liquidation-call.ts`, `scaled-balances.ts`, `isolation.ts` (borrow-side rules, `validateBorrow`)
 * and `float-view.ts` (the float {@link LendingAccount} view and the batch kernel).
 */

export {
  type AccountData,
  baseValue,
  healthFactorFromTotals,
  healthFactorWad,
  isLiquidatable,
  type LiquidationOptions,
  type ReserveValue,
  userAccountData,
} from "./aave-v3/account-data.js";
export {
  type AvailableCollateral,
  type AvailableCollateralInput,
  calculateAvailableCollateralToLiquidate,
} from "./aave-v3/available-collateral.js";
export { type CloseFactor, closeFactor } from "./aave-v3/close-factor.js";
export {
  createFloatBook,
  type FloatBook,
  healthFactorFloat,
  healthFactorsBatch,
  toLendingAccount,
} from "./aave-v3/float-view.js";
export {
  type BorrowRevert,
  DEBT_CEILING_DECIMALS,
  type IsolationState,
  isolatedDebtAfterRepay,
  isolatedDebtUnits,
  isolationModeState,
  validateBorrow,
} from "./aave-v3/isolation.js";
export {
  type DebtToCover,
  formatWad,
  type LiquidationOutcome,
  type LiquidationStep,
  liquidationCall,
  type Revert,
} from "./aave-v3/liquidation-call.js";
export { effectiveCollateralParams, validateMarket } from "./aave-v3/market.js";
export { aTokenBalance, variableDebtBalance } from "./aave-v3/scaled-balances.js";
export {
  type Account,
  BASE_CURRENCY_UNIT,
  type Borrow,
  CLOSE_FACTOR_HF_THRESHOLD,
  DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS,
  type EModeCategory,
  HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  MAX_LIQUIDATION_CLOSE_FACTOR_BPS,
  MAX_UINT256,
  type Market,
  MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
  MIN_LEFTOVER_BASE,
  MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  type ReserveParams,
  type Supply,
  type Version,
} from "./aave-v3/types.js";

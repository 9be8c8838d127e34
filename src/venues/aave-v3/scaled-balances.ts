/**
 * Aave v3 balances from scaled balances and indexes, as the aToken and variable-debt token's
 * `balanceOf` compute them. Part of the `aave-v3` namespace (src/venues/aave-v3.ts).
 */
import { mulDiv, RAY } from "../../math/fixed-point.js";
import { rulesOf } from "./market.js";
import type { Version } from "./types.js";

/**
 * A supply balance from its scaled balance and the reserve's liquidity index (RAY):
 * v3.5+ `⌊scaled·index / 1e27⌋` (`TokenMath.getATokenBalance`, `rayMulFloor`); v3.0–v3.4 `rayMul`
 * half-up (`⌊(scaled·index + 1e27/2) / 1e27⌋`, `ScaledBalanceTokenBase.balanceOf`).
 * Source: aave-v3-origin `docs/3.5/Aave-v3.5-features.md` ("balance = floor(shares × index)"),
 * `src/contracts/protocol/libraries/helpers/TokenMath.sol`; aave-v3-core `WadRayMath.rayMul`.
 *
 * @example scaled 1e18, index 1.05e27 → 1.05e18; scaled 3, index 1.5e27 → 4 (v3.5+, floor of 4.5) or 5 (half-up)
 */
export function aTokenBalance(scaled: bigint, liquidityIndex: bigint, version: Version = "3.7"): bigint {
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
  version: Version = "3.7",
): bigint {
  return mulDiv(scaled, variableBorrowIndex, RAY, rulesOf(version).debtValue === "up" ? "up" : "halfUp");
}

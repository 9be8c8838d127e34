/**
 * Aave v3 `_calculateAvailableCollateralToLiquidate`: the collateral seized for a debt covered, the
 * bonus and the protocol fee, with each version's rounding. Part of the `aave-v3` namespace
 * (src/venues/aave-v3.ts).
 */
import { InputError } from "../../errors.js";
import { intIn, pctDiv, pctMul, rulesOf } from "./market.js";
import type { Version } from "./types.js";

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
  version?: Version;
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

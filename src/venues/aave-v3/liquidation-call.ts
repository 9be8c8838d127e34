/**
 * Aave v3 `Pool.liquidationCall` on an exact account, step by step (validation, close factor,
 * collateral, dust rule, deficit, balances after); a revert throws a `VenueRevertError`.
 * Part of the `aave-v3` namespace (src/venues/aave-v3.ts).
 */
import { InputError } from "../../errors.js";
import { fixedToDecimalText, minBig } from "../../math/fixed-point.js";
import { type VenueCallStep, VenueRevertError } from "../revert.js";
import { accountDataUnchecked, baseValue, type LiquidationOptions } from "./account-data.js";
import { type AvailableCollateral, calculateAvailableCollateralToLiquidate } from "./available-collateral.js";
import { type CloseFactor, closeFactor, closeFactorUnchecked } from "./close-factor.js";
import { checkAccount, effectiveCollateralParams, indexMarket, priceOf, reserveOf } from "./market.js";
import {
  type Account,
  type Borrow,
  HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  MAX_UINT256,
  type Market,
  MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  type Supply,
  type Version,
} from "./types.js";

/** The custom error a Pool would revert with (v3.4+ names; older Pools used numeric codes). */
export type Revert =
  | "PriceOracleSentinelCheckFailed"
  | "HealthFactorNotBelowThreshold"
  | "CollateralCannotBeLiquidated"
  | "SpecifiedCurrencyNotBorrowedByUser"
  | "MustNotLeaveDust";

/** One step of a liquidation, for an analyst to follow. */
export type LiquidationStep = VenueCallStep;

/** The outcome of a {@link liquidationCall} that succeeds (a revert throws). */
export interface LiquidationOutcome {
  version: Version;
  healthFactorBeforeWad: bigint;
  closeFactor: CloseFactor;
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
  accountAfter: Account;
  healthFactorAfterWad: bigint;
  steps: LiquidationStep[];
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
 * {@link Revert}) whose `steps` are the steps up to the revert.
 * Source: aave-v3-origin LiquidationLogic.sol, ValidationLogic.sol; docs/3.3/Aave-v3.3-features.md.
 */
export function liquidationCall(
  account: Account,
  market: Market,
  call: { collateral: string; debt: string; debtToCover: DebtToCover },
  options: LiquidationOptions = {},
): LiquidationOutcome {
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
  const steps: LiquidationStep[] = [
    {
      name: "healthFactor",
      value: hf,
      note: `HF = ${formatWad(hf)} from collateral ${data.totalCollateralBase} and debt ${data.totalDebtBase} (base units)`,
    },
  ];
  const supply = account.supplies.find((s) => s.symbol === call.collateral);
  const collBalance = supply?.balance ?? 0n;
  const reserveDebt = account.borrows.find((b) => b.symbol === call.debt)?.balance ?? 0n;
  const reverted = (revert: Revert, note: string, field: string): VenueRevertError<Revert> => {
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
  const actual = minBig(requested, cf.maxLiquidatableDebt);
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
  const borrowsAfter: Borrow[] = account.borrows.map((b) => {
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
  const suppliesAfter: Supply[] = account.supplies.map((s) => {
    if (s.symbol !== call.collateral) return s;
    const balance = s.balance - coll.collateralSeized;
    return balance === 0n ? { symbol: s.symbol, balance, usedAsCollateral: false } : { ...s, balance };
  });
  const accountAfter: Account = { ...account, supplies: suppliesAfter, borrows: borrowsAfter };
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

/** A WAD health factor as a decimal string ({@link fixedToDecimalText}; `"max"` for `MAX_UINT256`). */
export function formatWad(value: bigint): string {
  return value === MAX_UINT256 ? "max" : fixedToDecimalText(value, 18);
}

/**
 * Aave v3 as a {@link LendingVenue}: the Pool's exact health factor (`GenericLogic`), the e-mode,
 * isolation and siloed-borrowing state, the borrow checks of a what-if (`ValidationLogic.validateBorrow`,
 * `IsolationModeLogic`), and one `liquidationCall` as a report.
 */

import { InputError } from "../../errors.js";
import { formatNumber, type Readable, textTable } from "../../format.js";
import { healthFactor } from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed } from "../../math/fixed-point.js";
import { isRecord } from "../../validate.js";
import {
  type Account,
  isLiquidatable as aaveIsLiquidatable,
  type BorrowRevert,
  formatWad,
  healthFactorWad,
  isolatedDebtAfterRepay,
  isolatedDebtUnits,
  isolationModeState,
  type LiquidationOutcome,
  liquidationCall,
  type Market,
  type Revert,
  validateBorrow,
} from "../aave-v3.js";
import { readDecimalUnits } from "../lending-document.js";
import { isVenueRevert } from "../revert.js";
import { type ResolvedAaveDocument, resolveAaveDocument } from "./aave-v3-document.js";
import { type DebtChange, type Holding, type LendingHealth, moneyMarketVenue } from "./money-market.js";
import { tokenText } from "./money-market-text.js";
import type { LiquidateOptions, TokenAmount } from "./venue.js";

/**
 * What each Aave `liquidationCall` revert means, for the report: the one place that reads the Pool's
 * revert result.
 */
const AAVE_REVERTS: Record<Revert, string> = {
  PriceOracleSentinelCheckFailed: "the sentinel grace period requires HF < 0.95",
  HealthFactorNotBelowThreshold: "the health factor is not below 1: nothing to liquidate",
  CollateralCannotBeLiquidated: "the collateral is not enabled as collateral with LT > 0",
  SpecifiedCurrencyNotBorrowedByUser: "the user owes none of the debt asset",
  MustNotLeaveDust: "a partial liquidation must leave ≥ $1,000 of debt and collateral; cover all of it",
};

/** `liqopt liquidate --json` for an Aave v3 account: one `liquidationCall`. */
export interface AaveLiquidateReport {
  venue: "aave-v3";
  market: string;
  version: string;
  collateral: string;
  debt: string;
  /** As requested: `"max"` or an amount in debt tokens. */
  debtToCoverRequested: string;
  /** The Pool's custom error when the call reverts, else null. */
  revert: Revert | null;
  revertReason: string | null;
  healthFactorBefore: string;
  healthFactorAfter: string;
  debtRepaid: TokenAmount;
  collateralSeized: TokenAmount;
  bonus: TokenAmount;
  protocolFee: TokenAmount;
  liquidatorReceives: TokenAmount;
  /** USD value received by the liquidator minus the debt repaid. */
  liquidatorProfitUsd: number;
  /** Debt written off to reserve deficits (v3.3+), when no collateral is left. */
  deficit: TokenAmount[];
  /**
   * Isolation mode: the isolated collateral's `isolationModeTotalDebt` (USD) before and after, reduced by
   * the debt repaid (`IsolationModeLogic.updateIsolatedDebtIfIsolated`); null when not isolated.
   */
  isolation: { collateral: string; totalDebtBeforeUsd: number; totalDebtAfterUsd: number } | null;
  /** `liquidationCall`'s steps, values in tokens (WAD health factors as decimals). */
  steps: { name: string; value: string; note: string }[];
}

/** The Pool's WAD health factor (`GenericLogic.calculateUserAccountData`) and `HF < 1`. */
function aaveHealth(doc: ResolvedAaveDocument): LendingHealth {
  const hf = healthFactorWad(doc.account, doc.market);
  return {
    healthFactor: { exact: formatWad(hf), float: healthFactor(doc.lending) },
    liquidatable: aaveIsLiquidatable(hf),
  };
}

/** Supplies and borrows in token units (reserve decimals) at the oracle price (8 decimals). */
function aaveHoldings(doc: ResolvedAaveDocument): { collateral: Holding[]; debt: Holding[] } {
  const reserves = new Map(doc.market.reserves.map((r) => [r.symbol, r]));
  const holding = (h: { symbol: string; balance: bigint }): Holding => ({
    symbol: h.symbol,
    units: h.balance,
    decimals: reserves.get(h.symbol)?.decimals ?? 0,
    price: fromFixed(doc.account.prices[h.symbol] ?? 0n, 8),
  });
  return { collateral: doc.account.supplies.map(holding), debt: doc.account.borrows.map(holding) };
}

/** The Aave rules in force for an account (`liq-price`). */
export interface AaveRulesReport {
  /** The user's e-mode category, and the collateral whose LTV/LT/bonus it overrides; null when none. */
  eMode: { id: number; label: string | null; overrides: string[]; borrowable: string[] | null } | null;
  /** Isolation mode: the only collateral has a debt ceiling (USD). */
  isolation: { collateral: string; debtCeilingUsd: number; isolationModeTotalDebtUsd: number } | null;
  /** Debts in siloed reserves (a siloed debt must be the only debt). */
  siloedDebts: string[];
}

/** {@link AaveRulesReport} of an Aave document. Sources: `GenericLogic.calculateUserAccountData` (e-mode), `UserConfiguration.getIsolationModeState`, `getSiloedBorrowingState`. */
function aaveRulesReport(doc: ResolvedAaveDocument): AaveRulesReport {
  const { account, market } = doc;
  const id = account.eModeCategoryId ?? 0;
  const cat = (market.eModeCategories ?? []).find((c) => c.id === id);
  const iso = isolationModeState(account, market);
  const reserves = new Map(market.reserves.map((r) => [r.symbol, r]));
  return {
    eMode:
      cat === undefined
        ? null
        : {
            id,
            label: cat.label ?? null,
            overrides: account.supplies
              .filter(
                (s) =>
                  cat.collateralSymbols.includes(s.symbol) &&
                  (reserves.get(s.symbol)?.liquidationThresholdBps ?? 0) > 0,
              )
              .map((s) => s.symbol),
            borrowable: cat.borrowableSymbols === undefined ? null : [...cat.borrowableSymbols],
          },
    isolation:
      iso.collateral === null
        ? null
        : {
            collateral: iso.collateral,
            debtCeilingUsd: Number(iso.debtCeiling) / 100,
            isolationModeTotalDebtUsd: Number(iso.isolationModeTotalDebt) / 100,
          },
    siloedDebts: account.borrows
      .filter((b) => b.balance > 0n && reserves.get(b.symbol)?.siloedBorrowing === true)
      .map((b) => b.symbol),
  };
}

/**
 * Aave borrow/repay side effects on the raw document: a borrow the Pool would refuse
 * ({@link validateBorrow}) is an {@link InputError} on `--borrow` naming the revert; in isolation mode the
 * isolated collateral's `isolationModeTotalDebt` moves by `⌊amount/10^(dec−2)⌋` (borrow adds; repay
 * subtracts, floored at 0, as `IsolationModeLogic.updateIsolatedDebtIfIsolated`).
 */
function aaveDebtChange(
  raw: unknown,
  doc: ResolvedAaveDocument,
  { kind, holding: h, units: change, amount: amountText }: DebtChange,
): unknown {
  if (kind === "borrow") {
    try {
      validateBorrow(doc.account, doc.market, h.symbol, change);
    } catch (err) {
      if (!isVenueRevert<BorrowRevert>(err, "aave-v3")) throw err;
      throw new InputError(
        "--borrow",
        amountText,
        `would revert with ${err.reason}: ${err.explanation}`,
        "Borrow less or another asset.",
      );
    }
  }
  const iso = isolationModeState(doc.account, doc.market);
  if (!iso.isolated || !isRecord(raw) || !isRecord(raw.market) || !Array.isArray(raw.market.reserves))
    return raw;
  const total =
    kind === "borrow"
      ? iso.isolationModeTotalDebt + isolatedDebtUnits(change, h.decimals)
      : isolatedDebtAfterRepay(iso.isolationModeTotalDebt, change, h.decimals);
  const out = structuredClone(raw) as Record<string, unknown> & { market: { reserves: unknown[] } };
  out.market.reserves = out.market.reserves.map((r) =>
    isRecord(r) && r.symbol === iso.collateral
      ? { ...r, isolationModeTotalDebt: fixedToDecimalText(total, 2) }
      : r,
  );
  return out;
}

function largest(items: readonly { symbol: string; amount: number; price: number }[]): string | undefined {
  let best: { symbol: string; value: number } | undefined;
  for (const x of items) {
    const value = x.amount * x.price;
    if (best === undefined || value > best.value) best = { symbol: x.symbol, value };
  }
  return best?.symbol;
}

function pickSymbol(
  given: string | undefined,
  option: string,
  held: readonly string[],
  fallback: string | undefined,
  what: string,
): string {
  if (given === undefined) {
    if (fallback === undefined)
      throw new InputError(
        option,
        undefined,
        `has no default: the account holds no ${what}`,
        `Pass ${option}.`,
      );
    return fallback;
  }
  if (!held.includes(given))
    throw new InputError(option, given, `is not a ${what} of the account`, `Use one of: ${held.join(", ")}.`);
  return given;
}

/**
 * Runs Aave's `liquidationCall` on the document's account: `--collateral` and `--debt` default to
 * the largest collateral and debt by value, `--debt-to-cover` (debt tokens) to the maximum allowed.
 * A revert is a result (with its reason), not an error. An account without debt reports
 * `HealthFactorNotBelowThreshold` without a call.
 */
export function aaveLiquidateReport(
  doc: ResolvedAaveDocument,
  opts: LiquidateOptions = {},
): AaveLiquidateReport {
  const { account, market, lending } = doc;
  const reserves = new Map(market.reserves.map((r) => [r.symbol, r]));
  const version = market.version ?? "3.7";
  const debtSymbols = account.borrows.filter((b) => b.balance > 0n).map((b) => b.symbol);
  const hfBefore = aaveHealth(doc).healthFactor.exact;
  const collateral = pickSymbol(
    opts.collateral,
    "--collateral",
    account.supplies.map((s) => s.symbol),
    largest(lending.collateral) ?? account.supplies[0]?.symbol,
    "collateral",
  );
  const empty = (symbol: string): TokenAmount => ({ symbol, amount: "0", usd: 0 });
  if (debtSymbols.length === 0 && opts.debt === undefined) {
    return {
      venue: "aave-v3",
      market: market.name,
      version,
      collateral,
      debt: "",
      debtToCoverRequested: opts.debtToCover ?? "max",
      revert: "HealthFactorNotBelowThreshold",
      revertReason: "the account has no debt: nothing to liquidate",
      healthFactorBefore: hfBefore,
      healthFactorAfter: hfBefore,
      debtRepaid: empty(""),
      collateralSeized: empty(collateral),
      bonus: empty(collateral),
      protocolFee: empty(collateral),
      liquidatorReceives: empty(collateral),
      liquidatorProfitUsd: 0,
      deficit: [],
      isolation: null,
      steps: [],
    };
  }
  const debt = pickSymbol(
    opts.debt,
    "--debt",
    account.borrows.map((b) => b.symbol),
    largest(lending.debt),
    "debt",
  );
  const collDec = reserves.get(collateral)?.decimals ?? 0;
  const debtDec = reserves.get(debt)?.decimals ?? 0;
  const requested =
    opts.debtToCover === undefined || opts.debtToCover === "max"
      ? ("max" as const)
      : readDecimalUnits(opts.debtToCover, "--debt-to-cover", debtDec, {
          excess: "reject",
          fix: `Give the debt to cover in ${debt} tokens (at most ${debtDec} decimals), or max.`,
        });
  const out = liquidationCallOrRevert(account, market, { collateral, debt, debtToCover: requested });
  const price = (s: string) => fromFixed(account.prices[s] as bigint, 8);
  const amount = (symbol: string, units: bigint, decimals: number): TokenAmount => ({
    symbol,
    amount: fixedToDecimalText(units, decimals),
    usd: fromFixed(units, decimals) * price(symbol),
  });
  const coll = (u: bigint) => amount(collateral, u, collDec);
  const debtAmount = amount(debt, out.debtRepaid, debtDec);
  const received = coll(out.liquidatorAmount);
  const collSteps = new Set([
    "baseCollateral",
    "maxCollateralToLiquidate",
    "collateralSeized",
    "bonus",
    "protocolFee",
    "liquidatorAmount",
  ]);
  const debtSteps = new Set(["maxLiquidatableDebt", "debtToCover", "debtRepaid"]);
  const steps = out.steps.map((s) => {
    let value: string;
    if (typeof s.value === "boolean") value = s.value ? "yes" : "no";
    else if (typeof s.value === "string") value = s.value;
    else if (s.name === "healthFactor" || s.name === "healthFactorAfter") value = formatWad(s.value);
    else if (collSteps.has(s.name)) value = `${fixedToDecimalText(s.value, collDec)} ${collateral}`;
    else if (debtSteps.has(s.name)) value = `${fixedToDecimalText(s.value, debtDec)} ${debt}`;
    else value = String(s.value);
    return { name: s.name, value, note: s.note };
  });
  return {
    venue: "aave-v3",
    market: market.name,
    version,
    collateral,
    debt,
    debtToCoverRequested: requested === "max" ? "max" : fixedToDecimalText(requested, debtDec),
    revert: out.revert,
    revertReason: out.revert === null ? null : AAVE_REVERTS[out.revert],
    healthFactorBefore: formatWad(out.healthFactorBeforeWad),
    healthFactorAfter: formatWad(out.healthFactorAfterWad),
    debtRepaid: debtAmount,
    collateralSeized: coll(out.collateralSeized),
    bonus: coll(out.bonus),
    protocolFee: coll(out.protocolFee),
    liquidatorReceives: received,
    liquidatorProfitUsd: received.usd - debtAmount.usd,
    deficit: out.deficit.map((d) => amount(d.symbol, d.amount, reserves.get(d.symbol)?.decimals ?? 0)),
    isolation: isolationLine(doc, out.debtRepaid, debtDec),
    steps,
  };
}

/**
 * `liquidationCall`, with a revert (a thrown `VenueRevertError`) turned into an outcome that repays and
 * seizes nothing, keeps the health factor, and carries the steps up to the revert: the one place that
 * reads Aave's reverts for the report.
 */
function liquidationCallOrRevert(
  account: Account,
  market: Market,
  call: Parameters<typeof liquidationCall>[2],
): Pick<
  LiquidationOutcome,
  | "healthFactorBeforeWad"
  | "healthFactorAfterWad"
  | "debtRepaid"
  | "collateralSeized"
  | "bonus"
  | "protocolFee"
  | "liquidatorAmount"
  | "deficit"
  | "steps"
> & { revert: Revert | null } {
  try {
    return { ...liquidationCall(account, market, call), revert: null };
  } catch (err) {
    if (!isVenueRevert<Revert>(err, "aave-v3")) throw err;
    const hf = healthFactorWad(account, market);
    return {
      revert: err.reason,
      healthFactorBeforeWad: hf,
      healthFactorAfterWad: hf,
      debtRepaid: 0n,
      collateralSeized: 0n,
      bonus: 0n,
      protocolFee: 0n,
      liquidatorAmount: 0n,
      deficit: [],
      steps: [...err.steps],
    };
  }
}

function isolationLine(
  doc: ResolvedAaveDocument,
  repaid: bigint,
  decimals: number,
): AaveLiquidateReport["isolation"] {
  const iso = isolationModeState(doc.account, doc.market);
  if (iso.collateral === null) return null;
  return {
    collateral: iso.collateral,
    totalDebtBeforeUsd: Number(iso.isolationModeTotalDebt) / 100,
    totalDebtAfterUsd: Number(isolatedDebtAfterRepay(iso.isolationModeTotalDebt, repaid, decimals)) / 100,
  };
}

/** Aave v3 (`venue: "aave-v3"`). */
export const aaveV3Lending = moneyMarketVenue({
  id: "aave-v3",
  name: "Aave v3",
  note: "lending; reserves (LTV, LT, bonus, fee, e-mode) in the document — docs/reference/aave-v3.md",
  liquidateOptions: ["collateral", "debt", "debtToCover"],
  resolve: resolveAaveDocument,
  health: aaveHealth,
  market: (doc) => ({ market: doc.market.name, version: doc.market.version ?? "3.7" }),
  holdings: aaveHoldings,
  aaveRules: aaveRulesReport,
  debtChange: aaveDebtChange,
  liquidateReport: aaveLiquidateReport,
  liquidateText: aaveLiquidateText,
});

/** The readable form of an {@link AaveLiquidateReport}. */
function aaveLiquidateText(r: AaveLiquidateReport): Readable {
  const out: Readable = [
    `${aaveV3Lending.name}: liquidationCall(collateral ${r.collateral}, debt ${r.debt || "—"}, debtToCover ${r.debtToCoverRequested}), ${r.market}, Pool rules v${r.version}`,
    "",
  ];
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s.name} = ${s.value}: ${s.note}`);
  });
  if (r.revert !== null) {
    out.push("", `Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactorBefore}.`);
    return out;
  }
  out.push(
    "",
    textTable(
      [],
      [
        ["Debt repaid", tokenText(r.debtRepaid)],
        ["Collateral seized", tokenText(r.collateralSeized)],
        ["Liquidation bonus", tokenText(r.bonus)],
        ["Protocol fee (treasury)", tokenText(r.protocolFee)],
        ["Liquidator receives", tokenText(r.liquidatorReceives)],
        ["Liquidator profit", `$${formatNumber(r.liquidatorProfitUsd)}`],
        ["Deficit (bad debt)", r.deficit.length === 0 ? "none" : r.deficit.map(tokenText).join(", ")],
        ...(r.isolation === null
          ? []
          : [
              [
                `Isolated debt of ${r.isolation.collateral} (USD)`,
                `${formatNumber(r.isolation.totalDebtBeforeUsd)} → ${formatNumber(r.isolation.totalDebtAfterUsd)}`,
              ],
            ]),
        ["Health factor before", r.healthFactorBefore],
        ["Health factor after", r.healthFactorAfter],
      ],
      { rightAlign: [1] },
    ),
  );
  return out;
}

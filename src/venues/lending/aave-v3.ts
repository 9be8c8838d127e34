/**
 * Aave v3 as a {@link LendingVenue}, in one file over the exact engine (`../aave-v3.ts`):
 *
 * - **the document**: `{venue: "aave-v3", collateral, debt, market, eModeCategoryId?}` (schema
 *   `schemas/lending-account.schema.json`) read into the exact rulebook's account and market plus their
 *   float view, with the shared readers of `../lending-document.ts`;
 * - **health, holdings and rules**: the Pool's exact health factor (`GenericLogic`), holdings in token
 *   units, the e-mode, isolation and siloed-borrowing state in force;
 * - **what-if**: the borrow checks (`ValidationLogic.validateBorrow`) and the isolated debt a borrow or
 *   repayment moves (`IsolationModeLogic`);
 * - **the liquidationCall report**: one `liquidationCall` (`liqopt liquidate`), and its readable form;
 * - **the venue**: {@link aaveV3Lending}, built by `moneyMarketVenue` (which writes the `liq-price` and
 *   `what-if` reports and their text).
 */
import { InputError } from "../../errors.js";
import { formatNumber, type Readable, textTable } from "../../format.js";
import { healthFactor, type LendingAccount } from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed, RAY } from "../../math/fixed-point.js";
import { isRecord, readArray, readChoice, readRecord, readString } from "../../validate.js";
import {
  type Account,
  isLiquidatable as aaveIsLiquidatable,
  aTokenBalance,
  type BorrowRevert,
  DEBT_CEILING_DECIMALS,
  type EModeCategory,
  formatWad,
  healthFactorWad,
  isolatedDebtAfterRepay,
  isolatedDebtUnits,
  isolationModeState,
  type LiquidationOutcome,
  liquidationCall,
  type Market,
  type ReserveParams,
  type Revert,
  type Supply,
  toLendingAccount,
  type Version,
  validateBorrow,
  validateMarket,
  variableDebtBalance,
} from "../aave-v3.js";
import {
  AMOUNT_FIX,
  type DocumentHolding,
  intField,
  RAY_DECIMALS,
  readDecimalUnits,
  readHoldings,
  readPrices,
  readVenueRecord,
  underField,
} from "../lending-document.js";
import { isVenueRevert } from "../revert.js";
import { type DebtChange, type Holding, type LendingHealth, moneyMarketVenue } from "./money-market.js";
import { tokenText } from "./money-market-text.js";
import type { LiquidateOptions, TokenAmount } from "./venue.js";

// --- the document --------------------------------------------------------------------------------

/** An Aave v3 document resolved to the exact rulebook's account and market, plus its float view. */
export interface ResolvedAaveDocument {
  venue: "aave-v3";
  market: Market;
  account: Account;
  /** {@link toLendingAccount} of the exact account (amounts and prices as the Pool sees them). */
  lending: LendingAccount;
}

const AAVE_VERSIONS = ["3.7", "3.5", "3.3", "3.2"] as const satisfies readonly Version[];

function readAaveMarket(raw: unknown): {
  market: Market;
  indexes: Map<string, { liquidityIndex: bigint; variableBorrowIndex: bigint }>;
} {
  const fix = 'Give the market: {"version": "3.7", "reserves": [{symbol, decimals, ltvBps, ...}]}.';
  const m = readRecord(raw, "market", fix);
  const name = m.name === undefined ? "Aave v3 market" : readString(m.name, "market.name");
  const version = m.version === undefined ? "3.7" : readChoice(m.version, "market.version", AAVE_VERSIONS);
  const rows = readArray(m.reserves, "market.reserves", "List every reserve the account uses.");
  const bps = "Basis points: 10,000 = 100 %.";
  const reserves = rows.map((row, i): ReserveParams => {
    const at = `market.reserves[${i}]`;
    const r = readRecord(
      row,
      at,
      "Each reserve is {symbol, decimals, ltvBps, liquidationThresholdBps, ...}.",
    );
    return {
      symbol: readString(r.symbol, `${at}.symbol`, "Name the reserve, e.g. WETH."),
      decimals: intField(r.decimals, `${at}.decimals`, 0, 77, "Use the token's ERC-20 decimals."),
      ltvBps: intField(r.ltvBps, `${at}.ltvBps`, 0, 10_000, bps),
      liquidationThresholdBps: intField(
        r.liquidationThresholdBps,
        `${at}.liquidationThresholdBps`,
        0,
        10_000,
        bps,
      ),
      liquidationBonusBps: intField(
        r.liquidationBonusBps,
        `${at}.liquidationBonusBps`,
        0,
        65_535,
        "The bonus includes the principal: 10,500 = +5 %.",
      ),
      liquidationProtocolFeeBps: intField(
        r.liquidationProtocolFeeBps ?? 0,
        `${at}.liquidationProtocolFeeBps`,
        0,
        10_000,
        "A share of the bonus in bps, e.g. 1000 for 10 %.",
      ),
      ...readIsolationFields(r, at),
    };
  });
  const indexes = new Map<string, { liquidityIndex: bigint; variableBorrowIndex: bigint }>();
  rows.forEach((row, i) => {
    const r = row as Record<string, unknown>;
    const at = `market.reserves[${i}]`;
    const index = (key: string): bigint => {
      if (r[key] === undefined) return RAY;
      const v = readDecimalUnits(r[key], `${at}.${key}`, RAY_DECIMALS, {
        excess: "reject",
        fix: `The reserve's ${key} as a decimal (ray, 27 decimals), at least 1; read Pool.getReserveData(asset).${key}.`,
      });
      if (v < RAY)
        throw new InputError(
          `${at}.${key}`,
          r[key],
          "must be at least 1 (indexes start at 1 and only grow)",
          "Read Pool.getReserveData(asset).",
        );
      return v;
    };
    indexes.set(String(r.symbol), {
      liquidityIndex: index("liquidityIndex"),
      variableBorrowIndex: index("variableBorrowIndex"),
    });
  });
  const eModeCategories = m.eModeCategories === undefined ? undefined : readEModes(m.eModeCategories);
  const market: Market = {
    name,
    version,
    reserves,
    ...(eModeCategories === undefined ? {} : { eModeCategories }),
  };
  try {
    validateMarket(market);
  } catch (err) {
    throw underField(err, "market");
  }
  return { market, indexes };
}

/** Isolation-mode and siloed-borrowing fields of an Aave reserve row. */
function readIsolationFields(r: Record<string, unknown>, at: string): Partial<ReserveParams> {
  const usd2 = (key: string, where: string) =>
    readDecimalUnits(r[key], `${at}.${key}`, DEBT_CEILING_DECIMALS, {
      excess: "reject",
      fix: `USD with at most 2 decimals (DEBT_CEILING_DECIMALS); read ${where}.`,
    });
  const flag = (key: string, where: string): boolean | undefined => {
    if (r[key] === undefined) return undefined;
    if (typeof r[key] !== "boolean")
      throw new InputError(`${at}.${key}`, r[key], "must be true or false", `Read ${where}.`);
    return r[key] as boolean;
  };
  const out: Partial<ReserveParams> = {};
  if (r.debtCeiling !== undefined)
    out.debtCeiling = usd2("debtCeiling", "AaveProtocolDataProvider.getDebtCeiling(asset) (0: not isolated)");
  if (r.isolationModeTotalDebt !== undefined)
    out.isolationModeTotalDebt = usd2(
      "isolationModeTotalDebt",
      "Pool.getReserveData(asset).isolationModeTotalDebt",
    );
  const b = flag("borrowableInIsolation", "the reserve configuration (getBorrowableInIsolation)");
  if (b !== undefined) out.borrowableInIsolation = b;
  const sb = flag("siloedBorrowing", "AaveProtocolDataProvider.getSiloedBorrowing(asset)");
  if (sb !== undefined) out.siloedBorrowing = sb;
  return out;
}

/** `market.eModeCategories`: `[{id, label?, ltvBps, liquidationThresholdBps, liquidationBonusBps, collateralSymbols, borrowableSymbols?}]`. */
function readEModes(raw: unknown): EModeCategory[] {
  const bps = "Basis points: 10,000 = 100 %; read Pool.getEModeCategoryCollateralConfig(id).";
  return readArray(raw, "market.eModeCategories", "List the e-mode categories: [{id, ltvBps, ...}].").map(
    (row, i) => {
      const at = `market.eModeCategories[${i}]`;
      const c = readRecord(
        row,
        at,
        "Each category is {id, ltvBps, liquidationThresholdBps, liquidationBonusBps, collateralSymbols}.",
      );
      const symbols = (key: string) =>
        readArray(
          c[key],
          `${at}.${key}`,
          `List reserve symbols; read Pool.getEModeCategory${key === "collateralSymbols" ? "Collateral" : "Borrowable"}Bitmap(id).`,
        ).map((x, j) => readString(x, `${at}.${key}[${j}]`, "A reserve symbol."));
      return {
        id: intField(c.id, `${at}.id`, 1, 255, "Category ids run from 1 to 255."),
        ...(c.label === undefined ? {} : { label: readString(c.label, `${at}.label`) }),
        ltvBps: intField(c.ltvBps, `${at}.ltvBps`, 0, 10_000, bps),
        liquidationThresholdBps: intField(
          c.liquidationThresholdBps,
          `${at}.liquidationThresholdBps`,
          0,
          10_000,
          bps,
        ),
        liquidationBonusBps: intField(c.liquidationBonusBps, `${at}.liquidationBonusBps`, 0, 65_535, bps),
        collateralSymbols: symbols("collateralSymbols"),
        ...(c.borrowableSymbols === undefined ? {} : { borrowableSymbols: symbols("borrowableSymbols") }),
      };
    },
  );
}

/**
 * Reads an Aave v3 document: `{venue: "aave-v3", collateral, debt, market, eModeCategoryId?}` with
 * holdings `{symbol, amount, price}` (amounts in tokens, converted exactly; USD prices to the 1e8 feed
 * scale). `market` is required: `{name?, version? ("3.7"), reserves: [{symbol, decimals,
 * ltvBps, liquidationThresholdBps, liquidationBonusBps, liquidationProtocolFeeBps, debtCeiling?,
 * isolationModeTotalDebt?, borrowableInIsolation?, siloedBorrowing?, liquidityIndex?,
 * variableBorrowIndex?}], eModeCategories?}`, checked as the PoolConfigurator does
 * (`validateMarket`); a holding may give `scaledAmount` (balance = scaled × index,
 * {@link aTokenBalance} / {@link variableDebtBalance}) instead of `amount`, and a collateral
 * `usedAsCollateral: false`. Every bad field raises an {@link InputError} naming it.
 */
function resolveAaveDocument(raw: unknown): ResolvedAaveDocument {
  const doc = readVenueRecord(raw, "aave-v3", ["venue", "collateral", "debt", "market", "eModeCategoryId"]);
  const { market, indexes } = readAaveMarket(doc.market);
  const version = market.version ?? "3.7";
  const reserves = new Map(market.reserves.map((r) => [r.symbol, r]));
  const collateral = readHoldings(doc.collateral, "collateral", true);
  const debt = readHoldings(doc.debt, "debt", true);
  const reserveOf = (h: DocumentHolding): ReserveParams => {
    const r = reserves.get(h.symbol);
    if (r === undefined)
      throw new InputError(
        `${h.at}.symbol`,
        h.symbol,
        "is not a reserve of the market",
        `Add it to market.reserves or use one of: ${[...reserves.keys()].join(", ")}.`,
      );
    return r;
  };
  const units = (h: DocumentHolding, side: "supply" | "debt") => {
    const decimals = reserveOf(h).decimals;
    if (h.scaledAmount === undefined)
      return readDecimalUnits(h.amount, `${h.at}.amount`, decimals, { excess: "reject", fix: AMOUNT_FIX });
    const scaled = readDecimalUnits(h.scaledAmount, `${h.at}.scaledAmount`, decimals, {
      excess: "reject",
      fix: "The scaled balance in tokens (scaledBalanceOf / 10^decimals).",
    });
    const idx = indexes.get(h.symbol) ?? { liquidityIndex: RAY, variableBorrowIndex: RAY };
    return side === "supply"
      ? aTokenBalance(scaled, idx.liquidityIndex, version)
      : variableDebtBalance(scaled, idx.variableBorrowIndex, version);
  };
  const supplies: Supply[] = collateral.map((h) => {
    const balance = units(h, "supply");
    if (h.usedAsCollateral === undefined) return { symbol: h.symbol, balance };
    if (typeof h.usedAsCollateral !== "boolean")
      throw new InputError(
        `${h.at}.usedAsCollateral`,
        h.usedAsCollateral,
        "must be true or false",
        "The user's collateral flag.",
      );
    return { symbol: h.symbol, balance, usedAsCollateral: h.usedAsCollateral };
  });
  const borrows = debt.map((h) => ({ symbol: h.symbol, balance: units(h, "debt") }));
  const prices = readPrices([...collateral, ...debt]);
  const eModeCategoryId =
    doc.eModeCategoryId === undefined
      ? 0
      : intField(
          doc.eModeCategoryId,
          "eModeCategoryId",
          0,
          255,
          "The user's e-mode category (Pool.getUserEMode); 0 for none.",
        );
  if (eModeCategoryId !== 0 && !(market.eModeCategories ?? []).some((c) => c.id === eModeCategoryId))
    throw new InputError(
      "eModeCategoryId",
      eModeCategoryId,
      "is not a category in market.eModeCategories",
      "Add the category's parameters (Pool.getEModeCategoryCollateralConfig) or use 0.",
    );
  const account: Account = {
    supplies,
    borrows,
    prices,
    ...(eModeCategoryId === 0 ? {} : { eModeCategoryId }),
  };
  return { venue: "aave-v3", market, account, lending: toLendingAccount(account, market) };
}

// --- health, holdings and the rules in force -----------------------------------------------------

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

// --- what-if: borrow and repay -------------------------------------------------------------------

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

// --- the liquidationCall report ------------------------------------------------------------------

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

/** The symbol of the largest item by value `amount × price`, undefined when there is none. */
function largest(items: readonly { symbol: string; amount: number; price: number }[]): string | undefined {
  let best: { symbol: string; value: number } | undefined;
  for (const x of items) {
    const value = x.amount * x.price;
    if (best === undefined || value > best.value) best = { symbol: x.symbol, value };
  }
  return best?.symbol;
}

/**
 * The asset `option` names, which must be one of `held`; without it, `fallback` (an {@link InputError}
 * on `option` when the account holds no `what`).
 */
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

// --- the venue -----------------------------------------------------------------------------------

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

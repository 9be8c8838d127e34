/**
 * Aave v3 account documents (`venue: "aave-v3"`, schema `schemas/lending-account.schema.json`), read
 * into the exact rulebook's account and market (`../aave-v3.ts`) plus their float view.
 */
import { InputError } from "../../errors.js";
import type { LendingAccount } from "../../margin/lending.js";
import { readArray, readChoice, readRecord, readString } from "../../validate.js";
import {
  type Account as AaveAccount,
  aTokenBalance,
  DEBT_CEILING_DECIMALS,
  type EModeCategory,
  type Market,
  type ReserveParams,
  type Supply,
  toLendingAccount,
  type Version,
  validateMarket,
  variableDebtBalance,
} from "../aave-v3.js";
import {
  AMOUNT_FIX,
  type DocumentHolding,
  intField,
  RAY_DECIMALS,
  RAY_ONE,
  readDecimalUnits,
  readHoldings,
  readPrices,
  readVenueRecord,
  underField,
} from "../lending-document.js";

/** An Aave v3 document resolved to the exact rulebook's account and market, plus its float view. */
export interface ResolvedAaveDocument {
  venue: "aave-v3";
  market: Market;
  account: AaveAccount;
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
      if (r[key] === undefined) return RAY_ONE;
      const v = readDecimalUnits(r[key], `${at}.${key}`, RAY_DECIMALS, {
        excess: "reject",
        fix: `The reserve's ${key} as a decimal (ray, 27 decimals), at least 1; read Pool.getReserveData(asset).${key}.`,
      });
      if (v < RAY_ONE)
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
export function resolveAaveDocument(raw: unknown): ResolvedAaveDocument {
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
    const idx = indexes.get(h.symbol) ?? { liquidityIndex: RAY_ONE, variableBorrowIndex: RAY_ONE };
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
  const account: AaveAccount = {
    supplies,
    borrows,
    prices,
    ...(eModeCategoryId === 0 ? {} : { eModeCategoryId }),
  };
  return { venue: "aave-v3", market, account, lending: toLendingAccount(account, market) };
}

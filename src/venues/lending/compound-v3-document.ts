/**
 * Compound v3 (Comet) account documents (`venue: "compound-v3"`, schema
 * `schemas/lending-account.schema.json`), read into the exact Comet config, account and prices
 * (`../compound-v3.ts`) plus their float view.
 */
import { InputError } from "../../errors.js";
import type { LendingAccount } from "../../margin/lending.js";
import { readArray, readRecord, readString } from "../../validate.js";
import {
  type AssetConfig,
  type Account as CometAccount,
  type Config,
  CUSDCV3_MAINNET_LAUNCH,
  lendingAccount,
  type Prices,
  validateConfig,
} from "../compound-v3.js";
import {
  AMOUNT_FIX,
  intField,
  readDecimalUnits,
  readHoldings,
  readPrices,
  readVenueRecord,
  underField,
} from "../lending-document.js";

/** A Compound v3 document resolved to the exact Comet config, account and prices, plus its float view. */
export interface ResolvedCompoundDocument {
  venue: "compound-v3";
  config: Config;
  account: CometAccount;
  prices: Prices;
  /** The protocol's base reserves before an absorb [base units] (document `reserves`, default 0). */
  reserves: bigint;
  /** {@link lendingAccount} of the exact account. */
  lending: LendingAccount;
}

function readCometConfig(raw: unknown): Config {
  if (raw === undefined) return CUSDCV3_MAINNET_LAUNCH;
  const m = readRecord(
    raw,
    "market",
    'Give the Comet market {baseSymbol, baseDecimals, storeFrontPriceFactor, targetReserves, assets}, or leave "market" out for cUSDCv3.',
  );
  const factorFix = 'A fraction from 0 to 1, e.g. "0.825".';
  const factor = (value: unknown, field: string) =>
    readDecimalUnits(value, field, 18, { excess: "reject", fix: factorFix });
  const baseDecimals = intField(
    m.baseDecimals,
    "market.baseDecimals",
    0,
    18,
    "The base token's decimals, e.g. 6.",
  );
  const rows = readArray(m.assets, "market.assets", "List the market's collateral assets.");
  const assets = rows.map((row, i): AssetConfig => {
    const at = `market.assets[${i}]`;
    const a = readRecord(row, at, "Each asset is {symbol, decimals, borrowCollateralFactor, ...}.");
    return {
      symbol: readString(a.symbol, `${at}.symbol`, "Name the asset, e.g. WETH."),
      decimals: intField(a.decimals, `${at}.decimals`, 0, 36, "Use the token's ERC-20 decimals."),
      borrowCollateralFactor: factor(a.borrowCollateralFactor, `${at}.borrowCollateralFactor`),
      liquidateCollateralFactor: factor(a.liquidateCollateralFactor, `${at}.liquidateCollateralFactor`),
      liquidationFactor: factor(a.liquidationFactor, `${at}.liquidationFactor`),
    };
  });
  const config: Config = {
    name: m.name === undefined ? "Comet market" : readString(m.name, "market.name"),
    baseSymbol: readString(m.baseSymbol, "market.baseSymbol", "Name the base asset, e.g. USDC."),
    baseDecimals,
    storeFrontPriceFactor: factor(m.storeFrontPriceFactor ?? "0.5", "market.storeFrontPriceFactor"),
    targetReserves: readDecimalUnits(m.targetReserves ?? 0, "market.targetReserves", baseDecimals, {
      excess: "reject",
      fix: "Give the target reserves in base tokens, e.g. 5000000.",
    }),
    assets,
  };
  try {
    return validateConfig(config);
  } catch (err) {
    throw underField(err, "market");
  }
}

/**
 * Reads a Compound v3 document: `{venue: "compound-v3", collateral, debt, market?, reserves?}` with
 * holdings `{symbol, amount, price}`. `market` defaults to {@link CUSDCV3_MAINNET_LAUNCH}; otherwise
 * `{name?, baseSymbol, baseDecimals, storeFrontPriceFactor?, targetReserves?, assets: [{symbol,
 * decimals, borrowCollateralFactor, liquidateCollateralFactor, liquidationFactor}]}` with factors as
 * decimal fractions. `debt` holds at most the base asset; optional `reserves` (base tokens) feed the
 * absorb report. Every bad field raises an {@link InputError} naming it.
 */
export function resolveCompoundDocument(raw: unknown): ResolvedCompoundDocument {
  const doc = readVenueRecord(raw, "compound-v3", ["venue", "collateral", "debt", "market", "reserves"]);
  const config = readCometConfig(doc.market);
  const collateral = readHoldings(doc.collateral, "collateral");
  const debt = readHoldings(doc.debt, "debt");
  const assets = new Map(config.assets.map((a) => [a.symbol, a]));
  const balances: Record<string, bigint> = {};
  for (const h of collateral) {
    const asset = assets.get(h.symbol);
    if (asset === undefined)
      throw new InputError(
        `${h.at}.symbol`,
        h.symbol,
        `is not a collateral asset of ${config.name}`,
        `Use one of: ${[...assets.keys()].join(", ")}.`,
      );
    balances[h.symbol] = readDecimalUnits(h.amount, `${h.at}.amount`, asset.decimals, {
      excess: "reject",
      fix: AMOUNT_FIX,
    });
  }
  if (debt.length > 1)
    throw new InputError(
      "debt",
      debt.map((d) => d.symbol),
      `must hold at most one entry (the base asset ${config.baseSymbol})`,
      "A Comet account borrows only the market's base asset.",
    );
  let baseBalance = 0n;
  const [owed] = debt;
  if (owed !== undefined) {
    if (owed.symbol !== config.baseSymbol)
      throw new InputError(
        "debt[0].symbol",
        owed.symbol,
        `must be the market's base asset ${config.baseSymbol}`,
        "A Comet account borrows only the base asset.",
      );
    baseBalance = -readDecimalUnits(owed.amount, "debt[0].amount", config.baseDecimals, {
      excess: "reject",
      fix: AMOUNT_FIX,
    });
  }
  const prices = readPrices([...collateral, ...debt]);
  const reserves =
    doc.reserves === undefined
      ? 0n
      : readDecimalUnits(doc.reserves, "reserves", config.baseDecimals, {
          excess: "reject",
          fix: `Give the protocol's reserves in ${config.baseSymbol}, e.g. 5000000.`,
        });
  const account: CometAccount = { baseBalance, collateral: balances };
  return {
    venue: "compound-v3",
    config,
    account,
    prices,
    reserves,
    lending: lendingAccount(config, account, prices),
  };
}

/**
 * Compound v3 (Comet) as a {@link LendingVenue}, in one file over the exact engine (`../compound-v3.ts`):
 *
 * - **the document**: `{venue: "compound-v3", collateral, debt, market?, reserves?}` (schema
 *   `schemas/lending-account.schema.json`) read into the exact Comet config, account and prices plus
 *   their float view, with the shared readers of `../lending-document.ts`;
 * - **health and holdings**: the exact health factor Comet never forms, `isLiquidatable`, holdings in
 *   token units;
 * - **the absorb report**: one `absorb` with the store-front sale of the seized collateral
 *   (`liqopt liquidate`), and its readable form;
 * - **the venue**: {@link compoundV3Lending}, built by `moneyMarketVenue` (which writes the `liq-price`
 *   and `what-if` reports and their text).
 */
import { InputError } from "../../errors.js";
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import { healthFactor, type LendingAccount } from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed, WAD } from "../../math/fixed-point.js";
import { readArray, readRecord, readString } from "../../validate.js";
import { formatWad } from "../aave-v3.js";
import {
  type AssetConfig,
  absorb,
  type Account as CometAccount,
  type Config,
  CUSDCV3_MAINNET_LAUNCH,
  isLiquidatable as cometIsLiquidatable,
  lendingAccount,
  liquidity,
  type Prices,
  storeFrontDiscount,
  storeFrontSale,
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
import { isVenueRevert } from "../revert.js";
import { type Holding, type LendingHealth, moneyMarketVenue } from "./money-market.js";
import { tokenText } from "./money-market-text.js";
import type { TokenAmount } from "./venue.js";

// --- the document --------------------------------------------------------------------------------

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

/**
 * Reads a Comet market (a lending document's `market`): `{name?, baseSymbol, baseDecimals,
 * storeFrontPriceFactor?, targetReserves?, assets: [{symbol, decimals, borrowCollateralFactor,
 * liquidateCollateralFactor, liquidationFactor}]}`, factors as decimal fractions, amounts in base
 * tokens; absent: {@link CUSDCV3_MAINNET_LAUNCH}. Errors name `market.…`.
 */
export function readCometConfig(raw: unknown): Config {
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

// --- health and holdings -------------------------------------------------------------------------

/**
 * The exact health factor of a Comet account, which Comet itself never forms: the liquidation-
 * weighted collateral `Σ ⌊⌊amount·price/scale⌋·liquidateCF/1e18⌋` over the debt value
 * `⌊−baseBalance·basePrice/baseScale⌋`, both in 1e8 USD as `isLiquidatable` rounds them, as a WAD
 * (floor). `"max"` without debt. Liquidatable ⇔ this is below 1.
 */
function cometHealthFactorExact(doc: ResolvedCompoundDocument): string {
  const { config, account, prices } = doc;
  if (account.baseBalance >= 0n) return "max";
  const basePrice = prices[config.baseSymbol] as bigint;
  const baseTerm = (account.baseBalance * basePrice) / 10n ** BigInt(config.baseDecimals);
  const debt = -baseTerm;
  if (debt === 0n) return "max";
  const weighted = liquidity(config, account, prices, "liquidate") - baseTerm;
  return formatWad((weighted * WAD) / debt);
}

/** {@link cometHealthFactorExact}, the float health factor and Comet's `isLiquidatable`. */
function cometHealth(doc: ResolvedCompoundDocument): LendingHealth {
  return {
    healthFactor: { exact: cometHealthFactorExact(doc), float: healthFactor(doc.lending) },
    liquidatable: cometIsLiquidatable(doc.config, doc.account, doc.prices),
  };
}

/** Collateral in asset units (config order) and the base debt `−baseBalance` (none when supplying). */
function cometHoldings(doc: ResolvedCompoundDocument): { collateral: Holding[]; debt: Holding[] } {
  const { config, account, prices } = doc;
  const collateral = config.assets
    .filter((a) => account.collateral[a.symbol] !== undefined)
    .map((a) => ({
      symbol: a.symbol,
      units: account.collateral[a.symbol] ?? 0n,
      decimals: a.decimals,
      price: fromFixed(prices[a.symbol] ?? 0n, 8),
    }));
  const basePrice = prices[config.baseSymbol];
  const debt =
    basePrice === undefined
      ? []
      : [
          {
            symbol: config.baseSymbol,
            units: -account.baseBalance,
            decimals: config.baseDecimals,
            price: fromFixed(basePrice, 8),
          },
        ];
  return { collateral, debt };
}

// --- the absorb report ---------------------------------------------------------------------------

/** `liqopt liquidate --json` for a Compound v3 account: one `absorb`. */
export interface CometAbsorbReport {
  venue: "compound-v3";
  market: string;
  revert: "NotLiquidatable" | null;
  revertReason: string | null;
  healthFactor: { exact: string; float: number };
  /** Each collateral seized in full, its value, its credit at the liquidation factor, and the store-front discount buyers get. */
  seized: {
    symbol: string;
    amount: string;
    usd: number;
    creditUsd: number;
    liquidationFactor: number;
    storeFrontDiscount: number;
  }[];
  baseSymbol: string;
  /** Base balance before (negative: debt), the credit in base, the balance after; base tokens. */
  balanceBefore: string;
  credit: string;
  balanceAfter: string;
  /** Debt the credit did not cover, absorbed by reserves (base tokens). */
  shortfall: string;
  /** Paid out of reserves: debt repaid plus any supply created (base tokens and USD). */
  basePaidOut: TokenAmount;
  reservesBefore: string;
  reservesAfter: string;
  /**
   * The store-front sale of the seized collateral after absorb (`storeFrontSale`): per asset whether
   * `buyCollateral` is open (reserves below target), base paid, collateral sold and left; what the
   * protocol recovers and its net result against `basePaidOut`. Null on a revert.
   */
  storeFront: {
    lots: {
      symbol: string;
      forSale: boolean;
      discount: number;
      basePaid: string;
      collateralSold: string;
      collateralLeft: string;
      reservesAfter: string;
    }[];
    baseRecovered: TokenAmount;
    netToReserves: string;
    reservesAfter: string;
    targetReserves: string;
  } | null;
  steps: string[];
}

/**
 * The reason of Comet's `NotLiquidatable` revert, the one revert `absorb` reports as a result; any
 * other error is rethrown. The one place that reads Comet's revert convention.
 */
function notLiquidatableReason(err: unknown): string {
  if (!isVenueRevert(err, "compound-v3", "NotLiquidatable")) throw err;
  return err.explanation;
}

/** Runs Comet's `absorb` on the document's account (reserves from the document, default 0). */
export function cometAbsorbReport(doc: ResolvedCompoundDocument): CometAbsorbReport {
  const { config, account, prices, reserves } = doc;
  const baseDec = config.baseDecimals;
  const base = (u: bigint) => fixedToDecimalText(u, baseDec);
  const health = cometHealth(doc).healthFactor;
  const head = {
    venue: "compound-v3" as const,
    market: config.name,
    healthFactor: health,
    baseSymbol: config.baseSymbol,
  };
  try {
    const r = absorb(config, account, prices, reserves);
    const decimals = new Map(config.assets.map((a) => [a.symbol, a.decimals]));
    const factors = new Map(config.assets.map((a) => [a.symbol, a.liquidationFactor]));
    const basePrice = prices[config.baseSymbol] as bigint;
    return {
      ...head,
      revert: null,
      revertReason: null,
      seized: r.seized.map((s) => ({
        symbol: s.symbol,
        amount: fixedToDecimalText(s.amount, decimals.get(s.symbol) ?? 0),
        usd: fromFixed(s.value, 8),
        creditUsd: fromFixed(s.credit, 8),
        liquidationFactor: fromFixed(factors.get(s.symbol) ?? 0n, 18),
        storeFrontDiscount: fromFixed(storeFrontDiscount(config, s.symbol), 18),
      })),
      balanceBefore: base(r.oldBalance),
      credit: base(r.deltaBalance),
      balanceAfter: base(r.newBalance),
      shortfall: base(r.shortfall),
      basePaidOut: {
        symbol: config.baseSymbol,
        amount: base(r.basePaidOut),
        usd: fromFixed(r.basePaidOut, baseDec) * fromFixed(basePrice, 8),
      },
      reservesBefore: base(r.reservesBefore),
      reservesAfter: base(r.reservesAfter),
      storeFront: (() => {
        const sale = storeFrontSale(config, r, prices);
        return {
          lots: sale.lots.map((l) => ({
            symbol: l.symbol,
            forSale: l.forSale,
            discount: fromFixed(l.discount, 18),
            basePaid: base(l.basePaid),
            collateralSold: fixedToDecimalText(l.collateralSold, decimals.get(l.symbol) ?? 0),
            collateralLeft: fixedToDecimalText(l.collateralLeft, decimals.get(l.symbol) ?? 0),
            reservesAfter: base(l.reservesAfter),
          })),
          baseRecovered: {
            symbol: config.baseSymbol,
            amount: base(sale.baseRecovered),
            usd: fromFixed(sale.baseRecovered, baseDec) * fromFixed(basePrice, 8),
          },
          netToReserves: base(sale.netToReserves),
          reservesAfter: base(sale.reservesAfter),
          targetReserves: base(config.targetReserves),
        };
      })(),
      steps: [...r.steps],
    };
  } catch (err) {
    const reason = notLiquidatableReason(err);
    return {
      ...head,
      revert: "NotLiquidatable",
      revertReason: `${reason}: nothing to liquidate`,
      seized: [],
      balanceBefore: base(account.baseBalance),
      credit: "0",
      balanceAfter: base(account.baseBalance),
      shortfall: "0",
      basePaidOut: { symbol: config.baseSymbol, amount: "0", usd: 0 },
      reservesBefore: base(reserves),
      reservesAfter: base(reserves),
      storeFront: null,
      steps: [],
    };
  }
}

/** The readable form of a {@link CometAbsorbReport}. */
function cometAbsorbText(r: CometAbsorbReport): Readable {
  const out: Readable = [`${compoundV3Lending.name}: absorb, ${r.market}`, ""];
  if (r.revert !== null) {
    out.push(`Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactor.exact}.`);
    return out;
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  out.push(
    "",
    textTable(
      ["Seized", "Amount", "Value", "Liq. factor", "Credit", "Store-front discount"],
      r.seized.map((s) => [
        s.symbol,
        s.amount,
        formatNumber(s.usd),
        formatPercent(s.liquidationFactor),
        formatNumber(s.creditUsd),
        formatPercent(s.storeFrontDiscount),
      ]),
      { rightAlign: [1, 2, 3, 4, 5] },
    ),
    "",
    textTable(
      [],
      [
        ["Health factor before", r.healthFactor.exact],
        [`Balance before (${r.baseSymbol})`, r.balanceBefore],
        [`Credit (${r.baseSymbol})`, r.credit],
        [`Balance after (${r.baseSymbol})`, r.balanceAfter],
        [`Shortfall absorbed by reserves (${r.baseSymbol})`, r.shortfall],
        ["Paid out of reserves", tokenText(r.basePaidOut)],
        [`Reserves (${r.baseSymbol})`, `${r.reservesBefore} → ${r.reservesAfter}`],
      ],
      { rightAlign: [1] },
    ),
  );
  const sf = r.storeFront;
  if (sf !== null)
    out.push(
      "",
      `Store-front sale of the seized collateral (buyCollateral, open while reserves < target ${sf.targetReserves} ${r.baseSymbol}):`,
      textTable(
        [
          "Asset",
          "For sale",
          "Discount",
          `Paid (${r.baseSymbol})`,
          "Sold",
          "Left with protocol",
          "Reserves after",
        ],
        sf.lots.map((l) => [
          l.symbol,
          l.forSale ? "yes" : "no (reserves ≥ target)",
          formatPercent(l.discount),
          l.basePaid,
          l.collateralSold,
          l.collateralLeft,
          l.reservesAfter,
        ]),
        { rightAlign: [2, 3, 4, 5, 6] },
      ),
      `Protocol recovers ${tokenText(sf.baseRecovered)}; net to reserves after absorb and sale: ${sf.netToReserves} ${r.baseSymbol} (reserves ${sf.reservesAfter}).`,
    );
  return out;
}

// --- the venue -----------------------------------------------------------------------------------

/** Compound v3 (`venue: "compound-v3"`). */
export const compoundV3Lending = moneyMarketVenue({
  id: "compound-v3",
  name: "Compound v3 (Comet)",
  note: "lending; cUSDCv3 launch market by default — docs/reference/compound-v3.md",
  liquidateOptions: [],
  resolve: resolveCompoundDocument,
  health: cometHealth,
  market: (doc) => ({ market: doc.config.name, version: null }),
  holdings: cometHoldings,
  liquidateReport: cometAbsorbReport,
  liquidateText: cometAbsorbText,
});

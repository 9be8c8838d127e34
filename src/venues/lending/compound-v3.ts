/**
 * Compound v3 (Comet) as a {@link LendingVenue}: the exact health factor Comet never forms, holdings
 * in token units, and one `absorb` with the store-front sale of the seized collateral as a report.
 */
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import { healthFactor } from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed, WAD } from "../../math/fixed-point.js";
import { formatWad } from "../aave-v3.js";
import {
  absorb,
  isLiquidatable as cometIsLiquidatable,
  liquidity,
  storeFrontDiscount,
  storeFrontSale,
} from "../compound-v3.js";
import { isVenueRevert } from "../revert.js";
import { type ResolvedCompoundDocument, resolveCompoundDocument } from "./compound-v3-document.js";
import { type Holding, type LendingHealth, moneyMarketVenue } from "./money-market.js";
import { tokenText } from "./money-market-text.js";
import type { TokenAmount } from "./venue.js";

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

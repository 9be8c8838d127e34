/**
 * The lending venues by document `venue`. Adding one: its engine (`../<id>.ts`), its adapter in this folder
 * (`<id>.ts`: the document reader and the {@link LendingVenue}), its test, and one line here: in {@link MONEY_MARKETS} for a money market
 * built by `moneyMarketVenue`, in {@link LENDING_VENUES} for a venue with reports of its own.
 */
import { InputError } from "../../errors.js";
import { isRecord, readRecord } from "../../validate.js";
import { aaveV3Lending } from "./aave-v3.js";
import { compoundV3Lending } from "./compound-v3.js";
import { driftV2Lending } from "./drift-v2.js";
import { makerLending } from "./maker.js";
import type { LendingHealth, LendingLiqPriceReport, LendingWhatIfReport } from "./money-market.js";
import type { LendingVenue, LendingVenueTypes, LiquidateOptions, WhatIfOptions } from "./venue.js";

/** The money markets (one health report and one what-if over the float view), by document `venue`. */
const MONEY_MARKETS = {
  "aave-v3": aaveV3Lending,
  "compound-v3": compoundV3Lending,
  maker: makerLending,
} as const;

/** Every lending venue, keyed by the `venue` its documents name. */
export const LENDING_VENUES = {
  ...MONEY_MARKETS,
  "drift-v2": driftV2Lending,
} as const;

/** The `venue` of a money-market document. */
type MoneyMarketKey = keyof typeof MONEY_MARKETS;

/** A money-market document resolved against its venue's exact rulebook (Aave v3, Compound v3, Maker). */
export type ResolvedLendingDocument = ReturnType<(typeof MONEY_MARKETS)[MoneyMarketKey]["resolve"]>;

/** The `venue` of a lending document (money markets and Drift). */
export type LendingVenueKey = keyof typeof LENDING_VENUES;

/** The document and result types of the venue `K`. */
export type LendingVenueTypesOf<K extends LendingVenueKey> =
  (typeof LENDING_VENUES)[K] extends LendingVenue<infer T> ? T : never;

/** Any lending venue's document and result types (unions over the registry). */
export type AnyLendingVenueTypes = {
  [P in keyof LendingVenueTypes]: LendingVenueTypesOf<LendingVenueKey>[P];
};

/** Whether `id` names a registered lending venue. */
export function isLendingVenueKey(id: unknown): id is LendingVenueKey {
  return typeof id === "string" && Object.hasOwn(LENDING_VENUES, id);
}

/** The venue a parsed document names when it is a lending venue, else undefined. */
export function lendingVenueOf(raw: unknown): LendingVenue<AnyLendingVenueTypes> | undefined {
  return isRecord(raw) && isLendingVenueKey(raw.venue) ? lendingVenue(raw.venue) : undefined;
}

/** The registered venue `id`, typed for any of its documents. */
export function lendingVenue(id: LendingVenueKey): LendingVenue<AnyLendingVenueTypes> {
  return LENDING_VENUES[id];
}

/** The registered venues that read `option` of `liquidate` or `what-if`, as a list for messages. */
export function venuesReading(
  option: keyof LiquidateOptions | keyof WhatIfOptions,
  list: "liquidateOptions" | "whatIfOptions",
): string {
  const ids = Object.values(LENDING_VENUES)
    .filter((v) => (v[list] as readonly string[]).includes(option))
    .map((v) => v.id);
  return ids.join(", ");
}

/** The money markets, typed for any of their documents. */
const MONEY_MARKET_VENUES: Record<
  MoneyMarketKey,
  LendingVenue<{
    doc: ResolvedLendingDocument;
    health: LendingHealth;
    liqPrice: LendingLiqPriceReport;
    whatIf: LendingWhatIfReport;
    liquidate: unknown;
  }>
> = MONEY_MARKETS;

/** Whether `id` names a money market (its documents are read by {@link resolveLendingDocument}). */
export function isMoneyMarket(id: unknown): id is MoneyMarketKey {
  return typeof id === "string" && Object.hasOwn(MONEY_MARKETS, id);
}

/**
 * Reads a money-market document (schema: `schemas/lending-account.schema.json`) with its venue's reader
 * (in `aave-v3.ts`, `compound-v3.ts`, `maker.ts`): `{venue, collateral: [{symbol, amount, price}],
 * debt: [...], ...}` with amounts in tokens (converted exactly to token units) and USD
 * prices (to the 1e8 feed scale). Another `venue` is an {@link InputError} listing the money markets;
 * every bad field raises one naming it, e.g. `collateral[1].amount`.
 */
export function resolveLendingDocument(raw: unknown): ResolvedLendingDocument {
  const doc = readRecord(
    raw,
    "account",
    "The account document is a JSON object; see schemas/lending-account.schema.json.",
  );
  if (!isMoneyMarket(doc.venue))
    throw new InputError(
      "venue",
      doc.venue,
      "is not a lending venue",
      `Use one of: ${Object.keys(MONEY_MARKETS).join(", ")}.`,
    );
  return MONEY_MARKET_VENUES[doc.venue].resolve(doc);
}

/**
 * `liq-price --json` of a money-market document: health factor, per-collateral liquidation prices and
 * the survivable drop of the account ({@link LendingVenue.liqPriceReport} of its venue).
 */
export function lendingLiqPriceReport(doc: ResolvedLendingDocument): LendingLiqPriceReport {
  return MONEY_MARKET_VENUES[doc.venue].liqPriceReport(doc);
}

/**
 * The lending venues by document `venue`. Adding one: its file in this folder implementing
 * {@link LendingVenue}, its test, and one line here (and its renderers in the CLI).
 */
import { isRecord } from "../../validate.js";
import type { LendingVenueId, ResolvedLendingDocument } from "../lending-document.js";
import { aaveV3Lending } from "./aave-v3.js";
import { compoundV3Lending } from "./compound-v3.js";
import { driftV2Lending } from "./drift-v2.js";
import { makerLending } from "./maker.js";
import type { LendingHealth, LendingLiqPriceReport, LendingWhatIfReport } from "./money-market.js";
import type { LendingVenue, LendingVenueTypes, LiquidateOptions, WhatIfOptions } from "./venue.js";

/** Every lending venue, keyed by the `venue` its documents name. */
export const LENDING_VENUES = {
  "aave-v3": aaveV3Lending,
  "compound-v3": compoundV3Lending,
  maker: makerLending,
  "drift-v2": driftV2Lending,
} as const;

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

const MONEY_MARKETS: Record<
  LendingVenueId,
  LendingVenue<{
    doc: ResolvedLendingDocument;
    health: LendingHealth;
    liqPrice: LendingLiqPriceReport;
    whatIf: LendingWhatIfReport;
    liquidate: unknown;
  }>
> = LENDING_VENUES;

/**
 * `liq-price --json` of a money-market document: health factor, per-collateral liquidation prices and
 * the survivable drop of the account ({@link LendingVenue.liqPriceReport} of its venue).
 */
export function lendingLiqPriceReport(doc: ResolvedLendingDocument): LendingLiqPriceReport {
  return MONEY_MARKETS[doc.venue].liqPriceReport(doc);
}

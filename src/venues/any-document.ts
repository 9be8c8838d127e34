/**
 * Any account document, resolved by its `venue`: a lending venue's document (`aave-v3`, `compound-v3`,
 * `maker`, `drift-v2`: any venue in `LENDING_VENUES`), a GMX v2 position or a perpetual-venue account.
 */
import { InputError } from "../errors.js";
import { isRecord } from "../validate.js";
import { type ResolvedAccount, resolveAccountDocument } from "./account-document.js";
import { GMX_VENUE_ID, type ResolvedGmxDocument, resolveGmxDocument } from "./gmx-v2/document.js";
import { venueIds } from "./index.js";
import { type AnyLendingVenueTypes, LENDING_VENUES, lendingVenueOf } from "./lending/registry.js";
import type { LendingVenue } from "./lending/venue.js";

/** A resolved account document of any kind (a lending one with the venue that read it). */
export type ResolvedAnyDocument =
  | { kind: "perp"; resolved: ResolvedAccount }
  | { kind: "lending"; venue: LendingVenue<AnyLendingVenueTypes>; resolved: AnyLendingVenueTypes["doc"] }
  | { kind: "gmx"; resolved: ResolvedGmxDocument };

/**
 * Resolves a parsed account document, dispatching on its `venue`: a lending venue's document through
 * that venue's `resolve` (`LENDING_VENUES`), a GMX v2 position through `resolveGmxDocument`, a perpetual venue's through `resolveAccountDocument`. An
 * unknown venue is an {@link InputError} on `venue` listing all of them.
 */
export function resolveAnyDocument(raw: unknown): ResolvedAnyDocument {
  const venue = lendingVenueOf(raw);
  if (venue !== undefined) return { kind: "lending", venue, resolved: venue.resolve(raw) };
  if (isRecord(raw) && raw.venue === GMX_VENUE_ID) return { kind: "gmx", resolved: resolveGmxDocument(raw) };
  if (isRecord(raw) && typeof raw.venue === "string" && !venueIds().includes(raw.venue))
    throw new InputError(
      "venue",
      raw.venue,
      "is not a known venue",
      `Use one of: ${[...venueIds(), GMX_VENUE_ID, ...Object.keys(LENDING_VENUES)].join(", ")}.`,
    );
  return { kind: "perp", resolved: resolveAccountDocument(raw) };
}

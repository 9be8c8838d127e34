/**
 * Any account document, resolved by its `venue`: a lending document (`aave-v3`, `compound-v3`,
 * `maker`), a Drift v2 document, a GMX v2 position, or a perpetual-venue account.
 */
import { InputError } from "../errors.js";
import { isRecord } from "../validate.js";
import { type ResolvedAccount, resolveAccountDocument } from "./account-document.js";
import { DRIFT_VENUE_ID, type ResolvedDriftDocument, resolveDriftDocument } from "./drift-document.js";
import { GMX_VENUE_ID, type ResolvedGmxDocument, resolveGmxDocument } from "./gmx-v2/document.js";
import { venueIds } from "./index.js";
import {
  isLendingVenue,
  LENDING_VENUE_IDS,
  type ResolvedLendingDocument,
  resolveLendingDocument,
} from "./lending-document.js";

/** A resolved account document of any kind. */
export type ResolvedAnyDocument =
  | { kind: "perp"; resolved: ResolvedAccount }
  | { kind: "lending"; resolved: ResolvedLendingDocument }
  | { kind: "drift"; resolved: ResolvedDriftDocument }
  | { kind: "gmx"; resolved: ResolvedGmxDocument };

/**
 * Resolves a parsed account document, dispatching on its `venue`: lending venues through
 * `resolveLendingDocument`, `drift-v2` through `resolveDriftDocument`, `gmx-v2` through
 * `resolveGmxDocument`, perpetual venues through
 * `resolveAccountDocument`. An unknown venue is an {@link InputError} on `venue` listing all kinds.
 */
export function resolveAnyDocument(raw: unknown): ResolvedAnyDocument {
  if (isRecord(raw) && isLendingVenue(raw.venue))
    return { kind: "lending", resolved: resolveLendingDocument(raw) };
  if (isRecord(raw) && raw.venue === DRIFT_VENUE_ID)
    return { kind: "drift", resolved: resolveDriftDocument(raw) };
  if (isRecord(raw) && raw.venue === GMX_VENUE_ID) return { kind: "gmx", resolved: resolveGmxDocument(raw) };
  if (isRecord(raw) && typeof raw.venue === "string" && !venueIds().includes(raw.venue))
    throw new InputError(
      "venue",
      raw.venue,
      "is not a known venue",
      `Use one of: ${[...venueIds(), DRIFT_VENUE_ID, GMX_VENUE_ID, ...LENDING_VENUE_IDS].join(", ")}.`,
    );
  return { kind: "perp", resolved: resolveAccountDocument(raw) };
}

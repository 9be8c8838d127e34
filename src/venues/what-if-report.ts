/**
 * `liqopt what-if --json`: one change to any account document and its effect, as one library call a
 * front end (the CLI, an HTTP handler) makes with the parsed document and the options.
 */
import { InputError } from "../errors.js";
import { isRecord } from "../validate.js";
import { resolveAccountDocument } from "./account-document.js";
import { GMX_VENUE_ID } from "./gmx-v2/document.js";
import {
  type LendingVenueKey,
  type LendingVenueTypesOf,
  lendingVenueOf,
  venuesReading,
} from "./lending/registry.js";
import { LENDING_WHAT_IF_OPTIONS, type WhatIfOptions } from "./lending/venue.js";
import {
  type PerpWhatIfReport,
  perpWhatIfReport,
  readPerpWhatIfAction,
  readPositionIndex,
} from "./perp-what-if.js";

/** The `what-if --json` object of any document: one per lending venue, or the perpetual report. */
export type WhatIfReport = PerpWhatIfReport | LendingVenueTypesOf<LendingVenueKey>["whatIf"];

const FLAGS: Partial<Record<keyof WhatIfOptions, string>> = {
  asset: "--asset",
  repay: "--repay",
  borrow: "--borrow",
  targetHf: "--target-hf",
};

/**
 * Refuses a lending-only option (`--asset`, `--repay`, `--borrow`, `--target-hf`) on a document whose
 * venue does not read it, naming the venues that do.
 */
function refuseLendingOnly(options: WhatIfOptions, read: readonly (keyof WhatIfOptions)[]): void {
  for (const key of LENDING_WHAT_IF_OPTIONS) {
    const flag = FLAGS[key];
    if (flag === undefined || options[key] === undefined || read.includes(key)) continue;
    throw new InputError(
      flag,
      options[key],
      `applies to lending documents (${venuesReading(key, "whatIfOptions")}) only`,
      "Drop it for a perpetual-venue document.",
    );
  }
}

/**
 * Runs one what-if on a parsed document: a lending venue's `whatIfReport` (money markets: a collateral
 * or debt change, or the collateral for a target health factor; Drift: a deposit, size change or target
 * liquidation price), or {@link perpWhatIfReport} on position `--position` (default 0) of a
 * perpetual-venue account. Every bad option is an {@link InputError} naming it.
 */
export function whatIfReport(raw: unknown, options: WhatIfOptions): WhatIfReport {
  if (isRecord(raw) && raw.venue === GMX_VENUE_ID)
    throw new InputError(
      "venue",
      raw.venue,
      "documents have no what-if yet",
      "Use liq-price (the liquidation price, and the check at the index price) or liquidate on a GMX v2 document.",
    );
  const venue = lendingVenueOf(raw);
  refuseLendingOnly(options, venue?.whatIfOptions ?? []);
  if (venue !== undefined) return venue.whatIfReport(raw, venue.resolve(raw), options);
  const resolved = resolveAccountDocument(raw);
  const position = options.position ?? "0";
  const index = readPositionIndex(position, resolved.account);
  return perpWhatIfReport(
    resolved,
    index,
    readPerpWhatIfAction({ ...options, position }, resolved.account, index),
  );
}

/**
 * The `liq-price` report of any account document, one call for the CLI and a server: the document is
 * resolved by its `venue` ({@link resolveAnyDocument}) and reported by its kind — a perpetual-venue
 * account's margin and liquidation prices ({@link liqPriceReport}), a lending account's health factor
 * and collateral liquidation prices or a Drift v2 account's margin (its lending venue's
 * `liqPriceReport`), or a GMX v2 position's liquidation check and price ({@link gmxLiqPriceReport}).
 * A lending or GMX report carries its readable form (`text`), so a front end draws it without knowing
 * the venue.
 */
import type { Readable } from "../format.js";
import { type ResolvedAnyDocument, resolveAnyDocument } from "./any-document.js";
import { type GmxLiqPriceReport, gmxLiqPriceReport } from "./gmx-v2/reports.js";
import { gmxLiqPriceText } from "./gmx-v2/text.js";
import type { AnyLendingVenueTypes } from "./lending/registry.js";
import type { LendingVenue } from "./lending/venue.js";
import { type LiqPriceReport, liqPriceReport } from "./liq-price-report.js";

/**
 * A resolved document's report, tagged with its kind; a lending or GMX report with `text`, its readable
 * form (the tag and the text are not part of the JSON report).
 */
export type AccountReport =
  | { kind: "perp"; report: LiqPriceReport; venueName: string }
  | {
      kind: "lending";
      report: AnyLendingVenueTypes["liqPrice"];
      venue: LendingVenue<AnyLendingVenueTypes>;
      text: () => Readable;
    }
  | { kind: "gmx"; report: GmxLiqPriceReport; text: () => Readable };

/** The report of a resolved document, by its kind (a lending document's by its venue). */
export function accountReport(doc: ResolvedAnyDocument): AccountReport {
  if (doc.kind === "lending") {
    const { venue } = doc;
    const report = venue.liqPriceReport(doc.resolved);
    return { kind: "lending", report, venue, text: () => venue.text.liqPrice(report) };
  }
  if (doc.kind === "gmx") {
    const report = gmxLiqPriceReport(doc.resolved);
    return { kind: "gmx", report, text: () => gmxLiqPriceText(report) };
  }
  return { kind: "perp", report: liqPriceReport(doc.resolved), venueName: doc.resolved.venue.name };
}

/**
 * `liqopt liq-price --json` for one parsed account document of any venue: what an HTTP handler calls
 * with the same document. A bad field or an unknown venue is an `InputError` naming it.
 */
export function liqPriceReportOf(raw: unknown): AccountReport["report"] {
  return accountReport(resolveAnyDocument(raw)).report;
}

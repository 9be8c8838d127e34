/**
 * `liqopt liquidate --json`: the venue's liquidation of any account document, as one library call a
 * front end (the CLI, an HTTP handler) makes with the parsed document and the options; and the same
 * report tagged with its kind, a lending or GMX report with its readable form, for a front end that
 * draws it ({@link liquidateOutcome}).
 */
import { InputError } from "../errors.js";
import type { Readable } from "../format.js";
import { resolveAnyDocument } from "./any-document.js";
import { type GmxLiquidateReport, gmxLiquidateReport } from "./gmx-v2/reports.js";
import { gmxLiquidateText } from "./gmx-v2/text.js";
import { type LendingVenueKey, type LendingVenueTypesOf, venuesReading } from "./lending/registry.js";
import type { LiquidateOptions } from "./lending/venue.js";
import { type PerpLiquidateReport, perpLiquidateReport } from "./perp-liquidation-report.js";

/** The `liquidate --json` object of any document: one per lending venue, or the perpetual report. */
export type LiquidateReport =
  | PerpLiquidateReport
  | GmxLiquidateReport
  | LendingVenueTypesOf<LendingVenueKey>["liquidate"];

const OPTION_FLAGS: Record<keyof LiquidateOptions, string> = {
  collateral: "--collateral",
  debt: "--debt",
  debtToCover: "--debt-to-cover",
};

/** Refuses an option the document's venue does not read, naming the venues that do. */
function refuseUnread(options: LiquidateOptions, read: readonly (keyof LiquidateOptions)[]): void {
  const given = (Object.keys(OPTION_FLAGS) as (keyof LiquidateOptions)[]).find(
    (k) => options[k] !== undefined && !read.includes(k),
  );
  if (given === undefined) return;
  const flag = OPTION_FLAGS[given];
  throw new InputError(
    flag,
    options[given],
    `applies to ${venuesReading(given, "liquidateOptions")} documents only`,
    `Drop ${flag}.`,
  );
}

/**
 * A document's liquidation, tagged with its kind: a perpetual-venue report with its venue's name, or a
 * lending or GMX report with `text`, its readable form (the tag and the text are not part of the JSON
 * report).
 */
export type LiquidateOutcome =
  | { kind: "perp"; report: PerpLiquidateReport; venueName: string }
  | { kind: "lending" | "gmx"; report: LiquidateReport; text: () => Readable };

/**
 * Liquidates the account of a parsed document under its venue's procedure: a lending venue's
 * `liquidateReport` (Aave `liquidationCall`, Comet `absorb`, Maker `bark` → `kick`, Drift
 * `liquidate_perp`), GMX v2's liquidation order ({@link gmxLiquidateReport}), or
 * {@link perpLiquidateReport} for a perpetual-venue account, tagged with its kind and, but for a
 * perpetual account, its readable form (the venue's `text.liquidate`, {@link gmxLiquidateText}). An
 * unknown venue, a bad field, or an option the venue does not read is an {@link InputError} naming it.
 */
export function liquidateOutcome(raw: unknown, options: LiquidateOptions = {}): LiquidateOutcome {
  const doc = resolveAnyDocument(raw);
  if (doc.kind === "perp") {
    refuseUnread(options, []);
    return { kind: "perp", report: perpLiquidateReport(doc.resolved), venueName: doc.resolved.venue.name };
  }
  if (doc.kind === "gmx") {
    refuseUnread(options, []);
    const report = gmxLiquidateReport(doc.resolved);
    return { kind: "gmx", report, text: () => gmxLiquidateText(report) };
  }
  const venue = doc.venue;
  refuseUnread(options, venue.liquidateOptions);
  const report = venue.liquidateReport(doc.resolved, options);
  return { kind: "lending", report, text: () => venue.text.liquidate(report) };
}

/**
 * `liqopt liquidate --json`: the report of {@link liquidateOutcome} — a lending venue's liquidation,
 * GMX v2's liquidation order, or the perpetual report. An unknown venue, a bad field, or an option the
 * venue does not read is an {@link InputError} naming it.
 */
export function liquidateReport(raw: unknown, options: LiquidateOptions = {}): LiquidateReport {
  return liquidateOutcome(raw, options).report;
}

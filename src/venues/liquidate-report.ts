/**
 * `liqopt liquidate --json`: the venue's liquidation of any account document, as one library call a
 * front end (the CLI, an HTTP handler) makes with the parsed document and the options.
 */
import { InputError } from "../errors.js";
import { resolveAnyDocument } from "./any-document.js";
import { type GmxLiquidateReport, gmxLiquidateReport } from "./gmx-v2/reports.js";
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
 * Liquidates the account of a parsed document under its venue's procedure: a lending venue's
 * `liquidateReport` (Aave `liquidationCall`, Comet `absorb`, Maker `bark` → `kick`, Drift
 * `liquidate_perp`), GMX v2's liquidation order ({@link gmxLiquidateReport}), or
 * {@link perpLiquidateReport} for a perpetual-venue account. An unknown venue, a
 * bad field, or an option the venue does not read is an {@link InputError} naming it.
 */
export function liquidateReport(raw: unknown, options: LiquidateOptions = {}): LiquidateReport {
  const doc = resolveAnyDocument(raw);
  if (doc.kind === "perp") {
    refuseUnread(options, []);
    return perpLiquidateReport(doc.resolved);
  }
  if (doc.kind === "gmx") {
    refuseUnread(options, []);
    return gmxLiquidateReport(doc.resolved);
  }
  const venue = doc.venue;
  refuseUnread(options, venue.liquidateOptions);
  return venue.liquidateReport(doc.resolved, options);
}

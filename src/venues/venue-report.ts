/**
 * What `liqopt venues` prints: the list of venues, one venue's rules, or one of its bundled tier
 * tables — plain objects read from the venue registry.
 */
import { getVenue, venueIds } from "./index.js";
import { LENDING_VENUES } from "./lending/registry.js";
import type { LendingVenue } from "./lending/venue.js";
import type { DatedTierTable, Venue } from "./types.js";

/** One venue of the {@link venueList}. */
export interface VenueSummary {
  id: string;
  name: string;
  contractKind: Venue["contractKind"];
  symbols: number;
  sources: string[];
}

/** The venue list: every registered venue, and the venues whose parameters come with the document. */
export interface VenueList {
  venues: VenueSummary[];
  /** The lending venues, whose parameters come with the account document: what it must carry, where the rules are described. */
  documentVenues: { id: string; note: string }[];
}

/**
 * Every registered venue with its contract kind, number of bundled symbols and sources (with
 * their dates), and each lending venue of `LENDING_VENUES` with its {@link LendingVenue.note}.
 */
export function venueList(): VenueList {
  const venues = venueIds().map((id) => {
    const v = getVenue(id);
    return {
      id,
      name: v.name,
      contractKind: v.contractKind,
      symbols: v.symbols().length,
      sources: v.sources,
    };
  });
  return { venues, documentVenues: Object.values(LENDING_VENUES).map((v) => ({ id: v.id, note: v.note })) };
}

/**
 * The rules of one venue (`liqopt venues <id> --json`): margin basis and close fee, its
 * liquidation, insurance-fund and auto-deleveraging procedures in words, its sources, and the date
 * and size of each bundled tier table.
 */
export function venueDetail(v: Venue) {
  const { liquidation, insurance, adl } = v.describe();
  return {
    id: v.id,
    name: v.name,
    contractKind: v.contractKind,
    rules: v.rules,
    liquidation,
    insurance,
    adl,
    sources: v.sources,
    tierTables: v.symbols().map((symbol) => {
      const t = v.tierTable(symbol);
      return { symbol, asOf: t.asOf, tiers: t.tiers.length };
    }),
  };
}

/**
 * A bundled tier table with its date and source (`liqopt venues <id> --symbol S --json`; the open
 * cap of the last tier prints as null). An unknown symbol is an `InputError` on `field`.
 */
export function tierTableDetail(v: Venue, symbol: string, field = "symbol") {
  const instrument = v.instrument(symbol, field);
  const t: DatedTierTable = v.tierTable(instrument.symbol);
  return { venue: v.id, symbol: t.symbol, asOf: t.asOf, source: t.source, tiers: t.tiers };
}

import { InputError } from "../errors.js";
import type { Instrument } from "../margin/types.js";
import type { DatedTierTable, Venue } from "./types.js";

/** An instrument together with its bundled tier table. */
export interface ListedInstrument {
  instrument: Instrument;
  table: DatedTierTable;
}

/** Instruments by venue symbol, as {@link defineVenue} reads them: a `Map`, or a {@link lazyListing}. */
export interface Listing {
  readonly size: number;
  keys(): Iterable<string>;
  has(symbol: string): boolean;
  get(symbol: string): ListedInstrument | undefined;
}

/**
 * A {@link Listing} whose instruments are built on first lookup: `build(symbol)` parses and validates
 * one symbol's bundled tier table, once, so that a venue listing hundreds of symbols costs only the
 * ones an account uses. `symbols` are the listed symbols in order.
 */
export function lazyListing(
  symbols: readonly string[],
  build: (symbol: string) => ListedInstrument,
): Listing {
  const known = new Set(symbols);
  const built = new Map<string, ListedInstrument>();
  return {
    size: known.size,
    keys: () => known.keys(),
    has: (symbol) => known.has(symbol),
    get: (symbol) => {
      if (!known.has(symbol)) return undefined;
      let entry = built.get(symbol);
      if (entry === undefined) {
        entry = build(symbol);
        built.set(symbol, entry);
      }
      return entry;
    },
  };
}

/**
 * Builds a {@link Venue} from its listed instruments and its procedures: symbol lookups accept the
 * venue's symbol (`BTCUSDT`) and any alias given (ccxt's `BTC/USDT:USDT`), and unknown symbols raise
 * an {@link InputError} that lists a few known ones.
 */
export function defineVenue(
  spec: Omit<Venue, "symbols" | "lists" | "instrument" | "tierTable">,
  listed: Listing,
  aliases: ReadonlyMap<string, string> = new Map(),
): Venue {
  const lookup = (symbol: string, field: string): ListedInstrument => {
    const entry = listed.get(symbol) ?? listed.get(aliases.get(symbol) ?? "");
    if (entry === undefined) {
      const known = [...listed.keys()].slice(0, 6).join(", ");
      throw new InputError(
        field,
        symbol,
        `is not a ${spec.name} symbol with a bundled tier table`,
        `Use one of ${listed.size} listed symbols (e.g. ${known}; see 'liqopt venues ${spec.id}') or pass a "tiers" override for it.`,
      );
    }
    return entry;
  };
  return {
    ...spec,
    symbols: () => [...listed.keys()],
    lists: (symbol) => listed.has(symbol) || aliases.has(symbol),
    instrument: (symbol, field = "symbol") => lookup(symbol, field).instrument,
    tierTable: (symbol) => lookup(symbol, "symbol").table,
  };
}

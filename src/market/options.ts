/**
 * Option chains: one quote model and loaders for the bundled Deribit snapshots and the Deribit
 * DVOL index (see `data/options/PROVENANCE.md`).
 *
 * A chain is a snapshot: every quote carries its instrument, expiry time, strike, call/put, the
 * forward (Deribit's `underlying_price` per expiry: the future, or the synthetic forward
 * `SYN.…` where no future is listed), its time to expiry, mark/bid/ask premia in the quote unit
 * (Deribit options are inverse: premia in coin, `premiumUsd = premiumCoin · F`), open interest
 * and, where the source has it, Deribit's mark implied volatility as a fraction.
 *
 * Deribit options settle at 08:00 UTC on the expiry day
 * (https://www.deribit.com/kb/options, "Expiration"). Time to expiry is in years of 365 days.
 *
 * Anomalies are never dropped silently: each one is listed with its 1-based line number (the
 * header is line 1) and what was done, set by {@link OptionLoadOptions}.
 */
import { InputError } from "../errors.js";
import { readArray, readNumber } from "../validate.js";
import { type CsvText, forEachCsvRecord } from "./csv-table.js";
import { readDataFile } from "./data-file.js";
import { implausibleTimeProblem } from "./row-order.js";

/** Milliseconds in a year of 365 days (Deribit's year for time to expiry). */
export const YEAR_MS = 365 * 86_400_000;

/** Call or put. */
export type OptionKind = "call" | "put";

/** The unit premia are quoted in: the coin (Deribit inverse options) or USD. */
export type PremiumCurrency = "coin" | "usd";

/** One option quote. */
export interface OptionQuote {
  /** Instrument name as the venue spells it (`BTC-26DEC25-90000-C`). */
  readonly instrument: string;
  /** Expiry (settlement) time, ms since the Unix epoch, UTC. */
  readonly expiryMs: number;
  /** Expiry label as in the instrument name (`26DEC25`). */
  readonly expiryLabel: string;
  /** Strike in USD. */
  readonly strike: number;
  readonly kind: OptionKind;
  /** Forward (underlying future or synthetic forward) for this expiry, USD. */
  readonly forwardUsd: number;
  /** Time to expiry in years of 365 days. */
  readonly timeToExpiryYears: number;
  /** Mark premium in `premiumCurrency`. */
  readonly markPremium: number;
  /** Best bid in `premiumCurrency`; `undefined` when there is no bid. */
  readonly bidPremium: number | undefined;
  /** Best ask in `premiumCurrency`; `undefined` when there is no ask. */
  readonly askPremium: number | undefined;
  readonly premiumCurrency: PremiumCurrency;
  /** Open interest in contracts (Deribit: 1 contract = 1 coin). */
  readonly openInterest: number;
  /** The venue's mark implied volatility as a fraction (0.4733 = 47.33 %), where published. */
  readonly markIv: number | undefined;
  /** The venue's implied volatility of the best bid, a fraction; `undefined` without a bid or a `bid_iv` column. */
  readonly bidIv: number | undefined;
  /** The venue's implied volatility of the best ask, a fraction; `undefined` without an ask or an `ask_iv` column. */
  readonly askIv: number | undefined;
  /** The venue's greeks, where the file has them (Deribit `public/ticker` `greeks`). */
  readonly greeks: OptionGreeks | undefined;
  /** 1-based line of the source file (header = line 1). */
  readonly row: number;
}

/**
 * The greeks of a Deribit ticker (`greeks.delta`, `.gamma`, `.vega`, `.theta`, `.rho`; each
 * `undefined` where the file leaves it out), as the venue publishes them: delta in [0, 1] for a
 * call and [−1, 0] for a put, gamma and vega ≥ 0, theta and rho of any sign.
 */
export interface OptionGreeks {
  readonly delta: number | undefined;
  readonly gamma: number | undefined;
  readonly vega: number | undefined;
  readonly theta: number | undefined;
  readonly rho: number | undefined;
}

/**
 * Where a quote's mark lies against its market: `"no-bid"` without a bid (nobody would buy at the
 * mark: it is the venue's model value only), `"outside"` below the bid or above the ask, `"inside"`
 * within [bid, ask] (an ask-less quote: at or above the bid). The comparison is in implied
 * volatility when the file gives `mark_iv` and `bid_iv` (and `ask_iv` where there is an ask), else
 * in premia: the two agree because a Black-76 price rises with σ.
 *
 * @example markBand({ ...quote, markIv: 0.45, bidIv: 0.44, askIv: 0.46 }) // "inside"
 */
export function markBand(q: OptionQuote): "inside" | "outside" | "no-bid" {
  if (q.bidPremium === undefined) return "no-bid";
  const useIv =
    q.markIv !== undefined && q.bidIv !== undefined && (q.askPremium === undefined || q.askIv !== undefined);
  const [mark, bid, ask] = useIv ? [q.markIv, q.bidIv, q.askIv] : [q.markPremium, q.bidPremium, q.askPremium];
  return (mark as number) < (bid as number) || (ask !== undefined && (mark as number) > ask)
    ? "outside"
    : "inside";
}

/** A snapshot of a whole chain. */
export interface OptionChain {
  /** Underlying coin (`BTC`, `ETH`). */
  readonly underlying: string;
  /** Snapshot time, ms UTC (see the loader for how it is obtained). */
  readonly snapshotMs: number;
  /** Quotes in source order (after the policies below). */
  readonly quotes: readonly OptionQuote[];
}

/** The anomalies a load can report. */
export type OptionAnomalyKind =
  | "missing-bid"
  | "missing-ask"
  | "zero-mark"
  | "bid-above-ask"
  | "expired"
  | "duplicate";

/** One anomaly found while loading. */
export interface OptionAnomaly {
  readonly kind: OptionAnomalyKind;
  /** 1-based line number in the file (header = 1). */
  readonly row: number;
  readonly instrument: string;
  readonly message: string;
  /** What the loader did with the row. */
  readonly action: "dropped" | "kept" | "cleared-bid-ask";
}

/**
 * Policies. Defaults: a zero or negative mark premium drops the row (no price to invert);
 * a quote past its expiry at the snapshot drops the row; a crossed market (bid > ask) keeps
 * the row and clears both bid and ask, and their IVs (the mark is kept); a repeated instrument keeps the
 * first row. Every choice is reported. A missing bid or ask is normal for far strikes and is
 * reported with action "kept" (the side is `undefined`). `"error"` throws an InputError instead.
 */
export interface OptionLoadOptions {
  /**
   * The snapshot time (ms UTC) of a ticker dump or book summary: required when the file has none
   * (a ticker dump without `timestamp`), and it takes precedence over the file's own time when
   * given. The BTC layout's `T_years` fix its own snapshot; it is not read there.
   */
  readonly asOfMs?: number;
  readonly onZeroMark?: "drop-and-report" | "error";
  readonly onExpired?: "drop-and-report" | "error";
  readonly onCrossed?: "clear-and-report" | "error";
  readonly onDuplicate?: "keep-first" | "error";
}

/** What a load found and did. */
export interface OptionLoadReport {
  readonly source: string;
  /** Data rows read. */
  readonly rows: number;
  /** Quotes kept. */
  readonly quotes: number;
  readonly anomalies: readonly OptionAnomaly[];
}

/** A loaded chain with its report. */
export interface LoadedOptionChain {
  readonly chain: OptionChain;
  readonly report: OptionLoadReport;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/**
 * Deribit expiry label (`6DEC25`, `26JAN24`) → settlement time 08:00 UTC of that day, ms.
 *
 * @example deribitExpiryMs("26DEC25") // Date.UTC(2025, 11, 26, 8)
 */
export function deribitExpiryMs(label: string): number {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(label);
  const month = m === null ? -1 : MONTHS.indexOf(m[2] as string);
  if (m === null || month < 0) {
    throw new InputError("expiry", label, "is not a Deribit expiry label", "Use DMMMYY, e.g. 26DEC25.");
  }
  return Date.UTC(2000 + Number(m[3]), month, Number(m[1]), 8);
}

/**
 * Parses a Deribit instrument name `COIN-DMMMYY-STRIKE-C|P`.
 *
 * @example parseDeribitInstrument("ETH-26JAN24-2400-C") // { underlying: "ETH", expiryLabel: "26JAN24", strike: 2400, kind: "call" }
 */
export function parseDeribitInstrument(name: string): {
  underlying: string;
  expiryLabel: string;
  expiryMs: number;
  strike: number;
  kind: OptionKind;
} {
  const m = /^([A-Z]+)-(\d{1,2}[A-Z]{3}\d{2})-(\d+(?:\.\d+)?)-([CP])$/.exec(name);
  if (m === null) {
    throw new InputError(
      "instrument_name",
      name,
      "is not a Deribit option name",
      "Use COIN-DMMMYY-STRIKE-C or -P, e.g. BTC-26DEC25-90000-C.",
    );
  }
  const expiryLabel = m[2] as string;
  return {
    underlying: m[1] as string,
    expiryLabel,
    expiryMs: deribitExpiryMs(expiryLabel),
    strike: Number(m[3]),
    kind: m[4] === "C" ? "call" : "put",
  };
}

/** A parsed row before the policies run. */
interface Draft extends Omit<OptionQuote, "timeToExpiryYears"> {
  /** Time to expiry from the file, when it has one (BTC: `T_years`). */
  readonly fileYears: number | undefined;
}

/**
 * The fields of a draft that come from its instrument name and line, with the optional columns
 * (IVs, greeks, the file's own time to expiry) absent until a layout reads them.
 */
function quoteBase(
  instrument: string,
  parsed: ReturnType<typeof parseDeribitInstrument>,
  line: number,
): Omit<Draft, "forwardUsd" | "markPremium" | "bidPremium" | "askPremium" | "openInterest"> {
  return {
    instrument,
    expiryMs: parsed.expiryMs,
    expiryLabel: parsed.expiryLabel,
    strike: parsed.strike,
    kind: parsed.kind,
    premiumCurrency: "coin",
    fileYears: undefined,
    markIv: undefined,
    bidIv: undefined,
    askIv: undefined,
    greeks: undefined,
    row: line,
  };
}

/**
 * Reads the Deribit BTC chain file (`instrument_name,type,expiry_date,strike,T_years,S0,
 * market_price_btc,market_price_usd,mark_iv,bid_btc,ask_btc,open_interest`). Premia are in BTC;
 * `mark_iv` is in percent and becomes a fraction. The file has no snapshot time: it is
 * estimated as the median over rows of `expiry − T_years·365 d` (T_years is printed to 5
 * decimals, ±2.6 min), and each quote keeps the file's `T_years` as its time to expiry.
 */
export function parseDeribitBtcChainCsv(
  text: string,
  source: string,
  options: OptionLoadOptions = {},
): LoadedOptionChain {
  const t = readChainTable(text, source, "Deribit BTC chain", [
    "instrument_name",
    "type",
    "strike",
    "T_years",
    "S0",
    "market_price_btc",
    "mark_iv",
    "bid_btc",
    "ask_btc",
    "open_interest",
  ]);
  const drafts: Draft[] = t.rows.map(({ line, cells }) => {
    const cell = (name: string) => cells[t.column(name)] as string;
    const at = (name: string) => t.at(line, t.column(name));
    const instrument = cell("instrument_name");
    const parsed = parseDeribitInstrument(instrument);
    const kind = cell("type");
    if (kind !== parsed.kind) {
      throw new InputError(
        at("type"),
        kind,
        `disagrees with the instrument name (${parsed.kind})`,
        "Fix the row.",
      );
    }
    const strike = readCell(cell("strike"), at("strike"), { min: 0, exclusiveMin: true });
    if (strike !== parsed.strike) {
      throw new InputError(
        at("strike"),
        strike,
        `disagrees with the instrument name (${parsed.strike})`,
        "Fix the row.",
      );
    }
    return {
      ...quoteBase(instrument, parsed, line),
      forwardUsd: readCell(cell("S0"), at("S0"), { min: 0, exclusiveMin: true }),
      fileYears: readCell(cell("T_years"), at("T_years"), {}),
      markPremium: readCell(cell("market_price_btc"), at("market_price_btc"), {}),
      bidPremium: readOptionalCell(cell("bid_btc"), at("bid_btc")),
      askPremium: readOptionalCell(cell("ask_btc"), at("ask_btc")),
      openInterest: readCell(cell("open_interest"), at("open_interest"), { min: 0 }),
      markIv: readCell(cell("mark_iv"), at("mark_iv"), { min: 0 }) / 100,
    };
  });
  const offsets = drafts.map((d) => d.expiryMs - (d.fileYears as number) * YEAR_MS).sort((a, b) => a - b);
  const snapshotMs = Math.round(offsets[offsets.length >> 1] as number);
  return finish(drafts, "BTC", snapshotMs, source, t.rows.length, options);
}

/**
 * Reads the Deribit ETH chain file (`get_book_summary_by_currency` dump: first column a pandas
 * index; `instrument_name`, `mark_price`, `bid_price`, `ask_price` in ETH, `underlying_price`
 * in USD, `creation_timestamp` in ms, `open_interest`). There is no IV column. The snapshot
 * time is the earliest `creation_timestamp` (they span 15 ms); time to expiry is
 * `(expiry − snapshot)/365 d`.
 */
export function parseDeribitEthChainCsv(
  text: string,
  source: string,
  options: OptionLoadOptions = {},
): LoadedOptionChain {
  const t = readChainTable(text, source, "Deribit book summary", [
    "instrument_name",
    "underlying_price",
    "mark_price",
    "bid_price",
    "ask_price",
    "open_interest",
    "creation_timestamp",
  ]);
  let snapshotMs = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  const drafts: Draft[] = t.rows.map(({ line, cells }) => {
    const cell = (name: string) => cells[t.column(name)] as string;
    const at = (name: string) => t.at(line, t.column(name));
    const instrument = cell("instrument_name");
    const created = checkedTime(
      readCell(cell("creation_timestamp"), at("creation_timestamp"), { min: 0 }),
      at("creation_timestamp"),
      "Give the quote's creation time in epoch ms.",
    );
    snapshotMs = Math.min(snapshotMs, created);
    latest = Math.max(latest, created);
    return {
      ...quoteBase(instrument, parseDeribitInstrument(instrument), line),
      forwardUsd: readCell(cell("underlying_price"), at("underlying_price"), { min: 0, exclusiveMin: true }),
      markPremium: readCell(cell("mark_price"), at("mark_price"), {}),
      bidPremium: readOptionalCell(cell("bid_price"), at("bid_price")),
      askPremium: readOptionalCell(cell("ask_price"), at("ask_price")),
      openInterest: readCell(cell("open_interest"), at("open_interest"), { min: 0 }),
    };
  });
  if (options.asOfMs === undefined && latest - snapshotMs > SNAPSHOT_SPREAD_MS) {
    throw new InputError(
      `${source}: creation_timestamp`,
      `${new Date(snapshotMs).toISOString()} … ${new Date(latest).toISOString()}`,
      "spans more than a minute, so it is not one snapshot time: in Deribit's instrument list " +
        "(public/get_instruments) creation_timestamp is each instrument's listing time",
      "Pass the snapshot time (--as-of, asOfMs).",
    );
  }
  return finish(drafts, "ETH", options.asOfMs ?? snapshotMs, source, t.rows.length, options);
}

/** The most the quote times of one snapshot may spread: one minute (the ETH dump spans 15 ms). */
const SNAPSHOT_SPREAD_MS = 60_000;

/**
 * Reads a chain saved from Deribit's ticker (`public/ticker`, https://docs.deribit.com/api-reference/market-data/public-ticker:
 * one row per option, columns in any order, names case-insensitive): `instrument_name`,
 * `mark_price` (coin), `underlying_price` (USD, the forward of the expiry), optional
 * `best_bid_price`/`best_ask_price` (or `bid_price`/`ask_price`, coin; empty or 0 = no quote),
 * `mark_iv`, `bid_iv`, `ask_iv` (percent; Deribit's "implied volatility for best bid/ask", 0 where
 * that side is empty), the greeks (`greeks.delta` … `greeks.rho` as a flattened JSON response
 * names them, or `delta` … `rho`), `open_interest` (0 when absent) and `timestamp` (ms, the
 * ticker's time). Refused, naming the row and column: a negative IV, a `bid_iv`/`ask_iv` on a side
 * with no quote, `bid_iv` above `ask_iv` on an uncrossed market, |delta| > 1 or a delta of the
 * wrong sign for the option's kind, a negative gamma or vega. The snapshot time is
 * `options.asOfMs`, else the earliest `timestamp`; a file with neither is refused
 * (`creation_timestamp`, an instrument's listing time in Deribit's instrument list, is never taken
 * for it). Time to expiry is `(expiry − snapshot)/365 d`.
 */
export function parseDeribitTickerCsv(
  text: CsvText,
  source: string,
  options: OptionLoadOptions = {},
): LoadedOptionChain {
  const t = readChainTable(text, source, "Deribit ticker chain", [
    "instrument_name",
    "mark_price",
    "underlying_price",
  ]);
  const bidCol = t.optional("best_bid_price", "bid_price");
  const askCol = t.optional("best_ask_price", "ask_price");
  const ivCols = { mark: t.optional("mark_iv"), bid: t.optional("bid_iv"), ask: t.optional("ask_iv") };
  const greekCols = GREEKS.map((g) => t.optional(`greeks.${g}`, g));
  const oiCol = t.optional("open_interest");
  const timeCol = t.optional("timestamp");
  let fileMs = Number.POSITIVE_INFINITY;
  const drafts: Draft[] = t.rows.map(({ line, cells }) => {
    const at = (i: number) => t.at(line, i);
    const number = (i: number) => (i < 0 ? undefined : readOptionalCell(cells[i] as string, at(i), false));
    const quote = (i: number) => {
      const x = number(i);
      return x === 0 ? undefined : x;
    };
    const instrument = cells[t.column("instrument_name")] as string;
    const parsed = parseDeribitInstrument(instrument);
    if (timeCol >= 0 && options.asOfMs === undefined) {
      const ms = readCell(cells[timeCol] as string, at(timeCol), { min: 0 });
      fileMs = Math.min(fileMs, checkedTime(ms, at(timeCol), "Give the ticker time in epoch ms."));
    }
    const bidPremium = quote(bidCol);
    const askPremium = quote(askCol);
    const sideIv = (col: number, premium: number | undefined, side: "bid" | "ask") => {
      const iv = col < 0 ? undefined : readOptionalCell(cells[col] as string, at(col));
      if (iv === undefined || iv === 0) return undefined;
      if (premium === undefined)
        throw new InputError(
          at(col),
          iv,
          `is an implied volatility for a ${side} the row does not have`,
          `Fix the row: Deribit gives ${side}_iv 0 where there is no ${side}.`,
        );
      return iv / 100;
    };
    const bidIv = sideIv(ivCols.bid, bidPremium, "bid");
    const askIv = sideIv(ivCols.ask, askPremium, "ask");
    const crossed = bidPremium !== undefined && askPremium !== undefined && bidPremium > askPremium;
    if (bidIv !== undefined && askIv !== undefined && bidIv > askIv && !crossed)
      throw new InputError(
        at(ivCols.bid),
        bidIv * 100,
        `is above ask_iv ${askIv * 100} on a market whose bid is not above its ask`,
        "Fix the row: the bid's implied volatility cannot exceed the ask's.",
      );
    const markIv =
      ivCols.mark < 0 ? undefined : readCell(cells[ivCols.mark] as string, at(ivCols.mark), { min: 0 });
    return {
      ...quoteBase(instrument, parsed, line),
      forwardUsd: readCell(cells[t.column("underlying_price")] as string, at(t.column("underlying_price")), {
        min: 0,
        exclusiveMin: true,
      }),
      markPremium: readCell(cells[t.column("mark_price")] as string, at(t.column("mark_price")), {}),
      bidPremium,
      askPremium,
      openInterest: oiCol < 0 ? 0 : readCell(cells[oiCol] as string, at(oiCol), { min: 0 }),
      markIv: markIv === undefined ? undefined : markIv / 100,
      bidIv,
      askIv,
      greeks: greekCols.every((i) => i < 0)
        ? undefined
        : readGreeks(greekCols.map(number), greekCols, at, parsed.kind),
    };
  });
  const snapshotMs = options.asOfMs ?? (Number.isFinite(fileMs) ? fileMs : undefined);
  if (snapshotMs === undefined) {
    throw new InputError(
      "asOf",
      undefined,
      `is needed: ${source} has no timestamp column, so the chain's snapshot time is unknown`,
      "Pass the time the chain was saved (--as-of 2025-12-05T01:10Z, asOfMs); creation_timestamp is a listing time, not a snapshot time.",
    );
  }
  checkedTime(snapshotMs, "asOf", "Pass the snapshot time as a UTC date-time.");
  const underlying = parseDeribitInstrument(drafts[0]?.instrument as string).underlying;
  return finish(drafts, underlying, snapshotMs, source, t.rows.length, options);
}

/** The greeks of a Deribit ticker, in the order of {@link OptionGreeks}. */
const GREEKS = ["delta", "gamma", "vega", "theta", "rho"] as const;

/**
 * A row's greeks from their cells (`values` in {@link GREEKS} order, `undefined` for an absent
 * column or an empty cell): |delta| ≤ 1 with the sign of the kind (a call's in [0, 1], a put's in
 * [−1, 0]), gamma and vega ≥ 0; anything else is an InputError on the cell.
 */
function readGreeks(
  values: readonly (number | undefined)[],
  columns: readonly number[],
  at: (column: number) => string,
  kind: OptionKind,
): OptionGreeks {
  const [delta, gamma, vega, theta, rho] = values;
  const [lo, hi] = kind === "call" ? [0, 1] : [-1, 0];
  if (delta !== undefined && !(delta >= lo && delta <= hi))
    throw new InputError(
      at(columns[0] as number),
      delta,
      `is outside [${lo}, ${hi}], where a ${kind}'s delta lies`,
      "Fix the row: |delta| ≤ 1, positive for calls, negative for puts.",
    );
  GREEKS.forEach((name, i) => {
    const x = values[i];
    if ((name === "gamma" || name === "vega") && x !== undefined && x < 0)
      throw new InputError(
        at(columns[i] as number),
        x,
        `is negative: an option's ${name} is ≥ 0`,
        "Fix the row.",
      );
  });
  return { delta, gamma, vega, theta, rho };
}

/**
 * Reads a Deribit chain file, choosing the layout from its header: `T_years` → the BTC layout
 * ({@link parseDeribitBtcChainCsv}); `creation_timestamp` with `bid_price` and `ask_price` → the
 * book-summary layout ({@link parseDeribitEthChainCsv}); `instrument_name` with `mark_price` and
 * `underlying_price` → a ticker dump ({@link parseDeribitTickerCsv}).
 *
 * @example
 * const { chain, report } = readDeribitChainFile("data/options/deribit_btc_option-chain_2025-12-05.csv");
 * chain.quotes.length; // 676; report.anomalies lists 147 missing bids and 129 missing asks
 */
export function readDeribitChainFile(path: string, options: OptionLoadOptions = {}): LoadedOptionChain {
  const text = readText(path);
  let header: string[] = [];
  forEachCsvRecord(
    text.slice(0, text.indexOf("\n") + 1 || undefined),
    (line) => `${path}:${line}`,
    (cells) => {
      header = cells;
    },
  );
  const has = (name: string) => header.some((h) => h.toLowerCase() === name.toLowerCase());
  if (has("T_years")) return parseDeribitBtcChainCsv(text, path, options);
  if (has("creation_timestamp") && has("bid_price") && has("ask_price"))
    return parseDeribitEthChainCsv(text, path, options);
  if (has("instrument_name") && has("mark_price") && has("underlying_price"))
    return parseDeribitTickerCsv(text, path, options);
  throw new InputError(
    path,
    header.join(","),
    "has an unknown option-chain header",
    "Pass a Deribit chain: the BTC layout (T_years), the book summary (creation_timestamp, bid_price, ask_price) " +
      "or a ticker dump (instrument_name, mark_price, underlying_price; formats: docs/reference/data-formats.md).",
  );
}

/** A daily volatility-index series (Deribit DVOL), ascending. */
export interface VolIndexSeries {
  /** Day open time, ms UTC. */
  readonly timeMs: Float64Array;
  /** Index close as an annualised volatility fraction (DVOL 56.76 → 0.5676). */
  readonly annualVol: Float64Array;
}

/**
 * Parses Deribit DVOL closes `[[day_ms, dvol_percent], …]` (from
 * `public/get_volatility_index_data`) into fractions. Rows must be strictly ascending in time.
 *
 * @example parseDvolJson("[[1667692800000, 56.76]]", "x").annualVol[0] // 0.5676
 */
export function parseDvolJson(text: string, source: string): VolIndexSeries {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      source,
      text.slice(0, 40),
      `is not JSON (${String(error)})`,
      "Pass [[day_ms, dvol], …].",
    );
  }
  const rows = readArray(data, source, "Pass [[day_ms, dvol_percent], …].");
  const timeMs = new Float64Array(rows.length);
  const annualVol = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const pair = readArray(row, `${source}[${i}]`, "Each row is [day_ms, dvol_percent].");
    const t = readNumber(pair[0], `${source}[${i}][0]`, { min: 0, fix: "Pass the day open time in ms." });
    checkedTime(t, `${source}[${i}][0]`, "Pass the day open time in epoch ms.");
    if (i > 0 && t <= (timeMs[i - 1] as number)) {
      throw new InputError(
        `${source}[${i}][0]`,
        t,
        "is not after the previous row",
        "Sort the rows by time.",
      );
    }
    timeMs[i] = t;
    annualVol[i] =
      readNumber(pair[1], `${source}[${i}][1]`, {
        min: 0,
        exclusiveMin: true,
        fix: "Pass DVOL in percent.",
      }) / 100;
  });
  return { timeMs, annualVol };
}

/** Reads a DVOL JSON file (see {@link parseDvolJson}). */
export function readDvolFile(path: string): VolIndexSeries {
  return parseDvolJson(readText(path), path);
}

/** The distinct expiry times (ms UTC) of a chain, ascending. */
export function expiries(chain: OptionChain): number[] {
  return [...new Set(chain.quotes.map((q) => q.expiryMs))].sort((a, b) => a - b);
}

/** Premium in USD: coin premia are multiplied by the forward (Deribit: `C_USD = C_coin · F`). */
export function premiumUsd(quote: OptionQuote, premium: number): number {
  return quote.premiumCurrency === "coin" ? premium * quote.forwardUsd : premium;
}

// ── internals ─────────────────────────────────────────────────────────────────

function finish(
  drafts: readonly Draft[],
  underlying: string,
  snapshotMs: number,
  source: string,
  rows: number,
  options: OptionLoadOptions,
): LoadedOptionChain {
  const anomalies: OptionAnomaly[] = [];
  const seen = new Map<string, number>();
  const quotes: OptionQuote[] = [];
  const note = (d: Draft, kind: OptionAnomalyKind, message: string, action: OptionAnomaly["action"]) =>
    anomalies.push({ kind, row: d.row, instrument: d.instrument, message, action });
  const fail = (d: Draft, field: string, value: unknown, problem: string, fix: string): never => {
    throw new InputError(`${source}:${d.row}.${field}`, value, problem, fix);
  };
  for (const d of drafts) {
    const first = seen.get(d.instrument);
    if (first !== undefined) {
      if (options.onDuplicate === "error") {
        fail(
          d,
          "instrument_name",
          d.instrument,
          `repeats row ${first}`,
          'Remove it, or pass onDuplicate: "keep-first".',
        );
      }
      note(d, "duplicate", `repeats the instrument of row ${first}; the first row is kept`, "dropped");
      continue;
    }
    seen.set(d.instrument, d.row);
    if (!(d.expiryMs > snapshotMs) || (d.fileYears !== undefined && !(d.fileYears > 0))) {
      if (options.onExpired === "error") {
        fail(
          d,
          "expiry",
          d.expiryLabel,
          "is not after the snapshot",
          'Remove it, or pass onExpired: "drop-and-report".',
        );
      }
      note(d, "expired", `expiry ${new Date(d.expiryMs).toISOString()} is not after the snapshot`, "dropped");
      continue;
    }
    if (!(d.markPremium > 0)) {
      if (options.onZeroMark === "error") {
        fail(
          d,
          "mark",
          d.markPremium,
          "must be positive",
          'Remove it, or pass onZeroMark: "drop-and-report".',
        );
      }
      note(d, "zero-mark", `mark premium ${d.markPremium} is not positive: nothing to invert`, "dropped");
      continue;
    }
    let bid = d.bidPremium;
    let ask = d.askPremium;
    if (bid === undefined) note(d, "missing-bid", "no bid", "kept");
    if (ask === undefined) note(d, "missing-ask", "no ask", "kept");
    if (bid !== undefined && ask !== undefined && bid > ask) {
      if (options.onCrossed === "error") {
        fail(
          d,
          "bid",
          bid,
          `is above the ask ${ask}`,
          'Fix the quote, or pass onCrossed: "clear-and-report".',
        );
      }
      note(d, "bid-above-ask", `bid ${bid} > ask ${ask}: both sides cleared, mark kept`, "cleared-bid-ask");
      bid = undefined;
      ask = undefined;
    }
    const years = d.fileYears ?? (d.expiryMs - snapshotMs) / YEAR_MS;
    const { fileYears: _unused, ...rest } = d;
    const cleared = bid === undefined && d.bidPremium !== undefined;
    quotes.push({
      ...rest,
      bidPremium: bid,
      askPremium: ask,
      ...(cleared ? { bidIv: undefined, askIv: undefined } : {}),
      timeToExpiryYears: years,
    });
  }
  return {
    chain: { underlying, snapshotMs, quotes },
    report: { source, rows, quotes: quotes.length, anomalies },
  };
}

function readText(path: string): string {
  return readDataFile(path, { field: path, fix: "Pass an existing, readable file." });
}

/** A chain CSV read by {@link readChainTable}: its data rows and its columns by name. */
interface ChainTable {
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
  /** The index of a column the layout requires (checked on reading). */
  readonly column: (name: string) => number;
  /** The index of the first of `names` the header has, or −1. */
  readonly optional: (...names: string[]) => number;
  /** The field that names a cell in errors: `source:line.column` (the column as the header spells it). */
  readonly at: (line: number, column: number) => string;
}

/**
 * The one preamble of the Deribit layouts: the header and data rows of a chain CSV
 * ({@link forEachCsvRecord}; a row with another number of cells than the header is refused with
 * its line), columns found by name case-insensitively in any order. A header without one of the
 * `required` columns, or a file without data rows, is refused naming the `layout`.
 */
function readChainTable(
  text: CsvText,
  source: string,
  layout: string,
  required: readonly string[],
): ChainTable {
  let header: string[] | undefined;
  const rows: { line: number; cells: string[] }[] = [];
  forEachCsvRecord(
    text,
    (line) => `${source}:${line}`,
    (cells, line) => {
      if (header === undefined) {
        header = cells;
        return;
      }
      if (cells.length !== header.length) {
        throw new InputError(
          `${source}:${line}`,
          cells.join(","),
          `has ${cells.length} cells, the header has ${header.length}`,
          "Give every row one value per header column.",
        );
      }
      rows.push({ line, cells });
    },
  );
  const names = (header ?? []).map((h) => h.toLowerCase());
  const optional = (...accepted: string[]) => {
    for (const name of accepted) {
      const i = names.indexOf(name.toLowerCase());
      if (i >= 0) return i;
    }
    return -1;
  };
  for (const name of required) {
    if (optional(name) < 0)
      throw new InputError(
        `${source}:1`,
        (header ?? []).join(","),
        `has no column "${name}"`,
        `A ${layout} needs ${required.join(", ")} (any order).`,
      );
  }
  if (rows.length === 0)
    throw new InputError(
      source,
      (header ?? []).join(","),
      "has no data rows",
      "Pass a file with at least one quote.",
    );
  return {
    rows,
    column: (name) => optional(name),
    optional,
    at: (line, column) => `${source}:${line}.${header?.[column]}`,
  };
}

/** `timeMs` when it is a plausible market time ({@link implausibleTimeProblem}), else an InputError on `field`. */
function checkedTime(timeMs: number, field: string, fix: string): number {
  const problem = implausibleTimeProblem(timeMs);
  if (problem !== undefined) throw new InputError(field, timeMs, problem, fix);
  return timeMs;
}

function readCell(text: string, field: string, rule: { min?: number; exclusiveMin?: boolean }): number {
  return readNumber(text, field, { ...rule, allowString: true, fix: "Fix the cell." });
}

/** An empty cell is `undefined`; else a number, ≥ 0 unless `nonNegative` is false. */
function readOptionalCell(text: string, field: string, nonNegative = true): number | undefined {
  return text === ""
    ? undefined
    : readNumber(text, field, {
        ...(nonNegative ? { min: 0 } : {}),
        allowString: true,
        fix: "Fix the cell.",
      });
}

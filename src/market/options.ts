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
  /** 1-based line of the source file (header = line 1). */
  readonly row: number;
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
 * the row and clears both bid and ask (the mark is kept); a repeated instrument keeps the
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
  const { header, rows } = splitCsv(text, source);
  const col = columnIndex(header, source, [
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
  const drafts: Draft[] = rows.map(({ line, cells }) => {
    const cell = (name: string) => cells[col(name)] ?? "";
    const instrument = cell("instrument_name");
    const parsed = parseDeribitInstrument(instrument);
    const at = (name: string) => `${source}:${line}.${name}`;
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
      instrument,
      expiryMs: parsed.expiryMs,
      expiryLabel: parsed.expiryLabel,
      strike,
      kind: parsed.kind,
      forwardUsd: readCell(cell("S0"), at("S0"), { min: 0, exclusiveMin: true }),
      fileYears: readCell(cell("T_years"), at("T_years"), {}),
      markPremium: readCell(cell("market_price_btc"), at("market_price_btc"), {}),
      bidPremium: readOptionalCell(cell("bid_btc"), at("bid_btc")),
      askPremium: readOptionalCell(cell("ask_btc"), at("ask_btc")),
      premiumCurrency: "coin",
      openInterest: readCell(cell("open_interest"), at("open_interest"), { min: 0 }),
      markIv: readCell(cell("mark_iv"), at("mark_iv"), { min: 0 }) / 100,
      row: line,
    };
  });
  const offsets = drafts.map((d) => d.expiryMs - (d.fileYears as number) * YEAR_MS).sort((a, b) => a - b);
  if (offsets.length === 0) {
    throw new InputError(
      source,
      text.slice(0, 60),
      "has no data rows",
      "Pass a file with at least one quote.",
    );
  }
  const snapshotMs = Math.round(offsets[offsets.length >> 1] as number);
  return finish(drafts, "BTC", snapshotMs, source, rows.length, options);
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
  const { header, rows } = splitCsv(text, source);
  const col = columnIndex(header, source, [
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
  const drafts: Draft[] = rows.map(({ line, cells }) => {
    const cell = (name: string) => cells[col(name)] ?? "";
    const at = (name: string) => `${source}:${line}.${name}`;
    const instrument = cell("instrument_name");
    const parsed = parseDeribitInstrument(instrument);
    const created = checkedTime(
      readCell(cell("creation_timestamp"), at("creation_timestamp"), { min: 0 }),
      at("creation_timestamp"),
      "Give the quote's creation time in epoch ms.",
    );
    snapshotMs = Math.min(snapshotMs, created);
    latest = Math.max(latest, created);
    return {
      instrument,
      expiryMs: parsed.expiryMs,
      expiryLabel: parsed.expiryLabel,
      strike: parsed.strike,
      kind: parsed.kind,
      forwardUsd: readCell(cell("underlying_price"), at("underlying_price"), { min: 0, exclusiveMin: true }),
      fileYears: undefined,
      markPremium: readCell(cell("mark_price"), at("mark_price"), {}),
      bidPremium: readOptionalCell(cell("bid_price"), at("bid_price")),
      askPremium: readOptionalCell(cell("ask_price"), at("ask_price")),
      premiumCurrency: "coin",
      openInterest: readCell(cell("open_interest"), at("open_interest"), { min: 0 }),
      markIv: undefined,
      row: line,
    };
  });
  if (drafts.length === 0) {
    throw new InputError(
      source,
      text.slice(0, 60),
      "has no data rows",
      "Pass a file with at least one quote.",
    );
  }
  if (options.asOfMs === undefined && latest - snapshotMs > SNAPSHOT_SPREAD_MS) {
    throw new InputError(
      `${source}: creation_timestamp`,
      `${new Date(snapshotMs).toISOString()} … ${new Date(latest).toISOString()}`,
      "spans more than a minute, so it is not one snapshot time: in Deribit's instrument list " +
        "(public/get_instruments) creation_timestamp is each instrument's listing time",
      "Pass the snapshot time (--as-of, asOfMs).",
    );
  }
  return finish(drafts, "ETH", options.asOfMs ?? snapshotMs, source, rows.length, options);
}

/** The most the quote times of one snapshot may spread: one minute (the ETH dump spans 15 ms). */
const SNAPSHOT_SPREAD_MS = 60_000;

/** A column of a Deribit ticker dump: the first of its accepted names present, or -1. */
function tickerColumn(names: readonly string[], ...accepted: string[]): number {
  for (const name of accepted) {
    const i = names.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * Reads a chain saved from Deribit's ticker (`public/ticker`, one row per option, columns in any
 * order, names case-insensitive): `instrument_name`, `mark_price` (coin), `underlying_price` (USD,
 * the forward of the expiry), optional `best_bid_price`/`best_ask_price` (or `bid_price`/
 * `ask_price`, coin; empty or 0 = no quote), `mark_iv` (percent), `open_interest` (0 when absent)
 * and `timestamp` (ms, the ticker's time). Other columns (`bid_iv`, `ask_iv`, greeks, `greeks.delta`
 * …) are not read. The snapshot time is `options.asOfMs`, else the earliest `timestamp`; a file
 * with neither is refused (`creation_timestamp`, an instrument's listing time in Deribit's
 * instrument list, is never taken for it). Time to expiry is `(expiry − snapshot)/365 d`.
 */
export function parseDeribitTickerCsv(
  text: CsvText,
  source: string,
  options: OptionLoadOptions = {},
): LoadedOptionChain {
  const { header, rows } = splitCsv(text, source);
  const names = header.map((h) => h.toLowerCase());
  const need = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0)
      throw new InputError(
        `${source}:1`,
        header.join(","),
        `has no column "${name}"`,
        "A Deribit ticker chain needs instrument_name, mark_price and underlying_price (any order).",
      );
    return i;
  };
  const instrumentCol = need("instrument_name");
  const markCol = need("mark_price");
  const forwardCol = need("underlying_price");
  const bidCol = tickerColumn(names, "best_bid_price", "bid_price");
  const askCol = tickerColumn(names, "best_ask_price", "ask_price");
  const ivCol = names.indexOf("mark_iv");
  const oiCol = names.indexOf("open_interest");
  const timeCol = names.indexOf("timestamp");
  let fileMs = Number.POSITIVE_INFINITY;
  const quoteOf = (cell: string, field: string) => {
    const x = readOptionalCell(cell, field);
    return x === 0 ? undefined : x;
  };
  const drafts: Draft[] = rows.map(({ line, cells }) => {
    const at = (i: number) => `${source}:${line}.${header[i]}`;
    const instrument = cells[instrumentCol] as string;
    const parsed = parseDeribitInstrument(instrument);
    if (timeCol >= 0 && options.asOfMs === undefined) {
      const t = readCell(cells[timeCol] as string, at(timeCol), { min: 0 });
      fileMs = Math.min(fileMs, checkedTime(t, at(timeCol), "Give the ticker time in epoch ms."));
    }
    return {
      instrument,
      expiryMs: parsed.expiryMs,
      expiryLabel: parsed.expiryLabel,
      strike: parsed.strike,
      kind: parsed.kind,
      forwardUsd: readCell(cells[forwardCol] as string, at(forwardCol), { min: 0, exclusiveMin: true }),
      fileYears: undefined,
      markPremium: readCell(cells[markCol] as string, at(markCol), {}),
      bidPremium: bidCol < 0 ? undefined : quoteOf(cells[bidCol] as string, at(bidCol)),
      askPremium: askCol < 0 ? undefined : quoteOf(cells[askCol] as string, at(askCol)),
      premiumCurrency: "coin",
      openInterest: oiCol < 0 ? 0 : readCell(cells[oiCol] as string, at(oiCol), { min: 0 }),
      markIv: ivCol < 0 ? undefined : readCell(cells[ivCol] as string, at(ivCol), { min: 0 }) / 100,
      row: line,
    };
  });
  if (drafts.length === 0) {
    throw new InputError(
      source,
      header.join(","),
      "has no data rows",
      "Pass a file with at least one quote.",
    );
  }
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
  return finish(drafts, underlying, snapshotMs, source, rows.length, options);
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
    quotes.push({ ...rest, bidPremium: bid, askPremium: ask, timeToExpiryYears: years });
  }
  return {
    chain: { underlying, snapshotMs, quotes },
    report: { source, rows, quotes: quotes.length, anomalies },
  };
}

function readText(path: string): string {
  return readDataFile(path, { field: path, fix: "Pass an existing, readable file." });
}

/** The header and the data rows of a chain CSV ({@link forEachCsvRecord}), each row with its line. */
function splitCsv(
  text: CsvText,
  source: string,
): { header: string[]; rows: { line: number; cells: string[] }[] } {
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
  return { header: header ?? [], rows };
}

function columnIndex(header: readonly string[], source: string, required: readonly string[]) {
  const index = new Map(header.map((h, i) => [h, i]));
  for (const name of required) {
    if (!index.has(name)) {
      throw new InputError(
        `${source}:1`,
        header.join(","),
        `has no column "${name}"`,
        "Pass the Deribit layout.",
      );
    }
  }
  return (name: string): number => index.get(name) as number;
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

function readOptionalCell(text: string, field: string): number | undefined {
  return text === ""
    ? undefined
    : readNumber(text, field, { min: 0, allowString: true, fix: "Fix the cell." });
}

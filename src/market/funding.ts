/**
 * Perpetual-futures funding-rate series and their loaders.
 *
 * One model for every source: settlement times (ms UTC, ascending), the rate as a **fraction per
 * funding interval** (0.0001 = 0.01 % per 8 h; never a percent), the interval the rate is quoted
 * per (`intervalHours`), the nominal spacing of the rows (`stepHours`: 8 for 8-hourly prints, 24
 * for daily means of 8-hourly prints) and optional mark and index prices (`NaN` where unknown).
 *
 * Loaders read the bundled files under `data/funding/` as they are (see
 * `data/funding/PROVENANCE.md`) and ccxt's `FundingRateHistory` and `FundingRate` structures
 * (https://docs.ccxt.com/#/?id=funding-rate-history-structure,
 * https://docs.ccxt.com/#/?id=funding-rate-structure). Every anomaly (bad value, duplicate time,
 * out-of-order row, gap, off-grid time) is reported with its row, and handled by an explicit policy.
 */
import { InputError } from "../errors.js";
import { readArray, readChoice, readNumber, readRecord, readString } from "../validate.js";
import { parseTimeCell } from "./candles.js";
import { ColumnStore, gather } from "./columns.js";
import { type CsvText, forEachCsvRecord } from "./csv-table.js";
import { isJsonArray, parseJsonText, peekDataChunks } from "./data-file.js";
import { RowNumbers } from "./row-numbers.js";
import {
  type BadRowPolicy,
  type DuplicatePolicy,
  firstIndexAtOrAfter,
  implausibleTimeProblem,
  misplacedRows,
  type OutOfOrderPolicy,
  onePerTime,
  readRowPolicies,
} from "./row-order.js";

const HOUR_MS = 3_600_000;

/** A funding-rate series: parallel arrays in ascending settlement time. */
export interface FundingSeries {
  readonly symbol: string;
  /** The interval the rate is quoted per, hours (Binance BTCUSDT: 8). */
  readonly intervalHours: number;
  /** Nominal time between rows, hours: `intervalHours` for settlement prints, 24 for daily means. */
  readonly stepHours: number;
  /** Settlement (or day) time, ms since the Unix epoch (UTC), strictly ascending. */
  readonly time: Float64Array;
  /** Funding rate, fraction per `intervalHours` (a long pays `rate · notional` when positive). */
  readonly rate: Float64Array;
  /** Mark price at the settlement (`NaN` where the source has none). */
  readonly markPrice: Float64Array;
  /** Index price at the settlement (`NaN` where the source has none). */
  readonly indexPrice: Float64Array;
}

/** The unit a source's funding rates are in: a fraction (0.0001), percent (0.01) or basis points (1). */
export type FundingRateUnit = "fraction" | "percent" | "bps";

/** The scale of each {@link FundingRateUnit} to a fraction. */
const UNIT_SCALE: Readonly<Record<FundingRateUnit, number>> = { fraction: 1, percent: 0.01, bps: 1e-4 };

/** Default largest plausible |rate| per funding interval, a fraction: 5 % ({@link FundingLoadOptions.maxAbsRate}). */
export const DEFAULT_MAX_ABS_FUNDING_RATE = 0.05;

/** Default largest plausible median |rate| of a file, a fraction per interval: 0.1 % ({@link FundingLoadOptions.maxMedianAbsRate}). */
export const DEFAULT_MAX_MEDIAN_ABS_FUNDING_RATE = 0.001;

/** The formats the loaders recognise. */
export type FundingFormat =
  | "binance-8h-csv"
  | "daily-mean-csv"
  | "binance-vision-funding-csv"
  | "funding-rate-csv"
  | "json-pairs"
  | "freqtrade-json"
  | "binance-rest-json"
  | "ccxt-history"
  | "ccxt-rate";

/** Kinds of anomaly a load reports. */
export type FundingAnomalyKind =
  | "implausible-time"
  | "invalid-rate"
  | "duplicate"
  | "out-of-order"
  | "gap"
  | "off-grid";

/** One anomaly found while loading. */
export interface FundingAnomaly {
  readonly kind: FundingAnomalyKind;
  /** 1-based line number in a CSV (the header is line 1), or the 0-based index in a JSON/ccxt array. */
  readonly row: number;
  readonly timeMs: number;
  readonly message: string;
  /** What was done: row dropped, moved into time order, or only reported. */
  readonly action: "dropped" | "reordered" | "reported";
  /** For a gap: the number of rows missing before this one. */
  readonly missingRows?: number;
}

/** What a load found and did. */
export interface FundingLoadReport {
  readonly source: string;
  readonly format: FundingFormat;
  /**
   * The unit the source's rates were read in (the series holds fractions) and how it is known:
   * `"stated"` (`rateUnit` given), `"format"` (Binance, ccxt and freqtrade define fractions) or
   * `"column-name"` (a `funding_rate` column is a fraction per interval unless stated otherwise).
   */
  readonly rateUnit: {
    readonly unit: FundingRateUnit;
    readonly source: "stated" | "format" | "column-name";
  };
  /** Data rows read. */
  readonly rows: number;
  /** Rows in the series. */
  readonly kept: number;
  readonly anomalies: readonly FundingAnomaly[];
}

/** A loaded series with its report. */
export interface LoadedFunding {
  readonly series: FundingSeries;
  readonly report: FundingLoadReport;
}

/** Options shared by the loaders. */
export interface FundingLoadOptions {
  /** Symbol of the series (default: the file's own, else `"BTCUSDT"` for the Binance files; required for JSON pairs). */
  readonly symbol?: string;
  /** Interval the rate is quoted per, hours (default 8, or ccxt's `interval`). */
  readonly intervalHours?: number;
  /**
   * Unit of the rates where the format does not define it: required for JSON pairs (files differ:
   * percent vs fraction), optional for a `funding_rate` column (fraction unless stated); refused
   * when it contradicts a format that defines fractions (Binance, ccxt, freqtrade).
   */
  readonly rateUnit?: FundingRateUnit;
  /**
   * Largest plausible |rate| per funding interval, a fraction (default {@link DEFAULT_MAX_ABS_FUNDING_RATE}, 5 %: venues cap
   * funding far below, e.g. Binance BTCUSDT at ±0.3 % per 8 h). A larger rate is refused whatever
   * the row policy: it means prices, or percent read as fractions.
   */
  readonly maxAbsRate?: number;
  /**
   * Largest plausible median |rate| of a file, a fraction per interval (default
   * {@link DEFAULT_MAX_MEDIAN_ABS_FUNDING_RATE}, 0.1 %:
   * about 110 % a year at 8 h; Binance BTCUSDT's median is about 0.01 %). A larger median is refused:
   * rates in percent read as fractions look like this.
   */
  readonly maxMedianAbsRate?: number;
  /** Default `"error"`: a non-finite rate throws; `"drop-and-report"` drops the row and lists it. */
  readonly onBadRow?: BadRowPolicy;
  /** Default `"keep-first"`: of rows with the same time the first in the source is kept, the others listed. */
  readonly onDuplicate?: DuplicatePolicy;
  /** Default `"sort-and-report"`. */
  readonly onOutOfOrder?: OutOfOrderPolicy;
  /**
   * A time more than this many ms away from the grid of `stepHours` steps after the first row is
   * reported as off-grid (default 60,000: Binance `fundingTime` carries a few ms of processing delay,
   * e.g. 1667462400016). Times are never moved.
   */
  readonly offGridToleranceMs?: number;
}

/** How a file's rates are read: their unit where the format does not define it, and the plausibility bounds. */
export type FundingReadOptions = Pick<FundingLoadOptions, "rateUnit" | "maxAbsRate" | "maxMedianAbsRate">;

/** One row before checks: its line (CSV) or index (JSON), time (ms), rate, mark and index price. */
interface RawRow {
  readonly row: number;
  readonly time: number;
  readonly rate: number;
  readonly mark: number;
  readonly index: number;
}

/** The values of {@link RawRow} held column-wise, in a {@link ColumnStore} of rows. */
const VALUE_FIELDS = ["time", "rate", "mark", "index"] as const;

/**
 * A source's rows before checks, column-wise: the values of {@link RawRow} (32 bytes a row) and
 * the row numbers.
 */
type RowColumns = { readonly [K in (typeof VALUE_FIELDS)[number]]: Float64Array } & {
  readonly line: RowNumbers;
};

/** Rows appended one at a time, then read as {@link RowColumns}. */
function rowStore(): { add: (r: RawRow) => void; columns: () => RowColumns } {
  const store = new ColumnStore(VALUE_FIELDS.length);
  const line = new RowNumbers();
  return {
    add: (r) => {
      store.push(VALUE_FIELDS.map((f) => r[f]));
      line.push(r.row);
    },
    columns: () => {
      const [time, rate, mark, index] = VALUE_FIELDS.map((_, k) => store.column(k)) as Float64Array[];
      return { time, rate, mark, index, line } as RowColumns;
    },
  };
}

/** The columns of the rows `read` makes of each of `entries` (a JSON source's array). */
function columnsOf(entries: readonly unknown[], read: (entry: unknown, row: number) => RawRow): RowColumns {
  const rows = rowStore();
  entries.forEach((entry, row) => {
    rows.add(read(entry, row));
  });
  return rows.columns();
}

/**
 * Reads a funding file. A CSV (layout from its header, see {@link parseFundingCsv}) is parsed in
 * chunks; a JSON array is read by its shape:
 * - `[[time_ms, rate], …]` pairs ({@link parseFundingPairs}): `options.rateUnit` is required;
 * - freqtrade's funding-rate candles `[[time_ms, rate, 0, 0, 0, 0], …]` (freqtrade stores ccxt's
 *   `fetchFundingRateHistory` as candles with the rate in the open and zeros elsewhere,
 *   `Exchange._fetch_funding_rate_history`): fractions;
 * - Binance's raw `GET /fapi/v1/fundingRate` response `[{ symbol, fundingTime, fundingRate,
 *   markPrice }, …]` ({@link parseBinanceFundingRates}): fractions;
 * - ccxt `FundingRateHistory` objects `[{ symbol, fundingRate, timestamp, … }, …]`
 *   ({@link fundingFromCcxtHistory}), or `FundingRate` objects (with `fundingTimestamp` or
 *   `markPrice`, {@link fundingFromCcxtRates}): fractions.
 * Rows of six numbers with prices in them (OHLCV candles) are refused, as is any rate above
 * `options.maxAbsRate` per interval (see {@link FundingLoadOptions}).
 *
 * @example
 * readFundingFile("data/funding/binance_btcusdt_funding-8h-percent_2022-11_2025-11.json", { rateUnit: "percent" });
 */
export function readFundingFile(path: string, options: FundingLoadOptions = {}): LoadedFunding {
  const { head, chunks } = peekDataChunks(path, {
    field: path,
    fix: "Pass the path of a readable funding file.",
  });
  if (!isJsonArray(head)) return parseFundingCsv(chunks, path, options);
  const parsed = readArray(
    parseJsonText(chunks, path, "Pass a JSON array."),
    path,
    "Pass a JSON array of funding rows.",
  );
  const first: unknown = parsed[0];
  if (first === undefined) {
    throw new InputError(path, "[]", "has no funding rows", "Pass a file with at least one funding row.");
  }
  if (Array.isArray(first) && first.length === 2) return parseFundingPairs(parsed, path, options);
  if (Array.isArray(first) && first.length === 6) return parseFreqtradeFunding(parsed, path, options);
  if (typeof first === "object" && first !== null && !Array.isArray(first)) {
    if ("fundingTime" in first) return parseBinanceFundingRates(parsed, path, options);
    const ccxtOptions = { ...options, source: path };
    return "fundingTimestamp" in first || "markPrice" in first
      ? fundingFromCcxtRates(parsed, ccxtOptions)
      : fundingFromCcxtHistory(parsed, ccxtOptions);
  }
  throw new InputError(
    `${path}[0]`,
    first,
    "is not a funding row this loader knows",
    "Pass [[time_ms, rate], …] pairs, freqtrade funding-rate candles [[time_ms, rate, 0, 0, 0, 0], …], " +
      "Binance's /fapi/v1/fundingRate response, or ccxt FundingRateHistory objects (formats: docs/reference/data-formats.md).",
  );
}

/** A funding CSV layout: how its header names the time and rate columns, and what its rows mean. */
interface FundingCsvLayout {
  readonly format: FundingFormat;
  readonly time: string;
  readonly rate: string;
  /** Whether the format defines its rates as fractions (a contrary `rateUnit` is refused). */
  readonly fixedUnit: boolean;
  /** Rows per day step (24 for daily means), else the funding interval. */
  readonly daily: boolean;
}

/** The funding CSV layouts, tried in order on the header. */
const FUNDING_CSV_LAYOUTS: readonly FundingCsvLayout[] = [
  { format: "binance-8h-csv", time: "open time", rate: "fundingrate", fixedUnit: true, daily: false },
  { format: "daily-mean-csv", time: "date", rate: "funding_mean", fixedUnit: true, daily: true },
  {
    format: "binance-vision-funding-csv",
    time: "calc_time",
    rate: "last_funding_rate",
    fixedUnit: true,
    daily: false,
  },
  { format: "funding-rate-csv", time: "timestamp", rate: "funding_rate", fixedUnit: false, daily: false },
];

const FUNDING_HEADERS =
  '"Open Time,…,fundingRate[,markPrice]" (Binance), "date,funding_mean" (daily means), ' +
  '"calc_time,funding_interval_hours,last_funding_rate" (Binance Vision) or "timestamp,symbol,funding_rate"';

/**
 * Parses funding CSV text (a string or its chunks; quoting, byte-order mark, line ends and the
 * `,`/`;`/tab delimiter as in {@link forEachCsvRecord}). The layout is recognised by its header:
 * - Binance 8-hourly with spot/perp opens: `Open Time` (the funding time), `fundingRate` (fraction
 *   per 8 h), optional `markPrice` (empty → `NaN`); other columns are not read.
 * - daily means: `date` (`YYYY-MM-DD`), `funding_mean` (mean of the day's 8-hourly rates, fraction
 *   per 8 h); `stepHours` 24, `intervalHours` 8.
 * - Binance Vision `fundingRate` files (https://github.com/binance/binance-public-data):
 *   `calc_time` (epoch ms), `funding_interval_hours`, `last_funding_rate` (fraction per interval).
 * - `timestamp,symbol,funding_rate`: the rate a fraction per interval (`options.rateUnit:
 *   "percent"` when it is in percent), `symbol` optional; a file of several symbols needs
 *   `options.symbol`, and only that symbol's rows are read.
 * Times are epoch numbers (unit from their magnitude: s, ms or µs) or ISO 8601 date-times, UTC.
 */
export function parseFundingCsv(
  text: CsvText,
  source: string,
  options: FundingLoadOptions = {},
): LoadedFunding {
  let header: string[] | undefined;
  let layout: FundingCsvLayout | undefined;
  let cols: { time: number; rate: number; mark: number; symbol: number; interval: number } | undefined;
  let symbol = options.symbol;
  let fileInterval: number | undefined;
  const rows = rowStore();
  forEachCsvRecord(
    text,
    (line) => `${source} line ${line}`,
    (cells, row) => {
      if (header === undefined) {
        header = cells;
        const names = cells.map((h) => h.toLowerCase());
        layout = FUNDING_CSV_LAYOUTS.find((l) => names.includes(l.time) && names.includes(l.rate));
        if (layout === undefined) {
          throw new InputError(
            `${source} line ${row}`,
            cells.join(","),
            "is not a known funding header",
            `Use ${FUNDING_HEADERS}.`,
          );
        }
        cols = {
          time: names.indexOf(layout.time),
          rate: names.indexOf(layout.rate),
          mark: names.indexOf("markprice"),
          symbol: names.indexOf("symbol"),
          interval: names.indexOf("funding_interval_hours"),
        };
        return;
      }
      const c = cols as NonNullable<typeof cols>;
      if (cells.length !== header.length) {
        throw new InputError(
          `${source} line ${row}`,
          cells.join(","),
          `has ${cells.length} fields but the header has ${header.length}`,
          "Give every row one value per header column.",
        );
      }
      if (c.symbol >= 0) {
        const rowSymbol = cells[c.symbol] as string;
        if (options.symbol !== undefined && rowSymbol !== options.symbol) return;
        if (symbol !== undefined && rowSymbol !== symbol) {
          throw new InputError(
            `${source} line ${row}, column ${header[c.symbol]}`,
            rowSymbol,
            `is another symbol than ${symbol} above`,
            "Pass options.symbol (--symbol) to read one symbol's rows.",
          );
        }
        symbol = rowSymbol;
      }
      if (c.interval >= 0 && fileInterval === undefined) fileInterval = cell(cells[c.interval]);
      const timeText = cells[c.time] as string;
      const time = parseTimeCell(timeText);
      if (time === undefined) {
        throw new InputError(
          `${source} line ${row}, column ${header[c.time]}`,
          timeText,
          "is not a date-time",
          "Use YYYY-MM-DD HH:MM:SS (UTC) or epoch milliseconds.",
        );
      }
      rows.add({
        row,
        time: time.ms,
        rate: cell(cells[c.rate]),
        mark: c.mark >= 0 ? cell(cells[c.mark]) : Number.NaN,
        index: Number.NaN,
      });
    },
  );
  if (layout === undefined) {
    throw new InputError(`${source} line 1`, "", "is not a known funding header", `Use ${FUNDING_HEADERS}.`);
  }
  const intervalHours = options.intervalHours ?? fileInterval ?? 8;
  const unit = rateUnitOf(layout.fixedUnit ? "fraction" : undefined, options, source);
  const columns = rows.columns();
  if (unit.scale !== 1)
    for (let i = 0; i < columns.rate.length; i++) (columns.rate[i] as number) *= unit.scale;
  return assemble(columns, {
    source,
    format: layout.format,
    symbol: symbol ?? "BTCUSDT",
    intervalHours,
    stepHours: layout.daily ? 24 : intervalHours,
    options,
    rateUnit: unit.report,
  });
}

/**
 * The unit of a source's rates: `fixed` when the format defines it (a contrary `options.rateUnit`
 * is refused), else `options.rateUnit` (stated), else fraction for CSVs whose column says so.
 */
function rateUnitOf(
  fixed: "fraction" | undefined,
  options: FundingLoadOptions,
  source: string,
): { scale: number; report: FundingLoadReport["rateUnit"] } {
  const stated =
    options.rateUnit === undefined
      ? undefined
      : readChoice(options.rateUnit, "rateUnit", ["fraction", "percent", "bps"] as const);
  if (fixed !== undefined && stated !== undefined && stated !== fixed) {
    throw new InputError(
      "rateUnit",
      stated,
      `contradicts ${source}, whose format gives rates as fractions`,
      "Leave rateUnit (--funding-unit) out for this format.",
    );
  }
  const unit = stated ?? fixed ?? "fraction";
  return {
    scale: UNIT_SCALE[unit],
    report: {
      unit,
      source: stated !== undefined ? "stated" : fixed !== undefined ? "format" : "column-name",
    },
  };
}

/**
 * Series from `[[time_ms, rate], …]` pairs, e.g. Binance `/fapi/v1/fundingRate` saved as pairs.
 * `options.rateUnit` must say whether the rates are fractions, **percent** or basis points (the bundled
 * `binance_btcusdt_funding-8h-percent_2022-11_2025-11.json` is in percent: 0.01 means 0.0001), and
 * `options.symbol` which market it is.
 */
function parseFundingPairs(pairs: unknown, source: string, options: FundingLoadOptions = {}): LoadedFunding {
  if (options.rateUnit === undefined) {
    throw new InputError(
      "rateUnit",
      undefined,
      `is required for ${source}: a [[time, rate]] file does not say whether its rates are percent`,
      'Pass rateUnit: "percent" (0.01 means 0.01 %), "fraction" (0.0001 means 0.01 %) or "bps" (1 means 0.01 %).',
    );
  }
  const unit = rateUnitOf(undefined, options, source);
  const rows = columnsOf(
    readArray(pairs, source, "Pass a JSON array of [time_ms, rate] pairs."),
    (entry, row): RawRow => {
      const pair = readArray(entry, `${source}[${row}]`, "Each entry is [time_ms, rate].");
      const time = readNumber(pair[0], `${source}[${row}][0]`, { fix: "Use the funding time in epoch ms." });
      const r = pair[1];
      return {
        row,
        time,
        rate: typeof r === "number" ? r * unit.scale : Number.NaN,
        mark: Number.NaN,
        index: Number.NaN,
      };
    },
  );
  return assemble(rows, {
    source,
    format: "json-pairs",
    symbol: readString(options.symbol ?? "BTCUSDT", "symbol"),
    intervalHours: options.intervalHours ?? 8,
    stepHours: options.intervalHours ?? 8,
    options,
    rateUnit: unit.report,
  });
}

/**
 * Series from freqtrade's funding-rate candles `[[time_ms, rate, 0, 0, 0, 0], …]`: freqtrade saves
 * ccxt's `fetchFundingRateHistory` as candles with the rate (a fraction per interval) in the open
 * and zeros in high, low, close and volume (freqtrade `Exchange._fetch_funding_rate_history`). A
 * row with anything but zeros there is a candle of prices, and is refused.
 */
function parseFreqtradeFunding(
  rows: readonly unknown[],
  source: string,
  options: FundingLoadOptions,
): LoadedFunding {
  const raw = columnsOf(rows, (entry, row): RawRow => {
    const values = readArray(entry, `${source}[${row}]`, "Each row is [time_ms, rate, 0, 0, 0, 0].");
    if (values.length !== 6 || values.slice(2).some((v) => v !== 0)) {
      throw new InputError(
        `${source}[${row}]`,
        entry,
        "is not a freqtrade funding-rate row [time_ms, rate, 0, 0, 0, 0]: rows with high, low, close or volume are OHLCV candles of prices, not funding rates",
        "Pass candles to --candles, and a funding file to --funding.",
      );
    }
    const time = readNumber(values[0], `${source}[${row}][0]`, { fix: "Use the funding time in epoch ms." });
    const r = values[1];
    return { row, time, rate: typeof r === "number" ? r : Number.NaN, mark: Number.NaN, index: Number.NaN };
  });
  return assembleSettlements(
    raw,
    source,
    "freqtrade-json",
    readString(options.symbol ?? "BTCUSDT", "symbol"),
    options,
  );
}

/**
 * Series from Binance USDⓈ-M's `GET /fapi/v1/fundingRate` response saved as it comes:
 * `[{ "symbol": "BTCUSDT", "fundingRate": "-0.03750000", "fundingTime": 1570608000000,
 * "markPrice": "34287.54619963" }, …]` (Binance Open Platform, USDⓈ-M Futures, Market Data, "Get
 * Funding Rate History", https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Get-Funding-Rate-History):
 * `fundingTime` in epoch ms, `fundingRate` a decimal string, a fraction per funding interval,
 * `markPrice` a decimal string (empty or absent in old rows → `NaN`). The endpoint without `symbol`
 * returns every market: such a file needs `options.symbol`, and only that symbol's rows are read.
 * A `fundingRate` that is not a decimal is an invalid rate (the row policy applies).
 */
function parseBinanceFundingRates(
  rows: readonly unknown[],
  source: string,
  options: FundingLoadOptions,
): LoadedFunding {
  let symbol = options.symbol;
  const decimal = (x: unknown) => (typeof x === "string" && x.trim() !== "" ? Number(x) : Number.NaN);
  const raw = rowStore();
  rows.forEach((entry, row) => {
    const at = `${source}[${row}]`;
    const e = readRecord(entry, at, 'Each entry is { "symbol", "fundingTime", "fundingRate", "markPrice" }.');
    const rowSymbol = readString(e.symbol, `${at}.symbol`);
    if (options.symbol !== undefined && rowSymbol !== options.symbol) return;
    if (symbol !== undefined && rowSymbol !== symbol) {
      throw new InputError(
        `${at}.symbol`,
        rowSymbol,
        `is another symbol than ${symbol} above`,
        "Pass options.symbol (--symbol) to read one symbol's rows.",
      );
    }
    symbol = rowSymbol;
    const time = readNumber(e.fundingTime, `${at}.fundingTime`, { fix: "Use the funding time in epoch ms." });
    raw.add({ row, time, rate: decimal(e.fundingRate), mark: decimal(e.markPrice), index: Number.NaN });
  });
  return assembleSettlements(raw.columns(), source, "binance-rest-json", symbol ?? "unknown", options);
}

/**
 * Series from ccxt's `fetchFundingRateHistory` result: `[{ symbol, fundingRate, timestamp,
 * datetime, info }, …]`, `fundingRate` a fraction per interval. The interval is
 * `options.intervalHours` (default 8: ccxt's history entries do not carry it).
 */
export function fundingFromCcxtHistory(
  history: unknown,
  options: FundingLoadOptions & { readonly source?: string } = {},
): LoadedFunding {
  const source = options.source ?? "fundingRateHistory";
  let symbol = options.symbol;
  const rows = columnsOf(
    readArray(history, source, "Pass ccxt's FundingRateHistory array."),
    (entry, row): RawRow => {
      const e = readRecord(entry, `${source}[${row}]`, "Each entry is { symbol, fundingRate, timestamp }.");
      symbol ??= readString(e.symbol, `${source}[${row}].symbol`);
      const time = readNumber(e.timestamp, `${source}[${row}].timestamp`, {
        fix: "Use the funding time in epoch ms.",
      });
      const r = e.fundingRate;
      return { row, time, rate: typeof r === "number" ? r : Number.NaN, mark: Number.NaN, index: Number.NaN };
    },
  );
  return assembleSettlements(rows, source, "ccxt-history", symbol ?? "unknown", options);
}

/**
 * Series from a list of ccxt `FundingRate` structures (`fetchFundingRate` snapshots): time =
 * `fundingTimestamp` (the settlement the rate applies to; `timestamp` when absent), rate =
 * `fundingRate`, `markPrice` and `indexPrice` taken when numbers, interval from ccxt's `interval`
 * (`"8h"`, `"4h"`, `"1h"`) unless `options.intervalHours` is given.
 */
export function fundingFromCcxtRates(
  rates: unknown,
  options: FundingLoadOptions & { readonly source?: string } = {},
): LoadedFunding {
  const source = options.source ?? "fundingRates";
  let symbol = options.symbol;
  let interval = options.intervalHours;
  const num = (x: unknown) => (typeof x === "number" ? x : Number.NaN);
  const rows = columnsOf(
    readArray(rates, source, "Pass an array of ccxt FundingRate structures."),
    (entry, row): RawRow => {
      const e = readRecord(entry, `${source}[${row}]`, "Each entry is a ccxt FundingRate.");
      symbol ??= readString(e.symbol, `${source}[${row}].symbol`);
      if (interval === undefined && typeof e.interval === "string") {
        const m = /^(\d+)h$/.exec(e.interval);
        if (m === null) {
          throw new InputError(
            `${source}[${row}].interval`,
            e.interval,
            "is not an interval in hours",
            'Use "8h" or pass intervalHours.',
          );
        }
        interval = Number(m[1]);
      }
      const t = e.fundingTimestamp ?? e.timestamp;
      const time = readNumber(t, `${source}[${row}].fundingTimestamp`, {
        fix: "Use the settlement time in epoch ms.",
      });
      return { row, time, rate: num(e.fundingRate), mark: num(e.markPrice), index: num(e.indexPrice) };
    },
  );
  return assembleSettlements(rows, source, "ccxt-rate", symbol ?? "unknown", options, interval ?? 8);
}

/**
 * The rows with `fromMs ≤ time < toMs` (ms UTC), as views (`subarray`) of the input's arrays: a
 * binary search on the ascending times, no copy.
 */
export function sliceFundingByTime(series: FundingSeries, fromMs: number, toMs: number): FundingSeries {
  const a = firstIndexAtOrAfter(series.time, fromMs);
  const b = Math.max(a, firstIndexAtOrAfter(series.time, toMs));
  return {
    ...series,
    time: series.time.subarray(a, b),
    rate: series.rate.subarray(a, b),
    markPrice: series.markPrice.subarray(a, b),
    indexPrice: series.indexPrice.subarray(a, b),
  };
}

/** An empty cell is `NaN`, never 0. */
function cell(text: string | undefined): number {
  const s = (text ?? "").trim();
  return s === "" ? Number.NaN : Number(s);
}

interface Context {
  readonly source: string;
  readonly format: FundingFormat;
  readonly symbol: string;
  readonly intervalHours: number;
  readonly stepHours: number;
  readonly options: FundingLoadOptions;
  readonly rateUnit: FundingLoadReport["rateUnit"];
}

/**
 * {@link assemble} for a format of settlement prints whose rates the format defines as fractions
 * (Binance REST, freqtrade, ccxt; a contrary `options.rateUnit` is refused), one row per interval
 * of `intervalHours` (default `options.intervalHours`, else 8).
 */
function assembleSettlements(
  rows: RowColumns,
  source: string,
  format: FundingFormat,
  symbol: string,
  options: FundingLoadOptions,
  intervalHours = options.intervalHours ?? 8,
): LoadedFunding {
  return assemble(rows, {
    source,
    format,
    symbol,
    intervalHours,
    stepHours: intervalHours,
    options,
    rateUnit: rateUnitOf("fraction", options, source).report,
  });
}

/**
 * Refuses rates no funding series has: one |rate| above `maxAbsRate` (the first of the rows at
 * indices `good` named), or a median |rate| of those rows above `maxMedianAbsRate`, each with the
 * reason and the likely cause (prices, or percent).
 */
function refuseImplausibleRates(
  rate: Float64Array,
  good: Int32Array,
  context: Context,
  where: (i: number) => string,
): void {
  const { options } = context;
  const maxAbs = readNumber(options.maxAbsRate ?? DEFAULT_MAX_ABS_FUNDING_RATE, "maxAbsRate", {
    min: 0,
    exclusiveMin: true,
  });
  const maxMedian = readNumber(
    options.maxMedianAbsRate ?? DEFAULT_MAX_MEDIAN_ABS_FUNDING_RATE,
    "maxMedianAbsRate",
    {
      min: 0,
      exclusiveMin: true,
    },
  );
  const percent = (x: number) => `${Number((x * 100).toPrecision(4))} %`;
  const per = `per ${context.intervalHours} h`;
  const words = { fraction: "fractions", percent: "percent", bps: "basis points" } as const;
  const unit = `read as ${words[context.rateUnit.unit]} (${context.rateUnit.source})`;
  const big = good.find((i) => Math.abs(rate[i] as number) > maxAbs);
  if (big !== undefined) {
    const r = rate[big] as number;
    throw new InputError(
      where(big),
      r,
      `is a funding rate of ${percent(r)} ${per}, above the plausible ${percent(maxAbs)} (rates ${unit}): ` +
        "the file may hold prices, or rates in another unit",
      "Pass a funding-rate file, state the unit (--funding-unit fraction|percent|bps, rateUnit), or raise the bound (--max-funding-rate, maxAbsRate).",
    );
  }
  const sorted = Float64Array.from(good, (i) => Math.abs(rate[i] as number)).sort();
  const median = sorted.length === 0 ? 0 : (sorted[(sorted.length - 1) >> 1] as number);
  if (median > maxMedian) {
    throw new InputError(
      context.source,
      median,
      `has a median |funding rate| of ${percent(median)} ${per}, above the plausible ${percent(maxMedian)} ` +
        `(rates ${unit}): rates in percent read as fractions look like this`,
      "If the rates are in percent or basis points, state it (--funding-unit percent|bps, rateUnit); if they are fractions, raise the bound (--max-median-funding-rate, maxMedianAbsRate).",
    );
  }
}

/**
 * Checks, orders, de-duplicates and grids the rows; builds the series and the report. Runs on the
 * rows' columns and on indices into them, as the candle loader does.
 */
function assemble(rows: RowColumns, context: Context): LoadedFunding {
  const { options, source } = context;
  const { onBadRow, onDuplicate, onOutOfOrder } = readRowPolicies(options, "keep-first");
  const tolerance = readNumber(options.offGridToleranceMs ?? 60_000, "offGridToleranceMs", { min: 0 });
  readNumber(context.intervalHours, "intervalHours", { min: 0, exclusiveMin: true });
  const { time, rate, mark } = rows;
  const line = (i: number) => rows.line.at(i);
  const n = time.length;
  const where = (i: number) =>
    context.format.endsWith("csv") ? `${source} line ${line(i)}` : `${source}[${line(i)}]`;
  const anomalies: FundingAnomaly[] = [];

  const good = new Int32Array(n);
  let goodCount = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i] as number;
    const r = rate[i] as number;
    const timeProblem = implausibleTimeProblem(t);
    const problem =
      timeProblem !== undefined
        ? { kind: "implausible-time" as const, value: t, message: timeProblem }
        : Number.isFinite(r)
          ? undefined
          : { kind: "invalid-rate" as const, value: r, message: "has no finite funding rate" };
    if (problem === undefined) {
      good[goodCount++] = i;
      continue;
    }
    if (onBadRow === "error") {
      throw new InputError(
        where(i),
        problem.value,
        problem.message,
        'Correct the row, or pass onBadRow: "drop-and-report".',
      );
    }
    anomalies.push({
      kind: problem.kind,
      row: line(i),
      timeMs: t,
      message: problem.kind === "invalid-rate" ? "no finite funding rate" : problem.message,
      action: "dropped",
    });
  }
  const goodRows = good.subarray(0, goodCount);

  refuseImplausibleRates(rate, goodRows, context, where);

  // Out of order: the rows outside one longest non-decreasing run of times (the fewest rows whose
  // removal leaves the source in order), so one row that jumps ahead is the one reported.
  const goodTime = gather(time, goodRows);
  const misplaced = misplacedRows(goodTime, false);
  for (let p = 0; p < goodCount; p++) {
    if (misplaced[p] === 0) continue;
    const i = goodRows[p] as number;
    if (onOutOfOrder === "error") {
      throw new InputError(
        where(i),
        time[i],
        "is out of time order",
        'Sort the source, or pass onOutOfOrder: "sort-and-report".',
      );
    }
    anomalies.push({
      kind: "out-of-order",
      row: line(i),
      timeMs: time[i] as number,
      message: "time is out of the source's ascending order",
      action: "reordered",
    });
  }
  const kept = onePerTime(
    goodTime,
    onDuplicate,
    (first, second) => {
      const i = goodRows[second] as number;
      throw new InputError(
        where(i),
        time[i],
        `repeats the time of row ${line(goodRows[first] as number)}`,
        'Remove it, or pass onDuplicate: "keep-first" or "keep-last".',
      );
    },
    (p, keep) => {
      const [i, j] = [goodRows[p] as number, goodRows[keep] as number];
      const same = rate[i] === rate[j] && Object.is(mark[i], mark[j]);
      anomalies.push({
        kind: "duplicate",
        row: line(i),
        timeMs: time[i] as number,
        message: `same time as row ${line(j)}, which is kept (${onDuplicate}); values ${same ? "identical" : "differ"}`,
        action: "dropped",
      });
    },
  );
  // From positions among the good rows to indices into the columns.
  for (let k = 0; k < kept.length; k++) kept[k] = goodRows[kept[k] as number] as number;

  const keptTime = gather(time, kept);
  const stepMs = context.stepHours * HOUR_MS;
  const origin = keptTime[0] ?? 0;
  let previousSlot = 0;
  for (let k = 1; k < kept.length; k++) {
    const t = keptTime[k] as number;
    const slot = Math.round((t - origin) / stepMs);
    if (Math.abs(t - origin - slot * stepMs) > tolerance) {
      anomalies.push({
        kind: "off-grid",
        row: line(kept[k] as number),
        timeMs: t,
        message: `time is more than ${tolerance} ms from the ${context.stepHours} h grid of the first row`,
        action: "reported",
      });
    }
    const missingRows = slot - previousSlot - 1;
    if (missingRows > 0) {
      anomalies.push({
        kind: "gap",
        row: line(kept[k] as number),
        timeMs: t,
        message: `${missingRows} row${missingRows === 1 ? "" : "s"} of ${context.stepHours} h missing before this one`,
        action: "reported",
        missingRows,
      });
    }
    previousSlot = slot;
  }

  const series: FundingSeries = {
    symbol: context.symbol,
    intervalHours: context.intervalHours,
    stepHours: context.stepHours,
    time: keptTime,
    rate: gather(rate, kept),
    markPrice: gather(mark, kept),
    indexPrice: gather(rows.index, kept),
  };
  return {
    series,
    report: {
      source,
      format: context.format,
      rateUnit: context.rateUnit,
      rows: n,
      kept: kept.length,
      anomalies,
    },
  };
}

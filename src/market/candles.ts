/**
 * Candle (OHLCV) series and their loaders.
 *
 * A series is held column-wise in `Float64Array`s in ascending UTC time, one bar per entry, with
 * its symbol and bar interval. The loaders read the formats of the bundled files under
 * `data/ohlcv/` as they are (see `data/ohlcv/PROVENANCE.md`) and ccxt's OHLCV arrays, and they never
 * drop a row silently: every anomaly is listed, with its row, in the load report, and what happens
 * to it is set by an explicit policy.
 */
import { InputError } from "../errors.js";
import { readArray, readNumber, readString } from "../validate.js";
import { ColumnStore, gather } from "./columns.js";
import { type CsvText, expectedRecords, forEachCsvRecord } from "./csv-table.js";
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

/** A candle series: parallel arrays in ascending time, one entry per bar. */
export interface CandleSeries {
  /** Market symbol as the source names it (`BTCUSDT`, `BTC/USDT:USDT`). */
  readonly symbol: string;
  /** Bar length in milliseconds (86,400,000 daily, 3,600,000 hourly). */
  readonly intervalMs: number;
  /** Bar open time, milliseconds since the Unix epoch (UTC), strictly ascending. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Traded volume in the base asset. */
  readonly volume: Float64Array;
}

/** The formats the loaders recognise. */
export type CandleFormat = "cryptodatadownload" | "binance-vision" | "csv" | "ccxt";

/** How a time cell was written: epoch seconds, milliseconds, microseconds, or an ISO 8601 text. */
export type TimeUnit = "s" | "ms" | "us" | "iso";

export type { BadRowPolicy, DuplicatePolicy, OutOfOrderPolicy } from "./row-order.js";

/** Options shared by all loaders. */
export interface CandleLoadOptions {
  /** Symbol of the series; required when the source does not carry one (no `Symbol` column, ccxt). */
  readonly symbol?: string;
  /** Bar interval in ms; by default the most frequent step between consecutive bars. */
  readonly intervalMs?: number;
  /** Default `"error"`: the first bad row throws an {@link InputError}. */
  readonly onBadRow?: BadRowPolicy;
  /** Default `"error"`: a repeated time throws an {@link InputError} naming both rows. */
  readonly onDuplicate?: DuplicatePolicy;
  /** Default `"sort-and-report"`: rows are put in time order and each misplaced row is reported. */
  readonly onOutOfOrder?: OutOfOrderPolicy;
}

/** The kinds of anomaly a load can report. */
export type CandleAnomalyKind =
  | "implausible-time"
  | "non-finite-price"
  | "non-positive-price"
  | "high-below-open-close"
  | "low-above-open-close"
  | "invalid-volume"
  | "duplicate"
  | "out-of-order"
  | "gap"
  | "off-grid";

/** One anomaly found while loading. */
export interface CandleAnomaly {
  readonly kind: CandleAnomalyKind;
  /**
   * Where it is: the 1-based line number in a text file (banner and header count), or the 0-based
   * index in a ccxt array. For a gap, the row of the first bar after the missing ones.
   */
  readonly row: number;
  /** The column at fault, where one is. */
  readonly column?: string;
  /** The row's bar time (ms UTC). */
  readonly timeMs: number;
  /** What is wrong, in words. */
  readonly message: string;
  /** What the loader did: dropped the row, moved it into time order, or only reported it. */
  readonly action: "dropped" | "reordered" | "reported";
  /** For a gap: the number of bars missing. */
  readonly missingBars?: number;
}

/** What a load found and did. */
export interface CandleLoadReport {
  /** The file path, or the name given to an in-memory source. */
  readonly source: string;
  readonly format: CandleFormat;
  /** The time order of the source's rows (CryptoDataDownload exports are newest-first). */
  readonly sourceOrder: "ascending" | "descending";
  /** How the source wrote its times (several when a file mixes them, e.g. ms and µs). */
  readonly timeUnits: readonly TimeUnit[];
  /** Data rows read. */
  readonly rows: number;
  /** Bars in the series. */
  readonly bars: number;
  readonly anomalies: readonly CandleAnomaly[];
}

/** A loaded series with its report. */
export interface LoadedCandles {
  readonly series: CandleSeries;
  readonly report: CandleLoadReport;
}

/**
 * Candles a workflow runs on: the loaded file (its report counts the anomalies), the bars kept
 * (e.g. cut to a date range with {@link sliceByTime}) and the path or name they came from.
 */
export interface CandleSelection {
  readonly loaded: LoadedCandles;
  readonly series: CandleSeries;
  readonly path: string;
}

/** The six fields of a bar, in ccxt's order. */
const FIELDS = ["time", "open", "high", "low", "close", "volume"] as const;
const TIME = 0;
const VOLUME = 5;

/**
 * A source's rows before checks, column-wise: the six fields of {@link FIELDS} in a
 * {@link ColumnStore} (48 bytes a row), the row numbers (line in a text file, index in a ccxt
 * array), and the source's own cells of the rows with a problem ({@link rowProblem}), by their
 * index in the store, for an error or a report to quote.
 */
interface SourceRows {
  readonly store: ColumnStore;
  readonly lines: RowNumbers;
  readonly quoted: Map<number, readonly unknown[]>;
}

/** An empty {@link SourceRows} with room for `capacity` rows before it grows (the store's default when omitted). */
function sourceRows(capacity?: number): SourceRows {
  return { store: new ColumnStore(FIELDS.length, capacity), lines: new RowNumbers(), quoted: new Map() };
}

/** Appends a row: its six `values` (in {@link FIELDS} order), its `row` number, and `cells` when it has a problem. */
function addRow(rows: SourceRows, row: number, values: readonly number[], cells: readonly unknown[]): void {
  if (rowProblem(values) !== undefined) rows.quoted.set(rows.store.length, cells);
  rows.store.push(values);
  rows.lines.push(row);
}

/** How a source names its rows and columns in reports and errors. */
interface SourceContext {
  readonly source: string;
  readonly format: CandleFormat;
  readonly symbol: string;
  /** Column label of each field, in {@link FIELDS} order. */
  readonly columns: readonly string[];
  /** The `field` of an {@link InputError} for a cell. */
  readonly locate: (row: number, field: number) => string;
  /** The value an error quotes for a good row's time `timeMs` (its cell is not kept). */
  readonly timeValue: (timeMs: number) => unknown;
  readonly timeUnits: readonly TimeUnit[];
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

const BAD_ROW_FIX =
  'Correct the row, or pass onBadRow: "drop-and-report" to drop it and list it in the report.';

/**
 * Reads a candle file: a CSV in one of the layouts of {@link parseCandleCsv}, parsed in chunks (a
 * large file does not have to fit in memory as text), or a JSON file of ccxt/freqtrade OHLCV rows
 * `[[time_ms, open, high, low, close, volume], …]` ({@link candlesFromCcxt}; freqtrade's `json`
 * data format writes these rows). Errors (unreadable file, unknown layout, unparseable time) are
 * {@link InputError}s naming the file, the row and the column.
 *
 * @example
 * const { series, report } = readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv");
 * series.time.length; // 3142 daily bars, ascending; report.anomalies lists the 4 gaps of 2026
 */
export function readCandleFile(path: string, options: CandleLoadOptions = {}): LoadedCandles {
  const { head, bytes, chunks } = peekDataChunks(path, {
    field: path,
    fix: "Pass the path of a readable CSV or JSON candle file.",
  });
  if (isJsonArray(head)) {
    const rows = parseJsonText(chunks, path, "Pass ccxt/freqtrade OHLCV rows [[time_ms, o, h, l, c, v], …].");
    return candlesFromCcxt(rows, { ...options, source: path });
  }
  return candlesFromCsv(chunks, path, options, expectedRecords(head, bytes));
}

/** The columns of a Binance Vision kline file, in order (its header when it has one). */
const BINANCE_VISION_COLUMNS = [
  "open_time",
  "open",
  "high",
  "low",
  "close",
  "volume",
  "close_time",
  "quote_volume",
  "count",
  "taker_buy_volume",
  "taker_buy_quote_volume",
  "ignore",
] as const;

/** Names of a time column, in order of preference when a header has several. */
const TIME_COLUMNS = ["unix", "open_time_ms", "open_time", "timestamp", "date"] as const;

/** Names of a symbol column. */
const SYMBOL_COLUMNS = ["symbol", "ticker"] as const;

const CDD_BANNER = /^https?:\/\/(www\.)?cryptodatadownload\.com/i;

const EXPECTED_COLUMNS =
  "a time column (one of unix, open_time_ms, open_time, timestamp, date), open, high, low, close and " +
  "volume (or Volume <base>), in any order; or a Binance Vision kline file with or without its header";

/** Where each field of a bar is in a CSV, and what the file is. */
interface CsvLayout {
  readonly format: CandleFormat;
  /** Column labels as the file spells them (Binance Vision's names when it has no header). */
  readonly header: readonly string[];
  /** Column of each field, in {@link FIELDS} order. */
  readonly indexes: readonly number[];
  readonly symbolIndex: number;
  /** The header line, or 0 when the file has none. */
  readonly headerRow: number;
}

/** The layout of a CSV from its header record (or its first data row when it has no header). */
function csvLayout(cells: readonly string[], line: number, source: string, banner: boolean): CsvLayout {
  const refuse = (problem: string): never => {
    throw new InputError(`${source} row ${line}`, cells.join(","), problem, `Use ${EXPECTED_COLUMNS}.`);
  };
  if (cells.every((c) => c !== "" && Number.isFinite(Number(c)))) {
    if (cells.length !== BINANCE_VISION_COLUMNS.length)
      refuse(
        `has no header, and ${cells.length} numbers where a Binance Vision kline row has ${BINANCE_VISION_COLUMNS.length}`,
      );
    return {
      format: "binance-vision",
      header: BINANCE_VISION_COLUMNS,
      indexes: [0, 1, 2, 3, 4, 5],
      symbolIndex: -1,
      headerRow: 0,
    };
  }
  const names = cells.map((h) => h.toLowerCase());
  const time = TIME_COLUMNS.map((n) => names.indexOf(n)).find((i) => i >= 0);
  if (time === undefined) refuse("has no time column");
  const column = (name: string) => {
    const i = names.indexOf(name);
    return i >= 0 ? i : refuse(`has no "${name}" column`);
  };
  const exactVolume = names.indexOf("volume");
  const volume = exactVolume >= 0 ? exactVolume : names.findIndex((n) => n.startsWith("volume "));
  if (volume < 0) refuse('has no "volume" column');
  const visionHeader = BINANCE_VISION_COLUMNS.every((n, i) => names[i] === n);
  return {
    format: banner ? "cryptodatadownload" : visionHeader ? "binance-vision" : "csv",
    header: cells,
    indexes: [time as number, column("open"), column("high"), column("low"), column("close"), volume],
    symbolIndex: SYMBOL_COLUMNS.map((n) => names.indexOf(n)).find((i) => i >= 0) ?? -1,
    headerRow: line,
  };
}

/**
 * Parses candle CSV text (a string, or its chunks in order: see {@link forEachCsvRecord} for
 * quoting, byte-order mark, line ends and the `,`/`;`/tab delimiter). The layout is detected from
 * the header; an unknown header is refused naming the columns expected:
 * - CryptoDataDownload export: line 1 is the banner `https://www.CryptoDataDownload.com`, line 2 the
 *   header `Unix,Date,Symbol,Open,High,Low,Close,Volume <base>,Volume <quote>,tradecount`, rows
 *   newest-first; the volume is the first `Volume …` column (the base asset).
 * - Binance Vision klines (https://github.com/binance/binance-public-data, "Klines"): the 12 columns
 *   `open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,
 *   taker_buy_quote_volume,ignore`, with that header or without any (a first row of 12 numbers).
 * - any CSV with a time column (`unix`, `open_time_ms`, `open_time`, `timestamp` or `date`, the
 *   first of these present) and `open`, `high`, `low`, `close`, `volume` in any order.
 * Column names match case-insensitively. A time cell is either an epoch number, whose unit is read
 * from its magnitude (below 10¹¹ seconds, below 10¹⁴ milliseconds, else microseconds: Binance
 * Vision spot files are in µs from 2025), or an ISO 8601 date-time ({@link parseIsoUtc}; without an
 * offset, UTC); the units met are listed in the report (`timeUnits`). The symbol comes from
 * `options.symbol`, else from a `Symbol` or `ticker` column.
 *
 * @param source the file name used in reports and errors.
 */
export function parseCandleCsv(
  text: CsvText,
  source: string,
  options: CandleLoadOptions = {},
): LoadedCandles {
  return candlesFromCsv(text, source, options);
}

/** {@link parseCandleCsv}, its row store sized for `expectedRows` rows when a caller knows about how many are coming. */
function candlesFromCsv(
  text: CsvText,
  source: string,
  options: CandleLoadOptions,
  expectedRows?: number,
): LoadedCandles {
  let layout: CsvLayout | undefined;
  let banner = false;
  let fileSymbol: string | undefined;
  const units = new Set<TimeUnit>();
  const rows = sourceRows(expectedRows);
  const locate = (row: number, field: number) =>
    `${source} row ${row}, column ${layout?.header[layout.indexes[field] as number]}`;
  forEachCsvRecord(
    text,
    (line) => `${source} row ${line}`,
    (cells, row) => {
      if (layout === undefined) {
        if (!banner && cells.length === 1 && CDD_BANNER.test(cells[0] as string)) {
          banner = true;
          return;
        }
        layout = csvLayout(cells, row, source, banner);
        if (layout.headerRow !== 0) return;
      }
      if (cells.length !== layout.header.length) {
        throw new InputError(
          `${source} row ${row}`,
          cells.join(","),
          `has ${cells.length} fields but the header has ${layout.header.length}`,
          "Give every row one value per header column.",
        );
      }
      const raw = layout.indexes.map((c) => cells[c] as string);
      const timeText = raw[TIME] as string;
      const time = parseTimeCell(timeText);
      if (time === undefined) {
        throw new InputError(
          locate(row, TIME),
          timeText,
          "is neither an epoch time nor an ISO 8601 date-time",
          "Use epoch seconds, milliseconds or microseconds, or a time such as 2024-01-31T08:00:00Z (no offset means UTC).",
        );
      }
      units.add(time.unit);
      if (layout.symbolIndex >= 0) fileSymbol ??= cells[layout.symbolIndex];
      addRow(
        rows,
        row,
        raw.map((cell, k) => (k === TIME ? time.ms : parseCell(cell))),
        raw,
      );
    },
  );
  if (layout === undefined) {
    throw new InputError(source, "", "has no header line", `Pass a CSV file with ${EXPECTED_COLUMNS}.`);
  }
  const found = layout;
  const context: SourceContext = {
    source,
    format: found.format,
    symbol: resolveSymbol(options.symbol ?? fileSymbol, source),
    columns: found.indexes.map((c) => found.header[c] as string),
    locate,
    timeValue: (timeMs) => new Date(timeMs).toISOString(),
    timeUnits: [...units],
  };
  return assemble(rows, context, options);
}

/**
 * Builds a series from ccxt's `fetchOHLCV` result, `[[timestamp_ms, open, high, low, close, volume], …]`
 * (https://docs.ccxt.com/#/?id=ohlcv-candlestick-charts). A `null` price or volume counts as a bad
 * row; a timestamp that is not a finite number, or a row that is not a six-element array, throws;
 * so do rows that are all freqtrade funding-rate rows (`[time, rate, 0, 0, 0, 0]`).
 *
 * @param source the name used in reports and errors (default `"ohlcv"`).
 */
export function candlesFromCcxt(
  ohlcv: unknown,
  options: CandleLoadOptions & { readonly source?: string },
): LoadedCandles {
  const source = options.source ?? "ohlcv";
  const locate = (row: number, field: number) => `${source}[${row}][${field}]`;
  const entries = readArray(ohlcv, source, "Pass ccxt's OHLCV array of [timestamp, o, h, l, c, v] rows.");
  const rows = sourceRows(Math.max(1, entries.length));
  let allFunding = true;
  entries.forEach((entry, row) => {
    const raw = readArray(entry, `${source}[${row}]`, "Each row is [timestamp, o, h, l, c, v].");
    if (raw.length !== FIELDS.length) {
      throw new InputError(
        `${source}[${row}]`,
        entry,
        `has ${raw.length} elements`,
        "Each row is [timestamp, open, high, low, close, volume].",
      );
    }
    const time = readNumber(raw[TIME], locate(row, TIME), { fix: "Use the bar open time in epoch ms." });
    const values = raw.slice(1).map((v, k) => {
      if (typeof v === "number") return v;
      if (v === null || v === undefined) return Number.NaN;
      throw new InputError(locate(row, k + 1), v, "must be a number or null", "Pass numbers, as ccxt does.");
    });
    allFunding &&= values.slice(1).every((v) => v === 0);
    addRow(rows, row, [time, ...values], raw);
  });
  if (entries.length > 0 && allFunding) {
    throw new InputError(
      source,
      entries[0],
      "holds funding-rate rows (a rate in the open, zeros for high, low, close and volume, as freqtrade saves funding), not prices",
      "Pass this file as a funding file (--funding), and OHLCV candles as --candles.",
    );
  }
  const context: SourceContext = {
    source,
    format: "ccxt",
    symbol: resolveSymbol(options.symbol, source),
    columns: FIELDS.map((_, k) => `[${k}]`),
    locate,
    timeValue: (timeMs) => timeMs,
    timeUnits: ["ms"],
  };
  return assemble(rows, context, options);
}

/**
 * Index of the first bar whose open time is at or after `timeMs` (the series length when none is):
 * a binary search over `series.time`.
 */
export function barIndex(series: CandleSeries, timeMs: number): number {
  return firstIndexAtOrAfter(series.time, timeMs);
}

/**
 * The bars with `fromMs ≤ time < toMs` (open times, ms UTC). The arrays are views
 * (`subarray`) of the input's: no copy is made, and writes show through.
 */
export function sliceByTime(series: CandleSeries, fromMs: number, toMs: number): CandleSeries {
  readNumber(fromMs, "fromMs", { fix: "Pass a time in epoch ms." });
  readNumber(toMs, "toMs", {
    min: fromMs,
    fix: "Pass an end time at or after fromMs (the end is excluded).",
  });
  const a = barIndex(series, fromMs);
  const b = barIndex(series, toMs);
  return {
    symbol: series.symbol,
    intervalMs: series.intervalMs,
    time: series.time.subarray(a, b),
    open: series.open.subarray(a, b),
    high: series.high.subarray(a, b),
    low: series.low.subarray(a, b),
    close: series.close.subarray(a, b),
    volume: series.volume.subarray(a, b),
  };
}

/**
 * Parses an ISO 8601 date or date-time to epoch ms; `NaN` when it is not one. Accepts
 * `YYYY-MM-DD`, and `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` with an optional `Z` or `±HH[:]MM` offset;
 * without an offset the time is UTC. Calendar fields are range-checked (no 2024-02-30).
 */
export function parseIsoUtc(text: string): number {
  const m = ISO_DATE_TIME.exec(text.trim());
  if (m === null) return Number.NaN;
  const field = (k: number) => Number(m[k] ?? 0);
  const [year, month, day, hour, minute, second] = [
    field(1),
    field(2),
    field(3),
    field(4),
    field(5),
    field(6),
  ];
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (day > 28 && new Date(utc).getUTCDate() !== day) return Number.NaN;
  const offsetMinutes = m[9] === undefined ? 0 : (m[9] === "-" ? -1 : 1) * (field(10) * 60 + field(11));
  return utc - offsetMinutes * 60_000;
}

/** Epoch magnitudes: below 10¹¹ a time is in seconds, below 10¹⁴ in ms, else in µs (all plausible dates are far from both bounds). */
const SECONDS_BELOW = 1e11;
const MILLISECONDS_BELOW = 1e14;

/**
 * A time cell in ms with the unit it was written in: an epoch number (unit from its magnitude, see
 * {@link SECONDS_BELOW}) or an ISO 8601 date-time; `undefined` when it is neither.
 */
export function parseTimeCell(text: string): { ms: number; unit: TimeUnit } | undefined {
  if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(text)) {
    const x = Number(text);
    const size = Math.abs(x);
    if (size < SECONDS_BELOW) return { ms: x * 1000, unit: "s" };
    if (size < MILLISECONDS_BELOW) return { ms: x, unit: "ms" };
    return { ms: x / 1000, unit: "us" };
  }
  const ms = parseIsoUtc(text);
  return Number.isFinite(ms) ? { ms, unit: "iso" } : undefined;
}

/** A numeric cell; empty or non-numeric text is `NaN` (never 0, as `Number("")` would give). */
function parseCell(text: unknown): number {
  const s = String(text).trim();
  return s === "" ? Number.NaN : Number(s);
}

function resolveSymbol(symbol: unknown, source: string): string {
  if (symbol === undefined) {
    throw new InputError(
      "symbol",
      symbol,
      `is not in ${source}`,
      'Pass options.symbol, e.g. "BTCUSDT", when the source has no Symbol column.',
    );
  }
  return readString(symbol, "symbol");
}

/**
 * The first problem of a row's values, if any: a plausible time ({@link implausibleTimeProblem}),
 * prices finite and positive, OHLC consistent, volume ≥ 0.
 */
function rowProblem(
  values: ArrayLike<number>,
): { kind: CandleAnomalyKind; field: number; message: string } | undefined {
  const timeProblem = implausibleTimeProblem(values[TIME] as number);
  if (timeProblem !== undefined) return { kind: "implausible-time", field: TIME, message: timeProblem };
  for (let k = 1; k <= 4; k++) {
    const x = values[k] as number;
    if (!Number.isFinite(x))
      return { kind: "non-finite-price", field: k, message: `${FIELDS[k]} is not a finite number` };
    if (x <= 0) return { kind: "non-positive-price", field: k, message: `${FIELDS[k]} ${x} is not positive` };
  }
  const open = values[1] as number;
  const high = values[2] as number;
  const low = values[3] as number;
  const close = values[4] as number;
  const volume = values[VOLUME] as number;
  if (high < Math.max(open, close)) {
    return {
      kind: "high-below-open-close",
      field: 2,
      message: `high ${high} is below max(open, close) = ${Math.max(open, close)}`,
    };
  }
  if (low > Math.min(open, close)) {
    return {
      kind: "low-above-open-close",
      field: 3,
      message: `low ${low} is above min(open, close) = ${Math.min(open, close)}`,
    };
  }
  if (!(Number.isFinite(volume) && volume >= 0)) {
    return { kind: "invalid-volume", field: VOLUME, message: `volume ${volume} is not a finite number ≥ 0` };
  }
  return undefined;
}

/**
 * Checks, orders, de-duplicates and grids the rows of any source; builds the series and the report.
 * Runs on the rows' columns and on indices into them (no object per row): the bad rows are left
 * out of `good` (indices into the columns), the policies run on the good rows' times, and the
 * series gathers the rows kept; a source kept whole and in order becomes the series without a copy.
 */
function assemble(rows: SourceRows, context: SourceContext, options: CandleLoadOptions): LoadedCandles {
  const { onBadRow, onDuplicate, onOutOfOrder } = readRowPolicies(options, "error");
  const anomalies: CandleAnomaly[] = [];
  const report = (a: CandleAnomaly) => anomalies.push(a);
  const n = rows.store.length;
  const columns = FIELDS.map((_, k) => rows.store.column(k));
  const time = columns[TIME] as Float64Array;
  const line = (i: number) => rows.lines.at(i);
  const timeColumn = context.columns[TIME] as string;

  const good = new Int32Array(n);
  let goodCount = 0;
  const values = new Float64Array(FIELDS.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < FIELDS.length; k++) values[k] = (columns[k] as Float64Array)[i] as number;
    const problem = rowProblem(values);
    if (problem === undefined) {
      good[goodCount++] = i;
      continue;
    }
    if (onBadRow === "error") {
      const raw = rows.quoted.get(i);
      throw new InputError(
        context.locate(line(i), problem.field),
        raw !== undefined ? raw[problem.field] : values[problem.field],
        problem.message,
        BAD_ROW_FIX,
      );
    }
    report({
      kind: problem.kind,
      row: line(i),
      column: context.columns[problem.field] as string,
      timeMs: time[i] as number,
      message: problem.message,
      action: "dropped",
    });
  }
  const goodRows = good.subarray(0, goodCount);
  const goodTime = gather(time, goodRows);
  /** Line (or index) of the good row at position `p`, and its time as an error quotes it. */
  const lineAt = (p: number) => line(goodRows[p] as number);
  const quoteTime = (p: number) => context.timeValue(goodTime[p] as number);

  let up = 0;
  let down = 0;
  for (let p = 1; p < goodCount; p++) {
    const d = (goodTime[p] as number) - (goodTime[p - 1] as number);
    if (d > 0) up++;
    else if (d < 0) down++;
  }
  const descending = down > up;
  const direction = descending ? "newest-first" : "oldest-first";
  const misplaced = misplacedRows(goodTime, descending);
  for (let p = 0; p < goodCount; p++) {
    if (misplaced[p] === 0) continue;
    const message = `time is out of the source's ${direction} order`;
    if (onOutOfOrder === "error") {
      throw new InputError(
        context.locate(lineAt(p), TIME),
        quoteTime(p),
        message,
        'Sort the source, or pass onOutOfOrder: "sort-and-report".',
      );
    }
    report({
      kind: "out-of-order",
      row: lineAt(p),
      column: timeColumn,
      timeMs: goodTime[p] as number,
      message,
      action: "reordered",
    });
  }

  const kept = onePerTime(
    goodTime,
    onDuplicate,
    (first, second) => {
      throw new InputError(
        context.locate(lineAt(second), TIME),
        quoteTime(second),
        `repeats the time of row ${lineAt(first)}`,
        'Remove the duplicate, or pass onDuplicate: "keep-first" or "keep-last".',
      );
    },
    (p, keep) => {
      const [i, j] = [goodRows[p] as number, goodRows[keep] as number];
      const same = columns.every((c) => Object.is(c[i], c[j]));
      report({
        kind: "duplicate",
        row: line(i),
        column: timeColumn,
        timeMs: goodTime[p] as number,
        message: `same time as row ${line(j)}, which is kept (${onDuplicate}); values ${same ? "identical" : "differ"}`,
        action: "dropped",
      });
    },
  );
  // From positions among the good rows to indices into the columns.
  for (let i = 0; i < kept.length; i++) kept[i] = goodRows[kept[i] as number] as number;

  const keptTime = gather(time, kept);
  const intervalMs = resolveInterval(keptTime, options.intervalMs, context.source);
  const origin = kept.length > 0 ? (keptTime[0] as number) : 0;
  const slot = (t: number) => Math.floor((t - origin) / intervalMs);
  for (let i = 1; i < kept.length; i++) {
    const t = keptTime[i] as number;
    if ((t - origin) % intervalMs !== 0) {
      report({
        kind: "off-grid",
        row: line(kept[i] as number),
        column: timeColumn,
        timeMs: t,
        message: `time is not a whole number of ${intervalMs} ms intervals after the first bar`,
        action: "reported",
      });
    }
    const missingBars = slot(t) - slot(keptTime[i - 1] as number) - 1;
    if (missingBars > 0) {
      report({
        kind: "gap",
        row: line(kept[i] as number),
        column: timeColumn,
        timeMs: t,
        message: `${missingBars} bar${missingBars === 1 ? "" : "s"} missing before this one`,
        action: "reported",
        missingBars,
      });
    }
  }

  // Each column is released once gathered, so that a reordered source needs one column's worth more.
  const column = (k: number) => {
    const gathered = gather(columns[k] as Float64Array, kept);
    columns[k] = EMPTY;
    return gathered;
  };
  const series: CandleSeries = {
    symbol: context.symbol,
    intervalMs,
    time: keptTime,
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(VOLUME),
  };
  return {
    series,
    report: {
      source: context.source,
      format: context.format,
      timeUnits: context.timeUnits,
      sourceOrder: descending ? "descending" : "ascending",
      rows: n,
      bars: kept.length,
      anomalies,
    },
  };
}

const EMPTY = new Float64Array(0);

/** The given interval, or the most frequent step between consecutive bars (the smallest on a tie). */
function resolveInterval(times: ArrayLike<number>, given: number | undefined, source: string): number {
  if (given !== undefined) {
    return readNumber(given, "intervalMs", { min: 0, exclusiveMin: true, fix: "Pass the bar length in ms." });
  }
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] as number) - (times[i - 1] as number);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = Number.NaN;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  if (bestCount === 0) {
    throw new InputError(
      "intervalMs",
      undefined,
      `cannot be inferred from ${source}, which has fewer than two bars`,
      "Pass options.intervalMs.",
    );
  }
  return best;
}

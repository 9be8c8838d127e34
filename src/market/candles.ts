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
import { readDataFile } from "./data-file.js";
import {
  type BadRowPolicy,
  type DuplicatePolicy,
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
export type CandleFormat = "cryptodatadownload" | "csv" | "ccxt";

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

/** One source row before checks: parsed fields in {@link FIELDS} order plus the raw cells. */
interface RawRow {
  /** Line number (text) or array index (ccxt). */
  readonly row: number;
  readonly values: readonly number[];
  readonly raw: readonly unknown[];
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
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

const BAD_ROW_FIX =
  'Correct the row, or pass onBadRow: "drop-and-report" to drop it and list it in the report.';

/**
 * Reads a candle file: a CryptoDataDownload export or a plain CSV (see {@link parseCandleCsv}).
 * Errors (unreadable file, unknown layout, unparseable time) are {@link InputError}s naming the
 * file, the row and the column.
 *
 * @example
 * const { series, report } = readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv");
 * series.time.length; // 3142 daily bars, ascending; report.anomalies lists the 4 gaps of 2026
 */
export function readCandleFile(path: string, options: CandleLoadOptions = {}): LoadedCandles {
  const text = readDataFile(path, { field: path, fix: "Pass the path of a readable CSV file." });
  return parseCandleCsv(text, path, options);
}

/**
 * Parses candle CSV text. The layout is detected from the first lines:
 * - CryptoDataDownload export: line 1 is the banner `https://www.CryptoDataDownload.com`, line 2 the
 *   header `Unix,Date,Symbol,Open,High,Low,Close,Volume <base>,Volume <quote>,tradecount`, rows
 *   newest-first. The time is read from `Unix`, in ms, or in seconds when below 10¹¹ (older exports
 *   mix both, e.g. `1597622400.0`); the volume from the first `Volume …` column (the base asset).
 * - plain CSV with a `Date` column (`Date,Open,High,Low,Close,Volume`): ISO 8601 times
 *   (`2020-01-01 00:00:00+00:00`, `2020-01-01T00:00:00Z`, `2020-01-01`); without an offset, UTC.
 *   A `Unix` column, when present, is preferred to `Date`.
 * Column names match case-insensitively; fields are split on commas (no quoted fields). The symbol
 * comes from `options.symbol`, else from a `Symbol` column.
 *
 * @param source the file name used in reports and errors.
 */
export function parseCandleCsv(text: string, source: string, options: CandleLoadOptions = {}): LoadedCandles {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === "") lines.pop();
  const banner = /^https?:\/\/(www\.)?cryptodatadownload\.com/i.test((lines[0] ?? "").trim());
  const headerIndex = banner ? 1 : 0;
  const headerLine = lines[headerIndex];
  if (headerLine === undefined) {
    throw new InputError(source, text.slice(0, 80), "has no header line", "Pass a CSV file with a header.");
  }
  const header = splitCells(headerLine);
  const names = header.map((h) => h.toLowerCase());
  const headerRow = headerIndex + 1;
  const missing = (what: string): never => {
    throw new InputError(
      `${source} row ${headerRow}`,
      headerLine,
      `has no ${what} column`,
      "Use a header with Unix or Date, Open, High, Low, Close and Volume columns.",
    );
  };
  const unix = names.indexOf("unix");
  const timeIndex = unix >= 0 ? unix : names.indexOf("date");
  if (timeIndex < 0) missing('"Unix" or "Date"');
  const column = (name: string) => {
    const i = names.indexOf(name);
    return i >= 0 ? i : missing(`"${name}"`);
  };
  const exactVolume = names.indexOf("volume");
  const volumeIndex = exactVolume >= 0 ? exactVolume : names.findIndex((n) => n.startsWith("volume "));
  if (volumeIndex < 0) missing('"Volume"');
  const indexes = [timeIndex, column("open"), column("high"), column("low"), column("close"), volumeIndex];
  const locate = (row: number, field: number) =>
    `${source} row ${row}, column ${header[indexes[field] as number]}`;

  const rows: RawRow[] = [];
  const symbolIndex = names.indexOf("symbol");
  let fileSymbol: string | undefined;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    const row = i + 1;
    const cells = splitCells(line);
    if (cells.length !== header.length) {
      throw new InputError(
        `${source} row ${row}`,
        line,
        `has ${cells.length} fields but the header has ${header.length}`,
        "Give every row one value per header column.",
      );
    }
    const raw = indexes.map((c) => cells[c] as string);
    const timeText = raw[TIME] as string;
    const time = unix >= 0 ? parseUnixMs(timeText) : parseIsoUtc(timeText);
    if (!Number.isFinite(time)) {
      throw new InputError(
        locate(row, TIME),
        timeText,
        unix >= 0 ? "is not a Unix time" : "is not an ISO 8601 date-time",
        unix >= 0
          ? "Use epoch milliseconds (or seconds)."
          : "Use a time such as 2024-01-31T08:00:00Z (no offset means UTC).",
      );
    }
    if (symbolIndex >= 0 && fileSymbol === undefined) fileSymbol = cells[symbolIndex];
    rows.push({ row, values: raw.map((cell, k) => (k === TIME ? time : parseCell(cell))), raw });
  }
  const context: SourceContext = {
    source,
    format: banner ? "cryptodatadownload" : "csv",
    symbol: resolveSymbol(options.symbol ?? fileSymbol, source),
    columns: indexes.map((c) => header[c] as string),
    locate,
  };
  return assemble(rows, context, options);
}

/**
 * Builds a series from ccxt's `fetchOHLCV` result, `[[timestamp_ms, open, high, low, close, volume], …]`
 * (https://docs.ccxt.com/#/?id=ohlcv-candlestick-charts). A `null` price or volume counts as a bad
 * row; a timestamp that is not a finite number, or a row that is not a six-element array, throws.
 *
 * @param source the name used in reports and errors (default `"ohlcv"`).
 */
export function candlesFromCcxt(
  ohlcv: unknown,
  options: CandleLoadOptions & { readonly source?: string },
): LoadedCandles {
  const source = options.source ?? "ohlcv";
  const locate = (row: number, field: number) => `${source}[${row}][${field}]`;
  const rows = readArray(ohlcv, source, "Pass ccxt's OHLCV array of [timestamp, o, h, l, c, v] rows.").map(
    (entry, row): RawRow => {
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
        throw new InputError(
          locate(row, k + 1),
          v,
          "must be a number or null",
          "Pass numbers, as ccxt does.",
        );
      });
      return { row, values: [time, ...values], raw };
    },
  );
  const context: SourceContext = {
    source,
    format: "ccxt",
    symbol: resolveSymbol(options.symbol, source),
    columns: FIELDS.map((_, k) => `[${k}]`),
    locate,
  };
  return assemble(rows, context, options);
}

/**
 * Index of the first bar whose open time is at or after `timeMs` (the series length when none is):
 * a binary search over `series.time`.
 */
export function barIndex(series: CandleSeries, timeMs: number): number {
  let lo = 0;
  let hi = series.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((series.time[mid] as number) < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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

/** Epoch time from a `Unix` cell: milliseconds, or seconds when below 10¹¹ (before 1973 in ms). */
function parseUnixMs(text: string): number {
  const x = parseCell(text);
  return Math.abs(x) < 1e11 ? x * 1000 : x;
}

/** A numeric cell; empty or non-numeric text is `NaN` (never 0, as `Number("")` would give). */
function parseCell(text: unknown): number {
  const s = String(text).trim();
  return s === "" ? Number.NaN : Number(s);
}

function splitCells(line: string): string[] {
  return line.split(",").map((c) => c.trim());
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
  values: readonly number[],
): { kind: CandleAnomalyKind; field: number; message: string } | undefined {
  const timeProblem = implausibleTimeProblem(values[TIME] as number);
  if (timeProblem !== undefined) return { kind: "implausible-time", field: TIME, message: timeProblem };
  for (let k = 1; k <= 4; k++) {
    const x = values[k] as number;
    if (!Number.isFinite(x))
      return { kind: "non-finite-price", field: k, message: `${FIELDS[k]} is not a finite number` };
    if (x <= 0) return { kind: "non-positive-price", field: k, message: `${FIELDS[k]} ${x} is not positive` };
  }
  const [, open, high, low, close, volume] = values as [number, number, number, number, number, number];
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

/** Checks, orders, de-duplicates and grids the rows of any source; builds the series and the report. */
function assemble(
  rows: readonly RawRow[],
  context: SourceContext,
  options: CandleLoadOptions,
): LoadedCandles {
  const { onBadRow, onDuplicate, onOutOfOrder } = readRowPolicies(options, "error");
  const anomalies: CandleAnomaly[] = [];
  const report = (a: CandleAnomaly) => anomalies.push(a);
  const timeOf = (r: RawRow) => r.values[TIME] as number;

  const good: RawRow[] = [];
  for (const r of rows) {
    const problem = rowProblem(r.values);
    if (problem === undefined) {
      good.push(r);
      continue;
    }
    if (onBadRow === "error") {
      throw new InputError(
        context.locate(r.row, problem.field),
        r.raw[problem.field],
        problem.message,
        BAD_ROW_FIX,
      );
    }
    report({
      kind: problem.kind,
      row: r.row,
      column: context.columns[problem.field] as string,
      timeMs: timeOf(r),
      message: problem.message,
      action: "dropped",
    });
  }

  let up = 0;
  let down = 0;
  for (let i = 1; i < good.length; i++) {
    const d = timeOf(good[i] as RawRow) - timeOf(good[i - 1] as RawRow);
    if (d > 0) up++;
    else if (d < 0) down++;
  }
  const descending = down > up;
  const direction = descending ? "newest-first" : "oldest-first";
  const misplaced = misplacedRows(good.map(timeOf), descending);
  good.forEach((r, i) => {
    if (!misplaced[i]) return;
    const message = `time is out of the source's ${direction} order`;
    if (onOutOfOrder === "error") {
      throw new InputError(
        context.locate(r.row, TIME),
        r.raw[TIME],
        message,
        'Sort the source, or pass onOutOfOrder: "sort-and-report".',
      );
    }
    report({
      kind: "out-of-order",
      row: r.row,
      column: context.columns[TIME] as string,
      timeMs: timeOf(r),
      message,
      action: "reordered",
    });
  });

  const kept = onePerTime(
    good,
    timeOf,
    onDuplicate,
    (a, b) => {
      throw new InputError(
        context.locate(b.row, TIME),
        b.raw[TIME],
        `repeats the time of row ${a.row}`,
        'Remove the duplicate, or pass onDuplicate: "keep-first" or "keep-last".',
      );
    },
    (r, keep) => {
      const same = r.values.every((v, k) => Object.is(v, keep.values[k]));
      report({
        kind: "duplicate",
        row: r.row,
        column: context.columns[TIME] as string,
        timeMs: timeOf(r),
        message: `same time as row ${keep.row}, which is kept (${onDuplicate}); values ${same ? "identical" : "differ"}`,
        action: "dropped",
      });
    },
  );

  const intervalMs = resolveInterval(kept.map(timeOf), options.intervalMs, context.source);
  const origin = kept.length > 0 ? timeOf(kept[0] as RawRow) : 0;
  const slot = (t: number) => Math.floor((t - origin) / intervalMs);
  for (let i = 1; i < kept.length; i++) {
    const r = kept[i] as RawRow;
    const t = timeOf(r);
    if ((t - origin) % intervalMs !== 0) {
      report({
        kind: "off-grid",
        row: r.row,
        column: context.columns[TIME] as string,
        timeMs: t,
        message: `time is not a whole number of ${intervalMs} ms intervals after the first bar`,
        action: "reported",
      });
    }
    const missingBars = slot(t) - slot(timeOf(kept[i - 1] as RawRow)) - 1;
    if (missingBars > 0) {
      report({
        kind: "gap",
        row: r.row,
        column: context.columns[TIME] as string,
        timeMs: t,
        message: `${missingBars} bar${missingBars === 1 ? "" : "s"} missing before this one`,
        action: "reported",
        missingBars,
      });
    }
  }

  const column = (k: number) => Float64Array.from(kept, (r) => r.values[k] as number);
  const series: CandleSeries = {
    symbol: context.symbol,
    intervalMs,
    time: column(0),
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
      sourceOrder: descending ? "descending" : "ascending",
      rows: rows.length,
      bars: kept.length,
      anomalies,
    },
  };
}

/** The given interval, or the most frequent step between consecutive bars (the smallest on a tie). */
function resolveInterval(times: readonly number[], given: number | undefined, source: string): number {
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

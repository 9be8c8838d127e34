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
import { parseIsoUtc } from "./candles.js";
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

/** The formats the loaders recognise. */
export type FundingFormat = "binance-8h-csv" | "daily-mean-csv" | "json-pairs" | "ccxt-history" | "ccxt-rate";

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
  /** Unit of the rate in a JSON pairs file: required there, because files differ (percent vs fraction). */
  readonly rateUnit?: "fraction" | "percent";
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

/** One row before checks. */
interface RawRow {
  readonly row: number;
  readonly time: number;
  readonly rate: number;
  readonly mark: number;
  readonly index: number;
}

/**
 * Reads a funding file: a CSV (layout detected from the header, see {@link parseFundingCsv}) or a
 * JSON file of `[[time_ms, rate], …]` pairs ({@link parseFundingPairs}, `options.rateUnit` required).
 *
 * @example
 * readFundingFile("data/funding/binance_btcusdt_funding-8h-percent_2022-11_2025-11.json", { rateUnit: "percent" });
 */
export function readFundingFile(path: string, options: FundingLoadOptions = {}): LoadedFunding {
  const text = readDataFile(path, { field: path, fix: "Pass the path of a readable funding file." });
  if (text.trimStart().startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(
        path,
        text.slice(0, 40),
        `is not valid JSON (${String(error)})`,
        "Pass a JSON array.",
      );
    }
    return parseFundingPairs(parsed, path, options);
  }
  return parseFundingCsv(text, path, options);
}

/**
 * Parses funding CSV text. Two layouts are recognised by their header:
 * - Binance 8-hourly with spot/perp opens: `Open Time` (`YYYY-MM-DD HH:MM:SS`, UTC, the funding
 *   time), `fundingRate` (fraction per 8 h), optional `markPrice` (empty → `NaN`); other columns
 *   (spot and perp opens, the source's cumulative sum) are not read.
 * - daily means: `date` (`YYYY-MM-DD`), `funding_mean` (mean of the day's 8-hourly rates, fraction
 *   per 8 h); `stepHours` 24, `intervalHours` 8.
 */
export function parseFundingCsv(
  text: string,
  source: string,
  options: FundingLoadOptions = {},
): LoadedFunding {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const names = header.map((h) => h.toLowerCase());
  const col = (name: string) => names.indexOf(name.toLowerCase());
  let format: FundingFormat;
  let timeCol: number;
  let rateCol: number;
  let stepHours: number;
  if (col("fundingRate") >= 0 && col("Open Time") >= 0) {
    format = "binance-8h-csv";
    timeCol = col("Open Time");
    rateCol = col("fundingRate");
    stepHours = options.intervalHours ?? 8;
  } else if (col("funding_mean") >= 0 && col("date") >= 0) {
    format = "daily-mean-csv";
    timeCol = col("date");
    rateCol = col("funding_mean");
    stepHours = 24;
  } else {
    throw new InputError(
      `${source} line 1`,
      lines[0],
      "is not a known funding header",
      'Use "Open Time,…,fundingRate[,markPrice]" or "date,funding_mean[,…]".',
    );
  }
  const markCol = col("markPrice");
  const rows: RawRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    const cells = line.split(",").map((c) => c.trim());
    const row = i + 1;
    if (cells.length !== header.length) {
      throw new InputError(
        `${source} line ${row}`,
        line,
        `has ${cells.length} fields but the header has ${header.length}`,
        "Give every row one value per header column.",
      );
    }
    const timeText = cells[timeCol] as string;
    const time = parseIsoUtc(timeText);
    if (!Number.isFinite(time)) {
      throw new InputError(
        `${source} line ${row}, column ${header[timeCol]}`,
        timeText,
        "is not a date-time",
        "Use YYYY-MM-DD HH:MM:SS (UTC).",
      );
    }
    rows.push({
      row,
      time,
      rate: cell(cells[rateCol]),
      mark: markCol >= 0 ? cell(cells[markCol]) : Number.NaN,
      index: Number.NaN,
    });
  }
  return assemble(rows, {
    source,
    format,
    symbol: options.symbol ?? "BTCUSDT",
    intervalHours: options.intervalHours ?? 8,
    stepHours,
    options,
  });
}

/**
 * Series from `[[time_ms, rate], …]` pairs, e.g. Binance `/fapi/v1/fundingRate` saved as pairs.
 * `options.rateUnit` must say whether the rates are fractions or **percent** (the bundled
 * `binance_btcusdt_funding-8h-percent_2022-11_2025-11.json` is in percent: 0.01 means 0.0001), and
 * `options.symbol` which market it is.
 */
function parseFundingPairs(pairs: unknown, source: string, options: FundingLoadOptions = {}): LoadedFunding {
  const unit = options.rateUnit;
  if (unit === undefined) {
    throw new InputError(
      "rateUnit",
      unit,
      `is required for ${source}: a [[time, rate]] file does not say whether its rates are percent`,
      'Pass rateUnit: "percent" (0.01 means 0.01 %) or "fraction" (0.0001 means 0.01 %).',
    );
  }
  readChoice(unit, "rateUnit", ["fraction", "percent"] as const);
  const scale = unit === "percent" ? 0.01 : 1;
  const rows = readArray(pairs, source, "Pass a JSON array of [time_ms, rate] pairs.").map(
    (entry, row): RawRow => {
      const pair = readArray(entry, `${source}[${row}]`, "Each entry is [time_ms, rate].");
      const time = readNumber(pair[0], `${source}[${row}][0]`, { fix: "Use the funding time in epoch ms." });
      const r = pair[1];
      return {
        row,
        time,
        rate: typeof r === "number" ? r * scale : Number.NaN,
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
  });
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
  const rows = readArray(history, source, "Pass ccxt's FundingRateHistory array.").map(
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
  const interval = options.intervalHours ?? 8;
  return assemble(rows, {
    source,
    format: "ccxt-history",
    symbol: symbol ?? "unknown",
    intervalHours: interval,
    stepHours: interval,
    options,
  });
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
  const rows = readArray(rates, source, "Pass an array of ccxt FundingRate structures.").map(
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
  const hours = interval ?? 8;
  return assemble(rows, {
    source,
    format: "ccxt-rate",
    symbol: symbol ?? "unknown",
    intervalHours: hours,
    stepHours: hours,
    options,
  });
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
}

/** Checks, orders, de-duplicates and grids the rows; builds the series and the report. */
function assemble(rows: readonly RawRow[], context: Context): LoadedFunding {
  const { options, source } = context;
  const { onBadRow, onDuplicate, onOutOfOrder } = readRowPolicies(options, "keep-first");
  const tolerance = readNumber(options.offGridToleranceMs ?? 60_000, "offGridToleranceMs", { min: 0 });
  readNumber(context.intervalHours, "intervalHours", { min: 0, exclusiveMin: true });
  const where = (r: RawRow) =>
    context.format.endsWith("csv") ? `${source} line ${r.row}` : `${source}[${r.row}]`;
  const anomalies: FundingAnomaly[] = [];

  const good: RawRow[] = [];
  for (const r of rows) {
    const timeProblem = implausibleTimeProblem(r.time);
    const problem =
      timeProblem !== undefined
        ? { kind: "implausible-time" as const, value: r.time, message: timeProblem }
        : Number.isFinite(r.rate)
          ? undefined
          : { kind: "invalid-rate" as const, value: r.rate, message: "has no finite funding rate" };
    if (problem === undefined) {
      good.push(r);
      continue;
    }
    if (onBadRow === "error") {
      throw new InputError(
        where(r),
        problem.value,
        problem.message,
        'Correct the row, or pass onBadRow: "drop-and-report".',
      );
    }
    anomalies.push({
      kind: problem.kind,
      row: r.row,
      timeMs: r.time,
      message: problem.kind === "invalid-rate" ? "no finite funding rate" : problem.message,
      action: "dropped",
    });
  }

  // Out of order: the rows outside one longest non-decreasing run of times (the fewest rows whose
  // removal leaves the source in order), so one row that jumps ahead is the one reported.
  const misplaced = misplacedRows(
    good.map((r) => r.time),
    false,
  );
  good.forEach((r, i) => {
    if (!misplaced[i]) return;
    if (onOutOfOrder === "error") {
      throw new InputError(
        where(r),
        r.time,
        "is out of time order",
        'Sort the source, or pass onOutOfOrder: "sort-and-report".',
      );
    }
    anomalies.push({
      kind: "out-of-order",
      row: r.row,
      timeMs: r.time,
      message: "time is out of the source's ascending order",
      action: "reordered",
    });
  });
  const kept = onePerTime(
    good,
    (r) => r.time,
    onDuplicate,
    (a, b) => {
      throw new InputError(
        where(b),
        b.time,
        `repeats the time of row ${a.row}`,
        'Remove it, or pass onDuplicate: "keep-first" or "keep-last".',
      );
    },
    (r, keep) => {
      const same = r.rate === keep.rate && Object.is(r.mark, keep.mark);
      anomalies.push({
        kind: "duplicate",
        row: r.row,
        timeMs: r.time,
        message: `same time as row ${keep.row}, which is kept (${onDuplicate}); values ${same ? "identical" : "differ"}`,
        action: "dropped",
      });
    },
  );

  const stepMs = context.stepHours * HOUR_MS;
  const origin = kept[0]?.time ?? 0;
  let previousSlot = 0;
  for (let i = 1; i < kept.length; i++) {
    const r = kept[i] as RawRow;
    const slot = Math.round((r.time - origin) / stepMs);
    if (Math.abs(r.time - origin - slot * stepMs) > tolerance) {
      anomalies.push({
        kind: "off-grid",
        row: r.row,
        timeMs: r.time,
        message: `time is more than ${tolerance} ms from the ${context.stepHours} h grid of the first row`,
        action: "reported",
      });
    }
    const missingRows = slot - previousSlot - 1;
    if (missingRows > 0) {
      anomalies.push({
        kind: "gap",
        row: r.row,
        timeMs: r.time,
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
    time: Float64Array.from(kept, (r) => r.time),
    rate: Float64Array.from(kept, (r) => r.rate),
    markPrice: Float64Array.from(kept, (r) => r.mark),
    indexPrice: Float64Array.from(kept, (r) => r.index),
  };
  return {
    series,
    report: { source, format: context.format, rows: rows.length, kept: kept.length, anomalies },
  };
}

/**
 * Binance `bookDepth` files: snapshots of an order book's cumulative depth within ±1 … ±5 % of a
 * reference price, about every 30 s (Binance Vision, `data/futures/um/daily/bookDepth/<SYMBOL>/`,
 * https://github.com/binance/binance-public-data). Each row is one band of one snapshot:
 * `timestamp` (or `timestamp_utc`), `percentage` (negative = bid bands, positive = ask bands),
 * `depth` (base asset, cumulative from the reference price out to the band's edge) and `notional`
 * (quote asset, cumulative). The loader holds the snapshots column-wise, one `Float64Array` per
 * side and band, and never drops a row silently: every anomaly is listed with its row.
 */
import { InputError } from "../errors.js";
import { parseTimeCell } from "./candles.js";
import { ColumnStore } from "./columns.js";
import { type CsvText, forEachCsvRecord } from "./csv-table.js";
import { peekDataChunks } from "./data-file.js";
import { RowNumbers } from "./row-numbers.js";
import { implausibleTimeProblem } from "./row-order.js";

/** Snapshots of cumulative depth, in ascending time; band `k` (0-based) is `bands[k]` percent. */
export interface BookDepthSnapshots {
  /** Snapshot times, ms UTC, strictly ascending. */
  readonly time: Float64Array;
  /** The band edges in percent of the reference price, ascending (1 … 5 for Binance). */
  readonly bands: readonly number[];
  /** `bidDepth[k][i]`: cumulative bid depth (base) within `bands[k]` % below the reference, snapshot `i`. */
  readonly bidDepth: readonly Float64Array[];
  /** Cumulative bid notional (quote) within `bands[k]` %. */
  readonly bidNotional: readonly Float64Array[];
  /** Cumulative ask depth (base) within `bands[k]` % above the reference. */
  readonly askDepth: readonly Float64Array[];
  /** Cumulative ask notional (quote) within `bands[k]` %. */
  readonly askNotional: readonly Float64Array[];
}

/** The kinds of anomaly a load reports. */
export type BookDepthAnomalyKind =
  | "bad-value"
  | "incomplete-snapshot"
  | "not-cumulative"
  | "crossed-bands"
  | "gap";

/**
 * One anomaly: where (the 1-based line, header = 1, of the row at fault or of the snapshot's first
 * row; for a gap, of the first snapshot after it), the snapshot's time, what, and what was done.
 */
export interface BookDepthAnomaly {
  readonly kind: BookDepthAnomalyKind;
  readonly row: number;
  readonly timeMs: number;
  readonly message: string;
  readonly action: "dropped" | "reported";
}

/** What a load found. */
export interface BookDepthLoadReport {
  readonly source: string;
  /** Data rows read. */
  readonly rows: number;
  readonly snapshots: number;
  /** Median step between snapshots, ms. */
  readonly intervalMs: number;
  readonly anomalies: readonly BookDepthAnomaly[];
}

/** Loaded snapshots with the load's report. */
export interface LoadedBookDepth {
  readonly snapshots: BookDepthSnapshots;
  readonly report: BookDepthLoadReport;
}

/** Options of the loader. */
export interface BookDepthLoadOptions {
  /** Default `"error"`: the first bad row throws; `"drop-and-report"` drops its snapshot and lists it. */
  readonly onBadRow?: "error" | "drop-and-report";
}

/** A step between snapshots longer than this many median steps is reported as a gap. */
const GAP_FACTOR = 3;

const EXPECTED =
  "Use the Binance Vision bookDepth columns timestamp (or timestamp_utc), percentage, depth, notional.";

/**
 * Reads a `bookDepth` CSV file ({@link parseBookDepthCsv}); an unreadable file is an
 * {@link InputError} naming the path.
 *
 * @example
 * const { snapshots } = readBookDepthFile("data/crashes/2025-10-10_binance-usdm_btcusdt_bookdepth.csv");
 * snapshots.time.length; // 2879 snapshots, 00:00:07 → 23:59:30 UTC
 */
export function readBookDepthFile(path: string, options: BookDepthLoadOptions = {}): LoadedBookDepth {
  const { chunks } = peekDataChunks(path, { field: path, fix: "Pass the path of a readable bookDepth CSV." });
  return parseBookDepthCsv(chunks, path, options);
}

/**
 * Parses `bookDepth` CSV text. Rows of one snapshot share a time and are contiguous; the bands are
 * the distinct |percentage| values of the file, and each snapshot must hold every band on both sides
 * once. Refused (an {@link InputError} on the row and column, or under `drop-and-report` the
 * snapshot dropped and listed): a time that is not epoch ms or an ISO date-time (UTC), or that goes
 * back; a percentage that is zero or not a number; a negative or non-finite depth or notional; a
 * snapshot missing or repeating a band (`incomplete-snapshot`). Reported and kept: a depth or
 * notional that falls from one band to the next (`not-cumulative`), a snapshot whose bid band 1
 * average price (notional / depth) lies above its ask band 1 average (`crossed-bands`: the book
 * cannot be crossed, so one side's reference is stale, as in the 2025-10-10 BTCUSDT file from
 * 15:30:42), and a step between snapshots above three median steps (`gap`).
 */
export function parseBookDepthCsv(
  text: CsvText,
  source: string,
  options: BookDepthLoadOptions = {},
): LoadedBookDepth {
  const dropBad = (options.onBadRow ?? "error") === "drop-and-report";
  let columns: { time: number; percentage: number; depth: number; notional: number } | undefined;
  let header: string[] = [];
  // The rows kept, column-wise: line, time, percentage, depth, notional.
  const rows = new ColumnStore(5);
  const anomalies: BookDepthAnomaly[] = [];
  /** Times of snapshots with a dropped bad row: the whole snapshot is dropped (already reported). */
  const badTimes = new Set<number>();
  let lastLine = 0;
  let lastTime = Number.NEGATIVE_INFINITY;
  let dataRows = 0;
  forEachCsvRecord(
    text,
    (line) => `${source} row ${line}`,
    (cells, line) => {
      if (columns === undefined) {
        header = cells;
        const names = cells.map((c) => c.toLowerCase());
        const find = (...candidates: string[]) => {
          const i = names.findIndex((n) => candidates.includes(n));
          if (i < 0)
            throw new InputError(
              `${source} row ${line}`,
              cells.join(","),
              `has no "${candidates[0]}" column`,
              EXPECTED,
            );
          return i;
        };
        columns = {
          time: find("timestamp", "timestamp_utc"),
          percentage: find("percentage"),
          depth: find("depth"),
          notional: find("notional"),
        };
        return;
      }
      dataRows++;
      const c = columns;
      const bad = (column: number, problem: string, fix: string, timeMs = Number.NaN) => {
        if (!dropBad)
          throw new InputError(
            `${source} row ${line}, column ${header[column]}`,
            cells[column],
            problem,
            fix,
          );
        if (Number.isFinite(timeMs)) badTimes.add(timeMs);
        anomalies.push({
          kind: "bad-value",
          row: line,
          timeMs,
          message: `${header[column]} ${problem}`,
          action: "dropped",
        });
      };
      const parsed = parseTimeCell(cells[c.time] ?? "");
      const time = parsed?.ms ?? Number.NaN;
      const timeProblem = parsed === undefined ? "is not a time" : implausibleTimeProblem(time);
      if (timeProblem !== undefined) {
        bad(
          c.time,
          timeProblem,
          "Write epoch milliseconds or an ISO date-time such as 2025-10-10 00:00:07 (UTC).",
        );
        return;
      }
      const pct = Number(cells[c.percentage]);
      const depth = Number(cells[c.depth]);
      const notional = Number(cells[c.notional]);
      if (!Number.isFinite(pct) || pct === 0)
        bad(
          c.percentage,
          "is not a non-zero number",
          "Write the band in percent: -5 … -1 for bids, 1 … 5 for asks.",
          time,
        );
      else if (!(Number.isFinite(depth) && depth >= 0))
        bad(c.depth, "is not a finite number ≥ 0", "Write the cumulative depth in the base asset.", time);
      else if (!(Number.isFinite(notional) && notional >= 0))
        bad(
          c.notional,
          "is not a finite number ≥ 0",
          "Write the cumulative notional in the quote asset.",
          time,
        );
      else {
        if (time < lastTime) {
          throw new InputError(
            `${source} row ${line}, column ${header[c.time]}`,
            cells[c.time],
            `goes back in time (row ${lastLine} is later)`,
            "Sort the rows by time, keeping the rows of one snapshot together.",
          );
        }
        lastLine = line;
        lastTime = time;
        rows.push([line, time, pct, depth, notional]);
      }
    },
  );
  if (columns === undefined) throw new InputError(source, "", "has no header", EXPECTED);
  const lines = rows.column(0);
  const times = rows.column(1);
  const pcts = rows.column(2);
  const depths = rows.column(3);
  const notionals = rows.column(4);
  const m = rows.length;
  const bands = [...new Set(Array.from(pcts, Math.abs))].sort((a, b) => a - b);
  const nb = bands.length;
  // Fields per snapshot: time, then per band: bid depth, bid notional, ask depth, ask notional.
  const store = new ColumnStore(1 + 4 * nb, Math.max(1, Math.ceil(m / Math.max(1, 2 * nb))));
  const values = new Float64Array(1 + 4 * nb);
  const seen = new Uint8Array(2 * nb);
  const firstLines = new RowNumbers();
  for (let start = 0; start < m; ) {
    const first = { line: lines[start] as number, time: times[start] as number };
    let end = start;
    while (end < m && times[end] === first.time) end++;
    seen.fill(0);
    values.fill(Number.NaN);
    values[0] = first.time;
    let problem: string | undefined;
    let dropped = badTimes.has(first.time);
    for (let i = start; i < end; i++) {
      const pct = pcts[i] as number;
      const k = bands.indexOf(Math.abs(pct));
      const slot = (pct < 0 ? 0 : nb) + k;
      if (seen[slot] === 1) problem = `repeats band ${pct} (row ${lines[i]})`;
      seen[slot] = 1;
      values[1 + 4 * k + (pct < 0 ? 0 : 2)] = depths[i] as number;
      values[2 + 4 * k + (pct < 0 ? 0 : 2)] = notionals[i] as number;
    }
    if (!dropped && problem === undefined && seen.includes(0)) {
      const missing = bands.flatMap((b, k) => [seen[k] === 0 ? -b : [], seen[nb + k] === 0 ? b : []].flat());
      problem = `lacks band${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`;
    }
    if (!dropped && problem !== undefined) {
      if (!dropBad)
        throw new InputError(
          `${source} row ${first.line}`,
          new Date(first.time).toISOString(),
          `starts a snapshot that ${problem}`,
          'Give every snapshot each band once on both sides, or pass onBadRow: "drop-and-report".',
        );
      anomalies.push({
        kind: "incomplete-snapshot",
        row: first.line,
        timeMs: first.time,
        message: `the snapshot ${problem}`,
        action: "dropped",
      });
      dropped = true;
    }
    if (!dropped) {
      store.push(values);
      firstLines.push(first.line);
      reportShape(values, nb, bands, first, anomalies);
    }
    start = end;
  }
  const time = store.column(0);
  const n = time.length;
  if (n === 0) throw new InputError(source, dataRows, "has no complete snapshot", EXPECTED);
  const steps = Array.from({ length: n - 1 }, (_, i) => (time[i + 1] as number) - (time[i] as number)).sort(
    (a, b) => a - b,
  );
  const intervalMs = steps.length === 0 ? 0 : (steps[Math.floor(steps.length / 2)] as number);
  for (let i = 1; i < n; i++) {
    const step = (time[i] as number) - (time[i - 1] as number);
    if (intervalMs > 0 && step > GAP_FACTOR * intervalMs)
      anomalies.push({
        kind: "gap",
        row: firstLines.at(i),
        timeMs: time[i] as number,
        message: `${step / 1000} s since the previous snapshot (median step ${intervalMs / 1000} s)`,
        action: "reported",
      });
  }
  const field = (k: number, offset: number) => store.column(1 + 4 * k + offset);
  return {
    snapshots: {
      time,
      bands,
      bidDepth: bands.map((_, k) => field(k, 0)),
      bidNotional: bands.map((_, k) => field(k, 1)),
      askDepth: bands.map((_, k) => field(k, 2)),
      askNotional: bands.map((_, k) => field(k, 3)),
    },
    report: { source, rows: dataRows, snapshots: n, intervalMs, anomalies },
  };
}

/** Reports a kept snapshot whose cumulative values fall outward, or whose band-1 averages cross. */
function reportShape(
  values: Float64Array,
  nb: number,
  bands: readonly number[],
  first: { line: number; time: number },
  anomalies: BookDepthAnomaly[],
): void {
  for (let side = 0; side < 2; side++) {
    for (let k = 1; k < nb; k++) {
      for (let f = 0; f < 2; f++) {
        const inner = values[1 + 4 * (k - 1) + 2 * side + f] as number;
        const outer = values[1 + 4 * k + 2 * side + f] as number;
        if (outer < inner)
          anomalies.push({
            kind: "not-cumulative",
            row: first.line,
            timeMs: first.time,
            message: `${side === 0 ? "bid" : "ask"} ${f === 0 ? "depth" : "notional"} falls from ${inner} within ${bands[k - 1]} % to ${outer} within ${bands[k]} %`,
            action: "reported",
          });
      }
    }
  }
  const bidAverage = (values[2] as number) / (values[1] as number);
  const askAverage = (values[4] as number) / (values[3] as number);
  if (bidAverage > askAverage)
    anomalies.push({
      kind: "crossed-bands",
      row: first.line,
      timeMs: first.time,
      message: `bid band ${bands[0]} % averages ${bidAverage.toFixed(2)}, above the ask band's ${askAverage.toFixed(2)}: a stale entry on one side`,
      action: "reported",
    });
}

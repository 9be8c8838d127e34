/**
 * What a market-data file is (what `liqopt data inspect` prints): its kind and format, its span,
 * its gaps and anomalies with row numbers, using the same loaders (and the same explicit policies)
 * as every other workflow.
 */
import { InputError } from "../errors.js";
import { readBitmexRecording, replayBitmexRecording } from "./bitmex-recording.js";
import { readBookDepthFile } from "./book-depth.js";
import { BUNDLED_DATASETS, resolveDataArgument } from "./bundled.js";
import { readCandleFile, sliceByTime } from "./candles.js";
import { isJsonArray, readDataHead } from "./data-file.js";
import { type FundingReadOptions, readFundingFile, sliceFundingByTime } from "./funding.js";
import { expiries, markBand, readDeribitChainFile, readDvolFile } from "./options.js";

/** Anomalies of one kind: how many, and the first few with their rows. */
export interface AnomalyGroup {
  kind: string;
  count: number;
  action: string;
  examples: { row: number; message: string }[];
}

/** What a market-data file holds (`liqopt data inspect --json`). */
export interface InspectReport {
  file: string;
  kind: string;
  format: string;
  /** Rows (or messages) read from the file. */
  rows: number;
  /** Records kept after the load policies (bars, funding prints, quotes, book messages). */
  records: number;
  firstTime: string | null;
  lastTime: string | null;
  /** The source's row order. */
  order: string;
  /** Typical step between records in ms, where the data is a regular series. */
  intervalMs: number | null;
  gaps: { count: number; missing: number; largest: number };
  anomalies: AnomalyGroup[];
  /** Kind-specific facts (symbol, expiries, strikes, levels, …). */
  details: Record<string, unknown>;
}

const EXAMPLES = 3;
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Groups anomalies by kind, keeping the first {@link EXAMPLES} of each. */
function groupAnomalies(
  anomalies: readonly { kind: string; row: number; message: string; action: string }[],
): AnomalyGroup[] {
  const groups = new Map<string, AnomalyGroup>();
  for (const a of anomalies) {
    let g = groups.get(a.kind);
    if (g === undefined) {
      g = { kind: a.kind, count: 0, action: a.action, examples: [] };
      groups.set(a.kind, g);
    }
    g.count++;
    if (g.examples.length < EXAMPLES) g.examples.push({ row: a.row, message: a.message });
  }
  return [...groups.values()];
}

/** Gap count, records missing and the largest gap, from the records each gap misses. */
function gapSummary(missingPerGap: readonly number[]): InspectReport["gaps"] {
  return {
    count: missingPerGap.length,
    missing: missingPerGap.reduce((sum, m) => sum + m, 0),
    largest: missingPerGap.reduce((max, m) => Math.max(max, m), 0),
  };
}

/** Inspects a candle file: loads it with policies that report rather than stop. */
function inspectCandles(path: string, symbol: string | undefined, window: TimeWindow): InspectReport {
  const loaded = readCandleFile(path, {
    onBadRow: "drop-and-report",
    onDuplicate: "keep-last",
    ...(symbol === undefined ? {} : { symbol }),
  });
  const series = sliceByTime(loaded.series, window.fromMs, window.toMs);
  const report = {
    ...loaded.report,
    bars: series.time.length,
    anomalies: inWindow(loaded.report.anomalies, window),
  };
  const n = series.time.length;
  return {
    file: path,
    kind: "candles",
    format: report.format,
    rows: report.rows,
    records: report.bars,
    firstTime: iso(series.time[0]),
    lastTime: iso(series.time[n - 1]),
    order: report.sourceOrder,
    intervalMs: series.intervalMs,
    gaps: gapSummary(report.anomalies.filter((a) => a.kind === "gap").map((a) => a.missingBars ?? 0)),
    anomalies: groupAnomalies(report.anomalies),
    details: { symbol: series.symbol, timeUnits: report.timeUnits },
  };
}

/** Inspects a funding history (8-hourly prints, daily means, or JSON pairs with a known unit). */
function inspectFunding(
  path: string,
  symbol: string | undefined,
  window: TimeWindow,
  reading: FundingReadOptions,
): InspectReport {
  const loaded = readFundingFile(path, {
    onBadRow: "drop-and-report",
    ...reading,
    ...(symbol === undefined ? {} : { symbol }),
  });
  const series = sliceFundingByTime(loaded.series, window.fromMs, window.toMs);
  const report = {
    ...loaded.report,
    kept: series.time.length,
    anomalies: inWindow(loaded.report.anomalies, window),
  };
  const n = series.time.length;
  return {
    file: path,
    kind: "funding",
    format: report.format,
    rows: report.rows,
    records: report.kept,
    firstTime: iso(series.time[0]),
    lastTime: iso(series.time[n - 1]),
    order: "ascending after load",
    intervalMs: series.stepHours * 3_600_000,
    gaps: gapSummary(report.anomalies.filter((a) => a.kind === "gap").map((a) => a.missingRows ?? 0)),
    anomalies: groupAnomalies(report.anomalies),
    details: { symbol: series.symbol, rateIntervalHours: series.intervalHours, rateUnit: report.rateUnit },
  };
}

/** Inspects a BitMEX orderBookL2 websocket recording: messages per table and symbol, span, anomalies. */
function inspectRecording(path: string): InspectReport {
  const summary = replayBitmexRecording(readBitmexRecording(path), { source: path });
  const anomalies = summary.anomalies.map((a) => ({
    kind: a.kind,
    row: a.line,
    message: `${a.symbol}: ${a.message}`,
    action: a.action,
  }));
  const l2 = Object.values(summary.l2Messages).reduce((x, y) => x + y, 0);
  return {
    file: path,
    kind: "orderbook",
    format: "bitmex-orderBookL2-recording",
    rows: summary.lines,
    records: l2,
    firstTime: iso(summary.firstMs),
    lastTime: iso(summary.lastMs),
    order: "receive order",
    intervalMs: null,
    gaps: { count: 0, missing: 0, largest: 0 },
    anomalies: groupAnomalies(anomalies),
    details: {
      messagesByTable: summary.messagesByTable,
      orderBookL2ByAction: summary.l2Messages,
      orderBookL2MessagesBySymbol: summary.l2MessagesBySymbol,
    },
  };
}

/**
 * Inspects a Deribit option-chain snapshot: quotes, expiries, strikes, the loader's anomalies, how many
 * quotes carry the optional columns (mark, bid and ask IVs, greeks) and where their marks lie against
 * the bid-ask band ({@link markBand}).
 */
function inspectOptionChain(path: string, asOfMs?: number): InspectReport {
  const { chain, report } = readDeribitChainFile(path, asOfMs === undefined ? {} : { asOfMs });
  const exp = expiries(chain);
  const strikes = chain.quotes.map((q) => q.strike);
  return {
    file: path,
    kind: "options",
    format: "deribit-chain",
    rows: report.rows,
    records: report.quotes,
    firstTime: iso(chain.snapshotMs),
    lastTime: iso(chain.snapshotMs),
    order: "snapshot",
    intervalMs: null,
    gaps: { count: 0, missing: 0, largest: 0 },
    anomalies: groupAnomalies(report.anomalies),
    details: {
      underlying: chain.underlying,
      expiries: exp.map((t) => new Date(t).toISOString().slice(0, 10)),
      strikes: `${Math.min(...strikes)} … ${Math.max(...strikes)}`,
      quotesWith: {
        markIv: chain.quotes.filter((q) => q.markIv !== undefined).length,
        bidIv: chain.quotes.filter((q) => q.bidIv !== undefined).length,
        askIv: chain.quotes.filter((q) => q.askIv !== undefined).length,
        greeks: chain.quotes.filter((q) => q.greeks !== undefined).length,
      },
      markBand: Object.fromEntries(
        (["inside", "outside", "no-bid"] as const).map((b) => [
          b,
          chain.quotes.filter((q) => markBand(q) === b).length,
        ]),
      ),
    },
  };
}

/** Inspects a DVOL daily-close file. */
function inspectVolIndex(path: string): InspectReport {
  const s = readDvolFile(path);
  const n = s.timeMs.length;
  // Days missing between consecutive closes, where any are.
  const missingPerGap: number[] = [];
  for (let i = 1; i < n; i++) {
    const m = Math.round(((s.timeMs[i] as number) - (s.timeMs[i - 1] as number)) / 86_400_000) - 1;
    if (m > 0) missingPerGap.push(m);
  }
  return {
    file: path,
    kind: "volatility-index",
    format: "deribit-dvol-json",
    rows: n,
    records: n,
    firstTime: iso(s.timeMs[0]),
    lastTime: iso(s.timeMs[n - 1]),
    order: "ascending",
    intervalMs: 86_400_000,
    gaps: gapSummary(missingPerGap),
    anomalies: [],
    details: { lastAnnualVol: s.annualVol[n - 1] },
  };
}

/** Inspects a Binance bookDepth file: snapshots of cumulative depth per band, with its anomalies. */
function inspectBookDepth(path: string): InspectReport {
  const { snapshots, report } = readBookDepthFile(path, { onBadRow: "drop-and-report" });
  const n = snapshots.time.length;
  const gaps = report.anomalies.filter((a) => a.kind === "gap");
  return {
    file: path,
    kind: "book-depth",
    format: "binance-vision-bookdepth",
    rows: report.rows,
    records: report.snapshots,
    firstTime: iso(snapshots.time[0]),
    lastTime: iso(snapshots.time[n - 1]),
    order: "ascending",
    intervalMs: report.intervalMs,
    gaps: gapSummary(
      gaps.map((a) => {
        const i = snapshots.time.indexOf(a.timeMs);
        return Math.round((a.timeMs - (snapshots.time[i - 1] as number)) / report.intervalMs) - 1;
      }),
    ),
    anomalies: groupAnomalies(report.anomalies),
    details: { bands: snapshots.bands },
  };
}

/** The kinds `inspect` recognises, each with a sniffing test on the file's first bytes. */
interface Inspector {
  readonly kind: string;
  readonly sniff: (head: string) => boolean;
  readonly inspect: (
    path: string,
    symbol: string | undefined,
    window: TimeWindow,
    funding: FundingReadOptions,
  ) => InspectReport;
  /** Whether the kind is a time series that `--from`/`--to` can bound. */
  readonly series: boolean;
}

/** A candle header (an `open` column), or a headerless Binance Vision kline row (numbers). */
const CANDLE_HEAD = /(^|[,;\t"])\s*open\s*([,;\t"]|$)|^\uFEFF?\s*\d+(\.\d+)?[,;\t]/im;

const firstLines = (head: string) => head.split("\n").slice(0, 2).join("\n");

const INSPECTORS: readonly Inspector[] = [
  {
    kind: "funding",
    sniff: (head) => /fundingRate|funding_mean|funding_rate/i.test(firstLines(head)),
    inspect: inspectFunding,
    series: true,
  },
  {
    kind: "options",
    sniff: (head) => /T_years|creation_timestamp|instrument_name/.test(firstLines(head)),
    inspect: (path) => inspectOptionChain(path),
    series: false,
  },
  {
    kind: "orderbook",
    sniff: (head) => /orderBookL2|bitmex/i.test(head),
    inspect: inspectRecording,
    series: false,
  },
  {
    kind: "book-depth",
    sniff: (head) => /(^|,)\s*percentage\s*,/i.test(firstLines(head)) && /notional/i.test(firstLines(head)),
    inspect: (path) => inspectBookDepth(path),
    series: false,
  },
  {
    kind: "candles",
    sniff: (head) => CANDLE_HEAD.test(firstLines(head)),
    inspect: inspectCandles,
    series: true,
  },
];

/** Options of {@link inspectFile}. */
export interface InspectOptions {
  /** Symbol of a candle file that has no Symbol column. */
  symbol?: string;
  /** What bare `[time, value]` JSON pairs hold (a bundled name says it itself). */
  kind?: "funding" | "volatility-index";
  /** How a funding file's rates are read: their unit where the format does not say, the plausibility bounds. */
  funding?: FundingReadOptions;
  /** Snapshot time (ms UTC) of an option chain that has none (a Deribit ticker dump). */
  asOfMs?: number;
  /** Only records at or after this time (ms UTC), for candle and funding files. */
  fromMs?: number;
  /** Only records before this time (ms UTC), for candle and funding files. */
  toMs?: number;
}

/** The time window `[fromMs, toMs)` a series is inspected over. */
interface TimeWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The anomalies whose time lies in the window. */
function inWindow<T extends { readonly timeMs: number }>(anomalies: readonly T[], window: TimeWindow): T[] {
  return anomalies.filter((a) => a.timeMs >= window.fromMs && a.timeMs < window.toMs);
}

/**
 * Inspects a market-data file or a bundled data set by name: recognises its kind from its first
 * lines (funding, option chain, BitMEX recording, Binance bookDepth, candles; bare JSON pairs by `kind` or the
 * bundled name) and reports what the kind's loader keeps and flags. Throws an {@link InputError}
 * when the file cannot be read or its kind is not recognised.
 */
export function inspectFile(fileOrName: string, options: InspectOptions = {}): InspectReport {
  const { symbol, kind } = options;
  const reading = options.funding ?? {};
  const window: TimeWindow = {
    fromMs: options.fromMs ?? -Number.MAX_VALUE,
    toMs: options.toMs ?? Number.MAX_VALUE,
  };
  const windowed = options.fromMs !== undefined || options.toMs !== undefined;
  const dataset = BUNDLED_DATASETS.find((d) => d.name === fileOrName);
  const path = dataset === undefined ? fileOrName : resolveDataArgument(fileOrName, dataset.kind).path;
  const head = readDataHead(path, {
    field: "<file>",
    fix: "Pass the path of a data file or a bundled name (liqopt data list).",
  }).slice(0, 4096);
  const unwindowed = (what: string): void => {
    if (windowed)
      throw new InputError(
        "--from/--to",
        fileOrName,
        `do not apply to ${what}`,
        "Use --from/--to with candle and funding files only.",
      );
  };
  if (isJsonArray(head)) {
    const json = jsonKind(head);
    if (json === "candles") return inspectCandles(path, symbol ?? dataset?.symbol, window);
    if (json === "funding") return inspectFunding(path, symbol ?? dataset?.symbol, window, reading);
    // Bare [[time, value], …] pairs: a bundled name says what it is; otherwise the user must.
    if (dataset?.kind === "funding")
      return inspectFunding(path, dataset.symbol, window, {
        ...reading,
        ...(dataset.rateUnit === undefined ? {} : { rateUnit: dataset.rateUnit }),
      });
    if (dataset?.kind === "volatility-index" || kind === "volatility-index") {
      unwindowed("a volatility index");
      return inspectVolIndex(path);
    }
    if (kind === "funding") return inspectFunding(path, symbol, window, reading);
    throw new InputError(
      "--kind",
      kind,
      "is needed: the file holds bare [time, value] pairs",
      "Pass --kind funding --funding-unit fraction|percent|bps, or --kind volatility-index.",
    );
  }
  const inspector = INSPECTORS.find((i) => i.sniff(head));
  if (inspector === undefined)
    throw new InputError(
      "<file>",
      fileOrName,
      "is not a market-data format liqopt knows",
      `Pass one of: ${INSPECTORS.map((i) => i.kind).join(", ")}, volatility-index (formats: docs/reference/data-formats.md).`,
    );
  if (!inspector.series) unwindowed(`${inspector.kind} files`);
  if (inspector.kind === "options") return inspectOptionChain(path, options.asOfMs);
  return inspector.inspect(path, symbol ?? dataset?.symbol, window, reading);
}

/**
 * What a JSON array holds, from its first row: OHLCV candles (`[t, o, h, l, c, v]` with prices),
 * funding (freqtrade's `[t, rate, 0, 0, 0, 0]`, or ccxt objects), or bare pairs (`undefined`).
 */
function jsonKind(head: string): "candles" | "funding" | undefined {
  if (/^\uFEFF?\s*\[\s*\{/.test(head)) return "funding";
  const first = /^\uFEFF?\s*\[\s*\[([^\]]*)\]/.exec(head)?.[1]?.split(",");
  if (first === undefined || first.length !== 6) return undefined;
  return first.slice(2).every((v) => Number(v) === 0) ? "funding" : "candles";
}

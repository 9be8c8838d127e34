/**
 * `liqopt data inspect <file>`: what a market-data file is, its span, its gaps and anomalies,
 * using the same loaders (and the same explicit policies) as every other command.
 */
import { readFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { replayBitmexRecording } from "../market/bitmex-recording.js";
import { BUNDLED_DATASETS, resolveDataArgument } from "../market/bundled.js";
import { type CandleAnomaly, readCandleFile } from "../market/candles.js";
import { readFundingFile } from "../market/funding.js";
import { expiries, readDeribitChainFile, readDvolFile } from "../market/options.js";
import { formatNumber, renderTable, toJson, writeOut } from "./io.js";
import { readChoiceOption } from "./market-options.js";

/** Anomalies of one kind: how many, and the first few with their rows. */
export interface AnomalyGroup {
  kind: string;
  count: number;
  action: string;
  examples: { row: number; message: string }[];
}

/** What `liqopt data inspect --json` prints. */
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
export function groupAnomalies(
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

function gapSummary(anomalies: readonly CandleAnomaly[]): InspectReport["gaps"] {
  let count = 0;
  let missing = 0;
  let largest = 0;
  for (const a of anomalies)
    if (a.kind === "gap") {
      count++;
      const m = a.missingBars ?? 0;
      missing += m;
      largest = Math.max(largest, m);
    }
  return { count, missing, largest };
}

/** Inspects a candle file: loads it with policies that report rather than stop. */
export function inspectCandles(path: string, symbol: string | undefined): InspectReport {
  const { series, report } = readCandleFile(path, {
    onBadRow: "drop-and-report",
    onDuplicate: "keep-last",
    ...(symbol === undefined ? {} : { symbol }),
  });
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
    gaps: gapSummary(report.anomalies),
    anomalies: groupAnomalies(report.anomalies),
    details: { symbol: series.symbol },
  };
}

/** Inspects a funding history (8-hourly prints, daily means, or JSON pairs with a known unit). */
export function inspectFunding(
  path: string,
  _symbol: string | undefined,
  rateUnit?: "fraction" | "percent",
): InspectReport {
  const { series, report } = readFundingFile(path, {
    onBadRow: "drop-and-report",
    ...(rateUnit === undefined ? {} : { rateUnit }),
  });
  const n = series.time.length;
  let count = 0;
  let missing = 0;
  let largest = 0;
  for (const a of report.anomalies)
    if (a.kind === "gap") {
      count++;
      missing += a.missingRows ?? 0;
      largest = Math.max(largest, a.missingRows ?? 0);
    }
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
    gaps: { count, missing, largest },
    anomalies: groupAnomalies(report.anomalies),
    details: { symbol: series.symbol, rateIntervalHours: series.intervalHours },
  };
}

/** Inspects a BitMEX orderBookL2 websocket recording: messages per table and symbol, span, anomalies. */
export function inspectRecording(path: string): InspectReport {
  const summary = replayBitmexRecording(readFileSync(path, "utf8"), { source: path });
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

/** Inspects a Deribit option-chain snapshot: quotes, expiries, strikes and the loader's anomalies. */
export function inspectOptionChain(path: string): InspectReport {
  const { chain, report } = readDeribitChainFile(path);
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
    },
  };
}

/** Inspects a DVOL daily-close file. */
export function inspectVolIndex(path: string): InspectReport {
  const s = readDvolFile(path);
  const n = s.timeMs.length;
  let count = 0;
  let missing = 0;
  let largest = 0;
  for (let i = 1; i < n; i++) {
    const m = Math.round(((s.timeMs[i] as number) - (s.timeMs[i - 1] as number)) / 86_400_000) - 1;
    if (m > 0) {
      count++;
      missing += m;
      largest = Math.max(largest, m);
    }
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
    gaps: { count, missing, largest },
    anomalies: [],
    details: { lastAnnualVol: s.annualVol[n - 1] },
  };
}

/** The kinds `inspect` recognises, each with a sniffing test on the file's first bytes. */
interface Inspector {
  readonly kind: string;
  readonly sniff: (head: string) => boolean;
  readonly inspect: (path: string, symbol: string | undefined) => InspectReport;
}

const CANDLE_HEADER = /(^|,)\s*(open|Open)\s*,/;

const firstLines = (head: string) => head.split("\n").slice(0, 2).join("\n");

const INSPECTORS: readonly Inspector[] = [
  {
    kind: "funding",
    sniff: (head) => /fundingRate|funding_mean/.test(firstLines(head)),
    inspect: (path, symbol) => inspectFunding(path, symbol),
  },
  {
    kind: "options",
    sniff: (head) => /T_years|creation_timestamp/.test(firstLines(head)),
    inspect: inspectOptionChain,
  },
  { kind: "orderbook", sniff: (head) => /orderBookL2|bitmex/i.test(head), inspect: inspectRecording },
  { kind: "candles", sniff: (head) => CANDLE_HEADER.test(firstLines(head)), inspect: inspectCandles },
];

/** Recognises the file's kind from its first lines and inspects it. */
export function inspectFile(
  fileOrName: string,
  symbol?: string,
  kind?: "funding" | "volatility-index",
  rateUnit?: "fraction" | "percent",
): InspectReport {
  const dataset = BUNDLED_DATASETS.find((d) => d.name === fileOrName);
  const path = dataset === undefined ? fileOrName : resolveDataArgument(fileOrName, dataset.kind).path;
  let head: string;
  try {
    head = readFileSync(path, "utf8").slice(0, 4096);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(
      "<file>",
      fileOrName,
      `cannot be read (${code})`,
      "Pass the path of a data file or a bundled name (liqopt data list).",
    );
  }
  // Bare [[time, value], …] JSON: a bundled name says what it is; otherwise the user must.
  if (head.trimStart().startsWith("[")) {
    if (dataset?.kind === "funding") return inspectFunding(path, dataset.symbol, dataset.rateUnit);
    if (dataset?.kind === "volatility-index") return inspectVolIndex(path);
    if (kind === "volatility-index") return inspectVolIndex(path);
    if (kind === "funding") return inspectFunding(path, symbol, rateUnit);
    throw new InputError(
      "--kind",
      kind,
      "is needed: the file holds bare [time, value] pairs",
      "Pass --kind funding --rate-unit percent|fraction, or --kind volatility-index.",
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
  return inspector.inspect(path, symbol ?? dataset?.symbol);
}

function renderInspect(r: InspectReport): string {
  const lines = [
    `${r.file}`,
    `kind ${r.kind} (${r.format}), ${formatNumber(r.rows, 0)} rows read, ${formatNumber(r.records, 0)} kept, source order ${r.order}`,
    `span ${r.firstTime ?? "—"} → ${r.lastTime ?? "—"}` +
      (r.intervalMs === null ? "" : `, step ${r.intervalMs / 60_000} min`),
    ...Object.entries(r.details).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`),
    r.gaps.count === 0
      ? "gaps: none"
      : `gaps: ${r.gaps.count} (${r.gaps.missing} records missing, the largest ${r.gaps.largest})`,
  ];
  if (r.anomalies.length === 0) lines.push("anomalies: none");
  else
    lines.push(
      renderTable(
        ["Anomaly", "Count", "Handled", "First rows"],
        r.anomalies.map((g) => [
          g.kind,
          String(g.count),
          g.action,
          g.examples.map((e) => `row ${e.row}: ${e.message}`).join("\n"),
        ]),
        { rightAlign: [1], colWidths: [null, null, null, 80] },
      ),
    );
  return lines.join("\n");
}

function renderList(): string {
  return renderTable(
    ["Name", "Kind", "File (under data/)", "What"],
    BUNDLED_DATASETS.map((d) => [d.name, d.kind, d.path, d.description]),
    { colWidths: [null, null, null, 60] },
  );
}

/** Registers `liqopt data inspect <file>` and `liqopt data list`. */
export function registerData(program: Command): void {
  const data = program.command("data").description("bundled market data and file inspection");
  data
    .command("inspect")
    .description("what a market-data file is: kind, span, gaps and anomalies (with row numbers)")
    .argument("<file>", "a data file, or a bundled name (liqopt data list)")
    .option("--symbol <symbol>", "symbol of a candle file that has no Symbol column")
    .option("--kind <kind>", "for bare [time, value] JSON: funding or volatility-index")
    .option("--rate-unit <unit>", "for funding pairs: fraction or percent")
    .option("--json", "print one JSON object")
    .action((file, opts) => {
      const kind =
        opts.kind === undefined
          ? undefined
          : readChoiceOption(opts.kind, "--kind", ["funding", "volatility-index"] as const);
      const unit =
        opts.rateUnit === undefined
          ? undefined
          : readChoiceOption(opts.rateUnit, "--rate-unit", ["fraction", "percent"] as const);
      const report = inspectFile(file, opts.symbol, kind, unit);
      writeOut(opts.json === true ? toJson(report) : renderInspect(report));
    });
  data
    .command("list")
    .description("the bundled data sets and their short names")
    .option("--json", "print JSON")
    .action((opts) => {
      writeOut(opts.json === true ? toJson(BUNDLED_DATASETS) : renderList());
    });
}

/**
 * `liqopt data inspect <file>`: what a market-data file is, its span, its gaps and anomalies,
 * using the same loaders (and the same explicit policies) as every other command.
 */
import { readFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { BUNDLED_DATASETS, resolveDataArgument } from "../market/bundled.js";
import { type CandleAnomaly, readCandleFile } from "../market/candles.js";
import { formatNumber, renderTable, toJson, writeOut } from "./io.js";

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

/** The kinds `inspect` recognises, each with a sniffing test on the file's first bytes. */
interface Inspector {
  readonly kind: string;
  readonly sniff: (head: string) => boolean;
  readonly inspect: (path: string, symbol: string | undefined) => InspectReport;
}

const CANDLE_HEADER = /(^|,)\s*(open|Open)\s*,/;

const INSPECTORS: readonly Inspector[] = [
  {
    kind: "candles",
    sniff: (head) => CANDLE_HEADER.test(head.split("\n").slice(0, 2).join("\n")),
    inspect: inspectCandles,
  },
];

/** Recognises the file's kind from its first lines and inspects it. */
export function inspectFile(fileOrName: string, symbol?: string): InspectReport {
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
  const inspector = INSPECTORS.find((i) => i.sniff(head));
  if (inspector === undefined)
    throw new InputError(
      "<file>",
      fileOrName,
      "is not a market-data format liqopt knows",
      `Pass one of: ${INSPECTORS.map((i) => i.kind).join(", ")} (see docs/reference/data-formats.md).`,
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
    .option("--json", "print one JSON object")
    .action((file, opts) => {
      const report = inspectFile(file, opts.symbol);
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

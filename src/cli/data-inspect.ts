/**
 * `liqopt data inspect <file>` (what a market-data file is, its span, its gaps and anomalies, as a
 * table or JSON) and `liqopt data list` (the bundled data sets).
 */
import type { Command } from "@commander-js/extra-typings";
import { BUNDLED_DATASETS } from "../market/bundled.js";
import { type InspectReport, inspectFile } from "../market/inspect.js";
import { formatNumber, renderTable, toJson, writeOut } from "./io.js";
import {
  readChoiceOption,
  readDateOption,
  readFundingReadOptions,
  readTimeWindow,
  withFundingReadOptions,
} from "./market-options.js";

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
  withFundingReadOptions(
    data
      .command("inspect")
      .description("what a market-data file is: kind, span, gaps and anomalies (with row numbers)")
      .argument("<file>", "a data file, or a bundled name (liqopt data list)")
      .option("--symbol <symbol>", "symbol of a candle file that has no Symbol column")
      .option("--kind <kind>", "for bare [time, value] JSON: funding or volatility-index"),
  )
    .option("--as-of <time>", "option chain: snapshot time when the file has none (UTC)")
    .option("--from <date>", "candles or funding: first record inspected (UTC date)")
    .option("--to <date>", "candles or funding: end of the records inspected (exclusive, UTC date)")
    .option("--json", "print one JSON object")
    .action((file, opts) => {
      const kind =
        opts.kind === undefined
          ? undefined
          : readChoiceOption(opts.kind, "--kind", ["funding", "volatility-index"] as const);
      const { fromMs, toMs } = readTimeWindow(opts);
      const asOfMs = readDateOption(opts.asOf, "--as-of");
      const report = inspectFile(file, {
        ...(asOfMs === undefined ? {} : { asOfMs }),
        ...(opts.from === undefined ? {} : { fromMs }),
        ...(opts.to === undefined ? {} : { toMs }),
        ...(opts.symbol === undefined ? {} : { symbol: opts.symbol }),
        ...(kind === undefined ? {} : { kind }),
        funding: readFundingReadOptions(opts),
      });
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

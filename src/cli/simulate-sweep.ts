/**
 * The sweep of `liqopt simulate`: `--sweep path=v1,v2,…` (repeatable; the grid of their cross product)
 * or `--sweep-list points.json` (a JSON array of `{ "path": value, … }` points), run by
 * {@link sweepScenario}; one table row, or one chart point, per sweep point, and the failed points'
 * messages on standard error.
 */
import { InputError } from "../errors.js";
import { escapeXml } from "../report/index.js";
import { sweepChart, sweepPointLabel } from "../report/venue-charts.js";
import type { HeadlineMetric } from "../sim/venue/scenario-report.js";
import { type SweepAxis, type SweepParameters, type SweepReport, sweepGrid } from "../sim/venue/sweep.js";
import { isRecord } from "../validate.js";
import { type ErrorSink, EXIT_INPUT, EXIT_INTERNAL } from "./errors.js";
import { formatMetric } from "./headline-table.js";
import { renderTable } from "./io.js";

/**
 * One `--sweep` axis: `path=v1,v2,…`, values split on commas, each read as JSON when it is JSON
 * (`0`, `1e6`, `true`, `"queue"`) and as a string otherwise (`queue`); structured values need
 * `--sweep-list`.
 */
function parseSweepAxis(text: string): SweepAxis {
  const eq = text.indexOf("=");
  const path = text.slice(0, eq).trim();
  if (eq <= 0 || path === "") {
    throw new InputError(
      "--sweep",
      text,
      "must be path=v1,v2,…",
      "Write e.g. --sweep venue.insuranceFundUsd=0,1e6,1e7.",
    );
  }
  const values = text
    .slice(eq + 1)
    .split(",")
    .map((v) => v.trim());
  if (values.some((v) => v === "")) {
    throw new InputError(
      "--sweep",
      text,
      "has an empty value",
      "Separate the values by single commas: path=v1,v2.",
    );
  }
  return { path, values: values.map(jsonOrString) };
}

function jsonOrString(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The points of `--sweep` axes (their grid) or of a `--sweep-list` document (an array of objects). */
export function sweepPoints(axes: readonly string[], list: unknown): SweepParameters[] {
  if (list === undefined) return sweepGrid(axes.map(parseSweepAxis));
  if (axes.length > 0) {
    throw new InputError(
      "--sweep-list",
      "with --sweep",
      "cannot be combined",
      "Use one of --sweep and --sweep-list.",
    );
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every(isRecord)) {
    throw new InputError(
      "--sweep-list",
      list,
      "must be a non-empty JSON array of objects",
      'Write e.g. [{"venue.insuranceFundUsd": 0}, {"venue.insuranceFundUsd": 1e7, "venue.adlPolicy": "pro-rata"}].',
    );
  }
  return list;
}

/** The metrics of a sweep's table, when a point's report has them. */
const SWEEP_COLUMNS = [
  "liquidatedNotionalUsd",
  "badDebtUsd",
  "badDebtEs99Usd",
  "fundExhausted",
  "adl",
  "adlOvershootUsd",
  "uncoveredUsd",
] as const;

function formatValue(h: HeadlineMetric | undefined): string {
  return h === undefined ? "—" : formatMetric(h.unit, h.value);
}

/** The sweep's table: one row per point, its parameters, then the headline means (or the field that failed it). */
export function renderSweep(sweep: SweepReport): string {
  const first = sweep.points.find((p) => "report" in p);
  const headline = first !== undefined && "report" in first ? first.report.headline : [];
  const columns = SWEEP_COLUMNS.flatMap((key) => headline.filter((h) => h.key === key));
  const rows = sweep.points.map((p) => [
    sweepPointLabel(p.parameters),
    ...("report" in p
      ? columns.map((c) => formatValue(p.report.headline.find((h) => h.key === c.key)))
      : [`failed (${p.failed.field ?? "error"}; see below)`, ...columns.slice(1).map(() => "")]),
  ]);
  const run =
    first !== undefined && "report" in first && first.report.mode === "monte-carlo"
      ? `each point on the same ${first.report.paths} paths (seed ${first.report.seed}, ${first.report.workers} worker(s)): common random numbers`
      : "each point a replay of the same marks";
  return [
    `sweep of ${sweep.points.length} point(s), ${sweep.failed} failed; ${run}`,
    renderTable(["point", ...columns.map((c) => c.label)], rows, {
      rightAlign: columns.map((_, i) => i + 1),
    }),
    ...(first !== undefined && "report" in first && !first.report.reconciliation.reconciled
      ? [`warning: ${first.report.reconciliation.note}`]
      : []),
  ].join("\n");
}

/** The sweep's HTML report: the table, then the bad debt and the fund's exhaustion against the points. */
export function renderSweepHtml(sweep: SweepReport): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>liqopt simulate sweep</title>',
    "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{font-size:12px;overflow-x:auto}</style></head><body>",
    "<h1>Venue scenario: sweep</h1>",
    `<pre>${escapeXml(renderSweep(sweep))}</pre>`,
    sweepChart(
      sweep,
      [
        { key: "badDebtUsd", label: "bad debt (mean)" },
        { key: "badDebtEs99Usd", label: "bad debt ES 99 %" },
        { key: "uncoveredUsd", label: "uncovered loss (mean)" },
      ],
      "Bad debt by sweep point",
      "USD",
    ),
    sweepChart(
      sweep,
      [
        { key: "fundExhausted", label: "P(fund exhausted)" },
        { key: "adl", label: "P(ADL)" },
      ],
      "Insurance fund exhaustion by sweep point",
      "probability",
    ),
    "</body></html>",
  ].join("\n");
}

/**
 * Writes one error line per failed point and one warning line per partial point (a Monte Carlo run
 * stopped by a failed batch) to `sink`, and returns the exit code: 0 with neither, 2 when every
 * failure is a refused value (InputError) and no point is partial, 1 otherwise.
 */
export function reportSweepFailures(sweep: SweepReport, sink: ErrorSink): number {
  const failures = sweep.points.flatMap((p) => ("failed" in p ? [p] : []));
  for (const p of failures) {
    sink.write(`liqopt: error: sweep point ${sweepPointLabel(p.parameters)} failed: ${p.failed.message}\n`);
  }
  const partial = sweep.points.flatMap((p) =>
    "report" in p && p.report.failure !== undefined ? [{ ...p, failure: p.report.failure }] : [],
  );
  for (const { parameters, failure: f, report } of partial) {
    sink.write(
      `warning: sweep point ${sweepPointLabel(parameters)}: the run failed in round ${f.round} on worker ${f.stream} (${f.message}); a partial result over ${report.paths} paths\n`,
    );
  }
  if (partial.length > 0) return EXIT_INTERNAL;
  if (failures.length === 0) return 0;
  return failures.every((p) => p.failed.field !== null) ? EXIT_INPUT : EXIT_INTERNAL;
}

import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { BEYOND_TIER_TABLE } from "../margin/liquidation.js";
import { accountReport } from "../venues/account-report.js";
import { type ResolvedAnyDocument, resolveAnyDocument } from "../venues/any-document.js";
import { type LiqPriceReport, sideLabel } from "../venues/liq-price-report.js";
import { EXIT_INPUT, EXIT_INTERNAL } from "./errors.js";
import {
  type BatchEntry,
  formatNumber,
  formatPercent,
  parseJson,
  readInput,
  renderReadable,
  renderTable,
  splitBatch,
  toJson,
  writeOut,
} from "./io.js";

/** The readable form of a {@link LiqPriceReport}: positions table, notes, account table, steps. */
export function renderLiqPrice(report: LiqPriceReport, venueName: string): string {
  const asset = report.marginAsset ?? "";
  const out: string[] = [
    `${venueName} (${report.venue}), ${report.marginMode} margin${asset === "" ? "" : `, amounts in ${asset}`}`,
    "",
  ];
  if (report.positions.length === 0) out.push("No positions.");
  else {
    const head = ["#", "Symbol", "Side", "Size", "Notional", "Initial margin", "Maint. margin", "uPnL"];
    const rows = report.positions.map((p, i) => [
      String(i),
      p.symbol,
      sideLabel(p.size, p.positionSide),
      formatNumber(p.size, 8),
      formatNumber(p.notional),
      formatNumber(p.initialMargin),
      formatNumber(p.maintenanceMargin),
      formatNumber(p.unrealizedPnl),
      p.liquidationPrice === null ? "none" : formatNumber(p.liquidationPrice),
      p.bankruptcyPrice === null ? "none" : formatNumber(p.bankruptcyPrice),
      p.liquidatable ? "yes" : "no",
    ]);
    out.push(
      renderTable([...head, "Liq. price", "Bankr. price", "Liquidatable"], rows, {
        rightAlign: [0, 3, 4, 5, 6, 7, 8, 9],
      }),
    );
    report.positions.forEach((p, i) => {
      if (p.liquidationReason !== null)
        out.push(`#${i} ${p.symbol} liquidation price: ${p.liquidationReason}`);
      for (const [end, reason] of [
        ["lower", p.lowerLiquidationReason],
        ["upper", p.upperLiquidationReason],
      ] as const)
        if (reason !== null && reason !== p.liquidationReason && reason.startsWith(BEYOND_TIER_TABLE))
          out.push(`#${i} ${p.symbol} ${end} liquidation price: ${reason}`);
      if (p.bankruptcyReason !== null) out.push(`#${i} ${p.symbol} bankruptcy price: ${p.bankruptcyReason}`);
    });
    for (const w of report.warnings ?? []) out.push(`warning: ${w}`);
  }
  const a = report.account;
  out.push(
    "",
    "Account",
    renderTable(
      [],
      [
        ["Equity", formatNumber(a.equity)],
        ["Maintenance margin", formatNumber(a.maintenanceMargin)],
        ["Initial margin", formatNumber(a.initialMargin)],
        ["Margin ratio (MM / equity)", formatPercent(a.marginRatio)],
        [
          "Equity / maintenance",
          Number.isFinite(a.equityToMaintenance) ? `${formatNumber(a.equityToMaintenance, 2)}×` : "∞",
        ],
        ["Free collateral", formatNumber(a.freeCollateral)],
        ["Liquidatable", a.liquidatable ? "YES" : "no"],
      ],
      { rightAlign: [1] },
    ),
  );
  for (const l of report.liquidation ?? []) {
    out.push(
      "",
      `Liquidation of #${l.position} ${l.symbol} (${sideLabel(report.positions[l.position]?.size ?? 0, l.positionSide)}):`,
    );
    l.steps.forEach((s, k) => {
      out.push(`  ${k + 1}. ${s.action} (${formatPercent(s.fraction, 1)} of the position): ${s.note}`);
    });
  }
  return out.join("\n");
}

/**
 * The `liq-price` report of a resolved document of any kind: the `--json` object and its readable form
 * (a perpetual account's drawn here, any other's from the text its report carries).
 */
function reportOf(doc: ResolvedAnyDocument): { json: unknown; render: () => string } {
  const described = accountReport(doc);
  if (described.kind === "perp")
    return { json: described.report, render: () => renderLiqPrice(described.report, described.venueName) };
  return { json: described.report, render: () => renderReadable(described.text()) };
}

/** Lines of NDJSON written at once in batch mode. */
const BATCH_FLUSH_LINES = 1000;

/**
 * Batch mode: one NDJSON line per document, in input order: the `--json` report on one line, or
 * `{"index", "line", "error": {"field", "message"}}` for a document that fails (also written to stderr
 * as `liqopt: error: line <n>: …`), without stopping the batch. Returns the exit code: 0 when every
 * document succeeded, 2 ({@link EXIT_INPUT}) when some had an input error, 1 ({@link EXIT_INTERNAL})
 * when some hit an internal error.
 */
function runBatch(entries: readonly BatchEntry[]): number {
  let code = 0;
  let lines: string[] = [];
  for (const entry of entries) {
    try {
      if ("error" in entry) throw entry.error;
      lines.push(toJson(reportOf(resolveAnyDocument(entry.document)).json, 0));
    } catch (err) {
      const input = err instanceof InputError;
      const message = err instanceof Error ? err.message : String(err);
      const where = entry.line === null ? `account ${entry.index}` : `line ${entry.line}`;
      const field = input ? err.field : null;
      lines.push(toJson({ index: entry.index, line: entry.line, error: { field, message } }, 0));
      process.stderr.write(
        `liqopt: ${input ? "error" : "internal error"}: ${where}: ${message.replace(/\s*\n\s*/g, " ")}\n`,
      );
      code = input ? (code === 0 ? EXIT_INPUT : code) : EXIT_INTERNAL;
    }
    if (lines.length >= BATCH_FLUSH_LINES) {
      writeOut(lines.join("\n"));
      lines = [];
    }
  }
  if (lines.length > 0) writeOut(lines.join("\n"));
  return code;
}

/**
 * Registers `liqopt liq-price --input <file|-> [--json]`: perpetual-venue documents get the
 * positions report, lending documents (`aave-v3`, `compound-v3`, `maker`) the health-factor report,
 * `drift-v2` documents the exact Drift margin report, `gmx-v2` documents GMX's liquidation check and price. An input holding many documents (a JSON array,
 * or NDJSON: one per line) runs as a batch ({@link runBatch}): one NDJSON line per document.
 */
export function registerLiqPrice(program: Command): void {
  program
    .command("liq-price")
    .description("liquidation and bankruptcy price of every position, account margin, liquidation steps")
    .requiredOption(
      "-i, --input <file>",
      "account document (JSON, schemas/account.schema.json, lending-account.schema.json, drift-account.schema.json or gmx-account.schema.json); a JSON array of documents or NDJSON (one per line) for a batch, one result line per document; - for stdin",
    )
    .option("--json", "print one JSON object instead of tables")
    .action(async (opts) => {
      const input = await readInput(opts.input);
      const batch = splitBatch(input);
      if (batch !== null) {
        process.exitCode = runBatch(batch);
        return;
      }
      const report = reportOf(resolveAnyDocument(parseJson(input)));
      writeOut(opts.json === true ? toJson(report.json) : report.render());
    });
}

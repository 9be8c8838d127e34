/**
 * `liqopt venues`: the list of venues, one venue's rules, or one of its bundled tier tables, as
 * tables or JSON.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { getVenue } from "../venues/index.js";
import { tierTableDetail, type VenueSummary, venueDetail, venueList } from "../venues/venue-report.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";

function renderList(list: VenueSummary[]): string {
  return renderTable(
    ["Id", "Name", "Contracts", "Symbols", "Sources (with dates)"],
    list.map((v) => [v.id, v.name, v.contractKind, String(v.symbols), v.sources.join("\n")]),
    { rightAlign: [3], colWidths: [null, null, null, null, 64] },
  );
}

/** Words wrapped to lines of at most `width` characters, each indented by `indent`. */
function wrap(words: string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line !== "" && line.length + w.length + 2 > width) {
      lines.push(`${indent}${line},`);
      line = "";
    }
    line = line === "" ? w : `${line}, ${w}`;
  }
  if (line !== "") lines.push(`${indent}${line}`);
  return lines;
}

function renderDetail(d: ReturnType<typeof venueDetail>): string {
  const r = d.rules;
  const out = [
    `${d.name} (${d.id}): ${d.contractKind} contracts`,
    "",
    `Maintenance margin basis: notional at the ${r.maintenanceBasis === "mark" ? "mark" : "entry"} price`,
    `Close fee counted in maintenance margin: ${formatPercent(r.closeFeeRate, 3)} of notional`,
    `Liquidation at equity = maintenance margin: ${r.liquidateAtEquality ? "yes (margin ratio ≥ 100 %)" : "no (strictly below)"}`,
  ];
  const section = (title: string, lines: string[]) => {
    out.push("", title, ...lines.map((l) => `  - ${l}`));
  };
  section("Liquidation", d.liquidation);
  section("Insurance fund", d.insurance);
  section("Auto-deleveraging", d.adl);
  section("Sources", d.sources);
  const byDate = new Map<string, string[]>();
  for (const t of d.tierTables) byDate.set(t.asOf, [...(byDate.get(t.asOf) ?? []), t.symbol]);
  out.push("", `Bundled tier tables: ${d.tierTables.length} symbols (see --symbol <symbol>)`);
  for (const [asOf, symbols] of byDate) out.push(`  as of ${asOf}:`, ...wrap(symbols, 100, "    "));
  return out.join("\n");
}

function renderTiers(d: ReturnType<typeof tierTableDetail>): string {
  const rows = d.tiers.map((t, k) => [
    String(k + 1),
    formatNumber(t.notionalFloor, 8),
    Number.isFinite(t.notionalCap) ? formatNumber(t.notionalCap, 8) : "∞",
    formatPercent(t.mmr, 3),
    formatNumber(t.cum, 8),
    `${formatNumber(t.maxLeverage, 2)}x`,
  ]);
  return [
    `${d.symbol} on ${d.venue}, as of ${d.asOf}`,
    `Source: ${d.source}`,
    renderTable(["Tier", "Notional floor", "Notional cap", "MMR", "cum", "Max leverage"], rows, {
      rightAlign: [0, 1, 2, 3, 4, 5],
    }),
  ].join("\n");
}

/** Registers `liqopt venues [id] [--symbol S] [--json]`. */
export function registerVenues(program: Command): void {
  program
    .command("venues")
    .description("list venues, show a venue's rules, or print one of its tier tables")
    .argument("[id]", "venue id, e.g. binance-usdm")
    .option("-s, --symbol <symbol>", "print this symbol's bundled tier table (needs a venue id)")
    .option("--json", "print one JSON object instead of tables")
    .action((id, opts) => {
      const json = opts.json === true;
      if (id === undefined) {
        if (opts.symbol !== undefined) {
          throw new InputError(
            "--symbol",
            opts.symbol,
            "needs a venue id",
            "Use e.g. liqopt venues binance-usdm --symbol BTCUSDT.",
          );
        }
        const list = venueList();
        writeOut(
          json
            ? toJson(list)
            : `${renderList(list.venues)}\n${list.documentVenues.map((v) => `${v.id}: ${v.note}`).join("\n")}`,
        );
        return;
      }
      const venue = getVenue(id, "venue");
      if (opts.symbol !== undefined) {
        const d = tierTableDetail(venue, opts.symbol, "--symbol");
        writeOut(json ? toJson(d) : renderTiers(d));
        return;
      }
      const d = venueDetail(venue);
      writeOut(json ? toJson(d) : renderDetail(d));
    });
}

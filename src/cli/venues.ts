import type { Command } from "@commander-js/extra-typings";
import { type DatedTierTable, getVenue, InputError, type Venue, venueIds } from "../index.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";

/** One line of `liqopt venues`. */
export interface VenueSummary {
  id: string;
  name: string;
  contractKind: Venue["contractKind"];
  symbols: number;
  sources: string[];
}

/**
 * Venues whose parameters come with the account document rather than a bundled table (on-chain
 * markets): what the document must carry, and where the rules are described.
 */
export const DOCUMENT_VENUES: readonly { id: string; note: string }[] = [
  {
    id: "aave-v3",
    note: "lending; reserves (LTV, LT, bonus, fee, e-mode) in the document — docs/reference/aave-v3.md",
  },
  { id: "compound-v3", note: "lending; cUSDCv3 launch market by default — docs/reference/compound-v3.md" },
  {
    id: "maker",
    note: "vaults; ilk parameters in the document (mat bundled for ETH-A/B/C) — docs/reference/maker-liquidations-2.md",
  },
  {
    id: "drift-v2",
    note: "perps; per-market on-chain parameters in the document — docs/reference/drift-v2.md",
  },
];

/** Every venue with its contract kind, number of bundled symbols and sources (with their dates). */
export function venueSummaries(): VenueSummary[] {
  return venueIds().map((id) => {
    const v = getVenue(id);
    return {
      id,
      name: v.name,
      contractKind: v.contractKind,
      symbols: v.symbols().length,
      sources: v.sources,
    };
  });
}

/** The rules of one venue, as `liqopt venues <id> --json` prints them. */
export function venueDetail(v: Venue) {
  const { liquidation, insurance, adl } = v.describe();
  return {
    id: v.id,
    name: v.name,
    contractKind: v.contractKind,
    rules: v.rules,
    liquidation,
    insurance,
    adl,
    sources: v.sources,
    tierTables: v.symbols().map((symbol) => {
      const t = v.tierTable(symbol);
      return { symbol, asOf: t.asOf, tiers: t.tiers.length };
    }),
  };
}

/** A bundled tier table as `liqopt venues <id> --symbol S --json` prints it (open cap: null). */
export function tierTableDetail(v: Venue, symbol: string) {
  const instrument = v.instrument(symbol, "--symbol");
  const t: DatedTierTable = v.tierTable(instrument.symbol);
  return { venue: v.id, symbol: t.symbol, asOf: t.asOf, source: t.source, tiers: t.tiers };
}

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
        const list = venueSummaries();
        writeOut(
          json
            ? toJson({ venues: list, documentVenues: DOCUMENT_VENUES })
            : `${renderList(list)}\n${DOCUMENT_VENUES.map((v) => `${v.id}: ${v.note}`).join("\n")}`,
        );
        return;
      }
      const venue = getVenue(id, "venue");
      if (opts.symbol !== undefined) {
        const d = tierTableDetail(venue, opts.symbol);
        writeOut(json ? toJson(d) : renderTiers(d));
        return;
      }
      const d = venueDetail(venue);
      writeOut(json ? toJson(d) : renderDetail(d));
    });
}

/**
 * The large account document of issue 10 §6: a Binance USDⓈ-M cross account of `n` positions (10,000
 * by default), each on its own symbol `S<i>USDT`, wallet 1e6, size 0.01 entered at 60,000 and marked
 * at 61,000, each symbol with a one-tier table (maintenance 0.5 %, no cap) given in the document's
 * `tiers`. `npx tsx bench/big-account.ts [--positions 10000] [--out big10k.json]` writes it (to
 * stdout without `--out`); bench/engine.ts times the CLI workflows on it.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** The document of `n` positions described in the module comment, as a plain JSON object. */
export function bigAccountDocument(n: number): Record<string, unknown> {
  const symbols = Array.from({ length: n }, (_, i) => `S${i}USDT`);
  const tier = { notionalFloor: 0, notionalCap: null, mmr: 0.005, cum: 0, maxLeverage: 100 };
  return {
    venue: "binance-usdm",
    marginMode: "cross",
    walletBalance: 1e6,
    tiers: Object.fromEntries(symbols.map((s) => [s, [tier]])),
    positions: symbols.map((symbol) => ({ symbol, size: 0.01, entryPrice: 60_000, markPrice: 61_000 })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { positions: { type: "string", default: "10000" }, out: { type: "string" } },
  });
  const text = `${JSON.stringify(bigAccountDocument(Number(values.positions)))}\n`;
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
}

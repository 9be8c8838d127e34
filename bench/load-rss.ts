/**
 * Peak memory of loading a large candle file: writes a Binance Vision kline CSV of `ROWS` one-minute
 * bars (a random walk, seeded) to a temporary file, loads it with `readCandleFile` in a fresh Node
 * process, and prints the file size, the load time (wall and CPU) and the child's peak resident set
 * size (`process.resourceUsage().maxRSS`). Run: `npx tsx bench/load-rss.ts [rows] [--dist]`
 * (default 1,000,000 rows); `--dist` loads the built `dist/market/candles.js` (`npm run build`
 * first) in plain Node, without tsx's compiler in memory, as the CLI runs.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const DIST = args.includes("--dist");
const ROWS = Number(args.find((a) => a !== "--dist") ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "liqopt-rss-"));
const path = join(dir, "klines.csv");
// The file is removed even when the load fails (a 3 M-row file is 231 MiB).
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const fd = openSync(path, "w");
let price = 40_000;
let state = 12345;
const uniform = () => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};
// From Binance's first spot klines (2017-08-17), so that 4.8 M one-minute bars still end in the past.
const start = Date.UTC(2017, 7, 17);
let batch =
  "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n";
for (let i = 0; i < ROWS; i++) {
  const open = price;
  price *= 1 + (uniform() - 0.5) * 0.002;
  const high = Math.max(open, price) * (1 + uniform() * 0.0005);
  const low = Math.min(open, price) * (1 - uniform() * 0.0005);
  const volume = (uniform() * 50).toFixed(3);
  const t = start + i * 60_000;
  batch += `${t},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${price.toFixed(2)},${volume},${t + 59_999},0,0,0,0,0\n`;
  if (batch.length > 1 << 20) {
    writeSync(fd, batch);
    batch = "";
  }
}
writeSync(fd, batch);
closeSync(fd);

const candles = fileURLToPath(
  new URL(DIST ? "../dist/market/candles.js" : "../src/market/candles.ts", import.meta.url),
);
const loader = DIST ? [] : ["--import", "tsx"];
const probe = `
const { readCandleFile } = await import(${JSON.stringify(candles)});
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { series } = readCandleFile(${JSON.stringify(path)}, { symbol: "BTCUSDT" });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ bars: series.time.length, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS }));
`;
const baseline = execFileSync(
  process.execPath,
  [
    ...loader,
    "--input-type=module",
    "-e",
    `await import(${JSON.stringify(candles)}); console.log(process.resourceUsage().maxRSS)`,
  ],
  { encoding: "utf8" },
);
const out = JSON.parse(
  execFileSync(process.execPath, [...loader, "--input-type=module", "-e", probe], {
    encoding: "utf8",
  }),
) as {
  bars: number;
  ms: number;
  cpuMs: number;
  maxRssKiB: number;
};
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `${ROWS} rows, file ${mib(statSync(path).size)} MiB (${DIST ? "dist" : "src with tsx"}): loaded ${out.bars} bars in ` +
    `${(out.ms / 1000).toFixed(1)} s (CPU ${(out.cpuMs / 1000).toFixed(1)} s), ` +
    `peak RSS ${mib(out.maxRssKiB * 1024)} MiB (the loader module alone: ${mib(Number(baseline) * 1024)} MiB)`,
);

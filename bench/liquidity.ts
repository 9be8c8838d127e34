/**
 * Book walks per second on the rebuilt BitMEX XBTUSD book (the last state of the bundled
 * 2021-07-22 recording: 5,557 bid and 3,795 ask levels), for market sells of $10k, $1M, $10M and
 * $50M (1, 1, 154 and 1,059 levels consumed) and a buy of 500 BTC (218 levels); plus a depth curve
 * at 8 distances (5 to 1,000 bps) and the full rebuild of the recording (1,979 orderBookL2
 * messages, 10 symbols).
 *
 * `benchLiquidity(timeMs)` is wired into `npm run bench` (bench/run.ts) by the lead; standalone:
 * `npx tsx bench/liquidity.ts [timeMs]`.
 */
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import {
  bitmexBookSnapshots,
  readBitmexRecording,
  replayBitmexRecording,
} from "../src/market/bitmex-recording.js";
import { depthCurve, walkBook } from "../src/market/book-walk.js";

const RECORDING = fileURLToPath(
  new URL(
    "../data/orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt",
    import.meta.url,
  ),
);

/** One case: its name, walks per call, and the tinybench latency figures. */
export interface LiquidityBenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly rmePercent: number;
  readonly samples: number;
}

/** Runs the liquidity cases for `timeMs` each and returns their results (single-threaded). */
export async function benchLiquidity(timeMs: number): Promise<LiquidityBenchResult[]> {
  const text = readBitmexRecording(RECORDING);
  const books = bitmexBookSnapshots(text, "XBTUSD");
  const book = books[books.length - 1];
  if (book === undefined) throw new Error("the recording has no XBTUSD book");
  const distances = [5, 10, 25, 50, 100, 250, 500, 1000];
  let sink = 0;
  const bench = new Bench({ name: "liqopt liquidity", time: timeMs, warmupTime: Math.min(500, timeMs / 4) });
  for (const usd of [1e4, 1e6, 1e7, 5e7]) {
    bench.add(`book walk: sell $${usd.toLocaleString("en-US")} XBTUSD`, () => {
      sink += walkBook(book, "sell", usd, "quote").slippage;
    });
  }
  bench.add("book walk: buy 500 BTC XBTUSD", () => {
    sink += walkBook(book, "buy", 500, "base").slippage;
  });
  bench.add("depth curve, 8 distances", () => {
    sink += depthCurve(book, distances).askQuote[7] as number;
  });
  bench.add("rebuild: replay the whole recording (10 symbols)", () => {
    sink += replayBitmexRecording(text).l2Messages.update;
  });
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error("non-finite benchmark result");
  return bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
    return {
      name: task.name,
      opsPerSecond: 1000 / r.latency.mean,
      meanMs: r.latency.mean,
      medianMs: r.latency.p50,
      rmePercent: r.latency.rme,
      samples: r.latency.samplesCount,
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await benchLiquidity(Number(process.argv[2] ?? 1000));
  console.table(
    results.map((r) => ({
      case: r.name,
      "ops/s": Math.round(r.opsPerSecond).toLocaleString("en-US"),
      "µs/op (median)": (r.medianMs * 1000).toFixed(2),
      "±%": r.rmePercent.toFixed(2),
      samples: r.samples,
    })),
  );
}

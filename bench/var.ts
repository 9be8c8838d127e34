/**
 * VaR/ES throughput (src/risk/): historical VaR/ES estimates per second on 1,000-return windows
 * of real BTC hourly returns (what a rolling backtest or a per-account risk check calls), and
 * Monte Carlo VaR/ES simulated path-steps per second (GARCH-t and Student-t, horizon 24 bars,
 * with the fit given so that only the simulation and the order statistics are timed).
 *
 * `npx tsx bench/var.ts [--time <ms>]` runs it standalone; bench/run.ts calls {@link benchVar}.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { bundledPath } from "../src/market/bundled.js";
import { readCandleFile } from "../src/market/candles.js";
import { historicalVar } from "../src/risk/var-historical.js";
import { monteCarloVar } from "../src/risk/var-monte-carlo.js";
import { fitStudentT } from "../src/risk/var-parametric.js";
import { fit, percentReturns } from "../src/vol/garch.js";
import { logReturns } from "../src/vol/realized.js";

const WINDOW = 1000;
const WINDOWS = 200;
const MC_PATHS = 20_000;
const MC_HORIZON = 24;

/** One measured case: estimates (or path-steps) per second. */
export interface VarBenchCase {
  name: string;
  unit: string;
  perSecond: number;
  meanMs: number;
  samples: number;
}

/** Runs the VaR cases for about `timeMs` each. */
export async function benchVar(timeMs: number): Promise<VarBenchCase[]> {
  const series = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
    symbol: "BTCUSDT",
  }).series;
  const r = logReturns(series.close);
  const windows = Array.from({ length: WINDOWS }, (_, i) => r.subarray(i * 150, i * 150 + WINDOW));
  const last = r.subarray(r.length - 2000);
  const garch = fit(percentReturns(last), { model: "garch", dist: "t" });
  const losses = Float64Array.from(last, (x) => -x);
  const studentT = fitStudentT(losses);
  const bench = new Bench({ name: "VaR", time: timeMs, warmupTime: 200 });
  const items = new Map<string, [number, string]>();
  const add = (name: string, n: number, unit: string, fn: () => unknown) => {
    items.set(name, [n, unit]);
    bench.add(name, fn);
  };
  add(`historical VaR/ES, ${WINDOW}-return windows`, WINDOWS, "estimates", () => {
    for (const w of windows) historicalVar(w, { confidence: 0.99 });
  });
  add(
    `Monte Carlo GARCH-t, ${MC_PATHS} paths × ${MC_HORIZON} bars`,
    MC_PATHS * MC_HORIZON,
    "path-steps",
    () =>
      monteCarloVar(last, {
        model: "garch-t",
        confidence: 0.99,
        horizon: MC_HORIZON,
        seed: 1,
        paths: MC_PATHS,
        garch,
      }),
  );
  add(
    `Monte Carlo Student-t, ${MC_PATHS} paths × ${MC_HORIZON} bars`,
    MC_PATHS * MC_HORIZON,
    "path-steps",
    () =>
      monteCarloVar(last, {
        model: "student-t",
        confidence: 0.99,
        horizon: MC_HORIZON,
        seed: 1,
        paths: MC_PATHS,
        studentT,
      }),
  );
  await bench.run();
  return bench.tasks.map((task) => {
    const res = task.result;
    if (res.state !== "completed") throw new Error(`${task.name}: ${res.state}`);
    const [n, unit] = items.get(task.name) ?? [1, "calls"];
    return {
      name: task.name,
      unit,
      perSecond: (n * 1000) / res.latency.mean,
      meanMs: res.latency.mean,
      samples: res.latency.samplesCount,
    };
  });
}

/** The cases as a small table. */
export function formatVarBench(cases: readonly VarBenchCase[]): string {
  return cases
    .map(
      (c) =>
        `${c.name.padEnd(52)} ${(c.perSecond / 1e6).toFixed(3).padStart(9)} M ${c.unit}/s  (${c.meanMs.toFixed(2)} ms/call)`,
    )
    .join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { time: { type: "string", default: "2000" } } });
  console.log(formatVarBench(await benchVar(Number(values.time))));
}

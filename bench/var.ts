/**
 * VaR/ES throughput (src/risk/): historical VaR/ES estimates per second on 1,000-return windows
 * of real BTC hourly returns (what a rolling backtest or a per-account risk check calls), and
 * Monte Carlo VaR/ES simulated path-steps per second (GARCH-t and Student-t, horizon 24 bars,
 * with the fit given so that only the simulation and the order statistics are timed).
 *
 * `npx tsx bench/var.ts [--time <ms>]` runs it standalone; bench/run.ts calls {@link benchVar}.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { bundledPath } from "../src/market/bundled.js";
import { readCandleFile } from "../src/market/candles.js";
import { rollingBacktest } from "../src/risk/rolling-backtest.js";
import { historicalVar } from "../src/risk/var-historical.js";
import { monteCarloVar } from "../src/risk/var-monte-carlo.js";
import { fitStudentT } from "../src/risk/var-parametric.js";
import { fit, percentReturns } from "../src/vol/garch.js";
import { logReturns } from "../src/vol/realized.js";
import { runPythonJson, type Skipped } from "./python.js";

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

const ROLLING_WINDOW = 2000;
const ROLLING_CONFIDENCE = 0.99;
/** Windows sorted one by one to time the former path (a sort of a copy per window). */
const SORTED_WINDOWS = 1000;

/**
 * Seconds for all forecasts over the timed runs: the fastest and the median by the wall clock, and
 * the median CPU time of the process (less sensitive to other jobs on a shared machine).
 */
export interface RollingTiming {
  readonly bestSeconds: number;
  readonly medianSeconds: number;
  readonly medianCpuSeconds: number;
}

/** The rolling historical VaR comparison of {@link benchRollingVar}. */
export interface RollingVarBench {
  readonly forecasts: number;
  readonly window: number;
  readonly confidence: number;
  /** `rollingBacktest` with the historical model only: VaR, ES and the coverage tests. */
  readonly liqopt: RollingTiming;
  /** The former path, `historicalVar` on a sorted copy of each window, timed on {@link SORTED_WINDOWS} windows and scaled. */
  readonly sortPerWindow: RollingTiming;
  readonly numpyPartition:
    | (RollingTiming & { readonly maxAbsDiffVar: number; readonly maxAbsDiffEs: number })
    | Skipped;
  readonly pandas: (RollingTiming & { readonly version: string; readonly maxAbsDiffVar: number }) | Skipped;
  readonly numpy?: string;
}

function timeRuns(timeMs: number, fn: () => void, scale = 1): RollingTiming {
  const wall: number[] = [];
  const cpu: number[] = [];
  const t0 = performance.now();
  while (wall.length < 3 || performance.now() - t0 < timeMs) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    fn();
    wall.push(((performance.now() - w0) / 1000) * scale);
    const c = process.cpuUsage(c0);
    cpu.push(((c.user + c.system) / 1e6) * scale);
  }
  const median = (x: number[]) => x.sort((a, b) => a - b)[x.length >> 1] as number;
  return { bestSeconds: Math.min(...wall), medianSeconds: median(wall), medianCpuSeconds: median(cpu) };
}

/**
 * Rolling 99 % historical VaR/ES of every hour of the bundled BTCUSDT perpetual (2020-01 → 2024-04:
 * 35,659 forecasts from 2,000-bar windows) by liqopt's sorted window, by the former sort per window,
 * and by numpy (`np.partition`) and pandas (`rolling(W).quantile(q, interpolation="linear")`, the same
 * type-7 quantile) in scripts/bench/rolling_var_py.py, all in this run; Python checks that its
 * forecasts equal ours.
 */
export function benchRollingVar(timeMs: number): RollingVarBench {
  const series = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
    symbol: "BTCUSDT",
  }).series;
  const r = logReturns(series.close);
  const options = { confidence: ROLLING_CONFIDENCE, window: ROLLING_WINDOW, models: ["historical"] as const };
  const report = rollingBacktest(r, options);
  const forecasts = report.observations;
  rollingBacktest(r, options); // warm-up (JIT)
  const liqopt = timeRuns(timeMs, () => rollingBacktest(r, options));
  const sortPerWindow = timeRuns(
    timeMs,
    () => {
      for (let t = 0; t < SORTED_WINDOWS; t++)
        historicalVar(r.subarray(t, t + ROLLING_WINDOW), { confidence: ROLLING_CONFIDENCE });
    },
    forecasts / SORTED_WINDOWS,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), "liqopt-rolling-var-"));
  try {
    const returnsFile = path.join(dir, "returns.f64");
    const oursFile = path.join(dir, "ours.f64");
    writeFileSync(returnsFile, new Uint8Array(r.buffer, r.byteOffset, r.byteLength));
    const model = report.models[0];
    if (model === undefined) throw new Error("no historical report");
    const ours = new Float64Array(2 * forecasts);
    ours.set(model.var);
    ours.set(model.es, forecasts);
    writeFileSync(oursFile, new Uint8Array(ours.buffer));
    const py = runPythonJson<Pick<RollingVarBench, "numpyPartition" | "pandas" | "numpy">>(
      "rolling_var_py.py",
      [
        "--returns",
        returnsFile,
        "--ours",
        oursFile,
        "--window",
        String(ROLLING_WINDOW),
        "--confidence",
        String(ROLLING_CONFIDENCE),
        "--seconds",
        String(timeMs / 1000),
      ],
    );
    const base = { forecasts, window: ROLLING_WINDOW, confidence: ROLLING_CONFIDENCE, liqopt, sortPerWindow };
    return "skipped" in py ? { ...base, numpyPartition: py, pandas: py } : { ...base, ...py };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rolling comparison as a small table (times for all forecasts, and how many times liqopt is faster). */
export function formatRollingVarBench(b: RollingVarBench): string {
  const ms = (seconds: number) => (seconds * 1000).toFixed(1).padStart(8);
  const row = (name: string, t: RollingTiming | Skipped, extra = "") =>
    "skipped" in t
      ? `${name.padEnd(44)} ${t.skipped}`
      : `${name.padEnd(44)} ${ms(t.medianSeconds)} ms median ${ms(t.bestSeconds)} ms best ${ms(t.medianCpuSeconds)} ms CPU  ${(t.medianCpuSeconds / b.liqopt.medianCpuSeconds).toFixed(1).padStart(6)}× liqopt's CPU${extra}`;
  const diff = (t: { maxAbsDiffVar: number; maxAbsDiffEs?: number } | Skipped) =>
    "skipped" in t
      ? ""
      : `  max |ΔVaR| ${t.maxAbsDiffVar}${t.maxAbsDiffEs === undefined ? "" : ` max |ΔES| ${t.maxAbsDiffEs}`}`;
  return [
    `rolling ${b.confidence} historical VaR/ES, ${b.forecasts} hourly forecasts, ${b.window}-bar window`,
    row("liqopt, sorted window (VaR, ES, tests)", b.liqopt),
    row("liqopt before: sort a copy per window", b.sortPerWindow),
    row(`numpy ${b.numpy ?? ""} np.partition (VaR, ES)`, b.numpyPartition, diff(b.numpyPartition)),
    row(
      `pandas ${"skipped" in b.pandas ? "" : b.pandas.version} rolling quantile (VaR)`,
      b.pandas,
      diff(b.pandas),
    ),
  ].join("\n");
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
  console.log(formatRollingVarBench(benchRollingVar(Number(values.time))));
}

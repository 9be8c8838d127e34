/**
 * Liquidation Monte Carlo throughput (src/sim/): Student-t path-steps per second with barrier
 * tracking and the Brownian-bridge test, on one thread and on all cores (worker pool), against
 * the same simulation vectorised in numpy (scripts/bench/sim_numpy.py, run with child_process in
 * the same process run). Goal: ≥ 50 million Student-t path-steps per second per core.
 *
 * The case: a long with liquidation price 0.9·S₀, σ 0.8/yr, unit-variance t (ν = 4) shocks,
 * 7 days of hourly steps (168), bridge on; every path is generated in full (the count is
 * paths × 168). Rates are given per wall-clock second and per CPU second (process.cpuUsage /
 * time.process_time; for the pool the whole process's CPU time, i.e. per busy core), the latter
 * less sensitive to other load on a shared machine.
 *
 * `npx tsx bench/sim.ts [--time <ms>]` runs it standalone; bench/run.ts calls {@link benchSim}.
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Xoshiro128 } from "../src/math/random.js";
import {
  CrossAccountEvaluator,
  type CrossAccountSpec,
  crossAccountSimulation,
} from "../src/sim/cross-account.js";
import {
  type LiquidationEstimate,
  LiquidationEvaluator,
  type LiquidationSpec,
  liquidationTally,
} from "../src/sim/liquidation.js";
import { SimulationPool } from "../src/sim/pool.js";
import type { PathEvaluator } from "../src/sim/run.js";
import type { FirstPassageTally } from "../src/sim/tally.js";
import { binanceUsdm } from "../src/venues/binance-usdm.js";
import { PYTHON, runPythonJson, type Skipped } from "./python.js";

const STEPS = 168;
const SEED = 20_261_124;

/** The benchmarked simulation. */
export const BENCH_SIM_SPEC: LiquidationSpec = {
  model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "student-t", nu: 4 } },
  grid: { horizonYears: 7 / 365, steps: STEPS },
  barrier: { side: "long", spotPrice: 100, liquidationPrice: 90 },
};

/**
 * The benchmarked cross account: long 1 BTC and 10 ETH on the real Binance USDⓈ-M brackets,
 * correlation 0.8, unit-variance multivariate t (ν = 4) shocks, the same 168 hourly steps, collateral
 * 12 % of the gross notional; a path-step moves both assets.
 */
export const BENCH_CROSS_SPEC: CrossAccountSpec = {
  assets: [
    { spotPrice: 60_000, annualVol: 0.8 },
    { spotPrice: 3_000, annualVol: 0.9 },
  ],
  correlation: [
    [1, 0.8],
    [0.8, 1],
  ],
  innovations: { kind: "student-t", nu: 4 },
  grid: { horizonYears: 7 / 365, steps: STEPS },
  collateral: 10_800,
  positions: [
    { asset: 0, quantity: 1, entryPrice: 60_000, tiers: binanceUsdm().tierTable("BTCUSDT").tiers },
    { asset: 1, quantity: 10, entryPrice: 3_000, tiers: binanceUsdm().tierTable("ETHUSDT").tiers },
  ],
};

/** One measured configuration. */
export interface SimBenchCase {
  readonly name: string;
  readonly paths: number;
  readonly pathSteps: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly pathStepsPerSecond: number;
  readonly pathStepsPerCpuSecond: number;
  readonly probability: number;
}

/** The figures of {@link benchSim}. */
export interface SimBenchResult {
  readonly cores: number;
  readonly singleThread: SimBenchCase;
  readonly allCores: SimBenchCase;
  /** The cross-account evaluator on {@link BENCH_CROSS_SPEC}, single thread. */
  readonly crossAccount: SimBenchCase;
  /** Single-position path-steps per CPU second over the cross account's (goal: at most 2). */
  readonly crossSlowdown: number;
  /** The numpy run, or why it was skipped. */
  readonly numpy: SimBenchCase | Skipped;
  /** Single-thread path-steps per wall second over numpy's (when numpy ran). */
  readonly speedupVsNumpy?: number;
  /** The same per CPU second (less sensitive to other jobs on a shared machine). */
  readonly speedupVsNumpyCpu?: number;
  /** All-cores path-steps per wall second divided by the cores (the per-core goal is 50 M). */
  readonly allCoresPerCore: number;
}

/** Measures single-threaded, all-cores and numpy throughput, each for about `timeMs`. */
export async function benchSim(timeMs: number): Promise<SimBenchResult> {
  const cores = os.availableParallelism();
  const singleThread = runSingle(timeMs);
  // Size the pooled run from the single-thread rate so it lasts about timeMs.
  const perPath = singleThread.wallSeconds / singleThread.paths;
  const batchPaths = Math.max(1_000, Math.round(timeMs / 1000 / perPath / 8));
  const paths = batchPaths * cores * 8;
  const pool = new SimulationPool(cores);
  let pooled: LiquidationEstimate;
  let wall: number;
  let cpuSeconds: number;
  try {
    // Warm-up run: thread start, module load and JIT are not part of the rate.
    await pool.run("liquidation", BENCH_SIM_SPEC, { seed: SEED, paths: cores * 2_000, batchPaths: 2_000 });
    const cpu0 = process.cpuUsage(); // process-wide: includes the worker threads
    const wall0 = performance.now();
    pooled = await pool.run("liquidation", BENCH_SIM_SPEC, { seed: SEED, paths, batchPaths });
    wall = (performance.now() - wall0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  } finally {
    await pool.close();
  }
  const allCores: SimBenchCase = {
    name: `worker pool, ${cores} threads`,
    paths: pooled.paths,
    pathSteps: pooled.paths * STEPS,
    wallSeconds: wall,
    cpuSeconds,
    pathStepsPerSecond: (pooled.paths * STEPS) / wall,
    pathStepsPerCpuSecond: (pooled.paths * STEPS) / cpuSeconds,
    probability: pooled.probability,
  };
  const crossAccount = runCross(timeMs);
  const numpy = runNumpy(timeMs);
  return {
    cores,
    singleThread,
    allCores,
    crossAccount,
    crossSlowdown: singleThread.pathStepsPerCpuSecond / crossAccount.pathStepsPerCpuSecond,
    numpy,
    ...("skipped" in numpy
      ? {}
      : {
          speedupVsNumpy: singleThread.pathStepsPerSecond / numpy.pathStepsPerSecond,
          speedupVsNumpyCpu: singleThread.pathStepsPerCpuSecond / numpy.pathStepsPerCpuSecond,
        }),
    allCoresPerCore: allCores.pathStepsPerSecond / cores,
  };
}

/** Runs `evaluator` on the bench seed in batches of 2,000 paths for about `timeMs` (after one warm-up batch). */
function runTimed<T extends FirstPassageTally>(
  name: string,
  evaluator: PathEvaluator<T>,
  empty: () => T,
  timeMs: number,
): SimBenchCase {
  const rng = new Xoshiro128(SEED);
  evaluator.run(rng, 2_000, empty()); // warm-up (JIT)
  const tally = empty();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  while (performance.now() - wall0 < timeMs) evaluator.run(rng, 2_000, tally);
  const wall = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    name,
    paths: tally.paths,
    pathSteps: tally.paths * STEPS,
    wallSeconds: wall,
    cpuSeconds,
    pathStepsPerSecond: (tally.paths * STEPS) / wall,
    pathStepsPerCpuSecond: (tally.paths * STEPS) / cpuSeconds,
    probability: tally.liquidated / tally.paths,
  };
}

function runSingle(timeMs: number): SimBenchCase {
  return runTimed("single thread", new LiquidationEvaluator(BENCH_SIM_SPEC), liquidationTally.empty, timeMs);
}

function runCross(timeMs: number): SimBenchCase {
  return runTimed(
    "cross account, 2 assets, multivariate t",
    new CrossAccountEvaluator(BENCH_CROSS_SPEC),
    crossAccountSimulation.tally.empty,
    timeMs,
  );
}

function runNumpy(timeMs: number): SimBenchCase | Skipped {
  const r = runPythonJson<{
    numpy: string;
    paths: number;
    batch: number;
    wallSeconds: number;
    cpuSeconds: number;
    pathStepsPerSecond: number;
    pathStepsPerCpuSecond: number;
    probability: number;
  }>("sim_numpy.py", ["--seconds", String(timeMs / 1000), "--steps", String(STEPS)]);
  if ("skipped" in r) return r;
  return {
    name: `numpy ${r.numpy} (blocks of ${r.batch} paths, ${PYTHON})`,
    paths: r.paths,
    pathSteps: r.paths * STEPS,
    wallSeconds: r.wallSeconds,
    cpuSeconds: r.cpuSeconds,
    pathStepsPerSecond: r.pathStepsPerSecond,
    pathStepsPerCpuSecond: r.pathStepsPerCpuSecond,
    probability: r.probability,
  };
}

/** Prints a result as a small table. */
export function formatSimBench(r: SimBenchResult): string {
  const m = (x: number) => (Number.isNaN(x) ? "—" : `${(x / 1e6).toFixed(1)} M`);
  const row = (c: SimBenchCase) =>
    `${c.name.padEnd(44)} ${m(c.pathStepsPerSecond).padStart(9)}/s wall ${m(c.pathStepsPerCpuSecond).padStart(9)}/s cpu  P ${c.probability.toFixed(4)}  (${c.paths} paths)`;
  const lines = [
    `Student-t (ν 4) path-steps with barrier + bridge, ${STEPS} steps/path, ${r.cores} cores`,
    row(r.singleThread),
    row(r.allCores),
    row(r.crossAccount),
    `cross account per CPU second: ${(1 / r.crossSlowdown).toFixed(2)}× the single position's (goal ≥ 0.5×)`,
    "skipped" in r.numpy ? r.numpy.skipped : row(r.numpy),
    `all cores per core: ${m(r.allCoresPerCore)}/s (goal 50 M)` +
      (r.speedupVsNumpy === undefined
        ? ""
        : `; single thread vs numpy: ×${r.speedupVsNumpy.toFixed(1)} wall, ×${r.speedupVsNumpyCpu?.toFixed(1)} per CPU second`),
  ];
  return lines.join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { time: { type: "string", default: "2000" } } });
  console.log(formatSimBench(await benchSim(Number(values.time))));
}

/**
 * The desk case of the worker pool (src/sim/pool.ts): many accounts, each a single position
 * simulated for 1,000 paths of 288 five-minute steps (one day) with Student-t (ν = 4) shocks,
 * barrier tracking and the Brownian-bridge test — 10,000 accounts at full scale (2.88 billion
 * path-steps). `SimulationPool.runAccounts` sends jobs of many accounts to whichever worker is free;
 * the bench times it with one worker and with all cores, and reports the pool's efficiency,
 * `(rate with n workers / rate with 1) / n`. For contrast it also times the split run
 * (`SimulationPool.run` per account: each account's paths split over the workers in rounds, one
 * barrier per account) on a tenth of the accounts.
 *
 * The accounts come from a seeded stream: leverage log-uniform 2×–50×, liquidation price at
 * `1/leverage − 0.5 %` from the mark, longs and shorts evenly, σ 40–120 %/yr.
 *
 * `npx tsx bench/desk.ts [--accounts 10000]` runs it standalone; bench/run.ts calls {@link benchDesk}.
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Xoshiro128 } from "../src/math/random.js";
import type { LiquidationSpec } from "../src/sim/liquidation.js";
import { SimulationPool } from "../src/sim/pool.js";

const STEPS = 288;
const PATHS = 1_000;
const SEED = 20_261_207;

/** The desk's accounts: `count` seeded single positions (see the module doc). */
export function deskAccounts(count: number): LiquidationSpec[] {
  const rng = new Xoshiro128(SEED);
  return Array.from({ length: count }, () => {
    const leverage = 2 * 25 ** rng.next();
    const annualVol = 0.4 + 0.8 * rng.next();
    const long = rng.next() < 0.5;
    const distance = 1 / leverage - 0.005;
    return {
      model: { volatility: { kind: "constant", annualVol }, innovations: { kind: "student-t", nu: 4 } },
      grid: { horizonYears: 1 / 365, steps: STEPS },
      barrier: {
        side: long ? "long" : "short",
        spotPrice: 100,
        liquidationPrice: long ? 100 * (1 - distance) : 100 * (1 + distance),
      },
    };
  });
}

/** One timed configuration. */
export interface DeskCase {
  readonly name: string;
  readonly workers: number;
  readonly accounts: number;
  readonly pathSteps: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly pathStepsPerSecond: number;
  /** Mean P(liquidation) over the accounts (the same for every worker count in the batched runs). */
  readonly meanProbability: number;
}

/** The figures of {@link benchDesk}. */
export interface DeskBenchResult {
  readonly cores: number;
  readonly pathsPerAccount: number;
  readonly steps: number;
  readonly oneWorker: DeskCase;
  readonly allCores: DeskCase;
  /** (all-cores rate / one-worker rate) / cores. */
  readonly efficiency: number;
  /** The split run on a tenth of the accounts, all cores. */
  readonly splitRun: DeskCase;
  /** Whether the batched runs with 1 and with all workers gave identical results. */
  readonly identicalAcrossWorkers: boolean;
  /** Load average (1 min) before the runs: other jobs on the machine. */
  readonly loadAverage: number;
}

/** Times the desk case on `accounts` accounts. */
export async function benchDesk(accounts: number): Promise<DeskBenchResult> {
  const cores = os.availableParallelism();
  const specs = deskAccounts(accounts);
  const loadAverage = os.loadavg()[0] ?? Number.NaN;
  const control = { seed: SEED, paths: PATHS, batchPaths: PATHS };
  const batched = async (workers: number) => {
    const pool = new SimulationPool(workers);
    try {
      await pool.runAccounts("liquidation", specs.slice(0, 4 * workers), control); // warm-up (threads, JIT)
      const { seconds, cpu, value } = await timed(() => pool.runAccounts("liquidation", specs, control));
      return { seconds, cpu, results: value };
    } finally {
      await pool.close();
    }
  };
  const one = await batched(1);
  const all = await batched(cores);
  const toCase = (
    name: string,
    workers: number,
    n: number,
    r: { seconds: number; cpu: number },
    p: number,
  ) => ({
    name,
    workers,
    accounts: n,
    pathSteps: n * PATHS * STEPS,
    wallSeconds: r.seconds,
    cpuSeconds: r.cpu,
    pathStepsPerSecond: (n * PATHS * STEPS) / r.seconds,
    meanProbability: p,
  });
  const meanP = (rs: readonly { probability: number }[]) =>
    rs.reduce((s, r) => s + r.probability, 0) / rs.length;
  const oneWorker = toCase("batched accounts, 1 worker", 1, accounts, one, meanP(one.results));
  const allCores = toCase(`batched accounts, ${cores} workers`, cores, accounts, all, meanP(all.results));
  const splitSpecs = specs.slice(0, Math.max(1, Math.round(accounts / 10)));
  const pool = new SimulationPool(cores);
  let split: { seconds: number; cpu: number; value: { probability: number }[] };
  try {
    await pool.run("liquidation", specs[0] as LiquidationSpec, {
      ...control,
      batchPaths: Math.ceil(PATHS / cores),
    });
    split = await timed(async () => {
      const out: { probability: number }[] = [];
      for (const s of splitSpecs)
        out.push(await pool.run("liquidation", s, { ...control, batchPaths: Math.ceil(PATHS / cores) }));
      return out;
    });
  } finally {
    await pool.close();
  }
  return {
    cores,
    pathsPerAccount: PATHS,
    steps: STEPS,
    oneWorker,
    allCores,
    efficiency: allCores.pathStepsPerSecond / oneWorker.pathStepsPerSecond / cores,
    splitRun: toCase(
      `split run per account, ${cores} workers`,
      cores,
      splitSpecs.length,
      split,
      meanP(split.value),
    ),
    identicalAcrossWorkers: JSON.stringify(one.results) === JSON.stringify(all.results),
    loadAverage,
  };
}

async function timed<T>(f: () => Promise<T>): Promise<{ seconds: number; cpu: number; value: T }> {
  const cpu0 = process.cpuUsage(); // process-wide: includes the worker threads
  const wall0 = performance.now();
  const value = await f();
  const seconds = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, value };
}

/** Prints a result as a small table. */
export function formatDeskBench(r: DeskBenchResult): string {
  const row = (c: DeskCase) =>
    `${c.name.padEnd(36)} ${String(c.accounts).padStart(6)} accounts ${c.wallSeconds.toFixed(1).padStart(6)} s wall ${c.cpuSeconds.toFixed(1).padStart(6)} s cpu ${(c.pathStepsPerSecond / 1e6).toFixed(1).padStart(6)} M path-steps/s (${(c.pathSteps / c.cpuSeconds / 1e6).toFixed(1)} M per CPU-s, ${(c.cpuSeconds / c.wallSeconds).toFixed(2)} cores busy)  mean P ${c.meanProbability.toFixed(4)}`;
  return [
    `desk case: ${r.pathsPerAccount} paths × ${r.steps} steps per account, ${r.cores} cores, load average ${r.loadAverage.toFixed(2)} before the runs`,
    row(r.oneWorker),
    row(r.allCores),
    row(r.splitRun),
    `pool efficiency on ${r.cores} cores: ${(100 * r.efficiency).toFixed(0)} % (rate ×${(r.efficiency * r.cores).toFixed(2)}); results identical across worker counts: ${r.identicalAcrossWorkers}`,
  ].join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { accounts: { type: "string", default: "1000" } } });
  console.log(formatDeskBench(await benchDesk(Number(values.accounts))));
}

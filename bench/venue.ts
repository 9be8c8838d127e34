/**
 * The venue simulator's throughput (issue 11), two parts:
 * - the full model (engine helper): the registered `"venue"` simulation on a drawn BTCUSDT book of
 *   10,000 isolated positions (examples/venue/population-btcusdt.json with `count` 10,000 and the
 *   open interest scaled to it), 288 five-minute steps of a Student-t (ν = 3) path at 80 % a year, a
 *   10 M USD fund, a 50 M USD-a-step liquidator, square-root impact with a 6-step half-life and
 *   queue ADL; on one thread and on the pool with all cores, in account-steps per second
 *   (`accounts × steps × paths / seconds`; the engine's cost is the crossings per tick, not the book);
 * - against numpy: `PerpVenue` stepping the 10,000-position book of examples/venue/cex-btcusdt.json
 *   through GBM paths of 288 five-minute steps, without and with the square-root impact feedback,
 *   against the same simple model vectorised in numpy (scripts/bench/venue_numpy.py, on the same
 *   book, in the same run): take-over at the crossing, the remainder (clearance fee included) to the
 *   fund or the shortfall from it, no liquidator capacity limit; account-steps per CPU second; both
 *   report the mean liquidations and bad debt per path, so the two implementations are checked
 *   against each other (different random streams: they agree within their sampling error); and
 *   issue 11's goal, 10,000 accounts × 288 steps × 1,000 paths in under 60 s on 2 cores, on the pool.
 *
 * `npx tsx bench/venue.ts [--paths N] [--time <ms>]` runs it standalone; bench/run.ts calls
 * {@link benchVenueFullModel} and {@link benchVenue}.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Xoshiro128 } from "../src/math/random.js";
import { createPathGenerator } from "../src/sim/models.js";
import { simulateParallel } from "../src/sim/pool.js";
import { runSimulation } from "../src/sim/run.js";
import { PerpVenue, type PerpVenueParams } from "../src/sim/venue/engine.js";
import { readPopulationFile } from "../src/sim/venue/population-spec.js";
import { readScenario, type Scenario } from "../src/sim/venue/scenario.js";
import { type VenueSimulationSpec, venueSimulation } from "../src/sim/venue/simulation.js";
import { PYTHON, runPythonJson, type Skipped } from "./python.js";

const STEPS = 288;
const STEP_MINUTES = 5;
const ANNUAL_VOL = 0.6;
const SEED = 20_261_207;

/** One measured implementation. */
export interface VenueBenchCase {
  readonly name: string;
  readonly paths: number;
  readonly accountSteps: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly accountStepsPerCpuSecond: number;
  readonly meanLiquidations: number;
  readonly meanBadDebtUsd: number;
}

/** The engine and numpy, without and with impact, and the goal's run on the pool. */
export interface VenueBenchResult {
  readonly accounts: number;
  readonly steps: number;
  readonly cases: readonly (VenueBenchCase | Skipped)[];
  /** 1,000 paths of the simple model on the pool with 2 workers (issue 11's goal: < 60 s). */
  readonly goal: VenueBenchCase;
}

/** The book and venue of the CEX example, capacity unlimited (the simple model). */
function benchScenario(): { scenario: Scenario; params: PerpVenueParams } {
  const path = fileURLToPath(new URL("../examples/venue/cex-btcusdt.json", import.meta.url));
  const scenario = readScenario(JSON.parse(readFileSync(path, "utf8")), () => "");
  const { impact: _impact, ...venue } = scenario.venue;
  return { scenario, params: { ...venue, liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY } };
}

/** Steps `venue` through GBM paths for about `timeMs` (after one warm-up path). */
function runEngine(
  name: string,
  scenario: Scenario,
  params: PerpVenueParams,
  timeMs: number,
): VenueBenchCase {
  const venue = new PerpVenue(scenario.population, params);
  const generator = createPathGenerator(
    { volatility: { kind: "constant", annualVol: ANNUAL_VOL }, innovations: { kind: "normal" } },
    { horizonYears: (STEPS * STEP_MINUTES) / (365 * 24 * 60), steps: STEPS },
  );
  const returns = new Float64Array(STEPS);
  const variance = new Float64Array(STEPS);
  const rng = new Xoshiro128(SEED);
  const s0 = scenario.population.markPrice[0] as number;
  let paths = 0;
  let liquidations = 0;
  let badDebt = 0;
  const onePath = () => {
    venue.reset();
    generator.next(rng, returns, variance);
    let x = Math.log(s0);
    for (let k = 0; k < STEPS; k++) {
      x += returns[k] as number;
      venue.step(Math.exp(x));
    }
  };
  onePath(); // warm-up (JIT)
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  while (performance.now() - wall0 < timeMs) {
    onePath();
    paths++;
    liquidations += venue.totals.takenOver;
    badDebt += venue.totals.badDebtUsd;
  }
  const wallSeconds = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const accountSteps = scenario.population.length * STEPS * paths;
  return {
    name,
    paths,
    accountSteps,
    wallSeconds,
    cpuSeconds,
    accountStepsPerCpuSecond: accountSteps / cpuSeconds,
    meanLiquidations: liquidations / paths,
    meanBadDebtUsd: badDebt / paths,
  };
}

/** scripts/bench/venue_numpy.py on the same book (written as raw float64 columns). */
function runNumpy(
  scenario: Scenario,
  params: PerpVenueParams,
  impact: boolean,
  timeMs: number,
): VenueBenchCase | Skipped {
  const p = scenario.population;
  const book = join(tmpdir(), `liqopt-venue-book-${process.pid}.f64`);
  const columns = new Float64Array(4 * p.length);
  for (const [j, c] of [p.size, p.entryPrice, p.isolatedMargin, p.liquidationPrice].entries()) {
    columns.set(c, j * p.length);
  }
  writeFileSync(book, columns);
  const i = scenario.venue.impact;
  const r = runPythonJson<{
    numpy: string;
    paths: number;
    wallSeconds: number;
    cpuSeconds: number;
    accountStepsPerCpuSecond: number;
    meanLiquidations: number;
    meanBadDebt: number;
    accounts: number;
  }>("venue_numpy.py", [
    "--book",
    book,
    "--mark",
    String(p.markPrice[0]),
    "--steps",
    String(STEPS),
    "--step-minutes",
    String(STEP_MINUTES),
    "--annual-vol",
    String(ANNUAL_VOL),
    "--seconds",
    String(timeMs / 1000),
    "--fee-rate",
    String(params.liquidationFeeRate),
    "--fund",
    String(params.insuranceFundUsd),
    ...(impact && i !== undefined
      ? [
          "--impact",
          "--impact-y",
          String(i.y),
          "--daily-vol",
          String(i.dailyVol),
          "--daily-volume",
          String(i.dailyVolumeUsd),
          "--half-life-steps",
          String(i.halfLifeSteps),
        ]
      : []),
  ]);
  rmSync(book, { force: true });
  if ("skipped" in r) return r;
  return {
    name: `numpy ${r.numpy}${impact ? ", impact" : ""} (${PYTHON})`,
    paths: r.paths,
    accountSteps: r.accounts * STEPS * r.paths,
    wallSeconds: r.wallSeconds,
    cpuSeconds: r.cpuSeconds,
    accountStepsPerCpuSecond: r.accountStepsPerCpuSecond,
    meanLiquidations: r.meanLiquidations,
    meanBadDebtUsd: r.meanBadDebt,
  };
}

/**
 * Issue 11's goal case: 1,000 paths of the simple model (GBM, no impact, no capacity limit) on the
 * registered "venue" simulation with 2 worker threads; wall time from the call (thread start and
 * the per-worker draw of the book included) and the whole process's CPU time.
 */
async function runGoal(scenario: Scenario, params: PerpVenueParams): Promise<VenueBenchCase> {
  const src = scenario.populationSource;
  if (src.kind !== "drawn") throw new Error("the bench book is drawn");
  const paths = 1_000;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const e = await simulateParallel(
    "venue",
    {
      book: { spec: src.spec, seed: src.seed, tiers: scenario.tiers },
      venue: params,
      model: { volatility: { kind: "constant", annualVol: ANNUAL_VOL }, innovations: { kind: "normal" } },
      grid: { horizonYears: (STEPS * STEP_MINUTES) / (365 * 24 * 60), steps: STEPS },
    },
    { seed: SEED, paths, workers: 2, batchPaths: 50 },
  );
  const wallSeconds = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const accountSteps = e.positions * STEPS * e.paths;
  return {
    name: "venue simulation, pool of 2 workers",
    paths: e.paths,
    accountSteps,
    wallSeconds,
    cpuSeconds,
    accountStepsPerCpuSecond: accountSteps / cpuSeconds,
    meanLiquidations: e.liquidations.mean,
    meanBadDebtUsd: e.badDebt.mean,
  };
}

/** Measures the engine and numpy, without and with impact, each for about `timeMs`, then the goal's run. */
export async function benchVenue(timeMs: number): Promise<VenueBenchResult> {
  const { scenario, params } = benchScenario();
  const impact = scenario.venue.impact;
  const withImpact: PerpVenueParams = impact === undefined ? params : { ...params, impact };
  return {
    goal: await runGoal(scenario, params),
    accounts: scenario.population.length,
    steps: STEPS,
    cases: [
      runEngine("PerpVenue, one thread", scenario, params, timeMs),
      runNumpy(scenario, params, false, timeMs),
      runEngine("PerpVenue, one thread, impact", scenario, withImpact, timeMs),
      runNumpy(scenario, withImpact, true, timeMs),
    ],
  };
}

/** Prints a result as a small table. */
export function formatVenueBench(r: VenueBenchResult): string {
  const row = (c: VenueBenchCase | Skipped) =>
    "skipped" in c
      ? c.skipped
      : `${c.name.padEnd(40)} ${(c.accountStepsPerCpuSecond / 1e6).toFixed(1).padStart(9)} M account-steps/cpu-s  ${c.paths} paths  liquidations ${c.meanLiquidations.toFixed(2)}/path  bad debt ${c.meanBadDebtUsd.toFixed(0)} USD/path`;
  const g = r.goal;
  return [
    `${r.accounts} accounts × ${r.steps} steps, GBM σ ${ANNUAL_VOL}`,
    ...r.cases.map(row),
    row(g),
    `goal: 1,000 paths on 2 workers in ${g.wallSeconds.toFixed(2)} s wall, ${g.cpuSeconds.toFixed(2)} s CPU (goal < 60 s)`,
  ].join("\n");
}

const ACCOUNTS = 10_000;
const FULL_SEED = 20_261_124;

/** The full model: the book of population-btcusdt.json at 10,000 positions, t paths, capacity, impact. */
function fullModelSpec(): VenueSimulationSpec {
  const file = readPopulationFile(
    JSON.parse(readFileSync(new URL("../examples/venue/population-btcusdt.json", import.meta.url), "utf8")),
  );
  const openInterest = (file.spec.openInterest * ACCOUNTS) / file.spec.count;
  return {
    book: { spec: { ...file.spec, count: ACCOUNTS, openInterest }, seed: file.seed, tiers: file.tiers },
    venue: {
      insuranceFundUsd: 1e7,
      liquidationFeeRate: 0.003,
      liquidatorCapacityUsdPerStep: 5e7,
      adlPolicy: "queue",
      impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 2e10, halfLifeSteps: 6 },
    },
    model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "student-t", nu: 3 } },
    grid: { horizonYears: 1 / 365, steps: STEPS },
  };
}

/** One measured configuration. */
export interface VenueBenchRow {
  readonly name: string;
  readonly paths: number;
  readonly seconds: number;
  readonly accountStepsPerSecond: number;
  /** Mean positions liquidated per path (what the paths did). */
  readonly liquidationsPerPath: number;
}

/** Times `paths` paths of the full model on one thread and on the pool with all cores. */
export async function benchVenueFullModel(paths: number): Promise<VenueBenchRow[]> {
  const spec = fullModelSpec();
  const rows: VenueBenchRow[] = [];
  const row = (name: string, seconds: number, liquidations: number): VenueBenchRow => ({
    name,
    paths,
    seconds,
    accountStepsPerSecond: (ACCOUNTS * STEPS * paths) / seconds,
    liquidationsPerPath: liquidations,
  });
  let t0 = performance.now();
  const single = runSimulation(venueSimulation, spec, { seed: FULL_SEED, paths, batchPaths: paths });
  rows.push(row("venue, 1 thread", (performance.now() - t0) / 1000, single.liquidations.mean));
  const workers = os.availableParallelism();
  t0 = performance.now();
  const pooled = await simulateParallel("venue", spec, {
    seed: FULL_SEED,
    paths,
    batchPaths: Math.ceil(paths / workers),
    workers,
  });
  rows.push(row(`venue, pool of ${workers}`, (performance.now() - t0) / 1000, pooled.liquidations.mean));
  return rows;
}

/** The full model's rows as a table. */
export function formatVenueFullModelBench(rows: readonly VenueBenchRow[]): string {
  return rows
    .map(
      (r) =>
        `${r.name.padEnd(22)} ${String(r.paths).padStart(6)} paths  ${r.seconds.toFixed(2).padStart(8)} s  ` +
        `${(r.accountStepsPerSecond / 1e6).toFixed(1).padStart(8)} M account-steps/s  ` +
        `${r.liquidationsPerPath.toFixed(1)} liquidations/path`,
    )
    .join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { time: { type: "string", default: "3000" }, paths: { type: "string", default: "50" } },
  });
  console.log(formatVenueFullModelBench(await benchVenueFullModel(Number(values.paths))));
  console.log(formatVenueBench(await benchVenue(Number(values.time))));
}

/**
 * Venue simulator throughput (src/sim/venue/): the registered `"venue"` simulation on a drawn
 * BTCUSDT book of 10,000 isolated positions (examples/venue/population-btcusdt.json with
 * `count` 10,000 and the open interest scaled to it), 288 five-minute steps of a Student-t (ν = 3)
 * path at 80 % a year, a 10 M USD fund, a 50 M USD-a-step liquidator, square-root impact with a
 * 6-step half-life and queue ADL; on one thread and on the pool with all cores. The rate is in
 * account-steps per second, `accounts × steps × paths / seconds` (the goal: 10,000 × 288 ×
 * 1,000 in under 60 s on 2 cores, 48 M account-steps/s); the engine's cost is the crossings per
 * tick, not the book, so this is the rate a full scan would need to match. The numpy baseline of
 * the same model is the "simulate" helper's (case name `venue`).
 *
 * `npx tsx bench/venue.ts [--paths N]` runs it standalone; bench/run.ts calls {@link benchVenue}.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { simulateParallel } from "../src/sim/pool.js";
import { runSimulation } from "../src/sim/run.js";
import { readPopulationFile } from "../src/sim/venue/population-spec.js";
import { type VenueSimulationSpec, venueSimulation } from "../src/sim/venue/simulation.js";

const ACCOUNTS = 10_000;
const STEPS = 288;
const SEED = 20_261_124;

/** The benchmarked case. */
function benchSpec(): VenueSimulationSpec {
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

/** Times `paths` paths on one thread and on the pool with all cores. */
export async function benchVenue(paths: number): Promise<VenueBenchRow[]> {
  const spec = benchSpec();
  const rows: VenueBenchRow[] = [];
  const row = (name: string, seconds: number, liquidations: number): VenueBenchRow => ({
    name,
    paths,
    seconds,
    accountStepsPerSecond: (ACCOUNTS * STEPS * paths) / seconds,
    liquidationsPerPath: liquidations,
  });
  let t0 = performance.now();
  const single = runSimulation(venueSimulation, spec, { seed: SEED, paths, batchPaths: paths });
  rows.push(row("venue, 1 thread", (performance.now() - t0) / 1000, single.liquidations.mean));
  const workers = os.availableParallelism();
  t0 = performance.now();
  const pooled = await simulateParallel("venue", spec, {
    seed: SEED,
    paths,
    batchPaths: Math.ceil(paths / workers),
    workers,
  });
  rows.push(row(`venue, pool of ${workers}`, (performance.now() - t0) / 1000, pooled.liquidations.mean));
  return rows;
}

/** The rows as a table. */
export function formatVenueBench(rows: readonly VenueBenchRow[]): string {
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
  const { values } = parseArgs({ options: { paths: { type: "string", default: "50" } } });
  console.log(formatVenueBench(await benchVenue(Number(values.paths))));
}

/**
 * Parallel Monte Carlo on node:worker_threads, for any simulation of the registry
 * (src/sim/evaluators.ts): one worker per core (os.availableParallelism()), worker w on the seed's
 * stream after w jumps of 2^64 (Xoshiro128.jump), so streams never overlap. Two ways to use it:
 * - {@link SimulationPool.run}, one spec split over the workers: work proceeds in rounds — each
 *   worker runs one batch, the tallies are merged in worker order (src/sim/run.ts
 *   {@link RunState}) — so the result depends only on (spec, seed, workers, paths, batchPaths,
 *   target), never on thread timing; stop-at-tolerance and progress as on one thread. A batch that
 *   throws ends the run: the completed batches (earlier rounds, and the failed round's other
 *   streams) make a partial result with `stoppedBy: "failed"` and `failure` (round, stream,
 *   message); when none completed, the error is thrown;
 * - {@link SimulationPool.runAccounts}, many specs (a desk's accounts): jobs of many whole runs
 *   handed to whichever worker is free (no barrier), account i on stream i, so each account's
 *   result equals its single-threaded run with `stream: i`, whatever the worker count or job size.
 *
 * The worker file is resolved next to this module: `worker.js` in the built package (dist/),
 * `worker.ts` when running from source under tsx (then the tsx loader is registered in the worker).
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";
import {
  type EstimateOf,
  type SimulationKind,
  type SpecOf,
  simulationOf,
  type WatchedOf,
} from "./evaluators.js";
import { type RunControl, type RunNumbers, RunState, readRunControl } from "./run.js";
import type { WorkerAccounts, WorkerInit, WorkerReply, WorkerRun } from "./worker.js";

/** Options of {@link simulateParallel}. */
export interface PoolOptions<W = WatchedOf<SimulationKind>> extends RunControl<W> {
  /** Worker threads; default os.availableParallelism(). The result depends on this number. */
  readonly workers?: number;
}

/** How many paths each account runs, how they are grouped into worker jobs, and progress. */
export interface AccountRunControl extends RunNumbers {
  /** Accounts per worker job; default ⌈accounts / (32 · workers)⌉ (small jobs keep every core busy to the end). */
  readonly accountsPerJob?: number;
  /** Called after each finished job with the number of accounts done. */
  readonly onProgress?: (progress: { readonly accounts: number; readonly total: number }) => void;
}

/**
 * Starts one simulation worker from `module`, by default `worker.js` next to this module in
 * dist/, `worker.ts` from source. From source (a `.ts` module run by tsx) Node 20 does not apply
 * the parent's `--import tsx` hooks inside worker threads, so a one-line bootstrap registers tsx's
 * ESM loader in the worker (`tsx/esm/api` `register()`) and then imports the module.
 */
function startWorker(module: URL = defaultWorkerModule()): Worker {
  if (!module.pathname.endsWith(".ts")) return new Worker(module);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** The worker module next to this one: `worker.ts` under tsx, `worker.js` in dist/. */
function defaultWorkerModule(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);
}

/**
 * A set of started simulation workers, reusable across runs (thread start-up — and, from
 * source, the tsx transpile — costs tens of milliseconds per worker).
 */
export class SimulationPool {
  /** Number of worker threads; part of what fixes the result of {@link run}. */
  readonly workers: number;
  private readonly threads: Worker[];

  /**
   * Starts `workers` threads (default os.availableParallelism()) of the worker module `module`
   * (default src/sim/worker.ts; the tests pass a module that wraps it to inject a failing batch).
   */
  constructor(workers: number = os.availableParallelism(), module?: URL) {
    this.workers = readWorkers(workers);
    this.threads = Array.from({ length: this.workers }, () => startWorker(module));
  }

  /**
   * Runs simulation `kind` on `spec`, its paths split over the pool's threads. Same spec, seed,
   * worker count and batch size give the identical result; with one worker it equals the
   * single-threaded run (e.g. {@link import("./liquidation.js").simulateLiquidation}).
   */
  async run<K extends SimulationKind>(
    kind: K,
    spec: SpecOf<K>,
    control: RunControl<WatchedOf<K>>,
  ): Promise<EstimateOf<K>> {
    const simulation = simulationOf(kind);
    const plan = readRunControl(control);
    const evaluator = simulation.create(spec); // validates the spec before messaging threads
    this.threads.forEach((t, w) => {
      t.postMessage({
        type: "init",
        kind,
        spec,
        seed: plan.seed,
        stream: plan.stream + w,
      } satisfies WorkerInit);
    });
    const state = new RunState(
      simulation.tally,
      plan,
      this.workers,
      control.onProgress as RunControl<unknown>["onProgress"],
    );
    for (let round = 0; ; round++) {
      const shares = state.shares();
      const replies = await Promise.allSettled(
        this.threads.map((t, w) => request(t, { type: "run", paths: shares[w] ?? 0 } satisfies WorkerRun)),
      );
      const tallies = replies.map((r) =>
        r.status === "fulfilled" ? (r.value as { tally: unknown }).tally : undefined,
      );
      const stream = replies.findIndex((r) => r.status === "rejected");
      const rejected = replies[stream];
      if (rejected?.status === "rejected") {
        const message = rejected.reason instanceof Error ? rejected.reason.message : String(rejected.reason);
        const partial = state.failRound(tallies, { round, stream, message });
        if (partial === undefined) throw rejected.reason;
        return simulation.estimate(partial, evaluator) as EstimateOf<K>;
      }
      const outcome = state.endRound(tallies);
      if (outcome !== undefined) return simulation.estimate(outcome, evaluator) as EstimateOf<K>;
    }
  }

  /**
   * Runs simulation `kind` on every spec of `specs` (a desk's accounts), each for
   * `control.paths` paths (or to its own target standard error) on stream `control.stream + i`;
   * jobs of `accountsPerJob` accounts go to whichever thread is free. The results, in account
   * order, do not depend on the worker count or the job size: result i equals the
   * single-threaded run of `specs[i]` with `stream: i`. Specs are validated in the workers (an
   * invalid one rejects the batch, naming `accounts[i]`).
   */
  async runAccounts<K extends SimulationKind>(
    kind: K,
    specs: readonly SpecOf<K>[],
    control: AccountRunControl,
  ): Promise<EstimateOf<K>[]> {
    simulationOf(kind);
    const plan = readRunControl(control);
    const perJob =
      control.accountsPerJob === undefined
        ? Math.max(1, Math.ceil(specs.length / (32 * this.workers)))
        : readWhole(control.accountsPerJob, "accountsPerJob");
    const results: unknown[] = new Array(specs.length);
    let next = 0;
    let done = 0;
    const drain = async (thread: Worker): Promise<void> => {
      while (next < specs.length) {
        const first = next;
        next = Math.min(specs.length, first + perJob);
        const job: WorkerAccounts = { type: "accounts", kind, specs: specs.slice(first, next), first, plan };
        let reply: { results: readonly unknown[] };
        try {
          reply = (await request(thread, job)) as { results: readonly unknown[] };
        } catch (error) {
          next = specs.length; // the other threads take no further job
          throw error;
        }
        reply.results.forEach((r, i) => {
          results[first + i] = r;
        });
        done += reply.results.length;
        control.onProgress?.({ accounts: done, total: specs.length });
      }
    };
    await Promise.all(this.threads.map(drain));
    return results as EstimateOf<K>[];
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}

/**
 * One-shot {@link SimulationPool.run}: starts the workers, runs, stops them. The spec is
 * validated before any thread starts.
 */
export async function simulateParallel<K extends SimulationKind>(
  kind: K,
  spec: SpecOf<K>,
  options: PoolOptions<WatchedOf<K>>,
): Promise<EstimateOf<K>> {
  readRunControl(options);
  simulationOf(kind).create(spec);
  const pool = new SimulationPool(options.workers);
  try {
    return await pool.run(kind, spec, options);
  } finally {
    await pool.close();
  }
}

function readWorkers(workers: number): number {
  const count = readNumber(workers, "workers", {
    min: 1,
    max: 1024,
    fix: "Pass a whole number of worker threads.",
  });
  if (!Number.isInteger(count)) {
    throw new InputError("workers", workers, "must be a whole number", "Pass an integer ≥ 1.");
  }
  return count;
}

function readWhole(value: number, field: string): number {
  const x = readNumber(value, field, { min: 1, fix: `Pass a whole number ≥ 1.` });
  if (!Number.isInteger(x))
    throw new InputError(field, value, "must be a whole number", "Pass an integer ≥ 1.");
  return x;
}

/** Sends one message to a worker and waits for its reply (a tally or results; an error rejects). */
function request(thread: Worker, message: WorkerRun | WorkerAccounts): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      cleanup();
      if (reply.type === "error") reject(new Error(`simulation worker: ${reply.message}`));
      else resolve(reply);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      thread.off("message", onMessage);
      thread.off("error", onError);
    };
    thread.on("message", onMessage);
    thread.on("error", onError);
    thread.postMessage(message);
  });
}

/**
 * Parallel Monte Carlo on node:worker_threads: one worker per core (os.availableParallelism()),
 * worker w on the seed's stream after w jumps of 2^64 (Xoshiro128.jump), so streams never
 * overlap. Work proceeds in rounds — each worker runs one batch, the tallies are merged in worker
 * order — so the result depends only on (spec, seed, workers, paths, batchPaths, target), never
 * on thread timing. With `targetStandardError` the run stops after the first round whose merged
 * standard error is below the target (or at the path cap).
 *
 * The worker file is resolved next to this module: `worker.js` in the built package (dist/),
 * `worker.ts` when running from source under tsx — then the tsx loader is passed to the worker
 * in `execArgv` unless the parent's own flags already load it.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";
import { createEvaluator, type SimulationSpec } from "./evaluators.js";
import {
  emptyTally,
  type LiquidationEstimate,
  type LiquidationTally,
  liquidationEstimate,
  mergeTally,
  type RunControl,
  readRunControl,
  roundShares,
  stopReason,
} from "./liquidation.js";
import { proportionEstimate } from "./stats.js";
import type { WorkerInit, WorkerReply, WorkerRun } from "./worker.js";

/** Options of {@link simulateLiquidationParallel}. */
export interface PoolOptions extends RunControl {
  /** Worker threads; default os.availableParallelism(). The result depends on this number. */
  readonly workers?: number;
}

/**
 * Starts one simulation worker. From dist/ the worker is `worker.js` next to this module. From
 * source (this module is a `.ts` file run by tsx) Node 20 does not apply the parent's
 * `--import tsx` hooks inside worker threads, so a one-line bootstrap registers tsx's ESM
 * loader in the worker (`tsx/esm/api` `register()`) and then imports `worker.ts`.
 */
export function startWorker(moduleUrl: string = import.meta.url): Worker {
  if (!moduleUrl.endsWith(".ts")) return new Worker(new URL("./worker.js", moduleUrl));
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const worker = new URL("./worker.ts", moduleUrl).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * A set of started simulation workers, reusable across runs (thread start-up — and, from
 * source, the tsx transpile — costs tens of milliseconds per worker).
 */
export class LiquidationPool {
  /** Number of worker threads; part of what fixes a result. */
  readonly workers: number;
  private readonly threads: Worker[];

  /** Starts `workers` threads (default os.availableParallelism()). */
  constructor(workers: number = os.availableParallelism()) {
    const count = readNumber(workers, "workers", {
      min: 1,
      max: 1024,
      fix: "Pass a whole number of worker threads.",
    });
    if (!Number.isInteger(count)) {
      throw new InputError("workers", workers, "must be a whole number", "Pass an integer ≥ 1.");
    }
    this.workers = count;
    this.threads = Array.from({ length: count }, () => startWorker());
  }

  /**
   * Probability of liquidation by Monte Carlo on the pool's threads. Same spec, seed, worker
   * count and batch size give the identical result; with one worker it equals
   * {@link import("./liquidation.js").simulateLiquidation}.
   */
  async run(spec: SimulationSpec, control: RunControl): Promise<LiquidationEstimate> {
    const plan = readRunControl(control);
    const evaluator = createEvaluator(spec); // validates the spec before messaging threads
    this.threads.forEach((t, w) => {
      t.postMessage({ type: "init", spec, seed: plan.seed, stream: w } satisfies WorkerInit);
    });
    const tally = emptyTally();
    for (;;) {
      const shares = roundShares(plan.paths - tally.paths, this.workers, plan.batchPaths);
      const replies = await Promise.all(this.threads.map((t, w) => runBatch(t, shares[w] ?? 0)));
      for (const r of replies) mergeTally(tally, r);
      control.onProgress?.({
        paths: tally.paths,
        estimate: proportionEstimate(tally.liquidated, tally.paths, plan.confidence),
      });
      const reason = stopReason(tally, plan);
      if (reason !== undefined) return liquidationEstimate(tally, evaluator, plan, this.workers, reason);
    }
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}

/**
 * One-shot {@link LiquidationPool.run}: starts the workers, runs, stops them. The spec is
 * validated before any thread starts.
 */
export async function simulateLiquidationParallel(
  spec: SimulationSpec,
  options: PoolOptions,
): Promise<LiquidationEstimate> {
  readRunControl(options);
  createEvaluator(spec);
  const pool = new LiquidationPool(options.workers);
  try {
    return await pool.run(spec, options);
  } finally {
    await pool.close();
  }
}

function runBatch(thread: Worker, paths: number): Promise<LiquidationTally> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      cleanup();
      if (reply.type === "tally") resolve(reply.tally);
      else reject(new Error(`simulation worker: ${reply.message}`));
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
    thread.postMessage({ type: "run", paths } satisfies WorkerRun);
  });
}

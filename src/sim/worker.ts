/**
 * Worker-thread entry of the Monte Carlo pool (src/sim/pool.ts). Two kinds of work:
 * - a split run: one {@link WorkerInit} (simulation name, spec, seed, stream index) positions the
 *   worker's {@link Xoshiro128} stream, then each {@link WorkerRun} is answered with the tally of
 *   that many paths, continuing the same stream;
 * - an account job ({@link WorkerAccounts}): whole runs of many specs, account i on stream
 *   `stream + i`, answered with their result objects in account order.
 */
import { parentPort } from "node:worker_threads";
import { Xoshiro128 } from "../math/random.js";
import { type AnySimulation, simulationOf } from "./evaluators.js";
import { jumpedStream, type PathEvaluator, type RunPlan, runSerial } from "./run.js";

/** First message of a split run: what to simulate and which stream to use. */
export interface WorkerInit {
  readonly type: "init";
  readonly kind: string;
  readonly spec: unknown;
  readonly seed: number;
  readonly stream: number;
}

/** Later messages of a split run: simulate this many paths. */
export interface WorkerRun {
  readonly type: "run";
  readonly paths: number;
}

/** A job of whole runs: accounts `first … first + specs.length − 1` of a batch. */
export interface WorkerAccounts {
  readonly type: "accounts";
  readonly kind: string;
  readonly specs: readonly unknown[];
  /** Index of the first spec in the batch (its stream is `plan.stream + first`). */
  readonly first: number;
  readonly plan: RunPlan;
}

/** Replies: a batch's tally, a job's results, or the message of an error. */
export type WorkerReply =
  | { readonly type: "tally"; readonly tally: unknown }
  | { readonly type: "results"; readonly results: readonly unknown[] }
  | { readonly type: "error"; readonly message: string };

let split: { simulation: AnySimulation; evaluator: PathEvaluator<unknown>; rng: Xoshiro128 } | undefined;
/** The stream the last account job reached, to jump forward from instead of from the seed. */
let cursor: { seed: number; stream: number; rng: Xoshiro128 } | undefined;

function handle(message: WorkerInit | WorkerRun | WorkerAccounts): WorkerReply | undefined {
  if (message.type === "init") {
    const simulation = simulationOf(message.kind);
    const evaluator = simulation.create(message.spec);
    split = { simulation, evaluator, rng: jumpedStream(message.seed, message.stream) };
    return undefined;
  }
  if (message.type === "run") {
    if (split === undefined) throw new Error("worker: run before init");
    const tally = split.simulation.tally.empty();
    split.evaluator.run(split.rng, message.paths, tally);
    return { type: "tally", tally };
  }
  const simulation = simulationOf(message.kind);
  const { plan } = message;
  const control = {
    seed: plan.seed,
    paths: plan.paths,
    batchPaths: plan.batchPaths,
    confidence: plan.confidence,
    ...(plan.target === undefined ? {} : { targetStandardError: plan.target }),
  };
  const results = message.specs.map((spec, i) => {
    const stream = plan.stream + message.first + i;
    let evaluator: PathEvaluator<unknown>;
    try {
      evaluator = simulation.create(spec);
    } catch (error) {
      throw new Error(`accounts[${message.first + i}]: ${error instanceof Error ? error.message : error}`);
    }
    const outcome = runSerial(
      evaluator,
      simulation.tally,
      { ...control, stream },
      streamAt(plan.seed, stream),
    );
    return simulation.estimate(outcome, evaluator);
  });
  return { type: "results", results };
}

/** A fresh copy of the seed's stream after `stream` jumps, jumping forward from the last one reached. */
function streamAt(seed: number, stream: number): Xoshiro128 {
  if (cursor === undefined || cursor.seed !== seed || cursor.stream > stream) {
    cursor = { seed, stream: 0, rng: new Xoshiro128(seed) };
  }
  for (; cursor.stream < stream; cursor.stream++) cursor.rng.jump();
  return Xoshiro128.fromState(cursor.rng.getState());
}

parentPort?.on("message", (message: WorkerInit | WorkerRun | WorkerAccounts) => {
  try {
    const reply = handle(message);
    if (reply !== undefined) parentPort?.postMessage(reply);
  } catch (error) {
    parentPort?.postMessage({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
  }
});

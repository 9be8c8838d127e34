/**
 * Worker-thread entry of the Monte Carlo pool (src/sim/pool.ts). It receives one
 * {@link WorkerInit} (the spec, the seed and its stream index), positions its
 * {@link Xoshiro128} stream by `stream` jumps of 2^64, then answers each {@link WorkerRun}
 * with the {@link LiquidationTally} of that many paths, continuing the same stream.
 */
import { parentPort } from "node:worker_threads";
import { Xoshiro128 } from "../math/random.js";
import { createEvaluator, type Evaluator, type SimulationSpec } from "./evaluators.js";
import { emptyTally, type LiquidationTally } from "./liquidation.js";

/** First message: what to simulate and which stream to use. */
export interface WorkerInit {
  readonly type: "init";
  readonly spec: SimulationSpec;
  readonly seed: number;
  readonly stream: number;
}

/** Later messages: simulate this many paths. */
export interface WorkerRun {
  readonly type: "run";
  readonly paths: number;
}

/** Replies: a batch's tally, or the message of an error. */
export type WorkerReply =
  | { readonly type: "tally"; readonly tally: LiquidationTally }
  | { readonly type: "error"; readonly message: string };

let evaluator: Evaluator | undefined;
let rng: Xoshiro128 | undefined;

parentPort?.on("message", (message: WorkerInit | WorkerRun) => {
  try {
    if (message.type === "init") {
      evaluator = createEvaluator(message.spec);
      rng = new Xoshiro128(message.seed);
      for (let j = 0; j < message.stream; j++) rng.jump();
      return;
    }
    if (evaluator === undefined || rng === undefined) throw new Error("worker: run before init");
    const tally = emptyTally();
    evaluator.run(rng, message.paths, tally);
    parentPort?.postMessage({ type: "tally", tally } satisfies WorkerReply);
  } catch (error) {
    parentPort?.postMessage({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
  }
});

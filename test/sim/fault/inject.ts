/**
 * The fault of test/sim/fault/worker.ts, set up before the real worker loads: the registered
 * simulations (every registered kind) wrapped so that the batch of round `round` on stream `stream` throws.
 * The fault is named in the worker module's URL query (`worker.ts?stream=1&round=2`).
 */
import { parentPort } from "node:worker_threads";
import {
  type AnySimulation,
  SIMULATIONS,
  type SimulationKind,
  simulationOf,
} from "../../../src/sim/evaluators.js";

/** The failing batch; set by test/sim/fault/worker.ts from its URL (none until then). */
export const fault = { stream: -1, round: -1 };
const position = { stream: -1, round: -1 };
// Registered before the real worker's listener, so it sees each message first.
parentPort?.on("message", (message: { type: string; stream?: number }) => {
  if (message.type === "init") {
    position.stream = message.stream ?? -1;
    position.round = -1;
  } else if (message.type === "run") position.round++;
});

/** Wraps simulation `real` so that its batch of the faulty (round, stream) throws. */
function faulty(real: AnySimulation): AnySimulation {
  return {
    ...real,
    create(spec) {
      const evaluator = real.create(spec);
      return {
        steps: evaluator.steps,
        dtYears: evaluator.dtYears,
        run(...args: Parameters<typeof evaluator.run>) {
          if (position.stream === fault.stream && position.round === fault.round) {
            throw new Error(`injected fault in round ${fault.round} of stream ${fault.stream}`);
          }
          evaluator.run(...args);
        },
      };
    },
  };
}

for (const kind of Object.keys(SIMULATIONS) as SimulationKind[]) {
  Object.assign(SIMULATIONS, { [kind]: faulty(simulationOf(kind)) });
}

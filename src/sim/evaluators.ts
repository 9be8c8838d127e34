/**
 * The simulations the worker pool can run: a single position against its liquidation price
 * (src/sim/liquidation.ts) or a cross account on correlated assets (src/sim/cross-account.ts).
 */

import type { Xoshiro128 } from "../math/random.js";
import { CrossAccountEvaluator, type CrossAccountSpec } from "./cross-account.js";
import { LiquidationEvaluator, type LiquidationSpec, type LiquidationTally } from "./liquidation.js";

/** A single position ({@link LiquidationSpec}) or a cross account ({@link CrossAccountSpec}). */
export type SimulationSpec = LiquidationSpec | CrossAccountSpec;

/** What the pool needs from an evaluator. */
export interface Evaluator {
  readonly generator: { readonly steps: number; readonly dtYears: number };
  readonly bridge: boolean;
  run(rng: Xoshiro128, paths: number, tally: LiquidationTally): void;
}

/** The evaluator of a {@link SimulationSpec} (validates it; a spec with `positions` is a cross account). */
export function createEvaluator(spec: SimulationSpec): Evaluator {
  if (!("positions" in spec)) return new LiquidationEvaluator(spec);
  const cross = new CrossAccountEvaluator(spec);
  return {
    generator: { steps: cross.steps, dtYears: cross.dtYears },
    bridge: false,
    run: (rng, paths, tally) => cross.run(rng, paths, tally),
  };
}

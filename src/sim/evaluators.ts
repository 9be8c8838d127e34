/**
 * The registry of simulations the worker pool (src/sim/pool.ts) can run, by name: a single position
 * against its liquidation price (src/sim/liquidation.ts), a cross account on correlated assets
 * (src/sim/cross-account.ts), a position under its venue's liquidation procedure with partial
 * closes (src/sim/partial-liquidation.ts), a perp venue's book over price paths
 * (src/sim/venue/simulation.ts), a lending market over correlated asset paths
 * (src/sim/venue/lending-simulation.ts). Adding a simulation: a file exporting a
 * {@link Simulation} (evaluator, tally, result) and one line here.
 */
import { InputError } from "../errors.js";
import { crossAccountSimulation } from "./cross-account.js";
import { liquidationSimulation } from "./liquidation.js";
import { partialLiquidationSimulation } from "./partial-liquidation.js";
import type { PathEvaluator, Simulation } from "./run.js";
import type { WatchedEstimate } from "./tally.js";
import { lendingSimulation } from "./venue/lending-simulation.js";
import { venueSimulation } from "./venue/simulation.js";

/** Every simulation the pool runs, by name. */
export const SIMULATIONS = {
  liquidation: liquidationSimulation,
  "cross-account": crossAccountSimulation,
  "partial-liquidation": partialLiquidationSimulation,
  venue: venueSimulation,
  lending: lendingSimulation,
} as const;

/** The name of a registered simulation. */
export type SimulationKind = keyof typeof SIMULATIONS;
/** The spec of simulation `K`. */
export type SpecOf<K extends SimulationKind> = Parameters<(typeof SIMULATIONS)[K]["create"]>[0];
/** The result of simulation `K`. */
export type EstimateOf<K extends SimulationKind> = ReturnType<(typeof SIMULATIONS)[K]["estimate"]>;

/** The estimate simulation `K` watches (progress, stop-at-tolerance). */
export type WatchedOf<K extends SimulationKind> = ReturnType<(typeof SIMULATIONS)[K]["tally"]["watched"]>;

/** A registered simulation with its types erased (what crosses the worker boundary is plain data). */
export type AnySimulation = Simulation<unknown, PathEvaluator<unknown>, unknown, unknown, WatchedEstimate>;

/** The registered simulation named `kind`. */
export function simulationOf(kind: string): AnySimulation {
  if (!Object.hasOwn(SIMULATIONS, kind)) {
    throw new InputError(
      "kind",
      kind,
      "is not a registered simulation",
      `Use one of ${Object.keys(SIMULATIONS).join(", ")}.`,
    );
  }
  return SIMULATIONS[kind as SimulationKind] as unknown as AnySimulation;
}

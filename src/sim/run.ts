/**
 * The one Monte Carlo runner (shared/docs/design.md, generator → evaluator → tally): an evaluator
 * ({@link PathEvaluator}) simulates batches of paths from a seeded {@link Xoshiro128} stream into a
 * tally ({@link TallyKind}, src/sim/tally.ts); the runner hands out batches in rounds, merges the
 * round's tallies in stream order, reports progress and stops at the path count, or once the
 * watched standard error is below a target (stop-at-tolerance), or at the path cap. The same
 * {@link RunState} drives the single-threaded loop here and the worker pool (src/sim/pool.ts), so a
 * pool of one worker gives the single-threaded numbers.
 *
 * A simulation is a {@link Simulation}: build the evaluator from a plain spec, its tally kind, and
 * the result object of a finished run. The pool runs any simulation of the registry
 * (src/sim/evaluators.ts).
 *
 * Reproducibility: a run is fixed by its seed, its stream index (number of 2^64 jumps of
 * {@link Xoshiro128}), the number of streams (workers), the path count and the batch size.
 */
import { InputError } from "../errors.js";
import { Xoshiro128 } from "../math/random.js";
import { readNumber } from "../validate.js";
import type { ProportionEstimate } from "./stats.js";
import type { TallyKind, WatchedEstimate } from "./tally.js";

/** How many paths to run and when to stop. */
export interface RunNumbers {
  /** Seed of the {@link Xoshiro128} stream(s). */
  readonly seed: number;
  /** Stream index: the run starts on the seed's stream after this many 2^64 jumps (default 0). */
  readonly stream?: number;
  /** Paths to simulate (a fixed run), or the cap of a stop-at-tolerance run. Default 100,000. */
  readonly paths?: number;
  /** Stop once the watched standard error is below this (checked after each round). */
  readonly targetStandardError?: number;
  /** Paths per batch (per worker per round); default 10,000. */
  readonly batchPaths?: number;
  /** Confidence of the interval estimates; default 0.95. */
  readonly confidence?: number;
}

/** {@link RunNumbers} with a progress callback. */
export interface RunControl<W = ProportionEstimate> extends RunNumbers {
  /** Called after each round with the running watched estimate. */
  readonly onProgress?: (progress: { readonly paths: number; readonly estimate: W }) => void;
}

/** Validated {@link RunNumbers}. */
export interface RunPlan {
  readonly seed: number;
  readonly stream: number;
  readonly paths: number;
  readonly batchPaths: number;
  readonly target: number | undefined;
  readonly confidence: number;
}

/**
 * Why a run ended: the fixed path count, the target standard error, the path cap, or a batch that
 * failed after others had completed (the result then covers the completed batches only).
 */
export type StopReason = "paths" | "tolerance" | "cap" | "failed";

/** The batch that stopped a run early ({@link StopReason} `"failed"`). */
export interface RunFailure {
  /** Round of the failed batch (0-based); every round runs one batch per stream. */
  readonly round: number;
  /** Stream (worker) of the failed batch: the plan's stream + this many jumps. */
  readonly stream: number;
  /** The error's message. */
  readonly message: string;
}

/** Simulates paths into a tally of type `T`; scratch memory is allocated once, at construction. */
export interface PathEvaluator<T> {
  /** Grid points per path and the grid step in years. */
  readonly steps: number;
  readonly dtYears: number;
  /** Simulates `paths` paths from `rng` and adds them to `tally`. */
  run(rng: Xoshiro128, paths: number, tally: T): void;
}

/** A finished run: the merged tally and what fixes it. */
export interface RunOutcome<T> {
  readonly tally: T;
  readonly plan: RunPlan;
  /** Number of streams (worker w on the plan's stream + w). */
  readonly workers: number;
  readonly stoppedBy: StopReason;
  /** The failed batch, when `stoppedBy` is `"failed"`. */
  readonly failure?: RunFailure;
}

/** What reproduces a Monte Carlo estimate: the paths run, the grid, the seed and the streams. */
export interface RunFacts {
  readonly paths: number;
  readonly steps: number;
  readonly dtYears: number;
  readonly seed: number;
  /** Number of parallel streams (workers); stream w is the seed's stream after w jumps. */
  readonly workers: number;
  readonly batchPaths: number;
  /** Why the run ended (a stop-at-tolerance run stops on the simulation's watched estimate). */
  readonly stoppedBy: StopReason;
  /** The batch that failed, when `stoppedBy` is `"failed"`: `paths` counts the completed batches only. */
  readonly failure?: RunFailure;
}

/** The {@link RunFacts} of `outcome`, run by `evaluator`, over `paths` paths (in this key order). */
export function runFacts(
  outcome: RunOutcome<unknown>,
  evaluator: { readonly steps: number; readonly dtYears: number },
  paths: number,
): RunFacts {
  return {
    paths,
    steps: evaluator.steps,
    dtYears: evaluator.dtYears,
    seed: outcome.plan.seed,
    workers: outcome.workers,
    batchPaths: outcome.plan.batchPaths,
    stoppedBy: outcome.stoppedBy,
    ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
  };
}

/**
 * One kind of simulation: a plain, structured-clonable spec `S`, its evaluator `V`, its tally `T`
 * and its result `E`. Adding one is a file exporting this object and a line in src/sim/evaluators.ts.
 */
export interface Simulation<
  S,
  V extends PathEvaluator<T>,
  T,
  E,
  W extends WatchedEstimate = ProportionEstimate,
> {
  /** Validates `spec` (errors name the field) and builds its evaluator. */
  create(spec: S): V;
  readonly tally: TallyKind<T, W>;
  /** The result object of a finished run. */
  estimate(outcome: RunOutcome<T>, evaluator: V): E;
}

/** Validates {@link RunNumbers} (defaults filled in). */
export function readRunControl(control: RunNumbers): RunPlan {
  const seed = readNumber(control.seed, "seed", { fix: "Pass an integer seed." });
  if (!Number.isInteger(seed))
    throw new InputError("seed", control.seed, "must be an integer", "Pass an integer seed.");
  const stream = readNumber(control.stream ?? 0, "stream", {
    min: 0,
    fix: "Pass a whole number of 2^64 jumps ≥ 0.",
  });
  const paths = readNumber(control.paths ?? 100_000, "paths", {
    min: 1,
    fix: "Pass a whole number of paths ≥ 1.",
  });
  const batchPaths = readNumber(control.batchPaths ?? 10_000, "batchPaths", {
    min: 1,
    fix: "Pass a whole number of paths per batch.",
  });
  if (!Number.isInteger(paths) || !Number.isInteger(batchPaths) || !Number.isInteger(stream)) {
    throw new InputError(
      "paths",
      control.paths,
      "must be a whole number",
      "Pass integers for paths, batchPaths and stream.",
    );
  }
  const target =
    control.targetStandardError === undefined
      ? undefined
      : readNumber(control.targetStandardError, "targetStandardError", {
          min: 0,
          exclusiveMin: true,
          fix: "Pass a standard error such as 0.001.",
        });
  const confidence = readNumber(control.confidence ?? 0.95, "confidence", {
    min: 0,
    exclusiveMin: true,
    max: 0.999999,
    fix: "Pass a confidence level such as 0.95.",
  });
  return { seed, stream, paths, batchPaths, target, confidence };
}

/** The seed's stream after `jumps` jumps of 2^64 (streams never overlap). */
export function jumpedStream(seed: number, jumps: number): Xoshiro128 {
  const rng = new Xoshiro128(seed);
  for (let j = 0; j < jumps; j++) rng.jump();
  return rng;
}

/**
 * The number of paths each of `workers` streams runs in the next round: `batchPaths` each
 * while the remaining total allows, then an even split of what is left (lower streams first).
 */
export function roundShares(remaining: number, workers: number, batchPaths: number): number[] {
  const total = Math.min(remaining, workers * batchPaths);
  const base = Math.floor(total / workers);
  return Array.from({ length: workers }, (_, w) => base + (w < total - base * workers ? 1 : 0));
}

/**
 * A run between rounds: the merged tally, the shares of the next round, and after each round
 * the progress report and the stop decision. Used by {@link runSerial} and the worker pool.
 */
export class RunState<T, W extends WatchedEstimate> {
  readonly tally: T;

  constructor(
    private readonly kind: TallyKind<T, W>,
    readonly plan: RunPlan,
    private readonly workers: number,
    private readonly onProgress: RunControl<W>["onProgress"],
  ) {
    this.tally = kind.empty();
  }

  /** Paths per stream in the next round ({@link roundShares}). */
  shares(): number[] {
    return roundShares(this.plan.paths - this.kind.paths(this.tally), this.workers, this.plan.batchPaths);
  }

  /**
   * Merges a round's tallies in stream order, reports progress, and returns the finished run, or
   * `undefined` to continue: with a target, stop once the watched standard error is below it
   * (when {@link TallyKind.informative}) or at the path cap; without one, at the path count.
   */
  endRound(batches: readonly T[]): RunOutcome<T> | undefined {
    const { kind, plan, tally } = this;
    for (const b of batches) kind.merge(tally, b);
    const paths = kind.paths(tally);
    const watched = kind.watched(tally, plan.confidence);
    this.onProgress?.({ paths, estimate: watched });
    let stoppedBy: StopReason | undefined;
    if (plan.target !== undefined) {
      if (kind.informative(tally) && watched.standardError < plan.target) stoppedBy = "tolerance";
      else if (paths >= plan.paths) stoppedBy = "cap";
    } else if (paths >= plan.paths) stoppedBy = "paths";
    return stoppedBy === undefined ? undefined : { tally, plan, workers: this.workers, stoppedBy };
  }

  /**
   * Ends the run on a failed batch: merges the round's completed batches (`undefined` for a failed
   * one) in stream order and returns the run stopped by `"failed"` with the first failure, or
   * `undefined` when no path at all was completed (the caller then throws the error).
   */
  failRound(batches: readonly (T | undefined)[], failure: RunFailure): RunOutcome<T> | undefined {
    const { kind, plan, tally } = this;
    for (const b of batches) if (b !== undefined) kind.merge(tally, b);
    if (kind.paths(tally) === 0) return undefined;
    return { tally, plan, workers: this.workers, stoppedBy: "failed", failure };
  }
}

/** Runs an evaluator on one thread, on the plan's stream of the seed, in batches of `batchPaths`. */
export function runSerial<T, W extends WatchedEstimate>(
  evaluator: PathEvaluator<T>,
  kind: TallyKind<T, W>,
  control: RunControl<W>,
  rng: Xoshiro128 = streamOf(readRunControl(control)),
): RunOutcome<T> {
  const state = new RunState(kind, readRunControl(control), 1, control.onProgress);
  for (;;) {
    const [share] = state.shares();
    const batch = kind.empty();
    evaluator.run(rng, share ?? 0, batch);
    const outcome = state.endRound([batch]);
    if (outcome !== undefined) return outcome;
  }
}

/** Single-threaded run of a {@link Simulation}: validate the spec, run, build the result. */
export function runSimulation<S, V extends PathEvaluator<T>, T, E, W extends WatchedEstimate>(
  simulation: Simulation<S, V, T, E, W>,
  spec: S,
  control: RunControl<W>,
): E {
  const evaluator = simulation.create(spec);
  return simulation.estimate(runSerial(evaluator, simulation.tally, control), evaluator);
}

function streamOf(plan: RunPlan): Xoshiro128 {
  return jumpedStream(plan.seed, plan.stream);
}

/**
 * Monte Carlo probability of liquidation: generator → per-path evaluator → streaming statistics
 * (shared/docs/design.md). The evaluator tracks the log price against a liquidation barrier that
 * may move linearly in time (funding accrual into margin, fees), for a long (barrier below) or a
 * short (barrier above), with the Brownian-bridge test between grid points (quant.md §3.7):
 * a step from x_k to x_{k+1} that stays on the safe side still liquidates with probability
 * `exp(−2 d_k d_{k+1} / (σ_k²Δ))`, d the distances to the barrier. Under GBM this makes the
 * simulated touch probability unbiased for the continuous-time one whatever the grid; without it
 * the grid misses excursions between points and the estimate is biased low (by about the
 * Broadie–Glasserman–Kou shift, src/risk/first-passage.ts). For Student-t, GARCH and jump models
 * the bridge treats each step as Gaussian with its conditional variance — an approximation.
 *
 * Reproducibility: a run is fixed by its seed, its stream index (number of 2^64 jumps of
 * {@link Xoshiro128}), the path count and the batch size; every result records them.
 */
import { InputError } from "../errors.js";
import { DIRECTIONS, type Direction } from "../margin/types.js";
import { Xoshiro128 } from "../math/random.js";
import { assertBarrierSide } from "../risk/first-passage.js";
import { readChoice, readNumber } from "../validate.js";
import { createPathGenerator, type ModelSpec, type PathGenerator, type TimeGrid } from "./models.js";
import {
  type ProportionEstimate,
  proportionEstimate,
  type Welford,
  welford,
  welfordAdd,
  welfordMerge,
  welfordSd,
} from "./stats.js";

/** Bridge probabilities below e^{−40} ≈ 4.2e-18 are treated as 0 (no uniform is drawn). */
const BRIDGE_LOG_CUTOFF = -40;

/** Where the position is liquidated. */
export interface BarrierSpec {
  readonly side: Direction;
  /** Mark price at the start of the horizon. */
  readonly spotPrice: number;
  /** Liquidation price at the start (below the spot for a long, above for a short). */
  readonly liquidationPrice: number;
  /**
   * Drift of ln(liquidation price) per year (default 0): e.g. funding a long pays out of its
   * margin raises its liquidation price, `ln H(t) = ln H(0) + rate·t`. Linear within each step.
   */
  readonly liquidationPriceLogDriftPerYear?: number;
}

/** What to simulate. */
export interface LiquidationSpec {
  readonly model: ModelSpec;
  readonly grid: TimeGrid;
  readonly barrier: BarrierSpec;
  /** Brownian-bridge test between grid points (default true). */
  readonly bridge?: boolean;
}

/** Mergeable per-batch counts. */
export interface LiquidationTally {
  paths: number;
  liquidated: number;
  /** Time to liquidation in years, over liquidated paths (end of the step of the crossing). */
  time: Welford;
  /** How far past the barrier the price was at the grid point of liquidation (log units; 0 for bridge crossings). */
  overshoot: Welford;
}

/** An empty {@link LiquidationTally}. */
export function emptyTally(): LiquidationTally {
  return { paths: 0, liquidated: 0, time: welford(), overshoot: welford() };
}

/** Adds `b` into `a` (exact counts; Welford states merged in the given order). */
export function mergeTally(a: LiquidationTally, b: LiquidationTally): void {
  a.paths += b.paths;
  a.liquidated += b.liquidated;
  welfordMerge(a.time, b.time);
  welfordMerge(a.overshoot, b.overshoot);
}

/** Simulates paths of one {@link LiquidationSpec}; all scratch memory is allocated once. */
export class LiquidationEvaluator {
  readonly generator: PathGenerator;
  readonly bridge: boolean;
  private readonly sign: number;
  /** ln(H(t_k)/S₀) at the grid points t_0 … t_n. */
  private readonly logBarrier: Float64Array;
  private readonly logReturns: Float64Array;
  private readonly stepVariance: Float64Array;

  constructor(spec: LiquidationSpec) {
    this.generator = createPathGenerator(spec.model, spec.grid);
    const side = readChoice(spec.barrier.side, "barrier.side", DIRECTIONS);
    const spot = readNumber(spec.barrier.spotPrice, "barrier.spotPrice", { min: 0, exclusiveMin: true });
    const liq = readNumber(spec.barrier.liquidationPrice, "barrier.liquidationPrice", {
      min: 0,
      exclusiveMin: true,
      fix: "Pass the liquidation price (> 0).",
    });
    assertBarrierSide(spot, liq, side, "barrier.liquidationPrice");
    const rate = readNumber(
      spec.barrier.liquidationPriceLogDriftPerYear ?? 0,
      "barrier.liquidationPriceLogDriftPerYear",
      {
        fix: "Pass the drift of ln(liquidation price) per year (0 for a fixed price).",
      },
    );
    this.sign = side === "long" ? 1 : -1;
    this.bridge = spec.bridge ?? true;
    const n = this.generator.steps;
    const dt = this.generator.dtYears;
    this.logBarrier = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) this.logBarrier[k] = Math.log(liq / spot) + rate * k * dt;
    this.logReturns = new Float64Array(n);
    this.stepVariance = new Float64Array(n).fill(this.generator.fixedStepVariance);
  }

  /** Simulates `paths` paths from `rng` and adds them to `tally`. */
  run(rng: Xoshiro128, paths: number, tally: LiquidationTally): void {
    const gen = this.generator;
    const n = gen.steps;
    const dt = gen.dtYears;
    const dx = this.logReturns;
    const v = this.stepVariance;
    const b = this.logBarrier;
    const s = this.sign;
    const bridge = this.bridge;
    const start = -s * (b[0] as number);
    let liquidated = 0;
    for (let p = 0; p < paths; p++) {
      gen.next(rng, dx, v);
      let x = 0;
      let d0 = start;
      let hit = -1;
      let over = 0;
      for (let k = 0; k < n; k++) {
        x += dx[k] as number;
        const d1 = s * (x - (b[k + 1] as number));
        if (d1 <= 0) {
          hit = k;
          over = -d1;
          break;
        }
        if (bridge) {
          const e = (-2 * d0 * d1) / (v[k] as number);
          if (e > BRIDGE_LOG_CUTOFF && rng.next() < Math.exp(e)) {
            hit = k;
            break;
          }
        }
        d0 = d1;
      }
      if (hit >= 0) {
        liquidated += 1;
        welfordAdd(tally.time, (hit + 1) * dt);
        welfordAdd(tally.overshoot, over);
      }
    }
    tally.paths += paths;
    tally.liquidated += liquidated;
  }
}

/** How many paths to run and when to stop. */
export interface RunControl {
  /** Seed of the {@link Xoshiro128} stream(s). */
  readonly seed: number;
  /** Paths to simulate (a fixed run), or the cap of a stop-at-tolerance run. Default 100,000. */
  readonly paths?: number;
  /** Stop once the standard error of P(liquidation) is below this (checked after each round). */
  readonly targetStandardError?: number;
  /** Paths per batch (per worker per round); default 10,000. */
  readonly batchPaths?: number;
  /** Confidence of the Wilson interval; default 0.95. */
  readonly confidence?: number;
  /** Called after each round with the running estimate. */
  readonly onProgress?: (progress: { readonly paths: number; readonly estimate: ProportionEstimate }) => void;
}

/** A Monte Carlo estimate of the probability of liquidation, with what reproduces it. */
export interface LiquidationEstimate extends ProportionEstimate {
  readonly liquidated: number;
  readonly paths: number;
  readonly steps: number;
  readonly dtYears: number;
  readonly bridge: boolean;
  readonly seed: number;
  /** Number of parallel streams (workers); stream w is the seed's stream after w jumps. */
  readonly workers: number;
  readonly batchPaths: number;
  /** Why the run ended: the fixed path count, the target standard error, or the path cap. */
  readonly stoppedBy: "paths" | "tolerance" | "cap";
  /** Mean and standard deviation of the time to liquidation (years) over liquidated paths. */
  readonly meanTimeToLiquidationYears: number;
  readonly sdTimeToLiquidationYears: number;
  /**
   * Mean overshoot at liquidation (gap risk): for a single position the log distance past the
   * barrier at the grid point of liquidation (0 for bridge crossings); for a cross account
   * (src/sim/cross-account.ts) the margin shortfall, maintenance margin + fee to close − equity, in
   * quote currency.
   */
  readonly meanOvershoot: number;
}

/** Validated {@link RunControl} numbers. */
export interface RunPlan {
  readonly seed: number;
  readonly paths: number;
  readonly batchPaths: number;
  readonly target: number | undefined;
  readonly confidence: number;
}

/** Validates a {@link RunControl}. */
export function readRunControl(control: RunControl): RunPlan {
  const seed = readNumber(control.seed, "seed", { fix: "Pass an integer seed." });
  if (!Number.isInteger(seed))
    throw new InputError("seed", control.seed, "must be an integer", "Pass an integer seed.");
  const paths = readNumber(control.paths ?? 100_000, "paths", {
    min: 1,
    fix: "Pass a whole number of paths ≥ 1.",
  });
  const batchPaths = readNumber(control.batchPaths ?? 10_000, "batchPaths", {
    min: 1,
    fix: "Pass a whole number of paths per batch.",
  });
  if (!Number.isInteger(paths) || !Number.isInteger(batchPaths)) {
    throw new InputError(
      "paths",
      control.paths,
      "must be a whole number",
      "Pass integers for paths and batchPaths.",
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
  return { seed, paths, batchPaths, target, confidence };
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

/** Decides after a round whether to stop; `undefined` means continue. */
export function stopReason(
  tally: LiquidationTally,
  plan: RunPlan,
): LiquidationEstimate["stoppedBy"] | undefined {
  if (plan.target !== undefined) {
    const est = proportionEstimate(tally.liquidated, tally.paths, plan.confidence);
    // A zero count has standard error 0 but says little: require one liquidation and one survivor.
    if (tally.liquidated > 0 && tally.liquidated < tally.paths && est.standardError < plan.target) {
      return "tolerance";
    }
    return tally.paths >= plan.paths ? "cap" : undefined;
  }
  return tally.paths >= plan.paths ? "paths" : undefined;
}

/** Builds the result object from a merged tally. */
export function liquidationEstimate(
  tally: LiquidationTally,
  evaluator: { readonly generator: Pick<PathGenerator, "steps" | "dtYears">; readonly bridge: boolean },
  plan: RunPlan,
  workers: number,
  stoppedBy: LiquidationEstimate["stoppedBy"],
): LiquidationEstimate {
  return {
    ...proportionEstimate(tally.liquidated, tally.paths, plan.confidence),
    liquidated: tally.liquidated,
    paths: tally.paths,
    steps: evaluator.generator.steps,
    dtYears: evaluator.generator.dtYears,
    bridge: evaluator.bridge,
    seed: plan.seed,
    workers,
    batchPaths: plan.batchPaths,
    stoppedBy,
    meanTimeToLiquidationYears: tally.time.count > 0 ? tally.time.mean : Number.NaN,
    sdTimeToLiquidationYears: welfordSd(tally.time),
    meanOvershoot: tally.overshoot.count > 0 ? tally.overshoot.mean : Number.NaN,
  };
}

/**
 * Single-threaded Monte Carlo probability of liquidation on the seed's first stream — the same
 * numbers as {@link import("./pool.js").simulateLiquidationParallel} with one worker.
 *
 * @example simulateLiquidation({ model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } }, grid: { horizonYears: 7 / 365, steps: 168 }, barrier: { side: "long", spotPrice: 100, liquidationPrice: 90 } }, { seed: 1, paths: 100_000 })
 */
export function simulateLiquidation(spec: LiquidationSpec, control: RunControl): LiquidationEstimate {
  const evaluator = new LiquidationEvaluator(spec);
  return runOnOneThread(evaluator, evaluator, control);
}

/** What {@link runOnOneThread} drives: anything that simulates paths into a tally. */
export interface PathEvaluator {
  run(rng: Xoshiro128, paths: number, tally: LiquidationTally): void;
}

/**
 * The single-threaded Monte Carlo loop shared by the evaluators: batches of `batchPaths` from one
 * seeded stream until the path cap or the standard-error target ({@link stopReason}), progress
 * after each batch; `shape` names the grid and whether the bridge test ran, for the result.
 */
export function runOnOneThread(
  evaluator: PathEvaluator,
  shape: Parameters<typeof liquidationEstimate>[1],
  control: RunControl,
): LiquidationEstimate {
  const plan = readRunControl(control);
  const rng = new Xoshiro128(plan.seed);
  const tally = emptyTally();
  for (;;) {
    const [share] = roundShares(plan.paths - tally.paths, 1, plan.batchPaths);
    const batch = emptyTally();
    evaluator.run(rng, share ?? 0, batch);
    mergeTally(tally, batch);
    control.onProgress?.({
      paths: tally.paths,
      estimate: proportionEstimate(tally.liquidated, tally.paths, plan.confidence),
    });
    const reason = stopReason(tally, plan);
    if (reason !== undefined) return liquidationEstimate(tally, shape, plan, 1, reason);
  }
}

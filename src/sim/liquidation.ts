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
 * The evaluator plugs into the runner of src/sim/run.ts (single thread) and the worker pool
 * (src/sim/pool.ts) as {@link liquidationSimulation}.
 */
import { DIRECTIONS, type Direction } from "../margin/types.js";
import type { Xoshiro128 } from "../math/random.js";
import { assertBarrierSide } from "../risk/first-passage.js";
import { readChoice, readNumber } from "../validate.js";
import { createPathGenerator, type ModelSpec, type PathGenerator, type TimeGrid } from "./models.js";
import {
  type PathEvaluator,
  type RunControl,
  type RunFacts,
  type RunOutcome,
  runSimulation,
  type Simulation,
} from "./run.js";
import {
  type ProportionEstimate,
  type Welford,
  welford,
  welfordAdd,
  welfordMerge,
  welfordSd,
} from "./stats.js";
import {
  type FirstPassageTally,
  firstPassageFrequency,
  firstPassageKind,
  meanOrNaN,
  type TallyKind,
} from "./tally.js";

/** Bridge probabilities below e^{−40} ≈ 4.2e-18 are treated as 0 (no uniform is drawn). */
const BRIDGE_LOG_CUTOFF = -40;
/**
 * −BRIDGE_LOG_CUTOFF/2 widened by 1e-9: d₀d₁ ≥ NEAR_BARRIER·v implies −2d₀d₁/v < BRIDGE_LOG_CUTOFF
 * whatever the rounding, so skipping the division there gives the same outcome.
 */
const NEAR_BARRIER = (-BRIDGE_LOG_CUTOFF / 2) * (1 + 1e-9);

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

/** A single position's tally: first passages and the overshoot at the grid point of liquidation. */
export interface LiquidationTally extends FirstPassageTally {
  /** How far past the barrier the price was at the grid point of liquidation (log units; 0 for bridge crossings). */
  logOvershoot: Welford;
}

/** The {@link TallyKind} of {@link LiquidationTally}. */
export const liquidationTally: TallyKind<LiquidationTally> = firstPassageKind<LiquidationTally>({
  empty: () => ({ logOvershoot: welford() }),
  merge: (a, b) => welfordMerge(a.logOvershoot, b.logOvershoot),
});

/** Simulates paths of one {@link LiquidationSpec}; all scratch memory is allocated once. */
export class LiquidationEvaluator implements PathEvaluator<LiquidationTally> {
  readonly generator: PathGenerator;
  readonly steps: number;
  readonly dtYears: number;
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
    this.steps = n;
    this.dtYears = dt;
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
        // The exponent −2d₀d₁/v only where d₀d₁ < NEAR_BARRIER·v: elsewhere it is below the cutoff.
        if (bridge && d0 * d1 < NEAR_BARRIER * (v[k] as number)) {
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
        welfordAdd(tally.logOvershoot, over);
      }
    }
    tally.paths += paths;
    tally.liquidated += liquidated;
  }
}

/** What the first-passage estimates share: P(liquidation), the counts, the time to liquidation and what reproduces them. */
export interface FirstPassageEstimate extends ProportionEstimate, RunFacts {
  readonly liquidated: number;
  readonly bridge: boolean;
  /** Mean and standard deviation of the time to liquidation (years) over liquidated paths. */
  readonly meanTimeToLiquidationYears: number;
  readonly sdTimeToLiquidationYears: number;
}

/** A Monte Carlo estimate of the probability of liquidation of a single position, with what reproduces it. */
export interface LiquidationEstimate extends FirstPassageEstimate {
  /**
   * Mean overshoot at liquidation (gap risk): the log distance past the barrier at the grid point
   * of liquidation (0 for bridge crossings).
   */
  readonly meanOvershoot: number;
}

/** The shared fields of a first-passage result, in their JSON order. */
export function firstPassageEstimate(
  outcome: RunOutcome<FirstPassageTally>,
  evaluator: { readonly steps: number; readonly dtYears: number },
  bridge: boolean,
): FirstPassageEstimate {
  const { tally, plan } = outcome;
  return {
    ...firstPassageFrequency(tally, plan.confidence),
    liquidated: tally.liquidated,
    paths: tally.paths,
    steps: evaluator.steps,
    dtYears: evaluator.dtYears,
    bridge,
    seed: plan.seed,
    workers: outcome.workers,
    batchPaths: plan.batchPaths,
    stoppedBy: outcome.stoppedBy,
    ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
    meanTimeToLiquidationYears: meanOrNaN(tally.time),
    sdTimeToLiquidationYears: welfordSd(tally.time),
  };
}

/** P(liquidation) of a single position against its (moving) liquidation price: the registry entry of the pool. */
export const liquidationSimulation: Simulation<
  LiquidationSpec,
  LiquidationEvaluator,
  LiquidationTally,
  LiquidationEstimate
> = {
  create: (spec) => new LiquidationEvaluator(spec),
  tally: liquidationTally,
  estimate: (outcome, evaluator) => ({
    ...firstPassageEstimate(outcome, evaluator, evaluator.bridge),
    meanOvershoot: meanOrNaN(outcome.tally.logOvershoot),
  }),
};

/**
 * Single-threaded Monte Carlo probability of liquidation on the seed's stream — the same
 * numbers as the worker pool (src/sim/pool.ts) with one worker.
 *
 * @example simulateLiquidation({ model: { volatility: { kind: "constant", annualVol: 0.8 }, innovations: { kind: "normal" } }, grid: { horizonYears: 7 / 365, steps: 168 }, barrier: { side: "long", spotPrice: 100, liquidationPrice: 90 } }, { seed: 1, paths: 100_000 })
 */
export function simulateLiquidation(spec: LiquidationSpec, control: RunControl): LiquidationEstimate {
  return runSimulation(liquidationSimulation, spec, control);
}

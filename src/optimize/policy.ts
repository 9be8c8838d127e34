/**
 * The trader's answers as a replayable policy: a volatility filter updated on each new candle
 * (EWMA or a fitted GARCH), and a decision table computed by the optimizer at a few volatility
 * levels (knots) — the α-constrained leverage and the cheapest stop/top-up thresholds at each —
 * from which the decision at the current conditional variance is read. State in, decision out:
 * {@link observeReturn} maps (filter state, new return) to the next state, {@link decide} maps
 * (table, state, side) to a decision; both are pure, and the table and state are plain data
 * (JSON-serializable), so a policy can be stored and replayed bar by bar (quant.md §3.11: signal
 * → target, `m*_t = f(σ̂_t)`).
 *
 * Why a table: the optimum depends on the position only through its log distance to the
 * liquidation price and on the volatility state; computing it at knots once per refit and
 * reading it at the current σ̂ makes the policy cheap to replay on every candle. Between knots the
 * nearest knot in log-variance is used (no interpolation: a stop level is a grid point).
 */
import { InputError } from "../errors.js";
import type { ModelSpec } from "../sim/models.js";
import type { GarchParams } from "../vol/garch.js";
import { toModelVariance, updateVariance, type VolatilityProcess } from "../vol/process.js";
import { type ProcessState, VOLATILITY_PROCESSES } from "../vol/registry.js";

import {
  type CostParameters,
  cheapest,
  costCurve,
  type ThresholdGrid,
  thresholdProblem,
} from "./stop-topup.js";
import {
  minimumCollateral,
  monteCarloModel,
  scenarioNotional,
  scenarioWithCollateral,
  type TraderScenario,
} from "./trader-probability.js";

/**
 * A volatility filter's state: a process of the registry (src/vol/registry.ts), its parameters
 * (in the process's own units, e.g. percent returns for GARCH as fitted by src/vol/garch.ts) and
 * the conditional variance of the next bar's log return (fraction², per bar).
 */
export type VolFilterState = ProcessState;

/**
 * The next filter state after observing the bar's log return r: the process's one-step update
 * in log-return units ({@link updateVariance}), e.g. EWMA `σ² ← λσ² + (1 − λ)r²` (RiskMetrics;
 * quant.md §3.3), GARCH `h ← ω + (α + γ·1[ε<0])ε² + βh` on percent returns (quant.md §3.4).
 */
export function observeReturn(state: VolFilterState, logReturn: number): VolFilterState {
  const process = VOLATILITY_PROCESSES[state.kind] as VolatilityProcess<VolFilterState["params"]>;
  return { ...state, variance: updateVariance(process, state.params, state.variance, logReturn) };
}

/** What the policy does for a new position. */
export interface TraderDecision {
  /** The α-constrained leverage (capped by the venue). */
  readonly alphaLeverage: number;
  /** Cheapest stop distance at the table's reference leverage (fraction of price; null: no stop). */
  readonly stopDistance: number | null;
  /** Cheapest top-up trigger distance (null: no top-up). */
  readonly topUpDistance: number | null;
}

/** Decisions at volatility knots, for one side. */
export interface PolicyTable {
  readonly side: "long" | "short";
  /** Per-bar variance at each knot (fraction²), ascending. */
  readonly knotVariance: readonly number[];
  readonly decisions: readonly TraderDecision[];
  /** The leverage at which the thresholds were optimized. */
  readonly referenceLeverage: number;
  readonly alpha: number;
  readonly horizonHours: number;
}

/**
 * The decision for the state's variance v: the stop and top-up of the knot nearest in log
 * variance; the α-constrained leverage interpolated log-linearly between the two knots around v
 * (α-leverage scales about as 1/σ, so ln L is close to linear in ln v) and held at the end knots'
 * values outside their range (the table is not extrapolated).
 */
export function decide(table: PolicyTable, state: VolFilterState): TraderDecision {
  const v = Math.log(Math.max(state.variance, 1e-300));
  const knots = table.knotVariance.map((k) => Math.log(k));
  let best = 0;
  let gap = Number.POSITIVE_INFINITY;
  knots.forEach((k, i) => {
    const d = Math.abs(k - v);
    if (d < gap) {
      gap = d;
      best = i;
    }
  });
  const out = table.decisions[best];
  if (out === undefined)
    throw new InputError(
      "table",
      table.knotVariance.length,
      "has no knots",
      "Build the table with at least one knot.",
    );
  const n = knots.length;
  const first = table.decisions[0] as TraderDecision;
  const last = table.decisions[n - 1] as TraderDecision;
  if (n < 2 || v <= (knots[0] as number)) return { ...out, alphaLeverage: first.alphaLeverage };
  if (v >= (knots[n - 1] as number)) return { ...out, alphaLeverage: last.alphaLeverage };
  let i = 1;
  while (v > (knots[i] as number)) i++;
  const x0 = knots[i - 1] as number;
  const x1 = knots[i] as number;
  const y0 = Math.log((table.decisions[i - 1] as TraderDecision).alphaLeverage);
  const y1 = Math.log((table.decisions[i] as TraderDecision).alphaLeverage);
  return { ...out, alphaLeverage: Math.exp(y0 + ((y1 - y0) * (v - x0)) / (x1 - x0)) };
}

/** Options of {@link buildPolicyTables}. */
export interface PolicyTableOptions {
  /** A position template (fresh, mark = entry) whose collateral the table varies. */
  readonly scenario: TraderScenario;
  /**
   * The GARCH(1,1) fit (or a degenerate fit's IGARCH(1,1) with drift, src/optimize/vol-models.ts):
   * its recursion moves σ in the banks, its ν shapes the t shocks.
   */
  readonly garch: GarchParams;
  /**
   * Unit-variance standardised residuals of the fit: when given, the banks resample them in
   * day-long circular blocks (filtered historical simulation) instead of drawing t (or normal) shocks.
   */
  readonly residuals?: Float64Array;
  /** Bridge variance ÷ step variance for the banks' intrabar extremes (default 1; path-bank.ts). */
  readonly intrabarVarianceRatio?: number;
  /** Per-bar variances (fraction²) at which to decide. */
  readonly knotVariance: readonly number[];
  readonly alpha: number;
  readonly horizonHours: number;
  readonly recoveryHours: number;
  readonly barHours: number;
  /** Leverage at which the thresholds are optimized. */
  readonly referenceLeverage: number;
  /** Top-up amount as a fraction of the collateral. */
  readonly topUpFraction: number;
  readonly costs: CostParameters;
  readonly grid: ThresholdGrid;
  readonly paths: number;
  readonly seed: number;
}

/**
 * Decision tables at each knot: a GARCH-t (or GARCH-normal, or filtered-bootstrap) bank started at the knot's variance,
 * the α-constrained leverage by {@link minimumCollateral} on it, and the cheapest thresholds of
 * the cost curve at the reference leverage. The scenario's side decides the table's side.
 */
export function buildPolicyTable(o: PolicyTableOptions): PolicyTable {
  const notional = scenarioNotional(o.scenario);
  const horizonBars = Math.max(1, Math.round(o.horizonHours / o.barHours));
  const recoveryBars = Math.round(o.recoveryHours / o.barHours);
  const reference = scenarioWithCollateral(o.scenario, notional / o.referenceLeverage);
  const decisions = o.knotVariance.map((variance, i) => {
    const model: ModelSpec = {
      volatility: {
        kind: "garch",
        params: { ...o.garch, mu: 0 },
        startVariance: toModelVariance(VOLATILITY_PROCESSES.garch, variance),
        returnsScale: VOLATILITY_PROCESSES.garch.returnsScale,
      },
      innovations:
        o.residuals !== undefined
          ? { kind: "bootstrap", samples: o.residuals, blockLength: Math.max(1, Math.round(24 / o.barHours)) }
          : o.garch.nu === undefined
            ? { kind: "normal" }
            : { kind: "student-t", nu: o.garch.nu },
    };
    const mc = monteCarloModel({
      model,
      barHours: o.barHours,
      horizonHours: o.horizonHours,
      paths: o.paths,
      seed: o.seed + i,
      extraBars: recoveryBars,
      ...(o.intrabarVarianceRatio === undefined ? {} : { intrabarVarianceRatio: o.intrabarVarianceRatio }),
    });
    const sol = minimumCollateral(
      o.scenario,
      mc,
      { kind: "probability", alpha: o.alpha },
      { horizonHours: o.horizonHours, relativeTolerance: 1e-4 },
    );
    const problem = thresholdProblem(reference, {
      horizonHours: horizonBars * o.barHours,
      barHours: o.barHours,
      recoveryHours: o.recoveryHours,
      topUpAmount: (o.topUpFraction * notional) / o.referenceLeverage,
      costs: o.costs,
    });
    const best = cheapest(costCurve(problem, mc.bank, o.grid));
    return {
      alphaLeverage: sol.allowedLeverage ?? 1,
      stopDistance: best.thresholds.stopDistance,
      topUpDistance: best.thresholds.topUpDistance,
    };
  });
  const position = o.scenario.account.positions[o.scenario.positionIndex];
  return {
    side: position !== undefined && position.size < 0 ? "short" : "long",
    knotVariance: [...o.knotVariance],
    decisions,
    referenceLeverage: o.referenceLeverage,
    alpha: o.alpha,
    horizonHours: o.horizonHours,
  };
}

/** Log-spaced knots between two per-bar variances (inclusive). */
export function varianceKnots(low: number, high: number, count: number): number[] {
  if (!(low > 0 && high >= low && count >= 1)) {
    throw new InputError(
      "knots",
      [low, high, count],
      "need 0 < low ≤ high and count ≥ 1",
      "Pass positive variances and a count.",
    );
  }
  if (count === 1) return [Math.sqrt(low * high)];
  return Array.from({ length: count }, (_, i) => low * (high / low) ** (i / (count - 1)));
}

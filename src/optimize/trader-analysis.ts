/**
 * One call that answers a trader's questions for a position: P(liquidation within the horizon)
 * under a fitted volatility model, the largest leverage with P ≤ α (and the venue's cap), the
 * collateral to add or size to cut to reach α (or a distance to the liquidation price), P against
 * leverage, and the stop/top-up cost curve with its cheapest point. Used by `traderReport`
 * (src/optimize/trader-report.ts), the `liqopt trader` workflow.
 */
import type { ModelSpec } from "../sim/models.js";
import type { ArjiFit } from "../vol/arji.js";
import type { JumpFit } from "../vol/jumps.js";
import type { MertonRangeFit, RangeBars } from "../vol/jumps-range.js";
import { simulatePathBank } from "./path-bank.js";
import {
  type CostParameters,
  type CostPoint,
  cheapest,
  costCurve,
  DEFAULT_GRID,
  type ThresholdGrid,
  thresholdProblem,
} from "./stop-topup.js";
import {
  type CollateralSolution,
  type CollateralToAdd,
  collateralToAdd,
  type FundingAssumption,
  HOURS_PER_YEAR,
  type LiquidationProbability,
  liquidationProbability,
  minimumCollateral,
  type SizeCut,
  type StressScenario,
  scenarioBarrier,
  scenarioCollateral,
  scenarioNotional,
  scenarioPosition,
  scenarioWithCollateral,
  sizeCut,
  type TraderScenario,
  venueMaxLeverage,
  withStress,
} from "./trader-probability.js";
import {
  type DegenerateModel,
  type DegeneratePolicy,
  type FitBounds,
  fitTraderVolModel,
  type TraderVolModelKind,
} from "./vol-models.js";

/** Options of {@link analyzeTrader}. */
export interface TraderAnalysisOptions {
  readonly horizonHours: number;
  readonly alpha: number;
  readonly model: TraderVolModelKind;
  /** What to do when the model's GARCH fit is degenerate (src/optimize/vol-models.ts); default fallback. */
  readonly onDegenerate?: DegeneratePolicy;
  /** The candles' close, low and high relative to each bar's open, for a model fitted on ranges (`TraderVolOptions.range`). */
  readonly range?: RangeBars;
  /** Bar length of the candles, hours. */
  readonly barHours: number;
  readonly windowBars?: number;
  readonly paths: number;
  readonly seed: number;
  readonly funding?: FundingAssumption;
  /** Recovery window W of the premature-close test, hours. */
  readonly recoveryHours: number;
  /** Top-up amount (default half the current collateral). */
  readonly topUpAmount?: number;
  readonly costs: CostParameters;
  /**
   * When set, the slippage of every close is the square-root law (src/risk/impact.ts) with this Y,
   * the daily volume V_D (quote units) and σ_D = the fitted annual σ / √365, instead of `costs.slippage`.
   */
  readonly impact?: { readonly y: number; readonly dailyVolume: number };
  /** Optional target distance to the liquidation price (fraction). */
  readonly distance?: number;
  readonly grid?: ThresholdGrid;
  /** A stress scenario mixed into every P(liquidation) ({@link withStress}). */
  readonly stress?: StressScenario;
}

/** The answers. */
export interface TraderAnalysis {
  readonly position: {
    readonly symbol: string;
    readonly side: "long" | "short";
    readonly size: number;
    readonly markPrice: number;
    readonly notional: number;
    readonly collateral: number;
    readonly venueMaxLeverage: number;
  };
  readonly model: {
    readonly kind: TraderVolModelKind;
    readonly method: "closed-form" | "monte-carlo";
    readonly annualVol: number;
    readonly returnsUsed: number;
    readonly garch?: {
      readonly params: Record<string, number | undefined>;
      readonly loglikelihood: number;
      readonly persistence: number;
      /** Constraints binding at the fit's optimum (`GarchFit.atBound`), present when any binds. */
      readonly atBound?: readonly string[];
    };
    /** Present when the asked model's fit is degenerate: why, and the model used instead (`kind`). */
    readonly degenerate?: DegenerateModel;
    /** Present when the model's fit ends on a bound it uses, besides `degenerate` (e.g. ν of t at its floor 2). */
    readonly fitBounds?: FitBounds;
    /** The jump-diffusion fit of merton and kou (per-bar parameters; `atBounds` when not interior). */
    readonly jumps?: JumpFit | MertonRangeFit;
    /** The ARJI fit of arji (per-bar parameters, λ of the next bar, flags, `atBounds`). */
    readonly arji?: ArjiFit;
    readonly description: Readonly<Record<string, number | string>>;
  };
  /** The path model behind the estimates (a constant-σ GBM for the closed-form models). */
  readonly pathModel: ModelSpec;
  readonly horizonHours: number;
  readonly alpha: number;
  readonly funding: FundingAssumption | null;
  readonly probability: LiquidationProbability;
  /**
   * P(liquidation) without the jumps (a jump model's diffusion alone, closed form) and without the
   * stress scenario, beside `probability`; null for a model without jumps and no stress.
   */
  readonly withoutJumps: { readonly model: string; readonly probability: LiquidationProbability } | null;
  /** Barrier drift from funding, per year (log). */
  readonly liquidationPriceLogDriftPerYear: number;
  readonly maxLeverage: CollateralSolution;
  readonly collateralForAlpha: CollateralToAdd;
  readonly sizeCutForAlpha: SizeCut;
  readonly collateralForDistance: CollateralToAdd | null;
  /** P(liquidation) against leverage (collateral = notional/leverage). */
  readonly leverageCurve: readonly { leverage: number; probability: number; standardError: number }[];
  readonly thresholds: {
    /** The slippage model used for the closes. */
    readonly slippage: CostParameters["slippage"];
    readonly topUpAmount: number;
    readonly recoveryHours: number;
    readonly best: CostPoint;
    readonly curve: readonly CostPoint[];
    readonly paths: number;
    readonly seed: number;
  } | null;
  /** Why there are no thresholds (inverse contract, position not liquidatable). */
  readonly thresholdsSkipped: string | null;
}

/** Runs every analysis of the module doc on a scenario with candle closes for the model. */
export function analyzeTrader(
  s: TraderScenario,
  closes: ArrayLike<number>,
  o: TraderAnalysisOptions,
): TraderAnalysis {
  const recoveryBars = Math.max(0, Math.round(o.recoveryHours / o.barHours));
  const vol = fitTraderVolModel(closes, {
    kind: o.model,
    horizonHours: o.horizonHours,
    barHours: o.barHours,
    paths: o.paths,
    seed: o.seed,
    extraBars: recoveryBars,
    ...(o.onDegenerate === undefined ? {} : { onDegenerate: o.onDegenerate }),
    ...(o.windowBars === undefined ? {} : { windowBars: o.windowBars }),
    ...(o.range === undefined ? {} : { range: o.range }),
  });
  const model = o.stress === undefined ? vol.probability : withStress(vol.probability, o.stress);
  const plain = vol.withoutJumps ?? (o.stress === undefined ? undefined : vol.probability);
  const costs: CostParameters =
    o.impact === undefined
      ? o.costs
      : {
          ...o.costs,
          slippage: {
            kind: "square-root",
            impact: {
              y: o.impact.y,
              dailyVol: vol.annualVol / Math.sqrt(365),
              dailyVolume: o.impact.dailyVolume,
              exponent: 0.5,
            },
          },
        };
  const solverOptions = {
    horizonHours: o.horizonHours,
    ...(o.funding === undefined ? {} : { funding: o.funding }),
  };
  const target = { kind: "probability" as const, alpha: o.alpha };
  const p = scenarioPosition(s);
  const notional = scenarioNotional(s);
  const maxLev = venueMaxLeverage(s);
  const leverageCurve = leverageGrid(maxLev).map((leverage) => {
    const est = liquidationProbability(
      scenarioWithCollateral(s, notional / leverage),
      model,
      o.horizonHours,
      o.funding,
    );
    return { leverage, probability: est.probability, standardError: est.standardError };
  });
  let thresholds: TraderAnalysis["thresholds"] = null;
  let skipped: string | null = null;
  const topUpAmount = o.topUpAmount ?? 0.5 * scenarioCollateral(s);
  if (p.instrument.kind !== "linear") skipped = "the stop/top-up optimizer handles linear contracts only";
  else {
    const barrier = scenarioBarrier(s, o.horizonHours, o.funding);
    if (barrier.status !== "safe")
      skipped = `the position is ${barrier.status === "liquidatable" ? "already liquidatable" : "never liquidated"}`;
    else if (barrier.adverse !== barrier.side)
      skipped = `a move in the position's favour liquidates the account (its hedge on ${p.instrument.symbol} loses more): a stop or top-up on this position does not protect it`;
    else {
      const problem = thresholdProblem(s, {
        horizonHours: o.horizonHours,
        barHours: o.barHours,
        recoveryHours: o.recoveryHours,
        topUpAmount,
        costs,
        ...(o.funding === undefined ? {} : { funding: o.funding }),
      });
      const bank =
        "bank" in model && model.bank !== undefined
          ? (model as { bank: ReturnType<typeof simulatePathBank> }).bank
          : simulatePathBank({
              model: vol.pathModel,
              barYears: o.barHours / HOURS_PER_YEAR,
              bars: problem.horizonBars + problem.recoveryBars,
              paths: Math.min(o.paths, 20_000),
              seed: o.seed,
            });
      const curve = costCurve(problem, bank, o.grid ?? DEFAULT_GRID);
      thresholds = {
        slippage: costs.slippage,
        topUpAmount,
        recoveryHours: o.recoveryHours,
        best: cheapest(curve),
        curve,
        paths: bank.paths,
        seed: o.seed,
      };
    }
  }
  const barrier = scenarioBarrier(s, o.horizonHours, o.funding);
  return {
    position: {
      symbol: p.instrument.symbol,
      side: p.size > 0 ? "long" : "short",
      size: p.size,
      markPrice: p.markPrice,
      notional,
      collateral: scenarioCollateral(s),
      venueMaxLeverage: maxLev,
    },
    model: {
      kind: vol.kind,
      method: model.method,
      annualVol: vol.annualVol,
      returnsUsed: vol.returnsUsed,
      ...(vol.garch === undefined
        ? {}
        : {
            garch: {
              params: { ...vol.garch.params },
              loglikelihood: vol.garch.loglikelihood,
              persistence: vol.garch.persistence,
              ...(vol.garch.atBound.length === 0 ? {} : { atBound: vol.garch.atBound }),
            },
          }),
      ...(vol.degenerate === undefined ? {} : { degenerate: vol.degenerate }),
      ...(vol.fitBounds === undefined ? {} : { fitBounds: vol.fitBounds }),
      ...(vol.jumps === undefined ? {} : { jumps: vol.jumps }),
      ...(vol.arji === undefined ? {} : { arji: vol.arji }),
      description: model.description,
    },
    pathModel: vol.pathModel,
    horizonHours: o.horizonHours,
    alpha: o.alpha,
    funding: o.funding ?? null,
    probability: liquidationProbability(s, model, o.horizonHours, o.funding),
    withoutJumps:
      plain === undefined
        ? null
        : {
            model: vol.withoutJumps === undefined ? `${vol.kind}` : `${vol.kind} diffusion (gbm)`,
            probability: liquidationProbability(s, plain, o.horizonHours, o.funding),
          },
    liquidationPriceLogDriftPerYear: barrier.logDriftPerYear,
    maxLeverage: minimumCollateral(s, model, target, solverOptions),
    collateralForAlpha: collateralToAdd(s, model, target, solverOptions),
    sizeCutForAlpha: sizeCut(s, model, target, solverOptions),
    collateralForDistance:
      o.distance === undefined
        ? null
        : collateralToAdd(s, model, { kind: "distance", distance: o.distance }, solverOptions),
    leverageCurve,
    thresholds,
    thresholdsSkipped: skipped,
  };
}

/** Leverages 1, 1.5, 2, … up to the venue maximum (at most 40 points, log-spaced beyond 10×). */
function leverageGrid(max: number): number[] {
  const out: number[] = [];
  for (let l = 1; l <= Math.min(10, max); l += 0.5) out.push(l);
  if (max > 10) {
    const steps = 20;
    for (let i = 1; i <= steps; i++) out.push(10 * (max / 10) ** (i / steps));
  }
  return out;
}

/**
 * The `trader` workflow as one library call: from a resolved account document, hourly candles and
 * plain options, the trader analysis (src/optimize/trader-analysis.ts) with its two Monte Carlo
 * cross-checks — the bridge simulation of src/sim/liquidation.ts on the same path model, and the
 * venue's own liquidation procedure with partial closes (src/sim/partial-liquidation.ts) — as the
 * plain object `liqopt trader --json` prints. Loading files, tables, charts and the HTML report
 * stay in the CLI (src/cli/trader.ts); an HTTP handler calls {@link traderReport} with the same input.
 */
import { InputError } from "../errors.js";
import type { CandleSeries } from "../market/candles.js";
import type { FundingSeries } from "../market/funding.js";
import { DEFAULT_MAX_GAP_BARS, type GapReport, withoutLargeGaps } from "../market/gaps.js";
import { type LiquidationEstimate, simulateLiquidation } from "../sim/liquidation.js";
import type { TimeGrid } from "../sim/models.js";
import { type PartialLiquidationEstimate, simulatePartialLiquidation } from "../sim/partial-liquidation.js";
import type { ResolvedAccount } from "../venues/account-document.js";
import { rangeBarsFromCandles } from "../vol/jumps-range.js";
import { fitsRanges } from "../vol/registry.js";
import { analyzeTrader, type TraderAnalysis } from "./trader-analysis.js";
import {
  type FundingAssumption,
  HOURS_PER_YEAR,
  type StressScenario,
  scenarioBarrier,
  scenarioCollateral,
  type TraderScenario,
  traderScenario,
} from "./trader-probability.js";
import type { DegeneratePolicy, TraderVolModelKind } from "./vol-models.js";

/** Hours per funding interval assumed for `fundingRatePerInterval` (Binance's 8 h). */
const FUNDING_INTERVAL_HOURS = 8;

/** Days of candles whose mean daily quote volume feeds the square-root slippage law. */
const VOLUME_DAYS = 30;

/** Options of {@link traderReport} (already validated numbers; the CLI parses them from its flags). */
export interface TraderReportOptions {
  /** 0-based index of the analysed position in the account. */
  readonly positionIndex: number;
  readonly horizonHours: number;
  readonly alpha: number;
  readonly model: TraderVolModelKind;
  /** What to do when the model's GARCH fit is degenerate (src/optimize/vol-models.ts); default fallback. */
  readonly onDegenerate?: DegeneratePolicy;
  /** Returns the model is fitted on (the most recent). */
  readonly windowBars: number;
  /** Funding rate per 8 h assumed over the horizon, a fraction (a long pays when positive; 0 for none). */
  readonly fundingRatePerInterval: number;
  /**
   * A funding history instead of a constant: the rate assumed over the horizon is the mean of its
   * settlements over the candles' fitting window ({@link fundingSeriesMean}); `fundingRatePerInterval`
   * must then be 0.
   */
  readonly fundingSeries?: FundingSeries;
  /** Recovery window W of the premature-close test, hours. */
  readonly recoveryHours: number;
  /** Top-up amount (default half the collateral). */
  readonly topUpAmount?: number;
  /** Target distance to the liquidation price (fraction) for the collateral to add. */
  readonly distance?: number;
  readonly takerFeeRate: number;
  /** Fixed slippage of closes, basis points of notional (unless `squareRootImpactY` is set). */
  readonly slippageBps: number;
  /**
   * When set, closes pay the square-root law `I = Y·σ_D·√(Q/V_D)` with this Y and V_D the candles'
   * mean daily quote volume over 30 days ({@link dailyQuoteVolume}) instead of `slippageBps`.
   */
  readonly squareRootImpactY?: number;
  readonly idleRatePerYear: number;
  /** Whether the margin left at liquidation is forfeited (true) or returned. */
  readonly forfeitRemainder: boolean;
  readonly paths: number;
  readonly seed: number;
  /** A gap of more bars than this splits the candles: the model is fitted on the longest stretch without one (default 24). */
  readonly maxGapBars?: number;
  /** A stress scenario mixed into P(liquidation) (`--stress`). */
  readonly stress?: StressScenario;
  /** Progress of the bridge cross-check (paths done of `paths`), e.g. for a progress bar. */
  readonly onProgress?: (pathsDone: number, paths: number) => void;
}

/** The funding assumption taken from a series: the settlements averaged and their mean. */
export interface FundingSeriesMean {
  readonly symbol: string;
  /** Settlements averaged, and the first and last of them (ISO, UTC). */
  readonly settlements: number;
  readonly from: string;
  readonly to: string;
  /** The interval the rates are quoted per, hours. */
  readonly intervalHours: number;
  /** Mean rate per interval, a fraction: the constant rate assumed over the horizon. */
  readonly meanRatePerInterval: number;
}

/**
 * The mean funding rate of the settlements of `series` with `fromMs ≤ time < toMs`,
 * `r̄ = Σ rᵢ / n` per `series.intervalHours`: the constant rate the trader assumes over the horizon,
 * so the liquidation barrier drifts by the funding the recent settlements would charge
 * (trader-probability.ts `scenarioBarrier`). No settlement in the window is an {@link InputError} on
 * `--funding` naming the window.
 */
export function fundingSeriesMean(series: FundingSeries, fromMs: number, toMs: number): FundingSeriesMean {
  let sum = 0;
  let n = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  for (let i = 0; i < series.time.length; i++) {
    const t = series.time[i] as number;
    if (t < fromMs || t >= toMs) continue;
    sum += series.rate[i] as number;
    if (n === 0) first = t;
    last = t;
    n++;
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  if (n === 0)
    throw new InputError(
      "--funding",
      series.symbol,
      `has no settlement between ${iso(fromMs)} and ${iso(toMs)} (the candles the model is fitted on)`,
      "Pass funding that covers the candles' last --window bars, or a constant --funding-rate.",
    );
  return {
    symbol: series.symbol,
    settlements: n,
    from: iso(first),
    to: iso(last),
    intervalHours: series.intervalHours,
    meanRatePerInterval: sum / n,
  };
}

/** What `liqopt trader --json` prints: the analysis and its two Monte Carlo cross-checks. */
export interface TraderReport extends TraderAnalysis {
  /** Present when the funding came from a series (`fundingSeries`): what its constant rate averages. */
  readonly fundingSeries?: FundingSeriesMean;
  /** The bridge Monte Carlo of the same path model (Student-t, GARCH-t, FHS and the jump models; else null). */
  readonly simulatedWithBridge: LiquidationEstimate | null;
  /** The venue's liquidation procedure (one linear position margined at the mark; else null). */
  readonly venueProcedure: PartialLiquidationEstimate | null;
  /** Gaps in the candles and the stretch the model was fitted on (`market/gaps.ts`). */
  readonly gaps: GapReport;
}

/**
 * Runs the `trader` analysis of position `positionIndex` of `resolved` on `allCandles` (hourly closes
 * and volume), or on their longest stretch without a gap of more than `maxGapBars` bars.
 */
export function traderReport(
  resolved: ResolvedAccount,
  allCandles: CandleSeries,
  o: TraderReportOptions,
): TraderReport {
  const { series: candles, gaps } = withoutLargeGaps(allCandles, o.maxGapBars ?? DEFAULT_MAX_GAP_BARS);
  const s = traderScenario(resolved, o.positionIndex);
  const symbol = resolved.account.positions[o.positionIndex]?.instrument.symbol ?? "";
  const barHours = candles.intervalMs / 3_600_000;
  if (o.fundingSeries !== undefined && o.fundingRatePerInterval !== 0)
    throw new InputError(
      "--funding-rate",
      o.fundingRatePerInterval,
      "cannot be combined with --funding",
      "Pass a funding history or a constant rate, not both.",
    );
  const n = candles.time.length;
  const fundingMean =
    o.fundingSeries === undefined
      ? undefined
      : fundingSeriesMean(
          o.fundingSeries,
          candles.time[Math.max(0, n - 1 - o.windowBars)] as number,
          (candles.time[n - 1] as number) + candles.intervalMs,
        );
  const constant =
    fundingMean === undefined
      ? { ratePerInterval: o.fundingRatePerInterval, intervalHours: FUNDING_INTERVAL_HOURS }
      : { ratePerInterval: fundingMean.meanRatePerInterval, intervalHours: fundingMean.intervalHours };
  const funding: FundingAssumption | undefined = constant.ratePerInterval === 0 ? undefined : constant;
  const analysis = analyzeTrader(s, candles.close, {
    horizonHours: o.horizonHours,
    alpha: o.alpha,
    model: o.model,
    ...(o.onDegenerate === undefined ? {} : { onDegenerate: o.onDegenerate }),
    ...(fitsRanges(o.model) ? { range: rangeBarsFromCandles(candles) } : {}),
    barHours,
    windowBars: o.windowBars,
    paths: o.paths,
    seed: o.seed,
    recoveryHours: o.recoveryHours,
    ...(funding === undefined ? {} : { funding }),
    ...(o.topUpAmount === undefined ? {} : { topUpAmount: o.topUpAmount }),
    ...(o.distance === undefined ? {} : { distance: o.distance }),
    ...(o.stress === undefined ? {} : { stress: o.stress }),
    ...(o.squareRootImpactY === undefined
      ? {}
      : { impact: { y: o.squareRootImpactY, dailyVolume: dailyQuoteVolume(candles, VOLUME_DAYS) } }),
    costs: {
      takerFeeRate: o.takerFeeRate,
      liquidationFeeRate: resolved.venue.liquidationFeeRate(symbol),
      slippage: { kind: "proportional", bps: o.slippageBps },
      forfeitRemainder: o.forfeitRemainder,
      idleRatePerYear: o.idleRatePerYear,
    },
  });
  const run = { grid: hourlyGrid(analysis.horizonHours, barHours), paths: o.paths, seed: o.seed, funding };
  const used = analysis.model.kind;
  const bridged =
    used === "t" ||
    used === "garch-t" ||
    used === "fhs" ||
    used === "merton" ||
    used === "kou" ||
    used === "arji";
  return {
    ...analysis,
    ...(fundingMean === undefined ? {} : { fundingSeries: fundingMean }),
    simulatedWithBridge: bridged ? simulateWithBridge(s, analysis, run, o.onProgress) : null,
    venueProcedure: venueProcedure(resolved, s, analysis, run),
    gaps,
  };
}

/**
 * Mean daily quote volume `Σ volume·close / days` over the last `days` days of candles (the V_D of
 * the square-root law, src/risk/impact.ts).
 */
function dailyQuoteVolume(series: CandleSeries, days: number): number {
  const n = series.close.length;
  const from = Math.max(0, n - Math.round((days * 86_400_000) / series.intervalMs));
  let sum = 0;
  for (let i = from; i < n; i++) sum += (series.volume[i] as number) * (series.close[i] as number);
  const spanDays = ((n - from) * series.intervalMs) / 86_400_000;
  if (!(sum > 0))
    throw new InputError(
      "candles",
      "no volume",
      "carry no traded volume for the square-root law",
      "Pass candles with volume, or a fixed slippage (--slippage bps).",
    );
  return sum / spanDays;
}

/** What both cross-checks run on: the candles' bar grid over the horizon, paths, seed and funding. */
interface CrossCheckRun {
  readonly grid: TimeGrid;
  readonly paths: number;
  readonly seed: number;
  readonly funding: FundingAssumption | undefined;
}

/** The grid of whole bars nearest the horizon (at least one), in years. */
function hourlyGrid(horizonHours: number, barHours: number): TimeGrid {
  const steps = Math.max(1, Math.round(horizonHours / barHours));
  return { horizonYears: (steps * barHours) / HOURS_PER_YEAR, steps };
}

/**
 * The venue's own liquidation procedure over the horizon (src/sim/partial-liquidation.ts: partial
 * closes where the venue does them, its fee, full close or takeover otherwise) for an account of one
 * linear position margined at the mark; null for other accounts.
 */
function venueProcedure(
  resolved: ResolvedAccount,
  s: TraderScenario,
  a: TraderAnalysis,
  run: CrossCheckRun,
): PartialLiquidationEstimate | null {
  const p = s.account.positions[s.positionIndex];
  if (s.account.positions.length !== 1 || p === undefined || p.instrument.kind !== "linear") return null;
  if (s.rules.maintenanceBasis !== "mark") return null;
  return simulatePartialLiquidation(
    {
      model: a.pathModel,
      grid: run.grid,
      venue: resolved.venue.id,
      tiers: p.tiers,
      quantity: p.size * p.instrument.contractSize,
      entryPrice: p.entryPrice,
      spotPrice: p.markPrice,
      collateral: scenarioCollateral(s),
      ...(run.funding === undefined
        ? {}
        : {
            fundingRatePerYear: (run.funding.ratePerInterval * HOURS_PER_YEAR) / run.funding.intervalHours,
          }),
    },
    { seed: run.seed, paths: run.paths },
  );
}

/**
 * P(liquidation) by the bridge Monte Carlo of src/sim (the same path model, the candles' grid) as
 * a cross-check of the bar-based estimate; null when the position is not at risk of a barrier.
 */
function simulateWithBridge(
  s: TraderScenario,
  a: TraderAnalysis,
  run: CrossCheckRun,
  onProgress: TraderReportOptions["onProgress"],
): LiquidationEstimate | null {
  const barrier = scenarioBarrier(s, a.horizonHours, run.funding);
  if (barrier.status !== "safe") return null;
  return simulateLiquidation(
    {
      model: a.pathModel,
      grid: run.grid,
      barrier: {
        side: barrier.adverse,
        spotPrice: barrier.spotPrice,
        liquidationPrice: barrier.liquidationPrice as number,
        liquidationPriceLogDriftPerYear: barrier.logDriftPerYear,
      },
    },
    {
      seed: run.seed,
      paths: run.paths,
      ...(onProgress === undefined ? {} : { onProgress: ({ paths }) => onProgress(paths, run.paths) }),
    },
  );
}

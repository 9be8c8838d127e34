/**
 * The walk-forward VaR/ES backtest report of a candle series (what `liqopt backtest-var` prints):
 * per model, its exception count against the expected, Kupiec's and Christoffersen's tests, the
 * Basel traffic-light zone and Acerbi–Székely's Z2.
 */
import type { CandleSelection } from "../market/candles.js";
import { DEFAULT_MAX_GAP_BARS, type GapReport, withoutLargeGaps } from "../market/gaps.js";
import { logReturns } from "../vol/realized.js";
import { type RollingBacktestReport, type RollingModel, rollingBacktest } from "./rolling-backtest.js";

const iso = (ms: number): string => new Date(ms).toISOString();

/** A rolling VaR backtest, per model its tests (`liqopt backtest-var --json`; the series are in the chart). */
export interface BacktestVarReport {
  symbol: string;
  firstTested: string;
  lastTested: string;
  observations: number;
  confidence: number;
  window: number;
  refitEvery: number;
  models: {
    model: RollingModel;
    exceptions: number;
    expected: number;
    kupiecLr: number;
    kupiecP: number;
    independenceP: number;
    conditionalCoverageP: number;
    zone: string;
    z2: number;
    meanVar: number;
    meanEs: number;
  }[];
  /** Gaps in the bars and the stretch tested (`market/gaps.ts`). */
  gaps: GapReport;
}

/** Options of {@link backtestVarReport}. */
export interface BacktestVarOptions {
  /** VaR confidence level, a fraction. */
  confidence: number;
  /** Estimation window in bars. */
  window: number;
  /** Re-estimate every this many bars. */
  refitEvery: number;
  models: readonly RollingModel[];
  /** A gap of more bars than this splits the series: the longest stretch without one is tested (default 24). */
  maxGapBars?: number;
}

/**
 * The rolling backtest of `models` on the selection's log returns, with the bar times attached
 * (`risk/rolling-backtest.ts`): every forecast, loss and exception, for charts.
 */
export function backtestVar(selection: CandleSelection, options: BacktestVarOptions): RollingBacktestReport {
  const { maxGapBars, ...rolling } = options;
  const s = withoutLargeGaps(selection.series, maxGapBars ?? DEFAULT_MAX_GAP_BARS).series;
  return rollingBacktest(logReturns(s.close), { ...rolling, timeMs: s.time.subarray(1) });
}

/**
 * The backtest report of the selected candles: walks the models forward over the log returns
 * ({@link backtestVar}) and scores each by its exceptions against the expected n(1 − q), the
 * Kupiec proportion-of-failures and Christoffersen independence and conditional-coverage tests
 * (`risk/backtest.ts`), the Basel traffic-light zone and the Acerbi–Székely Z2 of its ES
 * (`risk/es-backtest.ts`). `run` is that backtest when the caller already has it (the CLI draws
 * its chart from it); it must come from the same selection and options. Returns across a gap of
 * more than `maxGapBars` bars are not tested: the longest stretch without one is (`gaps` says which).
 */
export function backtestVarReport(
  selection: CandleSelection,
  options: BacktestVarOptions,
  run: RollingBacktestReport = backtestVar(selection, options),
): BacktestVarReport {
  const t = run.timeMs ?? new Float64Array(0);
  return {
    symbol: selection.series.symbol,
    firstTested: iso(t[0] as number),
    lastTested: iso(t[t.length - 1] as number),
    observations: run.observations,
    confidence: run.confidence,
    window: run.window,
    refitEvery: run.refitEvery,
    models: run.models.map((m) => ({
      model: m.model,
      exceptions: m.coverage.exceptions,
      expected: run.observations * (1 - run.confidence),
      kupiecLr: m.coverage.pof.statistic,
      kupiecP: m.coverage.pof.pValue,
      independenceP: m.coverage.independence.pValue,
      conditionalCoverageP: m.coverage.conditionalCoverage.pValue,
      zone: m.trafficLight.zone,
      z2: m.z2,
      meanVar: m.meanVar,
      meanEs: m.meanEs,
    })),
    gaps: withoutLargeGaps(selection.series, options.maxGapBars ?? DEFAULT_MAX_GAP_BARS).gaps,
  };
}

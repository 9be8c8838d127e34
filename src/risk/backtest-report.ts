/**
 * The walk-forward VaR/ES backtest report of a candle series (what `liqopt backtest-var` prints):
 * per model, its exception count against the expected, Kupiec's and Christoffersen's tests, the
 * Basel traffic-light zone and Acerbi–Székely's Z2.
 */
import type { CandleSelection } from "../market/candles.js";
import { DEFAULT_MAX_GAP_BARS, type GapReport, withoutLargeGaps } from "../market/gaps.js";
import { barEwmaLambda } from "../vol/ewma.js";
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
  /** The position whose losses are tested: a long loses when the price falls, a short when it rises. */
  side: "long" | "short";
  /** Whether losses are measured to the bar's low (long) or high (short) instead of its close. */
  intrabar: boolean;
  /** EWMA's λ per bar: the daily 0.94 carried to the bar interval, 0.94^(bar hours/24). */
  ewmaLambdaPerBar: number;
  /** Models whose refits said they failed (GARCH-t on a bound, Cornish–Fisher not monotone), one line each. */
  warnings: string[];
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
  /** Position side; default long. */
  side?: "long" | "short";
  /**
   * Score against the worst loss within each bar — to its low for a long, its high for a short (a
   * liquidation happens on the wick) — instead of the close-to-close loss; default false.
   */
  intrabar?: boolean;
  /** A gap of more bars than this splits the series: the longest stretch without one is tested (default 24). */
  maxGapBars?: number;
}

/** RiskMetrics' daily EWMA decay, which the backtest carries to the bar interval. */
const DAILY_LAMBDA = 0.94;

/**
 * The rolling backtest of `models` on the selection's log returns, with the bar times attached
 * (`risk/rolling-backtest.ts`): every forecast, loss and exception, for charts. EWMA's daily
 * λ 0.94 is carried to the bar, λ_bar = 0.94^(bar hours/24) (`barEwmaLambda`); a short is tested
 * on −r; with `intrabar` the losses are −ln(low_t/close_{t−1}) for a long, ln(high_t/close_{t−1})
 * for a short.
 */
export function backtestVar(selection: CandleSelection, options: BacktestVarOptions): RollingBacktestReport {
  const s = withoutLargeGaps(selection.series, options.maxGapBars ?? DEFAULT_MAX_GAP_BARS).series;
  const short = options.side === "short";
  const r = logReturns(s.close);
  // A short's P&L is −r: its losses are the price's rises.
  if (short) for (let i = 0; i < r.length; i++) r[i] = -(r[i] as number);
  let intrabarLosses: Float64Array | undefined;
  if (options.intrabar === true) {
    const wick = short ? s.high : s.low;
    intrabarLosses = Float64Array.from(r, (_, i) => {
      const move = Math.log((wick[i + 1] as number) / (s.close[i] as number));
      return short ? move : -move;
    });
  }
  return rollingBacktest(r, {
    confidence: options.confidence,
    window: options.window,
    refitEvery: options.refitEvery,
    models: options.models,
    ewmaLambda: DAILY_LAMBDA,
    barHours: s.intervalMs / 3_600_000,
    timeMs: s.time.subarray(1),
    ...(intrabarLosses === undefined ? {} : { intrabarLosses }),
  });
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
    side: options.side ?? "long",
    intrabar: options.intrabar === true,
    ewmaLambdaPerBar: barEwmaLambda(DAILY_LAMBDA, selection.series.intervalMs / 3_600_000),
    warnings: run.models
      .filter((m) => m.invalidFits > 0)
      .map(
        (m) =>
          `${m.model}: ${m.invalidFits} of ${m.refits} refits ${m.model === "cornish-fisher" ? "gave an expansion not monotone beyond z_q" : "ended on a bound of the GARCH parameters (e.g. persistence at the stationarity bound)"}`,
      ),
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

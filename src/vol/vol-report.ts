/**
 * The volatility report of a candle series (what `liqopt vol` prints): realized volatility by
 * every estimator over a recent window, the EWMA level and a fitted GARCH model with its forecast,
 * and the volatility paths over time that its chart draws.
 */
import { InputError } from "../errors.js";
import type { CandleSelection } from "../market/candles.js";
import { ewmaVariance } from "./ewma.js";
import {
  conditionalVariance,
  fit,
  forecast,
  fromPercent,
  type GarchDist,
  type GarchFit,
  type GarchModel,
  percentReturns,
} from "./garch.js";
import {
  barsPerYear,
  logReturns,
  realizedVolatility,
  rollingVolatility,
  VOL_ESTIMATORS,
  type VolEstimator,
} from "./realized.js";

/** One estimator's line. */
export interface RealizedLine {
  estimator: VolEstimator;
  perBarVol: number;
  annualVol: number;
}

/** The volatility report of a candle series (`liqopt vol --json`). */
export interface VolReport {
  source: {
    file: string;
    symbol: string;
    intervalMs: number;
    firstBar: string;
    lastBar: string;
    bars: number;
    anomalies: number;
  };
  /** The window of the realized estimators: the last `bars` bars. */
  window: { bars: number; firstBar: string; lastBar: string };
  realized: RealizedLine[];
  ewma: { lambda: number; perBarVol: number; annualVol: number };
  garch: {
    model: GarchModel;
    dist: GarchDist;
    returns: number;
    /** Whether the fit imposed covariance stationarity (false with `unconstrained`). */
    stationary: boolean;
    params: GarchFit["params"];
    standardErrors: GarchFit["standardErrors"];
    loglikelihood: number;
    aic: number;
    bic: number;
    persistence: number;
    converged: boolean;
    /** Constraints binding at the optimum (`GarchFit.atBound`): `persistence` at the stationarity bound, … */
    atBound: GarchFit["atBound"];
    /** The fit's warnings (`GarchFit.warnings`); the CLI prints each as a warning line. */
    warnings: GarchFit["warnings"];
    /**
     * Bars for a variance shock to halve, ln ½ / ln φ; NaN (null in JSON) when φ ≥ 1 or φ is at the
     * stationarity bound, where shocks do not decay (not 6.9e9 bars from φ = 1 − 1e-10).
     */
    halfLifeBars: number;
    /** Annualized volatility of the next bar and the long-run level (NaN when the half-life exceeds the sample). */
    nextAnnualVol: number;
    longRunAnnualVol: number;
    /** Annualized volatility of the return over the next `horizonBars` bars. */
    horizonBars: number;
    horizonAnnualVol: number;
  };
}

/** Options of {@link volReport}. */
export interface VolOptions {
  /** Bars of the realized estimators (the most recent) and of the rolling chart line. */
  window: number;
  /** EWMA decay λ, a fraction. */
  lambda: number;
  model: GarchModel;
  dist: GarchDist;
  /** Returns the GARCH model is fitted on (the most recent). */
  garchBars: number;
  /** Forecast horizon in bars. */
  horizonBars: number;
  /**
   * Fit without the stationarity constraint φ < 1 (α, β, γ ∈ [0, 1], as R's fGarch does), so that
   * a fit the constraint pins at φ → 1 shows its unconstrained optimum. Default false.
   */
  unconstrained?: boolean;
}

/**
 * Longest forecast horizon {@link volReport} takes, in bars: the forecast holds one float64 per bar,
 * so a horizon of 10^15 bars (a typo, or a request sent to the API) would be an allocation that fails.
 */
export const MAX_VOL_HORIZON_BARS = 100_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The volatility report of the selected candles: the six realized estimators of
 * `vol/realized.ts` over the last `window` bars, the RiskMetrics EWMA variance
 * σ²ₜ = λσ²ₜ₋₁ + (1 − λ)r²ₜ₋₁ seeded by backcast (`vol/ewma.ts`), and a GARCH(1,1) or GJR fit on
 * the last `garchBars` percent returns (`vol/garch.ts`, after Bollerslev 1986 and Glosten,
 * Jagannathan & Runkle 1993; stationary unless `unconstrained`) with its next-bar, `horizonBars` and long-run forecasts and the
 * shock half-life ln ½ / ln φ of its persistence φ. Volatilities are annualized by √(bars per
 * year). Throws an {@link InputError} on `window` when the series has `window` bars or fewer.
 */
export function volReport(selection: CandleSelection, o: VolOptions): VolReport {
  const s = selection.series;
  const n = s.close.length;
  if (o.window + 1 > n)
    throw new InputError(
      "window",
      o.window,
      `is longer than the series (${n} bars)`,
      "Pass a shorter window.",
    );
  const perYear = barsPerYear(s.intervalMs);
  const annual = (perBarVol: number) => perBarVol * Math.sqrt(perYear);
  const start = n - o.window;
  const realized = VOL_ESTIMATORS.map((estimator) => {
    const r = realizedVolatility(s, estimator, { start, end: n });
    return { estimator, perBarVol: r.perBarVol, annualVol: r.annualVol };
  });
  const returns = logReturns(s.close);
  const ewma = ewmaVariance(returns, { lambda: o.lambda, seed: { kind: "backcast" } });
  const ewmaVol = Math.sqrt(ewma[ewma.length - 1] as number);
  const garchReturns = percentReturns(returns.subarray(Math.max(0, returns.length - o.garchBars)));
  const g = fit(garchReturns, { model: o.model, dist: o.dist, stationary: o.unconstrained !== true });
  const f = forecast(g, o.horizonBars);
  const pctToAnnual = (variancePct2: number) => annual(fromPercent(Math.sqrt(variancePct2)));
  const decays = g.persistence < 1 && !g.atBound.includes("persistence");
  const halfLifeBars = decays ? Math.log(0.5) / Math.log(g.persistence) : Number.NaN;
  return {
    source: {
      file: selection.path,
      symbol: s.symbol,
      intervalMs: s.intervalMs,
      firstBar: iso(s.time[0] as number),
      lastBar: iso(s.time[n - 1] as number),
      bars: n,
      anomalies: selection.loaded.report.anomalies.length,
    },
    window: { bars: o.window, firstBar: iso(s.time[start] as number), lastBar: iso(s.time[n - 1] as number) },
    realized,
    ewma: { lambda: o.lambda, perBarVol: ewmaVol, annualVol: annual(ewmaVol) },
    garch: {
      model: o.model,
      dist: o.dist,
      returns: garchReturns.length,
      stationary: g.stationary,
      params: g.params,
      standardErrors: g.standardErrors,
      loglikelihood: g.loglikelihood,
      aic: g.aic,
      bic: g.bic,
      persistence: g.persistence,
      converged: g.converged,
      atBound: g.atBound,
      warnings: g.warnings,
      nextAnnualVol: pctToAnnual(g.nextVariance),
      halfLifeBars,
      // A shock half-life longer than the sample: the data do not pin down a long-run level.
      longRunAnnualVol:
        halfLifeBars < garchReturns.length ? pctToAnnual(g.unconditionalVariance) : Number.NaN,
      horizonBars: o.horizonBars,
      horizonAnnualVol: pctToAnnual((f.cumulativeVariance[o.horizonBars - 1] as number) / o.horizonBars),
    },
  };
}

/** Volatility over time: rolling close-to-close, EWMA and GARCH conditional, annualized. */
export interface VolHistory {
  time: Float64Array;
  rolling: Float64Array;
  ewma: Float64Array;
  garch: Float64Array;
}

/**
 * The three annualized volatility paths of the report's chart, on the bars' times (NaN where
 * undefined): the rolling close-to-close estimate over `window` bars, the EWMA forecast of each
 * bar's return and the GARCH conditional volatility √hₜ of the fit `g` in the report (no refit).
 */
export function volHistory(selection: CandleSelection, o: VolOptions, g: VolReport["garch"]): VolHistory {
  const s = selection.series;
  const n = s.close.length;
  const scale = Math.sqrt(barsPerYear(s.intervalMs));
  const rolling = rollingVolatility(s, "close-to-close", o.window, { annualize: true });
  const returns = logReturns(s.close);
  const ewmaVar = ewmaVariance(returns, { lambda: o.lambda, seed: { kind: "backcast" } });
  const ewma = new Float64Array(n).fill(Number.NaN);
  // ewmaVar[t] forecasts return t + 1, which ends at bar t + 1.
  for (let t = 1; t < n; t++) ewma[t] = Math.sqrt(ewmaVar[t - 1] as number) * scale;
  const garch = new Float64Array(n).fill(Number.NaN);
  const first = returns.length - g.returns;
  const h = conditionalVariance(g.params, percentReturns(returns.subarray(first)), { dist: g.dist });
  for (let i = 0; i < h.length; i++) garch[first + i + 1] = fromPercent(Math.sqrt(h[i] as number)) * scale;
  return { time: s.time, rolling, ewma, garch };
}

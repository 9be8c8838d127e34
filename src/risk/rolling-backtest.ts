/**
 * Walk-forward VaR/ES backtest: for every bar t after the first `window` bars, each model is
 * estimated on the returns r_{t−W} … r_{t−1} (re-estimated every `refitEvery` bars), forecasts
 * one-bar VaR_t and ES_t, and is scored against the realised loss L_t = −r_t with the coverage
 * tests (Kupiec, Christoffersen), the traffic light and Acerbi–Székely Z2
 * (shared/research/quant.md §4). The report is plain data for a table (per-model statistics) and
 * a chart (per-bar forecasts, losses and exceptions).
 *
 * Between refits: historical, normal, Student-t and Cornish–Fisher forecasts stay at their last
 * estimate; filtered HS keeps its GARCH parameters and residual quantiles but updates σ_t every
 * bar through the variance recursion; EWMA updates every bar (it has nothing to refit), with its
 * daily λ carried to the bar (`barEwmaLambda`); GARCH-t keeps its parameters and ν and updates
 * σ_t every bar like filtered HS.
 *
 * With `intrabarLosses` the forecasts are scored against the worst loss within each bar (a long's
 * loss to the bar's low: a liquidation happens on the wick) instead of the close-to-close loss;
 * the models still learn from close-to-close returns.
 */
import { InputError } from "../errors.js";
import { SortedWindow } from "../math/sorted-window.js";
import { readChoice, readNumber } from "../validate.js";
import { barEwmaLambda } from "../vol/ewma.js";
import { fit as fitGarch, type GarchParams } from "../vol/garch.js";
import { toModelReturns } from "../vol/process.js";
import { type ModelNameFor, modelNames, VOLATILITY_PROCESSES } from "../vol/registry.js";
import { type CoverageTests, coverageTests, type TrafficLight, trafficLight } from "./backtest.js";
import { acerbiSzekelyZ2 } from "./es-backtest.js";
import {
  type QuantileRule,
  readConfidence,
  readReturns,
  sampleMoments,
  sortedQuantile,
  sortedTailMean,
} from "./var.js";
import { garchFilter } from "./var-filtered.js";
import {
  cornishFisherVar,
  normalVar,
  standardNormalVarEs,
  standardStudentTVarEs,
  studentTVar,
} from "./var-parametric.js";

/** The models a rolling backtest can run: the `backtest-var` models of the registry (src/vol/registry.ts). */
export type RollingModel = ModelNameFor<"backtest-var">;

/** All models, in report order. */
export const ROLLING_MODELS: readonly RollingModel[] = modelNames("backtest-var");

/** Options of {@link rollingBacktest}. */
export interface RollingBacktestOptions {
  readonly confidence: number;
  /** Estimation window in bars (e.g. 500 daily, 2000 hourly). */
  readonly window: number;
  /** Re-estimate every this many bars; default 1 (every bar). */
  readonly refitEvery?: number;
  /** Default all of {@link ROLLING_MODELS}. */
  readonly models?: readonly RollingModel[];
  /** EWMA decay per day; default 0.94 (RiskMetrics daily), applied per bar as λ^(barHours/24). */
  readonly ewmaLambda?: number;
  /** Bar length in hours (the returns' interval); default 24. */
  readonly barHours?: number;
  /**
   * The loss each forecast is scored against, one per return (e.g. −ln(low_t/close_{t−1}) for a
   * long: the worst loss within the bar); default the close-to-close loss −r_t. Each must be at
   * least the close-to-close loss of its bar.
   */
  readonly intrabarLosses?: ArrayLike<number>;
  /** Historical and FHS quantile rule; default `"type7"`. */
  readonly quantileRule?: QuantileRule;
  /** Test level of the coverage tests; default 0.95. */
  readonly testLevel?: number;
  /** Bar times of the returns (ms), copied into the report for charts. */
  readonly timeMs?: ArrayLike<number>;
}

/** One model's forecasts and scores. */
export interface RollingModelReport {
  readonly model: RollingModel;
  /** VaR_t per tested bar (return units). */
  readonly var: Float64Array;
  readonly es: Float64Array;
  /** 1 where L_t > VaR_t. */
  readonly exceptions: Uint8Array;
  readonly coverage: CoverageTests;
  readonly trafficLight: TrafficLight;
  /** Acerbi–Székely Z2 over all tested bars (negative = ES too small). */
  readonly z2: number;
  readonly meanVar: number;
  readonly meanEs: number;
  /**
   * Refits that say they failed: Cornish–Fisher, an expansion not monotone beyond z_q; GARCH-t, a
   * fit on a bound of its parameter box (`GarchFit.atBound`: persistence at the stationarity bound, …).
   */
  readonly invalidFits: number;
  readonly refits: number;
}

/** The report of {@link rollingBacktest}. */
export interface RollingBacktestReport {
  readonly confidence: number;
  readonly window: number;
  readonly refitEvery: number;
  /** Index (into the returns) of the first tested bar = window. */
  readonly firstIndex: number;
  readonly observations: number;
  /** Realised losses −r_t of the tested bars. */
  readonly losses: Float64Array;
  /** Bar times of the tested bars, when `timeMs` was given. */
  readonly timeMs?: Float64Array;
  readonly models: readonly RollingModelReport[];
}

/** State of one model between refits: produces VaR/ES for the next bar. */
interface Forecaster {
  refit(window: Float64Array): void;
  /** Called after bar t's return is known (state updates between refits). */
  observe(r: number): void;
  var: number;
  es: number;
  invalid: number;
}

function constantForecaster(
  estimate: (w: Float64Array) => { var: number; es: number; valid?: boolean },
): Forecaster {
  const f: Forecaster = {
    var: 0,
    es: 0,
    invalid: 0,
    refit(w) {
      const e = estimate(w);
      f.var = e.var;
      f.es = e.es;
      if (e.valid === false) f.invalid++;
    },
    observe() {},
  };
  return f;
}

/** The process of the filtered-historical model (percent returns inside). */
const GARCH = VOLATILITY_PROCESSES.garch;

/**
 * Each registry model's forecaster: the constant ones call the single-asset estimators of
 * src/risk/var-*.ts on the window (one bar ahead); filtered HS and EWMA update σ² every bar
 * through their process's one-step update.
 */
const FORECASTERS: Record<RollingModel, (q: number, rule: QuantileRule, lambda: number) => Forecaster> = {
  historical: (q, rule) => historicalForecaster(q, rule),
  normal: (q) => constantForecaster((w) => normalVar(w, { confidence: q })),
  "student-t": (q) => constantForecaster((w) => studentTVar(w, { confidence: q })),
  "cornish-fisher": (q) =>
    constantForecaster((w) => {
      const cf = cornishFisherVar(w, { confidence: q });
      return { var: cf.var, es: cf.es, valid: cf.diagnostics.monotoneInTail };
    }),
  "filtered-historical": (q, rule) => fhsForecaster(q, rule),
  "ewma-normal": (q, _rule, lambda) => ewmaForecaster(standardNormalVarEs(q), lambda),
  "garch-t": (q) => garchTForecaster(q),
};

function makeForecaster(model: RollingModel, q: number, rule: QuantileRule, lambda: number): Forecaster {
  const make = FORECASTERS[model];
  if (make === undefined) {
    throw new InputError(
      "models",
      model,
      "is not a known model",
      `Use some of: ${ROLLING_MODELS.join(", ")}.`,
    );
  }
  return make(q, rule, lambda);
}

/**
 * Historical VaR/ES over the window: the same numbers as `historicalVar` (src/risk/var-historical.ts)
 * on it — the same sorted losses, {@link sortedQuantile} and {@link sortedTailMean} — but the
 * window's losses are kept sorted as it slides ({@link SortedWindow}): a refit k bars after the
 * last one replaces the k oldest losses by the k observed since, instead of sorting a copy of the
 * whole window.
 */
function historicalForecaster(q: number, rule: QuantileRule): Forecaster {
  readChoice(rule, "quantileRule", ["type7", "kth-worst"] as const);
  let losses: SortedWindow | undefined;
  /** The window's returns in arrival order, oldest at `head`. */
  let ring = new Float64Array(0);
  let head = 0;
  let observed = 0;
  const f: Forecaster = {
    var: 0,
    es: 0,
    invalid: 0,
    refit(w) {
      const n = w.length;
      if (losses === undefined || observed >= n || ring.length !== n) {
        ring = Float64Array.from(w);
        head = 0;
        losses = new SortedWindow(ring.map((x) => -x));
      } else {
        for (let i = n - observed; i < n; i++) {
          const entering = w[i] as number;
          losses.replace(-(ring[head] as number), -entering);
          ring[head] = entering;
          head = head + 1 === n ? 0 : head + 1;
        }
      }
      observed = 0;
      f.var = sortedQuantile(losses.sorted, q, rule);
      f.es = sortedTailMean(losses.sorted, f.var).mean;
    },
    observe() {
      observed++;
    },
  };
  return f;
}

function fhsForecaster(q: number, rule: QuantileRule): Forecaster {
  let params: GarchParams = { mu: 0, omega: 0, alpha: 0, beta: 0 };
  let variance = 0;
  let zVar = 0;
  let zEs = 0;
  const f: Forecaster = {
    invalid: 0,
    get var() {
      return (-params.mu + Math.sqrt(variance) * zVar) / GARCH.returnsScale;
    },
    get es() {
      return (-params.mu + Math.sqrt(variance) * zEs) / GARCH.returnsScale;
    },
    refit(w) {
      const pct = toModelReturns(GARCH, w);
      const fitted = fitGarch(pct, { model: "garch", dist: "normal" });
      const filter = garchFilter(pct, fitted.params, fitted.init);
      params = fitted.params;
      variance = filter.nextVariance;
      const negZ = filter.residuals.map((z) => -z).sort();
      zVar = sortedQuantile(negZ, q, rule);
      zEs = sortedTailMean(negZ, zVar).mean;
    },
    observe(r) {
      variance = GARCH.step(params, variance, GARCH.returnsScale * r - GARCH.mean(params));
    },
  };
  return f;
}

function ewmaForecaster(normal: { var: number; es: number }, lambda: number): Forecaster {
  const params = { lambda };
  let variance = Number.NaN;
  const f: Forecaster = {
    invalid: 0,
    get var() {
      return Math.sqrt(variance) * normal.var;
    },
    get es() {
      return Math.sqrt(variance) * normal.es;
    },
    refit(w) {
      if (!Number.isNaN(variance)) return; // seeded once, then a pure recursion
      const m = sampleMoments(w);
      variance = m.sd * m.sd;
    },
    observe(r) {
      variance = VOLATILITY_PROCESSES.ewma.step(params, variance, r);
    },
  };
  return f;
}

/**
 * GARCH(1,1)-t one bar ahead: `VaR = (−μ + σ_{t+1} s t_q)/100`, `ES` likewise with the tail mean of
 * the unit-variance Student-t with the fitted ν ({@link standardStudentTVarEs}; McNeil, Frey &
 * Embrechts, QRM Ex. 2.15), σ²_{t+1} by the variance recursion between refits. A fit on a bound
 * counts as invalid.
 */
function garchTForecaster(q: number): Forecaster {
  let params: GarchParams = { mu: 0, omega: 0, alpha: 0, beta: 0 };
  let variance = 0;
  let std = { var: 0, es: 0 };
  const f: Forecaster = {
    invalid: 0,
    get var() {
      return (-params.mu + Math.sqrt(variance) * std.var) / GARCH.returnsScale;
    },
    get es() {
      return (-params.mu + Math.sqrt(variance) * std.es) / GARCH.returnsScale;
    },
    refit(w) {
      const fitted = fitGarch(toModelReturns(GARCH, w), { model: "garch", dist: "t" });
      params = fitted.params;
      variance = fitted.nextVariance;
      std = standardStudentTVarEs(q, fitted.params.nu as number);
      if (fitted.atBound.length > 0) f.invalid++;
    },
    observe(r) {
      variance = GARCH.step(params, variance, GARCH.returnsScale * r - GARCH.mean(params));
    },
  };
  return f;
}

/**
 * Runs the walk-forward backtest (see the module comment) on one return series.
 *
 * @example rollingBacktest(logReturns(close), { confidence: 0.99, window: 500, refitEvery: 20 }).models[0].coverage.pof
 */
export function rollingBacktest(
  returns: ArrayLike<number>,
  options: RollingBacktestOptions,
): RollingBacktestReport {
  const q = readConfidence(options.confidence);
  const window = readNumber(options.window, "window", { min: 30, fix: "Pass a window of at least 30 bars." });
  if (!Number.isInteger(window))
    throw new InputError("window", window, "must be a whole number", "Pass an integer.");
  const refitEvery = readNumber(options.refitEvery ?? 1, "refitEvery", {
    min: 1,
    fix: "Pass a whole number ≥ 1.",
  });
  if (!Number.isInteger(refitEvery))
    throw new InputError("refitEvery", refitEvery, "must be a whole number", "Pass an integer ≥ 1.");
  const barHours = readNumber(options.barHours ?? 24, "barHours", { min: 0, exclusiveMin: true });
  const lambda = barEwmaLambda(
    readNumber(options.ewmaLambda ?? 0.94, "ewmaLambda", {
      min: 0,
      exclusiveMin: true,
      max: 0.9999,
    }),
    barHours,
  );
  const rule = options.quantileRule ?? "type7";
  const r = readReturns(returns, window + 2);
  const models = options.models ?? ROLLING_MODELS;
  const n = r.length;
  const T = n - window;
  const losses = new Float64Array(T);
  const intrabar = options.intrabarLosses;
  if (intrabar !== undefined && intrabar.length !== n) {
    throw new InputError(
      "intrabarLosses",
      intrabar.length,
      `must have one loss per return (${n})`,
      "Pass the worst loss within each return's bar.",
    );
  }
  for (let t = 0; t < T; t++) {
    const close = -(r[window + t] as number);
    losses[t] = intrabar === undefined ? close : readIntrabarLoss(intrabar[window + t], close, window + t);
  }
  const reports = models.map((model) => {
    const f = makeForecaster(model, q, rule, lambda);
    const v = new Float64Array(T);
    const es = new Float64Array(T);
    let refits = 0;
    for (let t = window; t < n; t++) {
      if ((t - window) % refitEvery === 0) {
        f.refit(r.subarray(t - window, t));
        refits++;
      }
      v[t - window] = f.var;
      es[t - window] = f.es;
      f.observe(r[t] as number);
    }
    return summarise(model, v, es, losses, q, options.testLevel, f.invalid, refits);
  });
  let timeMs: Float64Array | undefined;
  if (options.timeMs !== undefined) {
    if (options.timeMs.length !== n) {
      throw new InputError(
        "timeMs",
        options.timeMs.length,
        `must have one time per return (${n})`,
        "Pass the bar times of the returns.",
      );
    }
    timeMs = Float64Array.from({ length: T }, (_, t) => options.timeMs?.[window + t] as number);
  }
  return {
    confidence: q,
    window,
    refitEvery,
    firstIndex: window,
    observations: T,
    losses,
    ...(timeMs === undefined ? {} : { timeMs }),
    models: reports,
  };
}

/** An intrabar loss, checked: finite and not below the close-to-close loss of its bar. */
function readIntrabarLoss(loss: number | undefined, close: number, i: number): number {
  const x = readNumber(loss, `intrabarLosses[${i}]`, { fix: "Pass finite losses." });
  if (x < close - 1e-12) {
    throw new InputError(
      `intrabarLosses[${i}]`,
      x,
      `is below the bar's close-to-close loss ${close}`,
      "Pass the worst loss within the bar (from its low for a long, its high for a short).",
    );
  }
  return x;
}

function summarise(
  model: RollingModel,
  v: Float64Array,
  es: Float64Array,
  losses: Float64Array,
  q: number,
  testLevel: number | undefined,
  invalidFits: number,
  refits: number,
): RollingModelReport {
  const exceptions = new Uint8Array(losses.length);
  let sv = 0;
  let se = 0;
  for (let t = 0; t < losses.length; t++) {
    exceptions[t] = (losses[t] as number) > (v[t] as number) ? 1 : 0;
    sv += v[t] as number;
    se += es[t] as number;
  }
  const coverage = coverageTests(exceptions, 1 - q, testLevel);
  return {
    model,
    var: v,
    es,
    exceptions,
    coverage,
    trafficLight: trafficLight(coverage.exceptions, losses.length, 1 - q),
    z2: acerbiSzekelyZ2(losses, v, es, q),
    meanVar: sv / losses.length,
    meanEs: se / losses.length,
    invalidFits,
    refits,
  };
}

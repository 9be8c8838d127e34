/**
 * The one registry of volatility models, at the lowest layer that can hold it (vol/): the
 * volatility processes ({@link VOLATILITY_PROCESSES}, each a `VolatilityProcess` of src/vol/process.ts) and the
 * named models the front ends offer ({@link MODELS}: a process, or none, with an innovation law).
 * Higher layers extend it rather than keep lists of their own: src/risk/rolling-backtest.ts maps
 * each `backtest-var` model to a VaR forecaster, src/optimize/vol-models.ts each `trader` model
 * to a probability engine, src/optimize/policy.ts keeps its filter state as a process name and
 * its parameters; the CLI reads the names from here (through those modules).
 */
import { type EwmaParams, ewmaProcess } from "./ewma-process.js";
import { garchProcess, gjrProcess } from "./garch/process.js";
import type { GarchParams } from "./garch/types.js";
import type { Innovations, VolatilityProcess } from "./process.js";

/** The volatility processes, by name. */
export const VOLATILITY_PROCESSES = {
  ewma: ewmaProcess,
  garch: garchProcess,
  gjr: gjrProcess,
} as const;

/** A process name. */
export type VolatilityProcessName = keyof typeof VOLATILITY_PROCESSES;
/** The parameters of a process. */
export type ProcessParams<K extends VolatilityProcessName> = K extends "ewma" ? EwmaParams : GarchParams;
/** A process's name, parameters and current variance σ² (of log returns, fraction²): a filter state. */
export type ProcessState = {
  [K in VolatilityProcessName]: {
    readonly kind: K;
    readonly params: ProcessParams<K>;
    readonly variance: number;
  };
}[VolatilityProcessName];

/** The front ends that offer a model: `liqopt trader --model` and `liqopt backtest-var --models`. */
export type FrontEnd = "trader" | "backtest-var";

/** A named model: how σ_t moves and how the standardised shocks are distributed. */
export interface ModelEntry {
  /** `constant`: σ from the window; `none`: no volatility model (the empirical returns). */
  readonly volatility: VolatilityProcessName | "constant" | "none";
  /** `filtered`: the process's standardised residuals resampled (filtered historical simulation). */
  readonly innovations: "normal" | "t" | "cornish-fisher" | "empirical" | "filtered";
  readonly frontEnds: readonly FrontEnd[];
  /**
   * Compound-Poisson jumps on top of the volatility, fitted with it: constant intensity
   * (src/vol/jumps.ts) or the self-exciting ARJI intensity (src/vol/arji.ts).
   */
  readonly jumps?: "merton" | "kou" | "arji";
  /**
   * `range`: fitted on each bar's close, low and high (src/vol/jumps-range.ts), so the candles must
   * carry an intrabar range; otherwise on the closes alone.
   */
  readonly likelihood?: "range";
  /** One line for help texts and docs. */
  readonly summary: string;
}

/**
 * The named models, in report order within each front end (docs/explanation/var-backtests.md,
 * docs/explanation/trader-optimization.md describe them).
 */
export const MODELS = {
  historical: {
    volatility: "none",
    innovations: "empirical",
    frontEnds: ["backtest-var"],
    summary: "historical simulation: the empirical quantile of the window's losses",
  },
  normal: {
    volatility: "constant",
    innovations: "normal",
    frontEnds: ["backtest-var"],
    summary: "normal with the window's mean and sd",
  },
  "student-t": {
    volatility: "constant",
    innovations: "t",
    frontEnds: ["backtest-var"],
    summary: "unit-variance Student-t fitted by maximum likelihood",
  },
  "cornish-fisher": {
    volatility: "constant",
    innovations: "cornish-fisher",
    frontEnds: ["backtest-var"],
    summary: "Cornish–Fisher expansion of the window's skewness and kurtosis",
  },
  "filtered-historical": {
    volatility: "garch",
    innovations: "filtered",
    frontEnds: ["backtest-var"],
    summary: "GARCH(1,1)-normal filter, empirical quantile of its standardised residuals",
  },
  "ewma-normal": {
    volatility: "ewma",
    innovations: "normal",
    frontEnds: ["backtest-var"],
    summary: "RiskMetrics EWMA σ with normal shocks",
  },
  gbm: {
    volatility: "constant",
    innovations: "normal",
    frontEnds: ["trader"],
    summary: "constant σ (close-to-close), closed form",
  },
  ewma: {
    volatility: "ewma",
    innovations: "normal",
    frontEnds: ["trader"],
    summary: "EWMA σ with the daily λ 0.94 memory, closed form",
  },
  garch: {
    volatility: "garch",
    innovations: "normal",
    frontEnds: ["trader"],
    summary: "GARCH(1,1)-normal σ over the horizon, closed form",
  },
  t: {
    volatility: "constant",
    innovations: "t",
    frontEnds: ["trader"],
    summary: "EWMA σ with Student-t shocks (ν of a GARCH-t fit), Monte Carlo",
  },
  "garch-t": {
    volatility: "garch",
    innovations: "t",
    frontEnds: ["trader", "backtest-var"],
    summary:
      "GARCH(1,1)-t: paths, Monte Carlo (trader); σ of the next bar × the unit-variance Student-t quantile and tail mean (backtest-var)",
  },
  gjr: {
    volatility: "gjr",
    innovations: "normal",
    frontEnds: ["trader"],
    summary: "GJR-GARCH(1,1)-normal σ over the horizon (asymmetric: γ on falls), closed form",
  },
  fhs: {
    volatility: "garch",
    innovations: "filtered",
    frontEnds: ["trader"],
    summary: "GARCH(1,1)-t recursion on resampled residuals (filtered historical simulation), Monte Carlo",
  },
  merton: {
    volatility: "constant",
    innovations: "normal",
    jumps: "merton",
    frontEnds: ["trader"],
    summary: "constant σ with Merton normal jumps, fitted by maximum likelihood, Monte Carlo",
  },
  "merton-range": {
    volatility: "constant",
    innovations: "normal",
    jumps: "merton",
    likelihood: "range",
    frontEnds: ["trader"],
    summary:
      "constant σ with Merton normal jumps, fitted on each bar's close, low and high (composite likelihood), Monte Carlo",
  },
  kou: {
    volatility: "constant",
    innovations: "normal",
    jumps: "kou",
    frontEnds: ["trader"],
    summary: "constant σ with Kou double-exponential jumps, fitted by maximum likelihood, Monte Carlo",
  },
  arji: {
    volatility: "constant",
    innovations: "normal",
    jumps: "arji",
    frontEnds: ["trader"],
    summary:
      "constant σ with Merton jumps at a self-exciting intensity (Chan–Maheu ARJI, a discrete-time Hawkes), fitted by maximum likelihood, Monte Carlo from the filtered intensity",
  },
} as const satisfies Record<string, ModelEntry>;

/** A model name. */
export type ModelName = keyof typeof MODELS;
/** The names a front end offers. */
export type ModelNameFor<F extends FrontEnd> = {
  [K in ModelName]: F extends (typeof MODELS)[K]["frontEnds"][number] ? K : never;
}[ModelName];

/**
 * The model names a front end offers, in registry order.
 *
 * @example modelNames("backtest-var") // ["historical", "normal", "student-t", …]
 */
export function modelNames<F extends FrontEnd>(frontEnd: F): readonly ModelNameFor<F>[] {
  return (Object.keys(MODELS) as ModelName[]).filter((name) =>
    (MODELS[name].frontEnds as readonly FrontEnd[]).includes(frontEnd),
  ) as ModelNameFor<F>[];
}

/**
 * Whether a registry model is fitted on the bars' close, low and high (`likelihood: "range"`), so
 * its caller must pass them; false for other models and unknown names.
 *
 * @example fitsRanges("merton-range") // true
 */
export function fitsRanges(name: string): boolean {
  return (MODELS as Record<string, ModelEntry>)[name]?.likelihood === "range";
}

/**
 * The process and innovation law of a registry model that is a volatility process with normal
 * or Student-t shocks (the trader runs those with normal shocks from the registry alone: `processModel` of
 * src/optimize/vol-models.ts); undefined for other models and unknown names.
 */
export function processModelOf(
  name: string,
): { readonly process: VolatilityProcess<unknown>; readonly law: Innovations } | undefined {
  const entry: ModelEntry | undefined = (MODELS as Record<string, ModelEntry>)[name];
  if (entry === undefined || !(entry.volatility in VOLATILITY_PROCESSES)) return undefined;
  if (entry.innovations !== "normal" && entry.innovations !== "t") return undefined;
  const process = VOLATILITY_PROCESSES[
    entry.volatility as VolatilityProcessName
  ] as VolatilityProcess<unknown>;
  return { process, law: entry.innovations };
}

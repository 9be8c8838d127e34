/**
 * Filtered historical simulation (FHS) VaR and ES of a single asset: Hull & White (1998),
 * "Incorporating volatility updating into the historical simulation method for VaR", *Journal of
 * Risk* 1; Barone-Adesi, Giannopoulos & Vosper (1999), "VaR without correlations for portfolios
 * of derivative securities", *J. Futures Markets* 19 (shared/research/quant.md §3.5).
 *
 * A GARCH(1,1) (src/vol/garch.ts, fitted on percent log returns) filters the returns into
 * standardised residuals `z_t = (r_t − μ)/σ_t`. One step ahead the scenarios are
 * `r*_i = μ + σ_{T+1} z_i`; over H steps, residuals are bootstrapped (i.i.d. draws with
 * replacement) through the variance recursion `σ²_{t+1} = ω + (α + γ1[ε<0])ε²_t + βσ²_t`,
 * `ε_t = σ_t z*`, and the H-step log return is the sum. VaR and ES are the empirical quantile
 * and tail mean of the scenario losses.
 */
import { InputError } from "../errors.js";
import { readChoice, readNumber } from "../validate.js";
import {
  conditionalVariance,
  fit as fitGarch,
  fromPercent,
  type GarchDist,
  type GarchFit,
  type GarchInit,
  type GarchParams,
  garchStep,
  percentReturns,
} from "../vol/garch.js";
import {
  type QuantileRule,
  readConfidence,
  readHorizon,
  readReturns,
  sortedQuantile,
  sortedTailMean,
  type VarOptions,
  type VarResult,
} from "./var.js";
import { VariateStream } from "./var-monte-carlo.js";

/** Options of {@link filteredHistoricalVar}. */
export interface FilteredHistoricalOptions extends VarOptions {
  /** Innovation law of the GARCH fit; default `"normal"` (quasi-maximum likelihood). */
  readonly dist?: GarchDist;
  /** A model fitted on these percent returns, to skip the fit (e.g. between refits). */
  readonly garch?: Pick<GarchFit, "params" | "init">;
  /** Quantile rule of the scenario losses; default `"type7"`. */
  readonly quantileRule?: QuantileRule;
  /** Bootstrap paths for horizon > 1; default 10,000. */
  readonly paths?: number;
  /** Seed of the bootstrap stream (horizon > 1); default 1. */
  readonly seed?: number;
}

/** Diagnostics of {@link filteredHistoricalVar}. */
export interface FilteredHistoricalDiagnostics {
  readonly garch: GarchParams;
  /** σ_{T+1} per bar, in return units (not percent). */
  readonly nextVolatility: number;
  /** Number of standardised residuals. */
  readonly residuals: number;
  /** Scenarios: residual count for one step, bootstrap paths for several. */
  readonly scenarios: number;
  readonly quantileRule: QuantileRule;
  /** Present for horizon > 1. */
  readonly seed?: number;
}

/** Standardised residuals and the next variance of a GARCH filter. */
export interface GarchFilter {
  readonly params: GarchParams;
  /** z_t = (r_t − μ)/σ_t for the percent returns. */
  readonly residuals: Float64Array;
  /** σ²_{T+1} (percent²). */
  readonly nextVariance: number;
}

/** Runs a GARCH model over percent returns: z_t and σ²_{T+1}. */
export function garchFilter(
  percent: ArrayLike<number>,
  params: GarchParams,
  init: GarchInit = "mci",
): GarchFilter {
  const v = conditionalVariance(params, percent, { init });
  const n = percent.length;
  const residuals = new Float64Array(n);
  for (let t = 0; t < n; t++) residuals[t] = ((percent[t] as number) - params.mu) / Math.sqrt(v[t] as number);
  return { params, residuals, nextVariance: v[n] as number };
}

/**
 * FHS VaR/ES (see the module comment). Returns are log returns (fractions); the GARCH runs on
 * 100·r and results are converted back to return units.
 *
 * @example filteredHistoricalVar(logReturns(close).subarray(-1000), { confidence: 0.99 }).var
 */
export function filteredHistoricalVar(
  returns: ArrayLike<number>,
  options: FilteredHistoricalOptions,
): VarResult<FilteredHistoricalDiagnostics> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const rule = readChoice(options.quantileRule ?? "type7", "quantileRule", ["type7", "kth-worst"] as const);
  const pct = percentReturns(readReturns(returns, 50));
  const model =
    options.garch ??
    fitGarch(pct, { model: "garch", dist: readChoice(options.dist ?? "normal", "dist", ["normal", "t"]) });
  const filter = garchFilter(pct, model.params, model.init);
  const { params, residuals } = filter;
  let losses: Float64Array;
  let seed: number | undefined;
  if (h === 1) {
    const s = Math.sqrt(filter.nextVariance);
    losses = new Float64Array(residuals.length);
    for (let i = 0; i < losses.length; i++)
      losses[i] = -fromPercent(params.mu + s * (residuals[i] as number));
  } else {
    const paths = readNumber(options.paths ?? 10_000, "paths", { min: 100, fix: "Pass at least 100 paths." });
    if (!Number.isInteger(paths))
      throw new InputError("paths", paths, "must be a whole number", "Pass an integer.");
    seed = options.seed ?? 1;
    const stream = new VariateStream(seed);
    losses = new Float64Array(paths);
    const m = residuals.length;
    for (let i = 0; i < paths; i++) {
      let v = filter.nextVariance;
      let sum = 0;
      for (let k = 0; k < h; k++) {
        const e = Math.sqrt(v) * (residuals[stream.int(m)] as number);
        sum += params.mu + e;
        v = garchStep(v, e, params);
      }
      losses[i] = -fromPercent(sum);
    }
  }
  losses.sort();
  const v = sortedQuantile(losses, q, rule);
  return {
    var: v,
    es: sortedTailMean(losses, v).mean,
    method: "filtered-historical",
    confidence: q,
    horizon: h,
    diagnostics: {
      garch: params,
      nextVolatility: fromPercent(Math.sqrt(filter.nextVariance)),
      residuals: residuals.length,
      scenarios: losses.length,
      quantileRule: rule,
      ...(seed === undefined ? {} : { seed }),
    },
  };
}

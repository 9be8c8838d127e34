/**
 * Historical-simulation VaR and ES of a single asset (shared/research/quant.md §3.5): the
 * empirical quantile of past losses under a stated quantile rule, and the mean of the losses at
 * or beyond it.
 */
import { readChoice } from "../validate.js";
import {
  aggregateReturns,
  type QuantileRule,
  type ReturnKind,
  readConfidence,
  readHorizon,
  readReturns,
  sortedQuantile,
  sortedTailMean,
  type VarOptions,
  type VarResult,
} from "./var.js";

/** Options of {@link historicalVar}. */
export interface HistoricalVarOptions extends VarOptions {
  /** Default `"type7"` (numpy.quantile's default); `"kth-worst"` for the inverse empirical CDF. */
  readonly quantileRule?: QuantileRule;
  /** How h-bar returns are formed from overlapping windows when horizon > 1; default `"log"`. */
  readonly returnKind?: ReturnKind;
}

/** Diagnostics of {@link historicalVar}. */
export interface HistoricalDiagnostics {
  readonly quantileRule: QuantileRule;
  /** Number of (h-bar) losses the quantile was taken from. */
  readonly sampleSize: number;
  /** Number of losses ≥ VaR averaged into ES. */
  readonly tailCount: number;
  /** For horizon > 1: the h-bar returns come from overlapping windows. */
  readonly overlapping: boolean;
}

/**
 * Historical-simulation VaR and ES.
 *
 * `VaR_q = Q_q(L)` by the chosen {@link QuantileRule} over L = −R, `ES_q = mean{L_i : L_i ≥ VaR_q}`.
 * For a horizon h > 1 the losses are those of the n − h + 1 overlapping h-bar returns
 * (log returns summed, simple returns compounded) — no √h scaling.
 *
 * Parity: type 7 against numpy.quantile on the bundled BTC daily returns (test/fixtures/var-reference.json).
 *
 * @example historicalVar(logReturns(close), { confidence: 0.99 }).var
 */
export function historicalVar(
  returns: ArrayLike<number>,
  options: HistoricalVarOptions,
): VarResult<HistoricalDiagnostics> {
  const q = readConfidence(options.confidence);
  const horizon = readHorizon(options.horizon);
  const rule = readChoice(options.quantileRule ?? "type7", "quantileRule", ["type7", "kth-worst"] as const);
  const kind = readChoice(options.returnKind ?? "log", "returnKind", ["log", "simple"] as const);
  const r = readReturns(returns, horizon + 1);
  const agg = horizon === 1 ? r : aggregateReturns(r, horizon, kind);
  const losses = new Float64Array(agg.length);
  for (let i = 0; i < losses.length; i++) losses[i] = -(agg[i] as number);
  losses.sort();
  const v = sortedQuantile(losses, q, rule);
  const tail = sortedTailMean(losses, v);
  return {
    var: v,
    es: tail.mean,
    method: "historical",
    confidence: q,
    horizon,
    diagnostics: {
      quantileRule: rule,
      sampleSize: losses.length,
      tailCount: tail.count,
      overlapping: horizon > 1,
    },
  };
}

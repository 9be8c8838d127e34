/**
 * Value-at-Risk and Expected Shortfall reports (what `liqopt var` prints): one asset by every
 * single-asset model, or a portfolio of positions on the bars their candles share.
 */
import { InputError } from "../errors.js";
import type { CandleSelection } from "../market/candles.js";
import { DEFAULT_MAX_GAP_BARS, type GapReport, withoutLargeGaps } from "../market/gaps.js";
import { logReturns } from "../vol/realized.js";
import { logLossToValueLoss, type VarResult } from "./var.js";
import { filteredHistoricalVar } from "./var-filtered.js";
import { historicalVar } from "./var-historical.js";
import { monteCarloVar } from "./var-monte-carlo.js";
import { cornishFisherVar, normalVar, studentTVar } from "./var-parametric.js";
import {
  type PortfolioPosition,
  portfolioHistoricalVar,
  portfolioMonteCarloVar,
  portfolioNormalVar,
} from "./var-portfolio.js";

/** The single-asset methods of {@link assetVarReport}, by their short names. */
export const VAR_METHODS = ["historical", "normal", "t", "cf", "fhs", "mc"] as const;
export type VarMethodName = (typeof VAR_METHODS)[number];

/** Options of {@link assetVarReport} and {@link portfolioVarReport}. */
export interface AssetVarOptions {
  /** Confidence level q, a fraction (0.99). */
  confidence: number;
  /** Horizon in bars. */
  horizon: number;
  /** Most recent returns used. */
  window: number;
  /** Single-asset methods (the portfolio report runs its own three). */
  methods: readonly VarMethodName[];
  /** Seed of the Monte Carlo and bootstrap streams. */
  seed: number;
  /** Monte Carlo and bootstrap paths. */
  paths: number;
  /** Position value in quote currency (for the amounts), or null. */
  notional: number | null;
  /** A gap of more bars than this splits the series: the longest stretch without one is used (default 24). */
  maxGapBars?: number;
}

/** One method's line: VaR/ES of the log return, the value loss as a fraction and in quote currency. */
export interface VarLine {
  method: VarMethodName;
  varLogReturn: number;
  esLogReturn: number;
  /** Fractional value loss 1 − e^{−VaR}. */
  varFraction: number;
  esFraction: number;
  varAmount: number | null;
  esAmount: number | null;
  standardError: number | null;
  note: string;
  /** Why the figures are not a risk measure to read as is (ES below VaR, a VaR that is a gain); empty when sound. */
  warnings: string[];
}

/** VaR/ES of one asset by each method (`liqopt var --json`). */
export interface AssetVarReport {
  symbol: string;
  firstBar: string;
  lastBar: string;
  returns: number;
  intervalMs: number;
  confidence: number;
  horizonBars: number;
  notional: number | null;
  lines: VarLine[];
  /** Gaps in the bars and the stretch used (`market/gaps.ts`). */
  gaps: GapReport;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const TWO_DECIMALS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A number with at most two decimals and grouped thousands, as the report's notes print it. */
function twoDecimals(x: number): string {
  if (Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  return TWO_DECIMALS.format(x);
}

function estimate(
  method: VarMethodName,
  r: Float64Array,
  o: AssetVarOptions,
): { result: VarResult<unknown>; se: number | null; note: string } {
  const base = { confidence: o.confidence, horizon: o.horizon };
  switch (method) {
    case "historical": {
      const result = historicalVar(r, base);
      return { result, se: null, note: o.horizon > 1 ? "overlapping h-bar returns" : "type-7 quantile" };
    }
    case "normal":
      return { result: normalVar(r, base), se: null, note: o.horizon > 1 ? "√h scaling" : "" };
    case "t": {
      const result = studentTVar(r, base);
      return { result, se: null, note: `ν ${twoDecimals(result.diagnostics.nu)} (MLE)` };
    }
    case "cf": {
      const result = cornishFisherVar(r, base);
      const d = result.diagnostics as { monotoneInTail?: boolean };
      return {
        result,
        se: null,
        note: d.monotoneInTail === false ? "expansion not monotone: do not use" : "",
      };
    }
    case "fhs": {
      const result = filteredHistoricalVar(r, { ...base, seed: o.seed, paths: o.paths });
      return { result, se: null, note: "GARCH(1,1)-filtered" };
    }
    case "mc": {
      const result = monteCarloVar(r, { ...base, model: "garch-t", seed: o.seed, paths: o.paths });
      return {
        result,
        se: result.diagnostics.standardErrorVar,
        note: `GARCH-t, ${o.paths} paths, seed ${o.seed}`,
      };
    }
  }
}

/**
 * VaR and ES of one asset's most recent `window` log returns by each of `methods`: historical
 * (type-7 quantile, `risk/var-historical.ts`), normal, Student-t by MLE and Cornish–Fisher
 * (`risk/var-parametric.ts`), GARCH-filtered historical simulation (Barone-Adesi et al. 1999,
 * `risk/var-filtered.ts`) and GARCH-t Monte Carlo (`risk/var-monte-carlo.ts`), each over
 * `horizon` bars; the log-return loss L becomes a loss of position value 1 − e^{−L}, times
 * `notional` when one is given. Throws an {@link InputError} on `window` when the series has
 * fewer returns.
 */
export function assetVarReport(selection: CandleSelection, o: AssetVarOptions): AssetVarReport {
  const { series: s, gaps } = withoutLargeGaps(selection.series, o.maxGapBars ?? DEFAULT_MAX_GAP_BARS);
  const all = logReturns(s.close);
  if (all.length < o.window)
    throw new InputError(
      "window",
      o.window,
      `exceeds the ${all.length} returns available`,
      "Pass a shorter window or more data.",
    );
  const r = all.subarray(all.length - o.window);
  const lines = o.methods.map((method) => {
    const { result, se, note } = estimate(method, r, o);
    const varFraction = logLossToValueLoss(result.var);
    const esFraction = logLossToValueLoss(result.es);
    return {
      method,
      varLogReturn: result.var,
      esLogReturn: result.es,
      varFraction,
      esFraction,
      varAmount: o.notional === null ? null : o.notional * varFraction,
      esAmount: o.notional === null ? null : o.notional * esFraction,
      standardError: se,
      note,
      warnings: varWarnings(result.var, result.es),
    };
  });
  return {
    symbol: s.symbol,
    firstBar: iso(s.time[s.time.length - o.window - 1] as number),
    lastBar: iso(s.time[s.time.length - 1] as number),
    returns: o.window,
    intervalMs: s.intervalMs,
    confidence: o.confidence,
    horizonBars: o.horizon,
    notional: o.notional,
    lines,
    gaps,
  };
}

/**
 * Why a VaR/ES pair is not a risk figure to read as is: ES, the mean loss beyond the VaR, is below
 * the VaR (impossible for a coherent tail: the model's quantile function is not monotone there, as
 * Cornish–Fisher's is not at high skew or kurtosis), or the VaR is negative (the loss quantile is a
 * gain over the horizon: the sample's drift or skew dominates, e.g. a return taken across a data gap).
 * Empty for a sound pair.
 */
export function varWarnings(valueAtRisk: number, expectedShortfall: number): string[] {
  const out: string[] = [];
  if (!(expectedShortfall >= valueAtRisk))
    out.push("ES below VaR: the model's tail is not monotone here, so neither figure is a loss quantile");
  if (valueAtRisk < 0)
    out.push(
      "negative VaR: the loss quantile is a gain over the horizon (drift or skew of the sample), not a risk",
    );
  return out;
}

/** VaR/ES of a portfolio of positions (`liqopt var --position … --json`). */
export interface PortfolioVarReport {
  positions: { asset: string; quantity: number; price: number; value: number; componentVar: number }[];
  /** Gaps in each position's bars (same order) and the stretch used. */
  gaps: GapReport[];
  firstBar: string;
  lastBar: string;
  scenarios: number;
  confidence: number;
  horizonBars: number;
  lines: { method: string; var: number; es: number; standardError: number | null; warnings: string[] }[];
}

/**
 * VaR and ES in quote currency of holding `quantities[i]` of each selection's asset, on the last
 * `window` returns of the bars every selection shares, priced at the last common close:
 * historical simulation, the delta-normal model with its Euler component VaRs (Jorion, *Value at
 * Risk*, ch. 7) and a multivariate Student-t (ν 4) Monte Carlo with its standard error
 * (`risk/var-portfolio.ts`). Throws an {@link InputError} on `window` when fewer returns are shared.
 */
export function portfolioVarReport(
  selections: readonly CandleSelection[],
  quantities: readonly number[],
  o: AssetVarOptions,
): PortfolioVarReport {
  const kept = selections.map((s) => withoutLargeGaps(s.series, o.maxGapBars ?? DEFAULT_MAX_GAP_BARS));
  const series = kept.map((k) => k.series);
  let common = new Set<number>(series[0]?.time ?? []);
  for (const s of series.slice(1)) {
    const t = new Set<number>(s.time);
    common = new Set([...common].filter((x) => t.has(x)));
  }
  const times = [...common].sort((a, b) => a - b).slice(-(o.window + 1));
  if (times.length < o.window + 1)
    throw new InputError(
      "window",
      o.window,
      `exceeds the ${times.length - 1} returns the positions share`,
      "Pass a shorter window or overlapping data.",
    );
  const closes = series.map((s) => {
    const index = new Map<number, number>();
    s.time.forEach((t, i) => {
      index.set(t, i);
    });
    return Float64Array.from(times, (t) => s.close[index.get(t) as number] as number);
  });
  const returns = closes.map((c) => logReturns(c));
  const positions: PortfolioPosition[] = series.map((s, i) => ({
    asset: s.symbol,
    quantity: quantities[i] as number,
    price: (closes[i] as Float64Array)[times.length - 1] as number,
  }));
  const base = { confidence: o.confidence, horizon: o.horizon };
  const normal = portfolioNormalVar(positions, returns, base);
  const lines: PortfolioVarReport["lines"] = [
    { method: "historical", ...pick(portfolioHistoricalVar(positions, returns, base)), standardError: null },
    { method: "normal", ...pick(normal), standardError: null },
  ].map((l) => ({ ...l, warnings: varWarnings(l.var, l.es) }));
  const mc = portfolioMonteCarloVar(positions, returns, {
    ...base,
    seed: o.seed,
    paths: o.paths,
    shocks: { kind: "student-t", nu: 4 },
  });
  lines.push({
    method: "mc (multivariate t, ν 4)",
    ...pick(mc),
    standardError: mc.diagnostics.standardErrorVar,
    warnings: varWarnings(mc.var, mc.es),
  });
  return {
    positions: positions.map((p, i) => ({
      ...p,
      value: p.quantity * p.price,
      componentVar: normal.diagnostics.componentVar[i] as number,
    })),
    gaps: kept.map((k) => k.gaps),
    firstBar: iso(times[0] as number),
    lastBar: iso(times[times.length - 1] as number),
    scenarios: o.window,
    confidence: o.confidence,
    horizonBars: o.horizon,
    lines,
  };
}

function pick(r: VarResult<unknown>): { var: number; es: number } {
  return { var: r.var, es: r.es };
}

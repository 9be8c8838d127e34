/**
 * Value-at-Risk and Expected Shortfall reports (what `liqopt var` prints): one asset by every
 * single-asset model, or a portfolio of positions on the bars their candles share.
 */
import { InputError } from "../errors.js";
import type { CandleSelection } from "../market/candles.js";
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
  const s = selection.series;
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
  };
}

/** VaR/ES of a portfolio of positions (`liqopt var --position … --json`). */
export interface PortfolioVarReport {
  positions: { asset: string; quantity: number; price: number; value: number; componentVar: number }[];
  firstBar: string;
  lastBar: string;
  scenarios: number;
  confidence: number;
  horizonBars: number;
  lines: { method: string; var: number; es: number; standardError: number | null }[];
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
  let common = new Set<number>(selections[0]?.series.time ?? []);
  for (const s of selections.slice(1)) {
    const t = new Set<number>(s.series.time);
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
  const closes = selections.map((s) => {
    const index = new Map<number, number>();
    s.series.time.forEach((t, i) => {
      index.set(t, i);
    });
    return Float64Array.from(times, (t) => s.series.close[index.get(t) as number] as number);
  });
  const returns = closes.map((c) => logReturns(c));
  const positions: PortfolioPosition[] = selections.map((s, i) => ({
    asset: s.series.symbol,
    quantity: quantities[i] as number,
    price: (closes[i] as Float64Array)[times.length - 1] as number,
  }));
  const base = { confidence: o.confidence, horizon: o.horizon };
  const normal = portfolioNormalVar(positions, returns, base);
  const lines: PortfolioVarReport["lines"] = [
    { method: "historical", ...pick(portfolioHistoricalVar(positions, returns, base)), standardError: null },
    { method: "normal", ...pick(normal), standardError: null },
  ];
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
  });
  return {
    positions: positions.map((p, i) => ({
      ...p,
      value: p.quantity * p.price,
      componentVar: normal.diagnostics.componentVar[i] as number,
    })),
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

/**
 * Volatility models for the trader's optimizer, fitted on a candle close series: the σ or the
 * path model that {@link import("./trader-probability.js").ProbabilityModel} needs.
 *
 * - `gbm`: constant σ = close-to-close sample volatility of the last `windowBars` returns;
 * - `ewma`: RiskMetrics EWMA (quant.md §3.3) with the daily λ = 0.94 memory carried over to the
 *   bar: λ_bar = 0.94^(barHours/24) (same weight per unit of time), seeded with the sample
 *   variance of the first 24 returns; flat forecast;
 * - `garch`: GARCH(1,1)-normal fit (src/vol/garch.ts), σ over the horizon from the closed-form
 *   variance of the summed returns `V_H` (quant.md §3.4): `σ_annual = √(V_H / T)`;
 * - `t`: EWMA σ with unit-variance Student-t shocks, ν from a GARCH(1,1)-t fit on the same
 *   window (Monte Carlo);
 * - `garch-t`: GARCH(1,1)-t paths started from the fit's σ²_{T+1} (Monte Carlo; quant.md §3.4);
 * - `fhs`: filtered historical simulation — the GARCH(1,1)-t variance recursion driven by the
 *   window's own standardised residuals, resampled in circular blocks of a day (Barone-Adesi,
 *   Giannopoulos & Vosper 1999; quant.md §3.5): the empirical tails instead of the t's.
 * - `merton`, `kou`: constant σ with compound-Poisson jumps, normal (Merton 1976) or
 *   double-exponential (Kou 2002), fitted by maximum likelihood on the window's returns
 *   (src/vol/jumps.ts; Monte Carlo on the simulator's compensated jumps, {@link jumpModelSpec}); the
 *   model's diffusion alone, in closed form, is `withoutJumps`.
 * - `merton-range`: Merton as above, fitted on each bar's close, low and high by composite
 *   likelihood with sandwich standard errors (src/vol/jumps-range.ts `fitMertonRange`; `o.range`
 *   carries the candles' bars, {@link rangeWindow} refuses candles without an intrabar range).
 * - `arji`: constant σ with normal jumps at the self-exciting autoregressive intensity of Chan &
 *   Maheu (2002) (src/vol/arji.ts, a discrete-time Hawkes intensity), fitted by maximum likelihood;
 *   Monte Carlo paths start from the filtered intensity of the next bar λ_{T+1}, so after a cluster
 *   of jumps the simulated intensity is high ({@link arjiModelSpec}); `withoutJumps` as above.
 * - any other `trader` model of the registry (src/vol/registry.ts) that is a volatility process
 *   with normal shocks, e.g. `gjr` (GJR-GARCH(1,1)-normal): the process fitted by maximum
 *   likelihood, σ over the horizon from its forecast ({@link processModel}).
 * gbm, ewma, garch and the process models with normal shocks give closed-form (GBM)
 * probabilities; the others simulate.
 *
 * A GARCH-family fit whose variance forecast is degenerate (`forecastDegeneracy`: persistence at
 * the stationarity bound, φ ≥ 1, ω at its floor) is not used silently: by default the model runs
 * on the fit's IGARCH(1,1) with drift instead ({@link degenerateFit}, src/vol/garch/integrated.ts:
 * `σ²_t = ω + ᾱ ε²_{t−1} + (1 − ᾱ) σ²_{t−1}`, ω of the fit, ᾱ = (α + γ/2)/φ, the fit's shocks),
 * whose forecast rises by ω a bar (`E[σ²_{T+h}] = σ²_{T+1} + (h − 1)ω`), and the result says so
 * (`degenerate`, with `fallback: "igarch-drift"` and its parameters); `onDegenerate: "refuse"`
 * throws an InputError instead, `"keep"` keeps the fit and only reports it. `liqopt trader
 * backtest` applies the same rule at every refit. Any other constraint of the fit
 * that binds at its optimum and that the model uses is reported in `fitBounds`: ν of the t shocks
 * at its floor 2 (`t`, which takes only ν from its GARCH-t fit, `garch-t`, `fhs`), α, β or γ at 0
 * (the GARCH family, GJR). The jump fits report theirs in `jumps.atBounds`.
 */
import { InputError } from "../errors.js";
import { filteredResiduals, type ModelSpec } from "../sim/models.js";
import { type ArjiFit, type ArjiParams, fitArji } from "../vol/arji.js";
import { barEwmaLambda, ewmaVariance } from "../vol/ewma.js";
import {
  boundWarnings,
  conditionalVariance,
  fit,
  forecast,
  forecastDegeneracy,
  type GarchBound,
  type GarchFit,
  type GarchParams,
  integratedHorizonVariance,
  integratedParams,
} from "../vol/garch.js";
import { fitJumpDiffusion, type JumpFit, type JumpModel, jumpBarVariance } from "../vol/jumps.js";
import { fitMertonRange, type MertonRangeFit, type RangeBars } from "../vol/jumps-range.js";
import { toModelReturns, toReturnVariance } from "../vol/process.js";
import { fitProcess } from "../vol/process-fit.js";
import { logReturns } from "../vol/realized.js";
import { type ModelNameFor, modelNames, processModelOf, VOLATILITY_PROCESSES } from "../vol/registry.js";
import {
  closedFormModel,
  HOURS_PER_YEAR,
  monteCarloModel,
  type ProbabilityModel,
} from "./trader-probability.js";

/**
 * The model names accepted by {@link fitTraderVolModel} (and `liqopt trader --model`): the
 * `trader` models of the registry (src/vol/registry.ts).
 */
export const TRADER_VOL_MODELS = modelNames("trader");
export type TraderVolModelKind = ModelNameFor<"trader">;

/** Options of {@link fitTraderVolModel}. */
export interface TraderVolOptions {
  readonly kind: TraderVolModelKind;
  readonly horizonHours: number;
  /** Bar length of the closes, hours (1 for hourly candles). */
  readonly barHours: number;
  /** Returns used (the most recent); default 2000. */
  readonly windowBars?: number;
  /** Monte Carlo paths (t, garch-t); default 20,000. */
  readonly paths?: number;
  readonly seed?: number;
  /** Extra bars simulated beyond the horizon (for premature-close windows). */
  readonly extraBars?: number;
  /** What to do when the model's GARCH fit is degenerate (module comment); default `"fallback"`. */
  readonly onDegenerate?: DegeneratePolicy;
  /**
   * The same candles' close, low and high as log prices relative to each bar's open, one bar per
   * close (`rangeBarsFromCandles` of src/vol/jumps-range.ts): needed by the models fitted on
   * ranges (`fitsRanges` of the registry: `merton-range`), ignored by the others.
   */
  readonly range?: RangeBars;
}

/** What {@link fitTraderVolModel} does with a degenerate GARCH-family fit: fall back, refuse, or keep it. */
export type DegeneratePolicy = "fallback" | "refuse" | "keep";

/**
 * A degenerate fit of the asked model and what was used instead: `igarch-drift`, the fit's
 * IGARCH(1,1) with drift (`igarch`: ω, ᾱ, β̄ = 1 − ᾱ, ν, in percent returns as fitted), or null
 * when the fit was kept.
 */
export interface DegenerateModel {
  readonly requested: TraderVolModelKind;
  readonly reason: string;
  readonly fallback: "igarch-drift" | null;
  /** The IGARCH(1,1) with drift run instead of the fit (present when `fallback` is `igarch-drift`). */
  readonly igarch?: GarchParams;
}

/** A GARCH-family fit as {@link degenerateFit} reads it. */
type FittedGarch = {
  readonly atBound: readonly string[];
  readonly persistence: number;
  readonly params: GarchParams;
};

/**
 * The rule `liqopt trader` and `liqopt trader backtest` share for a GARCH-family fit (module
 * comment): undefined when its forecast is not degenerate (`forecastDegeneracy`); else, by
 * `policy`, the `degenerate` record of the fallback to the fit's IGARCH(1,1) with drift
 * (`fallback`: {@link integratedParams}), or of the fit kept (`keep`), or the InputError of
 * `refusal(reason)` thrown (`refuse`).
 */
export function degenerateFit(
  requested: TraderVolModelKind,
  fitted: FittedGarch,
  policy: DegeneratePolicy,
  refusal: (reason: string) => InputError,
): DegenerateModel | undefined {
  const reason = forecastDegeneracy(fitted.atBound, fitted.persistence);
  if (reason === undefined) return undefined;
  if (policy === "refuse") throw refusal(reason);
  return policy === "keep"
    ? { requested, reason, fallback: null }
    : { requested, reason, fallback: "igarch-drift", igarch: integratedParams(fitted.params) };
}

/**
 * The variance filter a GARCH-family model runs on, in the fit's percent units: the fit `g` itself,
 * or, when `degenerate` carries the fallback, its IGARCH(1,1) with drift filtered over the same
 * percent returns `pct` (`conditionalVariance`, fGarch's start) — `nextVariance` σ²_{T+1} and the
 * variance of the next `horizonBars` summed returns (`forecast` of the fit; for the IGARCH
 * {@link integratedHorizonVariance}, `H σ²_{T+1} + ω H(H − 1)/2`).
 */
function garchFilter(
  g: { readonly params: GarchParams; readonly nextVariance: number },
  pct: Float64Array,
  degenerate: DegenerateModel | undefined,
  horizonBars: number,
): { params: GarchParams; nextVariance: number; horizonVariance: number } {
  const ig = degenerate?.igarch;
  if (ig === undefined) {
    const vh = forecast(g, horizonBars).cumulativeVariance[horizonBars - 1] as number;
    return { params: g.params, nextVariance: g.nextVariance, horizonVariance: vh };
  }
  const path = conditionalVariance(ig, pct);
  const next = path[path.length - 1] as number;
  return {
    params: ig,
    nextVariance: next,
    horizonVariance: integratedHorizonVariance(next, ig.omega, horizonBars),
  };
}

/** The process of the GARCH-family models (percent returns inside). */
const GARCH = VOLATILITY_PROCESSES.garch;

/** A fitted model with the numbers behind it. */
export interface TraderVolModel {
  readonly kind: TraderVolModelKind;
  readonly probability: ProbabilityModel;
  /** Annualized σ used (for MC models, √(E[V_H]/T) of the fit: the equivalent GBM σ). */
  readonly annualVol: number;
  /** The path model for simulation (always defined: GBM models give a normal constant-vol spec). */
  readonly pathModel: ModelSpec;
  readonly garch?: GarchFit;
  /** The jump-diffusion fit (merton, kou; merton-range's with its likelihood and sandwich errors). */
  readonly jumps?: JumpFit | MertonRangeFit;
  /** The ARJI fit (arji). */
  readonly arji?: ArjiFit;
  /** The same model without its jumps (its diffusion σ, closed form), for a side-by-side P. */
  readonly withoutJumps?: ProbabilityModel;
  readonly returnsUsed: number;
  /** Present when the asked model's fit is degenerate: why, and what was used instead. */
  readonly degenerate?: DegenerateModel;
  /** Present when the fit ends on a bound that `degenerate` does not report (module comment). */
  readonly fitBounds?: FitBounds;
}

/** Constraints of a model's fit binding at its optimum, each with the sentence that says what it means. */
export interface FitBounds {
  /** The fit: `GARCH(1,1)-normal`, `GARCH(1,1)-t`, `GJR-GARCH(1,1)-normal`. */
  readonly fit: string;
  /** The binding constraints (`GarchFit.atBound` names: `nu`, `alpha`, `beta`, `gamma`). */
  readonly parameters: readonly string[];
  readonly warnings: readonly string[];
}

/** The constraints that make a fit's forecast degenerate: reported by `degenerate`, not `fitBounds`. */
const DEGENERATE_BOUNDS: readonly string[] = ["persistence", "omega"];

/**
 * The `fitBounds` field of a fit that ends on the bounds `atBound` at `params`: the binding
 * constraints among `uses` (default: all but {@link DEGENERATE_BOUNDS}), none when none binds.
 */
function fitBoundsOf(
  fitName: string,
  atBound: readonly string[],
  params: GarchParams,
  uses?: readonly string[],
): { fitBounds: FitBounds } | Record<string, never> {
  const parameters = atBound.filter((b) =>
    uses === undefined ? !DEGENERATE_BOUNDS.includes(b) : uses.includes(b),
  ) as GarchBound[];
  return parameters.length === 0
    ? {}
    : { fitBounds: { fit: fitName, parameters, warnings: boundWarnings(parameters, params) } };
}

/**
 * The simulator's model of a jump-diffusion fitted on bars of `barYears` (src/vol/jumps.ts): the
 * diffusive σ·√(1/barYears) per year, zero price drift (the generator compensates the jumps by
 * −λκ, so the price is a martingale), the jumps at λ/barYears per year with their law.
 */
export function jumpModelSpec(model: JumpModel, barYears: number): ModelSpec {
  const perYear = 1 / barYears;
  const intensityPerYear = model.params.lambda * perYear;
  return {
    volatility: { kind: "constant", annualVol: model.params.sigma * Math.sqrt(perYear) },
    innovations: { kind: "normal" },
    jumps:
      model.kind === "merton"
        ? {
            kind: "merton",
            intensityPerYear,
            meanLogJump: model.params.jumpMean,
            logJumpVol: model.params.jumpVol,
          }
        : {
            kind: "kou",
            intensityPerYear,
            upProbability: model.params.upProbability,
            upRate: model.params.upRate,
            downRate: model.params.downRate,
          },
  };
}

/**
 * The simulator's model of an ARJI fit on bars of `barYears` (src/vol/arji.ts): the diffusive
 * σ·√(1/barYears) per year, zero price drift (the generator compensates the jumps by −λ_kκ), the
 * intensity recursion per bar started at `startIntensity` (the fit's λ_{T+1}). The simulation's
 * grid step must be the fit's bar.
 */
export function arjiModelSpec(params: ArjiParams, startIntensity: number, barYears: number): ModelSpec {
  return {
    volatility: { kind: "constant", annualVol: params.sigma / Math.sqrt(barYears) },
    innovations: { kind: "normal" },
    jumps: {
      kind: "arji",
      baseIntensity: params.lambda0,
      persistence: params.rho,
      feedback: params.gamma,
      startIntensity,
      meanLogJump: params.jumpMean,
      logJumpVol: params.jumpVol,
    },
  };
}

/**
 * Residuals rescaled to mean 0 and variance 1, so that the bootstrap feeds the variance recursion
 * unit-variance shocks (the fit's residuals are only approximately so).
 */
export function standardized(z: Float64Array): Float64Array {
  let mean = 0;
  for (const x of z) mean += x / z.length;
  let ss = 0;
  for (const x of z) ss += (x - mean) ** 2;
  const sd = Math.sqrt(ss / z.length);
  return Float64Array.from(z, (x) => (x - mean) / sd);
}

/** The `degenerate` field of a GARCH-family fit of `kind` ({@link degenerateFit} under `o.onDegenerate`). */
function degenerateOf(
  kind: TraderVolModelKind,
  fitted: FittedGarch,
  o: TraderVolOptions,
): DegenerateModel | undefined {
  return degenerateFit(
    kind,
    fitted,
    o.onDegenerate ?? "fallback",
    (reason) =>
      new InputError(
        "model",
        kind,
        `is degenerate on these returns: ${reason}`,
        "Pass --degenerate fallback (the fit's IGARCH(1,1) with drift) or keep, another --window, or a model without a GARCH variance (ewma, t).",
      ),
  );
}

/**
 * Fits the model on `closes` (ascending) and builds its probability engine for the horizon; a
 * degenerate GARCH-family fit falls back, is refused or kept as `o.onDegenerate` says (module comment).
 */
export function fitTraderVolModel(closes: ArrayLike<number>, o: TraderVolOptions): TraderVolModel {
  const window = o.windowBars ?? 2000;
  if (closes.length < 51) {
    throw new InputError(
      "candles",
      `${closes.length} bars`,
      "are too few to fit a volatility model",
      "Pass at least 51 bars.",
    );
  }
  const all = logReturns(closes);
  const r = all.subarray(Math.max(0, all.length - window));
  const barsPerYear = HOURS_PER_YEAR / o.barHours;
  const paths = o.paths ?? 20_000;
  const seed = o.seed ?? 1;
  const horizonBars = Math.max(1, Math.round(o.horizonHours / o.barHours));
  const ewmaAnnual = () => {
    const v = ewmaVariance(r, {
      lambda: barEwmaLambda(0.94, o.barHours),
      seed: { kind: "sample-variance", count: Math.min(24, r.length) },
    });
    return Math.sqrt((v[v.length - 1] as number) * barsPerYear);
  };
  const simulated = (model: ModelSpec) =>
    monteCarloModel({
      model,
      barHours: o.barHours,
      horizonHours: o.horizonHours,
      paths,
      seed,
      extraBars: o.extraBars ?? 0,
    });
  const gbm = (sigma: number): ModelSpec => ({
    volatility: { kind: "constant", annualVol: sigma },
    innovations: { kind: "normal" },
  });
  switch (o.kind) {
    case "gbm": {
      let mean = 0;
      for (const x of r) mean += x / r.length;
      let ss = 0;
      for (const x of r) ss += (x - mean) ** 2;
      const sigma = Math.sqrt((ss / (r.length - 1)) * barsPerYear);
      return {
        kind: o.kind,
        probability: closedFormModel(sigma, o.horizonHours),
        annualVol: sigma,
        pathModel: gbm(sigma),
        returnsUsed: r.length,
      };
    }
    case "ewma": {
      const sigma = ewmaAnnual();
      return {
        kind: o.kind,
        probability: closedFormModel(sigma, o.horizonHours),
        annualVol: sigma,
        pathModel: gbm(sigma),
        returnsUsed: r.length,
      };
    }
    case "garch": {
      const pct = toModelReturns(GARCH, r);
      const g = fit(pct, { model: "garch", dist: "normal" });
      const degenerate = degenerateOf(o.kind, g, o);
      const f = garchFilter(g, pct, degenerate, horizonBars);
      const sigma = Math.sqrt(toReturnVariance(GARCH, f.horizonVariance) / (horizonBars / barsPerYear));
      return {
        kind: o.kind,
        probability: closedFormModel(sigma, o.horizonHours),
        annualVol: sigma,
        pathModel: gbm(sigma),
        garch: g,
        returnsUsed: r.length,
        ...(degenerate === undefined ? {} : { degenerate }),
        ...fitBoundsOf("GARCH(1,1)-normal", g.atBound, g.params),
      };
    }
    case "t": {
      const g = fit(toModelReturns(GARCH, r), { model: "garch", dist: "t" });
      const sigma = ewmaAnnual();
      const pathModel: ModelSpec = {
        volatility: { kind: "constant", annualVol: sigma },
        innovations: { kind: "student-t", nu: g.params.nu ?? 5 },
      };
      const probability = simulated(pathModel);
      return {
        kind: o.kind,
        probability,
        annualVol: sigma,
        pathModel,
        garch: g,
        returnsUsed: r.length,
        // t takes only ν from its GARCH-t fit: a bound of the variance recursion does not touch it.
        ...fitBoundsOf("GARCH(1,1)-t", g.atBound, g.params, ["nu"]),
      };
    }
    case "garch-t":
    case "fhs": {
      const pct = toModelReturns(GARCH, r);
      const g = fit(pct, { model: "garch", dist: "t" });
      const degenerate = degenerateOf(o.kind, g, o);
      const f = garchFilter(g, pct, degenerate, horizonBars);
      const volatility = {
        kind: "garch",
        params: { ...f.params, mu: 0 },
        startVariance: f.nextVariance,
        returnsScale: GARCH.returnsScale,
      } as const;
      const pathModel: ModelSpec =
        o.kind === "garch-t"
          ? { volatility, innovations: { kind: "student-t", nu: g.params.nu ?? 5 } }
          : {
              volatility,
              innovations: {
                kind: "bootstrap",
                samples: standardized(filteredResiduals(pct, f.params).residuals),
                blockLength: Math.max(1, Math.round(24 / o.barHours)),
              },
            };
      const probability = simulated(pathModel);
      return {
        kind: o.kind,
        probability,
        annualVol: Math.sqrt(toReturnVariance(GARCH, f.horizonVariance) / (horizonBars / barsPerYear)),
        pathModel,
        garch: g,
        returnsUsed: r.length,
        ...(degenerate === undefined ? {} : { degenerate }),
        ...fitBoundsOf("GARCH(1,1)-t", g.atBound, g.params),
      };
    }
    case "merton":
    case "kou": {
      const jumps = fitJumpDiffusion(o.kind, r);
      const pathModel = jumpModelSpec(jumps, 1 / barsPerYear);
      const probability = simulated(pathModel);
      return {
        kind: o.kind,
        probability,
        annualVol: Math.sqrt(jumpBarVariance(jumps) * barsPerYear),
        pathModel,
        jumps,
        withoutJumps: closedFormModel(jumps.params.sigma * Math.sqrt(barsPerYear), o.horizonHours),
        returnsUsed: r.length,
      };
    }
    case "merton-range": {
      const jumps = fitMertonRange(rangeWindow(o.range, closes.length, r.length));
      const pathModel = jumpModelSpec(jumps, 1 / barsPerYear);
      return {
        kind: o.kind,
        probability: simulated(pathModel),
        annualVol: Math.sqrt(jumpBarVariance(jumps) * barsPerYear),
        pathModel,
        jumps,
        withoutJumps: closedFormModel(jumps.params.sigma * Math.sqrt(barsPerYear), o.horizonHours),
        returnsUsed: r.length,
      };
    }
    case "arji": {
      const arji = fitArji(r);
      const p = arji.params;
      // E[λ_{T+h}] = λ̄ + ρ^{h−1}(λ_{T+1} − λ̄); the returns are martingale differences, so
      // Var(Σ r) = Σ_h (σ² + E[λ_{T+h}](θ² + δ²)).
      let variance = 0;
      let lambda = arji.nextIntensity;
      for (let h = 0; h < horizonBars; h++) {
        variance += p.sigma * p.sigma + lambda * (p.jumpMean * p.jumpMean + p.jumpVol * p.jumpVol);
        lambda = p.lambda0 + p.rho * lambda;
      }
      const pathModel = arjiModelSpec(p, arji.nextIntensity, 1 / barsPerYear);
      return {
        kind: o.kind,
        probability: simulated(pathModel),
        annualVol: Math.sqrt(variance / (horizonBars / barsPerYear)),
        pathModel,
        arji,
        withoutJumps: closedFormModel(p.sigma * Math.sqrt(barsPerYear), o.horizonHours),
        returnsUsed: r.length,
      };
    }
    default:
      return processModel(o.kind, r, o, barsPerYear, horizonBars);
  }
}

/**
 * The last `bars` bars of `range` (the candles' close, low and high relative to each bar's open,
 * one per close: `closes` of them), the window a range-likelihood model is fitted on. Refuses,
 * naming the candles, when there is no range (`range` absent) or when no bar of the window has one
 * (every high and low equal to the bar's open or close, as in a close-only file written as OHLC).
 */
function rangeWindow(range: RangeBars | undefined, closes: number, bars: number): RangeBars {
  const fix = "Pass candles with each bar's high and low (OHLC), or --model merton (fitted on the closes).";
  if (range === undefined)
    throw new InputError(
      "candles",
      `${closes} bars`,
      "have no high and low, which merton-range is fitted on",
      fix,
    );
  if (range.close.length !== closes)
    throw new InputError(
      "range",
      `${range.close.length} bars`,
      `does not match the ${closes} closes`,
      "Pass one close, low and high per close.",
    );
  const from = closes - bars;
  const window = {
    close: range.close.subarray(from),
    low: range.low.subarray(from),
    high: range.high.subarray(from),
  };
  let ranged = false;
  for (let t = 0; t < bars && !ranged; t++) {
    const x = window.close[t] as number;
    ranged = (window.low[t] as number) < Math.min(0, x) || (window.high[t] as number) > Math.max(0, x);
  }
  if (!ranged)
    throw new InputError(
      "candles",
      `${bars} bars`,
      "have no intrabar range: every bar's high and low are its open or close, so merton-range has nothing to fit beyond the closes",
      fix,
    );
  return window;
}

/**
 * Any other registry model of a volatility process with normal shocks: the process fitted by
 * maximum likelihood on the window ({@link fitProcess}), σ over the horizon from its forecast
 * `σ_annual = √(Σ_{h≤H} E[σ²_{T+h}] / T)` (the variance of the summed returns under normal,
 * uncorrelated shocks), closed-form GBM probabilities at that σ.
 */
function processModel(
  kind: string,
  r: Float64Array,
  o: TraderVolOptions,
  barsPerYear: number,
  horizonBars: number,
): TraderVolModel {
  const generic = processModelOf(kind);
  if (generic === undefined || generic.law !== "normal") {
    throw new InputError(
      "model",
      kind,
      "is not a known model",
      `Use one of: ${TRADER_VOL_MODELS.join(", ")}.`,
    );
  }
  const { process, law } = generic;
  const pct = toModelReturns(process, r);
  const fitted = fitProcess(process, pct, law);
  // Only the GARCH family's own fits report bounds (ProcessFit.atBound), so their parameters are
  // GARCH's, and the stationary fits of the registry's processes cannot reach φ ≥ 1.
  const degenerate = degenerateOf(
    kind as TraderVolModelKind,
    { atBound: fitted.atBound ?? [], persistence: Number.NaN, params: fitted.params as GarchParams },
    o,
  );
  let sum = 0;
  if (degenerate?.igarch === undefined) {
    for (const v of process.forecast(fitted.params, fitted.nextVariance, horizonBars)) sum += v;
  } else {
    sum = garchFilter(
      { params: fitted.params as GarchParams, nextVariance: fitted.nextVariance },
      pct,
      degenerate,
      horizonBars,
    ).horizonVariance;
  }
  const sigma = Math.sqrt(toReturnVariance(process, sum) / (horizonBars / barsPerYear));
  return {
    kind: kind as TraderVolModelKind,
    probability: closedFormModel(sigma, o.horizonHours),
    annualVol: sigma,
    pathModel: { volatility: { kind: "constant", annualVol: sigma }, innovations: { kind: "normal" } },
    returnsUsed: r.length,
    ...(degenerate === undefined ? {} : { degenerate }),
    ...fitBoundsOf(
      `${process.name === "gjr" ? "GJR-GARCH" : process.name.toUpperCase()}(1,1)-normal`,
      fitted.atBound ?? [],
      fitted.params as GarchParams,
    ),
  };
}

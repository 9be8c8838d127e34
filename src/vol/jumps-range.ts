/**
 * Merton's jump-diffusion fitted on the bars' close, low and high (docs/jump-calibration.md,
 * "Intrabar ranges in the likelihood"), where {@link fitJumpDiffusion} sees only the close.
 *
 * Likelihood: a composite likelihood (Lindsay 1988; Varin, Reid & Firth 2011, *Statistica Sinica*
 * 21) of the close and the low, and of the close and the high, each conditioned on the close:
 * `ℓ = Σ_t ln f(x_t) + ln f(l_t | x_t) + ln f(h_t | x_t) = Σ_t ln f(x_t, l_t) + ln f(x_t, h_t) − ln f(x_t)`,
 * with f(x, l) and f(x, h) the Merton bar densities of src/vol/range-density.ts (for the low, a
 * bar's down jumps at its open and its up jumps at its close; mirrored for the high). The trivariate (close, high, low) density of a Brownian bar is an alternating series
 * (Feller 1951) whose terms cancel for narrow bars; the composite keeps closed forms, counts the
 * close once (so ℓ minus the close-only log-likelihood is the information the range adds), and is
 * an unbiased estimating equation (each term is a log density), so its maximiser is consistent; it
 * ignores the dependence of the low and the high given the close, which the sandwich standard
 * errors (Godambe information) account for.
 *
 * Prices move in ticks, so a bar's low can equal its open and its close (a flat bar), where a
 * continuous path has density 0: every low is taken at least `resolution` below the open and every
 * high at least `resolution` above it (default 1e-6 in log price, a hundredth of a basis point).
 */
import { InputError } from "../errors.js";
import type { CandleSeries } from "../market/candles.js";
import { invertSpd } from "../math/linalg.js";
import { numericalHessian } from "../math/minimize.js";
import { bestOfStarts, fitJumpDiffusion, type JumpFit, type MertonParams, mertonSearch } from "./jumps.js";
import { mertonRangeDensity } from "./range-density.js";

/** Bars as log prices relative to each bar's open: ln(close/open), ln(low/open), ln(high/open). */
export interface RangeBars {
  readonly close: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/** A Merton fit on ranges: the Merton model, its composite log-likelihood, and sandwich errors. */
export type MertonRangeFit = Extract<JumpFit, { readonly kind: "merton" }> & {
  readonly likelihood: "range";
  /** Sandwich standard errors `√diag(H⁻¹ J H⁻¹)`; null when a parameter is at a bound or H is singular. */
  readonly standardErrors: Readonly<Record<keyof MertonParams, number>> | null;
};

/**
 * The bars of `series` (optionally from bar index `from` up to, not including, `to`) as
 * {@link RangeBars}. Refuses a non-positive price or a bar whose low is above its open or close or
 * whose high is below them, naming the bar.
 */
export function rangeBarsFromCandles(series: CandleSeries, from = 0, to = series.close.length): RangeBars {
  const n = to - from;
  const bars = { close: new Float64Array(n), low: new Float64Array(n), high: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const o = series.open[from + i] as number;
    const h = series.high[from + i] as number;
    const l = series.low[from + i] as number;
    const c = series.close[from + i] as number;
    if (!(o > 0 && l > 0 && l <= Math.min(o, c) && h >= Math.max(o, c))) {
      throw new InputError(
        `candles[${from + i}]`,
        `open ${o}, high ${h}, low ${l}, close ${c}`,
        "is not a bar (needs 0 < low ≤ open, close ≤ high)",
        "Fix or drop the bar.",
      );
    }
    bars.close[i] = Math.log(c / o);
    bars.low[i] = Math.log(l / o);
    bars.high[i] = Math.log(h / o);
  }
  return bars;
}

/**
 * Writes each bar's composite log-likelihood term `ln f(x, l) + ln f(x, h) − ln f(x)` (module
 * doc) into `out` and returns their sum (−∞ where a density is 0).
 */
function mertonRangeContributions(
  p: MertonParams,
  bars: RangeBars,
  out: Float64Array,
  resolution = 1e-6,
): number {
  const f = mertonRangeDensity(p);
  let sum = 0;
  for (let t = 0; t < bars.close.length; t++) {
    const x = bars.close[t] as number;
    const l = Math.min(bars.low[t] as number, -resolution);
    const h = Math.max(bars.high[t] as number, resolution);
    const term = f.closeLow(x, l) + f.closeHigh(x, h) - f.close(x);
    out[t] = term;
    sum += term;
  }
  return Number.isNaN(sum) ? Number.NEGATIVE_INFINITY : sum;
}

/**
 * Fits Merton's jump-diffusion to bars by maximum composite likelihood on their close, low and
 * high (module doc): the box and bounded Nelder–Mead of {@link fitJumpDiffusion} (λ ≤ 0.05 per
 * bar; `atBounds` names the parameters that end on a bound), started from the close-only Merton fit
 * of the same bars (the range likelihood costs some 10 times as much per evaluation, so one good
 * start, restarted once, rather than two) or from `options.start`. Standard errors are the sandwich `H⁻¹ J H⁻¹`, H the numerical Hessian of −ℓ and J the sum
 * of the outer products of the bars' numerical scores; null at a bound.
 *
 * @example fitMertonRange(rangeBarsFromCandles(hourly)).params.sigma // diffusive σ per hour
 */
export function fitMertonRange(
  bars: RangeBars,
  options: { readonly start?: MertonParams; readonly resolution?: number } = {},
): MertonRangeFit {
  const n = bars.close.length;
  if (bars.low.length !== n || bars.high.length !== n) {
    throw new InputError(
      "bars",
      `${n}/${bars.low.length}/${bars.high.length}`,
      "differ in length",
      "Pass one close, low and high per bar.",
    );
  }
  const resolution = options.resolution ?? 1e-6;
  const spec = mertonSearch(bars.close, "Merton on ranges");
  const paramsOf = (x: ArrayLike<number>): MertonParams =>
    Object.fromEntries(spec.names.map((k, i) => [k, x[i] as number])) as unknown as MertonParams;
  const scratch = new Float64Array(n);
  const objective = (x: Float64Array): number =>
    -mertonRangeContributions(paramsOf(x), bars, scratch, resolution);
  const start = options.start ?? (fitJumpDiffusion("merton", bars.close).params as MertonParams);
  const starts = [spec.names.map((k) => start[k])];
  const best = bestOfStarts(objective, starts, spec, 1500);
  const params = paramsOf(best.x);
  const errors = best.atBounds.length > 0 ? null : sandwichErrors(params, bars, resolution, spec.names);
  return {
    kind: "merton",
    params,
    loglikelihood: -best.f,
    returnsUsed: n,
    atBounds: best.atBounds,
    likelihood: "range",
    standardErrors: errors,
  };
}

/** √diag(H⁻¹ J H⁻¹) of the composite likelihood at `p` (see {@link fitMertonRange}); null if H is singular. */
function sandwichErrors(
  p: MertonParams,
  bars: RangeBars,
  resolution: number,
  names: readonly (keyof MertonParams)[],
): Record<keyof MertonParams, number> | null {
  const k = names.length;
  const n = bars.close.length;
  const x = names.map((name) => p[name]);
  const at = (y: ArrayLike<number>): MertonParams =>
    Object.fromEntries(names.map((name, i) => [name, y[i] as number])) as unknown as MertonParams;
  const scratch = new Float64Array(n);
  const hessian = numericalHessian((y) => -mertonRangeContributions(at(y), bars, scratch, resolution), x);
  const inverse = invertSpd(hessian, k);
  if (inverse === undefined) return null;
  // Per-bar scores by central differences, with numericalHessian's default steps.
  const scores = new Float64Array(n * k);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  for (let i = 0; i < k; i++) {
    const h = 1e-4 * Math.max(Math.abs(x[i] as number), 1e-2);
    const y = Float64Array.from(x);
    y[i] = (x[i] as number) + h;
    mertonRangeContributions(at(y), bars, up, resolution);
    y[i] = (x[i] as number) - h;
    mertonRangeContributions(at(y), bars, down, resolution);
    for (let t = 0; t < n; t++) scores[t * k + i] = ((up[t] as number) - (down[t] as number)) / (2 * h);
  }
  const meat = new Float64Array(k * k);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++)
        meat[i * k + j] =
          (meat[i * k + j] as number) + (scores[t * k + i] as number) * (scores[t * k + j] as number);
    }
  }
  const se: number[] = [];
  for (let i = 0; i < k; i++) {
    let v = 0; // (H⁻¹ J H⁻¹)_ii = Σ_ab H⁻¹_ia J_ab H⁻¹_bi
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++)
        v += (inverse[i * k + a] as number) * (meat[a * k + b] as number) * (inverse[b * k + i] as number);
    }
    se.push(Math.sqrt(v));
  }
  if (!se.every(Number.isFinite)) return null;
  return Object.fromEntries(names.map((name, i) => [name, se[i] as number])) as Record<
    keyof MertonParams,
    number
  >;
}

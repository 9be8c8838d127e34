/**
 * How the book thins in a shock and recovers after it: a mean-reverting model of the log depth
 * scale (depth-scale.ts) driven by the absolute 1-minute return, fitted by least squares, and its
 * use by the venue simulator as a per-step multiplier of the daily volume V_D in the square-root law
 * (the engine's `depthScale`).
 *
 * Model, per minute t: `L_t = α + φ·L_{t−1} + γ·|r_{t−1}| + ε_t`, with `L_t` the mean log depth
 * scale of the minute's snapshots and `r_{t−1} = ln(close_{t−1}/close_{t−2})` the previous minute's
 * return (the lag keeps the regressor ahead of every snapshot of the minute; a snapshot early in
 * minute t has not seen that minute's move). γ < 0 is the thinning per unit absolute return (a 1 %
 * minute thins the book by `1 − e^{0.01γ}`), `φ` the minute-to-minute persistence, the recovery
 * half-life `ln ½ / ln φ` minutes, and `e^{α/(1−φ)}` the scale the book returns to without shocks.
 * It is the discrete Ornstein–Uhlenbeck (AR(1)) process with an exogenous shock term, the form used
 * for limit-order-book resilience after liquidity shocks (Obizhaeva & Wang, "Optimal trading strategy
 * and supply/demand dynamics", J. Financial Markets 16 (2013): exponential replenishment at a rate ρ,
 * here ρ = −ln φ per minute).
 */
import { InputError } from "../errors.js";
import type { CandleSeries } from "../market/candles.js";
import { firstIndexAtOrAfter } from "../market/row-order.js";
import { invertSpd } from "../math/linalg.js";
import { readNumber } from "../validate.js";
import type { DepthScaleResult } from "./depth-scale.js";

const MINUTE_MS = 60_000;

/** The minute series the model is fitted on, one entry per kline in the window. */
export interface MinuteDepth {
  /** Kline open times, ms UTC. */
  readonly time: Float64Array;
  /** Mean ln(depth scale) of the minute's snapshots (NaN when none has a scale). */
  readonly logScale: Float64Array;
  /** `|ln(close_{t−1}/close_{t−2})|` (NaN for the first two minutes of the klines). */
  readonly absReturnPrev: Float64Array;
  /** The minute's close. */
  readonly close: Float64Array;
}

/**
 * The minute series over the klines with `fromMs ≤ open < toMs`: each minute's mean ln(scale) over
 * the snapshots with `open ≤ t < open + 1 min` and a finite positive scale, the previous minute's
 * absolute log return, the close. Klines must be 1-minute bars.
 */
export function minuteDepth(
  depth: DepthScaleResult,
  klines: CandleSeries,
  fromMs = Number.NEGATIVE_INFINITY,
  toMs = Number.POSITIVE_INFINITY,
): MinuteDepth {
  if (klines.intervalMs !== MINUTE_MS)
    throw new InputError(
      "klines.intervalMs",
      klines.intervalMs,
      "is not one minute",
      "Pass 1-minute klines.",
    );
  const first = firstIndexAtOrAfter(klines.time, fromMs);
  const last = firstIndexAtOrAfter(klines.time, toMs);
  const m = Math.max(0, last - first);
  const time = klines.time.slice(first, first + m);
  const close = klines.close.slice(first, first + m);
  const logScale = new Float64Array(m);
  const absReturnPrev = new Float64Array(m);
  const snapTime = depth.snapshots.time;
  const scale = depth.snapshots.scale;
  for (let j = 0; j < m; j++) {
    const open = time[j] as number;
    let sum = 0;
    let count = 0;
    for (
      let i = firstIndexAtOrAfter(snapTime, open);
      i < snapTime.length && (snapTime[i] as number) < open + MINUTE_MS;
      i++
    ) {
      const v = scale[i] as number;
      if (v > 0 && Number.isFinite(v)) {
        sum += Math.log(v);
        count++;
      }
    }
    logScale[j] = count > 0 ? sum / count : Number.NaN;
    const g = first + j;
    const prev = klines.close[g - 1];
    const prev2 = klines.close[g - 2];
    const contiguous =
      (klines.time[g - 1] ?? Number.NaN) === open - MINUTE_MS &&
      (klines.time[g - 2] ?? Number.NaN) === open - 2 * MINUTE_MS;
    absReturnPrev[j] =
      contiguous && prev !== undefined && prev2 !== undefined ? Math.abs(Math.log(prev / prev2)) : Number.NaN;
  }
  return { time, logScale, absReturnPrev, close };
}

/** The fitted thinning/recovery model with its uncertainty. */
export interface DepthDynamicsFit {
  readonly alpha: number;
  /** Persistence per minute. */
  readonly phi: number;
  /** Change of ln(depth scale) per unit absolute 1-minute return (negative: thinning). */
  readonly gamma: number;
  /** OLS standard errors `√diag(s²(XᵀX)⁻¹)`, `s² = RSS/(n − 3)`. */
  readonly se: { readonly alpha: number; readonly phi: number; readonly gamma: number };
  /** `1 − RSS/TSS` of L_t. */
  readonly rSquared: number;
  /** Residual standard deviation `s`, in ln(scale). */
  readonly residualSd: number;
  /** Minutes used (both L_t, L_{t−1} and the return present). */
  readonly n: number;
  /** `ln ½ / ln φ` minutes (NaN unless 0 < φ < 1) and its delta-method standard error. */
  readonly halfLifeMinutes: number;
  readonly halfLifeSe: number;
  /** `e^{α/(1−φ)}`: the scale the book returns to without shocks (NaN unless φ < 1). */
  readonly equilibriumScale: number;
  /** `1 − e^{0.01γ}`: the fraction of depth lost the minute after a 1 % move. */
  readonly thinningPerPercent: number;
  /** Model-failure lines (not mean-reverting, thickening on shocks, too few minutes). */
  readonly warnings: readonly string[];
}

/** Fewest minutes a fit accepts. */
const MIN_MINUTES = 30;

/**
 * Ordinary least squares of `L_t = α + φ L_{t−1} + γ |r_{t−1}|` over the minutes where all three
 * are present: `β̂ = (XᵀX)⁻¹ Xᵀy`, standard errors `√diag(s²(XᵀX)⁻¹)` with `s² = RSS/(n − 3)`
 * (e.g. Hamilton, *Time Series Analysis* (1994), §8.1; for an AR(1) the usual OLS inference holds
 * asymptotically, §8.2). Fewer than 30 usable minutes, or collinear regressors, is an
 * {@link InputError}; a persistence outside (0, 1) or a positive γ is kept and warned about.
 */
export function fitDepthDynamics(minutes: MinuteDepth): DepthDynamicsFit {
  const { logScale: L, absReturnPrev: r } = minutes;
  const xtx = new Float64Array(9);
  const xty = new Float64Array(3);
  const rows: number[] = [];
  for (let t = 1; t < L.length; t++) {
    const y = L[t] as number;
    const x1 = L[t - 1] as number;
    const x2 = r[t] as number;
    if (!(Number.isFinite(y) && Number.isFinite(x1) && Number.isFinite(x2))) continue;
    rows.push(t);
    const x = [1, x1, x2];
    for (let a = 0; a < 3; a++) {
      xty[a] = (xty[a] as number) + (x[a] as number) * y;
      for (let b = 0; b < 3; b++)
        xtx[3 * a + b] = (xtx[3 * a + b] as number) + (x[a] as number) * (x[b] as number);
    }
  }
  const n = rows.length;
  if (n < MIN_MINUTES)
    throw new InputError(
      "minutes",
      n,
      `leaves fewer than ${MIN_MINUTES} minutes with depth and returns`,
      "Pass a longer window with snapshots in most minutes.",
    );
  const inv = invertSpd(xtx, 3);
  if (inv === undefined)
    throw new InputError(
      "minutes",
      n,
      "has collinear regressors (constant depth or no price move)",
      "Pass a window where depth and price move.",
    );
  const coef = [0, 1, 2].map(
    (a) =>
      (inv[3 * a] as number) * (xty[0] as number) +
      (inv[3 * a + 1] as number) * (xty[1] as number) +
      (inv[3 * a + 2] as number) * (xty[2] as number),
  );
  const [alpha, phi, gamma] = coef as [number, number, number];
  let rss = 0;
  let mean = 0;
  for (const t of rows) mean += L[t] as number;
  mean /= n;
  let tss = 0;
  for (const t of rows) {
    const e = (L[t] as number) - alpha - phi * (L[t - 1] as number) - gamma * (r[t] as number);
    rss += e * e;
    tss += ((L[t] as number) - mean) ** 2;
  }
  const s2 = rss / (n - 3);
  const se = {
    alpha: Math.sqrt(s2 * (inv[0] as number)),
    phi: Math.sqrt(s2 * (inv[4] as number)),
    gamma: Math.sqrt(s2 * (inv[8] as number)),
  };
  const reverting = phi > 0 && phi < 1;
  const halfLifeMinutes = reverting ? Math.log(0.5) / Math.log(phi) : Number.NaN;
  const halfLifeSe = reverting ? Math.abs(Math.log(0.5) / (phi * Math.log(phi) ** 2)) * se.phi : Number.NaN;
  const warnings: string[] = [];
  if (!reverting)
    warnings.push(
      `persistence φ = ${phi.toFixed(4)} is outside (0, 1): the depth does not revert, no half-life`,
    );
  if (gamma > 0) warnings.push(`γ = ${gamma.toFixed(3)} > 0: the book thickens after moves in this window`);
  return {
    alpha,
    phi,
    gamma,
    se,
    rSquared: 1 - rss / tss,
    residualSd: Math.sqrt(s2),
    n,
    halfLifeMinutes,
    halfLifeSe,
    equilibriumScale: phi < 1 ? Math.exp(alpha / (1 - phi)) : Number.NaN,
    thinningPerPercent: 1 - Math.exp(0.01 * gamma),
    warnings,
  };
}

/**
 * The engine's per-step depth scale from a price path: the fitted model's conditional mean run over
 * the path, `L_0 = ln(startScale)`, `L_s = L* + φ^k (L_{s−1} − L*) + γ |ln(p_{s−1}/p_{s−2})|` with
 * `L* = α/(1 − φ)` and k = `stepMinutes` (the minute model compounded over a step; a step's
 * absolute return is taken as one shock, and the shock of step s − 1 thins step s, as in the fit),
 * `depthScale[s] = e^{L_s}`. `prices[s]` is the price at the end of step s; a price that is not
 * positive and finite is an {@link InputError} naming it.
 *
 * @example depthScaleForPath(fit, marks, 1) // one multiplier of V_D per minute of `marks`
 */
export function depthScaleForPath(
  fit: Pick<DepthDynamicsFit, "alpha" | "phi" | "gamma">,
  prices: Float64Array,
  stepMinutes = 1,
  startScale = 1,
  out = new Float64Array(prices.length),
): Float64Array {
  readNumber(stepMinutes, "stepMinutes", { min: 0, exclusiveMin: true });
  readNumber(startScale, "startScale", { min: 0, exclusiveMin: true });
  if (!(fit.phi > 0 && fit.phi < 1))
    throw new InputError(
      "fit.phi",
      fit.phi,
      "is outside (0, 1): the model does not revert",
      "Fit a window where depth recovers.",
    );
  const equilibrium = fit.alpha / (1 - fit.phi);
  const decay = fit.phi ** stepMinutes;
  let level = Math.log(startScale);
  for (let s = 0; s < prices.length; s++) {
    if (!((prices[s] as number) > 0 && Number.isFinite(prices[s] as number)))
      throw new InputError(
        `prices[${s}]`,
        prices[s],
        "is not a positive finite price",
        "Pass a path of prices > 0.",
      );
    const shock = s >= 2 ? Math.abs(Math.log((prices[s - 1] as number) / (prices[s - 2] as number))) : 0;
    if (s > 0) level = equilibrium + decay * (level - equilibrium) + fit.gamma * shock;
    out[s] = Math.exp(level);
  }
  return out;
}

/**
 * The day's measured depth scale as a replay, one value per minute of `minutes`: `e^{L_t}`, a
 * minute without a snapshot taking the previous minute's value (the first minutes without one take
 * the first measured value).
 */
export function measuredDepthScale(minutes: MinuteDepth): Float64Array {
  const L = minutes.logScale;
  const out = new Float64Array(L.length);
  let last = Number.NaN;
  for (let t = 0; t < L.length; t++)
    if (Number.isFinite(L[t] as number)) {
      last = L[t] as number;
      break;
    }
  for (let t = 0; t < L.length; t++) {
    if (Number.isFinite(L[t] as number)) last = L[t] as number;
    out[t] = Math.exp(last);
  }
  return out;
}

/**
 * A seeded sub-minute path between OHLC bars: `k` sub-steps a bar that start from the bar's open,
 * visit its high and its low exactly (in the order the bar implies) and end at its close.
 */
import { normalSampler, type Xoshiro128 } from "../../math/random.js";

/** One bar's open, high, low and close (equal-length columns). */
export interface OhlcBars {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/**
 * Fills `out[from + 1 .. from + n]` with a Brownian bridge from `a` (at `out[from]`'s time) to `b`
 * (n steps later), unit variance a step scaled by `scale`: the sequential construction
 * `X_{j+1} = X_j + (b − X_j)/(n − j) + σ·√((n − j − 1)/(n − j))·Z` (Glasserman, Monte Carlo Methods
 * in Financial Engineering, 2003, §3.1, eq. 3.6), whose last point is `b` exactly.
 */
function fillBridge(
  out: Float64Array,
  from: number,
  a: number,
  b: number,
  n: number,
  scale: number,
  rng: Xoshiro128,
) {
  const z = normalSampler();
  let x = a;
  for (let j = 0; j < n - 1; j++) {
    const left = n - j;
    x += (b - x) / left + scale * Math.sqrt((left - 1) / left) * z.sample(rng);
    out[from + j + 1] = x;
  }
  out[from + n] = b;
}

/**
 * The bridged path of `bars`: `bars.length·k + 1` marks, `out[0]` the first bar's open and
 * `out[i·k + s]` (s = 1..k) bar i's sub-steps, `out[(i + 1)·k]` its close.
 *
 * Construction, per bar: a falling bar (close < open) visits its high first, else its low first (the
 * usual OHLC ordering convention); the two extremes' sub-step times `1 ≤ t₁ < t₂ ≤ k − 1` are drawn
 * uniformly; the three legs open→first extreme→second extreme→close are Brownian bridges
 * (Glasserman 2003, §3.1) with a step deviation of `(high − low)/√k`, then clipped to [low, high].
 * Approximation: the clipping stands in for conditioning the bridge on its maximum and minimum
 * (Shepp 1979, "The joint density of the maximum and its location for a Wiener process with drift");
 * the extremes are hit exactly and never exceeded, but the in-bar law is not the conditioned one.
 * The bar's open is the first leg's start (bar i > 0 starts from its own open, which on the bundled
 * Binance bars equals the previous close to the tick). Needs `k ≥ 3`; deterministic for a seed.
 */
export function bridgeBars(bars: OhlcBars, k: number, rng: Xoshiro128): Float64Array {
  if (!Number.isInteger(k) || k < 3)
    throw new RangeError(`sub-steps per bar must be an integer ≥ 3, got ${k}`);
  const n = bars.close.length;
  const out = new Float64Array(n * k + 1);
  out[0] = bars.open[0] as number;
  for (let i = 0; i < n; i++) {
    const o = bars.open[i] as number;
    const h = bars.high[i] as number;
    const l = bars.low[i] as number;
    const c = bars.close[i] as number;
    const [x1, x2] = c < o ? [h, l] : [l, h];
    const t1 = 1 + rng.int(k - 2);
    const t2 = t1 + 1 + rng.int(k - 1 - t1);
    const base = i * k;
    const scale = (h - l) / Math.sqrt(k);
    fillBridge(out, base, o, x1, t1, scale, rng);
    fillBridge(out, base + t1, x1, x2, t2 - t1, scale, rng);
    fillBridge(out, base + t2, x2, c, k - t2, scale, rng);
    for (let s = 1; s < k; s++) out[base + s] = Math.min(h, Math.max(l, out[base + s] as number));
  }
  return out;
}

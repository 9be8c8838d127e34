/**
 * A mergeable streaming distribution of a non-negative quantity at every step of a path (the
 * insurance fund over time), for mean and quantile bands across paths without keeping the paths:
 * per step, the exact count of values ≤ 0, counts in the logarithmic bins of
 * src/sim/tail-histogram.ts (20 a decade from 1e−2 to 1e14) and the exact sum (for the mean).
 * Counts are integers, so merging is exact in any grouping: the bands of a set of paths do not
 * depend on how the paths were split into batches or workers; only the sums (the mean) depend on
 * the merge order, which the runner fixes. A quantile is interpolated log-linearly inside its bin,
 * narrowed to the step's smallest and largest positive values (kept exactly, so a quantity that
 * barely moves — a fund that stays near its start — is not spread over a whole bin), so its
 * relative error is below the bin's width, 10^(1/20) − 1 ≈ 12 %, and none when all values agree.
 *
 * The step count is fixed by the first path added ({@link stepHistogram} of 0 steps is the empty
 * tally a {@link import("./tally.js").TallyKind} starts from before it knows the grid).
 */
import { LOG_BINS, logBin, logBinEdge } from "./tail-histogram.js";

/** Plain data (it crosses worker threads by structured clone). */
export interface StepHistogram {
  steps: number;
  paths: number;
  /** Per step: values ≤ 0. */
  zeros: Float64Array;
  /** Step-major counts, `counts[k·LOG_BINS + b]`. */
  counts: Float64Array;
  /** Per step: Σ values. */
  sums: Float64Array;
  /** Per step: the smallest and largest positive value (+∞ / −∞ before any). */
  mins: Float64Array;
  maxs: Float64Array;
}

/** An empty histogram of `steps` steps (0: sized by the first path or merge). */
export function stepHistogram(steps = 0): StepHistogram {
  return {
    steps,
    paths: 0,
    zeros: new Float64Array(steps),
    counts: new Float64Array(steps * LOG_BINS),
    sums: new Float64Array(steps),
    mins: new Float64Array(steps).fill(Number.POSITIVE_INFINITY),
    maxs: new Float64Array(steps).fill(Number.NEGATIVE_INFINITY),
  };
}

/** Sizes an empty histogram for `steps` steps (no-op when it already has them). */
export function stepHistogramSize(h: StepHistogram, steps: number): void {
  if (h.steps === steps) return;
  if (h.paths > 0) throw new Error(`step histogram of ${h.steps} steps cannot take a path of ${steps}`);
  Object.assign(h, stepHistogram(steps));
}

/** Adds value `x` at step `k` (call once per step of a path, then {@link stepHistogramEndPath}). */
export function stepHistogramAdd(h: StepHistogram, k: number, x: number): void {
  if (x > 0) {
    const i = k * LOG_BINS + logBin(x);
    h.counts[i] = (h.counts[i] as number) + 1;
    h.sums[k] = (h.sums[k] as number) + x;
    if (x < (h.mins[k] as number)) h.mins[k] = x;
    if (x > (h.maxs[k] as number)) h.maxs[k] = x;
  } else h.zeros[k] = (h.zeros[k] as number) + 1;
}

/** Counts the path whose steps were just added. */
export function stepHistogramEndPath(h: StepHistogram): void {
  h.paths++;
}

/** Adds `b` into `a` (exact counts; sums in the given order). */
export function stepHistogramMerge(a: StepHistogram, b: StepHistogram): void {
  if (b.paths === 0) return;
  stepHistogramSize(a, b.steps);
  a.paths += b.paths;
  addInto(a.zeros, b.zeros);
  addInto(a.counts, b.counts);
  addInto(a.sums, b.sums);
  for (let k = 0; k < a.steps; k++) {
    a.mins[k] = Math.min(a.mins[k] as number, b.mins[k] as number);
    a.maxs[k] = Math.max(a.maxs[k] as number, b.maxs[k] as number);
  }
}

/** `a[i] += b[i]`. */
export function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
}

/** The mean at each step, Σ/paths (NaN without paths). */
export function stepMeans(h: StepHistogram): number[] {
  return Array.from(h.sums, (s) => s / h.paths);
}

/**
 * The `q`-quantile (0 < q < 1) at each step: the value of rank `q·paths` in ascending order, the
 * zeros first, then the bins, interpolated log-linearly inside the bin that holds the rank between
 * its edges narrowed to the step's extremes, `lo = max(edge(b), min)`, `hi = min(edge(b+1), max)`:
 * `lo·(hi/lo)^f`, f the share of the bin's count below the rank. NaN without paths. Monotone in q
 * by construction.
 */
export function stepQuantiles(h: StepHistogram, q: number): number[] {
  const out = new Array<number>(h.steps).fill(Number.NaN);
  if (h.paths === 0) return out;
  const rank = q * h.paths;
  for (let k = 0; k < h.steps; k++) {
    let below = h.zeros[k] as number;
    if (rank <= below) {
      out[k] = 0;
      continue;
    }
    for (let b = 0; b < LOG_BINS; b++) {
      const c = h.counts[k * LOG_BINS + b] as number;
      if (c === 0) continue;
      if (rank <= below + c) {
        const lo = Math.max(logBinEdge(b), h.mins[k] as number);
        const hi = Math.min(logBinEdge(b + 1), h.maxs[k] as number);
        out[k] = hi > lo ? lo * (hi / lo) ** ((rank - below) / c) : lo;
        break;
      }
      below += c;
    }
  }
  return out;
}

/**
 * A mergeable streaming histogram of non-negative losses for tail statistics without keeping the
 * paths: an exact count of zeros, then logarithmic bins of `BINS_PER_DECADE` a decade from 1e−2 to
 * 1e14 (values outside go to the first or last bin), each with its count and its exact sum.
 * Expected shortfall is exact except in the one bin the tail boundary falls in, whose mean stands
 * for the part taken: the error is below the bin's relative width, 10^(1/20) − 1 ≈ 12 %, of that
 * bin's share of the tail, and none when the boundary falls between bins (or in the zeros).
 */

const BINS_PER_DECADE = 20;
const LOW_DECADE = -2;
const DECADES = 16;
const BINS = BINS_PER_DECADE * DECADES;

/** Plain data (it crosses worker threads by structured clone). */
export interface TailHistogram {
  count: number;
  zeros: number;
  readonly counts: number[];
  readonly sums: number[];
}

/** An empty {@link TailHistogram}. */
export function tailHistogram(): TailHistogram {
  return {
    count: 0,
    zeros: 0,
    counts: new Array<number>(BINS).fill(0),
    sums: new Array<number>(BINS).fill(0),
  };
}

/** Adds a loss `x ≥ 0` (negative values count as 0): bin `⌊20·(log10 x + 2)⌋`, clamped to the range. */
export function tailAdd(h: TailHistogram, x: number): void {
  h.count++;
  if (!(x > 0)) {
    h.zeros++;
    return;
  }
  const b = logBin(x);
  h.counts[b] = (h.counts[b] as number) + 1;
  h.sums[b] = (h.sums[b] as number) + x;
}

/** The log bin of `x > 0`: `⌊20·(log10 x + 2)⌋`, clamped to [0, {@link LOG_BINS} − 1]. */
export function logBin(x: number): number {
  return Math.min(BINS - 1, Math.max(0, Math.floor(BINS_PER_DECADE * (Math.log10(x) - LOW_DECADE))));
}

/** Number of log bins. */
export const LOG_BINS = BINS;

/** Lower edge of log bin `i`, `10^(i/20 − 2)` (bin i covers [edge(i), edge(i + 1))). */
export function logBinEdge(i: number): number {
  return 10 ** (i / BINS_PER_DECADE + LOW_DECADE);
}

/** One non-empty bin of a {@link TailHistogram}: its edges, count and the sum of its losses. */
export interface TailBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly sum: number;
}

/** The non-empty bins of `h`, ascending (the zeros are `h.zeros`): what a chart of the distribution draws. */
export function tailBins(h: TailHistogram): TailBin[] {
  const bins: TailBin[] = [];
  for (let i = 0; i < BINS; i++) {
    const count = h.counts[i] as number;
    if (count > 0)
      bins.push({ lower: logBinEdge(i), upper: logBinEdge(i + 1), count, sum: h.sums[i] as number });
  }
  return bins;
}

/** Adds `b` into `a` (exact counts; sums in a fixed order). */
export function tailMerge(a: TailHistogram, b: TailHistogram): void {
  a.count += b.count;
  a.zeros += b.zeros;
  for (let i = 0; i < BINS; i++) {
    a.counts[i] = (a.counts[i] as number) + (b.counts[i] as number);
    a.sums[i] = (a.sums[i] as number) + (b.sums[i] as number);
  }
}

/**
 * Expected shortfall at `level` (0.99: the mean of the worst 1 % of losses), `ES = (1/k)·Σ` of the
 * k = (1 − level)·n largest losses (Acerbi & Tasche, "On the coherence of expected shortfall",
 * J. Banking & Finance 26, 2002, for the fractional k): whole bins from the top, then the
 * boundary bin's mean for the fraction still needed. NaN without observations.
 */
export function tailExpectedShortfall(h: TailHistogram, level: number): number {
  if (h.count === 0) return Number.NaN;
  const k = (1 - level) * h.count;
  let need = k;
  let total = 0;
  for (let i = BINS - 1; i >= 0 && need > 0; i--) {
    const c = h.counts[i] as number;
    if (c === 0) continue;
    const take = Math.min(c, need);
    total += ((h.sums[i] as number) / c) * take;
    need -= take;
  }
  return total / k;
}

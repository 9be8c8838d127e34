/**
 * Gaps in a candle series: bars missing between consecutive bar times. A return taken across a gap
 * is not a one-bar return (a 400-day gap counted as one daily return dominates every moment of the
 * sample), so the workflows that turn closes into returns (`var`, `backtest-var`, `trader`) report
 * the gaps they see and, above a threshold, keep the longest stretch without such a gap, saying so.
 * Works on loaded series of any source (the loaders are in `candles.ts`).
 */
import { InputError } from "../errors.js";
import type { CandleSeries } from "./candles.js";

/** One gap: the bars on either side and how many bars are missing between them. */
export interface DataGap {
  /** Open time of the last bar before the gap (ISO 8601, UTC). */
  readonly after: string;
  /** Open time of the first bar after it. */
  readonly before: string;
  /** Bars missing: round(spacing / bar) − 1. */
  readonly missingBars: number;
}

/** The gaps of a series and what a workflow did about them. */
export interface GapReport {
  /** Bar length inferred as the median spacing of consecutive bar times, ms. */
  readonly barMs: number;
  /** Number of gaps (a spacing of more than 1.5 bars). */
  readonly count: number;
  /** Bars missing in all gaps. */
  readonly missingBars: number;
  /** The largest gaps, largest first (at most {@link LISTED_GAPS}). */
  readonly largest: readonly DataGap[];
  /** Gaps of more bars than this split the series (the workflow's `maxGapBars`). */
  readonly maxGapBars: number;
  /**
   * When a gap above `maxGapBars` was found: the first and last bar of the stretch kept (the longest
   * without such a gap) and the bars left out; null when the whole series was used.
   */
  readonly kept: { readonly from: string; readonly to: string; readonly barsDropped: number } | null;
}

/** How many gaps a report lists. */
const LISTED_GAPS = 5;

/** A spacing above this many bars is a gap (absorbs clock jitter in recorded bar times). */
const GAP_FACTOR = 1.5;

/** Default `maxGapBars`: a gap of more than a day of hourly bars (or 24 daily bars) splits the series. */
export const DEFAULT_MAX_GAP_BARS = 24;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The median of the spacings of consecutive `time` values (0 for fewer than two). */
export function medianSpacing(time: ArrayLike<number>): number {
  const n = time.length;
  if (n < 2) return 0;
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = (time[i] as number) - (time[i - 1] as number);
  d.sort();
  const m = (n - 1) >> 1;
  return (n - 1) % 2 === 1 ? (d[m] as number) : 0.5 * ((d[m - 1] as number) + (d[m] as number));
}

/** Missing bars between bars `i − 1` and `i` at bar length `barMs` (0 when they are adjacent). */
function missingAt(time: ArrayLike<number>, i: number, barMs: number): number {
  const spacing = (time[i] as number) - (time[i - 1] as number);
  return spacing > GAP_FACTOR * barMs ? Math.round(spacing / barMs) - 1 : 0;
}

/**
 * The gaps of a series whose bar length is the median spacing of its bar times, and the longest
 * stretch of bars `[start, end)` in which no gap exceeds `maxGapBars` (ties: the latest, the most
 * recent data). A series without such a gap is kept whole (`kept: null`). Linear in the bars.
 *
 * @example daily bars on days 0, 1, 2, 403, 404 with maxGapBars 24: one gap of 400 missing bars;
 *   the stretch kept is days 0–2 (3 bars, the longer one).
 */
export function findGaps(
  time: ArrayLike<number>,
  maxGapBars = DEFAULT_MAX_GAP_BARS,
): { report: GapReport; start: number; end: number } {
  if (!(Number.isInteger(maxGapBars) && maxGapBars >= 0))
    throw new InputError(
      "--max-gap",
      maxGapBars,
      "must be a whole number of bars ≥ 0",
      "Pass e.g. --max-gap 24.",
    );
  const n = time.length;
  const barMs = medianSpacing(time);
  const gaps: { i: number; missing: number }[] = [];
  let missingBars = 0;
  let best = { start: 0, end: n };
  let start = 0;
  let longest = -1;
  for (let i = 1; i <= n; i++) {
    const missing = i < n && barMs > 0 ? missingAt(time, i, barMs) : 0;
    if (missing > 0) {
      gaps.push({ i, missing });
      missingBars += missing;
    }
    if (i === n || missing > maxGapBars) {
      if (i - start >= longest) {
        longest = i - start;
        best = { start, end: i };
      }
      start = i;
    }
  }
  const split = best.end - best.start < n;
  const largest = gaps
    .sort((a, b) => b.missing - a.missing || a.i - b.i)
    .slice(0, LISTED_GAPS)
    .map(({ i, missing }) => ({
      after: iso(time[i - 1] as number),
      before: iso(time[i] as number),
      missingBars: missing,
    }));
  return {
    report: {
      barMs,
      count: gaps.length,
      missingBars,
      largest,
      maxGapBars,
      kept: split
        ? {
            from: iso(time[best.start] as number),
            to: iso(time[best.end - 1] as number),
            barsDropped: n - (best.end - best.start),
          }
        : null,
    },
    start: best.start,
    end: best.end,
  };
}

/** Bars `[start, end)` of a series, sharing its arrays. */
export function sliceSeries(s: CandleSeries, start: number, end: number): CandleSeries {
  return {
    symbol: s.symbol,
    intervalMs: s.intervalMs,
    time: s.time.subarray(start, end),
    open: s.open.subarray(start, end),
    high: s.high.subarray(start, end),
    low: s.low.subarray(start, end),
    close: s.close.subarray(start, end),
    volume: s.volume.subarray(start, end),
  };
}

/**
 * The series a workflow computes on, and its {@link GapReport}: the whole series when no gap exceeds
 * `maxGapBars`, else the longest stretch without one ({@link findGaps}).
 */
export function withoutLargeGaps(
  s: CandleSeries,
  maxGapBars = DEFAULT_MAX_GAP_BARS,
): { series: CandleSeries; gaps: GapReport } {
  const { report, start, end } = findGaps(s.time, maxGapBars);
  return { series: report.kept === null ? s : sliceSeries(s, start, end), gaps: report };
}

/** One line for a CLI: the gaps seen and the stretch kept; null when the series has no gap. */
export function gapWarning(g: GapReport): string | null {
  if (g.count === 0) return null;
  const worst = g.largest[0] as DataGap;
  const seen = `${g.count} gap${g.count === 1 ? "" : "s"} in the bars (${g.missingBars} missing; largest ${worst.missingBars} after ${worst.after})`;
  return g.kept === null
    ? `${seen}; none above --max-gap ${g.maxGapBars}, so returns across them count as one bar`
    : `${seen}; using the longest stretch without a gap above --max-gap ${g.maxGapBars}: ${g.kept.from} → ${g.kept.to} (${g.kept.barsDropped} bars left out)`;
}

/**
 * Decimation of long series for drawing: per pixel column keep the first, lowest, highest and last
 * point (the M4 aggregation of Jugel et al., "M4: A Visualization-Oriented Time Series Data
 * Aggregation", PVLDB 7(10), 2014). A line through the kept points covers the same pixels as the
 * line through all points, so spikes survive while the SVG stays small (≤ 4 points per column).
 */
import type { NumericArray } from "./types.js";

/** Marks a break in the line (a NaN or non-finite point) in the output of {@link decimateMinMax}. */
export const GAP = -1;

/**
 * Indices of the points to draw, in input order, with {@link GAP} where the line must break.
 * `column(i)` gives point i's pixel column; a point whose x or y is not finite is a gap. Consecutive
 * points in one column (a run) contribute first, min-y, max-y and last, without duplicates. Gaps
 * are collapsed (never two in a row, none at the start or end).
 *
 * Cost: one pass, O(n) time, output ≤ 4 × (number of runs) + gaps.
 */
export function decimateMinMax(
  x: NumericArray,
  y: NumericArray,
  column: (xValue: number) => number,
): Int32Array {
  const n = Math.min(x.length, y.length);
  const out = new Int32Array(n + 1);
  let size = 0;
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  let current = Number.NaN;
  const flush = (): void => {
    if (first < 0) return;
    // Emit the run's first, extremes and last in index order, each once.
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    out[size++] = first;
    if (a !== first) out[size++] = a;
    if (b !== a && b !== first) out[size++] = b;
    if (last !== b && last !== a && last !== first) out[size++] = last;
    first = -1;
  };
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    if (!(Number.isFinite(xi) && Number.isFinite(yi))) {
      flush();
      if (size > 0 && out[size - 1] !== GAP) out[size++] = GAP;
      continue;
    }
    const c = column(xi);
    if (first >= 0 && c !== current) flush();
    if (first < 0) {
      first = i;
      lo = i;
      hi = i;
      current = c;
    } else {
      if (yi < (y[lo] as number)) lo = i;
      if (yi > (y[hi] as number)) hi = i;
    }
    last = i;
  }
  flush();
  if (size > 0 && out[size - 1] === GAP) size--;
  return out.slice(0, size);
}

/**
 * The values of a sliding window kept in ascending order as the window moves, for rolling order
 * statistics (quantiles, tail means) without sorting every window anew.
 */

/**
 * An ascending `Float64Array` of a window's values, updated when one value leaves and another
 * enters: a binary search finds the leaving value, a second one the entering value's place, and
 * one `copyWithin` shifts the entries between the two places by one slot — O(log n) comparisons
 * and a move of at most n values, against O(n log n) to sort a copy.
 *
 * The order is exactly that of `Float64Array.prototype.sort` (ECMA-262 §23.2.3.29
 * `CompareTypedArrayElements`: numeric, with −0 before +0), so after any sequence of updates
 * {@link sorted} is bit for bit the sorted copy of the window. NaN is not allowed.
 *
 * @example const w = new SortedWindow([3, 1, 2]); w.replace(3, 0); w.sorted // [0, 1, 2]
 */
export class SortedWindow {
  /** The window's values in ascending order (read it, do not write it). */
  readonly sorted: Float64Array;

  constructor(values: ArrayLike<number>) {
    this.sorted = Float64Array.from(values).sort();
  }

  /**
   * Removes one entry equal to `leaving` (which must be in the window, −0 and +0 told apart) and
   * inserts `entering`, keeping the order.
   */
  replace(leaving: number, entering: number): void {
    const a = this.sorted;
    const i = this.lowerBound(leaving);
    if (i === a.length || !Object.is(a[i], leaving)) {
      throw new RangeError(`SortedWindow.replace: ${leaving} is not in the window.`);
    }
    if (precedes(leaving, entering)) {
      // Entries in (i, p) move down one slot; `entering` goes just below the first entry ≥ it.
      const p = this.lowerBound(entering);
      a.copyWithin(i, i + 1, p);
      a[p - 1] = entering;
    } else {
      // Entries in [p, i) move up one slot.
      const p = this.lowerBound(entering);
      a.copyWithin(p + 1, p, i);
      a[p] = entering;
    }
  }

  /**
   * The first index whose entry does not precede `x` (the array's length if all do): a binary
   * search without branches on the data (the comparison becomes a mask on the step), several times
   * faster than the branching form when the probes are unpredictable, as they are here.
   */
  private lowerBound(x: number): number {
    const a = this.sorted;
    let base = 0;
    let len = a.length;
    while (len > 1) {
      const half = len >>> 1;
      base += half & -((a[base + half - 1] as number) < x);
      len -= half;
    }
    base += +((a[base] as number) < x);
    // Numeric < puts −0 and +0 together; +0 comes after every −0.
    if (x === 0 && !Object.is(x, -0)) {
      while (base < a.length && Object.is(a[base], -0)) base++;
    }
    return base;
  }
}

/** `x` strictly before `y` in the typed-array sort order (−0 before +0). */
function precedes(x: number, y: number): boolean {
  return x < y || (x === 0 && y === 0 && Object.is(x, -0) && !Object.is(y, -0));
}

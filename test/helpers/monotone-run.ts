/** A quadratic reference for the loaders' out-of-order policy (`misplacedRows`, O(n log n)). */

/**
 * Length of the longest run of `xs` (a subsequence in order) that never goes down, or never goes
 * up when `descending`: the textbook O(n²) dynamic programme over the run's last element.
 */
export function longestMonotoneRun(xs: readonly number[], descending: boolean): number {
  const best = xs.map(() => 1);
  xs.forEach((x, i) => {
    for (let j = 0; j < i; j++) {
      const y = xs[j] as number;
      if (descending ? y >= x : y <= x) best[i] = Math.max(best[i] as number, (best[j] as number) + 1);
    }
  });
  return Math.max(0, ...best);
}

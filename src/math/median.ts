/**
 * Medians used by the venues' price rules: the median of three inputs (Binance's and Hyperliquid's
 * mark prices) and the weighted median (Hyperliquid's oracle over exchange prices).
 */
import { InputError } from "../errors.js";

/**
 * Median of three numbers: `max(min(a, b), min(max(a, b), c))`, the middle value in any order
 * (Binance's mark-price FAQ: "If Price 1 < Price 2 < Contract Price, then take Price 2"). A NaN
 * input gives NaN.
 */
export function median3(a: number, b: number, c: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c)) return Number.NaN;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/**
 * Weighted median of `values` with positive `weights`: sorted ascending, the value at which the
 * cumulative weight first reaches half the total weight W; when it reaches exactly W/2 at a value
 * the median is the midpoint of that value and the next (the convention of the unweighted median
 * of an even count, to which it reduces when all weights are equal). Entries with a NaN value are
 * skipped (an exchange with no price); NaN when none is left.
 *
 * @example Values 10, 20, 30 with weights 3, 2, 2 (W = 7): cumulative 3, 5 ≥ 3.5 → 20. Weights
 * 1, 1 on 10 and 20: cumulative 1 = W/2 → (10 + 20)/2 = 15.
 */
export function weightedMedian(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  if (values.length !== weights.length) {
    throw new InputError(
      "weights",
      weights.length,
      `must have one weight per value (${values.length} values)`,
      "Pass as many weights as values.",
    );
  }
  const order: number[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i] as number;
    if (!(Number.isFinite(w) && w > 0)) {
      throw new InputError(`weights[${i}]`, w, "must be a positive finite number", "Pass positive weights.");
    }
    if (Number.isNaN(values[i] as number)) continue;
    order.push(i);
    total += w;
  }
  if (order.length === 0) return Number.NaN;
  order.sort((i, j) => (values[i] as number) - (values[j] as number));
  const half = total / 2;
  let cumulative = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    cumulative += weights[i] as number;
    if (cumulative > half) return values[i] as number;
    if (cumulative === half) return ((values[i] as number) + (values[order[k + 1] as number] as number)) / 2;
  }
  return values[order[order.length - 1] as number] as number;
}

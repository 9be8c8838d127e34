/**
 * What the time-series loaders (candles, funding) share: the explicit policies for bad, repeated
 * and misplaced rows, which rows break the source's order, and one row per time.
 */
import { readChoice } from "../validate.js";

/** The earliest plausible market time: 2009-01-03, the day of the first bitcoin block (genesis block header). */
const EARLIEST_MARKET_TIME_MS = Date.UTC(2009, 0, 3);
/** How far ahead of the clock a market time may be: one day (clock skew, a settlement announced ahead). */
const FUTURE_SLACK_MS = 86_400_000;

/**
 * Why `timeMs` (epoch ms) cannot be a market time, or `undefined` when it can: it must lie between
 * 2009-01-03 (the first bitcoin block) and one day after `nowMs`. A time in seconds or microseconds
 * read as milliseconds lands in 1970 or near the year 33706 and is caught here, so the message says
 * the unit may be wrong. The one check of every market-data loader.
 */
export function implausibleTimeProblem(timeMs: number, nowMs = Date.now()): string | undefined {
  if (timeMs >= EARLIEST_MARKET_TIME_MS && timeMs <= nowMs + FUTURE_SLACK_MS) return undefined;
  const date = new Date(timeMs);
  const when = Number.isNaN(date.getTime()) ? "not a date" : date.toISOString();
  return (
    `time ${timeMs} (${when}) is outside 2009-01-03 to one day from now; ` +
    "the unit may be wrong: times are epoch milliseconds, not seconds or microseconds"
  );
}

/** Index of the first of ascending `times` at or after `timeMs` (`times.length` when none is): a binary search. */
export function firstIndexAtOrAfter(times: Float64Array, timeMs: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What happens to a row with an invalid value. */
export type BadRowPolicy = "error" | "drop-and-report";
/** Which row survives when several rows carry the same time (`first`/`last` in source order). */
export type DuplicatePolicy = "keep-first" | "keep-last" | "error";
/** What happens to rows that break the source's time order. */
export type OutOfOrderPolicy = "sort-and-report" | "error";

/** The three policies, read from a loader's options with the loader's defaults. */
export function readRowPolicies(
  options: {
    readonly onBadRow?: BadRowPolicy;
    readonly onDuplicate?: DuplicatePolicy;
    readonly onOutOfOrder?: OutOfOrderPolicy;
  },
  duplicateDefault: DuplicatePolicy,
): { onBadRow: BadRowPolicy; onDuplicate: DuplicatePolicy; onOutOfOrder: OutOfOrderPolicy } {
  return {
    onBadRow: readChoice(options.onBadRow ?? "error", "onBadRow", ["error", "drop-and-report"] as const),
    onDuplicate: readChoice(options.onDuplicate ?? duplicateDefault, "onDuplicate", [
      "keep-first",
      "keep-last",
      "error",
    ] as const),
    onOutOfOrder: readChoice(options.onOutOfOrder ?? "sort-and-report", "onOutOfOrder", [
      "sort-and-report",
      "error",
    ] as const),
  };
}

/**
 * Rows outside one longest run of `times` that is monotone in the source's direction (ties
 * allowed, they are duplicates): the fewest rows whose removal leaves the source in order, marked 1
 * in the result. Patience sorting with predecessor links, O(n log n), after an O(n) check that
 * returns at once when the source is in order (no row misplaced); scanning from the last row back
 * keeps, among equally long runs, the one with the earlier rows, so a row that jumps back is the
 * one reported.
 */
export function misplacedRows(times: ArrayLike<number>, descending: boolean): Uint8Array {
  const n = times.length;
  const key = (i: number) => (descending ? (times[i] as number) : -(times[i] as number));
  let inOrder = true;
  for (let i = 1; i < n && inOrder; i++) inOrder = key(i) <= key(i - 1);
  const misplaced = new Uint8Array(n);
  if (inOrder) return misplaced;
  const tails = new Int32Array(n);
  let runs = 0;
  const previous = new Int32Array(n).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    let lo = 0;
    let hi = runs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(tails[mid] as number) <= key(i)) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
    if (lo === runs) runs++;
  }
  misplaced.fill(1);
  for (let i = runs > 0 ? (tails[runs - 1] as number) : -1; i >= 0; i = previous[i] as number)
    misplaced[i] = 0;
  return misplaced;
}

/**
 * The rows to keep, one per time, as indices into `times` in ascending time: equal times keep
 * source (index) order, so `keep-first` and `keep-last` mean first and last in the source.
 * `repeated(first, second)` is called (and must throw) under `error` with the first two indices of
 * a repeated time; `dropped(index, kept)` reports each index left out, in source order within its
 * time. Sorts indices (a stable sort by time, then index) only when `times` is out of order, and
 * writes the result over them: no allocation beyond one `Int32Array` of the rows.
 */
export function onePerTime(
  times: ArrayLike<number>,
  policy: DuplicatePolicy,
  repeated: (first: number, second: number) => never,
  dropped: (index: number, kept: number) => void,
): Int32Array {
  const n = times.length;
  const order = new Int32Array(n);
  let ascending = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && (times[i] as number) < (times[i - 1] as number)) ascending = false;
  }
  if (!ascending) order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  let kept = 0;
  for (let i = 0; i < n; ) {
    const time = times[order[i] as number] as number;
    let j = i + 1;
    while (j < n && times[order[j] as number] === time) j++;
    if (j - i > 1 && policy === "error") repeated(order[i] as number, order[i + 1] as number);
    const keep = order[policy === "keep-last" ? j - 1 : i] as number;
    for (let g = i; g < j; g++) if (order[g] !== keep) dropped(order[g] as number, keep);
    order[kept++] = keep;
    i = j;
  }
  return order.subarray(0, kept);
}

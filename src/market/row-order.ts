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
 * Rows outside one longest run that is monotone in the source's direction (ties allowed, they are
 * duplicates): the fewest rows whose removal leaves the source in order. Patience sorting with
 * predecessor links, O(n log n); scanning from the last row back keeps, among equally long runs,
 * the one with the earlier rows, so a row that jumps back is the one reported.
 */
export function misplacedRows(times: readonly number[], descending: boolean): boolean[] {
  const n = times.length;
  const key = (i: number) => (descending ? (times[i] as number) : -(times[i] as number));
  const tails: number[] = [];
  const previous = new Int32Array(n).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(tails[mid] as number) <= key(i)) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const misplaced = new Array<boolean>(n).fill(true);
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = previous[i] as number) misplaced[i] = false;
  return misplaced;
}

/**
 * The rows in ascending time, one per time: equal times keep source order, so `keep-first` and
 * `keep-last` mean first and last in the source. `repeated(first, second)` is called (and must
 * throw) under `error`; `dropped(row, kept)` reports each row left out.
 */
export function onePerTime<R>(
  rows: readonly R[],
  timeOf: (r: R) => number,
  policy: DuplicatePolicy,
  repeated: (first: R, second: R) => never,
  dropped: (row: R, kept: R) => void,
): R[] {
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => timeOf(a.r) - timeOf(b.r) || a.i - b.i)
    .map((x) => x.r);
  const kept: R[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && timeOf(sorted[j] as R) === timeOf(sorted[i] as R)) j++;
    const group = sorted.slice(i, j);
    if (group.length > 1 && policy === "error") repeated(group[0] as R, group[1] as R);
    const keep = (policy === "keep-last" ? group[group.length - 1] : group[0]) as R;
    for (const r of group) if (r !== keep) dropped(r, keep);
    kept.push(keep);
    i = j;
  }
  return kept;
}

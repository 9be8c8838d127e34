/**
 * The row numbers of a source's rows (the line of each CSV record, the index of each JSON entry),
 * held as runs: they mostly count up by one, so a file of a million lines takes a few values
 * instead of a million.
 */
import { ColumnStore } from "./columns.js";

/** Field of a run in the store: the index of its first row, and that row's number. */
const START = 0;
const FIRST = 1;

/**
 * Row numbers appended in order and read back by index: a run of numbers that each exceed the
 * previous by one is stored as its start index and first number (16 bytes a run), so that the
 * line numbers of a file without blank lines or multi-line records cost 16 bytes in all; a lookup
 * is a binary search over the runs.
 *
 * @example const r = new RowNumbers(); for (const n of [2, 3, 4, 7, 8]) r.push(n); r.at(3) // 7 (two runs)
 */
export class RowNumbers {
  private readonly runs = new ColumnStore(2, 16);
  private count = 0;
  /** The number the next row has when it continues the last run. */
  private next = Number.NaN;

  /** Rows appended so far. */
  get length(): number {
    return this.count;
  }

  /** Appends the number of the next row. */
  push(row: number): void {
    if (row !== this.next) this.runs.push([this.count, row]);
    this.next = row + 1;
    this.count++;
  }

  /** The number of row `index` (0-based, below {@link length}). */
  at(index: number): number {
    if (!(Number.isInteger(index) && index >= 0 && index < this.count)) {
      throw new RangeError(`RowNumbers.at: index ${index} is outside 0 to ${this.count - 1}.`);
    }
    const starts = this.runs.column(START);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return (this.runs.column(FIRST)[lo] as number) + index - (starts[lo] as number);
  }
}

/**
 * A growable store of rows of float64 fields, held column-wise: what the time-series loaders keep
 * of a file's rows while they read it, eight bytes a value instead of an object per row.
 */

/** Rows a store holds before it first grows, when no capacity is given. */
const DEFAULT_CAPACITY = 1024;

/** Factor by which a full store grows. */
const GROWTH = 1.5;

/**
 * Rows of `fields` float64 values appended one at a time, held as one `Float64Array` per field.
 * A full store grows by half (each field copied into an array 1.5 times as long), so a caller that
 * knows about how many rows are coming passes that as the capacity and the store never copies;
 * {@link column} is a view of a field's values, not a copy, so that a large file's columns become
 * its series without a second copy in memory.
 *
 * @example const s = new ColumnStore(2); s.push([1, 10]); s.push([2, 20]); s.column(1) // Float64Array [10, 20]
 */
export class ColumnStore {
  private columns: Float64Array[];
  private rows = 0;

  /**
   * @param fields values per row.
   * @param capacity rows held before the store first grows (default 1,024).
   */
  constructor(
    readonly fields: number,
    capacity = DEFAULT_CAPACITY,
  ) {
    if (!(Number.isInteger(fields) && fields > 0 && Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(
        `ColumnStore: fields ${fields} and capacity ${capacity} must be whole numbers > 0.`,
      );
    }
    this.columns = Array.from({ length: fields }, () => new Float64Array(capacity));
  }

  /** Rows appended so far. */
  get length(): number {
    return this.rows;
  }

  /** Rows the store holds before it grows. */
  get capacity(): number {
    return (this.columns[0] as Float64Array).length;
  }

  /** Appends one row: `values[k]` is field `k` (a missing value is stored as `NaN`). */
  push(values: ArrayLike<number>): void {
    if (this.rows === this.capacity) {
      const capacity = Math.ceil(this.capacity * GROWTH);
      this.columns = this.columns.map((old) => {
        const grown = new Float64Array(capacity);
        grown.set(old);
        return grown;
      });
    }
    for (let k = 0; k < this.fields; k++)
      (this.columns[k] as Float64Array)[this.rows] = values[k] ?? Number.NaN;
    this.rows++;
  }

  /**
   * Field `field` of every row, in the order appended: a view (`subarray`) of the store's array,
   * valid until the next {@link push} (which may move the values to a larger array).
   */
  column(field: number): Float64Array {
    const values = this.columns[field];
    if (values === undefined) throw new RangeError(`ColumnStore.column: the store has no field ${field}.`);
    return values.subarray(0, this.rows);
  }
}

/**
 * `values[indices[i]]` for each `i`, as a new array; `values` itself when `indices` is every index
 * in order (`0, 1, …, values.length − 1`), so that a file kept whole and in order costs no copy.
 */
export function gather(values: Float64Array, indices: ArrayLike<number>): Float64Array {
  let whole = indices.length === values.length;
  for (let i = 0; i < indices.length && whole; i++) whole = indices[i] === i;
  if (whole) return values;
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
}

/**
 * The loaders' row storage: the growable column store (growth keeps every value, a column is a
 * view of exactly the rows appended), `gather` (no copy for every index in order), and row numbers
 * held as runs, each checked against a plain array of the same rows.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ColumnStore, gather } from "../../src/market/columns.js";
import { RowNumbers } from "../../src/market/row-numbers.js";

describe("ColumnStore", () => {
  it("keeps every row across growth, each column a view of exactly the rows appended", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.array(fc.double(), { minLength: 5, maxLength: 5 }), { maxLength: 60 }),
        (fields, capacity, rows) => {
          const store = new ColumnStore(fields, capacity);
          for (const row of rows) store.push(row);
          assert.equal(store.length, rows.length);
          assert.ok(store.capacity >= rows.length);
          for (let k = 0; k < fields; k++)
            assert.deepEqual(
              [...store.column(k)],
              rows.map((r) => r[k]),
            );
        },
      ),
    );
  });

  it("grows by half when full, and stores a missing value as NaN", () => {
    const store = new ColumnStore(2, 4);
    for (let i = 0; i < 4; i++) store.push([i, 10 * i]);
    assert.equal(store.capacity, 4);
    store.push([4]);
    assert.equal(store.capacity, 6);
    assert.deepEqual([...store.column(0)], [0, 1, 2, 3, 4]);
    assert.deepEqual([...store.column(1)], [0, 10, 20, 30, Number.NaN]);
  });

  it("refuses a shape that is not whole numbers > 0 and a field it does not have", () => {
    assert.throws(() => new ColumnStore(0), RangeError);
    assert.throws(() => new ColumnStore(2, 0.5), RangeError);
    assert.throws(() => new ColumnStore(2).column(2), RangeError);
  });
});

describe("gather", () => {
  it("picks values by index, and returns the array itself for every index in order", () => {
    const values = Float64Array.of(5, 6, 7);
    assert.equal(gather(values, Int32Array.of(0, 1, 2)), values);
    assert.deepEqual([...gather(values, Int32Array.of(2, 0))], [7, 5]);
    assert.notEqual(gather(values, Int32Array.of(0, 2, 1)), values);
    assert.deepEqual([...gather(values, new Int32Array(0))], []);
  });
});

describe("RowNumbers", () => {
  it("reads back every row number pushed, whatever the jumps between them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(1), fc.integer({ min: -3, max: 50 })), { maxLength: 80 }),
        (steps) => {
          const rows: number[] = [];
          let row = 1;
          for (const step of steps) {
            row += step;
            rows.push(row);
          }
          const numbers = new RowNumbers();
          for (const r of rows) numbers.push(r);
          assert.equal(numbers.length, rows.length);
          assert.deepEqual(
            rows.map((_, i) => numbers.at(i)),
            rows,
          );
        },
      ),
    );
  });

  it("refuses an index outside the rows", () => {
    const numbers = new RowNumbers();
    numbers.push(2);
    assert.equal(numbers.at(0), 2);
    assert.throws(() => numbers.at(1), RangeError);
    assert.throws(() => numbers.at(-1), RangeError);
  });
});

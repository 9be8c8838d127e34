/**
 * renderTable draws one-line tables itself (linear in the rows; cli-table3's layout is quadratic:
 * 38 s for a 10,000-position liq-price table): the result must be cli-table3's, character for
 * character, for every table it draws itself; multi-line cells and fixed widths still go to cli-table3.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Table from "cli-table3";
import fc from "fast-check";
import { renderTable } from "../../src/cli/io.js";

function reference(head: string[], rows: string[][], rightAlign: number[]): string {
  const width = head.length > 0 ? head.length : (rows[0]?.length ?? 0);
  const table = new Table({
    head,
    colAligns: Array.from({ length: width }, (_, i) => (rightAlign.includes(i) ? "right" : "left")),
    style: { head: [], border: [] },
  });
  table.push(...rows);
  return table.toString();
}

const cell = fc.stringMatching(/^[ -~σν≤≥∞×—–→·α²]{0,12}$/);

describe("renderTable", () => {
  it("equals cli-table3 on random one-line tables, with and without a head", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((w) =>
            fc.tuple(
              fc.oneof(fc.constant([] as string[]), fc.array(cell, { minLength: w, maxLength: w })),
              fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 6 }),
              fc.subarray(Array.from({ length: w }, (_, i) => i)),
            ),
          ),
        ([head, rows, rightAlign]) => {
          assert.equal(renderTable(head, rows, { rightAlign }), reference(head, rows, rightAlign));
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });
  it("10,000 rows in well under a second", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [String(i), `S${i}USDT`, "61,000.00", "no"]);
    const t0 = performance.now();
    const text = renderTable(["#", "Symbol", "Mark", "Liquidatable"], rows, { rightAlign: [0, 2] });
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(text.split("\n").length, 2 * 10_001 + 1);
  });
});

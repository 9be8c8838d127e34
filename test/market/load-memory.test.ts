/**
 * The memory a candle load holds per row while it reads (issue 10 §6, "stream large files"): the
 * rows are kept as typed columns (eight bytes a value), not as an object per row. Measured in a
 * child process run with `--expose-gc`, so that what is counted is what the loader holds, not
 * garbage not yet collected: the heap and the array buffers after a full collection, once every
 * chunk of a generated 100,000-row file has been handed to the loader, against the same before
 * its first row. The text itself is made chunk by chunk and never held whole.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROWS = 100_000;

/**
 * Bytes held per row. Six float64 columns are 48 bytes a row; the store grows by half when full,
 * so up to 72. An object per row (its six numbers in an array, the row number, the list's slot)
 * held about 230 before the columns.
 */
const MAX_BYTES_PER_ROW = 120;

const candles = fileURLToPath(new URL("../../src/market/candles.ts", import.meta.url));

const probe = `
const { parseCandleCsv } = await import(${JSON.stringify(candles)});
const held = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
let before = 0;
let after = 0;
function* chunks() {
  yield "open_time,open,high,low,close,volume\\n";
  before = held();
  let text = "";
  for (let i = 0; i < ${ROWS}; i++) {
    const p = 40000 + (i % 1000);
    text += \`\${Date.UTC(2023, 0, 1) + i * 60000},\${p},\${p + 5},\${p - 5},\${p + 1},\${(i % 50) + 0.5}\\n\`;
    if (text.length > 60000) {
      yield text;
      text = "";
    }
  }
  yield text;
  after = held();
}
const { series } = parseCandleCsv(chunks(), "mem.csv", { symbol: "BTCUSDT" });
console.log(JSON.stringify({ bars: series.time.length, bytesPerRow: (after - before) / ${ROWS} }));
`;

describe("candle load memory", () => {
  it(`holds at most ${MAX_BYTES_PER_ROW} bytes a row while it reads a ${ROWS}-row file`, () => {
    const out = JSON.parse(
      execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", probe], {
        encoding: "utf8",
      }),
    ) as { bars: number; bytesPerRow: number };
    assert.equal(out.bars, ROWS);
    assert.ok(out.bytesPerRow > 0, `measured ${out.bytesPerRow} bytes a row`);
    assert.ok(
      out.bytesPerRow <= MAX_BYTES_PER_ROW,
      `the load held ${out.bytesPerRow.toFixed(0)} bytes a row, above ${MAX_BYTES_PER_ROW}`,
    );
  });
});

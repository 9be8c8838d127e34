/**
 * The candle and funding loaders, which run their row policies on columns and indices, against a
 * straightforward reference on row objects, on random small files with shuffled, repeated, gapped
 * and bad rows: the same series, the same dropped rows, duplicates (with the row kept), gaps and
 * count of reordered rows.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseCandleCsv } from "../../src/market/candles.js";
import { parseFundingCsv } from "../../src/market/funding.js";
import { longestMonotoneRun } from "../helpers/monotone-run.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** One source row: its slot on the time grid, a value that tells repeats apart, and whether it is bad. */
interface Entry {
  readonly slot: number;
  readonly value: number;
  readonly bad: boolean;
  /** Line in the file (the header is line 1). */
  readonly line: number;
}

/** Rows in random order: slots with repeats and holes, one in six of them bad. */
const entriesArb = fc
  .array(
    fc.record({
      slot: fc.integer({ min: 0, max: 14 }),
      value: fc.integer({ min: 1, max: 3 }),
      bad: fc.integer({ min: 0, max: 5 }).map((x) => x === 0),
    }),
    { minLength: 2, maxLength: 30 },
  )
  .map((rows) => rows.map((r, i): Entry => ({ ...r, line: i + 2 })));

/**
 * The reference: bad rows dropped; the rest sorted by slot, stably; one row per slot (first or
 * last in the file); the rows out of order are those outside one longest run in the source's
 * direction (newest-first when more steps go down than up, unless `ascending` is fixed); a gap is
 * a hole between consecutive slots kept.
 */
function reference(entries: readonly Entry[], keepLast: boolean, ascending = false) {
  const good = entries.filter((e) => !e.bad);
  const slots = good.map((e) => e.slot);
  const steps = slots.slice(1).map((s, i) => s - (slots[i] as number));
  const descending = !ascending && steps.filter((d) => d < 0).length > steps.filter((d) => d > 0).length;
  const sorted = [...good].sort((a, b) => a.slot - b.slot);
  const kept: Entry[] = [];
  const duplicates: { line: number; keptLine: number; same: boolean }[] = [];
  for (let i = 0; i < sorted.length; ) {
    const slot = (sorted[i] as Entry).slot;
    const group = sorted.filter((e) => e.slot === slot);
    const keep = (keepLast ? group[group.length - 1] : group[0]) as Entry;
    for (const e of group)
      if (e !== keep) duplicates.push({ line: e.line, keptLine: keep.line, same: e.value === keep.value });
    kept.push(keep);
    i += group.length;
  }
  const gaps = kept.slice(1).flatMap((e, i) => {
    const missing = e.slot - (kept[i] as Entry).slot - 1;
    return missing > 0 ? [{ line: e.line, missing }] : [];
  });
  return {
    kept,
    bad: entries.filter((e) => e.bad).map((e) => e.line),
    duplicates,
    gaps,
    reordered: good.length - longestMonotoneRun(slots, descending),
  };
}

const keepLastArb = fc.boolean();

describe("loaders on columns against a reference on row objects", () => {
  it("candles: the same bars, dropped rows, duplicates, gaps and reordered rows", () => {
    fc.assert(
      fc.property(entriesArb, keepLastArb, (entries, keepLast) => {
        // A bad row has a negative volume; `value` sets the close, so repeats can differ.
        const bar = (e: Entry) => [T0 + e.slot * HOUR, 100, 110, 90, 100 + e.value, e.bad ? -1 : 5];
        const text = ["timestamp,open,high,low,close,volume", ...entries.map((e) => bar(e).join(","))].join(
          "\n",
        );
        const { series, report } = parseCandleCsv(text, "t.csv", {
          symbol: "BTCUSDT",
          intervalMs: HOUR,
          onBadRow: "drop-and-report",
          onDuplicate: keepLast ? "keep-last" : "keep-first",
        });
        const ref = reference(entries, keepLast);
        const keys = ["time", "open", "high", "low", "close", "volume"] as const;
        keys.forEach((key, k) => {
          assert.deepEqual(
            [...series[key]],
            ref.kept.map((e) => bar(e)[k]),
            key,
          );
        });
        const of = (kind: string) => report.anomalies.filter((a) => a.kind === kind);
        assert.deepEqual(
          of("invalid-volume").map((a) => a.row),
          ref.bad,
        );
        assert.deepEqual(
          of("duplicate").map((a) => a.message.match(/row (\d+).*values (\w+)/)?.slice(1)),
          ref.duplicates.map((d) => [String(d.keptLine), d.same ? "identical" : "differ"]),
        );
        assert.deepEqual(
          of("duplicate").map((a) => a.row),
          ref.duplicates.map((d) => d.line),
        );
        assert.deepEqual(
          of("gap").map((a) => [a.row, a.missingBars]),
          ref.gaps.map((g) => [g.line, g.missing]),
        );
        assert.equal(of("out-of-order").length, ref.reordered);
        assert.equal(report.rows, entries.length);
        assert.equal(report.bars, ref.kept.length);
      }),
      { numRuns: 300 },
    );
  });

  it("funding: the same rates, dropped rows, duplicates, gaps and reordered rows", () => {
    fc.assert(
      fc.property(entriesArb, keepLastArb, (entries, keepLast) => {
        // A bad row has no rate; funding runs on an 8-hour grid.
        const row = (e: Entry) => [T0 + e.slot * 8 * HOUR, e.bad ? "" : String(e.value * 1e-4)];
        const text = ["timestamp,funding_rate", ...entries.map((e) => row(e).join(","))].join("\n");
        const { series, report } = parseFundingCsv(text, "f.csv", {
          onBadRow: "drop-and-report",
          onDuplicate: keepLast ? "keep-last" : "keep-first",
        });
        // The funding loader takes every source as oldest-first.
        const ref = reference(entries, keepLast, true);
        assert.deepEqual(
          [...series.time],
          ref.kept.map((e) => row(e)[0]),
        );
        assert.deepEqual(
          [...series.rate],
          ref.kept.map((e) => e.value * 1e-4),
        );
        const of = (kind: string) => report.anomalies.filter((a) => a.kind === kind);
        assert.deepEqual(
          of("invalid-rate").map((a) => a.row),
          ref.bad,
        );
        assert.deepEqual(
          of("duplicate").map((a) => [
            a.row,
            ...(a.message.match(/row (\d+).*values (\w+)/)?.slice(1) ?? []),
          ]),
          ref.duplicates.map((d) => [d.line, String(d.keptLine), d.same ? "identical" : "differ"]),
        );
        assert.deepEqual(
          of("gap").map((a) => [a.row, a.missingRows]),
          ref.gaps.map((g) => [g.line, g.missing]),
        );
        assert.equal(of("out-of-order").length, ref.reordered);
        assert.equal(report.kept, ref.kept.length);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Binance bookDepth loader (src/market/book-depth.ts) on the bundled 2025-10-10 BTCUSDT file and on
 * small hand-written files. Facts from shared/data/CRASHES.md (copied in data/PROVENANCE.md):
 * 28,790 rows = 2,879 snapshots × 10 bands, 00:00:07 → 23:59:30 UTC, largest step 60 s, the first
 * snapshot's values as listed, 969 snapshots with the bid average above the ask average from
 * 15:30:42.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseBookDepthCsv, readBookDepthFile } from "../../src/market/book-depth.js";
import { bundledDataset, bundledPath } from "../../src/market/bundled.js";
import { inspectFile } from "../../src/market/inspect.js";
import { rejection } from "../helpers/rejection.js";

const HEADER = "timestamp,percentage,depth,notional";
/** One snapshot's ten rows at `time`, band k holding k·10 base at 100 quote each. */
const snapshot = (time: string, skip?: number) =>
  [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5]
    .filter((p) => p !== skip)
    .map((p) => `${time},${p},${Math.abs(p) * 10},${Math.abs(p) * 1000 * (p < 0 ? 1 : 1.01)}`)
    .join("\n");

describe("readBookDepthFile on the bundled 2025-10-10 file", () => {
  const dataset = bundledDataset("btc-bookdepth-2025-10-10");
  assert.ok(dataset !== undefined);
  const { snapshots, report } = readBookDepthFile(bundledPath(dataset.path));

  it("keeps every snapshot with its bands, in ascending time", () => {
    assert.equal(report.rows, 28_790);
    assert.equal(snapshots.time.length, 2879);
    assert.deepEqual(snapshots.bands, [1, 2, 3, 4, 5]);
    assert.equal(snapshots.time[0], Date.UTC(2025, 9, 10, 0, 0, 7));
    assert.equal(snapshots.time[2878], Date.UTC(2025, 9, 10, 23, 59, 30));
    assert.equal(report.intervalMs >= 25_000 && report.intervalMs <= 35_000, true);
  });

  it("reads the first snapshot's cumulative values as the file has them", () => {
    assert.equal(snapshots.bidNotional[4]?.[0], 979983314.2056);
    assert.equal(snapshots.bidDepth[0]?.[0], 1496.75);
    assert.equal(snapshots.askNotional[0]?.[0], 239906922.6169);
    assert.equal(snapshots.askDepth[4]?.[0], 6182.925);
  });

  it("reports the 969 crossed snapshots from 15:30:42 and no gap (largest step 60 s)", () => {
    const crossed = report.anomalies.filter((a) => a.kind === "crossed-bands");
    assert.equal(crossed.length, 969);
    assert.equal(crossed[0]?.timeMs, Date.UTC(2025, 9, 10, 15, 30, 42));
    assert.equal(report.anomalies.filter((a) => a.kind === "gap").length, 0);
  });
});

describe("parseBookDepthCsv", () => {
  it("accepts the timestamp_utc header and epoch-ms times", () => {
    const text = `timestamp_utc,percentage,depth,notional\n${snapshot("1760054407000")}\n${snapshot("1760054437000")}`;
    const { snapshots } = parseBookDepthCsv(text, "x.csv");
    assert.deepEqual([...snapshots.time], [1760054407000, 1760054437000]);
    assert.equal(snapshots.askNotional[1]?.[1], 2020);
  });

  it("refuses a missing column, a bad value and a time that goes back, naming the row", () => {
    assert.match(
      rejection(() => parseBookDepthCsv("timestamp,percentage,depth\n", "x.csv")).message,
      /notional/,
    );
    const bad = `${HEADER}\n${snapshot("2025-10-10 00:00:07").replace("-3,30,", "-3,-30,")}`;
    assert.match(rejection(() => parseBookDepthCsv(bad, "x.csv")).field, /row 4, column depth/);
    const back = `${HEADER}\n${snapshot("2025-10-10 00:00:37")}\n${snapshot("2025-10-10 00:00:07")}`;
    assert.match(rejection(() => parseBookDepthCsv(back, "x.csv")).message, /goes back in time/);
  });

  it("refuses a snapshot missing a band, or drops and reports it under drop-and-report", () => {
    const text = `${HEADER}\n${snapshot("2025-10-10 00:00:07", 2)}\n${snapshot("2025-10-10 00:00:37")}`;
    assert.match(rejection(() => parseBookDepthCsv(text, "x.csv")).message, /lacks band 2/);
    const { snapshots, report } = parseBookDepthCsv(text, "x.csv", { onBadRow: "drop-and-report" });
    assert.equal(snapshots.time.length, 1);
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row, a.action]),
      [["incomplete-snapshot", 2, "dropped"]],
    );
  });

  it("drops a snapshot with a bad value under drop-and-report, reporting the value only", () => {
    const bad = snapshot("2025-10-10 00:00:07").replace("-3,30,", "-3,x,");
    const text = `${HEADER}\n${bad}\n${snapshot("2025-10-10 00:00:37")}`;
    const { snapshots, report } = parseBookDepthCsv(text, "x.csv", { onBadRow: "drop-and-report" });
    assert.deepEqual([...snapshots.time], [Date.UTC(2025, 9, 10, 0, 0, 37)]);
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row, a.action]),
      [["bad-value", 4, "dropped"]],
    );
  });

  it("gives back every value of any well-formed file (property)", () => {
    const band = fc.record({
      depth: fc.double({ min: 0, max: 1e6, noNaN: true }),
      notional: fc.double({ min: 0, max: 1e12, noNaN: true }),
    });
    const snapshotArb = fc.array(band, { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(snapshotArb, { minLength: 1, maxLength: 6 }), (snaps) => {
        const pcts = [-2, -1, 1, 2];
        const rows = snaps.flatMap((bands, i) =>
          bands.map((b, k) => `${1760054400000 + 30_000 * i},${pcts[k]},${b.depth},${b.notional}`),
        );
        const { snapshots } = parseBookDepthCsv([HEADER, ...rows].join("\n"), "p.csv");
        return snaps.every(
          (bands, i) =>
            snapshots.time[i] === 1760054400000 + 30_000 * i &&
            snapshots.bidDepth[1]?.[i] === bands[0]?.depth &&
            snapshots.bidNotional[0]?.[i] === bands[1]?.notional &&
            snapshots.askDepth[0]?.[i] === bands[2]?.depth &&
            snapshots.askNotional[1]?.[i] === bands[3]?.notional,
        );
      }),
    );
  });

  it("reports a depth that falls outward and a gap, keeping the snapshots", () => {
    const falling = snapshot("2025-10-10 00:00:07").replace(
      "\n2025-10-10 00:00:07,5,50,",
      "\n2025-10-10 00:00:07,5,35,",
    );
    const text = [
      HEADER,
      falling,
      snapshot("2025-10-10 00:00:37"),
      snapshot("2025-10-10 00:01:07"),
      snapshot("2025-10-10 00:05:07"),
    ].join("\n");
    const { snapshots, report } = parseBookDepthCsv(text, "x.csv");
    assert.equal(snapshots.time.length, 4);
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row]),
      [
        ["not-cumulative", 2],
        ["gap", 32],
      ],
    );
  });
});

describe("liqopt data inspect on a bookDepth file", () => {
  it("recognises the bundled file by name and reports its snapshots and crossed bands", () => {
    const r = inspectFile("btc-bookdepth-2025-10-10");
    assert.equal(r.kind, "book-depth");
    assert.equal(r.rows, 28_790);
    assert.equal(r.records, 2879);
    assert.equal(r.firstTime, "2025-10-10T00:00:07.000Z");
    assert.deepEqual(r.gaps, { count: 0, missing: 0, largest: 0 });
    const crossed = r.anomalies.find((a) => a.kind === "crossed-bands");
    assert.equal(crossed?.count, 969);
    assert.deepEqual(r.details, { bands: [1, 2, 3, 4, 5] });
  });
});

/**
 * Parameter sweeps (src/sim/venue/sweep.ts): the grid is the cross product in axis order; each point's
 * report is the scenario workflow's on the patched document (the reader checks every value); a
 * refused value fails only its point (partial results); Monte Carlo points share their random
 * numbers (same seed and paths); a path naming no field is refused before anything runs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../../src/sim/venue/scenario-report.js";
import { sweepGrid, sweepScenario } from "../../../src/sim/venue/sweep.js";

const readFile = (path: string) => readFileSync(join("examples/venue", path), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: scenario documents are patched freely
const doc = (name: string): Record<string, any> => JSON.parse(readFile(name));
const value = (r: { headline: readonly { key: string; value: number }[] }, key: string) =>
  r.headline.find((h) => h.key === key)?.value;

describe("sweepGrid", () => {
  it("is the cross product, the first axis slowest", () => {
    assert.deepEqual(
      sweepGrid([
        { path: "a", values: [1, 2] },
        { path: "b.c", values: ["x", "y", "z"] },
      ]),
      [
        { a: 1, "b.c": "x" },
        { a: 1, "b.c": "y" },
        { a: 1, "b.c": "z" },
        { a: 2, "b.c": "x" },
        { a: 2, "b.c": "y" },
        { a: 2, "b.c": "z" },
      ],
    );
  });

  it("refuses no axis, an axis without values and a path given twice", () => {
    const refuses = (axes: Parameters<typeof sweepGrid>[0], field: string) =>
      assert.throws(
        () => sweepGrid(axes),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    refuses([], "sweep");
    refuses([{ path: "venue.insuranceFundUsd", values: [] }], "venue.insuranceFundUsd");
    refuses(
      [
        { path: "seed", values: [1] },
        { path: "seed", values: [2] },
      ],
      "sweep",
    );
  });
});

describe("sweepScenario", () => {
  it("returns each point's report beside its parameters, and a refused value as that point's failure only", async () => {
    const replay = doc("replay-2025-10-10.json");
    const sweep = await sweepScenario(
      replay,
      sweepGrid([{ path: "venue.insuranceFundUsd", values: [0, -1, 1e12] }]),
      readFile,
    );
    assert.equal(sweep.points.length, 3);
    assert.equal(sweep.failed, 1);
    const [empty, refused, huge] = sweep.points;
    assert.ok(refused !== undefined && "failed" in refused);
    assert.deepEqual(refused.parameters, { "venue.insuranceFundUsd": -1 });
    assert.equal(refused.failed.field, "venue.insuranceFundUsd");
    assert.match(refused.failed.message, /must be at least 0/);
    for (const [point, fund] of [
      [empty, 0],
      [huge, 1e12],
    ] as const) {
      assert.ok(point !== undefined && "report" in point);
      assert.deepEqual(point.parameters, { "venue.insuranceFundUsd": fund });
      const direct = await simulateScenario(
        readScenario({ ...replay, venue: { ...replay.venue, insuranceFundUsd: fund } }, readFile),
      );
      assert.deepEqual(point.report, direct);
    }
    assert.ok(
      empty !== undefined && "report" in empty && (value(empty.report, "adlNeededUsd") as number) > 0,
    );
    assert.ok(huge !== undefined && "report" in huge && value(huge.report, "adlNeededUsd") === 0);
    assert.equal(
      replay.venue.insuranceFundUsd,
      doc("replay-2025-10-10.json").venue.insuranceFundUsd,
      "the document is not changed",
    );
  });

  it("runs Monte Carlo points on common random numbers: a fee that moves no price leaves the take-overs identical", async () => {
    const sweep = await sweepScenario(
      doc("cex-btcusdt.json"),
      [{ "venue.liquidationFeeRate": 0.001 }, { "venue.liquidationFeeRate": 0.009 }],
      readFile,
      { paths: 4, seed: 3, workers: 1 },
    );
    const [a, b] = sweep.points.map((p) => ("report" in p ? p.report : assert.fail("no failure")));
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(value(a, "takenOver"), value(b, "takenOver"));
    assert.equal(value(a, "liquidatedNotionalUsd"), value(b, "liquidatedNotionalUsd"));
    assert.ok(a.monteCarlo !== null && b.monteCarlo !== null);
    // the fee goes to the fund: more fee, a fund at least as large at every step
    assert.ok(a.monteCarlo.fundUsd.mean.every((f, k) => f <= (b.monteCarlo?.fundUsd.mean[k] as number)));
    assert.deepEqual([sweep.seed, sweep.paths], [3, 4]);
  });

  it("refuses a path that names no field before running anything, listing the fields there are", async () => {
    await assert.rejects(
      sweepScenario(doc("cex-btcusdt.json"), [{ "venue.insuranceFund": 0 }], readFile),
      (e: unknown) =>
        e instanceof InputError &&
        e.field === "sweep" &&
        /venue has no "insuranceFund" \(its fields: insuranceFundUsd, liquidationFeeRate/.test(e.message),
    );
    await assert.rejects(
      sweepScenario(doc("cex-btcusdt.json"), [{ "population.leverage.7.median": 3 }], readFile),
      (e: unknown) => e instanceof InputError && /indices 0–1/.test(e.message),
    );
    await assert.rejects(
      sweepScenario(doc("cex-btcusdt.json"), [], readFile),
      (e: unknown) => e instanceof InputError && e.field === "sweep",
    );
  });

  it("sets strings and array elements, each checked by the reader as in a file", async () => {
    const replay = doc("replay-2025-10-10.json");
    const sweep = await sweepScenario(
      replay,
      [
        { "venue.adlPolicy": "pro-rata" },
        { "venue.adlPolicy": "no-such-policy" },
        { "population.leverage.0.median": 3 * replay.population.leverage[0].median },
      ],
      readFile,
    );
    const [ok, bad, levered] = sweep.points;
    assert.ok(ok !== undefined && "report" in ok && ok.report.venue.adlPolicy === "pro-rata");
    assert.ok(bad !== undefined && "failed" in bad && bad.failed.field === "venue.adlPolicy");
    assert.ok(levered !== undefined && "report" in levered && ok !== undefined && "report" in ok);
    // more leverage in the first mixture component: more positions taken over on the same marks
    assert.ok((value(levered.report, "takenOver") as number) > (value(ok.report, "takenOver") as number));
  });
});

/**
 * `liqopt simulate` on a partial Monte Carlo result (issue 11): a report whose run was stopped by a
 * failed batch prints a warning line naming the round, the worker and the error, and the paths the
 * figures cover; a finished run prints none.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { renderSimulate } from "../../src/cli/simulate.js";
import { reportSweepFailures } from "../../src/cli/simulate-sweep.js";
import { readScenario } from "../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../src/sim/venue/scenario-report.js";
import { ROOT } from "../helpers/cli.js";

test("a failed batch gives a warning line over the paths completed; a finished run none", async () => {
  const raw = JSON.parse(readFileSync(join(ROOT, "examples/venue/cex-btcusdt.json"), "utf8"));
  const scenario = readScenario(raw, (file) => readFileSync(join(ROOT, "examples/venue", file), "utf8"));
  const report = await simulateScenario(scenario, { paths: 20, seed: 3, workers: 1 });
  assert.equal(report.mode, "monte-carlo");
  assert.equal(report.failure, undefined);
  assert.doesNotMatch(renderSimulate(report), /the run failed/);
  const partial = {
    ...report,
    failure: { round: 1, stream: 0, message: "simulation worker: out of memory" },
  };
  assert.match(
    renderSimulate(partial),
    /warning: the run failed in round 1 on worker 0 \(simulation worker: out of memory\); the figures are a partial result over the 20 paths completed/,
  );
  // A sweep point with a partial result: a warning line on stderr and exit code 1; none when finished.
  const parameters = { "venue.insuranceFundUsd": 0 };
  let written = "";
  const sink = { write: (text: string) => (written += text) };
  const sweep = (r: typeof report) => ({
    seed: 3,
    paths: 20,
    points: [{ parameters, report: r }],
    failed: 0,
  });
  assert.equal(reportSweepFailures(sweep(report), sink), 0);
  assert.equal(written, "");
  assert.equal(reportSweepFailures(sweep(partial), sink), 1);
  assert.match(
    written,
    /^warning: sweep point .*: the run failed in round 1 on worker 0 \(simulation worker: out of memory\); a partial result over 20 paths\n$/,
  );
});

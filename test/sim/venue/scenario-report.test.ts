/**
 * The scenario workflow (src/sim/venue/scenario-report.ts) on the 2025-10-10 replay example: the
 * report's series and headline are the engine's replay of the same marks, the book summary is the
 * book's, an ADL policy override changes only the policy, and the policy comparison meets the
 * deficit with no overshoot under pro-rata, RAP and water-filling (Chitra 2025, arXiv 2512.01112:
 * the pro-rata family spends exactly the budget) while every policy faces the same deficit.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { replayVenue } from "../../../src/sim/venue/engine.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { adlPolicyComparison, simulateScenario } from "../../../src/sim/venue/scenario-report.js";

const readFile = (path: string) => readFileSync(join("examples/venue", path), "utf8");
const scenario = readScenario(JSON.parse(readFile("replay-2025-10-10.json")), readFile);
const cex = readScenario(JSON.parse(readFile("cex-btcusdt.json")), readFile);

describe("simulateScenario on a replay", () => {
  it("reports the engine's replay of the scenario's marks", async () => {
    if (scenario.path.kind !== "replay") assert.fail("a replay example");
    const r = await simulateScenario(scenario);
    const direct = replayVenue(scenario.population, scenario.venue, scenario.path.marks);
    assert.equal(r.mode, "replay");
    assert.deepEqual(r.replay?.mark, [...direct.mark]);
    assert.deepEqual(r.replay?.fundUsd, [...direct.fundUsd]);
    assert.deepEqual(r.replay?.totals, direct.totals);
    const value = (key: string) => r.headline.find((h) => h.key === key)?.value;
    assert.equal(value("badDebtUsd"), direct.totals.badDebtUsd);
    assert.equal(value("adlOvershootUsd"), direct.totals.adlOvershootUsd);
    assert.ok(
      r.headline.every((h) => h.lower === null && h.upper === null),
      "one path: no interval",
    );
    let oiLong = 0;
    for (let i = 0; i < scenario.population.length; i++) {
      const q = scenario.population.size[i] as number;
      if (q > 0) oiLong += q * (scenario.population.markPrice[i] as number);
    }
    assert.ok(Math.abs(r.book.openInterestLongUsd - oiLong) <= 1e-9 * oiLong);
    assert.equal(r.book.positions, 20_000);
  });

  it("replaces the ADL policy and nothing else", async () => {
    const r = await simulateScenario(scenario, { adlPolicy: "pro-rata" });
    assert.equal(r.venue.adlPolicy, "pro-rata");
    assert.equal(r.venue.insuranceFundUsd, scenario.venue.insuranceFundUsd);
    assert.equal(scenario.venue.adlPolicy, "queue", "the scenario itself is unchanged");
  });

  it("compares the ADL policies on one deficit: the pro-rata family has no overshoot", async () => {
    const rows = await adlPolicyComparison(scenario);
    assert.deepEqual(
      rows.map((r) => r.policy),
      [
        "queue",
        "queue-hyperliquid",
        "pro-rata",
        "rap",
        "water-filling",
        "queue-contracts",
        "queue-hyperliquid-contracts",
      ],
      "capped pro-rata needs capOfEquity, which the example leaves out",
    );
    const needed = rows[0]?.neededUsd as number;
    assert.ok(needed > 0, "the example's small fund runs out");
    for (const r of rows) {
      const [n, x] = [r.neededUsd as number, r.executedUsd as number];
      assert.ok(Math.abs(n - needed) <= 1e-9 * needed, `${r.policy} faces the same deficit`);
      assert.ok(x >= n * (1 - 1e-9), `${r.policy} covers it`);
      if (["pro-rata", "rap", "water-filling"].includes(r.policy)) {
        assert.ok(r.overshootUsd <= 1e-6 * needed, `${r.policy} overshoot ${r.overshootUsd}`);
      }
    }
    // queue ADL closes whole positions: it takes more than needed
    assert.ok((rows[0]?.overshootUsd as number) > 0);
  });
});

describe("simulateScenario on Monte Carlo paths", () => {
  it("the sample paths are the run's first paths: with one worker and as many paths, their take-overs average to the headline", async () => {
    const r = await simulateScenario(cex, { paths: 3, seed: 7, workers: 1, samplePaths: 3 });
    const mc = r.monteCarlo;
    if (mc === null) assert.fail("a Monte Carlo report");
    assert.equal(mc.samplePaths.length, 3);
    const taken = mc.samplePaths.reduce((n, p) => n + p.takenOver.reduce((a, b) => a + b, 0), 0) / 3;
    assert.ok(taken > 0, "the example's paths liquidate");
    assert.equal(r.headline.find((h) => h.key === "takenOver")?.value, taken);
    assert.equal(mc.minutes.length, cex.steps);
    assert.equal(mc.minutes[0], cex.stepMinutes);
    assert.equal(mc.fundUsd.mean.length, cex.steps);
    assert.equal(mc.badDebt.zeros + mc.badDebt.bins.reduce((n, b) => n + b.count, 0), 3);
    const none = await simulateScenario(cex, { paths: 2, seed: 7, workers: 1 });
    assert.deepEqual(none.monteCarlo?.samplePaths, [], "no sample paths unless asked");
  });

  it("refuses a sample-path count that is not a whole number, naming it", async () => {
    await assert.rejects(
      simulateScenario(cex, { paths: 2, workers: 1, samplePaths: 1.5 }),
      (err: unknown) => err instanceof InputError && err.field === "samplePaths",
    );
  });

  it("compares the ADL policies on Monte Carlo paths with the mean ADL needed and executed", async () => {
    const thin = { ...cex, venue: { ...cex.venue, insuranceFundUsd: 0 } };
    const rows = await adlPolicyComparison(thin, { paths: 4, seed: 2, workers: 1 });
    const needed = rows[0]?.neededUsd as number;
    assert.ok(needed > 0, "an empty fund needs ADL");
    for (const r of rows) {
      assert.ok(r.executedUsd >= r.neededUsd * (1 - 1e-9) - 1e-6, `${r.policy} covers the deficit`);
      if (["pro-rata", "rap", "water-filling"].includes(r.policy)) {
        assert.ok(
          r.overshootUsd <= 1e-6 * Math.max(1, r.neededUsd),
          `${r.policy} overshoot ${r.overshootUsd}`,
        );
      }
    }
  });
});

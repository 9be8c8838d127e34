/**
 * End-to-end tests of `liqopt simulate`: the examples run (a replay of 2025-10-10 and a Monte Carlo
 * book on few paths), the table and the HTML report are written, the ledger of a replay balances,
 * and bad configs exit 2 with one line naming the field.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertInputError, json, liqopt, ok, ROOT, type Run } from "../helpers/cli.js";

const REPLAY = "examples/venue/replay-2025-10-10.json";
// biome-ignore lint/suspicious/noExplicitAny: test documents are patched freely
type Doc = Record<string, any>;
const example = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Doc;
const dir = mkdtempSync(join(tmpdir(), "liqopt-simulate-"));

/** Writes `doc` as a scenario file in the temporary folder and returns its path. */
function scenarioFile(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe("liqopt simulate", () => {
  test("replays 2025-10-10: the table, an HTML report with the charts, a balanced ledger", async () => {
    const report = join(dir, "replay.html");
    const [text, j] = await Promise.all([
      liqopt(["simulate", "--config", REPLAY, "--report", report]),
      liqopt(["simulate", "--config", REPLAY, "--json"]),
    ]);
    const out = ok(text);
    assert.match(out, /replay of btc-1m-2025-10-10 2025-10-10T19:00 → 2025-10-11T00:59 UTC/);
    assert.match(out, /liquidated notional/);
    assert.match(
      out,
      /warning: this perp venue model is reconciled with the 2025-10-10 cascade only in its calibrated configuration/,
      "unvalidated model says so",
    );
    const r = json(j) as Doc;
    assert.equal(r.mode, "replay");
    assert.equal(r.reconciliation.reconciled, false);
    assert.equal(r.replay.mark.length, 360);
    const l = r.replay.ledger;
    const sum = l.collateralUsd + l.fundUsd + l.marketUsd + l.uncoveredUsd;
    assert.ok(Math.abs(sum - l.startTotalUsd) <= 1e-9 * l.startTotalUsd, `ledger ${JSON.stringify(l)}`);
    // the crash liquidates: at 21:20 UTC the mark is at its low
    assert.ok(r.headline.find((h: { key: string }) => h.key === "takenOver").value > 0);
    const html = readFileSync(report, "utf8");
    assert.equal(
      html.match(/<svg/g)?.length,
      5,
      "price, notional, cascade depth, fund and ADL-by-policy charts",
    );
    assert.match(html, /Cascade depth per 1-minute step \(rounds that crossed a position\)/);
    assert.match(html, /ADL by policy/);
    assert.match(html, /water-filling/);
  });

  test("runs the CEX book on Monte Carlo paths: intervals, the seed, the worker count, the report", async () => {
    const args = ["simulate", "--config", "examples/venue/cex-btcusdt.json", "--paths", "60", "--seed", "5"];
    const report = join(dir, "mc.html");
    const [one, two, text] = await Promise.all([
      liqopt([...args, "--workers", "1", "--json"]),
      liqopt([...args, "--workers", "2", "--json"]),
      liqopt([...args, "--workers", "1", "--report", report]),
    ]);
    const [a, b] = [json(one) as Doc, json(two) as Doc];
    assert.equal(a.mode, "monte-carlo");
    assert.deepEqual([a.paths, a.seed, a.workers, b.workers], [60, 5, 1, 2]);
    const metric = (r: Doc, key: string) => r.headline.find((h: { key: string }) => h.key === key);
    const taken = metric(a, "takenOver");
    assert.ok(taken.lower < taken.value && taken.value < taken.upper, "a 95 % interval around the mean");
    // two workers run other streams: the same mean within the sampling error
    const other = metric(b, "takenOver");
    assert.ok(
      Math.abs(taken.value - other.value) < 3 * (taken.upper - taken.lower),
      "same mean within noise",
    );
    assert.match(ok(text), /60 Monte Carlo paths, seed 5, 1 worker/);
    const html = readFileSync(report, "utf8");
    assert.match(html, /Bad debt per path \(60 paths; \d+ with none\)/);
    assert.match(html, /Insurance fund over time \(60 paths\)/);
    assert.match(html, /Mean liquidated notional per 5-minute step/);
    assert.match(html, /Mean cascade depth per 5-minute step \(60 paths\)/);
    assert.match(html, /The first 3 paths \(seed 5\) and their liquidations/);
    assert.match(html, /ADL by policy \(mean over 60 paths\)/);
  });

  test("replays 2025-10-10 with liquidator agents whose gas the premium does not pay: the row, the warning, the premiums in the ledger", async () => {
    const doc = example(REPLAY);
    doc.venue.liquidators = {
      // 2,000 USD of gas against a 0.5 % premium: positions under 400,000 USD of notional are not worth it
      agents: [
        { capitalUsd: 1e9, latencySteps: 0, feeUsd: 0, gasUsd: 2000, margin: 0, riskAversion: 0, count: 3 },
      ],
      premiumRate: 0.005,
      holdingSteps: 5,
      stepVol: 0.002,
    };
    const file = scenarioFile("agents-replay.json", doc);
    const [text, j] = await Promise.all([
      liqopt(["simulate", "--config", file]),
      liqopt(["simulate", "--config", file, "--json"]),
    ]);
    const out = ok(text);
    assert.match(out, /left queued for lack of a willing liquidator/);
    assert.match(out, /warning: [\d,.]+ position\(s\) were left queued for lack of a willing liquidator/);
    const r = json(j) as Doc;
    const left = r.headline.find((h: { key: string }) => h.key === "leftQueued").value;
    assert.ok(left > 0, `left queued ${left}`);
    const l = r.replay.ledger;
    assert.ok(l.liquidatorsUsd > 0, "the agents earned premiums");
    const sum = l.collateralUsd + l.fundUsd + l.marketUsd + l.uncoveredUsd + l.liquidatorsUsd;
    assert.ok(Math.abs(sum - l.startTotalUsd) <= 1e-9 * l.startTotalUsd, `ledger ${JSON.stringify(l)}`);
  });

  test("bad configs exit 2 with one line naming the field", async () => {
    const replay = example(REPLAY);
    const bad = (edit: (s: Doc) => void) => {
      const copy = structuredClone(replay);
      edit(copy);
      return copy;
    };
    const cases: [string, unknown, string][] = [
      ["fund.json", bad((s) => (s.venue.insuranceFundUsd = -1)), "venue.insuranceFundUsd"],
      ["policy.json", bad((s) => (s.venue.adlPolicy = "lottery")), "venue.adlPolicy"],
      [
        "file.json",
        bad((s) => {
          s.population = { file: "missing.ndjson" };
          delete s.tiers;
        }),
        "population.file",
      ],
      ["replay.json", bad((s) => (s.path.replay = "nothing")), "path.replay"],
      [
        "agents.json",
        bad((s) => (s.venue.liquidators = { agents: [{}], premiumRate: 0.01, holdingSteps: 1, stepVol: 0 })),
        "venue.liquidators.agents[0].capitalUsd",
      ],
    ];
    const runs = await Promise.all(
      cases.map(([name, doc]) => liqopt(["simulate", "--config", scenarioFile(name, doc)])),
    );
    for (const [i, r] of runs.entries()) assertInputError(r, cases[i]?.[2] as string);
    assertInputError(await liqopt(["simulate", "--config", REPLAY, "--paths", "10"]), "--paths");
    assertInputError(await liqopt(["simulate", "--config", join(dir, "none.json")]), "--config");
  });
  test("replays Maker's 2020-03-12 under clip: a counterfactual with a warning line, the day's chart, the debt auctions when asked; --paths refused", async () => {
    const clip = scenarioFile("maker-clip.json", {
      ...example("examples/venue/maker-2020-03-12.json"),
      mechanism: "clip",
      debtAuctions: { bidders: 2, flopper: "1.2" },
    });
    const report = join(dir, "maker.html");
    const [text, paths] = await Promise.all([
      liqopt(["simulate", "--config", clip, "--report", report]),
      liqopt(["simulate", "--config", clip, "--paths", "10"]),
    ]);
    const out = ok(text);
    assert.match(out, /mechanism clip/);
    assert.match(out, /auctions redone/);
    assert.match(out, /warning: a counterfactual: Liquidations 2\.0/);
    assert.match(out, /debt auctions \(flop, dss 1\.2\) after the day: 2 MKR bidders asking 5\.0 %/);
    assert.match(out, /MKR minted +│ +[\d,]+ │ +20,980 │/);
    // clip leaves a net deficit of 0.36 M DAI: 7 debt auctions, outside ×3 of the 106 published
    assert.match(out, /warning: debt auctions outside the tolerance of the published outcome/);
    assert.equal(readFileSync(report, "utf8").match(/<svg/g)?.length, 1);
    assertInputError(paths, "--paths");
  });

  test("sweeps: one row per point, the failed point named on stderr after what completed, exit 2", async () => {
    const sweep = ["simulate", "--config", REPLAY, "--sweep", "venue.insuranceFundUsd=0,-1,1e12"];
    const list = scenarioFile("points.json", [
      { "venue.adlPolicy": "queue" },
      { "venue.adlPolicy": "pro-rata", "venue.insuranceFundUsd": 1e6 },
    ]);
    const report = join(dir, "sweep.html");
    const [asJson, asTable, fromList] = await Promise.all([
      liqopt([...sweep, "--json"]),
      liqopt(sweep),
      liqopt(["simulate", "--config", REPLAY, "--sweep-list", list, "--report", report]),
    ]);
    for (const r of [asJson, asTable]) {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr.trimEnd(),
        "liqopt: error: sweep point venue.insuranceFundUsd=-1 failed: venue.insuranceFundUsd: must be at least 0 (got -1). Give the fund's starting balance in USD, e.g. 1e9.",
      );
    }
    const out = JSON.parse(asJson.stdout) as Doc;
    assert.equal(out.failed, 1);
    assert.deepEqual(
      out.points.map((p: Doc) => [p.parameters["venue.insuranceFundUsd"], "report" in p, p.failed?.field]),
      [
        [0, true, undefined],
        [-1, false, "venue.insuranceFundUsd"],
        [1e12, true, undefined],
      ],
    );
    assert.equal(out.points[0].report.venue.insuranceFundUsd, 0);
    assert.match(asTable.stdout, /sweep of 3 point\(s\), 1 failed; each point a replay of the same marks/);
    assert.match(asTable.stdout, /venue\.insuranceFundUsd=1000000000000 /);
    assert.match(asTable.stdout, /failed \(venue\.insuranceFundUsd; see below\)/);
    assert.match(
      asTable.stdout,
      /\nwarning: this perp venue model is reconciled with the 2025-10-10 cascade only in its calibrated configuration/,
    );
    assert.match(ok(fromList), /venue\.adlPolicy=pro-rata, venue\.insuranceFundUsd=1000000 /);
    const html = readFileSync(report, "utf8");
    assert.match(html, /Bad debt by sweep point/);
    assert.match(html, /Insurance fund exhaustion by sweep point/);
  });

  test("bad sweeps exit 2 naming the option or the path, before running anything", async () => {
    const run = (...args: string[]) => liqopt(["simulate", "--config", REPLAY, ...args]);
    const runs = await Promise.all([
      run("--sweep", "venue.insuranceFundUsd"),
      run("--sweep", "venue.insuranceFundUsd=1,,2"),
      run("--sweep", "venue.insuranceFund=1"),
      run("--sweep", "seed=1", "--sweep-list", REPLAY),
      run("--sweep-list", REPLAY),
    ]);
    assertInputError(runs[0] as Run, "--sweep");
    assertInputError(runs[1] as Run, "--sweep");
    assertInputError(runs[2] as Run, 'venue has no "insuranceFund"');
    assertInputError(runs[3] as Run, "--sweep-list");
    assertInputError(runs[4] as Run, "--sweep-list");
  });

  test("replays the Aave lending example: table with its reconciliation, JSON, refused options", async () => {
    const LENDING = "examples/venue/aave-lending.json";
    const [text, j, paths, report] = await Promise.all([
      liqopt(["simulate", "--config", LENDING]),
      liqopt(["simulate", "--config", LENDING, "--json"]),
      liqopt(["simulate", "--config", LENDING, "--paths", "10"]),
      liqopt(["simulate", "--config", LENDING, "--report", join(dir, "lending.html")]),
    ]);
    const out = ok(text);
    assert.match(out, /lending market: 20000 accounts/);
    assert.match(out, /deficit written off \(USD\)/);
    assert.match(out, /reconciliation: the lending engine is reconciled qualitatively/);
    assert.match(out, /warning: .* liquidatable but unprofitable at the market/);
    const r = json(j) as Doc;
    assert.equal(r.mode, "lending-replay");
    assert.equal(r.reconciliation.reconciled, true);
    assert.ok(r.totals.repaidUsd > 1e8 && r.totals.deficitUsd > 0);
    assertInputError(paths, "--paths");
    assertInputError(report, "--report");
    const bad = example(LENDING);
    bad.market.assets[0].liquidationBonus = -0.1;
    assertInputError(
      await liqopt(["simulate", "--config", scenarioFile("bad-lending.json", bad)]),
      "market.assets[0].liquidationBonus",
    );
  });
  test("runs the lending Monte Carlo example: estimates with intervals, JSON, the bad-debt chart, bad fields", async () => {
    const MC = "examples/venue/aave-lending-mc.json";
    const html = join(dir, "lending-mc.html");
    const args = ["simulate", "--config", MC, "--paths", "20", "--seed", "3", "--workers", "1"];
    const bad = example(MC);
    bad.path.model.correlation[0][1] = -0.9;
    bad.path.model.correlation[1][0] = -0.9;
    const [text, j, badRun] = await Promise.all([
      liqopt([...args, "--report", html]),
      liqopt([...args, "--json"]),
      liqopt(["simulate", "--config", scenarioFile("bad-lending-mc.json", bad)]),
    ]);
    const out = ok(text);
    assert.match(
      out,
      /lending market: 2000 accounts \(book seed 20251010\); 20 Monte Carlo paths, seed 3, 1 worker\(s\)/,
    );
    assert.match(out, /correlated Student-t shocks \(ν = 5\.5\)/);
    assert.match(out, /liquidated \(debt repaid\) +│ +[\d,]+ │ +\[/);
    assert.match(out, /bad debt ES 99 %/);
    assert.match(out, /warning: Monte Carlo of a stated path model/);
    const r = json(j) as Doc;
    assert.equal(r.mode, "lending-monte-carlo");
    assert.equal(r.paths, 20);
    assert.ok(r.ledgerImbalance <= 1e-9);
    assert.equal(r.badDebt.zeros + r.badDebt.bins.reduce((s: number, b: Doc) => s + b.count, 0), 20);
    assert.match(readFileSync(html, "utf8"), /Bad debt per path \(20 paths/);
    assertInputError(badRun, "path.model.correlation");
  });
});

/**
 * Lending scenarios of `liqopt simulate` (src/sim/venue/lending-scenario.ts, scenario-kind.ts): the
 * example replays the reconciled day (examples/venue/aave-lending.json holds the defaults of
 * lending-reconciliation.ts), every bad field is an InputError naming its JSON path, the kind switch
 * keeps perp documents on the perp reader, and the report flags toxic assets.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import {
  AAVE_2025_10_10 as D,
  readBtcCrashCloses,
  runLendingDay,
} from "../../../src/sim/venue/lending-reconciliation.js";
import {
  readLendingScenario,
  simulateLendingMonteCarlo,
  simulateLendingScenario,
} from "../../../src/sim/venue/lending-scenario.js";
import { readScenarioOfKind } from "../../../src/sim/venue/scenario-kind.js";
import { assertRel } from "../../helpers/close.js";

const ROOT = join(import.meta.dirname, "../../..");
const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, "examples/venue", name), "utf8")) as Record<string, unknown>;
const readFile = (path: string) => readFileSync(join(ROOT, "examples/venue", path), "utf8");
const lending = example("aave-lending.json");

/** The field of the InputError `read(doc)` throws. */
function fieldOf(doc: unknown): string {
  try {
    readScenarioOfKind(doc, readFile);
  } catch (e) {
    if (e instanceof InputError) return e.field;
    throw e;
  }
  assert.fail("expected an InputError");
}

describe("lending scenario", () => {
  it("the example is the reconciled day and reports its totals and reconciliation", () => {
    const s = readLendingScenario(lending);
    assert.ok(s.mode === "replay");
    assert.deepEqual(s.options, D);
    const r = simulateLendingScenario(s);
    assert.deepEqual(r.totals, runLendingDay(D, readBtcCrashCloses().close).replay.totals);
    assert.equal(r.reconciliation.reconciled, true);
    assertRel(r.laggingDeficitUsd, r.totals.deficitUsd, 1e-12, "all of the deficit from lagging collateral");
    assert.deepEqual(r.toxicAssets, []);
    assert.equal(r.series.repaidUsd.length, r.steps);
  });

  it("the kind switch: perp by default, lending by name, anything else refused", () => {
    assert.equal(readScenarioOfKind(example("replay-2025-10-10.json"), readFile).kind, "perp");
    assert.equal(readScenarioOfKind(lending, readFile).kind, "lending");
    assert.equal(fieldOf({ ...lending, kind: "maker-x" }), "kind");
  });

  it("names the JSON path of a bad field", () => {
    const market = lending.market as { assets: Record<string, unknown>[] };
    const asset0 = market.assets[0] as Record<string, unknown>;
    const withAsset = (a: Record<string, unknown>) => ({
      ...lending,
      market: { ...market, assets: [a, ...market.assets.slice(1)] },
    });
    assert.equal(fieldOf(withAsset({ ...asset0, price: -1 })), "market.assets[0].price");
    assert.equal(
      fieldOf(withAsset({ ...asset0, oracle: { kind: "push", deviation: 0.01 } })),
      "market.assets[0].oracle.heartbeatSeconds",
    );
    assert.equal(
      fieldOf(withAsset({ ...asset0, path: { beta: 1, crash: { fromStep: 1, steps: 1, depth: 2 } } })),
      "market.assets[0].path.crash.depth",
    );
    assert.equal(fieldOf({ ...lending, path: { model: {}, replay: "btc-1m-2025-10-10" } }), "path");
    // a model path takes the volatilities from path.model: an asset's replay path is refused
    assert.equal(fieldOf({ ...lending, path: { model: {} } }), "market.assets[0].path");
    assert.equal(fieldOf({ ...lending, steps: 10 }), "steps");
    assert.equal(
      fieldOf({ ...lending, population: { ...(lending.population as object), count: 0 } }),
      "population.count",
    );
  });

  it("flags toxic assets (LT·(1 + bonus) ≥ 1)", () => {
    const market = lending.market as { assets: Record<string, unknown>[] };
    const assets = market.assets.map((a) => (a.symbol === "WETH" ? { ...a, liquidationThreshold: 0.97 } : a));
    const small = {
      ...lending,
      market: { ...market, assets },
      population: { ...(lending.population as object), count: 2000 },
    };
    const scenario = readLendingScenario(small);
    assert.ok(scenario.mode === "replay");
    const r = simulateLendingScenario(scenario);
    assert.deepEqual(r.toxicAssets, ["WETH"]);
    assert.ok(r.totals.toxicCalls > 0);
  });
});

describe("lending Monte Carlo scenario", () => {
  const mc = example("aave-lending-mc.json");
  const model = (mc.path as { model: Record<string, unknown> }).model;
  const withModel = (over: Record<string, unknown>) => ({ ...mc, path: { model: { ...model, ...over } } });

  it("the example is the replay's market on correlated paths whose vols, correlations and ν come from the bundled closes", () => {
    const s = readLendingScenario(mc);
    assert.ok(s.mode === "monte-carlo");
    // the inputs: scripts/reference/lending_mc_inputs.py on data/ohlcv (test/fixtures/lending-mc-inputs.json)
    const inputs = JSON.parse(readFileSync(join(ROOT, "test/fixtures/lending-mc-inputs.json"), "utf8")) as {
      symbols: string[];
      annualVol: number[];
      correlation: number[][];
      nu: number;
    };
    assert.deepEqual(s.spec.model.annualVol, inputs.annualVol);
    assert.deepEqual(s.spec.model.correlation, inputs.correlation);
    assert.deepEqual(s.spec.model.innovations, { kind: "student-t", nu: inputs.nu });
    assert.deepEqual(
      s.spec.market.assets.map((a) => a.symbol),
      inputs.symbols,
    );
    // the replay example's market: same assets and rules but the path, the population a tenth of it
    assert.deepEqual(
      s.spec.market.assets,
      D.assets.map(({ path: _p, ...a }) => a),
    );
    const pop = s.spec.market.population;
    assert.ok("count" in pop, "a drawn book");
    assert.equal(pop.count, D.population.count / 10);
    assert.equal(pop.totalDebtUsd, D.population.totalDebtUsd / 10);
    assert.equal(s.spec.market.seed, D.seed, "the book's own seed");
    assert.equal(s.spec.market.gasUsdPerCall, D.gasUsdPerCall);
    assert.equal(s.seed, 1);
  });

  it("names the JSON path of a bad Monte Carlo field", () => {
    assert.equal(fieldOf(withModel({ annualVol: [0.7, 0.4] })), "path.model.annualVol");
    assert.equal(fieldOf(withModel({ annualVol: [0.7, -1, 0.7, 0.7, 0, 0] })), "path.model.annualVol[1]");
    const corr = (model.correlation as number[][]).map((r) => [...r]);
    (corr[0] as number[])[1] = -0.9;
    (corr[1] as number[])[0] = -0.9;
    assert.equal(fieldOf(withModel({ correlation: corr })), "path.model.correlation");
    assert.equal(
      fieldOf(withModel({ innovations: { kind: "student-t", nu: 1 } })),
      "path.model.innovations.nu",
    );
    assert.equal(fieldOf({ ...mc, steps: 0 }), "steps");
    assert.equal(fieldOf({ ...mc, targetStandardErrorUsd: -1 }), "targetStandardErrorUsd");
    assert.equal(
      fieldOf({ ...mc, population: { ...(mc.population as object), seed: 1.5 } }),
      "population.seed",
    );
  });

  it("refuses Compound III's procedure with a path model, naming market.procedure (the Monte Carlo tallies Aave's calls)", () => {
    const comet = example("compound-usdc.json");
    const { procedure } = comet.market as Record<string, unknown>;
    const market = { ...(mc.market as object), procedure };
    assert.equal(fieldOf({ ...mc, market }), "market.procedure");
    // the replay of the same market reads the procedure (then refuses the assets' Aave rules)
    assert.equal(fieldOf({ ...comet, market: { ...market } }), "market.assets[0].liquidationThreshold");
    assert.equal(fieldOf({ ...comet, path: mc.path, steps: 24, stepMinutes: 60 }), "market.procedure");
  });

  it("runs a book from a file under Aave: the same book on every path (two workers), named in the report", async () => {
    // examples/lending/aave-v3-account.json: 2.5 WETH + 0.05 WBTC against 8,000 USDC + 500 DAI; at
    // 4,000 and 100,000 USD its HF is (2.5·4000·0.83 + 0.05·1e5·0.78)/8500 = 1.43.
    const asset = (symbol: string, price: number, lt: number) => ({
      symbol,
      price,
      liquidationThreshold: lt,
      liquidationBonus: 0.05,
      oracle: { kind: "fresh" },
    });
    const doc = {
      kind: "lending",
      seed: 3,
      market: {
        gasUsdPerCall: 0,
        assets: [
          asset("WETH", 4000, 0.83),
          asset("WBTC", 100_000, 0.78),
          asset("USDC", 1, 0.78),
          asset("DAI", 1, 0.77),
        ],
      },
      population: { file: "../lending/aave-v3-account.json" },
      path: {
        model: {
          innovations: { kind: "normal" },
          annualVol: [1.5, 1.5, 0, 0],
          correlation: [
            [1, 0.9, 0, 0],
            [0.9, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
          ],
        },
      },
      steps: 168,
      stepMinutes: 60,
      paths: 100,
    };
    const s = readScenarioOfKind(doc, readFile);
    if (s.kind !== "lending" || s.mode !== "monte-carlo") assert.fail("a lending Monte Carlo scenario");
    const r = await simulateLendingMonteCarlo(s, { workers: 2 });
    assert.equal(r.accounts, 1);
    assert.equal(r.populationFile, "../lending/aave-v3-account.json");
    assert.equal(r.paths, 100);
    const liquidated = r.headline.find((h) => h.key === "liquidatedUsd")?.value ?? Number.NaN;
    // at 150 % a year for a week some paths take the account under HF 1; no path repays more than its 8,500 USD of debt
    assert.ok(liquidated > 0 && liquidated <= 8500, `liquidated ${liquidated}`);
    assert.ok(r.ledgerImbalance <= 1e-9, `imbalance ${r.ledgerImbalance}`);
    assert.deepEqual(await simulateLendingMonteCarlo(s, { workers: 2 }), r);
  });
});

/**
 * The venue scenario reader (src/sim/venue/scenario.ts): the bundled examples read; the book is the
 * one `drawPopulation` draws from the same spec and seed, or `loadPopulation` loads; a replay's marks
 * are the closes of the bundled 1-minute file in its window; and every bad field is refused with an
 * InputError naming its JSON path.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { InputError } from "../../../src/errors.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import { drawPopulation, loadPopulation } from "../../../src/sim/venue/population.js";
import { readPopulationSpec } from "../../../src/sim/venue/population-spec.js";
import { readScenario, type Scenario } from "../../../src/sim/venue/scenario.js";
import { getVenue } from "../../../src/venues/index.js";
import { rejection } from "../../helpers/rejection.js";

const EXAMPLES = "examples/venue";
const readFile = (path: string) => readFileSync(join(EXAMPLES, path), "utf8");
const example = (name: string) => JSON.parse(readFile(name)) as Record<string, unknown>;
const cex = example("cex-btcusdt.json");
const agent = {
  capitalUsd: 5e6,
  latencySteps: 1,
  feeUsd: 5,
  gasUsd: 2,
  margin: 0.001,
  riskAversion: 1,
  count: 3,
};
const agents = { agents: [agent], premiumRate: 0.01, holdingSteps: 3, stepVol: 0.003 };

// biome-ignore lint/suspicious/noExplicitAny: test documents are patched freely
type Doc = Record<string, any>;

/** The scenario `base` with `edit` applied to a deep copy. */
function edited(base: Record<string, unknown>, edit: (s: Doc) => void): unknown {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}

/** The InputError `readScenario(raw)` throws. */
function refusal(raw: unknown): InputError {
  return rejection(() => readScenario(raw, readFile));
}

describe("readScenario", () => {
  it("draws the CEX example's book exactly as drawPopulation does from its spec and seed", () => {
    const s: Scenario = readScenario(cex, readFile);
    const pop = cex.population as Record<string, unknown>;
    const tiers = getVenue("binance-usdm").tierTable("BTCUSDT").tiers;
    const direct = drawPopulation(
      readPopulationSpec(pop),
      tiers,
      new Xoshiro128(pop.seed as number),
    ).population;
    assert.deepEqual(s.population.size, direct.size);
    assert.deepEqual(s.population.liquidationPrice, direct.liquidationPrice);
    assert.deepEqual(s.tiers, tiers);
    assert.equal(s.path.kind, "model");
    assert.deepEqual([s.steps, s.stepMinutes, s.paths, s.seed], [288, 5, 1000, 1]);
    assert.equal(s.venue.adlPolicy, "queue");
  });

  it("replays the closes of the 1-minute crash file between from and to, one path", () => {
    const s = readScenario(example("replay-2025-10-10.json"), readFile);
    assert.equal(s.path.kind, "replay");
    if (s.path.kind !== "replay") return;
    const rows = readFileSync("data/crashes/2025-10-10_binance-usdm_btcusdt_1m.csv", "utf8")
      .trim()
      .split("\n")
      .slice(1);
    const from = Date.parse("2025-10-10T19:00:00Z");
    const to = Date.parse("2025-10-11T01:00:00Z");
    const window = rows.map((r) => r.split(",")).filter((c) => Number(c[0]) >= from && Number(c[0]) < to);
    assert.equal(s.steps, 360);
    assert.deepEqual(
      [...s.path.marks],
      window.map((c) => Number(c[5])),
    );
    assert.deepEqual([s.stepMinutes, s.paths], [1, 1]);
  });

  it("loads a population of account documents, whose venue's tiers apply", () => {
    const raw = edited(cex, (s) => {
      s.population = { file: "accounts-btcusdt.ndjson" };
      delete s.tiers;
    });
    const s = readScenario(raw, readFile);
    assert.deepEqual(s.population, loadPopulation(readFile("accounts-btcusdt.ndjson")));
    assert.equal(s.populationSource.kind, "accounts");
  });

  it("reads a tier file in liqopt's shape", () => {
    const table = getVenue("binance-usdm").tierTable("BTCUSDT").tiers;
    const files: Record<string, string> = {
      "tiers.json": JSON.stringify(
        table.map((t) => ({ ...t, notionalCap: Number.isFinite(t.notionalCap) ? t.notionalCap : null })),
      ),
    };
    const s = readScenario(
      edited(cex, (c) => {
        c.tiers = { file: "tiers.json" };
      }),
      (p) => files[p] ?? readFile(p),
    );
    assert.deepEqual(s.tiers, table);
  });

  it("reads ccxt's fetchLeverageTiers map, picking the symbol: Binance's bundled brackets", () => {
    const s = readScenario(
      edited(cex, (c) => {
        c.tiers = {
          file: "../../data/venues/binance-usdm_leverage-tiers_2024-10.json",
          symbol: "BTC/USDT:USDT",
        };
      }),
      readFile,
    );
    assert.deepEqual(s.tiers, getVenue("binance-usdm").tierTable("BTCUSDT").tiers);
    const e = refusal(
      edited(cex, (c) => {
        c.tiers = { file: "../../data/venues/binance-usdm_leverage-tiers_2024-10.json", symbol: "BTCUSDT" };
      }),
    );
    assert.equal(e.field, "tiers.symbol");
  });

  it("names the field and the fix of every bad field", () => {
    const cases: [string, (s: Doc) => void][] = [
      ["venue.insuranceFundUsd", (s) => (s.venue.insuranceFundUsd = -1)],
      ["venue.liquidationFeeRate", (s) => (s.venue.liquidationFeeRate = "0.3%")],
      ["venue.liquidatorCapacityUsdPerStep", (s) => (s.venue.liquidatorCapacityUsdPerStep = 0)],
      ["venue.adlPolicy", (s) => (s.venue.adlPolicy = "lottery")],
      ["venue.capOfEquity", (s) => (s.venue.adlPolicy = "capped-pro-rata")],
      ["venue.impact.halfLifeSteps", (s) => (s.venue.impact.halfLifeSteps = 0)],
      ["venue.liquidators.agents", (s) => (s.venue.liquidators = { ...agents, agents: [] })],
      [
        "venue.liquidators.agents[0].latencySteps",
        (s) => (s.venue.liquidators = { ...agents, agents: [{ ...agent, latencySteps: -1 }] }),
      ],
      ["venue.liquidators.premiumRate", (s) => (s.venue.liquidators = { ...agents, premiumRate: "1%" })],
      ["venue.liquidators.gasPath[0]", (s) => (s.venue.liquidators = { ...agents, gasPath: [0] })],
      ["population.count", (s) => (s.population.count = 1.5)],
      ["population.seed", (s) => delete s.population.seed],
      ["population.leverage[1].sigma", (s) => (s.population.leverage[1].sigma = -1)],
      ["tiers.venue", (s) => (s.tiers = { symbol: "BTCUSDT" })],
      ["tiers.symbol", (s) => delete s.tiers.symbol],
      ["path.model.volatility.annualVol", (s) => (s.path.model.volatility.annualVol = -0.6)],
      ["path.model.innovations.kind", (s) => (s.path.model.innovations.kind = "cauchy")],
      ["path.model.volatility", (s) => delete s.path.model.volatility],
      ["path.replay", (s) => (s.path = { replay: "btc-1h-crash" })],
      ["path", (s) => (s.path.replay = "btc-1m-2025-10-10")],
      ["steps", (s) => (s.steps = 0)],
      ["stepMinutes", (s) => delete s.stepMinutes],
      ["paths", (s) => (s.paths = 10.5)],
      ["seed", (s) => (s.seed = -3)],
    ];
    for (const [field, edit] of cases) {
      const e = refusal(edited(cex, edit));
      assert.equal(e.field, field, e.message);
      assert.ok(e.fix.length > 0);
    }
  });

  it("accepts the contract-space queues as venue.adlPolicy, and lists them when refusing an unknown one", () => {
    for (const policy of ["queue-contracts", "queue-hyperliquid-contracts"]) {
      const s = readScenario(
        edited(cex, (d) => (d.venue.adlPolicy = policy)),
        readFile,
      );
      assert.equal(s.venue.adlPolicy, policy);
    }
    const e = refusal(edited(cex, (d) => (d.venue.adlPolicy = "contracts")));
    assert.equal(e.field, "venue.adlPolicy");
    assert.match(e.fix, /"queue-contracts", "queue-hyperliquid-contracts"/);
  });

  it("reads venue.liquidators into the engine's parameters; the perp DEX example has them", () => {
    const dex = readScenario(example("perp-dex-liquidators.json"), readFile);
    assert.equal(dex.venue.liquidators?.agents.length, 2);
    assert.equal(dex.venue.liquidatorCapacityUsdPerStep, Number.POSITIVE_INFINITY);
    const s = readScenario(
      edited(cex, (d) => (d.venue.liquidators = { ...agents, gasPath: [1, 6], txFailure: 0.2 })),
      readFile,
    );
    assert.deepEqual(s.venue.liquidators, { ...agents, gasPath: [1, 6], txFailure: 0.2 });
    assert.equal(readScenario(cex, readFile).venue.liquidators, undefined);
  });

  it("refuses, in a replay, the grid fields the file sets and a book drawn far from the first mark", () => {
    const replay = example("replay-2025-10-10.json");
    assert.equal(refusal(edited(replay, (s) => (s.paths = 100))).field, "paths");
    assert.equal(
      refusal(edited(replay, (s) => (s.population.markPrice = 60_000))).field,
      "population.markPrice",
    );
    assert.equal(refusal(edited(replay, (s) => (s.path.to = "2025-10-10T18:00:00Z"))).field, "path.to");
  });

  it("reads Hyperliquid's procedure: the published rules by default, the cooldown in seconds rounded up to steps", () => {
    const dex = example("perp-dex-vault.json");
    const scenario = readScenario(dex, readFile);
    assert.deepEqual(scenario.venue.procedure, {
      kind: "hyperliquid",
      partialThresholdUsd: 100_000,
      partialFraction: 0.2,
      cooldownSteps: 1,
      backstopRatio: 2 / 3,
      vaultCapitalUsd: 350_000_000,
    });
    // 90 s on the 1-minute grid is 2 steps; 5-minute steps (the CEX example) make 30 s one step.
    const slow = edited(dex, (s) => (s.venue.procedure.cooldownSeconds = 90));
    const slowProcedure = readScenario(slow, readFile).venue.procedure;
    assert.equal(slowProcedure?.kind === "hyperliquid" ? slowProcedure.cooldownSteps : 0, 2);
    assert.equal(readScenario(cex, readFile).venue.procedure, undefined, "absent: the take-over by the fund");
    const cases: [string, (s: Doc) => void][] = [
      ["venue.procedure.kind", (s) => (s.venue.procedure.kind = "binance")],
      ["venue.procedure.vaultCapitalUsd", (s) => delete s.venue.procedure.vaultCapitalUsd],
      ["venue.procedure.partialFraction", (s) => (s.venue.procedure.partialFraction = 1.2)],
      ["venue.procedure.cooldownSeconds", (s) => (s.venue.procedure.cooldownSeconds = 0)],
      ["venue.procedure.cooldownSteps", (s) => (s.venue.procedure.cooldownSteps = 2)],
      ["venue.procedure", (s) => (s.venue.procedure = "hyperliquid")],
    ];
    for (const [field, edit] of cases) {
      const e = refusal(edited(dex, edit));
      assert.equal(e.field, field, e.message);
      assert.ok(e.fix.length > 0);
    }
  });

  it("reads Drift v2's procedure: the example's fields, the program's 2 % buffer and no insurance limit by default, field-named refusals", () => {
    const drift = example("drift-sol.json");
    assert.deepEqual(readScenario(drift, readFile).venue.procedure, {
      kind: "drift-v2",
      liquidatorFee: 0.01,
      ifLiquidationFee: 0.01,
      liquidationMarginBufferRatio: 0.02,
      maxInsuranceUsd: 500_000,
    });
    const bare = edited(drift, (s) => {
      delete s.venue.procedure.liquidationMarginBufferRatio;
      delete s.venue.procedure.maxInsuranceUsd;
    });
    assert.deepEqual(readScenario(bare, readFile).venue.procedure, {
      kind: "drift-v2",
      liquidatorFee: 0.01,
      ifLiquidationFee: 0.01,
      liquidationMarginBufferRatio: 0.02,
    });
    const cases: [string, (s: Doc) => void][] = [
      ["venue.procedure.liquidatorFee", (s) => delete s.venue.procedure.liquidatorFee],
      ["venue.procedure.ifLiquidationFee", (s) => (s.venue.procedure.ifLiquidationFee = "1 %")],
      [
        "venue.procedure.liquidationMarginBufferRatio",
        (s) => (s.venue.procedure.liquidationMarginBufferRatio = -0.02),
      ],
      ["venue.procedure.maxInsuranceUsd", (s) => (s.venue.procedure.maxInsuranceUsd = -1)],
      ["venue.procedure.vaultCapitalUsd", (s) => (s.venue.procedure.vaultCapitalUsd = 1e6)],
    ];
    for (const [field, edit] of cases) {
      const e = refusal(edited(drift, edit));
      assert.equal(e.field, field, e.message);
      assert.ok(e.fix.length > 0);
    }
  });

  it("refuses tiers beside loaded accounts", () => {
    const e = refusal(edited(cex, (s) => (s.population = { file: "accounts-btcusdt.ndjson" })));
    assert.equal(e.field, "tiers");
  });
});

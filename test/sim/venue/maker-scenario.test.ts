/**
 * Maker scenarios of `liqopt simulate` (src/sim/venue/maker-scenario.ts, maker-scenario-report.ts): the
 * reader (defaults are the reconciled day's; every bad field named), the dispatch on `kind`
 * (readScenarioOfKind), and the report's reconciliation flag: flip with the reconciled options is
 * reconciled (within ×3 of Whiterabbit's published figures), anything else is a counterfactual.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { BLACK_THURSDAY_DEFAULTS } from "../../../src/sim/venue/black-thursday.js";
import { DEBT_AUCTIONS_MARCH_2020 } from "../../../src/sim/venue/debt-auctions.js";
import { readMakerScenario } from "../../../src/sim/venue/maker-scenario.js";
import { simulateMakerScenario } from "../../../src/sim/venue/maker-scenario-report.js";
import { readScenarioOfKind } from "../../../src/sim/venue/scenario-kind.js";
import { ROOT } from "../../helpers/cli.js";

const example = JSON.parse(readFileSync(join(ROOT, "examples/venue/maker-2020-03-12.json"), "utf8"));

/** The field of the InputError that reading `raw` throws. */
function refusedField(raw: unknown): string {
  try {
    readMakerScenario(raw);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.field;
  }
  assert.fail("accepted");
}

describe("readMakerScenario", () => {
  it("the example is the reconciled day with flip; omitted keepers and conditions are the reconciled ones", () => {
    const s = readMakerScenario(example);
    assert.equal(s.mechanism, "flip");
    assert.deepEqual(s.options, BLACK_THURSDAY_DEFAULTS);
    assert.deepEqual(
      readMakerScenario({ kind: "maker", mechanism: "clip" }).options,
      BLACK_THURSDAY_DEFAULTS,
    );
  });

  it("reads keepers and conditions, with Infinity gas caps and null recycling", () => {
    const s = readMakerScenario({
      kind: "maker",
      mechanism: "clip",
      keepers: { stockGasCapGwei: "Infinity", capitalDai: 1e12, withdrawUnderStress: false },
      conditions: { txFailure: 0, recycleSeconds: 3600 },
      seed: 7,
    });
    assert.equal(s.options.roster.stockGasCapGwei, Number.POSITIVE_INFINITY);
    assert.equal(s.options.roster.withdrawUnderStress, false);
    assert.equal(s.options.conditions.recycleSeconds, 3600);
    assert.equal(s.options.conditions.gasMultiplier, 1);
    assert.equal(s.options.day.seed, 7);
  });

  it("names the field of every bad value", () => {
    assert.equal(refusedField({ kind: "maker" }), "mechanism");
    assert.equal(refusedField({ kind: "maker", mechanism: "dutch" }), "mechanism");
    assert.equal(refusedField({ kind: "maker", mechanism: "flip", event: "2021-05-19" }), "event");
    assert.equal(
      refusedField({ kind: "maker", mechanism: "flip", keepers: { capitalDai: -1 } }),
      "keepers.capitalDai",
    );
    assert.equal(
      refusedField({ kind: "maker", mechanism: "flip", keepers: { stock: 1.5 } }),
      "keepers.stock",
    );
    assert.equal(refusedField({ kind: "maker", mechanism: "flip", keepers: { lump: 1 } }), "keepers.lump");
    assert.equal(
      refusedField({ kind: "maker", mechanism: "flip", conditions: { txFailure: 1 } }),
      "conditions.txFailure",
    );
    assert.equal(refusedField({ kind: "maker", mechanism: "flip", paths: 10 }), "paths");
    assert.equal(refusedField({ kind: "maker", mechanism: "flip", seed: 1.5 }), "seed");
  });

  it("debtAuctions: absent → none; {} → the March 2020 defaults; fields over them; bad ones named", () => {
    assert.equal(readMakerScenario(example).debtAuctions, null);
    assert.deepEqual(
      readMakerScenario({ ...example, debtAuctions: {} }).debtAuctions,
      DEBT_AUCTIONS_MARCH_2020,
    );
    const s = readMakerScenario({
      ...example,
      debtAuctions: { bidders: 2, margin: 0.1, flopper: "1.2", gasDai: 0 },
    });
    assert.equal(s.debtAuctions?.bidders.length, 2);
    assert.equal(s.debtAuctions?.bidders[1]?.margin, 0.1);
    assert.equal(s.debtAuctions?.flopper.version, "1.2");
    assert.equal(s.debtAuctions?.gasDai, 0);
    const flop = (debtAuctions: unknown) => refusedField({ ...example, debtAuctions });
    assert.equal(flop(5), "debtAuctions");
    assert.equal(flop({ bidders: 0 }), "debtAuctions.bidders");
    assert.equal(flop({ bidders: 1.5 }), "debtAuctions.bidders");
    assert.equal(flop({ margin: 1 }), "debtAuctions.margin");
    assert.equal(flop({ capitalDai: 0 }), "debtAuctions.capitalDai");
    assert.equal(flop({ stepSeconds: 0 }), "debtAuctions.stepSeconds");
    assert.equal(flop({ flopper: "2.0" }), "debtAuctions.flopper");
    assert.equal(flop({ sump: 1 }), "debtAuctions.sump");
  });

  it("readScenarioOfKind dispatches on kind and names an unknown one", () => {
    assert.equal(readScenarioOfKind(example, () => "").kind, "maker");
    assert.throws(() => readScenarioOfKind({ kind: "options" }, () => ""), /kind/);
  });
});

describe("simulateMakerScenario", () => {
  it("flip with the reconciled options is reconciled; other keepers make it a counterfactual; clip always is one", () => {
    const flip = simulateMakerScenario(readMakerScenario(example));
    assert.equal(flip.reconciliation.reconciled, true);
    assert.equal("debtAuctions" in flip, false, "no debt auctions unless asked: the report is unchanged");
    const share = flip.headline.find((h) => h.label === "zero-bid share");
    assert.ok(share !== undefined && share.published === 0.36 && Math.abs(share.value / 0.36 - 1) < 0.1);
    const rational = simulateMakerScenario(
      readMakerScenario({ ...example, conditions: { ...example.conditions, txFailure: 0.05 } }),
    );
    assert.equal(rational.reconciliation.reconciled, false);
    const clip = simulateMakerScenario(readMakerScenario({ ...example, mechanism: "clip" }));
    assert.equal(clip.reconciliation.reconciled, false);
    assert.match(clip.reconciliation.note, /counterfactual/);
    assert.equal(clip.headline.find((h) => h.label === "zero-bid share")?.value, 0);
    assert.ok(clip.quarterHours.some((q) => q.paidPerEth !== null));
  });
});

describe("simulateMakerScenario with a seed", () => {
  it("{ seed } replaces the day's seed: the report of the scenario with that day.seed, a counterfactual of flip", () => {
    const scenario = readMakerScenario(example);
    const reseeded = simulateMakerScenario(scenario, { seed: 7 });
    const o = scenario.options;
    assert.deepEqual(
      reseeded,
      simulateMakerScenario({ ...scenario, options: { ...o, day: { ...o.day, seed: 7 } } }),
    );
    assert.equal(reseeded.seed, 7);
    assert.equal(reseeded.reconciliation.reconciled, false, "another seed than the reconciled day's");
    assert.notDeepEqual(reseeded.headline, simulateMakerScenario(scenario).headline);
    assert.deepEqual(simulateMakerScenario(scenario, { seed: o.day.seed }), simulateMakerScenario(scenario));
    assert.equal(
      scenario.options.day.seed,
      BLACK_THURSDAY_DEFAULTS.day.seed,
      "the scenario is not written to",
    );
    assert.throws(
      () => simulateMakerScenario(scenario, { seed: 7.5 }),
      (e) => e instanceof InputError && e.field === "seed",
    );
  });
});

describe("simulateMakerScenario with debt auctions", () => {
  it("the reconciled day's debt sold by flop: within the stated tolerance of the published outcome", () => {
    const r = simulateMakerScenario(readMakerScenario({ ...example, debtAuctions: {} }));
    const f = r.debtAuctions;
    assert.ok(f !== undefined);
    assert.equal(f.withinTolerance, true);
    const minted = f.headline.find((h) => h.label === "MKR minted");
    const raised = f.headline.find((h) => h.label === "DAI raised");
    const price = f.headline.find((h) => h.label === "average price (DAI/MKR)");
    assert.equal(minted?.published, 20_980);
    assert.ok(minted !== undefined && raised !== undefined && price !== undefined && minted.value > 0);
    assert.ok(Math.abs(raised.value / minted.value - price.value) < 1e-9 * price.value);
  });
});

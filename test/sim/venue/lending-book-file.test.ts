/**
 * Lending books loaded from a file (src/sim/venue/lending-book-file.ts) and Compound III lending
 * scenarios (`market.procedure`, `population.file`; examples/venue/compound-usdc.json): the documents
 * are read by their venue's reader into the engine's book, errors name the account index and the
 * field, the file resolves against the scenario's folder, and the report carries the reserves, the
 * absorbs and the store front while the Aave report keeps its keys.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.js";
import { loadLendingBook } from "../../../src/sim/venue/lending-book-file.js";
import { readLendingScenario, simulateLendingScenario } from "../../../src/sim/venue/lending-scenario.js";
import { readScenarioOfKind } from "../../../src/sim/venue/scenario-kind.js";
import { ROOT } from "../../helpers/cli.js";
import { runInProcess } from "../../helpers/cli-in-process.js";

const venueFile = (name: string) => readFileSync(join(ROOT, "examples/venue", name), "utf8");
const readFile = (path: string) => venueFile(path);
const ACCOUNTS = venueFile("compound-usdc-accounts.json");
const SCENARIO = JSON.parse(venueFile("compound-usdc.json")) as Record<string, unknown>;
const SYMBOLS = ["WETH", "WBTC", "COMP", "UNI", "LINK", "USDC"];
const COMET = { market: undefined }; // cUSDCv3 launch configuration

/** The field of the InputError `f` throws. */
function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.field;
    throw e;
  }
  assert.fail("expected an InputError");
}

/** The example's documents with `edit` applied to a copy. */
function edited(edit: (docs: Record<string, unknown>[]) => void): string {
  const docs = JSON.parse(ACCOUNTS) as Record<string, unknown>[];
  edit(docs);
  return JSON.stringify(docs);
}

describe("lending book from a file", () => {
  it("reads the example's compound-v3 documents into the engine's book (amounts in tokens, liquidateCF as LT)", () => {
    const book = loadLendingBook(ACCOUNTS, SYMBOLS, COMET);
    assert.equal(book.accounts, 16);
    // accounts[1]: 344.827586 WETH and 4.115226 WBTC against 1,191,379.31 USDC (in the market's
    // asset order, WBTC first, as Comet's view lists them).
    const c = book.collStart[1] as number;
    assert.deepEqual(Array.from(book.collReserve.subarray(c, c + 2)), [1, 0]);
    assert.deepEqual(Array.from(book.collAmount.subarray(c, c + 2)), [4.115226, 344.827586]);
    assert.deepEqual(Array.from(book.collLt.subarray(c, c + 2)), [0.77, 0.895]);
    assert.equal(book.debtReserve[1], 5);
    assert.equal(book.debtAmount[1], 1_191_379.31);
  });

  it("reads aave-v3 documents (one document or NDJSON) under Aave's procedure", () => {
    const doc = readFileSync(join(ROOT, "examples/lending/aave-v3-account.json"), "utf8");
    const symbols = ["WETH", "WBTC", "USDC", "DAI"];
    const one = loadLendingBook(doc, symbols);
    assert.equal(one.accounts, 1);
    assert.deepEqual(Array.from(one.collAmount), [2.5, 0.05]);
    assert.deepEqual(Array.from(one.collLt), [0.83, 0.78]);
    assert.deepEqual(Array.from(one.debtAmount), [8000, 500]);
    const ndjson = `${JSON.stringify(JSON.parse(doc))}\n${JSON.stringify(JSON.parse(doc))}\n`;
    assert.equal(loadLendingBook(ndjson, symbols).accounts, 2);
  });

  it("names the account index and the field of a bad document", () => {
    const load = (text: string) => () => loadLendingBook(text, SYMBOLS, COMET);
    assert.equal(
      fieldOf(
        load(
          edited((d) => {
            (d[2]?.debt as Record<string, unknown>[])[0] = { symbol: "USDC", amount: "-5", price: 1 };
          }),
        ),
      ),
      "accounts[2].debt[0].amount",
    );
    assert.equal(
      fieldOf(
        load(
          edited((d) => {
            (d[1] as Record<string, unknown>).venue = "aave-v3";
          }),
        ),
      ),
      "accounts[1].venue",
    );
    assert.equal(
      fieldOf(
        load(
          edited((d) => {
            (d[0] as Record<string, unknown>).market = {};
          }),
        ),
      ),
      "accounts[0].market",
    );
    // A collateral the market takes but the scenario does not list.
    assert.equal(
      fieldOf(() => loadLendingBook(ACCOUNTS, ["WETH", "WBTC", "COMP", "LINK", "USDC"], COMET)),
      "accounts[10].collateral[0].symbol",
    );
    assert.equal(fieldOf(load("[]")), "accounts");
  });
});

describe("Compound III lending scenario", () => {
  it("the example replays 2025-10-10: accounts absorbed, reserves below zero and back through the store front, the ledger balanced", () => {
    const s = readScenarioOfKind(SCENARIO, readFile);
    if (s.kind !== "lending" || s.mode !== "replay") assert.fail("a lending replay");
    const r = simulateLendingScenario(s);
    const c = r.compound;
    assert.ok(c !== undefined);
    assert.equal(r.populationFile, "compound-usdc-accounts.json");
    assert.equal(r.accounts, 16);
    assert.ok(c.totals.absorbs > 0 && c.totals.absorbs <= 16);
    assert.equal(c.reservesStart, 100_000);
    assert.ok(c.reservesMin < 0, "the absorbs drive the reserves below zero");
    assert.ok(c.totals.storeFrontSales > 0);
    assert.ok(c.reservesEnd > c.reservesMin);
    assert.equal(c.targetReserves, 5_000_000);
    assert.ok(r.ledgerImbalance <= 1e-9, `imbalance ${r.ledgerImbalance}`);
    assert.equal(r.reconciliation.reconciled, false);
    // Debt absorbed = collateral credited at the liquidation factors + shortfall − excess credit.
    assert.equal(r.totals.repaidUsd, c.totals.absorbedDebtUsd);
    // Deterministic.
    assert.deepEqual(simulateLendingScenario(s), r);
  });

  it("the Aave report keeps its keys (no compound, no populationFile)", () => {
    const aave = JSON.parse(venueFile("aave-lending.json")) as Record<string, unknown>;
    const s = readScenarioOfKind(
      { ...aave, population: { ...(aave.population as object), count: 200 } },
      readFile,
    );
    if (s.kind !== "lending" || s.mode !== "replay") assert.fail("a lending replay");
    const r = simulateLendingScenario(s);
    assert.equal("compound" in r, false);
    assert.equal("populationFile" in r, false);
  });

  it("names the JSON path of a bad field", () => {
    const market = SCENARIO.market as Record<string, unknown>;
    const procedure = market.procedure as Record<string, unknown>;
    const assets = market.assets as Record<string, unknown>[];
    const read = (doc: unknown) => () => readScenarioOfKind(doc, readFile);
    const withMarket = (m: Record<string, unknown>) => read({ ...SCENARIO, market: { ...market, ...m } });
    assert.equal(
      fieldOf(withMarket({ procedure: { ...procedure, kind: "maker" } })),
      "market.procedure.kind",
    );
    const cometMarket = procedure.market as Record<string, unknown>;
    const cometAssets = cometMarket.assets as Record<string, unknown>[];
    assert.equal(
      fieldOf(
        withMarket({
          procedure: {
            ...procedure,
            market: { ...cometMarket, assets: [{ ...cometAssets[0], liquidationFactor: "1.5" }] },
          },
        }),
      ),
      "market.procedure.market.assets[0].liquidationFactor",
    );
    assert.equal(
      fieldOf(withMarket({ assets: [{ ...assets[0], liquidationBonus: 0.05 }, ...assets.slice(1)] })),
      "market.assets[0].liquidationBonus",
    );
    assert.equal(
      fieldOf(withMarket({ procedure: { ...procedure, reserves: "lots" } })),
      "market.procedure.reserves",
    );
    // Without the scenario's folder (a document, not a file) the account file cannot be read.
    assert.equal(
      fieldOf(() => readLendingScenario(SCENARIO)),
      "population.file",
    );
  });

  it("liqopt simulate resolves population.file against the scenario's folder and shows reserves, absorbs and store-front sales", async () => {
    const r = await runInProcess(["simulate", "--config", join(ROOT, "examples/venue/compound-usdc.json")]);
    assert.equal(r.code, 0, String(r.error));
    for (const line of ["accounts absorbed", "lowest reserves (USDC)", "store-front sales (buyCollateral)"])
      assert.ok(r.stdout.includes(line), line);
    assert.match(r.stdout, /warning: the reserves went negative/);
    // The same scenario in another folder: its account file is not there.
    const dir = mkdtempSync(join(tmpdir(), "liqopt-comet-"));
    writeFileSync(join(dir, "s.json"), JSON.stringify(SCENARIO));
    const missing = await runInProcess(["simulate", "--config", join(dir, "s.json")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /population\.file/);
    writeFileSync(join(dir, "compound-usdc-accounts.json"), ACCOUNTS);
    const json = await runInProcess(["simulate", "--config", join(dir, "s.json"), "--json"]);
    assert.equal(json.code, 0, String(json.error));
    const report = JSON.parse(json.stdout) as { compound: { totals: { absorbs: number } } };
    assert.ok(report.compound.totals.absorbs > 0);
  });
});

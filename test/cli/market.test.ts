/**
 * End-to-end tests of the market and risk commands (`vol`, `var`, `backtest-var`, `book`,
 * `funding`, `implied`, `data inspect`, `data list`, `venues`): each command's --json output is
 * its library function's result for the same input (the numbers are tested with those functions,
 * under test/vol, test/risk, test/market and test/venues), the charts render, and errors keep the
 * CLI's one-line contract.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { bookChart, loadBooks } from "../../src/cli/book.js";
import { impliedChart } from "../../src/cli/implied.js";
import { loadCandlesOption } from "../../src/cli/market-options.js";
import { backtestVarChart, readPositionOption, varChart } from "../../src/cli/var.js";
import { bundledPath } from "../../src/market/bundled.js";
import { readDeribitChainFile } from "../../src/market/options.js";
import { backtestVar } from "../../src/risk/backtest-report.js";
import { bookReport } from "../../src/risk/book-report.js";
import { impliedReport, impliedSmiles } from "../../src/vol/implied-report.js";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";
import { BOOK_DEFAULTS, VAR_DEFAULTS } from "../helpers/market-defaults.js";

describe("liqopt vol", () => {
  test("CLI: table on bundled hourly data; errors name the option", async () => {
    const text = ok(
      await liqopt(["vol", "--candles", "eth-1h", "--from", "2024-01-01", "--garch-bars", "500"]),
    );
    assert.match(text, /ETHUSDT: \d+ bars of 1 h/);
    assert.match(text, /yang-zhang/);
    // The default fit (BTCUSDT daily, 2000 returns, GARCH-t) ends on the stationarity bound.
    const bound = ok(await liqopt(["vol"]));
    assert.match(bound, /^warning: GARCH fit: persistence α \+ β is at the stationarity bound 1/m);
    assert.match(bound, /shock half-life not identified \(persistence at the stationarity bound\)/);
    assert.doesNotMatch(bound, /half-life [\d,.]+ bars/);
    const free = ok(await liqopt(["vol", "--unconstrained"]));
    assert.match(free, /returns \(%\), stationarity not imposed:/);
    assert.match(free, /persistence 1\.0087/);
    assert.match(free, /long run none \(not stationary\); shock half-life none \(not stationary/);
    assert.match(free, /^warning: GARCH fit: persistence 1\.00869 ≥ 1/m);
    const interior = ok(await liqopt(["vol", "--garch-bars", "500"]));
    assert.doesNotMatch(interior, /^warning:/m);
    assert.match(interior, /shock half-life [\d,.]+ bars/);
    assertInputError(await liqopt(["vol", "--window", "1.5"]), "--window");
    assertInputError(await liqopt(["vol", "--model", "egarch"]), "--model");
    assertInputError(await liqopt(["vol", "--from", "2030-01-01"]), "--from/--to");
    assertInputError(await liqopt(["vol", "--candles", "missing.csv"]), "missing.csv");
  });
});

describe("liqopt data", () => {
  test("CLI: inspect and list; an unknown format is a one-line error", async () => {
    const j = json(await liqopt(["data", "inspect", "sol-1h", "--json"]));
    assert.equal(j.records, 31485);
    assert.equal((j.gaps as { count: number }).count, 0);
    assert.match(ok(await liqopt(["data", "list"])), /btc-1h/);
    assertInputError(await liqopt(["data", "inspect", "package.json"]), "<file>");
  });
});

describe("liqopt var and backtest-var", () => {
  test("chart: VaR against confidence for the closed-form and historical models", () => {
    const selection = loadCandlesOption("btc-1d", { to: "2025-01-01" }, 501);
    const svg = varChart(selection, { ...VAR_DEFAULTS, window: 500, methods: ["historical"] });
    for (const name of ["historical", "normal", "Student-t", "Cornish–Fisher"]) assert.ok(svg.includes(name));
  });

  test("--position parsing", () => {
    assert.deepEqual(readPositionOption("eth-1h=-10"), { candles: "eth-1h", quantity: -10 });
    assert.throws(() => readPositionOption("eth-1h"), /--position/);
    assert.throws(() => readPositionOption("eth-1h=0"), /--position/);
  });

  test("chart: the backtest chart marks each exception of the chosen model", () => {
    const selection = loadCandlesOption("btc-1d", { to: "2021-01-01" }, 10);
    const r = backtestVar(selection, {
      confidence: 0.975,
      window: 300,
      refitEvery: 50,
      models: ["historical"],
    });
    const exceptions = r.models[0]?.exceptions.reduce((s, e) => s + e, 0);
    const svg = backtestVarChart("BTCUSDT", r, "historical");
    assert.ok(svg.includes(`exceptions (historical): ${exceptions}`));
  });

  test("CLI: var and backtest-var tables, JSON, chart; errors name the option", async () => {
    assert.match(ok(await liqopt(["var", "--method", "historical,normal", "--window", "300"])), /historical/);
    const j = json(await liqopt(["backtest-var", "--window", "250", "--models", "historical", "--json"]));
    assert.equal((j.models as unknown[]).length, 1);
    assertInputError(await liqopt(["var", "--confidence", "99"]), "--confidence");
    assertInputError(await liqopt(["var", "--method", "garch"]), "--method");
    assertInputError(await liqopt(["backtest-var", "--chart", "out.pdf"]), "--chart");
    assertInputError(await liqopt(["var", "--position", "btc-1h"]), "--position");
  });
});

describe("liqopt book and funding", () => {
  test("book: the recording's snapshots; the depth chart of the last one", () => {
    const loaded = loadBooks("bitmex-xbtusd", "XBTUSD", 1000);
    // 30 s of updates sampled once a second (the shared README: 2021-07-22 22:36:07 → 22:36:38).
    assert.ok(loaded.books.length >= 25 && loaded.books.length <= 32);
    assert.match(bookChart(loaded, bookReport(loaded, BOOK_DEFAULTS), 100), /^<svg/);
  });

  test("CLI: book and funding with charts; errors name the option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "liqopt-"));
    try {
      const j = json(
        await liqopt(["book", "--size", "5", "--unit", "base", "--json", "--chart", join(dir, "d.svg")]),
      );
      assert.equal(j.symbol, "XBTUSD");
      assert.ok(readFileSync(join(dir, "d.svg"), "utf8").startsWith("<svg"));
      assert.match(
        ok(await liqopt(["funding", "--side", "short", "--from", "2022-11-01", "--hours", "240"])),
        /A short of/,
      );
      assertInputError(await liqopt(["book", "--unit", "lots"]), "--unit");
      assertInputError(await liqopt(["book", "--symbol", "DOGEUSD"]), "--symbol");
      assertInputError(await liqopt(["funding", "--side", "long"]), "--from");
      assertInputError(
        await liqopt([
          "funding",
          "--funding",
          join("data", "options", "deribit_btc_dvol-daily-close_2022-11_2025-11.json"),
        ]),
        "--funding-unit",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("liqopt implied", () => {
  test("chart: every smile with its SVI fit", () => {
    const source = bundledPath("options/deribit_btc_option-chain_2025-12-05.csv");
    const { chain } = readDeribitChainFile(source);
    const report = impliedReport({ source, chain, dvol: null }, { weighting: "vega" });
    const svg = impliedChart(report, impliedSmiles(chain, "vega"), 3);
    assert.equal(svg.match(/SVI 20/g)?.length, 3);
  });

  test("CLI: ETH chain table; bad weights name the option", async () => {
    assert.match(ok(await liqopt(["implied", "--chain", "deribit-eth"])), /VIX-style 30-day index/);
    assertInputError(await liqopt(["implied", "--weights", "equal"]), "--weights");
  });
});

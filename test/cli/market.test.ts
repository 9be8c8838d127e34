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
import { loadFunding } from "../../src/cli/funding.js";
import { impliedChart } from "../../src/cli/implied.js";
import { toJson } from "../../src/cli/io.js";
import { loadCandlesOption } from "../../src/cli/market-options.js";
import { backtestVarChart, readPositionOption, varChart } from "../../src/cli/var.js";
import { BUNDLED_DATASETS, bundledPath, resolveDataArgument } from "../../src/market/bundled.js";
import { inspectFile } from "../../src/market/inspect.js";
import { readDeribitChainFile } from "../../src/market/options.js";
import { backtestVar, backtestVarReport } from "../../src/risk/backtest-report.js";
import { bookReport } from "../../src/risk/book-report.js";
import { fundingReport } from "../../src/risk/funding-report.js";
import { assetVarReport, portfolioVarReport, VAR_METHODS } from "../../src/risk/var-report.js";
import { getVenue } from "../../src/venues/index.js";
import { tierTableDetail, venueDetail, venueList } from "../../src/venues/venue-report.js";
import { impliedReport, impliedSmiles } from "../../src/vol/implied-report.js";
import { volReport } from "../../src/vol/vol-report.js";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";

/** The options `liqopt var` passes when given none. */
const VAR_DEFAULTS = {
  confidence: 0.99,
  horizon: 1,
  window: 1000,
  methods: VAR_METHODS,
  seed: 1,
  paths: 100_000,
  notional: null,
} as const;

/** The options `liqopt book` passes when given none. */
const BOOK_DEFAULTS = {
  size: 1_000_000,
  unit: "quote",
  feeRate: 0.0005,
  curveMultiples: [0.1, 0.25, 0.5, 1, 2, 5, 10],
  depthBps: [1, 5, 10, 25, 50, 100],
} as const;

describe("liqopt vol", () => {
  test("CLI: table on bundled hourly data; errors name the option", async () => {
    const text = ok(
      await liqopt(["vol", "--candles", "eth-1h", "--from", "2024-01-01", "--garch-bars", "500"]),
    );
    assert.match(text, /ETHUSDT: \d+ bars of 1 h/);
    assert.match(text, /yang-zhang/);
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
        "--rate-unit",
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

/** The CLI's `--json` output for `args` deep-equals the library's result as the CLI serialises it. */
async function assertCliJson(args: string[], library: () => unknown): Promise<void> {
  const cli = json(await liqopt(args));
  assert.deepEqual(cli, JSON.parse(toJson(library())));
}

describe("each market command's JSON is one library call", () => {
  test("vol: volReport", async () => {
    const args = ["vol", "--candles", "sol-1h", "--from", "2024-03-01", "--dist", "normal", "--json"];
    await assertCliJson(args, () =>
      volReport(loadCandlesOption("sol-1h", { from: "2024-03-01" }, 51), {
        window: 30,
        lambda: 0.94,
        model: "garch",
        dist: "normal",
        garchBars: 2000,
        horizonBars: 7,
      }),
    );
  });

  test("var: assetVarReport, every method", async () => {
    const args = ["var", "--candles", "eth-1d", "--window", "300", "--paths", "1000", "--notional", "5000"];
    await assertCliJson([...args, "--json"], () =>
      assetVarReport(loadCandlesOption("eth-1d", {}, 301), {
        ...VAR_DEFAULTS,
        window: 300,
        paths: 1000,
        notional: 5000,
      }),
    );
  });

  test("var --position: portfolioVarReport", async () => {
    const args = ["var", "--position", "btc-1d=1", "--position", "eth-1d=-10", "--window", "300"];
    await assertCliJson([...args, "--paths", "1000", "--horizon", "5", "--json"], () =>
      portfolioVarReport(
        [loadCandlesOption("btc-1d", {}, 301), loadCandlesOption("eth-1d", {}, 301)],
        [1, -10],
        { ...VAR_DEFAULTS, horizon: 5, window: 300, paths: 1000 },
      ),
    );
  });

  test("backtest-var: backtestVarReport", async () => {
    const args = [
      "backtest-var",
      "--to",
      "2021-01-01",
      "--window",
      "250",
      "--models",
      "historical,student-t",
    ];
    await assertCliJson([...args, "--json"], () =>
      backtestVarReport(loadCandlesOption("btc-1d", { to: "2021-01-01" }, 253), {
        confidence: 0.99,
        window: 250,
        refitEvery: 20,
        models: ["historical", "student-t"],
      }),
    );
  });

  test("book: bookReport", async () => {
    await assertCliJson(["book", "--size", "5", "--unit", "base", "--fee-bps", "7.5", "--json"], () =>
      bookReport(loadBooks("bitmex-xbtusd", "XBTUSD", 1000), {
        ...BOOK_DEFAULTS,
        size: 5,
        unit: "base",
        feeRate: 0.00075,
      }),
    );
  });

  test("funding: fundingReport", async () => {
    const args = ["funding", "--side", "short", "--from", "2022-11-01", "--hours", "240", "--leverage", "20"];
    await assertCliJson([...args, "--json"], () =>
      fundingReport(loadFunding("btc-funding-8h", undefined), {
        regimeWindow: 21,
        regimeThreshold: 0.0001,
        position: {
          side: "short",
          notionalQuote: 1_000_000,
          fromMs: Date.UTC(2022, 10, 1),
          horizonHours: 240,
          leverage: 20,
          maintenanceMarginRate: 0.004,
        },
      }),
    );
  });

  test("implied: impliedReport (the ETH chain has no bundled DVOL)", async () => {
    await assertCliJson(["implied", "--chain", "deribit-eth", "--weights", "uniform", "--json"], () => {
      const source = resolveDataArgument("deribit-eth", "options").path;
      const { chain } = readDeribitChainFile(source);
      return impliedReport({ source, chain, dvol: null }, { weighting: "uniform" });
    });
  });

  test("data inspect: inspectFile; data list: BUNDLED_DATASETS", async () => {
    await assertCliJson(["data", "inspect", "btc-funding-8h", "--json"], () => inspectFile("btc-funding-8h"));
    await assertCliJson(["data", "list", "--json"], () => BUNDLED_DATASETS);
  });

  test("venues: venueList, venueDetail, tierTableDetail", async () => {
    await assertCliJson(["venues", "--json"], () => venueList());
    await assertCliJson(["venues", "bybit", "--json"], () => venueDetail(getVenue("bybit")));
    await assertCliJson(["venues", "bitmex", "--symbol", "XBTUSD", "--json"], () =>
      tierTableDetail(getVenue("bitmex"), "XBTUSD"),
    );
  });
});

/**
 * End-to-end and in-process tests of the market commands: `liqopt vol`, `liqopt data inspect`,
 * `liqopt data list`. Numbers are checked against the library functions they report (each of
 * which has its own parity test), and errors against the CLI's one-line contract.
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
import { walkBook } from "../../src/market/book-walk.js";
import { BUNDLED_DATASETS, bundledPath, resolveDataArgument } from "../../src/market/bundled.js";
import { barIndex, readCandleFile } from "../../src/market/candles.js";
import { inspectFile } from "../../src/market/inspect.js";
import { readDeribitChainFile, readDvolFile } from "../../src/market/options.js";
import { backtestVar, backtestVarReport } from "../../src/risk/backtest-report.js";
import { bookReport } from "../../src/risk/book-report.js";
import { fundingCost } from "../../src/risk/funding.js";
import { fundingReport } from "../../src/risk/funding-report.js";
import { historicalVar } from "../../src/risk/var-historical.js";
import { studentTVar } from "../../src/risk/var-parametric.js";
import { portfolioNormalVar } from "../../src/risk/var-portfolio.js";
import { assetVarReport, portfolioVarReport, VAR_METHODS } from "../../src/risk/var-report.js";
import { getVenue } from "../../src/venues/index.js";
import { tierTableDetail, venueDetail, venueList } from "../../src/venues/venue-report.js";
import { impliedReport, impliedSmiles } from "../../src/vol/implied-report.js";
import { logReturns, realizedVolatility } from "../../src/vol/realized.js";
import { volHistory, volReport } from "../../src/vol/vol-report.js";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";

const OPTIONS = {
  window: 366,
  lambda: 0.94,
  model: "garch",
  dist: "normal",
  garchBars: 366,
  horizonBars: 7,
} as const;

describe("liqopt vol", () => {
  test("the realized lines are the library's estimates over the last --window bars (R13 window)", () => {
    const selection = loadCandlesOption("btc-1d", { from: "2023-12-31", to: "2025-01-01" }, 10);
    const r = volReport(selection, OPTIONS);
    assert.equal(r.window.firstBar, "2024-01-01T00:00:00.000Z");
    assert.equal(r.window.lastBar, "2024-12-31T00:00:00.000Z");
    // quant.md R13 (TTR and numpy): yang-zhang 0.02933364 per day, close-to-close 0.02757337.
    const yz = r.realized.find((l) => l.estimator === "yang-zhang");
    const cc = r.realized.find((l) => l.estimator === "close-to-close");
    assert.ok(Math.abs((yz?.perBarVol ?? 0) - 0.02933364) < 5e-9);
    assert.ok(Math.abs((cc?.perBarVol ?? 0) - 0.02757337) < 5e-9);
    const full = readCandleFile(bundledPath("ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv")).series;
    const start = barIndex(full, Date.UTC(2024, 0, 1));
    const end = barIndex(full, Date.UTC(2025, 0, 1));
    assert.equal(r.realized[1]?.perBarVol, realizedVolatility(full, "parkinson", { start, end }).perBarVol);
  });

  test("the GARCH forecast over the horizon lies between the next-bar and the long-run level", () => {
    const selection = loadCandlesOption("btc-1d", { from: "2023-12-31", to: "2025-01-01" }, 10);
    const g = volReport(selection, OPTIONS).garch;
    assert.ok(g.persistence < 1 && g.halfLifeBars < g.returns);
    const lo = Math.min(g.nextAnnualVol, g.longRunAnnualVol);
    const hi = Math.max(g.nextAnnualVol, g.longRunAnnualVol);
    assert.ok(g.horizonAnnualVol >= lo - 1e-12 && g.horizonAnnualVol <= hi + 1e-12);
  });

  test("the chart paths: rolling vol equals the window estimate at the last bar; GARCH path ends at the fit", () => {
    const selection = loadCandlesOption("btc-1d", { from: "2023-12-31", to: "2025-01-01" }, 10);
    const r = volReport(selection, { ...OPTIONS, window: 30 });
    const h = volHistory(selection, { ...OPTIONS, window: 30 }, r.garch);
    const last = h.rolling[h.rolling.length - 1] as number;
    const cc = r.realized.find((l) => l.estimator === "close-to-close")?.annualVol as number;
    assert.ok(Math.abs(last - cc) < 1e-12 * cc);
    assert.ok(Number.isNaN(h.garch[0] as number) && Number.isFinite(h.garch[h.garch.length - 1] as number));
  });

  test("CLI: table and JSON on bundled hourly data; errors name the option", async () => {
    const text = ok(
      await liqopt(["vol", "--candles", "eth-1h", "--from", "2024-01-01", "--garch-bars", "500"]),
    );
    assert.match(text, /ETHUSDT: \d+ bars of 1 h/);
    assert.match(text, /yang-zhang/);
    const j = json(
      await liqopt(["vol", "--candles", "sol-1h", "--from", "2024-03-01", "--json", "--dist", "normal"]),
    );
    assert.equal((j.source as { symbol: string }).symbol, "SOLUSDT");
    assertInputError(await liqopt(["vol", "--window", "1.5"]), "--window");
    assertInputError(await liqopt(["vol", "--model", "egarch"]), "--model");
    assertInputError(await liqopt(["vol", "--from", "2030-01-01"]), "--from/--to");
    assertInputError(await liqopt(["vol", "--candles", "missing.csv"]), "missing.csv");
  });
});

describe("liqopt data", () => {
  test("inspect reports the bundled daily file's newest-first order and its four 2026 gaps", () => {
    const r = inspectFile("btc-1d");
    assert.equal(r.kind, "candles");
    assert.equal(r.order, "descending");
    assert.equal(r.records, 3142);
    assert.equal(r.gaps.count, 4);
    assert.equal(r.firstTime, "2017-08-17T00:00:00.000Z");
  });

  test("CLI: inspect and list; an unknown format is a one-line error", async () => {
    const j = json(await liqopt(["data", "inspect", "sol-1h", "--json"]));
    assert.equal(j.records, 31485);
    assert.equal((j.gaps as { count: number }).count, 0);
    assert.match(ok(await liqopt(["data", "list"])), /btc-1h/);
    assertInputError(await liqopt(["data", "inspect", "package.json"]), "<file>");
  });
});

describe("liqopt var and backtest-var", () => {
  const varOptions = {
    confidence: 0.99,
    horizon: 1,
    window: 500,
    methods: ["historical", "t"] as const,
    seed: 1,
    paths: 2000,
    notional: 250_000,
  };

  test("single asset: each line is the library's VaR of the last --window log returns, valued on the notional", () => {
    const selection = loadCandlesOption("btc-1d", { to: "2025-01-01" }, 501);
    const r = assetVarReport(selection, varOptions);
    const returns = logReturns(selection.series.close);
    const last = returns.subarray(returns.length - 500);
    const h = historicalVar(last, { confidence: 0.99 });
    const t = studentTVar(last, { confidence: 0.99 });
    assert.equal(r.lines[0]?.varLogReturn, h.var);
    assert.equal(r.lines[1]?.esLogReturn, t.es);
    assert.ok(Math.abs((r.lines[0]?.varAmount ?? 0) - 250_000 * -Math.expm1(-h.var)) < 1e-9);
    for (const l of r.lines) assert.ok(l.esFraction >= l.varFraction);
    assert.match(varChart(selection, varOptions), /Student-t/);
  });

  test("portfolio: aligned on common bars; the normal components sum to the normal VaR", () => {
    const a = loadCandlesOption("btc-1h", { from: "2024-01-01" }, 10);
    const b = loadCandlesOption("eth-1h", { from: "2024-01-01" }, 10);
    const r = portfolioVarReport([a, b], [1, -10], { ...varOptions, window: 1000 });
    const normal = r.lines.find((l) => l.method === "normal");
    const sum = r.positions.reduce((s, p) => s + p.componentVar, 0);
    assert.ok(Math.abs(sum - (normal?.var ?? 0)) < 1e-6 * Math.abs(sum));
    assert.equal(r.positions[1]?.value, -10 * (r.positions[1]?.price ?? 0));
    // Same numbers as the library on the same aligned series.
    const ra = logReturns(a.series.close.subarray(a.series.close.length - 1001));
    const rb = logReturns(b.series.close.subarray(b.series.close.length - 1001));
    const lib = portfolioNormalVar(
      r.positions.map((p) => ({ asset: p.asset, quantity: p.quantity, price: p.price })),
      [ra, rb],
      { confidence: 0.99 },
    );
    assert.ok(Math.abs(lib.var - (normal?.var ?? 0)) < 1e-9 * lib.var);
  });

  test("--position parsing", () => {
    assert.deepEqual(readPositionOption("eth-1h=-10"), { candles: "eth-1h", quantity: -10 });
    assert.throws(() => readPositionOption("eth-1h"), /--position/);
    assert.throws(() => readPositionOption("eth-1h=0"), /--position/);
  });

  test("backtest: the summary restates the rolling report; the chart marks each exception", () => {
    const selection = loadCandlesOption("btc-1d", { to: "2022-01-01" }, 10);
    const options = {
      confidence: 0.99,
      window: 250,
      refitEvery: 25,
      models: ["historical", "normal"],
    } as const;
    const r = backtestVar(selection, options);
    const summary = backtestVarReport(selection, options, r);
    assert.deepEqual(summary, backtestVarReport(selection, options));
    const exceptions = r.models[0]?.exceptions.reduce((s, e) => s + e, 0);
    assert.equal(summary.models[0]?.exceptions, exceptions);
    assert.equal(summary.observations, r.losses.length);
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
  const bookOptions = {
    size: 2_000_000,
    unit: "quote",
    feeRate: 0.0005,
    curveMultiples: [0.5, 1, 4],
    depthBps: [5, 50],
  } as const;

  test("book: the walk is the library's on the recording's last snapshot; costs grow with size", () => {
    const loaded = loadBooks("bitmex-xbtusd", "XBTUSD", 1000);
    // 30 s of updates sampled once a second (the shared README: 2021-07-22 22:36:07 → 22:36:38).
    assert.ok(loaded.books.length >= 25 && loaded.books.length <= 32);
    const r = bookReport(loaded, bookOptions);
    const last = loaded.books[loaded.books.length - 1];
    assert.ok(last !== undefined);
    assert.deepEqual(r.sell, walkBook(last, "sell", 2_000_000, "quote"));
    const costs = r.curve.map((c) => c.long.totalFraction);
    assert.ok(costs[0] !== undefined && costs[2] !== undefined && costs[0] <= costs[2]);
    assert.ok((r.curve[0]?.long.totalFraction ?? 0) >= 0.0005);
    assert.ok(
      r.depth[0] !== undefined && r.depth[1] !== undefined && r.depth[0].bidQuote <= r.depth[1].bidQuote,
    );
    assert.match(bookChart(loaded, r, 100), /^<svg/);
  });

  test("funding: the position's payment is the library's; regime rows add up to the series", () => {
    const loaded = loadFunding("btc-funding-8h", undefined);
    const position = {
      side: "long",
      notionalQuote: 1_000_000,
      fromMs: Date.UTC(2021, 1, 1),
      horizonHours: 720,
      leverage: 10,
      maintenanceMarginRate: 0.004,
    } as const;
    const r = fundingReport(loaded, { regimeWindow: 21, regimeThreshold: 0.0001, position });
    const lib = fundingCost(loaded.series, position);
    assert.equal(r.position?.totalQuote, lib.totalQuote);
    const rows = Object.values(r.regimes.summary).reduce((s, x) => s + x.rows, 0);
    assert.equal(rows, loaded.series.time.length - 20);
    // Paying funding on a long erodes the distance to liquidation when the rate is positive.
    assert.ok((r.position?.drag.finalDistance ?? 1) < (r.position?.drag.initialDistance ?? 0));
  });

  test("data inspect recognises funding, order-book, option-chain and DVOL files", () => {
    assert.equal(inspectFile("btc-funding-8h").anomalies[0]?.count, 5);
    const book = inspectFile("bitmex-xbtusd");
    assert.deepEqual(book.details.orderBookL2ByAction, {
      partial: 10,
      insert: 445,
      update: 1090,
      delete: 434,
    });
    assert.equal(inspectFile("deribit-btc").records, 676);
    assert.equal(inspectFile("btc-dvol").records, 1102);
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
  test("BTC chain: every expiry fitted, the index from the two expiries around 30 days, DVOL dated honestly", () => {
    const source = bundledPath("options/deribit_btc_option-chain_2025-12-05.csv");
    const { chain } = readDeribitChainFile(source);
    const dvol = readDvolFile(bundledPath("options/deribit_btc_dvol-daily-close_2022-11_2025-11.json"));
    const report = impliedReport({ source, chain, dvol }, { weighting: "vega" });
    const slices = impliedSmiles(chain, "vega");
    assert.equal(report.expiries.length, slices.length);
    for (const e of report.expiries)
      assert.ok(e.fit.weightedRmseVol < 0.02, `${e.expiry}: ${e.fit.weightedRmseVol}`);
    const days = (iso: string) => (Date.parse(iso) - Date.parse(report.snapshot)) / 86_400_000;
    assert.ok(
      report.index !== null && days(report.index.nearExpiry) <= 30 && days(report.index.nextExpiry) > 30,
    );
    // The last DVOL close precedes the snapshot (the file ends 2025-11-12).
    assert.equal(report.dvol?.date, "2025-11-12");
    assert.ok((report.dvol?.daysBeforeSnapshot ?? 0) > 20);
    assert.match(impliedChart(report, slices, 3), /SVI/);
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
        confidence: 0.99,
        horizon: 1,
        window: 300,
        methods: VAR_METHODS,
        seed: 1,
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
        {
          confidence: 0.99,
          horizon: 5,
          window: 300,
          methods: VAR_METHODS,
          seed: 1,
          paths: 1000,
          notional: null,
        },
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
        size: 5,
        unit: "base",
        feeRate: 0.00075,
        curveMultiples: [0.1, 0.25, 0.5, 1, 2, 5, 10],
        depthBps: [1, 5, 10, 25, 50, 100],
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

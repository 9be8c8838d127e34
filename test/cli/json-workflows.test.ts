/**
 * Every CLI command's `--json` is one library call (issue 9, "the library does everything; the CLI
 * and the coming server only parse, call and render"). The commands are enumerated from the CLI itself
 * (`liqopt --help`, and `liqopt <command> --help` for families of subcommands such as `data` and
 * `mechanism`); each must have a case below, and each case runs the real CLI and deep-equals its
 * output with the library function called on the same input, serialised as the CLI serialises it.
 * A new command without a case fails here.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadBooks } from "../../src/cli/book.js";
import { loadFunding } from "../../src/cli/funding.js";
import { loadDocument, toJson } from "../../src/cli/io.js";
import { loadCandlesOption } from "../../src/cli/market-options.js";
import { BUNDLED_DATASETS, resolveDataArgument } from "../../src/market/bundled.js";
import { sliceFundingByTime } from "../../src/market/funding.js";
import { inspectFile } from "../../src/market/inspect.js";
import { readDeribitChainFile } from "../../src/market/options.js";
import { traderBacktestReport } from "../../src/optimize/trader-backtest-report.js";
import { type TraderReportOptions, traderReport } from "../../src/optimize/trader-report.js";
import { backtestVarReport } from "../../src/risk/backtest-report.js";
import { bookReport } from "../../src/risk/book-report.js";
import { fundingReport } from "../../src/risk/funding-report.js";
import { assetVarReport, portfolioVarReport } from "../../src/risk/var-report.js";
import {
  readLendingScenario,
  simulateLendingMonteCarlo,
  simulateLendingScenario,
} from "../../src/sim/venue/lending-scenario.js";
import { readMakerScenario } from "../../src/sim/venue/maker-scenario.js";
import { simulateMakerScenario } from "../../src/sim/venue/maker-scenario-report.js";
import { readScenario } from "../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../src/sim/venue/scenario-report.js";
import { sweepScenario } from "../../src/sim/venue/sweep.js";
import { liqPriceReportOf } from "../../src/venues/account-report.js";
import { getVenue } from "../../src/venues/index.js";
import { liquidateReport } from "../../src/venues/liquidate-report.js";
import { adlQueueReport } from "../../src/venues/mechanisms/adl-queue.js";
import { cometAbsorbBatchReport } from "../../src/venues/mechanisms/comet-absorb.js";
import { driftLiquidationReport } from "../../src/venues/mechanisms/drift-liquidation.js";
import { dydxFillReport } from "../../src/venues/mechanisms/dydx-fill.js";
import { makerFlipReport } from "../../src/venues/mechanisms/maker-flip.js";
import { makerTakeReport } from "../../src/venues/mechanisms/maker-take.js";
import { tierTableDetail, venueDetail, venueList } from "../../src/venues/venue-report.js";
import { whatIfReport } from "../../src/venues/what-if-report.js";
import { impliedReport } from "../../src/vol/implied-report.js";
import { volReport } from "../../src/vol/vol-report.js";
import { json, liqopt, ok, ROOT } from "../helpers/cli.js";
import { BOOK_DEFAULTS, VAR_DEFAULTS } from "../helpers/market-defaults.js";

/** A parsed example document (under examples/). */
const example = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, "examples", path), "utf8"));

/** Reads the files a scenario under `examples/<folder>` names, relative to it. */
const exampleFile = (folder: string) => (path: string) =>
  readFileSync(join(ROOT, "examples", folder, path), "utf8");

/** One check: the CLI run with `args` (plus `--json`) prints what `library` returns. */
interface Case {
  readonly args: readonly string[];
  readonly library: () => unknown | Promise<unknown>;
}

/** `traderReport` on an example and the bundled BTC candles with the CLI's defaults, `over` changed. */
function traderLibrary(file: string, over: Partial<TraderReportOptions>): () => Promise<unknown> {
  return async () => {
    const loaded = await loadDocument(`examples/${file}`);
    if (loaded.kind !== "perp") throw new Error("a perpetual example");
    return traderReport(loaded.resolved, loadCandlesOption("btc-1h", {}, 51).series, {
      positionIndex: 0,
      horizonHours: 24,
      alpha: 0.01,
      model: "garch-t",
      windowBars: 2000,
      fundingRatePerInterval: 0,
      recoveryHours: 24,
      takerFeeRate: 0.0005,
      slippageBps: 2,
      squareRootImpactY: 1,
      idleRatePerYear: 0.05,
      forfeitRemainder: true,
      paths: 20_000,
      seed: 1,
      ...over,
    });
  };
}

/** The cases by command path (`"vol"`, `"data inspect"`, `"mechanism adl"`). */
const CASES: Readonly<Record<string, readonly Case[]>> = {
  "liq-price": [
    {
      args: ["--input", "examples/cross-btc-eth.json"],
      library: () => liqPriceReportOf(example("cross-btc-eth.json")),
    },
    {
      args: ["--input", "examples/lending/maker-vault.json"],
      library: () => liqPriceReportOf(example("lending/maker-vault.json")),
    },
    {
      args: ["--input", "examples/drift/drift-account.json"],
      library: () => liqPriceReportOf(example("drift/drift-account.json")),
    },
  ],
  "what-if": [
    {
      args: ["--input", "examples/cross-btc-eth.json", "--add-collateral", "2000"],
      library: () => whatIfReport(example("cross-btc-eth.json"), { addCollateral: "2000" }),
    },
    {
      args: ["--input", "examples/lending/aave-v3-account.json", "--repay", "1000"],
      library: () => whatIfReport(example("lending/aave-v3-account.json"), { repay: "1000" }),
    },
  ],
  liquidate: [
    {
      args: ["--input", "examples/hyperliquid-cross.json"],
      library: () => liquidateReport(example("hyperliquid-cross.json")),
    },
    {
      args: ["--input", "examples/lending/compound-v3-account.json"],
      library: () => liquidateReport(example("lending/compound-v3-account.json")),
    },
  ],
  venues: [
    { args: [], library: () => venueList() },
    { args: ["bybit"], library: () => venueDetail(getVenue("bybit")) },
    { args: ["bitmex", "--symbol", "XBTUSD"], library: () => tierTableDetail(getVenue("bitmex"), "XBTUSD") },
  ],
  trader: [
    {
      args: [
        "--input",
        "examples/hyperliquid-btc.json",
        "--model",
        "t",
        "--horizon",
        "12h",
        "--paths",
        "2000",
      ],
      library: traderLibrary("hyperliquid-btc.json", { horizonHours: 12, model: "t", paths: 2000 }),
    },
    {
      args: [
        "--input",
        "examples/isolated-btc.json",
        "--model",
        "garch",
        "--funding",
        "btc-funding-8h",
        "--paths",
        "1000",
      ],
      library: traderLibrary("isolated-btc.json", {
        model: "garch",
        fundingSeries: loadFunding("btc-funding-8h", undefined).series,
        paths: 1000,
      }),
    },
  ],
  "trader backtest": [
    {
      args: [
        "--candles",
        "btc-1h",
        "--funding",
        "btc-funding-8h",
        "--from",
        "2020-01-01",
        "--to",
        "2020-02-10",
        "--fit",
        "20d",
        "--min-fit",
        "20d",
        "--refit",
        "10d",
        "--paths",
        "100",
        "--knots",
        "2",
        "--policy",
        "alpha",
      ],
      library: () =>
        traderBacktestReport(
          loadCandlesOption("btc-1h", { from: "2020-01-01", to: "2020-02-10" }, 2).series,
          loadFunding("btc-funding-8h", undefined).series,
          {
            venue: "binance-usdm",
            symbol: "BTCUSDT",
            alpha: 0.01,
            horizonHours: 24,
            policies: ["alpha"],
            notional: 100_000,
            staticLeverage: 20,
            topUpFraction: 0.5,
            recoveryHours: 24,
            fitHours: 480,
            minFitHours: 480,
            refitHours: 240,
            paths: 100,
            knots: 2,
            seed: 1,
            takerFeeRate: 0.0005,
            slippageBps: 2,
            impactY: 1,
            idleRatePerYear: 0.05,
            forfeitRemainder: true,
          },
        ),
    },
  ],
  vol: [
    {
      args: ["--candles", "sol-1h", "--from", "2024-03-01", "--dist", "normal"],
      library: () =>
        volReport(loadCandlesOption("sol-1h", { from: "2024-03-01" }, 51), {
          window: 30,
          lambda: 0.94,
          model: "garch",
          dist: "normal",
          garchBars: 2000,
          horizonBars: 7,
        }),
    },
  ],
  var: [
    {
      args: ["--candles", "eth-1d", "--window", "300", "--paths", "1000", "--notional", "5000"],
      library: () =>
        assetVarReport(loadCandlesOption("eth-1d", {}, 301), {
          ...VAR_DEFAULTS,
          window: 300,
          paths: 1000,
          notional: 5000,
        }),
    },
    {
      args: [
        "--position",
        "btc-1d=1",
        "--position",
        "eth-1d=-10",
        "--window",
        "300",
        "--paths",
        "1000",
        "--horizon",
        "5",
      ],
      library: () =>
        portfolioVarReport(
          [loadCandlesOption("btc-1d", {}, 301), loadCandlesOption("eth-1d", {}, 301)],
          [1, -10],
          { ...VAR_DEFAULTS, horizon: 5, window: 300, paths: 1000 },
        ),
    },
  ],
  "backtest-var": [
    {
      args: ["--to", "2021-01-01", "--window", "250", "--models", "historical,student-t"],
      library: () =>
        backtestVarReport(loadCandlesOption("btc-1d", { to: "2021-01-01" }, 253), {
          confidence: 0.99,
          window: 250,
          refitEvery: 20,
          models: ["historical", "student-t"],
        }),
    },
  ],
  book: [
    {
      args: ["--size", "5", "--unit", "base", "--fee-bps", "7.5"],
      library: () =>
        bookReport(loadBooks("bitmex-xbtusd", "XBTUSD", 1000), {
          ...BOOK_DEFAULTS,
          size: 5,
          unit: "base",
          feeRate: 0.00075,
        }),
    },
  ],
  funding: [
    {
      args: ["--side", "short", "--from", "2022-11-01", "--hours", "240", "--leverage", "20"],
      library: () => {
        const loaded = loadFunding("btc-funding-8h", undefined);
        // --from bounds the series read as well as the position's start.
        const series = sliceFundingByTime(loaded.series, Date.UTC(2022, 10, 1), Number.MAX_VALUE);
        return fundingReport(
          { ...loaded, series },
          {
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
          },
        );
      },
    },
  ],
  implied: [
    {
      args: ["--chain", "deribit-eth", "--weights", "uniform"],
      library: () => {
        const source = resolveDataArgument("deribit-eth", "options").path;
        const { chain } = readDeribitChainFile(source);
        return impliedReport({ source, chain, dvol: null }, { weighting: "uniform" });
      },
    },
  ],
  simulate: [
    {
      args: ["--config", "examples/venue/replay-2025-10-10.json"],
      library: () =>
        simulateScenario(readScenario(example("venue/replay-2025-10-10.json"), exampleFile("venue"))),
    },
    {
      args: ["--config", "examples/venue/cex-btcusdt.json", "--paths", "40", "--seed", "3"],
      library: () =>
        simulateScenario(readScenario(example("venue/cex-btcusdt.json"), exampleFile("venue")), {
          paths: 40,
          seed: 3,
        }),
    },
    {
      args: ["--config", "examples/venue/maker-2020-03-12.json"],
      library: () => simulateMakerScenario(readMakerScenario(example("venue/maker-2020-03-12.json"))),
    },
    {
      args: ["--config", "examples/venue/maker-2020-03-12.json", "--seed", "7"],
      library: () =>
        simulateMakerScenario(readMakerScenario(example("venue/maker-2020-03-12.json")), { seed: 7 }),
    },
    {
      args: ["--config", "examples/venue/replay-2025-10-10.json", "--sweep", "venue.insuranceFundUsd=0,1e12"],
      library: () =>
        sweepScenario(
          example("venue/replay-2025-10-10.json"),
          [{ "venue.insuranceFundUsd": 0 }, { "venue.insuranceFundUsd": 1e12 }],
          exampleFile("venue"),
        ),
    },
    {
      args: ["--config", "examples/venue/aave-lending.json", "--seed", "5"],
      library: () => {
        const scenario = readLendingScenario(example("venue/aave-lending.json"));
        assert.ok(scenario.mode === "replay");
        return simulateLendingScenario(scenario, { seed: 5 });
      },
    },
    {
      args: ["--config", "examples/venue/aave-lending-mc.json", "--paths", "20", "--seed", "3"],
      library: () => {
        const scenario = readLendingScenario(example("venue/aave-lending-mc.json"));
        assert.ok(scenario.mode === "monte-carlo");
        return simulateLendingMonteCarlo(scenario, { paths: 20, seed: 3 });
      },
    },
  ],
  "data inspect": [{ args: ["btc-funding-8h"], library: () => inspectFile("btc-funding-8h") }],
  "data list": [{ args: [], library: () => BUNDLED_DATASETS }],
  ...Object.fromEntries(
    (
      [
        ["adl", "adl-bitmex", adlQueueReport],
        ["maker-take", "maker-take", makerTakeReport],
        ["maker-flip", "maker-flip", makerFlipReport],
        ["comet-absorb", "comet-absorb", cometAbsorbBatchReport],
        ["drift-liquidate", "drift-liquidation", driftLiquidationReport],
        ["dydx-fill", "dydx-fill", dydxFillReport],
      ] as const
    ).map(([sub, file, report]) => [
      `mechanism ${sub}`,
      [
        {
          args: ["--input", `examples/mechanisms/${file}.json`],
          library: () => report(example(`mechanisms/${file}.json`)),
        },
      ],
    ]),
  ),
};

/**
 * Commands that print no JSON report: `serve` runs the HTTP API, whose endpoints test/server/app.test.ts
 * checks against the commands above.
 */
const WITHOUT_JSON: readonly string[] = ["serve"];

/** The subcommand names of a help text's `Commands:` section (without `help`), or none. */
function listedCommands(help: string): string[] {
  const at = help.indexOf("Commands:");
  if (at < 0) return [];
  return [...help.slice(at).matchAll(/^ {2}(\S+)/gm)].map((m) => m[1] as string).filter((n) => n !== "help");
}

/** Whether a help text lists an option besides --help (the command runs without a subcommand). */
function runsAlone(help: string): boolean {
  const at = help.indexOf("Options:");
  const end = help.indexOf("Commands:");
  const options = help.slice(at, end < 0 ? undefined : end);
  return at >= 0 && [...options.matchAll(/^ {2}-/gm)].length > 1;
}

/** Every command path the CLI offers: top-level commands, and the subcommands of families. */
async function commandPaths(): Promise<string[]> {
  const top = listedCommands(ok(await liqopt(["--help"]))).filter((name) => !WITHOUT_JSON.includes(name));
  const nested = await Promise.all(
    top.map(async (name) => {
      const help = ok(await liqopt([name, "--help"]));
      const subs = listedCommands(help).map((sub) => `${name} ${sub}`);
      // a command with options of its own runs without a subcommand too (`trader --input …`)
      return subs.length === 0 || runsAlone(help) ? [name, ...subs] : subs;
    }),
  );
  return nested.flat();
}

describe("every CLI command's JSON is one library call", () => {
  test("every command the CLI lists has a case, and every case is a command the CLI lists", async () => {
    const paths = await commandPaths();
    assert.ok(paths.length >= 15, `commands found: ${paths.join(", ")}`);
    assert.deepEqual(
      paths.filter((p) => CASES[p] === undefined),
      [],
      "commands without a library-call case",
    );
    assert.deepEqual(
      Object.keys(CASES).filter((p) => !paths.includes(p)),
      [],
      "cases for commands the CLI does not list",
    );
  });

  for (const [path, cases] of Object.entries(CASES)) {
    test(`${path}: --json equals the library call`, async () => {
      for (const c of cases) {
        const cli = json(await liqopt([...path.split(" "), ...c.args, "--json"]));
        assert.deepEqual(cli, JSON.parse(toJson(await c.library())), `liqopt ${path} ${c.args.join(" ")}`);
      }
    });
  }
});

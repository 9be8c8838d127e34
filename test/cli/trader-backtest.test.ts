/**
 * `liqopt trader backtest` (issue 10 §1): the policy backtest on a user's own candles and funding, as one
 * library call ({@link traderBacktestReport}) on a small slice of the bundled BTCUSDT hourly candles
 * (2020-01-01 → 2020-03-01, 20-day fits, 200 paths); every option is validated with an error naming it;
 * `trader --input …` still runs without the subcommand.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadFunding } from "../../src/cli/funding.js";
import { loadCandlesOption } from "../../src/cli/market-options.js";
import { InputError } from "../../src/errors.js";
import { binomialSurvival } from "../../src/math/distributions.js";
import {
  type TraderBacktestReportOptions,
  traderBacktestReport,
} from "../../src/optimize/trader-backtest-report.js";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";
import { candleCsv, cauchyCloses } from "../helpers/heavy-tails.js";

const RANGE = { from: "2020-01-01", to: "2020-03-01" };
const candles = loadCandlesOption("btc-1h", RANGE, 2).series;
const funding = loadFunding("btc-funding-8h", undefined).series;
const OPTIONS: TraderBacktestReportOptions = {
  venue: "binance-usdm",
  symbol: "BTCUSDT",
  alpha: 0.01,
  horizonHours: 24,
  policies: ["static", "alpha", "thresholds"],
  notional: 100_000,
  staticLeverage: 20,
  topUpFraction: 0.5,
  recoveryHours: 24,
  fitHours: 20 * 24,
  minFitHours: 20 * 24,
  refitHours: 10 * 24,
  paths: 200,
  knots: 3,
  seed: 7,
  takerFeeRate: 0.0005,
  slippageBps: 2,
  impactY: 1,
  idleRatePerYear: 0.05,
  forfeitRemainder: true,
};
/** The CLI arguments of {@link OPTIONS} (the others are the defaults). */
const ARGS = [
  "trader",
  "backtest",
  "--candles",
  "btc-1h",
  "--from",
  RANGE.from,
  "--to",
  RANGE.to,
  "--fit",
  "20d",
  "--min-fit",
  "20d",
  "--refit",
  "10d",
  "--paths",
  "200",
  "--knots",
  "3",
  "--seed",
  "7",
];
const report = traderBacktestReport(candles, funding, OPTIONS);

describe("trader backtest report", () => {
  it("trades both sides every day after the first fit, out of sample, and sums them per policy", () => {
    assert.ok(report.refits.length >= 3);
    assert.ok(report.firstTrade !== null && report.firstTrade > (report.refits[0]?.at ?? ""));
    for (const r of report.refits) assert.ok(r.fitFrom < r.at);
    for (const s of report.summary) {
      const own = report.trades.filter((t) => t.policy === s.policy);
      assert.equal(s.trades, own.length);
      assert.equal(s.liquidations, own.filter((t) => t.outcome === "liquidated").length);
      assert.ok(Math.abs(s.pnl - own.reduce((a, t) => a + t.pnl, 0)) < 1e-6);
    }
    const days = new Set(report.trades.map((t) => t.openMs)).size;
    assert.ok(days >= 25, `${days} trading days`);
    assert.equal(report.trades.length, days * 2 * 3);
    // no crash window falls in January–February 2020 (Black Thursday is 2020-03-12)
    assert.deepEqual(report.crashWindows, []);
  });

  it("calibrates the α policy per side with the binomial tail P(X ≥ x | n, α)", () => {
    assert.deepEqual(
      report.alphaCalibration.map((c) => c.side),
      ["long", "short"],
    );
    for (const c of report.alphaCalibration) {
      const own = report.trades.filter((t) => t.policy === "alpha" && t.side === c.side);
      const x = own.filter((t) => t.outcome === "liquidated").length;
      assert.equal(c.trades, own.length);
      assert.equal(c.liquidations, x);
      assert.equal(c.pValue, binomialSurvival(x, own.length, 0.01));
    }
  });

  it("reports only the policies asked for, from the same replay", () => {
    const alphaOnly = traderBacktestReport(candles, funding, { ...OPTIONS, policies: ["alpha"] });
    assert.deepEqual(
      alphaOnly.summary.map((s) => s.policy),
      ["alpha"],
    );
    assert.deepEqual(
      alphaOnly.trades,
      report.trades.filter((t) => t.policy === "alpha"),
    );
    const staticOnly = traderBacktestReport(candles, funding, { ...OPTIONS, policies: ["static"] });
    assert.deepEqual(staticOnly.alphaCalibration, []);
  });

  it("charges the funding series to open positions: without it, the same trades end with other P&L", () => {
    assert.equal(report.funding?.symbol, "BTCUSDT");
    const none = traderBacktestReport(candles, undefined, { ...OPTIONS, policies: ["static"] });
    assert.equal(none.funding, null);
    const withFunding = report.trades.filter((t) => t.policy === "static");
    assert.equal(none.trades.length, withFunding.length);
    assert.ok(none.trades.some((t, i) => t.pnl !== withFunding[i]?.pnl));
  });

  it("refuses candles that are not hourly, or too few for a fit and a horizon, naming --candles", () => {
    const daily = loadCandlesOption("btc-1d", {}, 2).series;
    assert.throws(
      () => traderBacktestReport(daily, undefined, OPTIONS),
      (e: unknown) => e instanceof InputError && e.field === "--candles" && /hourly/.test(e.message),
    );
    const short = loadCandlesOption("btc-1h", { from: "2020-01-01", to: "2020-01-15" }, 2).series;
    assert.throws(
      () => traderBacktestReport(short, undefined, OPTIONS),
      (e: unknown) => e instanceof InputError && e.field === "--candles" && /too few/.test(e.message),
    );
  });
});

describe("liqopt trader backtest", () => {
  const dir = mkdtempSync(join(tmpdir(), "liqopt-trader-backtest-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("--json is the library's report; --report writes an HTML page with the equity curves; tables name the policies", async () => {
    const html = join(dir, "bt.html");
    const cli = json(await liqopt([...ARGS, "--funding", "btc-funding-8h", "--json", "--report", html]));
    assert.deepEqual(cli, JSON.parse(JSON.stringify(report)));
    const page = readFileSync(html, "utf8");
    assert.match(page, /<svg/);
    assert.match(page, /stop-topup/);
    const table = ok(await liqopt([...ARGS, "--policy", "alpha,stop-topup"]));
    assert.match(table, /Calibration of the α policy/);
    assert.match(table, /stop-topup/);
    assert.doesNotMatch(table, /│ static/);
    assert.match(table, /Funding: none given/);
  });

  const bad: [string, string[], string][] = [
    ["an unknown policy", ["--policy", "martingale"], "--policy"],
    ["α of 2", ["--alpha", "2"], "--alpha"],
    ["a horizon that is not a duration", ["--horizon", "soon"], "--horizon"],
    ["a horizon of half an hour", ["--horizon", "30m"], "--horizon"],
    ["--fit shorter than --min-fit", ["--fit", "10d"], "--fit"],
    ["--min-fit under a week", ["--min-fit", "3d"], "--min-fit"],
    ["a negative notional", ["--notional", "-5"], "--notional"],
    ["leverage under 1", ["--leverage", "0.5"], "--leverage"],
    ["too few paths", ["--paths", "10"], "--paths"],
    ["an unknown venue", ["--venue", "kraken"], "--venue"],
    ["an unknown remainder policy", ["--remainder", "keep"], "--remainder"],
    ["a --to before --from", ["--to", "2019-01-01"], "--to"],
    ["a missing funding file", ["--funding", join(dir, "none.csv")], "none.csv"],
    ["an unknown funding unit", ["--funding", "btc-funding-8h", "--funding-unit", "basis"], "--funding-unit"],
    [
      "a funding bound of 0",
      ["--funding", "btc-funding-8h", "--max-funding-rate", "0"],
      "--max-funding-rate",
    ],
    ["an unknown degenerate-fit policy", ["--degenerate", "ignore"], "--degenerate"],
  ];
  for (const [what, args, field] of bad)
    it(`refuses ${what}, naming ${field}`, async () => {
      assertInputError(await liqopt([...ARGS, ...args]), field);
    });

  it("a refit whose GARCH-t fit is at the stationarity bound (2020-03-31) is counted, falls back to the fit's IGARCH(1,1) with drift and says so in the table, --json and the HTML report", async () => {
    const q1 = ["trader", "backtest", "--candles", "btc-1h", "--from", "2020-01-01", "--to", "2020-04-03"];
    const fast = [...q1, "--paths", "200", "--knots", "2", "--policy", "alpha"];
    const html = join(dir, "q1.html");
    const table = ok(await liqopt([...fast, "--report", html]));
    const line =
      /^warning: 1 of 2 refits had a degenerate GARCH\(1,1\)-t fit \(persistence α \+ β \(\+ γ\/2\) at the stationarity bound 1: .*\) on 2020-03-31: those refits fell back to the IGARCH\(1,1\) with drift of each fit \(its ω, ᾱ = α\/\(α \+ β\): ᾱ [0-9.]+\) as filter and in the banks/m;
    assert.match(table, line);
    assert.match(readFileSync(html, "utf8"), line);
    const r = json(await liqopt([...fast, "--json"])) as {
      degenerateFits: { count: number; refits: number; fallback: string | null; at: string[] };
      refits: { filter: string; atBound: string[]; degenerate?: { fallback: string | null } }[];
    };
    assert.deepEqual(r.degenerateFits.at, ["2020-03-31T01:00:00.000Z"]);
    assert.deepEqual(
      [r.degenerateFits.count, r.degenerateFits.refits, r.degenerateFits.fallback],
      [1, 2, "igarch-drift"],
    );
    assert.deepEqual(
      r.refits.map((x) => [x.filter, x.degenerate?.fallback]),
      [
        ["garch", undefined],
        ["igarch-drift", "igarch-drift"],
      ],
    );
    const kept = ok(await liqopt([...fast, "--degenerate", "keep"]));
    assert.match(kept, /^warning: 1 of 2 refits had a degenerate .*: kept as asked \(--degenerate keep\)$/m);
    assertInputError(await liqopt([...fast, "--degenerate", "refuse"]), "2020-03-31T01:00:00.000Z");
  });

  it("refits whose GARCH-t fit ends with ν at its floor 2 (Cauchy candles) are counted with a warning line", async () => {
    const file = join(dir, "cauchy-1h.csv");
    writeFileSync(file, candleCsv(cauchyCloses(600, 11)));
    const args = [
      "trader",
      "backtest",
      "--candles",
      file,
      "--symbol",
      "BTCUSDT",
      "--min-fit",
      "7d",
      "--fit",
      "7d",
    ];
    const fast = [...args, "--refit", "7d", "--paths", "100", "--knots", "2", "--policy", "alpha"];
    const r = json(await liqopt([...fast, "--json"])) as {
      nuAtFloorFits: { count: number; at: string[] };
      refits: { at: string; atBound: string[] }[];
    };
    const atFloor = r.refits.filter((x) => x.atBound.includes("nu")).map((x) => x.at);
    assert.ok(atFloor.length > 0);
    assert.deepEqual(r.nuAtFloorFits, { count: atFloor.length, at: atFloor });
    assert.match(
      ok(await liqopt(fast)),
      new RegExp(
        `^warning: ${atFloor.length} of ${r.refits.length} refits ended with ν at its floor 2 on `,
        "m",
      ),
    );
  });

  it("daily candles are refused on --candles", async () => {
    assertInputError(await liqopt(["trader", "backtest", "--candles", "btc-1d"]), "--candles");
  });

  it("`trader` without a subcommand still analyses a position, and asks for --input naming the backtest", async () => {
    const r = json(
      await liqopt(["trader", "--input", "examples/isolated-btc.json", "--paths", "500", "--json"]),
    );
    assert.ok(typeof (r.probability as { probability: number }).probability === "number");
    const missing = await liqopt(["trader", "--candles", "btc-1h"]);
    assertInputError(missing, "--input");
    assert.match(missing.stderr, /trader backtest/);
  });
});

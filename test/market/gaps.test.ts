/**
 * Gaps in candle series (issue 10 §6): a 400-day gap counted as one daily return gave a
 * Cornish–Fisher VaR of −40.7 %, below its own ES. `market/gaps.ts` finds gaps at the median bar
 * spacing; `var`, `backtest-var` and `trader` report them and, above `maxGapBars`, use the longest
 * stretch without such a gap; a VaR line that is no risk figure (ES below VaR, a negative VaR)
 * carries its warnings.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import type { CandleSelection } from "../../src/market/candles.js";
import { findGaps, gapWarning, medianSpacing, sliceSeries } from "../../src/market/gaps.js";
import { traderReport } from "../../src/optimize/trader-report.js";
import { backtestVarReport } from "../../src/risk/backtest-report.js";
import { type AssetVarOptions, assetVarReport, varWarnings } from "../../src/risk/var-report.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { bundledCandles } from "../helpers/candles.js";
import { liqopt, ok } from "../helpers/cli.js";

const DAY = 86_400_000;

/**
 * Bundled BTC daily bars of 2020–2021 with a 400-day hole after bar 400, the later prices ×20: the
 * return across the hole is a 3.0 log-point gain counted as one day.
 */
function gapped(): CandleSelection {
  const sel = bundledCandles("btc-1d", { from: "2020-01-01", to: "2022-01-01" });
  const s = sel.series;
  const cut = 400;
  const later = (a: Float64Array) => Float64Array.from(a, (x, i) => (i < cut ? x : x * 20));
  return {
    ...sel,
    series: {
      ...s,
      time: Float64Array.from(s.time, (t, i) => (i < cut ? t : t + 400 * DAY)),
      open: later(s.open),
      high: later(s.high),
      low: later(s.low),
      close: later(s.close),
    },
  };
}

const VAR: AssetVarOptions = {
  confidence: 0.99,
  horizon: 1,
  window: 350,
  methods: ["historical", "normal", "t", "cf"],
  seed: 1,
  paths: 1000,
  notional: null,
};

describe("findGaps", () => {
  it("bars on days 0, 1, 2, 403, 404: one gap of 400 bars; the longer stretch (days 0–2) is kept", () => {
    const time = [0, 1, 2, 403, 404].map((d) => d * DAY);
    const { report, start, end } = findGaps(time, 24);
    assert.equal(report.barMs, DAY);
    assert.equal(report.count, 1);
    assert.equal(report.missingBars, 400);
    assert.deepEqual(report.largest[0], {
      after: new Date(2 * DAY).toISOString(),
      before: new Date(403 * DAY).toISOString(),
      missingBars: 400,
    });
    assert.deepEqual([start, end], [0, 3]);
    assert.deepEqual(report.kept, {
      from: new Date(0).toISOString(),
      to: new Date(2 * DAY).toISOString(),
      barsDropped: 2,
    });
    assert.equal(findGaps(time, 400).report.kept, null);
  });
  it("stretches of equal length: the most recent is kept; jitter below 1.5 bars is no gap", () => {
    const time = [0, 1, 2, 100, 101, 102].map((d) => d * 3_600_000);
    assert.deepEqual([findGaps(time, 24).start, findGaps(time, 24).end], [3, 6]);
    const jittered = [0, 3_600_000, 7_300_000, 10_800_000, 14_400_000];
    assert.equal(findGaps(jittered).report.count, 0);
    assert.equal(medianSpacing([0, 10, 30, 40]), 10);
  });
  it("a bad threshold names --max-gap", () => {
    assert.throws(
      () => findGaps([0, 1], -1),
      (e: unknown) => e instanceof InputError && e.field === "--max-gap",
    );
  });
  it("the bundled hourly sets have no gap; the warning names the gap and the stretch", () => {
    assert.equal(findGaps(bundledCandles("btc-1h").series.time).report.count, 0);
    const { report } = findGaps(gapped().series.time, 24);
    assert.match(
      gapWarning(report) ?? "",
      /^1 gap in the bars \(400 missing; .*using the longest stretch .*331 bars left out/,
    );
  });
});

describe("var, backtest-var on a series with a 400-day gap", () => {
  it("var: by default the stretch before the gap, as if the file ended there, with the gap reported", () => {
    const sel = gapped();
    const report = assetVarReport(sel, VAR);
    assert.equal(report.gaps.count, 1);
    assert.equal(report.gaps.kept?.barsDropped, 331);
    const before = { ...sel, series: sliceSeries(sel.series, 0, 400) };
    const { gaps: _g, ...same } = assetVarReport(before, VAR);
    const { gaps: _h, ...split } = report;
    assert.deepEqual(split, same);
    for (const l of report.lines) assert.deepEqual(l.warnings, [], l.method);
  });
  it("var with --max-gap above the gap: Cornish–Fisher's VaR is a gain below its ES, and says so", () => {
    const report = assetVarReport(gapped(), { ...VAR, maxGapBars: 1000 });
    assert.equal(report.gaps.kept, null);
    const cf = report.lines.find((l) => l.method === "cf");
    assert.ok((cf?.varLogReturn as number) < 0 && (cf?.esLogReturn as number) < (cf?.varLogReturn as number));
    assert.equal(cf?.warnings.length, 2);
    assert.match(cf?.warnings[0] ?? "", /^ES below VaR/);
    assert.match(cf?.warnings[1] ?? "", /^negative VaR/);
  });
  it("varWarnings: none for a sound pair", () => {
    assert.deepEqual(varWarnings(0.05, 0.07), []);
    assert.equal(varWarnings(0.05, Number.NaN).length, 1);
  });
  it("backtest-var tests the stretch before the gap and reports it", () => {
    const report = backtestVarReport(gapped(), {
      confidence: 0.99,
      window: 200,
      refitEvery: 50,
      models: ["historical"],
    });
    assert.equal(report.gaps.count, 1);
    assert.equal(report.observations, 399 - 200);
    assert.ok(report.lastTested < "2021-02-04");
  });
  it("the CLI prints the gap and the CF warnings as warning lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "liqopt-gaps-"));
    const s = gapped().series;
    const rows = Array.from(s.time, (t, i) =>
      [
        t,
        new Date(t).toISOString().slice(0, 10),
        "BTCUSDT",
        s.open[i],
        s.high[i],
        s.low[i],
        s.close[i],
        s.volume[i],
        0,
        0,
      ].join(","),
    );
    const file = join(dir, "gapped.csv");
    writeFileSync(
      file,
      `Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount\n${rows.reverse().join("\n")}\n`,
    );
    const out = ok(
      await liqopt(["var", "--candles", file, "--window", "350", "--method", "cf", "--max-gap", "1000"]),
    );
    assert.match(out, /warning: 1 gap in the bars \(400 missing; .*none above --max-gap 1000/);
    assert.match(out, /warning: cf: ES below VaR/);
    assert.match(out, /warning: cf: negative VaR/);
  });
  it("trader fits its model on the stretch after a 30-day hole in hourly candles and reports the gap", () => {
    const sel = bundledCandles("btc-1h", { from: "2024-01-01", to: "2024-05-01" });
    const s = sel.series;
    const cut = 500;
    const candles = { ...s, time: Float64Array.from(s.time, (t, i) => (i < cut ? t : t + 30 * DAY)) };
    const doc = JSON.parse(
      readFileSync(new URL("../../examples/isolated-btc.json", import.meta.url), "utf8"),
    );
    const run = (c: typeof s) =>
      traderReport(resolveAccountDocument(doc), c, {
        positionIndex: 0,
        horizonHours: 24,
        alpha: 0.01,
        model: "ewma",
        windowBars: 1000,
        fundingRatePerInterval: 0,
        recoveryHours: 24,
        takerFeeRate: 0.0005,
        slippageBps: 2,
        idleRatePerYear: 0.05,
        forfeitRemainder: true,
        paths: 200,
        seed: 1,
      });
    const report = run(candles);
    assert.equal(report.gaps.count, 1);
    assert.equal(report.gaps.largest[0]?.missingBars, 720);
    assert.equal(report.gaps.kept?.barsDropped, cut);
    assert.equal(report.model.annualVol, run(sliceSeries(candles, cut, s.time.length)).model.annualVol);
  });
});

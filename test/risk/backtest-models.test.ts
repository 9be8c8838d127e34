/**
 * The rolling backtest's GARCH-t model, EWMA's λ carried to the bar interval and the intrabar
 * losses (src/risk/rolling-backtest.ts, src/risk/backtest-report.ts), on the bundled Binance
 * BTCUSDT data. GARCH-t's VaR/ES is checked against the stand-alone fit and the unit-variance
 * Student-t VaR/ES (QRM Ex. 2.15, whose R9 values test/risk/var.test.ts checks).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCandleFile } from "../../src/market/candles.js";
import { backtestVar, backtestVarReport } from "../../src/risk/backtest-report.js";
import { ROLLING_MODELS, rollingBacktest } from "../../src/risk/rolling-backtest.js";
import { standardStudentTVarEs } from "../../src/risk/var-parametric.js";
import { barEwmaLambda } from "../../src/vol/ewma.js";
import { fit, garchStep, percentReturns } from "../../src/vol/garch.js";
import { logReturns } from "../../src/vol/realized.js";
import { bundledCandles } from "../helpers/candles.js";
import { assertRel } from "../helpers/close.js";

const daily = readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv").series;
const r = logReturns(daily.close).subarray(0, 800);

describe("GARCH-t in the rolling backtest", () => {
  const run = rollingBacktest(r, { confidence: 0.99, window: 500, refitEvery: 100, models: ["garch-t"] });
  const m = run.models[0];
  it("is a backtest-var model of the registry, after the others", () => {
    assert.equal(ROLLING_MODELS[ROLLING_MODELS.length - 1], "garch-t");
    assert.equal(m?.model, "garch-t");
  });
  it("VaR/ES at a refit = (−μ + σ_{t+1}·(unit-variance t VaR/ES at ν))/100 of the window's GARCH-t fit; then the recursion", () => {
    for (const t of [0, 100, 200]) {
      const g = fit(percentReturns(r.subarray(t, t + 500)), { model: "garch", dist: "t" });
      const std = standardStudentTVarEs(0.99, g.params.nu as number);
      const sd = Math.sqrt(g.nextVariance);
      assertRel(m?.var[t], (-g.params.mu + sd * std.var) / 100, 1e-12, `VaR ${t}`);
      assertRel(m?.es[t], (-g.params.mu + sd * std.es) / 100, 1e-12, `ES ${t}`);
      const next = garchStep(g.nextVariance, 100 * (r[t + 500] as number) - g.params.mu, g.params);
      assertRel(m?.var[t + 1], (-g.params.mu + Math.sqrt(next) * std.var) / 100, 1e-12, `VaR ${t + 1}`);
    }
  });
  it("counts the refits whose fit ended on a bound, and the report warns about them", () => {
    let onBound = 0;
    for (let t = 0; t < 300; t += 100)
      if (fit(percentReturns(r.subarray(t, t + 500)), { model: "garch", dist: "t" }).atBound.length > 0)
        onBound++;
    assert.equal(m?.invalidFits, onBound);
    const selection = bundledCandles("btc-1d");
    const options = { confidence: 0.99, window: 500, refitEvery: 200, models: ["garch-t"] } as const;
    const report = backtestVarReport(selection, options);
    const invalid = backtestVar(selection, options).models[0]?.invalidFits ?? 0;
    assert.ok(invalid > 0, "the daily BTC windows include fits on the stationarity bound");
    assert.deepEqual(report.warnings, [
      `garch-t: ${invalid} of ${Math.ceil(report.observations / 200)} refits ended on a bound of the GARCH parameters (e.g. persistence at the stationarity bound)`,
    ]);
  });
});

describe("EWMA's daily λ carried to the bar", () => {
  it("barHours 1 runs λ = 0.94^(1/24) per bar; daily bars keep 0.94", () => {
    const hourly = rollingBacktest(r, {
      confidence: 0.99,
      window: 500,
      models: ["ewma-normal"],
      barHours: 1,
    });
    const perBar = rollingBacktest(r, {
      confidence: 0.99,
      window: 500,
      models: ["ewma-normal"],
      ewmaLambda: 0.94 ** (1 / 24),
    });
    assert.deepEqual(Array.from(hourly.models[0]?.var ?? []), Array.from(perBar.models[0]?.var ?? []));
    assert.equal(barEwmaLambda(0.94, 24), 0.94);
    assert.ok(Math.abs(barEwmaLambda(0.94, 1) ** 24 - 0.94) < 1e-14);
  });
  it("backtest-var on hourly candles reports and uses λ_bar = 0.94^(1/24) = 0.997425", () => {
    const selection = bundledCandles("eth-1h", { from: "2022-01-01", to: "2022-03-01" });
    const options = { confidence: 0.99, window: 500, refitEvery: 20, models: ["ewma-normal"] } as const;
    const report = backtestVarReport(selection, options);
    assert.ok(Math.abs(report.ewmaLambdaPerBar - 0.997425) < 5e-7);
    const direct = rollingBacktest(logReturns(selection.series.close), {
      ...options,
      ewmaLambda: report.ewmaLambdaPerBar,
    });
    assert.equal(report.models[0]?.meanVar, direct.models[0]?.meanVar);
  });
});

describe("intrabar losses (a liquidation happens on the wick)", () => {
  const selection = bundledCandles("btc-1h", { from: "2021-05-01", to: "2021-06-01" });
  const s = selection.series;
  const options = { confidence: 0.99, window: 300, refitEvery: 50, models: ["historical"] } as const;
  it("long: the loss to the bar's low −ln(low_t/close_{t−1}), never below the close-to-close loss", () => {
    const close = backtestVar(selection, options);
    const wick = backtestVar(selection, { ...options, intrabar: true });
    for (let t = 0; t < wick.observations; t++) {
      const i = t + 300 + 1; // bar of return window + t
      assertRel(
        wick.losses[t],
        -Math.log((s.low[i] as number) / (s.close[i - 1] as number)),
        1e-12,
        `loss ${t}`,
      );
      assert.ok((wick.losses[t] as number) >= (close.losses[t] as number) - 1e-15);
    }
    // Same forecasts (the models learn from closes), more exceptions: on 2021-05-19 the wicks ran far below the closes.
    assert.deepEqual(Array.from(wick.models[0]?.var ?? []), Array.from(close.models[0]?.var ?? []));
    assert.ok((wick.models[0]?.coverage.exceptions ?? 0) > (close.models[0]?.coverage.exceptions ?? 0));
  });
  it("short: returns negated, the loss to the bar's high ln(high_t/close_{t−1})", () => {
    const short = backtestVar(selection, { ...options, side: "short", intrabar: true });
    const i = 300 + 1;
    assertRel(short.losses[0], Math.log((s.high[i] as number) / (s.close[i - 1] as number)), 1e-12, "loss");
    const report = backtestVarReport(selection, { ...options, side: "short", intrabar: true }, short);
    assert.deepEqual([report.side, report.intrabar], ["short", true]);
  });
  it("an intrabar loss below the bar's close-to-close loss is refused, naming the bar", () => {
    const losses = Float64Array.from(r, (x) => -x);
    losses[600] = (losses[600] as number) - 0.01;
    assert.throws(
      () => rollingBacktest(r, { confidence: 0.99, window: 500, models: ["normal"], intrabarLosses: losses }),
      /^InputError: intrabarLosses\[600\]: is below the bar's close-to-close loss/,
    );
  });
});

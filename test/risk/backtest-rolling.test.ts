/**
 * Walk-forward backtest (src/risk/rolling-backtest.ts) on the bundled data: Binance BTCUSDT spot
 * daily (window 500, refit every 20 days) and Binance ETH/SOL USDⓈ-M perp hourly (window 2000).
 * Checks structure and sanity, that the rolling forecasts equal the stand-alone models on the
 * same window, and the Kupiec band for historical 99 % VaR (a property of the data, stated in
 * docs/explanation/var-backtests.md, not a number copied from our own output).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCandleFile } from "../../src/market/candles.js";
import { kupiecRegion } from "../../src/risk/backtest.js";
import { ROLLING_MODELS, rollingBacktest } from "../../src/risk/rolling-backtest.js";
import { filteredHistoricalVar } from "../../src/risk/var-filtered.js";
import { historicalVar } from "../../src/risk/var-historical.js";
import { normalVar, studentTVar } from "../../src/risk/var-parametric.js";
import { logReturns } from "../../src/vol/realized.js";
import { assertRel } from "../helpers/close.js";

const daily = readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv").series;
const r = logReturns(daily.close);
const report = rollingBacktest(r, {
  confidence: 0.99,
  window: 500,
  refitEvery: 20,
  timeMs: daily.time.subarray(1),
});

describe("rolling backtest, BTC spot daily, 99 %", () => {
  it("has one forecast per tested bar for every model", () => {
    assert.equal(report.observations, r.length - 500);
    assert.equal(report.timeMs?.length, report.observations);
    assert.equal(report.timeMs?.[0], daily.time[501]);
    assert.deepEqual(
      report.models.map((m) => m.model),
      [...ROLLING_MODELS],
    );
    for (const m of report.models) {
      assert.equal(m.var.length, report.observations);
      assert.equal(m.refits, Math.ceil(report.observations / 20));
      let x = 0;
      for (let t = 0; t < report.observations; t++) {
        const v = m.var[t] as number;
        const es = m.es[t] as number;
        assert.ok(Number.isFinite(v) && v > 0, `${m.model} VaR at ${t}: ${v}`);
        assert.ok(es >= v - 1e-15, `${m.model} ES < VaR at ${t}`);
        assert.equal(m.exceptions[t], (report.losses[t] as number) > v ? 1 : 0);
        x += m.exceptions[t] as number;
      }
      assert.equal(m.coverage.exceptions, x);
      assert.equal(m.trafficLight.plusFactorRule, "probability-matched");
    }
  });

  it("forecasts equal the stand-alone models fitted on the same window", () => {
    for (const t of [0, 20, 1000]) {
      const w = r.subarray(t, t + 500);
      const byModel = Object.fromEntries(report.models.map((m) => [m.model, m]));
      assertRel(byModel.historical?.var[t], historicalVar(w, { confidence: 0.99 }).var, 1e-12, "historical");
      assertRel(byModel.historical?.es[t], historicalVar(w, { confidence: 0.99 }).es, 1e-12, "historical ES");
      assertRel(byModel.normal?.var[t], normalVar(w, { confidence: 0.99 }).var, 1e-12, "normal");
      assertRel(byModel["student-t"]?.var[t], studentTVar(w, { confidence: 0.99 }).var, 1e-9, "t");
      assertRel(
        byModel["filtered-historical"]?.var[t],
        filteredHistoricalVar(w, { confidence: 0.99 }).var,
        1e-12,
        "FHS",
      );
    }
  });

  it("historical 99 % VaR: the exception count lies in Kupiec's 95 % non-rejection band", () => {
    const h = report.models.find((m) => m.model === "historical");
    assert.ok(h !== undefined);
    const band = kupiecRegion(report.observations, 0.01);
    const x = h.coverage.exceptions;
    // Consistency of the band with the test itself, then the finding about the data.
    assert.equal(h.coverage.pof.reject, x < band.lowest || x > band.highest);
    assert.ok(
      x >= band.lowest && x <= band.highest,
      `${x} exceptions in ${report.observations}; band ${band.lowest}–${band.highest}`,
    );
  });
});

describe("rolling backtest, perp hourly", () => {
  for (const [file, symbol] of [
    ["binance-perp_ethusdt_1h_2020-01_2024-04.csv", "ETHUSDT"],
    ["binance-perp_solusdt_1h_2020-09_2024-04.csv", "SOLUSDT"],
  ] as const) {
    it(`${file}: last 6000 hours, window 2000, refit every 500`, () => {
      const s = readCandleFile(`data/ohlcv/${file}`, { symbol }).series;
      const ret = logReturns(s.close.subarray(-6001));
      const rep = rollingBacktest(ret, {
        confidence: 0.99,
        window: 2000,
        refitEvery: 500,
        models: ["historical", "normal", "filtered-historical", "ewma-normal"],
      });
      assert.equal(rep.observations, 4000);
      for (const m of rep.models) {
        assert.equal(m.refits, 8);
        assert.ok(m.meanEs >= m.meanVar && m.meanVar > 0);
        assert.ok(m.coverage.exceptionRate < 0.1, `${m.model}: ${m.coverage.exceptionRate}`);
        assert.ok(Number.isFinite(m.z2));
      }
    });
  }
});

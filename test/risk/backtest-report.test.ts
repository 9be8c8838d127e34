/**
 * The rolling VaR backtest report of a candle series (src/risk/backtest-report.ts).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { backtestVar, backtestVarReport } from "../../src/risk/backtest-report.js";
import { bundledCandles } from "../helpers/candles.js";

describe("backtestVarReport", () => {
  test("the summary restates the rolling report; a given run gives the same report", () => {
    const selection = bundledCandles("btc-1d", { to: "2022-01-01" });
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
    assert.equal(summary.symbol, "BTCUSDT");
    assert.equal(summary.models[1]?.expected, r.observations * (1 - 0.99));
  });
});

/**
 * The volatility report of a candle series (src/vol/vol-report.ts): the realized lines against the
 * estimators and the R13 reference window, the GARCH forecasts' ordering, and the chart paths.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { barIndex, readCandleFile } from "../../src/market/candles.js";
import { realizedVolatility } from "../../src/vol/realized.js";
import { volHistory, volReport } from "../../src/vol/vol-report.js";
import { bundledCandles } from "../helpers/candles.js";

const OPTIONS = {
  window: 366,
  lambda: 0.94,
  model: "garch",
  dist: "normal",
  garchBars: 366,
  horizonBars: 7,
} as const;

describe("volReport", () => {
  test("the realized lines are the library's estimates over the last --window bars (R13 window)", () => {
    const selection = bundledCandles("btc-1d", { from: "2023-12-31", to: "2025-01-01" });
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
    const selection = bundledCandles("btc-1d", { from: "2023-12-31", to: "2025-01-01" });
    const g = volReport(selection, OPTIONS).garch;
    assert.ok(g.persistence < 1 && g.halfLifeBars < g.returns);
    const lo = Math.min(g.nextAnnualVol, g.longRunAnnualVol);
    const hi = Math.max(g.nextAnnualVol, g.longRunAnnualVol);
    assert.ok(g.horizonAnnualVol >= lo - 1e-12 && g.horizonAnnualVol <= hi + 1e-12);
  });

  test("a fit on the stationarity bound: no half-life (not 6.9e9 bars), no long-run level, the fit's warnings", () => {
    // The CLI's default: the last 2000 daily BTCUSDT returns, GARCH-t, ends at φ = 1 − 1e-10.
    const g = volReport(bundledCandles("btc-1d"), { ...OPTIONS, dist: "t", garchBars: 2000 }).garch;
    assert.deepEqual(g.atBound, ["persistence"]);
    assert.ok(Number.isNaN(g.halfLifeBars), `half-life ${g.halfLifeBars}`);
    assert.ok(Number.isNaN(g.longRunAnnualVol));
    assert.ok(Number.isNaN(g.standardErrors.beta));
    assert.ok(g.warnings.some((w) => /stationarity bound/.test(w)));
  });

  test("unconstrained: the fit is fGarch's non-stationary one (φ 1.0087), with no half-life and no long-run level", () => {
    const g = volReport(bundledCandles("btc-1d"), {
      ...OPTIONS,
      dist: "t",
      garchBars: 2000,
      unconstrained: true,
    }).garch;
    assert.equal(g.stationary, false);
    // fGarch on the same returns: α + β = 1.008693 (test/fixtures/garch-nonstationary.json).
    assert.ok(Math.abs(g.persistence - 1.008693) < 1e-4, `φ ${g.persistence}`);
    assert.deepEqual(g.atBound, []);
    assert.ok(Number.isNaN(g.halfLifeBars) && Number.isNaN(g.longRunAnnualVol));
    assert.ok(Number.isFinite(g.standardErrors.beta));
    assert.ok(g.warnings.some((w) => /not covariance-stationary/.test(w)));
  });

  test("the chart paths: rolling vol equals the window estimate at the last bar; GARCH path ends at the fit", () => {
    const selection = bundledCandles("btc-1d", { from: "2023-12-31", to: "2025-01-01" });
    const r = volReport(selection, { ...OPTIONS, window: 30 });
    const h = volHistory(selection, { ...OPTIONS, window: 30 }, r.garch);
    const last = h.rolling[h.rolling.length - 1] as number;
    const cc = r.realized.find((l) => l.estimator === "close-to-close")?.annualVol as number;
    assert.ok(Math.abs(last - cc) < 1e-12 * cc);
    assert.ok(Number.isNaN(h.garch[0] as number) && Number.isFinite(h.garch[h.garch.length - 1] as number));
  });

  test("a window as long as the series is an input error on window", () => {
    const selection = bundledCandles("btc-1d", { from: "2024-01-01", to: "2024-02-01" });
    assert.throws(() => volReport(selection, { ...OPTIONS, window: 31 }), /^InputError: window: is longer/);
  });
});

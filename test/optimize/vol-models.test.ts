/**
 * The volatility models behind the trader's probabilities agree with the library's own
 * estimators they are built from (src/vol/ewma.ts, src/vol/garch.ts forecast, quant.md §3.3–3.4),
 * and the bar λ keeps the RiskMetrics memory per unit of time (λ_bar^(24/barHours) = 0.94).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { readCandleFile, sliceByTime } from "../../src/market/candles.js";
import { barEwmaLambda, fitTraderVolModel } from "../../src/optimize/vol-models.js";
import { ewmaVariance } from "../../src/vol/ewma.js";
import { fit, forecast, percentReturns } from "../../src/vol/garch.js";
import { logReturns } from "../../src/vol/realized.js";

const { series } = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
  symbol: "BTCUSDT",
  onBadRow: "drop-and-report",
  onDuplicate: "keep-last",
});
const closes = sliceByTime(series, Date.UTC(2023, 0, 1), Date.UTC(2023, 2, 1)).close;

describe("trader volatility models", () => {
  it("λ per bar keeps the daily memory: λ_1h^24 = 0.94", () => {
    assert.ok(Math.abs(barEwmaLambda(0.94, 1) ** 24 - 0.94) < 1e-14);
    assert.equal(barEwmaLambda(0.94, 24), 0.94);
  });
  it("ewma: σ = √(last EWMA variance × 8760) of the window's hourly returns", () => {
    const m = fitTraderVolModel(closes, { kind: "ewma", horizonHours: 24, barHours: 1, windowBars: 1000 });
    const r = logReturns(closes);
    const w = r.subarray(r.length - 1000);
    const v = ewmaVariance(w, {
      lambda: barEwmaLambda(0.94, 1),
      seed: { kind: "sample-variance", count: 24 },
    });
    assert.ok(Math.abs(m.annualVol - Math.sqrt((v[v.length - 1] as number) * 8760)) < 1e-12);
    assert.equal(m.probability.method, "closed-form");
    assert.equal(m.returnsUsed, 1000);
  });
  it("garch: σ over the horizon from the closed-form V_H of the GARCH(1,1)-normal fit", () => {
    const m = fitTraderVolModel(closes, { kind: "garch", horizonHours: 48, barHours: 1, windowBars: 1200 });
    const r = logReturns(closes);
    const g = fit(percentReturns(r.subarray(r.length - 1200)), { model: "garch", dist: "normal" });
    const vh = (forecast(g, 48).cumulativeVariance[47] as number) / 1e4;
    assert.ok(Math.abs(m.annualVol - Math.sqrt(vh / (48 / 8760))) < 1e-9 * m.annualVol);
  });
  it("gjr (a registry process model): σ over the horizon from the GJR-normal fit's forecast, closed form", () => {
    const m = fitTraderVolModel(closes, { kind: "gjr", horizonHours: 48, barHours: 1, windowBars: 1200 });
    const r = logReturns(closes);
    const g = fit(percentReturns(r.subarray(r.length - 1200)), { model: "gjr", dist: "normal" });
    const vh = (forecast(g, 48).cumulativeVariance[47] as number) / 1e4;
    assert.ok(Math.abs(m.annualVol - Math.sqrt(vh / (48 / 8760))) < 1e-9 * m.annualVol, `${m.annualVol}`);
    assert.equal(m.probability.method, "closed-form");
    assert.equal(m.pathModel.volatility.kind, "constant");
  });
  it("garch-t: a Monte Carlo engine on GARCH paths started at the fit's σ²_{T+1}, with the fitted ν", () => {
    const m = fitTraderVolModel(closes, {
      kind: "garch-t",
      horizonHours: 24,
      barHours: 1,
      windowBars: 1200,
      paths: 500,
      seed: 3,
    });
    assert.equal(m.probability.method, "monte-carlo");
    const v = m.pathModel.volatility;
    assert.ok(v.kind === "garch" && m.garch !== undefined && v.startVariance === m.garch.nextVariance);
    assert.ok(
      m.pathModel.innovations.kind === "student-t" && m.pathModel.innovations.nu === m.garch?.params.nu,
    );
  });
  it("fhs: the same GARCH-t recursion driven by the window's standardised residuals in day-long blocks", () => {
    const m = fitTraderVolModel(closes, {
      kind: "fhs",
      horizonHours: 24,
      barHours: 1,
      windowBars: 1200,
      paths: 500,
      seed: 3,
    });
    const t = fitTraderVolModel(closes, {
      kind: "garch-t",
      horizonHours: 24,
      barHours: 1,
      windowBars: 1200,
      paths: 500,
      seed: 3,
    });
    assert.deepEqual(m.pathModel.volatility, t.pathModel.volatility);
    const inn = m.pathModel.innovations;
    assert.ok(inn.kind === "bootstrap" && inn.blockLength === 24);
    const z = Array.from(inn.samples);
    assert.equal(z.length, 1200);
    const mean = z.reduce((a, x) => a + x, 0) / z.length;
    const variance = z.reduce((a, x) => a + (x - mean) ** 2, 0) / z.length;
    assert.ok(Math.abs(mean) < 1e-12 && Math.abs(variance - 1) < 1e-12);
    // Hourly BTC residuals have fatter tails than a normal: some beyond 4 standard deviations.
    assert.ok(z.some((x) => Math.abs(x) > 4));
  });
});

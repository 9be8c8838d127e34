/**
 * The volatility models behind the trader's probabilities agree with the library's own
 * estimators they are built from (src/vol/ewma.ts, src/vol/garch.ts forecast, quant.md §3.3–3.4),
 * and the bar λ keeps the RiskMetrics memory per unit of time (λ_bar^(24/barHours) = 0.94).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { readCandleFile, sliceByTime } from "../../src/market/candles.js";
import { fitTraderVolModel, standardized } from "../../src/optimize/vol-models.js";
import { barEwmaLambda, ewmaVariance } from "../../src/vol/ewma.js";
import { fit, forecast, percentReturns } from "../../src/vol/garch.js";
import { logReturns } from "../../src/vol/realized.js";
import { cauchyCloses } from "../helpers/heavy-tails.js";

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
      onDegenerate: "keep", // this window's GARCH-t ends on the stationarity bound (tested below)
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
      onDegenerate: "keep", // this window's GARCH-t ends on the stationarity bound (tested below)
    });
    const t = fitTraderVolModel(closes, {
      kind: "garch-t",
      horizonHours: 24,
      barHours: 1,
      windowBars: 1200,
      paths: 500,
      seed: 3,
      onDegenerate: "keep", // this window's GARCH-t ends on the stationarity bound (tested below)
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

/**
 * The IGARCH(1,1) filter written out here, independently of src/vol/garch: fGarch's start
 * σ²_1 = ω + (ᾱ + β̄)·mean(ε²), then σ²_{t+1} = ω + ᾱ ε²_t + (1 − ᾱ) σ²_t, ε = r − μ.
 */
function igarchFilter(pct: Float64Array, mu: number, omega: number, alpha: number) {
  let ms = 0;
  for (const x of pct) ms += (x - mu) ** 2 / pct.length;
  const path = new Float64Array(pct.length + 1);
  path[0] = omega + ms;
  for (let t = 0; t < pct.length; t++)
    path[t + 1] = omega + alpha * ((pct[t] as number) - mu) ** 2 + (1 - alpha) * (path[t] as number);
  return { path, next: path[pct.length] as number };
}

describe("a degenerate GARCH fit is not used silently", () => {
  // The last 1200 hourly BTCUSDT returns before 2023-03-01: GARCH-t ends at φ = 1 − 1e-10.
  const base = { horizonHours: 24, barHours: 1, windowBars: 1200, paths: 500, seed: 3 } as const;
  const tFit = fit(percentReturns(logReturns(closes).subarray(-1200)), { model: "garch", dist: "t" });

  it("the window's GARCH-t fit is on the stationarity bound", () => {
    assert.deepEqual(tFit.atBound, ["persistence"]);
  });
  it("garch-t and fhs fall back to the fit's IGARCH(1,1) with drift (ω kept, ᾱ = α/(α + β), β̄ = 1 − ᾱ), and say so", () => {
    const pct = percentReturns(logReturns(closes).subarray(-1200));
    const p = tFit.params;
    const alpha = p.alpha / (p.alpha + p.beta);
    const { path, next } = igarchFilter(pct, p.mu, p.omega, alpha);
    // Variance of the 24-bar sum: Σ_h (σ²_{T+1} + (h − 1)ω), summed here term by term.
    let vh = 0;
    for (let h = 1; h <= 24; h++) vh += next + (h - 1) * p.omega;
    for (const kind of ["garch-t", "fhs"] as const) {
      const m = fitTraderVolModel(closes, { ...base, kind });
      assert.equal(m.kind, kind);
      assert.equal(m.degenerate?.requested, kind);
      assert.equal(m.degenerate?.fallback, "igarch-drift");
      assert.match(m.degenerate?.reason ?? "", /stationarity bound/);
      const ig = m.degenerate?.igarch;
      assert.deepEqual([ig?.omega, ig?.nu, ig?.mu], [p.omega, p.nu, p.mu]);
      assert.ok(
        Math.abs((ig?.alpha as number) - alpha) < 1e-15 && (ig?.alpha as number) + (ig?.beta as number) === 1,
      );
      const v = m.pathModel.volatility;
      assert.ok(v.kind === "garch");
      assert.deepEqual(v.params, { ...ig, mu: 0 });
      assert.ok(Math.abs(v.startVariance / next - 1) < 1e-12, `σ²_{T+1} ${v.startVariance} vs ${next}`);
      assert.ok(Math.abs(m.annualVol / Math.sqrt(vh / 1e4 / (24 / 8760)) - 1) < 1e-12);
      assert.equal(m.fitBounds, undefined, "persistence is degenerate's to report");
    }
    // fhs resamples the residuals of the IGARCH filter, ε_t/σ_t, rescaled to unit variance.
    const fhs = fitTraderVolModel(closes, { ...base, kind: "fhs" });
    assert.ok(fhs.pathModel.innovations.kind === "bootstrap");
    const z = standardized(Float64Array.from(pct, (x, t) => (x - p.mu) / Math.sqrt(path[t] as number)));
    assert.ok(
      Array.from(fhs.pathModel.innovations.samples).every((x, t) => Math.abs(x - (z[t] as number)) < 1e-9),
    );
  });
  it("the kept fit at φ = 1 − 1e-10 forecasts the σ of its IGARCH to 1e-5 (GARCH forecast summed by its recursion)", () => {
    const kept = fitTraderVolModel(closes, { ...base, kind: "garch-t", onDegenerate: "keep" });
    const used = fitTraderVolModel(closes, { ...base, kind: "garch-t" });
    // The projection moves α and β by < 1e-6 relative; the closed-form V_H of before gave 0.53 against 1.34 here.
    assert.ok(Math.abs(used.annualVol / kept.annualVol - 1) < 1e-5, `${used.annualVol} vs ${kept.annualVol}`);
  });
  it("keep: the degenerate model runs and is reported with fallback null; refuse: an InputError on model", () => {
    const kept = fitTraderVolModel(closes, { ...base, kind: "garch-t", onDegenerate: "keep" });
    assert.equal(kept.kind, "garch-t");
    assert.deepEqual(kept.degenerate?.fallback, null);
    assert.throws(
      () => fitTraderVolModel(closes, { ...base, kind: "garch-t", onDegenerate: "refuse" }),
      /^InputError: model: is degenerate on these returns: persistence/,
    );
  });
  it("garch and gjr (closed form) fall back to the IGARCH of their normal fit (gjr: ᾱ = (α + γ/2)/φ) where it is on the bound", () => {
    // The 2000 hourly returns to bar 33,659 of the bundled file (2023-08-12 → 2023-11-03 11:00): GARCH- and GJR-normal end at φ → 1.
    const window = series.close.subarray(0, 33660);
    const pct = percentReturns(logReturns(window).subarray(-2000));
    for (const kind of ["garch", "gjr"] as const) {
      const m = fitTraderVolModel(window, { ...base, windowBars: 2000, kind });
      const g = fit(pct, { model: kind, dist: "normal" });
      const phi = g.params.alpha + g.params.beta + (g.params.gamma ?? 0) / 2;
      const alpha = (g.params.alpha + (g.params.gamma ?? 0) / 2) / phi;
      assert.equal(m.kind, kind);
      assert.deepEqual([m.degenerate?.requested, m.degenerate?.fallback], [kind, "igarch-drift"]);
      assert.ok(Math.abs((m.degenerate?.igarch?.alpha as number) - alpha) < 1e-12);
      const { next } = igarchFilter(pct, g.params.mu, g.params.omega, alpha);
      const vh = 24 * next + (g.params.omega * 24 * 23) / 2;
      assert.ok(
        Math.abs(m.annualVol / Math.sqrt(vh / 1e4 / (24 / 8760)) - 1) < 1e-9,
        `${kind} ${m.annualVol}`,
      );
      assert.equal(m.probability.method, "closed-form");
    }
  });
  it("an interior fit (BTCUSDT hourly, 2000 returns to 2024-01-26) is used as asked, with no flag", () => {
    const calm = sliceByTime(series, Date.UTC(2023, 10, 1), Date.UTC(2024, 0, 26, 20)).close;
    const g = fit(percentReturns(logReturns(calm).subarray(-2000)), { model: "garch", dist: "t" });
    assert.deepEqual(g.atBound, []);
    const m = fitTraderVolModel(calm, { ...base, windowBars: 2000, kind: "garch-t" });
    assert.equal(m.kind, "garch-t");
    assert.equal(m.degenerate, undefined);
    assert.equal(m.fitBounds, undefined);
  });
});

describe("a fit on a bound that its forecast survives is still flagged (fitBounds)", () => {
  // Cauchy hourly returns (test/helpers/heavy-tails.ts): the GARCH-t fit ends with ν at its floor 2.
  const heavy = cauchyCloses(1201, 11);
  const base = { horizonHours: 24, barHours: 1, paths: 200, seed: 3 } as const;
  const r = percentReturns(logReturns(heavy));
  const tFit = fit(r, { model: "garch", dist: "t" });

  it("t: ν of its GARCH-t fit at the floor is flagged, with the fit's sentence, and drives the shocks", () => {
    assert.ok(tFit.atBound.includes("nu") && (tFit.params.nu as number) <= 2 + 1e-3);
    const m = fitTraderVolModel(heavy, { ...base, kind: "t" });
    assert.deepEqual(m.fitBounds?.fit, "GARCH(1,1)-t");
    assert.deepEqual(m.fitBounds?.parameters, ["nu"]);
    assert.match(m.fitBounds?.warnings[0] ?? "", /^ν 2\.0000 is at its floor 2: the tails are too heavy/);
    assert.deepEqual(m.pathModel.innovations, { kind: "student-t", nu: tFit.params.nu });
  });
  it("garch-t kept: degenerate reports the persistence, fitBounds every other binding constraint", () => {
    const m = fitTraderVolModel(heavy, { ...base, kind: "garch-t", onDegenerate: "keep" });
    assert.ok(m.degenerate !== undefined);
    assert.deepEqual(
      m.fitBounds?.parameters,
      tFit.atBound.filter((b) => b !== "persistence" && b !== "omega"),
    );
    assert.ok(m.fitBounds?.parameters.includes("nu"));
  });
  it("gjr (a registry process model) reports the bounds of its GJR-normal fit", () => {
    const g = fit(r, { model: "gjr", dist: "normal" });
    const m = fitTraderVolModel(heavy, { ...base, kind: "gjr" });
    assert.ok(g.atBound.length > 0);
    assert.equal(m.fitBounds?.fit, "GJR-GARCH(1,1)-normal");
    assert.deepEqual(m.fitBounds?.parameters, g.atBound);
  });
});

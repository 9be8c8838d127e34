/**
 * Block bootstrap of real returns and GARCH-filtered historical simulation on the bundled Binance
 * BTCUSDT daily closes of 2024 (data/ohlcv, provenance in data/ohlcv/PROVENANCE.md; the 366 log
 * returns of quant.md §5 R13/R14). Exact one-step checks: with one step and no bridge test the
 * probability of liquidation is the share of resampled returns at or beyond the barrier, which is
 * known from the data; filtered residuals reconstruct the returns. GARCH parameters: the fGarch
 * normal fit of quant.md §5 R14 on 100·r (μ 0.213636, ω 0.899756, α 0.077018, β 0.803843).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCandleFile } from "../../src/market/candles.js";
import { type LiquidationSpec, simulateLiquidation } from "../../src/sim/liquidation.js";
import { filteredResiduals } from "../../src/sim/models.js";
import { logReturns } from "../../src/vol/realized.js";

const series = readCandleFile(
  new URL("../../data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv", import.meta.url).pathname,
  { symbol: "BTCUSDT" },
).series;
const start = series.time.indexOf(Date.UTC(2024, 0, 1));
const returns = logReturns(series.close.subarray(start - 1, start + 366)); // 2023-12-31 close first
const R14 = { mu: 0.213636, omega: 0.899756, alpha: 0.077018, beta: 0.803843 };

describe("block bootstrap of BTC daily returns (2024)", () => {
  it("has 366 returns", () => assert.equal(returns.length, 366));

  it("one step, no bridge: P(liquidation) = share of returns ≤ ln(H/S₀), within the 99 % interval", () => {
    const b = Math.log(0.96);
    const share = returns.filter((r) => r <= b).length / returns.length;
    const spec: LiquidationSpec = {
      model: {
        volatility: { kind: "historical" },
        innovations: { kind: "bootstrap", samples: returns, blockLength: 1 },
      },
      grid: { horizonYears: 1 / 365, steps: 1 },
      barrier: { side: "long", spotPrice: 100, liquidationPrice: 96 },
      bridge: false,
    };
    const e = simulateLiquidation(spec, { seed: 31, paths: 200_000, confidence: 0.99 });
    assert.ok(share > 0.02, `share ${share}`);
    assert.ok(e.lower <= share && share <= e.upper, `${share} ∉ [${e.lower}, ${e.upper}]`);
    const bridged = simulateLiquidation(
      { ...spec, bridge: true },
      { seed: 31, paths: 200_000, confidence: 0.99 },
    );
    assert.ok(bridged.lower > e.upper, "the bridge adds crossings within the day");
  });

  it("filtered residuals reconstruct the returns: μ + √h_t z_t = 100·r_t", () => {
    const pct = Array.from(returns, (r) => 100 * r);
    const f = filteredResiduals(pct, R14);
    assert.equal(f.residuals.length, 366);
    let mean = 0;
    for (const z of f.residuals) mean += z;
    mean /= 366;
    assert.ok(Math.abs(mean) < 0.2, `mean residual ${mean}`);
    assert.ok(f.nextVariance > 0);
    // One FHS step: P = share of μ + √h_{T+1} z_i at or below 100·b.
    const b = Math.log(0.95);
    const share = f.residuals.filter((z) => R14.mu + Math.sqrt(f.nextVariance) * z <= 100 * b).length / 366;
    const e = simulateLiquidation(
      {
        model: {
          volatility: { kind: "garch", params: R14, startVariance: f.nextVariance },
          innovations: { kind: "bootstrap", samples: f.residuals, blockLength: 1 },
        },
        grid: { horizonYears: 1 / 365, steps: 1 },
        barrier: { side: "long", spotPrice: 100, liquidationPrice: 95 },
        bridge: false,
      },
      { seed: 32, paths: 200_000, confidence: 0.99 },
    );
    assert.ok(e.lower <= share && share <= e.upper, `${share} ∉ [${e.lower}, ${e.upper}]`);
    assert.equal(e.steps, 1);
  });

  it("a 30-day FHS run with 5-day blocks is reproducible and records its seed", () => {
    const f = filteredResiduals(
      Array.from(returns, (r) => 100 * r),
      R14,
    );
    const spec: LiquidationSpec = {
      model: {
        volatility: { kind: "garch", params: R14, startVariance: f.nextVariance },
        innovations: { kind: "bootstrap", samples: f.residuals, blockLength: 5 },
      },
      grid: { horizonYears: 30 / 365, steps: 30 },
      barrier: { side: "short", spotPrice: 100, liquidationPrice: 120 },
    };
    const a = simulateLiquidation(spec, { seed: 33, paths: 20_000 });
    const b = simulateLiquidation(spec, { seed: 33, paths: 20_000 });
    assert.deepEqual(a, b);
    assert.equal(a.seed, 33);
    assert.ok(a.probability > 0.01 && a.probability < 0.6, `P ${a.probability}`);
  });
});

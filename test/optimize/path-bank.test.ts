/**
 * The path bank's intrabar extremes: the range ratio k scales the bridge variance (deeper lows,
 * higher highs, closes untouched), and `rangeVarianceRatio` is the Parkinson / close-to-close
 * variance ratio of src/vol/realized.ts — about 1 on Brownian bars, above 1 on real hourly perps.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { type CandleSeries, readCandleFile } from "../../src/market/candles.js";
import { rangeVarianceRatio, simulatePathBank } from "../../src/optimize/path-bank.js";
import { realizedVolatility } from "../../src/vol/realized.js";

const spec = {
  model: { volatility: { kind: "constant", annualVol: 0.6 }, innovations: { kind: "normal" } },
  barYears: 1 / 8760,
  bars: 24,
  paths: 4000,
  seed: 11,
} as const;

describe("intrabar variance ratio", () => {
  it("k > 1 widens every bar's range on the same closes; k = 1 is the plain bridge", () => {
    const plain = simulatePathBank(spec);
    const wide = simulatePathBank({ ...spec, intrabarVarianceRatio: 2 });
    assert.deepEqual(wide.close, plain.close);
    for (let i = 0; i < plain.low.length; i++) {
      assert.ok((wide.low[i] as number) <= (plain.low[i] as number) + 1e-15);
      assert.ok((wide.high[i] as number) >= (plain.high[i] as number) - 1e-15);
    }
    assert.throws(() => simulatePathBank({ ...spec, intrabarVarianceRatio: 0 }), /intrabarVarianceRatio/);
  });

  it("rangeVarianceRatio is Parkinson / close-to-close variance; above 1 on BTC hourly perps 2020–2024", () => {
    const { series } = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
      symbol: "BTCUSDT",
    });
    const n = series.close.length;
    const k = rangeVarianceRatio(series, n - 8000, n);
    const pk = realizedVolatility(series, "parkinson", { start: n - 8000, end: n }).perBarVariance;
    const cc = realizedVolatility(series, "close-to-close", { start: n - 8000, end: n }).perBarVariance;
    assert.ok(Math.abs(k - pk / cc) < 1e-15 * k);
    assert.ok(k > 1.1 && k < 1.5, `${k}`);
  });
  it("rangeVarianceRatio is about 1 on bars drawn from a Brownian bridge (Parkinson's assumption)", () => {
    const bank = simulatePathBank({ ...spec, bars: 20_000, paths: 1 });
    const n = bank.bars;
    const close = Float64Array.from(bank.close, (x) => 100 * Math.exp(x));
    const open = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 100 : (close[i - 1] as number)));
    const series: CandleSeries = {
      symbol: "GBM",
      intervalMs: 3_600_000,
      time: Float64Array.from({ length: n }, (_, i) => i * 3_600_000),
      open,
      high: Float64Array.from(bank.high, (x) => 100 * Math.exp(x)),
      low: Float64Array.from(bank.low, (x) => 100 * Math.exp(x)),
      close,
      volume: new Float64Array(n),
    };
    const k = rangeVarianceRatio(series, 1, n);
    assert.ok(Math.abs(k - 1) < 0.05, `${k}`);
  });
});

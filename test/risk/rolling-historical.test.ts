/**
 * The rolling backtest's historical model keeps its window's losses sorted as the window slides
 * (src/math/sorted-window.ts) instead of calling `historicalVar` on a sorted copy of every window:
 * its VaR and ES must be bit for bit those of `historicalVar` on each window, for both quantile
 * rules and any refit interval, on random series (with ties and zero returns) and on the bundled
 * BTCUSDT perpetual hourly returns.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readCandleFile } from "../../src/market/candles.js";
import { rollingBacktest } from "../../src/risk/rolling-backtest.js";
import type { QuantileRule } from "../../src/risk/var.js";
import { historicalVar } from "../../src/risk/var-historical.js";
import { logReturns } from "../../src/vol/realized.js";

/** Asserts the historical forecasts of `returns` equal `historicalVar` on each (last refit's) window. */
function assertSameAsPerWindow(
  returns: Float64Array,
  window: number,
  refitEvery: number,
  confidence: number,
  quantileRule: QuantileRule,
): void {
  const rep = rollingBacktest(returns, {
    confidence,
    window,
    refitEvery,
    quantileRule,
    models: ["historical"],
  });
  const h = rep.models[0];
  assert.ok(h !== undefined && h.model === "historical");
  for (let t = 0; t < rep.observations; t++) {
    const start = t - (t % refitEvery);
    const want = historicalVar(returns.subarray(start, start + window), { confidence, quantileRule });
    assert.ok(Object.is(h.var[t], want.var), `VaR at ${t}: ${h.var[t]} vs ${want.var}`);
    assert.ok(Object.is(h.es[t], want.es), `ES at ${t}: ${h.es[t]} vs ${want.es}`);
  }
}

/** Returns with ties and exact zeros (flat bars), as real hourly closes have. */
const returnArb = fc.oneof(
  fc.constantFrom(0, -0, 0.001, -0.001),
  fc.double({ min: -0.2, max: 0.2, noNaN: true }),
);

describe("rolling historical VaR/ES, sorted window against a sort per window", () => {
  it("identical on random series, any window, refit interval, confidence and rule", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 80 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(returnArb, { minLength: 0, maxLength: 300 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.constantFrom<QuantileRule>("type7", "kth-worst"),
        (window, refitEvery, extra, confidence, rule) => {
          const returns = Float64Array.from({ length: window + 2 + extra.length }, (_, i) =>
            i < extra.length ? (extra[i] as number) : Math.sin(i) * 0.01,
          );
          assertSameAsPerWindow(returns, window, refitEvery, confidence, rule);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("identical on BTCUSDT perpetual hourly returns, window 2000, refit every bar and every 7", () => {
    const s = readCandleFile("data/ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv", {
      symbol: "BTCUSDT",
    }).series;
    const r = logReturns(s.close.subarray(-5001));
    assert.ok(
      r.some((x) => x === 0),
      "the sample has flat bars (zero returns)",
    );
    assertSameAsPerWindow(r, 2000, 1, 0.99, "type7");
    assertSameAsPerWindow(r, 2000, 7, 0.975, "kth-worst");
  });

  it("refuses an unknown quantile rule naming the field", () => {
    assert.throws(
      () =>
        rollingBacktest(
          new Float64Array(40).map((_, i) => Math.sin(i)),
          {
            confidence: 0.99,
            window: 30,
            models: ["historical"],
            quantileRule: "type8" as QuantileRule,
          },
        ),
      /quantileRule/,
    );
  });
});

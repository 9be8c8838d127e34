/**
 * VaR/ES reports of one asset and of a portfolio (src/risk/var-report.ts), against the estimators
 * they restate.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { historicalVar } from "../../src/risk/var-historical.js";
import { studentTVar } from "../../src/risk/var-parametric.js";
import { portfolioNormalVar } from "../../src/risk/var-portfolio.js";
import { assetVarReport, portfolioVarReport } from "../../src/risk/var-report.js";
import { logReturns } from "../../src/vol/realized.js";
import { bundledCandles } from "../helpers/candles.js";

describe("assetVarReport and portfolioVarReport", () => {
  const varOptions = {
    confidence: 0.99,
    horizon: 1,
    window: 500,
    methods: ["historical", "t"] as const,
    seed: 1,
    paths: 2000,
    notional: 250_000,
  };

  test("single asset: each line is the library's VaR of the last --window log returns, valued on the notional", () => {
    const selection = bundledCandles("btc-1d", { to: "2025-01-01" });
    const r = assetVarReport(selection, varOptions);
    const returns = logReturns(selection.series.close);
    const last = returns.subarray(returns.length - 500);
    const h = historicalVar(last, { confidence: 0.99 });
    const t = studentTVar(last, { confidence: 0.99 });
    assert.equal(r.lines[0]?.varLogReturn, h.var);
    assert.equal(r.lines[1]?.esLogReturn, t.es);
    assert.ok(Math.abs((r.lines[0]?.varAmount ?? 0) - 250_000 * -Math.expm1(-h.var)) < 1e-9);
    for (const l of r.lines) assert.ok(l.esFraction >= l.varFraction);
  });

  test("portfolio: aligned on common bars; the normal components sum to the normal VaR", () => {
    const a = bundledCandles("btc-1h", { from: "2024-01-01" });
    const b = bundledCandles("eth-1h", { from: "2024-01-01" });
    const r = portfolioVarReport([a, b], [1, -10], { ...varOptions, window: 1000 });
    const normal = r.lines.find((l) => l.method === "normal");
    const sum = r.positions.reduce((s, p) => s + p.componentVar, 0);
    assert.ok(Math.abs(sum - (normal?.var ?? 0)) < 1e-6 * Math.abs(sum));
    assert.equal(r.positions[1]?.value, -10 * (r.positions[1]?.price ?? 0));
    // Same numbers as the library on the same aligned series.
    const ra = logReturns(a.series.close.subarray(a.series.close.length - 1001));
    const rb = logReturns(b.series.close.subarray(b.series.close.length - 1001));
    const lib = portfolioNormalVar(
      r.positions.map((p) => ({ asset: p.asset, quantity: p.quantity, price: p.price })),
      [ra, rb],
      { confidence: 0.99 },
    );
    assert.ok(Math.abs(lib.var - (normal?.var ?? 0)) < 1e-9 * lib.var);
  });

  test("property: amounts are the notional times the value-loss fraction, 1 − e^(−VaR) < 1, ES ≥ VaR", () => {
    const selection = bundledCandles("eth-1d", { to: "2025-01-01" });
    fc.assert(
      fc.property(
        fc.double({ min: 0.9, max: 0.999, noNaN: true }),
        fc.integer({ min: 50, max: 800 }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        (confidence, window, horizon, notional) => {
          const r = assetVarReport(selection, {
            ...varOptions,
            confidence,
            window,
            horizon,
            methods: ["historical", "normal", "cf"],
            notional,
          });
          for (const l of r.lines) {
            assert.equal(l.varFraction, -Math.expm1(-l.varLogReturn));
            assert.ok(l.varFraction < 1 && l.esFraction < 1);
            assert.ok(
              l.esFraction >= l.varFraction - 1e-12,
              `${l.method}: ES ${l.esFraction} < VaR ${l.varFraction}`,
            );
            assert.equal(l.varAmount, notional * l.varFraction);
            assert.equal(l.esAmount, notional * l.esFraction);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test("a window longer than the shared history is an input error on window", () => {
    const a = bundledCandles("btc-1d", { from: "2024-01-01", to: "2024-03-01" });
    assert.throws(
      () => portfolioVarReport([a, a], [1, 1], { ...varOptions, window: 60 }),
      /^InputError: window:/,
    );
  });
});

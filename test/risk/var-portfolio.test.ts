/**
 * Portfolio VaR/ES (src/risk/var-portfolio.ts): a hand-computed delta-normal case (uncorrelated
 * assets, σ_P = √(v₁² + v₂²)·σ), Monte Carlo against the closed form within its standard error,
 * historical simulation on the bundled BTC/ETH perp hourly joint rows, Cholesky, input errors.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { readCandleFile } from "../../src/market/candles.js";
import { standardNormalVarEs } from "../../src/risk/var-parametric.js";
import {
  portfolioHistoricalVar,
  portfolioMonteCarloVar,
  portfolioNormalVar,
} from "../../src/risk/var-portfolio.js";
import { logReturns } from "../../src/vol/realized.js";
import { assertRel } from "../helpers/close.js";

describe("delta-normal portfolio", () => {
  it("hand case: uncorrelated, zero-mean assets", () => {
    const a = [0.01, -0.01, 0.01, -0.01];
    const b = [0.01, 0.01, -0.01, -0.01];
    const pos = [
      { asset: "A", quantity: 3, price: 1000 },
      { asset: "B", quantity: -2, price: 2000 },
    ];
    const r = portfolioNormalVar(pos, [a, b], { confidence: 0.99 });
    const sigma = Math.sqrt(4e-4 / 3); // Σx² / (n − 1)
    const sd = Math.sqrt(3000 ** 2 + 4000 ** 2) * sigma; // 5000 σ
    assertRel(r.diagnostics.pnlSd, sd, 1e-12);
    assertRel(r.var, 2.3263478740408408 * sd, 1e-12);
    // Components ∝ v_i² (uncorrelated): 9/25 and 16/25 of VaR.
    assertRel(r.diagnostics.componentVar[0], (9 / 25) * r.var, 1e-12);
    assertRel(r.diagnostics.componentVar[1], (16 / 25) * r.var, 1e-12);
  });
});

describe("Monte Carlo portfolio", () => {
  const s1 = [0.01, -0.02, 0.015, 0.003, -0.007, 0.02, -0.011, 0.004, 0.009, -0.016];
  const s2 = [0.02, -0.01, 0.01, -0.004, -0.012, 0.018, -0.02, 0.001, 0.012, -0.01];
  const pos = [
    { asset: "X", quantity: 1, price: 50_000 },
    { asset: "Y", quantity: 10, price: 3000 },
  ];
  it("simple returns, normal shocks: within 4 standard errors of the delta-normal closed form", () => {
    const mc = portfolioMonteCarloVar(pos, [s1, s2], {
      confidence: 0.99,
      seed: 21,
      paths: 200_000,
      returnKind: "simple",
    });
    const exact = portfolioNormalVar(pos, [s1, s2], { confidence: 0.99 });
    assert.ok(
      Math.abs(mc.var - exact.var) < 4 * mc.diagnostics.standardErrorVar,
      `${mc.var} vs ${exact.var}`,
    );
    assert.ok(Math.abs(mc.es - exact.es) < 4 * mc.diagnostics.standardErrorEs, `${mc.es} vs ${exact.es}`);
    assert.equal(mc.diagnostics.seed, 21);
  });
  it("multivariate t (same covariance) has a larger ES than normal at 99 %, VaR ≤ ES", () => {
    const t = portfolioMonteCarloVar(pos, [s1, s2], {
      confidence: 0.99,
      seed: 21,
      paths: 100_000,
      shocks: { kind: "student-t", nu: 4 },
    });
    const n = portfolioNormalVar(pos, [s1, s2], { confidence: 0.99 });
    assert.ok(t.es > n.es);
    assert.ok(t.es >= t.var);
    // Unit-variance t₄ ES / normal ES at 99 % = 3.69151 / 2.665214 = 1.385 (quant.md R9); the
    // means and the revaluation shift it a little.
    const ratio = t.es / n.es;
    assert.ok(Math.abs(ratio - 3.69151 / standardNormalVarEs(0.99).es) < 0.1, `ratio ${ratio}`);
  });
});

describe("historical portfolio on BTC/ETH perp hourly", () => {
  it("joint rows: a hedged book has a smaller VaR than the long leg alone", () => {
    const btc = readCandleFile("data/ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv", {
      symbol: "BTCUSDT",
    }).series;
    const eth = readCandleFile("data/ohlcv/binance-perp_ethusdt_1h_2020-01_2024-04.csv", {
      symbol: "ETHUSDT",
    }).series;
    assert.deepEqual(btc.time.subarray(-2001), eth.time.subarray(-2001), "aligned bars");
    const rb = logReturns(btc.close.subarray(-2001));
    const re = logReturns(eth.close.subarray(-2001));
    const long = [{ asset: "BTC", quantity: 1, price: 60_000 }];
    const hedged = [...long, { asset: "ETH", quantity: -15, price: 3000 }];
    const a = portfolioHistoricalVar(long, [rb], { confidence: 0.99 });
    const b = portfolioHistoricalVar(hedged, [rb, re], { confidence: 0.99 });
    assert.ok(b.var < a.var, `hedged ${b.var} vs long ${a.var}`);
    assert.equal(a.diagnostics.scenarios, 2000);
  });
});

describe("checks", () => {
  it("misaligned series and bad prices are InputErrors naming the field", () => {
    const pos = [
      { asset: "A", quantity: 1, price: 1 },
      { asset: "B", quantity: 1, price: 1 },
    ];
    assert.throws(
      () =>
        portfolioNormalVar(
          pos,
          [
            [0.1, 0.2, 0.3],
            [0.1, 0.2],
          ],
          { confidence: 0.99 },
        ),
      (e: unknown) => e instanceof InputError && e.field === "returns[1]",
    );
    assert.throws(
      () => portfolioNormalVar([{ asset: "A", quantity: 1, price: -5 }], [[0.1, 0.2]], { confidence: 0.99 }),
      (e: unknown) => e instanceof InputError && e.field === "positions[0].price",
    );
  });
});

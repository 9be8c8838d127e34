/**
 * The dynamic policy: its filters reproduce the textbook updates (Hull, *Options, Futures and
 * Other Derivatives*, volatility chapter; quant.md §5 R15: EWMA λ 0.90, σ 1 %, u 2 % → 1.1402 %;
 * GARCH ω 2e-6, α 0.06, β 0.92, σ 1 %, 1040 → 1060 → 1.0779 %), the decision is read at the
 * nearest knot, and the α-constrained leverage of a table falls as the volatility state rises;
 * with σ held at each knot (the fallback of a degenerate fit) and normal shocks, the table's
 * leverage has the closed-form first-passage P(liquidation) α.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildPolicyTable,
  decide,
  observeReturn,
  type PolicyTableOptions,
  varianceKnots,
} from "../../src/optimize/policy.js";
import { traderScenario } from "../../src/optimize/trader-probability.js";
import { standardized } from "../../src/optimize/vol-models.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";

describe("volatility filters", () => {
  it("EWMA: Hull's example λ 0.90, σ 1 %, u 2 % → σ 1.1402 %", () => {
    const next = observeReturn({ kind: "ewma", params: { lambda: 0.9 }, variance: 1e-4 }, 0.02);
    assert.ok(Math.abs(Math.sqrt(next.variance) - 0.011402) < 5e-7, `${Math.sqrt(next.variance)}`);
  });
  it("GARCH (percent units): Hull's example ω 2e-6 (0.02 %²), α 0.06, β 0.92, u = 20/1040 → σ 1.0779 %", () => {
    const next = observeReturn(
      { kind: "garch", params: { mu: 0, omega: 0.02, alpha: 0.06, beta: 0.92 }, variance: 1e-4 },
      20 / 1040,
    );
    assert.ok(Math.abs(Math.sqrt(next.variance) - 0.010779) < 5e-7, `${Math.sqrt(next.variance)}`);
  });
});

describe("decision tables", () => {
  const resolved = resolveAccountDocument({
    venue: "binance-usdm",
    marginMode: "isolated",
    walletBalance: 0,
    positions: [{ symbol: "BTCUSDT", size: 2, entryPrice: 50_000, markPrice: 50_000, isolatedMargin: 5_000 }],
  });
  const knots = varianceKnots(2e-5, 5e-4, 3);
  const options: PolicyTableOptions = {
    scenario: traderScenario(resolved, 0),
    garch: { mu: 0, omega: 0.002, alpha: 0.05, beta: 0.94, nu: 4 },
    knotVariance: knots,
    alpha: 0.01,
    horizonHours: 24,
    recoveryHours: 12,
    barHours: 1,
    referenceLeverage: 20,
    topUpFraction: 0.5,
    costs: {
      takerFeeRate: 0.0005,
      liquidationFeeRate: 0.003,
      slippage: { kind: "proportional", bps: 2 },
      forfeitRemainder: true,
      idleRatePerYear: 0.05,
    },
    grid: { stopFractions: [null, 0.5, 0.9], topUpFractions: [null, 0.5] },
    paths: 2_000,
    seed: 3,
  };
  const table = buildPolicyTable(options);
  it("knots are log-spaced from low to high", () => {
    assert.equal(knots.length, 3);
    assert.ok(Math.abs((knots[1] as number) ** 2 - 2e-5 * 5e-4) < 1e-15);
  });
  it("the α-constrained leverage falls as the conditional variance rises", () => {
    const lev = table.decisions.map((d) => d.alphaLeverage);
    assert.ok((lev[0] as number) > (lev[1] as number) && (lev[1] as number) > (lev[2] as number), `${lev}`);
    assert.equal(table.side, "long");
  });
  it("thresholds come from the nearest knot; the α leverage is log-linear between knots", () => {
    const at = (v: number) => decide(table, { kind: "ewma", params: { lambda: 0.9 }, variance: v });
    const d = table.decisions;
    const k = knots as number[];
    assert.deepEqual(at(k[0] as number), d[0]);
    assert.deepEqual(at(k[2] as number), d[2]);
    assert.equal(at(1e-9).alphaLeverage, d[0]?.alphaLeverage);
    // Halfway between knots 0 and 1 in log variance: the geometric mean of their leverages.
    const mid = at(Math.sqrt((k[0] as number) * (k[1] as number)));
    const geo = Math.sqrt((d[0]?.alphaLeverage as number) * (d[1]?.alphaLeverage as number));
    assert.ok(Math.abs(mid.alphaLeverage - geo) < 1e-9 * geo);
    assert.equal(at((k[1] as number) * 1.01).stopDistance, d[1]?.stopDistance);
    // Outside the knots the end tables hold.
    assert.equal(at((k[2] as number) * 10).alphaLeverage, d[2]?.alphaLeverage);
  });
  it("filtered-bootstrap banks follow the residuals' tails: ±1 shocks allow more leverage than t₄, spiky ones less than ±1", () => {
    const leverage = (raw: Float64Array) =>
      buildPolicyTable({ ...options, residuals: standardized(raw) }).decisions.map((d) => d.alphaLeverage);
    const twoPoint = leverage(Float64Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? 1 : -1)));
    // Mostly ±0.5 with a ±6 shock every 97 bars, rescaled to unit variance.
    const spiky = leverage(
      Float64Array.from({ length: 2000 }, (_, i) =>
        i % 97 === 0 ? (i % 2 === 0 ? 6 : -6) : i % 2 === 0 ? 0.5 : -0.5,
      ),
    );
    table.decisions.forEach((d, k) => {
      assert.ok(
        (twoPoint[k] as number) > d.alphaLeverage,
        `knot ${k}: ±1 ${twoPoint[k]} vs t ${d.alphaLeverage}`,
      );
      assert.ok(
        (spiky[k] as number) < (twoPoint[k] as number),
        `knot ${k}: spiky ${spiky[k]} vs ±1 ${twoPoint[k]}`,
      );
    });
  });
});

/**
 * The stop/top-up cost model: hand-worked paths (every number below follows from the definitions
 * in src/optimize/stop-topup.ts and is computed here by hand), the monotonicity that theory gives
 * for each cost component on common random numbers, the slippage models (the square-root law of
 * src/risk/impact.ts, Tóth et al. 2011, and the book walk's hand-checked example), and the bookkeeping invariants (a liquidation only when a bar's
 * extreme reached the liquidation price; never losing more than the committed collateral).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { orderBookFromLevels } from "../../src/market/orderbook.js";
import { simulatePathBank } from "../../src/optimize/path-bank.js";
import {
  type CostParameters,
  cheapest,
  costCurve,
  emptyOutcome,
  evaluatePath,
  slippageFraction,
  type ThresholdProblem,
  thresholdProblem,
} from "../../src/optimize/stop-topup.js";
import { traderScenario } from "../../src/optimize/trader-probability.js";
import { squareRootImpact } from "../../src/risk/impact.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";

const COSTS: CostParameters = {
  takerFeeRate: 0.0005,
  liquidationFeeRate: 0.005,
  slippage: { kind: "proportional", bps: 0 },
  forfeitRemainder: true,
  idleRatePerYear: 0,
};

/** A long of 1 unit at S₀ 100 (isolated: equity = collateral 10), liquidation at 90 (no maintenance for simplicity), after top-up at 80. */
function toyProblem(over: Partial<ThresholdProblem> = {}): ThresholdProblem {
  const bars = 6;
  return {
    side: 1,
    units: 1,
    spotPrice: 100,
    collateral: 10,
    equity: 10,
    topUpAmount: 10,
    logBarrier: Math.log(0.9),
    logBarrierAfterTopUp: Math.log(0.8),
    barrierLogShift: new Float64Array(bars),
    fundingPaid: new Float64Array(bars),
    horizonBars: 3,
    recoveryBars: 3,
    barYears: 1 / 8760,
    costs: COSTS,
    ...over,
  };
}

const ln = (prices: number[]) => prices.map((p) => Math.log(p / 100));

describe("evaluatePath: hand-worked paths", () => {
  it("a stop at the close, then a recovery past the stop within W: premature, with the foregone recovery", () => {
    // closes 97, 94 (≤ stop 95 → out at 94), then 96 (high 96 ≥ 95: recovered), 99, 101 (end of W = bar 1 + 3 = 4).
    const close = ln([97, 94, 96, 99, 101, 100]);
    const low = ln([96, 93, 93.5, 95, 98, 99]);
    const high = ln([100, 97, 96, 99, 101, 101]);
    const o = evaluatePath(
      toyProblem(),
      { stopDistance: 0.05, topUpDistance: null },
      close,
      low,
      high,
      0,
      6,
      emptyOutcome(),
    );
    assert.equal(o.outcome, "stopped");
    assert.equal(o.exitBar, 1);
    assert.ok(Math.abs(o.exitPrice - 94) < 1e-9);
    assert.ok(Math.abs(o.exitCost - 94 * 0.0005) < 1e-12);
    assert.equal(o.premature, true);
    assert.ok(Math.abs(o.foregoneRecovery - (101 - 94)) < 1e-9);
    assert.ok(Math.abs(o.pnl - (94 - 100 - 94 * 0.0005)) < 1e-9);
  });
  it("a stop followed by a touch of the liquidation price is not premature", () => {
    const close = ln([97, 94, 91, 96, 99, 100]);
    const low = ln([96, 93, 89.5, 90, 95, 99]); // bar 2 touches 90 before any high ≥ 95
    const high = ln([100, 97, 94, 97, 99, 101]);
    const o = evaluatePath(
      toyProblem(),
      { stopDistance: 0.05, topUpDistance: null },
      close,
      low,
      high,
      0,
      6,
      emptyOutcome(),
    );
    assert.equal(o.outcome, "stopped");
    assert.equal(o.premature, false);
    assert.equal(o.foregoneRecovery, 0);
  });
  it("an intrabar touch of the liquidation price liquidates before the close-based stop", () => {
    const close = ln([97, 94, 96, 99, 101, 100]);
    const low = ln([96, 89, 93.5, 95, 98, 99]); // bar 1 low 89 ≤ 90
    const high = ln([100, 97, 96, 99, 101, 101]);
    const o = evaluatePath(
      toyProblem(),
      { stopDistance: 0.05, topUpDistance: null },
      close,
      low,
      high,
      0,
      6,
      emptyOutcome(),
    );
    assert.equal(o.outcome, "liquidated");
    assert.ok(Math.abs(o.exitPrice - 90) < 1e-9);
    // Forfeited remainder: equity at 90 = 10 + (90 − 100) = 0 → cost 0, P&L −10 (the whole collateral).
    assert.ok(Math.abs(o.liquidationCost) < 1e-9);
    assert.ok(Math.abs(o.pnl + 10) < 1e-9);
    // The price is back above 90 in bar 2 (high 96): a premature liquidation, foregone 101 − 90 at the end of W (bar 4).
    assert.equal(o.premature, true);
    assert.ok(Math.abs(o.foregoneRecovery - 11) < 1e-9);
  });
  it("a top-up at the close moves the liquidation price and spares the path", () => {
    const close = ln([93, 92, 95, 99, 101, 100]); // close 93 ≤ trigger 94 → top up, barrier 80
    const low = ln([96, 85, 93.5, 95, 98, 99]); // 85 would have liquidated at 90
    const high = ln([100, 97, 96, 99, 101, 101]);
    const pr = toyProblem({ costs: { ...COSTS, idleRatePerYear: 0.0876 } });
    const o = evaluatePath(
      pr,
      { stopDistance: null, topUpDistance: 0.06 },
      close,
      low,
      high,
      0,
      6,
      emptyOutcome(),
    );
    assert.equal(o.outcome, "horizon");
    assert.equal(o.toppedUp, true);
    assert.ok(Math.abs(o.exitPrice - 95) < 1e-9);
    // Idle: 0.0876/8760 per bar = 1e-5: collateral 10 over 3 bars + top-up 10 over bars 1–2 (2 bars) → 5e-4.
    assert.ok(Math.abs(o.idleCost - 5e-4) < 1e-12);
  });
});

describe("bookkeeping invariants (fast-check on random bars)", () => {
  it("liquidated only if the adverse extreme reached the barrier; never more lost than committed", () => {
    const bar = fc.tuple(
      fc.double({ min: -0.15, max: 0.15, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(bar, { minLength: 6, maxLength: 6 }),
        fc.constantFrom<1 | -1>(1, -1),
        fc.option(fc.double({ min: 0.01, max: 0.09, noNaN: true }), { nil: null }),
        (bars, side, stop) => {
          const close = bars.map((b) => b[0]);
          const low = bars.map((b) => b[0] - b[1]);
          const high = bars.map((b) => b[0] + b[2]);
          const pr = toyProblem({
            side,
            logBarrier: Math.log(side > 0 ? 0.9 : 1.1),
            logBarrierAfterTopUp: Math.log(side > 0 ? 0.8 : 1.2),
          });
          const o = evaluatePath(
            pr,
            { stopDistance: stop, topUpDistance: null },
            close,
            low,
            high,
            0,
            6,
            emptyOutcome(),
          );
          for (let k = 0; k < o.exitBar; k++) {
            const adverse = side > 0 ? (low[k] as number) : (high[k] as number);
            assert.ok(
              side * (adverse - pr.logBarrier) > 0,
              "a touched barrier before the exit bar must have liquidated",
            );
          }
          if (o.outcome === "liquidated") {
            const adverse = side > 0 ? (low[o.exitBar] as number) : (high[o.exitBar] as number);
            assert.ok(side * (adverse - pr.logBarrier) <= 0);
          }
          assert.ok(o.pnl >= -pr.collateral - 1e-9);
          assert.ok(o.liquidationCost >= 0 && o.exitCost >= 0 && o.foregoneRecovery >= 0);
        },
      ),
    );
  });
});

describe("cost curve: monotone components on one bank", () => {
  const resolved = resolveAccountDocument({
    venue: "binance-usdm",
    marginMode: "isolated",
    walletBalance: 0,
    positions: [{ symbol: "BTCUSDT", size: 1, entryPrice: 50_000, markPrice: 50_000, isolatedMargin: 5_000 }],
  });
  const s = traderScenario(resolved, 0);
  const pr = thresholdProblem(s, {
    horizonHours: 24,
    barHours: 1,
    recoveryHours: 24,
    topUpAmount: 2_500,
    costs: COSTS,
  });
  const bank = simulatePathBank({
    model: { volatility: { kind: "constant", annualVol: 1.2 }, innovations: { kind: "student-t", nu: 4 } },
    barYears: 1 / 8760,
    bars: 48,
    paths: 3_000,
    seed: 17,
  });
  it("a farther stop: fewer stops, more liquidations, more liquidation cost", () => {
    const curve = costCurve(pr, bank, {
      stopFractions: [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, null],
      topUpFractions: [null],
    });
    for (let i = 1; i < curve.length; i++) {
      const a = curve[i - 1];
      const b = curve[i];
      assert.ok(a !== undefined && b !== undefined);
      assert.ok(b.probabilityStopped <= a.probabilityStopped);
      assert.ok(b.probabilityLiquidated >= a.probabilityLiquidated);
      assert.ok(b.liquidationCost.mean >= a.liquidationCost.mean - 1e-9);
    }
    const best = cheapest(curve);
    for (const c of curve) assert.ok(best.totalCost.mean <= c.totalCost.mean);
    for (const c of curve)
      assert.ok(c.totalCost.standardError > 0 && Number.isFinite(c.totalCost.standardError));
  });
  it("a farther top-up trigger: fewer top-ups, more liquidations (no stop)", () => {
    const curve = costCurve(pr, bank, { stopFractions: [null], topUpFractions: [0.2, 0.4, 0.6, 0.8, null] });
    for (let i = 1; i < curve.length; i++) {
      const a = curve[i - 1];
      const b = curve[i];
      assert.ok(a !== undefined && b !== undefined);
      assert.ok(b.probabilityToppedUp <= a.probabilityToppedUp);
      assert.ok(b.probabilityLiquidated >= a.probabilityLiquidated);
    }
  });
});

describe("slippage models", () => {
  it("square-root: half spread + src/risk/impact.ts's Y σ_D √(Q/V_D), so I(4Q) − spread = 2·(I(Q) − spread)", () => {
    const impact = { y: 0.7, dailyVol: 0.04, dailyVolume: 5e9, exponent: 0.5 };
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e9, noNaN: true }), (q) => {
        const m = { kind: "square-root" as const, impact, halfSpreadBps: 0.5 };
        const a = slippageFraction(m, q) - 0.5e-4;
        assert.ok(Math.abs(a - squareRootImpact(q, impact)) <= 1e-15);
        assert.ok(Math.abs(slippageFraction(m, 4 * q) - 0.5e-4 - 2 * a) <= 1e-12 * Math.max(1, a));
      }),
    );
  });
  it("book: the walk of src/market/book-walk.ts's hand-checked example (buy 2.5 base for 254 quote: VWAP 101.6)", () => {
    const { book } = orderBookFromLevels({
      symbol: "TEST",
      timeMs: 0,
      bidPrice: [99, 98],
      bidSize: [1, 1],
      askPrice: [101, 102, 104],
      askSize: [1, 2, 5],
    });
    // A short closes by buying from the asks: 2.5 base for 254 quote against 250 at the mid → 4 quote of slippage.
    assert.ok(Math.abs(slippageFraction({ kind: "book", book }, 254, -1) - 4 / 254) < 1e-12);
    // A long selling into the bids for 99 + 98 = 197 quote: 2 base worth 200 at the mid → 3 quote.
    assert.ok(Math.abs(slippageFraction({ kind: "book", book }, 197, 1) - 3 / 197) < 1e-12);
    // Selling more than the bids hold: the 100 quote left is charged at the last level's 2 % → 3 + 2.
    const over = slippageFraction({ kind: "book", book }, 297, 1);
    assert.ok(Math.abs(over - 5 / 297) < 1e-12, `${over}`);
  });
});

describe("cross accounts", () => {
  it("a liquidation consumes the account's equity, not only the wallet: its cost is positive", () => {
    // The ETH short of the cross example is backed by the BTC long's profit as well as the wallet.
    const doc = JSON.parse(
      readFileSync(new URL("../../examples/cross-btc-eth.json", import.meta.url), "utf8"),
    ) as unknown;
    const resolved = resolveAccountDocument(doc);
    const s = traderScenario(resolved, 1);
    const pr = thresholdProblem(s, {
      horizonHours: 24,
      barHours: 1,
      recoveryHours: 24,
      topUpAmount: 0,
      costs: { ...COSTS, forfeitRemainder: false },
    });
    assert.ok(pr.equity > pr.collateral, `equity ${pr.equity} vs wallet ${pr.collateral}`);
    // One bar whose high touches the liquidation price.
    const h = pr.logBarrier;
    const o = emptyOutcome();
    evaluatePath(
      pr,
      { stopDistance: null, topUpDistance: null },
      Float64Array.of(0),
      Float64Array.of(0),
      Float64Array.of(h + 0.01),
      0,
      1,
      o,
    );
    assert.equal(o.outcome, "liquidated");
    assert.ok(o.liquidationCost > 0);
  });
});

/**
 * Bookkeeping invariants of the trader backtest on real bundled candles (BTCUSDT hourly,
 * 2020-01 → 2020-05, small Monte Carlo): a liquidation is counted only when a bar's low (long) or
 * high (short) reached the venue's liquidation price, and then in the first such bar; capital is
 * conserved (equity = initial + Σ P&L; no trade returns less than nothing); decisions are out of
 * sample (every trade after the first refit, every fit window before its refit); a degenerate
 * refit falls back to the fit's IGARCH(1,1) with drift and says so (below).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { bundledPath } from "../../src/market/bundled.js";
import { readCandleFile, sliceByTime } from "../../src/market/candles.js";
import {
  equityCurve,
  runTraderBacktest,
  summarizeTrades,
  type TraderBacktestOptions,
  tradesInWindow,
} from "../../src/optimize/trader-backtest.js";
import { getVenue } from "../../src/venues/index.js";

const HOUR = 3_600_000;
const loaded = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
  symbol: "BTCUSDT",
  onBadRow: "drop-and-report",
  onDuplicate: "keep-last",
});
const candles = sliceByTime(loaded.series, Date.UTC(2020, 0, 1), Date.UTC(2020, 4, 1));
const OPTIONS: TraderBacktestOptions = {
  venue: getVenue("binance-usdm"),
  symbol: "BTCUSDT",
  candles,
  notionalUsd: 100_000,
  horizonHours: 24,
  recoveryHours: 12,
  fitBars: 60 * 24,
  minFitBars: 40 * 24,
  refitBars: 30 * 24,
  alpha: 0.01,
  staticLeverage: 25,
  topUpFraction: 0.5,
  costs: {
    takerFeeRate: 0.0005,
    liquidationFeeRate: 0.003,
    slippage: { kind: "proportional", bps: 2 },
    forfeitRemainder: true,
    idleRatePerYear: 0.05,
  },
  knots: 3,
  paths: 300,
  seed: 1,
  grid: { stopFractions: [null, 0.5, 0.8], topUpFractions: [null, 0.5] },
};
const result = runTraderBacktest(OPTIONS);
const barAt = (ms: number) => (ms - (candles.time[0] as number)) / HOUR;

describe("trader backtest bookkeeping", () => {
  it("runs out of sample and trades every policy every day on both sides", () => {
    assert.ok(result.refits.length >= 2);
    for (const r of result.refits) assert.ok(r.fitFromMs < r.atMs);
    const firstRefit = result.refits[0]?.atMs as number;
    for (const t of result.trades) assert.ok(t.openMs >= firstRefit);
    const s = summarizeTrades(result.trades);
    assert.ok(s.every((p) => p.trades === s[0]?.trades && p.trades > 100));
  });
  it("a liquidation only where the bar's extreme reached the liquidation price, in the first such bar (no funding, no top-up)", () => {
    let checked = 0;
    for (const t of result.trades) {
      if (t.toppedUp) continue;
      const open = barAt(t.openMs);
      const exit = barAt(t.exitMs);
      const touched = (k: number) =>
        t.side === "long"
          ? (candles.low[k] as number) <= t.liquidationPrice
          : (candles.high[k] as number) >= t.liquidationPrice;
      for (let k = open; k < exit; k++)
        assert.ok(
          !touched(k),
          `${t.policy} ${t.side} ${new Date(t.openMs).toISOString()}: touched before exit`,
        );
      if (t.outcome === "liquidated") {
        assert.ok(touched(exit));
        assert.ok(Math.abs(t.barrierAtExit / t.liquidationPrice - 1) < 1e-12);
        checked++;
      } else if (t.outcome === "horizon") assert.equal(exit - open, 23);
    }
    assert.ok(checked > 5, `only ${checked} liquidations checked`);
  });
  it("capital is conserved: equity = initial + Σ P&L, no trade returns a negative amount, committed = collateral (+ top-up)", () => {
    for (const policy of ["static", "alpha", "thresholds"] as const) {
      const trades = result.trades.filter((t) => t.policy === policy);
      const curve = equityCurve(result.trades, policy, 1_000_000);
      const sum = trades.reduce((a, t) => a + t.pnl, 0);
      assert.ok(Math.abs((curve.equity[curve.equity.length - 1] as number) - (1_000_000 + sum)) < 1e-6);
      assert.equal(curve.liquidations.length, trades.filter((t) => t.outcome === "liquidated").length);
    }
    for (const t of result.trades) {
      assert.ok(t.committed + t.pnl >= -1e-9, "returned amount is negative");
      assert.equal(t.committed, t.collateral + (t.toppedUp ? t.topUpAmount : 0));
      if (t.outcome === "liquidated")
        assert.ok(Math.abs(t.pnl + t.committed) < 1e-6, "a forfeited liquidation loses the committed margin");
    }
  });
  it("the Black Thursday window holds the trades that overlap it", () => {
    const w = { label: "2020-03-12", fromMs: Date.UTC(2020, 2, 12), toMs: Date.UTC(2020, 2, 14) };
    const inside = tradesInWindow(result.trades, w);
    assert.ok(inside.length > 0);
    for (const t of inside) assert.ok(t.openMs < w.toMs && t.exitMs + HOUR > w.fromMs);
    assert.ok(inside.some((t) => t.outcome === "liquidated"));
  });
});

// The trader backtest at a degenerate refit (issue 10 §2, as `liqopt trader` handles one): with a
// 60-day first fit and 30-day refits from 2020-01-01, the second refit (2020-03-31 01:00, fitted on
// 2020-01-01 → 2020-03-31) ends with the GARCH(1,1)-t persistence α + β on the stationarity bound.
// By default that refit falls back to the fit's IGARCH(1,1) with drift — ω of the fit,
// ᾱ = α/(α + β), β̄ = 1 − ᾱ, started as fGarch starts (σ²_1 = ω + mean ε²) on the window's percent
// returns — which the test recomputes here, bar by bar, for the trades that follow; `keep` keeps
// the GARCH filter and says so,
// `refuse` is an input error naming the refit.
const q1 = sliceByTime(loaded.series, Date.UTC(2020, 0, 1), Date.UTC(2020, 3, 3));
const Q1: TraderBacktestOptions = {
  ...OPTIONS,
  candles: q1,
  fitBars: 180 * 24,
  minFitBars: 60 * 24,
  knots: 2,
  paths: 200,
  grid: { stopFractions: [null, 0.5], topUpFractions: [null] },
};
const DEGENERATE_AT = Date.UTC(2020, 2, 31, 1);
const fallback = runTraderBacktest(Q1);
const kept = runTraderBacktest({ ...Q1, onDegenerate: "keep" });
const bar = (ms: number) => (ms - (q1.time[0] as number)) / HOUR;

/**
 * σ² (fraction²) of the IGARCH filter known at bar `at` whose fit window is bars [from, refit)
 * and whose fit has μ, ω, α, β: written out here, independently of src/vol/garch and policy.ts.
 */
function igarchVarianceAt(
  from: number,
  refit: number,
  at: number,
  p: { mu: number; omega: number; alpha: number; beta: number },
): number {
  const r = (k: number) => 100 * Math.log((q1.close[k] as number) / (q1.close[k - 1] as number)) - p.mu;
  let ms = 0;
  for (let k = from; k < refit; k++) ms += r(k) ** 2 / (refit - from);
  const alpha = p.alpha / (p.alpha + p.beta);
  let v = p.omega + ms;
  for (let k = from; k < at; k++) v = p.omega + alpha * r(k) ** 2 + (1 - alpha) * v;
  return v / 1e4;
}

describe("trader backtest with a degenerate GARCH-t refit", () => {
  it("flags the refit at the stationarity bound and falls back to the fit's IGARCH(1,1) with drift", () => {
    assert.deepEqual(
      fallback.refits.map((r) => [r.atMs, r.filter, r.degenerate?.fallback]),
      [
        [Date.UTC(2020, 2, 1, 1), "garch", undefined],
        [DEGENERATE_AT, "igarch-drift", "igarch-drift"],
      ],
    );
    const r = fallback.refits[1];
    assert.ok(r?.atBound.includes("persistence"));
    assert.equal(r?.degenerate?.requested, "garch-t");
    assert.match(r?.degenerate?.reason ?? "", /stationarity bound/);
    assert.ok(Math.abs((r?.params.alpha as number) + (r?.params.beta as number) - 1) < 1e-6);
    const after = fallback.trades.filter((t) => t.openMs > DEGENERATE_AT);
    assert.equal(after.length, 2 * 2 * 3); // 04-01 and 04-02, both sides, three policies
    const from = bar(r?.fitFromMs as number);
    const p = r?.params as { mu: number; omega: number; alpha: number; beta: number };
    assert.deepEqual(r?.degenerate?.igarch?.omega, p.omega);
    for (const t of after) {
      const expected = Math.sqrt(igarchVarianceAt(from, bar(DEGENERATE_AT), bar(t.openMs), p) * 8760);
      assert.ok(Math.abs(t.annualVol / expected - 1) < 1e-9, `${t.annualVol} vs IGARCH ${expected}`);
    }
  });

  it("the refits before it and their trades are untouched; keep runs the GARCH filter and still says so", () => {
    const before = (x: typeof fallback) => x.trades.filter((t) => t.openMs < DEGENERATE_AT);
    assert.deepEqual(before(fallback), before(kept));
    const r = kept.refits[1];
    assert.equal(r?.filter, "garch");
    assert.deepEqual([r?.degenerate?.requested, r?.degenerate?.fallback], ["garch-t", null]);
    const vol = (x: typeof fallback) =>
      x.trades.filter((t) => t.openMs > DEGENERATE_AT).map((t) => t.annualVol);
    // The kept filter is the IGARCH's to 1e-6 (α and β move by < 1e-6 relative).
    assert.ok(vol(kept).every((v, k) => Math.abs(v / (vol(fallback)[k] as number) - 1) < 1e-5));
  });

  it("the filtered bootstrap falls back to the IGARCH too; refuse is an input error naming the refit", () => {
    const fhs = runTraderBacktest({ ...Q1, innovations: "filtered-bootstrap", sides: ["long"] });
    assert.deepEqual([fhs.refits[1]?.degenerate?.requested, fhs.refits[1]?.filter], ["fhs", "igarch-drift"]);
    assert.throws(
      () => runTraderBacktest({ ...Q1, onDegenerate: "refuse" }),
      (e: unknown) =>
        e instanceof InputError &&
        e.field === "candles" &&
        e.value === "2020-03-31T01:00:00.000Z" &&
        /degenerate GARCH\(1,1\)-t fit/.test(e.message),
    );
  });
});

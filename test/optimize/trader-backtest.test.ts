/**
 * Bookkeeping invariants of the trader backtest on real bundled candles (BTCUSDT hourly,
 * 2020-01 → 2020-05, small Monte Carlo): a liquidation is counted only when a bar's low (long) or
 * high (short) reached the venue's liquidation price, and then in the first such bar; capital is
 * conserved (equity = initial + Σ P&L; no trade returns less than nothing); decisions are out of
 * sample (every trade after the first refit, every fit window before its refit).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledPath } from "../../src/market/bundled.js";
import { readCandleFile, sliceByTime } from "../../src/market/candles.js";
import {
  equityCurve,
  runTraderBacktest,
  summarizeTrades,
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
const result = runTraderBacktest({
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
});
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

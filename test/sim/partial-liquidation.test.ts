/**
 * Partial liquidation under a venue's procedure. Checked against: the single-position simulation
 * (src/sim/liquidation.ts) on the same draws, with the barrier from the margin engine's
 * liquidationPrices (the first breach is the same event); Hyperliquid's rule as its docs state it
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations: 20 % above 100k USDC
 * notional, the whole position within the 30 s cooldown, the backstop below 2/3 of maintenance
 * margin), worked by hand on one- and two-step paths; Binance's takeover at bankruptcy.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { simulateLiquidation } from "../../src/sim/liquidation.js";
import type { ModelSpec } from "../../src/sim/models.js";
import {
  PartialLiquidationEvaluator,
  type PartialLiquidationSpec,
  simulatePartialLiquidation,
} from "../../src/sim/partial-liquidation.js";
import { getVenue } from "../../src/venues/index.js";
import { assertNear } from "../helpers/close.js";
import { account, flatTiers, position } from "../helpers/positions.js";

const model: ModelSpec = {
  volatility: { kind: "constant", annualVol: 0.8 },
  innovations: { kind: "normal" },
};
const grid = { horizonYears: 7 / 365, steps: 168 };
const hyperliquid = getVenue("hyperliquid");
const btcTiers = hyperliquid.tierTable("BTC").tiers;

/** Long `quantity` BTC at 100,000 on Hyperliquid, isolated with `collateral`. */
const btcLong = (quantity: number, collateral: number): PartialLiquidationSpec => ({
  model,
  grid,
  venue: "hyperliquid",
  symbol: "BTC",
  quantity,
  entryPrice: 100_000,
  spotPrice: 100_000,
  collateral,
});

/** The margin engine's liquidation price of the same position (src/margin/liquidation.ts). */
function engineLiquidationPrice(quantity: number, collateral: number): number {
  const [p] = liquidationPrices(
    account("isolated", 0, [
      position(btcTiers, { size: quantity, entryPrice: 100_000, isolatedMargin: collateral, symbol: "BTC" }),
    ]),
    hyperliquid.rules,
  );
  return p?.liquidationPrice as number;
}

function singleBarrier(liquidationPrice: number, seed: number, paths: number) {
  return simulateLiquidation(
    { model, grid, barrier: { side: "long", spotPrice: 100_000, liquidationPrice }, bridge: false },
    { seed, paths },
  );
}

describe("simulatePartialLiquidation (Hyperliquid)", () => {
  it("below 100k notional every liquidation is full: the single-barrier probability on the same draws", () => {
    const liq = engineLiquidationPrice(0.5, 5_000);
    // Tier 0 of BTC: mmr = 1/(2·40) = 0.0125; 5,000 + 0.5(S − 100,000) = 0.00625·S.
    assertNear(liq, 45_000 / 0.49375, 1e-6, "liquidation price");
    const partial = simulatePartialLiquidation(btcLong(0.5, 5_000), { seed: 52, paths: 20_000 });
    const single = singleBarrier(liq, 52, 20_000);
    assert.equal(partial.liquidated, single.liquidated);
    assert.equal(partial.fullyLiquidated, partial.liquidated);
    assertNear(partial.expectedFractionLiquidated, partial.anyLiquidation.probability, 1e-12);
    assertNear(partial.meanTimeToLiquidationYears, single.meanTimeToLiquidationYears, 1e-12);
    assert.ok(partial.anyLiquidation.probability > 0.05, `${partial.anyLiquidation.probability}`);
    assert.equal(partial.seed, 52);
  });

  it("above 100k notional: P(full) < P(any) = the single barrier, 0.2·P(any) ≤ E[fraction] ≤ P(any)", () => {
    const liq = engineLiquidationPrice(2, 15_000);
    const partial = simulatePartialLiquidation(btcLong(2, 15_000), { seed: 53, paths: 20_000 });
    const single = singleBarrier(liq, 53, 20_000);
    assert.equal(partial.liquidated, single.liquidated);
    const pAny = partial.anyLiquidation.probability;
    const pFull = partial.fullLiquidation.probability;
    assert.ok(pFull < pAny, `full ${pFull} vs any ${pAny}`);
    assert.ok(partial.expectedFractionLiquidated >= 0.2 * pAny, `${partial.expectedFractionLiquidated}`);
    assert.ok(partial.expectedFractionLiquidated <= pAny, `${partial.expectedFractionLiquidated}`);
    assert.ok(partial.fractionStandardError > 0 && partial.fractionStandardError < 0.01);
    assert.ok(partial.expectedMarginLoss > 0 && partial.expectedMarginLoss < 15_000);
    assert.ok(partial.marginLossStandardError > 0);
    // Closing all at any later breach can only add full liquidations (same draws, same state up to it).
    const strict = simulatePartialLiquidation(
      { ...btcLong(2, 15_000), fullAfterFirstPartial: true },
      { seed: 53, paths: 20_000 },
    );
    assert.equal(strict.liquidated, partial.liquidated);
    assert.ok(strict.fullyLiquidated >= partial.fullyLiquidated);
    assert.ok(strict.expectedFractionLiquidated >= partial.expectedFractionLiquidated);
  });

  it("a liquidation fee raises the expected margin lost (same draws)", () => {
    const plain = simulatePartialLiquidation(btcLong(2, 15_000), { seed: 54, paths: 5_000 });
    const fee = simulatePartialLiquidation(
      { ...btcLong(2, 15_000), liquidationFeeRate: 0.005 },
      { seed: 54, paths: 5_000 },
    );
    assert.ok(fee.expectedMarginLoss > plain.expectedMarginLoss);
    assert.ok(fee.fullyLiquidated >= plain.fullyLiquidated);
  });
});

describe("PartialLiquidationEvaluator: hand-worked paths (Hyperliquid rule, mmr 1.25 %)", () => {
  // Long 2,000 at 100, collateral 15,000: liquidation when 15,000 + 2,000(S − 100) < 25·S, S < 93.67.
  const hourly = { horizonYears: 2 / (365 * 24), steps: 2 };
  const spec = (extra: Partial<PartialLiquidationSpec> = {}): PartialLiquidationSpec => ({
    model,
    grid: hourly,
    venue: "hyperliquid",
    tiers: flatTiers(0.0125, 40),
    quantity: 2_000,
    entryPrice: 100,
    spotPrice: 100,
    collateral: 15_000,
    ...extra,
  });
  const path = (...prices: number[]) => {
    let last = 100;
    return Float64Array.from(prices, (p) => {
      const r = Math.log(p / last);
      last = p;
      return r;
    });
  };

  it("one step to 93.5: 20 % closed (notional 187,000), realized 400·6.5 = 2,600; the rest is safe", () => {
    // Equity 15,000 − 13,000 = 2,000 < MM 2,337.5 and ≥ 2/3·MM: market order of 20 %.
    // After: wallet 12,400, 1,600 left, equity 2,000 ≥ MM 1,870.
    const o = new PartialLiquidationEvaluator(spec()).evaluatePath(path(93.5, 93.5));
    assert.equal(o.firstLiquidationStep, 1);
    assert.equal(o.full, false);
    assertNear(o.fractionLiquidated, 0.2, 1e-12);
    assertNear(o.marginLoss, 2_600, 1e-6);
  });

  it("with a 0.1 % liquidation fee the same step also loses 0.001·400·93.5 = 37.4", () => {
    const o = new PartialLiquidationEvaluator(spec({ liquidationFeeRate: 0.001 })).evaluatePath(
      path(93.5, 93.5),
    );
    assertNear(o.marginLoss, 2_637.4, 1e-6);
    assert.equal(o.full, false);
  });

  it("second hour to 93.2 (3,600 s after the partial): another 20 % under the venue rule", () => {
    // Wallet 12,400, 1,600 left: equity 12,400 − 10,880 = 1,520 < MM 1,864, ≥ 2/3·MM 1,242.7;
    // notional 149,120 > 100k and the cooldown is over: close 320, realized 2,176. Then 1,280 left,
    // wallet 10,224, equity 1,520 ≥ MM 1,491.2.
    const o = new PartialLiquidationEvaluator(spec()).evaluatePath(path(93.5, 93.2));
    assertNear(o.fractionLiquidated, 0.36, 1e-12);
    assertNear(o.marginLoss, 2_600 + 2_176, 1e-6);
    assert.equal(o.full, false);
  });

  it("second hour to 93.2 with fullAfterFirstPartial: the remaining 1,600 go, the trader keeps 1,520", () => {
    const o = new PartialLiquidationEvaluator(spec({ fullAfterFirstPartial: true })).evaluatePath(
      path(93.5, 93.2),
    );
    assert.equal(o.full, true);
    assertNear(o.fractionLiquidated, 1, 1e-12);
    assertNear(o.marginLoss, 15_000 - 1_520, 1e-6);
  });

  it("one step to 93.35: still short after the partial, so the cooldown closes the rest at once", () => {
    // Equity 1,700 < MM 2,333.75 (≥ 2/3): close 400 (realized 2,660). Then equity 1,700 < MM 1,867:
    // within the cooldown, the full 1,600 go (realized 10,640); the trader keeps 1,700.
    const o = new PartialLiquidationEvaluator(spec()).evaluatePath(path(93.35, 93.35));
    assert.equal(o.firstLiquidationStep, 1);
    assert.equal(o.full, true);
    assertNear(o.fractionLiquidated, 1, 1e-12);
    assertNear(o.marginLoss, 13_300, 1e-6);
  });

  it("one step to 93 (equity 1,000 < 2/3 of MM 2,325): the backstop takes position and margin", () => {
    const o = new PartialLiquidationEvaluator(spec()).evaluatePath(path(93, 93));
    assert.equal(o.full, true);
    assertNear(o.marginLoss, 15_000, 1e-9);
  });

  it("no breach: nothing happens", () => {
    const o = new PartialLiquidationEvaluator(spec()).evaluatePath(path(95, 99));
    assert.equal(o.firstLiquidationStep, 0);
    assert.equal(o.fractionLiquidated, 0);
    assert.equal(o.marginLoss, 0);
  });
});

describe("PartialLiquidationEvaluator: Binance USDⓈ-M takes the whole position over", () => {
  it("long 1 BTCUSDT at 60,000 with 12,000, one step to 48,000: closed at bankruptcy, all margin lost", () => {
    // Equity 0 ≤ MM 48,000·0.4 % = 192 in the first bracket: no lower tier to reduce to.
    const evaluator = new PartialLiquidationEvaluator({
      model,
      grid: { horizonYears: 1 / (365 * 24), steps: 1 },
      venue: "binance-usdm",
      symbol: "BTCUSDT",
      quantity: 1,
      entryPrice: 60_000,
      spotPrice: 60_000,
      collateral: 12_000,
    });
    const o = evaluator.evaluatePath(Float64Array.of(Math.log(0.8)));
    assert.equal(o.full, true);
    assertNear(o.fractionLiquidated, 1, 1e-12);
    assertNear(o.marginLoss, 12_000, 1e-9);
  });

  it("rejects a position liquidatable at the start and a spec without symbol or tiers", () => {
    assert.throws(() => new PartialLiquidationEvaluator(btcLong(2, 100)), /liquidatable at the spot/);
    const { symbol: _, ...noSymbol } = btcLong(2, 15_000);
    assert.throws(() => new PartialLiquidationEvaluator(noSymbol), /tier table/);
  });
});

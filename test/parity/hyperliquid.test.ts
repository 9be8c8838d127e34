/**
 * Hyperliquid: the engine against the documented formula and rules.
 * Sources:
 * - Docs "Liquidations", https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations:
 *   `liq_price = price − side × margin_available / position_size / (1 − l × side)`, `l = 1/maintenance
 *   leverage`; maintenance margin = half the initial margin at max leverage; partial liquidation of
 *   20 % above 100k USDC with a 30 s cooldown; backstop below 2/3 of maintenance margin.
 * - Docs "Margin tiers": `deduction_n = deduction_{n−1} + lower_bound_n × (mmr_n − mmr_{n−1})`; margin
 *   table 56 ("tiered 40x"): 0 → 40x, 150,000,000 → 20x.
 * Hyperliquid publishes no numeric worked example; the values 1,875,000, 91,139.24 and 108,641.98
 * below are derived from the documented formulas (research note §10.4) and serve as consistency
 * checks, while the formula agreement is tested as a property over random inputs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { accountMargin } from "../../src/margin/account.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { tierFor } from "../../src/margin/tiers.js";
import {
  hyperliquid,
  hyperliquidAdlScore,
  hyperliquidLiquidationPrice,
  hyperliquidLiquidationSteps,
} from "../../src/venues/hyperliquid.js";
import { assertNear, assertRel } from "../helpers/close.js";
import { account, position } from "../helpers/positions.js";

const venue = hyperliquid();
const btc = venue.tierTable("BTC").tiers;

describe("Hyperliquid margin tables", () => {
  it("BTC (table 56): mmr 1.25 % to 150M, then 2.5 % with deduction 150M × 1.25 % = 1,875,000", () => {
    assert.equal(tierFor(btc, 1e6).mmr, 0.0125);
    assert.equal(tierFor(btc, 2e8).mmr, 0.025);
    assertNear(tierFor(btc, 2e8).cum, 1_875_000, 1e-6, "deduction");
  });
  it("ETH: 25x then 15x above 100M → mmr 2 %, 3.333 %, deduction 1,333,333.33", () => {
    const eth = venue.tierTable("ETH").tiers;
    assertNear(tierFor(eth, 1).mmr, 0.02, 1e-15, "mmr 1");
    assertNear(tierFor(eth, 2e8).cum, 1_333_333.33, 0.005, "deduction");
  });
});

describe("Hyperliquid liquidation price", () => {
  it("isolated long 1 BTC @ 100,000, 10x (margin 10,000): 91,139.24; short: 108,641.98", () => {
    const long = position(btc, { size: 1, entryPrice: 100_000, isolatedMargin: 10_000, symbol: "BTC" });
    const short = position(btc, { size: -1, entryPrice: 100_000, isolatedMargin: 10_000, symbol: "BTC" });
    const [l] = liquidationPrices(account("isolated", 0, [long]), venue.rules);
    const [s] = liquidationPrices(account("isolated", 0, [short]), venue.rules);
    assertNear(l?.liquidationPrice, 91_139.24, 0.005, "long");
    assertNear(s?.liquidationPrice, 108_641.98, 0.005, "short");
  });

  it("the engine equals the documented formula for cross accounts within the first tier (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 0.001, max: 50, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 1.5, max: 40, noNaN: true }),
        fc.double({ min: -0.1, max: 0.1, noNaN: true }),
        (mark, qty, long, leverage, move) => {
          const size = long ? qty : -qty;
          const entry = mark * (1 + move);
          const notional = qty * mark;
          const wallet = notional / leverage - size * (mark - entry);
          const p = position(btc, { size, entryPrice: entry, markPrice: mark, symbol: "BTC" });
          const acct = account("cross", Math.max(wallet, 0), [p]);
          const m = accountMargin(acct, venue.rules);
          const [r] = liquidationPrices(acct, venue.rules);
          const formula = hyperliquidLiquidationPrice({
            markPrice: mark,
            side: long ? 1 : -1,
            marginAvailable: m.equity - m.maintenanceMargin,
            positionSize: qty,
            maintenanceLeverage: 80,
          });
          if (formula <= 0 || qty * formula >= 150e6) return; // outside the first tier or no positive price
          assertRel(r?.liquidationPrice, formula, 1e-9, "engine vs docs formula");
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe("Hyperliquid liquidation procedure", () => {
  const state = (
    notional: number,
    equity: number,
    maintenanceMargin: number,
    secondsSinceLastPartial?: number,
  ) => ({
    notional,
    equity,
    maintenanceMargin,
    tiers: btc,
    ...(secondsSinceLastPartial === undefined ? {} : { secondsSinceLastPartial }),
  });

  it("nothing while equity ≥ maintenance margin", () => {
    assert.equal(hyperliquidLiquidationSteps(state(1e6, 20_000, 12_500))[0]?.action, "none");
  });
  it("above 100k notional: 20 % to the book", () => {
    const [step] = hyperliquidLiquidationSteps(state(1e6, 12_000, 12_500));
    assert.equal(step?.action, "market-order");
    assert.equal(step?.fraction, 0.2);
  });
  it("within the 30 s cooldown: the full position", () => {
    assert.equal(hyperliquidLiquidationSteps(state(1e6, 12_000, 12_500, 10))[0]?.fraction, 1);
    assert.equal(hyperliquidLiquidationSteps(state(1e6, 12_000, 12_500, 31))[0]?.fraction, 0.2);
  });
  it("at or below 100k notional: the full position", () => {
    assert.equal(hyperliquidLiquidationSteps(state(100_000, 1_200, 1_250))[0]?.fraction, 1);
  });
  it("below 2/3 of maintenance margin: backstop takeover by the liquidator vault", () => {
    assert.equal(hyperliquidLiquidationSteps(state(1e6, 8_000, 12_500))[0]?.action, "backstop-takeover");
    assert.equal(hyperliquidLiquidationSteps(state(1e6, 8_400, 12_500))[0]?.action, "market-order");
  });
});

describe("Hyperliquid ADL ranking (docs 'Auto-deleveraging')", () => {
  const base = { id: "a", bankruptcyPrice: 0, equity: 10_000 };
  it("users in profit rank by (mark/entry) × (notional/account value)", () => {
    const long = hyperliquidAdlScore({ ...base, size: 2, entryPrice: 50_000, markPrice: 60_000 });
    assertNear(long, (60_000 / 50_000) * ((2 * 60_000) / 10_000), 1e-12, "long");
    const short = hyperliquidAdlScore({ ...base, size: -2, entryPrice: 60_000, markPrice: 50_000 });
    assertNear(short, (60_000 / 50_000) * ((2 * 50_000) / 10_000), 1e-12, "short (entry/mark)");
  });
  it("users not in profit are not ranked ahead of anyone", () => {
    assert.equal(
      hyperliquidAdlScore({ ...base, size: 1, entryPrice: 60_000, markPrice: 50_000 }),
      Number.NEGATIVE_INFINITY,
    );
  });
  it("more leverage or more profit ranks first", () => {
    const low = hyperliquidAdlScore({ ...base, size: 1, entryPrice: 50_000, markPrice: 55_000 });
    const high = hyperliquidAdlScore({
      ...base,
      size: 1,
      entryPrice: 50_000,
      markPrice: 55_000,
      equity: 5_000,
    });
    assert.ok(high > low);
  });
});

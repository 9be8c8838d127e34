/**
 * Parity: Bybit liquidation and bankruptcy prices against the help centre's worked examples.
 * Sources:
 * - "Liquidation Price (USDT Contract)", https://help.bybit.com/hc/en-us/articles/900000181046 (and the
 *   testnet copy): 1 BTC long @ 20,000, 50x, MMR 0.5 % → IM 400, MM 100, LP 19,700; 1 BTC long @ 10,000,
 *   50x → 9,850; 1 BTC short @ 8,000, 40x → 8,160.
 * - "Bankruptcy Price (USDT Contract)": 1 BTC long @ 10,000, 50x → 9,800.
 * - Inverse: "How to calculate Liquidation Price (Inverse Contract)",
 *   https://help.bybit.com/hc/en-us/articles/360039261334 — balance 0.5 BTC, long 10,000 contracts @
 *   8,000, cross, MMR 0.5 %, fee 0.075 %: BP = 1.00075·10,000/(10,000/8,000 + 0.5) = 5,718.57, and
 *   `10,000·(1/8,000 − 1/LP) = −(0.5 − 0 − 10,000/8,000·0.5 % − 10,000·0.00075/5,718.57)`, which solves
 *   to 5,739.0835; the page prints LP 5,739.50. The fee to close is charged at the bankruptcy price.
 * - Rounding: "What is Bankruptcy Price?", https://help.bybit.com/hc/en-us/articles/360011431853 (and
 *   "How to calculate Bankruptcy Price", article 360037757474): "For long position, the bankruptcy price
 *   will be rounded up to the nearest 0.5 decimal place or integer while for short position, the
 *   bankruptcy price will be rounded down". BTCUSD's tick is 0.5: BP 5,718.57 → 5,719.0, and the
 *   equation's LP 5,739.0835 rounded the same way is the printed 5,739.50.
 * - freqtrade `tests/freqtradebot/test_freqtradebot.py::test_execute_entry` @ 0008a872 (Bybit case:
 *   entry 10, amount 30, leverage 5, margin 60, MMR 1 % → short 11.9, long 8.1).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { liquidationPrices, roundTowardMark } from "../../src/margin/liquidation.js";
import { bybit, bybitInverse, bybitIsolatedLiquidationPrice } from "../../src/venues/bybit.js";
import { assertNear, assertRel } from "../helpers/close.js";
import { account, flatTiers, position } from "../helpers/positions.js";

const rules = bybit().rules;
const btc = bybit().tierTable("BTCUSDT").tiers;

function isolatedLp(size: number, entry: number, margin: number, tiers = btc) {
  const [r] = liquidationPrices(
    account("isolated", 0, [position(tiers, { size, entryPrice: entry, isolatedMargin: margin })]),
    rules,
  );
  return r;
}

describe("Bybit USDT isolated (help-centre examples)", () => {
  const cases = [
    { what: "long 1 @ 20,000, 50x", side: 1 as const, entry: 20_000, leverage: 50, expected: 19_700 },
    { what: "long 1 @ 10,000, 50x", side: 1 as const, entry: 10_000, leverage: 50, expected: 9_850 },
    { what: "short 1 @ 8,000, 40x", side: -1 as const, entry: 8_000, leverage: 40, expected: 8_160 },
  ];
  for (const c of cases) {
    it(`${c.what} → ${c.expected}`, () => {
      const formula = bybitIsolatedLiquidationPrice({
        side: c.side,
        size: 1,
        entryPrice: c.entry,
        leverage: c.leverage,
        mmr: 0.005,
        deduction: 0,
        extraMargin: 0,
      });
      assertNear(formula, c.expected, 1e-9, "documented formula");
      assertNear(
        isolatedLp(c.side, c.entry, c.entry / c.leverage)?.liquidationPrice,
        c.expected,
        1e-9,
        "engine",
      );
    });
  }

  it("bankruptcy: long 1 @ 10,000, 50x → 9,800", () => {
    assertNear(isolatedLp(1, 10_000, 200)?.bankruptcyPrice, 9_800, 1e-9, "BP");
  });

  it("freqtrade's Bybit case: entry 10, amount 30, margin 60, MMR 1 % → short 11.9, long 8.1", () => {
    assertNear(isolatedLp(-30, 10, 60, flatTiers(0.01))?.liquidationPrice, 11.9, 1e-12, "short");
    assertNear(isolatedLp(30, 10, 60, flatTiers(0.01))?.liquidationPrice, 8.1, 1e-12, "long");
  });
});

describe("Bybit inverse cross (help-centre example, fee to close at the bankruptcy price)", () => {
  const venue = bybitInverse();
  const p = {
    instrument: venue.instrument("BTCUSD"),
    tiers: venue.tierTable("BTCUSD").tiers,
    size: 10_000,
    entryPrice: 8_000,
    markPrice: 8_000,
    positionSide: "BOTH" as const,
    accruedFunding: 0,
  };
  const account = { marginMode: "cross" as const, walletBalance: 0.5, positions: [p] };
  const [rounded] = liquidationPrices(account, venue.rules);
  const [exact] = liquidationPrices(account, { ...venue.rules, roundsToTick: false });
  // The page's two equations, solved as written (Q contracts, E entry, B balance, order margin 0).
  const [q, e, b, mmr, fee] = [10_000, 8_000, 0.5, 0.005, 0.00075];
  const bp = ((1 + fee) * q) / (q / e + b);
  const lp = 1 / (1 / e + (b - 0 - (q / e) * mmr - (q * fee) / bp) / q);

  it("bankruptcy price 5,718.57, rounded up to the 0.5 tick: 5,719.0", () => {
    assertNear(bp, 5_718.57, 0.005, "page's BP equation");
    assertRel(exact?.bankruptcyPrice, bp, 1e-12, "engine, unrounded");
    assert.equal(rounded?.bankruptcyPrice, 5_719);
  });

  it("liquidation price: the page's equation 5,739.0835, printed (rounded up) 5,739.50", () => {
    assertNear(lp, 5_739.0835, 5e-5, "page's LP equation");
    // Charging the fee at the liquidation price instead gives 5,739.068 (2e-6 off).
    assertRel(exact?.liquidationPrice, lp, 1e-12, "engine, unrounded");
    assert.equal(rounded?.liquidationPrice, 5_739.5);
  });

  it("rounds a short's prices down and a long's up (toward the mark)", () => {
    const short = { ...account, positions: [{ ...p, size: -10_000 }] };
    const [s0] = liquidationPrices(short, { ...venue.rules, roundsToTick: false });
    const [s1] = liquidationPrices(short, venue.rules);
    assert.ok(s0?.bankruptcyPrice != null && s0.liquidationPrice != null);
    assert.equal(s1?.bankruptcyPrice, Math.floor(s0.bankruptcyPrice / 0.5) * 0.5);
    assert.equal(s1?.liquidationPrice, Math.floor(s0.liquidationPrice / 0.5) * 0.5);
    assert.ok((s1?.liquidationPrice ?? 0) < (s1?.bankruptcyPrice ?? 0));
  });
});

describe("roundTowardMark", () => {
  it("rounds up below the mark, down above it, keeps prices on the tick, prints the tick's decimals", () => {
    assert.equal(roundTowardMark(5_739.0835, 8_000, 0.5), 5_739.5);
    assert.equal(roundTowardMark(10_250.3, 8_000, 0.5), 10_250);
    assert.equal(roundTowardMark(5_739.5, 8_000, 0.5), 5_739.5);
    assert.equal(roundTowardMark(5_739.01, 8_000, 0.1), 5_739.1);
    assert.equal(roundTowardMark(0.123456, 1, 0.0001), 0.1235);
  });
});

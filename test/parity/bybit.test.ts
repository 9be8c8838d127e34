/**
 * Parity: Bybit liquidation and bankruptcy prices against the help centre's worked examples.
 * Sources:
 * - "Liquidation Price (USDT Contract)", https://help.bybit.com/hc/en-us/articles/900000181046 (and the
 *   testnet copy): 1 BTC long @ 20,000, 50x, MMR 0.5 % → IM 400, MM 100, LP 19,700; 1 BTC long @ 10,000,
 *   50x → 9,850; 1 BTC short @ 8,000, 40x → 8,160.
 * - "Bankruptcy Price (USDT Contract)": 1 BTC long @ 10,000, 50x → 9,800.
 * - Inverse: https://help.bybit.com/hc/en-us/articles/360039261334 — balance 0.5 BTC, long 10,000
 *   contracts @ 8,000, MMR 0.5 %, fee 0.075 %: BP = 1.00075·10,000/(10,000/8,000 + 0.5) = 5,718.57.
 *   The page prints LP 5,739.50 but its own equation gives 5,739.08 (a discrepancy in the source).
 *   That equation charges the fee to close at the bankruptcy price; liqopt charges it at the price the
 *   position is closed at (keeping the solve exact in cross accounts and hedges, see
 *   docs/explanation/margin-engine.md), which gives 5,739.068: 2e-6 below the equation's value. We
 *   test both: within 0.02 of 5,739.08, and within 1e-4 relative of the printed 5,739.50.
 * - freqtrade `tests/freqtradebot/test_freqtradebot.py::test_execute_entry` @ 0008a872 (Bybit case:
 *   entry 10, amount 30, leverage 5, margin 60, MMR 1 % → short 11.9, long 8.1).
 */
import { describe, it } from "node:test";
import { liquidationPrices } from "../../src/margin/liquidation.js";
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

describe("Bybit inverse cross (help-centre example, fee to close included)", () => {
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
  const [r] = liquidationPrices({ marginMode: "cross", walletBalance: 0.5, positions: [p] }, venue.rules);

  it("bankruptcy price 5,718.57", () => {
    assertNear(r?.bankruptcyPrice, 5_718.57, 0.005, "BP");
  });

  it("liquidation price: the page's equation value 5,739.08 (printed 5,739.50, within 1e-4)", () => {
    assertNear(r?.liquidationPrice, 5_739.08, 0.02, "LP by the page's equation");
    assertRel(r?.liquidationPrice, 5_739.5, 1e-4, "LP as printed");
  });
});

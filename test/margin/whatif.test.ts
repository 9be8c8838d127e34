import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { accountMargin } from "../../src/margin/account.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import {
  collateralForDistance,
  collateralForLiquidationPrice,
  withCollateral,
  withSize,
} from "../../src/margin/whatif.js";
import { binanceUsdm } from "../../src/venues/binance-usdm.js";
import { assertNear, assertRel } from "../helpers/close.js";
import { account, position } from "../helpers/positions.js";

const venue = binanceUsdm();
const rules = venue.rules;
const btc = venue.tierTable("BTCUSDT").tiers;
const eth = venue.tierTable("ETHUSDT").tiers;

const lp = (a: ReturnType<typeof account>, i = 0) => liquidationPrices(a, rules)[i]?.liquidationPrice ?? null;

describe("collateral for a target liquidation price", () => {
  it("isolated and cross, long and short, across brackets, with and without a fee to close: applying it lands on the target (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<"isolated" | "cross">("isolated", "cross"),
        fc.boolean(),
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        fc.double({ min: 0.02, max: 0.6, noNaN: true }),
        fc.constantFrom(0, 0.00075),
        (mode, long, qty, distance, closeFeeRate) => {
          // The fee to close is charged at the bankruptcy price, which the added collateral moves.
          const feeRules = { ...rules, closeFeeRate };
          const mark = 60_000;
          const size = long ? qty : -qty;
          const p = position(btc, {
            size,
            entryPrice: 59_000,
            markPrice: mark,
            isolatedMargin: (qty * mark) / 20,
            symbol: "BTCUSDT",
          });
          const other = position(eth, { size: -3, entryPrice: 3_100, markPrice: 3_000, symbol: "ETHUSDT" });
          const a =
            mode === "cross"
              ? account("cross", (qty * mark) / 20 + 1_000, [p, other])
              : account("isolated", 0, [p]);
          const target = mark * (long ? 1 - distance : 1 + distance);
          const delta = collateralForLiquidationPrice(a, feeRules, 0, target);
          const after = withCollateralOrNull(a, delta);
          if (after === null) return; // would need more than the whole margin removed
          const landed = liquidationPrices(after, feeRules)[0]?.liquidationPrice ?? null;
          assertRel(landed, target, 1e-9, "liquidation price after adding the collateral");
          const byDistance = collateralForDistance(a, feeRules, 0, distance);
          assertRel(byDistance, delta, 1e-12, "distance form");
        },
      ),
      { seed: 11, numRuns: 400 },
    );
  });

  it("rejects a target on the wrong side of the mark, naming targetPrice", () => {
    const a = account("isolated", 0, [position(btc, { size: 1, entryPrice: 60_000, isolatedMargin: 6_000 })]);
    assert.throws(
      () => collateralForLiquidationPrice(a, rules, 0, 61_000),
      (e: unknown) => e instanceof InputError && e.field === "targetPrice",
    );
    assert.throws(
      () => collateralForDistance(a, rules, 0, 1.5),
      (e: unknown) => e instanceof InputError && e.field === "distance",
    );
  });
});

function withCollateralOrNull(a: ReturnType<typeof account>, delta: number) {
  try {
    return withCollateral(a, delta);
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

describe("adding and removing collateral", () => {
  it("moves a long's liquidation price down and a short's up; removing too much is refused", () => {
    const long = account("isolated", 0, [
      position(btc, { size: 1, entryPrice: 60_000, isolatedMargin: 6_000 }),
    ]);
    const short = account("cross", 6_000, [position(btc, { size: -1, entryPrice: 60_000 })]);
    assert.ok((lp(withCollateral(long, 1_000)) ?? 0) < (lp(long) ?? 0));
    assert.ok((lp(withCollateral(short, 1_000)) ?? 0) > (lp(short) ?? 0));
    assert.throws(
      () => withCollateral(long, -7_000),
      (e: unknown) => e instanceof InputError && e.field === "collateral",
    );
  });
});

describe("changing size", () => {
  it("adding at the mark averages the entry; a long's liquidation price rises", () => {
    const a = account("cross", 10_000, [
      position(btc, { size: 1, entryPrice: 50_000, markPrice: 60_000, symbol: "BTCUSDT" }),
    ]);
    const b = withSize(a, 0, 2);
    assertNear(b.positions[0]?.entryPrice, 55_000, 1e-9, "average entry");
    assert.ok((lp(b) ?? 0) > (lp(a) ?? 0));
    // Equity is unchanged by a trade at the mark.
    assertNear(accountMargin(b, rules).equity, accountMargin(a, rules).equity, 1e-6, "equity");
  });

  it("reducing realises PnL into the wallet and keeps the entry; closing removes the position", () => {
    const a = account("cross", 10_000, [
      position(btc, { size: 2, entryPrice: 50_000, markPrice: 60_000, symbol: "BTCUSDT" }),
    ]);
    const b = withSize(a, 0, 0.5);
    assert.equal(b.positions[0]?.entryPrice, 50_000);
    assertNear(b.walletBalance, 10_000 + 1.5 * 10_000, 1e-9, "wallet");
    assert.equal(withSize(a, 0, 0).positions.length, 0);
  });

  it("isolated: a reduction releases the same share of margin; an increase moves margin from the wallet", () => {
    const a = account("isolated", 5_000, [
      position(btc, { size: 2, entryPrice: 60_000, isolatedMargin: 12_000, leverage: 10 }),
    ]);
    const b = withSize(a, 0, 1);
    assertNear(b.positions[0]?.isolatedMargin, 6_000, 1e-9, "kept margin");
    assertNear(b.walletBalance, 11_000, 1e-9, "wallet");
    const c = withSize(a, 0, 3);
    assertNear(c.positions[0]?.isolatedMargin, 18_000, 1e-9, "added margin = 60,000 / 10");
    assertNear(c.walletBalance, -1_000, 1e-9, "wallet pays for it");
  });

  it("inverse contracts average the entry harmonically (contracts / Σ contracts/price)", () => {
    const inv = position(btc, {
      size: 100,
      entryPrice: 40_000,
      markPrice: 50_000,
      kind: "inverse",
      contractSize: 100,
    });
    const b = withSize(account("cross", 1, [inv]), 0, 200);
    assertNear(b.positions[0]?.entryPrice, 200 / (100 / 40_000 + 100 / 50_000), 1e-9, "harmonic mean");
  });

  it("refuses to flip the side", () => {
    const a = account("cross", 10_000, [position(btc, { size: 1, entryPrice: 60_000 })]);
    assert.throws(
      () => withSize(a, 0, -1),
      (e: unknown) => e instanceof InputError && e.field === "size",
    );
  });
});

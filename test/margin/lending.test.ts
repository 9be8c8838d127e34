import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  collateralLiquidationPrice,
  healthFactor,
  type LendingAccount,
  maxCollateralDrop,
} from "../../src/margin/lending.js";
import { assertNear, assertRel } from "../helpers/close.js";

const account: LendingAccount = {
  collateral: [
    { symbol: "WETH", amount: 10, price: 3_000, liquidationThreshold: 0.83 },
    { symbol: "WBTC", amount: 0.5, price: 60_000, liquidationThreshold: 0.78 },
  ],
  debt: [{ symbol: "USDC", amount: 30_000, price: 1 }],
};

describe("lending account (float)", () => {
  it("health factor Σ C·LT / D", () => {
    assertNear(healthFactor(account), (30_000 * 0.83 + 30_000 * 0.78) / 30_000, 1e-12, "HF");
    assert.equal(healthFactor({ collateral: account.collateral, debt: [] }), Number.POSITIVE_INFINITY);
  });

  it("at each collateral's liquidation price the health factor is 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1e4, noNaN: true }),
        fc.double({ min: 0.1, max: 0.95, noNaN: true }),
        fc.double({ min: 1_000, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (amount, lt, debt, sameAssetDebt) => {
          const a: LendingAccount = {
            collateral: [
              { symbol: "ETH", amount, price: 3_000, liquidationThreshold: lt },
              { symbol: "BTC", amount: 0.1, price: 60_000, liquidationThreshold: 0.7 },
            ],
            debt: [
              { symbol: "USDC", amount: debt, price: 1 },
              { symbol: "ETH", amount: sameAssetDebt, price: 3_000 },
            ],
          };
          const { price } = collateralLiquidationPrice(a, 0);
          if (price === null) return;
          const moved = {
            collateral: a.collateral.map((c, i) => (i === 0 ? { ...c, price } : c)),
            debt: a.debt.map((d) => (d.symbol === "ETH" ? { ...d, price } : d)),
          };
          assertRel(healthFactor(moved), 1, 1e-9, "HF at the liquidation price");
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it("the largest uniform collateral drop brings HF to exactly 1", () => {
    const d = maxCollateralDrop(account);
    const dropped = {
      ...account,
      collateral: account.collateral.map((c) => ({ ...c, price: c.price * (1 - d) })),
    };
    assertRel(healthFactor(dropped), 1, 1e-12, "HF after the drop");
  });

  it("no liquidation price when the other collateral alone covers the debt", () => {
    const safe = { ...account, debt: [{ symbol: "USDC", amount: 1_000, price: 1 }] };
    assert.equal(collateralLiquidationPrice(safe, 0).price, null);
    assert.match(collateralLiquidationPrice(safe, 0).reason ?? "", /healthy at every price/);
  });
});

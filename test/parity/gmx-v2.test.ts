/**
 * Parity: GMX v2 (synthetics) price impact, minimum collateral factor and liquidation check against
 * gmx-io/gmx-synthetics' own tests and config (read at a5c0c883):
 * - `test/exchange/PositionPriceImpact/PairMarket.ts` "price impact pair market": positive factor
 *   5e-9, negative 1e-8, exponents 2; the impacts −400, −1,200, +39.5, −79, +700 and −300 of its
 *   `pendingPriceImpactUsd` / `priceImpactUsd` events, in order.
 * - `test/exchange/LiquidationOrder.ts` "executeLiquidation": 10 WETH collateral, long $200,000 at
 *   $5,000 on ETH/USD; not liquidatable at $4,200 (`PositionShouldNotBeLiquidated`), liquidated at $4,000.
 * - `test/guardian/testLiquidation.ts`: SOL/USD with 1 WETH collateral, $450,000 (30,000 SOL at $15):
 *   "User can get liquidated if they invalidate the minCollateralUsdForLeverage" (WETH $5,000 → safe,
 *   $2,500 → liquidated; and with SOL at $14.99) and "Liquidate short position because collateral
 *   depreciates" (WETH $4,501 → safe, $4,499 → liquidated).
 *   The hardhat market config (`config/markets.ts` `hardhatBaseMarketConfig`): min collateral factor
 *   and factor for liquidation 1 %, no fees, no impact; `config/general.ts`: MIN_COLLATERAL_USD $1.
 * - `config/markets.ts` BTC/USD: "minCollateralFactor of 0.005 (0.5%) when open interest is
 *   83,000,000 USD" with `minCollateralFactorForOpenInterestMultiplier` 6e-11.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type GmxMarket,
  type GmxPosition,
  gmxLiquidationPrice,
  isPositionLiquidatable,
  minCollateralFactorForOpenInterest,
  positionPriceImpactUsd,
} from "../../src/venues/gmx-v2.js";
import { assertNear } from "../helpers/close.js";

const PAIR_IMPACT = {
  positiveImpactFactor: 5e-9,
  negativeImpactFactor: 1e-8,
  positiveExponent: 2,
  negativeExponent: 2,
};

describe("position price impact (PairMarket.ts 'price impact pair market')", () => {
  const cases: [string, { long: number; short: number }, number, boolean, number][] = [
    ["long +200k on a balanced pool", { long: 0, short: 0 }, 200_000, true, -400],
    ["second long +200k", { long: 200_000, short: 0 }, 200_000, true, -1_200],
    ["short +10k against 400k of longs", { long: 400_000, short: 0 }, 10_000, false, 39.5],
    ["that short closed (−10k)", { long: 400_000, short: 10_000 }, -10_000, false, -79],
    [
      "short +500k: crossover from 400k long-heavy to 100k short-heavy",
      { long: 400_000, short: 0 },
      500_000,
      false,
      700,
    ],
    ["short +100k on the short-heavy side", { long: 400_000, short: 500_000 }, 100_000, false, -300],
  ];
  for (const [name, oi, delta, isLong, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assertNear(positionPriceImpactUsd(oi, delta, isLong, PAIR_IMPACT).priceImpactUsd, expected, 1e-6, name);
    });
  }
});

/** The hardhat test market: 1 % factors, $1 minimum, no fees, no impact. */
const HARDHAT: GmxMarket = {
  symbol: "ETH/USD",
  minCollateralFactor: 0.01,
  minCollateralFactorForLiquidation: 0.01,
  minCollateralFactorForOpenInterestMultiplier: { long: 0, short: 0 },
  minCollateralUsd: 1,
  positionFeeFactor: { positiveImpact: 0, negativeImpact: 0 },
  impact: { positiveImpactFactor: 0, negativeImpactFactor: 0, positiveExponent: 1, negativeExponent: 1 },
  maxPositiveImpactFactor: 0.02,
  maxPositionImpactFactorForLiquidations: 0.01,
  liquidationFeeFactor: 0,
  openInterest: { long: 200_000, short: 0 },
};

const position = (fields: Partial<GmxPosition>): GmxPosition => ({
  isLong: true,
  sizeInUsd: 200_000,
  sizeInTokens: 40,
  collateralAmount: 10,
  collateralIsIndexToken: true,
  collateralPrice: 1,
  borrowingFeeUsd: 0,
  fundingFeeAmount: 0,
  pendingImpactAmount: 0,
  ...fields,
});

describe("isPositionLiquidatable against the contracts' liquidation tests", () => {
  it("LiquidationOrder.ts: 10 WETH behind a $200,000 long: safe at $4,200, liquidated at $4,000", () => {
    const p = position({});
    const safe = isPositionLiquidatable(p, HARDHAT, 4_200);
    assert.equal(safe.liquidatable, false);
    assertNear(safe.remainingCollateralUsd, 42_000 - 32_000, 1e-6, "remaining at $4,200");
    const gone = isPositionLiquidatable(p, HARDHAT, 4_000);
    assert.equal(gone.liquidatable, true);
    assert.equal(gone.reason, "min collateral"); // remaining $0 < MIN_COLLATERAL_USD $1
  });

  // SOL/USD: index SOL, 1 WETH collateral (not the index token), $450,000 = 30,000 SOL at $15.
  const sol = (isLong: boolean, wethPrice: number): GmxPosition =>
    position({
      isLong,
      sizeInUsd: 450_000,
      sizeInTokens: 30_000,
      collateralAmount: 1,
      collateralIsIndexToken: false,
      collateralPrice: wethPrice,
    });
  const solMarket = { ...HARDHAT, symbol: "SOL/USD", openInterest: { long: 450_000, short: 0 } };

  it("testLiquidation.ts: a 90x SOL long on 1 WETH is liquidated for leverage when WETH halves", () => {
    assert.equal(isPositionLiquidatable(sol(true, 5_000), solMarket, 15).liquidatable, false);
    const halved = isPositionLiquidatable(sol(true, 2_500), solMarket, 15);
    assert.equal(halved.reason, "min collateral for leverage");
    assertNear(halved.minCollateralUsdForLeverage, 4_500, 1e-9, "1 % of $450,000");
    // With SOL at $14.99: PnL −$300, remaining $2,200 (the test's 0.88 WETH returned at $2,500).
    const lower = isPositionLiquidatable(sol(true, 2_500), solMarket, 14.99);
    assertNear(lower.remainingCollateralUsd, 2_200, 1e-6, "remaining");
    assertNear(lower.remainingCollateralUsd / 2_500, 0.88, 1e-9, "WETH returned");
    assert.equal(lower.liquidatable, true);
  });

  it("testLiquidation.ts: a SOL short on 1 WETH: safe at WETH $4,501, liquidated at $4,499", () => {
    const market = { ...solMarket, openInterest: { long: 0, short: 450_000 } };
    assert.equal(isPositionLiquidatable(sol(false, 4_501), market, 15).liquidatable, false);
    assert.equal(isPositionLiquidatable(sol(false, 4_499), market, 15).reason, "min collateral for leverage");
  });
});

describe("minimum collateral factor for open interest (config/markets.ts BTC/USD)", () => {
  const btc = {
    ...HARDHAT,
    minCollateralFactor: 0.005,
    minCollateralFactorForOpenInterestMultiplier: { long: 6e-11, short: 6e-11 },
    openInterest: { long: 83_000_000, short: 0 },
  };
  it("6e-11 × $83,000,000 = 0.00498: the 0.5 % floor applies; at $100,000,000 it is 0.6 %", () => {
    assertNear(83_000_000 * 6e-11, 0.00498, 1e-15, "scaled part");
    assert.equal(minCollateralFactorForOpenInterest(btc, true), 0.005);
    assertNear(minCollateralFactorForOpenInterest(btc, true, 17_000_000), 0.006, 1e-15, "with the increase");
    assert.equal(minCollateralFactorForOpenInterest(btc, false), 0.005);
  });
});

describe("fees and price impact in the remaining collateral (derived from the contracts' formulas)", () => {
  // ETH/USD long $200,000 (40 ETH @ 5,000), 10 WETH; OI 400k long / 100k short; fees 0.05 %/0.07 %,
  // impact 5e-9/1e-8 with exponent 2; borrowing $120 due, funding 0.01 WETH, pending impact −0.08 ETH.
  const market: GmxMarket = {
    ...HARDHAT,
    positionFeeFactor: { positiveImpact: 0.0005, negativeImpact: 0.0007 },
    impact: PAIR_IMPACT,
    openInterest: { long: 400_000, short: 100_000 },
  };
  const p = position({ borrowingFeeUsd: 120, fundingFeeAmount: 0.01, pendingImpactAmount: -0.08 });

  it("remaining = collateral + PnL + min(0, close impact + pending) − fees, at $4,800", () => {
    const c = isPositionLiquidatable(p, market, 4_800);
    // Closing 200k of longs: diff 300k → 100k, improved: +5e-9·(300k² − 100k²) = +400; pending −0.08·4,800 = −384.
    assertNear(c.priceImpactUsd, 0, 1e-9, "impact 400 − 384 > 0 counts as 0");
    assertNear(c.positionFeeUsd, 100, 1e-9, "0.05 % (the close improves the balance)");
    assertNear(c.fundingFeeUsd, 48, 1e-9, "0.01 WETH at 4,800");
    assertNear(c.remainingCollateralUsd, 48_000 - 8_000 - 100 - 120 - 48, 1e-6, "remaining");
  });

  it("a large negative pending impact is charged, down to the 1 % cap for liquidations", () => {
    const c = isPositionLiquidatable({ ...p, pendingImpactAmount: -0.5 }, market, 4_800);
    assertNear(c.priceImpactUsd, 400 - 2_400, 1e-9, "uncapped");
    const capped = isPositionLiquidatable({ ...p, pendingImpactAmount: -1 }, market, 4_800);
    assertNear(capped.priceImpactUsd, -2_000, 1e-9, "1 % of $200,000");
  });

  it("the liquidation price sits where the check turns true", () => {
    const { price } = gmxLiquidationPrice(p, market, 5_000);
    assert.ok(price !== null);
    // remaining(P) = 10P + 40P − 200,000 − 100 − 120 − 0.01P (impact 0 while 400 − 0.08P ≥ 0) = $2,000.
    assertNear(price, (200_000 + 100 + 120 + 2_000) / (50 - 0.01), 1e-6, "closed form");
  });
});

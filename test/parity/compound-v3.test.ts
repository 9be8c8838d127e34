/**
 * Compound v3 (Comet) against published numbers.
 * Sources (expectations re-typed as facts; no code copied):
 * - research note /work/shared/research/mechanics.md §6 (launch configuration) and §10.7 (quote vectors);
 * - compound-finance/comet `test/quote-collateral-test.ts` @ c3c7ad0dc1ae9b2a94bf232dbbc40b396b35a6d4;
 * - compound-finance/comet `test/buy-collateral-test.ts` @ d09bbdb60a4746cad8afee539dc128ec49426c23;
 * - compound-finance/comet `test/absorb-test.ts` @ 17a6e7ac032d9adac209c20b4a9ff9051a599bb4;
 * - compound-finance/comet `test/is-liquidatable-test.ts` @ cfc6c162ab69972c91468df32cfc8429277c00ae;
 * - compound-finance/comet `test/is-borrow-collateralized-test.ts` @ 770abcfc2bc6855bb6f4beda6b9c593f21fc352f;
 * - compound-finance/comet `deployments/mainnet/usdc/configuration.json` @ dc111015983a377ddc6401642830e74cc83e417f;
 * - the tests' market defaults, comet `test/helpers.ts` (`makeProtocol`, `defaultAssets`): base USDC
 *   (6 decimals, $1), COMP $175 (18), WETH $3,000 (18), WBTC $41,000 (8); borrowCF 1 − 1e-18,
 *   liquidateCF 1, liquidationFactor 1, storeFrontPriceFactor 1, targetReserves 0 unless set.
 * Tests marked "derived" compute numbers from the formulas; they are not published oracles.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { healthFactor } from "../../src/margin/lending.js";
import {
  type Account,
  type AssetConfig,
  absorb,
  assetInfo,
  buyCollateral,
  type Config,
  CUSDCV3_MAINNET_LAUNCH,
  FACTOR_SCALE,
  factor,
  isBorrowCollateralized,
  isLiquidatable,
  price,
  quoteCollateral,
  riskView,
  storeFrontDiscount,
  validateConfig,
} from "../../src/venues/compound-v3.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { assertNear } from "../helpers/close.js";
import { cometTestMarket } from "../helpers/comet-market.js";

const exp = (x: number, decimals: number): bigint => {
  // comet helpers' exp(): exact for the short decimals used in these tests
  const [whole = "0", frac = ""] = x.toFixed(Math.min(decimals, 12)).split(".");
  return (
    BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0")
  );
};
const reverts = (reason: string) => (e: unknown) => isVenueRevert(e, "compound-v3") && e.reason === reason;

const market = cometTestMarket;
const DEFAULT_ASSETS = [
  { symbol: "COMP", decimals: 18 },
  { symbol: "WETH", decimals: 18 },
  { symbol: "WBTC", decimals: 8 },
];
const DEFAULT_PRICES = { USDC: exp(1, 8), COMP: exp(175, 8), WETH: exp(3000, 8), WBTC: exp(41000, 8) };

describe("quoteCollateral (comet test/quote-collateral-test.ts; research note §10.7)", () => {
  const prices = { USDC: exp(1, 8), COMP: exp(200, 8) };
  it("storeFront 0.5, liquidationFactor 0.6, COMP $200: 200 USDC → 1.25 COMP (20 % discount)", () => {
    const m = market([{ symbol: "COMP", liquidationFactor: exp(0.6, 18) }], {
      storeFrontPriceFactor: exp(0.5, 18),
    });
    assert.equal(storeFrontDiscount(m, "COMP"), exp(0.2, 18));
    const q = quoteCollateral(m, "COMP", exp(200, 6), prices);
    const assetWeiPerUnitBase = (exp(1, 18) * exp(1, 8)) / exp(160, 8);
    assert.equal(q, (assetWeiPerUnitBase * exp(200, 6)) / exp(1, 6));
    assert.equal(q, exp(1.25, 18));
  });
  it("base amount 0 → 0", () => {
    assert.equal(quoteCollateral(market([{ symbol: "COMP" }]), "COMP", 0n, prices), 0n);
  });
  it("storeFront 0: market price, 200 USDC → 1 COMP", () => {
    const m = market([{ symbol: "COMP", liquidationFactor: exp(0.6, 18) }], { storeFrontPriceFactor: 0n });
    assert.equal(quoteCollateral(m, "COMP", exp(200, 6), prices), exp(1, 18));
  });
  it("no intermediate truncation (PR 303): COMP $9, liquidationFactor 0.8 → 810 USDC buys 100 COMP", () => {
    const m = market([{ symbol: "COMP", liquidationFactor: exp(0.8, 18) }], {
      storeFrontPriceFactor: exp(0.5, 18),
    });
    assert.equal(quoteCollateral(m, "COMP", exp(810, 6), { USDC: exp(1, 8), COMP: exp(9, 8) }), exp(100, 18));
  });
  it("no overflow: storeFront 0.8, liquidationFactor 0.75, 1e15 USDC → 6.25e12 COMP", () => {
    const m = market([{ symbol: "COMP", liquidationFactor: exp(0.75, 18) }], {
      storeFrontPriceFactor: exp(0.8, 18),
    });
    assert.equal(quoteCollateral(m, "COMP", exp(1e15, 6), prices), 625n * 10n ** 28n);
  });
});

describe("buyCollateral (comet test/buy-collateral-test.ts)", () => {
  const prices = { USDC: exp(1, 8), COMP: exp(1, 8) };
  const discounted = market([{ symbol: "COMP", liquidationFactor: exp(0.8, 18) }], {
    storeFrontPriceFactor: exp(0.5, 18),
    targetReserves: 100n,
  });
  it("reserves 0 < target 100: 50 USDC buys 55,555,555,555,555,555,555 COMP wei; reserves 0 → 50 USDC", () => {
    const r = buyCollateral(
      discounted,
      {
        symbol: "COMP",
        baseAmount: 50_000_000n,
        minAmount: exp(50, 18),
        reserves: 0n,
        collateralReserves: exp(60, 18),
      },
      prices,
    );
    assert.equal(r.collateralAmount, 55_555_555_555_555_555_555n);
    assert.equal(r.reservesAfter, exp(50, 6));
  });
  it("reserves −100 USDC < target 0 is also for sale; reserves → −50 USDC", () => {
    const r = buyCollateral(
      { ...discounted, targetReserves: 0n },
      {
        symbol: "COMP",
        baseAmount: 50_000_000n,
        minAmount: exp(50, 18),
        reserves: -100_000_000n,
        collateralReserves: exp(60, 18),
      },
      prices,
    );
    assert.equal(r.collateralAmount, 55_555_555_555_555_555_555n);
    assert.equal(r.reservesAfter, -50_000_000n);
  });
  const noDiscount = market([{ symbol: "COMP", liquidationFactor: exp(1, 18) }], {
    storeFrontPriceFactor: exp(0.5, 18),
    targetReserves: exp(100e6, 6),
  });
  it("liquidationFactor 1 (no discount): excess collateral 50 COMP of 60 is sold for 50 USDC", () => {
    const r = buyCollateral(
      noDiscount,
      {
        symbol: "COMP",
        baseAmount: 50_000_000n,
        minAmount: exp(50, 18),
        reserves: 0n,
        collateralReserves: exp(50, 18),
      },
      prices,
    );
    assert.equal(r.collateralAmount, exp(50, 18));
    assert.equal(r.reservesAfter, 50_000_000n);
  });
  it("only 40 COMP of reserves → InsufficientReserves", () => {
    assert.throws(
      () =>
        buyCollateral(
          noDiscount,
          {
            symbol: "COMP",
            baseAmount: 50_000_000n,
            minAmount: exp(50, 18),
            reserves: 0n,
            collateralReserves: exp(40, 18),
          },
          prices,
        ),
      reverts("InsufficientReserves"),
    );
  });
  it("reserves 100 USDC ≥ target 0 → NotForSale", () => {
    assert.throws(
      () =>
        buyCollateral(
          market([{ symbol: "COMP" }]),
          {
            symbol: "COMP",
            baseAmount: 50_000_000n,
            minAmount: exp(50, 18),
            reserves: 100_000_000n,
            collateralReserves: exp(50, 18),
          },
          prices,
        ),
      reverts("NotForSale"),
    );
  });
  it("asking 100 COMP for 50 USDC → TooMuchSlippage; 200 USDC against 50 COMP of reserves → InsufficientReserves", () => {
    const m = market([{ symbol: "COMP" }], { targetReserves: 100n });
    const input = { symbol: "COMP", reserves: 0n, collateralReserves: exp(50, 18) };
    assert.throws(
      () => buyCollateral(m, { ...input, baseAmount: 50_000_000n, minAmount: exp(100, 18) }, prices),
      reverts("TooMuchSlippage"),
    );
    assert.throws(
      () => buyCollateral(m, { ...input, baseAmount: 200_000_000n, minAmount: exp(200, 18) }, prices),
      reverts("InsufficientReserves"),
    );
  });
});

describe("absorb (comet test/absorb-test.ts)", () => {
  const m = market(DEFAULT_ASSETS);
  it("1 account, 100 wei of debt, no collateral: basePaidOut 100, reserves 100 → 0", () => {
    const r = absorb(m, { baseBalance: -100n, collateral: {} }, DEFAULT_PRICES, 100n);
    assert.equal(r.basePaidOut, 100n);
    assert.equal(r.valueOfBasePaidOut, (100n * exp(1, 8)) / exp(1, 6));
    assert.equal(r.newBalance, 0n);
    assert.equal(r.reservesAfter, 0n);
  });
  it("2 accounts (100 and 700 wei): reserves 2,000 → 1,200", () => {
    const a = absorb(m, { baseBalance: -100n, collateral: {} }, DEFAULT_PRICES, 2000n);
    const b = absorb(m, { baseBalance: -700n, collateral: {} }, DEFAULT_PRICES, a.reservesAfter);
    assert.equal(a.basePaidOut, 100n);
    assert.equal(b.basePaidOut, 700n);
    assert.equal(b.reservesAfter, 1200n);
  });
  it("3 accounts with collateral worth less than their debt: all collateral seized, reserves pay every debt", () => {
    let reserves = -exp(1e15, 6);
    const accounts: [bigint, Record<string, bigint>][] = [
      [exp(1, 6), { COMP: exp(1e-6, 18) }],
      [exp(1, 12), { COMP: exp(10, 18), WETH: exp(1, 18) }],
      [exp(1, 18), { COMP: exp(10000, 18), WETH: exp(50, 18), WBTC: exp(50, 8) }],
    ];
    for (const [debt, collateral] of accounts) {
      const r = absorb(m, { baseBalance: -debt, collateral }, DEFAULT_PRICES, reserves);
      assert.equal(r.basePaidOut, debt);
      assert.deepEqual(r.account, { baseBalance: 0n, collateral: {} });
      for (const s of r.seized) {
        const scale = s.symbol === "WBTC" ? exp(1, 8) : exp(1, 18);
        const price = DEFAULT_PRICES[s.symbol as keyof typeof DEFAULT_PRICES];
        assert.equal(s.amount, collateral[s.symbol]);
        assert.equal(s.value, (s.amount * price) / scale); // AbsorbCollateral.usdValue
      }
      reserves = r.reservesAfter;
    }
    assert.equal(reserves, -exp(1e15, 6) - exp(1, 6) - exp(1, 12) - exp(1, 18));
  });
  it("more than enough collateral (liquidateCF 2/3): debt 44,175 USDC − 1 wei → the account keeps 1 wei; reserves → −1", () => {
    const m23 = market(
      DEFAULT_ASSETS.map((a) => ({
        ...a,
        borrowCollateralFactor: exp(0.5, 18),
        liquidateCollateralFactor: 666_666_666_666_666_600n,
      })),
    );
    const startingDebt = 1n - (exp(41000, 6) + exp(3000, 6) + exp(175, 6));
    const account: Account = {
      baseBalance: startingDebt,
      collateral: { COMP: exp(1, 18), WETH: exp(1, 18), WBTC: exp(1, 8) },
    };
    assert.ok(isLiquidatable(m23, account, DEFAULT_PRICES));
    const r = absorb(m23, account, DEFAULT_PRICES, -startingDebt);
    assert.equal(r.newBalance, 1n);
    assert.equal(r.basePaidOut, 1n - startingDebt);
    assert.equal(r.reservesAfter, -1n);
    assert.equal(r.shortfall, 0n);
  });
  it("an account that is not underwater → NotLiquidatable", () => {
    assert.throws(
      () => absorb(m, { baseBalance: 0n, collateral: {} }, DEFAULT_PRICES, 0n),
      reverts("NotLiquidatable"),
    );
  });
  it("1 COMP + 1 WETH ($3,175) against a $4,000 borrow is liquidatable; absorb empties the asset list", () => {
    const account = { baseBalance: -exp(4000, 6), collateral: { COMP: exp(1, 18), WETH: exp(1, 18) } };
    assert.ok(isLiquidatable(m, account, DEFAULT_PRICES));
    assert.deepEqual(absorb(m, account, DEFAULT_PRICES, 0n).account.collateral, {});
  });
});

describe("isLiquidatable (comet test/is-liquidatable-test.ts)", () => {
  const prices = { USDC: exp(1, 8), COMP: exp(1, 8) };
  const m = market([{ symbol: "COMP" }]);
  const owes = (debt: bigint, comp: bigint): Account => ({
    baseBalance: -debt,
    collateral: { COMP: comp },
  });
  it("false by default and when owed principal; true when owing with no collateral", () => {
    assert.equal(isLiquidatable(m, { baseBalance: 0n, collateral: {} }, prices), false);
    assert.equal(isLiquidatable(m, { baseBalance: 1_000_000n, collateral: {} }, prices), false);
    assert.equal(isLiquidatable(m, { baseBalance: -1_000_000n, collateral: {} }, prices), true);
  });
  it("$100,000 owed: $100,000 of COMP covers it, $95,000 does not", () => {
    assert.equal(isLiquidatable(m, owes(100_000_000_000n, exp(100_000, 18)), prices), false);
    assert.equal(isLiquidatable(m, owes(100_000_000_000n, exp(95_000, 18)), prices), true);
  });
  it("liquidateCF 0.8 makes $100,000 of COMP insufficient", () => {
    const m8 = market([
      { symbol: "COMP", borrowCollateralFactor: exp(0.75, 18), liquidateCollateralFactor: exp(0.8, 18) },
    ]);
    assert.equal(isLiquidatable(m8, owes(100_000_000_000n, exp(100_000, 18)), prices), true);
  });
  it("the COMP price falling to $0.5 makes it liquidatable", () => {
    const a = owes(100_000_000_000n, exp(100_000, 18));
    assert.equal(isLiquidatable(m, a, prices), false);
    assert.equal(isLiquidatable(m, a, { ...prices, COMP: exp(0.5, 8) }), true);
  });
});

describe("isBorrowCollateralized (comet test/is-borrow-collateralized-test.ts)", () => {
  const prices = { USDC: exp(1, 8), COMP: exp(1, 8) };
  it("true by default and when owed; false when owing with no collateral", () => {
    const m = market([{ symbol: "COMP" }]);
    assert.equal(isBorrowCollateralized(m, { baseBalance: 0n, collateral: {} }, prices), true);
    assert.equal(isBorrowCollateralized(m, { baseBalance: 1_000_000n, collateral: {} }, prices), true);
    assert.equal(isBorrowCollateralized(m, { baseBalance: -1_000_000n, collateral: {} }, prices), false);
  });
  it("borrowCF 0.9: owing 1 USDC, 1.2 COMP is enough, 1 COMP is not", () => {
    const m = market([{ symbol: "COMP", borrowCollateralFactor: exp(0.9, 18) }]);
    assert.equal(
      isBorrowCollateralized(m, { baseBalance: -exp(1, 6), collateral: { COMP: exp(1.2, 18) } }, prices),
      true,
    );
    assert.equal(
      isBorrowCollateralized(m, { baseBalance: -1_000_000n, collateral: { COMP: exp(1, 18) } }, prices),
      false,
    );
  });
  it("borrowCF 0.2: 5 COMP cover 1 USDC at $1, not at $0.5", () => {
    const m = market([{ symbol: "COMP", borrowCollateralFactor: exp(0.2, 18) }]);
    const a = { baseBalance: -exp(1, 6), collateral: { COMP: exp(5, 18) } };
    assert.equal(isBorrowCollateralized(m, a, prices), true);
    assert.equal(isBorrowCollateralized(m, a, { ...prices, COMP: exp(0.5, 8) }), false);
  });
});

describe("cUSDCv3 mainnet launch configuration (comet deployments/mainnet/usdc/configuration.json; research note §6)", () => {
  const c = CUSDCV3_MAINNET_LAUNCH;
  it("storeFrontPriceFactor 0.5, targetReserves 5,000,000 USDC, factors as published", () => {
    assert.doesNotThrow(() => validateConfig(c));
    assert.equal(c.storeFrontPriceFactor, 500_000_000_000_000_000n);
    assert.equal(c.targetReserves, 5_000_000_000_000n);
    const table = Object.fromEntries(
      c.assets.map((a) => [
        a.symbol,
        [a.borrowCollateralFactor, a.liquidateCollateralFactor, a.liquidationFactor].map(String),
      ]),
    );
    const f = (x: string) => String(factor(x));
    assert.deepEqual(table, {
      COMP: [f("0.65"), f("0.70"), f("0.93")],
      WBTC: [f("0.70"), f("0.77"), f("0.95")],
      WETH: [f("0.825"), f("0.895"), f("0.95")],
      UNI: [f("0.75"), f("0.81"), f("0.93")],
      LINK: [f("0.79"), f("0.85"), f("0.93")],
    });
    // 4-decimal storage keeps these exactly
    assert.equal(assetInfo(c, "WETH").liquidateCollateralFactor, factor("0.895"));
  });
  it("derived: store-front discounts 0.5·(1 − liquidationFactor): 3.5 % (COMP, UNI, LINK), 2.5 % (WBTC, WETH)", () => {
    assert.equal(storeFrontDiscount(c, "COMP"), factor("0.035"));
    assert.equal(storeFrontDiscount(c, "WETH"), factor("0.025"));
    assert.equal(storeFrontDiscount(c, "WBTC"), factor("0.025"));
  });
  it("derived: 10 WETH at $3,000 against 25,000 USDC — liquidity +1,850 (not liquidatable), borrow side −250 (no new borrow)", () => {
    const prices = { USDC: price("1"), WETH: price("3000") };
    const account = { baseBalance: -25_000_000_000n, collateral: { WETH: exp(10, 18) } };
    assert.equal(isLiquidatable(c, account, prices), false);
    assert.equal(isBorrowCollateralized(c, account, prices), false);
    const view = riskView(c, account, prices);
    assertNear(view.healthFactor, (30_000 * 0.895) / 25_000, 1e-12, "health factor");
    assertNear(view.liquidationPrices[0]?.price, 25_000 / (10 * 0.895), 1e-9, "WETH liquidation price");
    assert.equal(healthFactor(view.account) > 1, true);
  });
  it("derived: at $2,700 it is absorbed: credit 27,000·0.95 = 25,650, the account keeps 650 USDC, reserves pay 25,650", () => {
    const prices = { USDC: price("1"), WETH: price("2700") };
    const account = { baseBalance: -25_000_000_000n, collateral: { WETH: exp(10, 18) } };
    assert.equal(isLiquidatable(c, account, prices), true);
    const r = absorb(c, account, prices, 1_000_000_000_000n);
    assert.equal(r.deltaBalance, 25_650_000_000n);
    assert.equal(r.newBalance, 650_000_000n);
    assert.equal(r.reservesAfter, 1_000_000_000_000n - 25_650_000_000n);
    // then 1,000 USDC buys 1,000 / (2,700·0.975) = 0.379867… WETH at the store front
    const q = quoteCollateral(c, "WETH", 1_000_000_000n, prices);
    assertNear(Number(q) / 1e18, 1000 / (2700 * 0.975), 1e-15, "WETH bought");
  });
});

describe("parameter validation (Comet constructor rules)", () => {
  const asset = (over: Partial<AssetConfig>): Config => ({
    ...CUSDCV3_MAINNET_LAUNCH,
    assets: [
      {
        symbol: "X",
        decimals: 18,
        borrowCollateralFactor: exp(0.7, 18),
        liquidateCollateralFactor: exp(0.8, 18),
        liquidationFactor: exp(0.9, 18),
        ...over,
      },
    ],
  });
  const field = (name: string) => (e: unknown) => e instanceof InputError && e.field === name;
  it("borrowCF ≥ liquidateCF (BorrowCFTooLarge), also when equal at 4 decimals", () => {
    assert.throws(
      () => validateConfig(asset({ borrowCollateralFactor: exp(0.8, 18) })),
      field("assets[0].borrowCollateralFactor"),
    );
    assert.throws(
      () =>
        validateConfig(
          asset({ borrowCollateralFactor: exp(0.79999, 18), liquidateCollateralFactor: exp(0.79995, 18) }),
        ),
      field("assets[0].borrowCollateralFactor"),
    );
  });
  it("liquidateCF > 1 (LiquidateCFTooLarge), storeFrontPriceFactor > 1 (BadDiscount), base decimals > 18 (BadDecimals)", () => {
    assert.throws(
      () => validateConfig(asset({ liquidateCollateralFactor: FACTOR_SCALE + 1n })),
      field("assets[0].liquidateCollateralFactor"),
    );
    assert.throws(
      () => validateConfig({ ...CUSDCV3_MAINNET_LAUNCH, storeFrontPriceFactor: FACTOR_SCALE + 1n }),
      field("storeFrontPriceFactor"),
    );
    assert.throws(
      () => validateConfig({ ...CUSDCV3_MAINNET_LAUNCH, baseDecimals: 19 }),
      field("baseDecimals"),
    );
  });
  it("a non-positive price → BadPrice; an unknown asset → BadAsset", () => {
    const m = CUSDCV3_MAINNET_LAUNCH;
    assert.throws(
      () => isLiquidatable(m, { baseBalance: -1n, collateral: { WETH: 1n } }, { USDC: exp(1, 8), WETH: 0n }),
      reverts("BadPrice"),
    );
    assert.throws(() => quoteCollateral(m, "DOGE", 1n, { USDC: exp(1, 8) }), reverts("BadAsset"));
  });
});

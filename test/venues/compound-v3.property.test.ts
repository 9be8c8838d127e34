/**
 * Invariants of the Compound v3 (Comet) model (src/venues/compound-v3.ts), over random markets,
 * accounts and prices in Comet's scales (factors 1e18, prices 1e8, token units):
 * - absorb conserves value. Exactly: (newBalance − oldBalance) + (reservesAfter − reservesBefore) = 0
 *   (what the account gains in base the reserves pay), newBalance − shortfall = oldBalance + deltaBalance,
 *   deltaValue = Σ credit_i with credit_i = ⌊value_i·liquidationFactor_i⌋ ≤ value_i, basePaidOut =
 *   max(debt, deltaBalance). Approximately: deltaBalance = Σ amount_i·price_i·LF_i / basePrice to
 *   within 2·assets units of 1e-8 USD (two floors per asset: value, then credit) converted to base
 *   units, plus 1 base unit (the final floor);
 * - quoteCollateral is monotone (non-decreasing) in the base amount, and never below the
 *   undiscounted amount (the store front only discounts);
 * - isLiquidatable ⇒ not isBorrowCollateralized (borrowCF < liquidateCF), and the float view
 *   (health factor with liquidateCF as threshold) agrees with the exact test away from 1;
 * - collateral is for sale exactly when reserves < targetReserves (or reserves < 0).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type Account,
  absorb,
  buyCollateral,
  type Config,
  CUSDCV3_MAINNET_LAUNCH,
  FACTOR_SCALE,
  isBorrowCollateralized,
  isLiquidatable,
  quoteCollateral,
  riskView,
} from "../../src/venues/compound-v3.js";
import { isVenueRevert } from "../../src/venues/revert.js";

const DESCALE = 10n ** 14n; // Comet keeps 4 decimals of each factor

/** A market of 1–5 collaterals with random decimals and factors (borrowCF < liquidateCF ≤ 1). */
const marketArb: fc.Arbitrary<Config> = fc
  .tuple(
    fc.constantFrom(6, 8, 18),
    fc.bigInt(0n, 10_000n),
    fc.array(
      fc.tuple(
        fc.constantFrom(6, 8, 18),
        fc.integer({ min: 1, max: 9_999 }), // liquidateCF in 1e-4
        fc.integer({ min: 0, max: 9_998 }), // borrowCF as a share of liquidateCF, in 1e-4
        // liquidationFactor in 1e-4; 0 with a store-front factor of 1 is a 100 % discount, where Comet divides by zero
        fc.integer({ min: 1, max: 10_000 }),
      ),
      { minLength: 1, maxLength: 5 },
    ),
    fc.bigInt(0n, 10n ** 13n),
  )
  .map(([baseDecimals, storeFront, assets, targetReserves]) => ({
    name: "random market",
    baseSymbol: "BASE",
    baseDecimals,
    storeFrontPriceFactor: storeFront * DESCALE,
    targetReserves,
    assets: assets.map(([decimals, lcf, bcfShare, lf], i) => {
      const liquidate = BigInt(lcf + 1) * DESCALE;
      const borrow = ((BigInt(lcf + 1) * BigInt(bcfShare)) / 10_000n) * DESCALE;
      return {
        symbol: `C${i}`,
        decimals,
        borrowCollateralFactor: borrow < liquidate ? borrow : liquidate - DESCALE,
        liquidateCollateralFactor: liquidate,
        liquidationFactor: BigInt(lf) * DESCALE,
      };
    }),
  }));

/** A market, prices and a borrowing account whose collateral value is 0.2–3× its debt. */
const scenarioArb = marketArb.chain((config) =>
  fc
    .tuple(
      fc.bigInt(10n ** 6n, 10n ** 10n), // base price (0.01–100 USD)
      fc.bigInt(1n, 10n ** 9n), // debt in whole base tokens
      fc.array(fc.tuple(fc.bigInt(10n ** 4n, 10n ** 13n), fc.bigInt(0n, 1_000n)), {
        minLength: config.assets.length,
        maxLength: config.assets.length,
      }), // per asset: price (1e-4–1e5 USD), weight
      fc.bigInt(200n, 3_000n), // collateral value / debt, per mille
      fc.bigInt(-(10n ** 15n), 10n ** 15n), // reserves
    )
    .map(([basePrice, debtTokens, perAsset, coverPm, reserves]) => {
      const baseScale = 10n ** BigInt(config.baseDecimals);
      const debt = debtTokens * baseScale;
      const debtUsd = (debt * basePrice) / baseScale; // 1e8 USD
      const totalWeight = perAsset.reduce((s, [, w]) => s + w, 0n) || 1n;
      const prices: Record<string, bigint> = { [config.baseSymbol]: basePrice };
      const collateral: Record<string, bigint> = {};
      config.assets.forEach((a, i) => {
        const [price, weight] = perAsset[i] ?? [PRICE_ONE, 0n];
        prices[a.symbol] = price;
        const valueUsd = (debtUsd * coverPm * weight) / 1_000n / totalWeight;
        const amount = (valueUsd * 10n ** BigInt(a.decimals)) / price;
        if (amount > 0n) collateral[a.symbol] = amount;
      });
      const account: Account = { baseBalance: -debt, collateral };
      return { config, prices, account, reserves };
    }),
);
const PRICE_ONE = 10n ** 8n;

describe("absorb (property)", () => {
  it("conserves value: account gain = reserves' payment; newBalance − shortfall = old + credit; credit ≤ value", () => {
    let absorbed = 0;
    fc.assert(
      fc.property(scenarioArb, ({ config, prices, account, reserves }) => {
        if (!isLiquidatable(config, account, prices)) {
          assert.throws(
            () => absorb(config, account, prices, reserves),
            (e: unknown) => isVenueRevert(e, "compound-v3"),
          );
          return;
        }
        absorbed++;
        const r = absorb(config, account, prices, reserves);
        // exact identities
        assert.equal(r.newBalance - r.oldBalance + (r.reservesAfter - r.reservesBefore), 0n);
        assert.equal(r.newBalance - r.shortfall, r.oldBalance + r.deltaBalance);
        assert.ok(r.newBalance >= 0n && r.shortfall >= 0n && (r.newBalance === 0n || r.shortfall === 0n));
        assert.equal(
          r.deltaValue,
          r.seized.reduce((s, c) => s + c.credit, 0n),
        );
        const debt = -r.oldBalance;
        // basePaidOut = max(debt, deltaBalance)
        assert.ok(r.basePaidOut >= debt && r.basePaidOut >= r.deltaBalance);
        assert.ok(r.basePaidOut === debt || r.basePaidOut === r.deltaBalance);
        for (const c of r.seized) {
          assert.ok(c.credit <= c.value);
          assert.equal(c.amount, account.collateral[c.symbol]);
        }
        assert.deepEqual(r.account.collateral, {});
        // approximate: the credit is Σ amount·price·LF / basePrice up to Comet's floors (two per asset in
        // 1e-8 USD, worth baseScale/basePrice base units each, then one in base units)
        const baseScale = 10 ** config.baseDecimals;
        const basePrice = Number(prices[config.baseSymbol]) / 1e8;
        const exact = r.seized.reduce((s, c) => {
          const a = config.assets.find((x) => x.symbol === c.symbol);
          assert.ok(a !== undefined);
          const lf = Number(a.liquidationFactor) / 1e18;
          return (
            s +
            ((Number(c.amount) / 10 ** a.decimals) * (Number(prices[c.symbol]) / 1e8) * lf * baseScale) /
              basePrice
          );
        }, 0);
        const baseUnitsPerPriceUnit = baseScale / Number(prices[config.baseSymbol]);
        const tolerance = 2 * r.seized.length * baseUnitsPerPriceUnit + 1 + 1e-9 * exact;
        assert.ok(Math.abs(Number(r.deltaBalance) - exact) <= tolerance, `${r.deltaBalance} vs ${exact}`);
      }),
      { numRuns: 1_500 },
    );
    assert.ok(absorbed > 200, `only ${absorbed} runs were liquidatable`);
  });
});

describe("store front (property)", () => {
  it("quoteCollateral is non-decreasing in the base amount and at least the undiscounted amount", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.nat({ max: 4 }),
        fc.bigInt(0n, 10n ** 15n),
        fc.bigInt(0n, 10n ** 15n),
        (s, k, x, y) => {
          const { config, prices } = s;
          const asset = config.assets[k % config.assets.length];
          assert.ok(asset !== undefined);
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const qLo = quoteCollateral(config, asset.symbol, lo, prices);
          const qHi = quoteCollateral(config, asset.symbol, hi, prices);
          assert.ok(qLo <= qHi, `quote(${lo}) = ${qLo} > quote(${hi}) = ${qHi}`);
          const baseScale = 10n ** BigInt(config.baseDecimals);
          const undiscounted =
            ((prices[config.baseSymbol] ?? 0n) * hi * 10n ** BigInt(asset.decimals)) /
            (prices[asset.symbol] ?? 1n) /
            baseScale;
          assert.ok(qHi >= undiscounted);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it("collateral is for sale exactly when reserves < 0 or reserves < targetReserves", () => {
    fc.assert(
      fc.property(scenarioArb, fc.bigInt(-(10n ** 14n), 10n ** 14n), (s, reserves) => {
        const { config, prices } = s;
        const asset = config.assets[0];
        assert.ok(asset !== undefined);
        const input = {
          symbol: asset.symbol,
          baseAmount: 1n,
          minAmount: 0n,
          reserves,
          collateralReserves: 2n ** 200n,
        };
        const forSale = reserves < 0n || reserves < config.targetReserves;
        if (forSale) {
          const r = buyCollateral(config, input, prices);
          assert.equal(r.reservesAfter, reserves + 1n);
        } else
          assert.throws(
            () => buyCollateral(config, input, prices),
            (e: unknown) => isVenueRevert(e, "compound-v3") && e.reason === "NotForSale",
          );
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("collateral checks (property)", () => {
  it("liquidatable ⇒ not borrow-collateralized; the float health factor agrees away from 1", () => {
    fc.assert(
      fc.property(scenarioArb, ({ config, prices, account }) => {
        const liquidatable = isLiquidatable(config, account, prices);
        if (liquidatable) assert.equal(isBorrowCollateralized(config, account, prices), false);
        const { healthFactor } = riskView(config, account, prices);
        if (healthFactor < 1 - 1e-6) assert.equal(liquidatable, true, `HF ${healthFactor}`);
        if (healthFactor > 1 + 1e-6) assert.equal(liquidatable, false, `HF ${healthFactor}`);
      }),
      { numRuns: 1_500 },
    );
  });

  it("the bundled cUSDCv3 launch market: a WETH-only borrower is liquidatable exactly below debt / (amount · 0.895)", () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10_000n),
        fc.bigInt(1_000n, 10_000_000n),
        fc.bigInt(500n, 1_500n),
        (weth, debtUsdc, pm) => {
          const c = CUSDCV3_MAINNET_LAUNCH;
          const debt = debtUsdc * 10n ** 6n;
          // liquidation price in 1e8 USD per WETH, then a price pm/1000 of it
          const liqPrice = (debtUsdc * 10n ** 8n * FACTOR_SCALE) / (weth * 895n * 10n ** 15n);
          const price = (liqPrice * pm) / 1_000n + 1n;
          const account = { baseBalance: -debt, collateral: { WETH: weth * 10n ** 18n } };
          const liquidatable = isLiquidatable(c, account, { USDC: PRICE_ONE, WETH: price });
          if (pm <= 998n) assert.equal(liquidatable, true);
          if (pm >= 1_002n) assert.equal(liquidatable, false);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

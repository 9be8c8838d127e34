/**
 * Parity: Binance USDⓈ-M liquidation prices and brackets against published numbers.
 * Sources:
 * - Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
 *   https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 — worked example
 *   "Calculating Liquidation Price in One-way & Cross Margin mode" (the page shows it as an image; the
 *   inputs and outputs are transcribed in freqtrade PR #5576 and its test
 *   `tests/leverage/test_liquidation_price.py::test_liquidation_price` @ de07b1c4).
 * - freqtrade `tests/exchange/test_binance.py::test_liquidation_price_binance` (isolated variants, the
 *   marks behind TMM1/UPNL1: BTC 31,967.27, ETH 1,335.18) and
 *   `tests/freqtradebot/test_freqtradebot.py::test_execute_entry` @ 0008a872 (small one-way cases).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accountMargin } from "../../src/margin/account.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { buildTierTable, maintenanceMargin, tierFor } from "../../src/margin/tiers.js";
import { binanceUsdm, binanceUsdmLiquidationPrice } from "../../src/venues/binance-usdm.js";
import { parseBinanceLeverageBrackets } from "../../src/venues/tier-loaders.js";
import { assertNear } from "../helpers/close.js";
import { account, position } from "../helpers/positions.js";

const WB = 1_535_443.01;
const ETH = { size: 3_683.979, entryPrice: 1_456.84, mmr: 0.1, cum: 135_365, side: 1 as const };
const BTC = { size: 109.488, entryPrice: 32_481.98, mmr: 0.025, cum: 16_300, side: 1 as const };

/** The 2020–21 BTCUSDT brackets the FAQ's examples use (floors and rates; cum by continuity). */
const BTC_2021 = buildTierTable(
  [
    [0, 0.004, 125],
    [50_000, 0.005, 100],
    [250_000, 0.01, 50],
    [1_000_000, 0.025, 20],
    [10_000_000, 0.05, 10],
    [20_000_000, 0.1, 5],
    [50_000_000, 0.125, 4],
    [100_000_000, 0.15, 3],
    [200_000_000, 0.25, 2],
    [300_000_000, 0.5, 1],
  ].map(([notionalFloor, mmr, maxLeverage]) => ({
    notionalFloor: notionalFloor as number,
    mmr: mmr as number,
    maxLeverage: maxLeverage as number,
  })),
);

describe("Binance USDⓈ-M FAQ cross-margin worked example (one-way, cross)", () => {
  it("ETHUSDT long: LP = 1,153.26", () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: WB,
      otherMaintenanceMargin: 71_200.81144,
      otherUnrealizedPnl: -56_354.57,
      both: ETH,
    });
    assertNear(lp, 1_153.26, 0.005, "ETH cross LP");
  });

  it("BTCUSDT long: LP = 26,316.89", () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: WB,
      otherMaintenanceMargin: 356_512.508,
      otherUnrealizedPnl: -448_192.89,
      both: BTC,
    });
    assertNear(lp, 26_316.89, 0.005, "BTC cross LP");
  });

  it("the engine reproduces TMM1 and UPNL1 of the BTC leg from its mark (31,967.27) and the 2020–21 brackets", () => {
    const btc = position(BTC_2021, {
      size: BTC.size,
      entryPrice: BTC.entryPrice,
      markPrice: 31_967.27,
      symbol: "BTCUSDT",
    });
    const m = accountMargin(account("cross", 0, [btc]), binanceUsdm().rules);
    // TMM1 and UPNL1 that the FAQ uses for the ETH leg.
    assertNear(m.maintenanceMargin, 71_200.81144, 0.01, "BTC maintenance margin (TMM1)");
    assertNear(m.positions[0]?.unrealizedPnl, -56_354.57, 0.01, "BTC unrealised PnL (UPNL1)");
  });
});

describe("freqtrade isolated variants of the FAQ example (same WB as isolated balance)", () => {
  it("ETHUSDT isolated: 1,114.78", () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: WB,
      otherMaintenanceMargin: 0,
      otherUnrealizedPnl: 0,
      both: ETH,
    });
    assertNear(lp, 1_114.78, 0.005, "ETH isolated LP");
  });

  it("BTCUSDT isolated: 18,778.73 — through the engine with the 2020–21 bracket table and tier lookup", () => {
    const btc = position(BTC_2021, {
      size: BTC.size,
      entryPrice: BTC.entryPrice,
      markPrice: 31_967.27,
      isolatedMargin: WB,
    });
    const [r] = liquidationPrices(account("isolated", 0, [btc]), binanceUsdm().rules);
    assertNear(r?.liquidationPrice, 18_778.73, 0.005, "BTC isolated LP (engine)");
    // The notional at the liquidation price is in the 1M–10M bracket (2.5 %, cum 16,300), as the example says.
    const tier = tierFor(BTC_2021, BTC.size * (r?.liquidationPrice ?? 0));
    assert.equal(tier.mmr, 0.025);
    assertNear(tier.cum, 16_300, 1e-6, "cum");
  });
});

describe("freqtrade test_execute_entry one-way cases (entry 10, amount 30, isolated WB 60, mmr 1 %, cum 0.01)", () => {
  const leg = { size: 30, entryPrice: 10, mmr: 0.01, cum: 0.01 };
  it("short → 11.88151815181518", () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: 60,
      otherMaintenanceMargin: 0,
      otherUnrealizedPnl: 0,
      both: { ...leg, side: -1 },
    });
    assertNear(lp, 11.88151815181518, 1e-12, "short");
  });
  it("long → 8.080471380471382", () => {
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: 60,
      otherMaintenanceMargin: 0,
      otherUnrealizedPnl: 0,
      both: { ...leg, side: 1 },
    });
    assertNear(lp, 8.080471380471382, 1e-12, "long");
  });
});

describe("Binance FAQ bracket facts (2020–21 BTCUSDT table)", () => {
  it("a 264,000 USDT position is in the 1 % bracket", () => {
    assert.equal(tierFor(BTC_2021, 264_000).mmr, 0.01);
  });
  it("maintenance amount of level 3 = 250,000 × (1 % − 0.5 %) + 50 = 1,300", () => {
    assertNear(tierFor(BTC_2021, 500_000).cum, 1_300, 1e-9, "cum level 3");
    assertNear(maintenanceMargin(BTC_2021, 500_000), 500_000 * 0.01 - 1_300, 1e-9, "MM at 500k");
  });
});

describe("bundled brackets (freqtrade binance_leverage_tiers.json, 2024-10-24)", () => {
  it("all 349 symbols load and satisfy cum continuity on all 2,456 tier transitions", () => {
    const venue = binanceUsdm();
    const symbols = venue.symbols();
    assert.equal(symbols.length, 349);
    const transitions = symbols.reduce((n, s) => n + venue.tierTable(s).tiers.length - 1, 0);
    assert.equal(transitions, 2_456);
  });

  it("BTCUSDT brackets are the 2024-10 table: 0–50k 0.4 %, …, 3M–12M 1 % cum 11,450, 1.2B–1.8B 50 % cum 421,481,450", () => {
    const t = binanceUsdm().tierTable("BTCUSDT");
    assert.equal(t.asOf, "2024-10-24");
    assert.deepEqual(t.tiers.map((x) => [x.notionalFloor, x.mmr, x.cum, x.maxLeverage]).slice(0, 4), [
      [0, 0.004, 0, 125],
      [50_000, 0.005, 50, 100],
      [600_000, 0.0065, 950, 75],
      [3_000_000, 0.01, 11_450, 50],
    ]);
    const last = t.tiers[t.tiers.length - 1];
    assert.equal(last?.mmr, 0.5);
    assert.equal(last?.cum, 421_481_450);
  });

  it("ccxt and Binance symbols name the same table", () => {
    assert.equal(binanceUsdm().tierTable("ETH/USDT:USDT").tiers, binanceUsdm().tierTable("ETHUSDT").tiers);
  });

  it("reads Binance's leverageBracket API shape (numbers as strings)", () => {
    const tables = parseBinanceLeverageBrackets([
      {
        symbol: "BTCUSDT",
        brackets: [
          {
            bracket: 1,
            initialLeverage: 125,
            notionalCap: "50000",
            notionalFloor: "0",
            maintMarginRatio: "0.004",
            cum: "0.0",
          },
          {
            bracket: 2,
            initialLeverage: 100,
            notionalCap: "600000",
            notionalFloor: "50000",
            maintMarginRatio: "0.005",
            cum: "50.0",
          },
        ],
      },
    ]);
    assert.deepEqual(tables.get("BTCUSDT")?.[1], {
      notionalFloor: 50_000,
      notionalCap: 600_000,
      mmr: 0.005,
      cum: 50,
      maxLeverage: 100,
    });
  });
});

describe("hedge mode: the documented formula's LONG and SHORT terms", () => {
  it("the engine's shared liquidation price of a LONG+SHORT pair equals the FAQ formula", () => {
    const tiers = binanceUsdm().tierTable("BTCUSDT").tiers;
    const long = position(tiers, {
      size: 2,
      entryPrice: 60_000,
      markPrice: 61_000,
      symbol: "BTCUSDT",
      positionSide: "LONG",
    });
    const short = position(tiers, {
      size: -0.5,
      entryPrice: 62_000,
      markPrice: 61_000,
      symbol: "BTCUSDT",
      positionSide: "SHORT",
    });
    const [r] = liquidationPrices(account("cross", 20_000, [long, short]), binanceUsdm().rules);
    const lp = binanceUsdmLiquidationPrice({
      walletBalance: 20_000,
      otherMaintenanceMargin: 0,
      otherUnrealizedPnl: 0,
      long: { size: 2, entryPrice: 60_000, mmr: 0.005, cum: 50 },
      short: { size: 0.5, entryPrice: 62_000, mmr: 0.004, cum: 0 },
    });
    assertNear(r?.liquidationPrice, lp, 1e-8 * lp, "hedge LP");
  });
});

/**
 * Parity: Binance COIN-M (inverse) against published numbers.
 * Sources:
 * - Binance FAQ "How to Calculate Liquidation Price of COIN-M Futures Contracts",
 *   https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46: a 300 BTC position is in the
 *   12.5 % bracket with maintenance amount 11.605 BTC (older page: 11.81 BTC; "Level 5 = 50 BTC × (5 % −
 *   2.5 %) + 0.56 BTC = 1.81 BTC"); 100 contracts at mark 25,000 → 0.4 BTC notional → MM 0.0016 BTC.
 * - Binance's liquidation calculator value quoted on dev.binance.vision thread 6292
 *   ("coin-margined futures liquidation price calculation help, CM variable"): WB 101 BTC, long
 *   100,000 BTCUSD contracts @ 45,000 → 33,599.40. The calculator rounds to the cent; we reproduce
 *   33,599.42 with the page's 11.605 BTC amount, so the tolerance is 0.05 (1.5e-6 relative).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accountMargin } from "../../src/margin/account.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { buildTierTable, tierFor } from "../../src/margin/tiers.js";
import {
  type BinanceCoinmLiquidationInput,
  binanceCoinm,
  binanceCoinmLiquidationPrice,
} from "../../src/venues/binance-coinm.js";
import { assertNear, assertRel } from "../helpers/close.js";

const venue = binanceCoinm();
/** The calculator example's inputs with the bracket of a 222 BTC position (12.5 %, 11.605 BTC). */
const FAQ_INPUT: BinanceCoinmLiquidationInput = {
  walletBalance: 101,
  otherMaintenanceMargin: 0,
  otherUnrealizedPnl: 0,
  contracts: 100_000,
  side: 1,
  entryPrice: 45_000,
  contractSize: 100,
  mmr: 0.125,
  cum: 11.605,
};
const instrument = venue.instrument("BTCUSD_PERP");
const tiers = venue.tierTable("BTCUSD_PERP").tiers;

describe("Binance COIN-M BTCUSD brackets", () => {
  it("300 BTC → 12.5 % with maintenance amount 11.605 BTC", () => {
    const t = tierFor(tiers, 300);
    assert.equal(t.mmr, 0.125);
    assertNear(t.cum, 11.605, 1e-9, "cum");
  });

  it("older page: level 5 amount = 50 × (5 % − 2.5 %) + 0.56 = 1.81 BTC, and 300 BTC → 11.81", () => {
    const old = buildTierTable(
      [
        [0, 0.004],
        [10, 0.005],
        [20, 0.01],
        [30, 0.025],
        [50, 0.05],
        [100, 0.1],
        [200, 0.125],
        [400, 0.15],
        [1000, 0.25],
      ].map(([notionalFloor, mmr]) => ({
        notionalFloor: notionalFloor as number,
        mmr: mmr as number,
        maxLeverage: 1,
      })),
    );
    assertNear(old[3]?.cum, 0.56, 1e-12, "level 4 amount");
    assertNear(old[4]?.cum, 1.81, 1e-12, "level 5 amount");
    assertNear(tierFor(old, 300).cum, 11.81, 1e-12, "300 BTC amount");
  });

  it("100 contracts at mark 25,000: notional 0.4 BTC, maintenance margin 0.0016 BTC", () => {
    const p = {
      instrument,
      tiers,
      size: 100,
      entryPrice: 25_000,
      markPrice: 25_000,
      positionSide: "BOTH" as const,
      accruedFunding: 0,
    };
    const m = accountMargin({ marginMode: "cross", walletBalance: 1, positions: [p] }, venue.rules);
    assertNear(m.positions[0]?.notional, 0.4, 1e-15, "notional");
    assertNear(m.maintenanceMargin, 0.0016, 1e-15, "MM");
  });
});

describe("Binance COIN-M liquidation price (calculator example)", () => {
  const calculator = 33_599.4;
  it("closed form with the bracket at the position (12.5 %, 11.605 BTC)", () => {
    const lp = binanceCoinmLiquidationPrice(FAQ_INPUT);
    assertNear(lp, calculator, 0.05, "closed form");
  });

  it("engine with the bundled table (tier found from the notional) agrees with the closed form", () => {
    const p = {
      instrument,
      tiers,
      size: 100_000,
      entryPrice: 45_000,
      markPrice: 45_000,
      positionSide: "BOTH" as const,
      accruedFunding: 0,
      isolatedMargin: 101,
    };
    const [r] = liquidationPrices({ marginMode: "isolated", walletBalance: 0, positions: [p] }, venue.rules);
    assertNear(r?.liquidationPrice, calculator, 0.05, "engine");
    assertRel(r?.liquidationPrice, binanceCoinmLiquidationPrice(FAQ_INPUT), 1e-12, "engine vs closed form");
  });
});

/**
 * Parity: BitMEX liquidation example and ADL ranking examples.
 * Sources:
 * - "Liquidation Examples", https://testnet.bitmex.com/app/liquidationExamples: long 1 contract at
 *   100.00 with 1 % initial and 0.5 % maintenance margin → liquidation price 99.50, bankruptcy 99.00.
 * - "Auto-Deleveraging Examples", https://www.bitmex.com/app/autoDeleveragingExamples: six longs
 *   (account, quantity, rank) = (1,10,3), (2,10,6), (3,20,1), (4,30,4), (5,20,5), (6,10,2) show the
 *   indicator percentiles 2 → 20 %, 5 → 40 %, 4 → 60 %, 1 → 80 %, 6 → 80 %, 3 → 100 %; a short of 20
 *   liquidated with bankruptcy price 650 closes account 2 fully (10) and 10 of account 5's 20.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { adlPercentiles, allocateDeleveraging, standardAdlScore } from "../../src/venues/adl.js";
import { bitmex } from "../../src/venues/bitmex.js";
import { assertNear } from "../helpers/close.js";
import { account, flatTiers, position } from "../helpers/positions.js";

describe("BitMEX liquidation example", () => {
  it("long 1 @ 100.00, 1 % margin, 0.5 % maintenance on the entry value → LP 99.50, BP 99.00", () => {
    const p = position(flatTiers(0.005), { size: 1, entryPrice: 100, isolatedMargin: 1 });
    const [r] = liquidationPrices(account("isolated", 0, [p]), bitmex().rules);
    assertNear(r?.liquidationPrice, 99.5, 1e-12, "LP");
    assertNear(r?.bankruptcyPrice, 99, 1e-12, "BP");
  });
});

describe("BitMEX ADL examples", () => {
  const longs = [
    { id: "1", quantity: 10, score: 3 },
    { id: "2", quantity: 10, score: 6 },
    { id: "3", quantity: 20, score: 1 },
    { id: "4", quantity: 30, score: 4 },
    { id: "5", quantity: 20, score: 5 },
    { id: "6", quantity: 10, score: 2 },
  ];

  it("indicator percentiles 80, 20, 100, 60, 40, 80 % for accounts 1–6", () => {
    assert.deepEqual(adlPercentiles(longs), [80, 20, 100, 60, 40, 80]);
  });

  it("a short of 20 deleverages account 2 fully and 10 of account 5", () => {
    assert.deepEqual(allocateDeleveraging(longs, 20), [
      { id: "2", quantity: 10 },
      { id: "5", quantity: 10 },
    ]);
  });

  it("ranking: PnL% × effective leverage in profit, PnL% / effective leverage in loss", () => {
    // Long 1 @ 100, mark 110, bankruptcy 90: PnL% 10 %, effective leverage 110/(110 − 90) = 5.5.
    const profit = standardAdlScore({
      id: "a",
      size: 1,
      entryPrice: 100,
      markPrice: 110,
      bankruptcyPrice: 90,
      equity: 20,
    });
    assertNear(profit, 0.1 * 5.5, 1e-12, "profit");
    const loss = standardAdlScore({
      id: "b",
      size: 1,
      entryPrice: 100,
      markPrice: 95,
      bankruptcyPrice: 90,
      equity: 5,
    });
    assertNear(loss, -0.05 / (95 / 5), 1e-12, "loss");
  });
});

/**
 * The Clipper keeper (src/sim/clip-keeper.ts): it takes a Dutch-auction lot at the current price when
 * `s·P ≤ (s·p − g)/(1 + m)`, the same reservation as the Flipper keeper's tend bid (src/sim/flip-keeper.ts),
 * through the dss `take` rules of src/venues/maker-clip.ts (dss `src/clip.sol`).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RAD, RAY, WAD } from "../../src/math/fixed-point.js";
import { clipKeeperTake, sliceWorthTaking } from "../../src/sim/clip-keeper.js";
import { type FlipKeeper, gasCostDai } from "../../src/sim/flip-keeper.js";
import { keeperReservation } from "../../src/sim/keeper-reservation.js";
import { type ClipperParams, type Sale, take } from "../../src/venues/maker-clip.js";

const params: ClipperParams = {
  buf: (13n * RAY) / 10n,
  tail: 8_400n,
  cusp: (4n * RAY) / 10n,
  chip: 0n,
  tip: 0n,
  chost: 0n,
  calc: { kind: "stairstep", cut: (99n * RAY) / 100n, step: 90n },
};
const keeper: FlipKeeper = {
  name: "k",
  capitalDai: 1e9,
  margin: 0.05,
  gasUnits: 200_000,
  maxGasPriceGwei: Number.POSITIVE_INFINITY,
  style: "reservation",
};
const market = { collateralPriceDai: 170, ethPriceDai: 170, gasPriceGwei: 80 };
/** A fresh auction priced 160 DAI: lot 50 ETH, tab 7,062.5 DAI. */
const sale: Sale = { tab: (70_625n * RAD) / 10n, lot: 50n * WAD, tic: 1_000n, top: 160n * RAY };

describe("keeperReservation (the shared rule)", () => {
  it("is (value − gas)/(1 + margin): 50 ETH at 170, 3.4 DAI gas, 5 % → 8,091.99 DAI", () => {
    assert.ok(Math.abs(keeperReservation(8_500, 3.4, 0.05) - 8_091.999_999_999_999) < 1e-9);
  });
});

describe("clipKeeperTake", () => {
  it("takes the tab's worth at 160 when the market is 170 (reservation ≈ 161.9 per ETH): take collects the tab and returns the rest", () => {
    const t = clipKeeperTake(params, sale, keeper, market, 1_000n);
    assert.ok(t !== null);
    assert.equal(t.amt, sale.lot);
    assert.equal(t.max, 160n * RAY);
    assert.equal(t.gasCostDai, gasCostDai(keeper, market));
    const r = take(params, sale, { amt: t.amt, max: t.max, now: 1_000n });
    assert.equal(r.owe, sale.tab);
    assert.ok(Math.abs(Number(r.returned) / 1e18 - (50 - 7_062.5 / 160)) < 1e-12);
    assert.ok(Math.abs(t.expectedProfitDai - ((7_062.5 / 160) * 10 - t.gasCostDai)) < 1e-9);
  });

  it("waits while the price is above its reservation, then takes once the curve has fallen below it", () => {
    const high = { ...sale, top: 234n * RAY };
    assert.equal(clipKeeperTake(params, high, keeper, market, 1_000n), null);
    // 234·0.99^k ≤ (170 − g/s)/1.05 ≈ 161.9 first at k = 37 steps of 90 s
    assert.equal(clipKeeperTake(params, high, keeper, market, 1_000n + 36n * 90n), null);
    assert.ok(clipKeeperTake(params, high, keeper, market, 1_000n + 37n * 90n) !== null);
  });

  it("does not act when priced out by gas, without DAI, or on a done auction (redo first)", () => {
    assert.equal(clipKeeperTake(params, sale, { ...keeper, maxGasPriceGwei: 50 }, market, 1_000n), null);
    assert.equal(clipKeeperTake(params, sale, { ...keeper, capitalDai: 0 }, market, 1_000n), null);
    assert.equal(clipKeeperTake(params, sale, keeper, market, 1_000n + 8_401n), null);
    assert.equal(clipKeeperTake(params, null, keeper, market, 1_000n), null);
  });

  it("with DAI for 1,000 DAI it buys 6.25 ETH, and never spends more than it holds", () => {
    const t = clipKeeperTake(params, sale, { ...keeper, capitalDai: 1_000 }, market, 1_000n);
    assert.ok(t !== null);
    assert.equal(t.amt, (625n * WAD) / 100n);
    assert.ok(take(params, sale, { amt: t.amt, max: t.max, now: 1_000n }).owe <= 1_000n * RAD);
  });

  it("property: a take earns the margin after gas; no take means the slice it could buy would not", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 20, max: 400, noNaN: true }),
        fc.double({ min: 20, max: 400, noNaN: true }),
        fc.double({ min: 10, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        (top, p, capital, gwei) => {
          const s: Sale = { ...sale, top: BigInt(Math.round(top * 1e9)) * 10n ** 18n };
          const k = { ...keeper, capitalDai: capital };
          const m = { collateralPriceDai: p, ethPriceDai: p, gasPriceGwei: gwei };
          const t = clipKeeperTake(params, s, k, m, 1_000n);
          const price = Number(s.top) / 1e27;
          const slice = sliceWorthTaking(price, 50, 7_062.5, k, m);
          if (t === null) return slice === 0;
          const r = take(params, s, { amt: t.amt, max: t.max, now: 1_000n });
          const spent = Number(r.owe) / 1e45;
          const bought = Number(r.slice) / 1e18;
          return spent <= capital + 1e-9 && bought * p - spent - t.gasCostDai >= 0.05 * spent - 1e-6 * spent;
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});

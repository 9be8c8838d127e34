/**
 * The Black Thursday replay (src/sim/venue/black-thursday.ts): the vault population, the Cat and
 * Flipper driven minute by minute, and each failure condition on a small synthetic day, so that every
 * condition is shown to matter on its own: a zero bid wins only when no other bid lands before `ttl`.
 * The reconciliation with the published figures is in black-thursday-reconciliation.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Xoshiro128 } from "../../../src/math/random.js";
import {
  BLACK_THURSDAY_DEFAULTS,
  type BlackThursdayResult,
  type DayKeeper,
  drawVaults,
  type KeeperConditions,
  simulateBlackThursday,
  type VaultBook,
} from "../../../src/sim/venue/black-thursday.js";
import type { MakerDayMarket } from "../../../src/sim/venue/maker-day-market.js";
import { dayKeeper } from "./maker-day-fixtures.js";

const day = { ...BLACK_THURSDAY_DEFAULTS.day, biteUntilMs: 4 * 3_600_000 };
const calm: KeeperConditions = { gasMultiplier: 1, txFailure: 0, recycleSeconds: null, withdrawalDrop: 0.1 };

/**
 * 8 hours from t = 0: ETH at 200, falling to 170 at minute `fallAt` (default 60); the OSM shows 200
 * until minute 120, 180 until minute 180, then 170; gas `gwei` throughout.
 */
function syntheticDay(gwei = 80, fallAt = 60): MakerDayMarket {
  const n = 8 * 60;
  const time = Float64Array.from({ length: n }, (_, m) => m * 60_000);
  const price = Float64Array.from({ length: n }, (_, m) => (m < fallAt ? 200 : 170));
  const osm = Float64Array.from({ length: n }, (_, m) => (m < 120 ? 200 : m < 180 ? 180 : 170));
  return { time, price, osm, gasGwei: new Float64Array(n).fill(gwei), clippedBars: [] };
}

/** One vault of `ink` ETH at 160 % at 200 DAI: liquidation price 187.5, bitten at minute 120. */
const vault = (ink = 100): VaultBook => ({
  ink: Float64Array.of(ink),
  debt: Float64Array.of((ink * 200) / 1.6),
});

const keeper = dayKeeper;
const opportunist = keeper("opportunist", { style: "increment", margin: 0, capitalDai: 1_000 });

const run = (keepers: DayKeeper[], conditions = calm, market = syntheticDay(), vaults = vault()) =>
  simulateBlackThursday(day, market, vaults, keepers, conditions);

describe("drawVaults", () => {
  const spec = { ...BLACK_THURSDAY_DEFAULTS.population, count: 2_000 };
  const v = drawVaults(spec, 194.48, new Xoshiro128(1));

  it("draws count vaults plus the largest (35,000 ETH), Pareto-sized, above the floor ratio", () => {
    assert.equal(v.ink.length, 2_001);
    assert.equal(v.ink[2_000], 35_000);
    assert.ok(Math.abs((35_000 * 194.48) / (v.debt[2_000] as number) - spec.largestRatio) < 1e-12);
    for (let i = 0; i < 2_000; i++) {
      assert.ok((v.ink[i] as number) >= spec.minEth && (v.ink[i] as number) <= spec.largestEth);
      assert.ok(((v.ink[i] as number) * 194.48) / (v.debt[i] as number) >= spec.floorRatio - 1e-12);
    }
    // Pareto α = 1.1 from 10 ETH: P(ink > 100) = 10^-1.1 ≈ 7.9 %
    const share = v.ink.filter((x) => x > 100).length / 2_001;
    assert.ok(Math.abs(share - 10 ** -1.1) < 0.02, `${share}`);
  });

  it("is seeded", () => {
    assert.deepEqual(drawVaults(spec, 194.48, new Xoshiro128(1)), v);
  });

  it("names the field of a bad parameter", () => {
    assert.throws(
      () => drawVaults({ ...spec, tailIndex: 0 }, 194.48, new Xoshiro128(1)),
      /population.tailIndex/,
    );
  });
});

describe("simulateBlackThursday on a synthetic day", () => {
  it("bites 100 ETH in two 50-ETH lots when the OSM crosses 150 % (tab = debt × 1.13)", () => {
    const r = run([keeper("a"), keeper("b")]);
    assert.equal(r.kicked, 2);
    assert.equal(r.vaultsBitten, 1);
    for (const a of r.auctions) {
      assert.equal(a.kickedMs, 120 * 60_000);
      assert.equal(a.lotEth, 50);
      assert.ok(Math.abs(a.dueDai - 6_250) < 1e-6);
      assert.ok(Math.abs(a.tabDai - 7_062.5) < 1e-6);
    }
  });

  it("rational, always-on keepers with DAI: no zero bid, the tab raised, collateral back to the owner", () => {
    const r = run([opportunist, keeper("a"), keeper("b")]);
    assert.equal(r.zeroBid, 0);
    assert.equal(r.uncoveredDebtDai, 0);
    for (const a of r.auctions) {
      assert.ok(Math.abs(a.raisedDai - a.tabDai) < 1e-6);
      // dent phase: the winner takes ~ tab(1 + m)/p ETH of the 50
      assert.ok(a.soldEth < 50 && a.soldEth > (7_062.5 * 1.05) / 170, `${a.soldEth}`);
    }
  });

  it("the opportunist alone: each lot goes for 1 rad after ttl, the whole debt uncovered", () => {
    const r = run([opportunist]);
    assert.equal(r.zeroBid, 2);
    assert.equal(r.zeroBidShare, 1);
    assert.equal(r.zeroBidEth, 100);
    assert.ok(Math.abs(r.zeroBidUsd - 100 * 170) < 1e-9);
    assert.ok(Math.abs(r.uncoveredDebtDai - 12_500) < 1e-6);
    for (const a of r.auctions) assert.equal(a.dealtMs, (120 + 11) * 60_000); // tic = kick + 600 s, dealt the minute after
  });

  it("gas: keepers with a fixed setting below the network's are stuck, so the zero bid wins; free gas, they land", () => {
    const stock = [
      opportunist,
      keeper("s1", { maxGasPriceGwei: 100 }),
      keeper("s2", { maxGasPriceGwei: 100 }),
    ];
    const stuck = run(stock, calm, syntheticDay(200));
    assert.equal(stuck.zeroBid, 2);
    assert.ok(stuck.pricedOutKeeperMinutes > 0);
    assert.equal(run(stock, calm, syntheticDay(80)).zeroBid, 0);
    assert.equal(run(stock, { ...calm, gasMultiplier: 0.4 }, syntheticDay(200)).zeroBid, 0);
  });

  it("DAI: a keeper with DAI for one tab bids only what is left on the next lot, unless its won ETH turns back into DAI", () => {
    const poor = [opportunist, keeper("a", { capitalDai: 7_100 })];
    // vault 1 (160 %) is bitten at minute 120, vault 2 (170 %, liquidation price 176.5) at minute 180
    const twoVaults: VaultBook = { ink: Float64Array.of(50, 50), debt: Float64Array.of(6_250, 10_000 / 1.7) };
    const stuckDai = run(poor, calm, syntheticDay(), twoVaults);
    const [first, second] = stuckDai.auctions;
    assert.ok(first !== undefined && second !== undefined);
    assert.ok(Math.abs(first.raisedDai - first.tabDai) < 1e-6);
    // what keeper a had left (37.5 DAI), or the opportunist's 3 % over it
    assert.ok(second.raisedDai <= 1.03 * (7_100 - first.tabDai) + 1e-6, `${second.raisedDai}`);
    assert.ok(stuckDai.uncoveredDebtDai > second.dueDai - 40);
    const recycled = run(poor, { ...calm, recycleSeconds: 60 }, syntheticDay(), twoVaults);
    assert.equal(recycled.uncoveredDebtDai, 0);
    assert.ok(Math.abs((recycled.auctions[1]?.raisedDai ?? 0) - second.tabDai) < 1e-6);
  });

  it("transaction failures: when nearly every bid fails, lots go for 0 and debt is uncovered", () => {
    const ks = [opportunist, keeper("a"), keeper("b")];
    const failing = run(ks, { ...calm, txFailure: 0.99 }, syntheticDay(), vault(1_000));
    assert.ok(failing.failedBids > 0);
    assert.ok(failing.zeroBid > 0 && failing.uncoveredDebtDai > 0);
    const landing = run(ks, { ...calm, txFailure: 0.3 }, syntheticDay(), vault(1_000));
    assert.equal(landing.zeroBid, 0);
    assert.equal(landing.uncoveredDebtDai, 0);
  });

  it("withdrawal under stress: keepers offline while ETH is down > 10 % on the hour leave the lots to the opportunist", () => {
    const shy = [opportunist, keeper("a", { withdrawsUnderStress: true })];
    assert.equal(run(shy).zeroBid, 0); // the fall was at minute 60; the lots are kicked at 120, an hour later
    const lateFall = syntheticDay(80, 100); // at minutes 120–159 ETH is 15 % below its price an hour before
    assert.equal(run(shy, calm, lateFall).zeroBid, 2);
    assert.equal(run(shy, { ...calm, withdrawalDrop: 0.5 }, lateFall).zeroBid, 0);
  });

  it("is deterministic for a seed, and conserves collateral and DAI per auction", () => {
    const ks = [opportunist, keeper("a", { capitalDai: 10_000 }), keeper("b", { maxGasPriceGwei: 50 })];
    const conditions = { ...calm, txFailure: 0.5 };
    const v = vault(1_000);
    const a: BlackThursdayResult = run(ks, conditions, syntheticDay(), v);
    assert.deepEqual(run(ks, conditions, syntheticDay(), v), a);
    assert.equal(a.kicked, 20);
    assert.equal(a.liquidatedEth, 1_000);
    for (const x of a.auctions) {
      assert.ok(x.soldEth <= x.lotEth && x.raisedDai <= x.tabDai + 1e-9);
      assert.ok(x.dealtMs !== null);
    }
  });

  it("property: with always-on rational keepers holding enough DAI no auction goes for 0", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            ink: fc.double({ min: 1, max: 400, noNaN: true }),
            ratio: fc.double({ min: 1.51, max: 1.66, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1_000 }),
        (vs, nKeepers, seed) => {
          const vaults: VaultBook = {
            ink: Float64Array.from(vs, (x) => x.ink),
            debt: Float64Array.from(vs, (x) => (x.ink * 200) / x.ratio),
          };
          const ks = [opportunist, ...Array.from({ length: nKeepers }, (_, i) => keeper(`k${i}`))];
          const r = simulateBlackThursday({ ...day, seed }, syntheticDay(), vaults, ks, calm);
          return r.kicked > 0 && r.zeroBid === 0 && r.uncoveredDebtDai === 0;
        },
      ),
      { numRuns: 25 },
    );
  });

  it("names the field of a bad condition", () => {
    assert.throws(() => run([opportunist], { ...calm, txFailure: 1 }), /conditions.txFailure/);
    assert.throws(() => run([opportunist], { ...calm, gasMultiplier: -1 }), /conditions.gasMultiplier/);
    assert.throws(() => run([opportunist], { ...calm, withdrawalDrop: 1 }), /conditions.withdrawalDrop/);
    assert.throws(() => run([opportunist], { ...calm, recycleSeconds: -1 }), /conditions.recycleSeconds/);
  });
});

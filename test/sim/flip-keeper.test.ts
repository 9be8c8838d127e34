/**
 * Keepers in Maker Flipper auctions (src/sim/flip-keeper.ts): with always-on rational keepers a lot never
 * sells for 0; with nobody else able to bid — no keepers, stock keepers whose gas-price cap is below the
 * network's, or gas costs above what the lot leaves them — the first bid (1 rad, "0 DAI") wins at `ttl`,
 * the mechanism of the zero-bid auctions of 2020-03-12 (Whiterabbit, "Black Thursday for MakerDAO: $8.32
 * million was liquidated for 0 DAI"). The auction numbers are illustrative: a 5,650 DAI tab (5,000 DAI of
 * debt, 13 % penalty) on 50 ETH with ETH at 100 DAI, gas 80 gwei (about 6× normal that day).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fromFixed, RAD, WAD } from "../../src/math/fixed-point.js";
import {
  type FlipKeeper,
  type FlipMarket,
  gasCostDai,
  keeperBid,
  runKeepers,
} from "../../src/sim/flip-keeper.js";
import { type FlipAuction, type FlipperParams, kick, tend } from "../../src/venues/maker-flip.js";

const params: FlipperParams = { version: "1.0", beg: (103n * WAD) / 100n, ttl: 600n, tau: 21_600n };
const auctionOf = (tabDai: bigint, lotWad: bigint): FlipAuction => {
  const a = kick(params, { usr: "owner", gal: "vow", tab: tabDai * RAD, lot: lotWad, now: 0n }).auction;
  assert.ok(a !== null);
  return a;
};
const blackThursday = auctionOf(5_650n, 50n * WAD);
const market = (gasPriceGwei = 80, collateralPriceDai = 100): FlipMarket => ({
  collateralPriceDai,
  gasPriceGwei,
  ethPriceDai: 100,
});
const keeper = (name: string, over: Partial<FlipKeeper> = {}): FlipKeeper => ({
  name,
  capitalDai: 1_000_000,
  margin: 0.05,
  gasUnits: 300_000,
  maxGasPriceGwei: Number.POSITIVE_INFINITY,
  style: "reservation",
  ...over,
});
/** Bids whatever is legal and pays any gas: the opportunist of 2020-03-12. */
const zeroBidder = keeper("zero-bidder", { margin: 0, style: "increment" });
/** A stock keeper that will not pay more than 40 gwei. */
const stock = (name: string) => keeper(name, { maxGasPriceGwei: 40 });
const dai = (rad: bigint) => fromFixed(rad, 45);
const start = { start: 0n };

describe("keeperBid", () => {
  it("gas cost = gwei × 1e-9 × gas × ETH price: 80 gwei × 300,000 × 100 DAI = 2.4 DAI", () => {
    assert.ok(Math.abs(gasCostDai(keeper("k"), market()) - 2.4) < 1e-12);
  });

  it("a reservation keeper bids (L·p − gas)/(1 + m) = (5,000 − 2.4)/1.05 on a fresh auction; an increment keeper bids 1 rad", () => {
    const b = keeperBid(params, blackThursday, keeper("k"), market(), 0n);
    assert.equal(b?.kind, "tend");
    assert.ok(Math.abs(dai(b?.bid ?? 0n) - 4_997.6 / 1.05) < 1e-6);
    assert.equal(keeperBid(params, blackThursday, zeroBidder, market(), 0n)?.bid, 1n);
  });

  it("no bid: above its gas cap, already the high bidder, after tic, short of capital, or when gas eats the lot", () => {
    assert.equal(keeperBid(params, blackThursday, stock("s"), market(80), 0n), null);
    assert.ok(keeperBid(params, blackThursday, stock("s"), market(30), 0n) !== null);
    const held = tend(params, blackThursday, { guy: "k", lot: 50n * WAD, bid: RAD, now: 0n }).auction;
    assert.equal(keeperBid(params, held, keeper("k"), market(), 0n), null);
    assert.equal(keeperBid(params, held, keeper("j"), market(), 600n), null); // tic = 600: neither bid nor deal
    assert.equal(keeperBid(params, held, keeper("j", { capitalDai: 0 }), market(), 0n), null);
    const tiny = auctionOf(3n, WAD / 50n); // 0.02 ETH = 2 DAI < 2.4 DAI of gas
    assert.equal(keeperBid(params, tiny, keeper("j"), market(), 0n), null);
  });
});

describe("runKeepers: who wins, for how much", () => {
  it("always-on rational keepers: the lot sells near its value, never for 0, even with the zero-bidder present", () => {
    const keepers = [zeroBidder, keeper("rational-a"), keeper("rational-b", { margin: 0.03 })];
    const r = runKeepers(params, blackThursday, keepers, market(), start);
    assert.ok(r.dealt);
    const rB = (5_000 - 2.4) / 1.03; // rational-b's reservation: it outbids anything below rB / beg
    assert.ok(dai(r.raised) >= rB / 1.03 - 1e-6, `raised ${dai(r.raised)}`);
    assert.equal(r.won, 50n * WAD);
    assert.equal(r.bids[0]?.bid, 1n); // it opens at 1 rad, and is outbid
  });

  it("two keepers that only ever bid the minimum increment, from 1 rad at one bid a block: 3 % steps reach ~1e-26 DAI when tau runs out, and the lot deals for that", () => {
    const keepers = [keeper("a", { style: "increment" }), keeper("b", { style: "increment", margin: 0.03 })];
    const r = runKeepers(params, blackThursday, keepers, market(), start);
    // 6 h of 15 s blocks = 1,440 bids; 1.03^1440 ≈ 3e18 × 1 rad — far below the ~3,800 steps 5,000 DAI needs
    assert.equal(r.bids.length, 1_440);
    assert.equal(r.dealtAt, 21_601n);
    assert.ok(dai(r.raised) < 1e-20);
  });

  it("nobody but the zero-bidder: 50 ETH dealt for 1 rad at tic + 1 = 601 s; the whole tab is uncovered", () => {
    const r = runKeepers(params, blackThursday, [zeroBidder], market(), start);
    assert.deepEqual(
      [r.dealt, r.dealtAt, r.raised, r.winner, r.won],
      [true, 601n, 1n, "zero-bidder", 50n * WAD],
    );
  });

  it("stock keepers capped at 40 gwei: at 80 gwei the zero-bidder wins for 1 rad; at 30 gwei they outbid it", () => {
    const keepers = [zeroBidder, stock("stock-a"), stock("stock-b")];
    const congested = runKeepers(params, blackThursday, keepers, market(80), start);
    assert.equal(congested.raised, 1n);
    assert.equal(congested.winner, "zero-bidder");
    const normal = runKeepers(params, blackThursday, keepers, market(30), start);
    assert.ok(dai(normal.raised) > 4_500);
  });

  it("gas costs above what the lot leaves: after a 1-rad bid at 5 gwei, rational keepers at 80 gwei do not outbid, the first bid deals", () => {
    const tiny = auctionOf(3n, WAD / 50n); // 0.02 ETH at 100 = 2 DAI
    const first = keeperBid(params, tiny, zeroBidder, market(5), 0n);
    assert.equal(first?.bid, 1n);
    const held = tend(params, tiny, { guy: "zero-bidder", lot: tiny.lot, bid: 1n, now: 0n }).auction;
    assert.ok(held !== null);
    const r = runKeepers(params, held, [keeper("rational-a"), keeper("rational-b")], market(80), {
      start: 15n,
    });
    assert.deepEqual([r.bids.length, r.raised, r.winner], [0, 1n, "zero-bidder"]);
  });

  it("no keepers at all: no bid, the auction is never dealt (it can only be ticked)", () => {
    const r = runKeepers(params, blackThursday, [], market(), start);
    assert.deepEqual([r.dealt, r.raised, r.winner], [false, 0n, null]);
  });

  it("a lot worth more than the tab: bids reach the tab, then dents give collateral back; the winner still earns its margin", () => {
    const r = runKeepers(
      params,
      blackThursday,
      [keeper("a"), keeper("b", { margin: 0.02 })],
      market(80, 150),
      start,
    );
    assert.equal(r.raised, 5_650n * RAD);
    assert.ok(r.won < 50n * WAD);
    const winner = r.winner === "a" ? 0.05 : 0.02;
    assert.ok(fromFixed(r.won, 18) * 150 - 5_650 - 2.4 >= winner * 5_650 - 1e-6);
  });
});

describe("runKeepers (property): with a rational always-on keeper the auction never sells for 0", () => {
  it("raised ≥ min(tab, R/beg) for an always-on reservation keeper's R, raised ≤ tab, and the winner's profit meets its margin", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }), // tab, DAI
        fc.integer({ min: 1, max: 1_000 }), // lot, ETH
        fc.double({ min: 1, max: 5_000, noNaN: true }), // price
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.constantFrom<"reservation" | "increment">("reservation", "increment"),
        (tab, lot, price, m1, m2, style) => {
          const a = auctionOf(BigInt(tab), BigInt(lot) * WAD);
          const ks = [zeroBidder, keeper("k1", { margin: m1, style }), keeper("k2", { margin: m2 })];
          const mk = market(80, price);
          const gas = gasCostDai(ks[1] as FlipKeeper, mk);
          // k2 jumps to its reservation whenever it is not the high bidder, so the last bid is at least R₂/beg
          const r2 = (lot * price - gas) / (1 + m2);
          const r = runKeepers(params, a, ks, mk, start);
          const top = lot * price - gas; // the zero-bidder's reservation
          if (!(top > 0)) {
            assert.ok(!r.dealt, "someone bid on a lot worth less than its gas");
            return;
          }
          assert.ok(r.dealt);
          assert.ok(r.raised <= a.tab);
          const floor = Math.min(tab, r2 / 1.03);
          assert.ok(dai(r.raised) >= floor - 1e-6, `raised ${dai(r.raised)} < ${floor}`);
          if (r2 > 1e-6) assert.ok(r.raised > 1n, "sold for 0");
          const m = r.winner === "k1" ? m1 : r.winner === "k2" ? m2 : 0;
          assert.ok(fromFixed(r.won, 18) * price - dai(r.raised) - gas >= m * dai(r.raised) - 1e-6);
        },
      ),
      { numRuns: 150 },
    );
  });
});

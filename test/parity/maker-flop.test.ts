/**
 * Maker's debt auctions and the Vow (src/venues/maker-flop.ts) against dss's own tests. Numbers
 * re-typed as facts; dss is AGPL-3.0 and no code is copied.
 * - makerdao/dss `src/test/flop.t.sol` @ 44330065999621834b08de1edf3b962f6bbd74c6 (tag 1.0.4, the
 *   Flopper of the March 2020 debt auctions) and @ 36dab5c9fdce4fc36812e4fd8228be3beb18774d (tag
 *   1.2.0, kiss on the first dent): `test_kick`, `test_dent`, `test_dent_Ash_less_than_bid` (1.2),
 *   `test_dent_same_bidder` (1.2), `test_tick`, `test_no_deal_after_end`, `test_yank`,
 *   `test_yank_no_bids`;
 * - makerdao/dss `src/test/vow.t.sol` at the same two commits: `test_flog_wait`, `test_no_reflop`,
 *   `test_no_flop_pending_joy`, `test_flap`, `test_no_flap_pending_sin`, `test_no_flap_nonzero_woe`,
 *   `test_no_flap_pending_flop`, `test_no_flap_pending_heal`, `test_no_surplus_after_good_flop`,
 *   `test_multiple_flop_dents`.
 * dss's `try_*`/`can_*` checks only assert that a call reverts; the reason named here follows from the
 * contract's `require` order. flop.t.sol writes DAI as `ether` (1e18) — the Flopper is scale-free, so
 * the amounts are used as given; vow.t.sol's `rad(wad)` and `vat.mint(wad)` are rad.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RAY, WAD } from "../../src/math/fixed-point.js";
import { applyTransfers, type FlipHoldings } from "../../src/venues/maker-flip.js";
import {
  deal,
  dent,
  EMPTY_VOW,
  type FlopAuction,
  type FlopperParams,
  type FlopResult,
  type FlopVersion,
  fess,
  flapLot,
  flog,
  flop,
  heal,
  kick,
  kiss,
  MKR_MINT,
  tick,
  type VowParams,
  type VowState,
  yank,
} from "../../src/venues/maker-flop.js";
import { isVenueRevert } from "../../src/venues/revert.js";

const reverts = (reason: string) => (e: unknown) => isVenueRevert(e, "maker") && e.reason === reason;
const ether = (x: number): bigint => BigInt(x) * WAD;
const rad = (wad: bigint): bigint => wad * RAY;
const HOUR = 3_600n;
const DAY = 24n * HOUR;
const T0 = 604_411_200n; // hevm.warp in setUp
/** The Flopper's defaults (dss `flop.sol`): beg 5 %, pad 50 %, ttl 3 h, tau 2 days. */
const flopper = (version: FlopVersion): FlopperParams => ({
  beg: (105n * WAD) / 100n,
  pad: (150n * WAD) / 100n,
  ttl: 3n * HOUR,
  tau: 2n * DAY,
  version,
});

/** DAI (`dai`) and MKR (`gem`) by name, moved by each call's transfers. */
class Ledger {
  holdings: Record<string, FlipHoldings> = {
    ali: { dai: ether(200), gem: 0n },
    bob: { dai: ether(200), gem: 0n },
  };
  apply(r: FlopResult): FlopAuction | null {
    this.holdings = applyTransfers(this.holdings, r.transfers);
    return r.auction;
  }
  dai = (who: string) => this.holdings[who]?.dai ?? 0n;
  mkr = (who: string) => this.holdings[who]?.gem ?? 0n;
  /** MKR total supply: what the mint has issued. */
  supply = () => -this.mkr(MKR_MINT);
}

for (const version of ["1.0", "1.2"] as const) {
  const p = flopper(version);
  const kick200 = (bid = ether(10)) => kick(p, { gal: "gal", lot: ether(200), bid, now: T0 });
  describe(`Flopper ${version} (dss src/test/flop.t.sol @ ${version === "1.0" ? "1.0.4" : "1.2.0"})`, () => {
    it("test_kick: lot 200, bid 5000, guy = gal, tic 0, end = now + tau; nothing moves", () => {
      assert.deepEqual(kick200(ether(5000)), {
        bid: ether(5000),
        lot: ether(200),
        guy: "gal",
        tic: 0n,
        end: T0 + 2n * DAY,
      });
    });

    it("test_dent: ali 100 pays gal 10; bob 80 refunds ali; after 5 weeks deal mints bob's 80 MKR", () => {
      const v = new Ledger();
      let a: FlopAuction | null = kick200();
      const first = dent(p, a, { guy: "ali", lot: ether(100), bid: ether(10), now: T0, ash: ether(10) });
      a = v.apply(first);
      assert.equal(v.dai("ali"), ether(190));
      assert.equal(v.dai("gal"), ether(10));
      // 1.2: the first dent kisses min(bid, Ash) = 10, so gal's Ash goes to 0; 1.0 leaves Ash alone
      assert.equal(first.kiss, version === "1.2" ? ether(10) : 0n);
      const second = dent(p, a, { guy: "bob", lot: ether(80), bid: ether(10), now: T0, ash: 0n });
      a = v.apply(second);
      assert.equal(second.kiss, 0n);
      assert.equal(v.dai("bob"), ether(190));
      assert.equal(v.dai("ali"), ether(200));
      assert.equal(v.dai("gal"), ether(10));
      assert.equal(v.supply(), 0n);
      a = v.apply(deal(p, a, T0 + 35n * DAY));
      assert.equal(a, null);
      assert.equal(v.supply(), ether(80));
      assert.equal(v.mkr("bob"), ether(80));
    });

    if (version === "1.2") {
      it("test_dent_Ash_less_than_bid: gal kissed 1 (Ash 9); the first dent kisses 9, not 10", () => {
        const r = dent(p, kick200(), { guy: "ali", lot: ether(100), bid: ether(10), now: T0, ash: ether(9) });
        assert.equal(r.kiss, ether(9));
        assert.equal(ether(9) - r.kiss, 0n);
      });

      it("test_dent_same_bidder: ali bids 200 with 200 DAI, then again with 0 DAI left", () => {
        const v = new Ledger();
        let a = v.apply(
          dent(p, kick200(ether(200)), { guy: "ali", lot: ether(100), bid: ether(200), now: T0 }),
        );
        assert.equal(v.dai("ali"), 0n);
        const again = dent(p, a, { guy: "ali", lot: ether(50), bid: ether(200), now: T0 });
        assert.equal(again.daiNeeded, 0n);
        a = v.apply(again);
        assert.equal(v.dai("ali"), 0n);
        assert.equal(a?.lot, ether(50));
      });
    } else {
      it("1.0: an overbid of oneself still moves the bid (needs it in the Vat), as PR #110 later fixed", () => {
        const a = dent(p, kick200(ether(200)), {
          guy: "ali",
          lot: ether(100),
          bid: ether(200),
          now: T0,
        }).auction;
        const again = dent(p, a, { guy: "ali", lot: ether(50), bid: ether(200), now: T0 });
        assert.equal(again.daiNeeded, ether(200));
        assert.deepEqual(again.transfers, [{ asset: "dai", from: "ali", to: "ali", amount: ether(200) }]);
      });
    }

    it("test_tick: no tick before the end; after 2 weeks dent fails, tick makes the lot 300 (pad 1.5) and dent passes", () => {
      const a = kick200();
      assert.throws(() => tick(p, a, T0), reverts("Flopper/not-finished"));
      const late = T0 + 14n * DAY;
      assert.throws(
        () => dent(p, a, { guy: "ali", lot: ether(100), bid: ether(10), now: late }),
        reverts("Flopper/already-finished-end"),
      );
      const ticked = tick(p, a, late);
      assert.equal(ticked?.lot, ether(300));
      assert.equal(ticked?.end, late + 2n * DAY);
      assert.equal(
        dent(p, ticked, { guy: "ali", lot: ether(100), bid: ether(10), now: late }).auction?.guy,
        "ali",
      );
    });

    it("test_no_deal_after_end: an auction nobody bid on never deals, it ticks", () => {
      const a = kick200();
      assert.throws(() => deal(p, a, T0), reverts("Flopper/not-finished"));
      const late = T0 + 14n * DAY;
      assert.throws(() => deal(p, a, late), reverts("Flopper/not-finished"));
      const ticked = tick(p, a, late);
      assert.throws(() => deal(p, ticked, late), reverts("Flopper/not-finished"));
    });

    it("test_yank: after cage, bob (high bidder) gets his 10 back by suck; gal keeps 10 and gets 10 of sin", () => {
      const v = new Ledger();
      let a: FlopAuction | null = kick200();
      a = v.apply(dent(p, a, { guy: "ali", lot: ether(100), bid: ether(10), now: T0, ash: ether(10) }));
      a = v.apply(dent(p, a, { guy: "bob", lot: ether(80), bid: ether(10), now: T0 }));
      assert.equal(v.dai("bob"), ether(190));
      assert.equal(v.dai("gal"), ether(10));
      assert.throws(() => yank(a, true), reverts("Flopper/still-live"));
      assert.throws(
        () => dent(p, a, { guy: "ali", lot: ether(50), bid: ether(10), now: T0, live: false }),
        reverts("Flopper/not-live"),
      );
      const r = yank(a, false);
      assert.equal(r.auction, null);
      assert.equal(r.sucked, ether(10));
      assert.equal(v.dai("bob") + r.sucked, ether(200));
      assert.equal(v.dai("ali"), ether(200));
      assert.equal(v.dai("gal"), ether(10));
    });

    it("test_yank_no_bids: the high bidder is gal itself: it gets 10 DAI and 10 of sin", () => {
      const r = yank(kick200(), false);
      assert.equal(r.sucked, ether(10));
      assert.throws(() => yank(null, false), reverts("Flopper/guy-not-set"));
    });
  });
}

/** vow.t.sol's set-up: bump 100, sump 100 (rad), dump 200 (wad), wait 0, hump 0. */
const vowParams: VowParams = {
  wait: 0n,
  dump: ether(200),
  sump: rad(ether(100)),
  bump: rad(ether(100)),
  hump: 0n,
};
/** vow.t.sol `flog(wad)`: `fess(rad(wad))`, `vat.suck(vow, 0, rad(wad))` (Awe += rad), `flog(now)`. */
const flogged = (wad: number, vow: VowState = EMPTY_VOW, params = vowParams): VowState =>
  flog(params, fess(vow, { tab: rad(ether(wad)), now: T0, grab: true }), { era: T0, now: T0 });
/** `vat.mint(vow, wad)`: DAI into the Vow. */
const mint = (vow: VowState, wad: number): VowState => ({ ...vow, joy: vow.joy + rad(ether(wad)) });

for (const version of ["1.0", "1.2"] as const) {
  const p = flopper(version);
  const canFlop = (vow: VowState) => flop(vowParams, p, vow, { now: T0 });
  describe(`Vow with the ${version} Flopper (dss src/test/vow.t.sol @ ${version === "1.0" ? "1.0.4" : "1.2.0"})`, () => {
    it("test_flog_wait: wait 100 s — fess 100 at t; flog fails at t + 99, passes at t + 100", () => {
      const params = { ...vowParams, wait: 100n };
      const vow = fess(EMPTY_VOW, { tab: ether(100), now: T0 });
      assert.equal(vow.Sin, ether(100));
      assert.throws(() => flog(params, vow, { era: T0, now: T0 + 99n }), reverts("Vow/wait-not-finished"));
      const after = flog(params, vow, { era: T0, now: T0 + 100n });
      assert.equal(after.Sin, 0n);
      assert.deepEqual(after.queue, {});
    });

    it("test_no_reflop: Woe 100 = sump: one flop, then Vow/insufficient-debt", () => {
      const { vow, auction } = canFlop(flogged(100));
      assert.equal(vow.Ash, rad(ether(100)));
      assert.deepEqual(auction, {
        bid: rad(ether(100)),
        lot: ether(200),
        guy: "vow",
        tic: 0n,
        end: T0 + 2n * DAY,
      });
      assert.throws(() => canFlop(vow), reverts("Vow/insufficient-debt"));
    });

    it("test_no_flop_pending_joy: Woe 200, Joy 100 — no flop (surplus-not-zero) until heal 100", () => {
      const vow = mint(flogged(200), 100);
      assert.throws(() => canFlop(vow), reverts("Vow/surplus-not-zero"));
      const healed = heal(vow, rad(ether(100)));
      assert.equal(healed.joy, 0n);
      assert.equal(healed.awe, rad(ether(100)));
      assert.equal(canFlop(healed).vow.Ash, rad(ether(100)));
    });

    it("test_flap: Joy 100 ≥ Awe 0 + bump 100 + hump 0 and Woe 0 → flap", () => {
      assert.equal(flapLot(vowParams, mint(EMPTY_VOW, 100)), rad(ether(100)));
    });

    it("test_no_flap_pending_sin / test_no_flap_nonzero_woe: bump 0, Woe 100, Joy 50 → no flap", () => {
      const params = { ...vowParams, bump: 0n };
      assert.throws(
        () => flapLot(params, mint(flogged(100, EMPTY_VOW, params), 50)),
        reverts("Vow/insufficient-surplus"),
      );
    });

    it("test_no_flap_pending_flop: flog 100, flop, Joy 100 → no flap", () => {
      const { vow } = canFlop(flogged(100));
      assert.throws(() => flapLot(vowParams, mint(vow, 100)), reverts("Vow/insufficient-surplus"));
    });

    it("test_no_flap_pending_heal / test_no_surplus_after_good_flop: a dent of lot 0 for 100 pays the Vow; still no flap", () => {
      const { vow, auction } = canFlop(flogged(100));
      const r = dent(p, auction, { guy: "me", lot: 0n, bid: rad(ether(100)), now: T0, ash: vow.Ash });
      let after = mint(vow, 100); // the bid arrives in the Vow
      if (r.kiss > 0n) after = kiss(after, r.kiss);
      // 1.0: Joy 100 against Awe 100 + bump 100; 1.2: kissed to Joy 0, Awe 0, still short of bump
      assert.equal(after.joy, version === "1.0" ? rad(ether(100)) : 0n);
      assert.equal(after.Ash, version === "1.0" ? rad(ether(100)) : 0n);
      assert.throws(() => flapLot(vowParams, after), reverts("Vow/insufficient-surplus"));
    });

    it("test_multiple_flop_dents: dents to 2 MKR, then to 1 MKR, both pass", () => {
      const { vow, auction } = canFlop(flogged(100));
      const a = dent(p, auction, {
        guy: "me",
        lot: ether(2),
        bid: rad(ether(100)),
        now: T0,
        ash: vow.Ash,
      }).auction;
      assert.equal(
        dent(p, a, { guy: "me", lot: ether(1), bid: rad(ether(100)), now: T0 }).auction?.lot,
        ether(1),
      );
    });
  });
}

describe("Vow and Flopper refusals", () => {
  const p = flopper("1.2");
  it("heal beyond Joy or Woe, kiss beyond Ash, a dent that does not lower the lot by beg", () => {
    const vow = mint(flogged(100), 50);
    assert.throws(() => heal(vow, rad(ether(60))), reverts("Vow/insufficient-surplus"));
    assert.throws(() => heal(mint(vow, 100), rad(ether(120))), reverts("Vow/insufficient-debt"));
    assert.throws(() => kiss(vow, 1n), reverts("Vow/not-enough-ash"));
    const a = kick(p, { gal: "vow", lot: ether(100), bid: ether(1), now: T0 });
    assert.throws(
      () => dent(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }),
      reverts("Flopper/lot-not-lower"),
    );
    assert.throws(
      () => dent(p, a, { guy: "ali", lot: ether(96), bid: ether(1), now: T0 }),
      reverts("Flopper/insufficient-decrease"),
    );
    assert.throws(
      () => dent(p, a, { guy: "ali", lot: ether(95), bid: ether(2), now: T0 }),
      reverts("Flopper/not-matching-bid"),
    );
    assert.throws(
      () => dent(p, null, { guy: "ali", lot: 0n, bid: 0n, now: T0 }),
      reverts("Flopper/guy-not-set"),
    );
    const bid = dent(p, a, { guy: "ali", lot: ether(95), bid: ether(1), now: T0 }).auction;
    assert.throws(
      () => dent(p, bid, { guy: "bob", lot: ether(90), bid: ether(1), now: T0 + 3n * HOUR }),
      reverts("Flopper/already-finished-tic"),
    );
    assert.throws(() => tick(p, bid, T0 + 3n * DAY), reverts("Flopper/bid-already-placed"));
    assert.throws(() => deal(p, bid, T0 + 4n * HOUR, false), reverts("Flopper/not-live"));
  });
});

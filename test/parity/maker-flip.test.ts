/**
 * Maker collateral auctions before Liquidations 2.0 (dss Cat + Flipper, src/venues/maker-flip.ts)
 * against dss's own tests. Numbers re-typed as facts; dss is AGPL-3.0 and no code is copied.
 * - makerdao/dss `src/test/flip.t.sol` @ 44330065999621834b08de1edf3b962f6bbd74c6 (tag 1.0.4, the
 *   release live on 2020-03-12) and @ 36dab5c9fdce4fc36812e4fd8228be3beb18774d (tag 1.2.0,
 *   Liquidations 1.2): `test_kick`, `testFail_tend_empty`, `test_tend`, `test_tend_later`,
 *   `test_dent`, `test_tend_dent_same_bidder` (1.2 only), `test_beg`, `test_deal`, `test_tick`,
 *   `test_no_deal_after_end`, `test_yank_tend`, `test_yank_dent`;
 * - makerdao/dss `src/test/vat.t.sol` `BiteTest` at the same two commits: 1.0.4 `test_bite_under_lump`,
 *   `test_bite_over_lump`, `test_happy_bite`; 1.2.0 `test_bite_under_dunk`, `test_bite_over_dunk`,
 *   `test_happy_bite`, `test_partial_litterbox*`, `testFail_fill_litterbox`, `testFail_dusty_litterbox`,
 *   `testFail_null_auctions_*`, `testFail_null_spot_value`, `testFail_vault_is_safe`.
 * dss's `testFail_*` only assert that the call reverts; the reason named here follows from the contract's
 * `require` order. flip.t.sol writes DAI amounts as `ether` (1e18 raw units) — the Flipper is scale-free,
 * so they are used as given.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { RAD, RAY, rpow, WAD } from "../../src/math/fixed-point.js";
import type { VatIlk } from "../../src/venues/maker-clip.js";
import {
  bite,
  type CatIlk,
  deal,
  dent,
  type FlipHoldings,
  type FlipperParams,
  type FlipVersion,
  kick,
  tend,
  tick,
  yank,
} from "../../src/venues/maker-flip.js";
import { makerFlipReport, readMakerFlipDocument } from "../../src/venues/mechanisms/maker-flip.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { FlipLedger } from "../helpers/flip-ledger.js";

const reverts = (reason: string) => (e: unknown) => isVenueRevert(e, "maker") && e.reason === reason;
const ether = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n; // exact for ≤ 6 decimals
const ray = (wad: bigint): bigint => wad * 10n ** 9n;
const rad = (wad: bigint): bigint => wad * 10n ** 27n;
const HOUR = 3_600n;
const DAY = 24n * HOUR;
const T0 = 604_411_200n; // hevm.warp in setUp
/** The Flipper's defaults: beg 5 %, ttl 3 h, tau 2 days. */
const flipper = (version: FlipVersion): FlipperParams => ({
  beg: ether(1.05),
  ttl: 3n * HOUR,
  tau: 2n * DAY,
  version,
});

const setUp = () =>
  new FlipLedger({
    me: { dai: 0n, gem: ether(1000) },
    ali: { dai: ether(200), gem: 0n },
    bob: { dai: ether(200), gem: 0n },
  });
const kick100 = (p: FlipperParams, tab = ether(50), now = T0) =>
  kick(p, { usr: "usr", gal: "gal", tab, lot: ether(100), bid: 0n, now, kicker: "me" });

for (const version of ["1.0", "1.2"] as const) {
  const p = flipper(version);
  describe(`Flipper ${version} (dss src/test/flip.t.sol @ ${version === "1.0" ? "1.0.4" : "1.2.0"})`, () => {
    it("test_kick: lot 100 moves to the Flipper, end = now + tau, guy = kicker, no bid yet", () => {
      const v = setUp();
      const a = v.apply(kick100(p));
      assert.deepEqual(a, {
        bid: 0n,
        lot: ether(100),
        guy: "me",
        tic: 0n,
        end: T0 + 2n * DAY,
        usr: "usr",
        gal: "gal",
        tab: ether(50),
      });
      assert.equal(v.gem("me"), ether(900));
      assert.equal(v.gem("flipper"), ether(100));
    });

    it("testFail_tend_empty: no auction → Flipper/guy-not-set", () => {
      assert.throws(
        () => tend(p, null, { guy: "ali", lot: 0n, bid: 0n, now: T0 }),
        reverts("Flipper/guy-not-set"),
      );
    });

    it("test_tend: ali 1 (gal 1), bob 2 (ali refunded, gal 2); bob deals after 5 h and gets the 100", () => {
      const v = setUp();
      let a = v.apply(kick100(p));
      a = v.apply(tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }));
      assert.equal(v.dai("ali"), ether(199));
      assert.equal(v.dai("gal"), ether(1));
      a = v.apply(tend(p, a, { guy: "bob", lot: ether(100), bid: ether(2), now: T0 }));
      assert.equal(v.dai("bob"), ether(198));
      assert.equal(v.dai("ali"), ether(200));
      assert.equal(v.dai("gal"), ether(2));
      assert.equal(a?.tic, T0 + 3n * HOUR);
      a = v.apply(deal(p, a, T0 + 5n * HOUR));
      assert.equal(a, null);
      assert.equal(v.gem("bob"), ether(100));
    });

    it("test_tend_later: a first bid 5 h after kick is accepted", () => {
      const v = setUp();
      const a = v.apply(kick100(p));
      v.apply(tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 + 5n * HOUR }));
      assert.equal(v.dai("ali"), ether(199));
      assert.equal(v.dai("gal"), ether(1));
    });

    it("test_dent: ali 1, bob 50 (= tab), ali dents to 95: usr gets 5, ali paid 50, bob refunded", () => {
      const v = setUp();
      let a = v.apply(kick100(p));
      a = v.apply(tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }));
      a = v.apply(tend(p, a, { guy: "bob", lot: ether(100), bid: ether(50), now: T0 }));
      a = v.apply(dent(p, a, { guy: "ali", lot: ether(95), bid: ether(50), now: T0 }));
      assert.equal(v.gem("usr"), ether(5));
      assert.equal(v.dai("ali"), ether(150));
      assert.equal(v.dai("bob"), ether(200));
      assert.equal(a?.lot, ether(95));
    });

    it("test_beg: beg 1.05 — 1.01 after 1 fails (also for the high bidder), 1.07 passes, 49 → 50 = tab passes; dent 100 and 99 fail, 95 passes", () => {
      let a = kick100(p).auction;
      const bidAt = (guy: string, bid: number) =>
        tend(p, a, { guy, lot: ether(100), bid: ether(bid), now: T0 });
      a = bidAt("ali", 1).auction;
      assert.throws(() => bidAt("bob", 1.01), reverts("Flipper/insufficient-increase"));
      assert.throws(() => bidAt("ali", 1.01), reverts("Flipper/insufficient-increase"));
      a = bidAt("bob", 1.07).auction;
      a = bidAt("ali", 49).auction;
      a = bidAt("bob", 50).auction;
      const dentAt = (lot: number) => dent(p, a, { guy: "ali", lot: ether(lot), bid: ether(50), now: T0 });
      assert.throws(() => dentAt(100), reverts("Flipper/lot-not-lower"));
      assert.throws(() => dentAt(99), reverts("Flipper/insufficient-decrease"));
      assert.equal(dentAt(95).auction?.lot, ether(95));
    });

    it("test_deal: not right after a bid, yes after 4.1 h (ttl 3 h); a bid at 44 h of a 48 h auction deals only after the end", () => {
      let a = kick100(p).auction;
      a = tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }).auction;
      assert.throws(() => deal(p, a, T0), reverts("Flipper/not-finished"));
      const t1 = T0 + 14_760n; // 4.1 hours
      assert.equal(deal(p, a, t1).auction, null);
      let ie = kick100(p, ether(50), t1).auction;
      const t2 = t1 + 44n * HOUR;
      ie = tend(p, ie, { guy: "ali", lot: ether(100), bid: ether(1), now: t2 }).auction;
      assert.throws(() => deal(p, ie, t2), reverts("Flipper/not-finished"));
      assert.equal(deal(p, ie, t2 + DAY).auction, null);
    });

    it("test_tick: no tick before the end; after 2 weeks tend fails until tick restarts the auction", () => {
      const a = kick100(p).auction;
      assert.throws(() => tick(p, a, T0), reverts("Flipper/not-finished"));
      const late = T0 + 14n * DAY;
      assert.throws(
        () => tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: late }),
        reverts("Flipper/already-finished-end"),
      );
      const ticked = tick(p, a, late).auction;
      assert.equal(ticked?.end, late + 2n * DAY);
      assert.equal(
        tend(p, ticked, { guy: "ali", lot: ether(100), bid: ether(1), now: late }).auction?.guy,
        "ali",
      );
    });

    it("test_no_deal_after_end: an auction nobody bid on never deals, it ticks", () => {
      const a = kick100(p).auction;
      assert.throws(() => deal(p, a, T0), reverts("Flipper/not-finished"));
      const late = T0 + 14n * DAY;
      assert.throws(() => deal(p, a, late), reverts("Flipper/not-finished"));
      const ticked = tick(p, a, late).auction;
      assert.throws(() => deal(p, ticked, late), reverts("Flipper/not-finished"));
    });

    it("test_yank_tend: the End takes the lot and refunds the high bidder; 1.2 releases tab from litter", () => {
      const v = setUp();
      const tab = version === "1.2" ? rad(ether(50)) : ether(50);
      let a = v.apply(kick100(p, tab));
      a = v.apply(tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }));
      assert.equal(v.dai("ali"), ether(199));
      assert.equal(v.dai("gal"), ether(1));
      v.mint("me", ether(1));
      const r = yank(p, a, "me");
      v.apply(r);
      assert.equal(v.dai("ali"), ether(200));
      assert.equal(v.dai("me"), 0n);
      assert.equal(v.gem("me"), ether(1000));
      const litter = 5_000_000n * RAD;
      assert.equal(litter - r.clawed, version === "1.2" ? litter - rad(ether(50)) : litter);
    });

    it("test_yank_dent: no yank in the dent phase (Flipper/already-dent-phase)", () => {
      let a = kick100(p).auction;
      a = tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }).auction;
      a = tend(p, a, { guy: "bob", lot: ether(100), bid: ether(50), now: T0 }).auction;
      a = dent(p, a, { guy: "ali", lot: ether(95), bid: ether(50), now: T0 }).auction;
      assert.throws(() => yank(p, a), reverts("Flipper/already-dent-phase"));
    });

    it(`test_tend_dent_same_bidder: with 200, ali bids 190 then 200 then dents to 80 — ${version === "1.2" ? "passes" : "needs 190 free DAI in 1.0 (the bug 1.2 fixed)"}`, () => {
      const v = setUp();
      let a = v.apply(kick100(p, ether(200)));
      const first = tend(p, a, { guy: "ali", lot: ether(100), bid: ether(190), now: T0 });
      assert.equal(first.daiNeeded, ether(190));
      a = v.apply(first);
      assert.equal(v.dai("ali"), ether(10));
      const second = tend(p, a, { guy: "ali", lot: ether(100), bid: ether(200), now: T0 });
      // dss 1.0 moves the old bid from ali to ali first, which needs 190 in ali's Vat balance.
      assert.equal(second.daiNeeded, version === "1.2" ? ether(10) : ether(190));
      a = v.apply(second);
      assert.equal(v.dai("ali"), 0n);
      const third = dent(p, a, { guy: "ali", lot: ether(80), bid: ether(200), now: T0 });
      assert.equal(third.daiNeeded, version === "1.2" ? 0n : ether(200));
      v.apply(third);
      assert.equal(v.dai("ali"), 0n);
      assert.equal(v.gem("usr"), ether(20));
    });
  });
}

describe("tend/deal edge: at now = tic the auction can be neither bid on nor dealt (both comparisons strict)", () => {
  it("tend reverts already-finished-tic and deal not-finished at tic; deal passes one second later", () => {
    const p = flipper("1.0");
    let a = kick100(p).auction;
    a = tend(p, a, { guy: "ali", lot: ether(100), bid: ether(1), now: T0 }).auction;
    const tic = T0 + 3n * HOUR;
    assert.throws(
      () => tend(p, a, { guy: "bob", lot: ether(100), bid: ether(2), now: tic }),
      reverts("Flipper/already-finished-tic"),
    );
    assert.throws(() => deal(p, a, tic), reverts("Flipper/not-finished"));
    assert.equal(deal(p, a, tic + 1n).auction, null);
  });
});

// --- Cat.bite (dss src/test/vat.t.sol BiteTest) --------------------------------------------------

/**
 * The set-up of the tests that auction a bite, as in vat.t.sol: the vault owner `me` (holding `me`)
 * kicks the bitten lot for the bite's tab to the Vow and bids 1 DAI (rad) on the whole lot.
 */
function bidOneOnBite(p: FlipperParams, b: { tab: bigint; dink: bigint }, me: FlipHoldings) {
  const v = new FlipLedger({ me });
  const kicked = v.apply(kick(p, { usr: "me", gal: "vow", tab: b.tab, lot: b.dink, now: T0 }));
  const a = v.apply(tend(p, kicked, { guy: "me", lot: b.dink, bid: rad(ether(1)), now: T0 }));
  return { v, a };
}

/** A bite's outcome, in whole units: the vault left (ink, art), the debt to the Vow (due), the lot (dink) and the tab. */
function assertBite(
  r: ReturnType<typeof bite>,
  want: { readonly left: readonly [number, number]; due: number; dink: number; tab: number },
): void {
  assert.deepEqual(r.urn, { ink: ether(want.left[0]), art: ether(want.left[1]) });
  assert.equal(r.due, rad(ether(want.due)));
  assert.equal(r.dink, ether(want.dink));
  assert.equal(r.tab, rad(ether(want.tab)));
}

const vault = { ink: ether(40), art: ether(100) };
/**
 * vat.t.sol's outcomes of biting `vault` at chop 1.1, the same in 1.0 (lump) and 1.2 (dunk): a cap
 * above the tab takes the whole vault; a cap of 82.5 DAI (1.0: lump 30 collateral) takes 30 of 40.
 */
const UNDER_CAP = { left: [0, 0], due: 100, dink: 40, tab: 110 } as const;
const OVER_CAP = { left: [10, 25], due: 75, dink: 30, tab: 82.5 } as const;
const spot2: VatIlk = { rate: RAY, spot: ray(ether(2)), dust: 0n };

describe("Cat 1.0 bite (dss src/test/vat.t.sol BiteTest @ 1.0.4)", () => {
  const cat = (lump: bigint, chop = ray(ether(1.1))): CatIlk => ({ version: "1.0", chop, lump });

  it("test_bite_under_lump: lump 50 → the whole vault, 100 DAI to the Vow, lot 40, tab 110", () => {
    assertBite(bite({ urn: vault, vatIlk: spot2, catIlk: cat(ether(50)) }), UNDER_CAP);
  });

  it("test_bite_over_lump: lump 30 → vault left 10/25, 75 DAI to the Vow, lot 30, tab 82.5", () => {
    assertBite(bite({ urn: vault, vatIlk: spot2, catIlk: cat(ether(30)) }), OVER_CAP);
  });

  it("test_happy_bite: chop 1, lump 100 → tab 100; tend 1, tend 100, dent 38 (2 back to the owner), deal after 4 h; the Vow gets 100", () => {
    const p = flipper("1.0");
    const b = bite({ urn: vault, vatIlk: spot2, catIlk: cat(ether(100), RAY) });
    assert.equal(b.tab, rad(ether(100)));
    // the vault drew 100 DAI; 1.0 refunds the old bid to the same bidder before taking the increase
    let { v, a } = bidOneOnBite(p, b, { dai: rad(ether(100)), gem: ether(960) });
    a = v.apply(tend(p, a, { guy: "me", lot: ether(40), bid: rad(ether(100)), now: T0 }));
    assert.equal(v.dai("me"), 0n);
    v.mint("me", rad(ether(100)));
    const d38 = dent(p, a, { guy: "me", lot: ether(38), bid: rad(ether(100)), now: T0 });
    assert.equal(d38.daiNeeded, rad(ether(100)));
    a = v.apply(d38);
    assert.equal(v.dai("me"), rad(ether(100)));
    assert.equal(v.gem("me"), ether(962));
    v.apply(deal(p, a, T0 + 4n * HOUR));
    assert.equal(v.dai("vow"), rad(ether(100)));
    assert.equal(v.gem("me"), ether(1000));
  });

  it("ink 0 with debt: Solidity's division by zero reverts without a reason (dss cat.sol 1.0 bite)", () => {
    assert.throws(
      () => bite({ urn: { ink: 0n, art: ether(1) }, vatIlk: spot2, catIlk: cat(ether(50)) }),
      reverts("division-by-zero"),
    );
  });
});

describe("Cat 1.2 bite with dunk, box and litter (dss src/test/vat.t.sol BiteTest @ 1.2.0)", () => {
  const cat = (dunk: bigint, chop = ether(1)): CatIlk => ({ version: "1.2", chop, dunk });
  const box10M = { box: rad(ether(10) * 1_000_000n), litter: 0n };

  it("test_bite_under_dunk: dunk 111, chop 1.1 → whole vault, lot 40, tab 110", () => {
    assertBite(
      bite({ urn: vault, vatIlk: spot2, catIlk: cat(rad(ether(111)), ether(1.1)), cat: box10M }),
      UNDER_CAP,
    );
  });

  it("test_bite_over_dunk: dunk 82.5 → vault left 10/25, lot 30, tab 82.5", () => {
    assertBite(
      bite({ urn: vault, vatIlk: spot2, catIlk: cat(rad(ether(82.5)), ether(1.1)), cat: box10M }),
      OVER_CAP,
    );
  });

  it("test_happy_bite: litter 0 → 110 after bite → 0 after deal; the Vow receives 110", () => {
    const p = flipper("1.2");
    const b = bite({ urn: vault, vatIlk: spot2, catIlk: cat(rad(ether(200)), ether(1.1)), cat: box10M });
    assert.equal(b.cat?.litter, rad(ether(110)));
    // the vault drew 100 DAI and the test mints 100 more
    let { v, a } = bidOneOnBite(p, b, { dai: rad(ether(200)), gem: ether(960) });
    a = v.apply(tend(p, a, { guy: "me", lot: ether(40), bid: rad(ether(110)), now: T0 }));
    assert.equal(v.dai("me"), rad(ether(90)));
    a = v.apply(dent(p, a, { guy: "me", lot: ether(38), bid: rad(ether(110)), now: T0 }));
    assert.equal(v.dai("me"), rad(ether(90)));
    assert.equal(v.gem("me"), ether(962));
    const d = deal(p, a, T0 + 4n * HOUR);
    v.apply(d);
    assert.equal((b.cat?.litter ?? 0n) - d.clawed, 0n);
    assert.equal(v.dai("vow"), rad(ether(110)));
  });

  const big = { ink: ether(100), art: ether(150) };
  const spot1: VatIlk = { rate: RAY, spot: ray(ether(1)), dust: 0n };
  const box75 = { box: rad(ether(75)), litter: 0n };

  it("test_partial_litterbox: box 75, dunk 100 → vault left 50/75, tab 75; tend 1, 75, dent 25, deal; the Vow gets 75", () => {
    const p = flipper("1.2");
    const b = bite({ urn: big, vatIlk: spot1, catIlk: cat(rad(ether(100))), cat: box75 });
    assert.deepEqual(b.urn, { ink: ether(50), art: ether(75) });
    assert.equal(b.due, rad(ether(75)));
    assert.equal(b.cat?.litter, rad(ether(75)));
    let { v, a } = bidOneOnBite(p, b, { dai: rad(ether(150)), gem: ether(900) });
    assert.equal(v.dai("me"), rad(ether(149)));
    a = v.apply(tend(p, a, { guy: "me", lot: ether(50), bid: rad(ether(75)), now: T0 }));
    assert.equal(v.dai("me"), rad(ether(75)));
    a = v.apply(dent(p, a, { guy: "me", lot: ether(25), bid: rad(ether(75)), now: T0 }));
    assert.equal(v.gem("me"), ether(925));
    const d = deal(p, a, T0 + 4n * HOUR);
    v.apply(d);
    assert.equal(d.clawed, rad(ether(75)));
    assert.equal(v.gem("me"), ether(950));
    assert.equal(v.dai("vow"), rad(ether(75)));
  });

  it("test_partial_litterbox_realistic_values: 8 %/year for 10 days, chop 1.13 → box − litter < 1 ray, litter = tab", () => {
    const rate = rpow(1_000_000_002_440_418_608_258_400_030n, 10n * DAY);
    const b = bite({
      urn: big,
      vatIlk: { rate, spot: ray(ether(1)), dust: 0n },
      catIlk: cat(rad(ether(100)), ether(1.13)),
      cat: box75,
    });
    assert.ok(rad(ether(75)) - (b.cat?.litter ?? 0n) < RAY);
    assert.equal(b.cat?.litter, b.tab);
    const dart = (rad(ether(75)) * WAD) / rate / ether(1.13);
    assert.equal(b.dart, dart);
    assert.equal(b.dink, (ether(100) * dart) / ether(150));
    assert.equal(b.due, dart * rate);
  });

  it("testFail_fill_litterbox: a second bite with litter = box → Cat/liquidation-limit-hit", () => {
    const first = bite({ urn: big, vatIlk: spot1, catIlk: cat(rad(ether(100))), cat: box75 });
    assert.equal(first.cat?.litter, rad(ether(75)));
    assert.throws(
      () => bite({ urn: first.urn, vatIlk: spot1, catIlk: cat(rad(ether(100))), cat: first.cat ?? box75 }),
      reverts("Cat/liquidation-limit-hit"),
    );
  });

  it("testFail_dusty_litterbox: box 100, litter 80 + 1 wei, dust 20 → room below dust → Cat/liquidation-limit-hit", () => {
    const dusty: VatIlk = { rate: RAY, spot: ray(ether(1)), dust: rad(ether(20)) };
    const box = { box: rad(ether(100)), litter: 0n };
    const first = bite({
      urn: { ink: ether(50), art: ether(80) + 1n },
      vatIlk: dusty,
      catIlk: cat(rad(ether(100))),
      cat: box,
    });
    assert.equal(first.cat?.litter, rad(ether(80) + 1n));
    assert.deepEqual(first.urn, { ink: 0n, art: 0n });
    assert.throws(
      () => bite({ urn: big, vatIlk: dusty, catIlk: cat(rad(ether(100))), cat: first.cat ?? box }),
      reverts("Cat/liquidation-limit-hit"),
    );
  });

  it("test_partial_litterbox_multiple_bites: after the first auction deals, litter is 0 and the rest of the vault can be bitten", () => {
    const p = flipper("1.2");
    const first = bite({ urn: big, vatIlk: spot1, catIlk: cat(rad(ether(100))), cat: box75 });
    let a = kick(p, { usr: "me", gal: "vow", tab: first.tab, lot: first.dink, now: T0 }).auction;
    a = tend(p, a, { guy: "me", lot: ether(50), bid: rad(ether(75)), now: T0 }).auction;
    const d = deal(p, a, T0 + 4n * HOUR);
    const litter = (first.cat?.litter ?? 0n) - d.clawed;
    assert.equal(litter, 0n);
    const second = bite({
      urn: first.urn,
      vatIlk: spot1,
      catIlk: cat(rad(ether(100))),
      cat: { box: box75.box, litter },
    });
    assert.deepEqual(second.urn, { ink: 0n, art: 0n });
    assert.equal(second.cat?.litter, rad(ether(75)));
    assert.equal(second.dink, ether(50));
  });

  const secondBiteCases = [
    {
      name: "testFail_null_auctions_dart_realistic_values: rate 1.25, box 1,130 + 1, dust 100 → room 1 < dust → Cat/liquidation-limit-hit",
      vat: { rate: (125n * RAY) / 100n, spot: ray(ether(1)), dust: rad(ether(100)) },
      urn: { ink: ether(800), art: ether(2000) },
      tab: rad(ether(1130)),
      room: 1n,
      reason: "Cat/liquidation-limit-hit",
    },
    {
      name: "testFail_null_auctions_dart_artificial_values: dust 0, room 2 → dart 0 → Cat/null-auction",
      vat: spot1,
      urn: { ink: ether(100), art: ether(200) },
      tab: rad(ether(113)),
      room: 2n,
      reason: "Cat/null-auction",
    },
  ];
  for (const k of secondBiteCases)
    it(k.name, () => {
      const c = cat(k.tab, ether(1.13));
      const box = { box: k.tab + k.room, litter: 0n };
      const first = bite({ urn: k.urn, vatIlk: k.vat, catIlk: c, cat: box });
      assert.equal(first.cat?.litter, k.tab);
      assert.throws(
        () => bite({ urn: first.urn, vatIlk: k.vat, catIlk: c, cat: first.cat ?? box }),
        reverts(k.reason),
      );
    });

  it("testFail_null_auctions_dink_artificial_values: 1 wei of ink → dink 0 → Cat/null-auction", () => {
    assert.throws(
      () =>
        bite({
          urn: { ink: 1n, art: ether(100) },
          vatIlk: { rate: RAY, spot: 1n, dust: 0n },
          catIlk: cat(rad(ether(50))),
          cat: box10M,
        }),
      reverts("Cat/null-auction"),
    );
  });

  it("testFail_null_auctions_dink_artificial_values_2: dunk rad(100) by mistake → dart 100, dink 0 → Cat/null-auction", () => {
    assert.throws(
      () =>
        bite({
          urn: { ink: ether(10), art: ether(15000) },
          vatIlk: { rate: RAY, spot: ray(ether(1000)), dust: 0n },
          catIlk: cat(rad(100n)),
          cat: { box: rad(ether(1_000_000)), litter: 0n },
        }),
      reverts("Cat/null-auction"),
    );
  });

  it("testFail_null_spot_value and testFail_vault_is_safe → Cat/not-unsafe", () => {
    for (const spot of [0n, ray(ether(2.5))])
      assert.throws(
        () =>
          bite({ urn: big, vatIlk: { rate: RAY, spot, dust: 0n }, catIlk: cat(rad(ether(75))), cat: box10M }),
        reverts("Cat/not-unsafe"),
      );
  });

  it("a caged Cat → Cat/not-live; litter above box (box lowered) → a reasonless underflow revert", () => {
    assert.throws(
      () => bite({ urn: big, vatIlk: spot1, catIlk: cat(rad(ether(75))), cat: box10M, live: false }),
      reverts("Cat/not-live"),
    );
    assert.throws(
      () => bite({ urn: big, vatIlk: spot1, catIlk: cat(rad(ether(75))), cat: { box: 1n, litter: 2n } }),
      reverts("arithmetic-underflow"),
    );
  });
});

describe("mechanism maker-flip (makerFlipReport) on dss src/test/flip.t.sol test_dent", () => {
  it("tab 50, lot 100: ali 1, bob 50, ali dents to 95 → 5 back to the owner, bob refunded, ali wins 95 for 50 after ttl", () => {
    const r = makerFlipReport({
      flipper: { version: "1.0" },
      kick: { tab: 50, lot: 100, at: Number(T0), usr: "usr", gal: "gal" },
      actions: [
        { keeper: "ali", action: "tend", at: Number(T0), bid: 1 },
        { keeper: "bob", action: "tend", at: Number(T0), bid: 50 },
        { keeper: "ali", action: "dent", at: Number(T0), lot: 95 },
        { keeper: "ali", action: "deal", at: Number(T0 + 3n * HOUR) },
        { keeper: "ali", action: "deal", at: Number(T0 + 3n * HOUR + 1n) },
      ],
    });
    assert.deepEqual(
      r.steps.map((s) => [s.paid, s.refunded, s.toGal, s.returnedToOwner, s.won, s.revert?.reason ?? null]),
      [
        ["1", "0", "1", "0", "0", null],
        ["50", "1", "49", "0", "0", null],
        ["50", "50", "0", "5", "0", null],
        ["0", "0", "0", "0", "0", "Flipper/not-finished"],
        ["0", "0", "0", "0", "95", null],
      ],
    );
    assert.deepEqual(r.totals, {
      raised: "50",
      won: "95",
      returnedToOwner: "5",
      uncoveredTab: "0",
      winner: "ali",
    });
  });
});

describe("readMakerFlipDocument: times beyond dss's uint48 are refused naming the field", () => {
  const doc = (kickAt: number, actionAt: number) => ({
    flipper: { version: "1.2" },
    kick: { tab: 1, lot: 1, at: kickAt },
    actions: [{ action: "deal", at: actionAt }],
  });
  for (const [what, d, field] of [
    ["kick.at", doc(2 ** 48, 2 ** 48), "kick.at"],
    ["actions[0].at", doc(0, 2 ** 48), "actions[0].at"],
  ] as const)
    it(what, () => {
      assert.throws(
        () => readMakerFlipDocument(d),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    });
  it("2^48 − 1 is accepted", () => {
    assert.equal(readMakerFlipDocument(doc(0, 2 ** 48 - 1)).actions[0]?.at, 2n ** 48n - 1n);
  });
});

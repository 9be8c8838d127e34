/**
 * Maker Liquidations 2.0 (dss Dog, Clipper, Abacus) against published numbers.
 * Sources (numbers re-typed as facts; dss is AGPL-3.0 and no code is copied):
 * - research note /work/shared/research/mechanics.md §10.8 (abaci.t.sol and clip.t.sol setUp/kick vectors);
 * - makerdao/dss `src/test/abaci.t.sol` @ 1b9c09e0b877fac67c3e1a21bdcee9b1dd04f58f
 *   (`test_linear_decrease`, `test_continuous_exp_decrease`, `test_stairstep_exp_decrease`);
 * - makerdao/dss `src/test/clip.t.sol` @ 75cf04b20d49d7829d40c552208ce74284808024 (setUp, takeSetup,
 *   `test_kick`, `test_bark_not_leaving_dust*`, `test_partial_liquidation_*_limit`, `test_Hole_hole`,
 *   `test_take_*`, `test_auction_reset_*`, `test_stopped_*`, `test_redo_incentive`);
 * - makerdao/dss `src/test/dog.t.sol` @ 75cf04b20d49d7829d40c552208ce74284808024 (`test_bark_*`);
 * - Maker forum, ETH-B Liquidations 2.0 parameters (April 2021):
 *   https://forum.makerdao.com/t/eth-and-wbtc-vaults-liquidations-2-0-parameters/7628.
 * Tests marked "derived" compute numbers from the formulas; they are not published oracles.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { healthFactor } from "../../src/margin/lending.js";
import { RAD, RAY, WAD } from "../../src/math/fixed-point.js";
import {
  auctionPrice,
  bark,
  barkAndKick,
  type ClipperParams,
  chostOf,
  type DogGlobal,
  type DogIlk,
  ETH_B_APRIL_2021,
  ethBExampleClipper,
  exponentialDecreasePrice,
  feedPriceFromOsm,
  kick,
  linearDecreasePrice,
  liquidationPrice,
  type PriceCurve,
  redo,
  type Sale,
  stairstepExponentialDecreasePrice,
  status,
  take,
  type VatIlk,
  validateDogIlk,
  validatePriceCurve,
  vaultLendingAccount,
} from "../../src/venues/maker-clip.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { assertNear } from "../helpers/close.js";

const reverts = (reason: string) => (e: unknown) => isVenueRevert(e, "maker") && e.reason === reason;
const ray = (wad: bigint): bigint => wad * 10n ** 9n; // clip.t.sol's ray()
const rad = (wad: bigint): bigint => wad * 10n ** 27n; // clip.t.sol's rad()
const ether = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n; // exact for ≤ 6 decimals

describe("Abacus price curves (dss src/test/abaci.t.sol)", () => {
  it("LinearDecrease: tau 3,600 s, top 1,000 → 1,000 − 100k at 360k s, 0 at 3,600 s (exact)", () => {
    const top = 1000n * RAY;
    assert.equal(linearDecreasePrice(top, 0n, 3600n), top);
    for (let k = 1n; k <= 9n; k++)
      assert.equal(linearDecreasePrice(top, 360n * k, 3600n), (1000n - 100n * k) * RAY);
    assert.equal(linearDecreasePrice(top, 3600n, 3600n), 0n);
    assert.equal(auctionPrice({ kind: "linear", tau: 3600n }, top, 3601n), 0n);
  });

  it("ExponentialDecrease: cut 0.999230132966 (half-life 900 s), top 4,000 → 4,000/2^i at 900·i s (±0.001)", () => {
    const cut = 999_230_132_966n * 10n ** 15n;
    const top = 4000n * RAY;
    let expected = top;
    for (let i = 0n; i < 5n; i++) {
      const price = exponentialDecreasePrice(top, i * 900n, cut);
      const diff = price > expected ? price - expected : expected - price;
      assert.ok(diff <= RAY / 1000n, `t = ${i * 900n}: ${price} vs ${expected}`);
      expected /= 2n;
    }
  });

  it("StairstepExponentialDecrease: drops by cut exactly at multiples of step, flat between (10 dss cases)", () => {
    // checkExpDecrease: for i in 1..599, expected = last·cut/RAY when i % step == 0 else last; tolerance
    // 1e8 for top $50M, 1 for top $1e-7.
    const cases: [bigint, bigint][] = [
      [RAY - 11_234_567_890n * 10n ** 15n, 1n],
      [RAY - 21_234_567_890n * 10n ** 15n, 1n],
      [RAY - 11_234_567_890n * 10n ** 15n, 5n],
      [RAY - 21_234_567_890n * 10n ** 15n, 5n],
      [RAY - 11_234_567_890n * 10n ** 15n, 300n],
    ];
    for (const [top, tolerance] of [
      [50_000_000n * RAY, 100_000_000n],
      [RAY / 10_000_000n, 1n],
    ] as const) {
      for (const [cut, step] of cases) {
        let price = stairstepExponentialDecreasePrice(top, 0n, cut, step);
        assert.equal(price, top);
        for (let i = 1n; i < 600n; i++) {
          const last = price;
          price = stairstepExponentialDecreasePrice(top, i, cut, step);
          const expected = i % step === 0n ? (last * cut) / RAY : last;
          const diff = price > expected ? price - expected : expected - price;
          assert.ok(
            diff <= tolerance,
            `top ${top}, cut ${cut}, step ${step}, t ${i}: ${price} vs ${expected}`,
          );
        }
      }
    }
  });

  it("cut above RAY, step 0 and tau 0 are refused with the field named", () => {
    assert.throws(
      () => validatePriceCurve({ kind: "exponential", cut: RAY + 1n }),
      (e: unknown) => e instanceof InputError && e.field === "calc.cut",
    );
    assert.throws(
      () => validatePriceCurve({ kind: "stairstep", cut: RAY, step: 0n }),
      (e: unknown) => e instanceof InputError && e.field === "calc.step",
    );
    assert.throws(
      () => validatePriceCurve({ kind: "linear", tau: 0n }),
      (e: unknown) => e instanceof InputError && e.field === "calc.tau",
    );
  });
});

describe("Dog.bark (dss src/test/dog.t.sol)", () => {
  const THOUSAND = 1000n;
  const chop = (11n * WAD) / 10n;
  const vat = (dust: bigint, rate = RAY): VatIlk => ({ rate, spot: THOUSAND * RAY, dust: dust * RAD });
  const ilk = (hole = 10n * THOUSAND): DogIlk => ({ chop, hole: hole * RAD, dirt: 0n });
  const dog = (Hole = 10n * THOUSAND): DogGlobal => ({ Hole: Hole * RAD, Dirt: 0n });

  it("test_bark_basic: ink 1, art 2,000 at spot 1,000 → fully liquidated", () => {
    const r = bark({
      urn: { ink: WAD, art: 2n * THOUSAND * WAD },
      vatIlk: vat(100n),
      dogIlk: ilk(),
      dog: dog(),
    });
    assert.deepEqual(r.urn, { ink: 0n, art: 0n });
    assert.equal(r.tab, (2000n * WAD * RAY * chop) / WAD);
  });

  it("testFail_bark_not_unsafe: art 500 → Dog/not-unsafe", () => {
    assert.throws(
      () => bark({ urn: { ink: WAD, art: 500n * WAD }, vatIlk: vat(100n), dogIlk: ilk(), dog: dog() }),
      reverts("Dog/not-unsafe"),
    );
  });

  it("test_bark_dusty_vault: a vault below dust is still liquidated", () => {
    const r = bark({ urn: { ink: 1n, art: 100n * WAD }, vatIlk: vat(200n), dogIlk: ilk(), dog: dog() });
    assert.equal(r.urn.art, 0n);
  });

  for (const which of ["hole", "Hole"] as const) {
    const limits = (n: bigint) =>
      which === "hole" ? { dogIlk: ilk(n), dog: dog() } : { dogIlk: ilk(), dog: dog(n) };
    it(`test_bark_partial_liquidation_${which === "hole" ? "dirt_exceeds_hole" : "Dirt_exceeds_Hole"}_to_avoid_dusty_remnant`, () => {
      const artStart = (5n * THOUSAND * WAD * WAD) / chop + 200n * WAD - 1n;
      const r = bark({ urn: { ink: WAD, art: artStart }, vatIlk: vat(200n), ...limits(5n * THOUSAND) });
      assert.equal(r.urn.art, 0n);
      assert.ok(r.forcedFull);
      const dirt = which === "hole" ? r.dogIlk.dirt : r.dog.Dirt;
      assert.ok(dirt > 5n * THOUSAND * RAD);
      assert.equal(dirt, (artStart * RAY * chop) / WAD);
    });
    it(`test_bark_partial_liquidation_${which === "hole" ? "dirt_does_not_exceed_hole" : "Dirt_does_not_exceed_Hole"}_if_remnant_is_nondusty`, () => {
      const r = bark({
        urn: { ink: WAD, art: (5n * THOUSAND * WAD * WAD) / chop + 200n * WAD },
        vatIlk: vat(200n),
        ...limits(5n * THOUSAND),
      });
      assert.equal(r.urn.art, 200n * WAD);
      const dirt = which === "hole" ? r.dogIlk.dirt : r.dog.Dirt;
      assert.ok(dirt <= 5n * THOUSAND * RAD);
      assert.equal(dirt, (((5n * THOUSAND * RAD * WAD) / RAY / chop) * RAY * chop) / WAD);
    });
    it(`test_bark_do_not_create_dusty_auction_${which}: rate 1.5, dust 300 → Dog/dusty-auction-from-partial-liquidation`, () => {
      const rate = (15n * RAY) / 10n;
      const first = bark({
        urn: { ink: WAD, art: ((((3n * THOUSAND - 150n) * RAD) / rate) * WAD) / chop },
        vatIlk: vat(300n, rate),
        ...limits(3n * THOUSAND),
      });
      const room = 3n * THOUSAND * RAD - (which === "hole" ? first.dogIlk.dirt : first.dog.Dirt);
      assert.ok(((room * WAD) / rate / chop) * rate < 300n * RAD);
      assert.throws(
        () =>
          bark({
            urn: { ink: WAD, art: (3n * THOUSAND * WAD * WAD) / chop },
            vatIlk: vat(300n, rate),
            dogIlk: first.dogIlk,
            dog: first.dog,
          }),
        reverts("Dog/dusty-auction-from-partial-liquidation"),
      );
    });
  }

  it("test_bark_dusty_vault_dusty_room: a small vault fits the last 200 DAI of room even when dust rose to 1,500", () => {
    const rate = (15n * RAY) / 10n;
    const HOLE = 33n * THOUSAND + 200n;
    const first = bark({
      urn: { ink: WAD, art: ((((HOLE - 200n) * RAD) / rate) * WAD) / chop },
      vatIlk: vat(100n, rate),
      dogIlk: { chop, hole: HOLE * RAD, dirt: 0n },
      dog: { Hole: HOLE * RAD, Dirt: 0n },
    });
    assert.equal(HOLE * RAD - first.dog.Dirt, 200n * RAD);
    assert.equal(HOLE * RAD - first.dogIlk.dirt, 200n * RAD);
    const second = bark({
      urn: { ink: WAD / 10_000n, art: (30n * RAD) / rate },
      vatIlk: vat(1500n, rate),
      dogIlk: first.dogIlk,
      dog: first.dog,
    });
    assert.equal(second.urn.art, 0n);
  });

  it("chop below WAD is refused (dss Dog/file-chop-lt-WAD)", () => {
    assert.throws(
      () => validateDogIlk({ chop: WAD - 1n, hole: 0n, dirt: 0n }),
      (e: unknown) => e instanceof InputError && e.field === "dogIlk.chop",
    );
    assert.doesNotThrow(() => validateDogIlk({ chop: (WAD * 113n) / 100n, hole: 0n, dirt: 0n }));
  });
});

describe("Clipper (dss src/test/clip.t.sol; research note §10.8)", () => {
  // setUp: gold at $5 then $4, mat 200 % (spot 2.5 → 2), vault ink 40 / art 100, rate 1, chop 1.1,
  // dust 20 DAI, hole = Hole = 1,000 DAI.
  const startTime = 604_411_200n;
  const chop = ether(1.1);
  const vatIlk: VatIlk = { rate: RAY, spot: ray(ether(2)), dust: rad(ether(20)) };
  const dogIlk: DogIlk = { chop, hole: rad(ether(1000)), dirt: 0n };
  const dog: DogGlobal = { Hole: rad(ether(1000)), Dirt: 0n };
  const urn = { ink: ether(40), art: ether(100) };
  const feedPrice = ray(ether(4));
  const base: ClipperParams = {
    buf: RAY,
    tail: 0n,
    cusp: 0n,
    chip: 0n,
    tip: 0n,
    chost: chostOf(vatIlk.dust, chop),
    calc: { kind: "linear", tau: 1n },
  };
  // takeSetup: stairstep 1 % per second, buf 1.25, cusp 0.3, tail 3,600 s.
  const takeParams: ClipperParams = {
    ...base,
    buf: ray(ether(1.25)),
    cusp: ray(ether(0.3)),
    tail: 3600n,
    calc: { kind: "stairstep", cut: RAY - ray(ether(0.01)), step: 1n },
  };
  const takeSetup = (): Sale => {
    const r = barkAndKick({ urn, vatIlk, dogIlk, dog, clipper: takeParams, feedPrice, now: startTime });
    assert.equal(r.tab, rad(ether(110)));
    assert.equal(r.sale.lot, ether(40));
    assert.equal(r.sale.top, ray(ether(5))); // $4 plus 25 %
    assert.deepEqual(r.urn, { ink: 0n, art: 0n });
    return r.sale;
  };

  it("the feed price is the OSM value in ray: val $4 (wad), par 1 → 4 ray", () => {
    assert.equal(feedPriceFromOsm(ether(4)), feedPrice);
  });

  it("chost = wmul(dust, chop) = 22 DAI", () => {
    assert.equal(base.chost, 22n * RAD);
  });

  it("test_kick: tab 110, lot 40, top 4 (buf 1), keeper paid tip 100; with buf 1.25 top 5 and tip + 2 % chip = 102.2", () => {
    const first = barkAndKick({
      urn,
      vatIlk,
      dogIlk,
      dog,
      clipper: { ...base, tip: rad(ether(100)) },
      feedPrice,
      now: startTime,
    });
    assert.equal(first.sale.tab, rad(ether(110)));
    assert.equal(first.sale.lot, ether(40));
    assert.equal(first.sale.tic, startTime);
    assert.equal(first.sale.top, ray(ether(4)));
    assert.equal(first.coin, rad(ether(100)));
    assert.deepEqual(first.urn, { ink: 0n, art: 0n });
    const second = barkAndKick({
      urn,
      vatIlk,
      dogIlk: first.dogIlk,
      dog: first.dog,
      clipper: { ...base, buf: ray(ether(1.25)), tip: rad(ether(100)), chip: ether(0.02) },
      feedPrice,
      now: startTime + 100n,
    });
    assert.equal(second.sale.top, ray(ether(5)));
    assert.equal(second.coin, rad(ether(100)) + (second.tab * ether(0.02)) / WAD);
    assert.equal(second.coin, rad(ether(102.2)));
  });

  it("test_kick_zero_tab / zero_lot revert; test_kick_basic succeeds", () => {
    assert.throws(
      () => kick(base, { tab: 0n, lot: ether(2), feedPrice, now: 0n }),
      reverts("Clipper/zero-tab"),
    );
    assert.throws(
      () => kick(base, { tab: ether(1), lot: 0n, feedPrice, now: 0n }),
      reverts("Clipper/zero-lot"),
    );
    assert.doesNotThrow(() => kick(base, { tab: ether(1), lot: ether(2), feedPrice, now: 0n }));
    assert.throws(
      () => kick(base, { tab: ether(1), lot: ether(2), feedPrice: 0n, now: 0n }),
      reverts("Clipper/zero-top-price"),
    );
  });

  it("test_bark_not_leaving_dust: hole 80, chop 1 → tab 80, lot 32, vault left with 8 / 20", () => {
    const r = barkAndKick({
      urn,
      vatIlk,
      dogIlk: { chop: WAD, hole: rad(ether(80)), dirt: 0n },
      dog,
      clipper: base,
      feedPrice,
      now: startTime,
    });
    assert.equal(r.sale.tab, rad(ether(80)));
    assert.equal(r.sale.lot, ether(32));
    assert.equal(r.sale.top, ray(ether(4)));
    assert.deepEqual(r.urn, { ink: ether(8), art: ether(20) });
  });

  it("test_bark_not_leaving_dust_over_hole: hole 80 DAI + 1 ray → whole vault (tab 100, lot 40)", () => {
    const r = bark({
      urn,
      vatIlk,
      dogIlk: { chop: WAD, hole: rad(ether(80)) + ray(ether(1)), dirt: 0n },
      dog,
    });
    assert.equal(r.tab, rad(ether(100)));
    assert.equal(r.dink, ether(40));
    assert.deepEqual(r.urn, { ink: 0n, art: 0n });
  });

  it("test_bark_not_leaving_dust_rate: rate 1.02, hole 100 → remnant ≈ 2 < dust 20, whole vault: tab 102", () => {
    const rate = ray(ether(1.02));
    const r = bark({
      urn,
      vatIlk: { ...vatIlk, rate },
      dogIlk: { chop: WAD, hole: 100n * RAD, dirt: 0n },
      dog,
    });
    assert.equal(r.tab, ether(100) * rate);
    assert.equal(r.dink, ether(40));
    assert.deepEqual(r.urn, { ink: 0n, art: 0n });
  });

  it("test_bark_only_leaving_dust_over_hole_rate: rate 1.02, hole 81.6, dust 20.4 → tab 81.6, lot 32, remnant = dust", () => {
    const rate = ray(ether(1.02));
    const dust = (204n * RAD) / 10n;
    const r = bark({
      urn,
      vatIlk: { ...vatIlk, rate, dust },
      dogIlk: { chop: WAD, hole: (816n * RAD) / 10n, dirt: 0n },
      dog,
    });
    assert.equal(r.tab, (816n * RAD) / 10n);
    assert.equal(r.dink, ether(32));
    assert.deepEqual(r.urn, { ink: ether(8), art: ether(20) });
    assert.equal(r.urn.art * rate, dust);
  });

  it("test_Hole_hole: Dirt sums the tabs of two ilks; each ilk's dirt is its own tab", () => {
    const one = bark({ urn, vatIlk, dogIlk, dog });
    assert.equal(one.dog.Dirt, one.tab);
    assert.equal(one.dogIlk.dirt, one.tab);
    const two = bark({ urn, vatIlk, dogIlk: { chop, hole: rad(ether(1000)), dirt: 0n }, dog: one.dog });
    assert.equal(two.dog.Dirt, one.tab + two.tab);
    assert.equal(two.dogIlk.dirt, two.tab);
  });

  for (const which of ["Hole", "hole"] as const) {
    it(`test_partial_liquidation_${which}_limit: ${which} 75 → tab = 75 DAI − 0.2 ray (rounding), lot = 40·dart/100`, () => {
      const r = bark({
        urn,
        vatIlk,
        dogIlk: which === "hole" ? { ...dogIlk, hole: rad(ether(75)) } : dogIlk,
        dog: which === "Hole" ? { ...dog, Hole: rad(ether(75)) } : dog,
      });
      const dart = (r.tab * WAD) / RAY / chop;
      assert.equal(r.tab, rad(ether(75)) - ray(ether(0.2)));
      assert.equal(r.dink, (ether(40) * dart) / ether(100));
      assert.equal(r.urn.ink, ether(40) - r.dink);
      assert.equal(r.urn.art, ether(100) - dart);
      assert.equal(r.dog.Dirt, r.tab);
      assert.equal(r.dogIlk.dirt, r.tab);
    });
  }

  it("test_take_over_tab: amt 25 at 5 → slice 22, owe 110, 18 returned, auction ends, Dirt cleared", () => {
    const r = take(takeParams, takeSetup(), { amt: ether(25), max: ray(ether(5)), now: startTime });
    assert.equal(r.slice, ether(22));
    assert.equal(r.owe, rad(ether(110)));
    assert.equal(r.returned, ether(18));
    assert.ok(r.ended);
    assert.equal(r.sale, null);
    assert.equal(r.digs, rad(ether(110)));
  });

  it("test_take_at_tab: amt 22 at 5 → owe 110 = tab, 18 returned", () => {
    const r = take(takeParams, takeSetup(), { amt: ether(22), max: ray(ether(5)), now: startTime });
    assert.equal(r.slice, ether(22));
    assert.equal(r.owe, rad(ether(110)));
    assert.equal(r.returned, ether(18));
    assert.ok(r.ended);
  });

  it("test_take_under_tab: amt 11 at 5 → owe 55, tab 55 and lot 29 left, Dirt = 55", () => {
    const r = take(takeParams, takeSetup(), { amt: ether(11), max: ray(ether(5)), now: startTime });
    assert.equal(r.owe, rad(ether(55)));
    assert.deepEqual(r.sale, { tab: rad(ether(55)), lot: ether(29), tic: startTime, top: ray(ether(5)) });
    assert.equal(r.digs, rad(ether(55))); // Dirt 110 − 55 = 55 = tab
    assert.equal(r.returned, 0n);
  });

  it("test_take_full_lot_partial_tab: after 69 s (≈ 50 % decline) the whole lot for ≈ 100 < 110 ends the auction", () => {
    const r = take(takeParams, takeSetup(), { amt: ether(40), max: ray(ether(2.5)), now: startTime + 69n });
    assert.equal(r.slice, ether(40));
    assert.ok(r.owe > rad(ether(99.9)) && r.owe <= rad(ether(100)), `paid ${r.owe}`);
    assert.ok(r.ended);
    assert.equal(r.returned, 0n);
    assert.equal(r.digs, rad(ether(110))); // all dirt cleared though < 100 % of tab was collected
  });

  it("testFail_take_bid_too_low: max 4 < price 5 → Clipper/too-expensive", () => {
    assert.throws(
      () => take(takeParams, takeSetup(), { amt: ether(22), max: ray(ether(4)), now: startTime }),
      reverts("Clipper/too-expensive"),
    );
  });

  it("test_take_bid_recalculates_due_to_chost_check: amt 18 (90 DAI) would leave 20 < 22 → leaves exactly chost", () => {
    const r = take(takeParams, takeSetup(), { amt: 18n * WAD, max: ray(ether(5)), now: startTime });
    assert.ok(r.chostAdjusted);
    assert.equal(r.tab, base.chost);
    assert.equal(r.lot, ether(40) - (110n * RAD - base.chost) / ray(ether(5)));
  });

  it("test_take_bid_avoids_recalculate_due_no_more_lot: price after 60 s = 2735783211953807380973706855; buying the whole lot ends it", () => {
    const sale = takeSetup();
    assert.equal(status(takeParams, sale, startTime + 60n).price, 2_735_783_211_953_807_380_973_706_855n);
    const r = take(takeParams, sale, { amt: ether(40), max: ray(ether(2.8)), now: startTime + 60n });
    assert.equal(r.lot, 0n);
    assert.equal(r.sale, null);
    assert.ok(!r.chostAdjusted);
  });

  it("test_take_bid_fails_no_partial_allowed: after a take to tab 22 = chost, a partial take reverts; the whole tab works", () => {
    const price = ray(ether(5));
    const r1 = take(takeParams, takeSetup(), { amt: ether(17.6), max: price, now: startTime });
    assert.equal(r1.tab, rad(ether(22)));
    assert.equal(r1.lot, ether(22.4));
    assert.equal(r1.chostAdjusted, false); // tab − owe = 22 = chost exactly: not below it, no adjustment
    const sale = r1.sale;
    assert.ok(sale !== null);
    assert.throws(
      () => take(takeParams, sale, { amt: ether(1), max: price, now: startTime }),
      reverts("Clipper/no-partial-purchase"),
    );
    const r2 = take(takeParams, sale, { amt: sale.tab / price, max: price, now: startTime });
    assert.equal(r2.owe, rad(ether(22)));
    assert.equal(r2.returned, ether(22.4) - ether(4.4));
  });

  it("test_take_multiple_bids_different_prices: 10 at 5, then the rest after 30 s (5·0.99^30) for the remaining 60", () => {
    const r1 = take(takeParams, takeSetup(), { amt: ether(10), max: ray(ether(5)), now: startTime });
    assert.equal(r1.owe, rad(ether(50)));
    assert.deepEqual(r1.sale, { tab: rad(ether(60)), lot: ether(30), tic: startTime, top: ray(ether(5)) });
    assert.ok(r1.sale !== null);
    const { price } = status(takeParams, r1.sale, startTime + 30n);
    assertNear(Number(price) / 1e27, 3.698501866941401, 1e-12, "price after 30 s");
    const r2 = take(takeParams, r1.sale, { amt: ether(30), max: price, now: startTime + 30n });
    const expectedGem = (RAY * ether(60)) / price;
    assert.equal(r2.slice, expectedGem);
    assert.equal(r2.owe, rad(ether(60)));
    assert.equal(r2.returned, ether(30) - expectedGem);
    assert.ok(r2.ended);
  });

  const resetParams = (tau: bigint): ClipperParams => ({
    ...base,
    buf: ray(ether(1.25)),
    cusp: ray(ether(0.5)),
    tail: 3600n,
    calc: { kind: "linear", tau },
  });
  const resetSetup = (params: ClipperParams): Sale =>
    barkAndKick({ urn, vatIlk, dogIlk, dog, clipper: params, feedPrice, now: startTime }).sale;

  it("test_auction_reset_tail: tau 10 h → not done at 3,600 s, done at 3,601 s; redo at feed 3 → top 3.75", () => {
    const params = resetParams(36_000n);
    const sale = resetSetup(params);
    assert.equal(sale.top, ray(ether(5)));
    assert.equal(status(params, sale, startTime + 3600n).done, false);
    assert.throws(
      () => redo(params, sale, { now: startTime + 3600n, feedPrice: ray(ether(3)) }),
      reverts("Clipper/cannot-reset"),
    );
    assert.equal(status(params, sale, startTime + 3601n).done, true);
    const r = redo(params, sale, { now: startTime + 3601n, feedPrice: ray(ether(3)) });
    assert.equal(r.sale.tic, startTime + 3601n);
    assert.equal(r.sale.top, ray(ether(3.75)));
    // test_auction_reset_tail_twice
    assert.throws(
      () => redo(params, r.sale, { now: startTime + 3601n, feedPrice }),
      reverts("Clipper/cannot-reset"),
    );
  });

  it("test_auction_reset_cusp: tau 1 h, cusp 0.5 → not done at 1,800 s (price/top = 0.5), done at 1,801 s; top 3.75", () => {
    const params = resetParams(3600n);
    const sale = resetSetup(params);
    assert.equal(status(params, sale, startTime + 1800n).done, false);
    assert.throws(
      () => redo(params, sale, { now: startTime + 1800n, feedPrice: ray(ether(3)) }),
      reverts("Clipper/cannot-reset"),
    );
    assert.equal(status(params, sale, startTime + 1801n).done, true);
    const r = redo(params, sale, { now: startTime + 1801n, feedPrice: ray(ether(3)) });
    assert.equal(r.sale.top, ray(ether(3.75)));
    assert.throws(
      () => redo(params, r.sale, { now: startTime + 1801n, feedPrice }),
      reverts("Clipper/cannot-reset"),
    );
  });

  it("test_auction_reset_*: a done auction cannot be taken (Clipper/needs-reset)", () => {
    const params = resetParams(3600n);
    assert.throws(
      () => take(params, resetSetup(params), { amt: ether(1), max: ray(ether(5)), now: startTime + 1801n }),
      reverts("Clipper/needs-reset"),
    );
  });

  it("test_stopped_*: kick refused at 1, 2, 3; take allowed at 1, 2, refused at 3; redo refused at 2, 3", () => {
    for (const stopped of [1, 2, 3] as const)
      assert.throws(
        () =>
          barkAndKick({ urn, vatIlk, dogIlk, dog, clipper: { ...base, stopped }, feedPrice, now: startTime }),
        reverts("Clipper/stopped-incorrect"),
      );
    const sale = takeSetup();
    for (const stopped of [1, 2] as const)
      assert.doesNotThrow(() =>
        take({ ...takeParams, stopped }, sale, { amt: ether(25), max: ray(ether(5)), now: startTime }),
      );
    assert.throws(
      () => take({ ...takeParams, stopped: 3 }, sale, { amt: ether(25), max: ray(ether(5)), now: startTime }),
      reverts("Clipper/stopped-incorrect"),
    );
    const params = resetParams(36_000n);
    const resetSale = resetSetup(params);
    assert.doesNotThrow(() =>
      redo({ ...params, stopped: 1 }, resetSale, { now: startTime + 3601n, feedPrice }),
    );
    for (const stopped of [2, 3] as const)
      assert.throws(
        () => redo({ ...params, stopped }, resetSale, { now: startTime + 3601n, feedPrice }),
        reverts("Clipper/stopped-incorrect"),
      );
  });

  it("test_redo_incentive: tip 100; tip + 2 % of 110; chip alone; none when tab < chost; none for a dusty lot", () => {
    let sale = takeSetup();
    let now = startTime;
    const step = (params: ClipperParams, dt: bigint) => {
      now += dt;
      const r = redo(params, sale, { now, feedPrice });
      sale = r.sale;
      return r.coin;
    };
    assert.equal(step({ ...takeParams, tip: rad(ether(100)) }, 300n), rad(ether(100)));
    assert.equal(
      step({ ...takeParams, tip: rad(ether(100)), chip: ether(0.02) }, 300n),
      rad(ether(100)) + (ether(0.02) * sale.tab) / WAD,
    );
    assert.equal(step({ ...takeParams, chip: ether(0.02) }, 300n), (ether(0.02) * sale.tab) / WAD);
    const bigChost = chostOf(rad(ether(100)) + 1n, chop);
    assert.equal(bigChost, 110n * RAD + 1n);
    assert.equal(step({ ...takeParams, chip: ether(0.02), chost: bigChost }, 300n), 0n);
    now += 100n;
    const { price } = status(takeParams, sale, now);
    assert.equal(price, 1_830_161_706_366_147_524_653_080_130n);
    const t = take(takeParams, sale, { amt: ether(38), max: ray(ether(5)), now });
    assert.equal(t.tab, rad(ether(110)) - ether(38) * price);
    assert.equal(t.lot, ether(2));
    assert.ok(t.sale !== null);
    sale = t.sale;
    const r = redo({ ...takeParams, chip: ether(0.02) }, sale, { now: now + 300n, feedPrice });
    assert.equal(r.coin, 0n); // lot·feed = 2·$4 = 8 < chost 22
    assert.equal(r.incentivePaid, false);
  });
});

describe("ETH-B example (Maker forum, April 2021 poll; research note §7)", () => {
  it("bundles cut 0.99 per 90 s, buf 1.3, ilk.hole 8M DAI, cusp 0.4, tail 8,400 s, chop 1.13", () => {
    const e = ETH_B_APRIL_2021;
    assert.deepEqual(e.calc, { kind: "stairstep", cut: (99n * RAY) / 100n, step: 90n } satisfies PriceCurve);
    assert.equal(e.buf, 1_300_000_000_000_000_000_000_000_000n);
    assert.equal(e.ilkHole, 8_000_000n * RAD);
    assert.equal(e.cusp, 400_000_000_000_000_000_000_000_000n);
    assert.equal(e.tail, 8_400n);
    assert.equal(e.chop, 1_130_000_000_000_000_000n);
  });

  it("derived: the price falls 1 % every 90 s and the cusp (0.4) ends the auction at 8,280 s, before the tail", () => {
    const params = ethBExampleClipper({ dust: 0n });
    const sale: Sale = { tab: 1n, lot: 1n, tic: 0n, top: 2_470n * RAY };
    assert.equal(status(params, sale, 89n).price, 2_470n * RAY);
    assert.equal(status(params, sale, 90n).price, (2_470n * RAY * 99n) / 100n);
    assert.equal(status(params, sale, 8_279n).done, false); // 0.99^91 = 0.4008 ≥ 0.4
    assert.equal(status(params, sale, 8_280n).done, true); // 0.99^92 = 0.3968 < 0.4
  });

  it("derived: 100 ETH / 150,000 DAI at mat 1.3 is unsafe below $1,950; at $1,900 it is barked for tab 169,500 and top 2,470", () => {
    const urn = { ink: 100n * WAD, art: 150_000n * WAD };
    assertNear(liquidationPrice({ urn, rate: RAY, mat: 1.3 }), 1_950, 1e-9, "liquidation price");
    const view = vaultLendingAccount({ urn, rate: RAY, price: 1_900, mat: 1.3, symbol: "ETH" });
    assert.ok(healthFactor(view) < 1);
    const spot = (1_900n * RAY * 10n) / 13n;
    const clipper = ethBExampleClipper({ dust: 15_000n * RAD });
    const r = barkAndKick({
      urn,
      vatIlk: { rate: RAY, spot, dust: 15_000n * RAD },
      dogIlk: { chop: ETH_B_APRIL_2021.chop, hole: ETH_B_APRIL_2021.ilkHole, dirt: 0n },
      dog: { Hole: 100_000_000n * RAD, Dirt: 0n },
      clipper,
      feedPrice: feedPriceFromOsm(1_900n * WAD),
      now: 0n,
    });
    assert.equal(r.tab, 169_500n * RAD);
    assert.equal(r.sale.lot, 100n * WAD);
    assert.equal(r.sale.top, 2_470n * RAY);
    assert.equal(r.coin, 0n);
  });
});

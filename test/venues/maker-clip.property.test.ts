/**
 * Invariants of the Maker Liquidations 2.0 model (src/venues/maker-clip.ts), over random inputs in
 * dss units (wad/ray/rad bigint):
 * - the auction price never rises with time and never exceeds top (all three Abacus curves);
 * - once done, an auction stays done;
 * - take never collects more than tab; the collateral is conserved (sold + left + returned = lot);
 *   a running auction is never left with a tab below chost; rounding favours the system by < 1 wei;
 * - a whole auction run to its end clears exactly its tab from Dirt;
 * - bark: dart ≤ art, dink ≤ ink, tab = dart·rate·chop/WAD, Dirt grows by tab, the remnant is 0 or
 *   at least dust, and a partial liquidation stays within the room.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RAD, RAY, WAD } from "../../src/math/fixed-point.js";
import {
  auctionPrice,
  bark,
  type ClipperParams,
  type PriceCurve,
  type Sale,
  status,
  take,
} from "../../src/venues/maker-clip.js";
import { isVenueRevert } from "../../src/venues/revert.js";

const curveArb: fc.Arbitrary<PriceCurve> = fc.oneof(
  fc.record({ kind: fc.constant("linear" as const), tau: fc.bigInt(1n, 1_000_000n) }),
  fc.record({
    kind: fc.constant("stairstep" as const),
    cut: fc.oneof(fc.bigInt(0n, RAY), fc.bigInt((RAY * 9n) / 10n, RAY)),
    step: fc.bigInt(1n, 3_600n),
  }),
  fc.record({
    kind: fc.constant("exponential" as const),
    cut: fc.oneof(fc.bigInt(0n, RAY), fc.bigInt(RAY - RAY / 1_000n, RAY)),
  }),
);
const topArb = fc.bigInt(1n, 10n ** 6n * RAY);
const timeArb = fc.bigInt(0n, 200_000n);

/**
 * An auction scaled so that every branch of take occurs: top is tab/lot × [0.1, 5] (so the lot may be
 * worth more or less than the tab), chost is 0 or up to 1.5 × tab, the clock stays mostly before the tail.
 */
const auctionArb = fc
  .tuple(
    fc.bigInt(1n, 10_000_000n * RAD), // tab
    fc.bigInt(1n, 1_000_000n * WAD), // lot
    fc.bigInt(100n, 5_000n), // top / (tab/lot), per mille
    fc.oneof(fc.constant(0n), fc.bigInt(1n, 1_500n)), // chost, per mille of tab
    fc.bigInt(1n, 20_000n), // tail
    fc.bigInt(0n, RAY / 5n), // cusp
    curveArb,
  )
  .map(([tab, lot, topPm, chostPm, tail, cusp, calc]) => {
    const top = (((tab / lot) * topPm) / 1_000n) | 1n; // rad / wad = ray; odd so never 0
    const params: ClipperParams = {
      buf: RAY,
      tail,
      cusp,
      chip: 0n,
      tip: 0n,
      chost: (tab * chostPm) / 1_000n,
      calc,
    };
    const sale: Sale = { tab, lot, tic: 0n, top };
    return { params, sale };
  });

describe("Abacus price curves (property)", () => {
  it("price(t2) ≤ price(t1) ≤ top for t1 ≤ t2, for all three curves", () => {
    fc.assert(
      fc.property(curveArb, topArb, timeArb, timeArb, (curve, top, a, b) => {
        const [t1, t2] = a <= b ? [a, b] : [b, a];
        const p1 = auctionPrice(curve, top, t1);
        const p2 = auctionPrice(curve, top, t2);
        assert.ok(p2 <= p1, `${curve.kind}: price(${t2}) = ${p2} > price(${t1}) = ${p1}`);
        assert.ok(p1 <= top);
        assert.ok(p2 >= 0n);
      }),
      { numRuns: 2_000 },
    );
  });

  it("price at t and t + 1 never rises, second by second (all three curves)", () => {
    fc.assert(
      fc.property(curveArb, topArb, timeArb, (curve, top, t) => {
        assert.ok(auctionPrice(curve, top, t + 1n) <= auctionPrice(curve, top, t));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("Clipper (property)", () => {
  it("status: once done, done at every later time", () => {
    fc.assert(
      fc.property(auctionArb, timeArb, timeArb, ({ params, sale }, a, b) => {
        const [t1, t2] = a <= b ? [a, b] : [b, a];
        if (status(params, sale, t1).done) assert.ok(status(params, sale, t2).done);
      }),
      { numRuns: 1_000 },
    );
  });

  it("take: owe ≤ tab, sold + left + returned = lot, slice·price ≤ owe < (slice + 1)·price, running ⇒ tab ≥ chost", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        auctionArb,
        fc.bigInt(0n, 1_500n),
        fc.bigInt(0n, 1_000n),
        ({ params, sale }, amtPm, timePm) => {
          const amt = (sale.lot * amtPm) / 1_000n;
          const now = (params.tail * timePm) / 1_000n;
          const { price, done } = status(params, sale, now);
          fc.pre(!done);
          let r: ReturnType<typeof take>;
          try {
            r = take(params, sale, { amt, max: price, now });
          } catch (e) {
            // the only revert left is the chost rule: a partial buy when tab ≤ chost
            assert.ok(isVenueRevert(e, "maker") && e.reason === "Clipper/no-partial-purchase", String(e));
            assert.ok(sale.tab <= params.chost);
            seen.add("no-partial-purchase");
            return;
          }
          seen.add(
            r.chostAdjusted
              ? "chost-adjusted"
              : r.returned > 0n
                ? "tab-covered"
                : r.ended
                  ? "lot-sold-out"
                  : "running",
          );
          assert.ok(r.owe <= sale.tab, `owe ${r.owe} > tab ${sale.tab}`);
          assert.ok(r.owe >= 0n && r.slice >= 0n);
          assert.equal(r.slice + r.lot + r.returned, sale.lot);
          assert.equal(r.tab, sale.tab - r.owe);
          assert.ok(r.slice <= amt);
          assert.ok(r.slice * price <= r.owe);
          if (price > 0n) assert.ok(r.owe < (r.slice + 1n) * price);
          if (!r.ended) {
            assert.ok(
              r.tab >= params.chost,
              `running auction left with tab ${r.tab} < chost ${params.chost}`,
            );
            assert.ok(r.tab > 0n && r.lot > 0n);
            assert.equal(r.digs, r.owe);
          } else {
            assert.equal(r.digs, sale.tab);
          }
          if (r.returned > 0n) assert.equal(r.tab, 0n);
        },
      ),
      { numRuns: 3_000 },
    );
    for (const outcome of ["chost-adjusted", "tab-covered", "lot-sold-out", "running", "no-partial-purchase"])
      assert.ok(seen.has(outcome), `no run produced ${outcome}`);
  });

  it("an auction taken piece by piece to its end: Σ owe ≤ tab, Σ slice + returned = lot, Σ digs = tab", () => {
    let endedRuns = 0;
    fc.assert(
      fc.property(
        auctionArb,
        fc.array(fc.tuple(fc.bigInt(1n, 600n), fc.bigInt(0n, 100n)), { minLength: 1, maxLength: 12 }),
        ({ params, sale: start }, bids) => {
          let sale: Sale | null = start;
          let now = 0n;
          let paid = 0n;
          let sold = 0n;
          let returned = 0n;
          let digs = 0n;
          for (const [amtPm, timePm] of bids) {
            if (sale === null) break;
            const amt = (start.lot * amtPm) / 1_000n;
            now += (params.tail * timePm) / 1_000n;
            const { price, done } = status(params, sale, now);
            if (done) break;
            let r: ReturnType<typeof take>;
            try {
              r = take(params, sale, { amt, max: price, now });
            } catch {
              r = take(params, sale, { amt: sale.lot, max: price, now }); // the whole lot is always allowed
            }
            paid += r.owe;
            sold += r.slice;
            returned += r.returned;
            digs += r.digs;
            sale = r.sale;
          }
          if (sale === null) endedRuns++;
          const left = sale === null ? 0n : sale.lot;
          assert.ok(paid <= start.tab);
          assert.equal(sold + returned + left, start.lot);
          assert.equal(digs + (sale === null ? 0n : sale.tab), start.tab);
        },
      ),
      { numRuns: 500 },
    );
    assert.ok(endedRuns > 50, `only ${endedRuns} of 500 auctions ran to their end`);
  });
});

/** A vault and Dog limits scaled to it, so that unsafe vaults, partial, full and forced-full liquidations all occur. */
const barkInputArb = fc
  .tuple(
    fc.bigInt(1n, 10n ** 6n * WAD), // ink
    fc.bigInt(1n, 10n ** 8n * WAD), // art
    fc.bigInt(RAY, 3n * RAY), // rate
    fc.bigInt(300n, 1_100n), // collateralisation ink·spot / (art·rate), per mille
    fc.bigInt(WAD, 2n * WAD), // chop
    fc.oneof(fc.constant(0n), fc.bigInt(1n, 600n)), // dust, per mille of the debt
    fc.bigInt(1n, 3_000n), // ilk hole, per mille of the debt × chop
    fc.bigInt(1n, 3_000n), // Hole, per mille of the debt × chop
  )
  .map(([ink, art, rate, coll, chop, dustPm, holePm, HolePm]) => {
    const debt = art * rate; // rad
    const withPenalty = (debt * chop) / WAD;
    return {
      urn: { ink, art },
      vatIlk: { rate, spot: (debt * coll) / 1_000n / ink, dust: (debt * dustPm) / 1_000n },
      dogIlk: { chop, hole: (withPenalty * holePm) / 1_000n + 1n, dirt: 0n },
      dog: { Hole: (withPenalty * HolePm) / 1_000n + 1n, Dirt: 0n },
    };
  });

describe("Dog.bark (property)", () => {
  it("dart ≤ art, dink ≤ ink, tab = dart·rate·chop/WAD, Dirt += tab, remnant 0 or ≥ dust, tab ≤ room unless forced full", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(barkInputArb, (input) => {
        const { ink, art } = input.urn;
        const { rate, spot, dust } = input.vatIlk;
        const { chop } = input.dogIlk;
        let r: ReturnType<typeof bark>;
        try {
          r = bark(input);
        } catch (e) {
          assert.ok(isVenueRevert(e, "maker"), String(e));
          seen.add(e.reason);
          if (e.reason === "Dog/not-unsafe") assert.ok(ink * spot >= art * rate);
          else if (e.reason === "Dog/dusty-auction-from-partial-liquidation") assert.ok(dust > 0n);
          else assert.equal(e.reason, "Dog/null-auction");
          return;
        }
        seen.add(r.forcedFull ? "forced-full" : r.partial ? "partial" : "full");
        assert.ok(r.dart > 0n && r.dart <= art);
        assert.ok(r.dink > 0n && r.dink <= ink);
        assert.equal(r.dink, (ink * r.dart) / art);
        assert.equal(r.tab, (r.dart * rate * chop) / WAD);
        assert.equal(r.dog.Dirt, r.tab);
        assert.equal(r.dogIlk.dirt, r.tab);
        assert.equal(r.urn.art + r.dart, art);
        assert.equal(r.urn.ink + r.dink, ink);
        assert.ok(r.urn.art === 0n || r.urn.art * rate >= dust);
        if (r.partial) assert.ok(r.dart * rate >= dust);
        if (!r.forcedFull) assert.ok(r.tab <= r.room, `tab ${r.tab} > room ${r.room}`);
      }),
      { numRuns: 3_000 },
    );
    for (const outcome of [
      "partial",
      "full",
      "forced-full",
      "Dog/not-unsafe",
      "Dog/dusty-auction-from-partial-liquidation",
    ])
      assert.ok(seen.has(outcome), `no run produced ${outcome}`);
  });
});

/**
 * Invariants of the Flipper English auction (src/venues/maker-flip.ts), over random runs of tend, dent,
 * deal and tick calls by several bidders at random times, for both dss releases:
 * - an accepted tend raises the bid by at least beg (bid·WAD ≥ beg·bid₀) unless it bids exactly tab,
 *   and never above tab; an accepted dent lowers the lot by at least beg (beg·lot ≤ lot₀·WAD);
 * - the phase switches at bid = tab: a dent before it reverts, a tend after it reverts;
 * - deal passes only when a bid exists and its tic or the auction's end has passed (strictly);
 * - the DAI raised (paid to gal) equals the final bid and never exceeds tab; each outbid bidder is
 *   refunded in full (only the winner is out of pocket, by exactly the bid);
 * - collateral is conserved: lot to the winner + returned to usr = the lot kicked.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RAD, WAD } from "../../src/math/fixed-point.js";
import {
  deal,
  dent,
  type FlipAuction,
  type FlipperParams,
  kick,
  maximumDentLot,
  minimumTendBid,
  phase,
  tend,
  tick,
} from "../../src/venues/maker-flip.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { FlipLedger } from "../helpers/flip-ledger.js";

const BIDDERS = ["ali", "bob", "cat-keeper"] as const;

const paramsArb: fc.Arbitrary<FlipperParams> = fc.record({
  beg: fc.bigInt(WAD, (WAD * 12n) / 10n),
  ttl: fc.bigInt(1n, 3_600n),
  tau: fc.bigInt(1n, 20_000n),
  version: fc.constantFrom("1.0" as const, "1.2" as const),
});

/** One call: which, by whom, seconds after the previous call, and where in the legal range its amount falls. */
const callArb = fc.record({
  kind: fc.constantFrom("tend", "tend", "tend", "dent", "dent", "deal", "tick"),
  who: fc.constantFrom(...BIDDERS),
  wait: fc.oneof(fc.constant(0n), fc.bigInt(0n, 5_000n)),
  /** per mille of the way from the minimum legal amount to the extreme (tab, or 0 collateral); −1 = just outside */
  where: fc.oneof(fc.constant(-1n), fc.constant(0n), fc.bigInt(0n, 1_000n)),
});

const runArb = fc.record({
  params: paramsArb,
  tab: fc.bigInt(1n, 1_000_000n * RAD),
  lot: fc.bigInt(1n, 10_000n * WAD),
  calls: fc.array(callArb, { minLength: 1, maxLength: 60 }),
});

function amountFor(
  p: FlipperParams,
  a: FlipAuction,
  kind: "tend" | "dent",
  where: bigint,
): { lot: bigint; bid: bigint } {
  if (kind === "tend") {
    const min = minimumTendBid(p, a);
    const bid = where < 0n ? min - 1n : min + ((a.tab - min) * where) / 1_000n;
    return { lot: a.lot, bid };
  }
  const max = maximumDentLot(p, a);
  const lot = where < 0n ? max + 1n : max - (max * where) / 1_000n;
  return { lot, bid: a.bid };
}

describe("Flipper (property)", () => {
  it("beg, phase switch, deal timing, DAI ≤ tab with full refunds, collateral conserved", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(runArb, ({ params: p, tab, lot, calls }) => {
        let now = 1_000n;
        const v = new FlipLedger();
        let a: FlipAuction | null = v.apply(
          kick(p, { usr: "usr", gal: "vow", tab, lot, now, kicker: "cat" }),
        );
        let finalBid = 0n;
        let winner = "";
        for (const call of calls) {
          now += call.wait;
          const before: FlipAuction | null = a;
          try {
            if (call.kind === "deal") {
              const dealt = before;
              a = v.apply(deal(p, before, now));
              assert.ok(dealt !== null && dealt.tic !== 0n && (dealt.tic < now || dealt.end < now));
              finalBid = dealt.bid;
              winner = dealt.guy;
              seen.add("deal");
              break;
            }
            if (call.kind === "tick") {
              a = v.apply(tick(p, before, now));
              assert.ok(before !== null && before.tic === 0n && before.end < now);
              seen.add("tick");
              continue;
            }
            if (before === null) continue;
            const { lot: l, bid } = amountFor(p, before, call.kind, call.where);
            if (call.kind === "tend") {
              a = v.apply(tend(p, before, { guy: call.who, lot: l, bid, now }));
              assert.equal(phase(before), "tend", "a tend passed in the dent phase");
              assert.ok(bid > before.bid && bid <= before.tab);
              assert.ok(bid * WAD >= p.beg * before.bid || bid === before.tab, "bid rose by less than beg");
              seen.add(bid === before.tab ? "tend-to-tab" : "tend");
            } else {
              a = v.apply(dent(p, before, { guy: call.who, lot: l, bid, now }));
              assert.equal(phase(before), "dent", "a dent passed before bid = tab");
              assert.ok(l < before.lot && p.beg * l <= before.lot * WAD, "lot fell by less than beg");
              seen.add("dent");
            }
            assert.ok(before.tic === 0n || before.tic > now);
            assert.ok(before.end > now);
          } catch (e) {
            if (!isVenueRevert(e, "maker")) throw e;
            a = before; // a revert changes nothing
            seen.add(`revert ${e.reason}`);
            if (
              call.kind === "dent" &&
              before !== null &&
              phase(before) === "tend" &&
              e.reason !== "Flipper/not-matching-bid"
            )
              assert.ok(
                [
                  "Flipper/tend-not-finished",
                  "Flipper/already-finished-tic",
                  "Flipper/already-finished-end",
                ].includes(e.reason),
                e.reason,
              );
            if (call.kind === "tend" && before !== null && phase(before) === "dent")
              assert.ok(
                [
                  "Flipper/bid-not-higher",
                  "Flipper/higher-than-tab",
                  "Flipper/already-finished-tic",
                  "Flipper/already-finished-end",
                ].includes(e.reason),
                e.reason,
              );
          }
        }
        const raised = v.dai("vow");
        assert.ok(raised <= tab, `raised ${raised} > tab ${tab}`);
        const current = a ?? null;
        // DAI: vow holds exactly the high bid; every bidder but the high bidder is whole
        const highBid = current === null ? finalBid : current.bid;
        const high = current === null ? winner : current.guy;
        assert.equal(raised, highBid);
        for (const who of BIDDERS) {
          const dai = v.dai(who);
          assert.equal(dai, who === high ? -highBid : 0n, `${who} out of pocket ${-dai}`);
        }
        // collateral: kicked lot = in the Flipper + returned to usr + won
        const returned = v.gem("usr");
        const inFlipper = v.gem("flipper");
        const won = current === null && winner !== "" ? v.gem(winner) : 0n;
        assert.equal(inFlipper + returned + won, lot);
        if (current === null) assert.equal(inFlipper, 0n);
      }),
      { numRuns: 600 },
    );
    for (const want of ["tend", "tend-to-tab", "dent", "deal", "revert Flipper/insufficient-increase"])
      assert.ok(seen.has(want), `never saw ${want}: ${[...seen].join(", ")}`);
  });
});

/**
 * Invariants of the Vow and the Flopper (src/venues/maker-flop.ts) over random runs, for both dss
 * releases:
 * - an accepted dent keeps the bid and lowers the lot by at least beg (beg·lot ≤ lot₀·WAD);
 * - the Vow receives the fixed bid exactly once (on the first dent); every outbid bidder is refunded in
 *   full, so only the winner is out of pocket, by the bid; deal mints exactly the final lot;
 * - the Vow's books never go wrong: Woe = Awe − Sin − Ash ≥ 0 after any accepted fess, flog, heal,
 *   kiss or flop, and every call that would break it reverts instead.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { WAD } from "../../src/math/fixed-point.js";
import { applyTransfers, type FlipHoldings, maximumDentLot } from "../../src/venues/maker-flip.js";
import {
  deal,
  dent,
  EMPTY_VOW,
  type FlopAuction,
  type FlopperParams,
  fess,
  flog,
  flop,
  heal,
  kick,
  kiss,
  MKR_MINT,
  type VowState,
  woe,
} from "../../src/venues/maker-flop.js";
import { isVenueRevert } from "../../src/venues/revert.js";

const BIDDERS = ["ali", "bob", "cat"] as const;

const paramsArb: fc.Arbitrary<FlopperParams> = fc.record({
  beg: fc.bigInt(WAD, (WAD * 12n) / 10n),
  pad: fc.bigInt(WAD, 2n * WAD),
  ttl: fc.bigInt(1n, 3_600n),
  tau: fc.bigInt(1n, 20_000n),
  version: fc.constantFrom("1.0" as const, "1.2" as const),
});

describe("Flopper (property)", () => {
  it("beg on every dent, the Vow paid once, full refunds, the final lot minted", () => {
    fc.assert(
      fc.property(
        paramsArb,
        fc.bigInt(1n, 10n ** 24n),
        fc.bigInt(1n, 10n ** 22n),
        fc.array(
          fc.record({
            who: fc.constantFrom(...BIDDERS),
            wait: fc.bigInt(0n, 5_000n),
            per: fc.bigInt(0n, 1_000n),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (p, bid, lot0, calls) => {
          let now = 1_000n;
          let a: FlopAuction | null = kick(p, { gal: "vow", lot: lot0, bid, now });
          let h: Record<string, FlipHoldings> = {};
          let dents = 0;
          for (const c of calls) {
            now += c.wait;
            const before: FlopAuction = a as FlopAuction;
            if (before.tic !== 0n && (before.tic < now || before.end < now)) {
              const r = deal(p, before, now);
              h = applyTransfers(h, r.transfers);
              assert.equal(-(h[MKR_MINT]?.gem ?? 0n), before.lot);
              assert.equal(h[before.guy]?.gem ?? 0n, before.lot);
              a = null;
              break;
            }
            const max = maximumDentLot(p, before);
            const lot = max - (max * c.per) / 1_000n;
            try {
              const r = dent(p, before, { guy: c.who, lot, bid, now, ash: bid });
              assert.ok(p.beg * lot <= before.lot * WAD && lot < before.lot, "lot fell by less than beg");
              assert.equal(r.auction?.bid, bid);
              assert.equal(r.kiss, p.version === "1.2" && before.tic === 0n ? bid : 0n);
              h = applyTransfers(h, r.transfers);
              a = r.auction;
              dents++;
            } catch (e) {
              if (!isVenueRevert(e, "maker")) throw e;
              assert.ok(
                [
                  "Flopper/already-finished-end",
                  "Flopper/lot-not-lower",
                  "Flopper/already-finished-tic",
                ].includes(e.reason),
                e.reason,
              );
            }
          }
          assert.equal(h.vow?.dai ?? 0n, dents > 0 ? bid : 0n, "the Vow got the bid other than once");
          const high = a === null ? null : a.guy;
          for (const who of BIDDERS) {
            const out = -(h[who]?.dai ?? 0n);
            if (out !== 0n) assert.equal(out, bid, `${who} is out of pocket by ${out}`);
            if (out !== 0n && high !== null) assert.equal(who, high);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("Vow (property)", () => {
  const vowParams = { wait: 100n, dump: 250n * WAD, sump: 50n, bump: 10n, hump: 0n };
  const opArb = fc.record({
    op: fc.constantFrom("fess", "flog", "heal", "kiss", "flop", "dai"),
    amount: fc.bigInt(0n, 200n),
    wait: fc.bigInt(0n, 120n),
  });
  it("Woe = Awe − Sin − Ash ≥ 0 after every accepted call; a call that would break it reverts", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.constantFrom("1.0" as const, "1.2" as const),
        (ops, version) => {
          const p: FlopperParams = { beg: WAD, pad: WAD, ttl: 10n, tau: 100n, version };
          let vow: VowState = EMPTY_VOW;
          let now = 1_000n;
          for (const o of ops) {
            now += o.wait;
            try {
              if (o.op === "fess") vow = fess(vow, { tab: o.amount, now, grab: true });
              else if (o.op === "flog") {
                const era = Object.keys(vow.queue)[0];
                if (era !== undefined) vow = flog(vowParams, vow, { era: BigInt(era), now });
              } else if (o.op === "heal") vow = heal(vow, o.amount);
              else if (o.op === "kiss") vow = kiss(vow, o.amount);
              else if (o.op === "flop") vow = flop(vowParams, p, vow, { now }).vow;
              else vow = { ...vow, joy: vow.joy + o.amount };
            } catch (e) {
              if (!isVenueRevert(e, "maker")) throw e;
            }
            assert.ok(woe(vow) >= 0n);
            assert.ok(vow.joy >= 0n && vow.Ash >= 0n && vow.Sin >= 0n);
            const queued = Object.values(vow.queue).reduce((s, x) => s + x, 0n);
            assert.equal(queued, vow.Sin);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

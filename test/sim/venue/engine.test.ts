/**
 * The perp venue engine (src/sim/venue/engine.ts).
 *
 * Independent checks: the liquidated set against the running minimum (longs) / maximum (shorts) of
 * the path read from the population's columns; the insurance fund's result of one take-over
 * against the `liquidate` report of the Binance rulebook (src/venues/perp-liquidation-report.ts:
 * closed at the mark, `PnL(mark) − PnL(bankruptcy)`; Binance's liquidation protocol: "the user's
 * position will be closed at the bankruptcy price and the Insurance Fund will take over the
 * position ... A portion of the remaining collateral (if any) will go to the Insurance Fund", as
 * reproduced at https://docs.traderwagon.com/faq/futures-trading-introduction/liquidation-protocol,
 * and Binance "Insurance Fund", https://www.binance.com/en/support/articles/360033525371: the fund
 * takes the positions over and offloads them onto the market); the ADL haircuts against
 * `applyAdlPolicy` on the same winners rebuilt from the columns. Properties (fast-check):
 * conservation of the ledger, monotonicity of bad debt in capacity, impact never saving a position
 * on a falling path, and bit-identical reruns after `reset()`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import {
  ADL_POLICIES,
  type AdlPolicyName,
  applyAdlPolicy,
  VENUE_ADL_POLICIES,
} from "../../../src/sim/venue/adl-policy.js";
import { PerpVenue, type PerpVenueParams, replayVenue } from "../../../src/sim/venue/engine.js";
import { loadPopulation } from "../../../src/sim/venue/population.js";
import { gmxProcedure } from "../../../src/sim/venue/procedure-gmx.js";
import { hyperliquidProcedure } from "../../../src/sim/venue/procedure-hyperliquid.js";
import { resolveAccountDocument } from "../../../src/venues/account-document.js";
import { adlQueue } from "../../../src/venues/mechanisms/adl-queue.js";
import { perpLiquidateReport } from "../../../src/venues/perp-liquidation-report.js";
import { assertNear } from "../../helpers/close.js";
import { book, pathOf, population } from "./book.js";

const base: PerpVenueParams = {
  insuranceFundUsd: 1e6,
  liquidationFeeRate: 0.003,
  liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
  adlPolicy: "pro-rata",
};

const stepsArb = fc.array(fc.double({ min: -0.12, max: 0.08, noNaN: true }), { minLength: 1, maxLength: 40 });
const fallingArb = fc.array(fc.double({ min: -0.06, max: 0, noNaN: true }), { minLength: 1, maxLength: 30 });

describe("PerpVenue: the ledger", () => {
  it("conserves cash: collateral + fund + vault + market + uncovered + liquidators + funding + pool = start, to 1e-9 relative, Binance, Hyperliquid, Drift or GMX v2 procedure (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        stepsArb,
        fc.constantFrom(...VENUE_ADL_POLICIES),
        fc.double({ min: 0, max: 2e6, noNaN: true }),
        fc.constantFrom(Number.POSITIVE_INFINITY, 5e5, 5e6),
        fc.boolean(),
        fc.constantFrom(undefined, 0, 3e5, "drift-v2" as const, "gmx-v2" as const),
        (seed, steps, policy, fund, capacity, withImpact, procedure) => {
          const p = population(120, seed);
          // GMX v2: the pool is the counterparty, keepers close at the oracle (no impact, no capacity)
          const gmx = procedure === "gmx-v2";
          const vault = typeof procedure === "number" ? procedure : undefined;
          const params: PerpVenueParams = {
            ...base,
            insuranceFundUsd: fund,
            liquidatorCapacityUsdPerStep: gmx ? Number.POSITIVE_INFINITY : capacity,
            adlPolicy: policy,
            ...(policy === "capped-pro-rata" ? { capOfEquity: 0.5 } : {}),
            ...(withImpact && !gmx
              ? { impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 5e8, halfLifeSteps: 3 } }
              : {}),
            ...(vault === undefined
              ? {}
              : { procedure: { ...hyperliquidProcedure(60, vault), cooldownSteps: 2 } }),
            ...(procedure === "drift-v2"
              ? {
                  procedure: {
                    kind: "drift-v2",
                    liquidatorFee: 0.01,
                    ifLiquidationFee: 0.01,
                    liquidationMarginBufferRatio: 0.02,
                  },
                }
              : {}),
            ...(gmx
              ? { procedure: { ...gmxProcedure(3e7), maxPnlFactorForAdl: 0.2, minPnlFactorAfterAdl: 0.1 } }
              : {}),
          };
          const r = replayVenue(p, params, pathOf(steps));
          const l = r.ledger;
          assert.equal(
            l.vaultUsd === undefined,
            vault === undefined,
            "a vault balance with the procedure only",
          );
          assert.equal(
            l.fundingUsd === undefined,
            procedure !== "drift-v2",
            "a funding account with Drift's only",
          );
          const total =
            l.collateralUsd +
            l.fundUsd +
            (l.vaultUsd ?? 0) +
            l.marketUsd +
            l.uncoveredUsd +
            (l.liquidatorsUsd ?? 0) +
            (l.fundingUsd ?? 0) +
            (l.poolUsd ?? 0);
          assert.equal(l.poolUsd === undefined, !gmx, "a pool balance with GMX v2 only");
          assert.ok(
            Math.abs(total - l.startTotalUsd) <= 1e-9 * l.startTotalUsd,
            `${total} vs ${l.startTotalUsd}`,
          );
          assert.ok(
            r.fundUsd.every((f) => f >= 0),
            "the fund never stays negative",
          );
          assert.ok(r.totals.uncoveredUsd >= 0);
          assertNear(-l.uncoveredUsd, r.totals.uncoveredUsd, 0, "uncovered");
          if (l.fundingUsd !== undefined) {
            assert.ok(Math.abs(l.fundingUsd) <= 1e-9 * l.startTotalUsd, "every advanced loss charged");
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("PerpVenue: who is liquidated", () => {
  it("without impact and capacity limit: exactly the positions the path's running min/max crossed, at the first crossing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), stepsArb, (seed, steps) => {
        const p = population(150, seed);
        const marks = pathOf(steps);
        // A fund no deficit can exhaust: no ADL, so no liquidation price moves.
        const r = replayVenue(p, { ...base, insuranceFundUsd: 1e15 }, marks);
        for (let i = 0; i < p.length; i++) {
          const q = p.size[i] as number;
          const lp = p.liquidationPrice[i] as number;
          let first = -1;
          for (let k = 0; k < marks.length && first < 0 && !Number.isNaN(lp); k++) {
            const m = marks[k] as number;
            if (q > 0 ? m <= lp : m >= lp) first = k;
          }
          assert.equal(r.liquidatedAt[i], first, `position ${i}`);
        }
        assert.equal(r.totals.impactInduced, 0);
      }),
      { numRuns: 40 },
    );
  });

  it("a single Binance take-over gives the fund the rulebook's result at the mark (surplus with the fee, or the shortfall)", () => {
    for (const [mark, margin] of [
      [59_200, 1_000],
      [58_000, 1_000],
      [55_000, 3_000],
    ] as const) {
      const doc = {
        venue: "binance-usdm",
        marginMode: "isolated",
        walletBalance: 0,
        positions: [
          { symbol: "BTCUSDT", size: 1, entryPrice: 60_000, markPrice: 60_000, isolatedMargin: margin },
        ],
      };
      const p = loadPopulation(JSON.stringify(doc));
      const report = perpLiquidateReport(
        resolveAccountDocument({ ...doc, positions: [{ ...doc.positions[0], markPrice: mark }] }),
      );
      const [row] = report.positions;
      assert.ok(row !== undefined && row.insuranceFund.closedAtMark !== null);
      const fund0 = 10_000;
      const r = replayVenue(
        p,
        { ...base, insuranceFundUsd: fund0, liquidationFeeRate: row.liquidationFeeRate },
        Float64Array.of(60_000, mark),
      );
      assert.deepEqual(Array.from(r.liquidatedAt), [1]);
      assertNear(r.ledger.fundUsd - fund0, row.insuranceFund.closedAtMark, 1e-9, `fund delta at ${mark}`);
      const equity = row.insuranceFund.closedAtMark;
      // The fee is the rulebook's rate × notional, out of what the account had left.
      assertNear(r.totals.feesUsd, Math.max(0, Math.min(row.liquidationFee, equity)), 1e-9, "fee");
      assertNear(r.totals.badDebtUsd, Math.max(0, -equity), 1e-9, "bad debt");
    }
  });
});

/** One bankrupt 10 BTC long (entry 100,000, margin 20,000) and shorts of various entries and margins. */
const adlBook = book([
  [10, 100_000, 20_000],
  [-1, 104_000, 10_000],
  [-2, 101_000, 30_000],
  [-0.5, 110_000, 4_000],
  [-3, 100_500, 50_000],
  [-1, 90_000, 50_000], // a loser at the crash mark: not a winner
  [1, 70_000, 40_000], // a long in profit on the losers' side: not a winner
]);

describe("PerpVenue: the fund runs out → ADL", () => {
  for (const policy of ADL_POLICIES) {
    it(`${policy}: haircuts equal applyAdlPolicy on the same winners; the fund ends at max(0, executed − needed)`, () => {
      const params: PerpVenueParams = {
        ...base,
        insuranceFundUsd: 1_000,
        adlPolicy: policy,
        ...(policy === "capped-pro-rata" ? { capOfEquity: 0.2 } : {}),
      };
      const crash = 95_000; // the long's bankruptcy price is 98,000: 30,000 short, 1,000 in the fund
      const venue = new PerpVenue(adlBook, params);
      venue.step(crash);
      const r = venue.record;
      assert.equal(r.takenOver, 1);
      assertNear(r.badDebtUsd, 30_000, 1e-9, "bad debt");
      assertNear(r.adlNeededUsd, 29_000, 1e-9, "deficit");
      // The winners from the columns: shorts in profit at the crash mark.
      const slots = [1, 2, 3, 4];
      const pnl = Float64Array.from(
        slots,
        (i) => (adlBook.size[i] as number) * (crash - (adlBook.entryPrice[i] as number)),
      );
      const winners = {
        pnl,
        equity: Float64Array.from(
          slots,
          (i, j) => (adlBook.isolatedMargin[i] as number) + (pnl[j] as number),
        ),
        notional: Float64Array.from(slots, (i) => Math.abs(adlBook.size[i] as number) * crash),
      };
      const expected = new Float64Array(slots.length);
      applyAdlPolicy(
        policy,
        winners,
        29_000,
        { side: -1, capOfEquity: 0.2 },
        expected,
        new Float64Array(slots.length),
      );
      slots.forEach((i, j) => {
        assertNear(venue.haircutUsd[i], expected[j] as number, 1e-9, `haircut ${i}`);
      });
      assert.equal(venue.haircutUsd[5], 0);
      assert.equal(venue.haircutUsd[6], 0);
      const executed = expected.reduce((a, b) => a + b, 0);
      assertNear(r.adlExecutedUsd, executed, 1e-9, "executed");
      assertNear(venue.fundUsd, Math.max(0, executed - 29_000), 1e-6, "fund after ADL");
      if (policy === "pro-rata" || policy === "water-filling" || policy === "rap") {
        assertNear(executed, 29_000, 1e-6, "zero overshoot");
        assert.ok(venue.totals.adlOvershootUsd < 1e-6);
      }
      if (policy === "queue" || policy === "queue-hyperliquid") {
        assert.ok(executed >= 29_000, "the queue covers the deficit");
        // Closed whole: the haircut winners have no position left.
        for (const i of slots) if ((venue.haircutUsd[i] as number) > 0) assert.equal(venue.size[i], 0);
      }
      if (policy === "pro-rata") {
        // Every winner keeps the same share of its position, 1 − D/Σw.
        const share = 1 - 29_000 / pnl.reduce((a, b) => a + b, 0);
        for (const i of slots)
          assertNear(venue.size[i], (adlBook.size[i] as number) * share, 1e-12, `size ${i}`);
      }
    });
  }

  for (const [policy, venue] of [
    ["queue-contracts", "binance-usdm"],
    ["queue-hyperliquid-contracts", "hyperliquid"],
  ] as const) {
    it(`${policy}: the bankrupt contracts close at its bankruptcy price down the rulebook's ${venue} ranking (adlQueue)`, () => {
      // A 3 BTC long of entry 100,000 and margin 6,000: bankruptcy price 98,000; at 95,000 its
      // deficit is 3·3,000 = 9,000, of which the fund's 1,000 leaves 8,000 needed: the remaining
      // 8,000/3,000 = 8/3 contracts are deleveraged.
      const b = book([
        [3, 100_000, 6_000],
        [-1, 104_000, 10_000],
        [-2, 101_000, 30_000],
        [-0.5, 110_000, 4_000],
        [-3, 100_500, 50_000],
        [-1, 90_000, 50_000], // a loser at the crash mark: not a counterparty
      ]);
      const crash = 95_000;
      const v = new PerpVenue(b, { ...base, insuranceFundUsd: 1_000, adlPolicy: policy });
      v.step(crash);
      const r = v.record;
      assertNear(r.badDebtUsd, 9_000, 1e-9, "bad debt");
      assertNear(r.adlNeededUsd, 8_000, 1e-9, "needed");
      // The rulebook's queue on the shorts in profit, closed at the bankrupt long's price.
      const winners = [1, 2, 3, 4];
      const report = adlQueue({
        venue,
        markPrice: crash,
        liquidated: { id: "long", size: 8 / 3, bankruptcyPrice: 98_000 },
        counterparties: winners.map((i) => {
          const size = b.size[i] as number;
          const entry = b.entryPrice[i] as number;
          const m = b.isolatedMargin[i] as number;
          return {
            id: String(i),
            size,
            entryPrice: entry,
            markPrice: crash,
            bankruptcyPrice: entry - m / size,
            equity: m + size * (crash - entry),
          };
        }),
        fillAt: "bankruptcy",
      });
      assertNear(report.filledQuantity, 8 / 3, 1e-12, "filled");
      for (const i of winners) {
        const fill = report.fills.find((f) => f.id === String(i));
        assertNear(v.haircutUsd[i], fill === undefined ? 0 : fill.lossTaken, 1e-9, `haircut ${i}`);
        const closed = fill?.quantity ?? 0;
        assertNear(v.size[i], (b.size[i] as number) + closed, 1e-12, `size ${i}`);
      }
      // Executed Σ q·|mark − bankruptcy price| is the need: no overshoot at the event.
      assertNear(r.adlExecutedUsd, 8_000, 1e-9, "executed");
      assert.ok(v.totals.adlOvershootUsd < 1e-9);
      assertNear(v.fundUsd, 0, 1e-9, "the fund ends at 0");
      assert.equal(v.adlMetrics.length, 1);
      assertNear(v.adlMetrics[0]?.used ?? 0, 8_000, 1e-9, "metrics used");
    });
  }

  it("a contract-space queue with too few counterparties writes the rest off", () => {
    const p = book([
      [10, 100_000, 20_000],
      [-0.1, 96_000, 5_000],
    ]);
    const r = replayVenue(
      p,
      { ...base, insuranceFundUsd: 0, adlPolicy: "queue-contracts" },
      Float64Array.of(90_000),
    );
    // 10 BTC bankrupt 8,000 below the mark; the one winner takes 0.1 of them: 800.
    assertNear(r.totals.adlExecutedUsd, 800, 1e-9, "executed");
    assertNear(r.totals.uncoveredUsd, 79_200, 1e-9, "uncovered");
  });

  it("a deficit beyond the winners' PnL is written off as uncovered", () => {
    const p = book([
      [10, 100_000, 20_000],
      [-0.1, 96_000, 5_000],
    ]);
    const r = replayVenue(p, { ...base, insuranceFundUsd: 0 }, Float64Array.of(90_000));
    // Shortfall 10·(98,000 − 90,000) = 80,000; the one winner has 600 of PnL.
    assertNear(r.totals.badDebtUsd, 80_000, 1e-9, "bad debt");
    assertNear(r.totals.adlExecutedUsd, 600, 1e-9, "executed");
    assertNear(r.totals.uncoveredUsd, 79_400, 1e-9, "uncovered");
    assert.equal(r.fundUsd[0], 0);
    assert.equal(r.totals.fundExhausted, true);
  });
});

describe("PerpVenue: liquidator capacity", () => {
  it("positions over the capacity wait in the FIFO queue and close later, at worse prices", () => {
    const p = book([
      [1, 100_000, 5_000],
      [1, 100_000, 5_100],
      [1, 100_000, 5_200],
    ]);
    const marks = Float64Array.of(94_000, 90_000, 86_000, 82_000);
    const unlimited = replayVenue(p, base, marks);
    const limited = replayVenue(p, { ...base, liquidatorCapacityUsdPerStep: 100_000 }, marks);
    assert.deepEqual(Array.from(limited.liquidatedAt), Array.from(unlimited.liquidatedAt));
    assert.deepEqual(Array.from(limited.queued), [2, 1, 0, 0]);
    assert.ok(limited.totals.badDebtUsd > unlimited.totals.badDebtUsd);
    // Unlimited: all three fill at 94,000: shortfalls 6,000 − margin.
    assertNear(unlimited.totals.badDebtUsd, 1_000 + 900 + 800, 1e-9, "unlimited bad debt");
    // 100,000 a step, the last position of a step partly: at 94,000 the first and 6/94 BTC of the
    // second; at 90,000 the rest of the second and 15,744.68/90,000 BTC of the third; at 86,000 the rest.
    const b2 = (6 / 94) * 6_000 + (88 / 94) * 10_000 - 5_100;
    const f3 = (100_000 - 90_000 * (88 / 94)) / 90_000;
    const b3 = f3 * 10_000 + (1 - f3) * 14_000 - 5_200;
    assertNear(limited.totals.badDebtUsd, 1_000 + b2 + b3, 1e-6, "limited bad debt");
  });

  it("less capacity never lowers bad debt (closed and still queued) on a falling path (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fallingArb,
        fc.double({ min: 1e4, max: 1e7, noNaN: true }),
        fc.double({ min: 1.01, max: 10, noNaN: true }),
        (seed, steps, small, ratio) => {
          const p = population(100, seed);
          const marks = pathOf(steps);
          const params = { ...base, insuranceFundUsd: 1e15 };
          const a = replayVenue(p, { ...params, liquidatorCapacityUsdPerStep: small }, marks);
          const b = replayVenue(p, { ...params, liquidatorCapacityUsdPerStep: small * ratio }, marks);
          // Realized bad debt plus that of the positions still queued, at the last mark.
          const debt = (t: typeof a.totals) => t.badDebtUsd + t.pendingBadDebtUsd;
          assert.ok(debt(a.totals) >= debt(b.totals) - 1e-6 * (1 + debt(b.totals)));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("PerpVenue: impact feedback", () => {
  const impact = { y: 1, dailyVol: 0.03, dailyVolumeUsd: 2e7, halfLifeSteps: 5 };

  it("a liquidation's impact crosses the next position: an impact-induced liquidation (cascade)", () => {
    // Two longs; the first's liquidation price is crossed by the path, the second's only by the impact.
    const p = book([
      [20, 100_000, 150_000],
      [20, 100_000, 160_000],
    ]);
    const [l0, l1] = p.liquidationPrice;
    assert.ok(l0 !== undefined && l1 !== undefined && l0 > l1);
    const marks = Float64Array.of(l0 * 0.999);
    const none = replayVenue(p, base, marks);
    assert.equal(none.totals.takenOver, 1);
    const r = replayVenue(p, { ...base, impact }, marks);
    // 20 BTC ≈ 1.8 M USD sold into a 20 M USD day: ΔI = −0.03·√(0.09) ≈ −0.9 %, which crosses the second.
    assert.ok((r.mark[0] as number) < l1);
    assert.equal(r.totals.takenOver, 2);
    assert.equal(r.totals.impactInduced, 1);
    assert.ok(r.totals.badDebtUsd >= none.totals.badDebtUsd);
  });

  it("cascade depth: the impact of the first round's closes crosses a second, theirs a third (depth 3); without impact depth 1", () => {
    // Four longs of 20 BTC; the path crosses only the first. Each round's closes sell 20 BTC more into a
    // 20 M USD day, ΔI = −0.03·√(Q/V): −0.9 %, −1.3 %, −1.6 % after one, two and three closes, which
    // cross the second (−0.5 %) and the third (−1.1 %) in turn but not the fourth (−3.2 %).
    const p = book([
      [20, 100_000, 150_000],
      [20, 100_000, 161_000],
      [20, 100_000, 172_000],
      [20, 100_000, 211_000],
    ]);
    const [l0, l1, l2, l3] = p.liquidationPrice;
    assert.ok(l0 !== undefined && l1 !== undefined && l2 !== undefined && l3 !== undefined);
    assert.ok(l0 > l1 && l1 > l2 && l2 > l3);
    const marks = Float64Array.of(l0 * 0.999, l0 * 0.999);
    const none = replayVenue(p, base, marks);
    assert.deepEqual([...none.cascadeDepth], [1, 0]);
    assert.equal(none.totals.takenOver, 1);
    const r = replayVenue(p, { ...base, impact }, marks);
    assert.deepEqual([...r.cascadeDepth], [3, 0]);
    assert.equal(r.totals.takenOver, 3);
    assert.equal(r.totals.impactInduced, 2);
    assert.ok((r.mark[0] as number) < l2 && (r.mark[0] as number) > l3);
  });

  it("cascade depth: 0 without a take-over, at most the take-overs, at most 1 without impact (property)", () => {
    fc.assert(
      fc.property(fallingArb, fc.integer({ min: 0, max: 1000 }), fc.boolean(), (steps, seed, withImpact) => {
        const p = population(30, seed);
        const r = replayVenue(p, withImpact ? { ...base, impact } : base, pathOf(steps));
        r.cascadeDepth.forEach((depth, k) => {
          const taken = r.takenOver[k] as number;
          assert.ok(Number.isInteger(depth) && depth >= 0 && depth <= taken, `step ${k}`);
          assert.equal(depth > 0, taken > 0, `step ${k}`);
          if (!withImpact) assert.ok(depth <= 1, `step ${k}`);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("impact never saves a position on a falling path: the liquidated set contains the no-impact set (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fallingArb,
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        (seed, steps, y, halfLife) => {
          const p = population(100, seed);
          const marks = pathOf(steps);
          const params = { ...base, insuranceFundUsd: 1e15 };
          const a = replayVenue(p, params, marks);
          const b = replayVenue(p, { ...params, impact: { ...impact, y, halfLifeSteps: halfLife } }, marks);
          for (let i = 0; i < p.length; i++) {
            if ((a.liquidatedAt[i] as number) >= 0) {
              assert.ok(
                (b.liquidatedAt[i] as number) >= 0 &&
                  (b.liquidatedAt[i] as number) <= (a.liquidatedAt[i] as number),
              );
            }
          }
          assert.ok(b.totals.takenOver >= a.totals.takenOver);
          assert.equal(b.totals.takenOver - a.totals.takenOver <= b.totals.impactInduced, true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("more impact (a larger Y) liquidates no fewer positions on a falling path (property; assumption 43)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fallingArb,
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 1.1, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        (seed, steps, y, ratio, halfLife) => {
          const p = population(100, seed);
          const marks = pathOf(steps);
          const params = { ...base, insuranceFundUsd: 1e15 };
          const a = replayVenue(p, { ...params, impact: { ...impact, y, halfLifeSteps: halfLife } }, marks);
          const b = replayVenue(
            p,
            { ...params, impact: { ...impact, y: y * ratio, halfLifeSteps: halfLife } },
            marks,
          );
          assert.ok(b.totals.takenOver >= a.totals.takenOver);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a thin book (depth scale < 1) moves the price more", () => {
    const p = book([[20, 100_000, 200_000]]);
    const marks = Float64Array.of(90_000);
    const deep = replayVenue(p, { ...base, impact }, marks);
    const thin = replayVenue(p, { ...base, impact, depthScale: Float64Array.of(0.25) }, marks);
    // √(1/0.25) = 2: twice the log impact.
    assertNear(
      Math.log((thin.mark[0] as number) / 90_000),
      2 * Math.log((deep.mark[0] as number) / 90_000),
      1e-12,
      "impact",
    );
  });
});

describe("PerpVenue: reset", () => {
  it("reset() then a rerun gives bit-identical records and totals", () => {
    const p = population(300, 5);
    const marks = pathOf([-0.05, -0.04, 0.02, -0.1, -0.03, 0.05, -0.02]);
    const venue = new PerpVenue(p, {
      ...base,
      insuranceFundUsd: 1e4,
      liquidatorCapacityUsdPerStep: 2e6,
      adlPolicy: "queue",
      impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 1e8, halfLifeSteps: 2 },
    });
    const run = () => {
      const records = [];
      for (const m of marks) {
        venue.step(m);
        records.push({ ...venue.record });
      }
      return {
        records,
        totals: { ...venue.totals },
        at: venue.liquidatedAt.slice(),
        size: venue.size.slice(),
      };
    };
    const first = run();
    assert.ok(first.totals.takenOver > 0);
    venue.reset();
    assert.deepEqual(run(), first);
  });
});

describe("PerpVenue: bad parameters", () => {
  const p = book([[1, 100_000, 10_000]]);
  const cases: [Partial<PerpVenueParams> & Record<string, unknown>, string][] = [
    [{ insuranceFundUsd: -1 }, "insuranceFundUsd"],
    [{ liquidatorCapacityUsdPerStep: Number.NaN }, "liquidatorCapacityUsdPerStep"],
    [{ liquidatorCapacityUsdPerStep: 0 }, "liquidatorCapacityUsdPerStep"],
    [{ liquidationFeeRate: 1.5 }, "liquidationFeeRate"],
    [{ adlPolicy: "lottery" as AdlPolicyName }, "adlPolicy"],
    [{ adlPolicy: "capped-pro-rata" }, "capOfEquity"],
    [{ impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 1e9, halfLifeSteps: 0 } }, "impact.halfLifeSteps"],
    [{ impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: -1, halfLifeSteps: 3 } }, "impact.dailyVolumeUsd"],
    [{ depthScale: Float64Array.of(1, 0) }, "depthScale[1]"],
  ];
  for (const [override, field] of cases) {
    it(`refuses a bad ${field}, naming it`, () => {
      assert.throws(
        () => new PerpVenue(p, { ...base, ...override } as PerpVenueParams),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    });
  }
  it("refuses a non-positive mark", () => {
    const venue = new PerpVenue(p, base);
    assert.throws(
      () => venue.step(0),
      (e: unknown) => e instanceof InputError && e.field === "mark",
    );
  });
});

/**
 * GMX v2's liquidations against the GM pool and its pool ADL in the perp venue
 * (src/sim/venue/procedure-gmx.ts).
 *
 * Independent checks, from gmx-io/gmx-synthetics' own tests (read through the project's search tool):
 * - `test/guardian/testLiquidation.ts`: SOL/USD, 1 WETH collateral behind $450,000 (30,000 SOL at
 *   $15), the hardhat market (1 % minimum collateral factor, $1 minimum, no fees, no impact): with
 *   WETH at $2,500 and SOL at $14.99 the keeper liquidates and 0.88 WETH ($2,200) goes back to the
 *   trader; with WETH at $5,000 the position is safe. Collateral is in USD here (1 WETH = its USD value).
 * - `test/guardian/testADL.ts` "ADL cannot execute when PnL to pool ratio not exceeded": a pool of
 *   1,000 WETH at $5,000 ($5M), a $2M long of 100,000 SOL at $20, `MAX_PNL_FACTOR_FOR_ADL` 10 %,
 *   `MIN_PNL_FACTOR_AFTER_ADL` 2 %: ADL stays off at $22 and at $25 ("$500,000 which is 10% of the pool
 *   value ... on the border") and is enabled at $26 (12 %).
 * - The settlement of every liquidation against the rulebook `liquidationOrder`
 *   (src/venues/gmx-v2/liquidation-order.ts, parity-tested in test/parity/gmx-v2.test.ts) on the same
 *   state: the position, the market's open interest before it, the oracle price.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { PerpVenue, type PerpVenueParams, replayVenue } from "../../../src/sim/venue/engine.js";
import { type GmxProcedureParams, gmxProcedure } from "../../../src/sim/venue/procedure-gmx.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../../src/sim/venue/scenario-report.js";
import { type GmxMarket, liquidationOrder } from "../../../src/venues/gmx-v2.js";
import { getVenue } from "../../../src/venues/index.js";
import { assertNear } from "../../helpers/close.js";
import { perpBook } from "../../helpers/perp-book.js";
import { pathOf, population } from "./book.js";

const tiers = getVenue("hyperliquid").tierTable("BTC").tiers;
const book = (rows: readonly (readonly [number, number, number])[], mark: number) =>
  perpBook(rows, tiers, mark);

/** The hardhat market of the contracts' tests: 1 %, $1, no fees, no impact, no liquidation fee. */
const HARDHAT: GmxProcedureParams = {
  ...gmxProcedure(5e6),
  minCollateralFactorForLiquidation: 0.01,
  minCollateralUsd: 1,
  positionFeeFactor: { positiveImpact: 0, negativeImpact: 0 },
  liquidationFeeFactor: 0,
  impact: { positiveImpactFactor: 0, negativeImpactFactor: 0, positiveExponent: 1, negativeExponent: 1 },
  maxPositionImpactFactorForLiquidations: 0.01,
};

const venue = (procedure: GmxProcedureParams): PerpVenueParams => ({
  insuranceFundUsd: 0,
  liquidationFeeRate: 0,
  liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
  adlPolicy: "pro-rata",
  procedure,
});

const path = (...marks: number[]) => Float64Array.from(marks);

const conserved = (l: ReturnType<typeof replayVenue>["ledger"]) => {
  const total =
    l.collateralUsd + l.fundUsd + (l.vaultUsd ?? 0) + l.marketUsd + l.uncoveredUsd + (l.poolUsd ?? 0);
  assert.ok(Math.abs(total - l.startTotalUsd) <= 1e-9 * l.startTotalUsd, `${total} vs ${l.startTotalUsd}`);
};

describe("GMX v2 liquidations in the venue: parity with the contracts' tests", () => {
  it("testLiquidation.ts: the SOL long on 1 WETH at $2,500 is liquidated at $14.99 and gets $2,200 back; on $5,000 it is safe", () => {
    const weak = replayVenue(book([[30_000, 15, 2_500]], 15), venue(HARDHAT), path(15.5, 14.99));
    assert.deepEqual([...weak.liquidatedAt], [1]);
    assert.equal(weak.pool?.totals.liquidations, 1);
    // remaining = 2,500 + 30,000·(14.99 − 15) = 2,200 < 1 % of $450,000: returned to the trader
    assertNear(weak.ledger.collateralUsd, 2_200, 1e-9, "0.88 WETH at $2,500 returned");
    assertNear(weak.ledger.poolUsd ?? 0, 5e6 + 300, 1e-9, "the pool receives the loss");
    assert.equal(weak.pool?.totals.lpLossUsd, 0);
    conserved(weak.ledger);
    const strong = replayVenue(book([[30_000, 15, 5_000]], 15), venue(HARDHAT), path(15.5, 14.99));
    assert.deepEqual([...strong.liquidatedAt], [-1], "remaining $4,700 ≥ $4,500");
    assert.equal(strong.ledger.poolUsd, 5e6);
  });

  it("settles each liquidation as the rulebook's liquidationOrder on the same state (fees, capped impact, liquidation fee)", () => {
    // GMX-like parameters; three longs at 2,000 and a larger short (so that closing a long worsens
    // the balance: a negative impact, capped at 1 %); ETH falls to 1,930.
    const p = gmxProcedure(2e8);
    const rows: [number, number, number][] = [
      [500, 2_000, 70_000], // remaining 35,000 less at most 10,600 of costs ≥ 1 % of 1M: safe
      [1_000, 2_000, 100_000], // 30,000 − 20,000 impact − 1,200 fee < 20,000: liquidated, 4,800 back
      [250, 2_000, 12_000], // −5,500 after the loss: an insolvent close
      [-3_000, 2_000, 300_000], // the short, in profit
    ];
    const pop = book(rows, 2_000);
    const r = replayVenue(pop, venue(p), path(2_000, 1_930));
    assert.deepEqual([...r.liquidatedAt], [-1, 1, 1, -1]);
    // The rulebook on the state before each liquidation, in slot order.
    const oi = { long: 1_750 * 2_000, short: 3_000 * 2_000 };
    const market = (): GmxMarket => ({
      symbol: "ETH/USD",
      minCollateralFactor: p.minCollateralFactorForLiquidation,
      minCollateralFactorForLiquidation: p.minCollateralFactorForLiquidation,
      minCollateralFactorForOpenInterestMultiplier: { long: 0, short: 0 },
      minCollateralUsd: p.minCollateralUsd,
      positionFeeFactor: p.positionFeeFactor,
      impact: p.impact,
      maxPositiveImpactFactor: 0.02,
      maxPositionImpactFactorForLiquidations: p.maxPositionImpactFactorForLiquidations,
      liquidationFeeFactor: p.liquidationFeeFactor,
      openInterest: { ...oi },
    });
    const orderOf = (q: number, margin: number) => {
      const o = liquidationOrder(
        {
          isLong: true,
          sizeInUsd: q * 2_000,
          sizeInTokens: q,
          collateralAmount: margin,
          collateralIsIndexToken: false,
          collateralPrice: 1,
          borrowingFeeUsd: 0,
          fundingFeeAmount: 0,
          pendingImpactAmount: 0,
        },
        market(),
        1_930,
      );
      oi.long -= q * 2_000;
      return o;
    };
    const first = orderOf(1_000, 100_000);
    const second = orderOf(250, 12_000);
    assertNear(first.check.priceImpactUsd, -20_000, 1e-6, "the impact, capped at 1 % of $2M");
    assertNear(
      first.collateralReturnedUsd,
      100_000 - 70_000 - 20_000 - 1_200 - 4_000,
      1e-6,
      "0.06 % fee, 0.2 % liquidation fee",
    );
    assert.ok(second.shortfallUsd > 0, "the 50× long is insolvent");
    const venueRun = new PerpVenue(pop, venue(p));
    venueRun.step(2_000);
    venueRun.step(1_930);
    assertNear(venueRun.margin[1] as number, first.collateralReturnedUsd, 1e-9, "returned to the 25× long");
    assert.equal(venueRun.margin[2], 0, "nothing returned to the insolvent long");
    const t = venueRun.gmx?.totals;
    assertNear(t?.lpLossUsd ?? 0, second.shortfallUsd, 1e-9, "the pool bears exactly the shortfall");
    assertNear(
      t?.impactUsd ?? 0,
      -(first.check.priceImpactUsd + second.check.priceImpactUsd),
      1e-9,
      "impact paid to the pool",
    );
    assertNear(
      venueRun.totals.feesUsd,
      first.check.positionFeeUsd +
        first.liquidationFeeUsd +
        second.check.positionFeeUsd +
        second.liquidationFeeUsd,
      1e-9,
      "position and liquidation fees",
    );
    // The pool's change: the traders' losses, the fees and the impact, less the shortfall.
    const lossIn = -(1_000 * -70) - 250 * -70;
    const expectedPool =
      2e8 +
      lossIn -
      first.check.priceImpactUsd -
      second.check.priceImpactUsd +
      venueRun.totals.feesUsd -
      second.shortfallUsd;
    assertNear(venueRun.ledger.poolUsd, expectedPool, 1e-9 * 2e8, "pool balance");
    assertNear(venueRun.totals.badDebtUsd, second.shortfallUsd, 1e-9, "the step's bad debt is the LP loss");
    assert.equal(
      venueRun.gmx?.openInterestUsd(true),
      500 * 2_000,
      "open interest after the two liquidations",
    );
  });
});

describe("GMX v2 pool ADL", () => {
  // testADL.ts: a $5M pool, a $2M long of 100,000 SOL at $20 (its collateral 100 WETH = $500,000).
  const adl: GmxProcedureParams = {
    ...HARDHAT,
    poolUsd: 5e6,
    maxPnlFactorForAdl: 0.1,
    minPnlFactorAfterAdl: 0.02,
  };
  const sol = () => book([[100_000, 20, 500_000]], 20);

  it("testADL.ts: not enabled at $22 (4 %) nor at $25 (10 %, on the border), enabled at $26 (12 %)", () => {
    const r = replayVenue(sol(), venue(adl), path(20, 22, 25));
    assert.equal(r.pool?.totals.adlOrders, 0);
    assertNear(r.pool?.totals.maxPnlToPoolFactor ?? 0, 0.1, 1e-12, "$500,000 / $5,000,000");
    const v = new PerpVenue(sol(), venue(adl));
    for (const x of [20, 22, 25]) v.step(x);
    assertNear(v.gmx?.pnlToPoolFactor(true, 26) ?? 0, 0.12, 1e-12, "12 % at $26");
    v.step(26);
    assert.equal(v.gmx?.totals.adlOrders, 1);
  });

  it("decreases the winner until the factor is exactly minPnlFactorAfterAdl, the pool paying the profit", () => {
    const v = new PerpVenue(sol(), venue(adl));
    for (const x of [20, 26]) v.step(x);
    // x = (600,000 − 0.02·5,000,000)/(1 − 0.02) realized; (600,000 − x)/(5,000,000 − x) = 0.02
    const x = 500_000 / 0.98;
    const t = v.gmx?.totals;
    assertNear(t?.adlPnlPaidUsd ?? 0, x, 1e-9, "profit realized");
    assertNear(
      v.gmx?.pnlToPoolFactor(true, 26) ?? 0,
      0.02,
      1e-12,
      "on the floor, not below (PnlOvercorrected)",
    );
    assertNear(v.size[0] as number, 100_000 * (1 - x / 600_000), 1e-6, "the share closed");
    assertNear(t?.adlNotionalUsd ?? 0, 100_000 * (x / 600_000) * 26, 1e-6, "ADL'd notional at the oracle");
    assertNear(v.ledger.poolUsd, 5e6 - x, 1e-6, "the pool paid it");
    assertNear(v.ledger.collateralUsd, 500_000 + x, 1e-6, "to the account");
    assert.ok(Math.abs(v.ledger.total() - v.ledger.startTotalUsd) <= 1e-9 * v.ledger.startTotalUsd);
  });

  it("takes the largest PnL first and stops when the need is met", () => {
    // Three longs at 20, 21 and 24 on the same pool; at $30 the side's PnL is 1,000,000 + 450,000 + 60,000.
    const pop = book(
      [
        [100_000, 20, 500_000],
        [50_000, 21, 500_000],
        [10_000, 24, 500_000],
      ],
      20,
    );
    const v = new PerpVenue(pop, venue({ ...adl, poolUsd: 1e7 }));
    v.step(30);
    // need: (1,510,000 − 0.02·1e7)/0.98 = 1,336,734.7 < 1,000,000 + 450,000: the first closed whole,
    // the second in part, the third untouched.
    assert.equal(v.size[0], 0);
    assert.ok((v.size[1] as number) > 0 && (v.size[1] as number) < 50_000);
    assert.equal(v.size[2], 10_000);
    assertNear(v.gmx?.pnlToPoolFactor(true, 30) ?? 0, 0.02, 1e-12, "floor");
  });

  it("leaves the side alone when its PnL is at least the pool (every ADL order would raise the factor: InvalidAdl)", () => {
    const v = new PerpVenue(book([[100_000, 20, 500_000]], 20), venue({ ...adl, poolUsd: 1e6 }));
    v.step(40); // PnL 2,000,000 ≥ pool 1,000,000
    assert.equal(v.gmx?.totals.adlOrders, 0);
    assert.equal(v.gmx?.totals.adlBlockedSteps, 1);
  });
});

describe("GMX v2 procedure: invariants", () => {
  const stepsArb = fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 1, maxLength: 30 });

  it("conserves cash to 1e-9; the pool changes by the losses, fees and impact less the profits; ADL ends on the floor (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        stepsArb,
        fc.constantFrom(5e6, 2e7, 1e8),
        (seed, steps, poolUsd) => {
          const pop = population(80, seed);
          const p = { ...gmxProcedure(poolUsd), maxPnlFactorForAdl: 0.3, minPnlFactorAfterAdl: 0.2 };
          const v = new PerpVenue(pop, venue(p));
          for (const x of pathOf(steps)) {
            v.step(x);
            const l = v.ledger;
            assert.ok(Math.abs(l.total() - l.startTotalUsd) <= 1e-9 * l.startTotalUsd, "conservation");
            assert.equal(l.fundUsd, 0, "no insurance fund");
            for (const side of [true, false]) {
              const f = v.gmx?.pnlToPoolFactor(side, x) ?? Number.NaN;
              const blocked = f * l.poolUsd >= l.poolUsd;
              assert.ok(blocked || f <= 0.3 + 1e-12, `factor ${f} left above the maximum`);
            }
          }
          const t = v.gmx?.totals;
          assert.ok(t !== undefined && t.lpLossUsd >= 0 && t.impactUsd >= 0);
          if (t.adlOrders > 0) assert.ok(t.adlNotionalUsd > 0 && t.adlPnlPaidUsd > 0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is deterministic: a rerun after reset() is bit-identical", () => {
    const v = new PerpVenue(
      population(200, 7),
      venue({ ...gmxProcedure(2e7), maxPnlFactorForAdl: 0.1, minPnlFactorAfterAdl: 0.05 }),
    );
    const marks = pathOf([0, -0.05, -0.08, 0.03, 0.15, 0.15, 0.08, -0.4]);
    const run = () => {
      v.reset();
      const out: number[] = [];
      for (const x of marks) {
        v.step(x);
        out.push(
          v.ledger.poolUsd,
          v.record.badDebtUsd,
          v.gmx?.stepAdlNotionalUsd ?? Number.NaN,
          v.record.closed,
        );
      }
      return out;
    };
    const first = run();
    assert.deepEqual(run(), first);
    assert.ok(
      first.some((x, k) => k % 4 === 3 && x > 0),
      "the path liquidates",
    );
  });

  it("refuses bad parameters naming the field, and the venue settings that do not apply", () => {
    const pop = book([[1, 2_000, 200]], 2_000);
    const bad =
      (procedure: Partial<GmxProcedureParams>, extra: Partial<PerpVenueParams> = {}) =>
      () =>
        new PerpVenue(pop, { ...venue({ ...gmxProcedure(1e7), ...procedure }), ...extra });
    const named = (field: string) => (e: unknown) => e instanceof InputError && e.message.includes(field);
    assert.throws(bad({ poolUsd: 0 }), named("procedure.poolUsd"));
    assert.throws(bad({ poolUsd: Number.POSITIVE_INFINITY }), named("procedure.poolUsd"));
    assert.throws(bad({ minPnlFactorAfterAdl: 0.5 }), named("procedure.minPnlFactorAfterAdl"));
    assert.throws(bad({ liquidationFeeFactor: -0.1 }), named("procedure.liquidationFeeFactor"));
    assert.throws(
      bad({}, { impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 1e9, halfLifeSteps: 1 } }),
      named("impact"),
    );
    assert.throws(bad({}, { liquidatorCapacityUsdPerStep: 1e6 }), named("liquidatorCapacityUsdPerStep"));
  });
});

describe("examples/venue/gmx-eth.json and venue.procedure of kind gmx-v2", () => {
  const read = (f: string) => readFileSync(`examples/venue/${f}`, "utf8");
  type Doc = { venue: Record<string, unknown> & { procedure: Record<string, unknown> } };
  const doc = (): Doc => JSON.parse(read("gmx-eth.json"));

  it("reads the procedure with GMX-like defaults under the given fields", () => {
    const procedure = readScenario(doc(), read).venue.procedure;
    assert.deepEqual(procedure, {
      ...gmxProcedure(2e8),
      maxPnlFactorForAdl: 0.2,
      minPnlFactorAfterAdl: 0.15,
    });
    const d = doc();
    d.venue.procedure.impact = { negativeImpactFactor: 1e-9 };
    const impact = readScenario(d, read).venue.procedure;
    assert.equal(impact?.kind === "gmx-v2" && impact.impact.negativeImpactFactor, 1e-9);
    assert.equal(impact?.kind === "gmx-v2" && impact.impact.positiveExponent, 2.2, "the rest default");
  });

  it("refuses bad fields naming them", () => {
    const cases: [string, (d: Doc) => void][] = [
      ["venue.procedure.poolUsd", (d) => delete d.venue.procedure.poolUsd],
      ["venue.procedure.poolUsd", (d) => (d.venue.procedure.poolUsd = -1)],
      ["venue.procedure.vaultCapitalUsd", (d) => (d.venue.procedure.vaultCapitalUsd = 1)],
      ["venue.procedure.impact.negativeFactor", (d) => (d.venue.procedure.impact = { negativeFactor: 1 })],
      ["venue.procedure.maxPnlFactorForAdl", (d) => (d.venue.procedure.maxPnlFactorForAdl = 1.5)],
      ["venue.procedure.minPnlFactorAfterAdl", (d) => (d.venue.procedure.minPnlFactorAfterAdl = 0.3)],
      [
        "venue.impact",
        (d) => (d.venue.impact = { y: 1, dailyVol: 0.03, dailyVolumeUsd: 1e9, halfLifeSteps: 1 }),
      ],
      ["venue.liquidatorCapacityUsdPerStep", (d) => (d.venue.liquidatorCapacityUsdPerStep = 1e6)],
    ];
    for (const [field, edit] of cases) {
      const d = doc();
      edit(d);
      assert.throws(
        () => readScenario(d, read),
        (e) => e instanceof InputError && e.message.startsWith(`${field}:`),
        field,
      );
    }
  });

  it("Monte Carlo: the table shows the LP loss and pool ADL, not the fund's lines", async () => {
    const scenario = readScenario(doc(), read);
    const report = await simulateScenario(scenario, { paths: 40, workers: 1 });
    const keys = report.headline.map((h) => h.key);
    for (const key of ["badDebtUsd", "poolAdlNotionalUsd", "poolAdl", "poolEndUsd"])
      assert.ok(keys.includes(key), key);
    for (const key of ["fundExhausted", "adlNeededUsd", "uncoveredUsd"]) assert.ok(!keys.includes(key), key);
    assert.equal(
      report.headline.find((h) => h.key === "badDebtUsd")?.label,
      "LP loss (shortfalls the pool bore)",
    );
    assert.equal(
      report.headline.find((h) => h.key === "takenOver")?.label,
      "positions liquidated by keepers",
    );
  });

  it("a replay reports the pool per step and its totals, cash conserved", async () => {
    const scenario = readScenario(doc(), read);
    const marks = Float64Array.from([4_300, 4_100, 3_700, 3_900, 5_200, 5_600]);
    const report = await simulateScenario({
      ...scenario,
      path: {
        kind: "replay",
        dataset: "synthetic",
        timesMs: Float64Array.from(marks, (_, k) => k * 300_000),
        mark: "trade",
        depth: "none",
        marks,
      },
      steps: marks.length,
    });
    const pool = report.replay?.pool;
    assert.ok(pool !== undefined && pool.poolUsd.length === marks.length);
    assert.equal(pool.totals.poolUsd, pool.poolUsd.at(-1));
    assert.ok(pool.totals.adlOrders > 0, "the rally to 5,600 deleverages the longs");
    assertNear(
      pool.adlNotionalUsd.reduce((a, b) => a + b, 0),
      pool.totals.adlNotionalUsd,
      1e-9 * pool.totals.adlNotionalUsd,
      "per step sums to the total",
    );
    assert.equal(report.headline.find((h) => h.key === "poolAdlOrders")?.value, pool.totals.adlOrders);
    conserved(report.replay?.ledger ?? ({} as never));
  });
});

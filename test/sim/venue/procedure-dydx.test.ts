/**
 * dYdX v4's liquidation procedure in the perp venue (src/sim/venue/procedure-dydx.ts).
 *
 * Parity: the engine's numbers on a state against the rulebook (src/venues/dydx-v4/, itself
 * parity-tested against dydxprotocol/v4-chain's Go unit tests in test/parity/dydx-v4.test.ts) on
 * the same state in the chain's integer units, and against the chain's own vectors re-typed there:
 * `liquidations_test.go::TestGetFillablePrice` (0.1 BTC long, USDC −4,501, tier IM 20 % MF 50 %,
 * BA 1, SMMR 0.1 → $49,999), `TestGetLiquidationInsuranceFundDelta` (0.1 BTC long, USDC −5,100,
 * fee 0.5 %: sold at $56,100 → +$28.05, at $51,051 → +$5.10, at $50,490 → −$51) and
 * `deleveraging_test.go::TestOffsetSubaccountPerpetualPosition` (1 BTC short with USDC 54,999 against
 * a 1 BTC long with USDC 50,000 → one fill at $54,999, the long ends with 104,999 USDC; two 0.5 BTC
 * longs → $27,499.5 each). Invariants: conservation of the ledger (1e-9 relative), determinism.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import type { TierTable } from "../../../src/margin/tiers.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import { PerpVenue, type PerpVenueParams, replayVenue } from "../../../src/sim/venue/engine.js";
import { drawPopulation } from "../../../src/sim/venue/population.js";
import {
  type DydxProcedureParams,
  dydxBlockSize,
  dydxProcedure,
} from "../../../src/sim/venue/procedure-dydx.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { adlPolicyComparison, simulateScenario } from "../../../src/sim/venue/scenario-report.js";
import {
  fillablePrice,
  type LiquidationsConfig,
  type LiquidityTier,
  liquidatablePositionSizeDelta,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  type Market,
  offsetSubaccountPerpetualPosition,
  quantumPriceToUsd,
  type Subaccount,
} from "../../../src/venues/dydx-v4.js";
import { getVenue } from "../../../src/venues/index.js";
import { dydxLiquidationFill } from "../../../src/venues/mechanisms/dydx-fill.js";
import { assertNear } from "../../helpers/close.js";
import { perpBook } from "../../helpers/perp-book.js";
import { rejection } from "../../helpers/rejection.js";
import { pathOf, populationSpec } from "./book.js";

/** The chain's unit-test tier `BtcUsd_20PercentInitial_10PercentMaintenance`: MMF 10 %, max leverage 5. */
const TIER_20_10: LiquidityTier = {
  id: 99,
  name: "test",
  initialMarginPpm: 200_000,
  maintenanceFractionPpm: 500_000,
  openInterestLowerCap: 0n,
  openInterestUpperCap: 0n,
  impactNotional: 1n,
};
const TIERS_20_10: TierTable = [
  { notionalFloor: 0, notionalCap: Number.POSITIVE_INFINITY, mmr: 0.1, cum: 0, maxLeverage: 5 },
];
/** BTC-USD at an oracle price in USD (atomic resolution −8, price exponent −5, as the chain's tests). */
const btc = (price: number): Market => ({
  ticker: "BTC-USD",
  atomicResolution: -8,
  priceValue: BigInt(Math.round(price * 1e5)),
  priceExponent: -5,
  tier: TIER_20_10,
});
const usdc = (x: number) => BigInt(Math.round(x * 1e6));
const BTC_QUANTUMS = 1e8;

/** The rulebook's subaccount for the engine's position of `slot`: USDC `m − q·E`, the position q. */
function subaccountOf(venue: PerpVenue, entry: number, slot: number, price: number): Subaccount {
  const q = venue.size[slot] as number;
  return {
    quoteBalance: usdc((venue.margin[slot] as number) - q * entry),
    positions: [{ market: btc(price), quantums: BigInt(Math.round(q * BTC_QUANTUMS)) }],
  };
}

/** The unit tests' config: fee 0.5 %, BA 1, SMMR 0.1, no block limits. */
const TEST_CONFIG: LiquidationsConfig = {
  maxLiquidationFeePpm: 5_000,
  bankruptcyAdjustmentPpm: 1_000_000,
  spreadToMaintenanceMarginRatioPpm: 100_000,
  minPositionNotionalLiquidated: 0n,
  maxPositionPortionLiquidatedPpm: 1_000_000,
  maxNotionalLiquidated: 10n ** 18n,
  maxQuantumsInsuranceLost: 10n ** 18n,
};

const venueParams = (procedure: Partial<DydxProcedureParams> = {}, fund = 1e6): PerpVenueParams => ({
  insuranceFundUsd: fund,
  liquidationFeeRate: 0,
  liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
  adlPolicy: "pro-rata",
  procedure: { ...dydxProcedure(60, 60, 7, TEST_CONFIG), ...procedure },
});

const book = (rows: readonly (readonly [number, number, number])[], mark = 50_000) =>
  perpBook(rows, TIERS_20_10, mark);

const total = (l: { collateralUsd: number; fundUsd: number; marketUsd: number; uncoveredUsd: number }) =>
  l.collateralUsd + l.fundUsd + l.marketUsd + l.uncoveredUsd;

describe("dYdX v4 procedure: the liquidation order, parity with the rulebook", () => {
  // 0.1 BTC long of entry 50,000 with margin 499: USDC −4,501, TNC $499, TMMR $500 at $50,000.
  const LONG = book([[0.1, 50_000, 499]]);

  it("fills at the fillable price $49,999 (TestGetFillablePrice) and not a cent below", () => {
    const rulebook = quantumPriceToUsd(
      fillablePrice(
        { quoteBalance: usdc(-4_501), positions: [{ market: btc(50_000), quantums: 10_000_000n }] },
        "BTC-USD",
        -10_000_000n,
        TEST_CONFIG,
      ),
      -8,
    );
    assertNear(rulebook, 49_999, 1e-9, "rulebook");
    const at = new PerpVenue(LONG, venueParams());
    at.step(50_000, 49_999);
    assert.equal(at.size[0], 0, "filled at the limit");
    assert.equal(at.dydx?.counts.fills, 1);
    const below = new PerpVenue(LONG, venueParams());
    below.step(50_000, 49_998.99);
    assert.equal(below.size[0], 0.1, "waits: the book is worse than the fillable price");
    assert.equal(below.dydx?.counts.unfillable, 1);
    assert.equal(below.dydx?.counts.deleveraged, 0, "TNC ≥ 0: no deleveraging");
    below.step(50_000, 49_999.5);
    assert.equal(below.size[0], 0, "filled at the next step");
  });

  for (const [fill, fundDelta] of [
    [56_100, 28.05],
    [51_051, 5.1],
    [50_490, -51],
  ] as const) {
    it(`0.1 BTC long with USDC −5,100 sold at $${fill}: the fund's delta is ${fundDelta} (TestGetLiquidationInsuranceFundDelta)`, () => {
      // entry 60,000 and margin 900: USDC 900 − 6,000 = −5,100; TNC at $50,000 is −100.
      const venue = new PerpVenue(book([[0.1, 60_000, 900]]), venueParams());
      const before = venue.fundUsd;
      const sub = subaccountOf(venue, 60_000, 0, 50_000);
      venue.step(50_000, fill);
      const chain = dydxLiquidationFill({
        subaccount: sub,
        ticker: "BTC-USD",
        deltaQuantums: -10_000_000n,
        price: { num: BigInt(fill) * 100n, den: 10_000n },
        config: TEST_CONFIG,
      });
      assertNear(Number(chain.insuranceFundDelta) / 1e6, fundDelta, 1e-9, "rulebook");
      assertNear(venue.fundUsd - before, fundDelta, 1e-9, "engine");
      assert.equal(venue.size[0], 0);
      assertNear(venue.margin[0], Number(chain.subaccountAfter.quoteBalance) / 1e6, 1e-9, "USDC after");
      assertNear(venue.totals.badDebtUsd, Math.max(0, -fundDelta), 1e-9, "bad debt: the fund's payout");
    });
  }

  it("a block closes what the rulebook's size delta closes, with the rulebook's fund delta (genesis limits)", () => {
    // 0.5 BTC long, entry 50,000, margin 2,450: TNC 2,450 < TMMR 2,500 at $50,000. Genesis sizing:
    // max($1,000, 10 %·$25,000) = $2,500 → 0.05 BTC; sold at $49,995 (fillable $49,990), fee 1.5 % capped by what is left.
    const config: LiquidationsConfig = {
      ...MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
      spreadToMaintenanceMarginRatioPpm: 100_000,
    };
    const venue = new PerpVenue(book([[0.5, 50_000, 2_450]]), {
      ...venueParams(),
      procedure: dydxProcedure(60, 60, 1, config),
    });
    const sub = subaccountOf(venue, 50_000, 0, 50_000);
    const delta = liquidatablePositionSizeDelta(sub, "BTC-USD", config, 1n);
    assert.equal(delta, -5_000_000n);
    const before = venue.fundUsd;
    venue.step(50_000, 49_995);
    const chain = dydxLiquidationFill({
      subaccount: sub,
      ticker: "BTC-USD",
      deltaQuantums: delta,
      price: { num: 49_995n * 100n, den: 10_000n },
      config,
    });
    assertNear(venue.size[0], 0.45, 1e-12, "size after the block");
    assertNear(venue.fundUsd - before, Number(chain.insuranceFundDelta) / 1e6, 1e-9, "fund delta");
    assertNear(
      (venue.margin[0] as number) - 0.45 * 50_000,
      Number(chain.subaccountAfter.quoteBalance) / 1e6,
      1e-9,
      "USDC after",
    );
  });
});

describe("dYdX v4 procedure: block limits", () => {
  it("a step of k blocks closes at most k orders of $100,000 of one subaccount; the rest waits (genesis limits)", () => {
    // 100 BTC long, entry 50,000, margin 120,000; genesis rules, 10 one-second blocks a 10 s step.
    const venue = new PerpVenue(book([[100, 50_000, 120_000]]), {
      ...venueParams({}, 1e9),
      procedure: dydxProcedure(10, 1, 1),
    });
    // At $48,900: TNC = 120,000 − 110,000 = 10,000 < TMMR (10 %) = 489,000; each block closes
    // min(max($1,000, 10 %·N), $100,000) = $100,000 at the oracle, which keeps TNC/TMMR (the fee is
    // capped by what is left above the bankruptcy quote): still liquidatable after every block.
    venue.step(48_900);
    assert.equal(venue.dydx?.counts.fills, 10, "10 blocks a step");
    assertNear(venue.size[0], 100 - (10 * 100_000) / 48_900, 1e-9, "size after 10 blocks");
    assertNear(venue.record.liquidatedNotionalUsd, 1e6, 1e-6, "$100,000 a block");
    venue.step(48_900);
    assert.equal(venue.dydx?.counts.fills, 20, "the rest waited for the next step");
    assert.equal(dydxBlockSize(dydxProcedure(10, 1), 100, 48_900), 100_000 / 48_900);
  });

  it("the per-block insurance loss cuts an order; what exceeds waits for the next block", () => {
    // 1 BTC long, entry 60,000, margin 5,000: TNC −5,000 at $50,000 → the fund pays $5,000 on a whole close;
    // with $1,000 a block the first order closes 0.2 BTC, and 5 blocks close it.
    const p = venueParams({ maxInsuranceLostPerBlockUsd: 1_000, blocksPerStep: 3 });
    const venue = new PerpVenue(book([[1, 60_000, 5_000]]), p);
    venue.step(50_000);
    assert.equal(venue.dydx?.counts.insuranceLimited, 3);
    assertNear(venue.size[0], 0.4, 1e-12, "3 blocks of 0.2 BTC");
    assertNear(venue.dydx?.counts.fundPaidUsd, 3_000, 1e-6, "$1,000 a block");
    venue.step(50_000);
    assert.equal(venue.size[0], 0);
    assertNear(venue.dydx?.counts.fundPaidUsd, 5_000, 1e-6, "the whole deficit");
  });
});

describe("dYdX v4 procedure: deleveraging, parity with the rulebook", () => {
  // Carl: 1 BTC short, entry 50,000, margin 4,999 (USDC 54,999): TNC −501 at $55,500; his order's
  // fillable price is 55,500·1.01 = $56,055, and the book is at $57,000: it fills nothing.
  const CARL: readonly [number, number, number] = [-1, 50_000, 4_999];

  it("one long of 1 BTC with USDC 50,000: one fill at $54,999, the long ends with 104,999 USDC, Carl with 0", () => {
    const venue = new PerpVenue(book([CARL, [1, 50_000, 100_000]]), venueParams({}, 0));
    venue.step(55_500, 57_000);
    const c = venue.dydx?.counts;
    assert.equal(c?.unfillable, 1);
    assert.equal(c?.deleveraged, 1);
    assert.equal(c?.deleveragingFills, 1);
    assert.deepEqual([venue.size[0], venue.size[1]], [0, 0]);
    assert.equal(venue.margin[0], 0);
    assertNear(venue.margin[1], 104_999, 1e-9, "Dave's USDC (he has no position left)");
    assertNear(venue.record.adlNeededUsd, 501, 1e-9, "need: −TNC");
    assertNear(
      venue.record.adlExecutedUsd,
      501,
      1e-9,
      "Dave bought at 54,999 what the oracle priced at 55,500",
    );
    assertNear(venue.haircutUsd[1], 501, 1e-9, "Dave's haircut");
  });

  it("two longs of 0.5 BTC with USDC 50,000: both at $27,499.5", () => {
    // margin 75,000 at entry 50,000 is USDC 50,000; with no position left, margin is USDC
    const venue = new PerpVenue(
      book([CARL, [0.5, 50_000, 75_000], [0.5, 50_000, 75_000]]),
      venueParams({}, 0),
    );
    venue.step(55_500, 57_000);
    assert.equal(venue.dydx?.counts.deleveragingFills, 2);
    for (const slot of [1, 2]) assertNear(venue.margin[slot], 50_000 + 27_499.5, 1e-9, `Dave ${slot}`);
    assert.equal(venue.size[0], 0);
  });

  it("the random start and the fills are the rulebook's on the same state, from the procedure's stream (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(fc.double({ min: 0.05, max: 0.8, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (seed, longs) => {
          const rows = [CARL, ...longs.map((q) => [q, 50_000, 40_000] as const)];
          const venue = new PerpVenue(book(rows), venueParams({ seed }, 0));
          const candidates = longs.map((_, i) => ({
            id: `${i + 1}`,
            subaccount: subaccountOf(venue, 50_000, i + 1, 55_500),
          }));
          const chain = offsetSubaccountPerpetualPosition({
            liquidated: subaccountOf(venue, 50_000, 0, 55_500),
            ticker: "BTC-USD",
            deltaQuantums: 100_000_000n,
            candidates,
            startIndex: new Xoshiro128(seed).int(longs.length),
          });
          venue.step(55_500, 57_000);
          // the rulebook's sizes are whole quantums (1e−8 BTC): one rounding per account, and its
          // quotes are the slice's quantums at the bankruptcy price (5.55e−4 USD a quantum at most)
          const quantum = (longs.length + 1) / BTC_QUANTUMS;
          for (const fill of chain.fills) {
            const slot = Number(fill.id);
            const q = longs[slot - 1] as number;
            assertNear(
              q - (venue.size[slot] as number),
              Number(fill.quantums) / BTC_QUANTUMS,
              quantum,
              `size ${slot}`,
            );
            const usdcChange =
              (venue.margin[slot] as number) - (venue.size[slot] as number) * 50_000 - (40_000 - q * 50_000);
            assertNear(usdcChange, -Number(fill.quoteQuantums) / 1e6, 1e-3, `USDC of ${slot}`);
          }
          const touched = new Set(chain.fills.map((f) => Number(f.id)));
          for (let slot = 1; slot <= longs.length; slot++) {
            if (!touched.has(slot)) assert.equal(venue.size[slot], longs[slot - 1], `${slot} untouched`);
          }
          assertNear(-(venue.size[0] as number), Number(chain.remaining) / BTC_QUANTUMS, quantum, "left");
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a fund that cannot pay refuses the order, and the bankrupt position is deleveraged", () => {
    // Carl's order at $55,500 (within the fillable price) needs $501 from a fund of $100: refused.
    const venue = new PerpVenue(book([CARL, [1, 50_000, 100_000]]), venueParams({}, 100));
    venue.step(55_500);
    assert.equal(venue.dydx?.counts.fundRefused, 1);
    assert.equal(venue.dydx?.counts.deleveraged, 1);
    assert.equal(venue.fundUsd, 100);
    assert.equal(venue.size[0], 0);
  });
});

describe("dYdX v4 procedure: invariants", () => {
  const dydxTiers = getVenue("dydx-v4").tierTable("BTC-USD").tiers;
  const steps = fc.array(fc.double({ min: -0.12, max: 0.08, noNaN: true }), { minLength: 1, maxLength: 30 });

  it("conserves cash to 1e-9 relative, the fund never goes negative, and reruns are bit-identical (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        steps,
        fc.double({ min: 0, max: 2e6, noNaN: true }),
        fc.boolean(),
        fc.constantFrom(1, 5, 60),
        (seed, path, fund, withImpact, blocks) => {
          const p = drawPopulation(populationSpec(120), dydxTiers, new Xoshiro128(seed)).population;
          const params: PerpVenueParams = {
            ...venueParams({}, fund),
            procedure: { ...dydxProcedure(60, 60, seed), blocksPerStep: blocks },
            ...(withImpact
              ? { impact: { y: 1, dailyVol: 0.03, dailyVolumeUsd: 5e8, halfLifeSteps: 3 } }
              : {}),
          };
          const marks = pathOf(path);
          const r = replayVenue(p, params, marks);
          const l = r.ledger;
          assert.ok(
            Math.abs(total(l) - l.startTotalUsd) <= 1e-9 * l.startTotalUsd,
            `${total(l)} vs ${l.startTotalUsd}`,
          );
          assert.ok(
            r.fundUsd.every((f) => f >= -1e-9 * l.startTotalUsd),
            "the fund pays only what it has",
          );
          assert.equal(
            l.uncoveredUsd,
            0,
            "nothing is written off: what the fund cannot pay is deleveraged or waits",
          );
          assert.deepEqual(replayVenue(p, params, marks), r);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("refuses an unknown procedure kind naming procedure.kind", () => {
    const params = { ...venueParams(), procedure: { kind: "gmx" } } as unknown as PerpVenueParams;
    const e = rejection(() => new PerpVenue(book([[0.1, 50_000, 499]]), params));
    assert.equal(e.field, "procedure.kind");
  });

  it("refuses bad rules naming the field", () => {
    const bad = (procedure: Partial<DydxProcedureParams>) => () =>
      new PerpVenue(book([[0.1, 50_000, 499]]), venueParams(procedure));
    for (const [field, value] of [
      ["bankruptcyAdjustment", 0.5],
      ["maxPositionPortion", 0],
      ["blocksPerStep", 1.5],
      ["maxInsuranceLostPerBlockUsd", 0],
      ["seed", -1],
    ] as const) {
      assert.throws(
        bad({ [field]: value }),
        (e) => e instanceof InputError && e.message.includes(`procedure.${field}`),
        field,
      );
    }
  });
});

describe("examples/venue/dydx-btc.json", () => {
  const read = (f: string) => readFileSync(`examples/venue/${f}`, "utf8");
  const doc = () =>
    JSON.parse(read("dydx-btc.json")) as {
      venue: Record<string, unknown> & { procedure: Record<string, unknown> };
    };

  it("reads dYdX's genesis rules, 60 one-second blocks a 1-minute step and the scenario's seed", () => {
    const s = readScenario(doc(), read);
    assert.deepEqual(s.venue.procedure, dydxProcedure(60, 1, 1));
    assert.equal(s.venue.procedure?.kind === "dydx-v4" ? s.venue.procedure.blocksPerStep : 0, 60);
    const seeded = doc();
    Object.assign(seeded, { seed: 5 });
    seeded.venue.procedure.maxPositionPortion = 0.5;
    const p = readScenario(seeded, read).venue.procedure;
    assert.deepEqual(p, { ...dydxProcedure(60, 1, 5), maxPositionPortion: 0.5 });
  });

  it("refuses a bad procedure naming the field", () => {
    const cases: [string, (d: ReturnType<typeof doc>) => void][] = [
      ["venue.procedure.blockSeconds", (d) => delete d.venue.procedure.blockSeconds],
      ["venue.procedure.blockSeconds", (d) => (d.venue.procedure.blockSeconds = 0)],
      ["venue.procedure.maxPositionPortion", (d) => (d.venue.procedure.maxPositionPortion = 2)],
      ["venue.procedure.bankruptcyAdjustment", (d) => (d.venue.procedure.bankruptcyAdjustment = "1")],
      ["venue.procedure.vaultCapitalUsd", (d) => (d.venue.procedure.vaultCapitalUsd = 1e6)],
      ["venue.procedure.kind", (d) => (d.venue.procedure.kind = "dydx")],
      ["venue.adlPolicy", (d) => (d.venue.adlPolicy = "queue")],
    ];
    for (const [field, edit] of cases) {
      const d = doc();
      edit(d);
      assert.equal(rejection(() => readScenario(d, read)).field, field, field);
    }
  });

  it("replays 2025-10-10 with orders filled, orders withdrawn by the impact, the fund's fees and payouts, cash conserved", async () => {
    const report = await simulateScenario(readScenario(doc(), read));
    const replay = report.replay;
    assert.ok(replay?.dydx !== undefined);
    assert.ok(replay.dydx.fills > 0 && replay.dydx.unfillable > 0 && replay.dydx.fundPaidUsd > 0);
    assertNear(replay.totals.badDebtUsd, replay.dydx.fundPaidUsd, 1e-6, "bad debt is what the fund paid");
    const l = replay.ledger;
    assertNear(total(l), l.startTotalUsd, 1e-9 * l.startTotalUsd, "conservation");
    assert.equal(
      report.headline.find((h) => h.key === "takenOver")?.label,
      "positions liquidated (first time)",
    );
    assert.deepEqual(await adlPolicyComparison(readScenario(doc(), read)), [], "no ADL policy to compare");
  });

  it("Monte Carlo with deleveraging (a fund of 0, 800 % a year): the same seed gives the same result", async () => {
    const d = doc() as Record<string, unknown> & ReturnType<typeof doc>;
    Object.assign(d, {
      path: {
        model: {
          volatility: { kind: "constant", annualVol: 8 },
          innovations: { kind: "student-t", nu: 3 },
        },
      },
      steps: 48,
      stepMinutes: 5,
      paths: 24,
    });
    (d.population as Record<string, unknown>).count = 400;
    d.venue.insuranceFundUsd = 0;
    const scenario = readScenario(d, read);
    const run = async (seed: number) =>
      (await simulateScenario(scenario, { seed, workers: 1 })).headline.map((h) => [h.key, h.value]);
    const first = await run(3);
    assert.deepEqual(await run(3), first);
    const need = Object.fromEntries(first).adlNeededUsd as number;
    assert.ok(need > 0, "the fund of 0 leaves bankrupt positions to deleveraging");
  });
});

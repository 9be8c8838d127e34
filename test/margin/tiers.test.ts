/**
 * Tier tables: validation (one InputError naming the tier and field), tier lookup at floors,
 * continuity and monotonicity of the tiered maintenance margin, and the Binance FAQ's published
 * 2020–21 BTCUSDT ladder (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import {
  buildTierTable,
  continuousCum,
  maintenanceMargin,
  type Tier,
  type TierTable,
  tierFor,
  tierIndex,
  validateTierTable,
} from "../../src/margin/tiers.js";
import { BTCUSDT_TIERS, continuousTierTableArb, logUniform, uniform } from "../helpers/arbitraries.js";

const RUNS = { seed: 42, numRuns: 300, includeErrorInReport: true } as const;

/**
 * Binance USDⓈ-M BTCUSDT brackets of 2020–21 as the FAQ gives them: floors (USDT) and maintenance
 * rates, with the published maintenance amounts ("cum") and max leverage.
 */
const FAQ_2020 = [
  { notionalFloor: 0, mmr: 0.004, maxLeverage: 125, cum: 0 },
  { notionalFloor: 50_000, mmr: 0.005, maxLeverage: 100, cum: 50 },
  { notionalFloor: 250_000, mmr: 0.01, maxLeverage: 50, cum: 1_300 },
  { notionalFloor: 1_000_000, mmr: 0.025, maxLeverage: 20, cum: 16_300 },
  { notionalFloor: 10_000_000, mmr: 0.05, maxLeverage: 10, cum: 266_300 },
  { notionalFloor: 20_000_000, mmr: 0.1, maxLeverage: 5, cum: 1_266_300 },
  { notionalFloor: 50_000_000, mmr: 0.125, maxLeverage: 4, cum: 2_516_300 },
  { notionalFloor: 100_000_000, mmr: 0.15, maxLeverage: 3, cum: 5_016_300 },
  { notionalFloor: 200_000_000, mmr: 0.25, maxLeverage: 2, cum: 25_016_300 },
  { notionalFloor: 300_000_000, mmr: 0.5, maxLeverage: 1, cum: 100_016_300 },
] as const;

const faqTable = (): Tier[] =>
  buildTierTable(
    FAQ_2020.map(({ notionalFloor, mmr, maxLeverage }) => ({ notionalFloor, mmr, maxLeverage })),
  );

/** The FAQ table with one tier's fields replaced. */
function withTier(n: number, patch: Partial<Tier>): Tier[] {
  return faqTable().map((t, i) => (i === n ? { ...t, ...patch } : t));
}

/** Runs `validateTierTable` and returns the InputError it must throw. */
function rejection(tiers: TierTable): InputError {
  try {
    validateTierTable(tiers, "tiers");
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    return e;
  }
  assert.fail("validateTierTable accepted the table");
}

describe("validateTierTable", () => {
  it("accepts the FAQ 2020–21 ladder and the bundled 2024-10 BTCUSDT brackets", () => {
    validateTierTable(faqTable(), "tiers");
    validateTierTable(BTCUSDT_TIERS, "tiers");
  });

  it("rejects a cum that breaks continuity, naming the tier and stating the expected value", () => {
    const e = rejection(withTier(2, { cum: 1_400 }));
    assert.equal(e.field, "tiers[2].cum");
    assert.equal(e.value, 1_400);
    // cum_2 = cum_1 + floor_2·(mmr_2 − mmr_1) = 50 + 250,000·(1 % − 0.5 %) = 1,300.
    assert.match(e.message, /breaks continuity/);
    assert.match(e.message, /= 1300\b/);
    assert.match(e.fix, /Set cum to 1300\b/);
  });

  it("accepts a cum within the 1e-6 relative tolerance (venues publish cum rounded)", () => {
    validateTierTable(withTier(2, { cum: 1_300.000_5 }), "tiers");
  });

  it("rejects a first floor other than 0", () => {
    const tiers = withTier(0, { notionalFloor: 10 });
    const e = rejection(tiers);
    assert.equal(e.field, "tiers[0].notionalFloor");
    assert.equal(e.value, 10);
  });

  it("rejects non-contiguous floors (a gap between a cap and the next floor)", () => {
    const tiers = withTier(3, { notionalFloor: 1_100_000 });
    const e = rejection(tiers);
    assert.equal(e.field, "tiers[3].notionalFloor");
    assert.match(e.message, /previous tier's notionalCap 1000000/);
  });

  it("rejects overlapping floors (a floor below the previous cap)", () => {
    const e = rejection(withTier(5, { notionalFloor: 15_000_000 }));
    assert.equal(e.field, "tiers[5].notionalFloor");
  });

  it("rejects mmr ≥ 1 and negative mmr", () => {
    for (const mmr of [1, 1.5, -0.001]) {
      const e = rejection(withTier(9, { mmr }));
      assert.equal(e.field, "tiers[9].mmr", `mmr ${mmr}`);
      assert.equal(e.value, mmr);
    }
  });

  it("rejects a decreasing mmr", () => {
    const e = rejection(withTier(4, { mmr: 0.02 }));
    assert.equal(e.field, "tiers[4].mmr");
    assert.match(e.message, /below the previous tier's 0.025/);
  });

  it("rejects an empty table, a cap not above its floor, and NaN fields", () => {
    assert.equal(rejection([]).field, "tiers");
    assert.equal(rejection(withTier(1, { notionalCap: 50_000 })).field, "tiers[1].notionalCap");
    assert.equal(rejection(withTier(6, { cum: Number.NaN })).field, "tiers[6].cum");
    assert.equal(rejection(withTier(7, { maxLeverage: 0 })).field, "tiers[7].maxLeverage");
  });

  it("property: shifting one tier's cum off the recurrence is rejected at that tier with the expected value", () => {
    fc.assert(
      fc.property(
        continuousTierTableArb(1).filter((t) => t.length > 1),
        logUniform(1, 1e6),
        fc.nat(),
        logUniform(1e-4, 10),
        fc.boolean(),
        (shape, scale, pick, shift, up) => {
          const tiers = shape.map((t) => ({
            ...t,
            notionalFloor: t.notionalFloor * scale,
            notionalCap: t.notionalCap * scale,
            cum: t.cum * scale,
          }));
          validateTierTable(tiers, "tiers");
          const n = 1 + (pick % (tiers.length - 1));
          const tier = tiers[n] as Tier;
          const previous = tiers[n - 1] as Tier;
          // Well beyond the 1e-6 tolerance of max(1, floor·mmr).
          const delta = shift * Math.max(1, tier.notionalFloor * tier.mmr) * (up ? 1 : -1);
          const broken = tiers.map((t, i) => (i === n ? { ...t, cum: t.cum + delta } : t));
          const e = rejection(broken);
          assert.equal(e.field, `tiers[${n}].cum`);
          const expected = continuousCum(previous, tier.notionalFloor, tier.mmr);
          assert.ok(e.message.includes(`= ${expected}`), `${e.message} should state ${expected}`);
        },
      ),
      RUNS,
    );
  });
});

describe("tierIndex / tierFor", () => {
  it("a notional equal to a floor belongs to the upper tier (real BTCUSDT brackets)", () => {
    BTCUSDT_TIERS.forEach((tier, k) => {
      assert.equal(tierIndex(BTCUSDT_TIERS, tier.notionalFloor), k, `floor ${tier.notionalFloor}`);
      if (k > 0) {
        const below = tier.notionalFloor - tier.notionalFloor * Number.EPSILON;
        assert.equal(tierIndex(BTCUSDT_TIERS, below), k - 1, `just below ${tier.notionalFloor}`);
      }
    });
  });

  it("notionals beyond the last cap stay in the last tier", () => {
    const last = BTCUSDT_TIERS.length - 1;
    assert.equal(tierIndex(BTCUSDT_TIERS, 1e12), last);
  });

  it("property: floor_k ≤ N < cap_k for the tier returned (random continuous tables)", () => {
    fc.assert(
      fc.property(continuousTierTableArb(1), uniform(0, 20), (tiers, notional) => {
        const k = tierIndex(tiers, notional);
        const tier = tiers[k] as Tier;
        assert.ok(tier.notionalFloor <= notional && (notional < tier.notionalCap || k === tiers.length - 1));
        assert.equal(tierFor(tiers, notional), tier);
      }),
      RUNS,
    );
  });
});

describe("maintenanceMargin (tiered MM = N·mmr_k − cum_k)", () => {
  it("is continuous at every floor of the bundled BTCUSDT brackets", () => {
    for (const tier of BTCUSDT_TIERS.slice(1)) {
      const floor = tier.notionalFloor;
      const at = maintenanceMargin(BTCUSDT_TIERS, floor);
      for (const eps of [1e-6, 1e-3, floor * Number.EPSILON * 4]) {
        const below = maintenanceMargin(BTCUSDT_TIERS, floor - eps);
        // The jump may only be the slope times ε, plus round-off of N·mmr.
        const bound = tier.mmr * eps + 1e-12 * floor;
        assert.ok(Math.abs(at - below) <= bound, `floor ${floor}, ε ${eps}: MM ${below} → ${at}`);
      }
    }
  });

  it("property: continuous at every floor of random continuous tables", () => {
    fc.assert(
      fc.property(continuousTierTableArb(1), logUniform(1e-3, 1e9), (shape, scale) => {
        const tiers = buildTierTable(
          shape.map((t) => ({
            notionalFloor: t.notionalFloor * scale,
            mmr: t.mmr,
            maxLeverage: t.maxLeverage,
          })),
        );
        for (const tier of tiers.slice(1)) {
          const floor = tier.notionalFloor;
          const eps = floor * 1e-9;
          const jump = Math.abs(maintenanceMargin(tiers, floor) - maintenanceMargin(tiers, floor - eps));
          assert.ok(jump <= tier.mmr * eps + 1e-12 * floor, `floor ${floor}: jump ${jump}`);
        }
      }),
      RUNS,
    );
  });

  it("property: non-decreasing in notional (bundled BTCUSDT brackets and random tables)", () => {
    const table = fc.oneof(
      fc.constant(BTCUSDT_TIERS),
      logUniform(1e-3, 1e9).chain((scale) =>
        continuousTierTableArb(1).map((shape) =>
          buildTierTable(
            shape.map((t) => ({
              notionalFloor: t.notionalFloor * scale,
              mmr: t.mmr,
              maxLeverage: t.maxLeverage,
            })),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(table, uniform(0, 1), uniform(0, 1), (tiers, x, y) => {
        // Notionals spread over the table: up to twice the last floor (or 1 for a one-tier table).
        const top = 2 * Math.max(1, (tiers[tiers.length - 1] as Tier).notionalFloor);
        const [a, b] = [x * top, y * top].sort((p, q) => p - q) as [number, number];
        const mmA = maintenanceMargin(tiers, a);
        const mmB = maintenanceMargin(tiers, b);
        assert.ok(mmA <= mmB + 1e-12 * Math.max(1, b), `MM(${a}) = ${mmA} > MM(${b}) = ${mmB}`);
        assert.ok(mmA >= 0, `MM(${a}) = ${mmA} < 0`);
      }),
      RUNS,
    );
  });

  it("property: also at notionals straddling a floor", () => {
    fc.assert(
      fc.property(fc.nat(), logUniform(1e-12, 1e-3), (pick, rel) => {
        const k = 1 + (pick % (BTCUSDT_TIERS.length - 1));
        const floor = (BTCUSDT_TIERS[k] as Tier).notionalFloor;
        const lo = maintenanceMargin(BTCUSDT_TIERS, floor * (1 - rel));
        const hi = maintenanceMargin(BTCUSDT_TIERS, floor * (1 + rel));
        assert.ok(lo <= hi + 1e-12 * floor, `floor ${floor}: MM ${lo} → ${hi}`);
      }),
      RUNS,
    );
  });
});

describe("Binance FAQ: BTCUSDT brackets of 2020–21 built from floors and rates", () => {
  it("a position of 264,000 USDT notional is in bracket 3 with a 1 % maintenance rate", () => {
    const tiers = faqTable();
    assert.equal(tierIndex(tiers, 264_000), 2);
    assert.equal(tierFor(tiers, 264_000).mmr, 0.01);
  });

  it("the maintenance amount of level 3 is 1,300 (= 250,000 × (1 % − 0.5 %) + 50)", () => {
    assert.ok(Math.abs((faqTable()[2] as Tier).cum - 1_300) < 1e-6);
  });

  it("derived cums equal the published ladder 0, 50, 1,300, …, 100,016,300", () => {
    const tiers = faqTable();
    assert.equal(tiers.length, FAQ_2020.length);
    FAQ_2020.forEach((published, n) => {
      const tier = tiers[n] as Tier;
      assert.ok(
        Math.abs(tier.cum - published.cum) < 1e-6,
        `level ${n + 1}: cum ${tier.cum}, published ${published.cum}`,
      );
      assert.equal(tier.notionalCap, FAQ_2020[n + 1]?.notionalFloor ?? Number.POSITIVE_INFINITY);
    });
  });

  it("maintenance margin of 500,000 USDT is 500,000 × 1 % − 1,300 = 3,700", () => {
    assert.ok(Math.abs(maintenanceMargin(faqTable(), 500_000) - 3_700) < 1e-9);
  });
});

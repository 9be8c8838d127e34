/**
 * Funding statistics, regimes, funding cost and funding drag (src/risk/funding.ts).
 *
 * Reference values: an independent numpy implementation, `python3 scripts/reference/liquidity_funding.py`,
 * which wrote test/fixtures/liquidity-funding.json from the bundled files. Hand-worked examples for
 * the cost and drag formulas (Binance funding fee = notional × rate, long pays when positive,
 * https://www.binance.com/en/support/faq/360033525031; isolated liquidation price with one
 * maintenance rate, https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { type FundingSeries, readFundingFile } from "../../src/market/funding.js";
import { fundingCost, fundingDrag, fundingRegimes, fundingStatistics } from "../../src/risk/funding.js";
import { assertNear, assertRel } from "../helpers/close.js";

interface RefStats {
  count: number;
  meanRate: number;
  sdRate: number;
  annualizedMean: number;
  minRate: number;
  maxRate: number;
  shareNegative: number;
  shareAtCap: number;
  quantiles: number[];
}
const REF = JSON.parse(
  readFileSync(new URL("../fixtures/liquidity-funding.json", import.meta.url), "utf8"),
) as {
  levels: number[];
  csv8h: RefStats;
  percentJson: RefStats;
  regimesCsv8h: {
    window: number;
    threshold: number;
    runCount: number;
    firstRuns: { regime: string; start: number; length: number }[];
    summary: Record<string, { runs: number; rows: number; longestRunRows: number }>;
  };
  cost: { fromMs: number; horizonHours: number; notionalQuote: number; rows: number; totalQuote: number };
};

const DATA = new URL("../../data/funding/", import.meta.url);
const CSV = readFundingFile(
  new URL("binance_btcusdt_funding-8h_spot-perp-open_2019-09_2024-05.csv", DATA).pathname,
).series;
const PCT = readFundingFile(
  new URL("binance_btcusdt_funding-8h-percent_2022-11_2025-11.json", DATA).pathname,
  {
    rateUnit: "percent",
  },
).series;
const H = 3_600_000;

/** A synthetic 8-hourly series from rates, starting at 0. */
function series(rates: number[], mark?: number[]): FundingSeries {
  return {
    symbol: "T",
    intervalHours: 8,
    stepHours: 8,
    time: Float64Array.from(rates, (_, i) => (i + 1) * 8 * H),
    rate: Float64Array.from(rates),
    markPrice: Float64Array.from(mark ?? rates.map(() => Number.NaN)),
    indexPrice: Float64Array.from(rates.map(() => Number.NaN)),
  };
}

describe("fundingStatistics: parity with numpy", () => {
  for (const [name, s, ref] of [
    ["8-hourly CSV 2019-09 → 2024-05", CSV, REF.csv8h],
    ["percent JSON 2022-11 → 2025-11", PCT, REF.percentJson],
  ] as const) {
    it(name, () => {
      const st = fundingStatistics(s, REF.levels, 0.003);
      assert.equal(st.count, ref.count);
      assertRel(st.meanRate, ref.meanRate, 1e-12, "mean");
      assertRel(st.sdRate, ref.sdRate, 1e-10, "sd");
      assertRel(st.annualizedMean, ref.annualizedMean, 1e-12, "annualized");
      assert.equal(st.minRate, ref.minRate);
      assert.equal(st.maxRate, ref.maxRate);
      assertNear(st.shareNegative, ref.shareNegative, 1e-15, "share negative");
      assertNear(st.shareAtCap, ref.shareAtCap, 1e-15, "share at cap");
      st.quantiles.forEach((q, k) => {
        assertNear(q, ref.quantiles[k] as number, 1e-15, `q${REF.levels[k]}`);
      });
    });
  }

  it("the 8-hourly CSV hits the cap twice: +0.003 on 2020-02-12 00:00 and −0.003 on 2020-03-13 08:00", () => {
    const st = fundingStatistics(CSV, [0.5], 0.003);
    assert.equal(new Date(st.minTimeMs).toISOString(), "2020-03-13T08:00:00.000Z");
    assert.equal(new Date(st.maxTimeMs).toISOString(), "2020-02-12T00:00:00.000Z");
    assert.equal(Math.round(st.shareAtCap * st.count), 2);
  });
});

describe("fundingRegimes", () => {
  it("parity with numpy: 7-day window (21 rows), ±0.5 bp threshold", () => {
    const r = fundingRegimes(CSV, REF.regimesCsv8h.window, REF.regimesCsv8h.threshold);
    assert.equal(r.runs.length, REF.regimesCsv8h.runCount);
    assert.deepEqual(
      r.runs.slice(0, 5).map((x) => ({ regime: x.regime, start: x.start, length: x.length })),
      REF.regimesCsv8h.firstRuns,
    );
    for (const regime of ["positive", "neutral", "negative"] as const) {
      const mine = r.summary[regime];
      const ref = REF.regimesCsv8h.summary[regime];
      assert.deepEqual(
        [mine.runs, mine.rows, mine.longestRunRows],
        [ref?.runs, ref?.rows, ref?.longestRunRows],
        regime,
      );
    }
  });

  it("hand example: window 2 over [1, 1, −1, −1, 0, 0] bp, threshold 0", () => {
    const r = fundingRegimes(series([1e-4, 1e-4, -1e-4, -1e-4, 0, 0]), 2, 0);
    // rolling means from row 1: 1, 0, −1, −0.5, 0 bp
    assert.deepEqual(
      r.runs.map((x) => [x.regime, x.start, x.length]),
      [
        ["positive", 1, 1],
        ["neutral", 2, 1],
        ["negative", 3, 2],
        ["neutral", 5, 1],
      ],
    );
    assert.throws(() => fundingRegimes(CSV, 1.5, 0), InputError);
  });

  it("property: runs tile the rows from the first full window, alternating regimes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.003, max: 0.003, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (rates, w) => {
          const r = fundingRegimes(series(rates), w, 1e-4);
          const total = r.runs.reduce((a, x) => a + x.length, 0);
          assert.equal(total, Math.max(0, rates.length - w + 1));
          for (let k = 1; k < r.runs.length; k++) {
            assert.notEqual(r.runs[k]?.regime, r.runs[k - 1]?.regime);
            assert.equal(r.runs[k]?.start, (r.runs[k - 1]?.end ?? 0) + 1);
          }
        },
      ),
    );
  });
});

describe("fundingCost", () => {
  it("parity with numpy: $1M long, 30 days from 2021-02-01 (90 settlements)", () => {
    const c = fundingCost(CSV, {
      side: "long",
      fromMs: REF.cost.fromMs,
      horizonHours: 720,
      notionalQuote: 1e6,
    });
    assert.equal(c.rows, REF.cost.rows);
    assertRel(c.totalQuote, REF.cost.totalQuote, 1e-12, "total");
    assertRel(c.totalFraction, REF.cost.totalQuote / 1e6, 1e-12, "fraction");
  });

  it("hand example: long pays +, short receives; sizeBase uses the mark; daily means count 3 settlements", () => {
    const s = series([0.0001, -0.0002, 0.0003], [100, 200, 300]);
    const long = fundingCost(s, { side: "long", fromMs: 0, horizonHours: 24, notionalQuote: 1000 });
    assert.deepEqual(
      [...long.payment].map((x) => Number(x.toFixed(12))),
      [0.1, -0.2, 0.3],
    );
    assertNear(long.totalQuote, 0.2, 1e-12, "long total");
    const short = fundingCost(s, { side: "short", fromMs: 8 * H, horizonHours: 16, notionalQuote: 1000 });
    assert.equal(short.rows, 2); // settlement at 8 h is not after fromMs
    assertNear(short.totalQuote, -0.1, 1e-12, "short total");
    const bySize = fundingCost(s, { side: "long", fromMs: 0, horizonHours: 24, sizeBase: 2 });
    assertNear(bySize.totalQuote, 0.0001 * 200 - 0.0002 * 400 + 0.0003 * 600, 1e-12, "size × mark");
    const daily: FundingSeries = { ...s, stepHours: 24, time: Float64Array.from([24 * H, 48 * H, 72 * H]) };
    assertNear(
      fundingCost(daily, { side: "long", fromMs: 0, horizonHours: 72, notionalQuote: 1000 }).totalQuote,
      0.6,
      1e-12,
      "3 per day",
    );
  });

  it("refuses a horizon outside the series and a size without mark prices", () => {
    assert.throws(
      () => fundingCost(series([0.0001]), { side: "long", fromMs: 0, horizonHours: 1000, notionalQuote: 1 }),
      InputError,
    );
    assert.throws(
      () => fundingCost(CSV, { side: "long", fromMs: REF.cost.fromMs, horizonHours: 24, sizeBase: 1 }),
      InputError,
    );
  });
});

describe("fundingDrag", () => {
  it("hand example: 10x long, $10,000 at 100, margin 1,000, mmr 0.5 %, +0.1 % per 8 h for 3 settlements", () => {
    const d = fundingDrag(series([0.001, 0.001, 0.001]), {
      side: "long",
      fromMs: 0,
      horizonHours: 24,
      entryPrice: 100,
      notionalQuote: 10_000,
      marginQuote: 1000,
      maintenanceMarginRate: 0.005,
    });
    // q = 100; P_liq = (100 − m/100)/0.995: m 1000 → 90/0.995; after 3 × $10: m 970 → 90.3/0.995.
    assert.deepEqual(
      [...d.marginQuote].map((x) => Number(x.toFixed(9))),
      [990, 980, 970],
    );
    assertNear(d.initialDistance, (100 - 90 / 0.995) / 100, 1e-14, "initial distance");
    assertNear(d.liquidationPrice.at(-1), 90.3 / 0.995, 1e-12, "final liquidation price");
    assertNear(d.distanceErosion, 0.3 / 0.995 / 100, 1e-14, "erosion");
    assert.equal(d.liquidatedByFundingAt, -1);
  });

  it("short at 0.3 % per 8 h negative funding with thin margin is liquidated by funding alone", () => {
    const d = fundingDrag(series(new Array(10).fill(-0.003)), {
      side: "short",
      fromMs: 0,
      horizonHours: 80,
      entryPrice: 100,
      sizeBase: 100,
      marginQuote: 150,
      maintenanceMarginRate: 0.005,
    });
    // Pays $30 per settlement; maintenance is $50: margin 120, 90, 60, 30 → at or below at index 3.
    assert.equal(d.liquidatedByFundingAt, 3);
    assert.ok((d.distance[3] as number) <= 0);
  });
});

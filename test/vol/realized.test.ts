/**
 * Realized volatility and EWMA: parity with the independent numpy implementation
 * (test/fixtures/realized-vol.json, made by `python3 scripts/reference/realized_vol.py`), the
 * published checks of shared/research/quant.md §5 (R13 range estimators — also produced by R's TTR
 * per the note —, R14 EWMA, R15 Hull's EWMA update, R16 RiskMetrics memory), and properties that
 * hold exactly in the mathematics (scaling, powers of prices, non-negativity).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { barIndex, type CandleSeries, readCandleFile } from "../../src/market/candles.js";
import {
  type EwmaSeed,
  ewmaEffectiveMemory,
  ewmaHalfLife,
  ewmaSeedVariance,
  ewmaStep,
  ewmaVariance,
} from "../../src/vol/ewma.js";
import {
  barsPerYear,
  logReturns,
  realizedVolatility,
  rollingVolatility,
  VOL_ESTIMATORS,
  type VolEstimator,
  yangZhangK,
} from "../../src/vol/realized.js";
import { uniform } from "../helpers/arbitraries.js";
import { assertNear, assertRel } from "../helpers/close.js";

interface RollingCase {
  file: string;
  intervalMs: number;
  barsPerYear: number;
  estimator: VolEstimator;
  window: number;
  firstValidIndex: number;
  samples: { index: number; time: string; sigma: number }[];
}
interface Fixture {
  r13: {
    startIndex: number;
    bars: number;
    yangZhangK: number;
    published: Record<VolEstimator, number>;
    values: Record<VolEstimator, { perBar: number; annualized: number }>;
  };
  r14: { varianceAfter365: number; varianceAfter366: number };
  ewma: {
    cases: {
      lambda: number;
      seed: string;
      seedVariance: number;
      samples: { index: number; variance: number }[];
    }[];
  };
  memory: { values: Record<string, { days1pct: number; days01pct: number; halfLife: number }> };
  rolling: RollingCase[];
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/realized-vol.json", import.meta.url), "utf8"),
) as Fixture;
const DAILY = "binance-spot_btcusdt_1d_2017-08_2026-03.csv";
const loaded = new Map<string, CandleSeries>();
/** A bundled candle file, loaded once (symbol only matters for the plain CSVs, which carry none). */
function candles(name: string): CandleSeries {
  let series = loaded.get(name);
  if (series === undefined) {
    series = readCandleFile(new URL(`../../data/ohlcv/${name}`, import.meta.url).pathname, {
      symbol: name.split("_")[1]?.toUpperCase() ?? name,
    }).series;
    loaded.set(name, series);
  }
  return series;
}
const DAY = 86_400_000;
const REL = 1e-10;

/** Bars 2024-01-01 … 2024-12-31 of the daily file (R13). */
function year2024(series: CandleSeries): { start: number; end: number } {
  return { start: barIndex(series, Date.UTC(2024, 0, 1)), end: barIndex(series, Date.UTC(2025, 0, 1)) };
}

describe("parity with the numpy reference (test/fixtures/realized-vol.json), 1e-10 relative", () => {
  for (const c of fixture.rolling) {
    it(`${c.file}: ${c.estimator}, window ${c.window}`, () => {
      const series = candles(c.file.replace("data/ohlcv/", ""));
      assert.equal(series.intervalMs, c.intervalMs);
      assert.equal(barsPerYear(series.intervalMs), c.barsPerYear);
      const sigma = rollingVolatility(series, c.estimator, c.window);
      assert.equal(sigma.length, series.time.length);
      assert.ok(Number.isNaN(sigma[c.firstValidIndex - 1] as number), "warm-up ends one bar earlier");
      assert.ok(Number.isFinite(sigma[c.firstValidIndex] as number), "first full window");
      for (const s of c.samples) {
        assert.equal(new Date(series.time[s.index] as number).toISOString().replace(".000", ""), s.time);
        assertRel(sigma[s.index], s.sigma, REL, `${c.estimator}[${s.index}]`);
      }
      const annual = rollingVolatility(series, c.estimator, c.window, { annualize: true });
      const last = c.samples[c.samples.length - 1] as { index: number; sigma: number };
      assertRel(annual[last.index], last.sigma * Math.sqrt(c.barsPerYear), REL, "annualised");
    });
  }

  it("R13 window values and EWMA paths (three λ, three seeds)", () => {
    const series = candles(DAILY);
    const { start, end } = year2024(series);
    assert.equal(start, fixture.r13.startIndex);
    for (const e of VOL_ESTIMATORS) {
      const v = realizedVolatility(series, e, { start, end });
      assertRel(v.perBarVol, fixture.r13.values[e].perBar, REL, e);
      assertRel(v.annualVol, fixture.r13.values[e].annualized, REL, e);
    }
    const returns = logReturns(series.close);
    const seeds: Record<string, EwmaSeed> = {
      "first-squared-return": { kind: "first-squared-return" },
      backcast: { kind: "backcast" },
      "sample-variance-30": { kind: "sample-variance", count: 30 },
    };
    for (const c of fixture.ewma.cases) {
      const seed = seeds[c.seed] as EwmaSeed;
      assertRel(ewmaSeedVariance(returns, seed), c.seedVariance, REL, `${c.seed} seed`);
      const path = ewmaVariance(returns, { lambda: c.lambda, seed });
      for (const s of c.samples)
        assertRel(path[s.index], s.variance, REL, `λ ${c.lambda} ${c.seed} [${s.index}]`);
    }
  });
});

describe("published values (shared/research/quant.md §5)", () => {
  it("R13: BTCUSDT daily 2024 (366 bars), per-day σ to 8 decimals and ×√365 to 6 (TTR and numpy agree)", () => {
    const series = candles(DAILY);
    const range = year2024(series);
    assert.equal(range.end - range.start, 366);
    const annual: Record<VolEstimator, number> = {
      "close-to-close": 0.526788,
      parkinson: 0.553858,
      "garman-klass": 0.563637,
      "rogers-satchell": 0.565921,
      "garman-klass-yang-zhang": 0.563637,
      "yang-zhang": 0.560418,
    };
    for (const e of VOL_ESTIMATORS) {
      const v = realizedVolatility(series, e, range);
      assert.equal(v.bars, 366);
      assert.equal(v.barsPerYear, 365);
      assertNear(v.perBarVol, fixture.r13.published[e], 5e-9, e);
      assertNear(v.annualVol, annual[e], 5e-7, e);
      // The rolling window ending on 2024-12-31 is the same window.
      assertRel(rollingVolatility(series, e, 366)[range.end - 1], v.perBarVol, 1e-12, `${e} rolling`);
    }
    assertNear(yangZhangK(366), 0.14496, 5e-6, "k");
  });

  it("R14: EWMA(0.94) over the 366 daily log returns of 2024, seeded with r₁²", () => {
    const series = candles(DAILY);
    const { start, end } = year2024(series);
    const returns = logReturns(series.close.subarray(start - 1, end)); // the 2023-12-31 close first
    assert.equal(returns.length, 366);
    const path = ewmaVariance(returns, { lambda: 0.94, seed: { kind: "first-squared-return" } });
    assert.equal(path.length, 367);
    assert.equal(path[1], path[0]); // seeding with r₁² makes the first update a no-op
    assertNear(path[365], 5.617294e-4, 5e-11, "after r₁…r₃₆₅");
    assertNear(Math.sqrt(path[365] as number), 0.0237008, 5e-8, "vol after r₃₆₅");
    assertNear(path[366], 5.322723e-4, 5e-11, "after r₃₆₆");
    assertNear(Math.sqrt(path[366] as number), 0.023071, 5e-8, "vol after r₃₆₆");
    assertRel(path[365], fixture.r14.varianceAfter365, REL, "numpy");
    assertRel(path[366], fixture.r14.varianceAfter366, REL, "numpy");
  });

  it("R15: Hull's EWMA example, λ 0.90, σ 1 %, u 2 % → σ_n 1.1402 %", () => {
    assertNear(Math.sqrt(ewmaStep(0.01 ** 2, 0.02, 0.9)) * 100, 1.1402, 5e-5, "σ_n %");
    const path = ewmaVariance([0.02], { lambda: 0.9, seed: { kind: "variance", variance: 1e-4 } });
    assertNear(path[1], 0.00013, 1e-18, "σ²_n");
  });

  it("R16: RiskMetrics memory — 1 % tolerance 74.4 / 151.2 days, 0.1 % 111.6, half-life 11.2 / 22.8", () => {
    assertNear(ewmaEffectiveMemory(0.94, 0.01), 74.4, 0.05, "0.94, 1 %");
    assertNear(ewmaEffectiveMemory(0.94, 0.001), 111.6, 0.05, "0.94, 0.1 %");
    assertNear(ewmaHalfLife(0.94), 11.2, 0.05, "0.94 half-life");
    assertNear(ewmaEffectiveMemory(0.97, 0.01), 151.2, 0.05, "0.97, 1 %");
    assertNear(ewmaHalfLife(0.97), 22.8, 0.05, "0.97 half-life");
    for (const [lambda, v] of Object.entries(fixture.memory.values)) {
      assertRel(ewmaEffectiveMemory(Number(lambda), 0.01), v.days1pct, 1e-14, "1 %");
      assertRel(ewmaEffectiveMemory(Number(lambda), 0.001), v.days01pct, 1e-14, "0.1 %");
      assertRel(ewmaHalfLife(Number(lambda)), v.halfLife, 1e-14, "half-life");
    }
    // The weight left after K observations is λ^K = tolerance.
    assertNear(0.94 ** ewmaEffectiveMemory(0.94, 0.01), 0.01, 1e-15, "λ^K");
  });

  it("bars per year: crypto trades 24/7 — 365 daily, 8760 hourly", () => {
    assert.equal(barsPerYear(DAY), 365);
    assert.equal(barsPerYear(3_600_000), 8760);
    assert.equal(barsPerYear(60_000), 525_600);
  });
});

/** A random candle series: log-normal steps, opening gaps, highs and lows around open and close. */
const seriesArb = (minBars: number): fc.Arbitrary<CandleSeries> =>
  fc
    .array(fc.tuple(uniform(-0.05, 0.05), uniform(-0.01, 0.01), uniform(0, 0.03), uniform(0, 0.03)), {
      minLength: minBars,
      maxLength: 60,
    })
    .map((steps) => {
      const n = steps.length;
      const s = {
        symbol: "TEST",
        intervalMs: DAY,
        time: Float64Array.from({ length: n }, (_, i) => i * DAY),
        open: new Float64Array(n),
        high: new Float64Array(n),
        low: new Float64Array(n),
        close: new Float64Array(n),
        volume: new Float64Array(n).fill(1),
      };
      let previous = 100;
      steps.forEach(([move, gap, up, down], i) => {
        const open = previous * Math.exp(gap);
        const close = open * Math.exp(move);
        s.open[i] = open;
        s.close[i] = close;
        s.high[i] = Math.max(open, close) * Math.exp(up);
        s.low[i] = Math.min(open, close) * Math.exp(-down);
        previous = close;
      });
      return s;
    });

/** Every price raised to the power `p` (for p < 0 the high and the low swap). */
function powerOf(s: CandleSeries, p: number): CandleSeries {
  const pow = (a: Float64Array) => a.map((x) => x ** p);
  const [high, low] = p > 0 ? [pow(s.high), pow(s.low)] : [pow(s.low), pow(s.high)];
  return { ...s, open: pow(s.open), high, low, close: pow(s.close) };
}

const scaled = (s: CandleSeries, c: number): CandleSeries => {
  const mul = (a: Float64Array) => a.map((x) => x * c);
  return { ...s, open: mul(s.open), high: mul(s.high), low: mul(s.low), close: mul(s.close) };
};

const RUNS = { seed: 11, numRuns: 150 } as const;

describe("properties", () => {
  it("every estimator is unchanged when all prices are multiplied by a constant (units, quote currency)", () => {
    fc.assert(
      fc.property(seriesArb(3), fc.constantFrom(...VOL_ESTIMATORS), uniform(1e-6, 1e6), (s, e, c) => {
        assertRel(realizedVolatility(scaled(s, c), e).perBarVol, realizedVolatility(s, e).perBarVol, 1e-9, e);
      }),
      RUNS,
    );
  });

  it("raising every price to the power p scales every estimator by |p| (p = −1: the inverse quote)", () => {
    fc.assert(
      fc.property(
        seriesArb(3),
        fc.constantFrom(...VOL_ESTIMATORS),
        fc.oneof(uniform(0.25, 3), fc.constant(-1), uniform(-3, -0.25)),
        (s, e, p) => {
          const expected = Math.abs(p) * realizedVolatility(s, e).perBarVol;
          assertRel(realizedVolatility(powerOf(s, p), e).perBarVol, expected, 1e-9, `${e}, p ${p}`);
        },
      ),
      RUNS,
    );
  });

  it("estimates are finite and non-negative after the warm-up, NaN before it", () => {
    fc.assert(
      fc.property(
        seriesArb(2),
        fc.constantFrom(...VOL_ESTIMATORS),
        fc.integer({ min: 2, max: 20 }),
        (s, e, w) => {
          const first = ["close-to-close", "garman-klass-yang-zhang", "yang-zhang"].includes(e) ? w : w - 1;
          rollingVolatility(s, e, w).forEach((v, t) => {
            if (t < first) assert.ok(Number.isNaN(v), `${e}[${t}] in warm-up`);
            else assert.ok(Number.isFinite(v) && v >= 0, `${e}[${t}] = ${v}`);
          });
        },
      ),
      RUNS,
    );
  });

  it("each rolling value equals the estimate over its own window", () => {
    fc.assert(
      fc.property(
        seriesArb(25),
        fc.constantFrom(...VOL_ESTIMATORS),
        fc.integer({ min: 2, max: 12 }),
        (s, e, w) => {
          const rolling = rollingVolatility(s, e, w);
          for (let t = w; t < s.time.length; t++) {
            assertRel(
              rolling[t],
              realizedVolatility(s, e, { start: t - w + 1, end: t + 1 }).perBarVol,
              1e-9,
              `${e}[${t}]`,
            );
          }
        },
      ),
      RUNS,
    );
  });

  it("close-to-close of a constant-return series is 0; with open = previous close, GK-YZ = GK", () => {
    fc.assert(
      fc.property(seriesArb(3), uniform(-0.1, 0.1), (s, g) => {
        const close = Float64Array.from(s.close, (_, i) => 100 * Math.exp(g * i));
        const steady = { ...s, close, open: close, high: close, low: close };
        assert.ok(realizedVolatility(steady, "close-to-close").perBarVol < 1e-12);
        assert.equal(realizedVolatility(steady, "parkinson").perBarVol, 0);
        const open = Float64Array.from(s.close, (_, i) =>
          i === 0 ? (s.open[0] as number) : (s.close[i - 1] as number),
        );
        const high = Float64Array.from(s.high, (h, i) => Math.max(h, open[i] as number));
        const low = Float64Array.from(s.low, (l, i) => Math.min(l, open[i] as number));
        const noGaps = { ...s, open, high, low };
        assert.equal(
          realizedVolatility(noGaps, "garman-klass-yang-zhang").perBarVol,
          realizedVolatility(noGaps, "garman-klass", { start: 1 }).perBarVol,
        );
      }),
      RUNS,
    );
  });

  it("EWMA variances stay between the smallest and largest of the seed and the squared returns", () => {
    fc.assert(
      fc.property(
        fc.array(uniform(-0.2, 0.2), { minLength: 1, maxLength: 50 }),
        uniform(0.5, 0.999),
        (r, lambda) => {
          const path = ewmaVariance(r, { lambda, seed: { kind: "backcast" } });
          const values = [path[0] as number, ...r.map((x) => x * x)];
          const [lo, hi] = [Math.min(...values), Math.max(...values)];
          for (const v of path) assert.ok(v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12));
        },
      ),
      RUNS,
    );
  });
});

describe("input errors", () => {
  const series = candles(DAILY);
  const field = (f: () => unknown): string => {
    try {
      f();
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      return error.field;
    }
    assert.fail("accepted");
  };

  it("windows, ranges and estimators", () => {
    assert.equal(
      field(() => rollingVolatility(series, "yang-zhang", 1)),
      "window",
    );
    assert.equal(
      field(() => rollingVolatility(series, "parkinson", 2.5)),
      "window",
    );
    assert.equal(
      field(() => rollingVolatility(series, "ewma" as VolEstimator, 10)),
      "estimator",
    );
    assert.equal(
      field(() => realizedVolatility(series, "close-to-close", { start: 0 })),
      "start",
    );
    assert.equal(
      field(() => realizedVolatility(series, "parkinson", { start: 5, end: 4 })),
      "end",
    );
    assert.equal(
      field(() => realizedVolatility(series, "yang-zhang", { start: 5, end: 6 })),
      "range",
    );
    assert.equal(
      rollingVolatility(series, "parkinson", 1)[0],
      Math.sqrt(Math.log(4485.39 / 4200.74) ** 2 / (4 * Math.LN2)),
    );
    assert.ok(rollingVolatility(series, "parkinson", 5000).every(Number.isNaN)); // longer than the series
  });

  it("EWMA decay, seeds and returns", () => {
    const seed: EwmaSeed = { kind: "first-squared-return" };
    assert.equal(
      field(() => ewmaVariance([0.01], { lambda: 1, seed })),
      "lambda",
    );
    assert.equal(
      field(() => ewmaVariance([0.01], { lambda: 0, seed })),
      "lambda",
    );
    assert.equal(
      field(() => ewmaVariance([0.01, Number.NaN], { lambda: 0.94, seed })),
      "returns[1]",
    );
    assert.equal(
      field(() => ewmaVariance([], { lambda: 0.94, seed })),
      "seed",
    );
    assert.equal(
      field(() => ewmaVariance([0.01], { lambda: 0.94, seed: { kind: "sample-variance", count: 2 } })),
      "seed.count",
    );
    assert.equal(
      field(() => ewmaVariance([0.01], { lambda: 0.94, seed: { kind: "variance", variance: -1 } })),
      "seed.variance",
    );
    assert.equal(
      field(() => ewmaEffectiveMemory(0.94, 0)),
      "tolerance",
    );
    assert.equal(
      field(() => barsPerYear(0)),
      "intervalMs",
    );
  });
});

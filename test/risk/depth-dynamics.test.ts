/**
 * Depth calibration of 2025-10-10 (src/risk/depth-scale.ts, src/risk/depth-dynamics.ts).
 *
 * Parity: test/fixtures/depth-dynamics-2025-10-10.json is written by
 * scripts/reference/depth_dynamics.py, an independent implementation in Python/numpy of the same
 * method (stale-bid re-basing, power-law interpolation, calm medians, minute aggregation and the
 * OLS fit by numpy.linalg.lstsq with standard errors from numpy.linalg.inv), run once on the
 * bundled files. Everything must agree to 1e-9 relative.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readBookDepthFile } from "../../src/market/book-depth.js";
import { bundledPath } from "../../src/market/bundled.js";
import { readCandleFile } from "../../src/market/candles.js";
import {
  depthScaleForPath,
  fitDepthDynamics,
  type MinuteDepth,
  measuredDepthScale,
  minuteDepth,
} from "../../src/risk/depth-dynamics.js";
import { depthScaleSeries, notionalWithin, sqrtImpactScale } from "../../src/risk/depth-scale.js";
import { fitSquareRootImpact } from "../../src/risk/impact.js";
import { assertRel } from "../helpers/close.js";
import { rejection } from "../helpers/rejection.js";

interface Fixture {
  calmShapeExponent: number;
  baselineBidUsd: number;
  baselineAskUsd: number;
  crossed: number;
  scale: (number | null)[];
  fit: Record<"n" | "alpha" | "phi" | "gamma" | "seAlpha" | "sePhi" | "seGamma" | "rSquared", number>;
  sqrtScale: { timeMs: number; ask: number | null; bid: number | null }[];
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/depth-dynamics-2025-10-10.json", import.meta.url), "utf8"),
) as Fixture;

const snapshots = readBookDepthFile(
  bundledPath("crashes/2025-10-10_binance-usdm_btcusdt_bookdepth.csv"),
).snapshots;
const klines = readCandleFile(bundledPath("crashes/2025-10-10_binance-usdm_btcusdt_1m.csv"), {
  symbol: "BTCUSDT",
}).series;
const NOON = Date.UTC(2025, 9, 10, 12);
const MIDNIGHT = Date.UTC(2025, 9, 11);
const depth = depthScaleSeries(snapshots, klines);
const minutes = minuteDepth(depth, klines, NOON, MIDNIGHT);
const fit = fitDepthDynamics(minutes);

describe("depth scale of 2025-10-10 against the numpy reference", () => {
  it("has the reference's calm shape, baselines and re-based snapshots", () => {
    assertRel(depth.calmShapeExponent, fixture.calmShapeExponent, 1e-9, "β");
    assertRel(depth.baselineBid, fixture.baselineBidUsd, 1e-9, "baseline bid");
    assertRel(depth.baselineAsk, fixture.baselineAskUsd, 1e-9, "baseline ask");
    assert.equal(depth.counts.rebased, fixture.crossed);
  });

  it("has the reference's scale at every snapshot", () => {
    assert.equal(depth.snapshots.scale.length, fixture.scale.length);
    fixture.scale.forEach((expected, i) => {
      const actual = depth.snapshots.scale[i] as number;
      if (expected === null) assert.ok(Number.isNaN(actual), `snapshot ${i}`);
      else assertRel(actual, expected, 1e-9, `scale ${i}`);
    });
  });

  it("fits the reference's coefficients, standard errors and R²", () => {
    assert.equal(fit.n, fixture.fit.n);
    assertRel(fit.alpha, fixture.fit.alpha, 1e-9, "α");
    assertRel(fit.phi, fixture.fit.phi, 1e-9, "φ");
    assertRel(fit.gamma, fixture.fit.gamma, 1e-9, "γ");
    assertRel(fit.se.alpha, fixture.fit.seAlpha, 1e-9, "se α");
    assertRel(fit.se.phi, fixture.fit.sePhi, 1e-9, "se φ");
    assertRel(fit.se.gamma, fixture.fit.seGamma, 1e-9, "se γ");
    assertRel(fit.rSquared, fixture.fit.rSquared, 1e-9, "R²");
    assert.deepEqual(fit.warnings, []);
  });

  it("has c equal to impact.ts's least-squares fit of the same book-walk points", () => {
    const c = sqrtImpactScale(snapshots, klines);
    const i = c.time.findIndex((t) => t >= Date.parse("2025-10-10T13:00:00Z"));
    const m = depth.snapshots.price[i] as number;
    const points = snapshots.bands.map((_, k) => {
      const notional = snapshots.askNotional[k]?.[i] as number;
      return { size: notional, impact: Math.abs(notional / (snapshots.askDepth[k]?.[i] as number) / m - 1) };
    });
    assertRel(c.ask[i], fitSquareRootImpact(points, { dailyVol: 1, dailyVolume: 1 }).model.y, 1e-12);
  });

  it("has the reference's square-root scale c = Yσ_D/√V_D per snapshot and side", () => {
    const c = sqrtImpactScale(snapshots, klines);
    for (const row of fixture.sqrtScale) {
      const i = c.time.indexOf(row.timeMs);
      for (const side of ["bid", "ask"] as const) {
        const expected = row[side];
        if (expected === null) assert.ok(Number.isNaN(c[side][i] as number), `${side} ${row.timeMs}`);
        else assertRel(c[side][i], expected, 1e-9, `${side} ${row.timeMs}`);
      }
    }
  });
});

describe("depth scale behaviour", () => {
  it("flags the crash's bid side as unobserved and thins the book in the crash", () => {
    const at = (iso: string) => depth.snapshots.time.findIndex((t) => t >= Date.parse(iso));
    const crash = at("2025-10-10T21:20:00Z");
    assert.equal(depth.snapshots.rebased[crash], 1);
    assert.equal(depth.snapshots.bidReplaced[crash], 1);
    assert.ok(
      (depth.snapshots.scale[crash] as number) < 0.2,
      "the book is under a fifth of calm depth at 21:20",
    );
    assert.equal(depth.snapshots.rebased[at("2025-10-10T10:00:00Z")], 0);
    // 15:40:06: uncrossed, but bid band 1 averages 119,727 with the market at about 119,141.
    const above = at("2025-10-10T15:40:06Z");
    assert.deepEqual([depth.snapshots.rebased[above], depth.snapshots.bidAboveMarket[above]], [0, 1]);
    assert.ok(Number.isNaN(depth.snapshots.bidWithin[above] as number));
    assert.equal(depth.counts.bidAboveMarket, 56);
    assert.ok(depth.warnings.some((w) => w.includes("re-based")));
  });

  it("interpolates cumulative notional as a power law between edges and by β below the first", () => {
    const d = [0.01, 0.02, 0.05];
    const n = [100, 180, 300];
    assertRel(notionalWithin(d, n, 3, 0.02, 0.7), 180, 1e-15);
    assertRel(notionalWithin(d, n, 3, 0.005, 0.7), 100 * 0.5 ** 0.7, 1e-15);
    assertRel(
      notionalWithin(d, n, 3, 0.03, 0.7),
      180 * (300 / 180) ** (Math.log(1.5) / Math.log(2.5)),
      1e-12,
    );
    assert.ok(Number.isNaN(notionalWithin(d, n, 3, 0.06, 0.7)));
  });

  it("refuses a distance beyond the bands, where the calm book has no measured depth", () => {
    const e = rejection(() => depthScaleSeries(snapshots, klines, { distance: 0.06 }));
    assert.match(e.message, /no positive calm depth within 6 %/);
  });

  it("refuses a calm window without snapshots", () => {
    const e = rejection(() =>
      depthScaleSeries(snapshots, klines, { calmFromMs: MIDNIGHT, calmToMs: MIDNIGHT + 1 }),
    );
    assert.equal(e.field, "calmFromMs");
  });
});

describe("thinning/recovery model", () => {
  it("thins on shocks and recovers with a half-life of minutes", () => {
    assert.ok(fit.gamma < 0 && fit.phi > 0 && fit.phi < 1);
    assertRel(fit.halfLifeMinutes, Math.log(0.5) / Math.log(fit.phi), 1e-15);
    assert.ok(fit.halfLifeMinutes > 5 && fit.halfLifeMinutes < 60, `half-life ${fit.halfLifeMinutes}`);
  });

  it("recovers a known model from data simulated with it (OLS consistency)", () => {
    const m = 4000;
    const truth = { alpha: -0.01, phi: 0.9, gamma: -12 };
    const logScale = new Float64Array(m);
    const absReturnPrev = new Float64Array(m);
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let t = 1; t < m; t++) {
      absReturnPrev[t] = 0.004 * -Math.log(1 - uniform());
      const noise = 0.02 * (uniform() + uniform() + uniform() - 1.5);
      logScale[t] =
        truth.alpha +
        truth.phi * (logScale[t - 1] as number) +
        truth.gamma * (absReturnPrev[t] as number) +
        noise;
    }
    const series: MinuteDepth = {
      time: new Float64Array(m),
      logScale,
      absReturnPrev,
      close: new Float64Array(m),
    };
    const f = fitDepthDynamics(series);
    assert.ok(Math.abs(f.phi - truth.phi) < 4 * f.se.phi, `φ ${f.phi} ± ${f.se.phi}`);
    assert.ok(Math.abs(f.gamma - truth.gamma) < 4 * f.se.gamma, `γ ${f.gamma} ± ${f.se.gamma}`);
    assert.ok(Math.abs(f.alpha - truth.alpha) < 4 * f.se.alpha, `α ${f.alpha} ± ${f.se.alpha}`);
  });

  it("refuses too few minutes", () => {
    const short: MinuteDepth = {
      time: new Float64Array(5),
      logScale: new Float64Array(5),
      absReturnPrev: new Float64Array(5),
      close: new Float64Array(5),
    };
    assert.equal(rejection(() => fitDepthDynamics(short)).field, "minutes");
  });
});

describe("depth scale for the engine", () => {
  it("follows the recursion from the start scale, with the shock of the previous step", () => {
    const prices = Float64Array.from([100, 100, 95, 95, 95]);
    const out = depthScaleForPath(fit, prices, 1, 1);
    const eq = fit.alpha / (1 - fit.phi);
    let level = 0;
    const expected = [1];
    for (let s = 1; s < 5; s++) {
      const shock = s >= 2 ? Math.abs(Math.log((prices[s - 1] as number) / (prices[s - 2] as number))) : 0;
      level = eq + fit.phi * (level - eq) + fit.gamma * shock;
      expected.push(Math.exp(level));
    }
    for (let s = 0; s < 5; s++) assertRel(out[s], expected[s] as number, 1e-12, `step ${s}`);
    assert.ok((out[3] as number) < (out[2] as number), "the 5 % drop of step 2 thins step 3");
  });

  it("refuses a price that is not positive, naming it", () => {
    const e = rejection(() => depthScaleForPath(fit, Float64Array.from([100, 0, 100])));
    assert.equal(e.field, "prices[1]");
  });

  it("is monotone in the size of a move and stays positive (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (a, b) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          const path = (drop: number) =>
            Float64Array.from([100, 100 * (1 - drop), 100 * (1 - drop), 100 * (1 - drop)]);
          const x = depthScaleForPath(fit, path(small));
          const y = depthScaleForPath(fit, path(large));
          return (y[2] as number) <= (x[2] as number) && (y[2] as number) > 0;
        },
      ),
    );
  });

  it("compounds the persistence over longer steps (a 5-minute step = five quiet minutes)", () => {
    const flat = new Float64Array(6).fill(100);
    const perMinute = depthScaleForPath(fit, flat, 1, 0.3);
    const fiveMinute = depthScaleForPath(fit, flat.subarray(0, 2), 5, 0.3);
    assertRel(fiveMinute[1], perMinute[5] as number, 1e-12);
  });

  it("replays the measured minute scale, filling a minute without a snapshot with the previous one", () => {
    const replay = measuredDepthScale(minutes);
    assert.equal(replay.length, minutes.time.length);
    for (let t = 0; t < replay.length; t++) {
      const l = minutes.logScale[t] as number;
      if (Number.isFinite(l)) assertRel(replay[t], Math.exp(l), 1e-15);
      else assert.equal(replay[t], replay[t - 1]);
    }
  });
});

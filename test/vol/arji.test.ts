/**
 * The ARJI model (src/vol/arji.ts; Chan & Maheu 2002, JBES 20(3)): the log-likelihood and the filter
 * against an independent numpy/scipy implementation written from the paper's equations
 * (scripts/reference/arji_likelihood.py → test/fixtures/arji-likelihood.json, on 504 hourly BTCUSDT
 * returns of the bundled candles around the FTX collapse), the fit's optimum against scipy's
 * L-BFGS-B optimum on the same box, recovery of known parameters from a seeded simulation, the
 * filter's bounds as properties, and the trader's path generator started from the filtered intensity.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { bundledPath } from "../../src/market/bundled.js";
import { readCandleFile } from "../../src/market/candles.js";
import { Xoshiro128 } from "../../src/math/random.js";
import { arjiModelSpec, TRADER_VOL_MODELS } from "../../src/optimize/vol-models.js";
import { createPathGenerator } from "../../src/sim/models.js";
import { ARJI_TRUNCATION, type ArjiParams, arjiFilter, fitArji, simulateArji } from "../../src/vol/arji.js";
import { logReturns } from "../../src/vol/realized.js";

interface Point {
  params: ArjiParams;
  loglikelihood: number;
  intensity: number[];
  expectedJumps: number[];
}
const fixture = JSON.parse(readFileSync("test/fixtures/arji-likelihood.json", "utf8")) as {
  candles: string;
  from: string;
  to: string;
  returns: number[];
  points: Point[];
  optimum: { params: ArjiParams; loglikelihood: number };
};

/** The fixture's returns, recomputed from the bundled candles with the project's loader. */
function sampleReturns(): Float64Array {
  const s = readCandleFile(bundledPath(fixture.candles.replace(/^data\//, "")), { symbol: "BTCUSDT" }).series;
  const from = Date.parse(fixture.from.replace(" ", "T"));
  const to = Date.parse(fixture.to.replace(" ", "T"));
  const closes = s.close.filter((_, i) => (s.time[i] as number) >= from && (s.time[i] as number) <= to);
  return logReturns(closes);
}

/** Parameters of the simulated series: λ̄ = 0.02 a bar, jumps of −2 % ± 2 % against σ = 0.4 %. */
const SIMULATED: ArjiParams = {
  mu: 0,
  sigma: 0.004,
  lambda0: 0.002,
  rho: 0.9,
  gamma: 0.4,
  jumpMean: -0.02,
  jumpVol: 0.02,
};

describe("ARJI likelihood and filter against scipy", () => {
  const r = sampleReturns();

  it("reads the same 504 returns as the reference from the bundled candles (to 1e-12: ln(c₁/c₀) against ln c₁ − ln c₀)", () => {
    assert.equal(r.length, fixture.returns.length);
    assert.equal(r.length, 504);
    for (let t = 0; t < r.length; t++)
      assert.ok(Math.abs((r[t] as number) - (fixture.returns[t] as number)) < 1e-12);
  });

  it("matches the log-likelihood, intensities and filtered counts to 1e-9 at four parameter points", () => {
    for (const p of fixture.points) {
      const f = arjiFilter(p.params, r);
      assert.ok(
        Math.abs(f.loglikelihood - p.loglikelihood) <= 1e-9 * Math.abs(p.loglikelihood),
        `${JSON.stringify(p.params)}: ${f.loglikelihood} vs ${p.loglikelihood}`,
      );
      assert.equal(f.intensity.length, p.intensity.length);
      for (let t = 0; t < f.intensity.length; t++) {
        const want = p.intensity[t] as number;
        assert.ok(Math.abs((f.intensity[t] as number) - want) <= 1e-9 * want, `λ_${t}`);
      }
      for (let t = 0; t < f.expectedJumps.length; t++) {
        assert.ok(
          Math.abs((f.expectedJumps[t] as number) - (p.expectedJumps[t] as number)) <= 1e-9,
          `E[n_${t}]`,
        );
      }
    }
  });

  it("finds scipy's optimum: ln L within 0.01, the parameters within 2 % (μ within 2e-5)", () => {
    const fit = fitArji(r);
    const want = fixture.optimum;
    assert.ok(
      fit.loglikelihood >= want.loglikelihood - 0.01,
      `${fit.loglikelihood} vs scipy ${want.loglikelihood}`,
    );
    assert.ok(Math.abs(fit.params.mu - want.params.mu) < 2e-5, `μ ${fit.params.mu} vs ${want.params.mu}`);
    for (const k of ["sigma", "lambda0", "rho", "gamma", "jumpVol"] as const) {
      const rel = Math.abs(fit.params[k] - want.params[k]) / Math.abs(want.params[k]);
      assert.ok(
        rel < 0.02,
        `${k}: ${fit.params[k]} vs scipy ${want.params[k]} (${(100 * rel).toFixed(2)} %)`,
      );
    }
    assert.ok(Math.abs(fit.params.jumpMean - want.params.jumpMean) < 2e-4, `θ ${fit.params.jumpMean}`);
    // Both end on the cap of the unconditional intensity (0.05 a bar): the fit says so.
    assert.deepEqual(fit.atBounds, ["meanIntensity"]);
    assert.equal(fit.standardErrors, null);
    assert.ok(Math.abs(fit.meanIntensity - 0.05) < 1e-6);
  });
});

describe("ARJI fit on a simulated series", () => {
  it("recovers known parameters within three standard errors (seed 7, 6,000 bars)", () => {
    const truth = SIMULATED;
    const sim = simulateArji(truth, 6000, 7);
    // The simulated intensity clusters: it exceeds 3× its mean 0.02 in some bars.
    assert.ok(Math.max(...sim.intensity) > 0.06);
    const fit = fitArji(sim.returns);
    assert.deepEqual(fit.atBounds, []);
    assert.deepEqual(fit.flags, []);
    const se = fit.standardErrors;
    assert.ok(se !== null);
    for (const k of Object.keys(truth) as (keyof ArjiParams)[]) {
      const z = (fit.params[k] - truth[k]) / se[k];
      assert.ok(Math.abs(z) < 3, `${k}: ${fit.params[k]} ± ${se[k]} vs ${truth[k]} (z = ${z.toFixed(2)})`);
    }
  });

  it("refuses too few returns and parameters without a positive intensity", () => {
    assert.throws(() => fitArji(new Float64Array(20)), InputError);
    const p: ArjiParams = {
      mu: 0,
      sigma: 0.01,
      lambda0: 0.01,
      rho: 0.3,
      gamma: 0.5,
      jumpMean: 0,
      jumpVol: 0.02,
    };
    assert.throws(
      () => arjiFilter(p, [0.01]),
      (e: unknown) => e instanceof InputError && e.field === "gamma",
    );
    assert.throws(() => arjiFilter({ ...p, gamma: 0.1, lambda0: 0 }, [0.01]), InputError);
  });
});

describe("ARJI filter properties", () => {
  const params = fc.record({
    mu: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
    sigma: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
    lambda0: fc.double({ min: 1e-6, max: 1, noNaN: true }),
    rho: fc.double({ min: 0, max: 0.999, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    jumpMean: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
    jumpVol: fc.double({ min: 1e-4, max: 0.3, noNaN: true }),
  });
  const returns = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 60 });

  it("keeps 0 ≤ E[n_t | Φ_t] ≤ N, λ_t ≥ λ₀ > 0 and a finite likelihood", () => {
    fc.assert(
      fc.property(params, returns, (q, r) => {
        const p: ArjiParams = { ...q, gamma: q.share * q.rho };
        const f = arjiFilter(p, r);
        for (const e of f.expectedJumps) assert.ok(e >= 0 && e <= ARJI_TRUNCATION, `E[n] = ${e}`);
        // λ_t = λ₀ + (ρ − γ)λ_{t−1} + γE[n] ≥ λ₀ when 0 ≤ γ ≤ ρ.
        for (const l of f.intensity) assert.ok(l >= p.lambda0 * (1 - 1e-12) && l > 0, `λ = ${l}`);
        assert.ok(Number.isFinite(f.loglikelihood));
      }),
      { seed: 10, numRuns: 300 },
    );
  });
});

describe("ARJI paths for the trader", () => {
  const p = SIMULATED;
  const barYears = 1 / 8760;
  /** Mean and variance of the first step's log return over `paths` draws. */
  function firstStep(start: number, paths: number): { mean: number; variance: number; gross: number } {
    const g = createPathGenerator(arjiModelSpec(p, start, barYears), {
      horizonYears: 4 * barYears,
      steps: 4,
    });
    const rng = new Xoshiro128(3);
    const out = new Float64Array(4);
    const v = new Float64Array(4);
    let s = 0;
    let ss = 0;
    let gross = 0;
    for (let i = 0; i < paths; i++) {
      g.next(rng, out, v);
      s += out[0] as number;
      ss += (out[0] as number) ** 2;
      gross += Math.exp((out[0] as number) + (out[1] as number) + (out[2] as number) + (out[3] as number));
    }
    return { mean: s / paths, variance: ss / paths - (s / paths) ** 2, gross: gross / paths };
  }

  it("starts from the filtered intensity: the first bar's variance is σ² + λ_start(θ² + δ²), the price a martingale", () => {
    for (const start of [0.01, 0.5]) {
      const m = firstStep(start, 200_000);
      const want = p.sigma ** 2 + start * (p.jumpMean ** 2 + p.jumpVol ** 2);
      assert.ok(Math.abs(m.variance / want - 1) < 0.03, `λ ${start}: variance ${m.variance} vs ${want}`);
      // E[S_T/S_0] = 1 over four bars (jumps compensated by −λ_kκ each step).
      assert.ok(
        Math.abs(m.gross - 1) < 5 * Math.sqrt((4 * want) / 200_000),
        `λ ${start}: E[S_T/S_0] ${m.gross}`,
      );
    }
  });

  it("is offered by liqopt trader --model", () => {
    assert.ok((TRADER_VOL_MODELS as readonly string[]).includes("arji"));
  });
});

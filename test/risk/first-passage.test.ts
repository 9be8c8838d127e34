/**
 * First-passage (liquidation) probability of GBM: parity with shared/research/quant.md §5 R12 and
 * with an independent scipy implementation (test/fixtures/first-passage.json, made by
 * `python3 scripts/reference/first_passage.py`: reflection formula with scipy.stats.norm, checked
 * there against scipy.integrate.quad over the Brownian-bridge crossing probability), plus
 * properties that hold exactly in the model.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import type { Direction } from "../../src/margin/types.js";
import { normalCdf, normalPdf } from "../../src/math/distributions.js";
import {
  BGK_BETA,
  bridgeCrossingProbability,
  discreteFirstPassageProbability,
  discreteMonitoringBarrier,
  type FirstPassageInput,
  firstPassageProbability,
  touchProbability,
} from "../../src/risk/first-passage.js";
import { assertNear, assertRel } from "../helpers/close.js";

interface Fixture {
  R12: number;
  cases: (FirstPassageInput & { probability: number; bridgeIntegral: number })[];
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/first-passage.json", import.meta.url), "utf8"),
) as Fixture;

describe("firstPassageProbability: parity", () => {
  it("R12 (quant.md §5): S₀ 100, H 90, σ 0.8, T 7/365, μ 0 → 0.35976 (scipy: 0.3597960)", () => {
    const p = firstPassageProbability({
      spotPrice: 100,
      barrierPrice: 90,
      annualVol: 0.8,
      horizonYears: 7 / 365,
      side: "long",
    });
    // quant.md quotes 0.35976; scipy (two routes) and a hand computation give 0.3597960 —
    // the published figure is off by 3.6e-5, so it is matched loosely and the fixture tightly.
    assertNear(p, 0.35976, 5e-5, "R12 as quoted");
    assertNear(p, fixture.R12, 1e-13, "R12 scipy");
  });

  it("matches the scipy fixture over 360 cases (barrier, σ, μ, T, side)", () => {
    assert.equal(fixture.cases.length, 360);
    for (const c of fixture.cases) {
      const p = firstPassageProbability(c);
      const what = JSON.stringify(c);
      assertNear(p, c.probability, 1e-13, what);
      if (c.probability > 1e-280) assertRel(p, c.probability, 1e-9, what);
    }
  });
});

describe("firstPassageProbability: properties", () => {
  const side = fc.constantFrom<Direction>("long", "short");
  const distance = fc.double({ min: 0.005, max: 1.5, noNaN: true });
  const vol = fc.double({ min: 0.05, max: 2, noNaN: true });
  const drift = fc.double({ min: -1, max: 1, noNaN: true });
  const horizon = fc.double({ min: 1 / 8760, max: 2, noNaN: true });
  const barrierFor = (s: Direction, d: number) => (s === "long" ? 100 * Math.exp(-d) : 100 * Math.exp(d));

  it("lies in [0, 1], increases with volatility and horizon, decreases as the barrier moves away", () => {
    fc.assert(
      fc.property(side, distance, vol, drift, horizon, (s, d, sigma, mu, t) => {
        const base = { spotPrice: 100, barrierPrice: barrierFor(s, d), annualDrift: mu, side: s };
        const p = firstPassageProbability({ ...base, annualVol: sigma, horizonYears: t });
        assert.ok(p >= 0 && p <= 1, `p ${p}`);
        const longer = firstPassageProbability({ ...base, annualVol: sigma, horizonYears: t * 1.5 });
        assert.ok(longer >= p - 1e-15, `horizon: ${longer} < ${p}`);
        const further = firstPassageProbability({
          ...base,
          barrierPrice: barrierFor(s, d * 1.2),
          annualVol: sigma,
          horizonYears: t,
        });
        assert.ok(further <= p + 1e-15, `distance: ${further} > ${p}`);
        // With μ = 0 the log drift −σ²/2 also moves with σ; test volatility at a fixed log drift.
        const nu = mu - (0.5 * sigma * sigma) / 2;
        const lo = touchProbability(Math.log(base.barrierPrice / 100), nu, sigma, t, s);
        const hi = touchProbability(Math.log(base.barrierPrice / 100), nu, sigma * 1.3, t, s);
        assert.ok(hi >= lo - 1e-15, `vol: ${hi} < ${lo}`);
      }),
    );
  });

  it("long and short are mirror images in log space (b → −b, ν → −ν)", () => {
    fc.assert(
      fc.property(distance, vol, drift, horizon, (d, sigma, nu, t) => {
        const long = touchProbability(-d, nu, sigma, t, "long");
        const short = touchProbability(d, -nu, sigma, t, "short");
        assert.equal(long, short);
      }),
    );
  });

  it("equals P(X_T ≤ b) + ∫ φ_T(x)·bridge(0, x) dx (Simpson, 20,000 panels)", () => {
    for (const [b, nu, sigma, t] of [
      [-0.1, -0.32, 0.8, 7 / 365],
      [-0.3, 0.2, 1.2, 0.25],
      [-0.05, -1, 0.5, 0.1],
    ] as const) {
      const sd = sigma * Math.sqrt(t);
      const m = nu * t;
      const hi = m + 12 * sd;
      const n = 20_000;
      const h = (hi - b) / n;
      let sum = 0;
      for (let k = 0; k <= n; k++) {
        const x = b + k * h;
        const w = k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2;
        sum +=
          (w * normalPdf((x - m) / sd) * bridgeCrossingProbability(0, x, b, b, sigma * sigma * t, "long")) /
          sd;
      }
      const pBeyond = normalCdf((b - m) / sd);
      assertNear(touchProbability(b, nu, sigma, t, "long"), pBeyond + (sum * h) / 3, 1e-6, `${b} ${nu}`);
    }
  });

  it("edge cases: barrier reached → 1, T = 0 → 0, σ = 0 → deterministic, huge drift stays finite", () => {
    assert.equal(touchProbability(0, 0, 0.5, 1, "long"), 1);
    assert.equal(touchProbability(0.1, 0, 0.5, 1, "long"), 1);
    assert.equal(touchProbability(-0.1, 0, 0.5, 0, "long"), 0);
    assert.equal(touchProbability(-0.1, -0.2, 0, 1, "long"), 1);
    assert.equal(touchProbability(-0.1, -0.05, 0, 1, "long"), 0);
    const p = touchProbability(-0.5, -200, 0.2, 1e-4, "long");
    assert.ok(Number.isFinite(p) && p >= 0 && p <= 1, `p ${p}`);
    // Drift toward the barrier so strong that e^{2νb/σ²} = e^{4000} overflows: the log-space
    // branch. Reference: scipy (norm.logcdf) via scripts/reference/first_passage.py's
    // reflection(e^{−0.5}, 0.1, −40 + 0.005, 0.0125, "long") = 0.5044597529605336.
    const q = touchProbability(-0.5, -40, 0.1, 0.0125, "long");
    assertNear(q, 0.5044597529605336, 1e-12);
  });

  it("rejects bad input with InputError naming the field", () => {
    const ok = { spotPrice: 100, barrierPrice: 90, annualVol: 0.8, horizonYears: 0.1, side: "long" as const };
    assert.throws(() => firstPassageProbability({ ...ok, annualVol: -1 }), InputError);
    assert.throws(() => firstPassageProbability({ ...ok, spotPrice: 0 }), /spotPrice/);
    assert.throws(() => firstPassageProbability({ ...ok, side: "up" as Direction }), /side/);
    assert.throws(() => firstPassageProbability({ ...ok, horizonYears: Number.NaN }), /horizonYears/);
  });
});

describe("discrete monitoring and the bridge", () => {
  it("BGK β = −ζ(½)/√(2π) = 0.5825971579 (quant.md §3.7)", () => {
    assertNear(BGK_BETA, 0.5825971579, 1e-10);
  });

  it("the shifted barrier moves away from the spot and lowers the probability", () => {
    const input = { spotPrice: 100, barrierPrice: 90, annualVol: 0.8, horizonYears: 7 / 365 };
    for (const side of ["long", "short"] as const) {
      const h = side === "long" ? 90 : 110;
      const shifted = discreteMonitoringBarrier(h, 0.8, 1 / 24 / 365, side);
      assert.ok(side === "long" ? shifted < h : shifted > h);
      const cont = firstPassageProbability({ ...input, barrierPrice: h, side });
      const disc = discreteFirstPassageProbability({
        ...input,
        barrierPrice: h,
        side,
        monitoringIntervalYears: 1 / 24 / 365,
      });
      assert.ok(disc < cont && disc > 0.8 * cont, `${side}: ${disc} vs ${cont}`);
    }
  });

  it("bridge crossing probability: 1 at or beyond the barrier, e^{−2 d₀ d₁/σ²Δ} inside, mirrored for shorts", () => {
    assert.equal(bridgeCrossingProbability(0, -0.2, -0.1, -0.1, 0.01, "long"), 1);
    assertNear(bridgeCrossingProbability(0, 0, -0.1, -0.1, 0.01, "long"), Math.exp(-2), 1e-15);
    assertNear(bridgeCrossingProbability(0, 0.05, 0.1, 0.1, 0.01, "short"), Math.exp(-1), 1e-15);
    assert.equal(bridgeCrossingProbability(0, 0, -0.1, -0.1, 0, "long"), 0);
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        (x0, x1, b, v) => {
          const p = bridgeCrossingProbability(x0, x1, b, b, v, "long");
          assert.ok(p >= 0 && p <= 1);
          assert.equal(p, bridgeCrossingProbability(-x0, -x1, -b, -b, v, "short"));
        },
      ),
    );
  });
});

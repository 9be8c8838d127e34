/**
 * Bar range densities (src/vol/range-density.ts) against scripts/reference/range_density.py →
 * test/fixtures/range-density.json: the Brownian close-and-low density as sympy's mixed derivative
 * of the joint survival function P(close ≥ b, min ≥ m) (Shreve 2004, *Stochastic Calculus for Finance II*, §7.2), and
 * the Merton close-and-low density (a down jump total at the open, an up total at the close) as
 * scipy.integrate.quad of φ(J)·g(x − J, l − J) over l ≤ J < 0 plus φ(J)·g(x − J, l) over
 * 0 ≤ J ≤ x − l, mixed over n by scipy's Poisson law (not this module's completed-square closed form).
 * Properties: each density integrates over the low (or high) to the density of the close, is
 * non-negative, and is zero outside its support.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type MertonParams, mertonDensity } from "../../src/vol/jumps.js";
import {
  brownianCloseHighLogDensity,
  brownianCloseLowLogDensity,
  mertonRangeDensity,
} from "../../src/vol/range-density.js";

const fixture = JSON.parse(readFileSync("test/fixtures/range-density.json", "utf8")) as {
  brownian: { mu: number; sigma: number; close: number; low: number; density: number }[];
  merton: { params: MertonParams; close: number; low: number; density: number }[];
};

/** ∫_a^b f by Simpson's rule on an even number `n` of panels. */
function simpson(f: (x: number) => number, a: number, b: number, n = 4000): number {
  const h = (b - a) / n;
  let sum = f(a) + f(b);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

const normal = (x: number, mean: number, sd: number): number =>
  Math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));

describe("Brownian bar: joint density of the close and the low (or high)", () => {
  it("matches sympy's derivative of the joint survival function to 1e-12 relative on a grid", () => {
    for (const c of fixture.brownian) {
      const got = Math.exp(brownianCloseLowLogDensity(c.close, c.low, c.mu, c.sigma));
      assert.ok(Math.abs(got - c.density) <= 1e-12 * c.density + 1e-300, `${JSON.stringify(c)}: ${got}`);
    }
    assert.ok(fixture.brownian.some((c) => c.density === 0) && fixture.brownian.some((c) => c.density > 1));
  });

  it("integrates over the low to the normal density of the close, is ≥ 0, and is 0 outside m ≤ min(0, b)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.002, max: 0.002, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        (mu, sigma, k) => {
          const b = k * sigma;
          const top = Math.min(0, b);
          const low = simpson(
            (m) => Math.exp(brownianCloseLowLogDensity(b, m, mu, sigma)),
            top - 10 * sigma,
            top,
          );
          const high = simpson(
            (M) => Math.exp(brownianCloseHighLogDensity(b, M, mu, sigma)),
            Math.max(0, b),
            Math.max(0, b) + 10 * sigma,
          );
          const want = normal(b, mu, sigma);
          assert.ok(Math.abs(low - want) <= 1e-7 * want + 1e-12, `low: ${low} vs ${want}`);
          assert.ok(Math.abs(high - want) <= 1e-7 * want + 1e-12, `high: ${high} vs ${want}`);
          assert.equal(brownianCloseLowLogDensity(b, top + 1e-9, mu, sigma), Number.NEGATIVE_INFINITY);
          assert.equal(
            brownianCloseHighLogDensity(b, Math.max(0, b) - 1e-9, mu, sigma),
            Number.NEGATIVE_INFINITY,
          );
          assert.ok(Math.exp(brownianCloseLowLogDensity(b, top - sigma, mu, sigma)) > 0);
        },
      ),
      { numRuns: 60, seed: 10 },
    );
  });
});

describe("Merton bar (down jumps at the open, up jumps at the close): joint density of the close and the low (or high)", () => {
  it("matches scipy's quadrature over the jump total, mixed over n, to 1e-8 relative", () => {
    for (const c of fixture.merton) {
      const got = Math.exp(mertonRangeDensity(c.params).closeLow(c.close, c.low));
      assert.ok(Math.abs(got - c.density) <= 1e-8 * c.density + 1e-300, `${JSON.stringify(c)}: ${got}`);
    }
  });

  it("integrates over l ≤ min(0, x) (and h ≥ max(0, x)) to Merton's density of the close; zero outside the support", () => {
    fc.assert(
      fc.property(
        fc.record({
          mu: fc.double({ min: -0.001, max: 0.001, noNaN: true }),
          sigma: fc.double({ min: 0.002, max: 0.02, noNaN: true }),
          lambda: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
          jumpMean: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
          jumpVol: fc.double({ min: 0.002, max: 0.05, noNaN: true }),
        }),
        fc.double({ min: -0.08, max: 0.08, noNaN: true }),
        (p, x) => {
          const d = mertonRangeDensity(p);
          const want = Math.exp(d.close(x));
          const span = 10 * p.sigma + 8 * Math.sqrt(8) * p.jumpVol + 8 * Math.abs(p.jumpMean);
          // split 12σ from the support's edge, where the no-jump term lives
          const lowDensity = (l: number): number => Math.exp(d.closeLow(x, l));
          const highDensity = (h: number): number => Math.exp(d.closeHigh(x, h));
          const top = Math.min(0, x);
          const bottom = Math.max(0, x);
          const s12 = 12 * p.sigma;
          const low = simpson(lowDensity, x - span, top - s12) + simpson(lowDensity, top - s12, top);
          const high =
            simpson(highDensity, bottom + s12, x + span) + simpson(highDensity, bottom, bottom + s12);
          assert.ok(Math.abs(low - want) <= 1e-5 * want + 1e-10, `low: ${low} vs ${want}`);
          assert.ok(Math.abs(high - want) <= 1e-5 * want + 1e-10, `high: ${high} vs ${want}`);
          assert.equal(d.closeLow(x, Math.min(0, x) + 1e-9), Number.NEGATIVE_INFINITY);
          assert.equal(d.closeHigh(x, Math.max(0, x) - 1e-9), Number.NEGATIVE_INFINITY);
          assert.ok(d.closeLow(x, Math.min(0, x) - p.sigma) > Number.NEGATIVE_INFINITY);
        },
      ),
      { numRuns: 12, seed: 11 },
    );
  });

  it("is the Brownian density when λ → 0, and the close density is Merton's (src/vol/jumps.ts)", () => {
    const p = { mu: 0.0002, sigma: 0.005, lambda: 1e-12, jumpMean: -0.01, jumpVol: 0.02 };
    const d = mertonRangeDensity(p);
    for (const [x, l] of [
      [-0.004, -0.006],
      [0.003, -0.001],
    ] as const) {
      const want = brownianCloseLowLogDensity(x, l, p.mu, p.sigma);
      assert.ok(Math.abs(d.closeLow(x, l) - want) < 1e-9);
    }
    const q = { ...p, lambda: 0.04 };
    for (const x of [-0.08, -0.01, 0, 0.004, 0.05]) {
      const want = mertonDensity(x, q);
      assert.ok(Math.abs(Math.exp(mertonRangeDensity(q).close(x)) - want) <= 1e-12 * want);
    }
  });
});

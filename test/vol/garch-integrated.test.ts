/**
 * IGARCH(1,1) with drift (src/vol/garch/integrated.ts; Engle & Bollerslev 1986 §3, Nelson 1990):
 * the projection of a fit onto α + β = 1, and the variance of the H-step return
 * `V_H = H σ²_{T+1} + ω H(H − 1)/2` against a brute-force sum of the recursion and against a
 * simulation of the model written out here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { normalSampler, Xoshiro128 } from "../../src/math/random.js";
import { forecast, integratedHorizonVariance, integratedParams } from "../../src/vol/garch.js";

describe("IGARCH(1,1) with drift", () => {
  it("V_H equals the brute-force sum of E[σ²_{T+h}] = ω + E[σ²_{T+h−1}] (1 to 500 steps)", () => {
    const omega = 0.1512;
    const next = 0.3229;
    let v = next;
    let sum = 0;
    for (let h = 1; h <= 500; h++) {
      sum += v;
      const vh = integratedHorizonVariance(next, omega, h);
      assert.ok(Math.abs(vh / sum - 1) < 1e-13, `H ${h}: ${vh} vs ${sum}`);
      v = omega + v;
    }
  });

  it("V_H is the mean of the simulated (Σ r)² over 24 steps within 4 standard errors", () => {
    // σ²_{t+1} = ω + ᾱ ε²_t + (1 − ᾱ) σ²_t, ε = σ z, z ~ N(0, 1); 40,000 paths from σ²_{T+1}.
    const p = { omega: 0.05, alpha: 0.2, next: 0.5 };
    const H = 24;
    const rng = new Xoshiro128(7);
    const z = normalSampler();
    const paths = 40_000;
    let m = 0;
    let m2 = 0;
    for (let k = 0; k < paths; k++) {
      let s2 = p.next;
      let total = 0;
      for (let h = 0; h < H; h++) {
        const e = Math.sqrt(s2) * z.sample(rng);
        total += e;
        s2 = p.omega + p.alpha * e * e + (1 - p.alpha) * s2;
      }
      const x = total * total;
      m += x / paths;
      m2 += (x * x) / paths;
    }
    const se = Math.sqrt((m2 - m * m) / paths);
    const vh = integratedHorizonVariance(p.next, p.omega, H);
    assert.ok(Math.abs(m - vh) < 4 * se, `simulated ${m} ± ${se} vs ${vh}`);
  });

  it("the GARCH forecast of a fit at φ = 1 − 1e-10 has the IGARCH's V_H (the closed form lost it to cancellation)", () => {
    const params = { mu: 0, omega: 0.1512, alpha: 0.5766, beta: 0.4234 - 1e-10 };
    const f = forecast({ params, nextVariance: 0.3229 }, 24);
    const vh = integratedHorizonVariance(0.3229, 0.1512, 24);
    assert.ok(
      Math.abs((f.cumulativeVariance[23] as number) / vh - 1) < 1e-6,
      `${f.cumulativeVariance[23]} vs ${vh}`,
    );
  });

  it("projects α, β (and γ/2) onto α + β = 1 in proportion, keeping ω, μ and ν", () => {
    const g = integratedParams({ mu: 0.01, omega: 0.15, alpha: 0.3, beta: 0.5, gamma: 0.2, nu: 4 });
    // φ = 0.3 + 0.5 + 0.1 = 0.9, ᾱ = 0.4/0.9.
    assert.ok(Math.abs(g.alpha - 0.4 / 0.9) < 1e-15);
    assert.equal(g.alpha + g.beta, 1);
    assert.deepEqual([g.mu, g.omega, g.nu, g.gamma], [0.01, 0.15, 4, undefined]);
  });

  it("property: 0 ≤ ᾱ ≤ 1, ᾱ + β̄ = 1 and ᾱ/β̄ = (α + γ/2)/β for any fit, stationary or not", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (alpha, beta, gamma) => {
          const g = integratedParams({ mu: 0, omega: 1, alpha, beta, gamma });
          assert.ok(g.alpha >= 0 && g.alpha <= 1 && g.alpha + g.beta === 1);
          const ratio = (alpha + gamma / 2) / beta;
          assert.ok(Math.abs(g.alpha / g.beta - ratio) <= 1e-9 * Math.max(1, ratio));
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

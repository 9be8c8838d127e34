/**
 * Jump-diffusions (src/vol/jumps.ts): the Merton and Kou densities against scipy
 * (scripts/reference/jump_densities.py → test/fixtures/jump-densities.json: Merton by scipy.stats'
 * Poisson and normal laws, Kou's convolution by scipy.integrate.quad rather than Kou's closed form),
 * Kou's first two moments (Kou 2002, §3: E[Y] = p/η₁ − q/η₂, E[Y²] = 2p/η₁² + 2q/η₂²) against the
 * density's own integrals, and maximum likelihood recovering known parameters from returns drawn by
 * the simulator's generator (src/sim/models.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Xoshiro128 } from "../../src/math/random.js";
import { jumpModelSpec } from "../../src/optimize/vol-models.js";
import { createPathGenerator } from "../../src/sim/models.js";
import {
  fitJumpDiffusion,
  type JumpModel,
  type KouParams,
  kouDensity,
  kouMoments,
  type MertonParams,
  mertonDensity,
} from "../../src/vol/jumps.js";
import { assertNear } from "../helpers/close.js";

interface Case<P> {
  params: P;
  x: number;
  density: number;
}
const fixture = JSON.parse(readFileSync("test/fixtures/jump-densities.json", "utf8")) as {
  merton: Case<MertonParams>[];
  kou: Case<KouParams>[];
};

/** ∫ g(x) f(x) dx by the trapezoid rule on a fine grid over ±span. */
function integrate(f: (x: number) => number, g: (x: number) => number, span: number): number {
  const n = 200_000;
  const h = (2 * span) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = -span + i * h;
    sum += (i === 0 || i === n ? 0.5 : 1) * g(x) * f(x);
  }
  return sum * h;
}

describe("jump-diffusion densities", () => {
  it("Merton matches scipy's Poisson mixture of normals to 1e-12 relative", () => {
    for (const c of fixture.merton) {
      const got = mertonDensity(c.x, c.params);
      assert.ok(Math.abs(got - c.density) <= 1e-12 * c.density + 1e-300, `${JSON.stringify(c)}: ${got}`);
    }
  });

  it("Kou's closed form matches scipy's quadrature of the convolution to 1e-9 relative", () => {
    for (const c of fixture.kou) {
      const got = kouDensity(c.x, c.params);
      assert.ok(Math.abs(got - c.density) <= 1e-9 * c.density + 1e-300, `${JSON.stringify(c)}: ${got}`);
    }
  });

  it("both integrate to 1; Kou's mean and variance are its published first moments", () => {
    const k: KouParams = {
      mu: 0.0001,
      sigma: 0.004,
      lambda: 0.05,
      upProbability: 0.35,
      upRate: 60,
      downRate: 30,
    };
    const m: MertonParams = { mu: 0, sigma: 0.004, lambda: 0.2, jumpMean: -0.02, jumpVol: 0.015 };
    const kou = (x: number) => kouDensity(x, k);
    assertNear(
      integrate(kou, () => 1, 1.5),
      1,
      1e-9,
    );
    assertNear(
      integrate(
        (x) => mertonDensity(x, m),
        () => 1,
        0.6,
      ),
      1,
      1e-9,
    );
    const { mean, variance } = kouMoments(k);
    // Kou (2002) §3: E[Y] = p/η₁ − q/η₂ = 0.35/60 − 0.65/30.
    assertNear(mean, 0.0001 + 0.05 * (0.35 / 60 - 0.65 / 30), 1e-15);
    assertNear(
      integrate(kou, (x) => x, 1.5),
      mean,
      1e-12,
    );
    assertNear(
      integrate(kou, (x) => (x - mean) ** 2, 1.5),
      variance,
      1e-11,
    );
  });
});

/** n returns of one bar each drawn by the simulator from a model with per-bar parameters. */
function simulatedReturns(model: JumpModel, n: number, seed: number): Float64Array {
  const gen = createPathGenerator(jumpModelSpec(model, 1 / 8760), { horizonYears: n / 8760, steps: n });
  const out = new Float64Array(n);
  gen.next(new Xoshiro128(seed), out, new Float64Array(n));
  return out;
}

describe("the simulator's Kou jumps (src/sim/models.ts)", () => {
  it("are compensated: E[S_T/S₀] = 1 within 4 s.e., while uncompensated jumps would move it by 2.3 %", () => {
    const spec = jumpModelSpec(
      {
        kind: "kou",
        params: { mu: 0, sigma: 0.004, lambda: 0.05, upProbability: 0.5, upRate: 20, downRate: 10 },
      },
      1 / 8760,
    );
    const gen = createPathGenerator(spec, { horizonYears: 24 / 8760, steps: 24 });
    const rng = new Xoshiro128(3);
    const x = new Float64Array(24);
    const v = new Float64Array(24);
    let sum = 0;
    let sum2 = 0;
    const n = 20_000;
    for (let p = 0; p < n; p++) {
      gen.next(rng, x, v);
      const s = Math.exp(x.reduce((a, b) => a + b, 0));
      sum += s;
      sum2 += s * s;
    }
    const mean = sum / n;
    const se = Math.sqrt((sum2 / n - mean * mean) / n);
    // κ = pη₁/(η₁−1) + qη₂/(η₂+1) − 1 = −0.0195; 24 bars of λκ: −2.3 % without the compensation.
    assert.ok(Math.abs(mean - 1) < 4 * se, `${mean} ± ${se}`);
    assert.ok(4 * se < 0.01);
  });
});

describe("fitJumpDiffusion (maximum likelihood)", () => {
  it("recovers Merton parameters from simulated hourly returns", () => {
    fc.assert(
      fc.property(
        fc.record({
          sigma: fc.double({ min: 0.003, max: 0.008, noNaN: true }),
          lambda: fc.double({ min: 0.01, max: 0.03, noNaN: true }),
          jumpMean: fc.double({ min: -0.03, max: 0.01, noNaN: true }),
          jumpVol: fc.double({ min: 0.02, max: 0.04, noNaN: true }),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        ({ seed, ...p }) => {
          const truth: MertonParams = { mu: 0, ...p };
          const fit = fitJumpDiffusion(
            "merton",
            simulatedReturns({ kind: "merton", params: truth }, 6000, seed),
          );
          assert.equal(fit.kind, "merton");
          const q = fit.params as MertonParams;
          // 6,000 returns hold ~60–180 jumps: σ to 5 %, λ to 40 %, the jump law to a few of its sd.
          assert.ok(Math.abs(q.sigma / truth.sigma - 1) < 0.05, `σ ${q.sigma} vs ${truth.sigma}`);
          assert.ok(Math.abs(q.lambda / truth.lambda - 1) < 0.4, `λ ${q.lambda} vs ${truth.lambda}`);
          assert.ok(Math.abs(q.jumpMean - truth.jumpMean) < 0.01, `μ_J ${q.jumpMean} vs ${truth.jumpMean}`);
          assert.ok(Math.abs(q.jumpVol / truth.jumpVol - 1) < 0.3, `δ ${q.jumpVol} vs ${truth.jumpVol}`);
          assert.deepEqual(fit.atBounds, []);
        },
      ),
      { numRuns: 2 },
    );
  });

  it("recovers Kou parameters (asymmetric jumps) and beats Merton's likelihood on Kou data", () => {
    const truth: KouParams = {
      mu: 0,
      sigma: 0.004,
      lambda: 0.02,
      upProbability: 0.3,
      upRate: 60,
      downRate: 25,
    };
    const r = simulatedReturns({ kind: "kou", params: truth }, 6000, 5);
    // One run from a start far from the truth (twice the intensity, jump sizes halved and doubled),
    // to keep the test short: the full two-start fit is exercised on Merton above and in the CLI.
    const start = { ...truth, lambda: 0.04, upProbability: 0.5, upRate: 120, downRate: 12 };
    const fit = fitJumpDiffusion("kou", r, { start: { kind: "kou", params: start } });
    const q = fit.params as KouParams;
    assert.ok(Math.abs(q.sigma / truth.sigma - 1) < 0.05, `σ ${q.sigma}`);
    assert.ok(Math.abs(q.lambda / truth.lambda - 1) < 0.4, `λ ${q.lambda}`);
    assert.ok(Math.abs(q.upProbability - truth.upProbability) < 0.15, `p ${q.upProbability}`);
    assert.ok(Math.abs(1 / q.downRate - 1 / truth.downRate) < 0.3 / truth.downRate, `η₂ ${q.downRate}`);
    assert.ok(fit.loglikelihood > fitJumpDiffusion("merton", r).loglikelihood);
  });

  it("flags a fit that ends on a bound, and refuses too few returns or a wrong warm start", () => {
    // Gaussian returns have no jumps: λ falls to its lower bound or the jump law degenerates.
    const gauss = simulatedReturns(
      { kind: "merton", params: { mu: 0, sigma: 0.005, lambda: 0, jumpMean: 0, jumpVol: 0 } },
      3000,
      9,
    );
    assert.ok(fitJumpDiffusion("merton", gauss).atBounds.length > 0);
    assert.throws(() => fitJumpDiffusion("merton", gauss.subarray(0, 10)), /too few/);
    const start: JumpModel = {
      kind: "merton",
      params: { mu: 0, sigma: 0.005, lambda: 0.01, jumpMean: 0, jumpVol: 0.01 },
    };
    assert.throws(() => fitJumpDiffusion("kou", gauss, { start }), /not a kou model/);
  });
});

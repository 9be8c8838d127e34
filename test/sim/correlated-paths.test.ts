/**
 * Correlated asset paths (src/sim/correlated-paths.ts): the Cholesky factor against numpy's
 * (numpy.linalg.cholesky, LAPACK potrf: test/fixtures/correlated-paths.json, made by
 * scripts/reference/correlated_paths.py), a matrix numpy cannot factor refused naming the field, and
 * the sample volatilities, correlations and means of 200,000 steps against the inputs, within five
 * standard errors of each statistic (normal and common-ν Student-t shocks); same seed, same path.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { Xoshiro128 } from "../../src/math/random.js";
import {
  type CorrelatedModelSpec,
  CorrelatedPathGenerator,
  correlationFactor,
} from "../../src/sim/correlated-paths.js";
import { assertNear } from "../helpers/close.js";

interface Fixture {
  cholesky: Record<string, { matrix: number[][]; lower: number[][] }>;
  notPositiveDefinite: { matrix: number[][]; minEigenvalue: number };
}
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/correlated-paths.json"), "utf8"),
) as Fixture;

/** The InputError's field of `f()`. */
function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.field;
    throw e;
  }
  assert.fail("expected an InputError");
}

const R = [
  [1, 0.8, 0.3, 0],
  [0.8, 1, -0.2, 0],
  [0.3, -0.2, 1, 0],
  [0, 0, 0, 1],
];
const VOLS = [0.6, 0.45, 1.2, 0.3];
const GRID = { horizonYears: 1, steps: 100 };
const PATHS = 2_000; // × 100 steps = 200,000 draws per asset

/** Sample means, standard deviations and correlations of `paths` paths of `spec`. */
function sampleMoments(spec: CorrelatedModelSpec, seed: number) {
  const g = new CorrelatedPathGenerator(spec, GRID);
  const k = g.assets;
  const out = new Float64Array(g.steps * k);
  const rng = new Xoshiro128(seed);
  const sum = new Float64Array(k);
  const cross = new Float64Array(k * k);
  for (let p = 0; p < PATHS; p++) {
    g.next(rng, out);
    for (let s = 0; s < g.steps; s++) {
      for (let i = 0; i < k; i++) {
        const ri = out[s * k + i] as number;
        sum[i] = (sum[i] as number) + ri;
        for (let j = 0; j < k; j++)
          cross[i * k + j] = (cross[i * k + j] as number) + ri * (out[s * k + j] as number);
      }
    }
  }
  const n = PATHS * g.steps;
  const mean = Array.from(sum, (x) => x / n);
  const cov = (i: number, j: number) =>
    (cross[i * k + j] as number) / n - (mean[i] as number) * (mean[j] as number);
  const sd = mean.map((_, i) => Math.sqrt(cov(i, i)));
  const corr = (i: number, j: number) => cov(i, j) / ((sd[i] as number) * (sd[j] as number));
  return { n, mean, sd, corr, dt: g.dtYears };
}

describe("correlated asset paths", () => {
  for (const [name, c] of Object.entries(fixture.cholesky)) {
    it(`the Cholesky factor of the ${name}-asset matrix equals numpy.linalg.cholesky's`, () => {
      const l = correlationFactor(c.matrix);
      const k = c.matrix.length;
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++)
          assertNear(l[i * k + j] as number, c.lower[i]?.[j] as number, 1e-14, `L[${i}][${j}]`);
    });
  }

  it("refuses the matrix numpy cannot factor, and other bad inputs, naming the field", () => {
    assert.ok(fixture.notPositiveDefinite.minEigenvalue < 0);
    const spec = (over: Partial<CorrelatedModelSpec>): CorrelatedModelSpec => ({
      annualVol: [0.5, 0.5, 0.5],
      correlation: fixture.notPositiveDefinite.matrix,
      innovations: { kind: "normal" },
      ...over,
    });
    const make = (over: Partial<CorrelatedModelSpec>) => () => new CorrelatedPathGenerator(spec(over), GRID);
    assert.equal(fieldOf(make({})), "correlation");
    const ok = [
      [1, 0.5, 0],
      [0.5, 1, 0],
      [0, 0, 1],
    ];
    assert.doesNotThrow(make({ correlation: ok }));
    assert.equal(fieldOf(make({ correlation: ok.slice(0, 2) })), "correlation");
    assert.equal(
      fieldOf(
        make({
          correlation: [
            [1, 0.5, 0],
            [0.4, 1, 0],
            [0, 0, 1],
          ],
        }),
      ),
      "correlation[1][0]",
    );
    assert.equal(
      fieldOf(
        make({
          correlation: [
            [1, 0.5, 0],
            [0.5, 0.9, 0],
            [0, 0, 1],
          ],
        }),
      ),
      "correlation[1][1]",
    );
    assert.equal(fieldOf(make({ correlation: ok, annualVol: [0.5, -1, 0.5] })), "annualVol[1]");
    assert.equal(
      fieldOf(make({ correlation: ok, innovations: { kind: "student-t", nu: 2 } })),
      "innovations.nu",
    );
    assert.equal(fieldOf(make({ correlation: ok, annualDrift: [0, 0] })), "annualDrift");
  });

  for (const innovations of [{ kind: "normal" }, { kind: "student-t", nu: 6 }] as const) {
    it(`${innovations.kind}: sample vols, correlations and means of 200,000 steps match the inputs within 5 standard errors`, () => {
      const m = sampleMoments({ annualVol: VOLS, correlation: R, innovations }, 11);
      // Kurtosis of the shocks: 3 (normal), 3 + 6/(ν − 4) (unit-variance t_ν); the multivariate t's
      // kurtosis parameter κ = kurtosis/3 − 1 scales the variance of a sample correlation by 1 + κ.
      const kurtosis = innovations.kind === "normal" ? 3 : 3 + 6 / (innovations.nu - 4);
      const corrInflation = kurtosis / 3;
      VOLS.forEach((sigma, i) => {
        const stepSd = sigma * Math.sqrt(m.dt);
        // SE of a sample standard deviation: σ√((kurtosis − 1)/(4n)).
        const se = stepSd * Math.sqrt((kurtosis - 1) / (4 * m.n));
        assertNear(m.sd[i] as number, stepSd, 5 * se, `sd of asset ${i}`);
        assertNear(
          m.mean[i] as number,
          -0.5 * sigma * sigma * m.dt,
          (5 * stepSd) / Math.sqrt(m.n),
          `mean of asset ${i}`,
        );
        for (let j = 0; j < i; j++) {
          const rho = R[i]?.[j] as number;
          // SE of a sample correlation: (1 − ρ²)·√((1 + κ)/n).
          const se = (1 - rho * rho) * Math.sqrt(corrInflation / m.n);
          assertNear(m.corr(i, j), rho, 5 * se, `corr(${i}, ${j})`);
        }
      });
    });
  }

  it("Student-t shocks are jointly heavy-tailed (a shared χ²): joint 3-sd moves far more often than with normal shocks", () => {
    const both = (innovations: CorrelatedModelSpec["innovations"]) => {
      const g = new CorrelatedPathGenerator(
        {
          annualVol: [1, 1],
          correlation: [
            [1, 0],
            [0, 1],
          ],
          innovations,
        },
        GRID,
      );
      const out = new Float64Array(g.steps * 2);
      const rng = new Xoshiro128(5);
      const sd = Math.sqrt(g.dtYears);
      let joint = 0;
      for (let p = 0; p < PATHS; p++) {
        g.next(rng, out);
        for (let s = 0; s < g.steps; s++)
          if (Math.abs(out[2 * s] as number) > 3 * sd && Math.abs(out[2 * s + 1] as number) > 3 * sd) joint++;
      }
      return joint;
    };
    // Uncorrelated normals: P(|z| > 3)² ≈ 7.3e-6, ≈ 1.5 in 200,000 steps; a t₄ pair shares its χ².
    assert.ok(both({ kind: "normal" }) <= 10);
    assert.ok(both({ kind: "student-t", nu: 4 }) > 50);
  });

  it("same seed, same path; a zero volatility gives a constant price", () => {
    const spec: CorrelatedModelSpec = {
      annualVol: [0.5, 0],
      correlation: [
        [1, 0],
        [0, 1],
      ],
      innovations: { kind: "student-t", nu: 4 },
    };
    const g = new CorrelatedPathGenerator(spec, GRID);
    const a = new Float64Array(200);
    const b = new Float64Array(200);
    g.next(new Xoshiro128(3), a);
    new CorrelatedPathGenerator(spec, GRID).next(new Xoshiro128(3), b);
    assert.deepEqual(a, b);
    for (let s = 0; s < 100; s++) assert.equal(a[2 * s + 1], 0);
  });
});

/**
 * Parity of src/math/distributions.ts with scipy 1.10 (Debian's python3-scipy): the fixture
 * test/fixtures/distributions.json is produced by
 *   /usr/bin/python3 scripts/reference/distributions.py > test/fixtures/distributions.json
 * plus the quantile constants of /work/shared/research/quant.md §5 R9 and property tests.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  binomialCdf,
  binomialSurvival,
  chiSquareCdf,
  chiSquareSurvival,
  digamma,
  lnGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalUpperTail,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
} from "../../src/math/distributions.js";
import { assertNear } from "../helpers/close.js";

type Row = number[];
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/distributions.json", import.meta.url), "utf8"),
) as {
  normal: { cdf: Row[]; pdf: Row[]; quantile: Row[] };
  t: { cdf: Row[]; pdf: Row[]; quantile: Row[] };
  chi2: { cdf: Row[]; sf: Row[] };
  binomial: { cdf: Row[] };
  gamma: { lnGamma: Row[]; P: Row[]; Q: Row[] };
  beta: { I: Row[] };
};

/**
 * Relative agreement; absolute below 1e-300 (scipy flushes some subnormal tails to 0) and for
 * values scipy returns as rounding noise around an exact zero (e.g. its t quantile at p = ½).
 */
function near(actual: number, expected: number, rel: number, label: string): void {
  if (Math.abs(expected) < 1e-300 || (actual === 0 && Math.abs(expected) < 1e-15)) {
    assert.ok(Math.abs(actual - expected) < 1e-15, `${label}: ${actual} vs ${expected}`);
    return;
  }
  const err = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= rel, `${label}: ${actual} vs ${expected} (relative error ${err.toExponential(2)})`);
}

const row = (r: Row, i: number): number => r[i] as number;

describe("normal distribution vs scipy.stats.norm", () => {
  it("cdf to 1e-13 relative, including the far lower tail", () => {
    for (const r of fixture.normal.cdf) near(normalCdf(row(r, 0)), row(r, 1), 1e-13, `Φ(${row(r, 0)})`);
  });
  it("the fast upper tail Φ(−z) matches scipy to 1e-13 and normalCdf(−z) to 1e-13 relative on [−37, 37]", () => {
    for (const r of fixture.normal.cdf)
      near(normalUpperTail(-row(r, 0)), row(r, 1), 1e-13, `Φ(${row(r, 0)})`);
    fc.assert(
      fc.property(fc.double({ min: -37, max: 37, noNaN: true }), (z) => {
        near(normalUpperTail(z), normalCdf(-z), 1e-13, `Φ(−${z})`);
      }),
      { numRuns: 2000, seed: 7 },
    );
    assert.ok(Number.isNaN(normalUpperTail(Number.NaN)));
  });
  it("pdf to 1e-14", () => {
    for (const r of fixture.normal.pdf) near(normalPdf(row(r, 0)), row(r, 1), 1e-14, `φ(${row(r, 0)})`);
  });
  it("quantile to 1e-13 relative from p = 1e-300 to 1 − 1e-9", () => {
    for (const r of fixture.normal.quantile)
      near(normalQuantile(row(r, 0)), row(r, 1), 1e-13, `Φ⁻¹(${row(r, 0)})`);
  });
  it("quant.md R9 constants: z and ES/σ = φ(z)/(1−q)", () => {
    const cases: [number, number, number][] = [
      [0.95, 1.644854, 2.062713],
      [0.975, 1.959964, 2.337803],
      [0.99, 2.326348, 2.665214],
      [0.995, 2.575829, 2.891949],
    ];
    for (const [q, z, es] of cases) {
      assert.ok(Math.abs(normalQuantile(q) - z) < 5e-7);
      assert.ok(Math.abs(normalPdf(normalQuantile(q)) / (1 - q) - es) < 5e-7);
    }
  });
  it("quantile inverts the cdf (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 3, noNaN: true }), (x) => {
        const back = normalQuantile(normalCdf(x));
        return Math.abs(back - x) <= 1e-9 * Math.max(1, Math.abs(x));
      }),
    );
  });
});

describe("Student's t vs scipy.stats.t", () => {
  it("cdf and pdf to 1e-12 relative for ν from 1 to 150", () => {
    for (const r of fixture.t.cdf) near(studentTCdf(row(r, 0), row(r, 1)), row(r, 2), 1e-12, `T(${r})`);
    for (const r of fixture.t.pdf) near(studentTPdf(row(r, 0), row(r, 1)), row(r, 2), 1e-12, `t(${r})`);
  });
  it("quantile within 1e-8 of scipy's stdtrit, whose own error reaches ~5e-9 (see the closed forms below)", () => {
    for (const r of fixture.t.quantile)
      near(studentTQuantile(row(r, 0), row(r, 1)), row(r, 2), 1e-8, `T⁻¹(${r})`);
  });
  it("quantile equals the closed forms for ν = 1, 2, 4 to 1e-12 (Hill 1970; Shaw 2006)", () => {
    const closed: Record<number, (p: number) => number> = {
      // tan(π(p − ½)) = −cot(πp), written so that p − ½ is not rounded.
      1: (p) => (p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p))),
      2: (p) => (2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
      4: (p) => {
        const a = 4 * p * (1 - p);
        const q = Math.cos(Math.acos(Math.sqrt(a)) / 3) / Math.sqrt(a);
        return Math.sign(p - 0.5) * 2 * Math.sqrt(q - 1);
      },
    };
    for (const r of fixture.t.quantile) {
      const p = row(r, 0);
      const nu = row(r, 1);
      const f = closed[nu];
      if (f === undefined || p === 0.5) continue;
      near(studentTQuantile(p, nu), f(p), 1e-12, `T⁻¹(${p}, ${nu}) closed form`);
    }
  });
  it("quantile inverts the cdf to 1e-13 in probability (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 0.5, noNaN: true }),
        fc.double({ min: 0.8, max: 300, noNaN: true }),
        (p, nu) => Math.abs(studentTCdf(studentTQuantile(p, nu), nu) - p) <= 1e-13 * p,
      ),
    );
  });
  it("quant.md R9: unit-variance t VaR at 99 % (ν 3…6) and 97.5 % (ν 4, 5)", () => {
    const cases: [number, number, number][] = [
      [0.99, 3, 2.621576],
      [0.99, 4, 2.649492],
      [0.99, 5, 2.606464],
      [0.99, 6, 2.565978],
      [0.975, 4, 1.963243],
      [0.975, 5, 1.991164],
    ];
    for (const [q, nu, v] of cases) {
      const unit = studentTQuantile(q, nu) * Math.sqrt((nu - 2) / nu);
      assert.ok(Math.abs(unit - v) < 5e-7, `ν ${nu} q ${q}: ${unit}`);
    }
  });
  it("cdf is monotone and symmetric (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        (x, dx, nu) => {
          const a = studentTCdf(x, nu);
          return studentTCdf(x + dx, nu) >= a && Math.abs(a + studentTCdf(-x, nu) - 1) < 1e-12;
        },
      ),
    );
  });
});

describe("chi-square, binomial and the special functions vs scipy", () => {
  it("chi-square cdf and survival", () => {
    for (const r of fixture.chi2.cdf)
      near(chiSquareCdf(row(r, 0), row(r, 1)), row(r, 2), 1e-12, `χ²cdf(${r})`);
    for (const r of fixture.chi2.sf)
      near(chiSquareSurvival(row(r, 0), row(r, 1)), row(r, 2), 1e-12, `χ²sf(${r})`);
  });
  it("binomial cdf (incl. Basel's Bin(250, 1 %) and MathWorks' Bin(1043, 5 %))", () => {
    for (const r of fixture.binomial.cdf)
      near(binomialCdf(row(r, 0), row(r, 1), row(r, 2)), row(r, 3), 1e-11, `Bin(${r})`);
  });
  it("binomial survival P(X ≥ x) = 1 − cdf(x − 1) on the scipy rows, exact where 1 − cdf loses every digit", () => {
    for (const r of fixture.binomial.cdf) {
      const [x, n, p, cdf] = [row(r, 0), row(r, 1), row(r, 2), row(r, 3)];
      if (x + 1 <= n && cdf < 0.999) near(binomialSurvival(x + 1, n, p), 1 - cdf, 1e-10, `Bin(${r})`);
    }
    // Bin(10, ½): P(X ≥ 8) = (45 + 10 + 1) / 1024; P(X ≥ n) = pⁿ even at 1e-40; the ends.
    near(binomialSurvival(8, 10, 0.5), 56 / 1024, 1e-14, "Bin(10, 0.5) ≥ 8");
    near(binomialSurvival(20, 20, 0.01), 1e-40, 1e-10, "Bin(20, 0.01) ≥ 20");
    assert.equal(binomialSurvival(0, 20, 0.3), 1);
    assert.equal(binomialSurvival(21, 20, 0.3), 0);
    assert.equal(binomialSurvival(1, 20, 0), 0);
    assert.ok(Number.isNaN(binomialSurvival(1, 10, 1.5)));
  });
  it("ln Γ, P, Q and I_x", () => {
    for (const r of fixture.gamma.lnGamma) {
      // ln Γ(1) = ln Γ(2) = 0: compare absolutely there.
      const x = row(r, 0);
      assert.ok(Math.abs(lnGamma(x) - row(r, 1)) <= 1e-13 * Math.max(1, Math.abs(row(r, 1))), `lnΓ(${x})`);
    }
    for (const r of fixture.gamma.P)
      near(regularizedGammaP(row(r, 0), row(r, 1)), row(r, 2), 1e-12, `P(${r})`);
    for (const r of fixture.gamma.Q)
      near(regularizedGammaQ(row(r, 0), row(r, 1)), row(r, 2), 1e-12, `Q(${r})`);
    for (const r of fixture.beta.I)
      near(regularizedBeta(row(r, 0), row(r, 1), row(r, 2)), row(r, 3), 1e-12, `I(${r})`);
  });
  it("invalid arguments give NaN, not a wrong number", () => {
    assert.ok(Number.isNaN(normalQuantile(1.5)));
    assert.ok(Number.isNaN(studentTCdf(1, 0)));
    assert.ok(Number.isNaN(regularizedBeta(2, 1, 1)));
    assert.ok(Number.isNaN(binomialCdf(1, 10, -0.1)));
  });
});

describe("digamma", () => {
  // Abramowitz & Stegun 6.3.2, 6.3.3 (ψ(1) = −γ, ψ(½) = −γ − 2 ln 2), 6.3.2 with ψ(n + 1) = H_n − γ.
  const EULER = 0.5772156649015329;
  it("ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(10) = H₉ − γ, ψ(100.5) by the recurrence", () => {
    assertNear(digamma(1), -EULER, 1e-14, "ψ(1)");
    assertNear(digamma(0.5), -EULER - 2 * Math.LN2, 1e-14, "ψ(½)");
    let h9 = 0;
    for (let k = 1; k <= 9; k++) h9 += 1 / k;
    assertNear(digamma(10), h9 - EULER, 1e-14, "ψ(10)");
    assertNear(digamma(100.5) - digamma(99.5), 1 / 99.5, 1e-14, "ψ(x + 1) − ψ(x) = 1/x");
  });

  it("is the derivative of lnGamma (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 200, noNaN: true }), (x) => {
        const h = 1e-5 * x;
        const fd = (lnGamma(x + h) - lnGamma(x - h)) / (2 * h);
        return Math.abs(digamma(x) - fd) < 1e-7 * Math.max(1, Math.abs(fd));
      }),
      { numRuns: 100 },
    );
  });
});

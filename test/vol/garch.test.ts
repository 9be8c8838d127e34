/**
 * GARCH(1,1) / GJR-GARCH(1,1): parity with R's fGarch (test/fixtures/garch.json, made by
 * `Rscript scripts/reference/garch_fgarch.R`) and with shared/research/quant.md §5 (R1–R4 DEM/GBP,
 * R14 BTCUSDT 2024, R15 Hull's GARCH update); closed-form forecasts; seeded simulation; and the
 * bounded Nelder–Mead of src/math/minimize.ts on Rosenbrock.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { barIndex, readCandleFile } from "../../src/market/candles.js";
import { invertSpd } from "../../src/math/linalg.js";
import { nelderMead, numericalHessian } from "../../src/math/minimize.js";
import { Xoshiro128 } from "../../src/math/random.js";
import { createPathGenerator } from "../../src/sim/models.js";
import { boundsAt } from "../../src/vol/garch/bounds.js";
import {
  conditionalVariance,
  fit,
  forecast,
  type GarchDist,
  type GarchFit,
  type GarchModel,
  type GarchParams,
  garchStep,
  loglikelihood,
  percentReturns,
  simulate,
} from "../../src/vol/garch.js";
import { logReturns } from "../../src/vol/realized.js";
import { assertNear, assertRel } from "../helpers/close.js";
import { FGARCH_COEFFICIENTS } from "../helpers/fgarch.js";

interface FixtureFit {
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  gamma?: number;
  nu?: number;
  llh: number;
  se: Record<string, number>;
}
interface FixtureSet {
  returns: number[];
  "garch-normal": FixtureFit;
  "garch-t": FixtureFit;
  "gjr-normal"?: FixtureFit;
}
interface Fixture {
  command: string;
  btc2024: FixtureSet;
  dem2gbp: FixtureSet;
}

const FIXTURE_PATH = new URL("../fixtures/garch.json", import.meta.url);
const fixture: Fixture | undefined = existsSync(FIXTURE_PATH)
  ? (JSON.parse(readFileSync(FIXTURE_PATH, "utf8")) as Fixture)
  : undefined;

/** The 366 BTCUSDT daily % log returns of 2024 (quant.md R13/R14). */
function btc2024(): Float64Array {
  const { series } = readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv");
  const from = barIndex(series, Date.UTC(2024, 0, 1));
  const to = barIndex(series, Date.UTC(2025, 0, 1));
  return percentReturns(logReturns(series.close.subarray(from - 1, to)));
}
const BTC = btc2024();

function paramsOf(f: FixtureFit, dist: GarchDist): GarchParams {
  const p: GarchParams = { mu: f.mu, omega: f.omega, alpha: f.alpha, beta: f.beta };
  return {
    ...p,
    ...(f.gamma !== undefined ? { gamma: f.gamma } : {}),
    ...(dist === "t" && f.nu !== undefined ? { nu: f.nu } : {}),
  };
}

/** Parameters within `rel` relative, or a log-likelihood no worse than the reference by `llhTol`. */
function assertParity(
  got: GarchFit,
  ref: GarchParams,
  refLlh: number,
  what: string,
  rel = 1e-3,
  llhTol = 1e-4,
): void {
  const keys = got.names;
  const paramsMatch = keys.every((k) => {
    const a = got.params[k] as number;
    const b = ref[k] as number;
    return Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-3);
  });
  assert.ok(
    paramsMatch || got.loglikelihood >= refLlh - llhTol,
    `${what}: params ${JSON.stringify(got.params)} ℓ ${got.loglikelihood} vs ref ${JSON.stringify(ref)} ℓ ${refLlh}`,
  );
  assert.ok(got.loglikelihood >= refLlh - 1e-3, `${what}: ℓ ${got.loglikelihood} below reference ${refLlh}`);
}

describe("Nelder–Mead and the numerical Hessian", () => {
  const rosen = (x: Float64Array) =>
    100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;

  it("finds Rosenbrock's minimum (1, 1) from (−1.2, 1)", () => {
    const r = nelderMead(rosen, [-1.2, 1], { xTolerance: 1e-10, fTolerance: 1e-14 });
    assert.ok(r.converged);
    assertNear(r.x[0], 1, 1e-6, "x");
    assertNear(r.x[1], 1, 1e-6, "y");
    assert.ok(r.f < 1e-12);
  });

  it("respects a box that excludes the unconstrained minimum: x < 0.5 → (0.5, 0.25)", () => {
    const r = nelderMead(rosen, [-1.2, 1], {
      bounds: { lower: [-2, -1], upper: [0.5, 2] },
      xTolerance: 1e-10,
    });
    assert.ok((r.x[0] as number) <= 0.5 && (r.x[0] as number) > 0.499);
    assertNear(r.x[1], 0.25, 1e-3, "y");
    assertNear(r.f, 0.25, 1e-3, "f");
  });

  it("is deterministic", () => {
    const a = nelderMead(rosen, [-1.2, 1], { bounds: { lower: [-5, -5], upper: [5, 5] } });
    const b = nelderMead(rosen, [-1.2, 1], { bounds: { lower: [-5, -5], upper: [5, 5] } });
    assert.deepEqual(Array.from(a.x), Array.from(b.x));
    assert.equal(a.evaluations, b.evaluations);
  });

  it("stops at the iteration cap without claiming convergence", () => {
    const r = nelderMead(rosen, [-1.2, 1], { maxIterations: 5 });
    assert.equal(r.converged, false);
    assert.equal(r.iterations, 5);
  });

  it("Hessian of Rosenbrock at (1, 1) is [[802, −400], [−400, 200]], and inverts", () => {
    const H = numericalHessian(rosen, [1, 1]);
    assertRel(H[0], 802, 1e-6, "H00");
    assertRel(H[1], -400, 1e-6, "H01");
    assertRel(H[3], 200, 1e-6, "H11");
    const inv = invertSpd(H, 2) as Float64Array;
    // [[802, −400], [−400, 200]]⁻¹ = [[0.5, 1], [1, 2.005]] (det 400)
    assertRel(inv[0], 0.5, 1e-6, "inv00");
    assertRel(inv[1], 1, 1e-6, "inv01");
    assertRel(inv[3], 2.005, 1e-6, "inv11");
    assert.equal(invertSpd([1, 2, 2, 1], 2), undefined);
  });
});

describe("GARCH likelihood and update", () => {
  it("scaling returns by s shifts the log-likelihood by −n·ln s, also where variance products overflow", () => {
    const r = Array.from({ length: 400 }, (_, i) => Math.sin(i + 1));
    const s = 1e40; // σ² ≈ 1e80: products of 8 variances leave float range, so the per-step path runs
    for (const dist of ["normal", "t"] as const) {
      const p = { mu: 0.01, omega: 0.05, alpha: 0.1, beta: 0.85, nu: 5 };
      const scaled = { ...p, mu: p.mu * s, omega: p.omega * s * s };
      const base = loglikelihood(p, r, { dist });
      const big = loglikelihood(
        scaled,
        r.map((x) => x * s),
        { dist },
      );
      assertRel(big, base - r.length * Math.log(s), 1e-9, dist);
    }
  });

  it("Hull's GARCH(1,1) update: ω 2e-6, α 0.06, β 0.92, σ 1 %, 1040 → 1060 gives σ_n 1.0779 % (R15)", () => {
    const p = { mu: 0, omega: 2e-6, alpha: 0.06, beta: 0.92 };
    assertNear(Math.sqrt(garchStep(0.01 ** 2, 20 / 1040, p)), 0.010779, 5e-7, "σ_n");
    assertNear(Math.sqrt(p.omega / (1 - p.alpha - p.beta)), 0.01, 1e-12, "long-run σ");
  });

  it("R14: ℓ at fGarch's published BTCUSDT 2024 parameters equals its LLH (to the 6-decimal rounding)", () => {
    assert.equal(BTC.length, 366);
    const normal = loglikelihood({ mu: 0.213636, omega: 0.899756, alpha: 0.077018, beta: 0.803843 }, BTC);
    assertNear(normal, -885.0227, 1e-4, "normal");
    const t = loglikelihood(
      { mu: 0.151001, omega: 0.508425, alpha: 0.041784, beta: 0.897301, nu: 4.19916 },
      BTC,
      { dist: "t" },
    );
    assertNear(t, -873.4945, 1e-4, "t");
  });

  it("is invariant to rescaling returns, up to −n ln c (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.boolean(), (c, student) => {
        const p: GarchParams = { mu: 0.1, omega: 0.5, alpha: 0.08, beta: 0.85, gamma: 0.05, nu: 5 };
        const q: GarchParams = { ...p, mu: p.mu * c, omega: p.omega * c * c };
        const scaled = BTC.map((r) => r * c);
        const dist = student ? "t" : "normal";
        const a = loglikelihood(p, BTC, { dist });
        const b = loglikelihood(q, scaled, { dist });
        return Math.abs(b - (a - BTC.length * Math.log(c))) < 1e-8 * Math.abs(a);
      }),
      { numRuns: 40 },
    );
  });

  it("is −∞ outside the model (ν ≤ 2, negative variance)", () => {
    assert.equal(
      loglikelihood({ mu: 0, omega: 1, alpha: 0.1, beta: 0.8, nu: 2 }, BTC, { dist: "t" }),
      -Infinity,
    );
    assert.equal(loglikelihood({ mu: 0, omega: -1, alpha: 0, beta: 0 }, BTC), -Infinity);
  });

  it("conditionalVariance starts at the mci value and follows the recursion", () => {
    const p = { mu: 0.2, omega: 0.9, alpha: 0.08, beta: 0.8 };
    const h = conditionalVariance(p, BTC);
    let ms = 0;
    for (const r of BTC) ms += (r - p.mu) ** 2 / BTC.length;
    assertRel(h[0], p.omega + (p.alpha + p.beta) * ms, 1e-14, "h1");
    assertRel(h[1], garchStep(h[0] as number, (BTC[0] as number) - p.mu, p), 1e-14, "h2");
    assert.equal(h.length, BTC.length + 1);
  });
});

describe("GARCH fit: R14 (fGarch on Binance BTCUSDT 2024 daily % returns)", () => {
  it("normal: μ 0.213636, ω 0.899756, α 0.077018, β 0.803843, LLH −885.0227", () => {
    const f = fit(BTC, { model: "garch", dist: "normal" });
    assert.ok(f.converged);
    assertParity(
      f,
      { mu: 0.213636, omega: 0.899756, alpha: 0.077018, beta: 0.803843 },
      -885.0227,
      "R14 normal",
    );
    assertNear(f.loglikelihood, -885.0227, 1e-4, "LLH");
    assertNear(f.aic, 2 * 885.0227 + 8, 1e-3, "AIC");
    assertNear(f.bic, 2 * 885.0227 + 4 * Math.log(366), 1e-3, "BIC");
  });

  it("Student-t: μ 0.151001, ω 0.508425, α 0.041784, β 0.897301, ν 4.19916, LLH −873.4945", () => {
    const f = fit(BTC, { model: "garch", dist: "t" });
    assertParity(
      f,
      { mu: 0.151001, omega: 0.508425, alpha: 0.041784, beta: 0.897301, nu: 4.19916 },
      -873.4945,
      "R14 t",
    );
    assertNear(f.loglikelihood, -873.4945, 1e-4, "LLH");
  });
});

describe("GARCH fit: parity with fGarch (test/fixtures/garch.json)", { skip: fixture === undefined }, () => {
  const fx = fixture as Fixture;
  it("the fixture's BTC returns are ours", () => {
    assert.equal(fx.btc2024.returns.length, 366);
    fx.btc2024.returns.forEach((r, i) => {
      assertNear(BTC[i], r, 1e-10, `r[${i}]`);
    });
  });
  for (const set of ["btc2024", "dem2gbp"] as const) {
    for (const [key, model, dist] of [
      ["garch-normal", "garch", "normal"],
      ["garch-t", "garch", "t"],
    ] as const) {
      it(`${set} ${key}: ℓ at fGarch's parameters = fGarch LLH to 1e-6; fit matches`, () => {
        const data = fx[set];
        const ref = data[key];
        const returns = Float64Array.from(data.returns);
        const p = paramsOf(ref, dist);
        assertNear(loglikelihood(p, returns, { dist }), ref.llh, 1e-6, "ℓ(θ_fGarch)");
        const stationary = p.alpha + p.beta < 1;
        const f = fit(returns, { model: model as GarchModel, dist, stationary });
        assertParity(f, p, ref.llh, `${set} ${key}`);
        // Standard errors from the inverse Hessian: same order as fGarch's.
        for (const [name, k] of [
          ["mu", "mu"],
          ["omega", "omega"],
          ["alpha", "alpha1"],
          ["beta", "beta1"],
        ] as const) {
          assertRel(f.standardErrors[name], ref.se[k] as number, 0.05, `se ${name}`);
        }
      });
    }
  }
});

describe("GJR fit vs fGarch APARCH(1,1) with δ = 2 (test/fixtures/garch.json)", {
  skip: fixture === undefined,
}, () => {
  // fGarch has no GJR model; its APARCH with δ fixed at 2 is GJR after α_GJR = α(1 − g)², γ_GJR = 4αg.
  // Its "mci" start for APARCH is not the GJR mci used here, so the optima differ slightly.
  for (const set of ["btc2024", "dem2gbp"] as const) {
    it(`${set}: parameters within 2e-3 (ω 1 %), ℓ within 3e-3`, () => {
      const data = (fixture as Fixture)[set];
      const ref = data["gjr-normal"] as FixtureFit;
      const f = fit(Float64Array.from(data.returns), { model: "gjr", dist: "normal" });
      assertNear(f.params.alpha, ref.alpha, 2e-3, "α");
      assertNear(f.params.beta, ref.beta, 2e-3, "β");
      assertNear(f.params.gamma, ref.gamma as number, 2e-3, "γ");
      assertRel(f.params.omega, ref.omega, 1e-2, "ω");
      assertNear(f.loglikelihood, ref.llh, 3e-3, "ℓ");
    });
  }
});

describe("GARCH fit: DEM/GBP (quant.md R1–R4)", { skip: fixture === undefined }, () => {
  const dem = Float64Array.from(fixture?.dem2gbp.returns ?? []);
  const R1 = { mu: -0.00619041, omega: 0.01076139, alpha: 0.15313391, beta: 0.80597378 };

  it("R1: normal fit μ −0.00619041, ω 0.01076139, α 0.15313391, β 0.80597378, LLH −1106.608, s.e.", () => {
    assert.equal(dem.length, 1974);
    const f = fit(dem, { model: "garch", dist: "normal" });
    assertParity(f, R1, -1106.608, "R1");
    assertNear(f.loglikelihood, -1106.608, 1e-3, "LLH");
    const se = [0.008462, 0.002838, 0.026422, 0.033381];
    f.names.forEach((n, i) => {
      assertRel(f.standardErrors[n], se[i] as number, 0.03, `se ${n}`);
    });
  });

  it("R4: ℓ at the R1 parameters under each initialisation", () => {
    assertNear(loglikelihood(R1, dem, { init: "mci" }), -1106.6079, 1e-4, "mci");
    assertNear(loglikelihood(R1, dem, { init: "mean-square" }), -1106.5868, 1e-4, "mean(ε²)");
    // The note's "var(x)" is the n-denominator variance (numpy's default); R's var (n − 1) differs.
    let m = 0;
    for (const r of dem) m += r / dem.length;
    let ss = 0;
    for (const r of dem) ss += (r - m) ** 2;
    assertNear(
      loglikelihood(R1, dem, { init: { variance: ss / dem.length } }),
      -1106.5855,
      1e-4,
      "var(x), ddof 0",
    );
    assertNear(loglikelihood(R1, dem, { init: "sample-variance" }), -1106.5869, 1e-4, "var(x), ddof 1");
    assertNear(loglikelihood(R1, dem, { init: "unconditional" }), -1107.08, 1e-4, "unconditional");
  });

  it("R2: Student-t, unconstrained as fGarch (α + β 1.0091, LLH −989.4083) and stationary (LLH ≥ −989.782)", () => {
    const free = fit(dem, { model: "garch", dist: "t", stationary: false });
    assertParity(
      free,
      { mu: 0.002248, omega: 0.002319, alpha: 0.124438, beta: 0.884653, nu: 4.11842 },
      -989.4083,
      "R2 free",
      2e-3,
    );
    const constrained = fit(dem, { model: "garch", dist: "t" });
    assert.ok(constrained.persistence < 1);
    // The note's constrained optimum (α 0.11775, β 0.88225, ν 4.331, ℓ −989.782, [C]) is on the
    // boundary φ = 1; ours is there too, with a slightly higher ℓ (−989.7744).
    assert.ok(constrained.loglikelihood >= -989.782, `ℓ ${constrained.loglikelihood}`);
    assertNear(constrained.loglikelihood, -989.782, 1e-2, "LLH stationary");
    assertNear(constrained.persistence, 1, 1e-6, "φ on the boundary");
    assertNear(constrained.params.alpha, 0.11775, 1e-3, "α");
    assertNear(constrained.params.nu, 4.331, 5e-3, "ν");
  });

  it("R3: GJR normal μ −0.007905, ω 0.011233, α 0.140497, γ 0.028351, β 0.801441, LLH −1106.1023", () => {
    const f = fit(dem, { model: "gjr", dist: "normal" });
    assertParity(
      f,
      { mu: -0.007905, omega: 0.011233, alpha: 0.140497, beta: 0.801441, gamma: 0.028351 },
      -1106.1023,
      "R3",
      5e-3,
    );
    assertNear(f.loglikelihood, -1106.1023, 1e-3, "LLH");
  });
});

/** The last 2000 BTCUSDT daily % log returns of the bundled file (2020-10-08 → 2026-03-30): `liqopt vol`'s default fit. */
function btcLast2000(): Float64Array {
  const { series } = readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv");
  return percentReturns(logReturns(series.close)).subarray(-2000);
}

describe("GARCH fit on a bound says so (atBound, warnings, no standard errors)", () => {
  it("BTCUSDT daily, last 2000 returns, GARCH-t: φ pinned at the stationarity bound is flagged, SEs withheld", () => {
    const f = fit(btcLast2000(), { model: "garch", dist: "t" });
    assert.ok(f.persistence > 1 - 1e-6, `φ ${f.persistence}`);
    assert.deepEqual(f.atBound, ["persistence"]);
    assert.equal(f.stationary, true);
    for (const name of f.names) assert.ok(Number.isNaN(f.standardErrors[name]), `se ${name} withheld`);
    assert.match(f.warnings.join("\n"), /stationarity bound/);
    assert.match(f.warnings.join("\n"), /no standard errors: the optimum is on the bound of persistence/);
  });

  it("an interior optimum (BTC 2024, quant.md R14) has no bound, no warning and finite SEs", () => {
    const f = fit(BTC, { model: "garch", dist: "t" });
    assert.deepEqual(f.atBound, []);
    assert.deepEqual(f.warnings, []);
    for (const name of f.names) assert.ok(Number.isFinite(f.standardErrors[name]), `se ${name}`);
  });

  it("unconstrained with φ > 1 (DEM/GBP-t, quant.md R2) is not at a bound but warns it is not stationary", () => {
    const dem = Float64Array.from(fixture?.dem2gbp.returns ?? []);
    if (dem.length === 0) return;
    const f = fit(dem, { model: "garch", dist: "t", stationary: false });
    assert.ok(f.persistence > 1);
    assert.deepEqual(f.atBound, []);
    assert.match(f.warnings.join("\n"), /not covariance-stationary/);
    assert.ok(Number.isFinite(f.standardErrors.alpha));
  });

  it("boundsAt names each binding constraint (property: an interior point binds none)", () => {
    assert.deepEqual(boundsAt({ mu: 0, omega: 1e-12, alpha: 0, beta: 0.5, nu: 2.0001 }, "garch", true, 1), [
      "omega",
      "alpha",
      "nu",
    ]);
    assert.deepEqual(boundsAt({ mu: 0, omega: 1, alpha: 1, beta: 0, gamma: 0.2 }, "gjr", false, 1), [
      "beta",
      "alpha-upper",
    ]);
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.4, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 2.1, max: 50, noNaN: true }),
        (alpha, beta, nu) => boundsAt({ mu: 0, omega: 0.1, alpha, beta, nu }, "garch", true, 1).length === 0,
      ),
    );
  });
});

interface NonStationaryFit extends FixtureFit {
  n: number;
  persistence: number;
}
interface NonStationaryFixture {
  command: string;
  btc: { returns: number[]; "garch-t": NonStationaryFit; "garch-t-last1000": NonStationaryFit };
  eth: { returns: number[]; "garch-t": NonStationaryFit; "garch-t-last1000"?: undefined };
}
const NON_STATIONARY_PATH = new URL("../fixtures/garch-nonstationary.json", import.meta.url);
const nonStationary = JSON.parse(readFileSync(NON_STATIONARY_PATH, "utf8")) as NonStationaryFixture;

describe("unconstrained GARCH-t reproduces fGarch's non-stationary optimum (test/fixtures/garch-nonstationary.json)", () => {
  // Made by `Rscript scripts/reference/garch_nonstationary_fgarch.R` (fGarch garchFit, no
  // stationarity constraint) on the last 2000 daily % log returns of the bundled BTC and ETH files.
  it("the fixture's BTC returns are ours (the default liqopt vol fit)", () => {
    const ours = btcLast2000();
    assert.equal(nonStationary.btc.returns.length, 2000);
    nonStationary.btc.returns.forEach((r, i) => {
      assertNear(ours[i], r, 1e-10, `r[${i}]`);
    });
  });
  for (const [set, key] of [
    ["btc", "garch-t"],
    ["btc", "garch-t-last1000"],
    ["eth", "garch-t"],
  ] as const) {
    it(`${set} ${key}: ℓ(θ_fGarch) = LLH to 1e-6; stationary: false lands on fGarch's φ > 1, the stationary fit on the bound`, () => {
      const data = nonStationary[set];
      const ref = data[key] as NonStationaryFit;
      const returns = Float64Array.from(data.returns).subarray(-ref.n);
      const p = paramsOf(ref, "t");
      assertNear(loglikelihood(p, returns, { dist: "t" }), ref.llh, 1e-6, "ℓ(θ_fGarch)");
      assert.ok(ref.persistence > 1, "fGarch's optimum is not stationary");
      const free = fit(returns, { model: "garch", dist: "t", stationary: false });
      assertParity(free, p, ref.llh, `${set} ${key} unconstrained`, 2e-3);
      assertNear(free.persistence, ref.persistence, 1e-4, "φ");
      assertNear(free.loglikelihood, ref.llh, 1e-4, "ℓ");
      assert.deepEqual(free.atBound, []);
      for (const [name, k] of FGARCH_COEFFICIENTS) {
        assertRel(free.standardErrors[name], ref.se[k] as number, 0.05, `se ${name}`);
      }
      const constrained = fit(returns, { model: "garch", dist: "t" });
      assert.deepEqual(constrained.atBound, ["persistence"]);
      assert.ok(constrained.loglikelihood < ref.llh, "the constraint costs likelihood");
    });
  }
});

describe("GARCH forecast", () => {
  const source = { params: { mu: 0.2, omega: 0.9, alpha: 0.08, beta: 0.8 }, nextVariance: 20 };

  it("converges to ω/(1 − α − β) and matches the recursion", () => {
    const { variance, cumulativeVariance } = forecast(source, 400);
    const bar = 0.9 / (1 - 0.88);
    assertRel(variance[399], bar, 1e-12, "σ̄²");
    assert.equal(variance[0], 20);
    let v = 20;
    let s = 0;
    for (let h = 0; h < 400; h++) {
      assertRel(variance[h], v, 1e-12, `σ²_{T+${h + 1}}`);
      s += v;
      assertRel(cumulativeVariance[h], s, 1e-12, `V_${h + 1}`);
      v = 0.9 + 0.88 * v;
    }
  });

  it("GJR persistence uses γ/2, and a non-stationary model grows", () => {
    const g = forecast(
      { params: { mu: 0, omega: 1, alpha: 0.05, beta: 0.8, gamma: 0.1 }, nextVariance: 1 },
      2000,
    );
    assertRel(g.variance[1999], 1 / (1 - 0.9), 1e-9, "GJR σ̄²");
    const ns = forecast({ params: { mu: 0, omega: 1, alpha: 0.2, beta: 0.85 }, nextVariance: 1 }, 3);
    assert.deepEqual(Array.from(ns.variance), [1, 2.05, 1 + 1.05 * 2.05]);
  });

  it("uses a fit's last variance", () => {
    const f = fit(BTC, { model: "garch", dist: "normal" });
    const v = conditionalVariance(f.params, BTC);
    assertRel(forecast(f, 1).variance[0], v[366] as number, 1e-14, "σ²_{T+1}");
    assertRel(forecast(f, 5000).variance[4999], f.unconditionalVariance, 1e-9, "σ̄²");
  });
});

describe("GARCH simulate", () => {
  const params = { mu: 0.1, omega: 0.9, alpha: 0.08, beta: 0.8 };

  it("is reproducible per seed", () => {
    const a = simulate({ params }, 1000, 42);
    const b = simulate({ params }, 1000, 42);
    const c = simulate({ params }, 1000, 43);
    assert.deepEqual(Array.from(a.returns), Array.from(b.returns));
    assert.notDeepEqual(Array.from(a.returns), Array.from(c.returns));
    const t1 = simulate({ params: { ...params, nu: 5 } }, 1000, 42);
    const t2 = simulate({ params: { ...params, nu: 5 } }, 1000, 42);
    assert.deepEqual(Array.from(t1.returns), Array.from(t2.returns));
  });

  for (const nu of [undefined, 6]) {
    it(`sample variance approaches ω/(1 − α − β) (${nu === undefined ? "normal" : `t ν ${nu}`})`, () => {
      const p = nu === undefined ? params : { ...params, nu };
      const { returns } = simulate({ params: p }, 400_000, 7);
      let m = 0;
      for (const r of returns) m += r / returns.length;
      let v = 0;
      for (const r of returns) v += (r - m) ** 2 / (returns.length - 1);
      assertNear(m, 0.1, 0.02, "mean");
      assertRel(v, 0.9 / 0.12, 0.03, "variance");
    });
  }

  it("standardised t innovations have unit variance and heavy tails (α = β = 0)", () => {
    const { returns } = simulate({ params: { mu: 0, omega: 1, alpha: 0, beta: 0, nu: 5 } }, 400_000, 11);
    let v = 0;
    let k = 0;
    for (const r of returns) {
      v += (r * r) / returns.length;
      k += r ** 4 / returns.length;
    }
    assertRel(v, 1, 0.02, "variance");
    // Excess kurtosis of t5 is 6; the sample estimate converges slowly (infinite 8th moment).
    assert.ok(k / (v * v) - 3 > 3, `excess kurtosis ${k / (v * v) - 3}`);
  });

  it("fit recovers the parameters of a long simulated path", () => {
    const truth = { mu: 0.1, omega: 0.5, alpha: 0.1, beta: 0.85, nu: 5 };
    const { returns } = simulate({ params: truth }, 20_000, 3);
    const f = fit(returns, { model: "garch", dist: "t" });
    for (const k of f.names) {
      const z = ((f.params[k] as number) - (truth[k as keyof typeof truth] as number)) / f.standardErrors[k];
      assert.ok(Math.abs(z) < 4, `${k}: ${f.params[k]} vs ${truth[k as keyof typeof truth]} (z ${z})`);
    }
  });
});

describe("GARCH simulate and the Monte Carlo path generator", () => {
  it("give the same path on one seed (one sampler, one recursion)", () => {
    const params = { mu: 0.01, omega: 0.02, alpha: 0.08, beta: 0.9, gamma: 0.05, nu: 5 };
    const path = simulate({ params }, 288, 7, { startVariance: 0.5 });
    const generator = createPathGenerator(
      {
        volatility: { kind: "garch", params, startVariance: 0.5, returnsScale: 1 },
        innovations: { kind: "student-t", nu: 5 },
      },
      { horizonYears: 1, steps: 288 },
    );
    const returns = new Float64Array(288);
    const variance = new Float64Array(288);
    generator.next(new Xoshiro128(7), returns, variance);
    assert.deepEqual(Array.from(returns), Array.from(path.returns));
    assert.deepEqual(Array.from(variance), Array.from(path.variance));
  });
});

/**
 * Single-asset VaR/ES: parity with an independent scipy/numpy implementation
 * (test/fixtures/var-reference.json, made by `python3 scripts/reference/var_reference.py`) and
 * with shared/research/quant.md §5 R9 (normal and unit-variance t constants); input checks;
 * filtered historical simulation and Monte Carlo sanity against closed forms.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { readCandleFile } from "../../src/market/candles.js";
import { logLossToValueLoss, sortedQuantile } from "../../src/risk/var.js";
import { filteredHistoricalVar } from "../../src/risk/var-filtered.js";
import { historicalVar } from "../../src/risk/var-historical.js";
import { monteCarloVar } from "../../src/risk/var-monte-carlo.js";
import {
  cornishFisherQuantile,
  cornishFisherVar,
  fitStudentT,
  normalVar,
  standardNormalVarEs,
  standardStudentTVarEs,
  studentTVar,
} from "../../src/risk/var-parametric.js";
import { logReturns } from "../../src/vol/realized.js";
import { assertNear, assertRel } from "../helpers/close.js";

interface Row {
  q: number;
  var: number;
  es: number;
}
interface Fixture {
  normal: Row[];
  studentT: (Row & { nu: number })[];
  cornishFisher: (Row & {
    skewness: number;
    excessKurtosis: number;
    monotone: boolean;
    monotoneInTail: boolean;
  })[];
  btcDaily: {
    n: number;
    firstReturn: number;
    lastReturn: number;
    historical: (Row & { method: string })[];
    historicalLast500: (Row & { method: string })[];
    historical5Day: (Row & { method: string })[];
    moments: { mean: number; sd: number; skewness: number; excessKurtosis: number };
    normal99: { var: number; es: number };
    cornishFisher99: { var: number };
    studentTMle: { nu: number; mu: number; sigma: number; loglikelihood: number };
  };
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/var-reference.json", import.meta.url), "utf8"),
) as Fixture;

const BTC = logReturns(readCandleFile("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv").series.close);

describe("standard normal and unit-variance t VaR/ES", () => {
  it("quant.md R9 constants", () => {
    const normal: [number, number, number][] = [
      [0.95, 1.644854, 2.062713],
      [0.975, 1.959964, 2.337803],
      [0.99, 2.326348, 2.665214],
      [0.995, 2.575829, 2.891949],
    ];
    for (const [q, v, es] of normal) {
      const r = standardNormalVarEs(q);
      assertNear(r.var, v, 1e-6, `z ${q}`);
      assertNear(r.es, es, 1e-6, `ES ${q}`);
    }
    const t: [number, number, number, number][] = [
      [0.99, 3, 2.621576, 4.043231],
      [0.99, 4, 2.649492, 3.69151],
      [0.99, 5, 2.606464, 3.448837],
      [0.99, 6, 2.565978, 3.292545],
      [0.975, 4, 1.963243, 2.823871],
      [0.975, 5, 1.991164, 2.727802],
    ];
    for (const [q, nu, v, es] of t) {
      const r = standardStudentTVarEs(q, nu);
      assertNear(r.var, v, 1e-6, `t VaR ${q} ν${nu}`);
      assertNear(r.es, es, 1e-6, `t ES ${q} ν${nu}`);
    }
  });

  it("matches scipy (ppf and numerically integrated tail means) at every q and ν of the fixture", () => {
    for (const row of fixture.normal) {
      const r = standardNormalVarEs(row.q);
      assertRel(r.var, row.var, 1e-12, `normal VaR ${row.q}`);
      assertRel(r.es, row.es, 1e-10, `normal ES ${row.q}`);
    }
    assert.ok(fixture.studentT.length >= 40);
    for (const row of fixture.studentT) {
      const r = standardStudentTVarEs(row.q, row.nu);
      assertRel(r.var, row.var, 1e-10, `t VaR ${row.q} ν${row.nu}`);
      assertRel(r.es, row.es, 1e-8, `t ES ${row.q} ν${row.nu}`);
    }
  });

  it("rejects ν ≤ 2 and confidence outside (0, 1) with an InputError naming the field", () => {
    assert.throws(
      () => standardStudentTVarEs(0.99, 2),
      (e: unknown) => e instanceof InputError && e.field === "nu",
    );
    assert.throws(
      () => standardNormalVarEs(99),
      (e: unknown) => e instanceof InputError && e.field === "confidence",
    );
    assert.throws(() => standardNormalVarEs(0), InputError);
  });
});

describe("Cornish–Fisher", () => {
  it("matches the expansion and the numerically integrated tail mean (scipy), with monotonicity flags", () => {
    for (const row of fixture.cornishFisher) {
      const r = cornishFisherQuantile(row.q, row.skewness, row.excessKurtosis);
      assertRel(r.var, row.var, 1e-12, `CF VaR ${JSON.stringify(row)}`);
      assertRel(r.es, row.es, 1e-8, `CF ES ${JSON.stringify(row)}`);
      assert.equal(r.monotone, row.monotone, `monotone ${JSON.stringify(row)}`);
      assert.equal(r.monotoneInTail, row.monotoneInTail, `monotoneInTail ${JSON.stringify(row)}`);
    }
  });

  it("BTC-like kurtosis (K ≈ 15.5) breaks global monotonicity (quant.md §3.5)", () => {
    assert.equal(cornishFisherQuantile(0.99, 0.96, 15.5).monotone, false);
  });

  it("reduces to the normal at S = K = 0", () => {
    const cf = cornishFisherQuantile(0.99, 0, 0);
    const n = standardNormalVarEs(0.99);
    assertRel(cf.var, n.var, 1e-15);
    assertRel(cf.es, n.es, 1e-14);
  });
});

describe("models on the bundled BTC daily log returns", () => {
  const b = fixture.btcDaily;
  it("uses the same returns as the reference script", () => {
    assert.equal(BTC.length, b.n);
    assertRel(BTC[0], b.firstReturn, 1e-12); // ln(a/b) here, ln a − ln b in numpy
    assertRel(BTC[BTC.length - 1], b.lastReturn, 1e-12);
  });

  it("historical VaR/ES: type 7 = numpy 'linear', kth-worst = numpy 'inverted_cdf'", () => {
    const rules = { linear: "type7", inverted_cdf: "kth-worst" } as const;
    for (const row of b.historical) {
      const r = historicalVar(BTC, {
        confidence: row.q,
        quantileRule: rules[row.method as keyof typeof rules],
      });
      assertRel(r.var, row.var, 1e-12, `VaR ${row.q} ${row.method}`);
      assertRel(r.es, row.es, 1e-12, `ES ${row.q} ${row.method}`);
    }
    for (const row of b.historicalLast500) {
      const r = historicalVar(BTC.subarray(-500), {
        confidence: row.q,
        quantileRule: rules[row.method as keyof typeof rules],
      });
      assertRel(r.var, row.var, 1e-12, `last500 VaR ${row.q} ${row.method}`);
      assertRel(r.es, row.es, 1e-12, `last500 ES ${row.q} ${row.method}`);
    }
    for (const row of b.historical5Day) {
      const r = historicalVar(BTC, { confidence: row.q, horizon: 5 });
      assertRel(r.var, row.var, 1e-10, `5-day VaR ${row.q}`);
      assertRel(r.es, row.es, 1e-10, `5-day ES ${row.q}`);
    }
  });

  it("kth-worst of 250 at 99 % is the 3rd worst; of 500 the 6th worst", () => {
    const x = Float64Array.from({ length: 500 }, (_, i) => i + 1);
    assert.equal(sortedQuantile(x.subarray(0, 250), 0.99, "kth-worst"), 248);
    assert.equal(sortedQuantile(x, 0.99, "kth-worst"), 495);
  });

  it("normal and Cornish–Fisher with scipy moments (skewness and excess kurtosis of the LOSS)", () => {
    const n = normalVar(BTC, { confidence: 0.99 });
    assertRel(n.var, b.normal99.var, 1e-12);
    assertRel(n.es, b.normal99.es, 1e-12);
    const cf = cornishFisherVar(BTC, { confidence: 0.99 });
    assertRel(cf.diagnostics.skewness, b.moments.skewness, 1e-10);
    assertRel(cf.diagnostics.excessKurtosis, b.moments.excessKurtosis, 1e-10);
    assertRel(cf.var, b.cornishFisher99.var, 1e-10);
    assert.equal(cf.diagnostics.monotone, false, "K ≈ 15.5: not a quantile function on all of ℝ");
  });

  it("Student-t MLE reaches scipy.stats.t.fit's optimum", () => {
    const losses = BTC.map((r) => -r);
    const f = fitStudentT(losses);
    const ref = b.studentTMle;
    assert.ok(
      f.loglikelihood >= ref.loglikelihood - 1e-6,
      `ℓ ${f.loglikelihood} vs scipy ${ref.loglikelihood}`,
    );
    assertRel(f.nu, ref.nu, 2e-3, "ν");
    assertRel(f.sigma, ref.sigma, 2e-3, "σ");
    assertNear(f.mu, ref.mu, 1e-5, "μ");
    const t = studentTVar(BTC, { confidence: 0.99 });
    assert.equal(t.diagnostics.fitted, true);
    assertRel(t.var, f.mu + f.sigma * standardStudentTVarEs(0.99, f.nu).var, 1e-12);
  });

  it("√h scaling of the parametric models: VaR_h = hμ + √h σ z", () => {
    const one = normalVar(BTC, { confidence: 0.99 });
    const ten = normalVar(BTC, { confidence: 0.99, horizon: 10 });
    const mu = one.diagnostics.meanLoss;
    assertRel(ten.var, 10 * mu + Math.sqrt(10) * (one.var - mu), 1e-12);
  });

  it("log loss to value loss", () => {
    assertNear(logLossToValueLoss(0.1), 1 - Math.exp(-0.1), 1e-15);
  });
});

describe("filtered historical simulation", () => {
  const r = BTC.subarray(-1000);
  const one = filteredHistoricalVar(r, { confidence: 0.99 });
  it("one step: VaR is σ_{T+1} times the quantile of −z (minus μ), ES ≥ VaR", () => {
    assert.equal(one.diagnostics.scenarios, 1000);
    assert.ok(one.es >= one.var);
    assert.ok(one.var > 0 && one.var < 0.5);
  });
  it("H steps by bootstrap is seeded and grows roughly like √H", () => {
    const five = filteredHistoricalVar(r, { confidence: 0.99, horizon: 5, seed: 3, paths: 20_000 });
    const again = filteredHistoricalVar(r, { confidence: 0.99, horizon: 5, seed: 3, paths: 20_000 });
    assert.equal(five.var, again.var);
    assert.equal(five.diagnostics.seed, 3);
    const ratio = five.var / one.var;
    assert.ok(ratio > 1.5 && ratio < 3.5, `5-day / 1-day VaR ratio ${ratio}`);
  });
});

describe("Monte Carlo", () => {
  it("t model converges to the closed form within a few standard errors", () => {
    const studentT = { mu: 0.001, sigma: 0.03, nu: 5, loglikelihood: 0, converged: true };
    const mc = monteCarloVar([], {
      model: "student-t",
      confidence: 0.99,
      seed: 11,
      paths: 200_000,
      studentT,
    });
    const exact = standardStudentTVarEs(0.99, 5);
    const v = 0.001 + 0.03 * exact.var;
    const es = 0.001 + 0.03 * exact.es;
    assert.ok(
      Math.abs(mc.var - v) < 4 * mc.diagnostics.standardErrorVar,
      `VaR ${mc.var} vs ${v} ± ${mc.diagnostics.standardErrorVar}`,
    );
    assert.ok(
      Math.abs(mc.es - es) < 4 * mc.diagnostics.standardErrorEs,
      `ES ${mc.es} vs ${es} ± ${mc.diagnostics.standardErrorEs}`,
    );
    assert.equal(mc.diagnostics.seed, 11);
    assert.equal(mc.diagnostics.paths, 200_000);
  });

  it("GARCH-normal one step equals the normal law with σ_{T+1} (within MC error)", () => {
    const garch = { params: { mu: 0.05, omega: 0.1, alpha: 0.1, beta: 0.85 }, nextVariance: 4 };
    const mc = monteCarloVar([], { model: "garch-normal", confidence: 0.99, seed: 5, paths: 100_000, garch });
    const v = (-0.05 + 2 * standardNormalVarEs(0.99).var) / 100;
    assert.ok(Math.abs(mc.var - v) < 4 * mc.diagnostics.standardErrorVar, `${mc.var} vs ${v}`);
  });

  it("records the seed and is reproducible; a GARCH-t fit runs on real data", () => {
    const a = monteCarloVar(BTC.subarray(-1000), {
      model: "garch-t",
      confidence: 0.99,
      horizon: 5,
      seed: 9,
      paths: 5000,
    });
    assert.ok(a.es >= a.var && a.var > 0);
    assert.ok((a.diagnostics.garch?.nu ?? 0) > 2);
    assert.ok(a.diagnostics.standardErrorVar > 0);
    const garch = { params: a.diagnostics.garch ?? { mu: 0, omega: 1, alpha: 0, beta: 0 }, nextVariance: 4 };
    const b1 = monteCarloVar([], {
      model: "garch-t",
      confidence: 0.99,
      horizon: 5,
      seed: 9,
      paths: 5000,
      garch,
    });
    const b2 = monteCarloVar([], {
      model: "garch-t",
      confidence: 0.99,
      horizon: 5,
      seed: 9,
      paths: 5000,
      garch,
    });
    assert.equal(b1.var, b2.var);
    assert.equal(b1.es, b2.es);
  });
});

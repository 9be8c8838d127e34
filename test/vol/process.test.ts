/**
 * The volatility-process vocabulary (src/vol/process.ts) and the model registry
 * (src/vol/registry.ts): each process's methods agree with the module that implements the model
 * (GARCH with src/vol/garch.ts, EWMA with src/vol/ewma.ts), the log-return-unit update agrees
 * with the process's own units, and the registry lists each front end's models in report order.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ewmaVariance } from "../../src/vol/ewma.js";
import {
  conditionalVariance,
  fit,
  forecast,
  type GarchParams,
  loglikelihood,
  simulate,
} from "../../src/vol/garch.js";
import {
  pathLoglikelihood,
  toModelReturns,
  toModelVariance,
  toReturnVariance,
  updateVariance,
  type VolatilityProcess,
} from "../../src/vol/process.js";
import { fitProcess } from "../../src/vol/process-fit.js";
import { MODELS, modelNames, VOLATILITY_PROCESSES } from "../../src/vol/registry.js";
import { assertRel } from "../helpers/close.js";

const GJR: GarchParams = { mu: 0.02, omega: 0.05, alpha: 0.04, beta: 0.9, gamma: 0.08 };
const path = simulate({ params: { ...GJR, nu: 5 } }, 500, 3).returns; // percent returns
const logReturns = Float64Array.from(path, (r) => r / 100);

describe("GARCH and GJR processes", () => {
  const gjr = VOLATILITY_PROCESSES.gjr;
  const garch = VOLATILITY_PROCESSES.garch;
  it("delegate to src/vol/garch.ts: variance path, likelihood, forecast, simulate", () => {
    const pct = toModelReturns(gjr, logReturns);
    assert.deepEqual(Array.from(gjr.variance(GJR, pct)), Array.from(conditionalVariance(GJR, pct)));
    assert.equal(gjr.loglikelihood(GJR, pct, "t", 5), loglikelihood({ ...GJR, nu: 5 }, pct, { dist: "t" }));
    assert.deepEqual(
      Array.from(gjr.forecast(GJR, 1.3, 10)),
      Array.from(forecast({ params: GJR, nextVariance: 1.3 }, 10).variance),
    );
    const a = gjr.simulate(GJR, 50, 9, { law: "normal", startVariance: 1 });
    assert.deepEqual(
      Array.from(a.returns),
      Array.from(simulate({ params: GJR }, 50, 9, { startVariance: 1 }).returns),
    );
  });
  it("GARCH ignores γ; GJR applies it to negative shocks only", () => {
    assert.equal(garch.step(GJR, 1, -1), 0.05 + 0.04 + 0.9);
    assert.equal(gjr.step(GJR, 1, -1), 0.05 + 0.12 + 0.9);
    assert.equal(gjr.step(GJR, 1, 1), garch.step(GJR, 1, 1));
  });
  it("bounds and starting values are named in parameterNames order", () => {
    const start = gjr.startingValues(toModelReturns(gjr, logReturns));
    const { lower, upper } = gjr.bounds();
    assert.equal(lower.length, gjr.parameterNames.length);
    gjr.parameterNames.forEach((name, i) => {
      const v = start[name as keyof GarchParams] as number;
      assert.ok(v >= (lower[i] as number) && v <= (upper[i] as number), `${name} ${v}`);
    });
  });
});

describe("EWMA process", () => {
  const ewma = VOLATILITY_PROCESSES.ewma;
  it("its path is ewmaVariance with arch's backcast, its likelihood the normal density on it", () => {
    const v = ewmaVariance(logReturns, { lambda: 0.94, seed: { kind: "backcast" } });
    assert.deepEqual(Array.from(ewma.variance({ lambda: 0.94 }, logReturns)), Array.from(v));
    let direct = 0;
    for (let t = 0; t < logReturns.length; t++) {
      const r = logReturns[t] as number;
      const h = v[t] as number;
      direct += -0.5 * (Math.log(2 * Math.PI) + Math.log(h) + (r * r) / h);
    }
    assertRel(ewma.loglikelihood({ lambda: 0.94 }, logReturns, "normal"), direct, 1e-12, "ℓ");
  });
  it("forecasts flat and simulates reproducibly", () => {
    assert.deepEqual(Array.from(ewma.forecast({ lambda: 0.9 }, 2e-4, 3)), [2e-4, 2e-4, 2e-4]);
    const a = ewma.simulate({ lambda: 0.9 }, 100, 4, { law: "t", nu: 5, startVariance: 1e-4 });
    const b = ewma.simulate({ lambda: 0.9 }, 100, 4, { law: "t", nu: 5, startVariance: 1e-4 });
    assert.deepEqual(Array.from(a.returns), Array.from(b.returns));
    assert.equal(a.variance[1], 0.9 * 1e-4 + 0.1 * (a.returns[0] as number) ** 2);
  });
});

describe("generic fit", () => {
  it("recovers EWMA's λ from a long simulated path (no fit of its own: bounded Nelder–Mead)", () => {
    const ewma = VOLATILITY_PROCESSES.ewma;
    const sim = ewma.simulate({ lambda: 0.9 }, 20_000, 5, { law: "normal", startVariance: 1e-4 });
    const f = fitProcess(ewma, sim.returns, "normal");
    assert.ok(Math.abs(f.params.lambda - 0.9) < 0.01, `λ ${f.params.lambda}`);
    assertRel(f.loglikelihood, ewma.loglikelihood(f.params, sim.returns, "normal"), 1e-12, "ℓ");
  });
  it("uses a process's own fit when it has one (GARCH: the gradient fit)", () => {
    const pct = toModelReturns(VOLATILITY_PROCESSES.garch, logReturns);
    const f = fitProcess(VOLATILITY_PROCESSES.garch, pct, "t");
    const g = fit(pct, { model: "garch", dist: "t" });
    assert.equal(f.loglikelihood, g.loglikelihood);
    assert.equal(f.nu, g.params.nu);
    assert.equal(f.nextVariance, g.nextVariance);
  });
});

describe("updates in log-return units", () => {
  const processes: [VolatilityProcess<never>, object][] = [
    [VOLATILITY_PROCESSES.gjr as VolatilityProcess<never>, GJR],
    [VOLATILITY_PROCESSES.ewma as VolatilityProcess<never>, { lambda: 0.94 }],
  ];
  for (const [process, params] of processes) {
    it(`${process.name}: updateVariance = step in the process's units, scaled back`, () => {
      fc.assert(
        fc.property(
          fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
          fc.double({ min: -0.2, max: 0.2, noNaN: true }),
          (variance, r) => {
            const direct = process.step(
              params as never,
              toModelVariance(process, variance),
              process.returnsScale * r - process.mean(params as never),
            );
            const next = updateVariance(process, params as never, variance, r);
            assertRel(next, toReturnVariance(process, direct), 1e-12, "σ²");
            assert.ok(next > 0);
          },
        ),
      );
    });
  }
  it("the generic path likelihood is −∞ for a non-positive variance or ν ≤ 2", () => {
    assert.equal(pathLoglikelihood([0.1], [0], "normal"), Number.NEGATIVE_INFINITY);
    assert.equal(pathLoglikelihood([0.1], [1], "t", 2), Number.NEGATIVE_INFINITY);
  });
});

describe("model registry", () => {
  it("lists each front end's models in report order, every one on a known process", () => {
    assert.deepEqual(modelNames("backtest-var"), [
      "historical",
      "normal",
      "student-t",
      "cornish-fisher",
      "filtered-historical",
      "ewma-normal",
    ]);
    assert.deepEqual(modelNames("trader"), [
      "gbm",
      "ewma",
      "garch",
      "t",
      "garch-t",
      "gjr",
      "fhs",
      "merton",
      "kou",
    ]);
    for (const [name, entry] of Object.entries(MODELS)) {
      const v = entry.volatility;
      assert.ok(v === "constant" || v === "none" || v in VOLATILITY_PROCESSES, `${name}: ${v}`);
    }
  });
});

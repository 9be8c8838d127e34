/**
 * The trader's `merton-range` model (src/optimize/vol-models.ts): Merton jumps fitted on each
 * bar's close, low and high (src/vol/jumps-range.ts) from candles whose extremes were simulated
 * with known parameters (test/helpers/merton-bars.ts), recovered within their sandwich standard
 * errors; P(liquidation) by Monte Carlo on the fit with its diffusion alone beside it; a field-named
 * refusal when the candles carry no high/low.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { fitTraderVolModel } from "../../src/optimize/vol-models.js";
import type { MertonParams } from "../../src/vol/jumps.js";
import type { MertonRangeFit } from "../../src/vol/jumps-range.js";
import { fitsRanges } from "../../src/vol/registry.js";
import { simulateMertonBars } from "../helpers/merton-bars.js";

// Hourly bars: σ 0.5 % an hour, 0.03 jumps a bar of mean −0.5 % and sd 1 % (docs/jump-calibration.md).
const truth: MertonParams = { mu: 0, sigma: 0.005, lambda: 0.03, jumpMean: -0.005, jumpVol: 0.01 };
const bars = simulateMertonBars(truth, 1501, 1);
// The closes of those bars, each bar opening at the previous close (from 30,000).
const closes = new Float64Array(bars.close.length);
let price = 30_000;
bars.close.forEach((x, t) => {
  price *= Math.exp(x);
  closes[t] = price;
});
const base = {
  kind: "merton-range",
  horizonHours: 24,
  barHours: 1,
  windowBars: 1500,
  paths: 2000,
  seed: 5,
} as const;

describe("trader model merton-range", () => {
  const m = fitTraderVolModel(closes, { ...base, range: bars });
  const fit = m.jumps as MertonRangeFit;

  it("recovers σ, λ, μ_J and δ of the simulated candles within 3 standard errors, on the window's 1,500 bars", () => {
    assert.equal(fit.likelihood, "range");
    assert.equal(fit.returnsUsed, 1500);
    assert.deepEqual(fit.atBounds, []);
    const se = fit.standardErrors;
    assert.ok(se !== null);
    for (const k of ["sigma", "lambda", "jumpMean", "jumpVol"] as const)
      assert.ok(
        Math.abs(fit.params[k] - truth[k]) < 3 * se[k],
        `${k} ${fit.params[k]} ± ${se[k]} vs ${truth[k]}`,
      );
  });

  it("simulates the fitted jumps (Monte Carlo) and gives the diffusion alone in closed form beside it", () => {
    assert.equal(m.kind, "merton-range");
    assert.equal(m.probability.method, "monte-carlo");
    assert.equal(m.withoutJumps?.method, "closed-form");
    const j = m.pathModel.jumps;
    assert.ok(j?.kind === "merton");
    assert.ok(Math.abs(j.intensityPerYear - fit.params.lambda * 8760) < 1e-9);
    assert.deepEqual([j.meanLogJump, j.logJumpVol], [fit.params.jumpMean, fit.params.jumpVol]);
    assert.ok(m.pathModel.volatility.kind === "constant");
    assert.ok(Math.abs(m.pathModel.volatility.annualVol - fit.params.sigma * Math.sqrt(8760)) < 1e-12);
    // σ of the model: diffusion plus the jumps' variance λ(μ_J² + δ²) a bar, annualized.
    const perBar =
      fit.params.sigma ** 2 + fit.params.lambda * (fit.params.jumpMean ** 2 + fit.params.jumpVol ** 2);
    assert.ok(Math.abs(m.annualVol - Math.sqrt(perBar * 8760)) < 1e-9 * m.annualVol);
  });

  it("is the registry's one range model", () => {
    assert.deepEqual(
      [fitsRanges("merton-range"), fitsRanges("merton"), fitsRanges("nope")],
      [true, false, false],
    );
  });

  it("refuses candles without a high and low, or whose every high and low are the open or close, naming the candles", () => {
    const refused = (range: typeof bars | undefined, message: RegExp) =>
      assert.throws(
        () => fitTraderVolModel(closes, { ...base, ...(range === undefined ? {} : { range }) }),
        (e: unknown) => e instanceof InputError && e.field === "candles" && message.test(e.message),
      );
    refused(undefined, /have no high and low, which merton-range is fitted on/);
    const flat = {
      close: bars.close,
      low: bars.close.map((x) => Math.min(0, x)),
      high: bars.close.map((x) => Math.max(0, x)),
    };
    refused(flat, /have no intrabar range/);
  });
});

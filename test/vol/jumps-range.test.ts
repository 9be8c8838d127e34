/**
 * Merton fitted on bars' close, low and high (src/vol/jumps-range.ts) against the close-only fit
 * (src/vol/jumps.ts), on bars simulated with continuous extremes: each bar is 50 sub-steps of a
 * Brownian motion with the exact minimum and maximum of the Brownian bridge within each sub-step
 * (min = (a + b − √((b − a)² − 2s² ln U))/2, the bridge's extreme law: Glasserman 2004,
 * *Monte Carlo Methods in Financial Engineering*, §6.4), and Merton jumps at uniformly drawn sub-steps — within the bar, not at
 * the ends the likelihood places them, so the test measures that approximation too.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CandleSeries } from "../../src/market/candles.js";
import { invertSpd } from "../../src/math/linalg.js";
import { numericalHessian } from "../../src/math/minimize.js";
import { fitJumpDiffusion, jumpLoglikelihood, type MertonParams } from "../../src/vol/jumps.js";
import { fitMertonRange, rangeBarsFromCandles } from "../../src/vol/jumps-range.js";
import { simulateMertonBars } from "../helpers/merton-bars.js";

const NAMES = ["mu", "sigma", "lambda", "jumpMean", "jumpVol"] as const;

/** √diag of the inverse Hessian of the close-only −ln L at `p` (its standard errors). */
function closeOnlyErrors(p: MertonParams, returns: Float64Array): number[] {
  const at = (y: ArrayLike<number>): MertonParams =>
    Object.fromEntries(NAMES.map((k, i) => [k, y[i] as number])) as unknown as MertonParams;
  const nll = (y: Float64Array): number => -jumpLoglikelihood({ kind: "merton", params: at(y) }, returns);
  const inverse = invertSpd(
    numericalHessian(
      nll,
      NAMES.map((k) => p[k]),
    ),
    5,
  );
  assert.ok(inverse !== undefined);
  return NAMES.map((_, i) => Math.sqrt(inverse[i * 6] as number));
}

describe("fitMertonRange (composite likelihood of the close, low and high)", () => {
  it("measures σ several times more precisely than the close-only fit, and within 3 of its standard errors", () => {
    const truth: MertonParams = { mu: 0, sigma: 0.005, lambda: 0.03, jumpMean: -0.005, jumpVol: 0.01 };
    const bars = simulateMertonBars(truth, 1500, 1);
    const range = fitMertonRange(bars);
    const close = fitJumpDiffusion("merton", bars.close);
    const se = range.standardErrors;
    assert.ok(se !== null, `range fit at a bound: ${range.atBounds}`);
    const closeSe = closeOnlyErrors(close.params as MertonParams, bars.close);
    const q = range.params;
    assert.ok(Math.abs(q.sigma - truth.sigma) < 3 * se.sigma, `σ ${q.sigma} ± ${se.sigma}`);
    assert.ok(se.sigma < (closeSe[1] as number) / 2, `σ s.e. ${se.sigma} vs close-only ${closeSe[1]}`);
    assert.equal(range.likelihood, "range");
    assert.equal(range.returnsUsed, 1500);
  });

  it("flags a fit without jumps at its bounds (no standard errors), and refuses bad bars", () => {
    const gauss = simulateMertonBars({ mu: 0, sigma: 0.005, lambda: 0, jumpMean: 0, jumpVol: 0.01 }, 300, 3);
    const start = { mu: 0, sigma: 0.005, lambda: 0.01, jumpMean: 0, jumpVol: 0.01 };
    const fit = fitMertonRange(gauss, { start });
    assert.ok(fit.atBounds.length > 0, JSON.stringify(fit.params));
    assert.equal(fit.standardErrors, null);
    assert.throws(() => fitMertonRange({ ...gauss, low: gauss.low.subarray(1) }), /differ in length/);
    const ten = (a: Float64Array): Float64Array => a.subarray(0, 10);
    assert.throws(
      () => fitMertonRange({ close: ten(gauss.close), low: ten(gauss.low), high: ten(gauss.high) }),
      /too few/,
    );
  });
});

describe("fitMertonRange on flat bars", () => {
  it("takes a low at the open and the close `resolution` below them, where a continuous path has density 0", () => {
    const bars = simulateMertonBars({ mu: 0, sigma: 0.005, lambda: 0.03, jumpMean: 0, jumpVol: 0.01 }, 60, 4);
    bars.close[0] = 0;
    bars.low[0] = 0;
    bars.high[0] = 0;
    const start = { mu: 0, sigma: 0.005, lambda: 0.03, jumpMean: 0, jumpVol: 0.01 };
    assert.ok(Number.isFinite(fitMertonRange(bars, { start }).loglikelihood));
    assert.equal(fitMertonRange(bars, { start, resolution: 0 }).loglikelihood, Number.NEGATIVE_INFINITY);
  });
});

describe("rangeBarsFromCandles", () => {
  const series = (low: number): CandleSeries => ({
    symbol: "BTCUSDT",
    intervalMs: 3_600_000,
    time: Float64Array.of(0, 3_600_000),
    open: Float64Array.of(100, 101),
    high: Float64Array.of(102, 103),
    low: Float64Array.of(99, low),
    close: Float64Array.of(101, 100.5),
    volume: Float64Array.of(1, 1),
  });

  it("takes logs relative to each bar's open", () => {
    const bars = rangeBarsFromCandles(series(100));
    assert.deepEqual(Array.from(bars.close), [Math.log(1.01), Math.log(100.5 / 101)]);
    assert.deepEqual(Array.from(bars.low), [Math.log(0.99), Math.log(100 / 101)]);
    assert.deepEqual(Array.from(bars.high), [Math.log(1.02), Math.log(103 / 101)]);
    assert.equal(rangeBarsFromCandles(series(100), 1).close.length, 1);
  });

  it("refuses a bar whose low is above its close, naming the bar", () => {
    assert.throws(() => rangeBarsFromCandles(series(100.7)), /candles\[1\].*is not a bar/);
  });
});

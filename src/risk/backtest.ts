/**
 * VaR backtests on the exception series (shared/research/quant.md §4): Kupiec's proportion of
 * failures, Christoffersen's independence and conditional-coverage tests, and the Basel traffic
 * light generalised to any (n, p) through the binomial distribution function.
 *
 * An exception at bar t is a realised loss strictly above the VaR forecast for that bar:
 * `I_t = 1{L_t > VaR_t}`; p = 1 − q is the expected exception rate.
 */
import { InputError } from "../errors.js";
import { binomialCdf, chiSquareSurvival, normalQuantile } from "../math/distributions.js";
import { readNumber } from "../validate.js";

/** Result of a likelihood-ratio test. */
export interface LikelihoodRatioTest {
  /** The LR statistic (≥ 0). */
  readonly statistic: number;
  /** Degrees of freedom of its χ² reference law. */
  readonly degreesOfFreedom: number;
  /** P(χ²_df ≥ statistic). */
  readonly pValue: number;
  /** Test level used for `reject`, e.g. 0.95. */
  readonly testLevel: number;
  /** χ²_df quantile at `testLevel`. */
  readonly criticalValue: number;
  readonly reject: boolean;
}

/** `x·ln(y)` with the convention 0·ln 0 = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/**
 * χ² quantile for 1 or 2 degrees of freedom in closed form: χ²₁ = (Φ⁻¹((1 + c)/2))²,
 * χ²₂ = −2 ln(1 − c). (c = 0.95 → 3.841459 and 5.991465.)
 */
export function chiSquareQuantile12(level: number, degreesOfFreedom: 1 | 2): number {
  if (degreesOfFreedom === 1) return normalQuantile(0.5 + level / 2) ** 2;
  return -2 * Math.log1p(-level);
}

function readLevel(value: number | undefined): number {
  const c = readNumber(value ?? 0.95, "testLevel", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass a test level in (0, 1), e.g. 0.95.",
  });
  if (!(c < 1)) throw new InputError("testLevel", value, "must be below 1", "Pass e.g. 0.95.");
  return c;
}

function readP(value: number, field = "p"): number {
  const p = readNumber(value, field, {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the expected exception rate 1 − q as a fraction, e.g. 0.01.",
  });
  if (!(p < 1)) throw new InputError(field, value, "must be below 1", "Pass 1 − q, e.g. 0.01.");
  return p;
}

function readCount(value: number, field: string, max = Number.POSITIVE_INFINITY): number {
  const x = readNumber(value, field, { min: 0, max, fix: "Pass a whole count." });
  if (!Number.isInteger(x))
    throw new InputError(field, value, "must be a whole number", "Pass a whole count.");
  return x;
}

function lrTest(statistic: number, df: 1 | 2, level: number): LikelihoodRatioTest {
  const s = Math.max(0, statistic);
  const critical = chiSquareQuantile12(level, df);
  return {
    statistic: s,
    degreesOfFreedom: df,
    pValue: chiSquareSurvival(s, df),
    testLevel: level,
    criticalValue: critical,
    reject: s > critical,
  };
}

/**
 * Kupiec (1995) proportion-of-failures test, two-sided (too few exceptions reject too):
 * `LR_POF = −2 ln[(1−p)^{n−x} p^x] + 2 ln[(1−x/n)^{n−x} (x/n)^x] ~ χ²(1)` (quant.md §4).
 *
 * Parity (quant.md R5, MathWorks `pof`): n = 1043, x = 57, p = 0.05 → LR 0.46147, p-value 0.49694.
 *
 * @example kupiecPof(57, 1043, 0.05).statistic // 0.46147
 */
export function kupiecPof(
  exceptions: number,
  observations: number,
  p: number,
  testLevel?: number,
): LikelihoodRatioTest {
  const n = readCount(observations, "observations");
  if (n < 1)
    throw new InputError(
      "observations",
      observations,
      "must be at least 1",
      "Pass the number of bars tested.",
    );
  const x = readCount(exceptions, "exceptions", n);
  const pp = readP(p);
  const level = readLevel(testLevel);
  const phat = x / n;
  const lr = -2 * (xlogy(n - x, 1 - pp) + xlogy(x, pp)) + 2 * (xlogy(n - x, 1 - phat) + xlogy(x, phat));
  return lrTest(lr, 1, level);
}

/** The exception counts x for which Kupiec's test does not reject: `lowest ≤ x ≤ highest`. */
export interface KupiecRegion {
  readonly lowest: number;
  readonly highest: number;
}

/**
 * Kupiec's non-rejection region for n observations at rate p: all x with `LR_POF(x) ≤ χ²₁(level)`.
 * quant.md R7 (Kupiec 1995 as tabulated in Jorion): p = 1 %, n = 510 → 2 … 10.
 *
 * @example kupiecRegion(1000, 0.05) // { lowest: 38, highest: 64 }
 */
export function kupiecRegion(observations: number, p: number, testLevel?: number): KupiecRegion {
  const n = readCount(observations, "observations");
  let lowest = -1;
  let highest = -1;
  for (let x = 0; x <= n; x++) {
    if (!kupiecPof(x, n, p, testLevel).reject) {
      if (lowest < 0) lowest = x;
      highest = x;
    } else if (lowest >= 0) break;
  }
  return { lowest, highest };
}

/** Transition counts of an exception series: n_ij = #{t : I_{t−1} = i, I_t = j}. */
export interface TransitionCounts {
  readonly n00: number;
  readonly n01: number;
  readonly n10: number;
  readonly n11: number;
}

/** Counts the n − 1 transitions of an exception series (entries 0/1 or booleans). */
export function transitionCounts(exceptions: ArrayLike<number | boolean>): TransitionCounts {
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  for (let t = 1; t < exceptions.length; t++) {
    const prev = Boolean(exceptions[t - 1]);
    const cur = Boolean(exceptions[t]);
    if (prev) {
      if (cur) n11++;
      else n10++;
    } else if (cur) n01++;
    else n00++;
  }
  return { n00, n01, n10, n11 };
}

/**
 * Christoffersen (1998) independence test from the transition counts (quant.md §4):
 * `π01 = n01/(n00+n01)`, `π11 = n11/(n10+n11)`, `π = (n01+n11)/(n00+n01+n10+n11)`,
 * `LR_ind = −2 ln[(1−π)^{n00+n10} π^{n01+n11}] + 2 ln[(1−π01)^{n00} π01^{n01} (1−π11)^{n10} π11^{n11}] ~ χ²(1)`.
 *
 * Parity (quant.md R5, MathWorks `cci`): n00 932, n10 53, n01 53, n11 4 → LR 0.25866, p 0.61104.
 */
export function christoffersenIndependence(
  counts: TransitionCounts,
  testLevel?: number,
): LikelihoodRatioTest {
  const n00 = readCount(counts.n00, "n00");
  const n01 = readCount(counts.n01, "n01");
  const n10 = readCount(counts.n10, "n10");
  const n11 = readCount(counts.n11, "n11");
  const level = readLevel(testLevel);
  const total = n00 + n01 + n10 + n11;
  if (total === 0)
    throw new InputError("counts", counts, "has no transitions", "Pass a series of at least 2 bars.");
  const pi = (n01 + n11) / total;
  const pi01 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi11 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const restricted = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const unrestricted = xlogy(n00, 1 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1 - pi11) + xlogy(n11, pi11);
  return lrTest(-2 * restricted + 2 * unrestricted, 1, level);
}

/** Kupiec, Christoffersen and conditional coverage of one exception series. */
export interface CoverageTests {
  readonly observations: number;
  readonly exceptions: number;
  /** x / n. */
  readonly exceptionRate: number;
  readonly expectedRate: number;
  readonly pof: LikelihoodRatioTest;
  readonly transitions: TransitionCounts;
  readonly independence: LikelihoodRatioTest;
  /** `LR_cc = LR_POF + LR_ind ~ χ²(2)`. */
  readonly conditionalCoverage: LikelihoodRatioTest;
}

/**
 * Conditional coverage `LR_cc = LR_POF + LR_ind ~ χ²(2)` (Christoffersen 1998), with LR_POF on all n
 * bars and LR_ind on the n − 1 transitions (MathWorks `cc`; quant.md R5: 0.72013, p 0.69763).
 */
export function conditionalCoverage(
  pof: LikelihoodRatioTest,
  independence: LikelihoodRatioTest,
  testLevel?: number,
): LikelihoodRatioTest {
  return lrTest(pof.statistic + independence.statistic, 2, readLevel(testLevel));
}

/**
 * All three coverage tests of an exception series `I_t ∈ {0, 1}` at expected rate p.
 *
 * @example coverageTests(exceptions, 0.01).conditionalCoverage.pValue
 */
export function coverageTests(
  exceptions: ArrayLike<number | boolean>,
  p: number,
  testLevel?: number,
): CoverageTests {
  const n = exceptions.length;
  if (n < 2)
    throw new InputError("exceptions", n, "needs at least 2 bars", "Pass a longer exception series.");
  let x = 0;
  for (let t = 0; t < n; t++) if (exceptions[t]) x++;
  const pof = kupiecPof(x, n, p, testLevel);
  const transitions = transitionCounts(exceptions);
  const independence = christoffersenIndependence(transitions, testLevel);
  return {
    observations: n,
    exceptions: x,
    exceptionRate: x / n,
    expectedRate: p,
    pof,
    transitions,
    independence,
    conditionalCoverage: conditionalCoverage(pof, independence, testLevel),
  };
}

/** Exceptions `I_t = 1{L_t > VaR_t}` of losses against VaR forecasts of the same length. */
export function exceptionSeries(losses: ArrayLike<number>, varForecasts: ArrayLike<number>): Uint8Array {
  if (losses.length !== varForecasts.length) {
    throw new InputError(
      "varForecasts",
      varForecasts.length,
      `must have as many entries as losses (${losses.length})`,
      "Align the forecasts with the realised losses.",
    );
  }
  const out = new Uint8Array(losses.length);
  for (let t = 0; t < out.length; t++) out[t] = (losses[t] as number) > (varForecasts[t] as number) ? 1 : 0;
  return out;
}

/** Traffic-light zone. */
export type TrafficLightZone = "green" | "yellow" | "red";

/** Result of {@link trafficLight}. */
export interface TrafficLight {
  readonly zone: TrafficLightZone;
  /** P(X ≤ x), X ~ Bin(n, p). */
  readonly cumulativeProbability: number;
  /** P(X ≥ x): the probability of at least this many exceptions from a correct model (type I error of rejecting). */
  readonly typeIError: number;
  /** Basel plus factor added to the multiplier 3 (see {@link trafficLight}). */
  readonly plusFactor: number;
  readonly multiplier: number;
  /** How the plus factor was obtained. */
  readonly plusFactorRule: "bcbs-table" | "probability-matched";
}

/** BCBS (1996) plus factors for 0 … 10+ exceptions in 250 days at 99 % (quant.md §4, R6). */
const BASEL_PLUS_FACTORS: readonly number[] = [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1];

/**
 * Basel traffic light (BCBS 1996, "Supervisory framework for the use of backtesting"), for any n
 * and p by the binomial distribution function as MathWorks `tl` does: with c = P(X ≤ x),
 * X ~ Bin(n, p), green if c < 95 %, yellow if 95 % ≤ c < 99.99 %, red otherwise.
 *
 * Plus factors: the BCBS table ({@link BASEL_PLUS_FACTORS}) is defined for n = 250, p = 1 %
 * (green 0–4 → 0; yellow 5–9 → 0.40, 0.50, 0.65, 0.75, 0.85; red → 1). For other (n, p) this
 * function uses the table entry of the smallest 250-day count whose cumulative probability is
 * ≥ c ("probability-matched", an extrapolation of ours — the BCBS text gives no rule).
 *
 * Parity: quant.md R5 (n 1043, x 57, p 0.05: green, c 0.77913, type I 0.26396) and R6.
 *
 * @example trafficLight(6, 250, 0.01) // { zone: "yellow", multiplier: 3.5, ... }
 */
export function trafficLight(exceptions: number, observations: number, p: number): TrafficLight {
  const n = readCount(observations, "observations");
  const x = readCount(exceptions, "exceptions", n);
  const pp = readP(p);
  const c = binomialCdf(x, n, pp);
  const zone: TrafficLightZone = c < 0.95 ? "green" : c < 0.9999 ? "yellow" : "red";
  const exact = n === 250 && Math.abs(pp - 0.01) < 1e-12;
  let plus: number;
  if (exact) plus = BASEL_PLUS_FACTORS[Math.min(x, 10)] as number;
  else if (zone === "green") plus = 0;
  else if (zone === "red") plus = 1;
  else {
    let k = 5;
    while (k < 9 && binomialCdf(k, 250, 0.01) < c) k++;
    plus = BASEL_PLUS_FACTORS[k] as number;
  }
  return {
    zone,
    cumulativeProbability: c,
    typeIError: x === 0 ? 1 : 1 - binomialCdf(x - 1, n, pp),
    plusFactor: plus,
    multiplier: 3 + plus,
    plusFactorRule: exact ? "bcbs-table" : "probability-matched",
  };
}

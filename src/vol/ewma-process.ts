/**
 * RiskMetrics EWMA as a {@link VolatilityProcess} (src/vol/process.ts): zero mean, one
 * parameter λ, the update {@link ewmaStep}, the path seeded by `arch`'s backcast (`arch`'s
 * `EWMAVariance` is this process), flat forecasts, and simulation with the ziggurat samplers of
 * src/math/random.ts.
 */
import { normalSampler, studentTSampler, Xoshiro128 } from "../math/random.js";
import { ewmaStep, ewmaVariance } from "./ewma.js";
import { pathLoglikelihood, type VolatilityProcess } from "./process.js";

/** Parameters of the EWMA process. */
export interface EwmaParams {
  /** Decay λ, 0 < λ < 1 (RiskMetrics: 0.94 daily). */
  readonly lambda: number;
}

/** EWMA: `σ²_{t+1} = λσ²_t + (1 − λ)r²_t` (RiskMetrics Technical Document, 1996, ch. 5). */
export const ewmaProcess: VolatilityProcess<EwmaParams> = {
  name: "ewma",
  parameterNames: ["lambda"],
  returnsScale: 1,
  bounds: () => ({ lower: [0], upper: [1] }),
  startingValues: () => ({ lambda: 0.94 }),
  mean: () => 0,
  step: (p, h, e) => ewmaStep(h, e, p.lambda),
  variance: (p, r) => ewmaVariance(r, { lambda: p.lambda, seed: { kind: "backcast" } }),
  loglikelihood(p, r, law, nu) {
    return pathLoglikelihood(r, ewmaProcess.variance(p, r), law, nu);
  },
  forecast: (_p, nextVariance, horizon) => new Float64Array(horizon).fill(nextVariance),
  simulate(p, n, seed, o) {
    const returns = new Float64Array(n);
    const variance = new Float64Array(n);
    const sampler = o.law === "t" ? studentTSampler(o.nu ?? Number.NaN, true) : normalSampler();
    sampler.fill(new Xoshiro128(seed), returns);
    let h = o.startVariance;
    for (let t = 0; t < n; t++) {
      const e = Math.sqrt(h) * (returns[t] as number);
      returns[t] = e;
      variance[t] = h;
      h = ewmaStep(h, e, p.lambda);
    }
    return { returns, variance };
  },
};

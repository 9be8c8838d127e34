/** Simulated Merton jump-diffusion bars with continuous intrabar extremes, for the range-likelihood tests. */
import { normalSampler, Xoshiro128 } from "../../src/math/random.js";
import type { MertonParams } from "../../src/vol/jumps.js";
import type { RangeBars } from "../../src/vol/jumps-range.js";

/**
 * `n` bars of a Merton process with exact continuous extremes, seeded, as log prices relative to
 * each bar's open: each bar is `steps` sub-steps of a Brownian motion with the exact minimum and
 * maximum of the Brownian bridge within each sub-step (min = (a + b − √((b − a)² − 2s² ln U))/2,
 * the bridge's extreme law: Glasserman 2004, *Monte Carlo Methods in Financial Engineering*, §6.4),
 * and Merton jumps at uniformly drawn sub-steps (within the bar).
 */
export function simulateMertonBars(p: MertonParams, n: number, seed: number, steps = 50): RangeBars {
  const rng = new Xoshiro128(seed);
  const z = normalSampler();
  const bars = { close: new Float64Array(n), low: new Float64Array(n), high: new Float64Array(n) };
  const v = (p.sigma * p.sigma) / steps;
  const jumps = new Float64Array(steps);
  for (let t = 0; t < n; t++) {
    jumps.fill(0);
    const u = rng.next();
    let count = 0;
    let weight = Math.exp(-p.lambda);
    let cdf = weight;
    while (u > cdf) {
      count++;
      weight *= p.lambda / count;
      cdf += weight;
    }
    for (let j = 0; j < count; j++) {
      const k = rng.int(steps);
      jumps[k] = (jumps[k] as number) + p.jumpMean + p.jumpVol * z.sample(rng);
    }
    let a = 0;
    let low = 0;
    let high = 0;
    for (let k = 0; k < steps; k++) {
      a += jumps[k] as number;
      low = Math.min(low, a);
      high = Math.max(high, a);
      const d = p.mu / steps + Math.sqrt(v) * z.sample(rng);
      low = Math.min(low, a + (d - Math.sqrt(d * d - 2 * v * Math.log(1 - rng.next()))) / 2);
      high = Math.max(high, a + (d + Math.sqrt(d * d - 2 * v * Math.log(1 - rng.next()))) / 2);
      a += d;
    }
    bars.close[t] = a;
    bars.low[t] = low;
    bars.high[t] = high;
  }
  return bars;
}

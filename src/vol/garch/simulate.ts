/**
 * Simulation of GARCH/GJR paths: one path loop ({@link gjrPath}) shared by {@link simulate} and
 * the Monte Carlo path generator of src/sim/models.ts, fed with the exact ziggurat samplers of
 * src/math/random.ts, so one seed gives one path in both places.
 */
import { InputError } from "../../errors.js";
import { normalSampler, studentTSampler, Xoshiro128 } from "../../math/random.js";
import { readNumber } from "../../validate.js";
import { gjrVariance, persistence } from "./recursion.js";
import type { GarchDist, GarchParams, GarchPath } from "./types.js";

/** The parameters of {@link gjrPath}, as plain numbers (γ = 0 for GARCH). */
export interface GjrPathParams {
  readonly mu: number;
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

/**
 * Runs the recursion over given unit-variance shocks z_k (in `shocks`, overwritten with the
 * returns): `ε_k = √h_k z_k`, `r_k = (μ + ε_k)·inverseScale + drift`, `h_{k+1} =` {@link gjrVariance},
 * and `variance[k] = h_k·inverseScale²`, from h_1 = `startVariance`. `inverseScale` converts the
 * model's units back to return units (1/100 for a model of percent returns; 1 keeps them).
 */
export function gjrPath(
  p: GjrPathParams,
  startVariance: number,
  shocks: Float64Array,
  variance: Float64Array,
  inverseScale = 1,
  drift = 0,
): void {
  let h = startVariance;
  for (let k = 0; k < shocks.length; k++) {
    const e = Math.sqrt(h) * (shocks[k] as number);
    shocks[k] = (p.mu + e) * inverseScale + drift;
    variance[k] = h * inverseScale * inverseScale;
    h = gjrVariance(p.omega, p.alpha, p.gamma, p.beta, h, e);
  }
}

/**
 * Simulates n returns from a fitted (or given) model with the seeded {@link Xoshiro128} stream:
 * the n shocks are drawn first by the exact ziggurat samplers of src/math/random.ts
 * (`normalSampler`, or `studentTSampler(ν, true)`, the unit-variance t), then run through
 * {@link gjrPath} — the same draws and the same arithmetic as a `garch` model of
 * src/sim/models.ts with `returnsScale` 1 on the same seed. The path starts from `startVariance`
 * (default the fit's σ²_{T+1}, else σ̄²).
 *
 * @example simulate(fitted, 365, 42).returns
 */
export function simulate(
  source: {
    readonly params: GarchParams;
    readonly dist?: GarchDist;
    readonly nextVariance?: number;
  },
  n: number,
  seed: number,
  options: { readonly startVariance?: number } = {},
): GarchPath {
  const count = readNumber(n, "n", { min: 0, fix: "Pass a whole number of steps." });
  if (!Number.isInteger(count))
    throw new InputError("n", n, "must be a whole number", "Pass an integer ≥ 0.");
  const p = source.params;
  const dist = source.dist ?? (p.nu === undefined ? "normal" : "t");
  const h = options.startVariance ?? source.nextVariance ?? p.omega / (1 - persistence(p));
  if (!(h > 0) || !Number.isFinite(h)) {
    throw new InputError("startVariance", h, "must be a positive finite variance", "Pass startVariance.");
  }
  const nu = p.nu ?? Number.NaN;
  if (dist === "t" && !(nu > 2)) throw new InputError("params.nu", p.nu, "must be above 2", "Pass ν > 2.");
  const sampler = dist === "t" ? studentTSampler(nu, true) : normalSampler();
  const returns = new Float64Array(count);
  const variance = new Float64Array(count);
  sampler.fill(new Xoshiro128(seed), returns);
  gjrPath({ ...p, gamma: p.gamma ?? 0 }, h, returns, variance);
  return { returns, variance };
}

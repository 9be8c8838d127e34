/** Closed-form multi-step variance forecasts of GARCH/GJR (quant.md §3.4). */
import { InputError } from "../../errors.js";
import { readNumber } from "../../validate.js";
import { persistence } from "./recursion.js";
import type { GarchForecast, GarchParams } from "./types.js";

/**
 * Multi-step variance forecasts (quant.md §3.4):
 * `E[σ²_{T+h}] = σ̄² + φ^{h−1}(σ²_{T+1} − σ̄²)`, σ̄² = ω/(1 − φ), φ = α + β + γ/2 (the γ/2 term
 * assumes symmetric innovations), and their running sum, the variance of the H-step return
 * `V_H = H σ̄² + (σ²_{T+1} − σ̄²)(1 − φ^H)/(1 − φ)`. Both are computed by the recursion they solve,
 * `E[σ²_{T+h+1}] = ω + φ E[σ²_{T+h}]`, summed step by step: the closed form cancels
 * catastrophically near the stationarity bound (at φ = 1 − 1e-10, σ̄² is 1e10·ω and the two terms
 * of V_H, each ~H·σ̄², leave a 24-step sum off by a factor 6), and the recursion also holds for φ ≥ 1.
 *
 * @example forecast(fitted, 7).cumulativeVariance[6] // variance (%²) of the next 7 days' return
 */
export function forecast(
  source: { readonly params: GarchParams; readonly nextVariance: number },
  horizon: number,
): GarchForecast {
  const H = readNumber(horizon, "horizon", { min: 1, fix: "Pass a whole number of steps ≥ 1." });
  if (!Number.isInteger(H))
    throw new InputError("horizon", horizon, "must be a whole number", "Pass an integer ≥ 1.");
  const p = source.params;
  const phi = persistence(p);
  const variance = new Float64Array(H);
  const cumulative = new Float64Array(H);
  let v = source.nextVariance;
  let s = 0;
  for (let h = 0; h < H; h++) {
    variance[h] = v;
    s += v;
    cumulative[h] = s;
    v = p.omega + phi * v;
  }
  return { variance, cumulativeVariance: cumulative };
}

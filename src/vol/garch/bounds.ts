/**
 * Which constraints of the GARCH/GJR fit hold with equality at its optimum, and what that means
 * for the result: an optimum on the boundary of the parameter space is not an interior maximum,
 * so the inverse-Hessian standard errors (which assume one) do not apply there (D. W. K.
 * Andrews, "Estimation when a parameter is on a boundary", *Econometrica* 67(6), 1999), and a
 * persistence pinned at the stationarity bound φ → 1 says the data ask for φ ≥ 1 (the
 * unconstrained optimum, which fGarch reports, lies outside the box).
 */
import type { GarchModel, GarchParams } from "./types.js";

/** A constraint of the fit that can bind: a parameter at a box end, or φ at the stationarity bound. */
export type GarchBound =
  | "persistence"
  | "omega"
  | "alpha"
  | "beta"
  | "gamma"
  | "nu"
  | "alpha-upper"
  | "beta-upper"
  | "gamma-upper";

/**
 * Distance to a bound below which a fitted parameter counts as on it: the searches stop within
 * a Newton decrement of 1e-10 (fit.ts), so an optimum in the interior stays far above this.
 */
const ON_BOUND = 1e-6;

/**
 * The constraints binding at `params` (fitted with the stationarity constraint or not, on returns
 * of sample `variance`), in a fixed order: φ = α + β + γ/2 ≥ 1 − 1e-6 under the constraint
 * (its bound is 1 − 1e-10); ω ≤ 1e-6·var (its floor is 1e-10·var); α, β, γ ≤ 1e-6 (floor 0);
 * ν ≤ 2 + 1e-3 (floor 2 + 1e-4); without the constraint α, β, γ ≥ 1 − 1e-6 (ceiling 1).
 *
 * @example boundsAt({ mu: 0, omega: 0.1, alpha: 0.06, beta: 0.94 }, "garch", true, 10) // ["persistence"]
 */
export function boundsAt(
  params: GarchParams,
  model: GarchModel,
  stationary: boolean,
  variance: number,
): GarchBound[] {
  const out: GarchBound[] = [];
  const gamma = model === "gjr" ? (params.gamma ?? 0) : Number.NaN;
  if (stationary && params.alpha + params.beta + (model === "gjr" ? gamma / 2 : 0) >= 1 - ON_BOUND) {
    out.push("persistence");
  }
  if (params.omega <= ON_BOUND * variance) out.push("omega");
  if (params.alpha <= ON_BOUND) out.push("alpha");
  if (params.beta <= ON_BOUND) out.push("beta");
  if (gamma <= ON_BOUND) out.push("gamma");
  if (params.nu !== undefined && params.nu <= 2 + 1e-3) out.push("nu");
  if (!stationary) {
    if (params.alpha >= 1 - ON_BOUND) out.push("alpha-upper");
    if (params.beta >= 1 - ON_BOUND) out.push("beta-upper");
    if (gamma >= 1 - ON_BOUND) out.push("gamma-upper");
  }
  return out;
}

/** The sentence that says what a binding constraint means, for `GarchFit.warnings`. */
function boundWarning(bound: GarchBound, params: GarchParams): string {
  switch (bound) {
    case "persistence":
      return (
        `persistence α + β${params.gamma === undefined ? "" : " + γ/2"} is at the stationarity bound 1: the likelihood ` +
        "rises towards a non-stationary model (fit with stationary: false, liqopt vol --unconstrained, to see it); " +
        "shocks do not decay within the sample and there is no long-run variance"
      );
    case "omega":
      return "ω is at its floor (1e-10 × the sample variance): the variance has no constant part";
    case "nu":
      return `ν ${params.nu?.toFixed(4)} is at its floor 2: the tails are too heavy for a unit-variance Student-t`;
    case "alpha-upper":
    case "beta-upper":
    case "gamma-upper":
      return `${bound.replace("-upper", "")} is at its ceiling 1`;
    default:
      return `${bound} is at its floor 0: the model drops that term`;
  }
}

/** One sentence per binding constraint of a fit at `params`, saying what it means (e.g. ν at its floor 2). */
export function boundWarnings(bounds: readonly GarchBound[], params: GarchParams): string[] {
  return bounds.map((b) => boundWarning(b, params));
}

/**
 * The warnings of a fit with the binding constraints `bounds` and persistence `phi`: one sentence
 * per bound ({@link boundWarnings}), one for φ ≥ 1 (non-stationary: unconditional variance infinite, forecasts grow
 * without limit), and, when any bound binds, that the standard errors are withheld.
 */
export function fitWarnings(bounds: readonly GarchBound[], params: GarchParams, phi: number): string[] {
  const out = boundWarnings(bounds, params);
  if (phi >= 1) {
    out.push(
      `persistence ${phi.toPrecision(6)} ≥ 1: the fitted model is not covariance-stationary ` +
        "(no long-run variance; variance forecasts grow without limit with the horizon)",
    );
  }
  if (bounds.length > 0) {
    out.push(
      `no standard errors: the optimum is on the bound of ${bounds.join(", ")}, where the inverse Hessian ` +
        "does not give them (it assumes an interior maximum)",
    );
  }
  return out;
}

/**
 * Why a fit's variance forecast is degenerate, or undefined when it is not: persistence at the
 * stationarity bound (shocks do not decay: an integrated model with no long-run level fitted as
 * if stationary), φ ≥ 1 (forecasts grow without limit), or ω at its floor (the forecast decays to
 * zero). A model on a bound of α, β, γ or ν alone forecasts normally (it drops or caps a term).
 *
 * @example forecastDegeneracy(["persistence"], 1 - 1e-10) // "persistence α + β (+ γ/2) at the stationarity bound 1: …"
 */
export function forecastDegeneracy(bounds: readonly string[], phi: number): string | undefined {
  if (bounds.includes("persistence")) {
    return "persistence α + β (+ γ/2) at the stationarity bound 1: shocks do not decay and there is no long-run variance";
  }
  if (phi >= 1)
    return `persistence ${phi.toPrecision(6)} ≥ 1: not stationary, the variance forecast grows without limit`;
  if (bounds.includes("omega")) return "ω at its floor: the variance forecast decays to zero";
  return undefined;
}

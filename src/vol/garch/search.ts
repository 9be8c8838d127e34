/**
 * The gradient search of the GARCH fit: the projected quasi-Newton method of
 * src/math/minimize.ts (BFGS, Armijo search along the projection arc) from each start, keeping
 * the better optimum.
 */
import { projectedQuasiNewton } from "../../math/minimize.js";

/** The kept optimum of a search, with the work done. */
export interface SearchResult {
  readonly point: ArrayLike<number>;
  /** −ℓ at `point` (+∞ when no search found a finite value). */
  readonly value: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly evaluations: number;
}

/**
 * Projected quasi-Newton from each of `starts` in the closed box `bounds`, stopping when the
 * Newton decrement ½gᵀB⁻¹g is below `1e-4 · fTolerance`. A later run replaces the kept one when
 * it is lower, or when it converged, the kept one did not, and it is within `fTolerance`.
 */
export function quasiNewtonSearch(
  objective: (v: Float64Array, gradient: Float64Array) => number,
  starts: readonly (readonly number[])[],
  bounds: { readonly lower: readonly number[]; readonly upper: readonly number[] },
  fTolerance: number,
): SearchResult {
  let point: ArrayLike<number> = starts[0] as readonly number[];
  let best = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let evaluations = 0;
  let converged = false;
  for (const from of starts) {
    const qn = projectedQuasiNewton(objective, from, { bounds, decrementTolerance: 1e-4 * fTolerance });
    iterations += qn.iterations;
    evaluations += qn.evaluations;
    if (qn.f < best || (!converged && qn.converged && qn.f <= best + fTolerance)) {
      point = qn.x;
      best = qn.f;
      converged = qn.converged;
    }
  }
  return { point, value: best, converged, iterations, evaluations };
}

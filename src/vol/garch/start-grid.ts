/**
 * The second start of the GARCH fit: GARCH likelihoods can have several local maxima (a
 * persistent and a short-memory one), so besides fGarch's start the search also starts from the
 * best point of a coarse 4 × 3 grid of persistence φ ∈ {0.3, 0.6, 0.9, 0.97} × α-share
 * {0.1, 0.3, 0.6}, with ω by variance targeting (ω = var·(1 − φ)).
 */
import type { SearchSpace } from "./transform.js";

/** Points of the grid evaluated by {@link gridStart}. */
export const GRID_POINTS = 12;

/**
 * The grid point (a search vector of `space`) with the smallest `objective` (−ℓ; it may write a
 * gradient into its second argument, which is scratch here).
 */
export function gridStart(
  space: SearchSpace,
  variance: number,
  objective: (v: Float64Array, gradient: Float64Array) => number,
): number[] {
  const { start, stationary, gjr, gamma0, phi0, alpha0 } = space;
  const scratch = new Float64Array(start.length);
  let gridStart: number[] = [...start];
  let gridBest = Number.POSITIVE_INFINITY;
  for (const phi of [0.3, 0.6, 0.9, 0.97]) {
    for (const share of [0.1, 0.3, 0.6]) {
      const candidate = [...start];
      candidate[1] = variance * (1 - phi);
      if (stationary) {
        candidate[2] = phi;
        candidate[3] = share;
      } else {
        const s2 = gjr ? gamma0 / 2 / (phi0 - alpha0) : 0;
        candidate[2] = phi * share;
        candidate[3] = phi * (1 - share) * (1 - s2);
        if (gjr) candidate[4] = 2 * phi * (1 - share) * s2;
      }
      const value = objective(Float64Array.from(candidate), scratch);
      if (value < gridBest) {
        gridBest = value;
        gridStart = candidate;
      }
    }
  }
  return gridStart;
}

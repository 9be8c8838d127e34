/**
 * The fallback of the GARCH fit when no gradient search converged: bounded Nelder–Mead
 * (src/math/minimize.ts) from fGarch's start, restarted from its own optimum (with steps ten
 * times smaller) until −ℓ improves by less than `fTolerance`, at most 4 runs.
 */
import { nelderMead } from "../../math/minimize.js";
import type { SearchResult } from "./search.js";

/**
 * Runs the fallback (module comment) of `value` (−ℓ of a search vector) in the open box
 * `bounds`; initial steps 0.1·sd for μ and 0.5 for the others. `converged` is that of the last run.
 */
export function nelderMeadFallback(
  value: (v: Float64Array) => number,
  start: readonly number[],
  sd: number,
  bounds: { readonly lower: readonly number[]; readonly upper: readonly number[] },
  xTolerance: number,
  fTolerance: number,
): SearchResult {
  const { lower, upper } = bounds;
  const steps = start.map((_, i) => (i === 0 ? 0.1 * sd : 0.5));
  let point: readonly number[] = start;
  let best = Number.POSITIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  let evaluations = 0;
  for (let run = 0; run < 4; run++) {
    const result = nelderMead(value, point, {
      bounds,
      xTolerance,
      fTolerance,
      initialStep: steps.map((s) => (run === 0 ? s : s * 0.1)),
    });
    iterations += result.iterations;
    evaluations += result.evaluations;
    converged = result.converged;
    const improvement = best - result.f;
    // Restart strictly inside the box (the logistic map can round onto a bound).
    point = Array.from(result.x, (v, i) => {
      const lo = lower[i] as number;
      const hi = upper[i] as number;
      const margin = 1e-9 * (Number.isFinite(hi - lo) ? hi - lo : Math.max(1, Math.abs(v)));
      return Math.min(Math.max(v, lo + margin), hi - margin);
    });
    best = Math.min(best, result.f);
    if (run > 0 && improvement <= fTolerance) break;
  }
  return { point, value: best, converged, iterations, evaluations };
}

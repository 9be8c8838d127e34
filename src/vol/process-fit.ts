/**
 * A generic maximum-likelihood fit of any {@link VolatilityProcess}: the process's own bounds,
 * starting values and log-likelihood, searched by bounded Nelder–Mead (src/math/minimize.ts,
 * restarted from its optimum until −ℓ improves by less than 1e-8, at most 4 runs), as `arch`'s
 * `ARCHModel.fit` composes a process and a distribution. With Student-t innovations ν is one more
 * parameter in (2, 500), started at 8. A process with a fit of its own
 * ({@link VolatilityProcess.fit}: GARCH and GJR, the gradient fit of src/vol/garch/fit.ts) is
 * fitted by it; the generic search serves the others, so that a new process reaches the front
 * ends through the registry alone.
 */
import { interiorPoint, nelderMead } from "../math/minimize.js";
import type { Innovations, VolatilityProcess } from "./process.js";

/** The result of {@link fitProcess}. */
export interface ProcessFit<P> {
  readonly params: P;
  /** ν of Student-t innovations (undefined for normal). */
  readonly nu?: number;
  readonly loglikelihood: number;
  /** σ² of the next, unseen model return (the process's units). */
  readonly nextVariance: number;
  /** The constraints binding at the optimum, when the process's own fit reports them (GARCH, GJR). */
  readonly atBound?: readonly string[];
}

/**
 * Fits `process` to `modelReturns` (in its units: `toModelReturns`) under the innovation `law`
 * (by its own fit when it has one).
 *
 * @example fitProcess(VOLATILITY_PROCESSES.ewma, logReturns, "normal").params.lambda
 */
export function fitProcess<P>(
  process: VolatilityProcess<P>,
  modelReturns: ArrayLike<number>,
  law: Innovations,
): ProcessFit<P> {
  if (process.fit !== undefined) return process.fit(modelReturns, law);
  const names = process.parameterNames;
  const k = names.length;
  const box = process.bounds();
  const isT = law === "t";
  const bounds = {
    lower: isT ? [...box.lower, 2] : [...box.lower],
    upper: isT ? [...box.upper, 500] : [...box.upper],
  };
  const start = process.startingValues(modelReturns) as Record<string, number>;
  const paramsOf = (x: ArrayLike<number>): P => {
    const p: Record<string, number> = { ...start };
    names.forEach((name, i) => {
      p[name] = x[i] as number;
    });
    return p as P;
  };
  const objective = (x: Float64Array): number =>
    -process.loglikelihood(paramsOf(x), modelReturns, law, isT ? (x[k] as number) : undefined);
  const first = names.map((n) => start[n] as number);
  let from = interiorPoint(isT ? [...first, 8] : first, bounds);
  let x: ArrayLike<number> = from;
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 4; run++) {
    const result = nelderMead(objective, from, { bounds });
    const improvement = best - result.f;
    if (result.f < best) {
      best = result.f;
      x = result.x;
    }
    if (run > 0 && !(improvement > 1e-8)) break;
    from = interiorPoint(result.x, bounds);
  }
  const params = paramsOf(x);
  const path = process.variance(params, modelReturns);
  return {
    params,
    ...(isT ? { nu: x[k] as number } : {}),
    loglikelihood: -best,
    nextVariance: path[modelReturns.length] as number,
  };
}

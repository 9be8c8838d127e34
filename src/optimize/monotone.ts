/**
 * Bisection for monotone constraints: the optimizer's solvers (largest leverage, smallest
 * collateral, smallest size cut) all look for the boundary of a set `{x : ok(x)}` that is an
 * interval `[x*, hi]` (or `[lo, x*]`) because the constraint is monotone in x.
 */
import { InputError } from "../errors.js";

/** Result of {@link smallestSatisfying}. */
export interface MonotoneSolution {
  /**
   * The smallest x found that satisfies the constraint (the upper end of the last bracket), or
   * `null` when not even `hi` satisfies it.
   */
  readonly value: number | null;
  /** Width of the last bracket: the true boundary lies in `[value − width, value]`. */
  readonly width: number;
  readonly iterations: number;
  /** `"inside"`: bracketed and bisected; `"at-lo"`: `lo` already satisfies; `"none"`: `hi` does not. */
  readonly status: "inside" | "at-lo" | "none";
}

/**
 * The smallest `x ∈ [lo, hi]` with `ok(x)`, for a predicate that is monotone (false below a
 * boundary x*, true above). Bisection on the bracket `[a, b]` with `ok(a) = false`, `ok(b) = true`
 * until `b − a ≤ relativeTolerance·b` (at most `maxIterations` halvings): the returned `b`
 * satisfies the constraint and `b − width` does not, so the answer is optimal to within the
 * tolerance. Bisection needs no derivative and never leaves the bracket (R. L. Burden & J. D.
 * Faires, *Numerical Analysis*, §2.1: the error after n steps is at most (hi − lo)/2ⁿ).
 *
 * @example smallestSatisfying((x) => x * x >= 2, 0, 2, 1e-12).value // 1.41421356237…
 */
export function smallestSatisfying(
  ok: (x: number) => boolean,
  lo: number,
  hi: number,
  relativeTolerance: number,
  maxIterations = 200,
): MonotoneSolution {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new InputError("bracket", [lo, hi], "must be finite with lo < hi", "Pass a bracket lo < hi.");
  }
  if (!(relativeTolerance > 0)) {
    throw new InputError("relativeTolerance", relativeTolerance, "must be positive", "Pass e.g. 1e-6.");
  }
  if (ok(lo)) return { value: lo, width: 0, iterations: 0, status: "at-lo" };
  if (!ok(hi)) return { value: null, width: hi - lo, iterations: 0, status: "none" };
  let a = lo;
  let b = hi;
  let iterations = 0;
  while (b - a > relativeTolerance * Math.abs(b) && iterations < maxIterations) {
    const m = 0.5 * (a + b);
    if (m <= a || m >= b) break; // no representable midpoint left
    if (ok(m)) b = m;
    else a = m;
    iterations += 1;
  }
  return { value: b, width: b - a, iterations, status: "inside" };
}

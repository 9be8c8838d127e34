/**
 * Derivative-free minimisation: Nelder–Mead with box constraints, and a central-difference
 * Hessian for standard errors.
 *
 * Nelder–Mead: J. A. Nelder & R. Mead, "A simplex method for function minimization", *The
 * Computer Journal* 7(4), 1965, pp. 308–313; coefficients and the accept/shrink rules as in
 * J. C. Lagarias, J. A. Reeds, M. H. Wright & P. E. Wright, "Convergence properties of the
 * Nelder–Mead simplex method in low dimensions", *SIAM J. Optim.* 9(1), 1998, §2 (reflection
 * ρ = 1, expansion χ = 2, contraction γ = ½, shrink σ = ½) — the algorithm of MATLAB's
 * `fminsearch`.
 *
 * Bounds are enforced by smooth changes of variable (the search runs on an unconstrained z):
 * both bounds `x = lo + (hi − lo)/(1 + e^{−z})`, lower only `x = lo + e^{z}`, upper only
 * `x = hi − e^{z}`, none `x = z`. A bound is therefore never reached, only approached; the
 * objective is never evaluated outside the box. Fully deterministic: no random restarts.
 */
import { InputError } from "../errors.js";

/** A box: `lower[i] < x[i] < upper[i]`; use ±Infinity for an open side. */
export interface Bounds {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Box constraints (strict); by default none. */
  readonly bounds?: Bounds;
  /**
   * Stop when every vertex is within `xTolerance` of the best one (max-norm, in the search
   * variable z) and every vertex value within `fTolerance` of the best (fminsearch's `TolX`,
   * `TolFun`). Defaults 1e-8 and 1e-10.
   */
  readonly xTolerance?: number;
  readonly fTolerance?: number;
  /** Iteration cap (default 400 × dimension). */
  readonly maxIterations?: number;
  /** Evaluation cap (default 800 × dimension). */
  readonly maxEvaluations?: number;
  /**
   * Initial simplex edge per coordinate, in the search variable z. Default fminsearch's rule:
   * 5 % of |z₀ᵢ|, or 0.00025 where z₀ᵢ = 0.
   */
  readonly initialStep?: readonly number[];
}

/** Result of {@link nelderMead}. */
export interface OptimizeResult {
  /** The best point found (inside the bounds). */
  readonly x: Float64Array;
  /** The objective at `x`. */
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** True when both tolerances were met before a cap. */
  readonly converged: boolean;
}

/** Maps x in the box to the unconstrained search variable z, and back. */
export interface BoxTransform {
  toSearch(x: ArrayLike<number>, out: Float64Array): Float64Array;
  fromSearch(z: ArrayLike<number>, out: Float64Array): Float64Array;
}

/**
 * The smooth change of variables of the module comment for a box of dimension `n`.
 *
 * @example boxTransform(1, { lower: [0], upper: [1] }).fromSearch([0], new Float64Array(1)) // [0.5]
 */
export function boxTransform(n: number, bounds?: Bounds): BoxTransform {
  const lo = Float64Array.from({ length: n }, (_, i) => bounds?.lower[i] ?? Number.NEGATIVE_INFINITY);
  const hi = Float64Array.from({ length: n }, (_, i) => bounds?.upper[i] ?? Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    if (
      Number.isNaN(lo[i] as number) ||
      Number.isNaN(hi[i] as number) ||
      !((lo[i] as number) < (hi[i] as number))
    ) {
      throw new InputError(`bounds[${i}]`, [lo[i], hi[i]], "must have lower < upper", "Pass lower < upper.");
    }
  }
  return {
    toSearch(x, out) {
      for (let i = 0; i < n; i++) {
        const a = lo[i] as number;
        const b = hi[i] as number;
        const v = x[i] as number;
        if (!(v > a && v < b)) {
          throw new InputError(
            `x0[${i}]`,
            v,
            `must lie strictly inside (${a}, ${b})`,
            "Start inside the bounds.",
          );
        }
        const fa = Number.isFinite(a);
        const fb = Number.isFinite(b);
        if (fa && fb) {
          const p = (v - a) / (b - a);
          out[i] = Math.log(p / (1 - p));
        } else if (fa) out[i] = Math.log(v - a);
        else if (fb) out[i] = Math.log(b - v);
        else out[i] = v;
      }
      return out;
    },
    fromSearch(z, out) {
      for (let i = 0; i < n; i++) {
        const a = lo[i] as number;
        const b = hi[i] as number;
        const v = z[i] as number;
        const fa = Number.isFinite(a);
        const fb = Number.isFinite(b);
        if (fa && fb) out[i] = a + (b - a) / (1 + Math.exp(-v));
        else if (fa) out[i] = a + Math.exp(v);
        else if (fb) out[i] = b - Math.exp(v);
        else out[i] = v;
      }
      return out;
    },
  };
}

/**
 * Minimises `f` from `x0` by Nelder–Mead (Lagarias et al. 1998 coefficients) inside `bounds`.
 * Non-finite objective values are treated as +∞ (the step is rejected), so a penalty region can be
 * expressed by returning `Infinity`.
 *
 * @example
 * const rosen = (x: Float64Array) => 100 * ((x[1] as number) - (x[0] as number) ** 2) ** 2 + (1 - (x[0] as number)) ** 2;
 * nelderMead(rosen, [-1.2, 1]).x // ≈ [1, 1]
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): OptimizeResult {
  const n = x0.length;
  if (n < 1) throw new InputError("x0", x0, "must have at least one coordinate", "Pass a start point.");
  const transform = boxTransform(n, options.bounds);
  const xTol = options.xTolerance ?? 1e-8;
  const fTol = options.fTolerance ?? 1e-10;
  const maxIter = options.maxIterations ?? 400 * n;
  const maxEval = options.maxEvaluations ?? 800 * n;
  const x = new Float64Array(n);
  let evaluations = 0;
  const objective = (z: Float64Array): number => {
    evaluations++;
    const v = f(transform.fromSearch(z, x));
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  // Simplex: n + 1 vertices, each a row of `n` values in z; kept sorted by value via `order`.
  const simplex: Float64Array[] = [];
  const values = new Float64Array(n + 1);
  const z0 = transform.toSearch(x0, new Float64Array(n));
  for (let k = 0; k <= n; k++) {
    const v = Float64Array.from(z0);
    if (k > 0) {
      const i = k - 1;
      const zi = v[i] as number;
      const step = options.initialStep?.[i] ?? (zi !== 0 ? 0.05 * zi : 0.00025);
      v[i] = zi + step;
    }
    simplex.push(v);
    values[k] = objective(v);
  }
  const order = Array.from({ length: n + 1 }, (_, k) => k);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const along = (t: number, out: Float64Array, worst: Float64Array) => {
    for (let i = 0; i < n; i++)
      out[i] = (centroid[i] as number) + t * ((worst[i] as number) - (centroid[i] as number));
    return out;
  };
  const replaceWorst = (point: Float64Array, value: number) => {
    const w = order[n] as number;
    (simplex[w] as Float64Array).set(point);
    values[w] = value;
  };

  let iterations = 0;
  let converged = false;
  for (;;) {
    order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
    const best = simplex[order[0] as number] as Float64Array;
    const fBest = values[order[0] as number] as number;
    let fSpread = 0;
    let xSpread = 0;
    for (let k = 1; k <= n; k++) {
      const idx = order[k] as number;
      fSpread = Math.max(fSpread, Math.abs((values[idx] as number) - fBest));
      const v = simplex[idx] as Float64Array;
      for (let i = 0; i < n; i++)
        xSpread = Math.max(xSpread, Math.abs((v[i] as number) - (best[i] as number)));
    }
    if (fSpread <= fTol && xSpread <= xTol && Number.isFinite(fBest)) {
      converged = true;
      break;
    }
    if (iterations >= maxIter || evaluations >= maxEval) break;
    iterations++;

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const v = simplex[order[k] as number] as Float64Array;
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (v[i] as number) / n;
    }
    const worst = simplex[order[n] as number] as Float64Array;
    const fWorst = values[order[n] as number] as number;
    const fSecond = values[order[n - 1] as number] as number;

    const fr = objective(along(-1, xr, worst));
    if (fr < fBest) {
      const fe = objective(along(-2, xe, worst));
      if (fe < fr) replaceWorst(xe, fe);
      else replaceWorst(xr, fr);
      continue;
    }
    if (fr < fSecond) {
      replaceWorst(xr, fr);
      continue;
    }
    if (fr < fWorst) {
      const fc = objective(along(-0.5, xc, worst)); // outside contraction
      if (fc <= fr) {
        replaceWorst(xc, fc);
        continue;
      }
    } else {
      const fcc = objective(along(0.5, xc, worst)); // inside contraction
      if (fcc < fWorst) {
        replaceWorst(xc, fcc);
        continue;
      }
    }
    // Shrink towards the best vertex.
    for (let k = 1; k <= n; k++) {
      const idx = order[k] as number;
      const v = simplex[idx] as Float64Array;
      for (let i = 0; i < n; i++) v[i] = (best[i] as number) + 0.5 * ((v[i] as number) - (best[i] as number));
      values[idx] = objective(v);
    }
  }
  const bestIdx = order[0] as number;
  return {
    x: transform.fromSearch(simplex[bestIdx] as Float64Array, new Float64Array(n)),
    f: values[bestIdx] as number,
    iterations,
    evaluations,
    converged,
  };
}

/**
 * Numerical Hessian of `f` at `x` by central differences (Dennis & Schnabel 1983, §5.6; the
 * form used by R's `optimHess`): diagonal `(f(x+hᵢ) − 2f(x) + f(x−hᵢ))/hᵢ²`, off-diagonal
 * `(f(x+hᵢ+hⱼ) − f(x+hᵢ−hⱼ) − f(x−hᵢ+hⱼ) + f(x−hᵢ−hⱼ))/(4hᵢhⱼ)`, with
 * `hᵢ = relativeStep · max(|xᵢ|, minStepScale)` (defaults 1e-4, 1e-2). Row-major n × n.
 *
 * @example numericalHessian((x) => (x[0] as number) ** 2 * 3, [1]) // [6]
 */
export function numericalHessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: { readonly relativeStep?: number; readonly minStepScale?: number } = {},
): Float64Array {
  const n = x.length;
  const rel = options.relativeStep ?? 1e-4;
  const floor = options.minStepScale ?? 1e-2;
  const h = Float64Array.from({ length: n }, (_, i) => rel * Math.max(Math.abs(x[i] as number), floor));
  const p = Float64Array.from(x as ArrayLike<number>);
  const at = (i: number, si: number, j: number, sj: number): number => {
    p.set(x as ArrayLike<number>);
    if (si !== 0) p[i] = (p[i] as number) + si * (h[i] as number);
    if (sj !== 0) p[j] = (p[j] as number) + sj * (h[j] as number);
    return f(p);
  };
  const f0 = at(0, 0, 0, 0);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const hi = h[i] as number;
    H[i * n + i] = (at(i, 1, i, 0) - 2 * f0 + at(i, -1, i, 0)) / (hi * hi);
    for (let j = i + 1; j < n; j++) {
      const v =
        (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * hi * (h[j] as number));
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * Inverse of a symmetric positive-definite n × n matrix (row-major) by Cholesky; `undefined`
 * when the matrix is not positive definite.
 */
export function invertSpd(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * n + k] as number) * (L[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / (L[j * n + j] as number);
    }
  }
  // inv(L) then inv(A) = inv(L)ᵀ inv(L).
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    M[i * n + i] = 1 / (L[i * n + i] as number);
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (L[i * n + k] as number) * (M[k * n + j] as number);
      M[i * n + j] = s / (L[i * n + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (M[k * n + i] as number) * (M[k * n + j] as number);
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

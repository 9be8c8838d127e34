/**
 * Minimisation in a box: derivative-free Nelder–Mead ({@link nelderMead}), a projected
 * quasi-Newton method for smooth objectives with a gradient ({@link projectedQuasiNewton}), and
 * central-difference Hessians for standard errors ({@link numericalHessian} from values,
 * {@link gradientHessian} from gradients).
 *
 * Nelder–Mead: J. A. Nelder & R. Mead, "A simplex method for function minimization", *The
 * Computer Journal* 7(4), 1965, pp. 308–313; coefficients and the accept/shrink rules as in
 * J. C. Lagarias, J. A. Reeds, M. H. Wright & P. E. Wright, "Convergence properties of the
 * Nelder–Mead simplex method in low dimensions", *SIAM J. Optim.* 9(1), 1998, §2 (reflection
 * ρ = 1, expansion χ = 2, contraction γ = ½, shrink σ = ½) — the algorithm of MATLAB's
 * `fminsearch`.
 *
 * Nelder–Mead enforces bounds by smooth changes of variable (it searches an unconstrained z):
 * both bounds `x = lo + (hi − lo)/(1 + e^{−z})`, lower only `x = lo + e^{z}`, upper only
 * `x = hi − e^{z}`, none `x = z`. A bound is therefore never reached, only approached; the
 * objective is never evaluated outside the box. The quasi-Newton method instead projects onto
 * the closed box, so it can stop on a bound. Both are deterministic: no random restarts.
 */
import { InputError } from "../errors.js";
import { choleskyFactor, choleskySolve } from "./linalg.js";

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
 * `x` moved strictly inside the box: a coordinate on or beyond a finite bound is put a relative
 * `margin` of the box width (or of the bound's size when the other side is open) inside it. For
 * restarting a search from a previous optimum that sits on a bound (the box transform maps a
 * bound to ±∞ and refuses it).
 *
 * @example interiorPoint([100], { lower: [0], upper: [100] }) // [99.9999999]
 */
export function interiorPoint(x: ArrayLike<number>, bounds: Bounds, margin = 1e-9): number[] {
  return Array.from({ length: x.length }, (_, i) => {
    const a = bounds.lower[i] ?? Number.NEGATIVE_INFINITY;
    const b = bounds.upper[i] ?? Number.POSITIVE_INFINITY;
    const width = Number.isFinite(b - a) ? b - a : Math.max(1, Math.abs(Number.isFinite(a) ? a : b));
    const v = x[i] as number;
    if (v <= a) return a + margin * width;
    if (v >= b) return b - margin * width;
    return v;
  });
}

/**
 * The smooth change of variables of the module comment for a box of dimension `n`.
 *
 * @example boxTransform(1, { lower: [0], upper: [1] }).fromSearch([0], new Float64Array(1)) // [0.5]
 */
function boxTransform(n: number, bounds?: Bounds): BoxTransform {
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

/** Options of {@link projectedQuasiNewton}. */
export interface QuasiNewtonOptions {
  /** Closed box `lower[i] ≤ x[i] ≤ upper[i]` (±Infinity for an open side); by default none. */
  readonly bounds?: Bounds;
  /**
   * Stop when the predicted decrease of the quasi-Newton step, `½ gᵀB⁻¹g` over the free
   * variables (the Newton decrement, in units of f), is at most `decrementTolerance` and no
   * bound is being pressed against (default 1e-10).
   */
  readonly decrementTolerance?: number;
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
  /** Evaluation cap (default 1,000). */
  readonly maxEvaluations?: number;
}

/**
 * Minimises a smooth `f` inside a box with its gradient (`fg(x, g)` returns f(x) and writes ∇f(x)
 * into g; return +Infinity or NaN outside the domain): a projected quasi-Newton method after
 * D. P. Bertsekas, "Projected Newton methods for optimization problems with simple constraints",
 * *SIAM J. Control Optim.* 20(2), 1982 (ε-active set, Armijo search along the projection arc),
 * with the BFGS update of the Hessian approximation B (Nocedal & Wright, *Numerical Optimization*,
 * 2nd ed., 2006, eq. 6.19; skipped when the curvature sᵀy is not positive).
 *
 * - B₀ is the forward-difference Jacobian of the gradient at x₀ (n extra gradient evaluations,
 *   steps `1e-7·max(|xᵢ|, 0.01)`, symmetrised); its diagonal magnitudes when it is not positive
 *   definite. B is reset that way again when a step fails.
 * - Active set: variables within ε of a bound whose gradient points out of the box, with
 *   ε = min(1e-8, ‖x − P(x − g/diag B)‖∞) (Bertsekas' rule, which stops zig-zagging on a face).
 * - Step: free variables `d_F = −B_FF⁻¹ g_F` (Cholesky), active ones `dᵢ = −gᵢ/Bᵢᵢ`; trial points
 *   `x(t) = P(x + t d)` with t = 1, then safeguarded quadratic backtracking until
 *   `gᵀ(x(t) − x) < 0` and `f(x(t)) ≤ f(x) + 10⁻⁴ gᵀ(x(t) − x)`.
 *
 * For dimensions up to a few dozen (dense n × n algebra). Deterministic.
 *
 * @example
 * const fg = (x: Float64Array, g: Float64Array) => { g[0] = 2 * ((x[0] as number) - 3); return ((x[0] as number) - 3) ** 2; };
 * projectedQuasiNewton(fg, [0], { bounds: { lower: [-1], upper: [2] } }).x // [2]
 */
export function projectedQuasiNewton(
  fg: (x: Float64Array, gradient: Float64Array) => number,
  x0: ArrayLike<number>,
  options: QuasiNewtonOptions = {},
): OptimizeResult {
  const n = x0.length;
  if (n < 1) throw new InputError("x0", x0, "must have at least one coordinate", "Pass a start point.");
  const lo = Float64Array.from({ length: n }, (_, i) => options.bounds?.lower[i] ?? Number.NEGATIVE_INFINITY);
  const hi = Float64Array.from({ length: n }, (_, i) => options.bounds?.upper[i] ?? Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const v = x0[i] as number;
    if (!((lo[i] as number) <= (hi[i] as number))) {
      throw new InputError(`bounds[${i}]`, [lo[i], hi[i]], "must have lower ≤ upper", "Pass lower ≤ upper.");
    }
    if (!(v >= (lo[i] as number) && v <= (hi[i] as number))) {
      throw new InputError(`x0[${i}]`, v, `must lie inside [${lo[i]}, ${hi[i]}]`, "Start inside the bounds.");
    }
  }
  const decrementTol = options.decrementTolerance ?? 1e-10;
  const maxIter = options.maxIterations ?? 200;
  const maxEval = options.maxEvaluations ?? 1000;
  let evaluations = 0;
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    evaluations++;
    const v = fg(x, g);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const project = (i: number, v: number): number => Math.min(hi[i] as number, Math.max(lo[i] as number, v));

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = evaluate(x, g);
  if (!Number.isFinite(f)) {
    throw new InputError("x0", Array.from(x0), "has a non-finite objective", "Start where f is finite.");
  }
  const B = new Float64Array(n * n);
  const L = new Float64Array(n * n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const d = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Bs = new Float64Array(n);
  const active = new Uint8Array(n);
  const free: number[] = [];

  const resetHessian = (): void => {
    for (let j = 0; j < n; j++) {
      xt.set(x);
      const step = 1e-7 * Math.max(Math.abs(x[j] as number), 0.01);
      const h = (x[j] as number) + step <= (hi[j] as number) ? step : -step;
      xt[j] = (x[j] as number) + h;
      const ft = evaluate(xt, gt);
      for (let i = 0; i < n; i++)
        B[i * n + j] = Number.isFinite(ft) ? ((gt[i] as number) - (g[i] as number)) / h : 0;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const v = 0.5 * ((B[i * n + j] as number) + (B[j * n + i] as number));
        B[i * n + j] = v;
        B[j * n + i] = v;
      }
    }
    if (choleskyFactor(B, n, L) === undefined) {
      for (let i = 0; i < n; i++) {
        const v = Math.abs(B[i * n + i] as number);
        for (let j = 0; j < n; j++) B[i * n + j] = 0;
        B[i * n + i] = v > 1e-12 ? v : 1;
      }
    }
  };
  resetHessian();

  let iterations = 0;
  let converged = false;
  let freshHessian = true;
  while (iterations < maxIter && evaluations < maxEval) {
    // ε-active set.
    let width = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      width = Math.max(width, Math.abs(xi - project(i, xi - (g[i] as number) / (B[i * n + i] as number))));
    }
    const eps = Math.min(1e-8, width);
    free.length = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const gi = g[i] as number;
      const atLower = xi <= (lo[i] as number) + eps && gi > 0;
      const atUpper = xi >= (hi[i] as number) - eps && gi < 0;
      active[i] = atLower || atUpper ? 1 : 0;
      if (active[i] === 0) free.push(i);
    }
    // Direction on the free variables: solve B_FF d_F = −g_F by Cholesky.
    const m = free.length;
    const BF = new Float64Array(m * m);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) BF[a * m + b] = B[(free[a] as number) * n + (free[b] as number)] as number;
    const LF = new Float64Array(m * m);
    if (choleskyFactor(BF, m, LF) === undefined) {
      if (freshHessian) break;
      resetHessian();
      freshHessian = true;
      continue;
    }
    const rhs = Float64Array.from(free, (i) => -(g[i] as number));
    choleskySolve(LF, m, rhs);
    let decrement = 0;
    d.fill(0);
    free.forEach((i, a) => {
      d[i] = rhs[a] as number;
      decrement -= 0.5 * (g[i] as number) * (rhs[a] as number);
    });
    let pressing = false;
    for (let i = 0; i < n; i++) {
      if (active[i] === 1) {
        d[i] = -(g[i] as number) / (B[i * n + i] as number);
        if (project(i, (x[i] as number) + (d[i] as number)) !== x[i]) pressing = true;
      }
    }
    if (decrement <= decrementTol && !pressing) {
      converged = true;
      break;
    }
    iterations++;
    // Armijo search along the projection arc.
    let t = 1;
    let accepted = false;
    let ft = Number.POSITIVE_INFINITY;
    let stalled = false;
    for (let k = 0; k < 40 && evaluations < maxEval; k++) {
      let slope = 0;
      let moved = false;
      for (let i = 0; i < n; i++) {
        xt[i] = project(i, (x[i] as number) + t * (d[i] as number));
        slope += (g[i] as number) * ((xt[i] as number) - (x[i] as number));
        if (xt[i] !== x[i]) moved = true;
      }
      if (!moved) {
        stalled = k === 0;
        break;
      }
      ft = evaluate(xt, gt);
      if (slope < 0 && ft <= f + 1e-4 * slope) {
        accepted = true;
        break;
      }
      // Quadratic model of f along the arc through f(x), slope at 0 and f(x(t)); keep t in [0.1t, 0.5t].
      const q = Number.isFinite(ft) && slope < 0 ? (-slope * t) / (2 * (ft - f - slope)) : 0.1 * t;
      t = Math.min(0.5 * t, Math.max(0.1 * t, q));
    }
    if (stalled) {
      // The full step no longer changes x in floating point: nothing is left to gain.
      converged = true;
      break;
    }
    if (!accepted) {
      if (freshHessian) break;
      resetHessian();
      freshHessian = true;
      continue;
    }
    // BFGS update of B with s = x⁺ − x, y = g⁺ − g.
    let sy = 0;
    let sBs = 0;
    for (let i = 0; i < n; i++) {
      s[i] = (xt[i] as number) - (x[i] as number);
      y[i] = (gt[i] as number) - (g[i] as number);
      sy += (s[i] as number) * (y[i] as number);
    }
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += (B[i * n + j] as number) * (s[j] as number);
      Bs[i] = v;
      sBs += (s[i] as number) * v;
    }
    const fDrop = f - ft;
    x.set(xt);
    g.set(gt);
    f = ft;
    freshHessian = false;
    if (sy > 1e-12 * sBs && sBs > 0) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          B[i * n + j] =
            (B[i * n + j] as number) -
            ((Bs[i] as number) * (Bs[j] as number)) / sBs +
            ((y[i] as number) * (y[j] as number)) / sy;
        }
      }
    }
    if (fDrop === 0 && !pressing) {
      converged = decrement <= 1e3 * decrementTol;
      break;
    }
  }
  return { x, f, iterations, evaluations, converged };
}

/**
 * Hessian by central differences of an analytic gradient (Dennis & Schnabel 1983, §5.6, the
 * gradient form; R's `optimHess` with `gr`): column j is `(∇f(x + hⱼeⱼ) − ∇f(x − hⱼeⱼ))/(2hⱼ)`,
 * `hⱼ = relativeStep · max(|xⱼ|, minStepScale)` (defaults 1e-4, 1e-2), then symmetrised
 * `(H + Hᵀ)/2`. 2n gradient evaluations. Row-major n × n.
 *
 * @example gradientHessian((x, g) => { g[0] = 6 * (x[0] as number); }, [1]) // [6]
 */
export function gradientHessian(
  gradient: (x: Float64Array, out: Float64Array) => void,
  x: ArrayLike<number>,
  options: { readonly relativeStep?: number; readonly minStepScale?: number } = {},
): Float64Array {
  const n = x.length;
  const rel = options.relativeStep ?? 1e-4;
  const floor = options.minStepScale ?? 1e-2;
  const p = new Float64Array(n);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const H = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const h = rel * Math.max(Math.abs(x[j] as number), floor);
    p.set(x as ArrayLike<number>);
    p[j] = (x[j] as number) + h;
    gradient(p, up);
    p[j] = (x[j] as number) - h;
    gradient(p, down);
    for (let i = 0; i < n; i++) H[i * n + j] = ((up[i] as number) - (down[i] as number)) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * ((H[i * n + j] as number) + (H[j * n + i] as number));
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

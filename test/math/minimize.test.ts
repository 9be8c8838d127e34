/**
 * The projected quasi-Newton method and the gradient Hessian of src/math/minimize.ts, on test
 * functions with published minima: Rosenbrock (H. H. Rosenbrock, *Comput. J.* 3, 1960; minimum
 * f(1, 1) = 0, start (−1.2, 1)) and Beale (problem 5 of J. J. Moré, B. S. Garbow & K. E. Hillstrom,
 * "Testing unconstrained optimization software", *ACM TOMS* 7(1), 1981: minimum f(3, ½) = 0, start
 * (1, 1)); bound-constrained optima checked by their KKT conditions.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { gradientHessian, interiorPoint, nelderMead, projectedQuasiNewton } from "../../src/math/minimize.js";
import { assertNear, assertRel } from "../helpers/close.js";

/** Rosenbrock's function and its gradient. */
function rosenbrock(x: Float64Array, g: Float64Array): number {
  const a = x[0] as number;
  const b = x[1] as number;
  g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
  g[1] = 200 * (b - a * a);
  return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
}

/** Beale's function (Moré, Garbow & Hillstrom 1981, problem 5) and its gradient. */
function beale(x: Float64Array, g: Float64Array): number {
  const a = x[0] as number;
  const b = x[1] as number;
  const t1 = 1.5 - a + a * b;
  const t2 = 2.25 - a + a * b * b;
  const t3 = 2.625 - a + a * b ** 3;
  g[0] = 2 * t1 * (b - 1) + 2 * t2 * (b * b - 1) + 2 * t3 * (b ** 3 - 1);
  g[1] = 2 * t1 * a + 2 * t2 * 2 * a * b + 2 * t3 * 3 * a * b * b;
  return t1 * t1 + t2 * t2 + t3 * t3;
}

describe("projectedQuasiNewton", () => {
  it("Rosenbrock from (−1.2, 1): minimum (1, 1), f = 0", () => {
    const r = projectedQuasiNewton(rosenbrock, [-1.2, 1], { decrementTolerance: 1e-20 });
    assert.ok(r.converged);
    assertNear(r.x[0], 1, 1e-7, "x");
    assertNear(r.x[1], 1, 1e-7, "y");
    assert.ok(r.f < 1e-14, `f ${r.f}`);
    // A gradient method needs far fewer evaluations than the simplex's ~200 on this problem.
    assert.ok(r.evaluations < 120, `evaluations ${r.evaluations}`);
  });

  it("Beale from (1, 1): minimum (3, ½), f = 0 (Moré–Garbow–Hillstrom problem 5)", () => {
    const r = projectedQuasiNewton(beale, [1, 1], { decrementTolerance: 1e-22 });
    assert.ok(r.converged);
    assertNear(r.x[0], 3, 1e-6, "x");
    assertNear(r.x[1], 0.5, 1e-6, "y");
  });

  it("Rosenbrock with x ≤ 0.5 stops on the bound at (0.5, 0.25), f = 0.25", () => {
    // With x fixed at 0.5 the best y is x² = 0.25 and f = (1 − x)² = 0.25; ∂f/∂x = −1 < 0 there.
    const r = projectedQuasiNewton(rosenbrock, [-1.2, 1], {
      bounds: { lower: [-2, -1], upper: [0.5, 2] },
      decrementTolerance: 1e-20,
    });
    assert.ok(r.converged);
    assert.equal(r.x[0], 0.5);
    assertNear(r.x[1], 0.25, 1e-8, "y");
    assertNear(r.f, 0.25, 1e-12, "f");
  });

  it("meets the KKT conditions of random convex quadratics in random boxes (property)", () => {
    const coefficient = fc.double({ min: -3, max: 3, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(coefficient, { minLength: 9, maxLength: 9 }),
        fc.array(coefficient, { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: -2, max: 0, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: 0.1, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (m, b, lower, width) => {
          // A = MᵀM + I (positive definite), f = ½xᵀAx − bᵀx, box [l, l + w].
          const A = new Float64Array(9);
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 3; j++) {
              let v = i === j ? 1 : 0;
              for (let k = 0; k < 3; k++) v += (m[k * 3 + i] as number) * (m[k * 3 + j] as number);
              A[i * 3 + j] = v;
            }
          const grad = (x: Float64Array, g: Float64Array): number => {
            let f = 0;
            for (let i = 0; i < 3; i++) {
              let v = -(b[i] as number);
              for (let j = 0; j < 3; j++) v += (A[i * 3 + j] as number) * (x[j] as number);
              g[i] = v;
              f += (x[i] as number) * (0.5 * (v + (b[i] as number)) - (b[i] as number));
            }
            return f;
          };
          const upper = lower.map((l, i) => l + (width[i] as number));
          const x0 = lower.map((l, i) => l + 0.5 * (width[i] as number));
          const r = projectedQuasiNewton(grad, x0, { bounds: { lower, upper }, decrementTolerance: 1e-24 });
          const g = new Float64Array(3);
          grad(r.x, g);
          for (let i = 0; i < 3; i++) {
            const x = r.x[i] as number;
            const gi = g[i] as number;
            assert.ok(x >= (lower[i] as number) && x <= (upper[i] as number), `x${i} ${x} outside the box`);
            if (x === lower[i]) assert.ok(gi >= -1e-7, `g${i} ${gi} at lower bound`);
            else if (x === upper[i]) assert.ok(gi <= 1e-7, `g${i} ${gi} at upper bound`);
            else assert.ok(Math.abs(gi) < 1e-6, `g${i} ${gi} inside`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("treats non-finite values as outside the domain (backtracks)", () => {
    // f = x − ln x on x > 0 (NaN for x ≤ 0): minimum at x = 1; a full step from 5 lands below 0.
    const f = (x: Float64Array, g: Float64Array): number => {
      const v = x[0] as number;
      g[0] = 1 - 1 / v;
      return v - Math.log(v);
    };
    const r = projectedQuasiNewton(f, [5], { decrementTolerance: 1e-20 });
    assertNear(r.x[0], 1, 1e-8, "x");
  });

  it("is deterministic and rejects a start outside the box", () => {
    const a = projectedQuasiNewton(rosenbrock, [-1.2, 1]);
    const b = projectedQuasiNewton(rosenbrock, [-1.2, 1]);
    assert.deepEqual(Array.from(a.x), Array.from(b.x));
    assert.equal(a.evaluations, b.evaluations);
    assert.throws(
      () => projectedQuasiNewton(rosenbrock, [1, 3], { bounds: { lower: [0, 0], upper: [2, 2] } }),
      InputError,
    );
    assert.throws(
      () => projectedQuasiNewton(rosenbrock, [1, 1], { bounds: { lower: [0, 2], upper: [2, 1] } }),
      InputError,
    );
  });

  it("stops at the iteration cap without claiming convergence", () => {
    const r = projectedQuasiNewton(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    assert.equal(r.converged, false);
    assert.equal(r.iterations, 3);
  });
});

describe("gradientHessian", () => {
  it("Rosenbrock's Hessian at (1, 1) is [[802, −400], [−400, 200]]", () => {
    const H = gradientHessian((x, g) => rosenbrock(x, g), [1, 1]);
    assertRel(H[0], 802, 1e-7, "H00");
    assertRel(H[1], -400, 1e-7, "H01");
    assertRel(H[2], -400, 1e-7, "H10");
    assertRel(H[3], 200, 1e-7, "H11");
  });
});

describe("interiorPoint", () => {
  it("moves points on or past a bound strictly inside, and leaves interior points alone", () => {
    const bounds = { lower: [0, 2, Number.NEGATIVE_INFINITY], upper: [100, Number.POSITIVE_INFINITY, 5] };
    const x = interiorPoint([100, 2, 7], bounds);
    assert.ok((x[0] as number) < 100 && (x[0] as number) > 99.99);
    assert.ok((x[1] as number) > 2 && (x[1] as number) < 2.001);
    assert.ok((x[2] as number) < 5);
    assert.deepEqual(interiorPoint([50, 3, 1], bounds), [50, 3, 1]);
  });
  it("lets a search restart from an optimum on the bound (which nelderMead refuses as x0)", () => {
    const bounds = { lower: [0], upper: [1] };
    const f = (x: Float64Array) => -(x[0] as number);
    const first = nelderMead(f, [0.5], { bounds });
    assert.throws(() => nelderMead(f, [1], { bounds }), InputError);
    const again = nelderMead(f, interiorPoint(first.x, bounds), { bounds });
    assert.ok((again.x[0] as number) > 0.999);
  });
});

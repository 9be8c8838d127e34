/** Cholesky factor: the Golub & Van Loan worked case, reconstruction property, rejection of non-PD. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { choleskyFactor } from "../../src/math/linalg.js";

describe("choleskyFactor", () => {
  it("factors [[4, 2], [2, 3]] as [[2, 0], [1, √2]] and rejects a singular matrix", () => {
    assert.deepEqual(Array.from(choleskyFactor([4, 2, 2, 3], 2) ?? []), [2, 0, 1, Math.SQRT2]);
    assert.equal(choleskyFactor([1, 1, 1, 1], 2), undefined);
    assert.equal(choleskyFactor([1, 2, 2, 1], 2), undefined);
  });
  it("L Lᵀ reproduces B Bᵀ + I for random B (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 16, maxLength: 16 }),
        (b) => {
          const n = 4;
          const a = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = i === j ? 1 : 0;
              for (let k = 0; k < n; k++) s += (b[i * n + k] as number) * (b[j * n + k] as number);
              a[i * n + j] = s;
            }
          const l = choleskyFactor(a, n);
          if (l === undefined) return false;
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let k = 0; k < n; k++) s += (l[i * n + k] as number) * (l[j * n + k] as number);
              if (
                Math.abs(s - (a[i * n + j] as number)) >
                1e-12 * Math.max(1, Math.abs(a[i * n + j] as number))
              )
                return false;
            }
          return true;
        },
      ),
    );
  });
});

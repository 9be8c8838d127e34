/**
 * Small dense linear algebra on row-major `Float64Array`s, for the covariance and correlation
 * matrices of the risk and simulation layers (a handful of assets, so no blocking or pivoting).
 */

/**
 * Lower Cholesky factor L of a symmetric positive-definite n×n matrix A (row-major), `L Lᵀ = A`,
 * by the Cholesky–Banachiewicz order (Golub & Van Loan, *Matrix Computations*, 4th ed., Alg.
 * 4.2.1, row-oriented). Only the lower triangle of A is read. Returns `undefined` when a pivot is
 * not positive (A not positive definite, e.g. collinear assets); callers turn that into an error
 * naming their own field.
 *
 * @example choleskyFactor([4, 2, 2, 3], 2) // [2, 0, 1, √2]
 */
export function choleskyFactor(
  a: ArrayLike<number>,
  n: number,
  out = new Float64Array(n * n),
): Float64Array | undefined {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (out[i * n + k] as number) * (out[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        out[i * n + i] = Math.sqrt(s);
      } else out[i * n + j] = s / (out[j * n + j] as number);
    }
  }
  return out;
}

/** Solves L Lᵀ x = b in place (b becomes x). */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let v = b[i] as number;
    for (let k = 0; k < i; k++) v -= (L[i * n + k] as number) * (b[k] as number);
    b[i] = v / (L[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = b[i] as number;
    for (let k = i + 1; k < n; k++) v -= (L[k * n + i] as number) * (b[k] as number);
    b[i] = v / (L[i * n + i] as number);
  }
}

/**
 * Inverse of a symmetric positive-definite n × n matrix (row-major) by Cholesky; `undefined`
 * when the matrix is not positive definite.
 */
export function invertSpd(a: ArrayLike<number>, n: number): Float64Array | undefined {
  const L = choleskyFactor(a, n);
  if (L === undefined) return undefined;
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

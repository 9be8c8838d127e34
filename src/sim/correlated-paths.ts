/**
 * Log returns of k correlated assets on a uniform grid, for Monte Carlo of a market of several
 * assets (the lending market, src/sim/venue/lending-simulation.ts). Per step k and asset i:
 * `r_{k,i} = (μᵢ − σᵢ²/2)Δ + σᵢ√Δ·y_{k,i}`, with `y_k = L z_k`, L the lower Cholesky factor of the
 * correlation matrix R (`L Lᵀ = R`, Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 4.2.1)
 * and z_k
 * - independent standard normals (a Gaussian copula with normal margins: GBM per asset), or
 * - for Student-t innovations, one ν common to all assets: the multivariate t with unit variances,
 *   `y_k = L z_k·√((ν − 2)/W_k)`, W_k ~ χ²_ν shared by the assets in the step (the t-copula with
 *   t_ν margins: a large move of one asset comes with large moves of the others; McNeil, Frey &
 *   Embrechts, *Quantitative Risk Management*, 2015, §6.2.3), drawn as `L V_k √((ν − 2)/ν)` with
 *   V_k the spherical t_ν of {@link SphericalTSampler} (the same law, without the χ² draw).
 * For ν > 2 the covariance of y is R in both cases, so R is the correlation of the returns and σᵢ
 * their annualised volatility. A per-asset ν (a t-copula with margins of their own) is not offered:
 * a shared χ² with different ν per margin needs a quantile transform per draw.
 *
 * A spec is plain data ({@link CorrelatedModelSpec}); {@link CorrelatedPathGenerator} allocates its
 * scratch once and fills a caller's step-major array per path (no allocation per path or step).
 */
import { InputError } from "../errors.js";
import { choleskyFactor } from "../math/linalg.js";
import { normalSampler, SphericalTSampler, type Xoshiro128 } from "../math/random.js";
import { readNumber } from "../validate.js";
import { gridStep, type TimeGrid } from "./models.js";

/** k assets: their annual volatilities and drifts, the correlation of their shocks and the innovations. */
export interface CorrelatedModelSpec {
  /** σᵢ per asset, annualised, as a fraction (0 for a constant price, e.g. a stablecoin). */
  readonly annualVol: readonly number[];
  /** μᵢ per asset, annualised price drift (default 0 for every asset). */
  readonly annualDrift?: readonly number[];
  /** Correlation matrix of the shocks: k × k, symmetric, unit diagonal, positive definite. */
  readonly correlation: readonly (readonly number[])[];
  /** Normal shocks, or the multivariate Student-t with one ν > 2 for all assets (unit variances). */
  readonly innovations: { readonly kind: "normal" } | { readonly kind: "student-t"; readonly nu: number };
}

/**
 * The Cholesky factor (row-major, {@link choleskyFactor}) of a correlation matrix given as rows,
 * after checking that it is square and symmetric; errors name `field` and the entry.
 */
export function correlationFactor(
  matrix: readonly (readonly number[])[],
  field = "correlation",
): Float64Array {
  const n = matrix.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (row === undefined || row.length !== n) {
      throw new InputError(`${field}[${i}]`, row, `must have ${n} entries`, "Pass a square matrix.");
    }
    for (let j = 0; j < n; j++) {
      const aij = readNumber(row[j], `${field}[${i}][${j}]`, {});
      if (j < i && Math.abs(aij - (matrix[j]?.[i] ?? Number.NaN)) > 1e-12) {
        throw new InputError(`${field}[${i}][${j}]`, aij, "breaks symmetry", "Pass a symmetric matrix.");
      }
      a[i * n + j] = aij;
    }
  }
  const l = choleskyFactor(a, n);
  if (l === undefined)
    throw new InputError(field, matrix, "is not positive definite", "Pass a valid correlation matrix.");
  return l;
}

/**
 * The Cholesky factor of a k × k correlation matrix ({@link correlationFactor}), checking also its
 * size and its unit diagonal; errors name `field` (`correlation[2][2]`).
 */
export function correlationMatrixFactor(
  matrix: readonly (readonly number[])[],
  k: number,
  field = "correlation",
): Float64Array {
  if (!Array.isArray(matrix) || matrix.length !== k) {
    throw new InputError(field, matrix, `must be ${k}×${k}`, "Pass one row per asset.");
  }
  const l = correlationFactor(matrix, field);
  for (let i = 0; i < k; i++) {
    if (Math.abs((matrix[i]?.[i] ?? 0) - 1) > 1e-12) {
      throw new InputError(`${field}[${i}][${i}]`, matrix[i]?.[i], "must be 1", "Pass correlations.");
    }
  }
  return l;
}

/** Fills one path of k assets' log returns per call; scratch allocated once. */
export class CorrelatedPathGenerator {
  readonly assets: number;
  readonly steps: number;
  readonly dtYears: number;
  /** The lower Cholesky factor of the correlation matrix (row-major k × k). */
  readonly factor: Float64Array;
  private readonly drift: Float64Array;
  private readonly stepVol: Float64Array;
  /** √((ν − 2)/ν) for Student-t shocks, 1 for normal ones. */
  private readonly mix: number;
  private readonly spherical: SphericalTSampler | undefined;
  private readonly normal = normalSampler();
  private readonly shocks: Float64Array;

  /** @throws InputError naming the field (`annualVol[1]`, `correlation[0][2]`, `innovations.nu`, `grid.steps`). */
  constructor(spec: CorrelatedModelSpec, grid: TimeGrid) {
    const dt = gridStep(grid);
    this.steps = grid.steps;
    this.dtYears = dt;
    const vols = spec.annualVol;
    if (!Array.isArray(vols) || vols.length === 0) {
      throw new InputError("annualVol", vols, "must list one volatility per asset", "e.g. [0.6, 0.45, 0].");
    }
    const k = vols.length;
    this.assets = k;
    if (spec.annualDrift !== undefined && spec.annualDrift.length !== k) {
      throw new InputError(
        "annualDrift",
        spec.annualDrift,
        `must list ${k} drifts`,
        "One per asset, or leave it out.",
      );
    }
    this.factor = correlationMatrixFactor(spec.correlation, k);
    this.drift = new Float64Array(k);
    this.stepVol = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      const sigma = readNumber(vols[i], `annualVol[${i}]`, {
        min: 0,
        fix: "Pass an annualised volatility as a fraction, e.g. 0.6.",
      });
      const mu = readNumber(spec.annualDrift?.[i] ?? 0, `annualDrift[${i}]`, {
        fix: "Pass a fraction per year.",
      });
      this.drift[i] = (mu - 0.5 * sigma * sigma) * dt;
      this.stepVol[i] = sigma * Math.sqrt(dt);
    }
    const inn = spec.innovations;
    if (inn?.kind === "normal") {
      this.mix = 1;
      this.spherical = undefined;
    } else if (inn?.kind === "student-t") {
      const nu = readNumber(inn.nu, "innovations.nu", {
        min: 2,
        exclusiveMin: true,
        fix: "Pass ν > 2 (unit-variance shocks need a finite variance).",
      });
      this.mix = Math.sqrt((nu - 2) / nu);
      this.spherical = new SphericalTSampler(nu, k);
    } else {
      throw new InputError(
        "innovations.kind",
        (inn as { kind?: unknown } | undefined)?.kind,
        'must be "normal" or "student-t"',
        'Give { "kind": "normal" } or { "kind": "student-t", "nu": 4 }.',
      );
    }
    this.shocks = new Float64Array(this.steps * k);
  }

  /**
   * Writes one path's log returns into `out` (length steps × k, step-major: asset i of step s at
   * `s·k + i`): `r = drift + σ√Δ·(L z)·mix` from fresh shocks of `rng`.
   */
  next(rng: Xoshiro128, out: Float64Array): void {
    const { assets: k, steps, factor, drift, stepVol, shocks, mix } = this;
    if (out.length !== steps * k) {
      throw new RangeError(
        `CorrelatedPathGenerator.next: out has ${out.length} entries, not ${steps} × ${k}.`,
      );
    }
    if (this.spherical === undefined) this.normal.fill(rng, shocks);
    else this.spherical.fill(rng, shocks);
    for (let s = 0; s < steps; s++) {
      const row = s * k;
      for (let i = 0; i < k; i++) {
        let y = 0;
        for (let j = 0; j <= i; j++) y += (factor[i * k + j] as number) * (shocks[row + j] as number);
        out[row + i] = (drift[i] as number) + (stepVol[i] as number) * (y * mix);
      }
    }
  }
}

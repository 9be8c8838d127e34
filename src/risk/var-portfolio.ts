/**
 * Portfolio VaR and ES of linear positions on correlated assets (shared/research/quant.md §3.5):
 * historical simulation on joint rows of aligned returns, delta-normal with Euler (component and
 * marginal) contributions, and Monte Carlo through the Cholesky factor of the covariance with
 * normal or multivariate Student-t shocks.
 *
 * A position is `quantity × price` in one quote currency (its value v_i, negative for a short).
 * Scenario P&L: simple returns `Σ v_i R_i`; log returns are revalued in full,
 * `Σ v_i (e^{R_i} − 1)`. Loss = −P&L, in quote currency. The delta-normal model is linear in the
 * returns (`P&L ≈ Σ v_i R_i`) whatever their kind.
 */
import { InputError } from "../errors.js";
import { choleskyFactor } from "../math/linalg.js";
import { readChoice, readNumber, readString } from "../validate.js";
import {
  aggregateReturns,
  type QuantileRule,
  type ReturnKind,
  readConfidence,
  readHorizon,
  readReturns,
  sortedQuantile,
  sortedTailMean,
  type VarOptions,
  type VarResult,
} from "./var.js";
import { batchStandardErrors, quantileAndTail, VariateStream } from "./var-monte-carlo.js";
import { standardNormalVarEs } from "./var-parametric.js";

/** A linear position: value `quantity × price` in the quote currency. */
export interface PortfolioPosition {
  readonly asset: string;
  /** Units held; negative for a short. */
  readonly quantity: number;
  /** Price per unit in the quote currency (> 0). */
  readonly price: number;
}

/** Position values v_i = quantity × price. */
function positionValues(positions: readonly PortfolioPosition[]): Float64Array {
  if (!Array.isArray(positions) || positions.length === 0) {
    throw new InputError("positions", positions, "must be a non-empty array", "Pass at least one position.");
  }
  const v = new Float64Array(positions.length);
  positions.forEach((p, i) => {
    readString(p.asset, `positions[${i}].asset`);
    const q = readNumber(p.quantity, `positions[${i}].quantity`);
    const price = readNumber(p.price, `positions[${i}].price`, {
      min: 0,
      exclusiveMin: true,
      fix: "Pass a price > 0.",
    });
    v[i] = q * price;
  });
  return v;
}

function readMatrix(returns: readonly ArrayLike<number>[], k: number, minimum: number): Float64Array[] {
  if (!Array.isArray(returns) || returns.length !== k) {
    throw new InputError(
      "returns",
      returns?.length,
      `must hold one return series per position (${k})`,
      "Pass aligned series.",
    );
  }
  const cols = returns.map((r, i) => readReturns(r, minimum, `returns[${i}]`));
  const n = (cols[0] as Float64Array).length;
  cols.forEach((c, i) => {
    if (c.length !== n) {
      throw new InputError(
        `returns[${i}]`,
        c.length,
        `must have ${n} entries like returns[0]`,
        "Align the series on common bars.",
      );
    }
  });
  return cols;
}

/** Options of {@link portfolioHistoricalVar}. */
export interface PortfolioHistoricalOptions extends VarOptions {
  readonly returnKind?: ReturnKind;
  readonly quantileRule?: QuantileRule;
}

/**
 * Historical-simulation portfolio VaR/ES: each joint row t of the aligned returns (h-bar
 * overlapping for h > 1) is a scenario, loss_t = −Σ v_i·g(R_{i,t}) with g(R) = R (simple) or
 * e^R − 1 (log). Correlation is whatever the joint history holds.
 */
export function portfolioHistoricalVar(
  positions: readonly PortfolioPosition[],
  returns: readonly ArrayLike<number>[],
  options: PortfolioHistoricalOptions,
): VarResult<{ scenarios: number; quantileRule: QuantileRule }> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const kind = readChoice(options.returnKind ?? "log", "returnKind", ["log", "simple"] as const);
  const rule = readChoice(options.quantileRule ?? "type7", "quantileRule", ["type7", "kth-worst"] as const);
  const v = positionValues(positions);
  const cols = readMatrix(returns, v.length, h + 1).map((c) => (h === 1 ? c : aggregateReturns(c, h, kind)));
  const n = (cols[0] as Float64Array).length;
  const losses = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let pnl = 0;
    for (let i = 0; i < v.length; i++) {
      const r = (cols[i] as Float64Array)[t] as number;
      pnl += (v[i] as number) * (kind === "log" ? Math.expm1(r) : r);
    }
    losses[t] = -pnl;
  }
  losses.sort();
  const x = sortedQuantile(losses, q, rule);
  return {
    var: x,
    es: sortedTailMean(losses, x).mean,
    method: "historical",
    confidence: q,
    horizon: h,
    diagnostics: { scenarios: n, quantileRule: rule },
  };
}

/** Sample means and covariance (n − 1) of aligned return series. */
function meanAndCovariance(cols: readonly Float64Array[]): {
  mean: Float64Array;
  covariance: Float64Array;
} {
  const k = cols.length;
  const n = (cols[0] as Float64Array).length;
  const mean = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const c = cols[i] as Float64Array;
    let s = 0;
    for (let t = 0; t < n; t++) s += c[t] as number;
    mean[i] = s / n;
  }
  const covariance = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const a = cols[i] as Float64Array;
      const b = cols[j] as Float64Array;
      const ma = mean[i] as number;
      const mb = mean[j] as number;
      let s = 0;
      for (let t = 0; t < n; t++) s += ((a[t] as number) - ma) * ((b[t] as number) - mb);
      covariance[i * k + j] = s / (n - 1);
      covariance[j * k + i] = s / (n - 1);
    }
  }
  return { mean, covariance };
}

/** Options of {@link portfolioNormalVar}. */
export interface PortfolioNormalOptions extends VarOptions {
  /** Treat expected returns as zero; default false. */
  readonly zeroMean?: boolean;
}

/** Diagnostics of {@link portfolioNormalVar}: Euler allocation per position. */
export interface PortfolioNormalDiagnostics {
  /** Standard deviation of the one-bar P&L, √(vᵀΣv). */
  readonly pnlSd: number;
  /** ∂VaR/∂v_i. */
  readonly marginalVar: Float64Array;
  /** v_i ∂VaR/∂v_i; they sum to VaR. */
  readonly componentVar: Float64Array;
  readonly componentEs: Float64Array;
}

/**
 * Delta-normal portfolio VaR/ES (RiskMetrics 1996; Jorion, *Value at Risk*, ch. 7):
 * `σ_P = √(vᵀΣv)`, `VaR = −h vᵀμ + √h z_q σ_P`, `ES = −h vᵀμ + √h σ_P φ(z_q)/(1−q)`.
 * Euler contributions (VaR is homogeneous of degree 1 in v): marginal
 * `∂VaR/∂v_i = −hμ_i + √h z_q (Σv)_i/σ_P`, component `v_i ∂VaR/∂v_i`, summing to VaR; the same
 * with φ(z_q)/(1−q) for ES.
 */
export function portfolioNormalVar(
  positions: readonly PortfolioPosition[],
  returns: readonly ArrayLike<number>[],
  options: PortfolioNormalOptions,
): VarResult<PortfolioNormalDiagnostics> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const v = positionValues(positions);
  const k = v.length;
  const { mean, covariance } = meanAndCovariance(readMatrix(returns, k, 2));
  if (options.zeroMean === true) mean.fill(0);
  const sv = new Float64Array(k);
  let variance = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += (covariance[i * k + j] as number) * (v[j] as number);
    sv[i] = s;
    variance += (v[i] as number) * s;
    expected += (v[i] as number) * (mean[i] as number);
  }
  const sd = Math.sqrt(Math.max(variance, 0));
  const std = standardNormalVarEs(q);
  const root = Math.sqrt(h);
  const marginalVar = new Float64Array(k);
  const componentVar = new Float64Array(k);
  const componentEs = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const beta = sd > 0 ? (sv[i] as number) / sd : 0;
    marginalVar[i] = -h * (mean[i] as number) + root * std.var * beta;
    componentVar[i] = (v[i] as number) * (marginalVar[i] as number);
    componentEs[i] = (v[i] as number) * (-h * (mean[i] as number) + root * std.es * beta);
  }
  return {
    var: -h * expected + root * std.var * sd,
    es: -h * expected + root * std.es * sd,
    method: "normal",
    confidence: q,
    horizon: h,
    diagnostics: { pnlSd: sd, marginalVar, componentVar, componentEs },
  };
}

/** Options of {@link portfolioMonteCarloVar}. */
export interface PortfolioMonteCarloOptions extends VarOptions {
  /** Default 100,000. */
  readonly paths?: number;
  readonly seed: number;
  /** Shock law: normal, or multivariate t with ν > 2 scaled to the sample covariance. */
  readonly shocks?: { readonly kind: "normal" } | { readonly kind: "student-t"; readonly nu: number };
  readonly returnKind?: ReturnKind;
}

/**
 * Monte Carlo portfolio VaR/ES: per bar `R = μ + L Z` (normal) or `R = μ + L Z √((ν−2)/W)`,
 * W ~ χ²_ν shared by all assets (multivariate t with covariance Σ), L = chol(Σ) of the sample
 * covariance; h bars are summed (log) or compounded (simple), then revalued as in
 * {@link portfolioHistoricalVar}. Batch-means standard errors as in monteCarloVar.
 */
export function portfolioMonteCarloVar(
  positions: readonly PortfolioPosition[],
  returns: readonly ArrayLike<number>[],
  options: PortfolioMonteCarloOptions,
): VarResult<{ seed: number; paths: number; standardErrorVar: number; standardErrorEs: number }> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const kind = readChoice(options.returnKind ?? "log", "returnKind", ["log", "simple"] as const);
  const paths = readNumber(options.paths ?? 100_000, "paths", {
    min: 1000,
    fix: "Pass at least 1000 paths.",
  });
  const shocks = options.shocks ?? { kind: "normal" };
  const nu =
    shocks.kind === "student-t" ? readNumber(shocks.nu, "shocks.nu", { min: 2, exclusiveMin: true }) : 0;
  const v = positionValues(positions);
  const k = v.length;
  const { mean, covariance } = meanAndCovariance(readMatrix(returns, k, 3));
  const l = choleskyFactor(covariance, k);
  if (l === undefined)
    throw new InputError("covariance", covariance, "is not positive definite", "Drop collinear assets.");
  const stream = new VariateStream(options.seed);
  const z = new Float64Array(k);
  const total = new Float64Array(k);
  const losses = new Float64Array(paths);
  for (let p = 0; p < paths; p++) {
    total.fill(kind === "log" ? 0 : 1);
    for (let step = 0; step < h; step++) {
      for (let i = 0; i < k; i++) z[i] = stream.normal();
      const scale = nu > 0 ? Math.sqrt((nu - 2) / stream.chiSquare(nu)) : 1;
      for (let i = 0; i < k; i++) {
        let x = 0;
        for (let j = 0; j <= i; j++) x += (l[i * k + j] as number) * (z[j] as number);
        const r = (mean[i] as number) + scale * x;
        total[i] = kind === "log" ? (total[i] as number) + r : (total[i] as number) * (1 + r);
      }
    }
    let pnl = 0;
    for (let i = 0; i < k; i++) {
      const t = total[i] as number;
      pnl += (v[i] as number) * (kind === "log" ? Math.expm1(t) : t - 1);
    }
    losses[p] = -pnl;
  }
  const est = quantileAndTail(losses, q);
  const se = batchStandardErrors(losses, q);
  return {
    var: est.var,
    es: est.es,
    method: "monte-carlo",
    confidence: q,
    horizon: h,
    diagnostics: { seed: options.seed, paths, standardErrorVar: se.var, standardErrorEs: se.es },
  };
}

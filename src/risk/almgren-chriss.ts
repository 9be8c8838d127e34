/**
 * Almgren–Chriss optimal liquidation, discrete time, linear impact.
 *
 * Almgren, R. and Chriss, N. (2000), "Optimal execution of portfolio transactions", Journal of
 * Risk 3(2), 5–39, §2–3: sell X shares over T in N periods of τ = T/N; the holdings after period j
 * are x_j (x_0 = X, x_N = 0) and n_j = x_{j−1} − x_j is sold in period j. With temporary impact
 * `h(v) = ε sgn(v) + η v` (v = n/τ) and permanent impact `g(v) = γ v`, arithmetic Brownian price
 * with volatility σ (price units per √time):
 * - `E = ½γX² + ε Σ|n_j| + (η̃/τ) Σ n_j²`, with `η̃ = η − γτ/2`;
 * - `V = σ² Σ_{j=1..N} τ x_j²`;
 * - the mean–variance optimum `min E + λV` is `x_j = X sinh(κ(T − t_j)) / sinh(κT)`, where
 *   `κ̃² = λσ²/η̃` and κ solves `cosh(κτ) = 1 + κ̃²τ²/2`; λ → 0 gives the straight line
 *   `x_j = X(1 − j/N)`.
 * Worked numbers (shared/research/quant.md §5 R11, inputs from AC 2000 §3): X = 10⁶, T = 5 d, N = 5,
 * σ = 0.95, ε = 0.0625, γ = 2.5e-7, η = 2.5e-6: E = $662,500 at λ → 0; κ = 0.6071/day at λ = 1e-6.
 */
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";

/** Inputs of the model (time in one unit throughout, e.g. days). */
export interface AlmgrenChrissParams {
  /** Shares (units) to sell, X > 0. */
  readonly shares: number;
  /** Horizon T. */
  readonly horizon: number;
  /** Number of periods N (τ = T/N). */
  readonly periods: number;
  /** Volatility σ, price units per √time (AC: 0.95 $/share/√day for 30 %/yr at $50). */
  readonly sigma: number;
  /** Fixed temporary cost ε per share (half spread plus fees). */
  readonly epsilon: number;
  /** Temporary impact η, price per (share per unit time). */
  readonly eta: number;
  /** Permanent impact γ, price per share. */
  readonly gamma: number;
  /** Risk aversion λ (1/price units); 0 for the risk-neutral straight line. */
  readonly lambda: number;
}

/** A trajectory with its expected cost and variance. */
export interface ExecutionCost {
  /** Holdings x_0 … x_N. */
  readonly holdings: Float64Array;
  /** Sales n_1 … n_N. */
  readonly trades: Float64Array;
  /** Expected implementation shortfall E (price units × shares, e.g. $). */
  readonly expectedCost: number;
  /** Variance V of the shortfall. */
  readonly variance: number;
  /** √V. */
  readonly sd: number;
}

/** The optimal trajectory and its parameters. */
export interface AlmgrenChrissSolution extends ExecutionCost {
  readonly tau: number;
  /** η̃ = η − γτ/2. */
  readonly etaTilde: number;
  /** κ, per unit time (0 when λ = 0). */
  readonly kappa: number;
  /** Half-life 1/κ of the trade (∞ when λ = 0). */
  readonly halfLife: number;
}

/** The mean–variance optimal trajectory of Almgren–Chriss (2000), discrete-time solution (module comment). */
export function almgrenChriss(params: AlmgrenChrissParams): AlmgrenChrissSolution {
  const p = check(params);
  const tau = p.horizon / p.periods;
  const etaTilde = p.eta - (p.gamma * tau) / 2;
  if (!(etaTilde > 0)) {
    throw new InputError(
      "eta",
      p.eta,
      `gives η̃ = η − γτ/2 = ${etaTilde} ≤ 0, for which the problem has no convex solution`,
      "Use a larger temporary impact η or more periods (smaller τ).",
    );
  }
  const kappaTilde2 = (p.lambda * p.sigma * p.sigma) / etaTilde;
  const kappa = Math.acosh(1 + (kappaTilde2 * tau * tau) / 2) / tau;
  const holdings = new Float64Array(p.periods + 1);
  for (let j = 0; j <= p.periods; j++) {
    const t = j * tau;
    holdings[j] =
      kappa === 0
        ? p.shares * (1 - j / p.periods)
        : (p.shares * Math.sinh(kappa * (p.horizon - t))) / Math.sinh(kappa * p.horizon);
  }
  holdings[p.periods] = 0;
  const cost = executionCost(p, holdings);
  return { ...cost, tau, etaTilde, kappa, halfLife: kappa === 0 ? Number.POSITIVE_INFINITY : 1 / kappa };
}

/**
 * Expected cost and variance of any trajectory `holdings` = x_0 … x_N (x_0 = X, x_N = 0) under the
 * same model: `E = ½γX² + εΣ|n_j| + (η̃/τ)Σn_j²`, `V = σ²τ Σ_{j≥1} x_j²` (AC 2000, §2).
 * Selling everything in the first period (`[X, 0, …, 0]`) gives `E = ½γX² + εX + η̃X²/τ`, V = 0.
 */
export function executionCost(params: AlmgrenChrissParams, holdings: ArrayLike<number>): ExecutionCost {
  const p = check(params);
  if (holdings.length !== p.periods + 1) {
    throw new InputError(
      "holdings",
      holdings.length,
      `has ${holdings.length} entries for ${p.periods} periods`,
      "Pass x_0 … x_N (periods + 1 entries).",
    );
  }
  const tau = p.horizon / p.periods;
  const etaTilde = p.eta - (p.gamma * tau) / 2;
  const x0 = holdings[0] as number;
  const trades = new Float64Array(p.periods);
  let absSum = 0;
  let sqSum = 0;
  let variance = 0;
  for (let j = 1; j <= p.periods; j++) {
    const x = holdings[j] as number;
    const n = (holdings[j - 1] as number) - x;
    trades[j - 1] = n;
    absSum += Math.abs(n);
    sqSum += n * n;
    variance += p.sigma * p.sigma * tau * x * x;
  }
  const expectedCost = 0.5 * p.gamma * x0 * x0 + p.epsilon * absSum + (etaTilde / tau) * sqSum;
  return { holdings: Float64Array.from(holdings), trades, expectedCost, variance, sd: Math.sqrt(variance) };
}

function check(p: AlmgrenChrissParams): AlmgrenChrissParams {
  const positive = { min: 0, exclusiveMin: true } as const;
  readNumber(p.shares, "shares", positive);
  readNumber(p.horizon, "horizon", positive);
  readNumber(p.periods, "periods", { min: 1 });
  if (!Number.isInteger(p.periods)) {
    throw new InputError(
      "periods",
      p.periods,
      "must be a whole number",
      "Pass the number of trading periods N.",
    );
  }
  readNumber(p.sigma, "sigma", { min: 0 });
  readNumber(p.epsilon, "epsilon", { min: 0 });
  readNumber(p.eta, "eta", positive);
  readNumber(p.gamma, "gamma", { min: 0 });
  readNumber(p.lambda, "lambda", { min: 0, fix: "Pass a risk aversion ≥ 0 (0 = minimise expected cost)." });
  return p;
}

/**
 * A synthetic population of ADL winners fitted to published aggregates (the files hold per-wave
 * totals, not accounts): PnL from a power law scaled to the wave's total, equity/PnL from a two-piece
 * lognormal through the published median, p10 and p90, tied to PnL by a Gaussian copula whose
 * correlation is fitted to bring the winners' equity towards the wave's total (margins are then
 * scaled to match it exactly), and leverage from a lognormal. Seeded; every distribution is stated in docs/assumptions.md ("Venue simulator").
 */
import { InputError } from "../../errors.js";
import { normalCdf } from "../../math/distributions.js";
import { normalSampler, type Xoshiro128 } from "../../math/random.js";
import type { AdlWinners } from "./adl-winners.js";

/** How one wave's winners are drawn. */
export interface WinnersSpec {
  /** Number of winners. */
  readonly count: number;
  /** Σ PnL to match (USD). */
  readonly totalPnl: number;
  /** Σ equity to match (USD), through the copula correlation. */
  readonly totalEquity: number;
  /** Pareto tail index α > 1 of PnL: P(W > w) = (w_min/w)^α. */
  readonly pnlTailIndex: number;
  /** Equity/PnL: median, 10th and 90th percentiles of the two-piece lognormal. */
  readonly equityToPnl: { readonly median: number; readonly p10: number; readonly p90: number };
  /** Smallest equity/PnL kept (the margin behind a winner is positive): draws below are raised to it. */
  readonly minEquityToPnl: number;
  /** Leverage n/e: lognormal with this median and log-standard deviation. */
  readonly leverage: { readonly median: number; readonly sigma: number };
}

/** A drawn population and how well its equity was fitted. */
export interface FittedWinners {
  readonly winners: AdlWinners;
  /** The copula correlation between the normal scores of PnL and of equity/PnL. */
  readonly correlation: number;
  /**
   * The factor k applied to every margin e_i − w_i so that Σ equity matches the spec's total: 1 when
   * the copula alone reaches it; otherwise the equity/PnL quantiles are those of `1 + k·(R − 1)`.
   */
  readonly marginScale: number;
}

const Z90 = 1.2815515655446004; // Φ⁻¹(0.9)

/**
 * Draws one wave's winners: `w_i ∝ (1 − Φ(z_i))^(−1/α)` (Pareto through its normal score z_i) scaled
 * to `totalPnl`; `R_i = m·exp(σ·y_i)` with `σ = ln(m/p10)/z₀.₉` for y_i < 0 and `ln(p90/m)/z₀.₉`
 * above, `y_i = ρ z_i + √(1 − ρ²) u_i`, ρ bisected on [−0.999, 0.999] so that `Σ R_i w_i = totalEquity`;
 * equity `e_i = max(R_i, minEquityToPnl)·w_i`, then, when no ρ reaches the total (a heavy PnL tail
 * makes the largest winners' ratios dominate), margins scaled: `e_i ← w_i + k·(e_i − w_i)` with
 * `k = (E − Σw)/(Σe − Σw)`; notional `n_i = L_i·e_i` with `ln L_i ~ N(ln median, σ²)`.
 */
export function drawWinners(spec: WinnersSpec, rng: Xoshiro128): FittedWinners {
  const n = spec.count;
  const normal = normalSampler();
  const z = new Float64Array(n);
  const u = new Float64Array(n);
  const pnl = new Float64Array(n);
  const equity = new Float64Array(n);
  const notional = new Float64Array(n);
  let raw = 0;
  for (let i = 0; i < n; i++) {
    z[i] = normal.sample(rng);
    u[i] = normal.sample(rng);
    pnl[i] = (1 - normalCdf(z[i] as number)) ** (-1 / spec.pnlTailIndex);
    raw += pnl[i] as number;
  }
  const scale = spec.totalPnl / raw;
  for (let i = 0; i < n; i++) pnl[i] = (pnl[i] as number) * scale;
  const { median, p10, p90 } = spec.equityToPnl;
  const below = Math.log(median / p10) / Z90;
  const above = Math.log(p90 / median) / Z90;
  const fill = (rho: number): number => {
    const c = Math.sqrt(1 - rho * rho);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const y = rho * (z[i] as number) + c * (u[i] as number);
      const ratio = Math.max(spec.minEquityToPnl, median * Math.exp(y * (y < 0 ? below : above)));
      equity[i] = ratio * (pnl[i] as number);
      s += equity[i] as number;
    }
    return s;
  };
  let lo = -0.999;
  let hi = 0.999;
  let rho: number;
  if (fill(lo) >= spec.totalEquity) rho = lo;
  else if (fill(hi) <= spec.totalEquity) rho = hi;
  else {
    for (let iter = 0; iter < 60; iter++) {
      const mid = 0.5 * (lo + hi);
      if (fill(mid) < spec.totalEquity) lo = mid;
      else hi = mid;
    }
    rho = 0.5 * (lo + hi);
  }
  const total = fill(rho);
  if (!(spec.totalEquity > spec.totalPnl)) {
    throw new InputError(
      "totalEquity",
      spec.totalEquity,
      `is not above the winners' PnL ${spec.totalPnl}`,
      "Winners' equity is margin + PnL with positive margins.",
    );
  }
  const k =
    Math.abs(total / spec.totalEquity - 1) > 1e-12
      ? (spec.totalEquity - spec.totalPnl) / (total - spec.totalPnl)
      : 1;
  if (k !== 1)
    for (let i = 0; i < n; i++)
      equity[i] = (pnl[i] as number) + k * ((equity[i] as number) - (pnl[i] as number));
  const logMedian = Math.log(spec.leverage.median);
  for (let i = 0; i < n; i++) {
    notional[i] = Math.exp(logMedian + spec.leverage.sigma * normal.sample(rng)) * (equity[i] as number);
  }
  return { winners: { pnl, equity, notional }, correlation: rho, marginScale: k };
}

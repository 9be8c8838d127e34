/**
 * What one bad-debt socialization did: budget used against the deficit, overshoot, the largest
 * haircut, and who paid relative to profit, equity and leverage (the evaluation of quant.md §3.12 and
 * of Chitra, arXiv 2512.01112, §"fairness": overshoot vs deficit, Gini of haircuts).
 */

import type { AdlWinners } from "./adl-winners.js";
import { postAdlLeverage } from "./adl-winners.js";

/** Metrics of one ADL event (USD, fractions or leverage multiples). */
export interface AdlEventMetrics {
  /** The deficit D the event had to cover. */
  readonly needed: number;
  /** Σ x_i, what the winners lost. */
  readonly used: number;
  /** `max(0, used − D)`: what was taken beyond the need. */
  readonly overshoot: number;
  /** `max(0, D − used)`: bad debt left uncovered. */
  readonly residual: number;
  /** Winners with a haircut > 0. */
  readonly payers: number;
  /** max x_i: the largest haircut of one winner (USD). */
  readonly maxHaircut: number;
  /** max x_i / w_i over winners with PnL > 0. */
  readonly maxHaircutOfPnl: number;
  /** max x_i / e_i. */
  readonly maxHaircutOfEquity: number;
  /** Gini coefficient of x_i / w_i over winners with PnL > 0: 0 when all lose the same share, → 1 when a few lose all. */
  readonly giniOfPnlShare: number;
  /** max n_i / e_i before the event. */
  readonly maxLeverageBefore: number;
  /** max post-ADL leverage (`postAdlLeverage`). */
  readonly maxLeverageAfter: number;
  /** Σ x_i·(n_i/e_i) / Σ x_i: the leverage of the average dollar paid (NaN when nothing was paid). */
  readonly payerLeverage: number;
  /** Σ w_i·(n_i/e_i) / Σ w_i: the leverage of the average dollar of profit, the neutral benchmark. */
  readonly winnerLeverage: number;
  /** Σ x_i·(e_i/w_i) / Σ x_i: the equity per dollar of PnL of the average dollar paid. */
  readonly payerEquityToPnl: number;
}

/**
 * Metrics of one event from the winners, the deficit and the haircuts a policy returned.
 * Gini: `G = Σ_i (2i − m − 1)·a_(i) / (m·Σ a)` over the m sorted shares a_(1) ≤ … ≤ a_(m).
 */
export function adlEventMetrics(
  winners: AdlWinners,
  deficit: number,
  haircuts: Float64Array,
): AdlEventMetrics {
  const { pnl, equity, notional } = winners;
  const n = pnl.length;
  let used = 0;
  let payers = 0;
  let maxHaircut = 0;
  let maxPnl = 0;
  let maxEquity = 0;
  let maxBefore = 0;
  let maxAfter = 0;
  let paidLev = 0;
  let pnlSum = 0;
  let pnlLev = 0;
  let paidCover = 0;
  let m = 0;
  const shares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = haircuts[i] as number;
    const w = pnl[i] as number;
    const e = equity[i] as number;
    const q = notional[i] as number;
    const lev = q / e;
    used += x;
    if (x > 0) payers++;
    maxHaircut = Math.max(maxHaircut, x);
    maxEquity = Math.max(maxEquity, x / e);
    maxBefore = Math.max(maxBefore, lev);
    maxAfter = Math.max(maxAfter, postAdlLeverage(q, e, w, x));
    paidLev += x * lev;
    pnlSum += w;
    pnlLev += w * lev;
    if (w > 0) {
      paidCover += (x * e) / w;
      shares[m++] = x / w;
      maxPnl = Math.max(maxPnl, x / w);
    }
  }
  return {
    needed: deficit,
    used,
    overshoot: Math.max(0, used - deficit),
    residual: Math.max(0, deficit - used),
    payers,
    maxHaircut,
    maxHaircutOfPnl: maxPnl,
    maxHaircutOfEquity: maxEquity,
    giniOfPnlShare: gini(shares.subarray(0, m).sort()),
    maxLeverageBefore: maxBefore,
    maxLeverageAfter: maxAfter,
    payerLeverage: used > 0 ? paidLev / used : Number.NaN,
    winnerLeverage: pnlSum > 0 ? pnlLev / pnlSum : Number.NaN,
    payerEquityToPnl: used > 0 ? paidCover / used : Number.NaN,
  };
}

/** Gini coefficient of sorted non-negative values (0 when they are all equal or all zero). */
function gini(sorted: Float64Array): number {
  const m = sorted.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < m; i++) {
    const a = sorted[i] as number;
    total += a;
    weighted += (2 * (i + 1) - m - 1) * a;
  }
  return total > 0 ? weighted / (m * total) : 0;
}

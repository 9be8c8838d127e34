/**
 * Risk-based ADL by leverage water-filling (Campbell, Hey, Moallemi & Nutz, "Risk-Based
 * Auto-Deleveraging", arXiv 2603.15963: in a single-asset isolated-margin market the unique
 * expected-loss-optimal policy minimises the maximum leverage among participants, reducing the most
 * levered accounts first until leverage is equalised — "leverage draining").
 */

import type { AdlWinners } from "./adl-winners.js";
import { adlCapacity, checkBudget, checkWinners } from "./adl-winners.js";

/**
 * Haircut of one winner that brings its post-ADL leverage down to `level` (0 if it is already
 * there): solving `n(1 − x/w)/(e − x) = λ` for x gives `x = w·(n − λe)/(n − λw)`, in [0, w] since e > w.
 */
function drainTo(level: number, notional: number, equity: number, pnl: number): number {
  if (pnl <= 0 || notional <= level * equity) return 0;
  return (pnl * (notional - level * equity)) / (notional - level * pnl);
}

function drained(level: number, winners: AdlWinners): number {
  const { pnl, equity, notional } = winners;
  let s = 0;
  for (let i = 0; i < pnl.length; i++)
    s += drainTo(level, notional[i] as number, equity[i] as number, pnl[i] as number);
  return s;
}

/**
 * Leverage water-filling: the haircuts (each closing the same share of the position, see
 * `postAdlLeverage`) that cover `min(D, Σ w)` with the smallest possible maximum post-ADL leverage
 * λ*: every winner above λ* is drained to exactly λ*, `x_i = w_i·(n_i − λ*e_i)/(n_i − λ*w_i)`, the
 * others pay nothing. λ* is found by bisection on the decreasing budget curve `Σ x_i(λ)`, and the
 * haircuts are interpolated between the bracketing levels so that they sum to the target exactly
 * (zero overshoot). Writes dollar haircuts to `out`.
 */
export function leverageWaterFilling(winners: AdlWinners, deficit: number, out: Float64Array): void {
  checkWinners(winners);
  checkBudget(deficit);
  const { pnl, equity, notional } = winners;
  const n = pnl.length;
  const target = Math.min(deficit, adlCapacity(pnl));
  out.fill(0);
  if (!(target > 0)) return;
  let hi = 0;
  for (let i = 0; i < n; i++) hi = Math.max(hi, (notional[i] as number) / (equity[i] as number));
  let lo = 0;
  let sumLo = drained(lo, winners); // = Σ w ≥ target
  let sumHi = 0; // nobody is above the maximum leverage
  for (let iter = 0; iter < 200 && hi - lo > 1e-15 * hi; iter++) {
    const mid = 0.5 * (lo + hi);
    const s = drained(mid, winners);
    if (s >= target) {
      lo = mid;
      sumLo = s;
    } else {
      hi = mid;
      sumHi = s;
    }
  }
  const theta = sumLo > sumHi ? (target - sumHi) / (sumLo - sumHi) : 1;
  for (let i = 0; i < n; i++) {
    const e = equity[i] as number;
    const q = notional[i] as number;
    const w = pnl[i] as number;
    const xHi = drainTo(hi, q, e, w);
    out[i] = xHi + theta * (drainTo(lo, q, e, w) - xHi);
  }
}

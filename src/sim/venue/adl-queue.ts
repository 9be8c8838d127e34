/**
 * Queue auto-deleveraging in wealth space: winners ranked by a score lose their whole PnL one after
 * the other until the deficit is covered, so the last one closed overshoots the need (the
 * "stylized wealth-space queue" of pluriholonomic/autodeleveraging-analysis `methodology.md` §3.7,
 * with the venues' profit × leverage ranking of src/venues/adl.ts).
 */

import { InputError } from "../../errors.js";
import { standardAdlScore } from "../../venues/adl.js";
import type { AdlCandidate } from "../../venues/types.js";
import type { AdlWinners } from "./adl-winners.js";
import { checkBudget, checkPnl } from "./adl-winners.js";

/**
 * A venue's ADL ranking of every winner, written to `out`: by default the BitMEX/Binance
 * `PnL% × effective leverage` ({@link standardAdlScore}), or any venue's `adlScore` such as
 * Hyperliquid's `(mark/entry) × notional/account value` (`hyperliquidAdlScore`, entry/mark for
 * shorts). A winner of side s (+1 long, −1 short) with notional n, PnL w and equity e is the
 * position of entry notional `n − s·w` and bankruptcy notional `n − s·e` (isolated margin: the
 * cushion to bankruptcy is the equity), so `PnL% = w / (n − s·w)` and the effective leverage is n/e.
 * A winner needs a position (n > 0), a long n > w (its entry notional is positive).
 */
export function profitLeverageScores(
  winners: AdlWinners,
  side: 1 | -1,
  out: Float64Array,
  score: (c: AdlCandidate) => number = standardAdlScore,
): void {
  const candidate: AdlCandidate = {
    id: "",
    size: side,
    entryPrice: 0,
    markPrice: 0,
    bankruptcyPrice: 0,
    equity: 0,
  };
  const { pnl, equity, notional } = winners;
  for (let i = 0; i < pnl.length; i++) {
    const q = notional[i] as number;
    const w = pnl[i] as number;
    if (!(q > 0) || (side === 1 && !(q > w))) {
      throw new InputError(
        `winners.notional[${i}]`,
        q,
        side === 1 ? `is not above the long's PnL ${w}` : "is not positive",
        "A winner holds a position; a long's entry notional (notional − PnL) is positive: check the side.",
      );
    }
    candidate.markPrice = q;
    candidate.entryPrice = q - side * w;
    candidate.bankruptcyPrice = q - side * (equity[i] as number);
    candidate.equity = equity[i] as number;
    out[i] = score(candidate);
  }
}

/**
 * Queue ADL: in descending `scores` order (ties in input order, as `allocateDeleveraging` of src/venues/adl.ts),
 * each winner loses its whole PnL (`x_i = w_i`) until `Σ x ≥ min(D, Σ w)`. The overshoot
 * `Σ x − D ≥ 0` is below the PnL of the last winner closed. Writes dollar haircuts to `out`.
 */
export function queueAdl(pnl: Float64Array, scores: Float64Array, deficit: number, out: Float64Array): void {
  checkBudget(deficit);
  checkPnl(pnl);
  const n = pnl.length;
  if (scores.length !== n) {
    throw new InputError(
      "scores",
      scores.length,
      `has ${scores.length} entries for ${n} winners`,
      "Give one per winner.",
    );
  }
  out.fill(0);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) {
      throw new InputError(`scores[${i}]`, scores[i], "is not a number", "Rank every winner with a number.");
    }
    order[i] = i;
  }
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  let covered = 0;
  for (let k = 0; k < n && covered < deficit; k++) {
    const i = order[k] as number;
    out[i] = pnl[i] as number;
    covered += out[i] as number;
  }
}

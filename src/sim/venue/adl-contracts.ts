/**
 * Contract-space queue auto-deleveraging, as production venues run it (BitMEX "Auto-Deleveraging",
 * Binance "What is Auto-Deleveraging", Hyperliquid docs "Auto-deleveraging"): the bankrupt
 * positions' contracts are matched against the opposite side's positions in ranking order
 * ({@link allocateDeleveraging} of src/venues/adl.ts, the rulebook's mechanism), and each matched
 * contract is closed at the bankrupt position's bankruptcy price, so the counterparty loses, against
 * the mark, the bankrupt position's gap per contract. Unlike the wealth-space queue
 * (src/sim/venue/adl-queue.ts) it closes contracts, not PnL: the contracts closed are the bankrupt
 * ones, whatever the counterparties' PnL per contract (pluriholonomic/autodeleveraging-analysis
 * `methodology.md` §1.1, "contract space vs wealth space").
 */

import { allocateDeleveraging, type RankedPosition } from "../../venues/adl.js";

/**
 * The contracts that went bankrupt in one step, in the order they were closed: signed size s_b
 * (+ long, − short) and gap per contract `g_b = d_b/|s_b|`, where d_b > 0 is the position's negative
 * equity at the fill that closed it — the distance from that fill to its bankruptcy price. All memory
 * is allocated by the constructor (a position goes bankrupt once, so `capacity` = the book's size).
 */
export class BankruptContracts {
  readonly size: Float64Array;
  readonly gap: Float64Array;
  count = 0;

  constructor(capacity: number) {
    this.size = new Float64Array(capacity);
    this.gap = new Float64Array(capacity);
  }

  /** Records a bankrupt close of `size` contracts with negative equity `deficit` > 0. */
  add(size: number, deficit: number): void {
    if (size === 0) return;
    this.size[this.count] = size;
    this.gap[this.count] = deficit / Math.abs(size);
    this.count++;
  }

  clear(): void {
    this.count = 0;
  }

  /** Σ|s_b| over the bankrupt closes of side `side` (+1 longs, −1 shorts). */
  contracts(side: 1 | -1): number {
    let q = 0;
    for (let b = 0; b < this.count; b++) {
      const s = this.size[b] as number;
      if (Math.sign(s) === side) q += Math.abs(s);
    }
    return q;
  }
}

/**
 * Matches the bankrupt contracts of side `side` against counterparties of the other side: the
 * counterparties' absolute sizes `quantity` and ranking `score` (highest first, ties in input order)
 * take the bankrupt contracts `Q = Σ|s_b|` down the ranking ({@link allocateDeleveraging}: each at
 * most its own size); the bankrupt closes are consumed in the order they were recorded, so a
 * counterparty's matched contracts `q_i` pay `x_i = Σ_chunks q·g_b` against the mark. Writes `q_i` to
 * `matched` and `x_i` to `haircut` (0 for the unmatched) and returns the contracts no counterparty
 * was left to take. Source: BitMEX "Auto-Deleveraging Examples" (a short of 20 at bankruptcy price 650
 * closes 10 of the first-ranked long and 10 of the second, both at 650).
 */
export function matchBankruptContracts(
  bankrupt: BankruptContracts,
  side: 1 | -1,
  quantity: Float64Array,
  score: Float64Array,
  matched: Float64Array,
  haircut: Float64Array,
): number {
  const total = bankrupt.contracts(side);
  const m = quantity.length;
  const candidates: RankedPosition<number>[] = new Array(m);
  for (let j = 0; j < m; j++)
    candidates[j] = { id: j, quantity: quantity[j] as number, score: score[j] as number };
  matched.fill(0);
  haircut.fill(0);
  let b = -1;
  let left = 0;
  let unmatched = total;
  for (const fill of allocateDeleveraging(candidates, total)) {
    let q = fill.quantity;
    matched[fill.id] = q;
    unmatched -= q;
    let x = 0;
    while (q > 0) {
      if (left <= 0) {
        b = nextOfSide(bankrupt, side, b);
        if (b === -1) break;
        left = Math.abs(bankrupt.size[b] as number);
      }
      const chunk = Math.min(q, left);
      x += chunk * (bankrupt.gap[b] as number);
      q -= chunk;
      left -= chunk;
    }
    haircut[fill.id] = x;
  }
  return Math.max(0, unmatched);
}

/** The next bankrupt close after `b` whose size has the sign `side`, −1 when none is left. */
function nextOfSide(bankrupt: BankruptContracts, side: 1 | -1, b: number): number {
  for (let k = b + 1; k < bankrupt.count; k++) if (Math.sign(bankrupt.size[k] as number) === side) return k;
  return -1;
}

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
 * Bankrupt contracts: per position, the signed size (+ long, − short) closed beyond its bankruptcy
 * price and the dollars paid beyond it (a close of s at F of a position of bankruptcy price B adds s
 * and `s·(B − F)` > 0). The pool keeps them, in the order the positions first went bankrupt, until a
 * deficit the fund cannot absorb calls {@link select}: the newest are picked first, back to the
 * deficit, and a gap per contract `g = dollars/|size|` is kept for each. All memory is allocated by
 * the constructor (`capacity` = the book's size: one entry per position).
 */
export class BankruptContracts {
  /** The selected contracts of the last {@link select}: signed size and gap per contract. */
  readonly size: Float64Array;
  readonly gap: Float64Array;
  /** Entries selected by the last {@link select}. */
  count = 0;
  private readonly slot: Int32Array;
  private readonly poolSize: Float64Array;
  private readonly poolDollars: Float64Array;
  private readonly entryOf: Int32Array;
  private entries = 0;

  constructor(capacity: number) {
    this.size = new Float64Array(capacity);
    this.gap = new Float64Array(capacity);
    this.slot = new Int32Array(capacity);
    this.poolSize = new Float64Array(capacity);
    this.poolDollars = new Float64Array(capacity);
    this.entryOf = new Int32Array(capacity).fill(-1);
  }

  /** Adds `size` contracts of position `slot` closed `dollars` > 0 beyond its bankruptcy price. */
  add(slot: number, size: number, dollars: number): void {
    if (size === 0 || !(dollars > 0)) return;
    let e = this.entryOf[slot] as number;
    if (e === -1) {
      e = this.entries++;
      this.entryOf[slot] = e;
      this.slot[e] = slot;
      this.poolSize[e] = 0;
      this.poolDollars[e] = 0;
    }
    this.poolSize[e] = (this.poolSize[e] as number) + size;
    this.poolDollars[e] = (this.poolDollars[e] as number) + dollars;
  }

  /** Empties the pool and the selection. */
  clear(): void {
    for (let e = 0; e < this.entries; e++) this.entryOf[this.slot[e] as number] = -1;
    this.entries = 0;
    this.count = 0;
  }

  /**
   * Selects, newest position first, the bankrupt contracts whose dollars beyond bankruptcy cover
   * `deficit` (the last one in part, `f = left/dollars` of its contracts), removes them from the pool
   * and returns the dollars selected (less than `deficit` when the pool runs out).
   */
  select(deficit: number): number {
    this.count = 0;
    let left = deficit;
    for (let e = this.entries - 1; e >= 0 && left > 0; e--) {
      const dollars = this.poolDollars[e] as number;
      const size = this.poolSize[e] as number;
      const f = Math.min(1, left / dollars);
      this.size[this.count] = f === 1 ? size : size * f;
      this.gap[this.count] = dollars / Math.abs(size);
      this.count++;
      left -= f === 1 ? dollars : left;
      this.poolSize[e] = f === 1 ? 0 : size * (1 - f);
      this.poolDollars[e] = f === 1 ? 0 : dollars * (1 - f);
    }
    let kept = 0;
    for (let e = 0; e < this.entries; e++) {
      const slot = this.slot[e] as number;
      if (this.poolSize[e] === 0) {
        this.entryOf[slot] = -1;
        continue;
      }
      this.slot[kept] = slot;
      this.poolSize[kept] = this.poolSize[e] as number;
      this.poolDollars[kept] = this.poolDollars[e] as number;
      this.entryOf[slot] = kept;
      kept++;
    }
    this.entries = kept;
    return deficit - Math.max(0, left);
  }

  /** Σ|s| over the selected contracts of side `side` (+1 longs, −1 shorts). */
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
 * Matches the selected bankrupt contracts ({@link BankruptContracts.select}) of side `side` against counterparties of the other side: the
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

import type { AdlCandidate } from "./types.js";

/**
 * The industry-standard ADL ranking (BitMEX "Auto-Deleveraging", copied by Binance, MEXC, Poloniex):
 * `Ranking = PnL% × EffectiveLeverage` when `PnL% > 0`, `PnL% / EffectiveLeverage` otherwise, with
 * `EffectiveLeverage = |MarkValue| / (MarkValue − BankruptValue)` and
 * `PnL% = (MarkValue − AvgEntryValue) / |AvgEntryValue|`; values are signed notionals `size × price`.
 * Source: https://www.bitmex.com/app/autoDeleveraging.
 */
export function standardAdlScore(c: AdlCandidate): number {
  const markValue = c.size * c.markPrice;
  const entryValue = c.size * c.entryPrice;
  const bankruptValue = c.size * c.bankruptcyPrice;
  const pnlPct = (markValue - entryValue) / Math.abs(entryValue);
  const cushion = Math.abs(markValue - bankruptValue);
  const effectiveLeverage = cushion === 0 ? Number.POSITIVE_INFINITY : Math.abs(markValue) / cushion;
  return pnlPct > 0 ? pnlPct * effectiveLeverage : pnlPct / effectiveLeverage;
}

/** A ranked counterparty for deleveraging: its id (a string, or a slot number in a simulated book), its absolute size and its score. */
export interface RankedPosition<Id = string> {
  id: Id;
  quantity: number;
  score: number;
}

/** How much of one counterparty deleveraging closes. */
export interface DeleverageFill<Id = string> {
  id: Id;
  quantity: number;
}

/**
 * Closes opposite-side positions in descending score order until `quantity` is covered
 * (BitMEX example: a short of 20 at bankruptcy price 650 against longs ranked
 * 2 (10), 5 (20), … closes all of account 2 and 10 of account 5, both at 650).
 * Ties keep input order. Returns the fills; their sum is `min(quantity, Σ candidate sizes)`.
 */
export function allocateDeleveraging<Id = string>(
  candidates: readonly RankedPosition<Id>[],
  quantity: number,
): DeleverageFill<Id>[] {
  const order = candidates.map((c, i) => ({ c, i })).sort((x, y) => y.c.score - x.c.score || x.i - y.i);
  const fills: DeleverageFill<Id>[] = [];
  let left = quantity;
  for (const { c } of order) {
    if (left <= 0) break;
    const take = Math.min(left, c.quantity);
    if (take > 0) fills.push({ id: c.id, quantity: take });
    left -= take;
  }
  return fills;
}

/**
 * The ADL indicator a venue shows each position: the share of the side's total quantity ranked at
 * or above it, rounded up to 20 % buckets (5 lights). BitMEX "Auto-Deleveraging Examples": with
 * longs 2 (10), 5 (20), 4 (30), 1 (10), 6 (10), 3 (20) in rank order the percentiles are
 * 20, 40, 60, 80, 80, 100 %.
 * Returns the percentile (0–100] of each candidate, in input order.
 */
export function adlPercentiles(candidates: readonly RankedPosition[]): number[] {
  const order = candidates.map((c, i) => ({ c, i })).sort((x, y) => y.c.score - x.c.score || x.i - y.i);
  const total = candidates.reduce((s, c) => s + c.quantity, 0);
  const out = new Array<number>(candidates.length).fill(0);
  let cumulative = 0;
  for (const { c, i } of order) {
    cumulative += c.quantity;
    out[i] = Math.min(100, Math.ceil(((cumulative / total) * 100) / 20 - 1e-9) * 20);
  }
  return out;
}

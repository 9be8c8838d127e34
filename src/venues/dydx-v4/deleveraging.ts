/**
 * dYdX v4 deleveraging: whether a subaccount is deleveraged, the state-transition check, and the
 * offsetting of a position against other subaccounts at the bankruptcy price (`deleveraging.go`).
 * Part of the `dydx-v4` namespace (src/venues/dydx-v4.ts).
 */
import { absBig, signBig } from "../../math/fixed-point.js";
import { bankruptcyQuoteQuantums, findPosition } from "./bankruptcy.js";
import { netNotional, subaccountRisk } from "./margin.js";
import type { Position, Risk, Subaccount } from "./parameters.js";

/**
 * Whether and how a subaccount is deleveraged: at the bankruptcy price when `TNC < 0`; at the oracle
 * price when `TNC ≥ 0` and the market is in final settlement; otherwise not at all.
 * Source: `deleveraging.go::CanDeleverageSubaccount`.
 *
 * @example 1 BTC short, USDC 54,999: at $55,000 (TNC −$1) → "bankruptcy"; at $54,999 (TNC 0) → "none"
 */
export function canDeleverage(
  subaccount: Subaccount,
  finalSettlement = false,
): "bankruptcy" | "oracle" | "none" {
  if (subaccountRisk(subaccount).nc < 0n) return "bankruptcy";
  return finalSettlement ? "oracle" : "none";
}

/**
 * Whether an update that leaves a subaccount under-collateralized (`TNC < TIMR`) is still accepted:
 * it must not raise MMR; with MMR zero before or after, only if both are zero and TNC improves;
 * otherwise iff `NC_new · MMR_cur ≥ NC_cur · MMR_new` (the TNC/TMMR ratio does not fall).
 * Well-collateralized results (`TNC ≥ TIMR`) are always accepted.
 * Source: `x/subaccounts/lib/updates.go::IsValidStateTransitionForUndercollateralizedSubaccount`.
 */
export function isValidStateTransition(current: Risk, next: Risk): boolean {
  if (next.imr <= next.nc) return true;
  if (next.mmr > current.mmr) return false;
  if (next.mmr === 0n || current.mmr === 0n)
    return next.mmr === 0n && current.mmr === 0n && next.nc > current.nc;
  return next.nc * current.mmr >= current.nc * next.mmr;
}

function applyUpdate(subaccount: Subaccount, ticker: string, dQuote: bigint, dBase: bigint): Subaccount {
  const positions: Position[] = [];
  for (const p of subaccount.positions) {
    if (p.market.ticker !== ticker) positions.push(p);
    else if (p.quantums + dBase !== 0n) positions.push({ ...p, quantums: p.quantums + dBase });
  }
  return { quoteBalance: subaccount.quoteBalance + dQuote, positions };
}

/** An account holding the other side, offered to deleveraging (the daemon's list). */
export interface OffsettingCandidate {
  readonly id: string;
  readonly subaccount: Subaccount;
}

/** One deleveraging match: base quantums (magnitude) and the quote quantums the liquidated account received (signed). */
export interface DeleveragingFill {
  readonly id: string;
  readonly quantums: bigint;
  readonly quoteQuantums: bigint;
}

/** Outcome of {@link offsetSubaccountPerpetualPosition}. */
export interface DeleveragingResult {
  readonly fills: DeleveragingFill[];
  /** Signed base quantums still to offset (0 when fully deleveraged). */
  readonly remaining: bigint;
  readonly liquidated: Subaccount;
  /** Offsetting accounts after their fills, by id (untouched ones omitted). */
  readonly offsetting: ReadonlyMap<string, Subaccount>;
  /** Candidates skipped because the update was refused (non-overlapping bankruptcy prices). */
  readonly refused: readonly string[];
}

/**
 * Deleveraging: offsets `deltaQuantums` of the liquidated subaccount's `ticker` position against
 * opposite-side accounts, visiting `candidates` from `startIndex` (the chain's pseudo-random
 * `Intn(n)`) cyclically, at most `maxIterations`. Each match takes `min(|remaining|, |their position|)`
 * and settles both accounts at the **liquidated** account's bankruptcy price for that slice (recomputed
 * after each match), or at the oracle price in final settlement; a match either account cannot accept
 * ({@link isValidStateTransition}) is skipped. There is no profit×leverage ranking in v4.
 * Source: `deleveraging.go::OffsetSubaccountPerpetualPosition`, `ProcessDeleveraging`,
 * `getDeleveragingQuoteQuantumsDelta`; vectors in `deleveraging_test.go::TestOffsetSubaccountPerpetualPosition`.
 *
 * @example 1 BTC short with USDC 54,999 (100 % margin tier) against a 1 BTC long → one fill of 1 BTC at $54,999
 */
export function offsetSubaccountPerpetualPosition(input: {
  liquidated: Subaccount;
  ticker: string;
  deltaQuantums: bigint;
  candidates: readonly OffsettingCandidate[];
  startIndex: number;
  maxIterations?: number;
  finalSettlement?: boolean;
}): DeleveragingResult {
  const { ticker, candidates } = input;
  const n = candidates.length;
  const fills: DeleveragingFill[] = [];
  const offsetting = new Map<string, Subaccount>();
  const refused: string[] = [];
  let liquidated = input.liquidated;
  let remaining = input.deltaQuantums;
  const iterations = Math.min(n, input.maxIterations ?? n);
  for (let i = 0; i < iterations && remaining !== 0n; i++) {
    const candidate = candidates[(((i + input.startIndex) % n) + n) % n] as OffsettingCandidate;
    const theirs = offsetting.get(candidate.id) ?? candidate.subaccount;
    const theirPosition = findPosition(theirs, ticker)?.quantums ?? 0n;
    if (signBig(remaining) !== signBig(theirPosition)) continue;
    const deltaBase = absBig(remaining) > absBig(theirPosition) ? theirPosition : remaining;
    let quote: bigint;
    try {
      const ours = findPosition(liquidated, ticker);
      quote = input.finalSettlement
        ? netNotional((ours ?? (findPosition(theirs, ticker) as Position)).market, -deltaBase)
        : bankruptcyQuoteQuantums(liquidated, ticker, deltaBase);
    } catch {
      continue;
    }
    const nextLiquidated = applyUpdate(liquidated, ticker, quote, deltaBase);
    const nextTheirs = applyUpdate(theirs, ticker, -quote, -deltaBase);
    const ok =
      isValidStateTransition(subaccountRisk(liquidated), subaccountRisk(nextLiquidated)) &&
      isValidStateTransition(subaccountRisk(theirs), subaccountRisk(nextTheirs));
    if (!ok) {
      refused.push(candidate.id);
      continue;
    }
    liquidated = nextLiquidated;
    offsetting.set(candidate.id, nextTheirs);
    remaining -= deltaBase;
    fills.push({ id: candidate.id, quantums: absBig(deltaBase), quoteQuantums: quote });
  }
  return { fills, remaining, liquidated, offsetting, refused };
}

/**
 * The bad-debt socialization policies by name, as a simulated venue calls them: one entry point that
 * writes the winners' dollar haircuts for a deficit.
 */

import { standardAdlScore } from "../../venues/adl.js";
import { hyperliquidAdlScore } from "../../venues/hyperliquid.js";
import type { AdlCandidate } from "../../venues/types.js";
import { cappedProRata, proRata, riskAwareProRata } from "./adl-pro-rata.js";
import { profitLeverageScores, queueAdl } from "./adl-queue.js";
import { leverageWaterFilling } from "./adl-water-filling.js";
import { type AdlWinners, checkWinners } from "./adl-winners.js";

/**
 * The policies: queue ADL by the BitMEX/Binance ranking and by Hyperliquid's, pro-rata on PnL, capped
 * pro-rata, Risk-Aware Pro-Rata, leverage water-filling.
 */
export const ADL_POLICIES = [
  "queue",
  "queue-hyperliquid",
  "pro-rata",
  "capped-pro-rata",
  "rap",
  "water-filling",
] as const;
export type AdlPolicyName = (typeof ADL_POLICIES)[number];

/**
 * The contract-space queues a simulated venue can run besides the wealth-space policies
 * ({@link ADL_POLICIES}): the bankrupt positions' contracts matched down the BitMEX/Binance ranking
 * (`queue-contracts`) or Hyperliquid's (`queue-hyperliquid-contracts`), closed at the bankrupt
 * position's bankruptcy price (src/sim/venue/adl-contracts.ts).
 */
export const CONTRACT_ADL_POLICIES = ["queue-contracts", "queue-hyperliquid-contracts"] as const;
export type ContractAdlPolicyName = (typeof CONTRACT_ADL_POLICIES)[number];

/** Every policy `venue.adlPolicy` accepts: the wealth-space ones, then the contract-space queues. */
export const VENUE_ADL_POLICIES = [...ADL_POLICIES, ...CONTRACT_ADL_POLICIES] as const;
export type VenueAdlPolicyName = (typeof VENUE_ADL_POLICIES)[number];

/** The ranking of a contract-space queue: BitMEX/Binance's `PnL% × effective leverage` or Hyperliquid's. */
export function contractQueueScore(policy: ContractAdlPolicyName): (c: AdlCandidate) => number {
  return policy === "queue-contracts" ? standardAdlScore : hyperliquidAdlScore;
}

/** Whether `policy` is a contract-space queue. */
export function isContractPolicy(policy: VenueAdlPolicyName): policy is ContractAdlPolicyName {
  return (CONTRACT_ADL_POLICIES as readonly string[]).includes(policy);
}

/** Settings of the policies that have any. */
export interface AdlPolicySettings {
  /** The winners' side for the queue's profit × leverage score: −1 shorts (winners of a crash), +1 longs. */
  readonly side: 1 | -1;
  /** Capped pro-rata: no winner loses more than this share of its equity (cap β_i = min(1, κ·e_i/w_i)). */
  readonly capOfEquity: number;
}

/**
 * Writes the haircuts of `policy` for `deficit` to `out` (length of the winners), using `scratch`
 * (same length) for scores, caps or weights, after checking the winners ({@link checkWinners}):
 * queue — {@link queueAdl} by {@link profitLeverageScores}; queue-hyperliquid — the same by
 * `hyperliquidAdlScore` (src/venues/hyperliquid.ts); pro-rata — {@link proRata};
 * capped-pro-rata — {@link cappedProRata} with `β_i = min(1, κ·e_i/w_i)`; rap —
 * {@link riskAwareProRata} with weights `ρ(λ_i) = λ_i = n_i/e_i` (Chitra's linear risk density) and
 * no cap; water-filling — {@link leverageWaterFilling}.
 */
export function applyAdlPolicy(
  policy: AdlPolicyName,
  winners: AdlWinners,
  deficit: number,
  settings: AdlPolicySettings,
  out: Float64Array,
  scratch: Float64Array,
): void {
  checkWinners(winners);
  const { pnl, equity, notional } = winners;
  switch (policy) {
    case "queue":
      profitLeverageScores(winners, settings.side, scratch);
      queueAdl(pnl, scratch, deficit, out);
      return;
    case "queue-hyperliquid":
      profitLeverageScores(winners, settings.side, scratch, hyperliquidAdlScore);
      queueAdl(pnl, scratch, deficit, out);
      return;
    case "pro-rata":
      proRata(pnl, deficit, out);
      return;
    case "capped-pro-rata":
      for (let i = 0; i < pnl.length; i++) {
        const w = pnl[i] as number;
        scratch[i] = w > 0 ? Math.min(1, (settings.capOfEquity * (equity[i] as number)) / w) : 0;
      }
      cappedProRata(pnl, deficit, scratch, out);
      return;
    case "rap":
      for (let i = 0; i < pnl.length; i++) scratch[i] = (notional[i] as number) / (equity[i] as number);
      riskAwareProRata(pnl, deficit, 1, scratch, out);
      return;
    case "water-filling":
      leverageWaterFilling(winners, deficit, out);
      return;
  }
}

import { isBelowMaintenance } from "../margin/account.js";
import { tierIndex } from "../margin/tiers.js";
import type { MarginRules } from "../margin/types.js";
import type { LiquidationState, LiquidationStep } from "./types.js";

/** Wording of a tier-stepping procedure (Binance, Bybit, BitMEX differ only in words). */
export interface TierStepWording {
  reduce: string;
  takeover: string;
  startWithCancel: boolean;
}

/** No step: the state is not liquidatable under the venue's rule (equality liquidates or not). */
export function noLiquidation(state: LiquidationState, rules: MarginRules): LiquidationStep[] | null {
  return !isBelowMaintenance(state.equity, state.maintenanceMargin, rules)
    ? [{ action: "none", fraction: 0, note: "equity covers maintenance margin: nothing happens" }]
    : null;
}

/**
 * The procedure shared by venues that liquidate by stepping down risk tiers (Binance "Smart
 * Liquidation", Bybit and BitMEX risk-limit step-down): cancel open orders; if the position sits
 * above the first tier, reduce it to the floor of the tier below (the fraction that step closes is
 * `1 − floor_{k}/N`); then whatever is still deficient is taken over at the bankruptcy price.
 */
export function descendingTierSteps(
  state: LiquidationState,
  rules: MarginRules,
  wording: TierStepWording,
): LiquidationStep[] {
  const none = noLiquidation(state, rules);
  if (none !== null) return none;
  const steps: LiquidationStep[] = [];
  if (wording.startWithCancel) {
    steps.push({
      action: "cancel-open-orders",
      fraction: 0,
      note: "all open orders are cancelled to free margin",
    });
  }
  const k = tierIndex(state.tiers, state.notional);
  const floor = state.tiers[k]?.notionalFloor ?? 0;
  if (k > 0 && floor > 0 && state.notional > 0) {
    steps.push({
      action: "reduce-to-lower-tier",
      fraction: 1 - floor / state.notional,
      note: wording.reduce,
    });
  }
  steps.push({ action: "close-at-bankruptcy", fraction: 1, note: wording.takeover });
  return steps;
}

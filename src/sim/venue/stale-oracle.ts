/**
 * Bad debt from a stale oracle: a lending position is liquidated when the oracle's price, not the
 * market's, takes its health factor below 1, and the liquidation is priced at the oracle too. When
 * the oracle lags a fast fall (a push feed waiting for its deviation or heartbeat, an OSM an hour
 * behind), the liquidation comes late, at a price where the collateral no longer covers the debt
 * plus the bonus, and the debt left when the collateral runs out is the protocol's deficit (Aave
 * v3.3 burns it as a reserve deficit). On 2025-10-10 Aave's ≈0.4 M USD deficit came from CRV and ENS
 * positions priced by lagging oracles (Chaos Labs, governance.aave.com thread 23248, via shared
 * research venue-side.md).
 */
import type { InputError } from "../../errors.js";
import { checkPathLengths, readNumber } from "../../validate.js";

/** A one-collateral, one-debt lending position (the debt asset priced at 1 USD). */
export interface LendingPosition {
  /** Collateral, units of the collateral asset. */
  readonly collateral: number;
  /** Debt, USD. */
  readonly debtUsd: number;
  /** Liquidation threshold LT, a fraction: liquidatable when `collateral·price·LT < debt`. */
  readonly liquidationThreshold: number;
  /** Liquidation bonus, a fraction: the liquidator receives `(1 + bonus)` × the debt it repays in collateral (Aave's LB − 1). */
  readonly liquidationBonus: number;
  /** Share of the debt one liquidation may repay; 1 by default (Aave v3.3 when HF < 0.95). */
  readonly closeFactor?: number;
}

/** One liquidation of a position. */
export interface LiquidationOutcome {
  /** The step it happened at; −1 when the position was never liquidatable. */
  readonly step: number;
  /** The price the protocol priced it at (the oracle's, or the true price for the fresh case). */
  readonly price: number;
  /** The true price at that step. */
  readonly truePrice: number;
  readonly repaidUsd: number;
  readonly seizedCollateral: number;
  /** Debt left when the collateral is all seized (the protocol's deficit), USD; 0 otherwise. */
  readonly badDebtUsd: number;
  /** The liquidator's result at the true price: `seized·truePrice − repaid`, USD. */
  readonly liquidatorPnlUsd: number;
}

/** A position's liquidation on a stale oracle against the same with a fresh one. */
export interface StaleOracleExposure {
  /** Triggered and priced by the oracle path. */
  readonly stale: LiquidationOutcome;
  /** Triggered and priced by the true price path (a perfect oracle). */
  readonly fresh: LiquidationOutcome;
  /** `stale.badDebtUsd − fresh.badDebtUsd`: the bad debt the oracle's lag accrued. */
  readonly extraBadDebtUsd: number;
  /** The stale liquidation loses money at the true price: a rational liquidator would not take it. */
  readonly liquidatorLoss: boolean;
  /** The oracle never took the position below its liquidation threshold on the path. */
  readonly neverLiquidated: boolean;
}

/** Refuses a position field out of range with an {@link InputError} naming it. */
function checkPosition(position: LendingPosition): void {
  readNumber(position.collateral, "collateral", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the collateral amount in units of the asset.",
  });
  readNumber(position.debtUsd, "debtUsd", { min: 0, fix: "Pass the debt in USD." });
  readNumber(position.liquidationThreshold, "liquidationThreshold", {
    min: 0,
    exclusiveMin: true,
    max: 1,
    fix: "Pass LT as a fraction, e.g. 0.75.",
  });
  readNumber(position.liquidationBonus, "liquidationBonus", {
    min: 0,
    fix: "Pass the bonus as a fraction, e.g. 0.05 for Aave's 105 %.",
  });
  readNumber(position.closeFactor ?? 1, "closeFactor", {
    min: 0,
    exclusiveMin: true,
    max: 1,
    fix: "Pass the close factor as a fraction, e.g. 0.5 or 1.",
  });
}

/**
 * One liquidation priced at `price` while the market trades at `truePrice`: the liquidator repays
 * `r = min(closeFactor·debt, collateral·price/(1 + bonus))` and seizes `r·(1 + bonus)/price`; when
 * that is all the collateral, the debt left, `debt − r`, is bad debt.
 *
 * @example collateral 1,000, debt 600, bonus 5 %, priced at 0.40: r = min(600, 400/1.05) =
 * 380.95, all 1,000 seized, bad debt 219.05.
 */
export function liquidateAt(
  position: LendingPosition,
  price: number,
  truePrice: number,
  step = 0,
): LiquidationOutcome {
  checkPosition(position);
  readNumber(price, step > 0 ? `price at step ${step}` : "price", {
    min: 0,
    exclusiveMin: true,
    fix: "Liquidate at a positive collateral price.",
  });
  const { collateral, debtUsd, liquidationBonus } = position;
  const closeFactor = position.closeFactor ?? 1;
  const coverable = (collateral * price) / (1 + liquidationBonus);
  const repaid = Math.min(closeFactor * debtUsd, coverable);
  const exhausted = coverable <= closeFactor * debtUsd;
  const seized = exhausted ? collateral : (repaid * (1 + liquidationBonus)) / price;
  return {
    step,
    price,
    truePrice,
    repaidUsd: repaid,
    seizedCollateral: seized,
    badDebtUsd: exhausted ? debtUsd - repaid : 0,
    liquidatorPnlUsd: seized * truePrice - repaid,
  };
}

const NOT_LIQUIDATED: LiquidationOutcome = {
  step: -1,
  price: Number.NaN,
  truePrice: Number.NaN,
  repaidUsd: 0,
  seizedCollateral: 0,
  badDebtUsd: 0,
  liquidatorPnlUsd: 0,
};

/** The first step at which `collateral·price·LT < debt` on `price`, liquidated there ({@link liquidateAt}). */
function firstLiquidation(
  position: LendingPosition,
  price: Float64Array,
  truePrice: Float64Array,
): LiquidationOutcome {
  const { collateral, debtUsd, liquidationThreshold } = position;
  for (let i = 0; i < price.length; i++) {
    const p = price[i] as number;
    if (collateral * p * liquidationThreshold < debtUsd)
      return liquidateAt(position, p, truePrice[i] as number, i);
  }
  return NOT_LIQUIDATED;
}

/**
 * The bad debt a stale oracle accrues on one position along a path: the position is liquidated at
 * the first step the oracle price makes it liquidatable, priced at that oracle price
 * ({@link liquidateAt}), and compared with its liquidation at the first step the true price does
 * (a perfect oracle). One liquidation call each (repeat liquidations are not modelled), with
 * `closeFactor` of the debt at most.
 *
 * @param truePrice the collateral's market price, USD per unit, per step
 * @param oraclePrice the price the protocol reads (e.g. `pushOraclePath` or `delayedOraclePath` of
 *   `truePrice`, oracle-push.ts and oracle-delayed.ts), per step
 */
export function staleOracleExposure(
  position: LendingPosition,
  truePrice: Float64Array,
  oraclePrice: Float64Array,
): StaleOracleExposure {
  checkPosition(position);
  checkPathLengths(truePrice.length, { oraclePrice });
  const stale = firstLiquidation(position, oraclePrice, truePrice);
  const fresh = firstLiquidation(position, truePrice, truePrice);
  return {
    stale,
    fresh,
    extraBadDebtUsd: stale.badDebtUsd - fresh.badDebtUsd,
    liquidatorLoss: stale.step >= 0 && stale.liquidatorPnlUsd < 0,
    neverLiquidated: stale.step < 0,
  };
}

/**
 * dYdX v4 insurance-fund delta of a liquidation fill (`GetLiquidationInsuranceFundDelta`) and the
 * check that the fund can pay it (`IsValidInsuranceFundDelta`). Part of the `dydx-v4` namespace
 * (src/venues/dydx-v4.ts).
 */
import { absBig, floorDiv, minBig } from "../../math/fixed-point.js";
import { bankruptcyQuoteQuantums } from "./bankruptcy.js";
import { dydxRevert, type LiquidationsConfig, ONE_MILLION, type Subaccount } from "./parameters.js";

/** A liquidation fill as the insurance-fund delta sees it. */
export interface LiquidationFill {
  /** Whether the liquidation order buys (closes a short). */
  readonly isBuy: boolean;
  /** Base quantums filled (magnitude, > 0). */
  readonly fillQuantums: bigint;
  /** Quote quantums exchanged (magnitude), e.g. from {@link fillAmountToQuoteQuantums}. */
  readonly quoteQuantums: bigint;
}

/**
 * Net payment between the liquidated subaccount and the insurance fund for one fill:
 * ```
 * δ = quoteReceived − bankruptcy(Δ)
 * δ ≤ 0 → the fund pays −δ (returns δ)
 * δ > 0 → the fund receives min(⌊|quoteReceived| · maxLiquidationFeePpm / 1e6⌋, δ)
 * ```
 * so the fee never takes the account below zero. `quoteReceived` is `+quote` for a sell, `−quote` for a
 * buy. Throws `ErrInvalidQuantumsForInsuranceFundDeltaCalculation` for a zero fill.
 * Source: `liquidations.go::GetLiquidationInsuranceFundDelta`; vectors in `TestGetLiquidationInsuranceFundDelta`.
 *
 * @example 0.1 BTC long, USDC −5,100 (bankruptcy $5,100), sold at $56,100, fee 0.5 % → +28,050,000 ($28.05)
 */
export function liquidationInsuranceFundDelta(
  subaccount: Subaccount,
  ticker: string,
  fill: LiquidationFill,
  config: Pick<LiquidationsConfig, "maxLiquidationFeePpm">,
): bigint {
  if (fill.fillQuantums <= 0n)
    throw dydxRevert(
      "ErrInvalidQuantumsForInsuranceFundDeltaCalculation",
      `fill amount is ${fill.fillQuantums}`,
      "fill.fillQuantums",
    );
  const deltaQuantums = fill.isBuy ? fill.fillQuantums : -fill.fillQuantums;
  const quoteReceived = fill.isBuy ? -fill.quoteQuantums : fill.quoteQuantums;
  const delta = quoteReceived - bankruptcyQuoteQuantums(subaccount, ticker, deltaQuantums);
  if (delta <= 0n) return delta;
  const maxFee = floorDiv(absBig(quoteReceived) * BigInt(config.maxLiquidationFeePpm), ONE_MILLION);
  return minBig(maxFee, delta);
}

/**
 * Whether the insurance fund can absorb `delta`: non-negative deltas always; otherwise iff
 * `balance + delta ≥ 0`. Source: `deleveraging.go::IsValidInsuranceFundDelta`.
 *
 * @example balance 10,000,000,000, delta −10,000,000,001 → false
 */
export function isValidInsuranceFundDelta(insuranceFundBalance: bigint, delta: bigint): boolean {
  return delta >= 0n || insuranceFundBalance + delta >= 0n;
}

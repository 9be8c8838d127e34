/**
 * dYdX v4 liquidation order sizing: per-block notional and insurance limits, the position size one
 * liquidation order closes, and the protocol's IOC order
 * (`liquidations.go`). Part of the `dydx-v4` namespace (src/venues/dydx-v4.ts).
 */
import { InputError } from "../../errors.js";
import { absBig, floorDiv, maxBig, minBig } from "../../math/fixed-point.js";
import { findPosition } from "./bankruptcy.js";
import { type ClobPair, fillablePrice, fillablePriceToSubticks } from "./fillable-price.js";
import { isLiquidatable, netNotional, quoteToBaseQuantums, subaccountRisk } from "./margin.js";
import {
  dydxRevert,
  type LiquidationsConfig,
  ONE_MILLION,
  type Rational,
  type Subaccount,
} from "./parameters.js";

/** What a subaccount has already had liquidated in the current block. */
export interface BlockLiquidationInfo {
  readonly notionalLiquidated: bigint;
  /** Insurance-fund payouts already made for this subaccount this block (magnitude). */
  readonly quantumsInsuranceLost: bigint;
  /** Tickers of perpetuals already liquidated for this subaccount this block (once per block each). */
  readonly perpetualsLiquidated: readonly string[];
}

/** Nothing liquidated yet in this block. */
export const EMPTY_BLOCK: BlockLiquidationInfo = {
  notionalLiquidated: 0n,
  quantumsInsuranceLost: 0n,
  perpetualsLiquidated: [],
};

/**
 * Position block limits for a position of absolute notional `|N|`:
 * `min = min(minPositionNotionalLiquidated, |N|)`, `max = max(min, ⌊|N| · maxPositionPortionPpm / 1e6⌋)`.
 * On mainnet genesis that is `max($1,000, 10 % · N)`. Source:
 * `liquidations.go::GetMaxAndMinPositionNotionalLiquidatable`; vectors in `TestGetMaxAndMinPositionNotionalLiquidatable`.
 */
export function positionNotionalLiquidatable(
  notional: bigint,
  config: Pick<LiquidationsConfig, "minPositionNotionalLiquidated" | "maxPositionPortionLiquidatedPpm">,
): { min: bigint; max: bigint } {
  const n = absBig(notional);
  const min = minBig(config.minPositionNotionalLiquidated, n);
  const max = maxBig(min, floorDiv(n * BigInt(config.maxPositionPortionLiquidatedPpm), ONE_MILLION));
  return { min, max };
}

function checkNotLiquidated(block: BlockLiquidationInfo, ticker: string): void {
  if (block.perpetualsLiquidated.includes(ticker))
    throw dydxRevert(
      "ErrSubaccountHasLiquidatedPerpetual",
      `${ticker} has already been liquidated for this subaccount within the block`,
    );
}

/**
 * Notional the subaccount may still have liquidated this block: `maxNotionalLiquidated − liquidated`.
 * Throws `ErrSubaccountHasLiquidatedPerpetual` when `ticker` was already liquidated this block and a
 * `panic` when the limit is already exceeded. Source: `liquidations.go::GetSubaccountMaxNotionalLiquidatable`.
 */
export function subaccountMaxNotionalLiquidatable(
  block: BlockLiquidationInfo,
  ticker: string,
  config: Pick<LiquidationsConfig, "maxNotionalLiquidated">,
): bigint {
  checkNotLiquidated(block, ticker);
  if (block.notionalLiquidated > config.maxNotionalLiquidated)
    throw dydxRevert("panic", "ErrLiquidationExceedsSubaccountMaxNotionalLiquidated");
  return config.maxNotionalLiquidated - block.notionalLiquidated;
}

/**
 * Insurance-fund payout the subaccount may still cause this block: `maxQuantumsInsuranceLost − lost`.
 * Same errors as {@link subaccountMaxNotionalLiquidatable}. Source: `liquidations.go::GetSubaccountMaxInsuranceLost`.
 */
export function subaccountMaxInsuranceLost(
  block: BlockLiquidationInfo,
  ticker: string,
  config: Pick<LiquidationsConfig, "maxQuantumsInsuranceLost">,
): bigint {
  checkNotLiquidated(block, ticker);
  if (block.quantumsInsuranceLost > config.maxQuantumsInsuranceLost)
    throw dydxRevert("panic", "ErrLiquidationExceedsSubaccountMaxInsuranceLost");
  return config.maxQuantumsInsuranceLost - block.quantumsInsuranceLost;
}

/**
 * Base quantums the liquidation order closes this block (signed, opposite to the position):
 * `L = min(position max, subaccount max)`; the whole position if `|N| ≤ L` or `|q| ≤ step`; otherwise
 * `L` converted to base quantums (rounded down), rounded down to a multiple of the step, clamped to
 * `[step, |q|]`. Source: `liquidations.go::GetLiquidatablePositionSizeDelta`; vectors in
 * `TestGetPerpetualPositionToLiquidate`.
 *
 * @example 0.1 BTC long ($5,000), portion 50 %, subaccount limit $2,000 → −4,000,000 (0.04 BTC)
 */
export function liquidatablePositionSizeDelta(
  subaccount: Subaccount,
  ticker: string,
  config: LiquidationsConfig,
  stepBaseQuantums: bigint,
  block: BlockLiquidationInfo = EMPTY_BLOCK,
): bigint {
  const position = findPosition(subaccount, ticker);
  if (position === undefined || position.quantums === 0n)
    throw dydxRevert("ErrNoPerpetualPositionsToLiquidate", `no ${ticker} position`);
  if (stepBaseQuantums <= 0n)
    throw new InputError(
      "stepBaseQuantums",
      stepBaseQuantums,
      "must be positive",
      "Use the CLOB pair's step.",
    );
  const m = position.market;
  const notional = netNotional(m, position.quantums);
  const posMax = positionNotionalLiquidatable(notional, config).max;
  const limit = minBig(posMax, subaccountMaxNotionalLiquidatable(block, ticker, config));
  const q = absBig(position.quantums);
  if (absBig(notional) <= limit || q <= stepBaseQuantums) return -position.quantums;
  let d = quoteToBaseQuantums(limit, m.atomicResolution, m.priceValue, m.priceExponent);
  d = floorDiv(d, stepBaseQuantums) * stepBaseQuantums;
  d = d < stepBaseQuantums ? stepBaseQuantums : minBig(d, q);
  return position.quantums > 0n ? -d : d;
}

/** The protocol's IOC liquidation order for one subaccount and perpetual. */
export interface LiquidationOrder {
  readonly ticker: string;
  /** Whether the order buys (the position is short). */
  readonly isBuy: boolean;
  /** Base quantums (magnitude). */
  readonly quantums: bigint;
  /** Exact fillable price (quote quantums per base quantum). */
  readonly fillablePrice: Rational;
  /** Limit price in subticks. */
  readonly subticks: bigint;
}

/**
 * The liquidation order the chain places: size from {@link liquidatablePositionSizeDelta}, limit
 * price from {@link fillablePrice} converted by {@link fillablePriceToSubticks}. Throws
 * `ErrSubaccountNotLiquidatable` unless {@link isLiquidatable}. Source:
 * `liquidations.go::MaybeGetLiquidationOrder`, `GetLiquidationOrderForPerpetual`.
 */
export function liquidationOrder(
  subaccount: Subaccount,
  ticker: string,
  config: LiquidationsConfig,
  clobPair: ClobPair,
  block: BlockLiquidationInfo = EMPTY_BLOCK,
): LiquidationOrder {
  if (!isLiquidatable(subaccountRisk(subaccount)))
    throw dydxRevert("ErrSubaccountNotLiquidatable", "TNC ≥ TMMR or TMMR = 0");
  const delta = liquidatablePositionSizeDelta(subaccount, ticker, config, clobPair.stepBaseQuantums, block);
  const price = fillablePrice(subaccount, ticker, delta, config);
  const isLiquidatingLong = delta < 0n;
  return {
    ticker,
    isBuy: !isLiquidatingLong,
    quantums: absBig(delta),
    fillablePrice: price,
    subticks: fillablePriceToSubticks(price, isLiquidatingLong, clobPair),
  };
}

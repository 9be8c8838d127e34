/**
 * dYdX v4 liquidation order sizing: per-block notional and insurance limits, the position size one
 * liquidation order closes, and the protocol's IOC order
 * (`liquidations.go`). Part of the `dydx-v4` namespace (src/venues/dydx-v4.ts).
 */
import { InputError } from "../../errors.js";
import { absBig, floorDiv, maxBig, minBig } from "../../math/fixed-point.js";
import { findPosition } from "./bankruptcy.js";
import { type DydxClobPair, dydxFillablePrice, dydxFillablePriceToSubticks } from "./fillable-price.js";
import {
  dydxIsLiquidatable,
  dydxNetNotional,
  dydxQuoteToBaseQuantums,
  dydxSubaccountRisk,
} from "./margin.js";
import {
  DYDX_ONE_MILLION,
  type DydxLiquidationsConfig,
  type DydxRational,
  type DydxSubaccount,
  dydxRevert,
} from "./parameters.js";

/** What a subaccount has already had liquidated in the current block. */
export interface DydxBlockLiquidationInfo {
  readonly notionalLiquidated: bigint;
  /** Insurance-fund payouts already made for this subaccount this block (magnitude). */
  readonly quantumsInsuranceLost: bigint;
  /** Tickers of perpetuals already liquidated for this subaccount this block (once per block each). */
  readonly perpetualsLiquidated: readonly string[];
}

/** Nothing liquidated yet in this block. */
export const DYDX_EMPTY_BLOCK: DydxBlockLiquidationInfo = {
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
export function dydxPositionNotionalLiquidatable(
  notional: bigint,
  config: Pick<DydxLiquidationsConfig, "minPositionNotionalLiquidated" | "maxPositionPortionLiquidatedPpm">,
): { min: bigint; max: bigint } {
  const n = absBig(notional);
  const min = minBig(config.minPositionNotionalLiquidated, n);
  const max = maxBig(min, floorDiv(n * BigInt(config.maxPositionPortionLiquidatedPpm), DYDX_ONE_MILLION));
  return { min, max };
}

function checkNotLiquidated(block: DydxBlockLiquidationInfo, ticker: string): void {
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
export function dydxSubaccountMaxNotionalLiquidatable(
  block: DydxBlockLiquidationInfo,
  ticker: string,
  config: Pick<DydxLiquidationsConfig, "maxNotionalLiquidated">,
): bigint {
  checkNotLiquidated(block, ticker);
  if (block.notionalLiquidated > config.maxNotionalLiquidated)
    throw dydxRevert("panic", "ErrLiquidationExceedsSubaccountMaxNotionalLiquidated");
  return config.maxNotionalLiquidated - block.notionalLiquidated;
}

/**
 * Insurance-fund payout the subaccount may still cause this block: `maxQuantumsInsuranceLost − lost`.
 * Same errors as {@link dydxSubaccountMaxNotionalLiquidatable}. Source: `liquidations.go::GetSubaccountMaxInsuranceLost`.
 */
export function dydxSubaccountMaxInsuranceLost(
  block: DydxBlockLiquidationInfo,
  ticker: string,
  config: Pick<DydxLiquidationsConfig, "maxQuantumsInsuranceLost">,
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
export function dydxLiquidatablePositionSizeDelta(
  subaccount: DydxSubaccount,
  ticker: string,
  config: DydxLiquidationsConfig,
  stepBaseQuantums: bigint,
  block: DydxBlockLiquidationInfo = DYDX_EMPTY_BLOCK,
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
  const notional = dydxNetNotional(m, position.quantums);
  const posMax = dydxPositionNotionalLiquidatable(notional, config).max;
  const limit = minBig(posMax, dydxSubaccountMaxNotionalLiquidatable(block, ticker, config));
  const q = absBig(position.quantums);
  if (absBig(notional) <= limit || q <= stepBaseQuantums) return -position.quantums;
  let d = dydxQuoteToBaseQuantums(limit, m.atomicResolution, m.priceValue, m.priceExponent);
  d = floorDiv(d, stepBaseQuantums) * stepBaseQuantums;
  d = d < stepBaseQuantums ? stepBaseQuantums : minBig(d, q);
  return position.quantums > 0n ? -d : d;
}

/** The protocol's IOC liquidation order for one subaccount and perpetual. */
export interface DydxLiquidationOrder {
  readonly ticker: string;
  /** Whether the order buys (the position is short). */
  readonly isBuy: boolean;
  /** Base quantums (magnitude). */
  readonly quantums: bigint;
  /** Exact fillable price (quote quantums per base quantum). */
  readonly fillablePrice: DydxRational;
  /** Limit price in subticks. */
  readonly subticks: bigint;
}

/**
 * The liquidation order the chain places: size from {@link dydxLiquidatablePositionSizeDelta}, limit
 * price from {@link dydxFillablePrice} converted by {@link dydxFillablePriceToSubticks}. Throws
 * `ErrSubaccountNotLiquidatable` unless {@link dydxIsLiquidatable}. Source:
 * `liquidations.go::MaybeGetLiquidationOrder`, `GetLiquidationOrderForPerpetual`.
 */
export function dydxLiquidationOrder(
  subaccount: DydxSubaccount,
  ticker: string,
  config: DydxLiquidationsConfig,
  clobPair: DydxClobPair,
  block: DydxBlockLiquidationInfo = DYDX_EMPTY_BLOCK,
): DydxLiquidationOrder {
  if (!dydxIsLiquidatable(dydxSubaccountRisk(subaccount)))
    throw dydxRevert("ErrSubaccountNotLiquidatable", "TNC ≥ TMMR or TMMR = 0");
  const delta = dydxLiquidatablePositionSizeDelta(
    subaccount,
    ticker,
    config,
    clobPair.stepBaseQuantums,
    block,
  );
  const fillablePrice = dydxFillablePrice(subaccount, ticker, delta, config);
  const isLiquidatingLong = delta < 0n;
  return {
    ticker,
    isBuy: !isLiquidatingLong,
    quantums: absBig(delta),
    fillablePrice,
    subticks: dydxFillablePriceToSubticks(fillablePrice, isLiquidatingLong, clobPair),
  };
}

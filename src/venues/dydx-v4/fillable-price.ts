/**
 * dYdX v4 fillable price of a liquidation order (`GetFillablePrice`, an exact rational) and its
 * conversion to CLOB subticks (`ConvertFillablePriceToSubticks`). Part of the `dydx-v4` namespace
 * (src/venues/dydx-v4.ts).
 */
import { InputError } from "../../errors.js";
import {
  ceilDiv,
  floorDiv,
  minBig,
  pow10,
  ratCompare,
  rational,
  ratMul,
  ratSub,
} from "../../math/fixed-point.js";
import { checkDelta } from "./bankruptcy.js";
import { positionRisk, subaccountRisk } from "./margin.js";
import {
  dydxRevert,
  type LiquidationsConfig,
  ONE_MILLION,
  QUOTE_ATOMIC_RESOLUTION,
  type Rational,
  rationalToNumber,
  type Subaccount,
} from "./parameters.js";

/** Largest uint64 (bounds of the liquidation order's subticks). */
const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * The fillable price of the liquidation order (the worst price it may fill at), an exact rational in
 * quote quantums per base quantum:
 * ```
 * ABR = clamp(BA · (1 − TNC/TMMR), 0, 1)            // adjusted bankruptcy rating
 * fillable = (PNNV − ABR · SMMR · PMMR) / PS
 * ```
 * `PNNV`, `PMMR`, `PS` are the whole position's, so partial and full closes share one price. The docs
 * form is `P · (1 − SMMR·MMF·ABR)`. Throws `ErrInvalidPerpetualPositionSizeDelta` as
 * {@link bankruptcyQuoteQuantums} does. Source: `liquidations.go::GetFillablePrice`; vectors in
 * `liquidations_test.go::TestGetFillablePrice`.
 *
 * @example 0.1 BTC long, USDC −4,501 (TNC $499, TMMR $500), BA 1, SMMR 0.1 → 49999/100 (= $49,999/BTC)
 */
export function fillablePrice(
  subaccount: Subaccount,
  ticker: string,
  deltaQuantums: bigint,
  config: Pick<LiquidationsConfig, "bankruptcyAdjustmentPpm" | "spreadToMaintenanceMarginRatioPpm">,
): Rational {
  const position = checkDelta(subaccount, ticker, deltaQuantums);
  const pos = positionRisk(position.market, position.quantums, position.customImfPpm ?? 0);
  const total = subaccountRisk(subaccount);
  if (total.mmr <= 0n) throw dydxRevert("panic", "TMMR is zero: TNC/TMMR is undefined");
  const unbounded = ratMul(
    ratSub(rational(1n), rational(total.nc, total.mmr)),
    rational(BigInt(config.bankruptcyAdjustmentPpm), ONE_MILLION),
  );
  const abr =
    ratCompare(unbounded, rational(0n)) < 0
      ? rational(0n)
      : ratCompare(unbounded, rational(1n)) > 0
        ? rational(1n)
        : unbounded;
  const spread = ratMul(
    rational(pos.mmr),
    rational(BigInt(config.spreadToMaintenanceMarginRatioPpm), ONE_MILLION),
  );
  const fillable = ratMul(ratSub(rational(pos.nc), ratMul(abr, spread)), rational(1n, position.quantums));
  if (fillable.num < 0n) throw dydxRevert("panic", "GetFillablePrice: Calculated fillable price is negative");
  return fillable;
}

/**
 * A rational price in quote quantums per base quantum → USD per coin (float):
 * `price · 10^(−6 − atomicResolution)`. Source: the unit comments of `liquidations_test.go::TestGetFillablePrice`
 * ("$49,999 = (49,999 / 100) subticks · 10^(QuoteCurrencyAtomicResolution − BaseCurrencyAtomicResolution)").
 */
export function quantumPriceToUsd(price: Rational, atomicResolution: number): number {
  return rationalToNumber(price) * 10 ** (QUOTE_ATOMIC_RESOLUTION - atomicResolution);
}

/** A CLOB pair's price grid: `subticksPerTick` and `quantumConversionExponent`. */
export interface ClobPair {
  readonly subticksPerTick: bigint;
  readonly quantumConversionExponent: number;
  readonly stepBaseQuantums: bigint;
}

/**
 * The liquidation order's limit price in subticks: `fillable · 10^(−quantumConversionExponent)`, rounded
 * up when liquidating a long (a sell) and down for a short (a buy), then to a multiple of
 * `subticksPerTick` in the same direction, and bounded to `[subticksPerTick, 2^64−1 − (2^64−1) mod spt]`.
 * Source: `liquidations.go::ConvertFillablePriceToSubticks`; vectors in `TestConvertFillablePriceToSubticks`.
 *
 * @example fillable 5e9 quote quantums/base quantum, BTC pair (exponent −8) → 500,000,000,000,000,000 subticks
 */
export function fillablePriceToSubticks(
  fillable: Rational,
  isLiquidatingLong: boolean,
  clobPair: Pick<ClobPair, "subticksPerTick" | "quantumConversionExponent">,
): bigint {
  if (fillable.num < 0n)
    throw dydxRevert("panic", "ConvertFillablePriceToSubticks: FillablePrice should not be negative");
  const spt = clobPair.subticksPerTick;
  if (spt <= 0n)
    throw new InputError("subticksPerTick", spt, "must be positive", "Use the CLOB pair's value.");
  const e = clobPair.quantumConversionExponent;
  const num = e < 0 ? fillable.num * pow10(-e) : fillable.num;
  const den = e < 0 ? fillable.den : fillable.den * pow10(e);
  const rounded = isLiquidatingLong ? ceilDiv(num, den) : floorDiv(num, den);
  const aligned = (isLiquidatingLong ? ceilDiv(rounded, spt) : floorDiv(rounded, spt)) * spt;
  const max = MAX_UINT64 - (MAX_UINT64 % spt);
  return aligned < spt ? spt : minBig(aligned, max);
}

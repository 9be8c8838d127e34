/**
 * dYdX v4 bankruptcy quote: the quote quantums at which closing part of a position leaves the
 * subaccount's TNC/TMMR unchanged (`GetBankruptcyPriceInQuoteQuantums`). Part of the `dydx-v4`
 * namespace (src/venues/dydx-v4.ts).
 */
import { absBig, floorDiv, signBig } from "../../math/fixed-point.js";
import { positionRisk, subaccountRisk } from "./margin.js";
import { dydxRevert, type Position, type Subaccount } from "./parameters.js";

export function findPosition(subaccount: Subaccount, ticker: string): Position | undefined {
  return subaccount.positions.find((p) => p.market.ticker === ticker);
}

export function checkDelta(subaccount: Subaccount, ticker: string, deltaQuantums: bigint): Position {
  const position = findPosition(subaccount, ticker);
  const ps = position?.quantums ?? 0n;
  if (
    position === undefined ||
    signBig(ps) * signBig(deltaQuantums) !== -1 ||
    absBig(deltaQuantums) > absBig(ps)
  )
    throw dydxRevert(
      "ErrInvalidPerpetualPositionSizeDelta",
      `delta ${deltaQuantums} is invalid for ${ticker} position ${ps}: it must be non-zero, opposite in sign and not larger`,
      "deltaQuantums",
    );
  return position;
}

/**
 * The quote quantums the subaccount must at least receive (positive) or may at most pay (negative) to
 * close `deltaQuantums` of its `ticker` position without going bankrupt:
 * ```
 * bankruptcy(Δ) = −ΔNNV − ⌊TNC · |ΔMMR| / TMMR⌋
 * ```
 * with `ΔNNV = NNV(q + Δ) − NNV(q)` and `ΔMMR = MMR(q + Δ) − MMR(q)` taken as differences (MMR may be
 * non-linear). The division rounds toward −∞ (Euclidean), so the result rounds toward +∞ and closing
 * at it never needs the insurance fund. Throws a {@link VenueRevertError} `ErrInvalidPerpetualPositionSizeDelta`
 * for Δ = 0, a missing position, the same sign or |Δ| > |q|.
 * Source: `liquidations.go::GetBankruptcyPriceInQuoteQuantums`; test vectors in
 * `liquidations_test.go::TestGetBankruptcyPriceInQuoteQuantums`.
 *
 * @example 0.1 BTC long, USDC −4,501, Δ −0.1 BTC → 4,501,000,000 ($4,501); 1 BTC long, USDC −13, Δ −21,347 → 2,776
 */
export function bankruptcyQuoteQuantums(
  subaccount: Subaccount,
  ticker: string,
  deltaQuantums: bigint,
): bigint {
  const position = checkDelta(subaccount, ticker, deltaQuantums);
  const total = subaccountRisk(subaccount);
  const custom = position.customImfPpm ?? 0;
  const before = positionRisk(position.market, position.quantums, custom);
  const after = positionRisk(position.market, position.quantums + deltaQuantums, custom);
  const dNnv = after.nc - before.nc;
  const dMmr = after.mmr - before.mmr;
  if (dMmr > 0n) throw dydxRevert("panic", "GetBankruptcyPriceInQuoteQuantums: DMMR is positive");
  if (total.mmr <= 0n) throw dydxRevert("panic", "TMMR is zero: the bankruptcy share is undefined");
  return -dNnv - floorDiv(total.nc * absBig(dMmr), total.mmr);
}

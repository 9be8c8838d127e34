/**
 * GMX v2 (synthetics) position price impact: the imbalance between long and short open interest
 * before and after a trade, `diff = |OI_long − OI_short|`, priced as `factor · diff^exponent`.
 * Part of the `gmx-v2` namespace (src/venues/gmx-v2.ts).
 */

/** A market's position impact parameters (`Keys.positionImpactFactorKey`, `positionImpactExponentFactorKey`). */
export interface PositionImpactParams {
  /** Factor when the trade improves the balance (`positionImpactFactorKey(market, true)`). */
  readonly positiveImpactFactor: number;
  /** Factor when it worsens the balance (`positionImpactFactorKey(market, false)`). */
  readonly negativeImpactFactor: number;
  /** Exponent when it improves the balance (`positionImpactExponentFactorKey(market, true)`). */
  readonly positiveExponent: number;
  /** Exponent when it worsens it (`positionImpactExponentFactorKey(market, false)`). */
  readonly negativeExponent: number;
}

/** Open interest of a market, in USD, on each side. */
export interface OpenInterestUsd {
  readonly long: number;
  readonly short: number;
}

/**
 * The price impact in USD of changing one side's open interest by `deltaUsd` (negative: a decrease),
 * and whether the trade improved the balance. Same-side rebalance (the larger side stays the larger):
 * `±|f(d₀) − f(d₁)|`, `f(d) = factor·d^e` with the positive factor and exponent when the imbalance
 * shrinks, the negative ones when it grows; crossover (the trade flips the larger side):
 * `f₊(d₀) − f₋(d₁)`. Open interest in USD (`USE_OPEN_INTEREST_IN_TOKENS_FOR_BALANCE` false), no virtual
 * inventory. Source: gmx-io/gmx-synthetics `contracts/pricing/PositionPricingUtils.sol`
 * (`_getPriceImpactUsd`, `getNextOpenInterestParams`) and `contracts/pricing/PricingUtils.sol`
 * (`getPriceImpactUsdForSameSideRebalance`, `getPriceImpactUsdForCrossoverRebalance`, `applyImpactFactor`).
 *
 * @example balanced pool, long +200,000, negative factor 1e-8, exponent 2 → −400
 * (test/exchange/PositionPriceImpact/PairMarket.ts "price impact pair market")
 */
export function positionPriceImpactUsd(
  openInterest: OpenInterestUsd,
  deltaUsd: number,
  isLong: boolean,
  params: PositionImpactParams,
): { priceImpactUsd: number; balanceWasImproved: boolean } {
  const nextLong = isLong ? openInterest.long + deltaUsd : openInterest.long;
  const nextShort = isLong ? openInterest.short : openInterest.short + deltaUsd;
  const initialDiff = Math.abs(openInterest.long - openInterest.short);
  const nextDiff = Math.abs(nextLong - nextShort);
  const balanceWasImproved = nextDiff < initialDiff;
  const sameSide = openInterest.long <= openInterest.short === nextLong <= nextShort;
  if (sameSide) {
    const factor = balanceWasImproved ? params.positiveImpactFactor : params.negativeImpactFactor;
    const exponent = balanceWasImproved ? params.positiveExponent : params.negativeExponent;
    const delta = Math.abs(factor * initialDiff ** exponent - factor * nextDiff ** exponent);
    return { priceImpactUsd: balanceWasImproved ? delta : -delta, balanceWasImproved };
  }
  const positive = params.positiveImpactFactor * initialDiff ** params.positiveExponent;
  const negative = params.negativeImpactFactor * nextDiff ** params.negativeExponent;
  return { priceImpactUsd: positive - negative, balanceWasImproved };
}

/**
 * dYdX v4 quantum conversions and margin: notional at the oracle price, initial and maintenance
 * margin per liquidity tier (open-interest scaled IMF), position and subaccount risk (TNC, TIMR, TMMR)
 * and the liquidatable test. Part of the `dydx-v4` namespace (src/venues/dydx-v4.ts).
 */
import { InputError } from "../../errors.js";
import { absBig, maxBig, mulDiv, pow10 } from "../../math/fixed-point.js";
import {
  type LiquidityTier,
  type Market,
  ONE_MILLION,
  QUOTE_ATOMIC_RESOLUTION,
  type Risk,
  type Subaccount,
} from "./parameters.js";

/**
 * Base quantums → quote quantums at the oracle price, truncated toward zero (so a short's negative
 * notional rounds toward 0): `q · priceValue · 10^(priceExponent + atomicResolution + 6)`.
 * Source: `protocol/lib/quantums.go::BaseToQuoteQuantums`.
 *
 * @example baseToQuoteQuantums(10_000_000n, -8, 5_000_000_000n, -5) // 0.1 BTC at $50,000 → 5,000,000,000 ($5,000)
 */
export function baseToQuoteQuantums(
  baseQuantums: bigint,
  atomicResolution: number,
  priceValue: bigint,
  priceExponent: number,
): bigint {
  const e = priceExponent + atomicResolution - QUOTE_ATOMIC_RESOLUTION;
  const v = baseQuantums * priceValue;
  return e >= 0 ? v * pow10(e) : v / pow10(-e);
}

/**
 * Quote quantums → base quantums at the oracle price, magnitude rounded down, sign kept:
 * `sign(Q) · ⌊|Q| / priceValue / 10^(priceExponent + atomicResolution + 6)⌋`.
 * Source: `protocol/lib/quantums.go::QuoteToBaseQuantums`.
 */
export function quoteToBaseQuantums(
  quoteQuantums: bigint,
  atomicResolution: number,
  priceValue: bigint,
  priceExponent: number,
): bigint {
  if (priceValue <= 0n)
    throw new InputError("priceValue", priceValue, "must be positive", "Oracle prices are positive.");
  const e = priceExponent + atomicResolution - QUOTE_ATOMIC_RESOLUTION;
  const m = absBig(quoteQuantums);
  const q = e >= 0 ? m / (priceValue * pow10(e)) : (m * pow10(-e)) / priceValue;
  return quoteQuantums < 0n ? -q : q;
}

/** Signed net notional of `quantums` of `market` at its oracle price (quote quantums, toward 0). Source: `GetNetNotionalInQuoteQuantums`. */
export function netNotional(market: Market, quantums: bigint): bigint {
  return baseToQuoteQuantums(quantums, market.atomicResolution, market.priceValue, market.priceExponent);
}

/**
 * A fill's quote quantums from its price in subticks: `⌊subticks · baseQuantums · 10^quantumConversionExponent⌋`.
 * Source: `x/clob/types/clob_pair.go::FillAmountToQuoteQuantums` (used by `GetLiquidationInsuranceFundDelta`).
 *
 * @example fillAmountToQuoteQuantums(56_100_000_000n, 10_000_000n, -8) // 0.1 BTC at $56,100 → 5,610,000,000
 */
export function fillAmountToQuoteQuantums(
  subticks: bigint,
  baseQuantums: bigint,
  quantumConversionExponent: number,
): bigint {
  if (subticks < 0n || baseQuantums < 0n)
    throw new InputError("subticks", subticks, "and baseQuantums must be non-negative", "Pass magnitudes.");
  const v = subticks * baseQuantums;
  return quantumConversionExponent >= 0
    ? v * pow10(quantumConversionExponent)
    : v / pow10(-quantumConversionExponent);
}

// --- margin -------------------------------------------------------------------------------------

/**
 * Maintenance margin fraction in ppm: `⌊IMF_ppm · MF_ppm / 1e6⌋`.
 * Source: `liquidity_tier.go::GetMaintenanceMarginPpm`.
 *
 * @example maintenanceMarginPpm({ initialMarginPpm: 637_239, maintenanceFractionPpm: 289_284, … }) // 184,343
 */
export function maintenanceMarginPpm(
  tier: Pick<LiquidityTier, "initialMarginPpm" | "maintenanceFractionPpm">,
): number {
  return Number(
    mulDiv(BigInt(tier.initialMarginPpm), BigInt(tier.maintenanceFractionPpm), ONE_MILLION, "down"),
  );
}

/**
 * Open-interest-scaled initial margin fraction (ppm):
 * `IMF = base` when `upperCap = 0` or `OI ≤ lowerCap`; `1e6` when `OI ≥ upperCap`; otherwise
 * `base + ⌊(1e6 − base) · (OI − lowerCap) / (upperCap − lowerCap)⌋` (the ppm rounds down).
 * `OI` is open notional in quote quantums. Source: `liquidity_tier.go::GetAdjustedInitialMarginPpm`;
 * docs `concepts/trading/margin.mdx` ("Effective IMF = Min(Base IMF + Max(IMF Increase, 0), 1.0)").
 *
 * @example caps 1e6/2e6, base 200,000, OI 1,234,567 → 387,653 (0.3876536 rounded down)
 */
export function adjustedInitialMarginPpm(tier: LiquidityTier, openInterestNotional: bigint): bigint {
  const base = BigInt(tier.initialMarginPpm);
  const lower = tier.openInterestLowerCap;
  const upper = tier.openInterestUpperCap;
  if (upper === 0n || openInterestNotional <= lower) return base;
  if (openInterestNotional >= upper) return ONE_MILLION;
  return base + mulDiv(ONE_MILLION - base, openInterestNotional - lower, upper - lower, "down");
}

/**
 * Initial margin requirement in quote quantums: `⌈N · max(IMF_adj(OI), customImf) / 1e6⌉` for the
 * notional magnitude `N`. Source: `liquidity_tier.go::GetInitialMarginQuoteQuantums`.
 *
 * @example IMF 56.7243 %, N 123,456 → 70,030 (70,029.55 rounded up); base 20 %, N 500,000, OI 1.5e12
 *   between caps 1e12/2e12 → 300,000 (60 %)
 */
export function initialMarginQuoteQuantums(
  tier: LiquidityTier,
  notional: bigint,
  openInterestNotional = 0n,
  customImfPpm = 0,
): bigint {
  const imf = maxBig(adjustedInitialMarginPpm(tier, openInterestNotional), BigInt(customImfPpm));
  return mulDiv(absBig(notional), imf, ONE_MILLION, "up");
}

/**
 * Maintenance margin requirement in quote quantums, from the *base* IMR (open-interest scaling and a
 * custom IMF do not raise it): `⌈⌈N · IMF_base / 1e6⌉ · MF / 1e6⌉`.
 * Source: `x/perpetuals/lib/lib.go::GetMarginRequirementsInQuoteQuantums`.
 */
export function maintenanceMarginQuoteQuantums(tier: LiquidityTier, notional: bigint): bigint {
  const baseImr = mulDiv(absBig(notional), BigInt(tier.initialMarginPpm), ONE_MILLION, "up");
  return mulDiv(baseImr, BigInt(tier.maintenanceFractionPpm), ONE_MILLION, "up");
}

/**
 * Net notional (signed), IMR and MMR of `quantums` of `market` (quote quantums).
 * Source: `lib.go::GetPositionNetNotionalValueAndMarginRequirements`.
 */
export function positionRisk(market: Market, quantums: bigint, customImfPpm = 0): Risk {
  const notional = netNotional(market, absBig(quantums));
  const oi = netNotional(market, market.openInterestQuantums ?? 0n);
  return {
    nc: netNotional(market, quantums),
    imr: initialMarginQuoteQuantums(market.tier, notional, oi, customImfPpm),
    mmr: maintenanceMarginQuoteQuantums(market.tier, notional),
  };
}

/**
 * Total net collateral `TNC = Q + Σ NNV_i`, `TIMR = Σ IMR_i`, `TMMR = Σ MMR_i` (quote quantums).
 * Source: `x/subaccounts` `GetNetCollateralAndMarginRequirements`; research note §2.1.
 */
export function subaccountRisk(subaccount: Subaccount): Risk {
  let nc = subaccount.quoteBalance;
  let imr = 0n;
  let mmr = 0n;
  for (const p of subaccount.positions) {
    const r = positionRisk(p.market, p.quantums, p.customImfPpm ?? 0);
    nc += r.nc;
    imr += r.imr;
    mmr += r.mmr;
  }
  return { nc, imr, mmr };
}

/**
 * The liquidation rule: a subaccount is liquidatable iff `TMMR > 0 && TMMR > TNC` (TNC equal to TMMR
 * is not liquidatable). Source: `protocol/lib/margin/risk.go::IsLiquidatable`.
 *
 * @example 0.1 BTC long at $50,000 (tier IM 20 %, MF 50 %): USDC −4,500 → false (TNC = TMMR = $500); −4,501 → true
 */
export function isLiquidatable(risk: Risk): boolean {
  return risk.mmr > 0n && risk.mmr > risk.nc;
}

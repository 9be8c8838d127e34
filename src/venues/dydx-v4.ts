/**
 * dYdX v4 (dydxprotocol/v4-chain, Go) liquidation rules, re-derived from the chain's formulas (no code
 * copied). The chain computes in integers, so everything that parity depends on is exact bigint here:
 *
 * | quantity | unit |
 * |---|---|
 * | quote amounts (USDC balance, notional, margin, TNC) | quote quantums, 1e-6 USDC (`QuoteCurrencyAtomicResolution = −6`) |
 * | position sizes | base quantums, `10^atomicResolution` coins (BTC −10 on mainnet, −8 in the unit tests) |
 * | oracle price | `priceValue × 10^priceExponent` USD per coin (BTC exponent −5) |
 * | ratios | ppm (1,000,000 = 100 %) |
 * | fillable price | exact rational, quote quantums per base quantum |
 *
 * Every division names its rounding, as the chain does: notional truncates toward zero, margin rounds
 * up, the bankruptcy share rounds toward −∞ (so the bankruptcy quote rounds toward +∞), ppm fees round
 * toward −∞. Calls the chain would reject (`ErrInvalidPerpetualPositionSizeDelta`, …) throw a
 * {@link VenueRevertError} carrying the chain's error name; bad parameters throw an {@link InputError}.
 *
 * Sources (read at the commits named): dydxprotocol/v4-chain
 * - `protocol/x/clob/keeper/liquidations.go` @ 014223b64bd4adc1ab42f675a81fcd1e7924d1e9
 *   (`GetBankruptcyPriceInQuoteQuantums`, `GetFillablePrice`, `GetLiquidationInsuranceFundDelta`,
 *   `GetLiquidatablePositionSizeDelta`, `GetMaxAndMinPositionNotionalLiquidatable`,
 *   `GetSubaccountMaxNotionalLiquidatable`, `GetSubaccountMaxInsuranceLost`,
 *   `ConvertFillablePriceToSubticks`, `GetPerpetualPositionToLiquidate`, `SortLiquidationOrders`);
 * - `protocol/x/clob/keeper/deleveraging.go` @ 002f3fa4d40298f805b4d10f10141d3e6be65096
 *   (`CanDeleverageSubaccount`, `IsValidInsuranceFundDelta`, `OffsetSubaccountPerpetualPosition`,
 *   `ProcessDeleveraging`, `getDeleveragingQuoteQuantumsDelta`);
 * - `protocol/x/perpetuals/types/liquidity_tier.go` @ 6c82ba15379ac9bb14b745c7757cf6605c1767f7
 *   (`GetMaintenanceMarginPpm`, `GetInitialMarginQuoteQuantums`, `GetAdjustedInitialMarginPpm`);
 * - `protocol/x/perpetuals/lib/lib.go` @ b89003d18db472ca12851e4caf61275146a52fec
 *   (`GetMarginRequirementsInQuoteQuantums`: MMR from the base IMR, OI scaling only on IMR);
 * - `protocol/lib/quantums.go` (`BaseToQuoteQuantums` truncates, `QuoteToBaseQuantums` floors |x|);
 * - `protocol/x/subaccounts/lib/updates.go` (`IsValidStateTransitionForUndercollateralizedSubaccount`);
 * - `protocol/lib/margin/risk.go` (`IsLiquidatable`: `MMR > 0 && MMR > NC`);
 * - `protocol/testing/mainnet/genesis.json` @ 1c670234d63070b6a12747283c6be6a9ab96c761 (launch values);
 * - docs `docs/pages/concepts/trading/liquidations.mdx` and help centre "Contract loss mechanisms on
 *   dYdX Chain" (float forms); research note `/work/shared/research/mechanics.md` §2, §10.3.
 *
 * This module is the namespace's entry; each job lives in one file of `src/venues/dydx-v4/`:
 * `parameters.ts` (units, chain errors, genesis tiers and listings, validation), `margin.ts`
 * (conversions, IMR/MMR, risk), `bankruptcy.ts`, `fillable-price.ts`, `insurance-fund.ts`,
 * `liquidation-order.ts` (block limits and order sizing), `deleveraging.ts`, and `adapter.ts` (the
 * docs' float formulas and the {@link Venue} rulebook).
 */

export {
  bankruptcyUsd,
  blockFraction,
  fillablePriceUsd,
  liquidationFillUsd,
  liquidationPriceUsd,
  liquidationSteps,
  venue,
} from "./dydx-v4/adapter.js";
export { bankruptcyQuoteQuantums } from "./dydx-v4/bankruptcy.js";
export {
  canDeleverage,
  type DeleveragingFill,
  type DeleveragingResult,
  isValidStateTransition,
  type OffsettingCandidate,
  offsetSubaccountPerpetualPosition,
} from "./dydx-v4/deleveraging.js";
export {
  type ClobPair,
  fillablePrice,
  fillablePriceToSubticks,
  quantumPriceToUsd,
} from "./dydx-v4/fillable-price.js";
export {
  isValidInsuranceFundDelta,
  type LiquidationFill,
  liquidationInsuranceFundDelta,
} from "./dydx-v4/insurance-fund.js";
export {
  type BlockLiquidationInfo,
  EMPTY_BLOCK,
  type LiquidationOrder,
  liquidatablePositionSizeDelta,
  liquidationOrder,
  positionNotionalLiquidatable,
  subaccountMaxInsuranceLost,
  subaccountMaxNotionalLiquidatable,
} from "./dydx-v4/liquidation-order.js";
export {
  adjustedInitialMarginPpm,
  baseToQuoteQuantums,
  fillAmountToQuoteQuantums,
  initialMarginQuoteQuantums,
  isLiquidatable,
  maintenanceMarginPpm,
  maintenanceMarginQuoteQuantums,
  netNotional,
  positionRisk,
  quoteToBaseQuantums,
  subaccountRisk,
} from "./dydx-v4/margin.js";
export {
  type LiquidationsConfig,
  type LiquidityTier,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  MAINNET_GENESIS_LIQUIDITY_TIERS,
  MAINNET_GENESIS_PERPETUALS,
  MAINNET_GENESIS_SOURCE,
  type Market,
  ONE_MILLION,
  type PerpetualListing,
  type Position,
  QUOTE_ATOMIC_RESOLUTION,
  QUOTE_QUANTUMS_PER_USDC,
  type Rational,
  type RevertReason,
  type Risk,
  rationalToNumber,
  type Subaccount,
  V5_LIQUIDITY_TIERS,
  V5_OIMF_CAPS_SOURCE,
  validateLiquidationsConfig,
  validateLiquidityTier,
} from "./dydx-v4/parameters.js";

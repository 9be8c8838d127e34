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
 */
import { InputError } from "../errors.js";
import { buildTierTable } from "../margin/tiers.js";
import type { MarginRules } from "../margin/types.js";
import {
  absBig,
  ceilDiv,
  floorDiv,
  maxBig,
  minBig,
  mulDiv,
  pow10,
  type Rational,
  ratCompare,
  rational,
  ratMul,
  ratSub,
  ratToNumber,
  signBig,
} from "../math/fixed-point.js";
import { defineVenue, type ListedInstrument } from "./define.js";
import { noLiquidation } from "./procedures.js";
import { revertsOf } from "./revert.js";
import type { LiquidationState, LiquidationStep, Venue } from "./types.js";

// --- units -------------------------------------------------------------------------------------

/** 1,000,000: ppm denominator (`lib.OneMillion`). */
export const DYDX_ONE_MILLION = 1_000_000n;
/** USDC quote quantum exponent (`lib.QuoteCurrencyAtomicResolution`): 1 quantum = 1e-6 USDC. */
export const DYDX_QUOTE_ATOMIC_RESOLUTION = -6;
/** Quote quantums per USDC. */
export const DYDX_QUOTE_QUANTUMS_PER_USDC = 1_000_000n;
/** Largest uint64 (bounds of the liquidation order's subticks). */
const MAX_UINT64 = (1n << 64n) - 1n;

/** The chain's errors (and Go panics) the replica reproduces. */
export type DydxRevertReason =
  | "ErrInvalidPerpetualPositionSizeDelta"
  | "ErrInvalidQuantumsForInsuranceFundDeltaCalculation"
  | "ErrSubaccountHasLiquidatedPerpetual"
  | "ErrNoPerpetualPositionsToLiquidate"
  | "ErrSubaccountNotLiquidatable"
  | "panic";

/** A call the chain would refuse: a {@link VenueRevertError} with the chain's error name (or `panic`). */
const dydxRevert = revertsOf<DydxRevertReason>("dydx-v4");

/** An exact rational `num / den` with `den > 0`, reduced (Go `big.Rat`); see {@link Rational}. */
export type DydxRational = Rational;

/** A rational as a float (display and float/exact checks), see {@link ratToNumber}. Source: the analogue of Go `big.Rat.Float64` used by the chain's metrics. */
export const dydxRationalToNumber: (r: DydxRational) => number = ratToNumber;

// --- parameters ---------------------------------------------------------------------------------

/**
 * A liquidity tier (`x/perpetuals` `LiquidityTier`). Margin: `IMF = initialMarginPpm`,
 * `MMF = IMF × maintenanceFractionPpm`. Open-interest-scaled IMF between the caps (quote quantums);
 * `openInterestUpperCap = 0` disables the scaling.
 */
export interface DydxLiquidityTier {
  readonly id: number;
  readonly name: string;
  readonly initialMarginPpm: number;
  readonly maintenanceFractionPpm: number;
  /** Open notional (quote quantums) below which the IMF is not scaled. */
  readonly openInterestLowerCap: bigint;
  /** Open notional (quote quantums) at which the IMF reaches 100 %; 0 disables the scaling. */
  readonly openInterestUpperCap: bigint;
  /** Notional used by the funding-premium sampler (quote quantums); must be non-zero. */
  readonly impactNotional: bigint;
  /** Launch-era field, unused by the current margin code (kept for provenance). */
  readonly basePositionNotional?: bigint;
}

/** A perpetual as listed at genesis: ticker, liquidity tier id, base atomic resolution. */
export interface DydxPerpetualListing {
  readonly ticker: string;
  readonly id: number;
  readonly liquidityTier: number;
  readonly atomicResolution: number;
}

/** Where the bundled launch parameters come from. */
export const DYDX_MAINNET_GENESIS_SOURCE =
  "dydxprotocol/v4-chain protocol/testing/mainnet/genesis.json @ 1c670234d63070b6a12747283c6be6a9ab96c761 (genesis_time 2023-10-26, chain dydx-mainnet-1)";

/**
 * The four launch liquidity tiers of dYdX Chain mainnet (genesis; open-interest caps 0 = disabled, as at
 * launch; the v5.0.0 upgrade added caps, see {@link DYDX_V5_LIQUIDITY_TIERS}). MMF: Large-Cap 3 %, Mid-Cap 5 %, Long-Tail 10 %,
 * Safety 20 %. Source: {@link DYDX_MAINNET_GENESIS_SOURCE}.
 */
export const DYDX_MAINNET_GENESIS_LIQUIDITY_TIERS: readonly DydxLiquidityTier[] = [
  {
    id: 0,
    name: "Large-Cap",
    initialMarginPpm: 50_000,
    maintenanceFractionPpm: 600_000,
    openInterestLowerCap: 0n,
    openInterestUpperCap: 0n,
    impactNotional: 10_000_000_000n,
    basePositionNotional: 1_000_000_000_000n,
  },
  {
    id: 1,
    name: "Mid-Cap",
    initialMarginPpm: 100_000,
    maintenanceFractionPpm: 500_000,
    openInterestLowerCap: 0n,
    openInterestUpperCap: 0n,
    impactNotional: 5_000_000_000n,
    basePositionNotional: 250_000_000_000n,
  },
  {
    id: 2,
    name: "Long-Tail",
    initialMarginPpm: 200_000,
    maintenanceFractionPpm: 500_000,
    openInterestLowerCap: 0n,
    openInterestUpperCap: 0n,
    impactNotional: 2_500_000_000n,
    basePositionNotional: 100_000_000_000n,
  },
  {
    id: 3,
    name: "Safety",
    initialMarginPpm: 1_000_000,
    maintenanceFractionPpm: 200_000,
    openInterestLowerCap: 0n,
    openInterestUpperCap: 0n,
    impactNotional: 2_500_000_000n,
    basePositionNotional: 1_000_000_000n,
  },
];

/** Where {@link DYDX_V5_LIQUIDITY_TIERS}' open-interest caps come from. */
export const DYDX_V5_OIMF_CAPS_SOURCE =
  "dydxprotocol/v4-chain protocol/app/upgrades/v5.0.0/upgrade.go @ b1cb4d0f8baede4607b0eada180758db785b3f45 (initializeOIMFCaps)";

/**
 * The liquidity tiers after the v5.0.0 chain upgrade, which switched on open-interest-scaled initial
 * margin: Large-Cap no caps; Mid-Cap $20M–$50M; Long-Tail $5M–$10M; Safety $2M–$5M (quote quantums).
 * The upgrade kept each tier's IMF and maintenance fraction as they stood; they are the genesis values
 * here, which assumes governance had not changed them before v5.0.0 (not checked). Later governance
 * proposals may have changed any of these: the live values are `GET /dydxprotocol/perpetuals/liquidity_tiers`.
 * Source: {@link DYDX_V5_OIMF_CAPS_SOURCE}; IMF/MF from {@link DYDX_MAINNET_GENESIS_SOURCE}.
 */
export const DYDX_V5_LIQUIDITY_TIERS: readonly DydxLiquidityTier[] = DYDX_MAINNET_GENESIS_LIQUIDITY_TIERS.map(
  (t) => {
    const caps: Record<number, [bigint, bigint]> = {
      0: [0n, 0n],
      1: [20_000_000_000_000n, 50_000_000_000_000n],
      2: [5_000_000_000_000n, 10_000_000_000_000n],
    };
    const [lower, upper] = caps[t.id] ?? [2_000_000_000_000n, 5_000_000_000_000n];
    return { ...t, openInterestLowerCap: lower, openInterestUpperCap: upper };
  },
);

const listing = (ticker: string, id: number, liquidityTier: number, atomicResolution: number) => ({
  ticker,
  id,
  liquidityTier,
  atomicResolution,
});

/** The 33 perpetuals of mainnet genesis with their liquidity tier and atomic resolution. Source: {@link DYDX_MAINNET_GENESIS_SOURCE}. */
export const DYDX_MAINNET_GENESIS_PERPETUALS: readonly DydxPerpetualListing[] = [
  listing("BTC-USD", 0, 0, -10),
  listing("ETH-USD", 1, 0, -9),
  listing("LINK-USD", 2, 1, -6),
  listing("POL-USD", 3, 1, -5),
  listing("CRV-USD", 4, 1, -5),
  listing("SOL-USD", 5, 1, -7),
  listing("ADA-USD", 6, 1, -5),
  listing("AVAX-USD", 7, 1, -7),
  listing("FIL-USD", 8, 1, -6),
  listing("LTC-USD", 9, 1, -7),
  listing("DOGE-USD", 10, 1, -4),
  listing("ATOM-USD", 11, 1, -6),
  listing("DOT-USD", 12, 1, -6),
  listing("UNI-USD", 13, 1, -6),
  listing("BCH-USD", 14, 1, -8),
  listing("TRX-USD", 15, 1, -4),
  listing("NEAR-USD", 16, 1, -6),
  listing("MKR-USD", 17, 2, -9),
  listing("XLM-USD", 18, 1, -5),
  listing("ETC-USD", 19, 1, -7),
  listing("COMP-USD", 20, 2, -7),
  listing("WLD-USD", 21, 1, -6),
  listing("APE-USD", 22, 2, -6),
  listing("APT-USD", 23, 1, -6),
  listing("ARB-USD", 24, 1, -6),
  listing("BLUR-USD", 25, 2, -5),
  listing("LDO-USD", 26, 2, -6),
  listing("OP-USD", 27, 1, -6),
  listing("PEPE-USD", 28, 1, 1),
  listing("SEI-USD", 29, 2, -5),
  listing("SHIB-USD", 30, 1, 0),
  listing("SUI-USD", 31, 1, -5),
  listing("XRP-USD", 32, 1, -5),
];

/**
 * The `x/clob` liquidations configuration. Sizes and amounts in quote quantums, ratios in ppm.
 * `bankruptcyAdjustmentPpm` (BA, ≥ 1e6) and `spreadToMaintenanceMarginRatioPpm` (SMMR) shape the
 * fillable price; the block limits bound each liquidation.
 */
export interface DydxLiquidationsConfig {
  readonly maxLiquidationFeePpm: number;
  readonly bankruptcyAdjustmentPpm: number;
  readonly spreadToMaintenanceMarginRatioPpm: number;
  /** Position block limit: the smallest notional a liquidation order closes (unless the position is smaller). */
  readonly minPositionNotionalLiquidated: bigint;
  /** Position block limit: the share of the position's notional one block may close. */
  readonly maxPositionPortionLiquidatedPpm: number;
  /** Subaccount block limit: notional liquidated per subaccount per block. */
  readonly maxNotionalLiquidated: bigint;
  /** Subaccount block limit: insurance-fund payout per subaccount per block. */
  readonly maxQuantumsInsuranceLost: bigint;
}

/**
 * Mainnet genesis liquidations config: max liquidation fee 1.5 %, BA 1.0, SMMR 1.5, min position
 * notional $1,000, max 10 % of a position per block, $100,000 notional and $1,000,000 insurance loss per
 * subaccount per block. Source: {@link DYDX_MAINNET_GENESIS_SOURCE} (`clob.liquidations_config`).
 */
export const DYDX_MAINNET_GENESIS_LIQUIDATIONS_CONFIG: DydxLiquidationsConfig = {
  maxLiquidationFeePpm: 15_000,
  bankruptcyAdjustmentPpm: 1_000_000,
  spreadToMaintenanceMarginRatioPpm: 1_500_000,
  minPositionNotionalLiquidated: 1_000_000_000n,
  maxPositionPortionLiquidatedPpm: 100_000,
  maxNotionalLiquidated: 100_000_000_000n,
  maxQuantumsInsuranceLost: 1_000_000_000_000n,
};

/** A market: the perpetual's base resolution, its oracle price, its liquidity tier and open interest. */
export interface DydxMarket {
  readonly ticker: string;
  /** One base quantum is `10^atomicResolution` coins. */
  readonly atomicResolution: number;
  /** Oracle price `priceValue × 10^priceExponent` USD per coin. */
  readonly priceValue: bigint;
  readonly priceExponent: number;
  readonly tier: DydxLiquidityTier;
  /** Open interest in base quantums (OI-scaled IMF only); 0 when absent. */
  readonly openInterestQuantums?: bigint;
}

/** A perpetual position: signed base quantums (+ long, − short). */
export interface DydxPosition {
  readonly market: DydxMarket;
  readonly quantums: bigint;
  /** User-chosen IMF (ppm) that raises the IMR when above the OI-scaled one; 0/absent = none. */
  readonly customImfPpm?: number;
}

/** A subaccount: its USDC balance (quote quantums, may be negative) and its perpetual positions. */
export interface DydxSubaccount {
  readonly quoteBalance: bigint;
  readonly positions: readonly DydxPosition[];
}

/** Net collateral (NC/TNC), initial and maintenance margin requirements, in quote quantums. */
export interface DydxRisk {
  readonly nc: bigint;
  readonly imr: bigint;
  readonly mmr: bigint;
}

// --- validation ---------------------------------------------------------------------------------

function checkPpm(field: string, value: unknown, max: number, fix: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    throw new InputError(field, value, `must be an integer ppm from 0 to ${max}`, fix);
  return value;
}

/**
 * Checks a liquidity tier as the chain's `LiquidityTier.Validate` does: IMF ≤ 1e6, maintenance
 * fraction ≤ 1e6, impact notional ≠ 0, lower cap ≤ upper cap. Throws an {@link InputError} naming the
 * field. Source: `x/perpetuals/types/liquidity_tier.go::Validate`.
 */
export function validateDydxLiquidityTier(tier: DydxLiquidityTier, field = "tier"): DydxLiquidityTier {
  checkPpm(`${field}.initialMarginPpm`, tier.initialMarginPpm, 1_000_000, "Write 5 % as 50000.");
  checkPpm(
    `${field}.maintenanceFractionPpm`,
    tier.maintenanceFractionPpm,
    1_000_000,
    "Write 60 % as 600000.",
  );
  if (typeof tier.impactNotional !== "bigint" || tier.impactNotional <= 0n)
    throw new InputError(
      `${field}.impactNotional`,
      tier.impactNotional,
      "must be a positive bigint",
      "Give quote quantums (1e-6 USDC).",
    );
  for (const key of ["openInterestLowerCap", "openInterestUpperCap"] as const) {
    const v = tier[key];
    if (typeof v !== "bigint" || v < 0n)
      throw new InputError(
        `${field}.${key}`,
        v,
        "must be a non-negative bigint",
        "Give quote quantums; 0n disables.",
      );
  }
  if (tier.openInterestLowerCap > tier.openInterestUpperCap)
    throw new InputError(
      `${field}.openInterestLowerCap`,
      tier.openInterestLowerCap,
      `exceeds openInterestUpperCap ${tier.openInterestUpperCap}`,
      "Order the caps (both 0n disables the scaling).",
    );
  return tier;
}

/**
 * Checks a liquidations config (our checks, in the chain's units): fee ≤ 1e6 ppm, BA in [1e6, 2^32 − 1]
 * (the chain requires BA ≥ 1, research note §2.4), SMMR ≤ 2^32 − 1 (uint32), portion in (0, 1e6],
 * non-negative limits. Throws an {@link InputError} naming the field. Source: the field meanings of
 * `x/clob/types` `LiquidationsConfig` (research note §2.4–2.6).
 */
export function validateDydxLiquidationsConfig(
  config: DydxLiquidationsConfig,
  field = "config",
): DydxLiquidationsConfig {
  checkPpm(`${field}.maxLiquidationFeePpm`, config.maxLiquidationFeePpm, 1_000_000, "1.5 % is 15000.");
  const u32 = 4_294_967_295;
  checkPpm(`${field}.bankruptcyAdjustmentPpm`, config.bankruptcyAdjustmentPpm, u32, "1.0 is 1000000.");
  if (config.bankruptcyAdjustmentPpm < 1_000_000)
    throw new InputError(
      `${field}.bankruptcyAdjustmentPpm`,
      config.bankruptcyAdjustmentPpm,
      "must be at least 1000000 (1.0)",
      "The chain refuses BA < 1.",
    );
  checkPpm(
    `${field}.spreadToMaintenanceMarginRatioPpm`,
    config.spreadToMaintenanceMarginRatioPpm,
    u32,
    "1.5 is 1500000.",
  );
  checkPpm(
    `${field}.maxPositionPortionLiquidatedPpm`,
    config.maxPositionPortionLiquidatedPpm,
    1_000_000,
    "10 % is 100000.",
  );
  if (config.maxPositionPortionLiquidatedPpm === 0)
    throw new InputError(
      `${field}.maxPositionPortionLiquidatedPpm`,
      0,
      "must be positive",
      "10 % is 100000.",
    );
  for (const key of [
    "minPositionNotionalLiquidated",
    "maxNotionalLiquidated",
    "maxQuantumsInsuranceLost",
  ] as const) {
    const v = config[key];
    if (typeof v !== "bigint" || v < 0n)
      throw new InputError(
        `${field}.${key}`,
        v,
        "must be a non-negative bigint",
        "Give quote quantums (1e-6 USDC).",
      );
  }
  return config;
}

// --- conversions --------------------------------------------------------------------------------

/**
 * Base quantums → quote quantums at the oracle price, truncated toward zero (so a short's negative
 * notional rounds toward 0): `q · priceValue · 10^(priceExponent + atomicResolution + 6)`.
 * Source: `protocol/lib/quantums.go::BaseToQuoteQuantums`.
 *
 * @example dydxBaseToQuoteQuantums(10_000_000n, -8, 5_000_000_000n, -5) // 0.1 BTC at $50,000 → 5,000,000,000 ($5,000)
 */
export function dydxBaseToQuoteQuantums(
  baseQuantums: bigint,
  atomicResolution: number,
  priceValue: bigint,
  priceExponent: number,
): bigint {
  const e = priceExponent + atomicResolution - DYDX_QUOTE_ATOMIC_RESOLUTION;
  const v = baseQuantums * priceValue;
  return e >= 0 ? v * pow10(e) : v / pow10(-e);
}

/**
 * Quote quantums → base quantums at the oracle price, magnitude rounded down, sign kept:
 * `sign(Q) · ⌊|Q| / priceValue / 10^(priceExponent + atomicResolution + 6)⌋`.
 * Source: `protocol/lib/quantums.go::QuoteToBaseQuantums`.
 */
export function dydxQuoteToBaseQuantums(
  quoteQuantums: bigint,
  atomicResolution: number,
  priceValue: bigint,
  priceExponent: number,
): bigint {
  if (priceValue <= 0n)
    throw new InputError("priceValue", priceValue, "must be positive", "Oracle prices are positive.");
  const e = priceExponent + atomicResolution - DYDX_QUOTE_ATOMIC_RESOLUTION;
  const m = absBig(quoteQuantums);
  const q = e >= 0 ? m / (priceValue * pow10(e)) : (m * pow10(-e)) / priceValue;
  return quoteQuantums < 0n ? -q : q;
}

/** Signed net notional of `quantums` of `market` at its oracle price (quote quantums, toward 0). Source: `GetNetNotionalInQuoteQuantums`. */
export function dydxNetNotional(market: DydxMarket, quantums: bigint): bigint {
  return dydxBaseToQuoteQuantums(quantums, market.atomicResolution, market.priceValue, market.priceExponent);
}

/**
 * A fill's quote quantums from its price in subticks: `⌊subticks · baseQuantums · 10^quantumConversionExponent⌋`.
 * Source: `x/clob/types/clob_pair.go::FillAmountToQuoteQuantums` (used by `GetLiquidationInsuranceFundDelta`).
 *
 * @example dydxFillAmountToQuoteQuantums(56_100_000_000n, 10_000_000n, -8) // 0.1 BTC at $56,100 → 5,610,000,000
 */
export function dydxFillAmountToQuoteQuantums(
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
 * @example dydxMaintenanceMarginPpm({ initialMarginPpm: 637_239, maintenanceFractionPpm: 289_284, … }) // 184,343
 */
export function dydxMaintenanceMarginPpm(
  tier: Pick<DydxLiquidityTier, "initialMarginPpm" | "maintenanceFractionPpm">,
): number {
  return Number(
    mulDiv(BigInt(tier.initialMarginPpm), BigInt(tier.maintenanceFractionPpm), DYDX_ONE_MILLION, "down"),
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
export function dydxAdjustedInitialMarginPpm(tier: DydxLiquidityTier, openInterestNotional: bigint): bigint {
  const base = BigInt(tier.initialMarginPpm);
  const lower = tier.openInterestLowerCap;
  const upper = tier.openInterestUpperCap;
  if (upper === 0n || openInterestNotional <= lower) return base;
  if (openInterestNotional >= upper) return DYDX_ONE_MILLION;
  return base + mulDiv(DYDX_ONE_MILLION - base, openInterestNotional - lower, upper - lower, "down");
}

/**
 * Initial margin requirement in quote quantums: `⌈N · max(IMF_adj(OI), customImf) / 1e6⌉` for the
 * notional magnitude `N`. Source: `liquidity_tier.go::GetInitialMarginQuoteQuantums`.
 *
 * @example IMF 56.7243 %, N 123,456 → 70,030 (70,029.55 rounded up); base 20 %, N 500,000, OI 1.5e12
 *   between caps 1e12/2e12 → 300,000 (60 %)
 */
export function dydxInitialMarginQuoteQuantums(
  tier: DydxLiquidityTier,
  notional: bigint,
  openInterestNotional = 0n,
  customImfPpm = 0,
): bigint {
  const imf = maxBig(dydxAdjustedInitialMarginPpm(tier, openInterestNotional), BigInt(customImfPpm));
  return mulDiv(absBig(notional), imf, DYDX_ONE_MILLION, "up");
}

/**
 * Maintenance margin requirement in quote quantums, from the *base* IMR (open-interest scaling and a
 * custom IMF do not raise it): `⌈⌈N · IMF_base / 1e6⌉ · MF / 1e6⌉`.
 * Source: `x/perpetuals/lib/lib.go::GetMarginRequirementsInQuoteQuantums`.
 */
export function dydxMaintenanceMarginQuoteQuantums(tier: DydxLiquidityTier, notional: bigint): bigint {
  const baseImr = mulDiv(absBig(notional), BigInt(tier.initialMarginPpm), DYDX_ONE_MILLION, "up");
  return mulDiv(baseImr, BigInt(tier.maintenanceFractionPpm), DYDX_ONE_MILLION, "up");
}

/**
 * Net notional (signed), IMR and MMR of `quantums` of `market` (quote quantums).
 * Source: `lib.go::GetPositionNetNotionalValueAndMarginRequirements`.
 */
export function dydxPositionRisk(market: DydxMarket, quantums: bigint, customImfPpm = 0): DydxRisk {
  const notional = dydxNetNotional(market, absBig(quantums));
  const oi = dydxNetNotional(market, market.openInterestQuantums ?? 0n);
  return {
    nc: dydxNetNotional(market, quantums),
    imr: dydxInitialMarginQuoteQuantums(market.tier, notional, oi, customImfPpm),
    mmr: dydxMaintenanceMarginQuoteQuantums(market.tier, notional),
  };
}

/**
 * Total net collateral `TNC = Q + Σ NNV_i`, `TIMR = Σ IMR_i`, `TMMR = Σ MMR_i` (quote quantums).
 * Source: `x/subaccounts` `GetNetCollateralAndMarginRequirements`; research note §2.1.
 */
export function dydxSubaccountRisk(subaccount: DydxSubaccount): DydxRisk {
  let nc = subaccount.quoteBalance;
  let imr = 0n;
  let mmr = 0n;
  for (const p of subaccount.positions) {
    const r = dydxPositionRisk(p.market, p.quantums, p.customImfPpm ?? 0);
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
export function dydxIsLiquidatable(risk: DydxRisk): boolean {
  return risk.mmr > 0n && risk.mmr > risk.nc;
}

// --- bankruptcy, fillable price, insurance fund --------------------------------------------------

function findPosition(subaccount: DydxSubaccount, ticker: string): DydxPosition | undefined {
  return subaccount.positions.find((p) => p.market.ticker === ticker);
}

function checkDelta(subaccount: DydxSubaccount, ticker: string, deltaQuantums: bigint): DydxPosition {
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
export function dydxBankruptcyQuoteQuantums(
  subaccount: DydxSubaccount,
  ticker: string,
  deltaQuantums: bigint,
): bigint {
  const position = checkDelta(subaccount, ticker, deltaQuantums);
  const total = dydxSubaccountRisk(subaccount);
  const custom = position.customImfPpm ?? 0;
  const before = dydxPositionRisk(position.market, position.quantums, custom);
  const after = dydxPositionRisk(position.market, position.quantums + deltaQuantums, custom);
  const dNnv = after.nc - before.nc;
  const dMmr = after.mmr - before.mmr;
  if (dMmr > 0n) throw dydxRevert("panic", "GetBankruptcyPriceInQuoteQuantums: DMMR is positive");
  if (total.mmr <= 0n) throw dydxRevert("panic", "TMMR is zero: the bankruptcy share is undefined");
  return -dNnv - floorDiv(total.nc * absBig(dMmr), total.mmr);
}

/**
 * The fillable price of the liquidation order (the worst price it may fill at), an exact rational in
 * quote quantums per base quantum:
 * ```
 * ABR = clamp(BA · (1 − TNC/TMMR), 0, 1)            // adjusted bankruptcy rating
 * fillable = (PNNV − ABR · SMMR · PMMR) / PS
 * ```
 * `PNNV`, `PMMR`, `PS` are the whole position's, so partial and full closes share one price. The docs
 * form is `P · (1 − SMMR·MMF·ABR)`. Throws `ErrInvalidPerpetualPositionSizeDelta` as
 * {@link dydxBankruptcyQuoteQuantums} does. Source: `liquidations.go::GetFillablePrice`; vectors in
 * `liquidations_test.go::TestGetFillablePrice`.
 *
 * @example 0.1 BTC long, USDC −4,501 (TNC $499, TMMR $500), BA 1, SMMR 0.1 → 49999/100 (= $49,999/BTC)
 */
export function dydxFillablePrice(
  subaccount: DydxSubaccount,
  ticker: string,
  deltaQuantums: bigint,
  config: Pick<DydxLiquidationsConfig, "bankruptcyAdjustmentPpm" | "spreadToMaintenanceMarginRatioPpm">,
): DydxRational {
  const position = checkDelta(subaccount, ticker, deltaQuantums);
  const pos = dydxPositionRisk(position.market, position.quantums, position.customImfPpm ?? 0);
  const total = dydxSubaccountRisk(subaccount);
  if (total.mmr <= 0n) throw dydxRevert("panic", "TMMR is zero: TNC/TMMR is undefined");
  const unbounded = ratMul(
    ratSub(rational(1n), rational(total.nc, total.mmr)),
    rational(BigInt(config.bankruptcyAdjustmentPpm), DYDX_ONE_MILLION),
  );
  const abr =
    ratCompare(unbounded, rational(0n)) < 0
      ? rational(0n)
      : ratCompare(unbounded, rational(1n)) > 0
        ? rational(1n)
        : unbounded;
  const spread = ratMul(
    rational(pos.mmr),
    rational(BigInt(config.spreadToMaintenanceMarginRatioPpm), DYDX_ONE_MILLION),
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
export function dydxQuantumPriceToUsd(price: DydxRational, atomicResolution: number): number {
  return dydxRationalToNumber(price) * 10 ** (DYDX_QUOTE_ATOMIC_RESOLUTION - atomicResolution);
}

/** A CLOB pair's price grid: `subticksPerTick` and `quantumConversionExponent`. */
export interface DydxClobPair {
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
export function dydxFillablePriceToSubticks(
  fillable: DydxRational,
  isLiquidatingLong: boolean,
  clobPair: Pick<DydxClobPair, "subticksPerTick" | "quantumConversionExponent">,
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
  return aligned < spt ? spt : aligned > max ? max : aligned;
}

/** A liquidation fill as the insurance-fund delta sees it. */
export interface DydxLiquidationFill {
  /** Whether the liquidation order buys (closes a short). */
  readonly isBuy: boolean;
  /** Base quantums filled (magnitude, > 0). */
  readonly fillQuantums: bigint;
  /** Quote quantums exchanged (magnitude), e.g. from {@link dydxFillAmountToQuoteQuantums}. */
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
export function dydxLiquidationInsuranceFundDelta(
  subaccount: DydxSubaccount,
  ticker: string,
  fill: DydxLiquidationFill,
  config: Pick<DydxLiquidationsConfig, "maxLiquidationFeePpm">,
): bigint {
  if (fill.fillQuantums <= 0n)
    throw dydxRevert(
      "ErrInvalidQuantumsForInsuranceFundDeltaCalculation",
      `fill amount is ${fill.fillQuantums}`,
      "fill.fillQuantums",
    );
  const deltaQuantums = fill.isBuy ? fill.fillQuantums : -fill.fillQuantums;
  const quoteReceived = fill.isBuy ? -fill.quoteQuantums : fill.quoteQuantums;
  const delta = quoteReceived - dydxBankruptcyQuoteQuantums(subaccount, ticker, deltaQuantums);
  if (delta <= 0n) return delta;
  const maxFee = floorDiv(absBig(quoteReceived) * BigInt(config.maxLiquidationFeePpm), DYDX_ONE_MILLION);
  return minBig(maxFee, delta);
}

/**
 * Whether the insurance fund can absorb `delta`: non-negative deltas always; otherwise iff
 * `balance + delta ≥ 0`. Source: `deleveraging.go::IsValidInsuranceFundDelta`.
 *
 * @example balance 10,000,000,000, delta −10,000,000,001 → false
 */
export function dydxIsValidInsuranceFundDelta(insuranceFundBalance: bigint, delta: bigint): boolean {
  return delta >= 0n || insuranceFundBalance + delta >= 0n;
}

// --- block limits and liquidation order sizing ----------------------------------------------------

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

/**
 * The perpetual the chain liquidates next: starting at `offset` (the chain's pseudo-random index,
 * `offset mod n`), the first position not yet liquidated this block. Throws
 * `ErrNoPerpetualPositionsToLiquidate` when none is left. Source: `liquidations.go::GetPerpetualPositionToLiquidate`.
 */
export function dydxPerpetualPositionToLiquidate(
  subaccount: DydxSubaccount,
  offset: number,
  block: DydxBlockLiquidationInfo = DYDX_EMPTY_BLOCK,
): string {
  const n = subaccount.positions.length;
  for (let i = 0; i < n; i++) {
    const p = subaccount.positions[(((i + offset) % n) + n) % n] as DydxPosition;
    if (!block.perpetualsLiquidated.includes(p.market.ticker)) return p.market.ticker;
  }
  throw dydxRevert("ErrNoPerpetualPositionsToLiquidate", "every position was liquidated this block");
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

/** A liquidation order as `SortLiquidationOrders` compares them. */
export interface DydxSortableLiquidationOrder {
  readonly id: string;
  /** Limit price (any unit common to `oraclePrice`). */
  readonly price: DydxRational;
  readonly oraclePrice: DydxRational;
  /** Order notional in quote quantums. */
  readonly quoteQuantums: bigint;
  /** Tie-breaker (the order hash, compared bytewise as a hex string). */
  readonly hash: string;
}

/**
 * Sorts liquidation orders as the chain does: by `|price − oracle| / oracle` descending (most
 * underwater first), then quote quantums descending, then hash ascending. Returns a new array.
 * Source: `liquidations.go::SortLiquidationOrders`.
 */
export function dydxSortLiquidationOrders(
  orders: readonly DydxSortableLiquidationOrder[],
): DydxSortableLiquidationOrder[] {
  const distance = (o: DydxSortableLiquidationOrder): DydxRational => {
    const d = ratMul(ratSub(o.price, o.oraclePrice), rational(o.oraclePrice.den, o.oraclePrice.num));
    return rational(absBig(d.num), d.den);
  };
  return [...orders].sort((x, y) => {
    const c = ratCompare(distance(y), distance(x));
    if (c !== 0) return c;
    if (x.quoteQuantums !== y.quoteQuantums) return x.quoteQuantums > y.quoteQuantums ? -1 : 1;
    return x.hash < y.hash ? -1 : x.hash > y.hash ? 1 : 0;
  });
}

// --- deleveraging ----------------------------------------------------------------------------------

/**
 * Whether and how a subaccount is deleveraged: at the bankruptcy price when `TNC < 0`; at the oracle
 * price when `TNC ≥ 0` and the market is in final settlement; otherwise not at all.
 * Source: `deleveraging.go::CanDeleverageSubaccount`.
 *
 * @example 1 BTC short, USDC 54,999: at $55,000 (TNC −$1) → "bankruptcy"; at $54,999 (TNC 0) → "none"
 */
export function dydxCanDeleverage(
  subaccount: DydxSubaccount,
  finalSettlement = false,
): "bankruptcy" | "oracle" | "none" {
  if (dydxSubaccountRisk(subaccount).nc < 0n) return "bankruptcy";
  return finalSettlement ? "oracle" : "none";
}

/**
 * Whether an update that leaves a subaccount under-collateralized (`TNC < TIMR`) is still accepted:
 * it must not raise MMR; with MMR zero before or after, only if both are zero and TNC improves;
 * otherwise iff `NC_new · MMR_cur ≥ NC_cur · MMR_new` (the TNC/TMMR ratio does not fall).
 * Well-collateralized results (`TNC ≥ TIMR`) are always accepted.
 * Source: `x/subaccounts/lib/updates.go::IsValidStateTransitionForUndercollateralizedSubaccount`.
 */
export function dydxIsValidStateTransition(current: DydxRisk, next: DydxRisk): boolean {
  if (next.imr <= next.nc) return true;
  if (next.mmr > current.mmr) return false;
  if (next.mmr === 0n || current.mmr === 0n)
    return next.mmr === 0n && current.mmr === 0n && next.nc > current.nc;
  return next.nc * current.mmr >= current.nc * next.mmr;
}

function applyUpdate(
  subaccount: DydxSubaccount,
  ticker: string,
  dQuote: bigint,
  dBase: bigint,
): DydxSubaccount {
  const positions: DydxPosition[] = [];
  for (const p of subaccount.positions) {
    if (p.market.ticker !== ticker) positions.push(p);
    else if (p.quantums + dBase !== 0n) positions.push({ ...p, quantums: p.quantums + dBase });
  }
  return { quoteBalance: subaccount.quoteBalance + dQuote, positions };
}

/** An account holding the other side, offered to deleveraging (the daemon's list). */
export interface DydxOffsettingCandidate {
  readonly id: string;
  readonly subaccount: DydxSubaccount;
}

/** One deleveraging match: base quantums (magnitude) and the quote quantums the liquidated account received (signed). */
export interface DydxDeleveragingFill {
  readonly id: string;
  readonly quantums: bigint;
  readonly quoteQuantums: bigint;
}

/** Outcome of {@link dydxOffsetSubaccountPerpetualPosition}. */
export interface DydxDeleveragingResult {
  readonly fills: DydxDeleveragingFill[];
  /** Signed base quantums still to offset (0 when fully deleveraged). */
  readonly remaining: bigint;
  readonly liquidated: DydxSubaccount;
  /** Offsetting accounts after their fills, by id (untouched ones omitted). */
  readonly offsetting: ReadonlyMap<string, DydxSubaccount>;
  /** Candidates skipped because the update was refused (non-overlapping bankruptcy prices). */
  readonly refused: readonly string[];
}

/**
 * Deleveraging: offsets `deltaQuantums` of the liquidated subaccount's `ticker` position against
 * opposite-side accounts, visiting `candidates` from `startIndex` (the chain's pseudo-random
 * `Intn(n)`) cyclically, at most `maxIterations`. Each match takes `min(|remaining|, |their position|)`
 * and settles both accounts at the **liquidated** account's bankruptcy price for that slice (recomputed
 * after each match), or at the oracle price in final settlement; a match either account cannot accept
 * ({@link dydxIsValidStateTransition}) is skipped. There is no profit×leverage ranking in v4.
 * Source: `deleveraging.go::OffsetSubaccountPerpetualPosition`, `ProcessDeleveraging`,
 * `getDeleveragingQuoteQuantumsDelta`; vectors in `deleveraging_test.go::TestOffsetSubaccountPerpetualPosition`.
 *
 * @example 1 BTC short with USDC 54,999 (100 % margin tier) against a 1 BTC long → one fill of 1 BTC at $54,999
 */
export function dydxOffsetSubaccountPerpetualPosition(input: {
  liquidated: DydxSubaccount;
  ticker: string;
  deltaQuantums: bigint;
  candidates: readonly DydxOffsettingCandidate[];
  startIndex: number;
  maxIterations?: number;
  finalSettlement?: boolean;
}): DydxDeleveragingResult {
  const { ticker, candidates } = input;
  const n = candidates.length;
  const fills: DydxDeleveragingFill[] = [];
  const offsetting = new Map<string, DydxSubaccount>();
  const refused: string[] = [];
  let liquidated = input.liquidated;
  let remaining = input.deltaQuantums;
  const iterations = Math.min(n, input.maxIterations ?? n);
  for (let i = 0; i < iterations && remaining !== 0n; i++) {
    const candidate = candidates[(((i + input.startIndex) % n) + n) % n] as DydxOffsettingCandidate;
    const theirs = offsetting.get(candidate.id) ?? candidate.subaccount;
    const theirPosition = findPosition(theirs, ticker)?.quantums ?? 0n;
    if (signBig(remaining) !== signBig(theirPosition)) continue;
    const deltaBase = absBig(remaining) > absBig(theirPosition) ? theirPosition : remaining;
    let quote: bigint;
    try {
      const ours = findPosition(liquidated, ticker);
      quote = input.finalSettlement
        ? dydxNetNotional((ours ?? (findPosition(theirs, ticker) as DydxPosition)).market, -deltaBase)
        : dydxBankruptcyQuoteQuantums(liquidated, ticker, deltaBase);
    } catch {
      continue;
    }
    const nextLiquidated = applyUpdate(liquidated, ticker, quote, deltaBase);
    const nextTheirs = applyUpdate(theirs, ticker, -quote, -deltaBase);
    const ok =
      dydxIsValidStateTransition(dydxSubaccountRisk(liquidated), dydxSubaccountRisk(nextLiquidated)) &&
      dydxIsValidStateTransition(dydxSubaccountRisk(theirs), dydxSubaccountRisk(nextTheirs));
    if (!ok) {
      refused.push(candidate.id);
      continue;
    }
    liquidated = nextLiquidated;
    offsetting.set(candidate.id, nextTheirs);
    remaining -= deltaBase;
    fills.push({ id: candidate.id, quantums: absBig(deltaBase), quoteQuantums: quote });
  }
  return { fills, remaining, liquidated, offsetting, refused };
}

// --- float paths (docs formulas) -----------------------------------------------------------------

/**
 * Float bankruptcy amount (USD) for closing `deltaSize` coins of a position with a linear MMF:
 * `−ΔNNV − TNC·|ΔMMR|/TMMR` with `ΔNNV = Δ·P` and `|ΔMMR| = |Δ|·P·MMF`. The exact, rounded version
 * is {@link dydxBankruptcyQuoteQuantums}; they agree within quantum rounding. Source: research note §2.3.
 */
export function dydxBankruptcyUsd(input: {
  tncUsd: number;
  tmmrUsd: number;
  deltaSize: number;
  priceUsd: number;
  maintenanceMarginFraction: number;
}): number {
  const dNnv = input.deltaSize * input.priceUsd;
  const dMmr = Math.abs(input.deltaSize) * input.priceUsd * input.maintenanceMarginFraction;
  return -dNnv - (input.tncUsd * dMmr) / input.tmmrUsd;
}

/**
 * Float fillable price (USD/coin), the docs form
 * `P · (1 − SMMR · MMF · clamp(BA · (1 − TNC/TMMR), 0, 1))` for a long (`+` for a short).
 * Source: dYdX docs "Liquidations" and help centre "Contract loss mechanisms"; exact form {@link dydxFillablePrice}.
 */
export function dydxFillablePriceUsd(input: {
  priceUsd: number;
  side: 1 | -1;
  tncUsd: number;
  tmmrUsd: number;
  maintenanceMarginFraction: number;
  bankruptcyAdjustment: number;
  spreadToMaintenanceMarginRatio: number;
}): number {
  const abr = Math.min(1, Math.max(0, input.bankruptcyAdjustment * (1 - input.tncUsd / input.tmmrUsd)));
  return (
    input.priceUsd *
    (1 - input.side * input.spreadToMaintenanceMarginRatio * input.maintenanceMarginFraction * abr)
  );
}

/**
 * The docs' liquidation price (the price at which TNC = TMMR, others held):
 * `p' = (e − s·p − MMR_o) / (|s|·MMF − s)` with `e` the TNC, `s` the signed size, `p` the oracle price
 * and `MMR_o` the other positions' maintenance margin (0 for isolated). Returns null when the position
 * cannot be liquidated by this market alone (`|s|·MMF − s = 0`) or the price is not positive.
 * Source: dYdX docs `concepts/trading/liquidations.mdx`.
 */
export function dydxLiquidationPriceUsd(input: {
  tncUsd: number;
  size: number;
  priceUsd: number;
  maintenanceMarginFraction: number;
  otherMaintenanceMarginUsd?: number;
}): number | null {
  const s = input.size;
  const den = Math.abs(s) * input.maintenanceMarginFraction - s;
  if (den === 0) return null;
  const p = (input.tncUsd - s * input.priceUsd - (input.otherMaintenanceMarginUsd ?? 0)) / den;
  return Number.isFinite(p) && p > 0 ? p : null;
}

// --- the Venue rulebook ----------------------------------------------------------------------------

const DOCS =
  "dydxprotocol/v4-documentation docs/pages/concepts/trading/liquidations.mdx; https://help.dydx.trade/en/articles/166973-contract-loss-mechanisms-on-dydx-chain";

/** Margin on the oracle price, no fee to close, TNC equal to TMMR is not liquidatable. */
const DYDX_RULES: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: false };

/**
 * The share of a liquidatable position's notional one block closes under `config`, in float:
 * `min(N, min(max(min$, portion·N), subaccount limit)) / N`.
 * Source: `GetLiquidatablePositionSizeDelta` (float view, step rounding ignored).
 */
export function dydxBlockFraction(
  notionalUsd: number,
  config: DydxLiquidationsConfig = DYDX_MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
): number {
  if (!(notionalUsd > 0)) return 1;
  const q = Number(DYDX_QUOTE_QUANTUMS_PER_USDC);
  const minUsd = Number(config.minPositionNotionalLiquidated) / q;
  const subUsd = Number(config.maxNotionalLiquidated) / q;
  const posMax = Math.max(
    Math.min(minUsd, notionalUsd),
    (notionalUsd * config.maxPositionPortionLiquidatedPpm) / 1e6,
  );
  return Math.min(1, Math.min(posMax, subUsd) / notionalUsd);
}

/**
 * dYdX v4's procedure for the engine's float state: nothing while TNC ≥ TMMR; otherwise an IOC
 * liquidation order at the fillable price for at most `max($1,000, 10 %·N)` and $100,000 per block
 * (genesis limits); when the order cannot fill and TNC < 0, deleveraging at the bankruptcy price.
 * Source: `liquidations.go::LiquidateSubaccountsAgainstOrderbook`, `deleveraging.go::CanDeleverageSubaccount`;
 * research note §2.6–2.7.
 */
export function dydxLiquidationSteps(
  state: LiquidationState,
  config: DydxLiquidationsConfig = DYDX_MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
): LiquidationStep[] {
  const none = noLiquidation(state, DYDX_RULES);
  if (none !== null) return none;
  if (!(state.maintenanceMargin > 0))
    return [
      { action: "none", fraction: 0, note: "TMMR = 0: never liquidatable (IsLiquidatable needs TMMR > 0)" },
    ];
  const steps: LiquidationStep[] = [
    {
      action: "market-order",
      fraction: dydxBlockFraction(state.notional, config),
      note: "IOC liquidation order at the fillable price P·(1 − SMMR·MMF·ABR), at most max($1,000, 10 % of the position) and $100,000 per subaccount per block; fee min(1.5 % of the fill, what is left above bankruptcy) to the insurance fund",
    },
  ];
  if (state.equity < 0) {
    steps.push({
      action: "close-at-bankruptcy",
      fraction: 1,
      note: "TNC < 0 and the order does not fill: deleveraged against opposite-side accounts visited from a pseudo-random start, at the bankruptcy price",
    });
  }
  return steps;
}

/**
 * dYdX v4 as a {@link Venue}: the genesis perpetuals with their launch liquidity tier as a one-tier
 * table (`mmr = IMF·MF`, max leverage `1/IMF`), oracle-price margin, liquidation when TNC < TMMR.
 * Pass other tiers/perpetuals (e.g. current governance values) to override the launch ones.
 * Source: {@link DYDX_MAINNET_GENESIS_SOURCE} (parameters); `liquidations.go`, `deleveraging.go` (procedure).
 */
export function dydxV4(
  tiers: readonly DydxLiquidityTier[] = DYDX_MAINNET_GENESIS_LIQUIDITY_TIERS,
  perpetuals: readonly DydxPerpetualListing[] = DYDX_MAINNET_GENESIS_PERPETUALS,
  config: DydxLiquidationsConfig = DYDX_MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  asOf = "2023-10-26",
): Venue {
  validateDydxLiquidationsConfig(config);
  const listed = new Map<string, ListedInstrument>();
  const aliases = new Map<string, string>();
  perpetuals.forEach((p, i) => {
    const tier = tiers.find((t) => t.id === p.liquidityTier);
    if (tier === undefined)
      throw new InputError(
        `perpetuals[${i}].liquidityTier`,
        p.liquidityTier,
        "names no given liquidity tier",
        `Use one of ${tiers.map((t) => t.id).join(", ")}.`,
      );
    validateDydxLiquidityTier(tier, `tiers[${tiers.indexOf(tier)}]`);
    const table = buildTierTable([
      {
        notionalFloor: 0,
        mmr: dydxMaintenanceMarginPpm(tier) / 1e6,
        maxLeverage: tier.initialMarginPpm > 0 ? 1e6 / tier.initialMarginPpm : Number.POSITIVE_INFINITY,
      },
    ]);
    const base = p.ticker.split("-")[0] ?? p.ticker;
    listed.set(p.ticker, {
      instrument: { symbol: p.ticker, kind: "linear", contractSize: 1, marginAsset: "USDC" },
      table: {
        symbol: p.ticker,
        asOf,
        source: `${DYDX_MAINNET_GENESIS_SOURCE}; tier ${tier.name}`,
        tiers: table,
      },
    });
    aliases.set(`${base}/USD:USDC`, p.ticker);
  });
  return defineVenue(
    {
      id: "dydx-v4",
      name: "dYdX v4",
      contractKind: "linear",
      rules: DYDX_RULES,
      sources: [
        `liquidity tiers and liquidation config: ${DYDX_MAINNET_GENESIS_SOURCE}`,
        "rules: dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go, deleveraging.go",
        `docs: ${DOCS}`,
      ],
      liquidationSteps: (state) => dydxLiquidationSteps(state, config),
      liquidationFeeRate: () => config.maxLiquidationFeePpm / 1e6,
      adlScore: () => 0,
      describe: () => ({
        liquidation: [
          "Trigger: oracle price; a subaccount is liquidatable when TMMR > 0 and TNC < TMMR (TNC = USDC + Σ size·price, MMR = ⌈⌈N·IMF⌉·MF⌉ from the base IMF).",
          "The protocol places an IOC order at the fillable price (PNNV − ABR·SMMR·PMMR)/PS, ABR = clamp(BA·(1 − TNC/TMMR), 0, 1); genesis SMMR 1.5 so the spread reaches 1.5 × MMF.",
          "Per block: at most max($1,000, 10 % of the position) per position, $100,000 notional and $1,000,000 insurance-fund loss per subaccount; one liquidation per subaccount–perpetual.",
        ],
        insurance: [
          "Each fill pays min(1.5 % of the fill, quote received − bankruptcy quote) to the insurance fund; fills below the bankruptcy price are paid by the fund (if its balance stays ≥ 0).",
          "Bankruptcy quote of a delta: −ΔNNV − TNC·|ΔMMR|/TMMR, rounded toward +∞ in quote quantums.",
        ],
        adl: [
          "Deleveraging when the liquidation order fills nothing and TNC < 0 (or in final settlement, at the oracle price).",
          "Opposite-side accounts are visited from a pseudo-random start (no PnL×leverage ranking in v4) and closed at the liquidated account's bankruptcy price.",
        ],
      }),
    },
    listed,
    aliases,
  );
}

/**
 * dYdX v4 units, chain errors and parameters: quote quantums and ppm, the liquidity tiers, perpetual
 * listings and liquidations config of the mainnet genesis (and the v5 open-interest caps), the market,
 * position and subaccount types, and their validation. Part of the `dydx-v4` namespace
 * (src/venues/dydx-v4.ts, which names the chain sources).
 */
import { InputError } from "../../errors.js";
import { type Rational, ratToNumber } from "../../math/fixed-point.js";
import { revertsOf } from "../revert.js";

/** 1,000,000: ppm denominator (`lib.OneMillion`). */
export const ONE_MILLION = 1_000_000n;
/** USDC quote quantum exponent (`lib.QuoteCurrencyAtomicResolution`): 1 quantum = 1e-6 USDC. */
export const QUOTE_ATOMIC_RESOLUTION = -6;
/** Quote quantums per USDC. */
export const QUOTE_QUANTUMS_PER_USDC = 1_000_000n;

/** The chain's errors (and Go panics) the replica reproduces. */
export type RevertReason =
  | "ErrInvalidPerpetualPositionSizeDelta"
  | "ErrInvalidQuantumsForInsuranceFundDeltaCalculation"
  | "ErrSubaccountHasLiquidatedPerpetual"
  | "ErrNoPerpetualPositionsToLiquidate"
  | "ErrSubaccountNotLiquidatable"
  | "panic";

/** A call the chain would refuse: a {@link VenueRevertError} with the chain's error name (or `panic`). */
export const dydxRevert = revertsOf<RevertReason>("dydx-v4");

/** An exact rational `num / den` with `den > 0`, reduced (Go `big.Rat`); see {@link Rational}. */
export type { Rational };

/** A rational as a float (display and float/exact checks), see {@link ratToNumber}. Source: the analogue of Go `big.Rat.Float64` used by the chain's metrics. */
export const rationalToNumber: (r: Rational) => number = ratToNumber;

// --- parameters ---------------------------------------------------------------------------------

/**
 * A liquidity tier (`x/perpetuals` `LiquidityTier`). Margin: `IMF = initialMarginPpm`,
 * `MMF = IMF × maintenanceFractionPpm`. Open-interest-scaled IMF between the caps (quote quantums);
 * `openInterestUpperCap = 0` disables the scaling.
 */
export interface LiquidityTier {
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
export interface PerpetualListing {
  readonly ticker: string;
  readonly id: number;
  readonly liquidityTier: number;
  readonly atomicResolution: number;
}

/** Where the bundled launch parameters come from. */
export const MAINNET_GENESIS_SOURCE =
  "dydxprotocol/v4-chain protocol/testing/mainnet/genesis.json @ 1c670234d63070b6a12747283c6be6a9ab96c761 (genesis_time 2023-10-26, chain dydx-mainnet-1)";

/**
 * The four launch liquidity tiers of dYdX Chain mainnet (genesis; open-interest caps 0 = disabled, as at
 * launch; the v5.0.0 upgrade added caps, see {@link V5_LIQUIDITY_TIERS}). MMF: Large-Cap 3 %, Mid-Cap 5 %, Long-Tail 10 %,
 * Safety 20 %. Source: {@link MAINNET_GENESIS_SOURCE}.
 */
export const MAINNET_GENESIS_LIQUIDITY_TIERS: readonly LiquidityTier[] = [
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

/** Where {@link V5_LIQUIDITY_TIERS}' open-interest caps come from. */
export const V5_OIMF_CAPS_SOURCE =
  "dydxprotocol/v4-chain protocol/app/upgrades/v5.0.0/upgrade.go @ b1cb4d0f8baede4607b0eada180758db785b3f45 (initializeOIMFCaps)";

/**
 * The liquidity tiers after the v5.0.0 chain upgrade, which switched on open-interest-scaled initial
 * margin: Large-Cap no caps; Mid-Cap $20M–$50M; Long-Tail $5M–$10M; Safety $2M–$5M (quote quantums).
 * The upgrade kept each tier's IMF and maintenance fraction as they stood; they are the genesis values
 * here, which assumes governance had not changed them before v5.0.0 (not checked). Later governance
 * proposals may have changed any of these: the live values are `GET /dydxprotocol/perpetuals/liquidity_tiers`.
 * Source: {@link V5_OIMF_CAPS_SOURCE}; IMF/MF from {@link MAINNET_GENESIS_SOURCE}.
 */
export const V5_LIQUIDITY_TIERS: readonly LiquidityTier[] = MAINNET_GENESIS_LIQUIDITY_TIERS.map((t) => {
  const caps: Record<number, [bigint, bigint]> = {
    0: [0n, 0n],
    1: [20_000_000_000_000n, 50_000_000_000_000n],
    2: [5_000_000_000_000n, 10_000_000_000_000n],
  };
  const [lower, upper] = caps[t.id] ?? [2_000_000_000_000n, 5_000_000_000_000n];
  return { ...t, openInterestLowerCap: lower, openInterestUpperCap: upper };
});

const listing = (ticker: string, id: number, liquidityTier: number, atomicResolution: number) => ({
  ticker,
  id,
  liquidityTier,
  atomicResolution,
});

/** The 33 perpetuals of mainnet genesis with their liquidity tier and atomic resolution. Source: {@link MAINNET_GENESIS_SOURCE}. */
export const MAINNET_GENESIS_PERPETUALS: readonly PerpetualListing[] = [
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
export interface LiquidationsConfig {
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
 * subaccount per block. Source: {@link MAINNET_GENESIS_SOURCE} (`clob.liquidations_config`).
 */
export const MAINNET_GENESIS_LIQUIDATIONS_CONFIG: LiquidationsConfig = {
  maxLiquidationFeePpm: 15_000,
  bankruptcyAdjustmentPpm: 1_000_000,
  spreadToMaintenanceMarginRatioPpm: 1_500_000,
  minPositionNotionalLiquidated: 1_000_000_000n,
  maxPositionPortionLiquidatedPpm: 100_000,
  maxNotionalLiquidated: 100_000_000_000n,
  maxQuantumsInsuranceLost: 1_000_000_000_000n,
};

/** A market: the perpetual's base resolution, its oracle price, its liquidity tier and open interest. */
export interface Market {
  readonly ticker: string;
  /** One base quantum is `10^atomicResolution` coins. */
  readonly atomicResolution: number;
  /** Oracle price `priceValue × 10^priceExponent` USD per coin. */
  readonly priceValue: bigint;
  readonly priceExponent: number;
  readonly tier: LiquidityTier;
  /** Open interest in base quantums (OI-scaled IMF only); 0 when absent. */
  readonly openInterestQuantums?: bigint;
}

/** A perpetual position: signed base quantums (+ long, − short). */
export interface Position {
  readonly market: Market;
  readonly quantums: bigint;
  /** User-chosen IMF (ppm) that raises the IMR when above the OI-scaled one; 0/absent = none. */
  readonly customImfPpm?: number;
}

/** A subaccount: its USDC balance (quote quantums, may be negative) and its perpetual positions. */
export interface Subaccount {
  readonly quoteBalance: bigint;
  readonly positions: readonly Position[];
}

/** Net collateral (NC/TNC), initial and maintenance margin requirements, in quote quantums. */
export interface Risk {
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
export function validateLiquidityTier(tier: LiquidityTier, field = "tier"): LiquidityTier {
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
export function validateLiquidationsConfig(config: LiquidationsConfig, field = "config"): LiquidationsConfig {
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

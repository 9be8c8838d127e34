/**
 * dYdX v4 float adapter: the docs' float formulas (bankruptcy, fillable and liquidation prices in
 * USD) and the {@link Venue} rulebook built on the genesis tiers, for the float engines and the CLI.
 * Part of the `dydx-v4` namespace (src/venues/dydx-v4.ts).
 */
import { InputError } from "../../errors.js";
import { buildTierTable } from "../../margin/tiers.js";
import type { MarginRules } from "../../margin/types.js";
import { defineVenue, type ListedInstrument } from "../define.js";
import { noLiquidation } from "../procedures.js";
import type {
  LiquidationFill,
  LiquidationFillInput,
  LiquidationState,
  LiquidationStep,
  Venue,
} from "../types.js";
import { maintenanceMarginPpm } from "./margin.js";
import {
  type LiquidationsConfig,
  type LiquidityTier,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  MAINNET_GENESIS_LIQUIDITY_TIERS,
  MAINNET_GENESIS_PERPETUALS,
  MAINNET_GENESIS_SOURCE,
  type PerpetualListing,
  QUOTE_QUANTUMS_PER_USDC,
  validateLiquidationsConfig,
  validateLiquidityTier,
} from "./parameters.js";

/**
 * Float bankruptcy amount (USD) for closing `deltaSize` coins of a position with a linear MMF:
 * `−ΔNNV − TNC·|ΔMMR|/TMMR` with `ΔNNV = Δ·P` and `|ΔMMR| = |Δ|·P·MMF`. The exact, rounded version
 * is {@link bankruptcyQuoteQuantums}; they agree within quantum rounding. Source: research note §2.3.
 */
export function bankruptcyUsd(input: {
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
 * Source: dYdX docs "Liquidations" and help centre "Contract loss mechanisms"; exact form {@link fillablePrice}.
 */
export function fillablePriceUsd(input: {
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
export function liquidationPriceUsd(input: {
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

/**
 * The liquidation order closing a whole position, in float: the fillable price ({@link fillablePriceUsd}),
 * the quote it exchanges `Q = |s|·F`, what that leaves above the bankruptcy quote of the close
 * ({@link bankruptcyUsd} with `Δ = −s`): `δ = s·F − bankruptcy`, and the fee and insurance-fund delta
 * as the chain settles them: `δ ≤ 0` → the fund pays `−δ` and the fee is 0; `δ > 0` → the fund
 * receives `min(maxLiquidationFee·Q, δ)`, so a fee never takes the account below zero and a bankrupt
 * account pays none. `fillPriceUsd` prices the fill elsewhere than at the fillable price (a book that
 * fills better). Every quantity is linear in the closed size, so a partial close pays its share.
 * Source: `liquidations.go::GetLiquidationInsuranceFundDelta` (exact form {@link liquidationInsuranceFundDelta}
 * in `insurance-fund.ts`, vectors of `TestGetLiquidationInsuranceFundDelta`) and `GetFillablePrice`.
 *
 * @example 0.1 BTC long, TNC −$100, TMMR $500, oracle $50,000, MMF 10 %, sold at $56,100, fee 0.5 % →
 * quote $5,610, bankruptcy $5,100, fee $28.05
 */
export function liquidationFillUsd(
  input: LiquidationFillInput,
  config: Pick<
    LiquidationsConfig,
    "maxLiquidationFeePpm" | "bankruptcyAdjustmentPpm" | "spreadToMaintenanceMarginRatioPpm"
  > = MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  fillPriceUsd?: number,
): LiquidationFill {
  const s = input.size;
  const fillable = fillablePriceUsd({
    priceUsd: input.markPrice,
    side: s > 0 ? 1 : -1,
    tncUsd: input.equity,
    tmmrUsd: input.maintenanceMargin,
    maintenanceMarginFraction: input.maintenanceMarginFraction,
    bankruptcyAdjustment: config.bankruptcyAdjustmentPpm / 1e6,
    spreadToMaintenanceMarginRatio: config.spreadToMaintenanceMarginRatioPpm / 1e6,
  });
  const price = fillPriceUsd ?? fillable;
  const received = s * price;
  const bankruptcy = bankruptcyUsd({
    tncUsd: input.equity,
    tmmrUsd: input.maintenanceMargin,
    deltaSize: -s,
    priceUsd: input.markPrice,
    maintenanceMarginFraction: input.maintenanceMarginFraction,
  });
  const above = received - bankruptcy;
  const fee = above <= 0 ? 0 : Math.min((Math.abs(received) * config.maxLiquidationFeePpm) / 1e6, above);
  return {
    fillablePrice: fillable,
    spread: Math.abs(input.markPrice - fillable) / input.markPrice,
    quote: Math.abs(received),
    aboveBankruptcy: above,
    fee,
    insuranceFundDelta: above <= 0 ? above : fee,
  };
}

// --- the Venue rulebook ----------------------------------------------------------------------------

const DOCS =
  "dydxprotocol/v4-documentation docs/pages/concepts/trading/liquidations.mdx; https://help.dydx.trade/en/articles/166973-contract-loss-mechanisms-on-dydx-chain";

/** Every dYdX v4 perpetual settles in USDC (the chain's one quote asset, asset id 0). */
const DYDX_SETTLEMENT_ASSET = "USDC";

/** Margin on the oracle price, no fee to close, TNC equal to TMMR is not liquidatable. */
const DYDX_RULES: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: false };

/**
 * The share of a liquidatable position's notional one block closes under `config`, in float:
 * `min(N, min(max(min$, portion·N), subaccount limit)) / N`.
 * Source: `GetLiquidatablePositionSizeDelta` (float view, step rounding ignored).
 */
export function blockFraction(
  notionalUsd: number,
  config: LiquidationsConfig = MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
): number {
  if (!(notionalUsd > 0)) return 1;
  const q = Number(QUOTE_QUANTUMS_PER_USDC);
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
export function liquidationSteps(
  state: LiquidationState,
  config: LiquidationsConfig = MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
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
      fraction: blockFraction(state.notional, config),
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
 * Source: {@link MAINNET_GENESIS_SOURCE} (parameters); `liquidations.go`, `deleveraging.go` (procedure).
 */
export function venue(
  tiers: readonly LiquidityTier[] = MAINNET_GENESIS_LIQUIDITY_TIERS,
  perpetuals: readonly PerpetualListing[] = MAINNET_GENESIS_PERPETUALS,
  config: LiquidationsConfig = MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  asOf = "2023-10-26",
): Venue {
  validateLiquidationsConfig(config);
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
    validateLiquidityTier(tier, `tiers[${tiers.indexOf(tier)}]`);
    const table = buildTierTable([
      {
        notionalFloor: 0,
        mmr: maintenanceMarginPpm(tier) / 1e6,
        maxLeverage: tier.initialMarginPpm > 0 ? 1e6 / tier.initialMarginPpm : Number.POSITIVE_INFINITY,
      },
    ]);
    const base = p.ticker.split("-")[0] ?? p.ticker;
    listed.set(p.ticker, {
      instrument: { symbol: p.ticker, kind: "linear", contractSize: 1, marginAsset: DYDX_SETTLEMENT_ASSET },
      table: {
        symbol: p.ticker,
        asOf,
        source: `${MAINNET_GENESIS_SOURCE}; tier ${tier.name}`,
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
      settlementAsset: DYDX_SETTLEMENT_ASSET,
      rules: DYDX_RULES,
      sources: [
        `liquidity tiers and liquidation config: ${MAINNET_GENESIS_SOURCE}`,
        "rules: dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go, deleveraging.go",
        `docs: ${DOCS}`,
      ],
      liquidationSteps: (state) => liquidationSteps(state, config),
      liquidationFeeRate: () => config.maxLiquidationFeePpm / 1e6,
      liquidationFill: (input) => liquidationFillUsd(input, config),
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

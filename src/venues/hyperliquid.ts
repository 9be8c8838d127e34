import { defineVenue } from "./define.js";
import type { AdlCandidate, LiquidationState, LiquidationStep, Venue } from "./types.js";
import { readVenueFile } from "./venue-file.js";

const DOCS = "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations";

/** Partial liquidation applies above this notional (USDC); 10,000 on testnet. */
export const HYPERLIQUID_PARTIAL_THRESHOLD_USD = 100_000;
/** Share of the position sent to the book by a partial liquidation. */
export const HYPERLIQUID_PARTIAL_FRACTION = 0.2;
/** Cooldown after a partial liquidation, during which liquidations are for the full position. */
export const HYPERLIQUID_COOLDOWN_SECONDS = 30;
/** The backstop (liquidator vault) takes over below this share of maintenance margin. */
export const HYPERLIQUID_BACKSTOP_FRACTION = 2 / 3;

/**
 * Hyperliquid's documented liquidation price (docs "Liquidations"):
 * `liq_price = price − side × margin_available / position_size / (1 − l × side)`,
 * `l = 1 / maintenance_leverage` (maintenance leverage = 2 × max leverage), with
 * `margin_available = account_value − maintenance_margin_required` (cross) or
 * `isolated_margin − maintenance_margin_required` (isolated). The official TS example
 * (hyperliquid-dex/ts-examples `examples/LiquidationPx.tsx`) computes the same expression.
 */
export function hyperliquidLiquidationPrice(input: {
  markPrice: number;
  side: 1 | -1;
  marginAvailable: number;
  positionSize: number;
  maintenanceLeverage: number;
}): number {
  const l = 1 / input.maintenanceLeverage;
  return input.markPrice - (input.side * input.marginAvailable) / input.positionSize / (1 - l * input.side);
}

/**
 * Hyperliquid's procedure: below 2/3 of maintenance margin the backstop vault takes over the
 * position and its margin; otherwise market orders go to the book — 20 % of the position when its
 * notional exceeds 100k USDC and no partial liquidation happened in the last 30 s, else all of it.
 */
export function hyperliquidLiquidationSteps(state: LiquidationState): LiquidationStep[] {
  if (state.equity >= state.maintenanceMargin) {
    // Hyperliquid liquidates when equity is strictly below maintenance margin.
    return [{ action: "none", fraction: 0, note: "equity covers maintenance margin: nothing happens" }];
  }
  if (state.equity < HYPERLIQUID_BACKSTOP_FRACTION * state.maintenanceMargin) {
    return [
      {
        action: "backstop-takeover",
        fraction: 1,
        note: "equity is below 2/3 of maintenance margin: the liquidator vault (HLP) takes over the position and its margin; the maintenance margin is not returned",
      },
    ];
  }
  const cooling =
    state.secondsSinceLastPartial !== undefined &&
    state.secondsSinceLastPartial < HYPERLIQUID_COOLDOWN_SECONDS;
  if (state.notional > HYPERLIQUID_PARTIAL_THRESHOLD_USD && !cooling) {
    return [
      {
        action: "market-order",
        fraction: HYPERLIQUID_PARTIAL_FRACTION,
        note: "partial liquidation: 20 % of the position is sent to the book as a market order; a 30 s cooldown follows",
      },
    ];
  }
  return [
    {
      action: "market-order",
      fraction: 1,
      note: cooling
        ? "within the 30 s cooldown after a partial liquidation: the full position is sent to the book"
        : "the full position is sent to the book as market orders; remaining collateral stays with the trader",
    },
  ];
}

/**
 * Hyperliquid ADL ranking of opposite-side users in profit (docs "Auto-deleveraging"):
 * `(mark_price / entry_price) × (notional_position / account_value)`; for shorts the price ratio is
 * taken as `entry/mark` so that profit raises the rank on both sides (our reading of the doc).
 * Positions not in profit get −Infinity (they are not deleveraged first).
 */
export function hyperliquidAdlScore(c: AdlCandidate): number {
  const long = c.size > 0;
  const ratio = long ? c.markPrice / c.entryPrice : c.entryPrice / c.markPrice;
  if (ratio <= 1 || c.equity <= 0) return Number.NEGATIVE_INFINITY;
  return ratio * ((Math.abs(c.size) * c.markPrice) / c.equity);
}

let cached: Venue | undefined;

/** Hyperliquid perpetuals: USDC-margined, MM = half the IM at max leverage, tiered deductions. */
export function hyperliquid(): Venue {
  if (cached !== undefined) return cached;
  const file = readVenueFile("venues/hyperliquid_margin-tables.json");
  cached = defineVenue(
    {
      id: "hyperliquid",
      name: "Hyperliquid",
      contractKind: "linear",
      settlementAsset: "USDC",
      rules: { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: false },
      sources: [`margin tables: ${file.source}, as of ${file.asOf}. ${file.note}`, `liquidations: ${DOCS}`],
      liquidationSteps: hyperliquidLiquidationSteps,
      liquidationFeeRate: () => 0,
      adlScore: hyperliquidAdlScore,
      describe: () => ({
        liquidation: [
          "Trigger: mark price; equity (cross) or isolated margin + uPnL (isolated) below maintenance margin, MM = notional × 1/(2·max leverage) − deduction.",
          "Market orders go to the book; above 100k USDC notional only 20 % at a time, with a 30 s cooldown during which liquidations are for the full position.",
          "Below 2/3 of maintenance margin the liquidator vault (HLP) takes over the position and its margin (backstop); the maintenance margin is not returned.",
        ],
        insurance: [
          "There is no separate insurance fund: the HLP liquidator vault is the backstop and keeps the maintenance margin as its buffer.",
        ],
        adl: [
          "Triggered when an account's value (or an isolated position's) goes negative.",
          "Opposite-side users in profit are ranked by (mark/entry) × (notional/account value) and closed at the previous mark price.",
        ],
      }),
    },
    file.listed,
    file.aliases,
  );
  return cached;
}

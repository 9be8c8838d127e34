import type { MarginRules } from "../margin/types.js";
import { standardAdlScore } from "./adl.js";
import { defineVenue } from "./define.js";
import { descendingTierSteps } from "./procedures.js";
import type { Venue } from "./types.js";
import { readVenueFile } from "./venue-file.js";

const FAQ = "https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46";

/** Inputs of the Binance COIN-M one-way liquidation-price formula (amounts in the coin). */
export interface BinanceCoinmLiquidationInput {
  /** `WB`: wallet balance in the coin (cross wallet, or the isolated wallet balance). */
  walletBalance: number;
  /** `TMM1`, `UPNL1`: maintenance margin and unrealised PnL of other contracts, in the coin (0 isolated). */
  otherMaintenanceMargin: number;
  otherUnrealizedPnl: number;
  /** Number of contracts (absolute) and side. */
  contracts: number;
  side: 1 | -1;
  entryPrice: number;
  /** `CM`: contract multiplier in USD (100 for BTCUSD, 10 for the others). */
  contractSize: number;
  mmr: number;
  cum: number;
}

/**
 * Binance COIN-M (inverse) liquidation price, one-way mode (Binance FAQ "How to Calculate Liquidation
 * Price of COIN-M Futures Contracts", formula as reconstructed on dev.binance.vision, thread 6292):
 * `LP = (B·MMR + Side·B) / ((WB − TMM1 + UPNL1 + cum)/CM + Side·B/EP)` with `B` the contracts.
 * It is the root of `WB' + Side·B·CM·(1/EP − 1/P) = B·CM/P·MMR − cum`, which the engine solves in
 * `u = 1/P`.
 *
 * @example WB 101 BTC, long 100,000 BTCUSD contracts @ 45,000, MMR 12.5 %, cum 11.605 → 33,599.4
 *   (Binance's calculator shows 33,599.40).
 */
export function binanceCoinmLiquidationPrice(input: BinanceCoinmLiquidationInput): number {
  const b = input.contracts;
  const margin = input.walletBalance - input.otherMaintenanceMargin + input.otherUnrealizedPnl + input.cum;
  return (
    (b * input.mmr + input.side * b) / (margin / input.contractSize + (input.side * b) / input.entryPrice)
  );
}

const RULES: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: true };

let cached: Venue | undefined;

/** Binance COIN-M futures: inverse contracts margined in the coin, brackets in coin notional. */
export function binanceCoinm(): Venue {
  if (cached !== undefined) return cached;
  const file = readVenueFile("venues/binance-coinm_brackets_btcusd.json");
  cached = defineVenue(
    {
      id: "binance-coinm",
      name: "Binance COIN-M",
      contractKind: "inverse",
      rules: RULES,
      sources: [`brackets: ${file.source}, as of ${file.asOf}. ${file.note}`, `formulas: ${FAQ}`],
      liquidationSteps: (state) =>
        descendingTierSteps(state, RULES, {
          reduce: "an IOC order reduces the position toward a lower bracket",
          takeover:
            "the remaining position is closed at the bankruptcy price and taken over by the insurance fund",
          startWithCancel: true,
        }),
      liquidationFeeRate: () => 0.005,
      adlScore: standardAdlScore,
      describe: () => ({
        liquidation: [
          "Trigger: mark price; margin, PnL and maintenance margin are counted in the coin (notional = contracts × multiplier / price).",
          "Same procedure as USDⓈ-M: cancel orders, IOC reduction, then takeover at the bankruptcy price by the insurance fund.",
        ],
        insurance: [
          "The insurance fund absorbs fills worse than the bankruptcy price; when exhausted, ADL applies.",
        ],
        adl: [
          "Profit × leverage ranking into 5 quantile lights; closes at the bankruptcy price of the liquidated order.",
        ],
      }),
    },
    file.listed,
    file.aliases,
  );
  return cached;
}

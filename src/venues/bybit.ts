import type { MarginRules } from "../margin/types.js";
import { standardAdlScore } from "./adl.js";
import { defineVenue } from "./define.js";
import { descendingTierSteps } from "./procedures.js";
import type { Venue } from "./types.js";
import { readVenueFile } from "./venue-file.js";

const HELP = "https://help.bybit.com/hc/en-us/articles/900000181046";
/** "What is Bankruptcy Price?" (inverse): the fee to close is charged at it; rounded to 0.5 toward the entry. */
const BANKRUPTCY_HELP = "https://help.bybit.com/hc/en-us/articles/360011431853";

/**
 * Bybit USDT-contract isolated liquidation price (Bybit help centre "Liquidation Price (USDT Contract)"):
 * `LP_long = Entry − (IM − MM)/size − ExtraMargin/size`, `LP_short = Entry + (IM − MM)/size + ExtraMargin/size`,
 * with `IM = value/leverage` and `MM = value × MMR − deduction`, both at the entry value.
 *
 * @example 1 BTC long @ 20,000, 50x, MMR 0.5 % → IM 400, MM 100, LP 19,700.
 */
export function bybitIsolatedLiquidationPrice(input: {
  side: 1 | -1;
  size: number;
  entryPrice: number;
  leverage: number;
  mmr: number;
  deduction: number;
  extraMargin: number;
}): number {
  const value = input.size * input.entryPrice;
  const im = value / input.leverage;
  const mm = value * input.mmr - input.deduction;
  return input.entryPrice - (input.side * (im - mm + input.extraMargin)) / input.size;
}

const cached = new Map<string, Venue>();

/**
 * Bybit (classic account). `bybit`: USDT contracts, maintenance margin on the entry value, no fee
 * term. `bybit-inverse`: coin-margined contracts, where the fee to close at the bankruptcy price
 * (0.075 % taker, the help-centre example's rate) enters the bankruptcy and liquidation prices:
 * `BP_long = (1 + fee)·Q / (Q/Entry + Margin)` (help centre article 360039261334).
 */
function bybitVenue(kind: "linear" | "inverse"): Venue {
  const id = kind === "linear" ? "bybit" : "bybit-inverse";
  const hit = cached.get(id);
  if (hit !== undefined) return hit;
  const file = readVenueFile("venues/bybit_risk-limits.json");
  const listed = new Map([...file.listed].filter(([, v]) => v.instrument.kind === kind));
  const aliases = new Map([...file.aliases].filter(([, symbol]) => listed.has(symbol)));
  const rules: MarginRules = {
    maintenanceBasis: "entry",
    closeFeeRate: kind === "linear" ? 0 : 0.00075,
    liquidateAtEquality: true,
    // Inverse: bankruptcy (and liquidation) prices rounded to the 0.5 tick toward the mark (BANKRUPTCY_HELP).
    ...(kind === "inverse" ? { roundsToTick: true } : {}),
  };
  const venue = defineVenue(
    {
      id,
      name: kind === "linear" ? "Bybit USDT contracts" : "Bybit inverse contracts",
      contractKind: kind,
      rules,
      sources: [
        `risk limits: ${file.source}, as of ${file.asOf}. ${file.note}`,
        `formulas: ${HELP}`,
        ...(kind === "inverse" ? [`bankruptcy price, fee to close and rounding: ${BANKRUPTCY_HELP}`] : []),
      ],
      liquidationSteps: (state) =>
        descendingTierSteps(state, rules, {
          reduce: "a Fill-or-Kill order reduces the position to a lower risk-limit tier",
          takeover: "the liquidation engine takes over the position at the bankruptcy price",
          startWithCancel: true,
        }),
      liquidationFeeRate: () => 0,
      adlScore: standardAdlScore,
      describe: () => ({
        liquidation: [
          "Trigger: mark price. Isolated: LP = entry ∓ (IM − MM)/size ∓ extra margin/size, with MM = value × MMR − deduction at the entry value.",
          "Cancel orders; above the lowest risk tier, a Fill-or-Kill order steps the position down; otherwise the engine takes over at the bankruptcy price.",
          "Inverse contracts: the fee to close at the bankruptcy price is part of the bankruptcy and liquidation price; both are rounded to the 0.5 tick toward the mark (a long's up, a short's down).",
        ],
        insurance: [
          "Fills better than the bankruptcy price go to the insurance fund, which pays for fills worse than it.",
        ],
        adl: ["Profit × leverage ranking (BitMEX-style), closed at the bankruptcy price."],
      }),
    },
    listed,
    aliases,
  );
  cached.set(id, venue);
  return venue;
}

/** Bybit USDT contracts (linear). */
export const bybit = (): Venue => bybitVenue("linear");
/** Bybit inverse (coin-margined) contracts. */
export const bybitInverse = (): Venue => bybitVenue("inverse");

import type { MarginRules } from "../margin/types.js";
import { standardAdlScore } from "./adl.js";
import { defineVenue } from "./define.js";
import { descendingTierSteps } from "./procedures.js";
import type { Venue } from "./types.js";
import { readVenueFile } from "./venue-file.js";

const RULES: MarginRules = { maintenanceBasis: "entry", closeFeeRate: 0, liquidateAtEquality: true };

let cached: Venue | undefined;

/**
 * BitMEX: inverse XBTUSD, maintenance margin on the entry value, liquidation by taking the whole
 * position at the bankruptcy price (base risk limit) or stepping risk limits down, ADL by
 * `PnL% × effective leverage` (https://www.bitmex.com/app/autoDeleveraging).
 * Liquidation example (https://testnet.bitmex.com/app/liquidationExamples): long 1 contract at
 * 100.00 with 1 % initial and 0.5 % maintenance margin → liquidation 99.50, bankruptcy 99.00.
 */
export function bitmex(): Venue {
  if (cached !== undefined) return cached;
  const file = readVenueFile("venues/bitmex_risk-limits.json");
  cached = defineVenue(
    {
      id: "bitmex",
      name: "BitMEX",
      contractKind: "inverse",
      rules: RULES,
      sources: [
        `risk limits: ${file.source}, as of ${file.asOf}. ${file.note}`,
        "ADL: https://www.bitmex.com/app/autoDeleveraging",
      ],
      liquidationSteps: (state) =>
        descendingTierSteps(state, RULES, {
          reduce: "the risk limit is stepped down with a Fill-or-Kill order to get below a lower tier",
          takeover:
            "the engine takes over the position with a limit order at the bankruptcy price; better fills go to the insurance fund, which otherwise aggresses; failing that, ADL at the bankruptcy price",
          startWithCancel: true,
        }),
      liquidationFeeRate: () => 0,
      adlScore: standardAdlScore,
      describe: () => ({
        liquidation: [
          "Trigger: the fair (mark) price; maintenance margin on the position's entry value.",
          "Base risk limit: cancel orders, then the engine takes the whole position with a limit order at the bankruptcy price.",
          "Higher risk limits: step down with a Fill-or-Kill order to a lower tier; if that fails, the engine takes over.",
        ],
        insurance: [
          "Fills better than the bankruptcy price go to the insurance fund; if the position cannot be closed at it, the fund aggresses.",
        ],
        adl: [
          "Ranking = PnL% × effective leverage (PnL% > 0) or PnL% / effective leverage, effective leverage = |mark value| / (mark value − bankrupt value).",
          "Counterparties are closed at the liquidated order's bankruptcy price, highest rank first; the indicator shows 20 % quantile buckets.",
        ],
      }),
    },
    file.listed,
    file.aliases,
  );
  return cached;
}

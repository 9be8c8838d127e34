import { InputError } from "../errors.js";
import { binanceCoinm } from "./binance-coinm.js";
import { binanceUsdm } from "./binance-usdm.js";
import { bitmex } from "./bitmex.js";
import { bybit, bybitInverse } from "./bybit.js";
import * as dydxV4 from "./dydx-v4.js";
import { hyperliquid } from "./hyperliquid.js";
import type { Venue } from "./types.js";

/** Every venue rulebook, by id; each loads its bundled tables on first use. */
const VENUES: Record<string, () => Venue> = {
  "binance-usdm": binanceUsdm,
  "binance-coinm": binanceCoinm,
  bybit,
  "bybit-inverse": bybitInverse,
  hyperliquid,
  bitmex,
  "dydx-v4": () => dydxV4.venue(),
};

/** Ids of the venues liqopt knows. */
export function venueIds(): string[] {
  return Object.keys(VENUES);
}

/** The rulebook of a venue; throws an {@link InputError} listing the known ids. */
export function getVenue(id: string, field = "venue"): Venue {
  const make = VENUES[id];
  if (make === undefined) {
    throw new InputError(field, id, "is not a known venue", `Use one of: ${venueIds().join(", ")}.`);
  }
  return make();
}

export type { AdlCandidate, DatedTierTable, LiquidationState, LiquidationStep, Venue } from "./types.js";

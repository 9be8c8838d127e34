import type { Instrument, MarginRules } from "../margin/types.js";
import { readRecord } from "../validate.js";
import { standardAdlScore } from "./adl.js";
import { readBundledJson } from "./data-files.js";
import { defineVenue, type Listing, lazyListing } from "./define.js";
import { descendingTierSteps } from "./procedures.js";
import { parseTierTable } from "./tier-loaders.js";
import type { Venue } from "./types.js";

const FAQ = "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93";
const BRACKETS_FILE = "venues/binance-usdm_leverage-tiers_2024-10.json";
const BRACKETS_SOURCE =
  "freqtrade/freqtrade freqtrade/exchange/binance_leverage_tiers.json @ c9ae5e1e (Binance leverageBracket in ccxt shape)";

/** Tick and step of the majors (Binance `exchangeInfo` filters PRICE_FILTER / LOT_SIZE). */
const PRECISION: Record<string, { tickSize: number; stepSize: number }> = {
  BTCUSDT: { tickSize: 0.1, stepSize: 0.001 },
  ETHUSDT: { tickSize: 0.01, stepSize: 0.001 },
  SOLUSDT: { tickSize: 0.01, stepSize: 1 },
};

/** One side of the documented formula: absolute size, entry price, and the tier's rate and amount. */
export interface BinanceLeg {
  size: number;
  entryPrice: number;
  mmr: number;
  cum: number;
}

/** Inputs of the Binance USDⓈ-M liquidation-price formula for one symbol. */
export interface BinanceLiquidationInput {
  /** `WB`: cross wallet balance, or the position's isolated wallet balance. */
  walletBalance: number;
  /** `TMM1`: maintenance margin of all other contracts (0 in isolated mode). */
  otherMaintenanceMargin: number;
  /** `UPNL1`: unrealised PnL of all other contracts (0 in isolated mode). */
  otherUnrealizedPnl: number;
  /** One-way position (`BOTH`) with its side, if any. */
  both?: BinanceLeg & { side: 1 | -1 };
  /** Hedge-mode long leg, if any. */
  long?: BinanceLeg;
  /** Hedge-mode short leg, if any. */
  short?: BinanceLeg;
}

/**
 * The liquidation price exactly as Binance documents it for USDⓈ-M contracts, with the tier of each
 * leg given (Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"):
 * ```
 * LP = (WB − TMM1 + UPNL1 + cumB + cumL + cumS − Side1BOTH·Position1BOTH·EP1BOTH
 *       − Position1LONG·EP1LONG + Position1SHORT·EP1SHORT)
 *    / (Position1BOTH·MMR_B + Position1LONG·MMR_L + Position1SHORT·MMR_S
 *       − Side1BOTH·Position1BOTH − Position1LONG + Position1SHORT)
 * ```
 * The engine (`liquidationPrices`) solves the same equation and also re-solves across tiers; this
 * closed form is the parity reference. A negative result is returned as is (Binance shows "--").
 *
 * @example FAQ cross example (via freqtrade PR #5576): WB 1,535,443.01, ETHUSDT long 3,683.979 @ 1,456.84,
 *   mmr 10 %, cum 135,365, TMM1 71,200.81144, UPNL1 −56,354.57 → 1,153.26.
 */
export function binanceUsdmLiquidationPrice(input: BinanceLiquidationInput): number {
  const { both, long, short } = input;
  let num = input.walletBalance - input.otherMaintenanceMargin + input.otherUnrealizedPnl;
  let den = 0;
  if (both !== undefined) {
    num += both.cum - both.side * both.size * both.entryPrice;
    den += both.size * both.mmr - both.side * both.size;
  }
  if (long !== undefined) {
    num += long.cum - long.size * long.entryPrice;
    den += long.size * long.mmr - long.size;
  }
  if (short !== undefined) {
    num += short.cum + short.size * short.entryPrice;
    den += short.size * short.mmr + short.size;
  }
  return num / den;
}

/** `BTC/USDT:USDT` → `BTCUSDT`; `BTC/USDT:USDT-241227` → `BTCUSDT_241227` (Binance's delivery naming). */
function binanceSymbolFromCcxt(ccxtSymbol: string): string {
  const [pair = "", settleAndExpiry = ""] = ccxtSymbol.split(":");
  const [, expiry] = settleAndExpiry.split("-");
  const base = pair.replace("/", "");
  return expiry === undefined ? base : `${base}_${expiry}`;
}

/**
 * The bundled brackets (ccxt's `fetchLeverageTiers` shape, `{ "BTC/USDT:USDT": LeverageTier[] }`) as
 * a listing by Binance symbol with the ccxt symbols as aliases; each symbol's table is parsed and
 * checked (`parseTierTable`) on its first lookup, not the 349 of them up front.
 */
function listInstruments(): { listed: Listing; aliases: Map<string, string> } {
  const raw = readRecord(readBundledJson(BRACKETS_FILE), BRACKETS_FILE);
  const ccxtOf = new Map<string, string>();
  const aliases = new Map<string, string>();
  for (const ccxtSymbol of Object.keys(raw)) {
    const symbol = binanceSymbolFromCcxt(ccxtSymbol);
    ccxtOf.set(symbol, ccxtSymbol);
    aliases.set(ccxtSymbol, symbol);
  }
  const listed = lazyListing([...ccxtOf.keys()], (symbol) => {
    const ccxtSymbol = ccxtOf.get(symbol) as string;
    const tiers = parseTierTable(raw[ccxtSymbol], `${BRACKETS_FILE}["${ccxtSymbol}"]`);
    const marginAsset = (ccxtSymbol.split(":")[1] ?? "USDT").split("-")[0] ?? "USDT";
    const instrument: Instrument = {
      symbol,
      kind: "linear",
      contractSize: 1,
      marginAsset,
      ...(PRECISION[symbol] ?? {}),
    };
    return { instrument, table: { symbol, asOf: "2024-10-24", source: BRACKETS_SOURCE, tiers } };
  });
  return { listed, aliases };
}

/**
 * Liquidation clearance fee on the notional liquidated: 0.3 % on BTCUSDT, 0.5 % on other perpetuals
 * (Binance 2019 liquidation-protocol text; the current per-symbol rates are not published in a form
 * we could capture, so treat these as defaults to override).
 */
function clearanceFeeRate(symbol: string): number {
  return symbol === "BTCUSDT" ? 0.003 : 0.005;
}

const RULES: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: true };

let cached: Venue | undefined;

/** Binance USDⓈ-M futures: linear, mark-price trigger, tiered brackets, IF takeover, ADL. */
export function binanceUsdm(): Venue {
  if (cached !== undefined) return cached;
  const { listed, aliases } = listInstruments();
  cached = defineVenue(
    {
      id: "binance-usdm",
      name: "Binance USDⓈ-M",
      contractKind: "linear",
      rules: RULES,
      sources: [`brackets: ${BRACKETS_SOURCE}, as of 2024-10-24`, `formulas: ${FAQ}`],
      liquidationSteps: (state) =>
        descendingTierSteps(state, RULES, {
          reduce: "an IOC order reduces the position ('Smart Liquidation') toward a lower bracket",
          takeover:
            "the remaining position is closed at the bankruptcy price and taken over by the insurance fund; the clearance fee goes to the fund",
          startWithCancel: true,
        }),
      liquidationFeeRate: clearanceFeeRate,
      adlScore: standardAdlScore,
      describe: () => ({
        liquidation: [
          "Trigger: mark price; liquidation when margin ratio = maintenance margin / margin balance ≥ 100 %.",
          "Open orders are cancelled, then one IOC order tries to reduce the position without closing it fully.",
          "If the account is still deficient the position is closed at its bankruptcy price and the insurance fund takes it over.",
          "A liquidation clearance fee on the liquidated notional goes to the insurance fund (defaults: BTCUSDT 0.3 %, others 0.5 %).",
        ],
        insurance: [
          "BTCUSDT and ETHUSDT each have their own insurance fund; all other USDⓈ-M perpetuals share one.",
          "If the wallet goes negative after liquidation, the insurance fund tops it up to 0.",
          "The fund's maximum net notional position is by default 100 % of its size; beyond that, ADL applies.",
        ],
        adl: [
          "Opposite-side positions are ranked by profit × leverage (the BitMEX-style ranking) into 5 quantile lights.",
          "Deleveraged positions close at the bankruptcy price of the liquidated order, with no trading fee.",
        ],
      }),
    },
    listed,
    aliases,
  );
  return cached;
}

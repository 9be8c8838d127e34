import { InputError } from "../errors.js";
import { continuousCum, type Tier, validateTierTable } from "../margin/tiers.js";
import { isRecord, readArray, readNumber, readRecord } from "../validate.js";

/**
 * Reads a tier table in any of the shapes in use and checks it (contiguity, rates, continuity of
 * the maintenance amount `cum_n = cum_{n−1} + floor_n·(mmr_n − mmr_{n−1})`):
 * - liqopt: `{notionalFloor, notionalCap, mmr, cum, maxLeverage}`;
 * - ccxt `LeverageTier`: `{tier, minNotional, maxNotional, maintenanceMarginRate, maxLeverage, info}`
 *   (the maintenance amount is read from `info.cum` when present, else derived by continuity);
 * - Binance `GET /fapi/v1/leverageBracket` bracket: `{bracket, initialLeverage, notionalCap,
 *   notionalFloor, maintMarginRatio, cum}` (numbers may be strings).
 * Throws an {@link InputError} naming the tier and field that is wrong.
 */
export function parseTierTable(raw: unknown, field: string): Tier[] {
  const rows = readArray(raw, field, "Pass an array of tiers ordered by notional.");
  const tiers = fillMissingCum(rows.map((row, n) => parseTier(row, `${field}[${n}]`)));
  validateTierTable(tiers, field);
  return tiers;
}

function parseTier(row: unknown, at: string): Tier {
  const r = readRecord(row, at, "Each tier is an object.");
  const num = (key: string) => readNumber(r[key], `${at}.${key}`, { allowString: true, min: 0 });
  if ("maintMarginRatio" in r) {
    return {
      notionalFloor: num("notionalFloor"),
      notionalCap: num("notionalCap"),
      mmr: num("maintMarginRatio"),
      cum: num("cum"),
      maxLeverage: num("initialLeverage"),
    };
  }
  if ("maintenanceMarginRate" in r) {
    const info = isRecord(r.info) ? r.info : {};
    return {
      notionalFloor: num("minNotional"),
      notionalCap: num("maxNotional"),
      mmr: num("maintenanceMarginRate"),
      cum: "cum" in info ? readNumber(info.cum, `${at}.info.cum`, { allowString: true, min: 0 }) : Number.NaN,
      maxLeverage: num("maxLeverage"),
    };
  }
  if ("mmr" in r) {
    return {
      notionalFloor: num("notionalFloor"),
      notionalCap: r.notionalCap === null ? Number.POSITIVE_INFINITY : num("notionalCap"),
      mmr: num("mmr"),
      cum: num("cum"),
      maxLeverage: num("maxLeverage"),
    };
  }
  throw new InputError(
    at,
    row,
    "is not a tier in a known shape",
    "Use {notionalFloor, notionalCap, mmr, cum, maxLeverage}, ccxt's LeverageTier or Binance's leverageBracket shape.",
  );
}

/**
 * Fills a missing `cum` (NaN, as ccxt's unified shape omits it) from continuity, so that a ccxt
 * table without `info` still loads; present values are kept and checked by the caller.
 */
function fillMissingCum(tiers: Tier[]): Tier[] {
  const out: Tier[] = [];
  for (const t of tiers) {
    const previous = out[out.length - 1];
    const derived = previous === undefined ? 0 : continuousCum(previous, t.notionalFloor, t.mmr);
    out.push(Number.isNaN(t.cum) ? { ...t, cum: derived } : t);
  }
  return out;
}

/**
 * Reads the response of Binance `GET /fapi/v1/leverageBracket`:
 * `[{symbol, brackets: [{bracket, initialLeverage, notionalCap, notionalFloor, maintMarginRatio, cum}]}]`
 * (or one such object), into tier tables by Binance symbol.
 */
export function parseBinanceLeverageBrackets(raw: unknown, field = "leverageBracket"): Map<string, Tier[]> {
  const list = Array.isArray(raw) ? raw : [raw];
  const out = new Map<string, Tier[]>();
  list.forEach((item, n) => {
    const r = readRecord(item, `${field}[${n}]`, "Each entry is {symbol, brackets}.");
    if (typeof r.symbol !== "string") {
      throw new InputError(
        `${field}[${n}].symbol`,
        r.symbol,
        "must be a string",
        "Pass Binance's response as is.",
      );
    }
    out.set(r.symbol, parseTierTable(r.brackets, `${field}[${n}].brackets`));
  });
  return out;
}

/**
 * Reads ccxt's `fetchLeverageTiers` result, `{ "BTC/USDT:USDT": LeverageTier[] }`, into tier tables
 * by ccxt symbol. A missing maintenance amount is derived by continuity.
 */
export function parseCcxtLeverageTiers(raw: unknown, field = "leverageTiers"): Map<string, Tier[]> {
  const r = readRecord(raw, field, "Pass ccxt's fetchLeverageTiers() result: an object of symbol → tiers.");
  const out = new Map<string, Tier[]>();
  for (const [symbol, rows] of Object.entries(r)) {
    out.set(symbol, parseTierTable(rows, `${field}["${symbol}"]`));
  }
  return out;
}

import { InputError } from "../errors.js";
import { notionalAt } from "../margin/position.js";
import type { TierTable } from "../margin/tiers.js";
import type { Account, Instrument, MarginRules, Position, PositionSide } from "../margin/types.js";
import {
  MAX_AMOUNT,
  MAX_PRICE_USD,
  readArray,
  readChoice,
  readNumber,
  readOptionalNumber,
  readRecord,
  readString,
} from "../validate.js";
import { getVenue, venueIds } from "./index.js";
import { parseTierTable } from "./tier-loaders.js";
import type { Venue } from "./types.js";

/** An account document resolved against its venue: the account, the venue and its margin rules. */
export interface ResolvedAccount {
  venue: Venue;
  rules: MarginRules;
  account: Account;
  /** The symbols as written in the document, in position order. */
  symbols: string[];
}

const SIDES = ["BOTH", "LONG", "SHORT"] as const;

/**
 * Reads an account document (schema: `schemas/account.schema.json`) and resolves each position's
 * instrument and tier table from the venue's bundled tables or the document's `tiers` overrides.
 * Every rule broken raises an {@link InputError} naming the field, e.g. `positions[1].entryPrice`.
 */
export function resolveAccountDocument(raw: unknown): ResolvedAccount {
  const doc = readRecord(
    raw,
    "account",
    "The account document is a JSON object; see schemas/account.schema.json.",
  );
  const venueId = readString(doc.venue, "venue", `Name the venue: one of ${venueIds().join(", ")}.`);
  const venue = getVenue(venueId);
  const marginMode = readChoice(doc.marginMode, "marginMode", ["cross", "isolated"] as const);
  const walletBalance = readNumber(doc.walletBalance, "walletBalance", {
    min: 0,
    maxMagnitude: MAX_AMOUNT,
    fix: "Give the wallet balance in the margin asset, e.g. 10000.",
  });
  const overrides = readOverrides(doc.tiers);
  const closeFeeRate = readOptionalNumber(doc.closeFeeRate, "closeFeeRate", {
    min: 0,
    max: 0.1,
    fix: "Give the taker fee as a fraction, e.g. 0.0005 for 0.05 %.",
  });
  const rules: MarginRules = closeFeeRate === undefined ? venue.rules : { ...venue.rules, closeFeeRate };
  const rows = readArray(doc.positions, "positions", "List the positions: [] for none.");
  const symbols: string[] = [];
  const positions = rows.map((row, i) => {
    const at = `positions[${i}]`;
    const p = readRecord(row, at, "Each position is an object with symbol, size, entryPrice, markPrice.");
    const symbol = readString(p.symbol, `${at}.symbol`, "Give the venue symbol, e.g. BTCUSDT.");
    symbols.push(symbol);
    const override = overrides.get(symbol);
    const instrument = resolveInstrument(venue, symbol, override, p.contractSize, at);
    const tiers = override ?? venue.tierTable(instrument.symbol).tiers;
    const position = readPosition(p, at, instrument, tiers, marginMode);
    checkWithinTable(position, at);
    return position;
  });
  checkSides(positions, symbols);
  checkMarginAssets(positions);
  return { venue, rules, account: { marginMode, walletBalance, positions }, symbols };
}

function readOverrides(raw: unknown): Map<string, TierTable> {
  const out = new Map<string, TierTable>();
  if (raw === undefined) return out;
  const r = readRecord(
    raw,
    "tiers",
    'Map each symbol to its tier table: {"BTCUSDT": [{notionalFloor, ...}]}.',
  );
  for (const [symbol, table] of Object.entries(r)) out.set(symbol, parseTierTable(table, `tiers.${symbol}`));
  return out;
}

function resolveInstrument(
  venue: Venue,
  symbol: string,
  override: TierTable | undefined,
  contractSize: unknown,
  at: string,
): Instrument {
  const base =
    override === undefined || venue.lists(symbol) ? venue.instrument(symbol, `${at}.symbol`) : undefined;
  const size = readOptionalNumber(contractSize, `${at}.contractSize`, {
    min: 0,
    exclusiveMin: true,
    maxMagnitude: MAX_AMOUNT,
  });
  if (base !== undefined) return size === undefined ? base : { ...base, contractSize: size };
  return {
    symbol,
    kind: venue.contractKind,
    contractSize: size ?? 1,
    marginAsset: venue.settlementAsset ?? marginAssetOfSymbol(symbol, venue.contractKind),
  };
}

/**
 * Margin asset of a symbol without a bundled instrument on a venue with several settlement assets:
 * the quote suffix of a linear symbol (`NEWUSDT` → USDT), the base prefix of an inverse one
 * (`ADAUSD_PERP` → ADA). A venue with one settlement asset ({@link Venue.settlementAsset}) is
 * never asked: its asset is used for every market.
 */
function marginAssetOfSymbol(symbol: string, kind: "linear" | "inverse"): string {
  const plain = symbol.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (kind === "linear") return ["USDT", "USDC", "FDUSD", "USD"].find((q) => plain.endsWith(q)) ?? "quote";
  const at = plain.indexOf("USD");
  return at > 0 ? plain.slice(0, at) : "coin";
}

function readPosition(
  p: Record<string, unknown>,
  at: string,
  instrument: Instrument,
  tiers: TierTable,
  marginMode: "cross" | "isolated",
): Position {
  const size = readNumber(p.size, `${at}.size`, {
    nonZero: true,
    maxMagnitude: MAX_AMOUNT,
    fix: "Give a signed size in contracts: positive for a long, negative for a short.",
  });
  const price = (key: string) =>
    readNumber(p[key], `${at}.${key}`, {
      min: 0,
      exclusiveMin: true,
      maxMagnitude: MAX_PRICE_USD,
      fix: "Prices are positive numbers.",
    });
  const positionSide: PositionSide =
    p.positionSide === undefined ? "BOTH" : readChoice(p.positionSide, `${at}.positionSide`, SIDES);
  if ((positionSide === "LONG" && size < 0) || (positionSide === "SHORT" && size > 0)) {
    throw new InputError(
      `${at}.size`,
      size,
      `has the wrong sign for positionSide ${positionSide}`,
      "LONG sizes are positive, SHORT sizes negative.",
    );
  }
  const isolatedMargin = readOptionalNumber(p.isolatedMargin, `${at}.isolatedMargin`, {
    min: 0,
    maxMagnitude: MAX_AMOUNT,
    fix: "Give the margin assigned to the position, in the margin asset.",
  });
  if (marginMode === "isolated" && isolatedMargin === undefined) {
    throw new InputError(
      `${at}.isolatedMargin`,
      undefined,
      "is required in isolated mode",
      "Give the margin assigned to this position.",
    );
  }
  const leverage = readOptionalNumber(p.leverage, `${at}.leverage`, {
    min: 0,
    exclusiveMin: true,
    fix: "Use e.g. 20 for 20x.",
  });
  const accruedFunding =
    readOptionalNumber(p.accruedFunding, `${at}.accruedFunding`, { maxMagnitude: MAX_AMOUNT }) ?? 0;
  return {
    instrument,
    tiers,
    size,
    entryPrice: price("entryPrice"),
    markPrice: price("markPrice"),
    positionSide,
    accruedFunding,
    ...(isolatedMargin === undefined || marginMode === "cross" ? {} : { isolatedMargin }),
    ...(leverage === undefined ? {} : { leverage }),
  };
}

/** A bundled table with a finite last cap cannot margin a larger position: ask for the real table. */
function checkWithinTable(position: Position, at: string): void {
  const cap = position.tiers[position.tiers.length - 1]?.notionalCap ?? Number.POSITIVE_INFINITY;
  const notional = notionalAt(position, position.markPrice);
  if (notional > cap) {
    throw new InputError(
      `${at}.size`,
      position.size,
      `gives a notional of ${notional} beyond the largest tier cap ${cap} of the ${position.instrument.symbol} table`,
      `Pass the venue's full table as "tiers": {"${position.instrument.symbol}": [...]}.`,
    );
  }
}

/** One-way (`BOTH`) and hedge (`LONG`/`SHORT`) legs cannot mix on a symbol, and each appears once. */
function checkSides(positions: readonly Position[], symbols: readonly string[]): void {
  const seen = new Map<string, Set<PositionSide>>();
  positions.forEach((p, i) => {
    const key = p.instrument.symbol;
    const sides = seen.get(key) ?? new Set<PositionSide>();
    const clash =
      sides.has(p.positionSide) || (p.positionSide === "BOTH" ? sides.size > 0 : sides.has("BOTH"));
    if (clash) {
      throw new InputError(
        `positions[${i}].positionSide`,
        p.positionSide,
        `repeats or mixes modes on ${symbols[i]}`,
        "Use one BOTH position per symbol (one-way), or one LONG and one SHORT (hedge mode).",
      );
    }
    sides.add(p.positionSide);
    seen.set(key, sides);
  });
}

function checkMarginAssets(positions: readonly Position[]): void {
  const first = positions[0]?.instrument.marginAsset;
  positions.forEach((p, i) => {
    if (p.instrument.marginAsset !== first) {
      throw new InputError(
        `positions[${i}].symbol`,
        p.instrument.symbol,
        `is margined in ${p.instrument.marginAsset}, the account in ${first}`,
        "Put positions with different margin assets in separate account documents.",
      );
    }
  });
}

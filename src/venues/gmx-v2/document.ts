/**
 * GMX v2 account documents (`schemas/gmx-account.schema.json`, `examples/gmx/`): one market's
 * parameters and state, one position, and the index price. Part of the `gmx-v2` namespace
 * (src/venues/gmx-v2.ts).
 */
import { InputError } from "../../errors.js";
import { MAX_AMOUNT, MAX_PRICE_USD, readChoice, readNumber, readRecord, readString } from "../../validate.js";
import type { GmxMarket, GmxPosition } from "./market.js";

/** The `venue` of a GMX v2 document. */
export const GMX_VENUE_ID = "gmx-v2";

/** A resolved GMX v2 document. */
export interface ResolvedGmxDocument {
  venue: typeof GMX_VENUE_ID;
  market: GmxMarket;
  position: GmxPosition;
  /** The index token's price in USD. */
  indexPrice: number;
}

/** Refuses keys a record does not take, naming the first. */
function onlyKeys(r: Record<string, unknown>, at: string, allowed: readonly string[]): void {
  for (const key of Object.keys(r)) {
    if (!allowed.includes(key))
      throw new InputError(
        `${at}${at === "" ? "" : "."}${key}`,
        r[key],
        "is not a field of a GMX v2 document",
        `Allowed: ${allowed.join(", ")}.`,
      );
  }
}

const fraction = (value: unknown, field: string, max = 1) =>
  readNumber(value, field, {
    min: 0,
    max,
    fix: "Give the factor as a fraction (GMX's value / 1e30), e.g. 0.01 for 1 %.",
  });
const usd = (value: unknown, field: string) =>
  readNumber(value, field, { min: 0, maxMagnitude: MAX_AMOUNT, fix: "Give an amount in USD, e.g. 200000." });
const optional = (value: unknown, read: (v: unknown) => number, fallback: number) =>
  value === undefined ? fallback : read(value);

/** A `{long, short}` pair, or one number for both sides. */
function sides(value: unknown, field: string, read: (v: unknown, f: string) => number) {
  if (typeof value === "number") {
    const x = read(value, field);
    return { long: x, short: x };
  }
  const r = readRecord(value, field, `Give {"long": …, "short": …} or one number for both.`);
  onlyKeys(r, field, ["long", "short"]);
  return { long: read(r.long, `${field}.long`), short: read(r.short, `${field}.short`) };
}

function readMarket(raw: unknown): GmxMarket {
  const m = readRecord(raw, "market", "Give the market's parameters: see schemas/gmx-account.schema.json.");
  onlyKeys(m, "market", [
    "symbol",
    "minCollateralFactor",
    "minCollateralFactorForLiquidation",
    "minCollateralFactorForOpenInterestMultiplier",
    "minCollateralUsd",
    "positionFeeFactor",
    "positionImpact",
    "maxPositiveImpactFactor",
    "maxPositionImpactFactorForLiquidations",
    "liquidationFeeFactor",
    "openInterestUsd",
  ]);
  const minCollateralFactor = fraction(m.minCollateralFactor, "market.minCollateralFactor");
  const forLiquidation = optional(
    m.minCollateralFactorForLiquidation,
    (v) => fraction(v, "market.minCollateralFactorForLiquidation"),
    minCollateralFactor,
  );
  const fee = readRecord(
    m.positionFeeFactor,
    "market.positionFeeFactor",
    'Give {"positiveImpact": 0.0004, "negativeImpact": 0.0006}.',
  );
  onlyKeys(fee, "market.positionFeeFactor", ["positiveImpact", "negativeImpact"]);
  const impact = readRecord(
    m.positionImpact,
    "market.positionImpact",
    'Give {"positiveFactor", "negativeFactor", "exponent"} (or "positiveExponent"/"negativeExponent").',
  );
  onlyKeys(impact, "market.positionImpact", [
    "positiveFactor",
    "negativeFactor",
    "exponent",
    "positiveExponent",
    "negativeExponent",
  ]);
  const exponent = (key: string) =>
    readNumber(impact[key] ?? impact.exponent, `market.positionImpact.${key}`, {
      min: 1,
      max: 3,
      fix: "Give the impact exponent (GMX's exponent factor / 1e30), e.g. 2.",
    });
  const impactFactor = (key: string) =>
    readNumber(impact[key], `market.positionImpact.${key}`, {
      min: 0,
      max: 1,
      fix: "Give the impact factor / 1e30, e.g. 5e-10.",
    });
  const oi = sides(m.openInterestUsd, "market.openInterestUsd", usd);
  return {
    symbol: readString(m.symbol, "market.symbol", 'Name the market, e.g. "ETH/USD".'),
    minCollateralFactor,
    minCollateralFactorForLiquidation: forLiquidation,
    minCollateralFactorForOpenInterestMultiplier:
      m.minCollateralFactorForOpenInterestMultiplier === undefined
        ? { long: 0, short: 0 }
        : sides(
            m.minCollateralFactorForOpenInterestMultiplier,
            "market.minCollateralFactorForOpenInterestMultiplier",
            (v, f) => fraction(v, f),
          ),
    minCollateralUsd: optional(m.minCollateralUsd, (v) => usd(v, "market.minCollateralUsd"), 1),
    positionFeeFactor: {
      positiveImpact: fraction(fee.positiveImpact, "market.positionFeeFactor.positiveImpact", 0.1),
      negativeImpact: fraction(fee.negativeImpact, "market.positionFeeFactor.negativeImpact", 0.1),
    },
    impact: {
      positiveImpactFactor: impactFactor("positiveFactor"),
      negativeImpactFactor: impactFactor("negativeFactor"),
      positiveExponent: exponent("positiveExponent"),
      negativeExponent: exponent("negativeExponent"),
    },
    maxPositiveImpactFactor: optional(
      m.maxPositiveImpactFactor,
      (v) => fraction(v, "market.maxPositiveImpactFactor"),
      1,
    ),
    maxPositionImpactFactorForLiquidations: optional(
      m.maxPositionImpactFactorForLiquidations,
      (v) => fraction(v, "market.maxPositionImpactFactorForLiquidations"),
      1,
    ),
    liquidationFeeFactor: optional(
      m.liquidationFeeFactor,
      (v) => fraction(v, "market.liquidationFeeFactor", 0.1),
      0,
    ),
    openInterest: oi,
  };
}

function readPosition(raw: unknown, indexPrice: number): GmxPosition {
  const p = readRecord(raw, "position", "Give the position: side, sizeInUsd, sizeInTokens, collateral.");
  onlyKeys(p, "position", [
    "side",
    "sizeInUsd",
    "sizeInTokens",
    "collateralToken",
    "collateralAmount",
    "collateralPrice",
    "borrowingFeeUsd",
    "fundingFeeAmount",
    "pendingImpactAmount",
  ]);
  const sizeInUsd = readNumber(p.sizeInUsd, "position.sizeInUsd", {
    min: 0,
    exclusiveMin: true,
    maxMagnitude: MAX_AMOUNT,
    fix: "Give the position's size in USD at entry, e.g. 200000.",
  });
  const amount = (key: string, fix: string) =>
    readNumber(p[key], `position.${key}`, {
      min: 0,
      exclusiveMin: key === "sizeInTokens",
      maxMagnitude: MAX_AMOUNT,
      fix,
    });
  const collateralIsIndexToken =
    readChoice(p.collateralToken, "position.collateralToken", ["index", "other"] as const) === "index";
  const collateralPrice = collateralIsIndexToken
    ? indexPrice
    : readNumber(p.collateralPrice, "position.collateralPrice", {
        min: 0,
        exclusiveMin: true,
        maxMagnitude: MAX_PRICE_USD,
        fix: 'Give the collateral token\'s price in USD (1 for USDC); "collateralToken": "index" prices it at the index.',
      });
  return {
    isLong: readChoice(p.side, "position.side", ["long", "short"] as const) === "long",
    sizeInUsd,
    sizeInTokens: amount("sizeInTokens", "Give the size in index tokens, e.g. 40."),
    collateralAmount: amount("collateralAmount", "Give the collateral in collateral tokens, e.g. 10."),
    collateralIsIndexToken,
    collateralPrice,
    borrowingFeeUsd: optional(p.borrowingFeeUsd, (v) => usd(v, "position.borrowingFeeUsd"), 0),
    fundingFeeAmount: optional(
      p.fundingFeeAmount,
      () => amount("fundingFeeAmount", "Give the funding fee due in collateral tokens."),
      0,
    ),
    pendingImpactAmount: optional(
      p.pendingImpactAmount,
      (v) =>
        readNumber(v, "position.pendingImpactAmount", {
          maxMagnitude: MAX_AMOUNT,
          fix: "Give the pending impact in index tokens (negative: a cost).",
        }),
      0,
    ),
  };
}

/**
 * Reads a GMX v2 document: `{venue: "gmx-v2", indexPrice, market: {...}, position: {...}}` with the
 * market's `DataStore` factors as fractions (GMX's 1e30 values / 1e30). Every bad or unknown field is
 * an {@link InputError} naming it.
 */
export function resolveGmxDocument(raw: unknown): ResolvedGmxDocument {
  const doc = readRecord(
    raw,
    "account",
    "A GMX v2 document is a JSON object; see schemas/gmx-account.schema.json.",
  );
  onlyKeys(doc, "", ["venue", "indexPrice", "market", "position"]);
  if (doc.venue !== GMX_VENUE_ID)
    throw new InputError("venue", doc.venue, `is not ${GMX_VENUE_ID}`, `Set "venue": "${GMX_VENUE_ID}".`);
  const indexPrice = readNumber(doc.indexPrice, "indexPrice", {
    min: 0,
    exclusiveMin: true,
    maxMagnitude: MAX_PRICE_USD,
    fix: "Give the index token's price in USD, e.g. 5000.",
  });
  return {
    venue: GMX_VENUE_ID,
    market: readMarket(doc.market),
    position: readPosition(doc.position, indexPrice),
    indexPrice,
  };
}

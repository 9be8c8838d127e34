import { InputError } from "../../errors.js";
import {
  MAX_AMOUNT,
  MAX_PRICE_USD,
  readArray,
  readChoice,
  readNumber,
  readOptionalNumber,
  readRecord,
  readString,
} from "../../validate.js";
import { adlPercentiles, allocateDeleveraging } from "../adl.js";
import { getVenue } from "../index.js";
import type { AdlCandidate } from "../types.js";

/** Venues whose ADL ranking and fill rule the queue reproduces. */
export const ADL_QUEUE_VENUES = ["bitmex", "binance-usdm", "hyperliquid"] as const;

/** A venue of {@link ADL_QUEUE_VENUES}. */
export type AdlQueueVenue = (typeof ADL_QUEUE_VENUES)[number];

/** At which price deleveraged counterparties are closed. */
export type AdlFillAt = "bankruptcy" | "mark";

/**
 * The price each venue closes deleveraged counterparties at: BitMEX and Binance at the liquidated
 * order's bankruptcy price (https://www.bitmex.com/app/autoDeleveraging; Binance "What is
 * Auto-Deleveraging"), Hyperliquid at the previous mark price (docs "Auto-deleveraging"), as their
 * rulebooks' `describe().adl` state.
 */
export const ADL_FILL_AT: Readonly<Record<AdlQueueVenue, AdlFillAt>> = {
  bitmex: "bankruptcy",
  "binance-usdm": "bankruptcy",
  hyperliquid: "mark",
};

/** The bankrupt position the engine could not close in the market. */
export interface AdlLiquidatedPosition {
  id: string;
  /** Signed size (+ long, − short) in base units or contracts. */
  size: number;
  /** Its bankruptcy price. */
  bankruptcyPrice: number;
}

/** The input of {@link adlQueue}: one market, its mark price, the bankrupt position and the opposite side. */
export interface AdlQueueInput {
  venue: AdlQueueVenue;
  markPrice: number;
  liquidated: AdlLiquidatedPosition;
  /** Opposite-side positions; `markPrice` of each is the market's. */
  counterparties: readonly AdlCandidate[];
  /** Overrides the venue's fill rule ({@link ADL_FILL_AT}). */
  fillAt?: AdlFillAt;
}

/** One counterparty in the venue's ranking. */
export interface AdlRankingRow {
  /** 1 = deleveraged first. */
  rank: number;
  id: string;
  size: number;
  /** The venue's ADL score; null when not finite (Hyperliquid: not in profit; zero cushion). */
  score: number | null;
  /** The indicator: share of the side's quantity ranked at or above, in 20 % buckets (0–100]. */
  percentile: number;
  /** Quantity this counterparty is deleveraged by (0 when the queue stops before it). */
  deleveraged: number;
}

/** One deleveraging fill: the counterparty closes `quantity` at `price`. */
export interface AdlFill {
  id: string;
  quantity: number;
  price: number;
  /** `quantity × price`. */
  notional: number;
  /** The counterparty's PnL realised on the closed part, `quantity × sign(size) × (price − entry)`. */
  realisedPnl: number;
  /** What closing at `price` instead of the mark costs the counterparty, `quantity × sign(size) × (mark − price)`. */
  lossTaken: number;
}

/** What the ADL queue did. */
export interface AdlQueueReport {
  venue: AdlQueueVenue;
  markPrice: number;
  fillAt: AdlFillAt;
  fillPrice: number;
  liquidated: AdlLiquidatedPosition & { quantity: number };
  ranking: AdlRankingRow[];
  fills: AdlFill[];
  filledQuantity: number;
  /** Quantity no counterparty was left to take. */
  unfilledQuantity: number;
  /** The bankrupt position's deficit if closed at the mark, `size × (bankruptcyPrice − mark)` (negative: a surplus). */
  deficitAtMark: number;
  /** `Σ lossTaken`: the part of the deficit the counterparties bear through the fill price. */
  lossCovered: number;
  /** `deficitAtMark − lossCovered`: what is left for the insurance fund or the venue. */
  remainingLoss: number;
}

/**
 * The auto-deleveraging queue for one bankrupt position: ranks the opposite side with the venue's
 * ADL score (BitMEX/Binance `PnL% × effective leverage`, Hyperliquid `(mark/entry) × notional/account
 * value`), allocates the position's quantity down the ranking ({@link allocateDeleveraging}: highest
 * score first, each counterparty at most its own size), and closes every fill at the venue's price
 * (bankruptcy price or mark, {@link ADL_FILL_AT}). The deficit at the mark, `size·(bankruptcy − mark)`,
 * splits into `Σ lossTaken` (borne by the counterparties) and `remainingLoss`; with fills at the
 * bankruptcy price `lossTaken_i = q_i/|size| × deficit`. Sources: https://www.bitmex.com/app/autoDeleveraging
 * and "Auto-Deleveraging Examples" (a short of 20 at 650 closes 10 of account 2 and 10 of account 5);
 * the venues' rulebooks.
 */
export function adlQueue(input: AdlQueueInput): AdlQueueReport {
  const venue = getVenue(input.venue);
  const fillAt = input.fillAt ?? ADL_FILL_AT[input.venue];
  const { liquidated, markPrice } = input;
  const fillPrice = fillAt === "bankruptcy" ? liquidated.bankruptcyPrice : markPrice;
  const quantity = Math.abs(liquidated.size);
  const candidates = input.counterparties.map((c) => ({
    id: c.id,
    quantity: Math.abs(c.size),
    score: venue.adlScore({ ...c, markPrice }),
  }));
  const fillsById = new Map(allocateDeleveraging(candidates, quantity).map((f) => [f.id, f.quantity]));
  const percentiles = adlPercentiles(candidates);
  const order = candidates.map((c, i) => ({ c, i })).sort((x, y) => y.c.score - x.c.score || x.i - y.i);
  const ranking = order.map(({ c, i }, rank) => ({
    rank: rank + 1,
    id: c.id,
    size: input.counterparties[i]?.size ?? 0,
    score: Number.isFinite(c.score) ? c.score : null,
    percentile: percentiles[i] ?? 0,
    deleveraged: fillsById.get(c.id) ?? 0,
  }));
  const fills: AdlFill[] = [];
  for (const { c, i } of order) {
    const q = fillsById.get(c.id);
    const cp = input.counterparties[i];
    if (q === undefined || cp === undefined) continue;
    const side = Math.sign(cp.size);
    fills.push({
      id: c.id,
      quantity: q,
      price: fillPrice,
      notional: q * fillPrice,
      realisedPnl: q * side * (fillPrice - cp.entryPrice),
      lossTaken: q * side * (markPrice - fillPrice),
    });
  }
  const filledQuantity = fills.reduce((s, f) => s + f.quantity, 0);
  const deficitAtMark = liquidated.size * (liquidated.bankruptcyPrice - markPrice);
  const lossCovered = fills.reduce((s, f) => s + f.lossTaken, 0);
  return {
    venue: input.venue,
    markPrice,
    fillAt,
    fillPrice,
    liquidated: { ...liquidated, quantity },
    ranking,
    fills,
    filledQuantity,
    unfilledQuantity: Math.max(0, quantity - filledQuantity),
    deficitAtMark,
    lossCovered,
    remainingLoss: deficitAtMark - lossCovered,
  };
}

const PRICE = { min: 0, exclusiveMin: true, maxMagnitude: MAX_PRICE_USD } as const;

/**
 * Reads an ADL queue document (schema `schemas/adl-queue.schema.json`): `venue`, `markPrice`,
 * `liquidated {id, size, bankruptcyPrice}`, `counterparties [{id, size, entryPrice, bankruptcyPrice,
 * equity}]` on the opposite side (ids unique; `equity` required by Hyperliquid's ranking), optional
 * `fillAt`. Throws an {@link InputError} naming the field, e.g. `counterparties[1].size`.
 */
export function readAdlQueueDocument(raw: unknown): AdlQueueInput {
  const doc = readRecord(
    raw,
    "document",
    "The ADL document is a JSON object; see schemas/adl-queue.schema.json.",
  );
  const venue = readChoice(doc.venue, "venue", ADL_QUEUE_VENUES);
  const markPrice = readNumber(doc.markPrice, "markPrice", {
    ...PRICE,
    fix: "Give the mark price, e.g. 640.",
  });
  const l = readRecord(
    doc.liquidated,
    "liquidated",
    "Give the bankrupt position: {id, size, bankruptcyPrice}.",
  );
  const liquidated: AdlLiquidatedPosition = {
    id: l.id === undefined ? "liquidated" : readString(l.id, "liquidated.id"),
    size: readNumber(l.size, "liquidated.size", {
      nonZero: true,
      maxMagnitude: MAX_AMOUNT,
      fix: "Signed size: + long, − short.",
    }),
    bankruptcyPrice: readNumber(l.bankruptcyPrice, "liquidated.bankruptcyPrice", {
      ...PRICE,
      fix: "Give the position's bankruptcy price.",
    }),
  };
  const rows = readArray(doc.counterparties, "counterparties", "List the opposite-side positions.");
  const seen = new Set<string>();
  const counterparties = rows.map((row, i): AdlCandidate => {
    const at = `counterparties[${i}]`;
    const c = readRecord(row, at, "Each counterparty is {id, size, entryPrice, bankruptcyPrice, equity}.");
    const id = readString(c.id, `${at}.id`, "Give each counterparty an id.");
    if (seen.has(id))
      throw new InputError(`${at}.id`, id, "is not unique", "Give each counterparty its own id.");
    seen.add(id);
    const size = readNumber(c.size, `${at}.size`, {
      nonZero: true,
      maxMagnitude: MAX_AMOUNT,
      fix: "Signed size: + long, − short.",
    });
    if (Math.sign(size) === Math.sign(liquidated.size))
      throw new InputError(
        `${at}.size`,
        size,
        "is on the liquidated position's side",
        "ADL closes opposite-side positions: give the counterparty's size with the other sign.",
      );
    const equity = readOptionalNumber(c.equity, `${at}.equity`, {
      maxMagnitude: MAX_AMOUNT,
      fix: "Give the account value behind it.",
    });
    if (equity === undefined && venue === "hyperliquid")
      throw new InputError(
        `${at}.equity`,
        undefined,
        "is required by Hyperliquid's ranking",
        "Give the account value (notional / account value is part of the score).",
      );
    return {
      id,
      size,
      entryPrice: readNumber(c.entryPrice, `${at}.entryPrice`, { ...PRICE, fix: "Give the entry price." }),
      markPrice,
      bankruptcyPrice: readNumber(c.bankruptcyPrice, `${at}.bankruptcyPrice`, {
        min: 0,
        maxMagnitude: MAX_PRICE_USD,
        fix: "Give the counterparty's own bankruptcy price.",
      }),
      equity: equity ?? 0,
    };
  });
  const fillAt =
    doc.fillAt === undefined ? undefined : readChoice(doc.fillAt, "fillAt", ["bankruptcy", "mark"] as const);
  return { venue, markPrice, liquidated, counterparties, ...(fillAt === undefined ? {} : { fillAt }) };
}

/** The `mechanism adl` workflow: reads the document and runs {@link adlQueue}. */
export function adlQueueReport(raw: unknown): AdlQueueReport {
  return adlQueue(readAdlQueueDocument(raw));
}

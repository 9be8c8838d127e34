/**
 * The cost of liquidating a position: fee plus slippage, as a function of size.
 *
 * shared/research/quant.md §3.9: "liquidation cost of a position = liquidation fee + half-spread +
 * impact of the forced order". Two ways to get the market part:
 * - from an L2 book ({@link liquidationCost}): the forced order is a market order walked through the
 *   opposite side (a long is sold into the bids, a short bought from the asks); its slippage against
 *   the mid already contains the half-spread (`book-walk.ts`);
 * - from the square-root law ({@link liquidationCostFromImpact}): half-spread + `Y σ_D √(Q/V_D)`.
 * The fee is charged on the executed notional: `feeRate · filled quote` for a linear contract;
 * for an inverse contract the fee is `feeRate · filled base` (BitMEX charges inverse fees in the
 * settlement coin on the contracts' value), converted to quote at the mid.
 */
import { type AmountUnit, walkBook } from "../market/book-walk.js";
import type { OrderBook } from "../market/orderbook.js";
import { readChoice, readNumber } from "../validate.js";
import { type SquareRootImpactModel, squareRootImpact } from "./impact.js";

/** A position to liquidate and the fee charged on it. */
export interface LiquidationOrder {
  /** A long is liquidated by a sell, a short by a buy. */
  readonly positionSide: "long" | "short";
  /** Position size, in `unit`. */
  readonly size: number;
  /** Unit of `size` (default `"base"`). */
  readonly unit?: AmountUnit;
  /** Liquidation or taker fee, a fraction of the executed notional (0.0005 = 5 bps). */
  readonly feeRate: number;
}

/** Cost of one forced close, in quote currency and as a fraction of the notional at mid. */
export interface LiquidationCost {
  readonly size: number;
  readonly unit: AmountUnit;
  /** Filled base amount and its value at the mid before the order. */
  readonly filledBase: number;
  readonly notionalAtMidQuote: number;
  readonly feeQuote: number;
  /** |quote received or paid − mid · base|: spread and depth consumed. */
  readonly slippageQuote: number;
  readonly totalQuote: number;
  /** `totalQuote / notionalAtMidQuote`. */
  readonly totalFraction: number;
  /** Slippage against the mid, fraction (book walk). */
  readonly slippage: number;
  /** What the book could not absorb, in `unit` (the order is priced on the filled part only). */
  readonly unfilled: number;
  readonly exhausted: boolean;
}

/**
 * Cost of closing a position at once against `book`: `fee + slippage` with the slippage of a
 * market order of the position's size through the opposite side of the book (module comment).
 * If the book is exhausted the cost is that of the filled part and `exhausted` is true.
 */
export function liquidationCost(book: OrderBook, order: LiquidationOrder): LiquidationCost {
  const side =
    readChoice(order.positionSide, "positionSide", ["long", "short"] as const) === "long" ? "sell" : "buy";
  const feeRate = readNumber(order.feeRate, "feeRate", {
    min: 0,
    max: 1,
    fix: "Pass the fee as a fraction, e.g. 0.0005.",
  });
  const unit = order.unit ?? "base";
  const w = walkBook(book, side, order.size, unit);
  const notional = w.filledBase * w.midPrice;
  const feeQuote =
    book.contract.kind === "linear" ? feeRate * w.filledQuote : feeRate * w.filledBase * w.midPrice;
  const total = feeQuote + w.slippageQuote;
  return {
    size: order.size,
    unit,
    filledBase: w.filledBase,
    notionalAtMidQuote: notional,
    feeQuote,
    slippageQuote: w.slippageQuote,
    totalQuote: total,
    totalFraction: notional > 0 ? total / notional : 0,
    slippage: w.slippage,
    unfilled: w.unfilled,
    exhausted: w.exhausted,
  };
}

/** {@link liquidationCost} for each size: the cost curve of a forced close against one book. */
export function liquidationCostCurve(
  book: OrderBook,
  sizes: readonly number[],
  order: Omit<LiquidationOrder, "size">,
): LiquidationCost[] {
  return sizes.map((size) => liquidationCost(book, { ...order, size }));
}

/**
 * Cost fraction of a forced close from a model instead of a book:
 * `feeRate + halfSpread + Y σ_D (Q/V_D)^δ` (quant.md §3.9; impact from {@link squareRootImpact}),
 * with Q in the unit of the model's daily volume.
 */
export function liquidationCostFromImpact(
  size: number,
  feeRate: number,
  halfSpreadFraction: number,
  model: SquareRootImpactModel,
): number {
  readNumber(feeRate, "feeRate", { min: 0, max: 1 });
  readNumber(halfSpreadFraction, "halfSpreadFraction", { min: 0, max: 1 });
  return feeRate + halfSpreadFraction + squareRootImpact(size, model);
}

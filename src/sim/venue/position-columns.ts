/**
 * The columns of a venue's isolated positions that a resize touches, and the resize itself: shared
 * by {@link PerpVenue} (src/sim/venue/engine.ts) and the procedures that close part of a position
 * (Hyperliquid, dYdX v4, Drift v2).
 */
import { type FlatTiers, isolatedLiquidationPrice } from "../../margin/batch.js";
import type { LiquidationIndex } from "../../margin/liquidation-index.js";
import type { PerpPopulation } from "./population.js";

/** A venue's position columns: sizes, margins and liquidation prices, with the index over them. */
export interface PositionColumns {
  readonly population: PerpPopulation;
  readonly flat: FlatTiers;
  readonly size: Float64Array;
  readonly margin: Float64Array;
  readonly liquidationPrice: Float64Array;
  readonly index: LiquidationIndex;
}

/**
 * Sets the size of the open position at `slot` to `q` (≠ 0) and re-solves its liquidation price at
 * `price` from its entry and current margin, `P = (margin − q·E + cum_k) / (|q|·mmr_k − q)` with the
 * tier re-solve ({@link isolatedLiquidationPrice}, Binance FAQ one-way formula), into the column
 * and the index. No allocation.
 */
export function resizePosition(v: PositionColumns, slot: number, q: number, price: number): void {
  v.size[slot] = q;
  const lp = isolatedLiquidationPrice(
    v.flat,
    q,
    v.population.entryPrice[slot] as number,
    v.margin[slot] as number,
    price,
  );
  v.liquidationPrice[slot] = lp;
  v.index.update(slot, q, lp);
}

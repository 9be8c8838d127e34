import { flattenTiers, liquidationPriceBatch } from "../../src/margin/batch.js";
import type { TierTable } from "../../src/margin/tiers.js";
import type { PerpPopulation } from "../../src/sim/venue/population.js";

/** A hand-made venue book on `tiers`: rows of [size, entry, margin] marked at `mark`, liquidation prices by the batch kernel. */
export function perpBook(
  rows: readonly (readonly [number, number, number])[],
  tiers: TierTable,
  mark: number,
): PerpPopulation {
  const n = rows.length;
  const col = (j: number) => Float64Array.from(rows, (r) => r[j] as number);
  const p: PerpPopulation = {
    length: n,
    size: col(0),
    entryPrice: col(1),
    isolatedMargin: col(2),
    markPrice: new Float64Array(n).fill(mark),
    notional: Float64Array.from(rows, (r) => Math.abs(r[0]) * r[1]),
    leverage: Float64Array.from(rows, (r) => (Math.abs(r[0]) * r[1]) / r[2]),
    liquidationPrice: new Float64Array(n),
    tiers,
  };
  liquidationPriceBatch(p, flattenTiers(tiers), p.liquidationPrice);
  return p;
}

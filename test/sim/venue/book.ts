/**
 * Books and paths shared by the perp venue engine's tests (engine.test.ts, liquidators.test.ts): a
 * small drawn BTCUSDT book, hand-made books and paths by relative steps from {@link MARK}.
 */
import { Xoshiro128 } from "../../../src/math/random.js";
import { drawPopulation, type PerpPopulation } from "../../../src/sim/venue/population.js";
import type { PopulationSpec } from "../../../src/sim/venue/population-spec.js";
import { getVenue } from "../../../src/venues/index.js";
import { perpBook } from "../../helpers/perp-book.js";

export const tiers = getVenue("binance-usdm").tierTable("BTCUSDT").tiers;
export const MARK = 100_000;

/** The spec of a small drawn BTCUSDT book: `count` positions of about 1 M USD a side, 5× and 20× leverage. */
export function populationSpec(count: number): PopulationSpec {
  return {
    count,
    markPrice: MARK,
    openInterest: (count / 2) * 1e6,
    longShare: 0.5,
    notional: { tailIndex: 1.5, min: 20_000, max: 5e6 },
    leverage: [
      { weight: 0.5, median: 5, sigma: 0.5 },
      { weight: 0.5, median: 20, sigma: 0.5 },
    ],
    entry: { windowDays: 30, volatility: 0.45 },
  };
}

/** A small drawn BTCUSDT book ({@link populationSpec}). */
export function population(count: number, seed: number): PerpPopulation {
  return drawPopulation(populationSpec(count), tiers, new Xoshiro128(seed)).population;
}

/** A hand-made book: rows of [size, entry, margin] marked at `mark`. */
export function book(rows: readonly (readonly [number, number, number])[], mark = MARK): PerpPopulation {
  return perpBook(rows, tiers, mark);
}

/** A path from MARK by relative steps. */
export function pathOf(steps: readonly number[]): Float64Array {
  const out = new Float64Array(steps.length);
  let x = MARK;
  steps.forEach((r, k) => {
    x *= 1 + r;
    out[k] = x;
  });
  return out;
}

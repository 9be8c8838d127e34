/**
 * The plain spec of a drawn position population (src/sim/venue/population.ts) and its reader: the
 * JSON file of `examples/venue/population-btcusdt.json` (venue, symbol, seed and the spec), checked
 * field by field. The example's sources are in docs/assumptions.md ("Venue simulator").
 */
import { InputError } from "../../errors.js";
import type { TierTable } from "../../margin/tiers.js";
import { readArray, readNumber, readRecord, readString } from "../../validate.js";
import { getVenue } from "../../venues/index.js";

/** One lognormal component of the leverage mixture: `ln L ~ N(ln median, sigma²)` with this weight. */
export interface LeverageComponent {
  readonly weight: number;
  readonly median: number;
  readonly sigma: number;
}

/** How a population is drawn (see docs/assumptions.md for the example's sources). */
export interface PopulationSpec {
  /** Number of positions. */
  readonly count: number;
  /** Current mark price (quote per base unit). */
  readonly markPrice: number;
  /** Open interest of each side at the mark, `Σ_long |q|·mark = Σ_short |q|·mark` (quote). */
  readonly openInterest: number;
  /** Share of positions that are long, in (0, 1); the rest are short. */
  readonly longShare: number;
  /**
   * Notional at the mark before scaling: Pareto `P(X > x) = (min/x)^tailIndex` truncated to
   * `[min, max]`.
   */
  readonly notional: { readonly tailIndex: number; readonly min: number; readonly max: number };
  /** Leverage mixture, truncated at each position's bracket maximum. */
  readonly leverage: readonly LeverageComponent[];
  /** Entry prices: opened uniformly over the past `windowDays`, log-price volatility `volatility` per √year. */
  readonly entry: { readonly windowDays: number; readonly volatility: number };
}

/** A population file: the venue and symbol whose tier table applies, the seed and the spec. */
export interface PopulationFile {
  readonly venue: string;
  readonly symbol: string;
  readonly seed: number;
  readonly tiers: TierTable;
  readonly spec: PopulationSpec;
}

const positive = { min: 0, exclusiveMin: true } as const;

/**
 * Reads and checks a {@link PopulationSpec} (a typed spec or parsed JSON): every number finite and
 * in range, `count` an integer ≥ 2, `longShare` leaving at least one long and one short, `max > min`,
 * at least one leverage component. Throws an {@link InputError} naming the field and the fix.
 */
export function readPopulationSpec(raw: unknown): PopulationSpec {
  const r = readRecord(raw, "population", "Pass the population spec as an object; see examples/venue/.");
  const count = readNumber(r.count, "count", { min: 2, fix: "Give the number of positions, e.g. 100000." });
  if (!Number.isInteger(count)) throw new InputError("count", count, "must be an integer", "Round it.");
  const longShare = readNumber(r.longShare, "longShare", { ...positive, max: 1, fix: "Use e.g. 0.5." });
  if (Math.round(count * longShare) % count === 0) {
    throw new InputError("longShare", longShare, "leaves no long or no short", "Use e.g. 0.5.");
  }
  const n = readRecord(r.notional, "notional", "Give {tailIndex, min, max}.");
  const min = readNumber(n.min, "notional.min", {
    ...positive,
    fix: "Give the smallest notional, e.g. 1000.",
  });
  const max = readNumber(n.max, "notional.max", { fix: "Give the largest notional, e.g. 2e8." });
  if (!(max > min)) throw new InputError("notional.max", max, "must exceed notional.min", "Raise it.");
  const components = readArray(r.leverage, "leverage", "List the mixture: [{weight, median, sigma}].");
  if (components.length === 0) {
    throw new InputError("leverage", components, "is empty", "Add {weight, median, sigma}.");
  }
  const entry = readRecord(r.entry, "entry", "Give {windowDays, volatility}.");
  return {
    count,
    markPrice: readNumber(r.markPrice, "markPrice", { ...positive, fix: "Give the mark price, e.g. 60000." }),
    openInterest: readNumber(r.openInterest, "openInterest", {
      ...positive,
      fix: "Give each side's open interest, e.g. 8e9.",
    }),
    longShare,
    notional: {
      tailIndex: readNumber(n.tailIndex, "notional.tailIndex", {
        ...positive,
        fix: "Give the Pareto α, e.g. 1.5.",
      }),
      min,
      max,
    },
    leverage: components.map((raw, j) => {
      const c = readRecord(raw, `leverage[${j}]`, "Each component is {weight, median, sigma}.");
      const field = (key: string, fix: string) =>
        readNumber(c[key], `leverage[${j}].${key}`, { ...positive, fix });
      return {
        weight: field("weight", "Weights are positive (they are normalized)."),
        median: field("median", "Give the median leverage, e.g. 5."),
        sigma: field("sigma", "Give the log-standard deviation, e.g. 0.5."),
      };
    }),
    entry: {
      windowDays: readNumber(entry.windowDays, "entry.windowDays", { min: 0, fix: "Use e.g. 30." }),
      volatility: readNumber(entry.volatility, "entry.volatility", {
        min: 0,
        fix: "Use e.g. 0.6 for 60 %/√year.",
      }),
    },
  };
}

/**
 * Reads a population file: `venue` and `symbol` (whose bundled tier table applies), an integer
 * `seed`, and the spec fields ({@link readPopulationSpec}).
 */
export function readPopulationFile(raw: unknown): PopulationFile {
  const r = readRecord(raw, "population", "Pass the population file as an object; see examples/venue/.");
  const venue = readString(r.venue, "venue", "Name the venue, e.g. binance-usdm.");
  const symbol = readString(r.symbol, "symbol", "Name the symbol, e.g. BTCUSDT.");
  const seed = readNumber(r.seed, "seed", { min: 0, max: 2 ** 32 - 1, fix: "Give an integer seed, e.g. 1." });
  if (!Number.isInteger(seed)) throw new InputError("seed", seed, "must be an integer", "Round it.");
  const tiers = getVenue(venue).tierTable(symbol).tiers;
  return { venue, symbol, seed, tiers, spec: readPopulationSpec(r) };
}

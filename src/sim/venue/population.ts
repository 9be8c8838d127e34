/**
 * A population of isolated perpetual-futures positions on one linear symbol, as structure-of-arrays
 * columns that the batch kernels of `margin/batch` read directly: drawn from stated distributions
 * (notional: truncated Pareto scaled to a target open interest; leverage: a lognormal mixture
 * truncated at each position's bracket; entry prices dispersed around the mark) or loaded from
 * account documents. Seeded; every distribution and default is stated in docs/assumptions.md
 * ("Venue simulator").
 */
import { InputError } from "../../errors.js";
import { flattenTiers, liquidationPriceBatch, type PositionBook } from "../../margin/batch.js";
import { maintenanceMargin, type Tier, type TierTable, tierFor } from "../../margin/tiers.js";
import type { Position } from "../../margin/types.js";
import { normalCdf, normalQuantile } from "../../math/distributions.js";
import { normalSampler, type Xoshiro128 } from "../../math/random.js";
import { withField } from "../../validate.js";
import { resolveAccountDocument } from "../../venues/account-document.js";
import { type LeverageComponent, type PopulationSpec, readPopulationSpec } from "./population-spec.js";

/**
 * Isolated positions as columns, one entry per position. It is a {@link PositionBook}: `size` is
 * signed in base units (positive long), `isolatedMargin` the margin (collateral) of each position,
 * `markPrice` the mark each was drawn or loaded at.
 */
export interface PerpPopulation extends PositionBook {
  /** Notional at entry `|size|·entryPrice` (quote). */
  readonly notional: Float64Array;
  /** Leverage at entry: notional / margin. */
  readonly leverage: Float64Array;
  /** Liquidation price from the tier table ({@link liquidationPriceBatch}); NaN where none exists. */
  readonly liquidationPrice: Float64Array;
  /** The tier table the margins and liquidation prices follow. */
  readonly tiers: TierTable;
}

/** A drawn population and what the draw had to adjust. */
export interface DrawnPopulation {
  readonly population: PerpPopulation;
  /** Factors applied to the long and to the short notionals to meet `openInterest`. */
  readonly scale: { readonly long: number; readonly short: number };
  /**
   * Entry draws refused because the position would be liquidatable at the mark or its entry notional
   * would fall in a bracket below its leverage (see {@link drawPopulation}).
   */
  readonly entriesRedrawn: number;
}

/** Redraws of an entry price before the entry is set at the mark (see {@link drawPopulation}). */
const MAX_ENTRY_DRAWS = 64;
const DAYS_PER_YEAR = 365;

/**
 * The truncated Pareto quantile `x = min·(1 − u·(1 − (min/max)^α))^(−1/α)`, the inverse of
 * `F(x) = (1 − (min/x)^α) / (1 − (min/max)^α)` on `[min, max]` (Aban, Meerschaert & Panorska,
 * "Parameter estimation for the truncated Pareto distribution", JASA 101, 2006, eq. 1).
 */
export function truncatedParetoQuantile(u: number, tailIndex: number, min: number, max: number): number {
  const mass = 1 - (min / max) ** tailIndex;
  return min * (1 - u * mass) ** (-1 / tailIndex);
}

/**
 * One leverage draw from the mixture truncated to `(0, cap]`, exactly: component j is chosen with
 * probability ∝ `w_j·Φ(b_j)`, `b_j = (ln cap − ln median_j)/σ_j` (its mass below the cap), then
 * `L = median_j·exp(σ_j·Φ⁻¹(v·Φ(b_j)))` with v uniform (inverse-CDF sampling of the truncated
 * normal). Truncation by conditioning, not clipping: no mass piles up at the cap. The caller
 * guarantees some mass below the cap (the bracket maxima are ≥ 1).
 */
function truncatedLeverage(mixture: readonly LeverageComponent[], cap: number, rng: Xoshiro128): number {
  const lnCap = Math.log(cap);
  let total = 0;
  for (const c of mixture) total += c.weight * normalCdf((lnCap - Math.log(c.median)) / c.sigma);
  let pick = rng.next() * total;
  let chosen = mixture[mixture.length - 1] as LeverageComponent;
  for (const c of mixture) {
    pick -= c.weight * normalCdf((lnCap - Math.log(c.median)) / c.sigma);
    if (pick < 0) {
      chosen = c;
      break;
    }
  }
  const below = normalCdf((lnCap - Math.log(chosen.median)) / chosen.sigma);
  const v = Math.max(rng.next(), Number.MIN_VALUE);
  return Math.min(cap, chosen.median * Math.exp(chosen.sigma * normalQuantile(v * below)));
}

/** The leverage truncation needs brackets allowing at least 1×. */
function checkTiers(tiers: TierTable): void {
  const last = tiers[tiers.length - 1];
  if (last === undefined || !(last.maxLeverage >= 1)) {
    throw new InputError(
      "tiers",
      last?.maxLeverage,
      "needs brackets with a maximum leverage ≥ 1",
      "Pass the venue's table.",
    );
  }
}

/** Draws the raw notionals at the mark and scales each side to `openInterest`; returns the factors. */
function drawNotionals(
  spec: PopulationSpec,
  longs: number,
  out: Float64Array,
  rng: Xoshiro128,
): [number, number] {
  const { tailIndex, min, max } = spec.notional;
  let sumLong = 0;
  let sumShort = 0;
  for (let i = 0; i < spec.count; i++) {
    const x = truncatedParetoQuantile(rng.next(), tailIndex, min, max);
    out[i] = x;
    if (i < longs) sumLong += x;
    else sumShort += x;
  }
  const kLong = spec.openInterest / sumLong;
  const kShort = spec.openInterest / sumShort;
  for (let i = 0; i < spec.count; i++) out[i] = (out[i] as number) * (i < longs ? kLong : kShort);
  return [kLong, kShort];
}

/**
 * Draws a population on one linear symbol with the venue's tier table `tiers`:
 * - side: the first `round(count·longShare)` positions long, the rest short;
 * - notional at the mark `X_i` from the truncated Pareto ({@link truncatedParetoQuantile}), then each
 *   side multiplied by `k = openInterest / Σ X_i` so both sides hold `openInterest` at the mark (the
 *   contracts balance, as on a venue); size `q_i = ±X_i·k/mark` base units;
 * - leverage `L_i` from the mixture truncated at the bracket maximum of the mark notional
 *   `|q_i|·mark` (exactly, by conditioning: see `truncatedLeverage`), so the leverage marginal is the
 *   stated mixture whatever the entries;
 * - entry price `E_i = mark·exp(σ√t_i·z_i)`, `t_i ~ U(0, windowDays/365)`, z standard normal (the
 *   price `t` years ago under a driftless GBM seen from today), margin `|q_i|·E_i/L_i`; redrawn while
 *   the position would be liquidatable at the mark or `L_i` passes the bracket maximum of the entry
 *   notional (a survivor population: the conditioning falls on the entries; after 64 draws the entry
 *   is set at the mark, where the initial margin 1/L ≥ 1/max leverage covers the maintenance rate);
 * - liquidation price by {@link liquidationPriceBatch} (Binance one-way isolated formula with the
 *   tier re-solve).
 * Throws an {@link InputError} naming the field of a bad spec, or `notional.max` when a scaled
 * notional at the mark reaches the table's last cap (an entry notional may still pass it: its
 * liquidation price is then NaN, beyond the table).
 */
export function drawPopulation(spec: PopulationSpec, tiers: TierTable, rng: Xoshiro128): DrawnPopulation {
  readPopulationSpec(spec);
  checkTiers(tiers);
  const n = spec.count;
  const flat = flattenTiers(tiers);
  const population = createPopulation(n, tiers);
  const { size, entryPrice, markPrice, isolatedMargin, notional, leverage } = population;
  const longs = Math.round(n * spec.longShare);
  const [kLong, kShort] = drawNotionals(spec, longs, notional, rng);
  const cap = (tiers[tiers.length - 1] as Tier).notionalCap;
  const normal = normalSampler();
  const mark = spec.markPrice;
  const years = spec.entry.windowDays / DAYS_PER_YEAR;
  let redrawn = 0;
  for (let i = 0; i < n; i++) {
    const atMark = notional[i] as number;
    const q = (atMark / mark) * (i < longs ? 1 : -1);
    if (atMark >= cap) {
      throw new InputError(
        "notional.max",
        spec.notional.max,
        `gives a position beyond the table's last cap ${cap}`,
        "Lower notional.max or raise count.",
      );
    }
    const lev = truncatedLeverage(spec.leverage, tierFor(tiers, atMark).maxLeverage, rng);
    const maintenance = maintenanceMargin(tiers, atMark);
    let entry = mark;
    let margin = atMark / lev;
    for (let draw = 0; draw < MAX_ENTRY_DRAWS; draw++) {
      const e = mark * Math.exp(spec.entry.volatility * Math.sqrt(rng.next() * years) * normal.sample(rng));
      const m = (Math.abs(q) * e) / lev;
      if (tierFor(tiers, Math.abs(q) * e).maxLeverage >= lev && m + q * (mark - e) > maintenance) {
        entry = e;
        margin = m;
        break;
      }
      redrawn++;
    }
    size[i] = q;
    entryPrice[i] = entry;
    markPrice[i] = mark;
    isolatedMargin[i] = margin;
    notional[i] = Math.abs(q) * entry;
    leverage[i] = lev;
  }
  liquidationPriceBatch(population, flat, population.liquidationPrice);
  return { population, scale: { long: kLong, short: kShort }, entriesRedrawn: redrawn };
}

function createPopulation(n: number, tiers: TierTable): PerpPopulation {
  return {
    length: n,
    size: new Float64Array(n),
    entryPrice: new Float64Array(n),
    markPrice: new Float64Array(n),
    isolatedMargin: new Float64Array(n),
    notional: new Float64Array(n),
    leverage: new Float64Array(n),
    liquidationPrice: new Float64Array(n),
    tiers,
  };
}

/**
 * The documents of a file: a JSON array of account documents, one document, or NDJSON (one
 * document per line).
 */
export function parseDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    return trimmed
      .split("\n")
      .map((line, i) => [line.trim(), i] as const)
      .filter(([line]) => line !== "")
      .map(([line, i]) => {
        try {
          return JSON.parse(line) as unknown;
        } catch (e) {
          throw new InputError(
            `line ${i + 1}`,
            line,
            `is not valid JSON (${(e as Error).message})`,
            "Pass a JSON array of account documents, or one document per line (NDJSON).",
          );
        }
      });
  }
  return Array.isArray(whole) ? whole : [whole];
}

/**
 * Reads account documents (a JSON array or NDJSON, shapes of `schemas/account.schema.json`) into a
 * {@link PerpPopulation}: every isolated position of every document, on one linear symbol of one
 * venue with one tier table. Leverage is the document's `leverage` or else notional/margin;
 * liquidation prices by {@link liquidationPriceBatch}. Cross-margin documents are refused (not
 * supported yet), as are mixed symbols, venues or tier tables, naming the field.
 */
export function loadPopulation(text: string): PerpPopulation {
  const positions: Position[] = [];
  let first: { venue: string; symbol: string; tiers: string; at: string } | undefined;
  parseDocuments(text).forEach((raw, d) => {
    const at = `accounts[${d}]`;
    const { venue, account, symbols } = withField(at, () => resolveAccountDocument(raw));
    if (account.marginMode !== "isolated") {
      throw new InputError(
        `${at}.marginMode`,
        account.marginMode,
        "is not supported yet by the venue population (isolated positions only)",
        'Give isolated accounts ("marginMode": "isolated").',
      );
    }
    account.positions.forEach((p, j) => {
      const key = {
        venue: venue.id,
        symbol: p.instrument.symbol,
        tiers: JSON.stringify(p.tiers),
        at: `${at}.positions[${j}]`,
      };
      first ??= key;
      if (p.instrument.kind !== "linear") {
        throw new InputError(
          `${key.at}.symbol`,
          symbols[j],
          "is not a linear contract",
          "The population holds linear (quote-margined) positions.",
        );
      }
      if (key.venue !== first.venue || key.symbol !== first.symbol || key.tiers !== first.tiers) {
        throw new InputError(
          `${key.at}.symbol`,
          `${key.venue} ${symbols[j]}`,
          `differs from ${first.at} (${first.venue} ${first.symbol}, or its tier table)`,
          "Put one venue, symbol and tier table in a population file.",
        );
      }
      positions.push(p);
    });
  });
  if (positions.length === 0) {
    throw new InputError("accounts", 0, "hold no position", "Give at least one isolated position.");
  }
  const tiers = (positions[0] as Position).tiers;
  const population = createPopulation(positions.length, tiers);
  positions.forEach((p, i) => {
    const q = p.size * p.instrument.contractSize;
    const margin = (p.isolatedMargin ?? 0) + p.accruedFunding;
    population.size[i] = q;
    population.entryPrice[i] = p.entryPrice;
    population.markPrice[i] = p.markPrice;
    population.isolatedMargin[i] = margin;
    population.notional[i] = Math.abs(q) * p.entryPrice;
    population.leverage[i] = p.leverage ?? (Math.abs(q) * p.entryPrice) / margin;
  });
  liquidationPriceBatch(population, flattenTiers(tiers), population.liquidationPrice);
  return population;
}

/**
 * Books of lending accounts for the lending engine (src/sim/venue/lending-engine.ts), as the
 * {@link FloatBook} columns of the Aave rulebook's float view: drawn from a stated spec, or built from
 * exact Aave account documents (`createFloatBook`). Distributions and their sources:
 * docs/assumptions.md, "Lending engine".
 */
import { InputError } from "../../errors.js";
import { normalSampler, type Xoshiro128 } from "../../math/random.js";
import type { FloatBook } from "../../venues/aave-v3/float-view.js";
import type { Market } from "../../venues/aave-v3/types.js";
import type { LendingAssetParams } from "./lending-engine.js";
import { truncatedParetoQuantile } from "./population.js";

/** One asset of a drawn book: its start price, LT, and its share of the collateral or debt mix. */
export interface LendingMixEntry {
  /** Index of the asset in the market's `assets`. */
  readonly asset: number;
  /** Relative weight of accounts whose first collateral (or debt) is this asset. */
  readonly weight: number;
}

/** What a drawn book looks like. */
export interface LendingPopulationSpec {
  readonly count: number;
  /** Σ debt at the start prices, USD: the drawn sizes are scaled to it. */
  readonly totalDebtUsd: number;
  /** Debt size of an account before scaling: truncated Pareto on [min, max] USD with this tail index. */
  readonly size: { readonly tailIndex: number; readonly minUsd: number; readonly maxUsd: number };
  /** Health factor `HF = min + exp(ln(median − min) + σ·Z)` (a lognormal above `min`). */
  readonly healthFactor: { readonly min: number; readonly median: number; readonly sigma: number };
  /** First collateral by weight; with probability `secondCollateralShare` a second, different one by weight. */
  readonly collateral: readonly LendingMixEntry[];
  readonly secondCollateralShare: number;
  /** Debt assets by weight (one per account). */
  readonly debt: readonly LendingMixEntry[];
  /** Liquidation threshold per asset (a fraction; the collateral entries carry it). */
  readonly liquidationThreshold: readonly number[];
  /** Start price per asset, USD. */
  readonly price: readonly number[];
}

/**
 * Draws a book: account i has debt `D_i` (truncated Pareto, {@link truncatedParetoQuantile}, then all
 * scaled so `Σ D_i = totalDebtUsd`) in one debt asset drawn by weight; a first collateral drawn by
 * weight and, with probability `secondCollateralShare`, a second different one holding a share
 * `s ~ U(0, ½)` of the collateral value; a health factor `h_i` from the shifted lognormal; the
 * collateral value `V_i = h_i·D_i / Σ s_k·LT_k`, each amount `s_k·V_i / P_k`. So the account's
 * HF at the start prices is exactly `h_i`.
 */
export function drawLendingBook(spec: LendingPopulationSpec, rng: Xoshiro128): FloatBook {
  const n = checkSpec(spec);
  const z = normalSampler();
  const debtUsd = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = truncatedParetoQuantile(rng.next(), spec.size.tailIndex, spec.size.minUsd, spec.size.maxUsd);
    debtUsd[i] = x;
    sum += x;
  }
  const k = spec.totalDebtUsd / sum;
  const second = new Uint8Array(n);
  let nColl = 0;
  for (let i = 0; i < n; i++) {
    second[i] = spec.collateral.length > 1 && rng.next() < spec.secondCollateralShare ? 1 : 0;
    nColl += 1 + (second[i] as number);
  }
  const book: FloatBook = {
    accounts: n,
    collStart: new Uint32Array(n + 1),
    collReserve: new Uint32Array(nColl),
    collAmount: new Float64Array(nColl),
    collLt: new Float64Array(nColl),
    debtStart: new Uint32Array(n + 1),
    debtReserve: new Uint32Array(n),
    debtAmount: new Float64Array(n),
  };
  const { min, median, sigma } = spec.healthFactor;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = (debtUsd[i] as number) * k;
    const h = min + (median - min) * Math.exp(sigma * z.sample(rng));
    const debtAsset = pick(spec.debt, rng.next(), -1);
    book.debtStart[i] = i;
    book.debtReserve[i] = debtAsset;
    book.debtAmount[i] = d / (spec.price[debtAsset] as number);
    const first = pick(spec.collateral, rng.next(), -1);
    const other = second[i] === 1 ? pick(spec.collateral, rng.next(), first) : -1;
    const s = other < 0 ? 0 : 0.5 * rng.next();
    const lt = (a: number) => spec.liquidationThreshold[a] as number;
    const value = (h * d) / ((1 - s) * lt(first) + (other < 0 ? 0 : s * lt(other)));
    book.collStart[i] = c;
    for (const [a, share] of other < 0
      ? [[first, 1]]
      : [
          [first, 1 - s],
          [other, s],
        ]) {
      book.collReserve[c] = a as number;
      book.collAmount[c] = ((share as number) * value) / (spec.price[a as number] as number);
      book.collLt[c] = lt(a as number);
      c++;
    }
  }
  book.collStart[n] = c;
  book.debtStart[n] = n;
  return book;
}

/** The entry chosen by `u` among `mix` in proportion to weight, skipping asset `except`. */
function pick(mix: readonly LendingMixEntry[], u: number, except: number): number {
  let total = 0;
  for (const m of mix) if (m.asset !== except) total += m.weight;
  let x = u * total;
  let last = -1;
  for (const m of mix) {
    if (m.asset === except) continue;
    last = m.asset;
    x -= m.weight;
    if (x < 0) return m.asset;
  }
  return last;
}

function checkSpec(spec: LendingPopulationSpec): number {
  const bad = (field: string, value: unknown, problem: string, fix: string): never => {
    throw new InputError(`population.${field}`, value, problem, fix);
  };
  if (!(Number.isInteger(spec.count) && spec.count >= 1))
    bad("count", spec.count, "must be a whole number ≥ 1", "e.g. 5000.");
  if (!(spec.totalDebtUsd > 0)) bad("totalDebtUsd", spec.totalDebtUsd, "must be > 0", "Pass Σ debt in USD.");
  const { tailIndex, minUsd, maxUsd } = spec.size;
  if (!(tailIndex > 0)) bad("size.tailIndex", tailIndex, "must be > 0", "e.g. 1.2.");
  if (!(minUsd > 0 && maxUsd > minUsd))
    bad("size.maxUsd", maxUsd, "must exceed size.minUsd > 0", "e.g. 1,000 to 5e7.");
  const h = spec.healthFactor;
  if (!(h.min >= 1 && h.median > h.min))
    bad("healthFactor.median", h.median, "must exceed healthFactor.min ≥ 1", "e.g. min 1.03, median 1.6.");
  if (!(h.sigma >= 0)) bad("healthFactor.sigma", h.sigma, "must be ≥ 0", "e.g. 0.8.");
  if (!(spec.secondCollateralShare >= 0 && spec.secondCollateralShare <= 1))
    bad("secondCollateralShare", spec.secondCollateralShare, "must be in [0, 1]", "e.g. 0.3.");
  const assets = spec.price.length;
  for (const [name, mix] of [
    ["collateral", spec.collateral],
    ["debt", spec.debt],
  ] as const) {
    if (mix.length === 0) bad(name, mix, "is empty", "List at least one asset with a weight.");
    mix.forEach((m, j) => {
      if (!(Number.isInteger(m.asset) && m.asset >= 0 && m.asset < assets))
        bad(`${name}[${j}].asset`, m.asset, `must name one of the ${assets} assets`, "Use an asset's index.");
      if (!(m.weight > 0)) bad(`${name}[${j}].weight`, m.weight, "must be > 0", "e.g. 0.5.");
    });
  }
  spec.price.forEach((p, a) => {
    if (!(p > 0)) bad(`price[${a}]`, p, "must be > 0", "Pass the start price in USD.");
  });
  for (const { asset: a } of spec.collateral) {
    const lt = spec.liquidationThreshold[a];
    if (!(lt !== undefined && lt > 0 && lt < 1))
      bad(`liquidationThreshold[${a}]`, lt, "must be in (0, 1)", "e.g. 0.83.");
  }
  return spec.count;
}

/**
 * The engine's assets of an Aave market, in reserve order: bonus `(LB_bps − 10,000)/10,000`, fee share
 * `liquidationProtocolFeeBps/10,000` (no impact: add it per asset).
 */
export function lendingAssetsOf(market: Market): LendingAssetParams[] {
  return market.reserves.map((r) => ({
    symbol: r.symbol,
    liquidationBonus: (r.liquidationBonusBps - 10_000) / 10_000,
    protocolFeeShare: r.liquidationProtocolFeeBps / 10_000,
  }));
}

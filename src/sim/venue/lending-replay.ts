/**
 * Per-asset market and oracle paths for the lending engine, and a replay of the engine over them.
 * Market paths follow one driver (e.g. the bundled BTCUSDT 1-minute closes of 2025-10-10) with a
 * per-asset elasticity; each asset's oracle is one of the oracle models of this folder (a fresh
 * oracle, or a Chainlink-style push feed: oracle-push.ts). Assumptions: docs/assumptions.md,
 * "Lending engine".
 */
import { InputError } from "../../errors.js";
import { checkPathLengths } from "../../validate.js";
import type { LendingEngine, LendingStepRecord, LendingTotals } from "./lending-engine.js";
import { type PushOracleSpec, pushOraclePath } from "./oracle-push.js";

/**
 * How an asset's market price follows the driver X: `P_t = price·(X_t / X_0)^β·D_t`, where a thin
 * asset's own crash `D_t = (1 − depth)^min(1, max(0, t − from)/steps)` falls log-linearly by `depth`
 * over `steps` from step `from` and stays there (1 without a crash).
 */
export interface AssetPathSpec {
  /** Start price, USD. */
  readonly price: number;
  /** Elasticity β to the driver (1: moves with it, 0: constant, e.g. a stablecoin). */
  readonly beta: number;
  /** The asset's own crash on top of the driver's moves; absent: none. */
  readonly crash?: { readonly fromStep: number; readonly steps: number; readonly depth: number };
}

/** The oracle an asset is read through: the market price itself, or a push feed over it. */
export type LendingOracleSpec = { readonly kind: "fresh" } | ({ readonly kind: "push" } & PushOracleSpec);

/** The market path of each asset on `driver` ({@link AssetPathSpec}). */
export function assetPaths(driver: Float64Array, specs: readonly AssetPathSpec[]): Float64Array[] {
  const x0 = driver[0] as number;
  if (!(x0 > 0))
    throw new InputError("driver[0]", x0, "must be a positive price", "Start the path at a price.");
  return specs.map((s, a) => {
    if (!(s.price > 0))
      throw new InputError(`assets[${a}].price`, s.price, "must be > 0", "Pass a USD price.");
    const c = s.crash;
    if (c !== undefined && !(c.depth > 0 && c.depth < 1 && c.steps >= 1 && c.fromStep >= 0))
      throw new InputError(
        `assets[${a}].crash`,
        c,
        "needs depth in (0, 1), steps ≥ 1, fromStep ≥ 0",
        "e.g. { fromStep: 549, steps: 10, depth: 0.6 }.",
      );
    const out = new Float64Array(driver.length);
    for (let t = 0; t < driver.length; t++) {
      const dip = c === undefined ? 1 : (1 - c.depth) ** Math.min(1, Math.max(0, t - c.fromStep) / c.steps);
      out[t] = s.price * ((driver[t] as number) / x0) ** s.beta * dip;
    }
    return out;
  });
}

/** The oracle path of each asset over its market path (push feeds by {@link pushOraclePath}). */
export function oraclePaths(
  market: readonly Float64Array[],
  stepSeconds: number,
  oracles: readonly LendingOracleSpec[],
): Float64Array[] {
  return market.map((m, a) => {
    const o = oracles[a];
    if (o === undefined || o.kind === "fresh") return m;
    const out = new Float64Array(m.length);
    pushOraclePath(m, stepSeconds, o, out);
    return out;
  });
}

/**
 * Steps `engine` at point `t` of the per-asset paths (`market[a][t]`, `oracle[a][t]`), gathered into
 * the scratch arrays `o` and `m` (one entry per asset). Returns the engine's step record.
 */
export function stepAt(
  engine: LendingEngine,
  market: readonly Float64Array[],
  oracle: readonly Float64Array[],
  t: number,
  o: Float64Array,
  m: Float64Array,
): LendingStepRecord {
  for (let a = 0; a < o.length; a++) {
    o[a] = (oracle[a] as Float64Array)[t] as number;
    m[a] = (market[a] as Float64Array)[t] as number;
  }
  return engine.step(o, m);
}

/** A replay's per-step series and totals. */
export interface LendingReplay {
  readonly steps: number;
  /** Per step: debt repaid, bonus, deficit (USD at the oracle), calls. */
  readonly repaidUsd: Float64Array;
  readonly bonusUsd: Float64Array;
  readonly deficitUsd: Float64Array;
  readonly calls: Float64Array;
  readonly totals: LendingTotals;
  /** Debt repaid (USD at the oracle) by the collateral asset of the calls, per asset. */
  readonly repaidUsdByCollateral: number[];
  /** Deficit written off per account (USD at the oracle). */
  readonly deficitUsdByAccount: Float64Array;
  /** Bad debt left on the book at the last market prices, not written off (USD). */
  readonly underwaterUsd: number;
  /** Largest relative imbalance of the ledger (0 up to rounding). */
  readonly ledgerImbalance: number;
}

/**
 * Resets `engine` and steps it over the paths (`market[a][t]`, `oracle[a][t]`, one path per asset, all
 * of one length), collecting the per-step series and the totals.
 */
export function replayLending(
  engine: LendingEngine,
  market: readonly Float64Array[],
  oracle: readonly Float64Array[],
): LendingReplay {
  const n = engine.assets.length;
  if (market.length !== n || oracle.length !== n)
    throw new InputError(
      "paths",
      market.length,
      `must give one market and one oracle path per asset (${n})`,
      "Pass a path per asset.",
    );
  const steps = (market[0] as Float64Array).length;
  for (let a = 0; a < n; a++)
    checkPathLengths(steps, { [`market[${a}]`]: market[a], [`oracle[${a}]`]: oracle[a] });
  engine.reset();
  const o = new Float64Array(n);
  const m = new Float64Array(n);
  const series = {
    repaidUsd: new Float64Array(steps),
    bonusUsd: new Float64Array(steps),
    deficitUsd: new Float64Array(steps),
    calls: new Float64Array(steps),
  };
  for (let t = 0; t < steps; t++) {
    const r = stepAt(engine, market, oracle, t, o, m);
    series.repaidUsd[t] = r.repaidUsd;
    series.bonusUsd[t] = r.bonusUsd;
    series.deficitUsd[t] = r.deficitUsd;
    series.calls[t] = r.calls;
  }
  return {
    steps,
    ...series,
    totals: { ...engine.totals },
    deficitUsdByAccount: Float64Array.from(engine.deficitUsdByAccount),
    repaidUsdByCollateral: Array.from(engine.repaidUsdByCollateral),
    underwaterUsd: engine.underwaterUsd(engine.marketPrice),
    ledgerImbalance: engine.ledger.imbalance(),
  };
}

/**
 * A capped oracle: Aave's CAPO ratio adapter (bgd-labs/aave-capo, `PriceCapAdapterBase.sol`). A
 * correlated asset (an LST such as wstETH, a yield-bearing stable such as sUSDe) is priced as
 * `base price × min(ratio, maxRatio(t))`, the ratio read from the asset's own contract and the cap
 * growing linearly from a snapshot:
 *
 * `maxRatio(t) = snapshotRatio + snapshotRatio·maxYearlyRatioGrowthPercent/10⁴/SECONDS_PER_YEAR·(t − snapshotTimestamp)`,
 *
 * `SECONDS_PER_YEAR = 365 days` (the contract keeps the per-second growth scaled by 10⁶ and rounds
 * down; in float64 the difference is below 10⁻¹² of the ratio). A base price or ratio ≤ 0 prices at
 * 0 (`latestAnswer`). The cap only bounds the ratio from above: a ratio below a stale snapshot's cap
 * passes, and a snapshot whose timestamp runs ahead of its ratio caps the price below the market
 * (Aave, 2026-03-10: wstETH priced about 2.85 % low).
 */
import { checkPathLengths, type NumberFieldRow, readNumberFields, readStepSeconds } from "../../validate.js";

/** The contract's year, seconds (`365 days`). */
const SECONDS_PER_YEAR = 365 * 86_400;

/** The cap parameters of a CAPO adapter. */
export interface CapoSpec {
  /** The ratio at the snapshot (asset per base, e.g. 1.1572 stETH per wstETH). */
  readonly snapshotRatio: number;
  /** The snapshot's time relative to the path's step 0, seconds (usually ≤ 0). */
  readonly snapshotSeconds: number;
  /** Maximum yearly growth of the ratio, a fraction (0.0968 = `maxYearlyRatioGrowthPercent` 9_68). */
  readonly maxYearlyGrowth: number;
}

/** The bounds of a {@link CapoSpec}'s fields, in the order they are checked. */
const CAPO_FIELDS: readonly NumberFieldRow<keyof CapoSpec>[] = [
  {
    field: "snapshotRatio",
    min: 0,
    exclusiveMin: true,
    fix: "Pass the ratio at the snapshot, e.g. 1.1572 (the contract refuses 0).",
  },
  { field: "snapshotSeconds", fix: "Pass the snapshot time in seconds relative to the path's first step." },
  {
    field: "maxYearlyGrowth",
    min: 0,
    fix: "Pass the maximum yearly ratio growth as a fraction, e.g. 0.0968.",
  },
];

/**
 * The cap on the ratio at time `tSeconds` (same clock as `snapshotSeconds`):
 * `snapshotRatio·(1 + maxYearlyGrowth·(t − snapshot)/SECONDS_PER_YEAR)` (module comment).
 *
 * @example wstETH on Aave v3 Ethereum as deployed (scripts/DeployEthereum.s.sol): snapshot ratio
 * 1.157209899495068171, 9.68 % a year; 30 days later the cap is 1.157209899…·(1 + 0.0968·30/365)
 * = 1.1664169 (to 7 decimals; test/sim/venue/oracles.test.ts).
 */
export function capoMaxRatio(spec: CapoSpec, tSeconds: number): number {
  return (
    spec.snapshotRatio * (1 + (spec.maxYearlyGrowth * (tSeconds - spec.snapshotSeconds)) / SECONDS_PER_YEAR)
  );
}

/** What a capped-oracle path did. */
export interface CappedOracleRun {
  /** Steps at which the ratio was above the cap (the adapter's `isCapped()`). */
  readonly cappedSteps: number;
}

/**
 * CAPO prices along a path, written to `out` without allocating: at step i (time `i·step`)
 * `base_i × min(ratio_i, maxRatio(t_i))`, or 0 when the base price or the ratio is ≤ 0.
 *
 * @param basePrice the base asset's price in USD (ETH/USD for wstETH), per step
 * @param ratio the asset's own exchange ratio, per step or one value for the whole path
 */
export function cappedOraclePath(
  basePrice: Float64Array,
  ratio: Float64Array | number,
  stepSeconds: number,
  spec: CapoSpec,
  out: Float64Array,
): CappedOracleRun {
  const n = basePrice.length;
  checkPathLengths(n, { out, ratio: typeof ratio === "number" ? undefined : ratio });
  const step = readStepSeconds(stepSeconds);
  readNumberFields(spec, CAPO_FIELDS);
  let capped = 0;
  for (let i = 0; i < n; i++) {
    const base = basePrice[i] as number;
    const r = typeof ratio === "number" ? ratio : (ratio[i] as number);
    if (!(base > 0 && r > 0)) {
      out[i] = 0;
      continue;
    }
    const cap = capoMaxRatio(spec, i * step);
    if (r > cap) capped++;
    out[i] = base * Math.min(r, cap);
  }
  return { cappedSteps: capped };
}

/**
 * A delayed oracle: Maker's Oracle Security Module (makerdao/osm `src/osm.sol`). It holds the
 * current value `cur` (what `peek`/`read` return, the price the Vat's `spot` uses) and the next one
 * `nxt`; `poke()` is allowed once `now ≥ zzz + hop` (`hop` = one hour by default) and does
 * `cur = nxt; nxt = src.peek(); zzz = prev(now)` with `prev(ts) = ts − ts mod hop`. So the price in
 * force during an hour is the source's price read at the previous poke, at least one hour old.
 * The source is any path: the true price, or the output of a push oracle (the medianizer).
 */
import { InputError } from "../../errors.js";
import { checkPathLengths, type NumberFieldRow, readNumberFields, readStepSeconds } from "../../validate.js";

/** The parameters of an OSM and of the keeper that pokes it. */
export interface DelayedOracleSpec {
  /** `hop`, seconds; 3,600 by default (osm.sol `ONE_HOUR`). */
  readonly hopSeconds?: number;
  /** Seconds after a poke becomes allowed until a keeper pokes; 0 by default (always poked on time). */
  readonly pokeDelaySeconds?: number;
  /** The clock time of step 0, seconds (e.g. a Unix time), which sets where the hops fall; 0 by default. */
  readonly startSeconds?: number;
}

/** The bounds and defaults of a {@link DelayedOracleSpec}'s fields, in the order they are checked. */
const DELAYED_ORACLE_FIELDS: readonly NumberFieldRow<keyof DelayedOracleSpec>[] = [
  {
    field: "hopSeconds",
    absent: 3600,
    min: 0,
    exclusiveMin: true,
    fix: "Pass the OSM hop in seconds, e.g. 3600.",
  },
  { field: "pokeDelaySeconds", absent: 0, min: 0, fix: "Pass the keeper's delay in seconds (0 for none)." },
  { field: "startSeconds", absent: 0, fix: "Pass the clock time of the first step in seconds." },
];

/** What a delayed-oracle path did. */
export interface DelayedOracleRun {
  readonly pokes: number;
}

/**
 * The OSM's `cur` along a source path, written to `out` without allocating: the OSM is deployed at
 * step 0 (`cur = nxt = src₀`, `zzz = prev(start)`), and a keeper pokes at the first step at or
 * after `zzz + hop + pokeDelay`; a poke at a step happens before that step's reading.
 *
 * @example osm.t.sol `testNextValueChangedAfterOneHour`: source 1, then 2, then 3, one poke an hour
 * → reads 1 (next 2), then 2 (next 3), then 3. On a path of half-hour steps 1, 2, 2, 3, 3, 3, 3 the
 * reads are 1, 1, 1, 1, 2, 2, 3.
 */
export function delayedOraclePath(
  source: Float64Array,
  stepSeconds: number,
  spec: DelayedOracleSpec,
  out: Float64Array,
): DelayedOracleRun {
  const n = source.length;
  checkPathLengths(n, { out });
  const step = readStepSeconds(stepSeconds);
  const {
    hopSeconds: hop,
    pokeDelaySeconds: delay,
    startSeconds: start,
  } = readNumberFields(spec, DELAYED_ORACLE_FIELDS);
  if (n === 0) return { pokes: 0 };
  if (Number.isNaN(source[0] as number)) {
    throw new InputError("source[0]", source[0], "has no value", "Start the source path with a price.");
  }
  const prev = (ts: number) => ts - (((ts % hop) + hop) % hop);
  let cur = source[0] as number;
  let nxt = cur;
  let zzz = prev(start);
  let pokes = 0;
  for (let i = 0; i < n; i++) {
    const now = start + i * step;
    if (i > 0 && now >= zzz + hop + delay) {
      cur = nxt;
      nxt = source[i] as number;
      zzz = prev(now);
      pokes++;
    }
    out[i] = cur;
  }
  return { pokes };
}

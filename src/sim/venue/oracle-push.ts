/**
 * A push oracle with a deviation threshold and a heartbeat (Chainlink Data Feeds, "Check the
 * timestamp of the latest answer", https://docs.chain.link/data-feeds: the aggregator writes a new
 * answer when the off-chain value deviates from the last one by the deviation threshold or when the
 * heartbeat has elapsed since the last update; "when the node detects that the heartbeat is reached,
 * it initiates the latest round … there may be a slight delay for the latest round to get onchain",
 * smartcontractkit/documentation PR 2095). API3's dAPIs use the same rule and give a worked example
 * (https://docs.api3.org/reference/dapis/understand/deviations.html: 23.01 with a 1 % threshold and a
 * 24-hour heartbeat; a move to 23.02 waits for the heartbeat). Example parameters: ETH/USD on
 * Ethereum, 0.5 % and 3,600 s as quoted in audits (wise-foundation/lending-audit issue 172); a feed's
 * own values are on its page at data.chain.link.
 */
import { InputError } from "../../errors.js";
import { checkPathLengths, type NumberFieldRow, readNumberFields, readStepSeconds } from "../../validate.js";

/** The trigger parameters of a push feed. */
export interface PushOracleSpec {
  /** Deviation threshold, a fraction (0.005 = 0.5 %). */
  readonly deviation: number;
  /** Heartbeat, seconds. */
  readonly heartbeatSeconds: number;
  /** Seconds from a round's trigger until its answer is on chain; 0 by default. */
  readonly latencySeconds?: number;
}

/** The bounds of a {@link PushOracleSpec}'s fields, in the order they are checked. */
const PUSH_ORACLE_FIELDS: readonly NumberFieldRow<keyof PushOracleSpec>[] = [
  {
    field: "deviation",
    min: 0,
    exclusiveMin: true,
    fix: "Pass the deviation threshold as a fraction, e.g. 0.005 for 0.5 %.",
  },
  { field: "heartbeatSeconds", min: 0, exclusiveMin: true, fix: "Pass the heartbeat in seconds, e.g. 3600." },
  { field: "latencySeconds", absent: 0, min: 0, fix: "Pass the update latency in seconds (0 for none)." },
];

/** What a push-oracle path did. */
export interface PushOracleRun {
  /** Rounds triggered (not counting the answer the path starts with). */
  readonly updates: number;
  /** Of them, rounds triggered by the heartbeat rather than the deviation. */
  readonly heartbeatUpdates: number;
  /** The largest age of the price seen, seconds: now minus the time the shown price was observed. */
  readonly maxStalenessSeconds: number;
}

/**
 * The price a venue reading a push feed sees along a true price path, written to `out` without
 * allocating. The feed starts with the answer `p₀`, observed at step 0. At each later step i
 * (time `t = i·step`) the network compares the true price with the last reported answer `r` and
 * triggers a round when `|p_i − r|/r ≥ deviation` or `t − t_last ≥ heartbeat`; the round's answer
 * is `p_i`, on chain `ceil(latency/step)` steps later (answers land in the order triggered). Until
 * the first round lands the venue sees `p₀`.
 *
 * With zero latency every step's seen price is within the threshold of the true price (or equal to
 * it), and the seen price is never older than the heartbeat plus the latency (rounded up to steps).
 *
 * @example deviation 1 %, heartbeat 300 s, steps of 60 s, latency 0: true 100, 100.5, 101.2, 101,
 * 101, 101, 101, 101 → seen 100, 100, 101.2 (deviation 1.2 % at 120 s), 101.2 ×4, 101 (heartbeat at
 * 420 s = 120 + 300).
 */
export function pushOraclePath(
  truePrice: Float64Array,
  stepSeconds: number,
  spec: PushOracleSpec,
  out: Float64Array,
): PushOracleRun {
  const n = truePrice.length;
  checkPathLengths(n, { out });
  const step = readStepSeconds(stepSeconds);
  const {
    deviation,
    heartbeatSeconds: heartbeat,
    latencySeconds: latency,
  } = readNumberFields(spec, PUSH_ORACLE_FIELDS);
  if (n === 0) return { updates: 0, heartbeatUpdates: 0, maxStalenessSeconds: 0 };
  const first = truePrice[0] as number;
  if (!(first > 0)) {
    throw new InputError(
      "truePrice[0]",
      first,
      "must be a positive price",
      "Start the path at a positive price.",
    );
  }
  // Steps from a trigger to the answer on chain; 1e-9 absorbs round-off in latency/step.
  const lag = Math.ceil(latency / step - 1e-9);
  // A heartbeat of h seconds is due once (i − last)·step ≥ h, compared in steps.
  const heartbeatSteps = heartbeat / step - 1e-9;
  let reported = first;
  let lastStep = 0;
  let updates = 0;
  let heartbeatUpdates = 0;
  let maxGap = 0;
  out[0] = first;
  for (let i = 1; i < n; i++) {
    const p = truePrice[i] as number;
    const byDeviation = Math.abs(p - reported) >= deviation * reported;
    const byHeartbeat = i - lastStep >= heartbeatSteps;
    if (byDeviation || byHeartbeat) {
      reported = p;
      lastStep = i;
      updates++;
      if (!byDeviation) heartbeatUpdates++;
    }
    // Ages count only for the answers the path gets to show (reported before step n − lag).
    if (i < n - lag) maxGap = Math.max(maxGap, i - lastStep);
    out[i] = reported;
  }
  // The answer reported at step i is seen from step i + lag on.
  for (let j = n - 1; j >= lag && lag > 0; j--) out[j] = out[j - lag] as number;
  for (let j = 0; j < Math.min(lag, n); j++) out[j] = first;
  return { updates, heartbeatUpdates, maxStalenessSeconds: (lag >= n ? n - 1 : lag + maxGap) * step };
}

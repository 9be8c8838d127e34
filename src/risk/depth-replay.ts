/**
 * The 2025-10-10 depth calibration from the bundled files, ready for the venue simulator: the
 * measured depth scale resampled to a simulation's steps (a replay of the day), and the fitted
 * thinning/recovery model (depth-dynamics.ts) for simulated paths. docs/depth-calibration.md.
 */
import { InputError } from "../errors.js";
import { readBookDepthFile } from "../market/book-depth.js";
import { bundledPath } from "../market/bundled.js";
import { readCandleFile } from "../market/candles.js";
import { firstIndexAtOrAfter } from "../market/row-order.js";
import { readNumber } from "../validate.js";
import {
  type DepthDynamicsFit,
  fitDepthDynamics,
  type MinuteDepth,
  measuredDepthScale,
  minuteDepth,
} from "./depth-dynamics.js";
import { type DepthScaleResult, depthScaleSeries } from "./depth-scale.js";

const BOOK_DEPTH = "crashes/2025-10-10_binance-usdm_btcusdt_bookdepth.csv";
const KLINES = "crashes/2025-10-10_binance-usdm_btcusdt_1m.csv";
const MINUTE_MS = 60_000;
/** The window of the fit: 2025-10-10 12:00 → 24:00 UTC (the klines start at 12:00). */
const FIT_FROM_MS = Date.UTC(2025, 9, 10, 12);
const FIT_TO_MS = Date.UTC(2025, 9, 11);

/** The calibration of 2025-10-10: per-snapshot scale, minute series 12:00 → 24:00, and the fit. */
export interface CrashDayDepth {
  readonly depth: DepthScaleResult;
  readonly minutes: MinuteDepth;
  readonly fit: DepthDynamicsFit;
}

let cached: CrashDayDepth | undefined;

/**
 * The depth calibration of 2025-10-10 from the bundled BTCUSDT bookDepth file and 1-minute klines
 * (`depthScaleSeries` within ±1 %, `minuteDepth` and `fitDepthDynamics` over 12:00 → 24:00 UTC),
 * computed once per process (about a second) and then shared.
 */
export function crashDayDepth(): CrashDayDepth {
  if (cached === undefined) {
    const snapshots = readBookDepthFile(bundledPath(BOOK_DEPTH)).snapshots;
    const klines = readCandleFile(bundledPath(KLINES), { symbol: "BTCUSDT" }).series;
    const depth = depthScaleSeries(snapshots, klines);
    const minutes = minuteDepth(depth, klines, FIT_FROM_MS, FIT_TO_MS);
    cached = { depth, minutes, fit: fitDepthDynamics(minutes) };
  }
  return cached;
}

/**
 * The measured depth scale (`measuredDepthScale` of `minutes`) at the start of each of `steps`
 * steps of `stepMinutes` from `fromMs`: step s takes the minute that contains
 * `fromMs + s·stepMinutes` minutes; a step before the first minute takes the first value and one
 * after the last minute the last value (the series is held flat outside its window). For a replay
 * of 2025-10-10 on its own price path, e.g. `replayDepthScale(crashDayDepth().minutes, Date.UTC(2025, 9, 10, 20), 240)`.
 * `fromMs` outside the minutes' window is an {@link InputError}.
 */
export function replayDepthScale(
  minutes: MinuteDepth,
  fromMs: number,
  steps: number,
  stepMinutes = 1,
): Float64Array {
  readNumber(steps, "steps", { min: 0 });
  readNumber(stepMinutes, "stepMinutes", { min: 0, exclusiveMin: true });
  const n = minutes.time.length;
  const first = minutes.time[0] as number;
  const last = minutes.time[n - 1] as number;
  if (n === 0 || !(fromMs >= first && fromMs < last + MINUTE_MS))
    throw new InputError(
      "fromMs",
      Number.isFinite(fromMs) ? new Date(fromMs).toISOString() : fromMs,
      `is outside the measured window ${n === 0 ? "(empty)" : `${new Date(first).toISOString()} → ${new Date(last + MINUTE_MS).toISOString()}`}`,
      "Start the replay inside the window of the minute series.",
    );
  const measured = measuredDepthScale(minutes);
  const out = new Float64Array(steps);
  for (let s = 0; s < steps; s++) {
    const t = fromMs + s * stepMinutes * MINUTE_MS;
    const j = Math.min(n - 1, Math.max(0, firstIndexAtOrAfter(minutes.time, t + 1) - 1));
    out[s] = measured[j] as number;
  }
  return out;
}

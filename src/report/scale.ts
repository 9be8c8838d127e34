/**
 * Axes: a domain (value range) mapped onto a pixel range, with ticks and tick labels.
 *
 * Linear: p = r0 + (v − d0)/(d1 − d0) · (r1 − r0). Log: the same on log10 v. Time: linear on epoch
 * ms. Both maps are strictly monotone when d0 < d1 (increasing if r1 > r0, decreasing otherwise —
 * a y axis runs from bottom to top).
 */
import { InputError } from "../errors.js";
import { formatLinearTicks, formatNumber, logTickValues, niceTicks, tickStep, tickValues } from "./ticks.js";
import { timeTicks } from "./time-ticks.js";
import type { AxisScale } from "./types.js";

/** A resolved axis. */
export interface Axis {
  scale: AxisScale;
  /** [d0, d1] with d0 < d1. */
  domain: [number, number];
  /** Pixel positions of d0 and d1. */
  range: [number, number];
  ticks: number[];
  labels: string[];
  /** Value → pixel. */
  map: (value: number) => number;
}

/** What {@link buildAxis} needs. */
export interface AxisRequest {
  scale: AxisScale;
  /** Smallest and largest data value to show (finite; for "log", positive). */
  dataMin: number;
  dataMax: number;
  /** Overrides of the ends. */
  min?: number | undefined;
  max?: number | undefined;
  /** Extend a linear domain to nice tick multiples (default true; time axes are never extended). */
  nice?: boolean;
  /** Widen the data range by this fraction of its width on each side first (default 0; log axes in log10). */
  padFraction?: number;
  /** Field name for error messages, e.g. "y". */
  field: string;
}

/**
 * Resolves an axis over pixel range [r0, r1] with about `tickCount` ticks. A zero-width data range
 * (a constant series) is widened: ±max(|v|·5 %, 1) linear, ×/÷ 1.5 log, ±30 minutes time.
 */
export function buildAxis(request: AxisRequest, range: [number, number], tickCount: number): Axis {
  const { scale, field } = request;
  let d0 = request.min ?? request.dataMin;
  let d1 = request.max ?? request.dataMax;
  if (!(Number.isFinite(d0) && Number.isFinite(d1))) {
    throw new InputError(`${field}.min`, [d0, d1], "axis range is not finite", "Pass finite axis bounds.");
  }
  if (d1 < d0) {
    throw new InputError(
      `${field}.max`,
      d1,
      `must not be below the axis minimum ${d0}`,
      "Swap or fix min/max.",
    );
  }
  if (scale === "log" && !(d0 > 0)) {
    throw new InputError(
      `${field}.min`,
      d0,
      "a log axis needs positive values",
      'Use scale "linear" or drop values ≤ 0.',
    );
  }
  // A width below ~1e-12 of the magnitude cannot be drawn or labelled in float64: treat as constant.
  if (d1 - d0 <= Math.abs(d0) * 1e-12) {
    d1 = d0;
    if (scale === "log") [d0, d1] = [d0 / 1.5, d1 * 1.5];
    else if (scale === "time") [d0, d1] = [d0 - 1_800_000, d1 + 1_800_000];
    else {
      const pad = Math.max(Math.abs(d0) * 0.05, 1);
      [d0, d1] = [d0 - pad, d1 + pad];
    }
  }
  const pad = request.padFraction ?? 0;
  if (pad > 0) {
    if (scale === "log") {
      const f = (d1 / d0) ** pad;
      if (request.min === undefined) d0 /= f;
      if (request.max === undefined) d1 *= f;
    } else {
      const w = (d1 - d0) * pad;
      if (request.min === undefined) d0 -= w;
      if (request.max === undefined) d1 += w;
    }
  }
  let ticks: number[];
  let labels: string[];
  if (scale === "time") {
    const t = timeTicks(d0, d1, tickCount);
    ticks = t.ticks;
    labels = t.labels;
  } else if (scale === "log") {
    ticks = logTickValues(d0, d1, tickCount);
    labels = ticks.map(formatNumber);
  } else if (request.nice !== false && request.min === undefined && request.max === undefined) {
    const nice = niceTicks(d0, d1, tickCount);
    [d0, d1] = nice.domain;
    ticks = nice.ticks;
    labels = formatLinearTicks(ticks);
  } else {
    if (request.nice !== false && (request.min === undefined || request.max === undefined)) {
      // One end is fixed: round only the free end outward to a multiple of the step.
      const step = tickStep(d0, d1, tickCount);
      if (request.min === undefined) d0 = Math.floor(d0 / step) * step;
      else d1 = Math.ceil(d1 / step) * step;
    }
    ticks = tickValues(d0, d1, tickCount);
    labels = formatLinearTicks(ticks);
  }
  const [r0, r1] = range;
  const map =
    scale === "log"
      ? makeMap(Math.log10(d0), Math.log10(d1), r0, r1, Math.log10)
      : makeMap(d0, d1, r0, r1, (v) => v);
  return { scale, domain: [d0, d1], range, ticks, labels, map };
}

function makeMap(
  u0: number,
  u1: number,
  r0: number,
  r1: number,
  transform: (v: number) => number,
): (value: number) => number {
  const k = (r1 - r0) / (u1 - u0);
  return (value) => r0 + (transform(value) - u0) * k;
}

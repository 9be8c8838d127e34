/**
 * "Nice" axis ticks: values that are a power of ten times 1, 2 or 5.
 *
 * The step rule is d3-array's `tickIncrement` as documented at https://d3js.org/d3-array/ticks
 * (itself Heckbert's "Nice numbers for graph labels", Graphics Gems, 1990, with geometric-mean
 * thresholds): for a raw step s = (stop − start)/count with s = e·10^p, 1 ≤ e < 10, the step is
 * 10·10^p if e ≥ √50, 5·10^p if e ≥ √10, 2·10^p if e ≥ √2, else 1·10^p. Published examples:
 * ticks(1, 9, 5) = [2, 4, 6, 8]; ticks(1, 9, 20) = [1, 1.5, …, 9]; tickIncrement(1, 9, 20) = −2.
 *
 * A step below one is carried as its negative inverse (−2 means 0.5) so every tick is computed as
 * an integer divided by an integer — the double nearest the decimal value, which prints cleanly.
 */
import { InputError } from "../errors.js";

/** More ticks than any axis can show: a guard against degenerate (sub-precision) ranges. */
const MAX_TICKS = 10_000;
const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.SQRT2;

/**
 * The tick step for about `count` intervals over [start, stop] (start ≤ stop): a positive integer
 * step, or, when the step is below one, its negative inverse (d3-array `tickIncrement`).
 */
export function tickIncrement(start: number, stop: number, count: number): number {
  const raw = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return power >= 0 ? factor * 10 ** power : -(10 ** -power) / factor;
}

/** The tick step as a plain positive number (0.5 rather than −2). */
export function tickStep(start: number, stop: number, count: number): number {
  return stepSize(tickIncrement(start, stop, count));
}

/**
 * About `count + 1` nice values t with start ≤ t ≤ stop, ascending (d3-array `ticks` for
 * start ≤ stop). A zero-width interval gives `[start]`.
 */
export function tickValues(start: number, stop: number, count: number): number[] {
  if (!(Number.isFinite(start) && Number.isFinite(stop)) || stop < start || count <= 0) {
    throw new InputError(
      "ticks",
      [start, stop, count],
      "need finite start ≤ stop and count > 0",
      "Pass a valid range.",
    );
  }
  if (start === stop) return [start];
  const inc = tickIncrement(start, stop, count);
  const out: number[] = [];
  if (!Number.isFinite(inc) || inc === 0) return [start, stop];
  const i0 = inc > 0 ? Math.ceil(start / inc) : Math.ceil(start * -inc);
  const i1 = inc > 0 ? Math.floor(stop / inc) : Math.floor(stop * -inc);
  // Beyond double precision (a span below ~1e-15 of the magnitude) there are no distinct ticks.
  if (!(Number.isSafeInteger(i0) && Number.isSafeInteger(i1)) || i1 - i0 > MAX_TICKS) return [start, stop];
  for (let i = i0; i <= i1; i++) out.push(inc > 0 ? i * inc : i / -inc);
  // Underflow (start/step rounding to 0 for subnormal start) can put a tick just outside.
  return out.filter((t) => t >= start && t <= stop);
}

function stepSize(inc: number): number {
  return inc < 0 ? 1 / -inc : inc;
}

/** Nice ticks over a nice domain (see {@link niceTicks}). */
export interface NiceTicks {
  /** [lo, hi] ⊇ [start, stop], both multiples of `step`. */
  domain: [number, number];
  /** lo, lo + step, …, hi. */
  ticks: number[];
  step: number;
}

/**
 * Extends [start, stop] outward to multiples of its tick step (d3-scale `linear.nice`: repeat
 * floor/ceil to the step until the step stops changing, at most 10 times) and lists the ticks of
 * the last step used, so the first and last ticks sit on the axis ends. A zero-width interval is
 * returned as is with one tick.
 */
export function niceTicks(start: number, stop: number, count: number): NiceTicks {
  if (!(Number.isFinite(start) && Number.isFinite(stop)) || stop < start || count <= 0) {
    throw new InputError(
      "ticks",
      [start, stop, count],
      "need finite start ≤ stop and count > 0",
      "Pass a valid range.",
    );
  }
  let lo = start;
  let hi = stop;
  let inc = Number.NaN;
  for (let k = 0; k < 10 && hi > lo; k++) {
    const next = tickIncrement(lo, hi, count);
    if (next === inc || !Number.isFinite(next) || next === 0) break;
    // A domain straddling 0 with count 1 would keep doubling: keep the step already reached.
    if (!Number.isNaN(inc) && stepSize(next) > stepSize(inc)) break;
    inc = next;
    if (inc > 0) {
      lo = Math.floor(lo / inc) * inc;
      hi = Math.ceil(hi / inc) * inc;
    } else {
      lo = Math.floor(lo * -inc) / -inc;
      hi = Math.ceil(hi * -inc) / -inc;
    }
    // Subnormal ends can underflow to 0 in the division: step once more outward.
    if (lo > start) lo -= stepSize(inc);
    if (hi < stop) hi += stepSize(inc);
  }
  if (Number.isNaN(inc)) return { domain: [lo, hi], ticks: [lo], step: 0 };
  // The loop stopped on a stable step, or on the last step applied: lo and hi are multiples of it.
  const ticks: number[] = [];
  const i0 = inc > 0 ? Math.round(lo / inc) : Math.round(lo * -inc);
  const i1 = inc > 0 ? Math.round(hi / inc) : Math.round(hi * -inc);
  if (!(Number.isSafeInteger(i0) && Number.isSafeInteger(i1)) || i1 - i0 > MAX_TICKS) {
    return { domain: [lo, hi], ticks: [lo, hi], step: hi - lo };
  }
  for (let i = i0; i <= i1; i++) ticks.push(inc > 0 ? i * inc : i / -inc);
  return { domain: [lo, hi], ticks, step: stepSize(inc) };
}

/**
 * Ticks for a log axis over [min, max] (0 < min ≤ max): the powers of ten inside it; when fewer
 * than three fit, also 2·10^k and 5·10^k; when still fewer than two, the linear nice ticks.
 */
export function logTickValues(min: number, max: number, count: number): number[] {
  if (!(min > 0) || !(max >= min)) {
    throw new InputError("ticks", [min, max], "a log axis needs 0 < min ≤ max", "Use positive values.");
  }
  const k0 = Math.floor(Math.log10(min));
  const k1 = Math.ceil(Math.log10(max));
  const pick = (mantissas: readonly number[]): number[] => {
    const out: number[] = [];
    for (let k = k0; k <= k1; k++) {
      for (const m of mantissas) {
        const v = k >= 0 ? m * 10 ** k : m / 10 ** -k;
        if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) out.push(v);
      }
    }
    return out;
  };
  const decades = pick([1]);
  if (decades.length >= 3) {
    if (decades.length <= count + 1) return decades;
    const every = Math.ceil(decades.length / (count + 1));
    return decades.filter((v) => Math.round(Math.log10(v)) % every === 0);
  }
  const fine = pick([1, 2, 5]);
  return fine.length >= 2 ? fine : tickValues(min, max, count);
}

const SUFFIXES = ["", "k", "M", "B", "T"] as const;

/**
 * Labels for ascending linear ticks with a common step: fixed decimals matching the step
 * (step 0.05 → two decimals); magnitudes of a million and more use k/M/B/T suffixes
 * (2 500 000 → "2.5M"). Steps below 1e-15 or above 1e20 fall back to exponent notation.
 */
export function formatLinearTicks(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? Math.abs((ticks[1] ?? 0) - (ticks[0] ?? 0)) : Math.abs(ticks[0] ?? 0) || 1;
  let maxAbs = 0;
  for (const t of ticks) maxAbs = Math.max(maxAbs, Math.abs(t));
  if (step < 1e-15 || maxAbs >= 1e20) return ticks.map((t) => formatNumber(t));
  const group = maxAbs >= 1e6 ? Math.min(SUFFIXES.length - 1, Math.floor(Math.log10(maxAbs) / 3)) : 0;
  const scale = 1000 ** group;
  const decimals = Math.max(0, -Math.floor(Math.log10(step / scale) + 1e-9));
  const suffix = SUFFIXES[group] ?? "";
  return ticks.map((t) => {
    const text = (t / scale).toFixed(Math.min(decimals, 20));
    return `${/^-0(\.0*)?$/.test(text) ? text.slice(1) : text}${t === 0 ? "" : suffix}`;
  });
}

/**
 * One number as a short label: up to 6 significant digits, k/M/B/T suffix from a million up,
 * exponent notation below 1e-4 (e.g. 0.00002 → "2e-5").
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 1e6 && abs < 1e15) {
    const group = Math.min(SUFFIXES.length - 1, Math.floor(Math.log10(abs) / 3));
    return `${Number((value / 1000 ** group).toPrecision(6))}${SUFFIXES[group] ?? ""}`;
  }
  if (abs < 1e-4 || abs >= 1e15) return Number(value.toPrecision(6)).toExponential().replace("e+", "e");
  return String(Number(value.toPrecision(6)));
}

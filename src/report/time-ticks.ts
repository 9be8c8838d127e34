/**
 * Calendar ticks for a time axis (values are Unix epoch milliseconds, labels in UTC).
 *
 * The interval is the smallest of a fixed ladder — 1/2/5/10/15/30 seconds and minutes,
 * 1/2/3/6/12 hours, 1/2 days, 1/2 weeks (Mondays), 1/2/3/6 months, 1/2/5/10… years — giving at
 * most `count` intervals over the span; ticks are the interval's calendar boundaries (minute,
 * hour and day boundaries counted from the epoch, weeks from Monday 1970-01-05, months and years
 * from January). This is the scheme of d3-scale's `scaleUtc().ticks` (https://d3js.org/d3-scale/time),
 * written from its description. Spans under `count` seconds fall back to nice millisecond steps.
 */
import { tickValues } from "./ticks.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday after the epoch. */
const MONDAY_OFFSET = 4 * DAY;

/** The calendar unit of a tick interval (it decides the label format). */
export type TimeUnit = "millisecond" | "second" | "minute" | "hour" | "day" | "week" | "month" | "year";

interface Interval {
  unit: TimeUnit;
  /** Number of units per tick. */
  every: number;
  /** Approximate length in ms (used only to choose the interval). */
  approxMs: number;
}

const LADDER: readonly Interval[] = [
  ...[1, 2, 5, 10, 15, 30].map((every) => ({ unit: "second" as const, every, approxMs: every * SECOND })),
  ...[1, 2, 5, 10, 15, 30].map((every) => ({ unit: "minute" as const, every, approxMs: every * MINUTE })),
  ...[1, 2, 3, 6, 12].map((every) => ({ unit: "hour" as const, every, approxMs: every * HOUR })),
  ...[1, 2].map((every) => ({ unit: "day" as const, every, approxMs: every * DAY })),
  ...[1, 2].map((every) => ({ unit: "week" as const, every, approxMs: every * WEEK })),
  ...[1, 2, 3, 6].map((every) => ({ unit: "month" as const, every, approxMs: every * 30.436875 * DAY })),
];

/** Ticks of a time axis with their labels and the unit chosen. */
export interface TimeTicks {
  /** Tick positions, epoch ms, ascending, all within [startMs, stopMs]. */
  ticks: number[];
  /** UTC labels, one per tick. */
  labels: string[];
  unit: TimeUnit;
  /** Units per tick (e.g. 6 with unit "hour"). */
  every: number;
}

/**
 * Calendar ticks inside [startMs, stopMs] (UTC), about `count` of them at most.
 * Labels: years "2024"; months "2024-03"; days and weeks "2024-03-05"; hours and minutes
 * "03-05 14:00"; seconds "14:00:05"; milliseconds "14:00:05.250".
 */
export function timeTicks(startMs: number, stopMs: number, count: number): TimeTicks {
  const span = stopMs - startMs;
  const interval = chooseInterval(span, count);
  let ticks: number[];
  if (interval.unit === "millisecond") {
    ticks = span > 0 ? tickValues(startMs, stopMs, count) : [startMs];
  } else if (interval.unit === "month" || interval.unit === "year") {
    ticks = calendarTicks(startMs, stopMs, interval);
  } else {
    const length = unitMs(interval.unit) * interval.every;
    const offset = interval.unit === "week" ? MONDAY_OFFSET : 0;
    ticks = [];
    for (let t = Math.ceil((startMs - offset) / length) * length + offset; t <= stopMs; t += length)
      ticks.push(t);
  }
  return {
    ticks,
    labels: ticks.map((t) => formatUtc(t, interval.unit)),
    unit: interval.unit,
    every: interval.every,
  };
}

function chooseInterval(spanMs: number, count: number): Interval {
  const target = Math.max(1, count);
  if (spanMs < target * SECOND) return { unit: "millisecond", every: 1, approxMs: 1 };
  for (const interval of LADDER) if (spanMs / interval.approxMs <= target) return interval;
  const years = spanMs / (365.2425 * DAY);
  let every = 1;
  for (let k = 1; years / every > target; k++)
    every = (k % 3 === 0 ? 1 : k % 3 === 1 ? 2 : 5) * 10 ** Math.floor(k / 3);
  return { unit: "year", every, approxMs: every * 365.2425 * DAY };
}

function unitMs(unit: TimeUnit): number {
  switch (unit) {
    case "second":
      return SECOND;
    case "minute":
      return MINUTE;
    case "hour":
      return HOUR;
    case "day":
      return DAY;
    default:
      return WEEK;
  }
}

/** First days of months (or years) whose index is a multiple of `every`, inside the range. */
function calendarTicks(startMs: number, stopMs: number, interval: Interval): number[] {
  const out: number[] = [];
  const start = new Date(startMs);
  let year = start.getUTCFullYear();
  if (interval.unit === "year") {
    year = Math.floor(year / interval.every) * interval.every;
    for (let t = Date.UTC(year, 0, 1); t <= stopMs; year += interval.every, t = Date.UTC(year, 0, 1)) {
      if (t >= startMs) out.push(t);
    }
    return out;
  }
  let month = Math.floor(start.getUTCMonth() / interval.every) * interval.every;
  for (let t = Date.UTC(year, month, 1); t <= stopMs; t = Date.UTC(year, month, 1)) {
    if (t >= startMs) out.push(t);
    month += interval.every;
    if (month >= 12) {
      month -= 12;
      year += 1;
    }
  }
  return out;
}

/** A UTC label for epoch ms `t` at the precision of `unit`. */
export function formatUtc(t: number, unit: TimeUnit): string {
  const iso = new Date(t).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  switch (unit) {
    case "year":
      return iso.slice(0, 4);
    case "month":
      return iso.slice(0, 7);
    case "week":
    case "day":
      return iso.slice(0, 10);
    case "hour":
    case "minute":
      return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    case "second":
      return iso.slice(11, 19);
    default:
      return iso.slice(11, 23);
  }
}

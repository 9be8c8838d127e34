/**
 * Calendar ticks for time axes: the interval ladder (hours, days, weeks, months, years chosen by
 * span), UTC alignment and labels, checked on hand-computed calendars and as properties.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatUtc, timeTicks } from "../../src/report/time-ticks.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("timeTicks: chosen interval and labels", () => {
  it("a one-day span gets hour ticks on multiples of the step", () => {
    const start = Date.UTC(2024, 2, 5, 0, 30);
    const t = timeTicks(start, start + DAY, 8);
    assert.equal(t.unit, "hour");
    assert.equal(t.every, 3);
    assert.deepEqual(t.labels, [
      "03-05 03:00",
      "03-05 06:00",
      "03-05 09:00",
      "03-05 12:00",
      "03-05 15:00",
      "03-05 18:00",
      "03-05 21:00",
      "03-06 00:00",
    ]);
  });
  it("a year of daily data gets month ticks on the 1st (UTC)", () => {
    const t = timeTicks(Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31), 7);
    assert.equal(t.unit, "month");
    assert.equal(t.every, 2);
    assert.deepEqual(t.labels, ["2024-01", "2024-03", "2024-05", "2024-07", "2024-09", "2024-11"]);
  });
  it("a ten-day span gets day ticks; five weeks get Monday-aligned week ticks", () => {
    const days = timeTicks(Date.UTC(2024, 5, 1, 12), Date.UTC(2024, 5, 11), 10);
    assert.equal(days.unit, "day");
    assert.equal(days.labels[0], "2024-06-02");
    const weeks = timeTicks(Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 10), 7);
    assert.equal(weeks.unit, "week");
    for (const t of weeks.ticks)
      assert.equal(new Date(t).getUTCDay(), 1, `${new Date(t).toISOString()} is not a Monday`);
  });
  it("a span of decades gets year ticks on 1-2-5 multiples", () => {
    const t = timeTicks(Date.UTC(1990, 6, 1), Date.UTC(2030, 0, 1), 5);
    assert.equal(t.unit, "year");
    assert.equal(t.every, 10);
    assert.deepEqual(t.labels, ["2000", "2010", "2020", "2030"]);
  });
  it("a sub-second span falls back to millisecond ticks", () => {
    const start = Date.UTC(2024, 0, 1, 12);
    const t = timeTicks(start, start + 800, 4);
    assert.equal(t.unit, "millisecond");
    assert.equal(t.labels[1], "12:00:00.200");
  });
  it("formats UTC regardless of the process time zone", () => {
    assert.equal(formatUtc(Date.UTC(2024, 1, 29, 23, 59), "minute"), "02-29 23:59");
    assert.equal(formatUtc(Date.UTC(2024, 1, 29, 23, 59), "day"), "2024-02-29");
  });
});

describe("timeTicks properties", () => {
  it("ticks lie inside the span, increase, stay near the target count and sit on calendar boundaries", () => {
    const span = fc.tuple(
      fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.double({ min: 1, max: 12, noNaN: true }),
    );
    fc.assert(
      fc.property(span, fc.integer({ min: 2, max: 12 }), ([start, e], n) => {
        const stop = start + Math.round(10 ** e);
        const t = timeTicks(start, stop, n);
        assert.equal(t.labels.length, t.ticks.length);
        // Calendar intervals give at most `n` intervals (months vary in length: one more); the
        // millisecond fallback uses linear nice ticks (step thresholds at √2: up to ~1.5 n).
        const bound = t.unit === "millisecond" ? Math.ceil(1.5 * n) + 1 : n + 2;
        assert.ok(t.ticks.length <= bound, `${t.ticks.length} ${t.unit} ticks for target ${n}`);
        for (let i = 0; i < t.ticks.length; i++) {
          const v = t.ticks[i] as number;
          assert.ok(v >= start && v <= stop);
          if (i > 0) assert.ok(v > (t.ticks[i - 1] as number));
          const d = new Date(v);
          if (t.unit === "month" || t.unit === "year") {
            assert.equal(d.getUTCDate(), 1);
            assert.equal(d.getUTCHours(), 0);
            if (t.unit === "year") assert.equal(d.getUTCMonth(), 0);
          } else if (t.unit === "hour") {
            assert.equal(v % (t.every * HOUR), 0);
          } else if (t.unit === "day") {
            assert.equal(v % (t.every * DAY), 0);
          }
        }
      }),
    );
  });
});

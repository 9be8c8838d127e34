/**
 * Axis scales and decimation: value → pixel maps are strictly monotone (increasing or, for a
 * y axis, decreasing) and hit the range ends at the domain ends; constant data gets a non-empty
 * domain; M4 decimation (Jugel et al. 2014) keeps every pixel column's first, lowest, highest and
 * last point and every NaN gap.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { decimateMinMax, GAP } from "../../src/report/decimate.js";
import { type AxisRequest, buildAxis } from "../../src/report/scale.js";

function axis(
  request: Partial<AxisRequest> & { dataMin: number; dataMax: number },
  range: [number, number] = [400, 10],
) {
  return buildAxis({ scale: "linear", field: "y", ...request }, range, 6);
}

describe("buildAxis", () => {
  it("maps strictly monotonically and puts the domain ends on the range ends (linear, log, time)", () => {
    const kinds = fc.constantFrom("linear" as const, "log" as const, "time" as const);
    fc.assert(
      fc.property(
        kinds,
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.double({ min: 1.0001, max: 1e4, noNaN: true }),
        fc.boolean(),
        (scale, lo, ratio, flip) => {
          const base = scale === "time" ? Date.UTC(2024, 0, 1) : 0;
          const a = axis(
            { scale, dataMin: base + lo, dataMax: base + lo * ratio },
            flip ? [400, 10] : [10, 400],
          );
          const [d0, d1] = a.domain;
          assert.ok(d0 <= base + lo && d1 >= base + lo * ratio);
          assert.ok(Math.abs(a.map(d0) - a.range[0]) < 1e-6);
          assert.ok(Math.abs(a.map(d1) - a.range[1]) < 1e-6);
          const sign = flip ? -1 : 1;
          let previous = Number.NEGATIVE_INFINITY;
          for (let k = 0; k <= 20; k++) {
            const v = scale === "log" ? d0 * (d1 / d0) ** (k / 20) : d0 + ((d1 - d0) * k) / 20;
            const p = sign * a.map(v);
            assert.ok(p > previous, `not monotone at ${v}`);
            previous = p;
          }
          for (const t of a.ticks) assert.ok(t >= d0 * (1 - 1e-12) && t <= d1 * (1 + 1e-12));
          assert.equal(a.labels.length, a.ticks.length);
        },
      ),
    );
  });
  it("widens a constant series to a non-empty domain around the value", () => {
    const a = axis({ dataMin: 0.4, dataMax: 0.4 });
    assert.ok(a.domain[0] < 0.4 && a.domain[1] > 0.4);
    const l = axis({ scale: "log", dataMin: 100, dataMax: 100 });
    assert.ok(l.domain[0] < 100 && l.domain[1] > 100);
    const z = axis({ dataMin: 0, dataMax: 0 });
    assert.ok(z.domain[0] <= -1 && z.domain[1] >= 1);
  });
  it("keeps a forced end and rounds only the free one", () => {
    const a = axis({ dataMin: 0.13, dataMax: 0.87, min: 0 });
    assert.equal(a.domain[0], 0);
    assert.equal(a.domain[1], 1);
  });
  it("rejects non-positive values on a log axis and reversed bounds, naming the field", () => {
    assert.throws(
      () => axis({ scale: "log", dataMin: -1, dataMax: 10 }),
      (e: unknown) => e instanceof InputError && e.field === "y.min",
    );
    assert.throws(
      () => axis({ dataMin: 0, dataMax: 1, min: 2 }),
      (e: unknown) => e instanceof InputError && e.field === "y.max",
    );
  });
});

describe("decimateMinMax (M4)", () => {
  const column = (v: number) => Math.floor(v / 10);
  it("keeps each column's first, min, max and last point, in order, at most 4 per column", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (ys) => {
          const x = ys.map((_, i) => i);
          const kept = Array.from(decimateMinMax(x, ys, column));
          assert.ok(!kept.includes(GAP));
          for (let i = 1; i < kept.length; i++) assert.ok((kept[i] as number) > (kept[i - 1] as number));
          for (let c = 0; c * 10 < ys.length; c++) {
            const members = x.filter((i) => column(i) === c);
            const inColumn = kept.filter((i) => column(i) === c);
            assert.ok(inColumn.length <= 4);
            const values = members.map((i) => ys[i] as number);
            const keptValues = inColumn.map((i) => ys[i] as number);
            assert.ok(keptValues.includes(Math.min(...values)), "column minimum lost");
            assert.ok(keptValues.includes(Math.max(...values)), "column maximum lost");
            assert.ok(
              inColumn.includes(members[0] as number) &&
                inColumn.includes(members[members.length - 1] as number),
            );
          }
        },
      ),
    );
  });
  it("keeps a single-sample spike among 40 000 points and shrinks the series to ≤ 4 per column", () => {
    const n = 40_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.sin(i / 50);
    }
    y[23_457] = 40;
    y[31_001] = -40;
    const kept = decimateMinMax(x, y, (v) => Math.floor(v / 50)); // 800 columns
    assert.ok(kept.length <= 4 * 800);
    assert.ok(kept.includes(23_457) && kept.includes(31_001));
  });
  it("turns NaN runs into single gaps, never at the ends", () => {
    const y = [Number.NaN, 1, 2, Number.NaN, Number.NaN, 3, 4, Number.NaN];
    const x = y.map((_, i) => i);
    assert.deepEqual(Array.from(decimateMinMax(x, y, (v) => v)), [1, 2, GAP, 5, 6]);
    // A NaN in the middle of one column still breaks the line there.
    assert.deepEqual(Array.from(decimateMinMax([0, 1, 2, 3], [5, Number.NaN, 7, 1], () => 0)), [
      0,
      GAP,
      2,
      3,
    ]);
  });
});

/**
 * The loaders' row policies on indices (`misplacedRows`, `onePerTime`) against straightforward
 * references on random small inputs with repeated, shuffled and gapped times: a quadratic longest
 * monotone run, and a stable sort of row objects grouped by time.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type DuplicatePolicy, misplacedRows, onePerTime } from "../../src/market/row-order.js";
import { longestMonotoneRun } from "../helpers/monotone-run.js";

/** Times with repeats, jumps back and gaps: small integers drawn at random. */
const timesArb = fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 40 });

/** What `onePerTime` should do, from row objects: a stable sort by time, then one row per time. */
function onePerTimeReference(times: readonly number[], policy: DuplicatePolicy) {
  const sorted = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t);
  const kept: number[] = [];
  const dropped: [number, number][] = [];
  for (let start = 0; start < sorted.length; ) {
    const group = sorted.filter((r) => r.t === (sorted[start] as { t: number }).t).map((r) => r.i);
    if (group.length > 1 && policy === "error") return { repeated: [group[0], group[1]] };
    const keep = (policy === "keep-last" ? group[group.length - 1] : group[0]) as number;
    for (const i of group) if (i !== keep) dropped.push([i, keep]);
    kept.push(keep);
    start += group.length;
  }
  return { kept, dropped };
}

describe("misplacedRows", () => {
  it("leaves in place one longest monotone run, and marks the rest", () => {
    fc.assert(
      fc.property(timesArb, fc.boolean(), (times, descending) => {
        const misplaced = misplacedRows(Float64Array.from(times), descending);
        const inPlace = times.filter((_, i) => misplaced[i] === 0);
        assert.equal(inPlace.length, longestMonotoneRun(times, descending));
        for (let i = 1; i < inPlace.length; i++) {
          const [a, b] = [inPlace[i - 1] as number, inPlace[i] as number];
          assert.ok(descending ? a >= b : a <= b, `run not monotone: ${inPlace}`);
        }
      }),
    );
  });

  it("reports the row that jumps, and of two equally long runs keeps the one with the earlier rows", () => {
    assert.deepEqual([...misplacedRows(Float64Array.of(1, 2, 3, 0, 4, 5), false)], [0, 0, 0, 1, 0, 0]);
    assert.deepEqual([...misplacedRows(Float64Array.of(1, 3, 2), false)], [0, 0, 1]);
    assert.deepEqual([...misplacedRows(Float64Array.of(5, 4, 4, 6, 3), true)], [0, 0, 0, 1, 0]);
  });
});

describe("onePerTime", () => {
  it("keeps one row per time in ascending time, as a stable sort of row objects does", () => {
    fc.assert(
      fc.property(
        timesArb,
        fc.constantFrom<DuplicatePolicy>("keep-first", "keep-last", "error"),
        (times, policy) => {
          const dropped: [number, number][] = [];
          let repeated: number[] | undefined;
          let kept: number[] | undefined;
          try {
            kept = [
              ...onePerTime(
                Float64Array.from(times),
                policy,
                (a, b) => {
                  repeated = [a, b];
                  throw new Error("repeated");
                },
                (i, keep) => dropped.push([i, keep]),
              ),
            ];
          } catch (error) {
            assert.equal((error as Error).message, "repeated");
          }
          assert.deepEqual(
            repeated === undefined ? { kept, dropped } : { repeated },
            onePerTimeReference(times, policy),
          );
        },
      ),
    );
  });
});

/** The rendering of rejected values in InputError messages (src/errors.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeValue, InputError } from "../src/errors.js";

/** An array nested `depth` deep: `[[[…]]]`. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe("describeValue", () => {
  it("shows plain values as JSON, cut at 80 characters", () => {
    assert.equal(describeValue(undefined), "nothing");
    assert.equal(describeValue(Number.NaN), "NaN");
    assert.equal(describeValue({ a: [1, "x"] }), '{"a":[1,"x"]}');
    assert.equal(describeValue(Array.from({ length: 100 }, () => 1)), `[${"1,".repeat(38)}...`);
  });

  it("shows a 200,000-deep array as a short preview instead of overflowing the stack", () => {
    const text = describeValue(nested(200_000));
    assert.equal(text.length, 80);
    assert.ok(text.startsWith("[[[[") && text.endsWith("..."), text);
    const error = new InputError("venue", nested(200_000), "must be a string", "Name the venue.");
    assert.match(error.message, /^venue: must be a string \(got \[\[\[/);
  });

  it("shows a deep object, a bigint and a cycle without throwing", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    assert.ok(describeValue(deep).startsWith('{"a":{"a":'));
    assert.equal(describeValue(12n), "12");
    const cycle: Record<string, unknown> = { b: 2 };
    cycle.self = cycle;
    assert.ok(describeValue(cycle).startsWith('{"b":2,"self":{"b":2,'));
  });
});

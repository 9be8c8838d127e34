import assert from "node:assert/strict";

/** Asserts `actual` is within `absolute` of `expected` (for numbers published rounded to a few decimals). */
export function assertNear(
  actual: number | null | undefined,
  expected: number,
  absolute: number,
  what = "",
): void {
  assert.ok(
    typeof actual === "number" && Number.isFinite(actual),
    `${what}: expected a number, got ${actual}`,
  );
  assert.ok(
    Math.abs(actual - expected) <= absolute,
    `${what}: expected ${expected} ± ${absolute}, got ${actual} (off by ${actual - expected})`,
  );
}

/** Asserts a relative error below `relative`. */
export function assertRel(
  actual: number | null | undefined,
  expected: number,
  relative: number,
  what = "",
): void {
  assert.ok(
    typeof actual === "number" && Number.isFinite(actual),
    `${what}: expected a number, got ${actual}`,
  );
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(
    err <= relative,
    `${what}: expected ${expected} (rel ${relative}), got ${actual} (rel err ${err})`,
  );
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  ceilDiv,
  ceilToMultiple,
  floorDiv,
  fromFixed,
  mulDiv,
  percentMul,
  RAY,
  ratCompare,
  rational,
  ratMul,
  ratSub,
  ratToNumber,
  rayMul,
  rpow,
  sqrtFloor,
  subSaturating,
  toFixed,
  WAD,
  wadDiv,
  wadMul,
} from "../../src/math/fixed-point.js";

describe("fixed point", () => {
  it("rounding directions", () => {
    assert.equal(mulDiv(7n, 1n, 2n, "down"), 3n);
    assert.equal(mulDiv(7n, 1n, 2n, "up"), 4n);
    assert.equal(mulDiv(5n, 1n, 2n, "halfUp"), 3n);
    assert.equal(mulDiv(4n, 1n, 3n, "halfUp"), 1n);
    assert.throws(() => mulDiv(1n, 1n, 0n, "down"), RangeError);
  });

  it("Aave half-up wad/ray/percentage math", () => {
    assert.equal(wadMul(WAD / 2n, 3n), 2n); // 1.5 rounds half up to 2
    assert.equal(wadDiv(1n, 3n), 333_333_333_333_333_333n);
    assert.equal(rayMul(RAY, 123n), 123n);
    assert.equal(percentMul(10_000n, 10_500n), 10_500n);
    assert.equal(percentMul(1n, 5_000n), 1n); // 0.5 rounds up
  });

  it("down ≤ halfUp ≤ up, and up − down ≤ 1 (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 10n ** 40n),
        fc.bigInt(0n, 10n ** 40n),
        fc.bigInt(1n, 10n ** 30n),
        (a, b, d) => {
          const lo = mulDiv(a, b, d, "down");
          const mid = mulDiv(a, b, d, "halfUp");
          const hi = mulDiv(a, b, d, "up");
          assert.ok(lo <= mid && mid <= hi && hi - lo <= 1n);
          assert.ok(lo * d <= a * b && a * b <= hi * d);
        },
      ),
      { seed: 3, numRuns: 300 },
    );
  });

  it("rpow agrees with repeated multiplication to within rounding", () => {
    const cut = (RAY * 99n) / 100n;
    const p = rpow(cut, 10n);
    assert.ok(Math.abs(fromFixed(p, 27) - 0.99 ** 10) < 1e-15);
    assert.equal(rpow(RAY, 1000n), RAY);
    assert.equal(rpow(cut, 0n), RAY);
  });

  it("decimal conversion is exact for strings", () => {
    assert.equal(toFixed("1.5", 18), 1_500_000_000_000_000_000n);
    assert.equal(toFixed("0.000001", 6), 1n);
    assert.equal(toFixed("2", 8), 200_000_000n);
    assert.equal(fromFixed(1_500_000n, 6), 1.5);
    assert.throws(() => toFixed("-1", 6), RangeError);
  });

  it("floorDiv and ceilDiv bracket the quotient for either sign of the dividend (property)", () => {
    assert.equal(floorDiv(-7n, 2n), -4n);
    assert.equal(ceilDiv(-7n, 2n), -3n);
    assert.equal(floorDiv(7n, 2n), 3n);
    assert.equal(ceilDiv(7n, 2n), 4n);
    assert.throws(() => floorDiv(1n, 0n), RangeError);
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 30n), 10n ** 30n), fc.bigInt(1n, 10n ** 20n), (a, b) => {
        const lo = floorDiv(a, b);
        const hi = ceilDiv(a, b);
        assert.ok(lo * b <= a && a < (lo + 1n) * b);
        assert.ok((hi - 1n) * b < a && a <= hi * b);
        assert.equal(hi - lo, a % b === 0n ? 0n : 1n);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it("saturating subtraction, ceiling to a multiple, floor square root", () => {
    assert.equal(subSaturating(5n, 3n), 2n);
    assert.equal(subSaturating(3n, 5n), 0n);
    assert.equal(ceilToMultiple(10n, 5n), 10n);
    assert.equal(ceilToMultiple(11n, 5n), 15n);
    assert.equal(ceilToMultiple(0n, 5n), 0n);
    fc.assert(
      fc.property(fc.bigInt(0n, 10n ** 40n), (n) => {
        const r = sqrtFloor(n);
        assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n);
      }),
      { seed: 7, numRuns: 300 },
    );
    assert.throws(() => sqrtFloor(-1n), RangeError);
  });

  it("floor square root of huge inputs terminates fast (a Drift baseAssetAmount of 1e40 looped for ever)", () => {
    const started = performance.now();
    fc.assert(
      fc.property(fc.bigInt(10n ** 40n, 10n ** 400n), (n) => {
        const r = sqrtFloor(n);
        assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n);
      }),
      { seed: 11, numRuns: 200 },
    );
    // 1e40 base tokens at Drift's 1e9 precision, as liquidate_perp's size premium takes its root
    const n = 10n ** 49n * 10n + 1n;
    const r = sqrtFloor(n);
    assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n);
    assert.equal(sqrtFloor(10n ** 80n), 10n ** 40n);
    assert.equal(sqrtFloor(10n ** 80n - 1n), 10n ** 40n - 1n);
    assert.ok(performance.now() - started < 2000);
  });

  it("rationals are reduced, exact, and compare by cross-multiplication", () => {
    assert.deepEqual(rational(6n, -4n), { num: -3n, den: 2n });
    assert.deepEqual(rational(0n, 5n), { num: 0n, den: 1n });
    assert.throws(() => rational(1n, 0n), RangeError);
    assert.deepEqual(ratSub(rational(1n), rational(1n, 3n)), { num: 2n, den: 3n });
    assert.deepEqual(ratMul(rational(2n, 3n), rational(9n, 4n)), { num: 3n, den: 2n });
    assert.equal(ratCompare(rational(1n, 3n), rational(2n, 6n)), 0);
    assert.equal(ratCompare(rational(1n, 3n), rational(1n, 2n)), -1);
    assert.equal(ratToNumber(rational(10n ** 30n + 1n, 10n)), 1e29);
  });
});

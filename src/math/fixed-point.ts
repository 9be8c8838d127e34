/**
 * Exact integer arithmetic on bigint, for the venues whose parity demands it (Aave's WAD/RAY and
 * percentage math, Maker's wad/ray/rad, Compound's 1e18 factors and 1e8 prices, dYdX quantums and
 * Go `big.Rat` prices, Drift's precisions). Every operation that can round names its direction:
 * `floor` (toward −∞), `ceil` (toward +∞), `down`/`up` (toward 0/away from 0, the same as floor/ceil
 * on the non-negative operands they accept), `halfUp`; `saturating` floors a difference at 0. The
 * venue engines use these instead of helpers of their own, so that one rounding is written once.
 */

/** 1e18: Aave and Maker "wad". */
export const WAD = 10n ** 18n;
/** 1e27: Aave and Maker "ray". */
export const RAY = 10n ** 27n;
/** 1e45: Maker "rad" (wad × ray). */
export const RAD = 10n ** 45n;
/** 1e4: Aave `PercentageMath` (100.00 % = 10000). */
export const PERCENTAGE_FACTOR = 10_000n;

/** How a division rounds. `halfUp` rounds halves away from zero (inputs are non-negative here). */
export type Rounding = "down" | "up" | "halfUp";

/**
 * `a·b / d` rounded as asked, for non-negative `a`, `b` and positive `d`.
 * Throws a RangeError on a negative operand or a zero divisor (on-chain code would revert).
 */
export function mulDiv(a: bigint, b: bigint, d: bigint, rounding: Rounding): bigint {
  if (a < 0n || b < 0n || d <= 0n)
    throw new RangeError(`mulDiv(${a}, ${b}, ${d}): operands must be non-negative, divisor positive`);
  const p = a * b;
  if (rounding === "down") return p / d;
  if (rounding === "up") return (p + d - 1n) / d;
  return (p + d / 2n) / d;
}

/** The smaller of two bigints. */
export const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
/** The larger of two bigints. */
export const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
/** `|x|`. */
export const absBig = (x: bigint): bigint => (x < 0n ? -x : x);
/** The sign of `x`: −1, 0 or 1. */
export const signBig = (x: bigint): number => (x > 0n ? 1 : x < 0n ? -1 : 0);
/** `10^n` as a bigint, for a non-negative integer `n`. */
export const pow10 = (n: number): bigint => 10n ** BigInt(n);

/**
 * Saturating subtraction `max(a − b, 0)`: Rust's `saturating_sub` on unsigned integers (Drift) and
 * Solidity's "floored at 0" differences.
 */
export const subSaturating = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);

/**
 * `⌊a / b⌋` rounded toward −∞, for any sign of `a` and a positive divisor (Go `big.Int.Div`,
 * Euclidean division; bigint `/` truncates toward 0 instead). Throws a RangeError when `b ≤ 0`.
 */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError(`floorDiv: divisor must be positive (got ${b})`);
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** `⌈a / b⌉` rounded toward +∞, for any sign of `a` and a positive divisor: `−⌊−a / b⌋`. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}

/**
 * The smallest multiple of `step` that is ≥ `x`, for `x ≥ 0` and `step > 0`: `x + (step − x mod step)`
 * unless `x` is already a multiple (Drift's `standardize_base_asset_amount_ceil`).
 */
export function ceilToMultiple(x: bigint, step: bigint): bigint {
  const r = x % step;
  return r === 0n ? x : x + (step - r);
}

/**
 * `⌊√n⌋`, the largest `r` with `r² ≤ n`, for `n ≥ 0` (Rust `num_integer::Roots::sqrt`): Newton's
 * method on integers, `x ← ⌊(x + ⌊n/x⌋)/2⌋` from a power of two `x₀ ≥ √n`, which decreases
 * monotonically to `⌊√n⌋` and stops at the first step that does not decrease (Crandall & Pomerance,
 * *Prime Numbers*, Algorithm 9.2.11) — O(log bits) steps, where the former float estimate corrected
 * by unit steps took ~10⁹ of them at n ≈ 1e50. Throws a RangeError on a negative `n`.
 */
export function sqrtFloor(n: bigint): bigint {
  if (n < 0n) throw new RangeError("sqrtFloor of a negative number");
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/** Aave `WadRayMath.wadMul`: `(a·b + WAD/2) / WAD` (half up). */
export const wadMul = (a: bigint, b: bigint): bigint => mulDiv(a, b, WAD, "halfUp");
/** Aave `WadRayMath.wadDiv`: `(a·WAD + b/2) / b` (half up). */
export const wadDiv = (a: bigint, b: bigint): bigint => mulDiv(a, WAD, b, "halfUp");
/** Aave `WadRayMath.rayMul`: `(a·b + RAY/2) / RAY` (half up). */
export const rayMul = (a: bigint, b: bigint): bigint => mulDiv(a, b, RAY, "halfUp");
/** Aave `PercentageMath.percentMul`: `(value·pct + 5000) / 10000` (half up). */
export const percentMul = (value: bigint, pct: bigint): bigint =>
  mulDiv(value, pct, PERCENTAGE_FACTOR, "halfUp");
/** Aave `PercentageMath.percentDiv`: `(value·10000 + pct/2) / pct` (half up). */
export const percentDiv = (value: bigint, pct: bigint): bigint =>
  mulDiv(value, PERCENTAGE_FACTOR, pct, "halfUp");
/** Maker `rmul`: `x·y / RAY` (down). */
export const rmulDown = (x: bigint, y: bigint): bigint => mulDiv(x, y, RAY, "down");
/** Maker `wmul`: `x·y / WAD` (down). */
export const wmulDown = (x: bigint, y: bigint): bigint => mulDiv(x, y, WAD, "down");
/** Maker `rdiv`: `x·RAY / y` (down). */
export const rdivDown = (x: bigint, y: bigint): bigint => mulDiv(x, RAY, y, "down");

/**
 * Maker `rpow` (abaci.sol): `x^n` in ray with `b = RAY`, by repeated squaring with half-up rounding
 * at each step, as the contract does.
 */
export function rpow(x: bigint, n: bigint): bigint {
  if (x < 0n || n < 0n) throw new RangeError("rpow: non-negative operands only");
  let z = n % 2n !== 0n ? x : RAY;
  let base = x;
  for (let k = n / 2n; k > 0n; k /= 2n) {
    base = (base * base + RAY / 2n) / RAY;
    if (k % 2n !== 0n) z = (z * base + RAY / 2n) / RAY;
  }
  return x === 0n ? (n === 0n ? RAY : 0n) : z;
}

/** A decimal string or number → fixed point with `decimals` digits, rounded down (exact for strings). */
export function toFixed(value: string | number, decimals: number): bigint {
  const text = typeof value === "number" ? value.toFixed(Math.min(decimals, 20)) : value.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (match === null) throw new RangeError(`toFixed: ${JSON.stringify(value)} is not a non-negative decimal`);
  const [, whole = "0", frac = ""] = match;
  return (
    BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0")
  );
}

/** Fixed point with `decimals` digits → float (for display and float/exact agreement checks). */
export function fromFixed(value: bigint, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  const whole = value / scale;
  const frac = value % scale;
  return Number(whole) + Number(frac) / Number(scale);
}

/** An exact rational `num / den` with `den > 0`, in lowest terms (Go `big.Rat`). */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Greatest common divisor of `|a|` and `|b|` (Euclid); `gcd(0, 0) = 0`. */
function gcd(a: bigint, b: bigint): bigint {
  let x = absBig(a);
  let y = absBig(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The rational `num / den` in lowest terms with a positive denominator (Go `new(big.Rat).SetFrac`). Throws a RangeError when `den = 0`. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError("rational with zero denominator");
  const s = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (s * num) / g, den: (s * den) / g };
}

/** `a − b`, exact (Go `big.Rat.Sub`). */
export const ratSub = (a: Rational, b: Rational): Rational =>
  rational(a.num * b.den - b.num * a.den, a.den * b.den);
/** `a · b`, exact (Go `big.Rat.Mul`). */
export const ratMul = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
/** The sign of `a − b`: −1, 0 or 1 (Go `big.Rat.Cmp`). */
export const ratCompare = (a: Rational, b: Rational): number => signBig(a.num * b.den - b.num * a.den);

/**
 * A rational as a float: `num/den` split into whole and fraction parts so large values keep double
 * precision (display and float/exact checks; the analogue of Go `big.Rat.Float64`).
 */
export function ratToNumber(r: Rational): number {
  const whole = r.num / r.den;
  return Number(whole) + Number(r.num - whole * r.den) / Number(r.den);
}

/**
 * Fixed point with `decimals` digits → its exact decimal text, trailing zeros dropped
 * (`1500000n, 6` → `"1.5"`, `-1n, 6` → `"-0.000001"`): the lossless form of a bigint amount in JSON.
 */
export function fixedToDecimalText(value: bigint, decimals: number): string {
  const sign = value < 0n ? "-" : "";
  const magnitude = value < 0n ? -value : value;
  if (decimals === 0) return `${sign}${magnitude}`;
  const scale = 10n ** BigInt(decimals);
  const frac = (magnitude % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${sign}${magnitude / scale}${frac === "" ? "" : `.${frac}`}`;
}

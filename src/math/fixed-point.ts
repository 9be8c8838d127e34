/**
 * Exact fixed-point arithmetic on bigint, for the venues whose parity demands it (Aave's WAD/RAY and
 * percentage math, Maker's wad/ray/rad, dYdX quantums). Every operation names its rounding direction.
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

/** Aave `WadRayMath.wadMul`: `(a·b + WAD/2) / WAD` (half up). */
export const wadMul = (a: bigint, b: bigint): bigint => mulDiv(a, b, WAD, "halfUp");
/** Aave `WadRayMath.wadDiv`: `(a·WAD + b/2) / b` (half up). */
export const wadDiv = (a: bigint, b: bigint): bigint => mulDiv(a, WAD, b, "halfUp");
/** Aave `WadRayMath.rayMul`: `(a·b + RAY/2) / RAY` (half up). */
export const rayMul = (a: bigint, b: bigint): bigint => mulDiv(a, b, RAY, "halfUp");
/** Aave `WadRayMath.rayDiv`: `(a·RAY + b/2) / b` (half up). */
export const rayDiv = (a: bigint, b: bigint): bigint => mulDiv(a, RAY, b, "halfUp");
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

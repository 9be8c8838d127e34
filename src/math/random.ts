/**
 * Seeded random streams: the xoshiro128** uniform generator with jump-ahead for independent
 * per-worker streams, and exact ziggurat samplers for the standard normal and Student-t
 * distributions.
 */
import { lnGamma, normalCdf, studentTCdf } from "./distributions.js";

/**
 * The live state words s[0…3] of a generator, for the bulk samplers of this module, which step
 * xoshiro128** with the state in locals and write it back (not exported).
 */
let liveState: (rng: Xoshiro128) => Uint32Array;

/**
 * A small seeded uniform stream: xoshiro128** (Blackman & Vigna,
 * https://prng.di.unimi.it/xoshiro128starstar.c) seeded through splitmix32. Reproducible across
 * runs and machines; `next()` is a double in [0, 1) built from 53 random bits.
 */
export class Xoshiro128 {
  private readonly s = new Uint32Array(4);

  static {
    liveState = (rng) => rng.s;
  }

  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** The next 32 random bits. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const s2 = s[2] as number;
    const s3 = s[3] as number;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return r;
  }

  /** Uniform double in [0, 1). */
  next(): number {
    return ((this.nextUint32() >>> 5) * 67_108_864 + (this.nextUint32() >>> 6)) / 9_007_199_254_740_992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Log-uniform in [min, max]. */
  logUniform(min: number, max: number): number {
    return min * (max / min) ** this.next();
  }

  /**
   * Advances the stream by 2^64 steps of `nextUint32`, so that `k` successive jumps from one seed
   * give `k + 1` non-overlapping streams of 2^64 draws each (one per worker). The polynomial
   * (`0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b`) is the authors' published `JUMP` of
   * https://prng.di.unimi.it/xoshiro128starstar.c.
   */
  jump(): this {
    this.applyJump(JUMP_2_64);
    return this;
  }

  /** Advances the stream by 2^96 steps (the authors' `LONG_JUMP`, same source as {@link jump}). */
  longJump(): this {
    this.applyJump(JUMP_2_96);
    return this;
  }

  /** A copy of the 128-bit state (four uint32 words, s[0] first) to record or restore a stream. */
  getState(): Uint32Array {
    return Uint32Array.from(this.s);
  }

  /** A stream continuing from a recorded state (four uint32 words, not all zero). */
  static fromState(state: ArrayLike<number>): Xoshiro128 {
    const rng = new Xoshiro128(0);
    for (let i = 0; i < 4; i++) rng.s[i] = (state[i] ?? 0) >>> 0;
    return rng;
  }

  private applyJump(poly: readonly number[]): void {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const s = this.s;
    for (const word of poly) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          a0 ^= s[0] as number;
          a1 ^= s[1] as number;
          a2 ^= s[2] as number;
          a3 ^= s[3] as number;
        }
        this.nextUint32();
      }
    }
    s[0] = a0;
    s[1] = a1;
    s[2] = a2;
    s[3] = a3;
  }
}

const JUMP_2_64 = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;
const JUMP_2_96 = [0xb523952e, 0x0b6f099f, 0xccf5a0ef, 0x1c580662] as const;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Number of layers of the ziggurat tables (Marsaglia & Tsang 2000 use 128 or 256). */
const LAYERS = 256;
/** Draws per bulk refill of random words in {@link ZigguratSampler.fill}. */
const FILL_CHUNK = 256;
/** 2^−55: turns 23 + 32 random bits into a uniform in [0, 1). */
const TWO_POW_MINUS_55 = 2 ** -55;

/**
 * An exact sampler of a symmetric unimodal law by the ziggurat method (G. Marsaglia & W. W. Tsang,
 * "The Ziggurat Method for Generating Random Variables", *J. Stat. Softw.* 5(8), 2000): 256
 * layers of equal area v under the unnormalised density f (f(0) = 1), the base layer holding
 * the tail beyond r. Each draw takes 8 bits for the layer, 1 for the sign and 55 for the
 * abscissa (two `nextUint32`), so the layer and the value are not correlated (the flaw of the
 * original 32-bit RNOR noted by Leong et al., *J. Stat. Softw.* 12(7), 2005). About 99 % of draws
 * return after one comparison; the wedges test f exactly and the tail is sampled exactly by
 * rejection from the envelope (x/r)·f(x), whose distribution function inverts in closed form
 * (Marsaglia 1964 for the normal: x = √(r² − 2 ln U); for Student-t
 * x = √(ν((1 + r²/ν)·U^{−2/(ν−1)} − 1))), accepted with probability r/x. r and v are solved
 * at construction so that the layers close at the mode (to ~1e-15), from the exact tail area
 * (√(2π)·Φ(−r), or T_ν(−r)/c_ν for Student-t).
 *
 * Obtain instances from {@link normalSampler} and {@link studentTSampler} (tables are cached).
 */
export class ZigguratSampler {
  /** Degrees of freedom ν (`Infinity` for the normal). */
  readonly nu: number;
  /** Factor applied to every draw: 1, or √((ν−2)/ν) for the unit-variance Student-t. */
  readonly scale: number;
  /** Where the base layer's tail starts (in unscaled units). */
  readonly tailStart: number;
  /** Layer edges x_0 > x_1 = r > … > x_256 = 0 (x_0 = v/f(r) is the base layer's width). */
  private readonly x: Float64Array;
  /** f(x_i); f(x_256) = 1. */
  private readonly fx: Float64Array;
  /**
   * x_i·2^−55, so that a 55-bit integer u gives the abscissa u·x_i/2^55 in one product (scaling
   * by a power of two is exact: the same double as (u·2^−55)·x_i).
   */
  private readonly scaledWidth: Float64Array;
  /** [scale, −scale]: the draw's factor for a sign bit of 0 and 1 (the same as scale·(±1)). */
  private readonly signedScale: Float64Array;
  private readonly half: number;
  private readonly tailPower: number;
  /** Scratch for {@link fill}: the draws of a chunk left to finish (index, first word, abscissa). */
  private readonly pendingIndex = new Int32Array(FILL_CHUNK);
  private readonly pendingWord = new Int32Array(FILL_CHUNK);
  private readonly pendingValue = new Float64Array(FILL_CHUNK);

  constructor(nu: number, scale: number) {
    this.nu = nu;
    this.scale = scale;
    this.half = 0.5 * (nu + 1);
    this.tailPower = -2 / (nu - 1);
    const tailArea =
      nu === Number.POSITIVE_INFINITY
        ? (r: number) => Math.sqrt(2 * Math.PI) * normalCdf(-r)
        : (r: number) =>
            studentTCdf(-r, nu) * Math.sqrt(nu * Math.PI) * Math.exp(lnGamma(0.5 * nu) - lnGamma(this.half));
    // Bisection (in log r) on the closure of the top layer: area x_255·(1 − f(x_255)) = v.
    let lo = 0.25;
    let hi = 1e6;
    for (let iter = 0; iter < 200 && hi / lo - 1 > 1e-15; iter++) {
      const mid = Math.sqrt(lo * hi);
      if (this.layersTooFat(mid, tailArea(mid))) lo = mid;
      else hi = mid;
    }
    const r = hi;
    const v = r * this.density(r) + tailArea(r);
    const x = new Float64Array(LAYERS + 1);
    const fx = new Float64Array(LAYERS + 1);
    x[0] = v / this.density(r);
    x[1] = r;
    for (let i = 1; i < LAYERS - 1; i++) {
      const xi = x[i] as number;
      x[i + 1] = this.inverseDensity(Math.min(1, v / xi + this.density(xi)));
    }
    x[LAYERS] = 0;
    for (let i = 0; i <= LAYERS; i++) fx[i] = this.density(x[i] as number);
    fx[LAYERS] = 1;
    this.x = x;
    this.fx = fx;
    this.scaledWidth = x.map((xi) => xi * TWO_POW_MINUS_55);
    this.signedScale = Float64Array.from([scale, -scale]);
    this.tailStart = r;
  }

  /** One draw (times {@link scale}). */
  sample(rng: Xoshiro128): number {
    const x = this.x;
    const fx = this.fx;
    for (;;) {
      const a = rng.nextUint32();
      const i = a & 255;
      const z = ((a >>> 9) * 4_294_967_296 + rng.nextUint32()) * TWO_POW_MINUS_55 * (x[i] as number);
      const sign = this.scale * (1 - ((a >>> 7) & 2)); // bit 8: the sign, branch-free
      if (z < (x[i + 1] as number)) return sign * z;
      if (i === 0) return sign * this.tail(rng);
      const lower = fx[i] as number;
      if (lower + rng.next() * ((fx[i + 1] as number) - lower) < this.density(z)) return sign * z;
    }
  }

  /**
   * Fills `out` with independent draws without allocating. The stream is consumed chunk by chunk
   * (256 draws): first the 64 random bits of each draw's first attempt (two {@link Xoshiro128.nextUint32},
   * stepped here with the generator's state in locals), then, in order, whatever the chunk's rare attempts
   * outside their layer's rectangle need (wedge tests, tails, retries) — so the stream is used in a
   * different order than by repeated {@link sample} calls (the same law, other values). With
   * `location` and `factor`, `out[k] = location + factor·Z_k` for the same draws Z_k (one pass).
   */
  fill(rng: Xoshiro128, out: Float64Array, location = 0, factor = 1): void {
    const { x, scaledWidth, signedScale, pendingIndex, pendingWord, pendingValue } = this;
    const state = liveState(rng);
    for (let start = 0; start < out.length; start += FILL_CHUNK) {
      const end = Math.min(out.length, start + FILL_CHUNK);
      let s0 = state[0] as number;
      let s1 = state[1] as number;
      let s2 = state[2] as number;
      let s3 = state[3] as number;
      let pending = 0;
      for (let k = start; k < end; k++) {
        // Two steps of xoshiro128** (Xoshiro128.nextUint32), written out twice: a loop over the
        // words with a branch for the second measured 19 % slower per draw.
        let m = Math.imul(s1, 5);
        const a = Math.imul((m << 7) | (m >>> 25), 9);
        let t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        m = Math.imul(s1, 5);
        const b = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const i = a & 255;
        const z = ((a >>> 9) * 4_294_967_296 + b) * (scaledWidth[i] as number);
        if (z < (x[i + 1] as number)) {
          // Sign from bit 8 without a branch (a 50/50 branch costs a misprediction per draw).
          out[k] = location + factor * ((signedScale[(a >>> 8) & 1] as number) * z);
        } else {
          pendingIndex[pending] = k;
          pendingWord[pending] = a;
          pendingValue[pending] = z;
          pending++;
        }
      }
      state[0] = s0;
      state[1] = s1;
      state[2] = s2;
      state[3] = s3;
      for (let q = 0; q < pending; q++) {
        const a = pendingWord[q] as number;
        const z = this.finishAttempt(rng, a & 255, pendingValue[q] as number);
        out[pendingIndex[q] as number] = location + factor * ((signedScale[(a >>> 8) & 1] as number) * z);
      }
    }
  }

  /** The rare rest of an attempt that fell outside the layer's inner rectangle (unsigned, unscaled). */
  private finishAttempt(rng: Xoshiro128, i: number, z: number): number {
    if (i === 0) return this.tail(rng);
    const lower = this.fx[i] as number;
    if (lower + rng.next() * ((this.fx[i + 1] as number) - lower) < this.density(z)) return z;
    return Math.abs(this.sample(rng)) / this.scale;
  }

  /** Unnormalised density: e^{−x²/2}, or (1 + x²/ν)^{−(ν+1)/2}. */
  private density(x: number): number {
    if (this.nu === Number.POSITIVE_INFINITY) return Math.exp(-0.5 * x * x);
    return Math.exp(-this.half * Math.log1p((x * x) / this.nu));
  }

  private inverseDensity(y: number): number {
    if (this.nu === Number.POSITIVE_INFINITY) return Math.sqrt(-2 * Math.log(y));
    return Math.sqrt(this.nu * (y ** (-1 / this.half) - 1));
  }

  /** True when, starting the layers at r, they reach the mode before the last layer. */
  private layersTooFat(r: number, tail: number): boolean {
    const v = r * this.density(r) + tail;
    let xi = r;
    for (let i = 1; i < LAYERS - 1; i++) {
      const y = v / xi + this.density(xi);
      if (y >= 1) return true;
      xi = this.inverseDensity(y);
    }
    return xi * (1 - this.density(xi)) < v;
  }

  private tail(rng: Xoshiro128): number {
    const r = this.tailStart;
    for (;;) {
      const u = 1 - rng.next();
      const x =
        this.nu === Number.POSITIVE_INFINITY
          ? Math.sqrt(r * r - 2 * Math.log(u))
          : Math.sqrt(this.nu * ((1 + (r * r) / this.nu) * u ** this.tailPower - 1));
      if (rng.next() * x < r) return x;
    }
  }
}

let normalCache: ZigguratSampler | undefined;
const studentCache = new Map<string, ZigguratSampler>();

/**
 * The standard normal N(0, 1) ziggurat sampler (exact; see {@link ZigguratSampler}).
 *
 * @example normalSampler().sample(new Xoshiro128(1))
 */
export function normalSampler(): ZigguratSampler {
  normalCache ??= new ZigguratSampler(Number.POSITIVE_INFINITY, 1);
  return normalCache;
}

/**
 * Student-t sampler with ν > 1 degrees of freedom (exact ziggurat, {@link ZigguratSampler}).
 * `unitVariance` (needs ν > 2) rescales by √((ν−2)/ν) so the draws have variance 1 — the
 * "standardised t" of GARCH-t models (quant.md §3.4).
 */
export function studentTSampler(nu: number, unitVariance = false): ZigguratSampler {
  if (!(nu > 1) || !Number.isFinite(nu)) {
    throw new RangeError(`studentTSampler: nu must be a finite number above 1 (got ${nu}).`);
  }
  if (unitVariance && !(nu > 2)) {
    throw new RangeError(`studentTSampler: a unit-variance t needs nu above 2 (got ${nu}).`);
  }
  const key = `${nu}:${unitVariance}`;
  let sampler = studentCache.get(key);
  if (sampler === undefined) {
    sampler = new ZigguratSampler(nu, unitVariance ? Math.sqrt((nu - 2) / nu) : 1);
    studentCache.set(key, sampler);
  }
  return sampler;
}

/**
 * A Gamma(shape, 1) variate by Marsaglia & Tsang's squeeze-rejection method ("A simple method
 * for generating gamma variables", *ACM TOMS* 26(3), 2000): with d = shape − 1/3, c = 1/√(9d),
 * x ~ N(0, 1), v = (1 + cx)³ > 0, accept d·v if U < 1 − 0.0331x⁴ or
 * ln U < x²/2 + d(1 − v + ln v). Exact; for shape < 1 it returns Gamma(shape + 1)·U^{1/shape}.
 * A chi-square with k degrees of freedom is 2·Gamma(k/2).
 */
export function gammaVariate(rng: Xoshiro128, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(`gammaVariate: shape must be a positive finite number (got ${shape}).`);
  }
  if (shape < 1) return gammaVariate(rng, shape + 1) * (1 - rng.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const normal = normalSampler();
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal.sample(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Rows of independent draws of the spherical multivariate Student-t t_ν(0, I_d), V = Z·√(ν/W) with
 * Z ~ N(0, I_d) and W ~ χ²_ν shared by the d coordinates, drawn without the χ² variate, coordinate
 * by coordinate from its conditionals (P. Ding, "On the conditional distribution of the multivariate
 * t distribution", *The American Statistician* 70(3), 2016, eq. 2; Kotz & Nadarajah, *Multivariate
 * t Distributions and Their Applications*, 2004, §1.11): V₁ ~ t_ν and
 * `V_k | V₁…V_{k−1} = √((ν + V₁² + … + V_{k−1}²)/(ν + k − 1))·T_k` with T_k ~ t_{ν+k−1} independent
 * of the rest. (Given V₁…V_{k−1}, W·(ν + ΣV_j²)/ν ~ χ²_{ν+k−1}.) Each T_k comes from the exact
 * ziggurat of {@link studentTSampler}, so a row costs d ziggurat draws and d − 1 square roots — no
 * gamma variate. Every coordinate has variance ν/(ν − 2); `L·V·√((ν − 2)/ν)` is the unit-variance
 * multivariate t with correlation L·Lᵀ.
 */
export class SphericalTSampler {
  readonly nu: number;
  readonly dim: number;
  private readonly samplers: readonly ZigguratSampler[];
  /** 1/(ν + k), k = 0 … d − 1. */
  private readonly inverseDof: Float64Array;
  /** Column k holds the T_k of every row (views of one buffer, rebuilt when the row count changes). */
  private columns: Float64Array[] = [];
  private rows = -1;

  constructor(nu: number, dim: number) {
    if (!Number.isInteger(dim) || dim < 1)
      throw new RangeError(`SphericalTSampler: dim must be ≥ 1 (got ${dim}).`);
    this.nu = nu;
    this.dim = dim;
    this.samplers = Array.from({ length: dim }, (_, k) => studentTSampler(nu + k));
    this.inverseDof = Float64Array.from({ length: dim }, (_, k) => 1 / (nu + k));
  }

  /** Fills `out` (`rows × dim`, row-major: row r's coordinate k at `r·dim + k`) with independent rows. */
  fill(rng: Xoshiro128, out: Float64Array): void {
    const d = this.dim;
    const rows = out.length / d;
    if (!Number.isInteger(rows))
      throw new RangeError(`SphericalTSampler.fill: length ${out.length} is not rows × ${d}.`);
    if (rows !== this.rows) {
      const buffer = new Float64Array(rows * d);
      this.columns = Array.from({ length: d }, (_, k) => buffer.subarray(k * rows, (k + 1) * rows));
      this.rows = rows;
    }
    const columns = this.columns;
    for (let k = 0; k < d; k++) (this.samplers[k] as ZigguratSampler).fill(rng, columns[k] as Float64Array);
    const first = columns[0] as Float64Array;
    // The second coordinate is taken out of the loop over coordinates (twice as fast for d = 2).
    const second = columns[Math.min(1, d - 1)] as Float64Array;
    const inverse1 = this.inverseDof[Math.min(1, d - 1)] as number;
    for (let r = 0; r < rows; r++) {
      const v = first[r] as number;
      out[r * d] = v;
      if (d === 1) continue;
      let radius = this.nu + v * v;
      const v1 = (second[r] as number) * Math.sqrt(radius * inverse1);
      out[r * d + 1] = v1;
      radius += v1 * v1;
      for (let k = 2; k < d; k++) {
        const vk =
          ((columns[k] as Float64Array)[r] as number) * Math.sqrt(radius * (this.inverseDof[k] as number));
        out[r * d + k] = vk;
        radius += vk * vk;
      }
    }
  }
}

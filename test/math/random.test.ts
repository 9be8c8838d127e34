import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalCdf, regularizedBeta, studentTCdf } from "../../src/math/distributions.js";
import { normalSampler, SphericalTSampler, studentTSampler, Xoshiro128 } from "../../src/math/random.js";
import { assertNear } from "../helpers/close.js";

describe("Xoshiro128 seeded stream", () => {
  it("is reproducible for a seed and differs across seeds", () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    const c = new Xoshiro128(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c.next()),
    );
  });

  it("is uniform on [0, 1): mean ≈ 1/2 and variance ≈ 1/12 over 200,000 draws", () => {
    const r = new Xoshiro128(7);
    let sum = 0;
    let sq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      sq += x * x;
    }
    const mean = sum / n;
    // Standard errors: 1/sqrt(12 n) ≈ 6.5e-4 for the mean; 5 of them as the bound.
    assert.ok(Math.abs(mean - 0.5) < 3.3e-3, `mean ${mean}`);
    assert.ok(Math.abs(sq / n - mean * mean - 1 / 12) < 2e-3);
  });

  it("int(n) covers 0…n−1", () => {
    const r = new Xoshiro128(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(6));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5]);
  });
});

/**
 * Jump-ahead checked without the published polynomial: xoshiro128** is linear over GF(2), so
 * 2^64 steps are the 128×128 transition matrix M (built column by column from `nextUint32` on
 * unit states) raised to 2^64 by 64 squarings; `jump()` must land on M^(2^64)·state.
 */
describe("Xoshiro128 jump-ahead", () => {
  type Matrix = Uint32Array[]; // 128 columns, each the image of a unit state (4 words)
  const apply = (m: Matrix, v: ArrayLike<number>): Uint32Array => {
    const out = new Uint32Array(4);
    for (let i = 0; i < 128; i++) {
      if ((((v[i >>> 5] as number) >>> (i & 31)) & 1) === 1) {
        const c = m[i] as Uint32Array;
        for (let w = 0; w < 4; w++) out[w] = (out[w] as number) ^ (c[w] as number);
      }
    }
    return out;
  };
  const transition = (): Matrix =>
    Array.from({ length: 128 }, (_, i) => {
      const unit = new Uint32Array(4);
      unit[i >>> 5] = (1 << (i & 31)) >>> 0;
      const rng = Xoshiro128.fromState(unit);
      rng.nextUint32();
      return rng.getState();
    });
  const power2 = (m: Matrix, k: number): Matrix => {
    let p = m;
    for (let j = 0; j < k; j++) {
      const q = p;
      p = q.map((col) => apply(q, col));
    }
    return p;
  };

  it("jump() equals 2^64 steps and longJump() 2^96 steps (GF(2) matrix powers)", () => {
    const m = transition();
    // Sanity of the matrix: it reproduces one ordinary step from a seeded state.
    const rng = new Xoshiro128(2026);
    const state = rng.getState();
    rng.nextUint32();
    assert.deepEqual(apply(m, state), rng.getState());
    const m64 = power2(m, 64);
    const m96 = power2(m64, 32);
    for (const seed of [1, 42, 20_261_124]) {
      const a = new Xoshiro128(seed);
      const s0 = a.getState();
      assert.deepEqual(a.jump().getState(), apply(m64, s0), `jump, seed ${seed}`);
      const b = new Xoshiro128(seed);
      assert.deepEqual(b.longJump().getState(), apply(m96, s0), `longJump, seed ${seed}`);
    }
  });

  it("a jumped stream differs from its parent; fromState resumes a recorded stream", () => {
    const a = new Xoshiro128(42);
    const recorded = a.getState();
    const b = new Xoshiro128(42).jump();
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    const ys = Array.from({ length: 8 }, () => b.nextUint32());
    assert.notDeepEqual(xs, ys);
    const resumed = Xoshiro128.fromState(recorded);
    assert.deepEqual(
      Array.from({ length: 8 }, () => resumed.nextUint32()),
      xs,
    );
  });
});

/** Kolmogorov–Smirnov distance of a sorted sample from a distribution function. */
function ksDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const c = cdf(sorted[i] as number);
    d = Math.max(d, Math.abs(c - i / n), Math.abs(c - (i + 1) / n));
  }
  return d;
}

describe("ziggurat samplers (exact normal and Student-t)", () => {
  // Critical value of the KS distance at level 0.001: 1.9495/√n (Kolmogorov distribution).
  const n = 200_000;
  const critical = 1.9495 / Math.sqrt(n);

  it("normal: r = 3.6541528853610088 as published for 256 layers (Marsaglia & Tsang 2000)", () => {
    assertNear(normalSampler().tailStart, 3.6541528853610088, 1e-12);
  });

  it("normal: KS distance to Φ below the 0.1 % critical value; mean 0, variance 1, tail mass", () => {
    const rng = new Xoshiro128(11);
    const xs = new Float64Array(n);
    normalSampler().fill(rng, xs);
    let sum = 0;
    let sq = 0;
    let tail = 0;
    for (const x of xs) {
      sum += x;
      sq += x * x;
      if (Math.abs(x) > 2.5) tail++;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(sq / n - 1) < 5 * Math.sqrt(2 / n), `variance ${sq / n}`);
    // P(|Z| > 2.5) = 2Φ(−2.5); binomial standard error √(p(1−p)/n).
    const p = 2 * normalCdf(-2.5);
    assert.ok(Math.abs(tail / n - p) < 5 * Math.sqrt((p * (1 - p)) / n), `tail ${tail / n} vs ${p}`);
    xs.sort();
    const d = ksDistance(xs, normalCdf);
    assert.ok(d < critical, `KS ${d} ≥ ${critical}`);
  });

  it("normal: the tail beyond r (base layer) has the right mass and shape", () => {
    // Draws beyond r are rare (2Φ(−r) ≈ 2.6e-4); condition on them via many draws.
    const rng = new Xoshiro128(12);
    const z = normalSampler();
    const r = z.tailStart;
    const m = 4_000_000;
    const beyond: number[] = [];
    for (let i = 0; i < m; i++) {
      const x = Math.abs(z.sample(rng));
      if (x > r) beyond.push(x);
    }
    const p = 2 * normalCdf(-r);
    assert.ok(
      Math.abs(beyond.length / m - p) < 5 * Math.sqrt(p / m),
      `tail mass ${beyond.length / m} vs ${p}`,
    );
    const sorted = Float64Array.from(beyond).sort();
    const tailCdf = (x: number) => 1 - normalCdf(-x) / normalCdf(-r);
    const d = ksDistance(sorted, tailCdf);
    assert.ok(d < 1.9495 / Math.sqrt(sorted.length), `tail KS ${d}`);
  });

  for (const nu of [2.5, 4, 30]) {
    it(`Student-t ν = ${nu}: KS distance to T_ν below the 0.1 % critical value`, () => {
      const rng = new Xoshiro128(100 + nu);
      const xs = new Float64Array(n);
      studentTSampler(nu).fill(rng, xs);
      xs.sort();
      const d = ksDistance(xs, (x) => studentTCdf(x, nu));
      assert.ok(d < critical, `KS ${d} ≥ ${critical}`);
    });
  }

  it("Student-t tail beyond r (ν = 3): conditional KS below the 0.1 % critical value", () => {
    const rng = new Xoshiro128(13);
    const z = studentTSampler(3);
    const r = z.tailStart;
    const beyond: number[] = [];
    for (let i = 0; i < 3_000_000; i++) {
      const x = Math.abs(z.sample(rng));
      if (x > r) beyond.push(x);
    }
    const sorted = Float64Array.from(beyond).sort();
    const d = ksDistance(sorted, (x) => 1 - studentTCdf(-x, 3) / studentTCdf(-r, 3));
    assert.ok(sorted.length > 500, `${sorted.length} tail draws`);
    assert.ok(d < 1.9495 / Math.sqrt(sorted.length), `tail KS ${d}`);
  });

  it("unit-variance t (ν = 8): variance 1 and scale √((ν−2)/ν)", () => {
    const z = studentTSampler(8, true);
    assertNear(z.scale, Math.sqrt(6 / 8), 1e-15);
    const rng = new Xoshiro128(14);
    const xs = new Float64Array(n);
    z.fill(rng, xs);
    let sq = 0;
    for (const x of xs) sq += x * x;
    // Var(X²) = E X⁴ − 1 with kurtosis 3 + 6/(ν−4) = 4.5 → se of the mean of X² is √(3.5/n).
    assert.ok(Math.abs(sq / n - 1) < 5 * Math.sqrt(3.5 / n), `variance ${sq / n}`);
    const sorted = xs.sort();
    const d = ksDistance(sorted, (x) => studentTCdf(x / z.scale, 8));
    assert.ok(d < critical, `KS ${d}`);
  });

  it("fill with a location and a factor writes location + factor·z for the same draws z (normal and t, tails included)", () => {
    for (const z of [normalSampler(), studentTSampler(4, true)]) {
      const plain = new Float64Array(5_000);
      const moved = new Float64Array(5_000);
      const a = new Xoshiro128(15);
      const b = new Xoshiro128(15);
      for (let round = 0; round < 3; round++) {
        z.fill(a, plain);
        z.fill(b, moved, -0.25, 3e-3);
        for (let k = 0; k < plain.length; k++) {
          assert.equal(moved[k], -0.25 + 3e-3 * (plain[k] as number), `draw ${k}`);
        }
      }
      assert.deepEqual(a.getState(), b.getState());
    }
  });

  it("rejects ν ≤ 1, and ν ≤ 2 for unit variance", () => {
    assert.throws(() => studentTSampler(1), RangeError);
    assert.throws(() => studentTSampler(2, true), RangeError);
  });
});

describe("SphericalTSampler (multivariate t from its conditionals, Ding 2016)", () => {
  // The spherical t_ν(0, I_d) is pinned down by its marginals (t_ν) and the law of its radius:
  // ‖V‖²/d ~ F(d, ν), whose distribution function is I_{dx/(dx+ν)}(d/2, ν/2) (A&S 26.6.2).
  for (const [nu, dim] of [
    [4, 2],
    [3, 5],
    [7.5, 3],
  ] as const) {
    it(`ν ${nu}, d ${dim}: every coordinate t_ν and ‖V‖²/d ~ F(d, ν) by KS at the 0.1 % level`, () => {
      const rows = 20_000;
      const out = new Float64Array(rows * dim);
      new SphericalTSampler(nu, dim).fill(new Xoshiro128(61), out);
      const critical = 1.9495 / Math.sqrt(rows);
      for (let k = 0; k < dim; k++) {
        const coordinate = Float64Array.from({ length: rows }, (_, r) => out[r * dim + k] as number);
        const d = ksDistance(coordinate.sort(), (x) => studentTCdf(x, nu));
        assert.ok(d < critical, `coordinate ${k}: KS ${d}`);
      }
      const radius = Float64Array.from({ length: rows }, (_, r) => {
        let s = 0;
        for (let k = 0; k < dim; k++) s += (out[r * dim + k] as number) ** 2;
        return s / dim;
      });
      const d = ksDistance(radius.sort(), (x) =>
        regularizedBeta((dim * x) / (dim * x + nu), dim / 2, nu / 2),
      );
      assert.ok(d < critical, `radius: KS ${d}`);
      // Independent normals scaled by separate χ² draws would pass the marginals but not the radius.
    });
  }

  it("rejects a length that is not a whole number of rows", () => {
    assert.throws(
      () => new SphericalTSampler(4, 3).fill(new Xoshiro128(1), new Float64Array(10)),
      RangeError,
    );
  });
});

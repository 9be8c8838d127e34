import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Xoshiro128 } from "../../src/math/random.js";

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

/**
 * auctionPriceFloat (src/venues/maker-clip.ts), the float screen of the Clipper's price curves, against
 * the exact dss arithmetic of auctionPrice (dss `src/abaci.sol`) on all three curves.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RAY } from "../../src/math/fixed-point.js";
import { auctionPrice, auctionPriceFloat, type PriceCurve } from "../../src/venues/maker-clip.js";

const curves: PriceCurve[] = [
  { kind: "linear", tau: 3_600n },
  { kind: "stairstep", cut: (99n * RAY) / 100n, step: 90n },
  { kind: "exponential", cut: 999_230_132_966_000_000_000_000_000n },
];

describe("auctionPriceFloat", () => {
  it("agrees with the exact price to 1e-12 relative (or 1e-12 DAI) on every curve", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...curves),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 9_000 }),
        (curve, top, dur) => {
          const exact = Number(auctionPrice(curve, BigInt(top) * RAY, BigInt(dur))) / 1e27;
          const float = auctionPriceFloat(curve, top, dur);
          return Math.abs(float - exact) <= 1e-12 * Math.max(1, exact);
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });

  it("is 0 from tau on the linear curve and top·0.99^⌊dur/90⌋ on the stairstep (dss clip.t.sol: 5 → 2.7357… at 60 s, 1 s steps)", () => {
    assert.equal(auctionPriceFloat({ kind: "linear", tau: 3_600n }, 1_000, 3_600), 0);
    assert.ok(Math.abs(auctionPriceFloat({ kind: "linear", tau: 3_600n }, 1_000, 360) - 900) < 1e-12);
    const stair = { kind: "stairstep", cut: (99n * RAY) / 100n, step: 1n } as const;
    assert.ok(Math.abs(auctionPriceFloat(stair, 5, 60) - 2.735_783_211_953_807) < 1e-12);
  });
});

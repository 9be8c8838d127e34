/**
 * Square-root impact law and its least-squares fits (src/risk/impact.ts).
 *
 * Formula: Tóth et al. (2011), I(Q) = Y σ_D √(Q/V_D) (quant.md §3.9). Reference fits: numpy
 * (`np.dot` through the origin; `np.polyfit` of log I on log Q/V_D) in
 * `python3 scripts/reference/liquidity_bitmex_book.py` → test/fixtures/liquidity-bitmex-book.json,
 * on the slippage of sell orders of $10k–$50M walked through the final rebuilt XBTUSD book.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { bitmexBookSnapshots, readBitmexRecording } from "../../src/market/bitmex-recording.js";
import { fitSquareRootImpact, impactPointsFromBook, squareRootImpact } from "../../src/risk/impact.js";
import { assertNear, assertRel } from "../helpers/close.js";

const FIT = (
  JSON.parse(readFileSync(new URL("../fixtures/liquidity-bitmex-book.json", import.meta.url), "utf8")) as {
    sqrtFit: {
      sigmaDaily: number;
      dailyVolumeQuote: number;
      sizesQuote: number[];
      impacts: number[];
      yFixedExponent: number;
      yFreeExponent: number;
      exponent: number;
    };
  }
).sqrtFit;

describe("squareRootImpact", () => {
  it("Y = 1, σ_D = 2 %, Q = 1 % of daily volume → 0.2 %; quadrupling Q doubles it", () => {
    const m = { y: 1, dailyVol: 0.02, dailyVolume: 1e9, exponent: 0.5 };
    assertNear(squareRootImpact(1e7, m), 0.002, 1e-15, "1 % of ADV");
    assertNear(squareRootImpact(4e7, m), 0.004, 1e-15, "4 % of ADV");
  });
});

describe("fitSquareRootImpact", () => {
  const text = readBitmexRecording(
    new URL(
      "../../data/orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt",
      import.meta.url,
    ).pathname,
  );
  const books = bitmexBookSnapshots(text, "XBTUSD");
  const last = books[books.length - 1];
  assert.ok(last !== undefined);
  const points = impactPointsFromBook(last, "sell", FIT.sizesQuote, "quote");
  const scale = { dailyVol: FIT.sigmaDaily, dailyVolume: FIT.dailyVolumeQuote };

  it("points from the XBTUSD book walk equal numpy's", () => {
    points.forEach((p, i) => {
      assertNear(p.impact, FIT.impacts[i] as number, 1e-12, `size ${p.size}`);
    });
  });

  it(`δ fixed at ½: Y = ${FIT.yFixedExponent.toFixed(4)} (numpy, through the origin)`, () => {
    const f = fitSquareRootImpact(points, scale);
    assertRel(f.model.y, FIT.yFixedExponent, 1e-10, "Y");
    assert.equal(f.model.exponent, 0.5);
    assert.equal(f.exponentFitted, false);
  });

  it(`δ fitted: Y = ${FIT.yFreeExponent.toFixed(4)}, δ = ${FIT.exponent.toFixed(4)} (numpy polyfit in logs)`, () => {
    const f = fitSquareRootImpact(points, scale, { fitExponent: true });
    assertRel(f.model.y, FIT.yFreeExponent, 1e-9, "Y");
    assertRel(f.model.exponent, FIT.exponent, 1e-10, "δ");
    assert.ok(f.rSquared > 0 && f.rSquared <= 1);
  });

  it("property: exact data is recovered (Y and δ) with R² = 1", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        (y, exponent) => {
          const model = { y, dailyVol: 0.03, dailyVolume: 1e9, exponent };
          const pts = [1e5, 1e6, 1e7, 1e8].map((size) => ({ size, impact: squareRootImpact(size, model) }));
          const free = fitSquareRootImpact(pts, model, { fitExponent: true });
          assertRel(free.model.y, y, 1e-9, "Y");
          assertRel(free.model.exponent, exponent, 1e-9, "δ");
          const fixed = fitSquareRootImpact(pts, model, { exponent });
          assertRel(fixed.model.y, y, 1e-12, "Y fixed");
          assertNear(fixed.rmse, 0, 1e-15, "rmse");
        },
      ),
    );
  });

  it("refuses too few points, a zero impact in logs, a non-positive scale", () => {
    assert.throws(() => fitSquareRootImpact([], scale), InputError);
    assert.throws(
      () =>
        fitSquareRootImpact(
          [
            { size: 1, impact: 0 },
            { size: 2, impact: 1 },
          ],
          scale,
          { fitExponent: true },
        ),
      InputError,
    );
    assert.throws(
      () => fitSquareRootImpact([{ size: 1, impact: 1 }], { dailyVol: 0, dailyVolume: 1 }),
      InputError,
    );
  });
});

/**
 * Mark-price rules of Binance (src/venues/binance-mark-price.ts) and Hyperliquid
 * (src/venues/hyperliquid-mark-price.ts), and the medians under them (src/math/median.ts).
 *
 * Neither venue publishes a worked numeric example of its mark price (Binance FAQ 360033525071 and
 * the COIN-M mark-price page; Hyperliquid "Robust price indices"), so the rules are checked on
 * hand-built inputs against the docs' own wording: Binance's "If Price 1 < Price 2 < Contract Price,
 * then take Price 2 as Mark price", Price 1 = index × (1 + rate × time until funding / interval),
 * Price 2 = index + the mean of the last 30 one-second basis points; Hyperliquid's EMA recursion
 * (numerator/denominator with e^{−t/2.5 min}), checked against its closed form
 * `Σ s_k e^{−(n−k)Δ/τ} / Σ e^{−(n−k)Δ/τ}` for equal steps Δ, and its "if exactly two of the three
 * inputs exist, the 30-second EMA … is also added". Properties: every mark lies within the range of
 * its inputs (a median's bound).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { median3, weightedMedian } from "../../src/math/median.js";
import { binancePerpMarkPath, binancePerpMarkPrice } from "../../src/venues/binance-mark-price.js";
import {
  hyperliquidEmaUpdate,
  hyperliquidMarkPath,
  hyperliquidMarkPrice,
  hyperliquidOraclePrice,
} from "../../src/venues/hyperliquid-mark-price.js";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const price = fc.double({ min: 1, max: 1e5, noNaN: true });

describe("median3 and weightedMedian", () => {
  it("takes the middle value in every order, NaN when an input is NaN", () => {
    for (const [a, b, c] of [
      [1, 2, 3],
      [1, 3, 2],
      [2, 1, 3],
      [2, 3, 1],
      [3, 1, 2],
      [3, 2, 1],
    ] as const)
      assert.equal(median3(a, b, c), 2);
    assert.equal(median3(5, 5, 1), 5);
    assert.ok(Number.isNaN(median3(1, Number.NaN, 3)));
  });

  it("weighted median: the value where the cumulative weight passes half, midpoint at exactly half", () => {
    assert.equal(weightedMedian([30, 10, 20], [2, 3, 2]), 20); // cumulative 3, 5 > 3.5
    assert.equal(weightedMedian([10, 20], [1, 1]), 15);
    assert.equal(weightedMedian([10, 20, 40], [1, 2, 1]), 20);
    assert.equal(weightedMedian([10, Number.NaN, 40], [1, 5, 2]), 40); // NaN does not vote
    assert.throws(() => weightedMedian([1, 2], [1, 0]), InputError);
    assert.throws(() => weightedMedian([1, 2], [1]), InputError);
  });

  it("property: with equal weights it is the ordinary median, and it lies within [min, max]", () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 15 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 15, maxLength: 15 }),
        (xs, ws) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const n = sorted.length;
          const median =
            n % 2 === 1
              ? (sorted[(n - 1) / 2] as number)
              : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
          close(
            weightedMedian(
              xs,
              xs.map(() => 1),
            ),
            median,
          );
          const wm = weightedMedian(xs, ws.slice(0, n));
          assert.ok(wm >= (sorted[0] as number) && wm <= (sorted[n - 1] as number));
        },
      ),
    );
  });
});

describe("Binance perpetual mark price", () => {
  const interval = 8 * 3600;

  it("takes Price 2 when Price 1 < Price 2 < Contract Price (the FAQ's stated case)", () => {
    // Price 1 = 100 × (1 + 0.0001 × 4/8) = 100.005; Price 2 = 100 + 0.2 = 100.2; last 100.5.
    const mark = binancePerpMarkPrice({
      indexPrice: 100,
      lastFundingRate: 0.0001,
      secondsToFunding: 4 * 3600,
      fundingIntervalSeconds: interval,
      basisAverage: 0.2,
      lastPrice: 100.5,
    });
    close(mark, 100.2);
  });

  it("takes Price 1 when it is the middle one (a high funding rate, last trade above)", () => {
    // Price 1 = 100 × (1 + 0.003 × 8/8) = 100.3; Price 2 = 99.9; last 101.
    close(
      binancePerpMarkPrice({
        indexPrice: 100,
        lastFundingRate: 0.003,
        secondsToFunding: interval,
        fundingIntervalSeconds: interval,
        basisAverage: -0.1,
        lastPrice: 101,
      }),
      100.3,
    );
  });

  it("path: the basis average over the last 30 one-second points and the time to funding match a direct computation", () => {
    const n = 120;
    const index = new Float64Array(n);
    const mid = new Float64Array(n);
    const last = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = 100 + 0.01 * i;
      const m = x + 0.5 * Math.sin(i / 7);
      index[i] = x;
      mid[i] = m;
      last[i] = m + (i % 3 === 0 ? 0.3 : -0.3);
    }
    const out = new Float64Array(n);
    const rate = 0.0005;
    binancePerpMarkPath(
      index,
      mid,
      last,
      rate,
      { stepSeconds: 1, firstFundingSeconds: 60, fundingIntervalSeconds: 3600 },
      out,
    );
    for (let i = 0; i < n; i++) {
      const from = Math.max(0, i - 29);
      let sum = 0;
      for (let k = from; k <= i; k++) sum += (mid[k] as number) - (index[k] as number);
      const toFunding = i < 60 ? 60 - i : i === 60 ? 3600 : 3600 - (i - 60);
      const p1 = (index[i] as number) * (1 + (rate * toFunding) / 3600);
      const p2 = (index[i] as number) + sum / (i - from + 1);
      const sorted = [p1, p2, last[i] as number].sort((a, b) => a - b);
      close(out[i] as number, sorted[1] as number);
    }
  });

  it("path refuses paths of different lengths and a non-positive step, naming the field", () => {
    const a = new Float64Array(3);
    assert.throws(() => binancePerpMarkPath(a, new Float64Array(2), a, 0, { stepSeconds: 1 }, a), /mid/);
    assert.throws(() => binancePerpMarkPath(a, a, a, 0, { stepSeconds: 0 }, a), /stepSeconds/);
  });

  it("property: the mark lies within [min, max] of Price 1, Price 2 and the last price", () => {
    fc.assert(
      fc.property(
        price,
        fc.double({ min: -0.003, max: 0.003, noNaN: true }),
        fc.double({ min: 0, max: interval, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        price,
        (index, r, tau, basis, last) => {
          const mark = binancePerpMarkPrice({
            indexPrice: index,
            lastFundingRate: r,
            secondsToFunding: tau,
            fundingIntervalSeconds: interval,
            basisAverage: basis,
            lastPrice: last,
          });
          const inputs = [index * (1 + (r * tau) / interval), index + basis, last];
          assert.ok(mark >= Math.min(...inputs) && mark <= Math.max(...inputs));
        },
      ),
    );
  });
});

describe("Hyperliquid oracle and mark price", () => {
  it("oracle: weighted median with the docs' weights 3, 2, 2, 1, …", () => {
    // sorted 99 (bybit 2), 100 (binance 3), 101 (okx 2), 103 (kraken 1); W = 8, cumulative 2, 5 > 4.
    assert.equal(hyperliquidOraclePrice({ binance: 100, okx: 101, bybit: 99, kraken: 103 }), 100);
    // Binance's weight of 3 against four weight-1 sources above it: W = 7, cumulative 3, then 4 > 3.5.
    assert.equal(
      hyperliquidOraclePrice({ binance: 100, kraken: 110, kucoin: 111, gate: 112, mexc: 113 }),
      110,
    );
    assert.throws(() => hyperliquidOraclePrice({ coinbase: 100 }), /spotMid\.coinbase/);
  });

  it("EMA: the docs' recursion equals the closed form Σ s_k e^{−(n−k)Δ/τ} / Σ e^{−(n−k)Δ/τ}", () => {
    const samples = [3, -1, 4, 1, -5, 9, 2, 6, -5, 3];
    const ema = { numerator: 0, denominator: 0 };
    samples.forEach((s, n) => {
      const got = hyperliquidEmaUpdate(ema, s, 3, 150);
      let num = 0;
      let den = 0;
      for (let k = 0; k <= n; k++) {
        const w = Math.exp((-(n - k) * 3) / 150);
        num += (samples[k] as number) * w;
        den += w;
      }
      close(got, num / den);
    });
    const constant = { numerator: 0, denominator: 0 };
    for (let k = 0; k < 5; k++) close(hyperliquidEmaUpdate(constant, 7, 1 + k, 30), 7);
  });

  it("mark: the median of oracle + basis EMA, the book median and the external perp median", () => {
    const x = {
      oraclePrice: 100,
      basisEma: 0.2,
      bestBid: 100.1,
      bestAsk: 100.3,
      lastTrade: 100.25,
      externalPerpMid: 100.15,
      bookEma: 100.22,
    };
    close(hyperliquidMarkPrice(x), 100.2); // median(100.2, 100.25, 100.15)
    // Exactly two inputs: the 30-second book EMA joins the median.
    close(hyperliquidMarkPrice({ ...x, externalPerpMid: Number.NaN }), 100.22); // median(100.2, 100.25, 100.22)
    close(hyperliquidMarkPrice({ ...x, externalPerpMid: Number.NaN, bookEma: 100.5 }), 100.25);
    close(hyperliquidMarkPrice({ ...x, oraclePrice: Number.NaN }), 100.22); // median(100.25, 100.15, 100.22)
    close(hyperliquidMarkPrice({ ...x, oraclePrice: Number.NaN, bestBid: Number.NaN }), 100.15);
  });

  it("path: the EMAs run on the step's samples and the mark follows the rule at every step", () => {
    const n = 50;
    const oracle = new Float64Array(n);
    const bid = new Float64Array(n);
    const ask = new Float64Array(n);
    const last = new Float64Array(n);
    const ext = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = 100 + Math.sin(i / 5);
      const b = o + 0.3 - 0.01 * i;
      oracle[i] = o;
      bid[i] = b;
      ask[i] = b + 0.1;
      last[i] = b + (i % 2 === 0 ? 0 : 0.1);
      ext[i] = o + 0.05;
    }
    const out = new Float64Array(n);
    hyperliquidMarkPath(
      { oracle, bestBid: bid, bestAsk: ask, lastTrade: last, externalPerpMid: ext },
      3,
      out,
    );
    const basis = { numerator: 0, denominator: 0 };
    for (let i = 0; i < n; i++) {
      const e = hyperliquidEmaUpdate(
        basis,
        ((bid[i] as number) + (ask[i] as number)) / 2 - (oracle[i] as number),
        3,
        150,
      );
      const book = [bid[i], ask[i], last[i]].sort((a, b) => (a as number) - (b as number))[1] as number;
      const want = [(oracle[i] as number) + e, book, ext[i] as number].sort((a, b) => a - b)[1] as number;
      close(out[i] as number, want);
    }
  });

  it("property: the mark lies within [min, max] of its inputs", () => {
    fc.assert(
      fc.property(
        price,
        fc.double({ min: -5, max: 5, noNaN: true }),
        price,
        price,
        price,
        fc.option(price, { nil: Number.NaN }),
        price,
        (oracle, basis, b, a, l, ext, bookEma) => {
          const x = {
            oraclePrice: oracle,
            basisEma: basis,
            bestBid: b,
            bestAsk: a,
            lastTrade: l,
            externalPerpMid: ext,
            bookEma,
          };
          const mark = hyperliquidMarkPrice(x);
          const inputs = [oracle + basis, median3(b, a, l), Number.isNaN(ext) ? bookEma : ext];
          assert.ok(mark >= Math.min(...inputs) && mark <= Math.max(...inputs));
        },
      ),
    );
  });
});

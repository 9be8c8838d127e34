/**
 * Oracle models of the venue simulator (src/sim/venue/oracle-*.ts).
 *
 * Sources: the push oracle's trigger rule from Chainlink's Data Feeds docs (deviation threshold or
 * heartbeat), checked against API3's worked example of the same rule (docs.api3.org, "Deviation
 * thresholds": 23.01, 1 %, a 24-hour heartbeat), on hand paths with exact update times and by
 * fast-check properties (with no
 * latency the seen price stays within the threshold of the true price; the seen price is never older
 * than heartbeat + latency); the OSM against makerdao/osm `src/osm.t.sol`
 * (`testNextValueChangedAfterOneHour`, `testFailBeforeOneHour`); CAPO against the contract's integer
 * formula in bgd-labs/aave-capo `PriceCapAdapterBase.sol` evaluated here with bigint on the wstETH
 * deployment of `scripts/DeployEthereum.s.sol` (snapshot ratio 1.157209899495068171, 9_68 a year),
 * and against the published 2026-03-10 wstETH incident (Chaos Labs post-mortem, governance.aave.com
 * thread 24269: snapshot ratio limited to about 1.1919, timestamp 7 days back, cap about 1.1939,
 * wstETH priced about 2.85 % below the market); the thin-book mark on a hand-built book.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { orderBookFromLevels } from "../../../src/market/orderbook.js";
import { capoMaxRatio, cappedOraclePath } from "../../../src/sim/venue/oracle-capped.js";
import { delayedOraclePath } from "../../../src/sim/venue/oracle-delayed.js";
import { pushOraclePath } from "../../../src/sim/venue/oracle-push.js";
import { thinBookMark, thinBookMarkPath } from "../../../src/sim/venue/oracle-thin-book.js";
import { assertNear, assertRel } from "../../helpers/close.js";

/** A random-walk price path from log-returns (fast-check arbitrary). */
const pricePath = (maxStep: number) =>
  fc
    .array(fc.double({ min: -maxStep, max: maxStep, noNaN: true }), { minLength: 2, maxLength: 300 })
    .map((r) => {
      const p = new Float64Array(r.length);
      let x = 100;
      r.forEach((d, i) => {
        x *= Math.exp(d);
        p[i] = x;
      });
      return p;
    });

describe("push oracle (deviation threshold + heartbeat)", () => {
  const path = Float64Array.from([100, 100.5, 101.2, 101, 101, 101, 101, 101, 99.9, 99.95]);

  it("updates exactly at the deviation and heartbeat triggers", () => {
    const out = new Float64Array(path.length);
    const run = pushOraclePath(path, 60, { deviation: 0.01, heartbeatSeconds: 300 }, out);
    // 120 s: |101.2 − 100|/100 = 1.2 % ≥ 1 %; 420 s: heartbeat (300 s after 120 s); 480 s: |99.9 − 101|/101 = 1.09 %.
    assert.deepEqual([...out], [100, 100, 101.2, 101.2, 101.2, 101.2, 101.2, 101, 99.9, 99.9]);
    // The oldest price shown is 240 s old (at 360 s): the heartbeat fires as the age reaches 300 s.
    assert.deepEqual(run, { updates: 3, heartbeatUpdates: 1, maxStalenessSeconds: 240 });
  });

  it("parity: API3's worked example of the same rule (1 %, 24 h): 23.01 → 23.02 at 11:14 is not pushed until the heartbeat at noon", () => {
    // docs.api3.org/reference/dapis/understand/deviations.html: updated at noon on Tuesday to 23.01; at
    // 11:14 on Wednesday the value becomes 23.02, no update (1 % of 23.01 would be 23.2401); at noon the
    // 24-hour heartbeat forces an update to 23.02. One-minute steps from Tuesday noon.
    const n = 24 * 60 + 2;
    const p = new Float64Array(n).fill(23.01);
    p.fill(23.02, 23 * 60 + 14);
    const out = new Float64Array(n);
    const run = pushOraclePath(p, 60, { deviation: 0.01, heartbeatSeconds: 86_400 }, out);
    assert.equal(run.updates, 1);
    assert.equal(run.heartbeatUpdates, 1);
    assert.equal(out[24 * 60 - 1], 23.01); // 11:59 on Wednesday
    assert.equal(out[24 * 60], 23.02); // noon
    // Around the doc's threshold 23.2401: 23.24 is not pushed, 23.25 is.
    for (const [value, pushed] of [
      [23.24, false],
      [23.25, true],
    ] as const) {
      const q = Float64Array.from([23.01, value]);
      const seen = new Float64Array(2);
      pushOraclePath(q, 60, { deviation: 0.01, heartbeatSeconds: 86_400 }, seen);
      assert.equal(seen[1], pushed ? value : 23.01);
    }
  });

  it("a latency delays every answer by whole steps, the start answer shown meanwhile", () => {
    const out = new Float64Array(path.length);
    const run = pushOraclePath(path, 60, { deviation: 0.01, heartbeatSeconds: 300, latencySeconds: 90 }, out);
    // 90 s → 2 steps: the round of 120 s is seen at 240 s.
    assert.deepEqual([...out], [100, 100, 100, 100, 101.2, 101.2, 101.2, 101.2, 101.2, 101]);
    assert.equal(run.maxStalenessSeconds, 240 + 120);
  });

  it("refuses a bad threshold, heartbeat or path, naming the field", () => {
    const out = new Float64Array(path.length);
    assert.throws(() => pushOraclePath(path, 60, { deviation: 0, heartbeatSeconds: 300 }, out), /deviation/);
    assert.throws(
      () => pushOraclePath(path, 60, { deviation: 0.01, heartbeatSeconds: -1 }, out),
      /heartbeatSeconds/,
    );
    assert.throws(
      () => pushOraclePath(path, 60, { deviation: 0.01, heartbeatSeconds: 1 }, new Float64Array(3)),
      InputError,
    );
  });

  it("property: with no latency the seen price is within the threshold of the true price at every step", () => {
    fc.assert(
      fc.property(pricePath(0.01), fc.double({ min: 0.001, max: 0.05, noNaN: true }), (p, dev) => {
        const out = new Float64Array(p.length);
        pushOraclePath(p, 1, { deviation: dev, heartbeatSeconds: 3600 }, out);
        for (let i = 0; i < p.length; i++) {
          const seen = out[i] as number;
          assert.ok(seen === p[i] || Math.abs((p[i] as number) - seen) < dev * seen);
        }
      }),
    );
  });

  it("property: the seen price is a past true price no older than heartbeat + latency", () => {
    fc.assert(
      fc.property(
        pricePath(0.02),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        (p, beats, lagSteps) => {
          const step = 3;
          const heartbeat = beats * step;
          const latency = lagSteps * step;
          const out = new Float64Array(p.length);
          const run = pushOraclePath(
            p,
            step,
            { deviation: 0.005, heartbeatSeconds: heartbeat, latencySeconds: latency },
            out,
          );
          assert.ok(run.maxStalenessSeconds <= heartbeat + latency);
          for (let j = 0; j < p.length; j++) {
            // The shown value is the true price of some step within the bound before j.
            const oldest = Math.max(0, j - (heartbeat + latency) / step);
            let found = false;
            for (let i = oldest; i <= j && !found; i++) found = p[i] === out[j];
            assert.ok(found, `step ${j}: ${out[j]} is no true price of the last ${heartbeat + latency} s`);
          }
        },
      ),
    );
  });
});

describe("delayed oracle (Maker OSM)", () => {
  it("osm.t.sol testNextValueChangedAfterOneHour: reads 1, then 2, then 3, one hour behind the source", () => {
    const source = Float64Array.from([1, 2, 2, 3, 3, 3, 3]);
    const out = new Float64Array(source.length);
    const run = delayedOraclePath(source, 1800, {}, out);
    assert.deepEqual([...out], [1, 1, 1, 1, 2, 2, 3]);
    assert.equal(run.pokes, 3);
  });

  it("osm.t.sol testFailBeforeOneHour: no poke before the hop has passed", () => {
    const out = new Float64Array(2);
    assert.equal(delayedOraclePath(Float64Array.from([1, 2]), 1800, {}, out).pokes, 0);
    assert.deepEqual([...out], [1, 1]);
  });

  it("hops fall on the clock (prev(now) = now − now mod hop) and a late keeper delays the switch", () => {
    const source = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = new Float64Array(source.length);
    // Deployed at 00:45 (startSeconds 2700) with 15-minute steps: pokes at 01:00 (zzz = 00:00 + 1 h).
    delayedOraclePath(source, 900, { startSeconds: 2700 }, out);
    assert.deepEqual([...out], [1, 1, 1, 1, 1, 2, 2, 2]); // pokes at 01:00 (cur 1, nxt 2) and 02:00 (cur 2)
    delayedOraclePath(source, 900, { startSeconds: 2700, pokeDelaySeconds: 600 }, out);
    // Pokes at 01:15 (cur 1, nxt = the source at 01:15, 3) and 02:15 (cur 3).
    assert.deepEqual([...out], [1, 1, 1, 1, 1, 1, 3, 3]);
  });

  it("refuses a spec field out of its bounds, naming it, and takes the defaults of absent ones", () => {
    const out = new Float64Array(2);
    const source = Float64Array.from([1, 2]);
    assert.throws(
      () => delayedOraclePath(source, 1800, { hopSeconds: 0 }, out),
      /hopSeconds.*greater than 0/,
    );
    assert.throws(
      () => delayedOraclePath(source, 1800, { pokeDelaySeconds: -1 }, out),
      /pokeDelaySeconds.*at least 0/,
    );
    assert.throws(() => delayedOraclePath(source, 1800, { startSeconds: Number.NaN }, out), /startSeconds/);
    // hop 1,800 s instead of the default hour: poked at the second step.
    assert.equal(delayedOraclePath(source, 1800, { hopSeconds: 1800 }, out).pokes, 1);
  });

  it("property: poked on time, the price in force is between one and two hops old", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 400 }), fc.constantFrom(60, 300, 900, 1800), (n, step) => {
        const source = Float64Array.from({ length: n }, (_, i) => i); // the value is its own step
        const out = new Float64Array(n);
        delayedOraclePath(source, step, {}, out);
        for (let i = 0; i < n; i++) {
          const age = (i - (out[i] as number)) * step;
          if (i * step >= 3600) assert.ok(age >= 3600 && age < 7200, `age ${age} at ${i * step}`);
          else assert.equal(out[i], 0);
        }
      }),
    );
  });
});

describe("capped oracle (Aave CAPO)", () => {
  // scripts/DeployEthereum.s.sol, wstETHAdapterCode: snapshotRatio 1_157209899495068171, 9_68, Feb-15-2024.
  const SNAPSHOT = 1_157209899495068171n;
  const snapshotRatio = Number(SNAPSHOT) / 1e18;
  const GROWTH_BPS = 968n;

  /** PriceCapAdapterBase.sol in integers: the scaled per-second growth, maxRatio and the price. */
  function contractPrice(
    basePrice: bigint,
    ratio: bigint,
    elapsed: bigint,
  ): { maxRatio: bigint; price: bigint } {
    const perSecondScaled = (SNAPSHOT * GROWTH_BPS * 1_000_000n) / 10_000n / 31_536_000n;
    const maxRatio = SNAPSHOT + (perSecondScaled * elapsed) / 1_000_000n;
    const r = ratio > maxRatio ? maxRatio : ratio;
    return { maxRatio, price: (basePrice * r) / 10n ** 18n };
  }

  it("matches the contract's integer formula for the wstETH deployment (to 1e-11)", () => {
    const spec = { snapshotRatio, snapshotSeconds: 0, maxYearlyGrowth: 0.0968 };
    for (const [days, ratio] of [
      [30, 1_160000000000000000n], // below the cap: passes
      [30, 1_170000000000000000n], // above the cap 1.16641…: capped
      [365, 1_300000000000000000n], // a year on: cap = 1.157… × 1.0968
    ] as const) {
      const elapsed = days * 86_400;
      const base = 250_012_345_678n; // ETH/USD 2,500.12345678 with 8 decimals
      const want = contractPrice(base, ratio, BigInt(elapsed));
      assertRel(capoMaxRatio(spec, elapsed), Number(want.maxRatio) / 1e18, 1e-12, `cap at ${days} d`);
      const out = new Float64Array(1);
      const path = new Float64Array([Number(base) / 1e8]);
      cappedOraclePath(path, Number(ratio) / 1e18, 1, { ...spec, snapshotSeconds: -elapsed }, out);
      assertRel(out[0], Number(want.price) / 1e8, 1e-11, `price at ${days} d`);
    }
    assertNear(capoMaxRatio(spec, 30 * 86_400), 1.1664169, 5e-8, "the TSDoc example");
  });

  it("reproduces the 2026-03-10 wstETH under-pricing: cap ≈ 1.1939, about 2.85 % below the market", () => {
    // The snapshot ratio could rise only 3 % (1.1572 → ~1.1919) while its timestamp moved to 7 days back.
    const spec = {
      snapshotRatio: snapshotRatio * 1.03,
      snapshotSeconds: -7 * 86_400,
      maxYearlyGrowth: 0.0968,
    };
    const cap = capoMaxRatio(spec, 0);
    assertNear(cap, 1.1939, 0.0005, "published cap ≈ 1.1939");
    // The market ratio: the 7-day-old rate 1.2282 grown at wstETH's ~2.8 % staking yield (assumed) for 7 days.
    const market = 1.2282 * (1 + (0.028 * 7) / 365);
    const out = new Float64Array(1);
    const run = cappedOraclePath(new Float64Array([2000]), market, 1, spec, out);
    assert.equal(run.cappedSteps, 1);
    assertNear(1 - (out[0] as number) / (2000 * market), 0.0285, 0.001, "published under-pricing ≈ 2.85 %");
  });

  it("property: the capped price never exceeds base × ratio and equals it when the ratio is under the cap", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.array(fc.double({ min: 0.5, max: 2.5, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (snapshot, growth, ratios) => {
          const spec = { snapshotRatio: snapshot, snapshotSeconds: -86_400, maxYearlyGrowth: growth };
          const ratio = Float64Array.from(ratios);
          const base = new Float64Array(ratio.length).fill(3000);
          const out = new Float64Array(ratio.length);
          const run = cappedOraclePath(base, ratio, 3600, spec, out);
          let capped = 0;
          ratio.forEach((r, i) => {
            const cap = capoMaxRatio(spec, i * 3600);
            assert.ok((out[i] as number) <= 3000 * r * (1 + 1e-15));
            if (r <= cap) assert.equal(out[i], 3000 * r);
            else capped++;
          });
          assert.equal(run.cappedSteps, capped);
        },
      ),
    );
  });

  it("prices at 0 when the base price or the ratio is not positive (latestAnswer)", () => {
    const out = new Float64Array(2);
    cappedOraclePath(
      Float64Array.from([0, 2000]),
      Float64Array.from([1.1, -1]),
      1,
      { snapshotRatio: 1, snapshotSeconds: 0, maxYearlyGrowth: 0.1 },
      out,
    );
    assert.deepEqual([...out], [0, 0]);
    assert.throws(
      () => cappedOraclePath(out, 1, 1, { snapshotRatio: 0, snapshotSeconds: 0, maxYearlyGrowth: 0.1 }, out),
      /snapshotRatio/,
    );
  });
});

describe("thin-book collateral mark", () => {
  const usde = orderBookFromLevels({
    symbol: "USDEUSDT",
    timeMs: 0,
    bidPrice: [0.999, 0.99, 0.9, 0.65],
    bidSize: [1000, 2000, 5000, 50_000],
    askPrice: [1.001],
    askSize: [1000],
  }).book;

  it("walks the bids for the sale: VWAP or the last level reached", () => {
    const vwap = thinBookMark(usde, 10_000);
    assertNear(vwap.mark, (999 + 1980 + 4500 + 1300) / 10_000, 1e-12);
    assertNear(vwap.discount, 1 - 0.8779, 1e-12);
    const marginal = thinBookMark(usde, 10_000, "marginal");
    assert.equal(marginal.mark, 0.65);
    assert.equal(marginal.exhausted, false);
    assert.equal(thinBookMark(usde, 0).mark, 1);
  });

  it("flags a sale the bids cannot absorb", () => {
    const m = thinBookMark(usde, 100_000, "marginal");
    assert.equal(m.exhausted, true);
    assert.equal(m.mark, 0.65);
  });

  it("path: the mark moves with the price at the book's relative discount", () => {
    const price = Float64Array.from([1, 0.99, 1.01]);
    const out = new Float64Array(3);
    const m = thinBookMarkPath(price, usde, 10_000, "vwap", out);
    for (let i = 0; i < price.length; i++)
      assertNear(out[i], ((price[i] as number) * m.mark) / m.midPrice, 1e-15);
    assert.throws(() => thinBookMark(usde, 1, "last" as "vwap"), /rule/);
  });
});

/**
 * The minute market of a Maker day (src/sim/venue/maker-day-market.ts) on the bundled hourly ETHUSDT
 * perpetual candles of 2020-03-12/13: the bridge passes through each bar's open, clipped high and low,
 * and close; the OSM price is the price at the start of the previous hour (dss `osm.sol`, `hop` = 1 h);
 * gas follows each hour's range.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CandleSeries } from "../../../src/market/candles.js";
import { BLACK_THURSDAY_DEFAULTS, readEthHourly } from "../../../src/sim/venue/black-thursday.js";
import { makerDayMarket } from "../../../src/sim/venue/maker-day-market.js";

const candles = readEthHourly();
const spec = BLACK_THURSDAY_DEFAULTS.market;
const market = makerDayMarket(candles, spec);
const bar = (ms: number) => candles.time.indexOf(ms);
const T0 = Date.UTC(2020, 2, 12);

describe("makerDayMarket (2020-03-12/13)", () => {
  it("one value per minute from 2020-03-12 00:00 for 54 hours", () => {
    assert.equal(market.time.length, 54 * 60);
    assert.equal(market.time[0], T0);
    assert.equal(market.time[60], T0 + 3_600_000);
  });

  it("passes through the bar's open, high/low (15 and 45 min) and the next open", () => {
    const i = bar(T0 + 10 * 3_600_000); // 10:00, a down bar: O 168.27 H 168.99 L 122.73 C 131.74
    const m = 10 * 60;
    assert.equal(market.price[m], candles.open[i]);
    assert.equal(market.price[m + 15], candles.high[i]);
    assert.equal(market.price[m + 45], candles.low[i]);
    assert.ok(Math.abs((market.price[m + 30] as number) - (168.99 + 122.73) / 2) < 1e-9);
  });

  it("clips the 323 USD wick of 2020-03-13 02:00 at 1.15 × max(open, close)", () => {
    const t = T0 + 26 * 3_600_000;
    assert.deepEqual(market.clippedBars, [t]);
    const i = bar(t);
    const m = 26 * 60;
    assert.equal(candles.high[i], 323);
    // an up bar (95.73 → 110.8): the low first, then the clipped high
    assert.ok(Math.abs((market.price[m + 45] as number) - 1.15 * 110.8) < 1e-9);
  });

  it("reads the OSM price an hour behind: the price at the previous hour's start", () => {
    for (const m of [0, 59, 60, 11 * 60 + 30, 23 * 60 + 59, 30 * 60]) {
      const hourStart = T0 + Math.floor(m / 60) * 3_600_000;
      assert.equal(market.osm[m], candles.open[bar(hourStart - 3_600_000)], `minute ${m}`);
    }
    // 11:00–11:59 on the 12th the Vat still sees 10:00's 168.27 while ETH trades near 130
    assert.equal(market.osm[11 * 60 + 30], 168.27);
  });

  it("sets gas by the hour's range: 13 calm, 80 stressed (≥ 5 %), 200 in panic (≥ 10 %)", () => {
    assert.equal(market.gasGwei[0], 13); // 00:00 range 1.7 %
    assert.equal(market.gasGwei[60], 13); // 01:00 range 4.99 %
    assert.equal(market.gasGwei[6 * 60], 80); // 06:00 range 5.75 %
    assert.equal(market.gasGwei[10 * 60], 200); // 10:00 range 27 %
  });

  it("refuses candles that are not hourly or do not cover the window and the OSM delay", () => {
    const daily: CandleSeries = { ...candles, intervalMs: 86_400_000 };
    assert.throws(() => makerDayMarket(daily, spec), /candles.intervalMs/);
    assert.throws(
      () => makerDayMarket(candles, { ...spec, fromMs: Date.UTC(2019, 0, 1), toMs: Date.UTC(2019, 0, 2) }),
      /must hold every hour/,
    );
  });
});

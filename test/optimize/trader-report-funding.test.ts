/**
 * Funding as a series in `trader` (issue 10 §1): the rate assumed over the horizon is the mean of the
 * history's settlements over the candles the model is fitted on, so a report with the series is the
 * report with that mean as a constant rate (same seed), plus where the mean came from.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadFunding } from "../../src/cli/funding.js";
import { loadCandlesOption } from "../../src/cli/market-options.js";
import { InputError } from "../../src/errors.js";
import {
  fundingSeriesMean,
  type TraderReportOptions,
  traderReport,
} from "../../src/optimize/trader-report.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { ROOT } from "../helpers/cli.js";

const resolved = resolveAccountDocument(
  JSON.parse(readFileSync(join(ROOT, "examples", "isolated-btc.json"), "utf8")) as unknown,
);
const candles = loadCandlesOption("btc-1h", {}, 51).series;
const funding = loadFunding("btc-funding-8h", undefined).series;
const OPTIONS: TraderReportOptions = {
  positionIndex: 0,
  horizonHours: 24,
  alpha: 0.01,
  model: "garch",
  windowBars: 2000,
  fundingRatePerInterval: 0,
  recoveryHours: 24,
  takerFeeRate: 0.0005,
  slippageBps: 2,
  idleRatePerYear: 0.05,
  forfeitRemainder: true,
  paths: 500,
  seed: 3,
};
const n = candles.time.length;
const from = candles.time[n - 1 - 2000] as number;
const to = (candles.time[n - 1] as number) + 3_600_000;

describe("trader with a funding series", () => {
  it("averages the settlements inside the fitted candles' span", () => {
    const m = fundingSeriesMean(funding, from, to);
    const rates = Array.from(funding.rate).filter((_, i) => {
      const t = funding.time[i] as number;
      return t >= from && t < to;
    });
    assert.equal(m.settlements, rates.length);
    assert.ok(m.settlements > 200, `${m.settlements} settlements`);
    assert.ok(Math.abs(m.meanRatePerInterval - rates.reduce((a, r) => a + r, 0) / rates.length) < 1e-15);
    assert.equal(m.intervalHours, 8);
    assert.ok(Date.parse(m.from) >= from && Date.parse(m.to) < to);
  });

  it("is the report with the mean as a constant rate, and moves a long's P(liquidation) the way the mean charges", () => {
    const withSeries = traderReport(resolved, candles, { ...OPTIONS, fundingSeries: funding });
    const mean = fundingSeriesMean(funding, from, to);
    const constant = traderReport(resolved, candles, {
      ...OPTIONS,
      fundingRatePerInterval: mean.meanRatePerInterval,
    });
    const { fundingSeries, ...rest } = withSeries;
    assert.deepEqual(fundingSeries, mean);
    assert.deepEqual(rest, constant);
    const none = traderReport(resolved, candles, OPTIONS);
    assert.ok(mean.meanRatePerInterval > 0, "the bundled BTCUSDT funding is positive on average");
    assert.ok(withSeries.probability.probability > none.probability.probability);
    assert.equal("fundingSeries" in none, false);
  });

  it("refuses a series with a constant rate too, and one that does not cover the fitted candles", () => {
    assert.throws(
      () =>
        traderReport(resolved, candles, {
          ...OPTIONS,
          fundingSeries: funding,
          fundingRatePerInterval: 0.0001,
        }),
      (e: unknown) => e instanceof InputError && e.field === "--funding-rate",
    );
    // one settlement in 2030: none inside the fitted candles (2024-01 → 2024-04)
    const later = { ...funding, time: Float64Array.of(Date.UTC(2030, 0, 1)), rate: Float64Array.of(0.0001) };
    assert.throws(
      () => traderReport(resolved, candles, { ...OPTIONS, fundingSeries: later }),
      (e: unknown) => e instanceof InputError && e.field === "--funding" && /no settlement/.test(e.message),
    );
  });
});

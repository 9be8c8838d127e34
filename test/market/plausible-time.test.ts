/**
 * Market times outside 2009-01-03 … one day from now are refused by every time-series loader
 * (one shared check), with the row and the value, and a hint that the unit may be wrong.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { replayBitmexRecording } from "../../src/market/bitmex-recording.js";
import { candlesFromCcxt, parseCandleCsv } from "../../src/market/candles.js";
import { fundingFromCcxtHistory } from "../../src/market/funding.js";
import { parseDeribitEthChainCsv, parseDvolJson } from "../../src/market/options.js";
import { implausibleTimeProblem } from "../../src/market/row-order.js";

const YEAR_33706_MS = 1_001_516_400_000_000; // 2001-09-26 in microseconds, read as ms

function refused(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (err: unknown) => err instanceof InputError && pattern.test(err.message));
}

describe("plausible market times", () => {
  it("accepts 2009-01-03 to one day from now, refuses the rest", () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(implausibleTimeProblem(Date.UTC(2009, 0, 3), now), undefined);
    assert.equal(implausibleTimeProblem(now + 86_400_000, now), undefined);
    assert.match(implausibleTimeProblem(now + 86_400_001, now) ?? "", /one day from now/);
    assert.match(implausibleTimeProblem(Date.UTC(2009, 0, 2), now) ?? "", /2009-01-02/);
    assert.match(implausibleTimeProblem(YEAR_33706_MS, now) ?? "", /\+033706.*unit may be wrong/);
    assert.match(implausibleTimeProblem(Number.NaN, now) ?? "", /not a date/);
  });

  it("a candle in the year 33706 is a bad row under onBadRow", () => {
    const text = `Unix,Open,High,Low,Close,Volume\n1704067200000,1,2,1,2,5\n${YEAR_33706_MS},1,2,1,2,5\n`;
    refused(
      () => parseCandleCsv(text, "c.csv", { symbol: "X" }),
      /c\.csv row 3, column Unix: .*unit may be wrong/,
    );
    const loaded = parseCandleCsv(text, "c.csv", {
      symbol: "X",
      intervalMs: 86_400_000,
      onBadRow: "drop-and-report",
    });
    assert.equal(loaded.series.time.length, 1);
    assert.deepEqual(
      loaded.report.anomalies.map((a) => [a.kind, a.row, a.action]),
      [["implausible-time", 3, "dropped"]],
    );
  });

  it("ccxt candles in seconds do not load as 1970", () => {
    refused(
      () => candlesFromCcxt([[1_704_067_200, 1, 2, 1, 2, 5]], { symbol: "X" }),
      /ohlcv\[0\]\[0\]: .*1970.*unit may be wrong/,
    );
  });

  it("funding in microseconds is refused, or dropped and reported", () => {
    const history = [
      { symbol: "X", fundingRate: 0.0001, timestamp: 1_704_067_200_000 },
      { symbol: "X", fundingRate: 0.0001, timestamp: 1_704_096_000_000_000 },
    ];
    refused(() => fundingFromCcxtHistory(history), /fundingRateHistory\[1\]: .*unit may be wrong/);
    const loaded = fundingFromCcxtHistory(history, { onBadRow: "drop-and-report" });
    assert.equal(loaded.series.time.length, 1);
    assert.deepEqual(
      loaded.report.anomalies.map((a) => [a.kind, a.row]),
      [["implausible-time", 1]],
    );
  });

  it("a DVOL day in seconds is refused", () => {
    refused(() => parseDvolJson("[[1667692800, 56.76]]", "dvol.json"), /dvol\.json\[0\]\[0\]: .*1970/);
  });

  it("a BitMEX recording line in the year 33706 is skipped and reported, or refused under error", () => {
    const text =
      '1626912000000: {"table":"trade","action":"insert","data":[]}\n1626912001: {"table":"trade","action":"insert","data":[]}\n';
    const summary = replayBitmexRecording(text, { source: "rec" });
    assert.deepEqual(
      summary.anomalies.map((a) => [a.kind, a.line, a.action]),
      [["implausible-time", 1, "skipped"]],
    );
    refused(
      () => replayBitmexRecording(text, { source: "rec", policy: "error" }),
      /rec line 1: .*unit may be wrong/,
    );
  });

  it("an ETH option quote created in seconds is refused naming its line", () => {
    const text =
      "creation_timestamp,underlying_price,mark_price,open_interest,ask_price,bid_price,instrument_name\n" +
      "1704712781,2241.65,0.000853,965.0,0.001,0.0004,ETH-26JAN24-1200-P\n";
    refused(() => parseDeribitEthChainCsv(text, "eth.csv"), /eth\.csv:2\.creation_timestamp: .*1970/);
  });
});

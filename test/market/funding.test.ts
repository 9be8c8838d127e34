/**
 * Funding loaders (src/market/funding.ts): the three bundled files, ccxt's FundingRateHistory and
 * FundingRate shapes, every anomaly class with its row, and the policies.
 *
 * Facts from shared/data/README.md (copied in data/funding/PROVENANCE.md): first BTCUSDT funding
 * 2019-09-10 08:00; 2020-01-01 rate −0.00012359 (checked there against Binance Vision); the ±0.003 cap
 * hit on 2020-03-13; the percent file equals the decimal file on 2024-05-15; row counts and spans.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type FundingSeries,
  fundingFromCcxtHistory,
  fundingFromCcxtRates,
  parseFundingCsv,
  readFundingFile,
} from "../../src/market/funding.js";
import { assertNear } from "../helpers/close.js";
import { rejection } from "../helpers/rejection.js";

const DATA = new URL("../../data/funding/", import.meta.url);
const file = (name: string) => new URL(name, DATA).pathname;
const CSV_8H = file("binance_btcusdt_funding-8h_spot-perp-open_2019-09_2024-05.csv");
const JSON_PCT = file("binance_btcusdt_funding-8h-percent_2022-11_2025-11.json");
const DAILY = file("binance_btcusdt_funding-daily-mean_2019-09_2026-02.csv");
const H = 3_600_000;

const at = (s: FundingSeries, iso: string) => {
  const i = s.time.indexOf(Date.parse(iso));
  assert.ok(i >= 0, `no row at ${iso}`);
  return s.rate[i] as number;
};
/** The row nearest `iso` within 1 s (the percent file's times carry a few ms of delay). */
const near = (s: FundingSeries, iso: string) => {
  const t = Date.parse(iso);
  const i = s.time.findIndex((x) => Math.abs(x - t) < 1000);
  assert.ok(i >= 0, `no row near ${iso}`);
  return s.rate[i] as number;
};

describe("bundled funding files", () => {
  const csv = readFundingFile(CSV_8H);
  const pct = readFundingFile(JSON_PCT, { rateUnit: "percent" });
  const daily = readFundingFile(DAILY);

  it("8-hourly CSV: 5133 rows, 5 repeated rows kept once, 2019-09-10 08:00 → 2024-05-15 08:00, no gaps", () => {
    const { series, report } = csv;
    assert.equal(report.format, "binance-8h-csv");
    assert.equal(report.rows, 5133);
    assert.equal(report.kept, 5128);
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row, a.action]),
      [1002, 2002, 3002, 4002, 5002].map((row) => ["duplicate", row, "dropped"]),
    );
    assert.ok(report.anomalies.every((a) => a.message.endsWith("values identical")));
    assert.equal(series.time[0], Date.parse("2019-09-10T08:00:00Z"));
    assert.equal(series.time[series.time.length - 1], Date.parse("2024-05-15T08:00:00Z"));
    assert.equal(
      (series.time.length - 1) * 8 * H,
      (series.time.at(-1) as number) - (series.time[0] as number),
    );
    assert.equal(series.intervalHours, 8);
    assert.equal(series.stepHours, 8);
  });

  it("8-hourly CSV: 2020-01-01 −0.00012359 (Binance Vision), the ±0.003 cap on 2020-03-13 08:00", () => {
    const s = csv.series;
    assert.equal(at(s, "2020-01-01T00:00:00Z"), -0.00012359);
    assert.equal(at(s, "2020-03-13T08:00:00Z"), -0.003);
    assert.equal(Math.max(...s.rate.map(Math.abs)), 0.003);
    assert.equal(at(s, "2019-09-10T08:00:00Z"), 0.0001);
  });

  it("8-hourly CSV: mark price empty (NaN) through 2023-10-31 00:00, present after", () => {
    const s = csv.series;
    const i = s.time.indexOf(Date.parse("2023-10-31T00:00:00Z"));
    assert.ok(Number.isNaN(s.markPrice[i]));
    assert.ok(Number.isFinite(s.markPrice[i + 1]));
    assert.equal(s.markPrice.at(-1), 62161.81007092);
  });

  it("percent JSON: 3316 rows, 2022-11-03 08:00 → 2025-11-12 08:00, percent / 100, no gaps or off-grid rows", () => {
    const { series, report } = pct;
    assert.equal(report.rows, 3316);
    assert.equal(report.kept, 3316);
    assert.deepEqual(report.anomalies, []);
    assert.equal(series.time[0], 1_667_462_400_016); // 2022-11-03 08:00:00.016
    assert.equal(series.rate[0], 0.0000044); // 0.00044 %
    assert.equal(new Date(series.time.at(-1) as number).toISOString(), "2025-11-12T08:00:00.002Z");
  });

  it("percent JSON equals the decimal CSV on 2024-05-15 (0.0001 and −3.85e-6)", () => {
    for (const iso of ["2024-05-15T00:00:00Z", "2024-05-15T08:00:00Z"]) {
      assertNear(near(pct.series, iso), at(csv.series, iso), 1e-18, iso);
    }
    assert.equal(at(csv.series, "2024-05-15T00:00:00Z"), 0.0001);
  });

  it("a JSON pairs file without rateUnit is refused (percent or fraction must be said)", () => {
    assert.equal(rejection(() => readFundingFile(JSON_PCT)).field, "rateUnit");
  });

  it("daily means: 2348 rows, 2019-09-10 → 2026-02-12, step 24 h, rate per 8 h", () => {
    const { series, report } = daily;
    assert.equal(report.format, "daily-mean-csv");
    assert.equal(report.rows, 2348);
    assert.deepEqual(report.anomalies, []);
    assert.equal(series.stepHours, 24);
    assert.equal(series.intervalHours, 8);
    assert.equal(series.time[0], Date.parse("2019-09-10T00:00:00Z"));
    assert.equal(series.time.at(-1), Date.parse("2026-02-12T00:00:00Z"));
  });

  it("daily means equal the mean of the day's prints in the other files (2020-01-01, 2024-05-15)", () => {
    const mean = (s: FundingSeries, day: string) => {
      const t0 = Date.parse(`${day}T00:00:00Z`);
      const r = Array.from(s.rate).filter(
        (_, i) => (s.time[i] as number) >= t0 && (s.time[i] as number) < t0 + 24 * H,
      );
      assert.equal(r.length, 3);
      return r.reduce((a, b) => a + b, 0) / 3;
    };
    assertNear(at(daily.series, "2020-01-01T00:00:00Z"), mean(csv.series, "2020-01-01"), 1e-17, "2020-01-01");
    assertNear(at(daily.series, "2024-05-15T00:00:00Z"), mean(pct.series, "2024-05-15"), 1e-17, "2024-05-15");
  });
});

describe("anomalies and policies", () => {
  const HEADER =
    "Open Time,Open BTCUSDT_SPOT,Open BTCUSDT_PERP,fundingRate,markPrice,cumulative funding rate";
  const text = [
    HEADER,
    "2024-01-01 00:00:00,1,1,0.0001,,0",
    "2024-01-01 16:00:00,1,1,0.0003,,0", // line 3: out of order (before the 08:00 rows below)
    "2024-01-01 08:00:00,1,1,0.0002,,0", // line 4
    "2024-01-01 08:00:00,1,1,0.0005,,0", // line 5: duplicate, values differ
    "2024-01-02 08:00:00,1,1,,,0", // line 6: no rate
    "2024-01-03 00:00:00,1,1,0.0001,,0", // line 7: after a gap of 3 rows
    "2024-01-03 08:30:00,1,1,0.0001,,0", // line 8: off-grid
  ].join("\n");

  it("drop-and-report lists each row; duplicates keep the first; the gap counts missing rows", () => {
    const { series, report } = parseFundingCsv(text, "t.csv", { onBadRow: "drop-and-report" });
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row, a.action, a.missingRows ?? 0]),
      [
        ["invalid-rate", 6, "dropped", 0],
        ["out-of-order", 3, "reordered", 0], // the one row that jumps ahead
        ["duplicate", 5, "dropped", 0],
        ["gap", 7, "reported", 3],
        ["off-grid", 8, "reported", 0],
      ],
    );
    assert.match(report.anomalies[2]?.message ?? "", /row 4, which is kept \(keep-first\); values differ/);
    assert.deepEqual([...series.rate], [0.0001, 0.0002, 0.0003, 0.0001, 0.0001]);
  });

  it("keep-last keeps the later duplicate; error policies throw naming the line", () => {
    const last = parseFundingCsv(text, "t.csv", { onBadRow: "drop-and-report", onDuplicate: "keep-last" });
    assert.equal(last.series.rate[1], 0.0005);
    assert.equal(rejection(() => parseFundingCsv(text, "t.csv")).field, "t.csv line 6");
    assert.equal(
      rejection(() => parseFundingCsv(text, "t.csv", { onBadRow: "drop-and-report", onOutOfOrder: "error" }))
        .field,
      "t.csv line 3",
    );
    assert.equal(
      rejection(() => parseFundingCsv(text, "t.csv", { onBadRow: "drop-and-report", onDuplicate: "error" }))
        .field,
      "t.csv line 5",
    );
    assert.equal(rejection(() => parseFundingCsv("a,b\n1,2", "x.csv")).field, "x.csv line 1");
  });

  it("ccxt FundingRateHistory: fractions, symbol from the entries, index rows in reports", () => {
    const history = [
      {
        symbol: "BTC/USDT:USDT",
        fundingRate: 0.0001,
        timestamp: 1_704_067_200_000,
        datetime: "2024-01-01T00:00:00.000Z",
        info: {},
      },
      { symbol: "BTC/USDT:USDT", fundingRate: null, timestamp: 1_704_096_000_000, info: {} },
      { symbol: "BTC/USDT:USDT", fundingRate: -0.0002, timestamp: 1_704_124_800_000, info: {} },
    ];
    const { series, report } = fundingFromCcxtHistory(history, { onBadRow: "drop-and-report" });
    assert.equal(series.symbol, "BTC/USDT:USDT");
    assert.deepEqual([...series.rate], [0.0001, -0.0002]);
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row]),
      [
        ["invalid-rate", 1],
        ["gap", 2],
      ],
    );
    assert.equal(
      rejection(() => fundingFromCcxtHistory([{ symbol: "X", fundingRate: 0 }])).field,
      "fundingRateHistory[0].timestamp",
    );
  });

  it("ccxt FundingRate: settlement time, mark and index prices, interval from '4h'", () => {
    const rates = [
      {
        symbol: "ETH/USDT:USDT",
        markPrice: 2300.5,
        indexPrice: 2301,
        fundingRate: 0.00005,
        timestamp: 1_704_066_000_000,
        fundingTimestamp: 1_704_067_200_000,
        interval: "4h",
      },
    ];
    const { series } = fundingFromCcxtRates(rates);
    assert.equal(series.intervalHours, 4);
    assert.equal(series.time[0], 1_704_067_200_000);
    assert.equal(series.markPrice[0], 2300.5);
    assert.equal(series.indexPrice[0], 2301);
    assert.equal(
      rejection(() => fundingFromCcxtRates([{ ...rates[0], interval: "1d" }])).field,
      "fundingRates[0].interval",
    );
  });
});

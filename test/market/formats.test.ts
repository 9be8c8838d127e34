/**
 * One test per accepted candle and funding format, each on a fixture made from a real file
 * (test/fixtures/market/PROVENANCE.md: excerpts copied from shared/data, or real rows converted to
 * a layout shared/data lacks by make-fixtures.py), and the refusals of implausible data: prices as
 * funding, funding as prices, rates in the wrong unit, unknown headers and missing columns.
 * Facts checked against the sources' own documentation: the 2025-10-10 BTCUSDT perp 1-minute low
 * 101,516.5 at 21:20 (shared/data/CRASHES.md), the −0.3 % funding cap hit on 2020-03-13 08:00
 * (shared/data/README.md), Binance Vision's kline columns and its µs spot times from 2025
 * (https://github.com/binance/binance-public-data, "Klines").
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type CandleSeries, readCandleFile, sliceByTime } from "../../src/market/candles.js";
import { type FundingSeries, readFundingFile } from "../../src/market/funding.js";
import { rejection } from "../helpers/rejection.js";

const FIXTURES = new URL("../fixtures/market/", import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const bundled = (name: string) => new URL(`../../data/${name}`, import.meta.url).pathname;
const MINUTE = 60_000;
const HOUR = 3_600_000;

const ohlcv = (s: CandleSeries) => ({
  time: [...s.time],
  open: [...s.open],
  high: [...s.high],
  low: [...s.low],
  close: [...s.close],
  volume: [...s.volume],
});

describe("candle formats, each from a real file", () => {
  const btc = { symbol: "BTCUSDT" };
  const vision = readCandleFile(fixture("binance-vision_btcusdt-um_1m_header.csv"), btc);

  it("Binance Vision klines with their header, ms: the 2025-10-10 crash minutes, low 101,516.5 at 21:20", () => {
    const { series, report } = vision;
    assert.equal(report.format, "binance-vision");
    assert.deepEqual(report.timeUnits, ["ms"]);
    assert.equal(series.intervalMs, MINUTE);
    assert.equal(series.time.length, 30);
    assert.equal(series.time[0], Date.parse("2025-10-10T21:00:00Z"));
    const low = Math.min(...series.low);
    assert.equal(low, 101516.5);
    assert.equal(series.time[series.low.indexOf(low)], Date.parse("2025-10-10T21:20:00Z"));
  });

  it("Binance Vision klines without a header, in µs (spot files from 2025): the same bars", () => {
    const { series, report } = readCandleFile(fixture("binance-vision_btcusdt_1m_noheader_us.csv"), btc);
    assert.equal(report.format, "binance-vision");
    assert.deepEqual(report.timeUnits, ["us"]);
    assert.deepEqual(ohlcv(series), ohlcv(vision.series));
  });

  it("a CSV headed timestamp (ms), and the crash files' open_time_ms layout: the same bars", () => {
    for (const name of ["timestamp-ms_btcusdt-um_1m.csv", "open-time-ms_btcusdt-um_1m.csv"]) {
      const { series, report } = readCandleFile(fixture(name), btc);
      assert.equal(report.format, "csv", name);
      assert.deepEqual(ohlcv(series), ohlcv(vision.series), name);
    }
  });

  it("open_time and date in ISO (two spot exports of the FTX day 2022-11-09): identical bars", () => {
    const openTime = readCandleFile(fixture("open-time-iso_btcusdt_1h.csv"), btc);
    const dated = readCandleFile(fixture("date-ticker_btcusdt_1h.csv"));
    assert.deepEqual(openTime.report.timeUnits, ["iso"]);
    assert.equal(dated.series.symbol, "BTCUSDT", "symbol from the ticker column");
    assert.equal(openTime.series.time.length, 24);
    assert.equal(openTime.series.time[0], Date.parse("2022-11-09T00:00:00Z"));
    assert.deepEqual(ohlcv(openTime.series), ohlcv(dated.series));
  });

  it("timestamp in ISO with close before high and low (Bitstamp/Coinbase daily): columns by name", () => {
    const { series } = readCandleFile(fixture("bitstamp_btcusd_1d.csv"), { symbol: "BTCUSD" });
    assert.equal(series.time.length, 31);
    // Row 2020-03-01: open 8523.33, close 8522.31, volume 7353.13960471, high 8752.34, low 8400.0.
    assert.deepEqual(
      [series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]],
      [8523.33, 8752.34, 8400, 8522.31, 7353.13960471],
    );
  });

  it("CryptoDataDownload daily export: banner, newest-first, symbol from its column", () => {
    const { series, report } = readCandleFile(fixture("cdd_btcusdt_1d.csv"));
    assert.equal(report.format, "cryptodatadownload");
    assert.equal(report.sourceOrder, "descending");
    assert.equal(series.symbol, "BTCUSDT");
    assert.equal(series.time.length, 30);
    assert.equal(series.time.at(-1), Date.UTC(2026, 2, 30));
  });

  it("CryptoDataDownload legacy hourly: each hour twice, in ms and in s; keep-first keeps the ms rows", () => {
    const path = fixture("cdd-legacy_btcusdt_1h.csv");
    const error = rejection(() => readCandleFile(path));
    // In time order the first repeat is 2020-08-01 23:00: row 11 (seconds) repeats row 10 (ms).
    assert.equal(error.field, `${path} row 11, column unix`);
    assert.match(error.message, /repeats the time of row 10/);
    const { series, report } = readCandleFile(path, { onDuplicate: "keep-first" });
    assert.deepEqual([...report.timeUnits].sort(), ["ms", "s"]);
    assert.equal(series.time.length, 8);
    assert.equal(report.anomalies.filter((a) => a.kind === "duplicate").length, 5);
    // 03:00 from the ms row (11928.40), not the seconds row (11928.58).
    assert.equal(series.open.at(-1), 11928.4);
  });

  it("ccxt/freqtrade OHLCV JSON: equal to the bundled perp CSV on the same day", () => {
    const { series, report } = readCandleFile(fixture("freqtrade_btcusdt-perp_1h.json"), btc);
    assert.equal(report.format, "ccxt");
    const csv = readCandleFile(bundled("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), btc).series;
    const day = Date.parse("2022-11-09T00:00:00Z");
    assert.deepEqual(ohlcv(series), ohlcv(sliceByTime(csv, day, day + 24 * HOUR)));
  });

  it("refuses funding rows as candles, and unknown headers naming the columns expected", () => {
    assert.match(
      rejection(() => readCandleFile(fixture("freqtrade_btcusdt_funding.json"), btc)).message,
      /funding-rate rows/,
    );
    const depth = rejection(() => readCandleFile(fixture("binance-8h_btcusdt_funding.csv"), btc));
    assert.match(depth.message, /has no time column.*open_time.*volume/);
    // The mark-price klines of shared/data have OHLC but no volume.
    const mark = rejection(() => readCandleFile(fixture("markprice-no-volume_btcusdt-um_5m.csv"), btc));
    assert.match(mark.message, /has no "volume" column/);
  });
});

describe("funding formats, each from a real file", () => {
  const binance = readFundingFile(fixture("binance-8h_btcusdt_funding.csv"));
  const series = (s: FundingSeries) => ({ time: [...s.time], rate: [...s.rate] });

  it("Binance 8-hourly CSV: the −0.3 % cap on 2020-03-13 08:00, fractions by the format", () => {
    const { series: s, report } = binance;
    assert.equal(report.format, "binance-8h-csv");
    assert.deepEqual(report.rateUnit, { unit: "fraction", source: "format" });
    assert.equal(s.rate[[...s.time].indexOf(Date.parse("2020-03-13T08:00:00Z"))], -0.003);
  });

  it("timestamp,symbol,funding_rate; Binance Vision fundingRate; freqtrade and ccxt JSON: the same series", () => {
    const cases = [
      ["timestamp-symbol-rate_btcusdt_funding.csv", "funding-rate-csv", "column-name", "BTCUSDT"],
      ["binance-vision_btcusdt_fundingRate.csv", "binance-vision-funding-csv", "format", "BTCUSDT"],
      ["freqtrade_btcusdt_funding.json", "freqtrade-json", "format", "BTCUSDT"],
      ["ccxt-history_btcusdt_funding.json", "ccxt-history", "format", "BTC/USDT:USDT"],
    ] as const;
    for (const [name, format, unitSource, symbol] of cases) {
      const loaded = readFundingFile(fixture(name));
      assert.equal(loaded.report.format, format, name);
      assert.deepEqual(loaded.report.rateUnit, { unit: "fraction", source: unitSource }, name);
      assert.equal(loaded.series.symbol, symbol, name);
      assert.equal(loaded.series.intervalHours, 8, name);
      assert.deepEqual(series(loaded.series), series(binance.series), name);
    }
  });

  it("Binance's raw /fapi/v1/fundingRate JSON (strings): 2024-03-11 08:00 at 0.078428 %, mark 71,203.55", () => {
    // Shape and string fields per Binance's "Get Funding Rate History" (GET /fapi/v1/fundingRate),
    // https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Get-Funding-Rate-History
    const { series: s, report } = readFundingFile(fixture("binance-rest_btcusdt_fundingRate.json"));
    assert.equal(report.format, "binance-rest-json");
    assert.deepEqual(report.rateUnit, { unit: "fraction", source: "format" });
    assert.equal(s.symbol, "BTCUSDT");
    assert.equal(s.time.length, 21);
    assert.deepEqual(report.anomalies, []);
    assert.equal(s.time[1], Date.parse("2024-03-11T08:00:00Z"));
    assert.equal(s.rate[1], 0.00078428);
    assert.equal(s.markPrice[1], 71203.54634442);
    assert.equal(Math.max(...s.rate), 0.00078428);
  });

  it("Binance REST JSON: one symbol of an all-markets response, bad rate strings by the row policy, the unit fixed", () => {
    const rows = JSON.parse(readFileSync(fixture("binance-rest_btcusdt_fundingRate.json"), "utf8")) as {
      symbol: string;
      fundingRate: string;
      markPrice: string;
    }[];
    const eth = rows.map((r) => ({ ...r, symbol: "ETHUSDT", fundingRate: "0.00010000" }));
    const dir = mkdtempSync(join(tmpdir(), "liqopt-binance-rest-"));
    const mixed = join(dir, "all-markets.json");
    writeFileSync(mixed, JSON.stringify([...rows, ...eth]));
    const error = rejection(() => readFundingFile(mixed));
    assert.equal(error.field, `${mixed}[21].symbol`);
    assert.match(error.message, /another symbol than BTCUSDT/);
    const only = readFundingFile(mixed, { symbol: "ETHUSDT" }).series;
    assert.equal(only.symbol, "ETHUSDT");
    assert.deepEqual([...new Set(only.rate)], [0.0001]);
    const bad = join(dir, "bad-rate.json");
    writeFileSync(
      bad,
      JSON.stringify(rows.map((r, i) => (i === 3 ? { ...r, fundingRate: "n/a", markPrice: "" } : r))),
    );
    assert.equal(rejection(() => readFundingFile(bad)).field, `${bad}[3]`);
    const dropped = readFundingFile(bad, { onBadRow: "drop-and-report" }).report;
    assert.deepEqual(
      dropped.anomalies.map((a) => [a.kind, a.row]),
      [
        ["invalid-rate", 3],
        ["gap", 4],
      ],
    );
    assert.equal(
      rejection(() =>
        readFundingFile(fixture("binance-rest_btcusdt_fundingRate.json"), { rateUnit: "percent" }),
      ).field,
      "rateUnit",
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("percent pairs load only with the unit stated", () => {
    const path = fixture("pairs-percent_btcusdt_funding.json");
    assert.equal(rejection(() => readFundingFile(path)).field, "rateUnit");
    const { series: s, report } = readFundingFile(path, { rateUnit: "percent" });
    assert.deepEqual(report.rateUnit, { unit: "percent", source: "stated" });
    assert.equal(s.rate[0], 0.00044 * 0.01);
  });
});

describe("implausible funding refused with the reason", () => {
  it("rates in percent under a funding_rate header: the −0.3 % cap row reads as −30 %; stated, they load", () => {
    const path = fixture("percent-as-fraction_btcusdt_funding.csv");
    const error = rejection(() => readFundingFile(path));
    assert.equal(error.field, `${path} line 13`);
    assert.match(error.message, /funding rate of -30 % per 8 h, above the plausible 5 %.*another unit/);
    const stated = readFundingFile(path, { rateUnit: "percent" }).series.rate;
    const binance = readFundingFile(fixture("binance-8h_btcusdt_funding.csv")).series.rate;
    for (const [i, r] of stated.entries())
      assert.ok(Math.abs(r - (binance[i] as number)) < 1e-15, `row ${i}`);
  });

  it("percent pairs stated as fractions: no row above 5 %, but the median is refused naming percent", () => {
    const path = fixture("pairs-percent_btcusdt_funding.json");
    const error = rejection(() => readFundingFile(path, { rateUnit: "fraction" }));
    assert.equal(error.field, path);
    assert.match(
      error.message,
      /median \|funding rate\| of .* above the plausible 0\.1 %.*percent read as fractions/,
    );
  });

  it("prices as funding: OHLCV JSON, a candle CSV, and [time, price] pairs are refused", () => {
    const candles = fixture("freqtrade_btcusdt-perp_1h.json");
    assert.match(
      rejection(() => readFundingFile(candles)).message,
      /OHLCV candles of prices, not funding rates/,
    );
    assert.match(
      rejection(() => readFundingFile(fixture("timestamp-ms_btcusdt-um_1m.csv"))).message,
      /not a known funding header/,
    );
    // The candles' closes saved as [time, close] pairs, declared fractions: 18322.4 per interval.
    const path = fixture("pairs-prices_btcusdt.json");
    const error = rejection(() => readFundingFile(path, { rateUnit: "fraction" }));
    assert.equal(error.field, `${path}[0]`);
    assert.match(error.message, /funding rate of 1832000 % per 8 h, above the plausible 5 %.*prices/);
  });

  it("a unit contrary to the format is refused", () => {
    const error = rejection(() =>
      readFundingFile(fixture("binance-8h_btcusdt_funding.csv"), { rateUnit: "percent" }),
    );
    assert.equal(error.field, "rateUnit");
    assert.match(error.message, /contradicts/);
  });
});

/**
 * Candle loaders: each format (CryptoDataDownload export, plain ISO-dated CSV, ccxt OHLCV arrays),
 * each anomaly class with its row, the policies, file-level InputErrors, and the bundled files
 * (counts and spans from shared/data/README.md, copied in data/ohlcv/PROVENANCE.md).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  barIndex,
  type CandleLoadOptions,
  type CandleSeries,
  candlesFromCcxt,
  type LoadedCandles,
  parseCandleCsv,
  parseIsoUtc,
  readCandleFile,
  sliceByTime,
} from "../../src/market/candles.js";
import { uniform } from "../helpers/arbitraries.js";
import { rejection } from "../helpers/rejection.js";

const DATA = new URL("../../data/ohlcv/", import.meta.url);
const file = (name: string) => new URL(name, DATA).pathname;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function assertAscending(series: CandleSeries): void {
  for (let i = 1; i < series.time.length; i++) {
    assert.ok((series.time[i] as number) > (series.time[i - 1] as number), `time not ascending at ${i}`);
  }
}

const HEADER = "Date,Open,High,Low,Close,Volume";
/** A plain CSV from `Date,Open,High,Low,Close,Volume` rows (line 1 is the header, data from line 2). */
const csv = (...rows: string[]) => [HEADER, ...rows].join("\n");
const plain = (text: string, options: CandleLoadOptions = {}) =>
  parseCandleCsv(text, "test.csv", { symbol: "BTCUSDT", ...options });
const kinds = (loaded: LoadedCandles) => loaded.report.anomalies.map((a) => [a.kind, a.row, a.column ?? ""]);

describe("bundled files", () => {
  it("CryptoDataDownload BTCUSDT daily: 3142 ascending bars, newest-first on disk, 4 gaps in 2026", () => {
    const { series, report } = readCandleFile(file("binance-spot_btcusdt_1d_2017-08_2026-03.csv"));
    assert.equal(report.format, "cryptodatadownload");
    assert.equal(report.sourceOrder, "descending");
    assert.equal(report.rows, 3142);
    assert.equal(series.time.length, 3142);
    assert.equal(series.symbol, "BTCUSDT");
    assert.equal(series.intervalMs, DAY);
    assertAscending(series);
    assert.equal(series.time[0], Date.UTC(2017, 7, 17));
    assert.equal(series.time[3141], Date.UTC(2026, 2, 30));
    // First bar (last line of the file): 4261.48, 4485.39, 4200.74, 4285.08, 795.150377 BTC.
    assert.deepEqual(
      [series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]],
      [4261.48, 4485.39, 4200.74, 4285.08, 795.150377],
    );
    // Gaps: one day after 2026-01-07, 2026-01-19 and 2026-03-24; three days after 2026-03-19.
    assert.deepEqual(
      report.anomalies.map((a) => [
        a.kind,
        a.row,
        a.missingBars,
        new Date(a.timeMs).toISOString().slice(0, 10),
      ]),
      [
        ["gap", 78, 1, "2026-01-09"],
        ["gap", 67, 1, "2026-01-21"],
        ["gap", 9, 3, "2026-03-23"],
        ["gap", 7, 1, "2026-03-26"],
      ],
    );
    assert.ok(report.anomalies.every((a) => a.action === "reported"));
  });

  const perps: [string, string, number, number][] = [
    ["binance-perp_btcusdt_1h_2020-01_2024-04.csv", "BTCUSDT", 37660, Date.UTC(2020, 0, 1)],
    ["binance-perp_ethusdt_1h_2020-01_2024-04.csv", "ETHUSDT", 37660, Date.UTC(2020, 0, 1)],
    ["binance-perp_solusdt_1h_2020-09_2024-04.csv", "SOLUSDT", 31485, Date.UTC(2020, 8, 14, 7)],
  ];
  for (const [name, symbol, bars, first] of perps) {
    it(`${symbol} perp hourly: ${bars} bars, no gaps, no anomalies`, () => {
      const { series, report } = readCandleFile(file(name), { symbol });
      assert.equal(report.format, "csv");
      assert.equal(report.sourceOrder, "ascending");
      assert.equal(series.time.length, bars);
      assert.equal(series.intervalMs, HOUR);
      assert.deepEqual(report.anomalies, []);
      assert.equal(series.time[0], first);
      assert.equal(series.time[bars - 1], Date.UTC(2024, 3, 18, 3));
      assert.equal((series.time[bars - 1] as number) - first, (bars - 1) * HOUR); // no gaps
    });
  }

  it("BTC perp covers the 2020-03-13 crash: low 3621.81", () => {
    const { series } = readCandleFile(file("binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
      symbol: "BTCUSDT",
    });
    const day = sliceByTime(series, Date.UTC(2020, 2, 13), Date.UTC(2020, 2, 14));
    assert.equal(day.time.length, 24);
    assert.equal(Math.min(...day.low), 3621.81);
  });
});

describe("formats", () => {
  it("plain CSV: ISO times with a space or T, Z, an offset, or none (UTC); date-only", () => {
    const { series, report } = plain(
      csv(
        "2024-01-01 00:00:00+00:00,100,110,90,105,1",
        "2024-01-01T01:00:00Z,105,106,104,105.5,2",
        "2024-01-01T04:00:00+02:00,105.5,107,105,106,3", // 02:00 UTC
        "2024-01-01 03:00,106,108,105,107,4",
      ),
    );
    assert.equal(report.format, "csv");
    assert.deepEqual(
      [...series.time],
      [0, 1, 2, 3].map((h) => Date.UTC(2024, 0, 1, h)),
    );
    assert.deepEqual([...series.volume], [1, 2, 3, 4]);
    assert.equal(series.intervalMs, HOUR);
    assert.equal(parseIsoUtc("2024-02-29"), Date.UTC(2024, 1, 29));
    assert.equal(parseIsoUtc("2024-01-01T00:00:00.25-01:30"), Date.UTC(2024, 0, 1, 1, 30, 0, 250));
    for (const bad of ["2023-02-29", "2024-13-01", "2024-01-01T24:00", "01/02/2024", "2024-1-1"]) {
      assert.ok(Number.isNaN(parseIsoUtc(bad)), bad);
    }
  });

  it("CryptoDataDownload: banner, newest-first, Unix in ms or seconds, symbol and base volume", () => {
    const text = [
      "https://www.CryptoDataDownload.com",
      "Unix,Date,Symbol,Open,High,Low,Close,Volume ETH,Volume USDT,tradecount",
      "1704153600000,2024-01-02,ETHUSDT,2352,2431,2341,2355,600,1400000,900",
      "1704067200.0,2024-01-01 00-AM,ETHUSDT,2281,2352,2265,2352,400,920000,NULL", // seconds, old style
    ].join("\r\n");
    const { series, report } = parseCandleCsv(text, "cdd.csv");
    assert.equal(report.format, "cryptodatadownload");
    assert.equal(report.sourceOrder, "descending");
    assert.equal(series.symbol, "ETHUSDT");
    assert.deepEqual([...series.time], [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
    assert.deepEqual([...series.volume], [400, 600]);
    assert.deepEqual([...series.close], [2352, 2355]);
    assert.deepEqual(report.anomalies, []);
  });

  it("ccxt OHLCV arrays", () => {
    const t = Date.UTC(2024, 0, 1);
    const { series, report } = candlesFromCcxt(
      [
        [t, 1, 2, 0.5, 1.5, 10],
        [t + 60_000, 1.5, 1.6, 1.4, 1.45, 3],
      ],
      { symbol: "BTC/USDT:USDT" },
    );
    assert.equal(report.format, "ccxt");
    assert.equal(series.symbol, "BTC/USDT:USDT");
    assert.equal(series.intervalMs, 60_000);
    assert.deepEqual([...series.high], [2, 1.6]);
  });

  it("CSV and ccxt give the same series from the same bars in any row order", () => {
    const barArb = fc.tuple(
      uniform(10, 1000),
      uniform(0, 0.05),
      uniform(0, 0.05),
      uniform(0, 1),
      uniform(0, 50),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(barArb, fc.nat()), { minLength: 2, maxLength: 40 }), (entries) => {
        const rows = entries.map(([[open, up, down, where, volume]], i) => {
          const high = open * (1 + up);
          const low = open * (1 - down);
          const close = Math.min(high, low + (high - low) * where);
          return [Date.UTC(2024, 0, 1) + i * HOUR, open, high, low, close, volume];
        });
        // The CSV lists the rows in the order of their random keys.
        const order = entries
          .map(([, key], i) => [key, i] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        const text = csv(
          ...order.map(([, i]) => {
            const [t, ...values] = rows[i] as number[];
            return [new Date(t as number).toISOString(), ...values.map(String)].join(",");
          }),
        );
        const fromCsv = plain(text);
        const fromCcxt = candlesFromCcxt(rows, { symbol: "BTCUSDT" }).series;
        for (const key of ["time", "open", "high", "low", "close", "volume"] as const) {
          assert.deepEqual([...fromCsv.series[key]], [...fromCcxt[key]], key);
        }
        assert.ok(
          fromCsv.report.anomalies.every((a) => a.kind === "out-of-order" && a.action === "reordered"),
        );
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("anomalies, each reported with its row", () => {
  const ok = (hour: number, close = 100) =>
    `2024-01-01T${String(hour).padStart(2, "0")}:00:00Z,100,110,90,${close},1`;

  const badRows: [string, string, string, string][] = [
    ["non-finite price (NaN)", "2024-01-01T01:00:00Z,100,NaN,90,100,1", "non-finite-price", "High"],
    ["non-finite price (empty)", "2024-01-01T01:00:00Z,,110,90,100,1", "non-finite-price", "Open"],
    ["non-finite price (text)", "2024-01-01T01:00:00Z,100,110,90,abc,1", "non-finite-price", "Close"],
    ["non-positive price (0)", "2024-01-01T01:00:00Z,100,110,0,100,1", "non-positive-price", "Low"],
    ["non-positive price (negative)", "2024-01-01T01:00:00Z,-100,110,90,100,1", "non-positive-price", "Open"],
    ["high below max(open, close)", "2024-01-01T01:00:00Z,100,104,90,105,1", "high-below-open-close", "High"],
    ["low above min(open, close)", "2024-01-01T01:00:00Z,100,110,101,105,1", "low-above-open-close", "Low"],
    ["negative volume", "2024-01-01T01:00:00Z,100,110,90,105,-1", "invalid-volume", "Volume"],
  ];
  for (const [what, row, kind, column] of badRows) {
    it(`${what}: dropped and reported, or an InputError naming file, row and column`, () => {
      const text = csv(ok(0), row, ok(2));
      const loaded = plain(text, { onBadRow: "drop-and-report" });
      assert.deepEqual(kinds(loaded), [[kind, 3, column]]);
      assert.equal(loaded.report.anomalies[0]?.action, "dropped");
      assert.equal(loaded.report.anomalies[0]?.timeMs, Date.UTC(2024, 0, 1, 1));
      assert.deepEqual([...loaded.series.time], [Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 2)]);
      assert.equal(loaded.report.rows, 3);
      assert.equal(loaded.report.bars, 2);

      const error = rejection(() => plain(text)); // default onBadRow: "error"
      assert.equal(error.field, `test.csv row 3, column ${column}`);
      assert.equal(error.value, row.split(",")[HEADER.split(",").indexOf(column)]);
      assert.match(error.fix, /drop-and-report/);
    });
  }

  it("a dropped bad row leaves a gap, which is reported too (never silently)", () => {
    const loaded = plain(csv(ok(0), "2024-01-01T01:00:00Z,100,NaN,90,100,1", ok(2), ok(3)), {
      onBadRow: "drop-and-report",
    });
    assert.deepEqual(kinds(loaded), [
      ["non-finite-price", 3, "High"],
      ["gap", 4, "Date"],
    ]);
    assert.equal(loaded.report.anomalies[1]?.missingBars, 1);
  });

  it("gaps: missing intervals, counted", () => {
    const loaded = plain(csv(ok(0), ok(1), ok(2), ok(6), ok(7), ok(9)));
    assert.deepEqual(
      loaded.report.anomalies.map((a) => [a.kind, a.row, a.missingBars, a.action]),
      [
        ["gap", 5, 3, "reported"],
        ["gap", 7, 1, "reported"],
      ],
    );
    assert.equal(loaded.series.time.length, 6);
  });

  it("off-grid bars are reported", () => {
    const loaded = plain(csv(ok(0), ok(1), "2024-01-01T01:30:00Z,100,110,90,100,1", ok(2), ok(3), ok(4)));
    assert.deepEqual(kinds(loaded), [["off-grid", 4, "Date"]]);
    assert.equal(loaded.series.intervalMs, HOUR);
  });

  it("duplicates: keep-first, keep-last (first/last in the source), or an InputError naming both rows", () => {
    const text = csv(ok(0), ok(1, 101), ok(1, 102), ok(2));
    const first = plain(text, { onDuplicate: "keep-first" });
    assert.deepEqual(kinds(first), [["duplicate", 4, "Date"]]);
    assert.equal(first.report.anomalies[0]?.action, "dropped");
    assert.match(first.report.anomalies[0]?.message ?? "", /row 3.*values differ/);
    assert.deepEqual([...first.series.close], [100, 101, 100]);
    const last = plain(text, { onDuplicate: "keep-last" });
    assert.deepEqual(kinds(last), [["duplicate", 3, "Date"]]);
    assert.deepEqual([...last.series.close], [100, 102, 100]);
    const error = rejection(() => plain(text)); // default onDuplicate: "error"
    assert.equal(error.field, "test.csv row 4, column Date");
    assert.match(error.message, /repeats the time of row 3/);

    const same = plain(csv(ok(0), ok(1), ok(1), ok(2)), { onDuplicate: "keep-first" });
    assert.match(same.report.anomalies[0]?.message ?? "", /identical/);
  });

  it("a duplicate away from its twin is also out of order; first/last still follow the source", () => {
    const text = csv(ok(0), ok(1, 101), ok(2), ok(1, 102), ok(3));
    const first = plain(text, { onDuplicate: "keep-first" });
    assert.deepEqual(kinds(first), [
      ["out-of-order", 5, "Date"],
      ["duplicate", 5, "Date"],
    ]);
    assert.deepEqual([...first.series.close], [100, 101, 100, 100]);
    const last = plain(text, { onDuplicate: "keep-last" });
    assert.deepEqual(kinds(last), [
      ["out-of-order", 5, "Date"],
      ["duplicate", 3, "Date"],
    ]);
    assert.deepEqual([...last.series.close], [100, 102, 100, 100]);
  });

  it("out-of-order rows: only the misplaced row is reported, then sorted; or an InputError", () => {
    const text = csv(ok(0), ok(1), ok(5), ok(2), ok(3), ok(4));
    const loaded = plain(text);
    assert.deepEqual(kinds(loaded), [["out-of-order", 4, "Date"]]);
    assert.equal(loaded.report.anomalies[0]?.action, "reordered");
    assert.deepEqual(
      [...loaded.series.time],
      [0, 1, 2, 3, 4, 5].map((h) => Date.UTC(2024, 0, 1, h)),
    );
    const error = rejection(() => plain(text, { onOutOfOrder: "error" }));
    assert.equal(error.field, "test.csv row 4, column Date");
    // The time as an ISO date-time (a good row's cells are not kept).
    assert.equal(error.value, "2024-01-01T05:00:00.000Z");
  });

  it("out-of-order in a newest-first file is judged against newest-first", () => {
    const text = [
      "https://www.CryptoDataDownload.com",
      "Unix,Date,Symbol,Open,High,Low,Close,Volume BTC,Volume USDT,tradecount",
      `${Date.UTC(2024, 0, 4)},x,BTCUSDT,1,2,0.5,1,1,1,1`,
      `${Date.UTC(2024, 0, 3)},x,BTCUSDT,1,2,0.5,1,1,1,1`,
      `${Date.UTC(2024, 0, 1)},x,BTCUSDT,1,2,0.5,1,1,1,1`,
      `${Date.UTC(2024, 0, 2)},x,BTCUSDT,1,2,0.5,1,1,1,1`,
      `${Date.UTC(2023, 11, 31)},x,BTCUSDT,1,2,0.5,1,1,1,1`,
    ].join("\n");
    const loaded = parseCandleCsv(text, "cdd.csv");
    assert.equal(loaded.report.sourceOrder, "descending");
    // 4, 3, 1, 2, 31 Dec: the 2nd of January (row 6) jumps back up; the earlier rows are kept in place.
    assert.deepEqual(kinds(loaded), [["out-of-order", 6, "Unix"]]);
    assertAscending(loaded.series);
    assert.equal(loaded.series.time.length, 5);
  });

  it("ccxt rows: null prices are bad rows, reported by array index", () => {
    const t = Date.UTC(2024, 0, 1);
    const rows = [
      [t, 1, 2, 0.5, 1.5, 10],
      [t + HOUR, 1, null, 0.5, 1.5, 10],
      [t + 2 * HOUR, 1, 2, 0.5, 1.5, null],
      [t + 3 * HOUR, 1, 2, 0.5, 1.5, 10],
    ];
    const loaded = candlesFromCcxt(rows, { symbol: "X", intervalMs: HOUR, onBadRow: "drop-and-report" });
    assert.deepEqual(kinds(loaded), [
      ["non-finite-price", 1, "[2]"],
      ["invalid-volume", 2, "[5]"],
      ["gap", 3, "[0]"],
    ]);
    assert.equal(loaded.report.anomalies[2]?.missingBars, 2);
    const error = rejection(() => candlesFromCcxt(rows, { symbol: "X", source: "fetchOHLCV" }));
    assert.equal(error.field, "fetchOHLCV[1][2]");
    assert.equal(error.value, null);
  });
});

describe("file-level errors name the file, row and column", () => {
  it("unreadable file", () => {
    const error = rejection(() => readCandleFile("/nonexistent/candles.csv"));
    assert.equal(error.field, "/nonexistent/candles.csv");
    assert.match(error.message, /cannot be read \(no such file\)/);
  });

  it("missing column", () => {
    const error = rejection(() => plain("Date,Open,High,Close,Volume\n2024-01-01,1,2,1,1"));
    assert.equal(error.field, "test.csv row 1");
    assert.match(error.message, /no "low" column/);
  });

  it("the header line after a CryptoDataDownload banner is row 2", () => {
    const error = rejection(() =>
      parseCandleCsv("https://www.CryptoDataDownload.com\nUnix,Open\n", "cdd.csv"),
    );
    assert.equal(error.field, "cdd.csv row 2");
  });

  it("wrong number of fields", () => {
    const error = rejection(() =>
      plain(csv("2024-01-01T00:00:00Z,1,2,0.5,1,1", "2024-01-01T01:00:00Z,1,2,0.5,1")),
    );
    assert.equal(error.field, "test.csv row 3");
    assert.match(error.message, /5 fields but the header has 6/);
  });

  it("unparseable time", () => {
    const error = rejection(() =>
      plain(csv("2024-01-01T00:00:00Z,1,2,0.5,1,1", "01/01/2024 01:00,1,2,0.5,1,1")),
    );
    assert.equal(error.field, "test.csv row 3, column Date");
    assert.equal(error.value, "01/01/2024 01:00");
  });

  it("no symbol in the source and none given", () => {
    const error = rejection(() => parseCandleCsv(csv("2024-01-01,1,2,0.5,1,1"), "x.csv"));
    assert.equal(error.field, "symbol");
    assert.match(error.fix, /options\.symbol/);
  });

  it("a single bar and no interval", () => {
    const error = rejection(() => plain(csv("2024-01-01,1,2,0.5,1,1")));
    assert.equal(error.field, "intervalMs");
    assert.equal(plain(csv("2024-01-01,1,2,0.5,1,1"), { intervalMs: DAY }).series.intervalMs, DAY);
  });

  it("ccxt: bad timestamp, short row, unknown policy", () => {
    assert.equal(
      rejection(() => candlesFromCcxt([[null, 1, 1, 1, 1, 1]], { symbol: "X" })).field,
      "ohlcv[0][0]",
    );
    assert.equal(rejection(() => candlesFromCcxt([[0, 1, 1, 1, 1]], { symbol: "X" })).field, "ohlcv[0]");
    assert.equal(
      rejection(() => candlesFromCcxt([[0, 1, 1, 1, "1", 1]], { symbol: "X" })).field,
      "ohlcv[0][4]",
    );
    const policy = { symbol: "X", onBadRow: "skip" } as unknown as CandleLoadOptions;
    assert.equal(rejection(() => candlesFromCcxt([], policy)).field, "onBadRow");
  });
});

describe("slicing", () => {
  const { series } = plain(
    csv(...[0, 1, 2, 3, 4, 5].map((h) => `2024-01-01T0${h}:00:00Z,1,10,0.5,${h + 1},1`)),
  );
  const at = (h: number) => Date.UTC(2024, 0, 1, h);

  it("sliceByTime is half-open [from, to) and shares memory", () => {
    const s = sliceByTime(series, at(1), at(4));
    assert.deepEqual([...s.close], [2, 3, 4]);
    assert.equal(s.close.buffer, series.close.buffer);
    assert.equal(s.intervalMs, HOUR);
    assert.deepEqual([...sliceByTime(series, at(1) + 1, at(4) + 1).close], [3, 4, 5]);
    assert.equal(sliceByTime(series, at(9), at(10)).time.length, 0);
    assert.equal(rejection(() => sliceByTime(series, at(4), at(1))).field, "toMs");
  });

  it("barIndex is the first bar at or after a time", () => {
    assert.equal(barIndex(series, at(0) - 1), 0);
    assert.equal(barIndex(series, at(2)), 2);
    assert.equal(barIndex(series, at(2) + 1), 3);
    assert.equal(barIndex(series, at(6)), 6);
  });
});

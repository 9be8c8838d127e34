/**
 * Option-chain loaders: the two bundled Deribit snapshots (counts and quirks from
 * shared/data/README.md, copied in data/options/PROVENANCE.md), the DVOL loader, each anomaly
 * class with its row and policy, and the file-level InputErrors.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  deribitExpiryMs,
  expiries,
  markBand,
  parseDeribitBtcChainCsv,
  parseDeribitEthChainCsv,
  parseDeribitInstrument,
  parseDeribitTickerCsv,
  parseDvolJson,
  premiumUsd,
  readDeribitChainFile,
  readDvolFile,
  YEAR_MS,
} from "../../src/market/options.js";
import { black76ImpliedVol } from "../../src/vol/black76.js";
import { rejection } from "../helpers/rejection.js";

const DATA = new URL("../../data/options/", import.meta.url);
const file = (name: string) => new URL(name, DATA).pathname;
const BTC = file("deribit_btc_option-chain_2025-12-05.csv");
const ETH = file("deribit_eth_option-chain_2024-01-08.csv");

const count = (kinds: readonly { kind: string }[], kind: string) =>
  kinds.filter((a) => a.kind === kind).length;

describe("Deribit names", () => {
  it("expiry labels settle at 08:00 UTC", () => {
    assert.equal(deribitExpiryMs("6DEC25"), Date.UTC(2025, 11, 6, 8));
    assert.equal(deribitExpiryMs("26JAN24"), Date.UTC(2024, 0, 26, 8));
    rejection(() => deribitExpiryMs("26XYZ24"));
  });
  it("instrument names", () => {
    assert.deepEqual(parseDeribitInstrument("ETH-26JAN24-2400-C"), {
      underlying: "ETH",
      expiryLabel: "26JAN24",
      expiryMs: Date.UTC(2024, 0, 26, 8),
      strike: 2400,
      kind: "call",
    });
    assert.equal(parseDeribitInstrument("BTC-6DEC25-80000-P").kind, "put");
    assert.match(rejection(() => parseDeribitInstrument("BTC-PERPETUAL")).message, /instrument_name/);
  });
});

describe("bundled BTC chain (2025-12-05)", () => {
  const { chain, report } = readDeribitChainFile(BTC);
  it("676 quotes over 11 expiries, snapshot ≈ 01:10 UTC", () => {
    assert.equal(report.rows, 676);
    assert.equal(chain.quotes.length, 676);
    assert.equal(chain.underlying, "BTC");
    assert.equal(expiries(chain).length, 11);
    // README: T to 6DEC25 08:00 = 0.00352 y, commit at 01:15 → snapshot about 01:10.
    const snap = new Date(chain.snapshotMs);
    assert.equal(snap.toISOString().slice(0, 13), "2025-12-05T01");
    assert.ok(Math.abs(chain.snapshotMs - Date.UTC(2025, 11, 5, 1, 10)) < 5 * 60_000);
  });
  it("first row as printed: coin premia, mark IV as a fraction, missing bid/ask kept and reported", () => {
    const q = chain.quotes[0];
    assert.ok(q);
    assert.equal(q.instrument, "BTC-6DEC25-80000-C");
    assert.equal(q.expiryMs, Date.UTC(2025, 11, 6, 8));
    assert.equal(q.strike, 80000);
    assert.equal(q.forwardUsd, 92529.80714285714);
    assert.equal(q.timeToExpiryYears, 0.00352);
    assert.equal(q.markPremium, 0.13545041);
    assert.equal(q.premiumCurrency, "coin");
    assert.equal(q.markIv, 0.8733);
    assert.equal(q.bidPremium, undefined);
    assert.equal(q.askPremium, undefined);
    assert.equal(q.row, 2);
    // market_price_usd column = market_price_btc · S0.
    assert.ok(Math.abs(premiumUsd(q, q.markPremium) - 12533.200314720927) < 1e-8);
  });
  it("anomalies: 147 missing bids and 129 missing asks, each with its line; nothing dropped", () => {
    assert.equal(count(report.anomalies, "missing-bid"), 147);
    assert.equal(count(report.anomalies, "missing-ask"), 129);
    assert.equal(report.anomalies.length, 276);
    assert.deepEqual(
      report.anomalies.slice(0, 3).map((a) => [a.kind, a.row, a.instrument, a.action]),
      [
        ["missing-bid", 2, "BTC-6DEC25-80000-C", "kept"],
        ["missing-ask", 2, "BTC-6DEC25-80000-C", "kept"],
        ["missing-bid", 3, "BTC-6DEC25-80000-P", "kept"],
      ],
    );
  });
});

describe("bundled ETH chain (2024-01-08)", () => {
  const { chain, report } = readDeribitChainFile(ETH);
  it("684 rows, snapshot = earliest creation_timestamp, T from the 08:00 expiry", () => {
    assert.equal(report.rows, 684);
    assert.equal(chain.snapshotMs, 1704712781414);
    assert.equal(expiries(chain).length, 11);
    const q = chain.quotes[0];
    assert.ok(q);
    assert.equal(q.instrument, "ETH-26JAN24-1200-P");
    assert.equal(q.forwardUsd, 2241.65);
    assert.equal(q.markPremium, 0.000853);
    assert.equal(q.bidPremium, 0.0004);
    assert.equal(q.askPremium, 0.001);
    assert.equal(q.openInterest, 965);
    assert.equal(q.markIv, undefined);
    assert.equal(q.timeToExpiryYears, (Date.UTC(2024, 0, 26, 8) - 1704712781414) / YEAR_MS);
  });
  it("the zero mark of ETH-9JAN24-2900-C (line 184) is dropped and reported", () => {
    const zero = report.anomalies.filter((a) => a.kind === "zero-mark");
    assert.deepEqual(
      zero.map((a) => [a.row, a.instrument, a.action]),
      [[184, "ETH-9JAN24-2900-C", "dropped"]],
    );
    assert.equal(chain.quotes.length, 683);
    assert.ok(!chain.quotes.some((q) => q.instrument === "ETH-9JAN24-2900-C"));
    assert.equal(count(report.anomalies, "missing-bid"), 229);
    assert.equal(count(report.anomalies, "missing-ask"), 253);
  });
  it('onZeroMark: "error" throws naming the line', () => {
    const error = rejection(() => readDeribitChainFile(ETH, { onZeroMark: "error" }));
    assert.match(error.field, /:184\.mark$/);
  });
});

const BTC_HEADER =
  "instrument_name,type,expiry_date,strike,T_years,S0,market_price_btc,market_price_usd,mark_iv,bid_btc,ask_btc,open_interest";
const btcRow = (name: string, bid: string, ask: string, mark = "0.01", years = "0.1") => {
  const [, label, strike, cp] = name.split("-");
  return `${name},${cp === "C" ? "call" : "put"},${label},${strike},${years},100000,${mark},0,50,${bid},${ask},1`;
};

describe("anomaly policies (synthetic BTC layout)", () => {
  const text = [
    BTC_HEADER,
    btcRow("BTC-26DEC25-90000-C", "0.02", "0.01"), // crossed, line 2
    btcRow("BTC-26DEC25-90000-C", "0.01", "0.02"), // duplicate, line 3
    btcRow("BTC-26DEC25-95000-P", "0.01", "0.02", "0"), // zero mark, line 4
    btcRow("BTC-26DEC25-99000-P", "0.01", "0.02", "0.01", "-0.01"), // expired, line 5
    btcRow("BTC-26DEC25-91000-C", "0.01", "0.02", "0.01", "0.2"), // fine, line 6
  ].join("\n");
  it("defaults: crossed → cleared, duplicate → first kept, zero mark and expired → dropped", () => {
    const { chain, report } = parseDeribitBtcChainCsv(text, "t.csv");
    assert.deepEqual(
      report.anomalies.map((a) => [a.kind, a.row, a.action]),
      [
        ["bid-above-ask", 2, "cleared-bid-ask"],
        ["duplicate", 3, "dropped"],
        ["zero-mark", 4, "dropped"],
        ["expired", 5, "dropped"],
      ],
    );
    assert.deepEqual(
      chain.quotes.map((q) => [q.row, q.bidPremium, q.askPremium]),
      [
        [2, undefined, undefined],
        [6, 0.01, 0.02],
      ],
    );
  });
  it("each policy can be made an error naming the line", () => {
    assert.match(
      rejection(() => parseDeribitBtcChainCsv(text, "t.csv", { onCrossed: "error" })).field,
      /t\.csv:2/,
    );
    assert.match(
      rejection(() => parseDeribitBtcChainCsv(text, "t.csv", { onDuplicate: "error" })).field,
      /t\.csv:3/,
    );
    assert.match(
      rejection(() => parseDeribitBtcChainCsv(text, "t.csv", { onExpired: "error" })).field,
      /t\.csv:5/,
    );
  });
  it("bad cells and layouts are InputErrors naming file, line and column", () => {
    const bad = [BTC_HEADER, btcRow("BTC-26DEC25-90000-C", "x", "0.02")].join("\n");
    assert.equal(rejection(() => parseDeribitBtcChainCsv(bad, "t.csv")).field, "t.csv:2.bid_btc");
    const mismatch = [BTC_HEADER, btcRow("BTC-26DEC25-90000-C", "", "").replace(",90000,", ",91000,")].join(
      "\n",
    );
    assert.equal(rejection(() => parseDeribitBtcChainCsv(mismatch, "t.csv")).field, "t.csv:2.strike");
    assert.match(rejection(() => parseDeribitBtcChainCsv("a,b\n1,2", "t.csv")).message, /no column/);
    assert.match(rejection(() => parseDeribitEthChainCsv(BTC_HEADER, "t.csv")).message, /no column/);
    assert.match(rejection(() => readDeribitChainFile("/nonexistent.csv")).message, /cannot be read/);
  });
});

describe("DVOL", () => {
  it("bundled file: 1102 daily closes 2022-11-06 → 2025-11-12, percent → fraction", () => {
    const dvol = readDvolFile(file("deribit_btc_dvol-daily-close_2022-11_2025-11.json"));
    assert.equal(dvol.timeMs.length, 1102);
    assert.equal(dvol.timeMs[0], Date.UTC(2022, 10, 6));
    assert.equal(dvol.timeMs[1101], Date.UTC(2025, 10, 12));
    assert.equal(dvol.annualVol[0], 0.5676);
    // FTX: 114.72 on 2022-11-09 (README).
    assert.equal(dvol.annualVol[3], 1.1472);
  });
  it("rejects percent ≤ 0, unsorted rows and non-JSON", () => {
    assert.match(rejection(() => parseDvolJson("[[1667692800000, 0]]", "d")).field, /d\[0\]\[1\]/);
    assert.match(
      rejection(() => parseDvolJson("[[1667779200000, 50], [1667692800000, 50]]", "d")).message,
      /not after/,
    );
    rejection(() => parseDvolJson("{", "d"));
  });
});

describe("Deribit ticker dumps and the snapshot time", () => {
  const TICKER = new URL("../fixtures/market/deribit-ticker_btc_chain.csv", import.meta.url).pathname;
  const btc = readDeribitChainFile(BTC).chain;
  const asOfMs = btc.snapshotMs;

  it("a ticker dump in another column order: the same quotes as the BTC layout's rows, at --as-of", () => {
    const { chain, report } = readDeribitChainFile(TICKER, { asOfMs });
    assert.equal(chain.snapshotMs, asOfMs);
    assert.equal(chain.underlying, "BTC");
    assert.equal(report.rows, 40);
    for (const q of chain.quotes) {
      const same = btc.quotes.find((b) => b.instrument === q.instrument);
      assert.ok(same !== undefined, q.instrument);
      const pick = (x: typeof q) => [
        x.forwardUsd,
        x.markPremium,
        x.markIv,
        x.bidPremium,
        x.askPremium,
        x.openInterest,
      ];
      assert.deepEqual(pick(q), pick(same), q.instrument);
      assert.ok(Math.abs(q.timeToExpiryYears - same.timeToExpiryYears) < 1e-5, q.instrument);
    }
  });

  it("no timestamp column and no --as-of: refused, never guessed", () => {
    const error = rejection(() => readDeribitChainFile(TICKER));
    assert.equal(error.field, "asOf");
    assert.match(error.message, /snapshot time is unknown.*creation_timestamp is a listing time/);
  });

  it("a timestamp column gives the snapshot; --as-of takes precedence", () => {
    const text = readFileSync(TICKER, "utf8").trimEnd().split("\n");
    const stamped = [`${text[0]},timestamp`, ...text.slice(1).map((r, i) => `${r},${asOfMs + i}`)].join(
      "\r\n",
    );
    assert.equal(parseDeribitTickerCsv(stamped, "t.csv").chain.snapshotMs, asOfMs);
    assert.equal(
      parseDeribitTickerCsv(stamped, "t.csv", { asOfMs: asOfMs - 1 }).chain.snapshotMs,
      asOfMs - 1,
    );
  });

  it("creation_timestamp spread over days is a listing time, not a snapshot: refused without --as-of", () => {
    const lines = readFileSync(ETH, "utf8").split("\n");
    const col = (lines[0] as string).split(",").indexOf("creation_timestamp");
    const cells = (lines[1] as string).split(",");
    cells[col] = String(Number(cells[col]) - 30 * 86_400_000);
    const listed = [lines[0], cells.join(","), ...lines.slice(2)].join("\n");
    const error = rejection(() => parseDeribitEthChainCsv(listed, "eth.csv"));
    assert.match(error.message, /not one snapshot time.*listing time/);
    const asOf = Date.UTC(2024, 0, 8, 11, 19, 41);
    assert.equal(parseDeribitEthChainCsv(listed, "eth.csv", { asOfMs: asOf }).chain.snapshotMs, asOf);
  });
});

describe("Deribit ticker with bid_iv, ask_iv and greeks (public/ticker)", () => {
  // Real rows of the BTC chain's 8DEC25, 12DEC25 and 19DEC25 expiries with Deribit's ticker fields;
  // bid_iv/ask_iv are scipy's Black-76 inversions of the real bid and ask, the greeks Black-76's at
  // mark_iv (test/fixtures/market/PROVENANCE.md, make-fixtures.py).
  const IV = new URL("../fixtures/market/deribit-ticker-iv-greeks_btc_chain.csv", import.meta.url).pathname;
  const text = readFileSync(IV, "utf8");
  const { chain, report } = readDeribitChainFile(IV);
  const header = (text.split("\n")[0] as string).split(",");
  /** The fixture with the cell of `column` on data line `line` (2 = first row) replaced. */
  const edit = (line: number, column: string, value: string, base = text) => {
    const lines = base.split("\n");
    const cells = (lines[line - 1] as string).split(",");
    cells[header.indexOf(column)] = value;
    lines[line - 1] = cells.join(",");
    return lines.join("\n");
  };
  const lineOf = (instrument: string) => text.split("\n").findIndex((l) => l.includes(`,${instrument},`)) + 1;

  it("reads the IVs as fractions, 0 as no side, the greeks by their flattened JSON names, the timestamp as snapshot", () => {
    assert.equal(report.rows, 128);
    assert.equal(chain.snapshotMs, Date.parse("2025-12-05T01:09:53Z"));
    const put = chain.quotes.find((q) => q.instrument === "BTC-8DEC25-86000-P");
    assert.ok(put !== undefined);
    assert.deepEqual([put.markIv, put.bidIv, put.askIv], [0.5124, 49.968514 / 100, 51.712483 / 100]);
    assert.deepEqual(put.greeks, {
      delta: -0.062568,
      gamma: 2.7361611e-5,
      vega: 10.806551,
      theta: -84.286277,
      rho: undefined,
    });
    // No bid and no ask (best_bid_price 0, bid_iv 0): both sides and their IVs absent.
    const call = chain.quotes.find((q) => q.instrument === "BTC-8DEC25-86000-C");
    assert.deepEqual(
      [call?.bidPremium, call?.bidIv, call?.askPremium, call?.askIv],
      [undefined, undefined, undefined, undefined],
    );
  });

  it("every quote's bid_iv ≤ mark_iv ≤ ask_iv exactly when its mark premium lies in [bid, ask] (markBand by IV = by premia)", () => {
    const counts = { inside: 0, outside: 0, "no-bid": 0 };
    for (const q of chain.quotes) {
      const byPremia = markBand({ ...q, bidIv: undefined, askIv: undefined });
      assert.equal(markBand(q), byPremia, q.instrument);
      counts[byPremia]++;
    }
    // Counted over the fixture with python's csv module: best_bid_price 0 → no bid; mark_price below
    // the bid or above a non-zero ask → outside.
    assert.deepEqual(counts, { inside: 100, outside: 4, "no-bid": 24 });
  });

  it("refuses an IV below 0, an IV for an empty side, bid_iv above ask_iv, and impossible greeks, naming row and column", () => {
    const line = lineOf("BTC-8DEC25-88000-P");
    const cases: [string, string, RegExp][] = [
      ["bid_iv", "-1", /must be at least 0/],
      ["mark_iv", "-5", /must be at least 0/],
      ["bid_iv", "60", /is above ask_iv 46\.424171 on a market whose bid is not above its ask/],
      ["greeks.delta", "-1.2", /outside \[-1, 0\], where a put's delta lies/],
      ["greeks.delta", "0.3", /outside \[-1, 0\]/],
      ["greeks.gamma", "-0.0001", /is negative: an option's gamma is ≥ 0/],
      ["greeks.vega", "-3", /is negative: an option's vega is ≥ 0/],
    ];
    for (const [column, value, message] of cases) {
      const error = rejection(() => parseDeribitTickerCsv(edit(line, column, value), "t.csv"));
      assert.equal(error.field, `t.csv:${line}.${column}`, `${column}=${value}`);
      assert.match(error.message, message, `${column}=${value}`);
    }
    const noBid = lineOf("BTC-8DEC25-86000-C");
    const error = rejection(() => parseDeribitTickerCsv(edit(noBid, "ask_iv", "50"), "t.csv"));
    assert.equal(error.field, `t.csv:${noBid}.ask_iv`);
    assert.match(error.message, /an implied volatility for a ask the row does not have/);
  });

  it("a crossed market is cleared with its IVs (reported), not refused for bid_iv > ask_iv", () => {
    const line = lineOf("BTC-8DEC25-88000-P");
    const bidUp = edit(line, "best_bid_price", "0.003");
    const crossed = edit(line, "best_ask_price", "0.0027", edit(line, "bid_iv", "60", bidUp));
    const { chain: c, report: r } = parseDeribitTickerCsv(crossed, "t.csv");
    const q = c.quotes.find((x) => x.instrument === "BTC-8DEC25-88000-P");
    assert.deepEqual(
      [q?.bidPremium, q?.askPremium, q?.bidIv, q?.askIv],
      [undefined, undefined, undefined, undefined],
    );
    assert.ok(r.anomalies.some((a) => a.kind === "bid-above-ask" && a.row === line));
  });

  it("parity: liqopt's Black-76 inversion of each real bid and ask gives scipy's bid_iv and ask_iv to 1e-7", () => {
    let compared = 0;
    for (const q of chain.quotes) {
      for (const [premium, iv] of [
        [q.bidPremium, q.bidIv],
        [q.askPremium, q.askIv],
      ] as const) {
        if (premium === undefined || iv === undefined) continue;
        const inputs = {
          kind: q.kind,
          forward: q.forwardUsd,
          strike: q.strike,
          timeToExpiryYears: q.timeToExpiryYears,
        };
        const ours = black76ImpliedVol(inputs, premiumUsd(q, premium));
        assert.ok(ours.ok, q.instrument);
        // The fixture prints percent to 6 decimals: 5e-9 in the fraction.
        assert.ok(Math.abs(ours.annualVol - iv) < 1e-7, `${q.instrument}: ${ours.annualVol} vs ${iv}`);
        compared++;
      }
    }
    assert.ok(compared > 150, `${compared}`);
  });
});

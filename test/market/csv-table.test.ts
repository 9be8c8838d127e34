/**
 * The CSV reader of the market loaders (csv-parse underneath): quoted fields, a byte-order mark,
 * CRLF, `;` and tab delimiters detected from the header, malformed quoting refused with its line,
 * and the same records whether the text comes whole or in chunks cut anywhere (inside a quoted
 * field, between CR and LF, inside a multi-byte character's string).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseCandleCsv } from "../../src/market/candles.js";
import { detectDelimiter, forEachCsvRecord } from "../../src/market/csv-table.js";
import { parseFundingCsv } from "../../src/market/funding.js";
import { rejection } from "../helpers/rejection.js";

/** Every record of `text` with its line, as [line, ...cells]. */
function records(text: string | Iterable<string>): string[][] {
  const out: string[][] = [];
  forEachCsvRecord(
    text,
    (line) => `t.csv row ${line}`,
    (cells, line) => out.push([String(line), ...cells]),
  );
  return out;
}

describe("forEachCsvRecord", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks, with the line each record ends on", () => {
    assert.deepEqual(records('a,b\n"x,1","say ""hi"""\n\n"multi\nline",2\n'), [
      ["1", "a", "b"],
      ["2", "x,1", 'say "hi"'],
      ["5", "multi\nline", "2"],
    ]);
  });

  it("strips a byte-order mark and reads CRLF line ends", () => {
    assert.deepEqual(records("\uFEFFa,b\r\n1,2\r\n"), [
      ["1", "a", "b"],
      ["2", "1", "2"],
    ]);
  });

  it("detects ; and tab from the header line, quotes aside; a line without any reads as one cell", () => {
    assert.equal(detectDelimiter("a;b;c"), ";");
    assert.equal(detectDelimiter("a\tb"), "\t");
    assert.equal(detectDelimiter('"a,b";c;d'), ";");
    assert.equal(detectDelimiter("a,b;c"), ",");
    assert.equal(detectDelimiter("https://www.CryptoDataDownload.com"), undefined);
    assert.deepEqual(records("banner\na;b\n1;2"), [
      ["1", "banner"],
      ["2", "a", "b"],
      ["3", "1", "2"],
    ]);
  });

  it("refuses an unclosed quote or a quote inside an unquoted field, naming the line", () => {
    const open = rejection(() => records('a,b\n1,2\n3,"4\n'));
    assert.equal(open.field, "t.csv row 3");
    assert.match(open.message, /not valid CSV \(Quote Not Closed/);
    assert.equal(rejection(() => records('a,b\n1,2\n3,4"x"\n')).field, "t.csv row 3");
  });

  it("gives the same records whole or in chunks cut anywhere, across 1 MiB parse blocks (CRLF inside quotes counts one line)", () => {
    const rows = ["time,note,value"];
    for (let i = 0; i < 100_000; i++)
      rows.push(i % 7 === 0 ? `${i},"a ""quoted"", multi\r\nline note é",${i / 3}` : `${i},plain,${i * 2}`);
    const text = rows.join("\r\n");
    assert.ok(text.length > 1.2 * 2 ** 20);
    const whole = records(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 40 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), text.length];
        const chunks = at.slice(1).map((end, k) => text.slice(at[k], end));
        assert.deepEqual(records(chunks), whole);
      }),
      { numRuns: 5 },
    );
  });
});

describe("loaders on quoted, BOM, CRLF and ; files", () => {
  const candles = (text: string) => parseCandleCsv(text, "t.csv", { symbol: "BTCUSDT" });

  it("candles: the same series from a plain, a quoted-BOM-CRLF and a ; file", () => {
    const plain = candles(
      "date,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1.5,2,1,1.2,11",
    );
    const dressed = candles(
      '\uFEFF"date";"open";"high";"low";"close";"volume"\r\n"2024-01-01";1;2;0.5;1.5;10\r\n"2024-01-02";1.5;2;1;1.2;11\r\n',
    );
    assert.deepEqual(dressed.series, plain.series);
  });

  it("candles: decimal commas under ; are refused with the row and column", () => {
    const error = rejection(() => candles("date;open;high;low;close;volume\n2024-01-01;1,5;2;1;1,5;10\n"));
    assert.equal(error.field, "t.csv row 2, column open");
  });

  it("a file with another delimiter (|) is refused as an unknown header naming the columns expected", () => {
    const error = rejection(() => candles("date|open|high|low|close|volume\n2024-01-01|1|2|1|1|1\n"));
    assert.equal(error.field, "t.csv row 1");
    assert.match(error.message, /has no time column.*open, high, low, close and volume/);
  });

  it("funding: a quoted, BOM, CRLF file loads; a row with a field too many names its line", () => {
    const text =
      '\uFEFF"Open Time","fundingRate"\r\n"2024-01-01 00:00:00","0.0001"\r\n"2024-01-01 08:00:00",0.0002\r\n';
    assert.deepEqual([...parseFundingCsv(text, "f.csv").series.rate], [0.0001, 0.0002]);
    assert.equal(
      rejection(() => parseFundingCsv(`${text}2024-01-01 16:00:00,0.1,9\r\n`, "f.csv")).field,
      "f.csv line 4",
    );
  });
});

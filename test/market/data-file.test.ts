/**
 * The shared reader of market-data files: non-regular files, files above the size cap and binary
 * files (Arrow/Feather, Parquet, gzip) are refused with an InputError naming the file, and
 * unreadable paths say why in words.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { fileErrorReason, InputError } from "../../src/errors.js";
import { readCandleFile } from "../../src/market/candles.js";
import { MAX_DATA_BYTES_ENV, readDataFile } from "../../src/market/data-file.js";
import { readFundingFile } from "../../src/market/funding.js";

const context = { field: "--candles", fix: "Pass a CSV file." };
const dir = mkdtempSync(join(tmpdir(), "liqopt-data-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env[MAX_DATA_BYTES_ENV];
});

/** The InputError `read` throws. */
function refusal(read: () => unknown): InputError {
  let error: unknown;
  assert.throws(read, (err) => {
    error = err;
    return err instanceof InputError;
  });
  return error as InputError;
}

const linux = process.platform === "linux";

describe("readDataFile", () => {
  it("reads a regular file whole", () => {
    const path = join(dir, "small.csv");
    const text = "Date,Close\n".repeat(20_000);
    writeFileSync(path, text);
    assert.equal(readDataFile(path, context), text);
  });

  it("refuses a device (/dev/zero) instead of reading for ever", { skip: !linux }, () => {
    const error = refusal(() => readDataFile("/dev/zero", context));
    assert.equal(error.field, "--candles");
    assert.equal(error.value, "/dev/zero");
    assert.match(error.message, /is a device, not a regular file/);
  });

  it("refuses a FIFO without waiting for a writer", { skip: !linux }, () => {
    const path = join(dir, "fifo");
    execFileSync("mkfifo", [path]);
    assert.match(refusal(() => readDataFile(path, context)).message, /is a pipe \(FIFO\)/);
  });

  it("refuses a directory and a missing file in words", () => {
    assert.match(refusal(() => readDataFile(dir, context)).message, /cannot be read \(is a directory\)/);
    const missing = refusal(() => readDataFile(join(dir, "missing.csv"), context));
    assert.match(missing.message, /cannot be read \(no such file\)/);
    assert.doesNotMatch(missing.message, /ENOENT/);
  });

  it(`refuses a file above the cap set by ${MAX_DATA_BYTES_ENV}, naming the variable`, () => {
    const path = join(dir, "large.csv");
    writeFileSync(path, "x".repeat(101));
    process.env[MAX_DATA_BYTES_ENV] = "100";
    const error = refusal(() => readDataFile(path, context));
    assert.match(error.message, /is 101 bytes, above the cap of 100 bytes/);
    assert.match(error.message, new RegExp(MAX_DATA_BYTES_ENV));
    process.env[MAX_DATA_BYTES_ENV] = "101";
    assert.equal(readDataFile(path, context).length, 101);
  });

  it("refuses a cap that is not a positive whole number", () => {
    process.env[MAX_DATA_BYTES_ENV] = "-5";
    assert.equal(refusal(() => readDataFile(dir, context)).field, MAX_DATA_BYTES_ENV);
  });
});

describe("binary data files (freqtrade's feather, parquet, jsongz)", () => {
  // Magic numbers from the formats' specifications: an Arrow IPC file starts with "ARROW1" and two
  // bytes of padding (Arrow columnar format, "IPC File Format"), Parquet with "PAR1", gzip with 1f 8b.
  const files = {
    "BTC_USDT-1h.feather": Buffer.concat([
      Buffer.from("ARROW1\0\0"),
      Buffer.alloc(64, 0xff),
      Buffer.from("ARROW1"),
    ]),
    "BTC_USDT-1h.parquet": Buffer.concat([Buffer.from("PAR1"), Buffer.alloc(64, 7), Buffer.from("PAR1")]),
    "BTC_USDT-1h.json.gz": Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4]),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);

  it("refuses an Arrow IPC (Feather v2) file with the freqtrade conversion to JSON, whatever the loader", () => {
    const path = join(dir, "BTC_USDT-1h.feather");
    for (const read of [
      () => readDataFile(path, context),
      () => readCandleFile(path),
      () => readFundingFile(path),
    ]) {
      const error = refusal(read);
      assert.equal(error.value, path);
      assert.match(error.message, /Apache Arrow IPC file \(Feather v2, freqtrade's default data format\)/);
      assert.match(error.message, /freqtrade convert-data --format-from feather --format-to json/);
    }
  });

  it("refuses Parquet and gzip with their own conversions", () => {
    const parquet = refusal(() => readCandleFile(join(dir, "BTC_USDT-1h.parquet")));
    assert.match(parquet.message, /is a Parquet file: liqopt reads text files/);
    assert.match(parquet.message, /--format-from parquet --format-to json/);
    assert.match(
      refusal(() => readFundingFile(join(dir, "BTC_USDT-1h.json.gz"))).message,
      /gzip-compressed.*gunzip/,
    );
  });

  it("still reads a text file whose name says feather", () => {
    const path = join(dir, "text.feather");
    writeFileSync(path, "PARAM,ARROW\n");
    assert.equal(readDataFile(path, context), "PARAM,ARROW\n");
  });
});

describe("fileErrorReason", () => {
  it("says why in words, and falls back to the code or the message", () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(fileErrorReason(errno("ENOENT")), "no such file");
    assert.equal(fileErrorReason(errno("EISDIR")), "is a directory");
    assert.equal(fileErrorReason(errno("EACCES")), "permission denied");
    assert.equal(fileErrorReason(errno("EWEIRD")), "EWEIRD");
    assert.equal(fileErrorReason(new Error("gone")), "gone");
  });
});

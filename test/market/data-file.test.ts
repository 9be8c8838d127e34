/**
 * The shared reader of market-data files: non-regular files and files above the size cap are
 * refused with an InputError naming the file, and unreadable paths say why in words.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { fileErrorReason, InputError } from "../../src/errors.js";
import { MAX_DATA_BYTES_ENV, readDataFile } from "../../src/market/data-file.js";

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

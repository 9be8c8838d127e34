/** Output files named by an option: written, or refused on the option in words. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { writeOutputFile } from "../../src/report/output-file.js";

const dir = mkdtempSync(join(tmpdir(), "liqopt-output-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("writeOutputFile", () => {
  it("writes the file", () => {
    const path = join(dir, "report.html");
    writeOutputFile(path, "<p>ok</p>", "--report");
    assert.equal(readFileSync(path, "utf8"), "<p>ok</p>");
  });

  it("refuses a path in a missing directory, or a directory, on the option and in words", () => {
    assert.throws(
      () => writeOutputFile(join(dir, "missing", "report.html"), "x", "--report"),
      (err) =>
        err instanceof InputError &&
        err.field === "--report" &&
        /cannot be written \(no such file\)/.test(err.message),
    );
    assert.throws(
      () => writeOutputFile(dir, "x", "--report"),
      (err) => err instanceof InputError && /cannot be written \(is a directory\)/.test(err.message),
    );
  });
});

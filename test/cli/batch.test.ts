/**
 * End-to-end tests of `liqopt liq-price` on many accounts in one call: a JSON array or NDJSON
 * (file or stdin) gives one NDJSON line per account, in input order, each the `--json` report of
 * that account alone; a document that fails gives an error line (index, line, field) and the
 * others still run; the exit code is 2 when any line failed, 0 otherwise.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { toJson } from "../../src/cli/io.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { liqPriceReport } from "../../src/venues/liq-price-report.js";
import { liqopt, ok, ROOT } from "../helpers/cli.js";

const EXAMPLES = ["cross-btc-eth", "isolated-btc", "hyperliquid-cross", "coinm-btcusd"] as const;

/** The example documents as parsed objects. */
const documents = EXAMPLES.map(
  (name) =>
    JSON.parse(readFileSync(join(ROOT, "examples", `${name}.json`), "utf8")) as Record<string, unknown>,
);

/** What the single-document `--json` report of `doc` is, as one parsed value. */
function expectedReport(doc: unknown): unknown {
  return JSON.parse(toJson(liqPriceReport(resolveAccountDocument(doc))));
}

/** The NDJSON lines of a batch's stdout, parsed. */
function lines(stdout: string): Record<string, unknown>[] {
  assert.ok(stdout.endsWith("\n"), "output ends with a newline");
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("liq-price batch mode", () => {
  test("a JSON array of documents on stdin: one line per account, each its own report", async () => {
    const out = lines(ok(await liqopt(["liq-price", "--input", "-"], JSON.stringify(documents))));
    assert.equal(out.length, documents.length);
    for (const [i, line] of out.entries()) assert.deepEqual(line, expectedReport(documents[i]));
  });

  test("NDJSON from a file, with blank lines skipped", async () => {
    const text = `${documents.map((d) => JSON.stringify(d)).join("\n\n")}\n`;
    const file = join(ROOT, "examples", "cross-btc-eth.json");
    const single = ok(await liqopt(["liq-price", "--input", file, "--json"]));
    const out = lines(ok(await liqopt(["liq-price", "-i", "-"], text)));
    assert.equal(out.length, documents.length);
    assert.deepEqual(out[0], JSON.parse(single));
    for (const [i, line] of out.entries()) assert.deepEqual(line, expectedReport(documents[i]));
  });

  test("a bad document and a line that is not JSON in the middle: reported with their line numbers, the others succeed, exit 2", async () => {
    const bad = structuredClone(documents[1]) as { positions: { entryPrice: number }[] };
    (bad.positions[0] as { entryPrice: number }).entryPrice = -5;
    const text = [documents[0], bad, documents[2]].map((d) => JSON.stringify(d));
    text.splice(2, 0, '{"venue": "binance-usdm",');
    const r = await liqopt(["liq-price", "--input", "-"], `${text.join("\n")}\n`);
    assert.equal(r.code, 2, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out.length, 4);
    assert.deepEqual(out[0], expectedReport(documents[0]));
    assert.deepEqual(out[3], expectedReport(documents[2]));
    const badLine = out[1] as { index: number; line: number; error: { field: string; message: string } };
    assert.equal(badLine.index, 1);
    assert.equal(badLine.line, 2);
    assert.equal(badLine.error.field, "positions[0].entryPrice");
    const notJson = out[2] as { index: number; line: number; error: { field: string; message: string } };
    assert.equal(notJson.line, 3);
    assert.match(notJson.error.message, /<stdin>:3:\d+ is not valid JSON/);
    const errors = r.stderr.trimEnd().split("\n");
    assert.equal(errors.length, 2);
    assert.match(errors[0] ?? "", /^liqopt: error: line 2: positions\[0\]\.entryPrice: /);
    assert.match(errors[1] ?? "", /^liqopt: error: line 3: /);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  test("an array element that fails is reported by its index", async () => {
    const r = await liqopt(
      ["liq-price", "--input", "-"],
      JSON.stringify([documents[0], { venue: "nowhere" }]),
    );
    assert.equal(r.code, 2);
    const out = lines(r.stdout);
    assert.deepEqual(out[1], {
      index: 1,
      line: null,
      error: { field: "venue", message: (out[1] as { error: { message: string } }).error.message },
    });
    assert.match(r.stderr, /^liqopt: error: account 1: venue: /);
  });

  test("a single document and a malformed one keep their single-document behaviour", async () => {
    const r = await liqopt(["liq-price", "--input", "-", "--json"], JSON.stringify(documents[0]));
    assert.deepEqual(JSON.parse(ok(r)), expectedReport(documents[0]));
    const broken = await liqopt(["liq-price", "--input", "-"], '{"venue":\n"binance-usdm",,}');
    assert.equal(broken.code, 2);
    assert.equal(broken.stdout, "");
    assert.match(broken.stderr, /^liqopt: error: --input: <stdin>:2:\d+ is not valid JSON/);
  });
});

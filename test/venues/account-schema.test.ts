/**
 * The published JSON Schema (schemas/account.schema.json) and the document reader agree: every
 * example validates against the schema and resolves; documents the schema rejects, the reader
 * rejects too, naming a field. Validation by Ajv (JSON Schema 2020-12), an independent implementation.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import ajv2020 from "ajv/dist/2020.js";
import { InputError } from "../../src/errors.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";

const root = new URL("../../", import.meta.url);
const schema = JSON.parse(readFileSync(new URL("schemas/account.schema.json", root), "utf8")) as object;
// Ajv is CommonJS: its class is the default export's `default` under NodeNext.
const Ajv2020 = ajv2020.default;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const examples = readdirSync(new URL("examples/", root)).filter((f) => f.endsWith(".json"));

describe("account document schema", () => {
  it("is a valid 2020-12 schema with examples to check", () => {
    assert.ok(examples.length >= 5);
  });

  for (const file of examples) {
    it(`examples/${file} validates and resolves`, () => {
      const doc: unknown = JSON.parse(readFileSync(new URL(`examples/${file}`, root), "utf8"));
      assert.ok(validate(doc), JSON.stringify(validate.errors));
      assert.doesNotThrow(() => resolveAccountDocument(doc));
    });
  }

  const bad: [string, unknown][] = [
    ["missing venue", { marginMode: "cross", walletBalance: 1, positions: [] }],
    ["unknown margin mode", { venue: "bybit", marginMode: "portfolio", walletBalance: 1, positions: [] }],
    ["negative wallet", { venue: "bybit", marginMode: "cross", walletBalance: -1, positions: [] }],
    [
      "position without a mark price",
      {
        venue: "bybit",
        marginMode: "cross",
        walletBalance: 1,
        positions: [{ symbol: "BTCUSDT", size: 1, entryPrice: 1 }],
      },
    ],
    [
      "a 1e308 size (∞ equity before the magnitude bounds)",
      {
        venue: "bybit",
        marginMode: "cross",
        walletBalance: 1,
        positions: [{ symbol: "BTCUSDT", size: 1e308, entryPrice: 1, markPrice: 1 }],
      },
    ],
    [
      "a mark price above 1e12",
      {
        venue: "bybit",
        marginMode: "cross",
        walletBalance: 1,
        positions: [{ symbol: "BTCUSDT", size: 1, entryPrice: 1, markPrice: 1e13 }],
      },
    ],
  ];
  for (const [what, doc] of bad) {
    it(`schema and reader both reject: ${what}`, () => {
      assert.equal(validate(doc), false);
      assert.throws(
        () => resolveAccountDocument(doc),
        (e: unknown) => e instanceof InputError && e.field.length > 0,
      );
    });
  }
});

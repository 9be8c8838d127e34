/**
 * The mechanism documents' JSON Schemas (schemas/{adl-queue,maker-take,maker-flip,comet-absorb,drift-liquidation,dydx-fill}.schema.json)
 * and their readers agree: every example under examples/mechanisms/ validates against its schema and is read;
 * documents the schema rejects, the reader rejects too, naming a field. Validation by Ajv (JSON Schema 2020-12).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import ajv2020 from "ajv/dist/2020.js";
import { InputError } from "../../src/errors.js";
import { readAdlQueueDocument } from "../../src/venues/mechanisms/adl-queue.js";
import { readCometAbsorbDocument } from "../../src/venues/mechanisms/comet-absorb.js";
import { readDriftLiquidationDocument } from "../../src/venues/mechanisms/drift-liquidation.js";
import { readDydxFillDocument } from "../../src/venues/mechanisms/dydx-fill.js";
import { readMakerFlipDocument } from "../../src/venues/mechanisms/maker-flip.js";
import { readMakerTakeDocument } from "../../src/venues/mechanisms/maker-take.js";

const root = new URL("../../", import.meta.url);
const load = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), "utf8"));
const Ajv2020 = ajv2020.default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(load("schemas/lending-account.schema.json") as object);
ajv.addSchema(load("schemas/drift-account.schema.json") as object);

/** Schema and reader of each mechanism, keyed by the example file name's prefix. */
const KINDS: [prefix: string, schema: string, read: (raw: unknown) => unknown][] = [
  ["adl-", "adl-queue", readAdlQueueDocument],
  ["maker-take", "maker-take", readMakerTakeDocument],
  ["maker-flip", "maker-flip", readMakerFlipDocument],
  ["comet-absorb", "comet-absorb", readCometAbsorbDocument],
  ["drift-liquidation", "drift-liquidation", readDriftLiquidationDocument],
  ["dydx-fill", "dydx-fill", readDydxFillDocument],
];
const validators = new Map(
  KINDS.map(([, s]) => [s, ajv.compile(load(`schemas/${s}.schema.json`) as object)]),
);
const kindOf = (file: string) => {
  const kind = KINDS.find(([prefix]) => file.startsWith(prefix));
  assert.ok(kind !== undefined, `no schema for examples/mechanisms/${file}`);
  return { validate: validators.get(kind[1]), read: kind[2] };
};

describe("mechanism document schemas", () => {
  const examples = readdirSync(new URL("examples/mechanisms/", root)).filter((f) => f.endsWith(".json"));

  it("every mechanism has an example", () => {
    for (const [prefix] of KINDS)
      assert.ok(
        examples.some((f) => f.startsWith(prefix)),
        prefix,
      );
  });

  for (const file of examples) {
    it(`examples/mechanisms/${file} validates and is read`, () => {
      const doc = load(`examples/mechanisms/${file}`);
      const { validate, read } = kindOf(file);
      assert.ok(validate?.(doc), JSON.stringify(validate?.errors));
      assert.doesNotThrow(() => read(doc));
    });
  }

  const bad: [string, string, (doc: Record<string, unknown>) => unknown][] = [
    ["adl-bitmex", "an unknown venue", (d) => ({ ...d, venue: "bybit-spot" })],
    [
      "adl-bitmex",
      "a counterparty without a size",
      (d) => ({ ...d, counterparties: [{ id: "1", entryPrice: 1, bankruptcyPrice: 1 }] }),
    ],
    ["maker-take", "a take without a time", (d) => ({ ...d, actions: [{ amt: "1", max: "5" }] })],
    ["maker-flip", "an unknown Flipper version", (d) => ({ ...d, flipper: { version: "2.0" } })],
    ["comet-absorb", "no accounts", (d) => ({ ...d, accounts: [] })],
    [
      "drift-liquidation",
      "a liquidator without maxBaseAssetAmount",
      (d) => ({ ...d, liquidators: [{ id: "a", quoteBalance: "1" }] }),
    ],
    ["dydx-fill", "a fill without a size", (d) => ({ ...d, fill: { ticker: "BTC-USD" } })],
  ];
  for (const [file, what, edit] of bad) {
    it(`schema and reader both reject: ${what}`, () => {
      const doc = edit(load(`examples/mechanisms/${file}.json`) as Record<string, unknown>);
      const { validate, read } = kindOf(`${file}.json`);
      assert.equal(validate?.(doc), false);
      assert.throws(
        () => read(doc),
        (e: unknown) => e instanceof InputError && e.field.length > 0,
      );
    });
  }
});

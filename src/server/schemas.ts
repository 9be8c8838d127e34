/**
 * The request and response schemas of the HTTP API. The account documents are the JSON Schemas the
 * CLI's documents are published and tested with (`schemas/*.json`, JSON Schema 2020-12, checked
 * against every example by test/venues/*-schema.test.ts), loaded as they are: one source of truth for
 * what an account document is, whichever front end reads it. The API's own envelopes (a what-if's
 * change, a vol request, a problem) are written here, in the same dialect, next to the routes that
 * read them. OpenAPI 3.1 takes JSON Schema 2020-12 as its schema dialect, so both appear in the
 * generated document unchanged.
 */
import { readFileSync } from "node:fs";
import { BUNDLED_DATASETS } from "../market/bundled.js";
import { DRIFT_VENUE_ID } from "../venues/drift-document.js";
import { GMX_VENUE_ID } from "../venues/gmx-v2/document.js";
import { LENDING_VENUES } from "../venues/lending/registry.js";
import { MAX_VOL_HORIZON_BARS } from "../vol/vol-report.js";

/** A JSON Schema (2020-12) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** The published document schemas, by file name under `schemas/`. */
const DOCUMENT_SCHEMA_FILES = [
  "account.schema.json",
  "lending-account.schema.json",
  "drift-account.schema.json",
  "gmx-account.schema.json",
] as const;

/** A published schema, read from `schemas/` (two levels up from src/server and dist/server). */
function readSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), "utf8")) as JsonSchema;
}

/** The `$id` of a published schema. */
function idOf(schema: JsonSchema): string {
  if (typeof schema.$id !== "string") throw new Error("a published schema without an $id");
  return schema.$id;
}

/** The published account-document schemas, each with its `$id`, to register before the routes. */
export const DOCUMENT_SCHEMAS: readonly JsonSchema[] = DOCUMENT_SCHEMA_FILES.map(readSchema);

const [PERP, LENDING, DRIFT, GMX] = DOCUMENT_SCHEMAS.map(idOf) as [string, string, string, string];

/** `then` the schema `ref` when the document's `venue` is one of `venues`, else `otherwise`. */
function byVenue(venues: readonly string[], ref: string, otherwise: JsonSchema): JsonSchema {
  return {
    if: { type: "object", required: ["venue"], properties: { venue: { enum: venues } } },
    // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword, not a promise
    then: { $ref: ref },
    else: otherwise,
  };
}

/**
 * Any account document, dispatched on its `venue` as the library's reader dispatches
 * (`resolveAnyDocument`): a money market's (`LENDING_VENUES` but Drift) against
 * lending-account.schema.json, `drift-v2` against drift-account.schema.json, `gmx-v2` against
 * gmx-account.schema.json, any other against account.schema.json. An `if`/`then`/`else` chain rather
 * than a `oneOf`, so that a bad document is reported against its own venue's schema only.
 */
export const ANY_DOCUMENT: JsonSchema = {
  $id: "liqopt:any-account-document",
  title: "Any liqopt account document",
  description:
    "A perpetual-venue account (schemas/account.schema.json), a lending account (lending-account.schema.json), a Drift v2 account (drift-account.schema.json) or a GMX v2 position (gmx-account.schema.json), chosen by its venue.",
  type: "object",
  ...byVenue(
    Object.keys(LENDING_VENUES).filter((v) => v !== DRIFT_VENUE_ID),
    LENDING,
    byVenue([DRIFT_VENUE_ID], DRIFT, byVenue([GMX_VENUE_ID], GMX, { $ref: PERP })),
  ),
};

/** Reference to {@link ANY_DOCUMENT}. */
const DOCUMENT_REF = { $ref: ANY_DOCUMENT.$id } as const;

/** An amount the CLI takes as an option's text: a JSON number, or its decimal text (`"max"` where allowed). */
const AMOUNT: JsonSchema = { type: ["number", "string"], maxLength: 64 };

/** A symbol or asset name. */
const NAME: JsonSchema = { type: "string", minLength: 1, maxLength: 64 };

/** The body of `POST /v1/what-if`: a document and one change, the `liqopt what-if` options by name. */
export const WHAT_IF_BODY: JsonSchema = {
  type: "object",
  required: ["document"],
  additionalProperties: false,
  properties: {
    document: DOCUMENT_REF,
    position: { type: "integer", minimum: 0, description: "index of the position (default 0)" },
    asset: { ...NAME, description: "lending: the collateral or debt asset to change" },
    addCollateral: AMOUNT,
    removeCollateral: AMOUNT,
    size: { ...AMOUNT, description: "new signed size of the position (0 closes it)" },
    fillPrice: AMOUNT,
    targetLiqPrice: AMOUNT,
    targetDistance: { ...AMOUNT, description: "a fraction of the mark (0.1 = 10 %)" },
    repay: AMOUNT,
    borrow: AMOUNT,
    targetHf: AMOUNT,
  },
};

/** The body of `POST /v1/liquidate`: a document and the `liqopt liquidate` options by name. */
export const LIQUIDATE_BODY: JsonSchema = {
  type: "object",
  required: ["document"],
  additionalProperties: false,
  properties: {
    document: DOCUMENT_REF,
    collateral: { ...NAME, description: "Aave: collateral to seize (default: the largest by value)" },
    debt: { ...NAME, description: "Aave: debt to repay (default: the largest by value)" },
    debtToCover: { ...AMOUNT, description: "Aave: debt tokens to repay, or max (default: max allowed)" },
  },
};

/** The body of `POST /v1/liq-price/batch`: up to `maxItems` account documents. */
export function batchBody(maxItems: number): JsonSchema {
  return { type: "array", maxItems, items: DOCUMENT_REF };
}

/** One candle row as ccxt's `fetchOHLCV` returns it: `[time ms, open, high, low, close, volume]`. */
const OHLCV_ROW: JsonSchema = {
  type: "array",
  minItems: 6,
  maxItems: 6,
  prefixItems: [{ type: "number" }],
  items: { type: ["number", "null"] },
};

/** The body of `POST /v1/vol`: candles (a bundled set or rows) and the `liqopt vol` options. */
export const VOL_BODY: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    candles: {
      description:
        "a bundled candle set by name (default btc-1d), or ccxt OHLCV rows [time ms, open, high, low, close, volume]",
      oneOf: [
        { enum: BUNDLED_DATASETS.filter((d) => d.kind === "candles").map((d) => d.name) },
        { type: "array", minItems: 1, items: OHLCV_ROW },
      ],
    },
    symbol: { ...NAME, description: "symbol of candle rows (default: the bundled set's, or none)" },
    from: { type: "string", maxLength: 40, description: "first bar (UTC date or date-time)" },
    to: {
      type: "string",
      maxLength: 40,
      description: "end of the series, exclusive (UTC date or date-time)",
    },
    window: { type: "integer", minimum: 2, description: "bars of the realized estimators (default 30)" },
    lambda: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, description: "EWMA decay λ (0.94)" },
    model: { enum: ["garch", "gjr"] },
    dist: { enum: ["normal", "t"] },
    garchBars: { type: "integer", minimum: 50, description: "returns the GARCH model is fitted on (2000)" },
    horizon: {
      type: "integer",
      minimum: 1,
      maximum: MAX_VOL_HORIZON_BARS,
      description: "forecast horizon in bars (7)",
    },
    unconstrained: { type: "boolean", description: "fit without the stationarity constraint" },
  },
};

/**
 * An RFC 9457 problem: `type`, `title`, `status`, `detail`, and where the input is at fault the
 * JSON pointer into the request body (`pointer`), the library's field name (`field`) and the fix.
 */
export const PROBLEM: JsonSchema = {
  $id: "liqopt:problem",
  title: "Problem details (RFC 9457)",
  type: "object",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    pointer: { type: "string", description: "JSON pointer (RFC 6901) to the offending part of the body" },
    field: { type: "string", description: "the field as the library names it" },
    fix: { type: "string" },
  },
};

/**
 * A response whose shape is the library report named in `description` (its TypeScript type; the
 * reports have no JSON Schema yet).
 */
export function report(description: string): JsonSchema {
  return { type: ["object", "array"], description };
}

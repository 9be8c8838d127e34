/**
 * Malformed request bodies for the HTTP API's fuzzes (test/server/fuzz.test.ts by inject,
 * test/server/fuzz-http.test.ts over a listening socket): example account documents with fields
 * replaced by adversarial values (wrong types, huge and tiny numbers, deep nesting, long strings) or
 * removed, wrapped or not in their endpoint's envelope, or arbitrary JSON, or text that is not JSON.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { ROOT } from "../helpers/cli.js";

const DOCUMENTS: unknown[] = ["", "lending/", "drift/", "gmx/"].flatMap((dir) =>
  readdirSync(join(ROOT, "examples", dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(ROOT, "examples", dir, f), "utf8")) as unknown),
);

/** The member of a stand-in for an array nested n deep, written out by {@link toText}. */
const DEEP = "__deep__";

/** Deepest nesting a stand-in is written out to. */
const MAX_DEEP = 20_000;

/**
 * JSON text of `value`, with each `{"__deep__": n}` written as an array nested `n` deep when
 * `n ≤ MAX_DEEP` (a later edit can set `n` to any number, such as 10¹⁵ + 1; such a stand-in stays as it is).
 */
function toText(value: unknown): string {
  return (JSON.stringify(value) ?? "").replace(/\{"__deep__":(\d+)\}/g, (stand, n: string) =>
    Number(n) > MAX_DEEP ? stand : "[".repeat(Number(n)) + "]".repeat(Number(n)),
  );
}

/** Values a field is replaced by. */
const adversarial: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, 1e15 + 1, "", "1e400", "NaN", "max", null, true, [], {}),
  fc.double(),
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 2, max: MAX_DEEP }).map((n) => ({ [DEEP]: n })),
  fc.constant("x".repeat(10_000)),
);

/** Every path to a value inside `value` (keys and indices). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Object.entries(value);
  return [
    prefix,
    ...entries.flatMap(([k, v]) => paths(v, [...prefix, Array.isArray(value) ? Number(k) : k])),
  ];
}

/** `doc` with the value at `path` replaced by `replacement` (removed when it is undefined). */
function mutate(doc: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete at[last];
  else at[last] = replacement;
  return copy;
}

/** A malformed document: an example with one to three fields replaced or removed. */
const malformedDocument: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom(...DOCUMENTS),
    fc.array(fc.tuple(fc.nat(), fc.option(adversarial, { nil: undefined, freq: 4 })), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([doc, edits]) =>
    edits.reduce((d, [pick, value]) => {
      const all = paths(d);
      return mutate(d, all[pick % all.length] as (string | number)[], value);
    }, doc),
  );

/** A request: an endpoint and a body (JSON text, or text that is not JSON). */
export const malformedRequest: fc.Arbitrary<{ url: string; body: string }> = fc.oneof(
  malformedDocument.map((d) => ({ url: "/v1/liq-price", body: toText(d) })),
  fc.array(malformedDocument, { maxLength: 3 }).map((d) => ({ url: "/v1/liq-price/batch", body: toText(d) })),
  fc
    .tuple(
      malformedDocument,
      fc.dictionary(
        fc.constantFrom("addCollateral", "size", "repay", "position", "asset", "x"),
        adversarial,
        { maxKeys: 2 },
      ),
    )
    .map(([document, change]) => ({ url: "/v1/what-if", body: toText({ document, ...change }) })),
  fc
    .tuple(
      malformedDocument,
      fc.dictionary(fc.constantFrom("collateral", "debt", "debtToCover", "y"), adversarial, { maxKeys: 2 }),
    )
    .map(([document, options]) => ({ url: "/v1/liquidate", body: toText({ document, ...options }) })),
  fc
    .dictionary(
      fc.constantFrom("candles", "from", "to", "window", "lambda", "model", "garchBars", "horizon"),
      adversarial,
      { maxKeys: 3 },
    )
    .map((body) => ({ url: "/v1/vol", body: toText(body) })),
  fc
    .tuple(
      fc.constantFrom("/v1/liq-price", "/v1/what-if", "/v1/liquidate", "/v1/vol"),
      fc.string({ maxLength: 200 }),
    )
    .map(([url, body]) => ({ url, body })),
);

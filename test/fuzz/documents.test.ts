/**
 * Fuzz of the account and mechanism documents (issue 10 §6): every example document of every venue
 * (perp, lending, Drift, the multi-party mechanisms), with one to three fields replaced by adversarial
 * values (huge, tiny, negative, non-numeric, wrong types, deep nesting) or removed, run through the
 * real CLI in-process. Every run must exit 0 or 2; a refusal is an InputError naming its field (or a
 * usage error); an answer is JSON with no negative price and no missing liquidation price without its
 * reason. Fixed seed in CI; `LIQOPT_FUZZ_RUNS=<n>` runs more cases, `LIQOPT_FUZZ_SEED` another seed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CommanderError } from "@commander-js/extra-typings";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { type InProcessRun, runInProcess } from "../helpers/cli-in-process.js";

const RUNS = Number(process.env.LIQOPT_FUZZ_RUNS ?? 40);
const SEED = Number(process.env.LIQOPT_FUZZ_SEED ?? 10);
const EXAMPLES = new URL("../../examples/", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "liqopt-fuzz-"));

/** The commands each example is run through. */
const MECHANISMS: Record<string, string> = {
  "adl-bitmex": "adl",
  "adl-hyperliquid": "adl",
  "comet-absorb": "comet-absorb",
  "drift-liquidation": "drift-liquidate",
  "dydx-fill": "dydx-fill",
  "maker-take": "maker-take",
  "maker-flip": "maker-flip",
};
const examples = [
  ...["", "lending/", "drift/"].flatMap((sub) =>
    readdirSync(new URL(sub, EXAMPLES))
      .filter((f) => f.endsWith(".json"))
      .map((f) => ({
        name: `${sub}${f}`,
        commands: [["liq-price"], ["liquidate"], ["what-if", "--add-collateral", "100"]],
      })),
  ),
  ...Object.entries(MECHANISMS).map(([file, sub]) => ({
    name: `mechanisms/${file}.json`,
    commands: [["mechanism", sub]],
  })),
].map((e) => ({ ...e, doc: JSON.parse(readFileSync(new URL(e.name, EXAMPLES), "utf8")) as unknown }));

/** Values that have broken parsers and engines before: magnitudes, non-numbers, wrong types, nesting. */
const adversarial: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1e-300, 1e15, 1e16, 1e40, 1e308, -1e308, 2 ** 53 + 1, 0.5, 3),
  fc.constantFrom(
    "1e40",
    "1e20",
    "-5",
    "",
    "abc",
    "NaN",
    "Infinity",
    "0x10",
    "123456789012345678901234567890",
    "-0",
  ),
  fc.constantFrom(null, true, [], {}, [1, 2], { a: 1 }),
  fc.integer({ min: 1, max: 3000 }).map((depth) => ({ nestedDepth: depth })),
  fc.double({ noNaN: true }),
);

type Path = (string | number)[];
function paths(v: unknown, at: Path = []): Path[] {
  if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (v !== null && typeof v === "object")
    return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return [at];
}
/** The value to write: a `{ nestedDepth }` marker becomes that many nested arrays (kept small in reports). */
function materialize(value: unknown): unknown {
  const depth = (value as { nestedDepth?: number } | null)?.nestedDepth;
  if (depth === undefined) return value;
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
function mutate(doc: unknown, path: Path, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return remove ? {} : materialize(value);
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(doc)) {
    const copy = [...doc];
    if (rest.length === 0 && remove) copy.splice(head as number, 1);
    else copy[head as number] = mutate(copy[head as number], rest, value, remove);
    return copy;
  }
  const copy = { ...(doc as Record<string, unknown>) };
  if (rest.length === 0 && remove) delete copy[head as string];
  else copy[head as string] = mutate(copy[head as string], rest, value, remove);
  return copy;
}

/** Keys of a price, and the key of its reason. */
const PRICE = /Price$/;
const reasonKey = (k: string) =>
  k === "liquidationPrice" ? "liquidationReason" : k.replace(/Price$/, "Reason");

/** Every negative price, and every null liquidation/bankruptcy price without its reason, in an answer. */
function priceProblems(v: unknown, where = "", out: string[] = []): string[] {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) priceProblems(v[i], `${where}[${i}]`, out);
  } else if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (PRICE.test(k) && typeof x === "number" && x < 0) out.push(`${where}.${k} = ${x}`);
      if (PRICE.test(k) && x === null && reasonKey(k) in o && typeof o[reasonKey(k)] !== "string")
        out.push(`${where}.${k} null without ${reasonKey(k)}`);
      priceProblems(x, `${where}.${k}`, out);
    }
  }
  return out;
}

/** The JSON a run printed: one object, or liq-price's batch lines (NDJSON; none for an empty batch). */
function answers(stdout: string): unknown[] {
  if (stdout.trim() === "") return [];
  try {
    return [JSON.parse(stdout)];
  } catch {
    return stdout
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as unknown);
  }
}

/** The checks every run must pass. */
function checkRun(run: InProcessRun, what: string): void {
  assert.ok(run.code === 0 || run.code === 2, `${what}: exit ${run.code}: ${run.stderr}`);
  if (run.code === 2 && run.error === null) {
    // liq-price's batch mode (a top-level array): one NDJSON line per document, errors with their field.
    for (const line of run.stdout.split("\n").filter((l) => l.length > 0)) {
      const error = (JSON.parse(line) as { error?: { field?: unknown } }).error;
      if (error !== undefined)
        assert.ok(typeof error.field === "string" && error.field.length > 0, `${what}: ${line}`);
    }
    return;
  }
  if (run.code === 2) {
    const named =
      run.error instanceof CommanderError || (run.error instanceof InputError && run.error.field.length > 0);
    assert.ok(named, `${what}: refusal without a field: ${run.stderr}`);
    assert.match(run.stderr, /^liqopt: error: \S/, what);
    return;
  }
  assert.doesNotMatch(run.stdout, /NaN/, `${what}: NaN in the output`);
}

describe("fuzz: adversarial account and mechanism documents through the CLI", () => {
  for (const ex of examples) {
    it(ex.name, { timeout: 60_000 }, async () => {
      const all = paths(ex.doc);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.nat({ max: all.length - 1 }),
              adversarial,
              fc.nat({ max: 4 }).map((k) => k === 0),
            ),
            {
              minLength: 1,
              maxLength: 3,
            },
          ),
          fc.nat({ max: ex.commands.length - 1 }),
          async (edits, c) => {
            let doc = ex.doc;
            for (const [i, value, remove] of edits) doc = mutate(doc, all[i] as Path, value, remove);
            const file = join(dir, `${ex.name.replace(/\W/g, "_")}-${n++}.json`);
            writeFileSync(file, JSON.stringify(doc));
            const command = ex.commands[c] as string[];
            const run = await runInProcess([...command, "--input", file, "--json"]);
            const what = `${command.join(" ")} on ${JSON.stringify(doc).slice(0, 600)}`;
            checkRun(run, what);
            if (run.code === 0) assert.deepEqual(priceProblems(answers(run.stdout)), [], what);
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
      );
    });
  }
});

describe("holes the fuzz found, kept as examples", () => {
  it("mechanism drift-liquidate on the bundled example: no negative break-even price (was −114.68)", async () => {
    const run = await runInProcess([
      "mechanism",
      "drift-liquidate",
      "--input",
      new URL("mechanisms/drift-liquidation.json", EXAMPLES).pathname,
      "--json",
    ]);
    checkRun(run, "drift-liquidate example");
    assert.deepEqual(priceProblems(answers(run.stdout)), []);
    assert.match(run.stdout, /"entryPrice": null/);
  });
});

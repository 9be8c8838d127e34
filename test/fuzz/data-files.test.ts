/**
 * Fuzz of market-data files (issue 10 §6): slices of the bundled candle, funding and option-chain
 * files with one to four corruptions (garbage, truncated or empty lines, non-numbers and huge or
 * negative numbers in a field, times in seconds, a byte-order mark, CRLF or `;` separators,
 * duplicated and swapped lines, control bytes) run through every command that reads them, in-process.
 * Every run must exit 0 or 2, and a refusal is an InputError naming its field or option. Fixed seed in
 * CI; `LIQOPT_FUZZ_RUNS=<n>` runs more cases, `LIQOPT_FUZZ_SEED` another seed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CommanderError } from "@commander-js/extra-typings";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { runInProcess } from "../helpers/cli-in-process.js";

const RUNS = Math.max(1, Math.round(Number(process.env.LIQOPT_FUZZ_RUNS ?? 40) / 2));
const SEED = Number(process.env.LIQOPT_FUZZ_SEED ?? 10);
const DATA = new URL("../../data/", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "liqopt-fuzz-data-"));

/** The first `lines` lines of a bundled file. */
const head = (path: string, lines: number) =>
  readFileSync(new URL(path, DATA), "utf8").split("\n").slice(0, lines).join("\n");

const SOURCES = [
  {
    name: "candles",
    text: head("ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv", 260),
    commands: [["vol"], ["data", "inspect"], ["var", "--window", "100", "--method", "historical,normal,cf"]],
    option: { vol: "--candles", data: "", var: "--candles" } as Record<string, string>,
  },
  {
    name: "funding",
    text: head("funding/binance_btcusdt_funding-8h_spot-perp-open_2019-09_2024-05.csv", 200),
    commands: [["funding"], ["data", "inspect"]],
    option: { funding: "--funding", data: "" } as Record<string, string>,
  },
  {
    name: "chain",
    text: head("options/deribit_eth_option-chain_2024-01-08.csv", 120),
    commands: [["implied"], ["data", "inspect"]],
    option: { implied: "--chain", data: "" } as Record<string, string>,
  },
];

type Corruption = (lines: string[], at: number, pick: number) => void;
const FIELD_VALUES = ["", "NaN", "-1", "1e308", "1e40", "abc", "0", "-0", "Infinity", '"1,2"'];
const CORRUPTIONS: Corruption[] = [
  (l, at) => {
    l[at] = "abc,def";
  },
  (l, at) => {
    l[at] = "";
  },
  (l, at, pick) => {
    l[at] = (l[at] ?? "").slice(0, pick % Math.max(1, (l[at] ?? "").length));
  },
  (l, at, pick) => {
    const cells = (l[at] ?? "").split(",");
    cells[pick % cells.length] = FIELD_VALUES[pick % FIELD_VALUES.length] as string;
    l[at] = cells.join(",");
  },
  (l, at) => {
    // Times in seconds: a 13-digit millisecond number divided by 1000.
    l[at] = (l[at] ?? "").replace(/\b(\d{10})\d{3}\b/, "$1");
  },
  (l) => {
    l[0] = `\uFEFF${l[0] ?? ""}`;
  },
  (l) => {
    for (let i = 0; i < l.length; i++) l[i] = `${l[i]}\r`;
  },
  (l) => {
    for (let i = 0; i < l.length; i++) l[i] = (l[i] ?? "").replaceAll(",", ";");
  },
  (l, at) => {
    l.splice(at, 0, l[at] ?? "");
  },
  (l, at, pick) => {
    const other = pick % l.length;
    [l[at], l[other]] = [l[other] ?? "", l[at] ?? ""];
  },
  (l, at) => {
    l[at] = `${l[at] ?? ""}\u0000\uFFFF\u0007`;
  },
  (l, at) => {
    l.length = Math.max(1, at);
  },
];

describe("fuzz: corrupted market-data files through the CLI", () => {
  for (const source of SOURCES) {
    it(source.name, { timeout: 120_000 }, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat({ max: CORRUPTIONS.length - 1 }), fc.nat(), fc.nat()), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.nat({ max: source.commands.length - 1 }),
          async (edits, c) => {
            const lines = source.text.split("\n");
            for (const [k, at, pick] of edits)
              (CORRUPTIONS[k] as Corruption)(lines, at % Math.max(1, lines.length), pick);
            const file = join(dir, `${source.name}-${n++}.csv`);
            writeFileSync(file, lines.join("\n"));
            const command = source.commands[c] as string[];
            const option = source.option[command[0] as string] as string;
            const args = [...command, ...(option === "" ? [file] : [option, file]), "--json"];
            const run = await runInProcess(args);
            const what = `${args.join(" ")} with ${JSON.stringify(edits)}`;
            assert.ok(run.code === 0 || run.code === 2, `${what}: exit ${run.code}: ${run.stderr}`);
            if (run.code === 2)
              assert.ok(
                run.error instanceof CommanderError ||
                  (run.error instanceof InputError && run.error.field.length > 0),
                `${what}: refusal without a field: ${run.stderr}`,
              );
            else assert.doesNotMatch(run.stdout, /NaN/, `${what}: NaN in the output`);
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
      );
    });
  }
});

describe("holes the fuzz found, kept as examples", () => {
  it("funding on a file with a header and no rows: exit 2 naming --funding (was RangeError: Invalid time value, exit 1)", async () => {
    const file = join(dir, "funding-header-only.csv");
    writeFileSync(
      file,
      `${head("funding/binance_btcusdt_funding-8h_spot-perp-open_2019-09_2024-05.csv", 1)}\n`,
    );
    const run = await runInProcess(["funding", "--funding", file, "--json"]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.error instanceof InputError && run.error.field === "--funding");
    assert.match(run.stderr, /has no funding rows/);
  });
});

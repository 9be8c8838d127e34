import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import Table from "cli-table3";
import { fileErrorReason, InputError } from "../errors.js";
import type { Readable } from "../format.js";
import { maxDataBytes, sizeCapError } from "../market/data-file.js";
import { type ResolvedAnyDocument, resolveAnyDocument } from "../venues/any-document.js";

export { formatNumber, formatPercent } from "../format.js";
export { readNumberOption } from "../validate.js";

/** Name shown for standard input in messages. */
const STDIN_NAME = "<stdin>";

/** The text of an input and the name to show for it (the path, or `<stdin>` for `-`). */
export interface InputText {
  name: string;
  text: string;
}

/**
 * Reads `--input`: a file path (a regular file, or a pipe such as `<(…)`), or `-` for standard
 * input. A source that cannot be read is an {@link InputError} on `option` naming the path and the
 * reason; so is one above the market-data size cap ({@link maxDataBytes}, `LIQOPT_MAX_DATA_BYTES`),
 * checked on a regular file's size before reading and on every source while its chunks accumulate.
 */
export async function readInput(source: string, option = "--input"): Promise<InputText> {
  const cap = maxDataBytes();
  const name = source === "-" ? STDIN_NAME : source;
  const tooLarge = (size: string): never => {
    throw sizeCapError(option, name, size, cap, "Pass a smaller document");
  };
  try {
    if (source === "-") return { name, text: await readCapped(process.stdin, cap, tooLarge) };
    const stats = await stat(source);
    if (stats.isFile() && stats.size > cap) tooLarge(`${stats.size} bytes`);
    return { name, text: await readCapped(createReadStream(source), cap, tooLarge) };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      option,
      source,
      `cannot be read (${fileErrorReason(err)})`,
      "Give the path of an account document, or - to read it from standard input.",
    );
  }
}

/** The UTF-8 text of `stream`, calling `tooLarge` as soon as more than `cap` bytes have arrived. */
async function readCapped(
  stream: AsyncIterable<Uint8Array | string>,
  cap: number,
  tooLarge: (size: string) => never,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.from(chunk);
    total += bytes.length;
    if (total > cap) tooLarge(`more than ${cap} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/**
 * Parses JSON text. A syntax error becomes an {@link InputError} on `option` giving the file name,
 * line and column (1-based) of the first offending character and the line it sits on.
 */
export function parseJson(input: InputText, option = "--input"): unknown {
  const text = input.text.startsWith("\uFEFF") ? input.text.slice(1) : input.text;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    const lineText = (text.split("\n")[line - 1] ?? "").trim();
    throw new InputError(
      option,
      lineText,
      `${input.name}:${line}:${column} is not valid JSON: ${syntaxReason((err as Error).message)}`,
      `Correct the JSON at line ${line}, column ${column}.`,
    );
  }
}

/** V8's reason without its position or source excerpt, e.g. `Expected ',' or '}' after property value`. */
function syntaxReason(message: string): string {
  const positioned = /^(.*?) in JSON at position \d+/.exec(message);
  if (positioned?.[1] !== undefined) return positioned[1];
  const token = /^(Unexpected token '.+?'), .* is not valid JSON$/s.exec(message);
  return token?.[1] ?? message;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Offset of the first character at which `text` stops being JSON (RFC 8259 grammar), or
 * `text.length` when the input ends early. V8's messages carry a position only for some errors.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError("json");
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const expect = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c < " ") fail();
      i++;
      if (c === '"') return;
      if (c !== "\\") continue;
      const e = text[i] ?? fail();
      if (e === "u") {
        for (let k = 0; k < 4; k++) if (!/[0-9a-fA-F]/.test(text[++i] ?? "")) fail();
        i++;
      } else if ('"\\/bfnrt'.includes(e)) i++;
      else fail();
    }
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] !== close) {
      for (;;) {
        item();
        ws();
        if (text[i] === close) break;
        expect(",");
      }
    }
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      sequence("}", () => {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        expect(":");
        value();
      });
    } else if (c === "[") sequence("]", value);
    else if (c === '"') string();
    else if (c === "t") expect("true");
    else if (c === "f") expect("false");
    else if (c === "n") expect("null");
    else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m === null) fail();
      else i += m[0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch {
    return Math.min(i, text.length);
  }
}

/** An account document of any kind, resolved ({@link resolveAnyDocument}), with the name of its input. */
export type LoadedDocument = ResolvedAnyDocument & { name: string };

/** Reads, parses and resolves `--input` ({@link resolveAnyDocument}: an unknown venue is an error on `venue`). */
export async function loadDocument(source: string): Promise<LoadedDocument> {
  const input = await readInput(source);
  return { name: input.name, ...resolveAnyDocument(parseJson(input)) };
}

/**
 * One document of a batch input: its 0-based `index`, its 1-based `line` in NDJSON input (null in a
 * JSON array), and the parsed document or the {@link InputError} of a line that is not JSON.
 */
export type BatchEntry = { index: number; line: number | null } & (
  | { document: unknown }
  | { error: InputError }
);

/**
 * The documents of a batch input, or null for a single document: a JSON array of documents (one
 * entry per element), or NDJSON, one document per line (blank lines skipped), recognised when the
 * whole text is not one JSON value but its first non-blank line is. A line of NDJSON that is not JSON
 * becomes an entry with its error (file, line and column), so that the other lines still run.
 */
export function splitBatch(input: InputText): BatchEntry[] | null {
  const text = input.text.startsWith("\uFEFF") ? input.text.slice(1) : input.text;
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return splitLines(input.name, text);
  }
  return Array.isArray(whole) ? whole.map((document, index) => ({ index, line: null, document })) : null;
}

/** The NDJSON entries of `text`, or null when its first non-blank line is not JSON (not NDJSON). */
function splitLines(name: string, text: string): BatchEntry[] | null {
  const entries: BatchEntry[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === "") continue;
    const at = { index: entries.length, line: n + 1 };
    try {
      entries.push({ ...at, document: JSON.parse(line) as unknown });
    } catch (err) {
      if (entries.length === 0) return null;
      entries.push({ ...at, error: jsonLineError(name, n + 1, line, err as Error) });
    }
  }
  return entries;
}

/** The {@link InputError} of a line of NDJSON that is not JSON: `<name>:<line>:<column>` and the reason. */
function jsonLineError(name: string, line: number, text: string, err: Error): InputError {
  const column = jsonErrorOffset(text) + 1;
  return new InputError(
    "--input",
    text,
    `${name}:${line}:${column} is not valid JSON: ${syntaxReason(err.message)}`,
    `Correct the JSON at line ${line}, column ${column}.`,
  );
}

/** Commander's argument parser of a repeatable option: each use appends its value. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * JSON text with two-space indent (or on one line with `indent` 0, as NDJSON wants). `NaN` and
 * `±Infinity` are written as `null`, as `JSON.stringify` does for every non-finite number
 * (ECMA-262 SerializeJSONProperty), without a replacer that would slow it several times over.
 */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent);
}

/** One line of characters one column wide each (Latin, Greek, general punctuation, arrows, math). */
const SINGLE_WIDTH_LINE = /^[\u0020-\u007e\u00a0-\u02ff\u0370-\u03ff\u2000-\u22ff]*$/;

/** Whether {@link boxTable} draws a cell as cli-table3 would (otherwise cli-table3 draws the table). */
const drawnDirectly = (cell: string): boolean => SINGLE_WIDTH_LINE.test(cell);

/**
 * A plain cli-table3 table (no colours). Columns listed in `rightAlign` (0-based) are right-aligned;
 * `colWidths` with `wordWrap` wraps long cells. Tables of one-line single-width cells are drawn by
 * {@link boxTable}, identically and in linear time.
 */
export function renderTable(
  head: string[],
  rows: string[][],
  options: { rightAlign?: number[]; colWidths?: (number | null)[] } = {},
): string {
  const width = head.length > 0 ? head.length : (rows[0]?.length ?? 0);
  const plain =
    options.colWidths === undefined &&
    rows.length > 0 &&
    [head, ...rows].every((r) => (r === head && r.length === 0) || r.length === width) &&
    [head, ...rows].every((r) => r.every(drawnDirectly));
  if (plain) return boxTable(head, rows, width, options.rightAlign ?? []);
  const colAligns = Array.from({ length: width }, (_, i) =>
    options.rightAlign?.includes(i) === true ? ("right" as const) : ("left" as const),
  );
  const table = new Table({
    head,
    colAligns,
    style: { head: [], border: [] },
    ...(options.colWidths === undefined ? {} : { colWidths: options.colWidths, wordWrap: true }),
  });
  table.push(...rows);
  return table.toString();
}

/** The text of a {@link Readable} report: its lines, and its tables drawn by {@link renderTable}. */
export function renderReadable(readable: Readable): string {
  return readable
    .map((b) => (typeof b === "string" ? b : renderTable(b.head, b.rows, { rightAlign: b.rightAlign })))
    .join("\n");
}

/**
 * The table cli-table3 draws for one-line cells of single-width characters (Latin, Greek and the
 * punctuation and mathematical signs the reports print), drawn directly: cli-table3's layout pass is
 * quadratic in the rows (its span-conflict check walks every earlier cell: 38 s for 10,000 positions),
 * this is linear. Same borders, one space of padding, a rule between rows; test/cli/io.test.ts checks
 * it against cli-table3 character for character.
 */
function boxTable(head: string[], rows: string[][], width: number, rightAlign: readonly number[]): string {
  const all = head.length > 0 ? [head, ...rows] : rows;
  const widths = Array.from({ length: width }, (_, j) => {
    let w = 0;
    for (const r of all) w = Math.max(w, (r[j] as string).length);
    return w;
  });
  const rule = (left: string, mid: string, right: string) =>
    `${left}${widths.map((w) => "─".repeat(w + 2)).join(mid)}${right}`;
  const line = (r: string[]) =>
    `│${r
      .map(
        (c, j) =>
          ` ${rightAlign.includes(j) ? c.padStart(widths[j] as number) : c.padEnd(widths[j] as number)} `,
      )
      .join("│")}│`;
  const out = [rule("┌", "┬", "┐")];
  all.forEach((r, i) => {
    if (i > 0) out.push(rule("├", "┼", "┤"));
    out.push(line(r));
  });
  out.push(rule("└", "┴", "┘"));
  return out.join("\n");
}

/** Writes `text` and a newline to standard output. */
export function writeOut(text: string): void {
  process.stdout.write(`${text}\n`);
}

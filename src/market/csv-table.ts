/**
 * The one CSV reader of the market-data loaders (candles, funding, option chains), on csv-parse
 * (https://csv.js.org/parse/): RFC 4180 quoted fields (a delimiter or a line break inside quotes,
 * `""` for a quote), a UTF-8 byte-order mark, CRLF or LF line ends, and a `,`, `;` or tab
 * delimiter detected from the header line. Text is parsed in blocks that end on a line break
 * outside quotes, so a file read in chunks ({@link readDataChunks}) is parsed in bounded memory:
 * only the caller's per-record work accumulates.
 */
import { CsvError, parse } from "csv-parse/sync";
import { InputError } from "../errors.js";

/** Text to parse: a whole string, or its chunks in order (e.g. from `readDataChunks`). */
export type CsvText = string | Iterable<string>;

/** The delimiters a header line may use, in order of preference on a tie. */
const DELIMITERS = [",", ";", "\t"] as const;

/**
 * A parsed block is at least this long (UTF-16 units), so that csv-parse runs on large blocks, and
 * chunks are taken this much at a time, so that a block stays near this size: small enough for
 * its strings to be collected young (V8 puts strings above 128 KiB in its large-object space,
 * freed only by a full collection), large enough that the per-block work does not count.
 */
const MIN_BLOCK = 1 << 16;

/**
 * The delimiter of a header line: the candidate (`,`, `;`, tab) found most often outside quotes,
 * `,` on a tie, `undefined` when the line has none.
 */
export function detectDelimiter(line: string): string | undefined {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best ?? "") ?? 0)) best = d;
  return best;
}

/** The index just past the last line break of `text` that lies outside quotes (0 when there is none). */
function lastRecordEnd(text: string): number {
  if (!text.includes('"')) return text.lastIndexOf("\n") + 1;
  let quoted = false;
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) end = i + 1;
  }
  return end;
}

/**
 * Calls `onRecord(cells, line)` for every record of `text` in order, the header included: cells
 * trimmed, `line` the 1-based line on which the record ends (the header is line 1, a banner line
 * before it counts). Blank lines are skipped. The delimiter is detected on the first line that has
 * one ({@link detectDelimiter}; a banner line without any is read as one cell). A malformed record
 * (a quote left open, a quote inside an unquoted field) is an {@link InputError} on
 * `locate(line)`. Rows are not checked for their number of cells: the caller compares with its
 * header. Returns the delimiter used.
 */
export function forEachCsvRecord(
  text: CsvText,
  locate: (line: number) => string,
  onRecord: (cells: string[], line: number) => void,
): string {
  const chunks = typeof text === "string" ? [text] : text;
  let delimiter: string | undefined;
  let pending = "";
  let lineOffset = 0;
  let first = true;
  // One buffer for the UTF-8 bytes of every block, grown as needed: a new one per block would
  // leave a megabyte of garbage outside the heap per block, which the collector frees late.
  let buffer = Buffer.alloc(0);
  const run = (block: string) => {
    if (delimiter === undefined) {
      for (const line of block.split("\n", 64)) {
        delimiter = detectDelimiter(line);
        if (delimiter !== undefined) break;
      }
      delimiter ??= ",";
    }
    // Lines are counted here, on the bytes csv-parse has consumed: its own count takes a CRLF
    // inside a quoted field for two lines.
    const length = Buffer.byteLength(block, "utf8");
    if (buffer.length < length) buffer = Buffer.allocUnsafe(Math.max(length, 2 * buffer.length));
    const bytes = buffer.subarray(0, buffer.write(block, 0, "utf8"));
    let scanned = 0;
    let lines = 0;
    const lineAt = (end: number) => {
      for (let i = bytes.indexOf(10, scanned); i >= 0 && i < end; i = bytes.indexOf(10, i + 1)) lines++;
      scanned = Math.max(scanned, end);
      return lineOffset + lines + (end > 0 && bytes[end - 1] === 10 ? 0 : 1);
    };
    try {
      parse(bytes, {
        delimiter,
        trim: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
        on_record: (record: string[], context) => {
          onRecord(record, lineAt(context.bytes));
          return null;
        },
      });
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const line = lineOffset + ((error as CsvError & { lines?: number }).lines ?? 1);
      throw new InputError(
        locate(line),
        error.code,
        `is not valid CSV (${error.message.replace(/ at line \d+| on line \d+/g, "")})`,
        'Close every quoted field with a quote and double a quote inside one (""), or remove stray quotes.',
      );
    }
    lineAt(bytes.length);
    lineOffset += lines;
  };
  for (const chunk of chunks) {
    const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    for (let at = 0; at < text.length; at += MIN_BLOCK) {
      pending += text.slice(at, at + MIN_BLOCK);
      if (pending.length < MIN_BLOCK) continue;
      const end = lastRecordEnd(pending);
      if (end === 0) continue;
      run(pending.slice(0, end));
      pending = pending.slice(end);
    }
  }
  if (pending !== "" || delimiter === undefined) run(pending);
  return delimiter ?? ",";
}

/**
 * About how many records a CSV of `bytes` bytes holds, from the mean length of the lines of its
 * start `head` (e.g. a file's first chunk), with 2 % to spare; the exact count of lines when
 * `head` is the whole file. For a loader to size its row store ahead (a guess: the store still
 * grows when the lines get shorter further on).
 */
export function expectedRecords(head: string, bytes: number): number {
  let lines = 0;
  for (let i = head.indexOf("\n"); i >= 0; i = head.indexOf("\n", i + 1)) lines++;
  const headBytes = Buffer.byteLength(head, "utf8");
  if (bytes <= headBytes || lines === 0) return lines + 1;
  return Math.ceil((bytes / headBytes) * lines * 1.02) + 1;
}

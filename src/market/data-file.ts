/**
 * The one reader of market-data files: every loader (candles, funding, books, BitMEX recordings,
 * option chains, DVOL, `data inspect`) reads its file here, so that each refuses the same things
 * with the same words: a path that is not a regular file (a device such as `/dev/zero`, a FIFO, a
 * directory), a file above the size cap, a file the system will not open, with the reason as a
 * sentence ({@link fileErrorReason}) rather than an errno code, and a binary file (Arrow/Feather,
 * Parquet, gzip: {@link BINARY_FORMATS}) with the conversion that makes it readable.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { fileErrorReason, InputError } from "../errors.js";

/** Environment variable that sets the size cap of a data file, in bytes. */
export const MAX_DATA_BYTES_ENV = "LIQOPT_MAX_DATA_BYTES";

/** The default size cap of a data file: 512 MiB, about 40 times the largest bundled file. */
const DEFAULT_MAX_DATA_BYTES = 512 * 1024 * 1024;

/** Bytes read per call while loading a file: the file's size (and one more) within these bounds. */
const MIN_CHUNK_BYTES = 64 * 1024;
const MAX_CHUNK_BYTES = 1024 * 1024;

/**
 * The size cap of a data file in bytes: {@link MAX_DATA_BYTES_ENV} when set (a positive integer),
 * else 512 MiB. A value that is not a positive integer is an {@link InputError} on the variable.
 * The same cap applies to `--input` and standard input (`src/cli/io.ts`).
 */
export function maxDataBytes(): number {
  const raw = process.env[MAX_DATA_BYTES_ENV];
  if (raw === undefined || raw === "") return DEFAULT_MAX_DATA_BYTES;
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new InputError(
      MAX_DATA_BYTES_ENV,
      raw,
      "is not a positive whole number of bytes",
      `Set ${MAX_DATA_BYTES_ENV} to a size in bytes, e.g. ${DEFAULT_MAX_DATA_BYTES}, or unset it.`,
    );
  return bytes;
}

/**
 * The refusal of a source above the size cap `cap`: an {@link InputError} on `field` naming the
 * source, its `size` in words, the cap and {@link MAX_DATA_BYTES_ENV}; `smaller` is the first fix.
 */
export function sizeCapError(
  field: string,
  source: string,
  size: string,
  cap: number,
  smaller: string,
): InputError {
  return new InputError(
    field,
    source,
    `is ${size}, above the cap of ${cap} bytes`,
    `${smaller}, or raise the cap with ${MAX_DATA_BYTES_ENV}=<bytes>.`,
  );
}

/** What a path is when it is not a regular file, for the refusal. */
function nonRegularKind(stats: Stats): string {
  if (stats.isDirectory()) return "is a directory";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "is a device, not a regular file";
  if (stats.isFIFO()) return "is a pipe (FIFO), not a regular file";
  if (stats.isSocket()) return "is a socket, not a regular file";
  return "is not a regular file";
}

/**
 * The binary formats a user may hold market data in, told by their first bytes (magic numbers):
 * Arrow IPC files (Feather v2, `ARROW1`, the Arrow columnar format spec, "IPC File Format"), Feather
 * v1 (`FEA1`), Parquet (`PAR1`, the Parquet format spec, "File format") and gzip (1f 8b, RFC 1952
 * §2.3.1). freqtrade writes its candles and funding rates as Feather (Arrow IPC with LZ4-frame
 * buffer compression: `FeatherDataHandler._store_dataframe`, `compression="lz4"`) by default, or
 * Parquet, or gzipped JSON (`jsongz`). None is read here: each is refused with the conversion
 * that gives a format liqopt reads.
 */
const BINARY_FORMATS: readonly { magic: readonly number[]; what: string; fix: string }[] = [
  {
    magic: [...Buffer.from("ARROW1")],
    what: "an Apache Arrow IPC file (Feather v2, freqtrade's default data format)",
    fix:
      "Convert it to JSON with freqtrade: freqtrade convert-data --format-from feather --format-to json " +
      "--datadir <its folder> (add --trading-mode futures --candle-types futures funding_rate for perpetuals), " +
      "then pass the .json file.",
  },
  {
    magic: [...Buffer.from("FEA1")],
    what: "a Feather v1 file",
    fix: "Convert it to CSV or JSON (e.g. pandas: pd.read_feather(path).to_csv(...)), then pass that file.",
  },
  {
    magic: [...Buffer.from("PAR1")],
    what: "a Parquet file",
    fix:
      "Convert it to JSON with freqtrade (freqtrade convert-data --format-from parquet --format-to json " +
      "--datadir <its folder>) or to CSV (pandas: pd.read_parquet(path).to_csv(...)), then pass that file.",
  },
  {
    magic: [0x1f, 0x8b],
    what: "gzip-compressed (freqtrade's jsongz, or a .gz download)",
    fix: "Decompress it first (gunzip <file>), then pass the uncompressed file.",
  },
];

/** The binary format whose magic number `head` starts with, if any ({@link BINARY_FORMATS}). */
function binaryFormatOf(head: Uint8Array): (typeof BINARY_FORMATS)[number] | undefined {
  return BINARY_FORMATS.find((f) => f.magic.length <= head.length && f.magic.every((b, i) => head[i] === b));
}

/** How to name the failing read: the error's field and what to pass instead. */
export interface DataFileContext {
  /** The field or option the error names (e.g. `--book`, or the path itself). */
  readonly field: string;
  /** What the user should pass instead, e.g. "Pass the path of a readable CSV file." */
  readonly fix: string;
}

/**
 * The text (UTF-8) of a market-data file: {@link readDataChunks} joined. Refuses what it refuses.
 */
export function readDataFile(path: string, context: DataFileContext): string {
  let text = "";
  for (const chunk of readDataChunks(path, context)) text += chunk;
  return text;
}

/**
 * The text (UTF-8) of a market-data file in chunks of at most 1 MiB, decoded across chunk bounds
 * (a character split between two reads is whole in the later chunk), so that a loader can parse a
 * large file in bounded memory. Opens `path` once (without blocking) and refuses, with an
 * {@link InputError} on `context.field` naming the path: a path that cannot be opened (the reason
 * as a sentence, {@link fileErrorReason}), one that is not a regular file (a device, a FIFO, a
 * directory: reading `/dev/zero` would never end), a binary file ({@link BINARY_FORMATS}: its
 * first bytes are an Arrow, Feather, Parquet or gzip magic number), and a file above {@link maxDataBytes}, checked
 * both on its size and while reading, so a file that grows during the read is refused too. The
 * file is closed when the iteration ends, early or not. `onSize` is told the file's size in bytes
 * once it is open.
 */
function* readDataChunks(
  path: string,
  context: DataFileContext,
  onSize?: (bytes: number) => void,
): Generator<string, void, undefined> {
  const refuse = (problem: string, fix = context.fix): never => {
    throw new InputError(context.field, path, problem, fix);
  };
  const cap = maxDataBytes();
  const tooLarge = (size: string): never => {
    throw sizeCapError(context.field, path, size, cap, "Pass a smaller file (cut it to the dates you need)");
  };
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO without a writer returns (and is refused) instead of waiting.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return refuse(`cannot be read (${fileErrorReason(err)})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) refuse(`cannot be read (${nonRegularKind(stats)})`);
    if (stats.size > cap) tooLarge(`${stats.size} bytes`);
    onSize?.(stats.size);
    const decoder = new StringDecoder("utf8");
    let total = 0;
    let first = true;
    const chunkBytes = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, stats.size + 1));
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunkBytes, null);
      } catch (err) {
        return refuse(`cannot be read (${fileErrorReason(err)})`);
      }
      if (read === 0) break;
      if (first) {
        const binary = binaryFormatOf(chunk.subarray(0, read));
        if (binary !== undefined)
          refuse(`is ${binary.what}: liqopt reads text files (CSV, JSON)`, binary.fix);
        first = false;
      }
      total += read;
      if (total > cap) tooLarge(`more than ${cap} bytes`);
      const text = decoder.write(chunk.subarray(0, read));
      if (text !== "") yield text;
    }
    const rest = decoder.end();
    if (rest !== "") yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * The chunks of a data file ({@link readDataChunks}) with the first one read ahead, so that a
 * loader can tell its format from its start (`head`, empty for an empty file) and its size in
 * bytes (`bytes`), and still read it all from `chunks` (the first chunk included). The refusals of
 * {@link readDataChunks} happen here.
 */
export function peekDataChunks(
  path: string,
  context: DataFileContext,
): { head: string; bytes: number; chunks: Iterable<string> } {
  let bytes = 0;
  const rest = readDataChunks(path, context, (size) => {
    bytes = size;
  });
  const first = rest.next();
  const head = first.done === true ? "" : first.value;
  function* all(): Generator<string, void, undefined> {
    if (head !== "") yield head;
    yield* rest;
  }
  return { head, bytes, chunks: all() };
}

/** The first chunk (up to 1 MiB) of a data file, with the refusals of {@link readDataChunks}; the file is closed. */
export function readDataHead(path: string, context: DataFileContext): string {
  const chunks = readDataChunks(path, context);
  try {
    const first = chunks.next();
    return first.done === true ? "" : first.value;
  } finally {
    chunks.return();
  }
}

/** Whether a file's first chunk starts a JSON array (after a byte-order mark and white space). */
export function isJsonArray(head: string): boolean {
  return head
    .replace(/^\uFEFF/, "")
    .trimStart()
    .startsWith("[");
}

/** The JSON value of a file's chunks; invalid JSON is an {@link InputError} on `source` with `fix`. */
export function parseJsonText(chunks: Iterable<string>, source: string, fix: string): unknown {
  let text = "";
  for (const chunk of chunks) text += chunk;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new InputError(source, text.slice(0, 40), `is not valid JSON (${String(error)})`, fix);
  }
}

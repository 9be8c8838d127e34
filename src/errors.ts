/**
 * The one error type raised for bad input at any boundary (file loaders, account documents,
 * CLI options, API bodies). It names the field, shows the offending value and says how to fix it,
 * so that the CLI and the server can print it as one clear line instead of a stack trace.
 */
export class InputError extends Error {
  /** Path of the offending field, e.g. `positions[2].entryPrice`. */
  readonly field: string;
  /** The value that was rejected (as received). */
  readonly value: unknown;
  /** What the user should do instead. */
  readonly fix: string;

  constructor(field: string, value: unknown, problem: string, fix: string) {
    super(`${field}: ${problem} (got ${describeValue(value)}). ${fix}`);
    this.name = "InputError";
    this.field = field;
    this.value = value;
    this.fix = fix;
  }
}

/** A short printable rendering of a rejected value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    // A bigint, a cycle, or nesting too deep for JSON.stringify (a 200,000-deep array overflows
    // the stack there and in String(value) alike): a preview that stops at 80 characters.
    const text = preview(value, PREVIEW_CHARS + 1);
    return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 3)}...` : text;
  }
}

/** Characters of a value shown in an error message. */
const PREVIEW_CHARS = 80;

/**
 * JSON-like text of `value`, cut once it reaches `room` characters: each level of nesting adds a
 * character, so the recursion is never deeper than `room`, however deep the value is nested.
 */
function preview(value: unknown, room: number): string {
  if (room <= 0) return "";
  if (value === null || typeof value !== "object") {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  }
  const array = Array.isArray(value);
  let text = array ? "[" : "{";
  for (const [key, item] of Object.entries(value)) {
    if (text.length >= room) break;
    if (text.length > 1) text += ",";
    if (!array) text += `${JSON.stringify(key)}:`;
    text += preview(item, room - text.length - 1);
  }
  return `${text}${array ? "]" : "}"}`;
}

/** Reasons, as sentences, for the errno codes a read or write of a path can end with (POSIX `errno.h`). */
const FILE_ERROR_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "input/output error",
  EAGAIN: "the file is not ready to be read",
  ENXIO: "no such device",
  ENODEV: "no such device",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
};

/**
 * Why a file could not be read, as a sentence ("no such file", "is a directory", "permission
 * denied", …) from the errno code of a Node.js file-system error; the code itself for one without
 * a sentence, the message for an error without a code.
 */
export function fileErrorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return FILE_ERROR_REASONS[code] ?? code;
  return err instanceof Error ? err.message : String(err);
}

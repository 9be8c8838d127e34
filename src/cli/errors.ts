import { CommanderError } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";

/** Exit code for bad input or usage (InputError, unknown option, missing argument). */
export const EXIT_INPUT = 2;
/** Exit code for an unexpected failure (a bug or an environment problem). */
export const EXIT_INTERNAL = 1;

/** Where error text goes; `process.stderr` in the CLI, a buffer in tests. */
export interface ErrorSink {
  write(text: string): unknown;
}

/** One line: newlines and runs of spaces in a message are folded. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * The one place where the CLI turns an error into output and an exit code:
 * - {@link InputError} → `liqopt: error: <field>: <problem> (got …). <fix>`, exit 2;
 * - a commander usage error (unknown option, missing argument) → `liqopt: error: <message>`, exit 2;
 *   help and version requests exit with commander's code and print nothing more;
 * - anything else → `liqopt: internal error: <message>`, exit 1.
 * No stack trace is printed unless `debug` (`LIQOPT_DEBUG=1`) is set.
 * Returns the exit code.
 */
export function reportError(err: unknown, sink: ErrorSink, debug: boolean): number {
  const stack = debug && err instanceof Error && err.stack !== undefined ? `${err.stack}\n` : "";
  if (err instanceof CommanderError) {
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return err.exitCode;
    if (err.code === "commander.help") return err.exitCode === 0 ? 0 : EXIT_INPUT;
    const message = oneLine(err.message.replace(/^error:\s*/, ""));
    sink.write(`liqopt: error: ${message} (see liqopt --help)\n${stack}`);
    return EXIT_INPUT;
  }
  if (err instanceof InputError) {
    sink.write(`liqopt: error: ${oneLine(err.message)}\n${stack}`);
    return EXIT_INPUT;
  }
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const hint = debug ? "" : " (set LIQOPT_DEBUG=1 for the stack trace)";
  sink.write(`liqopt: internal error: ${oneLine(message)}${hint}\n${stack}`);
  return EXIT_INTERNAL;
}

/**
 * Standard output failed. When its reader has gone (EPIPE: `liqopt venues | head -1`), nothing more
 * can be shown, so the process ends quietly with exit 0 as a Unix filter does; any other failure is
 * reported like every error ({@link reportError}) and ends the process.
 */
function onOutputError(err: NodeJS.ErrnoException): void {
  if (err.code === "EPIPE") process.exit(0);
  process.exit(reportError(err, process.stderr, process.env.LIQOPT_DEBUG === "1"));
}

/**
 * Runs the CLI body and sets `process.exitCode` from {@link reportError} when it throws
 * (`process.exitCode` rather than `process.exit`, so that pending output is flushed). A closed
 * standard output ends the process quietly ({@link onOutputError}).
 */
export async function runGuarded(body: () => Promise<void>): Promise<void> {
  process.stdout.on("error", onOutputError);
  try {
    await body();
  } catch (err) {
    process.exitCode = reportError(err, process.stderr, process.env.LIQOPT_DEBUG === "1");
  }
}

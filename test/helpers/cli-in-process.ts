/**
 * The real `liqopt` program run in-process (src/cli/program.ts), for the fuzz suite: many runs at the
 * cost of one module load. Standard output is captured while a command runs; the error it throws, if
 * any, goes through the CLI's own `reportError`, so the exit code and the error line are the ones a
 * user sees.
 */
import { reportError } from "../../src/cli/errors.js";
import { buildProgram } from "../../src/cli/program.js";

/** One in-process run: exit code, what the command printed, the error line and the error itself. */
export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly error: unknown;
}

/** Runs `liqopt …args` in-process. */
export async function runInProcess(args: readonly string[]): Promise<InProcessRun> {
  const program = await buildProgram(args);
  const out: string[] = [];
  const write = process.stdout.write;
  // Capture the command's text (strings); anything else (the test runner's own protocol) passes.
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "string")
      return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    out.push(chunk);
    return true;
  }) as typeof write;
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  let stderr = "";
  let error: unknown = null;
  try {
    await program.parseAsync(["node", "liqopt", ...args]);
    code = typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    error = err;
    code = reportError(err, { write: (t: string) => (stderr += t) }, false);
  } finally {
    process.stdout.write = write;
    process.exitCode = exitCode;
  }
  return { code, stdout: out.join(""), stderr, error };
}

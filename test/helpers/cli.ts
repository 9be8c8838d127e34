/**
 * Driving the real CLI in end-to-end tests: `node --import tsx src/cli/main.ts …` with its
 * stdout, stderr and exit code, and the assertions every command shares.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "src", "cli", "main.ts");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args`, feeding `stdin` if given; LIQOPT_DEBUG is cleared unless set in `env`. */
export function liqopt(args: string[], stdin?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { LIQOPT_DEBUG: _debug, ...base } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
      cwd: ROOT,
      env: { ...base, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** Exit 0 and nothing on stderr; returns stdout. */
export function ok(r: Run): string {
  assert.equal(r.code, 0, `exit code ${r.code}, stderr: ${r.stderr}`);
  assert.equal(r.stderr, "");
  return r.stdout;
}

/** Exit 0 and stdout parsed as JSON. */
export function json(r: Run): Record<string, unknown> {
  return JSON.parse(ok(r)) as Record<string, unknown>;
}

/** Exit 2, nothing on stdout, one line `liqopt: error: …` containing `field`, no stack trace. */
export function assertInputError(r: Run, field: string): void {
  assert.equal(r.code, 2, `exit code ${r.code}; stdout: ${r.stdout}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line, got: ${r.stderr}`);
  assert.match(lines[0] ?? "", /^liqopt: error: /);
  assert.ok(lines[0]?.includes(field), `expected ${field} in: ${lines[0]}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
}

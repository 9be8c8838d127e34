/**
 * The CLI at the edges of its environment (issue 10, section 6): a reader that closes standard
 * output early, data files that are devices or too large, unreadable paths, deeply nested input.
 * Each case spawns the real CLI; none may end with a stack trace.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT } from "../helpers/cli.js";

/**
 * Runs the CLI on `stdin` and closes its standard output after the first chunk, as `| head -1`
 * does; resolves with the exit code and standard error.
 */
function liqoptIntoClosedReader(
  args: string[],
  stdin: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...args], {
      cwd: ROOT,
    });
    let stderr = "";
    child.stdout.once("data", () => child.stdout.destroy());
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
    child.stdin.on("error", () => {});
    child.stdin.end(stdin);
  });
}

describe("CLI robustness at the edges", () => {
  test("output into a reader that closes early (| head -1) ends quietly with exit 0", async () => {
    const document = JSON.stringify(
      JSON.parse(readFileSync(join(ROOT, "examples", "isolated-btc.json"), "utf8")),
    );
    const batch = `${Array.from({ length: 3000 }, () => document).join("\n")}\n`;
    const r = await liqoptIntoClosedReader(["liq-price", "--input", "-"], batch);
    assert.equal(r.stderr, "", `stderr: ${r.stderr}`);
    assert.equal(r.code, 0);
  });
});

/**
 * The CLI at the edges of its environment (issue 10, section 6): a reader that closes standard
 * output early, data files that are devices or too large, unreadable paths, deeply nested input.
 * Each case spawns the real CLI; none may end with a stack trace.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertInputError, liqopt, ROOT } from "../helpers/cli.js";

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

/**
 * Runs the CLI with examples/isolated-btc.json on a real pipe (`cat … | liqopt …`, as `<(…)` gives a
 * pipe path), which Node's spawn does not provide (its standard input is a socket).
 */
function liqoptThroughShellPipe(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = [process.execPath, "--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...args];
  return new Promise((resolve) => {
    execFile(
      "sh",
      ["-c", 'cat examples/isolated-btc.json | "$@"', "sh", ...cli],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
    );
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

  for (const args of [
    ["vol", "--candles", "/dev/zero"],
    ["funding", "--funding", "/dev/zero"],
    ["book", "--book", "/dev/zero", "--size", "1"],
    ["implied", "--chain", "/dev/zero"],
    ["data", "inspect", "/dev/zero"],
  ])
    test(`${args.slice(0, -1).join(" ")} /dev/zero is refused (not a regular file), exit 2`, {
      skip: process.platform !== "linux",
    }, async () => {
      const r = await liqopt(args);
      assertInputError(r, "cannot be read (is a device, not a regular file)");
    });

  test("a data file above LIQOPT_MAX_DATA_BYTES is refused naming the file and the variable", async () => {
    const r = await liqopt(["vol", "--candles", "btc-1d"], undefined, { LIQOPT_MAX_DATA_BYTES: "1000" });
    assertInputError(r, "above the cap of 1000 bytes");
    assert.match(r.stderr, /binance-spot_btcusdt_1d.*LIQOPT_MAX_DATA_BYTES=<bytes>/);
  });

  test("--input above LIQOPT_MAX_DATA_BYTES is refused naming the option, the cap and the variable", async () => {
    const env = { LIQOPT_MAX_DATA_BYTES: "100" };
    const document = readFileSync(join(ROOT, "examples", "isolated-btc.json"), "utf8");
    assert.ok(document.length > 100);
    for (const [args, stdin, name] of [
      [["liq-price", "--input", "examples/isolated-btc.json"], undefined, "examples/isolated-btc.json"],
      [["liq-price", "--input", "-"], document, "<stdin>"],
    ] as const) {
      const r = await liqopt([...args], stdin, env);
      assertInputError(r, "--input: is ");
      assert.ok(r.stderr.includes(`above the cap of 100 bytes (got "${name}")`), r.stderr);
      assert.match(r.stderr, /LIQOPT_MAX_DATA_BYTES=<bytes>/);
    }
    const piped = await liqoptThroughShellPipe(["liq-price", "--input", "/dev/stdin"], env);
    assertInputError(piped, "above the cap of 100 bytes");
  });

  test("--input under the cap still reads a file, - and a pipe path", async () => {
    const document = readFileSync(join(ROOT, "examples", "isolated-btc.json"), "utf8");
    const env = { LIQOPT_MAX_DATA_BYTES: String(document.length) };
    const file = await liqopt(
      ["liq-price", "--json", "--input", "examples/isolated-btc.json"],
      undefined,
      env,
    );
    assert.equal(file.code, 0, file.stderr);
    const stdin = await liqopt(["liq-price", "--json", "--input", "-"], document, env);
    const piped = await liqoptThroughShellPipe(["liq-price", "--json", "--input", "/dev/stdin"], env);
    for (const r of [stdin, piped]) {
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), JSON.parse(file.stdout));
    }
  });

  test("a missing data file says so in words, not ENOENT", async () => {
    const r = await liqopt(["funding", "--funding", "/nonexistent/funding.csv"]);
    assertInputError(r, "cannot be read (no such file)");
    assert.doesNotMatch(r.stderr, /ENOENT/);
  });

  test("a 200,000-deep nested document on stdin is refused in one line naming the field, exit 2", async () => {
    const depth = 200_000;
    const r = await liqopt(
      ["liq-price", "--input", "-"],
      `{"venue":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    );
    assertInputError(r, "venue: must be a non-empty string");
  });

  test("a chart path in a missing directory is refused on --chart in words, exit 2", async () => {
    const r = await liqopt(["vol", "--candles", "btc-1d", "--chart", "/nonexistent/dir/vol.svg"]);
    assertInputError(r, "--chart: cannot be written (no such file)");
  });
});

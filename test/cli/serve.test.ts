/**
 * `liqopt serve` end to end: the real CLI in a child process listening on loopback (any free port),
 * answering the API, and exiting 0 on SIGTERM and on SIGINT; a taken port is an input error on --port.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertInputError, liqopt, ROOT } from "../helpers/cli.js";

/** Starts `liqopt serve …args` and resolves with the child and the URL it prints once listening. */
async function serve(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "serve", ...args],
    {
      cwd: ROOT,
    },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: string) => {
      stdout += d;
      const m = /^liqopt on (http:\/\/\S+)$/m.exec(stdout);
      if (m !== null) resolve(m[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`exited ${code} before listening: ${stdout}`)));
  });
  return { child, url };
}

describe("liqopt serve", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`serves the API on loopback and exits 0 on ${signal}`, async () => {
      const { child, url } = await serve(["--port", "0", "--max-batch", "1"]);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/v1/health`);
      assert.deepEqual(await health.json(), { status: "ok" });
      const batch = await fetch(`${url}/v1/liq-price/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "[{}, {}]",
      });
      assert.equal(batch.status, 413, "--max-batch reaches the server");
      const exited = once(child, "exit");
      child.kill(signal);
      assert.deepEqual(await exited, [0, null]);
    });
  }

  test("--log writes one line per request without its body", async () => {
    const { child, url } = await serve(["--port", "0", "--log"]);
    let log = "";
    child.stdout.on("data", (d: string) => {
      log += d;
    });
    const secret = "SECRET-MARKER-5f1c";
    const res = await fetch(`${url}/v1/liq-price`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: secret },
      body: JSON.stringify({ venue: secret }),
    });
    assert.equal(res.status, 400);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
    assert.match(log, /"url":"\/v1\/liq-price"/);
    assert.match(log, /"statusCode":400/);
    assert.doesNotMatch(log, new RegExp(secret), "no body nor header in the log");
  });

  test("a port already taken is an input error on --port", async () => {
    const { child, url } = await serve(["--port", "0"]);
    try {
      assertInputError(await liqopt(["serve", "--port", new URL(url).port]), "--port");
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });

  test("a port out of range is an input error on --port", async () => {
    assertInputError(await liqopt(["serve", "--port", "70000"]), "--port");
  });
});

/**
 * Fuzz of the HTTP API (issue 13: "malformed requests produce no 5xx"): a few hundred requests to
 * every endpoint, each an example account document with fields replaced by adversarial values (wrong
 * types, huge and tiny numbers, deep nesting, long strings) or removed, wrapped or not in its
 * endpoint's envelope, or arbitrary JSON, or text that is not JSON. Every answer must be a 200 with a
 * JSON body or a 4xx RFC 9457 problem; never a 5xx. Fixed seed (test/setup.ts); `LIQOPT_FUZZ_RUNS=<n>`
 * runs more.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { buildServer } from "../../src/server/app.js";
import { malformedRequest } from "./malformed.js";

const RUNS = Number(process.env.LIQOPT_FUZZ_RUNS ?? 300);

const app = buildServer();
after(() => app.close());

describe("HTTP API fuzz", () => {
  it(`${RUNS} malformed requests: a 200 or a 4xx problem, never a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(malformedRequest, async ({ url, body }) => {
        const res = await app.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/json" },
          payload: body,
        });
        assert.ok(res.statusCode < 500, `${url} ${body.slice(0, 300)} → ${res.statusCode} ${res.body}`);
        const type = String(res.headers["content-type"]);
        if (res.statusCode === 200) assert.match(type, /^application\/json/);
        else {
          assert.match(type, /^application\/problem\+json/);
          assert.equal((JSON.parse(res.body) as { status: number }).status, res.statusCode);
        }
        assert.doesNotThrow(() => JSON.parse(res.body));
      }),
      { numRuns: RUNS },
    );
  });
});

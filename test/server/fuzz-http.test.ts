/**
 * The HTTP API's fuzz of issue 13's "done when": 10,000 malformed requests against a real server
 * listening on loopback (not inject, so Node's HTTP parser and fastify's socket handling are in the
 * path) — the malformed bodies of ./malformed.ts, and requests malformed at the HTTP level: bodies
 * over the size limit, bad UTF-8 in bodies and paths, path tricks (`/v1/../`, `%2e%2e`, `..%2f`,
 * NUL, `//`), overlong URLs, other methods and content types. Every answer must come within
 * {@link TIMEOUT_MS} (no hang) with a status below 500; nothing outside the API is served from a
 * path trick; and the process's resident set after the 10,000 requests exceeds the one after a
 * warm-up of 1,000 by less than {@link RSS_BOUND_MIB} MiB, both taken after a full garbage
 * collection (no leak).
 *
 * It takes a minute or more, so it runs only with `LIQOPT_FUZZ=1` (set by `.ci/run`), not in the
 * fast `npm test`. Fixed seed (test/setup.ts); `LIQOPT_FUZZ_RUNS=<n>` changes the 10,000.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { buildServer, DEFAULT_BODY_LIMIT } from "../../src/server/app.js";
import { malformedRequest } from "./malformed.js";

const RUNS = Number(process.env.LIQOPT_FUZZ_RUNS ?? 10_000);
const WARM_UP = 1_000;
/** Longest wait for one answer, milliseconds: longer is a hang. */
const TIMEOUT_MS = 10_000;
/** Largest growth of the resident set from after the warm-up to after the run, MiB. */
const RSS_BOUND_MIB = 40;

/** One raw request: method, path as sent (bytes beyond ASCII as Latin-1), headers and body. */
interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const JSON_TYPE = { "content-type": "application/json" };
const ENDPOINTS = ["/v1/liq-price", "/v1/liq-price/batch", "/v1/what-if", "/v1/liquidate", "/v1/vol"];

/** Paths that try to leave the API or confuse its router. */
const pathTrick: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "/v1/../v1/liq-price",
    "/v1/%2e%2e/liq-price",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/v1/..%2f..%2fpackage.json",
    "/docs/../package.json",
    "/docs/%2e%2e/%2e%2e/package.json",
    "/docs/static/..%2f..%2f..%2fpackage.json",
    "/docs/static/%2e%2e%2f%2e%2e%2fpackage.json",
    "/docs/static/....//....//package.json",
    "//v1//liq-price",
    "/v1/./liq-price",
    "/v1/liq-price%00",
    "/v1/liq-price%",
    "/v1/liq-price/%ff%fe",
    "/v1/liq-price/\u00ff\u00fe",
    "/v1/%c0%ae%c0%ae/health",
    "/v1/health?x=%%%",
    "*",
  ),
  fc
    .tuple(fc.constantFrom(...ENDPOINTS, "/docs/static/", "/v1/"), fc.string({ maxLength: 40 }))
    .map(([p, s]) => p + encodeURIComponent(s).replace(/%2F/g, "/")),
);

/** A URL longer than the server takes: a path or a query of up to 100,000 characters. */
const overlongPath: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("/v1/liq-price?", "/v1/", "/docs/"), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([p, n]) => p + "a".repeat(n));

/** A JSON body with bytes that are not UTF-8 inside a string or between tokens. */
const badUtf8: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom('{"venue":"', '[{"positions":"', '{"document":{"venue":"', '{"candles":"'),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b.map((x) => x | 0x80))),
    fc.constantFrom('"}', '"}]', '"}}', ""),
  )
  .map(([a, bad, z]) => Buffer.concat([Buffer.from(a), bad, Buffer.from(z)]));

/** A body over the default limit of 1 MiB: a long string, or an array of many documents. */
const hugeBody: fc.Arbitrary<Buffer> = fc
  .tuple(fc.integer({ min: 1, max: 2 * DEFAULT_BODY_LIMIT }), fc.boolean())
  .map(([extra, text]) =>
    text
      ? Buffer.from(`{"venue":"${"x".repeat(DEFAULT_BODY_LIMIT + extra)}"}`)
      : Buffer.from(`[${Array.from({ length: 1 + (extra >> 10) }, () => '{"a":1}').join(",")}]`),
  );

/** A malformed request at the body or the HTTP level (see the module doc). */
const rawRequest: fc.Arbitrary<RawRequest> = fc.oneof(
  { weight: 10, arbitrary: malformedRequest.map(({ url, body }) => post(url, Buffer.from(body))) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom("GET", "POST"), pathTrick)
      .map(([m, p]) => ({ method: m, path: p, headers: JSON_TYPE, body: Buffer.alloc(0) })),
  },
  { weight: 1, arbitrary: overlongPath.map((p) => post(p, Buffer.from("{}"))) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...ENDPOINTS), badUtf8).map(([u, b]) => post(u, b)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ENDPOINTS), hugeBody).map(([u, b]) => post(u, b)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "POST"),
        fc.constantFrom(...ENDPOINTS),
        fc.constantFrom(
          "text/plain",
          "application/json; charset=latin1",
          "multipart/form-data",
          "",
          "application/x-www-form-urlencoded",
        ),
        fc.string({ maxLength: 100 }),
      )
      .map(([method, path, type, body]) => ({
        method,
        path,
        headers: type === "" ? {} : { "content-type": type },
        body: Buffer.from(body),
      })),
  },
);

/** A JSON POST of `body` to `path`. */
function post(path: string, body: Buffer): RawRequest {
  return { method: "POST", path, headers: JSON_TYPE, body };
}

/** A full garbage collection, when the flag can be set (V8's `--expose-gc` at run time). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Resident set after a full collection, MiB. */
function residentMiB(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().rss / 2 ** 20;
}

/** The answer to `r` from `port`: its status and body, or an error (a timeout is a hang). */
function send(port: number, r: RawRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        agent: false,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, "content-length": String(r.body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms (a hang)`)));
    req.on("error", reject);
    req.end(r.body);
  });
}

/** What a failed check prints of `r`. */
function describeRequest(r: RawRequest): string {
  return `${r.method} ${r.path.slice(0, 200)} (${r.body.length} bytes: ${r.body.subarray(0, 200).toString()})`;
}

/** Sends `r` and checks the answer: below 500, and nothing from outside the API. */
async function check(port: number, r: RawRequest): Promise<void> {
  const { status, body } = await send(port, r);
  assert.ok(status >= 200 && status < 500, `${describeRequest(r)} → ${status} ${body.slice(0, 300)}`);
  assert.doesNotMatch(body, /"devDependencies"|root:x:0:0/, `${describeRequest(r)} served a file`);
}

const fuzz = process.env.LIQOPT_FUZZ === "1";

describe("HTTP API fuzz over loopback", { skip: fuzz ? false : "set LIQOPT_FUZZ=1 (.ci/run does)" }, () => {
  const app = buildServer();
  let port = 0;
  before(async () => {
    await app.listen({ host: "127.0.0.1", port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await app.close();
  });

  it(`${RUNS} malformed requests after ${WARM_UP} of warm-up: no 5xx, no hang, resident set stable`, async () => {
    const run = (numRuns: number, seed: number) =>
      fc.assert(
        fc.asyncProperty(rawRequest, (r) => check(port, r)),
        { numRuns, seed, endOnFailure: true, includeErrorInReport: true },
      );
    await run(WARM_UP, 1);
    const warm = residentMiB();
    await run(RUNS, 2);
    const grown = residentMiB() - warm;
    console.log(
      `resident set ${warm.toFixed(1)} MiB after the warm-up, ${grown.toFixed(1)} MiB more after ${RUNS}`,
    );
    assert.ok(
      grown < RSS_BOUND_MIB,
      `the resident set grew by ${grown.toFixed(1)} MiB (bound ${RSS_BOUND_MIB})`,
    );
  });
});

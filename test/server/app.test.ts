/**
 * The HTTP API (src/server/app.ts) driven in-process with `app.inject` (no network): every endpoint's
 * body equals the CLI's `--json` output on the same input (the real CLI, run in-process), the OpenAPI
 * document is a valid OpenAPI 3.1 document (the OpenAPI Initiative's own JSON Schema,
 * test/fixtures/openapi/) whose schemas accept every example, and bad input of every kind is an
 * RFC 9457 problem with a 4xx status, the pointer to the offending part and no stack.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import ajv2020 from "ajv/dist/2020.js";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/server/app.js";
import { ROOT } from "../helpers/cli.js";
import { runInProcess } from "../helpers/cli-in-process.js";

const Ajv2020 = ajv2020.default;

/** Every account document under examples/ (perpetual, lending, Drift, GMX), relative to the root. */
const DOCUMENTS = ["", "lending/", "drift/", "gmx/"].flatMap((dir) =>
  readdirSync(join(ROOT, "examples", dir))
    .filter((f) => f.endsWith(".json"))
    .map((f) => `examples/${dir}${f}`),
);

const readJson = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), "utf8"));

/** The CLI's `--json` output of `args`, parsed; the run must succeed. */
async function cliJson(args: readonly string[]): Promise<unknown> {
  const run = await runInProcess([...args, "--json"]);
  assert.equal(run.code, 0, `liqopt ${args.join(" ")}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const app: FastifyInstance = buildServer({ bodyLimit: 256 * 1024, maxBatch: 20 });
after(() => app.close());

/** Injects a request; `body` is sent as JSON unless it is a string (sent as it is, typed JSON). */
function call(method: "GET" | "POST" | "DELETE", url: string, body?: unknown) {
  if (body === undefined) return app.inject({ method, url });
  return app.inject({
    method,
    url,
    headers: { "content-type": "application/json" },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A response's problem body, checked to be one: its media type, status member and no stack. */
function problemOf(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
  const p = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(p.status, res.statusCode);
  for (const key of ["type", "title", "detail"]) assert.equal(typeof p[key], "string", key);
  assert.doesNotMatch(res.body, /\bat .+:\d+:\d+|node_modules|stack/);
  return p;
}

describe("endpoints equal the CLI's --json", () => {
  test("GET /v1/health", async () => {
    const res = await call("GET", "/v1/health");
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: "ok" });
  });

  test("GET /v1/venues is liqopt venues --json", async () => {
    assert.deepEqual((await call("GET", "/v1/venues")).json(), await cliJson(["venues"]));
  });

  test("POST /v1/liq-price on every example account document", async () => {
    assert.ok(DOCUMENTS.length >= 15, DOCUMENTS.join(", "));
    for (const path of DOCUMENTS) {
      const res = await call("POST", "/v1/liq-price", readJson(path));
      assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
      assert.deepEqual(res.json(), await cliJson(["liq-price", "--input", path]), path);
    }
  });

  test("POST /v1/liquidate on every example account document", async () => {
    for (const path of DOCUMENTS) {
      const res = await call("POST", "/v1/liquidate", { document: readJson(path) });
      assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
      assert.deepEqual(res.json(), await cliJson(["liquidate", "--input", path]), path);
    }
  });

  test("POST /v1/liquidate passes the Aave options", async () => {
    const path = "examples/lending/aave-v3-account.json";
    const res = await call("POST", "/v1/liquidate", { document: readJson(path), debtToCover: "max" });
    assert.deepEqual(res.json(), await cliJson(["liquidate", "--input", path, "--debt-to-cover", "max"]));
  });

  test("POST /v1/what-if: each kind of change, numbers as JSON numbers", async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["examples/cross-btc-eth.json", { addCollateral: 2000 }, ["--add-collateral", "2000"]],
      [
        "examples/isolated-btc.json",
        { size: 0.5, fillPrice: 60000 },
        ["--size", "0.5", "--fill-price", "60000"],
      ],
      [
        "examples/hyperliquid-cross.json",
        { position: 1, targetDistance: 0.2 },
        ["-p", "1", "--target-distance", "0.2"],
      ],
      ["examples/lending/aave-v3-account.json", { repay: "1000" }, ["--repay", "1000"]],
      ["examples/drift/drift-account.json", { addCollateral: 500 }, ["--add-collateral", "500"]],
    ];
    for (const [path, change, flags] of cases) {
      const res = await call("POST", "/v1/what-if", { document: readJson(path), ...change });
      assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
      assert.deepEqual(res.json(), await cliJson(["what-if", "--input", path, ...flags]), path);
    }
  });

  test("POST /v1/liq-price/batch is liq-price on a JSON array, one element per document", async () => {
    const docs = DOCUMENTS.map(readJson);
    const bad = {
      venue: "bybit",
      marginMode: "cross",
      walletBalance: 1,
      positions: [{ symbol: "NOPEUSDT", size: 1, entryPrice: 1, markPrice: 1 }],
    };
    const batch = [...docs.slice(0, 5), bad, docs[0]];
    const res = await call("POST", "/v1/liq-price/batch", batch);
    assert.equal(res.statusCode, 200, res.body);
    const file = join(mkdtempSync(join(tmpdir(), "liqopt-batch-")), "batch.json");
    writeFileSync(file, JSON.stringify(batch));
    const run = await runInProcess(["liq-price", "--input", file, "--json"]);
    assert.equal(run.code, 2, "the CLI's batch reports the bad document");
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(res.json(), lines);
    assert.equal((res.json() as { error?: { field: string } }[])[5]?.error?.field, "positions[0].symbol");
  });

  test("POST /v1/vol on a bundled set is liqopt vol --json", async () => {
    const res = await call("POST", "/v1/vol", { candles: "sol-1h", from: "2024-03-01", dist: "normal" });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json(),
      await cliJson(["vol", "--candles", "sol-1h", "--from", "2024-03-01", "--dist", "normal"]),
    );
  });

  test("POST /v1/vol on OHLCV rows gives the figures of the same bars from a bundled set", async () => {
    const opts = {
      from: "2024-03-01",
      to: "2024-04-01",
      model: "gjr",
      window: 48,
      horizon: 3,
      garchBars: 600,
    };
    const bundled = (await call("POST", "/v1/vol", { candles: "sol-1h", ...opts })).json() as Record<
      string,
      unknown
    >;
    // the bundled file's rows (Date,Open,High,Low,Close,Volume) from a week before `from`, as ccxt rows
    const lines = readFileSync(join(ROOT, "data/ohlcv/binance-perp_solusdt_1h_2020-09_2024-04.csv"), "utf8")
      .trim()
      .split("\n");
    assert.equal(lines[0], "Date,Open,High,Low,Close,Volume");
    const ohlcv = lines
      .slice(1)
      .map((line) => line.split(","))
      .map(([date, ...values]) => [Date.parse(String(date).replace(" ", "T")), ...values.map(Number)])
      .filter((row) => (row[0] as number) >= Date.UTC(2024, 1, 23));
    assert.ok(ohlcv.length > 800);
    const res = await call("POST", "/v1/vol", { candles: ohlcv, symbol: "SOLUSDT", ...opts });
    assert.equal(res.statusCode, 200, res.body);
    const fromRows = res.json() as Record<string, unknown>;
    assert.deepEqual({ ...fromRows, source: null }, { ...bundled, source: null });
  });
});

describe("bad input is an RFC 9457 problem", () => {
  const doc = readJson("examples/cross-btc-eth.json") as Record<string, unknown>;

  test("a wrong type points at the member", async () => {
    const p = problemOf(await call("POST", "/v1/liq-price", { ...doc, walletBalance: "lots" }));
    assert.equal(p.status, 400);
    assert.equal(p.pointer, "/walletBalance");
  });

  test("a missing member points at it", async () => {
    const { marginMode: _, ...rest } = doc;
    const p = problemOf(await call("POST", "/v1/liq-price", rest));
    assert.equal(p.pointer, "/marginMode");
    assert.match(String(p.detail), /required/);
  });

  test("a member the envelope does not know points at it", async () => {
    const p = problemOf(await call("POST", "/v1/what-if", { document: doc, addCollateral: 1, leverage: 5 }));
    assert.equal(p.status, 400);
    assert.equal(p.pointer, "/leverage");
  });

  test("a document inside an envelope is checked by its venue's schema", async () => {
    const positions = [{ ...(doc.positions as object[])[0], size: "1" }];
    const p = problemOf(
      await call("POST", "/v1/what-if", { document: { ...doc, positions }, addCollateral: 1 }),
    );
    assert.equal(p.pointer, "/document/positions/0/size");
    const lending = readJson("examples/lending/aave-v3-account.json") as Record<string, unknown>;
    const q = problemOf(await call("POST", "/v1/liq-price", { ...lending, collateral: 5 }));
    assert.equal(q.pointer, "/collateral");
  });

  test("the library's InputError names its field and the pointer into the body", async () => {
    const p = problemOf(await call("POST", "/v1/liq-price", { ...doc, venue: "nowhere" }));
    assert.equal(p.field, "venue");
    assert.equal(p.pointer, "/venue");
    assert.match(String(p.fix), /binance-usdm/);
    const positions = [{ ...(doc.positions as object[])[0], symbol: "NOPEUSDT" }];
    const q = problemOf(
      await call("POST", "/v1/what-if", { document: { ...doc, positions }, addCollateral: 1 }),
    );
    assert.equal(q.pointer, "/document/positions/0/symbol");
    const r = problemOf(await call("POST", "/v1/what-if", { document: doc, addCollateral: 1, repay: 2 }));
    assert.equal(r.pointer, "/repay");
    const s = problemOf(await call("POST", "/v1/what-if", { document: doc }));
    assert.equal(s.pointer, "");
    const t = problemOf(await call("POST", "/v1/vol", { candles: "sol-1h", from: "2030-01-01" }));
    assert.equal(t.pointer, "/from");
    // found by the fuzz: a horizon of 4.5e15 bars was a 500 (an impossible typed array), in the CLI an internal error
    const h = problemOf(await call("POST", "/v1/vol", { horizon: 4_498_934_127_280_093 }));
    assert.equal(h.pointer, "/horizon");
    const cli = await runInProcess(["vol", "--horizon", "4498934127280093", "--json"]);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /--horizon: must be at most 100000/);
    const u = problemOf(await call("POST", "/v1/vol", { candles: [[1, 2, 3, 1, 2, 1]], window: 2 }));
    assert.equal(u.status, 400);
  });

  test("bad JSON, an empty body and another media type", async () => {
    assert.equal(problemOf(await call("POST", "/v1/liq-price", '{"venue": ')).status, 400);
    assert.equal(problemOf(await call("POST", "/v1/liq-price", "")).status, 400);
    const res = await app.inject({
      method: "POST",
      url: "/v1/liq-price",
      headers: { "content-type": "application/xml" },
      payload: "x",
    });
    assert.equal(problemOf(res).status, 415);
  });

  test("a body over the limit is a 413", async () => {
    const p = problemOf(await call("POST", "/v1/liq-price", { ...doc, pad: "x".repeat(260 * 1024) }));
    assert.equal(p.status, 413);
  });

  test("a batch with a document its schema refuses is refused whole, pointing into it", async () => {
    const p = problemOf(await call("POST", "/v1/liq-price/batch", [doc, { ...doc, walletBalance: -1 }]));
    assert.equal(p.status, 400);
    assert.equal(p.pointer, "/1/walletBalance");
  });

  test("a batch over the limit is a 413 naming the limit", async () => {
    const p = problemOf(
      await call(
        "POST",
        "/v1/liq-price/batch",
        Array.from({ length: 21 }, () => ({})),
      ),
    );
    assert.equal(p.status, 413);
    assert.match(String(p.detail), /21 documents, more than the limit of 20/);
  });

  test("deep nesting is refused, not a crash", async () => {
    for (const body of [
      "[".repeat(30_000) + "]".repeat(30_000),
      `{"venue":${"[".repeat(30_000)}${"]".repeat(30_000)}}`,
    ]) {
      assert.equal(problemOf(await call("POST", "/v1/liq-price", body)).status, 400);
      assert.equal(problemOf(await call("POST", "/v1/what-if", `{"document":${body}}`)).status, 400);
    }
  });

  test("an unknown path is a 404, a known path with another method a 405 with Allow", async () => {
    assert.equal(problemOf(await call("GET", "/v1/nothing")).status, 404);
    const res = await call("GET", "/v1/liq-price");
    assert.equal(problemOf(res).status, 405);
    assert.equal(res.headers.allow, "POST");
    const del = await call("DELETE", "/v1/health?x=1");
    assert.equal(problemOf(del).status, 405);
    assert.equal(del.headers.allow, "GET, HEAD");
    // route syntax in a request path is text, not a pattern (a `*` before the end was a 500)
    for (const url of ["/v1/what-if*x", "/v1/what-if*", "/v1/:id", "/v1/liq-price/*/x"])
      assert.equal(problemOf(await call("GET", url)).status, 404, url);
  });

  test("a request Node's HTTP parser refuses is a problem on the socket, then the connection closes", async () => {
    const listening = buildServer();
    await listening.listen({ host: "127.0.0.1", port: 0 });
    const { port } = listening.server.address() as { port: number };
    /** The raw answer to `head` (a request line and headers) sent alone on a new connection. */
    const raw = (head: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.end(head));
        let text = "";
        socket.on("data", (d: Buffer) => {
          text += d.toString("latin1");
        });
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
    const request = (path: Buffer) =>
      Buffer.concat([Buffer.from("GET "), path, Buffer.from(" HTTP/1.1\r\nhost: x\r\n\r\n")]);
    try {
      for (const [path, status] of [
        [Buffer.from([0x2f, 0x76, 0x31, 0x2f, 0xff, 0xfe]), 400], // "/v1/" and bytes that are not UTF-8
        [Buffer.from(`/v1/${"a".repeat(20_000)}`), 431], // over Node's 16 KiB of headers
      ] as const) {
        const text = await raw(request(path));
        const [head = "", body = ""] = text.split("\r\n\r\n");
        assert.match(head, new RegExp(`^HTTP/1.1 ${status} `));
        assert.match(head, /content-type: application\/problem\+json/);
        const p = problemOf({
          statusCode: status,
          headers: { "content-type": "application/problem+json" },
          body,
        });
        assert.equal(p.status, status);
      }
    } finally {
      await listening.close();
    }
  });

  test("a failure of the server is a 500 that does not say its cause", async () => {
    const failing = buildServer();
    failing.get("/v1/fail", () => {
      throw new TypeError("secret internal detail at /srv/liqopt/x.ts:1:2");
    });
    const res = await failing.inject({ method: "GET", url: "/v1/fail" });
    await failing.close();
    const p = problemOf(res);
    assert.equal(p.status, 500);
    assert.doesNotMatch(res.body, /secret|TypeError|\/srv/);
  });

  test("CORS is off: no cross-origin header, preflight included", async () => {
    const origin = { origin: "https://elsewhere.example" };
    const pre = await app.inject({
      method: "OPTIONS",
      url: "/v1/liq-price",
      headers: { ...origin, "access-control-request-method": "POST" },
    });
    const get = await app.inject({ method: "GET", url: "/v1/health", headers: origin });
    for (const res of [pre, get]) assert.equal(res.headers["access-control-allow-origin"], undefined);
    assert.ok(pre.statusCode >= 400);
  });
});

describe("OpenAPI document", () => {
  test("is a valid OpenAPI 3.1 document with every endpoint and its schemas", async () => {
    const res = await call("GET", "/docs/json");
    assert.equal(res.statusCode, 200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: object }> } }>
      >;
      components: { schemas: Record<string, object> };
    };
    assert.equal(doc.openapi, "3.1.0");
    // The OAS schema reaches each Schema Object through `$dynamicRef: "#meta"`, which Ajv resolves
    // without carrying the evaluated properties to `unevaluatedProperties`; in a document that keeps
    // the default dialect `#meta` is the schema's own `$defs/schema`, so that is what it is replaced by.
    const oasText = readFileSync(join(ROOT, "test/fixtures/openapi/oas-3.1.schema.json"), "utf8");
    const oasSchema = JSON.parse(
      oasText.replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
    ) as object;
    const oas = new Ajv2020({ strict: false, validateFormats: false }).compile(oasSchema);
    assert.ok(oas(doc), JSON.stringify(oas.errors));
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(routes.sort(), [
      "GET /v1/health",
      "GET /v1/venues",
      "POST /v1/liq-price",
      "POST /v1/liq-price/batch",
      "POST /v1/liquidate",
      "POST /v1/vol",
      "POST /v1/what-if",
    ]);
    for (const [path, ops] of Object.entries(doc.paths))
      if (ops.post !== undefined) assert.ok(ops.post.requestBody?.content["application/json"]?.schema, path);
    // every $ref points at a component, and every component is a JSON Schema 2020-12 Ajv compiles
    for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      assert.ok(doc.components.schemas[ref[1] as string] !== undefined, ref[1]);
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(doc, "openapi");
    const schemaOf = (path: string) =>
      ajv.compile({
        $ref: `openapi#/paths/${path.replaceAll("/", "~1")}/post/requestBody/content/application~1json/schema`,
      });
    const liqPrice = schemaOf("/v1/liq-price");
    const whatIf = schemaOf("/v1/what-if");
    for (const path of DOCUMENTS) {
      assert.ok(liqPrice(readJson(path)), `${path}: ${JSON.stringify(liqPrice.errors)}`);
      assert.ok(whatIf({ document: readJson(path), addCollateral: 1 }), path);
    }
    assert.ok(!liqPrice({ venue: "bybit", marginMode: "cross", walletBalance: -1, positions: [] }));
    assert.ok(
      !liqPrice({ venue: "aave-v3", collateral: [], debt: [] }),
      "the Aave document's own schema applies",
    );
  });

  test("the UI is served at /docs", async () => {
    const res = await call("GET", "/docs/");
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger-ui/i);
  });
});

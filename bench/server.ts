/**
 * Load test of the HTTP API (issue 13: "≥ 5,000 req/s and p99 < 20 ms for single-account requests on
 * 2 cores"): starts `liqopt serve --port 0` in a child process (the server as it is deployed, on one
 * core of its own) and drives it over loopback with autocannon from this process for a bounded time
 * per case — `POST /v1/liq-price` with one example account (examples/cross-btc-eth.json, the quick
 * start's) and `POST /v1/liq-price/batch` with 100 documents (the top-level examples, in turn).
 * Each case first checks one answer is a 200 whose report(s) carry liquidation prices, then reports
 * requests per second (mean), latency p50/p99 (ms), non-2xx answers and errors, with the load
 * average (`os.loadavg()`, as `uptime`) before and after, since the machine is shared.
 *
 * `npx tsx bench/server.ts [--seconds 10] [--connections 10]` runs it standalone; bench/run.ts calls
 * {@link benchServer} (`npm run bench -- --only server`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Documents in the batch case. */
const BATCH = 100;

/** One timed endpoint. */
export interface ServerCase {
  readonly name: string;
  readonly url: string;
  /** Documents per request. */
  readonly documents: number;
  readonly bodyBytes: number;
  readonly requestsPerSecond: number;
  /** Documents per second, `documents · requestsPerSecond`. */
  readonly documentsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** The load test's cases and the conditions they ran under. */
export interface ServerBench {
  readonly seconds: number;
  readonly connections: number;
  /** One-, five- and fifteen-minute load averages before and after (`uptime`). */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly cores: number;
  readonly cases: readonly ServerCase[];
}

/** Starts `liqopt serve --port 0` and resolves with the child and its base URL once it listens. */
function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "serve", "--port", "0"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /liqopt on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) resolve({ child, base: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`liqopt serve exited (${code}) before listening: ${out}`)));
  });
}

/** Posts `body` once and fails unless the answer is a 200 carrying liquidation prices. */
async function checkOnce(base: string, url: string, body: string): Promise<void> {
  const res = await fetch(base + url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"liquidationPrice"'))
    throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
}

/** Drives `url` with `body` for `seconds` over `connections` connections. */
async function timeCase(
  base: string,
  name: string,
  url: string,
  body: string,
  documents: number,
  seconds: number,
  connections: number,
): Promise<ServerCase> {
  await checkOnce(base, url, body);
  const r = await autocannon({
    url: base + url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    duration: seconds,
    connections,
    timeout: 10,
  });
  return {
    name,
    url,
    documents,
    bodyBytes: Buffer.byteLength(body),
    requestsPerSecond: r.requests.average,
    documentsPerSecond: documents * r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** The load test (see the module doc): one child server, the single and the batch case in turn. */
export async function benchServer(seconds = 10, connections = 10): Promise<ServerBench> {
  const single = readFileSync(join(ROOT, "examples/cross-btc-eth.json"), "utf8");
  const examples = readdirSync(join(ROOT, "examples"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(ROOT, "examples", f), "utf8")) as unknown);
  const batch = JSON.stringify(Array.from({ length: BATCH }, (_, i) => examples[i % examples.length]));
  const loadBefore = os.loadavg();
  const { child, base } = await startServer();
  try {
    const cases = [
      await timeCase(base, "liq-price, one account", "/v1/liq-price", single, 1, seconds, connections),
      await timeCase(
        base,
        `liq-price batch, ${BATCH} documents`,
        "/v1/liq-price/batch",
        batch,
        BATCH,
        seconds,
        connections,
      ),
    ];
    return { seconds, connections, loadBefore, loadAfter: os.loadavg(), cores: os.cpus().length, cases };
  } finally {
    child.kill();
  }
}

/** The load test as a table, with the conditions it ran under. */
export function formatServerBench(b: ServerBench): string {
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(", ");
  const rows = b.cases.map(
    (c) =>
      `${c.name.padEnd(34)} ${c.requestsPerSecond.toFixed(0).padStart(7)} req/s ${c.documentsPerSecond
        .toFixed(0)
        .padStart(
          8,
        )} docs/s  p50 ${c.p50Ms} ms  p99 ${c.p99Ms} ms  max ${c.maxMs} ms  (${c.requests} requests, ${c.non2xx} non-2xx, ${c.errors} errors, ${c.timeouts} timeouts)`,
  );
  return [
    `${b.seconds} s per case, ${b.connections} connections, ${b.cores} cores; load average before ${load(b.loadBefore)}, after ${load(b.loadAfter)}`,
    ...rows,
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { seconds: { type: "string", default: "10" }, connections: { type: "string", default: "10" } },
  });
  console.log(formatServerBench(await benchServer(Number(values.seconds), Number(values.connections))));
}

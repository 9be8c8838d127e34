/**
 * The liqopt HTTP API (issue 13): a fastify instance over the library, as thin as the CLI. Request
 * bodies are validated at the boundary against the published JSON Schemas (./schemas.ts) by Ajv
 * (2020-12, no type coercion, no member removal, no defaults), then handed to the one library call the
 * CLI makes for the same `--json`; responses are that call's result serialised as the CLI serialises
 * it (`JSON.stringify`), not re-shaped by a response schema. OpenAPI 3.1 is generated from the same
 * schemas and served at `/docs` (UI) and `/docs/json`. Every error is an RFC 9457 problem
 * (./problem.ts). CORS is off (no cross-origin headers are sent); the log, when on, has no bodies.
 *
 * Seams for the rest of issue 13: the store, jobs and API keys plug in as fastify plugins registered
 * in {@link buildServer} before the routes (an `onRequest` hook for keys, a `jobs` decoration), and
 * new endpoints are rows of `endpoints()` (./routes.ts).
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import ajv2020 from "ajv/dist/2020.js";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import { InputError } from "../errors.js";
import { inputProblem, PROBLEM_TYPE, type Problem, problem, schemaProblem } from "./problem.js";
import { type Endpoint, endpoints } from "./routes.js";
import { ANY_DOCUMENT, DOCUMENT_SCHEMAS, PROBLEM } from "./schemas.js";

/** The server's settings; every one has a default. */
export interface ServerOptions {
  /** Largest request body in bytes (default 1 MiB); a larger one is a 413 problem. */
  readonly bodyLimit?: number;
  /** Most documents in one batch request (default 1000); more is a 413 problem. */
  readonly maxBatch?: number;
  /** Log each request (method, URL, status, time; never bodies nor headers) to standard output. */
  readonly logger?: boolean;
  /** The version the OpenAPI document states (the package's). */
  readonly version?: string;
}

/** Default largest request body: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Default most documents in one batch. */
export const DEFAULT_MAX_BATCH = 1000;

// Ajv is CommonJS: its class is the default export's `default` under NodeNext.
const Ajv2020 = ajv2020.default;

/** Sends `p` as `application/problem+json` with its status. */
function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_TYPE).send(p);
}

/**
 * The methods other than `method` that `url` (its path, without the query) is served for, looked up
 * in `served` (route path → methods) by exact text: `app.hasRoute` would read a request path as a
 * route pattern, so that a `*` or `:` in it is route syntax (a `*` before the end threw: a 500).
 */
function otherMethods(served: ReadonlyMap<string, readonly string[]>, url: string, method: string): string[] {
  const path = url.split("?")[0] ?? url;
  const methods = served.get(path) ?? [];
  return ["GET", "HEAD", "POST"].filter((m) => m !== method && methods.includes(m));
}

/**
 * Answers a request Node's HTTP parser refused before fastify saw it (bytes outside ASCII in the
 * path, a URL or headers over Node's 16 KiB, a request that did not arrive in time) with a problem,
 * written on the socket since there is no reply, and closes the connection (the parser cannot go on).
 */
function clientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, detail] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "the request's URL or headers are larger than the server reads: send the data in the body"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "the request did not arrive in time: send it again"]
        : [400, "the request is not valid HTTP: percent-encode bytes outside ASCII in the path (RFC 3986)"];
  const body = JSON.stringify(problem(status, detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${PROBLEM_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The OpenAPI component name of a registered schema, from its `$id`: the file name without
 * `.schema.json` for a published document (`…/schemas/account.schema.json` → `account`), the name after
 * `liqopt:` for the API's own (`liqopt:problem` → `problem`).
 */
function componentName(id: unknown): string | undefined {
  return typeof id === "string" ? id.replace(/^.*[/:]/, "").replace(/\.schema\.json$/, "") : undefined;
}

/** Registers `endpoint` on `app`, its bad input answered as problems pointing into its body. */
function route(app: FastifyInstance, endpoint: Endpoint): void {
  app.route({
    method: endpoint.method,
    url: endpoint.url,
    schema: {
      summary: endpoint.summary,
      ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
      response: {
        200: endpoint.response,
        ...(endpoint.body === undefined
          ? {}
          : { 400: { $ref: `${PROBLEM.$id}#` }, 413: { $ref: `${PROBLEM.$id}#` } }),
      },
    },
    // too many documents is a 413 before the schema's maxItems would make it a 400
    preValidation: async (request, reply) => {
      const most = endpoint.maxItems;
      if (most !== undefined && Array.isArray(request.body) && request.body.length > most)
        return sendProblem(
          reply,
          problem(413, `the body holds ${request.body.length} documents, more than the limit of ${most}`, {
            pointer: "",
            fix: `Send at most ${most} documents per request.`,
          }),
        );
    },
    handler: async (request, reply) => {
      try {
        return endpoint.call(request.body);
      } catch (err) {
        if (err instanceof InputError)
          return sendProblem(reply, inputProblem(err, endpoint.documentAt, endpoint.command));
        throw err;
      }
    },
  });
}

/**
 * The API as a fastify instance, not listening (`app.listen` serves it; `app.inject` tests it). The
 * routes are those of ./routes.ts under `/v1`, the OpenAPI document at `/docs/json` and its UI at
 * `/docs`; a batch of more than `maxBatch` documents and a body over `bodyLimit` bytes are 413
 * problems, an unknown path 404, a known path with another method 405, and a request Node's HTTP
 * parser refuses a 400, 408 or 431 problem.
 */
export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logger: options.logger === true,
    clientErrorHandler: clientError,
  });
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: false, useDefaults: false });
  for (const schema of [...DOCUMENT_SCHEMAS, ANY_DOCUMENT, PROBLEM]) {
    ajv.addSchema(schema);
    app.addSchema(schema);
  }
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  // the CLI's serialisation (toJson): the response schemas document, they do not filter
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation !== undefined) return sendProblem(reply, schemaProblem(err.validation));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(reply, problem(status, err.message));
    request.log.error({ err }, "internal error");
    return sendProblem(
      reply,
      problem(500, "the server failed to answer this request; the cause is in its log"),
    );
  });
  // every registered route's path and methods, for the 405's Allow
  const served = new Map<string, string[]>();
  app.addHook("onRoute", (r) => {
    served.set(r.url, [...(served.get(r.url) ?? []), ...[r.method].flat()]);
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = otherMethods(served, request.url, request.method);
    if (allowed.length === 0)
      return sendProblem(reply, problem(404, `no endpoint at ${request.url.split("?")[0]}`));
    reply.header("allow", allowed.join(", "));
    return sendProblem(
      reply,
      problem(405, `${request.method} is not served at this path (use ${allowed.join(" or ")})`),
    );
  });

  app.register(swagger, {
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => componentName(json.$id) ?? `def-${i}`,
    },
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "liqopt",
        version: options.version ?? "0.0.0",
        description:
          "Liquidation prices, margin, what-ifs, liquidation outcomes and volatility: each endpoint is the library call of the liqopt command of the same name with --json. Errors are RFC 9457 problems.",
      },
    },
  });
  app.register(swaggerUi, { routePrefix: "/docs" });
  app.register(async (api) => {
    for (const endpoint of endpoints({ maxBatch })) route(api, endpoint);
  });
  return app;
}

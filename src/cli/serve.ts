/**
 * `liqopt serve`: the HTTP API (src/server/app.ts) on one address until SIGINT or SIGTERM, when it
 * stops taking connections, finishes the requests under way and exits 0.
 */
import type { Command } from "@commander-js/extra-typings";
import { fileErrorReason, InputError } from "../errors.js";
import { buildServer, DEFAULT_BODY_LIMIT, DEFAULT_MAX_BATCH } from "../server/app.js";
import { writeOut } from "./io.js";
import { readIntegerOption } from "./market-options.js";

/** The URL of a listening address (an IPv6 host in brackets, RFC 3986 §3.2.2). */
function urlOf(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Registers `liqopt serve [--host H] [--port P] [--body-limit B] [--max-batch N] [--log]`. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("the HTTP API (OpenAPI at /docs) on one address, until SIGINT or SIGTERM")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0: any free port)", "8080")
    .option(
      "--body-limit <bytes>",
      "largest request body; a larger one is refused (413)",
      String(DEFAULT_BODY_LIMIT),
    )
    .option(
      "--max-batch <documents>",
      "most documents in one batch request (413 above)",
      String(DEFAULT_MAX_BATCH),
    )
    .option("--log", "log each request (method, URL, status, time; never bodies) as JSON lines on stdout")
    .action(async (opts) => {
      const port = readIntegerOption(opts.port, "--port", 0, 65_535);
      const app = buildServer({
        bodyLimit: readIntegerOption(opts.bodyLimit, "--body-limit", 1),
        maxBatch: readIntegerOption(opts.maxBatch, "--max-batch", 1),
        logger: opts.log === true,
        version: program.version() ?? "0.0.0",
      });
      try {
        await app.listen({ host: opts.host, port });
      } catch (err) {
        await app.close();
        const option = (err as NodeJS.ErrnoException).code === "EADDRINUSE" ? "--port" : "--host";
        throw new InputError(
          option,
          option === "--port" ? port : opts.host,
          `cannot be listened on (${fileErrorReason(err)})`,
          "Pass a free port (or 0 for any) on an address of this machine.",
        );
      }
      const address = app.server.address();
      writeOut(
        `liqopt on ${urlOf(opts.host, typeof address === "object" && address !== null ? address.port : port)}`,
      );
      const stop = () => void app.close();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}

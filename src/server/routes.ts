/**
 * The API's endpoints, one table: each is the library call the CLI makes for the same command's
 * `--json` (test/server/app.test.ts checks the bodies against the CLI's output on every example), with
 * the body read as the CLI reads its options. A route parses and calls; it computes nothing itself.
 */
import { InputError } from "../errors.js";
import { liqPriceReportOf } from "../venues/account-report.js";
import type { LiquidateOptions, WhatIfOptions } from "../venues/lending/venue.js";
import { liquidateReport } from "../venues/liquidate-report.js";
import { venueList } from "../venues/venue-report.js";
import { whatIfReport } from "../venues/what-if-report.js";
import { volReport } from "../vol/vol-report.js";
import { type CandleRequest, requestCandles } from "./candles.js";
import {
  ANY_DOCUMENT,
  batchBody,
  type JsonSchema,
  LIQUIDATE_BODY,
  report,
  VOL_BODY,
  WHAT_IF_BODY,
} from "./schemas.js";

/** The limits a route reads. */
export interface RouteLimits {
  /** Most documents in one `POST /v1/liq-price/batch`. */
  readonly maxBatch: number;
}

/** One endpoint: its method, path, OpenAPI text and schemas, and the library call on its body. */
export interface Endpoint {
  readonly method: "GET" | "POST";
  readonly url: string;
  /** The CLI command it mirrors, and the name an {@link InputError} uses for the whole request. */
  readonly command: string;
  readonly summary: string;
  readonly body?: JsonSchema;
  /** JSON pointer of the account document inside the body, where the library's field names start. */
  readonly documentAt: string;
  readonly response: JsonSchema;
  /** Most elements of an array body; more is a 413. */
  readonly maxItems?: number;
  readonly call: (body: unknown) => unknown;
}

/** The present members of `body` among `keys`, as the option text the CLI would have passed. */
function optionText<K extends string>(
  body: Readonly<Record<string, unknown>>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) if (body[k] !== undefined) out[k] = String(body[k]);
  return out;
}

const WHAT_IF_KEYS = Object.keys(WHAT_IF_BODY.properties as object).filter(
  (k) => k !== "document",
) as (keyof WhatIfOptions)[];

const LIQUIDATE_KEYS = [
  "collateral",
  "debt",
  "debtToCover",
] as const satisfies readonly (keyof LiquidateOptions)[];

/**
 * A POST endpoint whose body is `{document, …options}`: `library` on the document and the options
 * among `keys` as the CLI's option text ({@link optionText}); the library's field names start at
 * `/document`.
 */
function withDocument<K extends string>(
  endpoint: Omit<Endpoint, "method" | "documentAt" | "call">,
  keys: readonly K[],
  library: (document: unknown, options: Partial<Record<K, string>>) => unknown,
): Endpoint {
  return {
    ...endpoint,
    method: "POST",
    documentAt: "/document",
    call: (raw) => {
      const body = raw as Readonly<Record<string, unknown>>;
      return library(body.document, optionText(body, keys));
    },
  };
}

/** `liqopt vol`'s defaults, for the members a body leaves out. */
const VOL_DEFAULTS = {
  candles: "btc-1d",
  window: 30,
  lambda: 0.94,
  model: "garch",
  dist: "t",
  garchBars: 2000,
  horizon: 7,
} as const;

/** A vol body as its schema admits it. */
type VolBody = Partial<CandleRequest> & {
  window?: number;
  lambda?: number;
  model?: "garch" | "gjr";
  dist?: "normal" | "t";
  garchBars?: number;
  horizon?: number;
  unconstrained?: boolean;
};

/**
 * `liqopt vol --json`: {@link volReport} on the body's candles, with the CLI's defaults for every
 * member left out and its minimum of bars (the window plus one, at least 51).
 */
function vol(raw: unknown): unknown {
  const body = { ...VOL_DEFAULTS, ...(raw as VolBody) };
  const selection = requestCandles(body, Math.max(body.window + 1, 51));
  return volReport(selection, {
    window: body.window,
    lambda: body.lambda,
    model: body.model,
    dist: body.dist,
    garchBars: body.garchBars,
    horizonBars: body.horizon,
    unconstrained: body.unconstrained === true,
  });
}

/**
 * `liqopt liq-price --json` on a JSON array of documents: per document, in order, its report, or
 * `{index, line: null, error: {field, message}}` for one the library refuses (the CLI's batch line for a
 * JSON array), so one bad document does not stop the batch. An error that is not bad input is thrown.
 */
function liqPriceBatch(raw: unknown): unknown[] {
  return (raw as unknown[]).map((document, index) => {
    try {
      return liqPriceReportOf(document);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return { index, line: null, error: { field: err.field, message: err.message } };
    }
  });
}

/** The endpoints of version 1 of the API. */
export function endpoints(limits: RouteLimits): readonly Endpoint[] {
  return [
    {
      method: "GET",
      url: "/v1/health",
      command: "health",
      summary: "liveness: answers {status: ok} while the server runs",
      documentAt: "",
      response: {
        type: "object",
        required: ["status"],
        properties: { status: { const: "ok" } },
      },
      call: () => ({ status: "ok" }),
    },
    {
      method: "GET",
      url: "/v1/venues",
      command: "venues",
      summary: "the venue rulebooks (liqopt venues --json)",
      documentAt: "",
      response: report(
        "VenueList (src/venues/venue-report.ts): the perpetual venues and the document venues",
      ),
      call: () => venueList(),
    },
    {
      method: "POST",
      url: "/v1/liq-price",
      command: "liq-price",
      summary:
        "liquidation and bankruptcy price of every position and the account's margin (liqopt liq-price --json)",
      body: { $ref: ANY_DOCUMENT.$id },
      documentAt: "",
      response: report(
        "the liq-price report of the document's kind (AccountReport in src/venues/account-report.ts)",
      ),
      call: liqPriceReportOf,
    },
    {
      method: "POST",
      url: "/v1/liq-price/batch",
      command: "liq-price",
      summary: `liq-price of up to ${limits.maxBatch} documents: per document its report or its error (liqopt liq-price on a JSON array)`,
      body: batchBody(limits.maxBatch),
      maxItems: limits.maxBatch,
      documentAt: "",
      response: report(
        "an array: per document, its liq-price report or {index, line: null, error: {field, message}}",
      ),
      call: liqPriceBatch,
    },
    withDocument(
      {
        url: "/v1/what-if",
        command: "what-if",
        summary:
          "liquidation price, equity and maintenance margin before and after one change (liqopt what-if --json)",
        body: WHAT_IF_BODY,
        response: report("WhatIfReport (src/venues/what-if-report.ts)"),
      },
      WHAT_IF_KEYS,
      whatIfReport,
    ),
    withDocument(
      {
        url: "/v1/liquidate",
        command: "liquidate",
        summary:
          "step-by-step outcome of liquidating the account under its venue's procedure (liqopt liquidate --json)",
        body: LIQUIDATE_BODY,
        response: report("LiquidateReport (src/venues/liquidate-report.ts)"),
      },
      LIQUIDATE_KEYS,
      liquidateReport,
    ),
    {
      method: "POST",
      url: "/v1/vol",
      command: "vol",
      summary:
        "realized volatility (six estimators), EWMA and a fitted GARCH model on candles (liqopt vol --json)",
      body: VOL_BODY,
      documentAt: "",
      response: report("VolReport (src/vol/vol-report.ts)"),
      call: vol,
    },
  ];
}

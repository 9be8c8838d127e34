/**
 * Errors as RFC 9457 problem details (`application/problem+json`): the one place where the server
 * turns an error into a status and a body, as `cli/errors.ts` does for the CLI. Bad input (a body the
 * schema refuses, an {@link InputError} from the library, malformed or oversized JSON) is a 4xx
 * naming the offending part of the body; anything else is a 500 that says nothing of its cause (the
 * cause goes to the log), and no response ever carries a stack.
 */
import type { InputError } from "../errors.js";

/** The media type of a problem (RFC 9457 §3). */
export const PROBLEM_TYPE = "application/problem+json";

/** An RFC 9457 problem, with the members the API adds for bad input. */
export interface Problem {
  /** A URI naming the kind of problem; `about:blank` when the status says it all (RFC 9457 §4.2.1). */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** JSON pointer (RFC 6901) into the request body at the offending value. */
  readonly pointer?: string;
  /** The field as the library's {@link InputError} names it (`positions[0].size`, `--add-collateral`). */
  readonly field?: string;
  /** What to do instead. */
  readonly fix?: string;
}

/** The reason phrases of the statuses the API answers with (RFC 9110 §15). */
const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
};

/** A problem of `status` with `detail` and any extra members. */
export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: "about:blank", title: TITLES[status] ?? "Error", status, detail, ...extra };
}

/** One JSON pointer token (RFC 6901 §3: `~` as `~0`, `/` as `~1`). */
function token(name: string): string {
  return name.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * The JSON pointer of a library field name inside the part of the body at `base`: a document path
 * (`positions[2].entryPrice` → `/positions/2/entryPrice`), or a CLI option (`--add-collateral` →
 * `/addCollateral`, the body member of the same name, at the top of the body). A field naming the
 * command (`what-if`, which needs an action) is the body itself.
 */
function pointerOf(field: string, base: string, command: string): string {
  if (field.startsWith("--"))
    return `/${field.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}`;
  if (field === command || field === "") return "";
  const tokens = field.match(/[^.[\]]+/g) ?? [];
  return `${base}${tokens.map((t) => `/${token(t)}`).join("")}`;
}

/** One error of Ajv (the members the API reads). */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * The problem of a body the request schema refuses: a 400 at the pointer of the first error (the
 * missing or unknown member itself for `required` and `additionalProperties`, not its parent).
 */
export function schemaProblem(errors: readonly SchemaError[]): Problem {
  const e = errors[0];
  if (e === undefined) return problem(400, "the request body does not match its schema");
  const member = e.params.missingProperty ?? e.params.additionalProperty ?? e.params.unevaluatedProperty;
  const pointer = typeof member === "string" ? `${e.instancePath}/${token(member)}` : e.instancePath;
  const what =
    e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties"
      ? "is not a known member"
      : e.keyword === "required"
        ? "is required"
        : (e.message ?? "is not valid");
  const allowed = Array.isArray(e.params.allowedValues)
    ? ` (one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`
    : "";
  return problem(400, `${pointer === "" ? "the body" : pointer}: ${what}${allowed}`, { pointer });
}

/**
 * The problem of an {@link InputError} thrown by the library on the part of the body at `base`
 * (`""` for a bare document, `/document` in a what-if): a 400 with the library's message and fix.
 */
export function inputProblem(err: InputError, base: string, command: string): Problem {
  return problem(400, err.message, {
    pointer: pointerOf(err.field, base, command),
    field: err.field,
    fix: err.fix,
  });
}

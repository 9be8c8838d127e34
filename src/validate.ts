import { InputError } from "./errors.js";

/** Constraints a numeric field can carry when it is read from untrusted input. */
export interface NumberRule {
  /** Reject values below this bound. */
  min?: number;
  /** Reject values equal to `min` (a strict lower bound). */
  exclusiveMin?: boolean;
  /** Reject values above this bound. */
  max?: number;
  /** Reject zero (a signed size must be non-zero). */
  nonZero?: boolean;
  /** Accept a numeric string such as `"0.004"` (exchange APIs send numbers as strings). */
  allowString?: boolean;
  /** Reject values whose magnitude `|x|` is above this bound (see {@link checkMagnitude}). */
  maxMagnitude?: number;
  /** The fix suggested when the value is rejected. */
  fix?: string;
}

/**
 * Magnitude bounds on the amounts of account documents: a price above 1e12 USD or a size, balance or
 * amount above 1e15 units is no real account but a unit or decimal-point mistake, and past them the
 * exact integer rulebooks overflow the program's own types (Drift's `CastingFailure`) and the float
 * ones reach ∞ equity. 1e15 is also the largest notional (USD) any one position may reach.
 */
export const MAX_PRICE_USD = 1e12;
/** Largest size, balance or token amount an account document may give (see {@link MAX_PRICE_USD}). */
export const MAX_AMOUNT = 1e15;

/**
 * Refuses a number whose magnitude `|x|` is above `max` with an {@link InputError} naming `field` and
 * the value; `x` is the value read (`value` as the document gave it).
 */
export function checkMagnitude(x: number, value: unknown, field: string, max: number): void {
  if (Math.abs(x) > max)
    throw new InputError(
      field,
      value,
      `must be at most ${max.toExponential()} in magnitude`,
      "No real account comes near it: check the units and the decimal point.",
    );
}

/** True when `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads an object, or throws an {@link InputError} naming `field`. */
export function readRecord(
  value: unknown,
  field: string,
  fix = "Pass a JSON object.",
): Record<string, unknown> {
  if (!isRecord(value)) throw new InputError(field, value, "must be an object", fix);
  return value;
}

/** Reads an array, or throws an {@link InputError} naming `field`. */
export function readArray(value: unknown, field: string, fix = "Pass a JSON array."): unknown[] {
  if (!Array.isArray(value)) throw new InputError(field, value, "must be an array", fix);
  return value;
}

/** Reads a finite number obeying `rule`, or throws an {@link InputError} naming `field`. */
export function readNumber(value: unknown, field: string, rule: NumberRule = {}): number {
  const fix = rule.fix ?? "Pass a finite number.";
  let x: number;
  if (typeof value === "number") x = value;
  else if (rule.allowString === true && typeof value === "string" && value.trim() !== "") x = Number(value);
  else throw new InputError(field, value, "must be a number", fix);
  if (!Number.isFinite(x)) throw new InputError(field, value, "must be a finite number", fix);
  if (rule.nonZero === true && x === 0) throw new InputError(field, value, "must not be zero", fix);
  if (rule.min !== undefined) {
    if (rule.exclusiveMin === true ? x <= rule.min : x < rule.min) {
      const bound = rule.exclusiveMin === true ? `greater than ${rule.min}` : `at least ${rule.min}`;
      throw new InputError(field, value, `must be ${bound}`, fix);
    }
  }
  if (rule.max !== undefined && x > rule.max) {
    throw new InputError(field, value, `must be at most ${rule.max}`, fix);
  }
  if (rule.maxMagnitude !== undefined) checkMagnitude(x, value, field, rule.maxMagnitude);
  return x;
}

/** One numeric field of a spec: its name, the value taken when it is absent, and its {@link NumberRule}. */
export interface NumberFieldRow<K extends string> extends NumberRule {
  readonly field: K;
  /** The value of an absent field; without it the field is required. */
  readonly absent?: number;
}

/**
 * Reads the numeric fields of `spec` from a table, in the table's order: each value (or its row's
 * `absent` value when the field is missing) must obey the row's rule, else an {@link InputError}
 * naming the field and the row's fix — so a model states its parameters' bounds once instead of
 * repeating a {@link readNumber} call per parameter.
 *
 * @example readNumberFields({ hopSeconds: 60 }, [{ field: "hopSeconds", min: 0, exclusiveMin: true, fix: "Pass seconds." }, { field: "startSeconds", absent: 0, fix: "Pass seconds." }]) // { hopSeconds: 60, startSeconds: 0 }
 */
export function readNumberFields<K extends string>(
  spec: { readonly [F in K]?: unknown },
  table: readonly NumberFieldRow<K>[],
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const row of table) out[row.field] = readNumber(spec[row.field] ?? row.absent, row.field, row);
  return out;
}

/** Reads an optional number: `undefined` stays `undefined`, anything else must obey `rule`. */
export function readOptionalNumber(value: unknown, field: string, rule: NumberRule = {}): number | undefined {
  return value === undefined ? undefined : readNumber(value, field, rule);
}

/** Reads a non-empty string, or throws an {@link InputError} naming `field`. */
export function readString(value: unknown, field: string, fix = "Pass a non-empty string."): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InputError(field, value, "must be a non-empty string", fix);
  }
  return value;
}

/** Reads one of the allowed string values, or throws an {@link InputError} listing them. */
export function readChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    field,
    value,
    "is not a recognised value",
    `Use one of: ${choices.map((c) => JSON.stringify(c)).join(", ")}.`,
  );
}

/**
 * Reads a numeric option value: finite, and within the bounds given; anything else is an
 * {@link InputError} naming the option (e.g. `--add-collateral: must be greater than 0 (got -5)`).
 */
export function readNumberOption(
  raw: string,
  option: string,
  rule: { min?: number; exclusiveMin?: boolean; max?: number; exclusiveMax?: boolean; fix: string },
): number {
  const x = raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(x)) throw new InputError(option, raw, "must be a finite number", rule.fix);
  if (rule.min !== undefined && (rule.exclusiveMin === true ? x <= rule.min : x < rule.min)) {
    const bound = rule.exclusiveMin === true ? `greater than ${rule.min}` : `at least ${rule.min}`;
    throw new InputError(option, x, `must be ${bound}`, rule.fix);
  }
  if (rule.max !== undefined && (rule.exclusiveMax === true ? x >= rule.max : x > rule.max)) {
    const bound = rule.exclusiveMax === true ? `less than ${rule.max}` : `at most ${rule.max}`;
    throw new InputError(option, x, `must be ${bound}`, rule.fix);
  }
  return x;
}

/**
 * Checks that every path in `paths` (name → array; `undefined` skipped) has `steps` values, or throws
 * an {@link InputError} naming the first that does not.
 */
export function checkPathLengths(
  steps: number,
  paths: Readonly<Record<string, ArrayLike<number> | undefined>>,
): void {
  for (const [name, path] of Object.entries(paths)) {
    if (path !== undefined && path.length !== steps) {
      throw new InputError(
        name,
        path.length,
        `must have one value per step (${steps})`,
        "Pass paths of one length.",
      );
    }
  }
}

/** Reads a time step in seconds: finite and positive, or an {@link InputError} naming `field`. */
export function readStepSeconds(value: number, field = "stepSeconds"): number {
  return readNumber(value, field, {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the time between steps in seconds, e.g. 1.",
  });
}

/**
 * Runs `read`, prefixing the field of an {@link InputError} it throws with `at` (where the value
 * sits in the enclosing document: `accounts[3]`, `path.model`), problem and fix unchanged.
 */
export function withField<T>(at: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const problem = e.message.slice(e.field.length + 2, e.message.lastIndexOf(" (got "));
    throw new InputError(`${at}.${e.field}`, e.value, problem, e.fix);
  }
}

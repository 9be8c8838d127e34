/**
 * The readers lending documents share (money markets, Drift and the mechanism documents): exact decimal
 * amounts, `{symbol, amount, price}` holdings and their prices, and the venue/field check of a venue's
 * document. Each venue's own reader sits with the venue (`lending/<id>-document.ts`, `drift-document.ts`);
 * `lending/registry.ts` dispatches a document to its venue.
 */
import { describeValue, InputError } from "../errors.js";
import {
  checkMagnitude,
  MAX_AMOUNT,
  MAX_PRICE_USD,
  readArray,
  readNumber,
  readRecord,
  readString,
} from "../validate.js";

/** Decimals of the 1e8 USD prices both rulebooks use. */
const PRICE_DECIMALS = 8;

/** Decimals of a ray (dss and Aave's indexes). */
export const RAY_DECIMALS = 27;

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A non-negative decimal (JSON number or decimal string, exponent allowed) as a fixed-point bigint
 * with `decimals` digits. Numbers are read through their shortest decimal form (`0.1` is `"0.1"`),
 * so no binary noise enters. More digits than `decimals` are an error when `excess` is `"reject"`
 * (token amounts: a token cannot hold less than one unit), and are truncated when `"truncate"`
 * (prices: the feeds carry 8 decimals). A value above `maxMagnitude` (default {@link MAX_AMOUNT}) is
 * refused before any bigint is built from it. Throws an {@link InputError} naming `field`.
 */
export function readDecimalUnits(
  value: unknown,
  field: string,
  decimals: number,
  options: { excess: "reject" | "truncate"; positive?: boolean; maxMagnitude?: number; fix: string },
): bigint {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InputError(field, value, "must be a finite number", options.fix);
    text = String(value);
  } else if (typeof value === "string") text = value.trim();
  else throw new InputError(field, value, "must be a number or a decimal string", options.fix);
  if (text.startsWith("-")) throw new InputError(field, value, "must not be negative", options.fix);
  const match = DECIMAL.exec(text);
  if (match === null) throw new InputError(field, value, "is not a decimal number", options.fix);
  checkMagnitude(Number(text), value, field, options.maxMagnitude ?? MAX_AMOUNT);
  const [, whole = "0", frac = "", exp = "0"] = match;
  const shift = Number(exp);
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > 1000)
    throw new InputError(field, value, "has an exponent out of range", options.fix);
  // digits × 10^(shift − frac.length), expressed with `decimals` decimals
  const digits = BigInt(`${whole}${frac}`);
  const power = shift - frac.length + decimals;
  let units: bigint;
  if (power >= 0) units = digits * 10n ** BigInt(power);
  else {
    const div = 10n ** BigInt(-power);
    if (digits % div !== 0n && options.excess === "reject")
      throw new InputError(field, value, `has more than ${decimals} decimals`, options.fix);
    units = digits / div;
  }
  if (options.positive === true && units === 0n)
    throw new InputError(
      field,
      value,
      decimals === PRICE_DECIMALS ? "must be at least 0.00000001" : "must be greater than 0",
      options.fix,
    );
  return units;
}

/** One `{symbol, amount, price}` entry of `collateral` or `debt`, amounts still raw. */
export interface DocumentHolding {
  symbol: string;
  amount: unknown;
  price: unknown;
  at: string;
  /** Aave only: the scaled balance (token units), instead of `amount`. */
  scaledAmount?: unknown;
  /** Aave only: the collateral flag (default true). */
  usedAsCollateral?: unknown;
}

export function readHoldings(raw: unknown, field: "collateral" | "debt", aave = false): DocumentHolding[] {
  const rows = readArray(raw, field, `List the ${field} as [{"symbol", "amount", "price"}]; [] for none.`);
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const at = `${field}[${i}]`;
    const r = readRecord(row, at, 'Each entry is {"symbol": "WETH", "amount": "1.5", "price": 3000}.');
    const symbol = readString(r.symbol, `${at}.symbol`, "Give the token's ticker, e.g. WETH.");
    if (seen.has(symbol))
      throw new InputError(`${at}.symbol`, symbol, `is listed twice in ${field}`, "Merge the amounts.");
    seen.add(symbol);
    for (const key of ["scaledAmount", "usedAsCollateral"])
      if (r[key] !== undefined && (!aave || (key === "usedAsCollateral" && field === "debt")))
        throw new InputError(
          `${at}.${key}`,
          r[key],
          "applies to aave-v3 collateral/holdings only",
          `Drop ${key}.`,
        );
    if (aave && r.scaledAmount !== undefined) {
      if (r.amount !== undefined)
        throw new InputError(
          `${at}.scaledAmount`,
          r.scaledAmount,
          "and amount: give one",
          "amount in tokens, or scaledAmount with the reserve's index.",
        );
    } else if (r.amount === undefined)
      throw new InputError(`${at}.amount`, undefined, "is required", 'Give the token amount, e.g. "1.5".');
    if (r.price === undefined)
      throw new InputError(
        `${at}.price`,
        undefined,
        "is required",
        "Give the USD price per token, e.g. 3000.",
      );
    return {
      symbol,
      amount: r.amount,
      price: r.price,
      at,
      ...(r.scaledAmount === undefined ? {} : { scaledAmount: r.scaledAmount }),
      ...(r.usedAsCollateral === undefined ? {} : { usedAsCollateral: r.usedAsCollateral }),
    };
  });
}

export const AMOUNT_FIX = 'Give the amount in tokens as a non-negative decimal, e.g. "1.5" or 1.5.';
const PRICE_FIX = "Give the USD price per token as a positive number, e.g. 3000.";

/** Prices by symbol (1e8 USD); a symbol in both lists must carry the same price. */
export function readPrices(holdings: readonly DocumentHolding[]): Record<string, bigint> {
  const prices: Record<string, bigint> = {};
  for (const h of holdings) {
    const p = readDecimalUnits(h.price, `${h.at}.price`, PRICE_DECIMALS, {
      excess: "truncate",
      positive: true,
      maxMagnitude: MAX_PRICE_USD,
      fix: PRICE_FIX,
    });
    const known = prices[h.symbol];
    if (known !== undefined && known !== p)
      throw new InputError(
        `${h.at}.price`,
        h.price,
        `differs from the price given for ${h.symbol} as collateral`,
        "Give one price per token.",
      );
    prices[h.symbol] = p;
  }
  return prices;
}

/** Rebuilds an {@link InputError} raised on a sub-object with its field under `prefix`. */
export function underField(err: unknown, prefix: string): unknown {
  if (!(err instanceof InputError)) return err;
  const head = `${err.field}: `;
  const tail = ` (got ${describeValue(err.value)}). ${err.fix}`;
  const problem =
    err.message.startsWith(head) && err.message.endsWith(tail)
      ? err.message.slice(head.length, err.message.length - tail.length)
      : err.message;
  return new InputError(`${prefix}.${err.field}`, err.value, problem, err.fix);
}

/** An integer in [min, max] at `field` (an {@link InputError} naming it otherwise). */
export function intField(value: unknown, field: string, min: number, max: number, fix: string): number {
  const x = readNumber(value, field, { min, max, fix });
  if (!Number.isInteger(x)) throw new InputError(field, value, "must be an integer", fix);
  return x;
}

/**
 * The parsed document `raw` as a record of the lending venue `venue` with no field outside `keys`:
 * not an object, another `venue` or an unknown field is an {@link InputError} naming it.
 */
export function readVenueRecord(
  raw: unknown,
  venue: string,
  keys: readonly string[],
): Record<string, unknown> {
  const doc = readRecord(
    raw,
    "account",
    "The account document is a JSON object; see schemas/lending-account.schema.json.",
  );
  if (doc.venue !== venue)
    throw new InputError("venue", doc.venue, `is not ${venue}`, `Pass a ${venue} document.`);
  for (const key of Object.keys(doc))
    if (!keys.includes(key))
      throw new InputError(
        key,
        doc[key],
        `is not a field of a ${venue} document`,
        `Allowed: ${keys.join(", ")}.`,
      );
  return doc;
}

/**
 * The table-driven reader of numeric options (src/cli/number-options.ts): each row's flag is read
 * from commander's camel-case key into the row's field, in the table's order, and a value out of
 * the row's bounds is refused naming the flag.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readNumberOptions } from "../../src/cli/number-options.js";
import { InputError } from "../../src/errors.js";

const TABLE = [
  { flag: "--taker-fee", field: "takerFeeRate", min: 0, max: 0.1, fix: "Pass a fraction." },
  { flag: "--notional", field: "notional", min: 0, exclusiveMin: true, fix: "Pass a positive amount." },
] as const;

describe("readNumberOptions", () => {
  it("reads each flag from its camel-case key into its field", () => {
    assert.deepEqual(readNumberOptions({ takerFee: "0.0005", notional: "1e5", other: "x" }, TABLE), {
      takerFeeRate: 0.0005,
      notional: 100_000,
    });
  });
  it("refuses a value out of a row's bounds, or not a number, naming the flag with the row's fix", () => {
    const refused = (opts: object, flag: string, reason: RegExp) =>
      assert.throws(
        () => readNumberOptions(opts, TABLE),
        (e: unknown) =>
          e instanceof InputError && e.field === flag && reason.test(e.message) && /Pass/.test(e.message),
      );
    refused({ takerFee: "0.2", notional: "1" }, "--taker-fee", /must be at most 0\.1/);
    refused({ takerFee: "0", notional: "0" }, "--notional", /must be greater than 0/);
    refused({ takerFee: "abc", notional: "1" }, "--taker-fee", /must be a finite number/);
    refused({ takerFee: "0.01" }, "--notional", /must be a finite number/);
    // In the table's order: the first bad row is the one named.
    refused({ takerFee: "-1", notional: "-1" }, "--taker-fee", /must be at least 0/);
  });
});

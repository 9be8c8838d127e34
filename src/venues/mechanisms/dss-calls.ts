/**
 * Reading the Maker auction documents (`maker-take`, `maker-flip`): dss integer units from decimals, and
 * one keeper call of a time-ordered list.
 */
import { InputError } from "../../errors.js";
import { readRecord, readString } from "../../validate.js";
import { readDecimalUnits } from "../lending-document.js";

/** A non-negative decimal as dss units with `decimals` digits (extra digits truncated, as dss rounds down; whole seconds exact). */
export function dssUnits(value: unknown, field: string, decimals: number, fix: string): bigint {
  return readDecimalUnits(value, field, decimals, { excess: decimals === 0 ? "reject" : "truncate", fix });
}

/**
 * Call `i` of `actions`: its record, its keeper (default `keeper i+1`) and its time, which may not be
 * before `last` (the previous call or the auction's start). Throws an {@link InputError} naming
 * `actions[i]`, `actions[i].keeper` or `actions[i].at`.
 */
export function readKeeperCall(
  row: unknown,
  i: number,
  last: bigint,
  shape: string,
  seconds: string,
): { a: Record<string, unknown>; keeper: string; time: bigint } {
  const at = `actions[${i}]`;
  const a = readRecord(row, at, shape);
  const keeper = a.keeper === undefined ? `keeper ${i + 1}` : readString(a.keeper, `${at}.keeper`);
  const time = dssUnits(a.at, `${at}.at`, 0, seconds);
  if (time < last)
    throw new InputError(
      `${at}.at`,
      a.at,
      `is before the previous call (${last})`,
      "List the calls in time order.",
    );
  return { a, keeper, time };
}

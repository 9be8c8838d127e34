/**
 * Numeric options read from a table: one row per option — its flag, the field of the result it
 * fills, its bounds and the fix shown when it is refused — so a command states its numeric
 * options once instead of repeating a {@link readNumberOption} call per option.
 */
import { readNumberOption } from "../validate.js";

/** One numeric option: `--flag` (commander's value under its camel-case name), the result field, its bounds. */
export interface NumberOptionRow<F extends string> {
  readonly flag: `--${string}`;
  readonly field: F;
  readonly min?: number;
  readonly exclusiveMin?: boolean;
  readonly max?: number;
  readonly exclusiveMax?: boolean;
  readonly fix: string;
}

/** Commander's key of an option's value: `--taker-fee` → `takerFee`. */
function optionKey(flag: string): string {
  return flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Reads every option of `table` from commander's `opts`, in the table's order, each checked by
 * {@link readNumberOption} against its row's bounds (an InputError naming the flag otherwise);
 * the options must have a default, so that each value is a string.
 *
 * @example readNumberOptions({ takerFee: "0.0005" }, [{ flag: "--taker-fee", field: "takerFeeRate", min: 0, max: 0.1, fix: "Pass a fraction." }]) // { takerFeeRate: 0.0005 }
 */
export function readNumberOptions<F extends string>(
  opts: object,
  table: readonly NumberOptionRow<F>[],
): Record<F, number> {
  const values = opts as Readonly<Record<string, string>>;
  const out = {} as Record<F, number>;
  for (const row of table)
    out[row.field] = readNumberOption(values[optionKey(row.flag)] ?? "", row.flag, row);
  return out;
}

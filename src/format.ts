/**
 * Number formatting shared by report labels, error messages and the CLI's tables: one place so that a
 * figure reads the same in a library result, an error and a table.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat("en-US", options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * Formats a number for tables: grouped thousands, 2 decimals from 1,000 up, 2 to 4 from 1, 6
 * significant digits below 1 (coin-margined amounts); `fractionDigits` fixes the maximum decimals instead.
 * `null` prints as `—`, infinities as `∞`/`-∞`.
 */
export function formatNumber(x: number | null, fractionDigits?: number): string {
  if (x === null || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  if (fractionDigits !== undefined) return formatter({ maximumFractionDigits: fractionDigits }).format(x);
  const a = Math.abs(x);
  if (a >= 1000) return formatter({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
  if (a >= 1) return formatter({ minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(x);
  return a === 0 ? "0" : formatter({ maximumSignificantDigits: 6 }).format(x);
}

/** A fraction as a percent with `digits` decimals: `0.0123` → `1.23 %`; infinities as `∞`. */
export function formatPercent(x: number | null, digits = 2): string {
  if (x === null || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  return `${(x * 100).toFixed(digits)} %`;
}

/** A table of text cells in a readable report: `head` (empty: no header row), `rows`, right-aligned columns (0-based). */
export interface TextTable {
  head: string[];
  rows: string[][];
  rightAlign: number[];
}

/**
 * The readable form of a report, whatever draws it (the CLI's tables, a web page): lines of text and
 * tables, in order. The library says what a report shows; the front end draws it.
 */
export type Readable = (string | TextTable)[];

/** A {@link TextTable} of `rows` under `head` (`[]`: none), with the columns listed in `rightAlign` right-aligned. */
export function textTable(
  head: string[],
  rows: string[][],
  options: { rightAlign?: number[] } = {},
): TextTable {
  return { head, rows, rightAlign: options.rightAlign ?? [] };
}

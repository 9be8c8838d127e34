/**
 * What the reconciliation report scripts share: the repository's root, the number formats of their
 * tables, the time axis of their charts, and writing a figure under docs/figures and the results of a page.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeResults } from "./doc-results.js";

/** The repository's root directory, with a trailing slash. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** USD in millions with `digits` decimals: `millions(1_234_567) // "1.23"`. */
export const millions = (usd: number, digits = 2): string => (usd / 1e6).toFixed(digits);

/** A fraction as a percentage: `percent(0.0512) // "5.1 %"`. */
export const percent = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)} %`;

/** A count rounded and grouped: `count(12345.6) // "12,346"`. */
export const count = (x: number): string => Math.round(x).toLocaleString("en-US");

/** The UTC hour and minute of a time in milliseconds: `"21:14"`. */
export const utcHhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** The x axis of a chart over time, labelled UTC. */
export const UTC_AXIS = { scale: "time", title: "UTC" } as const;

/** Writes the SVG `svg` to docs/figures/`name`. */
export function writeFigure(name: string, svg: string): void {
  writeFileSync(`${ROOT}docs/figures/${name}`, svg);
}

/**
 * Writes `lines` between the results markers of docs/`page` ({@link writeResults}) and says on
 * stderr that it did, with the figures (`figures`, a path or pattern) written alongside.
 */
export function writeReportPage(page: string, lines: readonly string[], figures: string): void {
  const doc = `${ROOT}docs/${page}`;
  writeResults(doc, lines);
  process.stderr.write(`wrote ${doc} and ${figures}\n`);
}

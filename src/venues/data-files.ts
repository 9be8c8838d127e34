import { readFileSync } from "node:fs";

/** Reads and parses a bundled data file under `data/` (resolved from this module, in `src/` and `dist/`). */
export function readBundledJson(relativePath: string): unknown {
  const url = new URL(`../../data/${relativePath}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as unknown;
}

/**
 * Writes a report script's generated lines into a hand-written page, between its
 * `<!-- results:start -->` and `<!-- results:end -->` markers, leaving the prose around them alone.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** Replaces what lies between the results markers of `doc` with `lines`; throws when the markers are missing. */
export function writeResults(doc: string, lines: readonly string[]): void {
  const text = readFileSync(doc, "utf8");
  const begin = "<!-- results:start -->";
  const end = "<!-- results:end -->";
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${doc} lacks the ${begin} … ${end} markers`);
  writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${lines.join("\n")}\n${text.slice(b)}`);
}

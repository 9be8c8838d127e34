/**
 * The progress bar of long commands (`trader`, `simulate`): drawn on stderr, and only when stderr is a
 * terminal, so that piped and captured output stays clean.
 */

/** Draws `[####      ] 40 % of 1000 paths` on stderr, ending the line when done. */
function progressBar(done: number, total: number): void {
  const share = Math.min(1, done / total);
  const bar = "#".repeat(Math.round(share * 30)).padEnd(30, " ");
  process.stderr.write(`\r[${bar}] ${Math.round(share * 100)} % of ${total} paths${share >= 1 ? "\n" : ""}`);
}

/** {@link progressBar} when stderr is a terminal, else nothing (an option object to spread). */
export function terminalProgress(): { onProgress?: (done: number, total: number) => void } {
  return process.stderr.isTTY === true ? { onProgress: progressBar } : {};
}

/**
 * Bundled candles as a workflow's input: a {@link CandleSelection} of a bundled set cut to
 * `[from, to)`, loaded with the policies the CLI uses (drop and report bad rows, keep the last of
 * duplicates), for in-process tests of the report functions.
 */
import { resolveDataArgument } from "../../src/market/bundled.js";
import { type CandleSelection, parseIsoUtc, readCandleFile, sliceByTime } from "../../src/market/candles.js";

export function bundledCandles(name: string, range: { from?: string; to?: string } = {}): CandleSelection {
  const { path, dataset } = resolveDataArgument(name, "candles");
  const loaded = readCandleFile(path, {
    onBadRow: "drop-and-report",
    onDuplicate: "keep-last",
    ...(dataset?.symbol === undefined ? {} : { symbol: dataset.symbol }),
  });
  const fromMs = range.from === undefined ? -Number.MAX_VALUE : parseIsoUtc(range.from);
  const toMs = range.to === undefined ? Number.MAX_VALUE : parseIsoUtc(range.to);
  return { loaded, series: sliceByTime(loaded.series, fromMs, toMs), path };
}

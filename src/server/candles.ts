/**
 * The candles of a `POST /v1/vol` body: a bundled data set by name (never a file path: the server
 * reads no file a request names), or ccxt OHLCV rows sent in the body, cut to `[from, to)`. Read with
 * the CLI's policies (bad rows dropped and reported, duplicates keep the last), so a bundled set gives
 * the selection `liqopt vol --candles <name>` works on.
 */
import { InputError } from "../errors.js";
import { bundledDataset, bundledPath } from "../market/bundled.js";
import {
  type CandleLoadOptions,
  type CandleSelection,
  candlesFromCcxt,
  parseIsoUtc,
  readCandleFile,
  sliceByTime,
} from "../market/candles.js";

/** The candle members of a request body. */
export interface CandleRequest {
  /** A bundled candle set's name, or OHLCV rows `[time ms, open, high, low, close, volume]`. */
  readonly candles: string | readonly unknown[];
  readonly symbol?: string;
  readonly from?: string;
  readonly to?: string;
}

/** A UTC date or date-time member in ms, `absent` when not given; anything else is refused on `member`. */
function readTime(raw: string | undefined, member: "from" | "to", absent: number): number {
  if (raw === undefined) return absent;
  const t = parseIsoUtc(raw);
  if (!Number.isFinite(t))
    throw new InputError(member, raw, "is not a date", "Use YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC).");
  return t;
}

/**
 * The candles a request names, with `from ≤ time < to` kept; fewer than `minBars` left, a `to` not
 * after `from`, a name that is not a bundled candle set, or a bad row is an {@link InputError} naming
 * the body member.
 */
export function requestCandles(body: CandleRequest, minBars: number): CandleSelection {
  const read: CandleLoadOptions = { onBadRow: "drop-and-report", onDuplicate: "keep-last" };
  let path: string;
  let loaded: CandleSelection["loaded"];
  if (typeof body.candles === "string") {
    const dataset = bundledDataset(body.candles);
    if (dataset?.kind !== "candles")
      throw new InputError("candles", body.candles, "is not a bundled candle set", "Use liqopt data list.");
    path = bundledPath(dataset.path);
    const symbol = body.symbol ?? dataset.symbol;
    loaded = readCandleFile(path, { ...read, ...(symbol === undefined ? {} : { symbol }) });
  } else {
    path = "candles";
    loaded = candlesFromCcxt(body.candles, {
      ...read,
      source: "candles",
      ...(body.symbol === undefined ? {} : { symbol: body.symbol }),
    });
  }
  const fromMs = readTime(body.from, "from", -Number.MAX_VALUE);
  const toMs = readTime(body.to, "to", Number.MAX_VALUE);
  if (fromMs >= toMs) throw new InputError("to", body.to, "is not after from", "Pass from earlier than to.");
  const series = sliceByTime(loaded.series, fromMs, toMs);
  if (series.close.length < minBars)
    throw new InputError(
      body.from !== undefined || body.to !== undefined ? "from" : "candles",
      `${series.close.length} bars`,
      `leave fewer than ${minBars} bars`,
      "Widen the date range or send more candles.",
    );
  return { loaded, series, path };
}

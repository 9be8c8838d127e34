/**
 * The market of a replayed crash beyond its trade closes: the **mark** a Binance liquidation
 * triggers on and the **depth** that scales the impact of the liquidation flow, both per step of
 * the replay. On Binance USDⓈ-M a position is liquidated when the mark crosses its liquidation
 * price, and the liquidation order fills in the trade book (Binance FAQ 360033525071 "Mark Price in
 * USDⓈ-M futures"; src/venues/binance-mark-price.ts), so a replay may trigger on the mark series and
 * fill at the trade closes. docs/reference/simulate.md, `path.mark` and `path.depth`.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../../errors.js";
import { bundledPath } from "../../market/bundled.js";
import { forEachCsvRecord } from "../../market/csv-table.js";
import { crashDayDepth, replayDepthScale } from "../../risk/depth-replay.js";
import { readChoice, withField } from "../../validate.js";

/** Where a replay's mark comes from: the trade closes, or Binance's 5-minute mark-price klines of the day. */
export const REPLAY_MARKS = ["trade", "mark-price-5m"] as const;
export type ReplayMarkSource = (typeof REPLAY_MARKS)[number];
/** The depth scale of a replay: none (a calm book), or the day's measured BTCUSDT bookDepth scale. */
export const REPLAY_DEPTHS = ["none", "bookdepth-2025-10-10"] as const;
export type ReplayDepthSource = (typeof REPLAY_DEPTHS)[number];

/** The one candle set the day's mark and depth files belong to. */
const DAY_DATASET = "btc-1m-2025-10-10";
const MARK_5M = "crashes/2025-10-10_binance-usdm_btcusdt_markprice_5m.csv";
const MINUTE_MS = 60_000;
const BAR_MS = 5 * MINUTE_MS;

/** Mark-price klines: bar open times (epoch ms) and each bar's low, high and close. */
export interface MarkBars {
  readonly time: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly close: Float64Array;
}

/**
 * A replay's per-step market: the marks the engine triggers on, the trade prices it fills at (absent
 * when they are the marks) and the depth scale (absent for a calm book).
 */
export interface ReplayMarket {
  readonly mark: ReplayMarkSource;
  readonly depth: ReplayDepthSource;
  readonly marks: Float64Array;
  readonly trades?: Float64Array;
  readonly depthScale?: Float64Array;
}

let bars: MarkBars | undefined;

/** The bundled 5-minute BTCUSDT mark-price klines of 2025-10-08 → 12 (no volume column), read once. */
function markBars5m(): MarkBars {
  if (bars === undefined) {
    const cols: number[][] = [[], [], [], []];
    let at: number[] | undefined;
    forEachCsvRecord(
      readFileSync(bundledPath(MARK_5M), "utf8"),
      (line) => `${MARK_5M} row ${line}`,
      (cells) => {
        if (at === undefined) {
          at = ["open_time_ms", "low", "high", "close"].map((k) => cells.indexOf(k));
          return;
        }
        for (const [k, c] of at.entries()) cols[k]?.push(Number(cells[c]));
      },
    );
    const [time, low, high, close] = cols.map((c) => Float64Array.from(c));
    bars = { time, low, high, close } as MarkBars;
  }
  return bars;
}

/**
 * The mark of each 1-minute step from 5-minute mark-price bars and the minute's trade close: at the
 * last minute of a bar, the bar's close (the mark itself); at the other minutes, the trade close held
 * inside the bar's range, `min(max(trade, low), high)`. Binance's mark is `median(P1, P2, last)`, which
 * is the last price whenever that lies between P1 and P2 and otherwise the nearer of them; the bar's
 * range is all that is known of P1 and P2 between the samples, so the clamp is the mark-consistent
 * estimate that keeps the minute timing of the trades (linear interpolation of the 5-minute closes
 * would lose the bars' lows, where liquidations trigger, and holding a close would shift every move by
 * up to four minutes). A minute outside the bars is an {@link InputError} on `path.mark`.
 *
 * @param timesMs minute bar open times (epoch ms)
 * @param trades the minutes' trade closes
 */
export function markFromBars(timesMs: Float64Array, trades: Float64Array, b: MarkBars): Float64Array {
  const out = new Float64Array(timesMs.length);
  const first = b.time[0] as number;
  for (let i = 0; i < timesMs.length; i++) {
    const t = timesMs[i] as number;
    const j = Math.floor((t - first) / BAR_MS);
    if (!(j >= 0 && j < b.time.length && b.time[j] === first + j * BAR_MS)) {
      throw new InputError(
        "path.mark",
        new Date(t).toISOString(),
        "has no 5-minute mark-price bar at this minute",
        'Replay inside the mark file\'s window, or use "mark": "trade".',
      );
    }
    const last = t + MINUTE_MS === (b.time[j] as number) + BAR_MS;
    const trade = trades[i] as number;
    out[i] = last
      ? (b.close[j] as number)
      : Math.min(Math.max(trade, b.low[j] as number), b.high[j] as number);
  }
  return out;
}

/**
 * Reads `path.mark` (default `"trade"`) and `path.depth` (default `"none"`) of a replay of `dataset`
 * on the minutes `timesMs` with trade closes `closes`: `"mark-price-5m"` triggers on
 * {@link markFromBars} of the bundled mark-price klines and fills at the closes;
 * `"bookdepth-2025-10-10"` is the day's measured depth scale per step (`replayDepthScale` of
 * `crashDayDepth().minutes`, each step the minute it starts in, held flat after 24:00 UTC;
 * docs/depth-calibration.md), which needs `venue.impact` (`hasImpact`). Both belong to
 * `btc-1m-2025-10-10` only; anything else is an {@link InputError} naming the field.
 */
export function readReplayMarket(
  p: Record<string, unknown>,
  dataset: string,
  timesMs: Float64Array,
  closes: Float64Array,
  hasImpact: boolean,
): ReplayMarket {
  const mark = p.mark === undefined ? "trade" : readChoice(p.mark, "path.mark", REPLAY_MARKS);
  const depth = p.depth === undefined ? "none" : readChoice(p.depth, "path.depth", REPLAY_DEPTHS);
  for (const [key, value] of [
    ["mark", mark === "trade" ? undefined : mark],
    ["depth", depth === "none" ? undefined : depth],
  ] as const) {
    if (value !== undefined && dataset !== DAY_DATASET) {
      throw new InputError(
        `path.${key}`,
        value,
        `belongs to ${DAY_DATASET}, not ${dataset}`,
        `Replay ${DAY_DATASET}, or leave path.${key} out.`,
      );
    }
  }
  if (depth !== "none" && !hasImpact) {
    throw new InputError(
      "path.depth",
      depth,
      "scales the impact model, and venue.impact is missing",
      "Give venue.impact { y, dailyVol, dailyVolumeUsd, halfLifeSteps }, or leave path.depth out.",
    );
  }
  const stepMinutes = ((timesMs[1] as number) - (timesMs[0] as number)) / MINUTE_MS;
  return {
    mark,
    depth,
    marks: mark === "trade" ? closes : markFromBars(timesMs, closes, markBars5m()),
    ...(mark === "trade" ? {} : { trades: closes }),
    ...(depth === "none"
      ? {}
      : {
          depthScale: withField("path.depth", () =>
            replayDepthScale(crashDayDepth().minutes, timesMs[0] as number, timesMs.length, stepMinutes),
          ),
        }),
  };
}

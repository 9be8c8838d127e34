/**
 * The market a Maker ETH-A day is replayed on, minute by minute: the ETH price bridged from hourly
 * candles, the OSM price the Vat sees (one hour behind), and the network's gas price. Used by the
 * Black Thursday reconciliation (`black-thursday.ts`); every rule is stated in docs/assumptions.md
 * ("Black Thursday reconciliation").
 *
 * Sources: Maker's Oracle Security Module (dss `osm.sol`: `poke` once per `hop` = 3,600 s moves the
 * queued `nxt` to `cur`, so the price the Spotter reads is the one read an hour earlier); gas, Glassnode
 * via Blockstock & Barrel and currencies.ru (2020): mean gas price up ~6× to ~80 gwei on 2020-03-12,
 * 80–200 gwei; DeFi Saver, "Black Thursday at DeFi Saver" (2020): its repay transactions ran at 200 gwei
 * for most of the day.
 */
import { InputError } from "../../errors.js";
import type { CandleSeries } from "../../market/candles.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** How the hourly bars are bridged to minutes and how gas follows the market. */
export interface MakerDayMarketSpec {
  /** First minute (epoch ms, on an hour). */
  readonly fromMs: number;
  /** End (epoch ms, exclusive, on an hour). */
  readonly toMs: number;
  /** A bar's high is clipped at this multiple of max(open, close), its low at min(open, close) / it. */
  readonly wickClip: number;
  /** OSM delay, seconds (`hop`, 3,600 on 2020-03-12). */
  readonly osmDelaySeconds: number;
  /** Gas price in a calm hour (bar range below `stressRange`), gwei. */
  readonly baseGwei: number;
  /** Gas price in a stressed hour (range ≥ `stressRange`), gwei. */
  readonly stressGwei: number;
  /** Gas price in a panic hour (range ≥ `peakRange`), gwei. */
  readonly peakGwei: number;
  /** (high − low)/open of a bar from which the hour counts as stressed. */
  readonly stressRange: number;
  /** (high − low)/open of a bar from which the hour counts as a panic. */
  readonly peakRange: number;
}

/** The replayed market: one entry per minute. */
export interface MakerDayMarket {
  /** Minute start, epoch ms. */
  readonly time: Float64Array;
  /** ETH price (DAI = USD assumed). */
  readonly price: Float64Array;
  /** The OSM price the Spotter uses (`price` one `hop` earlier, read at the hour's start). */
  readonly osm: Float64Array;
  /** Network gas price, gwei. */
  readonly gasGwei: Float64Array;
  /** Bars whose wick was clipped (epoch ms of their open). */
  readonly clippedBars: readonly number[];
}

/**
 * Bridges bar `i` to minutes: open at minute 0, then (down bar) the high at minute 15 and the low at 45,
 * (up bar) the low at 15 and the high at 45, the close at 60, linear in between; the high is first
 * clipped to `wickClip·max(open, close)` and the low to `min(open, close)/wickClip`. Writes 60 values.
 */
function bridgeBar(series: CandleSeries, i: number, clip: number, out: Float64Array, at: number): boolean {
  const o = series.open[i] as number;
  const c = series.close[i] as number;
  const h = Math.min(series.high[i] as number, clip * Math.max(o, c));
  const l = Math.max(series.low[i] as number, Math.min(o, c) / clip);
  const knots = c < o ? [o, h, l, c] : [o, l, h, c];
  const minutes = [0, 15, 45, 60];
  for (let m = 0; m < 60; m++) {
    const k = m < 15 ? 0 : m < 45 ? 1 : 2;
    const a = minutes[k] as number;
    const b = minutes[k + 1] as number;
    const w = (m - a) / (b - a);
    out[at + m] = (knots[k] as number) * (1 - w) + (knots[k + 1] as number) * w;
  }
  return h < (series.high[i] as number) || l > (series.low[i] as number);
}

/**
 * The minute market of `[fromMs, toMs)` from hourly `candles` (which must also cover the OSM delay
 * before `fromMs`): the bridged price ({@link bridgeBar}), the OSM price `osm(t) = price(⌊t⌋ₕ − hop)`
 * (the value queued an hour before the current hour started) and the gas price of each hour from its
 * range: `peakGwei` when `(H − L)/O ≥ peakRange`, `stressGwei` when `≥ stressRange`, else `baseGwei`.
 * Throws an {@link InputError} when the candles are not hourly or miss an hour of the window.
 */
export function makerDayMarket(candles: CandleSeries, spec: MakerDayMarketSpec): MakerDayMarket {
  if (candles.intervalMs !== HOUR_MS)
    throw new InputError("candles.intervalMs", candles.intervalMs, "must be hourly", "Give 1-hour candles.");
  const delayHours = Math.ceil(spec.osmDelaySeconds / 3600);
  const firstHour = spec.fromMs - delayHours * HOUR_MS;
  const hours = (spec.toMs - firstHour) / HOUR_MS;
  if (!(Number.isInteger(hours) && hours > delayHours))
    throw new InputError("toMs", spec.toMs, "must be whole hours after fromMs", "Give times on the hour.");
  const start = candles.time.indexOf(firstHour);
  if (start < 0 || candles.time[start + hours - 1] !== firstHour + (hours - 1) * HOUR_MS)
    throw new InputError(
      "candles",
      candles.symbol,
      `must hold every hour from ${new Date(firstHour).toISOString()} to ${new Date(spec.toMs).toISOString()}`,
      "Give a candle file covering the day and the OSM delay before it.",
    );
  const all = new Float64Array(hours * 60);
  const hourGas = new Float64Array(hours);
  const clippedBars: number[] = [];
  for (let h = 0; h < hours; h++) {
    const i = start + h;
    if (bridgeBar(candles, i, spec.wickClip, all, h * 60)) clippedBars.push(candles.time[i] as number);
    const range = ((candles.high[i] as number) - (candles.low[i] as number)) / (candles.open[i] as number);
    hourGas[h] =
      range >= spec.peakRange ? spec.peakGwei : range >= spec.stressRange ? spec.stressGwei : spec.baseGwei;
  }
  const n = (hours - delayHours) * 60;
  const offset = delayHours * 60;
  const time = new Float64Array(n);
  const price = new Float64Array(n);
  const osm = new Float64Array(n);
  const gasGwei = new Float64Array(n);
  const delayMinutes = Math.round(spec.osmDelaySeconds / 60);
  for (let m = 0; m < n; m++) {
    time[m] = spec.fromMs + m * MINUTE_MS;
    price[m] = all[offset + m] as number;
    const hourStart = offset + m - (m % 60);
    osm[m] = all[hourStart - delayMinutes] as number;
    gasGwei[m] = hourGas[Math.floor((offset + m) / 60)] as number;
  }
  return { time, price, osm, gasGwei, clippedBars };
}

/**
 * The liquidation index (src/margin/liquidation-index.ts) against a full scan of the same book, in
 * the same run: one symbol's isolated book (its signed sizes and `liquidationPriceBatch` prices), a
 * seeded random walk of the mark in small steps, and per tick the crossed slots found and taken
 * out (liquidated), by `LiquidationIndex.crossed` + `remove` and by a scan of every position. Tick
 * 0 (the backlog already past its price at the starting mark) is untimed for both. Also the build
 * and a re-key (`update`) of random slots. Wired into `npm run bench -- --only liqindex`
 * (bench/run.ts).
 */
import { LiquidationIndex } from "../src/margin/liquidation-index.js";
import { Xoshiro128 } from "../src/math/random.js";

/** Latency of one way of ticking, milliseconds per tick. */
export interface TickTimes {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** What `benchLiqIndex` measured. */
export interface LiqIndexBenchResult {
  readonly positions: number;
  readonly indexed: number;
  readonly ticks: number;
  /** Relative mark step: uniform in ±step per tick. */
  readonly step: number;
  readonly backlog: number;
  readonly crossings: number;
  readonly maxCrossingsPerTick: number;
  readonly buildMs: number;
  readonly index: TickTimes;
  readonly scan: TickTimes;
  /** Mean time of one `update` (re-key) of a random slot, microseconds. */
  readonly updateUs: number;
}

function tickTimes(ms: Float64Array): TickTimes {
  const sorted = Float64Array.from(ms).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return {
    meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1] as number,
  };
}

/**
 * Full scan of one tick: every position of side `sign(size[i])` that `mark` has reached
 * (`mark ≤ L` long, `mark ≥ L` short, as Binance; NaN never) is written to `out` and taken out
 * by setting its price in `liq` (the scan's own copy) to NaN.
 */
function scanTick(size: Float64Array, liq: Float64Array, mark: number, out: Int32Array): number {
  let n = 0;
  for (let i = 0; i < size.length; i++) {
    const l = liq[i] as number;
    if ((size[i] as number) > 0 ? mark <= l : mark >= l) {
      out[n++] = i;
      liq[i] = Number.NaN;
    }
  }
  return n;
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Ticks the book `(size, liquidationPrice)` through `ticks` marks of a seeded random walk from
 * `mark` (relative steps uniform in ±`step`), once with the index and once with a full scan, and
 * checks that both liquidate the same number of positions at every tick.
 */
export function benchLiqIndex(
  size: Float64Array,
  liquidationPrice: Float64Array,
  mark: number,
  ticks: number,
  step: number,
  seed: number,
): LiqIndexBenchResult {
  const n = size.length;
  const rng = new Xoshiro128(seed);
  const marks = new Float64Array(ticks + 1);
  marks[0] = mark;
  for (let t = 1; t <= ticks; t++) marks[t] = (marks[t - 1] as number) * (1 + (2 * rng.next() - 1) * step);
  const out = new Int32Array(n);

  let start = process.hrtime.bigint();
  const index = LiquidationIndex.fromColumns(size, liquidationPrice);
  const buildMs = elapsedMs(start);
  const indexed = index.count;
  const indexMs = new Float64Array(ticks);
  const counts = new Int32Array(ticks + 1);
  for (let t = 0; t <= ticks; t++) {
    start = process.hrtime.bigint();
    const k = index.crossed(marks[t] as number, out);
    for (let j = 0; j < k; j++) index.remove(out[j] as number);
    if (t > 0) indexMs[t - 1] = elapsedMs(start);
    counts[t] = k;
  }

  const scanLiq = Float64Array.from(liquidationPrice);
  for (let i = 0; i < n; i++) if (size[i] === 0) scanLiq[i] = Number.NaN;
  const scanMs = new Float64Array(ticks);
  for (let t = 0; t <= ticks; t++) {
    start = process.hrtime.bigint();
    const k = scanTick(size, scanLiq, marks[t] as number, out);
    if (t > 0) scanMs[t - 1] = elapsedMs(start);
    if (k !== counts[t]) throw new Error(`tick ${t}: the scan liquidates ${k}, the index ${counts[t]}`);
  }

  // Re-keys: slots put back at a price 0–5 % past the last mark on their side's safe side.
  const updates = 100_000;
  const last = marks[ticks] as number;
  start = process.hrtime.bigint();
  for (let u = 0; u < updates; u++) {
    const slot = rng.int(n);
    const q = size[slot] as number;
    index.update(slot, q, q > 0 ? last * (0.95 + 0.05 * rng.next()) : last * (1.05 - 0.05 * rng.next()));
  }
  const updateUs = (elapsedMs(start) * 1e3) / updates;

  let crossings = 0;
  let most = 0;
  for (let t = 1; t <= ticks; t++) {
    crossings += counts[t] as number;
    most = Math.max(most, counts[t] as number);
  }
  return {
    positions: n,
    indexed,
    ticks,
    step,
    backlog: counts[0] as number,
    crossings,
    maxCrossingsPerTick: most,
    buildMs,
    index: tickTimes(indexMs),
    scan: tickTimes(scanMs),
    updateUs,
  };
}

/** The result as the lines `npm run bench` prints. */
export function formatLiqIndexBench(r: LiqIndexBenchResult): string {
  const row = (name: string, x: TickTimes) =>
    `${name}: mean ${x.meanMs.toFixed(4)} ms, p50 ${x.p50Ms.toFixed(4)} ms, p99 ${x.p99Ms.toFixed(4)} ms, max ${x.maxMs.toFixed(3)} ms per tick`;
  return [
    `${r.positions} positions (${r.indexed} with a liquidation price), ${r.ticks} ticks of ±${(r.step * 1e4).toFixed(1)} bp: ` +
      `backlog ${r.backlog} at tick 0, then ${r.crossings} crossings (at most ${r.maxCrossingsPerTick} in a tick)`,
    `build ${r.buildMs.toFixed(0)} ms`,
    row("index (crossed + remove)", r.index),
    row("full scan", r.scan),
    `update (re-key): ${r.updateUs.toFixed(2)} µs each`,
  ].join("\n");
}

/**
 * Does fitting Merton on the bars' high and low (src/vol/jumps-range.ts) widen the simulated
 * hourly ranges toward the observed ones? The focused check behind the "Intrabar ranges" paragraph
 * of docs/jump-calibration.md:
 *
 *   npx tsx scripts/range-fit-check.ts
 *
 * For each hourly window of the calibration report (scripts/calibration-report.ts; the 5-minute
 * 2025-10-10 window is left out), Merton is fitted once on the FIT_BARS hourly bars before the
 * window opens, on the closes (fitJumpDiffusion) and on close, low and high (fitMertonRange); each
 * fit simulates 50 paths of 24 hourly bars with Brownian-bridge extremes (the report's banks and
 * seed), and the quantiles 50 / 90 / 99 % of one bar's ln(high/low) are set against those observed
 * in the window. Prints a markdown table; seeded, so two runs print the same.
 */
import { bundledPath } from "../src/market/bundled.js";
import { readCandleFile } from "../src/market/candles.js";
import { monteCarloModel } from "../src/optimize/trader-probability.js";
import { jumpModelSpec } from "../src/optimize/vol-models.js";
import { fitJumpDiffusion, type JumpFit, type MertonParams } from "../src/vol/jumps.js";
import { fitMertonRange, rangeBarsFromCandles } from "../src/vol/jumps-range.js";
import { logReturns } from "../src/vol/realized.js";

const SEED = 20_261_207;
const FIT_BARS = 1000;
const HOUR = 3_600_000;
/** [label, first day, day after the last] of the report's hourly windows. */
const WINDOWS: readonly (readonly [string, string, string])[] = [
  ["2020-03-12", "2020-03-07", "2020-03-17"],
  ["2021-05-19", "2021-05-14", "2021-05-24"],
  ["2022-05 (LUNA)", "2022-05-05", "2022-05-15"],
  ["2022-11 (FTX)", "2022-11-04", "2022-11-14"],
  ["calm 2020-07", "2020-07-06", "2020-07-16"],
  ["calm 2023-07", "2023-07-03", "2023-07-13"],
  ["calm 2023-09", "2023-09-04", "2023-09-14"],
];

const s = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
  symbol: "BTCUSDT",
}).series;

const quantiles = (xs: number[]): string => {
  const sorted = Float64Array.from(xs).sort();
  return [0.5, 0.9, 0.99]
    .map((q) =>
      (100 * (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number)).toFixed(2),
    )
    .join(" / ");
};

/** Simulated one-bar ranges ln(high/low) of a fit: 50 paths × 24 bars. */
function simulatedRanges(fit: JumpFit): number[] {
  const model = monteCarloModel({
    model: jumpModelSpec(fit, 1 / 8760),
    barHours: 1,
    horizonHours: 24,
    paths: 50,
    seed: SEED,
  });
  const { bank } = model;
  return Array.from(
    { length: bank.paths * bank.bars },
    (_, i) => (bank.high[i] as number) - (bank.low[i] as number),
  );
}

const summary = (f: JumpFit): string => {
  const p = f.params as { sigma: number; lambda: number; jumpMean: number; jumpVol: number };
  const bounds = f.atBounds.length > 0 ? ` (at bound: ${f.atBounds.join(", ")})` : "";
  return `σ ${(100 * p.sigma).toFixed(3)} %, λ ${p.lambda.toFixed(4)}, μ_J ${(100 * p.jumpMean).toFixed(2)} %, δ ${(100 * p.jumpVol).toFixed(2)} %${bounds}`;
};

const rows: string[] = [];
const fits: string[] = [];
for (const [label, from, to] of WINDOWS) {
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const t = s.time.findIndex((x) => x >= fromMs);
  const started = Date.now();
  const close = fitJumpDiffusion("merton", logReturns(s.close.subarray(t - FIT_BARS - 1, t)));
  const range = fitMertonRange(rangeBarsFromCandles(s, t - FIT_BARS, t), {
    start: close.params as MertonParams,
  });
  const observed: number[] = [];
  for (let k = t; k < s.time.length && (s.time[k] as number) < toMs; k++) {
    if (((s.time[k] as number) - fromMs) % HOUR === 0)
      observed.push(Math.log((s.high[k] as number) / (s.low[k] as number)));
  }
  rows.push(
    `| ${label} | ${quantiles(observed)} | ${quantiles(simulatedRanges(close))} | ${quantiles(simulatedRanges(range))} |`,
  );
  fits.push(`| ${label} | ${summary(close)} | ${summary(range)} |`);
  process.stderr.write(`${label}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
process.stdout.write(
  [
    "| window | observed | merton (closes) | merton (ranges) |",
    "|---|---|---|---|",
    ...rows,
    "",
    "| window | merton fitted on closes | merton fitted on close, low, high |",
    "|---|---|---|",
    ...fits,
    "",
  ].join("\n"),
);

/**
 * Reproduces the tables of docs/jump-calibration.md (between its `results` markers) and
 * docs/figures/jump-reliability-{calm,crash}.svg:
 *
 *   npm run report:calibration
 *
 * Calibration of the trader's P(liquidation within 24 h) on history: a BTCUSDT position opened at
 * every hour of each window, long and short at 5×, 10× and 20× (isolated, Binance's first tier,
 * maintenance rate 0.4 %, no fees or funding: liquidation price S(1 − 1/L)/(1 − m) for a long,
 * S(1 + 1/L)/(1 + m) for a short), is predicted liquidated with each model's probability, and
 * realized liquidated when a bar's low (long) or high (short) within the next 24 h reaches the
 * liquidation price. Expected liquidations = Σ predicted probabilities; realized = Σ touches.
 *
 * Models (the trader's, src/optimize/vol-models.ts and src/vol/jumps.ts): gbm (closed form, σ of
 * the window), garch-t and fhs (GARCH(1,1)-t fit; paths from the current conditional variance),
 * merton and kou (jump-diffusions by maximum likelihood), arji (Merton jumps at the self-exciting
 * intensity of Chan & Maheu 2002, src/vol/arji.ts; its paths start from the filtered intensity at
 * the opening, the filter run at every opening with the day's parameters). Every model is fitted on the FIT_BARS
 * returns before the opening; to keep the run time to a few minutes the parameters are refitted
 * once a day (every 24 openings; the jump fits warm-started from the previous day's), while the
 * GARCH variance and gbm's σ are updated at every opening. The filtered bootstrap resamples blocks of a day
 * (a quarter of the residuals when fewer than four days are available, 2025-10-10). Monte Carlo uses PATHS paths per bank.
 * Data: the bundled Binance USDⓈ-M hourly trade candles (data/ohlcv/), and for 2025-10-10 the
 * 5-minute mark-price klines of data/crashes/ (the models then fit and simulate 5-minute bars,
 * on the bars since 2025-10-08 only). Every random stream is seeded: two runs give identical files.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { bundledPath } from "../src/market/bundled.js";
import { type CandleSeries, readCandleFile } from "../src/market/candles.js";
import {
  closedFormModel,
  monteCarloModel,
  type ProbabilityModel,
} from "../src/optimize/trader-probability.js";
import { arjiModelSpec, jumpModelSpec, standardized } from "../src/optimize/vol-models.js";
import { lineChart } from "../src/report/index.js";
import { paletteColor } from "../src/report/svg.js";
import { filteredResiduals, type ModelSpec } from "../src/sim/models.js";
import { type ArjiFit, arjiFilter, fitArji } from "../src/vol/arji.js";
import { fit } from "../src/vol/garch.js";
import { fitJumpDiffusion, type JumpFit } from "../src/vol/jumps.js";
import { logReturns } from "../src/vol/realized.js";
import { writeResults } from "./doc-results.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SEED = 20_261_207;
const HORIZON_HOURS = 24;
const FIT_BARS = 1000;
const PATHS = 1000;
const MMR = 0.004;
const LEVERAGES = [5, 10, 20] as const;
const SIDES = ["long", "short"] as const;
const MODELS = ["gbm", "garch-t", "fhs", "merton", "kou", "arji"] as const;
type Model = (typeof MODELS)[number];
const HOUR = 3_600_000;

interface Window {
  readonly label: string;
  readonly regime: "calm" | "crash";
  readonly fromMs: number;
  readonly toMs: number;
  readonly data: "hourly" | "5m";
}
const d = (s: string) => Date.parse(`${s}T00:00:00Z`);
/** Crash windows: 5 days either side of the crash day (LUNA, FTX: the week of the collapse ± 3 days); calm: 10 quiet days. */
const WINDOWS: readonly Window[] = [
  { label: "2020-03-12", regime: "crash", fromMs: d("2020-03-07"), toMs: d("2020-03-17"), data: "hourly" },
  { label: "2021-05-19", regime: "crash", fromMs: d("2021-05-14"), toMs: d("2021-05-24"), data: "hourly" },
  {
    label: "2022-05 (LUNA)",
    regime: "crash",
    fromMs: d("2022-05-05"),
    toMs: d("2022-05-15"),
    data: "hourly",
  },
  { label: "2022-11 (FTX)", regime: "crash", fromMs: d("2022-11-04"), toMs: d("2022-11-14"), data: "hourly" },
  { label: "2025-10-10", regime: "crash", fromMs: d("2025-10-09"), toMs: d("2025-10-12"), data: "5m" },
  { label: "calm 2020-07", regime: "calm", fromMs: d("2020-07-06"), toMs: d("2020-07-16"), data: "hourly" },
  { label: "calm 2023-07", regime: "calm", fromMs: d("2023-07-03"), toMs: d("2023-07-13"), data: "hourly" },
  { label: "calm 2023-09", regime: "calm", fromMs: d("2023-09-04"), toMs: d("2023-09-14"), data: "hourly" },
];

/** The 5-minute mark-price klines of 2025-10-08 … 12 (no volume column, so read here). */
function markPrice5m(): CandleSeries {
  const rows = parse(readFileSync(`${ROOT}data/crashes/2025-10-10_binance-usdm_btcusdt_markprice_5m.csv`), {
    columns: true,
  }) as Record<string, string>[];
  const col = (k: string) => Float64Array.from(rows, (r) => Number(r[k]));
  return {
    symbol: "BTCUSDT",
    intervalMs: 5 * 60_000,
    time: col("open_time_ms"),
    open: col("open"),
    high: col("high"),
    low: col("low"),
    close: col("close"),
    volume: new Float64Array(rows.length),
  };
}

const hourly = readCandleFile(bundledPath("ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"), {
  symbol: "BTCUSDT",
}).series;
const fiveMinute = markPrice5m();

/** Predictions and outcomes of one (window, model). */
interface Tally {
  expected: number;
  realized: number;
  count: number;
}
const key = (w: string, m: string, side: string, lev: number) => `${w}|${m}|${side}|${lev}`;
const tallies = new Map<string, Tally>();
/** (predicted, realized) pairs per regime and model, for the reliability diagram. */
const pairs = new Map<string, { p: number[]; y: number[] }>();
/** Simulated and observed bar ranges ln(high/low) per window and model (the range check). */
const ranges = new Map<string, number[]>();

function add(w: Window, m: Model, side: string, lev: number, p: number, hit: boolean): void {
  const k = key(w.label, m, side, lev);
  const t = tallies.get(k) ?? { expected: 0, realized: 0, count: 0 };
  t.expected += p;
  t.realized += hit ? 1 : 0;
  t.count += 1;
  tallies.set(k, t);
  const pk = `${w.regime}|${m}`;
  const pr = pairs.get(pk) ?? { p: [], y: [] };
  pr.p.push(p);
  pr.y.push(hit ? 1 : 0);
  pairs.set(pk, pr);
}

function keepRanges(w: Window, m: string, model: ProbabilityModel): void {
  if (!("bank" in model)) return;
  const bank = (model as ReturnType<typeof monteCarloModel>).bank;
  const list = ranges.get(`${w.label}|${m}`) ?? [];
  // The first 50 paths of every bank: enough for the quantiles, bounded memory.
  for (let i = 0; i < Math.min(50, bank.paths) * bank.bars; i++)
    list.push((bank.high[i] as number) - (bank.low[i] as number));
  ranges.set(`${w.label}|${m}`, list);
}

const started = Date.now();
let stream = 0;
/** ARJI's banks draw from streams of their own, so the other models' banks are those of the report without it. */
let arjiStream = 1_000_000;
for (const w of WINDOWS) {
  const s = w.data === "hourly" ? hourly : fiveMinute;
  const barHours = s.intervalMs / HOUR;
  const horizonBars = Math.round(HORIZON_HOURS / barHours);
  const perHour = Math.round(1 / barHours);
  const mc = (model: ModelSpec) =>
    monteCarloModel({ model, barHours, horizonHours: HORIZON_HOURS, paths: PATHS, seed: SEED + stream++ });
  let daily: {
    garch: ReturnType<typeof fit>;
    residuals: Float64Array;
    merton: ProbabilityModel;
    kou: ProbabilityModel;
    arji: ArjiFit;
  } | null = null;
  let warm: { merton?: JumpFit; kou?: JumpFit; arji?: ArjiFit } = {};
  let openings = 0;
  const observed: number[] = [];
  for (let t = 1; t < s.close.length; t++) {
    const time = s.time[t] as number;
    if (time < w.fromMs || time >= w.toMs || (time - w.fromMs) % HOUR !== 0) continue;
    if (t + horizonBars > s.close.length) break;
    const from = Math.max(0, t - FIT_BARS - 1);
    if (t - from < 200) continue;
    const r = logReturns(s.close.subarray(from, t));
    const pct = Float64Array.from(r, (x) => 100 * x);
    if (openings % 24 === 0 || daily === null) {
      const garch = fit(pct, { model: "garch", dist: "t" });
      const merton = fitJumpDiffusion("merton", r, warm.merton === undefined ? {} : { start: warm.merton });
      const kou = fitJumpDiffusion("kou", r, warm.kou === undefined ? {} : { start: warm.kou });
      const arji = fitArji(r, warm.arji === undefined ? {} : { start: warm.arji.params });
      warm = { merton, kou, arji };
      daily = {
        arji,
        garch,
        residuals: standardized(filteredResiduals(pct, garch.params).residuals),
        merton: mc(jumpModelSpec(merton, barHours / 8760)),
        kou: mc(jumpModelSpec(kou, barHours / 8760)),
      };
      keepRanges(w, "merton", daily.merton);
      keepRanges(w, "kou", daily.kou);
    }
    openings += 1;
    let mean = 0;
    for (const x of r) mean += x / r.length;
    let ss = 0;
    for (const x of r) ss += (x - mean) ** 2;
    const sigma = Math.sqrt((ss / (r.length - 1)) * (8760 / barHours));
    const g = daily.garch;
    const volatility = {
      kind: "garch",
      params: { ...g.params, mu: 0 },
      startVariance: filteredResiduals(pct, g.params).nextVariance,
      returnsScale: 100,
    } as const;
    const models: Record<Model, ProbabilityModel> = {
      gbm: closedFormModel(sigma, HORIZON_HOURS),
      "garch-t": mc({ volatility, innovations: { kind: "student-t", nu: g.params.nu ?? 5 } }),
      fhs: mc({
        volatility,
        innovations: {
          kind: "bootstrap",
          samples: daily.residuals,
          blockLength: Math.min(perHour * 24, Math.floor(daily.residuals.length / 4)),
        },
      }),
      merton: daily.merton,
      kou: daily.kou,
      // The day's parameters, the intensity filtered up to the opening.
      arji: monteCarloModel({
        model: arjiModelSpec(
          daily.arji.params,
          arjiFilter(daily.arji.params, r).intensity[r.length] as number,
          barHours / 8760,
        ),
        barHours,
        horizonHours: HORIZON_HOURS,
        paths: PATHS,
        seed: SEED + arjiStream++,
      }),
    };
    if (openings % 24 === 1) {
      keepRanges(w, "garch-t", models["garch-t"]);
      keepRanges(w, "fhs", models.fhs);
      keepRanges(w, "arji", models.arji);
    }
    const spot = s.close[t - 1] as number;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let k = t; k < t + horizonBars; k++) {
      low = Math.min(low, s.low[k] as number);
      high = Math.max(high, s.high[k] as number);
    }
    for (let k = t; k < t + perHour; k++)
      observed.push(Math.log((s.high[k] as number) / (s.low[k] as number)));
    for (const lev of LEVERAGES) {
      const longH = (spot * (1 - 1 / lev)) / (1 - MMR);
      const shortH = (spot * (1 + 1 / lev)) / (1 + MMR);
      for (const m of MODELS) {
        add(w, m, "long", lev, models[m].touch("long", Math.log(spot / longH), 0).probability, low <= longH);
        add(
          w,
          m,
          "short",
          lev,
          models[m].touch("short", Math.log(shortH / spot), 0).probability,
          high >= shortH,
        );
      }
    }
  }
  ranges.set(`${w.label}|observed`, observed);
  process.stderr.write(`${w.label}: ${openings} openings, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

// ---- tables ----
const fmt = (x: number, digits = 1) => x.toFixed(digits);
const sum = (w: string, m: string, filter: (side: string, lev: number) => boolean) => {
  const out = { expected: 0, realized: 0, count: 0 };
  for (const side of SIDES)
    for (const lev of LEVERAGES) {
      if (!filter(side, lev)) continue;
      const t = tallies.get(key(w, m, side, lev));
      if (t === undefined) continue;
      out.expected += t.expected;
      out.realized += t.realized;
      out.count += t.count;
    }
  return out;
};
const lines: string[] = [];
lines.push(
  `Generated by \`npm run report:calibration\` (scripts/calibration-report.ts, seed ${SEED}, ${PATHS} paths per bank, fit on the ${FIT_BARS} bars before each opening, refitted daily).`,
  "",
  "**Expected (Σ predicted P) / realized liquidations within 24 h**, per window and model, by position:",
  "",
);
for (const side of SIDES)
  for (const lev of LEVERAGES) {
    lines.push(
      `*${side} ${lev}×*`,
      "",
      `| window | openings | ${MODELS.join(" | ")} |`,
      `|---|---:|${MODELS.map(() => "---:").join("|")}|`,
    );
    for (const w of WINDOWS) {
      const cells = MODELS.map((m) => {
        const t = sum(w.label, m, (s2, l2) => s2 === side && l2 === lev);
        return `${fmt(t.expected)} / ${t.realized}`;
      });
      lines.push(
        `| ${w.label} | ${sum(w.label, "gbm", (s2, l2) => s2 === side && l2 === lev).count} | ${cells.join(" | ")} |`,
      );
    }
    lines.push("");
  }
lines.push(
  "**All six positions together** (expected / realized):",
  "",
  `| window | regime | positions | ${MODELS.join(" | ")} |`,
  `|---|---|---:|${MODELS.map(() => "---:").join("|")}|`,
);
for (const w of WINDOWS) {
  const all = (m: string) => sum(w.label, m, () => true);
  lines.push(
    `| ${w.label} | ${w.regime} | ${all("gbm").count} | ${MODELS.map((m) => `${fmt(all(m).expected)} / ${all(m).realized}`).join(" | ")} |`,
  );
}
lines.push("");

// Reliability buckets.
const EDGES = [0, 0.001, 0.01, 0.03, 0.1, 0.3, 1.000001];
const reliability = (regime: string, m: string) => {
  const pr = pairs.get(`${regime}|${m}`) ?? { p: [], y: [] };
  return EDGES.slice(0, -1).map((lo, i) => {
    const hi = EDGES[i + 1] as number;
    let n = 0;
    let ps = 0;
    let ys = 0;
    pr.p.forEach((p, j) => {
      if (p >= lo && p < hi) {
        n += 1;
        ps += p;
        ys += pr.y[j] as number;
      }
    });
    return { lo, hi, n, predicted: n > 0 ? ps / n : Number.NaN, realized: n > 0 ? ys / n : Number.NaN };
  });
};
for (const regime of ["calm", "crash"] as const) {
  lines.push(
    `**Reliability, ${regime} windows** (bucket of predicted P: positions, mean predicted → realized frequency):`,
    "",
    `| bucket | ${MODELS.join(" | ")} |`,
    `|---|${MODELS.map(() => "---").join("|")}|`,
  );
  for (let i = 0; i < EDGES.length - 1; i++) {
    const label = `[${EDGES[i]}, ${Math.min(1, EDGES[i + 1] as number)})`;
    const cells = MODELS.map((m) => {
      const b = reliability(regime, m)[i] as ReturnType<typeof reliability>[number];
      return b.n === 0
        ? "—"
        : `${b.n}: ${(100 * b.predicted).toFixed(2)} % → ${(100 * b.realized).toFixed(2)} %`;
    });
    lines.push(`| ${label} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  const chartModels = MODELS.map((m, i) => ({
    m,
    color: paletteColor(i),
    b: reliability(regime, m).filter((x) => x.n >= 10),
  })).filter((c) => c.b.length > 0);
  writeFileSync(
    `${ROOT}docs/figures/jump-reliability-${regime}.svg`,
    lineChart({
      title: `Reliability of P(liquidation within 24 h), ${regime} windows (buckets with ≥ 10 positions)`,
      series: [
        { name: "perfect calibration", x: [0, 1], y: [0, 1], dashed: true, color: "#999999" },
        ...chartModels.map(({ m, color, b }) => ({
          name: m,
          color,
          x: b.map((x) => x.predicted),
          y: b.map((x) => x.realized),
        })),
      ],
      markers: chartModels.map(({ m, color, b }) => ({
        name: `${m} buckets`,
        color,
        points: b.map((x) => ({ x: x.predicted, y: x.realized })),
        shape: "circle" as const,
      })),
      x: { title: "mean predicted P(liquidation) in the bucket", scale: "linear", min: 0, max: 1 },
      y: { title: "realized frequency", min: 0, max: 1 },
    }),
  );
}

// Range check: simulated vs observed ln(high/low) of one bar.
const quantile = (xs: number[], q: number) => {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
lines.push(
  "**Range check**: one bar's ln(high/low) in percent, observed in the window against the models' simulated bars (Brownian-bridge extremes around the simulated closes), quantiles 50 / 90 / 99 %:",
  "",
  "| window | observed | garch-t | fhs | merton | kou | arji |",
  "|---|---|---|---|---|---|---|",
);
for (const w of WINDOWS) {
  const q = (name: string) => {
    const xs = ranges.get(`${w.label}|${name}`) ?? [];
    return xs.length === 0
      ? "—"
      : [0.5, 0.9, 0.99].map((p) => (100 * quantile(xs, p)).toFixed(2)).join(" / ");
  };
  lines.push(
    `| ${w.label} | ${q("observed")} | ${q("garch-t")} | ${q("fhs")} | ${q("merton")} | ${q("kou")} | ${q("arji")} |`,
  );
}
lines.push("");

const doc = `${ROOT}docs/jump-calibration.md`;
writeResults(doc, lines);
process.stderr.write(`wrote ${doc} and docs/figures/jump-reliability-{calm,crash}.svg\n`);

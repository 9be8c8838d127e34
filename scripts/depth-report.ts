/**
 * Reproduces the numbers of docs/depth-calibration.md (between its `results` markers) and its
 * figures docs/figures/depth-*.svg:
 *
 *   npm run report:depth
 *
 * How the BTCUSDT book thinned and recovered on 2025-10-10, from the bundled Binance bookDepth file
 * and 1-minute klines (data/crashes/): the depth scale within ±1 % (src/risk/depth-scale.ts, with
 * the stale-bid artefact re-based), the thinning/recovery fit (src/risk/depth-dynamics.ts), the
 * square-root law's c = Yσ_D/√V_D from the bands' book walks, and the impact of a 100 M USD
 * liquidation order at 10:00 and 21:20. Deterministic: two runs write identical files.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type BookDepthSnapshots, readBookDepthFile } from "../src/market/book-depth.js";
import { quantileSorted } from "../src/market/book-walk.js";
import { bundledPath } from "../src/market/bundled.js";
import { readCandleFile } from "../src/market/candles.js";
import { lineChart } from "../src/report/index.js";
import {
  depthScaleForPath,
  fitDepthDynamics,
  measuredDepthScale,
  minuteDepth,
} from "../src/risk/depth-dynamics.js";
import { crashDayDepth } from "../src/risk/depth-replay.js";
import { depthScaleSeries, sqrtImpactScale } from "../src/risk/depth-scale.js";
import { writeResults } from "./doc-results.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DAY = Date.UTC(2025, 9, 10);
const H = 3_600_000;
const NOON = DAY + 12 * H;
const MIDNIGHT = DAY + 24 * H;
const ORDER_USD = 100e6;

const loaded = readBookDepthFile(bundledPath("crashes/2025-10-10_binance-usdm_btcusdt_bookdepth.csv"));
const s = loaded.snapshots;
const klines = readCandleFile(bundledPath("crashes/2025-10-10_binance-usdm_btcusdt_1m.csv"), {
  symbol: "BTCUSDT",
}).series;
const { depth: depth1, minutes, fit } = crashDayDepth();
const depth5 = depthScaleSeries(s, klines, { distance: 0.05 });
const sqrt = sqrtImpactScale(s, klines);

const sorted = (xs: number[]) => Float64Array.from(xs.filter(Number.isFinite)).sort();
const median = (xs: number[]) => quantileSorted(sorted(xs), 0.5);
const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;
const musd = (x: number) => (Number.isFinite(x) ? `${(x / 1e6).toFixed(0)} M` : "—");
const cell = (c: number) => (Number.isFinite(c) ? (c * 1e7).toFixed(2) : "—");
const indexAt = (ms: number) => s.time.findIndex((t) => t >= ms);
const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** Reference implied by the ask bands 2…5: each band's average price over (1 + (b − ½)/100), the median. */
function impliedReference(snapshots: BookDepthSnapshots, i: number): number {
  const refs: number[] = [];
  for (let k = 1; k < snapshots.bands.length; k++) {
    const dn = (snapshots.askNotional[k]?.[i] as number) - (snapshots.askNotional[k - 1]?.[i] as number);
    const dd = (snapshots.askDepth[k]?.[i] as number) - (snapshots.askDepth[k - 1]?.[i] as number);
    if (dd > 0) refs.push(dn / dd / (1 + ((snapshots.bands[k] as number) - 0.5) / 100));
  }
  return median(refs);
}

// The artefact: does (stale bid + market)/2 explain the crossed snapshots' reference?
const crossedRatio: number[] = [];
const uncrossedRatio: number[] = [];
const referenceOffset: number[] = [];
for (let i = 0; i < s.time.length; i++) {
  const m = depth1.snapshots.price[i] as number;
  if (!Number.isFinite(m)) continue;
  const implied = impliedReference(s, i);
  if (depth1.snapshots.rebased[i] === 1) {
    const stale = (s.bidNotional[0]?.[i] as number) / (s.bidDepth[0]?.[i] as number);
    crossedRatio.push(implied / ((stale + m) / 2) - 1);
    referenceOffset.push((stale + m) / 2 / m - 1);
  } else uncrossedRatio.push(implied / m - 1);
}
const q = (xs: number[], p: number) => quantileSorted(sorted(xs), p);
const firstCrossed = depth1.snapshots.rebased.indexOf(1);
const firstReplaced = depth1.snapshots.bidReplaced.indexOf(1);

/** How far above the market the last ask band reaches: 5 %, or re-based from (stale bid + m)/2. */
function askReach(i: number): number {
  const last = (s.bands[s.bands.length - 1] as number) / 100;
  if (depth1.snapshots.rebased[i] !== 1) return last;
  const m = depth1.snapshots.price[i] as number;
  const stale = (s.bidNotional[0]?.[i] as number) / (s.bidDepth[0]?.[i] as number);
  return (((stale + m) / 2) * (1 + last)) / m - 1;
}

// Calm c (12:00–15:00, both sides) and the impact of a 100 M order.
const calmIdx = [...s.time.keys()].filter(
  (i) => (s.time[i] as number) >= NOON && (s.time[i] as number) < NOON + 3 * H,
);
const cCalm = median(calmIdx.flatMap((i) => [sqrt.bid[i] as number, sqrt.ask[i] as number]));
const scaleCalm = median(calmIdx.map((i) => depth1.snapshots.scale[i] as number));
const impactAt = (ms: number) => {
  const i = indexAt(ms);
  const scale = depth1.snapshots.scale[i] as number;
  return {
    i,
    time: hhmmss(s.time[i] as number),
    scale,
    law: cCalm * Math.sqrt((scaleCalm / scale) * ORDER_USD),
    walkAsk: (sqrt.ask[i] as number) * Math.sqrt(ORDER_USD),
    askWithin5: depth5.snapshots.askWithin[i] as number,
    askAll: s.askNotional[s.bands.length - 1]?.[i] as number,
    askReach: askReach(i),
  };
};
const calmOrder = impactAt(DAY + 10 * H);
const crashOrder = impactAt(DAY + 21 * H + 20 * 60_000);

// Free run of the model over the afternoon's closes from the first measured minute.
const replay = measuredDepthScale(minutes);
const modelRun = depthScaleForPath(fit, minutes.close, 1, replay[0] as number);
const oneStep = new Float64Array(minutes.time.length).fill(Number.NaN);
for (let t = 1; t < minutes.time.length; t++)
  oneStep[t] = Math.exp(
    fit.alpha +
      fit.phi * (minutes.logScale[t - 1] as number) +
      fit.gamma * (minutes.absReturnPrev[t] as number),
  );
const trough = minutes.logScale.reduce(
  (best, l, t) => (l < (minutes.logScale[best] as number) ? t : best),
  0,
);
const troughScale = Math.exp(minutes.logScale[trough] as number);
const afterCrash = (hours: number) => {
  const t = minutes.time.findIndex((x) => x >= (minutes.time[trough] as number) + hours * H);
  return t < 0 ? Number.NaN : (replay[t] as number);
};

const windows: readonly (readonly [string, number, number])[] = [
  ["12:00 → 24:00 (the fit above)", NOON, MIDNIGHT],
  ["12:00 → 21:00 (before the crash)", NOON, DAY + 21 * H],
  ["21:30 → 24:00 (after the crash)", DAY + 21.5 * H, MIDNIGHT],
];

const lines: string[] = [
  "",
  "_Generated by `npm run report:depth` (scripts/depth-report.ts); do not edit by hand._",
  "",
  "**The file** (src/market/book-depth.ts): " +
    `${loaded.report.rows} rows, ${s.time.length} snapshots (${hhmmss(s.time[0] as number)} → ${hhmmss(s.time[s.time.length - 1] as number)} UTC, median step ${loaded.report.intervalMs / 1000} s), ` +
    `${loaded.report.anomalies.filter((a) => a.kind === "crossed-bands").length} crossed snapshots from ${hhmmss(s.time[firstCrossed] as number)}, ` +
    `${loaded.report.anomalies.filter((a) => a.kind === "not-cumulative").length} non-cumulative, ${loaded.report.anomalies.filter((a) => a.kind === "gap").length} gaps.`,
  "",
  "**The artefact's reference price**: the ask bands' average prices imply the price the bands are measured from " +
    "(band b's average ≈ ref·(1 + (b − ½) %), median over bands 2…5). Against the market price m from the 1-minute klines:",
  "",
  "| snapshots | compared with | n | median | 5th pct | 95th pct |",
  "|---|---|---|---|---|---|",
  `| crossed (stale bid on top) | (stale bid + m)/2 | ${crossedRatio.length} | ${pct(q(crossedRatio, 0.5), 3)} | ${pct(q(crossedRatio, 0.05), 3)} | ${pct(q(crossedRatio, 0.95), 3)} |`,
  `| not crossed (12:00 → 15:30) | m | ${uncrossedRatio.length} | ${pct(q(uncrossedRatio, 0.5), 3)} | ${pct(q(uncrossedRatio, 0.05), 3)} | ${pct(q(uncrossedRatio, 0.95), 3)} |`,
  "",
  `In the crossed snapshots the reference (stale bid + m)/2 lies ${pct(q(referenceOffset, 0.5), 2)} above the market at the median (${pct(q(referenceOffset, 0.05), 2)} … ${pct(q(referenceOffset, 0.95), 2)}, 5th–95th percentile, max ${pct(q(referenceOffset, 1), 2)}).`,
  "",
  `So the crossed snapshots' bands start at the midpoint of the stale bid and the market, not at the market. ${depth1.counts.rebased} snapshots were re-based; ` +
    `${depth1.counts.bidAboveMarket} uncrossed snapshots (15:24 → 16:41) have their bid band 1 averaging above the market (a stale bid that does not reach the ask average) and ` +
    `${depth1.counts.bidReplaced - depth1.counts.bidAboveMarket} re-based ones have no band edge 1 % or more below the market: these ${depth1.counts.bidReplaced} (the first at ${hhmmss(s.time[firstReplaced] as number)}) take the ask side's scale; ${depth1.counts.unscaled} have no scale.`,
  "",
  `**Baseline** (median of 00:00 → 12:00): bids ${musd(depth1.baselineBid)} USD and asks ${musd(depth1.baselineAsk)} USD within 1 %; ` +
    `${musd(depth5.baselineBid)} and ${musd(depth5.baselineAsk)} USD within 5 %. Calm shape N(d) ∝ d^β with β = ${depth1.calmShapeExponent.toFixed(3)}.`,
  "",
  "**Depth scale within ±1 %** at chosen times (snapshot at or after the time):",
  "",
  "| UTC | price | bid within 1 % | ask within 1 % | scale | c bid, c ask (10⁻⁷/√USD) | flags |",
  "|---|---|---|---|---|---|---|",
  ...["10:00", "15:00", "18:00", "20:00", "21:00", "21:15", "21:20", "21:30", "22:00", "23:00", "23:59"].map(
    (hm) => {
      const [h, m] = hm.split(":").map(Number) as [number, number];
      const i = indexAt(DAY + h * H + m * 60_000);
      const sn = depth1.snapshots;
      const flags = [
        sn.rebased[i] === 1 ? "re-based" : "",
        sn.bidReplaced[i] === 1 ? "bid unobserved" : "",
      ].filter((f) => f !== "");
      const price = sn.price[i] as number;
      return `| ${hhmmss(s.time[i] as number)} | ${Number.isFinite(price) ? price.toFixed(0) : "—"} | ${musd(sn.bidWithin[i] as number)} | ${musd(sn.askWithin[i] as number)} | ${(sn.scale[i] as number).toFixed(3)} | ${cell(sqrt.bid[i] as number)}, ${cell(sqrt.ask[i] as number)} | ${flags.join(", ") || "—"} |`;
    },
  ),
  "",
  "**Thinning/recovery fit** (OLS over 12:00 → 24:00, minutes with snapshots and returns): ln D_t = α + φ ln D_{t−1} + γ |r_{t−1}|",
  "",
  "| quantity | estimate | standard error |",
  "|---|---|---|",
  `| α | ${fit.alpha.toFixed(5)} | ${fit.se.alpha.toFixed(5)} |`,
  `| φ (persistence per minute) | ${fit.phi.toFixed(4)} | ${fit.se.phi.toFixed(4)} |`,
  `| γ (ln depth per unit \\|r\\|) | ${fit.gamma.toFixed(2)} | ${fit.se.gamma.toFixed(2)} |`,
  `| thinning the minute after a 1 % move, 1 − e^{0.01γ} | ${pct(fit.thinningPerPercent)} | — |`,
  `| recovery half-life ln ½ / ln φ | ${fit.halfLifeMinutes.toFixed(1)} min | ${fit.halfLifeSe.toFixed(1)} min (delta method) |`,
  `| equilibrium scale e^{α/(1−φ)} | ${fit.equilibriumScale.toFixed(3)} | — |`,
  `| R², residual sd, minutes | ${fit.rSquared.toFixed(4)}, ${fit.residualSd.toFixed(4)}, ${fit.n} | — |`,
  "",
  "Sensitivity to the window (same model, same data):",
  "",
  "| window (UTC) | minutes | γ | half-life (min) | equilibrium scale | R² |",
  "|---|---|---|---|---|---|",
  ...windows.map(([label, from, to]) => {
    const f = fitDepthDynamics(minuteDepth(depth1, klines, from, to));
    return `| ${label} | ${f.n} | ${f.gamma.toFixed(1)} ± ${f.se.gamma.toFixed(1)} | ${f.halfLifeMinutes.toFixed(1)} ± ${f.halfLifeSe.toFixed(1)} | ${f.equilibriumScale.toFixed(3)} | ${f.rSquared.toFixed(3)} |`;
  }),
  "",
  `Parity: scripts/reference/depth_dynamics.py (numpy lstsq) gives the same scale at every snapshot and the same coefficients, standard errors and R² to 1e-9 relative (test/risk/depth-dynamics.test.ts).`,
  "",
  `**After the crash**: the minute scale bottomed at ${troughScale.toFixed(3)} at ${hhmmss(minutes.time[trough] as number)}; one hour later it was ${afterCrash(1).toFixed(3)}, two hours later ${afterCrash(2).toFixed(3)}. ` +
    `The model run freely on the day's closes (started from the 12:00 measurement) reaches ${Math.min(...modelRun).toFixed(3)} at its lowest.`,
  "",
  `**Square-root law scale** c = Yσ_D/√V_D from the bands' book walks: calm median ${cCalm.toExponential(3)} per √USD (12:00 → 15:00, both sides, depth scale ${scaleCalm.toFixed(3)} there).`,
  "",
  `**A 100 M USD liquidation order** (market sell or buy), square-root law I = c_calm √(D_calm/D_t) √Q with the measured scale D_t:`,
  "",
  "| UTC | depth scale | impact, square-root law | ask book walk c_t √Q | asks within 5 % | whole observed ask side |",
  "|---|---|---|---|---|---|",
  ...[calmOrder, crashOrder].map(
    (o) =>
      `| ${o.time} | ${o.scale.toFixed(3)} | ${pct(o.law, 2)} | ${Number.isFinite(o.walkAsk) ? pct(o.walkAsk, 2) : "— (no kline before 12:00)"} | ${musd(o.askWithin5)} | ${musd(o.askAll)} (to +${pct(o.askReach)}) |`,
  ),
  "",
  `The same order costs ${(crashOrder.law / calmOrder.law).toFixed(1)} times as much at ${crashOrder.time} as at ${calmOrder.time} (√ of the depth ratio). ` +
    `At ${crashOrder.time} the whole observed ask side held ${musd(crashOrder.askAll)} USD out to +${pct(crashOrder.askReach)} of the market, and no real bid was observed within the bands: ` +
    "a 100 M sell walks past what the file shows, and the square-root law is an extrapolation there.",
  "",
];

writeResults(`${ROOT}docs/depth-calibration.md`, lines);

const t = s.time;
const sn1 = depth1.snapshots;
const sn5 = depth5.snapshots;
const rebasedBands = () => {
  const bands: { from: number; to: number; label?: string; color: string }[] = [];
  for (let i = 0; i < t.length; i++) {
    if (sn1.bidReplaced[i] !== 1) continue;
    const last = bands[bands.length - 1];
    if (last !== undefined && (t[i - 1] as number) === last.to) last.to = t[i] as number;
    else bands.push({ from: t[i] as number, to: t[i] as number, color: "#cc79a7" });
  }
  if (bands[0] !== undefined) bands[0].label = "bid unobserved within 1 %";
  return bands;
};
const million = (x: Float64Array) => Array.from(x, (v) => v / 1e6);
writeFileSync(
  `${ROOT}docs/figures/depth-within-1-5pct.svg`,
  lineChart({
    title: "BTCUSDT perp: notional within 1 % and 5 % of the market, 2025-10-10",
    series: [
      { name: "bids within 1 %", x: t, y: million(sn1.bidWithin), color: "#009E73" },
      { name: "asks within 1 %", x: t, y: million(sn1.askWithin), color: "#D55E00" },
      { name: "bids within 5 %", x: t, y: million(sn5.bidWithin), color: "#009E73", dashed: true },
      { name: "asks within 5 %", x: t, y: million(sn5.askWithin), color: "#D55E00", dashed: true },
    ],
    bands: rebasedBands(),
    x: { title: "UTC", scale: "time" },
    y: { title: "notional (M USDT)", scale: "log" },
  }),
);
writeFileSync(
  `${ROOT}docs/figures/depth-price.svg`,
  lineChart({
    title: "BTCUSDT perp 1-minute close, 2025-10-10 12:00 → 24:00",
    series: [
      { name: "close (thousand USDT)", x: minutes.time, y: Array.from(minutes.close, (c) => c / 1000) },
    ],
    height: 260,
    x: { title: "UTC", scale: "time" },
    y: { title: "price (thousand USDT)" },
  }),
);
writeFileSync(
  `${ROOT}docs/figures/depth-fit.svg`,
  lineChart({
    title: "Depth scale within ±1 %: observed, one-step fit, model run on the closes",
    series: [
      {
        name: "observed (minute mean)",
        x: minutes.time,
        y: Array.from(minutes.logScale, Math.exp),
        color: "#333333",
      },
      { name: "one-step fit", x: minutes.time, y: oneStep, color: "#0072B2" },
      { name: "model run on the day's closes", x: minutes.time, y: modelRun, color: "#D55E00", dashed: true },
    ],
    referenceLines: [{ y: 1, label: "calm baseline" }],
    x: { title: "UTC", scale: "time" },
    y: { title: "depth scale (1 = 00:00–12:00 median)", min: 0 },
  }),
);
const zoom = (x: ArrayLike<number>) =>
  Array.from(x).slice(minutes.time.findIndex((m) => m >= DAY + 20.5 * H));
writeFileSync(
  `${ROOT}docs/figures/depth-recovery.svg`,
  lineChart({
    title: "Thinning and recovery around the 21:15 crash (depth scale within ±1 %)",
    series: [
      {
        name: "observed (minute mean)",
        x: zoom(minutes.time),
        y: zoom(Array.from(minutes.logScale, Math.exp)),
        color: "#333333",
      },
      {
        name: "model run on the day's closes",
        x: zoom(minutes.time),
        y: zoom(modelRun),
        color: "#D55E00",
        dashed: true,
      },
      {
        name: "equilibrium of the fit",
        x: zoom(minutes.time),
        y: zoom(new Float64Array(minutes.time.length).fill(fit.equilibriumScale)),
        color: "#999999",
        dashed: true,
      },
    ],
    x: { title: "UTC", scale: "time" },
    y: { title: "depth scale", min: 0 },
  }),
);
const impliedScale = (c: Float64Array) => Array.from(c, (v) => (cCalm / v) ** 2);
const afternoon = (x: ArrayLike<number>) => Array.from(x).slice(indexAt(NOON));
writeFileSync(
  `${ROOT}docs/figures/depth-sqrt-scale.svg`,
  lineChart({
    title: "V_D scale from the book walks, (c_calm / c)², and the depth scale",
    series: [
      { name: "ask book walk", x: afternoon(t), y: afternoon(impliedScale(sqrt.ask)), color: "#D55E00" },
      {
        name: "bid book walk (uncrossed snapshots only)",
        x: afternoon(t),
        y: afternoon(impliedScale(sqrt.bid).map((v, i) => (sn1.rebased[i] === 1 ? Number.NaN : v))),
        color: "#009E73",
      },
      {
        name: "depth scale within ±1 %",
        x: afternoon(t),
        y: afternoon(sn1.scale),
        color: "#333333",
        dashed: true,
      },
    ],
    x: { title: "UTC", scale: "time" },
    y: { title: "scale (1 = calm)", scale: "log" },
  }),
);
process.stderr.write("wrote docs/depth-calibration.md and docs/figures/depth-*.svg\n");

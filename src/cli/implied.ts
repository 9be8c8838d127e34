/**
 * `liqopt implied`: the implied-volatility surface of an option-chain snapshot — an SVI fit per
 * expiry (error, at-the-money level, butterfly and calendar checks), the VIX-style 30-day index,
 * and the last DVOL close when a DVOL file is given; the chart draws every smile with its fit.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { bundledDataset, bundledPath, resolveDataArgument } from "../market/bundled.js";
import { readDeribitChainFile, readDvolFile } from "../market/options.js";
import { scatterChart, writeChart } from "../report/index.js";
import {
  type ChainSlice,
  fitSvi,
  type SviFit,
  smileSlicesFromChain,
  sviButterflyCheck,
  sviCalendarCheck,
  sviTotalVariance,
} from "../vol/svi.js";
import { type ChainVixIndex, vixIndexFromChain } from "../vol/vix-index.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";
import { bundledNames, readChoiceOption } from "./market-options.js";

/** One expiry's line. */
export interface ExpiryLine {
  expiry: string;
  years: number;
  forwardUsd: number;
  points: number;
  fit: SviFit;
  /** √(w(0)/T): the fitted at-the-money-forward volatility. */
  atmVol: number;
  /** Butterfly check over the quoted log-moneyness range. */
  butterflyFree: boolean;
  minDensity: number;
  /** Calendar check against the previous expiry over the strikes both quote (null for the first). */
  calendarFree: boolean | null;
}

/** What `liqopt implied --json` prints. */
export interface ImpliedReport {
  source: string;
  underlying: string;
  snapshot: string;
  expiries: ExpiryLine[];
  index: {
    annualVol: number;
    nearExpiry: string;
    nextExpiry: string;
    nearVol: number;
    nextVol: number;
  } | null;
  indexError: string | null;
  /** ATM vol interpolated in total variance to 30 days from the SVI fits. */
  atm30d: number | null;
  dvol: { date: string; annualVol: number; daysBeforeSnapshot: number } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY_MS = 86_400_000;

/** Fits and checks every expiry of a chain, the index, and the last DVOL at or before the snapshot. */
export function impliedReport(
  chainPath: string,
  weighting: "vega" | "bid-ask" | "uniform",
  dvolPath: string | null,
): { report: ImpliedReport; slices: ChainSlice[]; fits: SviFit[] } {
  const { chain } = readDeribitChainFile(chainPath);
  const slices = smileSlicesFromChain(chain, weighting).filter((s) => s.logMoneyness.length >= 5);
  if (slices.length === 0)
    throw new InputError(
      "--chain",
      chainPath,
      "has no expiry with 5 or more usable quotes",
      "Pass a fuller chain.",
    );
  const fits = slices.map((s) => fitSvi(s));
  const expiries = slices.map((s, i) => {
    const fit = fits[i] as SviFit;
    const k = s.logMoneyness;
    const kMin = Math.min(...k);
    const kMax = Math.max(...k);
    const butterfly = sviButterflyCheck(fit.params, { kMin, kMax, points: 401 });
    let calendarFree: boolean | null = null;
    if (i > 0) {
      const prev = slices[i - 1] as ChainSlice;
      const lo = Math.max(kMin, Math.min(...prev.logMoneyness));
      const hi = Math.min(kMax, Math.max(...prev.logMoneyness));
      if (lo < hi)
        calendarFree = sviCalendarCheck((fits[i - 1] as SviFit).params, fit.params, {
          kMin: lo,
          kMax: hi,
          points: 401,
        }).arbitrageFree;
    }
    return {
      expiry: iso(s.expiryMs),
      years: s.years,
      forwardUsd: s.forwardUsd,
      points: k.length,
      fit,
      atmVol: Math.sqrt(sviTotalVariance(fit.params, 0) / s.years),
      butterflyFree: butterfly.arbitrageFree,
      minDensity: butterfly.minDensity,
      calendarFree,
    };
  });
  let index: ImpliedReport["index"] = null;
  let indexError: string | null = null;
  try {
    const v: ChainVixIndex = vixIndexFromChain(chain);
    index = {
      annualVol: v.annualVol,
      nearExpiry: iso(v.near.expiryMs),
      nextExpiry: iso(v.next.expiryMs),
      nearVol: Math.sqrt(v.near.variance),
      nextVol: Math.sqrt(v.next.variance),
    };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    indexError = err.message;
  }
  const target = 30 / 365;
  const after = expiries.findIndex((e) => e.years >= target);
  let atm30d: number | null = null;
  if (after > 0) {
    const a = expiries[after - 1] as ExpiryLine;
    const b = expiries[after] as ExpiryLine;
    const wa = a.atmVol ** 2 * a.years;
    const wb = b.atmVol ** 2 * b.years;
    atm30d = Math.sqrt((wa + ((wb - wa) * (target - a.years)) / (b.years - a.years)) / target);
  }
  let dvol: ImpliedReport["dvol"] = null;
  if (dvolPath !== null) {
    const d = readDvolFile(dvolPath);
    let i = d.timeMs.length - 1;
    while (i >= 0 && (d.timeMs[i] as number) > chain.snapshotMs) i--;
    if (i >= 0)
      dvol = {
        date: iso(d.timeMs[i] as number).slice(0, 10),
        annualVol: d.annualVol[i] as number,
        daysBeforeSnapshot: Math.floor((chain.snapshotMs - (d.timeMs[i] as number)) / DAY_MS),
      };
  }
  return {
    report: {
      source: chainPath,
      underlying: chain.underlying,
      snapshot: iso(chain.snapshotMs),
      expiries,
      index,
      indexError,
      atm30d,
      dvol,
    },
    slices,
    fits,
  };
}

/** Chart: market implied vols (points) and the SVI fit (curve) of each expiry against log-moneyness. */
export function impliedChart(
  r: ImpliedReport,
  slices: readonly ChainSlice[],
  fits: readonly SviFit[],
  maxExpiries: number,
): string {
  const shown = slices.slice(0, maxExpiries);
  return scatterChart({
    title: `${r.underlying} implied volatility by expiry (${r.snapshot.slice(0, 16)} UTC): market marks and SVI fits`,
    x: { title: "log-moneyness ln(K/F)" },
    y: { title: "implied volatility (fraction)" },
    series: shown.map((s) => ({
      name: iso(s.expiryMs).slice(0, 10),
      x: s.logMoneyness,
      y: s.impliedVol,
      sizePx: 3,
    })),
    curves: shown.map((s, i) => {
      const p = (fits[i] as SviFit).params;
      return {
        name: `SVI ${iso(s.expiryMs).slice(0, 10)}`,
        f: (k: number) => Math.sqrt(Math.max(sviTotalVariance(p, k), 0) / s.years),
      };
    }),
  });
}

function renderImplied(r: ImpliedReport): string {
  const lines = [
    `${r.underlying} option chain (${r.source}) at ${r.snapshot}:`,
    renderTable(
      ["Expiry", "Years", "Forward", "Points", "ATM vol", "Fit RMSE (vol pts)", "Butterfly", "Calendar"],
      r.expiries.map((e) => [
        e.expiry.slice(0, 16),
        formatNumber(e.years, 4),
        formatNumber(e.forwardUsd),
        String(e.points),
        formatPercent(e.atmVol, 1),
        formatNumber(e.fit.weightedRmseVol * 100, 2),
        e.butterflyFree ? "free" : `arbitrage (min g ${formatNumber(e.minDensity, 4)})`,
        e.calendarFree === null ? "—" : e.calendarFree ? "free" : "arbitrage",
      ]),
      { rightAlign: [1, 2, 3, 4, 5] },
    ),
    r.index === null
      ? `VIX-style 30-day index: not computed (${r.indexError ?? "no expiries around 30 days"})`
      : `VIX-style 30-day index (Cboe method): ${formatPercent(r.index.annualVol, 2)} from ${r.index.nearExpiry.slice(0, 10)} (${formatPercent(r.index.nearVol, 1)}) and ${r.index.nextExpiry.slice(0, 10)} (${formatPercent(r.index.nextVol, 1)})`,
    `ATM (SVI) at 30 days: ${r.atm30d === null ? "—" : formatPercent(r.atm30d, 2)}`,
  ];
  if (r.dvol !== null)
    lines.push(
      `Deribit DVOL close ${r.dvol.date}: ${formatPercent(r.dvol.annualVol, 2)}` +
        (r.dvol.daysBeforeSnapshot > 1
          ? ` (${r.dvol.daysBeforeSnapshot} days before the snapshot: not a same-day comparison)`
          : ""),
    );
  return lines.join("\n");
}

/** Registers `liqopt implied`. */
export function registerImplied(program: Command): void {
  program
    .command("implied")
    .description(
      "implied-volatility surface of an option chain: SVI per expiry with arbitrage checks, VIX-style index, DVOL",
    )
    .option(
      "--chain <file>",
      `Deribit chain CSV, or a bundled set: ${bundledNames("options")}`,
      "deribit-btc",
    )
    .option(
      "--dvol <file>",
      "DVOL daily closes to compare with (default: the bundled BTC DVOL for BTC chains)",
    )
    .option("--weights <kind>", "SVI fit weights: vega, bid-ask or uniform", "vega")
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write the smiles with their fits (.svg or .png)")
    .option("--chart-expiries <n>", "expiries drawn in the chart (the nearest first)", "6")
    .action((opts) => {
      const { path } = resolveDataArgument(opts.chain, "options");
      const weighting = readChoiceOption(opts.weights, "--weights", ["vega", "bid-ask", "uniform"] as const);
      const dvolName = bundledDataset("btc-dvol");
      const dvolPath =
        opts.dvol !== undefined
          ? resolveDataArgument(opts.dvol, "volatility-index").path
          : path.includes("btc") && dvolName !== undefined
            ? bundledPath(dvolName.path)
            : null;
      const { report, slices, fits } = impliedReport(path, weighting, dvolPath);
      if (opts.chart !== undefined) {
        const n = Number(opts.chartExpiries);
        if (!Number.isInteger(n) || n < 1)
          throw new InputError(
            "--chart-expiries",
            opts.chartExpiries,
            "must be a whole number ≥ 1",
            "Pass e.g. 6.",
          );
        writeChart(opts.chart, impliedChart(report, slices, fits, n));
      }
      writeOut(opts.json === true ? toJson(report) : renderImplied(report));
    });
}

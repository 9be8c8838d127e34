/**
 * `liqopt implied`: the implied-volatility surface of an option-chain snapshot — an SVI fit per
 * expiry (error, at-the-money level, butterfly and calendar checks), the VIX-style 30-day index,
 * and the last DVOL close when a DVOL file is given; the chart draws every smile with its fit.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { bundledDataset, bundledPath, resolveDataArgument } from "../market/bundled.js";
import { readDvolFile } from "../market/options.js";
import { scatterChart, writeChart } from "../report/index.js";
import { type ExpiryLine, type ImpliedReport, impliedReport, impliedSmiles } from "../vol/implied-report.js";
import { type ChainSlice, SVI_PARAMETERS, sviTotalVariance } from "../vol/svi.js";
import type { VixWing } from "../vol/vix-index.js";
import { formatNumber, formatPercent, renderTable, toJson, writeOut } from "./io.js";
import { bundledNames, loadChainOption, readChoiceOption } from "./market-options.js";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Chart: market implied vols (points) and the SVI fit (curve) of each expiry against
 * log-moneyness; `slices` are the report's smiles ({@link impliedSmiles}), aligned with its expiries.
 */
export function impliedChart(r: ImpliedReport, slices: readonly ChainSlice[], maxExpiries: number): string {
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
      const p = (r.expiries[i] as ExpiryLine).fit.params;
      return {
        name: `SVI ${iso(s.expiryMs).slice(0, 10)}`,
        f: (k: number) => Math.sqrt(Math.max(sviTotalVariance(p, k), 0) / s.years),
      };
    }),
  });
}

/** A term's strip reach: the outermost put and call in ln(K/F) and in σ√T units, "truncated" where cut short. */
function reach(w: { put: VixWing; call: VixWing }): string {
  const side = (x: VixWing) =>
    `${formatNumber(x.logMoneyness, 3)} (${formatNumber(x.sigmas, 2)}σ)${x.truncated ? " truncated" : ""}`;
  return `ln(K/F) ${side(w.put)} to ${side(w.call)}`;
}

/** The short flags of a fit for the table: its binding bounds and "≤ 5 points". */
function sviFlags(e: ExpiryLine): string {
  const label = {
    rho: `ρ ${e.fit.params.rho > 0 ? "+1" : "−1"}`,
    sigma: "σ floor",
    "sigma-upper": "σ ceiling",
    m: "m at box end",
  };
  const flags: string[] = e.fit.atBound.map((b) => label[b]);
  if (e.fit.points <= SVI_PARAMETERS) flags.push(`${e.fit.points} points`);
  return flags.join(", ");
}

function renderImplied(r: ImpliedReport): string {
  const lines = [
    `${r.underlying} option chain (${r.source}) at ${r.snapshot}:`,
    renderTable(
      [
        "Expiry",
        "Years",
        "Forward",
        "Points",
        "ATM vol",
        "Fit RMSE (vol pts)",
        "Fit",
        "Butterfly",
        "Calendar",
        "Left out",
        "In band",
      ],
      r.expiries.map((e) => [
        e.expiry.slice(0, 16),
        formatNumber(e.years, 4),
        formatNumber(e.forwardUsd),
        String(e.points),
        formatPercent(e.atmVol, 1),
        formatNumber(e.fit.weightedRmseVol * 100, 2),
        e.fit.warnings.length === 0 ? "ok" : `flagged: ${sviFlags(e)}`,
        e.butterflyFree ? "free" : `arbitrage (min g ${formatNumber(e.minDensity, 4)})`,
        e.calendarFree === null ? "—" : e.calendarFree ? "free" : "arbitrage",
        e.band === null ? "—" : `${e.band.noBid}, ${e.band.markOutsideBand}`,
        e.band === null ? "—" : `${e.band.fitInsideBand}/${e.band.twoSided}`,
      ]),
      { rightAlign: [1, 2, 3, 4, 5, 9, 10] },
    ),
    r.bandFilter
      ? "Fitted: the out-of-the-money marks inside their bid-ask band. Left out: marks without a bid, marks below the bid or above the ask. " +
        "In band: fitted points whose SVI volatility lies between the bid and ask implied volatilities."
      : "warning: the chain has no bids: every out-of-the-money mark is fitted, none checked against a bid-ask band",
    ...r.expiries.flatMap((e) => e.fit.warnings.map((w) => `warning: SVI ${e.expiry.slice(0, 10)}: ${w}`)),
    ...r.unfitted.map(
      (u) =>
        `warning: SVI ${u.expiry.slice(0, 10)}: not fitted, ${u.reason}` +
        (u.leftOut > 0 ? ` (${u.leftOut} left out: no bid, or the mark outside the bid-ask band)` : ""),
    ),
    r.index === null
      ? `VIX-style 30-day index: not computed (${r.indexError ?? "no expiries around 30 days"})`
      : `VIX-style 30-day index (Cboe method): ${formatPercent(r.index.annualVol, 2)} from ${r.index.nearExpiry.slice(0, 10)} (${formatPercent(r.index.nearVol, 1)}) and ${r.index.nextExpiry.slice(0, 10)} (${formatPercent(r.index.nextVol, 1)})`,
    ...(r.index === null
      ? []
      : [
          `  strip reach: ${r.index.nearExpiry.slice(0, 10)} ${reach(r.index.wings.near)}; ${r.index.nextExpiry.slice(0, 10)} ${reach(r.index.wings.next)}`,
          ...r.index.warnings.map((w) => `warning: VIX-style index: ${w}`),
        ]),
    `ATM (SVI) at 30 days: ${r.atm30d === null ? "—" : formatPercent(r.atm30d, 2)}` +
      (r.index?.overAtm30d == null
        ? ""
        : ` (the index is ${formatNumber(r.index.overAtm30d * 100, 2)} vol points above it)`),
  ];
  if (r.dvol !== null)
    lines.push(
      `Deribit DVOL close ${r.dvol.date}: ${formatPercent(r.dvol.annualVol, 2)}` +
        (r.dvol.daysBeforeSnapshot === 0
          ? " (the snapshot's day: 0 days old)"
          : ` (${r.dvol.daysBeforeSnapshot} day${r.dvol.daysBeforeSnapshot === 1 ? "" : "s"} before the snapshot` +
            `${r.dvol.daysBeforeSnapshot > 1 ? ": not a same-day comparison" : ""})`),
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
    .option("--as-of <time>", "snapshot time of a chain that has none (UTC, e.g. 2025-12-05T01:10Z)")
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
      const { chain } = loadChainOption(path, opts.asOf);
      const dvol = dvolPath === null ? null : readDvolFile(dvolPath);
      const report = impliedReport({ source: path, chain, dvol }, { weighting });
      if (opts.chart !== undefined) {
        const n = Number(opts.chartExpiries);
        if (!Number.isInteger(n) || n < 1)
          throw new InputError(
            "--chart-expiries",
            opts.chartExpiries,
            "must be a whole number ≥ 1",
            "Pass e.g. 6.",
          );
        writeChart(opts.chart, impliedChart(report, impliedSmiles(chain, weighting), n));
      }
      writeOut(opts.json === true ? toJson(report) : renderImplied(report));
    });
}

/**
 * `liqopt funding`: statistics and regimes of a funding-rate history, the funding a position pays
 * over a horizon, and the drag of those payments on an isolated margin (how far the liquidation
 * price moves towards the mark on funding alone).
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { resolveDataArgument } from "../market/bundled.js";
import {
  type FundingReadOptions,
  type FundingSeries,
  type LoadedFunding,
  readFundingFile,
  sliceFundingByTime,
} from "../market/funding.js";
import { lineChart, writeChart } from "../report/index.js";
import { fundingRegimes } from "../risk/funding.js";
import { type FundingPosition, type FundingReport, fundingReport } from "../risk/funding-report.js";
import { formatNumber, formatPercent, readNumberOption, renderTable, toJson, writeOut } from "./io.js";
import {
  bundledNames,
  readChoiceOption,
  readDateOption,
  readFundingReadOptions,
  readIntegerOption,
  readTimeWindow,
  withFundingReadOptions,
} from "./market-options.js";

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Loads `--funding` (a file or a bundled name) with its unit and plausibility options
 * ({@link readFundingReadOptions}: `--funding-unit`, `--max-funding-rate`,
 * `--max-median-funding-rate`) and, for a file of several symbols, the `--symbol` to read. A bare
 * `[time, rate]` file without a stated unit is refused on `--funding-unit`.
 */
export function loadFunding(
  fileOrName: string,
  reading: FundingReadOptions = {},
  symbol?: string,
): LoadedFunding {
  const { path, dataset } = resolveDataArgument(fileOrName, "funding");
  const unit = reading.rateUnit ?? dataset?.rateUnit;
  const name = symbol ?? dataset?.symbol;
  try {
    return readFundingFile(path, {
      onBadRow: "drop-and-report",
      ...reading,
      ...(unit === undefined ? {} : { rateUnit: unit }),
      ...(name === undefined ? {} : { symbol: name }),
    });
  } catch (err) {
    if (err instanceof InputError && err.field === "rateUnit" && err.value === undefined)
      throw new InputError(
        "--funding-unit",
        undefined,
        `is needed: ${path} holds bare [time, rate] pairs`,
        "Pass --funding-unit fraction, percent or bps.",
      );
    throw err;
  }
}

/** Chart: the rate annualized over time (step line), its rolling mean, and the zero line. */
export function fundingChart(series: FundingSeries, regimeWindow: number, regimeThreshold: number): string {
  const perYear = 8760 / series.intervalHours;
  const annual = Float64Array.from(series.rate, (r) => r * perYear);
  const rolling = Float64Array.from(
    fundingRegimes(series, regimeWindow, regimeThreshold).rollingMean,
    (r) => r * perYear,
  );
  return lineChart({
    title: `${series.symbol} funding rate, annualized (simple)`,
    x: { scale: "time", title: "UTC" },
    y: { title: "annualized rate (fraction; longs pay when positive)" },
    series: [
      {
        name: "rate × periods per year",
        x: series.time,
        y: annual,
        step: true,
        color: "#9e9e9e",
        widthPx: 0.8,
      },
      { name: `rolling mean, ${regimeWindow} rows`, x: series.time, y: rolling },
    ],
    referenceLines: [{ y: 0, label: "0" }],
  });
}

function renderFunding(r: FundingReport, intervalHours: number): string {
  const s = r.statistics;
  const perYear = 8760 / intervalHours;
  const lines = [
    `${r.symbol} funding (${r.source}): ${r.rows} rows, ${r.first} → ${r.last}` +
      (r.anomalies > 0 ? ` (${r.anomalies} anomalies: see liqopt data inspect)` : ""),
    renderTable(
      ["Statistic", `Per ${intervalHours} h`, "Annualized"],
      [
        ["mean", formatPercent(s.meanRate, 4), formatPercent(s.annualizedMean, 2)],
        ["standard deviation", formatPercent(s.sdRate, 4), ""],
        [
          "minimum",
          `${formatPercent(s.minRate, 4)} (${iso(s.minTimeMs).slice(0, 16)})`,
          formatPercent(s.minRate * perYear, 1),
        ],
        [
          "maximum",
          `${formatPercent(s.maxRate, 4)} (${iso(s.maxTimeMs).slice(0, 16)})`,
          formatPercent(s.maxRate * perYear, 1),
        ],
        ...s.quantileLevels.map((q, i) => [
          `${formatNumber(q * 100, 0)} % quantile`,
          formatPercent(s.quantiles[i] as number, 4),
          formatPercent((s.quantiles[i] as number) * perYear, 1),
        ]),
        ["share negative", formatPercent(s.shareNegative, 1), ""],
      ],
      { rightAlign: [1, 2] },
    ),
    `Regimes by the rolling mean of ${r.regimes.windowRows} rows (threshold ±${formatPercent(r.regimes.thresholdRate, 4)}):`,
    renderTable(
      ["Regime", "Runs", "Rows", "Mean run (rows)", "Longest run (rows)"],
      (["positive", "neutral", "negative"] as const).map((k) => {
        const x = r.regimes.summary[k];
        return [k, String(x.runs), String(x.rows), formatNumber(x.meanRunRows, 1), String(x.longestRunRows)];
      }),
      { rightAlign: [1, 2, 3, 4] },
    ),
  ];
  const p = r.position;
  if (p !== null) {
    lines.push(
      `A ${p.side} of ${formatNumber(p.notionalQuote)} from ${iso(p.fromMs)} for ${p.horizonHours} h: ${p.payments} payments, ${p.totalQuote >= 0 ? "pays" : "receives"} ${formatNumber(Math.abs(p.totalQuote))} (${formatPercent(p.totalFraction, 3)} of notional, ${formatPercent(p.annualizedFraction, 1)} a year)`,
      `At ${p.leverage}× isolated with maintenance rate ${formatPercent(p.maintenanceMarginRate, 2)}, price held: distance to liquidation ${formatPercent(p.drag.initialDistance, 2)} → ${formatPercent(p.drag.finalDistance, 2)}` +
        (p.drag.liquidatedByFundingAt >= 0
          ? `; funding alone liquidates it at payment ${p.drag.liquidatedByFundingAt + 1}`
          : ""),
    );
  }
  return lines.join("\n");
}

/** Registers `liqopt funding`. */
export function registerFunding(program: Command): void {
  withFundingReadOptions(
    program
      .command("funding")
      .description(
        "funding-rate statistics and regimes; the funding a position pays and its drag on the margin",
      )
      .option(
        "--funding <file>",
        `funding file (CSV, JSON pairs), or a bundled set: ${bundledNames("funding")}`,
        "btc-funding-8h",
      ),
  )
    .option("--symbol <symbol>", "symbol to read from a file of several (timestamp,symbol,funding_rate)")
    .option("--to <date>", "end of the series read (exclusive, UTC date)")
    .option("--regime-window <rows>", "rows of the rolling mean that defines regimes", "21")
    .option(
      "--regime-threshold <rate>",
      "rate per interval above which the regime is positive (below minus it, negative)",
      "0.0001",
    )
    .option("--side <side>", "position: long or short (with --from)")
    .option("--notional <amount>", "position notional in quote currency", "1000000")
    .option("--from <date>", "start of the series read (UTC date); with --side, the position's start")
    .option("--hours <hours>", "position: holding period in hours", "720")
    .option("--leverage <x>", "position: isolated leverage, for the margin drag", "10")
    .option("--mmr <fraction>", "position: maintenance margin rate", "0.004")
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write the rate over time (.svg or .png)")
    .action((opts) => {
      const whole = loadFunding(opts.funding, readFundingReadOptions(opts), opts.symbol);
      const { fromMs: windowFrom, toMs: windowTo } = readTimeWindow(opts);
      const loaded = { ...whole, series: sliceFundingByTime(whole.series, windowFrom, windowTo) };
      const series = loaded.series;
      // An empty file is the report's refusal on --funding; an empty window is the options' fault.
      if (series.time.length === 0 && whole.series.time.length > 0)
        throw new InputError(
          "--from/--to",
          `${opts.from ?? ""}…${opts.to ?? ""}`,
          "leave no funding rows",
          "Widen the date range or pass a longer funding file.",
        );
      const window = readIntegerOption(opts.regimeWindow, "--regime-window", 1);
      const threshold = readNumberOption(opts.regimeThreshold, "--regime-threshold", {
        min: 0,
        fix: "Pass a rate per interval ≥ 0, e.g. 0.0001.",
      });
      const fromMs = readDateOption(opts.from, "--from");
      let position: FundingPosition | null = null;
      if (fromMs !== undefined || opts.side !== undefined) {
        if (fromMs === undefined)
          throw new InputError(
            "--from",
            undefined,
            "is needed with --side",
            "Pass the start of the holding period, e.g. --from 2021-02-01.",
          );
        position = {
          side: readChoiceOption(opts.side ?? "long", "--side", ["long", "short"] as const),
          notionalQuote: readNumberOption(opts.notional, "--notional", {
            min: 0,
            exclusiveMin: true,
            fix: "Pass a positive amount.",
          }),
          fromMs,
          horizonHours: readNumberOption(opts.hours, "--hours", { min: 1, fix: "Pass hours ≥ 1." }),
          leverage: readNumberOption(opts.leverage, "--leverage", {
            min: 1,
            max: 1000,
            fix: "Pass a leverage from 1 to 1000.",
          }),
          maintenanceMarginRate: readNumberOption(opts.mmr, "--mmr", {
            min: 0,
            max: 0.5,
            fix: "Pass a fraction, e.g. 0.004.",
          }),
        };
      }
      const report = fundingReport(loaded, { regimeWindow: window, regimeThreshold: threshold, position });
      if (opts.chart !== undefined) writeChart(opts.chart, fundingChart(series, window, threshold));
      writeOut(opts.json === true ? toJson(report) : renderFunding(report, series.intervalHours));
    });
}

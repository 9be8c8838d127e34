/**
 * Option parsing shared by the market commands (`vol`, `var`, `backtest-var`, `funding`, `book`,
 * `trader`, `trader backtest`): the declarations of the options they share ({@link withCandleRange},
 * {@link withFundingFile}), data files or bundled data-set names, UTC date bounds, whole-number options.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { BUNDLED_DATASETS, type BundledDataset, resolveDataArgument } from "../market/bundled.js";
import {
  type CandleSelection,
  type LoadedCandles,
  parseIsoUtc,
  readCandleFile,
  sliceByTime,
} from "../market/candles.js";
import {
  DEFAULT_MAX_ABS_FUNDING_RATE,
  DEFAULT_MAX_MEDIAN_ABS_FUNDING_RATE,
  type FundingReadOptions,
} from "../market/funding.js";
import { type LoadedOptionChain, readDeribitChainFile } from "../market/options.js";
import { readNumberOption } from "./io.js";

/** Short names of the bundled data sets of one kind, for help texts and errors. */
export function bundledNames(kind: BundledDataset["kind"]): string {
  return BUNDLED_DATASETS.filter((d) => d.kind === kind)
    .map((d) => d.name)
    .join(", ");
}

/**
 * Declares `--symbol`, `--from` and `--to` on a command that reads a candle series: the options
 * {@link loadCandlesOption} reads beside `--candles`. `symbolHelp` says what the symbol selects.
 */
export function withCandleRange<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  symbolHelp = "symbol of a candle file that has no Symbol column",
) {
  return command
    .option("--symbol <symbol>", symbolHelp)
    .option("--from <date>", "first bar (UTC date or date-time)")
    .option("--to <date>", "end of the series, exclusive (UTC date or date-time)");
}

/**
 * Declares `--funding <file>` (a funding file or a bundled set; `help` says what the command does
 * with it) and the unit and plausibility options of the file ({@link withFundingReadOptions}).
 */
export function withFundingFile<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  help: string,
) {
  return withFundingReadOptions(
    command.option("--funding <file>", `${help}, or a bundled set: ${bundledNames("funding")}`),
  );
}

/**
 * Declares the funding file's unit and plausibility options (`--funding-unit`, `--max-funding-rate`,
 * `--max-median-funding-rate`), read by {@link readFundingReadOptions}.
 */
export function withFundingReadOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .option("--funding-unit <unit>", FUNDING_READ_HELP.unit)
    .option("--max-funding-rate <fraction>", FUNDING_READ_HELP.maxRate)
    .option("--max-median-funding-rate <fraction>", FUNDING_READ_HELP.maxMedianRate);
}

/** A UTC date or date-time option (`2024-01-01`, `2024-01-01T08:00Z`) in ms, or undefined when absent. */
export function readDateOption(raw: string | undefined, option: string): number | undefined {
  if (raw === undefined) return undefined;
  const t = parseIsoUtc(raw);
  if (!Number.isFinite(t))
    throw new InputError(option, raw, "is not a date", "Use YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC).");
  return t;
}

/**
 * The UTC window `[from, to)` of `--from`/`--to` in ms, an open end as ∓`Number.MAX_VALUE`; a `--to`
 * not after `--from` is refused. Every command that reads a series bounds it with this.
 */
export function readTimeWindow(range: {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}): {
  fromMs: number;
  toMs: number;
} {
  const fromMs = readDateOption(range.from, "--from") ?? -Number.MAX_VALUE;
  const toMs = readDateOption(range.to, "--to") ?? Number.MAX_VALUE;
  if (fromMs >= toMs)
    throw new InputError("--to", range.to, "is not after --from", "Pass --from earlier than --to.");
  return { fromMs, toMs };
}

/** A whole-number option ≥ `min` (and ≤ `max` when given). */
export function readIntegerOption(raw: string, option: string, min: number, max?: number): number {
  const fix =
    max === undefined ? `Pass a whole number ≥ ${min}.` : `Pass a whole number from ${min} to ${max}.`;
  const x = readNumberOption(raw, option, { min, ...(max === undefined ? {} : { max }), fix });
  if (!Number.isInteger(x)) throw new InputError(option, raw, "must be a whole number", fix);
  return x;
}

/** A fraction option in (0, 1), e.g. a confidence level or a decay. */
export function readFractionOption(raw: string, option: string, example: string): number {
  return readNumberOption(raw, option, {
    min: 0,
    exclusiveMin: true,
    max: 1,
    exclusiveMax: true,
    fix: `Pass a fraction strictly between 0 and 1, e.g. ${example}.`,
  });
}

/**
 * Loads `--candles` (a CSV path or a bundled name such as `btc-1h`), keeps the bars with
 * `from ≤ time < to`, and requires at least `minBars` of them.
 */
export function loadCandlesOption(
  fileOrName: string,
  range: { readonly from?: string; readonly to?: string; readonly symbol?: string },
  minBars: number,
): CandleSelection {
  const { path, dataset } = resolveDataArgument(fileOrName, "candles");
  const symbol = range.symbol ?? dataset?.symbol;
  let loaded: LoadedCandles;
  try {
    loaded = readCandleFile(path, {
      onBadRow: "drop-and-report",
      onDuplicate: "keep-last",
      ...(symbol === undefined ? {} : { symbol }),
    });
  } catch (err) {
    if (err instanceof InputError && err.field === "symbol")
      throw new InputError(
        "--symbol",
        undefined,
        `is needed: ${path} has no Symbol column`,
        "Pass --symbol, e.g. --symbol BTCUSDT.",
      );
    throw err;
  }
  const { fromMs, toMs } = readTimeWindow(range);
  const series = sliceByTime(loaded.series, fromMs, toMs);
  if (series.close.length < minBars)
    throw new InputError(
      range.from !== undefined || range.to !== undefined ? "--from/--to" : "--candles",
      `${series.close.length} bars`,
      `leave fewer than ${minBars} bars`,
      "Widen the date range or pass a longer candle file.",
    );
  return { loaded, series, path };
}

/**
 * Loads an option chain with `--as-of` (a UTC date-time) as its snapshot time, which a chain
 * without one (a Deribit ticker dump with no `timestamp`) needs: its absence is refused on `--as-of`.
 */
export function loadChainOption(path: string, asOf: string | undefined): LoadedOptionChain {
  const asOfMs = readDateOption(asOf, "--as-of");
  try {
    return readDeribitChainFile(path, asOfMs === undefined ? {} : { asOfMs });
  } catch (err) {
    if (err instanceof InputError && err.field === "asOf" && err.value === undefined)
      throw new InputError(
        "--as-of",
        undefined,
        `is needed: ${path} does not say when the chain was saved (no timestamp column)`,
        "Pass the snapshot time, e.g. --as-of 2025-12-05T01:10Z.",
      );
    throw err;
  }
}

/** A choice option; anything else names the option and the accepted values. */
export function readChoiceOption<T extends string>(raw: string, option: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new InputError(option, raw, "is not a valid choice", `Use one of: ${choices.join(", ")}.`);
}

/** A comma list of choices, or `all` for every one; an unknown entry names the option and the choices. */
export function readChoiceList<T extends string>(raw: string, option: string, choices: readonly T[]): T[] {
  if (raw.trim() === "all") return [...choices];
  return raw.split(",").map((entry) => {
    const name = entry.trim();
    if (!(choices as readonly string[]).includes(name))
      throw new InputError(
        option,
        raw,
        `has an unknown entry "${name}"`,
        `Use all, or a comma list of: ${choices.join(", ")}.`,
      );
    return name as T;
  });
}

/**
 * The help texts of the funding-file options every command that reads a funding file takes
 * (`--funding-unit`, `--max-funding-rate`, `--max-median-funding-rate`; read by {@link readFundingReadOptions}).
 */
const FUNDING_READ_HELP = {
  unit:
    "unit of the funding file's rates where its format does not define it: fraction (0.0001 = 0.01 %), percent or bps; " +
    "required for bare [time, rate] pairs, refused where the format defines fractions (Binance, ccxt, freqtrade)",
  maxRate:
    `largest plausible |funding rate| per interval, a fraction (default ${DEFAULT_MAX_ABS_FUNDING_RATE}: 5 %); ` +
    "a file with a larger rate is refused (prices, or another unit)",
  maxMedianRate:
    `largest plausible median |funding rate| of the file per interval, a fraction (default ${DEFAULT_MAX_MEDIAN_ABS_FUNDING_RATE}: 0.1 %); ` +
    "a larger median is refused (percent read as fractions)",
} as const;

/**
 * The one reader of a funding file's unit and plausibility options (`--funding-unit`,
 * `--max-funding-rate`, `--max-median-funding-rate`) for every command that takes `--funding`:
 * the unit one of fraction, percent, bps; each bound a fraction in (0, 1]. Absent options stay
 * absent (the loader's defaults, {@link DEFAULT_MAX_ABS_FUNDING_RATE} and
 * {@link DEFAULT_MAX_MEDIAN_ABS_FUNDING_RATE}, apply).
 */
export function readFundingReadOptions(opts: {
  readonly fundingUnit?: string | undefined;
  readonly maxFundingRate?: string | undefined;
  readonly maxMedianFundingRate?: string | undefined;
}): FundingReadOptions {
  const bound = (raw: string | undefined, option: string, example: string) =>
    raw === undefined
      ? undefined
      : readNumberOption(raw, option, {
          min: 0,
          exclusiveMin: true,
          max: 1,
          fix: `Pass a fraction per funding interval in (0, 1], e.g. ${example}.`,
        });
  const maxAbsRate = bound(opts.maxFundingRate, "--max-funding-rate", "0.1");
  const maxMedianAbsRate = bound(opts.maxMedianFundingRate, "--max-median-funding-rate", "0.002");
  return {
    ...(opts.fundingUnit === undefined
      ? {}
      : {
          rateUnit: readChoiceOption(opts.fundingUnit, "--funding-unit", [
            "fraction",
            "percent",
            "bps",
          ] as const),
        }),
    ...(maxAbsRate === undefined ? {} : { maxAbsRate }),
    ...(maxMedianAbsRate === undefined ? {} : { maxMedianAbsRate }),
  };
}

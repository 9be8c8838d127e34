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
 * with it) and the `--rate-unit` of a file of bare [time, rate] pairs, read by {@link readRateUnit}.
 */
export function withFundingFile<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  help: string,
) {
  return command
    .option("--funding <file>", `${help}, or a bundled set: ${bundledNames("funding")}`)
    .option(
      "--rate-unit <unit>",
      "rate unit of a --funding file of bare [time, rate] pairs: fraction or percent",
    );
}

/** The `--rate-unit` option: fraction or percent, undefined when absent (the file's or the bundled set's). */
export function readRateUnit(raw: string | undefined): "fraction" | "percent" | undefined {
  return raw === undefined
    ? undefined
    : readChoiceOption(raw, "--rate-unit", ["fraction", "percent"] as const);
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

/** A whole-number option ≥ `min`. */
export function readIntegerOption(raw: string, option: string, min: number): number {
  const x = readNumberOption(raw, option, { min, fix: `Pass a whole number ≥ ${min}.` });
  if (!Number.isInteger(x))
    throw new InputError(option, raw, "must be a whole number", `Pass a whole number ≥ ${min}.`);
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

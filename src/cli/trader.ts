/**
 * `liqopt trader`: for one position of an account document, P(liquidation within a horizon) under
 * a volatility model fitted to candles, the largest leverage with P ≤ α, the collateral to add or
 * the size to cut to get there, and the stop/top-up thresholds with their whole cost curve; as
 * tables, JSON, an SVG/PNG chart (P against leverage) or an HTML report with both charts.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { DEFAULT_MAX_GAP_BARS, gapWarning } from "../market/gaps.js";
import type { TraderAnalysis } from "../optimize/trader-analysis.js";
import type { StressScenario } from "../optimize/trader-probability.js";
import { traderReport } from "../optimize/trader-report.js";
import { type DegeneratePolicy, TRADER_VOL_MODELS } from "../optimize/vol-models.js";
import { escapeXml, writeChart } from "../report/index.js";
import { writeOutputFile } from "../report/output-file.js";
import { costChart, leverageChart } from "../report/trader-charts.js";
import { ARJI_TRUNCATION } from "../vol/arji.js";
import type { GarchParams } from "../vol/garch.js";
import { loadFunding } from "./funding.js";
import {
  formatNumber,
  formatPercent,
  loadDocument,
  readNumberOption,
  renderTable,
  toJson,
  writeOut,
} from "./io.js";
import {
  bundledNames,
  loadCandlesOption,
  readChoiceOption,
  readFractionOption,
  readFundingReadOptions,
  readIntegerOption,
  withCandleRange,
  withFundingFile,
} from "./market-options.js";
import { type NumberOptionRow, readNumberOptions } from "./number-options.js";
import { terminalProgress } from "./progress.js";
import { registerTraderBacktest } from "./trader-backtest.js";
import { MAX_GAP_HELP } from "./var.js";

/** A probability as a percent, or in scientific notation below 10⁻⁵ (where a percent with 3 decimals reads 0). */
export function formatProbability(p: number): string {
  return p > 0 && p < 1e-5 ? p.toExponential(2) : formatPercent(p, 3);
}

/**
 * A P(liquidation) with its uncertainty: closed form as it is; Monte Carlo with its standard error,
 * or `< bound (n paths)` when no path was liquidated (the 95 % bound, rule of three 3/n), so that a
 * simulated 0 never reads as impossible.
 */
function formatEstimate(e: TraderAnalysis["probability"]): string {
  if (e.paths === null) return formatProbability(e.probability);
  const n = e.paths.toLocaleString("en-US");
  if (e.probability === 0) return `< ${formatProbability(e.upperBound)} (${n} paths, 95 % bound)`;
  return `${formatProbability(e.probability)} ± ${formatProbability(e.standardError)} (s.e.; 95 % upper bound ${formatProbability(e.upperBound)}, ${n} paths)`;
}

/** The jump fit, its warning when it ends on a bound, and P(liquidation) without jumps or stress. */
function jumpLines(a: TraderAnalysis): string[] {
  const out: string[] = [];
  const j = a.model.jumps;
  if (j !== undefined) {
    const perDay = 24 / (a.model.description.barHours as number);
    const law =
      j.kind === "merton"
        ? `mean log jump ${formatPercent(j.params.jumpMean, 2)}, sd ${formatPercent(j.params.jumpVol, 2)}`
        : `up with p ${formatNumber(j.params.upProbability, 2)}, mean up ${formatPercent(1 / j.params.upRate, 2)}, mean down ${formatPercent(1 / j.params.downRate, 2)}`;
    const annual = Math.sqrt(perDay * 365);
    const ranged = "likelihood" in j;
    const se =
      ranged && j.standardErrors !== null
        ? ` ± ${formatPercent(j.standardErrors.sigma * annual, 1)} (s.e.)`
        : "";
    out.push(
      `${j.kind} jumps (${ranged ? `composite likelihood on ${j.returnsUsed} bars' close, low and high` : `maximum likelihood on ${j.returnsUsed} returns`}): ${formatNumber(j.params.lambda * perDay, 2)} a day, ${law}; diffusion σ ${formatPercent(j.params.sigma * annual, 1)}${se} annualized`,
    );
    if (j.atBounds.length > 0)
      out.push(
        `warning: the jump fit ends on the bound of ${j.atBounds.join(", ")}: the optimum is not interior`,
      );
  }
  const arji = a.model.arji;
  if (arji !== undefined) {
    const perDay = 24 / (a.model.description.barHours as number);
    const p = arji.params;
    out.push(
      `arji jumps (maximum likelihood on ${arji.returnsUsed} returns): ${formatNumber(arji.nextIntensity * perDay, 2)} a day now, ${formatNumber(arji.meanIntensity * perDay, 2)} on average (ρ ${formatNumber(p.rho, 3)}, γ ${formatNumber(p.gamma, 3)}), mean log jump ${formatPercent(p.jumpMean, 2)}, sd ${formatPercent(p.jumpVol, 2)}; diffusion σ ${formatPercent(p.sigma * Math.sqrt(perDay * 365), 1)} annualized`,
    );
    if (arji.atBounds.length > 0)
      out.push(
        `warning: the ARJI fit ends on the bound of ${arji.atBounds.join(", ")}: the optimum is not interior`,
      );
    for (const flag of arji.flags)
      out.push(
        flag === "truncation"
          ? `warning: the ARJI intensity reaches ${formatNumber(arji.maxIntensity, 2)} jumps a bar, where more than ${ARJI_TRUNCATION} jumps in a bar (the likelihood's truncation) is not negligible`
          : "warning: the ARJI intensity's persistence ρ ends on its bound 0.999 (at the edge of stationarity)",
      );
  }
  const stress = a.model.description.stressMove;
  if (stress !== undefined)
    out.push(
      `stress scenario: a ${formatPercent(stress as number, 1)} move with probability ${formatPercent(a.model.description.stressProbability as number, 3)}, mixed in`,
    );
  if (a.withoutJumps !== null)
    out.push(
      `without jumps or stress (${a.withoutJumps.model}): P = ${formatEstimate(a.withoutJumps.probability)}`,
    );
  return out;
}

/**
 * Parses `--stress <move>@<probability>`: a signed move in percent or as a fraction and a
 * probability in percent or as a fraction, e.g. `-30%@1%` or `-0.3@0.01`.
 */
export function readStress(raw: string): StressScenario {
  const m = /^\s*([-+]?\d*\.?\d+)(%?)\s*@\s*(\d*\.?\d+)(%?)\s*$/.exec(raw);
  const fix = "Pass a move and its probability, e.g. -30%@1% (a 30 % fall with probability 1 %).";
  if (m === null) throw new InputError("--stress", raw, "is not <move>@<probability>", fix);
  const move = Number(m[1]) / (m[2] === "%" ? 100 : 1);
  const probability = Number(m[3]) / (m[4] === "%" ? 100 : 1);
  if (!(move > -1) || move === 0)
    throw new InputError("--stress", raw, "needs a move above −100 % and not 0", fix);
  if (!(probability > 0 && probability <= 1))
    throw new InputError("--stress", raw, "needs a probability in (0, 1]", fix);
  return { move, probability };
}

/** Parses a duration such as `24h`, `7d`, `90m` or a plain number of hours. */
export function readDurationHours(raw: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([mhd]?)\s*$/i.exec(raw);
  const fix = "Pass a duration such as 24h, 7d or 90m.";
  if (m === null) throw new InputError(option, raw, "is not a duration", fix);
  const value = Number(m[1]);
  const unit = (m[2] ?? "").toLowerCase();
  const hours = unit === "d" ? value * 24 : unit === "m" ? value / 60 : value;
  if (!(hours > 0)) throw new InputError(option, raw, "must be positive", fix);
  return hours;
}

/** The cost options of `trader` and `trader backtest`, as typed. */
interface CostOptionsText {
  takerFee: string;
  slippageBps: string;
  impactY: string;
  idleRate: string;
  remainder: string;
}

/**
 * Declares the cost options `trader` and `trader backtest` share, read by {@link readCostOptions};
 * `help` says what `--slippage-bps` and `--impact-y` price in each command.
 */
export function withCostOptions<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
  help: { readonly slippageBps: string; readonly impactY: string },
) {
  return command
    .option("--taker-fee <rate>", "taker fee of your own closes, a fraction", "0.0005")
    .option("--slippage-bps <bps>", help.slippageBps, "2")
    .option("--impact-y <y>", help.impactY, "1")
    .option("--idle-rate <rate>", "annual rate on committed collateral, a fraction", "0.05")
    .option("--remainder <policy>", "margin left at liquidation: forfeit or returned", "forfeit");
}

/** The numeric options of `trader` with a default, read from their table (the cost options: {@link COST_OPTIONS}). */
const TRADER_NUMBER_OPTIONS = [
  {
    flag: "--funding-rate",
    field: "fundingRatePerInterval",
    min: -0.05,
    max: 0.05,
    fix: "Pass a fraction per 8 h, e.g. 0.0001.",
  },
] as const satisfies readonly NumberOptionRow<string>[];

/** The numeric cost options of {@link readCostOptions}. */
const COST_OPTIONS = [
  { flag: "--taker-fee", field: "takerFeeRate", min: 0, max: 0.1, fix: "Pass a fraction, e.g. 0.0005." },
  { flag: "--slippage-bps", field: "slippageBps", min: 0, max: 10_000, fix: "Pass basis points, e.g. 2." },
  { flag: "--impact-y", field: "impactY", min: 0, max: 100, fix: "Pass a number of order one, e.g. 1." },
  {
    flag: "--idle-rate",
    field: "idleRatePerYear",
    min: 0,
    max: 1,
    fix: "Pass an annual rate as a fraction, e.g. 0.05.",
  },
] as const satisfies readonly NumberOptionRow<string>[];

/**
 * Reads the cost options `trader` and `trader backtest` share, each checked and refused naming it:
 * `--taker-fee` (fraction ≤ 0.1), `--slippage-bps` (≤ 10,000), `--impact-y` (Y of I = Y·σ_D·√(Q/V_D),
 * ≤ 100), `--idle-rate` (annual fraction ≤ 1) and `--remainder` (forfeit or returned).
 */
export function readCostOptions(opts: CostOptionsText): {
  takerFeeRate: number;
  slippageBps: number;
  impactY: number;
  idleRatePerYear: number;
  forfeitRemainder: boolean;
} {
  return {
    ...readNumberOptions(opts, COST_OPTIONS),
    forfeitRemainder:
      readChoiceOption(opts.remainder, "--remainder", ["forfeit", "returned"] as const) === "forfeit",
  };
}

/** A degenerate fit's IGARCH(1,1) with drift in a warning line: `ω 0.00213456 %² a bar, ᾱ 0.1234, β̄ 0.8766`. */
function igarchText(p: GarchParams): string {
  return `ω ${formatNumber(p.omega)} %² a bar, ᾱ ${formatNumber(p.alpha, 4)}, β̄ ${formatNumber(p.beta, 4)}`;
}

/** The `--degenerate` option of `trader` and `trader backtest`: what a degenerate GARCH fit does. */
export function readDegenerateOption(raw: string): DegeneratePolicy {
  return readChoiceOption(raw, "--degenerate", ["fallback", "refuse", "keep"] as const);
}

/** The bundled hourly candles of a symbol, if any (BTCUSDT → btc-1h). */
export function defaultCandlesFor(symbol: string): string | undefined {
  const base = symbol
    .toUpperCase()
    .replace(/[-_/:].*$/, "")
    .replace(/USDT?$|USDC$|PERP$/, "");
  const map: Record<string, string> = { BTC: "btc-1h", XBT: "btc-1h", ETH: "eth-1h", SOL: "sol-1h" };
  return map[base];
}

/** Plain-text rendering. */
export function renderTrader(a: TraderAnalysis): string {
  const p = a.probability;
  const lines: string[] = [];
  lines.push(
    renderTable(
      [
        "position",
        "side",
        "size",
        "mark",
        "collateral",
        "leverage",
        "liq. price",
        "distance",
        "venue max lev.",
      ],
      [
        [
          a.position.symbol,
          a.position.side,
          formatNumber(a.position.size),
          formatNumber(a.position.markPrice),
          formatNumber(a.position.collateral),
          formatNumber(p.leverage, 2),
          formatNumber(p.liquidationPrice),
          formatPercent(p.liquidationDistance),
          formatNumber(a.position.venueMaxLeverage, 0),
        ],
      ],
      { rightAlign: [2, 3, 4, 5, 6, 7, 8] },
    ),
  );
  lines.push(
    `model ${a.model.kind} (${a.model.method}), σ ${formatPercent(a.model.annualVol, 1)} annualized, on ${a.model.returnsUsed} returns` +
      (a.funding === null
        ? ""
        : `; funding ${formatPercent(a.funding.ratePerInterval, 4)} per ${a.funding.intervalHours} h`),
  );
  const d = a.model.degenerate;
  if (d !== undefined) {
    lines.push(
      `warning: the ${d.requested} fit is degenerate on these returns (${d.reason}): ${d.igarch === undefined ? "kept as asked" : `fell back to its IGARCH(1,1) with drift (${igarchText(d.igarch)})`}`,
    );
  }
  const bounds = a.model.fitBounds;
  if (bounds !== undefined)
    lines.push(
      ...bounds.warnings.map(
        (w) => `warning: the ${bounds.fit} fit of ${a.model.kind} ends on a bound: ${w}`,
      ),
    );
  lines.push(
    `P(liquidation within ${formatNumber(a.horizonHours, 1)} h) = ${formatEstimate(p)}` +
      (p.liquidationPriceAtHorizon !== null && p.liquidationPriceAtHorizon !== p.liquidationPrice
        ? `; liquidation price moves to ${formatNumber(p.liquidationPriceAtHorizon)} with funding`
        : ""),
  );
  lines.push(...jumpLines(a));
  const m = a.maxLeverage;
  lines.push(
    m.collateral === null
      ? `no collateral up to 1024× notional brings P(liquidation) to ${a.alpha}`
      : `largest leverage with P ≤ ${a.alpha}: ${formatNumber(m.leverage, 2)}× (collateral ${formatNumber(m.collateral)})` +
          (m.binding === "venue-max-leverage"
            ? `, capped by the venue at ${formatNumber(m.venueMaxLeverage, 0)}×`
            : ""),
  );
  const add = a.collateralForAlpha;
  const cut = a.sizeCutForAlpha;
  lines.push(
    `collateral to add for P ≤ ${a.alpha}: ${formatNumber(add.add)}; ` +
      (cut.cutSize === null
        ? "no cut of this position's size reaches it (its hedge carries the risk)"
        : `or cut the size by ${formatNumber(cut.cutSize)} (keep ${formatPercent(cut.keepFraction, 1)})`),
  );
  if (a.collateralForDistance !== null)
    lines.push(`collateral to add for the distance target: ${formatNumber(a.collateralForDistance.add)}`);
  if (a.thresholds === null) lines.push(`thresholds: skipped (${a.thresholdsSkipped})`);
  else {
    const t = a.thresholds;
    const b = t.best;
    const slip =
      t.slippage.kind === "square-root"
        ? `square-root law, Y ${formatNumber(t.slippage.impact.y)}, σ_D ${formatPercent(t.slippage.impact.dailyVol)}, V_D ${formatNumber(t.slippage.impact.dailyVolume, 0)}`
        : t.slippage.kind === "proportional"
          ? `${formatNumber(t.slippage.bps)} bp`
          : "order book";
    lines.push(`slippage of closes: ${slip}`);
    lines.push(
      `cheapest thresholds (${t.paths} paths, seed ${t.seed}, top-up ${formatNumber(t.topUpAmount)}, recovery window ${formatNumber(t.recoveryHours, 1)} h): ` +
        `stop ${b.thresholds.stopDistance === null ? "none" : formatPercent(b.thresholds.stopDistance)}, ` +
        `top-up trigger ${b.thresholds.topUpDistance === null ? "none" : formatPercent(b.thresholds.topUpDistance)}, expected cost ${formatNumber(b.totalCost.mean)} ± ${formatNumber(b.totalCost.standardError)}`,
    );
    type Point = (typeof t.curve)[number];
    const row = (c: Point) => [
      c.thresholds.stopDistance === null ? "none" : formatPercent(c.thresholds.stopDistance),
      c.thresholds.topUpDistance === null ? "none" : formatPercent(c.thresholds.topUpDistance),
      formatNumber(c.totalCost.mean, 2),
      formatNumber(c.totalCost.standardError, 2),
      formatNumber(c.liquidationCost.mean, 2),
      formatNumber(c.foregoneRecovery.mean, 2),
      formatNumber(c.exitCost.mean, 2),
      formatNumber(c.idleCost.mean, 2),
      formatPercent(c.probabilityLiquidated),
      formatPercent(c.probabilityStopped),
      formatPercent(c.probabilityPremature),
      formatPercent(c.probabilityToppedUp),
    ];
    const table = (title: string, points: readonly Point[]) =>
      `${title}\n${renderTable(
        [
          "stop",
          "top-up at",
          "E[cost]",
          "s.e.",
          "liquidation",
          "foregone",
          "exit",
          "idle",
          "P(liq)",
          "P(stop)",
          "P(premature)",
          "P(top-up)",
        ],
        points.map(row),
        { rightAlign: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
      )}`;
    // The whole grid is in --json; the text shows the two one-threshold curves and the best pairs.
    lines.push(
      table(
        "Expected cost (quote currency) against the stop distance, no top-up:",
        t.curve.filter((c) => c.thresholds.topUpDistance === null),
      ),
      table(
        "… against the top-up trigger, no stop:",
        t.curve.filter((c) => c.thresholds.stopDistance === null && c.thresholds.topUpDistance !== null),
      ),
      table(
        `The five cheapest of all ${t.curve.length} pairs:`,
        [...t.curve].sort((x, y) => x.totalCost.mean - y.totalCost.mean).slice(0, 5),
      ),
    );
  }
  return lines.join("\n");
}

/** A self-contained HTML report with the tables (as preformatted text) and both charts. */
export function renderTraderHtml(a: TraderAnalysis): string {
  const cost = costChart(a);
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><title>liqopt trader</title>',
    "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{font-size:12px;overflow-x:auto}</style></head><body>",
    `<h1>${escapeXml(a.position.symbol)} ${a.position.side}: liquidation risk and thresholds</h1>`,
    `<pre>${escapeXml(renderTrader(a))}</pre>`,
    leverageChart(a),
    cost ?? "",
    "</body></html>",
  ].join("\n");
}

/** Registers `liqopt trader` and its `backtest` subcommand (`trader --input …` runs without a subcommand). */
export function registerTrader(program: Command): void {
  const command = program
    .command("trader")
    .description(
      "P(liquidation) within a horizon, the leverage and collateral for a target α, and the stop/top-up cost curve",
    )
    .enablePositionalOptions()
    .option(
      "-i, --input <file>",
      "account document (JSON, schemas/account.schema.json); - for stdin (required)",
    )
    .option("--position <index>", "0-based index of the position in the document", "0")
    .option("--horizon <duration>", "horizon, e.g. 24h or 7d", "24h")
    .option("--alpha <probability>", "target P(liquidation within the horizon)", "0.01")
    .option("--model <model>", `volatility model: ${TRADER_VOL_MODELS.join(", ")}`, "garch-t")
    .option(
      "--candles <file>",
      `hourly candles for the model, or a bundled set: ${bundledNames("candles")} (default: by symbol)`,
    );
  const trader = withCostOptions(
    withFundingFile(
      withCandleRange(command),
      "funding history instead of --funding-rate: its mean over the fitted candles is assumed",
    ),
    {
      slippageBps: "fixed slippage with --slippage bps, basis points of notional",
      impactY: "Y of the square-root law I = Y·σ_D·√(Q/V_D)",
    },
  )
    .option("--window <bars>", "returns the model is fitted on (the most recent)", "2000")
    .option("--max-gap <bars>", MAX_GAP_HELP, String(DEFAULT_MAX_GAP_BARS))
    .option(
      "--degenerate <policy>",
      "when the GARCH fit is degenerate (persistence at the stationarity bound): fallback (to the fit's IGARCH(1,1) with drift: ω of the fit, ᾱ = α/(α + β), the model's shocks; its variance forecast rises by ω a bar), refuse or keep",
      "fallback",
    )
    .option(
      "--stress <move>@<probability>",
      "mix a scenario into P(liquidation): a price move within the horizon with its probability, e.g. -30%@1%",
    )
    .option(
      "--funding-rate <rate>",
      "funding rate per 8 h assumed over the horizon, a fraction (a long pays when positive)",
      "0",
    )
    .option("--distance <fraction>", "also: collateral to add for this distance to the liquidation price")
    .option("--recovery <duration>", "recovery window W of the premature-close test", "24h")
    .option("--top-up <amount>", "top-up amount (default half the collateral)")
    .option(
      "--slippage <model>",
      "slippage of closes: sqrt (square-root law on the candles' 30-day volume) or bps (fixed --slippage-bps)",
      "sqrt",
    )
    .option("--paths <n>", "Monte Carlo paths", "20000")
    .option("--seed <n>", "seed of the random streams", "1")
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "write P(liquidation) against leverage (.svg or .png)")
    .option("--report <file>", "write an HTML report with the tables and charts")
    .action(async (opts) => {
      if (opts.input === undefined)
        throw new InputError(
          "--input",
          undefined,
          "is required",
          "Pass an account document (- for stdin), or run `liqopt trader backtest` to replay the policies on candles.",
        );
      const loaded = await loadDocument(opts.input);
      if (loaded.kind !== "perp") {
        throw new InputError(
          "--input",
          loaded.name,
          "is not a perpetual-venue account",
          "Pass an account document of a perp venue (schemas/account.schema.json).",
        );
      }
      const index = readIntegerOption(opts.position, "--position", 0);
      if (index >= loaded.resolved.account.positions.length) {
        throw new InputError(
          "--position",
          opts.position,
          `is past the last position (${loaded.resolved.account.positions.length})`,
          "Pass a 0-based index of a position in the document.",
        );
      }
      const symbol = loaded.resolved.account.positions[index]?.instrument.symbol ?? "";
      const candles = opts.candles ?? defaultCandlesFor(symbol);
      if (candles === undefined) {
        throw new InputError(
          "--candles",
          undefined,
          `is needed: no bundled candles for ${symbol}`,
          `Pass --candles with hourly candles of ${symbol} (${bundledNames("candles")}).`,
        );
      }
      const horizonHours = readDurationHours(opts.horizon, "--horizon");
      const alpha = readFractionOption(opts.alpha, "--alpha", "0.01");
      const model = readChoiceOption(opts.model, "--model", TRADER_VOL_MODELS);
      const windowBars = readIntegerOption(opts.window, "--window", 50);
      const selection = loadCandlesOption(candles, opts, 51);
      const { fundingRatePerInterval } = readNumberOptions(opts, TRADER_NUMBER_OPTIONS);
      const paths = readIntegerOption(opts.paths, "--paths", 100);
      const seed = readIntegerOption(opts.seed, "--seed", 0);
      const costs = readCostOptions(opts);
      const slippageModel = readChoiceOption(opts.slippage, "--slippage", ["sqrt", "bps"] as const);
      const report = traderReport(loaded.resolved, selection.series, {
        positionIndex: index,
        horizonHours,
        alpha,
        model,
        onDegenerate: readDegenerateOption(opts.degenerate),
        windowBars,
        maxGapBars: readIntegerOption(opts.maxGap, "--max-gap", 0),
        fundingRatePerInterval,
        ...(opts.funding === undefined
          ? {}
          : {
              fundingSeries: loadFunding(opts.funding, readFundingReadOptions(opts)).series,
            }),
        paths,
        seed,
        ...(opts.stress === undefined ? {} : { stress: readStress(opts.stress) }),
        recoveryHours: readDurationHours(opts.recovery, "--recovery"),
        ...(opts.topUp === undefined
          ? {}
          : {
              topUpAmount: readNumberOption(opts.topUp, "--top-up", {
                min: 0,
                fix: "Pass an amount in the margin asset.",
              }),
            }),
        ...(opts.distance === undefined
          ? {}
          : {
              distance: readNumberOption(opts.distance, "--distance", {
                min: 0,
                exclusiveMin: true,
                max: 1,
                exclusiveMax: true,
                fix: "Pass a fraction, e.g. 0.1.",
              }),
            }),
        ...(slippageModel === "sqrt" ? { squareRootImpactY: costs.impactY } : {}),
        takerFeeRate: costs.takerFeeRate,
        slippageBps: costs.slippageBps,
        forfeitRemainder: costs.forfeitRemainder,
        idleRatePerYear: costs.idleRatePerYear,
        ...terminalProgress(),
      });
      const { simulatedWithBridge: simulated, venueProcedure: procedure } = report;
      if (opts.chart !== undefined) writeChart(opts.chart, leverageChart(report));
      if (opts.report !== undefined) writeOutputFile(opts.report, renderTraderHtml(report), "--report");
      if (opts.json === true) writeOut(toJson(report));
      else {
        writeOut(renderTrader(report));
        const gapLine = gapWarning(report.gaps);
        if (gapLine !== null) writeOut(`warning: ${gapLine}`);
        const fs = report.fundingSeries;
        if (fs !== undefined)
          writeOut(
            `funding assumed: the mean of ${fs.settlements} ${fs.symbol} settlements ${fs.from.slice(0, 16)} → ${fs.to.slice(0, 16)} UTC, ${formatPercent(fs.meanRatePerInterval, 4)} per ${fs.intervalHours} h`,
          );
        if (simulated !== null) {
          writeOut(
            `cross-check (src/sim bridge Monte Carlo, ${simulated.paths} paths, seed ${simulated.seed}): P = ${formatPercent(simulated.probability, 3)} [${formatPercent(simulated.lower, 3)}, ${formatPercent(simulated.upper, 3)}]`,
          );
        }
        if (procedure !== null) {
          writeOut(
            `under ${loaded.resolved.venue.name}'s liquidation procedure (checked at the hourly grid points, no bridge test, ${procedure.paths} paths, seed ${procedure.seed}): ` +
              `P(any liquidation) ${formatPercent(procedure.anyLiquidation.probability, 3)}, P(closed in full) ${formatPercent(procedure.fullLiquidation.probability, 3)}, ` +
              `expected share liquidated ${formatPercent(procedure.expectedFractionLiquidated, 2)}, expected margin lost ${formatNumber(procedure.expectedMarginLoss, 2)} ± ${formatNumber(procedure.marginLossStandardError, 2)}`,
          );
        }
      }
    });
  registerTraderBacktest(trader);
}

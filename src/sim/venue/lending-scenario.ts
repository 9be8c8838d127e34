/**
 * `liqopt simulate` for a lending market: a scenario document with `"kind": "lending"` (assets with
 * their rules and oracles; a drawn population or a file of account documents; the liquidators' gas
 * and calls; Aave v3.3's procedure or Compound III's; the paths: a replayed driver, or a model of
 * correlated assets) read with every field checked by its JSON path, and the workflows that replay it
 * with the lending engine, or run it as Monte Carlo on the worker pool
 * (src/sim/venue/lending-simulation.ts), into a plain report (docs/reference/simulate.md, "Lending
 * scenarios"; examples/venue/aave-lending.json, examples/venue/compound-usdc.json,
 * examples/venue/aave-lending-mc.json).
 */
import { InputError } from "../../errors.js";
import { fromFixed } from "../../math/fixed-point.js";
import { isRecord, readArray, readNumber, readRecord, readString, withField } from "../../validate.js";
import { assetInfo, type Config } from "../../venues/compound-v3.js";
import { readCometConfig } from "../../venues/lending/compound-v3.js";
import { type CorrelatedModelSpec, CorrelatedPathGenerator } from "../correlated-paths.js";
import { simulateParallel } from "../pool.js";
import type { RunFailure, StopReason } from "../run.js";
import type { TailBin } from "../tail-histogram.js";
import type { ImpactFeedbackParams } from "./impact-feedback.js";
import { loadLendingBook } from "./lending-book-file.js";
import type { LendingTotals } from "./lending-engine.js";
import type { CometProcedure, CometProcedureParams, CometTotals } from "./lending-procedure-comet.js";
import {
  type LendingDayOptions,
  type LendingDayRun,
  type LendingDrawnPopulation,
  type LendingLoadedPopulation,
  type LendingMarketAsset,
  type LendingMarketOptions,
  laggingDeficitUsd,
  runLendingDay,
} from "./lending-reconciliation.js";
import type { AssetPathSpec, LendingOracleSpec } from "./lending-replay.js";
import { type LendingEstimate, type LendingSimulationSpec, lendingGrid } from "./lending-simulation.js";
import { readReplay, type ScenarioFileReader, type ScenarioPath } from "./scenario.js";
import {
  type HeadlineMetric,
  intervalZ,
  meanMetric,
  probabilityMetric,
  valueMetric,
} from "./scenario-report.js";

/** A checked lending scenario: a replay of a day, or Monte Carlo of correlated paths. */
export type LendingScenario = LendingReplayScenario | LendingMonteCarloScenario;

/** The market and population of a day, and the replayed driver. */
export interface LendingReplayScenario {
  readonly kind: "lending";
  readonly mode: "replay";
  readonly options: LendingDayOptions;
  readonly path: Extract<ScenarioPath, { kind: "replay" }>;
}

/** The market and population (with the book's own seed), the path model and grid, the paths and their seed. */
export interface LendingMonteCarloScenario {
  readonly kind: "lending";
  readonly mode: "monte-carlo";
  readonly spec: LendingSimulationSpec;
  readonly paths: number;
  readonly seed: number;
  /** Stop once the bad debt's standard error (USD) is below this; `paths` is then the cap. */
  readonly targetStandardErrorUsd?: number;
}

const num = (value: unknown, field: string, fix: string, min?: number, max?: number): number =>
  readNumber(value, field, {
    fix,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  });

function readOracle(raw: unknown, field: string): LendingOracleSpec {
  const o = readRecord(
    raw,
    field,
    'Give { "kind": "fresh" } or { "kind": "push", "deviation", "heartbeatSeconds" }.',
  );
  if (o.kind === "fresh") return { kind: "fresh" };
  if (o.kind !== "push")
    throw new InputError(
      `${field}.kind`,
      o.kind,
      'must be "fresh" or "push"',
      "Pick one of the oracle models.",
    );
  return {
    kind: "push",
    deviation: num(o.deviation, `${field}.deviation`, "A fraction, e.g. 0.005.", 0),
    heartbeatSeconds: num(o.heartbeatSeconds, `${field}.heartbeatSeconds`, "Seconds, e.g. 3600.", 0),
    ...(o.latencySeconds === undefined
      ? {}
      : {
          latencySeconds: num(
            o.latencySeconds,
            `${field}.latencySeconds`,
            "Seconds until a round lands, e.g. 0.",
            0,
          ),
        }),
  };
}

function readPath(raw: unknown, field: string): Omit<AssetPathSpec, "price"> {
  const p = readRecord(raw, field, 'Give { "beta": 1 } and optionally "crash": { fromStep, steps, depth }.');
  const beta = num(p.beta, `${field}.beta`, "The elasticity to the replayed closes, e.g. 1.");
  if (p.crash === undefined) return { beta };
  const c = readRecord(p.crash, `${field}.crash`, "Give { fromStep, steps, depth }.");
  return {
    beta,
    crash: {
      fromStep: num(
        c.fromStep,
        `${field}.crash.fromStep`,
        "The step the asset's own crash starts, e.g. 549.",
        0,
      ),
      steps: num(c.steps, `${field}.crash.steps`, "Steps of the fall, e.g. 10.", 1),
      depth: num(c.depth, `${field}.crash.depth`, "A fraction below 1, e.g. 0.6.", 0, 0.999),
    },
  };
}

function readImpact(raw: unknown, field: string): ImpactFeedbackParams | undefined {
  if (raw === undefined) return undefined;
  const m = readRecord(raw, field, "Give { y, dailyVol, dailyVolumeUsd, halfLifeSteps }.");
  return {
    y: num(m.y, `${field}.y`, "The square-root prefactor, e.g. 0.7.", 0),
    dailyVol: num(m.dailyVol, `${field}.dailyVol`, "Daily volatility as a fraction, e.g. 0.04.", 0),
    dailyVolumeUsd: num(m.dailyVolumeUsd, `${field}.dailyVolumeUsd`, "Daily traded volume in USD.", 0),
    halfLifeSteps: num(m.halfLifeSteps, `${field}.halfLifeSteps`, "Steps to half the impact, e.g. 30.", 0),
  };
}

/**
 * An asset's Aave rules, or under Compound III (`comet`) the market's: the threshold is the asset's
 * `liquidateCollateralFactor` as Comet stores it (0 for the base and assets the market does not take
 * as collateral), no bonus or fee; the asset then may not give them.
 */
function readRules(
  a: Record<string, unknown>,
  f: string,
  comet: Config | undefined,
): Pick<LendingMarketAsset, "liquidationThreshold" | "liquidationBonus" | "protocolFeeShare"> {
  if (comet !== undefined) {
    for (const key of ["liquidationThreshold", "liquidationBonus", "protocolFeeShare"])
      if (a[key] !== undefined)
        throw new InputError(
          `${f}.${key}`,
          a[key],
          "does not apply under compound-v3",
          "Leave it out: market.procedure.market gives each asset's factors.",
        );
    const taken = comet.assets.some((x) => x.symbol === a.symbol);
    return {
      liquidationThreshold: taken
        ? fromFixed(assetInfo(comet, a.symbol as string).liquidateCollateralFactor, 18)
        : 0,
      liquidationBonus: 0,
      protocolFeeShare: 0,
    };
  }
  return {
    liquidationThreshold: num(
      a.liquidationThreshold,
      `${f}.liquidationThreshold`,
      "A fraction, e.g. 0.83.",
      0,
      1,
    ),
    liquidationBonus: num(a.liquidationBonus, `${f}.liquidationBonus`, "A fraction, e.g. 0.05.", 0),
    protocolFeeShare: num(
      a.protocolFeeShare ?? 0.1,
      `${f}.protocolFeeShare`,
      "A share of the bonus, e.g. 0.1.",
      0,
      1,
    ),
  };
}

/**
 * `market.assets[i]` without its `path` (which a replay reads, and a Monte Carlo scenario refuses);
 * its rules from {@link readRules}.
 */
function readMarketAsset(raw: unknown, i: number, comet: Config | undefined): LendingMarketAsset {
  const f = `market.assets[${i}]`;
  const a = readRecord(raw, f, "Give an asset object; see examples/venue/aave-lending.json.");
  if (typeof a.symbol !== "string" || a.symbol === "")
    throw new InputError(`${f}.symbol`, a.symbol, "must be a non-empty string", "Name the asset, e.g. WETH.");
  const impact = readImpact(a.impact, `${f}.impact`);
  return {
    symbol: a.symbol,
    price: num(a.price, `${f}.price`, "The start price in USD.", 0),
    ...readRules(a, f, comet),
    ...(impact === undefined ? {} : { impact }),
    oracle: readOracle(a.oracle ?? { kind: "fresh" }, `${f}.oracle`),
    lagging: a.lagging === true,
    collateralWeight: num(
      a.collateralWeight ?? 0,
      `${f}.collateralWeight`,
      "A weight ≥ 0 among collaterals.",
      0,
    ),
    debtWeight: num(a.debtWeight ?? 0, `${f}.debtWeight`, "A weight ≥ 0 among debts.", 0),
  };
}

/**
 * `market.procedure`: `{ "kind": "compound-v3", "market"?: <a Comet market as in lending documents;
 * absent: cUSDCv3's launch configuration>, "reserves"?: base tokens at the start (0; negative is a
 * deficit), "absorbReward"?: base tokens per absorb (0) }`.
 */
function readProcedure(raw: unknown): { params: CometProcedureParams; market: unknown } {
  const f = "market.procedure";
  const p = readRecord(raw, f, 'Give { "kind": "compound-v3", "market": {…}, "reserves": 0 }.');
  if (p.kind !== "compound-v3")
    throw new InputError(
      `${f}.kind`,
      p.kind,
      'must be "compound-v3"',
      "Pick compound-v3, or leave procedure out for Aave v3.3.",
    );
  const config = withField(f, () => readCometConfig(p.market));
  return {
    params: {
      config,
      reserves: num(p.reserves ?? 0, `${f}.reserves`, "Base tokens at the start; negative is a deficit."),
      absorbReward: num(p.absorbReward ?? 0, `${f}.absorbReward`, "Base tokens per absorb, e.g. 0.", 0),
    },
    market: p.market,
  };
}

/**
 * Reads a lending scenario (`"kind": "lending"`): `market` (`assets[]`, `gasUsdPerCall`,
 * `callsPerStep`, `procedure?`: {@link readProcedure}), `population` (a drawn spec: count,
 * totalDebtUsd, size, healthFactor, secondCollateralShare; or `{ "file": accounts }`, account
 * documents of the procedure's venue read through `readFile` relative to the scenario,
 * {@link loadLendingBook}), `seed`, and `path`, either
 * - `{ "replay": <bundled candle set>, from?, to? }`: the closes drive every asset's path (each
 *   asset's `path`: `{ beta, crash? }`), the book drawn from `seed`; or
 * - `{ "model": { innovations, annualVol: [σ per asset], correlation: [[…]], annualDrift? } }`
 *   (src/sim/correlated-paths.ts, in the order of `market.assets`, which then have no `path`) with
 *   `steps`, `stepMinutes`, `paths` (default 1,000) and optionally `targetStandardErrorUsd`:
 *   Monte Carlo under Aave v3.3's procedure (a `market.procedure` is refused), the paths drawn from
 *   `seed`, a drawn book from `population.seed` (default `seed`).
 * Throws an {@link InputError} naming the JSON path of a bad field.
 */
export function readLendingScenario(raw: unknown, readFile?: ScenarioFileReader): LendingScenario {
  const r = readRecord(raw, "scenario", "Pass a scenario object; see examples/venue/aave-lending.json.");
  const m = readRecord(r.market, "market", "Give the market: { assets, gasUsdPerCall, callsPerStep }.");
  const procedure = m.procedure === undefined ? undefined : readProcedure(m.procedure);
  if (procedure !== undefined && isRecord(r.path) && "model" in r.path)
    throw new InputError(
      "market.procedure",
      m.procedure,
      "applies to a replay only",
      "Remove it: the lending Monte Carlo runs Aave v3.3's liquidationCall (its tallies are Aave's); replay a day for Compound III.",
    );
  const rawAssets = readArray(m.assets, "market.assets", "List the assets.");
  const assets = rawAssets.map((a, i) => readMarketAsset(a, i, procedure?.params.config));
  const p = readRecord(
    r.population,
    "population",
    'Give the population spec or { "file": "accounts.json" }.',
  );
  const loaded = "file" in p;
  if (!loaded && (!assets.some((a) => a.collateralWeight > 0) || !assets.some((a) => a.debtWeight > 0)))
    throw new InputError(
      "market.assets",
      assets.length,
      "need a collateral and a debt with weight > 0",
      "Set collateralWeight and debtWeight.",
    );
  const path = readRecord(
    r.path,
    "path",
    'Give { "replay": "btc-1m-2025-10-10" } or { "model": { innovations, annualVol, correlation } }.',
  );
  const seed = readSeed(r.seed ?? 1, "seed");
  const market = {
    assets,
    population: loaded
      ? readLoadedPopulation(p.file, assets, procedure?.market, procedure !== undefined, readFile)
      : readDrawnPopulation(p),
    gasUsdPerCall: num(m.gasUsdPerCall ?? 0, "market.gasUsdPerCall", "Gas of a call in USD, e.g. 50.", 0),
    callsPerStep: num(m.callsPerStep ?? 1, "market.callsPerStep", "Calls per account per step, e.g. 3.", 1),
  };
  if ("replay" in path === "model" in path)
    throw new InputError(
      "path",
      path,
      "must be a replay or a model (one of them)",
      'Give { "replay": "btc-1m-2025-10-10" } or { "model": { innovations, annualVol, correlation } }.',
    );
  if ("model" in path) {
    rawAssets.forEach((a, i) => {
      if (isRecord(a) && a.path !== undefined)
        throw new InputError(
          `market.assets[${i}].path`,
          a.path,
          "applies to a replay only",
          "Remove it: a model path gives each asset's volatility in path.model.annualVol.",
        );
    });
    const bookSeed = p.seed === undefined ? seed : readSeed(p.seed, "population.seed");
    return readMonteCarlo(r, path.model, { ...market, seed: bookSeed }, seed);
  }
  for (const key of ["steps", "stepMinutes", "paths", "targetStandardErrorUsd"] as const) {
    if (r[key] !== undefined)
      throw new InputError(
        key,
        r[key],
        "is set by the replay",
        `Remove ${key}: the replay runs its file's bars once.`,
      );
  }
  const options: LendingDayOptions = {
    ...market,
    assets: assets.map((a, i) => ({
      ...a,
      path: readPath((rawAssets[i] as Record<string, unknown>).path, `market.assets[${i}].path`),
    })),
    seed,
    ...(procedure === undefined ? {} : { procedure: procedure.params }),
  };
  return { kind: "lending", mode: "replay", options, path: readReplay(path, false) };
}

function readSeed(value: unknown, field: string): number {
  const seed = num(value, field, "An integer seed, e.g. 1.", 0, 2 ** 32 - 1);
  if (!Number.isInteger(seed)) throw new InputError(field, seed, "must be an integer", "Round it.");
  return seed;
}

function readWhole(value: unknown, field: string, fix: string): number {
  const x = num(value, field, fix, 1);
  if (!Number.isInteger(x)) throw new InputError(field, x, "must be a whole number", fix);
  return x;
}

/** `path.model` with `steps`, `stepMinutes`, `paths` and `targetStandardErrorUsd`, checked by building the evaluator's generator. */
function readMonteCarlo(
  r: Record<string, unknown>,
  rawModel: unknown,
  market: LendingMarketOptions,
  seed: number,
): LendingMonteCarloScenario {
  const m = readRecord(
    rawModel,
    "path.model",
    'Give { "innovations": { "kind": "student-t", "nu": 4 }, "annualVol": [...], "correlation": [[...]] }.',
  );
  const k = market.assets.length;
  const innovations = readRecord(
    m.innovations,
    "path.model.innovations",
    'Give { "kind": "normal" } or { "kind": "student-t", "nu": 4 }.',
  );
  const annualVol = readArray(m.annualVol, "path.model.annualVol", `List ${k} volatilities, one per asset.`);
  if (annualVol.length !== k)
    throw new InputError(
      "path.model.annualVol",
      annualVol,
      `must list one volatility per asset of market.assets (${k})`,
      "Give them in the order of market.assets (0 for a stablecoin).",
    );
  const correlation = readArray(m.correlation, "path.model.correlation", `Give a ${k}×${k} matrix.`).map(
    (row, i) =>
      readArray(row, `path.model.correlation[${i}]`, `Give a row of ${k} correlations.`) as number[],
  );
  const model = {
    innovations: innovations as unknown as CorrelatedModelSpec["innovations"],
    annualVol: annualVol as number[],
    correlation,
    ...(m.annualDrift === undefined
      ? {}
      : { annualDrift: readArray(m.annualDrift, "path.model.annualDrift", `List ${k} drifts.`) as number[] }),
  };
  const spec: LendingSimulationSpec = {
    market,
    model,
    steps: readWhole(r.steps, "steps", "Give the steps of a path, e.g. 288."),
    stepMinutes: num(r.stepMinutes, "stepMinutes", "Give minutes per step, e.g. 5.", 0),
  };
  withField("path.model", () => new CorrelatedPathGenerator(model, lendingGrid(spec)));
  return {
    kind: "lending",
    mode: "monte-carlo",
    spec,
    paths: readWhole(r.paths ?? 1000, "paths", "Give the number of paths, e.g. 1000."),
    seed,
    ...(r.targetStandardErrorUsd === undefined
      ? {}
      : {
          targetStandardErrorUsd: num(
            r.targetStandardErrorUsd,
            "targetStandardErrorUsd",
            "A standard error of the mean bad debt in USD, e.g. 50000.",
            0,
          ),
        }),
  };
}

/** `population: { "file": … }`: the account documents, read relative to the scenario. */
function readLoadedPopulation(
  raw: unknown,
  assets: readonly LendingMarketAsset[],
  cometMarket: unknown,
  comet: boolean,
  readFile: ScenarioFileReader | undefined,
): LendingLoadedPopulation {
  const file = readString(raw, "population.file", "Name the account file, e.g. accounts.json.");
  if (readFile === undefined)
    throw new InputError(
      "population.file",
      file,
      "needs the scenario's folder",
      "Run the scenario from a file (liqopt simulate --config), or draw the population.",
    );
  const text = readFile(file, "population.file");
  const symbols = assets.map((a) => a.symbol);
  const book = withField(`population.file ${file}`, () =>
    loadLendingBook(text, symbols, comet ? { market: cometMarket } : undefined),
  );
  return { file, book };
}

/** A drawn population's spec. */
function readDrawnPopulation(p: Record<string, unknown>): LendingDrawnPopulation {
  const size = readRecord(p.size, "population.size", "Give { tailIndex, minUsd, maxUsd }.");
  const hf = readRecord(p.healthFactor, "population.healthFactor", "Give { min, median, sigma }.");
  return {
    count: num(p.count, "population.count", "Accounts, e.g. 5000.", 1),
    totalDebtUsd: num(p.totalDebtUsd, "population.totalDebtUsd", "Σ debt in USD.", 0),
    size: {
      tailIndex: num(size.tailIndex, "population.size.tailIndex", "e.g. 1.1.", 0),
      minUsd: num(size.minUsd, "population.size.minUsd", "e.g. 1000.", 0),
      maxUsd: num(size.maxUsd, "population.size.maxUsd", "e.g. 1e8.", 0),
    },
    healthFactor: {
      min: num(hf.min, "population.healthFactor.min", "e.g. 1.03.", 1),
      median: num(hf.median, "population.healthFactor.median", "e.g. 1.8.", 1),
      sigma: num(hf.sigma, "population.healthFactor.sigma", "e.g. 1.", 0),
    },
    secondCollateralShare: num(
      p.secondCollateralShare ?? 0,
      "population.secondCollateralShare",
      "e.g. 0.25.",
      0,
      1,
    ),
  };
}

/** What `liqopt simulate` reports for a lending scenario. */
export interface LendingScenarioReport {
  readonly mode: "lending-replay";
  readonly dataset: string;
  readonly from: string;
  readonly to: string;
  readonly steps: number;
  readonly accounts: number;
  readonly seed: number;
  readonly totals: LendingTotals;
  /** Deficit of the accounts holding collateral marked `lagging` (USD). */
  readonly laggingDeficitUsd: number;
  /** Debt repaid by the collateral seized, per asset symbol (USD). */
  readonly repaidUsdByCollateral: Readonly<Record<string, number>>;
  /** Bad debt left on the book at the last market prices, not written off (USD). */
  readonly underwaterUsd: number;
  /** Assets with `LT·(1 + bonus) ≥ 1`: each liquidation of them lowers the health factor. */
  readonly toxicAssets: readonly string[];
  readonly ledgerImbalance: number;
  /** Per step: bar open time (epoch ms), debt repaid, deficit (USD). */
  readonly series: {
    readonly timeMs: readonly number[];
    readonly repaidUsd: readonly number[];
    readonly deficitUsd: readonly number[];
  };
  readonly reconciliation: { readonly reconciled: boolean; readonly note: string };
  /** The account file the book was loaded from; absent for a drawn book. */
  readonly populationFile?: string;
  /** Compound III's absorb, reserves and store front; absent under Aave's procedure. */
  readonly compound?: CompoundScenarioReport;
}

/** The Compound III part of a lending report (base amounts in base tokens, values USD at the oracle). */
export interface CompoundScenarioReport {
  readonly market: string;
  readonly baseSymbol: string;
  readonly reservesStart: number;
  readonly reservesEnd: number;
  /** Lowest reserves of the path (negative: the protocol's deficit). */
  readonly reservesMin: number;
  readonly targetReserves: number;
  /** Collateral still held by the protocol at the end, USD at the last market prices. */
  readonly protocolCollateralUsd: number;
  readonly totals: CometTotals;
}

/** The lending engine's validation status (docs/lending-reconciliation.md). */
const RECONCILED = {
  reconciled: true,
  note: "the lending engine is reconciled qualitatively with Aave v3 on 2025-10-10 (docs/lending-reconciliation.md: liquidated volume fitted, bonus within a factor 1.5, deficit only from lagging oracles); other parameters are a counterfactual of that model",
} as const;

/** Compound III in the engine is parity-tested per absorb and purchase, not reconciled with a day. */
const COMPOUND_NOT_RECONCILED = {
  reconciled: false,
  note: "Compound III in the lending engine reproduces Comet's absorb and buyCollateral per call (test/sim/venue/lending-comet.test.ts) but is not reconciled with a real day's absorbs and reserves",
} as const;

/** Replays a {@link LendingScenario} with the lending engine ({@link runLendingDay}) into a plain report. */
export function simulateLendingScenario(
  scenario: LendingReplayScenario,
  options: { readonly seed?: number } = {},
): LendingScenarioReport {
  const o = options.seed === undefined ? scenario.options : { ...scenario.options, seed: options.seed };
  const { timesMs, marks, dataset } = scenario.path;
  const stepSeconds = ((timesMs[1] as number) - (timesMs[0] as number)) / 1000;
  const run = withField("scenario", () => runLendingDay(o, marks, "day", stepSeconds));
  const r = run.replay;
  return {
    mode: "lending-replay",
    dataset,
    from: new Date(timesMs[0] as number).toISOString(),
    to: new Date(timesMs[timesMs.length - 1] as number).toISOString(),
    steps: r.steps,
    accounts: run.book.accounts,
    seed: o.seed,
    totals: r.totals,
    laggingDeficitUsd: laggingDeficitUsd(o, run),
    repaidUsdByCollateral: Object.fromEntries(
      o.assets.map((a, i) => [a.symbol, r.repaidUsdByCollateral[i] as number]),
    ),
    underwaterUsd: r.underwaterUsd,
    toxicAssets: toxicAssets(o.assets),
    ledgerImbalance: r.ledgerImbalance,
    series: {
      timeMs: Array.from(timesMs),
      repaidUsd: Array.from(r.repaidUsd),
      deficitUsd: Array.from(r.deficitUsd),
    },
    reconciliation: run.comet === undefined ? RECONCILED : COMPOUND_NOT_RECONCILED,
    ...("file" in o.population ? { populationFile: o.population.file } : {}),
    ...(run.comet === undefined ? {} : { compound: compoundReport(run.comet, o, run) }),
  };
}

/** The Compound III part of the report from the procedure after the replay. */
function compoundReport(
  comet: CometProcedure,
  o: LendingDayOptions,
  run: LendingDayRun,
): CompoundScenarioReport {
  const { config } = comet;
  const last = run.market.map((m) => m[m.length - 1] as number);
  let held = 0;
  comet.collateralReserves.forEach((units, a) => {
    const asset = config.assets.find((x) => x.symbol === o.assets[a]?.symbol);
    if (asset !== undefined) held += fromFixed(units, asset.decimals) * (last[a] as number);
  });
  return {
    market: config.name,
    baseSymbol: config.baseSymbol,
    reservesStart: o.procedure?.reserves ?? 0,
    reservesEnd: comet.reservesTokens,
    reservesMin: comet.totals.minReserves,
    targetReserves: fromFixed(config.targetReserves, config.baseDecimals),
    protocolCollateralUsd: held,
    totals: { ...comet.totals },
  };
}

/** What `liqopt simulate` reports for a lending scenario run as Monte Carlo. */
export interface LendingMonteCarloReport {
  readonly mode: "lending-monte-carlo";
  readonly accounts: number;
  /** The assets in the order of the model's volatilities and correlation rows. */
  readonly symbols: readonly string[];
  readonly model: CorrelatedModelSpec;
  readonly steps: number;
  readonly stepMinutes: number;
  readonly paths: number;
  readonly seed: number;
  /** The book's own seed (`population.seed`, default the scenario's `seed`); unused for a book from a file. */
  readonly bookSeed: number;
  /** The account file the book was loaded from; absent for a drawn book. */
  readonly populationFile?: string;
  readonly workers: number;
  readonly stoppedBy: StopReason;
  /** A batch that failed: the figures cover the completed paths only (src/sim/pool.ts). */
  readonly failure?: RunFailure;
  /** Means per path with 95 % intervals, P(deficit) with its Wilson interval, ES 99 % without. */
  readonly headline: readonly HeadlineMetric[];
  /** Bad debt per path: paths with none and the non-empty log bins (src/sim/tail-histogram.ts). */
  readonly badDebt: { readonly zeros: number; readonly bins: readonly TailBin[] };
  /** The largest relative ledger imbalance of any path (conservation; 0 up to rounding). */
  readonly ledgerImbalance: number;
  /** Assets with `LT·(1 + bonus) ≥ 1`: each liquidation of them lowers the health factor. */
  readonly toxicAssets: readonly string[];
  readonly reconciliation: { readonly reconciled: boolean; readonly note: string };
}

/** Options of {@link simulateLendingMonteCarlo}: the scenario's paths and seed replaced, the worker count, progress. */
export interface LendingMonteCarloOptions {
  readonly paths?: number;
  readonly seed?: number;
  /** Worker threads (default one per core); the result depends on it. */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Paths per worker per round (progress every this many × workers paths; part of what fixes a result). */
const LENDING_BATCH_PATHS = 25;

/** The Monte Carlo paths are a model, not the day: the engine is reconciled, the scenario is a counterfactual. */
const MONTE_CARLO_NOTE =
  "Monte Carlo of a stated path model: a counterfactual of the lending engine reconciled on 2025-10-10 (docs/lending-reconciliation.md); the path model and population are not reconciled";

/**
 * Runs a Monte Carlo lending scenario on the worker pool (the registered simulation `"lending"`,
 * src/sim/venue/lending-simulation.ts) and reports it: the headline estimates with their 95 %
 * intervals, the bad-debt distribution, conservation and the flags.
 */
export async function simulateLendingMonteCarlo(
  scenario: LendingMonteCarloScenario,
  options: LendingMonteCarloOptions = {},
): Promise<LendingMonteCarloReport> {
  const paths = options.paths ?? scenario.paths;
  const onProgress = options.onProgress;
  const e = await simulateParallel("lending", scenario.spec, {
    seed: options.seed ?? scenario.seed,
    paths,
    batchPaths: LENDING_BATCH_PATHS,
    ...(scenario.targetStandardErrorUsd === undefined
      ? {}
      : { targetStandardError: scenario.targetStandardErrorUsd }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(onProgress === undefined ? {} : { onProgress: (p: { paths: number }) => onProgress(p.paths, paths) }),
  });
  const { spec } = scenario;
  return {
    mode: "lending-monte-carlo",
    accounts: e.accounts,
    symbols: spec.market.assets.map((a) => a.symbol),
    model: spec.model,
    steps: spec.steps,
    stepMinutes: spec.stepMinutes,
    paths: e.paths,
    seed: e.seed,
    bookSeed: spec.market.seed,
    ...("file" in spec.market.population ? { populationFile: spec.market.population.file } : {}),
    workers: e.workers,
    stoppedBy: e.stoppedBy,
    ...(e.failure === undefined ? {} : { failure: e.failure }),
    headline: lendingHeadline(e),
    badDebt: e.badDebtDistribution,
    ledgerImbalance: e.ledgerImbalance,
    toxicAssets: toxicAssets(spec.market.assets),
    reconciliation: { reconciled: false, note: MONTE_CARLO_NOTE },
  };
}

/** The headline of a lending Monte Carlo run (keys shared with the perp venue's where the quantity is the same). */
function lendingHeadline(e: LendingEstimate): HeadlineMetric[] {
  const z = intervalZ(e.deficit.confidence);
  return [
    meanMetric("liquidatedUsd", "liquidated (debt repaid)", "USD", e.liquidatedUsd, z),
    meanMetric("calls", "liquidation calls", "count", e.calls, z),
    meanMetric("bonusUsd", "liquidation bonus paid", "USD", e.bonusUsd, z),
    meanMetric("deficitUsd", "deficit written off", "USD", e.deficitUsd, z),
    meanMetric("badDebtUsd", "bad debt (deficit + underwater)", "USD", e.badDebtUsd, z),
    valueMetric("badDebtEs99Usd", "bad debt ES 99 %", "USD", e.badDebtEs99),
    probabilityMetric("deficit", "P(deficit)", e.deficit),
    meanMetric("toxicCalls", "toxic calls (lowered HF)", "count", e.toxicCalls, z),
    meanMetric("unprofitable", "account-steps no liquidator would take", "count", e.unprofitable, z),
  ];
}

/** The symbols of the assets with `LT·(1 + bonus) ≥ 1`. */
function toxicAssets(assets: readonly LendingMarketAsset[]): string[] {
  return assets.filter((a) => a.liquidationThreshold * (1 + a.liquidationBonus) >= 1).map((a) => a.symbol);
}

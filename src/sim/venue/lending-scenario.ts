/**
 * `liqopt simulate` for a lending market: a scenario document with `"kind": "lending"` (assets with
 * their rules, paths on a replayed driver and oracles; a drawn population or a file of account
 * documents; the liquidators' gas and calls; Aave v3.3's procedure or Compound III's) read with every
 * field checked by its JSON path, and the workflow that replays it with the lending engine into a
 * plain report (docs/reference/simulate.md, "Lending scenarios"; examples/venue/aave-lending.json,
 * examples/venue/compound-usdc.json).
 */
import { InputError } from "../../errors.js";
import { fromFixed } from "../../math/fixed-point.js";
import { isRecord, readArray, readNumber, readRecord, readString, withField } from "../../validate.js";
import { assetInfo, type Config } from "../../venues/compound-v3.js";
import { readCometConfig } from "../../venues/lending/compound-v3.js";
import type { ImpactFeedbackParams } from "./impact-feedback.js";
import { loadLendingBook } from "./lending-book-file.js";
import type { LendingTotals } from "./lending-engine.js";
import type { CometProcedure, CometProcedureParams, CometTotals } from "./lending-procedure-comet.js";
import {
  type LendingDayAsset,
  type LendingDayOptions,
  type LendingDayRun,
  type LendingDrawnPopulation,
  type LendingLoadedPopulation,
  laggingDeficitUsd,
  runLendingDay,
} from "./lending-reconciliation.js";
import type { AssetPathSpec, LendingOracleSpec } from "./lending-replay.js";
import { readReplay, type ScenarioFileReader, type ScenarioPath } from "./scenario.js";

/** A checked lending scenario: the market and population of a day, and the replayed driver. */
export interface LendingScenario {
  readonly kind: "lending";
  readonly options: LendingDayOptions;
  readonly path: Extract<ScenarioPath, { kind: "replay" }>;
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
): Pick<LendingDayAsset, "liquidationThreshold" | "liquidationBonus" | "protocolFeeShare"> {
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

function readAsset(raw: unknown, i: number, comet: Config | undefined): LendingDayAsset {
  const f = `market.assets[${i}]`;
  const a = readRecord(raw, f, "Give an asset object; see examples/venue/aave-lending.json.");
  if (typeof a.symbol !== "string" || a.symbol === "")
    throw new InputError(`${f}.symbol`, a.symbol, "must be a non-empty string", "Name the asset, e.g. WETH.");
  const impact = readImpact(a.impact, `${f}.impact`);
  return {
    symbol: a.symbol,
    price: num(a.price, `${f}.price`, "The start price in USD.", 0),
    path: readPath(a.path, `${f}.path`),
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
 * {@link loadLendingBook}), `path` (`{ "replay": <bundled candle set>, from?, to? }`: the closes
 * drive every asset's path) and `seed`. Throws an {@link InputError} naming the JSON path of a bad
 * field.
 */
export function readLendingScenario(raw: unknown, readFile?: ScenarioFileReader): LendingScenario {
  const r = readRecord(raw, "scenario", "Pass a scenario object; see examples/venue/aave-lending.json.");
  const m = readRecord(r.market, "market", "Give the market: { assets, gasUsdPerCall, callsPerStep }.");
  const procedure = m.procedure === undefined ? undefined : readProcedure(m.procedure);
  const assets = readArray(m.assets, "market.assets", "List the assets.").map((a, i) =>
    readAsset(a, i, procedure?.params.config),
  );
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
  const path = readRecord(r.path, "path", 'Give { "replay": "btc-1m-2025-10-10" }.');
  if (!isRecord(path) || !("replay" in path))
    throw new InputError(
      "path",
      path,
      "must be a replay",
      'A lending scenario replays a bundled crash: { "replay": "btc-1m-2025-10-10" }.',
    );
  const seed = num(r.seed ?? 1, "seed", "An integer seed, e.g. 1.", 0, 2 ** 32 - 1);
  if (!Number.isInteger(seed)) throw new InputError("seed", seed, "must be an integer", "Round it.");
  const options: LendingDayOptions = {
    assets,
    population: loaded
      ? readLoadedPopulation(p.file, assets, procedure?.market, procedure !== undefined, readFile)
      : readDrawnPopulation(p),
    gasUsdPerCall: num(m.gasUsdPerCall ?? 0, "market.gasUsdPerCall", "Gas of a call in USD, e.g. 50.", 0),
    callsPerStep: num(m.callsPerStep ?? 1, "market.callsPerStep", "Calls per account per step, e.g. 3.", 1),
    seed,
    ...(procedure === undefined ? {} : { procedure: procedure.params }),
  };
  return { kind: "lending", options, path: readReplay(path, false) };
}

/** `population: { "file": … }`: the account documents, read relative to the scenario. */
function readLoadedPopulation(
  raw: unknown,
  assets: readonly LendingDayAsset[],
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
  scenario: LendingScenario,
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
    toxicAssets: o.assets
      .filter((a) => a.liquidationThreshold * (1 + a.liquidationBonus) >= 1)
      .map((a) => a.symbol),
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

/**
 * A venue scenario (`liqopt simulate --config scenario.json`): the book of positions, the venue's tier
 * table and its liquidation settings (insurance fund, clearance fee, liquidator capacity, impact,
 * ADL policy), and the mark-price path — a Monte Carlo model or the replay of a bundled crash —
 * read from one JSON document and checked field by field. Every refusal is an {@link InputError}
 * naming the JSON path (`venue.insuranceFundUsd`, `path.model.volatility.annualVol`) and the fix.
 * The format is documented in docs/reference/simulate.md.
 */
import { InputError } from "../../errors.js";
import type { TierTable } from "../../margin/tiers.js";
import { bundledDataset, bundledPath } from "../../market/bundled.js";
import { readCandleFile, sliceByTime } from "../../market/candles.js";
import { Xoshiro128 } from "../../math/random.js";
import {
  isRecord,
  readChoice,
  readNumber,
  readOptionalNumber,
  readRecord,
  readString,
  withField,
} from "../../validate.js";
import { getVenue } from "../../venues/index.js";
import {
  parseBinanceLeverageBrackets,
  parseCcxtLeverageTiers,
  parseTierTable,
} from "../../venues/tier-loaders.js";
import { createPathGenerator, type ModelSpec } from "../models.js";
import { VENUE_ADL_POLICIES } from "./adl-policy.js";
import type { PerpVenueParams, VenueProcedureParams } from "./engine.js";
import type { ImpactFeedbackParams } from "./impact-feedback.js";
import { readScenarioLiquidators } from "./liquidators.js";
import { drawPopulation, loadPopulation, type PerpPopulation } from "./population.js";
import { type PopulationSpec, readPopulationSpec } from "./population-spec.js";
import { checkDriftProcedure, DRIFT_DEFAULT_BUFFER, type DriftProcedureParams } from "./procedure-drift.js";
import { checkDydxProcedure, type DydxProcedureParams, dydxProcedure } from "./procedure-dydx.js";
import { checkGmxProcedure, type GmxProcedureParams, gmxProcedure } from "./procedure-gmx.js";
import { checkHyperliquidProcedure, hyperliquidProcedure } from "./procedure-hyperliquid.js";
import { type ReplayMarket, readReplayMarket } from "./replay-market.js";

/**
 * The venue's liquidation settings of a scenario: the engine's {@link PerpVenueParams} without a
 * depth-scale series (an unlimited liquidator capacity is Infinity).
 */
export type ScenarioVenue = Omit<PerpVenueParams, "depthScale">;

/** Where the book came from: drawn from a spec with its seed, or loaded from account documents. */
export type PopulationSource =
  | { readonly kind: "drawn"; readonly seed: number; readonly spec: PopulationSpec }
  | { readonly kind: "accounts"; readonly file: string };

/**
 * The mark path: a Monte Carlo model on a grid, or a replay of a bundled crash: its bar closes, or
 * the day's mark-price series with fills at the closes, and optionally the day's depth scale
 * ({@link ReplayMarket}).
 */
export type ScenarioPath =
  | { readonly kind: "model"; readonly model: ModelSpec }
  | ({
      readonly kind: "replay";
      /** The bundled data set's name (`liqopt data list`). */
      readonly dataset: string;
      /** Bar open times (epoch ms); `marks` is the exogenous mark of each step. */
      readonly timesMs: Float64Array;
    } & ReplayMarket);

/** A checked scenario. */
export interface Scenario {
  readonly population: PerpPopulation;
  readonly populationSource: PopulationSource;
  /** The tier table the book's margins follow, and where it came from. */
  readonly tiers: TierTable;
  readonly tiersSource: string;
  readonly venue: ScenarioVenue;
  readonly path: ScenarioPath;
  /** Steps of a path and their length; a replay takes both from its file. */
  readonly steps: number;
  readonly stepMinutes: number;
  /** Monte Carlo paths and seed (a replay runs one path). */
  readonly paths: number;
  readonly seed: number;
}

/** Reads a file named in a scenario (`population.file`, `tiers.file`); `field` names it in errors. */
export type ScenarioFileReader = (path: string, field: string) => string;

const MINUTES_PER_YEAR = 365 * 24 * 60;

/**
 * Reads and checks a scenario document (parsed JSON):
 * `{ population, tiers, venue, path, steps, stepMinutes, paths, seed }` where
 * - `population` is a population spec (`examples/venue/population-btcusdt.json`'s fields with its
 *   `seed`), drawn here by `drawPopulation`, or `{ "file": accounts }` (account documents, JSON or
 *   NDJSON, read through `readFile` and loaded by `loadPopulation`; their venue's tiers apply);
 * - `tiers` (drawn populations only) is `{ venue, symbol }` (a bundled venue's table) or
 *   `{ file, symbol? }` (a tier file: liqopt's, ccxt's `LeverageTier` map or Binance's
 *   `leverageBracket` response, read by the loaders of src/venues/tier-loaders.ts);
 * - `venue` is `{ insuranceFundUsd, liquidationFeeRate, liquidatorCapacityUsdPerStep?, impact?:
 *   { y, dailyVol, dailyVolumeUsd, halfLifeSteps }, liquidators?: { agents, premiumRate, … }
 *   (src/sim/venue/liquidators.ts), adlPolicy, capOfEquity?, procedure? }` where
 *   `procedure` is `{ kind: "hyperliquid", vaultCapitalUsd, partialThresholdUsd?, partialFraction?,
 *   cooldownSeconds?, backstopRatio? }` (Hyperliquid's published rules by default, the cooldown
 *   rounded up to whole steps), `{ kind: "dydx-v4", blockSeconds, seed?, maxLiquidationFeeRate?, … }`
 *   (dYdX's mainnet genesis liquidations config by default; no `adlPolicy`: deleveraging is the
 *   procedure's), `{ kind: "drift-v2", liquidatorFee, ifLiquidationFee,
 *   liquidationMarginBufferRatio?, maxInsuranceUsd? }` or `{ kind: "gmx-v2", poolUsd, … }` (GMX v2's
 *   pool procedure, GMX-like defaults for the market's factors: {@link readGmxProcedure}): {@link readProcedure};
 * - `path` is `{ model: ModelSpec }` (src/sim/models.ts, checked by `createPathGenerator` on the
 *   grid of `steps` × `stepMinutes`) with `steps`, `stepMinutes`, `paths` and `seed`, or
 *   `{ replay: <bundled candle set>, from?, to?, mark?, depth? }` (ISO UTC; the closes are the marks,
 *   one step a bar, or with `mark: "mark-price-5m"` the day's mark series with fills at the closes;
 *   `depth: "bookdepth-2025-10-10"` scales the impact by the day's measured depth), which takes
 *   `steps` and `stepMinutes` from the file and runs one path.
 */
export function readScenario(raw: unknown, readFile: ScenarioFileReader): Scenario {
  const r = readRecord(raw, "scenario", "Pass a scenario object; see examples/venue/.");
  const procedureKind =
    isRecord(r.venue) && isRecord(r.venue.procedure)
      ? readChoice(r.venue.procedure.kind, "venue.procedure.kind", PROCEDURE_KINDS)
      : undefined;
  const venue = readVenue(r.venue, procedureKind === "dydx-v4");
  const p = readRecord(r.path, "path", 'Give { "model": {…} } or { "replay": "btc-1m-2025-10-10" }.');
  const replay = "replay" in p;
  if (replay && "model" in p) {
    throw new InputError("path", p, "has both model and replay", "Keep one of them.");
  }
  for (const key of ["mark", "depth"] as const) {
    if (!replay && p[key] !== undefined) {
      throw new InputError(
        `path.${key}`,
        p[key],
        "applies to a replay only",
        `Remove path.${key}: a model path is its own mark, on a calm book.`,
      );
    }
  }
  const path = replay ? readReplay(p, venue.impact !== undefined) : undefined;
  for (const key of ["steps", "stepMinutes", "paths"] as const) {
    if (replay && r[key] !== undefined) {
      throw new InputError(
        key,
        r[key],
        "is set by the replay",
        `Remove ${key}: the replay runs its file's bars once.`,
      );
    }
  }
  const steps =
    path === undefined
      ? readWhole(r.steps, "steps", "Give the steps of a path, e.g. 288.")
      : path.marks.length;
  const stepMinutes =
    path === undefined
      ? readNumber(r.stepMinutes, "stepMinutes", {
          min: 0,
          exclusiveMin: true,
          fix: "Give minutes per step, e.g. 5.",
        })
      : replayStepMinutes(path.timesMs);
  const paths =
    path === undefined ? readWhole(r.paths ?? 1000, "paths", "Give the number of paths, e.g. 1000.") : 1;
  const seed = readNumber(r.seed ?? 1, "seed", {
    min: 0,
    max: 2 ** 32 - 1,
    fix: "Give an integer seed, e.g. 1.",
  });
  if (!Number.isInteger(seed)) throw new InputError("seed", seed, "must be an integer", "Round it.");
  const book = readBook(r, readFile);
  if (path !== undefined) checkReplayStart(book.population, path.marks[0] as number);
  const rawVenue = r.venue as Record<string, unknown>;
  const procedure = readProcedure(rawVenue.procedure, stepMinutes, seed, rawVenue);
  return {
    ...book,
    venue: procedure === undefined ? venue : { ...venue, procedure },
    path: path ?? { kind: "model", model: readModel(p.model, steps, stepMinutes) },
    steps,
    stepMinutes,
    paths,
    seed,
  };
}

/** The population and the tier table it follows. */
function readBook(
  r: Record<string, unknown>,
  readFile: ScenarioFileReader,
): Pick<Scenario, "population" | "populationSource" | "tiers" | "tiersSource"> {
  const pop = readRecord(
    r.population,
    "population",
    'Give a population spec or { "file": "accounts.ndjson" }.',
  );
  if ("file" in pop) {
    const file = readString(pop.file, "population.file", "Name the account file, e.g. accounts.ndjson.");
    if (r.tiers !== undefined) {
      throw new InputError(
        "tiers",
        r.tiers,
        "does not apply to loaded accounts",
        "Remove tiers: the accounts' venue gives their tier table.",
      );
    }
    const population = withField("population", () => loadPopulation(readFile(file, "population.file")));
    return {
      population,
      populationSource: { kind: "accounts", file },
      tiers: population.tiers,
      tiersSource: file,
    };
  }
  const spec = withField("population", () => readPopulationSpec(pop));
  const seed = readNumber(pop.seed, "population.seed", {
    min: 0,
    max: 2 ** 32 - 1,
    fix: "Give the book's seed, e.g. 1.",
  });
  if (!Number.isInteger(seed))
    throw new InputError("population.seed", seed, "must be an integer", "Round it.");
  const { tiers, source } = readTiers(r.tiers, readFile);
  const { population } = withField("population", () => drawPopulation(spec, tiers, new Xoshiro128(seed)));
  return { population, populationSource: { kind: "drawn", seed, spec }, tiers, tiersSource: source };
}

/** `tiers`: a bundled venue's table (`{venue, symbol}`) or a tier file (`{file, symbol?}`). */
function readTiers(raw: unknown, readFile: ScenarioFileReader): { tiers: TierTable; source: string } {
  const t = readRecord(
    raw,
    "tiers",
    'Give { "venue": "binance-usdm", "symbol": "BTCUSDT" } or { "file": "tiers.json" }.',
  );
  const symbol =
    t.symbol === undefined
      ? undefined
      : readString(t.symbol, "tiers.symbol", "Name the symbol, e.g. BTCUSDT.");
  if (t.file === undefined) {
    const venue = readString(
      t.venue,
      "tiers.venue",
      "Name a bundled venue (liqopt venues), or give tiers.file.",
    );
    if (symbol === undefined)
      throw new InputError("tiers.symbol", symbol, "is missing", "Name the symbol, e.g. BTCUSDT.");
    return {
      tiers: withField("tiers", () => getVenue(venue).tierTable(symbol).tiers),
      source: `${venue} ${symbol}`,
    };
  }
  const file = readString(t.file, "tiers.file", "Name the tier file.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(file, "tiers.file"));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      "tiers.file",
      file,
      `is not valid JSON (${(e as Error).message})`,
      "Pass a JSON tier file.",
    );
  }
  return { tiers: parseTierFile(parsed, symbol), source: symbol === undefined ? file : `${file} ${symbol}` };
}

/** A tier table in liqopt's shape (an array of tiers), ccxt's map by symbol or Binance's brackets. */
function parseTierFile(parsed: unknown, symbol: string | undefined): TierTable {
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  if (Array.isArray(parsed) && !(isRecord(first) && "brackets" in first))
    return parseTierTable(parsed, "tiers.file");
  const bySymbol =
    Array.isArray(parsed) || (isRecord(parsed) && "brackets" in parsed)
      ? parseBinanceLeverageBrackets(parsed, "tiers.file")
      : parseCcxtLeverageTiers(parsed, "tiers.file");
  const only = bySymbol.size === 1 ? [...bySymbol.values()][0] : undefined;
  const table = symbol === undefined ? only : bySymbol.get(symbol);
  if (table === undefined) {
    throw new InputError(
      "tiers.symbol",
      symbol,
      `names none of the file's tables (${[...bySymbol.keys()].slice(0, 5).join(", ")}…)`,
      "Name one of its symbols.",
    );
  }
  return table;
}

/** `venue`: the fund, the fee, the liquidators' capacity, the impact model and the ADL policy. */
function readVenue(raw: unknown, dydx: boolean): ScenarioVenue {
  const v = readRecord(raw, "venue", "Give { insuranceFundUsd, liquidationFeeRate, adlPolicy, … }.");
  const capacity = v.liquidatorCapacityUsdPerStep;
  const capOfEquity = readOptionalNumber(v.capOfEquity, "venue.capOfEquity", {
    min: 0,
    exclusiveMin: true,
    max: 1,
    fix: "Give κ, the share of a winner's equity capped pro-rata may take, e.g. 0.5.",
  });
  if (dydx && (v.adlPolicy !== undefined || capOfEquity !== undefined)) {
    const key = v.adlPolicy !== undefined ? "adlPolicy" : "capOfEquity";
    throw new InputError(
      `venue.${key}`,
      v[key],
      'does not apply under venue.procedure "dydx-v4": its deleveraging offsets bankrupt positions from a random start',
      `Remove venue.${key}.`,
    );
  }
  // under dYdX's procedure the fund never goes negative, so the engine's ADL step is never called
  const adlPolicy = dydx ? "pro-rata" : readChoice(v.adlPolicy, "venue.adlPolicy", VENUE_ADL_POLICIES);
  if (adlPolicy === "capped-pro-rata" && capOfEquity === undefined) {
    throw new InputError(
      "venue.capOfEquity",
      capOfEquity,
      "is needed by capped-pro-rata",
      "Give κ, e.g. 0.5.",
    );
  }
  return {
    insuranceFundUsd: readNumber(v.insuranceFundUsd, "venue.insuranceFundUsd", {
      min: 0,
      fix: "Give the fund's starting balance in USD, e.g. 1e9.",
    }),
    liquidationFeeRate: readNumber(v.liquidationFeeRate, "venue.liquidationFeeRate", {
      min: 0,
      max: 0.999,
      fix: "Give the clearance fee as a fraction of the liquidated notional, e.g. 0.0125.",
    }),
    liquidatorCapacityUsdPerStep:
      capacity === undefined || capacity === null
        ? Number.POSITIVE_INFINITY
        : readNumber(capacity, "venue.liquidatorCapacityUsdPerStep", {
            min: 0,
            exclusiveMin: true,
            fix: "Give the notional closed per step in USD, or leave it out for no limit.",
          }),
    ...(v.impact === undefined ? {} : { impact: readImpact(v.impact) }),
    ...(v.liquidators === undefined ? {} : { liquidators: readScenarioLiquidators(v.liquidators) }),
    adlPolicy,
    ...(capOfEquity === undefined ? {} : { capOfEquity }),
  };
}

/** The fields of `venue.procedure` by kind. */
const PROCEDURE_KEYS = {
  hyperliquid: [
    "kind",
    "vaultCapitalUsd",
    "partialThresholdUsd",
    "partialFraction",
    "cooldownSeconds",
    "backstopRatio",
  ],
  "dydx-v4": [
    "kind",
    "blockSeconds",
    "seed",
    "maxLiquidationFeeRate",
    "bankruptcyAdjustment",
    "spreadToMaintenanceMarginRatio",
    "minPositionNotionalUsd",
    "maxPositionPortion",
    "maxNotionalPerBlockUsd",
    "maxInsuranceLostPerBlockUsd",
  ],
  "drift-v2": [
    "kind",
    "liquidatorFee",
    "ifLiquidationFee",
    "liquidationMarginBufferRatio",
    "maxInsuranceUsd",
  ],
} as const;
const PROCEDURE_KINDS = ["hyperliquid", "dydx-v4", "drift-v2", "gmx-v2"] as const;

/**
 * `venue.procedure` (absent: the Binance-like take-over), by `kind`: Hyperliquid's procedure with
 * its published rules ({@link hyperliquidProcedure}) unless a field overrides one, `vaultCapitalUsd`
 * required, the cooldown in seconds becoming `⌈cooldownSeconds / (60·stepMinutes)⌉` steps (at least
 * 1); or dYdX v4's with the mainnet genesis liquidations config ({@link dydxProcedure}) unless a field
 * overrides one, `blockSeconds` required (a step is `⌊60·stepMinutes / blockSeconds⌋` blocks, at least
 * 1) and the deleveraging stream seeded by `seed` (default the scenario's); or Drift v2's
 * ({@link readDriftProcedure}).
 */
function readProcedure(
  raw: unknown,
  stepMinutes: number,
  seed: number,
  venue: Record<string, unknown>,
): VenueProcedureParams | undefined {
  if (raw === undefined) return undefined;
  const p = readRecord(
    raw,
    "venue.procedure",
    'Give { "kind": "hyperliquid", "vaultCapitalUsd": 3.5e8 }, { "kind": "dydx-v4", "blockSeconds": 1 }, { "kind": "drift-v2", "liquidatorFee": 0.01, "ifLiquidationFee": 0.01 } or { "kind": "gmx-v2", "poolUsd": 5e8 }, or leave it out for the take-over by the fund.',
  );
  const kind = readChoice(p.kind, "venue.procedure.kind", PROCEDURE_KINDS);
  if (kind === "gmx-v2") return readGmxProcedure(p, venue);
  const keys: readonly string[] = PROCEDURE_KEYS[kind];
  for (const key of Object.keys(p)) {
    if (!keys.includes(key)) {
      throw new InputError(
        `venue.procedure.${key}`,
        p[key],
        `is not a field of the ${kind} procedure`,
        `Use ${keys.join(", ")}.`,
      );
    }
  }
  if (kind === "drift-v2") return readDriftProcedure(p);
  const stepSeconds = stepMinutes * 60;
  if (kind === "dydx-v4") {
    const blockSeconds = readNumber(p.blockSeconds, "venue.procedure.blockSeconds", {
      min: 0,
      exclusiveMin: true,
      fix: "Give the chain's seconds per block, e.g. 1 (dYdX Chain produces about one block a second).",
    });
    const rules: Record<string, unknown> = { ...dydxProcedure(stepSeconds, blockSeconds, seed) };
    for (const key of keys)
      if (key !== "kind" && key !== "blockSeconds" && p[key] !== undefined) rules[key] = p[key];
    return checkDydxProcedure(rules as unknown as DydxProcedureParams, "venue.procedure");
  }
  const rules = hyperliquidProcedure(stepSeconds, 0);
  const cooldownSeconds = readOptionalNumber(p.cooldownSeconds, "venue.procedure.cooldownSeconds", {
    min: 0,
    exclusiveMin: true,
    fix: "Give the cooldown after a partial liquidation in seconds, e.g. 30 (Hyperliquid).",
  });
  const pick = (key: "partialThresholdUsd" | "partialFraction" | "backstopRatio") =>
    (p[key] ?? rules[key]) as number;
  return checkHyperliquidProcedure(
    {
      kind: "hyperliquid",
      partialThresholdUsd: pick("partialThresholdUsd"),
      partialFraction: pick("partialFraction"),
      cooldownSteps:
        cooldownSeconds === undefined
          ? rules.cooldownSteps
          : Math.max(1, Math.ceil(cooldownSeconds / stepSeconds)),
      backstopRatio: pick("backstopRatio"),
      vaultCapitalUsd: p.vaultCapitalUsd as number,
    },
    "venue.procedure",
  );
}

/**
 * Drift v2's procedure: `liquidatorFee` and `ifLiquidationFee` (fractions of the value taken)
 * required, `liquidationMarginBufferRatio` the program's 2 % by default, `maxInsuranceUsd` none.
 */
function readDriftProcedure(p: Record<string, unknown>): DriftProcedureParams {
  return checkDriftProcedure(
    {
      kind: "drift-v2",
      liquidatorFee: p.liquidatorFee as number,
      ifLiquidationFee: p.ifLiquidationFee as number,
      liquidationMarginBufferRatio: (p.liquidationMarginBufferRatio ?? DRIFT_DEFAULT_BUFFER) as number,
      ...(p.maxInsuranceUsd === undefined ? {} : { maxInsuranceUsd: p.maxInsuranceUsd as number }),
    },
    "venue.procedure",
  );
}

const GMX_KEYS = [
  "kind",
  "poolUsd",
  "minCollateralFactorForLiquidation",
  "minCollateralUsd",
  "positionFeeFactor",
  "liquidationFeeFactor",
  "impact",
  "maxPositionImpactFactorForLiquidations",
  "maxPnlFactorForAdl",
  "minPnlFactorAfterAdl",
] as const;

/**
 * `venue.procedure` of kind `"gmx-v2"`: `poolUsd` required, every other field of
 * {@link GmxProcedureParams} optional over {@link gmxProcedure}'s GMX-like defaults (`positionFeeFactor`
 * and `impact` field by field). The venue's `impact`, `liquidators` and `liquidatorCapacityUsdPerStep`
 * do not apply (keepers close at the oracle price) and are refused.
 */
function readGmxProcedure(p: Record<string, unknown>, venue: Record<string, unknown>): GmxProcedureParams {
  for (const key of Object.keys(p)) {
    if (!(GMX_KEYS as readonly string[]).includes(key)) {
      throw new InputError(
        `venue.procedure.${key}`,
        p[key],
        "is not a field of the gmx-v2 procedure",
        `Use ${GMX_KEYS.join(", ")}.`,
      );
    }
  }
  for (const key of ["impact", "liquidators", "liquidatorCapacityUsdPerStep"] as const) {
    if (venue[key] !== undefined) {
      throw new InputError(
        `venue.${key}`,
        venue[key],
        "does not apply to the gmx-v2 procedure",
        `Remove venue.${key}: GMX v2 keepers close at the oracle price; the pool's price impact is venue.procedure.impact.`,
      );
    }
  }
  const defaults = gmxProcedure(p.poolUsd as number);
  const part = <K extends "positionFeeFactor" | "impact">(key: K): GmxProcedureParams[K] => {
    if (p[key] === undefined) return defaults[key];
    const given = readRecord(
      p[key],
      `venue.procedure.${key}`,
      "Give an object of its factors, or leave it out.",
    );
    const known = Object.keys(defaults[key]);
    for (const sub of Object.keys(given)) {
      if (!known.includes(sub)) {
        throw new InputError(
          `venue.procedure.${key}.${sub}`,
          given[sub],
          "is not one of its factors",
          `Use ${known.join(", ")}.`,
        );
      }
    }
    return { ...defaults[key], ...given } as GmxProcedureParams[K];
  };
  const pick = <K extends keyof GmxProcedureParams>(key: K) =>
    (p[key] ?? defaults[key]) as GmxProcedureParams[K];
  return checkGmxProcedure(
    {
      kind: "gmx-v2",
      poolUsd: p.poolUsd as number,
      minCollateralFactorForLiquidation: pick("minCollateralFactorForLiquidation"),
      minCollateralUsd: pick("minCollateralUsd"),
      positionFeeFactor: part("positionFeeFactor"),
      liquidationFeeFactor: pick("liquidationFeeFactor"),
      impact: part("impact"),
      maxPositionImpactFactorForLiquidations: pick("maxPositionImpactFactorForLiquidations"),
      maxPnlFactorForAdl: pick("maxPnlFactorForAdl"),
      minPnlFactorAfterAdl: pick("minPnlFactorAfterAdl"),
    },
    "venue.procedure",
  );
}

function readImpact(raw: unknown): ImpactFeedbackParams {
  const m = readRecord(
    raw,
    "venue.impact",
    "Give { y, dailyVol, dailyVolumeUsd, halfLifeSteps }, or leave it out.",
  );
  const positive = (key: string, fix: string) =>
    readNumber(m[key], `venue.impact.${key}`, { min: 0, exclusiveMin: true, fix });
  return {
    y: positive("y", "Give the square-root law's Y, e.g. 0.7."),
    dailyVol: positive("dailyVol", "Give the daily volatility as a fraction, e.g. 0.03."),
    dailyVolumeUsd: positive("dailyVolumeUsd", "Give the daily traded volume in USD, e.g. 2e10."),
    halfLifeSteps: positive("halfLifeSteps", "Give the half-life of the impact in steps, e.g. 3."),
  };
}

/** `path.model`: a {@link ModelSpec}, checked by building its generator on the scenario's grid. */
function readModel(raw: unknown, steps: number, stepMinutes: number): ModelSpec {
  const m = readRecord(
    raw,
    "path.model",
    'Give e.g. { "volatility": { "kind": "constant", "annualVol": 0.6 }, "innovations": { "kind": "normal" } }.',
  );
  readRecord(m.volatility, "path.model.volatility", 'Give e.g. { "kind": "constant", "annualVol": 0.6 }.');
  readRecord(
    m.innovations,
    "path.model.innovations",
    'Give e.g. { "kind": "normal" } or { "kind": "student-t", "nu": 4 }.',
  );
  if (m.jumps !== undefined) readRecord(m.jumps, "path.model.jumps", "Give a jump model, or leave it out.");
  const model = m as unknown as ModelSpec;
  withField("path.model", () =>
    createPathGenerator(model, { horizonYears: (steps * stepMinutes) / MINUTES_PER_YEAR, steps }),
  );
  return model;
}

/**
 * `path.replay`: a bundled candle set's closes between `from` and `to` (ISO UTC, default all), with
 * `path.mark` and `path.depth` read by {@link readReplayMarket}.
 */
export function readReplay(
  p: Record<string, unknown>,
  hasImpact: boolean,
): Extract<ScenarioPath, { kind: "replay" }> {
  const dataset = readString(p.replay, "path.replay", "Name a bundled candle set, e.g. btc-1m-2025-10-10.");
  const d = bundledDataset(dataset);
  if (d === undefined || d.kind !== "candles") {
    throw new InputError(
      "path.replay",
      dataset,
      "is not a bundled candle set",
      "Use e.g. btc-1m-2025-10-10 (liqopt data list).",
    );
  }
  const time = (key: "from" | "to", fallback: number) => {
    if (p[key] === undefined) return fallback;
    const ms = Date.parse(
      readString(p[key], `path.${key}`, "Give an ISO UTC time, e.g. 2025-10-10T20:00:00Z."),
    );
    if (Number.isNaN(ms)) {
      throw new InputError(
        `path.${key}`,
        p[key],
        "is not a date",
        "Give an ISO UTC time, e.g. 2025-10-10T20:00:00Z.",
      );
    }
    return ms;
  };
  const series = readCandleFile(bundledPath(d.path), { symbol: d.symbol }).series;
  const from = time("from", series.time[0] as number);
  const to = time("to", (series.time[series.time.length - 1] as number) + series.intervalMs);
  if (!(to > from))
    throw new InputError("path.to", p.to, "is not after path.from", "Give an end after the start.");
  const window = sliceByTime(series, from, to);
  if (window.time.length < 2) {
    throw new InputError(
      "path.to",
      p.to,
      `leaves ${window.time.length} bar(s) of ${dataset}`,
      "Widen from/to to at least two bars.",
    );
  }
  const timesMs = Float64Array.from(window.time);
  return {
    kind: "replay",
    dataset,
    timesMs,
    ...readReplayMarket(p, dataset, timesMs, Float64Array.from(window.close), hasImpact),
  };
}

/** Minutes between the first two bars of a replay. */
function replayStepMinutes(timesMs: Float64Array): number {
  return ((timesMs[1] as number) - (timesMs[0] as number)) / 60_000;
}

/**
 * A replay starts from the book's mark: a book drawn or loaded at a mark more than 1 % away from the
 * first bar would be liquidated (or not) by the gap alone.
 */
function checkReplayStart(population: PerpPopulation, first: number): void {
  const mark = population.markPrice[0] as number;
  if (Math.abs(mark / first - 1) > 0.01) {
    throw new InputError(
      "population.markPrice",
      mark,
      `is more than 1 % from the replay's first mark ${first}`,
      `Set the book's mark to ${first} (or start the replay where the book was drawn).`,
    );
  }
}

function readWhole(value: unknown, field: string, fix: string): number {
  const x = readNumber(value, field, { min: 1, fix });
  if (!Number.isInteger(x)) throw new InputError(field, x, "must be a whole number", fix);
  return x;
}

/**
 * Monte Carlo of a lending market (the {@link LendingEngine}, Aave v3.3 rules) over correlated asset
 * paths: the registered simulation `"lending"` of src/sim/evaluators.ts. The book is drawn once per
 * evaluator from the market's own seed ({@link buildLendingMarket}), so every worker holds the same
 * book and the paths are the only randomness (as the perp venue's, docs/assumptions.md item 47).
 * Per path: the k assets' log returns from {@link CorrelatedPathGenerator} with the runner's stream,
 * the market price of asset a at point t `P_a(t) = P_a(0)·exp(Σ_{s<t} r_{s,a})` (t = 0 … steps, point
 * 0 the start price), each asset's oracle over its market path as in the replay (a fresh oracle is
 * the market price itself, a push feed {@link pushOraclePath} starts at the start price), and the
 * engine stepped at points 1 … steps. The tally is streaming and mergeable: per path the debt
 * repaid (liquidated USD), the calls, the bonus paid, the deficit written off, the bad debt (the
 * deficit plus what is still underwater on the book at the last market prices) with its mean,
 * expected shortfall and distribution ({@link TailHistogram}), the toxic calls, the paths with a
 * deficit, and the largest ledger imbalance of any path (conservation: 0 up to rounding). The run
 * watches the mean bad debt (stop-at-tolerance on its standard error in USD).
 */
import { InputError } from "../../errors.js";
import type { Xoshiro128 } from "../../math/random.js";
import { withField } from "../../validate.js";
import { type CorrelatedModelSpec, CorrelatedPathGenerator } from "../correlated-paths.js";
import type { TimeGrid } from "../models.js";
import { type PathEvaluator, type RunFacts, runFacts, type Simulation } from "../run.js";
import {
  type ProportionEstimate,
  proportionEstimate,
  type Welford,
  welfordAdd,
  welfords,
  welfordsMerge,
} from "../stats.js";
import {
  type TailBin,
  type TailHistogram,
  tailAdd,
  tailBins,
  tailExpectedShortfall,
  tailHistogram,
  tailMerge,
} from "../tail-histogram.js";
import type { TallyKind } from "../tally.js";
import type { LendingEngine, LendingTotals } from "./lending-engine.js";
import { buildLendingMarket, type LendingMarketOptions } from "./lending-reconciliation.js";
import { stepAt } from "./lending-replay.js";
import { type PushOracleSpec, pushOraclePath } from "./oracle-push.js";
import { type MeanEstimate, meanOf } from "./simulation.js";

/** What to simulate (plain data: it crosses worker threads by structured clone). */
export interface LendingSimulationSpec {
  /** The market's assets (rules, oracles), its population (with the book's own seed), gas and calls. */
  readonly market: LendingMarketOptions;
  /** The assets' volatilities (in the order of `market.assets`), correlation and innovations. */
  readonly model: CorrelatedModelSpec;
  readonly steps: number;
  readonly stepMinutes: number;
}

/** The per-path means of the lending tally: what each path adds, from its totals and bad debt. */
const PER_PATH = {
  liquidatedUsd: (t: LendingTotals) => t.repaidUsd,
  calls: (t: LendingTotals) => t.calls,
  bonusUsd: (t: LendingTotals) => t.bonusUsd,
  deficitUsd: (t: LendingTotals) => t.deficitUsd,
  /** Bad debt: the deficit written off plus the debt still underwater at the last prices (USD). */
  badDebtUsd: (_: LendingTotals, badDebt: number) => badDebt,
  toxicCalls: (t: LendingTotals) => t.toxicCalls,
  unprofitable: (t: LendingTotals) => t.unprofitable,
} as const satisfies Record<string, (totals: LendingTotals, badDebt: number) => number>;

type PerPathField = keyof typeof PER_PATH;
const PER_PATH_FIELDS = Object.keys(PER_PATH) as PerPathField[];

/** Mergeable per-batch reducers: counts, the bad-debt tail and a {@link Welford} per {@link PER_PATH} field. */
export type LendingTally = Record<PerPathField, Welford> & {
  paths: number;
  /** Paths with some deficit written off, and paths with some bad debt. */
  deficitPaths: number;
  badDebtPaths: number;
  badDebtTail: TailHistogram;
  /** The largest relative ledger imbalance of any path (0 up to rounding). */
  ledgerImbalance: number;
};

const lendingTally: TallyKind<LendingTally, MeanEstimate> = {
  empty: () => ({
    paths: 0,
    deficitPaths: 0,
    badDebtPaths: 0,
    ...welfords(PER_PATH_FIELDS),
    badDebtTail: tailHistogram(),
    ledgerImbalance: 0,
  }),
  merge: (a, b) => {
    a.paths += b.paths;
    a.deficitPaths += b.deficitPaths;
    a.badDebtPaths += b.badDebtPaths;
    welfordsMerge(a, b, PER_PATH_FIELDS);
    tailMerge(a.badDebtTail, b.badDebtTail);
    a.ledgerImbalance = Math.max(a.ledgerImbalance, b.ledgerImbalance);
  },
  paths: (t) => t.paths,
  watched: (t) => meanOf(t.badDebtUsd),
  // A mean bad debt of 0 on every path so far has standard error 0 but says little: stop only once
  // two paths differ.
  informative: (t) => t.badDebtPaths > 0 && t.badDebtPaths < t.paths,
};

/** The result of a lending Monte Carlo run (USD at the oracle unless said otherwise). */
export interface LendingEstimate extends RunFacts {
  /** Debt repaid by liquidators per path. */
  readonly liquidatedUsd: MeanEstimate;
  /** `liquidationCall`s per path. */
  readonly calls: MeanEstimate;
  /** Liquidation bonus paid per path (protocol fee included). */
  readonly bonusUsd: MeanEstimate;
  /** Deficit written off per path (Aave v3.3 deficit). */
  readonly deficitUsd: MeanEstimate;
  /** Bad debt per path: the deficit plus what is still underwater at the last market prices — the watched estimate. */
  readonly badDebtUsd: MeanEstimate;
  /** Expected shortfall at 99 % of the bad debt (histogram, src/sim/tail-histogram.ts). */
  readonly badDebtEs99: number;
  /** The distribution of the bad debt per path: paths with none, and the non-empty log bins. */
  readonly badDebtDistribution: { readonly zeros: number; readonly bins: readonly TailBin[] };
  /** P(some deficit written off). */
  readonly deficit: ProportionEstimate;
  /** Calls on a toxic collateral (`LT·(1 + bonus) ≥ 1`) that lowered the health factor, per path. */
  readonly toxicCalls: MeanEstimate;
  /** Account-steps liquidatable but unprofitable for the liquidator at the market, per path. */
  readonly unprofitable: MeanEstimate;
  /** The largest relative ledger imbalance of any path (conservation; 0 up to rounding). */
  readonly ledgerImbalance: number;
  /** Accounts in the book. */
  readonly accounts: number;
}

const MINUTES_PER_YEAR = 365 * 24 * 60;

/** The time grid of a spec: `steps` steps of `stepMinutes` minutes (in years). */
export function lendingGrid(spec: Pick<LendingSimulationSpec, "steps" | "stepMinutes">): TimeGrid {
  return { horizonYears: (spec.steps * spec.stepMinutes) / MINUTES_PER_YEAR, steps: spec.steps };
}

/** Simulates paths of one {@link LendingSimulationSpec}; the book, the engine and all scratch are built once. */
export class LendingEvaluator implements PathEvaluator<LendingTally> {
  readonly steps: number;
  readonly dtYears: number;
  readonly engine: LendingEngine;
  private readonly generator: CorrelatedPathGenerator;
  private readonly start: Float64Array;
  private readonly stepSeconds: number;
  private readonly logReturns: Float64Array;
  /** Per asset: the market and oracle path, points 0 … steps (a fresh oracle is the market array). */
  private readonly market: Float64Array[];
  private readonly oracle: Float64Array[];
  private readonly push: (PushOracleSpec | undefined)[];
  private readonly o: Float64Array;
  private readonly m: Float64Array;

  /** @throws InputError naming the field of a bad spec (`model.annualVol[2]`, `market.assets`, `steps`). */
  constructor(spec: LendingSimulationSpec) {
    const k = spec.market.assets.length;
    if (!(Number.isInteger(spec.steps) && spec.steps >= 1))
      throw new InputError(
        "steps",
        spec.steps,
        "must be a whole number ≥ 1",
        "Give the steps of a path, e.g. 288.",
      );
    if (!(spec.stepMinutes > 0))
      throw new InputError("stepMinutes", spec.stepMinutes, "must be > 0", "Give minutes per step, e.g. 5.");
    if (spec.model.annualVol?.length !== k) {
      throw new InputError(
        "model.annualVol",
        spec.model.annualVol,
        `must list one volatility per asset of the market (${k})`,
        "Give the volatilities and the correlation rows in the order of market.assets.",
      );
    }
    this.generator = withField("model", () => new CorrelatedPathGenerator(spec.model, lendingGrid(spec)));
    this.steps = this.generator.steps;
    this.dtYears = this.generator.dtYears;
    this.stepSeconds = spec.stepMinutes * 60;
    this.engine = buildLendingMarket(spec.market).engine;
    this.start = Float64Array.from(spec.market.assets, (a) => a.price);
    this.logReturns = new Float64Array(this.steps * k);
    this.market = spec.market.assets.map(() => new Float64Array(this.steps + 1));
    this.push = spec.market.assets.map((a) => (a.oracle.kind === "push" ? a.oracle : undefined));
    this.oracle = this.market.map((m, a) =>
      this.push[a] === undefined ? m : new Float64Array(this.steps + 1),
    );
    this.o = new Float64Array(k);
    this.m = new Float64Array(k);
  }

  /** Simulates `paths` paths from `rng` into `tally`. */
  run(rng: Xoshiro128, paths: number, tally: LendingTally): void {
    const { engine, market, oracle, start, logReturns, steps } = this;
    const k = start.length;
    const totals = engine.totals;
    for (let p = 0; p < paths; p++) {
      this.generator.next(rng, logReturns);
      for (let a = 0; a < k; a++) {
        const path = market[a] as Float64Array;
        const s0 = start[a] as number;
        path[0] = s0;
        let x = 0;
        for (let s = 0; s < steps; s++) {
          x += logReturns[s * k + a] as number;
          path[s + 1] = s0 * Math.exp(x);
        }
        const push = this.push[a];
        if (push !== undefined) pushOraclePath(path, this.stepSeconds, push, oracle[a] as Float64Array);
      }
      engine.reset();
      for (let t = 1; t <= steps; t++) stepAt(engine, market, oracle, t, this.o, this.m);
      const badDebt = totals.deficitUsd + engine.underwaterUsd(engine.marketPrice);
      tally.paths++;
      if (totals.deficitUsd > 0) tally.deficitPaths++;
      if (badDebt > 0) tally.badDebtPaths++;
      for (const f of PER_PATH_FIELDS) welfordAdd(tally[f], PER_PATH[f](totals, badDebt));
      tailAdd(tally.badDebtTail, badDebt);
      tally.ledgerImbalance = Math.max(tally.ledgerImbalance, engine.ledger.imbalance());
    }
  }
}

/** The lending market over correlated paths: the registry entry of the pool. */
export const lendingSimulation: Simulation<
  LendingSimulationSpec,
  LendingEvaluator,
  LendingTally,
  LendingEstimate,
  MeanEstimate
> = {
  create: (spec) => new LendingEvaluator(spec),
  tally: lendingTally,
  estimate: (outcome, evaluator) => {
    const { tally, plan } = outcome;
    return {
      liquidatedUsd: meanOf(tally.liquidatedUsd),
      calls: meanOf(tally.calls),
      bonusUsd: meanOf(tally.bonusUsd),
      deficitUsd: meanOf(tally.deficitUsd),
      badDebtUsd: meanOf(tally.badDebtUsd),
      badDebtEs99: tailExpectedShortfall(tally.badDebtTail, 0.99),
      badDebtDistribution: { zeros: tally.badDebtTail.zeros, bins: tailBins(tally.badDebtTail) },
      deficit: proportionEstimate(tally.deficitPaths, tally.paths, plan.confidence),
      toxicCalls: meanOf(tally.toxicCalls),
      unprofitable: meanOf(tally.unprofitable),
      ledgerImbalance: tally.ledgerImbalance,
      accounts: evaluator.engine.book.accounts,
      ...runFacts(outcome, evaluator, tally.paths),
    };
  },
};

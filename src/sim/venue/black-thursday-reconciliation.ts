/**
 * Reconciliation 3 of issue 11: the Black Thursday replay (`black-thursday.ts`) against the published
 * figures, with the tolerance stated before the run, and the sweep over the failure conditions that
 * says which of them are needed (docs/maker-reconciliation.md, `npm run report:maker`).
 *
 * Published (Whiterabbit, "Black Thursday for MakerDAO: $8.32 million was liquidated for 0 DAI",
 * 2020-03-14): zero-bid auctions 36 % of liquidations, 8.32 M USD of ETH won for 0 DAI, 5.67 M DAI of
 * unbacked debt. The count of auctions, 3,994 of which 1,462 were won with zero bids (36.6 %), is from a
 * secondary summary of the same analyses; it is only used to size the vault population.
 */
import {
  BLACK_THURSDAY_DEFAULTS,
  type BlackThursdayOptions,
  type BlackThursdayResult,
  type KeeperConditions,
  type KeeperRoster,
  runBlackThursday,
} from "./black-thursday.js";

/** The published figures of 2020-03-12/13. */
export const BLACK_THURSDAY_PUBLISHED = {
  auctions: 3_994,
  zeroBidShare: 0.36,
  zeroBidUsd: 8.32e6,
  uncoveredDebtDai: 5.67e6,
} as const;

/**
 * The tolerance, stated up front: each simulated headline (zero-bid share, ETH sold for 0 DAI in USD,
 * uncovered debt in DAI) within a factor of 3 of the published figure — the order of magnitude.
 */
export const BLACK_THURSDAY_TOLERANCE_FACTOR = 3;

/** A headline against its published figure. */
export interface HeadlineCheck {
  readonly name: "zero-bid share" | "ETH sold for 0 DAI (USD)" | "uncovered debt (DAI)";
  readonly simulated: number;
  readonly published: number;
  /** simulated / published. */
  readonly ratio: number;
  readonly withinTolerance: boolean;
}

/** The three headlines of `result` against the published figures, each within the factor or not. */
export function checkHeadlines(
  result: BlackThursdayResult,
  factor = BLACK_THURSDAY_TOLERANCE_FACTOR,
): HeadlineCheck[] {
  const p = BLACK_THURSDAY_PUBLISHED;
  const rows: [HeadlineCheck["name"], number, number][] = [
    ["zero-bid share", result.zeroBidShare, p.zeroBidShare],
    ["ETH sold for 0 DAI (USD)", result.zeroBidUsd, p.zeroBidUsd],
    ["uncovered debt (DAI)", result.uncoveredDebtDai, p.uncoveredDebtDai],
  ];
  return rows.map(([name, simulated, published]) => {
    const ratio = simulated / published;
    return { name, simulated, published, ratio, withinTolerance: ratio >= 1 / factor && ratio <= factor };
  });
}

/** A named change to the day's keepers or conditions. */
export interface ConditionScenario {
  readonly name: string;
  readonly roster?: Partial<KeeperRoster>;
  readonly conditions?: Partial<KeeperConditions>;
}

/** Keepers that always bid, land every transaction and hold DAI for every tab. */
const RATIONAL: Required<Pick<ConditionScenario, "roster" | "conditions">> = {
  roster: { stockGasCapGwei: Number.POSITIVE_INFINITY, capitalDai: 1e12, withdrawUnderStress: false },
  conditions: { txFailure: 0 },
};
const NO_GAS_CAP = { stockGasCapGwei: Number.POSITIVE_INFINITY };
const AMPLE_DAI = { capitalDai: 1e12 };
const ALWAYS_ON = { withdrawUnderStress: false };
const LANDING = { txFailure: 0 };

/**
 * The sweep of docs/maker-reconciliation.md: the day, the counterfactual (rational, always-on keepers),
 * each condition alone and in pairs, and sensitivities (keeper DAI, recycling, keeper count, no
 * opportunist, free gas).
 */
export const BLACK_THURSDAY_SCENARIOS: readonly ConditionScenario[] = [
  { name: "the day: all conditions" },
  { name: "counterfactual: rational, always-on keepers with DAI", ...RATIONAL },
  { name: "gas caps alone", roster: { ...AMPLE_DAI, ...ALWAYS_ON }, conditions: LANDING },
  { name: "DAI capital alone", roster: { ...NO_GAS_CAP, ...ALWAYS_ON }, conditions: LANDING },
  { name: "transaction failures alone", roster: { ...NO_GAS_CAP, ...AMPLE_DAI, ...ALWAYS_ON } },
  { name: "withdrawal under stress alone", roster: { ...NO_GAS_CAP, ...AMPLE_DAI }, conditions: LANDING },
  { name: "gas caps + DAI capital", roster: ALWAYS_ON, conditions: LANDING },
  { name: "the day, free gas (gas × 0)", conditions: { gasMultiplier: 0 } },
  { name: "the day, gas × 2", conditions: { gasMultiplier: 2 } },
  { name: "the day, keeper DAI 1.0 M each", roster: { capitalDai: 1e6 } },
  { name: "the day, keeper DAI 2.0 M each", roster: { capitalDai: 2e6 } },
  { name: "the day, won ETH back to DAI after 1 h", conditions: { recycleSeconds: 3600 } },
  { name: "the day, twice the keepers", roster: { gasAware: 4, stock: 12 } },
  { name: "the day, no opportunist", roster: { opportunists: 0 } },
];

/** One scenario's options: the defaults with its changes. */
export function scenarioOptions(
  scenario: ConditionScenario,
  base: BlackThursdayOptions = BLACK_THURSDAY_DEFAULTS,
): BlackThursdayOptions {
  return {
    ...base,
    roster: { ...base.roster, ...scenario.roster },
    conditions: { ...base.conditions, ...scenario.conditions },
  };
}

/** A scenario, the options it ran with, and its result. */
export interface ScenarioOutcome {
  readonly scenario: ConditionScenario;
  readonly options: BlackThursdayOptions;
  readonly result: BlackThursdayResult;
}

/** Runs each scenario on the bundled candles ({@link runBlackThursday}); the swept options sit beside each result. */
export function sweepBlackThursday(
  scenarios: readonly ConditionScenario[] = BLACK_THURSDAY_SCENARIOS,
  base: BlackThursdayOptions = BLACK_THURSDAY_DEFAULTS,
): ScenarioOutcome[] {
  return scenarios.map((scenario) => {
    const options = scenarioOptions(scenario, base);
    return { scenario, options, result: runBlackThursday(options).result };
  });
}

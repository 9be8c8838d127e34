/**
 * Reconciliation 2 of issue 11: the 2025-10-10 cascade on a calibrated Binance-like BTCUSDT book.
 * The replay steps the 1-minute BTCUSDT path of 19:00 → 01:00 UTC, triggers on the day's mark
 * (`path.mark: "mark-price-5m"`), fills at the trade closes and thins the impact by the day's
 * measured depth (`path.depth: "bookdepth-2025-10-10"`). Two parameters are fitted ({@link fitCascade}):
 * the book's open interest a side (BTCUSDT's unpublished share of Binance's Bitcoin futures open
 * interest), so that the liquidated notional meets a target derived from published figures, and the
 * impact's Y, so that the simulated flow takes the replayed closes down to the day's trade low; the
 * size law, the leverage mixture and the long share stay those of docs/assumptions.md (items 31–35),
 * and every other published figure is a check, not fitted. The targets, their sources and the tolerances are {@link CASCADE_TARGETS} and
 * {@link CASCADE_TOLERANCE}; the report is docs/cascade-reconciliation.md (`npm run report:cascade`).
 */
import { isDeepStrictEqual } from "node:util";
import { InputError } from "../../errors.js";
import { replayVenue, type VenueReplay } from "./engine.js";
import { readScenario, type Scenario } from "./scenario.js";

/**
 * The published figures of the day (press and analyst figures, approximate) and what they bound.
 * USD unless named otherwise.
 */
export const CASCADE_TARGETS = {
  /**
   * Binance's BTC and ETH liquidations of 2025-10-10, 335 M USD (CryptoQuant, relayed by AInvest,
   * "High leverage exposed: 2B crypto liquidations highlight systemic risks", 2025-10), counted from
   * Binance's `forceOrder` stream, which pushes at most one liquidation per symbol per second: a
   * lower bound of what was liquidated.
   */
  binanceBtcEthUsd: 335e6,
  /**
   * BTC's share of CryptoQuant's BTC + ETH liquidations that day: BTC longs 1.05 bn and shorts
   * 133.6 M against ETH longs 895 M and shorts 229.7 M (CryptoQuant via COINOTAG, 2025-10-17),
   * 1,183.6 / 2,308.3 = 0.513.
   */
  btcShareOfBtcEth: 1183.6 / 2308.3,
  /**
   * Binance's Bitcoin futures open interest fell from 16 bn to 12 bn USD over the crash (CoinDesk,
   * "Bitcoin's Friday plunge — another look", 2025-10-15, relayed by brief.news): liquidations,
   * voluntary closes and the price fall together; an upper bound of BTCUSDT's liquidations.
   */
  binanceBtcOiDropUsd: 16e9 - 12e9,
  /** Binance's Bitcoin futures open interest before the crash, 16 bn USD (same source): BTCUSDT's is at most this. */
  binanceBtcOiUsd: 16e9,
  /** The trade low of the day: 101,516.5 in the 21:20 bar (data/crashes/, 1-minute klines). */
  priceLowMs: Date.UTC(2025, 9, 10, 21, 20),
  tradeLow: 101516.5,
  /**
   * Long share of the day's liquidations across venues: 16.7 of 19.1 bn USD (CoinGlass, relayed by
   * CoinDesk, 2025-10-11), 0.87.
   */
  longShare: 16.7 / 19.1,
  /**
   * Binance's shared insurance fund of the BTC, ETH and BNB USDⓈ-M contracts went from 1.23 bn to
   * 1.04 bn USD between 2025-10-10 and 10-11, 188 M USD used (Binance's fund history, relayed by a
   * Binance Square post "Binance insurance fund falls …", 2025-10): the fund was not exhausted, so no
   * ADL was needed on BTCUSDT, and BTCUSDT drew at most 188 M USD from it.
   */
  fundStartUsd: 1.23e9,
  fundDrawdownMaxUsd: 188e6,
} as const;

/** The window of the cascade: 21:00 → 21:30 UTC. */
const CASCADE_FROM_MS = Date.UTC(2025, 9, 10, 21);
const CASCADE_TO_MS = Date.UTC(2025, 9, 10, 21, 30);

/**
 * The tolerances, stated before the run.
 * - `fitTolerance`, `lowTolerance`: the fit stops when the liquidated notional is within this share
 *   of the target and the venue's lowest mark within this share of the trade low (the fit's accuracy,
 *   not a statement about the day);
 * - the liquidated notional must lie between the published lower bound
 *   (`binanceBtcEthUsd × btcShareOfBtcEth`, 172 M) and upper bound (`binanceBtcOiDropUsd`, 4 bn):
 *   the target is their geometric mean, 0.83 bn, so the level is reconciled within a factor 4.8 either
 *   way — as wide as the published figures allow, no tighter;
 * - the minute with the most liquidated notional within `peakMinutes` of the price low (21:20);
 * - at least `cascadeShareMin` of the notional liquidated in 21:00 → 21:30 (Hyperliquid, the one venue
 *   with its fills public, had 5.51 of its 10.2 bn USD in 21:15 → 21:27);
 * - a long share of the liquidated notional of at least `longShareMin` (0.87 across venues);
 * - the fund never exhausted (no ADL) and its largest drawdown at most `fundDrawdownMaxUsd`.
 */
export const CASCADE_TOLERANCE = {
  fitTolerance: 0.05,
  lowTolerance: 0.0025,
  peakMinutes: 5,
  cascadeShareMin: 0.5,
  longShareMin: 0.8,
} as const;

/** The liquidated notional the fit aims at: the geometric mean of the published bounds. */
export function cascadeTargetUsd(): { lower: number; upper: number; target: number } {
  const lower = CASCADE_TARGETS.binanceBtcEthUsd * CASCADE_TARGETS.btcShareOfBtcEth;
  const upper = CASCADE_TARGETS.binanceBtcOiDropUsd;
  return { lower, upper, target: Math.sqrt(lower * upper) };
}

/** The two fitted parameters: the open interest a side (USD) and the impact's Y. */
export interface CascadeParameters {
  readonly openInterestUsd: number;
  readonly impactY: number;
}

/**
 * The calibrated scenario document (examples/venue/binance-2025-10-10-calibrated.json is this object,
 * written by `npm run report:cascade`): the replay example's book (20,000 positions, the size law,
 * leverage mixture, long share and entries of docs/assumptions.md items 31–35) with `openInterestUsd`
 * a side; the fund of {@link CASCADE_TARGETS}; the impact `impactY·σ_D·√(Q/(V_D·D_t))` with σ_D 3 %,
 * V_D 20 bn USD and the day's depth scale D_t.
 */
export function cascadeScenarioDocument(x: CascadeParameters): Record<string, unknown> {
  return {
    calibration: "binance-2025-10-10",
    population: {
      seed: 20251010,
      count: 20000,
      markPrice: 117178.4,
      openInterest: x.openInterestUsd,
      longShare: 0.5,
      notional: { tailIndex: 1.5, min: 33000, max: 20000000 },
      leverage: [
        { weight: 0.5, median: 2.67, sigma: 0.5 },
        { weight: 0.5, median: 5.2, sigma: 0.5 },
      ],
      entry: { windowDays: 30, volatility: 0.45 },
    },
    tiers: { venue: "binance-usdm", symbol: "BTCUSDT" },
    venue: {
      insuranceFundUsd: CASCADE_TARGETS.fundStartUsd,
      liquidationFeeRate: 0.003,
      liquidatorCapacityUsdPerStep: 300000000,
      impact: { y: x.impactY, dailyVol: 0.03, dailyVolumeUsd: 20000000000, halfLifeSteps: 3 },
      adlPolicy: "queue",
    },
    path: {
      replay: "btc-1m-2025-10-10",
      from: "2025-10-10T19:00:00Z",
      to: "2025-10-11T01:00:00Z",
      mark: "mark-price-5m",
      depth: "bookdepth-2025-10-10",
    },
  };
}

/**
 * The fitted parameters, rounded (open interest to 1 M USD, Y to 0.001); `npm run report:cascade`
 * prints the fit and test/sim/venue/cascade-calibration.test.ts checks that they still meet it.
 */
export const CALIBRATED_CASCADE: CascadeParameters = { openInterestUsd: 5_272e6, impactY: 1.162 };

/** A replay of the cascade: the engine's series and the scenario it ran. */
export interface CascadeRun {
  readonly scenario: Scenario;
  readonly replay: VenueReplay;
}

/** Replays a scenario of {@link cascadeScenarioDocument} (marks, trade fills and the depth scale). */
export function runCascade(scenario: Scenario): CascadeRun {
  const p = scenario.path;
  if (p.kind !== "replay") {
    throw new InputError("path", p.kind, "is not a replay", "Pass the cascade's replay scenario.");
  }
  const venue = p.depthScale === undefined ? scenario.venue : { ...scenario.venue, depthScale: p.depthScale };
  return { scenario, replay: replayVenue(scenario.population, venue, p.marks, p.trades) };
}

/** The scenario of {@link cascadeScenarioDocument} (read and drawn). */
export function cascadeScenario(x: CascadeParameters): Scenario {
  return readScenario(cascadeScenarioDocument(x), () => {
    throw new InputError("file", "", "is not used by the cascade scenario", "Remove it.");
  });
}

/** One evaluation of the fit. */
export interface CascadeFitStep extends CascadeParameters {
  readonly liquidatedUsd: number;
  readonly lowestMark: number;
}

/** The fit: the parameters, what they give, and every evaluation. */
export interface CascadeFit extends CascadeFitStep {
  readonly targetUsd: number;
  readonly steps: readonly CascadeFitStep[];
}

/**
 * Bisection on ln x in `[lo, hi]` for a root of an increasing `f`; stops when `|f| ≤ tol` or after 20
 * halvings, and returns the x evaluated with the smallest |f|.
 *
 * @throws InputError (field `field`) when `f(lo) > 0` or `f(hi) < 0`: the root is not bracketed.
 */
function bisectLog(f: (x: number) => number, lo: number, hi: number, tol: number, field: string): number {
  let best = { x: lo, f: f(lo) };
  const top = f(hi);
  if (best.f > 0 || top < 0) {
    throw new InputError(field, [lo, hi], "does not bracket the target", "Widen the interval.");
  }
  if (-best.f > top) best = { x: hi, f: top };
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let k = 0; k < 20 && Math.abs(best.f) > tol; k++) {
    const m = (a + b) / 2;
    const y = f(Math.exp(m));
    if (Math.abs(y) < Math.abs(best.f)) best = { x: Math.exp(m), f: y };
    if (y < 0) a = m;
    else b = m;
  }
  return best.x;
}

/**
 * Fits the two parameters of the book to the day, in turns until both hold:
 * - the **open interest a side** so that the replay's liquidated notional is within `fitTolerance`
 *   of `target` (default {@link cascadeTargetUsd}); bisection on its logarithm in 0.1 bn → 16 bn USD
 *   (Binance's Bitcoin futures open interest). The same seed draws the same positions, scaled, so the
 *   liquidated notional rises with it — linearly without impact, faster with it, with jumps where
 *   one more take-over tips a further cascade;
 * - the **impact's Y** so that the venue's lowest mark (the replayed minute closes moved by the
 *   simulated flow) is the day's trade low 101,516.5 within `lowTolerance`: the closes reach only
 *   103,441.3, and what took the trades lower inside the minute was the liquidation flow the replay
 *   simulates; more Y moves the mark further. Bisection on ln Y in 0.05 → 10.
 * Starts from `start`; at most `rounds` turns; `steps` lists each distinct evaluation once.
 *
 * @throws InputError naming `openInterestUsd` or `impactY` when a bisection's interval does not
 *   bracket its target (a level no book of at most 16 bn a side reaches at that Y, or a low no Y reaches).
 */
export function fitCascade(
  target = cascadeTargetUsd().target,
  start: CascadeParameters = { openInterestUsd: 5e9, impactY: 1 },
  rounds = 8,
): CascadeFit {
  const steps: CascadeFitStep[] = [];
  const seen = new Map<string, CascadeFitStep>();
  const evaluate = (x: CascadeParameters): CascadeFitStep => {
    const key = `${x.openInterestUsd} ${x.impactY}`;
    const known = seen.get(key);
    if (known !== undefined) return known;
    const r = runCascade(cascadeScenario(x)).replay;
    let lowestMark = Number.POSITIVE_INFINITY;
    for (const m of r.mark) lowestMark = Math.min(lowestMark, m);
    const step = { ...x, liquidatedUsd: r.totals.liquidatedNotionalUsd, lowestMark };
    steps.push(step);
    seen.set(key, step);
    return step;
  };
  const levelTol = CASCADE_TOLERANCE.fitTolerance * target;
  const lowTol = CASCADE_TOLERANCE.lowTolerance * CASCADE_TARGETS.tradeLow;
  let x = start;
  let last = evaluate(x);
  for (let k = 0; k < rounds; k++) {
    const levelOk = Math.abs(last.liquidatedUsd - target) <= levelTol;
    const lowOk = Math.abs(last.lowestMark - CASCADE_TARGETS.tradeLow) <= lowTol;
    if (levelOk && lowOk) break;
    if (!levelOk) {
      const y = x.impactY;
      const oi = bisectLog(
        (o) => evaluate({ openInterestUsd: o, impactY: y }).liquidatedUsd - target,
        1e8,
        CASCADE_TARGETS.binanceBtcOiUsd,
        levelTol,
        "openInterestUsd",
      );
      x = { openInterestUsd: oi, impactY: y };
    } else {
      const oi = x.openInterestUsd;
      const y = bisectLog(
        (v) => CASCADE_TARGETS.tradeLow - evaluate({ openInterestUsd: oi, impactY: v }).lowestMark,
        0.05,
        10,
        lowTol,
        "impactY",
      );
      x = { openInterestUsd: oi, impactY: y };
    }
    last = evaluate(x);
  }
  return { ...last, targetUsd: target, steps };
}

/** One reconciliation check: what was simulated, the bound, whether it holds, and whether it was fitted. */
export interface CascadeCheck {
  readonly name: string;
  readonly simulated: number;
  readonly bound: string;
  readonly pass: boolean;
  readonly fitted: boolean;
}

/** Liquidated notional per minute and by side, from a run. */
export function cascadeTallies(run: CascadeRun): {
  readonly timeMs: Float64Array;
  readonly liquidatedUsd: Float64Array;
  readonly longUsd: number;
  readonly shortUsd: number;
} {
  const p = run.scenario.path;
  if (p.kind !== "replay") throw new InputError("path", p.kind, "is not a replay", "Pass a replay run.");
  const pop = run.scenario.population;
  let longUsd = 0;
  let shortUsd = 0;
  run.replay.liquidatedAt.forEach((step, i) => {
    if (step < 0) return;
    const notional = Math.abs(pop.size[i] as number) * (pop.liquidationPrice[i] as number);
    if ((pop.size[i] as number) > 0) longUsd += notional;
    else shortUsd += notional;
  });
  return { timeMs: p.timesMs, liquidatedUsd: run.replay.liquidatedNotionalUsd, longUsd, shortUsd };
}

/**
 * The checks of {@link CASCADE_TOLERANCE} on a run: the liquidated notional (fitted) within the
 * published bounds; the peak minute, the share in 21:00 → 21:30, the long share, ADL and the fund's
 * drawdown (not fitted).
 */
export function checkCascade(run: CascadeRun): CascadeCheck[] {
  const { lower, upper } = cascadeTargetUsd();
  const t = run.replay.totals;
  const tally = cascadeTallies(run);
  let peak = 0;
  let inWindow = 0;
  tally.liquidatedUsd.forEach((x, k) => {
    if (x > (tally.liquidatedUsd[peak] as number)) peak = k;
    const ms = tally.timeMs[k] as number;
    if (ms >= CASCADE_FROM_MS && ms < CASCADE_TO_MS) inWindow += x;
  });
  const peakOffset = ((tally.timeMs[peak] as number) - CASCADE_TARGETS.priceLowMs) / 60_000;
  const longShare = tally.longUsd / (tally.longUsd + tally.shortUsd);
  const drawdown = run.scenario.venue.insuranceFundUsd - t.minFundUsd;
  let lowest = Number.POSITIVE_INFINITY;
  for (const x of run.replay.mark) lowest = Math.min(lowest, x);
  const m = (x: number) => `${(x / 1e6).toFixed(0)} M`;
  return [
    {
      name: "liquidated notional (USD)",
      simulated: t.liquidatedNotionalUsd,
      bound: `${m(lower)} … ${m(upper)}`,
      pass: t.liquidatedNotionalUsd >= lower && t.liquidatedNotionalUsd <= upper,
      fitted: true,
    },
    {
      name: "peak minute − price low (minutes)",
      simulated: peakOffset,
      bound: `within ±${CASCADE_TOLERANCE.peakMinutes}`,
      pass: Math.abs(peakOffset) <= CASCADE_TOLERANCE.peakMinutes,
      fitted: false,
    },
    {
      name: "share liquidated in 21:00 → 21:30",
      simulated: inWindow / t.liquidatedNotionalUsd,
      bound: `≥ ${CASCADE_TOLERANCE.cascadeShareMin}`,
      pass: inWindow / t.liquidatedNotionalUsd >= CASCADE_TOLERANCE.cascadeShareMin,
      fitted: false,
    },
    {
      name: "long share of the liquidated notional",
      simulated: longShare,
      bound: `≥ ${CASCADE_TOLERANCE.longShareMin} (${CASCADE_TARGETS.longShare.toFixed(2)} across venues)`,
      pass: longShare >= CASCADE_TOLERANCE.longShareMin,
      fitted: false,
    },
    {
      name: "open interest a side (USD)",
      simulated:
        run.scenario.populationSource.kind === "drawn"
          ? run.scenario.populationSource.spec.openInterest
          : Number.NaN,
      bound: `≤ ${m(CASCADE_TARGETS.binanceBtcOiUsd)} (Binance's Bitcoin futures)`,
      pass:
        run.scenario.populationSource.kind === "drawn" &&
        run.scenario.populationSource.spec.openInterest <= CASCADE_TARGETS.binanceBtcOiUsd,
      fitted: true,
    },
    {
      name: "lowest venue mark − trade low (share)",
      simulated: lowest / CASCADE_TARGETS.tradeLow - 1,
      bound: `within ±${CASCADE_TOLERANCE.lowTolerance}`,
      pass: Math.abs(lowest / CASCADE_TARGETS.tradeLow - 1) <= CASCADE_TOLERANCE.lowTolerance,
      fitted: true,
    },
    {
      name: "ADL events",
      simulated: t.adlEvents,
      bound: "0 (fund not exhausted)",
      pass: t.adlEvents === 0 && !t.fundExhausted,
      fitted: false,
    },
    {
      name: "largest fund drawdown (USD)",
      simulated: drawdown,
      bound: `≤ ${m(CASCADE_TARGETS.fundDrawdownMaxUsd)}`,
      pass: drawdown <= CASCADE_TARGETS.fundDrawdownMaxUsd,
      fitted: false,
    },
  ];
}

/** What a report says about reconciliation: true only for the calibrated configuration. */
export interface Reconciliation {
  readonly reconciled: boolean;
  readonly note: string;
}

let calibrated: Scenario | undefined;

/** The parts of a scenario that make it a configuration: everything but the drawn columns. */
function configuration(s: Scenario): unknown {
  const p = s.path;
  return {
    book: s.populationSource,
    tiers: s.tiersSource,
    venue: s.venue,
    path:
      p.kind === "replay"
        ? { dataset: p.dataset, from: p.timesMs[0], steps: s.steps, mark: p.mark, depth: p.depth }
        : p,
  };
}

/**
 * Whether `scenario` is the calibrated configuration of 2025-10-10 ({@link cascadeScenarioDocument}
 * with {@link CALIBRATED_CASCADE}: same book spec and seed, tiers, venue settings and replay);
 * only that configuration is reconciled, every other scenario is not.
 */
export function cascadeReconciliation(scenario: Scenario): Reconciliation {
  if (scenario.path.kind === "replay" && scenario.path.dataset === "btc-1m-2025-10-10") {
    calibrated ??= cascadeScenario(CALIBRATED_CASCADE);
    if (isDeepStrictEqual(configuration(scenario), configuration(calibrated))) {
      const { lower, upper, target } = cascadeTargetUsd();
      return {
        reconciled: true,
        note: `the calibrated Binance-like BTCUSDT book of 2025-10-10 (open interest ${(CALIBRATED_CASCADE.openInterestUsd / 1e9).toFixed(3)} bn USD a side and impact Y ${CALIBRATED_CASCADE.impactY} fitted to ${(target / 1e9).toFixed(2)} bn USD liquidated; published bounds ${(lower / 1e9).toFixed(2)} … ${(upper / 1e9).toFixed(1)} bn, and to the 101,516.5 trade low; peak within ±${CASCADE_TOLERANCE.peakMinutes} min of the 21:20 low, no ADL): docs/cascade-reconciliation.md; the reconciliation holds for this configuration only`,
      };
    }
  }
  return {
    reconciled: false,
    note: "this perp venue model is reconciled with the 2025-10-10 cascade only in its calibrated configuration (examples/venue/binance-2025-10-10-calibrated.json, docs/cascade-reconciliation.md); this scenario differs from it, so read its numbers, and any what-if, as unvalidated",
  };
}

/**
 * Liquidator agents for the perp venue engine ({@link PerpVenue}): who buys the positions the venue
 * took over, instead of a fixed notional per step (issue 11, "Liquidators and bidding"). A pool of
 * agents in structure-of-arrays columns — capital, latency, fees and gas, required margin,
 * inventory-risk aversion, withdrawal under stress — to which the engine offers each queued position
 * in every round of a step ({@link LiquidatorPool.take}). Nothing is scripted: a position is left in
 * the queue when no agent is willing (the premium does not pay) and able (latency passed, capital
 * free and not withdrawn, transaction mined). Every rule is an item of docs/assumptions.md,
 * "Venue simulator: liquidators".
 *
 * An agent a offered the notional `N` (at the round's mark M, at most what its capital allows) of a
 * position queued at step `t_q`, at step t, takes it when
 * 1. it can reach it: `t − t_q ≥ latency_a`;
 * 2. it has capital: it commits at most `w_a·free_a`, the withdrawal factor
 *    `w_a = max(0, 1 − |ln(M/M_prev)|/W_a)` falling with the realized move of the step (M_prev the
 *    previous step's mark; none at the first step), so `N ≤ w_a·free_a/(1 − π)`;
 * 3. the premium pays (the rational keeper's reservation, {@link keeperReservation}): it buys the
 *    position for the outlay `B = (1 − π)·N` (π the venue's premium: its liquidation discount, fee
 *    to the liquidator or bonus) and takes it when `B ≤ (N − c)/(1 + m_a)` with the costs
 *    `c = fee_a + gas_a·g_t + N·|ΔI(N)| + k_a·σ·√H·N`: fees, gas at the gas multiplier g_t of the
 *    step, the slippage of selling N into the book (the square-root law of the venue's impact,
 *    {@link ImpactFeedback.impactOf}, 0 without one), and an inventory-risk charge of k_a standard
 *    deviations of the price over the H steps it holds the inventory. With m = 0 this is
 *    `π·N ≥ c`;
 * 4. its transaction lands: it fails with probability `p` (a seeded stream), and the next agent
 *    may try.
 * Agents are asked in order of latency, ties broken by a key drawn afresh each step from the pool's
 * seeded stream; a position larger than one agent's capital is shared by several. The outlay is tied
 * up until the inventory is sold: it returns to the agent's free capital at the start of step
 * `t + H + 1`.
 */
import { InputError } from "../../errors.js";
import { Xoshiro128 } from "../../math/random.js";
import { readArray, readNumber, readOptionalNumber, readRecord, withField } from "../../validate.js";
import { keeperReservation } from "../keeper-reservation.js";
import type { ImpactFeedback } from "./impact-feedback.js";

/** One kind of liquidator agent (`count` identical agents). */
export interface LiquidatorAgentSpec {
  /** Capital it can commit (USD > 0). */
  readonly capitalUsd: number;
  /** Steps after a position is queued before the agent can act on it (whole, ≥ 0). */
  readonly latencySteps: number;
  /** Fees per liquidation (USD ≥ 0). */
  readonly feeUsd: number;
  /** Gas per transaction at gas multiplier 1 (USD ≥ 0). */
  readonly gasUsd: number;
  /** Required profit over the outlay, a fraction ≥ 0. */
  readonly margin: number;
  /** Inventory-risk aversion k: standard deviations of the holding-period move it charges (≥ 0). */
  readonly riskAversion: number;
  /** Absolute log move of a step at which it withdraws all its capital (> 0); absent: never. */
  readonly withdrawalMove?: number;
  /** Identical agents of this kind (whole, ≥ 1; default 1). */
  readonly count?: number;
}

/** The pool and the venue's premium. */
export interface LiquidatorPoolParams {
  readonly agents: readonly LiquidatorAgentSpec[];
  /** The venue's premium to the liquidator, a fraction π of the notional in [0, 1). */
  readonly premiumRate: number;
  /** Steps the inventory is held before it is sold (whole, ≥ 0); capital returns after them. */
  readonly holdingSteps: number;
  /** The standard deviation of the price over one step, a fraction ≥ 0 (the inventory risk). */
  readonly stepVol: number;
  /** Probability that a liquidation transaction fails, in [0, 1) (default 0). */
  readonly txFailure?: number;
  /** Gas-price multipliers per step (> 0); step t reads `gasPath[min(t, length − 1)]` (default 1). */
  readonly gasPath?: readonly number[];
  /** Seed of the failures and the tie-breaks (whole, default 1). */
  readonly seed?: number;
}

/**
 * Reads and checks a liquidator pool (an object, e.g. parsed JSON), naming the field under `field`
 * of a bad value (`liquidators.agents[2].capitalUsd`) and the fix.
 */
export function readLiquidatorPool(raw: unknown, field = "liquidators"): LiquidatorPoolParams {
  const r = readRecord(raw, field, "Give { agents: [...], premiumRate, holdingSteps, stepVol }.");
  const agents = readArray(r.agents, `${field}.agents`, "Give a list of agent kinds.").map((a, i) =>
    readAgent(a, `${field}.agents[${i}]`),
  );
  if (agents.length === 0)
    throw new InputError(`${field}.agents`, 0, "is empty", "Give at least one agent kind.");
  const gasPath =
    r.gasPath === undefined
      ? undefined
      : readArray(r.gasPath, `${field}.gasPath`, "Give one gas multiplier per step.").map((g, i) =>
          readNumber(g, `${field}.gasPath[${i}]`, {
            min: 0,
            exclusiveMin: true,
            fix: "Give the step's gas price as a multiple of normal, e.g. 6.",
          }),
        );
  if (gasPath?.length === 0)
    throw new InputError(`${field}.gasPath`, 0, "is empty", "Give one multiplier per step, or leave it out.");
  const txFailure = readOptionalNumber(r.txFailure, `${field}.txFailure`, {
    min: 0,
    max: 0.999,
    fix: "Give the probability that a transaction fails, e.g. 0.2.",
  });
  const seed = r.seed === undefined ? undefined : readWhole(r.seed, `${field}.seed`, "Give a seed, e.g. 1.");
  return {
    agents,
    premiumRate: readNumber(r.premiumRate, `${field}.premiumRate`, {
      min: 0,
      max: 0.999,
      fix: "Give the venue's premium as a fraction of the notional, e.g. 0.01.",
    }),
    holdingSteps: readWhole(
      r.holdingSteps,
      `${field}.holdingSteps`,
      "Give the steps to sell the inventory, e.g. 3.",
    ),
    stepVol: readNumber(r.stepVol, `${field}.stepVol`, {
      min: 0,
      fix: "Give the price's standard deviation over one step as a fraction, e.g. 0.003.",
    }),
    ...(txFailure === undefined ? {} : { txFailure }),
    ...(gasPath === undefined ? {} : { gasPath }),
    ...(seed === undefined ? {} : { seed }),
  };
}

function readAgent(raw: unknown, field: string): LiquidatorAgentSpec {
  const a = readRecord(
    raw,
    field,
    "Give { capitalUsd, latencySteps, feeUsd, gasUsd, margin, riskAversion }.",
  );
  const amount = (key: string, fix: string) => readNumber(a[key], `${field}.${key}`, { min: 0, fix });
  const withdrawalMove = readOptionalNumber(a.withdrawalMove, `${field}.withdrawalMove`, {
    min: 0,
    exclusiveMin: true,
    fix: "Give the absolute log move of a step that empties its capital, e.g. 0.05, or leave it out.",
  });
  const count =
    a.count === undefined ? undefined : readWhole(a.count, `${field}.count`, "Give a whole number ≥ 1.");
  if (count === 0)
    throw new InputError(`${field}.count`, 0, "must be at least 1", "Give a whole number ≥ 1.");
  return {
    capitalUsd: readNumber(a.capitalUsd, `${field}.capitalUsd`, {
      min: 0,
      exclusiveMin: true,
      fix: "Give the capital the agent can commit, in USD, e.g. 5e6.",
    }),
    latencySteps: readWhole(a.latencySteps, `${field}.latencySteps`, "Give whole steps, e.g. 0."),
    feeUsd: amount("feeUsd", "Give the fees of one liquidation in USD, e.g. 5."),
    gasUsd: amount("gasUsd", "Give the gas of one transaction in USD, e.g. 2."),
    margin: amount("margin", "Give the required profit over the outlay as a fraction, e.g. 0.001."),
    riskAversion: amount(
      "riskAversion",
      "Give k, the standard deviations of inventory risk charged, e.g. 1.",
    ),
    ...(withdrawalMove === undefined ? {} : { withdrawalMove }),
    ...(count === undefined ? {} : { count }),
  };
}

function readWhole(value: unknown, field: string, fix: string): number {
  const x = readNumber(value, field, { min: 0, fix });
  if (!Number.isInteger(x)) throw new InputError(field, x, "must be a whole number", fix);
  return x;
}

/**
 * The agents of a venue path. All memory is allocated by the constructor; {@link take} allocates
 * nothing, {@link reset} one random stream.
 */
export class LiquidatorPool {
  /** The venue's premium π (a fraction of the filled notional, paid by the fund to the agent). */
  readonly premiumRate: number;
  /**
   * Positions left whole in the queue at least once because every agent that could reach them was
   * unwilling (the premium did not pay) or unable (no free capital) — not for failed transactions
   * (this path).
   */
  leftQueued = 0;
  /** Transactions that failed (this path). */
  failedTransactions = 0;
  private readonly capital: Float64Array;
  private readonly free: Float64Array;
  private readonly latency: Int32Array;
  private readonly fee: Float64Array;
  private readonly gas: Float64Array;
  private readonly margin: Float64Array;
  private readonly riskCharge: Float64Array;
  private readonly withdrawal: Float64Array;
  /** The agents in the step's order, and their tie-break keys. */
  private readonly order: Int32Array;
  private readonly key: Float64Array;
  /** Outlays to return, agent a's bucket for step s at `a·(H + 1) + s mod (H + 1)`. */
  private readonly release: Float64Array;
  private readonly holding: number;
  private readonly txFailure: number;
  private readonly gasPath: Float64Array;
  private readonly seed: number;
  private readonly impact: ImpactFeedback | undefined;
  /** Per position: turned down (1) or not (0). */
  private readonly declined: Uint8Array;
  private rng: Xoshiro128;
  /** The step the order and the capital are current for (−1 before the first). */
  private current = -1;

  /**
   * Builds the pool for a venue of `positions` positions; `impact` is the venue's impact model (the
   * agents' slippage), undefined for none.
   *
   * @throws InputError naming the field (`liquidators.agents[0].latencySteps`, …) of a bad parameter.
   */
  constructor(params: LiquidatorPoolParams, positions: number, impact: ImpactFeedback | undefined) {
    const p = readLiquidatorPool(params);
    let n = 0;
    for (const a of p.agents) n += a.count ?? 1;
    this.capital = new Float64Array(n);
    this.free = new Float64Array(n);
    this.latency = new Int32Array(n);
    this.fee = new Float64Array(n);
    this.gas = new Float64Array(n);
    this.margin = new Float64Array(n);
    this.riskCharge = new Float64Array(n);
    this.withdrawal = new Float64Array(n);
    this.order = new Int32Array(n);
    this.key = new Float64Array(n);
    this.holding = p.holdingSteps;
    this.release = new Float64Array(n * (p.holdingSteps + 1));
    const risk = p.stepVol * Math.sqrt(p.holdingSteps);
    let i = 0;
    for (const a of p.agents) {
      for (let c = 0; c < (a.count ?? 1); c++, i++) {
        this.capital[i] = a.capitalUsd;
        this.latency[i] = a.latencySteps;
        this.fee[i] = a.feeUsd;
        this.gas[i] = a.gasUsd;
        this.margin[i] = a.margin;
        this.riskCharge[i] = a.riskAversion * risk;
        this.withdrawal[i] = a.withdrawalMove ?? Number.POSITIVE_INFINITY;
      }
    }
    this.premiumRate = p.premiumRate;
    this.txFailure = p.txFailure ?? 0;
    this.gasPath = Float64Array.from(p.gasPath ?? [1]);
    this.seed = p.seed ?? 1;
    this.impact = impact;
    this.declined = new Uint8Array(positions);
    this.rng = new Xoshiro128(this.seed);
    this.reset();
  }

  /** Back to the start of a path: all capital free, nothing declined; the stream from `seed` (default the pool's). */
  reset(seed = this.seed): void {
    this.free.set(this.capital);
    this.release.fill(0);
    this.declined.fill(0);
    this.leftQueued = 0;
    this.failedTransactions = 0;
    this.current = -1;
    this.rng = new Xoshiro128(seed);
  }

  /**
   * Offers the agents `held` base units (signed) of the queued position `slot`, taken over at step
   * `queuedAt`, at the round's mark `mark` of step `t` (`previousMark` the last step's mark, NaN at
   * the first); returns the size they take (0 to `held`, exactly `held` when taken whole), by the
   * rules of the module comment. Steps are non-decreasing within a path.
   */
  take(slot: number, held: number, mark: number, previousMark: number, queuedAt: number, t: number): number {
    if (t !== this.current) this.beginStep(t);
    const notional = Math.abs(held) * mark;
    const move = previousMark > 0 ? Math.abs(Math.log(mark / previousMark)) : 0;
    const gasMultiplier = this.gasPath[Math.min(t, this.gasPath.length - 1)] as number;
    const keep = 1 - this.premiumRate;
    const slotH = this.holding + 1;
    let left = notional;
    let reached = false;
    let willing = false;
    for (let j = 0; j < this.order.length && left > 0; j++) {
      const a = this.order[j] as number;
      if (t - queuedAt < (this.latency[a] as number)) continue;
      reached = true;
      const budget = (this.free[a] as number) * Math.max(0, 1 - move / (this.withdrawal[a] as number));
      if (!(budget > 0)) continue;
      const n = Math.min(left, budget / keep);
      const slippage = this.impact === undefined ? 0 : n * Math.abs(this.impact.impactOf(n, t));
      const cost =
        (this.fee[a] as number) +
        (this.gas[a] as number) * gasMultiplier +
        slippage +
        (this.riskCharge[a] as number) * n;
      const outlay = keep * n;
      if (!(outlay <= keeperReservation(n, cost, this.margin[a] as number))) continue;
      willing = true;
      if (this.txFailure > 0 && this.rng.next() < this.txFailure) {
        this.failedTransactions++;
        continue;
      }
      this.free[a] = (this.free[a] as number) - outlay;
      const bucket = a * slotH + (t % slotH);
      this.release[bucket] = (this.release[bucket] as number) + outlay;
      left = n === left ? 0 : left - n;
    }
    if (left === notional && reached && !willing && this.declined[slot] === 0) {
      this.declined[slot] = 1;
      this.leftQueued++;
    }
    return left === 0 ? held : left === notional ? 0 : held * (1 - left / notional);
  }

  /**
   * Moves the pool to step t: returns the outlays due at the steps since the last (at most the H + 1
   * buckets), draws each agent's tie-break key and orders the agents by (latency, key).
   */
  private beginStep(t: number): void {
    const slotH = this.holding + 1;
    // the outlay of step c sits in bucket c mod (H + 1) and is due at c + H + 1: of the steps since
    // the last, the last H + 1 hold every residue once
    const from = this.current < 0 ? t : Math.max(this.current + 1, t - this.holding);
    for (let s = from; s <= t; s++) {
      const b = s % slotH;
      for (let a = 0; a < this.free.length; a++) {
        const k = a * slotH + b;
        this.free[a] = (this.free[a] as number) + (this.release[k] as number);
        this.release[k] = 0;
      }
    }
    this.current = t;
    const order = this.order;
    for (let a = 0; a < order.length; a++) {
      this.key[a] = (this.latency[a] as number) + this.rng.next();
      // insertion by (latency, key): latency is whole and the key in [0, 1)
      let j = a;
      while (j > 0 && (this.key[order[j - 1] as number] as number) > (this.key[a] as number)) {
        order[j] = order[j - 1] as number;
        j--;
      }
      order[j] = a;
    }
  }
}

/** Reads `venue.liquidators` of a scenario (see {@link readLiquidatorPool}), its fields named under `venue`. */
export function readScenarioLiquidators(raw: unknown): LiquidatorPoolParams {
  return withField("venue", () => readLiquidatorPool(raw));
}

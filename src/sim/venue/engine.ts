/**
 * A perp venue on one linear symbol stepping a mark-price path over a {@link PerpPopulation}: a
 * Binance-like take-over liquidation engine with an insurance fund, a capacity-limited liquidator
 * queue, transient price impact of the liquidation flow (cascades), and bad-debt socialization by a
 * pluggable ADL policy ({@link applyAdlPolicy}) when the fund runs out; with `params.liquidators`
 * the queue is closed by liquidator agents ({@link LiquidatorPool}) instead of a fixed capacity: a
 * position none of them is willing and able to buy waits. Every modelling choice is an
 * item of docs/assumptions.md, "Venue simulator: engine" (items 38–46).
 *
 * Per step t (exogenous mark X_t):
 * 1. the carried impact decays and the mark is `M = X_t·exp(I)` ({@link ImpactFeedback});
 * 2. rounds, until a round crosses nothing new or closes nothing: every position the mark crosses
 *    (the {@link LiquidationIndex}: a tick costs its crossings) is taken over — the account loses
 *    its isolated margin to the fund — and joins the back of a FIFO queue; from the front of the
 *    queue the engine closes up to the step's remaining capacity (notional at the round's mark,
 *    the last position partly) — or, with agents, what they take of each queued position, the fund
 *    paying them the premium `π·|s|·F` out of the position's equity — the round's closes move the mark by the impact of the step's net
 *    flow so far, and they fill at that moved mark F: the fund receives `s·(F − E)` for each close
 *    of s base units of entry E. A position's clearance fee is `min(rate·Σ|s|·F, equity)` of its
 *    equity at the fills `m + Σ s·(F − E)`, a share of what the fund receives; a negative equity is
 *    bad debt the fund pays; the rounds that crossed a position are the step's cascade depth;
 * 3. when the fund is negative, the deficit is socialized by the ADL policy on the winners: the
 *    positions of the side opposite to the step's larger fill losses that are in profit at the
 *    mark; a haircut x of a winner of PnL w closes the share x/w of its position (assumption 24),
 *    the whole position for the queue policies; what ADL cannot cover is written off (uncovered).
 *    The contract-space queues (`queue-contracts`, `queue-hyperliquid-contracts`) instead close the
 *    bankrupt contracts the fund cannot absorb against the ranked winners at the bankruptcy price
 *    (src/sim/venue/adl-contracts.ts; assumptions 112–113).
 *
 * With `procedure: { kind: "hyperliquid", … }` step 2 follows Hyperliquid's procedure instead
 * ({@link HyperliquidLiquidations}, src/sim/venue/procedure-hyperliquid.ts): a crossed position is
 * liquidated by market orders (20 % above the threshold, then full within the cooldown) that join
 * the round's flow and fill at its impacted mark; below the backstop ratio the take-over above is
 * booked to the backstop vault instead of the fund; a bankrupt position's negative equity goes to
 * the fund (0 on Hyperliquid), hence to ADL; the vault's losses beyond its capital pass to the fund.
 * With `procedure: { kind: "drift-v2", … }` ({@link DriftLiquidations}, src/sim/venue/procedure-drift.ts)
 * a crossed position is taken over at the mark by a liquidator (fees to it and to the fund, the base
 * that covers the buffered shortage), whose sale joins the round's flow; a bankruptcy's loss beyond
 * the fund is socialized through funding on the open positions at the end of the step.
 *
 * With `procedure: { kind: "dydx-v4", … }` step 2 follows dYdX v4's procedure instead
 * ({@link DydxLiquidations}, src/sim/venue/procedure-dydx.ts): each round is a block in which a
 * liquidatable position gets an order of the block's size at its fillable price, filled at the
 * round's impacted mark when that is at or better than the limit, the fund paying or receiving the
 * difference to the bankruptcy quote; a bankrupt position whose order fills nothing is deleveraged
 * against the opposite positions from a random start.
 *
 * With `procedure: { kind: "gmx-v2", … }` the step is GMX v2's instead ({@link GmxPoolLiquidations},
 * src/sim/venue/procedure-gmx.ts): the GM pool is every trader's counterparty, keepers liquidate at
 * the oracle (the exogenous mark, unmoved) what the rulebook liquidates, the pool bears the
 * shortfalls, and pool ADL decreases the winners of a side whose PnL-to-pool factor is too high; the
 * fund, the queue and steps 2–3 above are not used.
 *
 * The ledger ({@link VenueLedger}) books every movement double-entry; the population is never
 * written to: the venue works on its own copies, which {@link PerpVenue.reset} restores.
 */
import { InputError } from "../../errors.js";
import { type FlatTiers, flattenTiers } from "../../margin/batch.js";
import { LiquidationIndex } from "../../margin/liquidation-index.js";
import { readNumber } from "../../validate.js";
import { BankruptContracts, matchBankruptContracts } from "./adl-contracts.js";
import { type AdlEventMetrics, adlEventMetrics } from "./adl-metrics.js";
import {
  applyAdlPolicy,
  type ContractAdlPolicyName,
  contractQueueScore,
  isContractPolicy,
  VENUE_ADL_POLICIES,
  type VenueAdlPolicyName,
} from "./adl-policy.js";
import { profitLeverageScores } from "./adl-queue.js";
import type { AdlWinners } from "./adl-winners.js";
import { checkDepthScale, ImpactFeedback, type ImpactFeedbackParams } from "./impact-feedback.js";
import { VenueLedger } from "./ledger.js";
import { LiquidatorPool, type LiquidatorPoolParams } from "./liquidators.js";
import type { PerpPopulation } from "./population.js";
import { resizePosition } from "./position-columns.js";
import {
  checkDriftProcedure,
  type DriftCounts,
  DriftLiquidations,
  type DriftProcedureParams,
} from "./procedure-drift.js";
import {
  checkDydxProcedure,
  type DydxCounts,
  DydxLiquidations,
  type DydxProcedureParams,
} from "./procedure-dydx.js";
import {
  checkGmxProcedure,
  GmxPoolLiquidations,
  type GmxPoolTotals,
  type GmxProcedureParams,
} from "./procedure-gmx.js";
import {
  checkHyperliquidProcedure,
  type HyperliquidCounts,
  HyperliquidLiquidations,
  type HyperliquidProcedureParams,
  type VenueColumns,
} from "./procedure-hyperliquid.js";

/** What the venue is: its fund, fee, liquidation capacity, impact and ADL policy. */
export interface PerpVenueParams {
  /** Starting insurance fund balance (USD, ≥ 0). */
  readonly insuranceFundUsd: number;
  /** Clearance fee on the liquidated notional (Binance), a fraction in [0, 1); part of what the fund receives. */
  readonly liquidationFeeRate: number;
  /** Notional the liquidation engine can close per step (USD > 0; Infinity: no limit); the rest waits. */
  readonly liquidatorCapacityUsdPerStep: number;
  /**
   * Liquidator agents who buy the queued positions for the venue's premium (src/sim/venue/liquidators.ts);
   * given, they replace the capacity (which is then ignored).
   */
  readonly liquidators?: LiquidatorPoolParams;
  /** Transient impact of the liquidation flow; absent: no price feedback. */
  readonly impact?: ImpactFeedbackParams;
  /** Per-step multiplier of the daily volume (thin book < 1); step t reads `depthScale[min(t, length − 1)]`. */
  readonly depthScale?: Float64Array;
  /** The bad-debt socialization policy: a wealth-space one, or a contract-space queue (`queue-contracts`, `queue-hyperliquid-contracts`). */
  readonly adlPolicy: VenueAdlPolicyName;
  /** Capped pro-rata: the largest haircut as a share of a winner's equity (required by that policy). */
  readonly capOfEquity?: number;
  /** The liquidation procedure, by its `kind`; absent: the Binance-like take-over by the insurance fund. */
  readonly procedure?: VenueProcedureParams;
}

/** The liquidation procedures besides the default take-over, by `kind`. */
export type VenueProcedureParams =
  | HyperliquidProcedureParams
  | DydxProcedureParams
  | DriftProcedureParams
  | GmxProcedureParams;

/** What a procedure does in {@link PerpVenue.step}: handle a crossing, and its orders in the round's flow. */
interface LiquidationProcedure {
  /** Handles the crossed `slot`; false leaves it to the engine's take-over (Hyperliquid's backstop). */
  liquidate(slot: number, mark: number, t: number, r: VenueStepRecord): boolean;
  readonly pendingOrders: number;
  /** The round's order flow at `mark`, given the step's liquidation flow so far. */
  flowAt(mark: number, flowSoFar: number): number;
  fillOrders(fill: number, r: VenueStepRecord): void;
  reset(): void;
}

/** What happened at the last step (overwritten by each {@link PerpVenue.step}). */
export interface VenueStepRecord {
  /** Index of the step (0 for the first after a reset). */
  step: number;
  exogenousMark: number;
  /** The mark after the step's impact. */
  mark: number;
  /**
   * Positions the mark crossed and the engine took over (Hyperliquid procedure: positions liquidated
   * for the first time, by a market order, the vault or a bankrupt close).
   */
  takenOver: number;
  /** Of those, the positions the exogenous path alone had not crossed (impact-induced). */
  impactInduced: number;
  /** Positions whose last part was closed this step. */
  closed: number;
  /** Notional closed at the fills, Σ|s|·F (USD). */
  liquidatedNotionalUsd: number;
  /** Positions taken over and still (partly) waiting in the queue after the step. */
  queued: number;
  /** Σ max(0, −equity at the fills) of the positions whose last part closed this step (USD). */
  badDebtUsd: number;
  /** Clearance fees of the positions closed this step (USD). */
  feesUsd: number;
  /** The deficit the fund could not cover, before socialization (USD). */
  adlNeededUsd: number;
  /** What the ADL policy took from the winners (USD). */
  adlExecutedUsd: number;
  /** Winners with a haircut > 0. */
  adlPayers: number;
  /** Fund balance after the step (USD). */
  fundUsd: number;
  /**
   * The cascade's depth: rounds of step 2 in which the mark crossed a position (the first round's
   * crossings by the step's mark, each later one's by the impact of the closes before it); 0 when
   * nothing crossed, 1 when the impact crossed nothing more; 0 under GMX v2 (no rounds).
   */
  cascadeDepth: number;
}

/** Totals of the path so far (reset by {@link PerpVenue.reset}). */
export interface VenueTotals {
  steps: number;
  takenOver: number;
  impactInduced: number;
  closed: number;
  liquidatedNotionalUsd: number;
  /** Bad debt of the positions closed so far (USD). */
  badDebtUsd: number;
  /**
   * Bad debt of the positions still in the queue, valued at the current mark:
   * `Σ max(0, −(m + realized + h·(M − E)))` over the held size h (USD; recomputed each step).
   */
  pendingBadDebtUsd: number;
  feesUsd: number;
  /** Steps with a deficit (ADL events). */
  adlEvents: number;
  adlNeededUsd: number;
  adlExecutedUsd: number;
  /** Σ max(0, executed − needed) over the events. */
  adlOvershootUsd: number;
  /** Bad debt neither the fund nor ADL covered (USD ≥ 0). */
  uncoveredUsd: number;
  /** Whether the fund ran out (some step had a deficit; Drift's procedure: some loss was socialized through funding). */
  fundExhausted: boolean;
  minFundUsd: number;
}

/** A haircut of at least this share of a winner's PnL closes the whole position. */
const WHOLE = 1 - 1e-12;
const LONG = 0;
const SHORT = 1;

/**
 * The simulated venue. All scratch memory is allocated by the constructor; {@link reset} and
 * {@link step} allocate nothing except in an ADL event (the policies sort and weigh the winners).
 */
export class PerpVenue {
  /** The step just simulated. */
  readonly record = {} as VenueStepRecord;
  /** The path totals. */
  readonly totals = {} as VenueTotals;
  /** The cash ledger (balances and flows). */
  readonly ledger = new VenueLedger();
  /** Per position: the step it was taken over at, −1 if never. */
  readonly liquidatedAt: Int32Array;
  /** Per position: the ADL haircuts it paid (USD). */
  readonly haircutUsd: Float64Array;
  /** Current signed size per position (0 once taken over or closed by ADL). */
  readonly size: Float64Array;
  /** Current margin per position: the population's, plus the PnL its market liquidations realized. */
  readonly margin: Float64Array;
  /** The Hyperliquid procedure when the venue follows it (its action counts over the path). */
  readonly hyperliquid: HyperliquidLiquidations | undefined;
  /** The dYdX v4 procedure when the venue follows it (its outcome counts over the path). */
  readonly dydx: DydxLiquidations | undefined;
  /** Drift v2's procedure when the venue follows it (its transfers, fees and socialized loss over the path). */
  readonly drift: DriftLiquidations | undefined;
  /** The procedure the step dispatches to (one of the above, or none). */
  private readonly procedure: LiquidationProcedure | undefined;
  /** The liquidator agents, when the venue has them (else the fixed capacity closes the queue). */
  readonly liquidators: LiquidatorPool | undefined;
  /** GMX v2's pool procedure when the venue follows it (the pool's totals over the path). */
  readonly gmx: GmxPoolLiquidations | undefined;
  /** Per ADL event of the path so far: its metrics ({@link adlEventMetrics} on the winners, the deficit and the haircuts). */
  readonly adlMetrics: AdlEventMetrics[] = [];
  /** The bankrupt contracts the fund paid for, which a contract-space queue deleverages. */
  private readonly bankrupt: BankruptContracts;
  private readonly population: PerpPopulation;
  private readonly flat: FlatTiers;
  private readonly fund0: number;
  private readonly feeRate: number;
  private readonly capacity: number;
  private readonly policy: VenueAdlPolicyName;
  private readonly capOfEquity: number;
  private readonly impact: ImpactFeedback | undefined;
  private readonly start: LiquidationIndex;
  private readonly index: LiquidationIndex;
  private readonly collateral0: number;
  private readonly liquidationPrice: Float64Array;
  /** The position columns the procedures share, and {@link resizePosition} writes. */
  private readonly columns: VenueColumns;
  /** Taken-over size the fund still holds, the size taken over, its realized PnL, and the notional filled so far. */
  private readonly held: Float64Array;
  private readonly taken: Float64Array;
  private readonly realized: Float64Array;
  private readonly filled: Float64Array;
  /** The FIFO queue of taken-over slots, a ring of `n` entries (a slot enters once). */
  private readonly queue: Int32Array;
  private head = 0;
  private tail = 0;
  private readonly crossedOut: Int32Array;
  /** Closes of one round: slot and size. */
  private readonly closeSlot: Int32Array;
  private readonly closeSize: Float64Array;
  /** ADL scratch: the winners' columns, their slots, the haircuts and the policy's scratch. */
  private readonly wPnl: Float64Array;
  private readonly wEquity: Float64Array;
  private readonly wNotional: Float64Array;
  private readonly wSlot: Int32Array;
  private readonly wOut: Float64Array;
  private readonly wScratch: Float64Array;
  /** Contract-space ADL scratch: each winner's absolute size and its matched contracts. */
  private readonly wQuantity: Float64Array;
  private readonly wMatched: Float64Array;
  private t = 0;
  private markNow: number;
  private runMin = Number.POSITIVE_INFINITY;
  private runMax = 0;
  /** Σ negative fill PnL of the step, per side (the losers' side picks the winners). */
  private readonly stepLoss = new Float64Array(2);
  /** The step's exogenous mark, carried log impact and trade/mark ratio (for {@link fillFor}). */
  private exoNow = Number.NaN;
  private carriedNow = 0;
  private tradeRatioNow = 1;
  /** The step's fill price for a total liquidation flow of the step (the round loop's `fill`). */
  private readonly fillFor = (flow: number): number => {
    const impact = this.impact;
    const log = impact === undefined ? this.carriedNow : this.carriedNow + impact.impactOf(flow, this.t);
    return this.exoNow * Math.exp(log) * this.tradeRatioNow;
  };

  /**
   * Builds the venue on `population` (read, never written) with `params`.
   *
   * @throws InputError naming the field of a bad parameter (negative fund, NaN capacity, half-life
   *   ≤ 0, unknown policy, …) or a position with a non-positive margin.
   */
  constructor(population: PerpPopulation, params: PerpVenueParams) {
    const n = population.length;
    this.population = population;
    this.fund0 = readNumber(params.insuranceFundUsd, "insuranceFundUsd", {
      min: 0,
      fix: "Pass the starting insurance fund balance in USD (0 for none).",
    });
    this.feeRate = readNumber(params.liquidationFeeRate, "liquidationFeeRate", {
      min: 0,
      max: 0.999,
      fix: "Pass a fraction of the liquidated notional, e.g. 0.003 (Binance BTCUSDT).",
    });
    this.capacity = readCapacity(params.liquidatorCapacityUsdPerStep);
    if (!(VENUE_ADL_POLICIES as readonly string[]).includes(params.adlPolicy)) {
      throw new InputError(
        "adlPolicy",
        params.adlPolicy,
        "is not a known ADL policy",
        `Use one of ${VENUE_ADL_POLICIES.join(", ")}.`,
      );
    }
    this.policy = params.adlPolicy;
    this.capOfEquity =
      params.adlPolicy === "capped-pro-rata" || params.capOfEquity !== undefined
        ? readNumber(params.capOfEquity, "capOfEquity", {
            min: 0,
            exclusiveMin: true,
            max: 1,
            fix: "Pass the largest haircut as a share of a winner's equity, e.g. 0.02.",
          })
        : 1;
    if (params.depthScale !== undefined) checkDepthScale(params.depthScale);
    this.impact =
      params.impact === undefined ? undefined : new ImpactFeedback(params.impact, params.depthScale);
    this.liquidators =
      params.liquidators === undefined ? undefined : new LiquidatorPool(params.liquidators, n, this.impact);
    let collateral = 0;
    for (let i = 0; i < n; i++) {
      const m = population.isolatedMargin[i] as number;
      if (!(m > 0 && Number.isFinite(m)) && population.size[i] !== 0) {
        throw new InputError(
          `population.isolatedMargin[${i}]`,
          m,
          "must be a finite margin > 0",
          "Give every position its isolated margin.",
        );
      }
      collateral += m;
    }
    this.collateral0 = collateral;
    this.flat = flattenTiers(population.tiers);
    this.start = LiquidationIndex.fromColumns(population.size, population.liquidationPrice);
    this.index = LiquidationIndex.fromColumns(population.size, population.liquidationPrice);
    this.liquidatedAt = new Int32Array(n);
    this.haircutUsd = new Float64Array(n);
    this.size = new Float64Array(n);
    this.margin = new Float64Array(n);
    this.liquidationPrice = new Float64Array(n);
    this.held = new Float64Array(n);
    this.taken = new Float64Array(n);
    this.realized = new Float64Array(n);
    this.filled = new Float64Array(n);
    this.queue = new Int32Array(n);
    this.crossedOut = new Int32Array(n);
    this.closeSlot = new Int32Array(n);
    this.closeSize = new Float64Array(n);
    this.wPnl = new Float64Array(n);
    this.wEquity = new Float64Array(n);
    this.wNotional = new Float64Array(n);
    this.wSlot = new Int32Array(n);
    this.wOut = new Float64Array(n);
    this.wScratch = new Float64Array(n);
    this.wQuantity = new Float64Array(n);
    this.wMatched = new Float64Array(n);
    this.bankrupt = new BankruptContracts(n);
    const columns: VenueColumns = {
      population,
      flat: this.flat,
      size: this.size,
      margin: this.margin,
      liquidationPrice: this.liquidationPrice,
      index: this.index,
      ledger: this.ledger,
      stepLoss: this.stepLoss,
      bankrupt: this.bankrupt,
    };
    this.columns = columns;
    const p = params.procedure;
    this.gmx =
      p?.kind === "gmx-v2"
        ? new GmxPoolLiquidations(checkGmxProcedure(p, "procedure"), {
            population,
            size: this.size,
            margin: this.margin,
            liquidatedAt: this.liquidatedAt,
            ledger: this.ledger,
          })
        : undefined;
    if (this.gmx !== undefined) checkGmxVenue(params);
    this.hyperliquid =
      p?.kind === "hyperliquid"
        ? new HyperliquidLiquidations(checkHyperliquidProcedure(p, "procedure"), columns)
        : undefined;
    this.dydx =
      p?.kind === "dydx-v4"
        ? new DydxLiquidations(checkDydxProcedure(p, "procedure"), {
            ...columns,
            haircutUsd: this.haircutUsd,
            fillFor: this.fillFor,
          })
        : undefined;
    this.drift =
      p?.kind === "drift-v2"
        ? new DriftLiquidations(checkDriftProcedure(p, "procedure"), columns, this.capacity)
        : undefined;
    this.procedure = this.hyperliquid ?? this.dydx ?? this.drift;
    if (p !== undefined && this.procedure === undefined && this.gmx === undefined) {
      throw new InputError(
        "procedure.kind",
        (p as { kind?: unknown }).kind,
        "is not a known procedure",
        'Use "hyperliquid", "dydx-v4", "drift-v2" or "gmx-v2", or leave the procedure out.',
      );
    }
    this.markNow = Number.NaN;
    this.reset();
  }

  /** The mark after the last step's impact (NaN before the first step). */
  get mark(): number {
    return this.markNow;
  }

  /** The insurance fund balance (USD). */
  get fundUsd(): number {
    return this.ledger.fundUsd;
  }

  /** Back to the start state (population columns, fund, no impact, empty queue); no allocation. */
  reset(): void {
    const p = this.population;
    this.index.copyFrom(this.start);
    this.size.set(p.size);
    this.margin.set(p.isolatedMargin);
    this.liquidationPrice.set(p.liquidationPrice);
    this.liquidatedAt.fill(-1);
    this.haircutUsd.fill(0);
    this.held.fill(0);
    this.realized.fill(0);
    this.filled.fill(0);
    this.head = 0;
    this.tail = 0;
    this.t = 0;
    this.markNow = Number.NaN;
    this.runMin = Number.POSITIVE_INFINITY;
    this.runMax = 0;
    this.impact?.reset();
    this.procedure?.reset();
    this.liquidators?.reset();
    this.adlMetrics.length = 0;
    this.bankrupt.clear();
    this.gmx?.reset();
    this.ledger.reset(
      this.collateral0,
      this.fund0,
      this.hyperliquid?.params.vaultCapitalUsd,
      this.gmx?.params.poolUsd,
    );
    clearTotals(this.totals, this.fund0);
    clearRecord(this.record);
  }

  /**
   * One step at exogenous mark `exogenousMark` (see the module comment for the procedure); the
   * step is described by {@link record} and added to {@link totals}. No allocation outside ADL.
   * Take-overs trigger on the mark; closes fill at `exogenousTrade` moved by the same impact,
   * `F = trade·exp(I)` (Binance: liquidation on the mark, fills in the trade book); by default the
   * trade price is the mark.
   *
   * @throws InputError when the mark or the trade price is not a positive finite price.
   */
  step(exogenousMark: number, exogenousTrade = exogenousMark): void {
    for (const [field, price] of [
      ["mark", exogenousMark],
      ["trade", exogenousTrade],
    ] as const) {
      if (!(price > 0 && price < Number.POSITIVE_INFINITY)) {
        throw new InputError(field, price, "must be a positive finite price", "Pass the path's prices.");
      }
    }
    const t = this.t;
    const r = this.record;
    clearRecord(r);
    r.step = t;
    r.exogenousMark = exogenousMark;
    this.runMin = Math.min(this.runMin, exogenousMark);
    this.runMax = Math.max(this.runMax, exogenousMark);
    this.stepLoss[LONG] = 0;
    this.stepLoss[SHORT] = 0;
    if (this.gmx !== undefined) {
      this.gmx.step(exogenousMark, t, r);
      this.endStep(exogenousMark);
      return;
    }
    const impact = this.impact;
    impact?.decay();
    const carried = impact === undefined ? 0 : impact.logImpact;
    let mark = exogenousMark * Math.exp(carried);
    const tradeRatio = exogenousTrade / exogenousMark;
    this.exoNow = exogenousMark;
    this.carriedNow = carried;
    this.tradeRatioNow = tradeRatio;
    let flow = 0;
    let capacityLeft = this.capacity;
    // Every round after the first takes over at least one new position: at most n + 1 rounds.
    for (let round = 0; ; round++) {
      const crossings = this.takeOver(mark, t);
      if (round > 0 && crossings === 0) break;
      if (crossings > 0) r.cascadeDepth++;
      // The round's closes from the front of the queue, within the capacity left.
      let closes = 0;
      let roundFlow = 0;
      if (this.liquidators !== undefined) closes = this.agentCloses(this.liquidators, mark, t);
      for (let c = 0; c < closes; c++) roundFlow -= (this.closeSize[c] as number) * mark;
      while (this.liquidators === undefined && this.head < this.tail && capacityLeft > 0) {
        const slot = this.queue[this.head] as number;
        const h = this.held[slot] as number;
        const notional = Math.abs(h) * mark;
        const s = notional <= capacityLeft ? h : (h * capacityLeft) / notional;
        capacityLeft = notional <= capacityLeft ? capacityLeft - notional : 0;
        this.closeSlot[closes] = slot;
        this.closeSize[closes] = s;
        closes++;
        roundFlow -= s * mark;
        if (s === h) this.head++;
        else break;
      }
      const proc = this.procedure;
      if (closes === 0 && (proc === undefined || proc.pendingOrders === 0)) break;
      if (proc !== undefined) roundFlow += proc.flowAt(mark, flow + roundFlow);
      flow += roundFlow;
      const moved =
        impact === undefined ? mark : exogenousMark * Math.exp(carried + impact.impactOf(flow, t));
      const fill = moved * tradeRatio;
      for (let c = 0; c < closes; c++)
        this.close(this.closeSlot[c] as number, this.closeSize[c] as number, fill);
      proc?.fillOrders(fill, this.record);
      mark = moved;
    }
    if (impact !== undefined) impact.logImpact = carried + impact.impactOf(flow, t);
    this.endStep(mark);
  }

  /** The step's end at `mark`: the queue, the vault's and the fund's deficits, the totals. */
  private endStep(mark: number): void {
    const r = this.record;
    this.markNow = mark;
    r.mark = mark;
    r.queued = this.tail - this.head;
    this.drift?.settleStep(mark);
    if (this.ledger.vaultUsd < 0) this.ledger.coverVault(-this.ledger.vaultUsd);
    if (this.ledger.fundUsd < 0) this.socialize(mark);
    r.fundUsd = this.ledger.fundUsd;
    this.addToTotals();
    this.t++;
  }

  /**
   * Takes over every position `mark` crosses and queues it (Hyperliquid procedure: only the backstop
   * take-overs; the others are its market orders or bankrupt closes; Drift's procedure: none, its
   * liquidators take them over); returns how many crossed.
   */
  private takeOver(mark: number, t: number): number {
    const k = this.index.crossed(mark, this.crossedOut);
    const r = this.record;
    const proc = this.procedure;
    for (let j = 0; j < k; j++) {
      const slot = this.crossedOut[j] as number;
      if (proc !== undefined) {
        if (this.liquidatedAt[slot] === -1) {
          const lp = this.liquidationPrice[slot] as number;
          this.liquidatedAt[slot] = t;
          r.takenOver++;
          if ((this.size[slot] as number) > 0 ? this.runMin > lp : this.runMax < lp) r.impactInduced++;
        }
        if (proc.liquidate(slot, mark, t, r)) continue;
        this.index.remove(slot);
        this.ledger.seizeToVault(this.margin[slot] as number);
        this.held[slot] = this.size[slot] as number;
        this.size[slot] = 0;
        this.queue[this.tail++] = slot;
        continue;
      }
      const q = this.size[slot] as number;
      const lp = this.liquidationPrice[slot] as number;
      this.index.remove(slot);
      this.ledger.seize(this.margin[slot] as number);
      this.held[slot] = q;
      this.taken[slot] = q;
      this.size[slot] = 0;
      this.liquidatedAt[slot] = t;
      this.queue[this.tail++] = slot;
      r.takenOver++;
      if (q > 0 ? this.runMin > lp : this.runMax < lp) r.impactInduced++;
    }
    return k;
  }

  /**
   * The round's closes by the liquidator agents: every queued position is offered to `pool` at
   * `mark` ({@link LiquidatorPool.take}); what they take is written to the close columns, and the
   * queue keeps, in order, the positions they left (wholly or partly). Returns the closes.
   */
  private agentCloses(pool: LiquidatorPool, mark: number, t: number): number {
    let closes = 0;
    let kept = this.head;
    for (let j = this.head; j < this.tail; j++) {
      const slot = this.queue[j] as number;
      const h = this.held[slot] as number;
      const s = pool.take(slot, h, mark, this.markNow, this.liquidatedAt[slot] as number, t);
      if (s !== 0) {
        this.closeSlot[closes] = slot;
        this.closeSize[closes] = s;
        closes++;
      }
      if (s !== h) this.queue[kept++] = slot;
    }
    this.tail = kept;
    return closes;
  }

  /**
   * Closes `s` base units of the taken-over `slot` at fill price F; with liquidator agents the fund
   * pays them the premium `π·|s|·F` out of the position's equity.
   */
  private close(slot: number, s: number, fill: number): void {
    const entry = this.population.entryPrice[slot] as number;
    const pnl = s * (fill - entry);
    if (this.hyperliquid === undefined) {
      // Beyond the bankruptcy price B = E − m/q of the position taken over (q with margin m), the fund
      // pays s·(B − F) of this close: its contracts are bankrupt for a contract-space queue.
      const beyond = s * (entry - (this.margin[slot] as number) / (this.taken[slot] as number) - fill);
      if (beyond > 0) this.bankrupt.add(slot, s, beyond);
    }
    if (this.hyperliquid === undefined) this.ledger.fill(pnl);
    else this.ledger.vaultFill(pnl);
    if (this.liquidators !== undefined) {
      const premium = this.liquidators.premiumRate * Math.abs(s) * fill;
      this.ledger.premium(premium);
      this.realized[slot] = (this.realized[slot] as number) - premium;
    }
    if (pnl < 0) {
      const side = s > 0 ? LONG : SHORT;
      this.stepLoss[side] = (this.stepLoss[side] as number) - pnl;
    }
    const held = this.held[slot] as number;
    this.held[slot] = s === held ? 0 : held - s;
    this.realized[slot] = (this.realized[slot] as number) + pnl;
    this.filled[slot] = (this.filled[slot] as number) + Math.abs(s) * fill;
    const r = this.record;
    r.liquidatedNotionalUsd += Math.abs(s) * fill;
    if (this.held[slot] !== 0) return;
    r.closed++;
    const equity = (this.margin[slot] as number) + (this.realized[slot] as number);
    if (equity < 0) r.badDebtUsd -= equity;
    else r.feesUsd += Math.min(this.feeRate * (this.filled[slot] as number), equity);
  }

  /**
   * Socializes the fund's deficit `D = −fund` on the winners at `mark`: the open positions of the
   * side opposite to the step's larger fill losses with PnL > 0. Haircuts by the policy; each
   * winner closes the share x/w of its position (the whole of it from x ≥ w·(1 − 1e−12)) and its
   * liquidation price is re-solved; the fund receives Σx; a deficit left is written off.
   */
  private socialize(mark: number): void {
    if (isContractPolicy(this.policy)) {
      this.socializeContracts(mark, this.policy);
      return;
    }
    const r = this.record;
    const ledger = this.ledger;
    const deficit = -ledger.fundUsd;
    const winnerSide: 1 | -1 = (this.stepLoss[LONG] as number) >= (this.stepLoss[SHORT] as number) ? -1 : 1;
    const winners = this.collectWinners(mark, winnerSide);
    const m = winners.pnl.length;
    const out = this.wOut.subarray(0, m);
    applyAdlPolicy(
      this.policy,
      winners,
      deficit,
      { side: winnerSide, capOfEquity: this.capOfEquity },
      out,
      this.wScratch.subarray(0, m),
    );
    this.adlMetrics.push(adlEventMetrics(winners, deficit, out));
    let executed = 0;
    for (let j = 0; j < m; j++) {
      const x = out[j] as number;
      if (!(x > 0)) continue;
      const slot = this.wSlot[j] as number;
      const w = this.wPnl[j] as number;
      executed += x;
      r.adlPayers++;
      this.haircutUsd[slot] = (this.haircutUsd[slot] as number) + x;
      ledger.haircut(x);
      const f = x / w;
      if (f >= WHOLE) {
        this.size[slot] = 0;
        this.index.remove(slot);
        continue;
      }
      resizePosition(this.columns, slot, (this.size[slot] as number) * (1 - f), mark);
    }
    r.adlNeededUsd = deficit;
    r.adlExecutedUsd = executed;
    if (ledger.fundUsd < 0) ledger.absorb(-ledger.fundUsd);
  }

  /**
   * Socializes the fund's deficit `D = −fund` by a contract-space queue: the bankrupt contracts the
   * fund paid for ({@link BankruptContracts}: closes beyond the bankruptcy price, by the take-over
   * engine or Hyperliquid's procedure) are selected newest first back to D — the remaining contracts
   * the fund cannot absorb — and each side's are matched ({@link matchBankruptContracts}) against the
   * other side's positions in profit at `mark`, ranked by the policy's score ({@link contractQueueScore}).
   * A counterparty matched with `q_i` contracts closes them at the mark — its PnL `s·q_i·(mark − E)`
   * realized into its margin — and hands the fund `x_i` (the matched gaps to the bankruptcy price), so
   * it closed them at the bankruptcy price; its liquidation price is re-solved on the rest. Executed is
   * `Σ x_i = D` when the pool and the counterparties suffice; a deficit without bankrupt contracts (the
   * backstop vault's losses beyond its capital, liquidator premiums) or without counterparties is
   * written off.
   */
  private socializeContracts(mark: number, policy: ContractAdlPolicyName): void {
    const r = this.record;
    const ledger = this.ledger;
    const deficit = -ledger.fundUsd;
    const { entryPrice } = this.population;
    const bankrupt = this.bankrupt;
    const gapTotal = bankrupt.select(deficit);
    let executed = 0;
    for (const loserSide of [1, -1] as const) {
      const contracts = bankrupt.contracts(loserSide);
      if (contracts === 0) continue;
      const winnerSide: 1 | -1 = loserSide === 1 ? -1 : 1;
      let sideGap = 0;
      for (let b = 0; b < bankrupt.count; b++) {
        const s = bankrupt.size[b] as number;
        if (Math.sign(s) === loserSide) sideGap += (bankrupt.gap[b] as number) * Math.abs(s);
      }
      const winners = this.collectWinners(mark, winnerSide);
      const m = winners.pnl.length;
      const scores = this.wScratch.subarray(0, m);
      const out = this.wOut.subarray(0, m);
      const matched = this.wMatched.subarray(0, m);
      profitLeverageScores(winners, winnerSide, scores, contractQueueScore(policy));
      matchBankruptContracts(bankrupt, loserSide, this.wQuantity.subarray(0, m), scores, matched, out);
      this.adlMetrics.push(adlEventMetrics(winners, (deficit * sideGap) / gapTotal, out));
      for (let j = 0; j < m; j++) {
        const q = matched[j] as number;
        if (!(q > 0)) continue;
        const slot = this.wSlot[j] as number;
        const x = out[j] as number;
        const entry = entryPrice[slot] as number;
        const pnl = winnerSide * q * (mark - entry);
        ledger.realize(pnl);
        ledger.adlTransfer(x);
        const margin = (this.margin[slot] as number) + pnl - x;
        this.margin[slot] = margin;
        this.haircutUsd[slot] = (this.haircutUsd[slot] as number) + x;
        executed += x;
        r.adlPayers++;
        if (q === (this.wQuantity[j] as number)) {
          this.size[slot] = 0;
          this.index.remove(slot);
          continue;
        }
        resizePosition(this.columns, slot, (this.size[slot] as number) - winnerSide * q, mark);
      }
    }
    r.adlNeededUsd = deficit;
    r.adlExecutedUsd = executed;
    if (ledger.fundUsd < 0) ledger.absorb(-ledger.fundUsd);
  }

  /**
   * Writes the winners of side `winnerSide` at `mark` — its open positions with PnL `w = q·(mark − E)` > 0
   * — to the winner columns (PnL, equity `margin + w`, notional `|q|·mark`, size `|q|`, slot) and returns
   * views of their first three.
   */
  private collectWinners(mark: number, winnerSide: 1 | -1): AdlWinners {
    const { entryPrice } = this.population;
    let m = 0;
    for (let i = 0; i < this.size.length; i++) {
      const q = this.size[i] as number;
      if (q === 0 || Math.sign(q) !== winnerSide) continue;
      const w = q * (mark - (entryPrice[i] as number));
      if (!(w > 0)) continue;
      this.wPnl[m] = w;
      this.wEquity[m] = (this.margin[i] as number) + w;
      this.wNotional[m] = Math.abs(q) * mark;
      this.wQuantity[m] = Math.abs(q);
      this.wSlot[m] = i;
      m++;
    }
    return {
      pnl: this.wPnl.subarray(0, m),
      equity: this.wEquity.subarray(0, m),
      notional: this.wNotional.subarray(0, m),
    };
  }

  /** Bad debt of the queued positions at `mark` (see {@link VenueTotals.pendingBadDebtUsd}). */
  private pendingBadDebt(mark: number): number {
    const { entryPrice } = this.population;
    const isolatedMargin = this.margin;
    let s = 0;
    for (let j = this.head; j < this.tail; j++) {
      const slot = this.queue[j] as number;
      const equity =
        (isolatedMargin[slot] as number) +
        (this.realized[slot] as number) +
        (this.held[slot] as number) * (mark - (entryPrice[slot] as number));
      if (equity < 0) s -= equity;
    }
    return s;
  }

  private addToTotals(): void {
    const r = this.record;
    const s = this.totals;
    s.steps++;
    s.takenOver += r.takenOver;
    s.impactInduced += r.impactInduced;
    s.closed += r.closed;
    s.liquidatedNotionalUsd += r.liquidatedNotionalUsd;
    s.badDebtUsd += r.badDebtUsd;
    s.pendingBadDebtUsd = this.pendingBadDebt(r.mark) + (this.dydx?.pendingBadDebt(r.mark) ?? 0);
    s.feesUsd += r.feesUsd;
    if (r.adlNeededUsd > 0) {
      s.adlEvents++;
      s.fundExhausted = true;
      s.adlNeededUsd += r.adlNeededUsd;
      s.adlExecutedUsd += r.adlExecutedUsd;
      s.adlOvershootUsd += Math.max(0, r.adlExecutedUsd - r.adlNeededUsd);
    }
    // Drift's procedure: a loss socialized through funding is one the fund (or its limit) did not cover.
    if ((this.drift?.stepSocializedUsd ?? 0) > 0) s.fundExhausted = true;
    s.uncoveredUsd = -this.ledger.uncoveredUsd;
    s.minFundUsd = Math.min(s.minFundUsd, r.fundUsd);
  }
}

/**
 * GMX v2's keepers close every liquidatable position at the oracle price, which liquidations do not
 * move: the venue's impact feedback, liquidator agents and capacity do not apply.
 *
 * @throws InputError naming `impact`, `liquidators` or `liquidatorCapacityUsdPerStep` when given.
 */
function checkGmxVenue(params: PerpVenueParams): void {
  const fix = "Leave it out: GMX v2 keepers close at the oracle price, with the pool's own price impact.";
  if (params.impact !== undefined) throw new InputError("impact", "set", "does not apply to gmx-v2", fix);
  if (params.liquidators !== undefined)
    throw new InputError("liquidators", "set", "does not apply to gmx-v2", fix);
  if (params.liquidatorCapacityUsdPerStep !== Number.POSITIVE_INFINITY) {
    throw new InputError(
      "liquidatorCapacityUsdPerStep",
      params.liquidatorCapacityUsdPerStep,
      "does not apply to gmx-v2",
      fix,
    );
  }
}

/** The capacity: a number > 0, Infinity allowed (no limit). */
function readCapacity(c: number): number {
  if (!(c > 0)) {
    throw new InputError(
      "liquidatorCapacityUsdPerStep",
      c,
      "must be a notional > 0 (Infinity: no limit)",
      "Pass the USD notional the liquidation engine can close per step.",
    );
  }
  return c;
}

function clearRecord(r: VenueStepRecord): void {
  r.step = 0;
  r.exogenousMark = Number.NaN;
  r.mark = Number.NaN;
  r.takenOver = 0;
  r.impactInduced = 0;
  r.closed = 0;
  r.liquidatedNotionalUsd = 0;
  r.queued = 0;
  r.badDebtUsd = 0;
  r.feesUsd = 0;
  r.adlNeededUsd = 0;
  r.adlExecutedUsd = 0;
  r.adlPayers = 0;
  r.fundUsd = Number.NaN;
  r.cascadeDepth = 0;
}

function clearTotals(s: VenueTotals, fund: number): void {
  s.steps = 0;
  s.takenOver = 0;
  s.impactInduced = 0;
  s.closed = 0;
  s.liquidatedNotionalUsd = 0;
  s.badDebtUsd = 0;
  s.pendingBadDebtUsd = 0;
  s.feesUsd = 0;
  s.adlEvents = 0;
  s.adlNeededUsd = 0;
  s.adlExecutedUsd = 0;
  s.adlOvershootUsd = 0;
  s.uncoveredUsd = 0;
  s.fundExhausted = false;
  s.minFundUsd = fund;
}

/** A replayed path: the per-step series and the totals. */
export interface VenueReplay {
  /** Mark after impact, per step. */
  readonly mark: Float64Array;
  readonly fundUsd: Float64Array;
  readonly liquidatedNotionalUsd: Float64Array;
  readonly takenOver: Float64Array;
  readonly impactInduced: Float64Array;
  readonly queued: Float64Array;
  readonly badDebtUsd: Float64Array;
  readonly adlNeededUsd: Float64Array;
  readonly adlExecutedUsd: Float64Array;
  /** The cascade's depth per step ({@link VenueStepRecord.cascadeDepth}). */
  readonly cascadeDepth: Float64Array;
  readonly totals: VenueTotals;
  /** Step of the take-over per position, −1 if never. */
  readonly liquidatedAt: Int32Array;
  /** Loss socialized through funding per step (Drift's procedure only, USD). */
  readonly socializedThroughFundingUsd?: Float64Array;
  /** Ledger balances at the end; `collateral + fund + vault + market + uncovered (+ liquidators + funding) = startTotal`. */
  readonly ledger: {
    readonly startTotalUsd: number;
    readonly collateralUsd: number;
    readonly fundUsd: number;
    /** The backstop vault's balance (Hyperliquid procedure only). */
    readonly vaultUsd?: number;
    readonly marketUsd: number;
    readonly uncoveredUsd: number;
    /** Premiums paid to the liquidator agents (only with agents); Drift's liquidators' fees and unwinding PnL. */
    readonly liquidatorsUsd?: number;
    /** The funding socialization account (Drift's procedure only; 0 after each step up to rounding). */
    readonly fundingUsd?: number;
    /** The GM pool's balance (GMX v2 procedure only). */
    readonly poolUsd?: number;
  };
  /** The procedure's counts: Hyperliquid's actions, or Drift's transfers, fees and socialized loss. */
  readonly procedure?: HyperliquidCounts | DriftCounts;
  /** The dYdX v4 procedure's fills, refusals and deleveraging (that procedure only). */
  readonly dydx?: DydxCounts;
  /** GMX v2's pool (that procedure only): its value and the ADL notional per step, and its totals. */
  readonly pool?: {
    readonly poolUsd: Float64Array;
    readonly adlNotionalUsd: Float64Array;
    readonly totals: GmxPoolTotals;
  };
  /** Positions turned down by every liquidator agent that could reach them (only with agents). */
  readonly leftQueued?: number;
}

/**
 * Steps a {@link PerpVenue} on `population` with `params` through the exogenous `marks` (one per
 * step; with `trades`, the trade prices the closes fill at) and returns the per-step series, the
 * totals and the ledger (the procedure of {@link PerpVenue.step}).
 *
 * @throws InputError as {@link PerpVenue} and {@link PerpVenue.step} do, for an empty path, or for
 *   `trades` of another length than `marks`.
 */
export function replayVenue(
  population: PerpPopulation,
  params: PerpVenueParams,
  marks: Float64Array,
  trades: Float64Array = marks,
): VenueReplay {
  if (marks.length === 0) {
    throw new InputError("marks", 0, "is empty", "Pass one exogenous mark per step.");
  }
  if (trades.length !== marks.length) {
    throw new InputError(
      "trades",
      trades.length,
      `has another length than marks (${marks.length})`,
      "Pass one trade price per step.",
    );
  }
  const venue = new PerpVenue(population, params);
  const n = marks.length;
  const series = () => new Float64Array(n);
  const out = {
    mark: series(),
    fundUsd: series(),
    liquidatedNotionalUsd: series(),
    takenOver: series(),
    impactInduced: series(),
    queued: series(),
    badDebtUsd: series(),
    adlNeededUsd: series(),
    adlExecutedUsd: series(),
    cascadeDepth: series(),
  };
  const drift = venue.drift;
  const socialized = drift === undefined ? undefined : series();
  const r = venue.record;
  const gmx = venue.gmx;
  const pool = gmx === undefined ? undefined : { poolUsd: series(), adlNotionalUsd: series() };
  for (let k = 0; k < n; k++) {
    venue.step(marks[k] as number, trades[k] as number);
    out.mark[k] = r.mark;
    out.fundUsd[k] = r.fundUsd;
    out.liquidatedNotionalUsd[k] = r.liquidatedNotionalUsd;
    out.takenOver[k] = r.takenOver;
    out.impactInduced[k] = r.impactInduced;
    out.queued[k] = r.queued;
    out.badDebtUsd[k] = r.badDebtUsd;
    out.adlNeededUsd[k] = r.adlNeededUsd;
    out.adlExecutedUsd[k] = r.adlExecutedUsd;
    out.cascadeDepth[k] = r.cascadeDepth;
    if (socialized !== undefined && drift !== undefined) socialized[k] = drift.stepSocializedUsd;
    if (pool !== undefined && gmx !== undefined) {
      pool.poolUsd[k] = venue.ledger.poolUsd;
      pool.adlNotionalUsd[k] = gmx.stepAdlNotionalUsd;
    }
  }
  const l = venue.ledger;
  const procedure = venue.hyperliquid?.counts ?? drift?.counts;
  return {
    ...out,
    ...(socialized === undefined ? {} : { socializedThroughFundingUsd: socialized }),
    totals: { ...venue.totals },
    liquidatedAt: venue.liquidatedAt.slice(),
    ledger: {
      startTotalUsd: l.startTotalUsd,
      collateralUsd: l.collateralUsd,
      fundUsd: l.fundUsd,
      ...(venue.hyperliquid === undefined ? {} : { vaultUsd: l.vaultUsd }),
      marketUsd: l.marketUsd,
      uncoveredUsd: l.uncoveredUsd,
      ...(venue.liquidators === undefined && drift === undefined ? {} : { liquidatorsUsd: l.liquidatorsUsd }),
      ...(drift === undefined ? {} : { fundingUsd: l.fundingUsd }),
      ...(gmx === undefined ? {} : { poolUsd: l.poolUsd }),
    },
    ...(procedure === undefined ? {} : { procedure: { ...procedure } }),
    ...(venue.dydx === undefined ? {} : { dydx: { ...venue.dydx.counts } }),
    ...(venue.liquidators === undefined ? {} : { leftQueued: venue.liquidators.leftQueued }),
    ...(pool === undefined || gmx === undefined ? {} : { pool: { ...pool, totals: { ...gmx.totals } } }),
  };
}

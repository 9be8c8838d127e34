/**
 * dYdX v4's liquidation procedure inside the simulated perp venue ({@link PerpVenue}), after the
 * chain's `x/clob/keeper/liquidations.go` and `deleveraging.go` (the rulebook in src/venues/dydx-v4/,
 * docs/reference/dydx-v4.md): every position is a subaccount with one isolated position, USDC
 * balance `Q = m − q·E` and net collateral `TNC = m + q·(P − E)` at the oracle price P (the round's
 * mark); it is liquidatable when `TNC < TMMR` (TMMR from the venue's tier table).
 *
 * Per block, a liquidatable position gets one IOC liquidation order:
 * - size: `L = min(max(min(min$, N), portion·N), maxNotionalPerBlock)` of its notional N at P, the
 *   whole position when `N ≤ L` (`GetLiquidatablePositionSizeDelta`);
 * - limit, the fillable price: `ABR = clamp(BA·(1 − TNC/TMMR), 0, 1)`,
 *   `fillable = (q·P − ABR·SMMR·TMMR)/q` (`GetFillablePrice`);
 * - it fills at the round's impacted fill price F when F is at or better than the fillable price;
 * - the insurance fund settles the difference to the bankruptcy quote of the closed size s,
 *   `bq(s) = s·P − TNC·(MMR(q) − MMR(q − s))/MMR(q)` (`GetBankruptcyPriceInQuoteQuantums`):
 *   `δ = s·F − bq(s)`; δ < 0 the fund pays −δ, δ > 0 it receives `min(fee·|s|·F, δ)`
 *   (`GetLiquidationInsuranceFundDelta`); a payout larger than the fund is refused
 *   (`IsValidInsuranceFundDelta`) and one above the per-block insurance limit is cut to it, the
 *   rest waiting for the next block;
 * - an order that fills nothing while `TNC < 0` deleverages the whole position at its bankruptcy
 *   price against the opposite positions, visited cyclically from a random start drawn from the
 *   procedure's seeded stream (`OffsetSubaccountPerpetualPosition`), skipping a match either side
 *   cannot accept (`IsValidStateTransitionForUndercollateralizedSubaccount`).
 *
 * In the engine (docs/assumptions.md, "Venue simulator: dYdX v4 procedure"): a step is
 * `blocksPerStep` blocks; each round of the step is a block for the positions it liquidates, and a
 * position gets at most `blocksPerStep` orders a step; the round's orders are sorted as the chain
 * sorts them (`SortLiquidationOrders`: `|fillable − oracle|/oracle` descending, then notional);
 * an order whose limit the round's fill price does not meet is withdrawn and the fill price is
 * recomputed without it until every order left can fill; a withdrawn order waits for the next step.
 */
import { InputError } from "../../errors.js";
import { maintenanceMargin, tierFor } from "../../margin/tiers.js";
import { Xoshiro128 } from "../../math/random.js";
import { readNumber } from "../../validate.js";
import {
  type LiquidationsConfig,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  QUOTE_QUANTUMS_PER_USDC,
} from "../../venues/dydx-v4/parameters.js";
import type { VenueLedger } from "./ledger.js";
import { type PositionColumns, resizePosition } from "./position-columns.js";
import type { ProcedureRecord } from "./procedure-hyperliquid.js";

/** The procedure's rules in USD and fractions: the chain's `LiquidationsConfig` by {@link dydxProcedure}. */
export interface DydxProcedureParams {
  readonly kind: "dydx-v4";
  /** `max_liquidation_fee_ppm` / 1e6: the fee cap as a share of the fill, in [0, 1). */
  readonly maxLiquidationFeeRate: number;
  /** `bankruptcy_adjustment_ppm` / 1e6: BA ≥ 1. */
  readonly bankruptcyAdjustment: number;
  /** `spread_to_maintenance_margin_ratio_ppm` / 1e6: SMMR ≥ 0 (SMMR·MMR < notional). */
  readonly spreadToMaintenanceMarginRatio: number;
  /** `min_position_notional_liquidated` (USD ≥ 0). */
  readonly minPositionNotionalUsd: number;
  /** `max_position_portion_liquidated_ppm` / 1e6, in (0, 1]. */
  readonly maxPositionPortion: number;
  /** `max_notional_liquidated`: notional liquidated per subaccount per block (USD > 0). */
  readonly maxNotionalPerBlockUsd: number;
  /** `max_quantums_insurance_lost`: insurance-fund payout per subaccount per block (USD > 0). */
  readonly maxInsuranceLostPerBlockUsd: number;
  /** Blocks per step (a whole number ≥ 1): the orders a position may get in one step. */
  readonly blocksPerStep: number;
  /** Seed of the deleveraging's random starts (an integer in [0, 2^32)). */
  readonly seed: number;
}

const ppm = (x: number) => x / 1e6;
const usd = (quantums: bigint) => Number(quantums) / Number(QUOTE_QUANTUMS_PER_USDC);

/**
 * The chain's liquidations config (default: mainnet genesis, {@link MAINNET_GENESIS_LIQUIDATIONS_CONFIG}:
 * fee 1.5 %, BA 1, SMMR 1.5, $1,000 min, 10 % of a position, $100,000 and $1,000,000 per subaccount
 * per block) on a grid of `stepSeconds` per step with `blockSeconds` per block:
 * `blocksPerStep = max(1, ⌊stepSeconds / blockSeconds⌋)`.
 */
export function dydxProcedure(
  stepSeconds: number,
  blockSeconds: number,
  seed = 1,
  config: LiquidationsConfig = MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
): DydxProcedureParams {
  return {
    kind: "dydx-v4",
    maxLiquidationFeeRate: ppm(config.maxLiquidationFeePpm),
    bankruptcyAdjustment: ppm(config.bankruptcyAdjustmentPpm),
    spreadToMaintenanceMarginRatio: ppm(config.spreadToMaintenanceMarginRatioPpm),
    minPositionNotionalUsd: usd(config.minPositionNotionalLiquidated),
    maxPositionPortion: ppm(config.maxPositionPortionLiquidatedPpm),
    maxNotionalPerBlockUsd: usd(config.maxNotionalLiquidated),
    maxInsuranceLostPerBlockUsd: usd(config.maxQuantumsInsuranceLost),
    blocksPerStep: Math.max(1, Math.floor(stepSeconds / blockSeconds)),
    seed,
  };
}

/**
 * Checks the rules, naming the field under `at` (e.g. `venue.procedure`).
 *
 * @throws InputError for a fee outside [0, 1), BA < 1, a negative SMMR, a portion outside (0, 1],
 *   non-positive block limits, or a block count or seed that is not a whole number in range.
 */
export function checkDydxProcedure(p: DydxProcedureParams, at: string): DydxProcedureParams {
  readNumber(p.maxLiquidationFeeRate, `${at}.maxLiquidationFeeRate`, {
    min: 0,
    max: 0.999,
    fix: "Give the fee cap as a share of the fill, e.g. 0.015 (dYdX genesis).",
  });
  readNumber(p.bankruptcyAdjustment, `${at}.bankruptcyAdjustment`, {
    min: 1,
    fix: "Give BA ≥ 1, e.g. 1 (dYdX genesis; the chain refuses BA < 1).",
  });
  readNumber(p.spreadToMaintenanceMarginRatio, `${at}.spreadToMaintenanceMarginRatio`, {
    min: 0,
    fix: "Give SMMR, e.g. 1.5 (dYdX genesis).",
  });
  readNumber(p.minPositionNotionalUsd, `${at}.minPositionNotionalUsd`, {
    min: 0,
    fix: "Give the smallest notional an order closes, e.g. 1000 (dYdX genesis).",
  });
  readNumber(p.maxPositionPortion, `${at}.maxPositionPortion`, {
    min: 0,
    exclusiveMin: true,
    max: 1,
    fix: "Give the share of a position one block may close, e.g. 0.1 (dYdX genesis).",
  });
  readNumber(p.maxNotionalPerBlockUsd, `${at}.maxNotionalPerBlockUsd`, {
    min: 0,
    exclusiveMin: true,
    fix: "Give the notional liquidated per subaccount per block, e.g. 100000 (dYdX genesis).",
  });
  readNumber(p.maxInsuranceLostPerBlockUsd, `${at}.maxInsuranceLostPerBlockUsd`, {
    min: 0,
    exclusiveMin: true,
    fix: "Give the insurance-fund payout allowed per subaccount per block, e.g. 1000000 (dYdX genesis).",
  });
  for (const [key, max] of [
    ["blocksPerStep", Number.MAX_SAFE_INTEGER],
    ["seed", 2 ** 32 - 1],
  ] as const) {
    const x = readNumber(p[key], `${at}.${key}`, {
      min: key === "seed" ? 0 : 1,
      max,
      fix: key === "seed" ? "Give an integer seed, e.g. 1." : "Give a whole number of blocks ≥ 1.",
    });
    if (!Number.isInteger(x)) throw new InputError(`${at}.${key}`, x, "must be a whole number", "Round it.");
  }
  return p;
}

/**
 * The fillable price (the liquidation order's limit) of a lone position of signed size q with net
 * collateral `tnc` and maintenance margin `tmmr` at oracle price P:
 * `ABR = clamp(BA·(1 − TNC/TMMR), 0, 1)`, `fillable = (q·P − ABR·SMMR·TMMR)/q` — the float form of
 * the rulebook's `fillablePrice` (src/venues/dydx-v4/fillable-price.ts; `liquidations.go::GetFillablePrice`).
 */
export function dydxFillablePrice(
  p: Pick<DydxProcedureParams, "bankruptcyAdjustment" | "spreadToMaintenanceMarginRatio">,
  q: number,
  oracle: number,
  tnc: number,
  tmmr: number,
): number {
  const abr = Math.min(1, Math.max(0, p.bankruptcyAdjustment * (1 - tnc / tmmr)));
  return (q * oracle - abr * p.spreadToMaintenanceMarginRatio * tmmr) / q;
}

/**
 * The liquidation order's size in base units for a position of signed size q and notional N at
 * oracle price P: `L = min(max(min(min$, N), portion·N), maxNotionalPerBlock)`, the whole position
 * when `N ≤ L`, else `sign(q)·L/P` (no step rounding).
 */
export function dydxBlockSize(p: DydxProcedureParams, q: number, oracle: number): number {
  const n = Math.abs(q) * oracle;
  const limit = Math.min(
    Math.max(Math.min(p.minPositionNotionalUsd, n), p.maxPositionPortion * n),
    p.maxNotionalPerBlockUsd,
  );
  return n <= limit ? q : (Math.sign(q) * limit) / oracle;
}

/** Counts of the procedure's outcomes over a path. */
export interface DydxCounts {
  /** Liquidation orders filled (whole or in part). */
  fills: number;
  /** Orders withdrawn because the round's fill price was worse than their fillable price. */
  unfillable: number;
  /** Orders refused because the fund could not pay. */
  fundRefused: number;
  /** Orders cut to the per-block insurance-fund loss. */
  insuranceLimited: number;
  /** Positions deleveraged (whole or in part). */
  deleveraged: number;
  /** Deleveraging matches against offsetting positions. */
  deleveragingFills: number;
  /** Insurance-fund payouts to liquidated accounts (USD). */
  fundPaidUsd: number;
  /** Notional closed by deleveraging at the bankruptcy price (USD). */
  deleveragedNotionalUsd: number;
}

/** The venue's columns and books the procedure reads and writes (shared with {@link PerpVenue}). */
export interface DydxVenueColumns extends PositionColumns {
  readonly haircutUsd: Float64Array;
  readonly ledger: VenueLedger;
  /** The round's fill price for a total liquidation flow of the step (USD, negative for sells). */
  readonly fillFor: (flow: number) => number;
}

/** What a round adds to the step's record besides {@link ProcedureRecord}. */
export interface DydxRecord extends ProcedureRecord {
  feesUsd: number;
  adlNeededUsd: number;
  adlExecutedUsd: number;
  adlPayers: number;
}

const NO_STEP = -1;

/** dYdX v4's procedure's state: per-position blocks used this step, the round's orders, the stream. */
export class DydxLiquidations {
  readonly counts: DydxCounts = {
    fills: 0,
    unfillable: 0,
    fundRefused: 0,
    insuranceLimited: 0,
    deleveraged: 0,
    deleveragingFills: 0,
    fundPaidUsd: 0,
    deleveragedNotionalUsd: 0,
  };
  private readonly stepOf: Int32Array;
  private readonly blocks: Int32Array;
  private readonly orderSlot: Int32Array;
  private readonly orderSize: Float64Array;
  private readonly orderOracle: Float64Array;
  private readonly orderFillable: Float64Array;
  /** The chain's priority `|fillable − oracle|/oracle` and the notional, for the sort. */
  private readonly orderSpread: Float64Array;
  private readonly orderNotional: Float64Array;
  private readonly orderActive: Uint8Array;
  private readonly byPriority: Int32Array;
  private readonly candidates: Int32Array;
  private readonly crossedOut: Int32Array;
  private orders = 0;
  private rng: Xoshiro128;

  constructor(
    readonly params: DydxProcedureParams,
    private readonly v: DydxVenueColumns,
  ) {
    const n = v.size.length;
    this.stepOf = new Int32Array(n);
    this.blocks = new Int32Array(n);
    this.orderSlot = new Int32Array(n);
    this.orderSize = new Float64Array(n);
    this.orderOracle = new Float64Array(n);
    this.orderFillable = new Float64Array(n);
    this.orderSpread = new Float64Array(n);
    this.orderNotional = new Float64Array(n);
    this.orderActive = new Uint8Array(n);
    this.byPriority = new Int32Array(n);
    this.candidates = new Int32Array(n);
    this.crossedOut = new Int32Array(n);
    this.rng = new Xoshiro128(params.seed);
    this.reset();
  }

  /** Back to the start of a path; `seed` (default the params') restarts the deleveraging stream. */
  reset(seed = this.params.seed): void {
    this.stepOf.fill(NO_STEP);
    this.blocks.fill(0);
    this.orders = 0;
    this.rng = new Xoshiro128(seed);
    for (const key of Object.keys(this.counts) as (keyof DydxCounts)[]) this.counts[key] = 0;
  }

  /** Orders waiting for the round's fill. */
  get pendingOrders(): number {
    return this.orders;
  }

  /**
   * Places the block's liquidation order of the crossed `slot` at the round's oracle price `mark` on
   * step `t` (nothing when the position used its step's blocks, or is not liquidatable: `TNC ≥ TMMR`);
   * always true: the procedure handles every crossing.
   */
  liquidate(slot: number, mark: number, t: number): boolean {
    if (this.stepOf[slot] !== t) {
      this.stepOf[slot] = t;
      this.blocks[slot] = 0;
    }
    if ((this.blocks[slot] as number) >= this.params.blocksPerStep) return true;
    const v = this.v;
    const q = v.size[slot] as number;
    if (q === 0) return true;
    const notional = Math.abs(q) * mark;
    const tnc = this.tnc(slot, mark);
    const tmmr = maintenanceMargin(v.population.tiers, notional);
    if (!(tmmr > 0 && tnc < tmmr)) return true;
    this.blocks[slot] = (this.blocks[slot] as number) + 1;
    const o = this.orders++;
    const fillable = dydxFillablePrice(this.params, q, mark, tnc, tmmr);
    this.orderSlot[o] = slot;
    this.orderSize[o] = dydxBlockSize(this.params, q, mark);
    this.orderOracle[o] = mark;
    this.orderFillable[o] = fillable;
    this.orderSpread[o] = Math.abs(fillable - mark) / mark;
    this.orderNotional[o] = notional;
    this.orderActive[o] = 1;
    return true;
  }

  /**
   * The round's liquidation flow (USD, negative for sells, `Σ −s·mark`) after withdrawing the orders
   * whose fillable price the fill price `fillFor(stepFlow + flow)` does not meet, one pass after
   * another until every order left can fill (each pass withdraws one or more: at most `orders` passes).
   */
  flowAt(mark: number, stepFlow: number): number {
    let flow = 0;
    for (;;) {
      flow = 0;
      for (let o = 0; o < this.orders; o++) {
        if (this.orderActive[o] === 1) flow -= (this.orderSize[o] as number) * mark;
      }
      const fill = this.v.fillFor(stepFlow + flow);
      let withdrawn = false;
      for (let o = 0; o < this.orders; o++) {
        if (this.orderActive[o] === 0) continue;
        const f = this.orderFillable[o] as number;
        if ((this.orderSize[o] as number) > 0 ? fill < f : fill > f) {
          this.orderActive[o] = 0;
          withdrawn = true;
        }
      }
      if (!withdrawn) return flow;
    }
  }

  /**
   * Settles the round at `fill` in the chain's order: each active order fills (cut to the per-block
   * insurance limit, refused when the fund cannot pay), each order that filled nothing while the
   * account's TNC < 0 deleverages it; a withdrawn or refused position waits for the next step.
   */
  fillOrders(fill: number, r: DydxRecord): void {
    const k = this.orders;
    const perm = this.byPriority;
    for (let o = 0; o < k; o++) perm[o] = o;
    perm.subarray(0, k).sort(this.priority);
    for (let j = 0; j < k; j++) {
      const o = perm[j] as number;
      const slot = this.orderSlot[o] as number;
      const oracle = this.orderOracle[o] as number;
      const filled =
        this.orderActive[o] === 1 && this.fillOne(slot, this.orderSize[o] as number, oracle, fill, r);
      if (filled) continue;
      if (this.orderActive[o] === 0) this.counts.unfillable++;
      this.blocks[slot] = this.params.blocksPerStep;
      if (this.v.size[slot] !== 0 && this.tnc(slot, oracle) < 0) this.deleverage(slot, oracle, r);
    }
    this.orders = 0;
  }

  /** Σ max(0, −TNC) at `mark` of the positions still crossed (bankrupt ones waiting). */
  pendingBadDebt(mark: number): number {
    const k = this.v.index.crossed(mark, this.crossedOut);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.max(0, -this.tnc(this.crossedOut[j] as number, mark));
    return s;
  }

  /** The chain's order: `|fillable − oracle|/oracle` descending, notional descending, then slot. */
  private readonly priority = (a: number, b: number): number =>
    (this.orderSpread[b] as number) - (this.orderSpread[a] as number) ||
    (this.orderNotional[b] as number) - (this.orderNotional[a] as number) ||
    (this.orderSlot[a] as number) - (this.orderSlot[b] as number);

  private tnc(slot: number, price: number): number {
    const v = this.v;
    return (
      (v.margin[slot] as number) +
      (v.size[slot] as number) * (price - (v.population.entryPrice[slot] as number))
    );
  }

  /** `bq(s) = s·P − TNC·(MMR(q) − MMR(q − s))/MMR(q)`: the quote the account must receive to close s. */
  private bankruptcyQuote(slot: number, s: number, oracle: number): number {
    const v = this.v;
    const q = v.size[slot] as number;
    const tiers = v.population.tiers;
    const before = maintenanceMargin(tiers, Math.abs(q) * oracle);
    const after = maintenanceMargin(tiers, Math.abs(q - s) * oracle);
    return s * oracle - (this.tnc(slot, oracle) * (before - after)) / before;
  }

  /** One order of size s at `fill`; false when it fills nothing (the fund cannot pay). */
  private fillOne(slot: number, size: number, oracle: number, fill: number, r: DydxRecord): boolean {
    const v = this.v;
    const q = v.size[slot] as number;
    if (q === 0) return true;
    // an earlier deleveraging this round may have shrunk the position under the order
    let s = Math.abs(size) >= Math.abs(q) ? q : size;
    let delta = s * fill - this.bankruptcyQuote(slot, s, oracle);
    const limit = this.params.maxInsuranceLostPerBlockUsd;
    if (-delta > limit) {
      s *= limit / -delta;
      delta = s * fill - this.bankruptcyQuote(slot, s, oracle);
      this.counts.insuranceLimited++;
    }
    if (delta < 0 && v.ledger.fundUsd + delta < 0) {
      this.counts.fundRefused++;
      return false;
    }
    const entry = v.population.entryPrice[slot] as number;
    const pnl = s * (fill - entry);
    v.ledger.realize(pnl);
    let m = (v.margin[slot] as number) + pnl;
    if (delta < 0) {
      v.ledger.payBadDebt(-delta);
      m -= delta;
      r.badDebtUsd -= delta;
      this.counts.fundPaidUsd -= delta;
    } else {
      const fee = Math.min(this.params.maxLiquidationFeeRate * Math.abs(s) * fill, delta);
      v.ledger.fee(fee);
      m -= fee;
      r.feesUsd += fee;
    }
    v.margin[slot] = m;
    this.counts.fills++;
    r.liquidatedNotionalUsd += Math.abs(s) * fill;
    this.resize(slot, q - s, fill, r);
    return true;
  }

  /** Sets the slot's size to `rest`: removed from the index at 0, else its liquidation price re-solved at `price`. */
  private resize(slot: number, rest: number, price: number, r: ProcedureRecord): void {
    const v = this.v;
    if (rest !== 0) {
      resizePosition(v, slot, rest, price);
      return;
    }
    v.size[slot] = 0;
    v.index.remove(slot);
    r.closed++;
  }

  /**
   * Deleverages the whole position of `slot` (TNC < 0 at `oracle`) against the opposite positions in
   * slot order, visited cyclically from a random start: each match closes `min(|left|, |theirs|)` at
   * the liquidated account's bankruptcy quote for that slice (recomputed after each match); a match
   * either account cannot accept ({@link acceptable}) is skipped. The offsetting account's cost
   * against the oracle price, `bq − s·P`, is its haircut (ADL executed); the need is `−TNC`.
   */
  private deleverage(slot: number, oracle: number, r: DydxRecord): void {
    const v = this.v;
    const q0 = v.size[slot] as number;
    let m = 0;
    for (let i = 0; i < v.size.length; i++) {
      const c = v.size[i] as number;
      if (i !== slot && c !== 0 && Math.sign(c) === -Math.sign(q0)) this.candidates[m++] = i;
    }
    if (m === 0) return;
    this.counts.deleveraged++;
    r.adlNeededUsd -= this.tnc(slot, oracle);
    const start = this.rng.int(m);
    const entry = v.population.entryPrice[slot] as number;
    for (let i = 0; i < m && v.size[slot] !== 0; i++) {
      const c = this.candidates[(i + start) % m] as number;
      const q = v.size[slot] as number;
      const theirs = v.size[c] as number;
      const s = Math.abs(q) > Math.abs(theirs) ? -theirs : q;
      const bq = this.bankruptcyQuote(slot, s, oracle);
      // closing the whole position at its bankruptcy quote leaves TNC = 0 exactly (the rulebook's
      // property); the float sum would leave a rounding residue either side of 0
      const pnl = s === q ? -(v.margin[slot] as number) : bq - s * entry;
      const ours = { m: (v.margin[slot] as number) + pnl, q: q - s };
      const entryC = v.population.entryPrice[c] as number;
      const them = { m: (v.margin[c] as number) - bq + s * entryC, q: theirs + s };
      if (!this.acceptable(slot, ours.m, ours.q, oracle) || !this.acceptable(c, them.m, them.q, oracle))
        continue;
      v.ledger.realize(pnl);
      v.ledger.realize(-bq + s * entryC);
      v.margin[slot] = ours.m;
      v.margin[c] = them.m;
      const haircut = bq - s * oracle;
      v.haircutUsd[c] = (v.haircutUsd[c] as number) + haircut;
      r.adlExecutedUsd += haircut;
      r.badDebtUsd += haircut;
      r.adlPayers++;
      this.counts.deleveragingFills++;
      this.counts.deleveragedNotionalUsd += Math.abs(s) * oracle;
      this.resize(c, them.q, oracle, r);
      this.resize(slot, ours.q, oracle, r);
    }
  }

  /**
   * Whether `slot` may go to margin `m1` and size `q1` at `oracle` (the chain's state-transition
   * check in floats): accepted when `TNC' ≥ TIMR'`; else it must not raise MMR and, MMR non-zero
   * before and after, `TNC'·MMR ≥ TNC·MMR'` to 1e-9 relative (both zero: TNC must rise). IMR is
   * `N / maxLeverage`.
   */
  private acceptable(slot: number, m1: number, q1: number, oracle: number): boolean {
    const v = this.v;
    const tiers = v.population.tiers;
    const entry = v.population.entryPrice[slot] as number;
    const n1 = Math.abs(q1) * oracle;
    const nc1 = m1 + q1 * (oracle - entry);
    if (nc1 >= n1 / tierFor(tiers, n1).maxLeverage) return true;
    const n0 = Math.abs(v.size[slot] as number) * oracle;
    const mmr0 = maintenanceMargin(tiers, n0);
    const mmr1 = q1 === 0 ? 0 : maintenanceMargin(tiers, n1);
    if (mmr1 > mmr0) return false;
    const nc0 = this.tnc(slot, oracle);
    if (mmr1 === 0 || mmr0 === 0) return mmr1 === 0 && mmr0 === 0 && nc1 > nc0;
    // up to 1e-9 relative: the bankruptcy quote keeps TNC/TMMR exactly, which floats round either way
    return nc1 * mmr0 - nc0 * mmr1 >= -1e-9 * Math.abs(nc0 * mmr1);
  }
}

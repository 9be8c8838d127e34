/**
 * Drift v2's perp liquidation procedure inside the simulated perp venue ({@link PerpVenue}), after
 * the program (drift-labs/protocol-v2 `programs/drift/src/controller/liquidation.rs`, `liquidate_perp`
 * and `resolve_perp_bankruptcy`; `math/liquidation.rs`, `calculate_base_asset_amount_to_cover_margin_shortage`,
 * `calculate_perp_if_fee`, `calculate_funding_rate_deltas_to_resolve_bankruptcy`), whose fixed-point
 * rulebook is src/venues/drift-v2.ts:
 * - a position whose total collateral `TC = margin + q·(P − E)` falls below its maintenance
 *   requirement `MR` is liquidated by a liquidator who takes over base at the oracle price P; the
 *   user pays the liquidator fee `lf·v` and the insurance-fund fee `if·v` on the value `v` taken,
 *   `if = min(maxIf, 95 %·(mr + buffer − lf − shortage/notional)⁺)` (`perpIfFee`, src/venues/drift-v2.ts); the base
 *   taken is what covers the buffered shortage `MR + buffer·notional − TC` ({@link driftTransfer}),
 *   so the liquidation stops early, the rest of the position staying open; the whole position when
 *   that base is not smaller, or the position is worth ≤ $50;
 * - the liquidator sells what it took into the book: its orders join the round's liquidation flow
 *   and fill at the round's impacted mark (its PnL against the oracle is its own);
 * - a position taken whole with negative collateral is bankrupt: the insurance fund pays up to its
 *   balance and to the market's insurance limit (`quote_max_insurance − quote_settled_insurance`),
 *   and the rest is socialized through the cumulative funding rate — the longs' rate rises and the
 *   shorts' falls by `Δ = loss/(|long| + |short|)` per base unit, so every open position of either
 *   side pays `|q|·Δ` (`fundingRateDeltaToResolveBankruptcy`, src/venues/drift-v2.ts).
 *
 * In the engine (docs/assumptions.md, "Venue simulator: Drift v2 procedure"): the flat liquidator fee
 * (no escalation with inactivity), no speed limit, the engine's capacity per step as the liquidators'
 * `liquidator_max_base_asset_amount`, the fee pool at 0, and the step's socialized losses charged
 * once at the end of the step on the positions open then (their margins fall by `|q|·Δ` and their
 * liquidation prices are re-solved). The fund pays only what it holds, so ADL never runs under it.
 */
import { maintenanceMargin } from "../../margin/tiers.js";
import { readNumber } from "../../validate.js";
import {
  DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
  MARGIN_PRECISION,
  QUOTE_PRECISION,
  SMALL_LIQUIDATION_QUOTE,
} from "../../venues/drift-v2.js";
import { resizePosition } from "./position-columns.js";
import type { VenueColumns } from "./procedure-hyperliquid.js";

/** Drift's rules for one market, as fractions of notional. */
export interface DriftProcedureParams {
  readonly kind: "drift-v2";
  /** `liquidator_fee`: the share of the value taken the user pays the liquidator, in [0, 1). */
  readonly liquidatorFee: number;
  /** `if_liquidation_fee`: the largest share of the value taken the user pays the insurance fund, in [0, 1). */
  readonly ifLiquidationFee: number;
  /** `liquidation_margin_buffer_ratio`: the buffer on the maintenance ratio while liquidated (Drift: 0.02). */
  readonly liquidationMarginBufferRatio: number;
  /** `quote_max_insurance` (USD): the most the fund pays this market's bankruptcies over the path; absent: no limit. */
  readonly maxInsuranceUsd?: number;
}

/** The program's default liquidation buffer as a fraction (2 %, `math/constants.rs`). */
export const DRIFT_DEFAULT_BUFFER = DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO / Number(MARGIN_PRECISION);

/**
 * Checks the rules, naming the field under `at` (e.g. `venue.procedure`).
 *
 * @throws InputError for a fee outside [0, 1), a buffer outside [0, 1) or a negative insurance limit.
 */
export function checkDriftProcedure(p: DriftProcedureParams, at: string): DriftProcedureParams {
  readNumber(p.liquidatorFee, `${at}.liquidatorFee`, {
    min: 0,
    max: 0.999,
    fix: "Give the liquidator fee as a fraction of the value taken, e.g. 0.01.",
  });
  readNumber(p.ifLiquidationFee, `${at}.ifLiquidationFee`, {
    min: 0,
    max: 0.999,
    fix: "Give the largest insurance-fund fee as a fraction of the value taken, e.g. 0.01.",
  });
  readNumber(p.liquidationMarginBufferRatio, `${at}.liquidationMarginBufferRatio`, {
    min: 0,
    max: 0.999,
    fix: "Give the buffer on the maintenance ratio, e.g. 0.02 (Drift's default).",
  });
  if (p.maxInsuranceUsd !== undefined) {
    readNumber(p.maxInsuranceUsd, `${at}.maxInsuranceUsd`, {
      min: 0,
      fix: "Give the market's insurance limit in USD, or leave it out for no limit.",
    });
  }
  return p;
}

/** One `liquidate_perp` transfer in floats: the base taken and the fees as fractions of its value. */
interface DriftTransfer {
  /** Base taken by the liquidator (magnitude, ≤ |q|). */
  base: number;
  /** The insurance-fund fee rate used. */
  ifFee: number;
  /** Whether the whole position was taken. */
  whole: boolean;
}

const SMALL_USD = Number(SMALL_LIQUIDATION_QUOTE) / Number(QUOTE_PRECISION);

/**
 * The transfer of `liquidate_perp` on a position of `base` units worth `notional` at the oracle, with
 * maintenance requirement `mm` (USD) and buffered shortage `shortage = mm + buffer·notional − TC > 0`,
 * for a liquidator taking at most `maxBase`: with `mr = mm/notional + buffer`,
 * `if = min(maxIf, 0.95·(mr − lf − shortage/notional)⁺)` (0 when `mr ≤ lf`), the base to cover
 * `shortage / (P·(mr − lf − if))` (the whole position when that divisor is not positive), and
 * `min(base, maxBase, max(cover, base if notional ≤ $50 else 0))`. Written into `out`.
 * Source: `controller/liquidation.rs::liquidate_perp`, `math/liquidation.rs` (the float form of
 * `perpIfFee` and `baseAssetAmountToCoverMarginShortage`, src/venues/drift-v2.ts).
 */
function driftTransfer(
  p: DriftProcedureParams,
  base: number,
  notional: number,
  mm: number,
  shortage: number,
  maxBase: number,
  out: DriftTransfer,
): DriftTransfer {
  const mr = mm / notional + p.liquidationMarginBufferRatio;
  const lf = p.liquidatorFee;
  const implied = mr > lf ? Math.max(0, mr - lf - shortage / notional) * 0.95 : 0;
  const ifFee = Math.min(p.ifLiquidationFee, implied);
  const divisor = mr - lf - ifFee;
  const price = notional / base;
  const cover = mr > lf && divisor > 0 ? shortage / (price * divisor) : Number.POSITIVE_INFINITY;
  const small = notional <= SMALL_USD ? base : 0;
  const taken = Math.min(base, maxBase, Math.max(cover, small));
  out.base = taken;
  out.ifFee = ifFee;
  out.whole = taken === base;
  return out;
}

/** What the procedure did over a path. */
export interface DriftCounts {
  /** `liquidate_perp` transfers, and of them those that left part of the position open. */
  transfers: number;
  partial: number;
  /** Positions taken whole with negative collateral (resolved by `resolve_perp_bankruptcy`). */
  bankrupt: number;
  liquidatorFeesUsd: number;
  ifFeesUsd: number;
  /** What the insurance fund paid of the bankruptcies. */
  insurancePaidUsd: number;
  /** The loss left after the fund, socialized through the cumulative funding rate. */
  socializedThroughFundingUsd: number;
  /** A loss left with no open position to bear it (the program refuses: `CantResolvePerpBankruptcy`), written off. */
  unsocializedUsd: number;
}

/** What a handled crossing adds to the step's record. */
interface DriftRecord {
  closed: number;
  liquidatedNotionalUsd: number;
  badDebtUsd: number;
  feesUsd: number;
}

/**
 * The procedure's state over a path: the liquidators' orders of the round, the capacity left in the
 * step, the insurance settled and the step's loss to socialize; memory allocated by the constructor.
 */
export class DriftLiquidations {
  readonly counts = {} as DriftCounts;
  /** The loss socialized through funding at the last step (USD). */
  stepSocializedUsd = 0;
  private readonly orderSlot: Int32Array;
  private readonly orderSize: Float64Array;
  private readonly orderPrice: Float64Array;
  private orders = 0;
  private readonly transfer: DriftTransfer = { base: 0, ifFee: 0, whole: false };
  private readonly maxInsurance: number;
  private settledInsurance = 0;
  private pendingLoss = 0;
  private capacityLeft = 0;
  private capacityStep = -1;

  constructor(
    readonly params: DriftProcedureParams,
    private readonly v: VenueColumns,
    /** Notional the liquidators take per step (USD; Infinity: no limit). */
    private readonly capacity: number,
  ) {
    const n = v.size.length;
    this.orderSlot = new Int32Array(n);
    this.orderSize = new Float64Array(n);
    this.orderPrice = new Float64Array(n);
    this.maxInsurance = params.maxInsuranceUsd ?? Number.POSITIVE_INFINITY;
    this.reset();
  }

  /** Back to the start of a path; no allocation. */
  reset(): void {
    const c = this.counts;
    c.transfers = 0;
    c.partial = 0;
    c.bankrupt = 0;
    c.liquidatorFeesUsd = 0;
    c.ifFeesUsd = 0;
    c.insurancePaidUsd = 0;
    c.socializedThroughFundingUsd = 0;
    c.unsocializedUsd = 0;
    this.stepSocializedUsd = 0;
    this.orders = 0;
    this.settledInsurance = 0;
    this.pendingLoss = 0;
    this.capacityStep = -1;
  }

  /** Liquidator orders waiting for the round's fill. */
  get pendingOrders(): number {
    return this.orders;
  }

  /**
   * `liquidate_perp` on the crossed `slot` at the oracle `mark` on step `t`: the transfer of
   * {@link driftTransfer} within the step's capacity left, the user's PnL at the oracle and fees
   * booked, the liquidator's order queued; the rest re-indexed, or a bankrupt position resolved.
   * Always handles the crossing (true).
   */
  liquidate(slot: number, mark: number, t: number, r: DriftRecord): boolean {
    if (t !== this.capacityStep) {
      this.capacityStep = t;
      this.capacityLeft = this.capacity;
    }
    const v = this.v;
    const q = v.size[slot] as number;
    const entry = v.population.entryPrice[slot] as number;
    const base = Math.abs(q);
    const notional = base * mark;
    const mm = maintenanceMargin(v.population.tiers, notional);
    const tc = (v.margin[slot] as number) + q * (mark - entry);
    const shortage = mm + this.params.liquidationMarginBufferRatio * notional - tc;
    if (!(shortage > 0) || !(this.capacityLeft > 0)) return true;
    const x = driftTransfer(
      this.params,
      base,
      notional,
      mm,
      shortage,
      this.capacityLeft / mark,
      this.transfer,
    );
    const s = x.whole ? q : Math.sign(q) * x.base;
    const value = x.base * mark;
    this.capacityLeft = Math.max(0, this.capacityLeft - value);
    const liquidatorFee = this.params.liquidatorFee * value;
    const ifFee = x.ifFee * value;
    const pnl = s * (mark - entry);
    v.ledger.realize(pnl);
    v.ledger.liquidatorFee(liquidatorFee);
    v.ledger.ifFee(ifFee);
    const margin = (v.margin[slot] as number) + pnl - liquidatorFee - ifFee;
    v.margin[slot] = margin;
    r.feesUsd += ifFee;
    const c = this.counts;
    c.transfers++;
    c.liquidatorFeesUsd += liquidatorFee;
    c.ifFeesUsd += ifFee;
    this.orderSlot[this.orders] = slot;
    this.orderSize[this.orders] = s;
    this.orderPrice[this.orders] = mark;
    this.orders++;
    if (x.whole) {
      v.size[slot] = 0;
      v.index.remove(slot);
      r.closed++;
      if (margin < 0) this.bankrupt(slot, r);
      return true;
    }
    c.partial++;
    resizePosition(v, slot, q - s, mark);
    return true;
  }

  /** The round's liquidator orders as liquidation flow at `mark` (USD, negative for sells): Σ −s·mark. */
  flowAt(mark: number): number {
    let flow = 0;
    for (let o = 0; o < this.orders; o++) flow -= (this.orderSize[o] as number) * mark;
    return flow;
  }

  /** Fills the liquidators' orders at `fill`: each realizes `s·(F − P)` against the oracle price it took at. */
  fillOrders(fill: number, r: DriftRecord): void {
    for (let o = 0; o < this.orders; o++) {
      const s = this.orderSize[o] as number;
      this.v.ledger.liquidatorFill(s * (fill - (this.orderPrice[o] as number)));
      r.liquidatedNotionalUsd += Math.abs(s) * fill;
    }
    this.orders = 0;
  }

  /**
   * `resolve_perp_bankruptcy` of a closed `slot` with negative collateral: the fund pays
   * `min(loss, fund, maxInsurance − settled)`, the rest is owed by the funding account until
   * {@link settleStep} charges it to the open positions.
   */
  private bankrupt(slot: number, r: DriftRecord): void {
    const ledger = this.v.ledger;
    const loss = -(this.v.margin[slot] as number);
    r.badDebtUsd += loss;
    this.counts.bankrupt++;
    const pay = Math.min(loss, Math.max(0, ledger.fundUsd), this.maxInsurance - this.settledInsurance);
    ledger.payBadDebt(pay);
    this.settledInsurance += pay;
    this.counts.insurancePaidUsd += pay;
    const rest = loss - pay;
    if (rest > 0) {
      ledger.advanceFunding(rest);
      this.pendingLoss += rest;
    }
    this.v.margin[slot] = 0;
  }

  /**
   * Charges the step's loss left after the fund to the positions open at `mark` through the
   * cumulative funding rate: `Δ = loss / Σ|q|` per base unit, both sides, each margin falling by
   * `|q|·Δ` and its liquidation price re-solved; with no open position the loss is written off.
   * Source: `resolve_perp_bankruptcy` (`cumulative_funding_rate_long += Δ`, `…_short −= Δ`);
   * `fundingRateDeltaToResolveBankruptcy` (src/venues/drift-v2.ts).
   */
  settleStep(mark: number): void {
    const loss = this.pendingLoss;
    this.pendingLoss = 0;
    this.stepSocializedUsd = 0;
    if (!(loss > 0)) return;
    const v = this.v;
    const n = v.size.length;
    let openBase = 0;
    for (let i = 0; i < n; i++) openBase += Math.abs(v.size[i] as number);
    if (openBase === 0) {
      v.ledger.writeOffFunding(loss);
      this.counts.unsocializedUsd += loss;
      return;
    }
    const delta = loss / openBase;
    for (let i = 0; i < n; i++) {
      const q = v.size[i] as number;
      if (q === 0) continue;
      const charge = Math.abs(q) * delta;
      v.ledger.fundingCharge(charge);
      v.margin[i] = (v.margin[i] as number) - charge;
      resizePosition(v, i, q, mark);
    }
    this.stepSocializedUsd = loss;
    this.counts.socializedThroughFundingUsd += loss;
  }
}

/**
 * GMX v2's liquidations against the GM pool, and its pool auto-deleveraging, inside the simulated
 * perp venue ({@link PerpVenue}). Sources: gmx-io/gmx-synthetics (read at a5c0c883, and `AdlHandler.sol`,
 * `AdlUtils.sol`, `Errors.sol` of the stored snapshot):
 * - the pool (the LPs) is every trader's counterparty: a position's losses are paid into the pool and
 *   its profits out of it (`DecreasePositionCollateralUtils`: the realized PnL moves between the
 *   position's collateral and the pool);
 * - a keeper liquidates a position when `PositionUtils.isPositionLiquidatable` says so, at the oracle
 *   price, for its whole size, with the close's capped price impact, the position fee and the
 *   liquidation fee (`liquidationOrder`, src/venues/gmx-v2/liquidation-order.ts, is the rulebook and
 *   the settlement used here); what the collateral cannot pay — the shortfall of an insolvent close —
 *   the pool bears: there is no insurance fund;
 * - ADL (`AdlUtils.updateAdlState`, `AdlHandler.executeAdl`): on a side whose `pnlToPoolFactor` (the
 *   side's net pending PnL over the pool's value without PnL, `MarketUtils.getPnlToPoolFactor`)
 *   exceeds `MAX_PNL_FACTOR_FOR_ADL`, keepers decrease profitable positions of that side; every ADL
 *   order must lower the factor (`InvalidAdl`) and must not take it below `MIN_PNL_FACTOR_AFTER_ADL`
 *   (`PnlOvercorrected`). The contracts leave the choice of positions to the ADL keeper (nothing
 *   on-chain orders them: Sherlock's 2023-02 GMX audit, issue 153); here the largest PnL goes first.
 *
 * In the engine (docs/assumptions.md, "Venue simulator: GMX v2 procedure"): one pool in USD backs both
 * sides; the oracle is the exogenous mark (liquidations and ADL do not move it: the pool's price
 * impact is a charge, not a book); every step the keepers check every open position and liquidate
 * those the rulebook liquidates, in slot order, the open interest updated after each; then ADL runs
 * on each side, long first, again until neither side is above the maximum, and realizes exactly the profit `x = (PnL − f_min·V)/(1 − f_min)` that
 * brings the factor `(PnL − x)/(V − x)` to `f_min`, closing the shares it needs of the winners,
 * without fees or impact. Collateral in USD (price 1), no borrowing or funding fees.
 */
import { InputError } from "../../errors.js";
import { readNumber } from "../../validate.js";
import {
  type GmxMarket,
  type GmxPosition,
  liquidationOrder,
  type PositionImpactParams,
} from "../../venues/gmx-v2.js";
import type { VenueLedger } from "./ledger.js";
import type { PerpPopulation } from "./population.js";

/** The procedure's market parameters (GMX stores the factors ×1e30; here fractions and USD). */
export interface GmxProcedureParams {
  readonly kind: "gmx-v2";
  /** The GM pool's value at the start (USD > 0, finite): the LPs' capital, the traders' counterparty. */
  readonly poolUsd: number;
  /** `minCollateralFactorForLiquidation`: the least remaining collateral per unit of size. */
  readonly minCollateralFactorForLiquidation: number;
  /** `MIN_COLLATERAL_USD`. */
  readonly minCollateralUsd: number;
  /** `positionFeeFactor` when the close improves the balance, and when it worsens it. */
  readonly positionFeeFactor: { readonly positiveImpact: number; readonly negativeImpact: number };
  /** `liquidationFeeFactor`: fee on the size of a liquidation order. */
  readonly liquidationFeeFactor: number;
  /** Position price impact factors and exponents. */
  readonly impact: PositionImpactParams;
  /** `maxPositionImpactFactorForLiquidations`: cap of the negative impact a liquidation pays. */
  readonly maxPositionImpactFactorForLiquidations: number;
  /** `MAX_PNL_FACTOR_FOR_ADL`: ADL is enabled on a side whose PnL-to-pool factor exceeds it. */
  readonly maxPnlFactorForAdl: number;
  /** `MIN_PNL_FACTOR_AFTER_ADL`: ADL may not take the factor below it. */
  readonly minPnlFactorAfterAdl: number;
}

/**
 * GMX-like defaults for every field but the pool, from gmx-io/gmx-synthetics `config/markets.ts`:
 * 1 % minimum collateral factor and 1 % impact cap for liquidations, the ADL factors 45 % / 40 %
 * (`hardhatBaseMarketConfig`), position fees 0.04 % / 0.06 %, the liquidation fee 0.20 %
 * (`baseMarketConfig`), impact factors 2.5e-10 / 5e-10 with exponent 2.2 (the APE/USD market:
 * "0.05% for ~45,000 USD of imbalance"); `MIN_COLLATERAL_USD` $1 (`config/general.ts`).
 */
export function gmxProcedure(poolUsd: number): GmxProcedureParams {
  return {
    kind: "gmx-v2",
    poolUsd,
    minCollateralFactorForLiquidation: 0.01,
    minCollateralUsd: 1,
    positionFeeFactor: { positiveImpact: 0.0004, negativeImpact: 0.0006 },
    liquidationFeeFactor: 0.002,
    impact: {
      positiveImpactFactor: 2.5e-10,
      negativeImpactFactor: 5e-10,
      positiveExponent: 2.2,
      negativeExponent: 2.2,
    },
    maxPositionImpactFactorForLiquidations: 0.01,
    maxPnlFactorForAdl: 0.45,
    minPnlFactorAfterAdl: 0.4,
  };
}

/**
 * Checks the parameters, naming the field under `at` (e.g. `venue.procedure`).
 *
 * @throws InputError for a pool that is not a finite USD value > 0, a factor outside [0, 1), a
 *   negative impact factor or exponent, or `minPnlFactorAfterAdl` above `maxPnlFactorForAdl`.
 */
export function checkGmxProcedure(p: GmxProcedureParams, at: string): GmxProcedureParams {
  const num = (value: number, field: string, fix: string, options: { max?: number } = {}) =>
    readNumber(value, `${at}.${field}`, { min: 0, ...options, fix });
  num(p.poolUsd, "poolUsd", "Give the GM pool's value in USD, e.g. 5e8.");
  if (!(p.poolUsd > 0 && Number.isFinite(p.poolUsd))) {
    throw new InputError(`${at}.poolUsd`, p.poolUsd, "must be a finite USD value > 0", "Give e.g. 5e8.");
  }
  const fraction = (value: number, field: string, fix: string) => num(value, field, fix, { max: 0.999 });
  fraction(p.minCollateralFactorForLiquidation, "minCollateralFactorForLiquidation", "Give e.g. 0.01 (1 %).");
  num(p.minCollateralUsd, "minCollateralUsd", "Give MIN_COLLATERAL_USD, e.g. 1.");
  fraction(p.positionFeeFactor?.positiveImpact, "positionFeeFactor.positiveImpact", "Give e.g. 0.0004.");
  fraction(p.positionFeeFactor?.negativeImpact, "positionFeeFactor.negativeImpact", "Give e.g. 0.0006.");
  fraction(p.liquidationFeeFactor, "liquidationFeeFactor", "Give e.g. 0.002 (0.20 %).");
  for (const key of [
    "positiveImpactFactor",
    "negativeImpactFactor",
    "positiveExponent",
    "negativeExponent",
  ] as const) {
    num(p.impact?.[key], `impact.${key}`, "Give e.g. 5e-10 for a factor, 2.2 for an exponent.");
  }
  fraction(
    p.maxPositionImpactFactorForLiquidations,
    "maxPositionImpactFactorForLiquidations",
    "Give e.g. 0.01.",
  );
  fraction(p.maxPnlFactorForAdl, "maxPnlFactorForAdl", "Give e.g. 0.45.");
  fraction(p.minPnlFactorAfterAdl, "minPnlFactorAfterAdl", "Give e.g. 0.4.");
  if (p.minPnlFactorAfterAdl > p.maxPnlFactorForAdl) {
    throw new InputError(
      `${at}.minPnlFactorAfterAdl`,
      p.minPnlFactorAfterAdl,
      `is above maxPnlFactorForAdl (${p.maxPnlFactorForAdl})`,
      "ADL lowers the factor from above the maximum to the minimum: give a minimum ≤ the maximum.",
    );
  }
  return p;
}

/** What the pool did over a path (reset with the venue). */
export interface GmxPoolTotals {
  /** Positions the keepers liquidated. */
  liquidations: number;
  /** Σ shortfalls of insolvent liquidations: the LPs' loss beyond the collateral (USD). */
  lpLossUsd: number;
  /** Σ negative price impact liquidations paid to the pool (USD ≥ 0). */
  impactUsd: number;
  /** ADL orders (one per position decreased at a step). */
  adlOrders: number;
  /** Σ size ADL closed, at the oracle price (USD). */
  adlNotionalUsd: number;
  /** Σ profit ADL realized, paid out of the pool (USD). */
  adlPnlPaidUsd: number;
  /** Steps with ADL on some side. */
  adlSteps: number;
  /**
   * Steps where a side's factor exceeded the maximum but its PnL was at least the pool's value: every
   * ADL order would have raised the factor (`InvalidAdl`), so none ran (the pool is insolvent to the side).
   */
  adlBlockedSteps: number;
  /** The largest PnL-to-pool factor of a side seen before ADL. */
  maxPnlToPoolFactor: number;
  /** The pool's value now and its lowest (USD). */
  poolUsd: number;
  minPoolUsd: number;
}

/** What the step adds to the venue's record (liquidations and their shortfalls). */
export interface GmxStepRecord {
  takenOver: number;
  closed: number;
  liquidatedNotionalUsd: number;
  badDebtUsd: number;
  feesUsd: number;
}

/** The venue's columns the procedure reads and writes (shared with {@link PerpVenue}). */
export interface GmxVenueColumns {
  readonly population: PerpPopulation;
  readonly size: Float64Array;
  readonly margin: Float64Array;
  readonly liquidatedAt: Int32Array;
  readonly ledger: VenueLedger;
}

const LONG = 0;
const SHORT = 1;
/** Rounds of ADL over both sides in one step (each round pays out profit; a bound, never reached in the tests). */
const MAX_ADL_ROUNDS = 64;

/**
 * The pool, its open interest and the keepers; scratch allocated by the constructor, the rulebook's
 * result objects only for positions near their threshold, and the winners' sort in an ADL event.
 */
export class GmxPoolLiquidations {
  readonly totals = {} as GmxPoolTotals;
  /** ADL notional of the last step (USD). */
  stepAdlNotionalUsd = 0;
  /** Open interest in USD at entry (`sizeInUsd`), per side. */
  private readonly oi = { long: 0, short: 0 };
  private readonly market: GmxMarket;
  private readonly position: {
    -readonly [K in keyof GmxPosition]: GmxPosition[K];
  };
  /** Costs a liquidation can charge at most, per unit of size: the impact cap and the larger fee. */
  private readonly maxCostFactor: number;
  private readonly wSlot: Int32Array;
  private readonly wPnl: Float64Array;
  private readonly sidePnl = new Float64Array(2);
  /** Whether a side's ADL was blocked this step (its PnL at least the pool). */
  private blocked = false;

  constructor(
    readonly params: GmxProcedureParams,
    private readonly v: GmxVenueColumns,
  ) {
    const n = v.size.length;
    this.market = {
      symbol: "simulated",
      minCollateralFactor: params.minCollateralFactorForLiquidation,
      minCollateralFactorForLiquidation: params.minCollateralFactorForLiquidation,
      minCollateralFactorForOpenInterestMultiplier: { long: 0, short: 0 },
      minCollateralUsd: params.minCollateralUsd,
      positionFeeFactor: params.positionFeeFactor,
      impact: params.impact,
      maxPositiveImpactFactor: 0,
      maxPositionImpactFactorForLiquidations: params.maxPositionImpactFactorForLiquidations,
      liquidationFeeFactor: params.liquidationFeeFactor,
      openInterest: this.oi,
    };
    this.position = {
      isLong: true,
      sizeInUsd: 0,
      sizeInTokens: 0,
      collateralAmount: 0,
      collateralIsIndexToken: false,
      collateralPrice: 1,
      borrowingFeeUsd: 0,
      fundingFeeAmount: 0,
      pendingImpactAmount: 0,
    };
    this.maxCostFactor =
      params.maxPositionImpactFactorForLiquidations +
      Math.max(params.positionFeeFactor.positiveImpact, params.positionFeeFactor.negativeImpact);
    this.wSlot = new Int32Array(n);
    this.wPnl = new Float64Array(n);
    this.reset();
  }

  /** Back to the start: open interest of the population, the pool's totals. */
  reset(): void {
    const { size, entryPrice } = this.v.population;
    this.oi.long = 0;
    this.oi.short = 0;
    for (let i = 0; i < size.length; i++) {
      const q = size[i] as number;
      if (q > 0) this.oi.long += q * (entryPrice[i] as number);
      else this.oi.short -= q * (entryPrice[i] as number);
    }
    const t = this.totals;
    t.liquidations = 0;
    t.lpLossUsd = 0;
    t.impactUsd = 0;
    t.adlOrders = 0;
    t.adlNotionalUsd = 0;
    t.adlPnlPaidUsd = 0;
    t.adlSteps = 0;
    t.adlBlockedSteps = 0;
    t.maxPnlToPoolFactor = Number.NEGATIVE_INFINITY;
    t.poolUsd = this.params.poolUsd;
    t.minPoolUsd = this.params.poolUsd;
    this.stepAdlNotionalUsd = 0;
  }

  /** The open interest of a side in USD at entry (`sizeInUsd` summed). */
  openInterestUsd(isLong: boolean): number {
    return isLong ? this.oi.long : this.oi.short;
  }

  /**
   * A side's PnL-to-pool factor at `price`: `Σ q·(P − E)` over its open positions, over the pool's
   * value (`MarketUtils.getPnlToPoolFactor`, one price, one pool backing both sides).
   */
  pnlToPoolFactor(isLong: boolean, price: number): number {
    this.sumSidePnl(price);
    return (this.sidePnl[isLong ? LONG : SHORT] as number) / this.v.ledger.poolUsd;
  }

  /** One step at oracle price `price` (step `t`): the keepers' liquidations, then ADL on each side. */
  step(price: number, t: number, r: GmxStepRecord): void {
    this.liquidate(price, t, r);
    this.stepAdlNotionalUsd = 0;
    // One pool backs both sides: the profit one side's ADL pays out raises the other side's factor,
    // so the keepers check both again until neither is above the maximum (each round pays out profit).
    let adl = false;
    this.blocked = false;
    for (let round = 0; round < MAX_ADL_ROUNDS; round++) {
      this.sumSidePnl(price);
      const long = this.deleverage(LONG, price);
      if (long) this.sumSidePnl(price);
      const short = this.deleverage(SHORT, price);
      if (!(long || short)) break;
      adl = true;
    }
    if (adl) this.totals.adlSteps++;
    if (this.blocked) this.totals.adlBlockedSteps++;
    const pool = this.v.ledger.poolUsd;
    this.totals.poolUsd = pool;
    this.totals.minPoolUsd = Math.min(this.totals.minPoolUsd, pool);
  }

  /**
   * Every open position the rulebook liquidates at `price`, in slot order: a cheap bound screens out
   * the positions whose remaining collateral, with the largest impact and fee a close can charge,
   * clears every threshold; the others get `liquidationOrder` on the current open interest. The pool
   * receives the collateral less what is returned to the trader; the shortfall is its loss.
   */
  private liquidate(price: number, t: number, r: GmxStepRecord): void {
    const v = this.v;
    const p = this.params;
    const { entryPrice } = v.population;
    const pos = this.position;
    for (let i = 0; i < v.size.length; i++) {
      const q = v.size[i] as number;
      if (q === 0) continue;
      const entry = entryPrice[i] as number;
      const sizeUsd = Math.abs(q) * entry;
      const c = v.margin[i] as number;
      const bound = c + q * (price - entry) - sizeUsd * this.maxCostFactor;
      if (bound > 0 && bound >= p.minCollateralUsd && bound >= sizeUsd * p.minCollateralFactorForLiquidation)
        continue;
      pos.isLong = q > 0;
      pos.sizeInUsd = sizeUsd;
      pos.sizeInTokens = Math.abs(q);
      pos.collateralAmount = c;
      const order = liquidationOrder(pos, this.market, price);
      if (!order.check.liquidatable) continue;
      const returned = order.collateralReturnedUsd;
      v.ledger.toPool(c - returned);
      v.margin[i] = returned;
      v.size[i] = 0;
      v.liquidatedAt[i] = t;
      if (q > 0) this.oi.long -= sizeUsd;
      else this.oi.short -= sizeUsd;
      r.takenOver++;
      r.closed++;
      r.liquidatedNotionalUsd += Math.abs(q) * price;
      r.badDebtUsd += order.shortfallUsd;
      r.feesUsd += order.check.positionFeeUsd + order.liquidationFeeUsd;
      this.totals.liquidations++;
      this.totals.lpLossUsd += order.shortfallUsd;
      this.totals.impactUsd -= order.check.priceImpactUsd;
    }
  }

  /** Σ q·(P − E) of the open positions, per side, into {@link sidePnl}. */
  private sumSidePnl(price: number): void {
    const { size } = this.v;
    const { entryPrice } = this.v.population;
    let long = 0;
    let short = 0;
    for (let i = 0; i < size.length; i++) {
      const q = size[i] as number;
      if (q > 0) long += q * (price - (entryPrice[i] as number));
      else if (q < 0) short += q * (price - (entryPrice[i] as number));
    }
    this.sidePnl[LONG] = long;
    this.sidePnl[SHORT] = short;
  }

  /**
   * ADL on `side` at `price` when its factor `PnL/V` exceeds `maxPnlFactorForAdl`: realizes
   * `x = (PnL − f_min·V)/(1 − f_min)` from the winners, largest PnL first (ties by slot), closing the
   * share `min(1, x_left/w)` of each winner of PnL w; the pool pays the profit to the account. Returns
   * whether ADL ran. With `PnL ≥ V` no order can lower the factor and none runs (counted as blocked).
   */
  private deleverage(side: number, price: number): boolean {
    const v = this.v;
    const p = this.params;
    const pnl = this.sidePnl[side] as number;
    const pool = v.ledger.poolUsd;
    const factor = pnl / pool;
    if (pool > 0) this.totals.maxPnlToPoolFactor = Math.max(this.totals.maxPnlToPoolFactor, factor);
    if (!(pnl > 0) || (pool > 0 && !(factor > p.maxPnlFactorForAdl))) return false;
    if (!(pool > pnl)) {
      this.blocked = true;
      return false;
    }
    const { entryPrice } = v.population;
    const sign = side === LONG ? 1 : -1;
    let m = 0;
    for (let i = 0; i < v.size.length; i++) {
      const q = v.size[i] as number;
      if (Math.sign(q) !== sign) continue;
      const w = q * (price - (entryPrice[i] as number));
      if (!(w > 0)) continue;
      this.wSlot[m] = i;
      this.wPnl[i] = w;
      m++;
    }
    const wPnl = this.wPnl;
    const order = this.wSlot
      .subarray(0, m)
      .sort((a, b) => (wPnl[b] as number) - (wPnl[a] as number) || a - b);
    let left = (pnl - p.minPnlFactorAfterAdl * pool) / (1 - p.minPnlFactorAfterAdl);
    for (let j = 0; j < m && left > 0; j++) {
      const i = order[j] as number;
      const w = wPnl[i] as number;
      const q = v.size[i] as number;
      const whole = w <= left;
      const share = whole ? 1 : left / w;
      const paid = whole ? w : left;
      v.ledger.fromPool(paid);
      v.size[i] = whole ? 0 : q * (1 - share);
      const closedUsd = Math.abs(q) * share * (entryPrice[i] as number);
      if (q > 0) this.oi.long -= closedUsd;
      else this.oi.short -= closedUsd;
      const notional = Math.abs(q) * share * price;
      this.stepAdlNotionalUsd += notional;
      this.totals.adlNotionalUsd += notional;
      this.totals.adlPnlPaidUsd += paid;
      this.totals.adlOrders++;
      left -= paid;
    }
    return true;
  }
}

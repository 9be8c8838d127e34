/**
 * Hyperliquid's liquidation procedure inside the simulated perp venue ({@link PerpVenue}), after
 * Hyperliquid's docs, "Liquidations" (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations):
 * a position whose equity falls below its maintenance margin is first liquidated by market orders
 * sent to the book — 20 % of the position when its notional is above 100k USDC and no partial
 * liquidation of it happened in the last 30 s, the whole of it otherwise — and the account keeps
 * the rest of its collateral; when equity falls below 2/3 of the maintenance margin the backstop
 * liquidator vault (HLP) takes over the position and its margin. Auto-deleveraging starts when an
 * account's value is negative (docs, "Auto-deleveraging").
 *
 * In the engine (docs/assumptions.md, "Venue simulator: Hyperliquid procedure"): a crossed position
 * gets one action per round ({@link hyperliquidAction}); market orders join the round's liquidation
 * flow and fill at the round's impacted mark, the account realizes their PnL in its margin and its
 * liquidation price is re-solved on the rest (`isolatedLiquidationPrice`, `index.update`); a
 * backstop take-over is the engine's take-over booked to the vault, whose closes go through the
 * liquidator queue; a bankrupt position (equity < 0 at the crossing) is closed at the mark and its
 * negative equity is paid by the fund (0 on Hyperliquid), whose deficit the ADL policy socializes.
 * The cooldown counts steps: a partial at step t makes every liquidation of the same position at
 * steps t … t + k − 1 a full one (k = ⌈30 s / step length⌉ ≥ 1).
 */
import { InputError } from "../../errors.js";
import { maintenanceMargin } from "../../margin/tiers.js";
import { readNumber } from "../../validate.js";
import {
  HYPERLIQUID_BACKSTOP_FRACTION,
  HYPERLIQUID_COOLDOWN_SECONDS,
  HYPERLIQUID_PARTIAL_FRACTION,
  HYPERLIQUID_PARTIAL_THRESHOLD_USD,
} from "../../venues/hyperliquid.js";
import type { BankruptContracts } from "./adl-contracts.js";
import type { VenueLedger } from "./ledger.js";
import { type PositionColumns, resizePosition } from "./position-columns.js";

/** The procedure's rules: Hyperliquid's published values by {@link hyperliquidProcedure}. */
export interface HyperliquidProcedureParams {
  readonly kind: "hyperliquid";
  /** A position above this notional at the mark (USD) is liquidated a share at a time. */
  readonly partialThresholdUsd: number;
  /** The share of the position a partial liquidation sends to the book, in (0, 1). */
  readonly partialFraction: number;
  /** Steps after a partial liquidation during which liquidations are for the full position (whole ≥ 1). */
  readonly cooldownSteps: number;
  /** Below this share of the maintenance margin the backstop vault takes over, in (0, 1). */
  readonly backstopRatio: number;
  /** The vault's starting capital (USD ≥ 0, finite); its losses beyond it pass to the fund. */
  readonly vaultCapitalUsd: number;
}

/**
 * Hyperliquid's published rules on a grid of `stepSeconds` per step: threshold 100k USDC, 20 %,
 * backstop below 2/3 of maintenance margin, a 30 s cooldown as `⌈30 / stepSeconds⌉` steps.
 */
export function hyperliquidProcedure(
  stepSeconds: number,
  vaultCapitalUsd: number,
): HyperliquidProcedureParams {
  return {
    kind: "hyperliquid",
    partialThresholdUsd: HYPERLIQUID_PARTIAL_THRESHOLD_USD,
    partialFraction: HYPERLIQUID_PARTIAL_FRACTION,
    cooldownSteps: Math.max(1, Math.ceil(HYPERLIQUID_COOLDOWN_SECONDS / stepSeconds)),
    backstopRatio: HYPERLIQUID_BACKSTOP_FRACTION,
    vaultCapitalUsd,
  };
}

/**
 * Checks the rules, naming the field under `at` (e.g. `venue.procedure`).
 *
 * @throws InputError for a fraction or ratio outside (0, 1), a cooldown that is not a whole number
 *   ≥ 1, a negative threshold or a negative or infinite vault capital.
 */
export function checkHyperliquidProcedure(
  p: HyperliquidProcedureParams,
  at: string,
): HyperliquidProcedureParams {
  readNumber(p.partialThresholdUsd, `${at}.partialThresholdUsd`, {
    min: 0,
    fix: "Give the notional above which liquidations are partial, e.g. 100000 (Hyperliquid).",
  });
  readNumber(p.partialFraction, `${at}.partialFraction`, {
    min: 0,
    exclusiveMin: true,
    max: 0.999,
    fix: "Give the share a partial liquidation sends to the book, e.g. 0.2 (Hyperliquid).",
  });
  const k = readNumber(p.cooldownSteps, `${at}.cooldownSteps`, {
    min: 1,
    fix: "Give the cooldown in steps, a whole number ≥ 1 (30 s on Hyperliquid: 1 on a 1-minute grid).",
  });
  if (!Number.isInteger(k)) {
    throw new InputError(`${at}.cooldownSteps`, k, "must be a whole number", "Round it up.");
  }
  readNumber(p.backstopRatio, `${at}.backstopRatio`, {
    min: 0,
    exclusiveMin: true,
    max: 0.999,
    fix: "Give the share of maintenance margin below which the vault takes over, e.g. 0.6667 (2/3, Hyperliquid).",
  });
  readNumber(p.vaultCapitalUsd, `${at}.vaultCapitalUsd`, {
    min: 0,
    fix: "Give the backstop vault's capital in USD, e.g. 3.5e8.",
  });
  return p;
}

/** What the procedure does to a crossed position. */
export type HyperliquidAction = "market-partial" | "market-full" | "backstop" | "bankrupt";

/**
 * The action on a position the mark has crossed (equity ≤ maintenance margin `mm`), of `notional`
 * at the mark and `equity` = margin + unrealized PnL, `stepsSinceLastPartial` steps after its last
 * partial liquidation (Infinity if none): bankrupt when `equity < 0`; backstop when
 * `equity < backstopRatio·mm`; a partial market order when `notional > partialThresholdUsd` and
 * `stepsSinceLastPartial ≥ cooldownSteps`; a full market order otherwise (Hyperliquid docs,
 * "Liquidations"; `hyperliquidLiquidationSteps` in src/venues/hyperliquid.ts is the same rule in
 * seconds, without the bankrupt case, which its ADL section covers).
 */
export function hyperliquidAction(
  p: HyperliquidProcedureParams,
  notional: number,
  equity: number,
  mm: number,
  stepsSinceLastPartial: number,
): HyperliquidAction {
  if (equity < 0) return "bankrupt";
  if (equity < p.backstopRatio * mm) return "backstop";
  if (notional > p.partialThresholdUsd && stepsSinceLastPartial >= p.cooldownSteps) return "market-partial";
  return "market-full";
}

/** Counts of the procedure's actions over a path. */
export interface HyperliquidCounts {
  partial: number;
  full: number;
  backstop: number;
  bankrupt: number;
}

/** The venue's columns and books the procedure reads and writes (shared with {@link PerpVenue}). */
export interface VenueColumns extends PositionColumns {
  readonly ledger: VenueLedger;
  /** Σ negative fill PnL of the step per side (0 long, 1 short): the losers' side picks ADL's winners. */
  readonly stepLoss: Float64Array;
  /** The bankrupt contracts (size, dollars beyond the bankruptcy price), for a contract-space ADL queue. */
  readonly bankrupt: BankruptContracts;
}

/** What a handled crossing adds to the step's record. */
export interface ProcedureRecord {
  closed: number;
  liquidatedNotionalUsd: number;
  badDebtUsd: number;
}

const NEVER = -(2 ** 31);

/**
 * The per-position state of the procedure (the step of the last partial) and the round's market
 * orders; all memory allocated by the constructor.
 */
export class HyperliquidLiquidations {
  readonly counts: HyperliquidCounts = { partial: 0, full: 0, backstop: 0, bankrupt: 0 };
  private readonly lastPartial: Int32Array;
  private readonly orderSlot: Int32Array;
  private readonly orderSize: Float64Array;
  private orders = 0;

  constructor(
    readonly params: HyperliquidProcedureParams,
    private readonly v: VenueColumns,
  ) {
    const n = v.size.length;
    this.lastPartial = new Int32Array(n);
    this.orderSlot = new Int32Array(n);
    this.orderSize = new Float64Array(n);
    this.reset();
  }

  reset(): void {
    this.lastPartial.fill(NEVER);
    this.orders = 0;
    this.counts.partial = 0;
    this.counts.full = 0;
    this.counts.backstop = 0;
    this.counts.bankrupt = 0;
  }

  /** Market orders waiting for the round's fill. */
  get pendingOrders(): number {
    return this.orders;
  }

  /**
   * Liquidates the crossed `slot` at the round's `mark` on step `t`: queues a market order, or closes
   * a bankrupt position at the mark (its negative equity paid by the fund), and returns true; returns
   * false for a backstop take-over, which the engine does (booked to the vault).
   */
  liquidate(slot: number, mark: number, t: number, r: ProcedureRecord): boolean {
    const v = this.v;
    const q = v.size[slot] as number;
    const entry = v.population.entryPrice[slot] as number;
    const notional = Math.abs(q) * mark;
    const equity = (v.margin[slot] as number) + q * (mark - entry);
    const mm = maintenanceMargin(v.population.tiers, notional);
    const last = this.lastPartial[slot] as number;
    const since = last === NEVER ? Number.POSITIVE_INFINITY : t - last;
    const action = hyperliquidAction(this.params, notional, equity, mm, since);
    switch (action) {
      case "backstop":
        this.counts.backstop++;
        return false;
      case "bankrupt":
        this.counts.bankrupt++;
        v.index.remove(slot);
        this.realize(slot, q, mark);
        v.size[slot] = 0;
        r.closed++;
        this.settleBadDebt(slot, q, r);
        return true;
      case "market-partial":
        this.counts.partial++;
        this.lastPartial[slot] = t;
        this.order(slot, q * this.params.partialFraction);
        return true;
      case "market-full":
        this.counts.full++;
        this.order(slot, q);
        return true;
    }
  }

  /** The round's market orders as liquidation flow at `mark` (USD, negative for sells): Σ −s·mark. */
  flowAt(mark: number): number {
    let flow = 0;
    for (let o = 0; o < this.orders; o++) flow -= (this.orderSize[o] as number) * mark;
    return flow;
  }

  /**
   * Fills the round's market orders at `fill`: each account realizes `s·(F − E)` in its margin; a
   * position closed whole settles its negative equity with the fund; a partly closed one gets its
   * liquidation price re-solved on the rest (`isolatedLiquidationPrice` at F) and re-indexed.
   */
  fillOrders(fill: number, r: ProcedureRecord): void {
    const v = this.v;
    for (let o = 0; o < this.orders; o++) {
      const slot = this.orderSlot[o] as number;
      const s = this.orderSize[o] as number;
      const q = v.size[slot] as number;
      this.realize(slot, s, fill);
      r.liquidatedNotionalUsd += Math.abs(s) * fill;
      if (s === q) {
        v.size[slot] = 0;
        v.index.remove(slot);
        r.closed++;
        this.settleBadDebt(slot, s, r);
        continue;
      }
      resizePosition(v, slot, q - s, fill);
    }
    this.orders = 0;
  }

  private order(slot: number, s: number): void {
    this.orderSlot[this.orders] = slot;
    this.orderSize[this.orders] = s;
    this.orders++;
  }

  /** The account closes `s` base units at `price`: PnL market → margin, losses counted per side. */
  private realize(slot: number, s: number, price: number): void {
    const v = this.v;
    const pnl = s * (price - (v.population.entryPrice[slot] as number));
    v.ledger.realize(pnl);
    v.margin[slot] = (v.margin[slot] as number) + pnl;
    if (pnl < 0) {
      const side = s > 0 ? 0 : 1;
      v.stepLoss[side] = (v.stepLoss[side] as number) - pnl;
    }
  }

  /** A closed account's negative margin is bad debt the fund pays; its `size` closed contracts are recorded as bankrupt. */
  private settleBadDebt(slot: number, size: number, r: ProcedureRecord): void {
    const m = this.v.margin[slot] as number;
    if (m >= 0) return;
    this.v.ledger.payBadDebt(-m);
    this.v.bankrupt.add(slot, size, -m);
    this.v.margin[slot] = 0;
    r.badDebtUsd -= m;
  }
}

/**
 * A lending market (Aave v3.3+ rules) stepping per-asset oracle and market prices over a book of
 * accounts with several collaterals and debts (the {@link FloatBook} columns of the Aave rulebook's
 * float view). Every modelling choice is an item of docs/assumptions.md, "Lending engine".
 *
 * Per step, for each account in book order whose health factor at the oracle prices is below 1
 * (`HF = Σ a·P·LT / Σ b·P`, {@link healthFactorsBatch}), up to `callsPerStep` `liquidationCall`s:
 * 1. the pair: the collateral and the debt of largest oracle value;
 * 2. close factor (Aave v3.3+, `LiquidationLogic.executeLiquidationCall`): 100 % of the reserve's
 *    debt, unless the collateral and debt reserves are both ≥ `closeFactorThresholdUsd` and
 *    HF > 0.95, then at most 50 % of the account's total debt;
 * 3. collateral (`_calculateAvailableCollateralToLiquidate`): `seized = repaid·P_d·LB/P_c`, capped
 *    at the balance (then `repaid = balance·P_c/(P_d·LB)`); bonus `seized − seized/LB`, protocol fee
 *    `bonus·feeShare` to the treasury, the rest to the liquidator;
 * 4. dust rule (v3.3+): a partial call must leave ≥ `minLeftoverUsd` of that debt and collateral; the
 *    liquidator lowers `debtToCover` to the largest amount that does (assumption), or skips;
 * 5. the liquidator acts only if it profits at the market: the liquidator's share sold at the
 *    market price moved by its own square-root impact ({@link ImpactFeedback}), minus the debt bought
 *    at the market price and the gas (a minimal rational liquidator; no capital limit or latency);
 *    the sale's impact stays in that asset's market price, decaying with its half-life;
 * 6. deficit (v3.3+): when the call takes the account's last collateral, every debt left is written
 *    off to the reserves' deficit.
 * A collateral with `LT·LB ≥ 1` is toxic: each call lowers the health factor (the premium pushes the
 * account toward bankruptcy); such calls are counted and the assets flagged.
 *
 * Another venue's procedure ({@link LendingProcedure}, e.g. Compound III's absorb and store front in
 * lending-procedure-comet.ts) replaces steps 1–6: it gets each account below HF 1 and the end of
 * each step, and sells through the same market impact ({@link LendingEngine.saleImpact}).
 *
 * The book is never written to: the engine works on its own copies, which {@link LendingEngine.reset}
 * restores; the ledger ({@link LendingLedger}) books every movement double-entry.
 */
import { InputError } from "../../errors.js";
import { readNumber } from "../../validate.js";
import { type FloatBook, healthFactorsBatch } from "../../venues/aave-v3/float-view.js";
import { ImpactFeedback, type ImpactFeedbackParams } from "./impact-feedback.js";
import { LendingLedger } from "./lending-ledger.js";

/** One asset of the market: its liquidation premium and how its market absorbs a sale. */
export interface LendingAssetParams {
  readonly symbol: string;
  /** Liquidation bonus, a fraction (Aave's `LB − 1`: 0.05 for 10,500 bps). */
  readonly liquidationBonus: number;
  /** Share of the bonus to the treasury (Aave's `liquidationProtocolFee`: 0.1 for 1,000 bps). */
  readonly protocolFeeShare: number;
  /** Square-root impact of a sale of this asset; absent: none. */
  readonly impact?: ImpactFeedbackParams;
}

/** The market's rules and its liquidators. */
export interface LendingMarketParams {
  /** One entry per asset, in the order of the book's reserve indices and of the price arrays. */
  readonly assets: readonly LendingAssetParams[];
  /** Gas of one `liquidationCall`, USD (≥ 0). */
  readonly gasUsdPerCall: number;
  /** Most calls on one account in one step (≥ 1). */
  readonly callsPerStep: number;
  /** Aave's `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD` in USD; 2,000 by default. */
  readonly closeFactorThresholdUsd?: number;
  /** Aave's `MIN_LEFTOVER_BASE` in USD; 1,000 by default. */
  readonly minLeftoverUsd?: number;
  /** Another venue's liquidation procedure in place of Aave's calls; absent: Aave v3.3. */
  readonly procedure?: (engine: LendingEngine) => LendingProcedure;
}

/**
 * A liquidation procedure plugged into the engine in place of Aave's `liquidationCall`s: it is told
 * of each account whose HF at the oracle is below 1 (book order) and of the end of each step, and
 * works on the engine's balances, ledger and market through its public members.
 */
export interface LendingProcedure {
  /** Back to the start (called by {@link LendingEngine.reset}, after the ledger's reset). */
  reset(): void;
  /** Account i is below HF 1 at `oracle`. */
  liquidate(i: number, oracle: Float64Array): void;
  /** After the step's accounts, before the step's totals. */
  endStep(oracle: Float64Array): void;
}

/** What happened at the last step (overwritten by each {@link LendingEngine.step}). */
export interface LendingStepRecord {
  step: number;
  /** Accounts with HF < 1 at the oracle before the step's calls. */
  liquidatable: number;
  calls: number;
  /** Debt repaid, USD at the oracle. */
  repaidUsd: number;
  /** Collateral seized, USD at the oracle. */
  seizedUsd: number;
  /** `seized − repaid` at the oracle, USD (the bonus, protocol fee included). */
  bonusUsd: number;
  /** Debt written off, USD at the oracle. */
  deficitUsd: number;
  /** Calls skipped because the liquidator would lose at the market. */
  unprofitable: number;
}

/** Totals of the path so far (reset by {@link LendingEngine.reset}). */
export interface LendingTotals {
  steps: number;
  calls: number;
  repaidUsd: number;
  seizedUsd: number;
  bonusUsd: number;
  protocolFeeUsd: number;
  deficitUsd: number;
  /** Accounts whose debt was written off. */
  deficitAccounts: number;
  unprofitable: number;
  /** Calls on a toxic collateral (`LT·LB ≥ 1`) that lowered the account's health factor. */
  toxicCalls: number;
  /** The liquidators' result, USD (sale proceeds − debt bought − gas). */
  liquidatorPnlUsd: number;
  gasUsd: number;
}

const DEFAULT_THRESHOLD_USD = 2_000;
const DEFAULT_LEFTOVER_USD = 1_000;
/** `CLOSE_FACTOR_HF_THRESHOLD` (0.95). */
const CLOSE_FACTOR_HF = 0.95;

/**
 * The simulated market. The constructor allocates every array; {@link reset} and {@link step}
 * allocate nothing.
 */
export class LendingEngine {
  readonly book: FloatBook;
  readonly assets: readonly LendingAssetParams[];
  readonly ledger: LendingLedger;
  readonly record: LendingStepRecord = emptyRecord();
  readonly totals: LendingTotals = emptyTotals();
  /** Health factors at the oracle, as of the start of the last step. */
  readonly healthFactor: Float64Array;
  /** Repaid debt (USD at the oracle) by the collateral seized for it, per asset. */
  readonly repaidUsdByCollateral: Float64Array;
  /** Deficit written off per account (USD at the oracle). */
  readonly deficitUsdByAccount: Float64Array;
  /** The current market price per asset: the step's exogenous price × exp(carried impact). */
  readonly marketPrice: Float64Array;
  /** Per asset: `LT·LB ≥ 1` for some collateral entry of the book. */
  readonly toxic: Uint8Array;
  private readonly work: FloatBook;
  private readonly collAmount0: Float64Array;
  private readonly debtAmount0: Float64Array;
  private readonly impacts: (ImpactFeedback | undefined)[];
  private readonly lb: Float64Array;
  private readonly feeShare: Float64Array;
  /** Gas of one call (USD) and the most calls on one account (or lot) in a step. */
  readonly gas: number;
  readonly calls: number;
  /** The plugged-in procedure; absent: Aave v3.3. */
  readonly procedure: LendingProcedure | undefined;
  private readonly threshold: number;
  private readonly leftover: number;
  private readonly start0: Float64Array;
  private readonly debt0: Float64Array;
  private t = 0;
  /** The call {@link plan} computed last (scratch). */
  private readonly call = { seized: 0, repaid: 0, fee: 0, dI: 0, saleUsd: 0, proceeds: 0, cost: 0 };
  /** Sales of each asset in the current step, USD at the market before impact. */
  private readonly stepSaleUsd: Float64Array;

  /** @throws InputError naming the field of a bad parameter or a book entry without an asset. */
  constructor(book: FloatBook, params: LendingMarketParams) {
    const n = params.assets.length;
    this.book = book;
    this.assets = params.assets;
    this.lb = new Float64Array(n);
    this.feeShare = new Float64Array(n);
    this.impacts = params.assets.map((a, i) => {
      this.lb[i] =
        1 +
        readNumber(a.liquidationBonus, `assets[${i}].liquidationBonus`, {
          min: 0,
          fix: "Pass the bonus as a fraction, e.g. 0.05 for Aave's 10,500 bps.",
        });
      this.feeShare[i] = readNumber(a.protocolFeeShare, `assets[${i}].protocolFeeShare`, {
        min: 0,
        max: 1,
        fix: "Pass the treasury's share of the bonus, e.g. 0.1.",
      });
      return a.impact === undefined ? undefined : new ImpactFeedback(a.impact, undefined);
    });
    this.gas = readNumber(params.gasUsdPerCall, "gasUsdPerCall", {
      min: 0,
      fix: "Pass the gas of a call in USD.",
    });
    this.calls = readNumber(params.callsPerStep, "callsPerStep", {
      min: 1,
      fix: "Pass how many calls a liquidator makes on one account in a step, e.g. 3.",
    });
    if (!Number.isInteger(this.calls))
      throw new InputError("callsPerStep", this.calls, "must be a whole number", "Pass e.g. 3.");
    this.threshold = readNumber(
      params.closeFactorThresholdUsd ?? DEFAULT_THRESHOLD_USD,
      "closeFactorThresholdUsd",
      {
        min: 0,
        fix: "Pass Aave's MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD in USD (2,000).",
      },
    );
    this.leftover = readNumber(params.minLeftoverUsd ?? DEFAULT_LEFTOVER_USD, "minLeftoverUsd", {
      min: 0,
      fix: "Pass Aave's MIN_LEFTOVER_BASE in USD (1,000).",
    });
    this.toxic = new Uint8Array(n);
    for (let e = 0; e < book.collReserve.length; e++) {
      const a = checkReserve(book.collReserve[e] as number, n, `book.collReserve[${e}]`);
      if ((book.collLt[e] as number) * (this.lb[a] as number) >= 1) this.toxic[a] = 1;
    }
    for (let e = 0; e < book.debtReserve.length; e++)
      checkReserve(book.debtReserve[e] as number, n, `book.debtReserve[${e}]`);
    this.collAmount0 = book.collAmount;
    this.debtAmount0 = book.debtAmount;
    this.work = {
      ...book,
      collAmount: Float64Array.from(book.collAmount),
      debtAmount: Float64Array.from(book.debtAmount),
    };
    this.healthFactor = new Float64Array(book.accounts);
    this.repaidUsdByCollateral = new Float64Array(n);
    this.deficitUsdByAccount = new Float64Array(book.accounts);
    this.marketPrice = new Float64Array(n);
    this.stepSaleUsd = new Float64Array(n);
    this.ledger = new LendingLedger(n);
    this.start0 = new Float64Array(n);
    this.debt0 = new Float64Array(n);
    sumByReserve(book.collReserve, book.collAmount, this.start0);
    sumByReserve(book.debtReserve, book.debtAmount, this.debt0);
    this.procedure = params.procedure?.(this);
    this.reset();
  }

  /** Back to the book's balances, no impact, empty totals. */
  reset(): void {
    this.work.collAmount.set(this.collAmount0);
    this.work.debtAmount.set(this.debtAmount0);
    for (const f of this.impacts) f?.reset();
    this.ledger.reset(this.start0, this.debt0);
    clearRecord(this.record);
    clearTotals(this.totals);
    this.repaidUsdByCollateral.fill(0);
    this.deficitUsdByAccount.fill(0);
    this.t = 0;
    this.procedure?.reset();
  }

  /** The working balances (tokens per entry, same layout as the book). */
  get balances(): { readonly collAmount: Float64Array; readonly debtAmount: Float64Array } {
    return this.work;
  }

  /**
   * One step at `oracle` (the price the market reads, per asset) and `market` (the exogenous market
   * price per asset, before the liquidators' impact). Returns {@link record}.
   */
  step(oracle: Float64Array, market: Float64Array): LendingStepRecord {
    const n = this.assets.length;
    for (let a = 0; a < n; a++) {
      const f = this.impacts[a];
      f?.decay();
      this.marketPrice[a] = (market[a] as number) * (f === undefined ? 1 : Math.exp(f.logImpact));
    }
    this.stepSaleUsd.fill(0);
    const r = this.record;
    clearRecord(r);
    r.step = this.t;
    healthFactorsBatch(this.work, oracle, this.healthFactor);
    for (let i = 0; i < this.book.accounts; i++) {
      if (!((this.healthFactor[i] as number) < 1)) continue;
      r.liquidatable++;
      if (this.procedure !== undefined) {
        this.procedure.liquidate(i, oracle);
        continue;
      }
      let hf = this.healthFactor[i] as number;
      for (let k = 0; k < this.calls && hf < 1; k++) {
        if (!this.liquidationCall(i, hf, oracle)) break;
        hf = this.accountHealth(i, oracle);
      }
    }
    this.procedure?.endStep(oracle);
    const t = this.totals;
    t.steps++;
    t.calls += r.calls;
    t.repaidUsd += r.repaidUsd;
    t.seizedUsd += r.seizedUsd;
    t.bonusUsd += r.bonusUsd;
    t.deficitUsd += r.deficitUsd;
    t.unprofitable += r.unprofitable;
    t.liquidatorPnlUsd = this.ledger.liquidatorCashUsd;
    t.gasUsd = this.ledger.gasUsd;
    this.t++;
    return r;
  }

  /** `Σ a·P·LT / Σ b·P` of account i at `prices` (Infinity without debt). */
  accountHealth(i: number, prices: Float64Array): number {
    const { collStart, collReserve, collLt, debtStart, debtReserve } = this.book;
    const { collAmount, debtAmount } = this.work;
    let wc = 0;
    let debt = 0;
    for (let e = collStart[i] as number; e < (collStart[i + 1] as number); e++)
      wc += (collAmount[e] as number) * (prices[collReserve[e] as number] as number) * (collLt[e] as number);
    for (let e = debtStart[i] as number; e < (debtStart[i + 1] as number); e++)
      debt += (debtAmount[e] as number) * (prices[debtReserve[e] as number] as number);
    return debt === 0 ? Number.POSITIVE_INFINITY : wc / debt;
  }

  /**
   * Σ max(0, debt − collateral) of the accounts at `prices` (USD): the bad debt still on the book,
   * not written off (e.g. accounts no liquidator would take).
   */
  underwaterUsd(prices: Float64Array): number {
    const { collStart, collReserve, debtStart, debtReserve } = this.book;
    const { collAmount, debtAmount } = this.work;
    let sum = 0;
    for (let i = 0; i < this.book.accounts; i++) {
      let c = 0;
      let d = 0;
      for (let e = collStart[i] as number; e < (collStart[i + 1] as number); e++)
        c += (collAmount[e] as number) * (prices[collReserve[e] as number] as number);
      for (let e = debtStart[i] as number; e < (debtStart[i + 1] as number); e++)
        d += (debtAmount[e] as number) * (prices[debtReserve[e] as number] as number);
      if (d > c) sum += d - c;
    }
    return sum;
  }

  /**
   * One `liquidationCall` on account i at health factor `hf`: the debt of largest oracle value, the
   * collateral whose call profits the liquidator most ({@link plan}); false when none profits.
   */
  private liquidationCall(i: number, hf: number, oracle: Float64Array): boolean {
    const { collStart, debtStart, debtReserve } = this.book;
    const { collAmount, debtAmount } = this.work;
    let de = -1;
    let bestDebt = 0;
    let totalDebtUsd = 0;
    for (let e = debtStart[i] as number; e < (debtStart[i + 1] as number); e++) {
      const v = (debtAmount[e] as number) * (oracle[debtReserve[e] as number] as number);
      totalDebtUsd += v;
      if (v > bestDebt) {
        bestDebt = v;
        de = e;
      }
    }
    if (de < 0) return false;
    let ce = -1;
    let bestProfit = 0;
    let tried = false;
    for (let e = collStart[i] as number; e < (collStart[i + 1] as number); e++) {
      if (!((collAmount[e] as number) > 0)) continue;
      tried = true;
      const profit = this.plan(e, de, hf, totalDebtUsd, oracle);
      if (profit > bestProfit) {
        bestProfit = profit;
        ce = e;
      }
    }
    const r = this.record;
    if (ce < 0) {
      if (tried) r.unprofitable++;
      return false;
    }
    this.plan(ce, de, hf, totalDebtUsd, oracle);
    const { seized, repaid, fee, proceeds, cost, dI } = this.call;
    const c = this.book.collReserve[ce] as number;
    const d = debtReserve[de] as number;
    const pc = oracle[c] as number;
    const pd = oracle[d] as number;
    const balance = collAmount[ce] as number;
    const reserveDebt = debtAmount[de] as number;
    this.applySale(c, this.call.saleUsd, dI);
    collAmount[ce] = seized === balance ? 0 : balance - seized;
    debtAmount[de] = repaid === reserveDebt ? 0 : reserveDebt - repaid;
    this.ledger.liquidate(c, seized, fee, proceeds, d, repaid, cost, this.gas);
    const repaidUsd = repaid * pd;
    r.calls++;
    r.repaidUsd += repaidUsd;
    r.seizedUsd += seized * pc;
    r.bonusUsd += seized * pc - repaidUsd;
    this.totals.protocolFeeUsd += fee * pc;
    this.repaidUsdByCollateral[c] = (this.repaidUsdByCollateral[c] as number) + repaidUsd;
    if (this.toxic[c] === 1 && this.accountHealth(i, oracle) < hf) this.totals.toxicCalls++;
    if (seized === balance && this.noCollateralLeft(i)) this.writeOff(i, oracle);
    return true;
  }

  /**
   * The call on collateral entry `ce` and debt entry `de` (close factor, collateral cap, dust rule,
   * bonus and fee, the sale at the market with its impact) into {@link call}; returns the
   * liquidator's profit `proceeds − cost − gas` (−Infinity when the dust rule leaves nothing).
   */
  private plan(ce: number, de: number, hf: number, totalDebtUsd: number, oracle: Float64Array): number {
    const c = this.book.collReserve[ce] as number;
    const d = this.book.debtReserve[de] as number;
    const pc = oracle[c] as number;
    const pd = oracle[d] as number;
    const lb = this.lb[c] as number;
    const balance = this.work.collAmount[ce] as number;
    const reserveDebt = this.work.debtAmount[de] as number;
    // Close factor (v3.3+).
    let toCover = reserveDebt;
    if (balance * pc >= this.threshold && reserveDebt * pd >= this.threshold && hf > CLOSE_FACTOR_HF)
      toCover = Math.min(reserveDebt, (0.5 * totalDebtUsd) / pd);
    // Collateral for the debt covered, capped at the balance.
    let seized = (toCover * pd * lb) / pc;
    let repaid = toCover;
    if (seized >= balance) {
      seized = balance;
      repaid = Math.min(reserveDebt, (balance * pc) / (pd * lb));
    } else if (
      repaid < reserveDebt &&
      (reserveDebt - repaid < this.leftover / pd || balance - seized < this.leftover / pc)
    ) {
      // Dust rule: a partial call leaves ≥ minLeftover of this debt and this collateral, or takes less.
      repaid = Math.min(
        repaid,
        reserveDebt - this.leftover / pd,
        ((balance - this.leftover / pc) * pc) / (pd * lb),
      );
      if (!(repaid > 0)) return Number.NEGATIVE_INFINITY;
      seized = (repaid * pd * lb) / pc;
    }
    const fee = (seized - seized / lb) * (this.feeShare[c] as number);
    // The liquidator's trade at the market.
    const saleUsd = (seized - fee) * (this.marketPrice[c] as number);
    const dI = this.saleImpact(c, saleUsd);
    this.call.saleUsd = saleUsd;
    const call = this.call;
    call.seized = seized;
    call.repaid = repaid;
    call.fee = fee;
    call.dI = dI;
    call.proceeds = saleUsd * Math.exp(dI);
    call.cost = repaid * (this.marketPrice[d] as number);
    return call.proceeds - call.cost - this.gas;
  }

  /**
   * The log-impact `dI` a sale of `saleUsd` (at the current market price) of asset `c` adds: the
   * step's sales of the asset so far move its price by the impact of their sum,
   * `dI = I(−(flow + sale)) − I(−flow)` ({@link ImpactFeedback.impactOf}); 0 without impact. The
   * seller receives `saleUsd·exp(dI)`.
   */
  saleImpact(c: number, saleUsd: number): number {
    const f = this.impacts[c];
    const flow = this.stepSaleUsd[c] as number;
    return f === undefined ? 0 : f.impactOf(-(flow + saleUsd), this.t) - f.impactOf(-flow, this.t);
  }

  /** Books a sale of asset `c` priced by {@link saleImpact}: the impact stays in its market price. */
  applySale(c: number, saleUsd: number, dI: number): void {
    const f = this.impacts[c];
    this.stepSaleUsd[c] = (this.stepSaleUsd[c] as number) + saleUsd;
    if (f !== undefined) {
      f.logImpact += dI;
      this.marketPrice[c] = (this.marketPrice[c] as number) * Math.exp(dI);
    }
  }

  private noCollateralLeft(i: number): boolean {
    const { collStart } = this.book;
    for (let e = collStart[i] as number; e < (collStart[i + 1] as number); e++)
      if ((this.work.collAmount[e] as number) > 0) return false;
    return true;
  }

  /** The v3.3 deficit: every debt of account i written off. */
  private writeOff(i: number, oracle: Float64Array): void {
    const { debtStart, debtReserve } = this.book;
    const debtAmount = this.work.debtAmount;
    let usd = 0;
    for (let e = debtStart[i] as number; e < (debtStart[i + 1] as number); e++) {
      const b = debtAmount[e] as number;
      if (!(b > 0)) continue;
      const d = debtReserve[e] as number;
      this.ledger.writeOff(d, b);
      usd += b * (oracle[d] as number);
      debtAmount[e] = 0;
    }
    if (usd > 0) {
      this.record.deficitUsd += usd;
      this.totals.deficitAccounts++;
      this.deficitUsdByAccount[i] = usd;
    }
  }
}

/** `out[reserve[e]] += amount[e]` over the entries. */
function sumByReserve(reserve: Uint32Array, amount: Float64Array, out: Float64Array): void {
  for (let e = 0; e < reserve.length; e++) {
    const a = reserve[e] as number;
    out[a] = (out[a] as number) + (amount[e] as number);
  }
}

function checkReserve(a: number, n: number, field: string): number {
  if (a >= n)
    throw new InputError(
      field,
      a,
      `names asset ${a} but the market lists ${n}`,
      "Give one assets[] entry per reserve index.",
    );
  return a;
}

/** Zeroes every field of a step record or totals (no allocation). */
function clear<T extends object>(o: T): void {
  for (const k of Object.keys(o) as (keyof T)[]) (o as Record<keyof T, number>)[k] = 0;
}

const clearRecord: (r: LendingStepRecord) => void = clear;
const clearTotals: (t: LendingTotals) => void = clear;

function emptyRecord(): LendingStepRecord {
  return {
    step: 0,
    liquidatable: 0,
    calls: 0,
    repaidUsd: 0,
    seizedUsd: 0,
    bonusUsd: 0,
    deficitUsd: 0,
    unprofitable: 0,
  };
}

function emptyTotals(): LendingTotals {
  return {
    steps: 0,
    calls: 0,
    repaidUsd: 0,
    seizedUsd: 0,
    bonusUsd: 0,
    protocolFeeUsd: 0,
    deficitUsd: 0,
    deficitAccounts: 0,
    unprofitable: 0,
    toxicCalls: 0,
    liquidatorPnlUsd: 0,
    gasUsd: 0,
  };
}

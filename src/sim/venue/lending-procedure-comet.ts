/**
 * Compound III (Comet) as the lending engine's procedure ({@link LendingProcedure}): `absorb`, the
 * base reserves, and the store front (`buyCollateral`), each step calling the exact rulebook of
 * src/venues/compound-v3.ts on the engine's state (docs/assumptions.md, "Lending engine").
 *
 * - **absorb**: an account below HF 1 at the oracle (`Σ a·P·liquidateCF / debt`, Comet's
 *   `isLiquidatable`) is absorbed at once by an always-on absorber: the protocol takes all its
 *   collateral, credited at `value·liquidationFactor`, wipes its base debt, credits any excess to the
 *   account as base supply, and the reserves pay `basePaidOut = newBalance − oldBalance` (they may go
 *   negative: the protocol's deficit). The absorber pays gas and gets the optional reward out of the
 *   reserves (Comet pays none on chain). Comet's own `isLiquidatable` decides: an account the float
 *   HF puts below 1 that Comet's rounding does not is left alone and counted.
 * - **store front**: at the end of each step, while `buyCollateral` sells (reserves below
 *   `targetReserves`, or negative), a buyer takes the protocol's collateral of each asset at
 *   `P·(1 − storeFrontPriceFactor·(1 − liquidationFactor))` — the whole lot, or the largest of its
 *   halves that pays — only if selling it at the market, with the engine's impact, pays the base
 *   bought at the market and the gas (the engine's rational-liquidator rule); up to `callsPerStep`
 *   purchases per asset and step.
 *
 * Amounts cross to the rulebook as token units (`toFixed`, round to nearest) and prices as 1e8 USD;
 * the reserves and the protocol's collateral are kept exactly in base and token units as Comet keeps
 * them, the ledger in floats (its identities hold to rounding).
 */
import { InputError } from "../../errors.js";
import { fromFixed, toFixed } from "../../math/fixed-point.js";
import {
  type AbsorbResult,
  absorb,
  assetInfo,
  buyCollateral,
  type Config,
  isForSale,
  type Prices,
  storeFrontBaseFor,
  validateConfig,
} from "../../venues/compound-v3.js";
import { isVenueRevert } from "../../venues/revert.js";
import type { LendingEngine, LendingProcedure } from "./lending-engine.js";

/** The Comet market the engine runs under, and its reserves at the start. */
export interface CometProcedureParams {
  /** The market: base asset, per-asset factors, store-front price factor, target reserves. */
  readonly config: Config;
  /** Base reserves at the start, base tokens (may be negative). */
  readonly reserves: number;
  /** Base tokens paid to the absorber per absorb out of the reserves; 0 (Comet: points only). */
  readonly absorbReward?: number;
}

/** Totals of a path under Compound III (reset with the engine). */
export interface CometTotals {
  absorbs: number;
  /** Accounts below HF 1 in floats that Comet's exact `isLiquidatable` keeps (rounding at the edge). */
  notLiquidatable: number;
  /** Base debt wiped by absorb, USD at the oracle. */
  absorbedDebtUsd: number;
  /** Collateral seized by absorb, USD at the oracle (Comet's `AbsorbCollateral.usdValue`). */
  seizedUsd: number;
  /** Excess credit given back to absorbed accounts as base supply, USD at the oracle. */
  creditUsd: number;
  /** Debt the credit did not cover (Σ `shortfall`), USD at the oracle. */
  shortfallUsd: number;
  /** `buyCollateral` purchases. */
  storeFrontSales: number;
  /** Base paid into the reserves by the store front, USD at the oracle. */
  storeFrontBaseUsd: number;
  /** Collateral sold by the store front, USD at the oracle. */
  storeFrontCollateralUsd: number;
  /** Asset-steps with collateral for sale, worth more than the gas, that no buyer would take at the market. */
  storeFrontUnprofitable: number;
  /** Lowest reserves of the path, base tokens. */
  minReserves: number;
}

/** Halvings of a lot a buyer tries before giving up in a step. */
const HALVINGS = 8;

/**
 * The engine's Compound III procedure (`LendingMarketParams.procedure`): the engine's assets are
 * matched to the market by symbol; the book's debts must all be in the base asset and its collateral
 * LTs must be the market's `liquidateCollateralFactor`s.
 * @throws InputError naming the field of a book entry that does not fit the market.
 */
export function cometProcedure(params: CometProcedureParams): (engine: LendingEngine) => CometProcedure {
  return (engine) => new CometProcedure(engine, params);
}

/** Compound III in the engine: see the module comment. */
export class CometProcedure implements LendingProcedure {
  readonly config: Config;
  readonly totals: CometTotals = emptyTotals();
  /** Base reserves, base units, exactly as Comet keeps them. */
  reserves = 0n;
  /** Collateral the protocol holds per engine asset, token units. */
  readonly collateralReserves: bigint[];
  private readonly engine: LendingEngine;
  private readonly reserves0: bigint;
  private readonly reward: number;
  private readonly rewardUnits: bigint;
  /** Engine index of the base asset. */
  readonly base: number;
  /** Per engine asset: token decimals (the base's for the base), −1 when not in the market. */
  private readonly decimals: Int32Array;

  constructor(engine: LendingEngine, params: CometProcedureParams) {
    const config = validateConfig(params.config);
    this.config = config;
    this.engine = engine;
    const symbols = engine.assets.map((a) => a.symbol);
    this.base = symbols.indexOf(config.baseSymbol);
    if (this.base < 0)
      throw new InputError(
        "procedure.baseSymbol",
        config.baseSymbol,
        "is not one of the market's assets",
        `List the base asset among the assets: ${symbols.join(", ")}.`,
      );
    this.decimals = Int32Array.from(symbols, (s, a) => {
      if (a === this.base) return config.baseDecimals;
      return config.assets.find((x) => x.symbol === s)?.decimals ?? -1;
    });
    const { book } = engine;
    for (let e = 0; e < book.debtReserve.length; e++)
      if (book.debtReserve[e] !== this.base)
        throw new InputError(
          `book.debtReserve[${e}]`,
          symbols[book.debtReserve[e] as number],
          `is not the base asset ${config.baseSymbol}`,
          "A Compound III account borrows only the market's base asset.",
        );
    for (let e = 0; e < book.collReserve.length; e++) {
      const s = symbols[book.collReserve[e] as number] as string;
      if (s === config.baseSymbol || (this.decimals[book.collReserve[e] as number] as number) < 0)
        throw new InputError(
          `book.collReserve[${e}]`,
          s,
          `is not a collateral asset of ${config.name}`,
          `Use one of: ${config.assets.map((x) => x.symbol).join(", ")}.`,
        );
      const lcf = fromFixed(assetInfo(config, s).liquidateCollateralFactor, 18);
      if (Math.abs((book.collLt[e] as number) - lcf) > 1e-12)
        throw new InputError(
          `book.collLt[${e}]`,
          book.collLt[e],
          `differs from ${s}'s liquidateCollateralFactor ${lcf}`,
          "Build the book with the market's liquidate collateral factors as LTs.",
        );
    }
    this.reserves0 = signedUnits(params.reserves, config.baseDecimals, "procedure.reserves");
    this.reward = params.absorbReward ?? 0;
    if (!(this.reward >= 0))
      throw new InputError("procedure.absorbReward", this.reward, "must be ≥ 0", "Give base tokens, e.g. 0.");
    this.rewardUnits = toFixed(this.reward, config.baseDecimals);
    this.collateralReserves = symbols.map(() => 0n);
  }

  reset(): void {
    this.reserves = this.reserves0;
    this.collateralReserves.fill(0n);
    Object.assign(this.totals, emptyTotals());
    this.totals.minReserves = this.reservesTokens;
    this.engine.ledger.resetReserves(this.reservesTokens);
  }

  /** Base reserves, base tokens. */
  get reservesTokens(): number {
    const r = this.reserves;
    const x = fromFixed(r < 0n ? -r : r, this.config.baseDecimals);
    return r < 0n ? -x : x;
  }

  /** Comet's prices (1e8 USD) at `oracle`, for the market's assets and base. */
  pricesAt(oracle: Float64Array): Prices {
    const out: Record<string, bigint> = {};
    this.engine.assets.forEach((a, i) => {
      if ((this.decimals[i] as number) >= 0) out[a.symbol] = toFixed(oracle[i] as number, 8);
    });
    return out;
  }

  /** `absorb` of account i at `oracle` (see the module comment); the rulebook's result, or null. */
  liquidate(i: number, oracle: Float64Array): AbsorbResult | null {
    const { book, ledger, assets } = this.engine;
    const { collAmount, debtAmount } = this.engine.balances;
    const { collStart, collReserve, debtStart } = book;
    const collateral: Record<string, bigint> = {};
    for (let e = collStart[i] as number; e < (collStart[i + 1] as number); e++) {
      const a = collReserve[e] as number;
      const s = (assets[a] as { symbol: string }).symbol;
      collateral[s] = (collateral[s] ?? 0n) + toFixed(collAmount[e] as number, this.decimals[a] as number);
    }
    let debt = 0;
    for (let e = debtStart[i] as number; e < (debtStart[i + 1] as number); e++)
      debt += debtAmount[e] as number;
    const baseDecimals = this.config.baseDecimals;
    const prices = this.pricesAt(oracle);
    let r: AbsorbResult;
    try {
      r = absorb(
        this.config,
        { baseBalance: -toFixed(debt, baseDecimals), collateral },
        prices,
        this.reserves,
      );
    } catch (err) {
      if (!isVenueRevert(err, "compound-v3", "NotLiquidatable")) throw err;
      this.totals.notLiquidatable++;
      return null;
    }
    for (let e = collStart[i] as number; e < (collStart[i + 1] as number); e++) {
      ledger.seize(collReserve[e] as number, collAmount[e] as number);
      collAmount[e] = 0;
    }
    for (let e = debtStart[i] as number; e < (debtStart[i + 1] as number); e++) debtAmount[e] = 0;
    for (const s of r.seized) {
      const a = this.engine.assets.findIndex((x) => x.symbol === s.symbol);
      this.collateralReserves[a] = (this.collateralReserves[a] as bigint) + s.amount;
    }
    this.reserves = r.reservesAfter - this.rewardUnits;
    const credit = fromFixed(r.newBalance, baseDecimals);
    const pb = oracle[this.base] as number;
    ledger.absorb(
      this.base,
      debt,
      credit,
      this.reward,
      this.engine.marketPrice[this.base] as number,
      this.engine.gas,
    );
    const seizedUsd = fromFixed(sumValue(r), 8);
    const t = this.totals;
    t.absorbs++;
    t.absorbedDebtUsd += debt * pb;
    t.seizedUsd += seizedUsd;
    t.creditUsd += credit * pb;
    t.shortfallUsd += fromFixed(r.shortfall, baseDecimals) * pb;
    t.minReserves = Math.min(t.minReserves, this.reservesTokens);
    this.engine.record.repaidUsd += debt * pb;
    this.engine.record.seizedUsd += seizedUsd;
    return r;
  }

  /** The store front at the end of the step (see the module comment). */
  endStep(oracle: Float64Array): void {
    let prices: Prices | undefined;
    for (let a = 0; a < this.collateralReserves.length; a++) {
      if (this.collateralReserves[a] === 0n) continue;
      prices ??= this.pricesAt(oracle);
      for (let k = 0; k < this.engine.calls; k++) {
        if (!isForSale(this.config, this.reserves)) return;
        if (!this.buy(a, prices, oracle) || this.collateralReserves[a] === 0n) break;
      }
    }
  }

  /**
   * One `buyCollateral` of asset `a`: the whole lot or the largest profitable of its halves
   * (`storeFrontBaseFor` base, the rulebook's quote); false when none pays.
   */
  private buy(a: number, prices: Prices, oracle: Float64Array): boolean {
    const engine = this.engine;
    const symbol = (engine.assets[a] as { symbol: string }).symbol;
    const held = this.collateralReserves[a] as bigint;
    const dec = this.decimals[a] as number;
    const baseDecimals = this.config.baseDecimals;
    // Dust: a lot worth no more than the gas at the market is nobody's business.
    if (!(fromFixed(held, dec) * (engine.marketPrice[a] as number) > engine.gas)) return false;
    for (let want = held, h = 0; h <= HALVINGS && want > 0n; h++, want /= 2n) {
      const baseAmount = storeFrontBaseFor(this.config, symbol, want, prices);
      if (baseAmount === 0n) break;
      const sale = buyCollateral(
        this.config,
        { symbol, baseAmount, minAmount: 0n, reserves: this.reserves, collateralReserves: held },
        prices,
      );
      // The last of the lot takes the ledger's float remainder with it.
      const amount =
        sale.collateralReservesAfter === 0n
          ? (engine.ledger.protocolHeld[a] as number)
          : fromFixed(sale.collateralAmount, dec);
      const base = fromFixed(baseAmount, baseDecimals);
      const saleUsd = amount * (engine.marketPrice[a] as number);
      const dI = engine.saleImpact(a, saleUsd);
      const proceeds = saleUsd * Math.exp(dI);
      const cost = base * (engine.marketPrice[this.base] as number);
      if (!(proceeds - cost - engine.gas > 0)) continue;
      engine.applySale(a, saleUsd, dI);
      engine.ledger.buyCollateral(a, amount, base, cost, proceeds, engine.gas);
      this.reserves = sale.reservesAfter;
      this.collateralReserves[a] = sale.collateralReservesAfter;
      const t = this.totals;
      t.storeFrontSales++;
      t.storeFrontBaseUsd += base * (oracle[this.base] as number);
      t.storeFrontCollateralUsd += fromFixed(sale.collateralAmount, dec) * (oracle[a] as number);
      return true;
    }
    this.totals.storeFrontUnprofitable++;
    return false;
  }
}

/** Σ value of the seized collateral (1e8 USD). */
function sumValue(r: AbsorbResult): bigint {
  let v = 0n;
  for (const s of r.seized) v += s.value;
  return v;
}

/** A signed amount of tokens → units (round to nearest), naming `field` when it is not finite. */
function signedUnits(x: number, decimals: number, field: string): bigint {
  if (!Number.isFinite(x))
    throw new InputError(field, x, "must be a finite number", "Give base tokens, e.g. 5000000.");
  return x < 0 ? -toFixed(-x, decimals) : toFixed(x, decimals);
}

function emptyTotals(): CometTotals {
  return {
    absorbs: 0,
    notLiquidatable: 0,
    absorbedDebtUsd: 0,
    seizedUsd: 0,
    creditUsd: 0,
    shortfallUsd: 0,
    storeFrontSales: 0,
    storeFrontBaseUsd: 0,
    storeFrontCollateralUsd: 0,
    storeFrontUnprofitable: 0,
    minReserves: 0,
  };
}

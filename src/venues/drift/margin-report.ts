import { fromFixed } from "../../math/fixed-point.js";
import type { ResolvedDriftDocument } from "../drift-document.js";
import {
  type Account,
  baseAssetValue,
  canBeLiquidated,
  canExitLiquidation,
  liquidationPrice,
  MARGIN_PRECISION,
  marginCalculation,
  marginRatio,
  marginShortage,
} from "../drift-v2.js";

// --- liquidation and bankruptcy prices on the exact margin calculation ----------------------------------

/** A signed quote amount (1e6) as USD ({@link fromFixed} keeps the sign). */
export const quoteToUsd = (x: bigint): number => fromFixed(x, 6);

/** The account with position `index` repriced at `price` (1e6). */
export function repriced(account: Account, index: number, price: bigint): Account {
  return {
    ...account,
    positions: account.positions.map((p, i) => (i === index ? { ...p, oraclePrice: price } : p)),
  };
}

/** Total collateral without asset weights: deposits + Σ (signed value + quote). */
export function rawCollateral(account: Account): bigint {
  let tc = account.quoteBalance;
  for (const p of account.positions) {
    const v = baseAssetValue(p.baseAssetAmount, p.oraclePrice);
    tc += (p.baseAssetAmount < 0n ? -v : v) + p.quoteAssetAmount;
  }
  return tc;
}

const PRICE_CEILING = 10n ** 18n;

/** A boundary price tick (1e6), or null with the reason why there is none. */
interface TickOrReason {
  tick: bigint | null;
  reason: string | null;
}

/** How a reason names the predicate of {@link boundary}: where it holds and where it fails. */
interface BoundaryWords {
  /** e.g. "total collateral covers the maintenance requirement". */
  safe: string;
  /** e.g. "total collateral is below the maintenance requirement". */
  bad: string;
}

/**
 * The boundary tick of a predicate monotone in the price of position `index`: for a long, the highest
 * price (1e6) at which `bad` holds (bad below it); for a short, the lowest. Null with the reason when
 * the position is flat, when `bad` never holds (long: not even at 1e-6; short: not below 1e12 USD),
 * or when it holds at every price (long: up to 1e12 USD; short: down to 1e-6), where a boundary tick
 * at the end of the search range would read as a price.
 */
function boundary(
  account: Account,
  index: number,
  bad: (a: Account) => boolean,
  words: BoundaryWords,
): TickOrReason {
  const p = account.positions[index];
  if (p === undefined || p.baseAssetAmount === 0n) return { tick: null, reason: "the position is flat" };
  const long = p.baseAssetAmount > 0n;
  const at = (price: bigint) => bad(repriced(account, index, price));
  const none = (where: string, safe: boolean) => ({
    tick: null,
    reason: `${safe ? words.safe : words.bad} at every price ${where}`,
  });
  if (long) {
    if (!at(1n)) return none("down to 0", true);
    let lo = 1n; // bad
    let hi = p.oraclePrice > 1n ? p.oraclePrice : 2n;
    while (at(hi)) {
      lo = hi;
      hi *= 2n;
      if (hi > PRICE_CEILING) return none("up to 1e12 USD", false);
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (at(mid)) lo = mid;
      else hi = mid;
    }
    return { tick: lo, reason: null };
  }
  if (!at(PRICE_CEILING)) return none("up to 1e12 USD", true);
  let hi = PRICE_CEILING; // bad
  let lo = 0n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (at(mid)) hi = mid;
    else lo = mid;
  }
  return hi === 1n ? none("down to 0", false) : { tick: hi, reason: null };
}

/**
 * The liquidation price of position `index` on the exact margin calculation, all else held: for a long
 * the highest oracle price (1e6 tick) at which `TC < MR` (maintenance, with the size premium, which
 * depends on size and not on price), for a short the lowest. Found by bisection on the bigint
 * calculation ({@link marginCalculation}), which is monotone in the price. Null with the reason when
 * no positive price liquidates, every price does, or the position is flat.
 */
function driftLiquidationTick(account: Account, index: number): TickOrReason {
  return boundary(account, index, (a) => canBeLiquidated(marginCalculation(a, "maintenance")), {
    safe: "total collateral covers the maintenance requirement",
    bad: "total collateral is below the maintenance requirement",
  });
}

/** The tick of {@link driftLiquidationTick}, null when there is none. */
export function driftExactLiquidationPrice(account: Account, index: number): bigint | null {
  return driftLiquidationTick(account, index).tick;
}

/** The bankruptcy price of position `index`: the boundary tick at which total collateral (unweighted) turns negative. */
function driftBankruptcyTick(account: Account, index: number): TickOrReason {
  return boundary(account, index, (a) => rawCollateral(a) < 0n, {
    safe: "total collateral stays non-negative",
    bad: "total collateral is negative",
  });
}

/** One position of a Drift margin report (USD floats; ratios as fractions). */
export interface DriftPositionReport {
  symbol: string;
  baseAssetAmount: number;
  oraclePrice: number;
  notional: number;
  unrealizedPnl: number;
  /** Market maintenance ratio and the size-adjusted one actually used. */
  maintenanceMarginRatioBase: number;
  maintenanceMarginRatio: number;
  initialMarginRatio: number;
  maintenanceMargin: number;
  /** Exact liquidation tick ({@link driftLiquidationTick}); null when none. */
  liquidationPrice: number | null;
  /** Why there is no liquidation price, when `liquidationPrice` is null. */
  liquidationReason: string | null;
  /** The SDK's float formula `P − FC/ΔFC` (cross-check; `sdk/src/user.ts::liquidationPrice`). */
  sdkLiquidationPrice: number | null;
  bankruptcyPrice: number | null;
  /** Why there is no bankruptcy price, when `bankruptcyPrice` is null. */
  bankruptcyReason: string | null;
}

/** The Drift `liq-price` document. */
export interface DriftMarginReport {
  venue: "drift-v2";
  highLeverageMode: boolean;
  positions: DriftPositionReport[];
  account: {
    quoteBalance: number;
    totalCollateral: number;
    maintenanceMargin: number;
    /** Maintenance + liquidation buffer: the requirement while being liquidated. */
    maintenanceMarginPlusBuffer: number;
    liquidationMarginBufferRatio: number;
    initialMargin: number;
    freeCollateral: number;
    /** `TC < MR`: a liquidator may start a liquidation. */
    liquidatable: boolean;
    /** `TC ≥ MR + buffer`: an account in liquidation may leave it. */
    canExitLiquidation: boolean;
    /** `(MR + buffer − TC)⁺`, what a liquidation must cover. */
    marginShortage: number;
  };
}

/**
 * Margin, liquidation and bankruptcy prices of a Drift account: total collateral (positive PnL at the
 * maintenance asset weight), maintenance requirement with the size premium, the buffered requirement,
 * initial requirement and free collateral, the liquidatable flag (`TC < MR`) and whether a user in
 * liquidation could leave it (`TC ≥ MR + buffer`). Sources: `math/margin.rs`,
 * `MarginCalculation::meets_margin_requirement`, `can_exit_liquidation`; research note §4.1.
 */
export function driftMarginReport(doc: ResolvedDriftDocument): DriftMarginReport {
  const { account, state } = doc;
  const hl = account.highLeverageMode ?? false;
  const maint = marginCalculation(account, "maintenance", state.liquidationMarginBufferRatio);
  const init = marginCalculation(account, "initial");
  const freeMaint = maint.totalCollateral - maint.marginRequirement;
  const positions = account.positions.map((p, i): DriftPositionReport => {
    const size = p.baseAssetAmount < 0n ? -p.baseAssetAmount : p.baseAssetAmount;
    const value = baseAssetValue(p.baseAssetAmount, p.oraclePrice);
    const mr = marginRatio(p.market, size, "maintenance", hl);
    const lp = driftLiquidationTick(account, i);
    const bp = driftBankruptcyTick(account, i);
    return {
      symbol: p.market.symbol,
      baseAssetAmount: Number(p.baseAssetAmount) / 1e9,
      oraclePrice: quoteToUsd(p.oraclePrice),
      notional: quoteToUsd(value),
      unrealizedPnl: quoteToUsd((p.baseAssetAmount < 0n ? -value : value) + p.quoteAssetAmount),
      maintenanceMarginRatioBase: p.market.marginRatioMaintenance / 1e4,
      maintenanceMarginRatio: mr / 1e4,
      initialMarginRatio: marginRatio(p.market, size, "initial", hl) / 1e4,
      maintenanceMargin: quoteToUsd((value * BigInt(mr)) / MARGIN_PRECISION),
      liquidationPrice: lp.tick === null ? null : quoteToUsd(lp.tick),
      liquidationReason: lp.reason,
      sdkLiquidationPrice:
        p.baseAssetAmount === 0n
          ? null
          : liquidationPrice({
              oraclePrice: quoteToUsd(p.oraclePrice),
              baseAmount: Number(p.baseAssetAmount) / 1e9,
              freeCollateral: quoteToUsd(freeMaint),
              maintenanceMarginRatio: mr / 1e4,
            }),
      bankruptcyPrice: bp.tick === null ? null : quoteToUsd(bp.tick),
      bankruptcyReason: bp.reason,
    };
  });
  return {
    venue: "drift-v2",
    highLeverageMode: hl,
    positions,
    account: {
      quoteBalance: quoteToUsd(account.quoteBalance),
      totalCollateral: quoteToUsd(maint.totalCollateral),
      maintenanceMargin: quoteToUsd(maint.marginRequirement),
      maintenanceMarginPlusBuffer: quoteToUsd(maint.marginRequirementPlusBuffer),
      liquidationMarginBufferRatio: state.liquidationMarginBufferRatio / 1e4,
      initialMargin: quoteToUsd(init.marginRequirement),
      freeCollateral: quoteToUsd(init.totalCollateral - init.marginRequirement),
      liquidatable: canBeLiquidated(maint),
      canExitLiquidation: canExitLiquidation(maint),
      marginShortage: quoteToUsd(marginShortage(maint)),
    },
  };
}

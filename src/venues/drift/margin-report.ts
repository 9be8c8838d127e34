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
  type PerpPosition,
} from "../drift-v2.js";

// --- liquidation and bankruptcy prices on the exact margin calculation ----------------------------------

/** A signed quote amount (1e6) as USD. */
export const quoteToUsd = (x: bigint): number => fromFixed(x < 0n ? -x : x, 6) * (x < 0n ? -1 : 1);

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

/**
 * The boundary tick of a predicate monotone in the price of position `index`: for a long, the highest
 * price (1e6) at which `bad` holds (bad below it); for a short, the lowest. Null when `bad` never holds
 * (long: not even at 1e-6; short: not below 1e12 USD).
 */
function boundary(account: Account, index: number, bad: (a: Account) => boolean): bigint | null {
  const p = account.positions[index] as PerpPosition;
  const long = p.baseAssetAmount > 0n;
  const at = (price: bigint) => bad(repriced(account, index, price));
  if (long) {
    if (!at(1n)) return null;
    let lo = 1n; // bad
    let hi = p.oraclePrice > 1n ? p.oraclePrice : 2n;
    while (at(hi)) {
      lo = hi;
      hi *= 2n;
      if (hi > PRICE_CEILING) return lo;
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (at(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
  if (!at(PRICE_CEILING)) return null;
  let hi = PRICE_CEILING; // bad
  let lo = 0n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (at(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The liquidation price of position `index` on the exact margin calculation, all else held: for a long
 * the highest oracle price (1e6 tick) at which `TC < MR` (maintenance, with the size premium, which
 * depends on size and not on price), for a short the lowest. Found by bisection on the bigint
 * calculation ({@link marginCalculation}), which is monotone in the price. Null when no positive
 * price liquidates, or the position is flat.
 */
export function driftExactLiquidationPrice(account: Account, index: number): bigint | null {
  const p = account.positions[index];
  if (p === undefined || p.baseAssetAmount === 0n) return null;
  return boundary(account, index, (a) => canBeLiquidated(marginCalculation(a, "maintenance")));
}

/** The bankruptcy price of position `index`: the boundary tick at which total collateral (unweighted) turns negative. */
function driftExactBankruptcyPrice(account: Account, index: number): bigint | null {
  const p = account.positions[index];
  if (p === undefined || p.baseAssetAmount === 0n) return null;
  return boundary(account, index, (a) => rawCollateral(a) < 0n);
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
  /** Exact liquidation tick ({@link driftExactLiquidationPrice}); null when none. */
  liquidationPrice: number | null;
  /** The SDK's float formula `P − FC/ΔFC` (cross-check; `sdk/src/user.ts::liquidationPrice`). */
  sdkLiquidationPrice: number | null;
  bankruptcyPrice: number | null;
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
    const lp = driftExactLiquidationPrice(account, i);
    const bp = driftExactBankruptcyPrice(account, i);
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
      liquidationPrice: lp === null ? null : quoteToUsd(lp),
      sdkLiquidationPrice:
        p.baseAssetAmount === 0n
          ? null
          : liquidationPrice({
              oraclePrice: quoteToUsd(p.oraclePrice),
              baseAmount: Number(p.baseAssetAmount) / 1e9,
              freeCollateral: quoteToUsd(freeMaint),
              maintenanceMarginRatio: mr / 1e4,
            }),
      bankruptcyPrice: bp === null ? null : quoteToUsd(bp),
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

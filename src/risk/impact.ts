/**
 * The square-root law of market impact and its calibration.
 *
 * `I(Q) = Y · σ_D · (Q / V_D)^δ` with δ = ½: the relative price impact of a metaorder of size Q,
 * where σ_D is the daily volatility (fraction) and V_D the daily traded volume in the same unit as Q;
 * Y is a constant of order one (Tóth, Lempérière, Deremble, de Lataillade, Kockelkoren, Bouchaud,
 * "Anomalous price impact and the critical nature of liquidity in financial markets", Phys. Rev. X 1,
 * 021006 (2011); Bouchaud, Bonart, Donier, Gould, *Trades, Quotes and Prices* (2018), ch. 12; on
 * Bitcoin, Donier & Bonart, "A million metaorder analysis of market impact on the Bitcoin",
 * Market Microstructure and Liquidity (2015)). See shared/research/quant.md §3.9.
 *
 * Here the law is also fitted to the slippage of book walks: the immediate cost of a market order
 * against one static book, which is a different quantity from the impact of a metaorder executed
 * over time — a book-walk fit describes the book's shape, not the market's resilience.
 */

import { InputError } from "../errors.js";
import { type AmountUnit, type OrderSide, walkBook } from "../market/book-walk.js";
import type { OrderBook } from "../market/orderbook.js";
import { readNumber } from "../validate.js";

/** Parameters of the square-root law. */
export interface SquareRootImpactModel {
  /** The prefactor Y (dimensionless, of order one). */
  readonly y: number;
  /** Daily volatility σ_D, a fraction (0.04 = 4 % a day). */
  readonly dailyVol: number;
  /** Daily volume V_D, in the unit of the order sizes. */
  readonly dailyVolume: number;
  /** The exponent δ (½ for the square-root law). */
  readonly exponent: number;
}

/** `I(Q) = Y σ_D (Q/V_D)^δ`, relative impact (fraction of price) of an order of `size`. */
export function squareRootImpact(size: number, model: SquareRootImpactModel): number {
  readNumber(size, "size", { min: 0 });
  return model.y * model.dailyVol * (size / model.dailyVolume) ** model.exponent;
}

/** One observed (size, relative impact) pair. */
export interface ImpactPoint {
  readonly size: number;
  /** Relative impact or slippage, a fraction. */
  readonly impact: number;
}

/** A fitted square-root law with its goodness of fit. */
export interface SquareRootFit {
  readonly model: SquareRootImpactModel;
  /** Whether δ was fitted (else fixed at the given value). */
  readonly exponentFitted: boolean;
  /** Coefficient of determination `1 − SS_res/SS_tot` of the impacts (in logs when δ is fitted). */
  readonly rSquared: number;
  /** Root mean squared error of the impacts (fraction). */
  readonly rmse: number;
  readonly points: number;
}

/**
 * Fits the law to points by least squares.
 * - δ fixed (default ½): `Y = Σ x_i I_i / Σ x_i²` with `x_i = σ_D (Q_i/V_D)^δ` (least squares through
 *   the origin).
 * - δ fitted (`fitExponent`): ordinary least squares of `ln I_i = ln(Y σ_D) + δ ln(Q_i/V_D)`; needs
 *   positive sizes and impacts.
 */
export function fitSquareRootImpact(
  points: readonly ImpactPoint[],
  scale: { readonly dailyVol: number; readonly dailyVolume: number },
  options: { readonly fitExponent?: boolean; readonly exponent?: number } = {},
): SquareRootFit {
  const dailyVol = readNumber(scale.dailyVol, "dailyVol", { min: 0, exclusiveMin: true });
  const dailyVolume = readNumber(scale.dailyVolume, "dailyVolume", { min: 0, exclusiveMin: true });
  const n = points.length;
  const minimum = options.fitExponent === true ? 2 : 1;
  if (n < minimum) {
    throw new InputError("points", n, `has fewer than ${minimum} points`, "Pass more (size, impact) points.");
  }
  points.forEach((p, i) => {
    const positive = options.fitExponent === true;
    readNumber(p.size, `points[${i}].size`, { min: 0, exclusiveMin: positive });
    readNumber(p.impact, `points[${i}].impact`, positive ? { min: 0, exclusiveMin: true } : {});
  });
  let model: SquareRootImpactModel;
  let rSquared: number;
  if (options.fitExponent === true) {
    const u = points.map((p) => Math.log(p.size / dailyVolume));
    const v = points.map((p) => Math.log(p.impact));
    const mu = mean(u);
    const mv = mean(v);
    let suv = 0;
    let suu = 0;
    for (let i = 0; i < n; i++) {
      suv += ((u[i] as number) - mu) * ((v[i] as number) - mv);
      suu += ((u[i] as number) - mu) ** 2;
    }
    if (suu === 0) {
      throw new InputError("points", points, "all have the same size", "Pass points at two or more sizes.");
    }
    const slope = suv / suu;
    const intercept = mv - slope * mu;
    model = { y: Math.exp(intercept) / dailyVol, dailyVol, dailyVolume, exponent: slope };
    rSquared =
      1 - sumSq(v.map((vi, i) => vi - intercept - slope * (u[i] as number))) / sumSq(v.map((vi) => vi - mv));
  } else {
    const exponent = readNumber(options.exponent ?? 0.5, "exponent", { min: 0, exclusiveMin: true });
    let sxy = 0;
    let sxx = 0;
    for (const p of points) {
      const x = dailyVol * (p.size / dailyVolume) ** exponent;
      sxy += x * p.impact;
      sxx += x * x;
    }
    if (sxx === 0)
      throw new InputError("points", points, "all have size 0", "Pass points with positive sizes.");
    model = { y: sxy / sxx, dailyVol, dailyVolume, exponent };
    const m = mean(points.map((p) => p.impact));
    rSquared =
      1 -
      sumSq(points.map((p) => p.impact - squareRootImpact(p.size, model))) /
        sumSq(points.map((p) => p.impact - m));
  }
  const rmse = Math.sqrt(sumSq(points.map((p) => p.impact - squareRootImpact(p.size, model))) / n);
  return { model, exponentFitted: options.fitExponent === true, rSquared, rmse, points: n };
}

/** (size, slippage) points from walking `book` with market orders of each size (book-walk.ts). */
export function impactPointsFromBook(
  book: OrderBook,
  side: OrderSide,
  sizes: readonly number[],
  unit: AmountUnit = "quote",
): ImpactPoint[] {
  return sizes.map((size) => ({ size, impact: walkBook(book, side, size, unit).slippage }));
}

function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

function sumSq(x: readonly number[]): number {
  return x.reduce((a, b) => a + b * b, 0);
}

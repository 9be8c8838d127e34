/**
 * Black-76: European options on a forward, their vega, and implied volatility.
 *
 * F. Black, "The pricing of commodity contracts", *J. Financial Economics* 3 (1976) 167–179:
 * with d₁ = (ln(F/K) + σ²T/2)/(σ√T), d₂ = d₁ − σ√T and discount factor D,
 *   call = D·(F·N(d₁) − K·N(d₂)),  put = D·(K·N(−d₂) − F·N(−d₁)),  vega = D·F·φ(d₁)·√T.
 *
 * Inversion works on the normalised out-of-the-money price (P. Jäckel, "Let's be rational",
 * *Wilmott* 2015, §2: x = ln(F/K), s = σ√T, b = price/√(FK)): an in-the-money price is first
 * turned into the out-of-the-money price of the other kind by put–call parity
 * (C − P = F − K undiscounted), so x ≤ 0 and the call form
 *   b(x, s) = e^{x/2}·N(x/s + s/2) − e^{−x/2}·N(x/s − s/2),  0 < b < e^{x/2},
 * is strictly increasing in s with ∂b/∂s = e^{x/2}·φ(x/s + s/2). The root of ln b(s) = ln β is
 * found by Newton steps on ln b (which keeps deep out-of-the-money and very short expiries,
 * where b is tiny, well scaled) safeguarded by a bisection bracket that every evaluation
 * tightens. Outside the no-arbitrage bounds max(θ(F − K), 0) < price/D < (F for a call, K for a
 * put) there is no implied volatility and the result says which bound was crossed.
 *
 * Deribit options are inverse: their premium is quoted in coin, `premiumCoin = premiumUsd / F`
 * (Deribit knowledge base, "Inverse options"); the `…Coin` functions take and return that.
 */
import { InputError } from "../errors.js";
import type { OptionKind } from "../market/options.js";
import { normalCdf, normalPdf, normalQuantile } from "../math/distributions.js";

/** Inputs shared by price, vega and inversion. */
export interface Black76Inputs {
  readonly kind: OptionKind;
  /** Forward price F (> 0). */
  readonly forward: number;
  /** Strike K (> 0), in the forward's unit. */
  readonly strike: number;
  /** Time to expiry in years (> 0). */
  readonly timeToExpiryYears: number;
  /** Discount factor D = e^{−rT} in (0, 1]; default 1 (undiscounted). */
  readonly discount?: number;
}

/** Why a price has no implied volatility. */
export type NoImpliedVolReason = "below-intrinsic" | "above-upper-bound" | "not-converged";

/** Result of {@link black76ImpliedVol}. */
export type ImpliedVolResult =
  | { readonly ok: true; readonly annualVol: number; readonly iterations: number }
  | {
      readonly ok: false;
      readonly reason: NoImpliedVolReason;
      /** The undiscounted no-arbitrage interval (intrinsic, upper) the price was checked against. */
      readonly lowerBound: number;
      readonly upperBound: number;
    };

/**
 * Black-76 price (see the module comment), discounted by `discount` (default 1).
 *
 * @example black76Price({ kind: "call", forward: 100, strike: 100, timeToExpiryYears: 1 }, 0.2) // 7.965567455405804
 */
export function black76Price(inputs: Black76Inputs, annualVol: number): number {
  const { F, K, T, D } = checked(inputs);
  if (!(annualVol >= 0) || !Number.isFinite(annualVol)) {
    throw new InputError(
      "annualVol",
      annualVol,
      "must be a finite number ≥ 0",
      "Pass a volatility fraction.",
    );
  }
  const theta = inputs.kind === "call" ? 1 : -1;
  const intrinsic = Math.max(theta * (F - K), 0);
  const s = annualVol * Math.sqrt(T);
  if (s === 0) return D * intrinsic;
  // Out-of-the-money price from the normalised call form at x = −|ln(F/K)|, then parity.
  const x = Math.log(F / K);
  const otm = Math.sqrt(F * K) * normalisedOtmPrice(-Math.abs(x), s);
  const otmIsThisKind = theta * x <= 0;
  return D * (otmIsThisKind ? otm : otm + intrinsic);
}

/**
 * Black-76 vega ∂price/∂σ = D·F·φ(d₁)·√T (same for calls and puts).
 *
 * @example black76Vega({ kind: "call", forward: 100, strike: 100, timeToExpiryYears: 1 }, 0.2) // 39.69525474770118
 */
export function black76Vega(inputs: Black76Inputs, annualVol: number): number {
  const { F, K, T, D } = checked(inputs);
  if (!(annualVol > 0)) return 0;
  const s = annualVol * Math.sqrt(T);
  const d1 = Math.log(F / K) / s + s / 2;
  return D * F * normalPdf(d1) * Math.sqrt(T);
}

/**
 * Implied volatility of a Black-76 premium (discounted by `discount`, default 1): the σ with
 * {@link black76Price}(σ) = premium, by safeguarded Newton–bisection on the normalised
 * out-of-the-money price (module comment). Converges to the last bits of σ√T; returns a reason
 * instead of a number when the premium is outside the no-arbitrage bounds.
 *
 * @example black76ImpliedVol({ kind: "call", forward: 100, strike: 100, timeToExpiryYears: 1 }, 7.965567455405804) // { ok: true, annualVol: 0.2, … }
 */
export function black76ImpliedVol(inputs: Black76Inputs, premium: number): ImpliedVolResult {
  const { F, K, T, D } = checked(inputs);
  if (!Number.isFinite(premium)) {
    throw new InputError("premium", premium, "must be a finite number", "Pass the option premium.");
  }
  const theta = inputs.kind === "call" ? 1 : -1;
  const price = premium / D;
  const intrinsic = Math.max(theta * (F - K), 0);
  const upper = inputs.kind === "call" ? F : K;
  if (!(price > intrinsic))
    return { ok: false, reason: "below-intrinsic", lowerBound: intrinsic, upperBound: upper };
  if (!(price < upper))
    return { ok: false, reason: "above-upper-bound", lowerBound: intrinsic, upperBound: upper };
  const xSigned = Math.log(F / K);
  // Out-of-the-money time value: for an in-the-money quote, subtract the intrinsic (parity).
  const otm = theta * xSigned <= 0 ? price : price - intrinsic;
  const x = -Math.abs(xSigned);
  const beta = otm / Math.sqrt(F * K);
  const bMax = Math.exp(x / 2);
  if (!(beta > 0)) return { ok: false, reason: "below-intrinsic", lowerBound: intrinsic, upperBound: upper };
  if (!(beta < bMax))
    return { ok: false, reason: "above-upper-bound", lowerBound: intrinsic, upperBound: upper };
  const solved = solveNormalised(x, beta);
  if (solved === undefined)
    return { ok: false, reason: "not-converged", lowerBound: intrinsic, upperBound: upper };
  return { ok: true, annualVol: solved.s / Math.sqrt(T), iterations: solved.iterations };
}

/**
 * Price of an inverse (coin-margined) option in coin: Black-76 USD price divided by the
 * forward, `premiumCoin = premiumUsd / F` (Deribit). Strike and forward in USD.
 *
 * @example black76PriceCoin({ kind: "call", forward: 100, strike: 100, timeToExpiryYears: 1 }, 0.2) // 0.07965567455405804
 */
export function black76PriceCoin(inputs: Black76Inputs, annualVol: number): number {
  return black76Price(inputs, annualVol) / inputs.forward;
}

/**
 * Implied volatility from a coin premium (Deribit's quote unit): inverts
 * `premiumCoin · F` with {@link black76ImpliedVol}.
 */
export function black76ImpliedVolCoin(inputs: Black76Inputs, premiumCoin: number): ImpliedVolResult {
  return black76ImpliedVol(inputs, premiumCoin * inputs.forward);
}

/**
 * Normalised out-of-the-money call price b(x, s) for x ≤ 0 (Jäckel 2015 eq. 2.1 form):
 * e^{x/2}N(x/s + s/2) − e^{−x/2}N(x/s − s/2). The two terms are evaluated with the
 * double-precision normal CDF; b is returned as 0 when s = 0.
 */
function normalisedOtmPrice(x: number, s: number): number {
  if (s <= 0) return 0;
  const h = x / s;
  const t = s / 2;
  const value = Math.exp(x / 2) * normalCdf(h + t) - Math.exp(-x / 2) * normalCdf(h - t);
  return Math.max(value, 0);
}

// ── internals ─────────────────────────────────────────────────────────────────

const MAX_ITERATIONS = 200;

/**
 * Solves b(x, s) = β for s > 0 (x ≤ 0, 0 < β < e^{x/2}). b is convex in s below the inflection
 * point s_c = √(2|x|) and concave above it (Jäckel 2015 §3), so below b(s_c) Newton runs on ln b
 * (concave there, ≈ −x²/(2s²)) and above it on b itself; either way every step that leaves the
 * bracket is replaced by bisection.
 */
function solveNormalised(x: number, beta: number): { s: number; iterations: number } | undefined {
  const sCritical = Math.sqrt(-2 * x);
  const useLog = x < 0 && beta < normalisedOtmPrice(x, sCritical);
  const lnBeta = Math.log(beta);
  // Bracket [lo, hi] with b(lo) < β ≤ b(hi); b(0) = 0.
  let lo = 0;
  let hi = Math.max(1, 2 * sCritical);
  let iterations = 0;
  while (normalisedOtmPrice(x, hi) < beta) {
    lo = hi;
    hi *= 2;
    if (++iterations > 60) return undefined;
  }
  // Start: the exact ATM inverse s = 2N⁻¹((1+β)/2) at x = 0, else s_c, clamped into the bracket.
  let s = x === 0 ? 2 * normalQuantile((1 + beta) / 2) : sCritical;
  if (!(s > lo && s < hi)) s = (lo + hi) / 2;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const b = normalisedOtmPrice(x, s);
    if (b === beta) return { s, iterations };
    if (b < beta) lo = s;
    else hi = s;
    const slope = Math.exp(x / 2) * normalPdf(x / s + s / 2);
    let next = Number.NaN;
    if (slope > 0) {
      next = useLog
        ? b > 0
          ? s - ((Math.log(b) - lnBeta) * b) / slope
          : Number.NaN
        : s - (b - beta) / slope;
    }
    // Converged when the Newton correction is at the rounding level of s (it may then fall on
    // the bracket's edge, so this is tested before the bracket check).
    if (Math.abs(next - s) <= 1e-15 * s) return { s, iterations: iterations + 1 };
    if (!(next > lo && next < hi)) next = lo > 0 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
    if (hi - lo <= 4 * Number.EPSILON * hi) return { s: next, iterations: iterations + 1 };
    s = next;
  }
  return undefined;
}

function checked(inputs: Black76Inputs): { F: number; K: number; T: number; D: number } {
  const F = readPositive(inputs.forward, "forward", "Pass the forward price (> 0).");
  const K = readPositive(inputs.strike, "strike", "Pass the strike (> 0).");
  const T = readPositive(
    inputs.timeToExpiryYears,
    "timeToExpiryYears",
    "Pass the time to expiry in years (> 0).",
  );
  const D = inputs.discount ?? 1;
  if (!(D > 0 && D <= 1)) {
    throw new InputError("discount", D, "must be in (0, 1]", "Pass the discount factor e^{−rT}.");
  }
  if (inputs.kind !== "call" && inputs.kind !== "put") {
    throw new InputError("kind", inputs.kind, "must be call or put", 'Pass "call" or "put".');
  }
  return { F, K, T, D };
}

function readPositive(value: number, field: string, fix: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    throw new InputError(field, value, "must be a finite number > 0", fix);
  }
  return value;
}

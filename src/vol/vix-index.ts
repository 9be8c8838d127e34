/**
 * A VIX-style 30-day implied-volatility index from whole option chains, following the Cboe VIX
 * methodology (Cboe Global Indices, "Cboe Volatility Index (VIX) Methodology" v6.0, 2026, and
 * the earlier "VIX White Paper"; the generalised variance formula is Demeterfi, Derman, Kamal
 * & Zou, "More than you ever wanted to know about volatility swaps", Goldman Sachs 1999).
 *
 * Per expiry ("term"), with T in years and R the risk-free rate:
 *  1. F = K* + e^{RT}(C(K*) − P(K*)) at the strike K* where |C − P| of the mid quotes is smallest.
 *  2. K₀ = the listed strike immediately below (or equal to) F.
 *  3. Out-of-the-money strip: puts below K₀ walking down, calls above K₀ walking up; an option
 *     with a zero (or no) bid is excluded, and after two consecutive excluded strikes the walk
 *     stops; at K₀ the put and call mids are averaged.
 *  4. ΔK_i = (K_{i+1} − K_{i−1})/2 over the strikes kept (one-sided difference at the ends).
 *  5. σ² = (2/T) Σ_i (ΔK_i/K_i²) e^{RT} Q(K_i) − (1/T)(F/K₀ − 1)².
 * A wing whose walk runs out of listed strikes before two consecutive zero bids is truncated: the
 * integral misses the options beyond the chain's last strike (`wings`, {@link VixWing}).
 * Two terms bracketing 30 days are blended in minutes:
 *   index = √{ [T₁σ₁² (N₂ − N₃₀)/(N₂ − N₁) + T₂σ₂² (N₃₀ − N₁)/(N₂ − N₁)] · N₃₆₅/N₃₀ }
 * (N = minutes to expiry; N₃₀ = 43,200, N₃₆₅ = 525,600). The result is a fraction (Cboe prints
 * 100× it).
 */
import { InputError } from "../errors.js";
import { type OptionChain, type OptionQuote, premiumUsd } from "../market/options.js";

/** Mid quotes of one strike: a side is `undefined` when it is not quoted. */
export interface VixStrikeQuotes {
  readonly strike: number;
  readonly callBid: number | undefined;
  readonly callAsk: number | undefined;
  readonly putBid: number | undefined;
  readonly putAsk: number | undefined;
}

/** One term's inputs. */
export interface VixTermInput {
  /** Strikes of one expiry, any order (duplicates rejected). Premia in the forward's unit. */
  readonly strikes: readonly VixStrikeQuotes[];
  /** Time to expiry in years (Cboe: minutes / 525,600). */
  readonly years: number;
  /** Continuously compounded risk-free rate (fraction per year). */
  readonly rate: number;
}

/** One strike of the out-of-the-money strip. */
export interface VixContribution {
  readonly strike: number;
  readonly type: "put" | "call" | "put/call average";
  /** Q(K): the mid quote used. */
  readonly mid: number;
  readonly deltaK: number;
  /** ΔK/K² · e^{RT} · Q(K). */
  readonly contribution: number;
}

/** One term's result, with every intermediate the methodology publishes. */
export interface VixTermResult {
  readonly years: number;
  readonly rate: number;
  /** The strike where |C − P| is smallest. */
  readonly parityStrike: number;
  readonly forward: number;
  readonly k0: number;
  /** The strip, ascending by strike. */
  readonly contributions: readonly VixContribution[];
  /** Σ contributions. */
  readonly stripSum: number;
  /** (1/T)(F/K₀ − 1)². */
  readonly forwardTerm: number;
  /** σ² of the term (annualised variance). */
  readonly variance: number;
  /** Strikes passed over on the walks: zero/no bid (`excluded`) or beyond two in a row (`truncated`). */
  readonly skipped: readonly {
    readonly strike: number;
    readonly side: "put" | "call";
    readonly why: "zero-bid" | "beyond-two-zero-bids";
  }[];
  /** How far each wing of the strip reaches, and whether the chain cut it short ({@link VixWing}). */
  readonly wings: { readonly put: VixWing; readonly call: VixWing };
}

/**
 * One wing of a term's strip. Cboe's walk ends at two consecutive zero bids, where the wing's
 * prices have died out; a walk that runs out of listed strikes first (`truncated`) drops the
 * tail beyond the last strike from the variance integral, so σ² is biased low.
 */
export interface VixWing {
  /** The outermost strike of the strip on this side (K₀ when the wing is empty). */
  readonly strike: number;
  /** ln(K/F) of that strike. */
  readonly logMoneyness: number;
  /** ln(K/F)/(σ√T), σ = √σ² of the term: how many of the term's own standard deviations the wing reaches. */
  readonly sigmas: number;
  /** Its mid quote Q(K), in the forward's unit (0 for an empty wing). */
  readonly mid: number;
  /** True when the walk ran out of listed strikes before two consecutive zero bids. */
  readonly truncated: boolean;
}

/**
 * σ² of one term by the Cboe procedure (module comment, steps 1–5).
 *
 * @example
 * // Cboe's worked example (near term, 2022-09-27): σ² = 0.019233906 — see test/parity/cboe-vix.test.ts.
 */
export function vixTermVariance(input: VixTermInput): VixTermResult {
  const T = input.years;
  const R = input.rate;
  if (!(T > 0 && Number.isFinite(T))) {
    throw new InputError("years", T, "must be a finite number > 0", "Pass minutes to expiry / 525,600.");
  }
  if (!Number.isFinite(R))
    throw new InputError("rate", R, "must be a finite number", "Pass the rate as a fraction.");
  const rows = [...input.strikes].sort((a, b) => a.strike - b.strike);
  for (let i = 0; i < rows.length; i++) {
    const k = (rows[i] as VixStrikeQuotes).strike;
    if (!(k > 0 && Number.isFinite(k))) {
      throw new InputError(
        `strikes[${i}].strike`,
        k,
        "must be a finite number > 0",
        "Pass positive strikes.",
      );
    }
    if (i > 0 && k === (rows[i - 1] as VixStrikeQuotes).strike) {
      throw new InputError(
        `strikes[${i}].strike`,
        k,
        "is repeated",
        "Merge the quotes of one strike into one row.",
      );
    }
  }
  const growth = Math.exp(R * T);

  // 1. Forward from put–call parity at the strike with the smallest |C − P|.
  let parity: { strike: number; diff: number } | undefined;
  for (const row of rows) {
    const c = mid(row.callBid, row.callAsk);
    const p = mid(row.putBid, row.putAsk);
    if (c === undefined || p === undefined) continue;
    if (parity === undefined || Math.abs(c - p) < Math.abs(parity.diff))
      parity = { strike: row.strike, diff: c - p };
  }
  if (parity === undefined) {
    throw new InputError(
      "strikes",
      rows.length,
      "have no strike with both a call and a put mid quote",
      "Pass two-sided call and put quotes for at least one strike.",
    );
  }
  const forward = parity.strike + growth * parity.diff;

  // 2. K0: the largest strike ≤ F.
  let k0Index = -1;
  for (let i = 0; i < rows.length; i++) if ((rows[i] as VixStrikeQuotes).strike <= forward) k0Index = i;
  if (k0Index < 0) {
    throw new InputError(
      "strikes",
      forward,
      "have no strike at or below the forward",
      "Pass strikes below the forward.",
    );
  }
  const k0Row = rows[k0Index] as VixStrikeQuotes;
  const k0Put = mid(k0Row.putBid, k0Row.putAsk);
  const k0Call = mid(k0Row.callBid, k0Row.callAsk);
  if (k0Put === undefined || k0Call === undefined) {
    throw new InputError(
      `strikes[K0 = ${k0Row.strike}]`,
      k0Row,
      "lacks a two-sided put or call quote",
      "K0 needs both a put and a call mid.",
    );
  }

  // 3. Walk out from K0 on each side.
  const skipped: { strike: number; side: "put" | "call"; why: "zero-bid" | "beyond-two-zero-bids" }[] = [];
  const stopped = { put: false, call: false };
  const walk = (side: "put" | "call", step: -1 | 1): { strike: number; mid: number }[] => {
    const kept: { strike: number; mid: number }[] = [];
    let zeros = 0;
    for (let i = k0Index + step; i >= 0 && i < rows.length; i += step) {
      const row = rows[i] as VixStrikeQuotes;
      if (zeros >= 2) {
        skipped.push({ strike: row.strike, side, why: "beyond-two-zero-bids" });
        continue;
      }
      const bid = side === "put" ? row.putBid : row.callBid;
      const ask = side === "put" ? row.putAsk : row.callAsk;
      const q = bid !== undefined && bid > 0 ? mid(bid, ask) : undefined;
      if (q === undefined) {
        zeros++;
        skipped.push({ strike: row.strike, side, why: "zero-bid" });
        continue;
      }
      zeros = 0;
      kept.push({ strike: row.strike, mid: q });
    }
    stopped[side] = zeros >= 2;
    return kept;
  };
  const puts = walk("put", -1).reverse();
  const calls = walk("call", 1);
  const strip: { strike: number; mid: number; type: VixContribution["type"] }[] = [
    ...puts.map((p) => ({ ...p, type: "put" as const })),
    { strike: k0Row.strike, mid: (k0Put + k0Call) / 2, type: "put/call average" },
    ...calls.map((c) => ({ ...c, type: "call" as const })),
  ];

  // 4–5. ΔK over the kept strikes, contributions, σ².
  const contributions: VixContribution[] = [];
  let stripSum = 0;
  for (let i = 0; i < strip.length; i++) {
    const here = strip[i] as (typeof strip)[number];
    const below = strip[i - 1]?.strike;
    const above = strip[i + 1]?.strike;
    const deltaK =
      below !== undefined && above !== undefined
        ? (above - below) / 2
        : above !== undefined
          ? above - here.strike
          : below !== undefined
            ? here.strike - below
            : 0;
    const contribution = (deltaK / (here.strike * here.strike)) * growth * here.mid;
    stripSum += contribution;
    contributions.push({ strike: here.strike, type: here.type, mid: here.mid, deltaK, contribution });
  }
  const forwardTerm = (forward / k0Row.strike - 1) ** 2 / T;
  const variance = (2 / T) * stripSum - forwardTerm;
  const wing = (end: { strike: number; mid: number } | undefined, side: "put" | "call"): VixWing => {
    const strike = end?.strike ?? k0Row.strike;
    const logMoneyness = Math.log(strike / forward);
    return {
      strike,
      logMoneyness,
      sigmas: logMoneyness / Math.sqrt(variance * T),
      mid: end?.mid ?? 0,
      truncated: !stopped[side],
    };
  };
  return {
    years: T,
    rate: R,
    parityStrike: parity.strike,
    forward,
    k0: k0Row.strike,
    contributions,
    stripSum,
    forwardTerm,
    variance,
    skipped,
    wings: { put: wing(puts[0], "put"), call: wing(calls[calls.length - 1], "call") },
  };
}

/** A term for {@link vixBlend}: σ² and minutes to expiry. */
export interface VixTerm {
  readonly variance: number;
  readonly minutes: number;
}

/**
 * Blends two terms to a constant maturity (module comment), in minutes:
 * `√{[T₁σ₁²·w₁ + T₂σ₂²·w₂]·N_year/N_target}` with w₁ = (N₂ − N_t)/(N₂ − N₁), w₂ = 1 − w₁,
 * T = N/N_year. Defaults: 30 days (43,200 min), 365-day year (525,600 min). Returns a fraction.
 * With N₁ ≤ N_t ≤ N₂ it interpolates; outside it extrapolates linearly in total variance (Cboe
 * does the same when a term is missing) — check `near.minutes ≤ target ≤ next.minutes` first.
 *
 * @example vixBlend({ variance: 0.019233906, minutes: 34484 }, { variance: 0.019423884, minutes: 44954 }) // 0.13927842…
 */
export function vixBlend(
  near: VixTerm,
  next: VixTerm,
  targetMinutes = 43_200,
  yearMinutes = 525_600,
): number {
  if (!(next.minutes > near.minutes && near.minutes > 0)) {
    throw new InputError(
      "minutes",
      [near.minutes, next.minutes],
      "must satisfy 0 < near < next",
      "Pass the near term first.",
    );
  }
  const w1 = (next.minutes - targetMinutes) / (next.minutes - near.minutes);
  const total =
    (near.minutes / yearMinutes) * near.variance * w1 +
    (next.minutes / yearMinutes) * next.variance * (1 - w1);
  return Math.sqrt((total * yearMinutes) / targetMinutes);
}

/** The index computed from a whole chain, with both terms. */
export interface ChainVixIndex {
  /** The index as an annualised volatility fraction. */
  readonly annualVol: number;
  readonly near: VixTermResult & { readonly expiryMs: number; readonly minutes: number };
  readonly next: VixTermResult & { readonly expiryMs: number; readonly minutes: number };
}

/**
 * A VIX-style index from a whole chain (e.g. a Deribit snapshot): the near term is the latest
 * expiry at or before the target, the next term the first after it; premia are converted to USD
 * by the forward (Deribit coin premia: `USD = coin · F`); bid/ask as quoted (a missing bid
 * counts as a zero bid). Minutes to expiry are counted from `chain.snapshotMs`.
 *
 * @example vixIndexFromChain(readDeribitChainFile("data/options/deribit_btc_option-chain_2025-12-05.csv").chain, 0)
 */
export function vixIndexFromChain(chain: OptionChain, rate = 0, targetMinutes = 43_200): ChainVixIndex {
  const byExpiry = new Map<number, OptionQuote[]>();
  for (const q of chain.quotes) {
    const list = byExpiry.get(q.expiryMs) ?? [];
    list.push(q);
    byExpiry.set(q.expiryMs, list);
  }
  const minutesOf = (expiryMs: number) => (expiryMs - chain.snapshotMs) / 60_000;
  const ordered = [...byExpiry.keys()].sort((a, b) => a - b);
  const nextIndex = ordered.findIndex((e) => minutesOf(e) > targetMinutes);
  if (nextIndex < 1) {
    throw new InputError(
      "chain",
      ordered.map((e) => new Date(e).toISOString()),
      `has no pair of expiries around ${targetMinutes} minutes`,
      "Pass a chain with expiries on both sides of the target.",
    );
  }
  const term = (expiryMs: number) => {
    const quotes = byExpiry.get(expiryMs) as OptionQuote[];
    const minutes = minutesOf(expiryMs);
    const rows = new Map<number, { callBid?: number; callAsk?: number; putBid?: number; putAsk?: number }>();
    for (const q of quotes) {
      const row = rows.get(q.strike) ?? {};
      const usd = (p: number | undefined) => (p === undefined ? undefined : premiumUsd(q, p));
      if (q.kind === "call") Object.assign(row, { callBid: usd(q.bidPremium), callAsk: usd(q.askPremium) });
      else Object.assign(row, { putBid: usd(q.bidPremium), putAsk: usd(q.askPremium) });
      rows.set(q.strike, row);
    }
    const strikes: VixStrikeQuotes[] = [...rows].map(([strike, r]) => ({
      strike,
      callBid: r.callBid,
      callAsk: r.callAsk,
      putBid: r.putBid,
      putAsk: r.putAsk,
    }));
    return { ...vixTermVariance({ strikes, years: minutes / 525_600, rate }), expiryMs, minutes };
  };
  const near = term(ordered[nextIndex - 1] as number);
  const next = term(ordered[nextIndex] as number);
  return {
    annualVol: vixBlend({ variance: near.variance, minutes: near.minutes }, next, targetMinutes),
    near,
    next,
  };
}

function mid(bid: number | undefined, ask: number | undefined): number | undefined {
  if (bid === undefined || ask === undefined || !Number.isFinite(bid) || !Number.isFinite(ask))
    return undefined;
  return (bid + ask) / 2;
}

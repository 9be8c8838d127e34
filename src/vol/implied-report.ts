/**
 * The implied-volatility report of an option-chain snapshot (what `liqopt implied` prints): an SVI
 * fit per expiry with its error, at-the-money level, butterfly and calendar checks, the VIX-style
 * 30-day index, the SVI at-the-money volatility at 30 days, and the last DVOL close at or before
 * the snapshot.
 */
import { InputError } from "../errors.js";
import {
  markBand,
  type OptionChain,
  type OptionQuote,
  premiumUsd,
  type VolIndexSeries,
} from "../market/options.js";
import { black76ImpliedVol } from "./black76.js";
import {
  type ChainSlice,
  fitSvi,
  type SmileWeighting,
  SVI_PARAMETERS,
  type SviFit,
  type SviRaw,
  smileSlicesFromChain,
  sviButterflyCheck,
  sviCalendarCheck,
  sviTotalVariance,
} from "./svi.js";
import { type ChainVixIndex, type VixTermResult, type VixWing, vixIndexFromChain } from "./vix-index.js";

/** One expiry's line. */
export interface ExpiryLine {
  expiry: string;
  years: number;
  forwardUsd: number;
  points: number;
  fit: SviFit;
  /** √(w(0)/T): the fitted at-the-money-forward volatility. */
  atmVol: number;
  /** Butterfly check over the quoted log-moneyness range. */
  butterflyFree: boolean;
  minDensity: number;
  /** Calendar check against the previous expiry over the strikes both quote (null for the first). */
  calendarFree: boolean | null;
  /** The quotes the fit left out, and the fit against the market's bid-ask band (null for a chain without bids). */
  band: ExpiryBand | null;
}

/**
 * One expiry against its market ({@link markBand}): out-of-the-money quotes with a mark implied
 * volatility, those left out of the SVI fit, and how many fitted points the fitted smile passes
 * between their bid and ask implied volatilities.
 */
export interface ExpiryBand {
  /** Out-of-the-money quotes with an implied volatility, before the band filter. */
  quotes: number;
  /** Left out: no bid (the mark is the venue's model value, not a price anyone pays). */
  noBid: number;
  /** Left out: the mark below the bid or above the ask. */
  markOutsideBand: number;
  /** Fitted points with both a bid and an ask. */
  twoSided: number;
  /** Of `twoSided`, those where the SVI volatility √(w(k)/T) lies in [bid IV, ask IV]. */
  fitInsideBand: number;
}

/** An expiry of the chain left unfitted, and why. */
export interface UnfittedExpiry {
  expiry: string;
  /** Usable quotes (out of the money, with an implied vol and a positive weight). */
  points: number;
  /** Quotes left out by the band filter (no bid, or the mark outside the bid-ask band). */
  leftOut: number;
  reason: string;
}

/** The implied-volatility report of a chain (`liqopt implied --json`). */
export interface ImpliedReport {
  source: string;
  underlying: string;
  snapshot: string;
  expiries: ExpiryLine[];
  /**
   * Whether marks outside their bid-ask band, or without a bid, were left out of the fits: true
   * when the chain has bids at all, false (every mark fitted, nothing checked) when it has none.
   */
  bandFilter: boolean;
  /** Expiries with fewer usable quotes than SVI's 5 parameters: not fitted (none of the lines above). */
  unfitted: UnfittedExpiry[];
  index: {
    annualVol: number;
    nearExpiry: string;
    nextExpiry: string;
    nearVol: number;
    nextVol: number;
    /** How far each term's strip reaches on each side, and whether the chain cut it short. */
    wings: { near: VixTermResult["wings"]; next: VixTermResult["wings"] };
    /** One sentence per truncated wing: the strip integral misses its tail, so σ² is biased low. */
    warnings: string[];
    /** index − ATM (SVI) at 30 days, a volatility fraction (null without `atm30d`). */
    overAtm30d: number | null;
  } | null;
  indexError: string | null;
  /** ATM vol interpolated in total variance to 30 days from the SVI fits. */
  atm30d: number | null;
  dvol: { date: string; annualVol: number; daysBeforeSnapshot: number } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY_MS = 86_400_000;

/** The input of {@link impliedReport}: a loaded chain and, to compare with, a DVOL series. */
export interface ImpliedInput {
  /** The file (or name) the chain was read from. */
  source: string;
  chain: OptionChain;
  /** Daily DVOL closes, or null for no comparison. */
  dvol: VolIndexSeries | null;
}

/** Usable quotes of a slice: those with a positive weight (bid-ask weights are 0 without a two-sided quote). */
function weightedPoints(s: ChainSlice): number {
  let n = 0;
  for (const w of s.weights) if (w > 0) n++;
  return n;
}

/** Whether any quote of the chain has a bid: only then can a mark be checked against its market. */
function hasBids(chain: OptionChain): boolean {
  return chain.quotes.some((q) => q.bidPremium !== undefined);
}

/**
 * The smiles of the quotes the report fits ({@link smileSlicesFromChain}: one per expiry, out of
 * the money, weighted by `weighting`): in a chain with bids, only the marks inside their bid-ask
 * band ({@link markBand} `"inside"`); a mark without a bid, or below the bid or above the ask, is no
 * price the market confirms, so it is left out (and counted in {@link ExpiryBand}) rather than
 * down-weighted. A chain without any bid is fitted whole.
 */
function bandSlices(chain: OptionChain, weighting: SmileWeighting): ChainSlice[] {
  const quotes = hasBids(chain) ? chain.quotes.filter((q) => markBand(q) === "inside") : chain.quotes;
  return smileSlicesFromChain({ ...chain, quotes }, weighting);
}

/**
 * The smiles the report fits ({@link bandSlices}) with at least as many usable (positively
 * weighted) quotes as SVI has parameters (5).
 */
export function impliedSmiles(chain: OptionChain, weighting: SmileWeighting): ChainSlice[] {
  return bandSlices(chain, weighting).filter((s) => weightedPoints(s) >= SVI_PARAMETERS);
}

/**
 * The implied volatility of one side of a quote: the venue's (`bidIv`, `askIv`) where the file has
 * it, else the Black-76 inversion of that side's premium; a bid below what any volatility prices
 * gives 0 and an ask above it ∞, so the band stays a bound.
 */
function sideVol(q: OptionQuote, side: "bid" | "ask"): number {
  const given = side === "bid" ? q.bidIv : q.askIv;
  if (given !== undefined) return given;
  const premium = (side === "bid" ? q.bidPremium : q.askPremium) as number;
  const iv = black76ImpliedVol(
    { kind: q.kind, forward: q.forwardUsd, strike: q.strike, timeToExpiryYears: q.timeToExpiryYears },
    premiumUsd(q, premium),
  );
  return iv.ok ? iv.annualVol : side === "bid" ? 0 : Number.POSITIVE_INFINITY;
}

/**
 * The band counts of one fitted expiry: `all` is its slice before the band filter, `fitted` the
 * slice fitted with `params`.
 */
function expiryBand(all: ChainSlice | undefined, fitted: ChainSlice, params: SviRaw): ExpiryBand {
  const quotes = all?.quotes ?? fitted.quotes;
  let twoSided = 0;
  let fitInsideBand = 0;
  fitted.quotes.forEach((q, i) => {
    if (q.bidPremium === undefined || q.askPremium === undefined) return;
    twoSided++;
    const vol = Math.sqrt(
      Math.max(sviTotalVariance(params, fitted.logMoneyness[i] as number), 0) / fitted.years,
    );
    if (vol >= sideVol(q, "bid") && vol <= sideVol(q, "ask")) fitInsideBand++;
  });
  return {
    quotes: quotes.length,
    noBid: quotes.filter((q) => markBand(q) === "no-bid").length,
    markOutsideBand: quotes.filter((q) => markBand(q) === "outside").length,
    twoSided,
    fitInsideBand,
  };
}

/**
 * The implied-volatility report of a chain: a raw-SVI fit per expiry (Gatheral 2004, `vol/svi.ts`)
 * with its at-the-money volatility √(w(0)/T), the butterfly check over the quoted log-moneyness
 * range and the calendar check against the previous expiry (Gatheral & Jacquier 2014); the
 * VIX-style 30-day index by the Cboe method (`vol/vix-index.ts`) with the reach of each term's
 * strip and a warning per truncated wing, and its excess over the ATM level; the SVI at-the-money volatility
 * at 30 days, interpolated linearly in total variance between the expiries around it; and the
 * last DVOL close at or before the snapshot. In a chain with bids only the marks inside their
 * bid-ask band are fitted ({@link impliedSmiles}); each expiry counts those left out and the fitted
 * points whose SVI volatility lies between the bid and ask IVs ({@link ExpiryBand}). Expiries with fewer than 5 usable quotes are listed
 * as `unfitted`; a fit on a bound or with no spare point carries `fit.warnings`. Throws an {@link InputError} on `chain` when no expiry
 * has five usable quotes.
 */
export function impliedReport(input: ImpliedInput, options: { weighting: SmileWeighting }): ImpliedReport {
  const { chain } = input;
  const slices = impliedSmiles(chain, options.weighting);
  if (slices.length === 0)
    throw new InputError(
      "chain",
      input.source,
      "has no expiry with 5 or more usable quotes",
      "Pass a fuller chain.",
    );
  const bandFilter = hasBids(chain);
  const unfiltered = new Map(smileSlicesFromChain(chain, options.weighting).map((s) => [s.expiryMs, s]));
  const banded = new Map(bandSlices(chain, options.weighting).map((s) => [s.expiryMs, s]));
  const unfitted = [...unfiltered.values()].flatMap((all) => {
    const kept = banded.get(all.expiryMs);
    const points = kept === undefined ? 0 : weightedPoints(kept);
    if (points >= SVI_PARAMETERS) return [];
    return [
      {
        expiry: iso(all.expiryMs),
        points,
        leftOut: all.quotes.length - (kept?.quotes.length ?? 0),
        reason: `${points} usable quotes for SVI's ${SVI_PARAMETERS} parameters`,
      },
    ];
  });
  const fits = slices.map((s) => fitSvi(s));
  const expiries = slices.map((s, i) => {
    const fit = fits[i] as SviFit;
    const k = s.logMoneyness;
    const kMin = Math.min(...k);
    const kMax = Math.max(...k);
    const butterfly = sviButterflyCheck(fit.params, { kMin, kMax, points: 401 });
    let calendarFree: boolean | null = null;
    if (i > 0) {
      const prev = slices[i - 1] as ChainSlice;
      const lo = Math.max(kMin, Math.min(...prev.logMoneyness));
      const hi = Math.min(kMax, Math.max(...prev.logMoneyness));
      if (lo < hi)
        calendarFree = sviCalendarCheck((fits[i - 1] as SviFit).params, fit.params, {
          kMin: lo,
          kMax: hi,
          points: 401,
        }).arbitrageFree;
    }
    return {
      expiry: iso(s.expiryMs),
      years: s.years,
      forwardUsd: s.forwardUsd,
      points: k.length,
      fit,
      atmVol: Math.sqrt(sviTotalVariance(fit.params, 0) / s.years),
      butterflyFree: butterfly.arbitrageFree,
      minDensity: butterfly.minDensity,
      calendarFree,
      band: bandFilter ? expiryBand(unfiltered.get(s.expiryMs), s, fit.params) : null,
    };
  });
  const target = 30 / 365;
  const after = expiries.findIndex((e) => e.years >= target);
  let atm30d: number | null = null;
  if (after > 0) {
    const a = expiries[after - 1] as ExpiryLine;
    const b = expiries[after] as ExpiryLine;
    const wa = a.atmVol ** 2 * a.years;
    const wb = b.atmVol ** 2 * b.years;
    atm30d = Math.sqrt((wa + ((wb - wa) * (target - a.years)) / (b.years - a.years)) / target);
  }
  let index: ImpliedReport["index"] = null;
  let indexError: string | null = null;
  try {
    const v: ChainVixIndex = vixIndexFromChain(chain);
    index = {
      annualVol: v.annualVol,
      nearExpiry: iso(v.near.expiryMs),
      nextExpiry: iso(v.next.expiryMs),
      nearVol: Math.sqrt(v.near.variance),
      nextVol: Math.sqrt(v.next.variance),
      wings: { near: v.near.wings, next: v.next.wings },
      warnings: [v.near, v.next].flatMap((t) => wingWarnings(iso(t.expiryMs).slice(0, 10), t.wings)),
      overAtm30d: atm30d === null ? null : v.annualVol - atm30d,
    };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    indexError = err.message;
  }
  let dvol: ImpliedReport["dvol"] = null;
  const d = input.dvol;
  if (d !== null) {
    let i = d.timeMs.length - 1;
    while (i >= 0 && (d.timeMs[i] as number) > chain.snapshotMs) i--;
    if (i >= 0)
      dvol = {
        date: iso(d.timeMs[i] as number).slice(0, 10),
        annualVol: d.annualVol[i] as number,
        daysBeforeSnapshot: Math.floor((chain.snapshotMs - (d.timeMs[i] as number)) / DAY_MS),
      };
  }
  return {
    source: input.source,
    underlying: chain.underlying,
    snapshot: iso(chain.snapshotMs),
    expiries,
    bandFilter,
    unfitted,
    index,
    indexError,
    atm30d,
    dvol,
  };
}

/** The warnings of a term's truncated wings (see {@link VixWing}). */
function wingWarnings(expiry: string, wings: VixTermResult["wings"]): string[] {
  const line = (side: "put" | "call", w: VixWing) =>
    `${expiry} ${side} wing truncated: the strip ends at the chain's last listed strike (K ${w.strike}, ln(K/F) ` +
    `${w.logMoneyness.toFixed(3)}, ${w.sigmas.toFixed(2)}σ), whose ${side} still has a bid and mid ${w.mid.toPrecision(4)} USD, ` +
    "before two consecutive zero bids: the tail beyond it is missing and the term's variance is biased low";
  return [
    ...(wings.put.truncated ? [line("put", wings.put)] : []),
    ...(wings.call.truncated ? [line("call", wings.call)] : []),
  ];
}

/**
 * The implied-volatility report of an option-chain snapshot (what `liqopt implied` prints): an SVI
 * fit per expiry with its error, at-the-money level, butterfly and calendar checks, the VIX-style
 * 30-day index, the SVI at-the-money volatility at 30 days, and the last DVOL close at or before
 * the snapshot.
 */
import { InputError } from "../errors.js";
import type { OptionChain, VolIndexSeries } from "../market/options.js";
import {
  type ChainSlice,
  fitSvi,
  type SmileWeighting,
  SVI_PARAMETERS,
  type SviFit,
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
}

/** An expiry of the chain left unfitted, and why. */
export interface UnfittedExpiry {
  expiry: string;
  /** Usable quotes (out of the money, with an implied vol and a positive weight). */
  points: number;
  reason: string;
}

/** The implied-volatility report of a chain (`liqopt implied --json`). */
export interface ImpliedReport {
  source: string;
  underlying: string;
  snapshot: string;
  expiries: ExpiryLine[];
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

/**
 * The smiles the report fits: one per expiry of the chain ({@link smileSlicesFromChain}, out of
 * the money, weighted by `weighting`) with at least as many usable (positively weighted) quotes
 * as SVI has parameters (5).
 */
export function impliedSmiles(chain: OptionChain, weighting: SmileWeighting): ChainSlice[] {
  return smileSlicesFromChain(chain, weighting).filter((s) => weightedPoints(s) >= SVI_PARAMETERS);
}

/**
 * The implied-volatility report of a chain: a raw-SVI fit per expiry (Gatheral 2004, `vol/svi.ts`)
 * with its at-the-money volatility √(w(0)/T), the butterfly check over the quoted log-moneyness
 * range and the calendar check against the previous expiry (Gatheral & Jacquier 2014); the
 * VIX-style 30-day index by the Cboe method (`vol/vix-index.ts`) with the reach of each term's
 * strip and a warning per truncated wing, and its excess over the ATM level; the SVI at-the-money volatility
 * at 30 days, interpolated linearly in total variance between the expiries around it; and the
 * last DVOL close at or before the snapshot. Expiries with fewer than 5 usable quotes are listed
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
  const unfitted = smileSlicesFromChain(chain, options.weighting)
    .filter((s) => weightedPoints(s) < SVI_PARAMETERS)
    .map((s) => ({
      expiry: iso(s.expiryMs),
      points: weightedPoints(s),
      reason: `${weightedPoints(s)} usable quotes for SVI's ${SVI_PARAMETERS} parameters`,
    }));
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

/**
 * Raw SVI smiles: evaluation, derivatives, arbitrage checks, SVI-JW, and a per-expiry fit.
 *
 * Raw SVI (J. Gatheral, "A parsimonious arbitrage-free implied volatility parameterization",
 * Global Derivatives 2004; Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces",
 * *Quantitative Finance* 14(1), 2014, eq. 3.1): total implied variance at log-moneyness
 * k = ln(K/F) is
 *   w(k) = a + b{ρ(k − m) + √((k − m)² + σ²)},  w = σ_BS²·T,
 * with b ≥ 0, |ρ| < 1, σ > 0 and a + bσ√(1 − ρ²) ≥ 0 (so w ≥ 0).
 * Butterfly arbitrage is absent iff the density factor (GJ 2014 eq. 2.1 / Lemma 2.2)
 *   g(k) = (1 − k w′/(2w))² − (w′²/4)(1/w + 1/4) + w″/2
 * is ≥ 0 for all k; calendar arbitrage is absent iff w(k, t) is non-decreasing in t for every k
 * (GJ 2014 Lemma 2.1).
 *
 * The fit is Zeliade's quasi-explicit method (Zeliade Systems, "Quasi-explicit calibration of
 * Gatheral's SVI model", white paper ZWP-0005, 2009): with y = (k − m)/σ,
 * w = a + d·y + c·√(y² + 1) (c = bσ, d = ρbσ) is linear in (a, d, c); for fixed (m, σ) the
 * weighted least squares in (a, d, c) is solved exactly over the domain
 * −(c − |d|) ≤ a ≤ max wᵢ, |d| ≤ c, |d| ≤ L·σ − c (L = wing-slope cap; Zeliade use 4, Lee's
 * moment bound b(1 + |ρ|) ≤ 2 gives the default L = 2; Zeliade's a ≥ 0 is relaxed, see
 * {@link G_ROWS}), and Nelder–Mead (src/math/minimize.ts) searches (m, σ).
 */
import { InputError } from "../errors.js";
import { type OptionChain, type OptionQuote, premiumUsd } from "../market/options.js";
import { nelderMead } from "../math/minimize.js";
import { black76ImpliedVol, black76Vega } from "./black76.js";

/** Raw SVI parameters of one expiry (total-variance form). */
export interface SviRaw {
  readonly a: number;
  readonly b: number;
  readonly rho: number;
  readonly m: number;
  readonly sigma: number;
}

/** SVI-JW parameters (GJ 2014 §3.3): all in variance-per-year or slope units. */
export interface SviJw {
  /** ATM variance w(0)/t. */
  readonly v: number;
  /** ATM skew. */
  readonly psi: number;
  /** Left (put) wing slope. */
  readonly p: number;
  /** Right (call) wing slope. */
  readonly c: number;
  /** Minimum implied variance. */
  readonly vMin: number;
}

/**
 * Total implied variance w(k) of raw SVI.
 *
 * @example sviTotalVariance({ a: 0.04, b: 0.4, rho: -0.4, m: 0, sigma: 0.1 }, 0) // 0.08
 */
export function sviTotalVariance(p: SviRaw, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}

/**
 * w(k), w′(k) = b{ρ + (k − m)/√((k − m)² + σ²)} and w″(k) = bσ²/((k − m)² + σ²)^{3/2}.
 */
export function sviDerivatives(p: SviRaw, k: number): { w: number; w1: number; w2: number } {
  const x = k - p.m;
  const r2 = x * x + p.sigma * p.sigma;
  const r = Math.sqrt(r2);
  return {
    w: p.a + p.b * (p.rho * x + r),
    w1: p.b * (p.rho + x / r),
    w2: (p.b * p.sigma * p.sigma) / (r2 * r),
  };
}

/**
 * Gatheral–Jacquier density factor g(k) (module comment); the risk-neutral density is
 * g(k)/√(2πw)·exp(−d₋²/2). Negative g means butterfly arbitrage at k.
 *
 * @example sviDensity({ a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }, 0.879263) // ≈ −0.0328636 (GJ 2014 Ex. 3.1)
 */
export function sviDensity(p: SviRaw, k: number): number {
  const { w, w1, w2 } = sviDerivatives(p, k);
  const u = 1 - (k * w1) / (2 * w);
  return u * u - ((w1 * w1) / 4) * (1 / w + 0.25) + w2 / 2;
}

/** Result of {@link sviButterflyCheck}. */
export interface ButterflyCheck {
  /** min g over the grid, refined by golden-section search around the grid minimum. */
  readonly minDensity: number;
  readonly argminK: number;
  /** Intervals of k where g < 0, each end bracketed on the grid and refined by bisection. */
  readonly negativeIntervals: readonly (readonly [number, number])[];
  /** min w over the grid (must be > 0 for g to be defined). */
  readonly minTotalVariance: number;
  readonly arbitrageFree: boolean;
}

/**
 * Butterfly check of one raw SVI slice: g(k) on `points` equally spaced k in [kMin, kMax]
 * (defaults −3, 3, 2001), minimum refined by golden-section search, sign changes bracketed on
 * the grid and refined by bisection to 1e-12.
 *
 * @example sviButterflyCheck({ a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }).negativeIntervals // [[0.642…, 1.257…]]
 */
export function sviButterflyCheck(
  p: SviRaw,
  grid: { readonly kMin?: number; readonly kMax?: number; readonly points?: number } = {},
): ButterflyCheck {
  const kMin = grid.kMin ?? -3;
  const kMax = grid.kMax ?? 3;
  const n = grid.points ?? 2001;
  if (!(kMax > kMin) || !(n >= 3)) {
    throw new InputError("grid", grid, "must have kMax > kMin and at least 3 points", "Pass a wider grid.");
  }
  const h = (kMax - kMin) / (n - 1);
  const g = (k: number) => sviDensity(p, k);
  let best = 0;
  let minW = Number.POSITIVE_INFINITY;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = kMin + i * h;
    values[i] = g(k);
    minW = Math.min(minW, sviTotalVariance(p, k));
    if ((values[i] as number) < (values[best] as number)) best = i;
  }
  // Golden-section on [k_{best−1}, k_{best+1}].
  let lo = kMin + Math.max(best - 1, 0) * h;
  let hi = kMin + Math.min(best + 1, n - 1) * h;
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = g(x1);
  let f2 = g(x2);
  while (hi - lo > 1e-12) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = g(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = g(x2);
    }
  }
  const argminK = (lo + hi) / 2;
  const minDensity = Math.min(g(argminK), values[best] as number);
  const root = (a: number, b: number) => {
    let ga = g(a);
    for (let i = 0; i < 200 && b - a > 1e-12; i++) {
      const c = (a + b) / 2;
      const gc = g(c);
      if (gc < 0 === ga < 0) {
        a = c;
        ga = gc;
      } else b = c;
    }
    return (a + b) / 2;
  };
  const intervals: [number, number][] = [];
  let start: number | undefined = (values[0] as number) < 0 ? kMin : undefined;
  for (let i = 1; i < n; i++) {
    const was = (values[i - 1] as number) < 0;
    const is = (values[i] as number) < 0;
    if (!was && is) start = root(kMin + (i - 1) * h, kMin + i * h);
    if (was && !is) {
      intervals.push([start as number, root(kMin + (i - 1) * h, kMin + i * h)]);
      start = undefined;
    }
  }
  if (start !== undefined) intervals.push([start, kMax]);
  return {
    minDensity,
    argminK,
    negativeIntervals: intervals,
    minTotalVariance: minW,
    arbitrageFree: minDensity >= 0 && minW > 0,
  };
}

/**
 * Calendar check between two slices (`earlier` expires first): min over the grid of
 * w_later(k) − w_earlier(k); calendar-arbitrage-free on the grid iff it is ≥ 0 (GJ 2014 Lemma 2.1).
 */
export function sviCalendarCheck(
  earlier: SviRaw,
  later: SviRaw,
  grid: { readonly kMin?: number; readonly kMax?: number; readonly points?: number } = {},
): { readonly minGap: number; readonly atK: number; readonly arbitrageFree: boolean } {
  const kMin = grid.kMin ?? -3;
  const kMax = grid.kMax ?? 3;
  const n = grid.points ?? 2001;
  let minGap = Number.POSITIVE_INFINITY;
  let atK = kMin;
  for (let i = 0; i < n; i++) {
    const k = kMin + ((kMax - kMin) * i) / (n - 1);
    const gap = sviTotalVariance(later, k) - sviTotalVariance(earlier, k);
    if (gap < minGap) {
      minGap = gap;
      atK = k;
    }
  }
  return { minGap, atK, arbitrageFree: minGap >= 0 };
}

/**
 * Raw SVI → SVI-JW at expiry `t` years (GJ 2014 §3.3): w_t = w(0),
 * v = w_t/t, ψ = (1/√w_t)(b/2)(−m/√(m² + σ²) + ρ), p = b(1 − ρ)/√w_t, c = b(1 + ρ)/√w_t,
 * ṽ = (a + bσ√(1 − ρ²))/t.
 *
 * @example sviToJw({ a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 }, 1) // ≈ (0.0174263, −0.1752111, 0.6997381, 1.3167982, 0.0116249)
 */
export function sviToJw(p: SviRaw, t: number): SviJw {
  const wt = sviTotalVariance(p, 0);
  const sw = Math.sqrt(wt);
  return {
    v: wt / t,
    psi: (p.b / (2 * sw)) * (p.rho - p.m / Math.sqrt(p.m * p.m + p.sigma * p.sigma)),
    p: (p.b * (1 - p.rho)) / sw,
    c: (p.b * (1 + p.rho)) / sw,
    vMin: (p.a + p.b * p.sigma * Math.sqrt(1 - p.rho * p.rho)) / t,
  };
}

/**
 * SVI-JW → raw SVI at expiry `t` (GJ 2014 Lemma 3.2): w = vt, b = √w(c + p)/2,
 * ρ = 1 − p√w/b, β = ρ − 2ψ√w/b, α = sign(β)√(1/β² − 1),
 * m = (v − ṽ)t / (b{−ρ + sign(α)√(1 + α²) − α√(1 − ρ²)}), σ = αm, a = ṽt − bσ√(1 − ρ²).
 * Requires |β| ≤ 1; when m = 0 (v = ṽ) σ is not determined by (v, ψ, p, c, ṽ) alone.
 */
export function sviFromJw(jw: SviJw, t: number): SviRaw {
  const w = jw.v * t;
  const sw = Math.sqrt(w);
  const b = (sw * (jw.c + jw.p)) / 2;
  const rho = 1 - (jw.p * sw) / b;
  const beta = rho - (2 * jw.psi * sw) / b;
  if (!(Math.abs(beta) <= 1) || beta === 0) {
    throw new InputError(
      "jw",
      jw,
      `gives β = ${beta} outside (−1, 1) \\ {0}`,
      "Pass consistent SVI-JW parameters.",
    );
  }
  const alpha = Math.sign(beta) * Math.sqrt(1 / (beta * beta) - 1);
  const m =
    ((jw.v - jw.vMin) * t) /
    (b * (-rho + Math.sign(alpha) * Math.sqrt(1 + alpha * alpha) - alpha * Math.sqrt(1 - rho * rho)));
  const sigma = alpha * m;
  return { a: jw.vMin * t - b * sigma * Math.sqrt(1 - rho * rho), b, rho, m, sigma };
}

/** One expiry's market smile for fitting. */
export interface SmileSlice {
  /** Time to expiry in years. */
  readonly years: number;
  /** Log-moneyness ln(K/F) per point. */
  readonly logMoneyness: Float64Array;
  /** Market implied volatility (fraction) per point. */
  readonly impliedVol: Float64Array;
  /** Non-negative weight per point on squared implied-vol errors. */
  readonly weights: Float64Array;
}

/** Options of {@link fitSvi}. */
export interface SviFitOptions {
  /** Wing slope cap L in c + |d| ≤ Lσ, i.e. b(1 + |ρ|) ≤ L (default 2, Lee's bound). */
  readonly wingSlopeCap?: number;
}

/**
 * A bound of the SVI fit that binds at its optimum: `rho` |ρ| = 1 (the smile is linear on one
 * side), `sigma` σ at its floor 1e-4 (a kink at m), `sigma-upper` at its ceiling 4 × the quoted
 * k-range, `m` at an end of its search box (the vertex outside the quotes, beyond a k-range).
 */
export type SviBound = "rho" | "sigma" | "sigma-upper" | "m";

/** Result of {@link fitSvi}. */
export interface SviFit {
  readonly params: SviRaw;
  /** √(Σ wᵢ(σ_model − σ_market)²/Σ wᵢ), as a volatility fraction (×100 for vol points). */
  readonly weightedRmseVol: number;
  /** Unweighted RMSE of implied vol over the points with positive weight. */
  readonly rmseVol: number;
  readonly evaluations: number;
  /** True when the kept Nelder–Mead run met its tolerances (says nothing about the bounds). */
  readonly converged: boolean;
  /** Points with positive weight (the fit needs at least 5, SVI's parameter count). */
  readonly points: number;
  /** Bounds that bind at the optimum ({@link SviBound}); empty for an interior fit. */
  readonly atBound: readonly SviBound[];
  /**
   * Why the fit is not to be read as a smile: a binding bound, or no more points than the 5
   * parameters (the fit interpolates, its RMSE is 0 by construction). Empty for a sound fit.
   */
  readonly warnings: readonly string[];
}

/** SVI's parameter count (a, b, ρ, m, σ). */
export const SVI_PARAMETERS = 5;

/**
 * Fits raw SVI to one slice by Zeliade's quasi-explicit method (module comment). The inner
 * problem minimises Σ ωᵢ(wᵢ^model − wᵢ)² in total variance with ωᵢ = weightᵢ/(2σᵢT)², which to
 * first order is the weighted squared implied-vol error; it is solved exactly by enumerating the
 * active constraint sets of the (a, d, c) polytope. Nelder–Mead runs over (m, σ) from three
 * starts (σ = 0.05, 0.2, 0.5 × the k-range; m at the smallest market w).
 */
export function fitSvi(slice: SmileSlice, options: SviFitOptions = {}): SviFit {
  const n = slice.logMoneyness.length;
  const T = slice.years;
  if (!(T > 0)) throw new InputError("years", T, "must be > 0", "Pass the time to expiry in years.");
  if (slice.impliedVol.length !== n || slice.weights.length !== n) {
    throw new InputError(
      "slice",
      n,
      "arrays must have equal lengths",
      "Pass one k, vol and weight per point.",
    );
  }
  const k = slice.logMoneyness;
  const target = new Float64Array(n);
  const omega = new Float64Array(n);
  let used = 0;
  let kMin = Number.POSITIVE_INFINITY;
  let kMax = Number.NEGATIVE_INFINITY;
  let argMinW = 0;
  for (let i = 0; i < n; i++) {
    const vol = slice.impliedVol[i] as number;
    const wt = slice.weights[i] as number;
    if (!(vol > 0) || !(wt >= 0) || !Number.isFinite(k[i] as number)) {
      throw new InputError(
        `slice[${i}]`,
        [k[i], vol, wt],
        "needs finite k, vol > 0, weight ≥ 0",
        "Drop the point.",
      );
    }
    target[i] = vol * vol * T;
    omega[i] = wt / (2 * vol * T) ** 2;
    if (wt > 0) {
      used++;
      kMin = Math.min(kMin, k[i] as number);
      kMax = Math.max(kMax, k[i] as number);
      if ((target[i] as number) < (target[argMinW] as number) || (slice.weights[argMinW] as number) === 0)
        argMinW = i;
    }
  }
  if (used < SVI_PARAMETERS)
    throw new InputError(
      "slice",
      used,
      `has fewer weighted points than SVI's ${SVI_PARAMETERS} parameters`,
      "Pass at least 5 quotes.",
    );
  const cap = options.wingSlopeCap ?? 2;
  const range = Math.max(kMax - kMin, 1e-3);
  let aMax = 0;
  for (let i = 0; i < n; i++) if ((omega[i] as number) > 0) aMax = Math.max(aMax, target[i] as number);

  const inner = (m: number, sigma: number) => solveInner(k, target, omega, m, sigma, cap, aMax);
  const objective = (x: Float64Array) => inner(x[0] as number, x[1] as number).sse;
  const bounds = { lower: [kMin - range, 1e-4], upper: [kMax + range, 4 * range] };
  let best: { x: Float64Array; f: number; evaluations: number; converged: boolean } | undefined;
  let evaluations = 0;
  for (const frac of [0.05, 0.2, 0.5]) {
    const r = nelderMead(objective, [k[argMinW] as number, frac * range], { bounds, fTolerance: 1e-16 });
    evaluations += r.evaluations;
    if (best === undefined || r.f < best.f)
      best = { x: r.x, f: r.f, evaluations: r.evaluations, converged: r.converged };
  }
  const chosen = best as NonNullable<typeof best>;
  const m = chosen.x[0] as number;
  const sigma = chosen.x[1] as number;
  const { a, d, c } = inner(m, sigma);
  const b = c / sigma;
  const params: SviRaw = { a, b, rho: b > 0 ? d / c : 0, m, sigma };
  let sw = 0;
  let swe = 0;
  let se = 0;
  for (let i = 0; i < n; i++) {
    const wt = slice.weights[i] as number;
    if (!(wt > 0)) continue;
    const model = Math.sqrt(Math.max(sviTotalVariance(params, k[i] as number), 0) / T);
    const e = model - (slice.impliedVol[i] as number);
    sw += wt;
    swe += wt * e * e;
    se += e * e;
  }
  const atBound = sviBoundsAt(params, bounds);
  return {
    params,
    weightedRmseVol: Math.sqrt(swe / sw),
    rmseVol: Math.sqrt(se / used),
    evaluations,
    converged: chosen.converged,
    points: used,
    atBound,
    warnings: sviWarnings(atBound, params, used),
  };
}

/** The bounds binding at `p` in the fit's (m, σ) search box (within 1e-6 relative). */
function sviBoundsAt(
  p: SviRaw,
  box: { readonly lower: readonly number[]; readonly upper: readonly number[] },
): SviBound[] {
  const out: SviBound[] = [];
  const near = (x: number, bound: number) => Math.abs(x - bound) <= 1e-6 * Math.max(1, Math.abs(bound));
  if (p.b > 0 && Math.abs(p.rho) >= 1 - 1e-6) out.push("rho");
  if (near(p.sigma, box.lower[1] as number)) out.push("sigma");
  if (near(p.sigma, box.upper[1] as number)) out.push("sigma-upper");
  if (near(p.m, box.lower[0] as number) || near(p.m, box.upper[0] as number)) out.push("m");
  return out;
}

/** The sentences of {@link SviFit.warnings}. */
function sviWarnings(atBound: readonly SviBound[], p: SviRaw, points: number): string[] {
  const out = atBound.map((bound) => {
    switch (bound) {
      case "rho":
        return `ρ = ${p.rho.toFixed(4)} is at its bound ±1: the smile is a straight line on one side (do the quotes cover one wing only?)`;
      case "sigma":
        return "σ is at its floor 1e-4: the smile has a kink at m";
      case "sigma-upper":
        return "σ is at its ceiling (4 × the quoted k-range): the smile is nearly a parabola over the quotes";
      default:
        return `m = ${p.m.toFixed(4)} is at the end of its search box: the smile's vertex lies far outside the quotes`;
    }
  });
  if (points <= SVI_PARAMETERS) {
    out.push(
      `${points} points for SVI's ${SVI_PARAMETERS} parameters: the fit interpolates, its error is zero by construction`,
    );
  }
  return out;
}

/** How {@link smileSlicesFromChain} weights points. */
export type SmileWeighting = "vega" | "bid-ask" | "uniform";

/** A slice with its expiry and forward. */
export interface ChainSlice extends SmileSlice {
  readonly expiryMs: number;
  readonly forwardUsd: number;
  /** Quotes used, aligned with the arrays. */
  readonly quotes: readonly OptionQuote[];
}

/**
 * One smile per expiry from a chain: out-of-the-money quotes only (puts with K < F, calls with
 * K ≥ F), implied vol from the mark premium (coin premia × F), points without an implied vol
 * left out. Weights: `"vega"` = Black-76 vega / max vega of the slice; `"bid-ask"` =
 * 1/(spread in vol)², spread in vol = (ask − bid)·F/vega, 0 without a two-sided quote;
 * `"uniform"` = 1.
 */
export function smileSlicesFromChain(chain: OptionChain, weighting: SmileWeighting = "vega"): ChainSlice[] {
  const groups = new Map<number, OptionQuote[]>();
  for (const q of chain.quotes) {
    const otm = q.kind === "put" ? q.strike < q.forwardUsd : q.strike >= q.forwardUsd;
    if (!otm) continue;
    const list = groups.get(q.expiryMs) ?? [];
    list.push(q);
    groups.set(q.expiryMs, list);
  }
  const slices: ChainSlice[] = [];
  for (const expiryMs of [...groups.keys()].sort((a, b) => a - b)) {
    const group = (groups.get(expiryMs) as OptionQuote[]).slice().sort((a, b) => a.strike - b.strike);
    const rows: { q: OptionQuote; k: number; vol: number; vega: number; spreadVol: number }[] = [];
    for (const q of group) {
      const inputs = {
        kind: q.kind,
        forward: q.forwardUsd,
        strike: q.strike,
        timeToExpiryYears: q.timeToExpiryYears,
      };
      const iv = black76ImpliedVol(inputs, premiumUsd(q, q.markPremium));
      if (!iv.ok) continue;
      const vega = black76Vega(inputs, iv.annualVol);
      const spread =
        q.bidPremium !== undefined && q.askPremium !== undefined && q.bidPremium > 0
          ? premiumUsd(q, q.askPremium - q.bidPremium) / vega
          : Number.NaN;
      rows.push({ q, k: Math.log(q.strike / q.forwardUsd), vol: iv.annualVol, vega, spreadVol: spread });
    }
    if (rows.length === 0) continue;
    const maxVega = Math.max(...rows.map((r) => r.vega));
    const weight = (r: (typeof rows)[number]) =>
      weighting === "uniform"
        ? 1
        : weighting === "vega"
          ? r.vega / maxVega
          : Number.isFinite(r.spreadVol)
            ? 1 / Math.max(r.spreadVol, 1e-4) ** 2
            : 0;
    const first = rows[0] as (typeof rows)[number];
    slices.push({
      expiryMs,
      forwardUsd: first.q.forwardUsd,
      years: first.q.timeToExpiryYears,
      logMoneyness: Float64Array.from(rows, (r) => r.k),
      impliedVol: Float64Array.from(rows, (r) => r.vol),
      weights: Float64Array.from(rows, weight),
      quotes: rows.map((r) => r.q),
    });
  }
  return slices;
}

// ── the quasi-explicit inner problem ─────────────────────────────────────────

/**
 * Constraint rows G·(a, d, c) ≤ h of the inner problem: |d| ≤ c (two rows), c + |d| ≤ Lσ (two
 * rows: b(1 + |ρ|) ≤ L), a ≤ aMax, and a + c ∓ d ≥ 0. The last two replace Zeliade's a ≥ 0 by
 * the weaker a ≥ −(c − |d|), which still gives w ≥ a + √(c² − d²) ≥ 0 because
 * √(c² − d²) ≥ c − |d| when |d| ≤ c; short-dated crypto smiles need a < 0.
 */
const G_ROWS = [
  [0, 1, -1],
  [0, -1, -1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 0, 0],
  [-1, 1, -1],
  [-1, -1, -1],
] as const;

/** Every set of at most three constraint rows, as index lists (the candidate active sets). */
const ACTIVE_SETS: readonly (readonly number[])[] = (() => {
  const sets: number[][] = [[]];
  const n = G_ROWS.length;
  for (let i = 0; i < n; i++) {
    sets.push([i]);
    for (let j = i + 1; j < n; j++) {
      sets.push([i, j]);
      for (let l = j + 1; l < n; l++) sets.push([i, j, l]);
    }
  }
  return sets;
})();

/** Scratch space of {@link solveInner} (6 × 6 KKT system at most). */
const KKT_A = new Float64Array(36);
const KKT_B = new Float64Array(6);
const H = new Float64Array(9);
const F = new Float64Array(3);
const BOUNDS = new Float64Array(G_ROWS.length);

/**
 * min Σ ωᵢ(a + d·yᵢ + c·zᵢ − wᵢ)², yᵢ = (kᵢ − m)/σ, zᵢ = √(yᵢ² + 1), over G·(a, d, c) ≤ h
 * ({@link G_ROWS}). A convex quadratic program in three unknowns: the equality-constrained
 * problem of every candidate active set (KKT system by Gaussian elimination) is solved and the
 * best feasible solution kept — the optimum is among them.
 */
function solveInner(
  k: Float64Array,
  target: Float64Array,
  omega: Float64Array,
  m: number,
  sigma: number,
  cap: number,
  aMax: number,
): { a: number; d: number; c: number; sse: number } {
  H.fill(0);
  F.fill(0);
  let ww = 0;
  for (let i = 0; i < k.length; i++) {
    const o = omega[i] as number;
    if (o === 0) continue;
    const y = ((k[i] as number) - m) / sigma;
    const z = Math.sqrt(y * y + 1);
    const t = target[i] as number;
    H[0] = (H[0] as number) + o;
    H[1] = (H[1] as number) + o * y;
    H[2] = (H[2] as number) + o * z;
    H[4] = (H[4] as number) + o * y * y;
    H[5] = (H[5] as number) + o * y * z;
    H[8] = (H[8] as number) + o * z * z;
    F[0] = (F[0] as number) + o * t;
    F[1] = (F[1] as number) + o * y * t;
    F[2] = (F[2] as number) + o * z * t;
    ww += o * t * t;
  }
  H[3] = H[1] as number;
  H[6] = H[2] as number;
  H[7] = H[5] as number;
  BOUNDS.set([0, 0, cap * sigma, cap * sigma, aMax, 0, 0]);
  let bestA = 0;
  let bestD = 0;
  let bestC = 0;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const set of ACTIVE_SETS) {
    const size = 3 + set.length;
    KKT_A.fill(0);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) KKT_A[r * size + c] = H[r * 3 + c] as number;
      KKT_B[r] = F[r] as number;
    }
    for (let idx = 0; idx < set.length; idx++) {
      const j = set[idx] as number;
      const g = G_ROWS[j] as readonly number[];
      for (let c = 0; c < 3; c++) {
        KKT_A[(3 + idx) * size + c] = g[c] as number;
        KKT_A[c * size + 3 + idx] = g[c] as number;
      }
      KKT_B[3 + idx] = BOUNDS[j] as number;
    }
    if (!solveLinear(KKT_A, KKT_B, size)) continue;
    const a = KKT_B[0] as number;
    const d = KKT_B[1] as number;
    const c = KKT_B[2] as number;
    let feasible = true;
    for (let j = 0; j < G_ROWS.length && feasible; j++) {
      const g = G_ROWS[j] as readonly number[];
      const h = BOUNDS[j] as number;
      feasible =
        (g[0] as number) * a + (g[1] as number) * d + (g[2] as number) * c <= h + 1e-12 * (1 + Math.abs(h));
    }
    if (!feasible) continue;
    // Σω(vᵀx − t)² = xᵀHx − 2fᵀx + Σωt².
    const sse =
      ww -
      2 * ((F[0] as number) * a + (F[1] as number) * d + (F[2] as number) * c) +
      (H[0] as number) * a * a +
      (H[4] as number) * d * d +
      (H[8] as number) * c * c +
      2 * ((H[1] as number) * a * d + (H[2] as number) * a * c + (H[5] as number) * d * c);
    if (sse < bestSse) {
      bestSse = sse;
      bestA = a;
      bestD = d;
      bestC = c;
    }
  }
  return { a: bestA, d: bestD, c: bestC, sse: bestSse };
}

/**
 * Solves A x = b in place (A: n × n row-major in the first n² entries, b overwritten by x) by
 * Gaussian elimination with partial pivoting; false when A is numerically singular.
 */
function solveLinear(M: Float64Array, x: Float64Array, n: number): boolean {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(M[i] as number));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(M[r * n + col] as number) > Math.abs(M[piv * n + col] as number)) piv = r;
    if (!(Math.abs(M[piv * n + col] as number) > 1e-13 * scale)) return false;
    if (piv !== col) {
      for (let s = 0; s < n; s++) {
        const t = M[col * n + s] as number;
        M[col * n + s] = M[piv * n + s] as number;
        M[piv * n + s] = t;
      }
      const t = x[col] as number;
      x[col] = x[piv] as number;
      x[piv] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const factor = (M[r * n + col] as number) / (M[col * n + col] as number);
      if (factor === 0) continue;
      for (let s = col; s < n; s++)
        M[r * n + s] = (M[r * n + s] as number) - factor * (M[col * n + s] as number);
      x[r] = (x[r] as number) - factor * (x[col] as number);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r] as number;
    for (let c = r + 1; c < n; c++) s -= (M[r * n + c] as number) * (x[c] as number);
    x[r] = s / (M[r * n + r] as number);
  }
  return true;
}

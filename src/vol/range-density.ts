/**
 * Joint densities of one bar's close and its low (or its high), all in log price relative to the
 * bar's open, for a Brownian motion with drift μ and variance σ² per bar, and for Merton's
 * jump-diffusion with the bar's jumps placed at its open.
 *
 * Brownian bar (the reflection principle with Girsanov's drift change: Karatzas & Shreve 1991,
 * *Brownian Motion and Stochastic Calculus*, §2.8, eq. 8.2 for μ = 0, and Borodin & Salminen 2002,
 * *Handbook of Brownian Motion*, Part II, 1.1.1.8 with drift), close b and minimum m:
 * `g(b, m) = 2(b − 2m)/(σ³√(2π)) · exp(−(b − 2m)²/(2σ²) + μb/σ² − μ²/(2σ²))` on m ≤ min(0, b), 0
 * elsewhere; the close and maximum M by reflection, `g_H(b, M; μ) = g(−b, −M; −μ)` on M ≥ max(0, b).
 * Integrated over m, g gives the normal density of the close N(μ, σ²).
 *
 * Merton bar (this module's derivation, checked by quadrature in scripts/reference/range_density.py):
 * given n jumps of total J ~ N(nθ, nδ²) placed at the open, the close is x = J + b and the low
 * l = J + m whenever that is below the open (l < 0), so
 * `f_n(x, l) = ∫_{J ≥ l} φ(J; nθ, nδ²) g(x − J, l − J) dJ`. Completing the square in J (u = J + x − 2l
 * is the reflected close), with v = nδ², V = σ² + v, d = 2l − x − μ, m* = (nθσ² + d·v)/V,
 * s*² = vσ²/V and z = (l − m*)/s*:
 * `f_n(x, l) = (2/σ²) · φ(x − 2l + μ + nθ; 0, V) · e^{2μ(x − l)/σ²} · [s*·ψ(z) + (x − l)·Φ(−z)]`,
 * ψ(z) = φ(z) − zΦ(−z) (the normal's stop-loss transform); at n = 0 it is g(x, l). The Merton
 * density is the Poisson mixture `Σ_n e^{−λ}λⁿ/n! · f_n`, summed until a weight is below 1e-15 past
 * n ≥ λ. For l < 0 this is exact for jumps at the open; the rest of the mass (an up jump after
 * which the path never returns below the open) is the atom "the low is the open", which a bar with
 * l < 0 never needs. Jumps within the bar rather than at its open are the approximation.
 */
import { normalCdf, normalPdf } from "../math/distributions.js";
import type { MertonParams } from "./jumps.js";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LN2 = Math.LN2;

/**
 * ln g(b, m): the log joint density of a Brownian bar's close b and minimum m (module doc;
 * Karatzas & Shreve 1991 §2.8), −∞ outside m ≤ min(0, b) and at m = b = 0.
 *
 * @example Math.exp(brownianCloseLowLogDensity(0.001, -0.004, 0, 0.005))
 */
export function brownianCloseLowLogDensity(b: number, m: number, mu: number, sigma: number): number {
  const u = b - 2 * m;
  if (!(m <= 0 && m <= b && u > 0)) return Number.NEGATIVE_INFINITY;
  const s2 = sigma * sigma;
  return (
    LN2 -
    LOG_SQRT_2PI -
    3 * Math.log(sigma) +
    Math.log(u) -
    (u * u) / (2 * s2) +
    (mu * b - 0.5 * mu * mu) / s2
  );
}

/**
 * ln g_H(b, M) = ln g(−b, −M; −μ): the log joint density of a Brownian bar's close b and maximum
 * M (module doc), −∞ outside M ≥ max(0, b).
 */
export function brownianCloseHighLogDensity(b: number, M: number, mu: number, sigma: number): number {
  return brownianCloseLowLogDensity(-b, -M, -mu, sigma);
}

/** ln(Σ e^{a_i}) over the first `n` entries, without overflow. */
function logSumExp(a: Float64Array, n: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if ((a[i] as number) > max) max = a[i] as number;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((a[i] as number) - max);
  return max + Math.log(sum);
}

/**
 * The Merton bar's log densities with the mixture's terms precomputed once per parameter set
 * (Poisson log weights, V_n, s*_n), evaluated per bar without allocation.
 */
export interface MertonRangeDensity {
  /** ln f(x, l): close x and low l (module doc). */
  closeLow(x: number, l: number): number;
  /** ln f(x, h): close x and high h, by reflection of {@link MertonRangeDensity.closeLow}. */
  closeHigh(x: number, h: number): number;
  /** ln f(x): Merton's density of the close, `Σ_n w_n φ(x; μ + nθ, σ² + nδ²)` (src/vol/jumps.ts). */
  close(x: number): number;
}

/**
 * Builds {@link MertonRangeDensity} for `p` (module doc): the Poisson mixture truncated where a
 * weight falls below 1e-15 past n ≥ λ (at most 400 terms).
 *
 * @example mertonRangeDensity({ mu: 0, sigma: 0.005, lambda: 0.03, jumpMean: -0.01, jumpVol: 0.02 }).closeLow(-0.02, -0.03)
 */
export function mertonRangeDensity(p: MertonParams): MertonRangeDensity {
  const s2 = p.sigma * p.sigma;
  const logW: number[] = [];
  let logWeight = -p.lambda;
  for (let n = 0; n < 400; n++) {
    if (n > 0) logWeight += Math.log(p.lambda / n);
    logW.push(logWeight);
    if (n >= p.lambda && !(logWeight > Math.log(1e-15))) break;
  }
  const terms = logW.length;
  const scratch = new Float64Array(terms);
  const lowTerms = (x: number, l: number, mu: number, theta: number): number => {
    scratch[0] = (logW[0] as number) + brownianCloseLowLogDensity(x, l, mu, p.sigma);
    const d = 2 * l - x - mu;
    const lead = LN2 - Math.log(s2) + (2 * mu * (x - l)) / s2;
    for (let n = 1; n < terms; n++) {
      const a = n * theta;
      const v = n * p.jumpVol * p.jumpVol;
      const V = s2 + v;
      const r = x - 2 * l + mu + a;
      const mStar = (a * s2 + d * v) / V;
      const sStar = Math.sqrt((v * s2) / V);
      const z = (l - mStar) / sStar;
      const tail = normalCdf(-z);
      const bracket = sStar * (normalPdf(z) - z * tail) + (x - l) * tail;
      scratch[n] =
        (logW[n] as number) + lead - (r * r) / (2 * V) - 0.5 * Math.log(V) - LOG_SQRT_2PI + Math.log(bracket);
    }
    return logSumExp(scratch, terms);
  };
  return {
    closeLow: (x, l) => (l <= x ? lowTerms(x, l, p.mu, p.jumpMean) : Number.NEGATIVE_INFINITY),
    closeHigh: (x, h) => (h >= x ? lowTerms(-x, -h, -p.mu, -p.jumpMean) : Number.NEGATIVE_INFINITY),
    close: (x) => {
      for (let n = 0; n < terms; n++) {
        const V = s2 + n * p.jumpVol * p.jumpVol;
        const r = x - p.mu - n * p.jumpMean;
        scratch[n] = (logW[n] as number) - (r * r) / (2 * V) - 0.5 * Math.log(V) - LOG_SQRT_2PI;
      }
      return logSumExp(scratch, terms);
    },
  };
}

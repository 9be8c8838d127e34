/**
 * Joint densities of one bar's close and its low (or its high), all in log price relative to the
 * bar's open, for a Brownian motion with drift μ and variance σ² per bar, and for Merton's
 * jump-diffusion with the bar's jumps placed at one end of the bar.
 *
 * Brownian bar (the reflection principle, Karatzas & Shreve 1991, *Brownian Motion and Stochastic
 * Calculus*, §2.8, for μ = 0, with the drift by Girsanov's theorem; checked against sympy's mixed
 * derivative of the joint survival function in scripts/reference/range_density.py), close b and
 * minimum m:
 * `g(b, m) = 2(b − 2m)/(σ³√(2π)) · exp(−(b − 2m)²/(2σ²) + μb/σ² − μ²/(2σ²))` on m ≤ min(0, b), 0
 * elsewhere; the close and maximum M by reflection, `g_H(b, M; μ) = g(−b, −M; −μ)` on M ≥ max(0, b).
 * Integrated over m, g gives the normal density of the close N(μ, σ²).
 *
 * Merton bar (this module's derivation, checked by quadrature in scripts/reference/range_density.py):
 * the bar's n jumps sum to J ~ N(nθ, nδ²). For the low, a down total (J < 0) is placed at the open
 * (the low is J + m: the path explores below the jump) and an up total at the close (the low is
 * the diffusion's m): the placement with no atom. Jumps at the open alone would put an atom on
 * "the low is the open" after an up jump (no bar needs it, and a bar whose low is at its open would
 * be explained by a jump); jumps at the close alone an atom on "the low is the close" after a down
 * jump. With e = x − 2l (the reflected close):
 * `f_n(x, l) = ∫_{l ≤ J < 0} φ(J; nθ, nδ²) g(x − J, l − J) dJ + ∫_{0 ≤ J ≤ x − l} φ(J; nθ, nδ²) g(x − J, l) dJ`,
 * each a Gaussian integral of a linear factor. Completing the square in J, with v = nδ², V = σ² + v,
 * s*² = vσ²/V, a = nθ:
 * - down: `(2/σ²) φ(e + μ + a; 0, V) e^{2μ(x − l)/σ²} ∫_l^0 (J + e) φ(J; m_D, s*²) dJ`,
 *   m_D = (aσ² + (2l − x − μ)v)/V;
 * - up: `(2/σ²) φ(a − e + μ; 0, V) e^{2μl/σ²} ∫_0^{x−l} (e − J) φ(J; m_U, s*²) dJ`,
 *   m_U = (aσ² + (e − μ)v)/V;
 * and `∫_y^∞ (J + c) φ(J; m, s²) dJ = s·ψ(z) + (y + c)·Φ(−z)`, z = (y − m)/s, ψ(z) = φ(z) − zΦ(−z)
 * (the normal's stop-loss transform). At n = 0 the term is g(x, l). The density is the Poisson
 * mixture `Σ_n e^{−λ}λⁿ/n! · f_n`, summed until a weight is below 1e-15 past n ≥ λ. The high is the
 * reflection (x, h, μ, θ) → (−x, −h, −μ, −θ): up jumps at the open, down jumps at the close. The
 * approximation is the placement: within the bar the low after a down jump at time τ is J plus the
 * minimum over [τ, 1] only, and after an up jump the minimum over [0, τ].
 */
import { normalPdf, normalUpperTail } from "../math/distributions.js";
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
  // Per term: v_n = nδ², V_n = σ² + v_n, s*_n, and ln w_n − ln √(2πV_n).
  const v = Float64Array.from(logW, (_, n) => n * p.jumpVol * p.jumpVol);
  const V = v.map((vn) => s2 + vn);
  const sStar = v.map((vn, n) => Math.sqrt((vn * s2) / (V[n] as number)));
  const lead = Float64Array.from(logW, (w, n) => w - 0.5 * Math.log(V[n] as number) - LOG_SQRT_2PI);
  const scratch = new Float64Array(terms);
  const lnLead = LN2 - Math.log(s2);
  const lowTerms = (x: number, l: number, mu: number, theta: number): number => {
    scratch[0] = (logW[0] as number) + brownianCloseLowLogDensity(x, l, mu, p.sigma);
    const e = x - 2 * l;
    const leadDown = lnLead + (2 * mu * (x - l)) / s2;
    const leadUp = lnLead + (2 * mu * l) / s2;
    for (let n = 1; n < terms; n++) {
      const a = n * theta;
      const vn = v[n] as number;
      const Vn = V[n] as number;
      const sn = sStar[n] as number;
      // Down jumps at the open: ∫_l^0 (J + e) φ(J; m*, s*²) dJ = T(l) − T(0).
      const mDown = (a * s2 + (2 * l - x - mu) * vn) / Vn;
      const zl = (l - mDown) / sn;
      const z0 = -mDown / sn;
      const ql = normalUpperTail(zl);
      const q0 = normalUpperTail(z0);
      const psiL = normalPdf(zl) - zl * ql;
      const psi0 = normalPdf(z0) - z0 * q0;
      const down = sn * (psiL - psi0) + (x - l) * ql - e * q0;
      const rDown = e + mu + a;
      // Up jumps at the close: ∫_0^{x−l} (e − J) φ(J; m_B, s*²) dJ.
      const mUp = (a * s2 + (e - mu) * vn) / Vn;
      const u0 = -mUp / sn;
      const u1 = (x - l - mUp) / sn;
      const mass =
        u0 >= 0 ? normalUpperTail(u0) - normalUpperTail(u1) : normalUpperTail(-u1) - normalUpperTail(-u0);
      const up = (e - mUp) * mass - sn * (normalPdf(u0) - normalPdf(u1));
      const rUp = a - e + mu;
      const termDown =
        down > 0 ? leadDown - (rDown * rDown) / (2 * Vn) + Math.log(down) : Number.NEGATIVE_INFINITY;
      const termUp = up > 0 ? leadUp - (rUp * rUp) / (2 * Vn) + Math.log(up) : Number.NEGATIVE_INFINITY;
      const top = Math.max(termDown, termUp);
      scratch[n] =
        top === Number.NEGATIVE_INFINITY
          ? top
          : (lead[n] as number) + top + Math.log(Math.exp(termDown - top) + Math.exp(termUp - top));
    }
    return logSumExp(scratch, terms);
  };
  return {
    closeLow: (x, l) => (l <= Math.min(0, x) ? lowTerms(x, l, p.mu, p.jumpMean) : Number.NEGATIVE_INFINITY),
    closeHigh: (x, h) =>
      h >= Math.max(0, x) ? lowTerms(-x, -h, -p.mu, -p.jumpMean) : Number.NEGATIVE_INFINITY,
    close: (x) => {
      for (let n = 0; n < terms; n++) {
        const r = x - p.mu - n * p.jumpMean;
        scratch[n] = (lead[n] as number) - (r * r) / (2 * (V[n] as number));
      }
      return logSumExp(scratch, terms);
    },
  };
}

/**
 * Probability distributions used by the risk models and the backtests: the standard normal,
 * Student's t, chi-square and binomial laws, with the special functions beneath them (ln Γ,
 * the regularized incomplete gamma and beta functions). Double precision throughout; checked
 * against scipy.special / scipy.stats in test/math/distributions.test.ts (fixture produced by
 * scripts/reference/distributions.py).
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos approximation with g = 7, n = 9 — Lanczos 1964, coefficients as
 * tabulated by Godfrey; reflection Γ(x)Γ(1−x) = π / sin(πx) below ½). Relative error ~1e-15.
 */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (y + i);
  return LN_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Digamma ψ(x) = d ln Γ(x)/dx for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
 * the asymptotic series ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.5 and
 * 6.3.18; terms to x⁻¹², truncation error below 1e-15 at x ≥ 10).
 *
 * @example digamma(1) // −0.5772156649015329 (−γ, Euler's constant)
 */
export function digamma(x: number): number {
  let shift = 0;
  let v = x;
  while (v < 10) {
    shift -= 1 / v;
    v += 1;
  }
  const i2 = 1 / (v * v);
  const series =
    i2 * (1 / 12 - i2 * (1 / 120 - i2 * (1 / 252 - i2 * (1 / 240 - i2 * (1 / 132 - i2 * (691 / 32760))))));
  return shift + Math.log(v) - 0.5 / v - series;
}

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. Power series for
 * x < a + 1, otherwise 1 − Q from the Legendre continued fraction (DLMF 8.7.1 and 8.9.2),
 * evaluated by the modified Lentz method.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/**
 * Regularized incomplete beta I_x(a, b), a, b > 0, 0 ≤ x ≤ 1, from its continued fraction
 * (DLMF 8.17.22) by the modified Lentz method, using I_x(a, b) = 1 − I_{1−x}(b, a) where the
 * fraction converges faster.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (x === 0 || x === 1) return x;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Standard normal density φ(x) = e^{−x²/2} / √(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal distribution function Φ(x) = ½[1 + sign(x)·P(½, x²/2)] (DLMF 7.11.1 with
 * erf(z) = P(½, z²)); the lower tail is taken as ½·Q(½, x²/2) so that Φ(−30) keeps full relative
 * precision.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const half = 0.5 * regularizedGammaQ(0.5, 0.5 * x * x);
  return x < 0 ? half : 1 - half;
}

/** Nodes of {@link normalUpperTail}: z_i = −8 + i/32 with Φ(−z_i) and φ(z_i), built on first use. */
let tailNodes: { readonly q: Float64Array; readonly pdf: Float64Array } | undefined;

/**
 * Standard normal upper tail Φ(−z), fast (a few dozen flops) for hot likelihood loops, to ~1e-15
 * relative. On [−8, 8] a Taylor expansion of order 10 about the nearest node z₀ of a grid of step
 * 1/32 (nodes from {@link normalCdf}): with t = z₀ − z, `Φ(−z) = Φ(−z₀) + φ(z₀) Σ_{k=1}^{10}
 * He_{k−1}(z₀) t^k/k!`, since d^k/dz^k Φ(−z) = (−1)^k φ(z) He_{k−1}(z) (DLMF 18.5.9, probabilists'
 * Hermite polynomials He_{n+1} = z·He_n − n·He_{n−1}). Beyond 8, φ(z)·R(z) with Mills' ratio as
 * the continued fraction `R(z) = 1/(z + 1/(z + 2/(z + 3/(z + …))))` (DLMF 7.9.2), 40 levels; below
 * −8, `1 − Φ(z)`.
 *
 * @example normalUpperTail(1.96) // 0.0249978951482204
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > 8) {
    let r = z;
    for (let k = 40; k >= 1; k--) r = z + k / r;
    return Math.exp(-0.5 * z * z) / (SQRT_2PI * r);
  }
  if (z < -8) return 1 - normalUpperTail(-z);
  if (tailNodes === undefined) {
    const q = new Float64Array(513);
    const pdf = new Float64Array(513);
    for (let i = 0; i <= 512; i++) {
      q[i] = normalCdf(8 - i / 32);
      pdf[i] = normalPdf(-8 + i / 32);
    }
    tailNodes = { q, pdf };
  }
  const i = Math.round((z + 8) * 32);
  const z0 = -8 + i / 32;
  const t = z0 - z;
  let hePrev = 0; // He_{k−2}
  let he = 1; // He_{k−1}
  let power = 1; // t^k / k!
  let sum = 0;
  for (let k = 1; k <= 10; k++) {
    power *= t / k;
    sum += he * power;
    const next = z0 * he - (k - 1) * hePrev;
    hePrev = he;
    he = next;
  }
  return (tailNodes.q[i] as number) + (tailNodes.pdf[i] as number) * sum;
}

/**
 * Standard normal quantile Φ⁻¹(p), 0 < p < 1 (±∞ at 0 and 1). Starts from Abramowitz & Stegun
 * 26.2.23 (|error| < 4.5e-4) and polishes with Halley's method on the tail probability
 * (converges to full double precision in two or three steps).
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const tail = lower ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(tail));
  let z = -(
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + t * (1.432788 + t * (0.189269 + 0.001308 * t)))
  );
  // Halley on f(z) = Φ(z) − tail for z ≤ 0, where Φ(z) is computed as a lower tail.
  for (let i = 0; i < 4; i++) {
    const f = normalCdf(z) - tail;
    const u = f / normalPdf(z);
    const step = u / (1 + 0.5 * z * u);
    z -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return lower ? z : -z;
}

/** Student's t density with ν > 0 degrees of freedom: Γ((ν+1)/2)/(√(νπ)Γ(ν/2))·(1 + x²/ν)^{−(ν+1)/2}. */
export function studentTPdf(x: number, nu: number): number {
  const lnC = lnGamma(0.5 * (nu + 1)) - lnGamma(0.5 * nu) - 0.5 * Math.log(nu * Math.PI);
  return Math.exp(lnC - 0.5 * (nu + 1) * Math.log1p((x * x) / nu));
}

/**
 * Student's t distribution function, ν > 0: the tail beyond |x| is ½·I_{ν/(ν+x²)}(ν/2, ½)
 * (Abramowitz & Stegun 26.7.1 with 26.5.27).
 */
export function studentTCdf(x: number, nu: number): number {
  if (Number.isNaN(x) || !(nu > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  const tail = 0.5 * regularizedBeta(nu / (nu + x * x), 0.5 * nu, 0.5);
  return x < 0 ? tail : 1 - tail;
}

/**
 * Student's t quantile T_ν⁻¹(p) (standard t, variance ν/(ν−2) for ν > 2 — multiply by
 * √((ν−2)/ν) for the unit-variance t). Newton–Raphson on the tail probability from the normal
 * quantile, safeguarded by bisection on an expanding bracket.
 */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p >= 0 && p <= 1) || !(nu > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const tail = lower ? p : 1 - p;
  // Solve studentTCdf(x) = tail for x < 0 on a bracket [lo, hi].
  let hi = 0;
  let lo = Math.min(-1, normalQuantile(tail) * 2);
  while (studentTCdf(lo, nu) > tail) {
    hi = lo;
    lo *= 2;
  }
  let x = Math.max(lo, Math.min(hi, normalQuantile(tail)));
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(x, nu) - tail;
    if (f > 0) hi = x;
    else lo = x;
    let next = x - f / studentTPdf(x, nu);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return lower ? x : -x;
}

/** Chi-square distribution function with k > 0 degrees of freedom: P(k/2, x/2). */
export function chiSquareCdf(x: number, k: number): number {
  return x <= 0 ? 0 : regularizedGammaP(0.5 * k, 0.5 * x);
}

/** Chi-square survival function (the p-value of a statistic x): Q(k/2, x/2), exact in the far tail. */
export function chiSquareSurvival(x: number, k: number): number {
  return x <= 0 ? 1 : regularizedGammaQ(0.5 * k, 0.5 * x);
}

/**
 * Binomial upper tail P(X ≥ x), X ~ Bin(n, p): I_p(x, n − x + 1) for 0 < x ≤ n (Abramowitz & Stegun
 * 26.5.24), computed directly rather than as 1 − P(X ≤ x − 1), so a p-value of 1e-12 keeps its
 * digits; 1 for x ≤ 0, 0 for x > n; x is ceiled.
 */
export function binomialSurvival(x: number, n: number, p: number): number {
  if (!(p >= 0 && p <= 1) || !(n >= 0) || Number.isNaN(x)) return Number.NaN;
  const k = Math.ceil(x);
  if (k <= 0) return 1;
  if (k > n) return 0;
  return regularizedBeta(p, k, n - k + 1);
}

/**
 * Binomial distribution function P(X ≤ x), X ~ Bin(n, p): I_{1−p}(n − x, x + 1) for 0 ≤ x < n
 * (Abramowitz & Stegun 26.5.24); x is floored.
 */
export function binomialCdf(x: number, n: number, p: number): number {
  if (!(p >= 0 && p <= 1) || !(n >= 0) || Number.isNaN(x)) return Number.NaN;
  const k = Math.floor(x);
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  return regularizedBeta(1 - p, n - k, k + 1);
}

/**
 * Path generators for Monte Carlo: a model = a volatility process + an innovation distribution +
 * optional Merton jumps, run on a uniform time grid (shared/docs/design.md, "compose models from
 * parts"). A model is plain data ({@link ModelSpec}, serialisable to worker threads);
 * {@link createPathGenerator} turns it into a generator that fills preallocated Float64Arrays
 * with one path's log returns and the conditional variance of each step (for the Brownian-bridge
 * test), with no allocation per path.
 *
 * Per step k (length Δ = horizonYears/steps, z_k the innovation, unit variance):
 * - constant volatility: `x_{k+1} − x_k = (μ − σ²/2)Δ + σ√Δ z_k` (GBM when z is normal);
 * - GARCH(1,1)/GJR (src/vol/garch.ts parameters, in the units of the fit — percent returns when
 *   `returnsScale` = 100): `ε_k = √h_k z_k`, `r_k = (μ + ε_k)/scale`,
 *   `h_{k+1} = ω + (α + γ·1[ε_k < 0]) ε_k² + β h_k` (quant.md §3.4); the grid step must be the
 *   bar the model was fitted on;
 * - historical: the innovations are the returns themselves (block bootstrap of raw returns);
 * - Merton jumps (quant.md §3.6): add Σ_{j ≤ N_k} Y_j, N_k ~ Poisson(λΔ), Y ~ N(μ_J, δ²), and
 *   compensate the drift by −λκΔ, κ = e^{μ_J + δ²/2} − 1, so E[S_T] = S₀e^{μT}; Kou (2002) jumps
 *   the same way with Y = +Exp(η₁) w.p. p, −Exp(η₂) otherwise, κ = pη₁/(η₁−1) + qη₂/(η₂+1) − 1.
 * - ARJI jumps (Chan & Maheu 2002, src/vol/arji.ts; constant volatility only, the grid step the
 *   bar the model was fitted on): N_k ~ Poisson(λ_k), Y ~ N(θ, δ²), the drift compensated by
 *   −λ_kκ per step, and after each step `λ_{k+1} = λ₀ + ρλ_k + γ(E[N_k | r_k] − λ_k)` with the
 *   posterior mean of the count given the step's simulated log return (the model's filter), from
 *   the fit's λ_{T+1}: after a cluster of jumps the simulated intensity starts high.
 * Innovations: standard normal or unit-variance Student-t (exact ziggurat samplers of
 * src/math/random.ts), or a circular block bootstrap (Politis & Romano 1992 circular blocks of
 * fixed length; Künsch 1989) of given samples — e.g. GARCH-standardised residuals z_t = ε_t/σ_t,
 * which with a GARCH volatility is filtered historical simulation (Barone-Adesi et al. 1999).
 */
import { InputError } from "../errors.js";
import { normalSampler, studentTSampler, type Xoshiro128, type ZigguratSampler } from "../math/random.js";
import { readNumber } from "../validate.js";
import { JumpCountFilter, poissonDraw } from "../vol/arji.js";
import { conditionalVariance, type GarchInit, type GarchParams, gjrPath } from "../vol/garch.js";

/** The distribution of the unit-variance shocks z_k. */
export type InnovationSpec =
  | { readonly kind: "normal" }
  /** Unit-variance Student-t with ν > 2. */
  | { readonly kind: "student-t"; readonly nu: number }
  /** Circular block bootstrap of `samples` (standardised residuals, or raw returns with a `historical` volatility). */
  | { readonly kind: "bootstrap"; readonly samples: ArrayLike<number>; readonly blockLength: number };

/** The volatility process that scales the shocks. */
export type VolatilitySpec =
  | { readonly kind: "constant"; readonly annualVol: number }
  | {
      readonly kind: "garch";
      readonly params: GarchParams;
      /** h at the first step (e.g. the fit's σ²_{T+1}), in the fit's units (%² for percent returns). */
      readonly startVariance: number;
      /** Returns of the fit per unit of log return: 100 for percent returns (default), 1 for fractions. */
      readonly returnsScale?: number;
    }
  /** The innovations are log returns per step as they are (only with bootstrap innovations). */
  | { readonly kind: "historical" };

/**
 * Compound-Poisson jumps of the log price: Merton (1976) normal or Kou (2002) double-exponential,
 * or normal jumps with the self-exciting ARJI intensity (Chan & Maheu 2002).
 */
export type JumpSpec = MertonJumpSpec | KouJumpSpec | ArjiJumpSpec;

/** Merton (1976) lognormal jumps (the default kind). */
export interface MertonJumpSpec {
  readonly kind?: "merton";
  /** λ, expected jumps per year. */
  readonly intensityPerYear: number;
  /** μ_J, mean of ln J. */
  readonly meanLogJump: number;
  /** δ, standard deviation of ln J. */
  readonly logJumpVol: number;
}

/**
 * Kou (2002) double-exponential jumps: ln J = +Exp(η₁) with probability p, −Exp(η₂) otherwise,
 * `κ = E[J] − 1 = p η₁/(η₁ − 1) + q η₂/(η₂ + 1) − 1` (η₁ > 1).
 */
export interface KouJumpSpec {
  readonly kind: "kou";
  /** λ, expected jumps per year. */
  readonly intensityPerYear: number;
  /** p, probability that a jump is up. */
  readonly upProbability: number;
  /** η₁ > 1, rate of the up jumps' size. */
  readonly upRate: number;
  /** η₂ > 0, rate of the down jumps' size. */
  readonly downRate: number;
}

/**
 * Normal jumps with the autoregressive jump intensity of Chan & Maheu (2002), per step of the grid
 * (src/vol/arji.ts: `λ_{k+1} = λ₀ + ρλ_k + γ(E[N_k | r_k] − λ_k)`).
 */
export interface ArjiJumpSpec {
  readonly kind: "arji";
  /** λ₀ > 0, per step. */
  readonly baseIntensity: number;
  /** ρ: persistence. */
  readonly persistence: number;
  /** γ ∈ [0, ρ]: response to the last step's filtered jump count. */
  readonly feedback: number;
  /** λ at the first step (the fit's λ_{T+1}), per step. */
  readonly startIntensity: number;
  /** θ, mean of ln J. */
  readonly meanLogJump: number;
  /** δ > 0, standard deviation of ln J. */
  readonly logJumpVol: number;
}

/** A path model: plain data. */
export interface ModelSpec {
  readonly volatility: VolatilitySpec;
  readonly innovations: InnovationSpec;
  /** μ, annualised drift of the price (constant volatility only; default 0). */
  readonly annualDrift?: number;
  readonly jumps?: JumpSpec;
}

/** A uniform time grid. */
export interface TimeGrid {
  readonly horizonYears: number;
  readonly steps: number;
}

/** Fills one path. */
export interface PathGenerator {
  readonly steps: number;
  readonly dtYears: number;
  /**
   * Writes the log return of each step into `logReturns` and the conditional variance of its
   * diffusive part into `stepVariance` (both of length `steps`). When `constantVariance` is true
   * the variances never change and are written once by {@link createPathGenerator}.
   */
  next(rng: Xoshiro128, logReturns: Float64Array, stepVariance: Float64Array): void;
  readonly constantVariance: boolean;
  /** Variance per step to prefill when `constantVariance` (NaN otherwise). */
  readonly fixedStepVariance: number;
}

/** Validates a time grid and returns Δ in years. */
export function gridStep(grid: TimeGrid): number {
  const h = readNumber(grid.horizonYears, "grid.horizonYears", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the horizon in years, e.g. 7/365.",
  });
  const n = readNumber(grid.steps, "grid.steps", { min: 1, fix: "Pass a whole number of steps ≥ 1." });
  if (!Number.isInteger(n))
    throw new InputError("grid.steps", grid.steps, "must be a whole number", "Pass an integer ≥ 1.");
  return h / n;
}

/** Builds the generator of a {@link ModelSpec} on a grid (validates the spec). */
export function createPathGenerator(spec: ModelSpec, grid: TimeGrid): PathGenerator {
  const dt = gridStep(grid);
  const steps = grid.steps;
  const shocks = createInnovations(spec.innovations);
  const vol = spec.volatility;
  if (spec.jumps?.kind === "arji") return arjiGenerator(spec, spec.jumps, grid);
  const jumps = spec.jumps === undefined ? undefined : readJumps(spec.jumps, dt);
  if (vol.kind === "historical" && spec.innovations.kind !== "bootstrap") {
    throw new InputError(
      "volatility.kind",
      vol.kind,
      "needs bootstrap innovations",
      'Use innovations { kind: "bootstrap", samples: <log returns per step>, blockLength }.',
    );
  }
  const jumpDrift = jumps === undefined ? 0 : -jumps.lambda * jumps.kappa * dt;
  if (vol.kind === "constant" || vol.kind === "historical") {
    let scale: number;
    let drift: number;
    if (vol.kind === "constant") {
      const sigma = readNumber(vol.annualVol, "volatility.annualVol", {
        min: 0,
        fix: "Pass an annualised volatility as a fraction, e.g. 0.8.",
      });
      const mu = readNumber(spec.annualDrift ?? 0, "annualDrift", { fix: "Pass a fraction per year." });
      scale = sigma * Math.sqrt(dt);
      drift = (mu - 0.5 * sigma * sigma) * dt + jumpDrift;
    } else {
      if (spec.annualDrift !== undefined && spec.annualDrift !== 0) {
        throw new InputError(
          "annualDrift",
          spec.annualDrift,
          "is not used by a historical model",
          "Leave it out.",
        );
      }
      scale = 1;
      drift = jumpDrift;
    }
    const variance = vol.kind === "constant" ? scale * scale : sampleVariance(spec.innovations);
    return {
      steps,
      dtYears: dt,
      constantVariance: true,
      fixedStepVariance: variance,
      next(rng, out) {
        shocks(rng, out, drift, scale);
        if (jumps !== undefined) addJumps(rng, out, jumps);
      },
    };
  }
  const p = readGarch(vol);
  return {
    steps,
    dtYears: dt,
    constantVariance: false,
    fixedStepVariance: Number.NaN,
    next(rng, out, variance) {
      shocks(rng, out);
      gjrPath(p, p.startVariance, out, variance, p.inverseScale, jumpDrift);
      if (jumps !== undefined) addJumps(rng, out, jumps);
    },
  };
}

/**
 * Constant volatility with ARJI jumps (module doc): per step the diffusion, then N_k ~ Poisson(λ_k)
 * jumps, the compensation −λ_kκ, and the intensity updated by the filter on the step's return.
 */
function arjiGenerator(spec: ModelSpec, j: ArjiJumpSpec, grid: TimeGrid): PathGenerator {
  const dt = gridStep(grid);
  const steps = grid.steps;
  const vol = spec.volatility;
  if (vol.kind !== "constant") {
    throw new InputError(
      "volatility.kind",
      vol.kind,
      "is not supported with ARJI jumps",
      'Use { kind: "constant" }.',
    );
  }
  const shocks = createInnovations(spec.innovations);
  const sigma = readNumber(vol.annualVol, "volatility.annualVol", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass an annualised volatility as a fraction, e.g. 0.8.",
  });
  const mu = readNumber(spec.annualDrift ?? 0, "annualDrift", { fix: "Pass a fraction per year." });
  const fix = "Pass λ₀ > 0, 0 ≤ γ ≤ ρ, a positive start intensity and δ > 0 (src/vol/arji.ts).";
  const lambda0 = readNumber(j.baseIntensity, "jumps.baseIntensity", { min: 0, exclusiveMin: true, fix });
  const rho = readNumber(j.persistence, "jumps.persistence", { min: 0, fix });
  const gamma = readNumber(j.feedback, "jumps.feedback", { min: 0, max: rho, fix });
  const start = readNumber(j.startIntensity, "jumps.startIntensity", { min: 0, exclusiveMin: true, fix });
  const theta = readNumber(j.meanLogJump, "jumps.meanLogJump", { fix });
  const delta = readNumber(j.logJumpVol, "jumps.logJumpVol", { min: 0, exclusiveMin: true, fix });
  const scale = sigma * Math.sqrt(dt);
  const drift = (mu - 0.5 * sigma * sigma) * dt;
  const kappa = Math.exp(theta + 0.5 * delta * delta) - 1;
  const filter = new JumpCountFilter(scale * scale, theta, delta * delta);
  const z = normalSampler();
  return {
    steps,
    dtYears: dt,
    constantVariance: true,
    fixedStepVariance: scale * scale,
    next(rng, out) {
      shocks(rng, out);
      let lambda = start;
      for (let k = 0; k < steps; k++) {
        const count = poissonDraw(rng, lambda);
        const m0 = drift - lambda * kappa;
        const x =
          m0 +
          scale * (out[k] as number) +
          (count === 0 ? 0 : count * theta + Math.sqrt(count) * delta * z.sample(rng));
        out[k] = x;
        filter.update(x, m0, lambda);
        lambda = lambda0 + rho * lambda + gamma * (filter.expectedJumps - lambda);
      }
    },
  };
}

/** Writes `location + factor·z_k` for fresh shocks z_k into `out` (0 and 1 by default). */
type Shocks = (rng: Xoshiro128, out: Float64Array, location?: number, factor?: number) => void;

function createInnovations(spec: InnovationSpec): Shocks {
  switch (spec.kind) {
    case "normal": {
      const z: ZigguratSampler = normalSampler();
      return (rng, out, location, factor) => z.fill(rng, out, location, factor);
    }
    case "student-t": {
      const nu = readNumber(spec.nu, "innovations.nu", {
        min: 2,
        exclusiveMin: true,
        fix: "Pass ν > 2 (a unit-variance t needs a finite variance).",
      });
      const z = studentTSampler(nu, true);
      return (rng, out, location, factor) => z.fill(rng, out, location, factor);
    }
    case "bootstrap": {
      const samples = Float64Array.from(spec.samples);
      if (samples.length === 0 || !samples.every(Number.isFinite)) {
        throw new InputError(
          "innovations.samples",
          spec.samples,
          "must be a non-empty list of finite numbers",
          "Pass the residuals or returns to resample.",
        );
      }
      const block = readNumber(spec.blockLength, "innovations.blockLength", {
        min: 1,
        max: samples.length,
        fix: `Pass a whole block length between 1 and ${samples.length}.`,
      });
      if (!Number.isInteger(block)) {
        throw new InputError("innovations.blockLength", block, "must be a whole number", "Pass an integer.");
      }
      const n = samples.length;
      return (rng, out, location = 0, factor = 1) => {
        let k = 0;
        while (k < out.length) {
          let j = Math.floor(rng.next() * n);
          const end = Math.min(out.length, k + block);
          for (; k < end; k++) {
            out[k] = location + factor * (samples[j] as number);
            j = j + 1 === n ? 0 : j + 1;
          }
        }
      };
    }
    default:
      throw new InputError(
        "innovations.kind",
        (spec as { kind: unknown }).kind,
        "is not recognised",
        'Use "normal", "student-t" or "bootstrap".',
      );
  }
}

function sampleVariance(spec: InnovationSpec): number {
  if (spec.kind !== "bootstrap") return 1;
  let mean = 0;
  for (let i = 0; i < spec.samples.length; i++) mean += spec.samples[i] as number;
  mean /= spec.samples.length;
  let ss = 0;
  for (let i = 0; i < spec.samples.length; i++) ss += ((spec.samples[i] as number) - mean) ** 2;
  return ss / Math.max(1, spec.samples.length - 1);
}

interface Jumps {
  lambda: number;
  kappa: number;
  /** e^{−λΔ}: probability of no jump in a step. */
  p0: number;
  lambdaDt: number;
  /** The sum of `count` jumps. */
  sum(rng: Xoshiro128, count: number): number;
}

function readJumps(spec: MertonJumpSpec | KouJumpSpec, dt: number): Jumps {
  const lambda = readNumber(spec.intensityPerYear, "jumps.intensityPerYear", {
    min: 0,
    fix: "Pass the expected number of jumps per year.",
  });
  const timing = { lambda, p0: Math.exp(-lambda * dt), lambdaDt: lambda * dt };
  if (spec.kind === "kou") {
    const p = readNumber(spec.upProbability, "jumps.upProbability", {
      min: 0,
      max: 1,
      fix: "Pass the probability of an up jump, e.g. 0.4.",
    });
    const up = readNumber(spec.upRate, "jumps.upRate", {
      min: 1,
      exclusiveMin: true,
      fix: "Pass η₁ > 1 (the mean up log jump is 1/η₁; E[J] is infinite for η₁ ≤ 1).",
    });
    const down = readNumber(spec.downRate, "jumps.downRate", {
      min: 0,
      exclusiveMin: true,
      fix: "Pass η₂ > 0 (the mean down log jump is 1/η₂).",
    });
    return {
      ...timing,
      kappa: (p * up) / (up - 1) + ((1 - p) * down) / (down + 1) - 1,
      sum(rng, count) {
        let y = 0;
        for (let j = 0; j < count; j++) {
          // 1 − next() ∈ (0, 1]: an exponential size by inversion, the sign by a second uniform.
          const size = -Math.log(1 - rng.next());
          y += rng.next() < p ? size / up : -size / down;
        }
        return y;
      },
    };
  }
  const mean = readNumber(spec.meanLogJump, "jumps.meanLogJump", { fix: "Pass the mean log jump size." });
  const sd = readNumber(spec.logJumpVol, "jumps.logJumpVol", {
    min: 0,
    fix: "Pass the standard deviation of log jump sizes.",
  });
  const z = normalSampler();
  return {
    ...timing,
    kappa: Math.exp(mean + 0.5 * sd * sd) - 1,
    // The sum of `count` N(μ_J, δ²) jumps is N(count·μ_J, count·δ²).
    sum: (rng, count) => count * mean + Math.sqrt(count) * sd * z.sample(rng),
  };
}

/** Adds compound-Poisson jumps; N_k by inversion of the Poisson(λΔ) distribution. */
function addJumps(rng: Xoshiro128, out: Float64Array, j: Jumps): void {
  for (let k = 0; k < out.length; k++) {
    let u = rng.next();
    let prob = j.p0;
    if (u < prob) continue;
    let count = 0;
    while (u >= prob && count < 1000) {
      u -= prob;
      count += 1;
      prob *= j.lambdaDt / count;
    }
    out[k] = (out[k] as number) + j.sum(rng, count);
  }
}

function readGarch(vol: Extract<VolatilitySpec, { kind: "garch" }>): {
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  gamma: number;
  startVariance: number;
  inverseScale: number;
} {
  const p = vol.params;
  const omega = readNumber(p.omega, "volatility.params.omega", { min: 0, exclusiveMin: true });
  const alpha = readNumber(p.alpha, "volatility.params.alpha", { min: 0 });
  const beta = readNumber(p.beta, "volatility.params.beta", { min: 0 });
  const gamma = readNumber(p.gamma ?? 0, "volatility.params.gamma", {});
  if (alpha + gamma < 0) {
    throw new InputError("volatility.params.gamma", gamma, "makes α + γ negative", "Pass α + γ ≥ 0.");
  }
  return {
    mu: readNumber(p.mu, "volatility.params.mu", {}),
    omega,
    alpha,
    beta,
    gamma,
    startVariance: readNumber(vol.startVariance, "volatility.startVariance", {
      min: 0,
      exclusiveMin: true,
      fix: "Pass the conditional variance at the first step (the fit's σ²_{T+1}).",
    }),
    inverseScale:
      1 /
      readNumber(vol.returnsScale ?? 100, "volatility.returnsScale", {
        min: 0,
        exclusiveMin: true,
        fix: "Pass 100 for percent returns, 1 for fractions.",
      }),
  };
}

/** GARCH-standardised residuals of a return series, for filtered historical simulation. */
export interface FilteredResiduals {
  /** z_t = (r_t − μ)/σ_t, t = 1 … n. */
  readonly residuals: Float64Array;
  /** σ²_{T+1}: the conditional variance of the next return, the `startVariance` of a simulation. */
  readonly nextVariance: number;
}

/**
 * Standardised residuals `z_t = (r_t − μ)/√h_t` of `returns` under a GARCH model (h from
 * src/vol/garch.ts `conditionalVariance`, same units as the fit, e.g. percent returns) and the
 * next variance h_{T+1}. Resampling the z's in blocks under the model's variance recursion from
 * h_{T+1} is filtered historical simulation (Barone-Adesi, Giannopoulos & Vosper 1999;
 * quant.md §3.5): `{ volatility: { kind: "garch", params, startVariance: nextVariance },
 * innovations: { kind: "bootstrap", samples: residuals, blockLength } }`.
 */
export function filteredResiduals(
  returns: ArrayLike<number>,
  params: GarchParams,
  init: GarchInit = "mci",
): FilteredResiduals {
  if (returns.length < 2) {
    throw new InputError("returns", returns.length, "needs at least two returns", "Pass a return series.");
  }
  const h = conditionalVariance(params, returns, { init });
  const residuals = new Float64Array(returns.length);
  for (let t = 0; t < returns.length; t++) {
    residuals[t] = ((returns[t] as number) - params.mu) / Math.sqrt(h[t] as number);
  }
  return { residuals, nextVariance: h[returns.length] as number };
}

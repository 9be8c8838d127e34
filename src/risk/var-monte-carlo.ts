/**
 * Monte Carlo VaR and ES of a single asset: i.i.d. unit-variance Student-t losses, or GARCH(1,1)
 * paths with normal or Student-t innovations (src/vol/garch.ts), simulated with a seeded
 * {@link Xoshiro128} stream. Every result records its seed, its number of paths and the standard
 * error of the VaR and ES estimates (batch means over 20 batches of paths).
 *
 * Also home of {@link VariateStream}, the normal / gamma / Student-t generator the portfolio
 * simulation and the ES backtest draw from.
 */
import { InputError } from "../errors.js";
import {
  gammaVariate,
  normalSampler,
  studentTSampler,
  Xoshiro128,
  type ZigguratSampler,
} from "../math/random.js";
import { readChoice, readNumber } from "../validate.js";
import {
  fit as fitGarch,
  fromPercent,
  type GarchFit,
  type GarchParams,
  garchStep,
  percentReturns,
} from "../vol/garch.js";
import {
  readConfidence,
  readHorizon,
  readReturns,
  sortedQuantile,
  sortedTailMean,
  type VarOptions,
  type VarResult,
} from "./var.js";
import { fitStudentT, type StudentTFit } from "./var-parametric.js";

/**
 * Normal, gamma, χ² and unit-variance Student-t variates from one seeded {@link Xoshiro128}
 * stream, drawn by the exact samplers of `src/math/random.ts` (ziggurat normal and Student-t,
 * Marsaglia–Tsang gamma). The seed is kept so that results can record it.
 */
export class VariateStream {
  readonly seed: number;
  private readonly rng: Xoshiro128;
  private readonly normalDraw = normalSampler();
  /** The last unit-variance t sampler used (its tables are looked up once per ν, not per draw). */
  private tDraw: ZigguratSampler | undefined;

  constructor(seed: number) {
    this.seed = readNumber(seed, "seed", { fix: "Pass an integer seed." });
    this.rng = new Xoshiro128(seed);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.rng.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return this.rng.int(n);
  }

  /** Standard normal. */
  normal(): number {
    return this.normalDraw.sample(this.rng);
  }

  /** Gamma(shape a, scale 1), a > 0. */
  gamma(a: number): number {
    return gammaVariate(this.rng, a);
  }

  /** χ² with ν degrees of freedom: 2·Gamma(ν/2). */
  chiSquare(nu: number): number {
    return 2 * gammaVariate(this.rng, 0.5 * nu);
  }

  /** Student-t with ν > 2 scaled to unit variance. */
  unitStudentT(nu: number): number {
    if (this.tDraw?.nu !== nu) this.tDraw = studentTSampler(nu, true);
    return this.tDraw.sample(this.rng);
  }
}

/** The simulated models. */
export type MonteCarloModel = "student-t" | "garch-normal" | "garch-t";

/** Options of {@link monteCarloVar}. */
export interface MonteCarloVarOptions extends VarOptions {
  readonly model: MonteCarloModel;
  /** Number of simulated paths (≥ 1000); default 100,000. */
  readonly paths?: number;
  /** Seed of the {@link Xoshiro128} stream. */
  readonly seed: number;
  /** A fitted t model (losses) to use instead of fitting `returns` (model "student-t"). */
  readonly studentT?: StudentTFit;
  /** A fitted GARCH model on percent returns to use instead of fitting `returns` (GARCH models). */
  readonly garch?: Pick<GarchFit, "params" | "nextVariance">;
}

/** Diagnostics of {@link monteCarloVar}. */
export interface MonteCarloDiagnostics {
  readonly model: MonteCarloModel;
  readonly seed: number;
  readonly paths: number;
  /** Batch-means standard error of the VaR estimate (20 batches). */
  readonly standardErrorVar: number;
  readonly standardErrorEs: number;
  /** The parameters simulated: t (μ, σ, ν of the loss) or GARCH (percent returns). */
  readonly studentT?: StudentTFit;
  readonly garch?: GarchParams;
}

const BATCHES = 20;

/**
 * Monte Carlo VaR/ES over `horizon` bars. Model "student-t": `L = Σ_h (μ + σZ_h)` with Z_h
 * i.i.d. unit-variance t_ν fitted by {@link fitStudentT}. GARCH models: {@link fitGarch} on
 * percent returns (or `options.garch`), paths from σ²_{T+1} through `σ²_{t+1} = ω + αε²_t + βσ²_t`,
 * loss = −Σ r_{T+h}/100 (log returns). VaR is the type-7 quantile of the simulated losses, ES the
 * mean of those ≥ VaR.
 *
 * Standard errors: the paths are split into 20 consecutive batches; SE = sd(batch estimates)/√20.
 *
 * @example monteCarloVar(r, { model: "garch-t", confidence: 0.99, horizon: 5, seed: 7 }).diagnostics.standardErrorVar
 */
export function monteCarloVar(
  returns: ArrayLike<number>,
  options: MonteCarloVarOptions,
): VarResult<MonteCarloDiagnostics> {
  const q = readConfidence(options.confidence);
  const h = readHorizon(options.horizon);
  const model = readChoice(options.model, "model", ["student-t", "garch-normal", "garch-t"] as const);
  const paths = readNumber(options.paths ?? 100_000, "paths", {
    min: 1000,
    fix: "Pass at least 1000 paths.",
  });
  if (!Number.isInteger(paths))
    throw new InputError("paths", paths, "must be a whole number", "Pass an integer.");
  const stream = new VariateStream(options.seed);
  const losses = new Float64Array(paths);
  let studentT: StudentTFit | undefined;
  let garch: GarchParams | undefined;
  if (model === "student-t") {
    if (options.studentT !== undefined) studentT = options.studentT;
    else {
      const r = readReturns(returns, 10);
      const l = new Float64Array(r.length);
      for (let i = 0; i < r.length; i++) l[i] = -(r[i] as number);
      studentT = fitStudentT(l);
    }
    const { mu, sigma, nu } = studentT;
    for (let i = 0; i < paths; i++) {
      let s = 0;
      for (let k = 0; k < h; k++) s += mu + sigma * stream.unitStudentT(nu);
      losses[i] = s;
    }
  } else {
    const source =
      options.garch ??
      fitGarch(percentReturns(readReturns(returns, 10)), {
        model: "garch",
        dist: model === "garch-t" ? "t" : "normal",
      });
    garch = source.params;
    const nu = garch.nu ?? Number.NaN;
    if (model === "garch-t" && !(nu > 2)) {
      throw new InputError(
        "garch.params.nu",
        garch.nu,
        "must be above 2 for garch-t",
        "Pass a Student-t fit.",
      );
    }
    for (let i = 0; i < paths; i++) {
      let v = source.nextVariance;
      let s = 0;
      for (let k = 0; k < h; k++) {
        const z = model === "garch-t" ? stream.unitStudentT(nu) : stream.normal();
        const e = Math.sqrt(v) * z;
        s += garch.mu + e;
        v = garchStep(v, e, garch);
      }
      losses[i] = -fromPercent(s);
    }
  }
  const est = quantileAndTail(losses, q);
  const se = batchStandardErrors(losses, q);
  const diagnostics: MonteCarloDiagnostics = {
    model,
    seed: options.seed,
    paths,
    standardErrorVar: se.var,
    standardErrorEs: se.es,
    ...(studentT === undefined ? {} : { studentT }),
    ...(garch === undefined ? {} : { garch }),
  };
  return { var: est.var, es: est.es, method: "monte-carlo", confidence: q, horizon: h, diagnostics };
}

/** Type-7 VaR and tail-mean ES of simulated losses (sorts a copy). */
export function quantileAndTail(losses: Float64Array, q: number): { var: number; es: number } {
  const sorted = Float64Array.from(losses).sort();
  const v = sortedQuantile(sorted, q, "type7");
  return { var: v, es: sortedTailMean(sorted, v).mean };
}

/** Batch-means standard errors of VaR and ES over {@link BATCHES} consecutive batches. */
export function batchStandardErrors(losses: Float64Array, q: number): { var: number; es: number } {
  const size = Math.floor(losses.length / BATCHES);
  let sv = 0;
  let svv = 0;
  let se = 0;
  let see = 0;
  for (let b = 0; b < BATCHES; b++) {
    const est = quantileAndTail(losses.subarray(b * size, (b + 1) * size), q);
    sv += est.var;
    svv += est.var * est.var;
    se += est.es;
    see += est.es * est.es;
  }
  const varOf = (s: number, ss: number) => Math.max(0, (ss - (s * s) / BATCHES) / (BATCHES - 1));
  return { var: Math.sqrt(varOf(sv, svv) / BATCHES), es: Math.sqrt(varOf(se, see) / BATCHES) };
}

/**
 * Transient price impact of liquidation flow for the venue simulator: the square-root law
 * (src/risk/impact.ts) applied to a step's net liquidation flow, carried as a log-price displacement
 * that decays exponentially (a propagator with an exponential kernel: Bouchaud, Gefen, Potters &
 * Wyart, "Fluctuations and response in financial markets", Quant. Finance 4 (2004); Bouchaud,
 * Bonart, Donier & Gould, *Trades, Quotes and Prices* (2018), ch. 13).
 */
import { InputError } from "../../errors.js";
import { readNumber } from "../../validate.js";

/** Parameters of the impact feedback. */
export interface ImpactFeedbackParams {
  /** The square-root prefactor Y (dimensionless, of order one). */
  readonly y: number;
  /** Daily volatility σ_D, a fraction. */
  readonly dailyVol: number;
  /** Daily traded volume V_D (USD). */
  readonly dailyVolumeUsd: number;
  /** Steps after which half of an impact is left (> 0; Infinity: permanent). */
  readonly halfLifeSteps: number;
}

/**
 * The carried log impact `I` of a path. Step t: `I ← I·2^(−1/h)` ({@link decay}), then a flow of
 * signed notional Q (USD, negative for sells) adds `ΔI(Q) = sign(Q)·Y·σ_D·√(|Q| / (V_D·d_t))`
 * ({@link impactOf}), `d_t` the depth scale of the step (1 without one; step t reads
 * `depthScale[min(t, length − 1)]`). The mark is the exogenous mark × `exp(I)`: the square-root law
 * gives the relative impact, taken as a log displacement so that the price stays positive.
 */
export class ImpactFeedback {
  /** The carried log impact. */
  logImpact = 0;
  private readonly scale: number;
  private readonly volume: number;
  private readonly decayFactor: number;
  private readonly depthScale: Float64Array | undefined;

  /** @throws InputError naming the field of a bad parameter (`impact.y`, `depthScale[i]`, …). */
  constructor(params: ImpactFeedbackParams, depthScale: Float64Array | undefined) {
    const y = readNumber(params.y, "impact.y", { min: 0, fix: "Pass the square-root prefactor, e.g. 0.7." });
    const vol = readNumber(params.dailyVol, "impact.dailyVol", {
      min: 0,
      exclusiveMin: true,
      fix: "Pass the daily volatility as a fraction, e.g. 0.03.",
    });
    this.volume = readNumber(params.dailyVolumeUsd, "impact.dailyVolumeUsd", {
      min: 0,
      exclusiveMin: true,
      fix: "Pass the daily traded volume in USD.",
    });
    const h = params.halfLifeSteps;
    if (!(h > 0)) {
      throw new InputError(
        "impact.halfLifeSteps",
        h,
        "must be a number of steps > 0",
        "Pass the half-life of the transient impact in steps (Infinity for a permanent impact).",
      );
    }
    this.scale = y * vol;
    this.decayFactor = h === Number.POSITIVE_INFINITY ? 1 : 2 ** (-1 / h);
    this.depthScale = depthScale;
  }

  /** Back to no impact. */
  reset(): void {
    this.logImpact = 0;
  }

  /** The start of a step: `I ← I·2^(−1/h)`. */
  decay(): void {
    this.logImpact *= this.decayFactor;
  }

  /** `ΔI(Q) = sign(Q)·Y·σ_D·√(|Q| / (V_D·d_t))` of a signed flow `flowUsd` at step `t`. */
  impactOf(flowUsd: number, t: number): number {
    if (flowUsd === 0) return 0;
    const d = depthAt(this.depthScale, t);
    return Math.sign(flowUsd) * this.scale * Math.sqrt(Math.abs(flowUsd) / (this.volume * d));
  }
}

/** The depth scale of step t: `depthScale[min(t, length − 1)]`, 1 without one. */
function depthAt(depthScale: Float64Array | undefined, t: number): number {
  if (depthScale === undefined) return 1;
  return depthScale[Math.min(t, depthScale.length - 1)] as number;
}

/** Checks a depth-scale series: non-empty, every entry finite and > 0 (InputError naming `depthScale[i]`). */
export function checkDepthScale(depthScale: Float64Array): void {
  if (depthScale.length === 0) {
    throw new InputError("depthScale", 0, "is empty", "Give one multiplier of the daily volume per step.");
  }
  for (let i = 0; i < depthScale.length; i++) {
    const d = depthScale[i] as number;
    if (!(d > 0 && Number.isFinite(d))) {
      throw new InputError(
        `depthScale[${i}]`,
        d,
        "must be a finite multiplier > 0",
        "Pass the step's depth relative to normal (0.2 = a fifth of the usual book).",
      );
    }
  }
}

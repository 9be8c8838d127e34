/**
 * GARCH(1,1) and GJR-GARCH(1,1) as {@link VolatilityProcess}es (src/vol/process.ts): the
 * parameters of {@link GarchParams} in percent returns (`returnsScale` 100), the one-step update
 * {@link gjrVariance}, the fGarch `mci` variance path, the chunked likelihood kernels, the
 * closed-form forecast and the simulator of this folder.
 */
import type { VolatilityProcess } from "../process.js";
import { fit } from "./fit.js";
import { forecast } from "./forecast.js";
import { conditionalVariance, loglikelihood } from "./likelihood.js";
import { gjrVariance, PERCENT } from "./recursion.js";
import { simulate } from "./simulate.js";
import { searchSpace } from "./transform.js";
import type { GarchModel, GarchParams } from "./types.js";

function gjrFamily(model: GarchModel): VolatilityProcess<GarchParams> {
  const gjr = model === "gjr";
  const parameterNames = gjr ? ["mu", "omega", "alpha", "beta", "gamma"] : ["mu", "omega", "alpha", "beta"];
  return {
    name: model,
    parameterNames,
    returnsScale: PERCENT,
    bounds: () => ({
      lower: [Number.NEGATIVE_INFINITY, 0, 0, 0, ...(gjr ? [0] : [])],
      upper: [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1, 1, ...(gjr ? [1] : [])],
    }),
    fit(r, law) {
      const g = fit(r, { model, dist: law });
      const { nu, ...params } = g.params;
      return {
        params,
        ...(nu === undefined ? {} : { nu }),
        loglikelihood: g.loglikelihood,
        nextVariance: g.nextVariance,
        atBound: g.atBound,
      };
    },
    startingValues(r) {
      let mean = 0;
      for (let i = 0; i < r.length; i++) mean += r[i] as number;
      mean /= r.length;
      let variance = 0;
      for (let i = 0; i < r.length; i++) variance += ((r[i] as number) - mean) ** 2;
      variance /= r.length - 1;
      const start = searchSpace(model, "normal", false, mean, variance).start;
      return {
        mu: start[0] as number,
        omega: start[1] as number,
        alpha: start[2] as number,
        beta: start[3] as number,
        ...(gjr ? { gamma: start[4] as number } : {}),
      };
    },
    mean: (p) => p.mu,
    step: (p, h, e) => gjrVariance(p.omega, p.alpha, gjr ? (p.gamma ?? 0) : 0, p.beta, h, e),
    variance: (p, r) => conditionalVariance(gjr ? p : { ...p, gamma: 0 }, r),
    loglikelihood: (p, r, law, nu) =>
      loglikelihood({ ...p, ...(gjr ? {} : { gamma: 0 }), ...(nu === undefined ? {} : { nu }) }, r, {
        dist: law,
      }),
    forecast: (p, nextVariance, horizon) => forecast({ params: p, nextVariance }, horizon).variance,
    simulate: (p, n, seed, o) =>
      simulate({ params: { ...p, ...(o.nu === undefined ? {} : { nu: o.nu }) }, dist: o.law }, n, seed, {
        startVariance: o.startVariance,
      }),
  };
}

/** GARCH(1,1) with a constant mean (γ ignored). */
export const garchProcess: VolatilityProcess<GarchParams> = gjrFamily("garch");
/** GJR-GARCH(1,1) with a constant mean. */
export const gjrProcess: VolatilityProcess<GarchParams> = gjrFamily("gjr");

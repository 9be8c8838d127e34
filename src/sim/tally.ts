/**
 * Tallies: the mergeable per-batch statistics an evaluator adds its paths to (shared/docs/design.md,
 * generator → evaluator → reducer). A {@link TallyKind} says how to start one, merge two (in a
 * fixed order, so a pooled result depends only on the worker order, never on thread timing), count
 * its paths and read the estimate the runner watches (progress, stop-at-tolerance). Each
 * simulation keeps its own fields: the first-passage counts shared by the liquidation evaluators
 * are {@link FirstPassageTally}; what one evaluator measures beyond them (a log overshoot, a margin
 * shortfall in quote currency, a fraction liquidated) lives in its own tally type.
 */
import { type ProportionEstimate, proportionEstimate, type Welford, welford, welfordMerge } from "./stats.js";

/** The estimate a run watches: progress reports it, stop-at-tolerance tests its standard error. */
export interface WatchedEstimate {
  readonly standardError: number;
}

/** How the runner handles tallies of type `T` (plain data: they cross worker threads by structured clone). */
export interface TallyKind<T, W extends WatchedEstimate = ProportionEstimate> {
  /** A tally of no paths. */
  empty(): T;
  /** Adds `from` into `into`; deterministic for a fixed order of merges. */
  merge(into: T, from: T): void;
  /** Paths in the tally. */
  paths(tally: T): number;
  /** The watched estimate at `confidence`. */
  watched(tally: T, confidence: number): W;
  /**
   * Whether the watched standard error can stop a run: a frequency of 0 or 1 has standard error 0
   * but says little, so a proportion needs one success and one failure.
   */
  informative(tally: T): boolean;
}

/** Paths, first passages (liquidations) and the time of the first passage. */
export interface FirstPassageTally {
  paths: number;
  liquidated: number;
  /** Time to liquidation in years, over liquidated paths (end of the step of the crossing). */
  time: Welford;
}

/** An empty {@link FirstPassageTally}. */
export function emptyFirstPassage(): FirstPassageTally {
  return { paths: 0, liquidated: 0, time: welford() };
}

/** Adds `b` into `a` (exact counts; the Welford state merged in the given order). */
export function mergeFirstPassage(a: FirstPassageTally, b: FirstPassageTally): void {
  a.paths += b.paths;
  a.liquidated += b.liquidated;
  welfordMerge(a.time, b.time);
}

/** P(liquidation) of a {@link FirstPassageTally}: the Wilson interval of liquidated / paths. */
export function firstPassageFrequency(t: FirstPassageTally, confidence: number): ProportionEstimate {
  return proportionEstimate(t.liquidated, t.paths, confidence);
}

/** Whether P(liquidation) is strictly inside (0, 1), so that its standard error means something. */
export function firstPassageInformative(t: FirstPassageTally): boolean {
  return t.liquidated > 0 && t.liquidated < t.paths;
}

/**
 * The {@link TallyKind} of a tally that extends {@link FirstPassageTally} with fields of its own,
 * watching P(liquidation): `extra` starts and merges those fields (after the shared ones).
 */
export function firstPassageKind<T extends FirstPassageTally>(extra: {
  empty(): Omit<T, keyof FirstPassageTally>;
  merge(into: T, from: T): void;
}): TallyKind<T> {
  return {
    empty: () => ({ ...emptyFirstPassage(), ...extra.empty() }) as T,
    merge: (into, from) => {
      mergeFirstPassage(into, from);
      extra.merge(into, from);
    },
    paths: (t) => t.paths,
    watched: firstPassageFrequency,
    informative: firstPassageInformative,
  };
}

/** Mean of a Welford state, NaN when it holds no observation. */
export function meanOrNaN(w: Welford): number {
  return w.count > 0 ? w.mean : Number.NaN;
}

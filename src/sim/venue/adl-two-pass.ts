/**
 * The production haircut of pluriholonomic/autodeleveraging-analysis (`methodology.md` §3.1–3.5,
 * `src/oss_adl/two_pass_replay.py`) on a simulated path: ADL events are clustered into waves (a new
 * wave when the gap to the previous event exceeds `gapSteps`), and a wave's haircut is what its
 * winners' equity lost against a replay without the ADL, on the same price path, at the wave's end
 * plus a horizon: `H_t = Σ_i (e_i^noADL − e_i^ADL)₊`. A winner that paid `x` at an event of mark
 * `M_e` and gave up the signed size `c` (the size ADL removed from it) would, without the ADL, still
 * hold `c` and its `x`, so at the evaluation mark `M` its equity differs by `x + c·(M − M_e)`: the
 * haircut plus the move of the closed contracts after the event (the analysis's opportunity cost).
 * The overshoot of a wave is `H_t − B_t` against the wave's need, as the analysis's
 * `overshoot_prod_minus_needed` (it can be negative per wave; the headline sums them).
 */

/** One ADL event of a path: its step, mark and need, and per paying winner the size closed and the haircut. */
export interface AdlEventFills {
  readonly step: number;
  /** The mark the event was settled at. */
  readonly mark: number;
  /** The deficit the event had to cover (USD). */
  readonly needed: number;
  readonly slot: Int32Array;
  /** Signed size ADL removed from the winner (its sign is the winner's side). */
  readonly closed: Float64Array;
  /** The winner's haircut (USD). */
  readonly paid: Float64Array;
}

/** The waves of a path under the two-pass measure (USD). */
export interface AdlTwoPass {
  readonly waves: number;
  /** Σ_t B_t: the events' needs. */
  readonly needed: number;
  /** Σ_t H_t. */
  readonly executed: number;
  /** Σ_t (H_t − B_t). */
  readonly overshoot: number;
  /** The largest `e^noADL − e^ADL` of one winner in one wave. */
  readonly maxHaircut: number;
}

/**
 * The two-pass measure of `events` (in step order) on the path `marks` (the mark after each step):
 * waves by `gapSteps` (consecutive events at most `gapSteps` apart share a wave; 0: every event is
 * its own wave unless two fall in the same step), each evaluated at the mark of step
 * `min(last event's step + horizonSteps, marks.length − 1)`.
 */
export function twoPassHaircuts(
  events: readonly AdlEventFills[],
  marks: Float64Array,
  gapSteps: number,
  horizonSteps: number,
): AdlTwoPass {
  let waves = 0;
  let needed = 0;
  let executed = 0;
  let maxHaircut = 0;
  let k = 0;
  while (k < events.length) {
    let end = k + 1;
    while (
      end < events.length &&
      (events[end] as AdlEventFills).step - (events[end - 1] as AdlEventFills).step <= gapSteps
    )
      end++;
    const last = (events[end - 1] as AdlEventFills).step;
    const m = marks[Math.min(last + horizonSteps, marks.length - 1)] as number;
    const loss = new Map<number, number>();
    for (let e = k; e < end; e++) {
      const ev = events[e] as AdlEventFills;
      needed += ev.needed;
      for (let j = 0; j < ev.slot.length; j++) {
        const slot = ev.slot[j] as number;
        const d = (ev.paid[j] as number) + (ev.closed[j] as number) * (m - ev.mark);
        loss.set(slot, (loss.get(slot) ?? 0) + d);
      }
    }
    for (const d of loss.values()) {
      if (d <= 0) continue;
      executed += d;
      maxHaircut = Math.max(maxHaircut, d);
    }
    waves++;
    k = end;
  }
  return { waves, needed, executed, overshoot: executed - needed, maxHaircut };
}

/**
 * Order-book depth chart: cumulative size against price, bids and asks as two filled staircases
 * meeting at the spread.
 */
import { InputError } from "../errors.js";
import { areaChart } from "./line.js";
import type { BookSide, DepthChartSpec } from "./types.js";

/**
 * Cumulative depth of one side, best level first: D_k = Σ_{j ≤ k} size_j.
 * Prices must be finite and strictly moving away from the touch (bids falling, asks rising);
 * sizes finite and ≥ 0.
 */
function cumulativeDepth(side: BookSide, field: "bids" | "asks"): Float64Array {
  const { price, size } = side;
  if (price.length !== size.length) {
    throw new InputError(
      `${field}.size`,
      size.length,
      `has ${size.length} values but price has ${price.length}`,
      "Pass one size per price level.",
    );
  }
  const out = new Float64Array(size.length);
  let total = 0;
  for (let i = 0; i < size.length; i++) {
    const p = price[i] as number;
    const q = size[i] as number;
    if (!(Number.isFinite(p) && p > 0)) {
      throw new InputError(
        `${field}.price[${i}]`,
        p,
        "must be a positive finite price",
        "Fix or drop the level.",
      );
    }
    if (!(Number.isFinite(q) && q >= 0)) {
      throw new InputError(`${field}.size[${i}]`, q, "must be a finite size ≥ 0", "Fix or drop the level.");
    }
    if (i > 0) {
      const previous = price[i - 1] as number;
      if (field === "bids" ? p >= previous : p <= previous) {
        throw new InputError(
          `${field}.price[${i}]`,
          p,
          `must be ${field === "bids" ? "below" : "above"} the previous level ${previous}`,
          `List ${field} best-first (${field === "bids" ? "highest" : "lowest"} price first), one row per price.`,
        );
      }
    }
    total += q;
    out[i] = total;
  }
  return out;
}

/**
 * A depth chart as SVG text: {@link areaChart} with the bid and ask cumulative-depth staircases
 * (step after each level, drawn outward from the touch). One side may be empty, not both.
 */
export function depthChart(spec: DepthChartSpec): string {
  if (spec.bids.price.length === 0 && spec.asks.price.length === 0) {
    throw new InputError("bids", [], "and asks are both empty", "Pass at least one price level.");
  }
  const bidDepth = cumulativeDepth(spec.bids, "bids");
  const askDepth = cumulativeDepth(spec.asks, "asks");
  // The deepest level's total holds beyond it: extend each staircase by 3 % of the price span.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const side of [spec.bids.price, spec.asks.price]) {
    for (let i = 0; i < side.length; i++) {
      lo = Math.min(lo, side[i] as number);
      hi = Math.max(hi, side[i] as number);
    }
  }
  const pad = hi > lo ? 0.03 * (hi - lo) : 0.01 * hi;
  const series = [];
  if (bidDepth.length > 0) {
    const x = [...spec.bids.price, lo - pad];
    const y = [...bidDepth, bidDepth[bidDepth.length - 1] as number];
    series.push({ name: "bids", x, y, step: true, color: spec.bidColor ?? "#009E73" });
  }
  if (askDepth.length > 0) {
    const x = [...spec.asks.price, hi + pad];
    const y = [...askDepth, askDepth[askDepth.length - 1] as number];
    series.push({ name: "asks", x, y, step: true, color: spec.askColor ?? "#D55E00" });
  }
  return areaChart({
    ...(spec.title === undefined ? {} : { title: spec.title }),
    ...(spec.width === undefined ? {} : { width: spec.width }),
    ...(spec.height === undefined ? {} : { height: spec.height }),
    ...(spec.legend === undefined ? {} : { legend: spec.legend }),
    series,
    x: { ...spec.x, title: spec.x?.title ?? "price" },
    y: { ...spec.y, title: spec.y?.title ?? "cumulative size" },
  });
}

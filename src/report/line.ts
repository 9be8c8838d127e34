/**
 * Line and area charts: series of y against x (numbers or epoch-ms timestamps), with NaN gaps,
 * step drawing, markers, shaded bands, reference lines, a linear or log y axis and per-pixel-column
 * decimation of long series (see decimate.ts).
 */
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";
import { decimateMinMax, GAP } from "./decimate.js";
import {
  axisRequest,
  checkColumns,
  checkNonEmpty,
  Extent,
  type LegendEntry,
  overlayLegend,
  type Plot,
  renderFrame,
} from "./frame.js";
import { escapeXml, paletteColor, px } from "./svg.js";
import type { AreaChartSpec, AxisSpec, LineChartSpec, LineSeries, NumericArray } from "./types.js";

/** A series longer than this many points per pixel column is decimated. */
const DECIMATE_POINTS_PER_COLUMN = 4;

/** One unbroken run of pixel coordinates. */
interface Segment {
  xs: number[];
  ys: number[];
}

/**
 * Pixel segments of a series: decimated (M4) when it has more than 4 points per pixel column of
 * the plot, broken at non-finite points, with the horizontal-then-vertical corner added between
 * points when `step` is set.
 */
function seriesSegments(x: NumericArray, y: NumericArray, plot: Plot, step: boolean): Segment[] {
  const n = Math.min(x.length, y.length);
  let order: Int32Array;
  if (n > DECIMATE_POINTS_PER_COLUMN * plot.width) {
    const left = plot.left;
    order = decimateMinMax(x, y, (v) => Math.floor(plot.x.map(v) - left));
  } else {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++)
      order[i] = Number.isFinite(x[i] as number) && Number.isFinite(y[i] as number) ? i : GAP;
  }
  const segments: Segment[] = [];
  let current: Segment | undefined;
  for (const i of order) {
    if (i === GAP) {
      current = undefined;
      continue;
    }
    const sx = plot.x.map(x[i] as number);
    const sy = plot.y.map(y[i] as number);
    if (current === undefined) {
      current = { xs: [], ys: [] };
      segments.push(current);
    } else if (step) {
      current.xs.push(sx);
      current.ys.push(current.ys[current.ys.length - 1] as number);
    }
    current.xs.push(sx);
    current.ys.push(sy);
  }
  return segments;
}

/** SVG path data for segments: `M` starts each run, `L` continues it. */
function segmentsPath(segments: readonly Segment[]): string {
  const parts: string[] = [];
  for (const s of segments) {
    for (let k = 0; k < s.xs.length; k++) {
      parts.push(`${k === 0 ? "M" : "L"}${px(s.xs[k] as number)} ${px(s.ys[k] as number)}`);
    }
  }
  return parts.join("");
}

function strokeAttrs(color: string, widthPx: number, dashed: boolean | undefined): string {
  return `fill="none" stroke="${escapeXml(color)}" stroke-width="${px(widthPx)}" stroke-linejoin="round"${dashed === true ? ` stroke-dasharray="6 3"` : ""}`;
}

function readWidth(s: LineSeries, field: string): number {
  return s.widthPx === undefined ? 1.5 : readNumber(s.widthPx, `${field}.widthPx`, { min: 0.1, max: 20 });
}

/** Checks the series list and returns the x and y extents of all finite points. */
function seriesExtents(series: readonly LineSeries[], yAxis: AxisSpec | undefined): { x: Extent; y: Extent } {
  checkNonEmpty(series, "series", "Pass at least one series with x and y values.");
  const x = new Extent();
  const y = new Extent();
  series.forEach((s, k) => {
    const field = `series[${k}]`;
    checkColumns(s.x, s.y, field);
    for (let i = 0; i < s.y.length; i++) {
      const xi = s.x[i] as number;
      const yi = s.y[i] as number;
      if (!(Number.isFinite(xi) && Number.isFinite(yi))) continue;
      if (yAxis?.scale === "log" && yi <= 0) {
        throw new InputError(
          `${field}.y[${i}]`,
          yi,
          "must be positive on a log axis",
          'Use y scale "linear", or pass NaN to leave a gap.',
        );
      }
      x.add(xi);
      y.add(yi);
    }
  });
  return { x, y };
}

/**
 * A line chart as SVG text.
 *
 * Axes: x "linear" or "time" (epoch ms, UTC calendar ticks), y "linear" or "log"; linear axes are
 * extended to nice 1-2-5 ticks (ticks.ts). NaN (or ±Infinity) in x or y breaks the line. A series
 * with more than 4 points per pixel column is reduced per column to first/min/max/last (M4), so a
 * 40 000-point series stays a few hundred kB at most and its spikes stay visible. Markers,
 * bands and reference lines are drawn over the series and listed in the legend.
 *
 * @throws InputError on an empty series list, empty or mismatched columns, non-positive values on
 * a log axis, or a size out of range.
 */
export function lineChart(spec: LineChartSpec): string {
  const { x: xs, y: ys } = seriesExtents(spec.series, spec.y);
  if (spec.x?.scale === "log") {
    throw new InputError(
      "x.scale",
      "log",
      "is not supported on a line chart",
      'Use "linear" or "time" (or scatterChart).',
    );
  }
  for (const set of spec.markers ?? []) {
    for (const p of set.points) {
      xs.add(p.x);
      if (spec.y?.scale !== "log" || p.y > 0) ys.add(p.y);
    }
  }
  for (const line of spec.referenceLines ?? []) if (spec.y?.scale !== "log" || line.y > 0) ys.add(line.y);
  const styles = spec.series.map((s, k) => ({
    color: s.color ?? paletteColor(k),
    widthPx: readWidth(s, `series[${k}]`),
  }));
  const legend: LegendEntry[] = spec.series.map((s, k) => ({
    label: s.name,
    color: styles[k]?.color ?? paletteColor(k),
    kind: "line" as const,
    ...(s.dashed === undefined ? {} : { dashed: s.dashed }),
  }));
  legend.push(...overlayLegend(spec.bands, spec.markers));
  return renderFrame(
    {
      base: spec,
      x: axisRequest(spec.x, xs, "x"),
      y: axisRequest(spec.y, ys, "y"),
      legend,
      bands: spec.bands,
      referenceLines: spec.referenceLines,
      markers: spec.markers,
    },
    (plot) =>
      spec.series.map((s, k) => {
        const d = segmentsPath(seriesSegments(s.x, s.y, plot, s.step === true));
        const style = styles[k] ?? { color: paletteColor(k), widthPx: 1.5 };
        return `<path d="${d}" ${strokeAttrs(style.color, style.widthPx, s.dashed)}/>`;
      }),
  );
}

/**
 * An area chart as SVG text: each series filled between its curve and `baseline` (default 0),
 * outlined with its line; `step: true` gives the staircase used for order-book depth. NaN gaps
 * split the fill. The y axis is linear and always includes the baseline.
 *
 * @throws InputError as {@link lineChart}, and for a log y axis or a fill opacity outside [0, 1].
 */
export function areaChart(spec: AreaChartSpec): string {
  if (spec.y?.scale === "log" || spec.x?.scale === "log") {
    throw new InputError("y.scale", "log", "is not supported on an area chart", 'Use "linear".');
  }
  const { x: xs, y: ys } = seriesExtents(spec.series, spec.y);
  const baseline = spec.baseline === undefined ? 0 : readNumber(spec.baseline, "baseline");
  ys.add(baseline);
  for (const line of spec.referenceLines ?? []) ys.add(line.y);
  const styles = spec.series.map((s, k) => ({
    color: s.color ?? paletteColor(k),
    widthPx: readWidth(s, `series[${k}]`),
    opacity:
      s.fillOpacity === undefined
        ? 0.25
        : readNumber(s.fillOpacity, `series[${k}].fillOpacity`, { min: 0, max: 1 }),
  }));
  const legend: LegendEntry[] = spec.series.map((s, k) => ({
    label: s.name,
    color: styles[k]?.color ?? paletteColor(k),
    kind: "area" as const,
  }));
  legend.push(...overlayLegend(spec.bands, undefined));
  return renderFrame(
    {
      base: spec,
      x: axisRequest(spec.x, xs, "x"),
      y: axisRequest(spec.y, ys, "y", { scale: "linear" }),
      legend,
      bands: spec.bands,
      referenceLines: spec.referenceLines,
    },
    (plot) => {
      const base = px(plot.y.map(baseline));
      const out: string[] = [];
      spec.series.forEach((s, k) => {
        const style = styles[k] ?? { color: paletteColor(k), widthPx: 1.5, opacity: 0.25 };
        const segments = seriesSegments(s.x, s.y, plot, s.step === true);
        const fill = segments
          .map((seg) => {
            const first = px(seg.xs[0] as number);
            const last = px(seg.xs[seg.xs.length - 1] as number);
            return `M${first} ${base}${segmentsPath([seg]).replace(/^M/, "L")}L${last} ${base}Z`;
          })
          .join("");
        const color = escapeXml(style.color);
        out.push(`<path d="${fill}" fill="${color}" fill-opacity="${px(style.opacity)}" stroke="none"/>`);
        out.push(
          `<path d="${segmentsPath(segments)}" ${strokeAttrs(style.color, style.widthPx, s.dashed)}/>`,
        );
      });
      return out;
    },
  );
}

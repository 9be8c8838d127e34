/**
 * Scatter chart with optional fitted curves (impact fits, cost curves).
 */
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";
import {
  axisRequest,
  checkColumns,
  checkNonEmpty,
  Extent,
  type LegendEntry,
  markerShape,
  renderFrame,
} from "./frame.js";
import { escapeXml, paletteColor, px } from "./svg.js";
import type { AxisSpec, ScatterChartSpec } from "./types.js";

function checkScale(axis: AxisSpec | undefined, field: "x" | "y"): "linear" | "log" {
  const scale = axis?.scale ?? "linear";
  if (scale !== "linear" && scale !== "log") {
    throw new InputError(
      `${field}.scale`,
      scale,
      "is not supported on a scatter chart",
      'Use "linear" or "log".',
    );
  }
  return scale;
}

/**
 * A scatter chart as SVG text: each series' finite points as markers (non-finite points are
 * skipped), each curve f sampled at `samples` points evenly spaced across the x axis (in log10 x
 * on a log axis) and drawn as a line, broken where f is not finite (or ≤ 0 on a log y axis).
 * The axes are fitted to the points and reference lines only; curves are clipped to the plot.
 *
 * @throws InputError on an empty series list, empty or mismatched columns, or values ≤ 0 on a log
 * axis.
 */
export function scatterChart(spec: ScatterChartSpec): string {
  checkNonEmpty(spec.series, "series", "Pass at least one series of points.");
  const xScale = checkScale(spec.x, "x");
  const yScale = checkScale(spec.y, "y");
  const xs = new Extent();
  const ys = new Extent();
  spec.series.forEach((s, k) => {
    checkColumns(s.x, s.y, `series[${k}]`);
    for (let i = 0; i < s.y.length; i++) {
      const xi = s.x[i] as number;
      const yi = s.y[i] as number;
      if (!(Number.isFinite(xi) && Number.isFinite(yi))) continue;
      if (xScale === "log" && xi <= 0) {
        throw new InputError(
          `series[${k}].x[${i}]`,
          xi,
          "must be positive on a log axis",
          'Use x scale "linear".',
        );
      }
      if (yScale === "log" && yi <= 0) {
        throw new InputError(
          `series[${k}].y[${i}]`,
          yi,
          "must be positive on a log axis",
          'Use y scale "linear".',
        );
      }
      xs.add(xi);
      ys.add(yi);
    }
  });
  for (const line of spec.referenceLines ?? []) if (yScale !== "log" || line.y > 0) ys.add(line.y);
  const colors = spec.series.map((s, k) => s.color ?? paletteColor(k));
  const curveColors = (spec.curves ?? []).map((c, k) => c.color ?? paletteColor(spec.series.length + k));
  const samples = (spec.curves ?? []).map((c, k) =>
    c.samples === undefined
      ? 200
      : Math.round(readNumber(c.samples, `curves[${k}].samples`, { min: 2, max: 10_000 })),
  );
  const legend: LegendEntry[] = spec.series.map((s, k) => ({
    label: s.name,
    color: colors[k] ?? paletteColor(k),
    kind: "marker" as const,
    shape: s.shape ?? "circle",
  }));
  (spec.curves ?? []).forEach((c, k) => {
    legend.push({
      label: c.name,
      color: curveColors[k] ?? "#000000",
      kind: "line",
      dashed: c.dashed !== false,
    });
  });
  return renderFrame(
    {
      base: spec,
      x: axisRequest(spec.x, xs, "x", { scale: xScale, padFraction: 0.03 }),
      y: axisRequest(spec.y, ys, "y", { scale: yScale, padFraction: 0.03 }),
      legend,
      referenceLines: spec.referenceLines,
    },
    (plot) => {
      const out: string[] = [];
      spec.series.forEach((s, k) => {
        const color = colors[k] ?? paletteColor(k);
        const size = s.sizePx ?? 5;
        for (let i = 0; i < s.y.length; i++) {
          const sx = plot.x.map(s.x[i] as number);
          const sy = plot.y.map(s.y[i] as number);
          if (Number.isFinite(sx) && Number.isFinite(sy))
            out.push(markerShape(s.shape ?? "circle", sx, sy, size, color));
        }
      });
      (spec.curves ?? []).forEach((c, k) => {
        const m = samples[k] ?? 200;
        const [d0, d1] = plot.x.domain;
        const parts: string[] = [];
        let pen = false;
        for (let j = 0; j < m; j++) {
          const u = j / (m - 1);
          const xv =
            xScale === "log"
              ? 10 ** (Math.log10(d0) + u * (Math.log10(d1) - Math.log10(d0)))
              : d0 + u * (d1 - d0);
          const yv = c.f(xv);
          const sy = yScale === "log" && !(yv > 0) ? Number.NaN : plot.y.map(yv);
          if (!Number.isFinite(sy)) {
            pen = false;
            continue;
          }
          // Keep far-off values finite for the renderer: clip to 10 plot heights around the plot.
          const clipped = Math.min(Math.max(sy, plot.top - 10 * plot.height), plot.top + 11 * plot.height);
          parts.push(`${pen ? "L" : "M"}${px(plot.x.map(xv))} ${px(clipped)}`);
          pen = true;
        }
        const dash = c.dashed === false ? "" : ` stroke-dasharray="6 3"`;
        out.push(
          `<path d="${parts.join("")}" fill="none" stroke="${escapeXml(curveColors[k] ?? "#000000")}" stroke-width="1.8"${dash}/>`,
        );
      });
      return out;
    },
  );
}

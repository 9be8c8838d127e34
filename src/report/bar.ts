/**
 * Bar chart: categories on x, one bar per series in each category (grouped side by side).
 */
import { InputError } from "../errors.js";
import { axisRequest, checkNonEmpty, Extent, type LegendEntry, renderFrame } from "./frame.js";
import { escapeXml, paletteColor, px } from "./svg.js";
import type { BarChartSpec } from "./types.js";

/**
 * A bar chart as SVG text. Each category's slot is 80 % filled by its bars (series side by side);
 * bars grow from 0, so negative values point down; NaN leaves the slot empty. The y axis is linear,
 * includes 0 and is extended to nice ticks.
 *
 * @throws InputError on no categories, no series, or a series whose length differs from the
 * categories'.
 */
export function barChart(spec: BarChartSpec): string {
  checkNonEmpty(spec.categories, "categories", "Pass one label per bar group.");
  checkNonEmpty(spec.series, "series", "Pass at least one series of values.");
  if (spec.y?.scale !== undefined && spec.y.scale !== "linear") {
    throw new InputError("y.scale", spec.y.scale, "is not supported on a bar chart", 'Use "linear".');
  }
  const n = spec.categories.length;
  const ys = new Extent();
  ys.add(0);
  spec.series.forEach((s, k) => {
    if (s.values === undefined || s.values.length !== n) {
      throw new InputError(
        `series[${k}].values`,
        s.values?.length,
        `must have one value per category (${n})`,
        "Pass one value per category; NaN for a missing one.",
      );
    }
    ys.addAll(s.values);
  });
  for (const line of spec.referenceLines ?? []) ys.add(line.y);
  const colors = spec.series.map((s, k) => s.color ?? paletteColor(k));
  const legend: LegendEntry[] = spec.series.map((s, k) => ({
    label: s.name,
    color: colors[k] ?? paletteColor(k),
    kind: "area" as const,
  }));
  return renderFrame(
    {
      base: spec,
      x: { categories: spec.categories, title: spec.x?.title },
      y: axisRequest(spec.y, ys, "y", { scale: "linear" }),
      legend,
      referenceLines: spec.referenceLines,
    },
    (plot) => {
      const out: string[] = [];
      const m = spec.series.length;
      const y0 = plot.y.map(0);
      spec.series.forEach((s, k) => {
        const color = escapeXml(colors[k] ?? paletteColor(k));
        out.push(`<g fill="${color}">`);
        for (let i = 0; i < n; i++) {
          const v = s.values[i] as number;
          if (!Number.isFinite(v)) continue;
          const x0 = plot.x.map(i + 0.1 + (0.8 * k) / m);
          const x1 = plot.x.map(i + 0.1 + (0.8 * (k + 1)) / m);
          const yv = plot.y.map(v);
          out.push(
            `<rect x="${px(x0)}" y="${px(Math.min(yv, y0))}" width="${px(Math.max(x1 - x0 - 1, 1))}" height="${px(Math.abs(y0 - yv))}"><title>${escapeXml(`${spec.categories[i] ?? ""} · ${s.name}: ${v}`)}</title></rect>`,
          );
        }
        out.push("</g>");
      });
      return out;
    },
  );
}

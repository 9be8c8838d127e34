/**
 * The frame every chart shares: layout (title, legend, margins), axes with grid and tick labels,
 * shaded bands, reference lines, point markers and the SVG envelope. Chart modules supply the
 * data extent and a function that draws their series inside the plot area.
 */
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";
import { type Axis, type AxisRequest, buildAxis } from "./scale.js";
import { escapeXml, FONT_FAMILY, px, svgText, textWidthPx } from "./svg.js";
import type {
  AxisScale,
  AxisSpec,
  Band,
  ChartBase,
  MarkerSet,
  MarkerShape,
  NumericArray,
  ReferenceLine,
} from "./types.js";

const FONT_PX = 12;
const TITLE_PX = 16;
const LEGEND_ROW_PX = 18;
const AXIS_COLOR = "#333333";
const GRID_COLOR = "#e6e6e6";
const BAND_DEFAULT = "#888888";
const REFERENCE_DEFAULT = "#555555";

/** One legend entry. */
export interface LegendEntry {
  label: string;
  color: string;
  kind: "line" | "area" | "marker" | "band";
  dashed?: boolean;
  shape?: MarkerShape;
}

/** The plot area handed to a chart's drawing function. */
export interface Plot {
  x: Axis;
  y: Axis;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What a chart module passes to {@link renderFrame}. */
export interface FrameSpec {
  base: ChartBase;
  /** Continuous x axis, or categories (bar charts). */
  x:
    | (AxisRequest & { title?: string | undefined })
    | { categories: readonly string[]; title?: string | undefined };
  y: AxisRequest & { title?: string | undefined };
  legend: LegendEntry[];
  bands?: readonly Band[] | undefined;
  referenceLines?: readonly ReferenceLine[] | undefined;
  markers?: readonly MarkerSet[] | undefined;
}

/** Reads width and height (defaults 800 × 450), naming the field on bad input. */
function readSize(base: ChartBase): { width: number; height: number } {
  const fix = "Pass a size in pixels, e.g. width 800 and height 450.";
  const width =
    base.width === undefined ? 800 : readNumber(base.width, "width", { min: 200, max: 10_000, fix });
  const height =
    base.height === undefined ? 450 : readNumber(base.height, "height", { min: 150, max: 10_000, fix });
  return { width: Math.round(width), height: Math.round(height) };
}

interface LegendItem {
  entry: LegendEntry;
  x: number;
  y: number;
}

/** Lays legend entries out in rows across `width`. */
function layoutLegend(
  entries: readonly LegendEntry[],
  width: number,
  top: number,
): { items: LegendItem[]; rows: number } {
  const items: LegendItem[] = [];
  let x = 12;
  let row = 0;
  for (const entry of entries) {
    const w = 26 + textWidthPx(entry.label, FONT_PX) + 16;
    if (x + w > width - 12 && x > 12) {
      row++;
      x = 12;
    }
    items.push({ entry, x, y: top + row * LEGEND_ROW_PX });
    x += w;
  }
  return { items, rows: entries.length === 0 ? 0 : row + 1 };
}

/** Renders the chart: the frame from `spec` and the series drawn by `draw`. */
export function renderFrame(spec: FrameSpec, draw: (plot: Plot) => string[]): string {
  const { width, height } = readSize(spec.base);
  const showLegend =
    spec.base.legend ?? (spec.legend.length > 1 || spec.legend.some((e) => e.kind !== "line"));
  let top = 10;
  const head: string[] = [];
  if (spec.base.title !== undefined && spec.base.title !== "") {
    head.push(
      svgText(width / 2, top + TITLE_PX, spec.base.title, { anchor: "middle", sizePx: TITLE_PX, bold: true }),
    );
    top += TITLE_PX + 10;
  }
  if (showLegend && spec.legend.length > 0) {
    const { items, rows } = layoutLegend(spec.legend, width, top);
    head.push(...items.map(drawLegendItem));
    top += rows * LEGEND_ROW_PX + 4;
  }
  top += 6;
  const xTitle = spec.x.title;
  const yTitle = spec.y.title;
  const bottom = 8 + FONT_PX + 8 + (xTitle === undefined ? 0 : FONT_PX + 8);
  const plotHeight = height - top - bottom;
  if (plotHeight < 40) {
    throw new InputError(
      "height",
      height,
      "leaves no room for the plot",
      "Increase height or shorten the legend.",
    );
  }
  const y = buildAxis(spec.y, [top + plotHeight, top], Math.max(2, Math.round(plotHeight / 50)));
  let labelWidth = 0;
  for (const label of y.labels) labelWidth = Math.max(labelWidth, textWidthPx(label, FONT_PX));
  const left = Math.ceil(10 + (yTitle === undefined ? 0 : FONT_PX + 8) + labelWidth + 8);
  const plotWidth = width - left - 20;
  if (plotWidth < 40) {
    throw new InputError("width", width, "leaves no room for the plot", "Increase width.");
  }
  const x =
    "categories" in spec.x
      ? categoryAxis(spec.x.categories, [left, left + plotWidth])
      : buildAxis(
          spec.x,
          [left, left + plotWidth],
          Math.max(2, Math.round(plotWidth / (spec.x.scale === "time" ? 110 : 80))),
        );
  const plot: Plot = { x, y, left, top, width: plotWidth, height: plotHeight };
  const clipId = `plot-${left}-${top}-${plotWidth}-${plotHeight}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_PX}">`,
  ];
  if (spec.base.title !== undefined && spec.base.title !== "")
    out.push(`<title>${escapeXml(spec.base.title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<defs><clipPath id="${clipId}"><rect x="${left}" y="${top}" width="${px(plotWidth)}" height="${px(plotHeight)}"/></clipPath></defs>`,
  );
  out.push(...drawGrid(plot, "categories" in spec.x));
  out.push(`<g clip-path="url(#${clipId})">`);
  for (const band of spec.bands ?? []) out.push(...drawBand(plot, band));
  out.push(...draw(plot));
  for (const line of spec.referenceLines ?? []) out.push(...drawReference(plot, line));
  for (const set of spec.markers ?? []) out.push(...drawMarkers(plot, set));
  out.push("</g>");
  out.push(...drawAxes(plot, "categories" in spec.x));
  if (xTitle !== undefined) {
    out.push(svgText(left + plotWidth / 2, height - 8, xTitle, { anchor: "middle" }));
  }
  if (yTitle !== undefined) {
    out.push(svgText(10 + FONT_PX, top + plotHeight / 2, yTitle, { anchor: "middle", rotateDeg: -90 }));
  }
  out.push(...head);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** A category axis: slot i spans [i, i + 1], its tick sits at the slot centre. */
function categoryAxis(categories: readonly string[], range: [number, number]): Axis {
  const n = categories.length;
  const [r0, r1] = range;
  const k = (r1 - r0) / n;
  const slot = k * 0.95;
  return {
    scale: "linear",
    domain: [0, n],
    range,
    ticks: categories.map((_, i) => i + 0.5),
    labels: categories.map((c) => truncate(c, slot)),
    map: (v) => r0 + v * k,
  };
}

function truncate(text: string, widthPx: number): string {
  if (textWidthPx(text, FONT_PX) <= widthPx) return text;
  const chars = Math.max(1, Math.floor(widthPx / (FONT_PX * 0.6)) - 1);
  return `${text.slice(0, chars)}…`;
}

function drawGrid(plot: Plot, categorical: boolean): string[] {
  const lines: string[] = [`<g stroke="${GRID_COLOR}" stroke-width="1">`];
  const right = plot.left + plot.width;
  const bottom = plot.top + plot.height;
  for (const t of plot.y.ticks) {
    const y = px(plot.y.map(t));
    lines.push(`<line x1="${px(plot.left)}" y1="${y}" x2="${px(right)}" y2="${y}"/>`);
  }
  if (!categorical) {
    for (const t of plot.x.ticks) {
      const x = px(plot.x.map(t));
      lines.push(`<line x1="${x}" y1="${px(plot.top)}" x2="${x}" y2="${px(bottom)}"/>`);
    }
  }
  lines.push("</g>");
  return lines;
}

function drawAxes(plot: Plot, categorical: boolean): string[] {
  const right = plot.left + plot.width;
  const bottom = plot.top + plot.height;
  const out: string[] = [
    `<g stroke="${AXIS_COLOR}" stroke-width="1" fill="none">`,
    `<path d="M${px(plot.left)} ${px(plot.top)}V${px(bottom)}H${px(right)}"/>`,
  ];
  for (const t of plot.y.ticks) {
    const y = px(plot.y.map(t));
    out.push(`<line x1="${px(plot.left - 4)}" y1="${y}" x2="${px(plot.left)}" y2="${y}"/>`);
  }
  for (const t of plot.x.ticks) {
    const x = px(plot.x.map(t));
    out.push(`<line x1="${x}" y1="${px(bottom)}" x2="${x}" y2="${px(bottom + 4)}"/>`);
  }
  out.push("</g>");
  out.push(`<g fill="${AXIS_COLOR}">`);
  plot.y.ticks.forEach((t, i) => {
    out.push(svgText(plot.left - 7, plot.y.map(t), plot.y.labels[i] ?? "", { anchor: "end", dy: 4 }));
  });
  plot.x.ticks.forEach((t, i) => {
    const x = plot.x.map(t);
    // Keep the end labels inside the SVG.
    const label = plot.x.labels[i] ?? "";
    const half = textWidthPx(label, FONT_PX) / 2;
    const anchor = categorical ? "middle" : x + half > right + 18 ? "end" : "middle";
    out.push(svgText(x, bottom + 8 + FONT_PX, label, { anchor }));
  });
  out.push("</g>");
  return out;
}

function drawBand(plot: Plot, band: Band): string[] {
  const a = plot.x.map(Math.min(band.from, band.to));
  const b = plot.x.map(Math.max(band.from, band.to));
  if (!(Number.isFinite(a) && Number.isFinite(b))) return [];
  const x0 = Math.max(plot.left, a);
  const x1 = Math.min(plot.left + plot.width, b);
  if (x1 < x0) return [];
  const color = escapeXml(band.color ?? BAND_DEFAULT);
  const out = [
    `<rect x="${px(x0)}" y="${px(plot.top)}" width="${px(Math.max(x1 - x0, 1))}" height="${px(plot.height)}" fill="${color}" fill-opacity="0.15"/>`,
  ];
  if (band.label !== undefined) {
    out.push(svgText(x0 + 3, plot.top + FONT_PX + 2, band.label, { sizePx: 10, color: "#555555" }));
  }
  return out;
}

function drawReference(plot: Plot, line: ReferenceLine): string[] {
  const y = plot.y.map(line.y);
  if (!Number.isFinite(y)) return [];
  const color = escapeXml(line.color ?? REFERENCE_DEFAULT);
  const dash = line.dashed === false ? "" : ` stroke-dasharray="6 4"`;
  const out = [
    `<line x1="${px(plot.left)}" y1="${px(y)}" x2="${px(plot.left + plot.width)}" y2="${px(y)}" stroke="${color}" stroke-width="1.2"${dash}/>`,
  ];
  if (line.label !== undefined) {
    out.push(
      svgText(plot.left + plot.width - 4, y - 4, line.label, {
        anchor: "end",
        sizePx: 11,
        color: line.color ?? REFERENCE_DEFAULT,
      }),
    );
  }
  return out;
}

/** An SVG shape centred on (cx, cy) with overall size `size` px. */
export function markerShape(shape: MarkerShape, cx: number, cy: number, size: number, color: string): string {
  const r = size / 2;
  const c = escapeXml(color);
  switch (shape) {
    case "circle":
      return `<circle cx="${px(cx)}" cy="${px(cy)}" r="${px(r)}" fill="${c}"/>`;
    case "square":
      return `<rect x="${px(cx - r)}" y="${px(cy - r)}" width="${px(size)}" height="${px(size)}" fill="${c}"/>`;
    case "diamond":
      return `<path d="M${px(cx)} ${px(cy - r)}L${px(cx + r)} ${px(cy)}L${px(cx)} ${px(cy + r)}L${px(cx - r)} ${px(cy)}Z" fill="${c}"/>`;
    case "triangle-up":
      return `<path d="M${px(cx)} ${px(cy - r)}L${px(cx + r)} ${px(cy + r)}L${px(cx - r)} ${px(cy + r)}Z" fill="${c}"/>`;
    case "triangle-down":
      return `<path d="M${px(cx)} ${px(cy + r)}L${px(cx + r)} ${px(cy - r)}L${px(cx - r)} ${px(cy - r)}Z" fill="${c}"/>`;
    case "cross":
      return `<path d="M${px(cx - r)} ${px(cy - r)}L${px(cx + r)} ${px(cy + r)}M${px(cx - r)} ${px(cy + r)}L${px(cx + r)} ${px(cy - r)}" stroke="${c}" stroke-width="2"/>`;
  }
}

function drawMarkers(plot: Plot, set: MarkerSet): string[] {
  const out: string[] = [];
  const shape = set.shape ?? "circle";
  const size = set.sizePx ?? 7;
  const color = set.color ?? "#000000";
  for (const p of set.points) {
    const cx = plot.x.map(p.x);
    const cy = plot.y.map(p.y);
    if (!(Number.isFinite(cx) && Number.isFinite(cy))) continue;
    if (p.label === undefined) {
      out.push(markerShape(shape, cx, cy, size, color));
    } else {
      out.push(`<g><title>${escapeXml(p.label)}</title>${markerShape(shape, cx, cy, size, color)}`);
      out.push(`${svgText(cx + size / 2 + 3, cy - size / 2 - 2, p.label, { sizePx: 10, color })}</g>`);
    }
  }
  return out;
}

function drawLegendItem(item: LegendItem): string {
  const { entry, x, y } = item;
  const color = escapeXml(entry.color);
  const cy = y + 9;
  let swatch: string;
  switch (entry.kind) {
    case "line":
      swatch = `<line x1="${px(x)}" y1="${px(cy)}" x2="${px(x + 20)}" y2="${px(cy)}" stroke="${color}" stroke-width="2"${entry.dashed === true ? ` stroke-dasharray="5 3"` : ""}/>`;
      break;
    case "marker":
      swatch = markerShape(entry.shape ?? "circle", x + 10, cy, 8, entry.color);
      break;
    default:
      swatch = `<rect x="${px(x)}" y="${px(cy - 6)}" width="20" height="12" fill="${color}" fill-opacity="${entry.kind === "band" ? "0.15" : "0.35"}" stroke="${color}"/>`;
  }
  return `${swatch}${svgText(x + 26, cy + 4, entry.label)}`;
}

/** Legend entries for bands and marker sets that carry a label/name. */
export function overlayLegend(
  bands: readonly Band[] | undefined,
  markers: readonly MarkerSet[] | undefined,
): LegendEntry[] {
  const out: LegendEntry[] = [];
  const seen = new Set<string>();
  for (const band of bands ?? []) {
    if (band.label === undefined || seen.has(band.label)) continue;
    seen.add(band.label);
    out.push({ label: band.label, color: band.color ?? BAND_DEFAULT, kind: "band" });
  }
  for (const set of markers ?? []) {
    out.push({
      label: set.name,
      color: set.color ?? "#000000",
      kind: "marker",
      shape: set.shape ?? "circle",
    });
  }
  return out;
}

/** Running min/max over finite values. */
export class Extent {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  addAll(values: NumericArray): void {
    for (let i = 0; i < values.length; i++) this.add(values[i] as number);
  }

  get empty(): boolean {
    return this.min > this.max;
  }
}

/**
 * Checks a data column pair: both present, same non-zero length, at least one finite pair.
 * Throws an {@link InputError} naming `field` (e.g. `series[1]`).
 */
export function checkColumns(x: NumericArray, y: NumericArray, field: string): void {
  if (x === undefined || typeof x.length !== "number") {
    throw new InputError(`${field}.x`, x, "must be an array of numbers", "Pass x values.");
  }
  if (y === undefined || typeof y.length !== "number") {
    throw new InputError(`${field}.y`, y, "must be an array of numbers", "Pass y values.");
  }
  if (y.length === 0) {
    throw new InputError(`${field}.y`, [], "is empty", "Pass at least one point, or leave the series out.");
  }
  if (x.length !== y.length) {
    throw new InputError(
      `${field}.x`,
      x.length,
      `has ${x.length} values but y has ${y.length}`,
      "Pass one x value per y value.",
    );
  }
  for (let i = 0; i < y.length; i++) {
    if (Number.isFinite(x[i] as number) && Number.isFinite(y[i] as number)) return;
  }
  throw new InputError(
    `${field}.y`,
    y.length,
    "has no point with finite x and y",
    "Pass at least one finite point.",
  );
}

/** Checks that a list field is non-empty. */
export function checkNonEmpty(list: readonly unknown[] | undefined, field: string, fix: string): void {
  if (!Array.isArray(list) || list.length === 0) {
    throw new InputError(field, list, "must be a non-empty list", fix);
  }
}

/**
 * The frame's request for one axis from the chart spec's axis options and the data range: the
 * spec's scale unless the chart fixes one, its ends and title (a time axis is titled "time (UTC)"
 * by default).
 */
export function axisRequest(
  axis: AxisSpec | undefined,
  data: { readonly min: number; readonly max: number },
  field: "x" | "y",
  options: { readonly scale?: AxisScale; readonly padFraction?: number } = {},
): AxisRequest & { title: string | undefined } {
  const scale = options.scale ?? axis?.scale ?? "linear";
  return {
    scale,
    dataMin: data.min,
    dataMax: data.max,
    min: axis?.min,
    max: axis?.max,
    field,
    ...(options.padFraction === undefined ? {} : { padFraction: options.padFraction }),
    title: axis?.title ?? (scale === "time" ? "time (UTC)" : undefined),
  };
}

/**
 * The data model of the chart library: plain, serialisable-looking specs (apart from fitted-curve
 * functions) that the chart functions turn into SVG text.
 */

/** A numeric column: a typed array from the library or a plain array from JSON. */
export type NumericArray = Float64Array | readonly number[];

/** How an axis maps values: linear, base-10 logarithmic, or time (epoch ms, UTC labels). */
export type AxisScale = "linear" | "log" | "time";

/** One axis of a chart. */
export interface AxisSpec {
  /** Axis title, with units, e.g. "annualised vol (fraction)". */
  title?: string;
  /** Default "linear". A "time" axis takes epoch milliseconds; "log" needs positive values. */
  scale?: AxisScale;
  /** Force the lower end of the axis (otherwise from the data, extended to a nice value). */
  min?: number;
  /** Force the upper end of the axis. */
  max?: number;
}

/** Shapes for point markers. */
export type MarkerShape = "circle" | "square" | "diamond" | "triangle-up" | "triangle-down" | "cross";

/** Properties every chart accepts. */
export interface ChartBase {
  title?: string;
  /** SVG width in px (default 800, 200…10 000). */
  width?: number;
  /** SVG height in px (default 450, 150…10 000). */
  height?: number;
  /** Show the legend (default: when there is more than one entry, or any marker set, band or labelled line). */
  legend?: boolean;
}

/** A line series: y against x, NaN in either breaks the line. */
export interface LineSeries {
  name: string;
  x: NumericArray;
  y: NumericArray;
  /** CSS colour; default from the palette. */
  color?: string;
  dashed?: boolean;
  /** Draw as a step function: the value holds until the next x ("step after"). */
  step?: boolean;
  /** Stroke width in px (default 1.5). */
  widthPx?: number;
}

/** One marked point (a VaR exception, a liquidation). */
export interface MarkerPoint {
  x: number;
  y: number;
  /** Optional text drawn next to the point (and shown as its tooltip). */
  label?: string;
}

/** A set of marked points sharing a shape, colour and legend entry. */
export interface MarkerSet {
  name: string;
  points: readonly MarkerPoint[];
  /** Default "circle". */
  shape?: MarkerShape;
  color?: string;
  /** Marker size in px (default 7). */
  sizePx?: number;
}

/** A shaded vertical band over [from, to] on the x axis (a regime, a crash day). */
export interface Band {
  from: number;
  to: number;
  /** CSS colour (drawn at 15 % opacity); default grey. */
  color?: string;
  label?: string;
}

/** A horizontal reference line (a threshold, a VaR level). */
export interface ReferenceLine {
  y: number;
  label?: string;
  color?: string;
  /** Default true. */
  dashed?: boolean;
}

/** {@link lineChart} input. */
export interface LineChartSpec extends ChartBase {
  series: readonly LineSeries[];
  /** x axis; "linear" (default) or "time" (epoch ms). */
  x?: AxisSpec;
  /** y axis; "linear" (default) or "log". */
  y?: AxisSpec;
  markers?: readonly MarkerSet[];
  bands?: readonly Band[];
  referenceLines?: readonly ReferenceLine[];
}

/** An area series: filled between the curve and the baseline. */
export interface AreaSeries extends LineSeries {
  /** Fill opacity 0…1 (default 0.25). */
  fillOpacity?: number;
}

/** {@link areaChart} input. */
export interface AreaChartSpec extends ChartBase {
  series: readonly AreaSeries[];
  x?: AxisSpec;
  /** y axis; linear only. */
  y?: AxisSpec;
  /** The value areas are filled to (default 0). */
  baseline?: number;
  bands?: readonly Band[];
  referenceLines?: readonly ReferenceLine[];
}

/** One side of an order book: levels best-first, with the size (not cumulative) at each price. */
export interface BookSide {
  price: NumericArray;
  size: NumericArray;
}

/** {@link depthChart} input: cumulative depth against price, bids and asks in two colours. */
export interface DepthChartSpec extends ChartBase {
  /** Bid levels, best (highest) price first. */
  bids: BookSide;
  /** Ask levels, best (lowest) price first. */
  asks: BookSide;
  /** x axis title (default "price"). */
  x?: AxisSpec;
  /** y axis title (default "cumulative size"). */
  y?: AxisSpec;
  /** Default "#009E73" (bids) and "#D55E00" (asks). */
  bidColor?: string;
  askColor?: string;
}

/** One group of bars (one value per category). */
export interface BarSeries {
  name: string;
  values: NumericArray;
  color?: string;
}

/** {@link barChart} input: categories × values, several series drawn side by side. */
export interface BarChartSpec extends ChartBase {
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Only `title` is used: the category axis. */
  x?: AxisSpec;
  /** y axis; linear; always includes 0. */
  y?: AxisSpec;
  referenceLines?: readonly ReferenceLine[];
}

/** A scatter series. */
export interface ScatterSeries {
  name: string;
  x: NumericArray;
  y: NumericArray;
  color?: string;
  /** Default "circle". */
  shape?: MarkerShape;
  /** Default 5. */
  sizePx?: number;
}

/** A fitted curve drawn as a line over the x axis (e.g. impact = a·q^b). */
export interface FittedCurve {
  name: string;
  /** The curve; non-finite values break the line. */
  f: (x: number) => number;
  color?: string;
  /** Default true. */
  dashed?: boolean;
  /** Points sampled across the x axis (default 200, 2…10 000). */
  samples?: number;
}

/** {@link scatterChart} input. */
export interface ScatterChartSpec extends ChartBase {
  series: readonly ScatterSeries[];
  curves?: readonly FittedCurve[];
  /** "linear" (default) or "log". */
  x?: AxisSpec;
  /** "linear" (default) or "log". */
  y?: AxisSpec;
  referenceLines?: readonly ReferenceLine[];
}

/**
 * report/: dependency-free SVG charts (line, area, depth, bar, scatter) and PNG output via resvg.
 */
export { barChart } from "./bar.js";
export { decimateMinMax, GAP } from "./decimate.js";
export { cumulativeDepth, depthChart } from "./depth.js";
export { areaChart, lineChart } from "./line.js";
export { CHART_EXTENSIONS, type PngOptions, renderPng, type WrittenChart, writeChart } from "./png.js";
export { type Axis, buildAxis } from "./scale.js";
export { scatterChart } from "./scatter.js";
export { escapeXml, FONT_FAMILY, PALETTE } from "./svg.js";
export {
  formatLinearTicks,
  formatNumber,
  logTickValues,
  type NiceTicks,
  niceTicks,
  tickIncrement,
  tickStep,
  tickValues,
} from "./ticks.js";
export { type TimeTicks, type TimeUnit, timeTicks } from "./time-ticks.js";
export type * from "./types.js";

/**
 * report/: dependency-free SVG charts (line, area, depth, bar, scatter) and PNG output via resvg; the
 * layer's public API (axes, ticks and decimation are internal to the charts).
 */
export { barChart } from "./bar.js";
export { depthChart } from "./depth.js";
export { areaChart, lineChart } from "./line.js";
export { CHART_EXTENSIONS, renderPng, writeChart } from "./png.js";
export { scatterChart } from "./scatter.js";
export { escapeXml } from "./svg.js";
export type * from "./types.js";

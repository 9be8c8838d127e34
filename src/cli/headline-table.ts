/**
 * The headline table of `liqopt simulate` (a perp venue's or a lending market's): one row per
 * metric, its value in its unit, and in Monte Carlo its 95 % interval.
 */
import type { HeadlineMetric } from "../sim/venue/scenario-report.js";
import { formatNumber, formatPercent, renderTable } from "./io.js";

/** A metric's value in its unit: a percentage, whole USD, or counts to one decimal (means per path). */
export function formatMetric(unit: HeadlineMetric["unit"], x: number | null): string {
  if (x === null) return "—";
  if (unit === "probability") return formatPercent(x, 2);
  return formatNumber(x + 0, unit === "USD" ? 0 : 1); // + 0: a −0 total prints as 0
}

/** The table of `headline`: metric and value, with the interval column when `intervals` (Monte Carlo). */
export function renderHeadlineTable(headline: readonly HeadlineMetric[], intervals: boolean): string {
  const rows = headline.map((h) => [
    h.label,
    formatMetric(h.unit, h.value),
    ...(intervals
      ? [h.lower === null ? "—" : `[${formatMetric(h.unit, h.lower)}, ${formatMetric(h.unit, h.upper)}]`]
      : []),
  ]);
  return renderTable(intervals ? ["metric", "mean", "95 % interval"] : ["metric", "value"], rows, {
    rightAlign: intervals ? [1, 2] : [1],
  });
}

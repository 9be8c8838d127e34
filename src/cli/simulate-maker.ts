/**
 * `liqopt simulate` on a Maker scenario (`"kind": "maker"`): the table, the warning line when the
 * configuration is not the reconciled one, and the HTML report with the day's chart. The run is the
 * library call `simulateMakerScenario` (src/sim/venue/maker-scenario-report.ts).
 */
import { lineChart } from "../report/index.js";
import type { MakerHeadline, MakerScenarioReport } from "../sim/venue/maker-scenario-report.js";
import { formatNumber, formatPercent, renderTable } from "./io.js";
import { renderSimulatePage } from "./simulate-page.js";

const show = (unit: MakerHeadline["unit"], x: number) =>
  unit === "share"
    ? formatPercent(x, 1)
    : formatNumber(x + 0, unit === "ETH" ? 1 : unit === "DAI per MKR" ? 2 : 0);

/** Headlines as a table: each beside the published figure when there is one. */
const headlineTable = (rows: readonly MakerHeadline[]) =>
  renderTable(
    ["metric", "simulated", "published"],
    rows.map((h) => [h.label, show(h.unit, h.value), h.published === null ? "—" : show(h.unit, h.published)]),
    { rightAlign: [1, 2] },
  );

/** The debt auctions' block, when the scenario asked for them. */
function renderDebtAuctions(r: MakerScenarioReport): string[] {
  const f = r.debtAuctions;
  if (f === undefined) return [];
  return [
    `debt auctions (flop, dss ${f.flopper}) after the day: ${f.bidders} MKR bidders asking ${formatPercent(f.margin, 1)}`,
    headlineTable(f.headline),
    f.withinTolerance ? `debt auctions: ${f.note}` : `warning: debt auctions ${f.note}`,
  ];
}

/** The table of a Maker run: each headline beside the published figure when there is one. */
export function renderMakerSimulate(r: MakerScenarioReport): string {
  const k = r.keepers;
  const c = r.conditions;
  return [
    `Maker ${r.event} replay, mechanism ${r.mechanism}; seed ${r.seed}`,
    `keepers: ${k.opportunists} opportunist, ${k.gasAware} gas-aware, ${k.stock} stock (gas cap ${k.stockGasCapGwei} gwei), ${formatNumber(k.capitalDai, 0)} DAI each, margin ${formatPercent(k.margin, 1)}; conditions: gas × ${c.gasMultiplier}, tx failure ${formatPercent(c.txFailure, 1)}, won ETH back as DAI ${c.recycleSeconds === null ? "never" : `after ${c.recycleSeconds} s`}, withdrawal beyond a ${formatPercent(c.withdrawalDrop, 1)} fall`,
    headlineTable(r.headline),
    r.reconciliation.reconciled
      ? `reconciled: ${r.reconciliation.note}`
      : `warning: ${r.reconciliation.note}`,
    ...renderDebtAuctions(r),
  ].join("\n");
}

/** The HTML report: the table and ETH, the OSM, kicks and the mean price paid per ETH by the quarter hour. */
export function renderMakerSimulateHtml(r: MakerScenarioReport): string {
  const q = r.quarterHours;
  const x = Float64Array.from(q, (h) => h.tMs);
  const chart = lineChart({
    title: `Maker ETH-A ${r.event}, ${r.mechanism}: ETH, the OSM and the mean price paid per ETH (per 15 min)`,
    series: [
      { name: "ETH", x, y: Float64Array.from(q, (h) => h.ethDai) },
      { name: "OSM price", x, y: Float64Array.from(q, (h) => h.osmDai), step: true, dashed: true },
    ],
    markers: [
      {
        name: "auctions kicked (at the OSM price; label = count)",
        shape: "triangle-down",
        points: q
          .filter((h) => h.kicked > 0)
          .map((h) => ({ x: h.tMs, y: h.osmDai, label: String(h.kicked) })),
      },
      {
        name: "mean price paid per ETH",
        shape: "circle",
        points: q.flatMap((h) => (h.paidPerEth === null ? [] : [{ x: h.tMs, y: h.paidPerEth }])),
      },
    ],
    x: { title: "UTC", scale: "time" },
    y: { title: "DAI (≈ USD) per ETH", min: 0 },
    width: 1100,
    height: 520,
  });
  return renderSimulatePage(" (Maker)", `Maker ${r.event} replay: ${r.mechanism}`, renderMakerSimulate(r), [
    chart,
  ]);
}

/**
 * Reproduces the tables of docs/maker-reconciliation.md (between its `results` markers) and
 * docs/figures/maker-black-thursday.svg:
 *
 *   npm run report:maker
 *
 * Maker's Black Thursday (2020-03-12/13) replayed on the bundled hourly ETHUSDT candles with the day's
 * ETH-A parameters (src/sim/venue/black-thursday.ts), checked against the published figures and swept
 * over the keepers' failure conditions (src/sim/venue/black-thursday-reconciliation.ts). Seeded: two
 * runs give identical files. Slow on purpose (15 full-day runs).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fromFixed } from "../src/math/fixed-point.js";
import { lineChart } from "../src/report/index.js";
import {
  BLACK_THURSDAY_DEFAULTS as D,
  fitVaultCount,
  readEthHourly,
} from "../src/sim/venue/black-thursday.js";
import {
  BLACK_THURSDAY_SCENARIOS,
  BLACK_THURSDAY_TOLERANCE_FACTOR,
  checkHeadlines,
  BLACK_THURSDAY_PUBLISHED as P,
  sweepBlackThursday,
} from "../src/sim/venue/black-thursday-reconciliation.js";
import { makerDayMarket } from "../src/sim/venue/maker-day-market.js";
import { writeResults } from "./doc-results.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const M = (x: number) => (x / 1e6).toFixed(2);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const hhmm = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace("T", " ");

const sweep = sweepBlackThursday(BLACK_THURSDAY_SCENARIOS);
const [day, counterfactual] = sweep;
if (day === undefined || counterfactual === undefined) throw new Error("the sweep lacks the day");
const r = day.result;
const market = makerDayMarket(readEthHourly(), D.market);
const fitted = fitVaultCount(D.population, market, D.day, P.auctions);
const f = D.day.flipper;
const lines: string[] = [];

lines.push(
  "### Parameters of the run",
  "",
  "| parameter | value |",
  "|---|---|",
  `| Flipper (dss ${f.version}) | beg ${fromFixed(f.beg, 18)}, ttl ${f.ttl} s, tau ${Number(f.tau) / 3600} h |`,
  `| Cat | chop ${fromFixed(D.day.cat.chop, 27)}, lump ${fromFixed(D.day.cat.lump, 18)} ETH; mat ${D.day.liquidationRatio} |`,
  `| window | bites ${hhmm(D.market.fromMs)} → ${hhmm(D.day.biteUntilMs)} UTC, auctions to ${hhmm(D.market.toMs)} |`,
  `| OSM delay | ${D.market.osmDelaySeconds} s |`,
  `| gas by the hour's range | ${D.market.baseGwei} gwei (< ${pct(D.market.stressRange)}), ${D.market.stressGwei} (≥ ${pct(D.market.stressRange)}), ${D.market.peakGwei} (≥ ${pct(D.market.peakRange)}) |`,
  `| bridge | wick clip ${D.market.wickClip}×; clipped bars: ${market.clippedBars.map(hhmm).join(", ") || "none"} |`,
  `| population | ${int(D.population.count)} vaults (fitted: ${int(fitted)}) + the largest, ${int(D.population.largestEth)} ETH at ${D.population.largestRatio}; ink Pareto α ${D.population.tailIndex} from ${D.population.minEth} ETH; ratio lognormal median ${D.population.ratioMedian}, σ ${D.population.ratioSigma}, floor ${D.population.floorRatio} |`,
  `| keepers | ${D.roster.opportunists} opportunist (increment bids, any gas), ${D.roster.gasAware} gas-aware and ${D.roster.stock} stock keepers (reservation bids, margin ${pct(D.roster.margin)}, ${int(D.roster.capitalDai)} DAI each; stock gas cap ${D.roster.stockGasCapGwei} gwei; ${D.roster.gasUnits.toLocaleString("en-US")} gas a bid; withdraw under stress: ${D.roster.withdrawUnderStress}) |`,
  `| conditions | tx failure ${pct(D.conditions.txFailure)}; won ETH back to DAI: ${D.conditions.recycleSeconds === null ? "not within the run" : `${D.conditions.recycleSeconds} s`}; withdrawal beyond a ${pct(D.conditions.withdrawalDrop)} fall in an hour; seed ${D.day.seed} |`,
  "",
  "### The day against the published figures",
  "",
  `Tolerance, stated before the run: each headline within a factor of ${BLACK_THURSDAY_TOLERANCE_FACTOR} of the published figure.`,
  "",
  "| headline | simulated | published | ratio | within ×3 |",
  "|---|---|---|---|---|",
);
for (const c of checkHeadlines(r)) {
  const show = c.name === "zero-bid share" ? pct : M;
  const unit = c.name === "zero-bid share" ? "" : " M";
  lines.push(
    `| ${c.name} | ${show(c.simulated)}${unit} | ${show(c.published)}${unit} | ${c.ratio.toFixed(2)} | ${c.withinTolerance ? "pass" : "**FAIL**"} |`,
  );
}
lines.push(
  `| auctions kicked | ${int(r.kicked)} | ${int(P.auctions)} | ${(r.kicked / P.auctions).toFixed(3)} | (fitted) |`,
  "",
  `Vaults bitten: ${int(r.vaultsBitten)}; ETH auctioned: ${int(r.liquidatedEth)}; zero-bid auctions: ${int(r.zeroBid)} for ${int(r.zeroBidEth)} ETH; debt and penalty not recovered: ${M(r.uncoveredTabDai)} M DAI; open at the end: ${r.openAtEnd}.`,
  "",
  "### Which conditions are needed (the sweep)",
  "",
  "| scenario | zero-bid share | zero-bid auctions | ETH for 0 DAI | ETH for 0 DAI (USD M) | uncovered debt (DAI M) | debt + penalty not recovered (DAI M) | open at end | keeper-minutes priced out | failed bids |",
  "|---|---|---|---|---|---|---|---|---|---|",
);
for (const o of sweep) {
  const x = o.result;
  lines.push(
    `| ${o.scenario.name} | ${pct(x.zeroBidShare)} | ${int(x.zeroBid)} | ${int(x.zeroBidEth)} | ${M(x.zeroBidUsd)} | ${M(x.uncoveredDebtDai)} | ${M(x.uncoveredTabDai)} | ${x.openAtEnd} | ${int(x.pricedOutKeeperMinutes)} | ${int(x.failedBids)} |`,
  );
}

const HOUR = 3_600_000;
lines.push(
  "",
  "### The day by hour (UTC) of the kick",
  "",
  "| hour | ETH open | OSM | gas (gwei) | auctions kicked | zero-bid | zero-bid share |",
  "|---|---|---|---|---|---|---|",
);
for (let h = 0; h * 60 < market.time.length; h++) {
  const from = D.market.fromMs + h * HOUR;
  const kicked = r.auctions.filter((a) => a.kickedMs >= from && a.kickedMs < from + HOUR);
  if (kicked.length === 0) continue;
  const zero = kicked.filter((a) => a.zeroBid).length;
  lines.push(
    `| ${hhmm(from)} | ${(market.price[h * 60] as number).toFixed(2)} | ${(market.osm[h * 60] as number).toFixed(2)} | ${market.gasGwei[h * 60]} | ${kicked.length} | ${zero} | ${pct(zero / kicked.length)} |`,
  );
}
lines.push("", "![ETH price, OSM price, kicks and winning bids](figures/maker-black-thursday.svg)", "");

// The chart: ETH and OSM by minute; per 15 minutes, the kicks (at the OSM price) and the mean price paid per ETH.
const BUCKET = 15 * 60_000;
const buckets = new Map<number, { kicks: number; zero: number; paid: number; eth: number }>();
const bucketOf = (ms: number) => {
  const k = Math.floor(ms / BUCKET) * BUCKET;
  const b = buckets.get(k) ?? { kicks: 0, zero: 0, paid: 0, eth: 0 };
  buckets.set(k, b);
  return b;
};
for (const a of r.auctions) {
  bucketOf(a.kickedMs).kicks++;
  if (a.dealtMs === null) continue;
  const b = bucketOf(a.dealtMs);
  if (a.zeroBid) b.zero++;
  else {
    b.paid += a.raisedDai;
    b.eth += a.soldEth;
  }
}
const osmAt = (ms: number) =>
  market.osm[Math.min(market.time.length - 1, Math.round((ms - D.market.fromMs) / 60_000))] as number;
const entries = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
writeFileSync(
  `${ROOT}docs/figures/maker-black-thursday.svg`,
  lineChart({
    title: "Maker ETH-A, 2020-03-12/13: ETH, the OSM price, kicks and winning bids (per 15 min)",
    series: [
      { name: "ETH (hourly candles bridged to minutes)", x: market.time, y: market.price },
      { name: "OSM price (one hour behind)", x: market.time, y: market.osm, step: true, dashed: true },
    ],
    markers: [
      {
        name: "auctions kicked (at the OSM price; label = count)",
        shape: "triangle-down",
        points: entries
          .filter(([, b]) => b.kicks > 0)
          .map(([t, b]) => ({ x: t, y: osmAt(t), label: String(b.kicks) })),
      },
      {
        name: "mean winning bid per ETH bought (DAI)",
        shape: "circle",
        points: entries.filter(([, b]) => b.eth > 0).map(([t, b]) => ({ x: t, y: b.paid / b.eth })),
      },
      {
        name: "zero-bid wins (at 0 DAI; label = count)",
        shape: "cross",
        color: "#d62728",
        points: entries
          .filter(([, b]) => b.zero > 0)
          .map(([t, b]) => ({ x: t, y: 0, label: String(b.zero) })),
      },
    ],
    x: { title: "UTC", scale: "time" },
    y: { title: "DAI (≈ USD) per ETH", min: 0 },
    width: 1100,
    height: 520,
  }),
);

const doc = `${ROOT}docs/maker-reconciliation.md`;
writeResults(doc, lines);
process.stderr.write(`wrote ${doc} and docs/figures/maker-black-thursday.svg\n`);

/**
 * Reproduces the tables of docs/lending-reconciliation.md (between its `results` markers) and its two
 * figures:
 *
 *   npm run report:lending
 *
 * Aave v3 on 2025-10-10 replayed with the lending engine on the bundled BTCUSDT 1-minute closes
 * (src/sim/venue/lending-reconciliation.ts): the population scale fitted to the published liquidated
 * volume, the bonus and treasury share checked, the deficit's origin shown against fresh oracles and a
 * sweep of the thin asset's oracle latency. Seeded: two runs give identical files.
 */
import { lineChart } from "../src/report/index.js";
import {
  checkLendingDay,
  AAVE_2025_10_10 as D,
  fitTotalDebt,
  laggingDeficitUsd,
  AAVE_2025_10_10_PUBLISHED as P,
  readBtcCrashCloses,
  runLendingDay,
  LENDING_TOLERANCE as TOL,
} from "../src/sim/venue/lending-reconciliation.js";
import {
  utcHhmm as hhmm,
  count as int,
  millions as M,
  percent as pct,
  UTC_AXIS,
  writeFigure,
  writeReportPage,
} from "./report-kit.js";

const { time, close } = readBtcCrashCloses();
const fitted = fitTotalDebt(D, close, P.liquidatedUsd);
const day = runLendingDay(D, close);
const fresh = runLendingDay(D, close, "fresh");
const t = day.replay.totals;
const lines: string[] = [];

lines.push(
  "### Parameters of the run",
  "",
  "| asset | LT | bonus | path on the BTC closes | oracle | collateral weight | debt weight |",
  "|---|---|---|---|---|---|---|",
);
for (const a of D.assets) {
  const path =
    a.path.crash === undefined
      ? `β ${a.path.beta.toFixed(2)}`
      : `β ${a.path.beta.toFixed(2)}, own crash −${pct(a.path.crash.depth)} over ${a.path.crash.steps} min from ${hhmm(time[a.path.crash.fromStep] as number)} UTC`;
  const o = a.oracle;
  const oracle =
    o.kind === "fresh"
      ? "fresh"
      : `push ${pct(o.deviation)} / ${o.heartbeatSeconds} s${o.latencySeconds ? `, latency ${o.latencySeconds} s` : ""}${a.lagging ? " (lagging)" : ""}`;
  lines.push(
    `| ${a.symbol} | ${pct(a.liquidationThreshold)} | ${pct(a.liquidationBonus)} (fee ${pct(a.protocolFeeShare)} of it) | ${path} | ${oracle} | ${a.collateralWeight} | ${a.debtWeight} |`,
  );
}
const pop = D.population;
lines.push(
  "",
  `Population: ${int(pop.count)} accounts, debt sizes truncated Pareto α ${pop.size.tailIndex} on [${int(pop.size.minUsd)}, ${int(pop.size.maxUsd)}] USD scaled to **${M(pop.totalDebtUsd)} M USD of debt (fitted; this run's fit gives ${M(fitted)} M)**, HF = ${pop.healthFactor.min} + lognormal (median ${pop.healthFactor.median}, σ ${pop.healthFactor.sigma}), a second collateral for ${pct(pop.secondCollateralShare)} of accounts; gas ${D.gasUsdPerCall} USD a call, at most ${D.callsPerStep} calls per account a minute; seed ${D.seed}; ${day.replay.steps} one-minute steps from ${new Date(time[0] as number).toISOString().slice(0, 16)} UTC.`,
  "",
  "### The day against the published figures",
  "",
  `Tolerance, stated before the run: liquidated volume (fitted) within ${pct(TOL.liquidatedRelative)}; bonus and treasury share (not fitted) within a factor ${TOL.bonusFactor}; deficit qualitative — positive, only from accounts holding lagging-oracle collateral, and ≤ ${pct(TOL.freshDeficitShare)} of itself with fresh oracles.`,
  "",
  "| headline | simulated (M USD) | published (M USD) | rule | result |",
  "|---|---|---|---|---|",
);
for (const c of checkLendingDay(D, day, fresh))
  lines.push(
    `| ${c.name} | ${M(c.simulated)} | ${c.published === 0 ? "—" : `≈${M(c.published)}`} | ${c.rule} | ${c.pass ? "pass" : "**FAIL**"} |`,
  );
lines.push(
  "",
  `Calls: ${int(t.calls)}; skipped as unprofitable at the market: ${int(t.unprofitable)} account-steps; accounts written off: ${int(t.deficitAccounts)}; liquidators' result ${M(t.liquidatorPnlUsd)} M USD after ${M(t.gasUsd)} M of gas; bad debt left on the book at the last prices: ${M(day.replay.underwaterUsd)} M USD; toxic calls: ${t.toxicCalls}; ledger imbalance ${day.replay.ledgerImbalance.toExponential(1)}.`,
  "",
  "Debt repaid by the collateral seized:",
  "",
  "| collateral | repaid (M USD), day | repaid (M USD), fresh oracles |",
  "|---|---|---|",
);
D.assets.forEach((a, i) => {
  if (a.collateralWeight > 0)
    lines.push(
      `| ${a.symbol} | ${M(day.replay.repaidUsdByCollateral[i] as number)} | ${M(fresh.replay.repaidUsdByCollateral[i] as number)} |`,
    );
});
lines.push(
  "",
  "### Where the deficit comes from: the thin asset's oracle latency",
  "",
  "| thin asset's oracle | deficit (M USD) | of it, accounts with lagging collateral | accounts written off |",
  "|---|---|---|---|",
);
const thin = D.assets.findIndex((a) => a.lagging);
const thinOracle = D.assets[thin]?.oracle;
const sweep: [string, ReturnType<typeof runLendingDay>][] = [["fresh (every asset)", fresh]];
if (thinOracle?.kind === "push")
  for (const latencySeconds of [0, 300, 900, 1_800]) {
    const o = {
      ...D,
      assets: D.assets.map((a, i) => (i === thin ? { ...a, oracle: { ...thinOracle, latencySeconds } } : a)),
    };
    sweep.push([
      `push ${pct(thinOracle.deviation)}, latency ${latencySeconds} s${latencySeconds === thinOracle.latencySeconds ? " (the day)" : ""}`,
      runLendingDay(o, close),
    ]);
  }
for (const [name, run] of sweep)
  lines.push(
    `| ${name} | ${M(run.replay.totals.deficitUsd)} | ${M(laggingDeficitUsd(D, run))} | ${int(run.replay.totals.deficitAccounts)} |`,
  );
lines.push(
  "",
  "![Market and oracle prices of WETH and the thin asset](figures/lending-2025-10-10-prices.svg)",
  "",
  "![Cumulative debt repaid and deficit, day and fresh oracles](figures/lending-2025-10-10-liquidations.svg)",
  "",
);

// Figures: 20:30–22:30 UTC, prices relative to 12:00; cumulative repaid and deficit.
const from = 510;
const to = 630;
const win = (x: Float64Array) => x.subarray(from, to);
const rel = (x: Float64Array) => Float64Array.from(win(x), (v) => v / (x[0] as number));
const weth = D.assets.findIndex((a) => a.symbol === "WETH");
const x = win(time);
writeFigure(
  "lending-2025-10-10-prices.svg",
  lineChart({
    title: "2025-10-10: market and oracle prices (relative to 12:00 UTC)",
    series: [
      { name: "WETH market", x, y: rel(day.market[weth] as Float64Array) },
      {
        name: "WETH oracle (push 0.5 %)",
        x,
        y: rel(day.oracle[weth] as Float64Array),
        step: true,
        dashed: true,
      },
      { name: "thin asset market", x, y: rel(day.market[thin] as Float64Array) },
      {
        name: "thin asset oracle (lagging)",
        x,
        y: rel(day.oracle[thin] as Float64Array),
        step: true,
        dashed: true,
      },
    ],
    x: UTC_AXIS,
    y: { title: "price / price at 12:00", min: 0 },
    width: 1000,
    height: 460,
  }),
);
const cumulative = (s: Float64Array) => {
  const out = new Float64Array(s.length);
  let sum = 0;
  s.forEach((v, i) => {
    sum += v / 1e6;
    out[i] = sum;
  });
  return out.subarray(from, to);
};
writeFigure(
  "lending-2025-10-10-liquidations.svg",
  lineChart({
    title: "2025-10-10: cumulative debt repaid and deficit (M USD)",
    series: [
      { name: "repaid, the day", x, y: cumulative(day.replay.repaidUsd) },
      { name: "repaid, fresh oracles", x, y: cumulative(fresh.replay.repaidUsd), dashed: true },
      { name: "deficit × 10, the day", x, y: cumulative(day.replay.deficitUsd).map((v) => 10 * v) },
      {
        name: "deficit × 10, fresh oracles",
        x,
        y: cumulative(fresh.replay.deficitUsd).map((v) => 10 * v),
        dashed: true,
      },
    ],
    x: UTC_AXIS,
    y: { title: "M USD", min: 0 },
    width: 1000,
    height: 460,
  }),
);

writeReportPage("lending-reconciliation.md", lines, "docs/figures/lending-2025-10-10-*.svg");

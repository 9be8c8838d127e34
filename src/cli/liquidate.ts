import type { Command } from "@commander-js/extra-typings";
import type { DriftLiquidateReport } from "../venues/drift/liquidate-report.js";
import { getVenue } from "../venues/index.js";
import type { AaveLiquidateReport } from "../venues/lending/aave-v3.js";
import type { CometAbsorbReport } from "../venues/lending/compound-v3.js";
import type { MakerLiquidateReport } from "../venues/lending/maker.js";
import {
  isLendingVenueKey,
  LENDING_VENUES,
  type LendingVenueKey,
  type LendingVenueTypesOf,
} from "../venues/lending/registry.js";
import type { TokenAmount } from "../venues/lending/venue.js";
import { type LiquidateReport, liquidateReport } from "../venues/liquidate-report.js";
import type { PerpLiquidateReport } from "../venues/perp-liquidation-report.js";
import { renderGmxLiquidate } from "./gmx.js";
import { formatNumber, formatPercent, parseJson, readInput, renderTable, toJson, writeOut } from "./io.js";
import { driftAccountRows } from "./liq-price.js";

/** The readable form of a {@link MakerLiquidateReport}. */
export function renderMakerLiquidate(r: MakerLiquidateReport): string {
  const out = [`${LENDING_VENUES.maker.name}: Dog.bark + Clipper.kick, ilk ${r.ilk}`, ""];
  const lp = r.liquidationPrice === null ? "none" : formatNumber(r.liquidationPrice);
  if (r.revert !== null || r.bark === null || r.kick === null || r.curve === null) {
    out.push(
      `Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactor.exact}, liquidation price ${lp}.`,
    );
    return out.join("\n");
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  const b = r.bark;
  out.push(
    "",
    renderTable(
      [],
      [
        ["Health factor before", r.healthFactor.exact],
        [`Liquidation price (${r.symbol})`, lp],
        [`Collateral seized (${r.symbol})`, b.collateralSeized],
        ["Debt confiscated (DAI)", b.debtConfiscated],
        ["Tab to raise (DAI)", b.tab],
        ["Liquidation penalty (DAI)", b.penalty],
        ["Partial", b.partial ? (b.forcedFull ? "no (remnant would be dusty)" : "yes") : "no"],
        [`Vault after (${r.symbol} / DAI)`, `${b.vaultAfter.collateral} / ${b.vaultAfter.debt}`],
        ["Keeper incentive (DAI)", r.kick.keeperIncentive],
      ],
      { rightAlign: [1] },
    ),
    "",
    `Auction price (stairstep: ×${r.curve.cut} every ${r.curve.step} s; reset after ${r.curve.tail} s or below ${formatPercent(r.curve.cusp)} of top):`,
    renderTable(
      ["When", "Seconds", "Price", "Of top", "Needs reset"],
      r.curve.points.map((p) => [
        p.label,
        String(p.seconds),
        formatNumber(p.price),
        formatPercent(p.fractionOfTop),
        p.needsReset ? "yes" : "no",
      ]),
      { rightAlign: [1, 2, 3] },
    ),
  );
  if (r.curve.cuspReachedAfter === null) out.push("The price never falls below the cusp.");
  return out.join("\n");
}

const tokens = (t: TokenAmount) => `${t.amount} ${t.symbol} ($${formatNumber(t.usd)})`;

/** The readable form of an {@link AaveLiquidateReport}. */
export function renderAaveLiquidate(r: AaveLiquidateReport): string {
  const out = [
    `${LENDING_VENUES["aave-v3"].name}: liquidationCall(collateral ${r.collateral}, debt ${r.debt || "—"}, debtToCover ${r.debtToCoverRequested}), ${r.market}, Pool rules v${r.version}`,
    "",
  ];
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s.name} = ${s.value}: ${s.note}`);
  });
  if (r.revert !== null) {
    out.push("", `Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactorBefore}.`);
    return out.join("\n");
  }
  out.push(
    "",
    renderTable(
      [],
      [
        ["Debt repaid", tokens(r.debtRepaid)],
        ["Collateral seized", tokens(r.collateralSeized)],
        ["Liquidation bonus", tokens(r.bonus)],
        ["Protocol fee (treasury)", tokens(r.protocolFee)],
        ["Liquidator receives", tokens(r.liquidatorReceives)],
        ["Liquidator profit", `$${formatNumber(r.liquidatorProfitUsd)}`],
        ["Deficit (bad debt)", r.deficit.length === 0 ? "none" : r.deficit.map(tokens).join(", ")],
        ...(r.isolation === null
          ? []
          : [
              [
                `Isolated debt of ${r.isolation.collateral} (USD)`,
                `${formatNumber(r.isolation.totalDebtBeforeUsd)} → ${formatNumber(r.isolation.totalDebtAfterUsd)}`,
              ],
            ]),
        ["Health factor before", r.healthFactorBefore],
        ["Health factor after", r.healthFactorAfter],
      ],
      { rightAlign: [1] },
    ),
  );
  return out.join("\n");
}

/** The readable form of a {@link CometAbsorbReport}. */
export function renderCometAbsorb(r: CometAbsorbReport): string {
  const out = [`${LENDING_VENUES["compound-v3"].name}: absorb, ${r.market}`, ""];
  if (r.revert !== null) {
    out.push(`Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactor.exact}.`);
    return out.join("\n");
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  out.push(
    "",
    renderTable(
      ["Seized", "Amount", "Value", "Liq. factor", "Credit", "Store-front discount"],
      r.seized.map((s) => [
        s.symbol,
        s.amount,
        formatNumber(s.usd),
        formatPercent(s.liquidationFactor),
        formatNumber(s.creditUsd),
        formatPercent(s.storeFrontDiscount),
      ]),
      { rightAlign: [1, 2, 3, 4, 5] },
    ),
    "",
    renderTable(
      [],
      [
        ["Health factor before", r.healthFactor.exact],
        [`Balance before (${r.baseSymbol})`, r.balanceBefore],
        [`Credit (${r.baseSymbol})`, r.credit],
        [`Balance after (${r.baseSymbol})`, r.balanceAfter],
        [`Shortfall absorbed by reserves (${r.baseSymbol})`, r.shortfall],
        ["Paid out of reserves", tokens(r.basePaidOut)],
        [`Reserves (${r.baseSymbol})`, `${r.reservesBefore} → ${r.reservesAfter}`],
      ],
      { rightAlign: [1] },
    ),
  );
  const sf = r.storeFront;
  if (sf !== null)
    out.push(
      "",
      `Store-front sale of the seized collateral (buyCollateral, open while reserves < target ${sf.targetReserves} ${r.baseSymbol}):`,
      renderTable(
        [
          "Asset",
          "For sale",
          "Discount",
          `Paid (${r.baseSymbol})`,
          "Sold",
          "Left with protocol",
          "Reserves after",
        ],
        sf.lots.map((l) => [
          l.symbol,
          l.forSale ? "yes" : "no (reserves ≥ target)",
          formatPercent(l.discount),
          l.basePaid,
          l.collateralSold,
          l.collateralLeft,
          l.reservesAfter,
        ]),
        { rightAlign: [2, 3, 4, 5, 6] },
      ),
      `Protocol recovers ${tokens(sf.baseRecovered)}; net to reserves after absorb and sale: ${sf.netToReserves} ${r.baseSymbol} (reserves ${sf.reservesAfter}).`,
    );
  return out.join("\n");
}

/** The readable form of a {@link PerpLiquidateReport}. */
export function renderPerpLiquidate(r: PerpLiquidateReport, venueName: string): string {
  const asset = r.marginAsset ?? "";
  const out = [
    `${venueName} (${r.venue}), ${r.marginMode} margin${asset === "" ? "" : `, amounts in ${asset}`}`,
    "",
  ];
  if (r.positions.length === 0) {
    out.push("Nothing to liquidate: no position is liquidatable.");
    return out.join("\n");
  }
  for (const p of r.positions) {
    out.push(`Liquidation of #${p.position} ${p.symbol} (${p.side}, size ${formatNumber(p.size, 8)}):`);
    p.steps.forEach((s, k) => {
      out.push(`  ${k + 1}. ${s.action} (${formatPercent(s.fraction, 1)} of the position): ${s.note}`);
    });
    const fund = (x: number | null) =>
      x === null ? "— (no bankruptcy price)" : `${x >= 0 ? "gains" : "pays"} ${formatNumber(Math.abs(x))}`;
    out.push(
      renderTable(
        [],
        [
          ["Mark price", formatNumber(p.markPrice)],
          ["Liquidation price", p.liquidationPrice === null ? "none" : formatNumber(p.liquidationPrice)],
          ["Bankruptcy price", p.bankruptcyPrice === null ? "none" : formatNumber(p.bankruptcyPrice)],
          ["Notional", formatNumber(p.notional)],
          ...fillRows(p),
          ["Insurance fund, closed at bankruptcy price", fund(p.insuranceFund.closedAtBankruptcy)],
          ["Insurance fund, closed at the mark", fund(p.insuranceFund.closedAtMark)],
        ],
        { rightAlign: [1] },
      ),
      "",
    );
  }
  return out.join("\n").trimEnd();
}

/** The fee row, and where the venue prices its liquidation order, the fillable price and spread before it. */
function fillRows(p: PerpLiquidateReport["positions"][number]): [string, string][] {
  const rate = formatPercent(p.liquidationFeeRate, 3);
  if (p.fill === null)
    return [["Liquidation fee", `${formatNumber(p.liquidationFee)} (${rate} of notional)`]];
  const f = p.fill;
  const capped = f.fee < f.quote * p.liquidationFeeRate * (1 - 1e-12);
  return [
    ["Fillable price", formatNumber(f.fillablePrice)],
    ["Spread to the mark", formatPercent(f.spread, 3)],
    [
      "Liquidation fee",
      capped
        ? `${formatNumber(f.fee)} (capped at what is left above bankruptcy; ${rate} of the fill: ${formatNumber(f.quote * p.liquidationFeeRate)})`
        : `${formatNumber(f.fee)} (${rate} of the fill)`,
    ],
  ];
}

const DRIFT_OUTCOMES: Record<DriftLiquidateReport["outcome"], string> = {
  "not-liquidatable": "not liquidatable: total collateral covers the maintenance requirement",
  "exited-liquidation": "the user leaves liquidation (TC ≥ MR + buffer)",
  bankrupt: "every position is gone and the account is negative: bankruptcy resolved",
  "positions-closed": "every position is gone; the account stays solvent",
  stalled: "no liquidator call can take more (speed limit at 100 % and nothing freeable)",
};

/** The readable form of a {@link DriftLiquidateReport}. */
export function renderDriftLiquidate(r: DriftLiquidateReport): string {
  const out = ["Drift v2 (drift-v2): liquidate_perp sequence, amounts in USDC", ""];
  if (!r.liquidatable) {
    out.push(`Nothing to liquidate: ${DRIFT_OUTCOMES[r.outcome]}.`);
    return out.join("\n");
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  out.push(
    "",
    renderTable(
      [
        "Slot",
        "Market",
        "Shortage",
        "Liq. fee",
        "IF fee",
        "Base to cover",
        "Speed limit",
        "Base taken",
        "At price",
        "Liq. fee paid",
        "IF fee paid",
        "Shortage after",
      ],
      r.calls.map((c) => [
        `+${c.slotsElapsed}`,
        c.symbol,
        formatNumber(c.marginShortageBefore),
        formatPercent(c.liquidatorFee, 4),
        formatPercent(c.ifFee, 4),
        c.baseToCoverMarginShortage === null ? "all" : formatNumber(c.baseToCoverMarginShortage, 9),
        formatPercent(c.maxPctAllowed),
        formatNumber(c.baseTaken, 9),
        formatNumber(c.transferPrice),
        formatNumber(c.liquidatorFeePaid),
        formatNumber(c.ifFeePaid),
        formatNumber(c.marginShortageAfter),
      ]),
      { rightAlign: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    ),
  );
  const b = r.bankruptcy;
  if (b !== null)
    out.push(
      "",
      `Bankruptcy (${b.symbol})`,
      renderTable(
        [],
        [
          ["Loss", formatNumber(b.loss)],
          ["Paid by the insurance fund", formatNumber(b.ifPayment)],
          ["Paid by the fee pool", formatNumber(b.feePoolPayment)],
          ["Socialised", formatNumber(b.socializedLoss)],
          ["Cumulative funding shift per base", formatNumber(b.cumulativeFundingRateDelta, 9)],
        ],
        { rightAlign: [1] },
      ),
    );
  out.push(
    "",
    `Outcome: ${DRIFT_OUTCOMES[r.outcome]}.`,
    renderTable(
      ["", "Before", "After"],
      driftAccountRows(r.before).map((row, i) => [...row, driftAccountRows(r.after)[i]?.[1] ?? ""]),
      { rightAlign: [1, 2] },
    ),
  );
  return out.join("\n");
}

/** The readable form of each lending venue's `liquidate` report. */
const RENDERERS: { [K in LendingVenueKey]: (r: LendingVenueTypesOf<K>["liquidate"]) => string } = {
  "aave-v3": renderAaveLiquidate,
  "compound-v3": renderCometAbsorb,
  maker: renderMakerLiquidate,
  "drift-v2": renderDriftLiquidate,
};

/** The readable form of any {@link LiquidateReport}: its venue's renderer (the perpetual one by default). */
function renderLiquidate(r: LiquidateReport): string {
  if ("order" in r) return renderGmxLiquidate(r);
  if (!isLendingVenueKey(r.venue)) {
    const perp = r as PerpLiquidateReport;
    return renderPerpLiquidate(perp, getVenue(perp.venue).name);
  }
  // the report's `venue` names the venue that built it, so its renderer takes it
  return (RENDERERS[r.venue] as (report: LiquidateReport) => string)(r);
}

/** Registers `liqopt liquidate --input <file|-> [--collateral S] [--debt S] [--debt-to-cover X] [--json]`. */
export function registerLiquidate(program: Command): void {
  program
    .command("liquidate")
    .description("step-by-step outcome of liquidating an account under its venue's procedure")
    .requiredOption("-i, --input <file>", "account document (perp, lending, Drift v2 or GMX v2); - for stdin")
    .option("--collateral <symbol>", "Aave: collateral to seize (default: the largest by value)")
    .option("--debt <symbol>", "Aave: debt to repay (default: the largest by value)")
    .option("--debt-to-cover <amount>", "Aave: debt tokens to repay, or max (default: max allowed)")
    .option("--json", "print one JSON object instead of tables")
    .action(async (opts) => {
      const raw = parseJson(await readInput(opts.input));
      const r = liquidateReport(raw, {
        ...(opts.collateral === undefined ? {} : { collateral: opts.collateral }),
        ...(opts.debt === undefined ? {} : { debt: opts.debt }),
        ...(opts.debtToCover === undefined ? {} : { debtToCover: opts.debtToCover }),
      });
      writeOut(opts.json === true ? toJson(r) : renderLiquidate(r));
    });
}

import type { Command } from "@commander-js/extra-typings";
import { type LiquidateOutcome, liquidateOutcome } from "../venues/liquidate-report.js";
import type { PerpLiquidateReport } from "../venues/perp-liquidation-report.js";
import {
  formatNumber,
  formatPercent,
  parseJson,
  readInput,
  renderReadable,
  renderTable,
  toJson,
  writeOut,
} from "./io.js";

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

/** The readable form of a {@link LiquidateOutcome}: a perpetual account's drawn here, any other's from its text. */
function renderLiquidate(o: LiquidateOutcome): string {
  if (o.kind === "perp") return renderPerpLiquidate(o.report, o.venueName);
  return renderReadable(o.text());
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
      const outcome = liquidateOutcome(raw, {
        ...(opts.collateral === undefined ? {} : { collateral: opts.collateral }),
        ...(opts.debt === undefined ? {} : { debt: opts.debt }),
        ...(opts.debtToCover === undefined ? {} : { debtToCover: opts.debtToCover }),
      });
      writeOut(opts.json === true ? toJson(outcome.report) : renderLiquidate(outcome));
    });
}

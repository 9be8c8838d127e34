import type { Command } from "@commander-js/extra-typings";
import { type AnyLendingVenueTypes, lendingVenueOf } from "../venues/lending/registry.js";
import { sideLabel } from "../venues/liq-price-report.js";
import type { PerpWhatIfReport } from "../venues/perp-what-if.js";
import { type WhatIfReport, whatIfReport } from "../venues/what-if-report.js";
import { formatNumber, parseJson, readInput, renderReadable, renderTable, toJson, writeOut } from "./io.js";

function describeAction(r: PerpWhatIfReport): string {
  const a = r.action;
  const asset = r.marginAsset;
  switch (a.kind) {
    case "add-collateral":
      return `add ${formatNumber(a.amount)} ${asset} of collateral`;
    case "remove-collateral":
      return `remove ${formatNumber(a.amount)} ${asset} of collateral`;
    case "size": {
      const fill = a.fillPrice === null ? "at the mark" : `at ${formatNumber(a.fillPrice)}`;
      return `change the size from ${formatNumber(r.position.size, 8)} to ${formatNumber(a.size, 8)} ${fill}`;
    }
    case "target-liq-price":
      return `move the liquidation price to ${formatNumber(a.price)}`;
    case "target-distance":
      return `put the liquidation price ${formatNumber(a.distance * 100, 4)} % from the mark ${formatNumber(r.position.markPrice)}`;
  }
}

/** The readable form of a {@link PerpWhatIfReport}. */
export function renderWhatIf(r: PerpWhatIfReport): string {
  const p = r.position;
  const out = [
    `What if: ${describeAction(r)} on #${p.index} ${p.symbol} (${sideLabel(p.size, p.positionSide)}), ${r.venue} ${r.marginMode} margin`,
  ];
  if (r.collateralToAdd !== null) {
    const c = r.collateralToAdd;
    out.push(
      c >= 0
        ? `Collateral to add: ${formatNumber(c)} ${r.marginAsset}`
        : `Collateral that can be withdrawn: ${formatNumber(-c)} ${r.marginAsset} (collateral to add: ${formatNumber(c)})`,
    );
  }
  const row = (label: string, b: number | null, a: number | null) => [
    label,
    b === null ? "none" : formatNumber(b),
    a === null ? "none" : formatNumber(a),
    a === null || b === null ? "—" : formatNumber(a - b),
  ];
  out.push(
    renderTable(
      ["", "Before", "After", "Change"],
      [
        row("Liquidation price", r.before.liquidationPrice, r.after.liquidationPrice),
        row("Equity", r.before.equity, r.after.equity),
        row("Maintenance margin", r.before.maintenanceMargin, r.after.maintenanceMargin),
      ],
      { rightAlign: [1, 2, 3] },
    ),
  );
  const v = r.verification;
  if (v !== null) {
    const mark = v.matches ? "matches the target" : "DOES NOT match the target";
    out.push(
      `Check: recomputed liquidation price after applying it = ${formatNumber(v.liquidationPrice)} (target ${formatNumber(v.targetPrice)}): ${mark}`,
    );
  }
  return out.join("\n");
}

/** The readable form of any {@link WhatIfReport}: its lending venue's text, or the perpetual one. */
function renderWhatIfReport(r: WhatIfReport): string {
  const venue = lendingVenueOf(r);
  if (venue === undefined) return renderWhatIf(r as PerpWhatIfReport);
  // the report's `venue` names the venue that built it, so its text takes it
  return renderReadable(venue.text.whatIf(r as AnyLendingVenueTypes["whatIf"]));
}

/** Registers `liqopt what-if --input <file> [--position N] <one action> [--json]`. */
export function registerWhatIf(program: Command): void {
  program
    .command("what-if")
    .description("liquidation price, equity and maintenance margin before and after one change")
    .requiredOption("-i, --input <file>", "account document (JSON); - for stdin")
    .option("-p, --position <index>", "index of the position in the document (default: 0)")
    .option(
      "--add-collateral <amount>",
      "add collateral (perp: wallet in cross, isolated margin in isolated; lending: tokens of --asset)",
    )
    .option("--remove-collateral <amount>", "remove collateral")
    .option("--size <size>", "new signed size of the position (0 closes it)")
    .option("--fill-price <price>", "fill price of the size change (default: mark price)")
    .option("--target-liq-price <price>", "collateral needed for this liquidation price")
    .option(
      "--target-distance <fraction>",
      "collateral needed for a liquidation price this far from the mark (0.1 = 10 %)",
    )
    .option(
      "--asset <symbol>",
      "lending: the collateral or debt asset to change (default: the largest by value)",
    )
    .option("--repay <amount>", "lending: repay this many tokens of --asset debt")
    .option("--borrow <amount>", "lending: borrow this many more tokens of --asset")
    .option("--target-hf <factor>", "lending: --asset collateral to add for this float health factor")
    .option("--json", "print one JSON object instead of tables")
    .action(async (opts) => {
      const report = whatIfReport(parseJson(await readInput(opts.input)), opts);
      writeOut(opts.json === true ? toJson(report) : renderWhatIfReport(report));
    });
}

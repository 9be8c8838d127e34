/**
 * Drift v2 as a {@link LendingVenue}: its account documents (`drift-document.ts`) and the reports on the
 * program's exact margin calculation (`drift/`). Drift lends against perpetual positions, so its
 * "collateral" lines are positions and its liquidation is the `liquidate_perp` sequence.
 */

import { type DriftLiquidateReport, driftLiquidateReport } from "../drift/liquidate-report.js";
import { type DriftMarginReport, driftMarginReport } from "../drift/margin-report.js";
import { driftLiquidateText, driftMarginText, driftWhatIfText } from "../drift/text.js";
import { type DriftWhatIfReport, driftWhatIfReport, readDriftAction } from "../drift/what-if.js";
import { type ResolvedDriftDocument, resolveDriftDocument } from "../drift-document.js";
import { canBeLiquidated, canExitLiquidation, marginCalculation } from "../drift-v2.js";
import { type LendingVenue, POSITION_WHAT_IF_OPTIONS } from "./venue.js";

/** Drift v2 (`venue: "drift-v2"`). */
export const driftV2Lending: LendingVenue<{
  doc: ResolvedDriftDocument;
  health: { liquidatable: boolean; canExitLiquidation: boolean };
  liqPrice: DriftMarginReport;
  whatIf: DriftWhatIfReport;
  liquidate: DriftLiquidateReport;
}> = {
  id: "drift-v2",
  name: "Drift v2",
  note: "perps; per-market on-chain parameters in the document — docs/reference/drift-v2.md",
  liquidateOptions: [],
  whatIfOptions: POSITION_WHAT_IF_OPTIONS,
  resolve: resolveDriftDocument,
  health: (doc) => {
    const m = marginCalculation(doc.account, "maintenance", doc.state.liquidationMarginBufferRatio);
    return { liquidatable: canBeLiquidated(m), canExitLiquidation: canExitLiquidation(m) };
  },
  liqPriceReport: driftMarginReport,
  whatIfReport: (_raw, doc, options) => driftWhatIfReport(doc, readDriftAction(options, doc)),
  liquidateReport: (doc) => driftLiquidateReport(doc),
  text: { liqPrice: driftMarginText, whatIf: driftWhatIfText, liquidate: driftLiquidateText },
};

/**
 * Multi-party liquidation mechanisms as workflows: each takes a parsed document (or a typed input) and
 * returns a plain, JSON-serialisable result, the one `liqopt mechanism <name> --json` prints.
 * Reference: docs/reference/mechanisms.md.
 */
export {
  ADL_FILL_AT,
  ADL_QUEUE_VENUES,
  type AdlQueueInput,
  type AdlQueueReport,
  adlQueue,
  adlQueueReport,
  readAdlQueueDocument,
} from "./adl-queue.js";
export {
  absorbAccounts,
  type CometAbsorbBatchReport,
  type CometAbsorbInput,
  cometAbsorbBatchReport,
  readCometAbsorbDocument,
} from "./comet-absorb.js";
export {
  type DriftLiquidationInput,
  type DriftLiquidationReport,
  driftLiquidationReport,
  liquidatePerpCalls,
  readDriftLiquidationDocument,
} from "./drift-liquidation.js";
export {
  type DydxFillInput,
  type DydxFillReport,
  dydxFillReport,
  dydxLiquidationFill,
  readDydxFillDocument,
} from "./dydx-fill.js";
export {
  type FlipAuctionInput,
  type MakerFlipReport,
  makerFlipReport,
  readMakerFlipDocument,
  runFlipAuction,
} from "./maker-flip.js";
export {
  type AuctionInput,
  type MakerTakeReport,
  makerTakeReport,
  readMakerTakeDocument,
  runAuction,
} from "./maker-take.js";

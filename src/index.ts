/** liqopt: liquidation threshold optimization — library entry point. */
export { InputError } from "./errors.js";
export * from "./margin/index.js";
export * from "./market/bitmex-recording.js";
export * from "./market/book-walk.js";
export * from "./market/bundled.js";
export * from "./market/candles.js";
export * from "./market/funding.js";
export * from "./market/inspect.js";
export * from "./market/options.js";
export * from "./market/orderbook.js";
export * from "./math/distributions.js";
export * from "./math/minimize.js";
export * from "./math/random.js";
export * from "./optimize/index.js";
export {
  areaChart,
  barChart,
  CHART_EXTENSIONS,
  depthChart,
  lineChart,
  renderPng,
  scatterChart,
  writeChart,
} from "./report/index.js";
export type * from "./report/types.js";
export * from "./risk/almgren-chriss.js";
export * from "./risk/backtest.js";
export * from "./risk/backtest-report.js";
export * from "./risk/book-report.js";
export * from "./risk/es-backtest.js";
export * from "./risk/first-passage.js";
export * from "./risk/funding.js";
export * from "./risk/funding-report.js";
export * from "./risk/impact.js";
export * from "./risk/liquidation-cost.js";
export * from "./risk/rolling-backtest.js";
export * from "./risk/var.js";
export * from "./risk/var-filtered.js";
export * from "./risk/var-historical.js";
export * from "./risk/var-monte-carlo.js";
export * from "./risk/var-parametric.js";
export * from "./risk/var-portfolio.js";
export * from "./risk/var-report.js";
export * from "./sim/cross-account.js";
export * from "./sim/evaluators.js";
export * from "./sim/liquidation.js";
export * from "./sim/models.js";
export * from "./sim/partial-liquidation.js";
export * from "./sim/pool.js";
export * from "./sim/run.js";
export * from "./sim/stats.js";
export * from "./sim/tally.js";
export * as aaveV3 from "./venues/aave-v3.js";
export * from "./venues/account-document.js";
export * from "./venues/adl.js";
export { binanceCoinmLiquidationPrice } from "./venues/binance-coinm.js";
export { binanceUsdmLiquidationPrice } from "./venues/binance-usdm.js";
export { bybitIsolatedLiquidationPrice } from "./venues/bybit.js";
export * as compoundV3 from "./venues/compound-v3.js";
export { type DriftLiquidateReport, driftLiquidateReport } from "./venues/drift/liquidate-report.js";
export {
  type DriftMarginReport,
  driftExactBankruptcyPrice,
  driftExactLiquidationPrice,
  driftMarginReport,
} from "./venues/drift/margin-report.js";
export { type DriftWhatIfAction, type DriftWhatIfReport, driftWhatIfReport } from "./venues/drift/what-if.js";
export * from "./venues/drift-document.js";
export * as driftV2 from "./venues/drift-v2.js";
export * as dydxV4 from "./venues/dydx-v4.js";
export { hyperliquidLiquidationPrice, hyperliquidLiquidationSteps } from "./venues/hyperliquid.js";
export * from "./venues/index.js";
export { LENDING_VENUES, type LendingVenueKey, lendingLiqPriceReport } from "./venues/lending/registry.js";
export type { LendingVenue, LiquidateOptions, WhatIfOptions } from "./venues/lending/venue.js";
export * from "./venues/liq-price-report.js";
export { type LiquidateReport, liquidateReport } from "./venues/liquidate-report.js";
export * as makerClip from "./venues/maker-clip.js";
export {
  isVenueRevert,
  type RevertingVenue,
  type VenueCallStep,
  type VenueRevert,
  VenueRevertError,
} from "./venues/revert.js";
export {
  parseBinanceLeverageBrackets,
  parseCcxtLeverageTiers,
  parseTierTable,
} from "./venues/tier-loaders.js";
export * from "./venues/venue-report.js";
export { type WhatIfReport, whatIfReport } from "./venues/what-if-report.js";
export * from "./vol/black76.js";
export * from "./vol/ewma.js";
export * from "./vol/garch.js";
export * from "./vol/implied-report.js";
export * from "./vol/realized.js";
export * from "./vol/svi.js";
export * from "./vol/vix-index.js";
export * from "./vol/vol-report.js";

/** liqopt: liquidation threshold optimization — library entry point. */
export { InputError } from "./errors.js";
export * from "./margin/index.js";
export * from "./market/candles.js";
export * from "./math/optimize.js";
export * from "./math/random.js";
export * as aaveV3 from "./venues/aave-v3.js";
export * from "./venues/account-document.js";
export * from "./venues/adl.js";
export { binanceCoinmLiquidationPrice } from "./venues/binance-coinm.js";
export { binanceUsdmLiquidationPrice } from "./venues/binance-usdm.js";
export { bybitIsolatedLiquidationPrice } from "./venues/bybit.js";
export * as compoundV3 from "./venues/compound-v3.js";
export * as driftV2 from "./venues/drift-v2.js";
export * as dydxV4 from "./venues/dydx-v4.js";
export { hyperliquidLiquidationPrice, hyperliquidLiquidationSteps } from "./venues/hyperliquid.js";
export * from "./venues/index.js";
export * as makerClip from "./venues/maker-clip.js";
export {
  parseBinanceLeverageBrackets,
  parseCcxtLeverageTiers,
  parseTierTable,
} from "./venues/tier-loaders.js";
export * from "./vol/ewma.js";
export * from "./vol/garch.js";
export * from "./vol/realized.js";

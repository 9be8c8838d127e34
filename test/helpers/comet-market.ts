import { type AssetConfig, type Config, FACTOR_SCALE, validateConfig } from "../../src/venues/compound-v3.js";

/**
 * A market like comet's `makeProtocol` (compound-finance/comet `test/helpers.ts`): USDC base (6
 * decimals) and the given collaterals with the test defaults (18 decimals, borrowCF 1 − 1e-18,
 * liquidateCF 1, liquidationFactor 1, storeFrontPriceFactor 1, targetReserves 0).
 */
export function cometTestMarket(
  assets: (Partial<AssetConfig> & { symbol: string })[],
  opts: { storeFrontPriceFactor?: bigint; targetReserves?: bigint } = {},
): Config {
  return validateConfig({
    name: "comet test market",
    baseSymbol: "USDC",
    baseDecimals: 6,
    storeFrontPriceFactor: opts.storeFrontPriceFactor ?? FACTOR_SCALE,
    targetReserves: opts.targetReserves ?? 0n,
    assets: assets.map((a) => ({
      decimals: 18,
      borrowCollateralFactor: FACTOR_SCALE - 1n,
      liquidateCollateralFactor: FACTOR_SCALE,
      liquidationFactor: FACTOR_SCALE,
      ...a,
    })),
  });
}

/**
 * Compound v3 (Comet) liquidation rules, re-derived from the contract's formulas (no code copied).
 * Parameters are plain data in Comet's own fixed-point scales, computed with bigint where Comet is
 * exact:
 *
 * | quantity | scale |
 * |---|---|
 * | factors (`borrowCollateralFactor`, `liquidateCollateralFactor`, `liquidationFactor`, `storeFrontPriceFactor`) | 1e18 (`FACTOR_SCALE`) |
 * | prices (Chainlink-style USD feeds) | 1e8 (Comet's `PRICE_FEED_DECIMALS = 8`) |
 * | "values" (price × amount) | 1e8 USD |
 * | base and collateral amounts | the token's own decimals (`baseScale`, `asset.scale`) |
 *
 * Every division rounds down (toward zero for the signed debt value), as Solidity's does.
 * Balances are present values (accrued); the principal/index bookkeeping is not modelled.
 * A call Comet would revert throws a {@link VenueRevertError} with Comet's custom error name; bad
 * parameters throw an {@link InputError} naming the field.
 *
 * Sources: compound-finance/comet `contracts/Comet.sol` (`isBorrowCollateralized`, `isLiquidatable`,
 * `absorbInternal`, `buyCollateral`, `quoteCollateral`, `getAssetInfo`, `_getPackedAsset`),
 * `contracts/CometCore.sol` (`MAX_COLLATERAL_FACTOR`), docs https://docs.compound.finance/liquidation/;
 * research note `/work/shared/research/mechanics.md` §6 and §10.7.
 */
import { InputError } from "../errors.js";
import { collateralLiquidationPrice, healthFactor, type LendingAccount } from "../margin/lending.js";
import { fromFixed, mulDiv, toFixed } from "../math/fixed-point.js";
import { revertsOf } from "./revert.js";

/** 1e18: Comet's `FACTOR_SCALE`. */
export const FACTOR_SCALE = 10n ** 18n;
/** Comet's `MAX_BASE_DECIMALS`. */
export const MAX_BASE_DECIMALS = 18;
/** Comet keeps 4 decimals of each asset factor (`_getPackedAsset` descales by 1e14). */
export const FACTOR_DESCALE = FACTOR_SCALE / 10_000n;

/** A collateral asset of a Comet market (`AssetConfig`). */
export interface AssetConfig {
  /** Ticker, used as the key of prices and balances. */
  readonly symbol: string;
  /** Token decimals; `scale = 10^decimals`. */
  readonly decimals: number;
  /** Share of value that counts for borrowing [1e18]. */
  readonly borrowCollateralFactor: bigint;
  /** Share of value that counts before liquidation (the liquidation threshold) [1e18]. */
  readonly liquidateCollateralFactor: bigint;
  /** Share of value credited to the account at absorb [1e18]. */
  readonly liquidationFactor: bigint;
  /** Supply cap in token units (informational). */
  readonly supplyCap?: bigint;
}

/** A Comet market's liquidation-relevant configuration. */
export interface Config {
  readonly name: string;
  /** Ticker of the base asset (key of its price). */
  readonly baseSymbol: string;
  /** Base token decimals; `baseScale = 10^baseDecimals`. */
  readonly baseDecimals: number;
  /** Share of the liquidation penalty passed on as the store-front discount [1e18]. */
  readonly storeFrontPriceFactor: bigint;
  /** Collateral is for sale only while reserves are below this [base units]. */
  readonly targetReserves: bigint;
  /** Smallest borrow [base units] (informational). */
  readonly baseBorrowMin?: bigint;
  readonly assets: readonly AssetConfig[];
}

/** Prices from the feeds, by symbol (the base asset included) [1e8 USD]. */
export type Prices = Readonly<Record<string, bigint>>;

/** An account: signed base balance (negative = borrow) and collateral balances, all in token units. */
export interface Account {
  /** Present value of the base balance [base units]; negative when borrowing. */
  readonly baseBalance: bigint;
  /** Collateral balances by symbol [token units]. */
  readonly collateral: Readonly<Record<string, bigint>>;
}

/** Comet's custom errors reproduced here. */
export type RevertReason =
  | "NotLiquidatable"
  | "NotForSale"
  | "TooMuchSlippage"
  | "InsufficientReserves"
  | "BadAsset"
  | "BadPrice"
  | "DivisionByZero";

const COMET_EXPLANATIONS: Record<RevertReason, string> = {
  NotLiquidatable: "absorb needs liquidity = −debt + Σ value·liquidateCF < 0",
  NotForSale: "collateral is for sale only while reserves < targetReserves",
  TooMuchSlippage: "the quote is below the buyer's minAmount",
  InsufficientReserves: "the protocol holds less of this collateral than the quote",
  BadAsset: "the asset is not a collateral of this market",
  BadPrice: "a price feed returned a non-positive price",
  DivisionByZero: "the discounted price is 0 (storeFrontPriceFactor·(1 − liquidationFactor) = 1)",
};

/**
 * A call Comet would revert: a {@link VenueRevertError} carrying Comet's custom error name and what it
 * means. Source: `contracts/Comet.sol` errors.
 */
const cometRevert = revertsOf<RevertReason>("compound-v3", COMET_EXPLANATIONS);

// --- unit helpers ------------------------------------------------------------------------------

/**
 * A decimal factor → Comet's 1e18 factor, exactly for strings: `factor("0.825")` = 825e15.
 * Source: Comet `FACTOR_SCALE`.
 */
export function factor(value: string | number): bigint {
  return toFixed(value, 18);
}

/** A decimal USD price → Comet's 1e8 price: `price("3000")` = 3000e8. Source: Comet `PRICE_FEED_DECIMALS`. */
export function price(value: string | number): bigint {
  return toFixed(value, 8);
}

// --- validation --------------------------------------------------------------------------------

function checkDecimals(field: string, decimals: unknown, maxDecimals: number): number {
  if (typeof decimals !== "number" || !Number.isInteger(decimals) || decimals < 0 || decimals > maxDecimals)
    throw new InputError(
      field,
      decimals,
      `must be an integer from 0 to ${maxDecimals}`,
      "Give the token's ERC-20 decimals.",
    );
  return decimals;
}

function checkFactor(field: string, value: unknown, max: bigint): bigint {
  if (typeof value !== "bigint" || value < 0n || value > max)
    throw new InputError(
      field,
      value,
      `must be a bigint factor from 0 to ${max} (1e18 = 1)`,
      'Factors are in Comet\'s 1e18 scale: use compoundV3.factor("0.825").',
    );
  return value;
}

/**
 * Checks a market configuration as Comet's constructor does, plus two sanity rules of ours:
 * `storeFrontPriceFactor ≤ 1` (`BadDiscount`), `baseDecimals ≤ 18` (`BadDecimals`), and for each
 * asset `borrowCF < liquidateCF` (`BorrowCFTooLarge`, also after the 4-decimal truncation),
 * `liquidateCF ≤ 1` (`LiquidateCFTooLarge`); ours: `0 ≤ liquidationFactor ≤ 1`, unique symbols
 * distinct from the base, `targetReserves ≥ 0`. Throws an {@link InputError} naming the field,
 * e.g. `assets[2].liquidateCollateralFactor`. Source: `contracts/Comet.sol` constructor and `_getPackedAsset`.
 */
export function validateConfig(config: Config): Config {
  checkDecimals("baseDecimals", config.baseDecimals, MAX_BASE_DECIMALS);
  checkFactor("storeFrontPriceFactor", config.storeFrontPriceFactor, FACTOR_SCALE);
  if (typeof config.targetReserves !== "bigint" || config.targetReserves < 0n)
    throw new InputError(
      "targetReserves",
      config.targetReserves,
      "must be a non-negative bigint",
      "Give base units (USDC: 6 decimals).",
    );
  const seen = new Set<string>([config.baseSymbol]);
  config.assets.forEach((asset, i) => {
    const at = `assets[${i}]`;
    if (typeof asset.symbol !== "string" || asset.symbol === "" || seen.has(asset.symbol))
      throw new InputError(
        `${at}.symbol`,
        asset.symbol,
        "must be a unique non-empty ticker, not the base",
        "Name each collateral once.",
      );
    seen.add(asset.symbol);
    checkDecimals(`${at}.decimals`, asset.decimals, 36);
    const bcf = checkFactor(`${at}.borrowCollateralFactor`, asset.borrowCollateralFactor, FACTOR_SCALE);
    const lcf = checkFactor(`${at}.liquidateCollateralFactor`, asset.liquidateCollateralFactor, FACTOR_SCALE);
    checkFactor(`${at}.liquidationFactor`, asset.liquidationFactor, FACTOR_SCALE);
    if (bcf >= lcf || bcf / FACTOR_DESCALE >= lcf / FACTOR_DESCALE)
      throw new InputError(
        `${at}.borrowCollateralFactor`,
        asset.borrowCollateralFactor,
        `must be below liquidateCollateralFactor (${asset.liquidateCollateralFactor}), also at Comet's 4 decimals (BorrowCFTooLarge)`,
        "Lower the borrow collateral factor or raise the liquidate collateral factor.",
      );
  });
  return config;
}

// --- asset info and arithmetic -----------------------------------------------------------------

/** An asset as Comet reads it back (`getAssetInfo`): factors truncated to 4 decimals, `scale = 10^decimals`. */
export interface AssetInfo {
  readonly symbol: string;
  readonly scale: bigint;
  readonly borrowCollateralFactor: bigint;
  readonly liquidateCollateralFactor: bigint;
  readonly liquidationFactor: bigint;
}

/**
 * The asset as Comet stores it: each factor truncated to 4 decimals (`factor / 1e14 · 1e14`),
 * `scale = 10^decimals`. Throws `BadAsset` for an unknown symbol. Source: `Comet.sol` `_getPackedAsset`, `getAssetInfo`.
 */
export function assetInfo(config: Config, symbol: string): AssetInfo {
  const asset = config.assets.find((a) => a.symbol === symbol);
  if (asset === undefined) throw cometRevert("BadAsset", symbol, "symbol");
  const trunc = (f: bigint): bigint => (f / FACTOR_DESCALE) * FACTOR_DESCALE;
  return {
    symbol,
    scale: 10n ** BigInt(asset.decimals),
    borrowCollateralFactor: trunc(asset.borrowCollateralFactor),
    liquidateCollateralFactor: trunc(asset.liquidateCollateralFactor),
    liquidationFactor: trunc(asset.liquidationFactor),
  };
}

/** CometCore `mulFactor`: `⌊n·factor / 1e18⌋` (non-negative operands). */
const mulFactor = (n: bigint, factor: bigint): bigint => mulDiv(n, factor, FACTOR_SCALE, "down");
/** CometCore `mulPrice`: `⌊n·price / fromScale⌋` (non-negative operands). */
const mulPrice = (n: bigint, price: bigint, fromScale: bigint): bigint => mulDiv(n, price, fromScale, "down");
/** CometCore `divPrice`: `⌊n·toScale / price⌋` (non-negative operands). */
const divPrice = (n: bigint, price: bigint, toScale: bigint): bigint => mulDiv(n, toScale, price, "down");

function priceOf(prices: Prices, symbol: string): bigint {
  const p = prices[symbol];
  if (p === undefined)
    throw new InputError(
      `prices.${symbol}`,
      p,
      "is missing",
      `Give every feed price in 1e8 USD, e.g. compoundV3.price("1") for ${symbol}.`,
    );
  if (p <= 0n) throw cometRevert("BadPrice", `${symbol}: ${p}`, `prices.${symbol}`);
  return p;
}

function baseScaleOf(config: Config): bigint {
  return 10n ** BigInt(config.baseDecimals);
}

/** Collateral symbols the account holds a non-zero balance of, in the market's asset order (Comet's `assetsIn`). */
function heldAssets(config: Config, account: Account): AssetConfig[] {
  for (const [symbol, amount] of Object.entries(account.collateral)) {
    if (!config.assets.some((a) => a.symbol === symbol))
      throw cometRevert("BadAsset", symbol, `account.collateral.${symbol}`);
    if (amount < 0n)
      throw new InputError(
        `account.collateral.${symbol}`,
        amount,
        "must be non-negative",
        "Collateral balances are token units ≥ 0.",
      );
  }
  return config.assets.filter((a) => (account.collateral[a.symbol] ?? 0n) > 0n);
}

/**
 * Comet's account liquidity in 1e8 USD with the chosen factor:
 * `liquidity = baseBalance·basePrice/baseScale + Σ ⌊⌊balance_i·price_i/scale_i⌋·CF_i/1e18⌋`
 * (the base term truncates toward zero). `"borrow"` uses `borrowCollateralFactor`, `"liquidate"` uses
 * `liquidateCollateralFactor`. Source: `Comet.sol` `isBorrowCollateralized`, `isLiquidatable`.
 */
export function liquidity(
  config: Config,
  account: Account,
  prices: Prices,
  which: "borrow" | "liquidate",
): bigint {
  let liquidity = (account.baseBalance * priceOf(prices, config.baseSymbol)) / baseScaleOf(config);
  for (const asset of heldAssets(config, account)) {
    const info = assetInfo(config, asset.symbol);
    const value = mulPrice(account.collateral[asset.symbol] ?? 0n, priceOf(prices, asset.symbol), info.scale);
    liquidity += mulFactor(
      value,
      which === "borrow" ? info.borrowCollateralFactor : info.liquidateCollateralFactor,
    );
  }
  return liquidity;
}

/**
 * `isBorrowCollateralized`: true when the base balance is ≥ 0, else when
 * `−debt + Σ value_i·borrowCF_i ≥ 0` (1e8 USD, rounded down per term).
 * Source: `Comet.sol` `isBorrowCollateralized`. Example (comet `test/is-borrow-collateralized-test.ts`):
 * owe 1 USDC with 1 COMP at $1, borrowCF 0.9 → false; with 1.2 COMP → true.
 */
export function isBorrowCollateralized(config: Config, account: Account, prices: Prices): boolean {
  if (account.baseBalance >= 0n) return true;
  return liquidity(config, account, prices, "borrow") >= 0n;
}

/**
 * `isLiquidatable`: false when the base balance is ≥ 0, else true when
 * `liquidity = −debt + Σ value_i·liquidateCF_i < 0` (1e8 USD, rounded down per term).
 * Source: `Comet.sol` `isLiquidatable`. Example (comet `test/is-liquidatable-test.ts`): owe $100,000
 * with $100,000 of COMP at liquidateCF 0.8 → true.
 */
export function isLiquidatable(config: Config, account: Account, prices: Prices): boolean {
  if (account.baseBalance >= 0n) return false;
  return liquidity(config, account, prices, "liquidate") < 0n;
}

// --- absorb ------------------------------------------------------------------------------------

/** One seized collateral in {@link AbsorbResult}. */
export interface AbsorbedCollateral {
  readonly symbol: string;
  /** Amount seized (all of it) [token units]. */
  readonly amount: bigint;
  /** `amount·price/scale` [1e8 USD] (the `AbsorbCollateral` event's `usdValue`). */
  readonly value: bigint;
  /** `value·liquidationFactor/1e18` [1e8 USD]. */
  readonly credit: bigint;
}

/** The outcome of `absorb` for one account. */
export interface AbsorbResult {
  /** Each seized collateral, in the market's asset order. */
  readonly seized: readonly AbsorbedCollateral[];
  /** `Σ credit_i` [1e8 USD]. */
  readonly deltaValue: bigint;
  /** `deltaValue·baseScale/basePrice` [base units]: what the collateral is credited as. */
  readonly deltaBalance: bigint;
  /** Base balance before (negative) [base units]. */
  readonly oldBalance: bigint;
  /** `max(0, oldBalance + deltaBalance)`: a positive result stays with the account as base supply. */
  readonly newBalance: bigint;
  /** `newBalance − oldBalance`: debt repaid plus supply created, all paid out of reserves (`AbsorbDebt.basePaidOut`). */
  readonly basePaidOut: bigint;
  /** `basePaidOut·basePrice/baseScale` [1e8 USD] (the `AbsorbDebt` event's `usdValue`). */
  readonly valueOfBasePaidOut: bigint;
  /** `max(0, −(oldBalance + deltaBalance))`: the debt the credit did not cover [base units]. */
  readonly shortfall: bigint;
  /** Base reserves before and after (`after = before − basePaidOut`; may go negative). */
  readonly reservesBefore: bigint;
  readonly reservesAfter: bigint;
  /** The account afterwards: no collateral, base balance `newBalance`. */
  readonly account: Account;
  /** The procedure, one line per step. */
  readonly steps: readonly string[];
}

/**
 * `absorb` of one underwater account (`absorbInternal`):
 *
 * 1. revert `NotLiquidatable` unless {@link isLiquidatable};
 * 2. seize **all** collateral: `value_i = ⌊amount_i·price_i/scale_i⌋`, `credit_i = ⌊value_i·liquidationFactor_i/1e18⌋`;
 * 3. `deltaBalance = ⌊Σ credit_i·baseScale/basePrice⌋`, `newBalance = max(0, oldBalance + deltaBalance)`;
 * 4. the protocol pays `basePaidOut = newBalance − oldBalance` out of reserves
 *    (`reservesAfter = reservesBefore − basePaidOut`, which may go negative); the seized collateral
 *    becomes protocol collateral reserves, for sale through {@link buyCollateral}.
 *
 * Exactly: `(newBalance − oldBalance) + (reservesAfter − reservesBefore) = 0` and
 * `newBalance − shortfall = oldBalance + deltaBalance`. The absorber gets no on-chain reward (only
 * "liquidator points"). Source: `Comet.sol` `absorb`, `absorbInternal`. Example (comet
 * `test/absorb-test.ts`): 1 COMP ($175) + 1 WETH ($3,000) + 1 WBTC ($41,000), liquidationFactor 1,
 * debt 44,175 USDC − 1 wei → the account keeps 1 wei of USDC.
 */
export function absorb(config: Config, account: Account, prices: Prices, reserves: bigint): AbsorbResult {
  validateConfig(config);
  if (!isLiquidatable(config, account, prices))
    throw cometRevert("NotLiquidatable", `liquidity ${liquidity(config, account, prices, "liquidate")}`);
  const basePrice = priceOf(prices, config.baseSymbol);
  const baseScale = baseScaleOf(config);
  const steps: string[] = [];
  const seized: AbsorbedCollateral[] = [];
  let deltaValue = 0n;
  for (const asset of heldAssets(config, account)) {
    const info = assetInfo(config, asset.symbol);
    const amount = account.collateral[asset.symbol] ?? 0n;
    const value = mulPrice(amount, priceOf(prices, asset.symbol), info.scale);
    const credit = mulFactor(value, info.liquidationFactor);
    deltaValue += credit;
    seized.push({ symbol: asset.symbol, amount, value, credit });
    steps.push(
      `seize ${amount} units of ${asset.symbol}: value ${value} (1e8 USD) × liquidationFactor ${info.liquidationFactor} = credit ${credit}`,
    );
  }
  const deltaBalance = divPrice(deltaValue, basePrice, baseScale);
  const oldBalance = account.baseBalance;
  const sum = oldBalance + deltaBalance;
  const newBalance = sum < 0n ? 0n : sum;
  const shortfall = sum < 0n ? -sum : 0n;
  const basePaidOut = newBalance - oldBalance;
  steps.push(`credit in base: deltaBalance = Σcredit·baseScale/basePrice = ${deltaBalance}`);
  steps.push(
    shortfall > 0n
      ? `balance ${oldBalance} + ${deltaBalance} < 0: floored at 0; reserves absorb the shortfall of ${shortfall}`
      : `balance ${oldBalance} + ${deltaBalance} = ${newBalance}: the account keeps it as base supply`,
  );
  steps.push(`reserves pay basePaidOut = ${basePaidOut}: ${reserves} → ${reserves - basePaidOut}`);
  return {
    seized,
    deltaValue,
    deltaBalance,
    oldBalance,
    newBalance,
    basePaidOut,
    valueOfBasePaidOut: mulPrice(basePaidOut, basePrice, baseScale),
    shortfall,
    reservesBefore: reserves,
    reservesAfter: reserves - basePaidOut,
    account: { baseBalance: newBalance, collateral: {} },
    steps,
  };
}

// --- store front -------------------------------------------------------------------------------

/**
 * The store-front discount of an asset: `storeFrontPriceFactor·(1 − liquidationFactor)` [1e18],
 * rounded down. Source: `Comet.sol` `quoteCollateral`. Example (comet `test/quote-collateral-test.ts`):
 * 0.5·(1 − 0.6) = 0.2.
 */
export function storeFrontDiscount(config: Config, symbol: string): bigint {
  const info = assetInfo(config, symbol);
  return mulFactor(config.storeFrontPriceFactor, FACTOR_SCALE - info.liquidationFactor);
}

/**
 * `quoteCollateral(asset, baseAmount)`: collateral units for `baseAmount` of base at the discounted price,
 * `assetPriceDiscounted = ⌊assetPrice·(1e18 − discount)/1e18⌋`,
 * `out = ⌊⌊basePrice·baseAmount·assetScale / assetPriceDiscounted⌋ / baseScale⌋`.
 * Source: `Comet.sol` `quoteCollateral`. Examples (comet `test/quote-collateral-test.ts`): storeFront
 * 0.5, liquidationFactor 0.6, COMP $200 → 200 USDC buys 1.25 COMP; COMP $9, liquidationFactor 0.8 →
 * 810 USDC buys 100 COMP.
 */
export function quoteCollateral(config: Config, symbol: string, baseAmount: bigint, prices: Prices): bigint {
  if (baseAmount < 0n)
    throw new InputError(
      "baseAmount",
      baseAmount,
      "must be non-negative",
      "Give the base amount in base units.",
    );
  const info = assetInfo(config, symbol);
  const discount = storeFrontDiscount(config, symbol);
  const assetPriceDiscounted = mulFactor(priceOf(prices, symbol), FACTOR_SCALE - discount);
  if (assetPriceDiscounted === 0n) throw cometRevert("DivisionByZero", symbol);
  const basePrice = priceOf(prices, config.baseSymbol);
  return (basePrice * baseAmount * info.scale) / assetPriceDiscounted / baseScaleOf(config);
}

/**
 * Whether `buyCollateral` sells at reserves `reserves` [base units]: not when `reserves ≥ 0` and
 * `reserves ≥ targetReserves` (`NotForSale`), so always while reserves are negative.
 * Source: `Comet.sol` `buyCollateral`.
 */
export function isForSale(config: Config, reserves: bigint): boolean {
  return !(reserves >= 0n && reserves >= config.targetReserves);
}

/** The outcome of {@link buyCollateral}. */
export interface BuyCollateralResult {
  /** Collateral bought [token units]. */
  readonly collateralAmount: bigint;
  /** Base reserves before and after (`+ baseAmount`). */
  readonly reservesBefore: bigint;
  readonly reservesAfter: bigint;
  /** Protocol collateral reserves of the asset after the sale. */
  readonly collateralReservesAfter: bigint;
}

/**
 * `buyCollateral(asset, minAmount, baseAmount)`: sell protocol-owned collateral at the store-front
 * discount. Reverts `NotForSale` when `reserves ≥ 0` and `reserves ≥ targetReserves`, `TooMuchSlippage`
 * when the quote is below `minAmount`, `InsufficientReserves` when it exceeds the collateral reserves.
 * Base reserves rise by `baseAmount`. Source: `Comet.sol` `buyCollateral`. Example (comet
 * `test/buy-collateral-test.ts`): storeFront 0.5, liquidationFactor 0.8, COMP $1, reserves 0 <
 * target 100 → 50 USDC buys 55,555,555,555,555,555,555 COMP wei.
 */
export function buyCollateral(
  config: Config,
  input: {
    symbol: string;
    baseAmount: bigint;
    minAmount: bigint;
    reserves: bigint;
    collateralReserves: bigint;
  },
  prices: Prices,
): BuyCollateralResult {
  validateConfig(config);
  if (!isForSale(config, input.reserves))
    throw cometRevert("NotForSale", `reserves ${input.reserves} ≥ targetReserves ${config.targetReserves}`);
  const collateralAmount = quoteCollateral(config, input.symbol, input.baseAmount, prices);
  if (collateralAmount < input.minAmount)
    throw cometRevert("TooMuchSlippage", `quote ${collateralAmount} < minAmount ${input.minAmount}`);
  if (collateralAmount > input.collateralReserves)
    throw cometRevert(
      "InsufficientReserves",
      `quote ${collateralAmount} > reserves ${input.collateralReserves}`,
    );
  return {
    collateralAmount,
    reservesBefore: input.reserves,
    reservesAfter: input.reserves + input.baseAmount,
    collateralReservesAfter: input.collateralReserves - collateralAmount,
  };
}

/**
 * The most base a buyer can pay at the store front without asking for more than `amount` of the
 * asset: `B = ⌊amount·P_disc·baseScale / (P_base·scale)⌋` with `P_disc = ⌊P·(1e18 − discount)/1e18⌋`;
 * then `quoteCollateral(B) = ⌊⌊P_base·B·scale/P_disc⌋/baseScale⌋ ≤ amount`, so `buyCollateral(B)`
 * does not revert `InsufficientReserves` on a lot of `amount`. Source: `Comet.sol` `quoteCollateral`
 * (its inverse, rounded down).
 */
export function storeFrontBaseFor(config: Config, symbol: string, amount: bigint, prices: Prices): bigint {
  const info = assetInfo(config, symbol);
  const discounted = mulFactor(priceOf(prices, symbol), FACTOR_SCALE - storeFrontDiscount(config, symbol));
  return (amount * discounted * baseScaleOf(config)) / (priceOf(prices, config.baseSymbol) * info.scale);
}

/** One asset of a {@link storeFrontSale}. */
export interface StoreFrontLot {
  readonly symbol: string;
  /** Collateral the protocol holds after absorb [token units]. */
  readonly amount: bigint;
  /** Its oracle value [1e8 USD]. */
  readonly value: bigint;
  /** Store-front discount [1e18]. */
  readonly discount: bigint;
  /** Whether `buyCollateral` was open (reserves below target) when this lot came up. */
  readonly forSale: boolean;
  /** Base a buyer pays for (nearly) the whole lot [base units]; 0 when not for sale. */
  readonly basePaid: bigint;
  /** Collateral bought (`quoteCollateral(basePaid)`) and left with the protocol [token units]. */
  readonly collateralSold: bigint;
  readonly collateralLeft: bigint;
  /** Base reserves after this lot [base units]. */
  readonly reservesAfter: bigint;
}

/** The outcome of {@link storeFrontSale}. */
export interface StoreFrontSaleResult {
  readonly lots: readonly StoreFrontLot[];
  /** `Σ basePaid` [base units]: what the protocol recovers in base. */
  readonly baseRecovered: bigint;
  /** `baseRecovered − basePaidOut` of the absorb [base units]: the protocol's net result. */
  readonly netToReserves: bigint;
  readonly reservesBefore: bigint;
  readonly reservesAfter: bigint;
}

/**
 * Sells what `absorb` seized through the store front, one buyer per asset in the market's order, each
 * buying as much of the lot as a whole number of base units buys: `basePaid = ⌊amount·P_disc·baseScale /
 * (P_base·scale)⌋` with `P_disc = ⌊P·(1 − discount)⌋`, the largest amount whose `quoteCollateral` does not
 * exceed the lot (`buyCollateral` reverts `InsufficientReserves` beyond it). Before each purchase the gate
 * is checked: `buyCollateral` reverts `NotForSale` once `reserves ≥ 0` and `reserves ≥ targetReserves`, so
 * lots after that stay with the protocol. Model: the seized collateral is the protocol's only collateral
 * reserve of the asset, and buyers pay the full discounted price (no competition, no slippage).
 * Source: `Comet.sol` `buyCollateral`, `quoteCollateral`; research note §6.
 */
export function storeFrontSale(config: Config, absorbed: AbsorbResult, prices: Prices): StoreFrontSaleResult {
  let reserves = absorbed.reservesAfter;
  const lots = absorbed.seized.map((lot): StoreFrontLot => {
    const discount = storeFrontDiscount(config, lot.symbol);
    const open = isForSale(config, reserves);
    if (!open || lot.amount === 0n)
      return {
        symbol: lot.symbol,
        amount: lot.amount,
        value: lot.value,
        discount,
        forSale: open,
        basePaid: 0n,
        collateralSold: 0n,
        collateralLeft: lot.amount,
        reservesAfter: reserves,
      };
    const basePaid = storeFrontBaseFor(config, lot.symbol, lot.amount, prices);
    const sold = buyCollateral(
      config,
      { symbol: lot.symbol, baseAmount: basePaid, minAmount: 0n, reserves, collateralReserves: lot.amount },
      prices,
    );
    reserves = sold.reservesAfter;
    return {
      symbol: lot.symbol,
      amount: lot.amount,
      value: lot.value,
      discount,
      forSale: true,
      basePaid,
      collateralSold: sold.collateralAmount,
      collateralLeft: sold.collateralReservesAfter,
      reservesAfter: reserves,
    };
  });
  const baseRecovered = lots.reduce((s, l) => s + l.basePaid, 0n);
  return {
    lots,
    baseRecovered,
    netToReserves: baseRecovered - absorbed.basePaidOut,
    reservesBefore: absorbed.reservesAfter,
    reservesAfter: reserves,
  };
}

// --- float view --------------------------------------------------------------------------------

/**
 * The float {@link LendingAccount} of a Comet account: each collateral with
 * `liquidationThreshold = liquidateCollateralFactor` and `ltv = borrowCollateralFactor` (as Comet
 * stores them, 4 decimals), debt = the negative base balance. Its `healthFactor` is
 * `Σ value·liquidateCF / debt`; `isLiquidatable` ⇔ `healthFactor < 1` up to Comet's per-term rounding.
 * Source: `Comet.sol` `isLiquidatable`; `src/margin/lending.ts`.
 */
export function lendingAccount(config: Config, account: Account, prices: Prices): LendingAccount {
  const baseScale = config.baseDecimals;
  const collateral = heldAssets(config, account).map((asset) => {
    const info = assetInfo(config, asset.symbol);
    return {
      symbol: asset.symbol,
      amount: fromFixed(account.collateral[asset.symbol] ?? 0n, asset.decimals),
      price: fromFixed(priceOf(prices, asset.symbol), 8),
      liquidationThreshold: fromFixed(info.liquidateCollateralFactor, 18),
      ltv: fromFixed(info.borrowCollateralFactor, 18),
    };
  });
  const debt =
    account.baseBalance < 0n
      ? [
          {
            symbol: config.baseSymbol,
            amount: fromFixed(-account.baseBalance, baseScale),
            price: fromFixed(priceOf(prices, config.baseSymbol), 8),
          },
        ]
      : [];
  return { collateral, debt };
}

/**
 * Float summary of a Comet account: health factor `Σ value·liquidateCF / debt` and each collateral's
 * liquidation price (other prices held), from {@link lendingAccount} and `src/margin/lending.ts`.
 * Source: `Comet.sol` `isLiquidatable` (threshold = liquidateCollateralFactor).
 */
export function riskView(
  config: Config,
  account: Account,
  prices: Prices,
): {
  account: LendingAccount;
  healthFactor: number;
  liquidationPrices: { symbol: string; price: number | null; reason: string | null }[];
} {
  const lending = lendingAccount(config, account, prices);
  return {
    account: lending,
    healthFactor: healthFactor(lending),
    liquidationPrices: lending.collateral.map((c, i) => ({
      symbol: c.symbol,
      ...collateralLiquidationPrice(lending, i),
    })),
  };
}

// --- bundled configuration ----------------------------------------------------------------------

/**
 * cUSDCv3 on Ethereum mainnet, launch configuration (August 2022), as in compound-finance/comet
 * `deployments/mainnet/usdc/configuration.json` (the version the research note §6 quotes; stored copy
 * at commit dc111015983a377ddc6401642830e74cc83e417f): base USDC (6 decimals), storeFrontPriceFactor
 * 0.5, targetReserves 5,000,000 USDC, borrowMin 100 USDC; COMP 0.65/0.70/0.93, WBTC 0.70/0.77/0.95,
 * WETH 0.825/0.895/0.95, UNI 0.75/0.81/0.93, LINK 0.79/0.85/0.93 (borrowCF/liquidateCF/liquidationFactor).
 * Governance has changed these since (and another stored version of that file, commit 3daf2050…, has
 * different factors — see docs/reference/compound-v3.md); read live values from the chain for current risk.
 */
export const CUSDCV3_MAINNET_LAUNCH: Config = {
  name: "Compound USDC (cUSDCv3), Ethereum mainnet, launch configuration",
  baseSymbol: "USDC",
  baseDecimals: 6,
  storeFrontPriceFactor: factor("0.5"),
  targetReserves: 5_000_000n * 10n ** 6n,
  baseBorrowMin: 100n * 10n ** 6n,
  assets: [
    {
      symbol: "COMP",
      decimals: 18,
      borrowCollateralFactor: factor("0.65"),
      liquidateCollateralFactor: factor("0.70"),
      liquidationFactor: factor("0.93"),
    },
    {
      symbol: "WBTC",
      decimals: 8,
      borrowCollateralFactor: factor("0.70"),
      liquidateCollateralFactor: factor("0.77"),
      liquidationFactor: factor("0.95"),
    },
    {
      symbol: "WETH",
      decimals: 18,
      borrowCollateralFactor: factor("0.825"),
      liquidateCollateralFactor: factor("0.895"),
      liquidationFactor: factor("0.95"),
    },
    {
      symbol: "UNI",
      decimals: 18,
      borrowCollateralFactor: factor("0.75"),
      liquidateCollateralFactor: factor("0.81"),
      liquidationFactor: factor("0.93"),
    },
    {
      symbol: "LINK",
      decimals: 18,
      borrowCollateralFactor: factor("0.79"),
      liquidateCollateralFactor: factor("0.85"),
      liquidationFactor: factor("0.93"),
    },
  ],
};

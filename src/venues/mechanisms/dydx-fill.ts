import { InputError } from "../../errors.js";
import { fixedToDecimalText, fromFixed } from "../../math/fixed-point.js";
import { MAX_PRICE_USD, readArray, readNumber, readRecord, readString } from "../../validate.js";
import { readSignedDecimalUnits } from "../drift-document.js";
import {
  bankruptcyQuoteQuantums,
  fillablePrice,
  isLiquidatable,
  isValidInsuranceFundDelta,
  type LiquidationsConfig,
  type LiquidityTier,
  liquidationInsuranceFundDelta,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  MAINNET_GENESIS_LIQUIDITY_TIERS,
  type Market,
  quantumPriceToUsd,
  type Rational,
  type Risk,
  rationalToNumber,
  type Subaccount,
  subaccountRisk,
  validateLiquidityTier,
} from "../dydx-v4.js";
import { readDecimalUnits } from "../lending-document.js";

/** The fee and fillable-price parameters of `clob.liquidations_config`. */
export type DydxFillConfig = Pick<
  LiquidationsConfig,
  "maxLiquidationFeePpm" | "bankruptcyAdjustmentPpm" | "spreadToMaintenanceMarginRatioPpm"
>;

/** The input of {@link dydxLiquidationFill}. */
export interface DydxFillInput {
  subaccount: Subaccount;
  ticker: string;
  /** Signed base quantums the liquidation closes (opposite to the position, not larger). */
  deltaQuantums: bigint;
  /** The fill's price in quote quantums per base quantum; undefined = at the fillable price. */
  price?: Rational;
  config: DydxFillConfig;
  /** Insurance-fund balance in quote quantums, to check that it can pay; undefined = not checked. */
  insuranceFundBalance?: bigint;
}

/** One liquidation fill as the chain settles it, in quote quantums (1e-6 USDC) and base quantums. */
export interface DydxFill {
  riskBefore: Risk;
  /** `bankruptcy(Δ) = −ΔNNV − ⌊TNC·|ΔMMR|/TMMR⌋`: the least the subaccount must receive (negative: the most it may pay). */
  bankruptcyQuoteQuantums: bigint;
  /** Worst price the liquidation order may fill at (quote quantums per base quantum). */
  fillablePrice: Rational;
  /** The price used for the fill. */
  price: Rational;
  /** Quote quantums exchanged (magnitude): `|Δ|·price`, rounded toward the subaccount's disadvantage. */
  quoteQuantums: bigint;
  /** `quoteReceived − bankruptcy(Δ)` capped at the fee: > 0 the fund receives, < 0 it pays. */
  insuranceFundDelta: bigint;
  /** Whether the fund can absorb the delta (null when its balance was not given). */
  insuranceFundCanPay: boolean | null;
  /** The subaccount after the fill: USDC `+ quoteReceived − insuranceFundDelta`, position `+ Δ`. */
  subaccountAfter: Subaccount;
  riskAfter: Risk;
}

const ratFloor = (r: Rational): bigint => (r.num >= 0n ? r.num / r.den : -((-r.num + r.den - 1n) / r.den));
const ratCeil = (r: Rational): bigint => -ratFloor({ num: -r.num, den: r.den });

/**
 * A liquidation fill on dYdX v4: the fillable price `(PNNV − ABR·SMMR·PMMR)/PS` with
 * `ABR = clamp(BA·(1 − TNC/TMMR), 0, 1)` ({@link fillablePrice}), the fill at `price` (default the
 * fillable price; a sell's quote rounded up, a buy's down, as the order's subticks are), the bankruptcy
 * quote ({@link bankruptcyQuoteQuantums}), the insurance-fund delta
 * `min(⌊|quote|·maxLiquidationFee⌋, quoteReceived − bankruptcy)` when positive, else the shortfall the fund
 * pays ({@link liquidationInsuranceFundDelta}), and the subaccount after settlement:
 * `USDC + quoteReceived − delta` (so a fund-paid fill leaves exactly `USDC + bankruptcy`).
 * Source: dydxprotocol/v4-chain `x/clob/keeper/liquidations.go` (`GetFillablePrice`,
 * `GetBankruptcyPriceInQuoteQuantums`, `GetLiquidationInsuranceFundDelta`), `deleveraging.go`
 * (`IsValidInsuranceFundDelta`); example `TestGetLiquidationInsuranceFundDelta`: 0.1 BTC long with
 * USDC −5,100 sold at $56,100, fee 0.5 % → the fund receives 28,050,000 ($28.05).
 */
export function dydxLiquidationFill(input: DydxFillInput): DydxFill {
  const { subaccount, ticker, deltaQuantums, config } = input;
  const fillable = fillablePrice(subaccount, ticker, deltaQuantums, config);
  const bankruptcy = bankruptcyQuoteQuantums(subaccount, ticker, deltaQuantums);
  const price = input.price ?? fillable;
  const isBuy = deltaQuantums > 0n;
  const notional = { num: price.num * (isBuy ? deltaQuantums : -deltaQuantums), den: price.den };
  const quoteQuantums = isBuy ? ratFloor(notional) : ratCeil(notional);
  const fillQuantums = isBuy ? deltaQuantums : -deltaQuantums;
  const insuranceFundDelta = liquidationInsuranceFundDelta(
    subaccount,
    ticker,
    { isBuy, fillQuantums, quoteQuantums },
    config,
  );
  const quoteReceived = isBuy ? -quoteQuantums : quoteQuantums;
  const subaccountAfter: Subaccount = {
    quoteBalance: subaccount.quoteBalance + quoteReceived - insuranceFundDelta,
    positions: subaccount.positions
      .map((p) => (p.market.ticker === ticker ? { ...p, quantums: p.quantums + deltaQuantums } : p))
      .filter((p) => p.quantums !== 0n),
  };
  return {
    riskBefore: subaccountRisk(subaccount),
    bankruptcyQuoteQuantums: bankruptcy,
    fillablePrice: fillable,
    price,
    quoteQuantums,
    insuranceFundDelta,
    insuranceFundCanPay:
      input.insuranceFundBalance === undefined
        ? null
        : isValidInsuranceFundDelta(input.insuranceFundBalance, insuranceFundDelta),
    subaccountAfter,
    riskAfter: subaccountRisk(subaccountAfter),
  };
}

const USDC_DECIMALS = 6;
const usdcText = (q: bigint) => fixedToDecimalText(q, USDC_DECIMALS);

/** Net collateral and margin requirements as USDC decimal strings, and whether liquidatable. */
export interface DydxRiskText {
  netCollateral: string;
  initialMargin: string;
  maintenanceMargin: string;
  liquidatable: boolean;
}

const riskText = (r: Risk): DydxRiskText => ({
  netCollateral: usdcText(r.nc),
  initialMargin: usdcText(r.imr),
  maintenanceMargin: usdcText(r.mmr),
  liquidatable: isLiquidatable(r),
});

/** The `mechanism dydx-fill` result: USDC amounts as exact decimal strings, prices in USD per coin. */
export interface DydxFillReport {
  venue: "dydx-v4";
  ticker: string;
  side: "sell" | "buy";
  /** Base closed, in coins (exact decimal). */
  size: string;
  riskBefore: DydxRiskText;
  bankruptcyUsd: string;
  bankruptcyPriceUsd: number;
  fillablePriceUsd: number;
  /** The fillable price exactly, in quote quantums per base quantum (`num/den`). */
  fillablePriceQuantums: string;
  fillPriceUsd: number;
  quoteUsd: string;
  /** > 0: the fund receives this fee; < 0: the fund pays the shortfall. */
  insuranceFundDeltaUsd: string;
  insuranceFundCanPay: boolean | null;
  usdcAfter: string;
  positionAfter: string;
  riskAfter: DydxRiskText;
}

/** The fill as JSON, in USDC and USD per coin. */
function dydxFillView(input: DydxFillInput, fill: DydxFill): DydxFillReport {
  const market = input.subaccount.positions.find((p) => p.market.ticker === input.ticker)?.market;
  const resolution = market?.atomicResolution ?? 0;
  const coins = (q: bigint) => fixedToDecimalText(q, -resolution);
  const magnitude = input.deltaQuantums < 0n ? -input.deltaQuantums : input.deltaQuantums;
  const after = fill.subaccountAfter.positions.find((p) => p.market.ticker === input.ticker)?.quantums ?? 0n;
  return {
    venue: "dydx-v4",
    ticker: input.ticker,
    side: input.deltaQuantums > 0n ? "buy" : "sell",
    size: coins(magnitude),
    riskBefore: riskText(fill.riskBefore),
    bankruptcyUsd: usdcText(fill.bankruptcyQuoteQuantums),
    bankruptcyPriceUsd:
      (fromFixed(fill.bankruptcyQuoteQuantums, USDC_DECIMALS) / Number(magnitude)) * 10 ** -resolution,
    fillablePriceUsd: quantumPriceToUsd(fill.fillablePrice, resolution),
    fillablePriceQuantums: `${fill.fillablePrice.num}/${fill.fillablePrice.den}`,
    fillPriceUsd: rationalToNumber(fill.price) * 10 ** (-USDC_DECIMALS - resolution),
    quoteUsd: usdcText(fill.quoteQuantums),
    insuranceFundDeltaUsd: usdcText(fill.insuranceFundDelta),
    insuranceFundCanPay: fill.insuranceFundCanPay,
    usdcAfter: usdcText(fill.subaccountAfter.quoteBalance),
    positionAfter: coins(after),
    riskAfter: riskText(fill.riskAfter),
  };
}

function readInteger(value: unknown, field: string, min: number, max: number, fix: string): number {
  const x = readNumber(value, field, { min, max, fix });
  if (!Number.isInteger(x)) throw new InputError(field, value, "must be an integer", fix);
  return x;
}

function readTier(raw: unknown, field: string): LiquidityTier {
  const names = MAINNET_GENESIS_LIQUIDITY_TIERS.map((t) => t.name);
  if (typeof raw === "string") {
    const tier = MAINNET_GENESIS_LIQUIDITY_TIERS.find((t) => t.name === raw);
    if (tier === undefined)
      throw new InputError(field, raw, "is not a genesis liquidity tier", `Use one of: ${names.join(", ")}.`);
    return tier;
  }
  const t = readRecord(
    raw,
    field,
    `A tier name (${names.join(", ")}) or {initialMarginPpm, maintenanceFractionPpm}.`,
  );
  const ppm = "Parts per million, 0 to 1,000,000, e.g. 200000 for 20 %.";
  return validateLiquidityTier(
    {
      id: -1,
      name: "custom",
      initialMarginPpm: readInteger(t.initialMarginPpm, `${field}.initialMarginPpm`, 0, 1_000_000, ppm),
      maintenanceFractionPpm: readInteger(
        t.maintenanceFractionPpm,
        `${field}.maintenanceFractionPpm`,
        0,
        1_000_000,
        ppm,
      ),
      openInterestLowerCap: 0n,
      openInterestUpperCap: 0n,
      impactNotional: 1n,
    },
    field,
  );
}

function readConfig(raw: unknown): DydxFillConfig {
  const g = MAINNET_GENESIS_LIQUIDATIONS_CONFIG;
  if (raw === undefined) return g;
  const c = readRecord(
    raw,
    "config",
    "Give {maxLiquidationFeePpm, bankruptcyAdjustmentPpm, spreadToMaintenanceMarginRatioPpm}.",
  );
  const ppm = (key: keyof DydxFillConfig, min: number, max: number) =>
    c[key] === undefined ? g[key] : readInteger(c[key], `config.${key}`, min, max, "Parts per million.");
  return {
    maxLiquidationFeePpm: ppm("maxLiquidationFeePpm", 0, 1_000_000),
    bankruptcyAdjustmentPpm: ppm("bankruptcyAdjustmentPpm", 1_000_000, Number.MAX_SAFE_INTEGER),
    spreadToMaintenanceMarginRatioPpm: ppm("spreadToMaintenanceMarginRatioPpm", 1, Number.MAX_SAFE_INTEGER),
  };
}

/**
 * Reads a dYdX fill document (schema `schemas/dydx-fill.schema.json`): `usdc` (signed), `markets
 * [{ticker, atomicResolution, priceValue, priceExponent, liquidityTier}]`, `positions [{ticker, size}]` in
 * coins, `fill {ticker, size, price?}` (size signed, opposite to the position; price in USD per coin, default
 * the fillable price), optional `config` (default mainnet genesis) and `insuranceFundBalance` in USDC.
 * Throws an {@link InputError} naming the field, e.g. `fill.size`.
 */
export function readDydxFillDocument(raw: unknown): DydxFillInput {
  const doc = readRecord(
    raw,
    "document",
    "The fill document is a JSON object; see schemas/dydx-fill.schema.json.",
  );
  const usdcFix = "USDC with at most 6 decimals, e.g. -4501.";
  const quoteBalance = readSignedDecimalUnits(doc.usdc, "usdc", USDC_DECIMALS, usdcFix);
  const markets = new Map<string, Market>();
  readArray(doc.markets, "markets", "List the markets the positions are in.").forEach((row, i) => {
    const at = `markets[${i}]`;
    const m = readRecord(
      row,
      at,
      "Each market is {ticker, atomicResolution, priceValue, priceExponent, liquidityTier}.",
    );
    const ticker = readString(m.ticker, `${at}.ticker`, "e.g. BTC-USD.");
    if (markets.has(ticker))
      throw new InputError(`${at}.ticker`, ticker, "is listed twice", "List each market once.");
    markets.set(ticker, {
      ticker,
      atomicResolution: readInteger(
        m.atomicResolution,
        `${at}.atomicResolution`,
        -30,
        0,
        "e.g. -10 for BTC-USD.",
      ),
      priceValue: readDecimalUnits(m.priceValue, `${at}.priceValue`, 0, {
        excess: "reject",
        positive: true,
        fix: "The oracle price's integer value, e.g. 5000000000.",
      }),
      priceExponent: readInteger(m.priceExponent, `${at}.priceExponent`, -30, 30, "e.g. -5."),
      tier: readTier(m.liquidityTier, `${at}.liquidityTier`),
    });
  });
  const market = (value: unknown, field: string): Market => {
    const ticker = readString(value, field, "Name a market of `markets`.");
    const found = markets.get(ticker);
    if (found === undefined)
      throw new InputError(
        field,
        ticker,
        "is not in markets",
        `Use one of: ${[...markets.keys()].join(", ")}.`,
      );
    return found;
  };
  const coinsFix = (m: Market) => `Coins with at most ${-m.atomicResolution} decimals (+ long, − short).`;
  const positions = readArray(doc.positions, "positions", "List the subaccount's positions.").map(
    (row, i) => {
      const at = `positions[${i}]`;
      const p = readRecord(row, at, "Each position is {ticker, size}.");
      const m = market(p.ticker, `${at}.ticker`);
      return {
        market: m,
        quantums: readSignedDecimalUnits(p.size, `${at}.size`, -m.atomicResolution, coinsFix(m)),
      };
    },
  );
  const f = readRecord(doc.fill, "fill", "Give the fill: {ticker, size, price?}.");
  const m = market(f.ticker, "fill.ticker");
  const deltaQuantums = readSignedDecimalUnits(f.size, "fill.size", -m.atomicResolution, coinsFix(m));
  const held = positions.find((p) => p.market === m)?.quantums ?? 0n;
  if (
    deltaQuantums === 0n ||
    deltaQuantums > 0n === held > 0n ||
    (deltaQuantums < 0n ? -deltaQuantums : deltaQuantums) > (held < 0n ? -held : held)
  )
    throw new InputError(
      "fill.size",
      f.size,
      `must close part of the ${m.ticker} position (${fixedToDecimalText(held, -m.atomicResolution)})`,
      "Give a non-zero size of the opposite sign, not larger than the position.",
    );
  const PRICE_DECIMALS = 12;
  const price =
    f.price === undefined
      ? undefined
      : {
          // USD/coin → quote quantums per base quantum: × 10^(atomicResolution + 6)
          num:
            readDecimalUnits(f.price, "fill.price", PRICE_DECIMALS, {
              excess: "truncate",
              positive: true,
              maxMagnitude: MAX_PRICE_USD,
              fix: "The fill's price in USD per coin, e.g. 56100.",
            }) *
            10n ** BigInt(Math.max(0, m.atomicResolution + USDC_DECIMALS)),
          den: 10n ** BigInt(PRICE_DECIMALS + Math.max(0, -(m.atomicResolution + USDC_DECIMALS))),
        };
  const balance =
    doc.insuranceFundBalance === undefined
      ? undefined
      : readDecimalUnits(doc.insuranceFundBalance, "insuranceFundBalance", USDC_DECIMALS, {
          excess: "reject",
          fix: "The fund's USDC balance.",
        });
  return {
    subaccount: { quoteBalance, positions },
    ticker: m.ticker,
    deltaQuantums,
    ...(price === undefined ? {} : { price }),
    config: readConfig(doc.config),
    ...(balance === undefined ? {} : { insuranceFundBalance: balance }),
  };
}

/** The `mechanism dydx-fill` workflow: reads the document, settles the fill, returns the JSON view. */
export function dydxFillReport(raw: unknown): DydxFillReport {
  const input = readDydxFillDocument(raw);
  return dydxFillView(input, dydxLiquidationFill(input));
}

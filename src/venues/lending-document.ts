import { describeValue, InputError } from "../errors.js";
import type { LendingAccount } from "../margin/lending.js";
import {
  checkMagnitude,
  MAX_AMOUNT,
  MAX_PRICE_USD,
  readArray,
  readChoice,
  readNumber,
  readRecord,
  readString,
} from "../validate.js";
import {
  type Account as AaveAccount,
  aTokenBalance,
  DEBT_CEILING_DECIMALS,
  type EModeCategory,
  type Market,
  type ReserveParams,
  type Supply,
  toLendingAccount,
  type Version,
  validateMarket,
  variableDebtBalance,
} from "./aave-v3.js";
import {
  type AssetConfig,
  type Account as CometAccount,
  type Config,
  CUSDCV3_MAINNET_LAUNCH,
  lendingAccount,
  type Prices,
  validateConfig,
} from "./compound-v3.js";
import {
  ETH_B_APRIL_2021,
  ILK_MAT,
  type PriceCurve,
  type Rad,
  type Ray,
  type Urn,
  vaultLendingAccount,
  type Wad,
} from "./maker-clip.js";

/** Ids of the lending venues an account document can name. */
export const LENDING_VENUE_IDS = ["aave-v3", "compound-v3", "maker"] as const;

/** A lending venue id: `"aave-v3"`, `"compound-v3"` or `"maker"`. */
export type LendingVenueId = (typeof LENDING_VENUE_IDS)[number];

/** Whether `id` names a lending venue (so a document is read by {@link resolveLendingDocument}). */
export function isLendingVenue(id: unknown): id is LendingVenueId {
  return typeof id === "string" && (LENDING_VENUE_IDS as readonly string[]).includes(id);
}

/** An Aave v3 document resolved to the exact rulebook's account and market, plus its float view. */
export interface ResolvedAaveDocument {
  venue: "aave-v3";
  market: Market;
  account: AaveAccount;
  /** {@link toLendingAccount} of the exact account (amounts and prices as the Pool sees them). */
  lending: LendingAccount;
}

/** A Compound v3 document resolved to the exact Comet config, account and prices, plus its float view. */
export interface ResolvedCompoundDocument {
  venue: "compound-v3";
  config: Config;
  account: CometAccount;
  prices: Prices;
  /** The protocol's base reserves before an absorb [base units] (document `reserves`, default 0). */
  reserves: bigint;
  /** {@link lendingAccount} of the exact account. */
  lending: LendingAccount;
}

/**
 * The governed parameters of a Maker ilk in dss units. `mat` is always present (the reader requires
 * it); `dust` has no default and is checked by the commands that need it (`liquidate`).
 */
export interface MakerIlkParams {
  /** Liquidation ratio [ray], e.g. 1.3 for 130 %. */
  mat: Ray;
  /** Liquidation penalty multiplier [wad], e.g. 1.13. */
  chop: Wad;
  /** Minimum vault debt [rad]; undefined when the document does not give it. */
  dust: Rad | undefined;
  /** Limit on DAI in this ilk's auctions [rad] (also used as the Dog's global `Hole`). */
  hole: Rad;
  /** Starting-price multiplier [ray]. */
  buf: Ray;
  /** Seconds after which an auction needs a reset. */
  tail: bigint;
  /** price/top below which an auction needs a reset [ray]. */
  cusp: Ray;
  /** The Abacus: stairstep exponential decrease (`cut` [ray] every `step` seconds). */
  calc: PriceCurve & { kind: "stairstep" };
  /** Flat keeper incentive [rad]. */
  tip: Rad;
  /** Keeper incentive as a share of tab [wad]. */
  chip: Wad;
}

/** A Maker vault document resolved to dss units (rate 1: the debt is the normalised debt). */
export interface ResolvedMakerDocument {
  venue: "maker";
  ilk: string;
  /** The collateral's symbol (the document's `collateral[0].symbol`). */
  symbol: string;
  /** The vault: `ink` [wad] locked collateral, `art` [wad] debt with `rate = RAY`. */
  urn: Urn;
  /** Debt accumulator [ray]; the document gives the debt in DAI, so always `RAY`. */
  rate: Ray;
  /** The collateral's (OSM) price in DAI [ray], the Clipper's feed price. */
  feedPrice: Ray;
  params: MakerIlkParams;
  /** {@link vaultLendingAccount} of the vault. */
  lending: LendingAccount;
}

/** A lending account document resolved against its venue's exact rulebook. */
export type ResolvedLendingDocument = ResolvedAaveDocument | ResolvedCompoundDocument | ResolvedMakerDocument;

/** Decimals of the 1e8 USD prices both rulebooks use. */
const PRICE_DECIMALS = 8;

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A non-negative decimal (JSON number or decimal string, exponent allowed) as a fixed-point bigint
 * with `decimals` digits. Numbers are read through their shortest decimal form (`0.1` is `"0.1"`),
 * so no binary noise enters. More digits than `decimals` are an error when `excess` is `"reject"`
 * (token amounts: a token cannot hold less than one unit), and are truncated when `"truncate"`
 * (prices: the feeds carry 8 decimals). A value above `maxMagnitude` (default {@link MAX_AMOUNT}) is
 * refused before any bigint is built from it. Throws an {@link InputError} naming `field`.
 */
export function readDecimalUnits(
  value: unknown,
  field: string,
  decimals: number,
  options: { excess: "reject" | "truncate"; positive?: boolean; maxMagnitude?: number; fix: string },
): bigint {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InputError(field, value, "must be a finite number", options.fix);
    text = String(value);
  } else if (typeof value === "string") text = value.trim();
  else throw new InputError(field, value, "must be a number or a decimal string", options.fix);
  if (text.startsWith("-")) throw new InputError(field, value, "must not be negative", options.fix);
  const match = DECIMAL.exec(text);
  if (match === null) throw new InputError(field, value, "is not a decimal number", options.fix);
  checkMagnitude(Number(text), value, field, options.maxMagnitude ?? MAX_AMOUNT);
  const [, whole = "0", frac = "", exp = "0"] = match;
  const shift = Number(exp);
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > 1000)
    throw new InputError(field, value, "has an exponent out of range", options.fix);
  // digits × 10^(shift − frac.length), expressed with `decimals` decimals
  const digits = BigInt(`${whole}${frac}`);
  const power = shift - frac.length + decimals;
  let units: bigint;
  if (power >= 0) units = digits * 10n ** BigInt(power);
  else {
    const div = 10n ** BigInt(-power);
    if (digits % div !== 0n && options.excess === "reject")
      throw new InputError(field, value, `has more than ${decimals} decimals`, options.fix);
    units = digits / div;
  }
  if (options.positive === true && units === 0n)
    throw new InputError(
      field,
      value,
      decimals === PRICE_DECIMALS ? "must be at least 0.00000001" : "must be greater than 0",
      options.fix,
    );
  return units;
}

/** One `{symbol, amount, price}` entry of `collateral` or `debt`, amounts still raw. */
interface Holding {
  symbol: string;
  amount: unknown;
  price: unknown;
  at: string;
  /** Aave only: the scaled balance (token units), instead of `amount`. */
  scaledAmount?: unknown;
  /** Aave only: the collateral flag (default true). */
  usedAsCollateral?: unknown;
}

function readHoldings(raw: unknown, field: "collateral" | "debt", aave = false): Holding[] {
  const rows = readArray(raw, field, `List the ${field} as [{"symbol", "amount", "price"}]; [] for none.`);
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const at = `${field}[${i}]`;
    const r = readRecord(row, at, 'Each entry is {"symbol": "WETH", "amount": "1.5", "price": 3000}.');
    const symbol = readString(r.symbol, `${at}.symbol`, "Give the token's ticker, e.g. WETH.");
    if (seen.has(symbol))
      throw new InputError(`${at}.symbol`, symbol, `is listed twice in ${field}`, "Merge the amounts.");
    seen.add(symbol);
    for (const key of ["scaledAmount", "usedAsCollateral"])
      if (r[key] !== undefined && (!aave || (key === "usedAsCollateral" && field === "debt")))
        throw new InputError(
          `${at}.${key}`,
          r[key],
          "applies to aave-v3 collateral/holdings only",
          `Drop ${key}.`,
        );
    if (aave && r.scaledAmount !== undefined) {
      if (r.amount !== undefined)
        throw new InputError(
          `${at}.scaledAmount`,
          r.scaledAmount,
          "and amount: give one",
          "amount in tokens, or scaledAmount with the reserve's index.",
        );
    } else if (r.amount === undefined)
      throw new InputError(`${at}.amount`, undefined, "is required", 'Give the token amount, e.g. "1.5".');
    if (r.price === undefined)
      throw new InputError(
        `${at}.price`,
        undefined,
        "is required",
        "Give the USD price per token, e.g. 3000.",
      );
    return {
      symbol,
      amount: r.amount,
      price: r.price,
      at,
      ...(r.scaledAmount === undefined ? {} : { scaledAmount: r.scaledAmount }),
      ...(r.usedAsCollateral === undefined ? {} : { usedAsCollateral: r.usedAsCollateral }),
    };
  });
}

const AMOUNT_FIX = 'Give the amount in tokens as a non-negative decimal, e.g. "1.5" or 1.5.';
const PRICE_FIX = "Give the USD price per token as a positive number, e.g. 3000.";

/** Prices by symbol (1e8 USD); a symbol in both lists must carry the same price. */
function readPrices(holdings: readonly Holding[]): Record<string, bigint> {
  const prices: Record<string, bigint> = {};
  for (const h of holdings) {
    const p = readDecimalUnits(h.price, `${h.at}.price`, PRICE_DECIMALS, {
      excess: "truncate",
      positive: true,
      maxMagnitude: MAX_PRICE_USD,
      fix: PRICE_FIX,
    });
    const known = prices[h.symbol];
    if (known !== undefined && known !== p)
      throw new InputError(
        `${h.at}.price`,
        h.price,
        `differs from the price given for ${h.symbol} as collateral`,
        "Give one price per token.",
      );
    prices[h.symbol] = p;
  }
  return prices;
}

/** Rebuilds an {@link InputError} raised on a sub-object with its field under `prefix`. */
export function underField(err: unknown, prefix: string): unknown {
  if (!(err instanceof InputError)) return err;
  const head = `${err.field}: `;
  const tail = ` (got ${describeValue(err.value)}). ${err.fix}`;
  const problem =
    err.message.startsWith(head) && err.message.endsWith(tail)
      ? err.message.slice(head.length, err.message.length - tail.length)
      : err.message;
  return new InputError(`${prefix}.${err.field}`, err.value, problem, err.fix);
}

function intField(value: unknown, field: string, min: number, max: number, fix: string): number {
  const x = readNumber(value, field, { min, max, fix });
  if (!Number.isInteger(x)) throw new InputError(field, value, "must be an integer", fix);
  return x;
}

const AAVE_VERSIONS = ["3.7", "3.5", "3.3", "3.2"] as const satisfies readonly Version[];

function readAaveMarket(raw: unknown): {
  market: Market;
  indexes: Map<string, { liquidityIndex: bigint; variableBorrowIndex: bigint }>;
} {
  const fix = 'Give the market: {"version": "3.7", "reserves": [{symbol, decimals, ltvBps, ...}]}.';
  const m = readRecord(raw, "market", fix);
  const name = m.name === undefined ? "Aave v3 market" : readString(m.name, "market.name");
  const version = m.version === undefined ? "3.7" : readChoice(m.version, "market.version", AAVE_VERSIONS);
  const rows = readArray(m.reserves, "market.reserves", "List every reserve the account uses.");
  const bps = "Basis points: 10,000 = 100 %.";
  const reserves = rows.map((row, i): ReserveParams => {
    const at = `market.reserves[${i}]`;
    const r = readRecord(
      row,
      at,
      "Each reserve is {symbol, decimals, ltvBps, liquidationThresholdBps, ...}.",
    );
    return {
      symbol: readString(r.symbol, `${at}.symbol`, "Name the reserve, e.g. WETH."),
      decimals: intField(r.decimals, `${at}.decimals`, 0, 77, "Use the token's ERC-20 decimals."),
      ltvBps: intField(r.ltvBps, `${at}.ltvBps`, 0, 10_000, bps),
      liquidationThresholdBps: intField(
        r.liquidationThresholdBps,
        `${at}.liquidationThresholdBps`,
        0,
        10_000,
        bps,
      ),
      liquidationBonusBps: intField(
        r.liquidationBonusBps,
        `${at}.liquidationBonusBps`,
        0,
        65_535,
        "The bonus includes the principal: 10,500 = +5 %.",
      ),
      liquidationProtocolFeeBps: intField(
        r.liquidationProtocolFeeBps ?? 0,
        `${at}.liquidationProtocolFeeBps`,
        0,
        10_000,
        "A share of the bonus in bps, e.g. 1000 for 10 %.",
      ),
      ...readIsolationFields(r, at),
    };
  });
  const indexes = new Map<string, { liquidityIndex: bigint; variableBorrowIndex: bigint }>();
  rows.forEach((row, i) => {
    const r = row as Record<string, unknown>;
    const at = `market.reserves[${i}]`;
    const index = (key: string): bigint => {
      if (r[key] === undefined) return RAY_ONE;
      const v = readDecimalUnits(r[key], `${at}.${key}`, RAY_DECIMALS, {
        excess: "reject",
        fix: `The reserve's ${key} as a decimal (ray, 27 decimals), at least 1; read Pool.getReserveData(asset).${key}.`,
      });
      if (v < RAY_ONE)
        throw new InputError(
          `${at}.${key}`,
          r[key],
          "must be at least 1 (indexes start at 1 and only grow)",
          "Read Pool.getReserveData(asset).",
        );
      return v;
    };
    indexes.set(String(r.symbol), {
      liquidityIndex: index("liquidityIndex"),
      variableBorrowIndex: index("variableBorrowIndex"),
    });
  });
  const eModeCategories = m.eModeCategories === undefined ? undefined : readEModes(m.eModeCategories);
  const market: Market = {
    name,
    version,
    reserves,
    ...(eModeCategories === undefined ? {} : { eModeCategories }),
  };
  try {
    validateMarket(market);
  } catch (err) {
    throw underField(err, "market");
  }
  return { market, indexes };
}

/** Isolation-mode and siloed-borrowing fields of an Aave reserve row. */
function readIsolationFields(r: Record<string, unknown>, at: string): Partial<ReserveParams> {
  const usd2 = (key: string, where: string) =>
    readDecimalUnits(r[key], `${at}.${key}`, DEBT_CEILING_DECIMALS, {
      excess: "reject",
      fix: `USD with at most 2 decimals (DEBT_CEILING_DECIMALS); read ${where}.`,
    });
  const flag = (key: string, where: string): boolean | undefined => {
    if (r[key] === undefined) return undefined;
    if (typeof r[key] !== "boolean")
      throw new InputError(`${at}.${key}`, r[key], "must be true or false", `Read ${where}.`);
    return r[key] as boolean;
  };
  const out: Partial<ReserveParams> = {};
  if (r.debtCeiling !== undefined)
    out.debtCeiling = usd2("debtCeiling", "AaveProtocolDataProvider.getDebtCeiling(asset) (0: not isolated)");
  if (r.isolationModeTotalDebt !== undefined)
    out.isolationModeTotalDebt = usd2(
      "isolationModeTotalDebt",
      "Pool.getReserveData(asset).isolationModeTotalDebt",
    );
  const b = flag("borrowableInIsolation", "the reserve configuration (getBorrowableInIsolation)");
  if (b !== undefined) out.borrowableInIsolation = b;
  const sb = flag("siloedBorrowing", "AaveProtocolDataProvider.getSiloedBorrowing(asset)");
  if (sb !== undefined) out.siloedBorrowing = sb;
  return out;
}

/** `market.eModeCategories`: `[{id, label?, ltvBps, liquidationThresholdBps, liquidationBonusBps, collateralSymbols, borrowableSymbols?}]`. */
function readEModes(raw: unknown): EModeCategory[] {
  const bps = "Basis points: 10,000 = 100 %; read Pool.getEModeCategoryCollateralConfig(id).";
  return readArray(raw, "market.eModeCategories", "List the e-mode categories: [{id, ltvBps, ...}].").map(
    (row, i) => {
      const at = `market.eModeCategories[${i}]`;
      const c = readRecord(
        row,
        at,
        "Each category is {id, ltvBps, liquidationThresholdBps, liquidationBonusBps, collateralSymbols}.",
      );
      const symbols = (key: string) =>
        readArray(
          c[key],
          `${at}.${key}`,
          `List reserve symbols; read Pool.getEModeCategory${key === "collateralSymbols" ? "Collateral" : "Borrowable"}Bitmap(id).`,
        ).map((x, j) => readString(x, `${at}.${key}[${j}]`, "A reserve symbol."));
      return {
        id: intField(c.id, `${at}.id`, 1, 255, "Category ids run from 1 to 255."),
        ...(c.label === undefined ? {} : { label: readString(c.label, `${at}.label`) }),
        ltvBps: intField(c.ltvBps, `${at}.ltvBps`, 0, 10_000, bps),
        liquidationThresholdBps: intField(
          c.liquidationThresholdBps,
          `${at}.liquidationThresholdBps`,
          0,
          10_000,
          bps,
        ),
        liquidationBonusBps: intField(c.liquidationBonusBps, `${at}.liquidationBonusBps`, 0, 65_535, bps),
        collateralSymbols: symbols("collateralSymbols"),
        ...(c.borrowableSymbols === undefined ? {} : { borrowableSymbols: symbols("borrowableSymbols") }),
      };
    },
  );
}

function resolveAave(doc: Record<string, unknown>): ResolvedAaveDocument {
  const { market, indexes } = readAaveMarket(doc.market);
  const version = market.version ?? "3.7";
  const reserves = new Map(market.reserves.map((r) => [r.symbol, r]));
  const collateral = readHoldings(doc.collateral, "collateral", true);
  const debt = readHoldings(doc.debt, "debt", true);
  const reserveOf = (h: Holding): ReserveParams => {
    const r = reserves.get(h.symbol);
    if (r === undefined)
      throw new InputError(
        `${h.at}.symbol`,
        h.symbol,
        "is not a reserve of the market",
        `Add it to market.reserves or use one of: ${[...reserves.keys()].join(", ")}.`,
      );
    return r;
  };
  const units = (h: Holding, side: "supply" | "debt") => {
    const decimals = reserveOf(h).decimals;
    if (h.scaledAmount === undefined)
      return readDecimalUnits(h.amount, `${h.at}.amount`, decimals, { excess: "reject", fix: AMOUNT_FIX });
    const scaled = readDecimalUnits(h.scaledAmount, `${h.at}.scaledAmount`, decimals, {
      excess: "reject",
      fix: "The scaled balance in tokens (scaledBalanceOf / 10^decimals).",
    });
    const idx = indexes.get(h.symbol) ?? { liquidityIndex: RAY_ONE, variableBorrowIndex: RAY_ONE };
    return side === "supply"
      ? aTokenBalance(scaled, idx.liquidityIndex, version)
      : variableDebtBalance(scaled, idx.variableBorrowIndex, version);
  };
  const supplies: Supply[] = collateral.map((h) => {
    const balance = units(h, "supply");
    if (h.usedAsCollateral === undefined) return { symbol: h.symbol, balance };
    if (typeof h.usedAsCollateral !== "boolean")
      throw new InputError(
        `${h.at}.usedAsCollateral`,
        h.usedAsCollateral,
        "must be true or false",
        "The user's collateral flag.",
      );
    return { symbol: h.symbol, balance, usedAsCollateral: h.usedAsCollateral };
  });
  const borrows = debt.map((h) => ({ symbol: h.symbol, balance: units(h, "debt") }));
  const prices = readPrices([...collateral, ...debt]);
  const eModeCategoryId =
    doc.eModeCategoryId === undefined
      ? 0
      : intField(
          doc.eModeCategoryId,
          "eModeCategoryId",
          0,
          255,
          "The user's e-mode category (Pool.getUserEMode); 0 for none.",
        );
  if (eModeCategoryId !== 0 && !(market.eModeCategories ?? []).some((c) => c.id === eModeCategoryId))
    throw new InputError(
      "eModeCategoryId",
      eModeCategoryId,
      "is not a category in market.eModeCategories",
      "Add the category's parameters (Pool.getEModeCategoryCollateralConfig) or use 0.",
    );
  const account: AaveAccount = {
    supplies,
    borrows,
    prices,
    ...(eModeCategoryId === 0 ? {} : { eModeCategoryId }),
  };
  return { venue: "aave-v3", market, account, lending: toLendingAccount(account, market) };
}

function readCometConfig(raw: unknown): Config {
  if (raw === undefined) return CUSDCV3_MAINNET_LAUNCH;
  const m = readRecord(
    raw,
    "market",
    'Give the Comet market {baseSymbol, baseDecimals, storeFrontPriceFactor, targetReserves, assets}, or leave "market" out for cUSDCv3.',
  );
  const factorFix = 'A fraction from 0 to 1, e.g. "0.825".';
  const factor = (value: unknown, field: string) =>
    readDecimalUnits(value, field, 18, { excess: "reject", fix: factorFix });
  const baseDecimals = intField(
    m.baseDecimals,
    "market.baseDecimals",
    0,
    18,
    "The base token's decimals, e.g. 6.",
  );
  const rows = readArray(m.assets, "market.assets", "List the market's collateral assets.");
  const assets = rows.map((row, i): AssetConfig => {
    const at = `market.assets[${i}]`;
    const a = readRecord(row, at, "Each asset is {symbol, decimals, borrowCollateralFactor, ...}.");
    return {
      symbol: readString(a.symbol, `${at}.symbol`, "Name the asset, e.g. WETH."),
      decimals: intField(a.decimals, `${at}.decimals`, 0, 36, "Use the token's ERC-20 decimals."),
      borrowCollateralFactor: factor(a.borrowCollateralFactor, `${at}.borrowCollateralFactor`),
      liquidateCollateralFactor: factor(a.liquidateCollateralFactor, `${at}.liquidateCollateralFactor`),
      liquidationFactor: factor(a.liquidationFactor, `${at}.liquidationFactor`),
    };
  });
  const config: Config = {
    name: m.name === undefined ? "Comet market" : readString(m.name, "market.name"),
    baseSymbol: readString(m.baseSymbol, "market.baseSymbol", "Name the base asset, e.g. USDC."),
    baseDecimals,
    storeFrontPriceFactor: factor(m.storeFrontPriceFactor ?? "0.5", "market.storeFrontPriceFactor"),
    targetReserves: readDecimalUnits(m.targetReserves ?? 0, "market.targetReserves", baseDecimals, {
      excess: "reject",
      fix: "Give the target reserves in base tokens, e.g. 5000000.",
    }),
    assets,
  };
  try {
    return validateConfig(config);
  } catch (err) {
    throw underField(err, "market");
  }
}

function resolveCompound(doc: Record<string, unknown>): ResolvedCompoundDocument {
  const config = readCometConfig(doc.market);
  const collateral = readHoldings(doc.collateral, "collateral");
  const debt = readHoldings(doc.debt, "debt");
  const assets = new Map(config.assets.map((a) => [a.symbol, a]));
  const balances: Record<string, bigint> = {};
  for (const h of collateral) {
    const asset = assets.get(h.symbol);
    if (asset === undefined)
      throw new InputError(
        `${h.at}.symbol`,
        h.symbol,
        `is not a collateral asset of ${config.name}`,
        `Use one of: ${[...assets.keys()].join(", ")}.`,
      );
    balances[h.symbol] = readDecimalUnits(h.amount, `${h.at}.amount`, asset.decimals, {
      excess: "reject",
      fix: AMOUNT_FIX,
    });
  }
  if (debt.length > 1)
    throw new InputError(
      "debt",
      debt.map((d) => d.symbol),
      `must hold at most one entry (the base asset ${config.baseSymbol})`,
      "A Comet account borrows only the market's base asset.",
    );
  let baseBalance = 0n;
  const [owed] = debt;
  if (owed !== undefined) {
    if (owed.symbol !== config.baseSymbol)
      throw new InputError(
        "debt[0].symbol",
        owed.symbol,
        `must be the market's base asset ${config.baseSymbol}`,
        "A Comet account borrows only the base asset.",
      );
    baseBalance = -readDecimalUnits(owed.amount, "debt[0].amount", config.baseDecimals, {
      excess: "reject",
      fix: AMOUNT_FIX,
    });
  }
  const prices = readPrices([...collateral, ...debt]);
  const reserves =
    doc.reserves === undefined
      ? 0n
      : readDecimalUnits(doc.reserves, "reserves", config.baseDecimals, {
          excess: "reject",
          fix: `Give the protocol's reserves in ${config.baseSymbol}, e.g. 5000000.`,
        });
  const account: CometAccount = { baseBalance, collateral: balances };
  return {
    venue: "compound-v3",
    config,
    account,
    prices,
    reserves,
    lending: lendingAccount(config, account, prices),
  };
}

const RAY_DECIMALS = 27;
const RAY_ONE = 10n ** 27n;

/** `ilkParams` keys: dss name, decimals (null: integer seconds), default (undefined: none). */
const MAKER_PARAMS = {
  mat: { decimals: 27, fix: "The liquidation ratio, e.g. 1.3 for 130 %." },
  chop: { decimals: 18, fix: "1 + the liquidation penalty, e.g. 1.13 for 13 %." },
  dust: { decimals: 45, fix: "The minimum vault debt in DAI, e.g. 15000." },
  hole: { decimals: 45, fix: "The limit on DAI in this ilk's auctions, e.g. 8000000." },
  buf: { decimals: 27, fix: "The starting-price multiplier over the feed price, e.g. 1.3." },
  tail: { decimals: 0, fix: "Seconds before an auction needs a reset, e.g. 8400." },
  cusp: { decimals: 27, fix: "The price/top fraction below which an auction needs a reset, e.g. 0.4." },
  cut: { decimals: 27, fix: "The price multiplier per step, a fraction ≤ 1, e.g. 0.99." },
  step: { decimals: 0, fix: "Seconds between price cuts, a positive integer, e.g. 90." },
  tip: { decimals: 45, fix: "The flat keeper incentive in DAI, e.g. 0 or 300." },
  chip: { decimals: 18, fix: "The keeper incentive as a fraction of tab, e.g. 0.001." },
} as const;

type MakerParamKey = keyof typeof MAKER_PARAMS;

function readMakerParams(raw: unknown, ilk: string): MakerIlkParams {
  const p =
    raw === undefined
      ? {}
      : readRecord(raw, "ilkParams", 'Give the ilk\'s parameters, e.g. {"mat": 1.3, "dust": 15000}.');
  const keys = Object.keys(MAKER_PARAMS);
  for (const key of Object.keys(p))
    if (!keys.includes(key))
      throw new InputError(
        `ilkParams.${key}`,
        p[key],
        "is not a Maker ilk parameter",
        `Allowed: ${keys.join(", ")}.`,
      );
  const read = (key: MakerParamKey, fallback: bigint | undefined): bigint | undefined => {
    const spec = MAKER_PARAMS[key];
    if (p[key] === undefined) return fallback;
    return readDecimalUnits(p[key], `ilkParams.${key}`, spec.decimals, {
      excess: spec.decimals === 0 ? "reject" : "truncate",
      fix: spec.fix,
    });
  };
  const need = (key: MakerParamKey, fallback: bigint | undefined): bigint => {
    const v = read(key, fallback);
    if (v === undefined)
      throw new InputError(`ilkParams.${key}`, undefined, "is required", MAKER_PARAMS[key].fix);
    return v;
  };
  const e = ETH_B_APRIL_2021;
  const calc = e.calc as PriceCurve & { kind: "stairstep" };
  const bundledMat = ILK_MAT[ilk];
  if (p.mat === undefined && bundledMat === undefined)
    throw new InputError(
      "ilkParams.mat",
      undefined,
      `is required for ilk ${ilk} (liqopt bundles a sourced mat only for ${Object.keys(ILK_MAT).join(", ")})`,
      `${MAKER_PARAMS.mat.fix} Read it on-chain: Spot.ilks("${ilk}").mat (ray; 1.3e27 is 130 %).`,
    );
  const mat = need("mat", bundledMat);
  if (mat < RAY_ONE) throw new InputError("ilkParams.mat", p.mat, "must be at least 1", MAKER_PARAMS.mat.fix);
  const chop = need("chop", e.chop);
  if (chop < 10n ** 18n)
    throw new InputError(
      "ilkParams.chop",
      p.chop,
      "must be at least 1 (dss reverts with Dog/file-chop-lt-WAD)",
      MAKER_PARAMS.chop.fix,
    );
  const cut = need("cut", calc.cut);
  if (cut > RAY_ONE)
    throw new InputError(
      "ilkParams.cut",
      p.cut,
      "must be at most 1 (dss: …/cut-gt-RAY)",
      MAKER_PARAMS.cut.fix,
    );
  const step = need("step", calc.step);
  if (step === 0n) throw new InputError("ilkParams.step", p.step, "must be positive", MAKER_PARAMS.step.fix);
  const cusp = need("cusp", e.cusp);
  if (cusp > RAY_ONE)
    throw new InputError("ilkParams.cusp", p.cusp, "must be at most 1", MAKER_PARAMS.cusp.fix);
  const chip = need("chip", 0n);
  if (chip >= 2n ** 64n)
    throw new InputError("ilkParams.chip", p.chip, "does not fit uint64", MAKER_PARAMS.chip.fix);
  return {
    mat,
    chop,
    dust: read("dust", undefined),
    hole: need("hole", e.ilkHole),
    buf: need("buf", e.buf),
    tail: need("tail", e.tail),
    cusp,
    calc: { kind: "stairstep", cut, step },
    tip: need("tip", 0n),
    chip,
  };
}

function resolveMaker(doc: Record<string, unknown>): ResolvedMakerDocument {
  const ilk =
    doc.ilk === undefined ? ETH_B_APRIL_2021.ilk : readString(doc.ilk, "ilk", 'Name the ilk, e.g. "ETH-B".');
  const fixCollateral = 'A vault locks one collateral: [{"symbol": "ETH", "amount": "10", "price": 2000}].';
  const collateral = readArray(doc.collateral, "collateral", fixCollateral);
  if (collateral.length !== 1)
    throw new InputError("collateral", doc.collateral, "must hold exactly one entry", fixCollateral);
  const c = readRecord(collateral[0], "collateral[0]", fixCollateral);
  const symbol = readString(c.symbol, "collateral[0].symbol", "Give the collateral's ticker, e.g. ETH.");
  const ink = readDecimalUnits(c.amount ?? null, "collateral[0].amount", 18, {
    excess: "reject",
    fix: AMOUNT_FIX,
  });
  const feedPrice = readDecimalUnits(c.price ?? null, "collateral[0].price", RAY_DECIMALS, {
    excess: "truncate",
    positive: true,
    maxMagnitude: MAX_PRICE_USD,
    fix: "Give the collateral's (OSM) price in DAI, e.g. 2000.",
  });
  const fixDebt = 'A vault owes DAI only: [{"symbol": "DAI", "amount": "10000"}], or [] for none.';
  const debt = readArray(doc.debt, "debt", fixDebt);
  if (debt.length > 1) throw new InputError("debt", doc.debt, "must hold at most one entry (DAI)", fixDebt);
  let art = 0n;
  if (debt.length === 1) {
    const d = readRecord(debt[0], "debt[0]", fixDebt);
    const s = readString(d.symbol, "debt[0].symbol", fixDebt);
    if (s !== "DAI") throw new InputError("debt[0].symbol", s, "must be DAI", fixDebt);
    art = readDecimalUnits(d.amount ?? null, "debt[0].amount", 18, { excess: "reject", fix: AMOUNT_FIX });
    if (d.price !== undefined && Number(d.price) !== 1)
      throw new InputError(
        "debt[0].price",
        d.price,
        "must be 1 (the Vat counts DAI at par)",
        "Drop the price.",
      );
  }
  const params = readMakerParams(doc.ilkParams, ilk);
  const urn: Urn = { ink, art };
  const lending = vaultLendingAccount({
    urn,
    rate: RAY_ONE,
    price: Number(feedPrice) / 1e27,
    mat: Number(params.mat) / 1e27,
    symbol,
  });
  return { venue: "maker", ilk, symbol, urn, rate: RAY_ONE, feedPrice, params, lending };
}

/**
 * Reads a lending account document (schema: `schemas/lending-account.schema.json`):
 * `{venue, collateral: [{symbol, amount, price}], debt: [{symbol, amount, price}], market?}` with
 * amounts in tokens (decimal strings or numbers, converted exactly to token units) and USD prices
 * (converted to the 1e8 feed scale, digits beyond the 8th dropped).
 * - `"aave-v3"`: `market` is required: `{name?, version? ("3.7"), reserves: [{symbol, decimals,
 *   ltvBps, liquidationThresholdBps, liquidationBonusBps, liquidationProtocolFeeBps, debtCeiling?,
 *   isolationModeTotalDebt?, borrowableInIsolation?, siloedBorrowing?, liquidityIndex?,
 *   variableBorrowIndex?}], eModeCategories?}`, checked as the PoolConfigurator does
 *   (`validateMarket`); top-level `eModeCategoryId?`; a holding may give `scaledAmount` (balance =
 *   scaled × index, {@link aTokenBalance} / {@link variableDebtBalance}) instead of `amount`, and a
 *   collateral `usedAsCollateral: false`.
 * - `"compound-v3"`: `market` defaults to {@link CUSDCV3_MAINNET_LAUNCH}; otherwise `{name?,
 *   baseSymbol, baseDecimals, storeFrontPriceFactor?, targetReserves?, assets: [{symbol, decimals,
 *   borrowCollateralFactor, liquidateCollateralFactor, liquidationFactor}]}` with factors as
 *   decimal fractions. `debt` holds at most the base asset; optional `reserves` (base tokens) feed
 *   the absorb report.
 * - `"maker"`: a dss vault `{ilk? ("ETH-B"), collateral: [one {symbol, amount, price}], debt: [] or
 *   [{symbol: "DAI", amount, price? (1)}], ilkParams: {mat?, chop?, dust?, hole?, buf?, tail?, cusp?,
 *   cut?, step?, tip?, chip?}}` as decimals (DAI amounts for dust/hole/tip, seconds for tail/step);
 *   defaults from {@link ETH_B_APRIL_2021} (tip and chip 0); `mat` defaults to the sourced
 *   {@link ILK_MAT} for ETH-A/B/C and is required for any other ilk; `dust` is required only
 *   by `liquidate`. The debt is taken as `art` with `rate = 1`.
 * Every bad field raises an {@link InputError} naming it, e.g. `collateral[1].amount`.
 */
export function resolveLendingDocument(raw: unknown): ResolvedLendingDocument {
  const doc = readRecord(
    raw,
    "account",
    "The account document is a JSON object; see schemas/lending-account.schema.json.",
  );
  const venue = doc.venue;
  if (!isLendingVenue(venue))
    throw new InputError(
      "venue",
      venue,
      "is not a lending venue",
      `Use one of: ${LENDING_VENUE_IDS.join(", ")}.`,
    );
  const reader = READERS[venue];
  for (const key of Object.keys(doc))
    if (!reader.keys.includes(key))
      throw new InputError(
        key,
        doc[key],
        `is not a field of a ${venue} document`,
        `Allowed: ${reader.keys.join(", ")}.`,
      );
  return reader.read(doc);
}

/**
 * {@link resolveLendingDocument} for a document that must name `venue` (a venue's own reader): another
 * lending venue is an {@link InputError} on `venue`.
 */
export function resolveVenueDocument<V extends LendingVenueId>(
  raw: unknown,
  venue: V,
): Extract<ResolvedLendingDocument, { venue: V }> {
  const doc = resolveLendingDocument(raw);
  if (doc.venue !== venue)
    throw new InputError("venue", doc.venue, `is not ${venue}`, `Pass a ${venue} document.`);
  return doc as Extract<ResolvedLendingDocument, { venue: V }>;
}

/** Each lending venue's document fields and reader. */
const READERS: Record<
  LendingVenueId,
  { keys: readonly string[]; read: (doc: Record<string, unknown>) => ResolvedLendingDocument }
> = {
  "aave-v3": { keys: ["venue", "collateral", "debt", "market", "eModeCategoryId"], read: resolveAave },
  "compound-v3": { keys: ["venue", "collateral", "debt", "market", "reserves"], read: resolveCompound },
  maker: { keys: ["venue", "ilk", "collateral", "debt", "ilkParams"], read: resolveMaker },
};

/**
 * Drift v2 account documents (`venue: "drift-v2"`, schema `schemas/drift-account.schema.json`) and the
 * reports built on them: margin and liquidation prices (`liq-price`), one change (`what-if`) and the
 * step-by-step `liquidate_perp` sequence with bankruptcy resolution (`liquidate`).
 *
 * Drift's per-market risk parameters are on-chain state only (research note §12), so the document
 * carries them; every missing one is an {@link InputError} naming the field and the account field to
 * read it from. Values are given as decimal fractions / USD and converted exactly to the program's
 * precisions (ratios 1e4, fees and IMF 1e6, prices and quote 1e6, base 1e9); a value finer than the
 * program can hold is rejected (prices are truncated to 1e-6 as the oracle feed is).
 *
 * Sources: drift-labs/protocol-v2 `state/perp_market.rs` (`PerpMarket` fields), `state/state.rs`
 * (`liquidation_margin_buffer_ratio`, `initial_pct_to_liquidate`, `liquidation_duration`),
 * `state/user.rs::enter_liquidation` (sets `last_active_slot = slot`, `liquidation_margin_freed = 0`),
 * `controller/liquidation.rs::liquidate_perp`, `resolve_perp_bankruptcy`; research note §4, §10.5.
 */
import { InputError } from "../errors.js";
import { fromFixed } from "../math/fixed-point.js";
import { isRecord, readArray, readRecord, readString } from "../validate.js";
import {
  DRIFT_BASE_PRECISION,
  DRIFT_DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
  DRIFT_LIQUIDATION_PCT_PRECISION,
  DRIFT_MARGIN_PRECISION,
  type DriftAccount,
  type DriftPerpBankruptcyResolution,
  type DriftPerpLiquidation,
  type DriftPerpMarket,
  type DriftPerpPosition,
  driftBaseAssetValue,
  driftCanBeLiquidated,
  driftCanExitLiquidation,
  driftLiquidatePerp,
  driftLiquidationPrice,
  driftMarginCalculation,
  driftMarginRatio,
  driftMarginShortage,
  driftResolvePerpBankruptcy,
  validateDriftPerpMarket,
} from "./drift-v2.js";
import { readDecimalUnits } from "./lending-document.js";

/** The venue id of a Drift document. */
export const DRIFT_VENUE_ID = "drift-v2";

/** Per-market state needed only to resolve a bankruptcy (quote amounts 1e6, base 1e9). */
export interface DriftBankruptcyState {
  /** USDC in the insurance-fund vault (`SpotMarket[0]` insurance fund vault token balance). */
  insuranceFundVaultBalance: bigint;
  /** `PerpMarket.insurance_claim.quote_max_insurance`. */
  quoteMaxInsurance: bigint;
  /** `PerpMarket.insurance_claim.quote_settled_insurance`. */
  quoteSettledInsurance: bigint;
  /** `PerpMarket.amm.fee_pool` token balance. */
  feePool: bigint;
  /** `PerpMarket.amm.base_asset_amount_long` and `_short` (magnitudes) after the liquidation. */
  baseAssetAmountLong: bigint;
  baseAssetAmountShort: bigint;
}

/** One market of a Drift document: the program's parameters, its oracle price, and bankruptcy state if given. */
export interface DriftDocumentMarket {
  market: DriftPerpMarket;
  /** Oracle price (1e6). */
  oraclePrice: bigint;
  bankruptcy: DriftBankruptcyState | undefined;
}

/** The `State` account's liquidation parameters; undefined where the document does not give them. */
export interface DriftStateParams {
  /** Buffer (1e4) added to maintenance while in liquidation; default 200 (2 %). */
  liquidationMarginBufferRatio: number;
  /** `State.initial_pct_to_liquidate` (1e4); required by `liquidate`. */
  initialPctToLiquidate: bigint | undefined;
  /** `State.liquidation_duration` (slots); required by `liquidate`. */
  liquidationDuration: bigint | undefined;
}

/** A resolved Drift document: the exact account, its markets by symbol and the state parameters. */
export interface ResolvedDriftDocument {
  venue: "drift-v2";
  account: DriftAccount;
  markets: Map<string, DriftDocumentMarket>;
  state: DriftStateParams;
}

const fracFix = (decimals: number, eg: string, where: string) =>
  `A fraction with at most ${decimals} decimals, e.g. ${eg}. Drift keeps it on-chain only: read ${where}.`;

/** Where each market parameter lives on-chain, for the "missing field" errors. */
const MARKET_FIELDS = {
  marginRatioInitial: {
    decimals: 4,
    eg: "0.1 (10x)",
    where: "PerpMarket.margin_ratio_initial (1e4 precision; SDK getPerpMarketAccount(i).marginRatioInitial)",
  },
  marginRatioMaintenance: {
    decimals: 4,
    eg: "0.05",
    where: "PerpMarket.margin_ratio_maintenance (1e4 precision)",
  },
  imfFactor: {
    decimals: 6,
    eg: "0.0005 (0 disables the size premium)",
    where: "PerpMarket.imf_factor (1e6 precision)",
  },
  liquidatorFee: {
    decimals: 6,
    eg: "0.01",
    where: "PerpMarket.liquidator_fee (1e6 precision)",
  },
  ifLiquidationFee: {
    decimals: 6,
    eg: "0.01",
    where: "PerpMarket.if_liquidation_fee (1e6 precision)",
  },
} as const;

const MARKET_KEYS = [
  "symbol",
  ...Object.keys(MARKET_FIELDS),
  "oraclePrice",
  "orderStepSize",
  "unrealizedPnlMaintenanceAssetWeight",
  "highLeverageMarginRatioInitial",
  "highLeverageMarginRatioMaintenance",
  "bankruptcy",
];
const DOC_KEYS = ["venue", "quoteBalance", "highLeverageMode", "state", "markets", "positions"];

/** A signed decimal (`"-1.5"`, -1.5) as fixed point with `decimals` digits, excess digits rejected. */
export function readSigned(value: unknown, field: string, decimals: number, fix: string): bigint {
  const negative =
    (typeof value === "number" && value < 0) || (typeof value === "string" && value.trim().startsWith("-"));
  const magnitude =
    typeof value === "number"
      ? Math.abs(value)
      : typeof value === "string"
        ? value.trim().replace(/^-/, "")
        : value;
  const units = readDecimalUnits(magnitude, field, decimals, { excess: "reject", fix });
  return negative ? -units : units;
}

function fraction(raw: Record<string, unknown>, key: keyof typeof MARKET_FIELDS, at: string): number {
  const spec = MARKET_FIELDS[key];
  const field = `${at}.${key}`;
  const fix = fracFix(spec.decimals, spec.eg, spec.where);
  if (raw[key] === undefined) throw new InputError(field, undefined, "is required", fix);
  const units = readDecimalUnits(raw[key], field, spec.decimals, { excess: "reject", fix });
  if (units > 4_294_967_295n) throw new InputError(field, raw[key], "is out of range (u32)", fix);
  return Number(units);
}

function optionalRatio(
  raw: Record<string, unknown>,
  key: string,
  at: string,
  where: string,
): number | undefined {
  if (raw[key] === undefined) return undefined;
  return Number(
    readDecimalUnits(raw[key], `${at}.${key}`, 4, { excess: "reject", fix: fracFix(4, "0.05", where) }),
  );
}

function readBankruptcy(raw: unknown, at: string): DriftBankruptcyState | undefined {
  if (raw === undefined) return undefined;
  const b = readRecord(raw, at, "Give the insurance-fund and open-interest state (see the schema).");
  const need = (key: string, decimals: number, where: string): bigint => {
    const fix = `Give it in ${decimals === 9 ? "base tokens" : "USDC"}; read ${where}.`;
    if (b[key] === undefined) throw new InputError(`${at}.${key}`, undefined, "is required", fix);
    return readDecimalUnits(b[key], `${at}.${key}`, decimals, { excess: "reject", fix });
  };
  return {
    insuranceFundVaultBalance: need(
      "insuranceFundVaultBalance",
      6,
      "the USDC spot market's insurance-fund vault balance (SpotMarket[0].insurance_fund.vault)",
    ),
    quoteMaxInsurance: need("quoteMaxInsurance", 6, "PerpMarket.insurance_claim.quote_max_insurance"),
    quoteSettledInsurance:
      b.quoteSettledInsurance === undefined
        ? 0n
        : need("quoteSettledInsurance", 6, "PerpMarket.insurance_claim.quote_settled_insurance"),
    feePool: b.feePool === undefined ? 0n : need("feePool", 6, "PerpMarket.amm.fee_pool"),
    baseAssetAmountLong: need("baseAssetAmountLong", 9, "PerpMarket.amm.base_asset_amount_long"),
    baseAssetAmountShort: need(
      "baseAssetAmountShort",
      9,
      "PerpMarket.amm.base_asset_amount_short (magnitude)",
    ),
  };
}

function readMarket(row: unknown, at: string): DriftDocumentMarket {
  const r = readRecord(row, at, 'Each market is {"symbol", "marginRatioInitial", ..., "oraclePrice"}.');
  for (const key of Object.keys(r))
    if (!MARKET_KEYS.includes(key))
      throw new InputError(
        `${at}.${key}`,
        r[key],
        "is not a Drift market field",
        `Allowed: ${MARKET_KEYS.join(", ")}.`,
      );
  const symbol = readString(r.symbol, `${at}.symbol`, 'Name the market, e.g. "SOL-PERP".');
  const stepFix =
    "The base step in base tokens, e.g. 0.01; read PerpMarket.amm.order_step_size (1e9 precision).";
  const hi = optionalRatio(
    r,
    "highLeverageMarginRatioInitial",
    at,
    "PerpMarket.high_leverage_margin_ratio_initial",
  );
  const hm = optionalRatio(
    r,
    "highLeverageMarginRatioMaintenance",
    at,
    "PerpMarket.high_leverage_margin_ratio_maintenance",
  );
  const weight = optionalRatio(
    r,
    "unrealizedPnlMaintenanceAssetWeight",
    at,
    "PerpMarket.unrealized_pnl_maintenance_asset_weight",
  );
  const market: DriftPerpMarket = {
    symbol,
    marginRatioInitial: fraction(r, "marginRatioInitial", at),
    marginRatioMaintenance: fraction(r, "marginRatioMaintenance", at),
    imfFactor: fraction(r, "imfFactor", at),
    liquidatorFee: fraction(r, "liquidatorFee", at),
    ifLiquidationFee: fraction(r, "ifLiquidationFee", at),
    ...(hi === undefined ? {} : { highLeverageMarginRatioInitial: hi }),
    ...(hm === undefined ? {} : { highLeverageMarginRatioMaintenance: hm }),
    ...(weight === undefined ? {} : { unrealizedPnlMaintenanceAssetWeight: weight }),
    ...(r.orderStepSize === undefined
      ? {}
      : {
          orderStepSize: readDecimalUnits(r.orderStepSize, `${at}.orderStepSize`, 9, {
            excess: "reject",
            positive: true,
            fix: stepFix,
          }),
        }),
  };
  validateDriftPerpMarket(market, at);
  if (r.oraclePrice === undefined)
    throw new InputError(
      `${at}.oraclePrice`,
      undefined,
      "is required",
      "Give the oracle price in USD, e.g. 150; read the market's oracle (PerpMarket.amm.oracle; SDK getOracleDataForPerpMarket(i).price, 1e6).",
    );
  const oraclePrice = readDecimalUnits(r.oraclePrice, `${at}.oraclePrice`, 6, {
    excess: "truncate",
    positive: true,
    fix: "Give the oracle price in USD, e.g. 150.",
  });
  return { market, oraclePrice, bankruptcy: readBankruptcy(r.bankruptcy, `${at}.bankruptcy`) };
}

function readState(raw: unknown): DriftStateParams {
  const s =
    raw === undefined ? {} : readRecord(raw, "state", "Give the State account's liquidation parameters.");
  const allowed = ["liquidationMarginBufferRatio", "initialPctToLiquidate", "liquidationDuration"];
  for (const key of Object.keys(s))
    if (!allowed.includes(key))
      throw new InputError(
        `state.${key}`,
        s[key],
        "is not a Drift State field",
        `Allowed: ${allowed.join(", ")}.`,
      );
  const buffer =
    s.liquidationMarginBufferRatio === undefined
      ? DRIFT_DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO
      : Number(
          readDecimalUnits(s.liquidationMarginBufferRatio, "state.liquidationMarginBufferRatio", 4, {
            excess: "reject",
            fix: fracFix(4, "0.02", "State.liquidation_margin_buffer_ratio (1e4 precision)"),
          }),
        );
  const pct =
    s.initialPctToLiquidate === undefined
      ? undefined
      : readDecimalUnits(s.initialPctToLiquidate, "state.initialPctToLiquidate", 4, {
          excess: "reject",
          fix: fracFix(4, "0.1", "State.initial_pct_to_liquidate (1e4 precision)"),
        });
  if (pct !== undefined && pct > DRIFT_LIQUIDATION_PCT_PRECISION)
    throw new InputError(
      "state.initialPctToLiquidate",
      s.initialPctToLiquidate,
      "must be at most 1",
      "A fraction.",
    );
  let duration: bigint | undefined;
  if (s.liquidationDuration !== undefined) {
    const d = s.liquidationDuration;
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0)
      throw new InputError(
        "state.liquidationDuration",
        d,
        "must be a non-negative integer number of slots",
        "Read State.liquidation_duration, e.g. 150; 0 means no speed limit.",
      );
    duration = BigInt(d);
  }
  return { liquidationMarginBufferRatio: buffer, initialPctToLiquidate: pct, liquidationDuration: duration };
}

/**
 * Reads a Drift v2 account document:
 * `{venue: "drift-v2", quoteBalance, highLeverageMode?, state?: {liquidationMarginBufferRatio?,
 * initialPctToLiquidate?, liquidationDuration?}, markets: [{symbol, marginRatioInitial,
 * marginRatioMaintenance, imfFactor, liquidatorFee, ifLiquidationFee, oraclePrice, orderStepSize?,
 * unrealizedPnlMaintenanceAssetWeight?, highLeverageMarginRatio*?, bankruptcy?}], positions:
 * [{symbol, baseAssetAmount, quoteAssetAmount | entryPrice}]}`. `quoteBalance` is the USDC deposit
 * (negative: a borrow); `baseAssetAmount` signed base tokens; `entryPrice` stands for
 * `quoteAssetAmount = −base·entry` (rounded down to 1e-6). Every problem is an {@link InputError} naming
 * the field; a missing on-chain parameter also names the account field to read it from.
 */
export function resolveDriftDocument(raw: unknown): ResolvedDriftDocument {
  const doc = readRecord(
    raw,
    "account",
    "The document is a JSON object; see schemas/drift-account.schema.json.",
  );
  if (doc.venue !== DRIFT_VENUE_ID)
    throw new InputError(
      "venue",
      doc.venue,
      `must be "${DRIFT_VENUE_ID}"`,
      "This reader handles Drift documents.",
    );
  for (const key of Object.keys(doc))
    if (!DOC_KEYS.includes(key))
      throw new InputError(
        key,
        doc[key],
        "is not a field of a drift-v2 document",
        `Allowed: ${DOC_KEYS.join(", ")}.`,
      );
  if (doc.quoteBalance === undefined)
    throw new InputError(
      "quoteBalance",
      undefined,
      "is required",
      'Give the USDC deposit, e.g. "2000" (negative: a borrow).',
    );
  const quoteBalance = readSigned(
    doc.quoteBalance,
    "quoteBalance",
    6,
    "USDC with at most 6 decimals, e.g. 2000.",
  );
  if (doc.highLeverageMode !== undefined && typeof doc.highLeverageMode !== "boolean")
    throw new InputError(
      "highLeverageMode",
      doc.highLeverageMode,
      "must be true or false",
      "Read User.margin_mode.",
    );
  const markets = new Map<string, DriftDocumentMarket>();
  readArray(doc.markets, "markets", "List every market the account trades.").forEach((row, i) => {
    const m = readMarket(row, `markets[${i}]`);
    if (markets.has(m.market.symbol))
      throw new InputError(
        `markets[${i}].symbol`,
        m.market.symbol,
        "is listed twice",
        "List each market once.",
      );
    markets.set(m.market.symbol, m);
  });
  const seen = new Set<string>();
  const positions = readArray(
    doc.positions,
    "positions",
    'List positions as [{"symbol", "baseAssetAmount", "entryPrice"}].',
  ).map((row, i): DriftPerpPosition => {
    const at = `positions[${i}]`;
    const p = readRecord(
      row,
      at,
      'Each position is {"symbol", "baseAssetAmount", "entryPrice" or "quoteAssetAmount"}.',
    );
    for (const key of Object.keys(p))
      if (!["symbol", "baseAssetAmount", "quoteAssetAmount", "entryPrice"].includes(key))
        throw new InputError(
          `${at}.${key}`,
          p[key],
          "is not a position field",
          "Allowed: symbol, baseAssetAmount, quoteAssetAmount, entryPrice.",
        );
    const symbol = readString(p.symbol, `${at}.symbol`, 'Name the market, e.g. "SOL-PERP".');
    const m = markets.get(symbol);
    if (m === undefined)
      throw new InputError(
        `${at}.symbol`,
        symbol,
        "is not in markets",
        `Add its parameters to markets, or use one of: ${[...markets.keys()].join(", ")}.`,
      );
    if (seen.has(symbol))
      throw new InputError(`${at}.symbol`, symbol, "is listed twice", "Drift holds one position per market.");
    seen.add(symbol);
    if (p.baseAssetAmount === undefined)
      throw new InputError(
        `${at}.baseAssetAmount`,
        undefined,
        "is required",
        'Signed base tokens, e.g. "100" long or "-100" short.',
      );
    const base = readSigned(
      p.baseAssetAmount,
      `${at}.baseAssetAmount`,
      9,
      "Signed base tokens with at most 9 decimals.",
    );
    if ((p.quoteAssetAmount === undefined) === (p.entryPrice === undefined))
      throw new InputError(
        `${at}.entryPrice`,
        p.entryPrice,
        "and quoteAssetAmount: give exactly one",
        "entryPrice in USD, or Drift's PerpPosition.quote_asset_amount in USDC (−entry notional for a long).",
      );
    let quote: bigint;
    if (p.quoteAssetAmount !== undefined)
      quote = readSigned(
        p.quoteAssetAmount,
        `${at}.quoteAssetAmount`,
        6,
        "Signed USDC with at most 6 decimals.",
      );
    else {
      const entry = readDecimalUnits(p.entryPrice, `${at}.entryPrice`, 6, {
        excess: "truncate",
        positive: true,
        fix: "Give the average entry price in USD.",
      });
      const notional = driftBaseAssetValue(base, entry);
      quote = base > 0n ? -notional : notional;
    }
    return { market: m.market, baseAssetAmount: base, quoteAssetAmount: quote, oraclePrice: m.oraclePrice };
  });
  return {
    venue: "drift-v2",
    account: { quoteBalance, positions, highLeverageMode: doc.highLeverageMode === true },
    markets,
    state: readState(doc.state),
  };
}

/** Whether a parsed document names the Drift venue. */
export function isDriftDocument(raw: unknown): boolean {
  return isRecord(raw) && raw.venue === DRIFT_VENUE_ID;
}

// --- liquidation and bankruptcy prices on the exact margin calculation ----------------------------------

const usd = (x: bigint) => fromFixed(x < 0n ? -x : x, 6) * (x < 0n ? -1 : 1);

/** The account with position `index` repriced at `price` (1e6). */
function repriced(account: DriftAccount, index: number, price: bigint): DriftAccount {
  return {
    ...account,
    positions: account.positions.map((p, i) => (i === index ? { ...p, oraclePrice: price } : p)),
  };
}

/** Total collateral without asset weights: deposits + Σ (signed value + quote). */
function rawCollateral(account: DriftAccount): bigint {
  let tc = account.quoteBalance;
  for (const p of account.positions) {
    const v = driftBaseAssetValue(p.baseAssetAmount, p.oraclePrice);
    tc += (p.baseAssetAmount < 0n ? -v : v) + p.quoteAssetAmount;
  }
  return tc;
}

const PRICE_CEILING = 10n ** 18n;

/**
 * The boundary tick of a predicate monotone in the price of position `index`: for a long, the highest
 * price (1e6) at which `bad` holds (bad below it); for a short, the lowest. Null when `bad` never holds
 * (long: not even at 1e-6; short: not below 1e12 USD).
 */
function boundary(account: DriftAccount, index: number, bad: (a: DriftAccount) => boolean): bigint | null {
  const p = account.positions[index] as DriftPerpPosition;
  const long = p.baseAssetAmount > 0n;
  const at = (price: bigint) => bad(repriced(account, index, price));
  if (long) {
    if (!at(1n)) return null;
    let lo = 1n; // bad
    let hi = p.oraclePrice > 1n ? p.oraclePrice : 2n;
    while (at(hi)) {
      lo = hi;
      hi *= 2n;
      if (hi > PRICE_CEILING) return lo;
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (at(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
  if (!at(PRICE_CEILING)) return null;
  let hi = PRICE_CEILING; // bad
  let lo = 0n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (at(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The liquidation price of position `index` on the exact margin calculation, all else held: for a long
 * the highest oracle price (1e6 tick) at which `TC < MR` (maintenance, with the size premium, which
 * depends on size and not on price), for a short the lowest. Found by bisection on the bigint
 * calculation ({@link driftMarginCalculation}), which is monotone in the price. Null when no positive
 * price liquidates, or the position is flat.
 */
export function driftExactLiquidationPrice(account: DriftAccount, index: number): bigint | null {
  const p = account.positions[index];
  if (p === undefined || p.baseAssetAmount === 0n) return null;
  return boundary(account, index, (a) => driftCanBeLiquidated(driftMarginCalculation(a, "maintenance")));
}

/** The bankruptcy price of position `index`: the boundary tick at which total collateral (unweighted) turns negative. */
export function driftExactBankruptcyPrice(account: DriftAccount, index: number): bigint | null {
  const p = account.positions[index];
  if (p === undefined || p.baseAssetAmount === 0n) return null;
  return boundary(account, index, (a) => rawCollateral(a) < 0n);
}

// --- reports --------------------------------------------------------------------------------------------

/** One position of a Drift margin report (USD floats; ratios as fractions). */
export interface DriftPositionReport {
  symbol: string;
  baseAssetAmount: number;
  oraclePrice: number;
  notional: number;
  unrealizedPnl: number;
  /** Market maintenance ratio and the size-adjusted one actually used. */
  maintenanceMarginRatioBase: number;
  maintenanceMarginRatio: number;
  initialMarginRatio: number;
  maintenanceMargin: number;
  /** Exact liquidation tick ({@link driftExactLiquidationPrice}); null when none. */
  liquidationPrice: number | null;
  /** The SDK's float formula `P − FC/ΔFC` (cross-check; `sdk/src/user.ts::liquidationPrice`). */
  sdkLiquidationPrice: number | null;
  bankruptcyPrice: number | null;
}

/** The Drift `liq-price` document. */
export interface DriftMarginReport {
  venue: "drift-v2";
  highLeverageMode: boolean;
  positions: DriftPositionReport[];
  account: {
    quoteBalance: number;
    totalCollateral: number;
    maintenanceMargin: number;
    /** Maintenance + liquidation buffer: the requirement while being liquidated. */
    maintenanceMarginPlusBuffer: number;
    liquidationMarginBufferRatio: number;
    initialMargin: number;
    freeCollateral: number;
    /** `TC < MR`: a liquidator may start a liquidation. */
    liquidatable: boolean;
    /** `TC ≥ MR + buffer`: an account in liquidation may leave it. */
    canExitLiquidation: boolean;
    /** `(MR + buffer − TC)⁺`, what a liquidation must cover. */
    marginShortage: number;
  };
}

/**
 * Margin, liquidation and bankruptcy prices of a Drift account: total collateral (positive PnL at the
 * maintenance asset weight), maintenance requirement with the size premium, the buffered requirement,
 * initial requirement and free collateral, the liquidatable flag (`TC < MR`) and whether a user in
 * liquidation could leave it (`TC ≥ MR + buffer`). Sources: `math/margin.rs`,
 * `MarginCalculation::meets_margin_requirement`, `can_exit_liquidation`; research note §4.1.
 */
export function driftMarginReport(doc: ResolvedDriftDocument): DriftMarginReport {
  const { account, state } = doc;
  const hl = account.highLeverageMode ?? false;
  const maint = driftMarginCalculation(account, "maintenance", state.liquidationMarginBufferRatio);
  const init = driftMarginCalculation(account, "initial");
  const freeMaint = maint.totalCollateral - maint.marginRequirement;
  const positions = account.positions.map((p, i): DriftPositionReport => {
    const size = p.baseAssetAmount < 0n ? -p.baseAssetAmount : p.baseAssetAmount;
    const value = driftBaseAssetValue(p.baseAssetAmount, p.oraclePrice);
    const mr = driftMarginRatio(p.market, size, "maintenance", hl);
    const lp = driftExactLiquidationPrice(account, i);
    const bp = driftExactBankruptcyPrice(account, i);
    return {
      symbol: p.market.symbol,
      baseAssetAmount: Number(p.baseAssetAmount) / 1e9,
      oraclePrice: usd(p.oraclePrice),
      notional: usd(value),
      unrealizedPnl: usd((p.baseAssetAmount < 0n ? -value : value) + p.quoteAssetAmount),
      maintenanceMarginRatioBase: p.market.marginRatioMaintenance / 1e4,
      maintenanceMarginRatio: mr / 1e4,
      initialMarginRatio: driftMarginRatio(p.market, size, "initial", hl) / 1e4,
      maintenanceMargin: usd((value * BigInt(mr)) / DRIFT_MARGIN_PRECISION),
      liquidationPrice: lp === null ? null : usd(lp),
      sdkLiquidationPrice:
        p.baseAssetAmount === 0n
          ? null
          : driftLiquidationPrice({
              oraclePrice: usd(p.oraclePrice),
              baseAmount: Number(p.baseAssetAmount) / 1e9,
              freeCollateral: usd(freeMaint),
              maintenanceMarginRatio: mr / 1e4,
            }),
      bankruptcyPrice: bp === null ? null : usd(bp),
    };
  });
  return {
    venue: "drift-v2",
    highLeverageMode: hl,
    positions,
    account: {
      quoteBalance: usd(account.quoteBalance),
      totalCollateral: usd(maint.totalCollateral),
      maintenanceMargin: usd(maint.marginRequirement),
      maintenanceMarginPlusBuffer: usd(maint.marginRequirementPlusBuffer),
      liquidationMarginBufferRatio: state.liquidationMarginBufferRatio / 1e4,
      initialMargin: usd(init.marginRequirement),
      freeCollateral: usd(init.totalCollateral - init.marginRequirement),
      liquidatable: driftCanBeLiquidated(maint),
      canExitLiquidation: driftCanExitLiquidation(maint),
      marginShortage: usd(driftMarginShortage(maint)),
    },
  };
}

/** One Drift what-if action (amounts in USDC / base tokens / USD). */
export type DriftWhatIfAction =
  | { kind: "add-collateral" | "remove-collateral"; amount: string }
  | { kind: "size"; position: number; size: string; fillPrice: string | null }
  | { kind: "target-liq-price"; position: number; price: string };

/** The Drift `what-if` document. */
export interface DriftWhatIfReport {
  venue: "drift-v2";
  action: DriftWhatIfAction;
  /** For target-liq-price: USDC to deposit (negative: withdrawable), exact decimal. */
  collateralToAdd: string | null;
  before: DriftMarginReport;
  after: DriftMarginReport;
  /**
   * For target-liq-price: the recomputed exact liquidation price and whether it lies within `tolerance`
   * (USD) of the target: one tick, or the price step that moves the position's value by 1e-6 USD
   * (`⌈1e9/|base|⌉` ticks), the program's resolution for that position.
   */
  verification: {
    targetPrice: number;
    liquidationPrice: number | null;
    tolerance: number;
    matches: boolean;
  } | null;
}

const decimalText = (x: bigint, decimals: number): string => {
  const sign = x < 0n ? "-" : "";
  const a = x < 0n ? -x : x;
  const scale = 10n ** BigInt(decimals);
  const frac = (a % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${sign}${a / scale}${frac === "" ? "" : `.${frac}`}`;
};

function withQuote(doc: ResolvedDriftDocument, delta: bigint): ResolvedDriftDocument {
  return { ...doc, account: { ...doc.account, quoteBalance: doc.account.quoteBalance + delta } };
}

function positionAt(doc: ResolvedDriftDocument, index: number, option: string): DriftPerpPosition {
  const p = doc.account.positions[index];
  if (p === undefined)
    throw new InputError(
      option,
      index,
      `is not a position index (the document has ${doc.account.positions.length})`,
      doc.account.positions.length === 0
        ? "The document has no positions."
        : `Use 0 to ${doc.account.positions.length - 1}.`,
    );
  return p;
}

/**
 * One what-if on a Drift account, on the exact calculation: deposit or withdraw USDC; change a
 * position's size (the change fills at `fillPrice`, default the oracle, and moves `quote_asset_amount`
 * by `−Δbase·fill`); or deposit what puts a position's liquidation price on a target:
 * `Δ = MR(P*) − TC(P*)` at the target tick (so `TC = MR`, not liquidatable, at P*), then recomputes the
 * liquidation price and checks it against the target to the program's price resolution for the
 * position. Bad amounts are {@link InputError}s naming the option.
 */
export function driftWhatIfReport(doc: ResolvedDriftDocument, action: DriftWhatIfAction): DriftWhatIfReport {
  const before = driftMarginReport(doc);
  let after: ResolvedDriftDocument;
  let collateralToAdd: string | null = null;
  let verification: DriftWhatIfReport["verification"] = null;
  switch (action.kind) {
    case "add-collateral":
    case "remove-collateral": {
      const option = `--${action.kind}`;
      const amount = readDecimalUnits(action.amount, option, 6, {
        excess: "reject",
        positive: true,
        fix: "Give USDC with at most 6 decimals, e.g. 500.",
      });
      if (action.kind === "remove-collateral" && amount > doc.account.quoteBalance)
        throw new InputError(
          option,
          action.amount,
          `exceeds the USDC deposit ${decimalText(doc.account.quoteBalance, 6)}`,
          "Remove less.",
        );
      after = withQuote(doc, action.kind === "add-collateral" ? amount : -amount);
      break;
    }
    case "size": {
      const p = positionAt(doc, action.position, "--position");
      const size = readSigned(action.size, "--size", 9, "Give the new signed base size, e.g. 50 (0 closes).");
      const fill =
        action.fillPrice === null
          ? p.oraclePrice
          : readDecimalUnits(action.fillPrice, "--fill-price", 6, {
              excess: "truncate",
              positive: true,
              fix: "A positive USD price.",
            });
      const delta = size - p.baseAssetAmount;
      const cost = driftBaseAssetValue(delta, fill);
      const positions = doc.account.positions.map((q, i) =>
        i === action.position
          ? {
              ...q,
              baseAssetAmount: size,
              quoteAssetAmount: q.quoteAssetAmount + (delta > 0n ? -cost : cost),
            }
          : q,
      );
      after = { ...doc, account: { ...doc.account, positions } };
      break;
    }
    case "target-liq-price": {
      const p = positionAt(doc, action.position, "--position");
      const target = readDecimalUnits(action.price, "--target-liq-price", 6, {
        excess: "truncate",
        positive: true,
        fix: "A positive USD price.",
      });
      if (p.baseAssetAmount === 0n)
        throw new InputError(
          "--position",
          action.position,
          "is flat: it has no liquidation price",
          "Pick an open position.",
        );
      const long = p.baseAssetAmount > 0n;
      if (long ? target >= p.oraclePrice : target <= p.oraclePrice)
        throw new InputError(
          "--target-liq-price",
          action.price,
          `must be ${long ? "below" : "above"} the oracle price ${usd(p.oraclePrice)} for a ${long ? "long" : "short"}`,
          "A liquidation price lies on the losing side of the oracle.",
        );
      const at = driftMarginCalculation(repriced(doc.account, action.position, target), "maintenance");
      const delta = at.marginRequirement - at.totalCollateral;
      if (doc.account.quoteBalance + delta < 0n)
        throw new InputError(
          "--target-liq-price",
          action.price,
          `is out of reach: it needs ${decimalText(-delta, 6)} USDC withdrawn but ${decimalText(doc.account.quoteBalance, 6)} is deposited`,
          "Choose a target closer to the oracle price.",
        );
      collateralToAdd = decimalText(delta, 6);
      after = withQuote(doc, delta);
      const lp = driftExactLiquidationPrice(after.account, action.position);
      // the position's value |base|·P/1e9 moves in 1e-6 USD steps, i.e. every ⌈1e9/|base|⌉ price ticks
      const size = long ? p.baseAssetAmount : -p.baseAssetAmount;
      const step = (DRIFT_BASE_PRECISION + size - 1n) / size;
      const tolerance = step > 1n ? step : 1n;
      const gap = lp === null ? null : lp > target ? lp - target : target - lp;
      verification = {
        targetPrice: usd(target),
        liquidationPrice: lp === null ? null : usd(lp),
        tolerance: usd(tolerance),
        matches: gap !== null && gap <= tolerance,
      };
      break;
    }
  }
  return {
    venue: "drift-v2",
    action,
    collateralToAdd,
    before,
    after: driftMarginReport(after),
    verification,
  };
}

// --- liquidate -----------------------------------------------------------------------------------------

/** One `liquidate_perp` call of the simulated sequence (USD floats; fees as fractions). */
export interface DriftLiquidationCall {
  /** Slots since the liquidation started (`enter_liquidation` sets `last_active_slot` to its slot). */
  slotsElapsed: number;
  symbol: string;
  marginShortageBefore: number;
  liquidatorFee: number;
  ifFee: number;
  marginRatioWithBuffer: number;
  /** Base that would cover the shortage (null: the whole position). */
  baseToCoverMarginShortage: number | null;
  /** Speed limit: share of the shortage this call may free. */
  maxPctAllowed: number;
  baseTaken: number;
  baseValue: number;
  liquidatorFeePaid: number;
  ifFeePaid: number;
  /** The price the liquidator takes the base at: oracle ∓ liquidator fee. */
  transferPrice: number;
  totalCollateralAfter: number;
  marginShortageAfter: number;
}

/** Bankruptcy resolution of the remaining loss (USDC floats). */
export interface DriftBankruptcyReport {
  symbol: string;
  loss: number;
  ifPayment: number;
  feePoolPayment: number;
  socializedLoss: number;
  /** Cumulative funding shift (quote per base) both sides pay. */
  cumulativeFundingRateDelta: number;
}

/** The Drift `liquidate` document. */
export interface DriftLiquidateReport {
  venue: "drift-v2";
  liquidatable: boolean;
  before: DriftMarginReport["account"];
  calls: DriftLiquidationCall[];
  /** Why the sequence stopped. */
  outcome: "not-liquidatable" | "exited-liquidation" | "bankrupt" | "positions-closed" | "stalled";
  after: DriftMarginReport["account"];
  bankruptcy: DriftBankruptcyReport | null;
  steps: string[];
}

function requireState(doc: ResolvedDriftDocument): { pct: bigint; duration: bigint } {
  const { initialPctToLiquidate: pct, liquidationDuration: duration } = doc.state;
  if (pct === undefined)
    throw new InputError(
      "state.initialPctToLiquidate",
      undefined,
      "is required by liquidate (the speed limit)",
      "A fraction, e.g. 0.1; Drift keeps it on-chain only: read State.initial_pct_to_liquidate (1e4 precision).",
    );
  if (duration === undefined)
    throw new InputError(
      "state.liquidationDuration",
      undefined,
      "is required by liquidate (the speed limit)",
      "Slots, e.g. 150; Drift keeps it on-chain only: read State.liquidation_duration.",
    );
  return { pct, duration };
}

const HUGE = 2n ** 63n;

/**
 * Simulates Drift liquidating the account: liquidation starts now (`enter_liquidation`: slot 0,
 * margin freed 0); each `liquidate_perp` call ({@link driftLiquidatePerp}) takes base from the largest
 * position at the oracle price ∓ the escalating liquidator fee, charges the dynamic IF fee, and is capped
 * by the speed limit; when the limit stops progress the next call waits until
 * `elapsed = ⌈(1 − initialPct)·duration⌉` (then 100 % is allowed, and past 1,500 slots the fee has
 * escalated). The sequence ends when `TC ≥ MR + buffer` (exit), or every position is gone; a negative
 * remainder is resolved by `resolve_perp_bankruptcy` ({@link driftResolvePerpBankruptcy}) in the last
 * market liquidated, which needs `markets[i].bankruptcy`.
 * Model limits: a single liquidator with unlimited size; `liquidation_margin_freed` is the fall of the
 * shortage; the whole loss (deposits + PnL) is charged to one perp market.
 */
export function driftLiquidateReport(doc: ResolvedDriftDocument): DriftLiquidateReport {
  const buffer = doc.state.liquidationMarginBufferRatio;
  const hl = doc.account.highLeverageMode ?? false;
  const calc = (a: DriftAccount) => driftMarginCalculation(a, "maintenance", buffer);
  const accountView = (a: DriftAccount) => driftMarginReport({ ...doc, account: a }).account;
  const before = accountView(doc.account);
  if (!driftCanBeLiquidated(calc(doc.account)))
    return {
      venue: "drift-v2",
      liquidatable: false,
      before,
      calls: [],
      outcome: "not-liquidatable",
      after: before,
      bankruptcy: null,
      steps: [],
    };
  const { pct, duration } = requireState(doc);
  const steps: string[] = [
    `enter_liquidation: TC ${before.totalCollateral} < MR ${before.maintenanceMargin}; target MR + ${buffer / 100} % buffer = ${before.maintenanceMarginPlusBuffer}; slot counter and margin freed reset`,
  ];
  let account = doc.account;
  let elapsed = 0n;
  let freed = 0n;
  let lastSymbol = "";
  const calls: DriftLiquidationCall[] = [];
  let outcome: DriftLiquidateReport["outcome"] = "positions-closed";
  const fullAfter =
    duration === 0n
      ? 0n
      : ((DRIFT_LIQUIDATION_PCT_PRECISION - pct) * duration + DRIFT_LIQUIDATION_PCT_PRECISION - 1n) /
        DRIFT_LIQUIDATION_PCT_PRECISION;
  for (let k = 0; k < 100; k++) {
    const c = calc(account);
    const shortage = driftMarginShortage(c);
    if (shortage === 0n) {
      outcome = "exited-liquidation";
      break;
    }
    let index = -1;
    let best = -1n;
    account.positions.forEach((p, i) => {
      const v = driftBaseAssetValue(p.baseAssetAmount, p.oraclePrice);
      if (p.baseAssetAmount !== 0n && v > best) {
        best = v;
        index = i;
      }
    });
    const p = account.positions[index];
    if (p === undefined) break;
    const r: DriftPerpLiquidation = driftLiquidatePerp({
      market: p.market,
      userBaseAssetAmount: p.baseAssetAmount,
      oraclePrice: p.oraclePrice,
      marginShortage: shortage,
      liquidatorMaxBaseAssetAmount: HUGE,
      slot: Number(elapsed),
      lastActiveSlot: 0,
      liquidationMarginFreed: freed,
      initialPctToLiquidate: pct,
      liquidationDuration: duration,
      liquidationMarginBufferRatio: buffer,
      highLeverageMode: hl,
    });
    if (r.baseAssetAmount === 0n) {
      if (elapsed >= fullAfter) {
        outcome = "stalled";
        break;
      }
      steps.push(
        `speed limit reached at slot +${elapsed}: the next call waits until slot +${fullAfter}, when 100 % may be liquidated`,
      );
      elapsed = fullAfter;
      continue;
    }
    const long = p.baseAssetAmount > 0n;
    const signed = long ? r.baseAssetAmount : -r.baseAssetAmount;
    const quoteDelta = long
      ? r.baseAssetValue - r.liquidatorFeeQuote - r.ifFeeQuote
      : -(r.baseAssetValue + r.liquidatorFeeQuote + r.ifFeeQuote);
    account = {
      ...account,
      positions: account.positions.map((q, i) =>
        i === index
          ? {
              ...q,
              baseAssetAmount: q.baseAssetAmount - signed,
              quoteAssetAmount: q.quoteAssetAmount + quoteDelta,
            }
          : q,
      ),
    };
    const after = calc(account);
    const shortageAfter = driftMarginShortage(after);
    if (shortageAfter < shortage) freed += shortage - shortageAfter;
    lastSymbol = p.market.symbol;
    const fee = r.liquidatorFee / 1e6;
    calls.push({
      slotsElapsed: Number(elapsed),
      symbol: p.market.symbol,
      marginShortageBefore: usd(shortage),
      liquidatorFee: fee,
      ifFee: r.ifFee / 1e6,
      marginRatioWithBuffer: r.marginRatioWithBuffer / 1e4,
      baseToCoverMarginShortage:
        r.baseToCoverMarginShortage === null ? null : Number(r.baseToCoverMarginShortage) / 1e9,
      maxPctAllowed: Number(r.maxPctAllowed) / 1e4,
      baseTaken: Number(r.baseAssetAmount) / 1e9,
      baseValue: usd(r.baseAssetValue),
      liquidatorFeePaid: usd(r.liquidatorFeeQuote),
      ifFeePaid: usd(r.ifFeeQuote),
      transferPrice: usd(p.oraclePrice) * (long ? 1 - fee : 1 + fee),
      totalCollateralAfter: usd(after.totalCollateral),
      marginShortageAfter: usd(shortageAfter),
    });
    steps.push(
      `liquidate_perp at slot +${elapsed}: ${long ? "sell" : "buy back"} ${Number(r.baseAssetAmount) / 1e9} ${p.market.symbol} to the liquidator at the oracle ${long ? "−" : "+"} ${fee * 100} % fee (speed limit ${Number(r.maxPctAllowed) / 100} %); IF fee ${(r.ifFee / 1e4).toFixed(4)} %; shortage ${usd(shortage)} → ${usd(shortageAfter)}`,
    );
  }
  let bankruptcy: DriftBankruptcyReport | null = null;
  const flat = account.positions.every((p) => p.baseAssetAmount === 0n);
  const tc = rawCollateral(account);
  if (flat && tc < 0n) {
    outcome = "bankrupt";
    const m = doc.markets.get(lastSymbol);
    const at = [...doc.markets.keys()].indexOf(lastSymbol);
    if (m?.bankruptcy === undefined)
      throw new InputError(
        `markets[${at}].bankruptcy`,
        undefined,
        `is required: the account ends bankrupt (loss ${decimalText(-tc, 6)} USDC) and liquidate resolves it in ${lastSymbol}`,
        "Give {insuranceFundVaultBalance, quoteMaxInsurance, quoteSettledInsurance?, feePool?, baseAssetAmountLong, baseAssetAmountShort}; read SpotMarket[0] insurance fund vault, PerpMarket.insurance_claim and PerpMarket.amm.",
      );
    const b = m.bankruptcy;
    const res: DriftPerpBankruptcyResolution = driftResolvePerpBankruptcy({
      loss: tc,
      insuranceFundVaultBalance: b.insuranceFundVaultBalance,
      quoteMaxInsurance: b.quoteMaxInsurance,
      quoteSettledInsurance: b.quoteSettledInsurance,
      feePoolTokens: b.feePool,
      baseAssetAmountLong: b.baseAssetAmountLong,
      baseAssetAmountShort: b.baseAssetAmountShort,
    });
    bankruptcy = {
      symbol: lastSymbol,
      loss: usd(tc),
      ifPayment: usd(res.ifPayment),
      feePoolPayment: usd(res.feePoolPayment),
      socializedLoss: usd(res.lossToSocialize),
      cumulativeFundingRateDelta: Number(res.cumulativeFundingRateDelta) / 1e9,
    };
    steps.push(
      `resolve_perp_bankruptcy in ${lastSymbol}: loss ${usd(tc)}; insurance fund pays ${usd(res.ifPayment)}, fee pool ${usd(res.feePoolPayment)}, ${usd(-res.lossToSocialize)} socialised by moving cumulative funding ${Number(res.cumulativeFundingRateDelta) / 1e9} per base on both sides`,
    );
    account = { ...account, quoteBalance: account.quoteBalance - tc };
  } else if (outcome === "exited-liquidation") steps.push("TC ≥ MR + buffer: the user leaves liquidation");
  return {
    venue: "drift-v2",
    liquidatable: true,
    before,
    calls,
    outcome,
    after: accountView(account),
    bankruptcy,
    steps,
  };
}

/**
 * Drift v2 account documents (`venue: "drift-v2"`, schema `schemas/drift-account.schema.json`): reading
 * and checking them into the exact `Account`, its markets and the `State` parameters. The reports
 * built on them are in `drift/`: margin and liquidation prices (`margin-report.ts`, `liq-price`), one
 * change (`what-if.ts`) and the `liquidate_perp` sequence with bankruptcy resolution
 * (`liquidate-report.ts`, `liquidate`).
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
import { checkMagnitude, MAX_AMOUNT, MAX_PRICE_USD, readArray, readRecord, readString } from "../validate.js";
import {
  type Account,
  baseAssetValue,
  DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
  LIQUIDATION_PCT_PRECISION,
  type PerpMarket,
  type PerpPosition,
  validatePerpMarket,
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
  market: PerpMarket;
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
  account: Account;
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
export function readSignedDecimalUnits(value: unknown, field: string, decimals: number, fix: string): bigint {
  if (typeof value === "number" || typeof value === "string")
    checkMagnitude(Number(value), value, field, MAX_AMOUNT);
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
  const market: PerpMarket = {
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
  validatePerpMarket(market, at);
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
    maxMagnitude: MAX_PRICE_USD,
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
      ? DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO
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
  if (pct !== undefined && pct > LIQUIDATION_PCT_PRECISION)
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
  const quoteBalance = readSignedDecimalUnits(
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
  ).map((row, i): PerpPosition => {
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
    const base = readSignedDecimalUnits(
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
      quote = readSignedDecimalUnits(
        p.quoteAssetAmount,
        `${at}.quoteAssetAmount`,
        6,
        "Signed USDC with at most 6 decimals.",
      );
    else {
      const entry = readDecimalUnits(p.entryPrice, `${at}.entryPrice`, 6, {
        excess: "truncate",
        positive: true,
        maxMagnitude: MAX_PRICE_USD,
        fix: "Give the average entry price in USD.",
      });
      const notional = baseAssetValue(base, entry);
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

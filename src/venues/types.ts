import type { TierTable } from "../margin/tiers.js";
import type { Instrument, MarginRules } from "../margin/types.js";

/** A venue's bundled tier table for one symbol, with where and when it was taken. */
export interface DatedTierTable {
  symbol: string;
  /** Date of the snapshot (ISO date or month). */
  asOf: string;
  /** Where the numbers come from (page, API, repository file). */
  source: string;
  tiers: TierTable;
}

/** The state of a liquidatable position (or account) a liquidation procedure acts on. */
export interface LiquidationState {
  /** Notional of the position at the mark, in the margin asset. */
  notional: number;
  /** Equity backing it (account equity in cross mode, isolated equity in isolated mode). */
  equity: number;
  maintenanceMargin: number;
  /** The position's tier table (partial liquidation steps down through it). */
  tiers: TierTable;
  /** Seconds since the venue's last partial liquidation of this account, if any (Hyperliquid cooldown). */
  secondsSinceLastPartial?: number;
}

/** One step of a venue's liquidation procedure. */
export interface LiquidationStep {
  action:
    | "none"
    | "cancel-open-orders"
    | "market-order"
    | "close-at-bankruptcy"
    | "reduce-to-lower-tier"
    | "backstop-takeover";
  /** Fraction of the position the step closes (0 for cancellations). */
  fraction: number;
  /** What happens, in the venue's words. */
  note: string;
}

/** Ranking input for auto-deleveraging, per candidate position (opposite side of the bankrupt one). */
export interface AdlCandidate {
  id: string;
  /** Signed size in base units (or contracts). */
  size: number;
  entryPrice: number;
  markPrice: number;
  /** Bankruptcy price of the candidate's own position. */
  bankruptcyPrice: number;
  /** Margin balance behind the candidate (account value in cross, isolated equity otherwise). */
  equity: number;
}

/** What a venue's liquidation order sees of a position and its account (see {@link Venue.liquidationFill}). */
export interface LiquidationFillInput {
  /** Signed size in coins (+ long). */
  size: number;
  markPrice: number;
  /** The position's maintenance margin per unit of notional. */
  maintenanceMarginFraction: number;
  /** Equity backing the position (dYdX TNC) and the maintenance margin it is held against (TMMR). */
  equity: number;
  maintenanceMargin: number;
}

/** A liquidation order closing a whole position, priced as the venue prices it, in the margin asset. */
export interface LiquidationFill {
  /** The worst price the order may fill at (dYdX: the fillable price). */
  fillablePrice: number;
  /** `|mark − fillable| / mark`, as a fraction. */
  spread: number;
  /** Quote exchanged at the fillable price (magnitude). */
  quote: number;
  /** What the fill leaves above the bankruptcy quote (negative: below bankruptcy). */
  aboveBankruptcy: number;
  /** The liquidation fee: `min(rate × quote, max(0, aboveBankruptcy))`. */
  fee: number;
  /** The insurance fund's result: the fee, or the shortfall it pays (negative). */
  insuranceFundDelta: number;
}

/**
 * A venue rulebook: its parameters, its margin rules, its liquidation procedure and its
 * insurance-fund/ADL rules, behind one interface so that the engine, the CLI, simulations and
 * optimizers run against any venue.
 */
export interface Venue {
  /** Identifier used in account documents, e.g. `"binance-usdm"`. */
  id: string;
  name: string;
  rules: MarginRules;
  /** Contract kind of the venue's instruments (for symbols given only with a tier override). */
  contractKind: "linear" | "inverse";
  /**
   * The one asset every market of the venue settles in, where it has one (dYdX v4 and Hyperliquid:
   * USDC). A symbol the venue lists but the bundle does not (given with a tier override) is margined
   * in it; venues with several settlement assets leave it out and the asset is read from the symbol.
   */
  settlementAsset?: string;
  /** Where the bundled parameters come from and their date, for `liqopt venues`. */
  sources: string[];
  /** Symbols with a bundled instrument and tier table. */
  symbols(): string[];
  /** Whether the venue lists a symbol (by its own name or an alias). */
  lists(symbol: string): boolean;
  /** The instrument for a venue symbol; throws an InputError (on `field`) naming known symbols. */
  instrument(symbol: string, field?: string): Instrument;
  /** The bundled tier table of a symbol; throws an InputError when there is none. */
  tierTable(symbol: string): DatedTierTable;
  /** The venue's liquidation procedure applied to a liquidatable state. */
  liquidationSteps(state: LiquidationState): LiquidationStep[];
  /** Fee charged on the notional liquidated (clearance fee, penalty), as a fraction. */
  liquidationFeeRate(symbol: string): number;
  /**
   * The venue's liquidation order for the whole position, where it prices one (dYdX v4: the fillable
   * price, and a fee capped by what remains above bankruptcy); absent elsewhere.
   */
  liquidationFill?(input: LiquidationFillInput): LiquidationFill;
  /** Deleveraging priority: higher is closed first. */
  adlScore(candidate: AdlCandidate): number;
  /** How the insurance fund, bad debt and auto-deleveraging work, in plain words. */
  describe(): { liquidation: string[]; insurance: string[]; adl: string[] };
}

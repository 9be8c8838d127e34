/**
 * Structure-of-arrays kernels for many linear positions at once: margin checks and liquidation
 * prices with the tier re-solve, for isolated books and for cross accounts, with no allocation
 * per position. They compute what `accountMargin` and `liquidationPrices` compute for linear
 * contracts under Binance USDⓈ-M rules (`{ maintenanceBasis: "mark", closeFeeRate: 0,
 * liquidateAtEquality: true }`), from typed arrays instead of position objects.
 *
 * Formulas: Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
 * (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).
 */
import { InputError } from "../errors.js";
import { type Tier, type TierTable, tierIndex, validateTierTable } from "./tiers.js";
import type { Account, Position } from "./types.js";

/**
 * Isolated linear positions as parallel arrays (one entry per position, all of length `length`).
 * Sizes are in base units (contracts × contract size), so notional is `|size|·price` in quote.
 */
export interface PositionBook {
  readonly length: number;
  /** Signed size in base units: positive long, negative short. */
  readonly size: Float64Array;
  readonly entryPrice: Float64Array;
  readonly markPrice: Float64Array;
  /** Margin that does not move with the mark: isolated margin plus accrued funding. */
  readonly isolatedMargin: Float64Array;
}

/** A zero-filled {@link PositionBook} of `length` positions. */
export function createPositionBook(length: number): PositionBook {
  return {
    length,
    size: new Float64Array(length),
    entryPrice: new Float64Array(length),
    markPrice: new Float64Array(length),
    isolatedMargin: new Float64Array(length),
  };
}

/** Throws unless `position` is linear (the kernels work in quote notional `|q|·P`). */
function requireLinear(position: Position, field: string): void {
  if (position.instrument.kind !== "linear") {
    throw new InputError(
      `${field}.instrument.kind`,
      position.instrument.kind,
      "must be linear for the batch kernels",
      "Use liquidationPrices for inverse contracts.",
    );
  }
}

/**
 * The book of isolated linear positions: size in base units (`size·contractSize`), and
 * `isolatedMargin + accruedFunding` as the margin (equity = margin + uPnL + funding).
 */
export function bookFromPositions(positions: readonly Position[]): PositionBook {
  const book = createPositionBook(positions.length);
  positions.forEach((p, i) => {
    requireLinear(p, `positions[${i}]`);
    book.size[i] = p.size * p.instrument.contractSize;
    book.entryPrice[i] = p.entryPrice;
    book.markPrice[i] = p.markPrice;
    book.isolatedMargin[i] = (p.isolatedMargin ?? 0) + p.accruedFunding;
  });
  return book;
}

/**
 * One or more tier tables laid out flat for the kernels. Table `s` holds its tiers at
 * `start[s] … start[s+1]−2` of `floors` (notional floors, quote), `mmr` (fractions) and `cum`
 * (maintenance amounts), followed by one sentinel slot whose floor is NaN, so that the upward scan
 * `notional >= floors[k + 1]` stops at the last tier without a bound check (every comparison with
 * NaN is false, also for an infinite notional).
 *
 * Tier lookup goes through a bucket index: table `s` splits notionals into equal buckets of width
 * `1 / bucketScale[s]` (its narrowest finite tier, or wider so that a table has at most 65,536
 * buckets), and `bucketTier[bucketStart[s] + b]` is a tier at or below that of every notional in
 * bucket `b` (as an index within the table, one byte); an upward scan of usually zero or one step
 * finishes it. This replaces the linear scan
 * from tier 0, whose branch is mispredicted when positions are spread over the first tiers
 * (bench/README.md has the figures).
 */
export interface FlatTiers {
  readonly floors: Float64Array;
  /** Each tier's own cap (the last one `Infinity` when open). */
  readonly caps: Float64Array;
  readonly mmr: Float64Array;
  readonly cum: Float64Array;
  /** Offsets of the tables in `floors`, `mmr`, `cum` (`tables + 1` entries). */
  readonly start: Int32Array;
  readonly bucketScale: Float64Array;
  /** Offsets of the tables in `bucketTier` (`tables + 1` entries). */
  readonly bucketStart: Int32Array;
  /** Index within its table of the lowest tier a notional in the bucket can hold. */
  readonly bucketTier: Uint8Array;
}

/** Largest number of lookup buckets per table (keeps the index of a table within 64 KiB). */
const MAX_BUCKETS = 65_536;

/** Largest number of tiers per table (a bucket's tier is stored in one byte). */
const MAX_TIERS = 256;

/** Bucket width of a table of ≥ 2 tiers: its narrowest finite tier, widened to at most {@link MAX_BUCKETS} buckets. */
function bucketWidth(table: TierTable): number {
  let narrowest = Number.POSITIVE_INFINITY;
  for (let k = 0; k + 1 < table.length; k++) {
    narrowest = Math.min(narrowest, (table[k + 1] as Tier).notionalFloor - (table[k] as Tier).notionalFloor);
  }
  return Math.max(narrowest, (table[table.length - 1] as Tier).notionalFloor / MAX_BUCKETS);
}

/**
 * Flattened tables by table identity: the bucket index of a table (65,536 buckets for BTCUSDT) costs
 * about a millisecond to build, against microseconds for the kernels over one account, so each table
 * is flattened and validated once. Tier tables are treated as immutable (as every loader builds them);
 * the flat tables handed out are shared and must not be written to.
 */
const flatCache = new WeakMap<TierTable, FlatTiers>();

/**
 * One table as {@link FlatTiers} (table 0), from the cache or built, validated and cached; `field`
 * names the table in errors.
 */
function flattenCached(table: TierTable, field: string): FlatTiers {
  const cached = flatCache.get(table);
  if (cached !== undefined) return cached;
  validateTierTable(table, field);
  if (table.length > MAX_TIERS) {
    throw new InputError(field, table.length, `has more than ${MAX_TIERS} tiers`, "Merge tiers.");
  }
  const width = table.length === 1 ? Number.POSITIVE_INFINITY : bucketWidth(table);
  const count =
    table.length === 1 ? 1 : Math.floor((table[table.length - 1] as Tier).notionalFloor / width) + 2;
  const size = table.length + 1;
  const flat: FlatTiers = {
    floors: new Float64Array(size),
    caps: new Float64Array(size),
    mmr: new Float64Array(size),
    cum: new Float64Array(size),
    start: Int32Array.of(0, size),
    bucketScale: Float64Array.of(1 / width),
    bucketStart: Int32Array.of(0, count),
    bucketTier: new Uint8Array(count),
  };
  table.forEach((tier, k) => {
    flat.floors[k] = tier.notionalFloor;
    flat.caps[k] = tier.notionalCap;
    flat.mmr[k] = tier.mmr;
    flat.cum[k] = tier.cum;
  });
  flat.floors[table.length] = Number.NaN;
  flat.caps[table.length] = Number.NaN;
  flat.mmr[table.length] = Number.NaN;
  flat.cum[table.length] = Number.NaN;
  for (let j = 0; j < count; j++) {
    // Lower bound of the bucket, less a margin for the rounding of `notional·bucketScale`.
    flat.bucketTier[j] = tierIndex(table, j * width * (1 - 1e-9));
  }
  flatCache.set(table, flat);
  return flat;
}

/**
 * Tier tables (e.g. one per symbol) flattened into one {@link FlatTiers}; table `s` is `tables[s]`.
 * Each table is checked with `validateTierTable` (first floor 0, contiguous, continuous `cum`,
 * rates in [0, 1) and rising), which the tier re-solve relies on. Each table's flat form is built
 * once per table object and cached (so tables must not be changed afterwards); several tables are
 * then laid end to end, a copy of their arrays. A single table is returned as cached, shared.
 */
export function flattenTierTables(tables: readonly TierTable[]): FlatTiers {
  const parts = tables.map((table, s) => flattenCached(table, `tables[${s}]`));
  if (parts.length === 1) return parts[0] as FlatTiers;
  let total = 0;
  let buckets = 0;
  for (const part of parts) {
    total += part.floors.length;
    buckets += part.bucketTier.length;
  }
  const flat: FlatTiers = {
    floors: new Float64Array(total),
    caps: new Float64Array(total),
    mmr: new Float64Array(total),
    cum: new Float64Array(total),
    start: new Int32Array(parts.length + 1),
    bucketScale: new Float64Array(parts.length),
    bucketStart: new Int32Array(parts.length + 1),
    bucketTier: new Uint8Array(buckets),
  };
  let k = 0;
  let b = 0;
  parts.forEach((part, s) => {
    flat.start[s] = k;
    flat.floors.set(part.floors, k);
    flat.caps.set(part.caps, k);
    flat.mmr.set(part.mmr, k);
    flat.cum.set(part.cum, k);
    k += part.floors.length;
    flat.bucketScale[s] = part.bucketScale[0] as number;
    flat.bucketStart[s] = b;
    flat.bucketTier.set(part.bucketTier, b);
    b += part.bucketTier.length;
  });
  flat.start[parts.length] = k;
  flat.bucketStart[parts.length] = b;
  return flat;
}

/** One tier table as {@link FlatTiers} (table 0), for the isolated kernels; cached by table identity. */
export function flattenTiers(table: TierTable): FlatTiers {
  return flattenCached(table, "tables[0]");
}

/**
 * Index into `floors`/`mmr`/`cum` of the tier of table `s` holding `notional`: the last tier whose
 * floor ≤ notional, as `tierIndex` (subtract `start[s]` for the index within the table).
 */
export function flatTierIndex(tiers: FlatTiers, s: number, notional: number): number {
  const first = tiers.bucketStart[s] as number;
  return lookUp(
    tiers.floors,
    tiers.start[s] as number,
    tiers.bucketTier,
    first,
    (tiers.bucketStart[s + 1] as number) - first - 1,
    tiers.bucketScale[s] as number,
    notional,
  );
}

/**
 * The lookup of {@link flatTierIndex} with the table's bucket parameters passed in, so that a kernel
 * over one table reads them once: the bucket's lower-bound tier, then the upward scan that the NaN
 * sentinel ends. Negative and NaN notionals fall in the first and last bucket.
 */
function lookUp(
  floors: Float64Array,
  firstTier: number,
  bucketTier: Uint8Array,
  firstBucket: number,
  lastBucket: number,
  scale: number,
  notional: number,
): number {
  const x = notional * scale;
  let k =
    firstTier + (bucketTier[firstBucket + (x < lastBucket ? (x > 0 ? x | 0 : 0) : lastBucket)] as number);
  while (notional >= (floors[k + 1] as number)) k++;
  return k;
}

function requireLength(field: string, array: ArrayLike<number>, length: number): void {
  if (array.length < length) {
    throw new InputError(
      field,
      array.length,
      `must hold at least ${length} entries`,
      "Allocate one per position.",
    );
  }
}

function checkBook(book: PositionBook, out: ArrayLike<number>): void {
  requireLength("book.size", book.size, book.length);
  requireLength("book.entryPrice", book.entryPrice, book.length);
  requireLength("book.markPrice", book.markPrice, book.length);
  requireLength("book.isolatedMargin", book.isolatedMargin, book.length);
  requireLength("out", out, book.length);
}

/**
 * Margin check of every isolated position at its mark: `out[i] = 1` when
 * `equity = margin + q·(M − E)` is at or below `MM = N·mmr_k − cum_k`, `N = |q|·M`, with `k` the
 * tier holding `N` (the last tier whose floor ≤ N); 0 otherwise. Equality liquidates, as on Binance
 * (margin ratio `MM / margin balance ≥ 100 %`). Tiers are taken from table 0 of `tiers`.
 *
 * @returns the number of liquidatable positions.
 * @example 1 BTC long at 60,000 with 600 margin, mark 59,500, on the 2024-10 BTCUSDT brackets:
 *   equity 600 − 500 = 100, MM 59,500 × 0.5 % − 50 = 247.5 (second bracket, from 50,000), so out = 1.
 */
export function marginCheckBatch(book: PositionBook, tiers: FlatTiers, out: Uint8Array): number {
  checkBook(book, out);
  const { size, entryPrice, markPrice, isolatedMargin } = book;
  const { floors, mmr, cum, bucketTier } = tiers;
  const scale = tiers.bucketScale[0] as number;
  const lastBucket = (tiers.bucketStart[1] as number) - 1;
  let count = 0;
  for (let i = 0; i < book.length; i++) {
    const q = size[i] as number;
    const mark = markPrice[i] as number;
    const notional = Math.abs(q) * mark;
    const k = lookUp(floors, 0, bucketTier, 0, lastBucket, scale, notional);
    const equity = (isolatedMargin[i] as number) + q * (mark - (entryPrice[i] as number));
    const hit = equity <= notional * (mmr[k] as number) - (cum[k] as number) ? 1 : 0;
    out[i] = hit;
    count += hit;
  }
  return count;
}

/**
 * The liquidation price of one linear position, with `constant` the margin that does not move with
 * its mark, its table starting at `first` in `tiers` and its mark notional in tier `markTier`: the
 * root of `constant + q·(P − E) = |q|·P·mmr_k − cum_k`, that is
 * `P = (constant − q·E + cum_k) / (|q|·mmr_k − q)` (the Binance FAQ one-way formula with
 * `WB − TMM1 + UPNL1 = constant`), solved first in the tier holding the mark notional, then
 * re-solved in the next tier down (up) while the notional `|q|·P` of the solution lies below the
 * tier's floor (at or above the next floor). Equity minus maintenance margin is monotone in P
 * (slope `q − |q|·mmr_k`, mmr < 1) and continuous across tiers, so where the solution of one tier
 * falls tells the side of the true root, and the walk goes one way only. NaN when the root is not a
 * positive finite price (a long whose margin covers its entry notional, an empty slot), or lies
 * beyond the table (`|q|·P` at or above the last tier's cap, where `liquidationPrices` says "beyond
 * the tier table").
 */
function tieredLiquidationPrice(
  tiers: FlatTiers,
  first: number,
  markTier: number,
  q: number,
  entry: number,
  constant: number,
): number {
  const { floors, caps, mmr, cum } = tiers;
  const absQ = Math.abs(q);
  const num = constant - q * entry;
  let k = markTier;
  let price = (num + (cum[k] as number)) / (absQ * (mmr[k] as number) - q);
  if (k > first && absQ * price < (floors[k] as number)) {
    do {
      k--;
      price = (num + (cum[k] as number)) / (absQ * (mmr[k] as number) - q);
    } while (k > first && absQ * price < (floors[k] as number));
  } else {
    // The NaN sentinel after the last tier ends this walk.
    while (absQ * price >= (floors[k + 1] as number)) {
      k++;
      price = (num + (cum[k] as number)) / (absQ * (mmr[k] as number) - q);
    }
  }
  // Beyond the last tier's cap (the next floor is the NaN sentinel): no published rate.
  const beyond = Number.isNaN(floors[k + 1] as number) && absQ * price >= (caps[k] as number);
  return price > 0 && price < Number.POSITIVE_INFINITY && !beyond ? price : Number.NaN;
}

/**
 * Liquidation price of every isolated position with the tier re-solve:
 * `P = (margin − q·E + cum_k) / (|q|·mmr_k − q)` in the tier `k` holding `|q|·P`, found by solving
 * in the tier of the mark notional and stepping one tier down (up) while `|q|·P` falls below
 * (reaches above) the tier (Binance FAQ: "recalculate with the tier at the liquidation price").
 * The price is below the mark for a long, above for a short; `NaN` where no positive price exists
 * (where `liquidationPrices` gives `null`). Tiers are taken from table 0 of `tiers`.
 *
 * @example 1 BTC long at 60,000 with 600 margin (100x) on the 2024-10 BTCUSDT brackets: the second
 *   bracket (0.5 %, cum 50) gives (600 − 60,000 + 50) / (0.005 − 1) = 59,648.24, still in it.
 */
export function liquidationPriceBatch(book: PositionBook, tiers: FlatTiers, out: Float64Array): void {
  checkBook(book, out);
  const { size, entryPrice, markPrice, isolatedMargin } = book;
  const { floors, bucketTier } = tiers;
  const scale = tiers.bucketScale[0] as number;
  const lastBucket = (tiers.bucketStart[1] as number) - 1;
  for (let i = 0; i < book.length; i++) {
    const q = size[i] as number;
    const k = lookUp(floors, 0, bucketTier, 0, lastBucket, scale, Math.abs(q) * (markPrice[i] as number));
    out[i] = tieredLiquidationPrice(tiers, 0, k, q, entryPrice[i] as number, isolatedMargin[i] as number);
  }
}

/**
 * The liquidation price of one isolated linear position (size `q` in base units, entry `entry`,
 * margin `margin`, marked at `mark`) on table 0 of `tiers`: what {@link liquidationPriceBatch}
 * gives for that one entry, `P = (margin − q·E + cum_k) / (|q|·mmr_k − q)` with the tier re-solve
 * (Binance FAQ one-way formula); NaN where no positive price exists. No allocation.
 */
export function isolatedLiquidationPrice(
  tiers: FlatTiers,
  q: number,
  entry: number,
  margin: number,
  mark: number,
): number {
  const k = flatTierIndex(tiers, 0, Math.abs(q) * mark);
  return tieredLiquidationPrice(tiers, 0, k, q, entry, margin);
}

/**
 * Cross accounts of `width` positions each, on different symbols within an account, as parallel
 * arrays: position `j` of account `a` is entry `a·width + j`; `symbol` indexes the tier tables of
 * the {@link FlatTiers} passed with it (and must be below their count). Unused slots have size 0.
 */
export interface CrossBook {
  readonly accounts: number;
  readonly width: number;
  /** Wallet balance plus all accrued funding, per account. */
  readonly walletBalance: Float64Array;
  /** Signed size in base units. */
  readonly size: Float64Array;
  readonly entryPrice: Float64Array;
  readonly markPrice: Float64Array;
  /** Tier table of each position (its symbol's). */
  readonly symbol: Uint32Array;
}

/** A zero-filled {@link CrossBook}. */
export function createCrossBook(accounts: number, width: number): CrossBook {
  const n = accounts * width;
  return {
    accounts,
    width,
    walletBalance: new Float64Array(accounts),
    size: new Float64Array(n),
    entryPrice: new Float64Array(n),
    markPrice: new Float64Array(n),
    symbol: new Uint32Array(n),
  };
}

/**
 * The {@link CrossBook} of cross accounts of linear one-way positions (at most `width` each, each
 * symbol at most once per account), with one tier table per symbol taken from the positions
 * (`symbols[s]` uses `tiers` table `s`); accrued funding is added to the wallet.
 */
export function crossBookFromAccounts(
  accounts: readonly Account[],
  width: number,
): { book: CrossBook; tiers: FlatTiers; symbols: string[] } {
  const book = createCrossBook(accounts.length, width);
  const tables = new Map<string, { index: number; tiers: TierTable }>();
  accounts.forEach((account, a) => {
    const field = `accounts[${a}]`;
    if (account.marginMode !== "cross") {
      throw new InputError(`${field}.marginMode`, account.marginMode, "must be cross", "Use a PositionBook.");
    }
    if (account.positions.length > width) {
      throw new InputError(
        `${field}.positions`,
        account.positions.length,
        `must be at most ${width}`,
        "Raise width.",
      );
    }
    let wallet = account.walletBalance;
    const seen = new Set<string>();
    account.positions.forEach((p, j) => {
      const at = `${field}.positions[${j}]`;
      requireLinear(p, at);
      const name = p.instrument.symbol;
      if (seen.has(name)) {
        throw new InputError(
          `${at}.instrument.symbol`,
          name,
          "repeats a symbol of the account",
          "Net the legs first.",
        );
      }
      seen.add(name);
      let table = tables.get(name);
      if (table === undefined) {
        table = { index: tables.size, tiers: p.tiers };
        tables.set(name, table);
      } else if (table.tiers !== p.tiers) {
        throw new InputError(
          `${at}.tiers`,
          name,
          "differs from another account's table",
          "Share one per symbol.",
        );
      }
      const slot = a * width + j;
      book.size[slot] = p.size * p.instrument.contractSize;
      book.entryPrice[slot] = p.entryPrice;
      book.markPrice[slot] = p.markPrice;
      book.symbol[slot] = table.index;
      wallet += p.accruedFunding;
    });
    book.walletBalance[a] = wallet;
  });
  const list = [...tables.values()];
  return { book, tiers: flattenTierTables(list.map((t) => t.tiers)), symbols: [...tables.keys()] };
}

/**
 * Liquidation price of every position of every cross account, each symbol's mark moving alone with
 * the others held at their marks (Binance FAQ cross formula):
 * `P_j = (WB − TMM1 + UPNL1 + cum_k − q_j·E_j) / (|q_j|·mmr_k − q_j)` with
 * `TMM1 = Σ_{i≠j} (|q_i|·M_i·mmr_{k_i} − cum_{k_i})` and `UPNL1 = Σ_{i≠j} q_i·(M_i − E_i)` at the
 * marks, re-solved across the tiers of symbol `j` as in {@link liquidationPriceBatch}. `NaN` where
 * no positive price exists, and in empty slots. `UPNL1 − TMM1` is taken as the account's total
 * surplus `Σ_i (uPnL_i − MM_i)` less position `j`'s own; `scratch` (`2·width` numbers) keeps each
 * slot's surplus and mark tier between the two passes over an account's positions.
 *
 * @example FAQ cross example (via freqtrade PR #5576): WB 1,535,443.01, ETHUSDT long 3,683.979 @
 *   1,456.84 in the 10 % tier (cum 135,365), TMM1 71,200.81144, UPNL1 −56,354.57 → 1,153.26.
 */
export function crossLiquidationPrices(
  book: CrossBook,
  tiers: FlatTiers,
  out: Float64Array,
  scratch: Float64Array = new Float64Array(2 * book.width),
): void {
  const { accounts, width, walletBalance, size, entryPrice, markPrice, symbol } = book;
  const n = accounts * width;
  requireLength("book.walletBalance", walletBalance, accounts);
  for (const [field, array] of [
    ["book.size", size],
    ["book.entryPrice", entryPrice],
    ["book.markPrice", markPrice],
    ["book.symbol", symbol],
    ["out", out],
  ] as const) {
    requireLength(field, array, n);
  }
  requireLength("scratch", scratch, 2 * width);
  const { mmr, cum, start } = tiers;
  for (let a = 0; a < accounts; a++) {
    const base = a * width;
    let total = 0;
    for (let j = 0; j < width; j++) {
      const i = base + j;
      const q = size[i] as number;
      const mark = markPrice[i] as number;
      const notional = Math.abs(q) * mark;
      const k = flatTierIndex(tiers, symbol[i] as number, notional);
      const surplus =
        q * (mark - (entryPrice[i] as number)) - (notional * (mmr[k] as number) - (cum[k] as number));
      scratch[j] = surplus;
      scratch[width + j] = k;
      total += surplus;
    }
    const wallet = walletBalance[a] as number;
    for (let j = 0; j < width; j++) {
      const i = base + j;
      const s = symbol[i] as number;
      out[i] = tieredLiquidationPrice(
        tiers,
        start[s] as number,
        scratch[width + j] as number,
        size[i] as number,
        entryPrice[i] as number,
        wallet + (total - (scratch[j] as number)),
      );
    }
  }
}

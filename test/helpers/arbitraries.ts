/**
 * Shared fast-check arbitraries for the margin engine: continuous tier tables (built with
 * `buildTierTable`, so `cum` follows the continuity recurrence), linear and inverse instruments,
 * positions, isolated and cross accounts (with hedge-mode legs), and margin rules.
 *
 * Scales are chosen so that tiers matter: a random table's floors are laid out relative to the
 * notional of the position that uses it, and positions on the real Binance BTCUSDT table span
 * notionals from $10 to $2bn (every bracket of the 2024-10 table).
 */
import fc from "fast-check";
import { buildTierTable, type Tier, type TierTable } from "../../src/margin/tiers.js";
import type {
  Account,
  ContractKind,
  Instrument,
  MaintenanceBasis,
  MarginMode,
  MarginRules,
  Position,
  PositionSide,
} from "../../src/margin/types.js";
import { binanceUsdm } from "../../src/venues/binance-usdm.js";

/** The bundled real Binance USDⓈ-M BTCUSDT brackets (2024-10 snapshot). */
export const BTCUSDT_TIERS: TierTable = binanceUsdm().tierTable("BTCUSDT").tiers;

/** Binance's margin rules: mark-price basis, no closing fee, liquidation at margin ratio ≥ 100 %. */
export const BINANCE_RULES: MarginRules = binanceUsdm().rules;

const STEPS = 2 ** 30;

/**
 * A double uniform in value over `[min, max]`. (`fc.double` is uniform over the representable
 * doubles, which piles values up near the small end of a range; this is uniform in value, and
 * shrinks towards `min`.)
 */
export function uniform(min: number, max: number): fc.Arbitrary<number> {
  return fc
    .noBias(fc.integer({ min: 0, max: STEPS }))
    .map((i) => (i === STEPS ? max : min + (max - min) * (i / STEPS)));
}

/** A double spread evenly in log space over `[min, max]` (both > 0); shrinks towards `min`. */
export function logUniform(min: number, max: number): fc.Arbitrary<number> {
  return uniform(0, 1).map((x) => (x === 1 ? max : Math.min(max, min * (max / min) ** x)));
}

/** A tier table described relative to a notional scale (see {@link scaleTierShape}). */
export interface TierShape {
  /** Width of each tier but the last, as a multiple of the scale. */
  widths: number[];
  /** Maintenance rate of the first tier. */
  mmr0: number;
  /** Rise of the rate at each floor (0 allowed: equal consecutive rates). */
  rises: number[];
}

/** Shapes of 1–6 tiers, first rate in [minMmr, 5 %], each rise 0 or in [0.05 %, 10 %] (last rate < 65 %). */
export function tierShapeArb(minMmr = 0.001): fc.Arbitrary<TierShape> {
  return fc.integer({ min: 0, max: 5 }).chain((n) =>
    fc.record({
      widths: fc.array(logUniform(0.01, 3), { minLength: n, maxLength: n }),
      mmr0: uniform(minMmr, 0.05),
      rises: fc.array(fc.oneof(fc.constant(0), uniform(0.0005, 0.1)), {
        minLength: n,
        maxLength: n,
      }),
    }),
  );
}

/** The continuous tier table of a shape whose widths are multiplied by `scale`, via `buildTierTable`. */
export function scaleTierShape(shape: TierShape, scale: number): Tier[] {
  let floor = 0;
  let mmr = shape.mmr0;
  const specs = [{ notionalFloor: 0, mmr, maxLeverage: 1 / (2 * mmr) }];
  shape.widths.forEach((w, i) => {
    floor += w * scale;
    mmr += shape.rises[i] ?? 0;
    specs.push({ notionalFloor: floor, mmr, maxLeverage: 1 / (2 * mmr) });
  });
  return buildTierTable(specs);
}

/** Random continuous tier tables with floors laid out over `[0, ~15·scale]`. */
export function continuousTierTableArb(scale: number, minMmr = 0.001): fc.Arbitrary<Tier[]> {
  return tierShapeArb(minMmr).map((shape) => scaleTierShape(shape, scale));
}

/** A linear (quote-settled) instrument, e.g. Binance USDⓈ-M (contract size 1 coin). */
export function linearInstrument(symbol: string, contractSize = 1): Instrument {
  return { symbol, kind: "linear", contractSize, marginAsset: "USDT" };
}

/** An inverse (coin-settled) instrument, e.g. Binance COIN-M BTCUSD (100 USD per contract). */
export function inverseInstrument(symbol: string, contractSize = 100): Instrument {
  return { symbol, kind: "inverse", contractSize, marginAsset: "BTC" };
}

/** Linear (contract size 1 or 0.001) or inverse (contract size 100, 10 or 1 USD) instruments. */
export function instrumentArb(kind: ContractKind, symbol: string): fc.Arbitrary<Instrument> {
  return kind === "linear"
    ? fc.constantFrom(1, 0.001).map((cs) => linearInstrument(symbol, cs))
    : fc.constantFrom(100, 10, 1).map((cs) => inverseInstrument(symbol, cs));
}

/** Which closing-fee rates {@link rulesArb} draws: 0, in (0, 0.1 %], or either. */
export type CloseFee = "none" | "positive" | "any";

/**
 * Rules with a mark or entry maintenance basis, a closing fee (Bybit-style fee to close, counted in
 * maintenance margin) per `closeFee`, and either equality convention.
 */
export function rulesArb(
  bases: readonly MaintenanceBasis[] = ["mark", "entry"],
  closeFee: CloseFee = "any",
): fc.Arbitrary<MarginRules> {
  const positive = logUniform(1e-6, 0.001);
  const fee =
    closeFee === "none"
      ? fc.constant(0)
      : closeFee === "positive"
        ? positive
        : fc.oneof(fc.constant(0), positive);
  return fc.record({
    maintenanceBasis: fc.constantFrom(...bases),
    closeFeeRate: fee,
    liquidateAtEquality: fc.boolean(),
  });
}

/** Where a position's tier table comes from. */
export type TierSource = "real" | "random";

/** The parts of a position drawn at random, before its tier table is scaled to its notional. */
interface PositionDraw {
  instrument: Instrument;
  /** Notional at entry in the margin asset's units (quote for linear, coin for inverse). */
  notionalAtEntry: number;
  entryPrice: number;
  long: boolean;
  /** Mark = entry·(1 + markMove). */
  markMove: number;
  leverage: number;
  fundingFraction: number;
  shape: TierShape;
}

export interface PositionOptions {
  kind: ContractKind;
  symbol: string;
  /** `real` = the bundled Binance BTCUSDT brackets (linear only). */
  tiers: TierSource;
  /** Fix the side; random when absent. */
  side?: "long" | "short";
  positionSide?: PositionSide;
  /** Draw accrued funding (up to ±2 % of the isolated margin); 0 otherwise. */
  funding?: boolean;
  /** Largest |mark/entry − 1| (default 0.2). */
  maxMarkMove?: number;
  /** Smallest rate of random tables (default 0.1 %). */
  minMmr?: number;
}

function positionDrawArb(opts: PositionOptions): fc.Arbitrary<PositionDraw> {
  const real = opts.tiers === "real";
  if (real && opts.kind !== "linear") throw new Error("the real BTCUSDT table is for linear instruments");
  const move = opts.maxMarkMove ?? 0.2;
  return fc.record({
    instrument: instrumentArb(opts.kind, opts.symbol),
    notionalAtEntry: real
      ? logUniform(10, 2e9)
      : opts.kind === "linear"
        ? logUniform(1, 1e9)
        : logUniform(1e-3, 1e5),
    entryPrice: real ? logUniform(1_000, 200_000) : logUniform(0.01, 1e5),
    long: opts.side === undefined ? fc.boolean() : fc.constant(opts.side === "long"),
    markMove: uniform(-move, move),
    leverage: logUniform(1.05, 200),
    fundingFraction: opts.funding ? uniform(-0.02, 0.02) : fc.constant(0),
    shape: tierShapeArb(opts.minMmr),
  });
}

function drawToPosition(d: PositionDraw, opts: PositionOptions): Position {
  const cs = d.instrument.contractSize;
  const contracts =
    d.instrument.kind === "linear"
      ? d.notionalAtEntry / (cs * d.entryPrice)
      : (d.notionalAtEntry * d.entryPrice) / cs;
  const isolatedMargin = d.notionalAtEntry / d.leverage;
  return {
    instrument: d.instrument,
    tiers: opts.tiers === "real" ? BTCUSDT_TIERS : scaleTierShape(d.shape, d.notionalAtEntry),
    size: d.long ? contracts : -contracts,
    entryPrice: d.entryPrice,
    markPrice: d.entryPrice * (1 + d.markMove),
    positionSide: opts.positionSide ?? "BOTH",
    isolatedMargin,
    accruedFunding: d.fundingFraction * isolatedMargin,
  };
}

/**
 * A position whose isolated margin is its entry notional over a leverage in [1.05, 200] (some are
 * liquidatable at once), with mark within ±20 % of entry and, for random tables, floors scaled to
 * the position's own notional.
 */
export function positionArb(opts: PositionOptions): fc.Arbitrary<Position> {
  return positionDrawArb(opts).map((d) => drawToPosition(d, opts));
}

export interface AccountOptions {
  mode: MarginMode;
  kind: ContractKind;
  tiers: TierSource;
  /** Number of one-way positions, each on its own symbol (default 1–5). */
  minPositions?: number;
  maxPositions?: number;
  /** Add a hedge-mode LONG + SHORT pair on one more symbol, sharing its mark. */
  hedge?: boolean;
  funding?: boolean;
  maxMarkMove?: number;
  minMmr?: number;
}

/** Symbol of the hedge-mode pair in {@link accountArb} accounts. */
export const HEDGE_SYMBOL = "HEDGE";

/**
 * An account of 1–5 one-way positions on different symbols (`S0`, `S1`, …), optionally with a
 * hedge-mode LONG + SHORT pair on {@link HEDGE_SYMBOL} (same mark, own entries and sizes, the short
 * drawn as 5 %–150 % of the long so that nearly flat hedges occur; its isolated margin keeps its own
 * draw, so it may exceed its notional, i.e. leverage below 1). Cross wallets hold the total
 * entry notional over an account leverage in [1.05, 100]; isolated accounts get a free balance that
 * backs nothing.
 */
export function accountArb(opts: AccountOptions): fc.Arbitrary<Account> {
  const base = { kind: opts.kind, tiers: opts.tiers, funding: opts.funding ?? false } as const;
  const extra = {
    ...(opts.maxMarkMove === undefined ? {} : { maxMarkMove: opts.maxMarkMove }),
    ...(opts.minMmr === undefined ? {} : { minMmr: opts.minMmr }),
  };
  const drawOpts: PositionOptions = { ...base, ...extra, symbol: "S0" };
  const oneWay = fc
    .array(positionDrawArb(drawOpts), {
      minLength: opts.minPositions ?? 1,
      maxLength: opts.maxPositions ?? 5,
    })
    .map((draws) =>
      draws.map((d, i) =>
        drawToPosition({ ...d, instrument: { ...d.instrument, symbol: `S${i}` } }, drawOpts),
      ),
    );
  const hedge = opts.hedge
    ? fc
        .record({
          long: positionArb({ ...base, ...extra, symbol: HEDGE_SYMBOL, side: "long", positionSide: "LONG" }),
          short: positionArb({
            ...base,
            ...extra,
            symbol: HEDGE_SYMBOL,
            side: "short",
            positionSide: "SHORT",
          }),
          ratio: fc.oneof(logUniform(0.05, 1.5), uniform(0.98, 1.02)),
          shortEntryMove: uniform(-0.1, 0.1),
        })
        .map(({ long, short, ratio, shortEntryMove }): Position[] => [
          long,
          {
            ...short,
            instrument: long.instrument,
            tiers: long.tiers,
            size: -long.size * ratio,
            entryPrice: long.entryPrice * (1 + shortEntryMove),
            markPrice: long.markPrice,
          },
        ])
    : fc.constant([] as Position[]);
  return fc
    .record({
      positions: fc.tuple(oneWay, hedge).map(([a, b]) => [...a, ...b]),
      accountLeverage: logUniform(1.05, 100),
      freeBalance: logUniform(1e-3, 1e6),
    })
    .map(({ positions, accountLeverage, freeBalance }): Account => {
      if (opts.mode === "isolated") return { marginMode: "isolated", walletBalance: freeBalance, positions };
      let notional = 0;
      for (const p of positions) {
        const units = Math.abs(p.size) * p.instrument.contractSize;
        notional += p.instrument.kind === "linear" ? units * p.entryPrice : units / p.entryPrice;
      }
      // Cross positions are backed by the wallet only.
      const cross = positions.map(({ isolatedMargin: _unused, ...p }) => p);
      return { marginMode: "cross", walletBalance: notional / accountLeverage, positions: cross };
    });
}

/** The same account with the mark of every position on `symbol` set to `price`. */
export function withMark(account: Account, symbol: string, price: number): Account {
  return {
    ...account,
    positions: account.positions.map((p) =>
      p.instrument.symbol === symbol ? { ...p, markPrice: price } : p,
    ),
  };
}

/**
 * The gross size of the numbers that enter an account's equity and maintenance margin: wallet and
 * isolated margins, funding, and each position's notionals at mark and entry. Round-off in equity
 * is a few ulps of this, so it is the scale for absolute tolerances.
 */
export function grossScale(account: Account): number {
  let s = Math.abs(account.walletBalance);
  for (const p of account.positions) {
    const units = Math.abs(p.size) * p.instrument.contractSize;
    const atMark = p.instrument.kind === "linear" ? units * p.markPrice : units / p.markPrice;
    const atEntry = p.instrument.kind === "linear" ? units * p.entryPrice : units / p.entryPrice;
    s += atMark + atEntry + Math.abs(p.isolatedMargin ?? 0) + Math.abs(p.accruedFunding);
  }
  return s;
}

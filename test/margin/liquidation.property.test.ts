/**
 * Property tests of the liquidation and bankruptcy prices (`liquidationPrices`) against the margin
 * figures of `accountMargin` and against the Binance USDⓈ-M closed form
 * (Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
 * https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { accountMargin } from "../../src/margin/account.js";
import {
  BEYOND_TIER_TABLE,
  liquidationPrices,
  type PositionLiquidation,
} from "../../src/margin/liquidation.js";
import { notionalAt } from "../../src/margin/position.js";
import { buildTierTable, maintenanceMargin, type TierTable, tierIndex } from "../../src/margin/tiers.js";
import type { Account, ContractKind, MarginRules, Position } from "../../src/margin/types.js";
import { type BinanceLiquidationInput, binanceUsdmLiquidationPrice } from "../../src/venues/binance-usdm.js";
import {
  accountArb,
  BINANCE_RULES,
  BTCUSDT_TIERS,
  continuousTierTableArb,
  grossScale,
  HEDGE_SYMBOL,
  inverseInstrument,
  linearInstrument,
  logUniform,
  positionArb,
  rulesArb,
  type TierSource,
  uniform,
  withMark,
} from "../helpers/arbitraries.js";

const RUNS = { seed: 42, numRuns: 200, includeErrorInReport: true } as const;
/** Fewer runs for the slower sweeps. */
const FEWER_RUNS = { ...RUNS, numRuns: 100 } as const;
/** Runs for the regression properties: report the first counterexample without shrinking. */
const TODO_RUNS = { ...RUNS, numRuns: 100, endOnFailure: true } as const;

/** The (kind, tier source) combinations: the real BTCUSDT table is a linear (USDT) table. */
const TABLES: readonly { kind: ContractKind; tiers: TierSource }[] = [
  { kind: "linear", tiers: "real" },
  { kind: "linear", tiers: "random" },
  { kind: "inverse", tiers: "random" },
];

/** Indices of the positions that share one liquidation price: each alone (isolated) or per symbol (cross). */
function groups(account: Account): number[][] {
  if (account.marginMode === "isolated") return account.positions.map((_, i) => [i]);
  const bySymbol = new Map<string, number[]>();
  account.positions.forEach((p, i) => {
    const list = bySymbol.get(p.instrument.symbol) ?? [];
    list.push(i);
    bySymbol.set(p.instrument.symbol, list);
  });
  return [...bySymbol.values()];
}

/** The account with the marks of a group moved to `price` (one position in isolated mode, the symbol in cross). */
function moveGroup(account: Account, group: readonly number[], price: number): Account {
  if (account.marginMode === "cross") {
    const symbol = (account.positions[group[0] as number] as Position).instrument.symbol;
    return withMark(account, symbol, price);
  }
  return {
    ...account,
    positions: account.positions.map((p, i) => (group.includes(i) ? { ...p, markPrice: price } : p)),
  };
}

/** Equity and maintenance margin that decide a group's liquidation: the position's (isolated) or the account's (cross). */
function equityAndMaintenance(
  account: Account,
  rules: MarginRules,
  i: number,
): { equity: number; mm: number } {
  const m = accountMargin(account, rules);
  if (account.marginMode === "cross") return { equity: m.equity, mm: m.maintenanceMargin };
  const row = m.positions[i];
  assert.ok(row !== undefined && row.isolatedEquity !== null);
  return { equity: row.isolatedEquity, mm: row.maintenanceMargin };
}

/** Whether the group is liquidatable with its marks at `price`. */
function liquidatableAt(
  account: Account,
  rules: MarginRules,
  group: readonly number[],
  price: number,
): boolean {
  const m = accountMargin(moveGroup(account, group, price), rules);
  return account.marginMode === "cross"
    ? m.liquidatable
    : (m.positions[group[0] as number]?.liquidatable ?? false);
}

/** `assert.ok` with a message built only on failure (the case dumps are large). */
function ensure(condition: boolean, message: () => string): asserts condition {
  if (!condition) assert.fail(message());
}

function describeCase(account: Account, rules: MarginRules, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ rules, account, ...extra }, (_k, v) =>
    v === Number.POSITIVE_INFINITY ? "Infinity" : v,
  );
}

/** Whether some position outside `i`'s group has a bankruptcy price in one account and not the other. */
function bankruptcyAppearsOrVanishes(
  before: Account,
  after: Account,
  rules: MarginRules,
  i: number,
): boolean {
  const a = liquidationPrices(before, rules);
  const b = liquidationPrices(after, rules);
  const symbol = before.positions[i]?.instrument.symbol;
  return a.some(
    (r, j) =>
      before.positions[j]?.instrument.symbol !== symbol &&
      (r.bankruptcyPrice === null) !== (b[j]?.bankruptcyPrice === null),
  );
}

describe("liquidation price: equity equals maintenance margin there (property 1)", () => {
  /**
   * Equity − MM at the returned price is round-off only. Round-off in equity is a few ulps of the
   * gross numbers that enter it (`grossScale`), so the relative error is taken against
   * max(MM, 1e-3·scale): |equity − MM| < 1e-9·MM or < 1e-12·scale when MM is tiny.
   */
  function checkEquityEqualsMaintenance(account: Account, rules: MarginRules): void {
    const results = liquidationPrices(account, rules);
    for (const group of groups(account)) {
      const i = group[0] as number;
      const { liquidationPrice: lp } = results[i] as PositionLiquidation;
      if (lp === null) continue;
      const moved = moveGroup(account, group, lp);
      // The other symbols' fees to close follow their bankruptcy prices, which move with this mark;
      // the solve is exact until one of those reaches the end of the price range (the fee kinks to
      // 0 there), which only an account that is bankrupt on some symbol at the mark gets to.
      if (rules.closeFeeRate > 0 && bankruptcyAppearsOrVanishes(account, moved, rules, i)) continue;
      const { equity, mm } = equityAndMaintenance(moved, rules, i);
      const rel = Math.abs(equity - mm) / Math.max(mm, 1e-3 * grossScale(moved));
      ensure(
        rel < 1e-9,
        () =>
          `position ${i}: LP ${lp}, equity ${equity}, MM ${mm}, rel ${rel}\n${describeCase(account, rules)}`,
      );
    }
  }

  for (const { kind, tiers } of TABLES) {
    it(`isolated, ${kind}, ${tiers} tables (with hedge legs, funding, mark/entry basis)`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "isolated", kind, tiers, hedge: true, funding: true, maxPositions: 2 }),
          rulesArb(),
          (a, r) => checkEquityEqualsMaintenance(a, r),
        ),
        RUNS,
      );
    });
    it(`cross, ${kind}, ${tiers} tables, 1–5 symbols, no closing fee`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, funding: true }),
          rulesArb(undefined, "none"),
          (a, r) => checkEquityEqualsMaintenance(a, r),
        ),
        RUNS,
      );
    });
    it(`cross, ${kind}, ${tiers} tables, with a hedge-mode long + short on one symbol, no closing fee`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, hedge: true, maxPositions: 3 }),
          rulesArb(undefined, "none"),
          (a, r) => checkEquityEqualsMaintenance(a, r),
        ),
        RUNS,
      );
    });
    it(`cross, ${kind}, ${tiers} tables, one symbol, with a closing fee`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, funding: true, maxPositions: 1 }),
          rulesArb(undefined, "positive"),
          (a, r) => checkEquityEqualsMaintenance(a, r),
        ),
        RUNS,
      );
    });
    it(`cross, ${kind}, ${tiers} tables, 2–5 symbols or a hedge pair, with a closing fee`, {}, () => {
      fc.assert(
        fc.property(
          fc.boolean().chain((hedge) =>
            accountArb({
              mode: "cross",
              kind,
              tiers,
              hedge,
              minPositions: hedge ? 1 : 2,
              maxPositions: hedge ? 3 : 5,
            }),
          ),
          rulesArb(undefined, "positive"),
          (a, r) => checkEquityEqualsMaintenance(a, r),
        ),
        TODO_RUNS,
      );
    });
  }
});

describe("bankruptcy price: equity is zero there (property 2)", () => {
  /** Equity less the closing fee (where the venue charges one) at the bankruptcy price, relative to notional. */
  function checkZeroEquity(account: Account, rules: MarginRules): void {
    const results = liquidationPrices(account, rules);
    for (const group of groups(account)) {
      const i = group[0] as number;
      const bp = (results[i] as PositionLiquidation).bankruptcyPrice;
      if (bp === null) continue;
      const moved = moveGroup(account, group, bp);
      const m = accountMargin(moved, rules);
      let notional = 0;
      for (const j of group) notional += (m.positions[j] ?? { notional: 0 }).notional;
      const equity =
        account.marginMode === "cross" ? m.equity : (m.positions[i]?.isolatedEquity ?? Number.NaN);
      const residual = equity - rules.closeFeeRate * notional;
      const tolerance = 1e-9 * notional + 1e-12 * grossScale(moved);
      ensure(
        Math.abs(residual) < tolerance,
        () =>
          `position ${i}: BP ${bp}, equity ${equity}, fee part ${rules.closeFeeRate * notional}, notional ${notional}\n${describeCase(account, rules)}`,
      );
    }
  }

  for (const { kind, tiers } of TABLES) {
    for (const mode of ["isolated", "cross"] as const) {
      it(`${mode}, ${kind}, ${tiers} tables (with hedge legs)`, () => {
        fc.assert(
          fc.property(
            accountArb({
              mode,
              kind,
              tiers,
              hedge: true,
              funding: true,
              maxPositions: mode === "isolated" ? 2 : 4,
            }),
            rulesArb(),
            (a, r) => checkZeroEquity(a, r),
          ),
          RUNS,
        );
      });
    }
  }
});

describe("ordering of bankruptcy, liquidation and entry prices (property 3)", () => {
  for (const { kind, tiers } of TABLES) {
    it(`isolated ${kind}, ${tiers} tables: long BP < LP < entry, short entry < LP < BP`, () => {
      fc.assert(
        fc.property(positionArb({ kind, tiers, symbol: "X", funding: true }), rulesArb(), (p, rules) => {
          const position = { ...p, markPrice: p.entryPrice };
          const account: Account = { marginMode: "isolated", walletBalance: 0, positions: [position] };
          const row = accountMargin(account, rules).positions[0];
          assert.ok(row?.isolatedEquity != null);
          // Only positions that are not already liquidatable at entry.
          fc.pre(row.isolatedEquity > row.maintenanceMargin);
          const [res] = liquidationPrices(account, rules);
          assert.ok(res !== undefined);
          const { liquidationPrice: lp, bankruptcyPrice: bp } = res;
          const detail = () => `LP ${lp}, BP ${bp}, entry ${p.entryPrice}\n${describeCase(account, rules)}`;
          // Isolated margin is below the entry notional (leverage ≥ 1.05), so both prices exist.
          ensure(lp !== null && bp !== null, detail);
          if (p.size > 0) ensure(bp < lp && lp < p.entryPrice, detail);
          else ensure(p.entryPrice < lp && lp < bp, detail);
        }),
        RUNS,
      );
    });
  }
});

describe("monotonicity in collateral (property 4)", () => {
  /**
   * Adding collateral widens the price interval on which equity covers maintenance margin: the lower
   * liquidation price falls (or vanishes), the upper one rises (or vanishes), and neither appears.
   */
  function checkMonotone(account: Account, more: Account, rules: MarginRules): void {
    const before = liquidationPrices(account, rules);
    const after = liquidationPrices(more, rules);
    for (const group of groups(account)) {
      const i = group[0] as number;
      const b = before[i] as PositionLiquidation;
      const a = after[i] as PositionLiquidation;
      if (
        b.liquidationPrice === null &&
        b.lowerLiquidationPrice === null &&
        b.upperLiquidationPrice === null
      ) {
        // Either no price liquidates (then none may appear), or every price does, or the only end lies
        // beyond the tier table (then more collateral may bring it inside: anything is better).
        if (b.liquidationReason?.includes("every price: add collateral") === true) continue;
        if (b.liquidationReason?.startsWith(BEYOND_TIER_TABLE) === true) continue;
        ensure(
          a.liquidationPrice === null,
          () => `position ${i}: a liquidation price appeared\n${describeCase(account, rules)}`,
        );
        continue;
      }
      const lo0 = b.lowerLiquidationPrice;
      const lo1 = a.lowerLiquidationPrice;
      const hi0 = b.upperLiquidationPrice;
      const hi1 = a.upperLiquidationPrice;
      const slack = (x: number) => 1e-12 * x;
      const beyond = (reason: string | null) => reason?.startsWith(BEYOND_TIER_TABLE) === true;
      const lowerOk =
        lo1 === null || (lo0 !== null && lo1 <= lo0 + slack(lo0)) || beyond(b.lowerLiquidationReason);
      const upperOk =
        hi1 === null || (hi0 !== null && hi1 >= hi0 - slack(hi0)) || beyond(b.upperLiquidationReason);
      ensure(
        lowerOk && upperOk,
        () =>
          `position ${i}: bounds [${lo0}, ${hi0}] → [${lo1}, ${hi1}] after adding collateral\n${describeCase(account, rules)}`,
      );
    }
  }

  for (const { kind, tiers } of TABLES) {
    it(`isolated, ${kind}, ${tiers} tables: more isolated margin`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "isolated", kind, tiers, funding: true, maxPositions: 2 }),
          rulesArb(),
          fc.nat({ max: 2 }),
          logUniform(1e-6, 10),
          (account, rules, pick, fraction) => {
            const k = pick % account.positions.length;
            const more: Account = {
              ...account,
              positions: account.positions.map((p, i) =>
                i === k ? { ...p, isolatedMargin: (p.isolatedMargin ?? 0) * (1 + fraction) } : p,
              ),
            };
            checkMonotone(account, more, rules);
          },
        ),
        RUNS,
      );
    });
    const moreWallet = (account: Account, fraction: number): Account => ({
      ...account,
      walletBalance: account.walletBalance * (1 + fraction),
    });
    it(`cross, ${kind}, ${tiers} tables: more wallet balance, one-way positions`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, funding: true }),
          rulesArb(),
          logUniform(1e-6, 10),
          (account, rules, fraction) => checkMonotone(account, moreWallet(account, fraction), rules),
        ),
        RUNS,
      );
    });
    it(`cross, ${kind}, ${tiers} tables: more wallet balance, with a hedge pair, no closing fee`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, hedge: true, funding: true, maxPositions: 3 }),
          rulesArb(undefined, "none"),
          logUniform(1e-6, 10),
          (account, rules, fraction) => checkMonotone(account, moreWallet(account, fraction), rules),
        ),
        RUNS,
      );
    });
    it(`cross, ${kind}, ${tiers} tables: more wallet balance, with a hedge pair and a closing fee`, {}, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, hedge: true, funding: true, maxPositions: 3 }),
          rulesArb(undefined, "positive"),
          logUniform(1e-6, 10),
          (account, rules, fraction) => checkMonotone(account, moreWallet(account, fraction), rules),
        ),
        TODO_RUNS,
      );
    });
  }
});

const caseArb = (kind: ContractKind, tiers: TierSource): fc.Arbitrary<FloorCase> =>
  fc.record({
    tiers:
      tiers === "real"
        ? fc.constant(BTCUSDT_TIERS)
        : continuousTierTableArb(1, 0.001).chain((t) =>
            (kind === "linear" ? logUniform(10, 1e7) : logUniform(1e-3, 1e3)).map((scale) =>
              scaleTable(t, scale),
            ),
          ),
    floorPick: fc.nat(),
    price: kind === "linear" ? logUniform(1, 1e5) : logUniform(100, 1e5),
    long: fc.boolean(),
    distance: uniform(0.001, 0.5),
    contractSize: kind === "linear" ? fc.constantFrom(1, 0.001) : fc.constantFrom(100, 1),
    closeFeeRate: fc.oneof(fc.constant(0), logUniform(1e-6, 0.001)),
  });
/** A drawn tier-floor case (see {@link floorCase}). */
interface FloorCase {
  tiers: TierTable;
  floorPick: number;
  price: number;
  long: boolean;
  distance: number;
  contractSize: number;
  closeFeeRate: number;
}

/**
 * An isolated position (mark basis) sized so that at isolated margin W* its liquidation price is
 * `c.price`, where its notional equals the floor of tier k exactly.
 */
function floorCase(kind: ContractKind, c: FloorCase) {
  fc.pre(c.tiers.length > 1);
  const k = 1 + (c.floorPick % (c.tiers.length - 1));
  const floor = (c.tiers[k] as { notionalFloor: number }).notionalFloor;
  const rules: MarginRules = {
    maintenanceBasis: "mark",
    closeFeeRate: c.closeFeeRate,
    liquidateAtEquality: true,
  };
  const instrument =
    kind === "linear" ? linearInstrument("X", c.contractSize) : inverseInstrument("X", c.contractSize);
  const units = kind === "linear" ? floor / c.price : floor * c.price;
  // Entry on the favourable side of the target price, so the target is an adverse move.
  const entryPrice = c.long ? c.price * (1 + c.distance) : c.price * (1 - c.distance);
  const base: Position = {
    instrument,
    tiers: c.tiers,
    size: (c.long ? 1 : -1) * (units / c.contractSize),
    entryPrice,
    markPrice: c.price,
    positionSide: "BOTH",
    isolatedMargin: 0,
    accruedFunding: 0,
  };
  // Equity − MM at the target price is affine in the isolated margin W (the fee to close is taken
  // at the bankruptcy price, itself affine in W), so two evaluations give its root W*.
  const gap = (w: number): number => {
    const row = accountMargin(
      { marginMode: "isolated", walletBalance: 0, positions: [{ ...base, isolatedMargin: w }] },
      rules,
    ).positions[0];
    assert.ok(row?.isolatedEquity != null);
    return row.isolatedEquity - row.maintenanceMargin;
  };
  const w1 = notionalAt(base, c.price);
  const g0 = gap(0);
  const wStar = (-g0 * w1) / (gap(w1) - g0);
  const lpAt = (w: number): PositionLiquidation => {
    const p = { ...base, markPrice: entryPrice, isolatedMargin: w };
    return liquidationPrices(
      { marginMode: "isolated", walletBalance: 0, positions: [p] },
      rules,
    )[0] as PositionLiquidation;
  };
  const detail = (extra: string) =>
    `${extra}\nfloor ${floor} (tier ${k}), W* ${wStar}, position ${JSON.stringify({ ...base, tiers: undefined, markPrice: entryPrice })}, tiers ${JSON.stringify(c.tiers)}, fee ${c.closeFeeRate}`;
  return { k, floor, units, base, wStar, lpAt, detail };
}

describe("continuity across tier boundaries (property 5)", () => {
  for (const { kind, tiers } of TABLES) {
    /**
     * W swept over W*·(1 + j·h), j = ±1 … ±80 (the exact point W* is property 5b): the sweep must
     * cross the floor and consecutive prices may differ by at most |dLP/dW|·ΔW, with
     * |dLP/dW| ≤ 1/|slope|, |slope| ≥ units·(1 − mmr_max − fee) per unit of the price coordinate
     * (×P² for inverse contracts, where u = 1/P).
     */
    it(`isolated ${kind}, ${tiers} tables, mark basis: no jump as the liquidation notional crosses a floor`, () => {
      fc.assert(
        fc.property(caseArb(kind, tiers), (c) => {
          const { units, base, wStar, lpAt, detail } = floorCase(kind, c);
          const h = 4e-5;
          const steps = 30;
          const ws: number[] = [];
          for (let j = -steps; j <= steps; j++) if (j !== 0) ws.push(wStar * (1 + j * h));
          const prices = ws.map((w) => {
            const r = lpAt(w);
            ensure(r.liquidationPrice !== null, () => detail(`LP(${w}) is null: ${r.liquidationReason}`));
            return r.liquidationPrice;
          });
          const first = prices[0] as number;
          const last = prices[prices.length - 1] as number;
          ensure(
            tierIndex(c.tiers, notionalAt(base, first)) !== tierIndex(c.tiers, notionalAt(base, last)),
            () => detail("the sweep does not cross the floor"),
          );
          const mmrMax = Math.max(...c.tiers.map((t) => t.mmr));
          const pMax = Math.max(...prices);
          const perW = (kind === "linear" ? 1 : pMax * pMax) / (units * (1 - mmrMax - c.closeFeeRate));
          for (let j = 1; j < prices.length; j++) {
            const dw = (ws[j] as number) - (ws[j - 1] as number);
            const bound = perW * dw * (1 + 1e-6) + 1e-12 * pMax;
            const jump = Math.abs((prices[j] as number) - (prices[j - 1] as number));
            ensure(jump <= bound, () =>
              detail(`jump ${jump} > bound ${bound} between W ${ws[j - 1]} and ${ws[j]}`),
            );
          }
        }),
        RUNS,
      );
    });
  }
});

describe("a liquidation exactly on a tier floor (property 5b)", () => {
  for (const { kind, tiers } of TABLES) {
    it(`isolated ${kind}, ${tiers} tables, mark basis: LP(W*) is the price whose notional is the floor`, {}, () => {
      fc.assert(
        fc.property(caseArb(kind, tiers), (c) => {
          const { wStar, lpAt, detail } = floorCase(kind, c);
          const r = lpAt(wStar);
          ensure(
            r.liquidationPrice !== null && Math.abs(r.liquidationPrice - c.price) <= 1e-9 * c.price,
            () => detail(`LP(W*) = ${r.liquidationPrice} (${r.liquidationReason}), expected ${c.price}`),
          );
        }),
        RUNS,
      );
    });
  }
});

/** A random table re-scaled: floors and cums multiplied by `scale` (continuity is preserved). */
function scaleTable(tiers: TierTable, scale: number): TierTable {
  return tiers.map((t) => ({
    ...t,
    notionalFloor: t.notionalFloor * scale,
    notionalCap: t.notionalCap * scale,
    cum: t.cum * scale,
  }));
}

describe("agreement with the Binance USDⓈ-M closed form (property 6)", () => {
  /** The tier (mmr, cum) of a leg at the engine's liquidation price. */
  function leg(p: Position, lp: number) {
    const tier = p.tiers[tierIndex(p.tiers, Math.abs(p.size) * lp)];
    assert.ok(tier !== undefined);
    return { size: Math.abs(p.size), entryPrice: p.entryPrice, mmr: tier.mmr, cum: tier.cum };
  }

  /**
   * Binance inputs for the group on `symbol`: `WB` (cross wallet or isolated margin), `TMM1` and
   * `UPNL1` from the other symbols at their marks, and each leg with its tier at `lp`.
   */
  function binanceInput(account: Account, group: readonly number[], lp: number): BinanceLiquidationInput {
    const inGroup = new Set(group);
    const first = account.positions[group[0] as number] as Position;
    let tmm1 = 0;
    let upnl1 = 0;
    if (account.marginMode === "cross") {
      account.positions.forEach((p, i) => {
        if (inGroup.has(i)) return;
        tmm1 += maintenanceMargin(p.tiers, Math.abs(p.size) * p.markPrice);
        upnl1 += p.size * (p.markPrice - p.entryPrice);
      });
    }
    const input: BinanceLiquidationInput = {
      walletBalance: account.marginMode === "cross" ? account.walletBalance : (first.isolatedMargin ?? 0),
      otherMaintenanceMargin: tmm1,
      otherUnrealizedPnl: upnl1,
    };
    for (const i of group) {
      const p = account.positions[i] as Position;
      if (p.positionSide === "LONG") input.long = leg(p, lp);
      else if (p.positionSide === "SHORT") input.short = leg(p, lp);
      else input.both = { ...leg(p, lp), side: p.size > 0 ? 1 : -1 };
    }
    return input;
  }

  /** Binance instruments: linear, 1 coin per contract, no funding in the formula. */
  const binanceAccountArb = (mode: "isolated" | "cross", tiers: TierSource, hedge: boolean) =>
    accountArb({ mode, kind: "linear", tiers, hedge, maxPositions: hedge ? 3 : 5 }).map(
      (a): Account => ({
        ...a,
        positions: a.positions.map((p) => ({ ...p, instrument: { ...p.instrument, contractSize: 1 } })),
      }),
    );

  function checkAgreement(account: Account, onlyGroups?: (g: number[]) => boolean): void {
    const results = liquidationPrices(account, BINANCE_RULES);
    for (const group of groups(account)) {
      if (onlyGroups !== undefined && !onlyGroups(group)) continue;
      const i = group[0] as number;
      const lp = (results[i] as PositionLiquidation).liquidationPrice;
      if (lp === null) continue;
      const expected = binanceUsdmLiquidationPrice(binanceInput(account, group, lp));
      const rel = Math.abs(lp - expected) / Math.abs(expected);
      ensure(
        rel < 1e-12,
        () =>
          `position ${i}: engine ${lp}, Binance formula ${expected}, rel ${rel}\n${describeCase(account, BINANCE_RULES)}`,
      );
    }
  }

  for (const tiers of ["real", "random"] as const) {
    it(`isolated one-way, ${tiers} tables`, () => {
      fc.assert(
        fc.property(binanceAccountArb("isolated", tiers, false), (a) => checkAgreement(a)),
        RUNS,
      );
    });
    it(`cross one-way with 0–4 other symbols (TMM1, UPNL1 at their marks), ${tiers} tables`, () => {
      fc.assert(
        fc.property(binanceAccountArb("cross", tiers, false), (a) => checkAgreement(a)),
        RUNS,
      );
    });
    it(`cross hedge-mode LONG + SHORT on one symbol with other symbols, ${tiers} tables`, () => {
      fc.assert(
        fc.property(binanceAccountArb("cross", tiers, true), (a) =>
          checkAgreement(
            a,
            (g) => (a.positions[g[0] as number] as Position).instrument.symbol === HEDGE_SYMBOL,
          ),
        ),
        RUNS,
      );
    });
  }

  it("within one tier, the formula with the bracket at the mark gives the engine's price", () => {
    fc.assert(
      fc.property(binanceAccountArb("cross", "real", false), (account) => {
        const results = liquidationPrices(account, BINANCE_RULES);
        const p = account.positions[0] as Position;
        const lp = results[0]?.liquidationPrice ?? null;
        fc.pre(
          lp !== null &&
            tierIndex(p.tiers, Math.abs(p.size) * lp) === tierIndex(p.tiers, Math.abs(p.size) * p.markPrice),
        );
        const input = binanceInput(account, [0], p.markPrice);
        const expected = binanceUsdmLiquidationPrice(input);
        assert.ok(Math.abs(lp - expected) <= 1e-12 * Math.abs(expected), `engine ${lp}, formula ${expected}`);
      }),
      RUNS,
    );
  });
});

describe("prices are positive and finite, or null with a reason (property 7)", () => {
  function checkShape(account: Account, rules: MarginRules): void {
    liquidationPrices(account, rules).forEach((r, i) => {
      for (const [price, reason, what] of [
        [r.liquidationPrice, r.liquidationReason, "liquidation"],
        [r.lowerLiquidationPrice, r.lowerLiquidationReason, "lower liquidation"],
        [r.upperLiquidationPrice, r.upperLiquidationReason, "upper liquidation"],
        [r.bankruptcyPrice, r.bankruptcyReason, "bankruptcy"],
      ] as const) {
        const detail = () => `position ${i} ${what}: ${price} (${reason})\n${describeCase(account, rules)}`;
        if (price === null) ensure(typeof reason === "string" && reason.length > 0, detail);
        else ensure(Number.isFinite(price) && price > 0 && reason === null, detail);
      }
      // An end is never an extrapolation of the last tier: the position's notional there is below its cap.
      const p = account.positions[i] as Position;
      const cap = (p.tiers[p.tiers.length - 1] as { notionalCap: number }).notionalCap;
      for (const end of [r.lowerLiquidationPrice, r.upperLiquidationPrice])
        if (end !== null && rules.maintenanceBasis === "mark")
          ensure(
            !(notionalAt(p, end) >= cap),
            () => `position ${i}: end ${end} beyond the cap ${cap}\n${describeCase(account, rules)}`,
          );
    });
  }

  for (const { kind, tiers } of TABLES) {
    for (const mode of ["isolated", "cross"] as const) {
      it(`${mode}, ${kind}, ${tiers} tables`, () => {
        fc.assert(
          fc.property(
            accountArb({ mode, kind, tiers, hedge: true, funding: true, maxPositions: 3, maxMarkMove: 0.9 }),
            rulesArb(),
            (a, r) => checkShape(a, r),
          ),
          RUNS,
        );
      });
    }
  }
});

describe("no liquidation price means no liquidation at any price (property 7b)", () => {
  /**
   * When the engine answers "no liquidation price" (null, and the group is not below maintenance
   * at every price), no mark of the group within the tier tables may make it liquidatable: sampled
   * over mark·e^t, t ∈ [−12, 12], where every member's maintenance notional is below its last cap
   * (beyond it the venue has no rate and the engine says "beyond the tier table"). A trader reads
   * null as "safe at any price the venue margins".
   */
  function checkNullIsHonest(account: Account, rules: MarginRules): void {
    const results = liquidationPrices(account, rules);
    const withinTables = (group: readonly number[], price: number) =>
      group.every((j) => {
        const p = account.positions[j] as Position;
        const cap = (p.tiers[p.tiers.length - 1] as { notionalCap: number }).notionalCap;
        return notionalAt(p, rules.maintenanceBasis === "mark" ? price : p.entryPrice) < cap;
      });
    for (const group of groups(account)) {
      const i = group[0] as number;
      const r = results[i] as PositionLiquidation;
      if (r.liquidationPrice !== null) continue;
      const mark = (account.positions[i] as Position).markPrice;
      const now = liquidatableAt(account, rules, group, mark);
      for (let t = -12; t <= 12; t += 0.1) {
        const price = mark * Math.exp(t);
        if (withinTables(group, price) && liquidatableAt(account, rules, group, price) !== now) {
          assert.fail(
            `position ${i}: liquidationPrice null ("${r.liquidationReason}") but liquidatable ${!now} at ${price} and ${now} at the mark ${mark}\n${describeCase(account, rules)}`,
          );
        }
      }
    }
  }

  for (const { kind, tiers } of TABLES) {
    it(`isolated and cross one-way, ${kind}, ${tiers} tables`, () => {
      fc.assert(
        fc.property(
          fc
            .constantFrom("isolated" as const, "cross" as const)
            .chain((mode) => accountArb({ mode, kind, tiers, maxPositions: 3 })),
          rulesArb(),
          (a, r) => checkNullIsHonest(a, r),
        ),
        FEWER_RUNS,
      );
    });
    it(`cross with a hedge-mode pair, ${kind}, ${tiers} tables`, () => {
      fc.assert(
        fc.property(
          accountArb({ mode: "cross", kind, tiers, hedge: true, maxPositions: 2 }),
          rulesArb(),
          (a, r) => checkNullIsHonest(a, r),
        ),
        TODO_RUNS,
      );
    });
  }
});

/**
 * Regression examples: the smallest counterexamples of engine bugs found by the properties above
 * (a root exactly on a tier floor, hedged legs, the fee to close), kept as plain examples.
 */
describe("regressions: worked counterexamples", () => {
  const linearBtc = linearInstrument("BTCUSDT");
  const flat05 = buildTierTable([{ notionalFloor: 0, mmr: 0.005, maxLeverage: 100 }]);
  const leg = (
    size: number,
    entryPrice: number,
    positionSide: Position["positionSide"],
    tiers: TierTable = BTCUSDT_TIERS,
  ): Position => ({
    instrument: linearBtc,
    tiers,
    size,
    entryPrice,
    markPrice: entryPrice,
    positionSide,
    accruedFunding: 0,
  });

  it("inverse long whose liquidation notional is exactly a tier floor has a liquidation price", {}, () => {
    // Two tiers: [0, 1 BTC) at 0.1 %, [1 BTC, ∞) at 1.822…%. Long 4.1574… contracts of 100 USD,
    // entry 1.001 × 415.7426; isolated margin W* puts the liquidation notional at 1 BTC exactly.
    const tiers = buildTierTable([
      { notionalFloor: 0, mmr: 0.001, maxLeverage: 500 },
      { notionalFloor: 1, mmr: 0.018220061875109567, maxLeverage: 27 },
    ]);
    const price = 415.74257963754957;
    const position: Position = {
      instrument: inverseInstrument("BTCUSD", 100),
      tiers,
      size: price / 100,
      entryPrice: price * 1.001,
      markPrice: price * 1.001,
      positionSide: "BOTH",
      isolatedMargin: 0.0019990009990008255,
      accruedFunding: 0,
    };
    const rules: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: true };
    const [r] = liquidationPrices({ marginMode: "isolated", walletBalance: 0, positions: [position] }, rules);
    // The engine answers null, "equity stays above maintenance margin at every price down to 0",
    // while the bankruptcy price 415.33 exists; W* ± 1e-12 relative gives 415.7425796375.
    assert.ok(r?.liquidationPrice != null, `${r?.liquidationReason}`);
    assert.ok(Math.abs(r.liquidationPrice - price) < 1e-9 * price);
  });

  it("BTCUSDT short whose liquidation notional is exactly the 100M bracket floor has a liquidation price", {}, () => {
    // Isolated, 2024-10 brackets: short 276,851.3007883023 @ 360.84352761047614 with margin
    // 2,118,549.9999999944 is liquidated at 361.20473234281894, where the notional is 100,000,000.
    const position: Position = {
      ...leg(-276851.3007883023, 360.84352761047614, "BOTH"),
      isolatedMargin: 2118549.9999999944,
    };
    const [r] = liquidationPrices(
      { marginMode: "isolated", walletBalance: 0, positions: [position] },
      BINANCE_RULES,
    );
    // The engine answers null, "equity stays above maintenance margin at every price upwards",
    // while the bankruptcy price exists.
    assert.ok(r?.liquidationPrice != null, `${r?.liquidationReason}; bankruptcy ${r?.bankruptcyPrice}`);
    assert.ok(Math.abs(r.liquidationPrice - 361.20473234281894) < 1e-9 * 361.2);
  });

  it("a 1x inverse short with a closing fee is never liquidated", () => {
    // Isolated, short 1,000 × 100 USD @ 50,000 with 2 BTC (1x, the cash-and-carry hedge), flat
    // 0.5 %, fee 0.055 %: equity 100,000/P BTC against MM ≈ 100,000/P·(0.5 % + 0.055 %), never
    // liquidated, and it has no bankruptcy price. The fee to close is then charged at the mark, which
    // the solve freezes, giving a spurious liquidation price of 90,454,545 (equity there 0.0011 BTC,
    // MM 0.0000061 BTC).
    const position: Position = {
      instrument: inverseInstrument("BTCUSD", 100),
      tiers: flat05,
      size: -1000,
      entryPrice: 50_000,
      markPrice: 50_000,
      positionSide: "BOTH",
      isolatedMargin: 2,
      accruedFunding: 0,
    };
    const rules: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0.00055, liquidateAtEquality: true };
    const [r] = liquidationPrices({ marginMode: "isolated", walletBalance: 0, positions: [position] }, rules);
    assert.equal(r?.liquidationPrice, null);
  });

  it("a nearly flat hedge-mode pair is liquidated when the price rises", () => {
    // Cross, WB 1,000 USDT, BTCUSDT LONG 1 and SHORT 0.999, both @ 60,000, 2024-10 brackets.
    const account: Account = {
      marginMode: "cross",
      walletBalance: 1000,
      positions: [leg(1, 60_000, "LONG"), leg(-0.999, 60_000, "SHORT")],
    };
    // Equity 940 + 0.001·P against MM ≈ 0.005·1.999·P − 100 (bracket 2): liquidated from ≈ 115,620.
    assert.equal(accountMargin(withMark(account, "BTCUSDT", 134_000), BINANCE_RULES).liquidatable, true);
    const expected = binanceUsdmLiquidationPrice({
      walletBalance: 1000,
      otherMaintenanceMargin: 0,
      otherUnrealizedPnl: 0,
      long: { size: 1, entryPrice: 60_000, mmr: 0.005, cum: 50 },
      short: { size: 0.999, entryPrice: 60_000, mmr: 0.005, cum: 50 },
    });
    const [r] = liquidationPrices(account, BINANCE_RULES);
    // The engine answers null, "equity stays above maintenance margin at every price down to 0".
    assert.ok(r?.liquidationPrice != null, `${r?.liquidationReason}`);
    assert.ok(
      Math.abs(r.liquidationPrice - expected) < 1e-9 * expected,
      `${r.liquidationPrice} vs ${expected}`,
    );
  });

  it("cross with a closing fee: equity equals maintenance margin at the liquidation price", {}, () => {
    // Cross, WB 10,000, BTC long 1 @ 60,000 and ETH long 10 @ 3,000, flat 0.5 % tier, fee 0.055 %.
    const rules: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0.00055, liquidateAtEquality: true };
    const account: Account = {
      marginMode: "cross",
      walletBalance: 10_000,
      positions: [
        leg(1, 60_000, "BOTH", flat05),
        { ...leg(10, 3000, "BOTH", flat05), instrument: linearInstrument("ETHUSDT") },
      ],
    };
    const lp = liquidationPrices(account, rules)[0]?.liquidationPrice;
    assert.ok(lp != null);
    // Engine: 50,440.72; there equity 440.72 but MM 445.99 (ETH's fee to close, taken at ETH's
    // bankruptcy price, rose from 161.01 to 166.27 as BTC's mark fell).
    const m = accountMargin(withMark(account, "BTCUSDT", lp), rules);
    assert.ok(
      Math.abs(m.equity - m.maintenanceMargin) < 1e-9 * m.maintenanceMargin,
      `equity ${m.equity}, MM ${m.maintenanceMargin}`,
    );
  });

  it("a flat hedge's maintenance margin is continuous as the closing fee goes to 0", {}, () => {
    // Cross, WB 1,000, LONG 1 and SHORT 1 @ 60,000, flat 0.5 %: MM 600 without a fee, but with a
    // fee of 1e-12 the fee to close is taken at a bankruptcy price of 5e14 and MM jumps to 1,600.
    const account: Account = {
      marginMode: "cross",
      walletBalance: 1000,
      positions: [leg(1, 60_000, "LONG", flat05), leg(-1, 60_000, "SHORT", flat05)],
    };
    const rules = (closeFeeRate: number): MarginRules => ({
      maintenanceBasis: "mark",
      closeFeeRate,
      liquidateAtEquality: true,
    });
    const mm0 = accountMargin(account, rules(0)).maintenanceMargin;
    const mm1 = accountMargin(account, rules(1e-12)).maintenanceMargin;
    assert.ok(Math.abs(mm1 - mm0) < 1e-6, `MM ${mm0} at fee 0, ${mm1} at fee 1e-12`);
  });

  it("adding collateral to a nearly flat hedge with a closing fee lowers its margin ratio", {}, () => {
    // Cross, LONG 1 / SHORT 0.9996 @ 60,000, flat 0.5 %, fee 0.055 %: MM 2,134 at WB 1,000,
    // 3,705 at WB 2,000, 6,849 at WB 4,000 — each extra 1 USDT of collateral adds 1.57 USDT of fee.
    const rules: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0.00055, liquidateAtEquality: true };
    const at = (walletBalance: number) =>
      accountMargin(
        {
          marginMode: "cross",
          walletBalance,
          positions: [leg(1, 60_000, "LONG", flat05), leg(-0.9996, 60_000, "SHORT", flat05)],
        },
        rules,
      );
    const gap1000 = at(1000).maintenanceMargin - at(1000).equity;
    const gap4000 = at(4000).maintenanceMargin - at(4000).equity;
    assert.ok(gap4000 < gap1000, `MM − equity ${gap1000} at WB 1,000 but ${gap4000} at WB 4,000`);
  });

  it("examples/hedge-mode.json: the upper end beyond the last BTCUSDT cap is null 'beyond the tier table', not 5.6 bn", () => {
    // LONG 1.2 @ 64,210 and SHORT 0.5 @ 68,950, mark 67,184.3, WB 9,000: extending the last bracket
    // (50 % above 1.2 bn) puts an upper end at 5,619,528,820, where the long's notional is 6.7 bn > 1.8 bn.
    const account: Account = {
      marginMode: "cross",
      walletBalance: 9000,
      positions: [
        { ...leg(1.2, 64_210, "LONG"), markPrice: 67_184.3 },
        { ...leg(-0.5, 68_950, "SHORT"), markPrice: 67_184.3 },
      ],
    };
    for (const r of liquidationPrices(account, BINANCE_RULES)) {
      assert.ok(Math.abs((r.liquidationPrice as number) - 48_449.421965317924) < 1e-6);
      assert.equal(r.lowerLiquidationPrice, r.liquidationPrice);
      assert.equal(r.upperLiquidationPrice, null);
      assert.match(r.upperLiquidationReason ?? "", /^beyond the tier table: .*1,800,000,000/);
    }
  });

  it("a short whose only end is beyond the last cap has no liquidation price, with the reason", () => {
    // Short 1 BTC @ 60,000, isolated margin 3 bn on the real table: the solve lands at 2.28 bn, above
    // the 1.8 bn cap (with 1.5 bn it lands at 1.28 bn, inside the table, and is reported).
    const position = { ...leg(-1, 60_000, "BOTH"), isolatedMargin: 3e9 };
    const [r] = liquidationPrices(
      { marginMode: "isolated", walletBalance: 0, positions: [position] },
      BINANCE_RULES,
    );
    assert.equal(r?.liquidationPrice, null);
    assert.match(r?.liquidationReason ?? "", /^beyond the tier table/);
    assert.equal(r?.upperLiquidationReason, r?.liquidationReason);
    assert.equal(r?.lowerLiquidationReason, "equity covers maintenance margin at every price down to 0");
  });
});

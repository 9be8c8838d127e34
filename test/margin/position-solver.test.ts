/**
 * `positionSolver` (src/margin/position-solver.ts): one position re-solved as its collateral or the
 * position itself changes gives, bit for bit, what the whole-account `liquidationPrices` and
 * `accountMargin` give on the changed account, and reads no other symbol's positions to do it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { accountMargin } from "../../src/margin/account.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { type PositionSolution, positionSolver } from "../../src/margin/position-solver.js";
import type { Account, MarginRules, Position } from "../../src/margin/types.js";
import { accountArb, BINANCE_RULES, rulesArb, uniform } from "../helpers/arbitraries.js";

const RUNS = { seed: 7, numRuns: 300, includeErrorInReport: true } as const;

/** What the whole-account functions say of position `index`. */
function wholeAccount(account: Account, rules: MarginRules, index: number): PositionSolution {
  const m = accountMargin(account, rules);
  return {
    liquidation: liquidationPrices(account, rules)[index] as PositionLiquidation,
    equity: m.equity,
    isolatedEquity: m.positions[index]?.isolatedEquity ?? null,
    liquidatable: m.positions[index]?.liquidatable === true,
  };
}
type PositionLiquidation = PositionSolution["liquidation"];

/** A change of collateral or of the position, as the trader's searches make them. */
interface Change {
  collateralFactor: number;
  sizeFactor: number;
  fundingShift: number;
  entryFactor: number;
}

const changeArb: fc.Arbitrary<Change> = fc.record({
  collateralFactor: fc.oneof(fc.constant(1), uniform(0, 3)),
  sizeFactor: fc.oneof(fc.constant(1), fc.constant(0), uniform(0, 2)),
  fundingShift: fc.oneof(fc.constant(0), uniform(-0.05, 0.05)),
  entryFactor: fc.oneof(fc.constant(1), uniform(0.9, 1.1)),
});

/** `account` with `change` applied to position `index` and its collateral; the other positions kept as objects. */
function changed(account: Account, index: number, c: Change): Account {
  const p = account.positions[index] as Position;
  const cross = account.marginMode === "cross";
  const notional = Math.abs(p.size) * p.instrument.contractSize * p.entryPrice;
  const next: Position = {
    ...p,
    size: p.size * c.sizeFactor,
    entryPrice: p.entryPrice * c.entryFactor,
    accruedFunding: p.accruedFunding + c.fundingShift * notional,
    ...(cross ? {} : { isolatedMargin: (p.isolatedMargin ?? 0) * c.collateralFactor }),
  };
  return {
    ...account,
    walletBalance: cross ? account.walletBalance * c.collateralFactor : account.walletBalance,
    positions: account.positions.map((q, i) => (i === index ? next : q)),
  };
}

const caseArb = fc
  .record({
    mode: fc.constantFrom("cross" as const, "isolated" as const),
    kind: fc.constantFrom("linear" as const, "inverse" as const),
    hedge: fc.boolean(),
  })
  .chain(({ mode, kind, hedge }) =>
    fc.record({
      account: accountArb({ mode, kind, tiers: "random", hedge, funding: true }),
      rules: rulesArb(["mark", "entry"], "any"),
      pick: fc.nat(),
      changes: fc.array(changeArb, { minLength: 1, maxLength: 4 }),
    }),
  );

describe("positionSolver", () => {
  it("gives bit for bit the whole-account liquidation prices and margin of the changed position", () => {
    fc.assert(
      fc.property(caseArb, ({ account, rules, pick, changes }) => {
        const index = pick % account.positions.length;
        const solver = positionSolver(account, rules, index);
        assert.deepStrictEqual(solver.solve(account), wholeAccount(account, rules, index));
        for (const c of changes) {
          const next = changed(account, index, c);
          assert.deepStrictEqual(solver.solve(next), wholeAccount(next, rules, index));
        }
      }),
      RUNS,
    );
  });

  it("falls back to the whole account when another position changed", () => {
    fc.assert(
      fc.property(
        accountArb({ mode: "cross", kind: "linear", tiers: "random", minPositions: 2 }),
        uniform(0.5, 1.5),
        (account, factor) => {
          const solver = positionSolver(account, BINANCE_RULES, 0);
          const other = account.positions[1] as Position;
          const next = {
            ...account,
            positions: [
              account.positions[0] as Position,
              { ...other, markPrice: other.markPrice * factor },
              ...account.positions.slice(2),
            ],
          };
          assert.deepStrictEqual(solver.solve(next), wholeAccount(next, BINANCE_RULES, 0));
        },
      ),
      RUNS,
    );
  });

  it("reads no position of another symbol once built", () => {
    const reads = { count: 0 };
    const counted = (p: Position): Position =>
      new Proxy(p, {
        get(target, key, receiver) {
          reads.count++;
          return Reflect.get(target, key, receiver);
        },
      });
    const [account] = fc.sample(
      accountArb({ mode: "cross", kind: "linear", tiers: "random", minPositions: 5, maxPositions: 5 }),
      { seed: 3, numRuns: 1 },
    ) as [Account];
    const own = account.positions[2] as Position;
    const proxied: Account = {
      ...account,
      positions: account.positions.map((p, i) => (i === 2 ? p : counted(p))),
    };
    const solver = positionSolver(proxied, BINANCE_RULES, 2);
    reads.count = 0;
    for (const factor of [0.5, 1, 2, 4]) {
      const next = { ...proxied, walletBalance: proxied.walletBalance * factor };
      solver.solve(next);
      solver.solve({
        ...next,
        positions: proxied.positions.map((p, i) => (i === 2 ? { ...own, size: own.size * factor } : p)),
      });
    }
    assert.equal(reads.count, 0);
  });
});

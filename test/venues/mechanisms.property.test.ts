/**
 * Invariants of the multi-party mechanisms (src/venues/mechanisms/), over random inputs:
 * - ADL: fills sum to min(quantity, Σ counterparty sizes), never exceed a counterparty's size, follow the
 *   ranking; with fills at the bankruptcy price the deficit splits exactly into borne + remaining;
 * - Comet absorb chained: the base Comet holds (reserves + totalSupplyBase − totalBorrowBase) is conserved,
 *   reserves fall by Σ basePaidOut, totalBorrowBase by the debts repaid;
 * - Maker take runs: collateral conserved (bought + left + returned = lot), never more bought than the lot,
 *   never more paid than the tab, DAI paid + tab left + written off = tab;
 * - Drift liquidate_perp calls: base conserved between user and liquidators; quote changes plus IF fees sum to 0;
 * - dYdX fill: a fund payout leaves the subaccount at exactly USDC + bankruptcy; a fee never takes it below it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RAY, WAD } from "../../src/math/fixed-point.js";
import { CUSDCV3_MAINNET_LAUNCH } from "../../src/venues/compound-v3.js";
import type { PerpMarket } from "../../src/venues/drift-v2.js";
import { MAINNET_GENESIS_LIQUIDITY_TIERS, type Market } from "../../src/venues/dydx-v4.js";
import type { ClipperParams } from "../../src/venues/maker-clip.js";
import { ADL_QUEUE_VENUES, adlQueue } from "../../src/venues/mechanisms/adl-queue.js";
import { absorbAccounts } from "../../src/venues/mechanisms/comet-absorb.js";
import { liquidatePerpCalls } from "../../src/venues/mechanisms/drift-liquidation.js";
import { dydxLiquidationFill } from "../../src/venues/mechanisms/dydx-fill.js";
import { runAuction } from "../../src/venues/mechanisms/maker-take.js";

describe("ADL queue invariants", () => {
  const counterparty = fc.record({
    size: fc.double({ min: 0.01, max: 100, noNaN: true }),
    entryPrice: fc.double({ min: 10, max: 1000, noNaN: true }),
    bankruptcyPrice: fc.double({ min: 0, max: 5, noNaN: true }),
    equity: fc.double({ min: 1, max: 1e5, noNaN: true }),
  });
  it("fills cover min(quantity, Σ sizes), each within its counterparty's size, in ranking order; the deficit splits exactly", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ADL_QUEUE_VENUES),
        fc.boolean(),
        fc.double({ min: 0.01, max: 300, noNaN: true }),
        fc.double({ min: 50, max: 2000, noNaN: true }),
        fc.double({ min: 50, max: 2000, noNaN: true }),
        fc.array(counterparty, { minLength: 1, maxLength: 12 }),
        (venue, long, quantity, markPrice, bankruptcyPrice, rows) => {
          const side = long ? -1 : 1;
          const counterparties = rows.map((r, i) => ({ ...r, id: `c${i}`, size: side * r.size, markPrice }));
          const r = adlQueue({
            venue,
            markPrice,
            liquidated: { id: "x", size: long ? quantity : -quantity, bankruptcyPrice },
            counterparties,
            fillAt: "bankruptcy",
          });
          const total = rows.reduce((s, c) => s + c.size, 0);
          assert.ok(Math.abs(r.filledQuantity - Math.min(quantity, total)) <= 1e-9 * Math.max(1, quantity));
          for (const f of r.fills) {
            const c = counterparties.find((x) => x.id === f.id);
            assert.ok(c !== undefined && f.quantity <= Math.abs(c.size) + 1e-12 && f.quantity > 0);
            assert.equal(f.price, bankruptcyPrice);
          }
          const ranks = r.fills.map((f) => r.ranking.findIndex((x) => x.id === f.id));
          assert.deepEqual(
            ranks,
            [...ranks].sort((a, b) => a - b),
          );
          const scale = Math.max(1, Math.abs(r.deficitAtMark));
          assert.ok(Math.abs(r.lossCovered + r.remainingLoss - r.deficitAtMark) <= 1e-9 * scale);
          const share = r.filledQuantity / quantity;
          assert.ok(Math.abs(r.lossCovered - share * r.deficitAtMark) <= 1e-9 * scale);
        },
      ),
    );
  });
});

describe("Comet absorb chaining", () => {
  const config = CUSDCV3_MAINNET_LAUNCH;
  const prices = { USDC: 10n ** 8n, WETH: 2000n * 10n ** 8n, WBTC: 60000n * 10n ** 8n, LINK: 7n * 10n ** 8n };
  const account = fc.record({
    debt: fc.bigInt(1n, 10n ** 12n),
    weth: fc.bigInt(0n, 10n ** 19n),
    link: fc.bigInt(0n, 10n ** 21n),
  });
  it("base held is conserved; reserves fall by Σ basePaidOut; totals move by repay and supply", () => {
    fc.assert(
      fc.property(
        fc.array(account, { minLength: 1, maxLength: 6 }),
        fc.bigInt(-(10n ** 12n), 10n ** 13n),
        fc.bigInt(0n, 10n ** 14n),
        (rows, reserves, totalSupplyBase) => {
          const accounts = rows.map((r, i) => ({
            id: `a${i}`,
            account: { baseBalance: -r.debt, collateral: { WETH: r.weth, LINK: r.link } },
          }));
          const totalBorrowBase = rows.reduce((s, r) => s + r.debt, 0n);
          const chain = absorbAccounts({
            config,
            prices,
            reserves,
            totalSupplyBase,
            totalBorrowBase,
            accounts,
          });
          const held = (t: typeof chain.before) => t.reserves + t.totalSupplyBase - t.totalBorrowBase;
          assert.equal(held(chain.after), held(chain.before));
          if (chain.revert !== null) {
            assert.deepEqual(chain.after, chain.before);
            return;
          }
          const paid = chain.steps.reduce((s, x) => s + x.result.basePaidOut, 0n);
          assert.equal(chain.after.reserves, reserves - paid);
          for (const s of chain.steps) {
            assert.equal(s.repayAmount + s.supplyAmount, s.result.basePaidOut);
            assert.ok(s.repayAmount <= -s.result.oldBalance && s.supplyAmount >= 0n);
            assert.equal(held(s.after), held(s.before));
          }
          assert.ok(chain.after.totalBorrowBase >= 0n);
        },
      ),
    );
  });
});

describe("Maker take runs", () => {
  const params: ClipperParams = {
    buf: (RAY * 12n) / 10n,
    tail: 10_000n,
    cusp: (RAY * 3n) / 10n,
    chip: 0n,
    tip: 0n,
    chost: 20n * WAD * RAY,
    calc: { kind: "stairstep", cut: (RAY * 99n) / 100n, step: 60n },
  };
  const take = fc.record({
    dt: fc.bigInt(0n, 600n),
    amt: fc.bigInt(1n, 100n * WAD),
    max: fc.bigInt(0n, 10n * RAY),
  });
  it("collateral and DAI are accounted for: bought + left + returned = lot, paid + left + written off = tab", () => {
    fc.assert(
      fc.property(
        fc.bigInt(25n * WAD, 5_000n * WAD),
        fc.bigInt(WAD, 100n * WAD),
        fc.array(take, { minLength: 1, maxLength: 8 }),
        (tabDai, lot, calls) => {
          const tab = tabDai * RAY;
          const sale = { tab, lot, tic: 0n, top: 5n * RAY };
          let at = 0n;
          const actions = calls.map((c, i) => {
            at += c.dt;
            return { kind: "take" as const, keeper: `k${i}`, at, amt: c.amt, max: c.max };
          });
          const run = runAuction({ params, sale, actions });
          const sum = (f: (s: (typeof run.steps)[number]) => bigint) =>
            run.steps.reduce((t, s) => t + f(s), 0n);
          const bought = sum((s) => s.slice);
          const returned = sum((s) => s.returned);
          assert.ok(bought <= lot);
          assert.equal(bought + returned + (run.sale?.lot ?? 0n), lot);
          assert.ok(sum((s) => s.owe) <= tab);
          assert.equal(sum((s) => s.owe) + sum((s) => s.writtenOff) + (run.sale?.tab ?? 0n), tab);
          for (const s of run.steps) if (s.revert !== null) assert.equal(s.slice, 0n);
        },
      ),
    );
  });
});

describe("Drift liquidate_perp calls", () => {
  const market: PerpMarket = {
    symbol: "SOL-PERP",
    marginRatioInitial: 1000,
    marginRatioMaintenance: 500,
    imfFactor: 2000,
    unrealizedPnlMaintenanceAssetWeight: 10_000,
    liquidatorFee: 10_000,
    ifLiquidationFee: 10_000,
    orderStepSize: 10_000_000n,
  };
  it("base moves from the user to the liquidators; Δquote(user) + Δquote(liquidators) + IF fees = 0", () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 1000n),
        fc.boolean(),
        fc.bigInt(50n, 300n),
        fc.bigInt(0n, 400n),
        fc.array(fc.record({ max: fc.bigInt(1n, 200n), slot: fc.nat(300) }), { minLength: 1, maxLength: 5 }),
        (baseTokens, long, price, marginPct, calls) => {
          const oraclePrice = price * 1_000_000n;
          const base = (long ? 1n : -1n) * baseTokens * 1_000_000_000n;
          const notional = baseTokens * oraclePrice;
          // deposits such that total collateral is a random share (0–4 %) of the notional, below maintenance
          const quoteBalance = (notional * marginPct) / 10_000n;
          const position = {
            market,
            baseAssetAmount: base,
            quoteAssetAmount: long ? -notional : notional,
            oraclePrice,
          };
          let slot = 0;
          const input = {
            user: {
              venue: "drift-v2" as const,
              account: { quoteBalance, positions: [position] },
              markets: new Map(),
              state: {
                liquidationMarginBufferRatio: 200,
                initialPctToLiquidate: 1000n,
                liquidationDuration: 150n,
              },
            },
            symbol: "SOL-PERP",
            calls: calls.map((c, i) => {
              slot += c.slot;
              return {
                id: `l${i % 2}`,
                account: { quoteBalance: 10n ** 12n, positions: [] },
                maxBaseAssetAmount: c.max * 1_000_000_000n,
                slot,
              };
            }),
          };
          const run = liquidatePerpCalls(input);
          const userPos = run.user.positions[0];
          const liqBase = [...run.liquidators.values()].reduce(
            (s, a) => s + (a.positions[0]?.baseAssetAmount ?? 0n),
            0n,
          );
          assert.equal((userPos?.baseAssetAmount ?? 0n) + liqBase, base);
          const liqQuote = [...run.liquidators.values()].reduce(
            (s, a) => s + (a.positions[0]?.quoteAssetAmount ?? 0n),
            0n,
          );
          const ifFees = run.steps.reduce((s, x) => s + (x.transfer?.ifFeeQuote ?? 0n), 0n);
          const userDelta = (userPos?.quoteAssetAmount ?? 0n) - position.quoteAssetAmount;
          assert.equal(userDelta + liqQuote + ifFees, 0n);
          run.steps.forEach((s, i) => {
            assert.ok((s.transfer?.baseAssetAmount ?? 0n) <= (input.calls[i]?.maxBaseAssetAmount ?? 0n));
          });
        },
      ),
    );
  });
});

describe("dYdX liquidation fill", () => {
  const btc: Market = {
    ticker: "BTC-USD",
    atomicResolution: -10,
    priceValue: 5_000_000_000n,
    priceExponent: -5,
    tier: MAINNET_GENESIS_LIQUIDITY_TIERS[0] as Market["tier"],
  };
  it("a fund payout leaves USDC + bankruptcy; a fee leaves at least that; the position falls by the fill", () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 10n),
        fc.boolean(),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: -3_000, max: 3_000 }),
        fc.integer({ min: 0, max: 20 }),
        (quantums, long, pct, priceBps, feeBps) => {
          const q = long ? quantums : -quantums;
          // USDC so that the account sits near its maintenance margin (3 % of $50,000 × size)
          const notional = (quantums * 5_000_000_000n * 10n ** 6n) / 10n ** 15n;
          const quoteBalance = long ? -notional + (notional * 3n) / 100n : notional + (notional * 3n) / 100n;
          const subaccount = { quoteBalance, positions: [{ market: btc, quantums: q }] };
          const deltaQuantums = -((q * BigInt(pct)) / 100n) || (long ? -1n : 1n);
          const oracle = { num: 50_000n * 10n ** 6n, den: 10n ** 10n };
          const price = { num: oracle.num * BigInt(10_000 + priceBps), den: oracle.den * 10_000n };
          let fill: ReturnType<typeof dydxLiquidationFill>;
          try {
            fill = dydxLiquidationFill({
              subaccount,
              ticker: "BTC-USD",
              deltaQuantums,
              price,
              config: {
                maxLiquidationFeePpm: feeBps * 100,
                bankruptcyAdjustmentPpm: 1_000_000,
                spreadToMaintenanceMarginRatioPpm: 1_500_000,
              },
            });
          } catch {
            return; // a zero quote or TMMR (dust-sized fills) is refused by the chain's own checks
          }
          const floor = quoteBalance + fill.bankruptcyQuoteQuantums;
          if (fill.insuranceFundDelta < 0n) assert.equal(fill.subaccountAfter.quoteBalance, floor);
          else assert.ok(fill.subaccountAfter.quoteBalance >= floor);
          const after = fill.subaccountAfter.positions[0]?.quantums ?? 0n;
          assert.equal(after, q + deltaQuantums);
        },
      ),
    );
  });
});

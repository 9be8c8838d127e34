/**
 * Hyperliquid's liquidation procedure in the perp venue (src/sim/venue/procedure-hyperliquid.ts).
 *
 * Independent checks: the action of every crossed state against the rulebook
 * `hyperliquidLiquidationSteps` (src/venues/hyperliquid.ts, checked against Hyperliquid's docs,
 * "Liquidations": https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations — 20 % above
 * 100k USDC, 30 s cooldown, backstop below 2/3 of maintenance margin) on the same state with the
 * cooldown in seconds; the engine's fills, margins and re-solved liquidation prices against figures
 * worked by hand below from the docs' rule `equity < maintenance margin` with Hyperliquid's BTC
 * table (maintenance rate 1.25 % = 1/(2·40) below 150 M USD).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { PerpVenue, type PerpVenueParams, replayVenue } from "../../../src/sim/venue/engine.js";
import {
  type HyperliquidAction,
  hyperliquidAction,
  hyperliquidProcedure,
} from "../../../src/sim/venue/procedure-hyperliquid.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../../src/sim/venue/scenario-report.js";
import { hyperliquidLiquidationSteps } from "../../../src/venues/hyperliquid.js";
import { getVenue } from "../../../src/venues/index.js";
import { assertNear } from "../../helpers/close.js";
import { perpBook } from "../../helpers/perp-book.js";

const tiers = getVenue("hyperliquid").tierTable("BTC").tiers;

/** A hand-made book on Hyperliquid's BTC table: rows of [size, entry, margin]. */
const book = (rows: readonly (readonly [number, number, number])[]) => perpBook(rows, tiers, 100_000);

/** A 10 BTC long at 100,000 with 50,000 margin (20×), and a 10 BTC short at 100,000 with 500,000. */
const LONG_AND_SHORT = book([
  [10, 100_000, 50_000],
  [-10, 100_000, 500_000],
]);

const hl = (cooldownSteps = 1, vaultCapitalUsd = 1e6): PerpVenueParams => ({
  insuranceFundUsd: 0,
  liquidationFeeRate: 0,
  liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
  adlPolicy: "pro-rata",
  procedure: { ...hyperliquidProcedure(60, vaultCapitalUsd), cooldownSteps },
});

describe("hyperliquidAction: parity with the rulebook", () => {
  it("agrees with hyperliquidLiquidationSteps on every state below maintenance margin (property)", () => {
    const rulebook: Record<string, HyperliquidAction> = {
      "backstop-takeover:1": "backstop",
      "market-order:0.2": "market-partial",
      "market-order:1": "market-full",
    };
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 1e8, noNaN: true }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 10 })),
        fc.constantFrom(1, 5, 10, 15, 30, 60, 300),
        (notional, equityShare, mmr, stepsSince, stepSeconds) => {
          const mm = mmr * notional;
          const equity = equityShare * mm;
          const p = hyperliquidProcedure(stepSeconds, 0);
          const ours = hyperliquidAction(p, notional, equity, mm, stepsSince ?? Number.POSITIVE_INFINITY);
          const [step] = hyperliquidLiquidationSteps({
            notional,
            equity,
            maintenanceMargin: mm,
            tiers,
            ...(stepsSince === null ? {} : { secondsSinceLastPartial: stepsSince * stepSeconds }),
          });
          assert.ok(step !== undefined);
          assert.equal(ours, rulebook[`${step.action}:${step.fraction}`], JSON.stringify(step));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("a negative equity is bankrupt (ADL, docs 'Auto-deleveraging'), before the backstop", () => {
    assert.equal(hyperliquidAction(hyperliquidProcedure(60, 0), 1e6, -1, 12_500, 5), "bankrupt");
  });
});

describe("PerpVenue with Hyperliquid's procedure", () => {
  it("a partial liquidation that restores margin stops: 20 % sold at the mark, the rest kept with its re-solved liquidation price", () => {
    // Long: LP solves 50,000 + 10(P − 100,000) = 0.0125·10·P → P = 950,000/9.875 = 96,202.53.
    // At 96,100: equity 11,000 < MM 12,012.5 and ≥ 2/3·MM = 8,008.3; notional 961k > 100k → 20 %.
    // 2 BTC at 96,100 realize −7,800: margin 42,200; the rest, 8 BTC, has equity 11,000 > MM 9,610
    // and its LP solves 42,200 + 8(P − 100,000) = 0.1·P → P = 757,800/7.9 = 95,924.05.
    const venue = new PerpVenue(LONG_AND_SHORT, hl());
    for (const x of [100_000, 96_100, 96_100, 96_000]) venue.step(x);
    assert.deepEqual({ ...venue.hyperliquid?.counts }, { partial: 1, full: 0, backstop: 0, bankrupt: 0 });
    assertNear(venue.size[0], 8, 1e-12, "size kept");
    assertNear(venue.margin[0], 42_200, 1e-6, "margin after the partial");
    assert.equal(venue.liquidatedAt[0], 1);
    assert.equal(venue.totals.takenOver, 1);
    assertNear(venue.totals.liquidatedNotionalUsd, 2 * 96_100, 1e-6, "notional sold");
    assert.equal(venue.totals.closed, 0);
    // The re-solved price is what the index crosses next: 95,925 leaves it open, 95,924 liquidates it.
    venue.step(95_925);
    assert.equal(venue.hyperliquid?.counts.partial, 1);
    venue.step(95_924);
    assert.equal(venue.hyperliquid?.counts.partial, 2, "crossed again at 95,924.05");
    assertNear(venue.size[0], 6.4, 1e-12, "20 % of 8 BTC");
  });

  it("within the cooldown the next liquidation is for the full position", () => {
    // Cooldown 3 steps: partial at step 1 (96,100), crossed again at step 2 (95,900 < 95,924.05):
    // equity 42,200 − 8·4,100 = 9,400 ≥ 2/3·MM (6,393) → full, 8 BTC at 95,900 → margin 9,400 kept.
    const venue = new PerpVenue(LONG_AND_SHORT, hl(3));
    for (const x of [100_000, 96_100, 95_900]) venue.step(x);
    assert.deepEqual({ ...venue.hyperliquid?.counts }, { partial: 1, full: 1, backstop: 0, bankrupt: 0 });
    assert.equal(venue.size[0], 0);
    assertNear(venue.margin[0], 9_400, 1e-6, "the account keeps its remaining collateral");
    assert.equal(venue.totals.closed, 1);
    // After the cooldown (k = 1) the same crossing is a second partial instead.
    const free = new PerpVenue(LONG_AND_SHORT, hl(1));
    for (const x of [100_000, 96_100, 95_900]) free.step(x);
    assert.equal(free.hyperliquid?.counts.partial, 2);
  });

  it("below 2/3 of maintenance margin the vault takes over the position and its margin and books the result", () => {
    // At 95,500: equity 5,000 < 2/3·MM = 2/3·11,937.5 = 7,958.3 → backstop; the vault receives the
    // 50,000 margin and closes 10 BTC at 95,500 (−45,000): vault = 1,000,000 + 5,000.
    const r = replayVenue(LONG_AND_SHORT, hl(), Float64Array.from([100_000, 95_500]));
    assert.deepEqual(r.procedure, { partial: 0, full: 0, backstop: 1, bankrupt: 0 });
    assertNear(r.ledger.vaultUsd, 1_005_000, 1e-6, "vault");
    assertNear(r.ledger.collateralUsd, 500_000, 1e-6, "only the short's margin is left");
    assert.equal(r.totals.adlEvents, 0);
  });

  it("the vault's loss beyond its capital passes to the fund and to ADL", () => {
    // Vault capital 1,000; the backstop at 95,500 fills 955k of sells into a book where they move the
    // price by 1·0.06·√(955k/955k) = 6 % (square-root impact): F = 95,500·e^−0.06 ≈ 89,938, a vault
    // result of 50,000 + 10·(F − 100,000) ≈ −50,620, beyond its capital: the fund and then ADL pay.
    const params: PerpVenueParams = {
      ...hl(1, 1_000),
      impact: { y: 1, dailyVol: 0.06, dailyVolumeUsd: 955_000, halfLifeSteps: 1 },
    };
    const r = replayVenue(LONG_AND_SHORT, params, Float64Array.from([100_000, 95_500]));
    assert.ok(r.procedure !== undefined && "backstop" in r.procedure);
    assert.equal(r.procedure.backstop, 1);
    assert.ok(r.totals.adlEvents >= 1, "the vault's deficit reached ADL");
    assert.ok((r.ledger.vaultUsd ?? -1) >= 0, "the vault never stays negative");
    const l = r.ledger;
    const total = l.collateralUsd + l.fundUsd + (l.vaultUsd ?? 0) + l.marketUsd + l.uncoveredUsd;
    assertNear(total, l.startTotalUsd, 1e-9 * l.startTotalUsd, "conservation");
  });

  it("a bankrupt position is closed at the mark and its negative equity is ADL's need", () => {
    // At 94,000: equity 50,000 − 60,000 = −10,000 → ADL need 10,000; the short's PnL is 60,000 and
    // pro-rata takes 10,000 of it.
    const r = replayVenue(LONG_AND_SHORT, hl(), Float64Array.from([100_000, 94_000]));
    assert.deepEqual(r.procedure, { partial: 0, full: 0, backstop: 0, bankrupt: 1 });
    assertNear(r.totals.adlNeededUsd, 10_000, 1e-6, "need");
    assertNear(r.totals.adlExecutedUsd, 10_000, 1e-6, "executed");
    assertNear(r.totals.badDebtUsd, 10_000, 1e-6, "bad debt");
    assertNear(r.ledger.vaultUsd, 1e6, 0, "the vault is not involved");
  });

  it("is deterministic: a rerun after reset() is bit-identical", () => {
    const venue = new PerpVenue(LONG_AND_SHORT, hl(2));
    const path = [100_000, 97_000, 96_100, 95_950, 95_800, 95_000, 94_000];
    const run = () => {
      venue.reset();
      const out: number[] = [];
      for (const x of path) {
        venue.step(x);
        out.push(venue.record.mark, venue.record.fundUsd, venue.ledger.vaultUsd, venue.margin[0] as number);
      }
      return out;
    };
    assert.deepEqual(run(), run());
  });

  it("refuses bad rules naming the field", () => {
    const bad = (procedure: object) => () =>
      new PerpVenue(LONG_AND_SHORT, { ...hl(), procedure: { ...hyperliquidProcedure(60, 0), ...procedure } });
    assert.throws(
      bad({ cooldownSteps: 0.5 }),
      (e) => e instanceof InputError && /procedure\.cooldownSteps/.test(e.message),
    );
    assert.throws(
      bad({ partialFraction: 1 }),
      (e) => e instanceof InputError && /procedure\.partialFraction/.test(e.message),
    );
    assert.throws(
      bad({ vaultCapitalUsd: -1 }),
      (e) => e instanceof InputError && /procedure\.vaultCapitalUsd/.test(e.message),
    );
  });
});

describe("examples/venue/perp-dex-vault.json", () => {
  it("replays 2025-10-10 with every action of the procedure, the vault in the ledger and cash conserved", async () => {
    const read = (f: string) => readFileSync(`examples/venue/${f}`, "utf8");
    const scenario = readScenario(JSON.parse(read("perp-dex-vault.json")), read);
    const report = await simulateScenario(scenario);
    const replay = report.replay;
    assert.ok(replay?.procedure !== undefined && replay.ledger.vaultUsd !== undefined);
    for (const [action, count] of Object.entries(replay.procedure)) assert.ok(count > 0, action);
    const l = replay.ledger;
    const total = l.collateralUsd + l.fundUsd + (l.vaultUsd ?? 0) + l.marketUsd + l.uncoveredUsd;
    assertNear(total, l.startTotalUsd, 1e-9 * l.startTotalUsd, "conservation");
    assert.equal(report.venue.procedure?.kind, "hyperliquid");
    // takenOver counts first liquidations under this procedure, and its label says so
    const first = report.headline.find((h) => h.key === "takenOver");
    assert.equal(first?.label, "positions liquidated (first time)");
    assert.equal(first?.value, replay.totals.takenOver);
    const { procedure: _, ...fundTakeOver } = scenario.venue;
    const binance = await simulateScenario({ ...scenario, venue: fundTakeOver });
    assert.equal(binance.headline.find((h) => h.key === "takenOver")?.label, "positions taken over");
  });
});

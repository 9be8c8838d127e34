/**
 * `LiquidationIndex` (src/margin/liquidation-index.ts) against a brute-force scan of the same book:
 * the crossed slots and their order after random sequences of marks, removals and updates, with
 * and without liquidation at equality; against the venue's own margin check (`marginCheckBatch`
 * on the 2024-10 BTCUSDT brackets); and its edge cases and refusals.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  createPositionBook,
  flattenTiers,
  liquidationPriceBatch,
  marginCheckBatch,
} from "../../src/margin/batch.js";
import { LiquidationIndex } from "../../src/margin/liquidation-index.js";
import { Xoshiro128 } from "../../src/math/random.js";
import { BTCUSDT_TIERS } from "../helpers/arbitraries.js";
import { rejection } from "../helpers/rejection.js";

const RUNS = { seed: 42, numRuns: 200, includeErrorInReport: true } as const;

/** The book as the scan sees it: signed sizes and liquidation prices, slot = index. */
interface Book {
  size: number[];
  liq: number[];
}

/**
 * The crossed slots by a full scan: a long (size > 0) with `M ≤ L` (`M < L` when strict), a
 * short with `M ≥ L` (`M > L`), NaN prices never; ordered by the gap past the liquidation price,
 * largest first, ties by slot.
 */
function scan(book: Book, mark: number, atEquality: boolean): number[] {
  const hits: { slot: number; gap: number }[] = [];
  book.size.forEach((q, slot) => {
    const l = book.liq[slot] as number;
    if (q === 0 || Number.isNaN(l)) return;
    const gap = q > 0 ? l - mark : mark - l;
    if (atEquality ? gap >= 0 : gap > 0) hits.push({ slot, gap });
  });
  hits.sort((a, b) => b.gap - a.gap || a.slot - b.slot);
  return hits.map((h) => h.slot);
}

function crossedOf(index: LiquidationIndex, mark: number): number[] {
  const out = new Int32Array(index.capacity);
  return Array.from(out.subarray(0, index.crossed(mark, out)));
}

// Few distinct prices, so that equal liquidation prices and marks on them are common.
const priceArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 90, max: 110 }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);
const sizeArb = fc.constantFrom(-2, -1, 0, 1, 3);
const markArb = fc.oneof(fc.integer({ min: 85, max: 115 }), fc.double({ min: 85, max: 115, noNaN: true }));
type Op =
  | { kind: "mark"; mark: number }
  | { kind: "remove"; slot: number }
  | { kind: "update"; slot: number; size: number; liq: number }
  | { kind: "liquidate"; mark: number };

function opArb(capacity: number): fc.Arbitrary<Op> {
  const slot = fc.integer({ min: 0, max: capacity - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant("mark" as const), mark: markArb }),
    fc.record({ kind: fc.constant("remove" as const), slot }),
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant("update" as const), slot, size: sizeArb, liq: priceArb }),
    },
    fc.record({ kind: fc.constant("liquidate" as const), mark: markArb }),
  );
}

const scenarioArb = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    size: fc.array(sizeArb, { minLength: n, maxLength: n }),
    liq: fc.array(priceArb, { minLength: n, maxLength: n }),
    ops: fc.array(opArb(n), { maxLength: 300 }),
    atEquality: fc.boolean(),
  }),
);

describe("LiquidationIndex against a full scan", () => {
  it("gives the scan's crossed slots, in its order, after any marks, removals and updates", () => {
    fc.assert(
      fc.property(scenarioArb, ({ size, liq, ops, atEquality }) => {
        const book: Book = { size: [...size], liq: [...liq] };
        const index = LiquidationIndex.fromColumns(new Float64Array(size), new Float64Array(liq), {
          liquidateAtEquality: atEquality,
        });
        let mark = 100;
        for (const op of ops) {
          if (op.kind === "remove") {
            index.remove(op.slot);
            book.size[op.slot] = 0;
          } else if (op.kind === "update") {
            index.update(op.slot, op.size, op.liq);
            book.size[op.slot] = op.size;
            book.liq[op.slot] = op.liq;
          } else {
            mark = op.mark;
            const got = crossedOf(index, mark);
            assert.deepEqual(got, scan(book, mark, atEquality));
            // A liquidation engine takes the crossed positions out before the next tick.
            if (op.kind === "liquidate") {
              for (const s of got) {
                index.remove(s);
                book.size[s] = 0;
              }
            }
          }
          const live = book.size.filter((q, s) => q !== 0 && !Number.isNaN(book.liq[s] as number));
          assert.equal(index.count, live.length);
        }
        assert.deepEqual(crossedOf(index, mark), scan(book, mark, atEquality));
      }),
      RUNS,
    );
  });

  it("keeps up with a long random walk that liquidates and re-keys (overflow merges, compactions)", () => {
    const n = 2_000;
    const rng = new Xoshiro128(7);
    const book: Book = { size: [], liq: [] };
    for (let i = 0; i < n; i++) {
      book.size.push(rng.next() < 0.5 ? 1 : -1);
      book.liq.push(100 * (1 + (rng.next() - 0.5) * 0.4));
    }
    const index = LiquidationIndex.fromColumns(new Float64Array(book.size), new Float64Array(book.liq));
    let mark = 100;
    for (let tick = 0; tick < 3_000; tick++) {
      mark *= 1 + (rng.next() - 0.5) * 0.004;
      const got = crossedOf(index, mark);
      assert.deepEqual(got, scan(book, mark, true), `tick ${tick}`);
      // Half the crossed are closed, half partially liquidated (the price moves away from the mark).
      got.forEach((s, j) => {
        if (j % 2 === 0) {
          index.remove(s);
          book.size[s] = 0;
        } else {
          const q = book.size[s] as number;
          const l = q > 0 ? mark * 0.9 : mark * 1.1;
          index.update(s, q, l);
          book.liq[s] = l;
        }
      });
      // Fresh positions open at random slots.
      const s = Math.floor(rng.next() * n);
      const q = rng.next() < 0.5 ? 2 : -2;
      const l = mark * (q > 0 ? 1 - rng.next() * 0.1 : 1 + rng.next() * 0.1);
      index.update(s, q, l);
      book.size[s] = q;
      book.liq[s] = l;
    }
  });
});

describe("LiquidationIndex and the venue's margin check", () => {
  it("crosses exactly the positions marginCheckBatch finds liquidatable at the mark (Binance rules)", () => {
    const tiers = flattenTiers(BTCUSDT_TIERS);
    const n = 20_000;
    const rng = new Xoshiro128(11);
    const book = createPositionBook(n);
    for (let i = 0; i < n; i++) {
      const notional = rng.logUniform(50, 5e6);
      const leverage = rng.logUniform(2, 100);
      const entry = 67_000 * (1 + (rng.next() - 0.5) * 0.02);
      book.size[i] = ((rng.next() < 0.5 ? 1 : -1) * notional) / entry;
      book.entryPrice[i] = entry;
      book.markPrice[i] = 67_000;
      book.isolatedMargin[i] = notional / leverage;
    }
    const liq = new Float64Array(n);
    liquidationPriceBatch(book, tiers, liq);
    const index = LiquidationIndex.fromColumns(book.size, liq);
    const flags = new Uint8Array(n);
    for (const mark of [60_123.5, 64_001.25, 66_500.75, 67_000.5, 68_250.25, 71_999.5, 75_321.125]) {
      book.markPrice.fill(mark);
      const count = marginCheckBatch(book, tiers, flags);
      const got = crossedOf(index, mark);
      assert.ok(count > 0, `mark ${mark}: some positions are liquidatable`);
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        Array.from({ length: n }, (_, i) => i).filter((i) => flags[i] === 1),
        `mark ${mark}`,
      );
    }
  });
});

describe("LiquidationIndex edge cases", () => {
  it("crosses at equality only with liquidateAtEquality, and orders equal prices by slot", () => {
    const size = new Float64Array([1, 1, -1, 1, -1]);
    const liq = new Float64Array([100, 100, 100, 101, 99]);
    const binance = LiquidationIndex.fromColumns(size, liq);
    assert.deepEqual(crossedOf(binance, 100), [3, 4, 0, 1, 2]);
    const hyperliquid = LiquidationIndex.fromColumns(size, liq, { liquidateAtEquality: false });
    assert.deepEqual(crossedOf(hyperliquid, 100), [3, 4]);
  });

  it("keeps out empty slots and NaN prices (never liquidated), and lets an update bring them in", () => {
    const index = LiquidationIndex.fromColumns(
      new Float64Array([0, 1, -1]),
      new Float64Array([100, Number.NaN, 50]),
    );
    assert.equal(index.count, 1);
    assert.equal(index.has(0), false);
    assert.equal(index.has(1), false);
    assert.deepEqual(crossedOf(index, 1e-9), []);
    assert.deepEqual(crossedOf(index, 1e12), [2]);
    index.update(1, 1, 80);
    // The short at 50 is 20 past at 70, the long at 80 only 10.
    assert.deepEqual(crossedOf(index, 70), [2, 1]);
    index.update(1, 1, Number.NaN);
    assert.equal(index.has(1), false);
    index.remove(1);
    assert.equal(index.count, 1);
  });

  it("copyFrom restores a snapshot after removals and updates, and refuses another capacity", () => {
    const size = new Float64Array([1, 1, -1, 1, -1]);
    const liq = new Float64Array([100, 90, 110, 95, 105]);
    const start = LiquidationIndex.fromColumns(size, liq);
    const index = LiquidationIndex.fromColumns(size, liq);
    const before = crossedOf(index, 100);
    index.remove(0);
    index.update(3, 1, 99);
    index.update(4, -1, 101);
    assert.notDeepEqual(crossedOf(index, 100), before);
    index.copyFrom(start);
    assert.deepEqual(crossedOf(index, 100), before);
    assert.deepEqual(crossedOf(index, 120), crossedOf(start, 120));
    assert.equal(index.count, start.count);
    const other = LiquidationIndex.fromColumns(new Float64Array([1]), new Float64Array([100]));
    assert.equal(rejection(() => index.copyFrom(other)).field, "source");
  });

  it("refuses infinite, zero and negative prices, bad sizes, marks, slots and a short out", () => {
    const one = new Float64Array([1]);
    for (const bad of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -5]) {
      const error = rejection(() => LiquidationIndex.fromColumns(one, new Float64Array([bad])));
      assert.equal(error.field, "liquidationPrice[0]");
      assert.match(error.message, /NaN for a position that can never be liquidated/);
    }
    assert.equal(
      rejection(() => LiquidationIndex.fromColumns(new Float64Array([Number.NaN]), one)).field,
      "size[0]",
    );
    assert.equal(
      rejection(() => LiquidationIndex.fromColumns(one, new Float64Array(2))).field,
      "liquidationPrice",
    );
    const index = LiquidationIndex.fromColumns(new Float64Array([1, 1]), new Float64Array([100, 90]));
    for (const mark of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      assert.equal(rejection(() => index.crossed(mark, new Int32Array(2))).field, "mark");
    }
    for (const slot of [-1, 2, 0.5, Number.NaN]) {
      assert.equal(rejection(() => index.remove(slot)).field, "slot");
      assert.equal(rejection(() => index.update(slot, 1, 100)).field, "slot");
      assert.equal(rejection(() => index.has(slot)).field, "slot");
    }
    assert.equal(rejection(() => index.update(0, 1, Number.POSITIVE_INFINITY)).field, "liquidationPrice[0]");
    assert.equal(index.has(0), true, "a refused update leaves the slot as it was");
    const out = new Int32Array(1);
    assert.match(rejection(() => index.crossed(80, out)).message, /out: is too short.*capacity \(2\)/);
    assert.equal(out[0], 0, "the first crossed slot was written");
  });
});

/**
 * An index of the isolated positions of one symbol by liquidation price, so that a mark tick costs
 * the positions it crosses rather than the whole book (design.md: the venue simulator of issue 11
 * and the liquidation monitor of issue 14). It takes the columns the batch kernels produce
 * (`PositionBook.size` and the `liquidationPriceBatch` output, src/margin/batch.ts) and answers
 * `crossed(mark)`: the slots whose liquidation price the mark has reached, most underwater first.
 *
 * Layout (structure of arrays, per side): a long of liquidation price `L` is keyed `−L`, a short
 * `L`, so both sides are sorted ascending and a mark `M` crosses the prefix of keys at or below
 * `t = −M` (longs) or `t = M` (shorts); the gap `t − key` (`L − M` for a long, `M − L` for a
 * short) is how far the mark is past the liquidation price. Each side is a main run with
 * tombstones (removed entries keep their key so the run stays sorted, and a head cursor skips the
 * dead prefix that liquidations at the top leave behind) plus a small sorted overflow run that
 * takes re-keyed entries; both are merged, dropping tombstones, when the overflow is full or half
 * of the main run is dead.
 */
import { InputError } from "../errors.js";

/** Which run of which side a slot's entry is in (0: not indexed). */
const OUT = 0;
const LONG = 0;
const SHORT = 1;

/** One side's entries: a main run with tombstones (slot −1) and an overflow run without. */
interface Side {
  /** Keys (`−L` for longs, `L` for shorts) and slots of the main run, ascending by (key, slot). */
  readonly key: Float64Array;
  readonly slot: Int32Array;
  /** Entries `[0, length)` of the main run are in use; those before `head` are all dead. */
  length: number;
  head: number;
  /** Dead (tombstoned) entries in `[0, length)`. */
  dead: number;
  readonly overflowKey: Float64Array;
  readonly overflowSlot: Int32Array;
  overflowLength: number;
}

function createSide(capacity: number, overflowCapacity: number): Side {
  return {
    key: new Float64Array(capacity),
    slot: new Int32Array(capacity),
    length: 0,
    head: 0,
    dead: 0,
    overflowKey: new Float64Array(overflowCapacity),
    overflowSlot: new Int32Array(overflowCapacity),
    overflowLength: 0,
  };
}

/** Whether (key a, slot a) sorts before (key b, slot b). */
function before(keyA: number, slotA: number, keyB: number, slotB: number): boolean {
  return keyA < keyB || (keyA === keyB && slotA < slotB);
}

/** Index of the first of the `length` (key, slot) entries that does not sort before (key, slot). */
function lowerBound(
  keys: Float64Array,
  slots: Int32Array,
  length: number,
  key: number,
  slot: number,
): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(keys[mid] as number, slots[mid] as number, key, slot)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the first entry in `[from, to)` of the ascending `keys` that is above `t` (`inclusive`)
 * or at or above `t` (strict): the end of the prefix a threshold `t` crosses. Binary search.
 */
function crossingEnd(keys: Float64Array, from: number, to: number, t: number, inclusive: boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid] as number;
    if (inclusive ? k <= t : k < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const NONE = 0;
const MAIN = 1;
const OVERFLOW = 2;

/**
 * Which run holds a side's next crossed entry, given the cursors and crossed ends of its main run
 * (`i < iEnd`, past tombstones) and its overflow (`o < oEnd`): MAIN, OVERFLOW or NONE.
 */
function nextRun(side: Side, i: number, iEnd: number, o: number, oEnd: number): number {
  if (o >= oEnd) return i < iEnd ? MAIN : NONE;
  if (i >= iEnd) return OVERFLOW;
  const k = side.overflowKey[o] as number;
  return before(k, side.overflowSlot[o] as number, side.key[i] as number, side.slot[i] as number)
    ? OVERFLOW
    : MAIN;
}

/** Options of {@link LiquidationIndex.fromColumns}. */
export interface LiquidationIndexOptions {
  /**
   * Whether a mark equal to the liquidation price liquidates (`MarginRules.liquidateAtEquality`):
   * true on Binance and Bybit (equity ≤ maintenance margin), false on Hyperliquid, dYdX and Drift
   * (equity < maintenance margin). Default true, as in the batch kernels.
   */
  readonly liquidateAtEquality?: boolean;
}

/**
 * Isolated positions of one symbol (slots `0 … capacity − 1`) indexed by liquidation price.
 *
 * Crossing rule: a long of liquidation price `L` is crossed by a mark `M ≤ L`, a short by
 * `M ≥ L` (strict `<`, `>` without `liquidateAtEquality`): the liquidation price is the root of
 * equity = maintenance margin, and equity − maintenance is increasing in the mark for a long and
 * decreasing for a short, so these are the venues' `equity ≤ MM` (`equity < MM`) tests.
 *
 * Positions that can never be liquidated are kept out explicitly, not refused: a slot of size 0
 * (empty) or of liquidation price NaN (what `liquidationPriceBatch` gives when no positive price
 * exists) is not indexed and never crossed. Infinite, zero or negative liquidation prices and
 * non-finite sizes are refused with an {@link InputError}.
 *
 * Costs (n indexed positions, `C = max(64, 4⌈√capacity⌉)` the overflow capacity, k crossings):
 * build O(n log n); {@link crossed} O(log n + k + d) with d the tombstones among the crossed
 * entries below the head cursor's reach (at most half the run, usually none: the liquidated top is
 * skipped by the cursor); {@link remove} O(1) in the main run, O(log C) plus a move of up to C
 * entries (`copyWithin`) in the overflow, plus the compaction (O(n), at most once per n/2
 * removals: amortized O(1)); {@link update} a removal plus an insertion into the overflow (the
 * same binary search and move), with a merge of O(n + C) once per C insertions: amortized O(√n).
 * Memory: 2 × capacity × 12 bytes for the runs plus 13 bytes per slot.
 */
export class LiquidationIndex {
  /** Number of slots (positions `0 … capacity − 1`) the index was built for. */
  readonly capacity: number;
  private readonly atEquality: boolean;
  private readonly sides: readonly [Side, Side];
  /** Per slot: 0 not indexed, 1 + side in the main run, 3 + side in the overflow. */
  private readonly runOf: Uint8Array;
  /** Per slot: its entry's position in the main run. */
  private readonly position: Int32Array;
  /** Per slot in the overflow: its key (the entry is found by binary search). */
  private readonly overflowKeyOf: Float64Array;
  private live = 0;

  private constructor(capacity: number, atEquality: boolean) {
    this.capacity = capacity;
    this.atEquality = atEquality;
    const overflow = Math.max(64, 4 * Math.ceil(Math.sqrt(capacity)));
    this.sides = [createSide(capacity, overflow), createSide(capacity, overflow)];
    this.runOf = new Uint8Array(capacity);
    this.position = new Int32Array(capacity);
    this.overflowKeyOf = new Float64Array(capacity);
  }

  /**
   * The index of the positions `i = 0 … size.length − 1`: side from the sign of `size[i]` (signed
   * base size as in `PositionBook.size`: positive long, negative short, 0 empty), liquidation price
   * `liquidationPrice[i]` (NaN: never liquidated, kept out). O(n log n).
   *
   * @throws InputError when the columns differ in length, a size is not finite, or a liquidation
   *   price of a non-empty slot is infinite, zero or negative.
   * @example `fromColumns(new Float64Array([1, -2, 1]), new Float64Array([59_000, 61_000, 60_000]))`
   *   then `crossed(59_500, out)` gives 1 slot, out[0] = 2 (the long at 60,000, 500 past).
   */
  static fromColumns(
    size: Float64Array,
    liquidationPrice: Float64Array,
    options: LiquidationIndexOptions = {},
  ): LiquidationIndex {
    if (liquidationPrice.length !== size.length) {
      throw new InputError(
        "liquidationPrice",
        liquidationPrice.length,
        `must have one entry per position (${size.length})`,
        "Pass the liquidationPriceBatch output of the same book.",
      );
    }
    const index = new LiquidationIndex(size.length, options.liquidateAtEquality ?? true);
    const order: number[][] = [[], []];
    for (let i = 0; i < size.length; i++) {
      const s = LiquidationIndex.sideOf(i, size[i] as number, liquidationPrice[i] as number);
      if (s >= 0) (order[s] as number[]).push(i);
    }
    for (const s of [LONG, SHORT]) {
      const slots = Int32Array.from(order[s] as number[]);
      const sign = s === LONG ? -1 : 1;
      slots.sort(
        (a, b) => sign * ((liquidationPrice[a] as number) - (liquidationPrice[b] as number)) || a - b,
      );
      const side = index.sides[s] as Side;
      for (let j = 0; j < slots.length; j++) {
        const slot = slots[j] as number;
        side.key[j] = sign * (liquidationPrice[slot] as number);
        side.slot[j] = slot;
        index.runOf[slot] = 1 + s;
        index.position[slot] = j;
      }
      side.length = slots.length;
      index.live += slots.length;
    }
    return index;
  }

  /** The side (LONG, SHORT) a position is indexed on, or −1 when kept out; checks the input. */
  private static sideOf(slot: number, size: number, liquidationPrice: number): number {
    if (!Number.isFinite(size)) {
      throw new InputError(`size[${slot}]`, size, "must be a finite signed size", "Use 0 for an empty slot.");
    }
    if (size === 0 || Number.isNaN(liquidationPrice)) return -1;
    if (!(liquidationPrice > 0 && liquidationPrice < Number.POSITIVE_INFINITY)) {
      throw new InputError(
        `liquidationPrice[${slot}]`,
        liquidationPrice,
        "must be a positive finite price",
        "Use NaN for a position that can never be liquidated.",
      );
    }
    return size > 0 ? LONG : SHORT;
  }

  /**
   * Makes this index a copy of `source` (an index of the same capacity and crossing rule), with no
   * allocation: the simulator keeps the start-of-path index and copies it back before each path
   * instead of rebuilding it (O(n) against the O(n log n) build).
   *
   * @throws InputError when the capacities or crossing rules differ.
   */
  copyFrom(source: LiquidationIndex): void {
    if (source.capacity !== this.capacity || source.atEquality !== this.atEquality) {
      throw new InputError(
        "source",
        source.capacity,
        `must be an index of capacity ${this.capacity} with the same crossing rule`,
        "Copy from an index built from the same columns and options.",
      );
    }
    for (const s of [LONG, SHORT]) {
      const to = this.sides[s] as Side;
      const from = source.sides[s] as Side;
      to.key.set(from.key.subarray(0, from.length));
      to.slot.set(from.slot.subarray(0, from.length));
      to.overflowKey.set(from.overflowKey.subarray(0, from.overflowLength));
      to.overflowSlot.set(from.overflowSlot.subarray(0, from.overflowLength));
      to.length = from.length;
      to.head = from.head;
      to.dead = from.dead;
      to.overflowLength = from.overflowLength;
    }
    this.runOf.set(source.runOf);
    this.position.set(source.position);
    this.overflowKeyOf.set(source.overflowKeyOf);
    this.live = source.live;
  }

  /** Number of positions in the index (not removed, not kept out). */
  get count(): number {
    return this.live;
  }

  /** Whether `slot` is in the index (it can be crossed). */
  has(slot: number): boolean {
    this.checkSlot(slot);
    return this.runOf[slot] !== OUT;
  }

  /**
   * Writes into `out` the slots the mark crosses (see the class comment for the rule), most
   * underwater first: by the gap past the liquidation price (`L − M` for a long, `M − L` for a
   * short) from the largest, ties by the smaller slot, and returns how many. Crossed slots stay in
   * the index until {@link remove}d or {@link update}d. No allocation; O(log n + k).
   *
   * @throws InputError when `mark` is not a positive finite price, or `out` is too short for the
   *   crossings (`out` then holds its length's worth of them; `capacity` entries always suffice).
   */
  crossed(mark: number, out: Int32Array): number {
    if (!(mark > 0 && mark < Number.POSITIVE_INFINITY)) {
      throw new InputError("mark", mark, "must be a positive finite price", "Pass the symbol's mark price.");
    }
    const long = this.sides[LONG];
    const short = this.sides[SHORT];
    const tLong = -mark;
    const tShort = mark;
    // Cursors (i: main, o: overflow) and ends of the crossed prefixes.
    let li = this.skipDead(long);
    const lEnd = crossingEnd(long.key, li, long.length, tLong, this.atEquality);
    let lo = 0;
    const loEnd = crossingEnd(long.overflowKey, 0, long.overflowLength, tLong, this.atEquality);
    let si = this.skipDead(short);
    const sEnd = crossingEnd(short.key, si, short.length, tShort, this.atEquality);
    let so = 0;
    const soEnd = crossingEnd(short.overflowKey, 0, short.overflowLength, tShort, this.atEquality);
    let n = 0;
    for (;;) {
      while (li < lEnd && long.slot[li] === -1) li++;
      while (si < sEnd && short.slot[si] === -1) si++;
      const lRun = nextRun(long, li, lEnd, lo, loEnd);
      const sRun = nextRun(short, si, sEnd, so, soEnd);
      if (lRun === NONE && sRun === NONE) break;
      let takeLong = sRun === NONE;
      if (lRun !== NONE && sRun !== NONE) {
        const lSlot = lRun === MAIN ? (long.slot[li] as number) : (long.overflowSlot[lo] as number);
        const sSlot = sRun === MAIN ? (short.slot[si] as number) : (short.overflowSlot[so] as number);
        const lGap = tLong - (lRun === MAIN ? (long.key[li] as number) : (long.overflowKey[lo] as number));
        const sGap = tShort - (sRun === MAIN ? (short.key[si] as number) : (short.overflowKey[so] as number));
        takeLong = lGap > sGap || (lGap === sGap && lSlot < sSlot);
      }
      if (n >= out.length) {
        throw new InputError(
          "out",
          out.length,
          "is too short for the crossed slots",
          `Allocate an Int32Array of the index's capacity (${this.capacity}).`,
        );
      }
      if (takeLong) {
        if (lRun === MAIN) out[n++] = long.slot[li++] as number;
        else out[n++] = long.overflowSlot[lo++] as number;
      } else if (sRun === MAIN) out[n++] = short.slot[si++] as number;
      else out[n++] = short.overflowSlot[so++] as number;
    }
    return n;
  }

  /** Moves `side.head` past the dead prefix of its main run and returns it. Amortized O(1). */
  private skipDead(side: Side): number {
    let h = side.head;
    while (h < side.length && side.slot[h] === -1) h++;
    side.head = h;
    return h;
  }

  /**
   * Takes `slot` out of the index (a liquidated position); a slot not in the index is left as is.
   * O(1) in the main run (a tombstone), O(C) (a binary search and a move) in the overflow; a compaction of the side (O(n)) when
   * half its main run is dead, amortized O(1).
   *
   * @throws InputError when `slot` is not an integer in `[0, capacity)`.
   */
  remove(slot: number): void {
    this.checkSlot(slot);
    const run = this.runOf[slot] as number;
    if (run === OUT) return;
    const side = this.sides[(run - 1) & 1] as Side;
    this.runOf[slot] = OUT;
    this.live--;
    if (run <= 2) {
      side.slot[this.position[slot] as number] = -1;
      side.dead++;
      if (2 * side.dead > side.length) this.compact(side, run - 1);
    } else {
      const { overflowKey, overflowSlot, overflowLength } = side;
      const at = lowerBound(
        overflowKey,
        overflowSlot,
        overflowLength,
        this.overflowKeyOf[slot] as number,
        slot,
      );
      overflowKey.copyWithin(at, at + 1, overflowLength);
      overflowSlot.copyWithin(at, at + 1, overflowLength);
      side.overflowLength--;
    }
  }

  /**
   * Re-keys `slot` after its position changed (a partial liquidation, a top-up, a flip): `size`
   * and `liquidationPrice` as in {@link fromColumns} (size 0 or NaN price: the slot leaves the
   * index). A removal plus an insertion into the side's overflow run (binary search and a move of up
   * to C entries), with a merge into the
   * main run (O(n + C)) once the overflow is full: amortized O(√capacity).
   *
   * @throws InputError as {@link fromColumns} and {@link remove} do.
   */
  update(slot: number, size: number, liquidationPrice: number): void {
    this.checkSlot(slot);
    const s = LiquidationIndex.sideOf(slot, size, liquidationPrice);
    this.remove(slot);
    if (s < 0) return;
    const side = this.sides[s] as Side;
    if (side.overflowLength === side.overflowKey.length) this.compact(side, s);
    const key = s === LONG ? -liquidationPrice : liquidationPrice;
    const { overflowKey, overflowSlot, overflowLength } = side;
    const at = lowerBound(overflowKey, overflowSlot, overflowLength, key, slot);
    overflowKey.copyWithin(at + 1, at, overflowLength);
    overflowSlot.copyWithin(at + 1, at, overflowLength);
    overflowKey[at] = key;
    overflowSlot[at] = slot;
    side.overflowLength++;
    this.runOf[slot] = 3 + s;
    this.overflowKeyOf[slot] = key;
    this.live++;
  }

  /**
   * Merges the overflow of `side` into its main run and drops the tombstones, in place: the live
   * main entries are packed to the front, then the two runs are merged from the back. O(n + C).
   */
  private compact(side: Side, s: number): void {
    const { key, slot, overflowKey, overflowSlot } = side;
    let packed = 0;
    for (let j = side.head; j < side.length; j++) {
      const id = slot[j] as number;
      if (id === -1) continue;
      key[packed] = key[j] as number;
      slot[packed] = id;
      packed++;
    }
    let write = packed + side.overflowLength;
    let i = packed - 1;
    let o = side.overflowLength - 1;
    while (o >= 0) {
      write--;
      if (
        i >= 0 &&
        before(overflowKey[o] as number, overflowSlot[o] as number, key[i] as number, slot[i] as number)
      ) {
        key[write] = key[i] as number;
        slot[write] = slot[i] as number;
        i--;
      } else {
        key[write] = overflowKey[o] as number;
        slot[write] = overflowSlot[o] as number;
        o--;
      }
    }
    side.length = packed + side.overflowLength;
    side.head = 0;
    side.dead = 0;
    side.overflowLength = 0;
    for (let j = 0; j < side.length; j++) {
      const id = slot[j] as number;
      this.runOf[id] = 1 + s;
      this.position[id] = j;
    }
  }

  private checkSlot(slot: number): void {
    if (!(Number.isInteger(slot) && slot >= 0 && slot < this.capacity)) {
      throw new InputError(
        "slot",
        slot,
        `must be an integer position in [0, ${this.capacity})`,
        "Use the position's index in the columns the index was built from.",
      );
    }
  }
}

/**
 * Aave v3 float view: the {@link LendingAccount} of an exact account, its float health factor, and
 * the typed-array kernel that computes many accounts' health factors at once. Part of the `aave-v3`
 * namespace (src/venues/aave-v3.ts).
 */
import { InputError } from "../../errors.js";
import { type LendingAccount, healthFactor as lendingHealthFactor } from "../../margin/lending.js";
import { fromFixed } from "../../math/fixed-point.js";
import { checkAccount, eModeOf, indexMarket } from "./market.js";
import type { Account, Market, ReserveParams } from "./types.js";

/**
 * The float {@link LendingAccount} view of an exact account: token amounts `b / 10^dec`, prices
 * `p / 1e8`, the e-mode-aware LT as a fraction (`LT_bps / 1e4`); collateral with LT 0 or the flag off
 * is left out, as GenericLogic leaves it out. Its `healthFactor` (src/margin/lending.ts) agrees with
 * the exact v3.5+ HF to the base-unit rounding of each value (1e-8 of the base currency per
 * position); the v3.0–v3.4 form also truncates the average LT to whole bps.
 */
export function toLendingAccount(account: Account, market: Market): LendingAccount {
  const m = indexMarket(market);
  checkAccount(m, account);
  const eMode = eModeOf(m, account);
  const price = (s: string): number => fromFixed(account.prices[s] as bigint, 8);
  return {
    collateral: account.supplies
      .filter(
        (s) =>
          (m.reserves.get(s.symbol) as ReserveParams).liquidationThresholdBps !== 0 &&
          s.usedAsCollateral !== false,
      )
      .map((s) => {
        const r = m.reserves.get(s.symbol) as ReserveParams;
        const cat = eMode?.collateralSymbols.includes(s.symbol) === true ? eMode : null;
        return {
          symbol: s.symbol,
          amount: fromFixed(s.balance, r.decimals),
          price: price(s.symbol),
          liquidationThreshold: (cat?.liquidationThresholdBps ?? r.liquidationThresholdBps) / 1e4,
          ltv: (cat !== null && r.ltvBps !== 0 ? cat.ltvBps : r.ltvBps) / 1e4,
        };
      }),
    debt: account.borrows.map((b) => ({
      symbol: b.symbol,
      amount: fromFixed(b.balance, (m.reserves.get(b.symbol) as ReserveParams).decimals),
      price: price(b.symbol),
    })),
  };
}

/**
 * Float health factor `Σ C_i·LT_i / Σ D_j` of an exact account through its {@link toLendingAccount}
 * view (`Infinity` without debt). Source: GenericLogic.sol `calculateUserAccountData` (unrounded).
 */
export function healthFactorFloat(account: Account, market: Market): number {
  return lendingHealthFactor(toLendingAccount(account, market));
}

/**
 * Many accounts as typed arrays (CSR layout) for the float kernel {@link healthFactorsBatch}: account
 * `i` owns collateral entries `collStart[i] … collStart[i+1]−1` and debt entries `debtStart[i] …
 * debtStart[i+1]−1`; each entry names a reserve (index into the price array) and an amount in tokens;
 * collateral entries carry their LT as a fraction (e-mode applied).
 */
export interface FloatBook {
  readonly accounts: number;
  readonly collStart: Uint32Array;
  readonly collReserve: Uint32Array;
  readonly collAmount: Float64Array;
  readonly collLt: Float64Array;
  readonly debtStart: Uint32Array;
  readonly debtReserve: Uint32Array;
  readonly debtAmount: Float64Array;
}

/**
 * Builds an {@link FloatBook} from exact accounts through {@link toLendingAccount} (amounts
 * `b / 10^dec`, e-mode-aware LT). `reserveOrder` fixes the order of the price array that
 * {@link healthFactorsBatch} takes (default: the market's reserves in listing order).
 */
export function createFloatBook(
  accounts: readonly Account[],
  market: Market,
  reserveOrder: readonly string[] = market.reserves.map((r) => r.symbol),
): FloatBook {
  return floatBookOf(
    accounts.map((a) => toLendingAccount(a, market)),
    reserveOrder,
  );
}

/**
 * Builds a {@link FloatBook} from float account views (any venue's {@link LendingAccount}: amounts in
 * tokens, collateral LTs as fractions); `reserveOrder` fixes the order of the price array. An entry
 * whose symbol is not in `reserveOrder` raises an {@link InputError} naming
 * `accounts[i].collateral[k]` or `accounts[i].debt[k]`.
 */
export function floatBookOf(views: readonly LendingAccount[], reserveOrder: readonly string[]): FloatBook {
  const position = new Map(reserveOrder.map((s, i) => [s, i]));
  const n = views.length;
  const nColl = views.reduce((s, v) => s + v.collateral.length, 0);
  const nDebt = views.reduce((s, v) => s + v.debt.length, 0);
  const book: FloatBook = {
    accounts: n,
    collStart: new Uint32Array(n + 1),
    collReserve: new Uint32Array(nColl),
    collAmount: new Float64Array(nColl),
    collLt: new Float64Array(nColl),
    debtStart: new Uint32Array(n + 1),
    debtReserve: new Uint32Array(nDebt),
    debtAmount: new Float64Array(nDebt),
  };
  let c = 0;
  let d = 0;
  const indexOf = (s: string, field: string): number => {
    const i = position.get(s);
    if (i === undefined)
      throw new InputError(
        field,
        s,
        "is not one of the market's assets",
        `Use one of: ${reserveOrder.join(", ")}, or list the asset.`,
      );
    return i;
  };
  views.forEach((v, i) => {
    book.collStart[i] = c;
    book.debtStart[i] = d;
    v.collateral.forEach((x, k) => {
      book.collReserve[c] = indexOf(x.symbol, `accounts[${i}].collateral[${k}].symbol`);
      book.collAmount[c] = x.amount;
      book.collLt[c] = x.liquidationThreshold;
      c++;
    });
    v.debt.forEach((x, k) => {
      book.debtReserve[d] = indexOf(x.symbol, `accounts[${i}].debt[${k}].symbol`);
      book.debtAmount[d] = x.amount;
      d++;
    });
  });
  book.collStart[n] = c;
  book.debtStart[n] = d;
  return book;
}

/**
 * Float health factors of every account of `book` at `prices` (per reserve, base currency as a
 * float, e.g. USD): `out[i] = Σ a·p·LT / Σ a·p` (`Infinity` without debt). No allocation; one pass
 * over the entries. Same formula as {@link healthFactorFloat}. Returns `out`.
 */
export function healthFactorsBatch(
  book: FloatBook,
  prices: Float64Array,
  out: Float64Array = new Float64Array(book.accounts),
): Float64Array {
  const { collStart, collReserve, collAmount, collLt, debtStart, debtReserve, debtAmount } = book;
  const n = book.accounts;
  let c = collStart[0] as number;
  let d = debtStart[0] as number;
  for (let i = 0; i < n; i++) {
    const cEnd = collStart[i + 1] as number;
    const dEnd = debtStart[i + 1] as number;
    let wc = 0;
    let debt = 0;
    for (; c < cEnd; c++)
      wc += (collAmount[c] as number) * (prices[collReserve[c] as number] as number) * (collLt[c] as number);
    for (; d < dEnd; d++) debt += (debtAmount[d] as number) * (prices[debtReserve[d] as number] as number);
    out[i] = debt === 0 ? Number.POSITIVE_INFINITY : wc / debt;
  }
  return out;
}

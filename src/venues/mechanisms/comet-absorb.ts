import { InputError } from "../../errors.js";
import { fixedToDecimalText, fromFixed } from "../../math/fixed-point.js";
import { readArray, readRecord, readString } from "../../validate.js";
import {
  type AbsorbResult,
  type Account,
  absorb,
  type Config,
  type Prices,
  type RevertReason,
} from "../compound-v3.js";
import { readSignedDecimalUnits } from "../drift-document.js";
import { resolveCompoundDocument } from "../lending/compound-v3.js";
import { readDecimalUnits, underField } from "../lending-document.js";
import { isVenueRevert } from "../revert.js";

/** Comet's base totals and reserves, all in base units (present values: principal at index 1). */
export interface CometBaseTotals {
  totalSupplyBase: bigint;
  totalBorrowBase: bigint;
  reserves: bigint;
}

/** The input of {@link absorbAccounts}: one market, one set of prices, the totals and the accounts in call order. */
export interface CometAbsorbInput extends CometBaseTotals {
  config: Config;
  prices: Prices;
  accounts: readonly { id: string; account: Account }[];
}

/** One absorbed account and the totals before and after it. */
export interface CometAbsorbStep {
  id: string;
  result: AbsorbResult;
  /** Borrow repaid by the protocol, `min(−old, new − old)` (Comet `repayAndSupplyAmount`). */
  repayAmount: bigint;
  /** Base supply created for the account, `max(new, 0)` when the credit exceeded the debt. */
  supplyAmount: bigint;
  before: CometBaseTotals;
  after: CometBaseTotals;
}

/** The chain of `absorb`s, or the revert that stops the whole call. */
export interface CometAbsorbChain {
  steps: CometAbsorbStep[];
  before: CometBaseTotals;
  after: CometBaseTotals;
  /** Comet reverts the whole `absorb(absorber, accounts)` when one account is not liquidatable. */
  revert: { id: string; reason: RevertReason; explanation: string } | null;
}

/**
 * `Comet.absorb(absorber, accounts)`: each account in order through `absorbInternal` ({@link absorb}),
 * the totals chained: `totalBorrowBase −= repayAmount`, `totalSupplyBase += supplyAmount` with
 * `(repayAmount, supplyAmount) = repayAndSupplyAmount(old, new)` — for a borrower (`old < 0`) `repay =
 * new − old, supply = 0` when `new ≤ 0`, else `repay = −old, supply = new` — and `reserves −= basePaidOut`.
 * The base tokens Comet holds, `reserves + totalSupplyBase − totalBorrowBase`, do not change. One account
 * that is not liquidatable reverts the whole call (`NotLiquidatable`): nothing changes. Interest indices
 * are taken as 1 (present value = principal), as in comet's unit tests. Source: `Comet.sol` `absorb`,
 * `absorbInternal`, `repayAndSupplyAmount`, `getReserves`; example comet `test/absorb-test.ts`
 * "absorbs 3 accounts with collateral": totalBorrowBase 3e15 USDC → 3e15 USDC − 1e18 − 1e12 − 1e6 wei.
 */
export function absorbAccounts(input: CometAbsorbInput): CometAbsorbChain {
  const before: CometBaseTotals = {
    totalSupplyBase: input.totalSupplyBase,
    totalBorrowBase: input.totalBorrowBase,
    reserves: input.reserves,
  };
  const steps: CometAbsorbStep[] = [];
  let totals = before;
  for (const { id, account } of input.accounts) {
    let result: AbsorbResult;
    try {
      result = absorb(input.config, account, input.prices, totals.reserves);
    } catch (err) {
      if (!isVenueRevert<RevertReason>(err, "compound-v3")) throw err;
      return {
        steps: [],
        before,
        after: before,
        revert: { id, reason: err.reason, explanation: err.explanation },
      };
    }
    const { oldBalance, newBalance } = result;
    const repayAmount = newBalance <= 0n ? newBalance - oldBalance : -oldBalance;
    const supplyAmount = newBalance > 0n ? newBalance : 0n;
    const after: CometBaseTotals = {
      totalSupplyBase: totals.totalSupplyBase + supplyAmount,
      totalBorrowBase: totals.totalBorrowBase - repayAmount,
      reserves: result.reservesAfter,
    };
    steps.push({ id, result, repayAmount, supplyAmount, before: totals, after });
    totals = after;
  }
  return { steps, before, after: totals, revert: null };
}

/** Base totals as exact decimal strings of base tokens. */
export interface CometTotalsText {
  totalSupplyBase: string;
  totalBorrowBase: string;
  reserves: string;
  /** `reserves + totalSupplyBase − totalBorrowBase`: the base tokens Comet holds. */
  baseHeld: string;
}

/** The `mechanism comet-absorb` result: amounts as exact decimal strings of tokens, USD as numbers. */
export interface CometAbsorbBatchReport {
  venue: "compound-v3";
  market: string;
  baseSymbol: string;
  revert: { id: string; reason: RevertReason; explanation: string } | null;
  accounts: {
    id: string;
    seized: { symbol: string; amount: string; usd: number; creditUsd: number }[];
    balanceBefore: string;
    credit: string;
    balanceAfter: string;
    shortfall: string;
    basePaidOut: string;
    repayAmount: string;
    supplyAmount: string;
    before: CometTotalsText;
    after: CometTotalsText;
    steps: string[];
  }[];
  /** Collateral that became protocol reserves, summed over the accounts, by symbol. */
  collateralToReserves: { symbol: string; amount: string }[];
  before: CometTotalsText;
  after: CometTotalsText;
}

/** The chain as JSON: bigints to exact decimal strings of their tokens. */
function cometAbsorbBatchView(input: CometAbsorbInput, chain: CometAbsorbChain): CometAbsorbBatchReport {
  const { config } = input;
  const base = (x: bigint) => fixedToDecimalText(x, config.baseDecimals);
  const decimals = new Map(config.assets.map((a) => [a.symbol, a.decimals]));
  const totals = (t: CometBaseTotals): CometTotalsText => ({
    totalSupplyBase: base(t.totalSupplyBase),
    totalBorrowBase: base(t.totalBorrowBase),
    reserves: base(t.reserves),
    baseHeld: base(t.reserves + t.totalSupplyBase - t.totalBorrowBase),
  });
  const seizedTotal = new Map<string, bigint>();
  for (const s of chain.steps)
    for (const c of s.result.seized) seizedTotal.set(c.symbol, (seizedTotal.get(c.symbol) ?? 0n) + c.amount);
  return {
    venue: "compound-v3",
    market: config.name,
    baseSymbol: config.baseSymbol,
    revert: chain.revert,
    accounts: chain.steps.map((s) => ({
      id: s.id,
      seized: s.result.seized.map((c) => ({
        symbol: c.symbol,
        amount: fixedToDecimalText(c.amount, decimals.get(c.symbol) ?? 0),
        usd: fromFixed(c.value, 8),
        creditUsd: fromFixed(c.credit, 8),
      })),
      balanceBefore: base(s.result.oldBalance),
      credit: base(s.result.deltaBalance),
      balanceAfter: base(s.result.newBalance),
      shortfall: base(s.result.shortfall),
      basePaidOut: base(s.result.basePaidOut),
      repayAmount: base(s.repayAmount),
      supplyAmount: base(s.supplyAmount),
      before: totals(s.before),
      after: totals(s.after),
      steps: [...s.result.steps],
    })),
    collateralToReserves: [...seizedTotal].map(([symbol, amount]) => ({
      symbol,
      amount: fixedToDecimalText(amount, decimals.get(symbol) ?? 0),
    })),
    before: totals(chain.before),
    after: totals(chain.after),
  };
}

/**
 * Reads a Comet absorb document (schema `schemas/comet-absorb.schema.json`): `market` (default cUSDCv3,
 * as in lending documents), optional `reserves`, `totalSupplyBase`, `totalBorrowBase` in base tokens
 * (defaults 0, 0 and the accounts' summed debt), and `accounts [{id, collateral, debt}]` holding the
 * lending document's `{symbol, amount, price}` entries; one price per symbol across all accounts.
 * Throws an {@link InputError} naming the field, e.g. `accounts[1].debt[0].amount`.
 */
export function readCometAbsorbDocument(raw: unknown): CometAbsorbInput {
  const doc = readRecord(
    raw,
    "document",
    "The absorb document is a JSON object; see schemas/comet-absorb.schema.json.",
  );
  const rows = readArray(doc.accounts, "accounts", "List the accounts to absorb, in call order.");
  if (rows.length === 0)
    throw new InputError("accounts", rows, "must list at least one account", "Give the accounts to absorb.");
  const ids = new Set<string>();
  const prices: Record<string, bigint> = {};
  let config: Config | undefined;
  const accounts = rows.map((row, i) => {
    const at = `accounts[${i}]`;
    const a = readRecord(row, at, "Each account is {id, collateral, debt}.");
    const id = readString(a.id, `${at}.id`, "Give each account an id, e.g. its address.");
    if (ids.has(id)) throw new InputError(`${at}.id`, id, "is not unique", "Give each account its own id.");
    ids.add(id);
    let resolved: ReturnType<typeof resolveCompoundAccount>;
    try {
      resolved = resolveCompoundAccount(doc.market, a.collateral, a.debt);
    } catch (err) {
      throw err instanceof InputError && !err.field.startsWith("market") ? underField(err, at) : err;
    }
    config = resolved.config;
    for (const [symbol, price] of Object.entries(resolved.prices)) {
      const known = prices[symbol];
      if (known !== undefined && known !== price)
        throw new InputError(
          at,
          symbol,
          `prices ${symbol} at ${fromFixed(price, 8)}, an earlier account at ${fromFixed(known, 8)}`,
          "absorb runs at one moment: give every account the same price for a token.",
        );
      prices[symbol] = price;
    }
    return { id, account: resolved.account };
  });
  if (config === undefined) throw new InputError("accounts", rows, "must list at least one account", "");
  const c = config;
  const amount = (value: unknown, field: string, fallback: bigint) =>
    value === undefined
      ? fallback
      : readDecimalUnits(value, field, c.baseDecimals, {
          excess: "reject",
          fix: `Give the amount in ${c.baseSymbol}, e.g. 5000000.`,
        });
  const debts = accounts.reduce((s, a) => s + (a.account.baseBalance < 0n ? -a.account.baseBalance : 0n), 0n);
  return {
    config: c,
    prices,
    reserves:
      doc.reserves === undefined
        ? 0n
        : readSignedDecimalUnits(
            doc.reserves,
            "reserves",
            c.baseDecimals,
            `Give the reserves in ${c.baseSymbol}; negative is allowed.`,
          ),
    totalSupplyBase: amount(doc.totalSupplyBase, "totalSupplyBase", 0n),
    totalBorrowBase: amount(doc.totalBorrowBase, "totalBorrowBase", debts),
    accounts,
  };
}

function resolveCompoundAccount(market: unknown, collateral: unknown, debt: unknown) {
  return resolveCompoundDocument({
    venue: "compound-v3",
    ...(market === undefined ? {} : { market }),
    collateral,
    debt,
  });
}

/** The `mechanism comet-absorb` workflow: reads the document, chains the absorbs, returns the JSON view. */
export function cometAbsorbBatchReport(raw: unknown): CometAbsorbBatchReport {
  const input = readCometAbsorbDocument(raw);
  return cometAbsorbBatchView(input, absorbAccounts(input));
}

import { InputError } from "../../errors.js";
import { fixedToDecimalText } from "../../math/fixed-point.js";
import { readArray, readNumber, readRecord, readString } from "../../validate.js";
import { DRIFT_VENUE_ID, type ResolvedDriftDocument, resolveDriftDocument } from "../drift-document.js";
import {
  type Account,
  canBeLiquidated,
  liquidatePerp,
  type MarginCalculation,
  marginCalculation,
  marginShortage,
  type PerpLiquidation,
  type PerpPosition,
} from "../drift-v2.js";
import { readDecimalUnits, underField } from "../lending-document.js";

/** One liquidator's `liquidate_perp` call: its account, the most base it takes, the slot of the call. */
export interface DriftLiquidatorCall {
  id: string;
  account: Account;
  /** `liquidator_max_base_asset_amount` (1e9). */
  maxBaseAssetAmount: bigint;
  /** Slots since the liquidation started (`last_active_slot` = 0). */
  slot: number;
}

/** The input of {@link liquidatePerpCalls}. */
export interface DriftLiquidationInput {
  user: ResolvedDriftDocument;
  symbol: string;
  calls: readonly DriftLiquidatorCall[];
}

/** One call: the transfer and both accounts after it. */
export interface DriftLiquidationStep {
  liquidatorId: string;
  slot: number;
  /** Why nothing moved: the user is not liquidatable, has left liquidation, has no position left, or the speed limit allows 0. */
  skipped: "not-liquidatable" | "exited-liquidation" | "position-closed" | "speed-limit" | null;
  marginShortageBefore: bigint;
  transfer: PerpLiquidation | null;
  userAccount: Account;
  liquidatorAccount: Account;
  userMargin: MarginCalculation;
  /** The liquidator's initial-margin calculation after the call (the program requires it to be met). */
  liquidatorMargin: MarginCalculation;
}

/** The calls in order and the accounts they leave. */
export interface DriftLiquidationRun {
  steps: DriftLiquidationStep[];
  user: Account;
  liquidators: Map<string, Account>;
}

function applyToPosition(
  account: Account,
  template: PerpPosition,
  baseDelta: bigint,
  quoteDelta: bigint,
): Account {
  const symbol = template.market.symbol;
  const held = account.positions.some((p) => p.market.symbol === symbol);
  const positions = held
    ? account.positions
    : [...account.positions, { ...template, baseAssetAmount: 0n, quoteAssetAmount: 0n }];
  return {
    ...account,
    positions: positions.map((p) =>
      p.market.symbol === symbol
        ? {
            ...p,
            baseAssetAmount: p.baseAssetAmount + baseDelta,
            quoteAssetAmount: p.quoteAssetAmount + quoteDelta,
          }
        : p,
    ),
  };
}

/**
 * Liquidators' `liquidate_perp` calls on one user's perp position, in order, each on the state the
 * previous left ({@link liquidatePerp}: escalating liquidator fee, dynamic IF fee, base to cover the
 * buffered shortage, speed limit, the liquidator's max). For a transfer of `t` base worth `v` at the oracle:
 * the user's position moves `∓t` base and `±v` quote and pays `liquidatorFee + ifFee` in quote; the
 * liquidator takes `±t` base against `∓v` quote and receives `liquidatorFee`; the IF fee leaves both
 * (so `Δquote_user + Δquote_liquidator + ifFee = 0` and base is conserved). Calls after the user leaves
 * liquidation (`TC ≥ MR + buffer`) move nothing. Source: drift-labs/protocol-v2
 * `controller/liquidation.rs::liquidate_perp` (`get_position_delta_for_fill`, fees booked with
 * `update_quote_asset_and_break_even_amount`); research note §4.2. Model limits: the liquidation starts at
 * slot 0 with no margin freed; the liquidator's margin is reported, not enforced.
 */
export function liquidatePerpCalls(input: DriftLiquidationInput): DriftLiquidationRun {
  const { state } = input.user;
  const buffer = state.liquidationMarginBufferRatio;
  let user = input.user.account;
  const liquidators = new Map<string, Account>();
  let freed = 0n;
  let inLiquidation = false;
  const steps = input.calls.map((call): DriftLiquidationStep => {
    let liquidator = liquidators.get(call.id) ?? call.account;
    const calc = marginCalculation(user, "maintenance", buffer);
    const shortage = marginShortage(calc);
    const base = {
      liquidatorId: call.id,
      slot: call.slot,
      marginShortageBefore: shortage,
      transfer: null,
    };
    const finish = (skipped: DriftLiquidationStep["skipped"], transfer: PerpLiquidation | null) => {
      liquidators.set(call.id, liquidator);
      return {
        ...base,
        skipped,
        transfer,
        userAccount: user,
        liquidatorAccount: liquidator,
        userMargin: marginCalculation(user, "maintenance", buffer),
        liquidatorMargin: marginCalculation(liquidator, "initial"),
      };
    };
    if (!inLiquidation && !canBeLiquidated(calc)) return finish("not-liquidatable", null);
    if (inLiquidation && shortage === 0n) return finish("exited-liquidation", null);
    inLiquidation = true;
    const position = user.positions.find((p) => p.market.symbol === input.symbol);
    if (position === undefined || position.baseAssetAmount === 0n) return finish("position-closed", null);
    const r = liquidatePerp({
      market: position.market,
      userBaseAssetAmount: position.baseAssetAmount,
      oraclePrice: position.oraclePrice,
      marginShortage: shortage,
      liquidatorMaxBaseAssetAmount: call.maxBaseAssetAmount,
      slot: call.slot,
      lastActiveSlot: 0,
      liquidationMarginFreed: freed,
      ...(state.initialPctToLiquidate === undefined
        ? {}
        : { initialPctToLiquidate: state.initialPctToLiquidate }),
      ...(state.liquidationDuration === undefined ? {} : { liquidationDuration: state.liquidationDuration }),
      liquidationMarginBufferRatio: buffer,
      highLeverageMode: user.highLeverageMode ?? false,
    });
    if (r.baseAssetAmount === 0n) return finish("speed-limit", r);
    const long = position.baseAssetAmount > 0n;
    const signed = long ? r.baseAssetAmount : -r.baseAssetAmount;
    const value = long ? r.baseAssetValue : -r.baseAssetValue;
    user = applyToPosition(user, position, -signed, value - r.liquidatorFeeQuote - r.ifFeeQuote);
    liquidator = applyToPosition(liquidator, position, signed, -value + r.liquidatorFeeQuote);
    const shortageAfter = marginShortage(marginCalculation(user, "maintenance", buffer));
    if (shortageAfter < shortage) freed += shortage - shortageAfter;
    return finish(null, r);
  });
  return { steps, user, liquidators };
}

const QUOTE = 6;
const BASE = 9;
const quote = (x: bigint) => fixedToDecimalText(x, QUOTE);

/** A position as decimal text: base tokens, Drift's quote amount and the entry price it implies. */
export interface DriftPositionText {
  symbol: string;
  baseAssetAmount: string;
  quoteAssetAmount: string;
  /**
   * `−quote/base`, the break-even price (Drift's quote amount carries realised PnL and fees); null when
   * flat, or when it is not positive (a realised gain larger than the position's notional: no price is
   * a loss), rather than a negative price.
   */
  entryPrice: number | null;
}

/** Total collateral, requirement, requirement plus buffer and shortage as USDC text. */
export interface DriftMarginText {
  totalCollateral: string;
  marginRequirement: string;
  marginRequirementPlusBuffer: string;
  shortage: string;
}

const positionText = (p: PerpPosition): DriftPositionText => {
  const breakEven =
    p.baseAssetAmount === 0n ? 0 : -(Number(p.quoteAssetAmount) / 1e6) / (Number(p.baseAssetAmount) / 1e9);
  return {
    symbol: p.market.symbol,
    baseAssetAmount: fixedToDecimalText(p.baseAssetAmount, BASE),
    quoteAssetAmount: quote(p.quoteAssetAmount),
    entryPrice: breakEven > 0 ? breakEven : null,
  };
};
const marginText = (c: MarginCalculation): DriftMarginText => ({
  totalCollateral: quote(c.totalCollateral),
  marginRequirement: quote(c.marginRequirement),
  marginRequirementPlusBuffer: quote(c.marginRequirementPlusBuffer),
  shortage: quote(marginShortage(c)),
});

/** The `mechanism drift-liquidate` result: USDC and base amounts as exact decimal strings, fees as fractions. */
export interface DriftLiquidationReport {
  venue: "drift-v2";
  symbol: string;
  userBefore: { positions: DriftPositionText[]; margin: DriftMarginText; liquidatable: boolean };
  calls: {
    liquidator: string;
    slot: number;
    skipped: DriftLiquidationStep["skipped"];
    marginShortageBefore: string;
    liquidatorFee: number | null;
    ifFee: number | null;
    maxPctAllowed: number | null;
    baseTaken: string;
    baseValue: string;
    liquidatorFeePaid: string;
    ifFeePaid: string;
    userPosition: DriftPositionText | null;
    userMargin: DriftMarginText;
    liquidatorPosition: DriftPositionText | null;
    liquidatorQuoteBalance: string;
    liquidatorInitialMargin: DriftMarginText;
    liquidatorMeetsInitialMargin: boolean;
  }[];
  userAfter: { positions: DriftPositionText[]; margin: DriftMarginText };
  liquidatorsAfter: { id: string; positions: DriftPositionText[]; margin: DriftMarginText }[];
}

/** The run as JSON. */
function driftLiquidationView(
  input: DriftLiquidationInput,
  run: DriftLiquidationRun,
): DriftLiquidationReport {
  const buffer = input.user.state.liquidationMarginBufferRatio;
  const find = (a: Account) => a.positions.find((p) => p.market.symbol === input.symbol);
  const before = marginCalculation(input.user.account, "maintenance", buffer);
  return {
    venue: "drift-v2",
    symbol: input.symbol,
    userBefore: {
      positions: input.user.account.positions.map(positionText),
      margin: marginText(before),
      liquidatable: canBeLiquidated(before),
    },
    calls: run.steps.map((s) => {
      const userPosition = find(s.userAccount);
      const liquidatorPosition = find(s.liquidatorAccount);
      return {
        liquidator: s.liquidatorId,
        slot: s.slot,
        skipped: s.skipped,
        marginShortageBefore: quote(s.marginShortageBefore),
        liquidatorFee: s.transfer === null ? null : s.transfer.liquidatorFee / 1e6,
        ifFee: s.transfer === null ? null : s.transfer.ifFee / 1e6,
        maxPctAllowed: s.transfer === null ? null : Number(s.transfer.maxPctAllowed) / 1e4,
        baseTaken: fixedToDecimalText(s.transfer?.baseAssetAmount ?? 0n, BASE),
        baseValue: quote(s.transfer?.baseAssetValue ?? 0n),
        liquidatorFeePaid: quote(s.transfer?.liquidatorFeeQuote ?? 0n),
        ifFeePaid: quote(s.transfer?.ifFeeQuote ?? 0n),
        userPosition: userPosition === undefined ? null : positionText(userPosition),
        userMargin: marginText(s.userMargin),
        liquidatorPosition: liquidatorPosition === undefined ? null : positionText(liquidatorPosition),
        liquidatorQuoteBalance: quote(s.liquidatorAccount.quoteBalance),
        liquidatorInitialMargin: marginText(s.liquidatorMargin),
        liquidatorMeetsInitialMargin:
          s.liquidatorMargin.totalCollateral >= s.liquidatorMargin.marginRequirement,
      };
    }),
    userAfter: {
      positions: run.user.positions.map(positionText),
      margin: marginText(marginCalculation(run.user, "maintenance", buffer)),
    },
    liquidatorsAfter: [...run.liquidators].map(([id, a]) => ({
      id,
      positions: a.positions.map(positionText),
      margin: marginText(marginCalculation(a, "initial")),
    })),
  };
}

/**
 * Reads a Drift liquidation document (schema `schemas/drift-liquidation.schema.json`): `user`, a drift-v2
 * account document (its `venue` may be left out; `state.initialPctToLiquidate` and
 * `state.liquidationDuration` set the speed limit), `symbol`, the market to liquidate, and `liquidators
 * [{id, quoteBalance, positions?, maxBaseAssetAmount, slot}]`, one entry per `liquidate_perp` call in
 * order (an id may call again; its first entry's account is used). Liquidator positions use the user's
 * markets. Throws an {@link InputError} naming the field, e.g. `liquidators[0].maxBaseAssetAmount`.
 */
export function readDriftLiquidationDocument(raw: unknown): DriftLiquidationInput {
  const doc = readRecord(
    raw,
    "document",
    "The document is a JSON object; see schemas/drift-liquidation.schema.json.",
  );
  const u = readRecord(doc.user, "user", "Give the user's drift-v2 account document.");
  const userDoc: Record<string, unknown> = { venue: DRIFT_VENUE_ID, ...u };
  let user: ResolvedDriftDocument;
  try {
    user = resolveDriftDocument(userDoc);
  } catch (err) {
    throw underField(err, "user");
  }
  const symbol = readString(doc.symbol, "symbol", "Name the market to liquidate, e.g. SOL-PERP.");
  if (!user.account.positions.some((p) => p.market.symbol === symbol && p.baseAssetAmount !== 0n))
    throw new InputError(
      "symbol",
      symbol,
      "is not an open position of the user",
      `Use one of: ${user.account.positions.map((p) => p.market.symbol).join(", ")}.`,
    );
  const calls = readArray(doc.liquidators, "liquidators", "List the liquidate_perp calls in order.").map(
    (row, i): DriftLiquidatorCall => {
      const at = `liquidators[${i}]`;
      const l = readRecord(row, at, "Each call is {id, quoteBalance, positions?, maxBaseAssetAmount, slot}.");
      const id = readString(l.id, `${at}.id`, "Name the liquidator.");
      let account: Account;
      try {
        account = resolveDriftDocument({
          venue: DRIFT_VENUE_ID,
          quoteBalance: l.quoteBalance,
          markets: userDoc.markets,
          positions: l.positions ?? [],
        }).account;
      } catch (err) {
        throw underField(err, at);
      }
      const slot = readNumber(l.slot ?? 0, `${at}.slot`, {
        min: 0,
        fix: "Slots since the liquidation started, e.g. 0.",
      });
      if (!Number.isInteger(slot))
        throw new InputError(`${at}.slot`, l.slot, "must be an integer", "Slots are whole numbers.");
      return {
        id,
        account,
        maxBaseAssetAmount: readDecimalUnits(l.maxBaseAssetAmount, `${at}.maxBaseAssetAmount`, BASE, {
          excess: "reject",
          positive: true,
          fix: "The most base the liquidator takes, in tokens, e.g. 50.",
        }),
        slot,
      };
    },
  );
  return { user, symbol, calls };
}

/** The `mechanism drift-liquidate` workflow: reads the document, runs the calls, returns the JSON view. */
export function driftLiquidationReport(raw: unknown): DriftLiquidationReport {
  const input = readDriftLiquidationDocument(raw);
  return driftLiquidationView(input, liquidatePerpCalls(input));
}

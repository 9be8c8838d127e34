/**
 * The Drift `liquidate` report: the `liquidate_perp` sequence under the speed limit and, when the account
 * ends bankrupt, `resolve_perp_bankruptcy`. Sources: drift-labs/protocol-v2
 * `controller/liquidation.rs::liquidate_perp`, `resolve_perp_bankruptcy`; research note §4, §10.5.
 */

import { InputError } from "../../errors.js";
import { fixedToDecimalText } from "../../math/fixed-point.js";
import type { ResolvedDriftDocument } from "../drift-document.js";
import {
  type Account,
  baseAssetValue,
  canBeLiquidated,
  LIQUIDATION_PCT_PRECISION,
  liquidatePerp,
  marginCalculation,
  marginShortage,
  type PerpBankruptcyResolution,
  type PerpLiquidation,
  resolvePerpBankruptcy,
} from "../drift-v2.js";
import { type DriftMarginReport, driftMarginReport, quoteToUsd, rawCollateral } from "./margin-report.js";

/** One `liquidate_perp` call of the simulated sequence (USD floats; fees as fractions). */
export interface DriftLiquidationCall {
  /** Slots since the liquidation started (`enter_liquidation` sets `last_active_slot` to its slot). */
  slotsElapsed: number;
  symbol: string;
  marginShortageBefore: number;
  liquidatorFee: number;
  ifFee: number;
  marginRatioWithBuffer: number;
  /** Base that would cover the shortage (null: the whole position). */
  baseToCoverMarginShortage: number | null;
  /** Speed limit: share of the shortage this call may free. */
  maxPctAllowed: number;
  baseTaken: number;
  baseValue: number;
  liquidatorFeePaid: number;
  ifFeePaid: number;
  /** The price the liquidator takes the base at: oracle ∓ liquidator fee. */
  transferPrice: number;
  totalCollateralAfter: number;
  marginShortageAfter: number;
}

/** Bankruptcy resolution of the remaining loss (USDC floats). */
export interface DriftBankruptcyReport {
  symbol: string;
  loss: number;
  ifPayment: number;
  feePoolPayment: number;
  socializedLoss: number;
  /** Cumulative funding shift (quote per base) both sides pay. */
  cumulativeFundingRateDelta: number;
}

/** The Drift `liquidate` document. */
export interface DriftLiquidateReport {
  venue: "drift-v2";
  liquidatable: boolean;
  before: DriftMarginReport["account"];
  calls: DriftLiquidationCall[];
  /** Why the sequence stopped. */
  outcome: "not-liquidatable" | "exited-liquidation" | "bankrupt" | "positions-closed" | "stalled";
  after: DriftMarginReport["account"];
  bankruptcy: DriftBankruptcyReport | null;
  steps: string[];
}

function requireState(doc: ResolvedDriftDocument): { pct: bigint; duration: bigint } {
  const { initialPctToLiquidate: pct, liquidationDuration: duration } = doc.state;
  if (pct === undefined)
    throw new InputError(
      "state.initialPctToLiquidate",
      undefined,
      "is required by liquidate (the speed limit)",
      "A fraction, e.g. 0.1; Drift keeps it on-chain only: read State.initial_pct_to_liquidate (1e4 precision).",
    );
  if (duration === undefined)
    throw new InputError(
      "state.liquidationDuration",
      undefined,
      "is required by liquidate (the speed limit)",
      "Slots, e.g. 150; Drift keeps it on-chain only: read State.liquidation_duration.",
    );
  return { pct, duration };
}

const HUGE = 2n ** 63n;

/**
 * Simulates Drift liquidating the account: liquidation starts now (`enter_liquidation`: slot 0,
 * margin freed 0); each `liquidate_perp` call ({@link liquidatePerp}) takes base from the largest
 * position at the oracle price ∓ the escalating liquidator fee, charges the dynamic IF fee, and is capped
 * by the speed limit; when the limit stops progress the next call waits until
 * `elapsed = ⌈(1 − initialPct)·duration⌉` (then 100 % is allowed, and past 1,500 slots the fee has
 * escalated). The sequence ends when `TC ≥ MR + buffer` (exit), or every position is gone; a negative
 * remainder is resolved by `resolve_perp_bankruptcy` ({@link resolvePerpBankruptcy}) in the last
 * market liquidated, which needs `markets[i].bankruptcy`.
 * Model limits: a single liquidator with unlimited size; `liquidation_margin_freed` is the fall of the
 * shortage; the whole loss (deposits + PnL) is charged to one perp market.
 */
export function driftLiquidateReport(doc: ResolvedDriftDocument): DriftLiquidateReport {
  const buffer = doc.state.liquidationMarginBufferRatio;
  const hl = doc.account.highLeverageMode ?? false;
  const calc = (a: Account) => marginCalculation(a, "maintenance", buffer);
  const accountView = (a: Account) => driftMarginReport({ ...doc, account: a }).account;
  const before = accountView(doc.account);
  if (!canBeLiquidated(calc(doc.account)))
    return {
      venue: "drift-v2",
      liquidatable: false,
      before,
      calls: [],
      outcome: "not-liquidatable",
      after: before,
      bankruptcy: null,
      steps: [],
    };
  const { pct, duration } = requireState(doc);
  const steps: string[] = [
    `enter_liquidation: TC ${before.totalCollateral} < MR ${before.maintenanceMargin}; target MR + ${buffer / 100} % buffer = ${before.maintenanceMarginPlusBuffer}; slot counter and margin freed reset`,
  ];
  let account = doc.account;
  let elapsed = 0n;
  let freed = 0n;
  let lastSymbol = "";
  const calls: DriftLiquidationCall[] = [];
  let outcome: DriftLiquidateReport["outcome"] = "positions-closed";
  const fullAfter =
    duration === 0n
      ? 0n
      : ((LIQUIDATION_PCT_PRECISION - pct) * duration + LIQUIDATION_PCT_PRECISION - 1n) /
        LIQUIDATION_PCT_PRECISION;
  for (let k = 0; k < 100; k++) {
    const c = calc(account);
    const shortage = marginShortage(c);
    if (shortage === 0n) {
      outcome = "exited-liquidation";
      break;
    }
    let index = -1;
    let best = -1n;
    account.positions.forEach((p, i) => {
      const v = baseAssetValue(p.baseAssetAmount, p.oraclePrice);
      if (p.baseAssetAmount !== 0n && v > best) {
        best = v;
        index = i;
      }
    });
    const p = account.positions[index];
    if (p === undefined) break;
    const r: PerpLiquidation = liquidatePerp({
      market: p.market,
      userBaseAssetAmount: p.baseAssetAmount,
      oraclePrice: p.oraclePrice,
      marginShortage: shortage,
      liquidatorMaxBaseAssetAmount: HUGE,
      slot: Number(elapsed),
      lastActiveSlot: 0,
      liquidationMarginFreed: freed,
      initialPctToLiquidate: pct,
      liquidationDuration: duration,
      liquidationMarginBufferRatio: buffer,
      highLeverageMode: hl,
    });
    if (r.baseAssetAmount === 0n) {
      if (elapsed >= fullAfter) {
        outcome = "stalled";
        break;
      }
      steps.push(
        `speed limit reached at slot +${elapsed}: the next call waits until slot +${fullAfter}, when 100 % may be liquidated`,
      );
      elapsed = fullAfter;
      continue;
    }
    const long = p.baseAssetAmount > 0n;
    const signed = long ? r.baseAssetAmount : -r.baseAssetAmount;
    const quoteDelta = long
      ? r.baseAssetValue - r.liquidatorFeeQuote - r.ifFeeQuote
      : -(r.baseAssetValue + r.liquidatorFeeQuote + r.ifFeeQuote);
    account = {
      ...account,
      positions: account.positions.map((q, i) =>
        i === index
          ? {
              ...q,
              baseAssetAmount: q.baseAssetAmount - signed,
              quoteAssetAmount: q.quoteAssetAmount + quoteDelta,
            }
          : q,
      ),
    };
    const after = calc(account);
    const shortageAfter = marginShortage(after);
    if (shortageAfter < shortage) freed += shortage - shortageAfter;
    lastSymbol = p.market.symbol;
    const fee = r.liquidatorFee / 1e6;
    calls.push({
      slotsElapsed: Number(elapsed),
      symbol: p.market.symbol,
      marginShortageBefore: quoteToUsd(shortage),
      liquidatorFee: fee,
      ifFee: r.ifFee / 1e6,
      marginRatioWithBuffer: r.marginRatioWithBuffer / 1e4,
      baseToCoverMarginShortage:
        r.baseToCoverMarginShortage === null ? null : Number(r.baseToCoverMarginShortage) / 1e9,
      maxPctAllowed: Number(r.maxPctAllowed) / 1e4,
      baseTaken: Number(r.baseAssetAmount) / 1e9,
      baseValue: quoteToUsd(r.baseAssetValue),
      liquidatorFeePaid: quoteToUsd(r.liquidatorFeeQuote),
      ifFeePaid: quoteToUsd(r.ifFeeQuote),
      transferPrice: quoteToUsd(p.oraclePrice) * (long ? 1 - fee : 1 + fee),
      totalCollateralAfter: quoteToUsd(after.totalCollateral),
      marginShortageAfter: quoteToUsd(shortageAfter),
    });
    steps.push(
      `liquidate_perp at slot +${elapsed}: ${long ? "sell" : "buy back"} ${Number(r.baseAssetAmount) / 1e9} ${p.market.symbol} to the liquidator at the oracle ${long ? "−" : "+"} ${fee * 100} % fee (speed limit ${Number(r.maxPctAllowed) / 100} %); IF fee ${(r.ifFee / 1e4).toFixed(4)} %; shortage ${quoteToUsd(shortage)} → ${quoteToUsd(shortageAfter)}`,
    );
  }
  let bankruptcy: DriftBankruptcyReport | null = null;
  const flat = account.positions.every((p) => p.baseAssetAmount === 0n);
  const tc = rawCollateral(account);
  if (flat && tc < 0n) {
    outcome = "bankrupt";
    const m = doc.markets.get(lastSymbol);
    const at = [...doc.markets.keys()].indexOf(lastSymbol);
    if (m?.bankruptcy === undefined)
      throw new InputError(
        `markets[${at}].bankruptcy`,
        undefined,
        `is required: the account ends bankrupt (loss ${fixedToDecimalText(-tc, 6)} USDC) and liquidate resolves it in ${lastSymbol}`,
        "Give {insuranceFundVaultBalance, quoteMaxInsurance, quoteSettledInsurance?, feePool?, baseAssetAmountLong, baseAssetAmountShort}; read SpotMarket[0] insurance fund vault, PerpMarket.insurance_claim and PerpMarket.amm.",
      );
    const b = m.bankruptcy;
    const res: PerpBankruptcyResolution = resolvePerpBankruptcy({
      loss: tc,
      insuranceFundVaultBalance: b.insuranceFundVaultBalance,
      quoteMaxInsurance: b.quoteMaxInsurance,
      quoteSettledInsurance: b.quoteSettledInsurance,
      feePoolTokens: b.feePool,
      baseAssetAmountLong: b.baseAssetAmountLong,
      baseAssetAmountShort: b.baseAssetAmountShort,
    });
    bankruptcy = {
      symbol: lastSymbol,
      loss: quoteToUsd(tc),
      ifPayment: quoteToUsd(res.ifPayment),
      feePoolPayment: quoteToUsd(res.feePoolPayment),
      socializedLoss: quoteToUsd(res.lossToSocialize),
      cumulativeFundingRateDelta: Number(res.cumulativeFundingRateDelta) / 1e9,
    };
    steps.push(
      `resolve_perp_bankruptcy in ${lastSymbol}: loss ${quoteToUsd(tc)}; insurance fund pays ${quoteToUsd(res.ifPayment)}, fee pool ${quoteToUsd(res.feePoolPayment)}, ${quoteToUsd(-res.lossToSocialize)} socialised by moving cumulative funding ${Number(res.cumulativeFundingRateDelta) / 1e9} per base on both sides`,
    );
    account = { ...account, quoteBalance: account.quoteBalance - tc };
  } else if (outcome === "exited-liquidation") steps.push("TC ≥ MR + buffer: the user leaves liquidation");
  return {
    venue: "drift-v2",
    liquidatable: true,
    before,
    calls,
    outcome,
    after: accountView(account),
    bankruptcy,
    steps,
  };
}

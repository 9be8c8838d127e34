/**
 * The winners of one auto-deleveraging (ADL) event in structure-of-arrays form, their checks and the
 * post-ADL leverage every socialization policy is judged by.
 *
 * Wealth-space model (Chitra, "Autodeleveraging: impossibilities and optimization", arXiv 2512.01112,
 * `paper/corrected/capped-pro-rata.tex` of pluriholonomic/autodeleveraging-analysis): winner i has a
 * haircutable endowment w_i = (PnL_i)₊ (the "PNL-only" rule), equity e_i = c_i + PnL_i with cash
 * (margin) c_i > 0, and a position of notional n_i at mark. A policy returns dollar haircuts
 * x_i = h_i·w_i with 0 ≤ h_i ≤ 1 that together cover the deficit D (the budget B_T = θ·D_T of the paper).
 */
import { InputError } from "../../errors.js";

/** The winners of one ADL event (USD), one entry per account; arrays of equal length. */
export interface AdlWinners {
  /** Unrealized profit w_i ≥ 0, the haircutable endowment. */
  readonly pnl: Float64Array;
  /** Equity e_i = margin + PnL, above `pnl` (the margin behind the position is positive). */
  readonly equity: Float64Array;
  /** Position notional n_i ≥ 0 at the mark price. */
  readonly notional: Float64Array;
}

/**
 * Checks a winners' population: equal lengths, finite PnL ≥ 0, equity above PnL (positive margin,
 * as in isolated margin), finite notional ≥ 0. Throws an {@link InputError} naming the entry.
 */
export function checkWinners(winners: AdlWinners): void {
  const { pnl, equity, notional } = winners;
  const n = pnl.length;
  if (equity.length !== n || notional.length !== n) {
    throw new InputError(
      "winners",
      { pnl: n, equity: equity.length, notional: notional.length },
      "the arrays pnl, equity and notional have different lengths",
      "Give one entry per winner in each array.",
    );
  }
  checkPnl(pnl, "winners.pnl");
  for (let i = 0; i < n; i++) {
    const w = pnl[i] as number;
    const e = equity[i] as number;
    const q = notional[i] as number;
    if (!(e > w) || !Number.isFinite(e)) {
      throw new InputError(
        `winners.equity[${i}]`,
        e,
        `must be finite and above the winner's PnL ${w}`,
        "Equity is margin + PnL with a positive margin; pass the account's equity.",
      );
    }
    if (!(q >= 0) || !Number.isFinite(q)) {
      throw new InputError(
        `winners.notional[${i}]`,
        q,
        "is not a finite notional ≥ 0",
        "Pass |size| × mark.",
      );
    }
  }
}

/** Checks the winners' PnL: finite and ≥ 0 (InputError naming `field[i]`). */
export function checkPnl(pnl: Float64Array, field = "pnl"): void {
  for (let i = 0; i < pnl.length; i++) {
    const w = pnl[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new InputError(`${field}[${i}]`, w, "is not a finite profit ≥ 0", "Pass only winners (PnL ≥ 0).");
    }
  }
}

/** Checks a deficit to cover: finite and ≥ 0 (USD). */
export function checkBudget(budget: number): void {
  if (!(budget >= 0) || !Number.isFinite(budget)) {
    throw new InputError(
      "deficit",
      budget,
      "is not a finite amount ≥ 0",
      "Pass the bad debt to cover in USD.",
    );
  }
}

/**
 * Post-ADL leverage of a winner whose haircut x closes the same fraction f = x/w of its position
 * (the PnL of the closed part goes to the deficit, the position shrinks in proportion):
 * `L' = n·(1 − f) / (e − x)`; with w = 0 (nothing to take) `L' = n / e`. Since e > w, L' falls as
 * x grows, from n/e to 0 when the whole position is closed (x = w).
 */
export function postAdlLeverage(notional: number, equity: number, pnl: number, haircut: number): number {
  if (pnl <= 0) return notional / equity;
  return (notional * (1 - haircut / pnl)) / (equity - haircut);
}

/** Σ pnl_i·cap_i: what a policy with per-winner caps (fractions of PnL) can take at most. */
export function adlCapacity(pnl: Float64Array, caps: Float64Array | number = 1): number {
  let s = 0;
  for (let i = 0; i < pnl.length; i++) s += (pnl[i] as number) * capAt(caps, i);
  return s;
}

/** The cap of winner i: the scalar, or entry i of the array. */
export function capAt(caps: Float64Array | number, i: number): number {
  return typeof caps === "number" ? caps : (caps[i] as number);
}

/**
 * Pro-rata bad-debt socialization: plain pro-rata on PnL, capped pro-rata and Risk-Aware Pro-Rata
 * (RAP), all instances of one weighted reverse water-filling (Chitra, arXiv 2512.01112, Algorithms
 * "Capped Pro-Rata Haircut Allocation" and "Risk-Aware Pro-Rata Haircut Allocation" in
 * `paper/corrected/algorithms.tex` of pluriholonomic/autodeleveraging-analysis). They cover the
 * deficit exactly (zero overshoot) whenever the capacity allows.
 */
import { InputError } from "../../errors.js";
import { adlCapacity, capAt, checkBudget, checkPnl } from "./adl-winners.js";

/**
 * Risk-Aware Pro-Rata: haircut fractions `h_i = min(β_i, τ·ω_i)` with the water level τ chosen so
 * that `Σ w_i·h_i = min(D, Σ w_i·β_i)` (Chitra 2025, Algorithm "RAP water-filling": sort by β_i/ω_i,
 * raise τ until the budget is met, capping accounts as τ·ω_i reaches β_i). Writes the dollar
 * haircuts `x_i = w_i·h_i` to `out`.
 *
 * @param pnl the winners' PnL w_i ≥ 0 (the endowments)
 * @param deficit the amount D to cover (USD)
 * @param caps β_i ∈ [0, 1], the largest share of its PnL a winner may lose (scalar or per winner)
 * @param weights risk weights ω_i ≥ 0 (the paper's ρ(λ_i), e.g. the leverage λ_i); ω_i = 0 is never haircut
 * @param out haircuts in USD, length of `pnl`
 */
export function riskAwareProRata(
  pnl: Float64Array,
  deficit: number,
  caps: Float64Array | number,
  weights: Float64Array | number,
  out: Float64Array,
): void {
  checkBudget(deficit);
  checkPnl(pnl);
  const n = pnl.length;
  checkFractions("caps", caps, n, 1);
  checkFractions("weights", weights, n, Number.POSITIVE_INFINITY);
  out.fill(0);
  let capacity = 0;
  let mass = 0;
  let active = 0;
  for (let i = 0; i < n; i++) {
    const wi = pnl[i] as number;
    const bi = capAt(caps, i);
    const oi = capAt(weights, i);
    if (wi > 0 && bi > 0 && oi > 0) {
      capacity += wi * bi;
      mass += wi * oi;
      active++;
    }
  }
  const target = Math.min(deficit, capacity);
  if (!(target > 0)) return;
  // Accounts reaching their cap, in the order the water level τ reaches them (τ = β_i/ω_i).
  const order = new Uint32Array(active);
  const ratio = new Float64Array(n);
  for (let i = 0, k = 0; i < n; i++) {
    const bi = capAt(caps, i);
    const oi = capAt(weights, i);
    if ((pnl[i] as number) > 0 && bi > 0 && oi > 0) {
      ratio[i] = bi / oi;
      order[k++] = i;
    }
  }
  order.sort((a, b) => (ratio[a] as number) - (ratio[b] as number) || a - b);
  let covered = 0;
  let level = 0;
  let tau = Number.NaN;
  for (let k = 0; k < active; k++) {
    const i = order[k] as number;
    const r = ratio[i] as number;
    const step = (r - level) * mass;
    if (covered + step >= target) {
      tau = level + (target - covered) / mass;
      break;
    }
    covered += step;
    mass -= (pnl[i] as number) * capAt(weights, i);
    level = r;
  }
  if (Number.isNaN(tau)) tau = level; // every account capped: target = capacity (rounding)
  for (let i = 0; i < n; i++) {
    const oi = capAt(weights, i);
    const wi = pnl[i] as number;
    if (wi > 0 && oi > 0) out[i] = wi * Math.min(capAt(caps, i), tau * oi);
  }
}

/**
 * Capped pro-rata: `h_i = min(η, β_i)` with `Σ w_i·h_i = min(D, Σ w_i·β_i)` (Chitra 2025, eq.
 * "capped pro-rata" and Algorithm "Capped Pro-Rata Haircut Allocation"): every winner loses the same
 * share η of its PnL, except those whose cap binds, whose excess is spread over the others.
 * Writes dollar haircuts to `out`.
 */
export function cappedProRata(
  pnl: Float64Array,
  deficit: number,
  caps: Float64Array | number,
  out: Float64Array,
): void {
  riskAwareProRata(pnl, deficit, caps, 1, out);
}

/**
 * Pro-rata on PnL: `x_i = w_i·min(1, D / Σ w)`, the same share of every winner's profit (Chitra
 * 2025, "Uniqueness of the Pro-Rata Rule": the only rule that is Sybil-resistant, scale-invariant,
 * monotone and regular). Writes dollar haircuts to `out`.
 */
export function proRata(pnl: Float64Array, deficit: number, out: Float64Array): void {
  checkBudget(deficit);
  checkPnl(pnl);
  const capacity = adlCapacity(pnl);
  const share = capacity > 0 ? Math.min(1, deficit / capacity) : 0;
  for (let i = 0; i < pnl.length; i++) out[i] = (pnl[i] as number) * share;
}

function checkFractions(field: string, v: Float64Array | number, n: number, max: number): void {
  if (typeof v !== "number" && v.length !== n) {
    throw new InputError(field, v.length, `has ${v.length} entries for ${n} winners`, "Give one per winner.");
  }
  const m = typeof v === "number" ? 1 : n;
  for (let i = 0; i < m; i++) {
    const x = capAt(v, i);
    if (!(x >= 0 && x <= max && Number.isFinite(x))) {
      throw new InputError(
        typeof v === "number" ? field : `${field}[${i}]`,
        x,
        `must lie in [0, ${max}]`,
        field === "caps" ? "A cap is a share of the winner's PnL." : "Risk weights are finite and ≥ 0.",
      );
    }
  }
}

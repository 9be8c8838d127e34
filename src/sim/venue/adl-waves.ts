/**
 * The Hyperliquid ADL waves of 2025-10-10 21:16–21:27 UTC, bundled under `data/adl/` (MIT, derived
 * from Hyperliquid's public fills by pluriholonomic/autodeleveraging-analysis @ aae0be86; provenance
 * in data/PROVENANCE.md). Definitions (the repository's `methodology.md`): a wave is the ADL fills
 * of all coins clustered with a 5 s gap; the deficit D_t is the losers' negative equity; the needed
 * budget `B_t = Σ_k |mark_k − exec_k|·|q_k|` over the wave's ADL fills; the production haircut
 * `H_t = Σ_i (e_noADL − e_ADL)₊` over the wave's winners from a two-pass replay (horizon 0 ms).
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { InputError } from "../../errors.js";
import { bundledPath } from "../../market/bundled.js";

/** One ADL wave: its aggregates (USD) as published. */
export interface AdlWave {
  readonly wave: number;
  readonly startMs: number;
  /** Losers' deficit D_t. */
  readonly deficit: number;
  /** The budget needed to close the wave's ADL fills at the mark, B_t. */
  readonly needed: number;
  /** What production ADL took from the winners, H_t. */
  readonly production: number;
  /** The largest production haircut of one winner. */
  readonly productionMaxHaircut: number;
  /** The winners' equity and unrealized PnL at the wave's start. */
  readonly winnersEquity: number;
  readonly winnersPnl: number;
  /** ADL fill rows of the wave (each a winner–loser pair). */
  readonly fills: number;
  readonly losers: number;
}

/** The winners' equity/PnL ratio over the 17,771 winners (`out/headlines.json`). */
export interface EquityToPnlQuantiles {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly winners: number;
}

const WAVES = "adl/2025-10-10_hyperliquid_adl_two-pass-equity-delta-by-wave_h0.csv";
const LOSERS = "adl/2025-10-10_hyperliquid_adl_loser-deficit-waves.csv";
const HEADLINES = "adl/2025-10-10_hyperliquid_adl_headlines.json";
const SWEEP = "adl/2025-10-10_hyperliquid_adl_horizon-sweep-totals.csv";

function rows(relative: string): Record<string, string>[] {
  return parse(readFileSync(bundledPath(relative), "utf8"), { columns: true, skip_empty_lines: true });
}

function num(row: Record<string, string>, column: string, file: string): number {
  const v = Number(row[column]);
  if (row[column] === undefined || !Number.isFinite(v)) {
    throw new InputError(
      `${file}: ${column}`,
      row[column],
      "is missing or not a number",
      "Restore the bundled file.",
    );
  }
  return v;
}

/** The 16 waves with a deficit, joined from the two-pass and loser-deficit files. */
export function readAdlWaves(): AdlWave[] {
  const losers = new Map(rows(LOSERS).map((r) => [num(r, "wave", LOSERS), r]));
  return rows(WAVES).map((r) => {
    const wave = num(r, "wave", WAVES);
    const l = losers.get(wave);
    if (l === undefined)
      throw new InputError(LOSERS, wave, "has no row for this wave", "Restore the bundled file.");
    return {
      wave,
      startMs: num(r, "t_start_ms", WAVES),
      deficit: num(r, "deficit_usd", WAVES),
      needed: num(r, "budget_needed_usd", WAVES),
      production: num(r, "budget_prod_usd", WAVES),
      productionMaxHaircut: num(r, "max_prod_haircut_usd", WAVES),
      winnersEquity: num(r, "winners_equity_start_usd", WAVES),
      winnersPnl: num(r, "winners_pnl_start_usd", WAVES),
      fills: num(l, "n_rows", LOSERS),
      losers: num(l, "unique_losers", LOSERS),
    };
  });
}

/** The winners' equity/PnL quantiles and the production overshoot headline of `out/headlines.json`. */
export function readAdlHeadlines(): { equityToPnl: EquityToPnlQuantiles; productionOvershoot: number } {
  const json = JSON.parse(readFileSync(bundledPath(HEADLINES), "utf8"));
  const r = json.headline.winner_overcollateralization_equity_over_pnl;
  return {
    equityToPnl: { median: r.median, p10: r.p10, p90: r.p90, winners: r.n_users },
    productionOvershoot: json.headline.prod_overshoot_vs_needed_usd,
  };
}

/**
 * Production's overshoot `Σ_t (H_t − B_t)` over the 16 waves with the winners' equity evaluated
 * `horizonMs` after each wave's end (the repository's `out/eval_horizon_sweep_gap_ms=5000.csv`:
 * 0, 500, 1,000, 2,000 and 5,000 ms). Throws an {@link InputError} for a horizon not in the file.
 */
export function readAdlOvershootAtHorizon(horizonMs: number): number {
  const row = rows(SWEEP).find((r) => num(r, "eval_horizon_ms", SWEEP) === horizonMs);
  if (row === undefined)
    throw new InputError(
      "horizonMs",
      horizonMs,
      "is not a horizon of the published sweep",
      "Use 0, 500, 1000, 2000 or 5000.",
    );
  return num(row, "total_overshoot_prod_minus_needed_usd", SWEEP);
}

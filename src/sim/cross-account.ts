/**
 * Probability of liquidation of a cross-margin account holding linear positions on several
 * correlated assets. Log prices move jointly, `x_{k+1} = x_k + (μ − σ²/2)Δ + σ√Δ·y_k` per asset
 * with `y_k = L z_k`, L the Cholesky factor of the correlation matrix and z_k independent
 * standard normals — or, for Student-t, the multivariate t with unit variances
 * `y_k = L z_k · √((ν − 2)/W)`, W ~ χ²_ν shared by all assets in the step (joint crashes: a
 * large move of one asset comes with large moves of the others; quant.md §3.5 "t-copula for
 * joint crashes"), drawn as `L V_k √((ν − 2)/ν)` with V_k the spherical t_ν of
 * {@link SphericalTSampler} (the same law, from its conditionals, without the χ² draw). The account
 * is liquidated at the first grid point t_k where
 * `equity − fee ≤ maintenance` (or `<` when the venue needs equity strictly below), with
 * - `equity_k = W_k + Σ qᵢ(Sᵢ − entryᵢ)`, the wallet `W_k = collateral − Σ_{j ≤ k} Σᵢ fᵢ qᵢ Sᵢ(t_j) Δ`
 *   paying each position's funding rate fᵢ per year on its notional at the grid point (a long pays
 *   when fᵢ > 0; the boundary moves with time);
 * - `maintenance_k = Σ (Nᵢ·mmr_{τ(Nᵢ)} − cum_{τ(Nᵢ)})`, Nᵢ = |qᵢ|Sᵢ and τ its tier (src/margin/tiers.ts
 *   `maintenanceMargin`; a flat `mmr` is the one-tier table);
 * - `fee_k = closeFeeRate · Σ_a U_a·B_a`, the estimated fee to close charged at each asset's bankruptcy
 *   price `B_a = −(c_a − Σ_{i∈a} qᵢ·entryᵢ)/(Σ_{i∈a} qᵢ − fee·U_a)` (c_a the equity without the asset's
 *   PnL, `U_a = Σ |qᵢ|`), 0 where that is not positive and at the current price for a hedged asset, where
 *   the venue counts it (src/margin/group.ts `closeFees`; 0 by default).
 * This is `accountMargin` (src/margin/account.ts) with `maintenanceBasis: "mark"`, evaluated at
 * the simulated prices with `accruedFunding` = the funding paid. The boundary is not a single log
 * barrier, so there is no Brownian-bridge correction: the estimate is for monitoring at the grid
 * points (biased low against continuous monitoring, see src/sim/liquidation.ts) — use a fine grid.
 * Without funding, grid points inside a band of log prices where the account is provably safe are
 * skipped (no exponential, no margin sum; `setSafeBand`), with the same outcome for every path.
 */
import { InputError } from "../errors.js";
import { type FlatTiers, flatTierIndex, flattenTierTables } from "../margin/batch.js";
import type { TierTable } from "../margin/tiers.js";
import { normalSampler, SphericalTSampler, type Xoshiro128 } from "../math/random.js";
import { readNumber } from "../validate.js";
import { correlationMatrixFactor } from "./correlated-paths.js";
import { type FirstPassageEstimate, firstPassageEstimate } from "./liquidation.js";
import { gridStep, type TimeGrid } from "./models.js";
import { type PathEvaluator, type RunControl, runSimulation, type Simulation } from "./run.js";
import { type Welford, welford, welfordAdd, welfordMerge } from "./stats.js";
import { type FirstPassageTally, firstPassageKind, meanOrNaN, type TallyKind } from "./tally.js";

/** One asset's price process. */
export interface AssetSpec {
  readonly spotPrice: number;
  readonly annualVol: number;
  /** μ, annualised price drift (default 0). */
  readonly annualDrift?: number;
}

/** A linear position in the account: give its maintenance margin as a flat `mmr` or as `tiers`. */
export interface CrossPosition {
  /** Index into {@link CrossAccountSpec.assets}. */
  readonly asset: number;
  /** Signed size in base units (> 0 long, < 0 short). */
  readonly quantity: number;
  readonly entryPrice: number;
  /** Flat maintenance margin rate (a fraction of notional), the one-tier table `[0, ∞) mmr, cum 0`. */
  readonly mmr?: number;
  /** Tier table (notional in quote), e.g. `getVenue("binance-usdm").tierTable("BTCUSDT").tiers`. */
  readonly tiers?: TierTable;
  /**
   * Funding rate per year, a fraction of notional (e.g. 0.0001 per 8 h ≈ 0.1095 per year), paid
   * out of the wallet at each grid point as `q·S·rate·Δ`: a long pays when positive, a short receives.
   */
  readonly fundingRatePerYear?: number;
}

/** What to simulate. */
export interface CrossAccountSpec {
  readonly assets: readonly AssetSpec[];
  /** Correlation matrix of the log-return shocks (symmetric, unit diagonal, positive definite). */
  readonly correlation: readonly (readonly number[])[];
  /** Normal shocks, or a multivariate Student-t with ν > 2 (unit variances). */
  readonly innovations: { readonly kind: "normal" } | { readonly kind: "student-t"; readonly nu: number };
  readonly grid: TimeGrid;
  /** Collateral (quote currency) — the account's wallet balance. */
  readonly collateral: number;
  readonly positions: readonly CrossPosition[];
  /**
   * Estimated fee to close, a fraction of the notional at the current price, that the venue adds
   * to maintenance margin (Bybit UTA; `MarginRules.closeFeeRate`). Default 0 (Binance, Hyperliquid).
   */
  readonly closeFeeRate?: number;
  /** Whether equity equal to maintenance margin already liquidates (default true, Binance; false for Hyperliquid). */
  readonly liquidateAtEquality?: boolean;
}

/** A cross account's tally: first passages and the margin shortfall at liquidation. */
export interface CrossAccountTally extends FirstPassageTally {
  /** Maintenance margin + fee to close − equity at the grid point of liquidation, quote currency. */
  marginShortfall: Welford;
}

/** The {@link TallyKind} of {@link CrossAccountTally}. */
const crossAccountTally: TallyKind<CrossAccountTally> = firstPassageKind<CrossAccountTally>({
  empty: () => ({ marginShortfall: welford() }),
  merge: (a, b) => welfordMerge(a.marginShortfall, b.marginShortfall),
});

/** P(liquidation) of a cross account, with what reproduces it (`bridge` is always false). */
export interface CrossAccountEstimate extends FirstPassageEstimate {
  /** Mean margin shortfall at liquidation (gap risk): maintenance + fee to close − equity, quote currency. */
  readonly meanMarginShortfall: number;
}

/** Simulates paths of one {@link CrossAccountSpec}; scratch memory is allocated once. */
export class CrossAccountEvaluator implements PathEvaluator<CrossAccountTally> {
  readonly steps: number;
  readonly dtYears: number;
  private readonly n: number;
  private readonly chol: Float64Array;
  private readonly drift: Float64Array;
  private readonly stepVol: Float64Array;
  private readonly spot: Float64Array;
  private readonly nu: number;
  private readonly collateral: number;
  private readonly posAsset: Int32Array;
  private readonly posQty: Float64Array;
  private readonly posEntry: Float64Array;
  private readonly posFunding: Float64Array;
  private readonly tiers: FlatTiers;
  private readonly closeFeeRate: number;
  private readonly atEquality: boolean;
  private readonly shocks: Float64Array;
  /** Student-t only: the spherical t_ν of each step's shocks (normal shocks otherwise). */
  private readonly spherical: SphericalTSampler | undefined;
  private readonly x: Float64Array;
  private readonly price: Float64Array;
  /** Whether grid points may be skipped when provably safe (without funding the wallet is constant). */
  private readonly screening: boolean;
  /** Per asset: bounds of the slope of the shortfall in its price, upward moves and downward moves. */
  private readonly upSlope: Float64Array;
  private readonly downSlope: Float64Array;
  /** Per position: the largest |cum| of its table (for the round-off slack). */
  private readonly cumMax: Float64Array;
  /** Σ over positions of their tables' maintenance jumps ({@link maintenanceJumps}). */
  private readonly jumps: number;
  /** Per asset: the log-price band inside which the account is provably not liquidatable. */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly startLo: Float64Array;
  private readonly startHi: Float64Array;
  /** Per asset, scratch of {@link marginShortfall}: Σ q, Σ q·entry, Σ |q|, PnL, sides held (1 long, 2 short). */
  private readonly assetQty: Float64Array;
  private readonly assetCost: Float64Array;
  private readonly assetUnits: Float64Array;
  private readonly assetPnl: Float64Array;
  private readonly assetSides: Uint8Array;

  constructor(spec: CrossAccountSpec) {
    const dt = gridStep(spec.grid);
    this.steps = spec.grid.steps;
    this.dtYears = dt;
    const n = spec.assets.length;
    if (n === 0) throw new InputError("assets", spec.assets, "is empty", "Pass at least one asset.");
    this.n = n;
    this.chol = correlationMatrixFactor(spec.correlation, n);
    this.drift = new Float64Array(n);
    this.stepVol = new Float64Array(n);
    this.spot = new Float64Array(n);
    spec.assets.forEach((a, i) => {
      const sigma = readNumber(a.annualVol, `assets[${i}].annualVol`, { min: 0 });
      const mu = readNumber(a.annualDrift ?? 0, `assets[${i}].annualDrift`, {});
      this.spot[i] = readNumber(a.spotPrice, `assets[${i}].spotPrice`, { min: 0, exclusiveMin: true });
      this.drift[i] = (mu - 0.5 * sigma * sigma) * dt;
      this.stepVol[i] = sigma * Math.sqrt(dt);
    });
    this.nu =
      spec.innovations.kind === "normal"
        ? Number.POSITIVE_INFINITY
        : readNumber(spec.innovations.nu, "innovations.nu", {
            min: 2,
            exclusiveMin: true,
            fix: "Pass ν > 2.",
          });
    this.collateral = readNumber(spec.collateral, "collateral", {
      fix: "Pass the account's wallet balance.",
    });
    const m = spec.positions.length;
    this.posAsset = new Int32Array(m);
    this.posQty = new Float64Array(m);
    this.posEntry = new Float64Array(m);
    this.posFunding = new Float64Array(m);
    const tables: TierTable[] = [];
    spec.positions.forEach((p, j) => {
      const asset = readNumber(p.asset, `positions[${j}].asset`, { min: 0, max: n - 1 });
      if (!Number.isInteger(asset)) {
        throw new InputError(`positions[${j}].asset`, p.asset, "must be an asset index", `Pass 0…${n - 1}.`);
      }
      this.posAsset[j] = asset;
      this.posQty[j] = readNumber(p.quantity, `positions[${j}].quantity`, { nonZero: true });
      this.posEntry[j] = readNumber(p.entryPrice, `positions[${j}].entryPrice`, {
        min: 0,
        exclusiveMin: true,
      });
      tables.push(positionTiers(p, `positions[${j}]`));
      this.posFunding[j] = readNumber(p.fundingRatePerYear ?? 0, `positions[${j}].fundingRatePerYear`, {
        fix: "Pass the funding rate per year as a fraction of notional (0 for none).",
      });
    });
    this.tiers = flattenTierTables(tables);
    this.closeFeeRate = readNumber(spec.closeFeeRate ?? 0, "closeFeeRate", {
      min: 0,
      max: 1,
      fix: "Pass the fee to close as a fraction of notional, e.g. 0.00055.",
    });
    this.atEquality = spec.liquidateAtEquality ?? true;
    this.assetQty = new Float64Array(n);
    this.assetCost = new Float64Array(n);
    this.assetUnits = new Float64Array(n);
    this.assetPnl = new Float64Array(n);
    this.assetSides = new Uint8Array(n);
    const startShortfall = this.marginShortfall(this.spot, this.collateral);
    if (this.isLiquidatable(startShortfall)) {
      throw new InputError(
        "collateral",
        spec.collateral,
        "leaves the account liquidatable at the spot prices",
        "Add collateral.",
      );
    }
    this.shocks = new Float64Array(this.steps * n);
    this.spherical = this.nu === Number.POSITIVE_INFINITY ? undefined : new SphericalTSampler(this.nu, n);
    this.x = new Float64Array(n);
    this.price = new Float64Array(n);
    this.upSlope = new Float64Array(n);
    this.downSlope = new Float64Array(n);
    this.cumMax = new Float64Array(m);
    // The fee to close at each asset's bankruptcy price moves with every asset's price (through the
    // equity): the band's slope bounds below do not cover it, so an account with a fee is checked every step.
    this.screening = this.closeFeeRate === 0 && this.posFunding.every((f) => f === 0);
    this.jumps = tables.reduce((sum, table) => sum + maintenanceJumps(table), 0);
    tables.forEach((table, j) => {
      const a = this.posAsset[j] as number;
      const q = this.posQty[j] as number;
      const rates = table.map((t) => t.mmr);
      this.upSlope[a] = (this.upSlope[a] as number) + Math.abs(q) * Math.max(...rates) - q;
      this.downSlope[a] = (this.downSlope[a] as number) + q - Math.abs(q) * Math.min(...rates);
      this.cumMax[j] = Math.max(...table.map((t) => Math.abs(t.cum)));
    });
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.x.fill(0);
    this.setSafeBand(this.spot, this.collateral, startShortfall);
    this.startLo = Float64Array.from(this.lo);
    this.startHi = Float64Array.from(this.hi);
  }

  /** Simulates `paths` paths and adds them to `tally`. */
  run(rng: Xoshiro128, paths: number, tally: CrossAccountTally): void {
    let liquidated = 0;
    for (let p = 0; p < paths; p++) {
      const k = this.simulatePath(rng);
      if (k > 0) {
        liquidated += 1;
        welfordAdd(tally.time, k * this.dtYears);
        welfordAdd(tally.marginShortfall, this.lastShortfall);
      }
    }
    tally.paths += paths;
    tally.liquidated += liquidated;
  }

  /** Margin shortfall (maintenance + fee to close − equity, quote) at the last liquidation of {@link simulatePath}. */
  lastShortfall = Number.NaN;

  /**
   * Simulates one path from `rng` and returns the grid point k ∈ 1…steps of the first
   * liquidation (time k·Δ), or 0 if the account survives the horizon. When `prices` (length
   * steps × assets) is given, the prices at grid points 1…k (all of them for a survivor) are
   * written into it, row k − 1 holding asset i at `(k − 1)·assets + i`, for replaying the path.
   */
  simulatePath(rng: Xoshiro128, prices?: Float64Array): number {
    const { n, steps, chol, drift, stepVol, spot, shocks, x, price, lo, hi, spherical } = this;
    // y = L z for normal shocks; y = L V √((ν − 2)/ν), V spherical t_ν, for the unit-variance t.
    const mix = spherical === undefined ? 1 : Math.sqrt((this.nu - 2) / this.nu);
    if (spherical === undefined) this.normal.fill(rng, shocks);
    else spherical.fill(rng, shocks);
    x.fill(0);
    const screen = this.screening && prices === undefined;
    if (screen) {
      lo.set(this.startLo);
      hi.set(this.startHi);
    }
    let wallet = this.collateral;
    for (let k = 0; k < steps; k++) {
      if (screen && n <= 2) {
        k = this.walkInBand(k, mix);
        if (k === steps) break;
      } else {
        let safe = screen;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j <= i; j++) s += (chol[i * n + j] as number) * (shocks[k * n + j] as number);
          const xi = (x[i] as number) + (drift[i] as number) + (stepVol[i] as number) * (s * mix);
          x[i] = xi;
          if (xi > (hi[i] as number) || xi < (lo[i] as number)) safe = false;
        }
        if (safe) continue;
      }
      for (let i = 0; i < n; i++) {
        price[i] = (spot[i] as number) * Math.exp(x[i] as number);
        if (prices !== undefined) prices[k * n + i] = price[i] as number;
      }
      wallet -= this.fundingPayment(price);
      const shortfall = this.marginShortfall(price, wallet);
      if (this.isLiquidatable(shortfall)) {
        this.lastShortfall = shortfall;
        return k + 1;
      }
      if (screen) this.setSafeBand(price, wallet, shortfall);
    }
    return 0;
  }

  /**
   * The loop of {@link simulatePath} for one or two assets inside the safe band, with the log
   * prices in locals (the general loop over assets costs about five times as much per step): moves
   * `x` through grid points k, k + 1, … (the same arithmetic, so the same values) and returns the
   * first one outside the band, with `x` at that point, or `steps` when the path stays inside.
   */
  private walkInBand(k: number, mix: number): number {
    const { n, steps, chol, drift, stepVol, shocks, x, lo, hi } = this;
    const two = n === 2;
    // A single asset is the first of two, the second frozen at 0 with an unbounded band.
    const [l00, l10, l11] = [chol[0] as number, two ? (chol[2] as number) : 0, two ? (chol[3] as number) : 0];
    const [drift0, drift1] = [drift[0] as number, two ? (drift[1] as number) : 0];
    const [vol0, vol1] = [stepVol[0] as number, two ? (stepVol[1] as number) : 0];
    const [lo0, hi0] = [lo[0] as number, hi[0] as number];
    const [lo1, hi1] = two
      ? [lo[1] as number, hi[1] as number]
      : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    let x0 = x[0] as number;
    let x1 = two ? (x[1] as number) : 0;
    let step = k;
    for (; step < steps; step++) {
      const z0 = shocks[step * n] as number;
      const z1 = shocks[step * n + n - 1] as number;
      x0 = x0 + drift0 + vol0 * (l00 * z0 * mix);
      x1 = x1 + drift1 + vol1 * ((l10 * z0 + l11 * z1) * mix);
      if (x0 > hi0 || x0 < lo0 || x1 > hi1 || x1 < lo1) break;
    }
    x[0] = x0;
    if (two) x[1] = x1;
    return step;
  }

  /**
   * The band of log prices around the current ones (`x`, prices `prices`, shortfall g₀ < 0) inside
   * which the account is provably not liquidatable, so that {@link simulatePath} can skip the
   * exponentials and the margin sum at grid points inside it. The shortfall
   * g(S) = Σ (Nⱼ·mmr_τ − cum_τ + fee·Nⱼ − qⱼ(S − Eⱼ)) − W is continuous and piecewise linear in
   * each price, with slope at most Uᵢ = Σ_{j on i} (|qⱼ|(max mmr + fee) − qⱼ) upwards and at least
   * −Dᵢ, Dᵢ = Σ (qⱼ − |qⱼ|(min mmr + fee)), downwards; so g(S) ≤ g₀ + Σᵢ bᵢ while each price moves
   * by at most bᵢ/Uᵢ up and bᵢ/Dᵢ down, i.e. its log by at most ln(1 + bᵢ/(UᵢSᵢ)) up and
   * −ln(1 − bᵢ/(DᵢSᵢ)) down. The budget Σ bᵢ = −g₀ less a round-off slack of 1e-12 of the
   * magnitudes summed (≈ 10⁴ times the rounding of the sum) and less the tables' maintenance jumps
   * (rounded `cum`, {@link maintenanceJumps}), shared equally; moves are capped at
   * ±1 in log so the magnitudes stay within e of those at the band's centre. Inside the band the
   * computed shortfall is negative, so the outcome of every path is the same as with the check at
   * every grid point.
   */
  private setSafeBand(prices: Float64Array, wallet: number, shortfall: number): void {
    const { n, x, lo, hi, upSlope, downSlope } = this;
    let magnitude = Math.abs(wallet);
    let constrained = 0;
    for (let j = 0; j < this.posQty.length; j++) {
      const s = prices[this.posAsset[j] as number] as number;
      magnitude +=
        Math.abs(this.posQty[j] as number) * (3 * s + (this.posEntry[j] as number)) +
        (this.cumMax[j] as number);
    }
    for (let i = 0; i < n; i++) if ((upSlope[i] as number) > 0 || (downSlope[i] as number) > 0) constrained++;
    const budget = (-shortfall - Math.E * 1e-12 * magnitude - this.jumps) * (1 - 1e-9);
    const b = budget / Math.max(1, constrained);
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      if (!(budget > 0)) {
        lo[i] = Number.POSITIVE_INFINITY;
        hi[i] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const s = prices[i] as number;
      const up = upSlope[i] as number;
      const down = downSlope[i] as number;
      hi[i] = xi + (up > 0 ? Math.min(1, Math.log1p(b / (up * s))) : 1);
      lo[i] = xi - (down > 0 && b < down * s ? Math.min(1, -Math.log1p(-b / (down * s))) : 1);
    }
  }

  private readonly normal = normalSampler();

  private isLiquidatable(shortfall: number): boolean {
    return this.atEquality ? shortfall >= 0 : shortfall > 0;
  }

  /** Funding paid over one step at `prices`: `Σ qᵢ·Sᵢ·fᵢ·Δ`. */
  private fundingPayment(prices: Float64Array): number {
    let paid = 0;
    for (let j = 0; j < this.posQty.length; j++) {
      const f = this.posFunding[j] as number;
      if (f !== 0) paid += (this.posQty[j] as number) * (prices[this.posAsset[j] as number] as number) * f;
    }
    return paid * this.dtYears;
  }

  /** Maintenance margin + fee to close − equity at `prices` with wallet balance `wallet` (≥ 0 means liquidatable at equality). */
  private marginShortfall(prices: Float64Array, wallet: number): number {
    const { floors, mmr, cum } = this.tiers;
    let equity = wallet;
    let mm = 0;
    for (let j = 0; j < this.posQty.length; j++) {
      const s = prices[this.posAsset[j] as number] as number;
      const q = this.posQty[j] as number;
      const notional = Math.abs(q) * s;
      equity += q * (s - (this.posEntry[j] as number));
      const t =
        notional >= (floors[(this.tiers.start[j] as number) + 1] as number)
          ? flatTierIndex(this.tiers, j, notional)
          : (this.tiers.start[j] as number);
      mm += notional * (mmr[t] as number) - (cum[t] as number);
    }
    return this.closeFeeRate === 0 ? mm - equity : mm + this.closeFees(prices, equity) - equity;
  }

  /**
   * The fee to close of every asset's positions at that asset's bankruptcy price, others at `prices`
   * (src/margin/group.ts `closeFees` for linear positions grouped by asset): `fee·U_a·B_a` with
   * `B_a = −(c_a − Σ q·entry)/(Σ q − fee·U_a)`, `c_a = equity − PnL_a`; 0 where `B_a ≤ 0`, and
   * `fee·U_a·S_a` for a hedged asset or legs that offset.
   */
  private closeFees(prices: Float64Array, equity: number): number {
    const fee = this.closeFeeRate;
    this.assetQty.fill(0);
    this.assetCost.fill(0);
    this.assetUnits.fill(0);
    this.assetPnl.fill(0);
    this.assetSides.fill(0);
    for (let j = 0; j < this.posQty.length; j++) {
      const a = this.posAsset[j] as number;
      const q = this.posQty[j] as number;
      const entry = this.posEntry[j] as number;
      this.assetQty[a] = (this.assetQty[a] as number) + q;
      this.assetCost[a] = (this.assetCost[a] as number) + q * entry;
      this.assetUnits[a] = (this.assetUnits[a] as number) + Math.abs(q);
      this.assetPnl[a] = (this.assetPnl[a] as number) + q * ((prices[a] as number) - entry);
      this.assetSides[a] = (this.assetSides[a] as number) | (q > 0 ? 1 : 2);
    }
    let total = 0;
    for (let a = 0; a < this.n; a++) {
      const units = this.assetUnits[a] as number;
      if (units === 0) continue;
      const d = (this.assetQty[a] as number) - fee * units;
      if (this.assetSides[a] === 3 || d === 0) {
        total += fee * units * (prices[a] as number);
        continue;
      }
      const bankruptcy = -(equity - (this.assetPnl[a] as number) - (this.assetCost[a] as number)) / d;
      if (bankruptcy > 0) total += fee * units * bankruptcy;
    }
    return total;
  }
}

/**
 * The sum of the jumps of a table's maintenance margin `N·mmr_τ − cum_τ` at its floors: 0 when
 * every `cum` follows the continuity recurrence, at most the rounding that `validateTierTable`
 * (src/margin/tiers.ts) tolerates in published `cum` values otherwise.
 */
function maintenanceJumps(table: TierTable): number {
  let total = 0;
  for (let k = 1; k < table.length; k++) {
    const below = table[k - 1] as TierTable[number];
    const tier = table[k] as TierTable[number];
    total += Math.abs(tier.notionalFloor * (tier.mmr - below.mmr) - (tier.cum - below.cum));
  }
  return total;
}

/**
 * The tier table of a position: its `tiers`, or the one-tier table of its flat `mmr`
 * (exactly one of the two must be given).
 */
function positionTiers(p: CrossPosition, field: string): TierTable {
  if ((p.mmr === undefined) === (p.tiers === undefined)) {
    throw new InputError(
      field,
      p,
      "needs exactly one of mmr and tiers",
      "Give a flat maintenance rate `mmr` or a tier table `tiers`.",
    );
  }
  if (p.tiers !== undefined) return p.tiers;
  const mmr = readNumber(p.mmr, `${field}.mmr`, {
    min: 0,
    max: 1,
    fix: "Pass the maintenance margin rate as a fraction below 1, e.g. 0.005.",
  });
  if (mmr === 1) throw new InputError(`${field}.mmr`, mmr, "must be below 1", "Pass e.g. 0.005.");
  return [
    {
      notionalFloor: 0,
      notionalCap: Number.POSITIVE_INFINITY,
      mmr,
      cum: 0,
      maxLeverage: 1 / Math.max(mmr, 1e-12),
    },
  ];
}

/** P(liquidation) of a cross account: the registry entry of the pool. */
export const crossAccountSimulation: Simulation<
  CrossAccountSpec,
  CrossAccountEvaluator,
  CrossAccountTally,
  CrossAccountEstimate
> = {
  create: (spec) => new CrossAccountEvaluator(spec),
  tally: crossAccountTally,
  estimate: (outcome, evaluator) => ({
    ...firstPassageEstimate(outcome, evaluator, false),
    meanMarginShortfall: meanOrNaN(outcome.tally.marginShortfall),
  }),
};

/**
 * Single-threaded Monte Carlo probability that a cross account is liquidated within the grid's
 * horizon (monitored at the grid points), with the mean margin shortfall at liquidation
 * (maintenance margin + fee to close − equity, quote currency); `bridge` is false.
 */
export function simulateCrossAccount(spec: CrossAccountSpec, control: RunControl): CrossAccountEstimate {
  return runSimulation(crossAccountSimulation, spec, control);
}

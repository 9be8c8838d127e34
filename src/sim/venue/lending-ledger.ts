/**
 * The ledger of a simulated lending market (Aave v3 style): every movement is double-entry, per asset
 * in token units and for the liquidators' cash in USD (docs/assumptions.md, "Lending engine").
 *
 * - Collateral tokens of asset a: `borrowers + treasury + market = start` (a liquidation moves the
 *   seized tokens from the borrowers to the treasury, its protocol fee, and to the market, the
 *   liquidator's share that it sells at once).
 * - Debt tokens of asset a: `outstanding + repaid + deficit = start` (a liquidation repays part; the
 *   Aave v3.3 deficit writes off what is left when the collateral is gone).
 * - Cash (USD): `liquidators + market + gas = 0` (the liquidator buys the debt tokens it repays from
 *   the market, sells the collateral it receives to the market, and pays gas).
 */

/** Balances and flows of one path; {@link LendingLedger.reset} restores the start without allocating. */
export class LendingLedger {
  /** Collateral held by the borrowers, tokens per asset. */
  readonly borrowerCollateral: Float64Array;
  /** Protocol fees on the bonus, tokens per asset (the treasury's share of the seized collateral). */
  readonly treasury: Float64Array;
  /** Seized collateral the liquidators sold, tokens per asset. */
  readonly sold: Float64Array;
  /** Debt still owed, tokens per asset. */
  readonly outstandingDebt: Float64Array;
  /** Debt repaid by liquidators, tokens per asset. */
  readonly repaid: Float64Array;
  /** Debt written off to the reserve's deficit (Aave v3.3), tokens per asset. */
  readonly deficit: Float64Array;
  /** Start balances, tokens per asset. */
  readonly startCollateral: Float64Array;
  readonly startDebt: Float64Array;
  /** The liquidators' cash (USD): sale proceeds − debt bought − gas. */
  liquidatorCashUsd = 0;
  /** The outside market's cash (USD): debt tokens sold − collateral bought. */
  marketCashUsd = 0;
  /** Gas paid (USD), the block builders' side. */
  gasUsd = 0;

  constructor(assets: number) {
    this.borrowerCollateral = new Float64Array(assets);
    this.treasury = new Float64Array(assets);
    this.sold = new Float64Array(assets);
    this.outstandingDebt = new Float64Array(assets);
    this.repaid = new Float64Array(assets);
    this.deficit = new Float64Array(assets);
    this.startCollateral = new Float64Array(assets);
    this.startDebt = new Float64Array(assets);
  }

  /** Sets the start balances (tokens per asset) and clears every flow. */
  reset(collateral: Float64Array, debt: Float64Array): void {
    this.startCollateral.set(collateral);
    this.startDebt.set(debt);
    this.borrowerCollateral.set(collateral);
    this.outstandingDebt.set(debt);
    this.treasury.fill(0);
    this.sold.fill(0);
    this.repaid.fill(0);
    this.deficit.fill(0);
    this.liquidatorCashUsd = 0;
    this.marketCashUsd = 0;
    this.gasUsd = 0;
  }

  /**
   * One liquidation call: `seized` tokens of collateral `c` leave the borrower (`fee` to the treasury,
   * the rest sold to the market for `proceedsUsd`), `repaid` tokens of debt `d` are repaid with tokens
   * the liquidator bought for `costUsd`, and the liquidator pays `gasUsd`.
   */
  liquidate(
    c: number,
    seized: number,
    fee: number,
    proceedsUsd: number,
    d: number,
    repaid: number,
    costUsd: number,
    gasUsd: number,
  ): void {
    this.borrowerCollateral[c] = (this.borrowerCollateral[c] as number) - seized;
    this.treasury[c] = (this.treasury[c] as number) + fee;
    this.sold[c] = (this.sold[c] as number) + (seized - fee);
    this.outstandingDebt[d] = (this.outstandingDebt[d] as number) - repaid;
    this.repaid[d] = (this.repaid[d] as number) + repaid;
    this.liquidatorCashUsd += proceedsUsd - costUsd - gasUsd;
    this.marketCashUsd += costUsd - proceedsUsd;
    this.gasUsd += gasUsd;
  }

  /** The Aave v3.3 deficit: `amount` tokens of debt `d` written off (outstanding → deficit). */
  writeOff(d: number, amount: number): void {
    this.outstandingDebt[d] = (this.outstandingDebt[d] as number) - amount;
    this.deficit[d] = (this.deficit[d] as number) + amount;
  }

  /**
   * The largest relative imbalance of the three identities (per asset against its start, cash
   * against the gross cash flow); 0 up to rounding.
   */
  imbalance(): number {
    let worst = 0;
    for (let a = 0; a < this.startCollateral.length; a++) {
      const c0 = this.startCollateral[a] as number;
      const c =
        (this.borrowerCollateral[a] as number) + (this.treasury[a] as number) + (this.sold[a] as number);
      if (c0 > 0) worst = Math.max(worst, Math.abs(c - c0) / c0);
      const d0 = this.startDebt[a] as number;
      const d =
        (this.outstandingDebt[a] as number) + (this.repaid[a] as number) + (this.deficit[a] as number);
      if (d0 > 0) worst = Math.max(worst, Math.abs(d - d0) / d0);
    }
    const gross = Math.abs(this.liquidatorCashUsd) + Math.abs(this.marketCashUsd) + this.gasUsd;
    const cash = this.liquidatorCashUsd + this.marketCashUsd + this.gasUsd;
    return gross > 0 ? Math.max(worst, Math.abs(cash) / gross) : worst;
  }
}

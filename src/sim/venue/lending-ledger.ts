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
 *
 * Under Compound III (lending-procedure-comet.ts) `absorb` moves an account's collateral to the
 * protocol (`protocolHeld`, a fourth term of the collateral identity) and its debt to `absorbed` (a
 * fourth term of the debt identity); the base reserves pay for it:
 * - Reserves (base tokens): `reserves + paidOut + rewards − storeFront = startReserves`, and
 *   `paidOut = absorbed debt + credit` (the debt wiped plus the excess credited to the account);
 * - the store-front sale moves `protocolHeld` to `sold` and base from the buyer into `storeFront`.
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
  /** Compound III: seized collateral the protocol holds, tokens per asset. */
  readonly protocolHeld: Float64Array;
  /** Compound III: debt wiped by `absorb`, tokens per asset. */
  readonly absorbed: Float64Array;
  /** Compound III: base reserves (base tokens; negative is the protocol's deficit) and their start. */
  reserves = 0;
  startReserves = 0;
  /** Compound III: base paid out of reserves by `absorb` (debt wiped + credit). */
  paidOut = 0;
  /** Compound III: base credited to absorbed accounts whose collateral exceeded their debt. */
  credit = 0;
  /** Compound III: absorb rewards paid out of reserves (base tokens). */
  rewards = 0;
  /** Compound III: base received by `buyCollateral`. */
  storeFront = 0;

  constructor(assets: number) {
    this.borrowerCollateral = new Float64Array(assets);
    this.treasury = new Float64Array(assets);
    this.sold = new Float64Array(assets);
    this.outstandingDebt = new Float64Array(assets);
    this.repaid = new Float64Array(assets);
    this.deficit = new Float64Array(assets);
    this.startCollateral = new Float64Array(assets);
    this.startDebt = new Float64Array(assets);
    this.protocolHeld = new Float64Array(assets);
    this.absorbed = new Float64Array(assets);
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
    this.protocolHeld.fill(0);
    this.absorbed.fill(0);
    this.liquidatorCashUsd = 0;
    this.marketCashUsd = 0;
    this.gasUsd = 0;
    this.resetReserves(0);
  }

  /** Compound III: the start reserves (base tokens) and no reserve flows. */
  resetReserves(reserves: number): void {
    this.reserves = reserves;
    this.startReserves = reserves;
    this.paidOut = 0;
    this.credit = 0;
    this.rewards = 0;
    this.storeFront = 0;
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

  /** Compound III `absorb`: `amount` tokens of collateral `c` from the borrower to the protocol. */
  seize(c: number, amount: number): void {
    this.borrowerCollateral[c] = (this.borrowerCollateral[c] as number) - amount;
    this.protocolHeld[c] = (this.protocolHeld[c] as number) + amount;
  }

  /**
   * Compound III `absorb`: `debt` tokens of base asset `b` wiped and `credit` base credited to the
   * account, both paid out of reserves; the absorber pays `gasUsd` and gets `reward` base out of
   * reserves, which it sells at `basePriceUsd`.
   */
  absorb(
    b: number,
    debt: number,
    credit: number,
    reward: number,
    basePriceUsd: number,
    gasUsd: number,
  ): void {
    this.outstandingDebt[b] = (this.outstandingDebt[b] as number) - debt;
    this.absorbed[b] = (this.absorbed[b] as number) + debt;
    this.reserves -= debt + credit + reward;
    this.paidOut += debt + credit;
    this.credit += credit;
    this.rewards += reward;
    const rewardUsd = reward * basePriceUsd;
    this.liquidatorCashUsd += rewardUsd - gasUsd;
    this.marketCashUsd -= rewardUsd;
    this.gasUsd += gasUsd;
  }

  /**
   * Compound III `buyCollateral`: `amount` tokens of collateral `c` leave the protocol for `base`
   * base tokens into reserves; the buyer bought that base for `costUsd`, sells the collateral to the
   * market for `proceedsUsd` and pays `gasUsd`.
   */
  buyCollateral(
    c: number,
    amount: number,
    base: number,
    costUsd: number,
    proceedsUsd: number,
    gasUsd: number,
  ): void {
    this.protocolHeld[c] = (this.protocolHeld[c] as number) - amount;
    this.sold[c] = (this.sold[c] as number) + amount;
    this.reserves += base;
    this.storeFront += base;
    this.liquidatorCashUsd += proceedsUsd - costUsd - gasUsd;
    this.marketCashUsd += costUsd - proceedsUsd;
    this.gasUsd += gasUsd;
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
        (this.borrowerCollateral[a] as number) +
        (this.treasury[a] as number) +
        (this.sold[a] as number) +
        (this.protocolHeld[a] as number);
      if (c0 > 0) worst = Math.max(worst, Math.abs(c - c0) / c0);
      const d0 = this.startDebt[a] as number;
      const d =
        (this.outstandingDebt[a] as number) +
        (this.repaid[a] as number) +
        (this.deficit[a] as number) +
        (this.absorbed[a] as number);
      if (d0 > 0) worst = Math.max(worst, Math.abs(d - d0) / d0);
    }
    worst = Math.max(worst, this.reserveImbalance());
    const gross = Math.abs(this.liquidatorCashUsd) + Math.abs(this.marketCashUsd) + this.gasUsd;
    const cash = this.liquidatorCashUsd + this.marketCashUsd + this.gasUsd;
    return gross > 0 ? Math.max(worst, Math.abs(cash) / gross) : worst;
  }

  /** Compound III: the reserve identities' relative imbalance (0 when no reserve moved). */
  private reserveImbalance(): number {
    const gross = Math.abs(this.startReserves) + this.paidOut + this.rewards + this.storeFront;
    if (!(gross > 0)) return 0;
    const flow = this.reserves + this.paidOut + this.rewards - this.storeFront - this.startReserves;
    let absorbed = 0;
    for (let a = 0; a < this.absorbed.length; a++) absorbed += this.absorbed[a] as number;
    return Math.max(Math.abs(flow), Math.abs(this.paidOut - absorbed - this.credit)) / gross;
  }
}

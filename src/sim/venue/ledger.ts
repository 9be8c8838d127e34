/**
 * The cash ledger of a simulated perp venue: every movement is double-entry between five balances
 * (USD) — the accounts' collateral (isolated margins and the cash of accounts whose position was
 * closed by ADL), the insurance fund, the backstop liquidator vault (Hyperliquid's HLP; 0 on a
 * Binance-like venue), the market (the outside counterparties of the fills), the uncovered loss
 * (bad debt that neither the fund nor ADL covered, which the venue bears), the liquidator agents'
 * premiums (a flow out of the venue; 0 without agents; under Drift's procedure the liquidators' fees
 * and the PnL of their unwinding), the funding socialization account (Drift's procedure: the loss
 * a bankruptcy leaves after the fund, advanced to the bankrupt account and recovered from the open
 * positions through the cumulative funding rate; 0 between steps) and the GM pool (GMX v2: the LPs,
 * every trader's counterparty; 0 otherwise). Their sum never changes:
 * `collateral + fund + vault + market + uncovered + liquidators + funding + pool = start total`
 * (docs/assumptions.md item 41).
 */

/** Balances and cumulative flows of one path; reset between paths. */
export class VenueLedger {
  /** Σ collateral + fund at the start (market and uncovered start at 0). */
  startTotalUsd = 0;
  collateralUsd = 0;
  fundUsd = 0;
  /** The backstop liquidator vault: its capital plus the result of the positions it took over. */
  vaultUsd = 0;
  marketUsd = 0;
  /** Bad debt left after the fund and ADL (≤ 0: the venue's loss). */
  uncoveredUsd = 0;
  /** Margins taken over from liquidated accounts (collateral → fund). */
  seizedMarginUsd = 0;
  /** Σ realized PnL of the liquidation fills (market → fund; negative when the fund paid). */
  fillPnlUsd = 0;
  /** Σ ADL haircuts (the winners' realized PnL that went to the fund instead). */
  haircutUsd = 0;
  /** Σ premiums the fund paid the liquidator agents (fund → liquidators; ≥ 0). */
  liquidatorsUsd = 0;
  /** The funding socialization account (Drift's procedure): negative while a loss awaits its funding charge. */
  fundingUsd = 0;
  /** The GM pool (GMX v2 procedure): its capital plus the traders' losses, less their profits. */
  poolUsd = 0;

  /**
   * Starts a path with `collateralUsd` of margins, `fundUsd` in the fund, `vaultUsd` in the vault and
   * `poolUsd` in the GM pool.
   */
  reset(collateralUsd: number, fundUsd: number, vaultUsd = 0, poolUsd = 0): void {
    this.startTotalUsd = collateralUsd + fundUsd + vaultUsd + poolUsd;
    this.poolUsd = poolUsd;
    this.collateralUsd = collateralUsd;
    this.fundUsd = fundUsd;
    this.vaultUsd = vaultUsd;
    this.marketUsd = 0;
    this.uncoveredUsd = 0;
    this.seizedMarginUsd = 0;
    this.fillPnlUsd = 0;
    this.haircutUsd = 0;
    this.liquidatorsUsd = 0;
    this.fundingUsd = 0;
  }

  /** Take-over: the account's margin `m` goes to the fund (collateral −m, fund +m). */
  seize(m: number): void {
    this.collateralUsd -= m;
    this.fundUsd += m;
    this.seizedMarginUsd += m;
  }

  /**
   * A liquidation fill closing `s` base units of a taken-over position of entry E at price F: the
   * realized PnL `s·(F − E)` passes between the market and the fund (market −pnl, fund +pnl).
   */
  fill(pnl: number): void {
    this.marketUsd -= pnl;
    this.fundUsd += pnl;
    this.fillPnlUsd += pnl;
  }

  /**
   * An ADL haircut `x`: the winner's closed share realizes its PnL `x` from the market, and the
   * haircut hands it to the fund instead of the winner's collateral (market −x, fund +x; the
   * winner's collateral is unchanged, its equity falls by x).
   */
  haircut(x: number): void {
    this.marketUsd -= x;
    this.fundUsd += x;
    this.haircutUsd += x;
  }

  /**
   * A contract-space ADL transfer `x`: a counterparty whose matched contracts closed at the bankrupt
   * position's bankruptcy price instead of the mark (their PnL at the mark booked by {@link realize})
   * hands the difference to the fund (collateral −x, fund +x).
   */
  adlTransfer(x: number): void {
    this.collateralUsd -= x;
    this.fundUsd += x;
    this.haircutUsd += x;
  }

  /** The premium `x` a liquidator agent earns on a fill, paid by the fund (fund −x, liquidators +x). */
  premium(x: number): void {
    this.fundUsd -= x;
    this.liquidatorsUsd += x;
  }

  /** A negative fund `r = −fund > 0` left after ADL is written off to the uncovered loss (fund +r, uncovered −r). */
  absorb(r: number): void {
    this.fundUsd += r;
    this.uncoveredUsd -= r;
  }

  /** Backstop take-over: the account's margin `m` goes to the vault (collateral −m, vault +m). */
  seizeToVault(m: number): void {
    this.collateralUsd -= m;
    this.vaultUsd += m;
    this.seizedMarginUsd += m;
  }

  /** A fill of a position the vault took over: its realized PnL passes between the market and the vault. */
  vaultFill(pnl: number): void {
    this.marketUsd -= pnl;
    this.vaultUsd += pnl;
    this.fillPnlUsd += pnl;
  }

  /**
   * A market liquidation order (or a bankrupt account's close) of the account's own position: its
   * realized PnL passes between the market and the account's collateral (market −pnl, collateral +pnl).
   */
  realize(pnl: number): void {
    this.marketUsd -= pnl;
    this.collateralUsd += pnl;
  }

  /** The fund pays an account's negative equity `d > 0` (fund −d, collateral +d: the account ends at 0). */
  payBadDebt(d: number): void {
    this.fundUsd -= d;
    this.collateralUsd += d;
  }

  /** A liquidation fee `x` the account pays the fund (dYdX: collateral −x, fund +x). */
  fee(x: number): void {
    this.collateralUsd -= x;
    this.fundUsd += x;
  }

  /** The vault's loss beyond its capital `d = −vault > 0` passes to the fund (fund −d, vault +d). */
  coverVault(d: number): void {
    this.fundUsd -= d;
    this.vaultUsd += d;
  }

  /** Drift's liquidator fee `x` on a transfer, paid by the user (collateral −x, liquidators +x). */
  liquidatorFee(x: number): void {
    this.collateralUsd -= x;
    this.liquidatorsUsd += x;
  }

  /** Drift's insurance-fund fee `x` on a transfer, paid by the user (collateral −x, fund +x). */
  ifFee(x: number): void {
    this.collateralUsd -= x;
    this.fundUsd += x;
  }

  /** A liquidator sells what it took over at the oracle: its PnL `s·(F − P)` against the market (market −pnl, liquidators +pnl). */
  liquidatorFill(pnl: number): void {
    this.marketUsd -= pnl;
    this.liquidatorsUsd += pnl;
  }

  /** A bankrupt account's loss `d` left after the fund, advanced by the funding account (funding −d, collateral +d). */
  advanceFunding(d: number): void {
    this.fundingUsd -= d;
    this.collateralUsd += d;
  }

  /** An open position's share `x` of a socialized loss, charged through funding (collateral −x, funding +x). */
  fundingCharge(x: number): void {
    this.collateralUsd -= x;
    this.fundingUsd += x;
  }

  /** A socialized loss `l` no open position can bear, written off (funding +l, uncovered −l). */
  writeOffFunding(l: number): void {
    this.fundingUsd += l;
    this.uncoveredUsd -= l;
  }

  /**
   * A GMX position closed against the pool: the pool receives `x` of its collateral — the loss, the
   * fees and the impact, less a profit; negative when the pool pays a profit (collateral −x, pool +x).
   */
  toPool(x: number): void {
    this.collateralUsd -= x;
    this.poolUsd += x;
  }

  /** A profit `x` the GM pool pays to an account (an ADL decrease: pool −x, collateral +x). */
  fromPool(x: number): void {
    this.poolUsd -= x;
    this.collateralUsd += x;
  }

  /** `collateral + fund + vault + market + uncovered + liquidators + funding + pool`, equal to {@link startTotalUsd} up to rounding. */
  total(): number {
    return (
      this.collateralUsd +
      this.fundUsd +
      this.vaultUsd +
      this.marketUsd +
      this.uncoveredUsd +
      this.liquidatorsUsd +
      this.fundingUsd +
      this.poolUsd
    );
  }
}

/**
 * The cash ledger of a simulated perp venue: every movement is double-entry between five balances
 * (USD) — the accounts' collateral (isolated margins and the cash of accounts whose position was
 * closed by ADL), the insurance fund, the backstop liquidator vault (Hyperliquid's HLP; 0 on a
 * Binance-like venue), the market (the outside counterparties of the fills), the uncovered loss
 * (bad debt that neither the fund nor ADL covered, which the venue bears) and the liquidator agents'
 * premiums (a flow out of the venue; 0 without agents). Their sum never changes:
 * `collateral + fund + vault + market + uncovered + liquidators = start total` (docs/assumptions.md item 41).
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

  /** Starts a path with `collateralUsd` of margins, `fundUsd` in the fund and `vaultUsd` in the vault. */
  reset(collateralUsd: number, fundUsd: number, vaultUsd = 0): void {
    this.startTotalUsd = collateralUsd + fundUsd + vaultUsd;
    this.collateralUsd = collateralUsd;
    this.fundUsd = fundUsd;
    this.vaultUsd = vaultUsd;
    this.marketUsd = 0;
    this.uncoveredUsd = 0;
    this.seizedMarginUsd = 0;
    this.fillPnlUsd = 0;
    this.haircutUsd = 0;
    this.liquidatorsUsd = 0;
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

  /** The vault's loss beyond its capital `d = −vault > 0` passes to the fund (fund −d, vault +d). */
  coverVault(d: number): void {
    this.fundUsd -= d;
    this.vaultUsd += d;
  }

  /** `collateral + fund + vault + market + uncovered + liquidators`, equal to {@link startTotalUsd} up to rounding. */
  total(): number {
    return (
      this.collateralUsd +
      this.fundUsd +
      this.vaultUsd +
      this.marketUsd +
      this.uncoveredUsd +
      this.liquidatorsUsd
    );
  }
}

/**
 * A small Vat for the Flipper tests (test/parity/maker-flip.test.ts, test/venues/maker-flip.property.test.ts):
 * DAI and collateral holdings by name, moved by each Flipper call's transfers
 * (src/venues/maker-flip.ts `applyTransfers`), so a test reads balances after a sequence of calls.
 */
import {
  applyTransfers,
  type FlipAuction,
  type FlipHoldings,
  type FlipResult,
} from "../../src/venues/maker-flip.js";

export class FlipLedger {
  holdings: Record<string, FlipHoldings>;
  constructor(initial: Record<string, FlipHoldings> = {}) {
    this.holdings = initial;
  }
  /** Applies the call's transfers and returns the auction it leaves (null once dealt or yanked). */
  apply(r: FlipResult): FlipAuction | null {
    this.holdings = applyTransfers(this.holdings, r.transfers);
    return r.auction;
  }
  /** Credits `amount` DAI to `to` from outside the auction (a test's mint). */
  mint(to: string, amount: bigint): void {
    this.holdings = applyTransfers(this.holdings, [{ asset: "dai", from: "mint", to, amount }]);
  }
  dai(who: string): bigint {
    return this.holdings[who]?.dai ?? 0n;
  }
  gem(who: string): bigint {
    return this.holdings[who]?.gem ?? 0n;
  }
}

/**
 * The rational keeper's reservation, shared by the Maker Flipper keepers (src/sim/flip-keeper.ts) and
 * the perp venue's liquidator agents (src/sim/venue/liquidators.ts): an agent buys an item worth
 * `value` for an outlay `B` only when what it keeps after its costs meets its required margin over
 * the outlay, `value − B − cost ≥ m·B`, that is `B ≤ B* = (value − cost)/(1 + m)`.
 */

/**
 * `B* = (value − cost)/(1 + m)`: the largest outlay for an item worth `value` (same unit) that
 * leaves the margin `m` (a fraction of the outlay) after `cost` (gas, fees, slippage, a risk charge).
 * Negative when the costs exceed the value: no outlay pays. Example: a 50 ETH lot at 100 DAI with 20
 * DAI of gas and a 5 % margin, `B* = (5000 − 20)/1.05 ≈ 4742.86` DAI.
 */
export function keeperReservation(value: number, cost: number, margin: number): number {
  return (value - cost) / (1 + margin);
}

/** Shared fixtures of the Maker day tests (black-thursday.test.ts, black-thursday-clip.test.ts). */
import type { DayKeeper } from "../../../src/sim/venue/maker-day.js";

/** A rational, always-on keeper with ample DAI (1e9), a 5 % margin and 200,000 gas a transaction. */
export const dayKeeper = (name: string, over: Partial<DayKeeper> = {}): DayKeeper => ({
  name,
  capitalDai: 1e9,
  margin: 0.05,
  gasUnits: 200_000,
  maxGasPriceGwei: Number.POSITIVE_INFINITY,
  style: "reservation",
  withdrawsUnderStress: false,
  ...over,
});

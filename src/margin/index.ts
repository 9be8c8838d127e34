export * from "./account.js";
export * from "./batch.js";
export * from "./group.js";
export * from "./lending.js";
export * from "./liquidation.js";
export * from "./position.js";
export * from "./tiers.js";
export type * from "./types.js";
export * from "./whatif.js";

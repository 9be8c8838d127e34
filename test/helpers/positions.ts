import type { TierTable } from "../../src/margin/tiers.js";
import type { Account, ContractKind, MarginMode, Position, PositionSide } from "../../src/margin/types.js";

/** A position for tests: defaults to a linear USDT contract of size 1 per contract at mark = entry. */
export function position(
  tiers: TierTable,
  fields: {
    size: number;
    entryPrice: number;
    markPrice?: number;
    isolatedMargin?: number;
    symbol?: string;
    kind?: ContractKind;
    contractSize?: number;
    positionSide?: PositionSide;
    leverage?: number;
    accruedFunding?: number;
  },
): Position {
  const kind = fields.kind ?? "linear";
  return {
    instrument: {
      symbol: fields.symbol ?? "TEST",
      kind,
      contractSize: fields.contractSize ?? 1,
      marginAsset: kind === "linear" ? "USDT" : "BTC",
    },
    tiers,
    size: fields.size,
    entryPrice: fields.entryPrice,
    markPrice: fields.markPrice ?? fields.entryPrice,
    positionSide: fields.positionSide ?? "BOTH",
    accruedFunding: fields.accruedFunding ?? 0,
    ...(fields.isolatedMargin === undefined ? {} : { isolatedMargin: fields.isolatedMargin }),
    ...(fields.leverage === undefined ? {} : { leverage: fields.leverage }),
  };
}

/** An account for tests. */
export function account(marginMode: MarginMode, walletBalance: number, positions: Position[]): Account {
  return { marginMode, walletBalance, positions };
}

/** A one-tier table with rate `mmr` (cum 0) and an open cap. */
export function flatTiers(mmr: number, maxLeverage = 100): TierTable {
  return [{ notionalFloor: 0, notionalCap: Number.POSITIVE_INFINITY, mmr, cum: 0, maxLeverage }];
}

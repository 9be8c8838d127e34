import { InputError } from "../errors.js";
import { buildTierTable, type TierSpec } from "../margin/tiers.js";
import type { Instrument } from "../margin/types.js";
import {
  readArray,
  readChoice,
  readNumber,
  readOptionalNumber,
  readRecord,
  readString,
} from "../validate.js";
import { readBundledJson } from "./data-files.js";
import type { ListedInstrument } from "./define.js";

/** A bundled venue parameter file, read into instruments and dated tier tables. */
export interface VenueFile {
  asOf: string;
  source: string;
  note: string;
  listed: Map<string, ListedInstrument>;
  aliases: Map<string, string>;
}

/**
 * Reads a liqopt venue file (`data/venues/*.json`): `{asOf, source, note, instruments: [{symbol,
 * aliases, kind, contractSize, marginAsset, tickSize, stepSize, lastCap?, tiers: [{notionalFloor,
 * mmr | maxLeverage, maxLeverage, publishedCum?}]}]}`. Maintenance amounts are derived by the
 * continuity rule and checked against any `publishedCum`. A tier without `mmr` takes
 * `mmr = 1/(2·maxLeverage)` (Hyperliquid: maintenance is half the initial margin at max leverage).
 */
export function readVenueFile(relativePath: string): VenueFile {
  const root = readRecord(readBundledJson(relativePath), relativePath);
  const listed = new Map<string, ListedInstrument>();
  const aliases = new Map<string, string>();
  const asOf = readString(root.asOf, `${relativePath}.asOf`);
  const source = readString(root.source, `${relativePath}.source`);
  readArray(root.instruments, `${relativePath}.instruments`).forEach((raw, i) => {
    const at = `${relativePath}.instruments[${i}]`;
    const r = readRecord(raw, at);
    const symbol = readString(r.symbol, `${at}.symbol`);
    const instrument: Instrument = {
      symbol,
      kind: readChoice(r.kind, `${at}.kind`, ["linear", "inverse"] as const),
      contractSize: readNumber(r.contractSize, `${at}.contractSize`, { min: 0, exclusiveMin: true }),
      marginAsset: readString(r.marginAsset, `${at}.marginAsset`),
      tickSize: readNumber(r.tickSize, `${at}.tickSize`, { min: 0, exclusiveMin: true }),
      stepSize: readNumber(r.stepSize, `${at}.stepSize`, { min: 0, exclusiveMin: true }),
    };
    const specs: (TierSpec & { publishedCum?: number })[] = readArray(r.tiers, `${at}.tiers`).map((t, n) => {
      const tr = readRecord(t, `${at}.tiers[${n}]`);
      const maxLeverage = readNumber(tr.maxLeverage, `${at}.tiers[${n}].maxLeverage`, {
        min: 0,
        exclusiveMin: true,
      });
      const publishedCum = readOptionalNumber(tr.publishedCum, `${at}.tiers[${n}].publishedCum`);
      return {
        notionalFloor: readNumber(tr.notionalFloor, `${at}.tiers[${n}].notionalFloor`, { min: 0 }),
        mmr: readOptionalNumber(tr.mmr, `${at}.tiers[${n}].mmr`, { min: 0, max: 1 }) ?? 1 / (2 * maxLeverage),
        maxLeverage,
        ...(publishedCum === undefined ? {} : { publishedCum }),
      };
    });
    const tiers = buildTierTable(specs);
    specs.forEach((spec, n) => {
      const cum = tiers[n]?.cum ?? 0;
      if (spec.publishedCum !== undefined && Math.abs(spec.publishedCum - cum) > 1e-9 * Math.max(1, cum)) {
        throw new InputError(
          `${at}.tiers[${n}].publishedCum`,
          spec.publishedCum,
          `disagrees with continuity (${cum})`,
          "Fix the floors or rates.",
        );
      }
    });
    const lastCap = readOptionalNumber(r.lastCap, `${at}.lastCap`, { min: 0, exclusiveMin: true });
    const last = tiers[tiers.length - 1];
    if (last !== undefined && lastCap !== undefined)
      tiers[tiers.length - 1] = { ...last, notionalCap: lastCap };
    listed.set(symbol, { instrument, table: { symbol, asOf, source, tiers } });
    for (const alias of r.aliases === undefined ? [] : readArray(r.aliases, `${at}.aliases`)) {
      aliases.set(readString(alias, `${at}.aliases`), symbol);
    }
  });
  return { asOf, source, note: typeof root.note === "string" ? root.note : "", listed, aliases };
}

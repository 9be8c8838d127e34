/**
 * A Maker replay scenario (`liqopt simulate --config`, top-level `"kind": "maker"`): the 2020-03-12
 * Black Thursday day of `black-thursday.ts` with a chosen liquidation mechanism (`"flip"`, the 1.2 English
 * auctions the day was reconciled with, or `"clip"`, the Liquidations 2.0 Dutch auctions of
 * `black-thursday-clip.ts`) and chosen keepers and conditions. Every refusal is an {@link InputError}
 * naming the JSON path and the fix. The format is documented in docs/reference/simulate.md.
 */
import { InputError } from "../../errors.js";
import { readChoice, readNumber, readRecord, withField } from "../../validate.js";
import { BLACK_THURSDAY_DEFAULTS, type BlackThursdayOptions, type KeeperRoster } from "./black-thursday.js";
import { DEBT_AUCTIONS_MARCH_2020, type DebtAuctionSpec } from "./debt-auctions.js";
import type { KeeperConditions } from "./maker-day.js";

/** The replayed Maker events (one so far). */
export const MAKER_EVENTS = ["2020-03-12"] as const;

/** A checked Maker scenario. */
export interface MakerScenario {
  readonly kind: "maker";
  readonly event: (typeof MAKER_EVENTS)[number];
  readonly mechanism: "flip" | "clip";
  /** The day's options: the reconciled defaults with the scenario's keepers, conditions and seed. */
  readonly options: BlackThursdayOptions;
  /** The flop debt auctions that sell the day's bad debt for MKR, when asked (`"debtAuctions"`), else null. */
  readonly debtAuctions: DebtAuctionSpec | null;
}

const ROSTER_FIELDS = [
  "opportunists",
  "gasAware",
  "stock",
  "stockGasCapGwei",
  "capitalDai",
  "margin",
  "gasUnits",
] as const;
const CONDITION_FIELDS = ["gasMultiplier", "txFailure", "withdrawalDrop"] as const;
const TOP = ["kind", "event", "mechanism", "keepers", "conditions", "seed", "debtAuctions"];
const FLOP_FIELDS = [
  "bidders",
  "margin",
  "capitalDai",
  "stepSeconds",
  "gasDai",
  "startingSurplusDai",
] as const;

/** Refuses keys of `r` outside `known`, naming the first (its JSON path is prefixed by the caller). */
function onlyKnown(r: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(r))
    if (!known.includes(key))
      throw new InputError(
        key,
        r[key],
        "is not a field of a Maker scenario",
        `Use ${known.join(", ")} (docs/reference/simulate.md).`,
      );
}

/**
 * Reads and checks a Maker scenario document (parsed JSON):
 * `{ kind: "maker", event?: "2020-03-12", mechanism: "flip" | "clip", keepers?: { opportunists,
 * gasAware, stock, stockGasCapGwei ("Infinity" or gwei), capitalDai, margin, gasUnits,
 * withdrawUnderStress }, conditions?: { gasMultiplier, txFailure, recycleSeconds (null: never),
 * withdrawalDrop }, seed?, debtAuctions?: { bidders, margin, capitalDai, stepSeconds, gasDai,
 * startingSurplusDai, flopper: "1.0" | "1.2" } }`. Omitted keepers, conditions and seed are those of the
 * reconciled day (`BLACK_THURSDAY_DEFAULTS`); omitted debt-auction fields those of March 2020
 * (`DEBT_AUCTIONS_MARCH_2020`); no `debtAuctions`, no debt auctions.
 */
export function readMakerScenario(raw: unknown): MakerScenario {
  const r = readRecord(
    raw,
    "scenario",
    'Pass { "kind": "maker", "mechanism": "flip" }; see examples/venue/.',
  );
  onlyKnown(r, TOP);
  const event = readChoice(r.event ?? "2020-03-12", "event", MAKER_EVENTS);
  const mechanism = readChoice(r.mechanism, "mechanism", ["flip", "clip"] as const);
  const base = BLACK_THURSDAY_DEFAULTS;
  const keepers = readRecord(r.keepers ?? {}, "keepers");
  const roster = withField("keepers", () => readRoster(keepers, base.roster));
  const given = readRecord(r.conditions ?? {}, "conditions");
  const conditions = withField("conditions", () => readConditions(given, base.conditions));
  const seed = readNumber(r.seed ?? base.day.seed, "seed", {
    min: 0,
    max: 2 ** 32 - 1,
    fix: "Give an integer seed, e.g. 20200312.",
  });
  if (!Number.isInteger(seed)) throw new InputError("seed", seed, "must be an integer", "Round it.");
  return {
    kind: "maker",
    event,
    mechanism,
    options: { ...base, day: { ...base.day, seed }, roster, conditions },
    debtAuctions:
      r.debtAuctions === undefined
        ? null
        : withField("debtAuctions", readDebtAuctions.bind(null, readRecord(r.debtAuctions, "debtAuctions"))),
  };
}

/** The debt auctions' keeper model and Flopper release over the March 2020 defaults. */
function readDebtAuctions(r: Record<string, unknown>): DebtAuctionSpec {
  onlyKnown(r, [...FLOP_FIELDS, "flopper"]);
  const base = DEBT_AUCTIONS_MARCH_2020;
  const first = base.bidders[0] as DebtAuctionSpec["bidders"][number];
  const num = (
    key: (typeof FLOP_FIELDS)[number],
    fallback: number,
    rule: { min: number; max?: number; fix: string },
  ) =>
    r[key] === undefined
      ? fallback
      : readNumber(r[key], key, {
          ...rule,
          exclusiveMin: key !== "gasDai" && key !== "startingSurplusDai" && key !== "margin",
        });
  const bidders = num("bidders", base.bidders.length, {
    min: 0,
    max: 100,
    fix: "Give a whole number of MKR bidders, 1 to 100.",
  });
  if (!Number.isInteger(bidders))
    throw new InputError("bidders", bidders, "must be a whole number of bidders", "Round it.");
  const margin = num("margin", first.margin, {
    min: 0,
    max: 0.99,
    fix: "Give the bidders' required discount, e.g. 0.05.",
  });
  const capitalDai = num("capitalDai", first.capitalDai, {
    min: 0,
    fix: "Give each bidder's DAI, e.g. 5000000.",
  });
  const version = readChoice(r.flopper ?? base.flopper.version, "flopper", ["1.0", "1.2"] as const);
  return {
    ...base,
    flopper: { ...base.flopper, version },
    stepSeconds: num("stepSeconds", base.stepSeconds, {
      min: 0,
      max: 86_400,
      fix: "Give the bidders' latency in seconds, e.g. 300.",
    }),
    gasDai: num("gasDai", base.gasDai, { min: 0, fix: "Give the gas of a dent in DAI, e.g. 1." }),
    startingSurplusDai: num("startingSurplusDai", base.startingSurplusDai, {
      min: 0,
      fix: "Give the Vow's surplus before the day in DAI, or 0.",
    }),
    bidders: Array.from({ length: bidders }, (_, i) => ({ name: `keeper-${i + 1}`, margin, capitalDai })),
  };
}

function readRoster(r: Record<string, unknown>, base: KeeperRoster): KeeperRoster {
  onlyKnown(r, [...ROSTER_FIELDS, "withdrawUnderStress"]);
  const out: Record<string, number | boolean> = { ...base };
  for (const key of ROSTER_FIELDS) {
    if (r[key] === undefined) continue;
    out[key] =
      key === "stockGasCapGwei" && r[key] === "Infinity"
        ? Number.POSITIVE_INFINITY
        : readNumber(r[key], key, { min: 0, fix: 'Give a number ≥ 0 (a gas cap may be "Infinity").' });
  }
  for (const key of ["opportunists", "gasAware", "stock"] as const)
    if (!Number.isInteger(out[key]))
      throw new InputError(key, out[key], "must be a whole number of keepers", "Round it.");
  if (r.withdrawUnderStress !== undefined) {
    if (typeof r.withdrawUnderStress !== "boolean")
      throw new InputError(
        "withdrawUnderStress",
        r.withdrawUnderStress,
        "must be true or false",
        "Give a boolean.",
      );
    out.withdrawUnderStress = r.withdrawUnderStress;
  }
  return out as unknown as KeeperRoster;
}

function readConditions(r: Record<string, unknown>, base: KeeperConditions): KeeperConditions {
  onlyKnown(r, [...CONDITION_FIELDS, "recycleSeconds"]);
  const out: Record<string, number | null> = { ...base };
  for (const key of CONDITION_FIELDS)
    if (r[key] !== undefined)
      out[key] = readNumber(r[key], key, {
        min: 0,
        max: key === "gasMultiplier" ? 1e6 : 0.999_999,
        fix:
          key === "gasMultiplier" ? "Give a factor ≥ 0, 1 for the day's gas." : "Give a fraction in [0, 1).",
      });
  if (r.recycleSeconds !== undefined)
    out.recycleSeconds =
      r.recycleSeconds === null
        ? null
        : readNumber(r.recycleSeconds, "recycleSeconds", { min: 0, fix: "Give seconds, or null for never." });
  return out as unknown as KeeperConditions;
}

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
const TOP = ["kind", "event", "mechanism", "keepers", "conditions", "seed"];

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
 * withdrawalDrop }, seed? }`. Omitted keepers, conditions and seed are those of the reconciled day
 * (`BLACK_THURSDAY_DEFAULTS`).
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

/**
 * The kinds of `liqopt simulate` scenario: a perp venue (the default, scenario.ts) or a lending market
 * (`"kind": "lending"`, lending-scenario.ts), told apart by the document's top-level `kind`.
 */
import { InputError } from "../../errors.js";
import { isRecord } from "../../validate.js";
import { type LendingScenario, readLendingScenario } from "./lending-scenario.js";
import { readScenario, type Scenario, type ScenarioFileReader } from "./scenario.js";

/** A checked scenario of either kind. */
export type AnyScenario = { readonly kind: "perp"; readonly scenario: Scenario } | LendingScenario;

/** The scenario kinds a document's `kind` may name (absent: `"perp"`). */
const KINDS = ["perp", "lending"] as const;

/**
 * Reads a scenario document by its `kind`: absent or `"perp"` → {@link readScenario}, `"lending"` →
 * {@link readLendingScenario}; another value is an {@link InputError} naming `kind`.
 */
export function readScenarioOfKind(raw: unknown, readFile: ScenarioFileReader): AnyScenario {
  const kind = isRecord(raw) ? (raw.kind ?? "perp") : "perp";
  switch (kind) {
    case "perp":
      return { kind: "perp", scenario: readScenario(raw, readFile) };
    case "lending":
      return readLendingScenario(raw);
    default:
      throw new InputError(
        "kind",
        kind,
        `must be one of ${KINDS.join(", ")}`,
        'Leave it out for a perp venue, or give "lending".',
      );
  }
}

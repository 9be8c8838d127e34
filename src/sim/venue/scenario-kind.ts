/**
 * The kinds of `liqopt simulate` scenario, told apart by the document's top-level `kind`: a perp venue
 * (the default, scenario.ts), a lending market (`"lending"`, lending-scenario.ts) or Maker's
 * 2020-03-12 replay (`"maker"`, maker-scenario.ts).
 */
import { isRecord, readChoice } from "../../validate.js";
import { type LendingScenario, readLendingScenario } from "./lending-scenario.js";
import { type MakerScenario, readMakerScenario } from "./maker-scenario.js";
import { readScenario, type Scenario, type ScenarioFileReader } from "./scenario.js";

/** A checked scenario of any kind. */
export type AnyScenario =
  | { readonly kind: "perp"; readonly scenario: Scenario }
  | LendingScenario
  | MakerScenario;

/** The scenario kinds a document's `kind` may name (absent: `"perp"`). */
const KINDS = ["perp", "lending", "maker"] as const;

/**
 * Reads a scenario document by its `kind`: absent or `"perp"` → {@link readScenario}, `"lending"` →
 * {@link readLendingScenario}, `"maker"` → {@link readMakerScenario}; another value is an
 * {@link InputError} naming `kind`.
 */
export function readScenarioOfKind(raw: unknown, readFile: ScenarioFileReader): AnyScenario {
  const kind = isRecord(raw) && raw.kind !== undefined ? readChoice(raw.kind, "kind", KINDS) : "perp";
  switch (kind) {
    case "perp":
      return { kind, scenario: readScenario(raw, readFile) };
    case "lending":
      return readLendingScenario(raw, readFile);
    case "maker":
      return readMakerScenario(raw);
  }
}

/**
 * A lending book loaded from a file of account documents (`population: { "file": … }` of a lending
 * scenario): a JSON array, one document or NDJSON, each an account document of the lending venue the
 * scenario runs — `aave-v3` under Aave's procedure, `compound-v3` under Compound III's (its `market`
 * is the scenario's, so the documents leave it out) — read with that venue's own reader
 * (src/venues/lending/) and turned into the engine's {@link FloatBook} through the documents' float
 * views (amounts in tokens, the venue's liquidation thresholds). Errors name the account index and
 * the field, e.g. `accounts[3].debt[0].amount`.
 */
import { InputError } from "../../errors.js";
import type { LendingAccount } from "../../margin/lending.js";
import { isRecord, withField } from "../../validate.js";
import { type FloatBook, floatBookOf } from "../../venues/aave-v3/float-view.js";
import { aaveV3Lending } from "../../venues/lending/aave-v3.js";
import { resolveCompoundDocument } from "../../venues/lending/compound-v3.js";
import { parseDocuments } from "./population.js";

/**
 * The book of the documents in `text`, in file order, over the assets `symbols` (the scenario's, in
 * its order). `comet`: the scenario runs Compound III, with this market document (`undefined`: the
 * cUSDCv3 launch market); absent: Aave v3. Throws an {@link InputError} naming `accounts[i]…`.
 */
export function loadLendingBook(
  text: string,
  symbols: readonly string[],
  comet?: { readonly market: unknown },
): FloatBook {
  const venue = comet === undefined ? "aave-v3" : "compound-v3";
  const views = parseDocuments(text).map((raw, i): LendingAccount => {
    const at = `accounts[${i}]`;
    if (!isRecord(raw) || raw.venue !== venue)
      throw new InputError(
        `${at}.venue`,
        isRecord(raw) ? raw.venue : raw,
        `must be "${venue}" (the scenario's procedure)`,
        `Give ${venue} account documents; see examples/lending/${venue}-account.json.`,
      );
    if (comet === undefined) return withField(at, () => aaveV3Lending.resolve(raw).lending);
    if (raw.market !== undefined)
      throw new InputError(
        `${at}.market`,
        raw.market,
        "does not apply in a scenario",
        "Leave it out: market.procedure.market is every account's market.",
      );
    const doc = comet.market === undefined ? raw : { ...raw, market: comet.market };
    return withField(at, () => resolveCompoundDocument(doc).lending);
  });
  if (views.length === 0)
    throw new InputError("accounts", 0, "must hold at least one account", "List the accounts.");
  return floatBookOf(views, symbols);
}

/**
 * One error for every call a venue's contracts or chain would refuse, and one convention for it:
 * the exact engines (Aave v3 `liquidationCall` and `validateBorrow`, Compound v3 Comet, Maker dss,
 * dYdX v4, Drift v2) **throw** a {@link VenueRevertError}; they never return a revert as a result.
 * A caller that reports a revert as an outcome (the `liquidate` report) catches it with
 * {@link isVenueRevert}. Bad parameters are not reverts: they throw an `InputError` naming the field.
 */

/** The venues whose exact engines model reverts. */
export type RevertingVenue = "aave-v3" | "compound-v3" | "maker" | "dydx-v4" | "drift-v2";

/**
 * One step of a venue call, for an analyst to follow (Aave `liquidationCall` records them): the
 * quantity's name as the contract names it, its value, and a note on how it was obtained.
 */
export interface VenueCallStep {
  name: string;
  value: bigint | boolean | string;
  note: string;
}

/** What a {@link VenueRevertError} is built from. */
export interface VenueRevert<Reason extends string = string> {
  venue: RevertingVenue;
  /**
   * The revert as the contract or chain names it: Aave's custom error (`MustNotLeaveDust`), Comet's
   * (`NotLiquidatable`), dss's revert string (`Dog/not-unsafe`), dYdX's error or `panic`, Drift's
   * error code (`MathError`).
   */
  reason: Reason;
  /** What the condition means, in words (empty when the venue's reason speaks for itself). */
  explanation?: string;
  /** The values that triggered it, e.g. `price 12 > max 10`. */
  detail?: string;
  /** The input field the revert is about, when there is one (e.g. `debtToCover`, `deltaQuantums`). */
  field?: string;
  /** The steps the call went through before it reverted (Aave `liquidationCall`), else empty. */
  steps?: readonly VenueCallStep[];
}

/**
 * A call the venue would revert. The message is `reason: explanation (detail)`, `reason: detail`
 * when there is no explanation, or the reason alone when there is neither.
 */
export class VenueRevertError<Reason extends string = string> extends Error {
  readonly venue: RevertingVenue;
  readonly reason: Reason;
  readonly explanation: string;
  readonly detail: string;
  readonly field: string | undefined;
  readonly steps: readonly VenueCallStep[];

  constructor(revert: VenueRevert<Reason>) {
    const explanation = revert.explanation ?? "";
    const detail = revert.detail ?? "";
    const text = explanation === "" ? detail : `${explanation}${detail === "" ? "" : ` (${detail})`}`;
    super(text === "" ? revert.reason : `${revert.reason}: ${text}`);
    this.name = "VenueRevertError";
    this.venue = revert.venue;
    this.reason = revert.reason;
    this.explanation = explanation;
    this.detail = detail;
    this.field = revert.field;
    this.steps = revert.steps ?? [];
  }
}

/**
 * Whether `err` is a revert of `venue` (and, when given, with that `reason`); narrows the reason to the
 * venue's union `Reason`.
 */
export function isVenueRevert<Reason extends string = string>(
  err: unknown,
  venue: RevertingVenue,
  reason?: Reason,
): err is VenueRevertError<Reason> {
  return (
    err instanceof VenueRevertError && err.venue === venue && (reason === undefined || err.reason === reason)
  );
}

/**
 * The revert constructor of one venue: `(reason, detail, field)` → a {@link VenueRevertError} of
 * `venue`, with the explanation of `reason` from `explanations` when the venue has them.
 */
export function revertsOf<Reason extends string>(
  venue: RevertingVenue,
  explanations?: Readonly<Record<Reason, string>>,
): (reason: Reason, detail?: string, field?: string) => VenueRevertError<Reason> {
  return (reason, detail = "", field) =>
    new VenueRevertError({
      venue,
      reason,
      explanation: explanations?.[reason] ?? "",
      detail,
      ...(field === undefined ? {} : { field }),
    });
}

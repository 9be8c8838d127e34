/** The assertion the loader tests share: a load that must be refused with an InputError. */
import assert from "node:assert/strict";
import { InputError } from "../../src/errors.js";

/** Runs `load` and returns the {@link InputError} it must raise (fails on any other outcome). */
export function rejection(load: () => unknown): InputError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error;
  }
  assert.fail("the input was accepted");
}

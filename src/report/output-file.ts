import { writeFileSync } from "node:fs";
import { fileErrorReason, InputError } from "../errors.js";

/**
 * Writes an output file the user named with `option` (a chart, an HTML report). A path that cannot
 * be written (a missing directory, no permission, a read-only file system) is an
 * {@link InputError} on `option` saying why in words ({@link fileErrorReason}) instead of an errno code.
 */
export function writeOutputFile(path: string, data: string | Uint8Array, option: string): void {
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw new InputError(
      option,
      path,
      `cannot be written (${fileErrorReason(err)})`,
      "Pass a path in an existing directory you can write to.",
    );
  }
}

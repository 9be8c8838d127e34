/** The `liqopt` entry point: builds the program for `process.argv` and runs it (src/cli/program.ts). */
import { runGuarded } from "./errors.js";
import { buildProgram } from "./program.js";

await runGuarded(async () => {
  await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
});

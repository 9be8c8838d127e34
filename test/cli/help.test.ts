/**
 * The command table of `src/cli/main.ts`: a bare `liqopt --help` lists every command from the table
 * without loading the command modules, so each listed description must be the one the command's own
 * module registers (shown by `liqopt <command> --help`, which loads it).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { liqopt, ok } from "../helpers/cli.js";

/** Whitespace folded, as help text wraps at 80 columns. */
const fold = (text: string): string => text.replace(/\s+/g, " ").trim();

describe("liqopt --help and the lazily loaded commands", () => {
  test("every listed command shows the same description in its own help", async () => {
    const help = ok(await liqopt(["--help"]));
    const listing = help.slice(help.indexOf("Commands:") + "Commands:".length);
    const entries = [...listing.matchAll(/^ {2}(\S+)(.*?)(?=^ {2}\S|$(?![\s\S]))/gms)]
      .map((m) => ({
        name: m[1] as string,
        description: fold((m[2] as string).replace(/^(\s*(\[[^\]]*\]|<[^>]*>))*/, "")),
      }))
      .filter((e) => e.name !== "help");
    assert.ok(entries.length >= 12, `listed: ${entries.map((e) => e.name).join(", ")}`);
    for (const { name, description } of entries) {
      const own = fold(ok(await liqopt([name, "--help"])));
      assert.ok(own.startsWith(`Usage: liqopt ${name}`), own.slice(0, 80));
      assert.ok(own.includes(description), `${name}: "${description}" not in its own help`);
    }
  });

  test("help for one command by name, and an unknown command with a suggestion", async () => {
    assert.match(ok(await liqopt(["help", "liq-price"])), /^Usage: liqopt liq-price/);
    const r = await liqopt(["liq-prise"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'liq-prise'.*Did you mean liq-price\?/);
  });
});

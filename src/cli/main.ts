import { readFileSync } from "node:fs";
import { Command } from "@commander-js/extra-typings";
import { registerBook } from "./book.js";
import { registerData } from "./data-inspect.js";
import { runGuarded } from "./errors.js";
import { registerFunding } from "./funding.js";
import { registerImplied } from "./implied.js";
import { registerLiqPrice } from "./liq-price.js";
import { registerLiquidate } from "./liquidate.js";
import { registerMechanism } from "./mechanism.js";
import { registerTrader } from "./trader.js";
import { registerBacktestVar, registerVar } from "./var.js";
import { registerVenues } from "./venues.js";
import { registerVol } from "./vol.js";
import { registerWhatIf } from "./what-if.js";

/** The package version, read from package.json (two levels up from src/cli and dist/cli). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/**
 * The `liqopt` program: account commands (`liq-price`, `what-if`, `liquidate`, `venues`, `trader`) and
 * market commands (`vol`, `var`, `backtest-var`, `book`, `funding`, `implied`, `data`). Commander's errors are not printed
 * nor turned into `process.exit` here: they are thrown, and `runGuarded` reports them
 * (`liqopt: error: …`, exit code 2) like every other input error.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name("liqopt")
    .description(
      "Liquidation prices, margin, what-ifs and liquidation outcomes for perpetual-futures and lending accounts; volatility, VaR/ES, order-book liquidity, funding and the trader's liquidation probability and thresholds.",
    )
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  registerLiqPrice(program);
  registerWhatIf(program);
  registerLiquidate(program);
  registerVenues(program);
  registerTrader(program);
  registerVol(program);
  registerVar(program);
  registerBacktestVar(program);
  registerBook(program);
  registerFunding(program);
  registerImplied(program);
  registerData(program);
  registerMechanism(program);
  return program;
}

await runGuarded(async () => {
  await buildProgram().parseAsync(process.argv);
});

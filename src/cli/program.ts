/**
 * The `liqopt` program and its command table, apart from the entry point (`main.ts`) that runs it
 * on `process.argv`, so that a test can build and run it in-process (test/fuzz/).
 */
import { readFileSync } from "node:fs";
import { Command, type Help } from "@commander-js/extra-typings";

/** Adds one command (or a family of subcommands) to the program: each command module's `register…`. */
type Register = (program: Command) => void;

/**
 * The commands in help order: the term help shows (name, `[options]`, arguments), the one-line
 * description, and the `register` function of the command's module, imported only when that command
 * runs (so that `liqopt --help` does not load the library). Adding a command is one line here; the
 * description must match the one its module registers (test/cli/help.test.ts checks).
 */
const COMMANDS: readonly [term: string, description: string, load: () => Promise<Register>][] = [
  [
    "liq-price [options]",
    "liquidation and bankruptcy price of every position, account margin, liquidation steps",
    async () => (await import("./liq-price.js")).registerLiqPrice,
  ],
  [
    "what-if [options]",
    "liquidation price, equity and maintenance margin before and after one change",
    async () => (await import("./what-if.js")).registerWhatIf,
  ],
  [
    "liquidate [options]",
    "step-by-step outcome of liquidating an account under its venue's procedure",
    async () => (await import("./liquidate.js")).registerLiquidate,
  ],
  [
    "venues [options] [id]",
    "list venues, show a venue's rules, or print one of its tier tables",
    async () => (await import("./venues.js")).registerVenues,
  ],
  [
    "trader [options] [command]",
    "P(liquidation) within a horizon, the leverage and collateral for a target α, and the stop/top-up cost curve",
    async () => (await import("./trader.js")).registerTrader,
  ],
  [
    "simulate [options]",
    "venue simulator: a book of positions under a venue's liquidation engine, insurance fund and ADL, on Monte Carlo paths or a replayed crash",
    async () => (await import("./simulate.js")).registerSimulate,
  ],
  [
    "vol [options]",
    "realized volatility (six estimators), EWMA and a fitted GARCH model on candles",
    async () => (await import("./vol.js")).registerVol,
  ],
  [
    "var [options]",
    "Value-at-Risk and Expected Shortfall of one asset (every model) or of a portfolio of positions",
    async () => (await import("./var.js")).registerVar,
  ],
  [
    "backtest-var [options]",
    "walk-forward VaR/ES backtest of every model: Kupiec, Christoffersen, Basel traffic light, Acerbi–Székely Z2",
    async () => (await import("./var.js")).registerBacktestVar,
  ],
  [
    "book [options]",
    "slippage and cost of closing a position into an L2 order book; depth around the mid",
    async () => (await import("./book.js")).registerBook,
  ],
  [
    "funding [options]",
    "funding-rate statistics and regimes; the funding a position pays and its drag on the margin",
    async () => (await import("./funding.js")).registerFunding,
  ],
  [
    "implied [options]",
    "implied-volatility surface of an option chain: SVI per expiry with arbitrage checks, VIX-style index, DVOL",
    async () => (await import("./implied.js")).registerImplied,
  ],
  [
    "data",
    "bundled market data and file inspection",
    async () => (await import("./data-inspect.js")).registerData,
  ],
  [
    "mechanism",
    "multi-party liquidation mechanisms from a document listing several accounts or calls",
    async () => (await import("./mechanism.js")).registerMechanism,
  ],
  [
    "serve [options]",
    "the HTTP API (OpenAPI at /docs) on one address, until SIGINT or SIGTERM",
    async () => (await import("./serve.js")).registerServe,
  ],
];

/** The command name of a help term (`"venues [options] [id]"` → `"venues"`). */
function commandName(term: string): string {
  return term.split(" ")[0] as string;
}

/**
 * The command an argument list runs: its first operand (`liqopt liq-price …`), or the one help is
 * asked for (`liqopt help liq-price`); undefined for a bare `liqopt`, `--help` or `--version`.
 */
function requestedCommand(args: readonly string[]): string | undefined {
  const operands = args.filter((a) => !a.startsWith("-"));
  return operands[0] === "help" ? operands[1] : operands[0];
}

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
 * market commands (`vol`, `var`, `backtest-var`, `book`, `funding`, `implied`, `data`). Only the
 * command named in `args` (`process.argv` without the node and script paths) is loaded and
 * registered in full; the others are listed by name and description for help, from {@link COMMANDS}.
 * Commander's errors are not printed
 * nor turned into `process.exit` here: they are thrown, and `runGuarded` reports them
 * (`liqopt: error: …`, exit code 2) like every other input error.
 */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command()
    .name("liqopt")
    .description(
      "Liquidation prices, margin, what-ifs and liquidation outcomes for perpetual-futures and lending accounts; volatility, VaR/ES, order-book liquidity, funding and the trader's liquidation probability and thresholds.",
    )
    .version(packageVersion())
    .exitOverride()
    // options of a command only before its subcommand: `trader --candles` and `trader backtest --candles` differ
    .enablePositionalOptions()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  const requested = requestedCommand(args);
  const listed = new Map<unknown, string>();
  for (const [term, description, load] of COMMANDS) {
    if (commandName(term) === requested) (await load())(program);
    else listed.set(program.command(commandName(term)).description(description), term);
  }
  const help = program.createHelp();
  program.configureHelp({
    subcommandTerm: (cmd) => listed.get(cmd) ?? help.subcommandTerm(cmd),
  } satisfies Partial<Help>);
  return program;
}

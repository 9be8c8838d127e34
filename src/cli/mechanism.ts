import type { Command } from "@commander-js/extra-typings";
import {
  type AdlQueueReport,
  adlQueueReport,
  type CometAbsorbBatchReport,
  cometAbsorbBatchReport,
  type DriftLiquidationReport,
  type DydxFillReport,
  driftLiquidationReport,
  dydxFillReport,
  type MakerFlipReport,
  type MakerTakeReport,
  makerFlipReport,
  makerTakeReport,
} from "../venues/mechanisms/index.js";
import { formatNumber, parseJson, readInput, renderTable, toJson, writeOut } from "./io.js";

const num = (x: string | number | null) => formatNumber(x === null ? null : Number(x));

/** The ADL queue as text: the ranking with scores and indicators, the fills, the deficit borne and left. */
export function renderAdlQueue(r: AdlQueueReport): string {
  return [
    `ADL on ${r.venue}: ${r.liquidated.id} (size ${r.liquidated.size}, bankruptcy ${num(r.liquidated.bankruptcyPrice)}), mark ${num(r.markPrice)}, fills at the ${r.fillAt} price ${num(r.fillPrice)}`,
    renderTable(
      ["Rank", "Counterparty", "Size", "Score", "Indicator", "Deleveraged"],
      r.ranking.map((x) => [
        String(x.rank),
        x.id,
        num(x.size),
        x.score === null ? "—" : formatNumber(x.score, 6),
        `${x.percentile} %`,
        num(x.deleveraged),
      ]),
      { rightAlign: [0, 2, 3, 4, 5] },
    ),
    renderTable(
      ["Counterparty", "Quantity", "Price", "Notional", "Realised PnL", "Loss taken"],
      r.fills.map((f) => [
        f.id,
        num(f.quantity),
        num(f.price),
        num(f.notional),
        num(f.realisedPnl),
        num(f.lossTaken),
      ]),
      { rightAlign: [1, 2, 3, 4, 5] },
    ),
    `filled ${num(r.filledQuantity)}, unfilled ${num(r.unfilledQuantity)}; deficit at mark ${num(r.deficitAtMark)} = borne by counterparties ${num(r.lossCovered)} + remaining ${num(r.remainingLoss)}`,
  ].join("\n");
}

/** The keepers' calls on a Clipper auction as text. */
export function renderMakerTake(r: MakerTakeReport): string {
  return [
    `Maker auction: tab ${num(r.saleBefore.tab)} DAI, lot ${num(r.saleBefore.lot)}, top ${num(r.saleBefore.top)}, tic ${r.saleBefore.tic}`,
    renderTable(
      ["Keeper", "Call", "At", "Price", "Bought", "Paid DAI", "Returned", "Tab left", "Lot left", "Revert"],
      r.steps.map((s) => [
        s.keeper,
        s.action,
        String(s.at),
        num(s.price),
        num(s.bought),
        num(s.paid),
        num(s.returnedToVault),
        s.saleAfter === null ? "ended" : num(s.saleAfter.tab),
        s.saleAfter === null ? "ended" : num(s.saleAfter.lot),
        s.revert?.reason ?? "",
      ]),
      { rightAlign: [2, 3, 4, 5, 6, 7, 8] },
    ),
    `bought ${num(r.totals.bought)}, paid ${num(r.totals.paid)} DAI, returned ${num(r.totals.returnedToVault)}, written off ${num(r.totals.writtenOff)} DAI; ${r.saleAfter === null ? "the auction has ended" : `left: tab ${num(r.saleAfter.tab)} DAI, lot ${num(r.saleAfter.lot)}`}`,
  ].join("\n");
}

/** Keepers' calls on a Flipper auction as text. */
export function renderMakerFlip(r: MakerFlipReport): string {
  const t = r.totals;
  return [
    `Maker flip (dss ${r.version}): tab ${num(r.kicked.tab)} DAI, lot ${num(r.kicked.lot)}, end ${r.kicked.end}`,
    renderTable(
      [
        "Keeper",
        "Call",
        "At",
        "Phase",
        "Paid DAI",
        "To Vow",
        "Returned",
        "Won",
        "Bid after",
        "Lot after",
        "Revert",
      ],
      r.steps.map((s) => [
        s.keeper,
        s.action,
        String(s.at),
        s.phase ?? "",
        num(s.paid),
        num(s.toGal),
        num(s.returnedToOwner),
        num(s.won),
        s.auctionAfter === null ? "dealt" : num(s.auctionAfter.bid),
        s.auctionAfter === null ? "dealt" : num(s.auctionAfter.lot),
        s.revert?.reason ?? "",
      ]),
      { rightAlign: [2, 4, 5, 6, 7, 8, 9] },
    ),
    t.winner === null
      ? `raised ${num(t.raised)} DAI so far, returned ${num(t.returnedToOwner)}; not dealt`
      : `dealt to ${t.winner}: ${num(t.won)} collateral for ${num(t.raised)} DAI, ${num(t.returnedToOwner)} returned to the owner, ${num(t.uncoveredTab)} DAI of tab uncovered`,
  ].join("\n");
}

/** Comet absorb of several accounts as text, totals chained. */
export function renderCometAbsorb(r: CometAbsorbBatchReport): string {
  if (r.revert !== null)
    return `absorb on ${r.market} reverts: ${r.revert.reason} for ${r.revert.id} (${r.revert.explanation}); nothing changes`;
  const b = r.baseSymbol;
  return [
    `absorb on ${r.market} (${b})`,
    renderTable(
      [
        "Account",
        "Debt",
        "Credit",
        "Balance after",
        "Paid out",
        "Reserves after",
        "Total borrow after",
        "Total supply after",
      ],
      r.accounts.map((a) => [
        a.id,
        num(a.balanceBefore),
        num(a.credit),
        num(a.balanceAfter),
        num(a.basePaidOut),
        num(a.after.reserves),
        num(a.after.totalBorrowBase),
        num(a.after.totalSupplyBase),
      ]),
      { rightAlign: [1, 2, 3, 4, 5, 6, 7] },
    ),
    `reserves ${num(r.before.reserves)} → ${num(r.after.reserves)} ${b}; totalBorrowBase ${num(r.before.totalBorrowBase)} → ${num(r.after.totalBorrowBase)}; totalSupplyBase ${num(r.before.totalSupplyBase)} → ${num(r.after.totalSupplyBase)}; base held ${num(r.after.baseHeld)} (unchanged)`,
    `collateral to reserves: ${r.collateralToReserves.map((c) => `${c.amount} ${c.symbol}`).join(", ") || "none"}`,
  ].join("\n");
}

/** Drift liquidate_perp calls as text: per call, the transfer and both positions after. */
export function renderDriftLiquidation(r: DriftLiquidationReport): string {
  return [
    `Drift ${r.symbol}: user total collateral ${num(r.userBefore.margin.totalCollateral)}, MR ${num(r.userBefore.margin.marginRequirement)}, shortage ${num(r.userBefore.margin.shortage)}${r.userBefore.liquidatable ? "" : " (not liquidatable)"}`,
    renderTable(
      [
        "Liquidator",
        "Slot",
        "Base taken",
        "Value",
        "Liq. fee",
        "IF fee",
        "User base",
        "User shortage",
        "Liq. base",
        "Liq. IM met",
      ],
      r.calls.map((c) => [
        c.liquidator,
        String(c.slot),
        c.skipped ?? num(c.baseTaken),
        num(c.baseValue),
        num(c.liquidatorFeePaid),
        num(c.ifFeePaid),
        c.userPosition === null ? "—" : num(c.userPosition.baseAssetAmount),
        num(c.userMargin.shortage),
        c.liquidatorPosition === null ? "—" : num(c.liquidatorPosition.baseAssetAmount),
        c.liquidatorMeetsInitialMargin ? "yes" : "no",
      ]),
      { rightAlign: [1, 2, 3, 4, 5, 6, 7, 8] },
    ),
  ].join("\n");
}

/** A dYdX liquidation fill as text. */
export function renderDydxFill(r: DydxFillReport): string {
  const rows: [string, string][] = [
    [
      "Net collateral / MMR before",
      `${num(r.riskBefore.netCollateral)} / ${num(r.riskBefore.maintenanceMargin)}`,
    ],
    ["Bankruptcy quote (price)", `${num(r.bankruptcyUsd)} (${num(r.bankruptcyPriceUsd)})`],
    ["Fillable price", `${num(r.fillablePriceUsd)} (${r.fillablePriceQuantums} quote/base quantum)`],
    ["Fill price, quote", `${num(r.fillPriceUsd)}, ${num(r.quoteUsd)}`],
    [
      "Insurance-fund delta",
      `${num(r.insuranceFundDeltaUsd)}${r.insuranceFundCanPay === false ? " (the fund cannot pay)" : ""}`,
    ],
    ["USDC / position after", `${num(r.usdcAfter)} / ${r.positionAfter}`],
    [
      "Net collateral / MMR after",
      `${num(r.riskAfter.netCollateral)} / ${num(r.riskAfter.maintenanceMargin)}`,
    ],
  ];
  return [`dYdX ${r.ticker}: ${r.side} ${r.size}`, renderTable(["", "USD"], rows, { rightAlign: [1] })].join(
    "\n",
  );
}

/** A subcommand: what it does, its schema, its library workflow and the table rendering of the result. */
function mechanismCommand<R>(
  what: string,
  schema: string,
  report: (raw: unknown) => R,
  render: (r: R) => string,
) {
  return {
    what,
    schema,
    run: (raw: unknown) => {
      const r = report(raw);
      return { json: r, text: () => render(r) };
    },
  };
}

const MECHANISMS = {
  adl: mechanismCommand(
    "the ADL queue: ranking, fills at the bankruptcy price (BitMEX, Binance) or mark (Hyperliquid), deficit left",
    "adl-queue",
    adlQueueReport,
    renderAdlQueue,
  ),
  "maker-take": mechanismCommand(
    "keepers' take and redo calls on a running Maker Clipper auction",
    "maker-take",
    makerTakeReport,
    renderMakerTake,
  ),
  "maker-flip": mechanismCommand(
    "keepers' tend, dent, deal and tick calls on a Maker Flipper (Liquidations 1.2 English) auction",
    "maker-flip",
    makerFlipReport,
    renderMakerFlip,
  ),
  "comet-absorb": mechanismCommand(
    "Compound v3 absorb of several accounts, totalBorrowBase/totalSupplyBase and reserves chained",
    "comet-absorb",
    cometAbsorbBatchReport,
    renderCometAbsorb,
  ),
  "drift-liquidate": mechanismCommand(
    "Drift liquidate_perp calls by several liquidators: user and liquidator positions after each",
    "drift-liquidation",
    driftLiquidationReport,
    renderDriftLiquidation,
  ),
  "dydx-fill": mechanismCommand(
    "a dYdX liquidation fill: fillable price, bankruptcy quote, insurance-fund delta, subaccount after",
    "dydx-fill",
    dydxFillReport,
    renderDydxFill,
  ),
};

/** Registers `liqopt mechanism <adl|maker-take|maker-flip|comet-absorb|drift-liquidate|dydx-fill> --input <file|-> [--json]`. */
export function registerMechanism(program: Command): void {
  const mechanism = program
    .command("mechanism")
    .description("multi-party liquidation mechanisms from a document listing several accounts or calls");
  for (const [name, m] of Object.entries(MECHANISMS))
    mechanism
      .command(name)
      .description(m.what)
      .requiredOption("-i, --input <file>", `document (JSON, schemas/${m.schema}.schema.json); - for stdin`)
      .option("--json", "print one JSON object instead of tables")
      .action(async (opts) => {
        const out = m.run(parseJson(await readInput(opts.input)));
        writeOut(opts.json === true ? toJson(out.json) : out.text());
      });
}

/**
 * The Maker replay workflow of `liqopt simulate` (`"kind": "maker"`): runs the 2020-03-12 day with the
 * scenario's mechanism, keepers and conditions ({@link runBlackThursday} for flip,
 * {@link runBlackThursdayClip} for clip) and returns a plain report: the headline figures beside the
 * published ones, whether the configuration is the reconciled one, and the price paid per ETH by the
 * quarter hour for the chart.
 */
import { isDeepStrictEqual } from "node:util";
import { InputError } from "../../errors.js";
import { BLACK_THURSDAY_DEFAULTS, type KeeperRoster, runBlackThursday } from "./black-thursday.js";
import { runBlackThursdayClip } from "./black-thursday-clip.js";
import {
  BLACK_THURSDAY_PUBLISHED,
  BLACK_THURSDAY_TOLERANCE_FACTOR,
  checkHeadlines,
} from "./black-thursday-reconciliation.js";
import {
  checkDebtAuctions,
  DEBT_AUCTIONS_PUBLISHED,
  type DebtAuctionResult,
  type DebtAuctionSpec,
  runDebtAuctions,
  type VowDebtEvent,
} from "./debt-auctions.js";
import type { KeeperConditions } from "./maker-day.js";
import type { MakerDayMarket } from "./maker-day-market.js";
import type { MakerScenario } from "./maker-scenario.js";

/** One headline figure; `published` when the day's published figure exists for it. */
export interface MakerHeadline {
  readonly label: string;
  readonly value: number;
  readonly unit: "share" | "count" | "ETH" | "USD" | "DAI" | "minutes" | "MKR" | "DAI per MKR";
  readonly published: number | null;
}

/** A quarter hour of the day: ETH, the OSM, auctions kicked and the mean price paid per ETH (null: none). */
export interface MakerQuarterHour {
  readonly tMs: number;
  readonly ethDai: number;
  readonly osmDai: number;
  readonly kicked: number;
  readonly paidPerEth: number | null;
}

/** What `liqopt simulate` prints for a Maker scenario. */
export interface MakerScenarioReport {
  readonly kind: "maker";
  readonly event: MakerScenario["event"];
  readonly mechanism: MakerScenario["mechanism"];
  readonly seed: number;
  readonly keepers: KeeperRoster;
  readonly conditions: KeeperConditions;
  /** True only for flip with the reconciled keepers, conditions and seed (within ×3 of the published figures). */
  readonly reconciliation: { readonly reconciled: boolean; readonly note: string };
  readonly headline: readonly MakerHeadline[];
  readonly quarterHours: readonly MakerQuarterHour[];
  /** The flop debt auctions after the day, only when the scenario asks for them (`"debtAuctions"`). */
  readonly debtAuctions?: MakerDebtAuctionReport;
}

/** The debt auctions that sold the day's bad debt for MKR (src/sim/venue/debt-auctions.ts). */
export interface MakerDebtAuctionReport {
  readonly flopper: DebtAuctionSpec["flopper"]["version"];
  readonly bidders: number;
  readonly margin: number;
  readonly headline: readonly MakerHeadline[];
  /** Whether the totals are within ×3 and the average price within ±15 % of the published outcome. */
  readonly withinTolerance: boolean;
  readonly note: string;
}

const QUARTER = 15 * 60_000;

/**
 * Runs `scenario` on the bundled candles and reports it. Flip with the reconciled options is
 * `reconciled: true` (each headline within a factor of 3 of the published figure, as
 * docs/maker-reconciliation.md and its test show); flip with other keepers or conditions, and clip, are
 * counterfactuals on the reconciled population. `options.seed` replaces the scenario's seed of the
 * day (`options.day.seed`: the keepers' and the vaults' draws); another seed than the reconciled
 * one makes flip a counterfactual too.
 *
 * @throws InputError naming `seed` when `options.seed` is not an integer.
 */
export function simulateMakerScenario(
  scenario: MakerScenario,
  options: { readonly seed?: number } = {},
): MakerScenarioReport {
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new InputError("seed", options.seed, "must be an integer", "Pass a whole number, e.g. 7.");
  }
  const o =
    options.seed === undefined
      ? scenario.options
      : { ...scenario.options, day: { ...scenario.options.day, seed: options.seed } };
  const D = BLACK_THURSDAY_DEFAULTS;
  const reconciledOptions =
    o.day.seed === D.day.seed &&
    isDeepStrictEqual(o.roster, D.roster) &&
    isDeepStrictEqual(o.conditions, D.conditions);
  const common = {
    kind: "maker",
    event: scenario.event,
    mechanism: scenario.mechanism,
    seed: o.day.seed,
    keepers: o.roster,
    conditions: o.conditions,
  } as const;
  const P = BLACK_THURSDAY_PUBLISHED;
  if (scenario.mechanism === "flip") {
    const { market, result: r } = runBlackThursday(o);
    const within = checkHeadlines(r).every((c) => c.withinTolerance);
    return {
      ...common,
      ...debtAuctions(scenario.debtAuctions, r.auctions),
      reconciliation: reconciledOptions
        ? {
            reconciled: true,
            note: `the reconciled configuration: each headline within a factor of ${BLACK_THURSDAY_TOLERANCE_FACTOR} of the published figure (docs/maker-reconciliation.md)`,
          }
        : {
            reconciled: false,
            note: `a counterfactual: the reconciled population and day under other keepers or conditions (headlines ${within ? "still" : "no longer"} within ×${BLACK_THURSDAY_TOLERANCE_FACTOR} of the published figures)`,
          },
      headline: [
        { label: "auctions kicked", value: r.kicked, unit: "count", published: P.auctions },
        { label: "zero-bid share", value: r.zeroBidShare, unit: "share", published: P.zeroBidShare },
        { label: "ETH sold for 0 DAI (USD)", value: r.zeroBidUsd, unit: "USD", published: P.zeroBidUsd },
        {
          label: "uncovered debt (DAI)",
          value: r.uncoveredDebtDai,
          unit: "DAI",
          published: P.uncoveredDebtDai,
        },
        {
          label: "debt + penalty not recovered (DAI)",
          value: r.uncoveredTabDai,
          unit: "DAI",
          published: null,
        },
        { label: "auctions open at the end", value: r.openAtEnd, unit: "count", published: null },
        {
          label: "keeper-minutes priced out by gas",
          value: r.pricedOutKeeperMinutes,
          unit: "minutes",
          published: null,
        },
        { label: "failed bids", value: r.failedBids, unit: "count", published: null },
      ],
      quarterHours: quarterHours(
        market,
        r.auctions.map((a) => a.kickedMs),
        r.auctions.flatMap((a) =>
          a.dealtMs === null ? [] : [{ t: a.dealtMs, paid: a.raisedDai, eth: a.soldEth }],
        ),
      ),
    };
  }
  const { market, result: r } = runBlackThursdayClip(o);
  return {
    ...common,
    ...debtAuctions(
      scenario.debtAuctions,
      // a Clipper's takes pay the Vow as they come: all of it is in before the debt auctions start
      r.auctions.map((a) => ({ ...a, dealtMs: a.endedMs ?? a.kickedMs })),
    ),
    reconciliation: {
      reconciled: false,
      note: "a counterfactual: Liquidations 2.0 (2021 ETH-A Dog and Clipper) on the population, market and keepers reconciled with flip; no zero bid can happen in a Dutch auction",
    },
    headline: [
      { label: "auctions kicked", value: r.kicked, unit: "count", published: null },
      {
        label: "zero-bid share",
        value: r.kicked === 0 ? 0 : r.zeroBid / r.kicked,
        unit: "share",
        published: P.zeroBidShare,
      },
      { label: "ETH sold below 80 % of market", value: r.ethBelowMarket, unit: "ETH", published: null },
      {
        label: "uncovered debt (DAI)",
        value: r.uncoveredDebtDai,
        unit: "DAI",
        published: P.uncoveredDebtDai,
      },
      { label: "auctions redone", value: r.redos, unit: "count", published: null },
      { label: "auctions open at the end", value: r.openAtEnd, unit: "count", published: null },
      { label: "minutes Hole/hole binding", value: r.holeBoundMinutes, unit: "minutes", published: null },
      { label: "keeper incentives paid (DAI)", value: r.incentivesDai, unit: "DAI", published: null },
      { label: "ETH returned to vault owners", value: r.returnedEth, unit: "ETH", published: null },
    ],
    quarterHours: quarterHours(
      market,
      r.auctions.map((a) => a.kickedMs),
      r.fills.map((f) => ({ t: f.tMs, paid: f.owedDai, eth: f.eth })),
    ),
  };
}

/**
 * The debt auctions of `spec` on the day's auctions ({@link runDebtAuctions}), as `{ debtAuctions }`
 * beside the published outcome, or nothing when the scenario did not ask (so that its report is unchanged).
 */
function debtAuctions(
  spec: DebtAuctionSpec | null,
  debts: readonly VowDebtEvent[],
): { debtAuctions?: MakerDebtAuctionReport } {
  if (spec === null) return {};
  const f: DebtAuctionResult = runDebtAuctions(debts, spec);
  const P = DEBT_AUCTIONS_PUBLISHED;
  const within = checkDebtAuctions(f, "day").every((c) => c.pass);
  return {
    debtAuctions: {
      flopper: spec.flopper.version,
      bidders: spec.bidders.length,
      margin: spec.bidders[0]?.margin ?? 0,
      headline: [
        { label: "Vow's net deficit (DAI)", value: f.netDeficitDai, unit: "DAI", published: null },
        { label: "debt auctions", value: f.kicked, unit: "count", published: P.auctions },
        { label: "debt auctions open at the end", value: f.openAtEnd, unit: "count", published: null },
        { label: "MKR minted", value: f.mkrMinted, unit: "MKR", published: P.mkrMinted },
        { label: "DAI raised", value: f.daiRaised, unit: "DAI", published: P.daiRaised },
        {
          label: "average price (DAI/MKR)",
          value: f.averagePrice,
          unit: "DAI per MKR",
          published: P.averagePrice,
        },
        {
          label: "MKR market at the deals",
          value: f.averageMarketPrice,
          unit: "DAI per MKR",
          published: null,
        },
        { label: "bidders' discount to market", value: f.discount, unit: "share", published: null },
        { label: "bad debt left (DAI)", value: f.badDebtLeftDai, unit: "DAI", published: null },
      ],
      withinTolerance: within,
      note: `${within ? "within" : "outside"} the tolerance of the published outcome (totals ×3, average price ±15 %; 20,980 MKR for 5.3 M DAI, Smith + Crown 2020-04-01; docs/maker-reconciliation.md)`,
    },
  };
}

/** The day by quarter hour: ETH and the OSM at its start, kicks in it, mean price paid per ETH in it. */
function quarterHours(
  market: MakerDayMarket,
  kicks: readonly number[],
  paid: readonly { t: number; paid: number; eth: number }[],
): MakerQuarterHour[] {
  const t0 = market.time[0] as number;
  const n = Math.ceil(market.time.length / 15);
  const kicked = new Float64Array(n);
  const dai = new Float64Array(n);
  const eth = new Float64Array(n);
  const at = (t: number) => Math.min(n - 1, Math.floor((t - t0) / QUARTER));
  for (const t of kicks) kicked[at(t)] = (kicked[at(t)] as number) + 1;
  for (const p of paid) {
    dai[at(p.t)] = (dai[at(p.t)] as number) + p.paid;
    eth[at(p.t)] = (eth[at(p.t)] as number) + p.eth;
  }
  return Array.from({ length: n }, (_, q) => ({
    tMs: t0 + q * QUARTER,
    ethDai: market.price[q * 15] as number,
    osmDai: market.osm[q * 15] as number,
    kicked: kicked[q] as number,
    paidPerEth: (eth[q] as number) > 0 ? (dai[q] as number) / (eth[q] as number) : null,
  }));
}

import {
  collateralLiquidationPrice,
  debtValue,
  healthFactor,
  maxCollateralDrop,
  weightedCollateral,
} from "../margin/lending.js";
import { WAD } from "../math/fixed-point.js";
import {
  isLiquidatable as aaveIsLiquidatable,
  formatWad,
  healthFactorWad,
  isolationModeState,
} from "../venues/aave-v3.js";
import { isLiquidatable as cometIsLiquidatable, cometLiquidity } from "../venues/compound-v3.js";
import type {
  ResolvedCompoundDocument,
  ResolvedLendingDocument,
  ResolvedMakerDocument,
} from "../venues/lending-document.js";
import { isUnsafe, makerLiquidationPrice, type VatIlk } from "../venues/maker-clip.js";
import { formatNumber, formatPercent, renderTable } from "./io.js";

/** Display names of the lending venues. */
export const LENDING_VENUE_NAMES: Record<ResolvedLendingDocument["venue"], string> = {
  "aave-v3": "Aave v3",
  "compound-v3": "Compound v3 (Comet)",
  maker: "Maker (dss vault)",
};

const RAY = 10n ** 27n;

/** A fraction/price in ray as a float. */
export const rayToNumber = (x: bigint): number => Number(x) / 1e27;

/**
 * The Vat's view of a Maker vault document: `spot = rdiv(feedPrice, mat)` (par 1), `rate` and `dust`
 * (0 when the document gives none; `liquidate` requires it). Source: dss `src/spot.sol` `poke`.
 */
export function makerVatIlk(doc: ResolvedMakerDocument): VatIlk {
  return { rate: doc.rate, spot: (doc.feedPrice * RAY) / doc.params.mat, dust: doc.params.dust ?? 0n };
}

/**
 * The exact health factor of a Maker vault, `ink·spot / (art·rate)` as a WAD (floor), which dss never
 * forms: below 1 exactly when `Dog.bark` accepts the vault (`Dog/not-unsafe` does not hold).
 * `"max"` without debt.
 */
export function makerHealthFactorExact(doc: ResolvedMakerDocument): string {
  const debt = doc.urn.art * doc.rate;
  if (debt === 0n) return "max";
  return formatWad((doc.urn.ink * makerVatIlk(doc).spot * WAD) / debt);
}

/** A fixed-point bigint with `decimals` digits as an exact decimal string (`1500000n, 6` → `"1.5"`). */
export function unitsToDecimal(value: bigint, decimals: number): string {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  if (decimals === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(decimals);
  const frac = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${sign}${abs / scale}${frac === "" ? "" : `.${frac}`}`;
}

/** A health factor, exact (as the protocol computes it, decimal string or `"max"`) and float. */
export interface HealthFactorFigures {
  /** WAD health factor as a decimal string; `"max"` without debt. */
  exact: string;
  /** `Σ C·LT / D` in floats (`Infinity`, printed as null in JSON, without debt). */
  float: number;
}

/**
 * The exact health factor of a Comet account, which Comet itself never forms: the liquidation-
 * weighted collateral `Σ ⌊⌊amount·price/scale⌋·liquidateCF/1e18⌋` over the debt value
 * `⌊−baseBalance·basePrice/baseScale⌋`, both in 1e8 USD as `isLiquidatable` rounds them, as a WAD
 * (floor). `"max"` without debt. Liquidatable ⇔ this is below 1.
 */
export function cometHealthFactorExact(doc: ResolvedCompoundDocument): string {
  const { config, account, prices } = doc;
  if (account.baseBalance >= 0n) return "max";
  const basePrice = prices[config.baseSymbol] as bigint;
  const baseTerm = (account.baseBalance * basePrice) / 10n ** BigInt(config.baseDecimals);
  const debt = -baseTerm;
  if (debt === 0n) return "max";
  const weighted = cometLiquidity(config, account, prices, "liquidate") - baseTerm;
  return formatWad((weighted * WAD) / debt);
}

/** The exact and float health factor and the liquidatable flag of a resolved lending document. */
export function lendingHealth(doc: ResolvedLendingDocument): {
  healthFactor: HealthFactorFigures;
  liquidatable: boolean;
} {
  const float = healthFactor(doc.lending);
  if (doc.venue === "aave-v3") {
    const hf = healthFactorWad(doc.account, doc.market);
    return { healthFactor: { exact: formatWad(hf), float }, liquidatable: aaveIsLiquidatable(hf) };
  }
  if (doc.venue === "maker")
    return {
      healthFactor: { exact: makerHealthFactorExact(doc), float },
      liquidatable: isUnsafe(doc.urn, makerVatIlk(doc)),
    };
  return {
    healthFactor: { exact: cometHealthFactorExact(doc), float },
    liquidatable: cometIsLiquidatable(doc.config, doc.account, doc.prices),
  };
}

/** One collateral line of the lending `liq-price` report. */
export interface LendingCollateralReport {
  symbol: string;
  amount: number;
  price: number;
  value: number;
  /** Aave liquidation threshold / Comet liquidate collateral factor, as a fraction. */
  liquidationThreshold: number;
  /** Price of this collateral at which HF = 1, other prices held (`collateralLiquidationPrice`). */
  liquidationPrice: number | null;
  liquidationReason: string | null;
  /** `1 − liquidationPrice / price`: the fall of this collateral alone the account survives. */
  distance: number | null;
}

/** The lending `liq-price --json` document. */
export interface LendingLiqPriceReport {
  venue: ResolvedLendingDocument["venue"];
  market: string;
  /** Aave Pool rule set (`"3.7"` …); null for Compound and Maker. */
  version: string | null;
  healthFactor: HealthFactorFigures;
  liquidatable: boolean;
  /** Largest fall of all collateral prices together the account survives (`maxCollateralDrop`). */
  maxCollateralDrop: number;
  totals: { collateralValue: number; weightedCollateral: number; debtValue: number };
  collateral: LendingCollateralReport[];
  debt: { symbol: string; amount: number; price: number; value: number }[];
  /** Aave only (null otherwise): the user's e-mode, isolation-mode and siloed-borrowing state. */
  aaveRules: AaveRulesReport | null;
}

/** The Aave rules in force for an account (`liq-price`). */
export interface AaveRulesReport {
  /** The user's e-mode category, and the collateral whose LTV/LT/bonus it overrides; null when none. */
  eMode: { id: number; label: string | null; overrides: string[]; borrowable: string[] | null } | null;
  /** Isolation mode: the only collateral has a debt ceiling (USD). */
  isolation: { collateral: string; debtCeilingUsd: number; isolationModeTotalDebtUsd: number } | null;
  /** Debts in siloed reserves (a siloed debt must be the only debt). */
  siloedDebts: string[];
}

/** {@link AaveRulesReport} of an Aave document. Sources: `GenericLogic.calculateUserAccountData` (e-mode), `UserConfiguration.getIsolationModeState`, `getSiloedBorrowingState`. */
export function aaveRulesReport(doc: ResolvedLendingDocument): AaveRulesReport | null {
  if (doc.venue !== "aave-v3") return null;
  const { account, market } = doc;
  const id = account.eModeCategoryId ?? 0;
  const cat = (market.eModeCategories ?? []).find((c) => c.id === id);
  const iso = isolationModeState(account, market);
  const reserves = new Map(market.reserves.map((r) => [r.symbol, r]));
  return {
    eMode:
      cat === undefined
        ? null
        : {
            id,
            label: cat.label ?? null,
            overrides: account.supplies
              .filter(
                (s) =>
                  cat.collateralSymbols.includes(s.symbol) &&
                  (reserves.get(s.symbol)?.liquidationThresholdBps ?? 0) > 0,
              )
              .map((s) => s.symbol),
            borrowable: cat.borrowableSymbols === undefined ? null : [...cat.borrowableSymbols],
          },
    isolation:
      iso.collateral === null
        ? null
        : {
            collateral: iso.collateral,
            debtCeilingUsd: Number(iso.debtCeiling) / 100,
            isolationModeTotalDebtUsd: Number(iso.isolationModeTotalDebt) / 100,
          },
    siloedDebts: account.borrows
      .filter((b) => b.balance > 0n && reserves.get(b.symbol)?.siloedBorrowing === true)
      .map((b) => b.symbol),
  };
}

/** Health factor, per-collateral liquidation prices and the survivable drop of a lending account. */
export function lendingLiqPriceReport(doc: ResolvedLendingDocument): LendingLiqPriceReport {
  const { lending } = doc;
  const health = lendingHealth(doc);
  return {
    venue: doc.venue,
    market: marketName(doc),
    version: doc.venue === "aave-v3" ? (doc.market.version ?? "3.7") : null,
    ...health,
    maxCollateralDrop: maxCollateralDrop(lending),
    totals: {
      collateralValue: lending.collateral.reduce((s, c) => s + c.amount * c.price, 0),
      weightedCollateral: weightedCollateral(lending),
      debtValue: debtValue(lending),
    },
    collateral: lending.collateral.map((c, i) => {
      const lp = doc.venue === "maker" ? makerLp(doc) : collateralLiquidationPrice(lending, i);
      return {
        symbol: c.symbol,
        amount: c.amount,
        price: c.price,
        value: c.amount * c.price,
        liquidationThreshold: c.liquidationThreshold,
        liquidationPrice: lp.price,
        liquidationReason: lp.reason,
        distance: lp.price === null ? null : 1 - lp.price / c.price,
      };
    }),
    debt: lending.debt.map((d) => ({ ...d, value: d.amount * d.price })),
    aaveRules: aaveRulesReport(doc),
  };
}

/** Market label of the report: Aave market name, Comet name, or the Maker ilk with its `mat`. */
function marketName(doc: ResolvedLendingDocument): string {
  if (doc.venue === "aave-v3") return doc.market.name;
  if (doc.venue === "compound-v3") return doc.config.name;
  return `ilk ${doc.ilk}, liquidation ratio ${formatPercent(rayToNumber(doc.params.mat))}`;
}

/** {@link makerLiquidationPrice} of a vault document, null with a reason when nothing is locked or owed. */
function makerLp(doc: ResolvedMakerDocument): { price: number | null; reason: string | null } {
  if (doc.urn.art === 0n) return { price: null, reason: "no debt: the vault cannot become unsafe" };
  const price = makerLiquidationPrice({ urn: doc.urn, rate: doc.rate, mat: rayToNumber(doc.params.mat) });
  if (!Number.isFinite(price))
    return { price: null, reason: "no collateral locked: the vault is unsafe at any price" };
  return { price, reason: null };
}

/** The readable form of a {@link LendingLiqPriceReport}. */
export function renderLendingLiqPrice(r: LendingLiqPriceReport): string {
  const out: string[] = [
    `${LENDING_VENUE_NAMES[r.venue]} (${r.venue}), ${r.market}${r.version === null ? "" : `, Pool rules v${r.version}`}; values in USD`,
    "",
  ];
  if (r.collateral.length === 0) out.push("No collateral counted (none held, or LT 0 / disabled).");
  else
    out.push(
      renderTable(
        ["Collateral", "Amount", "Price", "Value", "Liq. threshold", "Liq. price", "Distance"],
        r.collateral.map((c) => [
          c.symbol,
          formatNumber(c.amount, 8),
          formatNumber(c.price),
          formatNumber(c.value),
          formatPercent(c.liquidationThreshold),
          c.liquidationPrice === null ? "none" : formatNumber(c.liquidationPrice),
          formatPercent(c.distance),
        ]),
        { rightAlign: [1, 2, 3, 4, 5, 6] },
      ),
    );
  for (const c of r.collateral)
    if (c.liquidationReason !== null) out.push(`${c.symbol} liquidation price: ${c.liquidationReason}`);
  if (r.debt.length === 0) out.push("", "No debt.");
  else
    out.push(
      "",
      renderTable(
        ["Debt", "Amount", "Price", "Value"],
        r.debt.map((d) => [
          d.symbol,
          formatNumber(d.amount, 8),
          formatNumber(d.price),
          formatNumber(d.value),
        ]),
        { rightAlign: [1, 2, 3] },
      ),
    );
  out.push(
    "",
    "Account",
    renderTable(
      [],
      [
        ["Collateral value", formatNumber(r.totals.collateralValue)],
        ["Liquidation-weighted collateral", formatNumber(r.totals.weightedCollateral)],
        ["Debt value", formatNumber(r.totals.debtValue)],
        ["Health factor (exact)", r.healthFactor.exact],
        ["Health factor (float)", formatNumber(r.healthFactor.float, 6)],
        ["Largest survivable collateral drop", formatPercent(r.maxCollateralDrop)],
        ["Liquidatable", r.liquidatable ? "YES" : "no"],
      ],
      { rightAlign: [1] },
    ),
  );
  const a = r.aaveRules;
  if (a !== null) {
    if (a.eMode !== null)
      out.push(
        `E-mode category ${a.eMode.id}${a.eMode.label === null ? "" : ` (${a.eMode.label})`}: its LTV/LT/bonus replace the reserve's for ${a.eMode.overrides.length === 0 ? "no collateral held" : a.eMode.overrides.join(", ")}${a.eMode.borrowable === null ? "" : `; borrowable: ${a.eMode.borrowable.join(", ")}`}.`,
      );
    if (a.isolation !== null)
      out.push(
        `Isolation mode: the only collateral ${a.isolation.collateral} has a debt ceiling of $${formatNumber(a.isolation.debtCeilingUsd)} (isolated debt now $${formatNumber(a.isolation.isolationModeTotalDebtUsd)}); only assets borrowable in isolation can be borrowed.`,
      );
    if (a.siloedDebts.length > 0)
      out.push(`Siloed borrowing: ${a.siloedDebts.join(", ")} can only be borrowed alone.`);
  }
  return out.join("\n");
}

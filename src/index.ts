/**
 * liqopt: liquidation threshold optimization — the library's public API, chosen per layer: the
 * workflows each CLI command's `--json` comes from, the margin engine and its batch kernels, document
 * resolvers, the exact venue rulebooks as namespaces, market-data loaders, volatility models, risk
 * estimators and backtests, the Monte Carlo runner and pool, charts, and the types of their inputs and
 * results. Everything else is internal and may change.
 */
export { InputError } from "./errors.js";

// margin: the engine
export {
  type AccountMargin,
  accountMargin,
  isBelowMaintenance,
  type PositionMargin,
} from "./margin/account.js";
export {
  bookFromPositions,
  type CrossBook,
  createCrossBook,
  createPositionBook,
  crossBookFromAccounts,
  crossLiquidationPrices,
  type FlatTiers,
  flattenTierTables,
  liquidationPriceBatch,
  marginCheckBatch,
  type PositionBook,
} from "./margin/batch.js";
export {
  collateralLiquidationPrice,
  debtValue,
  healthFactor,
  type LendingAccount,
  type LendingCollateral,
  type LendingDebt,
  maxCollateralDrop,
  weightedCollateral,
} from "./margin/lending.js";
export { liquidationPrices, type PositionLiquidation } from "./margin/liquidation.js";
export { LiquidationIndex, type LiquidationIndexOptions } from "./margin/liquidation-index.js";
export {
  buildTierTable,
  maintenanceMargin,
  type Tier,
  type TierSpec,
  type TierTable,
  tierFor,
  validateTierTable,
} from "./margin/tiers.js";
export type {
  Account,
  ContractKind,
  Direction,
  Instrument,
  MaintenanceBasis,
  MarginMode,
  MarginRules,
  Position,
  PositionSide,
} from "./margin/types.js";
export {
  collateralForDistance,
  collateralForLiquidationPrice,
  compareAccounts,
  type WhatIfComparison,
  withCollateral,
  withSize,
} from "./margin/whatif.js";

// market: loaders of candles, funding, option chains and order books
export {
  bitmexBookSnapshots,
  type RecordingSummary,
  type ReplayOptions,
  readBitmexRecording,
  replayBitmexRecording,
} from "./market/bitmex-recording.js";
export {
  type BookDepthAnomaly,
  type BookDepthLoadOptions,
  type BookDepthLoadReport,
  type BookDepthSnapshots,
  type LoadedBookDepth,
  parseBookDepthCsv,
  readBookDepthFile,
} from "./market/book-depth.js";
export {
  type AmountUnit,
  type BookWalk,
  type DepthCurve,
  type DepthStatistics,
  depthCurve,
  depthStatistics,
  type OrderSide,
  type SlippageStatistics,
  slippageStatistics,
  walkBook,
} from "./market/book-walk.js";
export {
  BUNDLED_DATASETS,
  type BundledDataset,
  bundledDataset,
  bundledPath,
  resolveDataArgument,
} from "./market/bundled.js";
export {
  type CandleFormat,
  type CandleLoadOptions,
  type CandleLoadReport,
  type CandleSelection,
  type CandleSeries,
  candlesFromCcxt,
  type LoadedCandles,
  parseCandleCsv,
  readCandleFile,
  sliceByTime,
} from "./market/candles.js";
export {
  type FundingFormat,
  type FundingLoadOptions,
  type FundingLoadReport,
  type FundingSeries,
  fundingFromCcxtHistory,
  fundingFromCcxtRates,
  type LoadedFunding,
  parseFundingCsv,
  readFundingFile,
} from "./market/funding.js";
export { type InspectOptions, type InspectReport, inspectFile } from "./market/inspect.js";
export {
  type LoadedOptionChain,
  markBand,
  type OptionChain,
  type OptionGreeks,
  type OptionLoadOptions,
  type OptionLoadReport,
  type OptionQuote,
  parseDeribitBtcChainCsv,
  parseDeribitEthChainCsv,
  parseDeribitTickerCsv,
  parseDvolJson,
  readDeribitChainFile,
  readDvolFile,
  type VolIndexSeries,
} from "./market/options.js";
export {
  type BookOptions,
  bestAsk,
  bestBid,
  type CheckedBook,
  type ContractSpec,
  midPrice,
  type OrderBook,
  orderBookFromCcxt,
  orderBookFromLevels,
  type RawLevels,
  type SideDepth,
  sideDepth,
  spread,
  spreadBps,
} from "./market/orderbook.js";
// optimize: the trader-side optimizer and its report
export {
  buildPolicyTable,
  decide,
  type PolicyTable,
  type PolicyTableOptions,
  type TraderDecision,
} from "./optimize/policy.js";
export {
  type CostParameters,
  type CostPoint,
  cheapest,
  costCurve,
  type ThresholdProblem,
  type ThresholdProblemOptions,
  type Thresholds,
  thresholdProblem,
} from "./optimize/stop-topup.js";
export {
  analyzeTrader,
  type TraderAnalysis,
  type TraderAnalysisOptions,
} from "./optimize/trader-analysis.js";
export {
  BACKTEST_POLICIES,
  type BacktestPolicy,
  type PolicySummary,
  runTraderBacktest,
  type TradeRecord,
  type TraderBacktestOptions,
  type TraderBacktestResult,
} from "./optimize/trader-backtest.js";
export {
  type AlphaCalibration,
  type TraderBacktestReport,
  type TraderBacktestReportOptions,
  traderBacktestReport,
} from "./optimize/trader-backtest-report.js";
export {
  type CollateralSolution,
  type CollateralToAdd,
  closedFormModel,
  collateralToAdd,
  type FundingAssumption,
  type LiquidationProbability,
  liquidationProbability,
  type MonteCarloModelOptions,
  minimumCollateral,
  monteCarloModel,
  type ProbabilityModel,
  type RiskTarget,
  type SizeCut,
  sizeCut,
  type TraderScenario,
  traderScenario,
} from "./optimize/trader-probability.js";
export { type TraderReport, type TraderReportOptions, traderReport } from "./optimize/trader-report.js";
export {
  arjiModelSpec,
  fitTraderVolModel,
  TRADER_VOL_MODELS,
  type TraderVolModel,
} from "./optimize/vol-models.js";
// report: charts (SVG, PNG)
export {
  type AreaChartSpec,
  type AreaSeries,
  type AxisScale,
  type AxisSpec,
  areaChart,
  type Band,
  type BarChartSpec,
  type BarSeries,
  barChart,
  CHART_EXTENSIONS,
  type ChartBase,
  type DepthChartSpec,
  depthChart,
  type LineChartSpec,
  type LineSeries,
  lineChart,
  type MarkerSet,
  type ReferenceLine,
  renderPng,
  type ScatterChartSpec,
  type ScatterSeries,
  scatterChart,
  writeChart,
} from "./report/index.js";
// risk: VaR/ES estimators and backtests, liquidity, funding, first passage, and their reports
export {
  type AlmgrenChrissParams,
  type AlmgrenChrissSolution,
  almgrenChriss,
  type ExecutionCost,
  executionCost,
} from "./risk/almgren-chriss.js";
export {
  type CoverageTests,
  christoffersenIndependence,
  conditionalCoverage,
  coverageTests,
  exceptionSeries,
  kupiecPof,
  type LikelihoodRatioTest,
  type TrafficLight,
  type TrafficLightZone,
  trafficLight,
} from "./risk/backtest.js";
export {
  type BacktestVarOptions,
  type BacktestVarReport,
  backtestVar,
  backtestVarReport,
} from "./risk/backtest-report.js";
export { type BookReport, type BookReportOptions, bookReport, type LoadedBooks } from "./risk/book-report.js";
export {
  type DepthDynamicsFit,
  depthScaleForPath,
  fitDepthDynamics,
  type MinuteDepth,
  measuredDepthScale,
  minuteDepth,
} from "./risk/depth-dynamics.js";
export { type CrashDayDepth, crashDayDepth, replayDepthScale } from "./risk/depth-replay.js";
export {
  type DepthScaleOptions,
  type DepthScaleResult,
  depthScaleSeries,
  type SnapshotDepthScale,
  type SqrtImpactScale,
  sqrtImpactScale,
} from "./risk/depth-scale.js";
export {
  acerbiSzekelyZ1,
  acerbiSzekelyZ2,
  acerbiSzekelyZ2Test,
  type Z2Test,
  type Z2TestOptions,
} from "./risk/es-backtest.js";
export {
  bridgeCrossingProbability,
  discreteFirstPassageProbability,
  type FirstPassageInput,
  firstPassageProbability,
  touchProbability,
} from "./risk/first-passage.js";
export {
  type FundingCost,
  type FundingDrag,
  type FundingHorizon,
  type FundingRegimes,
  type FundingStatistics,
  fundingCost,
  fundingDrag,
  fundingRegimes,
  fundingStatistics,
  type MarginedPosition,
} from "./risk/funding.js";
export {
  type FundingPosition,
  type FundingReport,
  type FundingReportOptions,
  fundingReport,
} from "./risk/funding-report.js";
export {
  fitSquareRootImpact,
  type ImpactPoint,
  impactPointsFromBook,
  type SquareRootFit,
  type SquareRootImpactModel,
  squareRootImpact,
} from "./risk/impact.js";
export {
  type LiquidationCost,
  type LiquidationOrder,
  liquidationCost,
  liquidationCostCurve,
  liquidationCostFromImpact,
} from "./risk/liquidation-cost.js";
export {
  ROLLING_MODELS,
  type RollingBacktestOptions,
  type RollingBacktestReport,
  type RollingModel,
  type RollingModelReport,
  rollingBacktest,
} from "./risk/rolling-backtest.js";
export {
  aggregateReturns,
  type ReturnKind,
  type VarMethod,
  type VarOptions,
  type VarResult,
} from "./risk/var.js";
export {
  type FilteredHistoricalDiagnostics,
  type FilteredHistoricalOptions,
  filteredHistoricalVar,
} from "./risk/var-filtered.js";
export {
  type HistoricalDiagnostics,
  type HistoricalVarOptions,
  historicalVar,
} from "./risk/var-historical.js";
export {
  type MonteCarloDiagnostics,
  type MonteCarloModel,
  type MonteCarloVarOptions,
  monteCarloVar,
} from "./risk/var-monte-carlo.js";
export {
  type CornishFisherDiagnostics,
  cornishFisherVar,
  fitStudentT,
  type NormalVarOptions,
  normalVar,
  type ParametricDiagnostics,
  type StudentTDiagnostics,
  type StudentTFit,
  type StudentTVarOptions,
  studentTVar,
} from "./risk/var-parametric.js";
export {
  type PortfolioHistoricalOptions,
  type PortfolioMonteCarloOptions,
  type PortfolioNormalDiagnostics,
  type PortfolioNormalOptions,
  type PortfolioPosition,
  portfolioHistoricalVar,
  portfolioMonteCarloVar,
  portfolioNormalVar,
} from "./risk/var-portfolio.js";
export {
  type AssetVarOptions,
  type AssetVarReport,
  assetVarReport,
  type PortfolioVarReport,
  portfolioVarReport,
  VAR_METHODS,
  type VarLine,
  type VarMethodName,
} from "./risk/var-report.js";
// sim: the Monte Carlo runner, its simulations and the worker pool
export {
  type CorrelatedModelSpec,
  CorrelatedPathGenerator,
  correlationFactor,
} from "./sim/correlated-paths.js";
export {
  type AssetSpec,
  type CrossAccountEstimate,
  type CrossAccountSpec,
  type CrossPosition,
  crossAccountSimulation,
  simulateCrossAccount,
} from "./sim/cross-account.js";
export {
  type AnySimulation,
  type EstimateOf,
  SIMULATIONS,
  type SimulationKind,
  type SpecOf,
  simulationOf,
} from "./sim/evaluators.js";
export {
  type FlipBid,
  type FlipKeeper,
  type FlipMarket,
  gasCostDai,
  type KeeperAuctionOutcome,
  keeperBid,
  runKeepers,
} from "./sim/flip-keeper.js";
export {
  type BarrierSpec,
  type LiquidationEstimate,
  type LiquidationSpec,
  liquidationSimulation,
  simulateLiquidation,
} from "./sim/liquidation.js";
export type { InnovationSpec, JumpSpec, ModelSpec, TimeGrid, VolatilitySpec } from "./sim/models.js";
export {
  type PartialLiquidationEstimate,
  type PartialLiquidationSpec,
  partialLiquidationSimulation,
  simulatePartialLiquidation,
} from "./sim/partial-liquidation.js";
export { type AccountRunControl, type PoolOptions, SimulationPool, simulateParallel } from "./sim/pool.js";
export {
  type PathEvaluator,
  type RunControl,
  type RunOutcome,
  runSerial,
  runSimulation,
  type Simulation,
  type StopReason,
} from "./sim/run.js";
// sim/venue: bad-debt socialization policies (ADL) for the venue simulator
export { type AdlEventMetrics, adlEventMetrics } from "./sim/venue/adl-metrics.js";
export {
  ADL_POLICIES,
  type AdlPolicyName,
  type AdlPolicySettings,
  applyAdlPolicy,
  VENUE_ADL_POLICIES,
  type VenueAdlPolicyName,
} from "./sim/venue/adl-policy.js";
export { cappedProRata, proRata, riskAwareProRata } from "./sim/venue/adl-pro-rata.js";
export { profitLeverageScores, queueAdl } from "./sim/venue/adl-queue.js";
export { type AdlEventFills, type AdlTwoPass, twoPassHaircuts } from "./sim/venue/adl-two-pass.js";
export {
  reconcileAdlOnVenue,
  type VenueAdlReconciliation,
  venueAdlInputs,
} from "./sim/venue/adl-venue-reconciliation.js";
export { leverageWaterFilling } from "./sim/venue/adl-water-filling.js";
export { type AdlWinners, postAdlLeverage } from "./sim/venue/adl-winners.js";
// sim/venue: Maker's Black Thursday (2020-03-12/13) replayed with flip auctions and keepers, the same day
// under Liquidations 2.0 (clip, a counterfactual), and the Maker replay scenarios of liqopt simulate
export {
  BLACK_THURSDAY_DEFAULTS,
  type BlackThursdayOptions,
  type BlackThursdayResult,
  type DayKeeper,
  dayKeepers,
  drawVaults,
  type KeeperConditions,
  type KeeperRoster,
  runBlackThursday,
  simulateBlackThursday,
  type VaultBook,
} from "./sim/venue/black-thursday.js";
export {
  type ClipDayResult,
  ETH_A_CLIP_2021,
  runBlackThursdayClip,
  simulateBlackThursdayClip,
} from "./sim/venue/black-thursday-clip.js";
export {
  BLACK_THURSDAY_PUBLISHED,
  type ConditionScenario,
  checkHeadlines,
  sweepBlackThursday,
} from "./sim/venue/black-thursday-reconciliation.js";
// sim/venue: the book of positions, and stale-oracle bad debt
export {
  PerpVenue,
  type PerpVenueParams,
  replayVenue,
  type VenueReplay,
  type VenueStepRecord,
  type VenueTotals,
} from "./sim/venue/engine.js";
export type { ImpactFeedbackParams } from "./sim/venue/impact-feedback.js";
export { loadLendingBook } from "./sim/venue/lending-book-file.js";
export {
  LendingEngine,
  type LendingMarketParams,
  type LendingProcedure,
  type LendingTotals,
} from "./sim/venue/lending-engine.js";
export { drawLendingBook, type LendingPopulationSpec } from "./sim/venue/lending-population.js";
export {
  CometProcedure,
  type CometProcedureParams,
  type CometTotals,
  cometProcedure,
} from "./sim/venue/lending-procedure-comet.js";
export {
  type LendingMonteCarloOptions,
  type LendingMonteCarloReport,
  type LendingMonteCarloScenario,
  type LendingReplayScenario,
  type LendingScenario,
  type LendingScenarioReport,
  readLendingScenario,
  simulateLendingMonteCarlo,
  simulateLendingScenario,
} from "./sim/venue/lending-scenario.js";
export {
  type LendingEstimate,
  type LendingSimulationSpec,
  lendingSimulation,
} from "./sim/venue/lending-simulation.js";
export {
  type LiquidatorAgentSpec,
  LiquidatorPool,
  type LiquidatorPoolParams,
  readLiquidatorPool,
} from "./sim/venue/liquidators.js";
export { type MakerDayMarket, makerDayMarket } from "./sim/venue/maker-day-market.js";
export { type MakerScenario, readMakerScenario } from "./sim/venue/maker-scenario.js";
export { type MakerScenarioReport, simulateMakerScenario } from "./sim/venue/maker-scenario-report.js";
// sim/venue: oracle models (the price the venue sees) and stale-oracle bad debt
export { type CapoSpec, capoMaxRatio, cappedOraclePath } from "./sim/venue/oracle-capped.js";
export { type DelayedOracleSpec, delayedOraclePath } from "./sim/venue/oracle-delayed.js";
export { type PushOracleRun, type PushOracleSpec, pushOraclePath } from "./sim/venue/oracle-push.js";
export { type ThinBookMark, thinBookMark, thinBookMarkPath } from "./sim/venue/oracle-thin-book.js";
export {
  type DrawnPopulation,
  drawPopulation,
  loadPopulation,
  type PerpPopulation,
  truncatedParetoQuantile,
} from "./sim/venue/population.js";
export {
  type LeverageComponent,
  type PopulationFile,
  type PopulationSpec,
  readPopulationFile,
  readPopulationSpec,
} from "./sim/venue/population-spec.js";
// sim/venue: dYdX v4's liquidation procedure (block orders at the fillable price, deleveraging)
export {
  type DydxCounts,
  type DydxProcedureParams,
  dydxBlockSize,
  dydxFillablePrice,
  dydxProcedure,
} from "./sim/venue/procedure-dydx.js";
// sim/venue: Hyperliquid's liquidation procedure, and reconciliation 1 on a simulated venue
export {
  type HyperliquidProcedureParams,
  hyperliquidAction,
  hyperliquidProcedure,
} from "./sim/venue/procedure-hyperliquid.js";
// sim/venue: scenarios (liqopt simulate) and their workflow
export {
  type PopulationSource,
  readScenario,
  type Scenario,
  type ScenarioFileReader,
  type ScenarioPath,
  type ScenarioVenue,
} from "./sim/venue/scenario.js";
// sim/venue: the scenario kinds (perp, lending, maker)
export { type AnyScenario, readScenarioOfKind } from "./sim/venue/scenario-kind.js";
export {
  type AdlPolicyOutcome,
  adlPolicyComparison,
  type HeadlineMetric,
  type MonteCarloSeries,
  type ReplaySeries,
  type ScenarioReport,
  type SimulateScenarioOptions,
  simulateScenario,
} from "./sim/venue/scenario-report.js";
export {
  type LendingPosition,
  type LiquidationOutcome,
  liquidateAt,
  type StaleOracleExposure,
  staleOracleExposure,
} from "./sim/venue/stale-oracle.js";
export {
  type SweepAxis,
  type SweepParameters,
  type SweepPointResult,
  type SweepReport,
  sweepGrid,
  sweepScenario,
} from "./sim/venue/sweep.js";
// venues: perp rulebooks, document resolvers, the reports of liq-price / liquidate / what-if / venues
export * as aaveV3 from "./venues/aave-v3.js";
export { type ResolvedAccount, resolveAccountDocument } from "./venues/account-document.js";
export { type AccountReport, accountReport, liqPriceReportOf } from "./venues/account-report.js";
export {
  adlPercentiles,
  allocateDeleveraging,
  type DeleverageFill,
  type RankedPosition,
  standardAdlScore,
} from "./venues/adl.js";
export { type ResolvedAnyDocument, resolveAnyDocument } from "./venues/any-document.js";
export { binanceCoinmLiquidationPrice } from "./venues/binance-coinm.js";
export { binancePerpMarkPath, binancePerpMarkPrice } from "./venues/binance-mark-price.js";
export { binanceUsdmLiquidationPrice } from "./venues/binance-usdm.js";
export { bybitIsolatedLiquidationPrice } from "./venues/bybit.js";
export * as compoundV3 from "./venues/compound-v3.js";
export { type DriftLiquidateReport, driftLiquidateReport } from "./venues/drift/liquidate-report.js";
export { type DriftMarginReport, driftMarginReport } from "./venues/drift/margin-report.js";
export { type DriftWhatIfAction, type DriftWhatIfReport, driftWhatIfReport } from "./venues/drift/what-if.js";
export { type ResolvedDriftDocument, resolveDriftDocument } from "./venues/drift-document.js";
export * as driftV2 from "./venues/drift-v2.js";
export * as dydxV4 from "./venues/dydx-v4.js";
export * as gmxV2 from "./venues/gmx-v2.js";
export { hyperliquidLiquidationPrice, hyperliquidLiquidationSteps } from "./venues/hyperliquid.js";
export {
  hyperliquidMarkPath,
  hyperliquidMarkPrice,
  hyperliquidOraclePrice,
} from "./venues/hyperliquid-mark-price.js";
export {
  type AdlCandidate,
  type DatedTierTable,
  getVenue,
  type LiquidationState,
  type LiquidationStep,
  type Venue,
  venueIds,
} from "./venues/index.js";
export type {
  LendingLiqPriceReport,
  LendingWhatIfAction,
  LendingWhatIfReport,
} from "./venues/lending/money-market.js";
export {
  LENDING_VENUES,
  type LendingVenueKey,
  lendingLiqPriceReport,
  type ResolvedLendingDocument,
  resolveLendingDocument,
} from "./venues/lending/registry.js";
export type { LendingVenue, LiquidateOptions, WhatIfOptions } from "./venues/lending/venue.js";
export {
  type LiqPriceReport,
  type LiquidationReport,
  liqPriceReport,
  type PositionReport,
} from "./venues/liq-price-report.js";
export {
  type LiquidateOutcome,
  type LiquidateReport,
  liquidateOutcome,
  liquidateReport,
} from "./venues/liquidate-report.js";
export * as makerClip from "./venues/maker-clip.js";
export * as makerFlip from "./venues/maker-flip.js";
export * as makerFlop from "./venues/maker-flop.js";
export * as mechanisms from "./venues/mechanisms/index.js";
export type { PerpLiquidateReport } from "./venues/perp-liquidation-report.js";
export type { PerpWhatIfAction, PerpWhatIfReport } from "./venues/perp-what-if.js";
export {
  isVenueRevert,
  type RevertingVenue,
  type VenueCallStep,
  type VenueRevert,
  VenueRevertError,
} from "./venues/revert.js";
export {
  parseBinanceLeverageBrackets,
  parseCcxtLeverageTiers,
  parseTierTable,
} from "./venues/tier-loaders.js";
export {
  tierTableDetail,
  type VenueList,
  type VenueSummary,
  venueDetail,
  venueList,
} from "./venues/venue-report.js";
export { type WhatIfReport, whatIfReport } from "./venues/what-if-report.js";
// vol: realized, EWMA, GARCH/GJR, the volatility processes and their registry, implied volatility
export {
  ARJI_TRUNCATION,
  type ArjiFiltered,
  type ArjiFit,
  type ArjiParams,
  arjiFilter,
  fitArji,
  simulateArji,
} from "./vol/arji.js";
export {
  type Black76Inputs,
  black76ImpliedVol,
  black76ImpliedVolCoin,
  black76Price,
  black76PriceCoin,
  black76Vega,
  type ImpliedVolResult,
} from "./vol/black76.js";
export { type EwmaOptions, ewmaEffectiveMemory, ewmaHalfLife, ewmaVariance } from "./vol/ewma.js";
export { type EwmaParams, ewmaProcess } from "./vol/ewma-process.js";
export { garchProcess, gjrProcess } from "./vol/garch/process.js";
export {
  conditionalVariance,
  fit,
  forecast,
  type GarchBound,
  type GarchDist,
  type GarchFit,
  type GarchFitOptions,
  type GarchForecast,
  type GarchModel,
  type GarchParams,
  type GarchPath,
  loglikelihood,
  simulate,
} from "./vol/garch.js";
export {
  type ExpiryBand,
  type ExpiryLine,
  type ImpliedInput,
  type ImpliedReport,
  impliedReport,
} from "./vol/implied-report.js";
export {
  fitJumpDiffusion,
  type JumpFit,
  type JumpModel,
  jumpLoglikelihood,
  type KouParams,
  kouDensity,
  kouMoments,
  type MertonParams,
  mertonDensity,
} from "./vol/jumps.js";
export {
  fitMertonRange,
  type MertonRangeFit,
  type RangeBars,
  rangeBarsFromCandles,
} from "./vol/jumps-range.js";
export type { VolatilityProcess } from "./vol/process.js";
export { fitProcess, type ProcessFit } from "./vol/process-fit.js";
export { type MertonRangeDensity, mertonRangeDensity } from "./vol/range-density.js";
export {
  logReturns,
  type RealizedVolatility,
  realizedVolatility,
  rollingVolatility,
  VOL_ESTIMATORS,
  type VolEstimator,
} from "./vol/realized.js";
export {
  MODELS,
  type ModelEntry,
  type ModelName,
  modelNames,
  VOLATILITY_PROCESSES,
  type VolatilityProcessName,
} from "./vol/registry.js";
export {
  type ButterflyCheck,
  type ChainSlice,
  fitSvi,
  type SmileSlice,
  type SviFit,
  type SviFitOptions,
  type SviRaw,
  smileSlicesFromChain,
  sviButterflyCheck,
  sviCalendarCheck,
  sviTotalVariance,
} from "./vol/svi.js";
export { type ChainVixIndex, vixIndexFromChain } from "./vol/vix-index.js";
export { type VolHistory, type VolOptions, type VolReport, volHistory, volReport } from "./vol/vol-report.js";

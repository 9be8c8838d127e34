#!/usr/bin/env Rscript
# Independent reference for liqopt's unconstrained GARCH fit (src/vol/garch/fit.ts with
# stationary: false; liqopt vol --unconstrained) on real crypto returns whose fGarch optimum is
# not stationary (alpha + beta > 1), where the default stationary fit ends on the bound.
#
# Writes test/fixtures/garch-nonstationary.json, read by test/vol/garch.test.ts. Run from the
# repository root:
#
#     Rscript scripts/reference/garch_nonstationary_fgarch.R
#
# Needs R's fGarch (Debian: apt-get install r-cran-fgarch). Series: the last 2000 daily percent log
# returns (100 diff(log(close)), 2020-10-08 ... 2026-03-30) of the bundled Binance spot files
#   btc  data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv  (what `liqopt vol` fits by default)
#   eth  data/ohlcv/binance-spot_ethusdt_1d_2017-08_2026-03.csv
# sorted ascending, close to close as liqopt's loader reads them (the files miss four days in 2026,
# which stay one return each). Fits: garchFit(~garch(1,1), cond.dist = "std") with fGarch's defaults
# (include.mean, init.rec = "mci", nlminb, Hessian "ropt"; no stationarity constraint) on the
# 2000 returns, and for btc also on the last 1000.
suppressPackageStartupMessages(library(fGarch))

num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")

fitT <- function(x) {
  f <- garchFit(~garch(1, 1), data = x, cond.dist = "std", trace = FALSE)
  p <- f@fit$par
  se <- f@fit$se.coef
  out <- list(n = length(x), mu = p[["mu"]], omega = p[["omega"]], alpha = p[["alpha1"]],
              beta = p[["beta1"]], nu = p[["shape"]])
  fields <- paste0('"', names(out), '": ', sapply(out, num), collapse = ", ")
  ses <- paste0('"', names(se), '": ', num(se), collapse = ", ")
  sprintf('{ %s, "persistence": %s, "llh": %s, "se": { %s } }', fields,
          num(p[["alpha1"]] + p[["beta1"]]), num(-f@fit$llh), ses)
}

returns <- function(file) {
  csv <- read.csv(file, skip = 1)
  csv <- csv[order(csv$Unix), ]
  stopifnot(!any(duplicated(csv$Unix)))
  x <- tail(100 * diff(log(csv$Close)), 2000)
  stopifnot(length(x) == 2000)
  x
}

btc <- returns("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv")
eth <- returns("data/ohlcv/binance-spot_ethusdt_1d_2017-08_2026-03.csv")

json <- paste0(
  "{\n",
  '"command": "Rscript scripts/reference/garch_nonstationary_fgarch.R",\n',
  sprintf('"generator": "R %s, fGarch %s",\n', getRversion(), packageVersion("fGarch")),
  '"units": "percent log returns (100 r), the last 2000 daily returns to 2026-03-30; llh is fGarch LLH (log-likelihood); se are fGarch Hessian standard errors",\n',
  sprintf('"btc": {\n  "returns": %s,\n  "garch-t": %s,\n  "garch-t-last1000": %s\n},\n',
          vec(btc), fitT(btc), fitT(tail(btc, 1000))),
  sprintf('"eth": {\n  "returns": %s,\n  "garch-t": %s\n}\n', vec(eth), fitT(eth)),
  "}\n"
)
writeLines(json, "test/fixtures/garch-nonstationary.json")
cat("wrote test/fixtures/garch-nonstationary.json\n")

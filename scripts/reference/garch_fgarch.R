#!/usr/bin/env Rscript
# Independent reference values for liqopt's GARCH(1,1) / GJR-GARCH(1,1) (src/vol/garch.ts).
#
# Writes test/fixtures/garch.json, read by test/vol/garch.test.ts. Run from the repository root:
#
#     Rscript scripts/reference/garch_fgarch.R && npx biome format --write test/fixtures/garch.json
#
# Needs R's fGarch (Debian: apt-get install r-cran-fgarch). Datasets:
#   btc2024  Binance BTCUSDT daily closes, data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv,
#            sorted ascending; the 366 log returns of 2024-01-01 ... 2024-12-31 (prior close
#            2023-12-31), times 100 (percent), as in shared/research/quant.md R13/R14.
#   dem2gbp  fGarch's DEM/GBP daily percent log returns, n = 1974 (quant.md R1/R2).
# Models: garchFit(~garch(1,1)) with cond.dist "norm" and "std" (fGarch defaults: include.mean,
# init.rec = "mci", algorithm "nlminb", Hessian "ropt"); GJR as fGarch's APARCH(1,1) with
# delta fixed at 2 and leverage, converted to GJR: alpha_gjr = alpha (1 - g)^2, gamma_gjr = 4 alpha g.
suppressPackageStartupMessages(library(fGarch))

num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")

fitOne <- function(x, formula, dist, gjr = FALSE) {
  f <- if (gjr) {
    garchFit(formula, data = x, cond.dist = dist, include.delta = FALSE, delta = 2,
             leverage = TRUE, trace = FALSE)
  } else {
    garchFit(formula, data = x, cond.dist = dist, trace = FALSE)
  }
  p <- f@fit$par
  se <- f@fit$se.coef
  out <- list(mu = p[["mu"]], omega = p[["omega"]])
  if (gjr) {
    a <- p[["alpha1"]]; g <- p[["gamma1"]]
    out$alpha <- a * (1 - g)^2
    out$gamma <- 4 * a * g
    out$aparchAlpha <- a
    out$aparchGamma <- g
  } else {
    out$alpha <- p[["alpha1"]]
  }
  out$beta <- p[["beta1"]]
  if (dist == "std") out$nu <- p[["shape"]]
  fields <- paste0('"', names(out), '": ', sapply(out, num), collapse = ", ")
  ses <- paste0('"', names(se), '": ', num(se), collapse = ", ")
  sprintf('{ %s, "llh": %s, "se": { %s } }', fields, num(-f@fit$llh), ses)
}

csv <- read.csv("data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv", skip = 1)
csv <- csv[order(csv$Unix), ]
d <- as.Date(csv$Date)
i <- which(d >= as.Date("2023-12-31") & d <= as.Date("2024-12-31"))
btc <- 100 * diff(log(csv$Close[i]))
stopifnot(length(btc) == 366)
data(dem2gbp)
dem <- dem2gbp[, 1]
stopifnot(length(dem) == 1974)

block <- function(name, x, gjr) {
  parts <- c(
    sprintf('"garch-normal": %s', fitOne(x, ~garch(1, 1), "norm")),
    sprintf('"garch-t": %s', fitOne(x, ~garch(1, 1), "std"))
  )
  if (gjr) parts <- c(parts, sprintf('"gjr-normal": %s', fitOne(x, ~aparch(1, 1), "norm", TRUE)))
  sprintf('"%s": {\n  "returns": %s,\n  %s\n}', name, vec(x), paste(parts, collapse = ",\n  "))
}

json <- paste0(
  "{\n",
  '"command": "Rscript scripts/reference/garch_fgarch.R && npx biome format --write test/fixtures/garch.json",\n',
  sprintf('"generator": "R %s, fGarch %s",\n', getRversion(), packageVersion("fGarch")),
  '"units": "percent log returns (100 r); llh is fGarch LLH (log-likelihood); se are fGarch Hessian standard errors",\n',
  block("btc2024", btc, TRUE), ",\n",
  block("dem2gbp", dem, TRUE), "\n}\n"
)
writeLines(json, "test/fixtures/garch.json")
cat("wrote test/fixtures/garch.json\n")

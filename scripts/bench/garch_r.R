#!/usr/bin/env Rscript
# Times R's fGarch garchFit on a series of returns, for bench/garch.ts (issue 4: liqopt's GARCH fit
# must beat the R reference measured in the same run).
#
#     Rscript scripts/bench/garch_r.R <returns.csv> [budgetMs]
#
# <returns.csv>: one return per line (percent log returns, no header), as bench/garch.ts writes it.
# budgetMs (default 2000): time spent per case; each case runs at least 3 times after one warm-up.
# Only the garchFit call is timed (Sys.time() around it): fGarch's defaults (include.mean,
# init.rec = "mci", algorithm "nlminb", hessian "ropt" — the Hessian for standard errors is part of
# the fit, as it is in liqopt's fit()). GJR is fGarch's APARCH(1,1) with delta fixed at 2 and
# leverage, which is GJR-GARCH (alpha_gjr = alpha (1 - g)^2, gamma_gjr = 4 alpha g).
# Prints one JSON object to stdout:
#   { "generator": "R x, fGarch y", "n": n, "cases": [ { "case", "runs", "medianMs", "minMs",
#     "meanMs", "llh", "params": {...} } ] }
# Exits with status 3 and a message on stderr if fGarch is not installed.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript scripts/bench/garch_r.R <returns.csv> [budgetMs]")
if (!suppressPackageStartupMessages(requireNamespace("fGarch", quietly = TRUE))) {
  cat("R package fGarch is not installed (Debian: apt-get install r-cran-fgarch)\n", file = stderr())
  quit(status = 3)
}
suppressPackageStartupMessages(library(fGarch))
x <- scan(args[[1]], quiet = TRUE)
budget <- if (length(args) >= 2) as.numeric(args[[2]]) / 1000 else 2

fitCase <- function(dist, gjr) {
  if (gjr) {
    garchFit(~aparch(1, 1), data = x, cond.dist = dist, include.delta = FALSE, delta = 2,
             leverage = TRUE, trace = FALSE)
  } else {
    garchFit(~garch(1, 1), data = x, cond.dist = dist, trace = FALSE)
  }
}

num <- function(v) sprintf("%.17g", v)

timeCase <- function(name, dist, gjr) {
  f <- fitCase(dist, gjr) # warm-up (and the fit whose results are reported)
  ms <- numeric(0)
  started <- Sys.time()
  while (length(ms) < 3 || as.numeric(Sys.time() - started, units = "secs") < budget) {
    t0 <- Sys.time()
    fitCase(dist, gjr)
    ms <- c(ms, 1000 * as.numeric(Sys.time() - t0, units = "secs"))
  }
  p <- f@fit$par
  pj <- paste0('"', names(p), '": ', num(p), collapse = ", ")
  sprintf(
    '{ "case": "%s", "runs": %d, "medianMs": %s, "minMs": %s, "meanMs": %s, "llh": %s, "params": { %s } }',
    name, length(ms), num(median(ms)), num(min(ms)), num(mean(ms)), num(-f@fit$llh), pj
  )
}

cases <- c(
  timeCase("garch-normal", "norm", FALSE),
  timeCase("garch-t", "std", FALSE),
  timeCase("gjr-normal", "norm", TRUE),
  timeCase("gjr-t", "std", TRUE)
)
cat(sprintf('{ "generator": "R %s, fGarch %s", "n": %d, "cases": [\n  %s\n] }\n',
            getRversion(), packageVersion("fGarch"), length(x), paste(cases, collapse = ",\n  ")))

#!/usr/bin/env python3
"""Reference values for src/math/distributions.ts from scipy (Debian's python3-scipy).

Run once, from the repository root:
    /usr/bin/python3 scripts/reference/distributions.py > test/fixtures/distributions.json
The output is committed; the tests never run Python.
"""
import json
import sys

import numpy as np
import scipy
from scipy import special, stats

xs = [-38.0, -20.0, -8.5, -5.0, -3.0, -1.96, -1.0, -0.3, 0.0, 0.25, 1.0, 2.326, 4.0, 7.5]
ps = [1e-300, 1e-100, 1e-12, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.2, 0.5, 0.7, 0.95, 0.975, 0.99, 0.999, 1 - 1e-9]
nus = [1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0, 30.0, 150.0]
t_xs = [-50.0, -6.0, -2.5, -1.0, -0.1, 0.0, 0.7, 2.0, 3.5, 12.0]
t_ps = [1e-10, 1e-4, 0.001, 0.01, 0.025, 0.05, 0.3, 0.5, 0.8, 0.975, 0.99, 0.9999]

out = {
    "generator": "scripts/reference/distributions.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "python": sys.version.split()[0],
    "normal": {
        "cdf": [[x, float(stats.norm.cdf(x))] for x in xs],
        "pdf": [[x, float(stats.norm.pdf(x))] for x in xs],
        "quantile": [[p, float(stats.norm.ppf(p))] for p in ps],
    },
    "t": {
        "cdf": [[x, nu, float(stats.t.cdf(x, nu))] for nu in nus for x in t_xs],
        "pdf": [[x, nu, float(stats.t.pdf(x, nu))] for nu in nus for x in t_xs],
        "quantile": [[p, nu, float(stats.t.ppf(p, nu))] for nu in nus for p in t_ps],
    },
    "chi2": {
        "cdf": [[x, k, float(stats.chi2.cdf(x, k))] for k in [1, 2, 5, 30] for x in [0.01, 0.46147, 3.8415, 6.6349, 40.0]],
        "sf": [[x, k, float(stats.chi2.sf(x, k))] for k in [1, 2, 5, 30] for x in [0.01, 0.46147, 3.8415, 6.6349, 40.0, 200.0]],
    },
    "binomial": {
        "cdf": [[x, n, p, float(stats.binom.cdf(x, n, p))]
                for (n, p) in [(250, 0.01), (1043, 0.05), (500, 0.025), (10, 0.5), (2000, 0.001)]
                for x in [0, 1, 4, 5, 9, 10, 57, 120]],
    },
    "gamma": {
        "lnGamma": [[x, float(special.gammaln(x))] for x in [0.1, 0.5, 1.0, 1.5, 2.0, 4.2, 10.0, 171.5, 1e4]],
        "P": [[a, x, float(special.gammainc(a, x))] for a in [0.5, 1.0, 3.7, 50.0] for x in [0.01, 1.0, 4.0, 49.0, 80.0]],
        "Q": [[a, x, float(special.gammaincc(a, x))] for a in [0.5, 1.0, 3.7, 50.0] for x in [0.01, 1.0, 4.0, 49.0, 80.0]],
    },
    "beta": {
        "I": [[x, a, b, float(special.betainc(a, b, x))] for (a, b) in [(0.5, 0.5), (2.0, 3.0), (1.5, 0.5), (100.0, 20.0)]
              for x in [0.001, 0.2, 0.5, 0.83, 0.999]],
    },
}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")

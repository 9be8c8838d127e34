#!/usr/bin/env python3
"""Independent reference values for liqopt's Almgren-Chriss optimal liquidation (quant.md R11).

Writes test/fixtures/liquidity-almgren-chriss.json, read by test/risk/almgren-chriss.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/liquidity_almgren_chriss.py

Uses numpy and scipy. Source: Almgren, R. and Chriss, N. (2000), "Optimal execution of portfolio
transactions", Journal of Risk 3(2), 5-39; inputs of their section 3 example (X = 1e6 shares,
S0 = 50, T = 5 days, N = 5, sigma = 0.95 $/share/sqrt(day), epsilon = 0.0625, gamma = 2.5e-7,
eta = 2.5e-6). Unlike the TypeScript code (which sums over the trajectory and takes kappa from
arccosh), kappa is found here by scipy's brentq on cosh(kappa tau) - 1 - kappa_tilde^2 tau^2 / 2 = 0
and E, V come from the paper's closed forms for the optimal trajectory,
  E = 1/2 gamma X^2 + eps X + eta_t X^2 tanh(kappa tau / 2) (tau sinh(2 kappa T) + 2 T sinh(kappa tau))
      / (2 tau^2 sinh(kappa T)^2)
  V = 1/2 sigma^2 X^2 (tau sinh(kappa T) cosh(kappa (T - tau)) - T sinh(kappa tau))
      / (sinh(kappa T)^2 sinh(kappa tau)),
checked against the direct sums before writing. The linear (lambda -> 0) and sell-all-at-once
strategies are summed directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "liquidity-almgren-chriss.json"
P = dict(X=1e6, T=5.0, N=5, sigma=0.95, eps=0.0625, gamma=2.5e-7, eta=2.5e-6)


def sums(x: np.ndarray, tau: float, eta_t: float) -> tuple[float, float]:
    n = -np.diff(x)
    e = 0.5 * P["gamma"] * P["X"] ** 2 + P["eps"] * np.abs(n).sum() + eta_t / tau * (n**2).sum()
    v = P["sigma"] ** 2 * tau * (x[1:] ** 2).sum()
    return float(e), float(v)


def optimal(lam: float) -> dict:
    X, T, N, s = P["X"], P["T"], P["N"], P["sigma"]
    tau = T / N
    eta_t = P["eta"] - 0.5 * P["gamma"] * tau
    kt2 = lam * s * s / eta_t
    k = brentq(lambda k: np.cosh(k * tau) - 1 - kt2 * tau * tau / 2, 1e-12, 50.0, xtol=1e-15, rtol=1e-15)
    t = np.arange(N + 1) * tau
    x = X * np.sinh(k * (T - t)) / np.sinh(k * T)
    e = 0.5 * P["gamma"] * X**2 + P["eps"] * X + eta_t * X**2 * np.tanh(0.5 * k * tau) * (
        tau * np.sinh(2 * k * T) + 2 * T * np.sinh(k * tau)
    ) / (2 * tau**2 * np.sinh(k * T) ** 2)
    v = 0.5 * s**2 * X**2 * (tau * np.sinh(k * T) * np.cosh(k * (T - tau)) - T * np.sinh(k * tau)) / (
        np.sinh(k * T) ** 2 * np.sinh(k * tau)
    )
    es, vs = sums(x, tau, eta_t)
    assert abs(e - es) < 1e-6 * e and abs(v - vs) < 1e-6 * v, (e, es, v, vs)
    return {"lambda": lam, "kappa": float(k), "holdings": x.tolist(), "expectedCost": float(e), "variance": float(v),
            "sd": float(np.sqrt(v))}


def main() -> None:
    tau = P["T"] / P["N"]
    eta_t = P["eta"] - 0.5 * P["gamma"] * tau
    lin = np.linspace(P["X"], 0.0, P["N"] + 1)
    e_lin, v_lin = sums(lin, tau, eta_t)
    dump = np.array([P["X"]] + [0.0] * P["N"])
    e_dump, v_dump = sums(dump, tau, eta_t)
    doc = {
        "source": "scripts/reference/liquidity_almgren_chriss.py",
        "params": P,
        "linear": {"holdings": lin.tolist(), "expectedCost": e_lin, "variance": v_lin, "sd": float(np.sqrt(v_lin))},
        "sellAllAtOnce": {"expectedCost": e_dump, "variance": v_dump},
        "optimal": [optimal(lam) for lam in (1e-7, 1e-6, 2e-6)],
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent reference values for liqopt's BitMEX book rebuild, book walk and square-root fit.

Writes test/fixtures/liquidity-bitmex-book.json, read by test/market/bitmex-recording.test.ts
(via test/market/orderbook.test.ts), test/market/book-walk.test.ts and test/risk/impact.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/liquidity_bitmex_book.py

Standard library and numpy only. The book is rebuilt with Python dicts keyed by row id, following
BitMEX's websocket protocol (https://www.bitmex.com/app/wsAPI): `partial` replaces the symbol's
book, `insert` adds rows, `update` sets the size of a known id (price from the id), `delete` removes
ids. Messages are the lines "<epoch_s>: <json>" of the recording; "wss://" lines are skipped.

Book walk (quant.md section 3.9): levels best first, take min(available, remaining) per level;
XBTUSD is inverse with 1 USD per contract, so a level of c contracts at price p holds c USD and
c/p BTC; VWAP = USD paid / BTC received; slippage = (VWAP - mid)/mid for a buy, (mid - VWAP)/mid
for a sell.

Square-root law (Toth et al. 2011): I(Q) = Y sigma_D sqrt(Q / V_D). Y by least squares through the
origin on x = sigma_D sqrt(Q/V_D); (Y, delta) of I = Y sigma_D (Q/V_D)^delta by ordinary least
squares of log I on log(Q/V_D) (numpy.polyfit, degree 1).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "data" / "orderbook" / "bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt"
OUT = ROOT / "test" / "fixtures" / "liquidity-bitmex-book.json"
SYMBOL = "XBTUSD"
SIZES_USD = [1e4, 1e5, 1e6, 5e6, 1e7, 2e7, 5e7]
SIZES_BTC = [1.0, 10.0, 100.0, 500.0]
# Illustrative inputs of the square-root fit (not market estimates): daily vol and daily volume.
SIGMA_D = 0.04
V_D_USD = 2e9


def walk(levels, amount, unit):
    """levels: list of (price, contracts) best first. Returns (usd, btc, n_levels, worst, unfilled)."""
    rem = amount
    usd = btc = 0.0
    n = 0
    worst = float("nan")
    for p, c in levels:
        if rem <= 0:
            break
        lvl_usd, lvl_btc = float(c), c / p
        avail = lvl_usd if unit == "quote" else lvl_btc
        n += 1
        worst = p
        if avail <= rem:
            usd += lvl_usd
            btc += lvl_btc
            rem -= avail
        else:
            f = rem / avail
            usd += f * lvl_usd
            btc += f * lvl_btc
            rem = 0.0
    return usd, btc, n, worst, rem


def main() -> None:
    book: dict[int, tuple[str, float, float]] = {}
    ready = False
    events = []
    for lineno, line in enumerate(SRC.read_text().splitlines(), 1):
        if line.startswith("wss://") or not line:
            continue
        ts, _, body = line.partition(": ")
        msg = json.loads(body)
        if msg.get("table") != "orderBookL2":
            continue
        rows = [r for r in msg["data"] if r["symbol"] == SYMBOL]
        if not rows:
            continue
        action = msg["action"]
        if action == "partial":
            book = {r["id"]: (r["side"], float(r["price"]), float(r["size"])) for r in rows}
            ready = True
        elif not ready:
            continue
        elif action == "insert":
            for r in rows:
                book[r["id"]] = (r["side"], float(r["price"]), float(r["size"]))
        elif action == "update":
            for r in rows:
                side, price, _ = book[r["id"]]
                book[r["id"]] = (side, price, float(r["size"]))
        elif action == "delete":
            for r in rows:
                del book[r["id"]]
        bids = [(p, s) for side, p, s in book.values() if side == "Buy"]
        asks = [(p, s) for side, p, s in book.values() if side == "Sell"]
        events.append(
            {
                "line": lineno,
                "action": action,
                "bestBid": max(p for p, _ in bids),
                "bestAsk": min(p for p, _ in asks),
                "bidLevels": len(bids),
                "askLevels": len(asks),
                "bidContracts": float(np.sum([s for _, s in bids])),
                "askContracts": float(np.sum([s for _, s in asks])),
                "bidBtc": float(np.sum([s / p for p, s in bids])),
                "askBtc": float(np.sum([s / p for p, s in asks])),
            }
        )
    bids = sorted(((p, s) for side, p, s in book.values() if side == "Buy"), key=lambda x: -x[0])
    asks = sorted(((p, s) for side, p, s in book.values() if side == "Sell"), key=lambda x: x[0])
    mid = (bids[0][0] + asks[0][0]) / 2
    walks = []
    for unit, sizes in (("quote", SIZES_USD), ("base", SIZES_BTC)):
        for q in sizes:
            for side, levels in (("buy", asks), ("sell", bids)):
                usd, btc, n, worst, rem = walk(levels, q, unit)
                vwap = usd / btc
                slip = (vwap - mid) / mid if side == "buy" else (mid - vwap) / mid
                walks.append(
                    {
                        "side": side,
                        "unit": unit,
                        "amount": q,
                        "filledQuote": usd,
                        "filledBase": btc,
                        "vwap": vwap,
                        "slippage": slip,
                        "levelsConsumed": n,
                        "worstPrice": worst,
                        "unfilled": rem,
                    }
                )
    # Square-root fit on the sell-side walks in USD (a long liquidated into the bids).
    pts = [(w["amount"], w["slippage"]) for w in walks if w["side"] == "sell" and w["unit"] == "quote"]
    q = np.array([a for a, _ in pts])
    i = np.array([s for _, s in pts])
    x = SIGMA_D * np.sqrt(q / V_D_USD)
    y_fixed = float(np.dot(x, i) / np.dot(x, x))
    slope, intercept = np.polyfit(np.log(q / V_D_USD), np.log(i), 1)
    y_free = float(np.exp(intercept) / SIGMA_D)
    doc = {
        "source": "scripts/reference/liquidity_bitmex_book.py",
        "recording": str(SRC.relative_to(ROOT)),
        "symbol": SYMBOL,
        "events": events,
        "finalBook": {"mid": mid, "bestBid": bids[0][0], "bestAsk": asks[0][0]},
        "walks": walks,
        "sqrtFit": {
            "sigmaDaily": SIGMA_D,
            "dailyVolumeQuote": V_D_USD,
            "sizesQuote": q.tolist(),
            "impacts": i.tolist(),
            "yFixedExponent": y_fixed,
            "yFreeExponent": y_free,
            "exponent": float(slope),
        },
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT}: {len(events)} events, mid {mid}, Y {y_fixed:.6f}, free ({y_free:.6f}, {slope:.6f})")


if __name__ == "__main__":
    main()

"""The table the capstone adds for 行业变革 (changing the industry): the merchants' orders before Larkspur.

FICTIONAL and deterministic.

- ``before_larkspur``: for each of the 40 merchants with orders in ``orders`` (M001–M040), the
  orders it took in the month before it joined, and how many of them were placed online
  (delivery apps, its own mini program or app), as it reported in the sign-up questionnaire.

INSTRUCTOR NOTES — the planted finding (``ctopath.tools.findings`` checks it for every seed)
---------------------------------------------------------------------------------------
Before Larkspur the chains took about a third of their orders online (delivery apps); the
small shops almost none. In Q2 2026 both take about three in five online on the platform
(``orders``: app and mini_program). The small shops' share moved about twice as many points
as the chains': the gap between a single shop and a 40-store chain closed. That is the
change in the industry the platform makes — what only chains could afford, every shop has.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import Builder

SCHEMAS: dict[str, dict[str, str]] = {
    "before_larkspur": {"merchant_id": "id", "monthly_orders": "int", "online_orders": "int"},
}

ONLINE_BEFORE = {"chain": (0.25, 0.42), "smb": (0.0, 0.12)}  # share of orders placed online, before joining


def build_before(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    merchants = built["merchants"].sort_values("merchant_id", kind="stable")
    orders = built["orders"]
    months = orders["created_at"].dt.to_period("M")
    per_month = orders.groupby("merchant_id").size() / months.groupby(orders["merchant_id"]).nunique()
    rows = []
    for m in merchants.itertuples(index=False):
        # about the orders the merchant takes on the platform now: joining moved its orders, not its demand
        base = float(per_month.get(m.merchant_id, 10.0)) * rng.uniform(0.8, 1.05)
        monthly = max(5, round(base))
        share = rng.uniform(*ONLINE_BEFORE[m.segment])
        rows.append((m.merchant_id, monthly, round(share * monthly)))
    return {"before_larkspur": pd.DataFrame(rows, columns=list(SCHEMAS["before_larkspur"]))}


BUILDERS = (Builder("m06_before_larkspur", ("before_larkspur",), build_before, reads=("merchants", "orders")),)

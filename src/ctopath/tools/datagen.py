"""Deterministic generator of the workshop's data: ``python -m ctopath data [--seed N] [--out DIR]``.

Writes ``data/<table>.csv`` for every table in ``ctopath.data.TABLES`` plus
``data/SHA256SUMS``. The output is byte-identical on every run and machine for a seed
(default ``SEED``, the committed data): integer-cent arithmetic, sorted rows, fixed number
formats, "\\n" line ends, no index. Then it checks the planted findings the lessons rely on
(``ctopath.tools.findings``) on the written files and exits 1 naming any the seed broke.

The company, Larkspur Retail Cloud (云雀零售云), and all its merchants, consumers and
figures are FICTIONAL. Period 2026-01-01 .. 2026-06-30, currency CNY.

Adding a table
--------------
Append a :class:`Builder` to ``BUILDERS`` (and its schema to ``ctopath.data.TABLES``).
Every builder draws from its own random generator, seeded from the seed and a SHA-256 of
the builder's name (never Python's ``hash()``), so a new builder cannot change the random
stream — nor the bytes — of the existing tables. A builder whose draw breaks a planted
finding on its tables (``ctopath.tools.findings``) draws again from a stream of its own
(``name#draw1``, ...); a new finding must hold on the first draws of ``SEED``, or the
committed data changes. Builders run in order and receive the
tables built before them. Orders, order lines and coupons come from one builder ("sales")
because a redeemed coupon *is* an order: they cannot be drawn independently.

INSTRUCTOR NOTES — the planted findings (not in data/README.md: learners read that)
-------------------------------------------------------------------------------------
Figures below are those of the committed data; tests/unit/test_datagen.py and
tests/unit/test_models_commerce.py re-derive them.

1. Payment-callback outage (reconciliation): exactly 23 paid orders created on Friday
   2026-04-17 between 14:00 and 16:30, all channel ``mini_program``, across 11 merchants,
   have NO ledger entries (no payment, no fees, no refund). Every other paid/refunded
   order reconciles exactly. ``commerce.unreconciled_orders`` finds them; their paid
   amounts total 1,699.50 CNY. Because settlements pay out the ledger balance, those
   merchants' settlements of Monday 2026-04-20 are short by these payments (net of the
   fees that would have been charged).
2. A campaign that lost money: CP03 "Weekend Half-Price Pastries" (M003 Golden Wheat
   Bakery, 50 % off, weekends only; bakery gross margins are 40–48 %, so half price sells
   below cost). ``commerce.campaign_pnl``: gross profit −702.54 CNY (−2.63 per
   redemption, 267 of 800 coupons redeemed); every other campaign is profitable.
   Distractor: CP04 "Spring Wardrobe 30 Off" (M008 Qingfeng Apparel, 30 off 299) has the
   lowest redemption rate, 4.6 % (69 of 1,500), yet the largest profit per redemption
   (≈148 CNY): a low redemption rate is cheap, not bad.
3. Concentration: the 8 chains carry 78.9 % of GMV (teaser for "big accounts vs long tail").
4. Refunds concentrate in fashion: refund rate by value 16.5 % for fashion vs 4.9 % overall
   (3.4×); by count 2.7 % overall.

Reference figures (committed data): GMV March 2026 (created 2026-03-01 .. 03-31)
93,175.75 CNY, net GMV 87,607.25; GMV whole period 641,620.75; take rate Q1 2026
0.6073 % (platform fees ÷ GMV of orders created 2026-01-01 .. 03-31).
Orders 8,325 (7,922 paid, 222 refunded, 181 cancelled).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ctopath.data import CHECKSUM_FILE, TABLES, data_dir
from ctopath.tools.findings import FINDINGS, check_findings, check_tables

SEED = 20260101
PERIOD_START = pd.Timestamp("2026-01-01")
PERIOD_END = pd.Timestamp("2026-07-01")  # exclusive
OUTAGE_START = pd.Timestamp("2026-04-17 14:00")
OUTAGE_END = pd.Timestamp("2026-04-17 16:30")  # exclusive
OUTAGE_ORDERS = 23
PAYMENT_FEE_PPM = 3800  # 0.38 % of the paid amount, in parts per million
REFUND_CUTOFF = pd.Timestamp("2026-06-20")  # orders after this cannot be refunded within the period
SPRING_FESTIVAL = (pd.Timestamp("2026-02-14"), pd.Timestamp("2026-02-23"))  # holiday dip (inclusive)

CATEGORIES = ("cafe", "bakery", "grocery", "fashion", "beauty")


# ----------------------------------------------------------------------------- framework


from ctopath.course.tables import Builder, discover, in_order  # noqa: E402  (re-exported for table files)


def child_rng(name: str, seed: int = SEED) -> np.random.Generator:
    """The generator of builder ``name``: seeded by ``seed`` and a stable hash of the name."""
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng([seed, key])


def fee_cents(paid_cents, ppm):
    """``paid × rate`` rounded half up to the fen, in integer cents (rate in parts per million)."""
    return (np.asarray(paid_cents, dtype="int64") * np.asarray(ppm, dtype="int64") + 500_000) // 1_000_000


def _cny(cents) -> np.ndarray:
    return np.asarray(cents, dtype="int64") / 100.0


# ----------------------------------------------------------------------------- merchants

# name, category, city, stores, plan, monthly fee, platform fee rate, signup date
_CHAINS = [
    ("Lanting Coffee", "cafe", "Shanghai", 42, "enterprise", 4999, 0.005, "2024-09-12"),
    ("Hua Tea House", "cafe", "Hangzhou", 26, "enterprise", 3599, 0.006, "2025-03-03"),
    ("Golden Wheat Bakery", "bakery", "Shanghai", 30, "enterprise", 3999, 0.006, "2025-01-15"),
    ("Maple Bakery", "bakery", "Guangzhou", 18, "enterprise", 2999, 0.007, "2025-06-20"),
    ("FreshWay Market", "grocery", "Shenzhen", 55, "enterprise", 6999, 0.004, "2024-11-05"),
    ("Xinyuan Grocers", "grocery", "Chengdu", 20, "enterprise", 3299, 0.006, "2025-08-18"),
    ("Qingfeng Apparel", "fashion", "Hangzhou", 24, "enterprise", 4599, 0.005, "2025-04-09"),
    ("Jade Petal Beauty", "beauty", "Beijing", 16, "enterprise", 3299, 0.007, "2025-10-27"),
]

_SMB = {
    "cafe": ["Little Sparrow Cafe", "Momo Coffee", "Corner Brew", "Yun Cafe", "Bean There",
             "Willow Lane Coffee", "Xiaoxiang Tea Bar", "Orchid Cup"],
    "bakery": ["Sunrise Bakehouse", "Mianmian Bakery", "Crumb and Co", "Tangyuan Sweets",
               "Oven Door", "Lotus Pastry", "Butterfield Bakes"],
    "grocery": ["Daily Green Mart", "Lao Zhang Grocery", "Harbor Fresh", "Riverside Provisions",
                "Anping Market", "Bamboo Basket"],
    "fashion": ["Silk Thread Studio", "Urban Loom", "Qiao Boutique", "Indigo Lane",
                "Feather and Fold", "Ming Style"],
    "beauty": ["Pearl Glow", "Lanlan Skin Lab", "Petal and Dew", "Rouge Room", "Baicao Botanics"],
}

_CITIES = ("Shanghai", "Hangzhou", "Beijing", "Shenzhen", "Guangzhou", "Chengdu", "Suzhou", "Nanjing", "Wuhan")


def build_merchants(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    rows = []
    for name, cat, city, stores, plan, fee, rate, signup in _CHAINS:
        rows.append((name, "chain", cat, city, plan, stores, fee * 100, rate, pd.Timestamp(signup)))
    for cat in CATEGORIES:
        for name in _SMB[cat]:
            city = _CITIES[rng.integers(len(_CITIES))]
            plan = "growth" if rng.random() < 0.35 else "starter"
            stores = int(rng.choice([1, 1, 1, 2, 3]))
            if rng.random() < 0.55:  # signed up before the period
                signup = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 365)))
            else:  # self-serve sign-ups during the period (growth)
                signup = PERIOD_START + pd.Timedelta(days=int(rng.integers(0, 120)))
            rows.append((name, "smb", cat, city, plan, stores, {"starter": 199, "growth": 599}[plan] * 100,
                         0.010, signup))
    df = pd.DataFrame(rows, columns=["merchant_name", "segment", "category", "city", "plan", "stores",
                                     "fee_cents", "platform_fee_rate", "signup_date"])
    # ids follow sign-up order, as an operational system would assign them
    df = df.sort_values(["signup_date", "merchant_name"], kind="stable").reset_index(drop=True)
    df.insert(0, "merchant_id", [f"M{i:03d}" for i in range(1, len(df) + 1)])
    df["monthly_fee_cny"] = _cny(df.pop("fee_cents"))
    return {"merchants": df[list(TABLES["merchants"])]}


# ----------------------------------------------------------------------------- products

_PRODUCTS = {
    "cafe": ["Americano", "Latte", "Cappuccino", "Flat White", "Oat Milk Latte", "Osmanthus Latte",
             "Matcha Latte", "Cold Brew", "Mocha", "Hand-drip Coffee", "Jasmine Milk Tea",
             "Lemon Black Tea", "Cheesecake Slice", "Almond Croissant"],
    "bakery": ["Butter Croissant", "Pork Floss Bun", "Egg Tart", "Red Bean Bun", "Sourdough Loaf",
               "Milk Toast", "Cheese Bun", "Matcha Roll Cake", "Chocolate Muffin", "Taro Bread",
               "Walnut Bread", "Mango Mousse", "Baguette", "Cinnamon Roll"],
    "grocery": ["Jasmine Rice 5kg", "Fresh Milk 1L", "Free-range Eggs 10pcs", "Pork Belly 500g",
                "Bok Choy 500g", "Apples 1kg", "Soy Sauce 500ml", "Peanut Oil 5L", "Tofu 400g",
                "Chicken Wings 1kg", "Instant Noodles 5-pack", "Green Tea 500ml", "Yogurt 4-pack",
                "Frozen Dumplings 1kg"],
    "fashion": ["Linen Shirt", "Cotton T-shirt", "Denim Jacket", "Pleated Skirt", "Wool Scarf",
                "Wide-leg Trousers", "Knit Cardigan", "Silk Blouse", "Canvas Tote", "Trench Coat",
                "Hoodie", "Summer Dress", "Leather Belt", "Padded Vest"],
    "beauty": ["Hydrating Serum", "Sunscreen SPF50", "Cleansing Oil", "Sheet Mask 5-pack", "Lip Tint",
               "Eye Cream", "Toner 200ml", "Moisturiser", "Cushion Foundation", "Hand Cream",
               "Body Lotion", "Makeup Remover", "Clay Mask", "Perfume 30ml"],
}
# price range (CNY), gross margin range, extra lines (Poisson mean), chance of quantity > 1
_CATEGORY = {
    "cafe": dict(price=(14, 36), margin=(0.62, 0.78), lines=0.30, qty=0.05),
    "bakery": dict(price=(6, 26), margin=(0.40, 0.48), lines=1.20, qty=0.15),
    "grocery": dict(price=(5, 60), margin=(0.14, 0.26), lines=1.60, qty=0.12),
    "fashion": dict(price=(89, 349), margin=(0.45, 0.65), lines=0.05, qty=0.0),
    "beauty": dict(price=(49, 259), margin=(0.55, 0.75), lines=0.05, qty=0.0),
}


def build_products(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    merchants = built["merchants"]
    rows = []
    for m in merchants.itertuples(index=False):
        spec = _CATEGORY[m.category]
        n = int(rng.integers(10, 15)) if m.segment == "chain" else int(rng.integers(5, 9))
        names = rng.choice(_PRODUCTS[m.category], size=n, replace=False)
        for name in sorted(names):
            lo, hi = spec["price"]
            if m.category in ("fashion", "beauty"):
                price = int(rng.integers(lo // 10, hi // 10 + 1)) * 1000 + 900  # ends in 9: 129.00
            else:
                price = int(rng.integers(lo * 2, hi * 2 + 1)) * 50  # whole or half yuan
            margin = rng.uniform(*spec["margin"])
            cost = int(round(price * (1 - margin)))
            rows.append((m.merchant_id, str(name), m.category, price, cost))
    df = pd.DataFrame(rows, columns=["merchant_id", "product_name", "category", "price", "cost"])
    df.insert(0, "product_id", [f"P{i:04d}" for i in range(1, len(df) + 1)])
    df["unit_price_cny"] = _cny(df.pop("price"))
    df["unit_cost_cny"] = _cny(df.pop("cost"))
    return {"products": df[list(TABLES["products"])]}


# ----------------------------------------------------------------------------- campaigns

# id, merchant name, campaign name, kind, value, min spend, start, end (inclusive), issued,
# redemption probability, weekend only
_CAMPAIGNS = [
    ("CP01", "Lanting Coffee", "New Year Latte Voucher", "amount_off", 5, 30, "2026-01-02", "2026-01-31", 900, 0.25, False),
    ("CP02", "FreshWay Market", "Spring Festival Gift Basket", "amount_off", 20, 199, "2026-02-01", "2026-02-28", 600, 0.20, False),  # noqa: E501 (one campaign per row)
    ("CP03", "Golden Wheat Bakery", "Weekend Half-Price Pastries", "percent_off", 50, 20, "2026-03-07", "2026-04-26", 800, 0.35, True),  # noqa: E501 (one campaign per row)
    ("CP04", "Qingfeng Apparel", "Spring Wardrobe 30 Off", "amount_off", 30, 299, "2026-03-15", "2026-04-30", 1500, 0.05, False),
    ("CP05", "Jade Petal Beauty", "Glow Week 15% Off", "percent_off", 15, 150, "2026-05-10", "2026-05-24", 500, 0.18, False),
    ("CP06", "Little Sparrow Cafe", "Loyalty Treat 20% Off", "percent_off", 20, 25, "2026-05-01", "2026-06-30", 150, 0.30, False),
]


def build_campaigns(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    ids = dict(zip(built["merchants"]["merchant_name"], built["merchants"]["merchant_id"]))
    rows = [(cid, ids[m], name, kind, float(value), float(min_spend), pd.Timestamp(s), pd.Timestamp(e), issued)
            for cid, m, name, kind, value, min_spend, s, e, issued, _, _ in _CAMPAIGNS]
    df = pd.DataFrame(rows, columns=list(TABLES["campaigns"]))
    return {"campaigns": df}


# ----------------------------------------------------------------------------- sales

_HOURS = {  # relative order volume by hour of day, 7:00 .. 21:00
    "cafe": [3, 8, 9, 6, 4, 5, 4, 5, 6, 5, 3, 2, 2, 1, 1],
    "bakery": [5, 7, 6, 4, 3, 3, 3, 3, 4, 5, 7, 6, 4, 2, 1],
    "grocery": [1, 3, 5, 6, 6, 4, 3, 3, 4, 5, 7, 7, 5, 3, 2],
    "fashion": [0, 0, 1, 2, 4, 5, 5, 6, 6, 6, 6, 7, 7, 6, 4],
    "beauty": [0, 0, 1, 2, 4, 5, 5, 6, 6, 6, 6, 7, 7, 6, 4],
}
_PER_STORE_PER_DAY = {"cafe": 0.20, "bakery": 0.16, "grocery": 0.09, "fashion": 0.05, "beauty": 0.06}
_SMB_PER_DAY = (0.10, 0.30)
_CHANNELS = ("mini_program", "pos", "app")
_CHANNEL_P = {"chain": (0.45, 0.40, 0.15), "smb": (0.60, 0.40, 0.0)}
_REFUND_P = {"fashion": 0.20}
_REFUND_P_OTHER = 0.018
_CANCEL_P = 0.02


def _day_factor(day: pd.Timestamp) -> float:
    f = {5: 1.35, 6: 1.30}.get(day.day_of_week, 1.0)
    if SPRING_FESTIVAL[0] <= day <= SPRING_FESTIVAL[1]:
        f *= 0.45
    return f * (1.0 + 0.20 * (day - PERIOD_START).days / 181)  # the platform grows


class _Shop:
    """What the sales builder needs to know about one merchant."""

    def __init__(self, rng, m, products: pd.DataFrame):
        self.id, self.category, self.segment = m.merchant_id, m.category, m.segment
        self.signup = m.signup_date
        self.product_ids = products["product_id"].to_numpy()
        self.prices = np.round(products["unit_price_cny"].to_numpy() * 100).astype("int64")
        pop = rng.dirichlet(np.full(len(products), 1.5))
        self.popularity = pop / pop.sum()
        if m.segment == "chain":
            self.rate = m.stores * _PER_STORE_PER_DAY[m.category]
        else:
            self.rate = rng.uniform(*_SMB_PER_DAY)
        hours = np.asarray(_HOURS[m.category], dtype=float)
        self.hour_p = hours / hours.sum()
        self.consumers: list[int] = []  # global consumer numbers, filled later
        self.consumer_p: np.ndarray | None = None

    def basket(self, rng, min_cents: int = 0) -> list[tuple[int, int, int]]:
        """[(product index, quantity, unit price cents)], at least ``min_cents`` in total."""
        spec = _CATEGORY[self.category]
        n = min(len(self.product_ids), 1 + int(rng.poisson(spec["lines"])))
        idx = rng.choice(len(self.product_ids), size=n, replace=False, p=self.popularity)
        lines = [(int(i), 1 + int(rng.binomial(2, spec["qty"])), int(self.prices[i])) for i in idx]
        while sum(q * p for _, q, p in lines) < min_cents:
            i = int(rng.choice(len(self.product_ids), p=self.popularity))
            for k, (j, q, p) in enumerate(lines):
                if j == i:
                    lines[k] = (j, q + 1, p)
                    break
            else:
                lines.append((i, 1, int(self.prices[i])))
        return lines

    def time_on(self, rng, day: pd.Timestamp) -> pd.Timestamp:
        hour = 7 + int(rng.choice(len(self.hour_p), p=self.hour_p))
        return day + pd.Timedelta(hours=hour, minutes=int(rng.integers(0, 60)))

    def consumer(self, rng) -> int:
        return int(self.consumers[rng.choice(len(self.consumers), p=self.consumer_p)])


def _status(rng, category: str, created: pd.Timestamp) -> str:
    u = rng.random()
    if u < _CANCEL_P:
        return "cancelled"
    if u < _CANCEL_P + _REFUND_P.get(category, _REFUND_P_OTHER) and created < REFUND_CUTOFF:
        return "refunded"
    return "paid"


def _in_outage(t: pd.Timestamp) -> bool:
    return OUTAGE_START <= t < OUTAGE_END


def build_sales(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    merchants, products, campaigns = built["merchants"], built["products"], built["campaigns"]
    shops = {m.merchant_id: _Shop(rng, m, products[products["merchant_id"] == m.merchant_id])
             for m in merchants.itertuples(index=False)}
    days = pd.date_range(PERIOD_START, PERIOD_END - pd.Timedelta(days=1), freq="D")
    factors = np.array([_day_factor(d) for d in days])

    # consumer pools: about one member per 2.5 orders, more if a campaign needs them
    need = campaigns.groupby("merchant_id")["coupons_issued"].sum()
    next_consumer = 1
    for shop in shops.values():
        active = (days >= shop.signup).sum()
        size = max(15, int(shop.rate * factors.mean() * active / 2.5), int(need.get(shop.id, 0) * 1.2))
        shop.consumers = list(range(next_consumer, next_consumer + size))
        next_consumer += size
        w = 1.0 / np.arange(1, size + 1) ** 0.7  # a few regulars, a long tail
        shop.consumer_p = w / w.sum()

    orders: list[dict] = []

    def add_order(shop: _Shop, created, channel, status, lines, coupon=None, discount=0):
        items = sum(q * p for _, q, p in lines)
        orders.append(dict(merchant_id=shop.id, consumer=coupon[2] if coupon else shop.consumer(rng),
                           created_at=created, channel=channel, status=status, items=items,
                           discount=discount, lines=[(shop.product_ids[i], q, p) for i, q, p in lines],
                           coupon=coupon[0] if coupon else None, seq=len(orders)))

    # 1. everyday orders
    for shop in shops.values():
        counts = rng.poisson(shop.rate * factors)
        for day, n in zip(days, counts):
            if day < shop.signup:
                continue
            for _ in range(int(n)):
                created = shop.time_on(rng, day)
                channel = _CHANNELS[rng.choice(3, p=_CHANNEL_P[shop.segment])]
                add_order(shop, created, channel, _status(rng, shop.category, created), shop.basket(rng))

    # 2. the payment-callback outage: exactly OUTAGE_ORDERS paid mini-program orders in the window
    orders = [o for o in orders if not (o["channel"] == "mini_program" and _in_outage(o["created_at"]))]
    active = [s for s in shops.values() if s.signup <= OUTAGE_START]
    weights = np.array([s.rate for s in active])
    minutes = int((OUTAGE_END - OUTAGE_START) / pd.Timedelta(minutes=1))
    for _ in range(OUTAGE_ORDERS):
        shop = active[rng.choice(len(active), p=weights / weights.sum())]
        created = OUTAGE_START + pd.Timedelta(minutes=int(rng.integers(0, minutes)))
        add_order(shop, created, "mini_program", "paid", shop.basket(rng))

    # 3. campaigns: coupons issued to members, some redeemed in an extra order
    coupon_rows = []
    spec = {c[0]: c for c in _CAMPAIGNS}
    for c in campaigns.itertuples(index=False):
        shop = shops[c.merchant_id]
        redeem_p, weekend_only = spec[c.campaign_id][9], spec[c.campaign_id][10]
        first_issue = c.start_date - pd.Timedelta(days=7)
        issue_days = (c.end_date - first_issue).days - 2
        members = rng.choice(shop.consumers, size=c.coupons_issued, replace=False, p=shop.consumer_p)
        for member in members:
            issued = first_issue + pd.Timedelta(minutes=int(rng.integers(0, issue_days * 1440)))
            key = f"{c.campaign_id}-{len(coupon_rows):05d}"
            coupon_rows.append(dict(key=key, campaign_id=c.campaign_id, consumer=int(member), issued_at=issued))
            if rng.random() >= redeem_p:
                continue
            first = max(issued.normalize() + pd.Timedelta(days=1), c.start_date)
            options = pd.date_range(first, c.end_date, freq="D")
            if weekend_only:
                options = options[options.day_of_week >= 5]
            if len(options) == 0:
                continue
            created = shop.time_on(rng, options[rng.integers(len(options))])
            if _in_outage(created):
                continue
            lines = shop.basket(rng, min_cents=int(round(c.min_spend_cny * 100)))
            items = sum(q * p for _, q, p in lines)
            if c.coupon_kind == "amount_off":
                discount = min(items, int(round(c.coupon_value * 100)))
            else:
                discount = (items * int(c.coupon_value) + 50) // 100
            channel = _CHANNELS[rng.choice(3, p=_CHANNEL_P[shop.segment])]
            add_order(shop, created, channel, _status(rng, shop.category, created), lines,
                      coupon=(key, c.campaign_id, int(member)), discount=discount)

    # 4. ids in time order
    orders.sort(key=lambda o: (o["created_at"], o["merchant_id"], o["seq"]))
    order_rows, item_rows, redeemed = [], [], {}
    for n, o in enumerate(orders, start=1):
        oid = f"O{n:06d}"
        order_rows.append(dict(order_id=oid, merchant_id=o["merchant_id"], consumer=o["consumer"],
                               created_at=o["created_at"], channel=o["channel"], status=o["status"],
                               items=o["items"], discount=o["discount"], coupon=o["coupon"]))
        for line_no, (pid, q, p) in enumerate(o["lines"], start=1):
            item_rows.append((oid, line_no, pid, q, p, q * p))
        if o["coupon"]:
            redeemed[o["coupon"]] = oid

    coupon_df = pd.DataFrame(coupon_rows).sort_values(["campaign_id", "issued_at", "key"], kind="stable")
    coupon_df = coupon_df.reset_index(drop=True)
    coupon_df["coupon_id"] = [f"K{i:05d}" for i in range(1, len(coupon_df) + 1)]
    coupon_ids = dict(zip(coupon_df["key"], coupon_df["coupon_id"]))
    coupon_df["redeemed_order_id"] = coupon_df["key"].map(redeemed)

    # consumer ids: numbered by first appearance (orders, then coupons), C00001...
    first_seen: dict[int, int] = {}
    for c in [o["consumer"] for o in order_rows] + coupon_df["consumer"].tolist():
        first_seen.setdefault(c, len(first_seen) + 1)
    cid = {c: f"C{i:05d}" for c, i in first_seen.items()}
    coupon_df["consumer_id"] = coupon_df["consumer"].map(cid)

    od = pd.DataFrame(order_rows)
    od["consumer_id"] = od.pop("consumer").map(cid)
    od["items_amount_cny"] = _cny(od["items"])
    od["discount_cny"] = _cny(od["discount"])
    od["paid_amount_cny"] = _cny(od.pop("items") - od.pop("discount"))
    od["coupon_id"] = od.pop("coupon").map(coupon_ids)

    it = pd.DataFrame(item_rows, columns=["order_id", "line_no", "product_id", "quantity", "price", "amount"])
    it["unit_price_cny"] = _cny(it.pop("price"))
    it["line_amount_cny"] = _cny(it.pop("amount"))
    return {
        "orders": od[list(TABLES["orders"])],
        "order_items": it[list(TABLES["order_items"])],
        "coupons": coupon_df[list(TABLES["coupons"])],
    }


# ----------------------------------------------------------------------------- ledger

_ENTRY_RANK = {"payment": 0, "platform_fee": 1, "payment_fee": 2, "refund": 3, "settlement": 4}


def build_ledger(rng: np.random.Generator, built: dict) -> dict[str, pd.DataFrame]:
    orders = built["orders"]
    rate_ppm = {m: int(round(r * 1_000_000)) for m, r in
                zip(built["merchants"]["merchant_id"], built["merchants"]["platform_fee_rate"])}
    rows = []  # (time, order_id, rank, merchant_id, type, cents)
    last = PERIOD_END - pd.Timedelta(minutes=1)
    for o in orders.itertuples(index=False):
        if o.status not in ("paid", "refunded"):
            continue  # cancelled: no money moved, no entries
        if o.channel == "mini_program" and _in_outage(o.created_at):
            continue  # the payment-callback outage: these payments never reached the ledger
        paid = int(round(o.paid_amount_cny * 100))
        t = o.created_at
        rows.append((t, o.order_id, 0, o.merchant_id, "payment", paid))
        rows.append((t, o.order_id, 1, o.merchant_id, "platform_fee", -int(fee_cents(paid, rate_ppm[o.merchant_id]))))
        rows.append((t, o.order_id, 2, o.merchant_id, "payment_fee", -int(fee_cents(paid, PAYMENT_FEE_PPM))))
        if o.status == "refunded":
            when = t + pd.Timedelta(days=int(rng.integers(1, 11)), minutes=int(rng.integers(0, 240)))
            rows.append((min(when, last), o.order_id, 3, o.merchant_id, "refund", -paid))
    entries = pd.DataFrame(rows, columns=["time", "order_id", "rank", "merchant_id", "type", "cents"])

    # weekly settlement: every Monday 10:00, pay out (or claw back) the balance as of Sunday 24:00
    settlements = []
    merchants_sorted = sorted(entries["merchant_id"].unique())
    for monday in pd.date_range(PERIOD_START, PERIOD_END - pd.Timedelta(days=1), freq="W-MON"):
        balance = entries.loc[entries["time"] < monday].groupby("merchant_id")["cents"].sum()
        settled: dict[str, int] = {}
        for _, _, _, m, _, cents in settlements:
            settled[m] = settled.get(m, 0) + cents
        for m in merchants_sorted:
            b = int(balance.get(m, 0)) + settled.get(m, 0)
            if b != 0:
                settlements.append((monday + pd.Timedelta(hours=10), "", 4, m, "settlement", -b))
    entries = pd.concat([entries, pd.DataFrame(settlements, columns=entries.columns)], ignore_index=True)
    entries = entries.sort_values(["time", "order_id", "merchant_id", "rank"], kind="stable").reset_index(drop=True)
    return {"ledger_entries": pd.DataFrame({
        "entry_id": [f"L{i:07d}" for i in range(1, len(entries) + 1)],
        "merchant_id": entries["merchant_id"],
        "order_id": entries["order_id"].replace("", np.nan),
        "entry_time": entries["time"],
        "entry_type": entries["type"],
        "amount_cny": _cny(entries["cents"]),
    })}


# ----------------------------------------------------------------------------- registry

BUILDERS = in_order((
    Builder("merchants", ("merchants",), build_merchants, reads=()),
    Builder("products", ("products",), build_products, reads=("merchants",)),
    Builder("campaigns", ("campaigns",), build_campaigns, reads=("merchants",)),
    Builder("sales", ("orders", "order_items", "coupons"), build_sales, reads=("campaigns", "merchants", "products")),
    Builder("ledger", ("ledger_entries",), build_ledger, reads=("merchants", "orders")),
) + discover()[1])  # each runs after the builders of the tables it reads

#: table name → the builder that makes it
TABLE_BUILDERS: dict[str, Builder] = {t: b for b in BUILDERS for t in b.tables}


#: A builder whose draw breaks a planted finding on its tables draws again, at most this often.
MAX_DRAWS = 100


def _findings_settled_by(builder: Builder, built: dict) -> tuple:
    """The findings whose tables are all built once ``builder`` has run, one of them by ``builder``."""
    return tuple(f for f in FINDINGS if set(f.tables) & set(builder.tables) and set(f.tables) <= set(built))


def _build(builder: Builder, seed: int, built: dict) -> dict[str, pd.DataFrame]:
    """``builder``'s tables; drawn again (from a stream of its own) while they break a planted finding.

    The first draw uses the builder's usual generator, so a seed whose draws all keep the
    findings (today's SEED does) writes exactly what it wrote before redraws existed. A
    finding still broken after MAX_DRAWS stays broken: ``check_findings`` reports it.
    """
    suspects: list = []
    for draw in range(MAX_DRAWS):
        rng = child_rng(builder.name if draw == 0 else f"{builder.name}#draw{draw}", seed)
        out = builder.build(rng, {name: built[name] for name in builder.reads})
        if set(out) != set(builder.tables):
            raise RuntimeError(f"builder {builder.name!r} made {sorted(out)}, expected {sorted(builder.tables)}")
        tables = {**built, **out}
        suspects = suspects or list(_findings_settled_by(builder, tables))
        broken = next((f for f in suspects if check_tables(tables, (f,))), None)
        if broken is None:
            break
        # the finding this draw broke is the likeliest to break the next one: check it first (redraws cost)
        suspects.remove(broken)
        suspects.insert(0, broken)
    return out


def build_all(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Every table as a DataFrame (typed like ``ctopath.data.load``), in memory."""
    built: dict[str, pd.DataFrame] = {}
    for b in BUILDERS:
        built.update(_build(b, seed, built))
    return built


# ----------------------------------------------------------------------------- writing

_FORMATS = {
    "money": "{:.2f}",
    "number": "{:.2f}",
    "rate": "{:.3f}",
}


def _column_text(s: pd.Series, kind: str) -> pd.Series:
    if kind in _FORMATS:
        fmt = _FORMATS[kind]
        # "+ 0.0" and the zero test keep "-0.00" out of the files
        return s.astype("float64").map(lambda v: fmt.format(0.0 if round(v, 3) == 0 else v))
    if kind == "int":
        return s.astype("int64").astype(str)
    if kind == "date":
        return pd.to_datetime(s).dt.strftime("%Y-%m-%d")
    if kind == "datetime":
        return pd.to_datetime(s).dt.strftime("%Y-%m-%d %H:%M")
    return s.astype(object).where(s.notna(), "").astype(str)


def to_csv_bytes(frame: pd.DataFrame, schema: dict[str, str]) -> bytes:
    """The exact bytes written for ``frame``: schema columns, fixed formats, ``\\n`` line ends."""
    text = pd.DataFrame({c: _column_text(frame[c], k) for c, k in schema.items()})
    return text.to_csv(index=False, lineterminator="\n").encode("utf-8")


def generate(out_dir: Path | str | None = None, seed: int = SEED) -> dict[str, Path]:
    """Write every table to ``out_dir`` (default: the data folder) and SHA256SUMS; return {table: path}."""
    out = Path(out_dir) if out_dir is not None else data_dir()
    out.mkdir(parents=True, exist_ok=True)
    built = build_all(seed)
    written: dict[str, Path] = {}
    for name in sorted(built):
        schema = TABLES[name]
        path = out / f"{name}.csv"
        tmp = path.with_suffix(".csv.tmp")
        tmp.write_bytes(to_csv_bytes(built[name], schema))
        tmp.replace(path)
        written[name] = path
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
             for p in sorted(written.values(), key=lambda p: p.name)]
    (out / CHECKSUM_FILE).write_text("".join(lines), encoding="utf-8", newline="\n")
    return written


def _seed(text: str) -> int:
    """``--seed``: a whole number, 0 or more (what numpy's generators accept)."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the seed must be a whole number such as {SEED}, not {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"the seed must be 0 or more, not {seed}")
    return seed


def main(argv: list[str] | None = None) -> int:
    """Write the data, then check the planted findings: 0 if they all hold, 1 if the seed broke one, 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="python -m ctopath data",
        description="Write the workshop's fictional data (deterministic for a seed), then check that the "
                    "findings the lessons rely on hold in it.")
    parser.add_argument("--seed", type=_seed, default=SEED,
                        help=f"the random seed (default: {SEED}, the committed data)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: $CTOPATH_DATA if set, else the repo's data/)")
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else data_dir()
    if out.exists() and not out.is_dir():
        print(f"Cannot write the data to {out}: it is a file, not a folder. Choose a folder with --out DIR.",
              file=sys.stderr)
        return 2
    try:
        written = generate(out, seed=args.seed)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"Cannot write the data to {out}: {reason}. Choose a folder you can write to with --out DIR.",
              file=sys.stderr)
        return 2
    for name, path in written.items():
        print(f"{path}  {path.stat().st_size:>9,} bytes")
    print(f"{Path(out) / CHECKSUM_FILE}")
    broken = check_findings(out)
    if broken:
        print(f"\nSeed {args.seed} breaks {len(broken)} planted finding(s) the lessons rely on "
              f"(the data is written; the exercises' answers may not match it):", file=sys.stderr)
        for sentence in broken:
            print(f"- {sentence}", file=sys.stderr)
        return 1
    print(f"Seed {args.seed}: every planted finding holds ({len(FINDINGS)} checked).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

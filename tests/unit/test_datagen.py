"""The data generator: deterministic, committed data equal to its output, tables consistent."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ctopath import data
from ctopath.tools import datagen
from ctopath.models import commerce

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("gen_a"), tmp_path_factory.mktemp("gen_b")
    return datagen.generate(a), datagen.generate(b), a, b


@pytest.fixture(scope="module")
def t(two_runs):
    """Every table, loaded through ctopath.data from a freshly generated folder."""
    _, _, a, _ = two_runs
    mp = pytest.MonkeyPatch()
    mp.setenv("CTOPATH_DATA", str(a))
    data.clear_cache()
    try:
        yield {name: data.load(name) for name in data.tables()}
    finally:
        mp.undo()
        data.clear_cache()


# ----------------------------------------------------------------------------- determinism


def test_generates_every_table_in_the_schema(two_runs):
    first, _, a, _ = two_runs
    assert data.tables(), "no tables declared"
    assert sorted(first) == sorted(data.TABLES)
    for name in data.tables():
        assert (a / f"{name}.csv").stat().st_size > 0


def test_two_runs_are_byte_identical(two_runs):
    _, _, a, b = two_runs
    files = sorted(p.name for p in a.iterdir())
    assert "SHA256SUMS" in files and len(files) == len(data.TABLES) + 1
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_committed_data_equals_generator_output(two_runs):
    """The committed data/ cannot drift from the generator: regenerate with python -m ctopath data."""
    _, _, a, _ = two_runs
    for p in sorted(a.iterdir()):
        committed = REPO_DATA / p.name
        assert committed.is_file(), f"{committed} missing: run python -m ctopath data"
        assert committed.read_bytes() == p.read_bytes(), f"{committed} differs from the generator's output"


def test_sha256sums_format(two_runs):
    _, _, a, _ = two_runs
    lines = (a / "SHA256SUMS").read_text().splitlines()
    names = [line.split("  ")[1] for line in lines]
    assert names == sorted(names) == sorted(f"{n}.csv" for n in data.TABLES)
    for line in lines:
        digest, name = line.split("  ")
        assert digest == hashlib.sha256((a / name).read_bytes()).hexdigest()


def test_files_use_fixed_formats(two_runs):
    _, _, a, _ = two_runs
    raw = (a / "orders.csv").read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    header, first = raw.decode().splitlines()[:2]
    assert header == ",".join(data.TABLES["orders"])
    fields = first.split(",")
    assert fields[0] == "O000001"
    for money in fields[6:9]:
        assert money.count(".") == 1 and len(money.split(".")[1]) == 2
    assert b"-0.00" not in (a / "ledger_entries.csv").read_bytes()


def test_data_stays_small(two_runs):
    _, _, a, _ = two_runs
    total = sum(p.stat().st_size for p in a.glob("*.csv"))
    # serving_costs (one row per subscriptions row) added about 58 kB; module 04's work items,
    # builds, checklist and per-module usage about 73 kB
    assert 0 < total < 3_200_000


def test_child_generators_are_stable_and_independent():
    a1, a2, b = datagen.child_rng("sales"), datagen.child_rng("sales"), datagen.child_rng("ledger")
    x = a1.integers(0, 1 << 30, 5)
    assert (x == a2.integers(0, 1 << 30, 5)).all()
    assert not (x == b.integers(0, 1 << 30, 5)).all()


def test_adding_a_builder_does_not_change_existing_tables(monkeypatch):
    before = datagen.build_all()

    def build_extra(rng, built):
        rng.random(1000)  # consumes its own stream only
        return {"extra": pd.DataFrame({"n": [1]})}

    extra = datagen.Builder("extra", ("extra",), build_extra)
    monkeypatch.setattr(datagen, "BUILDERS", (extra,) + datagen.BUILDERS)
    after = datagen.build_all()
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[name], obj=name)


def test_fee_rounding_matches_the_model():
    cents = np.array([125, 1250, 36000, 4000, 999, 1])
    for ppm, rate in ((3800, 0.0038), (4000, 0.004), (10000, 0.010), (7000, 0.007)):
        got = datagen.fee_cents(cents, ppm) / 100
        assert np.array_equal(got, commerce.fee_cny(cents / 100, rate))


# ----------------------------------------------------------------------------- tables


def test_every_table_has_rows_and_its_schema(t):
    assert t, "no tables loaded"
    for name, schema in data.TABLES.items():
        assert len(t[name]) >= 1, name
        assert list(t[name].columns) == list(schema), name


def test_sizes(t):
    assert len(t["merchants"]) == 40
    assert len(t["campaigns"]) == 6
    assert 8_000 <= len(t["orders"]) <= 10_000
    assert len(t["order_items"]) >= len(t["orders"])


def test_ids_unique_and_patterned(t):
    for name, col, pattern in [("merchants", "merchant_id", r"M\d{3}"), ("products", "product_id", r"P\d{4}"),
                               ("orders", "order_id", r"O\d{6}"), ("ledger_entries", "entry_id", r"L\d{7}"),
                               ("campaigns", "campaign_id", r"CP\d{2}"), ("coupons", "coupon_id", r"K\d{5}")]:
        ids = t[name][col]
        assert ids.is_unique, col
        assert ids.str.fullmatch(pattern).all(), col
        assert ids.is_monotonic_increasing, col
    assert t["orders"]["consumer_id"].str.fullmatch(r"C\d{5}").all()
    assert t["orders"]["consumer_id"].duplicated().any(), "consumers should repeat"


def test_merchants(t):
    m = t["merchants"]
    assert (m["segment"] == "chain").sum() == 8 and (m["segment"] == "smb").sum() == 32
    assert set(m["category"]) == {"cafe", "bakery", "grocery", "fashion", "beauty"}
    assert set(m["plan"]) <= {"starter", "growth", "enterprise"}
    chains, smb = m[m["segment"] == "chain"], m[m["segment"] == "smb"]
    assert chains["stores"].between(8, 60).all() and smb["stores"].between(1, 3).all()
    assert (smb["platform_fee_rate"] == 0.010).all()
    assert chains["platform_fee_rate"].between(0.004, 0.007).all()
    fee = {"starter": 199.0, "growth": 599.0}
    assert (smb["monthly_fee_cny"] == smb["plan"].map(fee)).all()
    assert (chains["monthly_fee_cny"] >= 2999).all()
    assert (m["signup_date"] < "2026-01-01").any() and (m["signup_date"] >= "2026-01-01").any()


def test_products(t):
    p, m = t["products"], t["merchants"]
    assert (p["unit_cost_cny"] < p["unit_price_cny"]).all() and (p["unit_cost_cny"] > 0).all()
    assert (p["category"] == p["merchant_id"].map(m.set_index("merchant_id")["category"])).all()
    margin = 1 - p["unit_cost_cny"].sum() / p["unit_price_cny"].sum()
    assert 0.2 < margin < 0.8
    bakery = p[p["category"] == "bakery"]
    assert (bakery["unit_cost_cny"] / bakery["unit_price_cny"] > 0.5).all()


def test_referential_integrity(t):
    o, it, p, ledger, cp, k, m = (t[n] for n in ("orders", "order_items", "products", "ledger_entries",
                                            "campaigns", "coupons", "merchants"))
    assert o["merchant_id"].isin(m["merchant_id"]).all()
    assert p["merchant_id"].isin(m["merchant_id"]).all()
    assert it["order_id"].isin(o["order_id"]).all()
    assert o["order_id"].isin(it["order_id"]).all(), "every order has lines"
    assert it["product_id"].isin(p["product_id"]).all()
    lines = it.merge(o[["order_id", "merchant_id"]], on="order_id").merge(
        p[["product_id", "merchant_id"]], on="product_id", suffixes=("", "_product"))
    assert (lines["merchant_id"] == lines["merchant_id_product"]).all(), "products belong to the order's merchant"
    assert ledger["order_id"].dropna().isin(o["order_id"]).all()
    assert ledger["merchant_id"].isin(m["merchant_id"]).all()
    assert k["campaign_id"].isin(cp["campaign_id"]).all()
    assert cp["merchant_id"].isin(m["merchant_id"]).all()
    red = k["redeemed_order_id"].dropna()
    assert red.isin(o["order_id"]).all() and red.is_unique
    assert o["coupon_id"].dropna().isin(k["coupon_id"]).all()
    assert set(o["coupon_id"].dropna()) == set(k.loc[k["redeemed_order_id"].notna(), "coupon_id"])


def test_amounts_consistent(t):
    o, it = t["orders"], t["order_items"]
    assert np.allclose(it["line_amount_cny"], it["quantity"] * it["unit_price_cny"], atol=0.001)
    assert (it["quantity"] >= 1).all()
    assert (it.groupby("order_id")["line_no"].apply(lambda s: list(s) == list(range(1, len(s) + 1)))).all()
    sums = it.groupby("order_id")["line_amount_cny"].sum()
    assert np.allclose(o["items_amount_cny"], o["order_id"].map(sums), atol=0.001)
    assert np.allclose(o["paid_amount_cny"], o["items_amount_cny"] - o["discount_cny"], atol=0.001)
    assert ((o["discount_cny"] > 0) == o["coupon_id"].notna()).all()
    assert (o["paid_amount_cny"] > 0).all()


def test_orders(t):
    o = t["orders"]
    assert o["created_at"].is_monotonic_increasing
    assert o["created_at"].min() >= pd.Timestamp("2026-01-01") and o["created_at"].max() < pd.Timestamp("2026-07-01")
    assert (o["created_at"].dt.second == 0).all()
    assert set(o["channel"]) == {"mini_program", "pos", "app"}
    share = o["status"].value_counts(normalize=True)
    assert 0.015 < share["refunded"] < 0.045 and 0.01 < share["cancelled"] < 0.035
    seg = o["merchant_id"].map(t["merchants"].set_index("merchant_id")["segment"])
    assert (seg == "chain").mean() > 0.6
    aov = o.merge(t["merchants"][["merchant_id", "category"]]).groupby("category")["items_amount_cny"].mean()
    for cat, target in {"cafe": 35, "bakery": 45, "grocery": 120, "fashion": 260, "beauty": 180}.items():
        assert 0.75 * target < aov[cat] < 1.3 * target, cat
    # the Spring Festival dip and busier weekends
    daily = o.groupby(o["created_at"].dt.normalize()).size()
    assert daily["2026-02-15":"2026-02-22"].mean() < 0.75 * daily["2026-01-05":"2026-02-08"].mean()
    weekend = daily[daily.index.day_of_week >= 5].mean()
    assert weekend > 1.15 * daily[daily.index.day_of_week < 5].mean()


def test_ledger_rules(t):
    o, ledger, m = t["orders"], t["ledger_entries"], t["merchants"]
    assert set(ledger["entry_type"]) == {"payment", "platform_fee", "payment_fee", "refund", "settlement"}
    assert ledger["entry_time"].is_monotonic_increasing
    by = {k: g.set_index("order_id") for k, g in ledger[ledger["order_id"].notna()].groupby("entry_type")}
    booked = o[o["order_id"].isin(by["payment"].index)].set_index("order_id")
    rate = booked["merchant_id"].map(m.set_index("merchant_id")["platform_fee_rate"])
    assert (by["payment"].loc[booked.index, "amount_cny"] == booked["paid_amount_cny"]).all()
    assert (by["payment"].loc[booked.index, "entry_time"] == booked["created_at"]).all()
    assert np.allclose(-by["platform_fee"].loc[booked.index, "amount_cny"],
                       commerce.fee_cny(booked["paid_amount_cny"], rate), atol=1e-9)
    assert np.allclose(-by["payment_fee"].loc[booked.index, "amount_cny"],
                       commerce.fee_cny(booked["paid_amount_cny"], 0.0038), atol=1e-9)
    # one entry of each kind per order, refunds only for refunded orders, 1–10 days later
    for kind in ("payment", "platform_fee", "payment_fee", "refund"):
        assert by[kind].index.is_unique, kind
    refunded = o[o["status"] == "refunded"].set_index("order_id")
    assert set(by["refund"].index) == set(refunded.index)
    delay = by["refund"]["entry_time"] - refunded.loc[by["refund"].index, "created_at"]
    assert (delay >= pd.Timedelta(days=1)).all() and (delay <= pd.Timedelta(days=11)).all()
    assert (by["refund"]["amount_cny"] == -refunded.loc[by["refund"].index, "paid_amount_cny"]).all()
    cancelled = o.loc[o["status"] == "cancelled", "order_id"]
    assert not ledger["order_id"].isin(cancelled).any()
    # settlements: Mondays 10:00, no order, and they zero each merchant's balance as of Sunday
    s = ledger[ledger["entry_type"] == "settlement"]
    assert s["order_id"].isna().all() and (ledger.loc[ledger["entry_type"] != "settlement", "order_id"].notna()).all()
    assert (s["entry_time"].dt.day_of_week == 0).all() and (s["entry_time"].dt.hour == 10).all()
    for monday in sorted(s["entry_time"].dt.normalize().unique()):
        upto = ledger[ledger["entry_time"] <= monday + pd.Timedelta(hours=10)]
        before = upto[(upto["entry_time"] < monday) | (upto["entry_type"] == "settlement")]
        assert np.allclose(before.groupby("merchant_id")["amount_cny"].sum(), 0, atol=0.001), monday


def test_campaigns_and_coupons(t):
    cp, k, o, m = t["campaigns"], t["coupons"], t["orders"], t["merchants"]
    assert set(cp["coupon_kind"]) == {"amount_off", "percent_off"}
    assert (cp["start_date"] <= cp["end_date"]).all()
    assert (cp.set_index("campaign_id")["coupons_issued"] == k.groupby("campaign_id").size()).all()
    red = k[k["redeemed_order_id"].notna()].merge(o, left_on="redeemed_order_id", right_on="order_id",
                                                   suffixes=("_coupon", "")).merge(cp, on="campaign_id",
                                                                                   suffixes=("", "_cp"))
    assert (red["consumer_id_coupon"] == red["consumer_id"]).all()
    assert (red["merchant_id"] == red["merchant_id_cp"]).all()
    assert (red["created_at"] > red["issued_at"]).all()
    assert (red["created_at"] >= red["start_date"]).all()
    assert (red["created_at"] < red["end_date"] + pd.Timedelta(days=1)).all()
    assert (red["items_amount_cny"] >= red["min_spend_cny"]).all()
    off = red[red["coupon_kind"] == "amount_off"]
    assert (off["discount_cny"] == off["coupon_value"]).all()
    pct = red[red["coupon_kind"] == "percent_off"]
    assert np.allclose(pct["discount_cny"], (pct["items_amount_cny"] * pct["coupon_value"] / 100), atol=0.0051)
    weekend = red[red["campaign_id"] == "CP03"]
    assert (weekend["created_at"].dt.day_of_week >= 5).all()
    assert m.set_index("merchant_id").loc[cp["merchant_id"], "signup_date"].lt(cp["start_date"].values).all()


# ----------------------------------------------------------------------------- findings and the command line


def test_committed_data_keeps_every_planted_finding():
    from ctopath.tools.findings import FINDINGS, check_findings

    assert len(FINDINGS) >= 15 and len({f.name for f in FINDINGS}) == len(FINDINGS)
    assert set(t for f in FINDINGS for t in f.tables) <= set(data.TABLES)
    assert check_findings(REPO_DATA) == []


def test_cli_writes_a_seed_and_reports_the_findings(tmp_path, capsys):
    assert datagen.main(["--seed", str(datagen.SEED), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "every planted finding holds" in out
    assert (tmp_path / "orders.csv").read_bytes() == (REPO_DATA / "orders.csv").read_bytes()


def test_cli_exits_1_naming_a_broken_finding(tmp_path, capsys, monkeypatch):
    sentence = "the campaign that lost money (01.7–01.8): CP03 loses money — but CP03's gross profit is 12.00 CNY."
    monkeypatch.setattr(datagen, "check_findings", lambda folder: [sentence])
    assert datagen.main(["--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"Seed {datagen.SEED} breaks 1 planted finding" in err and sentence in err


@pytest.mark.parametrize("argv, says", [
    (["--seed", "abc"], "the seed must be a whole number"),
    (["--seed", "-1"], "the seed must be 0 or more"),
])
def test_cli_bad_seed_gets_a_sentence(argv, says, capsys):
    with pytest.raises(SystemExit) as exc:
        datagen.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_cli_out_that_cannot_be_a_folder_gets_a_sentence(tmp_path, capsys):
    file = tmp_path / "a-file"
    file.write_text("x")
    assert datagen.main(["--out", str(file)]) == 2
    assert "it is a file, not a folder" in capsys.readouterr().err
    assert datagen.main(["--out", str(file / "inside")]) == 2  # mkdir under a file: an OSError, not a traceback
    assert "Cannot write the data to" in capsys.readouterr().err


def test_builders_run_in_the_order_their_reads_need_not_by_file_name():
    from ctopath.course.tables import Builder, in_order

    def noop(rng, built):
        return {}

    listed = (Builder("late", ("c",), noop, reads=("b",)), Builder("first", ("a",), noop),
              Builder("middle", ("b",), noop, reads=("a",)))
    assert [b.name for b in in_order(listed)] == ["first", "middle", "late"]
    with pytest.raises(ValueError, match="no builder makes"):
        in_order((Builder("x", ("a",), noop, reads=("nowhere",)),))
    with pytest.raises(ValueError, match="circle"):
        in_order((Builder("x", ("a",), noop, reads=("b",)), Builder("y", ("b",), noop, reads=("a",))))
    made = set()
    for b in datagen.BUILDERS:
        assert set(b.reads) <= made, f"{b.name} runs before a table it reads"
        made |= set(b.tables)
    names = sorted(p.name for p in (Path(datagen.__file__).parent / "tables").glob("m*.py"))
    assert not [n for n in names if re.match(r"m\d\d[a-z]_", n)], "no file is named to sort after another"


def test_a_builder_is_given_only_the_tables_it_declares(monkeypatch):
    from ctopath.course.tables import Builder

    seen = {}

    def peek(rng, built):
        seen.update(built)
        return {"extra": datagen.BUILDERS[0].build(rng, {})["merchants"].head(1)}

    spy = Builder("spy", ("extra",), peek, reads=("merchants",))
    built = {"merchants": object(), "orders": object()}
    monkeypatch.setattr(datagen, "_findings_settled_by", lambda builder, built: ())
    datagen._build(spy, 1, built)
    assert set(seen) == {"merchants"}, "an undeclared read must fail, not silently work"
